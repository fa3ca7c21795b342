/**
 * `npm start`: the server on an embedded SQLite file (or PostgreSQL with TIDINGS_DATABASE_URL),
 * serving the built web client.
 */
import { configFromEnv, describeData } from './config';
import { startServer } from './app';
import { logger } from './log';

const log = logger('main');
const config = configFromEnv();
const server = await startServer(config);
// Printed plainly as well as logged, so a person sees where to go.
console.log(`\n  Tidings is running at ${server.url}\n  data: ${describeData(config)}\n`);

let stopping = false;
const stop = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, 'stopping');
  await server.close();
  process.exit(0);
};
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
