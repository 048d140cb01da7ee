// `certus import oscal-catalog` and `certus import mappings` end to end: what they print,
// their exit codes (cli/commands.cpp ExitCode), and that a refused file changes nothing.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { binary, repoRoot } from './server.mjs';

const bin = binary();
const oscal = path.join(repoRoot, '..', 'shared', 'oscal');
const basic = path.join(oscal, 'basic-catalog.json');
const profile = path.join(oscal, 'NIST_SP-800-53_rev5_MODERATE-baseline_profile.json');
const header = 'source_framework,source_ref,target_framework,target_ref,relationship\n';

let dir;
let data;

function certus(...args) {
  return new Promise((resolve) => {
    execFile(bin, args, { timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? error.code : 0, stdout, stderr });
    });
  });
}

before(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'certus-import-'));
  data = path.join(dir, 'data');
});

after(async () => {
  await rm(dir, { recursive: true, force: true });
});

test('imports an OSCAL catalog and mappings; refuses bad files with a message and exit code',
  { skip: existsSync(basic) ? false : '../shared/oscal is absent' }, async () => {
    const imported = await certus('import', 'oscal-catalog', basic, '--key', 'basic',
      '--data-dir', data);
    assert.equal(imported.code, 0, imported.stderr);
    assert.match(imported.stdout,
      /^Imported framework basic \([0-9a-f-]+\): 4 groups, 4 controls, 0 enhancements\n$/);

    const again = await certus('import', 'oscal-catalog', basic, '--key', 'other',
      '--data-dir', data);
    assert.equal(again.code, 75, again.stderr);  // kConflict
    assert.match(again.stderr, /imported before as "basic"/);

    const notCatalog = await certus('import', 'oscal-catalog', profile, '--data-dir', data);
    assert.equal(notCatalog.code, 65);  // kValidation: EX_DATAERR
    assert.match(notCatalog.stderr, /profile/);

    const garbage = path.join(dir, 'garbage.json');
    await writeFile(garbage, '{"catalog": ');
    const notJson = await certus('import', 'oscal-catalog', garbage, '--data-dir', data);
    assert.equal(notJson.code, 65);
    assert.match(notJson.stderr, /not JSON/);

    const missing = await certus('import', 'oscal-catalog', path.join(dir, 'nope.json'),
      '--data-dir', data);
    assert.equal(missing.code, 66);
    assert.match(missing.stderr, /Cannot read/);

    const bad = path.join(dir, 'bad.csv');
    await writeFile(bad, header + 'iso27001-2022,A.5.2,basic,s1.1.1,related\n' +
      'iso27001-2022,A.5.99,basic,s1.1.2,related\n');
    const refused = await certus('import', 'mappings', bad, '--data-dir', data);
    assert.equal(refused.code, 65);
    assert.match(refused.stderr, /line 3: "A.5.99" is not a requirement of iso27001-2022/);

    const good = path.join(dir, 'good.csv');
    await writeFile(good, header + 'iso27001-2022,A.5.2,x,s1.1.1,related\n' +
      'iso27001-2022,A.5.3,x,s1.1.2,subset\n');
    const accepted = await certus('import', 'mappings', good, '--target-framework', 'basic',
      '--data-dir', data);
    assert.equal(accepted.code, 0, accepted.stderr);
    assert.match(accepted.stdout, /^Imported 2 mappings from /);

    // The imports and nothing of the refused file are in the installation's audit chain.
    const verified = await certus('audit-log', 'verify', '--data-dir', data);
    assert.equal(verified.code, 0, verified.stdout);
    assert.match(verified.stdout, /1 chains, 2 events: all verify/);
  });
