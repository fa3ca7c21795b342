/**
 * Desktop notifications observed in the page: an init script replaces the web `Notification`
 * with one that records what was shown and what was closed, with permission granted.
 */
import type { Page } from '@playwright/test';

export interface SeenNotification {
  title: string;
  body: string;
  tag: string;
  closed: boolean;
}

export async function recordNotifications(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const seen: { title: string; body: string; tag: string; closed: boolean }[] = [];
    (window as unknown as { __notifications: typeof seen }).__notifications = seen;
    class RecordingNotification {
      static permission = 'granted';
      static requestPermission = () => Promise.resolve('granted');
      onclick: (() => void) | null = null;
      private readonly entry: (typeof seen)[number];
      constructor(title: string, options?: { body?: string; tag?: string }) {
        this.entry = { title, body: options?.body ?? '', tag: options?.tag ?? '', closed: false };
        seen.push(this.entry);
      }
      close() {
        this.entry.closed = true;
      }
    }
    (window as unknown as { Notification: unknown }).Notification = RecordingNotification;
  });
}

export function notifications(page: Page): Promise<SeenNotification[]> {
  return page.evaluate(() => [...((window as unknown as { __notifications?: SeenNotification[] }).__notifications ?? [])]);
}
