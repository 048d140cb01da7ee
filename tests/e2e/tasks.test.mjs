// Tasks and the calendar (issue 7 item 2): an overdue treatment action shows in red on the
// Tasks page and its link leads to the risk; the calendar lists today's duties.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { apiSession, signIn, unique, withPage, useServerAndBrowser } from './support.mjs';

const env = useServerAndBrowser();

const day = (offset) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

test('an overdue treatment action is on Tasks and leads to its risk', async (t) => {
  const api = await apiSession(env.server);
  const org = await api.createOrg(unique('Tasks'));
  const me = (await api.request('GET', '/auth/me', { expect: 200 })).json.user;
  const risk = (
    await api.request('POST', `/orgs/${org.id}/risks`, {
      body: { title: 'Stolen laptop', owner_id: me.id, likelihood: 3, impact: 4 },
      expect: 201,
    })
  ).json;
  await api.request('POST', `/orgs/${org.id}/treatments`, {
    body: { risk_id: risk.id, title: 'Encrypt every laptop', owner_id: me.id, due_on: day(-1) },
    expect: 201,
  });
  await api.request('POST', `/orgs/${org.id}/treatments`, {
    body: { risk_id: risk.id, title: 'Inventory laptops', owner_id: me.id, due_on: day(0) },
    expect: 201,
  });

  await withPage(t, env.browser, env.server, async (page) => {
    await signIn(page, env.server);
    await page.goto(`/orgs/${org.id}/calendar`);
    const today = page.locator(`[data-testid="calendar-day"][data-day="${day(0)}"]`);
    await today.getByRole('link', { name: /Inventory laptops/ }).waitFor();

    await page.goto(`/orgs/${org.id}/tasks`);
    await page.getByTestId('tasks-overdue').check();
    const row = page.getByTestId('task-row').filter({ hasText: 'Encrypt every laptop' });
    await row.waitFor();
    assert.equal(await page.getByTestId('task-row').count(), 1);
    assert.equal(await row.getAttribute('data-overdue'), 'true');
    const colour = await row.locator('td').first().evaluate((el) => getComputedStyle(el).color);
    assert.equal(colour, 'rgb(180, 35, 24)'); // --danger

    await row.getByTestId('task-link').click();
    await page.waitForURL((url) => url.pathname === `/orgs/${org.id}/risks` && url.searchParams.get('risk') === risk.id);
  });
});
