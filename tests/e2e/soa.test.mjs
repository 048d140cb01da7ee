// The Statement of Applicability (ISO/IEC 27001 clause 6.1.3 d) and the framework catalogs:
// a control is decided with a justification (the server refuses one without), a version is
// approved, the SoA downloads as XLSX, a risk links a control that then cannot be excluded,
// and the catalogs can be browsed and extended with an OSCAL catalog.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { apiSession, dialog, PHONE, signIn, unique, withPage, useServerAndBrowser } from './support.mjs';

const env = useServerAndBrowser();

function row(page, ref) {
  return page.locator(`[data-testid="soa-row"][data-ref="${ref}"]`);
}

async function controlByRef(api, org, ref) {
  const { json } = await api.request('GET', `/orgs/${org}/controls?q=${encodeURIComponent(ref)}&limit=500`, { expect: 200 });
  const control = json.items.find((c) => c.ref_id === ref);
  assert.ok(control, `control ${ref} not found`);
  return control;
}

test('decide a control with a justification, approve a version, download the XLSX, compare', async (t) => {
  const api = await apiSession(env.server);
  const org = await api.createOrg(unique('SoA'));

  await withPage(t, env.browser, env.server, async (page) => {
    await signIn(page, env.server);
    await page.goto(`/orgs/${org.id}/soa`);
    await page.getByRole('heading', { name: 'Statement of Applicability', level: 1 }).waitFor();
    await page.getByTestId('soa-table').waitFor();
    // A new organization starts with the 93 Annex A controls, all undecided.
    assert.equal((await page.getByTestId('summary-total').textContent()).trim(), '93');
    assert.equal((await page.getByTestId('summary-undecided').textContent()).trim(), '93');
    await page.getByTestId('soa-unapproved-banner').waitFor();
    // Catalog order: A.5.2 comes before A.5.10.
    const refs = await page.getByTestId('soa-row').evaluateAll((rows) => rows.map((r) => r.dataset.ref));
    assert.ok(refs.indexOf('A.5.2') < refs.indexOf('A.5.10'), `order: ${refs.slice(0, 12).join(' ')}`);

    await row(page, 'A.5.1').getByRole('button', { name: 'Edit A.5.1' }).click();
    const editor = page.getByTestId('control-editor');
    await editor.waitFor();
    await editor.getByLabel('Applicability').selectOption('true');

    // Decided without a justification: the server refuses and names the field.
    const refused = page.waitForResponse((r) => r.request().method() === 'PATCH' && r.url().includes('/controls/'));
    await editor.getByRole('button', { name: 'Save' }).click();
    assert.equal((await refused).status(), 422);
    await editor.getByTestId('justification-error').waitFor();
    assert.equal(await editor.getByLabel('Justification').getAttribute('aria-invalid'), 'true');

    await editor.getByLabel('Justification').fill('Required by the information security policy approved by the board.');
    await editor.getByLabel('Implementation status').selectOption('implemented');
    const saved = page.waitForResponse((r) => r.request().method() === 'PATCH' && r.url().includes('/controls/'));
    await editor.getByRole('button', { name: 'Save' }).click();
    assert.equal((await saved).status(), 200);
    await editor.waitFor({ state: 'detached' });
    assert.equal((await row(page, 'A.5.1').getByTestId('applicability').textContent()).trim(), 'Applicable');
    assert.equal((await row(page, 'A.5.1').getByTestId('status').textContent()).trim(), 'Implemented');
    await page.getByTestId('summary-applicable').filter({ hasText: '1' }).waitFor();

    // Filters: only the applicable one.
    await page.getByLabel('Applicability', { exact: true }).selectOption('true');
    await page.getByTestId('soa-row').first().waitFor();
    await page.locator('[data-testid="soa-row"]').nth(1).waitFor({ state: 'detached' });
    assert.deepEqual(await page.getByTestId('soa-row').evaluateAll((rows) => rows.map((r) => r.dataset.ref)), ['A.5.1']);
    await page.getByRole('button', { name: 'Clear filters' }).first().click();

    // Approve version 1.
    await page.getByRole('button', { name: 'Approve version' }).click();
    const approve = dialog(page, 'Approve a version of the SoA');
    await approve.waitFor();
    await approve.getByLabel('Notes').fill('Approved at the management review of November.');
    const approved = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/soa/versions'));
    await approve.getByRole('button', { name: 'Approve', exact: true }).click();
    const version = await (await approved).json();
    assert.equal(version.number, 1);
    await approve.waitFor({ state: 'hidden' });
    await page.getByTestId('soa-approved-banner').filter({ hasText: 'Version 1' }).waitFor();

    // The XLSX export downloads; an XLSX file is a ZIP archive: it starts with "PK".
    const downloading = page.waitForEvent('download');
    await page.getByTestId('export-xlsx').first().click();
    const download = await downloading;
    assert.match(download.suggestedFilename(), /\.xlsx$/);
    const bytes = await readFile(await download.path());
    assert.equal(bytes.subarray(0, 2).toString('latin1'), 'PK');

    // A change behind the browser's back while A.5.2 is open here: saving is refused (412)
    // and Reload shows the other change. The banner then says the SoA moved on since
    // version 1, and the comparison shows the changed field.
    await row(page, 'A.5.2').getByRole('button', { name: 'Edit A.5.2' }).click();
    await editor.waitFor();
    const a52 = await controlByRef(api, org.id, 'A.5.2');
    await api.request('PATCH', `/orgs/${org.id}/controls/${a52.id}`, {
      body: { applicable: false, justification: 'Roles are defined in the group-wide policy.' },
      ifMatch: a52.version,
      expect: 200,
    });
    await editor.getByLabel('Implementation status').selectOption('planned');
    const stale = page.waitForResponse((r) => r.request().method() === 'PATCH' && r.url().includes('/controls/'));
    await editor.getByRole('button', { name: 'Save' }).click();
    assert.equal((await stale).status(), 412);
    await editor.getByTestId('control-stale').getByRole('button', { name: 'Reload' }).click();
    await editor.getByTestId('control-stale').waitFor({ state: 'detached' });
    assert.equal(await editor.getByLabel('Applicability').inputValue(), 'false');
    assert.match(await editor.getByLabel('Justification').inputValue(), /group-wide policy/);
    await editor.getByRole('button', { name: 'Cancel' }).click();

    await page.reload();
    const banner = page.getByTestId('soa-changed-banner');
    await banner.waitFor();
    await banner.getByRole('link', { name: 'See what changed' }).click();
    await page.getByRole('heading', { name: 'SoA versions', level: 1 }).waitFor();
    const diffRow = page.locator('[data-testid="diff-row"][data-ref="A.5.2"][data-field="applicable"]');
    await diffRow.waitFor();
    assert.match(await diffRow.textContent(), /Undecided[\s\S]*Not applicable/);
    await page.locator('[data-testid="version-row"][data-number="1"]').waitFor();
  });
});

