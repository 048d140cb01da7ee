// `certus demo` (issue 7, item 6): adds the sample organization "Northwind Cloud" through the
// services, with a year of history; the installation's admin administers it; readiness shows
// strengths and gaps, so `certus readiness` exits 1; a second run refuses and changes nothing.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, test } from 'node:test';

import { ADMIN_EMAIL, ADMIN_PASSWORD, binary, initDataDir, serveDataDir } from './server.mjs';
import { apiSession } from './support.mjs';

function certus(...args) {
  return new Promise((resolve) => {
    execFile(binary(), args, { timeout: 120_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? error.code : 0, stdout, stderr });
    });
  });
}

let dir;
let demo;

before(async () => {
  dir = await initDataDir();
  demo = await certus('demo', '--data-dir', dir.data);
});

after(async () => {
  await dir?.remove();
});

test('certus demo adds Northwind Cloud with risks, a decided SoA and readiness gaps', { timeout: 120_000 }, async () => {
  assert.equal(demo.code, 0, demo.stdout + demo.stderr);
  assert.match(demo.stdout, /Created the demo organization "Northwind Cloud" \(([0-9a-f-]+)\)/);
  const orgId = demo.stdout.match(/\(([0-9a-f-]{36})\)/)[1];
  assert.ok(demo.stdout.includes(`certus readiness --org ${orgId}`), demo.stdout);

  // The operator's view: not ready for stage 2 (exit 1), with both passes and failures.
  const text = await certus('readiness', '--data-dir', dir.data, '--org', orgId);
  assert.equal(text.code, 1, text.stdout + text.stderr);

  const server = await serveDataDir(dir.data);
  try {
    const api = await apiSession({ url: server.url, adminEmail: ADMIN_EMAIL, adminPassword: ADMIN_PASSWORD });
    const orgs = (await api.request('GET', '/orgs', { expect: 200 })).json;
    const org = (orgs.items ?? orgs).find((o) => o.name === 'Northwind Cloud');
    assert.ok(org, JSON.stringify(orgs));
    assert.equal(org.id, orgId);
    assert.equal(org.role, 'admin');

    const risks = (await api.request('GET', `/orgs/${orgId}/risks?limit=500`, { expect: 200 })).json.items;
    assert.equal(risks.length, 40);
    assert.ok(risks.every((r) => r.owner_id), 'every risk has an owner');
    assert.ok(risks.some((r) => r.treatment === 'accept' && r.acceptance), 'a formally accepted risk');

    const soa = (await api.request('GET', `/orgs/${orgId}/soa`, { expect: 200 })).json;
    const rows = soa.rows ?? soa.controls ?? soa.items;
    assert.ok(rows.length >= 93, `SoA rows: ${rows.length}`);
    assert.ok(rows.every((c) => c.applicable !== null && c.justification), 'every control decided and justified');

    const report = (await api.request('GET', `/orgs/${orgId}/readiness`, { expect: 200 })).json;
    assert.notEqual(report.verdict, 'ready_for_stage_2');
    const checks = Object.fromEntries(
      report.clauses.flatMap((c) => c.requirements.flatMap((r) => r.checks.map((k) => [k.id, k.status]))),
    );
    // Strengths …
    for (const id of ['scope.published', 'policy.published', 'policy.acknowledged', 'risk.methodology_approved',
      'risk.rated', 'soa.controls_decided', 'soa.version_current', 'audit.recent', 'review.recent',
      'review.inputs', 'risk.assessment_recent']) {
      assert.equal(checks[id], 'pass', `${id}: ${checks[id]}`);
    }
    // … and the deliberate gaps.
    for (const id of ['people.awareness', 'documents.controlled', 'operation.nothing_overdue',
      'improvement.nonconformities_handled']) {
      assert.equal(checks[id], 'fail', `${id}: ${checks[id]}`);
    }

    // The history is spread over the year: a year ago the ISMS had barely started.
    const yearAgo = new Date(Date.now() - 360 * 86_400_000).toISOString().slice(0, 10);
    const early = (await api.request('GET', `/orgs/${orgId}/readiness?as_of=${yearAgo}`, { expect: 200 })).json;
    assert.equal(early.verdict, 'not_ready');
    assert.ok(early.score < report.score, `${early.score} < ${report.score}`);
  } finally {
    await server.kill();
  }

  // A second run refuses and changes nothing.
  const again = await certus('demo', '--data-dir', dir.data);
  assert.equal(again.code, 1, again.stdout + again.stderr);
  assert.match(again.stderr, /already exists/);
  const orgList = await certus('org', 'list', '--data-dir', dir.data);
  assert.equal(orgList.stdout.split('\n').filter((l) => l.includes('Northwind Cloud')).length, 1);

  // Every change went through the audit log, whose chains verify.
  const chains = await certus('audit-log', 'verify', '--data-dir', dir.data);
  assert.equal(chains.code, 0, chains.stdout + chains.stderr);
});
