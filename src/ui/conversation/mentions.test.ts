import { describe, expect, it } from 'vitest';
import { mentionAt, mentionedNames, splitMentions, toMentions } from './mentions';

describe('mentions', () => {
  it('[MENTION-1] the picker opens on an @ at a word start and completes what follows it', () => {
    expect(mentionAt('hi @bo', 6)).toEqual({ start: 3, query: 'bo' });
    expect(mentionAt('@', 1)).toEqual({ start: 0, query: '' });
    expect(mentionAt('hi @Bo and', 6)).toEqual({ start: 3, query: 'bo' });
    expect(mentionAt('mail me@example', 15)).toBeNull();
    expect(mentionAt('hi @bob ', 8)).toBeNull();
    // Display names in any script are looked up too: 卡罗尔, José.
    expect(mentionAt('问一下 @卡罗', 7)).toEqual({ start: 4, query: '卡罗' });
    expect(mentionAt('@José', 5)).toEqual({ start: 0, query: 'josé' });
  });

  it('[MENTION-2] names are found once each, case-insensitive, not inside e-mail addresses, trailing dots dropped', () => {
    expect(mentionedNames('@Bob and @carol, @bob again; write to x@bob.example. Thanks @dave.')).toEqual(['bob', 'carol', 'dave']);
    expect(mentionedNames('no mentions here')).toEqual([]);
  });

  it('[MENTION-3] known names become ids; @all counts only where allowed; nothing known is no mentions', () => {
    const ids: Record<string, string> = { bob: '2', carol: '3' };
    const idOf = (n: string) => ids[n];
    expect(toMentions('@bob @carol @zed', idOf, false)).toEqual({ userIds: ['2', '3'], all: false });
    expect(toMentions('@all meeting now', idOf, false)).toBeUndefined();
    expect(toMentions('@all meeting now', idOf, true)).toEqual({ userIds: [], all: true });
    expect(toMentions('hello', idOf, true)).toBeUndefined();
  });

  it('[MENTION-4] only mentioned names are highlighted', () => {
    expect(splitMentions('hi @bob and @eve, @all', new Set(['bob']), false)).toEqual([
      { text: 'hi ', mention: false },
      { text: '@bob', mention: true },
      { text: ' and @eve, @all', mention: false },
    ]);
    expect(splitMentions('@all now', new Set(), true)).toEqual([
      { text: '@all', mention: true },
      { text: ' now', mention: false },
    ]);
  });
});
