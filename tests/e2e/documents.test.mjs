// Documented information (ISO/IEC 27001 5.2, 7.5): a contributor writes a policy, a second
// person approves and publishes it (never its author, 7.5.2 c), and a third, who must read
// it, finds it under "Documents I must read" and acknowledges it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { apiSession, dialog, signIn, unique, withPage, useServerAndBrowser } from './support.mjs';

const env = useServerAndBrowser();
const PASSWORD = 'correct horse battery staple';

test('write a policy, a second user approves and publishes it, a third acknowledges it', async (t) => {
  const admin = await apiSession(env.server);
  const org = await admin.createOrg(unique('Documents'));
  const suffix = Date.now().toString(36);
  const writer = `writer-${suffix}@example.com`;
  const reader = `reader-${suffix}@example.com`;
  await env.server.addUser({ email: writer, password: PASSWORD, name: 'Wanda Writer' });
  await env.server.addUser({ email: reader, password: PASSWORD, name: 'Rudi Reader' });
  await admin.request('POST', `/orgs/${org.id}/members`, { body: { email: writer, role: 'contributor' }, expect: 201 });
  await admin.request('POST', `/orgs/${org.id}/members`, { body: { email: reader, role: 'viewer' }, expect: 201 });

  let documentPath = '';
  await withPage(t, env.browser, env.server, async (page) => {
    await signIn(page, env.server, { email: writer, password: PASSWORD });
    await page.goto(`/orgs/${org.id}/documents`);
    await page.getByRole('heading', { name: 'Documents', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'New document' }).click();
    const form = dialog(page, 'New document');
    await form.getByLabel('Title').fill('Acceptable use policy');
    const created = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/documents'));
    await form.getByRole('button', { name: 'Create document' }).click();
    const doc = await (await created).json();
    assert.equal(doc.ref, 'POL-001');
    await page.getByRole('heading', { name: 'Acceptable use policy', level: 1 }).waitFor();
    documentPath = new URL(page.url()).pathname;

    await page.getByRole('button', { name: 'Write a new version' }).click();
    await page.getByLabel('Text (Markdown)').fill('# Acceptable use\n\nUse **company devices** with care.\n\n<img src=x onerror=alert(1)>');
    // The preview comes from the server's sanitizing renderer.
    await page.getByTestId('document-preview').locator('strong', { hasText: 'company devices' }).waitFor();
    assert.equal(await page.getByTestId('document-preview').locator('img[onerror]').count(), 0);
    await page.getByLabel('What changed').fill('First issue');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByTestId('version-1').waitFor();
    // A diagram attached to the draft: the server detects its type and keeps its SHA-256.
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
    await page.getByLabel('Attach a file').setInputFiles({ name: 'network.png', mimeType: 'image/png', buffer: png });
    await page.getByTestId('attachments').getByRole('link', { name: 'network.png' }).waitFor();
    assert.match(await page.getByTestId('attachments').textContent(), /image\/png/);
    // The author cannot approve: the button is not offered.
    assert.equal(await page.getByRole('button', { name: 'Approve' }).count(), 0);
    await page.getByRole('button', { name: 'Submit for review' }).click();
    await page.locator('[data-testid="version-1"][data-status="in_review"]').waitFor();
    // Submitted: the files are frozen with the text.
    assert.equal(await page.getByLabel('Attach a file').count(), 0);
  });

  await withPage(t, env.browser, env.server, async (page) => {
    await signIn(page, env.server);
    await page.goto(documentPath);
    await page.getByTestId('review-comment').fill('Fit for purpose');
    await page.getByRole('button', { name: 'Approve' }).click();
    await page.locator('[data-testid="version-1"][data-status="approved"]').waitFor();
    await page.getByRole('button', { name: 'Publish' }).click();
    await page.locator('[data-testid="version-1"][data-status="published"]').waitFor();
    await page.getByTestId('document-text').locator('strong', { hasText: 'company devices' }).waitFor();
    await page.getByTestId('attachments').getByRole('link', { name: 'network.png' }).waitFor();
    assert.match(await page.getByTestId('acknowledgments-pending').textContent(), new RegExp(reader));
  });

  await withPage(t, env.browser, env.server, async (page) => {
    await signIn(page, env.server, { email: reader, password: PASSWORD });
    await page.goto(`/orgs/${org.id}/my-documents`);
    await page.getByRole('heading', { name: 'Documents I must read', level: 1 }).waitFor();
    await page.getByRole('link', { name: 'Acceptable use policy' }).click();
    await page.getByRole('button', { name: 'I have read and understood it' }).click();
    await page.getByText('You acknowledged version 1.').waitFor();
    assert.match(await page.getByTestId('acknowledgments').textContent(), new RegExp(reader));
    await page.goto(`/orgs/${org.id}/my-documents`);
    await page.getByTestId('documents-empty').waitFor();
  });
});
