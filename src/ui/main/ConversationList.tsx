import { t } from '../../i18n';
import { useLiveQuery } from 'dexie-react-hooks';
import { useMemo } from 'react';
import type { SystemEvent } from '../../protocol';
import { useUi } from '../../state/connection';
import { PENDING_BASE, type StoredConversation, type TidingsDb } from '../../store/db';
import { useClient } from '../client-context';
import { previewText } from '../previews';
import { systemUserIds } from '../system-lines';
import { conversationTitle } from '../titles';
import { useEnsureUsers, useUsers } from '../use-users';
import { shortTime } from '../words';
import { unreadOf } from '../../sync/read-state';
import { avatarColour, avatarId, avatarInitial } from './avatar';

/**
 * The conversations, newest activity first, each with its unread number and its last line's
 * event if it is a system line.
 */
/** Whether an unread message this device holds @mentions the user (or everyone), like Telegram's `@`. */
async function unreadMention(db: TidingsDb, c: StoredConversation, me: string): Promise<boolean> {
  if (c.kind !== 'group') return false;
  const hit = await db.messages
    .where('[conversationId+order]')
    .between([c.id, c.lastReadSeq + 1], [c.id, PENDING_BASE], true, false)
    .filter((m) => m.senderId !== me && m.recalledBy === null && m.mentions != null && (m.mentions.all || m.mentions.userIds.includes(me)))
    .first();
  return hit !== undefined;
}

async function listRows(db: TidingsDb, me: string) {
  // Pinned first, each part newest activity first (the sort is stable).
  const conversations = (await db.conversations.orderBy('activityAt').reverse().toArray()).sort((a, b) => Number(b.pinned ?? false) - Number(a.pinned ?? false));
  return Promise.all(
    conversations.map(async (c) => {
      const last = c.lastMessage;
      // Only system lines and recalled messages have empty text (a person's message must show something).
      // Previews stored before they kept the event: look the line up.
      const row = last && last.text === '' && !last.recalledBy && !last.system ? await db.messages.where('[conversationId+order]').equals([c.id, last.seq]).first() : undefined;
      const unread = await unreadOf(db, c, me);
      return { c, system: (last?.system ?? row?.system ?? null) as SystemEvent | null, unread, mentioned: unread > 0 && (await unreadMention(db, c, me)) };
    }),
  );
}

export function ConversationList() {
  const client = useClient();
  const openId = useUi((s) => s.openConversationId);
  const open = useUi((s) => s.openConversation);
  const rows = useLiveQuery(() => listRows(client.db, client.me), [client]);
  const { byId, nameOf } = useUsers();
  const named = useMemo(
    () =>
      (rows ?? []).flatMap(({ c, system }) => {
        const last = c.lastMessage;
        if (!last) return [];
        const recaller = last.recalledBy ? [last.recalledBy] : [];
        return c.kind !== 'group' ? recaller : [last.senderId, ...recaller, ...(system ? systemUserIds(system) : [])];
      }),
    [rows],
  );
  useEnsureUsers(named, byId);

  if (!rows) return null;
  if (rows.length === 0) {
    return <p className="empty">{t('main.noConversations')}</p>;
  }
  return (
    <ul aria-label={t('main.conversations')} className="conversations">
      {rows.map(({ c, system, unread, mentioned }) => {
        const title = conversationTitle(c, client.me, byId);
        const last = c.lastMessage;
        const preview = previewText(c, system, client.me, nameOf);
        // A draft shows instead of the last message, except in the conversation being typed in.
        const draft = c.id !== openId && c.draft?.text.trim() ? c.draft.text : null;
        return (
          <li key={c.id} aria-label={title} className={c.id === openId ? 'active' : undefined}>
            <button type="button" onClick={() => open(c.id)} aria-current={c.id === openId ? 'true' : undefined}>
              <span className="avatar" aria-hidden="true" style={{ background: avatarColour(avatarId(c, client.me)) }}>
                {avatarInitial(title)}
              </span>
              <span className="summary">
                <span className="title-row">
                  <bdi className="title">{title}</bdi>
                  {(c.pinned || c.notify === 'muted') && (
                    <span className="markers">
                      {c.pinned && <span className="marker">{t('list.pinned')}</span>}
                      {c.notify === 'muted' && <span className="marker">{t('list.muted')}</span>}
                    </span>
                  )}
                  {last && <time dateTime={new Date(last.serverTime).toISOString()}>{shortTime(last.serverTime)}</time>}
                </span>
                <span className="preview-row">
                  {draft ? (
                    <bdi className="preview">
                      <span className="draft-mark">{t('list.draft')}</span> {draft}
                    </bdi>
                  ) : (
                    <bdi className="preview">{preview}</bdi>
                  )}
                  {mentioned && (
                    <span className="badge mentioned">
                      <span aria-hidden="true">@</span>
                      <span className="visually-hidden">{t('list.mentioned')}</span>
                    </span>
                  )}
                  {unread > 0 && (
                    <span className={`badge${c.notify === 'muted' ? ' muted-count' : ''}`}>
                      <span aria-hidden="true">{unread > 999 ? '999+' : unread}</span>
                      <span className="visually-hidden">{t('list.unread', { count: unread })}</span>
                    </span>
                  )}
                </span>
              </span>
            </button>
          </li>
        );
      })}
    </ul>
  );
}
