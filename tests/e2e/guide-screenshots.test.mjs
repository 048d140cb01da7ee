// The user guide's pages (docs/guide/) over the demo organization: `certus demo`, then each
// page the guide shows renders (its heading, no error). With CERTUS_GUIDE_SCREENSHOTS=1 it
// also saves the guide's screenshots to docs/guide/images/ (1280×800 PNG):
//
//   CERTUS_GUIDE_SCREENSHOTS=1 CERTUS_BIN=build/release/certus node --test tests/e2e/guide-screenshots.test.mjs
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { ADMIN_EMAIL, ADMIN_PASSWORD, binary, initDataDir, repoRoot, serveDataDir } from './server.mjs';
import { DESKTOP, apiSession, launchBrowser, signIn, withPage } from './support.mjs';

const SAVE = process.env.CERTUS_GUIDE_SCREENSHOTS === '1';
const IMAGES = path.join(repoRoot, 'docs', 'guide', 'images');

function certus(...args) {
  return new Promise((resolve, reject) => {
    execFile(binary(), args, { timeout: 120_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`certus ${args.join(' ')}: ${error.message}\n${stdout}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

let dir;
let server;
let browser;
let org;
const ids = {};

before(async () => {
  dir = await initDataDir();
  const out = await certus('demo', '--data-dir', dir.data);
  org = out.match(/\(([0-9a-f-]{36})\)/)[1];
  server = await serveDataDir(dir.data);
  server.adminEmail = ADMIN_EMAIL;
  server.adminPassword = ADMIN_PASSWORD;
  browser = await launchBrowser();
  const api = await apiSession(server);
  const get = async (p) => (await api.request('GET', `/orgs/${org}${p}`, { expect: 200 })).json;
  ids.audit = (await get('/audits?limit=50')).items.find((a) => a.status === 'closed').id;
  ids.review = (await get('/management-reviews?limit=50')).items[0].id;
});

after(async () => {
  await browser?.close();
  await server?.kill();
  await dir?.remove();
});

// [image, path under /orgs/{org}, the page's heading]
const PAGES = [
  ['dashboard', () => '/dashboard', /Dashboard/],
  ['context-issues', () => '/context-issues', /Context issues/],
  ['interested-parties', () => '/interested-parties', /Interested parties/],
  ['risk-methodology', () => '/risk-methodology', /Risk methodology/],
  ['risk-register', () => '/risks', /Risk register/],
  ['risk-heatmap', () => '/risk-heatmaps', /Risk heat maps/],
  ['treatment-plan', () => '/treatment-plan', /Risk treatment plan/],
  ['soa', () => '/soa', /Statement of Applicability/],
  ['documents', () => '/documents', /Documents/],
  ['awareness', () => '/awareness', /Awareness/],
  ['objectives', () => '/objectives', /Objectives/],
  ['audit', () => `/audits/${ids.audit}`, /ISMS clauses 4 to 10/],
  ['management-review', () => `/management-reviews/${ids.review}`, /Management review of the ISMS/],
  ['nonconformities', () => '/nonconformities', /Nonconformities/],
  ['readiness', () => '/readiness', /Readiness/],
];

test('every page of the user guide renders over the demo organization', { timeout: 120_000 }, async (t) => {
  if (SAVE) mkdirSync(IMAGES, { recursive: true });
  await withPage(t, browser, server, async (page) => {
    await signIn(page, server);
    for (const [image, pathOf, heading] of PAGES) {
      await page.goto(`/orgs/${org}${pathOf()}`);
      await page.getByRole('heading', { level: 1, name: heading }).waitFor();
      // For a picture, let lists and charts load after the heading (a page that polls never
      // idles, hence the limit); the check alone does not wait for them.
      if (SAVE) await page.waitForLoadState('networkidle', { timeout: 5_000 }).catch(() => {});
      const errors = page.locator('.alert-error:visible');
      assert.equal(await errors.count(), 0, `${image}: ${await errors.allTextContents()}`);
      if (SAVE) await page.screenshot({ path: path.join(IMAGES, `${image}.png`) });
    }
  }, { viewport: DESKTOP });
});
