/**
 * Bad input changes nothing: every malformed request gets a typed `bad_request` reply, the
 * database is byte-for-byte the same afterwards, and the server (and the same socket) keeps
 * serving.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS, SOCKET_EVENTS } from '../../src/protocol';
import { requestError, type TestClient } from '../support/socket-client';
import { countRows, dbSnapshot, Harness, type TestServer } from '../support/test-server';

const h = new Harness();
let server: TestServer;
let alice: TestClient;
let bob: TestClient;
let conversationId: string;
let head: number;

beforeAll(async () => {
  server = await h.start();
  alice = (await h.user(server, 'alice')).client;
  bob = (await h.user(server, 'bob')).client;
  conversationId = (await alice.request({ type: 'openDirect', username: 'bob' })).conversation.id;
  for (let i = 0; i < 3; i++) await alice.send(conversationId, `fine ${i}`);
  head = (await alice.request({ type: 'bootstrap' })).pts;
});
afterAll(() => h.close());

const send = (over: Record<string, unknown>) => ({ type: 'send', conversationId, clientMsgId: randomUUID(), text: 'hi', ...over });

/** Each case: a label naming the rule it breaks, and the payload. */
const CASES: [string, () => unknown][] = [
  // not a request at all
  ['null payload', () => null],
  ['a string', () => 'send hi'],
  ['a number', () => 42],
  ['an array', () => [send({})]],
  ['no type', () => ({ conversationId, text: 'hi' })],
  ['unknown type', () => ({ type: 'purge', conversationId, seq: 1 })],
  ['type of the wrong type', () => ({ type: 7 })],
  // wrong types
  ['text is a number', () => send({ text: 12345 })],
  ['text is an object', () => send({ text: { toString: 'hi' } })],
  ['conversationId is a number', () => send({ conversationId: 12 })],
  ['malformed conversationId', () => send({ conversationId: "d_1_2'; DROP TABLE messages;--" })],
  ['clientMsgId not a UUID', () => send({ clientMsgId: 'retry-1' })],
  ['missing clientMsgId', () => ({ type: 'send', conversationId, text: 'hi' })],
  // extra keys
  ['extra key on send', () => send({ senderId: '1' })],
  ['extra key seq on send', () => send({ seq: 1 })],
  ['extra key on bootstrap', () => ({ type: 'bootstrap', all: true })],
  ['own __proto__ key', () => JSON.parse(`{"type":"sync","sincePts":0,"__proto__":{"limit":1}}`) as unknown],
  // text
  ['empty text', () => send({ text: '' })],
  ['whitespace-only text', () => send({ text: ' \t\n \u3000 ' })],
  ['text over 4000 code points (ASCII)', () => send({ text: 'a'.repeat(LIMITS.textMaxChars + 1) })],
  ['text over 4000 code points (astral)', () => send({ text: '😀'.repeat(LIMITS.textMaxChars + 1) })],
  ['lone high surrogate', () => send({ text: 'broken \ud800 text' })],
  ['lone low surrogate', () => send({ text: '\udc00' })],
  ['swapped surrogate pair', () => send({ text: 'x\ude00\ud83dx' })],
  ['NUL', () => send({ text: 'a\u0000b' })],
  ['other control character', () => send({ text: 'bell \u0007' })],
  ['escape character', () => send({ text: '\u001b[31mred' })],
  // numbers
  ['negative seq', () => ({ type: 'delivered', conversationId, seq: -1 })],
  ['zero seq', () => ({ type: 'delivered', conversationId, seq: 0 })],
  ['fractional seq', () => ({ type: 'delivered', conversationId, seq: 1.5 })],
  ['seq as a string', () => ({ type: 'delivered', conversationId, seq: '2' })],
  ['seq past 2^53', () => ({ type: 'delivered', conversationId, seq: 2 ** 53 + 2 })],
  ['negative beforeSeq', () => ({ type: 'history', conversationId, limit: 10, beforeSeq: -5 })],
  ['fractional beforeSeq', () => ({ type: 'history', conversationId, limit: 10, beforeSeq: 2.5 })],
  ['history without limit', () => ({ type: 'history', conversationId })],
  ['history limit 0', () => ({ type: 'history', conversationId, limit: 0 })],
  ['history limit over the page maximum', () => ({ type: 'history', conversationId, limit: LIMITS.historyPageMax + 1 })],
  ['negative sincePts', () => ({ type: 'sync', sincePts: -1 })],
  ['fractional sincePts', () => ({ type: 'sync', sincePts: 0.5 })],
  ['sync limit over the page maximum', () => ({ type: 'sync', sincePts: 0, limit: LIMITS.syncPageMax + 1 })],
  ['sincePts ahead of the inbox', () => ({ type: 'sync', sincePts: head + 1 })],
  ['sincePts far ahead of the inbox', () => ({ type: 'sync', sincePts: Number.MAX_SAFE_INTEGER })],
  ['openDirect with a bad user name', () => ({ type: 'openDirect', username: 'x' })],
];

