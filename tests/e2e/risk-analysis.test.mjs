// The register seen whole (ISO/IEC 27001 6.1.2, 6.1.3, 8.2, 8.3): a matrix methodology with its
// live preview and the risks it no longer fits, the heat maps, the treatment plan with overdue
// actions, and a retained risk assessment compared with today's register.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PHONE, apiSession, dialog, eventually, signIn, unique, withPage, useServerAndBrowser } from './support.mjs';

const env = useServerAndBrowser();

async function arrange(prefix) {
  const api = await apiSession(env.server);
  const org = await api.createOrg(unique(prefix));
  const me = (await api.request('GET', '/auth/me', { expect: 200 })).json.user.id;
  const createRisk = async (title, likelihood, impact, extra = {}) =>
    (
      await api.request('POST', `/orgs/${org.id}/risks`, {
        body: { title, owner_id: me, likelihood, impact, ...extra },
        expect: 201,
      })
    ).json;
  return { api, org, me, createRisk };
}

test('a matrix methodology: live preview, order check, approval, and the risks it no longer fits', async (t) => {
  const { org, createRisk } = await arrange('Matrix');
  // Rated 5×1 = 5 (Medium) by the default product; the matrix below scores it 10 (High).
  const rated = await createRisk('Insider fraud', 5, 1);

  await withPage(t, env.browser, env.server, async (page) => {
    await signIn(page, env.server);
    await page.goto(`/orgs/${org.id}/risk-methodology`);
    await page.getByRole('heading', { name: 'Risk methodology', level: 1 }).waitFor();
    assert.equal(await page.getByTestId('re-rating').count(), 0);

    await page.getByRole('button', { name: 'Edit criteria' }).click();
    const form = page.getByTestId('methodology-form');
    await form.getByRole('radio', { name: /Matrix/ }).check();
    const editor = form.getByTestId('matrix-editor');
    await editor.waitFor();
    // The matrix starts from the product's scores.
    const cell = (l, i) => editor.locator(`[data-testid="matrix-input"][data-likelihood="${l}"][data-impact="${i}"]`);
    assert.equal(await cell(5, 1).inputValue(), '5');
    assert.equal(await cell(3, 4).inputValue(), '12');

    const preview = form.getByTestId('preview-matrix');
    const previewCell = (l, i) => preview.locator(`[data-testid="matrix-cell"][data-likelihood="${l}"][data-impact="${i}"]`);
    assert.equal((await previewCell(5, 1).textContent()).trim(), '5');
    assert.equal(await previewCell(5, 1).getAttribute('data-band'), 'Medium');

    // A score lower than its neighbour of lower likelihood is flagged at once.
    await cell(2, 1).fill('9');
    await form.getByTestId('matrix-order-error').waitFor();
    assert.equal(await cell(3, 1).getAttribute('aria-invalid'), 'true');
    await cell(2, 1).fill('2');
    await form.getByTestId('matrix-order-error').waitFor({ state: 'detached' });

    // The preview follows the edit, coloured by the band the new score falls in.
    await cell(5, 1).fill('10');
    await eventually(() => previewCell(5, 1).textContent(), (v) => v.trim() === '10', { message: 'preview score' });
    assert.equal(await previewCell(5, 1).getAttribute('data-band'), 'High');
    assert.equal(await cell(5, 1).getAttribute('data-band'), 'High');
    const background = await previewCell(5, 1).evaluate((el) => getComputedStyle(el).backgroundColor);
    assert.equal(background, 'rgb(239, 108, 0)'); // High: #ef6c00

    const saved = page.waitForResponse((r) => r.request().method() === 'PUT' && r.url().endsWith('/risk-methodology'));
    await form.getByRole('button', { name: 'Save draft' }).click();
    const put = await saved;
    assert.equal(put.status(), 200, await put.text());
    const body = JSON.parse(put.request().postData());
    assert.equal(body.scoring, 'matrix');
    assert.deepEqual(body.matrix[4], [10, 10, 15, 20, 25]);

    await page.getByRole('button', { name: 'Approve and put in force' }).click();
    const inForce = page.getByTestId('methodology-in-force');
    await inForce.getByRole('heading', { name: 'In force: version 2' }).waitFor();
    const forceCell = inForce.locator('[data-testid="matrix-cell"][data-likelihood="5"][data-impact="1"]');
    assert.equal((await forceCell.textContent()).trim(), '10');
    assert.match(await inForce.locator('caption').first().textContent(), /matrix/);

    // The risk keeps its stored rating and is listed for re-rating, with the reason.
    const row = page.getByTestId('re-rating-row').filter({ hasText: rated.ref });
    await row.waitFor();
    assert.match(await row.textContent(), /score 5 would now be 10/);
    assert.equal(await row.getByRole('link', { name: 'Insider fraud' }).getAttribute('href'), `/orgs/${org.id}/risks?risk=${rated.id}`);
  });
});

