/** Renders the results: a plain table for stdout and `docs/benchmarks.md`. */
import type { LoadPlan, LoadResult } from './load';
import { fmtInt, fmtMs, fmtRatio } from './stats';
import type { SqliteResult } from './sqlite-raw';

export interface Machine {
  cores: number;
  cpuModel: string;
  node: string;
  os: string;
  memoryGiB: number;
  socketIo: string;
  betterSqlite3: string;
  sqlite: string;
  /** 1-minute load average when the bench started: other work on the machine skews figures. */
  loadAverage: number;
  /** Share of all cores busy during one idle second before the run: work that is not ours. */
  backgroundCpu: number;
}

export interface BenchResults {
  date: Date;
  machine: Machine;
  pairs: number;
  plan: LoadPlan;
  ratePoints: number;
  tidings: LoadResult;
  bare: LoadResult;
  sqlite: SqliteResult;
}

interface Row {
  label: string;
  tidings: string;
  bare: string;
  ratio: string;
}

function rows(r: BenchResults): Row[] {
  const ms = (label: string, pick: (l: LoadResult) => number): Row => ({
    label,
    tidings: fmtMs(pick(r.tidings)),
    bare: fmtMs(pick(r.bare)),
    ratio: fmtRatio(pick(r.tidings) / pick(r.bare)),
  });
  const steady = `at ${fmtInt(r.plan.steadyRate)} msg/s`;
  const load = `under ${r.pairs}-sender load`;
  return [
    {
      label: `acked sends/s, ${r.pairs} senders`,
      tidings: fmtInt(r.tidings.sendsPerSec),
      bare: fmtInt(r.bare.sendsPerSec),
      ratio: fmtRatio(r.tidings.sendsPerSec / r.bare.sendsPerSec),
    },
    ms(`push p50 ms, ${steady}`, (l) => l.steady.p50),
    ms(`push p99 ms, ${steady}`, (l) => l.steady.p99),
    ms(`push p50 ms, ${load}`, (l) => l.load.p50),
    ms(`push p99 ms, ${load}`, (l) => l.load.p99),
  ];
}

/** Above this share of CPU already busy before the run, the figures are flagged as low. */
const BUSY = 0.25;

function busyWarning(m: Machine): string | null {
  return m.backgroundCpu > BUSY
    ? `Other work kept ${Math.round(m.backgroundCpu * 100)} % of the CPU busy before this run: these figures are likely lower and noisier than on an idle machine.`
    : null;
}

export function machineLine(m: Machine): string {
  return `${m.cores} cores (${m.cpuModel}), ${m.memoryGiB} GiB, ${m.os}, Node ${m.node}, socket.io ${m.socketIo}, better-sqlite3 ${m.betterSqlite3} (SQLite ${m.sqlite}), load average ${m.loadAverage.toFixed(2)}, ${Math.round(m.backgroundCpu * 100)} % CPU busy before the run`;
}

export function renderText(r: BenchResults): string {
  const header: Row = { label: '', tidings: 'tidings', bare: 'bare socket.io', ratio: 'ratio' };
  const all = [header, ...rows(r)];
  const w = {
    label: Math.max(...all.map((x) => x.label.length)),
    tidings: Math.max(...all.map((x) => x.tidings.length)),
    bare: Math.max(...all.map((x) => x.bare.length)),
    ratio: Math.max(...all.map((x) => x.ratio.length)),
  };
  const line = (x: Row) =>
    `  ${x.label.padEnd(w.label)}   ${x.tidings.padStart(w.tidings)}   ${x.bare.padStart(w.bare)}   ${x.ratio.padStart(w.ratio)}`;
  return [
    `Tidings bench, ${r.date.toISOString()}`,
    `  machine: ${machineLine(r.machine)}`,
    ...[busyWarning(r.machine)].flatMap((w) => (w ? [`  WARNING: ${w}`] : [])),
    '',
    ...all.map(line),
    '',
    `  raw SQLite send transactions/s (better-sqlite3, WAL, synchronous=FULL): ${fmtInt(r.sqlite.txPerSec)}`,
    `  ratio = tidings / bare. Samples: steady ${r.tidings.steady.count} / ${r.bare.steady.count}, load ${r.tidings.load.count} / ${r.bare.load.count}.`,
    `  Bench setting: TIDINGS_RATE_POINTS=${r.ratePoints} (per socket per 10 s; the default 200 would throttle the senders).`,
  ].join('\n');
}

