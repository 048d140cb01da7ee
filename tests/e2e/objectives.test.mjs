// Objectives (ISO/IEC 27001 clause 6.2) and metrics (9.1): an objective linked to a metric,
// results recorded on the metric's page (one of them corrected, never edited), and the
// objective's computed status and trend chart.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { apiSession, dialog, signIn, unique, withPage, useServerAndBrowser } from './support.mjs';

const env = useServerAndBrowser();

function daysAgo(n) {
  return new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);
}

test('plan an objective, measure its metric and see it achieved', async (t) => {
  const api = await apiSession(env.server);
  const org = await api.createOrg(unique('Objectives'));
  const me = (await api.request('GET', '/auth/me', { expect: 200 })).json.user;
  const metric = (
    await api.request('POST', `/orgs/${org.id}/metrics`, {
      body: {
        name: 'Staff who completed awareness training',
        unit: '%',
        direction: 'higher_is_better',
        target: 90,
        warning: 60,
        frequency: 'monthly',
        owner_id: me.id,
      },
      expect: 201,
    })
  ).json;

  await withPage(t, env.browser, env.server, async (page) => {
    await signIn(page, env.server);
    await page.goto(`/orgs/${org.id}/objectives`);
    await page.getByRole('heading', { name: 'No objectives yet' }).waitFor();

    await page.getByRole('button', { name: 'New objective' }).click();
    const form = dialog(page, 'New objective');
    await form.waitFor();
    await form.getByLabel('Title').fill('Everyone is trained in information security');
    await form.getByLabel('Due on').fill(`${new Date().getUTCFullYear() + 1}-06-30`);
    await form.getByLabel('Metric').selectOption(metric.id);
    await form.getByLabel('What will be done').fill('Roll out the e-learning course');
    await form.getByLabel('How the results will be evaluated').fill('Completion report each month');
    const created = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/objectives'));
    await form.getByRole('button', { name: 'Create objective' }).click();
    const objective = await (await created).json();
    assert.equal(objective.target, 90, "the metric's target by default");

    // The objective's page: no data yet, the plan as entered.
    await page.getByRole('heading', { name: 'Everyone is trained in information security' }).waitFor();
    assert.equal(await page.getByTestId('objective-status').textContent(), 'No data');
    assert.match(await page.getByTestId('objective-plan').textContent(), /Roll out the e-learning course/);

    // Record two results on the metric's page, the first one wrong.
    await page.getByRole('link', { name: /Staff who completed awareness training/ }).click();
    await page.getByRole('heading', { name: 'Record measurement' }).waitFor();
    const measurementForm = page.getByTestId('measurement-form');
    await measurementForm.getByLabel(/^Value/).fill('40');
    await measurementForm.getByLabel(/^Measured on/).fill(daysAgo(10));
    await measurementForm.getByRole('button', { name: 'Record measurement' }).click();
    await page.getByTestId('measurement-row').first().waitFor();

    // Corrected, not edited: the original stays, marked as corrected.
    await page.getByTestId('measurement-row').first().getByRole('button', { name: 'Correct' }).click();
    await page.getByTestId('correcting').waitFor();
    await measurementForm.getByLabel(/^Value/).fill('55');
    const refused = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/measurements'));
    await measurementForm.getByRole('button', { name: 'Record correction' }).click();
    assert.equal((await refused).status(), 422, 'a correction says why');
    await measurementForm.getByLabel(/^Note/).fill('Counted only one department');
    await measurementForm.getByRole('button', { name: 'Record correction' }).click();
    await page.getByTestId('measurement-superseded').waitFor();
    assert.equal(await page.getByTestId('measurement-row').count(), 2);

    await measurementForm.getByLabel(/^Value/).fill('92');
    await measurementForm.getByRole('button', { name: 'Record measurement' }).click();
    await page.getByTestId('measurement-row').nth(2).waitFor();

    // Back on the objective: achieved, with the reason, and the chart draws the two results
    // that count, the target and the due date.
    await page.goto(`/orgs/${org.id}/objectives/${objective.id}`);
    await page.getByTestId('trend-chart').waitFor();
    assert.equal(await page.getByTestId('objective-status').textContent(), 'Achieved');
    assert.match(await page.getByTestId('status-reason').textContent(), /92% .* meets the target of 90%/);
    assert.equal(await page.getByTestId('chart-point').count(), 2);
    assert.equal(await page.getByTestId('chart-target').count(), 1);
    assert.equal(await page.getByTestId('chart-due').count(), 1);

    // And in the list.
    await page.getByRole('link', { name: '← Objectives' }).click();
    const row = page.getByTestId('objective-row').filter({ hasText: 'Everyone is trained' });
    assert.equal(await row.getByTestId('objective-status').textContent(), 'Achieved');
  });
});
