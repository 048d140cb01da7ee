// The risk module's first pages (ISO/IEC 27001 clause 6.1.2): the asset register and the
// risk methodology with its default 5×5 matrix.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { apiSession, dialog, signIn, unique, withPage, useServerAndBrowser } from './support.mjs';

const env = useServerAndBrowser();

test('create an asset and see it in the table', async (t) => {
  const api = await apiSession(env.server);
  const org = await api.createOrg(unique('Assets'));

  await withPage(t, env.browser, env.server, async (page) => {
    await signIn(page, env.server);
    await page.goto(`/orgs/${org.id}/assets`);
    await page.getByRole('heading', { name: 'No assets yet' }).waitFor();

    await page.getByRole('button', { name: 'New asset' }).click();
    const form = dialog(page, 'New asset');
    await form.waitFor();

    // Required fields missing: the server names them and nothing is stored.
    const refused = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/assets'));
    await form.getByRole('button', { name: 'Create asset' }).click();
    assert.equal((await refused).status(), 422);
    await form.getByTestId('form-error').waitFor();
    assert.equal(await form.getByLabel('Type').getAttribute('aria-invalid'), 'true');

    await form.getByLabel('Name').fill('Customer database');
    await form.getByLabel('Type').selectOption('information');
    await form.getByLabel('Classification').selectOption('confidential');
    await form.getByLabel('Location').fill('eu-west-1');
    await form.getByLabel('Confidentiality').selectOption('5');
    // The owner select lists the organization's members; the signed-in admin is preselected.
    assert.ok((await form.getByLabel('Owner').locator('option').count()) >= 1);

    const created = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/assets'));
    await form.getByRole('button', { name: 'Create asset' }).click();
    const response = await created;
    assert.equal(response.status(), 201);
    const asset = await response.json();
    assert.match(asset.ref, /^AST-\d{4}$/);
    await form.waitFor({ state: 'hidden' });

    const row = page.getByTestId('asset-row').filter({ hasText: 'Customer database' });
    await row.waitFor();
    const cells = (await row.getByRole('cell').allTextContents()).map((s) => s.trim());
    assert.equal(cells[0], asset.ref);
    assert.equal(cells[2], 'Information');
    assert.equal(cells[4], 'Confidential');
    assert.match(cells[5], /^5 \/ – \/ –$/);

    // Stored: still there after a reload.
    await page.reload();
    await page.getByTestId('asset-row').filter({ hasText: 'Customer database' }).waitFor();
  });
});

test('the methodology page shows the default 5×5 matrix, approved', async (t) => {
  const api = await apiSession(env.server);
  const org = await api.createOrg(unique('Methodology'));

  await withPage(t, env.browser, env.server, async (page) => {
    await signIn(page, env.server);
    await page.goto(`/orgs/${org.id}/risk-methodology`);
    await page.getByRole('heading', { name: 'Risk methodology', level: 1 }).waitFor();
    const inForce = page.getByTestId('methodology-in-force');
    await inForce.waitFor();
    await inForce.getByRole('heading', { name: 'In force: version 1' }).waitFor();
    assert.match(await inForce.getByTestId('approval').textContent(), /Approved by system/);
    assert.equal((await inForce.getByTestId('threshold').textContent()).trim(), '8');

    const cells = inForce.getByTestId('risk-matrix').getByTestId('matrix-cell');
    assert.equal(await cells.count(), 25);
    const scores = (await cells.allTextContents()).map((s) => Number(s.trim()));
    assert.equal(Math.max(...scores), 25);
    // Likelihood runs down from 5: the top-left cell is 5 × 1 (Medium), the top-right 5 × 5
    // (Critical), the bottom-left 1 × 1 (Low); and
    // the colour comes from the band.
    assert.equal(await cells.first().getAttribute('data-band'), 'Medium');
    assert.equal(await cells.nth(4).getAttribute('data-band'), 'Critical');
    assert.equal(await cells.nth(20).getAttribute('data-band'), 'Low');
    const colour = await cells.nth(4).evaluate((el) => getComputedStyle(el).backgroundColor);
    assert.equal(colour, 'rgb(198, 40, 40)');
    assert.deepEqual(
      (await inForce.getByTestId('band').allTextContents()).map((s) => s.replace(/\s+/g, ' ').trim()),
      ['Low 1–4', 'Medium 5–9', 'High 10–16', 'Critical 17–25'],
    );
  });
});

test('a manager edits the methodology as a draft and approves it', async (t) => {
  const api = await apiSession(env.server);
  const org = await api.createOrg(unique('Methodology edit'));

  await withPage(t, env.browser, env.server, async (page) => {
    await signIn(page, env.server);
    await page.goto(`/orgs/${org.id}/risk-methodology`);
    await page.getByRole('button', { name: 'Edit criteria' }).click();
    const form = page.getByTestId('methodology-form');
    await form.waitFor();

    // A gap between bands is refused and named; nothing is stored.
    await form.getByLabel('From').nth(1).fill('6');
    const refused = page.waitForResponse((r) => r.request().method() === 'PUT');
    await form.getByRole('button', { name: 'Save draft' }).click();
    assert.equal((await refused).status(), 422);
    await form.getByText(/Bands must cover the scores 1 to 25/).first().waitFor();

    await form.getByLabel('From').nth(1).fill('5');
    await form.getByLabel('Acceptance threshold').fill('9');
    const saved = page.waitForResponse((r) => r.request().method() === 'PUT');
    await form.getByRole('button', { name: 'Save draft' }).click();
    assert.equal((await saved).status(), 200);

    const draft = page.getByTestId('methodology-draft');
    await draft.getByRole('heading', { name: 'Draft version 2' }).waitFor();
    // The approved version stays in force until the draft is approved.
    assert.equal((await page.getByTestId('threshold').textContent()).trim(), '8');

    await draft.getByRole('button', { name: 'Approve and put in force' }).click();
    await page.getByRole('heading', { name: 'In force: version 2' }).waitFor();
    assert.equal((await page.getByTestId('threshold').textContent()).trim(), '9');
    assert.equal(await page.getByTestId('methodology-draft').count(), 0);
  });
});
