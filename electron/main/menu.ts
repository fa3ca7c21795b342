/**
 * The application menu: the usual Edit, View and Window menus (their roles give every platform
 * its own accelerators and wording), plus the app's own commands, which are sent to the
 * renderer: Ctrl/Cmd+K go to a conversation, Ctrl/Cmd+F search messages, Ctrl/Cmd+N new chat.
 * On macOS the first menu is the app's; elsewhere the app's commands live under File.
 */
import type { MenuItemConstructorOptions } from 'electron';
import type { DesktopCommand } from '../../src/desktop/bridge';
import { APP_NAME } from './badge';

export interface MenuOptions {
  platform: NodeJS.Platform;
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

export function menuTemplate({ platform, send, dev }: MenuOptions): MenuItemConstructorOptions[] {
  const mac = platform === 'darwin';
  const command = (label: string, c: DesktopCommand): MenuItemConstructorOptions => ({ label, accelerator: COMMAND_ACCELERATORS[c], click: () => send(c) });

  const appMenu: MenuItemConstructorOptions[] = mac
    ? [
        {
          label: APP_NAME,
          submenu: [{ role: 'about' }, { type: 'separator' }, { role: 'services' }, { type: 'separator' }, { role: 'hide' }, { role: 'hideOthers' }, { role: 'unhide' }, { type: 'separator' }, { role: 'quit' }],
        },
      ]
    : [];
  const file: MenuItemConstructorOptions = {
    label: mac ? 'File' : '&File',
    submenu: [
      command('New Chat', 'new-chat'),
      command('Go to Conversation…', 'go-to-conversation'),
      { type: 'separator' },
      mac ? { role: 'close' } : { role: 'quit' },
    ],
  };
  const edit: MenuItemConstructorOptions = {
    label: mac ? 'Edit' : '&Edit',
    submenu: [
      { role: 'undo' },
      { role: 'redo' },
      { type: 'separator' },
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      ...(mac ? [{ role: 'pasteAndMatchStyle' } as const] : []),
      { role: 'delete' },
      { role: 'selectAll' },
      { type: 'separator' },
      command('Search Messages…', 'search'),
    ],
  };
  const view: MenuItemConstructorOptions = {
    label: mac ? 'View' : '&View',
    submenu: [
      ...(dev ? [{ role: 'reload' } as const, { role: 'toggleDevTools' } as const, { type: 'separator' } as const] : []),
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
    ],
  };
  const window: MenuItemConstructorOptions = {
    label: mac ? 'Window' : '&Window',
    submenu: mac ? [{ role: 'minimize' }, { role: 'zoom' }, { type: 'separator' }, { role: 'front' }] : [{ role: 'minimize' }, { role: 'close' }],
  };
  return [...appMenu, file, edit, view, window];
}
