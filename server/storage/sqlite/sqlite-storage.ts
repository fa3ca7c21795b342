/**
 * The embedded default storage: one SQLite file in WAL mode. better-sqlite3 is synchronous,
 * so each method runs to completion (and each transaction is atomic) before the next begins;
 * the Promise-based interface is what lets the PostgreSQL implementation replace it.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { TidingsError, type ConversationSummary, type InboxEntry, type Message, type UserPublic } from '../../../src/protocol';
import type { AppendResult, Delivery, DeviceRecord, NewMessage, Storage, SyncPage, UserRecord } from '../storage';
import { MIGRATIONS } from './migrations';

interface MessageRow {
  msg_id: string;
  conversation_id: string;
  seq: number;
  sender_id: string;
  client_msg_id: string;
  content: string;
  send_time: number;
}

interface InboxRow {
  pts: number;
  kind: string;
  conversation_id: string;
  seq: number | null;
  payload: string | null;
}

interface DeviceRow {
  id: string;
  user_id: string;
  name: string;
  created_at: number;
  last_active_at: number;
  expires_at: number;
  revoked_at: number | null;
}

const toMessage = (r: MessageRow): Message => ({
  msgId: r.msg_id,
  conversationId: r.conversation_id,
  seq: r.seq,
  senderId: r.sender_id,
  clientMsgId: r.client_msg_id,
  text: r.content,
  serverTime: r.send_time,
});

const toDevice = (r: DeviceRow): DeviceRecord => ({
  id: r.id,
  userId: r.user_id,
  name: r.name,
  createdAt: r.created_at,
  lastActiveAt: r.last_active_at,
  expiresAt: r.expires_at,
  revokedAt: r.revoked_at,
});

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

  constructor(file: string) {
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
      isMember: db.prepare('SELECT 1 FROM user_conversations WHERE user_id = ? AND conversation_id = ?'),
      conversation: db.prepare('SELECT id, kind, last_seq, created_at FROM conversations WHERE id = ?'),
      insertConversation: db.prepare('INSERT INTO conversations (id, kind, created_at) VALUES (?, ?, ?)'),
      insertMember: db.prepare('INSERT INTO user_conversations (user_id, conversation_id, join_seq) VALUES (?, ?, ?)'),
      members: db.prepare('SELECT user_id FROM user_conversations WHERE conversation_id = ? ORDER BY user_id'),
      membership: db.prepare(
        'SELECT last_read_seq, delivered_seq FROM user_conversations WHERE user_id = ? AND conversation_id = ?',
      ),
      peerDelivered: db.prepare(
        'SELECT MIN(delivered_seq) AS seq FROM user_conversations WHERE conversation_id = ? AND user_id <> ?',
      ),
      userConversations: db.prepare('SELECT conversation_id FROM user_conversations WHERE user_id = ?'),
      messageByClientId: db.prepare(
        'SELECT * FROM messages WHERE sender_id = ? AND conversation_id = ? AND client_msg_id = ?',
      ),
      messageBySeq: db.prepare('SELECT * FROM messages WHERE conversation_id = ? AND seq = ?'),
      bumpSeq: db.prepare(
        'UPDATE conversations SET last_seq = last_seq + 1, recent_msg_time = ? WHERE id = ? RETURNING last_seq',
      ),
      insertMessage: db.prepare(
        'INSERT INTO messages (msg_id, conversation_id, seq, sender_id, client_msg_id, content, send_time) VALUES (?, ?, ?, ?, ?, ?, ?)',
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
        'SELECT * FROM messages WHERE conversation_id = ? AND seq < ? ORDER BY seq DESC LIMIT ?',
      ),
      setDelivered: db.prepare(
        'UPDATE user_conversations SET delivered_seq = ? WHERE user_id = ? AND conversation_id = ? AND delivered_seq < ?',
      ),
      pruneFloor: db.prepare(
        'UPDATE users SET inbox_floor = MAX(inbox_floor, (SELECT MAX(pts) FROM inbox WHERE inbox.user_id = users.id AND created_at < ?)) WHERE id IN (SELECT DISTINCT user_id FROM inbox WHERE created_at < ?)',
      ),
      pruneInbox: db.prepare('DELETE FROM inbox WHERE created_at < ?'),
    };
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

  async openDirectConversation(
    conversationId: string,
    memberIds: readonly [string, string],
    now: number,
  ): Promise<{ created: boolean; deliveries: Delivery[] }> {
    return this.db.transaction(() => {
      if (this.stmt.conversation.get(conversationId)) return { created: false, deliveries: [] };
      this.stmt.insertConversation.run(conversationId, 'direct', now);
      for (const m of memberIds) this.stmt.insertMember.run(m, conversationId, 0);
      const users = this.usersSync(memberIds);
      const deliveries = memberIds.map((userId) => {
        const pts = this.appendInbox(userId, 'conversation', conversationId, null, null, now);
        const conversation = this.summarySync(userId, conversationId);
        if (!conversation) throw new Error('conversation vanished inside its own transaction');
        return { userId, entry: { pts, event: { type: 'conversation' as const, conversation, users } } };
      });
      return { created: true, deliveries };
    })();
  }

  async getConversationSummary(userId: string, conversationId: string): Promise<ConversationSummary | null> {
    return this.summarySync(userId, conversationId);
  }

  private summarySync(userId: string, conversationId: string): ConversationSummary | null {
    const m = this.stmt.membership.get(userId, conversationId) as
      | { last_read_seq: number; delivered_seq: number }
      | undefined;
    if (!m) return null;
    const c = this.stmt.conversation.get(conversationId) as
      | { id: string; kind: 'direct'; last_seq: number; created_at: number }
      | undefined;
    if (!c) return null;
    const members = (this.stmt.members.all(conversationId) as { user_id: string }[]).map((r) => r.user_id);
    const last = c.last_seq > 0 ? (this.stmt.messageBySeq.get(conversationId, c.last_seq) as MessageRow | undefined) : undefined;
    const peer = this.stmt.peerDelivered.get(conversationId, userId) as { seq: number | null };
    return {
      id: c.id,
      kind: c.kind,
      memberIds: members,
      lastSeq: c.last_seq,
      lastMessage: last ? toMessage(last) : null,
      lastReadSeq: m.last_read_seq,
      peerDeliveredSeq: peer.seq ?? 0,
      createdAt: c.created_at,
    };
  }

  private appendInbox(
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

  /** One send, as a savepoint inside the batch's transaction. */
  private appendOne(n: NewMessage): AppendResult {
    return this.db.transaction((): AppendResult => {
      const existing = this.stmt.messageByClientId.get(n.senderId, n.conversationId, n.clientMsgId) as MessageRow | undefined;
      if (existing) return { message: toMessage(existing), duplicate: true, deliveries: [] };
      const bumped = this.stmt.bumpSeq.get(n.serverTime, n.conversationId) as { last_seq: number } | undefined;
      if (!bumped) throw new TidingsError('not_found', 'No such conversation.');
      const seq = bumped.last_seq;
      this.stmt.insertMessage.run(n.msgId, n.conversationId, seq, n.senderId, n.clientMsgId, n.text, n.serverTime);
      const message: Message = {
        msgId: n.msgId,
        conversationId: n.conversationId,
        seq,
        senderId: n.senderId,
        clientMsgId: n.clientMsgId,
        text: n.text,
        serverTime: n.serverTime,
      };
      const members = (this.stmt.members.all(n.conversationId) as { user_id: string }[]).map((r) => r.user_id);
      const deliveries = members.map((userId) => ({
        userId,
        entry: {
          pts: this.appendInbox(userId, 'message', n.conversationId, seq, null, n.serverTime),
          event: { type: 'message' as const, message },
        },
      }));
      return { message, duplicate: false, deliveries };
    })();
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
        return { pts: r.pts, event: { type: 'message', message: toMessage(m) } };
      }
      case 'conversation': {
        const conversation = this.summarySync(userId, r.conversation_id);
        if (!conversation) throw new Error(`inbox points at a missing conversation ${r.conversation_id}`);
        return {
          pts: r.pts,
          event: { type: 'conversation', conversation, users: this.usersSync(conversation.memberIds) },
        };
      }
      case 'delivered': {
        const p = JSON.parse(r.payload ?? '{}') as { userId: string };
        return { pts: r.pts, event: { type: 'delivered', conversationId: r.conversation_id, userId: p.userId, seq: r.seq ?? 0 } };
      }
      default:
        throw new Error(`unknown inbox kind ${r.kind}`);
    }
  }

  async bootstrap(userId: string): Promise<{ pts: number; conversations: ConversationSummary[]; users: UserPublic[] }> {
    return this.db.transaction(() => {
      const u = this.stmt.userPts.get(userId) as { pts: number } | undefined;
      if (!u) throw new TidingsError('unauthorized', 'Unknown user.');
      const ids = (this.stmt.userConversations.all(userId) as { conversation_id: string }[]).map((r) => r.conversation_id);
      const conversations = ids.flatMap((id) => this.summarySync(userId, id) ?? []);
      const users = this.usersSync([userId, ...conversations.flatMap((c) => c.memberIds)]);
      return { pts: u.pts, conversations, users };
    })();
  }

  async history(conversationId: string, beforeSeq: number | undefined, limit: number): Promise<{ messages: Message[]; lastSeq: number }> {
    return this.db.transaction(() => {
      const c = this.stmt.conversation.get(conversationId) as { last_seq: number } | undefined;
      if (!c) throw new TidingsError('not_found', 'No such conversation.');
      const before = beforeSeq ?? c.last_seq + 1;
      const rows = this.stmt.historyBefore.all(conversationId, before, limit) as MessageRow[];
      return { messages: rows.reverse().map(toMessage), lastSeq: c.last_seq };
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

  async pruneInbox(before: number): Promise<number> {
    return this.db.transaction(() => {
      this.stmt.pruneFloor.run(before, before);
      return this.stmt.pruneInbox.run(before).changes;
    })();
  }
}
