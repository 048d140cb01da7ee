// Scale-out (issue 8 item 4; deploy/README.md, ADR 0022): two `certus serve` on one
// PostgreSQL 15 behind nginx, configured with deploy/nginx/certus-upstream.conf and
// certus-locations.conf. Concurrent clients write and read through nginx while one instance
// is killed (SIGKILL) and started again; afterwards the database must hold every
// acknowledged write exactly once, the audit chains must verify, and every reminder email
// must have reached the SMTP server exactly once.
//
// Run by `make test-cluster`: scripts/with-postgres.sh node --test tests/cluster/
//   CERTUS_TEST_PG  the database (set by scripts/with-postgres.sh)
//   CERTUS_BIN      the server binary (default build/asan/certus)
//   NGINX_BIN       nginx (default /usr/sbin/nginx, Debian's `nginx` package)
//   CLUSTER_SECONDS the length of the workload (default 24)
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { chmodSync, chownSync, copyFileSync, createWriteStream, existsSync, readFileSync, readdirSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { freePort } from '../e2e/server.mjs';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const PG = process.env.CERTUS_TEST_PG;
const BIN = path.resolve(repoRoot, process.env.CERTUS_BIN || 'build/asan/certus');
const NGINX = process.env.NGINX_BIN || '/usr/sbin/nginx';
const SECONDS = Number(process.env.CLUSTER_SECONDS || 24);
const WORKERS = 6;
const ADMIN = { email: 'admin@example.com', password: 'correct-horse-battery-staple-42' };
const WORKER_PASSWORD = 'worker-horse-battery-staple-42';
const today = () => new Date().toISOString().slice(0, 10);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const log = (...args) => console.log(`[cluster ${new Date().toISOString().slice(11, 19)}]`, ...args);

function run(file, args, { timeout = 60_000, ...options } = {}) {
  return new Promise((resolve, reject) => {
    execFile(file, args, { timeout, maxBuffer: 64 << 20, ...options }, (error, stdout, stderr) => {
      if (error) {
        error.message += `\n--- stdout\n${stdout}\n--- stderr\n${stderr}`;
        reject(error);
      } else {
        resolve({ stdout, stderr });
      }
    });
  });
}

/** One value per line of a query's answer (psql, unaligned, tab-separated). */
async function sql(query) {
  const { stdout } = await run('psql', [PG, '-X', '-A', '-t', '-F', '\t', '-v', 'ON_ERROR_STOP=1', '-c', query]);
  return stdout.split('\n').filter((line) => line !== '').map((line) => line.split('\t'));
}


/**
 * An HTTP request with node:http (a fresh connection each time, so that a killed instance
 * fails only the requests that were on it). Never throws: a connection error is status 0.
 */
function request(base, method, pathname, { body, headers = {}, localAddress } = {}) {
  const url = new URL(/^\/(readyz|healthz)$/.test(pathname) ? pathname : `/api/v1${pathname}`, base);
  const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  return new Promise((resolve) => {
    const req = http.request(
      url,
      {
        method,
        agent: false,
        localAddress,
        timeout: 30_000,
        headers: {
          Accept: 'application/json',
          ...(payload ? { 'Content-Type': 'application/json', 'Content-Length': payload.length } : {}),
          ...headers,
        },
      },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString();
          let json = null;
          try {
            json = text ? JSON.parse(text) : null;
          } catch {
            json = null;
          }
          resolve({ status: res.statusCode, json, headers: res.headers, text });
        });
        res.on('error', (error) => resolve({ status: 0, json: null, headers: {}, text: String(error) }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (error) => resolve({ status: 0, json: null, headers: {}, text: String(error) }));
    if (payload) req.write(payload);
    req.end();
  });
}

/** Signs in at `base`; answers a client that sends the session cookie and CSRF token. */
async function signIn(base, email, password) {
  const res = await request(base, 'POST', '/auth/login', { body: { email, password } });
  assert.equal(res.status, 200, `sign-in of ${email}: ${res.status} ${res.text}`);
  const cookie = [res.headers['set-cookie']]
    .flat()
    .filter(Boolean)
    .map((c) => c.split(';')[0])
    .join('; ');
  const csrf = res.json.csrf_token;
  const me = res.json.user;
  const call = (at, method, pathname, { body, ifMatch } = {}) =>
    request(at, method, pathname, {
      body,
      headers: {
        Cookie: cookie,
        ...(method === 'GET' ? {} : { 'X-CSRF-Token': csrf }),
        ...(ifMatch === undefined ? {} : { 'If-Match': `"${ifMatch}"` }),
      },
    });
  return { me, cookie, call };
}

/** A `certus serve` on a fixed port (so that nginx finds it again after a restart). */
function startInstance(name, port, env) {
  const logFile = path.join(env.dir, `${name}-${env.starts[name] = (env.starts[name] || 0) + 1}.log`);
  const out = createWriteStream(logFile);
  const child = spawn(
    BIN,
    [
      'serve',
      '--database', PG,
      '--data-dir', env.dataDir,
      '--listen', `127.0.0.1:${port}`,
      '--web-dir', path.join(env.dir, 'no-web'),
      '--integrity-check-interval', '0',
      '--trusted-proxy', '127.0.0.1',
      '--jobs-interval', '1s',
      '--reminder-sweep-interval', '2s',
      '--jobs-lease', '10s',
      '--smtp-host', '127.0.0.1',
      '--smtp-port', String(env.smtpPort),
      '--public-url', `http://127.0.0.1:${env.nginxPort}`,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const lines = [];
  const keep = (chunk) => {
    out.write(chunk);
    lines.push(...String(chunk).split('\n').filter(Boolean));
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const instance = { name, port, child, lines, logFile, url: `http://127.0.0.1:${port}` };
  instance.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  instance.ready = (async () => {
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(`${name} exited at start:\n${lines.join('\n')}`);
      }
      if (lines.some((l) => l.includes('Certus listening on'))) {
        const ready = await request(instance.url, 'GET', '/readyz');
        if (ready.status === 200) return;
      }
      await sleep(100);
    }
    throw new Error(`${name} did not get ready:\n${lines.join('\n')}`);
  })();
  return instance;
}

async function stopInstance(instance) {
  if (instance.child.exitCode === null && instance.child.signalCode === null) {
    instance.child.kill('SIGTERM');
    const timer = setTimeout(() => instance.child.kill('SIGKILL'), 15_000);
    const result = await instance.exited;
    clearTimeout(timer);
    return result;
  }
  return instance.exited;
}

/** The access-log lines of an instance answered with a 5xx status. */
function serverErrors(instance) {
  return readFileSync(instance.logFile, 'utf8')
    .split('\n')
    .filter((line) => / (GET|HEAD|POST|PUT|PATCH|DELETE) \S+ 5\d\d \d+us /.test(line) || /\[error\]/.test(line));
}

/** nginx as an unprivileged user, on a loopback port, with the files of deploy/nginx/. */
async function startNginx(env, upstreamPorts) {
  const dir = await mkdtemp(path.join('/tmp', 'certus-nginx-'));
  const upstream = readFileSync(path.join(repoRoot, 'deploy/nginx/certus-upstream.conf'), 'utf8');
  const servers = [...upstream.matchAll(/^\s*server 127\.0\.0\.1:\d+ /gm)];
  assert.equal(servers.length, upstreamPorts.length, 'certus-upstream.conf lists two instances');
  let i = 0;
  await writeFile(
    path.join(dir, 'certus-upstream.conf'),
    upstream.replace(/^(\s*server 127\.0\.0\.1:)\d+ /gm, (_, head) => `${head}${upstreamPorts[i++]} `),
  );
  copyFileSync(path.join(repoRoot, 'deploy/nginx/certus-locations.conf'), path.join(dir, 'certus-locations.conf'));
  for (const temp of ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) await mkdir(path.join(dir, temp));
  await writeFile(
    path.join(dir, 'nginx.conf'),
    `# Generated by tests/cluster/cluster.test.mjs around deploy/nginx/.
daemon off;
worker_processes 2;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log info;
events { worker_connections 512; }
http {
  access_log ${dir}/access.log combined;
  client_body_temp_path ${dir}/client_body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  include ${dir}/certus-upstream.conf;
  server {
    listen 127.0.0.1:${env.nginxPort};
    server_name localhost;
    include ${dir}/certus-locations.conf;
  }
}
`,
  );
  // Never as root: as the `nobody` user when the test runs as root.
  const asUser = {};
  if (process.getuid() === 0) {
    const uid = Number((await run('id', ['-u', 'nobody'])).stdout.trim());
    const gid = Number((await run('id', ['-g', 'nobody'])).stdout.trim());
    for (const entry of ['', 'client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) {
      chownSync(path.join(dir, entry), uid, gid);
    }
    for (const file of readdirSync(dir)) chmodSync(path.join(dir, file), 0o755);
    Object.assign(asUser, { uid, gid });
  }
  const args = ['-p', dir, '-e', `${dir}/error.log`, '-c', `${dir}/nginx.conf`];
  await run(NGINX, ['-t', '-q', ...args], asUser).catch((error) => {
    throw new Error(`nginx -t failed: ${error.message}`);
  });
  const child = spawn(NGINX, args, {
    stdio: ['ignore', 'inherit', 'inherit'],
    ...asUser,
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const url = `http://127.0.0.1:${env.nginxPort}`;
  for (let tries = 0; ; ++tries) {
    const res = await request(url, 'GET', '/healthz');
    if (res.status === 200) break;
    if (tries > 100 || child.exitCode !== null) {
      throw new Error(`nginx did not start: ${readFileSync(`${dir}/error.log`, 'utf8')}`);
    }
    await sleep(100);
  }
  return {
    url,
    dir,
    accessLog: () => readFileSync(`${dir}/access.log`, 'utf8'),
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGQUIT');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(timer);
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A real SMTP server (Debian's python3-aiosmtpd) writing each message to a maildir. */
async function startSmtp(env) {
  const maildir = path.join(env.dir, 'mail');
  const child = spawn(
    '/usr/bin/python3',
    ['-m', 'aiosmtpd', '-n', '-l', `127.0.0.1:${env.smtpPort}`, '-c', 'aiosmtpd.handlers.Mailbox', maildir],
    { stdio: ['ignore', 'inherit', 'inherit'] },
  );
  const exited = new Promise((resolve) => child.once('exit', resolve));
  for (let tries = 0; ; ++tries) {
    const up = await new Promise((resolve) => {
      const socket = net.connect(env.smtpPort, '127.0.0.1', () => {
        socket.end();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (up) break;
    if (tries > 100 || child.exitCode !== null) throw new Error('aiosmtpd did not start (Debian: python3-aiosmtpd)');
    await sleep(100);
  }
  return {
    /** Every message received: { to, subject, id } (id: the Message-ID's local part). */
    messages() {
      const dir = path.join(maildir, 'new');
      if (!existsSync(dir)) return [];
      return readdirSync(dir).map((file) => {
        const text = readFileSync(path.join(dir, file), 'utf8');
        const head = text.split(/\r?\n\r?\n/)[0].replace(/\r?\n[ \t]+/g, ' ');
        const field = (name) => (head.match(new RegExp(`^${name}: (.*)$`, 'mi')) || [])[1]?.trim() ?? '';
        const id = field('Message-ID').replace(/^<([^@>]*)@.*$/, '$1');
        return { to: field('To'), subject: field('Subject'), id };
      });
    },
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
    },
  };
}

/** The workload of one client: creates, If-Match PATCHes and list reads through nginx. */
async function worker(index, session, org, shared, until) {
  const at = shared.nginx;
  let n = 0;
  while (Date.now() < until()) {
    n += 1;
    const roll = Math.random();
    if (roll < 0.3) {
      const title = `w${index}-issue-${n}`;
      const res = await session.call(at, 'POST', `/orgs/${org}/context-issues`, { body: { kind: 'internal', title } });
      shared.creates.push({ table: 'context_issues', title, status: res.status });
      if (res.status === 201) shared.issues.push({ id: res.json.id, version: res.json.version });
    } else if (roll < 0.34) {
      const title = `w${index}-risk-${n}`;
      const risk = await session.call(at, 'POST', `/orgs/${org}/risks`, {
        body: { title, owner_id: session.me.id, likelihood: 3, impact: 3 },
      });
      shared.creates.push({ table: 'risks', title, status: risk.status });
      if (risk.status !== 201) continue;
      // A treatment due today, owned by this worker: its reminder must be emailed once.
      const treatment = `w${index}-treatment-${n}`;
      const res = await session.call(at, 'POST', `/orgs/${org}/treatments`, {
        body: { risk_id: risk.json.id, title: treatment, owner_id: session.me.id, due_on: today() },
      });
      shared.creates.push({ table: 'risk_treatments', title: treatment, status: res.status });
      if (res.status === 201) shared.treatments.push({ title: treatment, owner: session.me.email });
    } else if (roll < 0.8 && shared.issues.length > 0) {
      // Workers patch each other's issues with the version they last saw: some get 412.
      const issue = shared.issues[Math.floor(Math.random() * shared.issues.length)];
      const description = `w${index}-edit-${n}`;
      const res = await session.call(at, 'PATCH', `/orgs/${org}/context-issues/${issue.id}`, {
        body: { description },
        ifMatch: issue.version,
      });
      shared.patches.push({ id: issue.id, status: res.status, version: res.json?.version, description });
      if (res.status === 200) {
        issue.version = Math.max(issue.version, res.json.version);
      } else if (res.status === 409 || res.status === 412) {
        const fresh = await session.call(at, 'GET', `/orgs/${org}/context-issues/${issue.id}`);
        if (fresh.status === 200) issue.version = Math.max(issue.version, fresh.json.version);
      }
    } else {
      const list = ['context-issues', 'risks', 'treatments'][n % 3];
      const res = await session.call(at, 'GET', `/orgs/${org}/${list}?limit=20`);
      shared.reads.push(res.status);
    }
  }
}

const TITLE = 'two instances behind nginx share sessions, throttling, jobs and reminders, and lose nothing when one dies';
test(TITLE, async (t) => {
  if (!PG) {
    t.skip('CERTUS_TEST_PG is not set: run through scripts/with-postgres.sh (make test-cluster)');
    return;
  }
  assert.ok(existsSync(BIN), `no certus binary at ${BIN}: build it or set CERTUS_BIN`);
  assert.ok(existsSync(NGINX), `no nginx at ${NGINX}: install Debian's nginx (make deps)`);
  const started = Date.now();

  const env = { dir: await mkdtemp(path.join(os.tmpdir(), 'certus-cluster-')), starts: {} };
  env.dataDir = path.join(env.dir, 'data'); // shared by both instances: evidence files
  env.smtpPort = await freePort();
  env.nginxPort = await freePort();
  const ports = [await freePort(), await freePort()];
  const cleanups = [];
  t.after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
    if (!process.env.CLUSTER_KEEP) await rm(env.dir, { recursive: true, force: true });
    else log(`kept ${env.dir}`);
  });

  const smtp = await startSmtp(env);
  cleanups.push(() => smtp.stop());
  await writeFile(path.join(env.dir, 'admin-password'), `${ADMIN.password}\n`, { mode: 0o600 });
  await writeFile(path.join(env.dir, 'worker-password'), `${WORKER_PASSWORD}\n`, { mode: 0o600 });
  await run(BIN, ['init', '--database', PG, '--data-dir', env.dataDir, '--admin-email', ADMIN.email,
    '--admin-password-file', path.join(env.dir, 'admin-password'), '--org', 'Cluster Ltd']);
  const workerEmails = Array.from({ length: WORKERS }, (_, i) => `worker${i}@example.com`);
  await Promise.all(
    [...workerEmails, 'throttle-a@example.com', 'throttle-b@example.com'].map((email) =>
      run(BIN, ['user', 'add', '--database', PG, '--data-dir', env.dataDir, '--email', email,
        '--password-file', path.join(env.dir, 'worker-password')]),
    ),
  );

  const instances = { a: startInstance('a', ports[0], env), b: startInstance('b', ports[1], env) };
  cleanups.push(async () => {
    await stopInstance(instances.a);
    await stopInstance(instances.b);
  });
  await Promise.all([instances.a.ready, instances.b.ready]);
  const nginx = await startNginx(env, ports);
  cleanups.push(() => nginx.stop());
  log(
    `PostgreSQL ${PG.replace(/\/\/[^@]*@/, '//')}, instances ${instances.a.url} and ${instances.b.url}, ` +
      `nginx ${nginx.url}, SMTP :${env.smtpPort}`,
  );

  // Sessions: one sign-in through nginx works on both instances; signing out on one ends it
  // on the other.
  const admin = await signIn(nginx.url, ADMIN.email, ADMIN.password);
  for (const instance of [instances.a, instances.b]) {
    const me = await admin.call(instance.url, 'GET', '/auth/me');
    assert.equal(me.status, 200, `the session of nginx works on ${instance.name} directly`);
  }
  const orgs = await admin.call(nginx.url, 'GET', '/orgs');
  const org = (orgs.json.items ?? orgs.json).find((o) => o.name === 'Cluster Ltd').id;
  const brief = await signIn(instances.a.url, ADMIN.email, ADMIN.password);
  assert.equal((await brief.call(instances.b.url, 'GET', '/auth/me')).status, 200);
  assert.equal((await brief.call(instances.a.url, 'POST', '/auth/logout')).status, 204);
  assert.equal((await brief.call(instances.b.url, 'GET', '/auth/me')).status, 401, 'signed out on a: gone on b');

  // Login throttling: failed sign-ins count in the database, so spreading them over both
  // instances gets 429 after as many as on one.
  const failuresBefore429 = async (targets, email) => {
    for (let attempt = 1; attempt <= 20; ++attempt) {
      const at = targets[attempt % targets.length];
      const res = await request(at, 'POST', '/auth/login', { body: { email, password: 'wrong-password-123456' } });
      if (res.status === 429) return attempt - 1;
      assert.equal(res.status, 401, `failed sign-in ${attempt} at ${at}`);
    }
    return Infinity;
  };
  const onOne = await failuresBefore429([instances.a.url], 'throttle-a@example.com');
  const onBoth = await failuresBefore429([instances.a.url, instances.b.url], 'throttle-b@example.com');
  assert.equal(onBoth, onOne, 'the same number of failed sign-ins before 429 on one instance and on two');
  for (const instance of [instances.a, instances.b]) {
    const res = await request(instance.url, 'POST', '/auth/login', {
      body: { email: 'throttle-b@example.com', password: WORKER_PASSWORD },
    });
    assert.equal(res.status, 429, `${instance.name} refuses the throttled account, even with its password`);
  }
  // Behind nginx, the client's address comes from X-Forwarded-For (--trusted-proxy).
  const viaProxy = await request(nginx.url, 'POST', '/auth/login', {
    body: { email: 'nobody@example.com', password: 'wrong-password-123456' },
    localAddress: '127.0.0.2',
  });
  assert.equal(viaProxy.status, 401);
  const loggedAs = (address) =>
    [instances.a, instances.b].some((instance) =>
      instance.lines.some((line) => line.includes(` ${address} POST /api/v1/auth/login 401 `)),
    );
  assert.ok(loggedAs('127.0.0.2'), 'the instance saw the client address that nginx forwarded');
  log(`throttling: ${onOne} failures before 429 on one instance, ${onBoth} spread over two`);

  // Workers: members of the organization, each signed in once through nginx.
  const sessions = [];
  for (const email of workerEmails) {
    const added = await admin.call(nginx.url, 'POST', `/orgs/${org}/members`, { body: { email, role: 'manager' } });
    assert.equal(added.status, 201, `member ${email}: ${added.text}`);
    sessions.push(await signIn(nginx.url, email, WORKER_PASSWORD));
  }

  // The workload, with instance a killed a third of the way and started again at two thirds.
  const shared = { nginx: nginx.url, creates: [], patches: [], reads: [], issues: [], treatments: [] };
  const end = Date.now() + SECONDS * 1000;
  const workers = sessions.map((session, i) => worker(i, session, org, shared, () => end));
  await sleep((SECONDS * 1000) / 3);
  log(`SIGKILL instance a (${shared.creates.length} creates, ${shared.patches.length} patches so far)`);
  instances.a.child.kill('SIGKILL');
  const killed = await instances.a.exited;
  assert.equal(killed.signal, 'SIGKILL');
  const firstLife = instances.a;
  await sleep((SECONDS * 1000) / 3);
  log('starting instance a again');
  instances.a = startInstance('a', ports[0], env);
  await instances.a.ready;
  await Promise.all(workers);
  const histogram = (list) => JSON.stringify(list.reduce((h, x) => ({ ...h, [x]: (h[x] ?? 0) + 1 }), {}));
  log(
    `workload done: creates ${histogram(shared.creates.map((c) => `${c.table} ${c.status}`))}, ` +
      `patches ${histogram(shared.patches.map((p) => p.status))}, reads ${histogram(shared.reads)}`,
  );

  // After the workload, through each instance directly: the same session still works.
  for (const session of sessions.slice(0, 2)) {
    for (const instance of [instances.a, instances.b]) {
      assert.equal((await session.call(instance.url, 'GET', '/auth/me')).status, 200);
    }
  }

  // Reminders: wait until every acknowledged treatment's reminder reached the SMTP server and
  // the outbox is empty.
  // The subject names the duty: "[Certus] Due today: Complete treatment action T-0001 <title> (R-0001)".
  const expected = shared.treatments.map((x) => ({ to: x.owner, title: x.title }));
  const isReminderOf = (m, e) =>
    m.to === e.to && m.subject.startsWith('[Certus] Due today: ') && m.subject.includes(` ${e.title} (`);
  const deadline = Date.now() + 60_000;
  for (;;) {
    const received = smtp.messages();
    const pending = Number((await sql(`SELECT count(*) FROM email_outbox WHERE status = 'pending'`))[0][0]);
    const missing = expected.filter((e) => !received.some((m) => isReminderOf(m, e)));
    if (missing.length === 0 && pending === 0) break;
    if (Date.now() > deadline) {
      assert.fail(
        `reminders missing after 60 s: ${missing.length} of ${expected.length}, ${pending} emails pending; ` +
          `e.g. ${JSON.stringify(missing.slice(0, 3))}`,
      );
    }
    await sleep(500);
  }
  log(`${expected.length} treatment reminders received`);
  await sleep(3000); // a sweep or two more: nothing may be sent twice

  // Verify: creates.
  const byTable = {};
  for (const table of ['context_issues', 'risks', 'risk_treatments']) {
    const rows = await sql(`SELECT title, count(*) FROM ${table} WHERE org_id = '${org}' GROUP BY title`);
    byTable[table] = new Map(rows.map(([title, c]) => [title, Number(c)]));
  }
  const acknowledged = shared.creates.filter((c) => c.status === 201);
  const unacknowledged = shared.creates.filter((c) => c.status !== 201);
  for (const c of acknowledged) {
    assert.equal(byTable[c.table].get(c.title), 1, `acknowledged ${c.table} "${c.title}" exists exactly once`);
  }
  for (const c of unacknowledged) {
    assert.ok((byTable[c.table].get(c.title) ?? 0) <= 1, `unacknowledged ${c.table} "${c.title}" exists at most once`);
  }
  const unexpectedStatuses = unacknowledged.filter((c) => c.status !== 502 && c.status !== 0);
  assert.deepEqual(unexpectedStatuses, [], 'creates fail only with 502 (their instance died)');

  // PATCHes: every acknowledged version is in the audit log with its description, every
  // version of an issue was written once, and the row holds the last one.
  const patchEvents = new Map();
  for (const [objectId, after] of await sql(
    `SELECT object_id, after_json FROM audit_events ` +
      `WHERE chain = '${org}' AND object_type = 'context_issue' AND action = 'update'`,
  )) {
    const state = JSON.parse(after);
    const key = `${objectId}@${state.version}`;
    assert.ok(!patchEvents.has(key), `one update event per version (${key})`);
    patchEvents.set(key, state);
  }
  const okPatches = shared.patches.filter((p) => p.status === 200);
  for (const p of okPatches) {
    const event = patchEvents.get(`${p.id}@${p.version}`);
    assert.ok(event, `acknowledged PATCH ${p.id} version ${p.version} is in the audit log`);
    assert.equal(event.description, p.description);
  }
  const rows = await sql(`SELECT id, version, description FROM context_issues WHERE org_id = '${org}'`);
  for (const [id, version, description] of rows) {
    for (let v = 2; v <= Number(version); ++v) {
      assert.ok(patchEvents.has(`${id}@${v}`), `version ${v} of ${id} was audited`);
    }
    if (Number(version) > 1) assert.equal(patchEvents.get(`${id}@${version}`).description, description);
  }
  const conflicts = shared.patches.filter((p) => p.status === 409 || p.status === 412).length;
  const patchFailures = shared.patches.filter((p) => ![200, 409, 412, 502, 0].includes(p.status));
  assert.deepEqual(patchFailures, [], 'PATCHes answer 200, 412 (a stale version) or 502 (their instance died)');
  const readFailures = shared.reads.filter((s) => s !== 200);
  assert.deepEqual(readFailures, [], 'every read succeeds: nginx retries idempotent requests on the other instance');

  // Reminders: each email of the outbox reached the SMTP server as one message (its
  // Message-ID is the outbox row's id), every acknowledged treatment's reminder among them,
  // and no reminder is recorded twice. An instance killed between the SMTP exchange and
  // marking the row sent makes another send it again when the lease ends: the same message,
  // with the same Message-ID; one kill can do that to at most the one email in flight.
  const received = smtp.messages();
  const byId = new Map();
  for (const m of received) byId.set(m.id, [...(byId.get(m.id) ?? []), m]);
  const outbox = await sql(`SELECT id, recipient, subject, status FROM email_outbox`);
  for (const [id, to, subject, status] of outbox) {
    assert.equal(status, 'sent', `email ${id} to ${to} "${subject}" was sent`);
    const copies = byId.get(id) ?? [];
    assert.ok(copies.length >= 1, `email ${id} to ${to} "${subject}" was received`);
    for (const copy of copies) {
      assert.deepEqual([copy.to, copy.subject], [to, subject], `email ${id} is what the outbox holds`);
    }
  }
  assert.equal(byId.size, outbox.length, 'every message received is an email of the outbox');
  const redelivered = received.length - byId.size;
  assert.ok(redelivered <= 1, `at most the one email in flight on the killed instance is sent twice (${redelivered})`);
  for (const e of expected) {
    const messages = new Set(received.filter((m) => isReminderOf(m, e)).map((m) => m.id));
    assert.equal(messages.size, 1, `the reminder of "${e.title}" to ${e.to} is one message`);
  }
  const reminderKeys = await sql(
    `SELECT task_key, stage, count(*) FROM reminders_sent WHERE org_id = '${org}' ` +
      `GROUP BY task_key, stage HAVING count(*) > 1`,
  );
  assert.deepEqual(reminderKeys, [], 'every reminder recorded once');
  const sweepers = await sql(
    `SELECT count(DISTINCT claimed_by) FROM jobs WHERE done_at IS NOT NULL AND kind = 'reminder_sweep'`,
  );

  log('database checked');
  // The audit chains verify (certus audit-log verify: exit 0 when every chain does).
  const verified = await run(BIN, ['audit-log', 'verify', '--database', PG, '--data-dir', env.dataDir]);
  log(`audit-log verify: ${verified.stdout.trim().split('\n').slice(-1)[0]}`);

  // The instances: no 5xx in the logs of the surviving and the restarted instance. nginx
  // answered 502 only for the writes that were on the killed instance.
  for (const instance of [instances.a, instances.b]) {
    assert.deepEqual(serverErrors(instance), [], `no 5xx or errors in the log of ${instance.name}`);
  }
  const nginx5xx = nginx
    .accessLog()
    .split('\n')
    .filter((line) => /" 5\d\d /.test(line));
  const stopped = await Promise.all([stopInstance(instances.a), stopInstance(instances.b)]);
  for (const result of stopped) assert.equal(result.code, 0, 'the instances stop cleanly (and ASan finds no leak)');

  const count = (list, pred) => list.filter(pred).length;
  log(
    [
      `creates: ${acknowledged.length} acknowledged, ${unacknowledged.length} not (502 while a died), ` +
        `${count(unacknowledged, (c) => byTable[c.table].has(c.title))} of which committed all the same`,
      `PATCHes: ${count(shared.patches, (p) => p.status === 200)} acknowledged, ` +
        `${conflicts} version conflicts (412), ` +
        `${count(shared.patches, (p) => p.status === 502 || p.status === 0)} failed with their instance`,
      `reads: ${shared.reads.length}, all 200`,
      `reminders: ${expected.length} treatment reminders, ${byId.size} emails, each received once` +
        (redelivered ? ` (and ${redelivered} sent again after the kill, same Message-ID)` : '') +
        `; sweeps run by ${sweepers[0][0]} instance processes`,
      `nginx: ${nginx5xx.length} answers 5xx; first life of a: ${firstLife.lines.length} log lines`,
      `wall time ${((Date.now() - started) / 1000).toFixed(1)} s`,
    ].join('\n  '),
  );
  assert.ok(acknowledged.length > 0 && okPatches.length > 0 && expected.length > 0, 'the workload did something');
});
