/**
 * Child process: a real Tidings server (`startServer`) on the temp SQLite file named by
 * `TIDINGS_DATA`, with `2 × argv[2]` accounts created before it reports `ready`.
 *
 * Accounts are made with the server's own `Accounts` service (argon2id hash, device session,
 * token) over the server's storage, not through `POST /api/accounts`: that route is throttled
 * to 20 attempts per minute per client address, and `startServer` does not let a caller
 * change that, so 100 accounts from 127.0.0.1 would take five minutes.
 */
import { startServer } from '../server/app';
import { configFromEnv } from '../server/config';
import { Accounts } from '../server/services/accounts';
import { SqliteStorage } from '../server/storage/sqlite/sqlite-storage';
import { Snowflake } from '../server/util/snowflake';
import { mapLimit } from './concurrency';
import { pairCountFromArgv, receiverName, reportFailure, senderName, serveUntilStopped, type BenchAccount, type ChildMessage } from './ipc';

async function main() {
  const pairs = pairCountFromArgv(process.argv);
  const config = configFromEnv(process.env);
  const storage = new SqliteStorage(config.dataFile);
  const server = await startServer(config, storage);
  serveUntilStopped(() => server.close());

  // A different snowflake node id than the server's, so ids minted here can never collide.
  const seeder = new Accounts(storage, new Snowflake((config.nodeId + 1) % 1024), config.sessionTtlMs);
  const names = Array.from({ length: pairs }, (_, i) => [senderName(i), receiverName(i)]).flat();
  // argon2 runs on the libuv pool; two at a time keeps both cores busy without queueing.
  const accounts = await mapLimit(names, 2, async (username): Promise<BenchAccount> => {
    const session = await seeder.createAccount({ username, password: 'bench-password', deviceName: 'bench' });
    return { username, token: session.token };
  });
  process.send?.({ type: 'ready', url: server.url, accounts } satisfies ChildMessage);
}

main().catch(reportFailure);
