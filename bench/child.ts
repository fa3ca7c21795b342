/**
 * Forks a bench server (a TypeScript file run through tsx) and waits for its `ready`
 * message. The child's log lines go to our stderr with a prefix, so stdout stays the report;
 * pino lines at level error or above are counted as server errors.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { withTimeout } from './concurrency';
import { isChildMessage, type BenchAccount, type ParentMessage } from './ipc';

export interface ServerChild {
  url: string;
  accounts: BenchAccount[];
  /** Log lines the server wrote at pino level `error` (50) or above. */
  errorLines: string[];
  stop(): Promise<void>;
}

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const live = new Set<ChildProcess>();

/** Last resort for a failing bench: no server outlives it. */
export function killAllChildren(): void {
  for (const child of live) child.kill('SIGKILL');
}

export async function startChild(opts: {
  label: string;
  script: string;
  pairs: number;
  env?: Record<string, string>;
  readyTimeoutMs: number;
}): Promise<ServerChild> {
  const child = fork(fileURLToPath(new URL(opts.script, import.meta.url)), [String(opts.pairs)], {
    cwd: repoRoot,
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  live.add(child);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  void exited.then(() => live.delete(child));

  const errorLines: string[] = [];
  const forward = (stream: NodeJS.ReadableStream | null) => {
    if (!stream) return;
    createInterface({ input: stream }).on('line', (line) => {
      process.stderr.write(`[${opts.label}] ${line}\n`);
      const level = /"level":(\d+)/.exec(line)?.[1];
      if (level !== undefined && Number(level) >= 50) errorLines.push(line);
    });
  };
  forward(child.stdout);
  forward(child.stderr);

  const ready = new Promise<{ url: string; accounts: BenchAccount[] }>((resolve, reject) => {
    child.on('message', (m: unknown) => {
      if (!isChildMessage(m)) return;
      if (m.type === 'ready') resolve({ url: m.url, accounts: m.accounts });
      else reject(new Error(`${opts.label} failed to start: ${m.message}`));
    });
    void exited.then((code) => reject(new Error(`${opts.label} exited with code ${code} before it was ready`)));
  });

  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    if (child.connected) child.send({ type: 'stop' } satisfies ParentMessage);
    try {
      await withTimeout(exited, 5_000, `${opts.label} did not stop`);
    } catch {
      child.kill('SIGKILL');
      await exited;
    }
  };

  try {
    const { url, accounts } = await withTimeout(ready, opts.readyTimeoutMs, `${opts.label} was not ready in ${opts.readyTimeoutMs} ms`);
    return { url, accounts, errorLines, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
