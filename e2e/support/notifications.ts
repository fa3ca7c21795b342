/**
 * Desktop notifications observed in the page: an init script replaces the web `Notification`
 * with one that records what was shown and what was closed. Permission is granted unless a test
 * starts from `default` (not asked yet); then `requestPermission` gives `answer`, counts the
 * requests, and the browser "remembers" the answer across reloads (in the page's storage).
 */
import type { Page } from '@playwright/test';

export interface SeenNotification {
  title: string;
  body: string;
  tag: string;
  closed: boolean;
}

export interface PermissionOptions {
  /** The permission the page starts with. */
  permission?: NotificationPermission;
  /** What the browser's own prompt answers when the page asks. */
  answer?: NotificationPermission;
}

export async function recordNotifications(page: Page, options: PermissionOptions = {}): Promise<void> {
  await page.addInitScript(
    ({ permission, answer }) => {
      const KEY = '__e2e.notificationPermission';
      const remembered = () => {
        try {
          return localStorage.getItem(KEY);
        } catch {
          return null; // about:blank and the like have no storage
        }
      };
      const seen: { title: string; body: string; tag: string; closed: boolean }[] = [];
      const w = window as unknown as { __notifications: typeof seen; __permissionRequests: number; Notification: unknown };
      w.__notifications = seen;
      w.__permissionRequests = 0;
      class RecordingNotification {
        static permission = remembered() ?? permission;
        static requestPermission = () => {
          w.__permissionRequests++;
          RecordingNotification.permission = answer;
          localStorage.setItem(KEY, answer);
          return Promise.resolve(answer);
        };
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
      w.Notification = RecordingNotification;
    },
    { permission: options.permission ?? 'granted', answer: options.answer ?? 'granted' },
  );
}

export function notifications(page: Page): Promise<SeenNotification[]> {
  return page.evaluate(() => [...((window as unknown as { __notifications?: SeenNotification[] }).__notifications ?? [])]);
}

/** How many times this page (since it loaded) asked for the browser's permission. */
export function permissionRequests(page: Page): Promise<number> {
  return page.evaluate(() => (window as unknown as { __permissionRequests?: number }).__permissionRequests ?? 0);
}
