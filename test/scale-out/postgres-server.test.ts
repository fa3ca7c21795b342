/**
 * Real servers on PostgreSQL (TIDINGS_DATABASE_URL): the same requests as on the SQLite file,
 * data that outlives a restart, and two nodes on one database that agree on every seq. Pushes
 * between nodes need Redis (a later step); here a device on the other node gets what it missed
 * by the pull every device does anyway.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { dropSchemas, pgTestsCanRun, TEST_DATABASE_URL, throwawaySchema } from '../../server/storage/postgres/testing';
import { Harness } from '../support/test-server';

const canRun = await pgTestsCanRun('postgres-server.test');
const schema = throwawaySchema('tidings_it');
const h = new Harness();
const onPostgres = (nodeId: number) => h.start({ databaseUrl: TEST_DATABASE_URL, databaseSchema: schema, nodeId });

afterAll(async () => {
  await h.close();
  if (canRun) await dropSchemas([schema]);
});

describe.skipIf(!canRun && !process.env.CI)('a server on PostgreSQL', () => {
  it('[SCALE-1] two nodes on one database: one seq order, replays across nodes stored once, each device pulls everything; a restarted node keeps it all', async () => {
    if (!canRun) expect.fail(`PostgreSQL is unreachable at ${TEST_DATABASE_URL}; CI must start it`);
    const a = await onPostgres(1);
    const b = await onPostgres(2);
    const alice = await h.user(a, 'alice');
    const bob = await h.user(b, 'bob');
    const { conversation } = await alice.client.request({ type: 'openDirect', username: 'bob' });
    // Alice sends through node A, Bob through node B, at the same time; some of Alice's are
    // retried through node B with the same clientMsgId (a reconnect to another node).
    const aliceOnB = (await h.otherDevice(b, 'alice')).client;
    const ids = Array.from({ length: 20 }, () => randomUUID());
    const acks = await Promise.all([
      ...ids.map((id, i) => alice.client.send(conversation.id, `from alice ${i}`, id)),
      ...ids.filter((_, i) => i % 3 === 0).map((id, i) => aliceOnB.send(conversation.id, `retried ${i}`, id)),
      ...Array.from({ length: 20 }, (_, i) => bob.client.send(conversation.id, `from bob ${i}`)),
    ]);
    const stored = new Map(acks.map((ack) => [ack.msgId, ack.seq]));
    expect(stored.size).toBe(40);
    expect([...stored.values()].sort((x, y) => x - y)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    // The node ids keep message ids apart.
    expect(new Set(acks.map((ack) => ack.msgId)).size).toBe(40);

    const onA = await alice.client.request({ type: 'history', conversationId: conversation.id, limit: 100 });
    const onB = await bob.client.request({ type: 'history', conversationId: conversation.id, limit: 100 });
    expect(onB.messages).toEqual(onA.messages);
    expect(onA.messages.map((m) => m.seq)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));

    // Bob's device pulls his inbox on node B: every message, in pts order, none twice.
    const page = await bob.client.request({ type: 'sync', sincePts: 0, limit: 500 });
    if (page.status !== 'ok') throw new Error('tooLong');
    const pulled = page.entries.flatMap((e) => (e.event.type === 'message' ? [e.event.message.seq] : []));
    expect(pulled).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));

    // Node A restarts on the same database; the conversation is whole.
    await h.stop(a);
    const again = await onPostgres(1);
    const back = (await h.otherDevice(again, 'alice')).client;
    const after = await back.request({ type: 'history', conversationId: conversation.id, limit: 100 });
    expect(after.messages).toEqual(onA.messages);
    const next = await back.send(conversation.id, 'after the restart');
    expect(next.seq).toBe(41);
  });
});
