// `certus serve` under ThreadSanitizer and concurrent load (issue 9 item 5; ADR 0021).
//
//   node tests/load/tsan-load.mjs        (make test-tsan builds build/tsan/certus and runs this
//                                         under scripts/with-postgres.sh)
//
// For SQLite, and then for PostgreSQL when CERTUS_TEST_PG names a database: a fresh data
// directory, `certus init`, then `certus serve` with 8 worker threads, the job runner and its
// reminder sweep every second and the integrity check every 2 s. Then, for TSAN_LOAD_SECONDS
// (default 40), TSAN_LOAD_CLIENTS clients (default 16) at once sign in again and again, read
// the lists, create risks, treatments, context issues, documents and evidence files and
// PATCH them with If-Match (their own records, and one record they all contend for), render
// Markdown, PDF and XLSX, read and clear their notifications, and read with an API token,
// while a webhook receiver takes the runner's deliveries and `certus backup` copies the live
// installation every few seconds. Then SIGTERM. A run fails when the server (or a backup)
// prints "WARNING: ThreadSanitizer", exits other than 0, or answers any request with 500, or
// when `certus audit-log verify` fails afterwards.
//
//   CERTUS_BIN          the server binary (default build/tsan/certus; relative to the repo root)
//   CERTUS_TEST_PG      postgresql://… of an empty database: the PostgreSQL run (else skipped)
//   TSAN_LOAD_SECONDS   seconds of load per engine (default 40)
//   TSAN_LOAD_CLIENTS   clients at once (default 16)

import { execFile, execFileSync, spawn } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const configured = process.env.CERTUS_BIN || 'build/tsan/certus';
const bin = path.isAbsolute(configured) ? configured : path.join(repoRoot, configured);
const SECONDS = Number(process.env.TSAN_LOAD_SECONDS || 40);
const CLIENTS = Number(process.env.TSAN_LOAD_CLIENTS || 16);
const EMAIL = 'admin@example.com';
const PASSWORD = 'correct-horse-battery-staple-42';
const REQUEST_TIMEOUT_MS = 120_000;
const RACE = 'WARNING: ThreadSanitizer';

// halt_on_error: the first race ends the server (exit code 66), so that its report is the
// last thing it prints. tsan.supp: third-party libraries only, each line justified there.
// TSAN_OPTIONS from the environment come last and win (halt_on_error=0 lists every race).
const suppressions = path.join(repoRoot, 'tests', 'load', 'tsan.supp');
const tsanEnv = {
  ...process.env,
  TSAN_OPTIONS: `halt_on_error=1 second_deadlock_stack=1 exitcode=66 suppressions=${suppressions} ${process.env.TSAN_OPTIONS ?? ''}`.trim(),
};

// TSan of Clang 14 cannot map its shadow memory when the kernel randomizes mmap with more
// than 28 bits (vm.mmap_rnd_bits = 32 on some hosts): run the server with ASLR off when
// the system lets us (setarch -R; a container's seccomp profile may refuse it).
const noAslr = (() => {
  const setarch = ['setarch', os.arch() === 'arm64' ? 'aarch64' : 'x86_64', '-R'];
  try {
    execFileSync(setarch[0], [...setarch.slice(1), 'true'], { stdio: 'ignore' });
    return setarch;
  } catch {
    return [];
  }
})();

function command(args) {
  return noAslr.length ? [noAslr[0], [...noAslr.slice(1), bin, ...args]] : [bin, args];
}

