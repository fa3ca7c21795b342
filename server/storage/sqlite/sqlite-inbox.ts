/**
 * Each user's inbox on the embedded storage (the second seed's user message chain): small
 * events numbered by the user's `pts`, the bootstrap a device starts from, the sync it pulls
 * after, and the pruning that bounds it. An event is stored pointer-sized and turned into what
 * the client receives when it is read, so a stored event never carries stale text.
 */
import type Database from 'better-sqlite3';
import { TidingsError, type ConversationSummary, type InboxEntry, type Prefs, type Unread, type UserPublic } from '../../../src/protocol';
import type { SyncPage } from '../storage';
import { SqliteReadState } from './sqlite-read-state';
import { toMessage, type InboxRow } from './sqlite-rows';
import type { SqliteStorage } from './sqlite-storage';

const statements = (db: Database.Database) => ({
  bumpPts: db.prepare('UPDATE users SET pts = pts + 1 WHERE id = ? RETURNING pts'),
  insertInbox: db.prepare(
    'INSERT INTO inbox (user_id, pts, kind, conversation_id, seq, payload, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
  ),
  userPts: db.prepare('SELECT pts, inbox_floor FROM users WHERE id = ?'),
  inboxPage: db.prepare(
    'SELECT pts, kind, conversation_id, seq, payload FROM inbox WHERE user_id = ? AND pts > ? ORDER BY pts LIMIT ?',
  ),
  userConversations: db.prepare('SELECT conversation_id FROM user_conversations WHERE user_id = ?'),
  pruneFloor: db.prepare(
    'UPDATE users SET inbox_floor = MAX(inbox_floor, (SELECT MAX(pts) FROM inbox WHERE inbox.user_id = users.id AND created_at < ?)) WHERE id IN (SELECT DISTINCT user_id FROM inbox WHERE created_at < ?)',
  ),
  pruneInbox: db.prepare('DELETE FROM inbox WHERE created_at < ?'),
});

export class SqliteInbox {
  private readonly stmt: ReturnType<typeof statements>;

  constructor(
    private readonly s: SqliteStorage,
    db: Database.Database,
  ) {
    this.stmt = statements(db);
  }

  /** Appends one event to the user's inbox, inside the caller's transaction; returns its pts. */
  append(userId: string, kind: string, conversationId: string, seq: number | null, payload: unknown, now: number): number {
    const { pts } = this.stmt.bumpPts.get(userId) as { pts: number };
    this.stmt.insertInbox.run(userId, pts, kind, conversationId, seq, payload == null ? null : JSON.stringify(payload), now);
    return pts;
  }

  sync(userId: string, sincePts: number, limit: number): SyncPage {
    return this.s.transaction((): SyncPage => {
      const u = this.stmt.userPts.get(userId) as { pts: number; inbox_floor: number } | undefined;
      if (!u) throw new TidingsError('unauthorized', 'Unknown user.');
      if (sincePts > u.pts) throw new TidingsError('bad_request', 'sincePts is ahead of the inbox.');
      if (sincePts < u.inbox_floor) return { status: 'tooLong', pts: u.pts };
      const rows = this.stmt.inboxPage.all(userId, sincePts, limit) as InboxRow[];
      const entries = rows.map((r) => this.materialize(userId, r));
      const last = rows.at(-1);
      return { status: 'ok', entries, pts: u.pts, more: last !== undefined && last.pts < u.pts };
    });
  }

  /** Turns a stored pointer-sized inbox row into the event the client receives. */
  private materialize(userId: string, r: InboxRow): InboxEntry {
    switch (r.kind) {
      case 'message': {
        const m = this.s.messageRow(r.conversation_id, r.seq);
        if (!m) throw new Error(`inbox points at a missing message ${r.conversation_id}#${r.seq}`);
        return { pts: r.pts, event: { type: 'message', message: toMessage(m, this.s.firstSeqOf(userId, r.conversation_id)) } };
      }
      case 'conversation': {
        const conversation = this.s.conversations.summary(userId, r.conversation_id);
        if (!conversation) throw new Error(`inbox points at a missing conversation ${r.conversation_id}`);
        return {
          pts: r.pts,
          event: { type: 'conversation', conversation, users: this.s.accounts.users(conversation.memberIds) },
        };
      }
      case 'recall': {
        const p = JSON.parse(r.payload ?? '{}') as { by: string };
        const m = this.s.messageRow(r.conversation_id, r.seq);
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
        const m = this.s.membershipRow(userId, r.conversation_id);
        const draft = m && m.left_seq === null ? SqliteReadState.draftOf(m) : null;
        return { pts: r.pts, event: { type: 'draft', conversationId: r.conversation_id, draft } };
      }
      case 'settings':
        return { pts: r.pts, event: { type: 'settings', conversationId: r.conversation_id, ...this.s.settings.settingsEvent(userId, r.conversation_id) } };
      case 'user': {
        // The profile as it is now: a later change's event and this one read the same.
        const p = JSON.parse(r.payload ?? '{}') as { userId: string };
        const [user] = this.s.accounts.users([p.userId]);
        if (!user) throw new Error(`inbox points at a missing user ${p.userId}`);
        return { pts: r.pts, event: { type: 'user', user } };
      }
      case 'prefs':
        return { pts: r.pts, event: { type: 'prefs', prefs: this.s.settings.prefs(userId) } };
      case 'delivered': {
        const p = JSON.parse(r.payload ?? '{}') as { userId: string };
        return { pts: r.pts, event: { type: 'delivered', conversationId: r.conversation_id, userId: p.userId, seq: r.seq ?? 0 } };
      }
      default:
        throw new Error(`unknown inbox kind ${r.kind}`);
    }
  }

  bootstrap(userId: string): { pts: number; prefs: Prefs; conversations: ConversationSummary[]; users: UserPublic[] } {
    return this.s.transaction(() => {
      const u = this.stmt.userPts.get(userId) as { pts: number } | undefined;
      if (!u) throw new TidingsError('unauthorized', 'Unknown user.');
      const ids = (this.stmt.userConversations.all(userId) as { conversation_id: string }[]).map((r) => r.conversation_id);
      const conversations = ids.flatMap((id) => this.s.conversations.summary(userId, id) ?? []);
      const users = this.s.accounts.users([userId, ...conversations.flatMap((c) => c.memberIds)]);
      return { pts: u.pts, prefs: this.s.settings.prefs(userId), conversations, users };
    });
  }

  prune(before: number): number {
    return this.s.transaction(() => {
      this.stmt.pruneFloor.run(before, before);
      return this.stmt.pruneInbox.run(before).changes;
    });
  }
}
