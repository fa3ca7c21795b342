/**
 * Priority tiers end to end: while a 2,000-member group's messages are being fanned out on
 * its room (tier 3, in chunks of 100 sockets, one chunk per event-loop turn), a one-to-one
 * message sent in the middle of it reaches its recipient before the group fan-out is done.
 *
 * Scale, on two shared cores: all 2,000 members are online, one socket each, so one group
 * message is 20 chunks (rooms hold socket ids and chunks are cut by socket) and the 4 messages
 * sent make 80. (If this ever gets too heavy: SOCKETS_PER_USER > 1 keeps the fan-out cost,
 * which is per socket, with fewer accounts.) The members are created directly through
 * `server.storage.createUser` + `createDevice` with a token hash: 2,000 argon2 sign-ups would
 * take a minute and meet the per-address sign-up limit. The group itself is created through
 * `storage.createGroup` for the same reason (10 requests of 200 names each); every message,
 * push and the direct conversation go through the real socket protocol.
 *
 * What is measured, on the client side of the same sockets: the moment the direct message
 * arrives, and how many group sockets had received all the group's messages by then. With a
 * FIFO scheduler the direct message would wait behind all 80 chunks, and every group socket
 * would have everything first (checked: with every tier's work put in one queue this test
 * fails with 2,000 of 2,000 complete); with tiers it waits for at most one chunk.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MessageSchema, SOCKET_EVENTS, type Session } from '../../src/protocol';
import { hashToken } from '../../server/services/accounts';
import { FANOUT_CHUNK } from '../../server/socket/socket-server';
import type { TestClient } from '../support/socket-client';
import { Harness, type TestServer } from '../support/test-server';

const h = new Harness();
let server: TestServer;
const MEMBERS = 2_000;
const SOCKETS = 2_000;
const SOCKETS_PER_USER = 1;
const GROUP_MESSAGES = 4;
const WAIT_MS = 60_000;
const FIRST_ID = 6_000_000_000;

async function storageUser(s: TestServer, i: number, withDevice: boolean): Promise<Session> {
  const now = Date.now();
  const id = String(FIRST_ID + i);
  const username = `p${i}`;
  await s.storage.createUser({ id, username, displayName: username, passwordHash: 'not-a-real-hash', createdAt: now });
  const token = randomBytes(32).toString('base64url');
  const deviceId = String(FIRST_ID + 100_000 + i);
  if (withDevice) {
    await s.storage.createDevice({ id: deviceId, userId: id, name: 'bulk', tokenHash: hashToken(token), createdAt: now, lastActiveAt: now, expiresAt: now + 86_400_000, revokedAt: null });
  }
  return { token, deviceId, user: { id, username, displayName: username } };
}

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

function waitFor(what: string, ready: () => boolean, wake: Set<() => void>): Promise<void> {
  if (ready()) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const check = () => {
      if (!ready()) return;
      wake.delete(check);
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      wake.delete(check);
      reject(new Error(`timed out waiting for ${what}`));
    }, WAIT_MS);
    wake.add(check);
  });
}

let members: Session[];
let groupSockets: TestClient[];
let groupId: string;
const timings: Record<string, number> = {};

beforeAll(async () => {
  const t0 = performance.now();
  server = await h.start();
  const online = SOCKETS / SOCKETS_PER_USER;
  members = [];
  for (let i = 0; i < MEMBERS; i++) members.push(await storageUser(server, i, i < online));
  timings.usersMs = performance.now() - t0;
  let lineId = 0;
  const change = await server.storage.createGroup({
    conversationId: `g_${FIRST_ID}`,
    ownerId: (members[0] as Session).user.id,
    memberIds: members.slice(1).map((m) => m.user.id),
    name: 'Two thousand',
    now: Date.now(),
    ids: () => String(FIRST_ID + 900_000 + ++lineId),
  });
  groupId = change.conversationId;
  expect(change.memberCount).toBe(MEMBERS);
  const t1 = performance.now();
  const tokens = Array.from({ length: SOCKETS }, (_, i) => (members[i % online] as Session).token);
  groupSockets = await pool(tokens, 16, (token) => h.connect(server, token));
  timings.connectMs = performance.now() - t1;
}, 180_000);

afterAll(() => h.close());

describe('priority tiers', () => {
  it('[TIER-1] a one-to-one message sent while a 2,000-member group is being fanned out overtakes the rest of that fan-out', async () => {
    const t0 = performance.now();
    // Every group socket is in the room (a round trip after connecting proves the join ran).
    await pool(groupSockets, 32, async (c) => {
      const { heads } = await c.request({ type: 'heads' });
      expect(heads.map((x) => x.conversationId)).toEqual([groupId]);
    });
    const summary = (await (groupSockets[0] as TestClient).request({ type: 'bootstrap' })).conversations[0];
    expect(summary).toMatchObject({ id: groupId, memberCount: MEMBERS, inboxFanout: false });

    // The one-to-one pair: two more users outside the group, one socket each.
    const sam = await h.connect(server, (await storageUser(server, MEMBERS, true)).token);
    const dora = await storageUser(server, MEMBERS + 1, true);
    const doraSocket = await h.connect(server, dora.token);
    const direct = (await sam.request({ type: 'openDirect', username: dora.user.username })).conversation.id;
    const doraPtsBefore = (await doraSocket.request({ type: 'bootstrap' })).pts;

    // Arrival bookkeeping, all on the receiving side.
    const wake = new Set<() => void>();
    const notify = () => {
      for (const w of [...wake]) w();
    };
    const lastSeq = summary?.lastSeq ?? 0;
    const finalSeq = lastSeq + GROUP_MESSAGES;
    let startedFanout = 0; // sockets that got the first group message
    let complete = 0; // sockets that got every group message
    const completedAt: number[] = [];
    let directAt: number | null = null;
    let completeWhenDirectArrived = -1;
    for (const c of groupSockets) {
      c.socket.on(SOCKET_EVENTS.room, (payload: unknown) => {
        const m = MessageSchema.parse(payload);
        if (m.conversationId !== groupId) return;
        if (m.seq === lastSeq + 1) startedFanout++;
        if (m.seq === finalSeq) {
          complete++;
          completedAt.push(performance.now());
        }
        notify();
      });
    }
    doraSocket.socket.on(SOCKET_EVENTS.push, (payload: { pts: number }) => {
      if (payload.pts !== doraPtsBefore + 1 || directAt !== null) return;
      directAt = performance.now();
      completeWhenDirectArrived = complete;
      notify();
    });

    // The group's messages, from four members at once: 4 × (SOCKETS / FANOUT_CHUNK) chunks on tier 3.
    const acks = await Promise.all(
      Array.from({ length: GROUP_MESSAGES }, (_, i) => (groupSockets[i * SOCKETS_PER_USER + i] as TestClient).send(groupId, `to everyone ${i}`)),
    );
    expect(acks.map((a) => a.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: GROUP_MESSAGES }, (_, i) => lastSeq + 1 + i));
    // The fan-out has begun: at least one socket got the first line. Now the direct message.
    await waitFor('the group fan-out to start', () => startedFanout > 0, wake);
    const sentAt = performance.now();
    const completeWhenSent = complete;
    const ack = await sam.send(direct, 'just for you');
    await waitFor('the direct message', () => directAt !== null, wake);
    await waitFor('every group socket to get every group message', () => complete === SOCKETS, wake);
    const pushed = doraSocket.pushes.find((p) => p.pts === doraPtsBefore + 1);
    expect(pushed?.event).toMatchObject({ type: 'message', message: { conversationId: direct, seq: ack.seq, text: 'just for you' } });

    const lastGroupArrival = Math.max(...completedAt);
    timings.directLatencyMs = (directAt ?? 0) - sentAt;
    timings.groupFanoutMs = lastGroupArrival - sentAt;
    timings.testMs = performance.now() - t0;
    console.info(
      `[priority] sockets=${SOCKETS} members=${MEMBERS} chunks=${GROUP_MESSAGES * Math.ceil(SOCKETS / FANOUT_CHUNK)}; ` +
        `complete when direct sent=${completeWhenSent}, when direct arrived=${completeWhenDirectArrived}; ` +
        `direct arrived ${Math.round(timings.directLatencyMs)} ms after sending, last group socket ${Math.round(timings.groupFanoutMs)} ms; ` +
        `timings (ms) ${JSON.stringify(Object.fromEntries(Object.entries(timings).map(([k, v]) => [k, Math.round(v)])))}`,
    );
    // The direct message got through while the group's fan-out was still in progress: fewer
    // than all group sockets had the group's messages, and the last of them got it later.
    expect(completeWhenDirectArrived).toBeGreaterThanOrEqual(0);
    expect(completeWhenDirectArrived).toBeLessThan(SOCKETS);
    expect(directAt).not.toBeNull();
    expect(directAt as unknown as number).toBeLessThan(lastGroupArrival);
  }, 180_000);
});
