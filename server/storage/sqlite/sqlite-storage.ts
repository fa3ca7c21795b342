/**
 * The embedded default storage: one SQLite file in WAL mode. better-sqlite3 is synchronous,
 * so each method runs to completion (and each transaction is atomic) before the next begins;
 * the Promise-based interface is what lets the PostgreSQL implementation replace it.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { randomUUID } from 'node:crypto';
import {
  TidingsError,
  type ConversationSummary,
  type Draft,
  type InboxEntry,
  type Member,
  type Mentions,
  type Message,
  type Prefs,
  type ReadReceipt,
  type SystemEvent,
  type Unread,
  type UserPublic,
} from '../../../src/protocol';
import type { AppendResult, RecallResult, Delivery, DeviceRecord, GroupChange, IdSource, Membership, NewMessage, ReadChange, Storage, SyncPage, UserRecord } from '../storage';
import { SqliteGroups } from './sqlite-groups';
import { SqliteReadState, visibleHead } from './sqlite-read-state';
import { SqliteSettings } from './sqlite-settings';
import { MESSAGE_COLUMNS, MESSAGES_WITH_QUOTE, toDevice, toMessage, type ConversationRow, type DeviceRow, type InboxRow, type MembershipRow, type MessageRow } from './sqlite-rows';
import { MIGRATIONS } from './migrations';

export interface SqliteStorageOptions {
  /** Groups with at least this many members get no per-message inbox events. */
  inboxFanoutMax?: number;
}

/** A line to store: a person's message, or a system line with its event. */
export interface NewLine extends NewMessage {
  system?: SystemEvent | null;
  /** Users who get this line's inbox event even when the conversation is too big for them. */
  alsoTo?: readonly string[];
}

/** `text` as a literal LIKE prefix: its wildcards escaped. */
const likePrefix = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/** "2 minutes", "90 seconds": how long the recall window is, in words. */
function spanOf(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s % 60 === 0 && s >= 60) return `${s / 60} ${s === 60 ? 'minute' : 'minutes'}`;
  return `${s} ${s === 1 ? 'second' : 'seconds'}`;
}

export function openSqliteDatabase(file: string): Database.Database {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  // FULL: in WAL mode the commit is fsynced before it returns, so an ack (sent after commit)
  // survives a power cut, not only a process crash. See docs/reliability.md.
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db);
  return db;
}

export function migrate(db: Database.Database): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  for (const m of MIGRATIONS) {
    if (m.version <= current) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
}

export class SqliteStorage implements Storage {
  private readonly db: Database.Database;
  private readonly stmt;

  readonly inboxFanoutMax: number;
  private readonly groups: SqliteGroups;
  private readonly readState: SqliteReadState;
  private readonly settings: SqliteSettings;

