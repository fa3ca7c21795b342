/**
 * The continuous `seq` ranges a device holds for one conversation (Telegram's recommended
 * strategy). Sorted, non-overlapping, non-adjacent `[from, to]` pairs. A gap between two
 * ranges is a hole: it must be filled from history before it is shown as "nothing there".
 */
export type SeqRange = readonly [from: number, to: number];

export function addRange(ranges: readonly SeqRange[], from: number, to: number): SeqRange[] {
  if (from > to) return [...ranges];
  const out: SeqRange[] = [];
  let lo = from;
  let hi = to;
  for (const [a, b] of ranges) {
    if (b < lo - 1) out.push([a, b]);
    else if (a > hi + 1) {
      out.push([lo, hi]);
      lo = Number.POSITIVE_INFINITY;
      out.push([a, b]);
    } else {
      lo = Math.min(lo, a);
      hi = Math.max(hi, b);
    }
  }
  if (lo !== Number.POSITIVE_INFINITY) out.push([lo, hi]);
  return out.sort((x, y) => x[0] - y[0]);
}

export function holds(ranges: readonly SeqRange[], seq: number): boolean {
  return ranges.some(([a, b]) => a <= seq && seq <= b);
}

/** The holes between held ranges, and between the newest held seq and the head. */
export function holes(ranges: readonly SeqRange[], head: number): SeqRange[] {
  const out: SeqRange[] = [];
  for (let i = 1; i < ranges.length; i++) {
    const prev = ranges[i - 1];
    const cur = ranges[i];
    if (prev && cur) out.push([prev[1] + 1, cur[0] - 1]);
  }
  const top = ranges.at(-1)?.[1] ?? 0;
  if (head > top) out.push([top + 1, head]);
  return out;
}

/** The range containing `seq`, if held. */
export function rangeOf(ranges: readonly SeqRange[], seq: number): SeqRange | undefined {
  return ranges.find(([a, b]) => a <= seq && seq <= b);
}
