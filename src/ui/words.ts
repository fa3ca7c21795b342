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

export function clockTime(ms: number): string {
  return timeFmt.format(new Date(ms));
}