export function renderMarkdown(r: BenchResults): string {
  const p = r.plan;
  const table = [
    '| figure | Tidings | bare socket.io | ratio |',
    '| --- | ---: | ---: | ---: |',
    ...rows(r).map((x) => `| ${x.label} | ${x.tidings} | ${x.bare} | ${x.ratio} |`),
    `| raw SQLite send transactions/s | ${fmtInt(r.sqlite.txPerSec)} | | |`,
  ].join('\n');
  const m = r.machine;
  return `# Benchmarks

This file is written by \`npm run bench\` (\`bench/run.ts\`); run it again to refresh it.
Figures hold for this machine only, and move between runs, most when other work shares the
cores (see the machine line below).

- Date: ${r.date.toISOString()}
- Command: \`npm run bench\`
- Machine: ${m.cores} cores (\`os.cpus().length\`), ${m.cpuModel}, ${m.memoryGiB} GiB RAM, ${m.os}; when the run started, 1-minute load average ${m.loadAverage.toFixed(2)} and ${Math.round(m.backgroundCpu * 100)} % of the CPU busy with other work
- Software: Node ${m.node}, socket.io and socket.io-client ${m.socketIo} (websocket transport only), better-sqlite3 ${m.betterSqlite3} (SQLite ${m.sqlite})
${busyWarning(m) ? `\n> **Warning.** ${busyWarning(m)}\n` : ''}
${table}

Ratio = Tidings ÷ bare socket.io: below 1 for sends/s means Tidings reaches that fraction of
the transport's ceiling; above 1 for latency means Tidings' pushes take that many times longer.
Push latency samples: steady ${r.tidings.steady.count} (Tidings) / ${r.bare.steady.count} (bare), under load ${r.tidings.load.count} / ${r.bare.load.count}.

## Set-up

- **Processes.** Each server runs in a child process of the bench (\`bench/server-child.ts\`,
  \`bench/bare-server-child.ts\`, both forked through tsx); the bench process runs all clients.
  Running the server in-process would put the load generator's 100 sockets and the server on
  one event loop, and each would slow the other down in a way that says nothing about the
  server. With two processes, each gets its own thread (and, here, roughly a core of its own).
  The two servers run one after the other, never at the same time.
- **Tidings server.** \`startServer\` with \`configFromEnv\` and \`TIDINGS_DATA\` = a fresh SQLite file
  in \`os.tmpdir()\` (deleted afterwards), \`TIDINGS_WEB_ROOT=''\` (API only), \`PORT=0\`, log level
  \`warn\`, listening on 127.0.0.1. **\`TIDINGS_RATE_POINTS=${r.ratePoints}\`**: the per-socket request rate
  limit is raised for the bench, because the default (200 requests per socket per 10 s) would
  reject a sender after a fraction of a second. Everything else is the production code path:
  zod parsing, session re-check, membership check, the message committed with
  \`synchronous=FULL\` (group commit: sends that arrive during one commit share the next), the
  ack, then the push to both members' rooms.
- **Accounts.** ${2 * r.pairs} accounts (${r.pairs} senders, ${r.pairs} receivers), each with its own argon2id-hashed password and
  device session, created before any timing by the server's \`Accounts\` service inside the server
  process, so that a hundred argon2id sign-ups from one address do not meet the sign-up throttle
  (\`TIDINGS_AUTH_PER_MINUTE\`). Conversations are opened
  with the \`openDirect\` socket request, like the app does.
- **Clients.** One \`socket.io-client\` connection per account (\`transports: ['websocket']\`,
  \`auth: {token, protocol: 1}\`). Sender *i* talks only to receiver *i*. A send is
  \`socket.timeout(10000).emitWithAck('req', {type: 'send', conversationId, clientMsgId, text})\`
  with a fresh UUID v4 and ~60 characters of text.
- **Phases**, for each server: ${p.warmupMs / 1000} s warm-up (all senders back to back, not counted), then
  ${p.steadyMs / 1000} s at a steady ${p.steadyRate} messages/s in total (round-robin over the senders, sent on schedule),
  then ${p.loadMs / 1000} s with all ${r.pairs} senders back to back. After each phase the bench waits up to ${p.drainMs / 1000} s for
  pushes still under way; a push that never arrives, a failed or timed-out request, or a
  dropped connection fails the run.

## What each figure measures

- **Acked sends/s.** ${r.pairs} senders, each sending its next message as soon as the previous one is
  acked; the number of \`{ok: true}\` acks that arrive inside the ${p.loadMs / 1000} s window, per second. With
  Tidings an ack means the message is committed to disk (fsync'd), so this is durable throughput.
- **Push latency, steady.** For each message sent at the moderate steady rate: the time from
  just before the sender's emit to the moment the receiver's socket (same bench process, same
  clock) gets the \`push\` event carrying that message's \`clientMsgId\`. p50 and p99 over all
  messages of the phase. This is what a user sees when the server is not busy.
- **Push latency, under load.** The same measurement for every message of the ${r.pairs}-sender window:
  it includes the time each request waits in the server's queue behind the others.
- **Bare socket.io.** The same clients, frames and phases against a relay that does nothing
  but ack the \`req\` and emit the message to both members' rooms (like Tidings, the sender's own
  room included). It has no validation, no storage and no rate limit.
- **Raw SQLite.** The transaction a Tidings send commits (dedupe lookup, seq bump, one message
  row, pts bump + inbox row for each of the 2 members), run back to back with better-sqlite3 on
  the server's schema, WAL, \`synchronous=FULL\`, one commit per message, for up to 3 s. No network.

## Why the bare socket.io figure is the limit

Every Tidings send does all the work the bare relay does: the same websocket frames in and
out (the request, the ack, two pushes), the same socket.io encoding and room lookups, on the
same single Node thread, against the same load generator. Tidings then adds work on that same
thread: parsing with zod, the rate limiter, the session and membership checks, and a
synchronous SQLite commit that waits for an fsync. So Tidings cannot go faster than the bare
relay on the same machine, and the ratio says how much of the transport's capacity is left
after the application's work. The bare figure is itself bounded by this machine and by the
load generator, which shares the ${m.cores} cores, so it is the ceiling of this set-up, not of
socket.io in general. The raw SQLite figure is the storage's ceiling for one commit per message: better-sqlite3 blocks
the event loop for each commit and \`synchronous=FULL\` waits for an fsync. Tidings uses group
commit (\`server/storage/sqlite/sqlite-storage.ts\`): the sends that arrive while one commit is
being fsynced are written together in the next transaction, each in its own savepoint, and each
is acked only after that commit. That is why Tidings' sends/s can exceed the raw
one-commit-per-message figure, and why its latency under load is the queue behind a few
batched commits rather than behind one commit per message. Before group commit, this bench
measured 1,092 acked sends/s and a p50 push latency under load of 67 ms on this machine.
`;
}
