// Readiness (ISO/IEC 27001 clauses 4–10): the page shows a failing check and its link leads
// to the record to fix.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { apiSession, signIn, unique, withPage, useServerAndBrowser } from './support.mjs';

const env = useServerAndBrowser();

test('a failing check links to the record to fix', async (t) => {
  const api = await apiSession(env.server);
  const org = await api.createOrg(unique('Readiness'));
  const issue = await api.createIssue(org.id, { kind: 'external', title: 'Old regulation', reviewed_on: '2020-01-01' });

  await withPage(t, env.browser, env.server, async (page) => {
    await signIn(page, env.server);
    await page.goto(`/orgs/${org.id}/readiness`);
    await page.getByTestId('readiness-verdict').waitFor();
    assert.equal(await page.getByTestId('readiness-verdict').getAttribute('data-verdict'), 'not_ready');

    const check = page.locator('[data-check="context.issues_reviewed"]');
    assert.equal(await check.getAttribute('data-status'), 'fail');
    await check.getByRole('link', { name: issue.ref }).click();
    await page.waitForURL((url) => url.pathname === `/orgs/${org.id}/context-issues/${issue.id}`);
  });
});

test('the dashboard shows the verdict and the gaps, and a gap leads to the record to fix', async (t) => {
  const api = await apiSession(env.server);
  const org = await api.createOrg(unique('Dashboard'));
  const issue = await api.createIssue(org.id, { kind: 'internal', title: 'Unreviewed issue', reviewed_on: '2020-01-01' });

  await withPage(t, env.browser, env.server, async (page) => {
    await signIn(page, env.server);
    await page.goto(`/orgs/${org.id}`);
    await page.waitForURL((url) => url.pathname === `/orgs/${org.id}/dashboard`);
    await page.getByTestId('dashboard-verdict').waitFor();
    assert.equal(await page.getByTestId('dashboard-verdict').getAttribute('data-verdict'), 'not_ready');
    assert.equal(await page.getByTestId('dashboard-clause').count(), 7);
    // Thirty days of readiness over time and the SoA progress render from their own calls.
    await page.getByTestId('dashboard-trend-chart').waitFor();
    await page.getByTestId('dashboard-soa-decided').waitFor();

    const gap = page.locator('[data-testid="dashboard-gap"][data-check="context.issues_reviewed"]');
    assert.equal(await gap.getAttribute('data-status'), 'fail');
    await gap.getByRole('link', { name: issue.ref }).click();
    await page.waitForURL((url) => url.pathname === `/orgs/${org.id}/context-issues/${issue.id}`);
  });
});
