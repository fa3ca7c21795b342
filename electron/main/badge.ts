/**
 * The total unread (every conversation that is not muted, counted by the renderer with the
 * same rule as the window title) shown where each system shows it: the dock or launcher badge
 * (macOS, Unity launchers on Linux), the taskbar overlay icon (Windows), the tray icon and
 * tooltip and, on macOS, the text beside the tray icon; in the person's language (words.ts).
 */
import type { DesktopWords } from './words';

export const APP_NAME = 'Tidings';
/** Past this a badge shows `99+`: a wider badge would be cut by the dock and the taskbar. */
export const BADGE_MAX = 99;

/**
 * The counts drawn into the tray and overlay icons, one file each (electron/scripts/make-icons.ts
 * makes them from this list). Past 9 they read `9+`: two digits are not legible at 16 px.
 */
export const ICON_COUNTS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '9+'] as const;
export type IconCount = (typeof ICON_COUNTS)[number];

/** An icon file in build/ with `count` drawn on it; `+` is spelled out, being special in globs and URLs. */
export function countIconFile(kind: 'tray' | 'overlay', count: IconCount): string {
  return `${kind}-${count.replace('+', 'plus')}.png`;
}

/**
 * Every file in build/ the tray and the badge may show (each with `@2x` beside it, which
 * `nativeImage` picks on high-density screens): the plain tray icon, its macOS template, and one
 * tray and one overlay icon per count. The icon checks and the packaging check read this list.
 */
export const BADGE_ICON_FILES: readonly string[] = [
  'tray.png',
  'trayTemplate.png',
  ...ICON_COUNTS.flatMap((c) => [countIconFile('tray', c), countIconFile('overlay', c)]),
];

export interface BadgeView {
  /** For `app.setBadgeCount` (0 clears it). */
  count: number;
  /** Short text: '' for none, '7', '99+'. For the dock (`app.dock.setBadge`) and the macOS tray title. */
  text: string;
  /** The Windows taskbar overlay: its accessible description, or null to remove the overlay. */
  overlay: string | null;
  /** The overlay's icon file in build/ (the count on a red disc), or null with no overlay. */
  overlayIcon: string | null;
  /** The tray icon file in build/ on Linux and Windows: the app icon, with the count when there is one. */
  trayIcon: string;
  /** The tray icon's tooltip. */
  tooltip: string;
}

export function badgeFor(total: number, words: DesktopWords): BadgeView {
  const n = Number.isSafeInteger(total) && total > 0 ? total : 0;
  const text = n === 0 ? '' : n > BADGE_MAX ? `${BADGE_MAX}+` : String(n);
  const unread = words.unread(n, text);
  const drawn = iconCount(n);
  return {
    count: n,
    text,
    overlay: n === 0 ? null : unread,
    overlayIcon: drawn === null ? null : countIconFile('overlay', drawn),
    trayIcon: drawn === null ? 'tray.png' : countIconFile('tray', drawn),
    tooltip: n === 0 ? words.app : words.tooltip(unread),
  };
}

/** 1…9 as themselves, anything larger as the last entry (`9+`), 0 as none. */
function iconCount(n: number): IconCount | null {
  return n === 0 ? null : (ICON_COUNTS[Math.min(n, ICON_COUNTS.length) - 1] ?? null);
}