test('a new risk appears on both heat maps, a cell filters the register; the register exports', async (t) => {
  const { org, createRisk } = await arrange('Heat map');
  await createRisk('Unrelated low risk', 1, 1);

  await withPage(t, env.browser, env.server, async (page) => {
    await signIn(page, env.server);
    await page.goto(`/orgs/${org.id}/risk-heatmaps`);
    await page.getByRole('heading', { name: 'Risk heat maps', level: 1 }).waitFor();
    const inherent = page.getByTestId('heatmap-inherent');
    const at = (map, l, i) => map.locator(`[data-testid="heatmap-cell"][data-likelihood="${l}"][data-impact="${i}"]`);
    await at(inherent, 4, 4).waitFor();
    assert.equal(await at(inherent, 4, 4).getAttribute('data-count'), '0');

    const risk = await createRisk('Ransomware on the file servers', 4, 4, { residual_likelihood: 2, residual_impact: 2 });
    await page.reload();
    await at(inherent, 4, 4).waitFor();
    assert.equal(await at(inherent, 4, 4).getAttribute('data-count'), '1');
    assert.equal(await at(inherent, 4, 4).getAttribute('data-level'), 'High');
    assert.equal((await at(inherent, 4, 4).textContent()).trim(), '1');
    const colour = await at(inherent, 4, 4).evaluate((el) => getComputedStyle(el).backgroundColor);
    assert.equal(colour, 'rgb(239, 108, 0)');
    const residual = page.getByTestId('heatmap-residual');
    assert.equal(await at(residual, 2, 2).getAttribute('data-count'), '1');
    assert.equal(await at(residual, 4, 4).getAttribute('data-count'), '0');
    // The low risk has no residual rating: counted at its inherent one, and said so.
    assert.match(await page.getByTestId('without-residual').textContent(), /1 risk has no residual rating/);

    // A cell opens the register filtered to it, with a chip that says so and clears it.
    await at(inherent, 4, 4).click();
    await page.waitForURL((url) => url.pathname === `/orgs/${org.id}/risks` && url.searchParams.get('likelihood') === '4');
    const url = new URL(page.url());
    assert.equal(url.searchParams.get('basis'), 'inherent');
    assert.equal(url.searchParams.get('impact'), '4');
    assert.equal(url.searchParams.get('status'), 'open');
    const chip = page.getByTestId('risk-cell-filter');
    await chip.waitFor();
    assert.match(await chip.textContent(), /Inherent.*4.*4/s);
    await eventually(() => page.getByTestId('risk-row').allTextContents(), (rows) => rows.length === 1 && /Ransomware/.test(rows[0]), {
      message: 'the register filtered to the inherent 4×4 cell',
    });

    // The residual map places the same risk at its residual rating, the low one at its inherent.
    await page.goBack();
    await at(residual, 1, 1).click();
    await page.getByTestId('risk-cell-filter').waitFor();
    await eventually(() => page.getByTestId('risk-row').allTextContents(), (rows) => rows.length === 1 && /Unrelated/.test(rows[0]), {
      message: 'the register filtered to the residual 1×1 cell',
    });
    // Clearing the chip lists the whole register again (both risks, open ones).
    await page.getByRole('button', { name: /Clear the heat-map cell filter/ }).click();
    await eventually(() => page.getByTestId('risk-row').count(), (n) => n === 2, { message: 'the whole register' });
    assert.equal(new URL(page.url()).searchParams.get('likelihood'), null);
    assert.equal(await page.getByTestId('risk-cell-filter').count(), 0);

    await page.goto(`/orgs/${org.id}/risk-heatmaps`);
    await page.getByTestId('heatmap-inherent').waitFor();
    // The register's exports are real downloads.
    const csvHref = await page.getByTestId('register-export-csv').getAttribute('href');
    const csv = await page.request.get(csvHref);
    assert.equal(csv.status(), 200);
    assert.match(csv.headers()['content-disposition'], /attachment/);
    assert.match(await csv.text(), /Ransomware on the file servers/);
    const xlsx = await page.request.get(await page.getByTestId('register-export-xlsx').getAttribute('href'));
    assert.equal(xlsx.status(), 200);
    assert.equal((await xlsx.body()).subarray(0, 2).toString(), 'PK');
  });
});

