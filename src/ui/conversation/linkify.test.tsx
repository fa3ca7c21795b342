import { isValidElement } from 'react';
import { describe, expect, it } from 'vitest';
import { linkify } from './linkify';

const hrefs = (text: string) => linkify(text).flatMap((n) => (isValidElement<{ href: string }>(n) ? [n.props.href] : []));

describe('links in messages', () => {
  it('[LINK-1] web and mail addresses become links; the words around them stay text', () => {
    const parts = linkify('see https://example.org/a?b=1 and docs.example.com, or mail me@example.net.');
    expect(hrefs('see https://example.org/a?b=1 and docs.example.com, or mail me@example.net.')).toEqual([
      'https://example.org/a?b=1',
      'http://docs.example.com',
      'mailto:me@example.net',
    ]);
    expect(parts[0]).toBe('see ');
    expect(parts.at(-1)).toBe('.');
  });

  it('[LINK-2] nothing else is a link: plain text, javascript: and other schemes', () => {
    expect(linkify('no links here, 3.14 and v1.2')).toEqual(['no links here, 3.14 and v1.2']);
    expect(hrefs('javascript:alert(1) ftp://example.org/x')).toEqual([]);
  });
});
