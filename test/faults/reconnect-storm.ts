/**
 * The reconnect storm: N headless devices (the project's sync engine over fake-indexeddb) are
 * live; the server stops; while it is down, a message is stored for every device's user (by a
 * server on another port over the same file); then the server comes back on its port and all N
 * reconnect at once with jittered backoff. Measured: the time until every device has caught up
 * (holds its new message and is live), and the server's responsiveness meanwhile (a health
 * probe every 50 ms: the slowest answer).
 */
import 'fake-indexeddb/auto';
import { TidingsClient } from '../../src/sync/client';
import { createAccount, signIn } from '../support/http';
import { Harness, type TestServer } from '../support/test-server';

export interface StormResult {
  clients: number;
  users: number;
  caughtUpMs: number;
  healthProbes: number;
  healthMaxMs: number;
  healthP99Ms: number;
}

async function until(what: string, ready: () => Promise<boolean> | boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await ready())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Runs `tasks` with at most `limit` at a time. */
async function pool<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await task(items[next++] as T);
    }),
  );
}

export async function reconnectStorm(opts: { users: number; devicesPerUser: number; log?: (s: string) => void }): Promise<StormResult> {
  const log = opts.log ?? (() => {});
  const h = new Harness();
  const clients: TidingsClient[] = [];
  let server: TestServer | null = null;
  try {
    server = await h.start({ authPerMinute: 100_000, connectsPerMinute: 100_000 });
    const url = server.url;
    const sender = await createAccount(url, 'storm-sender');
    const names = Array.from({ length: opts.users }, (_, i) => `storm-${i}`);
    log(`creating ${opts.users} users × ${opts.devicesPerUser} devices…`);
    const sessions: Awaited<ReturnType<typeof createAccount>>[] = [];
    await pool(names, 4, async (name) => {
      sessions.push(await createAccount(url, name));
      for (let d = 1; d < opts.devicesPerUser; d++) sessions.push(await signIn(url, name));
    });
    for (const [i, s] of sessions.entries()) {
      clients.push(new TidingsClient({ ...s, serverUrl: url }, { dbName: `storm-${i}-${Date.now()}` }));
    }
    await until('every device live', () => clients.every((c) => c.engine.currentStatus === 'live'), 120_000);
    log(`${clients.length} devices live; stopping the server`);

    const port = server.port;
    const file = server.config.dataFile;
    await h.stop(server);
    // While the port is down, a message for each user is stored through another port.
    const side = await h.start({ dataFile: file, authPerMinute: 100_000, connectsPerMinute: 100_000 });
    const { connect } = await import('../support/socket-client');
    const s = await connect(side.url, sender.token);
    const expected = new Map<string, string>();
    for (const name of names) {
      const conversationId = (await s.request({ type: 'openDirect', username: name })).conversation.id;
      const text = `while you were away, ${name}`;
      await s.send(conversationId, text);
      expected.set(name, text);
    }
    s.close();
    await h.stop(side);

    log('restarting the server: the storm begins');
    const started = Date.now();
    server = await h.start({ dataFile: file, port, authPerMinute: 100_000, connectsPerMinute: 100_000 });
    const probes: number[] = [];
    let probing = true;
    const probe = (async () => {
      while (probing) {
        const t = performance.now();
        await fetch(`${url}/healthz`).then((r) => r.arrayBuffer());
        probes.push(performance.now() - t);
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    const caughtUp = async (c: TidingsClient) => {
      if (c.engine.currentStatus !== 'live') return false;
      const want = expected.get(c.session.user.username);
      return (await c.db.messages.filter((m) => m.text === want).count()) === 1;
    };
    await until('every device caught up', async () => (await Promise.all(clients.map(caughtUp))).every(Boolean), 120_000);
    const caughtUpMs = Date.now() - started;
    probing = false;
    await probe;
    const sorted = [...probes].sort((a, b) => a - b);
    return {
      clients: clients.length,
      users: opts.users,
      caughtUpMs,
      healthProbes: probes.length,
      healthMaxMs: Math.round(sorted.at(-1) ?? 0),
      healthP99Ms: Math.round(sorted[Math.floor(sorted.length * 0.99)] ?? 0),
    };
  } finally {
    for (const c of clients) c.close();
    await h.close();
  }
}
