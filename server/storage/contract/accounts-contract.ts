/** Storage contract: users and device sessions. */
import { beforeEach, describe, expect, it } from 'vitest';
import type { Storage } from '../storage';
import { ALICE, BOB, device, expectCode, user, type StorageContractContext } from './fixtures';

export function accountsContract(t: StorageContractContext): void {
  let s: Storage;
  beforeEach(() => {
    s = t.storage();
  });
  // ------------------------------------------------------------------ users

  describe('users', () => {
    it('[STORE-USER-1] createUser stores a user that findUserByUsername returns in full', async () => {
      await s.createUser(user(ALICE, 'alice'));
      expect(await s.findUserByUsername('alice')).toEqual(user(ALICE, 'alice'));
      expect(await s.findUserByUsername('nobody')).toBeNull();
    });

    it('[STORE-USER-2] a second user with a taken name fails with username_taken and changes nothing', async () => {
      await s.createUser(user(ALICE, 'alice'));
      await expectCode(s.createUser({ ...user(BOB, 'alice'), displayName: 'Impostor' }), 'username_taken');
      expect(await s.findUserByUsername('alice')).toEqual(user(ALICE, 'alice'));
      expect(await s.getUsers([BOB])).toEqual([]);
    });

    it('[STORE-USER-3] getUsers returns each known user once, public fields only, and skips unknown ids', async () => {
      await s.createUser(user(ALICE, 'alice'));
      await s.createUser(user(BOB, 'bob'));
      const got = await s.getUsers([BOB, ALICE, BOB, '99999']);
      expect([...got].sort((a, b) => a.id.localeCompare(b.id))).toEqual([
        { id: ALICE, username: 'alice', displayName: 'ALICE' },
        { id: BOB, username: 'bob', displayName: 'BOB' },
      ]);
      expect(await s.getUsers([])).toEqual([]);
    });
  });

  // ------------------------------------------------------------------ devices

  describe('devices', () => {
    beforeEach(async () => {
      await s.createUser(user(ALICE, 'alice'));
    });

    it('[STORE-DEV-1] createDevice stores a device that getDevice returns, without its token hash', async () => {
      await s.createDevice(device('5001', ALICE));
      const { tokenHash: _hash, ...record } = device('5001', ALICE);
      expect(await s.getDevice('5001')).toEqual(record);
      expect(await s.getDevice('5999')).toBeNull();
    });

    it('[STORE-DEV-2] findActiveDeviceByTokenHash finds a live session by its token hash only', async () => {
      await s.createDevice(device('5001', ALICE));
      await s.createDevice(device('5002', ALICE));
      expect((await s.findActiveDeviceByTokenHash('token-hash-5002', 5_000))?.id).toBe('5002');
      expect(await s.findActiveDeviceByTokenHash('token-hash-unknown', 5_000)).toBeNull();
    });

    it('[STORE-DEV-3] an expired session is not active (expiry is exclusive)', async () => {
      await s.createDevice(device('5001', ALICE, { expiresAt: 10_000 }));
      expect(await s.findActiveDeviceByTokenHash('token-hash-5001', 9_999)).not.toBeNull();
      expect(await s.findActiveDeviceByTokenHash('token-hash-5001', 10_000)).toBeNull();
      expect(await s.findActiveDeviceByTokenHash('token-hash-5001', 20_000)).toBeNull();
    });

    it('[STORE-DEV-4] revokeDevice ends the session for good; revoking again keeps the first time', async () => {
      await s.createDevice(device('5001', ALICE));
      await s.createDevice(device('5002', ALICE));
      await s.revokeDevice('5001', 3_000);
      expect(await s.findActiveDeviceByTokenHash('token-hash-5001', 3_001)).toBeNull();
      expect((await s.getDevice('5001'))?.revokedAt).toBe(3_000);
      await s.revokeDevice('5001', 4_000);
      expect((await s.getDevice('5001'))?.revokedAt).toBe(3_000);
      // Other devices of the same user are untouched.
      expect((await s.findActiveDeviceByTokenHash('token-hash-5002', 3_001))?.revokedAt).toBeNull();
    });

    it('[STORE-DEV-5] touchDevice records the last activity and nothing else', async () => {
      await s.createDevice(device('5001', ALICE));
      await s.touchDevice('5001', 4_242);
      const { tokenHash: _hash, ...record } = device('5001', ALICE);
      expect(await s.getDevice('5001')).toEqual({ ...record, lastActiveAt: 4_242 });
    });
  });

}
