/**
 * Conversations as one user sees them in storage: opening a one-to-one conversation, the
 * summary a device lists (head, unread, draft, settings), the `conversation` inbox event that
 * carries it, a user's place and groups, member lists, and the heads of the big rooms.
 * Changes to a group are in `sql/groups.ts`.
 */
import { TidingsError, type ConversationSummary, type Head, type Member } from '../../../src/protocol';
import type { Delivery, Membership } from '../storage';
import { SqlReadState, visibleHead } from './read-state';
import { toMessage } from './rows';
import type { SqlStorage } from './sql-storage';

/** `text` as a literal LIKE prefix: its wildcards escaped. */
const likePrefix = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

const SQL = {
  isMember: 'SELECT 1 AS one FROM user_conversations WHERE user_id = ? AND conversation_id = ? AND left_seq IS NULL',
  insertConversation: 'INSERT INTO conversations (id, kind, created_at, name, member_count) VALUES (?, ?, ?, ?, ?)',
  insertMember: 'INSERT INTO user_conversations (user_id, conversation_id, join_seq, role) VALUES (?, ?, ?, ?)',
  groupIds:
    "SELECT uc.conversation_id AS id FROM user_conversations uc JOIN conversations c ON c.id = uc.conversation_id WHERE uc.user_id = ? AND uc.left_seq IS NULL AND c.kind = 'group'",
  roomHeads:
    "SELECT c.id, c.last_seq, c.recalls FROM user_conversations uc JOIN conversations c ON c.id = uc.conversation_id WHERE uc.user_id = ? AND uc.left_seq IS NULL AND c.kind = 'group' AND c.member_count >= ?",
  memberPage:
    "SELECT u.id, u.username, u.display_name, uc.role FROM user_conversations uc JOIN users u ON u.id = uc.user_id WHERE uc.conversation_id = ? AND uc.left_seq IS NULL ORDER BY CASE uc.role WHEN 'owner' THEN 0 WHEN 'admin' THEN 1 ELSE 2 END, u.display_name, u.id LIMIT ? OFFSET ?",
  // A query matches the start of the user name or of a word of the display name ("brown" finds
  // "Bob Brown"), any case (mentions).
  memberSearch: `SELECT u.id, u.username, u.display_name, uc.role FROM user_conversations uc JOIN users u ON u.id = uc.user_id
     WHERE uc.conversation_id = ? AND uc.left_seq IS NULL
       AND (lower(u.username) LIKE lower(?) ESCAPE '\\' OR lower(u.display_name) LIKE lower(?) ESCAPE '\\' OR lower(u.display_name) LIKE lower(?) ESCAPE '\\')
     ORDER BY u.username LIMIT ? OFFSET ?`,
  peerPositions:
    'SELECT MIN(delivered_seq) AS delivered, MIN(receipt_seq) AS receipt FROM user_conversations WHERE conversation_id = ? AND user_id <> ?',
} as const;

export class SqlConversations {
  constructor(private readonly s: SqlStorage) {}

  openDirect(conversationId: string, memberIds: readonly [string, string], now: number): Promise<{ created: boolean; deliveries: Delivery[] }> {
    return this.s.transaction(async () => {
      if (await this.s.conversationRow(conversationId)) return { created: false, deliveries: [] };
      await this.s.run(SQL.insertConversation, conversationId, 'direct', now, null, memberIds.length);
      for (const m of memberIds) await this.s.run(SQL.insertMember, m, conversationId, 0, 'member');
      const deliveries: Delivery[] = [];
      for (const userId of memberIds) deliveries.push(await this.conversationEvent(userId, conversationId, now));
      return { created: true, deliveries };
    });
  }

