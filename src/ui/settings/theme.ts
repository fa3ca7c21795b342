/**
 * The theme is a per-device choice (UI-CONTRACT: `System`, `Light`, `Dark`): kept in this
 * browser profile's storage, applied as `data-theme` on the root element, which the CSS reads.
 */
import { profileKey } from '../../state/profile';
export type Theme = 'system' | 'light' | 'dark';
const KEY = profileKey('tidings.theme');

export function loadTheme(): Theme {
  try {
    const t = localStorage.getItem(KEY);
    return t === 'light' || t === 'dark' ? t : 'system';
  } catch {
    return 'system';
  }
}

export function applyTheme(theme: Theme): void {
  if (theme === 'system') delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = theme;
}

export function saveTheme(theme: Theme): void {
  try {
    if (theme === 'system') localStorage.removeItem(KEY);
    else localStorage.setItem(KEY, theme);
  } catch {
    // Private modes may refuse storage: the choice lasts until the page closes.
  }
  applyTheme(theme);
}
