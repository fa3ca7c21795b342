/**
 * One signed-in account on one device: its local store, its connection, the receive engine
 * and the outbox, wired together. The UI uses it; so do headless clients in tests, with
 * fake-indexeddb under Dexie.
 */
import { HelloSchema, PresenceSchema, TypingEventSchema, type Message, type Presence, type Session } from '../protocol';
import { databaseName, openDb, type TidingsDb } from '../store/db';
import { mergeConversation, putUsers, storeMessages } from './apply';
import { catchUpRecalls, recallsDue } from './recalls';
import { fetchPage, fillGaps } from './history';
import { Outbox, type OutboxOptions, type SendExtra } from './outbox';
import { Flusher } from './flusher';
import { ReadState } from './read-state';
import { UserSettings } from './settings';
import { SocketTransport, type SocketTransportOptions } from './socket-transport';
import { SyncEngine, type SyncEngineOptions, type SyncStatus } from './sync-engine';
import { TypingThrottle, TypingTracker } from './typing';

export interface StoredSession extends Session {
  serverUrl: string;
  /** Signed in to the desktop app's own (bundled) server, whose address may change between runs. */
  bundled?: boolean;
}

export interface ClientOptions {
  onStatus?: (s: SyncStatus) => void;
  onProgress?: (done: number, total: number) => void;
  onUnauthorized?: (message: string) => void;
  onError?: (err: unknown) => void;
  /** Someone started or stopped typing in a conversation (ephemeral). */
  onTyping?: (conversationId: string, userIds: readonly string[]) => void;
  /** Presence of people heard from the server (ephemeral). */
  onPresence?: (presence: readonly Presence[]) => void;
  /** Messages stored from the network; `live` is false for a catch-up's (see SyncEngine). */
  onIncoming?: (messages: readonly Message[], live: boolean) => void;
  /** The user's read position moved (on this or another device). */
  onReadMoved?: (conversationId: string, seq: number) => void;
  /** A message was recalled. */
  onRecalled?: (conversationId: string, seq: number) => void;
  /** Caught up after (re)connecting. */
  onLive?: () => void;
  /** A connection attempt started because the device came back online. */
  onConnecting?: () => void;
  engine?: Omit<SyncEngineOptions, 'onStatus' | 'onApplied' | 'onLive' | 'onError' | 'onProgress' | 'onIncoming' | 'onReadMoved' | 'onRecalled'>;
  outbox?: OutboxOptions;
  socket?: SocketTransportOptions;
  dbName?: string;
  /** A device profile inside one browser (`?profile=`): its own local store. */
  profile?: string | null;
}

export class TidingsClient {
  readonly db: TidingsDb;
  readonly engine: SyncEngine;
  readonly outbox: Outbox;
  readonly transport: SocketTransport;
  readonly reads: ReadState;
  readonly settings: UserSettings;
  readonly typists: TypingTracker;
  readonly me: string;
  private readonly delivered = new Flusher(() => this.deliveredRound());
  private readonly typingOut: TypingThrottle;
  /** Whether this device's person is active (input lately); told to the server on every connect. */
  private active = true;
  private readonly onError: (err: unknown) => void;

  constructor(
    readonly session: StoredSession,
    private readonly options: ClientOptions = {},
  ) {
    this.me = session.user.id;
    this.db = openDb(options.dbName ?? databaseName(session.serverUrl, session.user.id, session.bundled, options.profile ?? null));
    const onError = options.onError ?? (() => {});
    this.onError = onError;
    this.transport = new SocketTransport(
      session.serverUrl,
      session.token,
      {
        onConnect: () => this.engine.onConnect(),
        onDisconnect: () => {
          this.engine.onDisconnect();
          this.typists.clear();
          // The engine reports only changes of status, and it starts out `offline`; a first
          // connection attempt that fails must still reach the UI, which shows `Connecting`.
          options.onStatus?.(this.engine.currentStatus);
        },
        onPush: (p) => this.engine.onPush(p),
        onConnecting: () => options.onConnecting?.(),
        onRoom: (p) => this.engine.onRoom(p),
        onUnauthorized: (m) => options.onUnauthorized?.(m),
        onHello: (p) => void this.storeHello(p).catch(onError),
        onTyping: (p) => {
          const t = TypingEventSchema.safeParse(p);
          if (t.success && t.data.userId !== this.me) this.typists.heard(t.data.conversationId, t.data.userId);
        },
        onPresence: (p) => {
          const presence = PresenceSchema.safeParse(p);
          if (presence.success) options.onPresence?.([presence.data]);
        },
      },
      options.socket,
    );
    this.outbox = new Outbox(this.db, this.me, this.transport, { onError, ...options.outbox });
    this.reads = new ReadState(this.db, this.transport);
    this.settings = new UserSettings(this.db, this.transport);
    this.typists = new TypingTracker((id, users) => options.onTyping?.(id, users));
    this.typingOut = new TypingThrottle((conversationId) => {
      void this.transport.request({ type: 'typing', conversationId }).catch(() => {});
    });
    this.engine = new SyncEngine(this.db, this.me, this.transport, {
      ...options.engine,
      onStatus: options.onStatus,
      onProgress: options.onProgress,
      onError,
      onApplied: () => void this.reportDelivered().catch(onError),
      onIncoming: (messages, live) => {
        // Their message is here: they have stopped typing it.
        for (const m of messages) this.typists.stopped(m.conversationId, m.senderId);
        options.onIncoming?.(messages, live);
      },
      onReadMoved: options.onReadMoved,
      onRecalled: (conversationId, seq) => this.recalled(conversationId, seq),
      // Added back to a group: recalls made while out may touch lines held from before, and a
      // big group's lines pushed before the device knew it was back were dropped (GROUP-9).
      onSummaries: (ids) => {
        void this.catchUpRecalls(ids).catch(onError);
        void this.syncRoomHeads().catch(onError);
      },
      onLive: () => {
        this.outbox.kick();
        void this.reportDelivered().catch(onError);
        void this.syncRoomHeads().catch(onError);
        // Recalls a bootstrap (an expired inbox) or an earlier, interrupted catch-up left to do.
        void this.catchUpRecalls().catch(onError);
        void this.reads.report().catch(onError);
        void this.reads.flushDrafts().catch(onError);
        void this.settings.flush().catch(onError);
        if (!this.active) void this.transport.request({ type: 'activity', active: false }).catch(onError);
        options.onLive?.();
      },
      // Whichever path a message came by, a seq gap it reveals is filled from history.
      onMessagesStored: (ids) => {
        for (const id of ids) void this.fillGaps(id).catch(onError);
      },
    });
  }

