/**
 * Group fan-out (issue 5): one Tidings server with a 100-, a 1,000- and a 5,000-member group,
 * every member online as its own socket.io-client connection.
 *
 *  1. Fan-out time: from just before the owner's `send` emit to the moment the LAST other
 *     member's socket gets the message (an inbox `push` below `TIDINGS_INBOX_FANOUT_MAX`
 *     members, a `room` event at or above it), a few messages per group, one at a time.
 *  2. Priority tiers: a one-to-one pair exchanges messages at a steady rate; its push
 *     latency p99 while the server is otherwise idle, then while messages to the 5,000-member
 *     group are fanned out back to back.
 *
 * The members' sockets live in child processes (members-child.ts); the owner, the pair and
 * all timing of the pair live here. Member arrival times come from the shared monotonic
 * clock (`monoMs`), so they compare with the send time taken here.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Socket } from 'socket.io-client';
import { startChild, type ServerChild } from './child';
import { sleep } from './concurrency';
import { monoMs, type Arrivals, type BenchAccount } from './ipc';
import { connect, pushedClientMsgId, request } from './load';
import { MembersChild } from './members';
import { summarize, type LatencySummary } from './stats';
import { SOCKET_EVENTS } from '../src/protocol';

export interface GroupPlan {
  sizes: number[];
  /** Messages per group that are timed (after one untimed warm-up message). */
  messagesPerGroup: number;
  /** Processes the members' sockets are spread over. */
  memberProcesses: number;
  inboxFanoutMax: number;
  pairRate: number;
  pairWindowMs: number;
  /** Group messages in flight at once during the busy window. */
  busyInFlight: number;
}

export interface FanoutRow {
  members: number;
  path: 'inbox' | 'room';
  messages: number;
  /** Send → last other member, ms. */
  lastMedian: number;
  lastMax: number;
  /** Send → first other member, ms (median). */
  firstMedian: number;
  /** CPU per timed message: the server process, and the members' processes together, ms. */
  serverCpuMs: number;
  membersCpuMs: number;
}

export interface GroupResult {
  plan: GroupPlan;
  setup: {
    serverReadyMs: number;
    groupsMs: number;
    groupRequests: number;
    connectMs: number;
    connections: number;
    /** CPU spent connecting the members: server, members' processes together (ms). */
    connectServerCpuMs: number;
    connectMembersCpuMs: number;
    memberRssMiB: number[];
  };
  fanout: FanoutRow[];
  pair: {
    idle: LatencySummary;
    busy: LatencySummary;
    /** Group messages fully fanned out during the busy window, and their pace. */
    groupMessages: number;
    groupMessagesPerSec: number;
    deliveriesPerSec: number;
    /** Send → last member of the group messages of the busy window, ms. */
    busyFanout: LatencySummary;
    /** Share of one core the server used during the busy window. */
    serverBusy: number;
  };
  problems: string[];
}

const ARRIVAL_TIMEOUT_MS = 20_000;
const BATCH = 200;
const TEXT = 'Group bench message: the quick brown fox jumps over the lazy dog';

const median = (xs: readonly number[]) => summarize(xs).p50;

