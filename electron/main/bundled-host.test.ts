import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { httpStatus } from './testing/http-status';
import { BundledServerHost } from './bundled-host';
import { startBundledServer } from './bundled-server';
import { loadBundledSettings, startsAtLaunch } from './bundled-settings';

const env = { TIDINGS_LOG_LEVEL: 'warn' };

describe('the bundled server in the app', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tidings-bundled-host-'));
  const hosts: BundledServerHost[] = [];
  const host = (dataDir: string) => {
    const h = new BundledServerHost({ dataDir, start: (preferredPort) => startBundledServer({ dataDir, preferredPort, env }) });
    hosts.push(h);
    return h;
  };
  afterAll(async () => {
    for (const h of hosts) await h.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('[DESK-22] runs while a window uses it; when the last one signs out or goes elsewhere it stops, and the next launch does not start it', async () => {
    const dataDir = join(dir, 'choice');
    const app = host(dataDir);
    const [laptop, phone] = [{ window: 1 }, { window: 2 }];
    const server = await app.use(laptop);
    expect(await app.use(phone)).toBe(server);
    expect(startsAtLaunch(dataDir)).toBe(true);

    // One window signs out: the other still has its session there.
    await app.release(laptop);
    expect(await httpStatus(`${server.url}/healthz`)).toBe(200);
    expect(startsAtLaunch(dataDir)).toBe(true);

    // The last one goes: stopped now, not started at the next launch; the port is kept for a return.
    await app.release(phone);
    expect(app.running).toBeNull();
    await expect(httpStatus(`${server.url}/healthz`)).rejects.toThrow();
    expect(loadBundledSettings(dataDir)).toEqual({ port: server.port, start: false });
    expect(startsAtLaunch(dataDir)).toBe(false);

    // Chosen again on the sign-in screen: the same port, and remembered again.
    const again = await app.use(laptop);
    expect(again.port).toBe(server.port);
    expect(startsAtLaunch(dataDir)).toBe(true);
  });

  it('[DESK-22] a launch starts it when it was chosen; a window whose session is elsewhere lets it go; a reloading page neither keeps nor stops it', async () => {
    const dataDir = join(dir, 'launch');
    // A file from before `start` existed meant "start it", and still does.
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(join(dataDir, 'bundled-server.json'), '{"port":4321}');
    expect(loadBundledSettings(dataDir)).toEqual({ port: 4321, start: true });
    rmSync(join(dataDir, 'bundled-server.json'));
    const first = host(dataDir);
    const chosen = await first.use('window');
    await first.stop();
    expect(loadBundledSettings(dataDir)).toEqual({ port: chosen.port, start: true });

    const app = host(dataDir);
    const server = await app.start();
    expect(server.port).toBe(chosen.port);
    const win = { window: 1 };
    await app.use(win);
    app.drop(win); // reloading: the server stays
    expect(await httpStatus(`${server.url}/healthz`)).toBe(200);
    // The page comes back signed in on another server.
    await app.release(win);
    await expect(httpStatus(`${server.url}/healthz`)).rejects.toThrow();
    expect(startsAtLaunch(dataDir)).toBe(false);
  });

  it('[DESK-22] never chosen: releasing writes nothing and starts nothing', async () => {
    const dataDir = join(dir, 'never');
    const app = host(dataDir);
    await app.release({ window: 1 });
    expect(app.running).toBeNull();
    expect(existsSync(join(dataDir, 'bundled-server.json'))).toBe(false);
  });
});
