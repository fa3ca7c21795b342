/**
 * Each named crash point, one at a time, deterministically: a real server in a child process on
 * a temp SQLite file is started with `TIDINGS_CRASH_AT=<point>`, the app's own clients (sync
 * engine, outbox, Dexie over fake-indexeddb) drive it until the server SIGKILLs itself at that
 * point, and the test checks what the crash left (committed but unacked, acked but not pushed,
 * pushed to one member only, pulled but not answered). More messages are queued while it is
 * down; then it is restarted without a crash point, the outboxes retry and every device pulls.
 * Every message is on the server once, in one gapless seq order, and on every device once:
 * 0 lost, 0 duplicates. The history checker (test/history) hits the same points at random.
 */
import 'fake-indexeddb/auto';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CRASH_POINTS, type CrashPoint } from '../../server/util/crash-points';
import type { Session } from '../../src/protocol';
import { holes } from '../../src/store/ranges';
import { TidingsClient } from '../../src/sync/client';
import { freePort, readServer, ServerProcess, type ServerExit } from '../history/server-process';
import { createAccount, signIn } from '../support/http';
import { connect } from '../support/socket-client';

interface Device {
  name: string;
  client: TidingsClient;
}

const cleanups: (() => Promise<void> | void)[] = [];
const figures: string[] = [];

afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
  // Printed so the run gives the figures docs/reliability.md quotes, not only a pass.
  console.log(['crash points:', ...figures].join('\n  '));
});

async function until(what: string, ready: () => Promise<boolean> | boolean, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await ready())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function device(session: Session, serverUrl: string, name: string): Device {
  const client = new TidingsClient(
    { ...session, serverUrl },
    {
      dbName: `crash-${name}-${randomUUID()}`,
      // Quick reconnects, so a restart is noticed at once; the outbox never gives up on a
      // message while the server is down (a disconnect does not count as an attempt anyway).
      socket: { reconnectionDelay: 100, reconnectionDelayMax: 500 },
      outbox: { maxAttempts: 1_000 },
    },
  );
  cleanups.push(() => client.close());
  return { name, client };
}

const live = (d: Device) => d.client.transport.connected && d.client.engine.currentStatus === 'live';

/** Live, nothing left to send, and the device's cursor at the server's pts for its user. */
async function settled(d: Device, file: string): Promise<boolean> {
  if (!live(d)) return false;
  const db = d.client.db;
  if ((await db.outbox.count()) > 0) return false;
  if ((await db.messages.filter((m) => m.pending !== undefined).count()) > 0) return false;
  return (await db.meta.get('pts'))?.value === readServer(file).pts.get(d.client.me);
}

/** Loads history until the device holds every seq up to the head, then returns its texts in order. */
async function held(d: Device, conversationId: string): Promise<{ seq: number | null; text: string; clientMsgId: string }[]> {
  for (;;) {
    const conv = await d.client.db.conversations.get(conversationId);
    const hole = conv ? holes(conv.ranges, conv.lastSeq).at(-1) : undefined;
    if (!hole) break;
    await d.client.loadPage(conversationId, hole[1] + 1);
  }
  const rows = await d.client.db.messages
    .where('[conversationId+order]')
    .between([conversationId, 0], [conversationId, Infinity])
    .toArray();
  return rows.map((m) => ({ seq: m.seq, text: m.text, clientMsgId: m.clientMsgId }));
}

