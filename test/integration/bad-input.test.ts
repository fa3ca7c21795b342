/**
 * Bad input changes nothing: every malformed request gets a typed `bad_request` reply, the
 * database is byte-for-byte the same afterwards, and the server (and the same socket) keeps
 * serving. Some cases are raw socket.io frames, for JSON that JSON.stringify cannot write
 * (`1e999` parses to Infinity). The count of cases tried is printed.
 */
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS, ProtocolErrorSchema, SOCKET_EVENTS, type ProtocolError } from '../../src/protocol';
import { rawFrameRequest } from '../hostile/raw-frame';
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
let tried = 0;
afterAll(async () => {
  console.log(`bad input: ${tried} table cases tried (${CASES.length} refusals with the database unchanged, plus what NFC/NFD and bidi text store and a literal NaN frame); the server never went down`);
  await h.close();
});

/** A payload sent as this exact JSON text in a raw frame (for tokens such as `1e999`). */
class Raw {
  constructor(readonly json: string) {}
}
const raw = (json: string) => new Raw(json);

/** The typed error a payload (or a raw frame) gets. */
async function refusal(payload: unknown): Promise<ProtocolError> {
  if (!(payload instanceof Raw)) return requestError(alice.socket, payload);
  const reply = await rawFrameRequest(alice.socket, payload.json);
  if (reply.ok) throw new Error(`expected an error, got ${JSON.stringify(reply.result)}`);
  return ProtocolErrorSchema.parse(reply.error) as ProtocolError;
}

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
  // spoofing and invisible text (message text may carry bidi controls: see INPUT-6)
  ['right-to-left override in a display name', () => ({ type: 'profile', displayName: 'admin\u202egnp.exe' })],
  ['right-to-left override in a group name', () => ({ type: 'createGroup', name: '\u202eBank support', usernames: ['bob'] })],
  ['left-to-right isolate in a display name', () => ({ type: 'profile', displayName: '\u2066bob\u2069' })],
  ['zero-width flood as the whole text', () => send({ text: '\u200b'.repeat(500) })],
  ['zero-width joiners, word joiners and BOMs only', () => send({ text: '\u200d\u2060\ufeff'.repeat(100) })],
  ['zero-width space inside a display name', () => ({ type: 'profile', displayName: 'b\u200bob' })],
  ['combining-mark flood in text', () => send({ text: `Z${'\u0336\u0337\u0338'.repeat(6)}algo` })],
  ['combining-mark flood in a display name', () => ({ type: 'profile', displayName: `a${'\u0301'.repeat(17)}` })],
  ['combining-mark flood in an announcement', () => ({ type: 'updateGroup', conversationId, announcement: `x${'\u0489'.repeat(40)}` })],
  // NaN and Infinity: JSON cannot write them, so a client sends null; a raw frame can say 1e999
  ['seq 1e999 (Infinity) in a raw frame', () => raw(`{"type":"delivered","conversationId":"${conversationId}","seq":1e999}`)],
  ['sincePts -1e999 (-Infinity) in a raw frame', () => raw('{"type":"sync","sincePts":-1e999}')],
  ['history limit 1e999 in a raw frame', () => raw(`{"type":"history","conversationId":"${conversationId}","limit":1e999}`)],
  ['seq 1e-400 (parses to 0) in a raw frame', () => raw(`{"type":"delivered","conversationId":"${conversationId}","seq":1e-400}`)],
  ['seq 15e-1 (1.5 in exponent form) in a raw frame', () => raw(`{"type":"read","conversationId":"${conversationId}","seq":15e-1}`)],
  ['seq NaN (JSON writes null)', () => ({ type: 'delivered', conversationId, seq: Number.NaN })],
  ['seq "NaN"', () => ({ type: 'delivered', conversationId, seq: 'NaN' })],
  ['seq "Infinity"', () => ({ type: 'read', conversationId, seq: 'Infinity' })],
  ['sincePts Infinity (JSON writes null)', () => ({ type: 'sync', sincePts: Infinity })],
  // fractional and negative seq, on every request that takes one
  ['negative seq on read', () => ({ type: 'read', conversationId, seq: -1 })],
  ['fractional seq on read', () => ({ type: 'read', conversationId, seq: 2.5 })],
  ['negative seq on markUnread', () => ({ type: 'markUnread', conversationId, seq: -3 })],
  ['fractional seq on markUnread', () => ({ type: 'markUnread', conversationId, seq: 1.0000001 })],
  ['negative seq on recall', () => ({ type: 'recall', conversationId, seq: -1 })],
  ['fractional seq on recall', () => ({ type: 'recall', conversationId, seq: 1.5 })],
  ['negative replyToSeq', () => send({ replyToSeq: -2 })],
  ['fractional replyToSeq', () => send({ replyToSeq: 0.5 })],
  ['seq -0.5', () => ({ type: 'delivered', conversationId, seq: -0.5 })],
  // sincePts from the future
  ['sincePts 2^53', () => ({ type: 'sync', sincePts: 2 ** 53 })],
  ['sincePts one past the head, with a limit', () => ({ type: 'sync', sincePts: head + 1, limit: 1 })],
];

