// Communication (ISO/IEC 27001 clause 7.4) and planning of changes (6.3): a quarterly plan
// item that is overdue until a communication is recorded under it; a change proposed in the
// browser, which its requester cannot approve, approved by someone else, then implemented
// and reviewed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { apiSession, dialog, signIn, unique, withPage, useServerAndBrowser } from './support.mjs';

const env = useServerAndBrowser();
const PASSWORD = 'another-long-password-for-tests';

test('plan a communication, see it overdue, and record it', async (t) => {
  const api = await apiSession(env.server);
  const org = await api.createOrg(unique('Communication'));
  await api.request('POST', `/orgs/${org.id}/interested-parties`, {
    body: { name: 'Certification body', category: 'other' },
    expect: 201,
  });

  await withPage(t, env.browser, env.server, async (page) => {
    await signIn(page, env.server);
    await page.goto(`/orgs/${org.id}/communication`);
    await page.getByRole('heading', { name: 'Nothing planned yet' }).waitFor();

    await page.getByRole('button', { name: 'Add to plan' }).click();
    const form = dialog(page, 'Add to the communication plan');
    await form.waitFor();
    await form.getByLabel('What (subject)').fill('Security newsletter');
    await form.getByLabel('Certification body').check();
    await form.getByLabel('Other audience').fill('All staff');
    await form.getByLabel('When').selectOption('quarterly');
    await form.getByLabel('First due on').fill('2020-01-15');
    const created = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/communication-plan'));
    await form.getByRole('button', { name: 'Add to plan' }).click();
    assert.equal((await created).status(), 201);
    await form.waitFor({ state: 'hidden' });

    const row = page.getByTestId('plan-row').filter({ hasText: 'Security newsletter' });
    await row.getByTestId('overdue-badge').waitFor();
    assert.match(await row.textContent(), /Certification body, All staff/);

    // Recorded under the plan item: the dialog starts from what the plan says.
    await row.getByRole('button', { name: 'Record' }).click();
    const record = dialog(page, 'Record a communication');
    await record.waitFor();
    assert.equal(await record.getByLabel('Subject').inputValue(), 'Security newsletter');
    await record.getByLabel('Summary').fill('Phishing season; MFA reminder.');
    const recorded = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/communications'));
    await record.getByRole('button', { name: 'Record', exact: true }).click();
    const entry = await (await recorded).json();
    assert.equal(entry.ref, 'CL-0001');
    await record.waitFor({ state: 'hidden' });
    await row.getByTestId('overdue-badge').waitFor({ state: 'detached' });

    await page.getByRole('tab', { name: 'Log' }).click();
    const logRow = page.getByTestId('log-row').filter({ hasText: 'Security newsletter' });
    await logRow.waitFor();
    assert.match(await logRow.textContent(), /COM-001/);
  });
});

test('a change is approved by someone other than its requester, then implemented and reviewed', async (t) => {
  const api = await apiSession(env.server);
  const org = await api.createOrg(unique('Changes'));
  const approver = `${unique('approver').replace(/\s+/g, '-')}@example.com`;
  await env.server.addUser({ email: approver, password: PASSWORD, name: 'Arno Approver' });
  await api.request('POST', `/orgs/${org.id}/members`, { body: { email: approver, role: 'manager' }, expect: 201 });
  const other = await apiSession(env.server, { email: approver, password: PASSWORD });

  await withPage(t, env.browser, env.server, async (page) => {
    await signIn(page, env.server);
    await page.goto(`/orgs/${org.id}/changes`);
    await page.getByRole('button', { name: 'Propose change' }).click();
    const form = dialog(page, 'Propose a change');
    await form.waitFor();
    await form.getByLabel('Title').fill('Introduce single sign-on');
    await form.getByLabel(/^Purpose/).fill('One identity for every SaaS application');
    await form.getByLabel(/Potential consequences/).fill('Users re-enrol once');
    await form.getByLabel(/Integrity of the ISMS/).fill('Access control policy stays in force');
    await form.getByLabel(/^Resources/).fill('Two engineers for a week');
    await form.getByLabel(/^Responsibilities/).fill('IT operations configures; HR informs staff');
    await form.getByLabel('Planned on').fill('2030-04-01');
    await form.getByRole('button', { name: 'Propose change' }).click();
    await page.getByRole('heading', { name: 'Introduce single sign-on' }).waitFor();
    const id = new URL(page.url()).pathname.split('/').pop();

    await page.getByRole('button', { name: 'Submit for approval' }).click();
    await page.getByTestId('change-status').filter({ hasText: 'Awaiting approval' }).waitFor();
    // Whoever requested it does not approve it: no Approve button, and the page says why.
    await page.getByTestId('self-approval').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Approve' }).count(), 0);
    const self = await api.request('POST', `/orgs/${org.id}/changes/${id}/approve`, { body: {} });
    assert.equal(self.status, 409);

    await other.request('POST', `/orgs/${org.id}/changes/${id}/approve`, { body: { comment: 'Go ahead' }, expect: 200 });
    await page.reload();
    await page.getByTestId('approval').waitFor();
    assert.match(await page.getByTestId('approval').textContent(), /Go ahead/);

    await page.getByRole('button', { name: 'Record implementation' }).click();
    const implement = dialog(page, /Record implementation of/);
    await implement.getByLabel('Outcome').fill('SSO live for all applications');
    await implement.getByRole('button', { name: 'Record implementation' }).click();
    await page.getByTestId('change-status').filter({ hasText: 'Implemented' }).waitFor();

    await page.getByRole('button', { name: 'Review' }).click();
    const review = dialog(page, /Review CHG-/);
    await review.getByLabel('Yes').check();
    await review.getByRole('button', { name: 'Record review' }).click();
    await page.getByTestId('change-status').filter({ hasText: 'Reviewed' }).waitFor();
    assert.match(await page.getByTestId('review').textContent(), /achieved its purpose/);
    assert.equal(await page.getByTestId('change-actions').count(), 0);

    await page.getByRole('button', { name: 'Show history' }).click();
    await page.getByTestId('change-history').getByText('Approve', { exact: true }).waitFor();
  });
});
