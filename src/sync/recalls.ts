/**
 * Recalls a device missed. Most reach it as events: an inbox event below the fan-out threshold,
 * the erased message on a big group's room. Two paths have no event to replay: a big group's
 * room push sent while the device was offline, and an inbox that expired (`tooLong`). For
 * those the server numbers each conversation's recalls and says the count with every head and
 * summary (stored as `recalls`); a device that holds messages and has seen fewer (`recallsSeen`)
 * asks for the rest by number and erases the texts it holds. What a catch-up cut short by a
 * disconnect left undone, the next connection does: the two counts stay stored.
 */
import type { TidingsDb } from '../store/db';
import { eraseRecalled } from './apply';
import type { Transport } from './transport';

/** Pages of recalls one catch-up asks for before leaving the rest to the next connect. */
const MAX_PAGES = 20;

/** Conversations whose server recall count is ahead of what this device has caught up to. */
export async function recallsDue(db: TidingsDb): Promise<string[]> {
  return (await db.conversations.filter((c) => (c.recalls ?? 0) > (c.recallsSeen ?? 0)).toArray()).map((c) => c.id);
}

/**
 * Brings `conversationId`'s recalls up to the server's count the device last heard. Returns the
 * seqs whose text it erased here.
 */
export async function catchUpRecalls(db: TidingsDb, me: string, transport: Transport, conversationId: string): Promise<number[]> {
  const erased: number[] = [];
  for (let page = 0; page < MAX_PAGES; page++) {
    const conv = await db.conversations.get(conversationId);
    const after = conv?.recallsSeen ?? 0;
    if (!conv || (conv.recalls ?? 0) <= after) break;
    if (conv.ranges.length === 0) {
      // Nothing held, nothing to erase: history loaded later comes erased from the server.
      await db.conversations.update(conversationId, { recallsSeen: conv.recalls });
      break;
    }
    const r = await transport.request({ type: 'recalls', conversationId, after });
    await db.transaction('rw', [db.conversations, db.messages], async () => {
      for (const x of r.recalls) {
        const held = await db.messages.where('[conversationId+order]').equals([conversationId, x.seq]).first();
        if (!held || held.recalledBy !== null) continue;
        await eraseRecalled(db, me, conversationId, x.seq, x.by, x.senderId, null);
        erased.push(x.seq);
      }
      // Never back: an event may have taken it further while this page was on its way.
      const now = (await db.conversations.get(conversationId))?.recallsSeen ?? 0;
      if (r.next > now) await db.conversations.update(conversationId, { recallsSeen: r.next });
    });
    if (!r.more) break;
  }
  return erased;
}
