/**
 * Child process: a real Tidings server (`startServer`) on the temp SQLite file named by
 * `TIDINGS_DATA`, with `2 × argv[2]` accounts created before it reports `ready`, and, when
 * `argv[3]` (a member count M) is given, one more account (the big groups' owner) plus M
 * big-group members.
 *
 * Accounts are made with the server's own `Accounts` service (argon2id hash, device session,
 * token) over the server's storage, not through `POST /api/accounts`: that route is throttled
 * to 20 attempts per minute per client address, and `startServer` does not let a caller
 * change that, so 100 accounts from 127.0.0.1 would take five minutes.
 *
 * The big-group members are too many for that: argon2id costs 20–50 ms per account here, so
 * 5,000 of them would take minutes. They are written straight through the storage interface
 * (`storage.createUser`, `storage.createDevice`), the same two calls `Accounts` makes: each
 * gets its own user row and its own device session with a fresh random token, stored as
 * `hashToken(token)` like a real sign-in, so the socket handshake authenticates them through
 * the normal path. They share one real argon2id password hash (the owner's, same password),
 * computed once, instead of one each.
 */
import { randomBytes } from 'node:crypto';
import { startServer } from '../server/app';
import { configFromEnv } from '../server/config';
import { Accounts, hashToken } from '../server/services/accounts';
import { SqliteStorage } from '../server/storage/sqlite/sqlite-storage';
import { Snowflake } from '../server/util/snowflake';
import { mapLimit } from './concurrency';
import {
  groupOwnerName,
  memberCountFromArgv,
  memberName,
  pairCountFromArgv,
  receiverName,
  reportFailure,
  senderName,
  serveUntilStopped,
  type BenchAccount,
  type ChildMessage,
  type GroupAccounts,
} from './ipc';

const PASSWORD = 'bench-password';

async function main() {
  const pairs = pairCountFromArgv(process.argv);
  const memberCount = memberCountFromArgv(process.argv);
  const config = configFromEnv(process.env);
  const storage = new SqliteStorage(config.dataFile, { inboxFanoutMax: config.inboxFanoutMax });
  const server = await startServer(config, storage);
  serveUntilStopped(() => server.close());

  // A different snowflake node id than the server's, so ids minted here can never collide.
  const ids = new Snowflake((config.nodeId + 1) % 1024);
  const seeder = new Accounts(storage, ids, config.sessionTtlMs);
  const names = Array.from({ length: pairs }, (_, i) => [senderName(i), receiverName(i)]).flat();
  if (memberCount > 0) names.push(groupOwnerName);
  // argon2 runs on the libuv pool; two at a time keeps both cores busy without queueing.
  const accounts = await mapLimit(names, 2, async (username): Promise<BenchAccount> => {
    const session = await seeder.createAccount({ username, password: PASSWORD, deviceName: 'bench' });
    return { username, token: session.token };
  });

  let group: GroupAccounts | undefined;
  if (memberCount > 0) {
    const owner = accounts.pop() as BenchAccount;
    const passwordHash = (await storage.findUserByUsername(owner.username))?.passwordHash;
    if (!passwordHash) throw new Error('the owner account was not stored');
    const members: BenchAccount[] = [];
    for (let i = 0; i < memberCount; i++) {
      const username = memberName(i);
      const now = Date.now();
      const userId = ids.next();
      await storage.createUser({ id: userId, username, displayName: username, passwordHash, createdAt: now });
      const token = randomBytes(32).toString('base64url');
      await storage.createDevice({
        id: ids.next(),
        userId,
        name: 'bench',
        tokenHash: hashToken(token),
        createdAt: now,
        lastActiveAt: now,
        expiresAt: now + config.sessionTtlMs,
        revokedAt: null,
      });
      members.push({ username, token });
    }
    group = { owner, members };
  }
  process.send?.({ type: 'ready', url: server.url, accounts, ...(group ? { group } : {}) } satisfies ChildMessage);
}

main().catch(reportFailure);
