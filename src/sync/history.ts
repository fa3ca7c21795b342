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
  const first = page.messages[0]?.seq ?? page.firstSeq;
  // The server's seq is gapless: a short page reached the first seq this user may read.
  const from = page.messages.length < limit ? page.firstSeq : first;
  await db.transaction('rw', [db.conversations, db.messages, db.outbox], async () => {
    await storeMessages(db, me, conversationId, page.messages, top >= from ? { from, to: top } : undefined);
    const conv = await db.conversations.get(conversationId);
    if (conv && page.lastSeq > conv.lastSeq) await db.conversations.update(conversationId, { lastSeq: page.lastSeq });
  });
  return from;
}

/**
 * Fills holes between the ranges a device holds, and between its newest held message and the
 * head, newest first, at most `maxPages` pages. History below the lowest held message is not
 * a hole: it loads when someone scrolls there.
 */
export async function fillGaps(db: TidingsDb, me: string, transport: Transport, conversationId: string, maxPages = 10): Promise<void> {
  for (let page = 0; page < maxPages; page++) {
    const conv = await db.conversations.get(conversationId);
    const lowest = conv?.ranges[0]?.[0];
    if (!conv || lowest === undefined) return;
    const gap = holes(conv.ranges, conv.lastSeq, conv.firstSeq).filter(([from]) => from > lowest).at(-1);
    if (!gap) return;
    await fetchPage(db, me, transport, conversationId, gap[1] + 1);
  }
}

/** The newest hole in a conversation (including one below its head), if any. */
export async function newestHole(db: TidingsDb, conversationId: string): Promise<readonly [number, number] | undefined> {
  const conv = await db.conversations.get(conversationId);
  if (!conv) return undefined;
  return holes(conv.ranges, conv.lastSeq, conv.firstSeq).at(-1);
}
