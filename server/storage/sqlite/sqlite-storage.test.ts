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
