/**
 * The tray (notification area, menu bar) icon: the unread count in its tooltip, and drawn on the
 * icon (1…9, then 9+) on Linux and Windows or written beside it on macOS; a menu to open the
 * window, start a chat and quit. Closing the window keeps the app running there, so a person
 * still gets notifications; Quit ends it.
 * Linux's AppIndicator never reports clicks on the icon, so everything is in the menu as well.
 */
import type { MenuItemConstructorOptions } from 'electron';
import type { DesktopCommand } from '../../src/desktop/bridge';
import { badgeFor } from './badge';
import type { DesktopWords } from './words';

export interface TrayActions {
  show: () => void;
  send: (command: DesktopCommand) => void;
  quit: () => void;
}

export interface TrayView {
  /** Which icon file in build/ to show (see electron/scripts/make-icons.ts). */
  icon: string;
  tooltip: string;
  /** Text beside the icon in the macOS menu bar ('' for none). */
  title: string;
  menu: MenuItemConstructorOptions[];
}

export function trayView(total: number, platform: NodeJS.Platform, actions: TrayActions, words: DesktopWords): TrayView {
  const badge = badgeFor(total, words);
  return {
    // macOS tints a template image (black on transparent) to suit the menu bar; the count is the title.
    icon: platform === 'darwin' ? 'trayTemplate.png' : badge.trayIcon,
    tooltip: badge.tooltip,
    title: platform === 'darwin' ? badge.text : '',
    menu: [
      { label: badge.overlay ?? words.tray.noUnread, enabled: false },
      { type: 'separator' },
      { label: words.tray.open, click: actions.show },
      { label: words.tray.newChat, click: () => actions.send('new-chat') },
      { type: 'separator' },
      { label: words.tray.quit, click: actions.quit },
    ],
  };
}
