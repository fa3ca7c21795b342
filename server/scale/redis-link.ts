/**
 * What several server nodes share through Redis (`TIDINGS_REDIS_URL`): the socket.io adapter,
 * so a push emitted on one node reaches the sockets on every node, and the rate limits that
 * must hold per user or per address whichever node a request lands on. Without Redis (one
 * node) the same limits live in the process's memory.
 */
import { createAdapter } from '@socket.io/redis-adapter';
import { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { logger } from '../log';
import { RedisPresenceBook } from './redis-presence';

const log = logger('redis');

/** A limit of `points` per `duration` seconds, kept under `name`. */
export type LimiterFactory = (name: string, points: number, duration: number) => RateLimiterAbstract;

export const memoryLimiters: LimiterFactory = (_name, points, duration) => new RateLimiterMemory({ points, duration });

export class RedisLink {
  private constructor(
    private readonly pub: Redis,
    private readonly sub: Redis,
    /** Keeps deployments (and test runs) sharing one Redis apart. */
    private readonly prefix: string,
  ) {}

  static async connect(url: string, prefix: string): Promise<RedisLink> {
    const pub = new Redis(url, { lazyConnect: true });
    const sub = pub.duplicate();
    for (const [name, client] of [['pub', pub], ['sub', sub]] as const) {
      client.on('error', (err: unknown) => log.error({ err, client: name }, 'redis connection failed'));
    }
    await Promise.all([pub.connect(), sub.connect()]);
    return new RedisLink(pub, sub, prefix);
  }

  /** The socket.io adapter: rooms, emits and `serverSideEmit` across nodes. */
  adapter(): ReturnType<typeof createAdapter> {
    return createAdapter(this.pub, this.sub, { key: `${this.prefix}:socket.io` });
  }

  /**
   * Limits counted in Redis for every node. If Redis is unreachable for a moment, each node
   * falls back to counting on its own rather than refusing everyone.
   */
  readonly limiters: LimiterFactory = (name, points, duration) =>
    new RateLimiterRedis({
      storeClient: this.pub,
      keyPrefix: `${this.prefix}:limit:${name}`,
      points,
      duration,
      insuranceLimiter: new RateLimiterMemory({ points, duration }),
    });

  /** Presence counted across nodes. */
  presenceBook(): RedisPresenceBook {
    return new RedisPresenceBook(this.pub, this.prefix);
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.pub.quit(), this.sub.quit()]);
  }
}
