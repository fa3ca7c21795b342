/**
 * The send side: a stored job queue. A message is written to the message table (`Sending`)
 * and its job to the outbox in ONE transaction before the first try, so a reload or a crash
 * never loses it. Jobs go out one at a time in the order they were queued, each with the same
 * `clientMsgId` on every try, so the server's dedupe makes a retry harmless and a queued
 * message is never stored twice. A try that times out is retried with backoff; after
 * `maxAttempts` such tries, or a refusal by the server, the message shows `Failed`.
 */
import { v4 as uuidv4 } from 'uuid';
import { normalizeText, quoteText, TidingsError, type Mentions, type SendResult } from '../protocol';
import { messageKey, PENDING_BASE, type OutboxJob, type SendFailure, type TidingsDb } from '../store/db';
import { storeMessages } from './apply';
import type { Clock } from './sync-engine';
import { realClock } from './sync-engine';
import { TransportError, type Transport } from './transport';

/** What a message may carry besides its text. */
export interface SendExtra {
  /** The message it replies to. */
  replyToSeq?: number | undefined;
  /** Who it @mentions (groups). */
  mentions?: Mentions | undefined;
}

export interface OutboxOptions {
  maxAttempts?: number;
  baseBackoffMs?: number;
  maxBackoffMs?: number;
  requestTimeoutMs?: number;
  clock?: Clock;
  now?: () => number;
  onError?: (err: unknown) => void;
}

/** Server answers worth another try; every other code is a refusal that will not change. */
const RETRYABLE = new Set(['rate_limited', 'unavailable', 'internal']);

export class Outbox {
  private draining = false;
  private wakeTimer: unknown = null;
  private readonly maxAttempts: number;
  private readonly baseBackoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly requestTimeoutMs: number;
  private readonly clock: Clock;
  private readonly now: () => number;

  constructor(
    private readonly db: TidingsDb,
    private readonly me: string,
    private readonly transport: Transport,
    options: OutboxOptions = {},
  ) {
    this.maxAttempts = options.maxAttempts ?? 5;
    this.baseBackoffMs = options.baseBackoffMs ?? 1_000;
    this.maxBackoffMs = options.maxBackoffMs ?? 30_000;
    this.requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
    this.clock = options.clock ?? realClock;
    this.now = options.now ?? Date.now;
    this.onError = options.onError;
  }

  private readonly onError: ((err: unknown) => void) | undefined;

  /**
   * Queues a message (optionally a reply to the message at `replyToSeq`) and returns its local
   * key; it shows at once as `Sending`, with its quote.
   */
  async send(conversationId: string, raw: string, clientMsgId: string = uuidv4(), extra: SendExtra = {}): Promise<string> {
    const { replyToSeq } = extra;
    const mentions = extra.mentions && (extra.mentions.all || extra.mentions.userIds.length > 0) ? extra.mentions : null;
    // The server stores NFC; the sender's own copy must read the same as everyone else's.
    const text = normalizeText(raw);
    const key = messageKey(conversationId, this.me, clientMsgId);
    const now = this.now();
    const db = this.db;
    await db.transaction('rw', [db.messages, db.outbox, db.conversations], async () => {
      const quoted = replyToSeq === undefined ? undefined : await db.messages.where('[conversationId+order]').equals([conversationId, replyToSeq]).first();
      await db.messages.add({
        key,
        conversationId,
        senderId: this.me,
        clientMsgId,
        text,
        msgId: null,
        seq: null,
        order: PENDING_BASE + now,
        serverTime: null,
        createdAt: now,
        system: null,
        recalledBy: null,
        replyTo:
          replyToSeq === undefined
            ? null
            : { seq: replyToSeq, senderId: quoted?.senderId ?? '', text: quoteText(quoted?.text ?? ''), recalled: quoted?.recalledBy != null },
        mentions,
        pending: 'sending',
      });
      await db.outbox.add({
        messageKey: key,
        conversationId,
        clientMsgId,
        text,
        ...(replyToSeq === undefined ? {} : { replyToSeq }),
        ...(mentions ? { mentions } : {}),
        attempts: 0,
        nextAttemptAt: 0,
        state: 'queued',
      });
      // The list previews the message at once; its real seq (above the current head) replaces
      // this preview when the ack or any newer message is stored.
      const conv = await db.conversations.get(conversationId);
      if (conv) {
        await db.conversations.update(conversationId, {
          activityAt: now,
          lastMessage: { text, senderId: this.me, serverTime: now, seq: conv.lastSeq },
        });
      }
    });
    this.kick();
    return key;
  }

  /** Puts a `Failed` message back in the queue (the person pressed retry). */
  async retry(key: string): Promise<void> {
    const db = this.db;
    await db.transaction('rw', [db.messages, db.outbox], async () => {
      await db.outbox.where('messageKey').equals(key).modify({ state: 'queued', attempts: 0, nextAttemptAt: 0 });
      await db.messages.update(key, { pending: 'sending', error: undefined, errorCode: undefined });
    });
    this.kick();
  }

