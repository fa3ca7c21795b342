/**
 * Fan-out in priority tiers (the seeds' 消息分级): one-to-one first, then groups under 100,
 * 100–1,000, and above 1,000 members. Work is cut into chunks (a chunk pushes to at most
 * `chunkSize` users or sockets) and the scheduler yields to the event loop between chunks.
 * One-to-one work is not queued at all: it runs as soon as it is handed over. So a direct
 * message that arrives while a 10,000-member group is being fanned out waits only for the
 * chunk running when its request is read and, at most, one during its commit, never for the
 * whole group.
 */
export type Tier = 0 | 1 | 2 | 3;

export const TIER_NAMES = ['one-to-one', 'groups under 100', 'groups of 100 to 1,000', 'groups above 1,000'] as const;

export function tierOf(kind: 'direct' | 'group', memberCount: number): Tier {
  if (kind === 'direct') return 0;
  if (memberCount < 100) return 1;
  if (memberCount <= 1000) return 2;
  return 3;
}

export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export class FanoutScheduler {
  private readonly queues: (() => void)[][] = [[], [], [], []];
  private scheduled = false;
  /** Units of work run per tier, for tests and metrics. */
  readonly ran = [0, 0, 0, 0];

  constructor(private readonly onError: (err: unknown) => void = () => {}) {}

  enqueue(tier: Tier, work: readonly (() => void)[]): void {
    if (work.length === 0) return;
    if (tier === 0) {
      // One-to-one work is a couple of emits and outranks everything: it runs now, never
      // behind the next chunk of a group.
      for (const unit of work) this.runUnit(0, unit);
      return;
    }
    (this.queues[tier] as (() => void)[]).push(...work);
    this.schedule();
  }

  get pending(): number {
    return this.queues.reduce((n, q) => n + q.length, 0);
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.runSome());
  }

  /** Runs all waiting one-to-one work, then one chunk of the highest tier that has any. */
  private runSome(): void {
    this.scheduled = false;
    const direct = this.queues[0] as (() => void)[];
    while (direct.length > 0) this.runUnit(0, direct.shift() as () => void);
    for (let t = 1; t < 4; t++) {
      const q = this.queues[t] as (() => void)[];
      if (q.length > 0) {
        this.runUnit(t as Tier, q.shift() as () => void);
        break;
      }
    }
    if (this.pending > 0) this.schedule();
  }

  private runUnit(tier: Tier, unit: () => void): void {
    this.ran[tier] = (this.ran[tier] ?? 0) + 1;
    try {
      unit();
    } catch (err) {
      this.onError(err);
    }
  }
}
