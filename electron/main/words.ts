/**
 * The words of the desktop app's own menu, tray and badge, in the person's language: the
 * renderer's catalogues (src/i18n/en.ts and zh-CN.ts, `desktop`), read here without i18next.
 * The language is the one the renderer shows (it tells main over the bridge); until a window
 * has said, the system's (`app.getLocale()`).
 */
import { en } from '../../src/i18n/en';
import { preferredLanguage, type Language } from '../../src/i18n/languages';
import { zhCN } from '../../src/i18n/zh-CN';

type MenuWord = keyof typeof en.desktop.menu;
type TrayWord = keyof typeof en.desktop.tray;

export interface DesktopWords {
  language: Language;
  /** The app's name, as the catalogue writes it. */
  app: string;
  /** Menu labels; `&` marks an access key (Windows, Linux), which menu.ts drops on macOS. */
  menu: Readonly<Record<MenuWord, string>>;
  tray: Readonly<Record<TrayWord, string>>;
  /** "3 unread messages": `count` picks the plural form, `shown` is what is written ("99+"). */
  unread(count: number, shown: string): string;
  /** The tray's tooltip with unread messages: "Tidings — 3 unread messages". */
  tooltip(unread: string): string;
}

function fill(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (whole, name: string) => values[name] ?? whole);
}

function filled<K extends string>(strings: Readonly<Record<K, string>>, values: Readonly<Record<string, string>>): Record<K, string> {
  return Object.fromEntries(Object.entries<string>(strings).map(([k, v]) => [k, fill(v, values)])) as Record<K, string>;
}

export function desktopWords(language: Language): DesktopWords {
  const catalog = language === 'zh-CN' ? zhCN : en;
  const app = catalog.app.name;
  const { menu, tray, badge } = catalog.desktop;
  const plural = new Intl.PluralRules(language);
  return {
    language,
    app,
    menu: filled(menu, { app }),
    tray: filled(tray, { app }),
    unread: (count, shown) => fill(plural.select(count) === 'one' ? badge.unread_one : badge.unread_other, { count: shown }),
    tooltip: (unread) => fill(badge.tooltip, { app, unread }),
  };
}

/** The language for the system's locale (`app.getLocale()`: "zh-CN", "en-GB", "de"…). */
export function systemLanguage(locale: string): Language {
  return preferredLanguage([locale]);
}
