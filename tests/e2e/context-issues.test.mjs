// The context-issues register (ISO/IEC 27001 clause 4.1): create, edit, validation errors,
// edit conflicts (412) and their Reload, delete, sorting and filtering.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { apiSession, dialog, eventually, signIn, unique, withPage, useServerAndBrowser } from './support.mjs';

const env = useServerAndBrowser();

/** An organization of its own for one test, so that tests never see each other's issues. */
async function freshOrg(api, label) {
  return api.createOrg(unique(label));
}

function issuesPath(org) {
  return `/orgs/${org.id}/context-issues`;
}

const isWrite = (method, suffix = '') => (r) =>
  r.request().method() === method && /\/context-issues(\/[^/]+)?$/.test(new URL(r.url()).pathname) && r.url().includes(suffix);

test('create a context issue and see it in the table', async (t) => {
  const api = await apiSession(env.server);
  const org = await freshOrg(api, 'Create');

  await withPage(t, env.browser, env.server, async (page) => {
    await signIn(page, env.server);
    await page.goto(issuesPath(org));
    await page.getByRole('heading', { name: 'No context issues yet' }).waitFor();

    await page.getByRole('button', { name: 'New issue' }).click();
    const form = dialog(page, 'New context issue');
    await form.waitFor();
    await form.getByLabel('Kind').selectOption('external');
    await form.getByLabel('Title').fill('New data protection regulation');
    await form.getByLabel('Description').fill('The regulator publishes stricter breach-notification rules.');
    await form.getByLabel('Effect on the ISMS').fill('Incident response must notify within 72 hours.');
    await form.getByLabel('Reviewed on').fill('2024-05-02');

    const created = page.waitForResponse(isWrite('POST'));
    await form.getByRole('button', { name: 'Create issue' }).click();
    const response = await created;
    assert.equal(response.status(), 201);
    const issue = await response.json();
    assert.match(issue.ref, /^CTX-\d+$/);
    await form.waitFor({ state: 'hidden' });

    const row = page.getByTestId('issue-row').filter({ hasText: 'New data protection regulation' });
    await row.waitFor();
    const cells = (await row.getByRole('cell').allTextContents()).map((s) => s.trim());
    assert.equal(cells[0], issue.ref);
    assert.equal(cells[1], 'External');
    assert.equal(cells[2], 'New data protection regulation');
    assert.equal(cells[3], 'Incident response must notify within 72 hours.');
    assert.match(cells[4], /2024/);

    // It is really stored: after a reload it is still there.
    await page.reload();
    await page.getByRole('link', { name: 'New data protection regulation' }).waitFor();
  });
});

test('edit a context issue', async (t) => {
  const api = await apiSession(env.server);
  const org = await freshOrg(api, 'Edit');
  const issue = await api.createIssue(org.id, {
    kind: 'internal',
    title: 'Staff turnover in IT',
    description: '',
    effect: '',
    reviewed_on: null,
  });

  await withPage(t, env.browser, env.server, async (page) => {
    await signIn(page, env.server);
    await page.goto(issuesPath(org));
    await page.getByRole('link', { name: 'Staff turnover in IT' }).click();
    const form = dialog(page, /Edit context issue/);
    await form.waitFor();
    assert.equal(await form.getByLabel('Title').inputValue(), 'Staff turnover in IT');
    assert.match(page.url(), new RegExp(`/context-issues/${issue.id}$`));

    await form.getByLabel('Title').fill('High staff turnover in IT operations');
    await form.getByLabel('Effect on the ISMS').fill('Knowledge of key systems is lost.');
    const saved = page.waitForResponse(isWrite('PATCH'));
    await form.getByRole('button', { name: 'Save changes' }).click();
    const response = await saved;
    assert.equal(response.status(), 200);
    assert.equal(response.request().headers()['if-match'], '"1"');
    const body = response.request().postDataJSON();
    assert.deepEqual(Object.keys(body).sort(), ['effect', 'title'], 'PATCH sends only the changed fields');
    await form.waitFor({ state: 'hidden' });

    const row = page.getByTestId('issue-row').filter({ hasText: 'High staff turnover in IT operations' });
    await row.waitFor();
    await row.getByText('Knowledge of key systems is lost.').waitFor();
    assert.match(new URL(page.url()).pathname, /\/context-issues$/);

    // The history shows who changed what.
    await page.getByRole('link', { name: 'High staff turnover in IT operations' }).click();
    await form.waitFor();
    await form.getByRole('button', { name: 'Show history' }).click();
    const history = form.getByTestId('issue-history');
    await history.getByText('Changed', { exact: true }).waitFor();
    await history.getByText('Created', { exact: true }).waitFor();
    await history.getByText(env.server.adminEmail).first().waitFor();
    await page.keyboard.press('Escape');
    await form.waitFor({ state: 'hidden' });
  });
});

