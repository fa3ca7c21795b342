/**
 * The embedded default storage: `SqlStorage` on one SQLite file in WAL mode, created and
 * migrated on first open (`sqlite-db.ts`).
 */
import { SqlStorage, type SqlStorageOptions } from '../sql/sql-storage';
import { SqliteDb } from './sqlite-db';

export { migrate, openSqliteDatabase } from './sqlite-db';

export class SqliteStorage extends SqlStorage {
  constructor(file: string, options: SqlStorageOptions = {}) {
    super(new SqliteDb(file), options);
  }
}
