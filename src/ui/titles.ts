import { t } from '../i18n';
import type { StoredConversation, StoredUser } from '../store/db';

/** A group is titled with its name; a one-to-one conversation with the other person's display name. */
export function conversationTitle(c: StoredConversation, me: string, users: ReadonlyMap<string, StoredUser>): string {
  if (c.kind === 'group') return c.name ?? t('conversation.title.group');
  const peerId = c.memberIds.find((id) => id !== me);
  const peer = peerId ? users.get(peerId) : undefined;
  return peer?.displayName || peer?.username || t('conversation.title.unknown');
}
