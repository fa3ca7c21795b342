/**
 * Storage contract, with groups-contract.ts: roles (only the owner makes admins) and group
 * settings (the owner and admins rename and announce), system lines and messages in one
 * gapless seq order, member counts, and the inbox threshold (read vs write diffusion). Speaks
 * only through the `Storage` interface.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { Storage } from '../storage';
import { ALICE, BOB, CAROL, DAN, EVE, expectCode, FRED, okPage, user, type StorageContractContext } from './fixtures';
import type { GroupsContractOptions, GroupsKit } from './groups-contract';

export function groupsRolesContract(t: StorageContractContext, k: GroupsKit, options: GroupsContractOptions): void {
  let s: Storage;
  beforeEach(() => {
    s = t.storage();
  });
  const { G, create, add, remove, leave, setRole, update, send, everything, systemOf, roleOf, state, recipients } = k;

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
      // Big groups are caught up by their heads, which carry the last message and the recall count.
      expect(await s.roomHeads(joiner)).toEqual([{ conversationId: G, lastSeq: at.message.seq, lastMessage: at.message, recalls: 0 }]);
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
}
