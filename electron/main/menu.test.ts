import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import type { DesktopCommand } from '../../src/desktop/bridge';
import { menuTemplate, withoutAccessKey } from './menu';
import { desktopWords } from './words';

const en = desktopWords('en');

function flatten(items: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return items.flatMap((i) => [i, ...(Array.isArray(i.submenu) ? flatten(i.submenu) : [])]);
}

describe('application menu', () => {
  for (const platform of ['darwin', 'win32', 'linux'] as const) {
    it(`[DESK-13] ${platform}: Ctrl/Cmd+K, +F and +N send their commands; the standard edit roles are there`, () => {
      const sent: DesktopCommand[] = [];
      const items = flatten(menuTemplate({ platform, words: en, send: (c) => sent.push(c), dev: false }));
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

  it('[DESK-23] in Chinese every label is Chinese, with access keys on Windows and Linux and none on macOS', () => {
    const zh = desktopWords('zh-CN');
    for (const platform of ['linux', 'win32', 'darwin'] as const) {
      const top = menuTemplate({ platform, words: zh, send: () => undefined, dev: true });
      const items = flatten(top);
      const mac = platform === 'darwin';
      expect(top.map((i) => i.label)).toEqual(mac ? ['Tidings', '文件', '编辑', '视图', '窗口'] : ['文件(&F)', '编辑(&E)', '视图(&V)', '窗口(&W)']);
      expect(items.find((i) => i.accelerator === 'CmdOrCtrl+N')?.label).toBe('新聊天');
      expect(items.find((i) => i.accelerator === 'CmdOrCtrl+K')?.label).toBe('跳转到会话…');
      expect(items.find((i) => i.accelerator === 'CmdOrCtrl+F')?.label).toBe('搜索消息…');
      expect(items.find((i) => i.role === 'copy')?.label).toBe('复制');
      expect(items.find((i) => i.role === 'quit')?.label).toBe('退出 Tidings');
      // Every item has a label of ours: Electron's own role labels are English.
      expect(items.filter((i) => i.type !== 'separator' && !i.label)).toEqual([]);
      expect(items.map((i) => i.label ?? '').filter((l) => /[A-Za-z]{3,}/.test(l) && !l.includes('Tidings'))).toEqual([]);
    }
    expect(withoutAccessKey('&File')).toBe('File');
    expect(withoutAccessKey('文件(&F)')).toBe('文件');
  });

  it('[DESK-13] development adds reload and developer tools', () => {
    const roles = flatten(menuTemplate({ platform: 'linux', words: en, send: () => undefined, dev: true })).map((i) => i.role);
    expect(roles).toContain('toggleDevTools');
    expect(roles).toContain('reload');
  });
});