test('a control that treats a risk cannot be excluded: the refusal names the risk', async (t) => {
  const api = await apiSession(env.server);
  const org = await api.createOrg(unique('SoA risks'));

  await withPage(t, env.browser, env.server, async (page) => {
    await signIn(page, env.server);
    await page.goto(`/orgs/${org.id}/risks`);
    await page.getByRole('heading', { name: 'Risk register', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'New risk' }).click();
    const form = dialog(page, 'New risk');
    await form.waitFor();
    await form.getByLabel('Title', { exact: true }).fill('Malware on laptops');
    const picker = form.getByTestId('control-picker');
    await picker.getByPlaceholder('Find a control by ref or title…').fill('malware');
    await picker.getByRole('checkbox', { name: /A\.8\.7/ }).check();
    const created = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/risks'));
    await form.getByRole('button', { name: 'Save' }).click();
    const response = await created;
    assert.equal(response.status(), 201);
    const risk = await response.json();
    assert.equal(risk.control_ids.length, 1);

    const control = await controlByRef(api, org.id, 'A.8.7');
    await page.goto(`/orgs/${org.id}/controls/${control.id}`);
    await page.getByRole('heading', { name: /A\.8\.7/, level: 1 }).waitFor();
    await page.getByTestId('control-risks').getByRole('link', { name: new RegExp(risk.ref) }).waitFor();
    await page.getByTestId('control-evidence').getByText('No evidence is linked yet').waitFor();

    await page.getByRole('button', { name: 'Edit', exact: true }).click();
    const editor = page.getByTestId('control-editor');
    await editor.getByLabel('Applicability').selectOption('false');
    await editor.getByLabel('Justification').fill('We do not think it applies.');
    const refused = page.waitForResponse((r) => r.request().method() === 'PATCH' && r.url().includes('/controls/'));
    await editor.getByRole('button', { name: 'Save' }).click();
    assert.equal((await refused).status(), 409);
    const conflict = editor.getByTestId('control-conflict');
    await conflict.waitFor();
    assert.match(await conflict.textContent(), new RegExp(risk.ref));

    // Deciding it applicable works, and the history records the change.
    await editor.getByLabel('Applicability').selectOption('true');
    await editor.getByLabel('Justification').fill('Malware is a top risk of the register.');
    await editor.getByRole('checkbox', { name: 'Contractual obligation' }).check();
    // Risk treatment is derived from the linked risk: shown, checked, not editable.
    const derived = editor.getByRole('checkbox', { name: /Risk treatment/ });
    assert.equal(await derived.isChecked(), true);
    assert.equal(await derived.isDisabled(), true);
    const saved = page.waitForResponse((r) => r.request().method() === 'PATCH' && r.url().includes('/controls/'));
    await editor.getByRole('button', { name: 'Save' }).click();
    assert.equal((await saved).status(), 200);
    await page.getByTestId('control-justification').filter({ hasText: 'Malware is a top risk' }).waitFor();
    assert.match(await page.getByTestId('control-fields').textContent(), /Risk treatment, Contractual obligation|Contractual obligation, Risk treatment/);
    await page.getByTestId('control-history').getByText('Changed', { exact: true }).first().waitFor();

    // The risk link opens the risk in the register.
    await page.getByTestId('control-risks').getByRole('link', { name: new RegExp(risk.ref) }).click();
    await dialog(page, `Risk ${risk.ref}`).waitFor();
  });
});

