/**
 * Child process: the online members of the big groups, one socket.io-client connection per
 * member (websocket transport, the same handshake as the app). It records, for every message
 * pushed to any of its sockets (an inbox `push` with a `message` event, or a `room` event),
 * which members got it and when (`monoMs`, a clock shared with the parent), and answers the
 * parent's `await` with the time the last of them got it.
 *
 * The members live outside the bench process so that the thousands of frames each group
 * message causes are decoded on their own thread, not on the one that times the one-to-one
 * pair and the group sender.
 */
import type { Socket } from 'socket.io-client';
import { SOCKET_EVENTS } from '../src/protocol';
import { mapLimit } from './concurrency';
import { monoMs, ownCpuMs, type Arrivals, type FromMembers, type ToMembers } from './ipc';
import { connect, pushedClientMsgId } from './load';

interface Tally extends Arrivals {
  seen: Uint8Array;
}

const sockets: Socket[] = [];
const tallies = new Map<string, Tally>();
const waiting = new Map<string, { count: number; timer: NodeJS.Timeout }>();
let stopping = false;

const send = (m: FromMembers) => process.send?.(m);

function report(clientMsgId: string): void {
  const w = waiting.get(clientMsgId);
  if (w) clearTimeout(w.timer);
  waiting.delete(clientMsgId);
  const t = tallies.get(clientMsgId);
  tallies.delete(clientMsgId);
  const { seen: _seen, ...arrivals } = t ?? { seen: null, clientMsgId, count: 0, push: 0, room: 0, duplicates: 0, first: Number.NaN, last: Number.NaN };
  send({ type: 'arrivals', ...arrivals, cpuMs: ownCpuMs() });
}

function record(index: number, clientMsgId: string, kind: 'push' | 'room'): void {
  const now = monoMs();
  let t = tallies.get(clientMsgId);
  if (!t) {
    t = { clientMsgId, seen: new Uint8Array(sockets.length), count: 0, push: 0, room: 0, duplicates: 0, first: now, last: now, cpuMs: 0 };
    tallies.set(clientMsgId, t);
  }
  t[kind]++;
  if (t.seen[index]) {
    t.duplicates++;
    return;
  }
  t.seen[index] = 1;
  t.count++;
  t.last = now;
  const w = waiting.get(clientMsgId);
  if (w && t.count >= w.count) report(clientMsgId);
}

async function onConnect(m: Extract<ToMembers, { type: 'connect' }>): Promise<void> {
  const t0 = monoMs();
  await mapLimit(m.accounts, m.concurrency, async (account, index) => {
    const socket = await connect(m.url, account);
    sockets[index] = socket;
    socket.on(SOCKET_EVENTS.push, (entry: unknown) => {
      const id = pushedClientMsgId(entry);
      if (id !== undefined) record(index, id, 'push');
    });
    socket.on(SOCKET_EVENTS.room, (message: { clientMsgId?: unknown } | null) => {
      if (typeof message?.clientMsgId === 'string') record(index, message.clientMsgId, 'room');
    });
    socket.on('disconnect', (reason) => {
      if (!stopping) send({ type: 'problem', message: `${account.username} disconnected: ${reason}` });
    });
  });
  send({ type: 'connected', count: sockets.length, ms: monoMs() - t0, rssMiB: process.memoryUsage().rss / 2 ** 20, cpuMs: ownCpuMs() });
}

process.on('message', (m: ToMembers) => {
  if (m.type === 'connect') {
    onConnect(m).catch((err: unknown) => send({ type: 'failed', message: err instanceof Error ? err.message : String(err) }));
  } else if (m.type === 'await') {
    if ((tallies.get(m.clientMsgId)?.count ?? 0) >= m.count) report(m.clientMsgId);
    else waiting.set(m.clientMsgId, { count: m.count, timer: setTimeout(() => report(m.clientMsgId), m.timeoutMs) });
  } else if (m.type === 'stop') {
    stopping = true;
    for (const s of sockets) s.disconnect();
    process.exit(0);
  }
});
process.on('disconnect', () => process.exit(1));
