import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getPts, openDb, type TidingsDb } from '../store/db';
import { SyncEngine } from './sync-engine';
import { conversationEntry, CONV, ManualClock, ME, message, messageEntry, ScriptedTransport, settle } from './testing/fakes';

let db: TidingsDb;
let clock: ManualClock;
let server: ScriptedTransport;
let engine: SyncEngine;
let n = 0;

async function seqs(): Promise<number[]> {
  return (await db.messages.where('[conversationId+order]').between([CONV, 0], [CONV, Infinity]).toArray()).map((m) => m.seq ?? -1);
}

async function connectAndSettle() {
  engine.onConnect();
  await settle();
  await engine.idle();
}

beforeEach(async () => {
  db = openDb(`engine-test-${++n}`);
  clock = new ManualClock();
  server = new ScriptedTransport();
  engine = new SyncEngine(db, ME, server, { clock, timings: { gapWaitMs: 500, retryMs: 2000 } });
});

afterEach(async () => {
  engine.stop();
  await db.delete();
});

describe('sync engine', () => {
  it('[SYNC-1] a new device starts from the server pts and conversation heads, not from event 0', async () => {
    server.entries = [conversationEntry(1), messageEntry(2, 1), messageEntry(3, 2)];
    await connectAndSettle();
    expect(server.log.map((r) => r.type)).toEqual(['bootstrap', 'sync']);
    expect(await getPts(db)).toBe(3);
    expect(await seqs()).toEqual([]);
    expect(engine.currentStatus).toBe('live');
  });

  it('[SYNC-2] applies a push with pts == local+1 and drops one with pts <= local', async () => {
    await db.meta.put({ key: 'pts', value: 0 });
    server.entries = [conversationEntry(1)];
    await connectAndSettle();
    engine.onPush(messageEntry(2, 1));
    await settle();
    await engine.idle();
    expect(await seqs()).toEqual([1]);
    // A duplicate push (same pts) changes nothing.
    engine.onPush({ pts: 2, event: { ...messageEntry(2, 1).event } });
    engine.onPush(messageEntry(1, 1));
    await settle();
    await engine.idle();
    expect(await seqs()).toEqual([1]);
    expect(await getPts(db)).toBe(2);
    expect(server.log.filter((r) => r.type === 'sync')).toHaveLength(1);
  });

  it('[SYNC-3] a push beyond a gap waits for the missing one and pulls nothing if it comes in time', async () => {
    await db.meta.put({ key: 'pts', value: 0 });
    server.entries = [conversationEntry(1)];
    await connectAndSettle();
    engine.onPush(messageEntry(3, 2));
    await settle();
    await engine.idle();
    expect(await seqs()).toEqual([]);
    clock.advance(300);
    engine.onPush(messageEntry(2, 1));
    await settle();
    await engine.idle();
    expect(await seqs()).toEqual([1, 2]);
    clock.advance(1000);
    await settle();
    await engine.idle();
    expect(server.log.filter((r) => r.type === 'sync')).toHaveLength(1);
  });

  it('[SYNC-4] a gap still open after the wait is filled by pulling sync(localPts)', async () => {
    await db.meta.put({ key: 'pts', value: 0 });
    server.entries = [conversationEntry(1)];
    await connectAndSettle();
    // The server stored 2..4, but only the push for 4 arrived.
    server.entries.push(messageEntry(2, 1), messageEntry(3, 2), messageEntry(4, 3));
    engine.onPush(messageEntry(4, 3));
    await settle();
    await engine.idle();
    clock.advance(499);
    await settle();
    expect(server.log.filter((r) => r.type === 'sync')).toHaveLength(1);
    clock.advance(1);
    await settle();
    await engine.idle();
    const syncs = server.log.filter((r) => r.type === 'sync');
    expect(syncs).toHaveLength(2);
    expect(syncs[1]).toMatchObject({ sincePts: 1 });
    expect(await seqs()).toEqual([1, 2, 3]);
    expect(await getPts(db)).toBe(4);
  });

  it('[SYNC-5] on connect it pulls before trusting pushes; pushes during the pull are held and applied after', async () => {
    await db.meta.put({ key: 'pts', value: 0 });
    server.entries = [conversationEntry(1), messageEntry(2, 1), messageEntry(3, 2)];
    let open!: () => void;
    server.gate = new Promise<void>((r) => (open = r));
    engine.onConnect();
    await settle();
    // Arrives while the pull is in flight: must not be applied ahead of 2..3. The pull's page
    // does not hold it (the server made it before), so only the held push can bring it.
    engine.onPush(messageEntry(4, 3));
    await settle();
    expect(await getPts(db)).toBe(0);
    server.gate = null;
    open();
    await settle();
    await engine.idle();
    await settle();
    await engine.idle();
    expect(await seqs()).toEqual([1, 2, 3]);
    expect(await getPts(db)).toBe(4);
    // Applied from the hold, not pulled again.
    expect(server.log.filter((r) => r.type === 'sync')).toHaveLength(1);
  });

  it('[SYNC-6] pulls in pages until the server says there is no more', async () => {
    engine = new SyncEngine(db, ME, server, { clock, timings: { pageSize: 2 } });
    await db.meta.put({ key: 'pts', value: 0 });
    server.entries = [conversationEntry(1), ...[2, 3, 4, 5, 6].map((p) => messageEntry(p, p - 1))];
    await connectAndSettle();
    expect(server.log.filter((r) => r.type === 'sync').map((r) => (r.type === 'sync' ? r.sincePts : -1))).toEqual([0, 2, 4]);
    expect(await seqs()).toEqual([1, 2, 3, 4, 5]);
  });

  it('[SYNC-7] a cursor older than the inbox (tooLong) falls back to conversation heads', async () => {
    await db.meta.put({ key: 'pts', value: 1 });
    server.entries = [conversationEntry(1), messageEntry(2, 1), messageEntry(3, 2)];
    server.inboxFloor = 2;
    await connectAndSettle();
    expect(server.log.map((r) => r.type)).toEqual(['sync', 'bootstrap', 'sync']);
    expect(await getPts(db)).toBe(3);
  });

  it('[SYNC-8] a disconnect abandons the pull; the next connect resumes from the stored cursor', async () => {
    await db.meta.put({ key: 'pts', value: 0 });
    server.entries = [conversationEntry(1), messageEntry(2, 1)];
    let open!: () => void;
    server.gate = new Promise<void>((r) => (open = r));
    engine.onConnect();
    await settle();
    engine.onDisconnect();
    server.gate = null;
    open();
    await settle();
    await engine.idle();
    expect(await getPts(db)).toBe(0);
    expect(engine.currentStatus).toBe('offline');
    await connectAndSettle();
    expect(await seqs()).toEqual([1]);
    expect(await getPts(db)).toBe(2);
  });

  it('[SYNC-9] a malformed push is ignored and changes nothing', async () => {
    await db.meta.put({ key: 'pts', value: 0 });
    await connectAndSettle();
    engine.onPush({ pts: 1, event: { type: 'message', message: { seq: 'x' } } });
    engine.onPush('garbage');
    await settle();
    await engine.idle();
    expect(await getPts(db)).toBe(0);
  });

  it('[SYNC-10] every stored message, by inbox or by room, is reported so its seq gaps get filled', async () => {
    const stored: string[][] = [];
    engine = new SyncEngine(db, ME, server, { clock, onMessagesStored: (ids) => stored.push([...ids]) });
    await db.meta.put({ key: 'pts', value: 0 });
    server.entries = [conversationEntry(1), messageEntry(2, 1)];
    await connectAndSettle();
    // A big group's message arrives on its room, without a pts.
    engine.onRoom(message(5));
    await settle();
    await engine.idle();
    expect(stored).toEqual([[CONV], [CONV]]);
    expect(await seqs()).toEqual([1, 5]);
  });

  it('[GROUP-9] a room line past this user\'s leaving is neither stored nor reported', async () => {
    const stored: string[][] = [];
    engine = new SyncEngine(db, ME, server, { clock, onMessagesStored: (ids) => stored.push([...ids]) });
    await db.meta.put({ key: 'pts', value: 0 });
    server.entries = [conversationEntry(1)];
    await connectAndSettle();
    await db.conversations.update(CONV, { leftSeq: 5 });
    engine.onRoom(message(5));
    engine.onRoom(message(6));
    await settle();
    await engine.idle();
    expect(await seqs()).toEqual([5]);
    expect(stored).toEqual([[CONV]]);
  });
});
