/**
 * `SqlDb` on PostgreSQL (node-postgres pool), for several server nodes sharing one database.
 * Unlike the SQLite file, work is not taken in turn: transactions run side by side at
 * SERIALIZABLE, and one that PostgreSQL aborts as a conflict is run again from the start.
 * See `../sql/sql-db.ts` for the contract.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import pg, { type ClientBase, type PoolClient } from 'pg';
import { logger } from '../../log';
import type { SqlDb, SqlValue } from '../sql/sql-db';
import { migratePg } from './pg-migrations';

export interface PgDbOptions {
  connectionString: string;
  /** Every pooled connection's search_path; `open` creates it. Tests use throwaway ones. */
  schema?: string;
  /** Pool size (node-postgres default: 10). */
  max?: number;
}

interface OpenTransaction {
  client: PoolClient;
  /** False once it committed or rolled back: callbacks it scheduled must not run inside it. */
  open: boolean;
  savepoints: number;
  /**
   * The last statement sent on `client`. Statements a transaction runs side by side
   * (`Promise.all`) take turns here: node-postgres's own queueing is deprecated.
   */
  queue: Promise<unknown>;
  /**
   * The statement error that aborted the transaction, while no savepoint has undone it.
   * PostgreSQL refuses every later statement and turns COMMIT into ROLLBACK, so a `fn` that
   * caught it (fine on SQLite) must not be reported as committed.
   */
  abortedBy?: unknown;
}

const log = logger('pg-db');

/**
 * With the backoff below, 20 transactions racing on one row needed at most 7 attempts in
 * 2,000 (measured locally), so 10 leaves a wide margin before a conflict reaches the caller.
 */
const MAX_ATTEMPTS = 10;
const SERIALIZATION_FAILURE = '40001';
const DEADLOCK_DETECTED = '40P01';
const INT8_OID = 20;
const NUMERIC_OID = 1700;

export class PgDb implements SqlDb {
  readonly dialect = 'postgres' as const;
  private readonly pool: pg.Pool;
  private readonly current = new AsyncLocalStorage<OpenTransaction>();
  private closing: Promise<void> | undefined;

  /** A pool on an existing, migrated schema; `open` is the usual way in. */
  constructor(options: PgDbOptions) {
    if (options.schema !== undefined) checkSchemaName(options.schema);
    this.pool = new pg.Pool({
      connectionString: options.connectionString,
      max: options.max,
      options: options.schema === undefined ? undefined : `-c search_path=${options.schema}`,
      types: { getTypeParser: numbersAsNumbers },
    });
    // An idle connection the server dropped is discarded by the pool; without a listener the
    // 'error' event would end the process.
    this.pool.on('error', (error) => log.error({ err: error }, 'idle postgres connection failed'));
  }

  /** Creates the schema if missing and applies pending migrations before handing it out. */
  static async open(options: PgDbOptions): Promise<PgDb> {
    const db = new PgDb(options);
    try {
      if (options.schema !== undefined) await db.createSchema(options.schema);
      const applied = await migratePg(db);
      if (applied.length > 0) log.info({ schema: options.schema, versions: applied }, 'postgres schema migrated');
      return db;
    } catch (error) {
      await db.close();
      throw error;
    }
  }

  async get<T>(sql: string, ...params: SqlValue[]): Promise<T | undefined> {
    const result = await this.query(sql, params);
    return result.rows[0] as T | undefined;
  }

  async all<T>(sql: string, ...params: SqlValue[]): Promise<T[]> {
    const result = await this.query(sql, params);
    return result.rows as T[];
  }

  async run(sql: string, ...params: SqlValue[]): Promise<number> {
    const result = await this.query(sql, params);
    return result.rowCount ?? 0;
  }

  async transaction<T>(fn: () => Promise<T>): Promise<T> {
    const outer = this.current.getStore();
    if (outer?.open) return this.savepoint(outer, fn);
    for (let attempt = 1; ; attempt++) {
      const outcome = await this.attempt(fn, attempt);
      if (outcome.done) return outcome.result;
      // Full jitter, so the transactions that collided do not collide again in step.
      await sleep(Math.random() * Math.min(500, 2 ** attempt * 10));
    }
  }

  /**
   * One connection for work that needs a session of its own (advisory locks, migrations).
   * A connection whose work failed is closed rather than pooled: it may still hold a lock or
   * an open transaction.
   */
  async withSession<T>(fn: (client: ClientBase) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let failure: Error | undefined;
    try {
      return await fn(client);
    } catch (error) {
      failure = error instanceof Error ? error : new Error(String(error));
      throw error;
    } finally {
      client.release(failure);
    }
  }

