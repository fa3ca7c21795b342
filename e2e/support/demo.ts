/**
 * `npm run demo` in browser mode, as a person starts it: `server/demo.ts --browser` as a child
 * process on a free port with a fresh data file, and the addresses it prints.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from '@playwright/test';
import { freePort } from './server';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const DEMO_PASSWORD = 'tidings demo';

export interface RunningDemo {
  url: string;
  /** The printed address of each device, by profile (alice-laptop, alice-phone, bob). */
  urls: Record<string, string>;
  /** What the demo printed, for a failing test's report. */
  output(): string;
  stop(): Promise<void>;
}

export async function startDemoProcess(): Promise<RunningDemo> {
  const dir = mkdtempSync(join(tmpdir(), 'tidings-demo-e2e-'));
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'server/demo.ts', '--browser'], {
    cwd: REPO,
    env: { ...process.env, PORT: String(port), TIDINGS_DATA: join(dir, 'demo.db'), TIDINGS_WEB_ROOT: join(REPO, 'out', 'renderer'), TIDINGS_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const printed = () => Object.fromEntries([...out.matchAll(/^\s+(alice-laptop|alice-phone|bob)\s+(http\S+)$/gm)].map((m) => [m[1] as string, m[2] as string]));
  try {
    await expect.poll(() => Object.keys(printed()).sort(), { timeout: 30_000 }).toEqual(['alice-laptop', 'alice-phone', 'bob']);
  } catch (err) {
    await stop();
    throw new Error(`the demo did not start: ${String(err)}\n${out}`);
  }
  const urls = printed();
  return { url: `http://127.0.0.1:${port}`, urls, output: () => out, stop };
}
