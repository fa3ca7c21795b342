import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY, cspPlugin, withCsp } from './csp';

const html = '<!doctype html>\n<html>\n  <head>\n    <meta charset="UTF-8" />\n    <script type="module" src="./assets/index.js"></script>\n  </head>\n</html>';

describe('Content-Security-Policy of the built client', () => {
  it('[DESK-18] a strict policy: scripts only from the app, no inline or eval, no objects, no base or form targets; any server may be connected to', () => {
    const directives = new Map(CONTENT_SECURITY_POLICY.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)]));
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('default-src')).toEqual(["'self'"]);
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('base-uri')).toEqual(["'none'"]);
    expect(directives.get('form-action')).toEqual(["'none'"]);
    expect(directives.get('connect-src')).toEqual(["'self'", 'http:', 'https:', 'ws:', 'wss:']);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval|script-src[^;]*unsafe-inline|\*/);
  });

  it('[DESK-18] the policy goes into index.html before any script, on build only', () => {
    const out = withCsp(html);
    const meta = out.indexOf('http-equiv="Content-Security-Policy"');
    expect(meta).toBeGreaterThan(out.indexOf('charset'));
    expect(meta).toBeLessThan(out.indexOf('<script'));
    expect(out).toContain(`content="${CONTENT_SECURITY_POLICY}"`);
    expect(() => withCsp(out)).toThrow();
    expect(() => withCsp('<html><head></head></html>')).toThrow();
    expect(cspPlugin().apply).toBe('build');
  });
});
