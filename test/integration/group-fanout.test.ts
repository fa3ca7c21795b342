/**
 * Read diffusion for big groups, with real sockets. A 600-member group (above the default
 * inbox threshold of 500) gets no inbox events: every online member's socket is pushed each
 * line on the conversation's room, and all of them see the same gapless seq order. A member
 * that was offline catches up by `heads` + history pulls when it reconnects (the project's own
 * sync client over fake-indexeddb), and one that missed room pushes while connected fills the
 * gap the next push reveals. Below the threshold (50 members) the inbox path delivers, with pts.
 *
 * Accounts: 600 argon2 sign-ups would take 15-30 s (and meet the per-address sign-up limit),
 * so the members are created directly through `server.storage.createUser` + `createDevice`
 * with a token hash, exactly what `Accounts` writes, minus the password hash. Everything else
 * (group creation, sends, pushes, pulls) goes through the real socket protocol.
 */
import 'fake-indexeddb/auto';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { MessageSchema, SOCKET_EVENTS, type Message, type Session } from '../../src/protocol';
import { holes } from '../../src/store/ranges';
import { TidingsClient } from '../../src/sync/client';
import { hashToken } from '../../server/services/accounts';
import type { TestClient } from '../support/socket-client';
import { Harness, type TestServer } from '../support/test-server';

const h = new Harness();
let server: TestServer;
const GROUP_SIZE = 600;
const WAIT_MS = 30_000;

/** Users made directly in storage (see the header), each with one device token. */
async function bulkUsers(s: TestServer, prefix: string, n: number, firstId: number): Promise<Session[]> {
  const now = Date.now();
  const out: Session[] = [];
  for (let i = 0; i < n; i++) {
    const id = String(firstId + i);
    const username = `${prefix}${i}`;
    const token = randomBytes(32).toString('base64url');
    await s.storage.createUser({ id, username, displayName: username, passwordHash: 'not-a-real-hash', createdAt: now });
    const deviceId = String(firstId + 500_000 + i);
    await s.storage.createDevice({ id: deviceId, userId: id, name: 'bulk', tokenHash: hashToken(token), createdAt: now, lastActiveAt: now, expiresAt: now + 86_400_000, revokedAt: null });
    out.push({ token, deviceId, user: { id, username, displayName: username } });
  }
  return out;
}

/** Runs `fn` over `items` with at most `limit` at a time (connecting hundreds of sockets at once would stall two cores). */
async function pool<T, R>(items: readonly T[], limit: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i] as T, i);
      }
    }),
  );
  return out;
}

/** Every `room` push each socket got, and a way to wait until every socket got a given line. */
class RoomLog {
  readonly got = new Map<TestClient, Message[]>();
  /** conversationId#seq → how many sockets hold it. */
  private readonly holders = new Map<string, number>();
  private waiters: { ready: () => boolean; resolve: () => void }[] = [];

  watch(c: TestClient): void {
    this.got.set(c, []);
    c.socket.on(SOCKET_EVENTS.room, (payload: unknown) => {
      const m = MessageSchema.parse(payload);
      this.got.get(c)?.push(m);
      const key = `${m.conversationId}#${m.seq}`;
      this.holders.set(key, (this.holders.get(key) ?? 0) + 1);
      this.waiters = this.waiters.filter((w) => (w.ready() ? (w.resolve(), false) : true));
    });
  }

  /** Resolves when `count` sockets hold `conversationId#seq`. */
  held(conversationId: string, seq: number, count: number): Promise<void> {
    const ready = () => (this.holders.get(`${conversationId}#${seq}`) ?? 0) >= count;
    if (ready()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`timed out: ${this.holders.get(`${conversationId}#${seq}`) ?? 0}/${count} sockets got ${conversationId}#${seq}`)),
        WAIT_MS,
      );
      this.waiters.push({ ready, resolve: () => (clearTimeout(timer), resolve()) });
    });
  }
}

async function until(what: string, ready: () => Promise<boolean> | boolean): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  while (!(await ready())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20)); // polling a condition, not waiting for time to pass
  }
}

let sessions: Session[];
let sockets: TestClient[]; // one per member except `zed`, who is a full sync client
let zed: TidingsClient;
let zedSession: Session;
let groupId: string;
const rooms = new RoomLog();
const timings: Record<string, number> = {};

beforeAll(async () => {
  const t0 = performance.now();
  server = await h.start(); // inboxFanoutMax: the default 500
  sessions = await bulkUsers(server, 'member', GROUP_SIZE, 4_000_000_000);
  zedSession = sessions.pop() as Session;
  timings.usersMs = performance.now() - t0;
  const t1 = performance.now();
  sockets = await pool(sessions, 16, async (s) => {
    const c = await h.connect(server, s.token);
    rooms.watch(c);
    return c;
  });
  timings.connectMs = performance.now() - t1;
  zed = new TidingsClient({ ...zedSession, serverUrl: server.url }, { dbName: `group-fanout-zed-${Date.now()}`, socket: { reconnectionDelay: 50, reconnectionDelayMax: 200 } });
  await until('zed live', () => zed.engine.currentStatus === 'live');
}, 120_000);