test('browse the ISO/IEC 27001 catalog and import an OSCAL catalog', async (t) => {
  await withPage(t, env.browser, env.server, async (page) => {
    await signIn(page, env.server);
    await page.goto('/frameworks');
    await page.getByRole('heading', { name: 'Framework catalogs', level: 1 }).waitFor();
    const iso = page.locator('[data-testid="framework-row"][data-key="iso27001-2022"]');
    await iso.waitFor();
    await iso.getByRole('link').click();

    await page.getByTestId('requirements').waitFor();
    await page.getByLabel("Search", { exact: true }).fill("malware");
    const a87 = page.locator('[data-testid="requirement"][data-ref="A.8.7"]');
    await a87.waitFor();
    assert.match(await a87.textContent(), /Protection against malware/);

    // A file that is not a catalog: the server lists what is wrong.
    await page.goto('/frameworks');
    const importForm = page.getByTestId('oscal-import');
    await importForm.waitFor();
    await importForm.getByLabel('OSCAL catalog (JSON)').setInputFiles({
      name: 'broken.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify({ catalog: { metadata: {} } })),
    });
    const refused = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().includes('/frameworks/import'));
    await importForm.getByRole('button', { name: 'Import catalog' }).click();
    assert.equal((await refused).status(), 422);
    const problems = importForm.getByTestId('import-problems');
    await problems.waitFor();
    assert.match(await problems.textContent(), /catalog\.uuid/);

    const catalog = {
      catalog: {
        uuid: randomUUID(),
        metadata: { title: 'Tiny test catalog', version: '1.0', 'last-modified': '2025-01-01T00:00:00Z', 'oscal-version': '1.1.2' },
        groups: [
          {
            id: 'tt',
            title: 'Test group',
            controls: [
              {
                id: 'tt-1',
                title: 'Keep an inventory',
                parts: [{ id: 'tt-1_smt', name: 'statement', prose: 'Keep an inventory of assets.' }],
                controls: [{ id: 'tt-1.1', title: 'Automated inventory' }],
              },
            ],
          },
        ],
      },
    };
    await importForm.getByLabel('OSCAL catalog (JSON)').setInputFiles({
      name: 'tiny.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(catalog)),
    });
    const imported = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().includes('/frameworks/import'));
    await importForm.getByRole('button', { name: 'Import catalog' }).click();
    assert.equal((await imported).status(), 201);
    const result = page.getByTestId('import-result');
    await result.waitFor();
    assert.match(await result.textContent(), /1 groups,\s+1 controls,\s+1 enhancements/);
    await result.getByRole('link', { name: 'Tiny test catalog' }).click();
    await page.getByRole('heading', { name: 'Tiny test catalog', level: 1 }).waitFor();
    await page.locator('[data-testid="requirement"][data-ref="tt-1.1"]').waitFor();
  });
});

