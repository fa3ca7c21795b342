/**
 * Roaming: a conversation's history pulled by `seq`. The latest page when a conversation is
 * opened on a device that does not hold its head, older pages when scrolling up, and the
 * pages that fill a hole between held ranges.
 */
import type { TidingsDb } from '../store/db';
import { holes } from '../store/ranges';
import { storeMessages } from './apply';
import type { Transport } from './transport';

export const HISTORY_PAGE = 50;

/**
 * Fetches the page of messages with `seq < beforeSeq` (the latest page when omitted) and
 * stores it with the contiguous range it covers. Returns the lowest seq now held.
 */
export async function fetchPage(
  db: TidingsDb,
  me: string,
  transport: Transport,
  conversationId: string,
  beforeSeq: number | undefined,
  limit = HISTORY_PAGE,
): Promise<number> {
  const page = await transport.request({ type: 'history', conversationId, ...(beforeSeq ? { beforeSeq } : {}), limit });
  const top = beforeSeq ? beforeSeq - 1 : page.lastSeq;
  const first = page.messages[0]?.seq ?? 1;
  // The server's seq is gapless: a short page reached the beginning of the conversation.
  const from = page.messages.length < limit ? 1 : first;
  await db.transaction('rw', [db.conversations, db.messages, db.outbox], async () => {
    await storeMessages(db, me, conversationId, page.messages, top >= from ? { from, to: top } : undefined);
    const conv = await db.conversations.get(conversationId);
    if (conv && page.lastSeq > conv.lastSeq) await db.conversations.update(conversationId, { lastSeq: page.lastSeq });
  });
  return from;
}

/** The newest hole in a conversation (including one below its head), if any. */
export async function newestHole(db: TidingsDb, conversationId: string): Promise<readonly [number, number] | undefined> {
  const conv = await db.conversations.get(conversationId);
  if (!conv) return undefined;
  return holes(conv.ranges, conv.lastSeq).at(-1);
}
