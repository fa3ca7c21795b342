/**
 * The words of a message for the local search index, and of a query for searching it.
 *
 * Both sides go through the same `normalize`, so matching is case- and accent-insensitive.
 * Text in scripts written with spaces is cut into words by `Intl.Segmenter`. Chinese,
 * Japanese and Korean runs are cut into overlapping pairs of characters (bigrams) instead of
 * dictionary words: a dictionary segmenter cuts 离线消息已送达 and 消息 differently depending
 * on the context and on the ICU version, so a word found in one could be missing from the
 * other; bigrams make any substring of two or more characters findable, and the last
 * character of each run is kept alone as well so that any single character is the prefix
 * of some token.
 *
 * A query matches a message when each of its terms matches one of the message's tokens:
 * by prefix ("prox" finds "proxy", 消 finds 消息), except a lone letter or digit, which must
 * be a whole word (a one-letter prefix would match most of the device's messages).
 * A CJK run of three or more characters must also appear as written (see `phrases`), since
 * its bigrams alone could be scattered over the message.
 *
 * Changing what this file produces changes the index: stored rows keep the tokens they
 * were written with, so such a change needs a new Dexie version that re-tokenizes them
 * (see src/store/db.ts).
 */

/** Runs of characters written without spaces between words. ー (U+30FC) lengthens katakana. */
const CJK_RUN = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u30fc]+/gu;
const CJK_CHAR = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u30fc]/u;

/**
 * Accents are dropped from Latin and Greek letters only: in Thai, Devanagari or Arabic the
 * combining marks are vowels and letters, and dropping them would merge different words;
 * kana keep their voicing marks (か and が are different sounds) for the same reason.
 */
const ACCENTED = /([\p{Script=Latin}\p{Script=Greek}])\p{M}+/gu;

/** Latin letters that carry no separable accent but that people type without one. */
const FOLD: Readonly<Record<string, string>> = {
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  đ: 'd',
  ð: 'd',
  ł: 'l',
  þ: 'th',
  ı: 'i',
  // Typographic apostrophes: "don’t" and "don't" are the same word.
  '\u2019': "'",
  '\u2018': "'",
};
const FOLDED = /[ßæœøđðłþı\u2018\u2019]/g;

/** Longer tokens are cut (URLs, hashes); a query token is cut the same way, so it still matches. */
export const MAX_TOKEN_LENGTH = 32;

/**
 * The segmenter's rules for where words break come from the script, not the language; a
 * fixed locale keeps the index and the queries cut alike if the device's language changes.
 */
const words = new Intl.Segmenter('en', { granularity: 'word' });

/**
 * Lower case, compatibility forms unified (full-width ＡＢＣ is ABC, ｶﾞ is ガ), accents off
 * Latin and Greek letters, and a few letters folded (ß is ss).
 */
export function normalize(text: string): string {
  return text
    .normalize('NFKD')
    .replace(ACCENTED, '$1')
    .normalize('NFC')
    .toLowerCase()
    .replace(FOLDED, (c) => FOLD[c] ?? c);
}

const cut = (token: string): string => (token.length > MAX_TOKEN_LENGTH ? [...token].slice(0, MAX_TOKEN_LENGTH).join('') : token);

/** Word-like segments of text without CJK runs, plus the parts of words joined by . _ or '. */
function addWords(text: string, out: Set<string>): void {
  if (text.trim() === '') return;
  for (const s of words.segment(text)) {
    if (!s.isWordLike) continue;
    out.add(cut(s.segment));
    // "example.com", "user_name", "don't": the parts are words people search for too.
    if (/[._']/.test(s.segment)) {
      for (const part of s.segment.split(/[._']+/)) if (part.length >= 2) out.add(cut(part));
    }
  }
}

/** Splits normalized text into non-CJK stretches (cut into words) and CJK runs. */
function scan(normalized: string, onWords: (text: string) => void, onRun: (chars: string[]) => void): void {
  let last = 0;
  for (const m of normalized.matchAll(CJK_RUN)) {
    onWords(normalized.slice(last, m.index));
    onRun([...m[0]]);
    last = m.index + m[0].length;
  }
  onWords(normalized.slice(last));
}

/** The tokens a message is indexed under: distinct, normalized, in order of appearance. */
export function tokenize(text: string): string[] {
  const out = new Set<string>();
  scan(
    normalize(text),
    (t) => addWords(t, out),
    (chars) => {
      for (let i = 0; i + 1 < chars.length; i++) out.add(`${chars[i]}${chars[i + 1]}`);
      const last = chars.at(-1);
      if (last) out.add(last);
    },
  );
  return [...out];
}

export interface QueryTerm {
  token: string;
  /** Matches any token that starts with it; otherwise only the same token. */
  prefix: boolean;
}

export interface ParsedQuery {
  terms: QueryTerm[];
  /** Normalized CJK runs of three or more characters, which a match must contain as written. */
  phrases: string[];
  /** Normalized CJK runs of any length, for highlighting. */
  runs: string[];
}

export function parseQuery(query: string): ParsedQuery {
  const tokens = new Set<string>();
  const phrases: string[] = [];
  const runs: string[] = [];
  scan(
    normalize(query),
    (t) => addWords(t, tokens),
    (chars) => {
      const run = chars.join('');
      runs.push(run);
      if (chars.length === 1) tokens.add(run);
      for (let i = 0; i + 1 < chars.length; i++) tokens.add(`${chars[i]}${chars[i + 1]}`);
      if (chars.length >= 3) phrases.push(run);
    },
  );
  const terms = [...tokens].map((token) => ({ token, prefix: [...token].length > 1 || isCjk(token) }));
  return { terms, phrases: [...new Set(phrases)], runs: [...new Set(runs)] };
}

/** The tokens a query searches for (each must match a token of the message). */
export function queryTokens(query: string): string[] {
  return parseQuery(query).terms.map((t) => t.token);
}

export function isCjk(text: string): boolean {
  return CJK_CHAR.test(text);
}

/** Whether a message's tokens and text satisfy a parsed query. */
export function matchesQuery(q: ParsedQuery, tokens: readonly string[], text: string): boolean {
  if (q.terms.length === 0) return false;
  const all = q.terms.every((t) => tokens.some((x) => (t.prefix ? x.startsWith(t.token) : x === t.token)));
  if (!all) return false;
  if (q.phrases.length === 0) return true;
  const n = normalize(text);
  return q.phrases.every((p) => n.includes(p));
}
