/**
 * Accounts, sessions and the socket handshake against a real server: typed `{code, message}`
 * errors with their HTTP status, a token accepted only in the handshake's `auth`, and a
 * signed-out session that can no longer connect.
 */
import { verify } from '@node-rs/argon2';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SessionSchema } from '../../src/protocol';
import { createAccount, DEFAULT_PASSWORD, errorBody, httpCall, signIn, signOut } from '../support/http';
import { connectRefused, connectWith, handshakeAuth } from '../support/socket-client';
import { countRows, Harness, type TestServer } from '../support/test-server';

const h = new Harness();
let server: TestServer;

beforeAll(async () => {
  server = await h.start();
});
afterAll(() => h.close());

// The sign-up/sign-in throttle allows 20 attempts a minute per address on one server. The
// tests on `server` make 20 (a request refused before the throttle, such as unparseable JSON
// or a foreign origin, does not count); [AUTH-12] and [AUTH-15] run on their own servers.

describe('accounts over HTTP', () => {
  it('[AUTH-1] creating an account answers 201 with a session: token, device id and the public user', async () => {
    const res = await httpCall(server.url, 'POST', '/api/accounts', {
      json: { username: 'Alice', password: DEFAULT_PASSWORD, displayName: '  Alice A.  ', deviceName: 'laptop' },
    });
    expect(res.status).toBe(201);
    const session = SessionSchema.parse(res.body);
    // User names are case-insensitive (stored lower-case); display names are trimmed.
    expect(session.user).toEqual({ id: expect.any(String), username: 'alice', displayName: 'Alice A.' });
    expect(session.token.length).toBeGreaterThanOrEqual(32);
    expect(JSON.stringify(res.body)).not.toContain(DEFAULT_PASSWORD);
  });

  it('[AUTH-19] the stored password hash is argon2id with OWASP\'s parameters (19 MiB, 2 passes, 1 lane), salted, and verifies the password', async () => {
    const db = new Database(server.config.dataFile, { readonly: true, fileMustExist: true });
    let stored: string;
    try {
      stored = (db.prepare('SELECT password_hash FROM users WHERE username = ?').get('alice') as { password_hash: string }).password_hash;
    } finally {
      db.close();
    }
    // PHC string: algorithm, version 0x13, m in KiB, t, p; a 16-byte salt and a 32-byte hash (base64, no padding).
    expect(stored).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    expect(stored).not.toContain(DEFAULT_PASSWORD);
    expect(await verify(stored, DEFAULT_PASSWORD)).toBe(true);
    expect(await verify(stored, `${DEFAULT_PASSWORD}!`)).toBe(false);
  });

  it('[AUTH-2] without a display name the user name is shown', async () => {
    const s = await createAccount(server.url, 'bob');
    expect(s.user.displayName).toBe('bob');
  });

  it('[AUTH-3] signing in starts a new device session for the same user', async () => {
    const first = await signIn(server.url, 'alice', { deviceName: 'phone' });
    const second = await signIn(server.url, 'ALICE', { deviceName: 'tablet' });
    expect(first.user).toEqual(second.user);
    expect(first.user.username).toBe('alice');
    expect(first.deviceId).not.toBe(second.deviceId);
    expect(first.token).not.toBe(second.token);
  });

  it('[AUTH-4] a wrong password and an unknown user get the same 401 invalid_credentials', async () => {
    const wrong = await httpCall(server.url, 'POST', '/api/sessions', {
      json: { username: 'alice', password: 'not the password', deviceName: 'x' },
    });
    const unknown = await httpCall(server.url, 'POST', '/api/sessions', {
      json: { username: 'nobody-here', password: 'not the password', deviceName: 'x' },
    });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(errorBody(wrong)).toEqual(errorBody(unknown));
    expect(errorBody(wrong).code).toBe('invalid_credentials');
  });

  it('[AUTH-5] a taken user name (in any case) answers 409 username_taken and creates nothing', async () => {
    const users = countRows(server.config.dataFile, 'users');
    for (const username of ['alice', 'ALICE']) {
      const res = await httpCall(server.url, 'POST', '/api/accounts', {
        json: { username, password: 'another password', deviceName: 'x' },
      });
      expect(res.status).toBe(409);
      expect(errorBody(res).code).toBe('username_taken');
    }
    expect(countRows(server.config.dataFile, 'users')).toBe(users);
  });

  it('[AUTH-6] bad bodies answer 400 bad_request with a message and create nothing', async () => {
    const before = { users: countRows(server.config.dataFile, 'users'), devices: countRows(server.config.dataFile, 'devices') };
    const good = { username: 'carol', password: DEFAULT_PASSWORD, deviceName: 'x' };
    const bodies: { label: string; init: Parameters<typeof httpCall>[3] }[] = [
      { label: 'missing password', init: { json: { username: 'carol', deviceName: 'x' } } },
      { label: 'extra key', init: { json: { ...good, admin: true } } },
      { label: 'short password', init: { json: { ...good, password: 'short' } } },
      { label: 'bad user name', init: { json: { ...good, username: 'no spaces allowed' } } },
      { label: 'wrong type', init: { json: { ...good, username: 42 } } },
      { label: 'not JSON', init: { rawBody: '{"username": ', headers: { 'content-type': 'application/json' } } },
      { label: 'too large', init: { json: { ...good, displayName: 'x'.repeat(20_000) } } },
    ];
    for (const { label, init } of bodies) {
      const res = await httpCall(server.url, 'POST', '/api/accounts', init);
      expect(res.status, label).toBe(400);
      const e = errorBody(res);
      expect(e.code, label).toBe('bad_request');
      expect(e.message.length, label).toBeGreaterThan(0);
    }
    const signInRes = await httpCall(server.url, 'POST', '/api/sessions', { json: { username: 'alice', password: DEFAULT_PASSWORD } });
    expect(signInRes.status).toBe(400);
    expect(errorBody(signInRes).code).toBe('bad_request');
    expect({ users: countRows(server.config.dataFile, 'users'), devices: countRows(server.config.dataFile, 'devices') }).toEqual(before);
  });

  it('[AUTH-12] sign-up and sign-in are throttled per address: 429 rate_limited', async () => {
    const own = await h.start();
    const answers: number[] = [];
    for (let i = 0; i < 21; i++) answers.push((await httpCall(own.url, 'POST', '/api/sessions', { json: {} })).status);
    expect(answers.slice(0, 20).every((s) => s === 400)).toBe(true);
    const limited = await httpCall(own.url, 'POST', '/api/accounts', { json: {} });
    expect(limited.status).toBe(429);
    expect(errorBody(limited).code).toBe('rate_limited');
    await h.stop(own);
  });
});

