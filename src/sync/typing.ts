/**
 * Typing indicators, both ways. Never stored: a `typing` event says "typing now", and the
 * indicator goes away `TYPING_EXPIRES_MS` after the last one, when that person's message
 * arrives, or when the connection drops. The sending side says so at most every
 * `TYPING_THROTTLE_MS` while its person types.
 */
import { TYPING_EXPIRES_MS, TYPING_THROTTLE_MS } from '../protocol';
import { realClock, type Clock } from './sync-engine';

/** Who is typing where, as heard from the server. */
export class TypingTracker {
  /** conversationId → userId → expiry timer. */
  private readonly typists = new Map<string, Map<string, unknown>>();

  constructor(
    private readonly onChange: (conversationId: string, userIds: readonly string[]) => void,
    private readonly clock: Clock = realClock,
    private readonly expiresMs = TYPING_EXPIRES_MS,
  ) {}

  heard(conversationId: string, userId: string): void {
    const users = this.typists.get(conversationId) ?? new Map<string, unknown>();
    const timer = users.get(userId);
    const fresh = timer === undefined;
    if (!fresh) this.clock.clearTimeout(timer);
    users.set(
      userId,
      this.clock.setTimeout(() => this.stopped(conversationId, userId), this.expiresMs),
    );
    this.typists.set(conversationId, users);
    if (fresh) this.onChange(conversationId, this.of(conversationId));
  }

  /** Their message arrived, or their indicator expired. */
  stopped(conversationId: string, userId: string): void {
    const users = this.typists.get(conversationId);
    const timer = users?.get(userId);
    if (!users || timer === undefined) return;
    this.clock.clearTimeout(timer);
    users.delete(userId);
    if (users.size === 0) this.typists.delete(conversationId);
    this.onChange(conversationId, this.of(conversationId));
  }

  of(conversationId: string): string[] {
    return [...(this.typists.get(conversationId)?.keys() ?? [])];
  }

  /** The connection dropped: nobody is known to be typing any more. */
  clear(): void {
    for (const [conversationId, users] of [...this.typists]) {
      for (const timer of users.values()) this.clock.clearTimeout(timer);
      this.typists.delete(conversationId);
      this.onChange(conversationId, []);
    }
  }
}

/** Lets at most one `typing` out per conversation every `TYPING_THROTTLE_MS`. */
export class TypingThrottle {
  private readonly lastSent = new Map<string, number>();

  constructor(
    private readonly send: (conversationId: string) => void,
    private readonly now: () => number = Date.now,
    private readonly everyMs = TYPING_THROTTLE_MS,
  ) {}

  typed(conversationId: string): void {
    const last = this.lastSent.get(conversationId);
    const now = this.now();
    if (last !== undefined && now - last < this.everyMs) return;
    this.lastSent.set(conversationId, now);
    this.send(conversationId);
  }

  /** The message went out: typing again is news at once. */
  sent(conversationId: string): void {
    this.lastSent.delete(conversationId);
  }
}
