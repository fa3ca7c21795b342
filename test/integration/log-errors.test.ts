/**
 * How the server logs an error (`safeError`, the `err` serializer of every logger): real errors
 * from the real drivers, whose messages and fields quote the values they were given, come out
 * as class, code, schema names and stack frames, and the values appear nowhere. The end-to-end
 * check, a running server's whole output, is [SEC-LOG-1] (no-secrets-in-logs.test.ts).
 */
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { safeError } from '../../server/log';
import { pgTestsCanRun, TEST_DATABASE_URL } from '../../server/storage/postgres/testing';

const SECRET = 'secret-body-9f3a';
const logged = (err: unknown) => JSON.stringify(safeError(err));
const caught = async (f: () => unknown): Promise<unknown> => {
  try {
    await f();
  } catch (err) {
    return err;
  }
  throw new Error('expected it to throw');
};

const canRun = await pgTestsCanRun('log-errors.test');
const clients: pg.Client[] = [];
afterAll(async () => {
  for (const c of clients) await c.end();
});

describe('errors in logs', () => {
  it('[SEC-LOG-2] a SQLite error quoting the stored text is logged by class, code and frames only', async () => {
    const db = new Database(':memory:');
    db.exec(`CREATE TABLE m (content TEXT); CREATE TRIGGER t BEFORE INSERT ON m BEGIN SELECT RAISE(ABORT, 'no: ' || NEW.content); END;`);
    const err = await caught(() => db.prepare('INSERT INTO m VALUES (?)').run(SECRET));
    expect(String((err as Error).message)).toContain(SECRET);
    expect(logged(err)).not.toContain(SECRET);
    expect(safeError(err)).toMatchObject({ type: 'SqliteError', code: 'SQLITE_CONSTRAINT_TRIGGER', stack: expect.stringMatching(/^at /) });
  });

  it('[SEC-LOG-2] a message with lines that look like stack frames does not pass as frames', async () => {
    const err = new Error(`failed:\n    at ${SECRET} (quoted by a driver)`);
    expect(logged(err)).not.toContain(SECRET);
    expect(safeError(err)).toMatchObject({ type: 'Error', stack: expect.stringMatching(/^at /) });
  });

  it('[SEC-LOG-2] a JSON.parse error quoting its input, and its cause, are logged without the input', async () => {
    const inner = await caught(() => JSON.parse(`${SECRET} and more`));
    expect(String((inner as Error).message)).toContain(SECRET.slice(0, 10));
    const outer = new Error(`wrapping ${SECRET}`, { cause: inner });
    expect(logged(outer)).not.toContain(SECRET.slice(0, 10));
    expect(safeError(outer)).toMatchObject({ type: 'Error', cause: { type: 'SyntaxError' } });
    expect(safeError('a thrown string')).toEqual({ type: 'string' });
  });

  it.skipIf(!canRun && !process.env.CI)('[SEC-LOG-2] PostgreSQL errors quoting values (a unique key, bad input syntax) keep only code, table and constraint', async () => {
    if (!canRun) expect.fail(`PostgreSQL is unreachable at ${TEST_DATABASE_URL}; CI must start it`);
    const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
    clients.push(client);
    await client.connect();
    await client.query('CREATE TEMP TABLE names (name TEXT CONSTRAINT names_unique UNIQUE)');
    await client.query('INSERT INTO names VALUES ($1)', [SECRET]);
    const unique = await caught(() => client.query('INSERT INTO names VALUES ($1)', [SECRET]));
    expect((unique as { detail?: string }).detail).toContain(SECRET);
    expect(logged(unique)).not.toContain(SECRET);
    expect(safeError(unique)).toMatchObject({ code: '23505', table: 'names', constraint: 'names_unique' });
    const syntax = await caught(() => client.query('SELECT $1::bigint', [SECRET]));
    expect(String((syntax as Error).message)).toContain(SECRET);
    expect(logged(syntax)).not.toContain(SECRET);
    expect(safeError(syntax)).toMatchObject({ code: '22P02' });
  });
});