describe('races and origins', () => {
  it('[AUTH-15] two sign-ups racing for one name: exactly one gets it, the other 409 username_taken', async () => {
    const own = await h.start();
    const body = { username: 'racer', password: DEFAULT_PASSWORD, deviceName: 'x' };
    const answers = await Promise.all([
      httpCall(own.url, 'POST', '/api/accounts', { json: body }),
      httpCall(own.url, 'POST', '/api/accounts', { json: { ...body, username: 'RACER' } }),
    ]);
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409]);
    expect(errorBody(answers.find((a) => a.status === 409)!).code).toBe('username_taken');
    expect(countRows(own.config.dataFile, 'users')).toBe(1);
    await h.stop(own);
  });

  it('[AUTH-16] a page from another origin can neither call the API nor open a socket, even with a valid token', async () => {
    const res = await httpCall(server.url, 'POST', '/api/sessions', {
      json: { username: 'alice', password: DEFAULT_PASSWORD, deviceName: 'evil' },
      headers: { origin: 'http://evil.example' },
    });
    expect(res.status).toBe(403);
    expect(errorBody(res).code).toBe('unauthorized');
    const { token } = await signIn(server.url, 'alice', { deviceName: 'browser' });
    await connectRefused(server.url, { auth: handshakeAuth(token), extraHeaders: { origin: 'http://evil.example' } });
    // The same token from the server's own origin is fine.
    const ok = await connectWith(server.url, { auth: handshakeAuth(token), extraHeaders: { origin: server.url } });
    expect(ok.socket.connected).toBe(true);
    ok.close();
  });

  it('[AUTH-18] a request naming another host (DNS rebinding) is refused even when its Origin matches; configured public names pass', async () => {
    const port = new URL(server.url).port;
    const rebound = { host: `evil.example:${port}`, origin: `http://evil.example:${port}` };
    const res = await httpCall(server.url, 'POST', '/api/sessions', {
      json: { username: 'alice', password: DEFAULT_PASSWORD, deviceName: 'rebound' },
      headers: rebound,
    });
    expect(res.status).toBe(403);
    expect(errorBody(res).code).toBe('unauthorized');
    const { token } = await signIn(server.url, 'alice', { deviceName: 'browser' });
    await connectRefused(server.url, { auth: handshakeAuth(token), extraHeaders: rebound });
    // A server behind a proxy answers to the names it is told, besides its own loopback names.
    const proxied = await h.start({ publicHosts: ['chat.example.org'] });
    await createAccount(proxied.url, 'carol');
    const ownPort = new URL(proxied.url).port;
    const local = await httpCall(proxied.url, 'POST', '/api/sessions', {
      json: { username: 'carol', password: DEFAULT_PASSWORD, deviceName: 'local' },
      headers: { host: `localhost:${ownPort}`, origin: `http://localhost:${ownPort}` },
    });
    expect(local.status).toBe(201);
    const named = await httpCall(proxied.url, 'POST', '/api/sessions', {
      json: { username: 'carol', password: DEFAULT_PASSWORD, deviceName: 'proxied' },
      headers: { host: 'chat.example.org', origin: 'https://chat.example.org' },
    });
    expect(named.status).toBe(201);
    await h.stop(proxied);
  });
});

