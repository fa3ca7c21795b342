/**
 * Logs keep ids and codes, never secrets or bodies: a real server at `debug` level (its
 * most talkative) in a child process sees an account created, a sign-in, a wrong password,
 * messages sent, a bad request and a sign-out; its whole output must not contain the
 * password, the session tokens or the message text. Then its database starts failing every
 * insert of a message with an error that quotes the message (a trigger added beside the running
 * server, a stand-in for a driver error such as PostgreSQL's `Key (…)=(…) already exists` or
 * JSON.parse's, which quote their input): the internal error is logged, by code and stack
 * frames, and the body still appears nowhere.
 */
import Database from 'better-sqlite3';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createAccount, signIn, signOut } from '../support/http';
import { connect, rawRequest } from '../support/socket-client';

const PASSWORD = 'Pw-never-logged-7c1e';
const BODY = 'body-never-logged-93ad';
const FAILING_BODY = 'failing-body-never-logged-5e07';
let child: ChildProcess | null = null;

afterAll(() => {
  child?.kill('SIGKILL');
});

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => resolve(typeof addr === 'object' && addr ? addr.port : 0));
    });
  });
}

describe('logs', () => {
  it('[SEC-LOG-1] no password, token or message body appears in the server output, even at debug level', async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const dataFile = join(mkdtempSync(join(tmpdir(), 'tidings-logs-')), 't.db');
    let output = '';
    child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      env: {
        ...process.env,
        PORT: String(port),
        TIDINGS_DATA: dataFile,
        TIDINGS_WEB_ROOT: '',
        TIDINGS_LOG_LEVEL: 'debug',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    for (let i = 0; i < 200 && !output.includes('listening'); i++) await new Promise((r) => setTimeout(r, 50));
    expect(output).toContain('listening');

    const alice = await createAccount(url, 'alice', { password: PASSWORD });
    const bob = await createAccount(url, 'bob', { password: PASSWORD });
    const again = await signIn(url, 'alice', { password: PASSWORD });
    await signIn(url, 'alice', { password: `${PASSWORD}-wrong` }).catch(() => undefined);
    const a = await connect(url, alice.token);
    const conversationId = (await a.request({ type: 'openDirect', username: 'bob' })).conversation.id;
    await a.send(conversationId, BODY);
    await a.send(conversationId, `${BODY} again`);
    await rawRequest(a.socket, { type: 'send', conversationId, clientMsgId: 'x', text: BODY });
    // From now on every stored message fails with an error whose message is the message's text.
    const db = new Database(dataFile, { fileMustExist: true });
    try {
      db.exec(`CREATE TRIGGER leak_into_errors BEFORE INSERT ON messages BEGIN SELECT RAISE(ABORT, 'rejected: ' || NEW.content); END;`);
    } finally {
      db.close();
    }
    const failed = await rawRequest(a.socket, { type: 'send', conversationId, clientMsgId: randomUUID(), text: FAILING_BODY });
    expect(failed).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(JSON.stringify(failed)).not.toContain(FAILING_BODY);
    a.close();
    await signOut(url, again.token);

    child.kill('SIGTERM');
    await new Promise((r) => child?.once('exit', r));
    // The capture worked: the server did log these events (with ids)…
    expect(output).toContain('account created');
    expect(output).toContain('signed in');
    expect(output).toContain('signed out');
    // The internal error was logged, with what it takes to find it: its code and where it was thrown.
    const failure = output.split('\n').find((l) => l.includes('request failed'));
    expect(failure, 'the internal error is logged').toBeDefined();
    expect(failure).toContain('SQLITE_CONSTRAINT_TRIGGER');
    expect(failure).toMatch(/at .*sql/);
    // …and never the secrets or the bodies.
    for (const secret of [PASSWORD, BODY, FAILING_BODY, alice.token, bob.token, again.token]) {
      expect(output.includes(secret), `the output contains ${secret.slice(0, 6)}…`).toBe(false);
    }
  });
});
