/**
 * Applying the schema's migrations (written once for both databases in `../sql/migrations.ts`)
 * on PostgreSQL. The applied versions are rows of `schema_migrations`, not `user_version`.
 */
import type { ClientBase } from 'pg';
import { migrationsFor } from '../sql/migrations';
import type { PgDb } from './pg-db';

export const PG_MIGRATIONS = migrationsFor('postgres');

/**
 * Applies, in order, the migrations not yet recorded in the connection's current schema, each
 * in its own transaction; resolves to the versions it applied. The run holds a session
 * advisory lock keyed by the schema, so nodes starting together migrate once: the others wait,
 * then find nothing to do. Versions recorded that this code does not know (a newer node got
 * there first) are left alone, as the SQLite side does.
 */
export async function migratePg(target: PgDb | ClientBase): Promise<number[]> {
  if ('withSession' in target) return target.withSession((client) => migratePg(client));
  const client = target;
  const schema = (await client.query<{ schema: string | null }>('SELECT current_schema() AS schema')).rows[0]?.schema;
  // pg_advisory_lock(x, NULL) returns NULL without locking, so a missing schema must stop here.
  if (schema == null) throw new Error('no schema to migrate: search_path names no existing schema');
  await client.query("SELECT pg_advisory_lock(hashtext('tidings.migrations'), hashtext($1))", [schema]);
  try {
    await client.query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version INT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)',
    );
    const rows = (await client.query<{ version: number }>('SELECT version FROM schema_migrations')).rows;
    const done = new Set(rows.map((r) => r.version));
    const applied: number[] = [];
    for (const m of PG_MIGRATIONS) {
      if (done.has(m.version)) continue;
      await client.query('BEGIN');
      try {
        await client.query(m.sql);
        await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [
          m.version,
          m.name,
          Date.now(),
        ]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw new Error(`postgres migration ${m.version} (${m.name}) failed`, { cause: error });
      }
      applied.push(m.version);
    }
    return applied;
  } finally {
    await client.query("SELECT pg_advisory_unlock(hashtext('tidings.migrations'), hashtext($1))", [schema]);
  }
}
