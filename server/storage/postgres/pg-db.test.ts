/**
 * PgDb against a real PostgreSQL, in a throwaway schema per run. Without a reachable server the
 * suite is skipped locally and fails under CI (which starts one).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TidingsError } from '../../../src/protocol/errors';
import { MIGRATIONS } from '../sqlite/migrations';
import { PgDb } from './pg-db';
import { PG_MIGRATIONS, migratePg } from './pg-migrations';
import { pgTestsCanRun, TEST_DATABASE_URL, throwawaySchema } from './testing';

const URL = TEST_DATABASE_URL;
const SCHEMA = throwawaySchema();
/** Schemas the migration tests start from nothing; dropped with SCHEMA. */
const FRESH = [`${SCHEMA}_fresh_a`, `${SCHEMA}_fresh_b`];

const canRun = await pgTestsCanRun('pg-db.test');

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/** Tables, their columns and indexes as both databases describe them, to compare. */
interface SchemaShape {
  columns: Record<string, { name: string; type: string; notNull: boolean; pk: boolean }[]>;
  indexes: string[];
  namedIndexes: string[];
}

function sqliteShape(): SchemaShape {
  const db = new Database(':memory:');
  for (const m of MIGRATIONS) db.exec(m.sql);
  const tables = db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    .all() as { name: string }[];
  const shape: SchemaShape = { columns: {}, indexes: [], namedIndexes: [] };
  for (const { name: table } of tables) {
    const cols = db.prepare(`PRAGMA table_info(${table})`).all() as { name: string; type: string; notnull: number; pk: number }[];
    // A TEXT PRIMARY KEY may be NULL in SQLite (a historical quirk), never in PostgreSQL.
    shape.columns[table] = cols.map((c) => ({ name: c.name, type: c.type, notNull: c.notnull === 1 || c.pk > 0, pk: c.pk > 0 }));
    const indexes = db.prepare(`PRAGMA index_list(${table})`).all() as { name: string; unique: number; origin: string }[];
    for (const index of indexes) {
      const cols = db.prepare(`PRAGMA index_info(${index.name})`).all() as { seqno: number; name: string }[];
      const names = cols.sort((a, b) => a.seqno - b.seqno).map((c) => c.name);
      shape.indexes.push(`${table}(${names.join(',')})${index.unique ? ' unique' : ''}`);
      if (index.origin === 'c') shape.namedIndexes.push(index.name);
    }
  }
  db.close();
  shape.indexes.sort();
  shape.namedIndexes.sort();
  return shape;
}

async function pgShape(db: PgDb): Promise<SchemaShape> {
  const cols = await db.all<{ table_name: string; column_name: string; data_type: string; is_nullable: string; pk: boolean }>(
    `SELECT c.table_name, c.column_name, c.data_type, c.is_nullable,
            EXISTS (SELECT 1 FROM information_schema.key_column_usage k
                    JOIN information_schema.table_constraints t
                      ON t.constraint_name = k.constraint_name AND t.table_schema = k.table_schema
                    WHERE t.constraint_type = 'PRIMARY KEY' AND k.table_schema = c.table_schema
                      AND k.table_name = c.table_name AND k.column_name = c.column_name) AS pk
       FROM information_schema.columns c
      WHERE c.table_schema = current_schema() AND c.table_name NOT LIKE 'scratch%' AND c.table_name <> 'schema_migrations'
      ORDER BY c.table_name, c.ordinal_position`,
  );
  const shape: SchemaShape = { columns: {}, indexes: [], namedIndexes: [] };
  for (const c of cols) {
    (shape.columns[c.table_name] ??= []).push({
      name: c.column_name,
      type: c.data_type,
      notNull: c.is_nullable === 'NO',
      pk: c.pk,
    });
  }
  const indexes = await db.all<{ table: string; name: string; unique: boolean; columns: string; constraint: boolean }>(
    `SELECT t.relname AS "table", x.relname AS name, i.indisunique AS "unique",
            EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid) AS "constraint",
            array_to_string(ARRAY(
              SELECT a.attname FROM unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
              JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum ORDER BY k.ord), ',') AS columns
       FROM pg_index i
       JOIN pg_class t ON t.oid = i.indrelid
       JOIN pg_class x ON x.oid = i.indexrelid
       JOIN pg_namespace n ON n.oid = t.relnamespace
      WHERE n.nspname = current_schema() AND t.relname NOT LIKE 'scratch%' AND t.relname <> 'schema_migrations'`,
  );
  for (const index of indexes) {
    shape.indexes.push(`${index.table}(${index.columns})${index.unique ? ' unique' : ''}`);
    if (!index.constraint) shape.namedIndexes.push(index.name);
  }
  shape.indexes.sort();
  shape.namedIndexes.sort();
  return shape;
}

