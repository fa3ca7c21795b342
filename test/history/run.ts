/**
 * `npm run check:history [-- --seed N] [--ops N] [--duration S] [--users N] [--fanout-max N] [--prune] [--keep]`: the
 * multi-device history checker (see checker.ts). Prints the seed first; the same seed
 * replays the same operations. `--fanout-max N` sets the server's TIDINGS_INBOX_FANOUT_MAX: the
 * run's group (every user but the last) takes the room path when it has at least N members,
 * the inbox path otherwise (default 500). Exits 1 when any count is not 0.
 */
import { parseArgs } from 'node:util';
import { formatReport, violationCount } from './analyze';
import { cleanUp, formatCrashesAt, runChecker } from './checker';
import { randomSeed } from './prng';

const { values } = parseArgs({
  options: {
    seed: { type: 'string' },
    ops: { type: 'string' },
    duration: { type: 'string' },
    users: { type: 'string' },
    'fanout-max': { type: 'string' },
    keep: { type: 'boolean', default: false },
    prune: { type: 'boolean', default: false },
  },
});

const num = (v: string | undefined, name: string): number | undefined => {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`--${name} must be a non-negative integer, not ${v}`);
  return n;
};

const seed = num(values.seed, 'seed') ?? num(process.env.TIDINGS_CHECK_SEED, 'TIDINGS_CHECK_SEED') ?? randomSeed();
const durationS = num(values.duration, 'duration');
const ops = num(values.ops, 'ops') ?? (durationS === undefined ? 400 : Number.POSITIVE_INFINITY);
const users = num(values.users, 'users');
const fanoutMax = num(values['fanout-max'], 'fanout-max');
console.log(`seed ${seed}`);

const result = await runChecker({
  seed,
  ops,
  ...(durationS === undefined ? {} : { durationMs: durationS * 1000 }),
  ...(users === undefined ? {} : { plan: { users } }),
  pruneOnRestart: values.prune ?? false,
  ...(fanoutMax === undefined ? {} : { fanoutMax }),
});
const t = result.tally;
console.log(
  `operations: ${result.opsRun} (replay with --seed ${seed} --ops ${result.opsRun}${fanoutMax === undefined ? '' : ` --fanout-max ${fanoutMax}`}); sends ${t.sends} (${t.groupSends} to the group), disconnects ${t.disconnects}, ` +
    `reconnects ${t.reconnects}, reloads ${t.reloads}, scrolls ${t.scrolls}, reads ${t.reads}, marked unread ${t.unreads}, recalls ${t.recalls}, new devices ${t.newDevices}, planned server stops ${t.plannedStops}, crash-point crashes ${t.crashes}${formatCrashesAt(t.crashesAt)}, unplanned server crashes ${t.serverCrashes}, server starts ${t.serverStarts}`,
);
console.log(formatReport(result.report, seed));
if (result.stalled.length > 0) console.log(`stalled devices: ${result.stalled.join(', ')}`);
console.log(`elapsed ${(result.elapsedMs / 1000).toFixed(1)} s`);
const failed = violationCount(result.report) > 0 || result.stalled.length > 0;
cleanUp(result, values.keep ?? false);
if (failed) console.log(`FAILED (seed ${seed}); database and op log kept in ${result.dir}`);
process.exit(failed ? 1 : 0);
