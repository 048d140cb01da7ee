// Nonconformity and corrective action (ISO/IEC 27001 clause 10.2): report a nonconformity and
// walk its page step by step, correction → root cause → corrective action → effectiveness →
// closure, with closure refused in the UI until everything is recorded.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { walkNonconformityToClosure } from './flows.mjs';
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

    // 10.2 a–d and closure, with the admin (who owns none of the actions) reviewing them.
    await walkNonconformityToClosure(page, { owner: 'Carla Contributor' });
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
