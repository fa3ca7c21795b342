/**
 * The application menu: the usual Edit, View and Window menus (their roles give every platform
 * its own accelerators and wording), plus the app's own commands, which are sent to the
 * renderer: Ctrl/Cmd+K go to a conversation, Ctrl/Cmd+F search messages, Ctrl/Cmd+N new chat.
 * On macOS the first menu is the app's; elsewhere the app's commands live under File. Every
 * label is in the person's language (words.ts).
 */
import type { MenuItemConstructorOptions } from 'electron';
import type { DesktopCommand } from '../../src/desktop/bridge';
import type { DesktopWords } from './words';

export interface MenuOptions {
  platform: NodeJS.Platform;
  /** In the person's language; roles get labels too (Electron's own are English). */
  words: DesktopWords;
  /** Deliver a command to the focused app window (showing it first if it was hidden). */
  send: (command: DesktopCommand) => void;
  /** Developer tools and reload only in development: in the app a reload is rarely what a person wants. */
  dev: boolean;
}

export const COMMAND_ACCELERATORS: Readonly<Record<DesktopCommand, string>> = {
  'go-to-conversation': 'CmdOrCtrl+K',
  search: 'CmdOrCtrl+F',
  'new-chat': 'CmdOrCtrl+N',
};

/** A label without its access key (`&File`, `文件(&F)`): macOS menus have none. */
export function withoutAccessKey(label: string): string {
  return label.replace(/\(&[^)]\)$/, '').replace(/&(?=[^&])/g, '');
}

export function menuTemplate({ platform, words, send, dev }: MenuOptions): MenuItemConstructorOptions[] {
  const mac = platform === 'darwin';
  const w = words.menu;
  const top = (label: string) => (mac ? withoutAccessKey(label) : label);
  const command = (label: string, c: DesktopCommand): MenuItemConstructorOptions => ({ label, accelerator: COMMAND_ACCELERATORS[c], click: () => send(c) });
  const sep: MenuItemConstructorOptions = { type: 'separator' };

  const appMenu: MenuItemConstructorOptions[] = mac
    ? [
        {
          label: words.app,
          submenu: [
            { role: 'about', label: w.about },
            sep,
            { role: 'services', label: w.services },
            sep,
            { role: 'hide', label: w.hide },
            { role: 'hideOthers', label: w.hideOthers },
            { role: 'unhide', label: w.showAll },
            sep,
            { role: 'quit', label: w.quit },
          ],
        },
      ]
    : [];
  const file: MenuItemConstructorOptions = {
    label: top(w.file),
    submenu: [command(w.newChat, 'new-chat'), command(w.goTo, 'go-to-conversation'), sep, mac ? { role: 'close', label: w.close } : { role: 'quit', label: w.quit }],
  };
  const edit: MenuItemConstructorOptions = {
    label: top(w.edit),
    submenu: [
      { role: 'undo', label: w.undo },
      { role: 'redo', label: w.redo },
      sep,
      { role: 'cut', label: w.cut },
      { role: 'copy', label: w.copy },
      { role: 'paste', label: w.paste },
      ...(mac ? [{ role: 'pasteAndMatchStyle', label: w.pasteAndMatchStyle } as const] : []),
      { role: 'delete', label: w.delete },
      { role: 'selectAll', label: w.selectAll },
      sep,
      command(w.search, 'search'),
    ],
  };
  const view: MenuItemConstructorOptions = {
    label: top(w.view),
    submenu: [
      ...(dev ? [{ role: 'reload', label: w.reload } as const, { role: 'toggleDevTools', label: w.toggleDevTools } as const, sep] : []),
      { role: 'resetZoom', label: w.resetZoom },
      { role: 'zoomIn', label: w.zoomIn },
      { role: 'zoomOut', label: w.zoomOut },
      sep,
      { role: 'togglefullscreen', label: w.toggleFullScreen },
    ],
  };
  const window: MenuItemConstructorOptions = {
    label: top(w.window),
    submenu: mac
      ? [{ role: 'minimize', label: w.minimize }, { role: 'zoom', label: w.zoom }, sep, { role: 'front', label: w.front }]
      : [{ role: 'minimize', label: w.minimize }, { role: 'close', label: w.close }],
  };
  return [...appMenu, file, edit, view, window];
}