  close(): Promise<void> {
    this.closing ??= this.pool.end();
    return this.closing;
  }

  private async attempt<T>(fn: () => Promise<T>, attempt: number): Promise<{ done: true; result: T } | { done: false }> {
    const client = await this.pool.connect();
    const tx: OpenTransaction = { client, open: true, savepoints: 0, queue: Promise.resolve() };
    let broken: Error | undefined;
    try {
      await send(tx, 'BEGIN ISOLATION LEVEL SERIALIZABLE');
      const result = await this.current.run(tx, fn);
      const commit = await send(tx, 'COMMIT');
      if (commit.command === 'ROLLBACK') throw tx.abortedBy ?? new Error('transaction rolled back at COMMIT');
      return { done: true, result };
    } catch (error) {
      try {
        await send(tx, 'ROLLBACK');
      } catch (rollbackError) {
        broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
      }
      // A conflict dooms the attempt even when `fn` caught it and went on.
      if (attempt < MAX_ATTEMPTS && (isConflict(error) || isConflict(tx.abortedBy))) return { done: false };
      throw error;
    } finally {
      tx.open = false;
      client.release(broken);
    }
  }

  private async savepoint<T>(tx: OpenTransaction, fn: () => Promise<T>): Promise<T> {
    const name = `sp${++tx.savepoints}`;
    await send(tx, `SAVEPOINT ${name}`);
    const abortedBefore = tx.abortedBy;
    try {
      const result = await fn();
      await send(tx, `RELEASE SAVEPOINT ${name}`);
      return result;
    } catch (error) {
      try {
        await send(tx, `ROLLBACK TO SAVEPOINT ${name}`);
        await send(tx, `RELEASE SAVEPOINT ${name}`);
        tx.abortedBy = abortedBefore;
      } catch (rollbackError) {
        // The connection is unusable; the caller's error is still the one to report, and the
        // top level's COMMIT or ROLLBACK meets this one.
        tx.abortedBy ??= rollbackError;
      }
      throw error;
    }
  }

  private async query(sql: string, params: SqlValue[]): Promise<pg.QueryResult> {
    const text = toPgPlaceholders(sql);
    const tx = this.current.getStore();
    if (!tx?.open) return this.pool.query(text, params);
    try {
      return await send(tx, text, params);
    } catch (error) {
      tx.abortedBy ??= error;
      throw error;
    }
  }

  /** Two nodes opening a new schema at once both run CREATE; the loser's duplicate is fine. */
  private async createSchema(schema: string): Promise<void> {
    try {
      await this.pool.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    } catch (error) {
      if (pgCode(error) !== '23505' && pgCode(error) !== '42P06') throw error;
    }
  }
}

function send(tx: OpenTransaction, sql: string, params?: SqlValue[]): Promise<pg.QueryResult> {
  const result = tx.queue.then(() => tx.client.query(sql, params));
  tx.queue = result.catch(() => undefined);
  return result;
}

/**
 * `?` → `$1..$n`. Quoted strings and `--` comments are passed over, as SQLite does, although
 * the storage's SQL never puts a `?` in them.
 */
export function toPgPlaceholders(sql: string): string {
  let n = 0;
  return sql.replace(/'(?:[^']|'')*'|--[^\n]*|\?/g, (match) => (match === '?' ? `$${++n}` : match));
}

/**
 * BIGINT (ms timestamps, seq, pts, COUNT) and NUMERIC (SUM of BIGINT) as JavaScript numbers,
 * as SQLite gives them. An integer past 2^53 would silently change, so it fails the query.
 */
function numbersAsNumbers(oid: number, format?: 'text' | 'binary'): (text: string) => unknown {
  if (oid !== INT8_OID && oid !== NUMERIC_OID) return pg.types.getTypeParser(oid, format ?? 'text');
  return (text: string) => {
    const n = Number(text);
    if (Number.isInteger(n) && !Number.isSafeInteger(n)) throw new RangeError(`integer ${text} is past 2^53`);
    return n;
  };
}

function checkSchemaName(schema: string): void {
  // Goes into a connection option and DDL unquoted, so only plain lower-case identifiers.
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`invalid schema name: ${JSON.stringify(schema)}`);
}

function pgCode(error: unknown): string | undefined {
  return error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
}

function isConflict(error: unknown): boolean {
  const code = pgCode(error);
  return code === SERIALIZATION_FAILURE || code === DEADLOCK_DETECTED;
}
