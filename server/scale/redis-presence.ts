/**
 * Presence across nodes: each user's connections live in one Redis hash (field
 * `<node>/<connection>`, value 1 active or 0 idle), changed and read back in one atomic script,
 * so every node computes the same state. A node keeps a heartbeat key alive; the connections
 * of a node whose heartbeat expired (it crashed without saying goodbye) no longer count and
 * are dropped when next seen.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { PresenceState } from '../../src/protocol';
import { stateOf, type ConnectionChange, type PresenceBook, type PresenceChange } from '../services/presence';

const HEARTBEAT_MS = 5_000;
/** A node missing this many heartbeats is gone. */
const NODE_TTL_MS = 3 * HEARTBEAT_MS;

/** Before, the change, after: returns the hash before and after as flat [field, value, …] lists. */
const CHANGE = `
local before = redis.call('HGETALL', KEYS[1])
if ARGV[2] == 'connect' then redis.call('HSET', KEYS[1], ARGV[1], '1')
elseif ARGV[2] == 'disconnect' then redis.call('HDEL', KEYS[1], ARGV[1])
elseif redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 then redis.call('HSET', KEYS[1], ARGV[1], ARGV[3]) end
return {before, redis.call('HGETALL', KEYS[1])}
`;

export class RedisPresenceBook implements PresenceBook {
  /** This process, as its connections are named in Redis. */
  readonly node = randomUUID();
  private readonly heartbeat: ReturnType<typeof setInterval>;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {
    void this.beat();
    this.heartbeat = setInterval(() => void this.beat(), HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  async change(userId: string, connectionId: string, change: ConnectionChange): Promise<PresenceChange> {
    const [before, after] = (await this.redis.eval(
      CHANGE,
      1,
      this.userKey(userId),
      `${this.node}/${connectionId}`,
      change,
      change === 'active' ? '1' : '0',
    )) as [string[], string[]];
    const fields = { before: pairs(before), after: pairs(after) };
    const live = await this.liveNodes([...fields.before, ...fields.after].map(([field]) => field));
    this.dropStale(userId, fields.before, live);
    return { before: stateIn(fields.before, live), after: stateIn(fields.after, live) };
  }

  async states(userIds: readonly string[]): Promise<Map<string, PresenceState>> {
    const unique = [...new Set(userIds)];
    const batch = this.redis.pipeline();
    for (const id of unique) batch.hgetall(this.userKey(id));
    const results = (await batch.exec()) ?? [];
    const hashes = results.map(([, value]) => Object.entries((value ?? {}) as Record<string, string>));
    const live = await this.liveNodes(hashes.flat().map(([field]) => field));
    unique.forEach((id, i) => this.dropStale(id, hashes[i] ?? [], live));
    return new Map(unique.map((id, i) => [id, stateIn(hashes[i] ?? [], live)]));
  }

  async close(): Promise<void> {
    clearInterval(this.heartbeat);
    await this.redis.del(this.nodeKey(this.node)).catch(() => undefined);
  }

  /** Forgets the connections of nodes that are gone (a change keeps all but its own field). */
  private dropStale(userId: string, fields: [string, string][], live: ReadonlySet<string>): void {
    const stale = fields.filter(([field]) => !live.has(nodeOf(field))).map(([field]) => field);
    if (stale.length > 0) void this.redis.hdel(this.userKey(userId), ...stale).catch(() => undefined);
  }

  private async liveNodes(fields: string[]): Promise<Set<string>> {
    const nodes = [...new Set(fields.map(nodeOf))];
    if (nodes.length === 0) return new Set();
    const alive = await this.redis.mget(nodes.map((n) => this.nodeKey(n)));
    return new Set(nodes.filter((_, i) => alive[i] !== null));
  }

  private async beat(): Promise<void> {
    await this.redis.set(this.nodeKey(this.node), '1', 'PX', NODE_TTL_MS).catch(() => undefined);
  }

  private userKey(userId: string): string {
    return `${this.prefix}:presence:${userId}`;
  }

  private nodeKey(node: string): string {
    return `${this.prefix}:node:${node}`;
  }
}

const nodeOf = (field: string): string => field.slice(0, field.indexOf('/'));

/** The state the connections of live nodes make. */
const stateIn = (fields: [string, string][], live: ReadonlySet<string>): PresenceState =>
  stateOf(fields.filter(([field]) => live.has(nodeOf(field))).map(([, value]) => value === '1'));

function pairs(flat: string[]): [string, string][] {
  const out: [string, string][] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) out.push([flat[i] as string, flat[i + 1] as string]);
  return out;
}
