/**
 * Messages stored before search existed (Dexie version 4) have no tokens. Tokenizing them
 * inside the version 5 upgrade kept the store closed, and the app blank, for about 30 s at
 * 100,000 messages (bench/search.ts); so the upgrade only declares the indexes and leaves a
 * marker in `meta`, and this indexes the old rows afterwards, a chunk per transaction, while
 * the app runs. The marker holds how far it got, so a restart resumes; it is deleted at the
 * end. A store created at version 5 never has one.
 */
import type { TidingsDb } from '../store/db';

/** The `meta` row the version 5 upgrade writes (see src/store/db.ts). */
export const BACKFILL_KEY = 'searchBackfill';

export interface BackfillState {
  /** Primary keys up to this one are done ('' before the first chunk). */
  after: string;
  done: number;
  /** Messages stored when the upgrade ran. */
  total: number;
}

const CHUNK = 500;

const metaTable = (db: TidingsDb) => db.table<{ key: string; value: unknown }, string>('meta');

function parseState(value: unknown): BackfillState | null {
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  return typeof v.after === 'string' && typeof v.done === 'number' && typeof v.total === 'number' ? { after: v.after, done: v.done, total: v.total } : null;
}

/** How far indexing the messages stored before search got; null when there is nothing to do. */
export async function backfillState(db: TidingsDb): Promise<BackfillState | null> {
  return parseState((await metaTable(db).get(BACKFILL_KEY))?.value);
}

/** The marker the upgrade leaves when it finds stored messages. */
export function backfillMarker(total: number): { key: string; value: BackfillState } {
  return { key: BACKFILL_KEY, value: { after: '', done: 0, total } };
}

/**
 * Indexes the rows that have no tokens yet, `chunk` at a time, each chunk read and written in
 * one transaction (so a message written meanwhile by sync is never overwritten with an older
 * copy). Rewriting a row is enough: the MessageTokens middleware adds its tokens.
 */
export async function backfillTokens(db: TidingsDb, options: { chunk?: number; maxChunks?: number; signal?: AbortSignal } = {}): Promise<void> {
  const chunk = options.chunk ?? CHUNK;
  for (let n = 0; n < (options.maxChunks ?? Number.POSITIVE_INFINITY); n++) {
    if (options.signal?.aborted) return;
    const more = await db.transaction('rw', [db.messages, metaTable(db)], async () => {
      const state = await backfillState(db);
      if (!state) return false;
      const rows = await db.messages.where(':id').above(state.after).limit(chunk).toArray();
      const bare = rows.filter((m) => m.tokens === undefined);
      if (bare.length > 0) await db.messages.bulkPut(bare);
      const last = rows.at(-1);
      if (rows.length < chunk || !last) {
        await metaTable(db).delete(BACKFILL_KEY);
        return false;
      }
      await metaTable(db).put({ key: BACKFILL_KEY, value: { after: last.key, done: state.done + rows.length, total: state.total } });
      return true;
    });
    if (!more) return;
    // Let the app's own reads and writes in between.
    await new Promise((r) => setTimeout(r, 0));
  }
}
