import { describe, expect, it } from 'vitest';
import { systemText } from './system-lines';
import { joinNames, parseUsernames } from './user-names';

const names: Record<string, string> = { '1': 'Alice', '2': 'Bob', '3': 'Carol' };
const nameOf = (id: string) => names[id] ?? 'Someone';

describe('system lines', () => {
  it('name the actor, or "You" for the current user', () => {
    expect(systemText({ type: 'created', name: 'Team' }, '1', '2', nameOf)).toBe('Alice created the group “Team”');
    expect(systemText({ type: 'created', name: 'Team' }, '1', '1', nameOf)).toBe('You created the group “Team”');
  });

  it('list everyone added, and tell a joiner apart from one added', () => {
    expect(systemText({ type: 'joined', userIds: ['2', '3'] }, '1', '9', nameOf)).toBe('Alice added Bob and Carol');
    expect(systemText({ type: 'joined', userIds: ['2'] }, '1', '2', nameOf)).toBe('Alice added you');
    expect(systemText({ type: 'joined', userIds: ['2'] }, '2', '1', nameOf)).toBe('Bob joined');
  });

  it('say who left, was removed, renamed, announced, or changed a role', () => {
    expect(systemText({ type: 'left' }, '2', '1', nameOf)).toBe('Bob left');
    expect(systemText({ type: 'removed', userId: '3' }, '1', '2', nameOf)).toBe('Alice removed Carol');
    expect(systemText({ type: 'renamed', name: 'X' }, '1', '2', nameOf)).toBe('Alice renamed the group to “X”');
    expect(systemText({ type: 'announcement', text: 'hi' }, '1', '2', nameOf)).toBe('Alice changed the announcement');
    expect(systemText({ type: 'role', userId: '2', role: 'admin' }, '1', '3', nameOf)).toBe('Alice made Bob an admin');
    expect(systemText({ type: 'role', userId: '2', role: 'member' }, '1', '2', nameOf)).toBe('Alice removed you as an admin');
  });
});

describe('user name lists', () => {
  it('split on commas and spaces, drop @ and duplicates, lower-case', () => {
    expect(parseUsernames(' @Bob, carol  dan,,bob ')).toEqual(['bob', 'carol', 'dan']);
    expect(parseUsernames('  ')).toEqual([]);
  });

  it('join names the way a sentence would', () => {
    expect(joinNames(['Bob'])).toBe('Bob');
    expect(joinNames(['Bob', 'Carol', 'Dan'])).toBe('Bob, Carol and Dan');
  });
});
