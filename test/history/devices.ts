/**
 * Headless devices for the history checker: each is the app's own `TidingsClient` (sync
 * engine, outbox, Dexie store on fake-indexeddb), plus the bookkeeping the checker needs:
 * when it first became live, and the outcome of every send it was asked to make.
 */
import 'fake-indexeddb/auto';
import type { Session } from '../../src/protocol';
import { PENDING_BASE } from '../../src/store/db';
import { holes } from '../../src/store/ranges';
import { unreadOf } from '../../src/sync/read-state';
import { TidingsClient } from '../../src/sync/client';
import type { SyncStatus } from '../../src/sync/sync-engine';
import type { DeviceReadState, DeviceSnapshot, SendRecord } from './analyze';

export type LogFn = (op: number | null, type: 'invoke' | 'ok' | 'fail' | 'unknown' | 'info', detail: string) => void;

export class Device {
  private current: TidingsClient;
  status: SyncStatus = 'offline';
  /** Whether the checker wants it online (it may still be reconnecting). */
  online = true;
  liveFromOp = Number.POSITIVE_INFINITY;
  reloads = 0;

  constructor(
    readonly index: number,
    readonly user: number,
    readonly name: string,
    private readonly session: Session,
    private readonly serverUrl: string,
    private readonly runId: string,
    private readonly opsStarted: () => number,
    private readonly log: LogFn,
  ) {
    this.current = this.open();
  }

  /** The app's client on this device's store (a new one after each reload). */
  get client(): TidingsClient {
    return this.current;
  }

  private open(): TidingsClient {
    const name = this.name;
    const client: TidingsClient = new TidingsClient(
      { ...this.session, serverUrl: this.serverUrl },
      {
        dbName: `history-${this.runId}-${name}`,
        socket: { reconnectionDelay: 100, reconnectionDelayMax: 1000 },
        onStatus: (s) => {
          if (this.current !== client) return; // a closed client's last words
          this.status = s;
          if (s === 'live' && this.liveFromOp === Number.POSITIVE_INFINITY) this.liveFromOp = this.opsStarted();
        },
        onUnauthorized: (m) => this.log(null, 'info', `${name} unauthorized: ${m}`),
        onError: (err) => this.log(null, 'info', `${name} error: ${err instanceof Error ? err.message : String(err)}`),
      },
    );
    return client;
  }

  /** The app restarts on this device: the client closes and a new one opens the same store. */
  reload(): void {
    this.current.close();
    this.status = 'offline';
    this.reloads++;
    this.current = this.open();
    if (!this.online) this.current.disconnect();
  }

  get userId(): string {
    return this.client.me;
  }

  disconnect(): void {
    this.online = false;
    this.client.disconnect();
  }

  connect(): void {
    this.online = true;
    this.client.connect();
  }

  /** Live, nothing left to send, and the cursor at the server's pts for this user. */
  async caughtUp(serverPts: number | undefined): Promise<boolean> {
    if (this.status !== 'live') return false;
    const db = this.client.db;
    if ((await db.outbox.filter((j) => j.state === 'queued').count()) > 0) return false;
    if ((await db.messages.filter((m) => m.pending === 'sending').count()) > 0) return false;
    // Reads made here (offline too) have reached the server.
    if ((await db.conversations.filter((c) => c.lastReadSeq > c.readReported).count()) > 0) return false;
    const pts = await db.meta.get('pts');
    return serverPts !== undefined && pts?.value === serverPts;
  }

  /**
   * What a person does on opening a conversation: reads up to the newest message held; or,
   * with `back`, `Mark as unread` on the newest message from someone else (needs the server).
   * Returns what was done, for the op log.
   */
  async read(conversationId: string, back: boolean): Promise<string> {
    const db = this.client.db;
    const held = await db.messages.where('[conversationId+order]').between([conversationId, 1], [conversationId, PENDING_BASE], true, false).toArray();
    if (back) {
      const theirs = held.filter((m) => m.senderId !== this.userId && m.seq !== null).at(-1);
      if (!theirs?.seq) return 'nothing to mark unread';
      await this.client.reads.markUnread(conversationId, theirs.seq);
      return `marked unread from seq ${theirs.seq}`;
    }
    const newest = held.at(-1)?.seq;
    if (!newest) return 'nothing to read';
    await this.client.reads.markRead(conversationId, newest);
    return `read up to seq ${newest}`;
  }

  /**
   * What a person would recall: the newest of their own messages the device holds acked in the
   * conversation (the one just sent), or null when there is none.
   */
  async recallable(conversationId: string): Promise<{ seq: number; text: string } | null> {
    const db = this.client.db;
    const own = await db.messages
      .where('[conversationId+order]')
      .between([conversationId, 1], [conversationId, PENDING_BASE], true, false)
      .filter((m) => m.senderId === this.userId && m.seq !== null && m.recalledBy === null && !m.system)
      .last();
    return own?.seq ? { seq: own.seq, text: own.text } : null;
  }