/** Runs a certus subcommand to the end: { code, stdout, stderr }. */
function certus(args, timeout = 180_000) {
  const [file, argv] = command(args);
  return new Promise((resolve) => {
    execFile(file, argv, { env: tsanEnv, timeout, maxBuffer: 64 << 20 }, (error, stdout, stderr) => {
      resolve({ code: error ? (error.code ?? error.signal) : 0, stdout, stderr });
    });
  });
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const today = () => new Date().toISOString().slice(0, 10);

/** A receiver of the job runner's webhook deliveries on a free loopback port. */
async function webhookReceiver() {
  let received = 0;
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      received += 1;
      res.writeHead(204).end();
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}/hook`,
    received: () => received,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

/** `certus serve` over `args`; resolves once it logs where it listens. */
async function serve(args, logFile) {
  const [file, argv] = command(['serve', ...args]);
  const child = spawn(file, argv, { env: tsanEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  const log = createWriteStream(logFile);
  let text = '';
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const keep = (chunk) => {
    log.write(chunk);
    // Keep what matters in memory: the race reports in full, and the lines around them.
    text += String(chunk);
    if (text.length > 4 << 20 && !text.includes(RACE)) text = text.slice(-(1 << 20));
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`certus serve did not listen within 60 s:\n${text}`)), 60_000);
    const poll = setInterval(() => {
      const match = text.match(/Certus listening on (https?:\/\/\S+)\r?\n/);
      if (match) {
        clearTimeout(timer);
        clearInterval(poll);
        resolve(match[1]);
      }
    }, 20);
    exited.then((status) => {
      clearTimeout(timer);
      clearInterval(poll);
      reject(new Error(`certus serve exited early (${JSON.stringify(status)}):\n${text}`));
    });
  });
  return {
    url,
    exited,
    alive: () => child.exitCode === null && child.signalCode === null,
    output: () => text,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
      const status = await exited;
      clearTimeout(timer);
      await new Promise((resolve) => log.end(resolve));
      return status;
    },
  };
}

/** Per-operation counts of answers by status, and the unexpected ones in full. */
class Tally {
  constructor() {
    this.counts = new Map();
    this.failures = [];
  }
  add(op, status, detail) {
    const key = `${op} ${status}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    if ((status === 500 || status === 'error') && this.failures.length < 20) this.failures.push(`${key}: ${detail}`);
  }
  total() {
    let n = 0;
    for (const count of this.counts.values()) n += count;
    return n;
  }
  summary() {
    return [...this.counts.entries()].sort().map(([key, count]) => `    ${key}: ${count}`).join('\n');
  }
}

/** A signed-in API client of `base` (its own session cookie and CSRF token). */
async function signIn(base, tally) {
  const res = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email: EMAIL, password: PASSWORD }),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  tally.add('POST /auth/login', res.status, res.status === 200 ? '' : await res.text());
  if (res.status !== 200) throw new Error(`sign-in: ${res.status} ${await res.text()}`);
  const { csrf_token: csrf } = await res.json();
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  return sender(base, tally, { Cookie: cookie }, csrf);
}

/** A caller of `base` with an API token (reads only: the token is a viewer's). */
function withToken(base, token, tally) {
  return sender(base, tally, { Authorization: `Bearer ${token}` }, null);
}

