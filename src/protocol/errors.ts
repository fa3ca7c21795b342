/**
 * Error codes every request can answer with. The UI turns a code into words (see
 * `describeError` in the client); logs keep the code. A conversation the caller is not a
 * member of answers `not_found`, exactly like one that does not exist, so membership cannot
 * be probed.
 */
export const ERROR_CODES = [
  'bad_request',
  'unauthorized',
  'not_found',
  'forbidden',
  'rate_limited',
  'username_taken',
  'invalid_credentials',
  'unavailable',
  'internal',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ProtocolError {
  code: ErrorCode;
  message: string;
}

/** A typed error value that crosses the wire as `{code, message}`. */
export class TidingsError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = 'TidingsError';
    this.code = code;
  }
  toWire(): ProtocolError {
    return { code: this.code, message: this.message };
  }
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}
