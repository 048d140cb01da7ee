// Organizations: creating one from the switcher, switching between them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { apiSession, dialog, signIn, unique, withPage, useServerAndBrowser } from './support.mjs';

const env = useServerAndBrowser();

test('create an organization from the switcher', async (t) => {
  await withPage(t, env.browser, env.server, async (page) => {
    await signIn(page, env.server);
    const switcher = page.getByLabel('Organization', { exact: true });
    await switcher.selectOption({ label: 'New organization…' });

    const form = dialog(page, 'New organization');
    await form.waitFor();
    // An empty name is refused by the env.server, and the message is shown at the field.
    const refused = page.waitForResponse((r) => r.url().endsWith('/api/v1/orgs') && r.request().method() === 'POST');
    await form.getByRole('button', { name: 'Create organization' }).click();
    assert.equal((await refused).status(), 422);
    await form.locator('#new-org-name-error').waitFor();
    assert.equal(await form.getByLabel('Organization name').getAttribute('aria-invalid'), 'true');

    const name = unique('Globex');
    await form.getByLabel('Organization name').fill(name);
    const created = page.waitForResponse((r) => r.url().endsWith('/api/v1/orgs') && r.request().method() === 'POST');
    await form.getByRole('button', { name: 'Create organization' }).click();
    const response = await created;
    assert.equal(response.status(), 201);
    const org = await response.json();

    await page.waitForURL(`**/orgs/${org.id}/context-issues`);
    await form.waitFor({ state: 'hidden' });
    await page.getByRole('heading', { name: 'No context issues yet' }).waitFor();
    assert.equal(await switcher.locator('option:checked').textContent(), name);

    // The creator is its admin: Members is in the navigation.
    await page.getByRole('link', { name: 'Members' }).click();
    await page.getByRole('heading', { name: 'Members', level: 1 }).waitFor();
    assert.equal(await page.getByLabel(`Role of ${env.server.adminEmail}`).inputValue(), 'admin');
  });
});

test('the switcher moves between organizations', async (t) => {
  const api = await apiSession(env.server);
  const other = await api.createOrg(unique('Initech'));
  await api.createIssue(other.id, { kind: 'external', title: 'Only in Initech', description: '', effect: '', reviewed_on: null });

  await withPage(t, env.browser, env.server, async (page) => {
    await signIn(page, env.server);
    await page.getByLabel('Organization', { exact: true }).selectOption({ label: other.name });
    await page.waitForURL(`**/orgs/${other.id}/context-issues`);
    await page.getByRole('link', { name: 'Only in Initech' }).waitFor();

    await page.getByLabel('Organization', { exact: true }).selectOption({ label: env.server.firstOrg });
    await page.getByRole('heading', { name: 'Context issues', level: 1 }).waitFor();
    await page.getByRole('link', { name: 'Only in Initech' }).waitFor({ state: 'detached' });
  });
});

test('Escape closes the New organization form and nothing is created', async (t) => {
  await withPage(t, env.browser, env.server, async (page) => {
    await signIn(page, env.server);
    const switcher = page.getByLabel('Organization', { exact: true });
    const before = await switcher.locator('option').count();
    await switcher.selectOption({ label: 'New organization…' });
    const form = dialog(page, 'New organization');
    await form.waitFor();
    // Focus starts in the form.
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'new-org-name');
    await page.keyboard.press('Escape');
    await form.waitFor({ state: 'hidden' });
    assert.equal(await switcher.locator('option').count(), before);
    assert.notEqual(await switcher.inputValue(), '__new__');
  });
});
