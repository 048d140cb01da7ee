// The first visit: a fresh installation without an organization. The admin signs in, creates
// the organization and records the first context issue, all in the browser.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dialog, signIn, withPage, useServerAndBrowser } from './support.mjs';

const env = useServerAndBrowser({ org: null });

test('a newcomer signs in, creates an organization and records a context issue', async (t) => {
  await withPage(t, env.browser, env.server, async (page) => {
    await signIn(page, env.server);
    await page.getByRole('heading', { name: 'You are not in an organization yet' }).waitFor();
    // Nothing to navigate to yet: the module entries are not links.
    const nav = page.getByRole('navigation', { name: 'Main' });
    assert.equal(await nav.getByRole('link').count(), 0);

    await page.getByRole('button', { name: 'Create an organization' }).click();
    const orgForm = dialog(page, 'New organization');
    await orgForm.getByLabel('Organization name').fill('Acme Ltd');
    await orgForm.getByRole('button', { name: 'Create organization' }).click();
    await page.waitForURL(/\/orgs\/[^/]+\/context-issues$/);
    await orgForm.waitFor({ state: 'hidden' });
    assert.equal(await page.getByLabel('Organization', { exact: true }).locator('option:checked').textContent(), 'Acme Ltd');

    await page.getByRole('button', { name: 'Record the first issue' }).click();
    const form = dialog(page, 'New context issue');
    await form.getByLabel('Kind').selectOption('external');
    await form.getByLabel('Title').fill('Customers require ISO 27001 certification');
    await form.getByLabel('Effect on the ISMS').fill('Certification within a year is an objective of the ISMS.');
    await form.getByRole('button', { name: 'Create issue' }).click();
    await form.waitFor({ state: 'hidden' });
    const row = page.getByTestId('issue-row').filter({ hasText: 'Customers require ISO 27001 certification' });
    await row.getByText('CTX-0001').waitFor();
  });
});
