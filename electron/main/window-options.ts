/**
 * The main window's web preferences, split from the Electron calls so they can be unit-tested:
 * the renderer is an untrusted web page with no Node access.
 */
export function secureWebPreferences(preloadPath: string) {
  return {
    preload: preloadPath,
    contextIsolation: true,
    nodeIntegration: false,
    sandbox: true,
    webSecurity: true,
    spellcheck: true,
  } as const;
}

/** Navigation stays inside the app: its own files, or the configured server. */
export function isAllowedNavigation(target: string, appUrl: string): boolean {
  try {
    const t = new URL(target);
    const a = new URL(appUrl);
    if (a.protocol === 'file:') return t.protocol === 'file:';
    return t.origin === a.origin;
  } catch {
    return false;
  }
}
