/**
 * Storage contract: groups. Membership rules (who may remove whom, who sets roles, who
 * changes the group), the join cursor and leaving (history bounds), system lines ordered by
 * seq like any message, member counts, the owner's hand-over, re-adding, and the inbox
 * threshold (read vs write diffusion). Speaks only through the `Storage` interface.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { InboxEntrySchema, type Message, type SystemEvent } from '../../../src/protocol';
import type { GroupChange, Storage } from '../storage';
import { ALICE, BOB, CAROL, DAN, expectCode, okPage, user, type StorageContractContext } from './fixtures';

export const EVE = '1005';
export const FRED = '1006';
/** The group every test here works on (a fixed id, like every other contract fixture). */
const G = 'g_7001';

export interface GroupsContractOptions {
  /** The storage's inbox threshold: groups with at least this many members get no per-message inbox events. */
  inboxFanoutMax: number;
}

export function groupsContract(t: StorageContractContext, options: GroupsContractOptions): void {
  // Its own block: the users created below exist only for the group tests.
  describe('groups', () => {
    let s: Storage;
    let idCounter = 0;
    /** Ids for system lines: deterministic per test. */
    const ids = () => String(800_000 + ++idCounter);
    let now = 10_000;
    const tick = () => ++now;
    beforeEach(async () => {
      s = t.storage();
      idCounter = 0;
      now = 10_000;
      for (const [id, name] of [
        [ALICE, 'alice'],
        [BOB, 'bob'],
        [CAROL, 'carol'],
        [DAN, 'dan'],
        [EVE, 'eve'],
        [FRED, 'fred'],
      ] as const) {
        await s.createUser(user(id, name));
      }
    });
    const { newMessage } = t;

    const create = (memberIds: string[], ownerId = ALICE, conversationId = G) =>
      s.createGroup({ conversationId, ownerId, memberIds, name: 'Hikers', now: tick(), ids });
    const add = (actorId: string, userIds: string[]) => s.addMembers({ conversationId: G, actorId, userIds, now: tick(), ids });
    const remove = (actorId: string, userId: string) => s.removeMember({ conversationId: G, actorId, userId, now: tick(), ids });
    const leave = (userId: string) => remove(userId, userId);
    const setRole = (actorId: string, userId: string, role: 'admin' | 'member') =>
      s.setRole({ conversationId: G, actorId, userId, role, now: tick(), ids });
    const update = (actorId: string, change: { name?: string; announcement?: string }) =>
      s.updateGroup({ conversationId: G, actorId, ...change, now: tick(), ids });
    const send = (senderId: string, text?: string) => s.appendMessage(newMessage(G, senderId, text === undefined ? {} : { text }));
    /** Everything in the group, ascending (no member bounds). */
    const everything = async () => (await s.history(G, undefined, 200)).messages;
    /** What one user may read, with the bounds their membership gives. */
    const readable = async (userId: string) => {
      const m = await s.membership(userId, G);
      if (!m) throw new Error(`${userId} never was a member`);
      return s.history(G, undefined, 200, m);
    };
    const systemOf = (m: Message | undefined): SystemEvent | null | undefined => m?.system;
    const roleOf = async (userId: string) => (await s.membership(userId, G))?.role;
    /** The observable state a refused change must leave untouched. */
    const state = async () => ({
      head: (await s.history(G, undefined, 1)).lastSeq,
      members: await s.members(G, 0, 200),
      pts: await Promise.all([ALICE, BOB, CAROL, DAN, EVE, FRED].map(async (u) => okPage(await s.syncInbox(u, 0, 1)).pts)),
    });
    const recipients = (c: { deliveries: GroupChange['deliveries'] }, type?: string) =>
      c.deliveries.filter((d) => !type || d.entry.event.type === type).map((d) => d.userId).sort();

    describe('groups: creating', () => {
      it('[STORE-GRP-1] createGroup makes the caller owner, the others members, writes the `created` line at seq 1 and tells everyone', async () => {
        // The owner named among the members, and a name twice, count once.
        const change = await create([BOB, CAROL, ALICE, BOB]);
        expect(change.conversationId).toBe(G);
        expect(change.memberCount).toBe(3);
        expect([...change.joined].sort()).toEqual([ALICE, BOB, CAROL]);
        expect(change.left).toEqual([]);
        expect(change.room).toEqual([]); // small group: the line travels as inbox events
        for (const d of change.deliveries) InboxEntrySchema.parse(d.entry);
        expect(recipients(change, 'message')).toEqual([ALICE, BOB, CAROL]);
        expect(recipients(change, 'conversation')).toEqual([ALICE, BOB, CAROL]);

        const [created] = await everything();
        expect(created).toMatchObject({ seq: 1, senderId: ALICE, text: '', system: { type: 'created', name: 'Hikers' } });
        expect(await roleOf(ALICE)).toBe('owner');
        expect(await roleOf(BOB)).toBe('member');
        expect(await s.membership(CAROL, G)).toEqual({ role: 'member', firstSeq: 1, leftSeq: null });
        expect(await s.membership(DAN, G)).toBeNull();
        expect(await s.isMember(BOB, G)).toBe(true);
        expect(await s.isMember(DAN, G)).toBe(false);
        expect(await s.groupIds(BOB)).toEqual([G]);
        expect(await s.groupIds(DAN)).toEqual([]);

        const summary = await s.getConversationSummary(BOB, G);
        expect(summary).toMatchObject({
          id: G,
          kind: 'group',
          name: 'Hikers',
          announcement: '',
          memberIds: [], // groups are asked with `members`
          memberCount: 3,
          role: 'member',
          firstSeq: 1,
          leftSeq: null,
          inboxFanout: true,
          lastSeq: 1,
          lastMessage: created,
        });
        expect(await s.getConversationSummary(DAN, G)).toBeNull();
        // Every member's bootstrap lists it; the outsider's does not.
        expect((await s.bootstrap(CAROL)).conversations.map((c) => c.id)).toEqual([G]);
        expect((await s.bootstrap(DAN)).conversations).toEqual([]);
      });

      it('[STORE-GRP-2] members() pages owner first, then admins, then members by name, with the member count as total', async () => {
        await create([FRED, BOB, EVE, CAROL, DAN]);
        await setRole(ALICE, EVE, 'admin');
        const all = await s.members(G, 0, 200);
        expect(all.total).toBe(6);
        expect(all.members.map((m) => [m.user.username, m.role])).toEqual([
          ['alice', 'owner'],
          ['eve', 'admin'],
          ['bob', 'member'],
          ['carol', 'member'],
          ['dan', 'member'],
          ['fred', 'member'],
        ]);
        const page = await s.members(G, 2, 3);
        expect(page).toEqual({ members: all.members.slice(2, 5), total: 6 });
        await expectCode(s.members('g_999', 0, 10), 'not_found');
      });
    });

    describe('groups: joining (the join cursor)', () => {
      it('[STORE-GRP-3] a member added later reads from their own `joined` line on, never before it', async () => {
        await create([BOB]);
        await send(ALICE, 'before dan'); // seq 2
        await send(BOB, 'also before dan'); // seq 3
        const change = await add(BOB, [DAN, EVE]); // seq 4: a plain member may add
        expect(change.memberCount).toBe(4);
        expect([...change.joined].sort()).toEqual([DAN, EVE]);
        // The `joined` line reaches everyone (small group); only the newcomers get a conversation event.
        expect(recipients(change, 'message')).toEqual([ALICE, BOB, DAN, EVE]);
        expect(recipients(change, 'conversation')).toEqual([DAN, EVE]);
        expect(await s.membership(DAN, G)).toEqual({ role: 'member', firstSeq: 4, leftSeq: null });
        await send(DAN, 'dan speaks'); // seq 5

        const dan = await readable(DAN);
        expect(dan.firstSeq).toBe(4);
        expect(dan.lastSeq).toBe(5);
        expect(dan.messages.map((m) => m.seq)).toEqual([4, 5]);
        expect(systemOf(dan.messages[0])).toEqual({ type: 'joined', userIds: [DAN, EVE].sort() });
        // Paging below the cursor returns nothing more, however far down one asks.
        const m = await s.membership(DAN, G);
        expect((await s.history(G, 4, 50, m!)).messages).toEqual([]);
        expect((await s.history(G, 3, 50, m!)).messages).toEqual([]);
        // The summary says the same.
        expect(await s.getConversationSummary(DAN, G)).toMatchObject({ firstSeq: 4, lastSeq: 5, memberCount: 4 });
        // Old members still read everything.
        expect((await readable(BOB)).messages.map((x) => x.seq)).toEqual([1, 2, 3, 4, 5]);
        // Dan's inbox has nothing from before he joined.
        const inbox = okPage(await s.syncInbox(DAN, 0, 100)).entries;
        const seqs = inbox.flatMap((e) => (e.event.type === 'message' ? [e.event.message.seq] : []));
        expect(seqs).toEqual([4, 5]);
      });

      it('[STORE-GRP-4] adding refuses outsiders (not_found), groups that are not there or not groups (not_found), and people already in (bad_request); nothing is written', async () => {
        await create([BOB]);
        await s.openDirectConversation('d_1001_1002', [ALICE, BOB], tick());
        const before = await state();
        await expectCode(add(DAN, [EVE]), 'not_found');
        await expectCode(s.addMembers({ conversationId: 'g_404', actorId: ALICE, userIds: [EVE], now: tick(), ids }), 'not_found');
        await expectCode(s.addMembers({ conversationId: 'd_1001_1002', actorId: ALICE, userIds: [EVE], now: tick(), ids }), 'not_found');
        await expectCode(add(ALICE, [BOB]), 'bad_request');
        await expectCode(add(ALICE, [ALICE, BOB]), 'bad_request');
        expect(await state()).toEqual(before);
        // Named twice with one already in: the fresh one joins, once.
        const change = await add(ALICE, [EVE, BOB, EVE]);
        expect(change.joined).toEqual([EVE]);
        expect(change.memberCount).toBe(3);
      });
    });

    describe('groups: removing and leaving', () => {
      it('[STORE-GRP-5] only the owner and admins remove; admins cannot remove the owner or admins; the owner can remove anyone', async () => {
        await create([BOB, CAROL, DAN, EVE, FRED]);
        await setRole(ALICE, BOB, 'admin');
        await setRole(ALICE, CAROL, 'admin');
        const before = await state();
        await expectCode(remove(DAN, EVE), 'forbidden'); // member removes member
        await expectCode(remove(DAN, BOB), 'forbidden'); // member removes admin
        await expectCode(remove(DAN, ALICE), 'forbidden'); // member removes owner
        await expectCode(remove(BOB, CAROL), 'forbidden'); // admin removes admin
        await expectCode(remove(BOB, ALICE), 'forbidden'); // admin removes owner
        await expectCode(remove(BOB, '1999'), 'bad_request'); // not a member at all
        expect(await state()).toEqual(before);

        const byAdmin = await remove(BOB, EVE);
        expect(byAdmin.memberCount).toBe(5);
        expect(byAdmin.left).toEqual([EVE]);
        const byOwner = await remove(ALICE, CAROL); // the owner removes an admin
        expect(byOwner.memberCount).toBe(4);
        await expectCode(remove(BOB, EVE), 'bad_request'); // already out
        expect(await s.isMember(EVE, G)).toBe(false);
        expect(await s.isMember(CAROL, G)).toBe(false);
        expect((await s.members(G, 0, 200)).members.map((m) => m.user.id).sort()).toEqual([ALICE, BOB, DAN, FRED]);
        const lines = (await everything()).filter((m) => m.system?.type === 'removed');
        expect(lines.map((m) => [m.senderId, m.system])).toEqual([
          [BOB, { type: 'removed', userId: EVE }],
          [ALICE, { type: 'removed', userId: CAROL }],
        ]);
        // A removed admin can no longer act at all: the same answer as an outsider.
        await expectCode(remove(CAROL, DAN), 'not_found');
        await expectCode(add(CAROL, [EVE]), 'not_found');
      });

      it('[STORE-GRP-6] a removed member reads up to the line that removed them and is told by it, then gets nothing more', async () => {
        await create([BOB, CAROL]);
        await send(BOB, 'one'); // seq 2
        const removal = await remove(ALICE, BOB); // seq 3
        // The removed one still gets the `removed` line and a conversation event saying they are out.
        expect(recipients(removal, 'message')).toEqual([ALICE, BOB, CAROL]);
        expect(recipients(removal, 'conversation')).toEqual([BOB]);
        const told = removal.deliveries.find((d) => d.userId === BOB && d.entry.event.type === 'conversation');
        expect(told?.entry.event).toMatchObject({ conversation: { id: G, leftSeq: 3, lastSeq: 3 } });
        expect(await s.membership(BOB, G)).toEqual({ role: 'member', firstSeq: 1, leftSeq: 3 });

        const after = await send(CAROL, 'after bob'); // seq 4
        expect(after.message.seq).toBe(4);
        expect(recipients(after)).toEqual([ALICE, CAROL]);
        const bob = await readable(BOB);
        expect(bob.lastSeq).toBe(3);
        expect(bob.messages.map((m) => m.seq)).toEqual([1, 2, 3]);
        expect((await s.history(G, 100, 50, (await s.membership(BOB, G))!)).messages.map((m) => m.seq)).toEqual([1, 2, 3]);
        expect(await s.getConversationSummary(BOB, G)).toMatchObject({ lastSeq: 3, leftSeq: 3, memberCount: 2 });
        expect(await s.groupIds(BOB)).toEqual([]);
        const bobSeqs = okPage(await s.syncInbox(BOB, 0, 100)).entries.flatMap((e) => (e.event.type === 'message' ? [e.event.message.seq] : []));
        expect(bobSeqs).toEqual([1, 2, 3]);
      });

      it('[STORE-GRP-7] a member who leaves reads up to their `left` line; the count drops; they get nothing after', async () => {
        await create([BOB, CAROL]);
        const left = await leave(CAROL); // seq 2
        expect(left.memberCount).toBe(2);
        expect(left.left).toEqual([CAROL]);
        const [line] = (await everything()).slice(-1);
        expect(line).toMatchObject({ seq: 2, senderId: CAROL, system: { type: 'left' } });
        expect(await s.membership(CAROL, G)).toEqual({ role: 'member', firstSeq: 1, leftSeq: 2 });
        expect(recipients(await send(ALICE))).toEqual([ALICE, BOB]);
        expect((await readable(CAROL)).messages.map((m) => m.seq)).toEqual([1, 2]);
        await expectCode(leave(CAROL), 'not_found'); // leaving twice: not a member any more
        expect((await s.getConversationSummary(ALICE, G))?.memberCount).toBe(2);
      });

      it('[STORE-GRP-8] an owner who leaves hands the group to the longest-standing admin, not the lowest id', async () => {
        await create([DAN, CAROL]); // Dan and Carol join at seq 1
        await add(ALICE, [BOB]); // Bob (a lower id) joins later
        await setRole(ALICE, BOB, 'admin');
        await setRole(ALICE, DAN, 'admin');
        const left = await leave(ALICE);
        expect(await roleOf(DAN)).toBe('owner');
        expect(await roleOf(BOB)).toBe('admin');
        // The log says so right after the `left` line, and everyone still in is told.
        expect((await everything()).slice(-2).map((m) => m.system)).toEqual([{ type: 'left' }, { type: 'role', userId: DAN, role: 'owner' }]);
        const told = left.deliveries.filter((d) => d.entry.event.type === 'message' && d.entry.event.message.system?.type === 'role');
        expect(told.map((d) => d.userId).sort()).toEqual([BOB, CAROL, DAN]);
        expect(await roleOf(CAROL)).toBe('member');
        expect((await s.members(G, 0, 10)).members[0]).toMatchObject({ user: { id: DAN }, role: 'owner' });
        // The new owner has the owner's powers.
        await remove(DAN, BOB);
        expect(await s.isMember(BOB, G)).toBe(false);
      });

      it('[STORE-GRP-9] with no admin, the owner hands over to the longest-standing member', async () => {
        await create([EVE]); // Eve joins at seq 1
        await add(ALICE, [BOB, CAROL]); // lower ids, later
        await leave(ALICE);
        expect(await roleOf(EVE)).toBe('owner');
        expect((await everything()).at(-1)?.system).toEqual({ type: 'role', userId: EVE, role: 'owner' });
        expect(await roleOf(BOB)).toBe('member');
        expect(await roleOf(CAROL)).toBe('member');
        await setRole(EVE, BOB, 'admin');
        expect(await roleOf(BOB)).toBe('admin');
      });

      it('[STORE-GRP-10] re-added after removal: a member again, reading from the new join line only', async () => {
        await create([BOB, CAROL]);
        await send(BOB, 'first stay'); // 2
        await remove(ALICE, BOB); // 3
        await send(ALICE, 'while away'); // 4
        const back = await add(CAROL, [BOB]); // 5
        expect(back.memberCount).toBe(3);
        expect(back.joined).toEqual([BOB]);
        expect(await s.membership(BOB, G)).toEqual({ role: 'member', firstSeq: 5, leftSeq: null });
        expect(await s.isMember(BOB, G)).toBe(true);
        expect(await s.groupIds(BOB)).toEqual([G]);
        await send(BOB, 'second stay'); // 6
        const bob = await readable(BOB);
        expect(bob.messages.map((m) => m.seq)).toEqual([5, 6]);
        expect(bob.messages.some((m) => m.text === 'while away')).toBe(false);
        expect(await s.getConversationSummary(BOB, G)).toMatchObject({ firstSeq: 5, leftSeq: null, lastSeq: 6, memberCount: 3 });
        // Removed again: reads [5, 7].
        await remove(ALICE, BOB); // 7
        expect(await s.membership(BOB, G)).toEqual({ role: 'member', firstSeq: 5, leftSeq: 7 });
        expect((await readable(BOB)).messages.map((m) => m.seq)).toEqual([5, 6, 7]);
      });
    });

    describe('groups: roles and settings', () => {
      it('[STORE-GRP-11] only the owner makes or unmakes admins; the owner role is not for setting; no change writes no line', async () => {
        await create([BOB, CAROL]);
        await setRole(ALICE, BOB, 'admin');
        const before = await state();
        await expectCode(setRole(BOB, CAROL, 'admin'), 'forbidden'); // an admin
        await expectCode(setRole(CAROL, CAROL, 'admin'), 'forbidden'); // a member, for themselves
        await expectCode(setRole(ALICE, ALICE, 'member'), 'bad_request'); // the owner
        await expectCode(setRole(ALICE, DAN, 'admin'), 'bad_request'); // not a member
        await expectCode(setRole(DAN, BOB, 'member'), 'not_found'); // an outsider
        const same = await setRole(ALICE, BOB, 'admin'); // already admin: no line
        expect(same.deliveries).toEqual([]);
        expect(await state()).toEqual(before);

        const demoted = await setRole(ALICE, BOB, 'member');
        expect(recipients(demoted, 'message')).toEqual([ALICE, BOB, CAROL]);
        expect(await roleOf(BOB)).toBe('member');
        expect((await everything()).slice(-1)[0]?.system).toEqual({ type: 'role', userId: BOB, role: 'member' });
        await expectCode(remove(BOB, CAROL), 'forbidden'); // no longer an admin
      });

      it('[STORE-GRP-12] owner and admins rename and announce (a line each); members may not; unchanged values write nothing', async () => {
        await create([BOB, CAROL]);
        await setRole(ALICE, BOB, 'admin');
        const before = await state();
        await expectCode(update(CAROL, { name: 'Mine now' }), 'forbidden');
        await expectCode(update(CAROL, { announcement: 'hi' }), 'forbidden');
        await expectCode(update(DAN, { name: 'Outsider' }), 'not_found');
        const same = await update(ALICE, { name: 'Hikers', announcement: '' });
        expect(same.deliveries).toEqual([]);
        expect(await state()).toEqual(before);

        const both = await update(BOB, { name: 'Climbers', announcement: 'Meet at 8' });
        expect(both.deliveries.filter((d) => d.userId === CAROL).map((d) => systemOf(d.entry.event.type === 'message' ? d.entry.event.message : undefined))).toEqual([
          { type: 'renamed', name: 'Climbers' },
          { type: 'announcement', text: 'Meet at 8' },
        ]);
        expect(await s.getConversationSummary(CAROL, G)).toMatchObject({ name: 'Climbers', announcement: 'Meet at 8' });
        await update(ALICE, { announcement: 'Meet at 8' }); // unchanged: nothing
        await update(ALICE, { announcement: '' }); // cleared: a line
        const lines = (await everything()).map((m) => m.system?.type ?? 'text');
        expect(lines).toEqual(['created', 'role', 'renamed', 'announcement', 'announcement']);
      });

      it('[STORE-GRP-13] system lines and messages share one gapless seq order, as every reader sees it', async () => {
        await create([BOB]); // 1 created
        await send(BOB, 'hello'); // 2
        await add(BOB, [CAROL]); // 3 joined
        await setRole(ALICE, CAROL, 'admin'); // 4 role
        await update(CAROL, { name: 'Renamed' }); // 5 renamed
        await send(CAROL, 'hi all'); // 6
        await update(ALICE, { announcement: 'Be nice' }); // 7 announcement
        await remove(CAROL, BOB); // 8 removed
        await add(ALICE, [DAN]); // 9 joined
        await leave(DAN); // 10 left
        await send(ALICE, 'bye'); // 11
        const all = await everything();
        expect(all.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
        expect(all.map((m) => m.system?.type ?? m.text)).toEqual([
          'created', 'hello', 'joined', 'role', 'renamed', 'hi all', 'announcement', 'removed', 'joined', 'left', 'bye',
        ]);
        expect(all.filter((m) => m.system).every((m) => m.text === '')).toBe(true);
        // Every system line has its own msgId and clientMsgId.
        expect(new Set(all.map((m) => m.msgId)).size).toBe(all.length);
        expect(new Set(all.map((m) => m.clientMsgId)).size).toBe(all.length);
        // Alice's inbox carries the same lines in the same order.
        const aliceSeqs = okPage(await s.syncInbox(ALICE, 0, 100)).entries.flatMap((e) => (e.event.type === 'message' ? [e.event.message.seq] : []));
        expect(aliceSeqs).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
        // Paging by seq returns the same lines.
        expect((await s.history(G, 6, 3)).messages.map((m) => m.seq)).toEqual([3, 4, 5]);
        expect((await s.getConversationSummary(ALICE, G))?.memberCount).toBe(2);
      });

      it('[STORE-GRP-14] member counts follow every change', async () => {
        const counts: number[] = [];
        const count = async () => counts.push((await s.getConversationSummary(ALICE, G))!.memberCount);
        await create([BOB]);
        await count();
        await add(ALICE, [CAROL, DAN, EVE]);
        await count();
        await remove(ALICE, DAN);
        await count();
        await leave(EVE);
        await count();
        await add(BOB, [DAN, FRED]);
        await count();
        expect(counts).toEqual([2, 5, 4, 3, 5]);
        expect((await s.members(G, 0, 200)).total).toBe(5);
        expect((await s.members(G, 0, 200)).members).toHaveLength(5);
      });
    });

    describe('groups: the inbox threshold', () => {
      it(`[STORE-GRP-15] below the threshold every member gets a message event; at it, nobody does except those a line is also for`, async () => {
        const T = options.inboxFanoutMax;
        // Enough extra users to reach the threshold (the owner + T - 1 members, then one more).
        const extra: string[] = [];
        for (let i = 0; i < T; i++) {
          const id = String(20_000 + i);
          await s.createUser(user(id, `member${i}`));
          extra.push(id);
        }
        const joiner = extra.pop() as string;
        const small = await create([...extra.slice(0, T - 2)]); // T - 1 members
        expect(small.memberCount).toBe(T - 1);
        expect((await s.getConversationSummary(ALICE, G))?.inboxFanout).toBe(true);
        const below = await send(ALICE);
        expect(below.room).toBe(false);
        expect(below.memberCount).toBe(T - 1);
        expect(below.deliveries).toHaveLength(T - 1);
        expect(new Set(below.deliveries.map((d) => d.userId))).toEqual(new Set([ALICE, ...extra.slice(0, T - 2)]));
        expect(await s.roomHeads(ALICE)).toEqual([]);

        // Reaching the threshold: the `joined` line goes only to the newcomer, the rest by room.
        const crossing = await add(ALICE, [joiner]);
        expect(crossing.memberCount).toBe(T);
        expect(recipients(crossing, 'message')).toEqual([joiner]);
        expect(recipients(crossing, 'conversation')).toEqual([joiner]);
        expect(crossing.room.map((m) => m.system?.type)).toEqual(['joined']);
        expect((await s.getConversationSummary(joiner, G))?.inboxFanout).toBe(false);

        const at = await send(extra[0] as string);
        expect(at.room).toBe(true);
        expect(at.deliveries).toEqual([]);
        expect(at.memberCount).toBe(T);
        // Big groups are caught up by their heads, which carry the last message.
        expect(await s.roomHeads(joiner)).toEqual([{ conversationId: G, lastSeq: at.message.seq, lastMessage: at.message }]);
        expect(await s.roomHeads(DAN)).toEqual([]);
        const ptsBefore = okPage(await s.syncInbox(extra[1] as string, 0, 1)).pts;

        // A removal at the threshold: only the removed one gets the line (and its conversation event).
        const removal = await remove(ALICE, extra[1] as string);
        expect(recipients(removal, 'message')).toEqual([extra[1]]);
        expect(removal.room.map((m) => m.system)).toEqual([{ type: 'removed', userId: extra[1] }]);
        expect(okPage(await s.syncInbox(extra[1] as string, 0, 1)).pts).toBe(ptsBefore + 2);
        expect(await s.roomHeads(extra[1] as string)).toEqual([]);

        // Back below: the inbox path again, for every remaining member.
        expect(removal.memberCount).toBe(T - 1);
        const again = await send(ALICE);
        expect(again.room).toBe(false);
        expect(again.deliveries).toHaveLength(T - 1);
        expect(again.deliveries.some((d) => d.userId === extra[1])).toBe(false);
        expect(await s.roomHeads(ALICE)).toEqual([]);
      });
    });
  });
}
