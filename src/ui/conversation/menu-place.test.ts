import { describe, expect, it } from 'vitest';
import { EDGE_PX, placeMenu, pointRect, type Rect, type Size } from './menu-place';

const phone: Size = { width: 390, height: 844 };
const desktop: Size = { width: 1280, height: 800 };
const menu: Size = { width: 180, height: 150 };

/** Whether the menu at `at` lies wholly inside the window with the margin. */
const inside = (at: { left: number; top: number }, m: Size, v: Size) =>
  at.left >= EDGE_PX && at.top >= EDGE_PX && at.left + m.width <= v.width - EDGE_PX && at.top + m.height <= v.height - EDGE_PX;

describe('where a message menu goes', () => {
  it('[MENU-1] opens below its button, lined up with it, when there is room', () => {
    const button: Rect = { left: 600, top: 300, right: 630, bottom: 324 };
    expect(placeMenu(button, menu, desktop, 'start')).toEqual({ left: 600, top: 328 });
    expect(placeMenu(button, menu, desktop, 'end')).toEqual({ left: 450, top: 328 });
  });

  it('[MENU-1] stays inside a phone screen: a button near the right edge of someone else’s message', () => {
    // The button of a wide message from someone else sits near the right edge: lined up on its
    // left edge the menu would run off the screen; it moves left instead.
    const button: Rect = { left: 330, top: 500, right: 374, bottom: 544 };
    const at = placeMenu(button, menu, phone, 'start');
    expect(at).toEqual({ left: phone.width - EDGE_PX - menu.width, top: 548 });
    expect(inside(at, menu, phone)).toBe(true);
  });

  it('[MENU-1] opens above its anchor near the bottom, and is pushed in from the left edge for one’s own', () => {
    const button: Rect = { left: 10, top: 760, right: 54, bottom: 790 };
    const at = placeMenu(button, menu, { width: 390, height: 800 }, 'end');
    expect(at).toEqual({ left: EDGE_PX, top: 760 - 4 - menu.height });
  });

  it('[MENU-1] at a point (right-click, long-press) it stays inside the window from any corner', () => {
    for (const v of [phone, desktop]) {
      for (const [x, y] of [
        [0, 0],
        [v.width, 0],
        [0, v.height],
        [v.width, v.height],
        [v.width / 2, v.height / 2],
      ] as const) {
        for (const align of ['start', 'end'] as const) expect(inside(placeMenu(pointRect(x, y), menu, v, align), menu, v)).toBe(true);
      }
    }
  });

  it('[MENU-1] a menu taller than the window keeps its top in it', () => {
    const tall: Size = { width: 180, height: 1200 };
    expect(placeMenu(pointRect(100, 400), tall, phone, 'start').top).toBe(EDGE_PX);
  });
});
