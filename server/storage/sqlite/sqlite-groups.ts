/**
 * Group changes on the embedded storage. Each is ONE transaction that updates membership and
 * appends the system line that says so (ordered by `seq` like any message), plus the
 * `conversation` inbox events that tell the affected users. The seeds' join cursor: a member
 * reads from their join line on; one who left or was removed reads up to that line.
 */
import { LIMITS, TidingsError, type Role, type SystemEvent } from '../../../src/protocol';
import type { Delivery, GroupChange, IdSource } from '../storage';
import type { SqliteStorage } from './sqlite-storage';

const RANK: Record<Role, number> = { owner: 0, admin: 1, member: 2 };

export class SqliteGroups {
  constructor(private readonly s: SqliteStorage) {}

  private group(conversationId: string) {
    const c = this.s.conversationRow(conversationId);
    // Not a group, or not there: the same answer as a conversation one is not in.
    if (!c || c.kind !== 'group') throw new TidingsError('not_found', 'No such conversation.');
    return c;
  }

  private actor(conversationId: string, userId: string) {
    const m = this.s.membershipRow(userId, conversationId);
    if (!m || m.left_seq !== null) throw new TidingsError('not_found', 'No such conversation.');
    return m;
  }

  private line(conversationId: string, actorId: string, system: SystemEvent, now: number, ids: IdSource, alsoTo: readonly string[] = []) {
    return this.s.appendOne({
      msgId: ids(),
      conversationId,
      senderId: actorId,
      clientMsgId: this.s.newLineId(),
      text: '',
      serverTime: now,
      system,
      alsoTo,
    });
  }

  private change(conversationId: string, parts: { deliveries: Delivery[]; line: ReturnType<SqliteGroups['line']> | null; joined?: string[]; left?: string[] }): GroupChange {
    const c = this.group(conversationId);
    const deliveries = [...(parts.line?.deliveries ?? []), ...parts.deliveries];
    return {
      conversationId,
      deliveries,
      room: parts.line?.room ? [parts.line.message] : [],
      joined: parts.joined ?? [],
      left: parts.left ?? [],
      memberCount: c.member_count,
    };
  }

  create(input: { conversationId: string; ownerId: string; memberIds: string[]; name: string; now: number; ids: IdSource }): GroupChange {
    const members = [...new Set(input.memberIds)].filter((id) => id !== input.ownerId);
    if (members.length + 1 > LIMITS.groupMembersMax) {
      throw new TidingsError('bad_request', `A group can have at most ${LIMITS.groupMembersMax} members.`);
    }
    return this.s.transaction(() => {
      this.s.run(
        "INSERT INTO conversations (id, kind, created_at, name, member_count) VALUES (?, 'group', ?, ?, ?)",
        input.conversationId,
        input.now,
        input.name,
        members.length + 1,
      );
      this.s.setMembership(input.ownerId, input.conversationId, 1, 'owner');
      for (const id of members) this.s.setMembership(id, input.conversationId, 1, 'member');
      const everyone = [input.ownerId, ...members];
      const line = this.line(input.conversationId, input.ownerId, { type: 'created', name: input.name }, input.now, input.ids);
      const deliveries = everyone.map((id) => this.s.conversationEvent(id, input.conversationId, input.now));
      return this.change(input.conversationId, { deliveries, line, joined: everyone });
    });
  }

  add(input: { conversationId: string; actorId: string; userIds: string[]; now: number; ids: IdSource }): GroupChange {
    return this.s.transaction(() => {
      const c = this.group(input.conversationId);
      this.actor(input.conversationId, input.actorId);
      const fresh = [...new Set(input.userIds)].filter((id) => {
        const m = this.s.membershipRow(id, input.conversationId);
        return !m || m.left_seq !== null;
      });
      if (fresh.length === 0) throw new TidingsError('bad_request', 'Everyone named is already a member.');
      if (c.member_count + fresh.length > LIMITS.groupMembersMax) {
        throw new TidingsError('bad_request', `A group can have at most ${LIMITS.groupMembersMax} members.`);
      }
      // They read from their own join line on (the seeds' join cursor).
      const joinSeq = c.last_seq + 1;
      for (const id of fresh) this.s.setMembership(id, input.conversationId, joinSeq, 'member');
      this.s.run('UPDATE conversations SET member_count = member_count + ? WHERE id = ?', fresh.length, input.conversationId);
      const line = this.line(input.conversationId, input.actorId, { type: 'joined', userIds: fresh }, input.now, input.ids, fresh);
      const deliveries = fresh.map((id) => this.s.conversationEvent(id, input.conversationId, input.now));
      return this.change(input.conversationId, { deliveries, line, joined: fresh });
    });
  }

