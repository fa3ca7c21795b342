/**
 * The receive side of sync: push, then pull by sequence.
 *
 *              connect                      caught up
 *   offline ───────────▶ catching-up ─────────────────▶ live
 *      ▲                   │     ▲                        │
 *      └──── disconnect ───┘     └── gap still open ──────┤ push pts == local+1 → apply
 *      ▲                           after gapWaitMs        │ push pts <= local   → drop (duplicate)
 *      └──────────────────── disconnect ──────────────────┘ push pts >  local+1 → hold, wait
 *
 * On every (re)connect the device pulls `sync(localPts)` in pages before it trusts pushes;
 * pushes that arrive meanwhile are held and applied after the pull, so the cursor never skips
 * a range. A held push beyond a gap waits `gapWaitMs` (about 0.5 s, as Telegram's clients
 * do) for the missing one, then the engine pulls. All store writes run one at a time.
 */
import { InboxEntrySchema, MessageSchema, type InboxEntry, type Message } from '../protocol';
import { getPts, type TidingsDb } from '../store/db';
import { applyBootstrap, applyEntry, eraseRecalled, storeMessages } from './apply';
import type { Transport } from './transport';

export type SyncStatus = 'offline' | 'catching-up' | 'live';

export interface SyncTimings {
  gapWaitMs: number;
  retryMs: number;
  requestTimeoutMs: number;
  pageSize: number;
}

export const DEFAULT_TIMINGS: SyncTimings = { gapWaitMs: 500, retryMs: 2_000, requestTimeoutMs: 10_000, pageSize: 200 };

export interface Clock {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realClock: Clock = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

export interface SyncEngineOptions {
  timings?: Partial<SyncTimings>;
  clock?: Clock;
  onStatus?: (status: SyncStatus) => void;
  /** Called after the store changed from the network (outbox and receipts hook in here). */
  onApplied?: () => void;
  /** Called each time the engine becomes live after catching up. */
  onLive?: () => void;
  /** Messages were stored in these conversations (by inbox or room): the client fills any seq gap. */
  onMessagesStored?: (conversationIds: readonly string[]) => void;
  /**
   * Messages stored from the network, after their transaction committed; `live` is false for
   * what a catch-up pulled (notifications summarize those instead of raising one each).
   */
  onIncoming?: (messages: readonly Message[], live: boolean) => void;
  /** The user's read position in a conversation moved (read on some device, or marked unread). */
  onReadMoved?: (conversationId: string, seq: number) => void;
  /** A message was recalled: whatever shows its text (a notification) must go. */
  onRecalled?: (conversationId: string, seq: number) => void;
  /**
   * A `conversation` event brought these conversations' summaries (joined, added back, left):
   * their recall counts may be ahead of this device (see recalls.ts).
   */
  onSummaries?: (conversationIds: readonly string[]) => void;
  /** Progress of a catch-up: events applied so far out of the events the server has. */
  onProgress?: (done: number, total: number) => void;
  onError?: (err: unknown) => void;
}

export class SyncEngine {
  private status: SyncStatus = 'offline';
  /** Bumped on every connect and disconnect: work started under an older generation stops. */
  private generation = 0;
  private readonly held = new Map<number, InboxEntry>();
  private gapTimer: unknown = null;
  private retryTimer: unknown = null;
  private serial: Promise<void> = Promise.resolve();
  private readonly timings: SyncTimings;
  private readonly clock: Clock;

  constructor(
    private readonly db: TidingsDb,
    private readonly me: string,
    private readonly transport: Transport,
    private readonly options: SyncEngineOptions = {},
  ) {
    this.timings = { ...DEFAULT_TIMINGS, ...options.timings };
    this.clock = options.clock ?? realClock;
  }

  get currentStatus(): SyncStatus {
    return this.status;
  }

  /** Resolves when every store write queued so far has finished (tests and shutdown). */
  idle(): Promise<void> {
    return this.serial;
  }

  onConnect(): void {
    const gen = ++this.generation;
    this.setStatus('catching-up');
    this.enqueue(() => this.catchUp(gen));
  }

  onDisconnect(): void {
    this.generation++;
    this.held.clear();
    this.clearTimers();
    this.setStatus('offline');
  }

  onPush(payload: unknown): void {
    const parsed = InboxEntrySchema.safeParse(payload);
    if (!parsed.success) {
      this.options.onError?.(new Error(`ignored a malformed push: ${parsed.error.issues[0]?.message ?? ''}`));
      return;
    }
    this.held.set(parsed.data.pts, parsed.data);
    // While catching up, pushes wait: the pull decides what comes next.
    if (this.status === 'live') this.enqueue(() => this.drainHeld(this.generation));
  }

  /**
   * A big group's message (no pts: groups at or above the inbox threshold get no inbox
   * events). It is stored like any other, in the same queue; a seq gap it reveals is a hole
   * the client fills from history.
   */
  onRoom(payload: unknown): void {
    const parsed = MessageSchema.safeParse(payload);
    if (!parsed.success) {
      this.options.onError?.(new Error(`ignored a malformed room push: ${parsed.error.issues[0]?.message ?? ''}`));
      return;
    }
    const m = parsed.data;
    this.enqueue(async () => {
      const db = this.db;
      // Past this user's leaving: not theirs to read (a line that raced the removal between
      // server nodes; see docs/scale-out.md). Kept neither here nor on screen.
      const conv = await db.conversations.get(m.conversationId);
      if (conv?.leftSeq != null && m.seq > conv.leftSeq) return;
      await db.transaction('rw', [db.conversations, db.messages, db.outbox], async () => {
        // A big group's recall comes this way, as the erased message: erase what is held.
        if (m.recalledBy !== null) await eraseRecalled(db, this.me, m.conversationId, m.seq, m.recalledBy, m.senderId, null);
        await storeMessages(db, this.me, m.conversationId, [m]);
      });
      this.options.onApplied?.();
      this.options.onMessagesStored?.([m.conversationId]);
      this.options.onIncoming?.([m], this.status === 'live');
      if (m.recalledBy !== null) this.options.onRecalled?.(m.conversationId, m.seq);
    });
  }

