// Crash safety (issue 9, item 6): `certus serve` killed with SIGKILL at a random moment while
// eight clients write concurrently, again and again on the same data directory. After every
// kill, every write the server acknowledged is present (creations and If-Match edits), no
// creation happened twice, every audit chain verifies and SQLite's integrity check passes.
// A write that was in flight when the server died may or may not have landed; it must not
// land twice or half.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { ADMIN_EMAIL, ADMIN_PASSWORD, binary, initDataDir, serveDataDir } from './server.mjs';
import { apiSession } from './support.mjs';

const bin = binary();
const ROUNDS = 6;
const WRITERS = 8;

function run(file, args) {
  return new Promise((resolve) => {
    execFile(file, args, { timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? error.code : 0, stdout, stderr });
    });
  });
}

/** Every context issue of the organization, following next_cursor. */
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

let dir;

before(async () => {
  dir = await initDataDir({ org: 'Crash Ltd' });
});

after(async () => {
  await dir?.remove();
});

/** An API session with the server at `url`. */
function session(url) {
  return apiSession({ url, adminEmail: ADMIN_EMAIL, adminPassword: ADMIN_PASSWORD });
}

test('every acknowledged write survives SIGKILL, round after round', { timeout: 240_000 }, async () => {
  const first = await serveDataDir(dir.data);
  const orgs = (await (await session(first.url)).request('GET', '/orgs', { expect: 200 })).json;
  const org = (orgs.items ?? orgs)[0].id;
  await first.kill('SIGKILL');

  /** id -> the version the server acknowledged last for it. */
  const acknowledged = new Map();
  const titles = new Set();
  for (let round = 0; round < ROUNDS; round += 1) {
    const live = await serveDataDir(dir.data);
    const api = await session(live.url);
    let stop = false;
    const writer = async (w) => {
      for (let n = 0; !stop; n += 1) {
        const title = `crash r${round} w${w} n${n}`;
        try {
          const created = await api.request('POST', `/orgs/${org}/context-issues`, {
            body: { kind: n % 2 ? 'internal' : 'external', title },
          });
          if (created.status !== 201) continue;
          acknowledged.set(created.json.id, created.json.version);
          titles.add(title);
          const edited = await api.request('PATCH', `/orgs/${org}/context-issues/${created.json.id}`, {
            body: { description: `edited in round ${round}` },
            ifMatch: created.json.version,
          });
          if (edited.status === 200) acknowledged.set(created.json.id, edited.json.version);
        } catch {
          return; // the server is gone
        }
      }
    };
    const writers = Array.from({ length: WRITERS }, (_, w) => writer(w));
    // Kill at a random moment once the writers are under way (on a loaded machine the first
    // writes can take a while), so that every round has writes in flight when it dies.
    const before = acknowledged.size;
    const deadline = Date.now() + 15_000;
    while (acknowledged.size < before + WRITERS && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 600)));
    await live.kill('SIGKILL');
    stop = true;
    await Promise.all(writers);

    const verified = await run(bin, ['audit-log', 'verify', '--data-dir', dir.data]);
    assert.equal(verified.code, 0, `round ${round}: audit chains\n${verified.stdout}${verified.stderr}`);
    const integrity = await run('sqlite3', [path.join(dir.data, 'certus.db'), 'PRAGMA integrity_check;']);
    assert.equal(integrity.stdout.trim(), 'ok', `round ${round}: ${integrity.stdout}${integrity.stderr}`);
  }

  const live = await serveDataDir(dir.data);
  const api = await session(live.url);
  const stored = await allIssues(api, org);
  await live.kill('SIGKILL');
  const byId = new Map(stored.map((issue) => [issue.id, issue]));
  assert.ok(acknowledged.size > ROUNDS * WRITERS, `only ${acknowledged.size} writes were acknowledged`);
  for (const [id, version] of acknowledged) {
    const issue = byId.get(id);
    assert.ok(issue, `acknowledged issue ${id} is missing`);
    assert.ok(issue.version >= version, `issue ${id}: version ${issue.version} < acknowledged ${version}`);
  }
  const crashTitles = stored.map((issue) => issue.title).filter((title) => title.startsWith('crash '));
  assert.equal(new Set(crashTitles).size, crashTitles.length, 'no write landed twice');
  for (const title of titles) assert.ok(crashTitles.includes(title), `${title} is missing`);
});
