import { describe, expect, it } from 'vitest';
import { isAllowedNavigation, secureWebPreferences } from './window-options';

describe('main window security', () => {
  it('[DESK-1] the renderer runs isolated, sandboxed, without Node', () => {
    const p = secureWebPreferences('/app/preload.cjs');
    expect(p).toMatchObject({ contextIsolation: true, nodeIntegration: false, sandbox: true, preload: '/app/preload.cjs' });
  });

  it('[DESK-2] navigation is allowed only within the app origin', () => {
    expect(isAllowedNavigation('http://127.0.0.1:3000/x', 'http://127.0.0.1:3000/')).toBe(true);
    expect(isAllowedNavigation('https://evil.example/', 'http://127.0.0.1:3000/')).toBe(false);
    expect(isAllowedNavigation('file:///app/index.html', 'file:///app/index.html')).toBe(true);
    expect(isAllowedNavigation('http://127.0.0.1:3000/', 'file:///app/index.html')).toBe(false);
    expect(isAllowedNavigation('not a url', 'http://127.0.0.1:3000/')).toBe(false);
  });
});
