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

/**
 * The holes between held ranges, and between the newest held seq and the head, from `floor` up:
 * below the first seq the user may read now (a member added back holds lines of an earlier
 * membership), a gap is not a hole: nothing there will ever come.
 */
export function holes(ranges: readonly SeqRange[], head: number, floor = 1): SeqRange[] {
  const out: SeqRange[] = [];
  const push = (from: number, to: number) => {
    if (to >= Math.max(from, floor)) out.push([Math.max(from, floor), to]);
  };
  for (let i = 1; i < ranges.length; i++) {
    const prev = ranges[i - 1];
    const cur = ranges[i];
    if (prev && cur) push(prev[1] + 1, cur[0] - 1);
  }
  const top = ranges.at(-1)?.[1] ?? 0;
  if (head > top) push(top + 1, head);
  return out;
}

/** The range containing `seq`, if held. */
export function rangeOf(ranges: readonly SeqRange[], seq: number): SeqRange | undefined {
  return ranges.find(([a, b]) => a <= seq && seq <= b);
}
