// Evidence (ISO/IEC 27001 clause 7.5): on a control's page a file is attached as evidence,
// it is listed there, its own page shows it, and it downloads as an attachment with the
// bytes that were uploaded.
import assert from 'node:assert/strict';
import { readFile, writeFile, mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { apiSession, dialog, signIn, unique, withPage, useServerAndBrowser } from './support.mjs';

const env = useServerAndBrowser();

test('attach a file to a control, see it listed, open it and download it', async (t) => {
  const api = await apiSession(env.server);
  const org = await api.createOrg(unique('Evidence'));
  const { json } = await api.request('GET', `/orgs/${org.id}/controls?q=A.8.13&limit=500`, { expect: 200 });
  const control = json.items.find((c) => c.ref_id === 'A.8.13');
  assert.ok(control, 'control A.8.13');

  const dir = await mkdtemp(path.join(os.tmpdir(), 'certus-evidence-'));
  const file = path.join(dir, 'backup-restore-test.pdf');
  const bytes = Buffer.from('%PDF-1.7\n% restore test of 2026-03-01: all 14 systems restored\n%%EOF\n', 'latin1');
  await writeFile(file, bytes);

  await withPage(t, env.browser, env.server, async (page) => {
    await signIn(page, env.server);
    await page.goto(`/orgs/${org.id}/controls/${control.id}`);
    const section = page.getByTestId('control-evidence');
    await section.getByText('No evidence is linked yet').waitFor();

    await section.getByRole('button', { name: 'Attach evidence' }).click();
    const add = dialog(page, 'Add evidence');
    await add.waitFor();
    await add.locator('input[type="file"]').setInputFiles(file);
    // The title is taken from the file's name until someone writes another.
    assert.equal(await add.getByLabel('Title').inputValue(), 'backup-restore-test');
    await add.getByLabel('Title').fill('Backup restore test, Q1');
    await add.getByLabel('Valid until').fill('2099-03-01');
    const created = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().includes('/evidence/files'));
    await add.getByRole('button', { name: 'Add evidence' }).click();
    assert.equal((await created).status(), 201);
    await add.waitFor({ state: 'detached' });

    const item = section.getByTestId('control-evidence-item').filter({ hasText: 'Backup restore test, Q1' });
    await item.waitFor();
    assert.match(await item.textContent(), /EV-0001/);

    // The evidence's page: the file, the control it supports, and the download.
    await item.getByRole('link').click();
    await page.getByRole('heading', { name: 'EV-0001 Backup restore test, Q1', level: 1 }).waitFor();
    assert.match(await page.getByTestId('evidence-file').textContent(), /backup-restore-test\.pdf/);
    assert.match(await page.getByTestId('evidence-file').textContent(), /application\/pdf/);
    await page.getByTestId('evidence-controls').getByText('A.8.13').waitFor();

    const downloading = page.waitForEvent('download');
    await page.getByTestId('evidence-download').click();
    const download = await downloading;
    assert.equal(download.suggestedFilename(), 'backup-restore-test.pdf');
    assert.deepEqual(await readFile(await download.path()), bytes);

    // The register lists it too.
    await page.goto(`/orgs/${org.id}/evidence`);
    await page.locator('[data-testid="evidence-row"][data-ref="EV-0001"]').waitFor();
  });
});
