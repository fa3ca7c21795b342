/**
 * Keeps `messages.tokens` (the multiEntry `*tokens` index the local search reads) equal to
 * the tokens of each row's text, whatever writes the row: a push, a pull, a history page,
 * the outbox, a recall erasing the text, a migration.
 *
 * It is a DBCore middleware rather than Dexie's `creating`/`updating` hooks: tokens depend
 * only on the row being written, and subscribing an `updating` hook makes Dexie read every
 * existing row before each put to diff it (twice the work for a history page of 200). At the
 * DBCore level every write is an `add` or a `put` of whole rows (`update` and `modify` are
 * turned into puts above it), so mapping those values covers every path. Registered at the
 * default level (10), above Dexie's own middlewares, so live queries and their cache see the
 * rows with their tokens.
 */
import type { DBCore, DBCoreMutateRequest, Middleware } from 'dexie';
import type { StoredMessage } from '../store/db';
import { tokenize } from './tokenize';

/** The table the middleware maintains. */
const MESSAGES = 'messages';

/** A person's message that has its text: what search looks through (and says it covered). */
export function searchable(m: Pick<StoredMessage, 'text' | 'system' | 'recalledBy'>): boolean {
  return !m.system && !m.recalledBy && typeof m.text === 'string' && m.text !== '';
}

/**
 * The one index entry of a row search does not look through (a system line, a recalled
 * message): counting these few entries, beside the table's count, says how many messages a
 * search covered without reading any row (IndexedDB counts entry by entry, reads row by row).
 * The tokenizer never makes a token with a control character, so no query finds it.
 */
export const NOT_SEARCHED = '\u0000not-searched';

/**
 * What a row is found by: no words for a system line or a recalled message (its text is gone
 * and must not stay behind in the index either), only the NOT_SEARCHED mark.
 */
export function messageTokens(m: Pick<StoredMessage, 'text' | 'system' | 'recalledBy'>): string[] {
  return searchable(m) ? tokenize(m.text) : [NOT_SEARCHED];
}

function withTokens(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const row = value as Partial<StoredMessage>;
  return { ...row, tokens: messageTokens({ text: row.text ?? '', system: row.system ?? null, recalledBy: row.recalledBy ?? null }) };
}

export const messageTokensMiddleware: Middleware<DBCore> = {
  stack: 'dbcore',
  name: 'MessageTokens',
  create(down) {
    return {
      ...down,
      table(name) {
        const table = down.table(name);
        if (name !== MESSAGES) return table;
        return {
          ...table,
          mutate(req: DBCoreMutateRequest) {
            if (req.type === 'add' || req.type === 'put') return table.mutate({ ...req, values: req.values.map(withTokens) });
            return table.mutate(req);
          },
        };
      },
    };
  },
};
