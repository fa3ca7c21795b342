/** The schema's migrations as SQLite runs them (written once for both databases in `../sql/migrations.ts`). */
import { migrationsFor } from '../sql/migrations';

export type { Migration } from '../sql/migrations';

export const MIGRATIONS = migrationsFor('sqlite');
