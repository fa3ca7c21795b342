/** The HTTP API as a test calls it: plain `fetch`, answers parsed with the protocol's schemas. */
import { request } from 'node:http';
import { ProtocolErrorSchema, SessionSchema, type ProtocolError, type Session } from '../../src/protocol';


export interface HttpAnswer {
  status: number;
  body: unknown;
}

export async function httpCall(
  baseUrl: string,
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  init: { json?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
): Promise<HttpAnswer> {
  const headers: Record<string, string> = { ...init.headers };
  let body: string | undefined;
  if (init.json !== undefined) {
    headers['content-type'] ??= 'application/json';
    body = JSON.stringify(init.json);
  } else if (init.rawBody !== undefined) {
    body = init.rawBody;
  }
  // fetch ignores a Host header; node:http sends it as given (the DNS-rebinding tests need that).
  if (headers.host !== undefined) return rawRequest(baseUrl, method, path, headers, body);
  const res = await fetch(`${baseUrl}${path}`, { method, headers, body });
  const text = await res.text();
  return { status: res.status, body: text === '' ? null : (JSON.parse(text) as unknown) };
}

function rawRequest(
  baseUrl: string,
  method: string,
  path: string,
  headers: Record<string, string>,
  body: string | undefined,
): Promise<HttpAnswer> {
  const url = new URL(path, baseUrl);
  return new Promise((resolve, reject) => {
    const req = request({ hostname: url.hostname, port: url.port, path: url.pathname, method, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text === '' ? null : (JSON.parse(text) as unknown) }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

export const DEFAULT_PASSWORD = 'correct horse battery';

export async function createAccount(
  baseUrl: string,
  username: string,
  opts: { password?: string; deviceName?: string; displayName?: string } = {},
): Promise<Session> {
  const res = await httpCall(baseUrl, 'POST', '/api/accounts', {
    json: {
      username,
      password: opts.password ?? DEFAULT_PASSWORD,
      deviceName: opts.deviceName ?? `${username}'s first device`,
      ...(opts.displayName === undefined ? {} : { displayName: opts.displayName }),
    },
  });
  if (res.status !== 201) throw new Error(`creating ${username} failed: ${res.status} ${JSON.stringify(res.body)}`);
  return SessionSchema.parse(res.body);
}

/** A second (third, …) device of an existing user: a new session with its own token. */
export async function signIn(
  baseUrl: string,
  username: string,
  opts: { password?: string; deviceName?: string } = {},
): Promise<Session> {
  const res = await httpCall(baseUrl, 'POST', '/api/sessions', {
    json: { username, password: opts.password ?? DEFAULT_PASSWORD, deviceName: opts.deviceName ?? `${username}'s other device` },
  });
  if (res.status !== 201) throw new Error(`signing in ${username} failed: ${res.status} ${JSON.stringify(res.body)}`);
  return SessionSchema.parse(res.body);
}

export async function signOut(baseUrl: string, token: string): Promise<HttpAnswer> {
  return httpCall(baseUrl, 'DELETE', '/api/sessions/current', { headers: { authorization: `Bearer ${token}` } });
}

/** The typed `{code, message}` body of a failed HTTP call. */
export function errorBody(answer: HttpAnswer): ProtocolError {
  const e = ProtocolErrorSchema.parse(answer.body);
  return e as ProtocolError;
}
