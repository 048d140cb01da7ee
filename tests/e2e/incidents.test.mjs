// Information security incidents (ISO/IEC 27001 clause 8.1, Annex A 5.24–5.28): report an
// incident, triage and contain it, add to its timeline, see closing refused until the lessons
// learned are recorded (A.5.27), and raise the nonconformity it revealed (10.2).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { apiSession, dialog, signIn, unique, withPage, useServerAndBrowser } from './support.mjs';

const env = useServerAndBrowser();

test('report, triage and contain an incident, add to its timeline and raise a nonconformity', async (t) => {
  const api = await apiSession(env.server);
  const org = await api.createOrg(unique('Incidents'));

  await withPage(t, env.browser, env.server, async (page) => {
    await signIn(page, env.server);
    await page.goto(`/orgs/${org.id}/incidents`);
    await page.getByRole('heading', { name: 'No incidents yet' }).waitFor();

    await page.getByRole('button', { name: 'Report incident' }).click();
    const form = dialog(page, 'Report an incident');
    await form.getByLabel('Title').fill('Phishing mails to finance');
    await form.getByLabel('What happened').fill('Twelve people received a fake invoice link.');
    await form.locator('#inc-category').selectOption('phishing');
    await form.locator('#inc-severity').selectOption('high');
    await form.getByRole('button', { name: 'Report incident' }).click();

    await page.getByRole('heading', { name: 'Phishing mails to finance' }).waitFor();
    const status = page.getByTestId('incident-status');
    assert.equal((await status.textContent()).trim(), 'New');
    const timeline = page.getByTestId('timeline-entry');
    assert.equal(await timeline.count(), 1);

    // Triage, then contain, each a step on the timeline.
    for (const [button, after] of [['Triage', 'Triaged'], ['Mark contained', 'Contained']]) {
      await page.getByTestId('incident-actions').getByRole('button', { name: button }).click();
      const step = page.getByTestId('step-dialog');
      await step.locator('#step-note').fill(`${after} by the service desk`);
      await step.getByRole('button', { name: button }).click();
      await step.waitFor({ state: 'detached' });
      await page.getByTestId('incident-status').filter({ hasText: after }).waitFor();
    }
    assert.equal(await page.locator('[data-testid="timeline-entry"][data-kind="status"]').count(), 3);
    assert.notEqual((await page.getByTestId('hours-to-contain').textContent()).trim(), '—');

    // A note on the timeline, newest last.
    await page.locator('#entry-text').fill('Blocked the sender domain at the mail gateway.');
    await page.getByRole('button', { name: 'Add entry' }).click();
    await timeline.nth(3).filter({ hasText: 'Blocked the sender domain' }).waitFor();
    assert.equal(await timeline.nth(3).getAttribute('data-kind'), 'note');

    // Resolved, closing is refused with the server's reason until the lessons are learned.
    await page.getByTestId('incident-actions').getByRole('button', { name: 'Mark resolved' }).click();
    await page.getByTestId('step-dialog').getByRole('button', { name: 'Mark resolved' }).click();
    await page.getByTestId('incident-status').filter({ hasText: 'Resolved' }).waitFor();
    await page.getByTestId('incident-actions').getByRole('button', { name: 'Close incident' }).click();
    const closing = page.getByTestId('step-dialog');
    await closing.getByRole('button', { name: 'Close incident' }).click();
    const refused = await closing.getByTestId('step-error').textContent();
    assert.match(refused, /A\.5\.27/);
    assert.match(refused, /lessons_learned/);
    await closing.getByRole('button', { name: 'Back' }).click();

    // The nonconformity the incident revealed, raised from its page and linked.
    await page.getByTestId('raise-nc').click();
    const nc = dialog(page, /Raise a nonconformity/);
    await nc.locator('#nc-title').fill('MFA not enforced on webmail');
    await nc.locator('#nc-severity').selectOption('major');
    await nc.locator('#nc-requirement').fill('A.8.5');
    await nc.getByRole('button', { name: 'Raise nonconformity' }).click();
    const linked = page.getByTestId('incident-nc');
    await linked.filter({ hasText: 'MFA not enforced on webmail' }).waitFor();
    assert.match(await linked.first().textContent(), /NC-0001/);

    // The nonconformity names the incident as its source.
    await linked.first().getByRole('link').click();
    await page.getByRole('heading', { name: 'MFA not enforced on webmail' }).waitFor();
    await page.getByText('INC-0001').first().waitFor();
  });
});
