/**
 * The storage the server uses, on whichever database `SqlDb` runs (the embedded SQLite file, or
 * PostgreSQL for several nodes). Each topic is a collaborator on the same SqlDb (`accounts.ts`,
 * `conversations.ts`, `groups.ts`, `messages.ts`, `inbox.ts`, `read-state.ts`, `settings.ts`);
 * this file keeps what they share (the rows every change reads first, transactions, the inbox
 * append) and the group commit of sends.
 */
import { randomUUID } from 'node:crypto';
import { LIMITS } from '../../../src/protocol';
import type { ConversationSummary, Draft, Head, Member, Message, Prefs, ReadReceipt, UserPublic } from '../../../src/protocol';
import { isConflict, type SqlDb, type SqlValue } from './sql-db';
import type { AppendResult, RecallResult, Delivery, DeviceRecord, GroupChange, Membership, NewMessage, ReadChange, Storage, SyncPage, UserRecord } from '../storage';
import { SqlAccounts } from './accounts';
import { SqlConversations } from './conversations';
import { SqlGroups } from './groups';
import { SqlInbox } from './inbox';
import { SqlMessages, type NewLine } from './messages';
import { SqlReadState } from './read-state';
import { SqlSettings } from './settings';
import { MESSAGE_COLUMNS, MESSAGES_WITH_QUOTE, type ConversationRow, type MembershipRow, type MessageRow } from './rows';

export type { NewLine } from './messages';

export interface SqlStorageOptions {
  /** Groups with at least this many members get no per-message inbox events. */
  inboxFanoutMax?: number;
  /** Members one group may have (`LIMITS.groupMembersMax` unless the server is set otherwise). */
  groupMembersMax?: number;
}

const SQL = {
  conversation: 'SELECT id, kind, last_seq, created_at, name, announcement, member_count, recalls, history_on_join FROM conversations WHERE id = ?',
  members: 'SELECT user_id FROM user_conversations WHERE conversation_id = ? AND left_seq IS NULL ORDER BY user_id',
  membership:
    'SELECT role, join_seq, left_seq, last_read_seq, receipt_seq, delivered_seq, draft, draft_at, is_top, notify_type FROM user_conversations WHERE user_id = ? AND conversation_id = ?',
  messageBySeq: `SELECT ${MESSAGE_COLUMNS} FROM ${MESSAGES_WITH_QUOTE} WHERE m.conversation_id = ? AND m.seq = ?`,
  setMembership: `INSERT INTO user_conversations (user_id, conversation_id, join_seq, role, last_read_seq, receipt_seq) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (user_id, conversation_id) DO UPDATE SET join_seq = excluded.join_seq, role = excluded.role,
       left_seq = NULL, last_read_seq = excluded.last_read_seq, receipt_seq = excluded.receipt_seq, delivered_seq = 0,
       draft = NULL, draft_at = NULL, is_top = 0, notify_type = 'all'`,
} as const;

export class SqlStorage implements Storage {
  private readonly db: SqlDb;

  readonly inboxFanoutMax: number;
  readonly groupMembersMax: number;
  /** @internal the collaborators, for each other */
  readonly accounts: SqlAccounts;
  /** @internal */
  readonly conversations: SqlConversations;
  /** @internal */
  readonly groups: SqlGroups;
  /** @internal */
  readonly messages: SqlMessages;
  /** @internal */
  readonly inbox: SqlInbox;
  /** @internal */
  readonly readState: SqlReadState;
  /** @internal */
  readonly settings: SqlSettings;

  /** `db`: migrated and ready. The storage closes it. */
  constructor(db: SqlDb, options: SqlStorageOptions = {}) {
    this.inboxFanoutMax = options.inboxFanoutMax ?? 500;
    this.groupMembersMax = options.groupMembersMax ?? LIMITS.groupMembersMax;
    this.db = db;
    this.accounts = new SqlAccounts(this);
    this.conversations = new SqlConversations(this);
    this.groups = new SqlGroups(this);
    this.messages = new SqlMessages(this);
    this.inbox = new SqlInbox(this);
    this.readState = new SqlReadState(this);
    this.settings = new SqlSettings(this);
  }

  // The methods that hand over to a collaborator are `async`, so a refused change is a rejected
  // promise like every other storage error (a synchronous throw from a Promise-returning method
  // escapes `.catch` and `expect().rejects`).

  async close(): Promise<void> {
    await this.db.close();
  }

  async createUser(u: UserRecord): Promise<void> {
    await this.accounts.createUser(u);
  }

  async findUserByUsername(username: string): Promise<UserRecord | null> {
    return this.accounts.findUserByUsername(username);
  }

  async getUsers(ids: readonly string[]): Promise<UserPublic[]> {
    return this.accounts.users(ids);
  }

  async createDevice(d: DeviceRecord & { tokenHash: string }): Promise<void> {
    await this.accounts.createDevice(d);
  }

  async findActiveDeviceByTokenHash(tokenHash: string, now: number): Promise<DeviceRecord | null> {
    return this.accounts.findActiveDeviceByTokenHash(tokenHash, now);
  }

