/**
 * Network faults between real clients and a real server: a loopback proxy delays, stalls and
 * cuts connections mid-frame while three devices (the project's own sync engine over
 * fake-indexeddb) keep sending. After the network heals, every device holds exactly the
 * server's history: nothing lost, nothing twice, same seq order, no hole.
 */
import 'fake-indexeddb/auto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { holes } from '../../src/store/ranges';
import { TidingsClient } from '../../src/sync/client';
import '../support/quiet-logs';
import { createAccount, signIn } from '../support/http';
import { Harness, type TestServer } from '../support/test-server';
import { TcpProxy } from './tcp-proxy';

const h = new Harness();
let server: TestServer;
let proxy: TcpProxy;
const clients: TidingsClient[] = [];

function client(session: Awaited<ReturnType<typeof createAccount>>, name: string): TidingsClient {
  const c = new TidingsClient(
    { ...session, serverUrl: proxy.url },
    {
      dbName: `faults-${name}-${Date.now()}`,
      socket: { reconnectionDelay: 50, reconnectionDelayMax: 300 },
      // Short timeouts, so stalls turn into retries of the same clientMsgId.
      outbox: { requestTimeoutMs: 700, baseBackoffMs: 100, maxBackoffMs: 400, maxAttempts: 10_000 },
      engine: { timings: { requestTimeoutMs: 700, retryMs: 200 } },
    },
  );
  clients.push(c);
  return c;
}

async function until(what: string, ready: () => Promise<boolean>, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await ready())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const settled = (c: TidingsClient) => async () =>
  c.transport.connected && c.engine.currentStatus === 'live' && (await c.db.outbox.count()) === 0;

/** Loads history until the device holds every seq up to the conversation's head. */
async function loadAll(c: TidingsClient, conversationId: string): Promise<void> {
  for (;;) {
    const conv = await c.db.conversations.get(conversationId);
    const hole = conv ? holes(conv.ranges, conv.lastSeq).at(-1) : undefined;
    if (!hole) return;
    await c.loadPage(conversationId, hole[1] + 1);
  }
}

beforeAll(async () => {
  server = await h.start();
  proxy = new TcpProxy(server.port);
  await proxy.listen();
});

afterAll(async () => {
  for (const c of clients) c.close();
  await proxy.close();
  await h.close();
});

describe('network faults', () => {
  it('[FAULT-NET-1] delays, stalls and mid-frame cuts lose nothing and duplicate nothing', async () => {
    const ann = client(await createAccount(server.url, 'ann'), 'ann');
    const annPhone = client(await signIn(server.url, 'ann'), 'ann-phone');
    const ben = client(await createAccount(server.url, 'ben'), 'ben');
    for (const c of clients) await until('connected', settled(c));
    const conversationId = await ann.openDirect('ben');

    const senders = [ann, annPhone, ben];
    const faults: (() => Promise<void>)[] = [
      async () => proxy.setDelay(150),
      async () => proxy.setDelay(0),
      async () => {
        proxy.stall();
        await new Promise((r) => setTimeout(r, 1_200));
        proxy.resume();
      },
      async () => proxy.cutMidFrame(),
      async () => proxy.cutAll(),
    ];
    const sent: string[] = [];
    for (let round = 0; round < 40; round++) {
      const text = `round ${round}`;
      sent.push(text);
      await (senders[round % senders.length] as TidingsClient).send(conversationId, text);
      if (round % 3 === 2) await (faults[(round / 3) % faults.length | 0] as () => Promise<void>)();
      await new Promise((r) => setTimeout(r, 40));
    }
    proxy.setDelay(0);
    proxy.resume();
    for (const c of clients) await until('every device settled', settled(c));

    const truth = await server.storage.history(conversationId, undefined, 200);
    const serverTexts = truth.messages.map((m) => m.text);
    // Every message stored exactly once on the server, in one seq order.
    expect([...serverTexts].sort()).toEqual([...sent].sort());
    expect(truth.messages.map((m) => m.seq)).toEqual(serverTexts.map((_, i) => i + 1));
    for (const c of clients) {
      await loadAll(c, conversationId);
      const stored = await c.db.messages.where('[conversationId+order]').between([conversationId, 0], [conversationId, Infinity]).toArray();
      expect(stored.map((m) => m.text)).toEqual(serverTexts);
      expect(stored.every((m) => m.pending === undefined)).toBe(true);
    }
    expect(proxy.cuts).toBeGreaterThan(0);
  });
});
