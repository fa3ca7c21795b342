/**
 * The renderer is treated as an untrusted web page (Electron's security checklist): isolated,
 * sandboxed, without Node; it may show only the app's own page, opens no windows of its own,
 * and gets no permission beyond notifications and writing to the clipboard. Decisions are
 * here, free of Electron calls, so they are unit-tested; index.ts applies them.
 */

/** The main window's web preferences. */
export function secureWebPreferences(preloadPath: string, additionalArguments: string[] = []) {
  return {
    preload: preloadPath,
    contextIsolation: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    sandbox: true,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: true,
    // Read by the preload (a sandboxed preload sees `process.argv`): this window's demo profile and server.
    additionalArguments,
  } as const;
}

/**
 * Whether `url` is the app's own page. Built files: exactly the app's index.html (any other
 * `file:` URL is someone else's file, so "same scheme" would be far too wide). Development:
 * the dev server's origin.
 */
export function isAppUrl(url: string, appUrl: string): boolean {
  try {
    const t = new URL(url);
    const a = new URL(appUrl);
    if (a.protocol === 'file:') return t.protocol === 'file:' && t.host === a.host && decodeURIComponent(t.pathname) === decodeURIComponent(a.pathname);
    return t.origin === a.origin;
  } catch {
    return false;
  }
}

/**
 * The window navigates only within the app: the renderer talks to its server with fetch and a
 * socket, never by loading the server's pages, so no other page may replace the app.
 */
export function isAllowedNavigation(target: string, appUrl: string): boolean {
  return isAppUrl(target, appUrl);
}

/** A link the app cannot show: http(s) opens in the person's browser; anything else is ignored. */
export function externalLink(url: string): string | null {
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : null;
  } catch {
    return null;
  }
}

/** The only permissions the app uses: desktop notifications, and Copy (message text, links). */
export const GRANTED_PERMISSIONS: readonly string[] = ['notifications', 'clipboard-sanitized-write'];

/** For `setPermissionRequestHandler` and `setPermissionCheckHandler`: granted only to the app's own page. */
export function isPermissionGranted(permission: string, requestingUrl: string, appUrl: string): boolean {
  return GRANTED_PERMISSIONS.includes(permission) && isAppUrl(requestingUrl, appUrl);
}
