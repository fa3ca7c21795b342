/** The storage a server's settings ask for: PostgreSQL when a database URL is set, else the SQLite file. */
import type { ServerConfig } from '../config';
import { PgDb } from './postgres/pg-db';
import { SqlStorage } from './sql/sql-storage';
import { SqliteStorage } from './sqlite/sqlite-storage';
import type { Storage } from './storage';

export async function openStorage(config: Pick<ServerConfig, 'dataFile' | 'databaseUrl' | 'databaseSchema' | 'inboxFanoutMax' | 'groupMembersMax'>): Promise<Storage> {
  const options = { inboxFanoutMax: config.inboxFanoutMax, groupMembersMax: config.groupMembersMax };
  if (!config.databaseUrl) return new SqliteStorage(config.dataFile, options);
  const db = await PgDb.open({ connectionString: config.databaseUrl, ...(config.databaseSchema ? { schema: config.databaseSchema } : {}) });
  return new SqlStorage(db, options);
}
