/**
 * The storage contract on PostgreSQL: the same suite, unchanged, as on SQLite. Each test gets
 * a fresh schema, migrated from nothing.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { directConversationId } from '../../../src/protocol';
import { ALICE, BOB, CAROL, user, uuid } from '../contract/fixtures';
import { SqlStorage } from '../sql/sql-storage';
import { storageContractSuite } from '../storage-contract';
import { PgDb } from './pg-db';
import { dropSchemas, pgTestsCanRun, TEST_DATABASE_URL, throwawaySchema } from './testing';

const canRun = await pgTestsCanRun('pg-storage.test');
const base = throwawaySchema('tidings_contract');
const made: string[] = [];
/** Ids for system lines, as the server's Snowflake would hand them out. */
const counterIds = (prefix: string) => {
  let n = 0;
  return () => `${prefix}-${++n}`;
};

afterAll(async () => {
  if (canRun) await dropSchemas(made);
});

if (canRun) {
  storageContractSuite('SqlStorage on PostgreSQL', async () => {
    const schema = `${base}_${made.length}`;
    made.push(schema);
    return new SqlStorage(await PgDb.open({ connectionString: TEST_DATABASE_URL, schema, max: 4 }));
  });
} else if (process.env.CI) {
  describe('SqlStorage on PostgreSQL', () => {
    it('[PG-STORE-0] PostgreSQL is reachable (CI starts it)', () => {
      expect.fail(`PostgreSQL is unreachable at ${TEST_DATABASE_URL}`);
    });
  });
}

describe.skipIf(!canRun)('SqlStorage on PostgreSQL, several nodes on one database', () => {
  it('[PG-STORE-1] two nodes sending at once, replays crossing nodes: one gapless seq order, each message once, every inbox gapless', async () => {
    const schema = `${base}_nodes`;
    made.push(schema);
    const [a, b] = await Promise.all([0, 1].map(async () => new SqlStorage(await PgDb.open({ connectionString: TEST_DATABASE_URL, schema, max: 4 }))));
    if (!a || !b) throw new Error('two nodes');
    try {
      const people = [user(ALICE, 'alice'), user(BOB, 'bob'), user(CAROL, 'carol')];
      for (const p of people) await a.createUser(p);
      await a.openDirectConversation(directConversationId(ALICE, BOB), [ALICE, BOB], 1_000);
      await b.createGroup({ conversationId: 'g1', ownerId: ALICE, memberIds: [BOB, CAROL], name: 'G', now: 1_000, ids: counterIds('line') });
      const direct = directConversationId(ALICE, BOB);
      // 120 sends split over both nodes and two conversations; every fourth is sent again
      // through the other node, as a client retrying after a reconnect to another node would.
      const sends = Array.from({ length: 120 }, (_, i) => ({
        msgId: `m${i}`,
        conversationId: i % 2 === 0 ? direct : 'g1',
        senderId: i % 3 === 0 ? BOB : ALICE,
        clientMsgId: uuid(i),
        text: `message ${i}`,
        serverTime: 2_000 + i,
      }));
      const calls = sends.flatMap((n, i) => {
        const first = (i % 2 === 0 ? a : b).appendMessage(n);
        return i % 4 === 0 ? [first, (i % 2 === 0 ? b : a).appendMessage({ ...n, msgId: `${n.msgId}-again` })] : [first];
      });
      const results = await Promise.all(calls);
      expect(results.filter((r) => !r.duplicate)).toHaveLength(120);
      for (const conversationId of [direct, 'g1']) {
        const page = await a.history(conversationId, undefined, 500);
        const lines = page.messages.filter((m) => m.system === null);
        expect(new Set(lines.map((m) => m.clientMsgId)).size).toBe(60);
        expect(page.messages.map((m) => m.seq)).toEqual(page.messages.map((_, i) => i + 1));
        // A replay answered with the stored message, whichever node stored it.
        for (const r of results.filter((x) => x.message.conversationId === conversationId)) {
          expect(page.messages.find((m) => m.clientMsgId === r.message.clientMsgId)?.seq).toBe(r.message.seq);
        }
      }
      for (const id of [ALICE, BOB, CAROL]) {
        const page = await b.syncInbox(id, 0, 1_000);
        if (page.status !== 'ok') throw new Error('inbox too long');
        expect(page.entries.map((e) => e.pts)).toEqual(page.entries.map((_, i) => i + 1));
      }
    } finally {
      await a.close();
      await b.close();
    }
  });
});
