/**
 * Forks a bench server (a TypeScript file run through tsx) and waits for its `ready`
 * message. The child's log lines go to our stderr with a prefix, so stdout stays the report;
 * pino lines at level error or above are counted as server errors.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { withTimeout } from './concurrency';
import { isChildMessage, type BenchAccount, type GroupAccounts, type ParentMessage } from './ipc';

export interface ServerChild {
  url: string;
  accounts: BenchAccount[];
  /** Big-group owner and members, when the child was asked for them. */
  group?: GroupAccounts;
  /** CPU time (user + system) the child has used so far, ms; NaN where /proc is missing. */
  cpuMs(): number;
  /** Log lines the server wrote at pino level `error` (50) or above. */
  errorLines: string[];
  stop(): Promise<void>;
}

/** Clock ticks per second of /proc/<pid>/stat (`getconf CLK_TCK`: 100 on Linux). */
const CLK_TCK = 100;

/** CPU time (utime + stime) of process `pid` from /proc, ms; NaN if unavailable. */
export function procCpuMs(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  try {
    // Fields after the command name (which is in parentheses and may hold spaces).
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLK_TCK;
  } catch {
    return Number.NaN;
  }
}

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const live = new Set<ChildProcess>();

/** Last resort for a failing bench: no server outlives it. */
export function killAllChildren(): void {
  for (const child of live) child.kill('SIGKILL');
}

/**
 * Forks `script` (relative to bench/) through tsx with an IPC channel, forwards its output
 * to our stderr with a `[label]` prefix and counts pino error lines; `killAllChildren`
 * reaches it too.
 */
export function forkBenchChild(opts: { label: string; script: string; args: readonly string[]; env?: Record<string, string> }): {
  child: ChildProcess;
  exited: Promise<number | null>;
  errorLines: string[];
} {
  const child = fork(fileURLToPath(new URL(opts.script, import.meta.url)), [...opts.args], {
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
  return { child, exited, errorLines };
}

export async function startChild(opts: {
  label: string;
  script: string;
  pairs: number;
  /** Big-group members to create as well (server-child.ts only). */
  members?: number;
  env?: Record<string, string>;
  readyTimeoutMs: number;
}): Promise<ServerChild> {
  const { child, exited, errorLines } = forkBenchChild({
    label: opts.label,
    script: opts.script,
    args: [String(opts.pairs), ...(opts.members ? [String(opts.members)] : [])],
    ...(opts.env ? { env: opts.env } : {}),
  });

  const ready = new Promise<{ url: string; accounts: BenchAccount[]; group?: GroupAccounts }>((resolve, reject) => {
    child.on('message', (m: unknown) => {
      if (!isChildMessage(m)) return;
      if (m.type === 'ready') resolve({ url: m.url, accounts: m.accounts, ...(m.group ? { group: m.group } : {}) });
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
    const { url, accounts, group } = await withTimeout(ready, opts.readyTimeoutMs, `${opts.label} was not ready in ${opts.readyTimeoutMs} ms`);
    return { url, accounts, ...(group ? { group } : {}), errorLines, stop, cpuMs: () => procCpuMs(child.pid) };
  } catch (err) {
    await stop();
    throw err;
  }
}
