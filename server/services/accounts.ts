/**
 * Accounts and device sessions. Passwords are hashed with argon2id using OWASP's recommended
 * parameters (19 MiB memory, 2 iterations, 1 lane). Every sign-in is a device with its own
 * random session token; the server stores only the token's SHA-256.
 */
import { hash, verify } from '@node-rs/argon2';
import { createHash, randomBytes } from 'node:crypto';
import { TidingsError, type Session } from '../../src/protocol';
import type { DeviceRecord, Storage } from '../storage/storage';
import type { Snowflake } from '../util/snowflake';

const ARGON2_OWASP = { algorithm: 2 /* Algorithm.Argon2id (a const enum) */, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const hashToken = (token: string) => createHash('sha256').update(token).digest('base64url');

// Verifying against a real hash when the user does not exist keeps the timing the same, so
// response time does not tell which user names exist.
let dummyHash: Promise<string> | null = null;

export class Accounts {
  constructor(
    private readonly storage: Storage,
    private readonly ids: Snowflake,
    private readonly sessionTtlMs: number,
  ) {}

  async createAccount(input: { username: string; password: string; displayName?: string | undefined; deviceName: string }): Promise<Session> {
    if (await this.storage.findUserByUsername(input.username)) {
      throw new TidingsError('username_taken', 'That user name is taken.');
    }
    const now = Date.now();
    const user = {
      id: this.ids.next(),
      username: input.username,
      displayName: input.displayName?.trim() || input.username,
      passwordHash: await hash(input.password, ARGON2_OWASP),
      createdAt: now,
    };
    await this.storage.createUser(user);
    return this.newSession(user, input.deviceName, now);
  }

  async signIn(input: { username: string; password: string; deviceName: string }): Promise<Session> {
    const user = await this.storage.findUserByUsername(input.username);
    dummyHash ??= hash('not a password', ARGON2_OWASP);
    const ok = await verify(user?.passwordHash ?? (await dummyHash), input.password);
    if (!user || !ok) throw new TidingsError('invalid_credentials', 'Wrong user name or password.');
    return this.newSession(user, input.deviceName, Date.now());
  }

  /** The device behind a session token, or an `unauthorized` error. */
  async authenticate(token: string): Promise<DeviceRecord> {
    const device = await this.storage.findActiveDeviceByTokenHash(hashToken(token), Date.now());
    if (!device) throw new TidingsError('unauthorized', 'Your session has ended. Sign in again.');
    return device;
  }

  async signOut(deviceId: string): Promise<void> {
    await this.storage.revokeDevice(deviceId, Date.now());
  }

  private async newSession(user: { id: string; username: string; displayName: string }, deviceName: string, now: number): Promise<Session> {
    const token = randomBytes(32).toString('base64url');
    const deviceId = this.ids.next();
    await this.storage.createDevice({
      id: deviceId,
      userId: user.id,
      name: deviceName,
      tokenHash: hashToken(token),
      createdAt: now,
      lastActiveAt: now,
      expiresAt: now + this.sessionTtlMs,
      revokedAt: null,
    });
    return { token, deviceId, user: { id: user.id, username: user.username, displayName: user.displayName } };
  }
}
