/**
 * The web client and the API send headers that keep other sites from framing the app
 * (clickjacking), from sniffing content types, and from learning where a link was clicked.
 */
import '../support/quiet-logs';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Harness, type TestServer } from '../support/test-server';

const h = new Harness();
let server: TestServer;

beforeAll(async () => {
  // A web root with a page, as `npm start` serves the built client.
  const webRoot = mkdtempSync(join(tmpdir(), 'tidings-web-'));
  writeFileSync(join(webRoot, 'index.html'), '<!doctype html><title>Tidings</title>');
  server = await h.start({ webRoot });
});
afterAll(() => h.close());

describe('security headers', () => {
  it('[SEC-HDR-1] pages and API answers may not be framed, sniffed, or leak the referrer', async () => {
    for (const path of ['/', '/api/sessions/current']) {
      const res = await fetch(`${server.url}${path}`, { method: path === '/' ? 'GET' : 'DELETE' });
      expect(res.headers.get('x-frame-options'), path).toBe('DENY');
      expect(res.headers.get('content-security-policy'), path).toBe("frame-ancestors 'none'");
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(res.headers.get('referrer-policy'), path).toBe('no-referrer');
    }
  });
});
