// Takes screenshots of the main pages at desktop (1280 px) and phone (390 px) width, for a
// person to look at. Not a test.
//
//   node tests/e2e/screenshots.mjs [OUT_DIR]     (CERTUS_BIN as for the tests)

import { mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer } from './server.mjs';
import { DESKTOP, PHONE, apiSession, launchBrowser, signIn } from './support.mjs';

const out = path.resolve(process.argv[2] || path.join(os.tmpdir(), 'certus-screenshots'));
mkdirSync(out, { recursive: true });

const SAMPLE = [
  ['external', 'New data protection regulation', 'Stricter breach-notification rules from the regulator.', 'Incident response must notify the authority within 72 hours; the ISMS needs a tested notification procedure.', '2024-05-02'],
  ['internal', 'High staff turnover in IT operations', 'Three of eight engineers left in the last year.', 'Knowledge of key systems is lost; access reviews and onboarding must keep pace.', '2024-04-18'],
  ['external', 'Dependence on a single cloud provider', '', 'An outage of the provider stops our service; continuity planning must cover it.', null],
  ['internal', 'Security culture in sales', 'Sales shares customer data over personal messaging apps.', 'Awareness training and clear rules for customer data are needed.', '2024-03-11'],
  ['external', 'Customers demand ISO 27001 certification', '', 'Certification within 12 months is a commercial objective of the ISMS.', '2024-05-20'],
];

const server = await startServer();
const browser = await launchBrowser();
try {
  const api = await apiSession(server);
  const me = (await api.request('GET', '/auth/me', { expect: 200 })).json;
  const org = me.memberships[0].org_id;
  let first;
  for (const [kind, title, description, effect, reviewed_on] of SAMPLE) {
    const issue = await api.createIssue(org, { kind, title, description, effect, reviewed_on });
    first ??= issue;
  }

  for (const [label, viewport] of [['1280', DESKTOP], ['390', PHONE]]) {
    const context = await browser.newContext({ baseURL: server.url, viewport });
    const page = await context.newPage();
    const shot = (name) => page.screenshot({ path: path.join(out, `${name}-${label}.png`), fullPage: true });

    await page.goto('/');
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await shot('01-sign-in');
    await signIn(page, server);
    await page.getByTestId('issue-row').nth(SAMPLE.length - 1).waitFor();
    await shot('02-context-issues');

    await page.getByRole('button', { name: 'New issue' }).click();
    const form = page.getByRole('dialog', { name: 'New context issue' });
    await form.getByLabel('Kind').selectOption('internal');
    await form.getByRole('button', { name: 'Create issue' }).click();
    await form.locator('#issue-title-error').waitFor();
    await shot('03-validation-error');
    await page.keyboard.press('Escape');
    await form.waitFor({ state: 'hidden' });

    await page.goto(`/orgs/${org}/context-issues/${first.id}`);
    const edit = page.getByRole('dialog', { name: /Edit context issue/ });
    await edit.getByLabel('Title').waitFor();
    const current = (await api.request('GET', `/orgs/${org}/context-issues/${first.id}`, { expect: 200 })).json;
    await api.updateIssue(org, first.id, current.version, { description: `${current.description} (updated ${label})` });
    await edit.getByLabel('Title').fill('An edit that conflicts');
    await edit.getByRole('button', { name: 'Save changes' }).click();
    await edit.getByTestId('conflict-message').waitFor();
    await shot('04-conflict');
    await edit.getByRole('button', { name: 'Reload' }).click();
    await edit.getByTestId('conflict-message').waitFor({ state: 'detached' });
    await edit.getByRole('button', { name: 'Show history' }).click();
    await edit.getByTestId('issue-history').getByText('Changed', { exact: true }).first().waitFor();
    await shot('05-history');
    await page.keyboard.press('Escape');

    await page.goto(`/orgs/${org}/members`);
    await page.getByRole('heading', { name: 'Members', level: 1 }).waitFor();
    await page.getByTestId('members-table').waitFor();
    await shot('06-members');

    await page.getByLabel('Organization', { exact: true }).selectOption({ label: 'New organization…' });
    await page.getByRole('dialog', { name: 'New organization' }).waitFor();
    await shot('07-new-organization');
    await page.keyboard.press('Escape');

    if (viewport === PHONE) {
      await page.getByRole('button', { name: 'Menu', exact: true }).click();
      await page.getByRole('navigation', { name: 'Main' }).waitFor();
      await shot('08-navigation');
      await page.keyboard.press('Escape');
    }
    await page.getByRole('button', { name: /account menu/ }).click();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    await shot('09-user-menu');
    await context.close();
  }
  console.log(`screenshots in ${out}`);
} finally {
  await browser.close();
  await server.stop();
}
