import { afterEach, describe, expect, it } from 'vitest';
import { i18n } from '../i18n';
import { recallText, systemText } from './system-lines';
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

  it('[GROUP-SHARE-1] say how much history new members will see', () => {
    expect(systemText({ type: 'history', count: 100 }, '1', '2', nameOf)).toBe('Alice let new members see the last 100 messages before they join');
    expect(systemText({ type: 'history', count: 1 }, '1', '1', nameOf)).toBe('You let new members see the last message before they join');
    expect(systemText({ type: 'history', count: 0 }, '1', '2', nameOf)).toBe('Alice made new members see only messages after they join');
  });
});

describe('system lines in Chinese', () => {
  afterEach(async () => {
    await i18n.changeLanguage('en');
  });

  it('[I18N-3] set no space between Han characters, and keep one beside a Latin name', async () => {
    await i18n.changeLanguage('zh-CN');
    expect(systemText({ type: 'created', name: '周末' }, '1', '1', nameOf)).toBe('你创建了群组“周末”');
    expect(systemText({ type: 'joined', userIds: ['2', '4'] }, '1', '9', (id) => (id === '4' ? '卡罗尔' : nameOf(id)))).toBe('Alice 邀请了 Bob 和卡罗尔');
    expect(recallText('2', '1', () => '卡罗尔 Carol')).toBe('卡罗尔 Carol 撤回了一条消息');
  });

  it('[I18N-3] never take a space out of a person\'s name, only the template\'s own beside it', async () => {
    await i18n.changeLanguage('zh-CN');
    const wang = (id: string) => (id === '3' ? '王 卡罗尔' : nameOf(id));
    expect(systemText({ type: 'removed', userId: '3' }, '2', '1', wang)).toBe('Bob 移除了王 卡罗尔');
    expect(systemText({ type: 'joined', userIds: ['3'] }, '2', '1', wang)).toBe('Bob 邀请了王 卡罗尔');
    expect(systemText({ type: 'joined', userIds: ['3', '2'] }, '1', '9', wang)).toBe('Alice 邀请了王 卡罗尔和 Bob');
    expect(systemText({ type: 'role', userId: '3', role: 'admin' }, '1', '1', wang)).toBe('你将王 卡罗尔设为管理员');
    expect(systemText({ type: 'left' }, '3', '1', wang)).toBe('王 卡罗尔退出了群组');
    expect(systemText({ type: 'renamed', name: '周末 出游' }, '1', '1', nameOf)).toBe('你将群组改名为“周末 出游”');
    expect(recallText('3', '1', wang)).toBe('王 卡罗尔撤回了一条消息');
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