describe('socket handshake', () => {
  let token: string;
  beforeAll(async () => {
    token = (await signIn(server.url, 'bob')).token;
  });

  it('[AUTH-7] a handshake with a valid token in `auth` is accepted and the socket acts as its user', async () => {
    const client = await h.connect(server, token);
    const boot = await client.request({ type: 'bootstrap' });
    expect(boot.users.map((u) => u.username)).toEqual(['bob']);
  });

  it('[AUTH-8] a handshake without a token is refused with unauthorized', async () => {
    expect(await connectRefused(server.url, {})).toMatchObject({ code: 'unauthorized' });
    expect(await connectRefused(server.url, { auth: { protocol: 1 } })).toMatchObject({ code: 'unauthorized' });
  });

  it('[AUTH-9] a handshake with an unknown or malformed token is refused with unauthorized', async () => {
    expect(await connectRefused(server.url, { auth: handshakeAuth('A'.repeat(43)) })).toMatchObject({ code: 'unauthorized' });
    expect(await connectRefused(server.url, { auth: handshakeAuth('short') })).toMatchObject({ code: 'unauthorized' });
    expect(await connectRefused(server.url, { auth: { token: 42, protocol: 1 } })).toMatchObject({ code: 'unauthorized' });
    // Right token, wrong protocol version or extra keys: refused as well.
    expect(await connectRefused(server.url, { auth: { token, protocol: 2 } })).toMatchObject({ code: 'unauthorized' });
    expect(await connectRefused(server.url, { auth: { token } })).toMatchObject({ code: 'unauthorized' });
    expect(await connectRefused(server.url, { auth: { ...handshakeAuth(token), userId: '1' } })).toMatchObject({ code: 'unauthorized' });
  });

  it('[AUTH-10] a token in the URL query or an Authorization header does not authenticate a socket', async () => {
    expect(await connectRefused(server.url, { query: { token } })).toMatchObject({ code: 'unauthorized' });
    expect(await connectRefused(server.url, { extraHeaders: { authorization: `Bearer ${token}` } })).toMatchObject({
      code: 'unauthorized',
    });
  });
});

describe('signing out', () => {
  it('[AUTH-11] a revoked session can no longer connect; the user\'s other sessions still can', async () => {
    const keep = await signIn(server.url, 'alice', { deviceName: 'desktop' });
    const gone = await signIn(server.url, 'alice', { deviceName: 'lost phone' });
    expect(await signOut(server.url, gone.token)).toEqual({ status: 204, body: null });
    expect(await connectRefused(server.url, { auth: handshakeAuth(gone.token) })).toMatchObject({ code: 'unauthorized' });
    const still = await h.connect(server, keep.token);
    expect((await still.request({ type: 'bootstrap' })).users[0]?.username).toBe('alice');
    // Signing out again with the dead token is itself unauthorized.
    const again = await signOut(server.url, gone.token);
    expect(again.status).toBe(401);
    expect(errorBody(again).code).toBe('unauthorized');
  });

  it('[AUTH-13] a revoked session\'s open socket is told so and disconnected at once', async () => {
    const device = await signIn(server.url, 'bob', { deviceName: 'shared computer' });
    const client = await h.connect(server, device.token);
    expect((await signOut(server.url, device.token)).status).toBe(204);
    await client.waitUntil(() => client.revokedWith !== null, 'the revoked event');
    expect(client.revokedWith).toMatchObject({ code: 'unauthorized' });
    expect(await client.disconnected()).toBe('io server disconnect');
  });

  it('[AUTH-14] signing out needs `Authorization: Bearer <token>`', async () => {
    const none = await httpCall(server.url, 'DELETE', '/api/sessions/current');
    expect(none.status).toBe(401);
    expect(errorBody(none).code).toBe('unauthorized');
    const basic = await httpCall(server.url, 'DELETE', '/api/sessions/current', { headers: { authorization: 'Basic YWxpY2U6cHc=' } });
    expect(basic.status).toBe(401);
  });
});
