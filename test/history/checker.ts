/**
 * The multi-device history checker: a real server in a child process, several users with
 * several headless devices each (the app's own sync engine and store), a seeded stream of
 * sends, disconnects, long offline spells, new devices and server stops (SIGTERM, SIGKILL,
 * crash points). At the end every device catches up and loads its full history, and
 * `analyze` compares every device's store with the server's database.
 */
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { directConversationId } from '../../src/protocol';
import { holes } from '../../src/store/ranges';
import { createAccount, signIn } from '../support/http';
import { analyze, violationCount, type Collected, type RecallRecord, type Report } from './analyze';
import { Device, SendTracker, type LogFn } from './devices';
import { CRASH_SPECS, DEFAULT_PLAN, groupMembers, Planner, type PlanSettings, type PlannedOp, type Target } from './plan';
import { ExitedWhileStarting, freePort, readServer, ServerProcess, type ServerExit } from './server-process';

export interface CheckOptions {
  seed: number;
  /** Stop after this many operations … */
  ops: number;
  /** … or after this long, whichever comes first. */
  durationMs?: number;
  plan?: Partial<PlanSettings>;
  /**
   * Run the server with inbox retention 0: every restart prunes all inboxes, so devices that
   * were behind get `tooLong` and fall back to bootstrap and history (SYNC-7).
   */
  pruneOnRestart?: boolean;
  /**
   * The server's `TIDINGS_INBOX_FANOUT_MAX` (default 500). The run's group has `users - 1`
   * members: at or above this it takes the room path (no inbox events; room pushes, heads on
   * reconnect, gap fill), below it the inbox path.
   */
  fanoutMax?: number;
  /**
   * For testing the checker itself: just before this operation the server is SIGKILLed from
   * outside, unannounced, as a bug would kill it. The run must then fail with `server-crash`.
   */
  killServerAtOp?: number;
  /** Keep the temp directory (database and op log) even when the run passes. */
  keep?: boolean;
  print?: (line: string) => void;
}

export interface CheckResult {
  report: Report;
  opsRun: number;
  tally: {
    sends: number;
    groupSends: number;
    disconnects: number;
    reconnects: number;
    reloads: number;
    scrolls: number;
    reads: number;
    unreads: number;
    recalls: number;
    newDevices: number;
    plannedStops: number;
    /** Crash points that fired (the server said so, it was armed with that point, and died of SIGKILL)… */
    crashes: number;
    /** … by point. */
    crashesAt: Record<string, number>;
    /** Exits that were neither asked for nor a crash point firing: real crashes (must be 0). */
    serverCrashes: number;
    serverStarts: number;
  };
  /** Devices that did not catch up (live, outbox drained, cursor at the server's pts) in time. */
  stalled: string[];
  dir: string;
  elapsedMs: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor(what: string, cond: () => Promise<boolean> | boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(100);
  }
}

