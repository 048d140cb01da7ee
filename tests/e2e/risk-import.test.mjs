// The CSV import dialog of the risk register (ISO/IEC 27001 6.1.2): choosing a file runs a dry
// run whose report names each bad row's line and reason while nothing is imported; the fixed
// file imports, and its rows appear in the register.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { apiSession, dialog, eventually, signIn, unique, withPage, useServerAndBrowser } from './support.mjs';

const env = useServerAndBrowser();

test('a bad row is named by line and blocks the import; the fixed file imports', async (t) => {
  const api = await apiSession(env.server);
  const org = await api.createOrg(unique('Import'));
  const owner = env.server.adminEmail;
  const file = (impact) => ({
    name: 'risks.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(
      'title,owner,likelihood,impact,threat\n' +
        `Phishing of the finance team,${owner},4,4,Phishing\n` +
        `Flood in the server room,${owner},2,${impact},Flood\n` +
        `Supplier breach,${owner},3,3,Third party\n`,
    ),
  });
  const registerSize = async () =>
    (await api.request('GET', `/orgs/${org.id}/risks?limit=500`, { expect: 200 })).json.items.length;

  await withPage(t, env.browser, env.server, async (page) => {
    await signIn(page, env.server);
    await page.goto(`/orgs/${org.id}/risks`);
    await page.getByRole('heading', { name: 'Risk register', level: 1 }).waitFor();
    await page.getByTestId('risks-empty').waitFor();

    await page.getByTestId('risk-import-open').click();
    const box = dialog(page, 'Import risks from CSV');
    await box.waitFor();
    const importButton = box.getByRole('button', { name: 'Import', exact: true });

    // Impact 9 is beyond the 5-level scale: line 3 (the header is line 1), column impact.
    await box.getByLabel('CSV file').setInputFiles(file(9));
    const errors = box.getByTestId('risk-import-errors');
    await errors.waitFor();
    const rows = await errors.locator('tbody tr').allTextContents();
    assert.equal(rows.length, 1, rows.join('\n'));
    const cells = await errors.locator('tbody tr').first().locator('td').allTextContents();
    assert.equal(cells[0].trim(), '3');
    assert.equal(cells[1].trim(), 'impact');
    assert.match(cells[2], /between 1 and 5/);
    assert.match(await errors.textContent(), /nothing will be imported/);
    assert.ok(await importButton.isDisabled(), 'Import stays disabled while a row has a problem');
    assert.equal(await registerSize(), 0, 'the dry run wrote nothing');

    // The fixed file: the dry run reports what it would do, and Import does it.
    await box.getByLabel('CSV file').setInputFiles(file(5));
    const summary = box.getByTestId('risk-import-summary');
    await summary.waitFor();
    assert.match(await summary.textContent(), /3 risks to create,\s*0 to update/);
    assert.equal(await box.getByTestId('risk-import-errors').count(), 0);
    assert.equal(await registerSize(), 0, 'still nothing before Import');
    await importButton.click();
    await box.waitFor({ state: 'detached' });

    await eventually(
      () => page.getByTestId('risk-row').allTextContents(),
      (list) => list.length === 3 && list.some((r) => /Flood in the server room/.test(r)),
      { message: 'the imported rows in the register' },
    );
    assert.equal(await registerSize(), 3);
    const refs = await page.getByTestId('risk-row').evaluateAll((rows) => rows.map((r) => r.dataset.ref).sort());
    assert.deepEqual(refs, ['R-0001', 'R-0002', 'R-0003']);
  });
});
