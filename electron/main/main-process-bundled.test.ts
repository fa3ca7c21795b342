/**
 * The bundled server across launches, with the stand-in for Electron (see main-process.test.ts):
 * chosen before, it starts with the app; once the person signs out of it (or in elsewhere), it
 * stops, and the next launch does not start it.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { Channel } from '../../src/desktop/bridge';
import { httpStatus } from './testing/http-status';

const fake = await vi.hoisted(async () => (await import('./testing/fake-electron')).createFakeElectron());
vi.mock('electron', () => ({ ...fake.electron, default: fake.electron }));

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', () => r()));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((r) => probe.close(() => r()));
  return port;
}

describe('the bundled server across launches (with a stand-in for Electron)', () => {
  const appData = mkdtempSync(join(tmpdir(), 'tidings-main-bundled-'));
  fake.state.paths.set('appData', appData);
  const serverDir = join(appData, 'Tidings (dev)', 'server');
  const settingsFile = join(serverDir, 'bundled-server.json');
  afterAll(() => rmSync(appData, { recursive: true, force: true }));

  /** Starts the app as a launch would, and returns its newest window's IPC identity. */
  async function launch() {
    const before = fake.state.windows.length;
    vi.resetModules();
    await import('./index');
    // A chosen server starts before the window opens (its stored session reconnects at once).
    await vi.waitFor(() => expect(fake.state.windows.length).toBe(before + 1), { timeout: 15_000 });
    const contents = fake.state.windows.at(-1)!.webContents;
    return { sender: contents, senderFrame: { url: contents.url, parent: null } };
  }
  const ask = (channel: string, from: unknown) => fake.state.handle.get(channel)?.(from) as Promise<{ url: string } | null>;

  it('[DESK-22] chosen before: started at launch; signed out of it: stopped, and the next launch leaves it off', async () => {
    const port = await freePort();
    mkdirSync(serverDir, { recursive: true });
    writeFileSync(settingsFile, JSON.stringify({ port, start: true }));

    const first = await launch();
    const url = `http://127.0.0.1:${port}`;
    expect(await ask(Channel.bundledServer, first)).toEqual({ url });
    expect(await httpStatus(`${url}/healthz`)).toBe(200);
    // The window's page has a session there (App.tsx says so as it loads), then signs out.
    expect(await ask(Channel.startBundledServer, first)).toEqual({ url });
    fake.state.on.get(Channel.releaseBundledServer)?.(first);
    await vi.waitFor(async () => expect(await ask(Channel.bundledServer, first)).toBeNull(), { timeout: 10_000 });
    await vi.waitFor(async () => {
      await expect(httpStatus(`${url}/healthz`)).rejects.toThrow();
    }, { timeout: 10_000 });
    expect(JSON.parse(readFileSync(settingsFile, 'utf8'))).toEqual({ port, start: false });

    const second = await launch();
    expect(await ask(Channel.bundledServer, second)).toBeNull();
    await vi.waitFor(async () => {
      await expect(httpStatus(`${url}/healthz`)).rejects.toThrow();
    }, { timeout: 10_000 });
    // Choosing "This computer" again brings it back, on its port.
    expect(await ask(Channel.startBundledServer, second)).toEqual({ url });
    expect(JSON.parse(readFileSync(settingsFile, 'utf8'))).toEqual({ port, start: true });
    fake.state.on.get(Channel.releaseBundledServer)?.(second);
    await vi.waitFor(async () => expect(await ask(Channel.bundledServer, second)).toBeNull(), { timeout: 10_000 });
  });
});
