// Notifications (issue 7 item 3): the job runner inside `certus serve` reminds the owner of
// a treatment action due today; the bell shows the unread count, the Notifications page
// lists the reminder and links to its risk, and marking it read clears the count.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { apiSession, eventually, signIn, unique, withPage, useServerAndBrowser } from './support.mjs';

// The server of this file runs its jobs every second and sweeps for reminders every second
// (`certus serve` reads these from its environment), so the test need not wait an hour.
process.env.CERTUS_JOBS_INTERVAL = '1s';
process.env.CERTUS_REMINDER_SWEEP_INTERVAL = '1s';
const env = useServerAndBrowser();

const today = () => new Date().toISOString().slice(0, 10);

test('a reminder rings the bell, shows on Notifications and is marked read', async (t) => {
  const api = await apiSession(env.server);
  const org = await api.createOrg(unique('Reminders'));
  const me = (await api.request('GET', '/auth/me', { expect: 200 })).json.user;
  const risk = (
    await api.request('POST', `/orgs/${org.id}/risks`, {
      body: { title: 'Unpatched VPN', owner_id: me.id, likelihood: 3, impact: 4 },
      expect: 201,
    })
  ).json;
  await api.request('POST', `/orgs/${org.id}/treatments`, {
    body: { risk_id: risk.id, title: 'Patch the VPN gateway', owner_id: me.id, due_on: today() },
    expect: 201,
  });
  const reminder = await eventually(
    async () => {
      const list = (await api.request('GET', '/me/notifications', { expect: 200 })).json;
      return list.items.find((n) => n.title.includes('Patch the VPN gateway'));
    },
    (found) => !!found,
    { message: 'the runner to send the reminder' },
  );
  assert.equal(reminder.kind, 'reminder.due');
  // Other duties of the new organization (its first risk reassessment, due today and naming
  // nobody) remind its admins too, a sweep or two later: wait until no more arrive, so that
  // the counts below change only by what the page does.
  let last = -1;
  let since = Date.now();
  await eventually(
    async () => {
      const count = (await api.request('GET', '/me/notifications/unread-count', { expect: 200 })).json.unread_count;
      if (count !== last) [last, since] = [count, Date.now()];
      return Date.now() - since;
    },
    (steady) => steady >= 3000,
    { timeout: 20_000, message: 'the unread count to settle' },
  );

  await withPage(t, env.browser, env.server, async (page) => {
    await signIn(page, env.server);
    await page.goto(`/orgs/${org.id}/tasks`);
    const count = page.getByTestId('notification-count');
    await count.waitFor();
    assert.ok(Number(await count.textContent()) >= 1);

    await page.getByTestId('notification-bell').click();
    await page.waitForURL((url) => url.pathname === `/orgs/${org.id}/notifications`);
    const item = page.getByTestId('notification').filter({ hasText: 'Patch the VPN gateway' });
    await item.waitFor();
    assert.equal(await item.getAttribute('data-read'), 'false');
    const before = Number(await count.textContent());
    await item.getByTestId('mark-read').click();
    await eventually(() => item.getAttribute('data-read'), (v) => v === 'true');
    // The bell counts again after the mark: one less than it showed, or — when a reminder of
    // another duty arrived since the bell last counted (the runner may still be sending them) —
    // what the server counts now.
    const shown = async () => ((await count.count()) ? Number(await count.textContent()) : 0);
    const counted = async () =>
      (await api.request('GET', '/me/notifications/unread-count', { expect: 200 })).json.unread_count;
    await eventually(
      async () => [await shown(), await counted()],
      ([bell, server]) => bell === before - 1 || bell === server,
    );
    if (await shown()) await page.getByTestId('mark-all-read').click();
    await count.waitFor({ state: 'detached' });

    await item.getByTestId('notification-link').click();
    await page.waitForURL((url) => url.pathname === `/orgs/${org.id}/risks` && url.searchParams.get('risk') === risk.id);
  });
});
