/**
 * `npm run demo` (server/demo.ts): the bundled server comes up with Alice and Bob already in a
 * conversation, idempotently, and gives one address per device, each naming the demo account it
 * signs itself in to. Only the demo's server tells the demo's passwords (`GET /api/demo`); the
 * server `npm start` runs has no such route.
 */
import '../support/quiet-logs';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_DEVICES, DEMO_PASSWORD, seedDemo, startDemo, type Demo } from '../../server/demo';
import { DemoAccountsSchema } from '../../src/protocol';
import { demoAccounts } from '../../src/sync/api';
import { demoSignIn } from '../../src/ui/sign-in/demo-sign-in';
import { httpCall, signIn } from '../support/http';
import { connect } from '../support/socket-client';

const dir = mkdtempSync(join(tmpdir(), 'tidings-demo-'));
let demo: Demo | null = null;

afterAll(async () => {
  await demo?.server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('demo', () => {
  it('[DEMO-1] starts with Alice and Bob in a conversation, seeds once, and gives an address per device', async () => {
    demo = await startDemo({ port: 0, dataFile: join(dir, 'demo.db'), webRoot: null });
    expect((await fetch(`${demo.server.url}/healthz`)).status).toBe(200);
    expect(demo.urls.map((u) => [u.profile, u.username])).toEqual(DEMO_DEVICES.map((d) => [d.profile, d.username]));
    for (const { profile, username, url } of demo.urls) expect(url).toBe(`${demo.server.url}/?profile=${profile}&demo=${username}`);

    await seedDemo(demo.server.url); // a second run adds nothing
    const alice = await signIn(demo.server.url, 'alice', { password: DEMO_PASSWORD });
    const client = await connect(demo.server.url, alice.token);
    try {
      const boot = await client.request({ type: 'bootstrap' });
      expect(boot.conversations).toHaveLength(1);
      const page = await client.request({ type: 'history', conversationId: boot.conversations[0]?.id ?? '', limit: 50 });
      expect(page.messages.map((m) => m.text)).toHaveLength(3);
      expect(page.messages[0]?.text).toMatch(/^Hi Alice/);
      // Seeding signed its own sessions out: Alice's devices are the ones she uses.
      const { devices } = await client.request({ type: 'devices' });
      expect(devices.map((d) => d.name)).toEqual(["alice's other device"]);
    } finally {
      client.close();
    }
  });

  it('[DEMO-2] the demo’s server tells its public accounts, and a device signs itself in with a session of its own', async () => {
    if (!demo) throw new Error('the first test starts the demo');
    const answer = await httpCall(demo.server.url, 'GET', '/api/demo');
    expect(answer.status).toBe(200);
    expect(DemoAccountsSchema.parse(answer.body).accounts.map((a) => a.username)).toEqual(['alice', 'bob']);
    expect(await demoAccounts(demo.server.url)).toEqual(answer.body);

    const laptop = await demoSignIn(demo.server.url, 'alice', 'alice-laptop');
    const phone = await demoSignIn(demo.server.url, 'alice', 'alice-phone');
    expect(laptop?.user.username).toBe('alice');
    expect(phone?.user.id).toBe(laptop?.user.id);
    expect(phone?.deviceId).not.toBe(laptop?.deviceId);
    expect(phone?.token).not.toBe(laptop?.token);
    // An account the demo does not have: no sign-in, and no error either.
    expect(await demoSignIn(demo.server.url, 'carol', 'carol')).toBeNull();
    // Other origins are refused as for every API call.
    expect((await httpCall(demo.server.url, 'GET', '/api/demo', { headers: { origin: 'https://evil.example' } })).status).toBe(403);
  });

  it('[DEMO-2] the server `npm start` runs has no demo route, whatever its environment says', async () => {
    const data = mkdtempSync(join(dir, 'start-'));
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      cwd: resolve(__dirname, '..', '..'),
      env: { ...process.env, PORT: '0', TIDINGS_DATA: join(data, 'tidings.db'), TIDINGS_WEB_ROOT: '', TIDINGS_LOG_LEVEL: 'warn', TIDINGS_DEMO: 'alice-laptop:alice' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    try {
      const url = await new Promise<string>((ok, fail) => {
        const found = () => /running at (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1];
        child.stdout.on('data', () => {
          const u = found();
          if (u) ok(u);
        });
        child.once('exit', (code) => fail(new Error(`server exited (${code}): ${out}`)));
      });
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      expect((await fetch(`${url}/api/demo`)).status).toBe(404);
      expect(await demoAccounts(url)).toBeNull();
      expect(await demoSignIn(url, 'alice', 'alice-laptop')).toBeNull();
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode === null ? child.once('exit', r) : r(null)));
    }
  });
});
