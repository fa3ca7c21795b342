import { describe, expect, it } from 'vitest';
import { externalLink, isAllowedNavigation, isPermissionGranted, secureWebPreferences } from './security';

const APP = 'file:///opt/Tidings/resources/app.asar/out/renderer/index.html';
const DEV = 'http://localhost:5173/';

describe('main window security', () => {
  it('[DESK-1] the renderer runs isolated, sandboxed, without Node, without webviews', () => {
    const p = secureWebPreferences('/app/preload.cjs', ['--tidings-profile=alice']);
    expect(p).toMatchObject({
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      sandbox: true,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      preload: '/app/preload.cjs',
      additionalArguments: ['--tidings-profile=alice'],
    });
  });

  it('[DESK-2] navigation is allowed only to the app page itself', () => {
    expect(isAllowedNavigation('http://localhost:5173/x', DEV)).toBe(true);
    expect(isAllowedNavigation('https://evil.example/', DEV)).toBe(false);
    expect(isAllowedNavigation('http://127.0.0.1:3000/', DEV)).toBe(false);
    expect(isAllowedNavigation(`${APP}#/c/1`, APP)).toBe(true);
    expect(isAllowedNavigation('file:///etc/passwd', APP)).toBe(false);
    expect(isAllowedNavigation('file:///opt/Tidings/resources/app.asar/out/renderer/../../../../../etc/passwd', APP)).toBe(false);
    expect(isAllowedNavigation('http://127.0.0.1:3000/', APP)).toBe(false);
    expect(isAllowedNavigation('not a url', DEV)).toBe(false);
  });

  it('[DESK-11] new windows are never opened: http(s) links go to the system browser, other schemes nowhere', () => {
    expect(externalLink('https://example.org/a?b#c')).toBe('https://example.org/a?b#c');
    expect(externalLink('http://example.org')).toBe('http://example.org/');
    for (const bad of ['file:///etc/passwd', 'javascript:alert(1)', 'smb://host/share', 'ms-msdt:/id', 'nonsense']) expect(externalLink(bad)).toBeNull();
  });

  it('[DESK-12] permissions: notifications and clipboard writing, for the app page only; everything else is denied', () => {
    expect(isPermissionGranted('notifications', APP, APP)).toBe(true);
    expect(isPermissionGranted('clipboard-sanitized-write', APP, APP)).toBe(true);
    expect(isPermissionGranted('notifications', 'https://evil.example/', APP)).toBe(false);
    for (const p of ['media', 'geolocation', 'clipboard-read', 'openExternal', 'display-capture', 'fileSystem', 'unknown']) {
      expect(isPermissionGranted(p, APP, APP)).toBe(false);
    }
    expect(isPermissionGranted('notifications', 'http://localhost:5173/', DEV)).toBe(true);
  });
});
