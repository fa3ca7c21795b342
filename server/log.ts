/**
 * Named loggers (pino). Level policy: `error` = the server could not do what it promised
 * (a bug or a broken dependency); `info` = lifecycle (start, listen, stop, migrations) and
 * security-relevant facts (sign-in, revocation) with ids only; `debug` = per-request detail.
 * Message bodies, passwords and tokens are never logged at any level.
 */
import { pino, type Logger } from 'pino';

let root: Logger | null = null;

export function rootLogger(level = process.env.TIDINGS_LOG_LEVEL ?? 'info'): Logger {
  root ??= pino({ level, base: undefined, redact: ['token', 'password', 'text', '*.token', '*.password', '*.text'] });
  return root;
}

export function logger(name: string): Logger {
  return rootLogger().child({ name });
}
