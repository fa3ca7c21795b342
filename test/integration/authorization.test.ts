/**
 * Membership is the only way into a conversation: a user outside it can neither send, read
 * history nor mark delivered, gets the same `not_found` as for a conversation that does not
 * exist (membership cannot be probed), and nothing in the database changes.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { directConversationId, type ProtocolError } from '../../src/protocol';
import { requestError, type TestClient } from '../support/socket-client';
import { dbSnapshot, Harness, type TestServer } from '../support/test-server';

const h = new Harness();
let server: TestServer;
let alice: { userId: string; client: TestClient };
let bob: { userId: string; client: TestClient };
let mallory: { userId: string; client: TestClient };
let conversationId: string;
let aliceClientMsgId: string;

const NOT_FOUND: ProtocolError = { code: 'not_found', message: expect.any(String) as unknown as string };

beforeAll(async () => {
  server = await h.start();
  alice = await h.user(server, 'alice');
  bob = await h.user(server, 'bob');
  mallory = await h.user(server, 'mallory');
  conversationId = (await alice.client.request({ type: 'openDirect', username: 'bob' })).conversation.id;
  aliceClientMsgId = randomUUID();
  await alice.client.send(conversationId, 'private', aliceClientMsgId);
  await bob.client.send(conversationId, 'very private');
});
afterAll(() => h.close());

/** Every request a non-member might try against one conversation id. */
const attempts = (id: string) => [
  { type: 'send', conversationId: id, clientMsgId: randomUUID(), text: 'let me in' },
  // Replaying a member's clientMsgId must not reveal the member's message either.
  { type: 'send', conversationId: id, clientMsgId: aliceClientMsgId, text: 'let me in' },
  { type: 'history', conversationId: id, limit: 50 },
  { type: 'history', conversationId: id, limit: 50, beforeSeq: 2 },
  { type: 'delivered', conversationId: id, seq: 1 },
];

describe('authorization', () => {
  it('[AUTHZ-1] a non-member cannot send to, read or mark delivered in a conversation: not_found, nothing changes', async () => {
    const before = dbSnapshot(server.config.dataFile);
    const heads = [await alice.client.request({ type: 'bootstrap' }), await bob.client.request({ type: 'bootstrap' })].map((b) => b.pts);
    for (const req of attempts(conversationId)) {
      expect(await requestError(mallory.client.socket, req), req.type).toEqual(NOT_FOUND);
    }
    expect(dbSnapshot(server.config.dataFile)).toEqual(before);
    // No event reached the members either.
    expect([await alice.client.request({ type: 'bootstrap' }), await bob.client.request({ type: 'bootstrap' })].map((b) => b.pts)).toEqual(heads);
  });

  it('[AUTHZ-2] the answer is identical to the one for a conversation that does not exist', async () => {
    const missing = [directConversationId('1', '2'), directConversationId(alice.userId, mallory.userId), 'g_123456789'];
    for (const [i, req] of attempts(conversationId).entries()) {
      const forReal = await requestError(mallory.client.socket, req);
      for (const id of missing) {
        const forMissing = await requestError(mallory.client.socket, attempts(id)[i]);
        expect(forMissing, `${req.type} ${id}`).toEqual(forReal);
      }
    }
    // Members asking about a missing conversation get the same answer too.
    expect(await requestError(alice.client.socket, attempts(missing[0]!)[2])).toEqual(await requestError(mallory.client.socket, attempts(conversationId)[2]));
  });

  it('[AUTHZ-3] a non-member sees nothing of the conversation in bootstrap or sync', async () => {
    const boot = await mallory.client.request({ type: 'bootstrap' });
    expect(boot.conversations).toEqual([]);
    expect(boot.users.map((u) => u.username)).toEqual(['mallory']);
    expect(await mallory.client.request({ type: 'sync', sincePts: 0 })).toEqual({ status: 'ok', entries: [], pts: 0, more: false });
    expect(mallory.client.pushes).toEqual([]);
  });

  it('[AUTHZ-4] opening a chat with oneself is a bad_request; with an unknown user not_found; neither writes', async () => {
    const before = dbSnapshot(server.config.dataFile);
    expect((await requestError(mallory.client.socket, { type: 'openDirect', username: 'mallory' })).code).toBe('bad_request');
    expect((await requestError(mallory.client.socket, { type: 'openDirect', username: 'nobody' })).code).toBe('not_found');
    expect(dbSnapshot(server.config.dataFile)).toEqual(before);
  });

  it('[AUTHZ-5] a conversation of one\'s own with a member is a different conversation, and the first stays closed', async () => {
    const own = (await mallory.client.request({ type: 'openDirect', username: 'alice' })).conversation.id;
    expect(own).not.toBe(conversationId);
    const ack = await mallory.client.send(own, 'hi alice');
    expect(ack.seq).toBe(1);
    expect(await requestError(mallory.client.socket, attempts(conversationId)[0])).toEqual(NOT_FOUND);
    const { messages } = await alice.client.request({ type: 'history', conversationId, limit: 50 });
    expect(messages.map((m) => m.text)).toEqual(['private', 'very private']);
  });
});
