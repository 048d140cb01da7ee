// Competence and awareness (ISO/IEC 27001 clauses 7.2, 7.3): register a person in the UI, see
// the competence their job role lacks, record a training completion that provides it, and read
// the awareness dashboard with its drill-down to the overdue people.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { apiSession, dialog, signIn, unique, withPage, useServerAndBrowser } from './support.mjs';

const env = useServerAndBrowser();

test('register a person, train them and read the awareness figures', async (t) => {
  const api = await apiSession(env.server);
  const org = await api.createOrg(unique('People'));
  const base = `/orgs/${org.id}`;
  const competence = (
    await api.request('POST', `${base}/competences`, {
      body: { name: 'Phishing recognition', job_roles: ['Clerk'] },
      expect: 201,
    })
  ).json;
  await api.request('POST', `${base}/people`, {
    body: { name: 'Oscar Overdue', email: 'oscar@example.com', department: 'Finance' },
    expect: 201,
  });
  const training = (
    await api.request('POST', `${base}/trainings`, {
      body: { title: 'Phishing drill', due_on: '2020-01-31', status: 'open', competence_id: competence.id },
      expect: 201,
    })
  ).json;

  await withPage(t, env.browser, env.server, async (page) => {
    await signIn(page, env.server);
    await page.goto(`/orgs/${org.id}/people`);
    await page.getByTestId('person-row').first().waitFor();

    await page.getByRole('button', { name: 'New person' }).click();
    const form = dialog(page, 'New person');
    await form.waitFor();
    await form.getByLabel('Name').fill('Clara Clerk');
    await form.getByLabel('Email').fill('clara@example.com');
    await form.getByLabel('Job role').fill('Clerk');
    await form.getByLabel('Department').fill('Finance');
    const created = page.waitForResponse((r) => r.request().method() === 'POST' && /\/people$/.test(new URL(r.url()).pathname));
    await form.getByRole('button', { name: 'Add person' }).click();
    assert.equal((await created).status(), 201);

    // The person page: the job role needs a competence nobody has shown yet.
    await page.getByRole('heading', { name: /Clara Clerk/ }).waitFor();
    const gap = page.getByTestId('gap-row').filter({ hasText: 'Phishing recognition' });
    assert.equal(await gap.getByTestId('gap-state').textContent(), 'Missing');

    // Record the completion on the training page; it provides the competence.
    await page.goto(`/orgs/${org.id}/trainings/${training.id}`);
    const row = page.getByTestId('audience-row').filter({ hasText: 'Clara Clerk' });
    await row.getByRole('button', { name: 'Record completion' }).click();
    const completed = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/completions'));
    await page.getByTestId('completion-form').getByRole('button', { name: 'Save' }).click();
    assert.equal((await completed).status(), 201);
    await row.getByText(/Completed/).waitFor();
    assert.match(await page.getByTestId('completed-count').textContent(), /1 \(50 %\)/);

    await row.getByRole('link', { name: 'Clara Clerk' }).click();
    await page.getByTestId('gap-row').getByText('Met').waitFor();

    // Awareness: Finance has one of two people trained, Oscar is overdue.
    await page.goto(`/orgs/${org.id}/awareness`);
    const finance = page.locator('[data-testid="awareness-row"][data-department="Finance"]');
    await finance.waitFor();
    assert.equal(await finance.getByTestId('training-rate').textContent(), '50 %');
    await finance.getByTestId('overdue-button').click();
    await page.getByTestId('overdue-people').getByRole('link', { name: 'Oscar Overdue' }).waitFor();
  });
});
