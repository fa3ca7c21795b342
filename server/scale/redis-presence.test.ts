/** The Redis presence book against a real Redis (CI starts one; skipped locally without it). */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisReachable, TEST_REDIS_URL } from './testing';
import { RedisPresenceBook } from './redis-presence';

const canRun = await redisReachable();
if (!canRun && !process.env.CI) console.warn(`[redis-presence.test] skipped: no Redis at ${TEST_REDIS_URL} (set TIDINGS_TEST_REDIS_URL)`);

describe.skipIf(!canRun && !process.env.CI)('RedisPresenceBook', () => {
  const prefix = `tidings-test-${randomBytes(4).toString('hex')}`;
  let redis: Redis;
  beforeAll(() => {
    if (!canRun) throw new Error(`Redis is unreachable at ${TEST_REDIS_URL}; CI must start it`);
    redis = new Redis(TEST_REDIS_URL);
  });
  afterAll(async () => {
    if (!redis) return;
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });

  it('[SCALE-7] two nodes count one user together; a node that stops beating no longer counts, and its connections are dropped', async () => {
    const one = new RedisPresenceBook(redis, prefix);
    const two = new RedisPresenceBook(redis, prefix);
    try {
      expect(await one.change('u1', 'c1', 'connect')).toEqual({ before: 'offline', after: 'online' });
      expect(await two.change('u1', 'c2', 'connect')).toEqual({ before: 'online', after: 'online' });
      expect(await one.change('u1', 'c1', 'idle')).toEqual({ before: 'online', after: 'online' });
      expect(await two.change('u1', 'c2', 'idle')).toEqual({ before: 'online', after: 'away' });
      // Activity for a connection that is not there changes nothing.
      expect(await two.change('u1', 'nope', 'active')).toEqual({ before: 'away', after: 'away' });
      expect((await one.states(['u1', 'u2'])).get('u2')).toBe('offline');
      // Node two dies: its heartbeat key expires.
      await redis.del(`${prefix}:node:${two.node}`);
      expect((await one.states(['u1'])).get('u1')).toBe('away');
      await expect.poll(async () => redis.hkeys(`${prefix}:presence:u1`)).toEqual([`${one.node}/c1`]);
      expect(await one.change('u1', 'c1', 'disconnect')).toEqual({ before: 'away', after: 'offline' });
    } finally {
      await one.close();
      await two.close();
    }
  });
});
