/**
 * The load generator: one socket.io-client connection per account, each sender in a
 * one-to-one conversation with its own receiver. Runs the same three phases against any
 * server that speaks the Tidings frames (Tidings itself, or the bare relay):
 *
 *  1. warm-up: every sender sends back to back (JIT, SQLite page cache, socket buffers);
 *  2. steady: a fixed total rate, round-robin over the senders, for push latency at ease;
 *  3. load: every sender sends back to back; acks inside the window give sends/s, and each
 *     message's push to the receiver gives push latency under load.
 *
 * Latency is measured in this process only: from just before the `req` emit to the
 * receiver's socket getting the `push` carrying that message's `clientMsgId`.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { io, type Socket } from 'socket.io-client';
import { PROTOCOL_VERSION, SOCKET_EVENTS, type RequestInput } from '../src/protocol';
import { mapLimit, sleep } from './concurrency';
import type { BenchAccount } from './ipc';
import { summarize, type LatencySummary } from './stats';

export interface LoadPlan {
  warmupMs: number;
  steadyRate: number;
  steadyMs: number;
  loadMs: number;
  /** How long to wait, after a phase, for pushes still on their way. */
  drainMs: number;
}

export interface LoadResult {
  sendsPerSec: number;
  ackedInWindow: number;
  steady: LatencySummary;
  load: LatencySummary;
  /** Failed or timed-out requests, unexpected disconnects: anything but a clean run. */
  problems: string[];
}

interface Pair {
  sender: Socket;
  receiver: Socket;
  conversationId: string;
}

const ACK_TIMEOUT_MS = 10_000;
const TEXT = 'The quick brown fox jumps over the lazy dog. Bench message';

export function connect(url: string, account: BenchAccount): Promise<Socket> {
  const socket = io(url, {
    auth: { token: account.token, protocol: PROTOCOL_VERSION },
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
    timeout: 10_000,
  });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (err) => {
      socket.close();
      reject(new Error(`${account.username} could not connect: ${err.message}`));
    });
  });
}

export interface Reply {
  ok: boolean;
  result?: unknown;
  error?: { code: string; message: string };
}

export async function request(socket: Socket, payload: RequestInput): Promise<Reply> {
  const reply = (await socket.timeout(ACK_TIMEOUT_MS).emitWithAck(SOCKET_EVENTS.request, payload)) as Reply;
  if (typeof reply !== 'object' || reply === null || typeof reply.ok !== 'boolean') throw new Error('malformed reply');
  return reply;
}

/** `clientMsgId` of a pushed message event, if the push is one. */
export function pushedClientMsgId(entry: unknown): string | undefined {
  const event = (entry as { event?: { type?: unknown; message?: { clientMsgId?: unknown } } } | null)?.event;
  const id = event?.type === 'message' ? event.message?.clientMsgId : undefined;
  return typeof id === 'string' ? id : undefined;
}

export async function runLoad(url: string, accounts: readonly BenchAccount[], plan: LoadPlan): Promise<LoadResult> {
  const problems: string[] = [];
  const sockets: Socket[] = [];
  /** Messages sent and not yet pushed to their receiver: send time and where the sample goes. */
  const awaiting = new Map<string, { sentAt: number; samples: number[] | null }>();

  const onPush = (entry: unknown) => {
    const now = performance.now();
    const id = pushedClientMsgId(entry);
    const expected = id === undefined ? undefined : awaiting.get(id);
    if (!id || !expected) return;
    awaiting.delete(id);
    expected.samples?.push(now - expected.sentAt);
  };

  try {
    const connected = await mapLimit(accounts, 16, async (account) => {
      const socket = await connect(url, account);
      sockets.push(socket);
      socket.on('disconnect', (reason) => {
        if (reason !== 'io client disconnect') problems.push(`${account.username} disconnected: ${reason}`);
      });
      return socket;
    });

    const pairs: Pair[] = [];
    for (let i = 0; i + 1 < connected.length; i += 2) {
      const sender = connected[i] as Socket;
      const receiver = connected[i + 1] as Socket;
      const peer = accounts[i + 1] as BenchAccount;
      const reply = await request(sender, { type: 'openDirect', username: peer.username });
      const id = (reply.result as { conversation?: { id?: unknown } } | undefined)?.conversation?.id;
      if (!reply.ok || typeof id !== 'string') throw new Error(`openDirect ${peer.username} failed: ${JSON.stringify(reply.error)}`);
      receiver.on(SOCKET_EVENTS.push, onPush);
      pairs.push({ sender, receiver, conversationId: id });
    }

    let sent = 0;
    /** Sends one message and resolves with whether it was acked `ok`. */
    const send = async (pair: Pair, samples: number[] | null): Promise<boolean> => {
      const clientMsgId = randomUUID();
      // Registered before the emit: the server pushes before it acks, so the push can win.
      awaiting.set(clientMsgId, { sentAt: performance.now(), samples });
      sent++;
      try {
        const reply = await request(pair.sender, { type: 'send', conversationId: pair.conversationId, clientMsgId, text: `${TEXT} ${sent}` });
        if (reply.ok) return true;
        problems.push(`send failed: ${reply.error?.code ?? '?'} ${reply.error?.message ?? ''}`);
      } catch (err) {
        problems.push(`send failed: ${err instanceof Error ? err.message : String(err)}`);
      }
      awaiting.delete(clientMsgId);
      return false;
    };

    /** Every sender back to back for `ms`; counts acks that arrive inside the window. */
    const closedLoop = async (ms: number, samples: number[] | null): Promise<number> => {
      const end = performance.now() + ms;
      let acked = 0;
      await Promise.all(
        pairs.map(async (pair) => {
          while (performance.now() < end) {
            if (!(await send(pair, samples))) return; // a failing sender stops; the problem is recorded
            if (performance.now() <= end) acked++;
          }
        }),
      );
      return acked;
    };

    /** `rate` messages per second in total, on schedule whether or not acks have come back. */
    const openLoop = async (rate: number, ms: number, samples: number[]): Promise<void> => {
      const total = Math.round((rate * ms) / 1000);
      const inFlight: Promise<boolean>[] = [];
      const start = performance.now();
      await new Promise<void>((resolve) => {
        const timer = setInterval(() => {
          const due = Math.min(total, Math.floor(((performance.now() - start) * rate) / 1000) + 1);
          while (inFlight.length < due) inFlight.push(send(pairs[inFlight.length % pairs.length] as Pair, samples));
          if (inFlight.length >= total) {
            clearInterval(timer);
            resolve();
          }
        }, 1);
      });
      await Promise.all(inFlight);
    };

    /** Waits for pushes still expected; any that never come are a problem. */
    const drain = async (phase: string) => {
      const until = performance.now() + plan.drainMs;
      while (awaiting.size > 0 && performance.now() < until) await sleep(10);
      if (awaiting.size > 0) problems.push(`${phase}: ${awaiting.size} acked messages were never pushed to the receiver`);
      awaiting.clear();
    };

    await closedLoop(plan.warmupMs, null);
    await drain('warm-up');

    const steady: number[] = [];
    await openLoop(plan.steadyRate, plan.steadyMs, steady);
    await drain('steady');

    const underLoad: number[] = [];
    const acked = await closedLoop(plan.loadMs, underLoad);
    await drain('load');

    return {
      sendsPerSec: acked / (plan.loadMs / 1000),
      ackedInWindow: acked,
      steady: summarize(steady),
      load: summarize(underLoad),
      problems,
    };
  } finally {
    for (const socket of sockets) socket.disconnect();
  }
}
