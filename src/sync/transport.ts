/**
 * What the sync engine needs from the network: request/reply with a timeout, and
 * connection events and pushes delivered through `TransportEvents`. The socket.io
 * implementation is `socket-transport.ts`; tests drive the engine with a scripted one.
 */
import { TidingsError, type RequestInput, type RequestType, type ResultOf } from '../protocol';

/** The request could not be answered: it may or may not have reached the server. */
export class TransportError extends Error {
  constructor(readonly reason: 'timeout' | 'disconnected') {
    super(reason === 'timeout' ? 'The server did not answer in time.' : 'Not connected to the server.');
    this.name = 'TransportError';
  }
}

export interface Transport {
  readonly connected: boolean;
  request<T extends RequestType>(req: Extract<RequestInput, { type: T }>, timeoutMs?: number): Promise<ResultOf<T>>;
}

export interface TransportEvents {
  onConnect(): void;
  onDisconnect(): void;
  onPush(payload: unknown): void;
  /** A big group's message, pushed on its room without a pts. */
  onRoom(payload: unknown): void;
  /** The server refused the session (revoked or expired). */
  onUnauthorized(message: string): void;
  /** The device's network came back: a connection attempt starts now. */
  onConnecting?(): void;
  /** Ephemeral events: sent once per connection, typing, presence. Unparsed: the client parses. */
  onHello?(payload: unknown): void;
  onTyping?(payload: unknown): void;
  onPresence?(payload: unknown): void;
}

/**
 * Resolves once the server answered, even with a refusal: a refusal will not change by asking
 * again (the server's events have the last word). A lost connection or a timeout still rejects,
 * so the caller tries again later.
 */
export async function refusalIsFinal(request: Promise<unknown>): Promise<void> {
  try {
    await request;
  } catch (err) {
    if (!(err instanceof TidingsError) || err.code === 'rate_limited' || err.code === 'unavailable') throw err;
  }
}
