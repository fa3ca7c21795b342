/**
 * Whether this device's person is active: any input (a key, the pointer, focus) counts as
 * active and starts a countdown of `AWAY_AFTER_MS`; a countdown that runs out without input
 * means idle, so others see `Away` after 5 minutes. Kept apart from the React hook so the rule
 * runs under fake timers without a DOM.
 */
import { AWAY_AFTER_MS } from '../../protocol';

export class ActivityWatch {
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    /** Told at every input (true) and when the countdown runs out (false); repeats are the receiver's to drop. */
    private readonly report: (active: boolean) => void,
    private readonly awayAfterMs = AWAY_AFTER_MS,
  ) {}

  input(): void {
    this.report(true);
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.report(false);
    }, this.awayAfterMs);
  }

  stop(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }
}
