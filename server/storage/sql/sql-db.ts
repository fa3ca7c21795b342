/**
 * The SQL the storage speaks, whichever database runs it: the embedded SQLite file
 * (`server/storage/sqlite/sqlite-db.ts`) or PostgreSQL (`server/storage/postgres/pg-db.ts`).
 * The storage's logic (`server/storage/sql/*.ts`, `SqlStorage`) is written once against this.
 *
 * Statements use `?` placeholders and the SQL both databases share: `ON CONFLICT … DO UPDATE`,
 * `RETURNING`, `COALESCE`, `lower(x) LIKE lower(?) ESCAPE '\'` instead of SQLite's
 * case-insensitive LIKE, `CASE` instead of two-argument MAX/GREATEST. Integers are JavaScript
 * numbers (every value is below 2^53).
 *
 * Transactions are carried by the async context: inside `transaction(fn)`, every statement
 * run from `fn` and from anything it awaits belongs to that transaction, and a nested
 * `transaction` is a savepoint in it. So a helper such as "the conversation's row" reads
 * inside whatever transaction its caller opened, as with better-sqlite3's nested transactions.
 * Everything outside a transaction runs as its own statement.
 */
export type SqlValue = string | number | null;

export interface SqlDb {
  readonly dialect: 'sqlite' | 'postgres';
  /** The first row, or undefined. */
  get<T>(sql: string, ...params: SqlValue[]): Promise<T | undefined>;
  all<T>(sql: string, ...params: SqlValue[]): Promise<T[]>;
  /** Runs a statement; resolves to the number of rows it changed. */
  run(sql: string, ...params: SqlValue[]): Promise<number>;
  /**
   * Runs `fn` in one transaction, serializable: concurrent transactions behave as if they ran
   * one after the other. A database that detects a conflict (PostgreSQL) runs `fn` again from
   * the start, so `fn` must change nothing outside the database. Nested: a savepoint, whose
   * failure undoes only its own writes.
   */
  transaction<T>(fn: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** A UNIQUE constraint refused the write (SQLite and PostgreSQL name it differently). */
export function isUniqueViolation(err: unknown): boolean {
  if (!(err instanceof Error) || !('code' in err)) return false;
  return err.code === 'SQLITE_CONSTRAINT_UNIQUE' || err.code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || err.code === '23505';
}

/** `?, ?, ?` for an IN list of `n` values. */
export const placeholders = (n: number): string => Array.from({ length: n }, () => '?').join(',');

/**
 * The database refused a transaction because a concurrent one conflicted with it (PostgreSQL's
 * serialization failure or deadlock). Not the statement's fault: the whole transaction is run
 * again, so code that catches a failure inside a transaction must let this one through.
 */
export function isConflict(err: unknown): boolean {
  return err instanceof Error && 'code' in err && (err.code === '40001' || err.code === '40P01');
}