test('coverage of an imported framework through imported mappings', async (t) => {
  const api = await apiSession(env.server);
  const org = await api.createOrg(unique('Coverage'));
  const key = `cov-${Date.now().toString(36)}`;
  const catalog = {
    catalog: {
      uuid: randomUUID(),
      metadata: { title: `Coverage catalog ${key}`, version: '2.0', 'last-modified': '2025-01-01T00:00:00Z', 'oscal-version': '1.1.2' },
      controls: [
        { id: 'cv-1', title: 'Information security policy' },
        { id: 'cv-2', title: 'Malware protection' },
        { id: 'cv-3', title: 'Something unmapped' },
      ],
    },
  };
  const framework = (await api.request('POST', `/frameworks/import?key=${key}`, { body: catalog, expect: 201 })).json;
  const a51 = await controlByRef(api, org.id, 'A.5.1');
  await api.request('PATCH', `/orgs/${org.id}/controls/${a51.id}`, {
    body: { applicable: true, justification: 'Policies are required.', implementation_status: 'implemented' },
    ifMatch: a51.version,
    expect: 200,
  });

  await withPage(t, env.browser, env.server, async (page) => {
    await signIn(page, env.server);
    await page.goto('/frameworks');
    const mappings = page.getByTestId('mappings-import');
    await mappings.waitFor();

    // One bad line: nothing is imported and the line is named.
    const header = 'source_framework,source_ref,target_framework,target_ref,relationship';
    await mappings.getByLabel('Mappings (CSV)').setInputFiles({
      name: 'bad.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(`${header}\niso27001-2022,A.5.1,${key},cv-1,equivalent\niso27001-2022,A.8.7,${key},cv-2,sameish\n`),
    });
    const refused = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().includes('/frameworks/mappings'));
    await mappings.getByRole('button', { name: 'Import mappings' }).click();
    assert.equal((await refused).status(), 422);
    assert.match(await mappings.getByTestId('import-problems').textContent(), /line 3/);

    await mappings.getByLabel('Mappings (CSV)').setInputFiles({
      name: 'good.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(`${header}\niso27001-2022,A.5.1,${key},cv-1,equivalent\niso27001-2022,A.8.7,${key},cv-2,related\n`),
    });
    const imported = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().includes('/frameworks/mappings'));
    await mappings.getByRole('button', { name: 'Import mappings' }).click();
    assert.equal((await imported).status(), 201);
    await page.getByText('2 mappings imported.').first().waitFor();

    await page.goto(`/orgs/${org.id}/coverage`);
    await page.getByRole('heading', { name: 'Framework coverage', level: 1 }).waitFor();
    await page.getByLabel('Framework', { exact: true }).selectOption(framework.id);
    const status = async (ref) =>
      (await page.locator(`[data-testid="coverage-row"][data-ref="${ref}"]`).getByTestId('coverage-status').textContent()).trim();
    await page.locator('[data-testid="coverage-row"][data-ref="cv-3"]').waitFor();
    assert.equal(await status('cv-1'), 'Covered');
    assert.equal(await status('cv-2'), 'Partially covered');
    assert.equal(await status('cv-3'), 'Not covered');
    assert.equal((await page.getByTestId('coverage-covered').textContent()).trim(), '1');
  });
});

test('a contributor changes only the controls it owns; the pages fit a phone', async (t) => {
  const api = await apiSession(env.server);
  const org = await api.createOrg(unique('SoA contributor'));
  const who = `carl-${Date.now().toString(36)}@example.com`;
  const password = 'contributor-password-1234';
  await env.server.addUser({ email: who, password, name: 'Carl Contributor' });
  const member = (await api.request('POST', `/orgs/${org.id}/members`, { body: { email: who, role: 'contributor' }, expect: 201 })).json;
  const a53 = await controlByRef(api, org.id, 'A.5.3');
  await api.request('PATCH', `/orgs/${org.id}/controls/${a53.id}`, { body: { owner_id: member.user_id }, ifMatch: a53.version, expect: 200 });

  await withPage(
    t,
    env.browser,
    env.server,
    async (page) => {
      await signIn(page, env.server, { email: who, password });
      await page.goto(`/orgs/${org.id}/soa`);
      await page.getByTestId('soa-table').waitFor();
      await page.getByTestId('soa-contributor').waitFor();
      assert.equal(await page.getByRole('button', { name: 'Approve version' }).count(), 0);
      assert.equal(await page.getByRole('button', { name: /^Edit/ }).count(), 1);
      assert.equal(await row(page, 'A.5.3').getByRole('button', { name: 'Edit A.5.3' }).count(), 1);
      await page.getByTestId('export-xlsx').first().waitFor({ state: 'visible' });

      for (const path of [`/orgs/${org.id}/soa`, `/orgs/${org.id}/controls/${a53.id}`, `/orgs/${org.id}/soa/versions`, '/frameworks', '/frameworks/iso27001-2022', `/orgs/${org.id}/coverage`]) {
        await page.goto(path);
        await page.getByRole('heading', { level: 1 }).waitFor();
        await page.waitForLoadState('networkidle');
        const width = await page.evaluate(() => document.documentElement.scrollWidth);
        assert.ok(width <= 390, `${path} scrolls sideways: ${width}px`);
      }
      // Importing catalogs needs a manager or admin.
      await page.goto('/frameworks');
      await page.getByTestId('frameworks-table').waitFor();
      assert.equal(await page.getByTestId('oscal-import').count(), 0);
    },
    { viewport: PHONE },
  );
});
