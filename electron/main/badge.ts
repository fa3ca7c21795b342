/**
 * The total unread (every conversation that is not muted, counted by the renderer with the
 * same rule as the window title) shown where each system shows it: the dock or launcher badge
 * (macOS, Unity launchers on Linux), the taskbar overlay icon (Windows), the tray tooltip and,
 * on macOS, the text beside the tray icon; in the person's language (words.ts).
 */
import type { DesktopWords } from './words';

export const APP_NAME = 'Tidings';
/** Past this a badge shows `99+`: a wider badge would be cut by the dock and the taskbar. */
export const BADGE_MAX = 99;

export interface BadgeView {
  /** For `app.setBadgeCount` (0 clears it). */
  count: number;
  /** Short text: '' for none, '7', '99+'. For the dock (`app.dock.setBadge`) and the macOS tray title. */
  text: string;
  /** The Windows taskbar overlay: its accessible description, or null to remove the overlay. */
  overlay: string | null;
  /** The tray icon's tooltip. */
  tooltip: string;
  /** Whether the tray shows its icon with the unread dot. */
  unread: boolean;
}

export function badgeFor(total: number, words: DesktopWords): BadgeView {
  const n = Number.isSafeInteger(total) && total > 0 ? total : 0;
  const text = n === 0 ? '' : n > BADGE_MAX ? `${BADGE_MAX}+` : String(n);
  const unread = words.unread(n, text);
  return {
    count: n,
    text,
    overlay: n === 0 ? null : unread,
    tooltip: n === 0 ? words.app : words.tooltip(unread),
    unread: n > 0,
  };
}
