/**
 * Hostile input, generated from the protocol's zod schemas (test/hostile/zod-arbitrary.ts) for
 * every request type there is: valid requests (naming the test's real users and conversations
 * most of the time) either succeed with a result that parses or get a typed refusal; invalid
 * ones (wrong types, extra and missing keys, out-of-range, fractional and unsafe numbers,
 * Infinity as a raw `1e999`, oversized strings, lone surrogates, NUL, bidi overrides, zero-width
 * and combining floods…) get `bad_request` and change nothing in the database; nothing is ever
 * `internal`; the server keeps serving the same socket. The table of hand-picked cases is
 * test/integration/bad-input.test.ts.
 */
import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CODES, RequestSchema, RESULT_SCHEMAS, type Reply, type RequestType } from '../../src/protocol';
import '../support/quiet-logs';
import { rawRequest, type TestClient } from '../support/socket-client';
import { dbSnapshot, Harness, type TestServer } from '../support/test-server';
import { rawFrameRequest } from './raw-frame';
import { arbitrariesByType, overTheWire, toFrame, type Hints } from './zod-arbitrary';

const RUNS = Number(process.env.TIDINGS_HOSTILE_RUNS ?? 500);
/** Generated cases per request type, valid and invalid. */
const VALID_PER_TYPE = Number(process.env.TIDINGS_HOSTILE_VALID_PER_TYPE ?? 25);
const INVALID_PER_TYPE = Number(process.env.TIDINGS_HOSTILE_INVALID_PER_TYPE ?? 60);
const SEED = Number(process.env.TIDINGS_HOSTILE_SEED ?? 20261123);
const h = new Harness();
let server: TestServer;
let alice: TestClient;
let conversationId: string;
let groupId: string;
let hints: Hints;
const tried = { valid: 0, validOk: 0, invalid: 0, raw: 0, other: 0 };
const refusedValid = new Map<string, number>();

beforeAll(async () => {
  server = await h.start();
  alice = (await h.user(server, 'alice')).client;
  const bob = await h.user(server, 'bob');
  const carol = await h.user(server, 'carol');
  conversationId = (await alice.request({ type: 'openDirect', username: 'bob' })).conversation.id;
  groupId = (await alice.request({ type: 'createGroup', name: 'hostile', usernames: ['bob', 'carol'] })).conversation.id;
  for (let i = 0; i < 4; i++) {
    await alice.send(conversationId, `first ${i}`);
    await alice.send(groupId, `group ${i}`);
  }
  const people = [bob.userId, carol.userId];
  // Mostly real names, so valid requests reach the code behind the schema, not only `not_found`.
  hints = {
    conversationId: fc.constantFrom(conversationId, groupId),
    username: fc.constantFrom('bob', 'carol', 'alice'),
    usernames: fc.array(fc.constantFrom('bob', 'carol'), { minLength: 1, maxLength: 2 }),
    userId: fc.constantFrom(...people),
    userIds: fc.array(fc.constantFrom(...people), { minLength: 1, maxLength: 2 }),
    ids: fc.array(fc.constantFrom(...people), { minLength: 1, maxLength: 2 }),
    seq: fc.integer({ min: 1, max: 6 }),
    beforeSeq: fc.integer({ min: 1, max: 6 }),
    replyToSeq: fc.integer({ min: 1, max: 4 }),
    sincePts: fc.integer({ min: 0, max: 4 }),
  };
});

afterAll(async () => {
  // Printed so a run says how much it tried, not only that it passed.
  const refused = [...refusedValid].map(([k, n]) => `${k} ${n}`).join(', ');
  console.log(
    `hostile input: ${tried.valid + tried.invalid + tried.other} generated cases tried: ${tried.valid} valid requests of ${types().length} types (${tried.validOk} done, the rest refused typed: ${refused}), ` +
      `${tried.invalid} invalid ones (${tried.raw} as raw frames), all bad_request with the database unchanged; ${tried.other} text and frame cases; the server never crashed`,
  );
  await h.close();
});

const types = () => RequestSchema.options.map((o) => o.shape.type.value);

/** Sends the value as the wire would carry it: an ordinary emit, or a raw frame for raw tokens. */
function sendValue(value: unknown): Promise<Reply> {
  const frame = toFrame(value);
  if (frame.raw) {
    tried.raw++;
    return rawFrameRequest(alice.socket, frame.json);
  }
  return rawRequest(alice.socket, value);
}

