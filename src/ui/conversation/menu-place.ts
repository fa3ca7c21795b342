/**
 * Where a message's menu goes on screen: next to what opened it (its button, or the point that
 * was right-clicked or long-pressed), and always wholly inside the window, whichever side of the
 * log the message is on and however narrow the window.
 */

export interface Rect {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

export interface Size {
  width: number;
  height: number;
}

/** Room kept between the menu and the window's edges, and between the menu and its anchor. */
export const EDGE_PX = 8;
const GAP_PX = 4;

const clamp = (v: number, min: number, max: number) => Math.max(min, Math.min(v, max));

/**
 * The menu's top-left corner: below the anchor, or above it when only there it fits; its start
 * edge on the anchor's start (`start`, for others' messages, on the left) or its end edge on the
 * anchor's end (`end`, one's own, on the right); then moved just enough to stay inside the
 * window. A menu larger than the window keeps its top-left corner in it.
 */
export function placeMenu(anchor: Rect, menu: Size, viewport: Size, align: 'start' | 'end'): { left: number; top: number } {
  const below = anchor.bottom + GAP_PX;
  const above = anchor.top - GAP_PX - menu.height;
  const fitsBelow = below + menu.height <= viewport.height - EDGE_PX;
  const fitsAbove = above >= EDGE_PX;
  const top = fitsBelow || !fitsAbove ? below : above;
  const left = align === 'start' ? anchor.left : anchor.right - menu.width;
  return {
    left: Math.max(EDGE_PX, clamp(left, EDGE_PX, viewport.width - EDGE_PX - menu.width)),
    top: Math.max(EDGE_PX, clamp(top, EDGE_PX, viewport.height - EDGE_PX - menu.height)),
  };
}

/** A point (where a right-click or a long-press happened) as an anchor of no size. */
export const pointRect = (x: number, y: number): Rect => ({ left: x, top: y, right: x, bottom: y });
