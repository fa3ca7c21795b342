/**
 * Test-only crash injection. `TIDINGS_CRASH_AT=<point>[:<n>]` makes the server SIGKILL itself
 * the n-th time (default 1st) it reaches `<point>`, so fault tests can prove that a crash at
 * any step loses nothing acked and duplicates nothing. Unset (always, outside tests), every
 * call is a no-op.
 */
export const CRASH_POINTS = ['after-commit-before-ack', 'after-ack-before-fanout', 'mid-fanout', 'mid-pull'] as const;
export type CrashPoint = (typeof CRASH_POINTS)[number];

function parse(spec: string | undefined): { point: CrashPoint; nth: number } | null {
  if (!spec) return null;
  const [name, n] = spec.split(':');
  if (!(CRASH_POINTS as readonly string[]).includes(name ?? '')) {
    throw new Error(`TIDINGS_CRASH_AT must be one of ${CRASH_POINTS.join(', ')} (optionally :n), not ${spec}`);
  }
  const nth = n === undefined ? 1 : Number(n);
  if (!Number.isSafeInteger(nth) || nth < 1) throw new Error(`TIDINGS_CRASH_AT count must be a positive integer, not ${n}`);
  return { point: name as CrashPoint, nth };
}

const armed = parse(process.env.TIDINGS_CRASH_AT);
let hits = 0;

export function crashPoint(point: CrashPoint): void {
  if (!armed || armed.point !== point) return;
  if (++hits < armed.nth) return;
  process.stderr.write(`tidings: crashing at ${point} (hit ${hits}) as TIDINGS_CRASH_AT asked\n`);
  process.kill(process.pid, 'SIGKILL');
}
