/**
 * Storage contract: groups. Creating, the join cursor and leaving (history bounds), who may
 * remove whom, the owner's hand-over, and re-adding. Roles and group settings, the one seq
 * order, member counts and the inbox threshold (read vs write diffusion) are in
 * `groups-roles-contract.ts`, run from here with the same helpers. Speaks only through the
 * `Storage` interface.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { InboxEntrySchema, type Message, type SystemEvent } from '../../../src/protocol';
import type { GroupChange, Storage } from '../storage';
import { ALICE, BOB, CAROL, DAN, EVE, expectCode, FRED, okPage, user, type StorageContractContext } from './fixtures';
import { groupsRolesContract } from './groups-roles-contract';
import { recallsContract } from './recalls-contract';

/** The group every test here works on (a fixed id, like every other contract fixture). */
const G = 'g_7001';

export interface GroupsContractOptions {
  /** The storage's inbox threshold: groups with at least this many members get no per-message inbox events. */
  inboxFanoutMax: number;
}

/** Helpers of the group tests, on the storage under test (fixed times and ids per test). */
export function groupsKit(t: StorageContractContext) {
  const s = () => t.storage();
  let idCounter = 0;
  /** Ids for system lines: deterministic per test. */
  const ids = () => String(800_000 + ++idCounter);
  let now = 10_000;
  const tick = () => ++now;
  const remove = (actorId: string, userId: string) => s().removeMember({ conversationId: G, actorId, userId, now: tick(), ids });
  return {
    /** The group id every group test uses. */
    G,
    reset() {
      idCounter = 0;
      now = 10_000;
    },
    ids,
    tick,
    create: (memberIds: string[], ownerId = ALICE, conversationId = G) =>
      s().createGroup({ conversationId, ownerId, memberIds, name: 'Hikers', now: tick(), ids }),
    add: (actorId: string, userIds: string[]) => s().addMembers({ conversationId: G, actorId, userIds, now: tick(), ids }),
    remove,
    leave: (userId: string) => remove(userId, userId),
    setRole: (actorId: string, userId: string, role: 'admin' | 'member') =>
      s().setRole({ conversationId: G, actorId, userId, role, now: tick(), ids }),
    update: (actorId: string, change: { name?: string; announcement?: string; historyOnJoin?: number }) =>
      s().updateGroup({ conversationId: G, actorId, ...change, now: tick(), ids }),
    send: (senderId: string, text?: string) => s().appendMessage(t.newMessage(G, senderId, text === undefined ? {} : { text })),
    /** Everything in the group, ascending (no member bounds). */
    everything: async () => (await s().history(G, undefined, 200)).messages,
    /** What one user may read, with the bounds their membership gives. */
    readable: async (userId: string) => {
      const m = await s().membership(userId, G);
      if (!m) throw new Error(`${userId} never was a member`);
      return s().history(G, undefined, 200, m);
    },
    systemOf: (m: Message | undefined): SystemEvent | null | undefined => m?.system,
    roleOf: async (userId: string) => (await s().membership(userId, G))?.role,
    /** The observable state a refused change must leave untouched. */
    state: async () => ({
      head: (await s().history(G, undefined, 1)).lastSeq,
      members: await s().members(G, 0, 200),
      pts: await Promise.all([ALICE, BOB, CAROL, DAN, EVE, FRED].map(async (u) => okPage(await s().syncInbox(u, 0, 1)).pts)),
    }),
    recipients: (c: { deliveries: GroupChange['deliveries'] }, type?: string) =>
      c.deliveries.filter((d) => !type || d.entry.event.type === type).map((d) => d.userId).sort(),
  };
}
export type GroupsKit = ReturnType<typeof groupsKit>;

export function groupsContract(t: StorageContractContext, options: GroupsContractOptions): void {
  // Its own block: the users created below exist only for the group tests.
  describe('groups', () => {
    let s: Storage;
    const k = groupsKit(t);
    const { ids, tick, create, add, remove, leave, setRole, update, send, everything, readable, systemOf, roleOf, state, recipients } = k;
    beforeEach(async () => {
      s = t.storage();
      k.reset();
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

      it('[GROUP-SHARE-1] a group may let new members read its last N lines before their join: readable, not unread, not read by them', async () => {
        await create([BOB]); // 1
        await send(ALICE, 'one'); // 2
        await send(BOB, 'two'); // 3
        await send(ALICE, 'three'); // 4
        // Only the owner and admins choose; a refused change writes nothing.
        const before = await state();
        await expectCode(update(BOB, { historyOnJoin: 2 }), 'forbidden');
        expect(await state()).toEqual(before);
        expect((await s.getConversationSummary(BOB, G))?.historyOnJoin).toBe(0);

        const shared = await update(ALICE, { historyOnJoin: 2 }); // 5
        expect(shared.room.length + recipients(shared, 'message').length).toBeGreaterThan(0);
        expect(systemOf((await everything()).at(-1))).toEqual({ type: 'history', count: 2 });
        expect((await s.getConversationSummary(BOB, G))?.historyOnJoin).toBe(2);
        // The same value again writes no line.
        await update(ALICE, { historyOnJoin: 2 });
        expect((await everything()).length).toBe(5);

        await add(BOB, [CAROL]); // 6: Carol reads from 4
        expect(await s.membership(CAROL, G)).toEqual({ role: 'member', firstSeq: 4, leftSeq: null });
        expect((await readable(CAROL)).messages.map((m) => [m.seq, m.text])).toEqual([
          [4, 'three'],
          [5, ''],
          [6, ''],
        ]);
        // What was shared is not news to her: nothing unread, and no receipt for reading it.
        const carol = await s.getConversationSummary(CAROL, G);
        expect(carol).toMatchObject({ firstSeq: 4, lastReadSeq: 5, historyOnJoin: 2 });
        expect(carol?.unread.count).toBe(0);
        expect((await s.receipts(G)).find((r) => r.userId === CAROL)).toEqual({ userId: CAROL, seq: 3, firstSeq: 4 });

        // Back to none: the next member reads from their own line; Carol keeps what she had.
        await update(ALICE, { historyOnJoin: 0 }); // 7
        await add(ALICE, [DAN]); // 8
        expect((await s.membership(DAN, G))?.firstSeq).toBe(8);
        expect((await s.membership(CAROL, G))?.firstSeq).toBe(4);
        // More than the group has: from the first line.
        await update(ALICE, { historyOnJoin: 1000 }); // 9
        await add(ALICE, [EVE]); // 10
        expect((await s.membership(EVE, G))?.firstSeq).toBe(1);
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

    groupsRolesContract(t, k, options);
    recallsContract(t, k);
  });
}
