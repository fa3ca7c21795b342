/**
 * Two server nodes behind one PostgreSQL and one Redis, as `TIDINGS_DATABASE_URL` and
 * `TIDINGS_REDIS_URL` set them up: a device on either node gets what happens on the other at
 * once (pushes, big-group room lines, typing), a big group's member put out on one node is out
 * of its room on both, and signing a device out on one node cuts its socket on the other.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SOCKET_EVENTS, type Message, type Presence, type TypingEvent } from '../../src/protocol';
import { redisReachable, TEST_REDIS_URL } from '../../server/scale/testing';
import { dropSchemas, pgTestsCanRun, TEST_DATABASE_URL, throwawaySchema } from '../../server/storage/postgres/testing';
import type { TestClient } from '../support/socket-client';
import { Harness, type TestServer } from '../support/test-server';
import { Waiters } from '../support/waiters';

const canRun = (await pgTestsCanRun('two-nodes.test')) && (await redisReachable());
const schema = throwawaySchema('tidings_nodes');
const h = new Harness();
let a: TestServer;
let b: TestServer;

/** Records one kind of event on a socket, to wait for. */
function listen<T>(client: TestClient, event: string) {
  const seen: T[] = [];
  const waiters = new Waiters(5_000);
  client.socket.on(event, (payload: T) => {
    seen.push(payload);
    waiters.wake();
  });
  return { seen, until: (ready: (all: T[]) => boolean, what: string) => waiters.until(() => ready(seen), what) };
}

type RoomLog = ReturnType<typeof listen<Message>>;

beforeAll(async () => {
  if (!canRun) return;
  // One Redis prefix for this run: other test runs on the same Redis are other deployments.
  const shared = {
    databaseUrl: TEST_DATABASE_URL,
    databaseSchema: schema,
    redisUrl: TEST_REDIS_URL,
    redisPrefix: `tidings-test-${randomBytes(4).toString('hex')}`,
    inboxFanoutMax: 3,
  };
  a = await h.start({ ...shared, nodeId: 1 });
  b = await h.start({ ...shared, nodeId: 2 });
});

afterAll(async () => {
  await h.close();
  if (canRun) await dropSchemas([schema]);
});

