import { t } from '../../i18n';
import { useEffect, useState } from 'react';
import { useUi } from '../../state/connection';
import { useLive } from '../../state/live';
import type { StoredConversation } from '../../store/db';
import { useClient } from '../client-context';
import { ConversationSettings } from '../conversation-settings/ConversationSettings';
import { presenceText } from '../presence-words';

/** The other person's presence in a one-to-one header: asked for on open and on reconnect, then pushed. */
function PeerPresence({ peerId }: { peerId: string }) {
  const client = useClient();
  const connection = useUi((s) => s.connection);
  const presence = useLive((s) => s.presence[peerId]);
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    if (connection !== 'connected') return;
    void client.loadPresence([peerId]).then((list) => useLive.getState().setPresence(list), () => {});
  }, [client, peerId, connection]);
  // "Last seen 3 minutes ago" ages while it is on screen.
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(t);
  }, []);
  // Offline here, nothing is known of them now.
  if (!presence || connection !== 'connected') return null;
  return <span className={`muted head-sub presence ${presence.state}`}>{presenceText(presence, now)}</span>;
}

/** Title, a group's announcement, and the way into the conversation's settings. */
export function ConversationHeader({ conv, title }: { conv: StoredConversation; title: string }) {
  const openConversation = useUi((s) => s.openConversation);
  const [settings, setSettings] = useState(false);
  const client = useClient();
  const announcement = conv.kind === 'group' ? conv.announcement.trim() : '';
  const peerId = conv.kind === 'direct' ? conv.memberIds.find((id) => id !== client.me) : undefined;
  return (
    <header className="conversation-head">
      <div className="head-row">
        <button type="button" className="back quiet" onClick={() => openConversation(null)}>
          {t('conversation.back')}
        </button>
        <div className="head-title">
          <h2 id="conversation-title">{title}</h2>
          {conv.kind === 'group' && (
            <span className="muted head-sub">
              {conv.leftSeq === null ? t('conversation.members', { count: conv.memberCount }) : t('conversation.formerMember')}
            </span>
          )}
          {peerId && <PeerPresence peerId={peerId} />}
        </div>
        <button type="button" className="quiet settings-button" aria-label={t('conversation.settings')} onClick={() => setSettings(true)}>
          <span aria-hidden="true" className="icon">
            ⚙
          </span>{' '}
          <span className="label">{t('conversation.settings')}</span>
        </button>
      </div>
      {announcement && (
        <p className="announcement" dir="auto">
          <strong>{t('conversation.announcement')}</strong> <span>{announcement}</span>
        </p>
      )}
      {settings && <ConversationSettings conv={conv} title={title} onClose={() => setSettings(false)} />}
    </header>
  );
}
