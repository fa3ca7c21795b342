/**
 * A group may let people who join read its last messages [GROUP-SHARE-1]: the owner chooses
 * `History for new members`; a member added then reads the shared messages, one added after it
 * is set back reads only from their join, and a plain member cannot change it.
 */
import { expect, test } from './support/fixtures';
import { conversationItem, createGroup, expectLog, logNotes, openConversation, openSettings, send, signUp, snap } from './support/ui';

test('new members read the history the group shares with them, and no more', async ({ server, device }, testInfo) => {
  const owen = await device('owen');
  const bea = await device('bea');
  const cal = await device('cal');
  const dan = await device('dan');
  await signUp(owen, server.url, 'owen', 'Owen Owner');
  await signUp(bea, server.url, 'bea', 'Bea Member');
  await signUp(cal, server.url, 'cal', 'Cal Newcomer');
  await signUp(dan, server.url, 'dan', 'Dan Later');

  await createGroup(owen, 'Choir', 'bea');
  const before = ['h1 rehearsal moved to Friday', 'h2 bring the new scores', 'h3 see you all'];
  for (const text of before) await send(owen, text);

  // A plain member sees the choice and cannot change it.
  await openConversation(bea, 'Choir');
  let settings = await openSettings(bea);
  await expect(settings.getByLabel('History for new members')).toBeDisabled();
  await settings.getByRole('button', { name: 'Close', exact: true }).click();

  settings = await openSettings(owen);
  const history = settings.getByLabel('History for new members');
  await expect(history).toHaveValue('0');
  await history.selectOption({ label: 'The last 20 messages before they join' });
  await expect(history).toHaveValue('20');
  await settings.getByLabel('Add members').fill('cal');
  await settings.getByRole('button', { name: 'Add', exact: true }).click();
  await snap(owen, testInfo, '01-history-for-new-members');
  await settings.getByRole('button', { name: 'Close', exact: true }).click();

  // Cal joined after the messages and reads them; none of them counts as unread for him.
  await expect(conversationItem(cal, 'Choir')).toBeVisible();
  await expect(conversationItem(cal, 'Choir')).not.toContainText('unread');
  await openConversation(cal, 'Choir');
  await expectLog(cal, before);
  await expect.poll(() => logNotes(cal)).toContain('Owen Owner let new members see the last 20 messages before they join');
  await snap(cal, testInfo, '02-newcomer-reads-shared-history');

  // Back to none: Dan, added now, reads from his own join on.
  settings = await openSettings(owen);
  await settings.getByLabel('History for new members').selectOption({ label: 'Only messages after they join' });
  await expect(settings.getByLabel('History for new members')).toHaveValue('0');
  await settings.getByLabel('Add members').fill('dan');
  await settings.getByRole('button', { name: 'Add', exact: true }).click();
  await settings.getByRole('button', { name: 'Close', exact: true }).click();
  await send(owen, 'h4 welcome Dan');
  await openConversation(dan, 'Choir');
  await expectLog(dan, ['h4 welcome Dan']);
  await expect.poll(() => logNotes(dan)).toEqual(['Owen Owner added you']);
  // Cal still reads what was shared with him.
  await expectLog(cal, [...before, 'h4 welcome Dan']);
});
