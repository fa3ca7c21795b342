import { describe, expect, it } from 'vitest';
import { visibleHeight } from './use-visible-height';

describe('visible height', () => {
  it('[PHONE-3] follows the visual viewport (the keyboard shrinks it), but not while zoomed or when it reports nonsense', () => {
    expect(visibleHeight({ height: 844, scale: 1 }, null)).toBe(844);
    // The keyboard opened: the app shrinks with the visible part.
    expect(visibleHeight({ height: 503.4, scale: 1 }, 844)).toBe(503);
    // Pinch-zoomed: the visual viewport is smaller, the screen is not; the height stays.
    expect(visibleHeight({ height: 422, scale: 2 }, 844)).toBe(844);
    expect(visibleHeight({ height: 422, scale: 2 }, null)).toBeNull();
    for (const height of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) expect(visibleHeight({ height, scale: 1 }, 700)).toBe(700);
  });
});