  /** Read position, unread count and the peer's read position of every conversation held. */
  async readState(): Promise<DeviceReadState[]> {
    const db = this.client.db;
    const convs = await db.conversations.toArray();
    return Promise.all(
      convs.map(async (c) => ({ id: c.id, lastReadSeq: c.lastReadSeq, unread: await unreadOf(db, c, this.userId), peerReadSeq: c.peerReadSeq })),
    );
  }

  /** Loads history until the held ranges cover 1..head (the head as the server reports it). */
  async fillHistory(conversationId: string): Promise<void> {
    await this.client.loadPage(conversationId);
    for (let i = 0; i < 10_000; i++) {
      const conv = await this.client.db.conversations.get(conversationId);
      if (!conv) throw new Error(`${this.name} has no row for ${conversationId} after loading its latest page`);
      const hole = holes(conv.ranges, conv.lastSeq).at(-1);
      const first = conv.ranges[0];
      if (hole) await this.client.loadPage(conversationId, hole[1] + 1);
      else if (first && first[0] > Math.max(1, conv.firstSeq)) await this.client.loadPage(conversationId, first[0]);
      else return;
    }
    throw new Error(`${this.name}: history of ${conversationId} never filled`);
  }

  /** What the UI does when a conversation is viewed: loads one page (the newest hole, or older). */
  async scroll(conversationId: string): Promise<void> {
    const conv = await this.client.db.conversations.get(conversationId);
    const hole = conv ? holes(conv.ranges, conv.lastSeq).at(-1) : undefined;
    const first = conv?.ranges[0];
    if (hole) await this.client.loadPage(conversationId, hole[1] + 1);
    else if (conv && first && first[0] > Math.max(1, conv.firstSeq)) await this.client.loadPage(conversationId, first[0]);
    else await this.client.loadPage(conversationId);
  }

  async texts(): Promise<string[]> {
    return (await this.client.db.messages.toArray()).map((m) => m.text);
  }

  async snapshot(textsBeforeFill: readonly string[], reads: readonly DeviceReadState[]): Promise<DeviceSnapshot> {
    const db = this.client.db;
    const messages = await db.messages.toArray();
    const conversations = await db.conversations.toArray();
    return {
      name: this.name,
      userId: this.userId,
      liveFromOp: this.liveFromOp,
      textsBeforeFill,
      reads,
      messages: messages.map((m) => ({
        conversationId: m.conversationId,
        seq: m.seq,
        senderId: m.senderId,
        clientMsgId: m.clientMsgId,
        text: m.text,
        recalledBy: m.recalledBy,
        ...(m.pending ? { pending: m.pending } : {}),
      })),
      conversations: conversations.map((c) => ({ id: c.id, lastSeq: c.lastSeq, ranges: c.ranges })),
    };
  }
}

interface Tracked {
  record: SendRecord;
  device: Device;
  key: string;
  resolved: boolean;
}

/** Watches each send's stored message until it shows the ack (`seq`, nothing pending) or `Failed`. */
export class SendTracker {
  private readonly tracked: Tracked[] = [];
  private timer: ReturnType<typeof setInterval> | null = null;
  private polling = false;

  constructor(private readonly log: LogFn) {}

  get records(): SendRecord[] {
    return this.tracked.map((t) => t.record);
  }

  get unresolved(): number {
    return this.tracked.filter((t) => !t.resolved).length;
  }

  track(device: Device, key: string, record: SendRecord): void {
    this.tracked.push({ record, device, key, resolved: false });
  }

  /** Sends not yet seen acked whose device (or, with `null`, every device) loses its connection. */
  disrupt(device: Device | null, why: string): void {
    for (const t of this.tracked) {
      if (t.resolved || t.record.disrupted || (device && t.device !== device)) continue;
      t.record.disrupted = true;
      this.log(t.record.op, 'unknown', `${why} before the ack was seen`);
    }
  }

  start(intervalMs = 100): void {
    this.timer = setInterval(() => void this.poll(), intervalMs);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  async poll(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    try {
      const byDevice = new Map<Device, Tracked[]>();
      for (const t of this.tracked) if (!t.resolved) byDevice.set(t.device, [...(byDevice.get(t.device) ?? []), t]);
      for (const [device, list] of byDevice) {
        const db = device.client.db;
        // A reload may close the store under this read; the next poll reads the new one.
        const rows = await db.messages.bulkGet(list.map((t) => t.key)).catch(() => null);
        if (!rows) continue;
        list.forEach((t, i) => {
          const row = rows[i];
          if (row && row.seq !== null && !row.pending) {
            t.resolved = true;
            t.record.acked = true;
            t.record.seq = row.seq;
            this.log(t.record.op, 'ok', `acked seq ${row.seq}${t.record.disrupted ? ' (after a retry)' : ''}`);
          } else if (row?.pending === 'failed') {
            t.resolved = true;
            t.record.failed = true;
            this.log(t.record.op, 'fail', row.error ?? 'failed');
          }
        });
      }
    } finally {
      this.polling = false;
    }
  }
}
