/**
 * Group changes in storage. Each is ONE transaction that updates membership and
 * appends the system line that says so (ordered by `seq` like any message), plus the
 * `conversation` inbox events that tell the affected users. The seeds' join cursor: a member
 * reads from their join line on; one who left or was removed reads up to that line.
 */
import { TidingsError, type Role, type SystemEvent } from '../../../src/protocol';
import type { AppendResult, Delivery, GroupChange, IdSource, Storage } from '../storage';
import type { ConversationRow, MembershipRow } from './rows';
import type { SqlStorage } from './sql-storage';

const RANK: Record<Role, number> = { owner: 0, admin: 1, member: 2 };

export class SqlGroups {
  constructor(private readonly s: SqlStorage) {}

  private async group(conversationId: string): Promise<ConversationRow> {
    const c = await this.s.conversationRow(conversationId);
    // Not a group, or not there: the same answer as a conversation one is not in.
    if (!c || c.kind !== 'group') throw new TidingsError('not_found', 'No such conversation.');
    return c;
  }

  private async actor(conversationId: string, userId: string): Promise<MembershipRow> {
    const m = await this.s.membershipRow(userId, conversationId);
    if (!m || m.left_seq !== null) throw new TidingsError('not_found', 'No such conversation.');
    return m;
  }

  private tooMany(): TidingsError {
    return new TidingsError('bad_request', `A group can have at most ${this.s.groupMembersMax.toLocaleString('en')} members. Nothing was changed.`);
  }

