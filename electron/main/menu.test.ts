import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import type { DesktopCommand } from '../../src/desktop/bridge';
import { menuTemplate } from './menu';

function flatten(items: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return items.flatMap((i) => [i, ...(Array.isArray(i.submenu) ? flatten(i.submenu) : [])]);
}

describe('application menu', () => {
  for (const platform of ['darwin', 'win32', 'linux'] as const) {
    it(`[DESK-13] ${platform}: Ctrl/Cmd+K, +F and +N send their commands; the standard edit roles are there`, () => {
      const sent: DesktopCommand[] = [];
      const items = flatten(menuTemplate({ platform, send: (c) => sent.push(c), dev: false }));
      const byKey = (accel: string) => items.filter((i) => i.accelerator === accel);
      for (const [accel, cmd] of [
        ['CmdOrCtrl+K', 'go-to-conversation'],
        ['CmdOrCtrl+F', 'search'],
        ['CmdOrCtrl+N', 'new-chat'],
      ] as const) {
        const found = byKey(accel);
        expect(found).toHaveLength(1);
        (found[0]?.click as (() => void) | undefined)?.();
        expect(sent.at(-1)).toBe(cmd);
      }
      const roles = new Set(items.map((i) => i.role).filter(Boolean));
      for (const r of ['undo', 'redo', 'cut', 'copy', 'paste', 'selectAll', 'minimize', 'togglefullscreen', 'zoomIn']) expect(roles.has(r as never)).toBe(true);
      expect(roles.has('quit')).toBe(true);
      // No reload or developer tools in the packaged app.
      expect(roles.has('toggleDevTools')).toBe(false);
      expect(roles.has('reload')).toBe(false);
      expect(items[0]?.label).toBe(platform === 'darwin' ? 'Tidings' : '&File');
    });
  }

  it('[DESK-13] development adds reload and developer tools', () => {
    const roles = flatten(menuTemplate({ platform: 'linux', send: () => undefined, dev: true })).map((i) => i.role);
    expect(roles).toContain('toggleDevTools');
    expect(roles).toContain('reload');
  });
});
