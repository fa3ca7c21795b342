/**
 * Runs a "send what is pending until nothing is" job one at a time. A call while it runs asks
 * for another round after it, so a change made during a request is never left behind.
 */
export class Flusher {
  private running = false;
  private again = false;

  constructor(private readonly round: () => Promise<void>) {}

  async flush(): Promise<void> {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    try {
      do {
        this.again = false;
        await this.round();
      } while (this.again);
    } finally {
      this.running = false;
    }
  }
}