  private line(conversationId: string, actorId: string, system: SystemEvent, now: number, ids: IdSource, alsoTo: readonly string[] = []): Promise<AppendResult> {
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

  private async change(conversationId: string, parts: { deliveries: Delivery[]; line: AppendResult | null; joined?: string[]; left?: string[] }): Promise<GroupChange> {
    const c = await this.group(conversationId);
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

  async create(input: { conversationId: string; ownerId: string; memberIds: string[]; name: string; now: number; ids: IdSource }): Promise<GroupChange> {
    const members = [...new Set(input.memberIds)].filter((id) => id !== input.ownerId);
    if (members.length + 1 > this.s.groupMembersMax) throw this.tooMany();
    return this.s.transaction(async () => {
      await this.s.run(
        "INSERT INTO conversations (id, kind, created_at, name, member_count) VALUES (?, 'group', ?, ?, ?)",
        input.conversationId,
        input.now,
        input.name,
        members.length + 1,
      );
      await this.s.setMembership(input.ownerId, input.conversationId, 1, 'owner');
      for (const id of members) await this.s.setMembership(id, input.conversationId, 1, 'member');
      const everyone = [input.ownerId, ...members];
      const line = await this.line(input.conversationId, input.ownerId, { type: 'created', name: input.name }, input.now, input.ids);
      const deliveries = await this.conversationEvents(everyone, input.conversationId, input.now);
      return this.change(input.conversationId, { deliveries, line, joined: everyone });
    });
  }

  add(input: { conversationId: string; actorId: string; userIds: string[]; now: number; ids: IdSource }): Promise<GroupChange> {
    return this.s.transaction(async () => {
      const c = await this.group(input.conversationId);
      await this.actor(input.conversationId, input.actorId);
      const fresh: string[] = [];
      for (const id of new Set(input.userIds)) {
        const m = await this.s.membershipRow(id, input.conversationId);
        if (!m || m.left_seq !== null) fresh.push(id);
      }
      if (fresh.length === 0) throw new TidingsError('bad_request', 'Everyone named is already a member.');
      if (c.member_count + fresh.length > this.s.groupMembersMax) throw this.tooMany();
      // They read from their own join line on (the seeds' join cursor), or from the last lines
      // before it when the group shares them (the seed: 也可以做查看加入群之前若干条消息).
      const lineSeq = c.last_seq + 1;
      const joinSeq = Math.max(1, lineSeq - c.history_on_join);
      for (const id of fresh) await this.s.setMembership(id, input.conversationId, joinSeq, 'member', lineSeq);
      await this.s.run('UPDATE conversations SET member_count = member_count + ? WHERE id = ?', fresh.length, input.conversationId);
      const line = await this.line(input.conversationId, input.actorId, { type: 'joined', userIds: fresh }, input.now, input.ids, fresh);
      const deliveries = await this.conversationEvents(fresh, input.conversationId, input.now);
      return this.change(input.conversationId, { deliveries, line, joined: fresh });
    });
  }

  remove(input: { conversationId: string; actorId: string; userId: string; now: number; ids: IdSource }): Promise<GroupChange> {
    return this.s.transaction(async () => {
      await this.group(input.conversationId);
      const actor = await this.actor(input.conversationId, input.actorId);
      const leaving = input.userId === input.actorId;
      if (!leaving) {
        const target = await this.s.membershipRow(input.userId, input.conversationId);
        if (!target || target.left_seq !== null) throw new TidingsError('bad_request', 'That person is not a member.');
        if (actor.role === 'member') throw new TidingsError('forbidden', 'Only the owner and admins can remove members.');
        if (RANK[target.role] <= RANK[actor.role]) {
          throw new TidingsError('forbidden', target.role === 'owner' ? 'The owner cannot be removed.' : 'Only the owner can remove an admin.');
        }
      }
      const system: SystemEvent = leaving ? { type: 'left' } : { type: 'removed', userId: input.userId };
      // The one leaving still gets the line that says so, then nothing after it.
      const line = await this.line(input.conversationId, input.actorId, system, input.now, input.ids, [input.userId]);
      // Their draft goes with them: nobody types into a group they are no longer in.
      await this.s.run(
        'UPDATE user_conversations SET left_seq = ?, draft = NULL, draft_at = NULL WHERE user_id = ? AND conversation_id = ?',
        line.message.seq,
        input.userId,
        input.conversationId,
      );
      await this.s.run('UPDATE conversations SET member_count = member_count - 1 WHERE id = ?', input.conversationId);
      const deliveries = [await this.s.conversationEvent(input.userId, input.conversationId, input.now)];
      const out = await this.change(input.conversationId, { deliveries, line, left: [input.userId] });
      const heir = leaving && actor.role === 'owner' ? await this.handOver(input.conversationId) : null;
      if (heir) {
        // Everyone (the heir's devices included) learns of the new owner from the log.
        const handed = await this.line(input.conversationId, input.actorId, { type: 'role', userId: heir, role: 'owner' }, input.now, input.ids, [heir]);
        out.deliveries.push(...handed.deliveries);
        if (handed.room) out.room.push(handed.message);
      }
      return out;
    });
  }

  private async conversationEvents(userIds: readonly string[], conversationId: string, now: number): Promise<Delivery[]> {
    const deliveries: Delivery[] = [];
    for (const id of userIds) deliveries.push(await this.s.conversationEvent(id, conversationId, now));
    return deliveries;
  }

  /** An owner who leaves hands the group to the longest-standing admin, else member. */
  private async handOver(conversationId: string): Promise<string | null> {
    const heir = await this.s.firstRow<{ user_id: string }>(
      `SELECT user_id FROM user_conversations WHERE conversation_id = ? AND left_seq IS NULL
       ORDER BY CASE role WHEN 'admin' THEN 0 ELSE 1 END, join_seq, user_id LIMIT 1`,
      conversationId,
    );
    if (!heir) return null;
    await this.s.run("UPDATE user_conversations SET role = 'owner' WHERE conversation_id = ? AND user_id = ?", conversationId, heir.user_id);
    return heir.user_id;
  }

  setRole(input: { conversationId: string; actorId: string; userId: string; role: 'admin' | 'member'; now: number; ids: IdSource }): Promise<GroupChange> {
    return this.s.transaction(async () => {
      await this.group(input.conversationId);
      const actor = await this.actor(input.conversationId, input.actorId);
      if (actor.role !== 'owner') throw new TidingsError('forbidden', 'Only the owner can make or unmake admins.');
      const target = await this.s.membershipRow(input.userId, input.conversationId);
      if (!target || target.left_seq !== null) throw new TidingsError('bad_request', 'That person is not a member.');
      if (target.role === 'owner') throw new TidingsError('bad_request', 'The owner is always in charge.');
      if (target.role === input.role) return this.change(input.conversationId, { deliveries: [], line: null });
      await this.s.run('UPDATE user_conversations SET role = ? WHERE user_id = ? AND conversation_id = ?', input.role, input.userId, input.conversationId);
      const line = await this.line(input.conversationId, input.actorId, { type: 'role', userId: input.userId, role: input.role }, input.now, input.ids, [input.userId]);
      return this.change(input.conversationId, { deliveries: [], line });
    });
  }

  update(input: Parameters<Storage['updateGroup']>[0]): Promise<GroupChange> {
    return this.s.transaction(async () => {
      const c = await this.group(input.conversationId);
      const actor = await this.actor(input.conversationId, input.actorId);
      if (actor.role === 'member') throw new TidingsError('forbidden', 'Only the owner and admins can change the group.');
      const lines: AppendResult[] = [];
      if (input.name !== undefined && input.name !== c.name) {
        await this.s.run('UPDATE conversations SET name = ? WHERE id = ?', input.name, input.conversationId);
        lines.push(await this.line(input.conversationId, input.actorId, { type: 'renamed', name: input.name }, input.now, input.ids));
      }
      if (input.announcement !== undefined && input.announcement !== c.announcement) {
        await this.s.run('UPDATE conversations SET announcement = ? WHERE id = ?', input.announcement, input.conversationId);
        lines.push(await this.line(input.conversationId, input.actorId, { type: 'announcement', text: input.announcement }, input.now, input.ids));
      }
      if (input.historyOnJoin !== undefined && input.historyOnJoin !== c.history_on_join) {
        // Only members who join from now on: nobody's readable range changes behind their back.
        await this.s.run('UPDATE conversations SET history_on_join = ? WHERE id = ?', input.historyOnJoin, input.conversationId);
        lines.push(await this.line(input.conversationId, input.actorId, { type: 'history', count: input.historyOnJoin }, input.now, input.ids));
      }
      const out = await this.change(input.conversationId, { deliveries: lines.flatMap((l) => l.deliveries), line: null });
      out.room = lines.filter((l) => l.room).map((l) => l.message);
      return out;
    });
  }
}
