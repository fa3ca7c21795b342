/**
 * Durability across restarts: everything acked before the server stops (or is killed) is
 * there when a new server opens the same file, via history and sync, and seq, pts and
 * clientMsgId dedupe carry on where they were.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InboxEntry, SendResult } from '../../src/protocol';
import { createAccount } from '../support/http';
import { connect, type TestClient } from '../support/socket-client';
import { Harness, type TestServer } from '../support/test-server';

const N = 25;
const h = new Harness();

const messagesOf = (entries: readonly InboxEntry[]) => entries.flatMap((e) => (e.event.type === 'message' ? [e.event.message] : []));

async function syncAll(c: TestClient, sincePts = 0) {
  const out: InboxEntry[] = [];
  let since = sincePts;
  for (;;) {
    const page = await c.request({ type: 'sync', sincePts: since, limit: 10 });
    if (page.status !== 'ok') throw new Error('expected ok');
    out.push(...page.entries);
    if (!page.more) return { entries: out, pts: page.pts };
    since = page.entries.at(-1)!.pts;
  }
}

afterAll(() => h.close());

describe('restart on the same file', () => {
  let first: TestServer;
  let second: TestServer;
  let tokens: { alice: string; bob: string };
  let conversationId: string;
  const acks: SendResult[] = [];
  const clientMsgIds: string[] = [];
  let bobPtsBefore: number;
  let alicePtsBefore: number;

  beforeAll(async () => {
    first = await h.start();
    const alice = await h.user(first, 'alice');
    const bob = await h.user(first, 'bob');
    tokens = { alice: alice.session.token, bob: bob.session.token };
    conversationId = (await alice.client.request({ type: 'openDirect', username: 'bob' })).conversation.id;
    for (let i = 0; i < N; i++) {
      clientMsgIds.push(randomUUID());
      acks.push(await (i % 4 === 3 ? bob.client : alice.client).send(conversationId, `before restart ${i}`, clientMsgIds[i]));
    }
    await bob.client.request({ type: 'delivered', conversationId, seq: 10 });
    bobPtsBefore = (await bob.client.request({ type: 'bootstrap' })).pts;
    alicePtsBefore = (await alice.client.request({ type: 'bootstrap' })).pts;
    await h.stop(first);
    // The server closing ends its sockets.
    await Promise.all([alice.client.disconnected(), bob.client.disconnected()]);
    second = await h.start({ dataFile: first.config.dataFile });
  });

  it('[DUR-1] all acked messages are in history after the restart, unchanged', async () => {
    const alice = await h.connect(second, tokens.alice);
    const { messages, lastSeq } = await alice.request({ type: 'history', conversationId, limit: 200 });
    expect(lastSeq).toBe(N);
    expect(messages.map(({ msgId, seq, serverTime, conversationId: c }) => ({ msgId, seq, serverTime, conversationId: c }))).toEqual(acks);
    expect(messages.map((m) => m.text)).toEqual(acks.map((_, i) => `before restart ${i}`));
  });

  it('[DUR-2] sync from 0 returns every event from before the restart, in pts order', async () => {
    const bob = await h.connect(second, tokens.bob);
    const { entries, pts } = await syncAll(bob);
    expect(pts).toBe(bobPtsBefore);
    expect(entries.map((e) => e.pts)).toEqual(Array.from({ length: bobPtsBefore }, (_, i) => i + 1));
    expect(messagesOf(entries).map((m) => m.msgId)).toEqual(acks.map((a) => a.msgId));
    const boot = await bob.request({ type: 'bootstrap' });
    expect(boot.conversations.map((c) => [c.id, c.lastSeq])).toEqual([[conversationId, N]]);
    const aliceBoot = await (await h.connect(second, tokens.alice)).request({ type: 'bootstrap' });
    expect(aliceBoot.pts).toBe(alicePtsBefore);
    expect(aliceBoot.conversations[0]?.peerDeliveredSeq).toBe(10);
  });

  it('[DUR-3] seq and pts continue where they were; a pre-restart clientMsgId is still deduplicated', async () => {
    const alice = await h.connect(second, tokens.alice);
    const bob = await h.connect(second, tokens.bob);
    expect(await alice.send(conversationId, 'a retry after the restart', clientMsgIds[0])).toEqual(acks[0]);
    const ack = await alice.send(conversationId, 'after restart');
    expect(ack.seq).toBe(N + 1);
    expect(BigInt(ack.msgId) > BigInt(acks.at(-1)!.msgId)).toBe(true);
    const [p] = await bob.pushesFrom(bobPtsBefore, 1);
    expect(p).toMatchObject({ pts: bobPtsBefore + 1, event: { type: 'message', message: { seq: N + 1 } } });
    // The delivered position also carries on (never backwards).
    await bob.request({ type: 'delivered', conversationId, seq: 5 });
    await bob.request({ type: 'delivered', conversationId, seq: N + 1 });
    const pushes = await alice.pushesFrom(alicePtsBefore + 1, 1);
    expect(pushes[0]?.event).toMatchObject({ type: 'delivered', seq: N + 1 });
  });
});

describe('crash', () => {
  let child: ChildProcess | null = null;
  afterAll(() => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
  });

  it('[DUR-4] messages acked before the server process is killed (SIGKILL) survive', async () => {
    const dataFile = h.newDataFile();
    const mainTs = fileURLToPath(new URL('../../server/main.ts', import.meta.url));
    const root = fileURLToPath(new URL('../..', import.meta.url));
    // Node itself with tsx's loader (not the tsx CLI, which would run the server in a grandchild
    // that SIGKILL cannot reach): the killed process is the server.
    child = spawn(process.execPath, ['--import', 'tsx', mainTs], {
      cwd: root,
      env: { ...process.env, PORT: '0', TIDINGS_DATA: dataFile, TIDINGS_WEB_ROOT: '', TIDINGS_LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    const url = await new Promise<string>((resolve, reject) => {
      child!.once('exit', (code) => reject(new Error(`server exited early (${code}): ${out}`)));
      child!.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const m = /running at (http:\/\/\S+)/.exec(out);
        if (m) resolve(m[1]!);
      });
    });
    const alice = await createAccount(url, 'alice');
    await createAccount(url, 'bob');
    const client = await connect(url, alice.token);
    const conversationId = (await client.request({ type: 'openDirect', username: 'bob' })).conversation.id;
    const acks: SendResult[] = [];
    for (let i = 0; i < 10; i++) acks.push(await client.send(conversationId, `acked ${i}`));
    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    await exited;
    client.close();

    const after = await h.start({ dataFile });
    const reader = await h.connect(after, alice.token);
    const { messages } = await reader.request({ type: 'history', conversationId, limit: 50 });
    expect(messages.map((m) => m.msgId)).toEqual(acks.map((a) => a.msgId));
    expect((await reader.send(conversationId, 'after the crash')).seq).toBe(11);
  });
});