function sender(base, tally, credentials, csrf) {
  return async function request(method, pathname, { json, body, type, ifMatch, op } = {}) {
    const headers = { ...credentials, Accept: 'application/json' };
    if (method !== 'GET' && csrf) headers['X-CSRF-Token'] = csrf;
    if (json !== undefined) headers['Content-Type'] = 'application/json';
    if (type) headers['Content-Type'] = type;
    if (ifMatch !== undefined) headers['If-Match'] = `"${ifMatch}"`;
    const name = `${method} ${op ?? pathname}`;
    let res;
    try {
      res = await fetch(`${base}${pathname === '/' || pathname === '/readyz' ? '' : '/api/v1'}${pathname}`, {
        method,
        headers,
        body: json !== undefined ? JSON.stringify(json) : body,
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
    } catch (err) {
      tally.add(name, 'error', err.message);
      throw err;
    }
    const bytes = Buffer.from(await res.arrayBuffer());
    tally.add(name, res.status, res.status === 500 ? bytes.toString().slice(0, 500) : '');
    const text = (res.headers.get('content-type') ?? '').includes('json') ? bytes.toString() : '';
    return { status: res.status, json: text ? JSON.parse(text) : null };
  };
}

/** One client's loop until `deadline`: a mix of everything, in an order of its own. */
async function client(n, base, org, me, shared, token, deadline, tally) {
  let api = await signIn(base, tally);
  const bearer = withToken(base, token, tally);
  const mine = { risks: [], issues: [], evidence: [] };
  for (let i = 0; Date.now() < deadline; i += 1) {
    const step = (i + n) % 14;
    const tag = `c${n} i${i}`;
    if (i > 0 && i % 15 === 0) {
      await api('POST', '/auth/logout', { op: '/auth/logout' });
      api = await signIn(base, tally);
    }
    switch (step) {
      case 0: {
        const risk = await api('POST', `/orgs/${org}/risks`, {
          op: '/orgs/:org/risks',
          json: { title: `Risk ${tag}`, owner_id: me, likelihood: 1 + (i % 5), impact: 1 + (n % 5) },
        });
        if (risk.status === 201) {
          mine.risks.push(risk.json);
          await api('POST', `/orgs/${org}/treatments`, {
            op: '/orgs/:org/treatments',
            json: { risk_id: risk.json.id, title: `Treat ${tag}`, owner_id: me, due_on: today() },
          });
        }
        break;
      }
      case 1: {
        const issue = await api('POST', `/orgs/${org}/context-issues`, {
          op: '/orgs/:org/context-issues',
          json: { kind: i % 2 ? 'internal' : 'external', title: `Issue ${tag}` },
        });
        if (issue.status === 201) mine.issues.push(issue.json);
        break;
      }
      case 2: {
        const file = await api('POST', `/orgs/${org}/evidence/files?title=${encodeURIComponent(`Evidence ${tag}`)}&filename=ev-${n}-${i}.txt`, {
          op: '/orgs/:org/evidence/files',
          type: 'text/plain',
          body: `Evidence of client ${n}, iteration ${i}, ${Date.now()}\n`.repeat(1 + (i % 50)),
        });
        if (file.status === 201) {
          mine.evidence.push(file.json);
          await api('GET', `/orgs/${org}/evidence/${file.json.id}/file`, { op: '/orgs/:org/evidence/:id/file' });
        }
        break;
      }
      case 3: {
        const risk = mine.risks.at(-1);
        if (risk) {
          const patched = await api('PATCH', `/orgs/${org}/risks/${risk.id}`, {
            op: '/orgs/:org/risks/:id',
            json: { likelihood: 1 + ((i + 1) % 5), description: `edited ${tag}` },
            ifMatch: risk.version,
          });
          if (patched.status === 200) mine.risks[mine.risks.length - 1] = patched.json;
        }
        break;
      }
      case 4: {
        const issue = mine.issues.at(-1);
        if (issue) {
          const patched = await api('PATCH', `/orgs/${org}/context-issues/${issue.id}`, {
            op: '/orgs/:org/context-issues/:id',
            json: { description: `edited ${tag}` },
            ifMatch: issue.version,
          });
          if (patched.status === 200) mine.issues[mine.issues.length - 1] = patched.json;
        }
        // Every client edits one shared issue too, from what it last read: 412 when another
        // got there first.
        const current = await api('GET', `/orgs/${org}/context-issues/${shared}`, { op: '/orgs/:org/context-issues/:id' });
        if (current.status === 200) {
          await api('PATCH', `/orgs/${org}/context-issues/${shared}`, {
            op: '/orgs/:org/context-issues/:shared',
            json: { description: `contended ${tag}` },
            ifMatch: current.json.version,
          });
        }
        break;
      }
      case 5:
        await api('GET', '/me/notifications', { op: '/me/notifications' });
        await api('GET', '/me/notifications/unread-count', { op: '/me/notifications/unread-count' });
        if (i % 3 === 0) await api('POST', '/me/notifications/read-all', { op: '/me/notifications/read-all' });
        break;
      case 6:
        await api('GET', `/orgs/${org}/risks?limit=50`, { op: '/orgs/:org/risks' });
        await api('GET', `/orgs/${org}/context-issues?limit=50`, { op: '/orgs/:org/context-issues' });
        await api('GET', `/orgs/${org}/evidence?limit=50`, { op: '/orgs/:org/evidence' });
        break;
      case 7:
        await api('GET', `/orgs/${org}/tasks`, { op: '/orgs/:org/tasks' });
        await api('GET', `/orgs/${org}/calendar?from=${today().slice(0, 8)}01&to=${today()}`, { op: '/orgs/:org/calendar' });
        await api('GET', `/orgs/${org}/audit-log?limit=50`, { op: '/orgs/:org/audit-log' });
        break;
      case 8:
        await api('GET', `/orgs/${org}/readiness`, { op: '/orgs/:org/readiness' });
        await api('GET', `/orgs/${org}/controls?limit=50`, { op: '/orgs/:org/controls' });
        break;
      case 9:
        await api('GET', `/orgs/${org}/soa`, { op: '/orgs/:org/soa' });
        await api('GET', `/orgs/${org}/risk-treatment-plan`, { op: '/orgs/:org/risk-treatment-plan' });
        await api('GET', '/orgs', { op: '/orgs' });
        await api('GET', '/auth/me', { op: '/auth/me' });
        break;
      case 10:
        // The exports run the report libraries (libxlsxwriter, cairo and pango) on several
        // threads at once; the pack (every report, zipped) now and then.
        await api('GET', `/orgs/${org}/risks/export?format=${i % 2 ? 'xlsx' : 'csv'}`, { op: '/orgs/:org/risks/export' });
        await api('GET', `/orgs/${org}/soa/export?format=${i % 2 ? 'pdf' : 'xlsx'}`, { op: '/orgs/:org/soa/export' });
        if (n % 4 === 0) await api('GET', `/orgs/${org}/certification-pack`, { op: '/orgs/:org/certification-pack' });
        break;
      case 11: {
        await api('GET', '/readyz', { op: '/readyz' });
        await api('GET', '/', { op: '/' });
        const evidence = mine.evidence.at(-1);
        if (evidence) {
          const patched = await api('PATCH', `/orgs/${org}/evidence/${evidence.id}`, {
            op: '/orgs/:org/evidence/:id',
            json: { description: `edited ${tag}` },
            ifMatch: evidence.version,
          });
          if (patched.status === 200) mine.evidence[mine.evidence.length - 1] = patched.json;
        }
        break;
      }
      case 12: {
        // Documents: Markdown through cmark-gfm to HTML, and a version as PDF now and then.
        const doc = await api('POST', `/orgs/${org}/documents`, {
          op: '/orgs/:org/documents',
          json: { type: 'procedure', title: `Procedure ${tag}`, owner_id: me },
        });
        if (doc.status !== 201) break;
        const version = await api('POST', `/orgs/${org}/documents/${doc.json.id}/versions`, {
          op: '/orgs/:org/documents/:id/versions',
          json: { content: `# Procedure ${tag}\n\n| step | who |\n|---|---|\n| ${i} | client ${n} |\n\n- [ ] ~~done~~ <b>x</b>\n` },
        });
        if (version.status !== 201) break;
        const number = version.json.number ?? 1;
        const format = i % 3 === 0 ? 'pdf' : 'html';
        await api('GET', `/orgs/${org}/documents/${doc.json.id}/versions/${number}?format=${format}`, {
          op: `/orgs/:org/documents/:id/versions/:n?format=${format}`,
        });
        break;
      }
      case 13:
        // An API token's caller (the bearer path of the authenticator) reads alongside.
        await bearer('GET', `/orgs/${org}/risks?limit=20`, { op: '/orgs/:org/risks (token)' });
        await bearer('GET', `/orgs/${org}/context-issues?limit=20`, { op: '/orgs/:org/context-issues (token)' });
        await api('GET', `/orgs/${org}/documents?limit=20`, { op: '/orgs/:org/documents' });
        break;
      default:
        break;
    }
  }
}

/** `certus backup` of the live installation every few seconds until `deadline`. */
async function backups(dataArgs, work, deadline, problems) {
  let made = 0;
  for (let n = 0; Date.now() < deadline; n += 1) {
    const file = path.join(work, `backup-${n}.certus-backup`);
    const result = await certus(['backup', ...dataArgs, '--to', file]);
    if (result.code !== 0 || result.stderr.includes(RACE)) {
      problems.push(`certus backup exited ${result.code}:\n${result.stdout}${result.stderr}`);
      return made;
    }
    made += 1;
    await rm(file, { force: true });
    await sleep(3_000);
  }
  return made;
}

async function runEngine(engine, databaseUrl) {
  const started = Date.now();
  const work = await mkdtemp(path.join(os.tmpdir(), `certus-tsan-${engine}-`));
  const data = path.join(work, 'data');
  const dataArgs = ['--data-dir', data, ...(databaseUrl ? ['--database', databaseUrl] : [])];
  const passwordFile = path.join(work, 'admin-password');
  await writeFile(passwordFile, `${PASSWORD}\n`, { mode: 0o600 });
  const problems = [];
  const receiver = await webhookReceiver();
  let server = null;
  try {
    const init = await certus(['init', ...dataArgs, '--admin-email', EMAIL, '--admin-password-file', passwordFile,
      '--org', 'Load Ltd']);
    if (init.code !== 0) throw new Error(`certus init exited ${init.code}:\n${init.stdout}${init.stderr}`);

    const logFile = path.join(work, 'server.log');
    server = await serve([...dataArgs, '--listen', '127.0.0.1:0', '--web-dir', path.join(repoRoot, 'web', 'dist'),
      '--threads', '8', '--jobs-interval', '1s', '--reminder-sweep-interval', '1s',
      '--integrity-check-interval', '2s'], logFile);
    console.log(`[${engine}] ${server.url} (server log ${logFile})`);

    const tally = new Tally();
    const setup = await signIn(server.url, tally);
    const me = (await setup('GET', '/auth/me')).json.user.id;
    const orgs = (await setup('GET', '/orgs')).json;
    const org = (orgs.items ?? orgs)[0].id;
    const hook = await setup('POST', `/orgs/${org}/webhooks`, {
      op: '/orgs/:org/webhooks',
      json: { url: receiver.url, events: ['reminder.before', 'reminder.due', 'reminder.overdue'] },
    });
    if (hook.status !== 201) throw new Error(`webhook: ${hook.status} ${JSON.stringify(hook.json)}`);
    const shared = (await setup('POST', `/orgs/${org}/context-issues`, {
      op: '/orgs/:org/context-issues',
      json: { kind: 'internal', title: 'Contended issue' },
    })).json.id;

    const issued = await setup('POST', '/api-tokens', {
      op: '/api-tokens',
      json: { name: 'load', org_id: org, role: 'viewer' },
    });
    if (issued.status !== 201) throw new Error(`API token: ${issued.status} ${JSON.stringify(issued.json)}`);
    const { token } = issued.json;

    const loadStarted = Date.now();
    const deadline = loadStarted + SECONDS * 1000;
    const clients = Array.from({ length: CLIENTS }, (_, n) =>
      client(n, server.url, org, me, shared, token, deadline, tally).catch((err) => {
        if (server.alive()) problems.push(`client ${n}: ${err.stack}`);
      }));
    const backupsMade = backups(dataArgs, work, deadline, problems);
    // Stop early when the server dies (a race under halt_on_error).
    while (Date.now() < deadline && server.alive()) await sleep(250);
    await Promise.all(clients);
    const made = await backupsMade;
    const loadSeconds = (Date.now() - loadStarted) / 1000;

    const status = await server.stop();
    const output = server.output();
    if (output.includes(RACE)) {
      const first = output.indexOf(RACE);
      // First: the requests that failed after it are its consequences (halt_on_error).
      problems.unshift(`ThreadSanitizer reported in the server:\n${output.slice(Math.max(0, first - 200), first + 20_000)}`);
    }
    if (status.code !== 0) problems.push(`certus serve ended with ${JSON.stringify(status)}`);
    if (tally.failures.length) problems.push(`requests answered 500 or failed:\n  ${tally.failures.join('\n  ')}`);
    if (!/integrity check: /.test(output)) problems.push('the integrity check never ran');

    const verified = await certus(['audit-log', 'verify', ...dataArgs]);
    if (verified.code !== 0 || verified.stderr.includes(RACE)) {
      problems.push(`certus audit-log verify exited ${verified.code}:\n${verified.stdout}${verified.stderr}`);
    }

    const total = tally.total();
    console.log(`[${engine}] ${total} requests by ${CLIENTS} clients in ${loadSeconds.toFixed(1)} s ` +
      `(${(total / loadSeconds).toFixed(1)}/s), ${made} online backups, ${receiver.received()} webhook deliveries, ` +
      `${(output.match(/integrity check: \d+ blobs/g) ?? []).length} integrity checks; ` +
      `${((Date.now() - started) / 1000).toFixed(1)} s in all`);
    console.log(tally.summary());
    return problems;
  } catch (err) {
    problems.push(`${err.stack}${server ? `\n--- server output (end)\n${server.output().slice(-20_000)}` : ''}`);
    if (server) await server.stop();
    return problems;
  } finally {
    await receiver.close();
    if (!problems.length) await rm(work, { recursive: true, force: true });
    else console.error(`[${engine}] kept ${work} for inspection`);
  }
}

if (!existsSync(bin)) {
  console.error(`tsan-load: ${bin} not found: build it (cmake --preset tsan && cmake --build --preset tsan --target certus)`);
  process.exit(1);
}
const engines = [['sqlite', null]];
if (process.env.CERTUS_TEST_PG) engines.push(['postgresql', process.env.CERTUS_TEST_PG]);
else console.log('tsan-load: CERTUS_TEST_PG not set, PostgreSQL skipped (scripts/with-postgres.sh sets it)');

let failed = false;
for (const [engine, url] of engines) {
  const problems = await runEngine(engine, url);
  for (const problem of problems) console.error(`[${engine}] FAILED: ${problem}`);
  failed ||= problems.length > 0;
}
console.log(failed ? 'tsan-load: FAILED' : 'tsan-load: no data race, every server stopped cleanly');
process.exit(failed ? 1 : 0);
