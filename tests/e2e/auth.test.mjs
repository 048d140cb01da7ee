// Sign-in, the shell, and sign-out.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { signIn, withPage, useServerAndBrowser } from './support.mjs';

const env = useServerAndBrowser();

test('a wrong password shows an error; the right one lands on the shell', async (t) => {
  await withPage(t, env.browser, env.server, async (page) => {
    await page.goto('/');
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();

    await page.getByLabel('Email address').fill(env.server.adminEmail);
    await page.getByLabel('Password').fill('not the password');
    const failed = page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/login'));
    await page.getByRole('button', { name: 'Sign in' }).click();
    assert.equal((await failed).status(), 401);
    const error = page.getByRole('alert');
    await error.waitFor();
    assert.notEqual((await error.textContent()).trim(), '');
    assert.equal(await page.getByLabel('Password').inputValue(), '', 'the wrong password is cleared');

    await page.getByLabel('Password').fill(env.server.adminPassword);
    await page.getByRole('button', { name: 'Sign in' }).click();

    // The shell: product name, organization switcher, navigation by clause, the first page.
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
    await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
    assert.match(new URL(page.url()).pathname, /^\/orgs\/[^/]+\/dashboard$/);
    const switcher = page.getByLabel('Organization', { exact: true });
    assert.equal(await switcher.locator('option:checked').textContent(), env.server.firstOrg);
    for (const clause of ['Context', 'Leadership', 'Planning', 'Support', 'Operation', 'Performance evaluation', 'Improvement']) {
      await page.getByRole('heading', { name: new RegExp(`^\\d+ ${clause}$`) }).waitFor();
    }
    // Every clause's modules are links, the check-and-act ones included.
    const nav = page.getByRole('navigation', { name: 'Main' });
    for (const name of [/Context issues/, /Internal audits/, /Management reviews/, /Incidents/, /Readiness/]) {
      await nav.getByRole('link', { name }).waitFor();
    }
  });
});

test('the session survives a reload, and signing out ends it', async (t) => {
  await withPage(t, env.browser, env.server, async (page) => {
    await signIn(page, env.server);
    await page.reload();
    await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();

    await page.getByRole('button', { name: /account menu/ }).click();
    const loggedOut = page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/logout'));
    await page.getByRole('button', { name: 'Sign out' }).click();
    assert.equal((await loggedOut).status(), 204);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();

    // The cookie is gone too: a reload still shows the sign-in page.
    await page.reload();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    const me = await page.evaluate(async () => (await fetch('/api/v1/auth/me')).status);
    assert.equal(me, 401);
  });
});

test('a deep link asks for sign-in, then opens the page it named', async (t) => {
  await withPage(t, env.browser, env.server, async (page) => {
    await signIn(page, env.server);
    const target = new URL(page.url()).pathname.replace(/dashboard$/, 'members');
    await page.context().clearCookies();
    await page.goto(target);
    await page.getByLabel('Email address').fill(env.server.adminEmail);
    await page.getByLabel('Password').fill(env.server.adminPassword);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Members', level: 1 }).waitFor();
    assert.equal(new URL(page.url()).pathname, target);
    await page.getByRole('cell', { name: env.server.adminEmail, exact: true }).waitFor();
  });
});
