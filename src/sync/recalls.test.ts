import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDb, type TidingsDb } from '../store/db';
import { applyEntry, storeMessages } from './apply';
import { catchUpRecalls, recallsDue } from './recalls';
import { CONV, conversationEntry, ME, message, PEER, ScriptedTransport } from './testing/fakes';
import { TransportError } from './transport';

let db: TidingsDb;
let server: ScriptedTransport;
let n = 0;

beforeEach(async () => {
  db = openDb(`recalls-test-${++n}`);
  server = new ScriptedTransport();
  await db.transaction('rw', [db.conversations, db.messages, db.outbox, db.users, db.meta, db.receipts], async () => {
    await applyEntry(db, ME, conversationEntry(1));
    await storeMessages(db, ME, CONV, [1, 2, 3, 4].map((seq) => message(seq, PEER, `secret ${seq}`)));
  });
});

afterEach(async () => {
  await db.delete();
});

const texts = async () => (await db.messages.where('conversationId').equals(CONV).sortBy('order')).map((m) => m.text);

describe('recall catch-up', () => {
  it('[RECALL-7] a catch-up cut short by a disconnect is left due, and the next one finishes it', async () => {
    // The server said three recalls; this device has seen none.
    await db.conversations.update(CONV, { recalls: 3, recallsSeen: 0 });
    let calls = 0;
    server.extra.recalls = (req) => {
      if (req.type !== 'recalls') throw new Error('unexpected');
      calls++;
      if (calls === 2) throw new TransportError('disconnected');
      const all = [
        { seq: 2, senderId: PEER, by: PEER },
        { seq: 4, senderId: PEER, by: PEER },
        { seq: 1, senderId: PEER, by: ME },
      ];
      const page = all.slice(req.after, req.after + 1);
      return { recalls: page, next: req.after + page.length, more: req.after + page.length < all.length };
    };
    await expect(catchUpRecalls(db, ME, server, CONV)).rejects.toThrow(TransportError);
    expect(await texts()).toEqual(['secret 1', '', 'secret 3', 'secret 4']);
    expect(await recallsDue(db)).toEqual([CONV]);

    expect(await catchUpRecalls(db, ME, server, CONV)).toEqual([4, 1]);
    expect(await texts()).toEqual(['', '', 'secret 3', '']);
    expect(await recallsDue(db)).toEqual([]);
    expect((await db.conversations.get(CONV))?.recallsSeen).toBe(3);
  });

  it('[RECALL-7] a device that holds nothing takes the count as it is, without asking', async () => {
    await db.messages.clear();
    await db.conversations.update(CONV, { ranges: [], recalls: 5, recallsSeen: 0 });
    server.extra.recalls = () => {
      throw new Error('must not ask');
    };
    expect(await catchUpRecalls(db, ME, server, CONV)).toEqual([]);
    expect((await db.conversations.get(CONV))?.recallsSeen).toBe(5);
  });
});
