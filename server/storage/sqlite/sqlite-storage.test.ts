import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { storageContractSuite } from '../storage-contract';
import { MIGRATIONS } from './migrations';
import { SqliteStorage } from './sqlite-storage';

const dir = mkdtempSync(join(tmpdir(), 'tidings-sqlite-contract-'));
let n = 0;
const freshFile = () => join(dir, `storage-${++n}.db`);

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

storageContractSuite('SqliteStorage', async () => new SqliteStorage(freshFile()));

describe('SqliteStorage specifics', () => {
  it('[STORE-SQL-1] a new file is migrated to the latest version, in WAL mode', async () => {
    const file = freshFile();
    const s = new SqliteStorage(file);
    await s.close();
    const db = new Database(file, { readonly: true });
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.at(-1)!.version);
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    } finally {
      db.close();
    }
  });

  it('[STORE-SQL-2] reopening a file keeps its data and does not re-run migrations', async () => {
    const file = freshFile();
    const first = new SqliteStorage(file);
    await first.createUser({ id: '1', username: 'alice', displayName: 'Alice', passwordHash: 'h', createdAt: 1 });
    await first.close();
    const second = new SqliteStorage(file);
    try {
      expect((await second.findUserByUsername('alice'))?.id).toBe('1');
    } finally {
      await second.close();
    }
  });
});

describe('SqliteStorage group commit', () => {
  it('[STORE-SQL-3] concurrent sends share commits, keep arrival order, and a refused one spoils none', async () => {
    const s = new SqliteStorage(freshFile());
    try {
      await s.createUser({ id: '1', username: 'alice', displayName: 'Alice', passwordHash: 'h', createdAt: 1 });
      await s.createUser({ id: '2', username: 'bob', displayName: 'Bob', passwordHash: 'h', createdAt: 1 });
      await s.openDirectConversation('d_1_2', ['1', '2'], 1);
      const send = (i: number, conversationId = 'd_1_2') =>
        s.appendMessage({
          msgId: String(100 + i),
          conversationId,
          senderId: '1',
          clientMsgId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
          text: `m${i}`,
          serverTime: 1000 + i,
        });
      // 300 sends in one tick (more than one batch), one to a conversation that does not exist,
      // and one replay of an earlier clientMsgId inside the same batch.
      const calls = Array.from({ length: 300 }, (_, i) => (i === 150 ? send(i, 'd_1_3') : i === 151 ? send(10) : send(i)));
      const settled = await Promise.allSettled(calls);
      expect(settled[150]).toMatchObject({ status: 'rejected', reason: { code: 'not_found' } });
      const seqs = settled.flatMap((r, i) => (r.status === 'fulfilled' && i !== 151 ? [r.value.message.seq] : []));
      expect(seqs).toEqual(Array.from({ length: 298 }, (_, i) => i + 1));
      expect(settled[151]).toMatchObject({ status: 'fulfilled', value: { duplicate: true, message: { seq: 11, text: 'm10' } } });
      const page = await s.history('d_1_2', undefined, 200);
      expect(page.lastSeq).toBe(298);
    } finally {
      await s.close();
    }
  });
});
