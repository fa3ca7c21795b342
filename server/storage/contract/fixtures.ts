/**
 * Shared fixtures of the storage contract: fixed ids and times (so every backend sees the
 * same data), and the context each part of the suite reads the storage under test through.
 */
import { expect } from 'vitest';
import { directConversationId, TidingsError, type ErrorCode } from '../../../src/protocol';
import type { AppendResult, DeviceRecord, NewMessage, Storage, SyncPage, UserRecord } from '../storage';

export const ALICE = '1001';
export const BOB = '1002';
export const CAROL = '1003';
export const DAN = '1004';
export const EVE = '1005';
export const FRED = '1006';

export const user = (id: string, username: string): UserRecord => ({
  id,
  username,
  displayName: username.toUpperCase(),
  passwordHash: `hash-of-${username}`,
  createdAt: 1_000,
});

export const device = (id: string, userId: string, overrides: Partial<DeviceRecord> = {}): DeviceRecord & { tokenHash: string } => ({
  id,
  userId,
  name: `device ${id}`,
  tokenHash: `token-hash-${id}`,
  createdAt: 1_000,
  lastActiveAt: 1_000,
  expiresAt: 10_000,
  revokedAt: null,
  ...overrides,
});

/** A deterministic UUID for message number `n`. */
export const uuid = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

export async function expectCode(promise: Promise<unknown>, code: ErrorCode): Promise<void> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err, `expected a ${code} error`).toBeInstanceOf(TidingsError);
  expect((err as TidingsError).code).toBe(code);
}

export const okPage = (page: SyncPage) => {
  if (page.status !== 'ok') throw new Error(`expected an ok page, got ${page.status}`);
  return page;
};


export interface StorageContractContext {
  /** The storage under test: fresh and empty for each test. */
  storage(): Storage;
  /** Alice, Bob and Carol exist; Alice and Bob share a direct conversation opened at t=1000. */
  withConversation(): Promise<{ conversationId: string; opened: { created: boolean; deliveries: AppendResult['deliveries'] } }>;
  /** The next message (ids, clientMsgId and times count up per test; t=2001, 2002, …). */
  newMessage(conversationId: string, senderId: string, overrides?: Partial<NewMessage>): NewMessage;
  sendMany(conversationId: string, count: number, senderId?: string): Promise<AppendResult[]>;
}

export function contractContext(storage: () => Storage, counter: { n: number }): StorageContractContext {
  const newMessage = (conversationId: string, senderId: string, overrides: Partial<NewMessage> = {}): NewMessage => {
    counter.n += 1;
    return {
      msgId: String(900_000 + counter.n),
      conversationId,
      senderId,
      clientMsgId: uuid(counter.n),
      text: `message ${counter.n}`,
      serverTime: 2_000 + counter.n,
      ...overrides,
    };
  };
  return {
    storage,
    newMessage,
    async withConversation() {
      const s = storage();
      for (const [id, n] of [
        [ALICE, 'alice'],
        [BOB, 'bob'],
        [CAROL, 'carol'],
      ] as const) {
        await s.createUser(user(id, n));
      }
      const conversationId = directConversationId(ALICE, BOB);
      const opened = await s.openDirectConversation(conversationId, [ALICE, BOB], 1_000);
      return { conversationId, opened };
    },
    async sendMany(conversationId, count, senderId = ALICE) {
      const out: AppendResult[] = [];
      for (let i = 0; i < count; i++) out.push(await storage().appendMessage(newMessage(conversationId, senderId)));
      return out;
    },
  };
}
