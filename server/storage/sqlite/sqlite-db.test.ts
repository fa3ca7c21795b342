import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteDb } from './sqlite-db';

const dir = mkdtempSync(join(tmpdir(), 'tidings-sqlite-db-'));
let n = 0;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('SqliteDb', () => {
  let db: SqliteDb;
  const names = async () => (await db.all<{ username: string }>('SELECT username FROM users ORDER BY username')).map((r) => r.username);
  const addUser = (name: string) => db.run('INSERT INTO users (id, username, display_name, password_hash, created_at) VALUES (?, ?, ?, ?, ?)', name, name, name, 'h', 1);

  beforeEach(() => {
    db = new SqliteDb(join(dir, `db-${++n}.db`));
  });
  afterEach(async () => {
    await db.close();
  });

  it('[STORE-SQL-4] a statement outside a transaction waits for it, and never reads its uncommitted rows', async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const tx = db.transaction(async () => {
      await addUser('alice');
      await held;
      throw new Error('changed my mind');
    });
    // Issued while the transaction is open and holds an uncommitted row.
    const seen = names();
    release();
    await expect(tx).rejects.toThrow('changed my mind');
    expect(await seen).toEqual([]);
  });

  it('[STORE-SQL-5] a nested transaction is a savepoint: its failure undoes only its rows, with the error unchanged', async () => {
    const refused = new Error('refused');
    const outcome = await db.transaction(async () => {
      await addUser('alice');
      const inner = await db.transaction(async () => {
        await addUser('bob');
        throw refused;
      }).catch((e: unknown) => e);
      await addUser('carol');
      return inner;
    });
    expect(outcome).toBe(refused);
    expect(await names()).toEqual(['alice', 'carol']);
  });

  it('[STORE-SQL-6] work a transaction scheduled for later runs outside it: it waits its turn like any other', async () => {
    let later!: Promise<string[]>;
    await db.transaction(async () => {
      await addUser('alice');
      // A timer set inside the transaction keeps its async context; it fires after the commit.
      later = new Promise<void>((r) => setTimeout(r, 30)).then(names);
    });
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const second = db.transaction(async () => {
      await addUser('bob');
      await held;
      throw new Error('rolled back');
    });
    await new Promise((r) => setTimeout(r, 80));
    release();
    await expect(second).rejects.toThrow('rolled back');
    expect(await later).toEqual(['alice']);
  });

  it('[STORE-SQL-7] transactions take turns: each sees the one before it committed', async () => {
    const bump = () =>
      db.transaction(async () => {
        const row = await db.get<{ c: number }>('SELECT COUNT(*) AS c FROM users');
        await addUser(`u${row?.c ?? 0}`);
      });
    await Promise.all(Array.from({ length: 20 }, bump));
    expect((await names()).length).toBe(20);
  });
});
