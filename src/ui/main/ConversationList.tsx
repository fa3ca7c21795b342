import { useLiveQuery } from 'dexie-react-hooks';
import { useMemo } from 'react';
import { useUi } from '../../state/connection';
import { useClient } from '../client-context';
import { conversationTitle } from '../titles';
import { shortTime } from '../words';

export function ConversationList() {
  const client = useClient();
  const openId = useUi((s) => s.openConversationId);
  const open = useUi((s) => s.openConversation);
  const conversations = useLiveQuery(() => client.db.conversations.orderBy('activityAt').reverse().toArray(), [client]);
  const users = useLiveQuery(() => client.db.users.toArray(), [client]);
  const byId = useMemo(() => new Map((users ?? []).map((u) => [u.id, u])), [users]);

  if (!conversations) return null;
  if (conversations.length === 0) {
    return <p className="empty">No conversations yet. Start one with “New chat”.</p>;
  }
  return (
    <ul aria-label="Conversations" className="conversations">
      {conversations.map((c) => {
        const title = conversationTitle(c, client.me, byId);
        const last = c.lastMessage;
        const preview = last ? `${last.senderId === client.me ? 'You: ' : ''}${last.text}` : 'No messages yet';
        return (
          <li key={c.id} aria-label={title} className={c.id === openId ? 'active' : undefined}>
            <button type="button" onClick={() => open(c.id)} aria-current={c.id === openId ? 'true' : undefined}>
              <span className="avatar" aria-hidden="true">
                {title.slice(0, 1).toUpperCase()}
              </span>
              <span className="summary">
                <span className="title-row">
                  <bdi className="title">{title}</bdi>
                  {last && <time dateTime={new Date(last.serverTime).toISOString()}>{shortTime(last.serverTime)}</time>}
                </span>
                <bdi className="preview">{preview}</bdi>
              </span>
            </button>
          </li>
        );
      })}
    </ul>
  );
}
