/** Latency summaries and the number formats the report prints. */

export interface LatencySummary {
  count: number;
  p50: number;
  p99: number;
  max: number;
}

/** Nearest-rank percentile of an ascending array (`p` in 0..100). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] ?? Number.NaN;
}

export function summarize(samples: readonly number[]): LatencySummary {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    count: sorted.length,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? Number.NaN,
  };
}

const intFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** `12345.6` → `12,346`. */
export const fmtInt = (n: number): string => (Number.isFinite(n) ? intFormat.format(n) : 'n/a');

/** Milliseconds with precision that suits the size: `0.42`, `3.1`, `27`. */
export function fmtMs(n: number): string {
  if (!Number.isFinite(n)) return 'n/a';
  if (n < 1) return n.toFixed(2);
  if (n < 10) return n.toFixed(1);
  return n.toFixed(0);
}

export const fmtRatio = (n: number): string => (Number.isFinite(n) ? n.toFixed(2) : 'n/a');
