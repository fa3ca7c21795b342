/**
 * Promises that resolve when a condition over recorded events holds: each recorder calls `wake`
 * after it records something, and a test awaits `until`. A wait that never holds fails after
 * `timeoutMs` with what it waited for, instead of hanging the test.
 */
interface Waiter {
  ready: () => boolean;
  resolve: () => void;
}

export class Waiters {
  private waiting: Waiter[] = [];

  constructor(private readonly timeoutMs: number) {}

  /** Something was recorded: resolves every wait whose condition now holds. */
  wake(): void {
    this.waiting = this.waiting.filter((w) => {
      if (!w.ready()) return true;
      w.resolve();
      return false;
    });
  }

  /** Resolves when `ready()` holds; fails after the timeout with `what` in the message. */
  until(ready: () => boolean, what: string): Promise<void> {
    if (ready()) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting = this.waiting.filter((w) => w !== waiter);
        reject(new Error(`timed out waiting for ${what}`));
      }, this.timeoutMs);
      const waiter: Waiter = {
        ready,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      };
      this.waiting.push(waiter);
    });
  }
}
