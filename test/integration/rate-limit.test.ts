/**
 * The per-socket request limiter: past `ratePoints` requests in `rateWindowS` seconds a socket
 * gets `rate_limited` (and nothing is done), while other sockets keep their own budget.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectRefused, handshakeAuth, requestError, type TestClient } from '../support/socket-client';
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

describe('rate limit across devices and connections', () => {
  it('[RATE-3] the per-user budget is shared by all of a user\'s devices', async () => {
    const s = await h.start({ ratePoints: 100, userRatePoints: 4, rateWindowS: 3_600 });
    const first = (await h.user(s, 'carol')).client;
    const second = (await h.otherDevice(s, 'carol')).client;
    for (let i = 0; i < 2; i++) await first.request({ type: 'bootstrap' });
    for (let i = 0; i < 2; i++) await second.request({ type: 'bootstrap' });
    expect((await requestError(first.socket, { type: 'bootstrap' })).code).toBe('rate_limited');
    expect((await requestError(second.socket, { type: 'bootstrap' })).code).toBe('rate_limited');
    // Someone else is not affected.
    const dave = (await h.user(s, 'dave')).client;
    expect((await dave.request({ type: 'bootstrap' })).pts).toBe(0);
  });

  it('[RATE-4] new connections per client address are limited; the refusal is a typed error', async () => {
    const s = await h.start({ connectsPerMinute: 3 });
    const erin = await h.user(s, 'erin'); // connection 1
    await h.connect(s, erin.session.token); // 2
    await h.connect(s, erin.session.token); // 3
    const refused = await connectRefused(s.url, { auth: handshakeAuth(erin.session.token), transports: ['websocket'] });
    expect(refused).toMatchObject({ code: 'rate_limited' });
  });
});
