/**
 * `npm run demo` (server/demo.ts): the bundled server comes up with Alice and Bob already in a
 * conversation, idempotently, and prints one address per device profile.
 */
import '../support/quiet-logs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, DEMO_PROFILES, seedDemo, startDemo, type Demo } from '../../server/demo';
import { signIn } from '../support/http';
import { connect } from '../support/socket-client';

const dir = mkdtempSync(join(tmpdir(), 'tidings-demo-'));
let demo: Demo | null = null;

afterAll(async () => {
  await demo?.server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('demo', () => {
  it('[DEMO-1] starts with Alice and Bob in a conversation, seeds once, and gives an address per device profile', async () => {
    demo = await startDemo({ port: 0, dataFile: join(dir, 'demo.db'), webRoot: null });
    expect((await fetch(`${demo.server.url}/healthz`)).status).toBe(200);
    expect(demo.urls.map((u) => u.profile)).toEqual([...DEMO_PROFILES]);
    for (const { profile, url } of demo.urls) expect(url).toBe(`${demo.server.url}/?profile=${profile}`);

    await seedDemo(demo.server.url); // a second run adds nothing
    const alice = await signIn(demo.server.url, 'alice', { password: DEMO_PASSWORD });
    const client = await connect(demo.server.url, alice.token);
    try {
      const boot = await client.request({ type: 'bootstrap' });
      expect(boot.conversations).toHaveLength(1);
      const page = await client.request({ type: 'history', conversationId: boot.conversations[0]?.id ?? '', limit: 50 });
      expect(page.messages.map((m) => m.text)).toHaveLength(3);
      expect(page.messages[0]?.text).toMatch(/^Hi Alice/);
    } finally {
      client.close();
    }
  });
});
