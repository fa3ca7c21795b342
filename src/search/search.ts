/**
 * Searching the messages stored on this device, through the `*tokens` index alone (no server).
 *
 * IndexedDB (Chromium's, measured in bench/search.ts) counts and lists an index range at a
 * few microseconds per entry, but reads rows by key at ~45 µs each and through a cursor at
 * ~20 µs each. So the plan never counts, and reads as few rows as it can:
 * 1. For every term, the keys of its index range, at most CAP of them: a term with fewer is
 *    rare and its keys are all its messages; the candidates are the intersection of those.
 * 2. Few candidates, or candidates that common terms still have to be checked on: read them
 *    all (at most CAP), check every term (and CJK phrase) on the rows, newest first. Many that
 *    match every term already: walk the `createdAt` index backwards in growing windows of
 *    keys, reading only the candidates met, until the newest `limit` are found.
 * 3. Every term common (a frequent word): the newest messages likely match, so read the rows
 *    newest first, a time window at a time (one bulk read each), and check them, up to
 *    WALK_MAX rows; common words that rarely meet fall back to intersecting whole ranges.
 */
import type { StoredConversation, StoredMessage, TidingsDb } from '../store/db';
import { NOT_SEARCHED, searchable } from './message-tokens';
import { matchesQuery, parseQuery, type ParsedQuery, type QueryTerm } from './tokenize';

/** Results shown at most; more is said as "the newest N". */
export const SEARCH_LIMIT = 50;
/** Keys read per term to learn whether it is rare (about 10 ms of index at 100,000 messages). */
const CAP = 2_000;
/**
 * Up to this many candidates are read outright; above it the time walk reads fewer rows
 * (reading K rows costs ~45 µs × K; finding the newest 50 among K of N by time costs ~5 µs ×
 * 50 × N / K keys: equal near K = 800 for N = 100,000).
 */
const READ_ALL = 800;
/** Rows read newest first when every term is common, before intersecting whole ranges. */
const WALK_MAX = 3_000;
/** The rows walk reads the time span in windows of this share (~800 rows of 100,000). */
const ROW_WINDOW = 1 / 128;
/** The candidates walk reads keys (cheap) in windows from this share of the span, doubling. */
const KEY_WINDOW = 1 / 64;

export interface SearchResult {
  query: string;
  /** Newest first, at most the limit. */
  messages: StoredMessage[];
  /** Whether more messages matched than are listed. */
  more: boolean;
}

/** What a search covered: the searchable messages stored here, and the oldest one's time. */
export interface Coverage {
  count: number;
  /** `createdAt` of the oldest of them; null when none is stored. */
  since: number | null;
}

const termRange = (db: TidingsDb, t: QueryTerm) =>
  t.prefix ? db.messages.where('tokens').startsWith(t.token) : db.messages.where('tokens').equals(t.token);

const newestFirst = (a: StoredMessage, b: StoredMessage) => b.createdAt - a.createdAt || b.order - a.order;

const matches = (q: ParsedQuery, m: StoredMessage) => searchable(m) && matchesQuery(q, m.tokens ?? [], m.text);

function intersect(sets: ReadonlyArray<ReadonlySet<string>>): Set<string> {
  const [smallest, ...rest] = [...sets].sort((a, b) => a.size - b.size);
  return new Set([...(smallest ?? [])].filter((k) => rest.every((s) => s.has(k))));
}

const result = (query: string, rows: StoredMessage[], limit: number): SearchResult => ({ query, messages: rows.slice(0, limit), more: rows.length > limit });

/** The plan's thresholds; tests lower them to reach every branch with little data. */
export interface SearchTuning {
  cap: number;
  readAll: number;
  walkMax: number;
}
const TUNING: SearchTuning = { cap: CAP, readAll: READ_ALL, walkMax: WALK_MAX };

