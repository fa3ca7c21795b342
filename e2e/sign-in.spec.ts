/**
 * The sign-in screen as a new person meets it: fields checked in the person's language before
 * anything is sent, and a sign-out that leaves nothing of the last person's screen behind.
 */
import { expect, test } from './support/fixtures';
import { createAccount } from './support/api';
import { openChat, PASSWORD, send, signUp, snap } from './support/ui';

test('[SIGNIN-1] signing in asks only for what signing in needs; creating an account adds the display name', async ({ server, device }, testInfo) => {
  await createAccount(server.url, 'olga', 'Olga');
  const page = await device('returning');
  await page.goto(server.url);
  await expect(page.getByLabel('Display name')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
  await snap(page, testInfo, '00-sign-in');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByLabel('Display name')).toBeVisible();
  await expect(page.getByLabel('Username')).toBeFocused();
  await snap(page, testInfo, '00-create-account');
  // Back to signing in: the display name goes, what was typed stays.
  await page.getByLabel('Username').fill('olga');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByLabel('Display name')).toHaveCount(0);
  await expect(page.getByLabel('Username')).toHaveValue('olga');
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('button', { name: 'New chat' })).toBeVisible();
});

test('a new account’s fields are explained in words, in English and Chinese, and nothing is created', async ({ server, device }, testInfo) => {
  const page = await device('newcomer');
  await page.goto(server.url);
  await page.getByLabel('Server').fill(server.url);
  await page.getByLabel('Username').fill('x');
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByLabel('Display name')).toBeFocused();
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByRole('alert')).toHaveText('A username has 3 to 32 letters, digits, dots, dashes or underscores.');

  // The display name stops at its limit instead of failing later.
  await page.getByLabel('Username').fill('newcomer');
  await page.getByLabel('Display name').fill('N'.repeat(80));
  await expect(page.getByLabel('Display name')).toHaveValue('N'.repeat(64));
  await page.getByLabel('Password').fill('short');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByRole('alert')).toHaveText('A password has 8 to 256 characters.');
  await snap(page, testInfo, '01-sign-up-words');

  // A browser that prefers Chinese starts in Chinese, and says the same in Chinese.
  const zh = await device('newcomer-zh', { locale: 'zh-CN' });
  await zh.goto(server.url);
  await zh.getByLabel('服务器').fill(server.url);
  await zh.getByLabel('用户名').fill('x');
  await zh.getByLabel('密码').fill(PASSWORD);
  await zh.getByRole('button', { name: '创建账号' }).click();
  await zh.getByRole('button', { name: '创建账号' }).click();
  await expect(zh.getByRole('alert')).toHaveText('用户名为 3 到 32 个字母、数字、点、连字符或下划线。');
  await snap(zh, testInfo, '02-sign-up-zh');

  // Nothing was created: the name is still free.
  await signUp(page, server.url, 'newcomer', 'Newcomer');
});

test('after Sign out, the next person to sign in on the device finds nothing of the last one open', async ({ server, device }, testInfo) => {
  const page = await device('shared');
  const other = await device('bob');
  await signUp(other, server.url, 'bob', 'Bob');
  await signUp(page, server.url, 'alice', 'Alice');
  await openChat(page, 'bob', 'Bob');
  await send(page, 'hello Bob');
  await page.getByRole('button', { name: 'Settings', exact: true }).click();
  await page.getByRole('dialog', { name: 'Settings' }).getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
  await expect(page.getByLabel('Display name')).toHaveCount(0);

  // Signed in again on the same page, without a reload (signIn() would load the page afresh).
  await page.getByLabel('Username').fill('bob');
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('button', { name: 'New chat' })).toBeVisible();
  await expect(page.getByRole('dialog', { name: 'Settings' })).toHaveCount(0);
  await expect(page.getByText('Choose a conversation, or start a new chat.')).toBeVisible();
  await snap(page, testInfo, '03-next-person');
});