describe.skipIf(!canRun && !process.env.CI)('two nodes: PostgreSQL + Redis', () => {
  it('[SCALE-2] a message sent on one node is pushed at once to devices on the other, and typing crosses too', async () => {
    if (!canRun) expect.fail(`PostgreSQL (${TEST_DATABASE_URL}) or Redis (${TEST_REDIS_URL}) is unreachable; CI must start them`);
    const alice = await h.user(a, 'alice');
    const bob = await h.user(b, 'bob');
    const aliceOnB = (await h.otherDevice(b, 'alice')).client;
    const { conversation } = await alice.client.request({ type: 'openDirect', username: 'bob' });
    const heads = await Promise.all([bob.client, aliceOnB].map(async (c) => (await c.request({ type: 'bootstrap' })).pts));
    const ack = await alice.client.send(conversation.id, 'across the nodes');
    // Bob on node B, and Alice's own other device on node B, get the push without pulling.
    for (const [i, c] of [bob.client, aliceOnB].entries()) {
      const [p] = await c.pushesFrom(heads[i] ?? 0, 1);
      expect(p?.event).toMatchObject({ type: 'message', message: { msgId: ack.msgId, seq: ack.seq, text: 'across the nodes' } });
    }
    const typing = listen<TypingEvent>(alice.client, SOCKET_EVENTS.typing);
    await bob.client.request({ type: 'typing', conversationId: conversation.id });
    await typing.until((all) => all.some((t) => t.userId === bob.userId), 'Bob typing, seen on node A');
  });

  it('[SCALE-3] a big group (room path) reaches its members on both nodes, each line once, in one seq order', async () => {
    const owner = await h.user(a, 'olga');
    const members = [await h.user(a, 'pia'), await h.user(b, 'quinn'), await h.user(b, 'rosa')];
    const { conversation } = await owner.client.request({ type: 'createGroup', name: 'Big', usernames: ['pia', 'quinn', 'rosa'] });
    expect(conversation.inboxFanout).toBe(false);
    // Room membership is joined on connect; these sockets were connected before the group existed,
    // and joined its room when it was created, on whichever node they are.
    const rooms = members.map((m) => listen<Message>(m.client, SOCKET_EVENTS.room));
    const acks = [];
    for (let i = 0; i < 5; i++) acks.push(await (i % 2 ? members[1]! : owner).client.send(conversation.id, `line ${i}`));
    for (const room of rooms) {
      await room.until((all) => all.filter((m) => m.conversationId === conversation.id && m.system === null).length >= 5, 'five room lines');
      const lines = room.seen.filter((m) => m.conversationId === conversation.id && m.system === null);
      expect(lines.map((m) => m.seq)).toEqual(acks.map((x) => x.seq));
    }
  });

  it('[SCALE-6][GROUP-3][GROUP-8] a big group member removed on one node gets no more room lines on either node', async () => {
    const owner = await h.user(a, 'wes');
    const xia = await h.user(a, 'xia');
    const yan = await h.user(b, 'yan');
    const ada = await h.user(b, 'ada');
    const zoe = await h.user(b, 'zoe');
    const zoeOnA = (await h.otherDevice(a, 'zoe')).client;
    // Five members: still big (3) once Zoe is out.
    const { conversation } = await owner.client.request({ type: 'createGroup', name: 'Big', usernames: ['xia', 'yan', 'ada', 'zoe'] });
    const g = conversation.id;
    const seqs = (r: { seen: Message[] }) => r.seen.filter((m) => m.conversationId === g).map((m) => m.seq);
    const [onXia, onAda] = [xia, ada].map((u) => listen<Message>(u.client, SOCKET_EVENTS.room)) as [RoomLog, RoomLog];
    const zoes = [listen<Message>(zoe.client, SOCKET_EVENTS.room), listen<Message>(zoeOnA, SOCKET_EVENTS.room)];
    await owner.client.request({ type: 'removeMember', conversationId: g, userId: zoe.userId }); // 2
    for (const z of zoes) await z.until(() => seqs(z).includes(2), 'the line that removes Zoe, on both nodes');
    // Node A sends the room-leave before the next line on one ordered channel: when Ada on node B
    // has line 3, node B took Zoe's socket out of the room first.
    await owner.client.send(g, 'from node A'); // 3
    await onAda.until(() => seqs(onAda).includes(3), 'line 3 on node B');
    await yan.client.send(g, 'from node B'); // 4
    await onXia.until(() => seqs(onXia).includes(4), 'line 4 on node A');
    await onAda.until(() => seqs(onAda).includes(4), 'line 4 on node B');
    // Anything pushed to Zoe's sockets before these replies has arrived.
    for (const c of [zoe.client, zoeOnA]) await c.request({ type: 'bootstrap' });
    for (const z of zoes) expect(seqs(z).filter((s) => s > 2)).toEqual([]);
    expect((await zoe.client.request({ type: 'heads' })).heads.map((x) => x.conversationId)).not.toContain(g);
  });

  it('[SCALE-4] signing a device out on one node cuts its socket on the other at once', async () => {
    const sam = await h.user(a, 'sam');
    const other = await h.otherDevice(b, 'sam');
    await sam.client.request({ type: 'revokeDevice', deviceId: other.session.deviceId });
    expect(await other.client.disconnected()).toBe('io server disconnect');
    expect(other.client.revokedWith).toMatchObject({ code: 'unauthorized' });
  });

  it('[SCALE-5] presence is the same on every node: online while connected to any, offline once gone from all', async () => {
    const uma = await h.user(a, 'uma');
    const vic = await h.user(b, 'vic');
    await uma.client.request({ type: 'openDirect', username: 'vic' });
    const state = async () => (await uma.client.request({ type: 'presence', userIds: [vic.userId] })).presence[0]?.state;
    // Vic is connected to node B only; Uma asks node A.
    expect(await state()).toBe('online');
    const vicOnA = (await h.otherDevice(a, 'vic')).client;
    const heard = listen<Presence>(uma.client, SOCKET_EVENTS.presence);
    vic.client.close();
    expect(await state()).toBe('online');
    vicOnA.close();
    await heard.until((all) => all.some((p) => p.userId === vic.userId && p.state === 'offline'), 'Vic offline, pushed to node A');
    expect(await state()).toBe('offline');
  });
});