  async summary(userId: string, conversationId: string): Promise<ConversationSummary | null> {
    const m = await this.s.membershipRow(userId, conversationId);
    if (!m) return null;
    const c = await this.s.conversationRow(conversationId);
    if (!c) return null;
    // Someone who left sees the conversation as it was when they left.
    const head = visibleHead(c, m);
    const last = head > 0 ? await this.s.messageRow(conversationId, head) : undefined;
    const direct = c.kind === 'direct';
    const peer = direct ? await this.s.firstRow<{ delivered: number | null; receipt: number | null }>(SQL.peerPositions, conversationId, userId) : null;
    return {
      id: c.id,
      kind: c.kind,
      name: c.name,
      announcement: c.announcement,
      memberIds: direct ? await this.s.activeMembers(conversationId) : [],
      memberCount: c.member_count,
      role: m.role,
      firstSeq: Math.max(1, m.join_seq),
      leftSeq: m.left_seq,
      inboxFanout: c.member_count < this.s.inboxFanoutMax,
      lastSeq: head,
      lastMessage: last ? toMessage(last, Math.max(1, m.join_seq)) : null,
      recalls: c.recalls,
      historyOnJoin: c.history_on_join,
      lastReadSeq: m.last_read_seq,
      unread: await this.s.readState.unread(userId, conversationId, m.last_read_seq, head),
      peerDeliveredSeq: peer?.delivered ?? 0,
      peerReadSeq: peer?.receipt ?? 0,
      draft: m.left_seq === null ? SqlReadState.draftOf(m) : null,
      pinned: m.is_top === 1,
      notify: m.notify_type,
      createdAt: c.created_at,
    };
  }

  /** The `conversation` inbox event that tells a user about a conversation (joined, left, created). */
  async conversationEvent(userId: string, conversationId: string, now: number): Promise<Delivery> {
    const pts = await this.s.appendInbox(userId, 'conversation', conversationId, null, null, now);
    const conversation = await this.summary(userId, conversationId);
    if (!conversation) throw new Error('conversation vanished inside its own transaction');
    const users = await this.s.accounts.users(conversation.kind === 'direct' ? conversation.memberIds : [userId]);
    return { userId, entry: { pts, event: { type: 'conversation', conversation, users } } };
  }

  async isMember(userId: string, conversationId: string): Promise<boolean> {
    return (await this.s.firstRow(SQL.isMember, userId, conversationId)) !== undefined;
  }

  async membership(userId: string, conversationId: string): Promise<Membership | null> {
    const m = await this.s.membershipRow(userId, conversationId);
    return m ? { role: m.role, firstSeq: Math.max(1, m.join_seq), leftSeq: m.left_seq } : null;
  }

  async groupIds(userId: string): Promise<string[]> {
    return (await this.s.all<{ id: string }>(SQL.groupIds, userId)).map((r) => r.id);
  }

  async members(conversationId: string, offset: number, limit: number, query?: string): Promise<{ members: Member[]; total: number }> {
    const c = await this.s.conversationRow(conversationId);
    if (!c) throw new TidingsError('not_found', 'No such conversation.');
    type Row = { id: string; username: string; display_name: string; role: Member['role'] };
    const prefix = query ? likePrefix(query) : '';
    const rows = query
      ? await this.s.all<Row>(SQL.memberSearch, conversationId, `${prefix}%`, `${prefix}%`, `% ${prefix}%`, limit, offset)
      : await this.s.all<Row>(SQL.memberPage, conversationId, limit, offset);
    return {
      members: rows.map((r) => ({ user: { id: r.id, username: r.username, displayName: r.display_name }, role: r.role })),
      total: c.member_count,
    };
  }

  async roomHeads(userId: string): Promise<Head[]> {
    const rows = await this.s.all<{ id: string; last_seq: number; recalls: number }>(SQL.roomHeads, userId, this.s.inboxFanoutMax);
    const heads: Head[] = [];
    for (const r of rows) {
      const last = r.last_seq > 0 ? await this.s.messageRow(r.id, r.last_seq) : undefined;
      const lastMessage = last ? toMessage(last, await this.s.firstSeqOf(userId, r.id)) : null;
      heads.push({ conversationId: r.id, lastSeq: r.last_seq, lastMessage, recalls: r.recalls });
    }
    return heads;
  }
}
