// TLS in the process (issue 9, item 9): `certus serve --tls-cert --tls-key` answers HTTPS only,
// with TLS 1.2 or newer, sends HSTS and marks the session cookie Secure; a certificate that
// does not go with its key stops the server before it listens.
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import https from 'node:https';
import net from 'node:net';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { ADMIN_EMAIL, ADMIN_PASSWORD, binary, freePort, initDataDir, webDist } from './server.mjs';

function run(file, args) {
  return new Promise((resolve) => {
    execFile(file, args, { timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? error.code : 0, stdout, stderr });
    });
  });
}

/** One HTTPS request trusting only `ca`; resolves to { status, headers, body }. */
function request(url, { ca, method = 'GET', body, tls = {} }) {
  return new Promise((resolve, reject) => {
    const req = https.request(url, { method, ca, headers: body ? { 'Content-Type': 'application/json' } : {}, ...tls }, (res) => {
      let text = '';
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

let dir;
let child;
let url;
let ca;

before(async () => {
  dir = await initDataDir();
  const cert = path.join(dir.work, 'cert.pem');
  const key = path.join(dir.work, 'key.pem');
  const made = await run('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
    '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1']);
  assert.equal(made.code, 0, made.stderr);
  ca = await readFile(cert);

  const port = await freePort();
  url = `https://127.0.0.1:${port}`;
  child = spawn(binary(), ['serve', '--data-dir', dir.data, '--listen', `127.0.0.1:${port}`, '--web-dir', webDist,
    '--tls-cert', cert, '--tls-key', key], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr.on('data', (chunk) => (log += chunk));
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`certus serve exited:\n${log}`);
    if (Date.now() > deadline) throw new Error(`certus serve not ready over TLS:\n${log}`);
    try {
      if ((await request(`${url}/readyz`, { ca })).status === 200) break;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
});

after(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
  await dir?.remove();
});

test('HTTPS with HSTS and Secure cookies; plain HTTP and TLS 1.1 get nothing', async () => {
  const ready = await request(`${url}/readyz`, { ca });
  assert.equal(ready.status, 200);
  assert.match(ready.headers['strict-transport-security'], /max-age=\d+/);

  const login = await request(`${url}/api/v1/auth/login`, {
    ca, method: 'POST', body: JSON.stringify({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD }),
  });
  assert.equal(login.status, 200, login.body);
  const cookies = login.headers['set-cookie'] ?? [];
  assert.ok(cookies.length > 0 && cookies.every((c) => /;\s*Secure/i.test(c)), cookies.join('\n'));

  // Plain HTTP to the TLS port: no HTTP answer, the connection just ends.
  const port = Number(new URL(url).port);
  const plain = await new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write('GET /readyz HTTP/1.1\r\nHost: x\r\n\r\n'));
    let text = '';
    socket.on('data', (chunk) => (text += chunk));
    socket.on('close', () => resolve(text));
    socket.on('error', () => resolve(text));
    socket.setTimeout(10_000, () => socket.destroy());
  });
  assert.doesNotMatch(plain, /HTTP\/1\.1 200/);

  await assert.rejects(request(`${url}/readyz`, { ca, tls: { minVersion: 'TLSv1.1', maxVersion: 'TLSv1.1' } }));
  // A client that does not trust the certificate is refused by the client itself.
  await assert.rejects(request(`${url}/readyz`, {}));
});

test('a key that does not go with the certificate stops the server before it listens', async () => {
  const other = path.join(dir.work, 'other-key.pem');
  const made = await run('openssl', ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', other]);
  assert.equal(made.code, 0, made.stderr);
  const port = await freePort();
  const refused = await run(binary(), ['serve', '--data-dir', dir.data, '--listen', `127.0.0.1:${port}`,
    '--web-dir', webDist, '--tls-cert', path.join(dir.work, 'cert.pem'), '--tls-key', other]);
  assert.notEqual(refused.code, 0);
  assert.match(refused.stderr, /Cannot use the TLS certificate/);
});