test('an empty title shows the env.server\'s error next to the title field', async (t) => {
  const api = await apiSession(env.server);
  const org = await freshOrg(api, 'Validation');

  await withPage(t, env.browser, env.server, async (page) => {
    await signIn(page, env.server);
    await page.goto(issuesPath(org));
    await page.getByRole('button', { name: 'New issue' }).click();
    const form = dialog(page, 'New context issue');
    await form.getByLabel('Kind').selectOption('internal');
    await form.getByLabel('Description').fill('Kept after the error');

    const refused = page.waitForResponse(isWrite('POST'));
    await form.getByRole('button', { name: 'Create issue' }).click();
    const response = await refused;
    assert.equal(response.status(), 422);
    assert.match(response.headers()['content-type'], /application\/problem\+json/);
    const problem = await response.json();
    assert.ok(problem.errors.some((e) => e.field === 'title'), 'the problem names the title field');

    const title = form.getByLabel('Title');
    const error = form.locator('#issue-title-error');
    await error.waitFor();
    assert.notEqual((await error.textContent()).trim(), '');
    assert.equal(await title.getAttribute('aria-invalid'), 'true');
    assert.match(await title.getAttribute('aria-describedby'), /issue-title-error/);
    // The error sits next to its field, and focus moved to the field.
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'issue-title');
    const [fieldBox, errorBox] = [await title.boundingBox(), await error.boundingBox()];
    assert.ok(errorBox.y >= fieldBox.y + fieldBox.height - 1 && errorBox.y - (fieldBox.y + fieldBox.height) < 40);
    assert.equal(await form.getByLabel('Description').inputValue(), 'Kept after the error');

    // Correcting it creates the issue.
    await title.fill('Dependence on a single cloud provider');
    const created = page.waitForResponse(isWrite('POST'));
    await form.getByRole('button', { name: 'Create issue' }).click();
    assert.equal((await created).status(), 201);
    await page.getByRole('link', { name: 'Dependence on a single cloud provider' }).waitFor();
  });
});

test('a conflicting edit shows the 412 message, and Reload fetches the latest version', async (t) => {
  const api = await apiSession(env.server);
  const org = await freshOrg(api, 'Conflict');
  const issue = await api.createIssue(org.id, {
    kind: 'external',
    title: 'Supplier concentration',
    description: 'One hosting supplier',
    effect: '',
    reviewed_on: null,
  });

  await withPage(t, env.browser, env.server, async (page) => {
    await signIn(page, env.server);
    await page.goto(`${issuesPath(org)}/${issue.id}`);
    const form = dialog(page, /Edit context issue/);
    await form.waitFor();
    await eventually(() => form.getByLabel('Title').inputValue(), (v) => v === 'Supplier concentration', {
      message: 'the form to load the issue',
    });

    // Someone else saves first (another session of the API).
    await api.updateIssue(org.id, issue.id, issue.version, { title: 'Supplier concentration (changed elsewhere)' });

    await form.getByLabel('Title').fill('My edit that must not overwrite theirs');
    const rejected = page.waitForResponse(isWrite('PATCH'));
    await form.getByRole('button', { name: 'Save changes' }).click();
    assert.equal((await rejected).status(), 412);

    const message = form.getByTestId('conflict-message');
    await message.getByText('Someone else changed this issue since you opened it.').waitFor();
    assert.equal(await form.getByRole('button', { name: 'Save changes' }).isDisabled(), true);

    const reloaded = page.waitForResponse(
      (r) => r.request().method() === 'GET' && new URL(r.url()).pathname.endsWith(`/context-issues/${issue.id}`),
    );
    await message.getByRole('button', { name: 'Reload' }).click();
    assert.equal((await reloaded).status(), 200);
    await message.waitFor({ state: 'detached' });
    // The form stays open, now with their version; the edit was discarded.
    assert.equal(await form.getByLabel('Title').inputValue(), 'Supplier concentration (changed elsewhere)');

    // Editing on top of the latest version works.
    await form.getByLabel('Effect on the ISMS').fill('Outage of the supplier stops our service.');
    const saved = page.waitForResponse(isWrite('PATCH'));
    await form.getByRole('button', { name: 'Save changes' }).click();
    const response = await saved;
    assert.equal(response.status(), 200);
    assert.equal(response.request().headers()['if-match'], '"2"');
    await form.waitFor({ state: 'hidden' });
    await page.getByTestId('issue-row').filter({ hasText: 'Outage of the supplier stops our service.' }).waitFor();
  });
});

