// Nonconformity and corrective action (ISO/IEC 27001 clause 10.2): report a nonconformity and
// walk its page step by step, correction → root cause → corrective action → effectiveness →
// closure, with closure refused in the UI until everything is recorded.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { apiSession, dialog, signIn, unique, withPage, useServerAndBrowser } from './support.mjs';

const env = useServerAndBrowser();

test('walk a nonconformity from report to closure', async (t) => {
  const api = await apiSession(env.server);
  const org = await api.createOrg(unique('NC'));
  const carla = `carla-${Date.now().toString(36)}@example.com`;
  await env.server.addUser({ email: carla, password: 'carla-password-1234', name: 'Carla Contributor' });
  await api.request('POST', `/orgs/${org.id}/members`, { body: { email: carla, role: 'contributor' }, expect: 201 });

  await withPage(t, env.browser, env.server, async (page) => {
    await signIn(page, env.server);
    await page.goto(`/orgs/${org.id}/nonconformities`);
    await page.getByRole('heading', { name: 'No nonconformities yet' }).waitFor();

    await page.getByRole('button', { name: 'Report nonconformity' }).click();
    const form = dialog(page, 'Report a nonconformity');
    await form.getByLabel('Title').fill('Leavers keep their VPN access');
    await form.locator('#nc-source').selectOption('internal_audit');
    await form.getByLabel('Source reference').fill('IA-2026-1 F-3');
    await form.getByLabel('Requirement').fill('A.5.18');
    await form.locator('#nc-severity').selectOption('major');
    await form.getByRole('button', { name: 'Report nonconformity' }).click();

    // The nonconformity's page: every step is still missing.
    await page.getByRole('heading', { name: 'Leavers keep their VPN access' }).waitFor();
    const status = page.getByTestId('nc-status');
    assert.equal((await status.textContent()).trim(), 'Open');
    const blockers = page.getByTestId('closure-blockers');
    assert.equal(await blockers.locator('li').count(), 5);
    assert.equal(await page.getByRole('button', { name: 'Close nonconformity' }).isDisabled(), true);

    // The report itself can be corrected while the nonconformity is open.
    await page.getByRole('button', { name: 'Edit details' }).click();
    const details = page.getByTestId('nc-dialog');
    await details.locator('#nc-requirement').fill('A.5.18');
    await details.getByRole('button', { name: 'Save changes' }).click();
    await details.waitFor({ state: 'detached' });
    await page.locator('.facts').getByText('A.5.18').waitFor();

    // 10.2 a: the correction.
    await page.locator('#nc-correction').fill('Revoked the access of the two leavers found.');
    await page.getByRole('button', { name: 'Save correction' }).click();
    await page.getByTestId('nc-status').filter({ hasText: 'Correcting' }).waitFor();

    // 10.2 b: root cause and similar nonconformities.
    await page.locator('#nc-root-cause').fill('HR does not tell IT when someone leaves.');
    await page.locator('#nc-method').selectOption('five_whys');
    await page.locator('#nc-similar').fill('Checked the contractor process too: same gap.');
    await page.getByRole('button', { name: 'Save root cause' }).click();
    await page.getByTestId('nc-status').filter({ hasText: 'Corrective actions' }).waitFor();

    // 10.2 c: a corrective action owned by Carla, then done.
    await page.locator('#ca-title').fill('Send leaver notices from HR to IT automatically');
    await page.locator('#ca-owner').selectOption({ label: 'Carla Contributor' });
    await page.getByRole('button', { name: 'Add action' }).click();
    const row = page.getByTestId('action-row').filter({ hasText: 'Send leaver notices' });
    await row.waitFor();
    await row.getByLabel(/Status of CA-/).selectOption('done');
    await row.getByLabel(/Completion note of CA-/).fill('Live since today.');
    await row.getByRole('button', { name: 'Save' }).click();
    await page.getByTestId('nc-status').filter({ hasText: 'Verifying' }).waitFor();
    assert.deepEqual(
      await blockers.locator('li').evaluateAll((items) => items.map((li) => li.dataset.code)),
      ['effectiveness_not_confirmed'],
    );

    // 10.2 d: the admin owns none of the actions and reviews them.
    await page.getByLabel('Effective', { exact: true }).check();
    await page.locator('#review-note').fill('No leaver accounts active in the weekly report.');
    await page.getByRole('button', { name: 'Record review' }).click();
    await page.getByTestId('review-list').getByText('Effective').waitFor();

    // Closure.
    const closeButton = page.getByRole('button', { name: 'Close nonconformity' });
    await page.waitForFunction(() => !document.querySelector('[data-testid="closure-blockers"]'));
    const closed = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/close'));
    await closeButton.click();
    assert.equal((await closed).status(), 200);
    await page.getByTestId('closed-note').waitFor();
    assert.equal((await page.getByTestId('nc-status').textContent()).trim(), 'Closed');
    // A closed nonconformity offers no more forms.
    assert.equal(await page.getByRole('button', { name: 'Save correction' }).count(), 0);
    assert.equal(await page.getByRole('button', { name: 'Edit details' }).count(), 0);

    // The list shows it closed, with its action done.
    await page.getByRole('link', { name: '← Nonconformities' }).click();
    const listRow = page.getByTestId('nc-row').filter({ hasText: 'Leavers keep their VPN access' });
    await listRow.waitFor();
    assert.match(await listRow.textContent(), /Closed/);
    assert.match(await listRow.textContent(), /1\/1/);
  });
});