  /** A message this device held was erased (an event, a room push, or a recall caught up). */
  private recalled(conversationId: string, seq: number): void {
    this.options.onRecalled?.(conversationId, seq);
    // A big group's recall came by the room, in no order with the inbox: ask for the count.
    void this.db.conversations.get(conversationId).then((c) => {
      if (c && !c.inboxFanout) return this.reads.refreshUnread(conversationId);
    }).catch(this.onError);
  }

  send(conversationId: string, text: string, clientMsgId?: string, extra?: SendExtra): Promise<string> {
    this.typingOut.sent(conversationId);
    return this.outbox.send(conversationId, text, clientMsgId, extra);
  }

  /** The person typed in a conversation's input: the others hear of it (throttled). */
  typed(conversationId: string): void {
    if (this.transport.connected) this.typingOut.typed(conversationId);
  }

  /** The person became active or idle on this device (see AWAY_AFTER_MS). */
  setActive(active: boolean): void {
    if (this.active === active) return;
    this.active = active;
    if (this.transport.connected) void this.transport.request({ type: 'activity', active }).catch(() => {});
  }

  /** Presence of people who share a conversation with this user. */
  async loadPresence(userIds: readonly string[]): Promise<Presence[]> {
    if (userIds.length === 0 || !this.transport.connected) return [];
    return (await this.transport.request({ type: 'presence', userIds: [...userIds] })).presence;
  }

  /** The server's settings and clock, as it said hello on the last connection. */
  async hello(): Promise<{ recallWindowMs: number; clockOffsetMs: number } | null> {
    const row = await this.db.meta.get('hello');
    return (row?.value as { recallWindowMs: number; clockOffsetMs: number } | undefined) ?? null;
  }

  private async storeHello(payload: unknown): Promise<void> {
    const hello = HelloSchema.safeParse(payload);
    if (!hello.success) return;
    const value = { recallWindowMs: hello.data.recallWindowMs, clockOffsetMs: hello.data.serverTime - Date.now() };
    await this.db.meta.put({ key: 'hello', value });
  }

  /** Opens (creating if needed) the one-to-one conversation with `username`. */
  async openDirect(username: string): Promise<string> {
    const r = await this.transport.request({ type: 'openDirect', username });
    await this.db.transaction('rw', [this.db.conversations, this.db.users], async () => {
      await putUsers(this.db, r.users);
      await mergeConversation(this.db, r.conversation);
    });
    return r.conversation.id;
  }

  /** Loads the page below `beforeSeq` (or the latest page) from the server. */
  loadPage(conversationId: string, beforeSeq?: number): Promise<number> {
    return fetchPage(this.db, this.me, this.transport, conversationId, beforeSeq);
  }