  remove(input: { conversationId: string; actorId: string; userId: string; now: number; ids: IdSource }): GroupChange {
    return this.s.transaction(() => {
      this.group(input.conversationId);
      const actor = this.actor(input.conversationId, input.actorId);
      const leaving = input.userId === input.actorId;
      if (!leaving) {
        const target = this.s.membershipRow(input.userId, input.conversationId);
        if (!target || target.left_seq !== null) throw new TidingsError('bad_request', 'That person is not a member.');
        if (actor.role === 'member') throw new TidingsError('forbidden', 'Only the owner and admins can remove members.');
        if (RANK[target.role] <= RANK[actor.role]) {
          throw new TidingsError('forbidden', target.role === 'owner' ? 'The owner cannot be removed.' : 'Only the owner can remove an admin.');
        }
      }
      const system: SystemEvent = leaving ? { type: 'left' } : { type: 'removed', userId: input.userId };
      // The one leaving still gets the line that says so, then nothing after it.
      const line = this.line(input.conversationId, input.actorId, system, input.now, input.ids, [input.userId]);
      // Their draft goes with them: nobody types into a group they are no longer in.
      this.s.run(
        'UPDATE user_conversations SET left_seq = ?, draft = NULL, draft_at = NULL WHERE user_id = ? AND conversation_id = ?',
        line.message.seq,
        input.userId,
        input.conversationId,
      );
      this.s.run('UPDATE conversations SET member_count = member_count - 1 WHERE id = ?', input.conversationId);
      const deliveries = [this.s.conversationEvent(input.userId, input.conversationId, input.now)];
      const out = this.change(input.conversationId, { deliveries, line, left: [input.userId] });
      const heir = leaving && actor.role === 'owner' ? this.handOver(input.conversationId) : null;
      if (heir) {
        // Everyone (the heir's devices included) learns of the new owner from the log.
        const handed = this.line(input.conversationId, input.actorId, { type: 'role', userId: heir, role: 'owner' }, input.now, input.ids, [heir]);
        out.deliveries.push(...handed.deliveries);
        if (handed.room) out.room.push(handed.message);
      }
      return out;
    });
  }

  /** An owner who leaves hands the group to the longest-standing admin, else member. */
  private handOver(conversationId: string): string | null {
    const heir = this.s.firstRow<{ user_id: string }>(
      `SELECT user_id FROM user_conversations WHERE conversation_id = ? AND left_seq IS NULL
       ORDER BY CASE role WHEN 'admin' THEN 0 ELSE 1 END, join_seq, user_id LIMIT 1`,
      conversationId,
    );
    if (!heir) return null;
    this.s.run("UPDATE user_conversations SET role = 'owner' WHERE conversation_id = ? AND user_id = ?", conversationId, heir.user_id);
    return heir.user_id;
  }

  setRole(input: { conversationId: string; actorId: string; userId: string; role: 'admin' | 'member'; now: number; ids: IdSource }): GroupChange {
    return this.s.transaction(() => {
      this.group(input.conversationId);
      const actor = this.actor(input.conversationId, input.actorId);
      if (actor.role !== 'owner') throw new TidingsError('forbidden', 'Only the owner can make or unmake admins.');
      const target = this.s.membershipRow(input.userId, input.conversationId);
      if (!target || target.left_seq !== null) throw new TidingsError('bad_request', 'That person is not a member.');
      if (target.role === 'owner') throw new TidingsError('bad_request', 'The owner is always in charge.');
      if (target.role === input.role) return this.change(input.conversationId, { deliveries: [], line: null });
      this.s.run('UPDATE user_conversations SET role = ? WHERE user_id = ? AND conversation_id = ?', input.role, input.userId, input.conversationId);
      const line = this.line(input.conversationId, input.actorId, { type: 'role', userId: input.userId, role: input.role }, input.now, input.ids, [input.userId]);
      return this.change(input.conversationId, { deliveries: [], line });
    });
  }

  update(input: { conversationId: string; actorId: string; name?: string | undefined; announcement?: string | undefined; now: number; ids: IdSource }): GroupChange {
    return this.s.transaction(() => {
      const c = this.group(input.conversationId);
      const actor = this.actor(input.conversationId, input.actorId);
      if (actor.role === 'member') throw new TidingsError('forbidden', 'Only the owner and admins can change the group.');
      const lines: ReturnType<SqliteGroups['line']>[] = [];
      if (input.name !== undefined && input.name !== c.name) {
        this.s.run('UPDATE conversations SET name = ? WHERE id = ?', input.name, input.conversationId);
        lines.push(this.line(input.conversationId, input.actorId, { type: 'renamed', name: input.name }, input.now, input.ids));
      }
      if (input.announcement !== undefined && input.announcement !== c.announcement) {
        this.s.run('UPDATE conversations SET announcement = ? WHERE id = ?', input.announcement, input.conversationId);
        lines.push(this.line(input.conversationId, input.actorId, { type: 'announcement', text: input.announcement }, input.now, input.ids));
      }
      const out = this.change(input.conversationId, { deliveries: lines.flatMap((l) => l.deliveries), line: null });
      out.room = lines.filter((l) => l.room).map((l) => l.message);
      return out;
    });
  }
}