  constructor(file: string, options: SqliteStorageOptions = {}) {
    this.inboxFanoutMax = options.inboxFanoutMax ?? 500;
    this.db = openSqliteDatabase(file);
    const db = this.db;
    this.stmt = {
      insertUser: db.prepare(
        'INSERT INTO users (id, username, display_name, password_hash, created_at) VALUES (?, ?, ?, ?, ?)',
      ),
      userByName: db.prepare('SELECT id, username, display_name, password_hash, created_at FROM users WHERE username = ?'),
      insertDevice: db.prepare(
        'INSERT INTO devices (id, user_id, name, token_hash, created_at, last_active_at, expires_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      deviceByToken: db.prepare(
        'SELECT * FROM devices WHERE token_hash = ? AND revoked_at IS NULL AND expires_at > ?',
      ),
      deviceById: db.prepare('SELECT * FROM devices WHERE id = ?'),
      touchDevice: db.prepare('UPDATE devices SET last_active_at = ? WHERE id = ?'),
      revokeDevice: db.prepare('UPDATE devices SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL'),
      isMember: db.prepare('SELECT 1 FROM user_conversations WHERE user_id = ? AND conversation_id = ? AND left_seq IS NULL'),
      conversation: db.prepare(
        'SELECT id, kind, last_seq, created_at, name, announcement, member_count FROM conversations WHERE id = ?',
      ),
      insertConversation: db.prepare(
        'INSERT INTO conversations (id, kind, created_at, name, member_count) VALUES (?, ?, ?, ?, ?)',
      ),
      insertMember: db.prepare('INSERT INTO user_conversations (user_id, conversation_id, join_seq, role) VALUES (?, ?, ?, ?)'),
      members: db.prepare(
        'SELECT user_id FROM user_conversations WHERE conversation_id = ? AND left_seq IS NULL ORDER BY user_id',
      ),
      membership: db.prepare(
        'SELECT role, join_seq, left_seq, last_read_seq, receipt_seq, delivered_seq, draft, draft_at, is_top, notify_type FROM user_conversations WHERE user_id = ? AND conversation_id = ?',
      ),
      groupIds: db.prepare(
        "SELECT uc.conversation_id AS id FROM user_conversations uc JOIN conversations c ON c.id = uc.conversation_id WHERE uc.user_id = ? AND uc.left_seq IS NULL AND c.kind = 'group'",
      ),
      roomHeads: db.prepare(
        "SELECT c.id, c.last_seq FROM user_conversations uc JOIN conversations c ON c.id = uc.conversation_id WHERE uc.user_id = ? AND uc.left_seq IS NULL AND c.kind = 'group' AND c.member_count >= ?",
      ),
      memberPage: db.prepare(
        "SELECT u.id, u.username, u.display_name, uc.role FROM user_conversations uc JOIN users u ON u.id = uc.user_id WHERE uc.conversation_id = ? AND uc.left_seq IS NULL ORDER BY CASE uc.role WHEN 'owner' THEN 0 WHEN 'admin' THEN 1 ELSE 2 END, u.display_name, u.id LIMIT ? OFFSET ?",
      ),
      peerPositions: db.prepare(
        'SELECT MIN(delivered_seq) AS delivered, MIN(receipt_seq) AS receipt FROM user_conversations WHERE conversation_id = ? AND user_id <> ?',
      ),
      userConversations: db.prepare('SELECT conversation_id FROM user_conversations WHERE user_id = ?'),
      messageByClientId: db.prepare(
        `SELECT ${MESSAGE_COLUMNS} FROM ${MESSAGES_WITH_QUOTE} WHERE m.sender_id = ? AND m.conversation_id = ? AND m.client_msg_id = ?`,
      ),
      messageBySeq: db.prepare(`SELECT ${MESSAGE_COLUMNS} FROM ${MESSAGES_WITH_QUOTE} WHERE m.conversation_id = ? AND m.seq = ?`),
      bumpSeq: db.prepare(
        'UPDATE conversations SET last_seq = last_seq + 1, recent_msg_time = ? WHERE id = ? RETURNING last_seq',
      ),
      insertMessage: db.prepare(
        'INSERT INTO messages (msg_id, conversation_id, seq, sender_id, client_msg_id, content, send_time, system, reply_to_seq, mentions) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      bumpPts: db.prepare('UPDATE users SET pts = pts + 1 WHERE id = ? RETURNING pts'),
      insertInbox: db.prepare(
        'INSERT INTO inbox (user_id, pts, kind, conversation_id, seq, payload, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
      userPts: db.prepare('SELECT pts, inbox_floor FROM users WHERE id = ?'),
      inboxPage: db.prepare(
        'SELECT pts, kind, conversation_id, seq, payload FROM inbox WHERE user_id = ? AND pts > ? ORDER BY pts LIMIT ?',
      ),
      historyBefore: db.prepare(
        `SELECT ${MESSAGE_COLUMNS} FROM ${MESSAGES_WITH_QUOTE} WHERE m.conversation_id = ? AND m.seq < ? AND m.seq >= ? ORDER BY m.seq DESC LIMIT ?`,
      ),
      setDelivered: db.prepare(
        'UPDATE user_conversations SET delivered_seq = ? WHERE user_id = ? AND conversation_id = ? AND delivered_seq < ?',
      ),
      pruneFloor: db.prepare(
        'UPDATE users SET inbox_floor = MAX(inbox_floor, (SELECT MAX(pts) FROM inbox WHERE inbox.user_id = users.id AND created_at < ?)) WHERE id IN (SELECT DISTINCT user_id FROM inbox WHERE created_at < ?)',
      ),
      pruneInbox: db.prepare('DELETE FROM inbox WHERE created_at < ?'),
    };
    this.groups = new SqliteGroups(this);
    this.readState = new SqliteReadState(this);
    this.settings = new SqliteSettings(this);
  }

  async close(): Promise<void> {
    this.db.close();
  }

  async createUser(u: UserRecord): Promise<void> {
    try {
      this.stmt.insertUser.run(u.id, u.username, u.displayName, u.passwordHash, u.createdAt);
    } catch (err) {
      if (err instanceof Error && 'code' in err && err.code === 'SQLITE_CONSTRAINT_UNIQUE') {
        throw new TidingsError('username_taken', 'That user name is taken.');
      }
      throw err;
    }
  }

  async findUserByUsername(username: string): Promise<UserRecord | null> {
    const r = this.stmt.userByName.get(username) as
      | { id: string; username: string; display_name: string; password_hash: string; created_at: number }
      | undefined;
    return r
      ? { id: r.id, username: r.username, displayName: r.display_name, passwordHash: r.password_hash, createdAt: r.created_at }
      : null;
  }

  async getUsers(ids: readonly string[]): Promise<UserPublic[]> {
    return this.usersSync(ids);
  }

  private usersSync(ids: readonly string[]): UserPublic[] {
    if (ids.length === 0) return [];
    const unique = [...new Set(ids)];
    const rows = this.db
      .prepare(`SELECT id, username, display_name FROM users WHERE id IN (${unique.map(() => '?').join(',')})`)
      .all(...unique) as { id: string; username: string; display_name: string }[];
    return rows.map((r) => ({ id: r.id, username: r.username, displayName: r.display_name }));
  }

  async createDevice(d: DeviceRecord & { tokenHash: string }): Promise<void> {
    this.stmt.insertDevice.run(d.id, d.userId, d.name, d.tokenHash, d.createdAt, d.lastActiveAt, d.expiresAt, d.revokedAt);
  }

  async findActiveDeviceByTokenHash(tokenHash: string, now: number): Promise<DeviceRecord | null> {
    const r = this.stmt.deviceByToken.get(tokenHash, now) as DeviceRow | undefined;
    return r ? toDevice(r) : null;
  }

  async getDevice(id: string): Promise<DeviceRecord | null> {
    const r = this.stmt.deviceById.get(id) as DeviceRow | undefined;
    return r ? toDevice(r) : null;
  }

  async touchDevice(id: string, now: number): Promise<void> {
    this.stmt.touchDevice.run(now, id);
  }

  async revokeDevice(id: string, now: number): Promise<void> {
    this.stmt.revokeDevice.run(now, id);
  }

  async isMember(userId: string, conversationId: string): Promise<boolean> {
    return this.stmt.isMember.get(userId, conversationId) !== undefined;
  }

  async membership(userId: string, conversationId: string): Promise<Membership | null> {
    const m = this.membershipRow(userId, conversationId);
    return m ? { role: m.role, firstSeq: Math.max(1, m.join_seq), leftSeq: m.left_seq } : null;
  }

  /** @internal for SqliteGroups */
  membershipRow(userId: string, conversationId: string): MembershipRow | undefined {
    return this.stmt.membership.get(userId, conversationId) as MembershipRow | undefined;
  }

  /** @internal for SqliteGroups */
  conversationRow(conversationId: string): ConversationRow | undefined {
    return this.stmt.conversation.get(conversationId) as ConversationRow | undefined;
  }

  /** @internal for SqliteGroups: current members, ordered by id. */
  activeMembers(conversationId: string): string[] {
    return (this.stmt.members.all(conversationId) as { user_id: string }[]).map((r) => r.user_id);
  }

  async groupIds(userId: string): Promise<string[]> {
    return (this.stmt.groupIds.all(userId) as { id: string }[]).map((r) => r.id);
  }

  async members(conversationId: string, offset: number, limit: number, query?: string): Promise<{ members: Member[]; total: number }> {
    const c = this.conversationRow(conversationId);
    if (!c) throw new TidingsError('not_found', 'No such conversation.');
    type Row = { id: string; username: string; display_name: string; role: Member['role'] };
    // A query matches the start of the user name or of a word of the display name ("brown" finds
    // "Bob Brown"), any case (mentions).
    const rows = query
      ? this.all<Row>(
          `SELECT u.id, u.username, u.display_name, uc.role FROM user_conversations uc JOIN users u ON u.id = uc.user_id
           WHERE uc.conversation_id = ? AND uc.left_seq IS NULL
             AND (u.username LIKE ? ESCAPE '\\' OR u.display_name LIKE ? ESCAPE '\\' OR u.display_name LIKE ? ESCAPE '\\')
           ORDER BY u.username LIMIT ? OFFSET ?`,
          conversationId,
          `${likePrefix(query)}%`,
          `${likePrefix(query)}%`,
          `% ${likePrefix(query)}%`,
          limit,
          offset,
        )
      : (this.stmt.memberPage.all(conversationId, limit, offset) as Row[]);
    return {
      members: rows.map((r) => ({ user: { id: r.id, username: r.username, displayName: r.display_name }, role: r.role })),
      total: c.member_count,
    };
  }

  async roomHeads(userId: string): Promise<{ conversationId: string; lastSeq: number; lastMessage: Message | null }[]> {
    const rows = this.stmt.roomHeads.all(userId, this.inboxFanoutMax) as { id: string; last_seq: number }[];
    return rows.map((r) => {
      const last = r.last_seq > 0 ? (this.stmt.messageBySeq.get(r.id, r.last_seq) as MessageRow | undefined) : undefined;
      return { conversationId: r.id, lastSeq: r.last_seq, lastMessage: last ? toMessage(last, this.firstSeqOf(userId, r.id)) : null };
    });
  }

  // `async`, so a refused change is a rejected promise like every other storage error (a
  // synchronous throw from a Promise-returning method escapes `.catch` and `expect().rejects`).
  async createGroup(input: Parameters<Storage['createGroup']>[0]): Promise<GroupChange> {
    return this.groups.create(input);
  }

  async addMembers(input: Parameters<Storage['addMembers']>[0]): Promise<GroupChange> {
    return this.groups.add(input);
  }

  async removeMember(input: Parameters<Storage['removeMember']>[0]): Promise<GroupChange> {
    return this.groups.remove(input);
  }

  async setRole(input: Parameters<Storage['setRole']>[0]): Promise<GroupChange> {
    return this.groups.setRole(input);
  }

  async updateGroup(input: Parameters<Storage['updateGroup']>[0]): Promise<GroupChange> {
    return this.groups.update(input);
  }

  /** @internal The `conversation` inbox event that tells a user about a conversation (joined, left, created). */
  conversationEvent(userId: string, conversationId: string, now: number): Delivery {
    const pts = this.appendInbox(userId, 'conversation', conversationId, null, null, now);
    const conversation = this.summarySync(userId, conversationId);
    if (!conversation) throw new Error('conversation vanished inside its own transaction');
    const users = this.usersSync(conversation.kind === 'direct' ? conversation.memberIds : [userId]);
    return { userId, entry: { pts, event: { type: 'conversation', conversation, users } } };
  }

  /** @internal */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  /** @internal */
  setMembership(userId: string, conversationId: string, joinSeq: number, role: string): void {
    this.db
      .prepare(
        `INSERT INTO user_conversations (user_id, conversation_id, join_seq, role, last_read_seq, receipt_seq) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (user_id, conversation_id) DO UPDATE SET join_seq = excluded.join_seq, role = excluded.role,
           left_seq = NULL, last_read_seq = excluded.last_read_seq, receipt_seq = excluded.receipt_seq, delivered_seq = 0,
           draft = NULL, draft_at = NULL, is_top = 0, notify_type = 'all'`,
      )
      .run(userId, conversationId, joinSeq, role, Math.max(0, joinSeq - 1), Math.max(0, joinSeq - 1));
  }

  /** @internal */
  firstRow<T>(sql: string, ...params: unknown[]): T | undefined {
    return this.db.prepare(sql).get(...params) as T | undefined;
  }

  /** @internal */
  all<T>(sql: string, ...params: unknown[]): T[] {
    return this.db.prepare(sql).all(...params) as T[];
  }

  /** @internal */
  run(sql: string, ...params: unknown[]): number {
    return this.db.prepare(sql).run(...params).changes;
  }

  /** @internal */
  newLineId(): string {
    return randomUUID();
  }

  async openDirectConversation(
    conversationId: string,
    memberIds: readonly [string, string],
    now: number,
  ): Promise<{ created: boolean; deliveries: Delivery[] }> {
    return this.db.transaction(() => {
      if (this.stmt.conversation.get(conversationId)) return { created: false, deliveries: [] };
      this.stmt.insertConversation.run(conversationId, 'direct', now, null, memberIds.length);
      for (const m of memberIds) this.stmt.insertMember.run(m, conversationId, 0, 'member');
      return { created: true, deliveries: memberIds.map((userId) => this.conversationEvent(userId, conversationId, now)) };
    })();
  }

  async getConversationSummary(userId: string, conversationId: string): Promise<ConversationSummary | null> {
    return this.summarySync(userId, conversationId);
  }

  private summarySync(userId: string, conversationId: string): ConversationSummary | null {
    const m = this.membershipRow(userId, conversationId);
    if (!m) return null;
    const c = this.conversationRow(conversationId);
    if (!c) return null;
    // Someone who left sees the conversation as it was when they left.
    const head = visibleHead(c, m);
    const last = head > 0 ? (this.stmt.messageBySeq.get(conversationId, head) as MessageRow | undefined) : undefined;
    const direct = c.kind === 'direct';
    const peer = direct ? (this.stmt.peerPositions.get(conversationId, userId) as { delivered: number | null; receipt: number | null }) : null;
    return {
      id: c.id,
      kind: c.kind,
      name: c.name,
      announcement: c.announcement,
      memberIds: direct ? this.activeMembers(conversationId) : [],
      memberCount: c.member_count,
      role: m.role,
      firstSeq: Math.max(1, m.join_seq),
      leftSeq: m.left_seq,
      inboxFanout: c.member_count < this.inboxFanoutMax,
      lastSeq: head,
      lastMessage: last ? toMessage(last, Math.max(1, m.join_seq)) : null,
      lastReadSeq: m.last_read_seq,
      unread: this.readState.unread(userId, conversationId, m.last_read_seq, head),
      peerDeliveredSeq: peer?.delivered ?? 0,
      peerReadSeq: peer?.receipt ?? 0,
      draft: m.left_seq === null ? SqliteReadState.draftOf(m) : null,
      pinned: m.is_top === 1,
      notify: m.notify_type,
      createdAt: c.created_at,
    };
  }

  /** @internal */
  appendInbox(
    userId: string,
    kind: string,
    conversationId: string,
    seq: number | null,
    payload: unknown,
    now: number,
  ): number {
    const { pts } = this.stmt.bumpPts.get(userId) as { pts: number };
    this.stmt.insertInbox.run(userId, pts, kind, conversationId, seq, payload == null ? null : JSON.stringify(payload), now);
    return pts;
  }

  /**
   * Group commit: sends that arrive while the previous commit was being fsynced are written
   * together in ONE transaction (one fsync), each in its own savepoint so a refused send does
   * not undo the others. Every caller's promise resolves only after that commit, so an ack
   * still means "on disk", and the seq order is the order the sends arrived in.
   */
  appendMessage(n: NewMessage): Promise<AppendResult> {
    return new Promise<AppendResult>((resolve, reject) => {
      this.appendQueue.push({ n, resolve, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flushAppends());
      }
    });
  }

  private appendQueue: { n: NewMessage; resolve: (r: AppendResult) => void; reject: (e: unknown) => void }[] = [];
  private flushScheduled = false;
  private static readonly MAX_BATCH = 256;

  private flushAppends(): void {
    this.flushScheduled = false;
    const batch = this.appendQueue.splice(0, SqliteStorage.MAX_BATCH);
    if (this.appendQueue.length > 0) {
      this.flushScheduled = true;
      setImmediate(() => this.flushAppends());
    }
    const outcomes: ({ ok: true; result: AppendResult } | { ok: false; error: unknown })[] = [];
    try {
      this.db.transaction(() => {
        for (const item of batch) {
          try {
            outcomes.push({ ok: true, result: this.appendOne(item.n) });
          } catch (error) {
            outcomes.push({ ok: false, error });
          }
        }
      })();
    } catch (error) {
      // The commit itself failed: nothing in the batch is stored.
      for (const item of batch) item.reject(error);
      return;
    }
    batch.forEach((item, i) => {
      const o = outcomes[i];
      if (o?.ok) item.resolve(o.result);
      else item.reject(o?.error ?? new Error('lost outcome'));
    });
  }

  /**
   * One line (a message or a system line), as a savepoint inside the caller's transaction.
   * Read diffusion: the body is stored once. Write diffusion: below `inboxFanoutMax`
   * members, every member gets a small inbox event; at or above it, nobody does (the line is
   * pushed on the conversation's room and pulled by heads), except `alsoTo`.
   * @internal
   */
  appendOne(n: NewLine): AppendResult {
    return this.db.transaction((): AppendResult => {
      const existing = this.stmt.messageByClientId.get(n.senderId, n.conversationId, n.clientMsgId) as MessageRow | undefined;
      const c = this.conversationRow(n.conversationId);
      if (!c) throw new TidingsError('not_found', 'No such conversation.');
      const room = c.member_count >= this.inboxFanoutMax;
      if (existing) return { message: toMessage(existing), duplicate: true, deliveries: [], room: false, memberCount: c.member_count };
      const system = n.system ?? null;
      const sender = system ? undefined : this.membershipRow(n.senderId, n.conversationId);
      if (n.replyToSeq !== undefined) this.checkReplyTarget(n.conversationId, n.replyToSeq, sender);
      const mentions = n.mentions ? this.checkMentions(c, n.conversationId, n.mentions, sender) : null;
      const bumped = this.stmt.bumpSeq.get(n.serverTime, n.conversationId) as { last_seq: number } | undefined;
      if (!bumped) throw new TidingsError('not_found', 'No such conversation.');
      const seq = bumped.last_seq;
      this.stmt.insertMessage.run(
        n.msgId, n.conversationId, seq, n.senderId, n.clientMsgId, n.text, n.serverTime, system ? JSON.stringify(system) : null, n.replyToSeq ?? null,
        mentions ? JSON.stringify(mentions) : null,
      );
      const row = this.stmt.messageBySeq.get(n.conversationId, seq) as MessageRow;
      const message = toMessage(row);
      // A reply quoting a line older than some member's join is pushed to them without the quote.
      const joinedAfterQuote = n.replyToSeq === undefined ? new Map<string, number>() : this.joinedAfter(n.conversationId, n.replyToSeq);
      const members = [...new Set([...(room ? [] : this.activeMembers(n.conversationId)), ...(n.alsoTo ?? [])])];
      const deliveries: Delivery[] = members.map((userId) => ({
        userId,
        entry: {
          pts: this.appendInbox(userId, 'message', n.conversationId, seq, null, n.serverTime),
          event: { type: 'message' as const, message: joinedAfterQuote.has(userId) ? toMessage(row, joinedAfterQuote.get(userId)) : message },
        },
      }));
      // Sending clears the sender's draft here, on every one of their devices.
      if (sender?.draft) deliveries.push(...this.readState.writeDraft(n.senderId, n.conversationId, sender, '', n.serverTime).deliveries);
      // The room push is one message for every socket: without the quote if anyone may not see it.
      const roomMessage = room && joinedAfterQuote.size > 0 ? { ...message, replyTo: null } : message;
      return { message: roomMessage, duplicate: false, deliveries, room, memberCount: c.member_count };
    })();
  }

  /** Current members who joined after `seq`, with their first readable seq. */
  private joinedAfter(conversationId: string, seq: number): Map<string, number> {
    const rows = this.all<{ user_id: string; join_seq: number }>(
      'SELECT user_id, join_seq FROM user_conversations WHERE conversation_id = ? AND left_seq IS NULL AND join_seq > ?',
      conversationId,
      seq,
    );
    return new Map(rows.map((r) => [r.user_id, r.join_seq]));
  }

  private firstSeqOf(userId: string, conversationId: string): number {
    return Math.max(1, this.membershipRow(userId, conversationId)?.join_seq ?? 1);
  }

  /**
   * Mentions are for groups. Who is mentioned is kept only as far as it holds when the message
   * is stored: current members (someone removed while the message waited in an outbox is
   * dropped, not a reason to refuse the message), and `all` only from the owner or an admin.
   */
  private checkMentions(c: ConversationRow, conversationId: string, m: Mentions, sender: MembershipRow | undefined): Mentions | null {
    if (c.kind !== 'group') throw new TidingsError('bad_request', 'Mentions are for groups.');
    const all = m.all && (sender?.role === 'owner' || sender?.role === 'admin');
    const members = new Set(m.userIds.length > 0 ? this.activeMembers(conversationId) : []);
    const userIds = [...new Set(m.userIds)].filter((id) => members.has(id)).sort();
    return userIds.length === 0 && !all ? null : { userIds, all };
  }

  /** A reply quotes a person's message the sender may read, and not one that was recalled. */
  private checkReplyTarget(conversationId: string, seq: number, sender: MembershipRow | undefined): void {
    const target = this.stmt.messageBySeq.get(conversationId, seq) as MessageRow | undefined;
    if (!target || !sender || seq < Math.max(1, sender.join_seq)) throw new TidingsError('not_found', 'The message you replied to is not there.');
    if (target.system) throw new TidingsError('bad_request', 'System lines cannot be replied to.');
    if (target.recalled_by) throw new TidingsError('bad_request', 'That message was recalled.');
  }

  async syncInbox(userId: string, sincePts: number, limit: number): Promise<SyncPage> {
    return this.db.transaction((): SyncPage => {
      const u = this.stmt.userPts.get(userId) as { pts: number; inbox_floor: number } | undefined;
      if (!u) throw new TidingsError('unauthorized', 'Unknown user.');
      if (sincePts > u.pts) throw new TidingsError('bad_request', 'sincePts is ahead of the inbox.');
      if (sincePts < u.inbox_floor) return { status: 'tooLong', pts: u.pts };
      const rows = this.stmt.inboxPage.all(userId, sincePts, limit) as InboxRow[];
      const entries = rows.map((r) => this.materialize(userId, r));
      const last = rows.at(-1);
      return { status: 'ok', entries, pts: u.pts, more: last !== undefined && last.pts < u.pts };
    })();
  }

  /** Turns a stored pointer-sized inbox row into the event the client receives. */
  private materialize(userId: string, r: InboxRow): InboxEntry {
    switch (r.kind) {
      case 'message': {
        const m = this.stmt.messageBySeq.get(r.conversation_id, r.seq) as MessageRow | undefined;
        if (!m) throw new Error(`inbox points at a missing message ${r.conversation_id}#${r.seq}`);
        return { pts: r.pts, event: { type: 'message', message: toMessage(m, this.firstSeqOf(userId, r.conversation_id)) } };
      }
      case 'conversation': {
        const conversation = this.summarySync(userId, r.conversation_id);
        if (!conversation) throw new Error(`inbox points at a missing conversation ${r.conversation_id}`);
        return {
          pts: r.pts,
          event: { type: 'conversation', conversation, users: this.usersSync(conversation.memberIds) },
        };
      }
      case 'recall': {
        const p = JSON.parse(r.payload ?? '{}') as { by: string };
        const m = this.stmt.messageBySeq.get(r.conversation_id, r.seq) as MessageRow | undefined;
        if (!m) throw new Error(`inbox points at a missing message ${r.conversation_id}#${r.seq}`);
        return { pts: r.pts, event: { type: 'recall', conversationId: r.conversation_id, seq: r.seq ?? 0, by: p.by, senderId: m.sender_id } };
      }
      case 'read': {
        const p = JSON.parse(r.payload ?? '{}') as { unread: Unread };
        return { pts: r.pts, event: { type: 'read', conversationId: r.conversation_id, seq: r.seq ?? 0, unread: p.unread } };
      }
      case 'receipt': {
        const p = JSON.parse(r.payload ?? '{}') as { userId: string; firstSeq: number };
        return { pts: r.pts, event: { type: 'receipt', conversationId: r.conversation_id, userId: p.userId, seq: r.seq ?? 0, firstSeq: p.firstSeq } };
      }
      case 'draft': {
        // The text is read from the row now (last writer wins), never kept in the inbox.
        const m = this.membershipRow(userId, r.conversation_id);
        const draft = m && m.left_seq === null ? SqliteReadState.draftOf(m) : null;
        return { pts: r.pts, event: { type: 'draft', conversationId: r.conversation_id, draft } };
      }
      case 'settings':
        return { pts: r.pts, event: { type: 'settings', conversationId: r.conversation_id, ...this.settings.settingsEvent(userId, r.conversation_id) } };
      case 'prefs':
        return { pts: r.pts, event: { type: 'prefs', prefs: this.settings.prefs(userId) } };
      case 'delivered': {
        const p = JSON.parse(r.payload ?? '{}') as { userId: string };
        return { pts: r.pts, event: { type: 'delivered', conversationId: r.conversation_id, userId: p.userId, seq: r.seq ?? 0 } };
      }
      default:
        throw new Error(`unknown inbox kind ${r.kind}`);
    }
  }

  async bootstrap(userId: string): Promise<{ pts: number; prefs: Prefs; conversations: ConversationSummary[]; users: UserPublic[] }> {
    return this.db.transaction(() => {
      const u = this.stmt.userPts.get(userId) as { pts: number } | undefined;
      if (!u) throw new TidingsError('unauthorized', 'Unknown user.');
      const ids = (this.stmt.userConversations.all(userId) as { conversation_id: string }[]).map((r) => r.conversation_id);
      const conversations = ids.flatMap((id) => this.summarySync(userId, id) ?? []);
      const users = this.usersSync([userId, ...conversations.flatMap((c) => c.memberIds)]);
      return { pts: u.pts, prefs: this.settings.prefs(userId), conversations, users };
    })();
  }

  async history(
    conversationId: string,
    beforeSeq: number | undefined,
    limit: number,
    bounds?: { firstSeq: number; leftSeq: number | null },
  ): Promise<{ messages: Message[]; lastSeq: number; firstSeq: number }> {
    return this.db.transaction(() => {
      const c = this.conversationRow(conversationId);
      if (!c) throw new TidingsError('not_found', 'No such conversation.');
      const firstSeq = Math.max(1, bounds?.firstSeq ?? 1);
      const head = bounds?.leftSeq == null ? c.last_seq : Math.min(c.last_seq, bounds.leftSeq);
      const before = Math.min(beforeSeq ?? head + 1, head + 1);
      const rows = this.stmt.historyBefore.all(conversationId, before, firstSeq, limit) as MessageRow[];
      return { messages: rows.reverse().map((r) => toMessage(r, firstSeq)), lastSeq: head, firstSeq };
    })();
  }

  /**
   * Recall: the sender within `windowMs`, or a group's owner/admin at any time. The body is
   * erased from storage (not flagged), and every member's devices hear of it: an inbox event
   * below the fan-out threshold, the erased message on the room above it.
   */
  async recallMessage(input: { conversationId: string; seq: number; actorId: string; now: number; windowMs: number }): Promise<RecallResult> {
    return this.db.transaction((): RecallResult => {
      const c = this.conversationRow(input.conversationId);
      const actor = this.membershipRow(input.actorId, input.conversationId);
      if (!c || !actor || actor.left_seq !== null) throw new TidingsError('not_found', 'No such conversation.');
      const row = this.stmt.messageBySeq.get(input.conversationId, input.seq) as MessageRow | undefined;
      if (!row || row.seq < Math.max(1, actor.join_seq)) throw new TidingsError('not_found', 'No such message.');
      if (row.system) throw new TidingsError('bad_request', 'System lines cannot be recalled.');
      if (row.recalled_by) return { message: toMessage(row), deliveries: [], room: false, memberCount: c.member_count };
      const moderator = c.kind === 'group' && (actor.role === 'owner' || actor.role === 'admin');
      if (!moderator) {
        if (row.sender_id !== input.actorId) throw new TidingsError('forbidden', 'You can only recall your own messages.');
        if (input.now - row.send_time > input.windowMs) {
          throw new TidingsError('forbidden', `Messages can be recalled for ${spanOf(input.windowMs)} after sending.`);
        }
      }
      this.db.prepare("UPDATE messages SET content = '', mentions = NULL, recalled_by = ? WHERE conversation_id = ? AND seq = ?").run(input.actorId, input.conversationId, input.seq);
      const message = toMessage({ ...row, content: '', mentions: null, recalled_by: input.actorId });
      const room = c.member_count >= this.inboxFanoutMax;
      const deliveries = (room ? [] : this.activeMembers(input.conversationId)).map((userId) => ({
        userId,
        entry: {
          pts: this.appendInbox(userId, 'recall', input.conversationId, input.seq, { by: input.actorId }, input.now),
          event: { type: 'recall' as const, conversationId: input.conversationId, seq: input.seq, by: input.actorId, senderId: row.sender_id },
        },
      }));
      return { message, deliveries, room, memberCount: c.member_count };
    })();
  }

  async markDelivered(userId: string, conversationId: string, seq: number): Promise<Delivery[]> {
    return this.db.transaction((): Delivery[] => {
      const c = this.stmt.conversation.get(conversationId) as { last_seq: number } | undefined;
      if (!c) throw new TidingsError('not_found', 'No such conversation.');
      const upTo = Math.min(seq, c.last_seq);
      const changed = this.stmt.setDelivered.run(upTo, userId, conversationId, upTo).changes > 0;
      if (!changed) return [];
      const now = Date.now();
      const others = (this.stmt.members.all(conversationId) as { user_id: string }[])
        .map((r) => r.user_id)
        .filter((id) => id !== userId);
      return others.map((other) => ({
        userId: other,
        entry: {
          pts: this.appendInbox(other, 'delivered', conversationId, upTo, { userId }, now),
          event: { type: 'delivered' as const, conversationId, userId, seq: upTo },
        },
      }));
    })();
  }

  async markRead(input: Parameters<Storage['markRead']>[0]): Promise<ReadChange> {
    return this.readState.markRead(input);
  }

  async markUnread(input: Parameters<Storage['markUnread']>[0]): Promise<ReadChange> {
    return this.readState.markUnread(input);
  }

  async receipts(conversationId: string): Promise<ReadReceipt[]> {
    return this.readState.receipts(conversationId);
  }

  async saveDraft(input: Parameters<Storage['saveDraft']>[0]): Promise<{ draft: Draft | null; deliveries: Delivery[] }> {
    return this.readState.saveDraft(input);
  }

  async setConversationSettings(input: Parameters<Storage['setConversationSettings']>[0]): Promise<Delivery[]> {
    return this.settings.conversationSettings(input);
  }

  async setPrefs(userId: string, prefs: Prefs, now: number): Promise<Delivery[]> {
    return this.settings.setPrefs(userId, prefs, now);
  }

  async activeDevices(userId: string, now: number): Promise<DeviceRecord[]> {
    return this.all<DeviceRow>(
      'SELECT * FROM devices WHERE user_id = ? AND revoked_at IS NULL AND expires_at > ? ORDER BY last_active_at DESC, id',
      userId,
      now,
    ).map(toDevice);
  }

  async directPeers(userId: string): Promise<string[]> {
    return this.all<{ user_id: string }>(
      `SELECT DISTINCT other.user_id FROM user_conversations mine
       JOIN conversations c ON c.id = mine.conversation_id AND c.kind = 'direct'
       JOIN user_conversations other ON other.conversation_id = mine.conversation_id AND other.user_id <> mine.user_id
       WHERE mine.user_id = ?`,
      userId,
    ).map((r) => r.user_id);
  }

  async sharingWith(userId: string, others: readonly string[]): Promise<string[]> {
    if (others.length === 0) return [];
    const unique = [...new Set(others)];
    return this.all<{ user_id: string }>(
      `SELECT DISTINCT other.user_id FROM user_conversations mine
       JOIN user_conversations other ON other.conversation_id = mine.conversation_id
       WHERE mine.user_id = ? AND mine.left_seq IS NULL AND other.left_seq IS NULL
         AND other.user_id IN (${unique.map(() => '?').join(',')})`,
      userId,
      ...unique,
    ).map((r) => r.user_id);
  }

  async lastSeen(userIds: readonly string[]): Promise<Map<string, number>> {
    if (userIds.length === 0) return new Map();
    const unique = [...new Set(userIds)];
    const rows = this.all<{ id: string; last_seen_at: number | null }>(
      `SELECT id, last_seen_at FROM users WHERE id IN (${unique.map(() => '?').join(',')}) AND last_seen_at IS NOT NULL`,
      ...unique,
    );
    return new Map(rows.map((r) => [r.id, r.last_seen_at ?? 0]));
  }

  async setLastSeen(userId: string, at: number): Promise<void> {
    this.run('UPDATE users SET last_seen_at = MAX(COALESCE(last_seen_at, 0), ?) WHERE id = ?', at, userId);
  }

  async pruneInbox(before: number): Promise<number> {
    return this.db.transaction(() => {
      this.stmt.pruneFloor.run(before, before);
      return this.stmt.pruneInbox.run(before).changes;
    })();
  }
}