  async getDevice(id: string): Promise<DeviceRecord | null> {
    return this.accounts.getDevice(id);
  }

  async touchDevice(id: string, now: number): Promise<void> {
    await this.accounts.touchDevice(id, now);
  }

  async revokeDevice(id: string, now: number): Promise<void> {
    await this.accounts.revokeDevice(id, now);
  }

  async setDisplayName(input: { userId: string; displayName: string; now: number }): Promise<{ user: UserPublic; deliveries: Delivery[] }> {
    return this.accounts.setDisplayName(input);
  }

  async renameDevice(input: { userId: string; deviceId: string; name: string; now: number }): Promise<void> {
    await this.accounts.renameDevice(input);
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

  async roomHeads(userId: string): Promise<Head[]> {
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
        setImmediate(() => void this.flushAppends());
      }
    });
  }

  private appendQueue: { n: NewMessage; resolve: (r: AppendResult) => void; reject: (e: unknown) => void }[] = [];
  private flushScheduled = false;
  private static readonly MAX_BATCH = 256;

  private async flushAppends(): Promise<void> {
    this.flushScheduled = false;
    const batch = this.appendQueue.splice(0, SqlStorage.MAX_BATCH);
    if (this.appendQueue.length > 0) {
      this.flushScheduled = true;
      setImmediate(() => void this.flushAppends());
    }
    const outcomes: ({ ok: true; result: AppendResult } | { ok: false; error: unknown })[] = [];
    try {
      await this.db.transaction(async () => {
        // A database that retries the transaction runs the batch again from the start.
        outcomes.length = 0;
        for (const item of batch) {
          try {
            outcomes.push({ ok: true, result: await this.appendOne(item.n) });
          } catch (error) {
            // A conflict with another node's transaction retries the batch, not this send alone.
            if (isConflict(error)) throw error;
            outcomes.push({ ok: false, error });
          }
        }
      });
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

  recallsAfter(...args: Parameters<Storage['recallsAfter']>): ReturnType<Storage['recallsAfter']> {
    return this.messages.recallsAfter(...args);
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
    await this.accounts.setLastSeen(userId, at);
  }

  async pruneInbox(before: number): Promise<number> {
    return this.inbox.prune(before);
  }

  /** @internal */
  membershipRow(userId: string, conversationId: string): Promise<MembershipRow | undefined> {
    return this.db.get<MembershipRow>(SQL.membership, userId, conversationId);
  }

  /** @internal The first seq the user may read (1 when they never were a member). */
  async firstSeqOf(userId: string, conversationId: string): Promise<number> {
    return Math.max(1, (await this.membershipRow(userId, conversationId))?.join_seq ?? 1);
  }

  /** @internal */
  conversationRow(conversationId: string): Promise<ConversationRow | undefined> {
    return this.db.get<ConversationRow>(SQL.conversation, conversationId);
  }

  /** @internal current members, ordered by id. */
  async activeMembers(conversationId: string): Promise<string[]> {
    return (await this.db.all<{ user_id: string }>(SQL.members, conversationId)).map((r) => r.user_id);
  }

  /** @internal */
  messageRow(conversationId: string, seq: number | null): Promise<MessageRow | undefined> {
    return this.db.get<MessageRow>(SQL.messageBySeq, conversationId, seq);
  }

  /** @internal one line, inside the caller's transaction (see SqlMessages.appendLine). */
  appendOne(n: NewLine): Promise<AppendResult> {
    return this.messages.appendLine(n);
  }

  /** @internal */
  appendInbox(...args: Parameters<SqlInbox['append']>): Promise<number> {
    return this.inbox.append(...args);
  }

  /** @internal */
  conversationEvent(userId: string, conversationId: string, now: number): Promise<Delivery> {
    return this.conversations.conversationEvent(userId, conversationId, now);
  }

  /** @internal */
  transaction<T>(fn: () => Promise<T>): Promise<T> {
    return this.db.transaction(fn);
  }

  /** @internal */
  /**
   * `joinSeq`: the first seq the member may read. `readFrom` (default `joinSeq`): the first seq
   * that counts unread for them; history a group shares on joining is readable but not unread,
   * and not read by them either (their receipt starts below `joinSeq`).
   */
  async setMembership(userId: string, conversationId: string, joinSeq: number, role: string, readFrom = joinSeq): Promise<void> {
    await this.db.run(SQL.setMembership, userId, conversationId, joinSeq, role, Math.max(0, readFrom - 1), Math.max(0, joinSeq - 1));
  }

  /** @internal */
  firstRow<T>(sql: string, ...params: SqlValue[]): Promise<T | undefined> {
    return this.db.get<T>(sql, ...params);
  }

  /** @internal */
  all<T>(sql: string, ...params: SqlValue[]): Promise<T[]> {
    return this.db.all<T>(sql, ...params);
  }

  /** @internal */
  run(sql: string, ...params: SqlValue[]): Promise<number> {
    return this.db.run(sql, ...params);
  }

  /** @internal */
  newLineId(): string {
    return randomUUID();
  }
}
