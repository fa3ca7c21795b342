/**
 * Named loggers (pino). Level policy: `error` = the server could not do what it promised
 * (a bug or a broken dependency); `info` = lifecycle (start, listen, stop, migrations) and
 * security-relevant facts (sign-in, revocation) with ids only; `debug` = per-request detail.
 * Message bodies, passwords and tokens are never logged at any level.
 */
import { pino, type Logger } from 'pino';

let root: Logger | null = null;

/** Short, fixed vocabulary a driver or Node puts on an error: names of things, never values. */
const SAFE_FIELDS = ['code', 'errno', 'syscall', 'severity', 'routine', 'schema', 'table', 'column', 'constraint', 'dataType'] as const;

/**
 * How an error is logged: its class, its code and the fields above, and the stack's frames.
 * Never its message, nor the stack's first line (which repeats the message), nor any other
 * field: a driver's message may quote the values it was given (PostgreSQL's `detail` says
 * `Key (username)=(alice) already exists`, `invalid input syntax for type bigint: "…"`; a
 * SQLite trigger's RAISE can say anything; JSON.parse quotes its input), and those values can
 * be message bodies, names or tokens. The code and the frames are enough to find the fault.
 */
export function safeError(err: unknown, depth = 0): Record<string, unknown> {
  if (!(err instanceof Error)) return { type: err === null ? 'null' : typeof err };
  const fields = err as unknown as Record<string, unknown>;
  const out: Record<string, unknown> = { type: err.constructor.name || err.name };
  for (const k of SAFE_FIELDS) {
    const v = fields[k];
    if (typeof v === 'number' || (typeof v === 'string' && v.length <= 64)) out[k] = v;
  }
  // The stack starts with `Name: message`, and a message may span lines that look like frames:
  // only what follows the message is read (nothing, if the message cannot be found in it).
  const stack = err.stack ?? '';
  const at = err.message ? stack.indexOf(err.message) : 0;
  const tail = at < 0 ? '' : stack.slice(at + err.message.length);
  const frames = tail.split('\n').filter((line) => /^\s+at /.test(line));
  if (frames.length > 0) out.stack = frames.map((f) => f.trim()).join('\n');
  if (err.cause !== undefined && depth < 3) out.cause = safeError(err.cause, depth + 1);
  return out;
}

export function rootLogger(level = process.env.TIDINGS_LOG_LEVEL ?? 'info'): Logger {
  root ??= pino({
    level,
    base: undefined,
    serializers: { err: (err: unknown) => safeError(err) },
    redact: ['token', 'password', 'text', '*.token', '*.password', '*.text'],
  });
  return root;
}

export function logger(name: string): Logger {
  return rootLogger().child({ name });
}
