import { describe, expect, it } from 'vitest';
import { trayView } from './tray';

describe('tray', () => {
  it('[DESK-14] the tray shows the unread count (tooltip, dot icon, macOS title) and offers Open, New Chat and Quit', () => {
    const done: string[] = [];
    const actions = { show: () => done.push('show'), send: (c: string) => done.push(c), quit: () => done.push('quit') };
    const none = trayView(0, 'linux', actions);
    expect(none).toMatchObject({ icon: 'tray', tooltip: 'Tidings', title: '' });
    expect(none.menu[0]).toMatchObject({ label: 'No unread messages', enabled: false });

    const some = trayView(120, 'darwin', actions);
    expect(some).toMatchObject({ icon: 'tray-unread', tooltip: 'Tidings — 99+ unread messages', title: '99+' });
    expect(trayView(3, 'win32', actions).title).toBe('');

    const byLabel = (label: string) => some.menu.find((i) => i.label === label)?.click as (() => void) | undefined;
    byLabel('Open Tidings')?.();
    byLabel('New Chat')?.();
    byLabel('Quit Tidings')?.();
    expect(done).toEqual(['show', 'new-chat', 'quit']);
  });
});
