/** Renders the results: a plain table for stdout and `docs/benchmarks.md`. */
import type { GroupResult } from './groups';
import type { LoadPlan, LoadResult } from './load';
import { FANOUT_CHUNK } from '../server/socket/socket-server';
import { CONNECT_CONCURRENCY } from './members';
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
  groups: GroupResult;
  /** Share of all cores busy during one idle second just before the group measurements. */
  groupsBackgroundCpu: number;
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

function fanoutRows(r: BenchResults): string[][] {
  return r.groups.fanout.map((f) => [
    fmtInt(f.members),
    f.path === 'room' ? '`room` (conversation room)' : '`push` (inbox event per member)',
    String(f.messages),
    fmtMs(f.lastMedian),
    fmtMs(f.lastMax),
    fmtMs(f.firstMedian),
    fmtMs(f.serverCpuMs),
    fmtMs(f.membersCpuMs),
  ]);
}

const FANOUT_HEADER = ['members', 'path', 'messages', 'last member, median ms', 'last member, max ms', 'first member, median ms', 'server CPU/msg ms', 'members CPU/msg ms'];

function pairRatio(r: BenchResults): number {
  return r.groups.pair.busy.p99 / r.groups.pair.idle.p99;
}

function groupsText(r: BenchResults): string[] {
  const g = r.groups;
  const table = [FANOUT_HEADER.map((h) => h.replace(/, /g, ' ')), ...fanoutRows(r).map((row) => row.map((c) => c.replace(/`/g, '')))];
  const widths = FANOUT_HEADER.map((_, i) => Math.max(...table.map((row) => (row[i] ?? '').length)));
  const line = (row: string[]) => `  ${row.map((c, i) => (i === 1 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('   ')}`;
  const biggest = Math.max(...g.plan.sizes);
  return [
    '',
    `Group fan-out: send → the LAST of the other members' sockets has it (all ${fmtInt(g.setup.connections)} members online, ${g.plan.memberProcesses} client process${g.plan.memberProcesses > 1 ? 'es' : ''}); inbox path below ${g.plan.inboxFanoutMax} members, room path from ${g.plan.inboxFanoutMax}`,
    ...table.map(line),
    '',
    `  one-to-one push at ${g.plan.pairRate} msg/s, ${g.plan.pairWindowMs / 1000} s each:   p50 idle ${fmtMs(g.pair.idle.p50)} ms, during ${fmtInt(biggest)}-member fan-out ${fmtMs(g.pair.busy.p50)} ms`,
    `  one-to-one push p99 idle ${fmtMs(g.pair.idle.p99)} ms, during ${fmtInt(biggest)}-member fan-out ${fmtMs(g.pair.busy.p99)} ms, ratio ${fmtRatio(pairRatio(r))}`,
    `  during that window: ${g.pair.groupMessages} group messages fanned out (${g.pair.groupMessagesPerSec.toFixed(1)}/s, ${fmtInt(g.pair.deliveriesPerSec)} member deliveries/s), send → last member median ${fmtMs(g.pair.busyFanout.p50)} ms, server at ${Math.round(g.pair.serverBusy * 100)} % of a core`,
    `  CPU busy with other work just before the group runs: ${Math.round(r.groupsBackgroundCpu * 100)} %`,
  ];
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
    `  Bench setting: TIDINGS_RATE_POINTS and TIDINGS_USER_RATE_POINTS=${r.ratePoints} (per socket and per user per 10 s; the defaults 200 and 600 would throttle the senders).`,
    ...groupsText(r),
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
  \`warn\`, listening on 127.0.0.1. **\`TIDINGS_RATE_POINTS\` and \`TIDINGS_USER_RATE_POINTS=${r.ratePoints}\`**: the per-socket
  and per-user request rate limits are raised for the bench, because the defaults (200 per socket and
  600 per user per 10 s) would reject a sender after a fraction of a second. Everything else is the production code path:
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
commit (\`server/storage/sql/sql-storage.ts\`): the sends that arrive while one commit is
being fsynced are written together in the next transaction, each in its own savepoint, and each
is acked only after that commit. That is why Tidings' sends/s can exceed the raw
one-commit-per-message figure, and why its latency under load is the queue behind a few
batched commits rather than behind one commit per message. Before group commit, this bench
measured 1,092 acked sends/s and a p50 push latency under load of 67 ms on this machine.
${groupsMarkdown(r)}`;
}

function groupsMarkdown(r: BenchResults): string {
  const g = r.groups;
  const biggest = Math.max(...g.plan.sizes);
  const sizes = g.plan.sizes.map(fmtInt).join(', ');
  const table = [
    `| ${FANOUT_HEADER.join(' | ')} |`,
    `| ${FANOUT_HEADER.map((_, i) => (i === 1 ? '---' : '---:')).join(' | ')} |`,
    ...fanoutRows(r).map((row) => `| ${row.join(' | ')} |`),
  ].join('\n');
  const busy = r.groupsBackgroundCpu > BUSY;
  return `
## Group fan-out

${table}

| one-to-one push at ${g.plan.pairRate} msg/s | idle | during ${fmtInt(biggest)}-member fan-out | ratio |
| --- | ---: | ---: | ---: |
| p50 ms | ${fmtMs(g.pair.idle.p50)} | ${fmtMs(g.pair.busy.p50)} | ${fmtRatio(g.pair.busy.p50 / g.pair.idle.p50)} |
| p99 ms | ${fmtMs(g.pair.idle.p99)} | ${fmtMs(g.pair.busy.p99)} | ${fmtRatio(pairRatio(r))} |
| max ms | ${fmtMs(g.pair.idle.max)} | ${fmtMs(g.pair.busy.max)} | |

During the busy window the server fanned out ${g.pair.groupMessages} messages to the ${fmtInt(biggest)}-member group
(${g.pair.groupMessagesPerSec.toFixed(1)} per second, ${fmtInt(g.pair.deliveriesPerSec)} member deliveries per second; send → last member median
${fmtMs(g.pair.busyFanout.p50)} ms, max ${fmtMs(g.pair.busyFanout.max)} ms with ${g.plan.busyInFlight} messages in flight) and used ${Math.round(g.pair.serverBusy * 100)} % of a core.
Just before these runs ${Math.round(r.groupsBackgroundCpu * 100)} % of the CPU was busy with other work${busy ? ' (**above 25 %: these figures are likely slower and noisier than on an idle machine; the fan-out times and the busy-window latencies suffer most, because there the bench and server need both cores**)' : ''}.

### What is measured

- **Fan-out time** (first table). The group's owner sends one message; the figure is the time
  from just before the owner's \`req\` emit to the moment the **last** of the group's other
  members' sockets gets it: as an inbox \`push\` event (\`{pts, event: {type: 'message'}}\`) for groups
  below \`TIDINGS_INBOX_FANOUT_MAX\` (${g.plan.inboxFanoutMax}, the default) members, as a \`room\` event (the bare
  \`Message\`, emitted to the conversation room's sockets ${FANOUT_CHUNK} at a time) from ${g.plan.inboxFanoutMax} members on. One untimed warm-up
  message per group, then ${g.plan.messagesPerGroup} timed ones, one at a time (the next is sent 100 ms after every member
  has the previous one); median and max over them. "First member" is the same for the first
  socket to get it. Every member must get every message exactly once and on the expected path
  (no \`room\` event for an inbox-path group, no \`push\` for a room-path group); a member still
  missing after 20 s, a duplicate, a failed request or a dropped connection fails the run.
- **CPU per message.** CPU time (user + system) used per timed message by the server process
  (from \`/proc/<pid>/stat\`, 10 ms ticks) and by the members' client process (\`process.cpuUsage\`).
  The fan-out time includes both: the server encoding and writing one frame per member, and the
  simulated clients decoding them, one socket after the other, on their own core. Real members
  would decode on their own machines, so when the members' CPU per message is the larger of the
  two, the last-member time here is bounded by the simulation, and it is an upper bound for the
  server.
- **One-to-one push latency, idle vs during fan-out** (second table). A separate pair of users
  (both sockets in the bench process, neither in any group): one sends the other one-to-one
  messages at a steady ${g.plan.pairRate} messages/s, on schedule; each sample is the time from just before the sender's emit to the receiver
  getting the \`push\`, as in the table above. First ${g.plan.pairWindowMs / 1000} s with the server otherwise idle (all
  ${fmtInt(g.setup.connections)} members connected, nothing else sent), then ${g.plan.pairWindowMs / 1000} s while the owner sends to the
  ${fmtInt(biggest)}-member group back to back: a new group message whenever fewer than ${g.plan.busyInFlight} are still being
  fanned out (not yet at every member), so the server always has big-group work queued, and the
  group sends never outrun the fan-out. Ratio = during ÷ idle; 1 would mean the big group costs
  a one-to-one push nothing. The server's priority tiers (\`server/services/fanout.ts\`) cut group
  work into chunks of ${FANOUT_CHUNK} sockets or users and yield between chunks; one-to-one work is never
  queued (it runs as soon as it is handed over), and a send's pushes go out right after its ack
  is written, in the same turn. What a one-to-one message can still wait for is the chunk
  running when its request is read and at most one during its commit (the group commit
  flushes on the next turn). An earlier design queued one-to-one work like the rest and pushed
  on a later turn; this bench then measured a p99 of 94–114 ms during the fan-out (p50 20–28 ms)
  in an earlier run on a faster machine; this run measured ${fmtMs(g.pair.busy.p99)} ms (p50 ${fmtMs(g.pair.busy.p50)} ms), the second table. Smaller chunks trade a slower big-group fan-out for a shorter
  wait. The CPU that the member clients and the server share on ${r.machine.cores} cores also counts here.

### Set-up

- **Server.** A second Tidings server (\`bench/server-child.ts\`, a fresh SQLite file), started
  after the one-to-one runs above have stopped theirs, with the same settings plus:
  \`TIDINGS_USER_RATE_POINTS=${r.ratePoints}\` (like the per-socket limit), **\`TIDINGS_CONNECTS_PER_MINUTE=${r.ratePoints}\`**
  (the default, 600 new sockets per minute per address, would refuse the members, who all
  connect from 127.0.0.1), and **\`TIDINGS_SESSION_SWEEP_S=3600\`**: the sweep that re-validates every
  open socket's session (every 30 s by default) checks all ${fmtInt(g.setup.connections + 3)} sockets in one go and would land
  at a random point of a timed window; it is kept out of the windows, not measured here.
  \`TIDINGS_INBOX_FANOUT_MAX\` is the default, ${g.plan.inboxFanoutMax}.
- **Accounts.** The owner and the one-to-one pair are made with the server's \`Accounts\` service
  like the accounts above. The ${fmtInt(biggest - 1)} members are written straight through the storage
  interface, \`storage.createUser\` and \`storage.createDevice\`, the two calls \`Accounts\` makes: each has
  its own user and its own device session with a fresh random token, stored as
  \`hashToken(token)\` (SHA-256) like a real sign-in, so their sockets authenticate through the
  normal handshake. They skip argon2id (20–50 ms per account here, minutes for thousands) by
  sharing one real argon2id password hash, the owner's. Server start with all accounts: ${fmtInt(g.setup.serverReadyMs)} ms.
- **Groups.** Made with the real requests by the owner's socket: \`createGroup\` with the first
  199 names (the owner is the 200th member), then \`addMembers\` 200 names at a time: ${g.setup.groupRequests}
  requests for groups of ${sizes} members, ${fmtInt(g.setup.groupsMs)} ms in all. A group of N members is the owner and
  members 1 to N−1, so the smaller groups' members are in the bigger ones too.
- **Members online.** After the groups exist, one \`socket.io-client\` connection per member
  (websocket transport, \`auth: {token, protocol: 1}\`); on connect the server joins each socket to its
  groups' rooms. All ${fmtInt(g.setup.connections)} sockets live in ${g.plan.memberProcesses === 1 ? 'one child process' : `${g.plan.memberProcesses} child processes`} (\`bench/members-child.ts\`, ${g.setup.memberRssMiB.map((m) => `${Math.round(m)} MiB`).join(' + ')} resident),
  connected ${CONNECT_CONCURRENCY} at a time in ${fmtInt(g.setup.connectMs)} ms (CPU: server ${fmtInt(g.setup.connectServerCpuMs)} ms, clients ${fmtInt(g.setup.connectMembersCpuMs)} ms).
  Not in the bench process: there the thousands of frames each group message causes would be
  decoded on the same thread that times the one-to-one pair, and the pair's latency would
  measure the load generator. Not more than one process: memory is not the limit, and on ${r.machine.cores}
  cores the server already needs one core and the members the other, so a second client process
  would only compete with the server for the same cores. The owner and the pair stay in the
  bench process. The members only listen (they do not send \`delivered\` or anything else).
- **Clock.** Members record arrivals with \`process.hrtime\` (CLOCK_MONOTONIC, one clock for every
  process on the machine), so their times compare with the send time taken in the bench process.
`;
}
