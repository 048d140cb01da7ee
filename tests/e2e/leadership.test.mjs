// Interested parties (ISO/IEC 27001 clause 4.2), roles and the RACI matrix (5.3): an
// interested party with an addressed and an unaddressed requirement, a top-management role
// with an assignee, and a cell of the RACI matrix saved with If-Match.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { apiSession, dialog, signIn, unique, withPage, useServerAndBrowser } from './support.mjs';

const env = useServerAndBrowser();

test('record an interested party with an addressed and an unaddressed requirement', async (t) => {
  const api = await apiSession(env.server);
  const org = await api.createOrg(unique('Parties'));

  await withPage(t, env.browser, env.server, async (page) => {
    await signIn(page, env.server);
    await page.goto(`/orgs/${org.id}/interested-parties`);
    await page.getByRole('heading', { name: 'No interested parties yet' }).waitFor();

    await page.getByRole('button', { name: 'New interested party' }).click();
    const form = dialog(page, 'New interested party');
    await form.waitFor();
    await form.getByLabel('Name').fill('Data protection authority');
    await form.getByLabel('Category').selectOption('regulator');

    await form.getByRole('button', { name: '+ Add requirement' }).click();
    await form.getByRole('textbox', { name: 'Requirement 1' }).fill('Personal data is processed lawfully');
    await form.locator('#ip-req-0-addressed').check();
    // Addressed without saying how: the server refuses it (4.2 c) and the form says so.
    const refused = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().includes('/interested-parties'));
    await form.getByRole('button', { name: 'Create interested party' }).click();
    assert.equal((await refused).status(), 422);
    await form.getByTestId('form-error').waitFor();
    await form.getByLabel(/How the ISMS addresses it/).fill('Privacy policy and records of processing');

    await form.getByRole('button', { name: '+ Add requirement' }).click();
    await form.getByRole('textbox', { name: 'Requirement 2' }).fill('Breaches are notified within 72 hours');

    const created = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().includes('/interested-parties'));
    await form.getByRole('button', { name: 'Create interested party' }).click();
    const response = await created;
    assert.equal(response.status(), 201);
    const party = await response.json();
    assert.equal(party.requirements.length, 2);
    assert.equal(party.requirements[0].addressed_by_isms, true);
    assert.equal(party.requirements[1].addressed_by_isms, false);
    assert.equal(party.unaddressed_count, 1);
    await form.waitFor({ state: 'hidden' });

    const row = page.getByTestId('party-row').filter({ hasText: 'Data protection authority' });
    await row.waitFor();
    assert.match(await row.getByTestId('unaddressed-count').textContent(), /1 not addressed/);

    // The filter for parties with unaddressed requirements finds it; after a reload too.
    await page.reload();
    await page.getByLabel('Requirements', { exact: true }).selectOption('true');
    await page.getByTestId('party-row').filter({ hasText: 'Data protection authority' }).waitFor();
  });
});

test('create a top-management role with an assignee and set a RACI cell', async (t) => {
  const api = await apiSession(env.server);
  const org = await api.createOrg(unique('Roles'));

  await withPage(t, env.browser, env.server, async (page) => {
    await signIn(page, env.server);
    await page.goto(`/orgs/${org.id}/roles`);
    await page.getByRole('heading', { name: 'No roles yet' }).waitFor();

    await page.getByRole('button', { name: 'New role' }).click();
    const form = dialog(page, 'New role');
    await form.waitFor();
    await form.getByLabel('Name').fill('Chief executive');
    await form.getByLabel('Top management').check();
    await form.getByLabel('Responsibilities').fill('Approves the information security policy.');
    const picker = form.getByTestId('member-picker');
    await picker.getByRole('checkbox').first().check();

    const created = page.waitForResponse((r) => r.request().method() === 'POST' && /\/roles$/.test(new URL(r.url()).pathname));
    await form.getByRole('button', { name: 'Create role' }).click();
    const response = await created;
    assert.equal(response.status(), 201);
    const role = await response.json();
    assert.equal(role.top_management, true);
    assert.equal(role.assignee_ids.length, 1);
    await form.waitFor({ state: 'hidden' });

    const row = page.getByTestId('role-row').filter({ hasText: 'Chief executive' });
    await row.waitFor();
    await row.getByTestId('top-management-badge').waitFor();
    assert.doesNotMatch(await row.getByTestId('role-assignees').textContent(), /Nobody/);

    // The RACI matrix: the role is a column; make it accountable for leadership (clause 5).
    await page.getByRole('link', { name: 'RACI matrix' }).first().click();
    await page.getByRole('heading', { name: 'RACI matrix' }).waitFor();
    await page.getByTestId('raci-table').waitFor();
    await page.getByTestId(`raci-leadership-${role.id}`).selectOption('A');

    const saved = page.waitForResponse((r) => r.request().method() === 'PUT' && r.url().includes('/raci'));
    await page.getByTestId('raci-save').click();
    const put = await saved;
    assert.equal(put.status(), 200);
    assert.equal(put.request().headers()['if-match'], '"1"');
    const matrix = await put.json();
    assert.equal(matrix.version, 2);
    assert.deepEqual(matrix.assignments, [{ process: 'leadership', role_id: role.id, responsibility: 'A' }]);

    await page.reload();
    await page.getByTestId('raci-table').waitFor();
    assert.equal(await page.getByTestId(`raci-leadership-${role.id}`).inputValue(), 'A');

    // Saved behind the browser's back: the page's next save is refused, nothing is lost.
    await api.request('PUT', `/orgs/${org.id}/raci`, { body: { assignments: [] }, ifMatch: 2, expect: 200 });
    await page.getByTestId(`raci-context-${role.id}`).selectOption('R');
    const stale = page.waitForResponse((r) => r.request().method() === 'PUT' && r.url().includes('/raci'));
    await page.getByTestId('raci-save').click();
    assert.equal((await stale).status(), 412);
    await page.getByTestId('conflict-message').waitFor();
  });
});
