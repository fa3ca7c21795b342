/**
 * Child process: a bare socket.io 4.8.4 relay, the transport's ceiling. It speaks the same
 * frames as Tidings (`req` with an ack, `push` to each member's room) and does nothing else:
 * no validation, no storage, no rate limit. The handshake token is the user name.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { LIMITS, SOCKET_EVENTS, type InboxEntry, type Reply } from '../src/protocol';
import { pairCountFromArgv, receiverName, reportFailure, senderName, serveUntilStopped, type ChildMessage } from './ipc';

type RelayRequest =
  | { type: 'openDirect'; username: string }
  | { type: 'send'; conversationId: string; clientMsgId: string; text: string };

function asRelayRequest(payload: unknown): RelayRequest | null {
  if (typeof payload !== 'object' || payload === null) return null;
  const p = payload as Record<string, unknown>;
  if (p.type === 'openDirect' && typeof p.username === 'string') return { type: 'openDirect', username: p.username };
  if (p.type === 'send' && typeof p.conversationId === 'string' && typeof p.clientMsgId === 'string' && typeof p.text === 'string') {
    return { type: 'send', conversationId: p.conversationId, clientMsgId: p.clientMsgId, text: p.text };
  }
  return null;
}

async function main() {
  const pairs = pairCountFromArgv(process.argv);
  const http = createServer();
  const io = new Server(http, { maxHttpBufferSize: LIMITS.maxFrameBytes, serveClient: false });
  const room = (user: string) => `user:${user}`;
  const members = new Map<string, readonly [string, string]>();
  const seqs = new Map<string, number>();
  const pts = new Map<string, number>();
  let msgId = 0;

  io.on('connection', (socket) => {
    const user = String((socket.handshake.auth as { token?: unknown }).token);
    void socket.join(room(user));
    socket.on(SOCKET_EVENTS.request, (payload: unknown, ack: unknown) => {
      if (typeof ack !== 'function') return;
      const reply = (r: Reply) => (ack as (r: Reply) => void)(r);
      const req = asRelayRequest(payload);
      if (req?.type === 'openDirect') {
        const id = [user, req.username].sort().join(':');
        members.set(id, [user, req.username]);
        reply({ ok: true, result: { conversation: { id } } });
        return;
      }
      const pair = req ? members.get(req.conversationId) : undefined;
      if (req?.type !== 'send' || !pair) {
        reply({ ok: false, error: { code: 'bad_request', message: 'unknown request' } });
        return;
      }
      const seq = (seqs.get(req.conversationId) ?? 0) + 1;
      seqs.set(req.conversationId, seq);
      const message = {
        msgId: String(++msgId),
        conversationId: req.conversationId,
        seq,
        senderId: user,
        clientMsgId: req.clientMsgId,
        text: req.text,
        serverTime: Date.now(),
        system: null,
        recalledBy: null,
        replyTo: null,
        mentions: null,
      };
      // Like Tidings: one push per member, the sender's own devices included.
      for (const member of pair) {
        const next = (pts.get(member) ?? 0) + 1;
        pts.set(member, next);
        const entry: InboxEntry = { pts: next, event: { type: 'message', message } };
        io.to(room(member)).emit(SOCKET_EVENTS.push, entry);
      }
      reply({ ok: true, result: { msgId: message.msgId, conversationId: message.conversationId, seq, serverTime: message.serverTime } });
    });
  });

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = http.address() as AddressInfo;
  serveUntilStopped(async () => {
    await io.close();
  });
  const accounts = Array.from({ length: pairs }, (_, i) => [senderName(i), receiverName(i)])
    .flat()
    .map((username) => ({ username, token: username }));
  process.send?.({ type: 'ready', url: `http://127.0.0.1:${port}`, accounts } satisfies ChildMessage);
}

main().catch(reportFailure);
