/**
 * Presence: `online` while any device of a user is connected and active, `away` while
 * connected but idle on all of them (no input for `AWAY_AFTER_MS`, which the device reports),
 * `offline` otherwise, with when they were last seen. Ephemeral: kept in this process's memory
 * and pushed, never written to the inbox; only "last seen" is stored, so it survives restarts.
 *
 * A change is pushed to the user's one-to-one peers (whose header shows it); anyone who shares
 * a conversation with the user may ask for it (`presence`).
 */
import { AWAY_AFTER_MS, type Presence, type PresenceState } from '../../src/protocol';
import type { Storage } from '../storage/storage';

export type PresencePush = (presence: Presence, toUserIds: readonly string[]) => void;

export class PresenceTracker {
  /** userId → connectionId → active. */
  private readonly connections = new Map<string, Map<string, boolean>>();

  constructor(
    private readonly storage: Storage,
    private readonly push: PresencePush,
    private readonly now: () => number = Date.now,
  ) {}

  stateOf(userId: string): PresenceState {
    const conns = this.connections.get(userId);
    if (!conns || conns.size === 0) return 'offline';
    for (const active of conns.values()) if (active) return 'online';
    return 'away';
  }

  async connected(userId: string, connectionId: string): Promise<void> {
    await this.update(userId, () => {
      const conns = this.connections.get(userId) ?? new Map<string, boolean>();
      conns.set(connectionId, true);
      this.connections.set(userId, conns);
    });
  }

  async disconnected(userId: string, connectionId: string): Promise<void> {
    await this.update(userId, () => {
      const conns = this.connections.get(userId);
      conns?.delete(connectionId);
      if (conns?.size === 0) this.connections.delete(userId);
    });
  }

  async activity(userId: string, connectionId: string, active: boolean): Promise<void> {
    await this.update(userId, () => {
      const conns = this.connections.get(userId);
      if (conns?.has(connectionId)) conns.set(connectionId, active);
    });
  }

  /** Presence of each of `userIds` (the caller has checked they may see it). */
  async get(userIds: readonly string[]): Promise<Presence[]> {
    const seen = await this.storage.lastSeen(userIds);
    return userIds.map((userId) => ({ userId, state: this.stateOf(userId), lastSeenAt: seen.get(userId) ?? null }));
  }

  /** Updates still writing "last seen": a server that stops waits for them before closing its storage. */
  private readonly writing = new Set<Promise<void>>();

  async settle(): Promise<void> {
    await Promise.allSettled([...this.writing]);
  }

  private update(userId: string, change: () => void): Promise<void> {
    const work = this.apply(userId, change);
    this.writing.add(work);
    const done = () => void this.writing.delete(work);
    work.then(done, done);
    return work;
  }

  private async apply(userId: string, change: () => void): Promise<void> {
    const before = this.stateOf(userId);
    change();
    const after = this.stateOf(userId);
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