export async function searchMessages(db: TidingsDb, query: string, limit = SEARCH_LIMIT, tuning: SearchTuning = TUNING): Promise<SearchResult> {
  const q = parseQuery(query);
  if (q.terms.length === 0) return { query, messages: [], more: false };
  const { cap, readAll, walkMax } = tuning;
  return db.transaction('r', db.messages, async () => {
    const lists = await Promise.all(q.terms.map((t) => termRange(db, t).limit(cap + 1).primaryKeys()));
    const rare = lists.filter((keys) => keys.length <= cap).map((keys) => new Set(keys));
    // Candidates that already satisfy every term can be taken newest first by time; others
    // must be checked on their rows anyway, and at most `cap` of them are read.
    if (rare.length > 0) return result(query, await newestOf(db, q, intersect(rare), limit, rare.length === q.terms.length ? readAll : cap), limit);

    // Every term is common: read the newest messages and check them, a window at a time.
    let read = 0;
    const walk = await byTime(
      db,
      limit + 1,
      { first: ROW_WINDOW, grow: 1 },
      async (lo, hi) => {
        const rows = await db.messages.where('createdAt').between(lo, hi, true, false).toArray();
        read += rows.length;
        return rows.filter((m) => matches(q, m));
      },
      () => read >= walkMax,
    );
    if (walk.done) return result(query, walk.rows, limit);
    // Common words that rarely meet: intersect their whole ranges.
    const full = await Promise.all(q.terms.map(async (t) => new Set(await termRange(db, t).primaryKeys())));
    return result(query, await newestOf(db, q, intersect(full), limit, readAll), limit);
  });
}

/** The newest `limit + 1` messages among `candidates` that match the query, newest first. */
async function newestOf(db: TidingsDb, q: ParsedQuery, candidates: ReadonlySet<string>, limit: number, readAll: number): Promise<StoredMessage[]> {
  if (candidates.size <= readAll) {
    const rows = (await db.messages.bulkGet([...candidates])).filter((m): m is StoredMessage => !!m && matches(q, m));
    return rows.sort(newestFirst).slice(0, limit + 1);
  }
  let seen = 0;
  const walk = await byTime(
    db,
    limit + 1,
    { first: KEY_WINDOW, grow: 2 },
    async (lo, hi) => {
      const keys = (await db.messages.where('createdAt').between(lo, hi, true, false).primaryKeys()).filter((k) => candidates.has(k));
      seen += keys.length;
      return (await db.messages.bulkGet(keys)).filter((m): m is StoredMessage => !!m && matches(q, m));
    },
    () => seen >= candidates.size,
  );
  return walk.rows;
}

/**
 * Visits the stored messages' time span newest first, a window at a time (the first one a
 * share of the span, then `grow` times the last), keeping what `take` finds in each, until
 * `wanted` are found, the span is passed (`done`), or `enough()` says to stop looking (not
 * `done`, unless it found them all).
 */
async function byTime(
  db: TidingsDb,
  wanted: number,
  windows: { first: number; grow: number },
  take: (lo: number, hi: number) => Promise<StoredMessage[]>,
  enough: () => boolean,
): Promise<{ rows: StoredMessage[]; done: boolean }> {
  const [oldest, newest] = await Promise.all([db.messages.orderBy('createdAt').first(), db.messages.orderBy('createdAt').last()]);
  if (!oldest || !newest) return { rows: [], done: true };
  const found: StoredMessage[] = [];
  let hi = newest.createdAt + 1;
  let span = Math.max(1, Math.ceil((hi - oldest.createdAt) * windows.first));
  while (found.length < wanted && hi > oldest.createdAt) {
    if (enough()) return { rows: found, done: false };
    const lo = Math.max(oldest.createdAt, hi - span);
    found.push(...(await take(lo, hi)).sort(newestFirst));
    hi = lo;
    span *= windows.grow;
  }
  return { rows: found.slice(0, wanted), done: true };
}

/**
 * What a search covers: the people's messages with text stored here (not system lines, not
 * recalled ones), and the oldest one's time. Counted without reading rows: the table's count
 * less the few NOT_SEARCHED index entries. Rows written before that mark existed lack it until
 * they are written again (a recall writes them), and count as covered meanwhile.
 */
export async function searchCoverage(db: TidingsDb): Promise<Coverage> {
  return db.transaction('r', db.messages, async () => {
    const [all, notSearched, oldest] = await Promise.all([
      db.messages.count(),
      db.messages.where('tokens').equals(NOT_SEARCHED).count(),
      // Usually the first row or close to it (a group's first lines are system lines).
      db.messages.orderBy('createdAt').filter(searchable).first(),
    ]);
    return { count: all - notSearched, since: oldest?.createdAt ?? null };
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
