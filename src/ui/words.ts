/** Errors reach people as words; the code stays in the console for whoever debugs. */
import { TidingsError } from '../protocol';
import { TransportError } from '../sync/transport';

export function describeError(err: unknown): string {
  if (err instanceof TidingsError || err instanceof TransportError) return err.message;
  return 'Something went wrong. Try again.';
}

const timeFmt = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const dayFmt = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' });

/** Time for the conversation list: today's time, else the date. */
export function shortTime(ms: number, now = Date.now()): string {
  const d = new Date(ms);
  return new Date(now).toDateString() === d.toDateString() ? timeFmt.format(d) : dayFmt.format(d);
}

const weekdayFmt = new Intl.DateTimeFormat(undefined, { weekday: 'long' });
const dateFmt = new Intl.DateTimeFormat(undefined, { weekday: 'short', month: 'short', day: 'numeric' });
const fullDateFmt = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: 'numeric' });

/** The day row in the log: `Today`, `Yesterday`, a weekday this week, else the date. */
export function dayLabel(ms: number, now = Date.now()): string {
  const d = new Date(ms);
  const startOf = (t: Date) => new Date(t.getFullYear(), t.getMonth(), t.getDate()).getTime();
  const days = Math.round((startOf(new Date(now)) - startOf(d)) / 86_400_000);
  if (days === 0) return 'Today';
  if (days === 1) return 'Yesterday';
  if (days > 1 && days < 7) return weekdayFmt.format(d);
  return d.getFullYear() === new Date(now).getFullYear() ? dateFmt.format(d) : fullDateFmt.format(d);
}

export function clockTime(ms: number): string {
  return timeFmt.format(new Date(ms));
}
