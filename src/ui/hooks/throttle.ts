/**
 * Passes a value on at once, then at most once per interval: what comes meanwhile waits for the
 * end of the interval, and only the latest of it goes. Scrolling through a long unread stretch
 * sees a new message every few pixels; the read position follows a couple of times a second
 * instead of writing the store (and re-rendering the log) for each one.
 */
export class Throttle<T> {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private waiting: { value: T } | null = null;

  constructor(
    private readonly run: (value: T) => void,
    private readonly intervalMs: number,
  ) {}

  push(value: T): void {
    if (this.timer !== null) {
      this.waiting = { value };
      return;
    }
    this.run(value);
    this.timer = setTimeout(() => this.tick(), this.intervalMs);
  }

  /** Passes on what is waiting now (the view is closing, or losing the person's attention). */
  flush(): void {
    const w = this.waiting;
    this.cancel();
    if (w) this.run(w.value);
  }

  /** Drops what is waiting. */
  cancel(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.waiting = null;
  }

  private tick(): void {
    this.timer = null;
    const w = this.waiting;
    this.waiting = null;
    if (w) this.push(w.value);
  }
}
