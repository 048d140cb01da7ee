// Check and act (ISO/IEC 27001 9.2, 10.2, 9.3), the whole way through the UI: an internal
// audit is planned, its checklist generated from the scope and worked, a finding raises a
// nonconformity and the audit is reported to management; the nonconformity is corrected,
// its cause removed and the action verified by someone else, then closed; and the
// management review sees both in its input pack, is held with top management, refuses to
// close until every input is discussed and a decision is recorded, and closes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { walkNonconformityToClosure } from './flows.mjs';
import { apiSession, dialog, signIn, unique, withPage, useServerAndBrowser } from './support.mjs';

const env = useServerAndBrowser();

test('an audit finding becomes a nonconformity, is closed, and reaches the management review', async (t) => {
  const api = await apiSession(env.server);
  const org = await api.createOrg(unique('Check and act'));
  const me = (await api.request('GET', '/auth/me', { expect: 200 })).json.user;
  // The admin is top management (9.3.1); Carla owns the corrective action, so that the
  // admin may verify it (10.2 d).
  await api.request('POST', `/orgs/${org.id}/roles`, {
    body: { name: 'Board', top_management: true, assignee_ids: [me.id] },
    expect: 201,
  });
  const carla = `carla-${Date.now().toString(36)}@example.com`;
  await env.server.addUser({ email: carla, password: 'carla-password-1234', name: 'Carla Contributor' });
  await api.request('POST', `/orgs/${org.id}/members`, { body: { email: carla, role: 'contributor' }, expect: 201 });
  await api.createIssue(org.id, { kind: 'external', title: 'New data protection law' });
  const today = new Date().toISOString().slice(0, 10);

  await withPage(t, env.browser, env.server, async (page) => {
    await signIn(page, env.server);

    // 9.2: plan the audit and generate its checklist from the scope.
    await page.goto(`/orgs/${org.id}/audits`);
    await page.getByRole('heading', { name: 'No audits yet' }).waitFor();
    await page.getByRole('button', { name: 'Plan audit' }).click();
    const plan = dialog(page, 'Plan an internal audit');
    await plan.getByLabel('Title').fill('Internal audit of clause 9.2');
    await plan.getByLabel('Clauses in scope').fill('9.2');
    await plan.getByRole('button', { name: 'Plan audit' }).click();
    await page.getByRole('heading', { name: 'Internal audit of clause 9.2' }).waitFor();
    assert.equal((await page.getByTestId('audit-status').textContent()).trim(), 'Planned');
    await page.getByTestId('generate-checklist').click();
    await page.getByTestId('checklist-item').first().waitFor();
    assert.deepEqual(
      await page.getByTestId('checklist-item').evaluateAll((rows) => rows.map((r) => r.dataset.ref)),
      ['9.2', '9.2.1', '9.2.2'],
    );

    // Work it: a minor nonconformity on 9.2.2 raises NC-0001.
    await page.getByRole('button', { name: 'Start audit' }).click();
    await page.getByTestId('audit-status').filter({ hasText: 'In progress' }).waitFor();
    await page.locator('#finding-type').selectOption('minor_nonconformity');
    await page.locator('#finding-requirement').fill('9.2.2');
    await page.locator('#finding-statement').fill('The audit programme does not cover Annex A.');
    await page.getByRole('button', { name: 'Add finding' }).click();
    const link = page.getByTestId('finding-nc-link');
    await link.waitFor();
    assert.equal((await link.textContent()).trim(), 'NC-0001');
    for (const [ref, result] of [['9.2', 'conforming'], ['9.2.1', 'conforming'], ['9.2.2', 'nonconforming']]) {
      const saved = page.waitForResponse((r) => r.request().method() === 'PATCH' && r.url().includes('/checklist/'));
      await page.getByLabel(`Result for ${ref}`, { exact: true }).selectOption(result);
      assert.equal((await saved).status(), 200);
    }

    // 9.2.2 d: report the results to management.
    await page.locator('#report-summary').fill('Clause 9.2 audited; the programme misses Annex A.');
    await page.locator('#report-conclusion').fill('Conforms, with one minor nonconformity.');
    await page.getByRole('group', { name: 'Distribution' }).getByRole('checkbox').first().check();
    const reportSaved = page.waitForResponse((r) => r.request().method() === 'PUT' && r.url().endsWith('/report'));
    await page.getByRole('button', { name: 'Save report' }).click();
    assert.equal((await reportSaved).status(), 200);
    await page.getByRole('button', { name: 'Mark reported' }).click();
    await page.getByTestId('audit-status').filter({ hasText: 'Reported' }).waitFor();

    // 10.2: follow the finding to its nonconformity and take it to closure.
    await link.click();
    await page.getByRole('heading', { name: /AUD-0001-F01/ }).waitFor();
    await page.locator('.facts').getByText('Internal audit · AUD-0001-F01').waitFor();
    await walkNonconformityToClosure(page, { owner: 'Carla Contributor' });

    // 9.3: the management review's input pack shows the audit and the closed nonconformity.
    await page.goto(`/orgs/${org.id}/management-reviews`);
    await page.getByRole('heading', { name: 'No management reviews yet' }).waitFor();
    await page.getByRole('button', { name: 'Plan review' }).click();
    const planReview = dialog(page, 'Plan a management review');
    await planReview.getByLabel('Title').fill('Annual management review');
    await planReview.getByLabel('Planned on').fill(today);
    await planReview.getByRole('checkbox').first().check();
    await planReview.getByRole('button', { name: 'Plan review' }).click();
    await page.getByRole('heading', { name: 'Annual management review' }).waitFor();
    assert.equal((await page.getByTestId('mr-status').textContent()).trim(), 'Planned');
    for (const key of ['a', 'b', 'c', 'd', 'e', 'f', 'g']) await page.getByTestId(`input-${key}`).waitFor();
    await page.getByTestId('input-b').getByText('1 issue new').waitFor();
    const performance = page.getByTestId('input-d');
    await performance.getByText('1 internal audit reported since', { exact: false }).first().waitFor();
    await performance.getByText('Nonconformities: 1 reported and 1 closed since', { exact: false }).first().waitFor();
    await performance.locator('summary', { hasText: 'Records' }).click();
    await performance.getByText('AUD-0001', { exact: false }).first().waitFor();

    await page.getByRole('button', { name: 'Hold review' }).click();
    await page.getByTestId('mr-status').filter({ hasText: 'Held' }).waitFor();

    // Closing is refused until every input has notes and a decision is recorded.
    await page.getByRole('button', { name: 'Close review' }).click();
    const refused = page.getByTestId('close-error');
    await refused.waitFor();
    assert.match(await refused.textContent(), /9\.3\.2/);
    assert.match(await refused.textContent(), /9\.3\.3/);

    for (const key of ['a', 'b', 'c', 'd', 'e', 'f', 'g']) {
      await page.getByTestId(`notes-${key}`).fill(`Discussed input ${key}.`);
      await page.getByTestId(`save-notes-${key}`).click();
      await page.getByTestId(`input-${key}`).and(page.locator('.done')).waitFor();
    }
    await page.locator('#decision-text').fill('Extend the audit programme to Annex A');
    await page.locator('#decision-category').selectOption('improvement');
    await page.getByRole('button', { name: 'Record decision' }).click();
    await page.getByTestId('decision').filter({ hasText: 'Extend the audit programme to Annex A' }).waitFor();
    await page.locator('#action-title').fill('Plan Annex A audits for next year');
    await page.getByRole('button', { name: 'Add action' }).click();
    await page.getByTestId('action').filter({ hasText: 'Plan Annex A audits for next year' }).waitFor();

    await page.getByRole('button', { name: 'Close review' }).click();
    await page.getByTestId('closed-note').waitFor();
    assert.equal((await page.getByTestId('mr-status').textContent()).trim(), 'Closed');
    assert.match(await page.getByTestId('minutes-pdf').getAttribute('href'), /minutes\.pdf$/);
  });
});
