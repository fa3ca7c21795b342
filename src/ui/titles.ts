import type { StoredConversation, StoredUser } from '../store/db';

/** A one-to-one conversation is titled with the other person's display name. */
export function conversationTitle(c: StoredConversation, me: string, users: ReadonlyMap<string, StoredUser>): string {
  const peerId = c.memberIds.find((id) => id !== me);
  const peer = peerId ? users.get(peerId) : undefined;
  return peer?.displayName || peer?.username || 'Unknown person';
}
