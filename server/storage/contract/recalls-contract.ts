/**
 * Storage contract: recall. The body is erased from storage, not flagged; each conversation
 * numbers its recalls, and a member asks for those after a number within what they may read
 * (how a device that missed a big group's room push or an expired inbox catches up).
 * Run from `groups-contract.ts` with its helpers and users.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { Storage } from '../storage';
import { ALICE, BOB, CAROL, DAN, type StorageContractContext } from './fixtures';
import type { GroupsKit } from './groups-contract';

const WINDOW_MS = 120_000;

export function recallsContract(t: StorageContractContext, k: GroupsKit): void {
  describe('recall', () => {
    let s: Storage;
    const { G, create, add, leave, send, everything, tick } = k;
    beforeEach(() => {
      s = t.storage();
    });
    const recall = (actorId: string, seq: number) => s.recallMessage({ conversationId: G, seq, actorId, now: tick(), windowMs: WINDOW_MS });
    const recallsOf = async (userId: string, after: number, limit = 100) => {
      const m = await s.membership(userId, G);
      if (!m) throw new Error(`${userId} never was a member`);
      return s.recallsAfter(G, after, limit, m);
    };

    it('[RECALL-8] a recall erases the body in storage and numbers the recall; recalling it again changes nothing', async () => {
      await create([BOB, CAROL]); // 1
      await send(BOB, 'first secret'); // 2
      await send(CAROL, 'second secret'); // 3
      expect((await s.getConversationSummary(ALICE, G))?.recalls).toBe(0);

      await recall(BOB, 2);
      const stored = (await everything()).find((m) => m.seq === 2);
      expect(stored).toMatchObject({ text: '', recalledBy: BOB, mentions: null });
      expect((await s.getConversationSummary(ALICE, G))?.recalls).toBe(1);
      // The owner recalls someone else's message: the second recall.
      await recall(ALICE, 3);
      expect((await everything()).map((m) => m.text)).toEqual(['', '', '']);
      expect((await s.getConversationSummary(BOB, G))?.recalls).toBe(2);

      const again = await recall(BOB, 2);
      expect(again.deliveries).toEqual([]);
      expect((await s.getConversationSummary(ALICE, G))?.recalls).toBe(2);
      expect(await recallsOf(ALICE, 0)).toEqual({
        recalls: [
          { seq: 2, senderId: BOB, by: BOB },
          { seq: 3, senderId: CAROL, by: ALICE },
        ],
        next: 2,
        more: false,
      });
    });

    it('[RECALL-9] recalls come by number in pages, up to the member\'s leaving', async () => {
      await create([BOB, CAROL]); // 1
      await send(BOB, 'before dan'); // 2
      await add(ALICE, [DAN]); // 3: Dan reads from here
      await send(CAROL, 'while bob is in'); // 4
      await leave(BOB); // 5: Bob reads up to here
      await send(CAROL, 'after bob'); // 6
      await recall(BOB, 2).catch(() => recall(ALICE, 2)); // Bob has left: the owner recalls it
      await recall(CAROL, 6);
      await recall(CAROL, 4);

      // One at a time, by number.
      const first = await recallsOf(ALICE, 0, 1);
      expect(first).toEqual({ recalls: [{ seq: 2, senderId: BOB, by: ALICE }], next: 1, more: true });
      const second = await recallsOf(ALICE, first.next, 1);
      expect(second).toEqual({ recalls: [{ seq: 6, senderId: CAROL, by: CAROL }], next: 2, more: true });
      const rest = await recallsOf(ALICE, second.next, 5);
      expect(rest).toEqual({ recalls: [{ seq: 4, senderId: CAROL, by: CAROL }], next: 3, more: false });

      // Dan joined after seq 2: he hears of it too (someone added back may hold it from before;
      // a recall carries no text). Bob left before seq 6: he hears of nothing past his leaving,
      // and his cursor still passes it.
      expect(await recallsOf(DAN, 0)).toEqual({
        recalls: [
          { seq: 2, senderId: BOB, by: ALICE },
          { seq: 6, senderId: CAROL, by: CAROL },
          { seq: 4, senderId: CAROL, by: CAROL },
        ],
        next: 3,
        more: false,
      });
      expect(await recallsOf(BOB, 0)).toEqual({
        recalls: [
          { seq: 2, senderId: BOB, by: ALICE },
          { seq: 4, senderId: CAROL, by: CAROL },
        ],
        next: 3,
        more: false,
      });
      expect(await recallsOf(ALICE, 3)).toEqual({ recalls: [], next: 3, more: false });
    });
  });
}
