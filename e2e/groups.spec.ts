/**
 * Three people in a group: the owner creates it with one member, adds a third later and removes
 * the second, then renames the group. Each sees exactly the messages membership allows (a late
 * joiner nothing from before their join, a removed member nothing after their removal), in one
 * common order.
 */
import { expect, test } from './support/fixtures';
import { createAccount } from './support/api';
import {
  conversationItem,
  createGroup,
  expectLog,
  logNotes,
  logRows,
  memberItem,
  message,
  messageInput,
  openConversation,
  openSettings,
  PASSWORD,
  send,
  signUp,
  snap,
} from './support/ui';

test('an unknown member name creates no group and says which name', async ({ server, device }, testInfo) => {
  const olga = await device('olga');
  await signUp(olga, server.url, 'olga', 'Olga Owner');
  await signUp(await device('bea'), server.url, 'bea', 'Bea');

  await olga.getByRole('button', { name: 'New group', exact: true }).click();
  const dialog = olga.getByRole('dialog', { name: 'New group' });
  await dialog.getByLabel('Group name').fill('Book club');
  await dialog.getByLabel('Members').fill('bea, nobody');
  await dialog.getByRole('button', { name: 'Create group' }).click();
  await expect(dialog.getByRole('alert')).toContainText('nobody');
  await snap(olga, testInfo, '00-unknown-member');
  await expect(dialog).toBeVisible();
  await expect(conversationItem(olga, 'Book club')).toHaveCount(0);

  // Correcting the list creates the group and opens it.
  await dialog.getByLabel('Members').fill('bea');
  await dialog.getByRole('button', { name: 'Create group' }).click();
  await expect(dialog).toBeHidden();
  await expect(olga.getByRole('heading', { name: 'Book club', exact: true })).toBeVisible();
  await expect(conversationItem(olga, 'Book club')).toHaveCount(1);
});

test('[TEXT-5] [I18N-6] names with emoji are taken; a refused name says which field and why, in Chinese too', async ({ server, device }, testInfo) => {
  const olga = await device('olga');
  await signUp(olga, server.url, 'olga', 'Olga \u2764\ufe0f Owner');
  await createAccount(server.url, 'bea', 'Bea');
  await createGroup(olga, 'Weekend trip \u{1f3d5}\ufe0f', 'bea');
  await expect(olga.getByText('Olga \u2764\ufe0f Owner', { exact: true })).toBeVisible();

  const wang = await device('wang', { locale: 'zh-CN' });
  await createAccount(server.url, 'wang', '王 卡罗尔');
  await wang.goto(server.url);
  await wang.getByLabel('服务器').fill(server.url);
  await wang.getByLabel('用户名').fill('wang');
  await wang.getByLabel('密码').fill(PASSWORD);
  await wang.getByRole('button', { name: '登录' }).click();
  await wang.getByRole('button', { name: '新建群组', exact: true }).click();
  const dialog = wang.getByRole('dialog', { name: '新建群组' });
  await dialog.getByLabel('群组名称').fill('测试群 \u202e\u2764\ufe0f');
  await dialog.getByLabel('成员').fill('bea');
  await dialog.getByRole('button', { name: '创建群组' }).click();
  await expect(dialog.getByRole('alert')).toHaveText('群组名称不能含有方向控制符或不可见字符；表情符号可以使用。');
  await snap(wang, testInfo, '00-zh-refused-name');
  await dialog.getByLabel('群组名称').fill('测试群 \u2764\ufe0f');
  await dialog.getByRole('button', { name: '创建群组' }).click();
  await expect(dialog).toBeHidden();
  await expect(wang.getByRole('heading', { name: '测试群 \u2764\ufe0f', exact: true })).toBeVisible();
  await snap(wang, testInfo, '00-zh-emoji-group');
});

