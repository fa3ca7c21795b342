/**
 * Web addresses in a message become links (linkify-it: the detector markdown-it uses). Only
 * http(s) and mailto links are made; they open outside the app, never in its own window.
 */
import { LinkifyIt } from 'linkify-it';
import type { ReactNode } from 'react';

const linkifier = new LinkifyIt({ fuzzyEmail: true, fuzzyLink: true });
const SAFE = /^(https?:|mailto:)/i;

export function linkify(text: string): ReactNode[] {
  const matches = linkifier.match(text);
  if (!matches) return [text];
  const out: ReactNode[] = [];
  let at = 0;
  for (const m of matches) {
    if (!SAFE.test(m.url)) continue;
    if (m.index > at) out.push(text.slice(at, m.index));
    out.push(
      <a key={m.index} href={m.url} target="_blank" rel="noopener noreferrer">
        {m.text}
      </a>,
    );
    at = m.lastIndex;
  }
  if (at < text.length) out.push(text.slice(at));
  return out;
}
