/**
 * Time-ordered 64-bit ids (Twitter's snowflake): 41 bits of milliseconds since 2024-01-01,
 * 10 bits of node id, 12 bits of counter. Carried as decimal strings because JavaScript
 * numbers lose precision past 2^53.
 */
const EPOCH = 1_704_067_200_000n;

export class Snowflake {
  private lastMs = -1n;
  private counter = 0n;
  private readonly node: bigint;

  constructor(nodeId: number, private readonly now: () => number = Date.now) {
    if (!Number.isInteger(nodeId) || nodeId < 0 || nodeId > 1023) throw new Error('node id must be 0..1023');
    this.node = BigInt(nodeId);
  }

  next(): string {
    let ms = BigInt(this.now()) - EPOCH;
    // A clock that steps back must not produce ids out of order or twice.
    if (ms < this.lastMs) ms = this.lastMs;
    if (ms === this.lastMs) {
      this.counter = (this.counter + 1n) & 0xfffn;
      if (this.counter === 0n) ms = this.lastMs + 1n;
    } else {
      this.counter = 0n;
    }
    this.lastMs = ms;
    return ((ms << 22n) | (this.node << 12n) | this.counter).toString();
  }
}
