/**
 * Presence: `online` while any device of a user is connected and active, `away` while
 * connected but idle on all of them (no input for `AWAY_AFTER_MS`, which the device reports),
 * `offline` otherwise, with when they were last seen. Ephemeral: kept in memory (in Redis when
 * there are several nodes) and pushed, never written to the inbox; only "last seen" is stored,
 * so it survives restarts.
 *
 * A change is pushed to the user's one-to-one peers (whose header shows it); anyone who shares
 * a conversation with the user may ask for it (`presence`).
 */
import { AWAY_AFTER_MS, type Presence, type PresenceState } from '../../src/protocol';
import type { Storage } from '../storage/storage';

export type PresencePush = (presence: Presence, toUserIds: readonly string[]) => void;

/** What a change did to a user's presence across every node. */
export interface PresenceChange {
  before: PresenceState;
  after: PresenceState;
}

export type ConnectionChange = 'connect' | 'disconnect' | 'active' | 'idle';

/**
 * Where connections are counted: this process's memory for one node, Redis for several
 * (`server/scale/redis-presence.ts`), so a user connected to any node shows online on all.
 */
export interface PresenceBook {
  change(userId: string, connectionId: string, change: ConnectionChange): Promise<PresenceChange>;
  states(userIds: readonly string[]): Promise<Map<string, PresenceState>>;
  close(): Promise<void>;
}

/** Online if any connection is active, away if all are idle, offline with none. */
export function stateOf(connections: Iterable<boolean>): PresenceState {
  let any = false;
  for (const active of connections) {
    if (active) return 'online';
    any = true;
  }
  return any ? 'away' : 'offline';
}

export class MemoryPresenceBook implements PresenceBook {
  /** userId → connectionId → active. */
  private readonly connections = new Map<string, Map<string, boolean>>();

  async change(userId: string, connectionId: string, change: ConnectionChange): Promise<PresenceChange> {
    const conns = this.connections.get(userId) ?? new Map<string, boolean>();
    const before = stateOf(conns.values());
    if (change === 'connect') conns.set(connectionId, true);
    else if (change === 'disconnect') conns.delete(connectionId);
    else if (conns.has(connectionId)) conns.set(connectionId, change === 'active');
    if (conns.size > 0) this.connections.set(userId, conns);
    else this.connections.delete(userId);
    return { before, after: stateOf(conns.values()) };
  }

  async states(userIds: readonly string[]): Promise<Map<string, PresenceState>> {
    return new Map(userIds.map((id) => [id, stateOf(this.connections.get(id)?.values() ?? [])]));
  }

  async close(): Promise<void> {}
}

export class PresenceTracker {
  constructor(
    private readonly storage: Storage,
    private readonly push: PresencePush,
    private readonly now: () => number = Date.now,
    private readonly book: PresenceBook = new MemoryPresenceBook(),
  ) {}

  async connected(userId: string, connectionId: string): Promise<void> {
    await this.update(userId, connectionId, 'connect');
  }

  async disconnected(userId: string, connectionId: string): Promise<void> {
    await this.update(userId, connectionId, 'disconnect');
  }

  async activity(userId: string, connectionId: string, active: boolean): Promise<void> {
    await this.update(userId, connectionId, active ? 'active' : 'idle');
  }

  /** Presence of each of `userIds` (the caller has checked they may see it). */
  async get(userIds: readonly string[]): Promise<Presence[]> {
    const [states, seen] = await Promise.all([this.book.states(userIds), this.storage.lastSeen(userIds)]);
    return userIds.map((userId) => ({ userId, state: states.get(userId) ?? 'offline', lastSeenAt: seen.get(userId) ?? null }));
  }

  /** Updates still writing "last seen": a server that stops waits for them before closing its storage. */
  private readonly writing = new Set<Promise<void>>();

  async settle(): Promise<void> {
    await Promise.allSettled([...this.writing]);
  }

  private update(userId: string, connectionId: string, change: ConnectionChange): Promise<void> {
    const work = this.apply(userId, connectionId, change);
    this.writing.add(work);
    const done = () => void this.writing.delete(work);
    work.then(done, done);
    return work;
  }

  private async apply(userId: string, connectionId: string, change: ConnectionChange): Promise<void> {
    const { before, after } = await this.book.change(userId, connectionId, change);
    const now = this.now();
    if (after === 'online') {
      if (before !== 'online') await this.storage.setLastSeen(userId, now);
    } else if (before === 'online') {
      // Going away means no input for AWAY_AFTER_MS: they were last seen that long ago.
      await this.storage.setLastSeen(userId, after === 'away' ? now - AWAY_AFTER_MS : now);
    }
    if (after === before) return;
    const [presence] = await this.get([userId]);
    const peers = await this.storage.directPeers(userId);
    if (presence && peers.length > 0) this.push(presence, peers);
  }
}
