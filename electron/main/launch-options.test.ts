import { describe, expect, it } from 'vitest';
import { parseLaunchOptions, rendererArguments } from './launch-options';

describe('launch options', () => {
  it('[DESK-17] --demo opens one window per name, each in its own persistent partition; --server configures the server', () => {
    expect(parseLaunchOptions(['/usr/bin/tidings'], {})).toEqual({ serverUrl: null, demo: null });
    const opts = parseLaunchOptions(['x', '--demo=alice-laptop,alice-phone,bob', '--server=http://127.0.0.1:3000/'], {});
    expect(opts.serverUrl).toBe('http://127.0.0.1:3000');
    expect(opts.demo?.map((d) => d.partition)).toEqual(['persist:alice-laptop', 'persist:alice-phone', 'persist:bob']);
    expect(new Set(opts.demo?.map((d) => `${d.offset.x},${d.offset.y}`)).size).toBe(3);
    // The environment works too (npm scripts), and the command line wins over it.
    expect(parseLaunchOptions([], { TIDINGS_DEMO: 'a,b', TIDINGS_SERVER_URL: 'https://chat.example.org' })).toMatchObject({ serverUrl: 'https://chat.example.org', demo: [{ name: 'a' }, { name: 'b' }] });
    expect(parseLaunchOptions(['--server=http://127.0.0.1:4000'], { TIDINGS_SERVER_URL: 'http://127.0.0.1:5000' }).serverUrl).toBe('http://127.0.0.1:4000');
    expect(rendererArguments('http://127.0.0.1:3000', { name: 'bob', account: null })).toEqual(['--tidings-server-url=http://127.0.0.1:3000', '--tidings-profile=bob']);
    expect(rendererArguments(null, null)).toEqual([]);
  });

  it('[DEMO-2] a demo window may name the demo account it signs itself in to (`profile:account`)', () => {
    const opts = parseLaunchOptions(['x', '--demo=alice-laptop:alice,alice-phone:alice,bob:bob,spare'], {});
    expect(opts.demo?.map((d) => [d.name, d.account, d.partition])).toEqual([
      ['alice-laptop', 'alice', 'persist:alice-laptop'],
      ['alice-phone', 'alice', 'persist:alice-phone'],
      ['bob', 'bob', 'persist:bob'],
      ['spare', null, 'persist:spare'],
    ]);
    const [laptop] = opts.demo ?? [];
    expect(rendererArguments('http://127.0.0.1:3000', laptop ?? null)).toEqual([
      '--tidings-server-url=http://127.0.0.1:3000',
      '--tidings-profile=alice-laptop',
      '--tidings-demo-account=alice',
    ]);
    // Two windows of the same account are still two devices; a bad account or a second colon is refused.
    for (const demo of ['a:', 'a:Al', 'a:x y', 'a:alice:bob', 'a:alice,a:bob']) expect(() => parseLaunchOptions([`--demo=${demo}`], {})).toThrow();
  });

  it('[DESK-17] bad names, duplicates, too many windows and non-http servers are refused', () => {
    for (const demo of ['a,a', 'Alice', '../x', 'a,b,c,d,e', ',', 'persist:x']) expect(() => parseLaunchOptions([`--demo=${demo}`], {})).toThrow();
    for (const server of ['file:///etc', 'javascript:1', 'chat.example.org']) expect(() => parseLaunchOptions([`--server=${server}`], {})).toThrow();
  });
});
