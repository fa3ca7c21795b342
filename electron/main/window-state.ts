/**
 * The main window's size and position, remembered across starts in `<userData>/window-state.json`.
 * Restoring checks the saved place against the displays there are now: a monitor unplugged
 * since, or a smaller resolution, must not leave the window off screen or larger than the screen.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** What Electron's `screen.getAllDisplays()` gives, reduced to what placement needs. */
export interface DisplayArea {
  workArea: Rect;
}

export const MIN_SIZE = { width: 380, height: 500 } as const;
export const DEFAULT_SIZE = { width: 1100, height: 760 } as const;
/** How much of the window's top strip (where it is grabbed to move it) must be on a display. */
const GRAB = { width: 100, height: 40 } as const;

const int = z.number().int().min(-100_000).max(100_000);
export const WindowStateSchema = z.object({
  x: int,
  y: int,
  width: int.min(1),
  height: int.min(1),
  maximized: z.boolean(),
});
export type WindowState = z.infer<typeof WindowStateSchema>;

/** Where to open the window: no x/y means "let the system centre it". */
export interface Placement {
  x?: number;
  y?: number;
  width: number;
  height: number;
  maximized: boolean;
}

function overlap(a: Rect, b: Rect): Rect {
  const x = Math.max(a.x, b.x);
  const y = Math.max(a.y, b.y);
  return { x, y, width: Math.max(0, Math.min(a.x + a.width, b.x + b.width) - x), height: Math.max(0, Math.min(a.y + a.height, b.y + b.height) - y) };
}

/**
 * Placement for a saved state on the current displays. The window keeps its place if enough of
 * its top strip is on some display's work area; otherwise it is centred. Its size is kept within
 * the app's minimum and the largest display, so it can always be seen and resized.
 */
export function restoreBounds(saved: WindowState | null, displays: readonly DisplayArea[]): Placement {
  const largest = displays.reduce<Rect | null>((best, d) => (!best || d.workArea.width * d.workArea.height > best.width * best.height ? d.workArea : best), null);
  const clampSize = (w: number, h: number) => ({
    width: Math.max(MIN_SIZE.width, Math.min(w, largest?.width ?? w)),
    height: Math.max(MIN_SIZE.height, Math.min(h, largest?.height ?? h)),
  });
  if (!saved) return { ...clampSize(DEFAULT_SIZE.width, DEFAULT_SIZE.height), maximized: false };
  const size = clampSize(saved.width, saved.height);
  const strip: Rect = { x: saved.x, y: saved.y, width: size.width, height: GRAB.height };
  const home = displays.find((d) => {
    const o = overlap(strip, d.workArea);
    return o.width >= Math.min(GRAB.width, size.width) && o.height >= GRAB.height;
  });
  if (!home) return { ...size, maximized: saved.maximized };
  // Pull it fully inside its display where it sticks out, without making it smaller.
  const area = home.workArea;
  const x = Math.min(Math.max(saved.x, area.x), Math.max(area.x, area.x + area.width - size.width));
  const y = Math.min(Math.max(saved.y, area.y), Math.max(area.y, area.y + area.height - size.height));
  return { x, y, ...size, maximized: saved.maximized };
}

/**
 * What to save: while maximized (or full screen) the normal bounds are the ones to come back to,
 * so Electron's `getNormalBounds()` is passed as `normal`.
 */
export function captureState(normal: Rect, maximized: boolean): WindowState {
  const r = (n: number) => Math.round(n);
  return { x: r(normal.x), y: r(normal.y), width: r(normal.width), height: r(normal.height), maximized };
}

/** The saved state, or null for none, unreadable or not ours (a fresh window is the cure). */
export function loadWindowState(file: string): WindowState | null {
  try {
    const parsed = WindowStateSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Written whole to a temporary file and renamed, so a crash mid-write leaves the old state. */
export function saveWindowState(file: string, state: WindowState): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, JSON.stringify(state));
  renameSync(tmp, file);
}
