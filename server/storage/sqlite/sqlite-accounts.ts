/**
 * People on the embedded storage: users, the devices they sign in on (each a revocable,
 * expiring session), and the stored part of presence ("last seen", and who may see whose).
 */
import type Database from 'better-sqlite3';
import { TidingsError, type UserPublic } from '../../../src/protocol';
import type { Delivery, DeviceRecord, UserRecord } from '../storage';
import { toDevice, type DeviceRow } from './sqlite-rows';
import type { SqliteStorage } from './sqlite-storage';

const statements = (db: Database.Database) => ({
  insertUser: db.prepare(
    'INSERT INTO users (id, username, display_name, password_hash, created_at) VALUES (?, ?, ?, ?, ?)',
  ),
  userByName: db.prepare('SELECT id, username, display_name, password_hash, created_at FROM users WHERE username = ?'),
  insertDevice: db.prepare(
    'INSERT INTO devices (id, user_id, name, token_hash, created_at, last_active_at, expires_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  ),
  deviceByToken: db.prepare(
    'SELECT * FROM devices WHERE token_hash = ? AND revoked_at IS NULL AND expires_at > ?',
  ),
  deviceById: db.prepare('SELECT * FROM devices WHERE id = ?'),
  touchDevice: db.prepare('UPDATE devices SET last_active_at = ? WHERE id = ?'),
  revokeDevice: db.prepare('UPDATE devices SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL'),
  setDisplayName: db.prepare('UPDATE users SET display_name = ? WHERE id = ? AND display_name <> ?'),
  /** The user and everyone who shares a current conversation with them. */
  audience: db.prepare(
    `SELECT DISTINCT other.user_id FROM user_conversations mine
     JOIN user_conversations other ON other.conversation_id = mine.conversation_id AND other.left_seq IS NULL
     WHERE mine.user_id = ? AND mine.left_seq IS NULL
     UNION SELECT ? ORDER BY 1`,
  ),
  renameDevice: db.prepare('UPDATE devices SET name = ? WHERE id = ? AND user_id = ? AND revoked_at IS NULL AND expires_at > ?'),
});

export class SqliteAccounts {
  private readonly stmt: ReturnType<typeof statements>;

  constructor(
    private readonly s: SqliteStorage,
    db: Database.Database,
  ) {
    this.stmt = statements(db);
  }

  createUser(u: UserRecord): void {
    try {
      this.stmt.insertUser.run(u.id, u.username, u.displayName, u.passwordHash, u.createdAt);
    } catch (err) {
      if (err instanceof Error && 'code' in err && err.code === 'SQLITE_CONSTRAINT_UNIQUE') {
        throw new TidingsError('username_taken', 'That user name is taken.');
      }
      throw err;
    }
  }

  findUserByUsername(username: string): UserRecord | null {
    const r = this.stmt.userByName.get(username) as
      | { id: string; username: string; display_name: string; password_hash: string; created_at: number }
      | undefined;
    return r
      ? { id: r.id, username: r.username, displayName: r.display_name, passwordHash: r.password_hash, createdAt: r.created_at }
      : null;
  }

  users(ids: readonly string[]): UserPublic[] {
    if (ids.length === 0) return [];
    const unique = [...new Set(ids)];
    const rows = this.s.all<{ id: string; username: string; display_name: string }>(
      `SELECT id, username, display_name FROM users WHERE id IN (${unique.map(() => '?').join(',')})`,
      ...unique,
    );
    return rows.map((r) => ({ id: r.id, username: r.username, displayName: r.display_name }));
  }

  createDevice(d: DeviceRecord & { tokenHash: string }): void {
    this.stmt.insertDevice.run(d.id, d.userId, d.name, d.tokenHash, d.createdAt, d.lastActiveAt, d.expiresAt, d.revokedAt);
  }

  findActiveDeviceByTokenHash(tokenHash: string, now: number): DeviceRecord | null {
    const r = this.stmt.deviceByToken.get(tokenHash, now) as DeviceRow | undefined;
    return r ? toDevice(r) : null;
  }

  getDevice(id: string): DeviceRecord | null {
    const r = this.stmt.deviceById.get(id) as DeviceRow | undefined;
    return r ? toDevice(r) : null;
  }

  touchDevice(id: string, now: number): void {
    this.stmt.touchDevice.run(now, id);
  }

  revokeDevice(id: string, now: number): void {
    this.stmt.revokeDevice.run(now, id);
  }

  setDisplayName(input: { userId: string; displayName: string; now: number }): { user: UserPublic; deliveries: Delivery[] } {
    return this.s.transaction(() => {
      const { changes } = this.stmt.setDisplayName.run(input.displayName, input.userId, input.displayName);
      const [user] = this.users([input.userId]);
      if (!user) throw new TidingsError('unauthorized', 'Unknown user.');
      if (changes === 0) return { user, deliveries: [] };
      const audience = (this.stmt.audience.all(input.userId, input.userId) as { user_id: string }[]).map((r) => r.user_id);
      const deliveries = audience.map((userId) => ({
        userId,
        entry: { pts: this.s.appendInbox(userId, 'user', '', null, { userId: input.userId }, input.now), event: { type: 'user' as const, user } },
      }));
      return { user, deliveries };
    });
  }

  /** Renames one of the user's signed-in devices; any other id is not_found and changes nothing. */
  renameDevice(input: { userId: string; deviceId: string; name: string; now: number }): void {
    const { changes } = this.stmt.renameDevice.run(input.name, input.deviceId, input.userId, input.now);
    if (changes === 0) throw new TidingsError('not_found', 'No such device.');
  }

  activeDevices(userId: string, now: number): DeviceRecord[] {
    return this.s.all<DeviceRow>(
      'SELECT * FROM devices WHERE user_id = ? AND revoked_at IS NULL AND expires_at > ? ORDER BY last_active_at DESC, id',
      userId,
      now,
    ).map(toDevice);
  }

  directPeers(userId: string): string[] {
    return this.s.all<{ user_id: string }>(
      `SELECT DISTINCT other.user_id FROM user_conversations mine
       JOIN conversations c ON c.id = mine.conversation_id AND c.kind = 'direct'
       JOIN user_conversations other ON other.conversation_id = mine.conversation_id AND other.user_id <> mine.user_id
       WHERE mine.user_id = ?`,
      userId,
    ).map((r) => r.user_id);
  }

  sharingWith(userId: string, others: readonly string[]): string[] {
    if (others.length === 0) return [];
    const unique = [...new Set(others)];
    return this.s.all<{ user_id: string }>(
      `SELECT DISTINCT other.user_id FROM user_conversations mine
       JOIN user_conversations other ON other.conversation_id = mine.conversation_id
       WHERE mine.user_id = ? AND mine.left_seq IS NULL AND other.left_seq IS NULL
         AND other.user_id IN (${unique.map(() => '?').join(',')})`,
      userId,
      ...unique,
    ).map((r) => r.user_id);
  }

  lastSeen(userIds: readonly string[]): Map<string, number> {
    if (userIds.length === 0) return new Map();
    const unique = [...new Set(userIds)];
    const rows = this.s.all<{ id: string; last_seen_at: number | null }>(
      `SELECT id, last_seen_at FROM users WHERE id IN (${unique.map(() => '?').join(',')}) AND last_seen_at IS NOT NULL`,
      ...unique,
    );
    return new Map(rows.map((r) => [r.id, r.last_seen_at ?? 0]));
  }

  setLastSeen(userId: string, at: number): void {
    this.s.run('UPDATE users SET last_seen_at = MAX(COALESCE(last_seen_at, 0), ?) WHERE id = ?', at, userId);
  }
}
