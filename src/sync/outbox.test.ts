import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TidingsError } from '../protocol';
import { openDb, type TidingsDb } from '../store/db';
import { storeMessages } from './apply';
import { Outbox } from './outbox';
import { CONV, ManualClock, ME, ScriptedTransport, settle } from './testing/fakes';

let db: TidingsDb;
let clock: ManualClock;
let server: ScriptedTransport;
let outbox: Outbox;
let n = 0;

const ids = ['a', 'b', 'c', 'd'].map((x) => `00000000-0000-4000-8000-00000000000${x}`);

async function rows() {
  return db.messages.where('[conversationId+order]').between([CONV, 0], [CONV, Infinity]).toArray();
}

async function drained() {
  await settle(40);
}

beforeEach(() => {
  db = openDb(`outbox-test-${++n}`);
  clock = new ManualClock();
  server = new ScriptedTransport();
  outbox = new Outbox(db, ME, server, { clock, now: () => clock.now, maxAttempts: 3, baseBackoffMs: 1000 });
});

afterEach(async () => {
  outbox.stop();
  await db.delete();
});

describe('outbox', () => {
  it('[OUT-1] a queued message is stored as Sending before any network, then sent and given its seq', async () => {
    server.connected = false;
    await outbox.send(CONV, 'hello', ids[0]);
    const [pending] = await rows();
    expect(pending).toMatchObject({ text: 'hello', pending: 'sending', seq: null });
    expect(await db.outbox.count()).toBe(1);
    server.connected = true;
    outbox.kick();
    await drained();
    const [sent] = await rows();
    expect(sent).toMatchObject({ text: 'hello', seq: 1, order: 1 });
    expect(sent?.pending).toBeUndefined();
    expect(await db.outbox.count()).toBe(0);
  });

  it('[OUT-2] messages go out one at a time in the order they were queued', async () => {
    server.connected = false;
    for (const [i, id] of ids.entries()) await outbox.send(CONV, `m${i}`, id);
    server.connected = true;
    outbox.kick();
    await drained();
    expect(server.sentClientIds()).toEqual(ids);
    expect((await rows()).map((m) => [m.text, m.seq])).toEqual([
      ['m0', 1],
      ['m1', 2],
      ['m2', 3],
      ['m3', 4],
    ]);
  });

  it('[OUT-3] a timeout is retried with the same clientMsgId after backoff, and later messages wait behind it', async () => {
    server.sendScript = ['timeout'];
    await outbox.send(CONV, 'first', ids[0]);
    await outbox.send(CONV, 'second', ids[1]);
    await drained();
    expect(server.sentClientIds()).toEqual([ids[0]]);
    clock.advance(1000);
    await drained();
    expect(server.sentClientIds()).toEqual([ids[0], ids[0], ids[1]]);
    expect((await rows()).map((m) => m.text)).toEqual(['first', 'second']);
    expect(await db.outbox.count()).toBe(0);
  });

  it('[OUT-4] after maxAttempts timeouts the message shows Failed, and retry puts it back in the queue', async () => {
    server.sendScript = ['timeout', 'timeout', 'timeout'];
    await outbox.send(CONV, 'doomed', ids[0]);
    for (let i = 0; i < 5; i++) {
      await drained();
      clock.advance(10_000);
    }
    await drained();
    expect(server.sentClientIds()).toEqual([ids[0], ids[0], ids[0]]);
    expect((await rows())[0]).toMatchObject({ pending: 'failed', seq: null, errorCode: 'timeout' });
    await outbox.retry((await rows())[0]?.key ?? '');
    await drained();
    expect((await rows())[0]).toMatchObject({ seq: 1 });
    expect(server.sentClientIds()).toHaveLength(4);
  });

  it('[OUT-5] a disconnect during a try does not count as a failure; the job resumes on the next kick', async () => {
    server.sendScript = ['disconnected'];
    await outbox.send(CONV, 'later', ids[0]);
    await drained();
    expect((await db.outbox.toArray())[0]).toMatchObject({ attempts: 0, state: 'queued' });
    outbox.kick();
    await drained();
    expect((await rows())[0]).toMatchObject({ seq: 1 });
  });

  it('[OUT-6] a refusal by the server fails that message at once and the next one still goes', async () => {
    server.sendScript = [new TidingsError('not_found', 'No such conversation.'), 'ok'];
    await outbox.send(CONV, 'refused', ids[0]);
    await outbox.send(CONV, 'fine', ids[1]);
    await drained();
    const all = await rows();
    const refused = all.find((m) => m.text === 'refused');
    const fine = all.find((m) => m.text === 'fine');
    // A failed message keeps its place after everything stored, as pending ones do.
    expect(all.map((m) => m.text)).toEqual(['fine', 'refused']);
    expect(refused).toMatchObject({ text: 'refused', pending: 'failed', error: 'No such conversation.', errorCode: 'not_found' });
    expect(fine).toMatchObject({ text: 'fine', seq: 1 });
  });

  it('[OUT-9] a message refused for good can be dropped from the device, its job with it; a sent one cannot', async () => {
    server.sendScript = [new TidingsError('forbidden', 'Not allowed.'), 'ok'];
    await outbox.send(CONV, 'refused', ids[0]);
    await outbox.send(CONV, 'fine', ids[1]);
    await drained();
    const refused = (await rows()).find((m) => m.text === 'refused');
    const fine = (await rows()).find((m) => m.text === 'fine');
    expect(refused?.errorCode).toBe('forbidden');
    await outbox.discard(fine?.key ?? '');
    await outbox.discard(refused?.key ?? '');
    expect((await rows()).map((m) => m.text)).toEqual(['fine']);
    expect(await db.outbox.count()).toBe(0);
  });

  it('[OUT-7] the server echo of an own message arriving before the ack leaves one row and no job', async () => {
    server.connected = false;
    await outbox.send(CONV, 'echoed', ids[0]);
    await db.transaction('rw', [db.conversations, db.messages, db.outbox], () =>
      storeMessages(db, ME, CONV, [
        { msgId: '77', conversationId: CONV, seq: 9, senderId: ME, clientMsgId: ids[0] as string, text: 'echoed', serverTime: 1, system: null, recalledBy: null, replyTo: null, mentions: null },
      ]),
    );
    expect(await db.outbox.count()).toBe(0);
    server.connected = true;
    outbox.kick();
    await drained();
    expect(server.sentClientIds()).toEqual([]);
    expect((await rows()).map((m) => [m.text, m.seq])).toEqual([['echoed', 9]]);
  });

  it('[OUT-8] the queue survives a restart: a new Outbox on the same store sends what was left', async () => {
    server.connected = false;
    await outbox.send(CONV, 'kept', ids[0]);
    outbox.stop();
    db.close();
    db = openDb(`outbox-test-${n}`);
    const restarted = new Outbox(db, ME, server, { clock, now: () => clock.now });
    server.connected = true;
    restarted.kick();
    await drained();
    expect(server.sentClientIds()).toEqual([ids[0]]);
    expect((await rows())[0]).toMatchObject({ text: 'kept', seq: 1 });
  });
});
