import { useState } from 'react';
import { useUi } from '../../state/connection';
import type { StoredConversation } from '../../store/db';
import { ConversationSettings } from '../conversation-settings/ConversationSettings';

/** Title, a group's announcement, and the way into the conversation's settings. */
export function ConversationHeader({ conv, title }: { conv: StoredConversation; title: string }) {
  const openConversation = useUi((s) => s.openConversation);
  const [settings, setSettings] = useState(false);
  const announcement = conv.kind === 'group' ? conv.announcement.trim() : '';
  return (
    <header className="conversation-head">
      <div className="head-row">
        <button type="button" className="back quiet" onClick={() => openConversation(null)}>
          Back
        </button>
        <div className="head-title">
          <h2 id="conversation-title">{title}</h2>
          {conv.kind === 'group' && (
            <span className="muted head-sub">
              {conv.leftSeq === null ? `${conv.memberCount} ${conv.memberCount === 1 ? 'member' : 'members'}` : 'Former member'}
            </span>
          )}
        </div>
        <button type="button" className="quiet settings-button" onClick={() => setSettings(true)}>
          Conversation settings
        </button>
      </div>
      {announcement && (
        <p className="announcement" dir="auto">
          <strong>Announcement</strong> <span>{announcement}</span>
        </p>
      )}
      {settings && <ConversationSettings conv={conv} title={title} onClose={() => setSettings(false)} />}
    </header>
  );
}
