/**
 * The suite's `test`: every test gets its own real server (fresh data file) and a `device()`
 * factory. Each device is a new browser context: its own IndexedDB, localStorage and service
 * worker, as a second phone or laptop would have.
 */
import { test as base, type BrowserContextOptions, type Page } from '@playwright/test';
import { TestServer } from './server';

export interface Fixtures {
  server: TestServer;
  /**
   * Opens a new device (browser context) with one page; `name` labels its console in reports.
   * `options` are the context's (a `locale`, say, for a browser that prefers another language).
   */
  device: (name: string, options?: BrowserContextOptions) => Promise<Page>;
}

export const test = base.extend<Fixtures>({
  // eslint-disable-next-line no-empty-pattern
  server: async ({}, use, testInfo) => {
    const server = new TestServer();
    await server.start();
    try {
      await use(server);
    } finally {
      if (testInfo.status !== testInfo.expectedStatus) {
        await testInfo.attach('server.log', { body: server.log, contentType: 'text/plain' });
      }
      await server.dispose();
    }
  },
  device: async ({ browser }, use, testInfo) => {
    const contexts: Awaited<ReturnType<typeof browser.newContext>>[] = [];
    const consoleLines: string[] = [];
    await use(async (name: string, options?: BrowserContextOptions) => {
      const context = await browser.newContext(options);
      contexts.push(context);
      const page = await context.newPage();
      page.on('console', (m) => {
        if (m.type() === 'error' || m.type() === 'warning') consoleLines.push(`[${name}] ${m.type()}: ${m.text()}`);
      });
      page.on('pageerror', (e) => consoleLines.push(`[${name}] pageerror: ${e.message}`));
      return page;
    });
    if (testInfo.status !== testInfo.expectedStatus && consoleLines.length > 0) {
      await testInfo.attach('browser-console.txt', { body: consoleLines.join('\n'), contentType: 'text/plain' });
    }
    for (const context of contexts) await context.close();
  },
});

export { expect } from '@playwright/test';
