/**
 * The history checker's operation stream: a pure function of the seed and the settings, so
 * a seed replays the same operations (only timing differs). The planner simulates which
 * devices are offline and whether the server is up, so every operation it emits makes sense.
 */
import { Prng } from './prng';

export const CRASH_SPECS = ['after-commit-before-ack', 'after-ack-before-fanout', 'mid-fanout', 'mid-pull'] as const;

/** A one-to-one chat with that user, or the run's one group. */
export type Target = number | 'group';

export type Op =
  | { kind: 'send'; device: number; peer: Target; text: string }
  | { kind: 'disconnect'; device: number; forOps: number }
  | { kind: 'reconnect'; device: number }
  | { kind: 'reload'; device: number }
  | { kind: 'scroll'; device: number; peer: Target }
  /** The device's person reads the conversation (up to the newest it holds), or with `back` marks its newest message from someone else unread. */
  | { kind: 'read'; device: number; peer: Target; back: boolean }
  /** The device's person recalls their newest acked message in the conversation. */
  | { kind: 'recall'; device: number; peer: Target }
  | { kind: 'newDevice'; user: number; device: number }
  | { kind: 'serverDown'; mode: 'term' | 'kill' }
  | { kind: 'serverUp'; crashAt: string | null };

export interface PlannedOp {
  index: number;
  /** Milliseconds to wait before invoking it. */
  delayMs: number;
  op: Op;
}

export interface PlanSettings {
  users: number;
  /** Devices per user at the start: between these, both included. */
  devicesMin: number;
  devicesMax: number;
  /** About every this many operations the server is stopped (SIGTERM or SIGKILL). */
  restartEvery: number;
  /** About every this many operations a user signs in on a new device. */
  newDeviceEvery: number;
  maxNewDevices: number;
  /** Chance that a send (or scroll) by a group member goes to the group rather than to a peer. */
  groupShare: number;
}

/**
 * The run's one group holds every user but the last (who must then see none of it); with
 * fewer than 3 users there is no group.
 */
export function groupMembers(users: number): number[] {
  return users >= 3 ? Array.from({ length: users - 1 }, (_, u) => u) : [];
}

export const DEFAULT_PLAN: PlanSettings = {
  users: 5,
  devicesMin: 2,
  devicesMax: 3,
  restartEvery: 160,
  newDeviceEvery: 110,
  maxNewDevices: 3,
  groupShare: 0.3,
};

/** What the run starts with: the devices of each user and the first server's crash point. */
export interface PlanStart {
  deviceUsers: number[];
  firstCrashAt: string | null;
}

export class Planner {
  private readonly rng: Prng;
  readonly start: PlanStart;
  private readonly deviceUsers: number[];
  /** device -> op index at which it comes back. */
  private readonly offline = new Map<number, number>();
  private serverUpAt: number | null = null;
  private nextRestart: number;
  private nextNewDevice: number;
  private newDevices = 0;
  private index = 0;
  /** Sends queued to go out back to back just before a planned server stop. */
  private burst = 0;

  constructor(
    seed: number,
    private readonly settings: PlanSettings = DEFAULT_PLAN,
  ) {
    this.rng = new Prng(seed);
    this.deviceUsers = [];
    for (let u = 0; u < settings.users; u++) {
      const n = this.rng.int(settings.devicesMin, settings.devicesMax);
      for (let i = 0; i < n; i++) this.deviceUsers.push(u);
    }
    this.start = { deviceUsers: [...this.deviceUsers], firstCrashAt: this.crashSpec(0.7) };
    this.nextRestart = this.around(settings.restartEvery);
    this.nextNewDevice = this.around(settings.newDeviceEvery);
  }

  private around(n: number): number {
    return this.index + this.rng.int(Math.ceil(n * 0.6), Math.ceil(n * 1.4));
  }

  /** Sometimes a crash point for the next server process: it kills itself at the n-th hit. */
  private crashSpec(p: number): string | null {
    if (!this.rng.chance(p)) return null;
    const point = this.rng.pick(CRASH_SPECS);
    return `${point}:${this.rng.int(point === 'mid-pull' ? 3 : 10, point === 'mid-pull' ? 25 : 60)}`;
  }

