/**
 * `@name` mentions in a group's composer and log: where the caret is in the middle of typing
 * one, which user names a text mentions, and where they are for highlighting.
 */
import type { Mentions } from '../../protocol';

/** User names are a-z 0-9 . _ - (see UsernameSchema); `@all` mentions everyone. */
const MENTION = /(^|[^\p{L}\p{N}_.@-])@([a-z0-9_.-]+)/giu;
export const EVERYONE = 'all';

/**
 * The `@prefix` the caret is at the end of, if any: what the picker completes. The prefix may be
 * the start of a display name in any script (`@卡` finds 卡罗尔); choosing puts the user name in.
 */
export function mentionAt(text: string, caret: number): { start: number; query: string } | null {
  const before = text.slice(0, caret);
  const m = /(^|[^\p{L}\p{N}_.@-])@([\p{L}\p{M}\p{N}_.-]*)$/u.exec(before);
  if (!m) return null;
  const query = m[2] ?? '';
  return { start: caret - query.length - 1, query: query.toLowerCase() };
}

/** The user names a text mentions, lower-cased, in order, once each. */
export function mentionedNames(text: string): string[] {
  const names: string[] = [];
  for (const m of text.matchAll(MENTION)) {
    const name = (m[2] ?? '').toLowerCase().replace(/[.-]+$/, '');
    if (name && !names.includes(name)) names.push(name);
  }
  return names;
}

/** What a message sends as its mentions: known names to ids; `@all` only where allowed. */
export function toMentions(text: string, idOf: (username: string) => string | undefined, canMentionAll: boolean): Mentions | undefined {
  const names = mentionedNames(text);
  const all = canMentionAll && names.includes(EVERYONE);
  const userIds = [...new Set(names.flatMap((n) => (n === EVERYONE ? [] : (idOf(n) ?? []))))];
  return all || userIds.length > 0 ? { userIds, all } : undefined;
}

/** Splits text into plain runs and `@name` runs for the names in `highlight` (and `@all` when `all`). */
export function splitMentions(text: string, highlight: ReadonlySet<string>, all: boolean): { text: string; mention: boolean }[] {
  const out: { text: string; mention: boolean }[] = [];
  let at = 0;
  for (const m of text.matchAll(MENTION)) {
    const name = (m[2] ?? '').toLowerCase().replace(/[.-]+$/, '');
    if (!highlight.has(name) && !(all && name === EVERYONE)) continue;
    const start = (m.index ?? 0) + (m[1] ?? '').length;
    const end = start + 1 + name.length;
    if (start > at) out.push({ text: text.slice(at, start), mention: false });
    out.push({ text: text.slice(start, end), mention: true });
    at = end;
  }
  if (at < text.length) out.push({ text: text.slice(at), mention: false });
  return out;
}