describe('bad input', () => {
  it.each(CASES)('[INPUT-1] %s: bad_request, nothing stored, nothing pushed', async (_label, payload) => {
    const before = dbSnapshot(server.config.dataFile);
    const error = await requestError(alice.socket, payload());
    expect(error.code).toBe('bad_request');
    expect(error.message.length).toBeGreaterThan(0);
    expect(dbSnapshot(server.config.dataFile)).toEqual(before);
  });

  it('[INPUT-2] after all of that, the same sockets are served and the counts moved only by the good message', async () => {
    expect(countRows(server.config.dataFile, 'messages')).toBe(3);
    expect(alice.socket.connected).toBe(true);
    const ack = await alice.send(conversationId, 'still here');
    expect(ack.seq).toBe(4);
    // Bob's next event is exactly the next pts: the bad requests pushed nothing.
    const [p] = await bob.pushesFrom(head, 1);
    expect(p?.event).toMatchObject({ type: 'message', message: { seq: 4, text: 'still here' } });
    expect(bob.pushes.map((x) => x.pts)).toEqual(Array.from({ length: head + 1 }, (_, i) => i + 1));
    expect(countRows(server.config.dataFile, 'messages')).toBe(4);
  });

  it('[INPUT-3] the limits are inclusive: 4000 code points (astral, 8000 UTF-16 units) are accepted and stored exactly', async () => {
    const text = '😀'.repeat(LIMITS.textMaxChars);
    const ack = await alice.send(conversationId, text);
    const { messages } = await bob.request({ type: 'history', conversationId, limit: 1 });
    expect(messages[0]).toMatchObject({ msgId: ack.msgId, text });
    const page = await bob.request({ type: 'history', conversationId, limit: LIMITS.historyPageMax });
    expect(page.messages).toHaveLength(5);
  });

  it('[INPUT-4] a request without an ack callback is ignored: nothing stored, socket still served', async () => {
    const before = dbSnapshot(server.config.dataFile);
    alice.socket.emit(SOCKET_EVENTS.request, send({ text: 'fire and forget' }));
    // A round trip on the same socket: the server handled the frame above before this one.
    expect((await alice.request({ type: 'bootstrap' })).pts).toBeGreaterThan(0);
    expect(dbSnapshot(server.config.dataFile)).toEqual(before);
  });

  it('[INPUT-5] a frame above the size limit closes only that socket; everyone else is served', async () => {
    const extra = await h.otherDevice(server, 'alice');
    const before = dbSnapshot(server.config.dataFile);
    extra.client.socket.emit(SOCKET_EVENTS.request, send({ text: 'x'.repeat(LIMITS.maxFrameBytes + 1) }), () => undefined);
    expect(await extra.client.disconnected()).toBe('transport close');
    expect(dbSnapshot(server.config.dataFile)).toEqual(before);
    expect((await alice.send(conversationId, 'unaffected')).seq).toBe(6);
  });
});