async function crashAt(point: CrashPoint) {
  const dir = mkdtempSync(join(tmpdir(), `tidings-crash-${point}-`));
  const server = new ServerProcess(await freePort(), join(dir, 'tidings.db'));
  cleanups.push(async () => {
    await server.stop('kill');
    rmSync(dir, { recursive: true, force: true });
  });
  const file = server.dataFile;
  await server.start();

  const aliceSession = await createAccount(server.url, 'alice', { deviceName: 'a1' });
  const a1 = device(aliceSession, server.url, 'a1');
  const a2 = device(await signIn(server.url, 'alice', { deviceName: 'a2' }), server.url, 'a2');
  const b1 = device(await createAccount(server.url, 'bob', { deviceName: 'b1' }), server.url, 'b1');
  const devices = [a1, a2, b1];
  await until('every device live', () => devices.every(live));
  const conversationId = await a1.client.openDirect('bob');
  const sent: string[] = [];
  const send = (d: Device, text: string, clientMsgId = randomUUID()) => {
    sent.push(text);
    return d.client.send(conversationId, text, clientMsgId);
  };
  const everyoneSettled = () => until('every device settled', async () => (await Promise.all(devices.map((d) => settled(d, file)))).every(Boolean));
  await send(a1, 'before 1');
  await send(b1, 'before 2');
  await everyoneSettled();
  if (point === 'mid-pull') {
    // Bob is away while Alice writes: what he comes back to is a pull, which the crash cuts.
    b1.client.disconnect();
    for (let i = 1; i <= 3; i++) await send(a1, `while b1 is away ${i}`);
    await until('a1 and a2 settled', async () => (await settled(a1, file)) && (await settled(a2, file)));
  }

  // The server restarts with the point armed; devices come back once it is up, so the point
  // cannot fire before the test means it to.
  for (const d of devices) d.client.disconnect();
  await server.stop('term');
  await server.start(point);
  const crashed: Promise<ServerExit> = server.nextExit(30_000);
  for (const d of devices) d.client.connect();
  const crashMsgId = randomUUID();
  if (point !== 'mid-pull') {
    await until('every device live on the armed server', () => devices.every(live));
    await send(a1, 'the message the crash meets', crashMsgId);
  }
  const exit = await crashed;
  expect(exit).toMatchObject({ planned: true, armed: point, point, signal: 'SIGKILL' });

  // What the crash left behind, before anything is retried.
  const crashRow = () => readServer(file).messages.find((m) => m.clientMsgId === crashMsgId);
  const holds = async (d: Device, clientMsgId: string) => (await d.client.db.messages.filter((m) => m.clientMsgId === clientMsgId && m.seq !== null).count()) > 0;
  if (point === 'after-commit-before-ack') {
    expect(crashRow(), 'committed before the crash').toBeDefined();
    const mine = await a1.client.db.messages.filter((m) => m.clientMsgId === crashMsgId).first();
    expect(mine, 'the ack never came').toMatchObject({ seq: null, pending: 'sending' });
    expect(await holds(b1, crashMsgId)).toBe(false);
  } else if (point === 'after-ack-before-fanout') {
    expect(crashRow()).toBeDefined();
    // Acked (perhaps; the ack was written just before the kill) but pushed to no one.
    expect(await holds(b1, crashMsgId)).toBe(false);
    expect(await holds(a2, crashMsgId)).toBe(false);
  } else if (point === 'mid-fanout') {
    expect(crashRow()).toBeDefined();
  } else {
    const texts = (await b1.client.db.messages.toArray()).map((m) => m.text);
    expect(texts.filter((t) => t.startsWith('while b1 is away')), 'the pull was never answered').toEqual([]);
  }

  // Written while the server is down: they wait in the outboxes.
  await send(a2, 'while down, from a2');
  await send(b1, 'while down, from b1');
  const restarted = Date.now();
  await server.start(null);
  await everyoneSettled();
  const caughtUpMs = Date.now() - restarted;

  // The server: every text once, seqs 1..n without a gap.
  const onServer = readServer(file).messages.filter((m) => m.conversationId === conversationId).sort((x, y) => x.seq - y.seq);
  expect(onServer.map((m) => m.seq)).toEqual(onServer.map((_, i) => i + 1));
  expect([...onServer.map((m) => m.text)].sort()).toEqual([...sent].sort());
  let lost = 0;
  let duplicates = 0;
  for (const d of devices) {
    const mine = await held(d, conversationId);
    expect(mine.every((m) => m.seq !== null), `${d.name} has nothing pending`).toBe(true);
    expect(mine.map((m) => m.text), `${d.name} holds the server's history in its order`).toEqual(onServer.map((m) => m.text));
    lost += sent.filter((t) => !mine.some((m) => m.text === t)).length;
    duplicates += mine.length - new Set(mine.map((m) => m.text)).size;
  }
  expect({ lost, duplicates }).toEqual({ lost: 0, duplicates: 0 });

  let retried = '';
  if (point === 'after-commit-before-ack') {
    const original = crashRow();
    // The same clientMsgId again (from yet another device, with other text) answers with the
    // original seq and stores nothing new: what the outbox's retry got.
    const raw = await connect(server.url, (await signIn(server.url, 'alice', { deviceName: 'raw' })).token);
    cleanups.push(() => raw.close());
    const again = await raw.request({ type: 'send', conversationId, clientMsgId: crashMsgId, text: 'another text' });
    expect(again.seq).toBe(original?.seq);
    expect((await a1.client.db.messages.filter((m) => m.clientMsgId === crashMsgId).first())?.seq).toBe(original?.seq);
    expect(readServer(file).messages.filter((m) => m.clientMsgId === crashMsgId).map((m) => m.text)).toEqual(['the message the crash meets']);
    retried = `; the retried send returned the original seq ${original?.seq}`;
  }
  figures.push(`${point}: SIGKILL at the point; ${sent.length} messages on ${devices.length} devices, lost 0, duplicates 0; caught up ${caughtUpMs} ms after the restart began${retried}`);
  for (const d of devices) d.client.close();
  await server.stop('term');
}

describe('crash points', () => {
  CRASH_POINTS.forEach((point, i) => {
    it(`[FAULT-CRASH-${i + 1}] the server kills itself ${point}; after a restart the outboxes retry and devices pull: 0 lost, 0 duplicates`, () => crashAt(point), 60_000);
  });
});
