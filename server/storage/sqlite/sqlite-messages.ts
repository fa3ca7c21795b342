/**
 * Messages on the embedded storage: storing one line (a person's message or a system line)
 * with its seq and inbox events, what a mention or a reply may name, history pages, recall,
 * and delivered positions. The group commit that batches sends stays in `sqlite-storage.ts`;
 * each line it commits is stored here.
 */
import type Database from 'better-sqlite3';
import { TidingsError, type Mentions, type Message, type SystemEvent } from '../../../src/protocol';
import type { AppendResult, Delivery, NewMessage, RecallResult } from '../storage';
import { MESSAGE_COLUMNS, MESSAGES_WITH_QUOTE, toMessage, type ConversationRow, type MembershipRow, type MessageRow } from './sqlite-rows';
import type { SqliteStorage } from './sqlite-storage';

/** A line to store: a person's message, or a system line with its event. */
export interface NewLine extends NewMessage {
  system?: SystemEvent | null;
  /** Users who get this line's inbox event even when the conversation is too big for them. */
  alsoTo?: readonly string[];
}

/** "2 minutes", "90 seconds": how long the recall window is, in words. */
function spanOf(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s % 60 === 0 && s >= 60) return `${s / 60} ${s === 60 ? 'minute' : 'minutes'}`;
  return `${s} ${s === 1 ? 'second' : 'seconds'}`;
}

