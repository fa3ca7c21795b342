/** Errors reach people as words; the code stays in the console for whoever debugs. Dates and times in the person's locale. */
import { t, language, locale } from '../i18n';
import { AnnouncementSchema, DisplayNameSchema, GroupNameSchema, TidingsError, textRuleOf, type ErrorCode } from '../protocol';
import { TransportError } from '../sync/transport';

/**
 * An error as words for a person. The server's sentences are English and the most precise, so
 * English shows them; another language shows what the screen says about that code (`words`,
 * e.g. "no user named …" for `not_found` in New chat), else the code's general words.
 */
export function describeError(err: unknown, words: Partial<Record<ErrorCode, string>> = {}): string {
  if (err instanceof TransportError) return t(`errors.${err.reason}`);
  if (err instanceof TidingsError) return language() === 'en' ? err.message : (words[err.code] ?? t(`errors.${err.code}`));
  return t('errors.generic');
}

/** Fields a person types whose refusals are said in words (see `fieldProblem`). */
export type TypedField = 'groupName' | 'displayName' | 'announcement';
const FIELD_SCHEMAS = { groupName: GroupNameSchema, displayName: DisplayNameSchema, announcement: AnnouncementSchema } as const;

/**
 * What is wrong with a text typed into a field, in the person's language, or null if the server
 * will take it. It parses with the schema the server parses with, so a refusal is found here
 * first and said as "The group name cannot…" instead of the server's English (or, in another
 * language, only that the request was not accepted).
 */
export function fieldProblem(field: TypedField, value: string): string | null {
  const parsed = FIELD_SCHEMAS[field].safeParse(value);
  if (parsed.success) return null;
  const issue = parsed.error.issues[0];
  const rule = issue ? textRuleOf(issue) : 'malformed';
  return t(`invalid.${rule}`, { field: t(`invalid.${field}`), max: issue?.code === 'too_big' ? Number(issue.maximum) : 0 });
}

const formats = new Map<string, Intl.DateTimeFormat>();
/** A formatter for the current locale, made once per locale and options. */
function fmt(options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale()}|${JSON.stringify(options)}`;
  let f = formats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale(), options);
    formats.set(key, f);
  }
  return f;
}
const TIME: Intl.DateTimeFormatOptions = { hour: '2-digit', minute: '2-digit' };

/** Time for the conversation list: today's time, else the date. */
export function shortTime(ms: number, now = Date.now()): string {
  const d = new Date(ms);
  return new Date(now).toDateString() === d.toDateString() ? fmt(TIME).format(d) : fmt({ month: 'short', day: 'numeric' }).format(d);
}

/** The day row in the log: `Today`, `Yesterday`, a weekday this week, else the date. */
export function dayLabel(ms: number, now = Date.now()): string {
  const d = new Date(ms);
  const startOf = (x: Date) => new Date(x.getFullYear(), x.getMonth(), x.getDate()).getTime();
  const days = Math.round((startOf(new Date(now)) - startOf(d)) / 86_400_000);
  if (days === 0) return t('conversation.today');
  if (days === 1) return t('conversation.yesterday');
  if (days > 1 && days < 7) return fmt({ weekday: 'long' }).format(d);
  return d.getFullYear() === new Date(now).getFullYear()
    ? fmt({ weekday: 'short', month: 'short', day: 'numeric' }).format(d)
    : fmt({ year: 'numeric', month: 'short', day: 'numeric' }).format(d);
}

/** A date and time in the person's locale ("Dec 5, 11:36 PM", "12月5日 23:36"). */
export function shortDateTime(ms: number): string {
  return fmt({ month: 'short', day: 'numeric', ...TIME }).format(new Date(ms));
}

export function clockTime(ms: number): string {
  return fmt(TIME).format(new Date(ms));
}

/** A calendar date in the person's locale ("3 Mar", "3月3日"). */
export function shortDate(ms: number): string {
  return fmt({ month: 'short', day: 'numeric' }).format(new Date(ms));
}

/** A list of names the way a sentence in the person's language joins them. */
export function joinList(items: readonly string[]): string {
  return new Intl.ListFormat(locale(), { style: 'long', type: 'conjunction' }).format(items);
}