test('an action past its due date is overdue in the treatment plan', async (t) => {
  const { api, org, me, createRisk } = await arrange('Plan');
  const late = await createRisk('Ransomware', 4, 4);
  const onTime = await createRisk('Phishing', 3, 3);
  const plan = async (risk, title, due) =>
    api.request('POST', `/orgs/${org.id}/treatments`, { body: { risk_id: risk.id, title, due_on: due, owner_id: me }, expect: 201 });
  await plan(late, 'Offline backups', '2020-01-15');
  await plan(late, 'EDR rollout', '2099-06-30');
  await plan(onTime, 'Awareness training', '2099-03-01');

  await withPage(t, env.browser, env.server, async (page) => {
    await signIn(page, env.server);
    await page.goto(`/orgs/${org.id}/treatment-plan`);
    await page.getByRole('heading', { name: 'Risk treatment plan', level: 1 }).waitFor();
    const lateEntry = page.getByTestId('plan-risk').filter({ hasText: 'Ransomware' });
    await lateEntry.waitFor();
    assert.equal(await page.getByTestId('plan-risk').count(), 2);

    const backups = lateEntry.getByTestId('plan-action').filter({ hasText: 'Offline backups' });
    assert.equal(await backups.getAttribute('data-overdue'), 'true');
    await backups.getByTestId('overdue-badge').waitFor();
    const edr = lateEntry.getByTestId('plan-action').filter({ hasText: 'EDR rollout' });
    assert.equal(await edr.getAttribute('data-overdue'), 'false');
    assert.equal(await edr.getByTestId('overdue-badge').count(), 0);
    // Highlighted: the overdue row is not painted like the others.
    const [hot, cold] = await Promise.all([
      backups.locator('td').first().evaluate((el) => getComputedStyle(el).backgroundColor),
      edr.locator('td').first().evaluate((el) => getComputedStyle(el).backgroundColor),
    ]);
    assert.notEqual(hot, cold);
    assert.match(await page.getByTestId('plan-summary').textContent(), /3 actions, 3 open,\s*1 overdue/);

    await page.getByLabel('Only risks with overdue actions').check();
    await eventually(() => page.getByTestId('plan-risk').count(), (n) => n === 1, { message: 'only the late risk' });
    assert.match(await page.getByTestId('plan-risk').textContent(), /Ransomware/);

    const csv = await page.request.get(await page.getByTestId('plan-export-csv').getAttribute('href'));
    assert.equal(csv.status(), 200);
    const text = await csv.text();
    assert.match(text, /Offline backups/);
    assert.match(text, /overdue/);
    const xlsx = await page.request.get(await page.getByTestId('plan-export-xlsx').getAttribute('href'));
    assert.equal(xlsx.status(), 200);
    assert.equal((await xlsx.body()).subarray(0, 2).toString(), 'PK');
  });
});

test('retain a risk assessment, re-rate a risk, and compare the assessment with today', async (t) => {
  const { api, org, createRisk } = await arrange('Assessments');
  const rerated = await createRisk('Lost laptop', 2, 3);
  await createRisk('Stays as it is', 1, 2);

  await withPage(t, env.browser, env.server, async (page) => {
    await signIn(page, env.server);
    await page.goto(`/orgs/${org.id}/risk-assessments`);
    await page.getByRole('heading', { name: 'Risk assessments', level: 1 }).waitFor();
    await page.getByTestId('assessments-empty').waitFor();

    await page.getByRole('button', { name: 'Retain assessment' }).click();
    const form = dialog(page, 'Retain assessment');
    await form.waitFor();
    // The name is required: the server's answer is shown at the field.
    await form.getByRole('button', { name: 'Retain' }).click();
    await form.locator('.field-error').waitFor();
    await form.getByLabel('Name').fill('Annual review 2026');
    await form.getByLabel('Notes').fill('Reviewed with the ISMS committee.');
    const taken = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/risk-assessments'));
    await form.getByRole('button', { name: 'Retain' }).click();
    const response = await taken;
    assert.equal(response.status(), 201);
    const assessment = await response.json();
    assert.equal(assessment.risk_count, 2);
    await form.waitFor({ state: 'hidden' });
    const row = page.getByTestId('assessment-row').filter({ hasText: 'Annual review 2026' });
    await row.waitFor();
    assert.equal(await row.getAttribute('data-ref'), assessment.ref);

    // Its risks, as retained.
    await row.getByRole('link', { name: /^View/ }).click();
    const view = page.getByTestId('assessment-view');
    await view.getByTestId('assessed-risk').first().waitFor();
    assert.equal(await view.getByTestId('assessed-risk').count(), 2);

    // The register moves on: the laptop is re-rated, and a risk is added.
    await api.request('PATCH', `/orgs/${org.id}/risks/${rerated.id}`, { body: { likelihood: 5 }, ifMatch: rerated.version, expect: 200 });
    await createRisk('Supplier breach', 3, 3);

    await row.getByRole('link', { name: /^Compare with today/ }).click();
    const diff = page.getByTestId('assessment-diff');
    await diff.getByTestId('diff-rerated').waitFor();
    assert.equal((await diff.locator('h3').textContent()).trim(), `${assessment.ref} Annual review 2026 → Today's register`);
    const likelihood = diff.locator(`[data-testid="diff-row"][data-ref="${rerated.ref}"][data-field="likelihood"]`);
    assert.equal((await likelihood.locator('del').textContent()).trim(), '2');
    assert.equal((await likelihood.locator('ins').textContent()).trim(), '5');
    // The score and level moved with it: 2×3 = 6 (Medium) became 5×3 = 15 (High).
    const score = diff.locator(`[data-testid="diff-row"][data-ref="${rerated.ref}"][data-field="inherent_score"]`);
    assert.equal((await score.locator('ins').textContent()).trim(), '15');
    assert.match(await diff.getByTestId('diff-added').textContent(), /Supplier breach/);
    assert.equal(await diff.getByTestId('diff-removed').count(), 0);
    assert.match(await diff.getByTestId('diff-summary').textContent(), /1 added, 0 removed, 1 re-rated, 0 otherwise changed/);
    // The comparison is in the address, so it can be shared and survives a reload.
    assert.match(new URL(page.url()).search, /^\?from=/);
    await page.reload();
    await diff.getByTestId('diff-rerated').waitFor();
  });
});