afterAll(async () => {
  zed?.close();
  await h.close();
});

describe('big groups: room pushes and heads', () => {
  it('[GROUP-5] GRP-FAN-1: a 600-member group: every online member gets every line by room push, in one identical gapless seq order', async () => {
    const t0 = performance.now();
    const owner = sockets[0] as TestClient;
    const names = sessions.slice(1).map((s) => s.user.username);
    // At most 200 names a request: create with 199, then add the rest (Zed in the last batch).
    const created = await owner.request({ type: 'createGroup', name: 'Everyone', usernames: names.slice(0, 199) });
    groupId = created.conversation.id;
    await owner.request({ type: 'addMembers', conversationId: groupId, usernames: names.slice(199, 399) }); // seq 2
    await owner.request({ type: 'addMembers', conversationId: groupId, usernames: [...names.slice(399), zedSession.user.username] }); // seq 3
    const boot = await owner.request({ type: 'bootstrap' });
    expect(boot.conversations.find((c) => c.id === groupId)).toMatchObject({ memberCount: GROUP_SIZE, inboxFanout: false, lastSeq: 3 });
    // Zed, online when added, learns of the group and holds its own join line.
    // (The join line has a lower pts than the conversation event, so the row is complete
    // once both are applied.)
    await until('zed to know the group and hold its join line', async () => {
      const conv = await zed.db.conversations.get(groupId);
      return conv?.firstSeq === 3 && conv.inboxFanout === false && (await zed.db.messages.where({ conversationId: groupId }).count()) === 1;
    });
    expect(await zed.db.conversations.get(groupId)).toMatchObject({ kind: 'group', memberCount: GROUP_SIZE, role: 'member', ranges: [[3, 3]] });

    // Every socket joined the group's room when it was added (asked for heads: it is a big group now).
    await pool(sockets, 16, async (c) => {
      const { heads } = await c.request({ type: 'heads' });
      expect(heads.map((x) => [x.conversationId, x.lastSeq])).toEqual([[groupId, 3]]);
    });
    const pushesBefore = sockets.map((c) => c.pushes.length);

    // Five messages from three members at once, then a rename: seq 4..9.
    const senders = [sockets[0], sockets[17], sockets[401]] as TestClient[];
    const acks = await Promise.all(Array.from({ length: 5 }, (_, i) => (senders[i % 3] as TestClient).send(groupId, `hello ${i}`)));
    expect(acks.map((a) => a.seq).sort((a, b) => a - b)).toEqual([4, 5, 6, 7, 8]);
    await owner.request({ type: 'updateGroup', conversationId: groupId, name: 'Everyone!' }); // seq 9
    const tSent = performance.now();
    await rooms.held(groupId, 9, sockets.length);
    timings.fanoutMs = performance.now() - tSent;

    const truth = (await owner.request({ type: 'history', conversationId: groupId, limit: 50 })).messages.filter((m) => m.seq >= 4);
    expect(truth.map((m) => m.seq)).toEqual([4, 5, 6, 7, 8, 9]);
    for (const c of sockets) {
      // Sockets connected before the group existed got the `joined` line of the batch that
      // crossed the threshold too (seq 3), when they were in the room already.
      const seen = (rooms.got.get(c) ?? []).filter((m) => m.conversationId === groupId && m.seq >= 4);
      expect(seen).toEqual(truth);
    }
    // No inbox events for the group's new lines: the room is the only push path.
    await pool(sockets, 32, async (c) => c.request({ type: 'bootstrap' }));
    sockets.forEach((c, i) => {
      const fresh = c.pushes.slice(pushesBefore[i]);
      expect(fresh.filter((p) => p.event.type === 'message')).toEqual([]);
    });
    timings.test1Ms = performance.now() - t0;
  }, 120_000);

  it('[GROUP-5] GRP-FAN-2: a member that was offline catches up by itself on reconnect, by heads and history pulls: it holds every line from its join, gapless', async () => {
    const t0 = performance.now();
    await until('zed to hold seq 9 by room', async () => (await zed.db.messages.where({ conversationId: groupId }).count()) >= 7);
    zed.disconnect();
    await until('zed offline', () => !zed.transport.connected);

    // 60 lines while Zed is away: more than one history page (50), so the gap takes two pulls.
    const senders = [sockets[3], sockets[250], sockets[598]] as TestClient[];
    const acks = await Promise.all(Array.from({ length: 59 }, (_, i) => (senders[i % 3] as TestClient).send(groupId, `while zed is away ${i}`)));
    await (sockets[0] as TestClient).request({ type: 'updateGroup', conversationId: groupId, announcement: 'Zed missed this' });
    const head = Math.max(...acks.map((a) => a.seq)) + 1;
    expect(head).toBe(69);
    await rooms.held(groupId, head, sockets.length);
    expect(await zed.db.messages.where({ conversationId: groupId }).count()).toBe(7); // nothing reached it

    // Nothing is asked by hand: reconnecting alone must compare heads and pull the gap.
    const headsChecks = vi.spyOn(zed, 'syncRoomHeads');
    zed.connect();
    await until('zed to hold everything up to the head', async () => {
      const conv = await zed.db.conversations.get(groupId);
      return conv !== undefined && conv.lastSeq === head && holes(conv.ranges, conv.lastSeq).filter(([from]) => from >= 3).length === 0;
    });
    const stored = await zed.db.messages.where({ conversationId: groupId }).toArray();
    const truth = await (sockets[0] as TestClient).request({ type: 'history', conversationId: groupId, limit: 100 });
    const allowed = truth.messages.filter((m) => m.seq >= 3);
    const seqs = stored.map((m) => m.seq ?? -1).sort((a, b) => a - b);
    expect(seqs).toEqual(allowed.map((m) => m.seq)); // 3..69, each once: gapless, nothing from before its join
    const bySeq = new Map(stored.map((m) => [m.seq, m]));
    for (const m of allowed) expect(bySeq.get(m.seq), `seq ${m.seq}`).toMatchObject({ msgId: m.msgId, text: m.text, senderId: m.senderId, system: m.system });
    expect(await zed.db.conversations.get(groupId)).toMatchObject({ firstSeq: 3, lastSeq: head });
    expect(headsChecks).toHaveBeenCalledTimes(1); // by the reconnect
    headsChecks.mockRestore();
    timings.catchUpMs = performance.now() - t0;
  }, 120_000);

  it('[GROUP-5] GRP-FAN-3: below the threshold (50 members) the inbox path delivers: a push with pts to every member, no room push', async () => {
    const members = sockets.slice(100, 150);
    const owner = members[0] as TestClient;
    const g = (await owner.request({ type: 'createGroup', name: 'Fifty', usernames: sessions.slice(101, 150).map((s) => s.user.username) })).conversation;
    expect(g).toMatchObject({ memberCount: 50, inboxFanout: true });
    const ptsBefore = await pool(members, 16, async (c) => (await c.request({ type: 'bootstrap' })).pts);
    const ack = await (members[7] as TestClient).send(g.id, 'small group');
    await pool(members, 16, async (c, i) => {
      const entry = await c.pushWithPts((ptsBefore[i] as number) + 1);
      expect(entry.event).toMatchObject({ type: 'message', message: { conversationId: g.id, seq: ack.seq, text: 'small group' } });
    });
    // Nobody got it through the room, and the heads of small groups are not asked for.
    await pool(members, 16, async (c) => c.request({ type: 'bootstrap' }));
    for (const c of members) expect((rooms.got.get(c) ?? []).filter((m) => m.conversationId === g.id)).toEqual([]);
    expect((await owner.request({ type: 'heads' })).heads.map((x) => x.conversationId)).toEqual([groupId]);
  });

  it('[GROUP-6] GRP-FAN-4: a live room push whose seq skips ahead (the device missed some lines while connected) makes it fill the gap from history', async () => {
    await until('zed live', () => zed.engine.currentStatus === 'live');
    const before = (await zed.db.conversations.get(groupId))?.lastSeq ?? 0;
    // No reconnect, so no heads check: only the gap the live push reveals can fill the hole.
    const headsChecks = vi.spyOn(zed, 'syncRoomHeads');
    // Zed's room pushes are lost on the way for three lines.
    const dropped = vi.spyOn(zed.engine, 'onRoom').mockImplementation(() => {});
    const missed = [];
    for (let i = 0; i < 3; i++) missed.push(await (sockets[5] as TestClient).send(groupId, `zed misses this ${i}`));
    await rooms.held(groupId, before + 3, sockets.length);
    await until('zed to have been sent (and lost) the three lines', () => dropped.mock.calls.length === 3);
    dropped.mockRestore();
    expect((await zed.db.conversations.get(groupId))?.lastSeq).toBe(before);

    const next = await (sockets[6] as TestClient).send(groupId, 'zed gets this one');
    expect(next.seq).toBe(before + 4);
    await until('zed to fill the gap below the live line', async () => {
      const conv = await zed.db.conversations.get(groupId);
      return conv !== undefined && conv.lastSeq === next.seq && holes(conv.ranges, conv.lastSeq).filter(([from]) => from >= 3).length === 0;
    });
    const held = (await zed.db.messages.where({ conversationId: groupId }).toArray())
      .filter((m) => (m.seq ?? 0) > before)
      .sort((x, y) => (x.seq ?? 0) - (y.seq ?? 0));
    expect(held.map((m) => m.text)).toEqual([...missed.map((_, i) => `zed misses this ${i}`), 'zed gets this one']);
    expect(held.map((m) => m.msgId)).toEqual([...missed.map((a) => a.msgId), next.msgId]);
    expect(zed.transport.connected).toBe(true);
    expect(headsChecks).not.toHaveBeenCalled();
    headsChecks.mockRestore();
  });

  it('reports its timings', () => {
    console.info(`[group-fanout] timings (ms): ${JSON.stringify(Object.fromEntries(Object.entries(timings).map(([k, v]) => [k, Math.round(v)])))}`);
  });
});
