/**
 * Tests against a real PostgreSQL: where it is, whether it answers, and throwaway schemas.
 * Without a reachable server the suites are skipped on a developer's machine and fail under CI
 * (`.ci/run` starts PostgreSQL).
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const TEST_DATABASE_URL = process.env.TIDINGS_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export async function pgReachable(url = TEST_DATABASE_URL): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** True when the suite should run; says why when it will not. */
export async function pgTestsCanRun(suite: string): Promise<boolean> {
  const ok = await pgReachable();
  if (!ok && !process.env.CI) {
    console.warn(
      `[${suite}] PostgreSQL tests skipped: cannot reach ${TEST_DATABASE_URL}. Start PostgreSQL and set ` +
        'TIDINGS_TEST_DATABASE_URL=postgres://user@host:port/db (with CI set, this suite fails instead of skipping).',
    );
  }
  return ok;
}

/** A fresh schema name for one test run. */
export const throwawaySchema = (prefix = 'tidings_test'): string => `${prefix}_${randomBytes(6).toString('hex')}`;

export async function dropSchemas(names: readonly string[]): Promise<void> {
  if (names.length === 0) return;
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    for (const name of names) await client.query(`DROP SCHEMA IF EXISTS ${name} CASCADE`);
  } finally {
    await client.end();
  }
}
