import { describe, expect, it } from 'vitest';
import { trayView } from './tray';
import { desktopWords } from './words';

const en = desktopWords('en');

describe('tray', () => {
  it('[DESK-14] the tray shows the unread count (tooltip, the number on the icon, macOS title) and offers Open, New Chat and Quit', () => {
    const done: string[] = [];
    const actions = { show: () => done.push('show'), send: (c: string) => done.push(c), quit: () => done.push('quit') };
    const none = trayView(0, 'linux', actions, en);
    expect(none).toMatchObject({ icon: 'tray.png', tooltip: 'Tidings', title: '' });
    expect(none.menu[0]).toMatchObject({ label: 'No unread messages', enabled: false });

    const some = trayView(120, 'darwin', actions, en);
    expect(some).toMatchObject({ icon: 'trayTemplate.png', tooltip: 'Tidings — 99+ unread messages', title: '99+' });
    expect(trayView(3, 'win32', actions, en)).toMatchObject({ icon: 'tray-3.png', tooltip: 'Tidings — 3 unread messages', title: '' });

    const byLabel = (label: string) => some.menu.find((i) => i.label === label)?.click as (() => void) | undefined;
    byLabel('Open Tidings')?.();
    byLabel('New Chat')?.();
    byLabel('Quit Tidings')?.();
    expect(done).toEqual(['show', 'new-chat', 'quit']);
  });

  it('[DESK-14] on Linux and Windows the icon carries the number (9+ past 9); on macOS the template icon, the number beside it', () => {
    const actions = { show: () => {}, send: () => {}, quit: () => {} };
    const shown = (total: number, platform: NodeJS.Platform) => {
      const v = trayView(total, platform, actions, en);
      return [v.icon, v.title, v.tooltip];
    };
    for (const platform of ['linux', 'win32'] as const) {
      expect(shown(0, platform)).toEqual(['tray.png', '', 'Tidings']);
      expect(shown(1, platform)).toEqual(['tray-1.png', '', 'Tidings — 1 unread message']);
      expect(shown(9, platform)).toEqual(['tray-9.png', '', 'Tidings — 9 unread messages']);
      expect(shown(10, platform)).toEqual(['tray-9plus.png', '', 'Tidings — 10 unread messages']);
      expect(shown(250, platform)).toEqual(['tray-9plus.png', '', 'Tidings — 99+ unread messages']);
    }
    expect(shown(0, 'darwin')).toEqual(['trayTemplate.png', '', 'Tidings']);
    expect(shown(10, 'darwin')).toEqual(['trayTemplate.png', '10', 'Tidings — 10 unread messages']);
    expect(shown(250, 'darwin')).toEqual(['trayTemplate.png', '99+', 'Tidings — 99+ unread messages']);
  });

  it('[DESK-23] in Chinese: the tooltip, the count line and every item', () => {
    const done: string[] = [];
    const actions = { show: () => done.push('show'), send: (c: string) => done.push(c), quit: () => done.push('quit') };
    const zh = desktopWords('zh-CN');
    expect(trayView(0, 'linux', actions, zh).menu[0]).toMatchObject({ label: '没有未读消息', enabled: false });
    const view = trayView(4, 'win32', actions, zh);
    expect(view.tooltip).toBe('Tidings — 4 条未读消息');
    expect(view.menu.map((i) => i.label).filter(Boolean)).toEqual(['4 条未读消息', '打开 Tidings', '新聊天', '退出 Tidings']);
    view.menu.find((i) => i.label === '新聊天')?.click?.({} as never, undefined, {} as never);
    expect(done).toEqual(['new-chat']);
  });
});
