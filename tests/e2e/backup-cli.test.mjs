// `certus backup` and `certus restore` end to end (issue 9, item 7; ADR 0008): a backup of a
// running server's data directory while it answers writes, restored into a new directory,
// served, and compared answer by answer through the API; a tampered archive is refused with
// nothing written; a non-empty directory needs --force.
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { binary, freePort, startServer, webDist } from './server.mjs';
import { apiSession } from './support.mjs';

const bin = binary();

/** Runs certus; resolves to { code, stdout, stderr } whatever the exit code. */
function certus(...args) {
  return new Promise((resolve) => {
    execFile(bin, args, { timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? error.code : 0, stdout, stderr });
    });
  });
}

/** `certus serve` over an existing data directory; resolves when /readyz answers 200. */
async function serve(dataDir) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(bin, ['serve', '--data-dir', dataDir, '--listen', `127.0.0.1:${port}`,
    '--web-dir', webDist], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr.on('data', (chunk) => { log += chunk; });
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`certus serve exited early:\n${log}`);
    try {
      if ((await fetch(`${url}/readyz`)).status === 200) break;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Every context issue of an organization, following next_cursor. */
async function allIssues(api, org) {
  const items = [];
  let cursor = null;
  do {
    const query = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
    const page = await api.request('GET', `/orgs/${org}/context-issues?limit=500${query}`, { expect: 200 });
    items.push(...page.json.items);
    cursor = page.json.next_cursor;
  } while (cursor);
  return items;
}

let server;
let work;

before(async () => {
  server = await startServer();
  work = await mkdtemp(path.join(os.tmpdir(), 'certus-backup-e2e-'));
});

after(async () => {
  await server?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

test('a backup taken while the server writes restores into a server that answers the same',
  { timeout: 120_000 }, async () => {
    const data = path.join(server.dataDir, 'data');
    const api = await apiSession(server);
    const orgs = (await api.request('GET', '/orgs', { expect: 200 })).json;
    const org = (orgs.items ?? orgs)[0].id;
    for (let i = 0; i < 20; i += 1) {
      await api.createIssue(org, { kind: 'internal', title: `Before the backup ${i}` });
    }

    // Writes go on, one after another, for as long as the backup runs.
    const acknowledged = [];
    let writing = true;
    const writer = (async () => {
      let i = 0;
      while (writing) {
        acknowledged.push(await api.createIssue(org, { kind: 'external', title: `During ${i}` }));
        i += 1;
      }
    })();
    while (acknowledged.length < 5) await new Promise((resolve) => setTimeout(resolve, 10));
    const before = acknowledged.length;

    const archive = path.join(work, 'certus-backup.tar');
    const made = await certus('backup', '--to', archive, '--data-dir', data);
    const afterBackup = acknowledged.length;
    writing = false;
    await writer;
    assert.equal(made.code, 0, made.stderr);
    assert.ok(afterBackup > before, 'the server acknowledged writes while the backup ran');

    // What it printed: the members and the archive's SHA-256, which sha256sum agrees with.
    const bytes = await readFile(archive);
    const sha = createHash('sha256').update(bytes).digest('hex');
    assert.match(made.stdout, /sqlite database at schema version \d+/);
    assert.match(made.stdout, /database\/certus\.db/);
    assert.ok(made.stdout.includes(`Archive SHA-256: ${sha}`), made.stdout);
    assert.equal((await stat(archive)).mode & 0o777, 0o600);
    assert.deepEqual(await readdir(work), ['certus-backup.tar']);

    // Restored into a new directory, it verifies and serves.
    const restoredDir = path.join(work, 'restored');
    const restored = await certus('restore', '--from', archive, '--data-dir', restoredDir);
    assert.equal(restored.code, 0, restored.stderr);
    assert.match(restored.stdout, new RegExp(`Verified .*SHA-256 ${sha}`));
    const verify = await certus('audit-log', 'verify', '--data-dir', restoredDir);
    assert.equal(verify.code, 0, verify.stdout + verify.stderr);
    assert.match(verify.stdout, /all verify/);

    const copy = await serve(restoredDir);
    try {
      const restoredApi = await apiSession({ ...server, url: copy.url });
      const now = new Map((await allIssues(api, org)).map((issue) => [issue.id, issue]));
      const then = await allIssues(restoredApi, org);
      // Everything acknowledged before the backup began is there, unchanged; what the
      // snapshot holds is exactly what the live server answers for the same ids.
      const thenIds = new Set(then.map((issue) => issue.id));
      for (const issue of acknowledged.slice(0, before)) assert.ok(thenIds.has(issue.id), issue.title);
      assert.ok(then.length >= 20 + before && then.length <= 20 + acknowledged.length);
      for (const issue of then) assert.deepEqual(issue, now.get(issue.id));

      for (const pathname of ['/orgs', `/orgs/${org}/members`,
        `/orgs/${org}/audit-log/verify`]) {
        const live = await api.request('GET', pathname, { expect: 200 });
        const back = await restoredApi.request('GET', pathname, { expect: 200 });
        if (pathname.endsWith('/verify')) {
          assert.equal(back.json.ok, true);
          assert.ok(back.json.events <= live.json.events);
        } else {
          assert.deepEqual(back.json, live.json, pathname);
        }
      }
      // The restored installation takes writes of its own.
      await restoredApi.createIssue(org, { kind: 'internal', title: 'After the restore' });
    } finally {
      await copy.stop();
    }

    // A non-empty data directory is refused (usage: 2) unless --force, which replaces it.
    const again = await certus('restore', '--from', archive, '--data-dir', restoredDir);
    assert.equal(again.code, 2, again.stderr);
    assert.match(again.stderr, /not empty; nothing was restored/);
    const forced = await certus('restore', '--from', archive, '--data-dir', restoredDir, '--force');
    assert.equal(forced.code, 0, forced.stderr);
    assert.match(forced.stdout, /previous contents were replaced/);
  });

test('a tampered archive is refused with exit 1 and nothing is written', async () => {
  const data = path.join(server.dataDir, 'data');
  const archive = path.join(work, 'good.tar');
  const made = await certus('backup', '--to', archive, '--data-dir', data);
  assert.equal(made.code, 0, made.stderr);

  const bytes = await readFile(archive);
  bytes[512 + 4096] ^= 0x01; // one byte of the database member
  const tampered = path.join(work, 'tampered.tar');
  await writeFile(tampered, bytes);
  const target = path.join(work, 'never');
  const refused = await certus('restore', '--from', tampered, '--data-dir', target);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /database\/certus\.db: its SHA-256 does not match the manifest/);
  assert.equal(refused.stdout, '');
  assert.equal(existsSync(target), false);
  assert.deepEqual((await readdir(work)).filter((name) => name.startsWith('.')), []);

  const usage = await certus('restore', '--data-dir', target);
  assert.equal(usage.code, 2);
  assert.match(usage.stderr, /--from FILE is required/);
});