test('viewers see the assessments and the plan but cannot retain an assessment', async (t) => {
  const { api, org } = await arrange('Viewer');
  const who = `${unique('vic').replace(/\W+/g, '-')}@example.com`;
  const password = 'viewer-password-long-enough-42';
  await env.server.addUser({ email: who, password, name: 'Vic Viewer' });
  await api.request('POST', `/orgs/${org.id}/members`, { body: { email: who, role: 'viewer' }, expect: 201 });
  await api.request('POST', `/orgs/${org.id}/risk-assessments`, { body: { name: 'Baseline' }, expect: 201 });

  await withPage(t, env.browser, env.server, async (page) => {
    await signIn(page, env.server, { email: who, password });
    await page.goto(`/orgs/${org.id}/risk-assessments`);
    await page.getByTestId('assessment-row').filter({ hasText: 'Baseline' }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Retain assessment' }).count(), 0);
    // The navigation leads to the new pages (clauses 8.2, 8.3).
    await page.getByRole('link', { name: /Risk treatment plan/ }).first().click();
    await page.getByRole('heading', { name: 'Risk treatment plan', level: 1 }).waitFor();
    await page.getByTestId('plan-empty').waitFor();
  });
});

test('at phone width the risk analysis pages do not scroll sideways', async (t) => {
  const { api, org, me, createRisk } = await arrange('Phone');
  const risk = await createRisk('Ransomware on the file servers', 4, 4);
  await api.request('POST', `/orgs/${org.id}/treatments`, { body: { risk_id: risk.id, title: 'Offline backups', due_on: '2020-01-15', owner_id: me }, expect: 201 });
  const taken = (await api.request('POST', `/orgs/${org.id}/risk-assessments`, { body: { name: 'Baseline' }, expect: 201 })).json;
  await api.request('PATCH', `/orgs/${org.id}/risks/${risk.id}`, { body: { likelihood: 5 }, ifMatch: risk.version, expect: 200 });

  await withPage(
    t,
    env.browser,
    env.server,
    async (page) => {
      await signIn(page, env.server);
      const fits = () => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
      await page.goto(`/orgs/${org.id}/risk-heatmaps`);
      await page.locator('[data-testid="heatmap-cell"][data-count="1"]').first().waitFor();
      assert.ok(await fits(), 'heat maps');
      await page.locator('[data-testid="heatmap-cell"][data-count="1"]').first().click();
      await page.getByTestId('risk-cell-filter').waitFor();
      assert.ok(await fits(), 'the register filtered to a cell');
      await page.goto(`/orgs/${org.id}/treatment-plan`);
      await page.getByTestId('overdue-badge').waitFor();
      assert.ok(await fits(), 'treatment plan');
      await page.goto(`/orgs/${org.id}/risk-assessments?from=${taken.id}`);
      await page.getByTestId('diff-rerated').waitFor();
      assert.ok(await fits(), 'assessments');
      await page.goto(`/orgs/${org.id}/risk-methodology`);
      await page.getByRole('button', { name: 'Edit criteria' }).click();
      await page.getByRole('radio', { name: /Matrix/ }).check();
      await page.getByTestId('matrix-editor').waitFor();
      assert.ok(await fits(), 'matrix editor');
    },
    { viewport: PHONE },
  );
});
