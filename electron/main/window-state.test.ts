import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_SIZE, MIN_SIZE, captureState, loadWindowState, restoreBounds, saveWindowState, type DisplayArea } from './window-state';

const laptop: DisplayArea = { workArea: { x: 0, y: 0, width: 1440, height: 875 } };
const external: DisplayArea = { workArea: { x: 1440, y: -200, width: 2560, height: 1400 } };

describe('window state', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tidings-window-state-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('[DESK-6] a window stays where it was while that place is on a display, and is centred when it is not', () => {
    const onExternal = { x: 2000, y: 100, width: 1200, height: 900, maximized: false };
    expect(restoreBounds(onExternal, [laptop, external])).toEqual(onExternal);
    // The external monitor was unplugged: no x/y, so Electron centres it on the primary display.
    const moved = restoreBounds(onExternal, [laptop]);
    expect(moved.x).toBeUndefined();
    expect(moved.y).toBeUndefined();
    expect(moved.width).toBeLessThanOrEqual(1440);
    expect(moved.height).toBeLessThanOrEqual(875);
    // Its title bar is above the screen's top: not reachable, so centred too.
    expect(restoreBounds({ x: 100, y: -500, width: 800, height: 600, maximized: false }, [laptop]).y).toBeUndefined();
    // Sticking out at the right by a little: pulled in, size kept.
    expect(restoreBounds({ x: 1000, y: 50, width: 800, height: 600, maximized: false }, [laptop])).toEqual({ x: 640, y: 50, width: 800, height: 600, maximized: false });
  });

  it('[DESK-7] sizes stay between the app minimum and the largest display; maximized is kept; files round-trip', () => {
    expect(restoreBounds(null, [laptop])).toEqual({ ...DEFAULT_SIZE, maximized: false });
    expect(restoreBounds({ x: 10, y: 10, width: 50, height: 40, maximized: true }, [laptop])).toEqual({ x: 10, y: 10, ...MIN_SIZE, maximized: true });
    expect(restoreBounds({ x: 0, y: 0, width: 5000, height: 5000, maximized: false }, [laptop, external])).toMatchObject({ width: 2560, height: 1400 });

    const file = join(dir, 'nested', 'window-state.json');
    expect(loadWindowState(file)).toBeNull();
    const state = captureState({ x: 10.4, y: 20.6, width: 900, height: 700 }, true);
    saveWindowState(file, state);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ x: 10, y: 21, width: 900, height: 700, maximized: true });
    expect(loadWindowState(file)).toEqual(state);
    writeFileSync(file, '{"x":1');
    expect(loadWindowState(file)).toBeNull();
    writeFileSync(file, JSON.stringify({ x: 'a', y: 0, width: 1, height: 1, maximized: false }));
    expect(loadWindowState(file)).toBeNull();
  });
});
