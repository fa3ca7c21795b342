import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { httpStatus } from './testing/http-status';
import type { RunningServer } from '../../server/app';
import { BundledServerSchema } from '../../src/desktop/bridge';
import { bundledServerConfig, isPortFree, startBundledServer } from './bundled-server';
import { loadBundledSettings } from './bundled-settings';

const env = { TIDINGS_LOG_LEVEL: 'warn' };

describe('bundled server', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tidings-bundled-'));
  const running: RunningServer[] = [];
  afterAll(async () => {
    for (const s of running) await s.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('[DESK-16] starts the real server on a free loopback port with its data in the app folder, answers /healthz, and remembers the port', async () => {
    const dataDir = join(dir, 'server');
    expect(loadBundledSettings(dataDir)).toBeNull();
    const server = await startBundledServer({ dataDir, preferredPort: null, env });
    running.push(server);
    expect(server.port).toBeGreaterThan(0);
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
    expect(BundledServerSchema.safeParse({ url: server.url }).success).toBe(true);
    expect(await httpStatus(`${server.url}/healthz`)).toBe(200);
    expect(existsSync(join(dataDir, 'tidings.db'))).toBe(true);
    expect(loadBundledSettings(dataDir)).toEqual({ port: server.port, start: true });
    // The client is not served: the app window has it.
    expect(await httpStatus(`${server.url}/`)).toBe(404);

    // Restarted: the same port again, so the renderer's stored session URL still works.
    const port = server.port;
    await server.close();
    running.pop();
    const again = await startBundledServer({ dataDir, preferredPort: loadBundledSettings(dataDir)?.port ?? null, env });
    running.push(again);
    expect(again.port).toBe(port);
    expect(await httpStatus(`${again.url}/healthz`)).toBe(200);
  });

  it('[DESK-16] a remembered port taken by another program: the server moves to a free one and remembers that', async () => {
    const squatter: Server = createServer();
    await new Promise<void>((r) => squatter.listen(0, '127.0.0.1', () => r()));
    const taken = (squatter.address() as { port: number }).port;
    try {
      expect(await isPortFree(taken)).toBe(false);
      const dataDir = join(dir, 'moved');
      const server = await startBundledServer({ dataDir, preferredPort: taken, env });
      running.push(server);
      expect(server.port).not.toBe(taken);
      expect(await httpStatus(`${server.url}/healthz`)).toBe(200);
      expect(loadBundledSettings(dataDir)).toEqual({ port: server.port, start: true });
    } finally {
      await new Promise<void>((r) => squatter.close(() => r()));
    }
  });

  it('[DESK-16] its settings: loopback only, no web root, env tuning kept; a corrupt settings file counts as none', () => {
    const config = bundledServerConfig('/data/server', 0, ['http://localhost:5173'], { PORT: '80', TIDINGS_RECALL_WINDOW_S: '30', TIDINGS_WEB_ROOT: '/srv' });
    expect(config).toMatchObject({ host: '127.0.0.1', port: 0, dataFile: '/data/server/tidings.db', webRoot: null, recallWindowMs: 30_000, allowedOrigins: ['http://localhost:5173'] });
    const dataDir = join(dir, 'corrupt');
    mkdirSync(dataDir);
    writeFileSync(join(dataDir, 'bundled-server.json'), '{"port":');
    expect(loadBundledSettings(dataDir)).toBeNull();
    writeFileSync(join(dataDir, 'bundled-server.json'), '{"port":70000}');
    expect(loadBundledSettings(dataDir)).toBeNull();
  });
});
