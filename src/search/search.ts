/**
 * Searching the messages stored on this device, through the `*tokens` index alone (no server).
 *
 * Plan: count each term's index range, take the keys of the rarest, intersect with the next
 * rarest while the candidates are many, then read the candidates and check every term (and
 * CJK phrase) on the rows. Results are newest first. When even the intersection is large
 * (a common word), the rows are walked newest first through the `createdAt` index instead,
 * stopping at the limit: with K candidates among N messages that reads about limit × N / K
 * rows, so it is cheap exactly when reading all K would not be.
 */
import type { StoredConversation, StoredMessage, TidingsDb } from '../store/db';
import { matchesQuery, parseQuery, type ParsedQuery, type QueryTerm } from './tokenize';

/** Results shown at most; more is said as "the newest N". */
export const SEARCH_LIMIT = 50;
/** Below this many candidates, the remaining terms are checked on the rows, not intersected by key. */
const CHECK_ON_ROWS = 1_000;
/** Up to this many candidates are read and sorted; above it the time index is walked. */
const READ_ALL = 2_000;

export interface SearchResult {
  query: string;
  /** Newest first, at most the limit. */
  messages: StoredMessage[];
  /** Whether more messages matched than are listed. */
  more: boolean;
}

/** What a search covered: every message stored here, and the oldest one's time. */
export interface Coverage {
  count: number;
  /** `createdAt` of the oldest stored message; null when none is stored. */
  since: number | null;
}

const termRange = (db: TidingsDb, t: QueryTerm) =>
  t.prefix ? db.messages.where('tokens').startsWith(t.token) : db.messages.where('tokens').equals(t.token);

const newestFirst = (a: StoredMessage, b: StoredMessage) => b.createdAt - a.createdAt || b.order - a.order;

/** A person's message that still has its text (system lines and recalled ones have no tokens anyway). */
const matches = (q: ParsedQuery, m: StoredMessage) =>
  !m.system && !m.recalledBy && m.text !== '' && matchesQuery(q, m.tokens ?? [], m.text);

export async function searchMessages(db: TidingsDb, query: string, limit = SEARCH_LIMIT): Promise<SearchResult> {
  const q = parseQuery(query);
  const none: SearchResult = { query, messages: [], more: false };
  if (q.terms.length === 0) return none;
  return db.transaction('r', db.messages, async () => {
    const counts = await Promise.all(q.terms.map((t) => termRange(db, t).count()));
    const byRarity = q.terms.map((t, i) => ({ t, n: counts[i] ?? 0 })).sort((a, b) => a.n - b.n);
    const [rarest, ...rest] = byRarity;
    if (!rarest || rarest.n === 0) return none;

    let keys = new Set(await termRange(db, rarest.t).primaryKeys());
    for (const { t } of rest) {
      if (keys.size <= CHECK_ON_ROWS) break;
      const other = new Set(await termRange(db, t).primaryKeys());
      keys = new Set([...keys].filter((k) => other.has(k)));
    }

    if (keys.size <= READ_ALL) {
      const rows = (await db.messages.bulkGet([...keys])).filter((m): m is StoredMessage => !!m && matches(q, m));
      rows.sort(newestFirst);
      return { query, messages: rows.slice(0, limit), more: rows.length > limit };
    }
    const candidates = keys;
    const rows = await db.messages
      .orderBy('createdAt')
      .reverse()
      .filter((m) => candidates.has(m.key) && matches(q, m))
      .limit(limit + 1)
      .toArray();
    return { query, messages: rows.slice(0, limit), more: rows.length > limit };
  });
}

export async function searchCoverage(db: TidingsDb): Promise<Coverage> {
  return db.transaction('r', db.messages, async () => {
    const [count, oldest] = await Promise.all([db.messages.count(), db.messages.orderBy('createdAt').first()]);
    return { count, since: oldest?.createdAt ?? null };
  });
}

/**
 * Whether this device lacks some of a conversation's readable history below what it holds:
 * its held ranges do not reach the first seq this user may read (or it holds none of them).
 * Holes between held ranges are not counted: the sync client fills those by itself.
 */
export function lacksOlderHistory(c: StoredConversation): boolean {
  const top = c.leftSeq ?? c.lastSeq;
  if (top < c.firstSeq || top === 0) return false;
  const lowest = c.ranges[0]?.[0];
  return lowest === undefined || lowest > c.firstSeq;
}
