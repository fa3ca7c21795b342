/**
 * `SqlDb` on the embedded SQLite file (better-sqlite3, synchronous). One connection serves the
 * whole server, so work is taken in turn: a transaction holds the connection until it ends,
 * and a statement outside any transaction waits for it (otherwise it would read the open
 * transaction's uncommitted rows on the shared connection). Inside a transaction, statements
 * run at once. See `../sql/sql-db.ts` for the contract.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { SqlDb, SqlValue } from '../sql/sql-db';
import { MIGRATIONS } from './migrations';

interface OpenTransaction {
  /** False once it committed or rolled back: callbacks it scheduled must not run inside it. */
  open: boolean;
  savepoints: number;
}

export function openSqliteDatabase(file: string): Database.Database {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  // FULL: in WAL mode the commit is fsynced before it returns, so an ack (sent after commit)
  // survives a power cut, not only a process crash. See docs/reliability.md.
  db.pragma('synchronous = FULL');
  // A recalled body is overwritten with zeros in the file, not left in a free page
  // (the WAL keeps the old page only until the next checkpoint). See docs/security.md.
  db.pragma('secure_delete = ON');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db);
  return db;
}

export function migrate(db: Database.Database): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  for (const m of MIGRATIONS) {
    if (m.version <= current) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
}

export class SqliteDb implements SqlDb {
  readonly dialect = 'sqlite' as const;
  private readonly db: Database.Database;
  private readonly statements = new Map<string, Database.Statement>();
  private readonly current = new AsyncLocalStorage<OpenTransaction>();
  /** The end of the line of work waiting for the connection. */
  private turn: Promise<unknown> = Promise.resolve();

  constructor(file: string) {
    this.db = openSqliteDatabase(file);
  }

  get<T>(sql: string, ...params: SqlValue[]): Promise<T | undefined> {
    return this.statement((s) => s.get(...params) as T | undefined, sql);
  }

  all<T>(sql: string, ...params: SqlValue[]): Promise<T[]> {
    return this.statement((s) => s.all(...params) as T[], sql);
  }

  run(sql: string, ...params: SqlValue[]): Promise<number> {
    return this.statement((s) => s.run(...params).changes, sql);
  }

  async transaction<T>(fn: () => Promise<T>): Promise<T> {
    const outer = this.current.getStore();
    if (outer?.open) {
      const name = `sp${++outer.savepoints}`;
      this.db.exec(`SAVEPOINT ${name}`);
      try {
        const result = await fn();
        this.db.exec(`RELEASE ${name}`);
        return result;
      } catch (error) {
        this.db.exec(`ROLLBACK TO ${name}`);
        this.db.exec(`RELEASE ${name}`);
        throw error;
      }
    }
    return this.inTurn(async () => {
      const tx: OpenTransaction = { open: true, savepoints: 0 };
      this.db.exec('BEGIN IMMEDIATE');
      try {
        const result = await this.current.run(tx, fn);
        this.db.exec('COMMIT');
        return result;
      } catch (error) {
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
        throw error;
      } finally {
        tx.open = false;
      }
    });
  }

  async close(): Promise<void> {
    await this.inTurn(async () => this.db.close());
  }

  private statement<T>(use: (s: Database.Statement) => T, sql: string): Promise<T> {
    const run = () => {
      let s = this.statements.get(sql);
      if (!s) {
        s = this.db.prepare(sql);
        this.statements.set(sql, s);
      }
      return use(s);
    };
    if (!this.current.getStore()?.open) return this.inTurn(async () => run());
    try {
      return Promise.resolve(run());
    } catch (error) {
      return Promise.reject(error);
    }
  }

  private inTurn<T>(work: () => Promise<T>): Promise<T> {
    const result = this.turn.then(work);
    this.turn = result.catch(() => undefined);
    return result;
  }
}
