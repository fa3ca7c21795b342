/**
 * A real Tidings server for one test: `node --import tsx server/main.ts` as a child process,
 * on a free port, with a fresh SQLite file in the OS temp dir. It can be stopped (SIGTERM) and
 * started again on the same port and file, to test what the client does while it is down.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Asks the OS for a port nobody is listening on. */
export async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.unref();
    srv.once('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => res(port));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface TestServerOptions {
  /** Extra environment for the server process (e.g. TIDINGS_RATE_POINTS). */
  env?: Record<string, string>;
}

export class TestServer {
  readonly dir: string;
  readonly dataFile: string;
  port = 0;
  private child: ChildProcess | null = null;
  private output: string[] = [];

  constructor(private readonly options: TestServerOptions = {}) {
    this.dir = mkdtempSync(join(tmpdir(), 'tidings-e2e-'));
    this.dataFile = join(this.dir, 'tidings.db');
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return this.child !== null;
  }

  /** The server's recent stdout/stderr, for a failing test's report. */
  get log(): string {
    return this.output.join('');
  }

  async start(): Promise<void> {
    if (this.child) throw new Error('server already running');
    if (this.port === 0) this.port = await freePort();
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      cwd: REPO,
      env: {
        ...process.env,
        PORT: String(this.port),
        TIDINGS_DATA: this.dataFile,
        TIDINGS_WEB_ROOT: join(REPO, 'out', 'renderer'),
        TIDINGS_LOG_LEVEL: 'warn',
        ...this.options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    const keep = (chunk: Buffer) => {
      this.output.push(chunk.toString());
      if (this.output.length > 400) this.output.splice(0, this.output.length - 400);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    let exited: number | null | undefined;
    child.once('exit', (code) => {
      exited = code;
      if (this.child === child) this.child = null;
    });

    const deadline = Date.now() + 30_000;
    for (;;) {
      if (exited !== undefined) throw new Error(`server exited with code ${exited} before it was healthy:\n${this.log}`);
      try {
        const res = await fetch(`${this.url}/healthz`);
        if (res.ok) return;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) {
        await this.stop();
        throw new Error(`server did not answer /healthz within 30 s:\n${this.log}`);
      }
      await sleep(100);
    }
  }

  /** SIGTERM, and wait for the process to end (SIGKILL after 10 s). */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child) return;
    const ended = new Promise<void>((r) => {
      if (child.exitCode !== null || child.signalCode !== null) r();
      else child.once('exit', () => r());
    });
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await ended;
    clearTimeout(timer);
    this.child = null;
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  /** Stops the server and removes its data. */
  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
