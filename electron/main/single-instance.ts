/**
 * One running app per user profile: a second launch (a click on the launcher while the app sits
 * in the tray, a desktop-file action) hands its command line to the first and quits. The first
 * brings its window back (restored, shown, focused) and runs the command passed, if any:
 * `tidings --tidings-command=new-chat`.
 */
import { DesktopCommandSchema, type DesktopCommand } from '../../src/desktop/bridge';

export const COMMAND_ARG = '--tidings-command=';

export interface WindowLike {
  isDestroyed(): boolean;
  isMinimized(): boolean;
  isVisible(): boolean;
  restore(): void;
  show(): void;
  focus(): void;
}

/** The command a launch asks for; anything unknown is ignored (argv comes from anyone who can start the app). */
export function commandFromArgv(argv: readonly string[]): DesktopCommand | null {
  for (const arg of argv) {
    if (!arg.startsWith(COMMAND_ARG)) continue;
    const parsed = DesktopCommandSchema.safeParse(arg.slice(COMMAND_ARG.length));
    if (parsed.success) return parsed.data;
  }
  return null;
}

/** Restores a minimized window, shows a hidden one (closed to the tray) and focuses it. */
export function bringToFront(win: WindowLike): void {
  if (win.isMinimized()) win.restore();
  if (!win.isVisible()) win.show();
  win.focus();
}

export interface SecondInstanceOutcome {
  /** 'create-window' when there is no window to bring back (macOS, after its last window closed). */
  action: 'focused' | 'create-window';
  /** To send once the window has loaded (sent already when `action` is 'focused'). */
  command: DesktopCommand | null;
}

/** What the first instance does when a second one starts with `argv`. */
export function onSecondInstance(argv: readonly string[], win: WindowLike | null, send: (command: DesktopCommand) => void): SecondInstanceOutcome {
  const command = commandFromArgv(argv);
  if (!win || win.isDestroyed()) return { action: 'create-window', command };
  bringToFront(win);
  if (command) send(command);
  return { action: 'focused', command };
}
