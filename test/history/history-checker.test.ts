/**
 * Bounded runs of the multi-device history checker (`npm run check:history` runs longer): a
 * real server in a child process that is stopped, SIGKILLed and crashed at crash points
 * midway, headless devices on the app's own sync engine and store going offline, reloading
 * and signing in fresh, and every count of lost, duplicated, misordered, missing or leaked
 * messages must be 0. Besides the one-to-one chats there is one group of every user but one:
 * in the first run the server's fan-out threshold is 3, so the group of 4 takes the room path
 * (room pushes, heads on reconnect, gap fill); in the second it takes the inbox path. Devices
 * also read and mark unread (offline too), and every device must end with the server's read
 * position, the unread number the shared rule gives, and its peer's receipts. People recall
 * their latest messages: every recall the server did reaches every device, text and all.
 * Users start with 2–3 devices; each run must see a device join midway and a server restart.
 * A third, short run kills the server from outside while a crash point is armed: the checker
 * must tell that from a crash point firing and fail it as `server-crash`.
 * `TIDINGS_CHECK_SEED` replays another seed.
 */
import { describe, expect, it } from 'vitest';
import { COUNT_NAMES, formatReport, type CountName } from './analyze';
import { cleanUp, runChecker, type CheckOptions } from './checker';

const seed = Number(process.env.TIDINGS_CHECK_SEED ?? 20240611);
const zero = Object.fromEntries(COUNT_NAMES.map((n) => [n, 0])) as Record<CountName, number>;
const PLAN = { users: 5, devicesMin: 2, devicesMax: 3, restartEvery: 110, newDeviceEvery: 90, maxNewDevices: 2 };

async function check(options: Omit<CheckOptions, 'print'>) {
  const lines: string[] = [];
  const result = await runChecker({ ...options, print: (l) => lines.push(l) });
  console.log([...lines, JSON.stringify(result.tally), formatReport(result.report, options.seed)].join('\n'));
  cleanUp(result, false);
  expect(result.stalled).toEqual([]);
  expect(result.report.counts).toEqual(zero);
  expect(result.tally.serverCrashes).toBe(0);
  // The run did what it is for: a device signed in midway, and the server went down and came back.
  expect(result.tally.newDevices).toBeGreaterThan(0);
  expect(result.tally.plannedStops + result.tally.crashes).toBeGreaterThan(0);
  expect(result.tally.serverStarts).toBeGreaterThan(1);
  return result;
}

describe('multi-device history checker', () => {
  it(`[SYNC-5][SYNC-8][OUT-2][OUT-5][OUT-8][SEND-2][RANGE-1][GROUP-5][GROUP-6][READ-7][RECALL-5][RECALL-6] seed ${seed}: every device ends with the server's history, nothing lost, duplicated or leaked, and its read positions and unread counts; the group on the room path`, async () => {
    const r = await check({ seed, ops: 320, durationMs: 40_000, plan: PLAN, fanoutMax: 3 });
    expect(r.report.sends.total).toBeGreaterThan(150);
    expect(r.report.roomGroups).toBe(1);
    expect(r.tally.groupSends).toBeGreaterThan(20);
    expect(r.tally.reads).toBeGreaterThan(10);
    expect(r.report.recalls.onServer).toBeGreaterThan(1);
  }, 150_000);

  it(`[SYNC-7][GROUP-5] seed ${seed + 1}: the same with every inbox pruned on restart (tooLong, then bootstrap and history); the group on the inbox path`, async () => {
    const r = await check({ seed: seed + 1, ops: 200, durationMs: 30_000, plan: { ...PLAN, restartEvery: 70 }, pruneOnRestart: true });
    expect(r.report.sends.total).toBeGreaterThan(80);
    expect(r.report.roomGroups).toBe(0);
    expect(r.report.groupMessages).toBeGreaterThan(10);
  }, 150_000);

  it('[CHECK-1] a server that dies without its crash point firing fails the run as server-crash, even with a crash point armed', async () => {
    const lines: string[] = [];
    // Seed 3 arms a crash point on the first server, so the kill lands on an armed server.
    const result = await runChecker({
      seed: 3,
      ops: 40,
      plan: { users: 2, devicesMin: 1, devicesMax: 1, restartEvery: 10_000, newDeviceEvery: 10_000, maxNewDevices: 0 },
      killServerAtOp: 20,
      print: (l) => lines.push(l),
    });
    cleanUp(result, false);
    console.log([...lines, JSON.stringify(result.tally), formatReport(result.report, 3)].join('\n'));
    expect(lines[0]).toMatch(/first crash point (after|mid)-/);
    expect(result.tally.serverCrashes).toBe(1);
    expect(result.tally.crashes).toBe(0);
    expect(result.report.counts['server-crash']).toBe(1);
    expect(formatReport(result.report, 3)).toMatch(/server-crash\s+1/);
    // Everything else still holds: the server came back and the devices caught up.
    expect({ ...result.report.counts, 'server-crash': 0 }).toEqual(zero);
  }, 90_000);
});
