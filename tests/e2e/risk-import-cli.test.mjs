// `certus import risks` and `certus export risks` end to end: an export re-imports as
// updates, a dry run writes nothing, a bad file names its lines and changes nothing, and the
// exit codes follow cli/commands.cpp ExitCode.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { binary } from './server.mjs';

const bin = binary();

let dir;
let data;
let org;

function certus(...args) {
  return new Promise((resolve) => {
    execFile(bin, [...args, '--data-dir', data], { timeout: 120_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? error.code : 0, stdout, stderr });
    });
  });
}

before(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'certus-risk-import-'));
  data = path.join(dir, 'data');
  const password = path.join(dir, 'password');
  await writeFile(password, 'correct horse battery staple 42\n');
  const init = await certus('init', '--admin-email', 'admin@example.com',
    '--admin-password-file', password, '--org', 'Acme');
  assert.equal(init.code, 0, init.stderr);
  org = /\(([0-9a-f-]{36})\)/.exec(init.stdout)[1];
});

after(async () => {
  await rm(dir, { recursive: true, force: true });
});

test('imports a register, exports it and re-imports the export as updates', async () => {
  const file = path.join(dir, 'risks.csv');
  await writeFile(file, 'title,owner,likelihood,impact,threat\n' +
    'Ransomware,admin@example.com,4,4,Criminals\n' +
    '"Laptop theft, travel",ADMIN@example.com,2,3,Thieves\n');

  const dry = await certus('import', 'risks', file, '--org', org, '--dry-run');
  assert.equal(dry.code, 0, dry.stderr);
  assert.match(dry.stdout, /Validated 2 rows/);
  assert.match(dry.stdout, /Would create 2 risks, would update 0 risks \(dry run: nothing written\)/);

  const imported = await certus('import', 'risks', file, '--org', org);
  assert.equal(imported.code, 0, imported.stderr);
  assert.match(imported.stdout, /Created 2 risks, updated 0 risks/);

  const csv = path.join(dir, 'export.csv');
  const exported = await certus('export', 'risks', '--org', org, '--format', 'csv', '--out', csv);
  assert.equal(exported.code, 0, exported.stderr);
  assert.match(exported.stdout, /Wrote .*export\.csv \(2 risks, \d+ bytes\)/);
  const lines = (await readFile(csv, 'utf8')).trim().split(/\r?\n/);
  assert.match(lines[0], /^ref,title,description,threat,vulnerability,owner,likelihood,impact,inherent_score/);
  assert.equal(lines.length, 3);
  assert.match(lines[1], /^R-0001,Ransomware,,Criminals,,admin@example.com,4,4,16,High,undecided/);
  assert.match(lines[2], /^R-0002,"Laptop theft, travel"/);

  const xlsx = path.join(dir, 'export.xlsx');
  const asXlsx = await certus('export', 'risks', '--org', org, '--format', 'xlsx', '--out', xlsx);
  assert.equal(asXlsx.code, 0, asXlsx.stderr);
  assert.equal((await readFile(xlsx)).subarray(0, 2).toString(), 'PK');

  const again = await certus('import', 'risks', csv, '--org', org);
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stdout, /Created 0 risks, updated 2 risks/);
});

test('a bad file names its lines, changes nothing and exits 65', async () => {
  const bad = path.join(dir, 'bad.csv');
  await writeFile(bad, 'ref,title,owner,likelihood,impact\n' +
    ',Fine,admin@example.com,1,1\n' +
    ',Out of scale,admin@example.com,9,1\n' +
    'R-0999,Unknown,nobody@example.com,1,1\n');
  const dry = await certus('import', 'risks', bad, '--org', org, '--dry-run');
  assert.equal(dry.code, 65);
  assert.match(dry.stderr, /line 3: likelihood: must be a whole number between 1 and 5/);
  assert.match(dry.stderr, /line 4: ref: is not a risk of this organization/);
  assert.match(dry.stderr, /line 4: owner: must be the email of a member/);

  const refused = await certus('import', 'risks', bad, '--org', org);
  assert.equal(refused.code, 65);
  assert.match(refused.stderr, /line 3: likelihood/);

  const csv = path.join(dir, 'after.csv');
  assert.equal((await certus('export', 'risks', '--org', org, '--format', 'csv', '--out', csv)).code, 0);
  assert.equal((await readFile(csv, 'utf8')).trim().split(/\r?\n/).length, 3);

  const header = path.join(dir, 'header.csv');
  await writeFile(header, 'title,colour\nx,red\n');
  const badHeader = await certus('import', 'risks', header, '--org', org);
  assert.equal(badHeader.code, 65);
  assert.match(badHeader.stderr, /line 1: colour: is not a column of the risk register/);

  const unknownOrg = await certus('import', 'risks', bad, '--org', 'no-such-org');
  assert.equal(unknownOrg.code, 66);
  const badFormat = await certus('export', 'risks', '--org', org, '--format', 'pdf', '--out', csv);
  assert.equal(badFormat.code, 65);
});
