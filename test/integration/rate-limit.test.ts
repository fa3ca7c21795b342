/**
 * The per-socket request limiter: past `ratePoints` requests in `rateWindowS` seconds a socket
 * gets `rate_limited` (and nothing is done), while other sockets keep their own budget.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestError, type TestClient } from '../support/socket-client';
import { dbSnapshot, Harness, type TestServer } from '../support/test-server';

const POINTS = 5;
const h = new Harness();
let server: TestServer;
let alice: TestClient;
let bob: TestClient;
let conversationId: string;

beforeAll(async () => {
  // A window far longer than the test, so no point comes back while it runs.
  server = await h.start({ ratePoints: POINTS, rateWindowS: 3_600 });
  alice = (await h.user(server, 'alice')).client;
  bob = (await h.user(server, 'bob')).client;
  conversationId = (await bob.request({ type: 'openDirect', username: 'alice' })).conversation.id; // bob: 1 used
});
afterAll(() => h.close());

describe('rate limit', () => {
  it('[RATE-1] a socket past its budget gets rate_limited; the request does nothing and the socket stays open', async () => {
    for (let i = 0; i < POINTS - 1; i++) await alice.request({ type: 'bootstrap' });
    const last = await alice.send(conversationId, 'the last one that fits');
    expect(last.seq).toBe(1);
    const before = dbSnapshot(server.config.dataFile);
    const limited = await requestError(alice.socket, { type: 'send', conversationId, clientMsgId: randomUUID(), text: 'one too many' });
    expect(limited).toEqual({ code: 'rate_limited', message: expect.any(String) });
    // Bad requests are refused by the limiter too, before they are parsed.
    expect((await requestError(alice.socket, { type: 'nonsense' })).code).toBe('rate_limited');
    expect(dbSnapshot(server.config.dataFile)).toEqual(before);
    expect(alice.socket.connected).toBe(true);
  });

  it('[RATE-2] the budget is per socket: another socket (even of the same user) is still served', async () => {
    expect((await bob.send(conversationId, 'bob has budget left')).seq).toBe(2);
    const second = (await h.otherDevice(server, 'alice')).client;
    expect((await second.send(conversationId, 'from a fresh socket')).seq).toBe(3);
    expect((await requestError(alice.socket, { type: 'bootstrap' })).code).toBe('rate_limited');
  });
});
