// The `certus` command end to end: init (once only), users, organizations, the audit-log
// verification (including a tampered database) and a clean stop on SIGTERM.
import assert from 'node:assert/strict';
import { execFile, spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { binary, freePort } from './server.mjs';

const bin = binary();

let dir;
let data;

/** Runs certus; resolves to { code, stdout, stderr } whatever the exit code. */
function certus(...args) {
  return new Promise((resolve) => {
    execFile(bin, args, { timeout: 30_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? error.code : 0, stdout, stderr });
    });
  });
}

async function passwordFile(name, password) {
  const file = path.join(dir, name);
  await writeFile(file, `${password}\n`, { mode: 0o600 });
  return file;
}

before(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'certus-cli-'));
  data = path.join(dir, 'data');
});

after(async () => {
  await rm(dir, { recursive: true, force: true });
});

test('init creates the admin and an organization once, and refuses a second time', async () => {
  const file = await passwordFile('admin', 'lantern-orchard-quietly');
  const first = await certus('init', '--data-dir', data, '--admin-email', 'admin@example.com',
    '--admin-password-file', file, '--org', 'Acme Ltd');
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stdout, /Created organization "Acme Ltd"/);
  assert.doesNotMatch(first.stdout, /lantern-orchard-quietly/);
  assert.ok(existsSync(path.join(data, 'certus.db')));

  const second = await certus('init', '--data-dir', data, '--admin-email', 'other@example.com');
  assert.notEqual(second.code, 0);
  assert.match(second.stderr, /already initialized/);
  const users = await certus('user', 'list', '--data-dir', data);
  assert.equal(users.stdout.trim().split('\n').length, 1);
  const orgs = await certus('org', 'list', '--data-dir', data);
  assert.equal(orgs.stdout.trim().split('\n').length, 1);
});

test('init without a password file generates one and prints it once', async () => {
  const other = path.join(dir, 'generated');
  const result = await certus('init', '--data-dir', other, '--admin-email', 'admin@example.com');
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /Generated password \(shown only now\): [A-Za-z0-9_-]{20}\n/);
});

test('users and organizations are managed from the command line', async () => {
  const short = await passwordFile('short', 'short');
  const refused = await certus('user', 'add', '--data-dir', data, '--email', 'bob@example.com',
    '--password-file', short);
  assert.notEqual(refused.code, 0);
  assert.match(refused.stderr, /password: must be at least 12 characters/);

  const good = await passwordFile('bob', 'tulip-harbour-seven');
  const added = await certus('user', 'add', '--data-dir', data, '--email', 'bob@example.com',
    '--password-file', good, '--name', 'Bob Builder');
  assert.equal(added.code, 0, added.stderr);
  const again = await certus('user', 'add', '--data-dir', data, '--email', 'BOB@example.com',
    '--password-file', good);
  assert.notEqual(again.code, 0);
  assert.match(again.stderr, /already taken/);

  const list = await certus('user', 'list', '--data-dir', data);
  assert.match(list.stdout, /bob@example.com\tBob Builder/);
  const reset = await certus('user', 'reset-password', '--data-dir', data, '--email', 'bob@example.com',
    '--password-file', await passwordFile('bob2', 'another-long-password'));
  assert.equal(reset.code, 0, reset.stderr);
  // Only an account that failed sign-ins locked can be unlocked.
  const unlock = await certus('user', 'unlock', '--data-dir', data, '--email', 'bob@example.com');
  assert.notEqual(unlock.code, 0);
  assert.match(unlock.stderr, /is not locked/);
  const common = await certus('user', 'reset-password', '--data-dir', data, '--email', 'bob@example.com',
    '--password-file', await passwordFile('bob3', 'Password2026!'));
  assert.notEqual(common.code, 0);
  assert.match(common.stderr, /common password/);

  const org = await certus('org', 'create', '--data-dir', data, '--name', 'Bob Corp',
    '--admin-email', 'bob@example.com');
  assert.equal(org.code, 0, org.stderr);
  assert.match((await certus('org', 'list', '--data-dir', data)).stdout, /\tBob Corp\n/);
  const nobody = await certus('org', 'create', '--data-dir', data, '--name', 'X',
    '--admin-email', 'nobody@example.com');
  assert.notEqual(nobody.code, 0);
});

test('audit-log verify passes on an untouched database and names a tampered event', async (t) => {
  const ok = await certus('audit-log', 'verify', '--data-dir', data);
  assert.equal(ok.code, 0, ok.stdout + ok.stderr);
  assert.match(ok.stdout, /all verify/);

  if (spawnSync('sqlite3', ['-version']).error) {
    t.skip('sqlite3 command not installed');
    return;
  }
  const edit = spawnSync('sqlite3', [path.join(data, 'certus.db'),
    "UPDATE audit_events SET actor_label = 'mallory@example.com' WHERE chain = 'installation' AND seq = 2;"]);
  assert.equal(edit.status, 0, String(edit.stderr));
  const bad = await certus('audit-log', 'verify', '--data-dir', data);
  assert.equal(bad.code, 1);
  assert.match(bad.stdout, /chain installation: FAILED at event \d+: the event was altered/);
});

test('serve stops cleanly with exit code 0 on SIGTERM', async () => {
  const port = await freePort();
  const child = spawn(bin, ['serve', '--data-dir', data, '--listen', `127.0.0.1:${port}`,
    '--web-dir', path.join(dir, 'no-ui')], { stdio: 'ignore' });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  let ready = false;
  for (let i = 0; i < 100 && !ready; i++) {
    ready = await fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.ok, () => false);
    if (!ready) await new Promise((r) => setTimeout(r, 100));
  }
  assert.ok(ready, 'server did not become ready');
  child.kill('SIGTERM');
  assert.deepEqual(await exited, { code: 0, signal: null });
});

test('version prints the version', async () => {
  const result = await certus('version');
  assert.equal(result.code, 0);
  assert.match(result.stdout, /^certus \d+\.\d+\.\d+\n$/);
});

test('a usage error exits 2 and says what was wrong; --help exits 0', async () => {
  const unknown = await certus('user', 'list', '--no-such-option');
  assert.equal(unknown.code, 2, unknown.stderr);
  assert.match(unknown.stderr, /no-such-option/);
  const missing = await certus('user', 'add', '--data-dir', data);
  assert.equal(missing.code, 2, missing.stderr);
  assert.match(missing.stderr, /--email/);
  const help = await certus('--help');
  assert.equal(help.code, 0);
  assert.match(help.stdout, /Usage/);
});