  stop(): void {
    this.onDisconnect();
  }

  private setStatus(s: SyncStatus) {
    if (this.status === s) return;
    this.status = s;
    this.options.onStatus?.(s);
  }

  private clearTimers() {
    if (this.gapTimer !== null) this.clock.clearTimeout(this.gapTimer);
    if (this.retryTimer !== null) this.clock.clearTimeout(this.retryTimer);
    this.gapTimer = null;
    this.retryTimer = null;
  }

  private enqueue(task: () => Promise<void>): void {
    this.serial = this.serial.then(task).catch((err: unknown) => this.options.onError?.(err));
  }

  private async catchUp(gen: number): Promise<void> {
    if (gen !== this.generation) return;
    let startPts: number | null = null;
    try {
      for (;;) {
        const pts = await getPts(this.db);
        if (gen !== this.generation) return;
        if (pts === null) {
          // A new device starts from the server's current pts and conversation heads.
          await this.bootstrap(gen);
          continue;
        }
        const page = await this.transport.request(
          { type: 'sync', sincePts: pts, limit: this.timings.pageSize },
          this.timings.requestTimeoutMs,
        );
        if (gen !== this.generation) return;
        if (page.status === 'tooLong') {
          await this.bootstrap(gen);
          continue;
        }
        await this.applyInOrder(page.entries);
        startPts ??= pts;
        if (page.more) this.options.onProgress?.((await getPts(this.db) ?? pts) - startPts, page.pts - startPts);
        if (!page.more) break;
      }
    } catch (err) {
      if (gen !== this.generation) return;
      this.options.onError?.(err);
      this.retryTimer = this.clock.setTimeout(() => {
        this.retryTimer = null;
        this.enqueue(() => this.catchUp(gen));
      }, this.timings.retryMs);
      return;
    }
    this.setStatus('live');
    await this.drainHeld(gen);
    this.options.onLive?.();
  }

  /**
   * Takes the server's pts and conversation summaries [SYNC-1]. A device whose inbox expired
   * [SYNC-7] lost the recall events in it too: the summaries' recall counts, stored with them,
   * tell the client what to ask for once live [RECALL-7].
   */
  private async bootstrap(gen: number): Promise<void> {
    const b = await this.transport.request({ type: 'bootstrap' }, this.timings.requestTimeoutMs);
    if (gen !== this.generation) return;
    await applyBootstrap(this.db, b);
  }

  /** Applies entries whose pts continue the local cursor; skips those already applied. */
  private async applyInOrder(entries: readonly InboxEntry[]): Promise<number> {
    const db = this.db;
    let applied = 0;
    const touched = new Set<string>();
    const incoming: Message[] = [];
    const reads: [string, number][] = [];
    const recalls: [string, number][] = [];
    const summaries = new Set<string>();
    const live = this.status === 'live';
    await db.transaction('rw', [db.conversations, db.messages, db.outbox, db.users, db.meta, db.receipts], async () => {
      let pts = (await getPts(db)) ?? 0;
      for (const entry of entries) {
        if (entry.pts <= pts) continue;
        if (entry.pts !== pts + 1) break;
        await applyEntry(db, this.me, entry);
        if (entry.event.type === 'message') {
          touched.add(entry.event.message.conversationId);
          incoming.push(entry.event.message);
        }
        if (entry.event.type === 'read') reads.push([entry.event.conversationId, entry.event.seq]);
        if (entry.event.type === 'recall') recalls.push([entry.event.conversationId, entry.event.seq]);
        if (entry.event.type === 'conversation') summaries.add(entry.event.conversation.id);
        pts = entry.pts;
        applied++;
      }
    });
    if (applied > 0) this.options.onApplied?.();
    if (touched.size > 0) this.options.onMessagesStored?.([...touched]);
    if (incoming.length > 0) this.options.onIncoming?.(incoming, live);
    for (const [conversationId, seq] of reads) this.options.onReadMoved?.(conversationId, seq);
    for (const [conversationId, seq] of recalls) this.options.onRecalled?.(conversationId, seq);
    if (summaries.size > 0) this.options.onSummaries?.([...summaries]);
    return applied;
  }

  private async drainHeld(gen: number): Promise<void> {
    if (gen !== this.generation || this.status !== 'live' || this.held.size === 0) return;
    const pts = (await getPts(this.db)) ?? 0;
    const ready: InboxEntry[] = [];
    for (let next = pts + 1; this.held.has(next); next++) ready.push(this.held.get(next) as InboxEntry);
    if (ready.length > 0) await this.applyInOrder(ready);
    const now = (await getPts(this.db)) ?? 0;
    for (const p of [...this.held.keys()]) if (p <= now) this.held.delete(p);
    if (this.held.size === 0) {
      if (this.gapTimer !== null) this.clock.clearTimeout(this.gapTimer);
      this.gapTimer = null;
      return;
    }
    // A push beyond a gap: give the missing one a moment to arrive, then pull.
    this.gapTimer ??= this.clock.setTimeout(() => {
      this.gapTimer = null;
      if (gen !== this.generation) return;
      this.enqueue(async () => {
        await this.drainHeld(gen);
        if (this.held.size === 0 || gen !== this.generation) return;
        this.setStatus('catching-up');
        await this.catchUp(gen);
      });
    }, this.timings.gapWaitMs);
  }
}
