/**
 * The embedded default storage: one SQLite file in WAL mode. better-sqlite3 is synchronous,
 * so each method runs to completion (and each transaction is atomic) before the next begins;
 * the Promise-based interface is what lets the PostgreSQL implementation replace it.
 *
 * SqliteStorage is the class the server uses. Each topic is a collaborator on the same
 * Database (`sqlite-accounts.ts`, `-conversations`, `-groups`, `-messages`, `-inbox`,
 * `-read-state`, `-settings`); this file keeps what they share (the rows every change reads
 * first, transactions, the inbox append) and the group commit of sends.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { ConversationSummary, Draft, Member, Message, Prefs, ReadReceipt, UserPublic } from '../../../src/protocol';
import type { AppendResult, RecallResult, Delivery, DeviceRecord, GroupChange, Membership, NewMessage, ReadChange, Storage, SyncPage, UserRecord } from '../storage';
import { SqliteAccounts } from './sqlite-accounts';
import { SqliteConversations } from './sqlite-conversations';
import { SqliteGroups } from './sqlite-groups';
import { SqliteInbox } from './sqlite-inbox';
import { SqliteMessages, type NewLine } from './sqlite-messages';
import { SqliteReadState } from './sqlite-read-state';
import { SqliteSettings } from './sqlite-settings';
import { MESSAGE_COLUMNS, MESSAGES_WITH_QUOTE, type ConversationRow, type MembershipRow, type MessageRow } from './sqlite-rows';
import { MIGRATIONS } from './migrations';

export type { NewLine } from './sqlite-messages';

export interface SqliteStorageOptions {
  /** Groups with at least this many members get no per-message inbox events. */
  inboxFanoutMax?: number;
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
  /** @internal the collaborators, for each other */
  readonly accounts: SqliteAccounts;
  /** @internal */
  readonly conversations: SqliteConversations;
  /** @internal */
  readonly groups: SqliteGroups;
  /** @internal */
  readonly messages: SqliteMessages;
  /** @internal */
  readonly inbox: SqliteInbox;
  /** @internal */
  readonly readState: SqliteReadState;
  /** @internal */
  readonly settings: SqliteSettings;

  constructor(file: string, options: SqliteStorageOptions = {}) {
    this.inboxFanoutMax = options.inboxFanoutMax ?? 500;
    this.db = openSqliteDatabase(file);
    const db = this.db;
    this.stmt = {
      conversation: db.prepare(
        'SELECT id, kind, last_seq, created_at, name, announcement, member_count FROM conversations WHERE id = ?',
      ),
      members: db.prepare(
        'SELECT user_id FROM user_conversations WHERE conversation_id = ? AND left_seq IS NULL ORDER BY user_id',
      ),
      membership: db.prepare(
        'SELECT role, join_seq, left_seq, last_read_seq, receipt_seq, delivered_seq, draft, draft_at, is_top, notify_type FROM user_conversations WHERE user_id = ? AND conversation_id = ?',
      ),
      messageBySeq: db.prepare(`SELECT ${MESSAGE_COLUMNS} FROM ${MESSAGES_WITH_QUOTE} WHERE m.conversation_id = ? AND m.seq = ?`),
    };
    this.accounts = new SqliteAccounts(this, db);
    this.conversations = new SqliteConversations(this, db);
    this.groups = new SqliteGroups(this);
    this.messages = new SqliteMessages(this, db);
    this.inbox = new SqliteInbox(this, db);
    this.readState = new SqliteReadState(this);
    this.settings = new SqliteSettings(this);
  }

  // The methods that hand over to a collaborator are `async`, so a refused change is a rejected
  // promise like every other storage error (a synchronous throw from a Promise-returning method
  // escapes `.catch` and `expect().rejects`).

  async close(): Promise<void> {
    this.db.close();
  }

  async createUser(u: UserRecord): Promise<void> {
    this.accounts.createUser(u);
  }

  async findUserByUsername(username: string): Promise<UserRecord | null> {
    return this.accounts.findUserByUsername(username);
  }

  async getUsers(ids: readonly string[]): Promise<UserPublic[]> {
    return this.accounts.users(ids);
  }

  async createDevice(d: DeviceRecord & { tokenHash: string }): Promise<void> {
    this.accounts.createDevice(d);
  }

  async findActiveDeviceByTokenHash(tokenHash: string, now: number): Promise<DeviceRecord | null> {
    return this.accounts.findActiveDeviceByTokenHash(tokenHash, now);
  }

  async getDevice(id: string): Promise<DeviceRecord | null> {
    return this.accounts.getDevice(id);
  }

  async touchDevice(id: string, now: number): Promise<void> {
    this.accounts.touchDevice(id, now);
  }

  async revokeDevice(id: string, now: number): Promise<void> {
    this.accounts.revokeDevice(id, now);
  }

  async setDisplayName(input: { userId: string; displayName: string; now: number }): Promise<{ user: UserPublic; deliveries: Delivery[] }> {
    return this.accounts.setDisplayName(input);
  }

  async renameDevice(input: { userId: string; deviceId: string; name: string; now: number }): Promise<void> {
    this.accounts.renameDevice(input);
  }

  async isMember(userId: string, conversationId: string): Promise<boolean> {
    return this.conversations.isMember(userId, conversationId);
  }

  async membership(userId: string, conversationId: string): Promise<Membership | null> {
    return this.conversations.membership(userId, conversationId);
  }

  async groupIds(userId: string): Promise<string[]> {
    return this.conversations.groupIds(userId);
  }

  async members(conversationId: string, offset: number, limit: number, query?: string): Promise<{ members: Member[]; total: number }> {
    return this.conversations.members(conversationId, offset, limit, query);
  }

  async roomHeads(userId: string): Promise<{ conversationId: string; lastSeq: number; lastMessage: Message | null }[]> {
    return this.conversations.roomHeads(userId);
  }

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

  async openDirectConversation(
    conversationId: string,
    memberIds: readonly [string, string],
    now: number,
  ): Promise<{ created: boolean; deliveries: Delivery[] }> {
    return this.conversations.openDirect(conversationId, memberIds, now);
  }

  async getConversationSummary(userId: string, conversationId: string): Promise<ConversationSummary | null> {
    return this.conversations.summary(userId, conversationId);
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

  async syncInbox(userId: string, sincePts: number, limit: number): Promise<SyncPage> {
    return this.inbox.sync(userId, sincePts, limit);
  }

  async bootstrap(userId: string): Promise<{ pts: number; prefs: Prefs; conversations: ConversationSummary[]; users: UserPublic[] }> {
    return this.inbox.bootstrap(userId);
  }

  async history(
    conversationId: string,
    beforeSeq: number | undefined,
    limit: number,
    bounds?: { firstSeq: number; leftSeq: number | null },
  ): Promise<{ messages: Message[]; lastSeq: number; firstSeq: number }> {
    return this.messages.history(conversationId, beforeSeq, limit, bounds);
  }

  async recallMessage(input: { conversationId: string; seq: number; actorId: string; now: number; windowMs: number }): Promise<RecallResult> {
    return this.messages.recall(input);
  }

  async markDelivered(userId: string, conversationId: string, seq: number): Promise<Delivery[]> {
    return this.messages.markDelivered(userId, conversationId, seq);
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
    return this.accounts.activeDevices(userId, now);
  }

  async directPeers(userId: string): Promise<string[]> {
    return this.accounts.directPeers(userId);
  }

  async sharingWith(userId: string, others: readonly string[]): Promise<string[]> {
    return this.accounts.sharingWith(userId, others);
  }

  async lastSeen(userIds: readonly string[]): Promise<Map<string, number>> {
    return this.accounts.lastSeen(userIds);
  }

  async setLastSeen(userId: string, at: number): Promise<void> {
    this.accounts.setLastSeen(userId, at);
  }

  async pruneInbox(before: number): Promise<number> {
    return this.inbox.prune(before);
  }

  /** @internal */
  membershipRow(userId: string, conversationId: string): MembershipRow | undefined {
    return this.stmt.membership.get(userId, conversationId) as MembershipRow | undefined;
  }

  /** @internal The first seq the user may read (1 when they never were a member). */
  firstSeqOf(userId: string, conversationId: string): number {
    return Math.max(1, this.membershipRow(userId, conversationId)?.join_seq ?? 1);
  }

  /** @internal */
  conversationRow(conversationId: string): ConversationRow | undefined {
    return this.stmt.conversation.get(conversationId) as ConversationRow | undefined;
  }

  /** @internal current members, ordered by id. */
  activeMembers(conversationId: string): string[] {
    return (this.stmt.members.all(conversationId) as { user_id: string }[]).map((r) => r.user_id);
  }

  /** @internal */
  messageRow(conversationId: string, seq: number | null): MessageRow | undefined {
    return this.stmt.messageBySeq.get(conversationId, seq) as MessageRow | undefined;
  }

  /** @internal one line, inside the caller's transaction (see SqliteMessages.appendLine). */
  appendOne(n: NewLine): AppendResult {
    return this.messages.appendLine(n);
  }

  /** @internal */
  appendInbox(...args: Parameters<SqliteInbox['append']>): number {
    return this.inbox.append(...args);
  }

  /** @internal */
  conversationEvent(userId: string, conversationId: string, now: number): Delivery {
    return this.conversations.conversationEvent(userId, conversationId, now);
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
}