  /**
   * Big groups have no inbox events: on every (re)connect the device compares their heads with
   * what it holds, stores each head's last message, and pulls the gap below it by seq.
   */
  async syncRoomHeads(): Promise<void> {
    const { heads } = await this.transport.request({ type: 'heads' });
    for (const h of heads) {
      const conv = await this.db.conversations.get(h.conversationId);
      if (!conv || !h.lastMessage) continue;
      if (h.lastSeq > conv.lastSeq) {
        const known = conv.lastSeq;
        const last = h.lastMessage;
        await this.db.transaction('rw', [this.db.conversations, this.db.messages, this.db.outbox], () =>
          storeMessages(this.db, this.me, h.conversationId, [last]),
        );
        // Everything above the head this device knew is what it lacks, even when it holds nothing
        // at or below that head (a new device knows the head from bootstrap but holds no message):
        // then it is below the lowest held message, which `fillGaps` leaves to scrolling.
        let lowest = (await this.db.conversations.get(h.conversationId))?.ranges[0]?.[0] ?? last.seq;
        for (let page = 0; page < 10 && lowest > known + 1; page++) {
          const from = await fetchPage(this.db, this.me, this.transport, h.conversationId, lowest);
          if (from >= lowest) break;
          lowest = from;
        }
      }
      // Knowing the head is not holding up to it: a history page read while offline may have
      // taught this device a head whose messages no room push brought. Whatever it knew, the
      // holes between what it holds and the head are filled now.
      await this.fillGaps(h.conversationId);
      // Recalls pushed on the room while this device was away have no event to pull: by number.
      const known = (await this.db.conversations.get(h.conversationId))?.recalls ?? 0;
      if (h.recalls > known) await this.db.conversations.update(h.conversationId, { recalls: h.recalls });
      await this.catchUpRecalls([h.conversationId]);
    }
  }

  /**
   * Erases what recalls this device missed took away, in `ids` or in every conversation whose
   * server recall count is ahead of what it caught up to (see recalls.ts).
   */
  async catchUpRecalls(ids?: readonly string[]): Promise<void> {
    for (const id of ids ?? (await recallsDue(this.db))) {
      for (const seq of await catchUpRecalls(this.db, this.me, this.transport, id)) this.recalled(id, seq);
    }
  }

  /** Fills seq holes between what this device holds of a conversation (bounded). */
  private readonly filling = new Set<string>();
  async fillGaps(conversationId: string): Promise<void> {
    if (this.filling.has(conversationId) || !this.transport.connected) return;
    this.filling.add(conversationId);
    try {
      await fillGaps(this.db, this.me, this.transport, conversationId);
    } finally {
      this.filling.delete(conversationId);
    }
  }

  /** Public profiles this device has not stored yet (senders in groups), fetched once. */
  async ensureUsers(ids: readonly string[]): Promise<void> {
    const known = new Set((await this.db.users.bulkGet([...ids])).flatMap((u) => (u ? [u.id] : [])));
    const missing = [...new Set(ids)].filter((id) => !known.has(id));
    for (let i = 0; i < missing.length; i += 200) {
      const { users } = await this.transport.request({ type: 'users', ids: missing.slice(i, i + 200) });
      await putUsers(this.db, users);
    }
  }

  /** Changes this user's display name; the answer is stored at once, the `user` event tells the other devices. */
  async setDisplayName(displayName: string): Promise<void> {
    const { user } = await this.transport.request({ type: 'profile', displayName });
    await putUsers(this.db, [user]);
  }

  /** Recalls a message; the server's refusal (window passed, not allowed) comes back as an error. */
  async recall(conversationId: string, seq: number): Promise<void> {
    await this.transport.request({ type: 'recall', conversationId, seq });
  }

  /** Creates a group; unknown user names are an error and nothing is created. */
  async createGroup(name: string, usernames: readonly string[]): Promise<string> {
    const r = await this.transport.request({ type: 'createGroup', name, usernames: [...usernames] });
    await this.db.transaction('rw', [this.db.conversations, this.db.users], async () => {
      await putUsers(this.db, r.users);
      await mergeConversation(this.db, r.conversation);
    });
    return r.conversation.id;
  }

  /**
   * Tells the server which messages from others this device has stored, so their senders
   * see `Delivered`. One request per conversation whose stored head moved.
   */
  reportDelivered(): Promise<void> {
    return this.delivered.flush();
  }

  private async deliveredRound(): Promise<void> {
    if (!this.transport.connected) return;
    // Delivered is one-to-one: a group shows who read it instead.
    const due = await this.db.conversations.filter((c) => c.kind === 'direct' && c.maxOtherSeq > c.deliveredReported).toArray();
    for (const c of due) {
      await this.transport.request({ type: 'delivered', conversationId: c.id, seq: c.maxOtherSeq });
      await this.db.conversations.update(c.id, { deliveredReported: c.maxOtherSeq });
    }
  }

  /** Goes offline until `connect()`; the store, outbox and cursor stay as they are. */
  disconnect(): void {
    this.transport.pause();
  }

  /** Comes back online after `disconnect()`: the engine catches up, then the outbox drains. */
  connect(): void {
    this.transport.connect();
  }

  stop(): void {
    this.typists.clear();
    this.outbox.stop();
    this.engine.stop();
    this.transport.close();
  }

  close(): void {
    this.stop();
    this.db.close();
  }
}