  /**
   * Drops a message the server refused for good (see `SendFailure`) from this device: its row
   * and its job. Nothing of it was stored on the server, so nothing is recalled anywhere.
   */
  async discard(key: string): Promise<void> {
    const db = this.db;
    await db.transaction('rw', [db.messages, db.outbox], async () => {
      const m = await db.messages.get(key);
      if (m?.pending !== 'failed') return;
      await db.outbox.where('messageKey').equals(key).delete();
      await db.messages.delete(key);
    });
  }

  /** Starts draining if connected and not already draining. */
  kick(): void {
    if (this.draining || !this.transport.connected) return;
    this.draining = true;
    void this.drain()
      .catch((err: unknown) => this.onError?.(err))
      .finally(() => {
        this.draining = false;
      });
  }

  stop(): void {
    if (this.wakeTimer !== null) this.clock.clearTimeout(this.wakeTimer);
    this.wakeTimer = null;
  }

  private async nextJob(): Promise<OutboxJob | undefined> {
    return this.db.outbox.orderBy('id').filter((j) => j.state === 'queued').first();
  }

  private async drain(): Promise<void> {
    for (;;) {
      if (!this.transport.connected) return;
      const job = await this.nextJob();
      if (!job?.id) return;
      const wait = job.nextAttemptAt - this.now();
      if (wait > 0) {
        // Later messages wait behind this one: order is kept.
        this.scheduleWake(wait);
        return;
      }
      let result: SendResult;
      try {
        result = await this.transport.request(
          {
            type: 'send',
            conversationId: job.conversationId,
            clientMsgId: job.clientMsgId,
            text: job.text,
            ...(job.replyToSeq === undefined ? {} : { replyToSeq: job.replyToSeq }),
            ...(job.mentions ? { mentions: job.mentions } : {}),
          },
          this.requestTimeoutMs,
        );
      } catch (err) {
        if (err instanceof TransportError && err.reason === 'disconnected') return; // resumes on reconnect
        const retryable = err instanceof TransportError || (err instanceof TidingsError && RETRYABLE.has(err.code));
        await this.recordFailure(job, err, retryable);
        continue;
      }
      await this.recordSent(job, result);
    }
  }

  private scheduleWake(ms: number) {
    if (this.wakeTimer !== null) this.clock.clearTimeout(this.wakeTimer);
    this.wakeTimer = this.clock.setTimeout(() => {
      this.wakeTimer = null;
      this.kick();
    }, ms);
  }

  private async recordSent(job: OutboxJob, r: SendResult): Promise<void> {
    const db = this.db;
    await db.transaction('rw', [db.messages, db.outbox, db.conversations, db.users, db.meta], async () => {
      await db.outbox.delete(job.id as number);
      // The quote as shown while sending; the server's version replaces it with the next read.
      const replyTo = (await db.messages.get(job.messageKey))?.replyTo ?? null;
      await storeMessages(db, this.me, r.conversationId, [
        {
          msgId: r.msgId,
          conversationId: r.conversationId,
          seq: r.seq,
          senderId: this.me,
          clientMsgId: job.clientMsgId,
          text: job.text,
          serverTime: r.serverTime,
          system: null,
          recalledBy: null,
          replyTo,
          mentions: (await db.messages.get(job.messageKey))?.mentions ?? null,
        },
      ]);
    });
  }

  private async recordFailure(job: OutboxJob, err: unknown, retryable: boolean): Promise<void> {
    const attempts = job.attempts + 1;
    const failed = !retryable || attempts >= this.maxAttempts;
    const backoff = Math.min(this.maxBackoffMs, this.baseBackoffMs * 2 ** (attempts - 1));
    const db = this.db;
    await db.transaction('rw', [db.messages, db.outbox], async () => {
      await db.outbox.update(job.id as number, {
        attempts,
        state: failed ? 'failed' : 'queued',
        nextAttemptAt: this.now() + backoff * (0.5 + Math.random() / 2),
      });
      if (failed) {
        await db.messages.update(job.messageKey, {
          pending: 'failed',
          error: err instanceof Error ? err.message : 'The message could not be sent.',
          errorCode: failureOf(err),
        });
      }
    });
  }
}

/** Failures no retry can mend: the person may only drop the message. */
export const FINAL_FAILURES: ReadonlySet<SendFailure> = new Set(['not_found', 'forbidden', 'bad_request']);

function failureOf(err: unknown): SendFailure {
  if (err instanceof TidingsError && (err.code === 'not_found' || err.code === 'forbidden' || err.code === 'bad_request' || err.code === 'rate_limited')) {
    return err.code;
  }
  return 'timeout';
}