  private delay(): number {
    if (this.burst > 0) return 0;
    const r = this.rng.next();
    if (r < 0.6) return this.rng.int(0, 30);
    if (r < 0.95) return this.rng.int(30, 150);
    return this.rng.int(300, 800);
  }

  next(): PlannedOp {
    const index = this.index;
    const delayMs = this.delay();
    const op = this.choose(index);
    this.index++;
    return { index, delayMs, op };
  }

  private choose(i: number): Op {
    // Devices whose time offline is over come back first.
    for (const [d, at] of this.offline) {
      if (at <= i) {
        this.offline.delete(d);
        return { kind: 'reconnect', device: d };
      }
    }
    if (this.serverUpAt !== null) {
      if (this.serverUpAt <= i) {
        this.serverUpAt = null;
        return { kind: 'serverUp', crashAt: this.crashSpec(0.5) };
      }
    } else if (this.burst > 0) {
      this.burst--;
      if (this.burst === 0) {
        this.nextRestart = this.around(this.settings.restartEvery);
        this.serverUpAt = i + this.rng.int(3, 15);
        return { kind: 'serverDown', mode: this.rng.chance(0.5) ? 'kill' : 'term' };
      }
      return this.send(i);
    } else if (i >= this.nextRestart) {
      // A burst of sends, then the stop lands while some of them are in flight.
      this.burst = this.rng.int(2, 8);
      return this.send(i);
    } else if (i >= this.nextNewDevice && this.newDevices < this.settings.maxNewDevices) {
      this.newDevices++;
      this.nextNewDevice = this.around(this.settings.newDeviceEvery);
      const user = this.rng.int(0, this.settings.users - 1);
      this.deviceUsers.push(user);
      return { kind: 'newDevice', user, device: this.deviceUsers.length - 1 };
    }
    const r = this.rng.next();
    if (r < 0.1 && this.offline.size < Math.floor(this.deviceUsers.length / 3)) {
      const online = this.deviceUsers.map((_, d) => d).filter((d) => !this.offline.has(d));
      const device = this.rng.pick(online);
      const forOps = this.rng.chance(0.25) ? this.rng.int(40, 120) : this.rng.int(1, 10);
      this.offline.set(device, i + forOps);
      return { kind: 'disconnect', device, forOps };
    }
    if (r < 0.13) return { kind: 'reload', device: this.rng.int(0, this.deviceUsers.length - 1) };
    if (r < 0.18) {
      const device = this.rng.int(0, this.deviceUsers.length - 1);
      return { kind: 'scroll', device, peer: this.targetOf(this.deviceUsers[device] ?? 0) };
    }
    if (r < 0.26) {
      const device = this.rng.int(0, this.deviceUsers.length - 1);
      return { kind: 'read', device, peer: this.targetOf(this.deviceUsers[device] ?? 0), back: this.rng.chance(0.15) };
    }
    if (r < 0.30) {
      const device = this.rng.int(0, this.deviceUsers.length - 1);
      return { kind: 'recall', device, peer: this.targetOf(this.deviceUsers[device] ?? 0) };
    }
    return this.send(i);
  }

  private peerOf(user: number): number {
    const peer = this.rng.int(0, this.settings.users - 2);
    return peer >= user ? peer + 1 : peer;
  }

  /** A peer, or the group when the user is in it (with chance `groupShare`). */
  private targetOf(user: number): Target {
    if (groupMembers(this.settings.users).includes(user) && this.rng.chance(this.settings.groupShare)) return 'group';
    return this.peerOf(user);
  }

  private send(i: number): Op {
    const device = this.rng.int(0, this.deviceUsers.length - 1);
    const user = this.deviceUsers[device] ?? 0;
    const peer = this.targetOf(user);
    const to = peer === 'group' ? 'g' : `u${peer}`;
    return { kind: 'send', device, peer, text: `op${i} d${device} u${user}>${to} ${this.rng.int(0, 1e9).toString(36)}` };
  }
}
