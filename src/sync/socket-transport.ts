/**
 * The socket.io implementation of `Transport`. The session token travels only in the
 * handshake's `auth`. Replies are parsed with the protocol's result schemas: a reply that
 * does not parse is treated like any server error, never trusted.
 */
import { io, type Socket } from 'socket.io-client';
import {
  isErrorCode,
  PROTOCOL_VERSION,
  ReplySchema,
  RESULT_SCHEMAS,
  SOCKET_EVENTS,
  TidingsError,
  type RequestInput,
  type RequestType,
  type ResultOf,
} from '../protocol';
import { TransportError, type Transport, type TransportEvents } from './transport';

export interface SocketTransportOptions {
  /** Extra socket.io-client options (tests pass their own reconnection timings). */
  reconnectionDelay?: number;
  reconnectionDelayMax?: number;
}

export class SocketTransport implements Transport {
  private readonly socket: Socket;

  private readonly onOnline: () => void;

  constructor(serverUrl: string, token: string, events: TransportEvents, options: SocketTransportOptions = {}) {
    this.socket = io(serverUrl, {
      auth: { token, protocol: PROTOCOL_VERSION },
      transports: ['websocket'],
      reconnectionDelay: options.reconnectionDelay ?? 500,
      reconnectionDelayMax: options.reconnectionDelayMax ?? 5_000,
      // Jittered backoff, so a restarted server is not met by every client at once.
      randomizationFactor: 0.5,
    });
    this.socket.on('connect', () => events.onConnect());
    this.socket.on('disconnect', () => events.onDisconnect());
    this.socket.on(SOCKET_EVENTS.push, (payload: unknown) => events.onPush(payload));
    this.socket.on(SOCKET_EVENTS.room, (payload: unknown) => events.onRoom(payload));
    this.socket.on(SOCKET_EVENTS.hello, (payload: unknown) => events.onHello?.(payload));
    this.socket.on(SOCKET_EVENTS.typing, (payload: unknown) => events.onTyping?.(payload));
    this.socket.on(SOCKET_EVENTS.presence, (payload: unknown) => events.onPresence?.(payload));
    this.socket.on(SOCKET_EVENTS.sessionRevoked, (e: { message?: string } | undefined) => {
      events.onUnauthorized(e?.message ?? 'This device was signed out.');
    });
    // Back online: try at once instead of waiting out the backoff (which may be 10 s by now).
    this.onOnline = () => {
      if (this.socket.connected || this.paused) return;
      events.onConnecting?.();
      this.socket.disconnect();
      this.socket.connect();
    };
    if (typeof window !== 'undefined') window.addEventListener('online', this.onOnline);
    this.socket.on('connect_error', (err: Error & { data?: { code?: string; message?: string } }) => {
      if (err.data?.code === 'unauthorized') {
        this.socket.disconnect();
        events.onUnauthorized(err.data.message ?? 'Your session has ended. Sign in again.');
      } else {
        events.onDisconnect();
      }
    });
  }

  get connected(): boolean {
    return this.socket.connected;
  }

  async request<T extends RequestType>(req: Extract<RequestInput, { type: T }>, timeoutMs = 10_000): Promise<ResultOf<T>> {
    // socket.io would buffer an emit until reconnect; a request either goes now or fails now.
    if (!this.socket.connected) throw new TransportError('disconnected');
    let raw: unknown;
    try {
      raw = await new Promise<unknown>((resolve, reject) => {
        const onDisconnect = () => reject(new TransportError('disconnected'));
        this.socket.once('disconnect', onDisconnect);
        this.socket.timeout(timeoutMs).emit(SOCKET_EVENTS.request, req, (err: Error | null, reply: unknown) => {
          this.socket.off('disconnect', onDisconnect);
          if (err) reject(new TransportError('timeout'));
          else resolve(reply);
        });
      });
    } catch (err) {
      if (err instanceof TransportError) throw err;
      throw new TransportError('timeout');
    }
    const reply = ReplySchema.safeParse(raw);
    if (!reply.success) throw new TidingsError('internal', 'The server sent a reply this client does not understand.');
    if (!reply.data.ok) {
      const { code, message } = reply.data.error;
      throw new TidingsError(isErrorCode(code) ? code : 'internal', message);
    }
    const result = RESULT_SCHEMAS[req.type].safeParse(reply.data.result);
    if (!result.success) throw new TidingsError('internal', 'The server sent a reply this client does not understand.');
    return result.data as ResultOf<T>;
  }

  /** Set by `pause()`: offline on purpose until `connect()`. */
  private paused = false;

  connect(): void {
    this.paused = false;
    this.socket.connect();
  }

  /**
   * Drops the connection and stays offline until `connect()` (a device going offline, in
   * tests). Requests in flight fail as `disconnected`; the events stay wired.
   */
  pause(): void {
    this.paused = true;
    this.socket.disconnect();
  }

  close(): void {
    if (typeof window !== 'undefined') window.removeEventListener('online', this.onOnline);
    this.socket.removeAllListeners();
    this.socket.disconnect();
  }
}