describe.skipIf(!canRun && !process.env.CI)('PgDb', () => {
  let admin: pg.Pool;
  let db: PgDb;

  beforeAll(async () => {
    if (!canRun) throw new Error(`PostgreSQL is unreachable at ${URL}; CI must start it`);
    admin = new pg.Pool({ connectionString: URL, max: 2 });
    db = await PgDb.open({ connectionString: URL, schema: SCHEMA });
    await db.run('CREATE TABLE scratch_notes (id TEXT PRIMARY KEY, tag TEXT NOT NULL, n BIGINT NOT NULL DEFAULT 0)');
    await db.run('CREATE TABLE scratch_counters (id TEXT PRIMARY KEY, n BIGINT NOT NULL)');
  });

  afterAll(async () => {
    await db?.close();
    if (!admin) return;
    for (const schema of [SCHEMA, ...FRESH]) await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end();
  });

  it('[PG-1] ? placeholders bind in order; BIGINT, COUNT and SUM come back as numbers', async () => {
    const big = 2 ** 53 - 1;
    expect(await db.run('INSERT INTO scratch_notes (id, tag, n) VALUES (?, ?, ?), (?, ?, ?)', 'p1', 'pg1', big, 'p2', 'pg1', 1)).toBe(2);
    const row = await db.get<{ n: number; q: string; c: number; s: number; t: number }>(
      `SELECT n, '?' AS q,
              (SELECT COUNT(*) FROM scratch_notes WHERE tag = ?) AS c,
              (SELECT SUM(n) FROM scratch_notes WHERE tag = ? AND id = ?) AS s,
              CAST(? AS BIGINT) AS t
         FROM scratch_notes WHERE id = ?`,
      'pg1', 'pg1', 'p2', 1_700_000_000_000, 'p1',
    );
    expect(row).toEqual({ n: big, q: '?', c: 2, s: 1, t: 1_700_000_000_000 });
    expect(await db.get('SELECT id FROM scratch_notes WHERE id = ?', 'nope')).toBeUndefined();
    expect(await db.all<{ id: string }>('SELECT id FROM scratch_notes WHERE tag = ? ORDER BY id', 'pg1')).toEqual([{ id: 'p1' }, { id: 'p2' }]);
    // Past 2^53 a number would silently change; the read fails instead.
    await expect(db.get("SELECT CAST('9007199254740993' AS BIGINT) AS n")).rejects.toThrow(RangeError);
  });

  it('[PG-2] a transaction commits its writes and resolves to what fn returned', async () => {
    const result = await db.transaction(async () => {
      await db.run('INSERT INTO scratch_notes (id, tag) VALUES (?, ?)', 'c1', 'pg2');
      await db.run('INSERT INTO scratch_notes (id, tag) VALUES (?, ?)', 'c2', 'pg2');
      return 'done';
    });
    expect(result).toBe('done');
    expect(await db.get('SELECT COUNT(*) AS c FROM scratch_notes WHERE tag = ?', 'pg2')).toEqual({ c: 2 });
  });

  it('[PG-3] an error thrown by fn rolls everything back and arrives as the same object', async () => {
    const thrown = new TidingsError('forbidden', 'no');
    const caught = await db
      .transaction(async () => {
        await db.run('INSERT INTO scratch_notes (id, tag) VALUES (?, ?)', 'r1', 'pg3');
        throw thrown;
      })
      .catch((e: unknown) => e);
    expect(caught).toBe(thrown);
    expect(await db.get('SELECT COUNT(*) AS c FROM scratch_notes WHERE tag = ?', 'pg3')).toEqual({ c: 0 });
  });

  it('[PG-4] a failed nested transaction undoes only its own writes; the outer one commits', async () => {
    const inner = new Error('inner');
    await db.transaction(async () => {
      await db.run('INSERT INTO scratch_notes (id, tag) VALUES (?, ?)', 'n-outer', 'pg4');
      await db.transaction(async () => {
        await db.run('INSERT INTO scratch_notes (id, tag) VALUES (?, ?)', 'n-kept', 'pg4');
      });
      const caught = await db
        .transaction(async () => {
          await db.run('INSERT INTO scratch_notes (id, tag) VALUES (?, ?)', 'n-undone', 'pg4');
          // a failed statement, too: the savepoint must also clear PostgreSQL's aborted state
          await db.run('INSERT INTO scratch_notes (id, tag) VALUES (?, ?)', 'n-outer', 'pg4');
        })
        .catch((e: unknown) => e);
      expect(caught).toMatchObject({ code: '23505' });
      const caughtThrown = await db
        .transaction(async () => {
          await db.run('INSERT INTO scratch_notes (id, tag) VALUES (?, ?)', 'n-undone-2', 'pg4');
          throw inner;
        })
        .catch((e: unknown) => e);
      expect(caughtThrown).toBe(inner);
      await db.run('INSERT INTO scratch_notes (id, tag) VALUES (?, ?)', 'n-after', 'pg4');
    });
    const ids = await db.all<{ id: string }>('SELECT id FROM scratch_notes WHERE tag = ? ORDER BY id', 'pg4');
    expect(ids.map((r) => r.id)).toEqual(['n-after', 'n-kept', 'n-outer']);
  });

  it('[PG-5] a statement failure that fn caught still fails the transaction; nothing is committed', async () => {
    await db.run('INSERT INTO scratch_notes (id, tag) VALUES (?, ?)', 'dup', 'pg5');
    const result = db.transaction(async () => {
      await db.run('INSERT INTO scratch_notes (id, tag) VALUES (?, ?)', 'dup-before', 'pg5');
      await db.run('INSERT INTO scratch_notes (id, tag) VALUES (?, ?)', 'dup', 'pg5').catch(() => undefined);
      return 'looks fine';
    });
    await expect(result).rejects.toMatchObject({ code: '23505' });
    expect(await db.get('SELECT COUNT(*) AS c FROM scratch_notes WHERE tag = ?', 'pg5')).toEqual({ c: 1 });
  });

  it('[PG-6] statements outside a transaction do not see its uncommitted writes', async () => {
    const written = deferred();
    const finish = deferred();
    const tx = db.transaction(async () => {
      await db.run('INSERT INTO scratch_notes (id, tag) VALUES (?, ?)', 'u1', 'pg6');
      written.resolve();
      await finish.promise;
    });
    await written.promise;
    expect(await db.get('SELECT COUNT(*) AS c FROM scratch_notes WHERE tag = ?', 'pg6')).toEqual({ c: 0 });
    finish.resolve();
    await tx;
    expect(await db.get('SELECT COUNT(*) AS c FROM scratch_notes WHERE tag = ?', 'pg6')).toEqual({ c: 1 });
  });

  it('[PG-7] 20 concurrent read-then-increment transactions end at exactly 20 (serializable, retried)', async () => {
    await db.run('INSERT INTO scratch_counters (id, n) VALUES (?, 0)', 'hot');
    let attempts = 0;
    await Promise.all(
      Array.from({ length: 20 }, () =>
        db.transaction(async () => {
          attempts++;
          const row = await db.get<{ n: number }>('SELECT n FROM scratch_counters WHERE id = ?', 'hot');
          // widen the window between read and write so the transactions overlap
          await sleep(2);
          await db.run('UPDATE scratch_counters SET n = ? WHERE id = ?', (row?.n ?? 0) + 1, 'hot');
        }),
      ),
    );
    expect(await db.get('SELECT n FROM scratch_counters WHERE id = ?', 'hot')).toEqual({ n: 20 });
    expect(attempts).toBeGreaterThan(20);
  });

  it('[PG-8] two interleaved transactions never mix statements, through helpers, nesting and timers', async () => {
    // Each transaction marks itself with a transaction-local setting; a statement sent to the
    // wrong connection or transaction would report the other mark. No table is read, so SSI
    // has no reason to abort (and retry) either one.
    type Seen = { tag: string; mark: string; txid: number; pid: number };
    const seen: Seen[] = [];
    const attempts = { a: 0, b: 0 };
    // A helper that takes no transaction argument, as the storage's helpers do.
    const look = async (tag: string): Promise<void> => {
      const row = await db.get<{ mark: string; txid: number; pid: number }>(
        "SELECT current_setting('tidings.test_mark', true) AS mark, txid_current() AS txid, pg_backend_pid() AS pid",
      );
      if (row) seen.push({ tag, ...row });
    };
    const rounds = 4;
    const turns = Array.from({ length: rounds * 2 + 1 }, deferred);
    const run = (tag: 'a' | 'b', first: number) =>
      db.transaction(async () => {
        attempts[tag]++;
        await db.get("SELECT set_config('tidings.test_mark', ?, true)", tag);
        for (let i = 0; i < rounds; i++) {
          await turns[first + 2 * i]?.promise;
          if (i === 1) await db.transaction(() => look(tag));
          else if (i === 2) await new Promise<void>((resolve) => setTimeout(() => void look(tag).then(resolve), 1));
          else await Promise.all([look(tag), look(tag)]);
          turns[first + 2 * i + 1]?.resolve();
        }
      });
    const both = Promise.all([run('a', 0), run('b', 1)]);
    turns[0]?.resolve();
    await both;

    expect(attempts).toEqual({ a: 1, b: 1 });
    const order = seen.map((s) => s.tag).filter((tag, i, all) => i === 0 || all[i - 1] !== tag);
    expect(order).toEqual(['a', 'b', 'a', 'b', 'a', 'b', 'a', 'b']);
    expect(seen.every((s) => s.mark === s.tag)).toBe(true);
    const txids = ['a', 'b'].map((tag) => new Set(seen.filter((s) => s.tag === tag).map((s) => `${s.txid}/${s.pid}`)));
    expect(txids.map((t) => t.size)).toEqual([1, 1]);
    expect([...(txids[0] ?? [])]).not.toEqual([...(txids[1] ?? [])]);
  });

  it('[PG-9] the migrations build the SQLite schema: same tables, columns, keys and indexes', async () => {
    const lite = sqliteShape();
    const pgs = await pgShape(db);
    expect(Object.keys(pgs.columns).sort()).toEqual(Object.keys(lite.columns).sort());
    const intColumns: string[] = [];
    for (const [table, liteCols] of Object.entries(lite.columns)) {
      const pgCols = pgs.columns[table] ?? [];
      expect(pgCols.map((c) => c.name), table).toEqual(liteCols.map((c) => c.name));
      liteCols.forEach((c, i) => {
        const p = pgCols[i];
        expect({ notNull: p?.notNull, pk: p?.pk }, `${table}.${c.name}`).toEqual({ notNull: c.notNull, pk: c.pk });
        expect(p?.type, `${table}.${c.name}`).toBe(c.type === 'TEXT' ? 'text' : p?.type === 'integer' ? 'integer' : 'bigint');
        if (p?.type === 'integer') intColumns.push(`${table}.${c.name}`);
      });
    }
    // every other INTEGER is a timestamp, seq, pts or count, past 32 bits
    expect(intColumns.sort()).toEqual(['messages.status', 'user_conversations.is_top']);
    expect(pgs.indexes).toEqual(lite.indexes);
    expect(pgs.namedIndexes).toEqual(lite.namedIndexes);
    expect(PG_MIGRATIONS.map((m) => [m.version, m.name])).toEqual(MIGRATIONS.map((m) => [m.version, m.name]));
  });

  it('[PG-10] migrating again changes nothing', async () => {
    const rows = () => db.all('SELECT version, name, applied_at FROM schema_migrations ORDER BY version');
    const before = await rows();
    const shape = await pgShape(db);
    expect(before.map((r) => (r as { version: number }).version)).toEqual(PG_MIGRATIONS.map((m) => m.version));
    expect(await migratePg(db)).toEqual([]);
    expect(await rows()).toEqual(before);
    expect(await pgShape(db)).toEqual(shape);
  });

  it('[PG-11] two nodes migrating a fresh schema at once both succeed and migrate once', async () => {
    const [schema] = FRESH;
    await admin.query(`CREATE SCHEMA ${schema}`);
    const nodes = [0, 1].map(() => new PgDb({ connectionString: URL, schema, max: 2 }));
    try {
      const applied = await Promise.all(nodes.map((node) => migratePg(node)));
      expect(applied.flat().sort((a, b) => a - b)).toEqual(PG_MIGRATIONS.map((m) => m.version));
      expect(applied.some((a) => a.length === 0)).toBe(true);
      expect(await nodes[0]?.all('SELECT version FROM schema_migrations ORDER BY version')).toEqual(
        PG_MIGRATIONS.map((m) => ({ version: m.version })),
      );
    } finally {
      await Promise.all(nodes.map((node) => node.close()));
    }
  });

  it('[PG-12] two nodes opening a schema that does not exist yet both get a migrated database', async () => {
    const schema = FRESH[1] ?? '';
    const nodes = await Promise.all([0, 1].map(() => PgDb.open({ connectionString: URL, schema, max: 2 })));
    try {
      for (const node of nodes) {
        expect(await node.get('SELECT COUNT(*) AS c FROM schema_migrations')).toEqual({ c: PG_MIGRATIONS.length });
        expect(await node.all('SELECT id FROM users')).toEqual([]);
      }
    } finally {
      await Promise.all(nodes.map((node) => node.close()));
    }
  });
});
