import { afterEach, describe, expect, it } from 'vitest';
import { i18n } from '../i18n';
import { fieldProblem } from './words';

afterEach(async () => {
  await i18n.changeLanguage('en');
});

describe('typed fields refused in words', () => {
  it('[I18N-6] a refused group name, display name or announcement says which field and what is wrong, in English and Chinese', async () => {
    expect(fieldProblem('groupName', 'Bank\u202e support')).toBe('The group name cannot hold direction overrides or invisible characters. Emoji are fine.');
    expect(fieldProblem('displayName', 'x'.repeat(65))).toBe('The display name can be at most 64 characters.');
    expect(fieldProblem('groupName', '   ')).toBe('The group name cannot be empty.');
    await i18n.changeLanguage('zh-CN');
    expect(fieldProblem('groupName', 'Bank\u202e support')).toBe('群组名称不能含有方向控制符或不可见字符；表情符号可以使用。');
    expect(fieldProblem('displayName', 'x'.repeat(65))).toBe('显示名称最多 64 个字符。');
    expect(fieldProblem('announcement', `z${'\u0301'.repeat(40)}`)).toBe('群公告在一个字母上叠加了太多符号。');
  });

  it('[I18N-6] names with emoji are not refused', () => {
    expect(fieldProblem('groupName', '测试群 \u2764\ufe0f')).toBeNull();
    expect(fieldProblem('groupName', 'Weekend trip \u{1f3d5}\ufe0f')).toBeNull();
    expect(fieldProblem('displayName', 'Alice \u2764\ufe0f Liddell')).toBeNull();
  });
});
