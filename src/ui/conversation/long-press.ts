/**
 * Tells a long press from a tap and from a scroll, as a phone's messenger does to open a
 * message's menu: a touch held still for `holdMs` fires once, where it began; moving further than
 * `slopPx` (the finger scrolls the log) or lifting earlier (a tap) cancels it.
 */
export const LONG_PRESS_MS = 500;
const SLOP_PX = 10;

export class LongPress {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private start: { x: number; y: number } | null = null;
  private fired = false;

  constructor(
    private readonly fire: (x: number, y: number) => void,
    private readonly holdMs = LONG_PRESS_MS,
    private readonly slopPx = SLOP_PX,
  ) {}

  down(x: number, y: number): void {
    this.cancel();
    this.fired = false;
    this.start = { x, y };
    this.timer = setTimeout(() => {
      this.timer = null;
      this.fired = true;
      this.fire(x, y);
    }, this.holdMs);
  }

  move(x: number, y: number): void {
    if (this.timer === null || !this.start) return;
    if (Math.hypot(x - this.start.x, y - this.start.y) > this.slopPx) this.cancel();
  }

  /** The finger lifted: whether that ended a long press (so the click that follows is no tap). */
  up(): boolean {
    const fired = this.fired;
    this.cancel();
    return fired;
  }

  cancel(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.start = null;
    this.fired = false;
  }
}
