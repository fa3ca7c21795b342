/**
 * End-to-end suite: real servers (one per test, started by e2e/support/server.ts) and the
 * built web client (`npm run build` → out/renderer) in Debian's Chromium.
 */
import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: 'e2e',
  // No global webServer: tests stop and restart their own servers.
  fullyParallel: false,
  workers: 2,
  retries: 0,
  timeout: 90_000,
  expect: { timeout: 10_000 },
  forbidOnly: !!process.env.CI,
  reporter: [['list']],
  use: {
    launchOptions: {
      // Debian's Chromium; browsers are never downloaded.
      executablePath: process.env.PLAYWRIGHT_CHROMIUM ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
    locale: 'en-US',
    viewport: { width: 1100, height: 720 },
    actionTimeout: 10_000,
    video: 'off',
    trace: 'off',
    screenshot: 'only-on-failure',
  },
});
