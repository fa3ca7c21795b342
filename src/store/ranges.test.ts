import { describe, expect, it } from 'vitest';
import { addRange, holds, holes } from './ranges';

describe('held seq ranges', () => {
  it('[RANGE-1] merges overlapping and adjacent ranges and keeps them sorted', () => {
    let r = addRange([], 5, 7);
    r = addRange(r, 1, 2);
    expect(r).toEqual([
      [1, 2],
      [5, 7],
    ]);
    r = addRange(r, 3, 4);
    expect(r).toEqual([[1, 7]]);
    r = addRange(r, 10, 10);
    r = addRange(r, 6, 12);
    expect(r).toEqual([[1, 12]]);
  });

  it('[RANGE-2] reports holes between ranges and below the head', () => {
    const r = addRange(addRange([], 1, 3), 8, 9);
    expect(holes(r, 12)).toEqual([
      [4, 7],
      [10, 12],
    ]);
    expect(holes(r, 9)).toEqual([[4, 7]]);
    expect(holes([], 5)).toEqual([[1, 5]]);
    expect(holds(r, 8)).toBe(true);
    expect(holds(r, 5)).toBe(false);
    // Added back at 9 after reading 1..3 before: nothing below 9 is a hole any more.
    expect(holes(r, 12, 9)).toEqual([[10, 12]]);
    expect(holes(r, 12, 6)).toEqual([
      [6, 7],
      [10, 12],
    ]);
  });

  it('[RANGE-3] an empty or inverted range changes nothing', () => {
    expect(addRange([[1, 2]], 5, 4)).toEqual([[1, 2]]);
  });
});
