/** The dates of search: a result's time, and what the search covered (`… since March 3.`). */
import { locale, t } from '../../i18n';

// Made when used, so they follow the person's language (a change re-renders the app).
const fmt = (options: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat(locale(), options);

const sameYear = (a: Date, b: Date) => a.getFullYear() === b.getFullYear();

/** A result's time: today's clock time, else the date (with the year when not this one). */
export function hitTime(ms: number, now = new Date()): string {
  const d = new Date(ms);
  if (d.toDateString() === now.toDateString()) return fmt({ hour: '2-digit', minute: '2-digit' }).format(d);
  return fmt(sameYear(d, now) ? { month: 'short', day: 'numeric' } : { year: 'numeric', month: 'short', day: 'numeric' }).format(d);
}

/** A result's full date and time (its tooltip). */
export function hitFullTime(ms: number): string {
  return fmt({ dateStyle: 'full', timeStyle: 'short' }).format(ms);
}

/** "Searched 12,340 messages on this device since March 3." */
export function coverageText(n: number, since: number | null, now = new Date()): string {
  if (since === null) return t('search.covered', { count: n });
  const d = new Date(since);
  const date = fmt(sameYear(d, now) ? { month: 'long', day: 'numeric' } : { year: 'numeric', month: 'long', day: 'numeric' }).format(d);
  return t('search.coveredSince', { count: n, date });
}
