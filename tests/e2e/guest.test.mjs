// Guest auditors (ISO 27001 A.5.15, A.5.18, A.8.15; ADR 0018): an admin invites a
// certification body's auditor on the Members page; the auditor signs in, sees the read-only
// banner, reads the risk register and finds nothing to change.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { apiSession, signIn, unique, withPage, useServerAndBrowser } from './support.mjs';

const env = useServerAndBrowser();
const PASSWORD = 'auditor-long-password-31';

test('an admin invites a guest auditor who reads the risk register, read-only', async (t) => {
  const api = await apiSession(env.server);
  const org = await api.createOrg(unique('Guests'));
  const who = `${unique('gina').replace(/\s+/g, '.').toLowerCase()}@certbody.example`;
  await env.server.addUser({ email: who, password: PASSWORD, name: 'Gina Guest' });

  await withPage(t, env.browser, env.server, async (page) => {
    await signIn(page, env.server);
    await page.goto(`/orgs/${org.id}/members`);
    const section = page.getByTestId('guest-auditors');
    await section.getByRole('heading', { name: 'Guest auditors' }).waitFor();
    await section.getByLabel('Auditor’s email').fill(who);
    await section.getByLabel('Firm').fill('Example Certification Body');
    await section.getByLabel('Note').fill('Stage 1');
    const invited = page.waitForResponse((r) => r.url().endsWith('/guests') && r.request().method() === 'POST');
    await section.getByRole('button', { name: 'Invite guest auditor' }).click();
    assert.equal((await invited).status(), 201);
    assert.equal((await section.getByTestId('guest-status').first().textContent()).trim(), 'active');
  });

  await withPage(t, env.browser, env.server, async (page) => {
    await signIn(page, env.server, { email: who, password: PASSWORD });
    await page.goto(`/orgs/${org.id}/risks`);
    await page.getByRole('heading', { name: 'Risk register', level: 1 }).waitFor();
    const banner = page.getByTestId('guest-banner');
    await banner.waitFor();
    assert.match(await banner.textContent(), /Guest auditor access until .+, read-only/);
    assert.equal(await page.getByRole('button', { name: 'New risk' }).count(), 0);
  });

  // A write the UI does not offer is refused all the same, and the visit is in the log.
  const guest = await apiSession(env.server, { email: who, password: PASSWORD });
  const write = await guest.request('POST', `/orgs/${org.id}/context-issues`, { body: { kind: 'internal', title: 'x' } });
  assert.equal(write.status, 403);
  const log = await api.request('GET', `/orgs/${org.id}/guest-access-log`, { expect: 200 });
  assert.ok(log.json.items.some((row) => row.path.endsWith('/risks') && row.status === 200));
});
