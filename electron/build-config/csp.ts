/**
 * The Content-Security-Policy of the built client, as a `<meta>` in index.html: the same page
 * is the desktop window (a file: page, where no server sends headers) and the web client the
 * server serves. Only on build: the dev server's React refresh needs an inline script.
 *
 * Scripts only from the app itself (no inline, no eval); styles from the app, inline allowed
 * (React style attributes); images from the app or made in the page; connections anywhere over
 * http(s)/ws(s), because the person chooses their server; no plugins, no <base>, no forms
 * posting anywhere.
 */
import type { Plugin } from 'vite';

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self' http: https: ws: wss:",
  "worker-src 'self'",
  "manifest-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

const META = `<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}" />`;

/** index.html with the policy as the first element after the charset (before any script or link). */
export function withCsp(html: string): string {
  if (html.includes('http-equiv="Content-Security-Policy"')) throw new Error('index.html already has a Content-Security-Policy');
  const charset = /<meta\s+charset=[^>]*>/i.exec(html);
  if (!charset) throw new Error('index.html has no <meta charset>');
  const at = charset.index + charset[0].length;
  return `${html.slice(0, at)}\n    ${META}${html.slice(at)}`;
}

export function cspPlugin(): Plugin {
  return {
    name: 'tidings-csp',
    apply: 'build',
    transformIndexHtml: { order: 'post', handler: (html) => withCsp(html) },
  };
}