export async function runGroups(opts: { dataFile: string; ratePoints: number; plan: GroupPlan }): Promise<GroupResult> {
  const { plan } = opts;
  const problems: string[] = [];
  const biggest = Math.max(...plan.sizes);
  const t0 = performance.now();
  const server: ServerChild = await startChild({
    label: 'tidings-groups',
    script: './server-child.ts',
    pairs: 1,
    members: biggest - 1,
    readyTimeoutMs: 90_000,
    env: {
      TIDINGS_DATA: opts.dataFile,
      TIDINGS_WEB_ROOT: '',
      PORT: '0',
      TIDINGS_RATE_POINTS: String(opts.ratePoints),
      TIDINGS_USER_RATE_POINTS: String(opts.ratePoints),
      TIDINGS_CONNECTS_PER_MINUTE: String(opts.ratePoints),
      TIDINGS_INBOX_FANOUT_MAX: String(plan.inboxFanoutMax),
      TIDINGS_SESSION_SWEEP_S: '3600',
      TIDINGS_LOG_LEVEL: 'warn',
    },
  });
  const serverReadyMs = performance.now() - t0;
  const group = server.group;
  if (!group) throw new Error('the server child did not create the group members');
  process.stderr.write(`groups: server ready with ${group.members.length + 3} accounts (${Math.round(serverReadyMs)} ms)\n`);

  const own: Socket[] = [];
  const children: MembersChild[] = [];
  const watch = (socket: Socket, who: string) => {
    own.push(socket);
    socket.on('disconnect', (reason) => {
      if (reason !== 'io client disconnect') problems.push(`${who} disconnected: ${reason}`);
    });
    return socket;
  };
  try {
    const [pairSender, pairReceiver] = server.accounts as [BenchAccount, BenchAccount];
    const owner = watch(await connect(server.url, group.owner), group.owner.username);
    const sender = watch(await connect(server.url, pairSender), pairSender.username);
    const receiver = watch(await connect(server.url, pairReceiver), pairReceiver.username);

    // The groups, through the real requests: createGroup with the first ≤200 names, then
    // addMembers 200 at a time. Group of N = the owner + members 0..N-2.
    const t1 = performance.now();
    let groupRequests = 0;
    const groupIds = new Map<number, string>();
    for (const size of plan.sizes) {
      const names = group.members.slice(0, size - 1).map((a) => a.username);
      const created = await request(owner, { type: 'createGroup', name: `Bench ${size}`, usernames: names.slice(0, BATCH - 1) });
      groupRequests++;
      const id = (created.result as { conversation?: { id?: unknown } } | undefined)?.conversation?.id;
      if (!created.ok || typeof id !== 'string') throw new Error(`createGroup (${size}) failed: ${JSON.stringify(created.error)}`);
      for (let i = BATCH - 1; i < names.length; i += BATCH) {
        const added = await request(owner, { type: 'addMembers', conversationId: id, usernames: names.slice(i, i + BATCH) });
        groupRequests++;
        if (!added.ok) throw new Error(`addMembers (${size}, from ${i}) failed: ${JSON.stringify(added.error)}`);
      }
      groupIds.set(size, id);
    }
    const groupsMs = performance.now() - t1;
    process.stderr.write(`groups: ${plan.sizes.join(', ')}-member groups created with ${groupRequests} requests (${Math.round(groupsMs)} ms)\n`);

    // Members connect after the groups exist: on connect the server joins each socket to the
    // rooms of its groups. Member i goes to child i mod K.
    const t2 = performance.now();
    const serverCpu0 = server.cpuMs();
    for (let k = 0; k < plan.memberProcesses; k++) children.push(new MembersChild(`members-${k + 1}`));
    const shares = children.map((_, k) => group.members.filter((_, i) => i % plan.memberProcesses === k));
    const connected = await Promise.all(children.map((c, k) => c.connect(server.url, shares[k] as BenchAccount[], 60_000)));
    const connectMs = performance.now() - t2;
    const connectServerCpuMs = server.cpuMs() - serverCpu0;
    const connectMembersCpuMs = connected.reduce((n, c) => n + c.cpuMs, 0);
    const connections = connected.reduce((n, c) => n + c.count, 0);
    process.stderr.write(
      `groups: ${connections} member sockets connected over ${children.length} processes (${Math.round(connectMs)} ms; CPU server ${Math.round(connectServerCpuMs)} ms, members ${Math.round(connectMembersCpuMs)} ms)\n`,
    );
    await sleep(500);

    /** Members of the size-N group that child k holds: members 0..N-2, round-robin. */
    const expectedIn = (size: number, k: number) => Math.floor((size - 1 - k + plan.memberProcesses - 1) / plan.memberProcesses);

    /** Sends one group message and waits until every other member has it. */
    const groupMessage = async (size: number): Promise<{ last: number; first: number; membersCpuMs: number } | null> => {
      const conversationId = groupIds.get(size) as string;
      const clientMsgId = randomUUID();
      const path = size >= plan.inboxFanoutMax ? 'room' : 'push';
      const expected = children.map((_, k) => expectedIn(size, k));
      const sentAt = monoMs();
      const ack = request(owner, { type: 'send', conversationId, clientMsgId, text: TEXT });
      const arrived = await Promise.all(children.map((c, k) => c.arrivals(clientMsgId, expected[k] as number, ARRIVAL_TIMEOUT_MS)));
      const reply = await ack.catch((err: unknown) => ({ ok: false, error: { code: 'timeout', message: String(err) } }));
      if (!reply.ok) problems.push(`group send (${size}) failed: ${JSON.stringify(reply.error)}`);
      const got = arrived.reduce((n, a) => n + a.count, 0);
      const want = size - 1;
      const sum = (pick: (a: Arrivals) => number) => arrived.reduce((n, a) => n + pick(a), 0);
      if (got < want) problems.push(`group of ${size}: ${want - got} of ${want} online members never got a message (${path} path) within ${ARRIVAL_TIMEOUT_MS / 1000} s`);
      if (sum((a) => a.duplicates) > 0) problems.push(`group of ${size}: ${sum((a) => a.duplicates)} duplicate deliveries of one message`);
      const wrong = path === 'room' ? sum((a) => a.push) : sum((a) => a.room);
      if (wrong > 0) problems.push(`group of ${size}: ${wrong} members got the message as ${path === 'room' ? 'push' : 'room'} events (expected ${path})`);
      if (got < want || !reply.ok) return null;
      return {
        membersCpuMs: sum((a) => a.cpuMs),
        last: Math.max(...arrived.filter((a) => a.count > 0).map((a) => a.last)) - sentAt,
        first: Math.min(...arrived.filter((a) => a.count > 0).map((a) => a.first)) - sentAt,
      };
    };

    const fanout: FanoutRow[] = [];
    for (const size of plan.sizes) {
      const warm = await groupMessage(size); // warm-up, not timed
      const lasts: number[] = [];
      const firsts: number[] = [];
      await sleep(100);
      const cpu0 = server.cpuMs();
      let membersCpu = warm?.membersCpuMs ?? Number.NaN;
      let membersCpuUsed = 0;
      for (let i = 0; i < plan.messagesPerGroup; i++) {
        const r = await groupMessage(size);
        if (r) {
          lasts.push(r.last);
          firsts.push(r.first);
          membersCpuUsed += r.membersCpuMs - membersCpu;
          membersCpu = r.membersCpuMs;
        }
        await sleep(100);
      }
      const serverCpuMs = (server.cpuMs() - cpu0) / plan.messagesPerGroup;
      const s = summarize(lasts);
      fanout.push({
        members: size,
        path: size >= plan.inboxFanoutMax ? 'room' : 'inbox',
        messages: lasts.length,
        lastMedian: s.p50,
        lastMax: s.max,
        firstMedian: median(firsts),
        serverCpuMs,
        membersCpuMs: membersCpuUsed / Math.max(1, lasts.length),
      });
      process.stderr.write(
        `groups: ${size} members: last member after ${s.p50.toFixed(1)} ms median, ${s.max.toFixed(1)} ms max; CPU/message server ${serverCpuMs.toFixed(0)} ms, members ${(membersCpuUsed / Math.max(1, lasts.length)).toFixed(0)} ms\n`,
      );
    }

    // ---- one-to-one pair, idle vs during back-to-back fan-out to the biggest group
    const opened = await request(sender, { type: 'openDirect', username: pairReceiver.username });
    const directId = (opened.result as { conversation?: { id?: unknown } } | undefined)?.conversation?.id;
    if (!opened.ok || typeof directId !== 'string') throw new Error(`openDirect failed: ${JSON.stringify(opened.error)}`);
    const awaiting = new Map<string, { sentAt: number; samples: number[] | null }>();
    receiver.on(SOCKET_EVENTS.push, (entry: unknown) => {
      const now = performance.now();
      const id = pushedClientMsgId(entry);
      const w = id === undefined ? undefined : awaiting.get(id);
      if (!id || !w) return;
      awaiting.delete(id);
      w.samples?.push(now - w.sentAt);
    });
    const pairSend = async (samples: number[] | null) => {
      const clientMsgId = randomUUID();
      awaiting.set(clientMsgId, { sentAt: performance.now(), samples });
      try {
        const reply = await request(sender, { type: 'send', conversationId: directId, clientMsgId, text: TEXT });
        if (!reply.ok) problems.push(`one-to-one send failed: ${JSON.stringify(reply.error)}`);
      } catch (err) {
        problems.push(`one-to-one send failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    };
    /** `rate` messages/s on schedule for `ms`, then waits for their pushes. */
    const pairWindow = async (ms: number, samples: number[] | null, phase: string) => {
      const total = Math.round((plan.pairRate * ms) / 1000);
      const inFlight: Promise<void>[] = [];
      const start = performance.now();
      while (inFlight.length < total) {
        const due = Math.min(total, Math.floor(((performance.now() - start) * plan.pairRate) / 1000) + 1);
        while (inFlight.length < due) inFlight.push(pairSend(samples));
        await sleep(1);
      }
      await Promise.all(inFlight);
      const until = performance.now() + 5_000;
      while (awaiting.size > 0 && performance.now() < until) await sleep(10);
      if (awaiting.size > 0) problems.push(`one-to-one ${phase}: ${awaiting.size} acked messages were never pushed to the receiver`);
      awaiting.clear();
    };

    await pairWindow(1_000, null, 'warm-up');
    const idle: number[] = [];
    await pairWindow(plan.pairWindowMs, idle, 'idle');

    // Back to back: a new message to the biggest group as soon as fewer than `busyInFlight`
    // are still being fanned out, so the server always has big-group work queued.
    let pumping = true;
    const busyFanout: number[] = [];
    const pumpStart = performance.now();
    const pump = async () => {
      while (pumping) {
        const r = await groupMessage(biggest);
        if (!r) return;
        busyFanout.push(r.last);
      }
    };
    const pumps = Array.from({ length: plan.busyInFlight }, async (_, i) => {
      await sleep(i * 20);
      await pump();
    });
    await sleep(300); // let the fan-out get under way
    const busyStart = busyFanout.length;
    const windowStart = performance.now();
    const windowCpu0 = server.cpuMs();
    const busy: number[] = [];
    await pairWindow(plan.pairWindowMs, busy, 'during fan-out');
    const windowMs = performance.now() - windowStart;
    const serverBusy = (server.cpuMs() - windowCpu0) / windowMs;

    const groupMessagesInWindow = busyFanout.length - busyStart;
    pumping = false;
    await Promise.all(pumps);
    process.stderr.write(`groups: pumped ${busyFanout.length} messages to the ${biggest}-member group in ${Math.round(performance.now() - pumpStart)} ms\n`);

    const idleS = summarize(idle);
    const busyS = summarize(busy);
    process.stderr.write(`groups: one-to-one p99 idle ${idleS.p99.toFixed(1)} ms, during fan-out ${busyS.p99.toFixed(1)} ms\n`);
    const perSec = groupMessagesInWindow / (windowMs / 1000);

    for (const c of children) problems.push(...c.problems);
    problems.push(...server.errorLines.map((line) => `server logged an error: ${line}`));
    return {
      plan,
      setup: { serverReadyMs, groupsMs, groupRequests, connectMs, connections, connectServerCpuMs, connectMembersCpuMs, memberRssMiB: connected.map((c) => c.rssMiB) },
      fanout,
      pair: {
        idle: idleS,
        busy: busyS,
        groupMessages: groupMessagesInWindow,
        groupMessagesPerSec: perSec,
        deliveriesPerSec: perSec * (biggest - 1),
        busyFanout: summarize(busyFanout),
        serverBusy,
      },
      problems,
    };
  } finally {
    for (const s of own) s.disconnect();
    await Promise.all(children.map((c) => c.stop()));
    await server.stop();
  }
}
