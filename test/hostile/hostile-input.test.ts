/**
 * Hostile input, generated: fast-check mutates valid requests (wrong types, extra and missing
 * keys, huge, non-finite and unsafe numbers, arbitrary Unicode including lone surrogates) and
 * the protocol schema is the oracle. Whatever the server receives after JSON serialization,
 * its verdict must equal the schema's; a refusal is a typed `bad_request` that changes
 * nothing in the database; nothing is ever `internal`; the server keeps serving. The table of
 * hand-picked cases is test/integration/bad-input.test.ts.
 */
import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CODES, RequestSchema, type Reply } from '../../src/protocol';
import '../support/quiet-logs';
import { rawRequest, type TestClient } from '../support/socket-client';
import { dbSnapshot, Harness, type TestServer } from '../support/test-server';

const RUNS = Number(process.env.TIDINGS_HOSTILE_RUNS ?? 500);
const h = new Harness();
let server: TestServer;
let alice: TestClient;
let conversationId: string;
let tried = 0;

beforeAll(async () => {
  server = await h.start();
  alice = (await h.user(server, 'alice')).client;
  await h.user(server, 'bob');
  conversationId = (await alice.request({ type: 'openDirect', username: 'bob' })).conversation.id;
  await alice.send(conversationId, 'first');
});

afterAll(async () => {
  // Printed so a run says how much it tried, not only that it passed.
  console.log(`hostile input: ${tried} generated cases tried; the server never crashed`);
  await h.close();
});

const valid = (): Record<string, unknown>[] => [
  { type: 'send', conversationId, clientMsgId: randomUUID(), text: 'hello' },
  { type: 'sync', sincePts: 0, limit: 5 },
  { type: 'history', conversationId, beforeSeq: 2, limit: 5 },
  { type: 'delivered', conversationId, seq: 1 },
  { type: 'openDirect', username: 'bob' },
  { type: 'bootstrap' },
];

const nasty = fc.oneof(
  fc.anything({ maxDepth: 2 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.integer(),
  fc.double(),
  fc.constantFrom(Number.NaN, Infinity, -Infinity, 2 ** 53, -(2 ** 53), Number.MAX_VALUE, -0, 0.5, -1, '', null, true, [], {}),
  fc.constantFrom('d_1_2', 'g_1', `${'9'.repeat(25)}`, '__proto__', 'constructor', 'x'.repeat(5000)),
);

type Mutation =
  | { kind: 'replace'; key: number; value: unknown }
  | { kind: 'add'; key: string; value: unknown }
  | { kind: 'drop'; key: number }
  | { kind: 'whole'; value: unknown };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('replace' as const), key: fc.nat(), value: nasty }),
  fc.record({ kind: fc.constant('add' as const), key: fc.string({ maxLength: 12 }), value: nasty }),
  fc.record({ kind: fc.constant('drop' as const), key: fc.nat() }),
  fc.record({ kind: fc.constant('whole' as const), value: nasty }),
);

function apply(base: Record<string, unknown>, m: Mutation): unknown {
  const keys = Object.keys(base);
  const copy: Record<string, unknown> = { ...base };
  switch (m.kind) {
    case 'replace':
      copy[keys[m.key % keys.length] as string] = m.value;
      return copy;
    case 'add':
      Object.defineProperty(copy, m.key, { value: m.value, enumerable: true, configurable: true, writable: true });
      return copy;
    case 'drop':
      delete copy[keys[m.key % keys.length] as string];
      return copy;
    case 'whole':
      return m.value;
  }
}

/** What the server will see: socket.io serializes arguments as JSON. */
const overTheWire = (payload: unknown): unknown => {
  const json = JSON.stringify(payload);
  return json === undefined ? undefined : (JSON.parse(json) as unknown);
};

function expectTyped(reply: Reply) {
  if (!reply.ok) {
    expect(ERROR_CODES).toContain(reply.error.code);
    expect(reply.error.code).not.toBe('internal');
    expect(reply.error.message.length).toBeGreaterThan(0);
  }
}

describe('hostile input (generated)', () => {
  it('[HOSTILE-1] the server agrees with the schema on every mutated request, and a refusal changes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: 5 }), mutation, async (which, m) => {
        tried++;
        const payload = apply(valid()[which] as Record<string, unknown>, m);
        const wire = overTheWire(payload);
        const schemaAccepts = RequestSchema.safeParse(wire).success;
        const before = dbSnapshot(server.config.dataFile);
        const reply = await rawRequest(alice.socket, payload);
        expectTyped(reply);
        if (!schemaAccepts) {
          expect(reply).toMatchObject({ ok: false, error: { code: 'bad_request' } });
          expect(dbSnapshot(server.config.dataFile)).toEqual(before);
        } else if (!reply.ok) {
          // A well-formed request may still be refused (not a member, ahead of the inbox…), typed.
          expect(['bad_request', 'not_found']).toContain(reply.error.code);
          expect(dbSnapshot(server.config.dataFile)).toEqual(before);
        }
      }),
      { numRuns: RUNS, seed: Number(process.env.TIDINGS_HOSTILE_SEED ?? 20261123) },
    );
  });

  it('[HOSTILE-2] any text is either refused, or stored NFC-normalized and trimmed, and read back exactly so', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string({ unit: 'binary', maxLength: 60 }), fc.string({ unit: 'grapheme', maxLength: 60 })), async (text) => {
        tried++;
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
      { numRuns: RUNS, seed: Number(process.env.TIDINGS_HOSTILE_SEED ?? 20261123) },
    );
  });

  it('[HOSTILE-3] malformed JSON and stray binary frames close only that socket; nothing changes', async () => {
    const before = dbSnapshot(server.config.dataFile);
    for (const frame of ['42["req",{"type":"send",', '42[', '4{{{{', '49999999999999999999["req"]']) {
      tried++;
      const { client } = await h.user(server, `raw${tried}`);
      client.socket.io.engine.send(frame);
      expect(await client.disconnected()).toMatch(/transport|server/);
    }
    tried++;
    const { client } = await h.user(server, `bin${tried}`);
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
