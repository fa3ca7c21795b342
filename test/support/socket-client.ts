/**
 * Real socket.io clients for integration tests: the handshake carries the token in `auth`
 * (never the URL), pushes are recorded from the moment the socket is created, and requests go
 * through the same `req` event and ack envelope the app uses.
 */
import { randomUUID } from 'node:crypto';
import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';
import { Waiters } from './waiters';
import {
  InboxEntrySchema,
  PROTOCOL_VERSION,
  ProtocolErrorSchema,
  RESULT_SCHEMAS,
  ReplySchema,
  SOCKET_EVENTS,
  type InboxEntry,
  type ProtocolError,
  type Reply,
  type RequestInput,
  type RequestType,
  type ResultOf,
} from '../../src/protocol';

/** How long a test waits for something the server must do before it calls it a failure. */
export const EVENT_TIMEOUT_MS = 5_000;

const baseOptions: Partial<ManagerOptions & SocketOptions> = {
  transports: ['websocket'],
  // A test decides when a device comes back; a silent reconnect would hide a missed push.
  reconnection: false,
  forceNew: true,
};

type RequestOf<T extends RequestType> = Extract<RequestInput, { type: T }>;

/** Sends one request and returns the server's reply envelope, parsed. */
export async function request<T extends RequestType>(socket: Socket, req: RequestOf<T>): Promise<Reply> {
  return rawRequest(socket, req);
}

/** Sends any payload at all (for bad-input tests) and returns the reply envelope, parsed. */
export async function rawRequest(socket: Socket, payload: unknown): Promise<Reply> {
  const reply: unknown = await socket.timeout(EVENT_TIMEOUT_MS).emitWithAck(SOCKET_EVENTS.request, payload);
  return ReplySchema.parse(reply);
}

/** Sends a request that must succeed; returns its result parsed with the protocol's result schema. */
export async function requestOk<T extends RequestType>(socket: Socket, req: RequestOf<T>): Promise<ResultOf<T>> {
  const reply = await request(socket, req);
  if (!reply.ok) throw new Error(`${req.type} failed: ${reply.error.code}: ${reply.error.message}`);
  return RESULT_SCHEMAS[req.type].parse(reply.result) as ResultOf<T>;
}

/** Sends a request (or any payload) that must fail; returns the typed error. */
export async function requestError(socket: Socket, payload: unknown): Promise<ProtocolError> {
  const reply = await rawRequest(socket, payload);
  if (reply.ok) throw new Error(`expected an error, got ${JSON.stringify(reply.result)}`);
  return ProtocolErrorSchema.parse(reply.error) as ProtocolError;
}

/** One connected device. */
export class TestClient {
  /** Every push received, in arrival order, parsed with the protocol schema. */
  readonly pushes: InboxEntry[] = [];
  revokedWith: unknown = null;
  disconnectReason: string | null = null;
  private readonly waiters = new Waiters(EVENT_TIMEOUT_MS);

  constructor(readonly socket: Socket) {
    socket.on(SOCKET_EVENTS.push, (payload: unknown) => {
      this.pushes.push(InboxEntrySchema.parse(payload));
      this.waiters.wake();
    });
    socket.on(SOCKET_EVENTS.sessionRevoked, (payload: unknown) => {
      this.revokedWith = payload;
      this.waiters.wake();
    });
    socket.on('disconnect', (reason) => {
      this.disconnectReason = reason;
      this.waiters.wake();
    });
  }

  /** Resolves when `ready()` holds; fails after EVENT_TIMEOUT_MS with `what` in the message. */
  waitUntil(ready: () => boolean, what: string): Promise<void> {
    return this.waiters.until(ready, what);
  }

  /** Waits until `count` pushes in total have arrived and returns them. */
  async pushesUntil(count: number): Promise<InboxEntry[]> {
    await this.waitUntil(() => this.pushes.length >= count, `${count} pushes (have ${this.pushes.length})`);
    return this.pushes.slice(0, count);
  }

  /**
   * Waits for the pushes with pts `afterPts + 1 … afterPts + count` and returns them in the
   * order they arrived. Keyed by pts (read the head with `bootstrap` before acting), never by
   * how many pushes have arrived, so a push still in flight from an earlier step cannot shift it.
   */
  async pushesFrom(afterPts: number, count: number): Promise<InboxEntry[]> {
    const inRange = () => this.pushes.filter((p) => p.pts > afterPts && p.pts <= afterPts + count);
    await this.waitUntil(() => inRange().length >= count, `pushes with pts ${afterPts + 1}..${afterPts + count}`);
    return inRange();
  }

  /** Waits for the push with this pts. */
  async pushWithPts(pts: number): Promise<InboxEntry> {
    await this.waitUntil(() => this.pushes.some((p) => p.pts === pts), `the push with pts ${pts}`);
    return this.pushes.find((p) => p.pts === pts)!;
  }

  async disconnected(): Promise<string> {
    await this.waitUntil(() => this.disconnectReason !== null, 'the socket to disconnect');
    return this.disconnectReason!;
  }

  send(conversationId: string, text: string, clientMsgId: string = randomUUID()) {
    return requestOk(this.socket, { type: 'send', conversationId, clientMsgId, text });
  }

  request<T extends RequestType>(req: RequestOf<T>) {
    return requestOk(this.socket, req);
  }

  close(): void {
    this.socket.disconnect();
  }
}

export function handshakeAuth(token: string) {
  return { token, protocol: PROTOCOL_VERSION };
}

/** Connects a device with its session token; resolves once the server accepted the handshake. */
export function connect(url: string, token: string): Promise<TestClient> {
  return connectWith(url, { auth: handshakeAuth(token) });
}

export function connectWith(url: string, options: Partial<ManagerOptions & SocketOptions>): Promise<TestClient> {
  const socket = io(url, { ...baseOptions, ...options });
  const client = new TestClient(socket);
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(client));
    socket.once('connect_error', (err) => {
      socket.disconnect();
      reject(err);
    });
  });
}

/** Tries a handshake that must be refused; returns the refusal's `{code, message}` data. */
export function connectRefused(url: string, options: Partial<ManagerOptions & SocketOptions>): Promise<unknown> {
  const socket = io(url, { ...baseOptions, ...options });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => {
      socket.disconnect();
      reject(new Error('the server accepted a handshake it should have refused'));
    });
    socket.once('connect_error', (err: Error & { data?: unknown }) => {
      socket.disconnect();
      resolve(err.data ?? null);
    });
  });
}
