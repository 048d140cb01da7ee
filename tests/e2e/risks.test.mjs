// The risk register (ISO/IEC 27001 clauses 6.1.2 and 6.1.3): a risk rated 4×4 on the default
// 5×5 methodology is High, and a transfer without a party is refused by the server (409).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { apiSession, dialog, signIn, unique, withPage, useServerAndBrowser } from './support.mjs';

const env = useServerAndBrowser();

test('create a 4×4 risk, see it High in the register, and a transfer needs a party', async (t) => {
  const api = await apiSession(env.server);
  const org = await api.createOrg(unique('Risks'));

  await withPage(t, env.browser, env.server, async (page) => {
    await signIn(page, env.server);
    await page.goto(`/orgs/${org.id}/risks`);
    await page.getByRole('heading', { name: 'Risk register', level: 1 }).waitFor();
    await page.getByTestId('risks-empty').waitFor();

    await page.getByRole('button', { name: 'New risk' }).click();
    const form = dialog(page, 'New risk');
    await form.waitFor();
    await form.getByLabel('Title').fill('Ransomware on the file servers');
    await form.getByLabel('Likelihood', { exact: true }).selectOption('4');
    await form.getByLabel('Impact', { exact: true }).selectOption('4');

    const created = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/risks'));
    await form.getByRole('button', { name: 'Save' }).click();
    const response = await created;
    assert.equal(response.status(), 201);
    const risk = await response.json();
    assert.equal(risk.inherent_score, 16);

    // The dialog stays open on the saved risk and shows the computed score.
    const edit = dialog(page, `Risk ${risk.ref}`);
    await edit.getByTestId('risk-score').waitFor();
    assert.match(await edit.getByTestId('risk-score').textContent(), /16/);

    // Transfer without naming the party: the server refuses with the rule.
    await edit.getByLabel('Treatment', { exact: true }).selectOption('transfer');
    const refused = page.waitForResponse((r) => r.request().method() === 'PATCH' && r.url().includes('/risks/'));
    await edit.getByRole('button', { name: 'Save' }).click();
    assert.equal((await refused).status(), 409);
    await edit.getByTestId('risk-error').waitFor();
    assert.match(await edit.getByTestId('risk-error').textContent(), /transfer/i);

    await edit.getByRole('button', { name: 'Close' }).first().click();
    const row = page.getByTestId('risk-row').filter({ hasText: 'Ransomware on the file servers' });
    await row.waitFor();
    assert.equal((await row.getByTestId('risk-level').first().textContent()).trim(), 'High');
  });
});
