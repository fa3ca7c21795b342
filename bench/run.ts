/**
 * `npm run bench`: raw SQLite, then a Tidings server, then a bare socket.io relay, each
 * under the same client load, then group fan-out on a fresh Tidings server (bench/groups.ts:
 * 100-, 1,000- and 5,000-member groups, every member online); prints a table and rewrites
 * docs/benchmarks.md.
 * Everything listens on 127.0.0.1, runs for a fixed time, and cleans up after itself.
 */
import Database from 'better-sqlite3';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { arch, cpus, loadavg, platform, release, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { killAllChildren, startChild, type ServerChild } from './child';
import { sleep } from './concurrency';
import { runGroups, type GroupPlan } from './groups';
import { runLoad, type LoadPlan, type LoadResult } from './load';
import { renderMarkdown, renderText, type BenchResults, type Machine } from './report';
import { runRawSqlite } from './sqlite-raw';

const PAIRS = 50;
const RATE_POINTS = 1_000_000;
const PLAN: LoadPlan = { warmupMs: 2_000, steadyRate: 200, steadyMs: 3_000, loadMs: 5_000, drainMs: 3_000 };
/** Group fan-out (bench/groups.ts): groups of these sizes, every member online. */
const GROUP_PLAN: GroupPlan = {
  sizes: [100, 1_000, 5_000],
  messagesPerGroup: 5,
  memberProcesses: 1,
  inboxFanoutMax: 500,
  pairRate: 100,
  pairWindowMs: 5_000,
  busyInFlight: 2,
};
/** The whole run normally takes about 80 s (on a busy machine up to twice that); past this something is stuck. */
const WATCHDOG_MS = 175_000;

const repoRoot = fileURLToPath(new URL('..', import.meta.url));

function packageVersion(name: string): string {
  const pkg = JSON.parse(readFileSync(join(repoRoot, 'node_modules', name, 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

/** Fraction of all cores busy over `ms`, from the kernel's per-core counters. */
async function cpuBusy(ms: number): Promise<number> {
  const total = () =>
    cpus().reduce(
      (acc, c) => {
        const all = c.times.user + c.times.nice + c.times.sys + c.times.irq + c.times.idle;
        return { all: acc.all + all, idle: acc.idle + c.times.idle };
      },
      { all: 0, idle: 0 },
    );
  const before = total();
  await sleep(ms);
  const after = total();
  const all = after.all - before.all;
  return all > 0 ? 1 - (after.idle - before.idle) / all : Number.NaN;
}

async function machine(): Promise<Machine> {
  const db = new Database(':memory:');
  const sqlite = (db.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v;
  db.close();
  return {
    cores: cpus().length,
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown CPU',
    node: process.version,
    os: `${platform()} ${release()} ${arch()}`,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    socketIo: packageVersion('socket.io'),
    betterSqlite3: packageVersion('better-sqlite3'),
    sqlite,
    loadAverage: loadavg()[0] ?? Number.NaN,
    backgroundCpu: await cpuBusy(1_000),
  };
}

async function measure(label: string, start: () => Promise<ServerChild>): Promise<LoadResult> {
  const t0 = Date.now();
  const server = await start();
  process.stderr.write(`${label}: ready at ${server.url} with ${server.accounts.length} accounts (${Date.now() - t0} ms)\n`);
  try {
    const result = await runLoad(server.url, server.accounts, PLAN);
    result.problems.push(...server.errorLines.map((line) => `server logged an error: ${line}`));
    process.stderr.write(`${label}: ${Math.round(result.sendsPerSec)} sends/s, ${result.problems.length} problems\n`);
    return result;
  } finally {
    await server.stop();
  }
}

function countDistinct(lines: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const line of lines) counts.set(line, (counts.get(line) ?? 0) + 1);
  return counts;
}

async function main(): Promise<number> {
  const tmp = mkdtempSync(join(tmpdir(), 'tidings-bench-'));
  try {
    const facts = await machine();
    process.stderr.write(`raw SQLite...\n`);
    const sqlite = runRawSqlite(join(tmp, 'raw.db'), { conversations: PAIRS, durationMs: 3_000, maxTransactions: 100_000 });

    const tidings = await measure('tidings', () =>
      startChild({
        label: 'tidings',
        script: './server-child.ts',
        pairs: PAIRS,
        readyTimeoutMs: 60_000,
        env: {
          TIDINGS_DATA: join(tmp, 'tidings.db'),
          TIDINGS_WEB_ROOT: '',
          PORT: '0',
          TIDINGS_RATE_POINTS: String(RATE_POINTS),
          // Per user too: one sender at full speed passes the default 600 per 10 s within seconds.
          TIDINGS_USER_RATE_POINTS: String(RATE_POINTS),
          TIDINGS_LOG_LEVEL: 'warn',
        },
      }),
    );
    const bare = await measure('bare socket.io', () =>
      startChild({ label: 'bare', script: './bare-server-child.ts', pairs: PAIRS, readyTimeoutMs: 20_000 }),
    );

    const groupsBackgroundCpu = await cpuBusy(1_000);
    const groups = await runGroups({ dataFile: join(tmp, 'groups.db'), ratePoints: RATE_POINTS, plan: GROUP_PLAN });
    process.stderr.write(`groups: ${groups.problems.length} problems\n`);

    const results: BenchResults = {
      date: new Date(),
      machine: facts,
      pairs: PAIRS,
      plan: PLAN,
      ratePoints: RATE_POINTS,
      tidings,
      bare,
      sqlite,
      groups,
      groupsBackgroundCpu,
    };
    console.log(renderText(results));

    const problems = countDistinct([
      ...tidings.problems.map((p) => `tidings: ${p}`),
      ...bare.problems.map((p) => `bare: ${p}`),
      ...groups.problems.map((p) => `groups: ${p}`),
    ]);
    if (problems.size > 0) {
      console.log('\nThe run had problems, so its figures are not trusted and docs/benchmarks.md was not updated:');
      for (const [p, n] of [...problems].slice(0, 20)) console.log(`  - ${n > 1 ? `${n} × ` : ''}${p}`);
      return 1;
    }
    mkdirSync(join(repoRoot, 'docs'), { recursive: true });
    // bench/search.ts (run next by `npm run bench`) owns the `## Local search` section: keep it.
    const path = join(repoRoot, 'docs', 'benchmarks.md');
    let old = '';
    try {
      old = readFileSync(path, 'utf8');
    } catch {
      // No document yet.
    }
    const search = old.indexOf('\n## Local search\n');
    writeFileSync(path, `${renderMarkdown(results).trimEnd()}\n${search < 0 ? '' : `\n${old.slice(search + 1)}`}`);
    console.log('\nWrote docs/benchmarks.md');
    return 0;
  } finally {
    killAllChildren();
    rmSync(tmp, { recursive: true, force: true });
  }
}

const watchdog = setTimeout(() => {
  console.error(`bench: still running after ${WATCHDOG_MS / 1000} s; giving up`);
  killAllChildren();
  process.exit(2);
}, WATCHDOG_MS);
watchdog.unref();

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    killAllChildren();
    process.exit(1);
  },
);
