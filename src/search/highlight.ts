/**
 * Which parts of a message's text a query matched, in the text as written (the index only
 * knows normalized tokens). Words match at their start, the way the index matches them by
 * prefix; CJK runs match wherever they occur. Long texts are cut around the first match.
 */
import { isCjk, normalize, parseQuery } from './tokenize';

export interface TextPart {
  text: string;
  match: boolean;
}

/** The normalized text, and for each of its UTF-16 units the span of the original it came from. */
function normalizedWithMap(text: string): { norm: string; start: number[]; end: number[] } {
  let norm = '';
  const start: number[] = [];
  const end: number[] = [];
  let i = 0;
  let prev = '';
  for (const ch of text) {
    // A combining mark alone is kept by `normalize`; after its letter it may be dropped.
    const n = COMBINING.test(ch) && normalize(prev + ch) === normalize(prev) ? '' : normalize(ch);
    prev = ch;
    if (n === '' && end.length > 0) {
      // A combining accent belongs to the letter before it.
      end[end.length - 1] = i + ch.length;
    }
    for (let k = 0; k < n.length; k++) {
      start.push(i);
      end.push(i + ch.length);
    }
    norm += n;
    i += ch.length;
  }
  return { norm, start, end };
}

const WORD_CHAR = /[\p{L}\p{N}]/u;
const COMBINING = /^\p{M}$/u;

/** Whether position `at` of normalized text starts a word (for Latin-like terms). */
function startsWord(norm: string, at: number): boolean {
  if (at === 0) return true;
  const before = norm.slice(Math.max(0, at - 2), at);
  const prev = [...before].at(-1) ?? '';
  return !WORD_CHAR.test(prev) || isCjk(prev);
}

function endsWord(norm: string, at: number): boolean {
  const next = [...norm.slice(at, at + 2)][0] ?? '';
  return !WORD_CHAR.test(next) || isCjk(next);
}

/** `[start, end)` spans of `text` that `query` matched, sorted and merged. */
export function matchRanges(text: string, query: string): Array<[number, number]> {
  const q = parseQuery(query);
  const { norm, start, end } = normalizedWithMap(text);
  const spans: Array<[number, number]> = [];
  const add = (from: number, length: number) => {
    const a = start[from];
    const b = end[from + length - 1];
    if (a !== undefined && b !== undefined) spans.push([a, b]);
  };
  const occurrences = (needle: string, keep: (at: number) => boolean) => {
    if (needle === '') return;
    for (let at = norm.indexOf(needle); at >= 0; at = norm.indexOf(needle, at + 1)) if (keep(at)) add(at, needle.length);
  };
  for (const run of q.runs) occurrences(run, () => true);
  for (const t of q.terms) {
    if (isCjk(t.token)) continue; // covered by its run
    occurrences(t.token, (at) => startsWord(norm, at) && (t.prefix || endsWord(norm, at + t.token.length)));
  }
  spans.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  const merged: Array<[number, number]> = [];
  for (const s of spans) {
    const last = merged.at(-1);
    if (last && s[0] <= last[1]) last[1] = Math.max(last[1], s[1]);
    else merged.push([s[0], s[1]]);
  }
  return merged;
}

/** Characters of context kept before the first match when a long text is cut. */
const LEAD = 30;

/**
 * The text split into matched and unmatched parts. A text longer than `maxLength` whose first
 * match lies beyond the first line or so starts shortly before that match, after an ellipsis.
 */
export function highlightParts(text: string, query: string, maxLength = 160): TextPart[] {
  const ranges = matchRanges(text, query);
  let offset = 0;
  const first = ranges[0];
  if (text.length > maxLength && first && first[0] > LEAD * 2) {
    offset = first[0] - LEAD;
    // Start on a word boundary when one is near, and never inside a surrogate pair.
    const space = text.indexOf(' ', offset);
    if (space >= 0 && space < first[0] && space - offset < 15) offset = space + 1;
    const code = text.charCodeAt(offset);
    if (code >= 0xdc00 && code <= 0xdfff) offset++;
  }
  const parts: TextPart[] = offset > 0 ? [{ text: '…', match: false }] : [];
  let at = offset;
  for (const [a, b] of ranges) {
    if (b <= at) continue;
    const from = Math.max(a, at);
    if (from > at) parts.push({ text: text.slice(at, from), match: false });
    parts.push({ text: text.slice(from, b), match: true });
    at = b;
  }
  if (at < text.length) parts.push({ text: text.slice(at), match: false });
  return parts;
}
