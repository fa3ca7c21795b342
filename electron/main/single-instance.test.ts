import { describe, expect, it } from 'vitest';
import type { DesktopCommand } from '../../src/desktop/bridge';
import { commandFromArgv, onSecondInstance, type WindowLike } from './single-instance';

function fakeWindow(state: { minimized: boolean; visible: boolean; destroyed?: boolean }) {
  const calls: string[] = [];
  const win: WindowLike = {
    isDestroyed: () => state.destroyed ?? false,
    isMinimized: () => state.minimized,
    isVisible: () => state.visible,
    restore: () => calls.push('restore'),
    show: () => calls.push('show'),
    focus: () => calls.push('focus'),
  };
  return { win, calls };
}

describe('single instance', () => {
  it('[DESK-15] a second launch brings the first window back (restored, shown, focused) and passes its command through', () => {
    const sent: DesktopCommand[] = [];
    const send = (c: DesktopCommand) => sent.push(c);

    const minimized = fakeWindow({ minimized: true, visible: true });
    expect(onSecondInstance(['/usr/bin/tidings'], minimized.win, send)).toEqual({ action: 'focused', command: null });
    expect(minimized.calls).toEqual(['restore', 'focus']);

    const inTray = fakeWindow({ minimized: false, visible: false });
    expect(onSecondInstance(['/usr/bin/tidings', '--tidings-command=new-chat'], inTray.win, send)).toEqual({ action: 'focused', command: 'new-chat' });
    expect(inTray.calls).toEqual(['show', 'focus']);
    expect(sent).toEqual(['new-chat']);

    // No window left (macOS): the caller creates one and sends the command once it has loaded.
    expect(onSecondInstance(['x', '--tidings-command=search'], null, send)).toEqual({ action: 'create-window', command: 'search' });
    expect(onSecondInstance(['x'], fakeWindow({ minimized: false, visible: true, destroyed: true }).win, send).action).toBe('create-window');
    expect(sent).toEqual(['new-chat']);
  });

  it('[DESK-15] only known commands pass; other arguments are ignored', () => {
    expect(commandFromArgv(['--tidings-command=go-to-conversation'])).toBe('go-to-conversation');
    expect(commandFromArgv(['--tidings-command=quit', '--tidings-command=search'])).toBe('search');
    expect(commandFromArgv(['--tidings-command=', '--inspect=9229', 'tidings://x'])).toBeNull();
  });
});