const statements = (db: Database.Database) => ({
  messageByClientId: db.prepare(
    `SELECT ${MESSAGE_COLUMNS} FROM ${MESSAGES_WITH_QUOTE} WHERE m.sender_id = ? AND m.conversation_id = ? AND m.client_msg_id = ?`,
  ),
  bumpSeq: db.prepare(
    'UPDATE conversations SET last_seq = last_seq + 1, recent_msg_time = ? WHERE id = ? RETURNING last_seq',
  ),
  insertMessage: db.prepare(
    'INSERT INTO messages (msg_id, conversation_id, seq, sender_id, client_msg_id, content, send_time, system, reply_to_seq, mentions) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  ),
  historyBefore: db.prepare(
    `SELECT ${MESSAGE_COLUMNS} FROM ${MESSAGES_WITH_QUOTE} WHERE m.conversation_id = ? AND m.seq < ? AND m.seq >= ? ORDER BY m.seq DESC LIMIT ?`,
  ),
  setDelivered: db.prepare(
    'UPDATE user_conversations SET delivered_seq = ? WHERE user_id = ? AND conversation_id = ? AND delivered_seq < ?',
  ),
});

export class SqliteMessages {
  private readonly stmt: ReturnType<typeof statements>;

  constructor(
    private readonly s: SqliteStorage,
    db: Database.Database,
  ) {
    this.stmt = statements(db);
  }

  /**
   * One line (a message or a system line), as a savepoint inside the caller's transaction.
   * Read diffusion: the body is stored once. Write diffusion: below `inboxFanoutMax`
   * members, every member gets a small inbox event; at or above it, nobody does (the line is
   * pushed on the conversation's room and pulled by heads), except `alsoTo`.
   */
  appendLine(n: NewLine): AppendResult {
    return this.s.transaction((): AppendResult => {
      const existing = this.stmt.messageByClientId.get(n.senderId, n.conversationId, n.clientMsgId) as MessageRow | undefined;
      const c = this.s.conversationRow(n.conversationId);
      if (!c) throw new TidingsError('not_found', 'No such conversation.');
      const room = c.member_count >= this.s.inboxFanoutMax;
      if (existing) return { message: toMessage(existing), duplicate: true, deliveries: [], room: false, memberCount: c.member_count };
      const system = n.system ?? null;
      const sender = system ? undefined : this.s.membershipRow(n.senderId, n.conversationId);
      if (n.replyToSeq !== undefined) this.checkReplyTarget(n.conversationId, n.replyToSeq, sender);
      const mentions = n.mentions ? this.checkMentions(c, n.conversationId, n.mentions, sender) : null;
      const bumped = this.stmt.bumpSeq.get(n.serverTime, n.conversationId) as { last_seq: number } | undefined;
      if (!bumped) throw new TidingsError('not_found', 'No such conversation.');
      const seq = bumped.last_seq;
      this.stmt.insertMessage.run(
        n.msgId, n.conversationId, seq, n.senderId, n.clientMsgId, n.text, n.serverTime, system ? JSON.stringify(system) : null, n.replyToSeq ?? null,
        mentions ? JSON.stringify(mentions) : null,
      );
      const row = this.s.messageRow(n.conversationId, seq) as MessageRow;
      const message = toMessage(row);
      // A reply quoting a line older than some member's join is pushed to them without the quote.
      const joinedAfterQuote = n.replyToSeq === undefined ? new Map<string, number>() : this.joinedAfter(n.conversationId, n.replyToSeq);
      const members = [...new Set([...(room ? [] : this.s.activeMembers(n.conversationId)), ...(n.alsoTo ?? [])])];
      const deliveries: Delivery[] = members.map((userId) => ({
        userId,
        entry: {
          pts: this.s.appendInbox(userId, 'message', n.conversationId, seq, null, n.serverTime),
          event: { type: 'message' as const, message: joinedAfterQuote.has(userId) ? toMessage(row, joinedAfterQuote.get(userId)) : message },
        },
      }));
      // Sending clears the sender's draft here, on every one of their devices.
      if (sender?.draft) deliveries.push(...this.s.readState.writeDraft(n.senderId, n.conversationId, sender, '', n.serverTime).deliveries);
      // The room push is one message for every socket: without the quote if anyone may not see it.
      const roomMessage = room && joinedAfterQuote.size > 0 ? { ...message, replyTo: null } : message;
      return { message: roomMessage, duplicate: false, deliveries, room, memberCount: c.member_count };
    });
  }

  /** Current members who joined after `seq`, with their first readable seq. */
  private joinedAfter(conversationId: string, seq: number): Map<string, number> {
    const rows = this.s.all<{ user_id: string; join_seq: number }>(
      'SELECT user_id, join_seq FROM user_conversations WHERE conversation_id = ? AND left_seq IS NULL AND join_seq > ?',
      conversationId,
      seq,
    );
    return new Map(rows.map((r) => [r.user_id, r.join_seq]));
  }

  /**
   * Mentions are for groups. Who is mentioned is kept only as far as it holds when the message
   * is stored: current members (someone removed while the message waited in an outbox is
   * dropped, not a reason to refuse the message), and `all` only from the owner or an admin.
   */
  private checkMentions(c: ConversationRow, conversationId: string, m: Mentions, sender: MembershipRow | undefined): Mentions | null {
    if (c.kind !== 'group') throw new TidingsError('bad_request', 'Mentions are for groups.');
    const all = m.all && (sender?.role === 'owner' || sender?.role === 'admin');
    const members = new Set(m.userIds.length > 0 ? this.s.activeMembers(conversationId) : []);
    const userIds = [...new Set(m.userIds)].filter((id) => members.has(id)).sort();
    return userIds.length === 0 && !all ? null : { userIds, all };
  }

  /** A reply quotes a person's message the sender may read, and not one that was recalled. */
  private checkReplyTarget(conversationId: string, seq: number, sender: MembershipRow | undefined): void {
    const target = this.s.messageRow(conversationId, seq);
    if (!target || !sender || seq < Math.max(1, sender.join_seq)) throw new TidingsError('not_found', 'The message you replied to is not there.');
    if (target.system) throw new TidingsError('bad_request', 'System lines cannot be replied to.');
    if (target.recalled_by) throw new TidingsError('bad_request', 'That message was recalled.');
  }

  history(
    conversationId: string,
    beforeSeq: number | undefined,
    limit: number,
    bounds?: { firstSeq: number; leftSeq: number | null },
  ): { messages: Message[]; lastSeq: number; firstSeq: number } {
    return this.s.transaction(() => {
      const c = this.s.conversationRow(conversationId);
      if (!c) throw new TidingsError('not_found', 'No such conversation.');
      const firstSeq = Math.max(1, bounds?.firstSeq ?? 1);
      const head = bounds?.leftSeq == null ? c.last_seq : Math.min(c.last_seq, bounds.leftSeq);
      const before = Math.min(beforeSeq ?? head + 1, head + 1);
      const rows = this.stmt.historyBefore.all(conversationId, before, firstSeq, limit) as MessageRow[];
      return { messages: rows.reverse().map((r) => toMessage(r, firstSeq)), lastSeq: head, firstSeq };
    });
  }

  /**
   * Recall: the sender within `windowMs`, or a group's owner/admin at any time. The body is
   * erased from storage (not flagged), and every member's devices hear of it: an inbox event
   * below the fan-out threshold, the erased message on the room above it.
   */
  recall(input: { conversationId: string; seq: number; actorId: string; now: number; windowMs: number }): RecallResult {
    return this.s.transaction((): RecallResult => {
      const c = this.s.conversationRow(input.conversationId);
      const actor = this.s.membershipRow(input.actorId, input.conversationId);
      if (!c || !actor || actor.left_seq !== null) throw new TidingsError('not_found', 'No such conversation.');
      const row = this.s.messageRow(input.conversationId, input.seq);
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
      this.s.run("UPDATE messages SET content = '', mentions = NULL, recalled_by = ? WHERE conversation_id = ? AND seq = ?", input.actorId, input.conversationId, input.seq);
      const message = toMessage({ ...row, content: '', mentions: null, recalled_by: input.actorId });
      const room = c.member_count >= this.s.inboxFanoutMax;
      const deliveries = (room ? [] : this.s.activeMembers(input.conversationId)).map((userId) => ({
        userId,
        entry: {
          pts: this.s.appendInbox(userId, 'recall', input.conversationId, input.seq, { by: input.actorId }, input.now),
          event: { type: 'recall' as const, conversationId: input.conversationId, seq: input.seq, by: input.actorId, senderId: row.sender_id },
        },
      }));
      return { message, deliveries, room, memberCount: c.member_count };
    });
  }

  markDelivered(userId: string, conversationId: string, seq: number): Delivery[] {
    return this.s.transaction((): Delivery[] => {
      const c = this.s.conversationRow(conversationId);
      if (!c) throw new TidingsError('not_found', 'No such conversation.');
      const upTo = Math.min(seq, c.last_seq);
      const changed = this.stmt.setDelivered.run(upTo, userId, conversationId, upTo).changes > 0;
      if (!changed) return [];
      const now = Date.now();
      const others = this.s.activeMembers(conversationId).filter((id) => id !== userId);
      return others.map((other) => ({
        userId: other,
        entry: {
          pts: this.s.appendInbox(other, 'delivered', conversationId, upTo, { userId }, now),
          event: { type: 'delivered' as const, conversationId, userId, seq: upTo },
        },
      }));
    });
  }
}
