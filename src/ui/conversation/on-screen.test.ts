import { describe, expect, it } from 'vitest';
import { newestOnScreen, type RowBox } from './on-screen';

/** Rows of `height` px stacked from `top`, with seqs from `firstSeq`. */
const stack = (top: number, height: number, seqs: (number | null)[]): RowBox[] =>
  seqs.map((seq, i) => ({ seq, top: top + i * height, bottom: top + (i + 1) * height }));

describe('what has been on screen', () => {
  const box = { top: 100, bottom: 700 };

  it('[READ-8] is the newest row whose end is inside the visible box, not the rows rendered below it', () => {
    // Rows 1..20 of 50 px from y=0: 3..14 end inside (100, 700]; 15.. are overscan below.
    const rows = stack(0, 50, Array.from({ length: 20 }, (_, i) => i + 1));
    expect(newestOnScreen(box, rows)).toBe(14);
    // A row cut by the bottom edge has not been read to its end yet.
    expect(newestOnScreen(box, stack(0, 60, Array.from({ length: 20 }, (_, i) => i + 1)))).toBe(11);
  });

  it('[READ-8] counts a message taller than the screen once its end has come into view', () => {
    expect(newestOnScreen(box, [{ seq: 7, top: 50, bottom: 1400 }])).toBeNull();
    expect(newestOnScreen(box, [{ seq: 7, top: -600, bottom: 690 }])).toBe(7);
  });

  it('[READ-8] skips rows without a line (holes, pending messages) and empty rows, and sees nothing in an empty log', () => {
    expect(newestOnScreen(box, stack(100, 100, [5, null, 6, null]))).toBe(6);
    expect(newestOnScreen(box, [{ seq: 9, top: 300, bottom: 300 }])).toBeNull();
    expect(newestOnScreen(box, [])).toBeNull();
  });

  it('[READ-8] allows for an edge a pixel off after rounding', () => {
    expect(newestOnScreen(box, [{ seq: 3, top: 640, bottom: 701.5 }])).toBe(3);
    expect(newestOnScreen(box, [{ seq: 3, top: 640, bottom: 705 }])).toBeNull();
  });
});