describe('bad input', () => {
  it.each(CASES)('[INPUT-1] %s: bad_request, nothing stored, nothing pushed', async (_label, payload) => {
    tried++;
    const before = dbSnapshot(server.config.dataFile);
    const error = await refusal(payload());
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

  it('[INPUT-6] what the server stores: NFC (an NFD text is stored composed, and replaying it as NFC is the same message); bidi controls in text are kept', async () => {
    tried++;
    const db = () => new Database(server.config.dataFile, { readonly: true, fileMustExist: true });
    const storedText = (clientMsgId: string) => {
      const d = db();
      try {
        return (d.prepare('SELECT content FROM messages WHERE client_msg_id = ?').get(clientMsgId) as { content: string } | undefined)?.content;
      } finally {
        d.close();
      }
    };
    const nfd = 'Cafe\u0301 de\u0301ja\u0300 vu';
    const nfc = nfd.normalize('NFC');
    expect(nfc).not.toBe(nfd);
    const id = randomUUID();
    const ack = await alice.send(conversationId, nfd, id);
    expect(storedText(id)).toBe(nfc);
    expect(storedText(id)).toBe('Caf\u00e9 d\u00e9j\u00e0 vu');
    const { messages } = await bob.request({ type: 'history', conversationId, limit: 1 });
    expect(messages[0]?.text).toBe(nfc);
    // The same message again in the other form: the replay answers with the original.
    const again = await alice.send(conversationId, nfc, id);
    expect(again.seq).toBe(ack.seq);
    expect(countRows(server.config.dataFile, 'messages')).toBe(7);

    // Display names too are stored NFC.
    await alice.request({ type: 'profile', displayName: 'Zoe\u0308' });
    const d = db();
    try {
      const row = d.prepare('SELECT display_name FROM users WHERE username = ?').get('alice') as { display_name: string };
      expect(row.display_name).toBe('Zo\u00eb');
    } finally {
      d.close();
    }

    // Message text may carry bidi controls (people write mixed scripts); the client isolates
    // each message's direction, so they are stored as sent.
    const rtl = randomUUID();
    await alice.send(conversationId, 'price \u202e01$\u202c ok', rtl);
    expect(storedText(rtl)).toBe('price \u202e01$\u202c ok');
  });

  it('[INPUT-7] a frame with a literal NaN is not JSON: only that socket closes, nothing changes', async () => {
    tried++;
    const extra = await h.otherDevice(server, 'alice');
    const before = dbSnapshot(server.config.dataFile);
    extra.client.socket.io.engine.send(`21["req",{"type":"delivered","conversationId":"${conversationId}","seq":NaN}]`);
    expect(await extra.client.disconnected()).toMatch(/transport|server/);
    expect(dbSnapshot(server.config.dataFile)).toEqual(before);
    expect(alice.socket.connected).toBe(true);
  });
});
