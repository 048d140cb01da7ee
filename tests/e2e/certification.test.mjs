// The certification pack (issue 7 item 5): the Download button on the Readiness page yields
// the ZIP, named after the organization and the chosen day.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { apiSession, signIn, unique, withPage, useServerAndBrowser } from './support.mjs';

const env = useServerAndBrowser();

test('the Readiness page downloads the certification pack as a ZIP', async (t) => {
  const api = await apiSession(env.server);
  const org = await api.createOrg(unique('Pack'));

  await withPage(t, env.browser, env.server, async (page) => {
    await signIn(page, env.server);
    await page.goto(`/orgs/${org.id}/readiness`);
    const card = page.getByTestId('certification-pack');
    await card.waitFor();
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    await page.getByTestId('pack-as-of').fill(yesterday);

    const downloading = page.waitForEvent('download');
    await page.getByTestId('pack-download').click();
    const download = await downloading;
    assert.match(download.suggestedFilename(), new RegExp(`^certification-pack-.+-${yesterday}\\.zip$`));
    const bytes = await readFile(await download.path());
    assert.equal(bytes.subarray(0, 4).toString('binary'), 'PK\x03\x04');
    assert.ok(bytes.includes(Buffer.from('manifest.sha256')), 'the ZIP lists its manifest');
  });
});