test('delete a context issue after confirming', async (t) => {
  const api = await apiSession(env.server);
  const org = await freshOrg(api, 'Delete');
  await api.createIssue(org.id, { kind: 'internal', title: 'Obsolete issue', description: '', effect: '', reviewed_on: null });
  await api.createIssue(org.id, { kind: 'internal', title: 'Issue that stays', description: '', effect: '', reviewed_on: null });

  await withPage(t, env.browser, env.server, async (page) => {
    await signIn(page, env.server);
    await page.goto(issuesPath(org));
    await page.getByRole('link', { name: 'Obsolete issue' }).click();
    const form = dialog(page, /Edit context issue/);
    await form.getByRole('button', { name: 'Delete' }).click();
    const confirm = page.getByRole('alertdialog', { name: /Delete CTX-/ });
    await confirm.waitFor();
    // Cancel first: nothing happens.
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await confirm.waitFor({ state: 'hidden' });
    await form.getByRole('button', { name: 'Delete' }).click();
    const deleted = page.waitForResponse(isWrite('DELETE'));
    await confirm.getByRole('button', { name: 'Delete issue' }).click();
    assert.equal((await deleted).status(), 204);
    await form.waitFor({ state: 'hidden' });
    await page.getByRole('link', { name: 'Obsolete issue' }).waitFor({ state: 'detached' });
    await page.getByRole('link', { name: 'Issue that stays' }).waitFor();
  });
});

test('sort by a column, search and filter by kind', async (t) => {
  const api = await apiSession(env.server);
  const org = await freshOrg(api, 'Sort');
  for (const [kind, title] of [
    ['internal', 'Bravo budget constraints'],
    ['external', 'Alpha market pressure'],
    ['external', 'Charlie climate risk'],
  ]) {
    await api.createIssue(org.id, { kind, title, description: '', effect: '', reviewed_on: null });
  }
  const titles = async (page) => (await page.getByTestId('issue-row').locator('td.col-title').allTextContents()).map((s) => s.trim());

  await withPage(t, env.browser, env.server, async (page) => {
    await signIn(page, env.server);
    await page.goto(issuesPath(org));
    await page.getByTestId('issue-row').nth(2).waitFor();

    const titleHeader = page.getByRole('columnheader', { name: /Title/ });
    assert.equal(await titleHeader.getAttribute('aria-sort'), null);
    let listed = page.waitForResponse((r) => r.url().includes('sort=title'));
    await titleHeader.getByRole('button').click();
    await listed;
    assert.equal(await titleHeader.getAttribute('aria-sort'), 'ascending');
    await eventually(() => titles(page), (v) => v.join('|') === 'Alpha market pressure|Bravo budget constraints|Charlie climate risk', {
      message: 'ascending titles',
    });

    listed = page.waitForResponse((r) => r.url().includes('sort=-title'));
    await titleHeader.getByRole('button').click();
    await listed;
    assert.equal(await titleHeader.getAttribute('aria-sort'), 'descending');
    await eventually(() => titles(page), (v) => v[0] === 'Charlie climate risk', { message: 'descending titles' });

    listed = page.waitForResponse((r) => r.url().includes('kind=external'));
    await page.getByLabel('Kind').selectOption('external');
    await listed;
    await eventually(() => titles(page), (v) => v.length === 2 && !v.includes('Bravo budget constraints'), {
      message: 'only external issues',
    });

    listed = page.waitForResponse((r) => r.url().includes('q=climate'));
    await page.getByLabel('Search').fill('climate');
    await page.getByLabel('Search').press('Enter');
    await listed;
    await eventually(() => titles(page), (v) => v.join('|') === 'Charlie climate risk', { message: 'search result' });

    await page.getByRole('button', { name: 'Clear filters' }).first().click();
    await eventually(() => titles(page), (v) => v.length === 3, { message: 'all issues again' });
  });
});

test('"Load more" fetches the next page', async (t) => {
  const api = await apiSession(env.server);
  const org = await freshOrg(api, 'Paging');
  for (let i = 1; i <= 53; i++) {
    await api.createIssue(org.id, { kind: 'internal', title: `Issue number ${String(i).padStart(2, '0')}`, description: '', effect: '', reviewed_on: null });
  }

  await withPage(t, env.browser, env.server, async (page) => {
    await signIn(page, env.server);
    await page.goto(issuesPath(org));
    const rows = page.getByTestId('issue-row');
    await rows.nth(49).waitFor();
    assert.equal(await rows.count(), 50);
    const more = page.waitForResponse((r) => r.url().includes('cursor='));
    await page.getByRole('button', { name: 'Load more' }).click();
    assert.equal((await more).status(), 200);
    await rows.nth(52).waitFor();
    assert.equal(await rows.count(), 53);
    await page.getByRole('button', { name: 'Load more' }).waitFor({ state: 'detached' });
    assert.equal(await page.getByTestId('issue-row').filter({ hasText: 'Issue number 53' }).count(), 1);
  });
});
