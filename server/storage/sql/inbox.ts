/**
 * Each user's inbox in storage (the second seed's user message chain): small events numbered
 * by the user's `pts`, the bootstrap a device starts from, the sync it pulls after, and the
 * pruning that bounds it. An event is stored pointer-sized and turned into what the client
 * receives when it is read, so a stored event never carries stale text.
 */
import { TidingsError, type ConversationSummary, type InboxEntry, type Prefs, type Unread, type UserPublic } from '../../../src/protocol';
import type { SyncPage } from '../storage';
import { SqlReadState } from './read-state';
import { toMessage, type InboxRow } from './rows';
import type { SqlStorage } from './sql-storage';

/** The highest pts of a user's events written before `?` (bound twice in `pruneFloor`). */
const PRUNED_UP_TO = '(SELECT MAX(pts) FROM inbox WHERE inbox.user_id = users.id AND created_at < ?)';

const SQL = {
  bumpPts: 'UPDATE users SET pts = pts + 1 WHERE id = ? RETURNING pts',
  insertInbox: 'INSERT INTO inbox (user_id, pts, kind, conversation_id, seq, payload, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
  userPts: 'SELECT pts, inbox_floor FROM users WHERE id = ?',
  inboxPage: 'SELECT pts, kind, conversation_id, seq, payload FROM inbox WHERE user_id = ? AND pts > ? ORDER BY pts LIMIT ?',
  userConversations: 'SELECT conversation_id FROM user_conversations WHERE user_id = ? ORDER BY conversation_id',
  // The floor only rises.
  pruneFloor: `UPDATE users SET inbox_floor = CASE WHEN ${PRUNED_UP_TO} > inbox_floor THEN ${PRUNED_UP_TO} ELSE inbox_floor END
     WHERE id IN (SELECT DISTINCT user_id FROM inbox WHERE created_at < ?)`,
  pruneInbox: 'DELETE FROM inbox WHERE created_at < ?',
} as const;

export class SqlInbox {
  constructor(private readonly s: SqlStorage) {}

  /** Appends one event to the user's inbox, inside the caller's transaction; returns its pts. */
  async append(userId: string, kind: string, conversationId: string, seq: number | null, payload: unknown, now: number): Promise<number> {
    const bumped = await this.s.firstRow<{ pts: number }>(SQL.bumpPts, userId);
    if (!bumped) throw new Error(`no user ${userId} for an inbox event`);
    await this.s.run(SQL.insertInbox, userId, bumped.pts, kind, conversationId, seq, payload == null ? null : JSON.stringify(payload), now);
    return bumped.pts;
  }

  sync(userId: string, sincePts: number, limit: number): Promise<SyncPage> {
    return this.s.transaction(async (): Promise<SyncPage> => {
      const u = await this.s.firstRow<{ pts: number; inbox_floor: number }>(SQL.userPts, userId);
      if (!u) throw new TidingsError('unauthorized', 'Unknown user.');
      if (sincePts > u.pts) throw new TidingsError('bad_request', 'sincePts is ahead of the inbox.');
      if (sincePts < u.inbox_floor) return { status: 'tooLong', pts: u.pts };
      const rows = await this.s.all<InboxRow>(SQL.inboxPage, userId, sincePts, limit);
      const entries: InboxEntry[] = [];
      for (const r of rows) entries.push(await this.materialize(userId, r));
      const last = rows.at(-1);
      return { status: 'ok', entries, pts: u.pts, more: last !== undefined && last.pts < u.pts };
    });
  }

  /** Turns a stored pointer-sized inbox row into the event the client receives. */
  private async materialize(userId: string, r: InboxRow): Promise<InboxEntry> {
    switch (r.kind) {
      case 'message': {
        const m = await this.s.messageRow(r.conversation_id, r.seq);
        if (!m) throw new Error(`inbox points at a missing message ${r.conversation_id}#${r.seq}`);
        return { pts: r.pts, event: { type: 'message', message: toMessage(m, await this.s.firstSeqOf(userId, r.conversation_id)) } };
      }
      case 'conversation': {
        const conversation = await this.s.conversations.summary(userId, r.conversation_id);
        if (!conversation) throw new Error(`inbox points at a missing conversation ${r.conversation_id}`);
        return {
          pts: r.pts,
          event: { type: 'conversation', conversation, users: await this.s.accounts.users(conversation.memberIds) },
        };
      }
      case 'recall': {
        const p = JSON.parse(r.payload ?? '{}') as { by: string };
        const m = await this.s.messageRow(r.conversation_id, r.seq);
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
        const m = await this.s.membershipRow(userId, r.conversation_id);
        const draft = m && m.left_seq === null ? SqlReadState.draftOf(m) : null;
        return { pts: r.pts, event: { type: 'draft', conversationId: r.conversation_id, draft } };
      }
      case 'settings':
        return { pts: r.pts, event: { type: 'settings', conversationId: r.conversation_id, ...(await this.s.settings.settingsEvent(userId, r.conversation_id)) } };
      case 'user': {
        // The profile as it is now: a later change's event and this one read the same.
        const p = JSON.parse(r.payload ?? '{}') as { userId: string };
        const [user] = await this.s.accounts.users([p.userId]);
        if (!user) throw new Error(`inbox points at a missing user ${p.userId}`);
        return { pts: r.pts, event: { type: 'user', user } };
      }
      case 'prefs':
        return { pts: r.pts, event: { type: 'prefs', prefs: await this.s.settings.prefs(userId) } };
      case 'delivered': {
        const p = JSON.parse(r.payload ?? '{}') as { userId: string };
        return { pts: r.pts, event: { type: 'delivered', conversationId: r.conversation_id, userId: p.userId, seq: r.seq ?? 0 } };
      }
      default:
        throw new Error(`unknown inbox kind ${r.kind}`);
    }
  }

  bootstrap(userId: string): Promise<{ pts: number; prefs: Prefs; conversations: ConversationSummary[]; users: UserPublic[] }> {
    return this.s.transaction(async () => {
      const u = await this.s.firstRow<{ pts: number }>(SQL.userPts, userId);
      if (!u) throw new TidingsError('unauthorized', 'Unknown user.');
      const ids = (await this.s.all<{ conversation_id: string }>(SQL.userConversations, userId)).map((r) => r.conversation_id);
      const conversations: ConversationSummary[] = [];
      for (const id of ids) {
        const summary = await this.s.conversations.summary(userId, id);
        if (summary) conversations.push(summary);
      }
      const users = await this.s.accounts.users([userId, ...conversations.flatMap((c) => c.memberIds)]);
      return { pts: u.pts, prefs: await this.s.settings.prefs(userId), conversations, users };
    });
  }

  prune(before: number): Promise<number> {
    return this.s.transaction(async () => {
      await this.s.run(SQL.pruneFloor, before, before, before);
      return this.s.run(SQL.pruneInbox, before);
    });
  }
}
