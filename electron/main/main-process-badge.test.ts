/**
 * The unread count on the tray icon and the Windows taskbar overlay as desktop-shell.ts sets
 * them, with the stand-in for Electron (see main-process.test.ts), per platform: the image it
 * loads from build/ for each count, and the words that say the count for those who cannot see it.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it, vi } from 'vitest';

const fake = await vi.hoisted(async () => (await import('./testing/fake-electron')).createFakeElectron());
vi.mock('electron', () => ({ ...fake.electron, default: fake.electron }));

const { DesktopShell } = await import('./desktop-shell');
const iconDir = resolve(__dirname, '..', '..', 'build');

/** The icon's file name in build/, checked to be there with its @2x beside it. */
function iconFile(path: string): string {
  expect(existsSync(path), path).toBe(true);
  expect(existsSync(path.replace(/\.png$/, '@2x.png')), path).toBe(true);
  expect(path.startsWith(`${iconDir}/`), path).toBe(true);
  return path.slice(iconDir.length + 1);
}

function shellOn(platform: NodeJS.Platform) {
  const win = new fake.electron.BrowserWindow({});
  const shell = new DesktopShell({
    platform,
    iconDir,
    dev: false,
    show: () => {},
    send: () => {},
    quit: () => {},
    windows: () => [win as never],
  });
  shell.start('en');
  const tray = fake.state.tray!;
  const trayIcon = () => iconFile(tray.image!.path);
  /** The overlay's icon file (null: none) and its accessible description. */
  const overlay = () => [win.overlay?.image ? iconFile(win.overlay.image.path) : null, win.overlay?.description];
  return { shell, tray, trayIcon, overlay };
}

describe('unread count on the tray icon and the taskbar overlay (with a stand-in for Electron)', () => {
  it('[DESK-14] [DESK-21] Linux: the tray icon carries 1…9, then 9+; the tooltip and the launcher badge the whole count', () => {
    const { shell, tray, trayIcon } = shellOn('linux');
    const seen = [0, 1, 9, 10, 250].map((n) => {
      shell.setUnread(n);
      return [n, trayIcon(), tray.tooltip, fake.state.badge];
    });
    expect(seen).toEqual([
      [0, 'tray.png', 'Tidings', 0],
      [1, 'tray-1.png', 'Tidings — 1 unread message', 1],
      [9, 'tray-9.png', 'Tidings — 9 unread messages', 9],
      [10, 'tray-9plus.png', 'Tidings — 10 unread messages', 10],
      [250, 'tray-9plus.png', 'Tidings — 99+ unread messages', 250],
    ]);
    shell.destroy();
  });

  it('[DESK-8] [DESK-14] [DESK-21] Windows: the tray icon and the taskbar overlay carry 1…9, then 9+, the overlay described in words; none at 0', () => {
    const { shell, tray, trayIcon, overlay } = shellOn('win32');
    const seen = [1, 9, 10, 250, 0].map((n) => {
      shell.setUnread(n);
      return [n, trayIcon(), tray.tooltip, ...overlay()];
    });
    expect(seen).toEqual([
      [1, 'tray-1.png', 'Tidings — 1 unread message', 'overlay-1.png', '1 unread message'],
      [9, 'tray-9.png', 'Tidings — 9 unread messages', 'overlay-9.png', '9 unread messages'],
      [10, 'tray-9plus.png', 'Tidings — 10 unread messages', 'overlay-9plus.png', '10 unread messages'],
      [250, 'tray-9plus.png', 'Tidings — 99+ unread messages', 'overlay-9plus.png', '99+ unread messages'],
      [0, 'tray.png', 'Tidings', null, ''],
    ]);
    // In Chinese the words change; the pictures do not.
    shell.setUnread(4);
    shell.setLanguage('zh-CN');
    expect([trayIcon(), tray.tooltip, ...overlay()]).toEqual(['tray-4.png', 'Tidings — 4 条未读消息', 'overlay-4.png', '4 条未读消息']);
    shell.destroy();
  });
});
