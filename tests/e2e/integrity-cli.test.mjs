// The integrity check of evidence files (issue 9, item 8): `certus blobs verify` re-hashes
// every stored file, names a damaged one and exits 1; `certus serve` runs the same check on
// its own schedule and logs the damage; both record the result in the installation's audit
// chain, which still verifies.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { ADMIN_EMAIL, ADMIN_PASSWORD, binary, initDataDir, serveDataDir } from './server.mjs';
import { apiSession, eventually } from './support.mjs';

function certus(...args) {
  return new Promise((resolve) => {
    execFile(binary(), args, { timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? error.code : 0, stdout, stderr });
    });
  });
}

const REVIEW = 'Quarterly access review, signed by the CISO\n';

let dir;
let server;

before(async () => {
  dir = await initDataDir();
  server = await serveDataDir(dir.data, ['--integrity-check-interval', '1s']);
});

after(async () => {
  await server?.kill();
  await dir?.remove();
});

test('a damaged evidence file is named by certus blobs verify and by the server', { timeout: 60_000 }, async () => {
  // An evidence file, uploaded as the UI does: the body is the file.
  const login = await fetch(`${server.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD }),
  });
  assert.equal(login.status, 200);
  const { csrf_token: csrf } = await login.json();
  const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const api = await apiSession({ url: server.url, adminEmail: ADMIN_EMAIL, adminPassword: ADMIN_PASSWORD });
  const orgs = (await api.request('GET', '/orgs', { expect: 200 })).json;
  const org = (orgs.items ?? orgs)[0].id;
  const upload = await fetch(`${server.url}/api/v1/orgs/${org}/evidence/files?title=Access%20review&filename=review.txt`, {
    method: 'POST',
    headers: { Cookie: cookie, 'X-CSRF-Token': csrf, 'Content-Type': 'text/plain' },
    body: REVIEW,
  });
  assert.equal(upload.status, 201, await upload.text());

  const sound = await certus('blobs', 'verify', '--data-dir', dir.data);
  assert.equal(sound.code, 0, sound.stdout + sound.stderr);
  assert.match(sound.stdout, /1 files, \d+ bytes: all match their SHA-256/);

  // Someone edits the stored file behind Certus's back.
  const sha = createHash('sha256').update(REVIEW).digest('hex');
  await writeFile(path.join(dir.data, 'blobs', sha.slice(0, 2), sha.slice(2)), REVIEW.replace('CISO', 'intern'));

  const damaged = await certus('blobs', 'verify', '--data-dir', dir.data);
  assert.equal(damaged.code, 1, damaged.stdout + damaged.stderr);
  assert.ok(damaged.stdout.includes(`damaged\t${sha}`), damaged.stdout);
  assert.match(damaged.stdout, /1 damaged or unreadable/);

  // The server's own check (every second here) finds it too.
  await eventually(
    () => server.output(),
    (log) => log.includes(`blob ${sha} no longer matches its SHA-256`),
    { timeout: 15_000, message: 'the periodic integrity check to report the damaged blob' },
  );

  // Each check is an event of the installation's chain, which verifies.
  const chains = await certus('audit-log', 'verify', '--data-dir', dir.data);
  assert.equal(chains.code, 0, chains.stdout + chains.stderr);

  // The file is gone altogether: the evidence record still names it.
  await rm(path.join(dir.data, 'blobs', sha.slice(0, 2), sha.slice(2)));
  const missing = await certus('blobs', 'verify', '--data-dir', dir.data);
  assert.equal(missing.code, 1, missing.stdout + missing.stderr);
  assert.ok(missing.stdout.includes(`missing\t${sha}`), missing.stdout);
  assert.match(missing.stdout, /0 files, 0 bytes: all match their SHA-256; 1 named by records: 1 missing/);
});
