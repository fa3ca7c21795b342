/**
 * People in storage: users, the devices they sign in on (each a revocable, expiring session),
 * and the stored part of presence ("last seen", and who may see whose).
 */
import { TidingsError, type UserPublic } from '../../../src/protocol';
import { isUniqueViolation, placeholders } from '../sql/sql-db';
import type { Delivery, DeviceRecord, UserRecord } from '../storage';
import { toDevice, type DeviceRow } from './rows';
import type { SqlStorage } from './sql-storage';

const SQL = {
  insertUser: 'INSERT INTO users (id, username, display_name, password_hash, created_at) VALUES (?, ?, ?, ?, ?)',
  userByName: 'SELECT id, username, display_name, password_hash, created_at FROM users WHERE username = ?',
  insertDevice:
    'INSERT INTO devices (id, user_id, name, token_hash, created_at, last_active_at, expires_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  deviceByToken: 'SELECT * FROM devices WHERE token_hash = ? AND revoked_at IS NULL AND expires_at > ?',
  deviceById: 'SELECT * FROM devices WHERE id = ?',
  touchDevice: 'UPDATE devices SET last_active_at = ? WHERE id = ?',
  revokeDevice: 'UPDATE devices SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL',
  setDisplayName: 'UPDATE users SET display_name = ? WHERE id = ? AND display_name <> ?',
  /** The user and everyone who shares a current conversation with them. */
  audience: `SELECT DISTINCT other.user_id FROM user_conversations mine
     JOIN user_conversations other ON other.conversation_id = mine.conversation_id AND other.left_seq IS NULL
     WHERE mine.user_id = ? AND mine.left_seq IS NULL
     UNION SELECT ? ORDER BY 1`,
  renameDevice: 'UPDATE devices SET name = ? WHERE id = ? AND user_id = ? AND revoked_at IS NULL AND expires_at > ?',
} as const;

export class SqlAccounts {
  constructor(private readonly s: SqlStorage) {}

  async createUser(u: UserRecord): Promise<void> {
    try {
      await this.s.run(SQL.insertUser, u.id, u.username, u.displayName, u.passwordHash, u.createdAt);
    } catch (err) {
      if (isUniqueViolation(err)) throw new TidingsError('username_taken', 'That user name is taken.');
      throw err;
    }
  }

  async findUserByUsername(username: string): Promise<UserRecord | null> {
    const r = await this.s.firstRow<{ id: string; username: string; display_name: string; password_hash: string; created_at: number }>(
      SQL.userByName,
      username,
    );
    return r
      ? { id: r.id, username: r.username, displayName: r.display_name, passwordHash: r.password_hash, createdAt: r.created_at }
      : null;
  }

  async users(ids: readonly string[]): Promise<UserPublic[]> {
    if (ids.length === 0) return [];
    const unique = [...new Set(ids)];
    const rows = await this.s.all<{ id: string; username: string; display_name: string }>(
      `SELECT id, username, display_name FROM users WHERE id IN (${placeholders(unique.length)})`,
      ...unique,
    );
    return rows.map((r) => ({ id: r.id, username: r.username, displayName: r.display_name }));
  }

  async createDevice(d: DeviceRecord & { tokenHash: string }): Promise<void> {
    await this.s.run(SQL.insertDevice, d.id, d.userId, d.name, d.tokenHash, d.createdAt, d.lastActiveAt, d.expiresAt, d.revokedAt);
  }

  async findActiveDeviceByTokenHash(tokenHash: string, now: number): Promise<DeviceRecord | null> {
    const r = await this.s.firstRow<DeviceRow>(SQL.deviceByToken, tokenHash, now);
    return r ? toDevice(r) : null;
  }

  async getDevice(id: string): Promise<DeviceRecord | null> {
    const r = await this.s.firstRow<DeviceRow>(SQL.deviceById, id);
    return r ? toDevice(r) : null;
  }

  async touchDevice(id: string, now: number): Promise<void> {
    await this.s.run(SQL.touchDevice, now, id);
  }

  async revokeDevice(id: string, now: number): Promise<void> {
    await this.s.run(SQL.revokeDevice, now, id);
  }

  setDisplayName(input: { userId: string; displayName: string; now: number }): Promise<{ user: UserPublic; deliveries: Delivery[] }> {
    return this.s.transaction(async () => {
      const changes = await this.s.run(SQL.setDisplayName, input.displayName, input.userId, input.displayName);
      const [user] = await this.users([input.userId]);
      if (!user) throw new TidingsError('unauthorized', 'Unknown user.');
      if (changes === 0) return { user, deliveries: [] };
      const audience = (await this.s.all<{ user_id: string }>(SQL.audience, input.userId, input.userId)).map((r) => r.user_id);
      const deliveries: Delivery[] = [];
      for (const userId of audience) {
        const pts = await this.s.appendInbox(userId, 'user', '', null, { userId: input.userId }, input.now);
        deliveries.push({ userId, entry: { pts, event: { type: 'user', user } } });
      }
      return { user, deliveries };
    });
  }

  /** Renames one of the user's signed-in devices; any other id is not_found and changes nothing. */
  async renameDevice(input: { userId: string; deviceId: string; name: string; now: number }): Promise<void> {
    const changes = await this.s.run(SQL.renameDevice, input.name, input.deviceId, input.userId, input.now);
    if (changes === 0) throw new TidingsError('not_found', 'No such device.');
  }

  async activeDevices(userId: string, now: number): Promise<DeviceRecord[]> {
    const rows = await this.s.all<DeviceRow>(
      'SELECT * FROM devices WHERE user_id = ? AND revoked_at IS NULL AND expires_at > ? ORDER BY last_active_at DESC, id',
      userId,
      now,
    );
    return rows.map(toDevice);
  }

  async directPeers(userId: string): Promise<string[]> {
    const rows = await this.s.all<{ user_id: string }>(
      `SELECT DISTINCT other.user_id FROM user_conversations mine
       JOIN conversations c ON c.id = mine.conversation_id AND c.kind = 'direct'
       JOIN user_conversations other ON other.conversation_id = mine.conversation_id AND other.user_id <> mine.user_id
       WHERE mine.user_id = ?`,
      userId,
    );
    return rows.map((r) => r.user_id);
  }

  async sharingWith(userId: string, others: readonly string[]): Promise<string[]> {
    if (others.length === 0) return [];
    const unique = [...new Set(others)];
    const rows = await this.s.all<{ user_id: string }>(
      `SELECT DISTINCT other.user_id FROM user_conversations mine
       JOIN user_conversations other ON other.conversation_id = mine.conversation_id
       WHERE mine.user_id = ? AND mine.left_seq IS NULL AND other.left_seq IS NULL
         AND other.user_id IN (${placeholders(unique.length)})`,
      userId,
      ...unique,
    );
    return rows.map((r) => r.user_id);
  }

  async lastSeen(userIds: readonly string[]): Promise<Map<string, number>> {
    if (userIds.length === 0) return new Map();
    const unique = [...new Set(userIds)];
    const rows = await this.s.all<{ id: string; last_seen_at: number | null }>(
      `SELECT id, last_seen_at FROM users WHERE id IN (${placeholders(unique.length)}) AND last_seen_at IS NOT NULL`,
      ...unique,
    );
    return new Map(rows.map((r) => [r.id, r.last_seen_at ?? 0]));
  }

  async setLastSeen(userId: string, at: number): Promise<void> {
    // Only forward (two nodes may report one user's last moment out of order).
    await this.s.run('UPDATE users SET last_seen_at = ? WHERE id = ? AND (last_seen_at IS NULL OR last_seen_at < ?)', at, userId, at);
  }
}
