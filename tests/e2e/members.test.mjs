// Members and roles: an admin manages members; a viewer reads but cannot write; someone in
// no organization is told what to do.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { apiSession, dialog, signIn, unique, withPage, useServerAndBrowser } from './support.mjs';

const env = useServerAndBrowser();
const PASSWORD = 'another-long-password-77';

function email(name) {
  return `${unique(name).replace(/\s+/g, '.').toLowerCase()}@example.com`;
}

test('an admin adds a member, changes their role and removes them', async (t) => {
  const api = await apiSession(env.server);
  const org = await api.createOrg(unique('Members'));
  const who = email('mia');
  await env.server.addUser({ email: who, password: PASSWORD, name: 'Mia Member' });

  await withPage(t, env.browser, env.server, async (page) => {
    await signIn(page, env.server);
    await page.goto(`/orgs/${org.id}/members`);
    await page.getByRole('heading', { name: 'Members', level: 1 }).waitFor();

    // An unknown email is refused at the field.
    await page.getByLabel('Email address').fill('nobody-here@example.com');
    const refused = page.waitForResponse((r) => r.url().endsWith('/members') && r.request().method() === 'POST');
    await page.getByRole('button', { name: 'Add member' }).click();
    assert.equal((await refused).status(), 422);
    await page.locator('#member-email-error').waitFor();

    await page.getByLabel('Email address').fill(who);
    await page.getByLabel('Role', { exact: true }).selectOption('viewer');
    const added = page.waitForResponse((r) => r.url().endsWith('/members') && r.request().method() === 'POST');
    await page.getByRole('button', { name: 'Add member' }).click();
    assert.equal((await added).status(), 201);
    const role = page.getByLabel(`Role of ${who}`);
    await role.waitFor();
    assert.equal(await role.inputValue(), 'viewer');

    const changed = page.waitForResponse((r) => r.request().method() === 'PATCH' && r.url().includes('/members/'));
    await role.selectOption('auditor');
    const response = await changed;
    assert.equal(response.status(), 200);
    assert.equal(response.request().headers()['if-match'], '"1"');

    await page.getByRole('button', { name: `Remove ${who}` }).click();
    const confirm = page.getByRole('alertdialog', { name: `Remove ${who}?` });
    const removed = page.waitForResponse((r) => r.request().method() === 'DELETE' && r.url().includes('/members/'));
    await confirm.getByRole('button', { name: 'Remove member' }).click();
    assert.equal((await removed).status(), 204);
    await role.waitFor({ state: 'detached' });
  });
});

test('a viewer reads context issues but cannot change them', async (t) => {
  const api = await apiSession(env.server);
  const org = await api.createOrg(unique('Viewer'));
  const who = email('vera');
  await env.server.addUser({ email: who, password: PASSWORD, name: 'Vera Viewer' });
  await api.request('POST', `/orgs/${org.id}/members`, { body: { email: who, role: 'viewer' }, expect: 201 });
  await api.createIssue(org.id, { kind: 'internal', title: 'Read-only issue', description: 'd', effect: 'e', reviewed_on: null });

  await withPage(t, env.browser, env.server, async (page) => {
    await signIn(page, env.server, { email: who, password: PASSWORD });
    await page.goto(`/orgs/${org.id}/context-issues`);
    await page.getByRole('link', { name: 'Read-only issue' }).click();
    const view = dialog(page, /Context issue/);
    await view.getByText('can read context issues but not change them').waitFor();
    assert.equal(await view.getByRole('button', { name: 'Save changes' }).count(), 0);
    assert.equal(await view.getByRole('button', { name: 'Delete' }).count(), 0);
    assert.equal(await view.getByLabel('Title').getAttribute('readonly'), '');
    await view.getByRole('button', { name: 'Close' }).last().click();
    await view.waitFor({ state: 'hidden' });
    assert.equal(await page.getByRole('button', { name: 'New issue' }).count(), 0);
    assert.equal(await page.getByRole('link', { name: 'Members' }).count(), 0);
  });
});

test('someone in no organization is told to ask an admin or create one', async (t) => {
  const who = email('nora');
  await env.server.addUser({ email: who, password: PASSWORD, name: 'Nora Nobody' });
  await withPage(t, env.browser, env.server, async (page) => {
    await signIn(page, env.server, { email: who, password: PASSWORD });
    await page.getByRole('heading', { name: 'You are not in an organization yet' }).waitFor();
    await page.getByTestId('no-org').getByText(who).waitFor();
    await page.getByRole('button', { name: 'Create an organization' }).waitFor();
  });
});
