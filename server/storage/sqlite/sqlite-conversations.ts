/**
 * Conversations as one user sees them on the embedded storage: opening a one-to-one
 * conversation, the summary a device lists (head, unread, draft, settings), the `conversation`
 * inbox event that carries it, a user's place and groups, member lists, and the heads of the
 * big rooms. Changes to a group are in `sqlite-groups.ts`.
 */
import type Database from 'better-sqlite3';
import { TidingsError, type ConversationSummary, type Member, type Message } from '../../../src/protocol';
import type { Delivery, Membership } from '../storage';
import { SqliteReadState, visibleHead } from './sqlite-read-state';
import { toMessage } from './sqlite-rows';
import type { SqliteStorage } from './sqlite-storage';

/** `text` as a literal LIKE prefix: its wildcards escaped. */
const likePrefix = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

const statements = (db: Database.Database) => ({
  isMember: db.prepare('SELECT 1 FROM user_conversations WHERE user_id = ? AND conversation_id = ? AND left_seq IS NULL'),
  insertConversation: db.prepare(
    'INSERT INTO conversations (id, kind, created_at, name, member_count) VALUES (?, ?, ?, ?, ?)',
  ),
  insertMember: db.prepare('INSERT INTO user_conversations (user_id, conversation_id, join_seq, role) VALUES (?, ?, ?, ?)'),
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
});

export class SqliteConversations {
  private readonly stmt: ReturnType<typeof statements>;

  constructor(
    private readonly s: SqliteStorage,
    db: Database.Database,
  ) {
    this.stmt = statements(db);
  }

  openDirect(conversationId: string, memberIds: readonly [string, string], now: number): { created: boolean; deliveries: Delivery[] } {
    return this.s.transaction(() => {
      if (this.s.conversationRow(conversationId)) return { created: false, deliveries: [] };
      this.stmt.insertConversation.run(conversationId, 'direct', now, null, memberIds.length);
      for (const m of memberIds) this.stmt.insertMember.run(m, conversationId, 0, 'member');
      return { created: true, deliveries: memberIds.map((userId) => this.conversationEvent(userId, conversationId, now)) };
    });
  }

  summary(userId: string, conversationId: string): ConversationSummary | null {
    const m = this.s.membershipRow(userId, conversationId);
    if (!m) return null;
    const c = this.s.conversationRow(conversationId);
    if (!c) return null;
    // Someone who left sees the conversation as it was when they left.
    const head = visibleHead(c, m);
    const last = head > 0 ? this.s.messageRow(conversationId, head) : undefined;
    const direct = c.kind === 'direct';
    const peer = direct ? (this.stmt.peerPositions.get(conversationId, userId) as { delivered: number | null; receipt: number | null }) : null;
    return {
      id: c.id,
      kind: c.kind,
      name: c.name,
      announcement: c.announcement,
      memberIds: direct ? this.s.activeMembers(conversationId) : [],
      memberCount: c.member_count,
      role: m.role,
      firstSeq: Math.max(1, m.join_seq),
      leftSeq: m.left_seq,
      inboxFanout: c.member_count < this.s.inboxFanoutMax,
      lastSeq: head,
      lastMessage: last ? toMessage(last, Math.max(1, m.join_seq)) : null,
      lastReadSeq: m.last_read_seq,
      unread: this.s.readState.unread(userId, conversationId, m.last_read_seq, head),
      peerDeliveredSeq: peer?.delivered ?? 0,
      peerReadSeq: peer?.receipt ?? 0,
      draft: m.left_seq === null ? SqliteReadState.draftOf(m) : null,
      pinned: m.is_top === 1,
      notify: m.notify_type,
      createdAt: c.created_at,
    };
  }

  /** The `conversation` inbox event that tells a user about a conversation (joined, left, created). */
  conversationEvent(userId: string, conversationId: string, now: number): Delivery {
    const pts = this.s.appendInbox(userId, 'conversation', conversationId, null, null, now);
    const conversation = this.summary(userId, conversationId);
    if (!conversation) throw new Error('conversation vanished inside its own transaction');
    const users = this.s.accounts.users(conversation.kind === 'direct' ? conversation.memberIds : [userId]);
    return { userId, entry: { pts, event: { type: 'conversation', conversation, users } } };
  }

  isMember(userId: string, conversationId: string): boolean {
    return this.stmt.isMember.get(userId, conversationId) !== undefined;
  }

  membership(userId: string, conversationId: string): Membership | null {
    const m = this.s.membershipRow(userId, conversationId);
    return m ? { role: m.role, firstSeq: Math.max(1, m.join_seq), leftSeq: m.left_seq } : null;
  }

  groupIds(userId: string): string[] {
    return (this.stmt.groupIds.all(userId) as { id: string }[]).map((r) => r.id);
  }

  members(conversationId: string, offset: number, limit: number, query?: string): { members: Member[]; total: number } {
    const c = this.s.conversationRow(conversationId);
    if (!c) throw new TidingsError('not_found', 'No such conversation.');
    type Row = { id: string; username: string; display_name: string; role: Member['role'] };
    // A query matches the start of the user name or of a word of the display name ("brown" finds
    // "Bob Brown"), any case (mentions).
    const rows = query
      ? this.s.all<Row>(
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

  roomHeads(userId: string): { conversationId: string; lastSeq: number; lastMessage: Message | null }[] {
    const rows = this.stmt.roomHeads.all(userId, this.s.inboxFanoutMax) as { id: string; last_seq: number }[];
    return rows.map((r) => {
      const last = r.last_seq > 0 ? this.s.messageRow(r.id, r.last_seq) : undefined;
      return { conversationId: r.id, lastSeq: r.last_seq, lastMessage: last ? toMessage(last, this.s.firstSeqOf(userId, r.id)) : null };
    });
  }
}