function expectTyped(reply: Reply) {
  if (!reply.ok) {
    expect(ERROR_CODES).toContain(reply.error.code);
    expect(reply.error.code).not.toBe('internal');
    expect(reply.error.message.length).toBeGreaterThan(0);
  }
}

describe('hostile input (generated)', () => {
  it('[HOSTILE-1] valid requests of every type, generated from the schemas: done with a result that parses, or refused with a typed error', async () => {
    const arbitraries = arbitrariesByType(RequestSchema, 'type', hints);
    for (const [i, type] of types().entries()) {
      const arb = arbitraries.get(type);
      expect(arb, `an arbitrary for ${type}`).toBeDefined();
      await fc.assert(
        fc.asyncProperty(arb!.valid, async (value) => {
          tried.valid++;
          expect(RequestSchema.safeParse(overTheWire(value)).success).toBe(true);
          const reply = await sendValue(value);
          expectTyped(reply);
          if (reply.ok) {
            tried.validOk++;
            expect(RESULT_SCHEMAS[type as RequestType].safeParse(reply.result).success, `${type} answers what its result schema says`).toBe(true);
          } else {
            refusedValid.set(reply.error.code, (refusedValid.get(reply.error.code) ?? 0) + 1);
          }
        }),
        { numRuns: VALID_PER_TYPE, seed: SEED + i },
      );
    }
    expect(alice.socket.connected).toBe(true);
  }, 120_000);

  it('[HOSTILE-4] invalid requests of every type, generated from the schemas: bad_request, and the database unchanged', async () => {
    const arbitraries = arbitrariesByType(RequestSchema, 'type', hints);
    for (const [i, type] of types().entries()) {
      await fc.assert(
        fc.asyncProperty(arbitraries.get(type)!.invalid, async (b) => {
          tried.invalid++;
          expect(RequestSchema.safeParse(overTheWire(b.value)).success, `the walker made an invalid ${type} (${b.what})`).toBe(false);
          const before = dbSnapshot(server.config.dataFile);
          const reply = await sendValue(b.value);
          expect(reply, `${type} with ${b.what}`).toMatchObject({ ok: false, error: { code: 'bad_request' } });
          expectTyped(reply);
          expect(dbSnapshot(server.config.dataFile)).toEqual(before);
        }),
        { numRuns: INVALID_PER_TYPE, seed: SEED + i },
      );
    }
    // Still the same socket, still served.
    expect(alice.socket.connected).toBe(true);
    expect((await alice.send(conversationId, 'after the storm')).seq).toBeGreaterThan(0);
  }, 120_000);

  it('[HOSTILE-2] any text is either refused, or stored NFC-normalized and trimmed, and read back exactly so', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string({ unit: 'binary', maxLength: 60 }), fc.string({ unit: 'grapheme', maxLength: 60 })), async (text) => {
        tried.other++;
        const reply = await rawRequest(alice.socket, { type: 'send', conversationId, clientMsgId: randomUUID(), text });
        expectTyped(reply);
        const parsed = RequestSchema.safeParse({ type: 'send', conversationId, clientMsgId: randomUUID(), text });
        expect(reply.ok).toBe(parsed.success);
        if (reply.ok) {
          const { seq } = reply.result as { seq: number };
          const page = await alice.request({ type: 'history', conversationId, beforeSeq: seq + 1, limit: 1 });
          expect(page.messages[0]?.text).toBe(text.normalize('NFC').trim());
        }
      }),
      { numRuns: RUNS, seed: SEED },
    );
  }, 120_000);

  it('[HOSTILE-3] malformed JSON and stray binary frames close only that socket; nothing changes', async () => {
    const before = dbSnapshot(server.config.dataFile);
    for (const frame of ['42["req",{"type":"send",', '42[', '4{{{{', '49999999999999999999["req"]']) {
      tried.other++;
      const { client } = await h.user(server, `raw${tried.other}`);
      client.socket.io.engine.send(frame);
      expect(await client.disconnected()).toMatch(/transport|server/);
    }
    tried.other++;
    const { client } = await h.user(server, `bin${tried.other}`);
    client.socket.io.engine.send(new Uint8Array([0xff, 0x00, 0x42, 0x13]).buffer);
    expect(await client.disconnected()).toMatch(/transport|server/);
    // The accounts created above are the only change; no message or inbox row moved.
    const after = dbSnapshot(server.config.dataFile);
    expect(after.messages).toEqual(before.messages);
    expect(after.inbox).toEqual(before.inbox);
    // Everyone else is still served.
    const ok = await alice.send(conversationId, 'still here');
    expect(ok.seq).toBeGreaterThan(0);
  });
});
