// Steps through the UI that more than one browser test takes, so that each is written once.
import assert from 'node:assert/strict';

/**
 * On an open nonconformity's page: records the correction (10.2 a), the root cause and the
 * check for similar nonconformities (10.2 b), a corrective action owned by `owner` (a member's
 * display name) marked done (10.2 c), an effectiveness review by the signed-in user (10.2 d),
 * and closes it. Returns once the page shows it closed.
 */
export async function walkNonconformityToClosure(page, { owner }) {
  await page.locator('#nc-correction').fill('Revoked the access of the two leavers found.');
  await page.getByRole('button', { name: 'Save correction' }).click();
  await page.getByTestId('nc-status').filter({ hasText: 'Correcting' }).waitFor();

  await page.locator('#nc-root-cause').fill('HR does not tell IT when someone leaves.');
  await page.locator('#nc-method').selectOption('five_whys');
  await page.locator('#nc-similar').fill('Checked the contractor process too: same gap.');
  await page.getByRole('button', { name: 'Save root cause' }).click();
  await page.getByTestId('nc-status').filter({ hasText: 'Corrective actions' }).waitFor();

  await page.locator('#ca-title').fill('Send leaver notices from HR to IT automatically');
  await page.locator('#ca-owner').selectOption({ label: owner });
  await page.getByRole('button', { name: 'Add action' }).click();
  const row = page.getByTestId('action-row').filter({ hasText: 'Send leaver notices' });
  await row.waitFor();
  await row.getByLabel(/Status of CA-/).selectOption('done');
  await row.getByLabel(/Completion note of CA-/).fill('Live since today.');
  await row.getByRole('button', { name: 'Save' }).click();
  await page.getByTestId('nc-status').filter({ hasText: 'Verifying' }).waitFor();
  assert.deepEqual(
    await page
      .getByTestId('closure-blockers')
      .locator('li')
      .evaluateAll((items) => items.map((li) => li.dataset.code)),
    ['effectiveness_not_confirmed'],
  );

  await page.getByLabel('Effective', { exact: true }).check();
  await page.locator('#review-note').fill('No leaver accounts active in the weekly report.');
  await page.getByRole('button', { name: 'Record review' }).click();
  await page.getByTestId('review-list').getByText('Effective').waitFor();

  await page.waitForFunction(() => !document.querySelector('[data-testid="closure-blockers"]'));
  const closed = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/close'));
  await page.getByRole('button', { name: 'Close nonconformity' }).click();
  assert.equal((await closed).status(), 200);
  await page.getByTestId('closed-note').waitFor();
  assert.equal((await page.getByTestId('nc-status').textContent()).trim(), 'Closed');
}