test('[GROUP-UI-1] members see what membership allows, in one order; the settings open at the top and say Saved', async ({ server, device }, testInfo) => {
  const owen = await device('owen');
  const bea = await device('bea');
  const cal = await device('cal');
  await signUp(owen, server.url, 'owen', 'Owen Owner');
  await signUp(bea, server.url, 'bea', 'Bea Member');
  await signUp(cal, server.url, 'cal', 'Cal Latecomer');

  await createGroup(owen, 'Team', 'bea');
  await expect.poll(() => logNotes(owen)).toEqual(['You created the group “Team”']);
  await send(owen, 'm1 hello team');

  await openConversation(bea, 'Team');
  await expect(message(bea, 'm1 hello team')).toContainText('Owen Owner');
  await send(bea, 'm2 hi Owen');
  await send(bea, 'm2b two in a row');
  // A run of messages from one sender names them once.
  await expect(message(bea, 'm2b two in a row')).not.toContainText('Bea Member');

  // The owner adds Cal, sets an announcement, and sees the roles. The settings open at the top.
  let settings = await openSettings(owen);
  await expect(settings.getByRole('heading', { name: 'Conversation settings' })).toBeFocused();
  await expect(settings.getByRole('heading', { name: 'Conversation settings' })).toBeInViewport();
  await expect(settings.getByLabel('Group name')).toBeInViewport();
  await expect(memberItem(settings, 'Owen Owner')).toContainText('Owner');
  await expect(memberItem(settings, 'Bea Member')).toBeVisible();
  await settings.getByLabel('Add members').fill('nobody');
  await settings.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(settings.getByRole('alert')).toContainText('nobody');
  await settings.getByLabel('Add members').fill('cal');
  await settings.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(memberItem(settings, 'Cal Latecomer')).toBeVisible();
  await expect(settings.getByRole('alert')).toHaveCount(0);
  await settings.getByLabel('Announcement').fill('Be kind to each other');
  await settings.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(settings.getByRole('status')).toHaveText('Saved');
  // The history field keeps the fields' spacing below the Add row.
  const addRow = await settings.getByRole('button', { name: 'Add', exact: true }).boundingBox();
  const historyLabel = await settings.getByText('History for new members', { exact: true }).boundingBox();
  expect(historyLabel!.y - (addRow!.y + addRow!.height)).toBeGreaterThanOrEqual(10);
  await memberItem(settings, 'Cal Latecomer').getByRole('button', { name: 'Make admin', exact: true }).click();
  await expect(memberItem(settings, 'Cal Latecomer')).toContainText('Admin');
  await snap(owen, testInfo, '01-owner-settings');
  await settings.getByRole('button', { name: 'Close', exact: true }).click();
  await expect(settings).toBeHidden();
  await expect(owen.getByText('Be kind to each other')).toBeVisible();

  // The late joiner reads from their join on.
  await openConversation(cal, 'Team');
  await expect(cal.getByText('Be kind to each other')).toBeVisible();
  await send(owen, 'm3 welcome Cal');
  await send(cal, 'm4 thanks');
  await send(bea, 'm5 hi Cal');
  await expect(message(cal, 'm5 hi Cal')).toContainText('Bea Member');

  // A member sees the name and the announcement read-only, and no member actions.
  settings = await openSettings(bea);
  await expect(settings.getByLabel('Group name')).toHaveValue('Team');
  await expect(settings.getByLabel('Group name')).not.toBeEditable();
  await expect(settings.getByRole('button', { name: 'Rename', exact: true })).toHaveCount(0);
  await expect(settings.getByLabel('Announcement')).toHaveValue('Be kind to each other');
  await expect(settings.getByLabel('Announcement')).not.toBeEditable();
  await expect(memberItem(settings, 'Cal Latecomer')).toContainText('Admin');
  await expect(settings.getByRole('button', { name: 'Remove', exact: true })).toHaveCount(0);
  await snap(bea, testInfo, '02-member-settings');
  await settings.getByRole('button', { name: 'Close', exact: true }).click();

  // The owner removes Bea; what follows is not hers to read.
  await expect(message(bea, 'm2 hi Owen')).toContainText('Read by 1');
  settings = await openSettings(owen);
  await memberItem(settings, 'Bea Member').getByRole('button', { name: 'Remove', exact: true }).click();
  await memberItem(settings, 'Bea Member').getByRole('button', { name: 'Yes, remove' }).click();
  await expect(memberItem(settings, 'Bea Member')).toHaveCount(0);
  await settings.getByRole('button', { name: 'Close', exact: true }).click();
  await send(owen, 'm6 after Bea');
  await send(cal, 'm7 still here');

  const all = ['m1 hello team', 'm2 hi Owen', 'm2b two in a row', 'm3 welcome Cal', 'm4 thanks', 'm5 hi Cal', 'm6 after Bea', 'm7 still here'];
  await expectLog(owen, all);
  await expectLog(cal, all.slice(3));
  await expectLog(bea, all.slice(0, 6));
  await expect(bea.getByText('You are no longer a member of this group.')).toBeVisible();
  await expect(messageInput(bea)).toHaveCount(0);
  // [RECEIPT-DEV-2] Her own messages keep the receipts her device last knew.
  await expect(message(bea, 'm2 hi Owen')).toContainText('Read by 1');
  await bea.reload();
  await expect(message(bea, 'm2 hi Owen')).toContainText('Read by 1');

  // System lines sit in the log in server order, between the messages they came between.
  await expect
    .poll(() => logRows(owen, all))
    .toEqual([
      '— You created the group “Team”',
      'm1 hello team',
      'm2 hi Owen',
      'm2b two in a row',
      '— You added Cal Latecomer',
      '— You changed the announcement',
      '— You made Cal Latecomer an admin',
      'm3 welcome Cal',
      'm4 thanks',
      'm5 hi Cal',
      '— You removed Bea Member',
      'm6 after Bea',
      'm7 still here',
    ]);
  await expect
    .poll(() => logRows(cal, all))
    .toEqual([
      '— Owen Owner added you',
      '— Owen Owner changed the announcement',
      '— Owen Owner made you an admin',
      'm3 welcome Cal',
      'm4 thanks',
      'm5 hi Cal',
      '— Owen Owner removed Bea Member',
      'm6 after Bea',
      'm7 still here',
    ]);
  await expect.poll(() => logNotes(bea)).toEqual([
    'Owen Owner created the group “Team”',
    'Owen Owner added Cal Latecomer',
    'Owen Owner changed the announcement',
    'Owen Owner made Cal Latecomer an admin',
    'Owen Owner removed you',
  ]);
  // The list previews a system line in words.
  await expect(conversationItem(bea, 'Team')).toContainText('Owen Owner removed you');

  await snap(owen, testInfo, '03-owner-log');
  await snap(cal, testInfo, '04-latecomer-log');
  await snap(bea, testInfo, '05-removed-log');

  // The owner renames the group and takes Cal's admin role away; Cal sees both at once, in the
  // log, the header and the list. Bea, removed before, keeps the old name and hears of neither.
  settings = await openSettings(owen);
  const name = settings.getByLabel('Group name');
  await expect(name).toHaveValue('Team');
  await expect(settings.getByRole('button', { name: 'Rename', exact: true })).toBeDisabled();
  await name.fill('Rocket team');
  await snap(owen, testInfo, '06-rename');
  await settings.getByRole('button', { name: 'Rename', exact: true }).click();
  await expect(settings.getByRole('status')).toHaveText('Saved');
  await expect(settings.getByRole('alert')).toHaveCount(0);
  await expect(owen.getByRole('heading', { name: 'Rocket team', exact: true })).toBeVisible();
  await expect(name).toHaveValue('Rocket team');
  await memberItem(settings, 'Cal Latecomer').getByRole('button', { name: 'Remove admin', exact: true }).click();
  await expect(memberItem(settings, 'Cal Latecomer')).not.toContainText('Admin');
  await expect(memberItem(settings, 'Cal Latecomer').getByRole('button', { name: 'Make admin', exact: true })).toBeVisible();
  await settings.getByRole('button', { name: 'Close', exact: true }).click();
  await expect
    .poll(async () => (await logNotes(owen)).slice(-2))
    .toEqual(['You renamed the group to “Rocket team”', 'You removed Cal Latecomer as an admin']);

  await expect
    .poll(async () => (await logNotes(cal)).slice(-2))
    .toEqual(['Owen Owner renamed the group to “Rocket team”', 'Owen Owner removed you as an admin']);
  await expect(cal.getByRole('heading', { name: 'Rocket team', exact: true })).toBeVisible();
  await expect(conversationItem(cal, 'Rocket team')).toHaveCount(1);
  await expect(conversationItem(cal, 'Team')).toHaveCount(0);
  await snap(cal, testInfo, '07-renamed-seen');
  // No longer an admin: the name is Cal's to read, not to change.
  settings = await openSettings(cal);
  await expect(settings.getByLabel('Group name')).toHaveValue('Rocket team');
  await expect(settings.getByLabel('Group name')).not.toBeEditable();
  await settings.getByRole('button', { name: 'Close', exact: true }).click();
  await expect(bea.getByRole('heading', { name: 'Team', exact: true })).toBeVisible();
  await expect.poll(async () => (await logNotes(bea)).at(-1)).toBe('Owen Owner removed you');

  // Leaving is one's own choice: the log stays, the composer goes, the others are told.
  settings = await openSettings(cal);
  await settings.getByRole('button', { name: 'Leave group', exact: true }).click();
  await settings.getByRole('button', { name: 'Yes, leave' }).click();
  await expect(settings).toBeHidden();
  await expect(cal.getByText('You are no longer a member of this group.')).toBeVisible();
  await expect(messageInput(cal)).toHaveCount(0);
  await expect.poll(async () => (await logNotes(owen)).at(-1)).toBe('Cal Latecomer left');
  await expectLog(cal, all.slice(3));
});