export async function runChecker(options: CheckOptions): Promise<CheckResult> {
  const started = Date.now();
  const print = options.print ?? ((l: string) => console.log(l));
  const settings: PlanSettings = { ...DEFAULT_PLAN, ...options.plan };
  const dir = mkdtempSync(join(tmpdir(), 'tidings-history-'));
  const logFile = createWriteStream(join(dir, 'ops.log'));
  const log: LogFn = (op, type, detail) => logFile.write(`${Date.now() - started} ${op === null ? '-' : `op${op}`} ${type} ${detail}\n`);
  const runId = `${options.seed}-${Date.now().toString(36)}`;
  const planner = new Planner(options.seed, settings);
  const tally: CheckResult['tally'] = { sends: 0, groupSends: 0, disconnects: 0, reconnects: 0, reloads: 0, scrolls: 0, reads: 0, unreads: 0, recalls: 0, newDevices: 0, plannedStops: 0, crashes: 0, crashesAt: {}, serverCrashes: 0, serverStarts: 0 };
  const unplanned: ServerExit[] = [];
  const inGroup = groupMembers(settings.users);
  const fanoutMax = options.fanoutMax ?? 500;
  const roomPath = inGroup.length > 0 && inGroup.length >= fanoutMax;
  const groupNote = inGroup.length === 0 ? 'no group' : `group of u${inGroup.join(',u')} on the ${roomPath ? 'room' : 'inbox'} path (fan-out max ${fanoutMax})`;
  print(
    `history checker: seed ${options.seed}, ${settings.users} users, devices ${planner.start.deviceUsers.join('')}, ${groupNote}, first crash point ${planner.start.firstCrashAt ?? 'none'}${options.pruneOnRestart ? ', inboxes pruned on restart' : ''}; log ${join(dir, 'ops.log')}`,
  );

  const env: Record<string, string> = {};
  if (options.pruneOnRestart) env.TIDINGS_INBOX_RETENTION_DAYS = '0';
  if (options.fanoutMax !== undefined) env.TIDINGS_INBOX_FANOUT_MAX = String(options.fanoutMax);
  const server = new ServerProcess(await freePort(), join(dir, 'tidings.db'), env);
  const tracker = new SendTracker(log);
  const devices: Device[] = [];
  const scrolls: Promise<void>[] = [];
  /** Reads and recalls in flight; they settle before the final catch-up is judged. */
  const reading: Promise<void>[] = [];
  const recalls: RecallRecord[] = [];
  let opsStarted = 0;
  let recovering: Promise<void> = Promise.resolve();
  /** The running server still has a crash point that has not fired. */
  let armed = false;

  /**
   * A crash point firing is part of the plan: the server restarts and the run goes on. Any
   * other exit is a crash of the server's own (a bug): it counts as `server-crash`, which
   * fails the run, and the server is restarted so the run can still report everything else.
   */
  const noteExit = (exit: ServerExit, whileStarting: boolean) => {
    armed = false;
    if (exit.planned && exit.point) {
      tally.crashes++;
      tally.crashesAt[exit.point] = (tally.crashesAt[exit.point] ?? 0) + 1;
      log(null, 'info', `server crashed at its crash point ${exit.point}${whileStarting ? ' while starting' : ''}`);
    } else {
      tally.serverCrashes++;
      unplanned.push(exit);
      log(null, 'info', `server crashed UNPLANNED (armed ${exit.armed ?? 'nothing'}, code ${exit.code}, signal ${exit.signal}): ${exit.detail}`);
      print(`server crashed without a crash point firing (armed ${exit.armed ?? 'nothing'}, exit code ${exit.code}, signal ${exit.signal}): ${exit.detail}`);
    }
    tracker.disrupt(null, 'server crashed');
  };
  const bringUp = async (crashAt: string | null) => {
    try {
      await server.start(crashAt);
      armed = crashAt !== null;
    } catch (err) {
      if (!(err instanceof ExitedWhileStarting)) throw err;
      // A crash point that fired while the server was still starting (a device pulled first),
      // or a real crash on start: noted as such; the next start has no crash point.
      noteExit(err.exit, true);
      await server.start(null);
      armed = false;
    }
    tally.serverStarts++;
    log(null, 'info', `server up (spawn ${server.spawns}${crashAt ? `, crash at ${crashAt}` : ''})`);
  };
  server.onUnexpectedExit = (exit) => {
    noteExit(exit, false);
    recovering = sleep(300).then(() => bringUp(null));
  };

  /** Requests made outside the sync engine (sign-in, openDirect) retry across a crash point firing. */
  const retrying = async <T>(what: string, fn: () => Promise<T>): Promise<T> => {
    for (let attempt = 1; ; attempt++) {
      await recovering;
      try {
        return await fn();
      } catch (err) {
        if (attempt >= 8) throw err;
        log(null, 'info', `${what} failed (${err instanceof Error ? err.message : String(err)}); retrying`);
        await sleep(500);
      }
    }
  };

  const usernames = Array.from({ length: settings.users }, (_, u) => `user${u}`);
  const userIds: string[] = [];
  let groupId = '';
  const convOf = (a: number, b: Target) => (b === 'group' ? groupId : directConversationId(userIds[a] ?? '', userIds[b] ?? ''));
  /** The conversations a user is in: a chat with every other user, and the group if a member. */
  const convsOf = (u: number) => [
    ...usernames.flatMap((_, peer) => (peer === u ? [] : [convOf(u, peer)])),
    ...(inGroup.includes(u) ? [groupId] : []),
  ];
  const addDevice = async (user: number, index: number, fresh: boolean) => {
    const username = usernames[user] ?? '';
    const deviceName = `u${user}-d${index}`;
    // A retried sign-up whose first try got through finds the name taken: then it signs in.
    const session = await retrying(`sign-in of ${deviceName}`, () =>
      fresh ? createAccount(server.url, username, { deviceName }).catch(() => signIn(server.url, username, { deviceName })) : signIn(server.url, username, { deviceName }),
    );
    if (fresh) userIds[user] = session.user.id;
    if (index !== devices.length) throw new Error(`device ${index} planned, ${devices.length} exist`);
    devices.push(new Device(index, user, deviceName, session, server.url, runId, () => opsStarted, log));
  };

  let opsRun = 0;
  try {
    await bringUp(planner.start.firstCrashAt);
    // Accounts first (so the direct conversations can be named), then the other devices.
    const firstOf = new Map<number, number>();
    planner.start.deviceUsers.forEach((u, d) => firstOf.has(u) || firstOf.set(u, d));
    for (let d = 0; d < planner.start.deviceUsers.length; d++) {
      const u = planner.start.deviceUsers[d] ?? 0;
      await addDevice(u, d, firstOf.get(u) === d);
    }
    await waitFor('every device live', () => devices.every((d) => d.status === 'live'), 60_000);
    for (let a = 0; a < settings.users; a++) {
      for (let b = a + 1; b < settings.users; b++) {
        const dev = devices.find((d) => d.user === a);
        await retrying(`openDirect u${a}-u${b}`, async () => dev?.client.openDirect(usernames[b] ?? ''));
      }
    }
    if (inGroup.length > 0) {
      const owner = devices.find((d) => d.user === 0);
      const others = inGroup.filter((u) => u !== 0).map((u) => usernames[u] ?? '');
      // A retry after a crash point fired must not make a second group: the first try may have committed.
      groupId = await retrying('createGroup', async () => {
        const existing = [...readServer(server.dataFile).kind].find(([, k]) => k === 'group')?.[0];
        return existing ?? (await (owner?.client.createGroup('checker group', others) ?? Promise.reject(new Error('no device of u0'))));
      });
      log(null, 'info', `group ${groupId}: ${groupNote}`);
    }
    await waitFor(
      'every device to hold its conversations',
      async () => (await Promise.all(devices.map(async (d) => (await d.client.db.conversations.count()) === convsOf(d.user).length))).every(Boolean),
      60_000,
    );
    print(`setup done in ${Date.now() - started} ms; running operations`);

    tracker.start();
    const until = options.durationMs === undefined ? Number.POSITIVE_INFINITY : started + options.durationMs;
    while (opsRun < options.ops && Date.now() < until) {
      const planned = planner.next();
      if (planned.delayMs > 0) await sleep(planned.delayMs);
      opsStarted = planned.index + 1;
      if (planned.index === options.killServerAtOp) {
        await recovering;
        log(null, 'info', 'killing the server from outside (a stand-in for a real crash)');
        server.killUnannounced();
      }
      await execute(planned);
      opsRun++;
    }
    print(`${opsRun} operations in ${Date.now() - started} ms; catching up`);

    // The end: server up, every device online, caught up, then loading its full history.
    await Promise.all(reading);
    await recovering;
    if (armed) {
      // A crash point that has not fired yet must not fire while the final state is read.
      log(null, 'info', 'disarming the crash point: server stop (term)');
      tracker.disrupt(null, 'server stop (term) to disarm its crash point');
      await server.stop('term');
    }
    if (!server.running) await bringUp(null);
    for (const d of devices) if (!d.online) d.connect();
    const stalled: string[] = [];
    try {
      await waitFor(
        'every device to catch up',
        async () => {
          await tracker.poll();
          const { pts } = readServer(server.dataFile);
          const ok = await Promise.all(devices.map((d) => d.caughtUp(pts.get(d.userId))));
          return ok.every(Boolean) && tracker.unresolved === 0;
        },
        120_000,
      );
    } catch (err) {
      const { pts } = readServer(server.dataFile);
      for (const d of devices) if (!(await d.caughtUp(pts.get(d.userId)))) stalled.push(`${d.name} (${d.status})`);
      print(`${err instanceof Error ? err.message : String(err)}: ${stalled.join(', ')}; ${tracker.unresolved} sends unresolved`);
    }
    if (roomPath) {
      // The room path has no pts to compare: a member device has caught up on the group when it
      // knows the server's head and holds no hole above its lowest held message (heads on
      // reconnect and the gap fill are done). Not reaching that is left to the analysis
      // (inbox-miss: the final history load had to bring what live sync did not).
      const settled = async (d: Device, head: number) => {
        if (!inGroup.includes(d.user)) return true;
        const conv = await d.client.db.conversations.get(groupId);
        const lowest = conv?.ranges[0]?.[0];
        if (!conv || conv.lastSeq < head) return false;
        return lowest === undefined || holes(conv.ranges, conv.lastSeq).every(([from]) => from <= lowest);
      };
      const head = () => readServer(server.dataFile).lastSeq.get(groupId) ?? 0;
      try {
        await waitFor(
          'every member device to catch up on the room-path group',
          async () => {
            const h = head();
            return (await Promise.all(devices.map((d) => settled(d, h)))).every(Boolean);
          },
          20_000,
        );
      } catch (err) {
        const h = head();
        const behind: string[] = [];
        for (const d of devices) if (!(await settled(d, h))) behind.push(d.name);
        log(null, 'info', `${err instanceof Error ? err.message : String(err)}: ${behind.join(', ')}`);
        print(`room-path group not caught up by live sync on ${behind.join(', ')} (the final history load fills it; the analysis counts what it had to bring)`);
      }
    }
    tracker.stop();
    await Promise.all(scrolls);
    const before = await Promise.all(devices.map((d) => d.texts()));
    const reads = await Promise.all(devices.map((d) => d.readState()));
    for (const d of devices) for (const c of convsOf(d.user)) await d.fillHistory(c);
    const snapshots = await Promise.all(devices.map((d, i) => d.snapshot(before[i] ?? [], reads[i] ?? [])));
    const state = readServer(server.dataFile);
    const collected: Collected = {
      conversations: [...state.members].map(([id, memberIds]) => {
        const kind = state.kind.get(id) ?? 'direct';
        return {
          id,
          memberIds,
          lastSeq: state.lastSeq.get(id) ?? 0,
          kind,
          room: kind === 'group' && memberIds.length >= fanoutMax,
          firstSeq: Object.fromEntries(state.firstSeq.get(id) ?? []),
          reads: Object.fromEntries(state.reads.get(id) ?? []),
        };
      }),
      server: state.messages,
      devices: snapshots,
      sends: tracker.records,
      recalls,
      inboxPruned: options.pruneOnRestart ?? false,
      serverCrashes: unplanned.map((e) => `exit code ${e.code}, signal ${e.signal}, armed ${e.armed ?? 'nothing'}, said ${e.point ?? 'nothing'}: ${e.detail}`),
    };
    const report = analyze(collected);
    return { report, opsRun, tally, stalled, dir, elapsedMs: Date.now() - started };
  } finally {
    tracker.stop();
    for (const d of devices) d.client.close();
    await server.stop('term');
    await new Promise<void>((r) => logFile.end(() => r()));
  }

  async function execute({ index, op }: PlannedOp): Promise<void> {
    switch (op.kind) {
      case 'send': {
        const d = devices[op.device];
        if (!d) throw new Error(`no device ${op.device}`);
        const conversationId = convOf(d.user, op.peer);
        log(index, 'invoke', `send ${d.name} -> ${op.peer === 'group' ? 'group' : `u${op.peer}`} "${op.text}"${d.online ? '' : ' (offline)'}`);
        const record = { op: index, device: d.name, senderId: d.userId, conversationId, text: op.text, acked: false, seq: null, failed: false, disrupted: false };
        tally.sends++;
        if (op.peer === 'group') tally.groupSends++;
        tracker.track(d, await d.client.send(conversationId, op.text), record);
        return;
      }
      case 'disconnect':
      case 'reconnect': {
        const d = devices[op.device];
        if (!d) throw new Error(`no device ${op.device}`);
        log(index, 'invoke', `${op.kind} ${d.name}${op.kind === 'disconnect' ? ` for ${op.forOps} ops` : ''}`);
        if (op.kind === 'disconnect') {
          tally.disconnects++;
          tracker.disrupt(d, `${d.name} disconnected`);
          d.disconnect();
        } else {
          tally.reconnects++;
          d.connect();
        }
        log(index, 'ok', op.kind);
        return;
      }
      case 'scroll': {
        const d = devices[op.device];
        if (!d) throw new Error(`no device ${op.device}`);
        log(index, 'invoke', `scroll ${d.name} in ${op.peer === 'group' ? 'the group' : `the chat with u${op.peer}`}`);
        tally.scrolls++;
        // Not awaited: pages load while everything else goes on, as in the app.
        scrolls.push(
          d.scroll(convOf(d.user, op.peer)).then(
            () => log(index, 'ok', 'page loaded'),
            (err: unknown) => log(index, 'fail', `page not loaded: ${err instanceof Error ? err.message : String(err)}`),
          ),
        );
        return;
      }
      case 'read': {
        const d = devices[op.device];
        if (!d) throw new Error(`no device ${op.device}`);
        const conversationId = convOf(d.user, op.peer);
        log(index, 'invoke', `${op.back ? 'mark unread' : 'read'} ${d.name} in ${op.peer === 'group' ? 'the group' : `the chat with u${op.peer}`}${d.online ? '' : ' (offline)'}`);
        if (op.back) tally.unreads++;
        else tally.reads++;
        // Not awaited, like a person's click: the request may meet a stop or a crash.
        reading.push(
          d.read(conversationId, op.back).then(
            (what) => log(index, 'ok', what),
            (err: unknown) => log(index, 'fail', `not done: ${err instanceof Error ? err.message : String(err)}`),
          ),
        );
        return;
      }
      case 'recall': {
        const d = devices[op.device];
        if (!d) throw new Error(`no device ${op.device}`);
        const conversationId = convOf(d.user, op.peer);
        log(index, 'invoke', `recall ${d.name} in ${op.peer === 'group' ? 'the group' : `the chat with u${op.peer}`}${d.online ? '' : ' (offline)'}`);
        tally.recalls++;
        // Not awaited, like a person's click. Refused (window passed), cut off or unknown: only
        // an answered recall must be on the server; any recall the server did must reach every device.
        reading.push(
          (async () => {
            const target = await d.recallable(conversationId);
            if (!target) {
              log(index, 'ok', 'nothing of theirs to recall');
              return;
            }
            const record: RecallRecord = { op: index, device: d.name, conversationId, seq: target.seq, text: target.text, acked: false };
            recalls.push(record);
            try {
              await d.client.recall(conversationId, target.seq);
              record.acked = true;
              log(index, 'ok', `recalled seq ${target.seq}`);
            } catch (err) {
              log(index, 'fail', `seq ${target.seq} not recalled: ${err instanceof Error ? err.message : String(err)}`);
            }
          })(),
        );
        return;
      }
      case 'reload': {
        const d = devices[op.device];
        if (!d) throw new Error(`no device ${op.device}`);
        log(index, 'invoke', `reload ${d.name}${d.online ? '' : ' (offline)'}`);
        tally.reloads++;
        tracker.disrupt(d, `${d.name} reloaded`);
        d.reload();
        log(index, 'ok', 'reloaded');
        return;
      }
      case 'newDevice': {
        log(index, 'invoke', `new device for u${op.user}`);
        await addDevice(op.user, op.device, false);
        tally.newDevices++;
        log(index, 'ok', `signed in u${op.user}-d${op.device}`);
        return;
      }
      case 'serverDown': {
        await recovering;
        log(index, 'invoke', `server stop (${op.mode})`);
        tally.plannedStops++;
        tracker.disrupt(null, `server stop (${op.mode})`);
        await server.stop(op.mode);
        log(index, 'ok', 'server stopped');
        return;
      }
      case 'serverUp': {
        log(index, 'invoke', `server start${op.crashAt ? ` (crash at ${op.crashAt})` : ''}`);
        await recovering;
        if (!server.running) await bringUp(op.crashAt);
        log(index, 'ok', 'server started');
        return;
      }
    }
  }
}

/** ` (mid-pull 2, mid-fanout 1)`: the crash points that fired, by point, in the order they are named. */
export function formatCrashesAt(crashesAt: Readonly<Record<string, number>>): string {
  const parts = CRASH_SPECS.filter((p) => crashesAt[p]).map((p) => `${p} ${crashesAt[p]}`);
  return parts.length > 0 ? ` (${parts.join(', ')})` : '';
}

/** Removes a passing run's temp directory unless asked to keep it. */
export function cleanUp(result: CheckResult, keep: boolean): void {
  const failed = violationCount(result.report) > 0 || result.stalled.length > 0;
  if (!failed && !keep) rmSync(result.dir, { recursive: true, force: true });
}
