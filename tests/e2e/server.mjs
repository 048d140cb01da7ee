// Starts a real Certus server for browser tests: a fresh data directory, `certus init`, then
// `certus serve` on a free loopback port with the built web UI, ready when /readyz says 200.
//
//   CERTUS_BIN  the server binary (default build/release/certus; relative paths are taken
//               from the repository root)

import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const webDist = path.join(repoRoot, 'web', 'dist');

export const ADMIN_EMAIL = 'admin@example.com';
export const ADMIN_PASSWORD = 'correct-horse-battery-staple-42';
export const FIRST_ORG = 'Acme Ltd';

const READY_TIMEOUT_MS = 10_000;

/** The certus binary the tests run (CERTUS_BIN, else build/release/certus). */
export function binary() {
  const configured = process.env.CERTUS_BIN || 'build/release/certus';
  return path.isAbsolute(configured) ? configured : path.join(repoRoot, configured);
}

function run(file, args, timeoutMs) {
  return new Promise((resolve, reject) => {
    execFile(file, args, { timeout: timeoutMs }, (error, stdout, stderr) => {
      if (error) {
        error.message += `\n--- stdout\n${stdout}\n--- stderr\n${stderr}`;
        reject(error);
      } else {
        resolve({ stdout, stderr });
      }
    });
  });
}

/** A port that was free a moment ago on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts a server. Returns { url, dataDir, adminEmail, adminPassword, firstOrg, output(),
 * addUser(), stop() }. stop() ends the server and removes its data directory; it is safe to
 * call twice. With { org: null } the installation starts without an organization.
 */
export async function startServer({ org = FIRST_ORG } = {}) {
  const bin = binary();
  if (!existsSync(bin)) {
    throw new Error(`Certus binary not found at ${bin}: build it (make build-server) or set CERTUS_BIN`);
  }
  if (!existsSync(path.join(webDist, 'index.html'))) {
    throw new Error(`${webDist}/index.html not found: build the web UI first (npm --prefix web run build)`);
  }

  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'certus-e2e-'));
  const passwordFile = path.join(dataDir, 'admin-password');
  await writeFile(passwordFile, `${ADMIN_PASSWORD}\n`, { mode: 0o600 });
  const data = path.join(dataDir, 'data');

  let child = null;
  const lines = [];
  const stop = async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
    child = null;
    await rm(dataDir, { recursive: true, force: true });
  };

  try {
    await run(
      bin,
      [
        'init',
        '--data-dir', data,
        '--admin-email', ADMIN_EMAIL,
        '--admin-password-file', passwordFile,
        ...(org ? ['--org', org] : []),
      ],
      30_000,
    );

    // Port 0: the server takes a free port itself and logs it, so that servers of tests that
    // run at the same time never race for one.
    child = spawn(bin, ['serve', '--data-dir', data, '--listen', '127.0.0.1:0', '--web-dir', webDist], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (chunk) => {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      if (lines.length > 400) lines.splice(0, lines.length - 400);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);

    const url = await listeningUrl(child, lines);
    await waitReady(url, child, lines);
    return {
      url,
      dataDir,
      adminEmail: ADMIN_EMAIL,
      adminPassword: ADMIN_PASSWORD,
      firstOrg: org,
      output: () => lines.join('\n'),
      /** Adds a user with `certus user add` (the API has no sign-up). */
      async addUser({ email, password, name, installationAdmin = false }) {
        const file = path.join(dataDir, `password-${email}`);
        await writeFile(file, `${password}\n`, { mode: 0o600 });
        await run(
          bin,
          [
            'user', 'add',
            '--data-dir', data,
            '--email', email,
            '--password-file', file,
            ...(name ? ['--name', name] : []),
            ...(installationAdmin ? ['--installation-admin'] : []),
          ],
          30_000,
        );
      },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** The URL that `certus serve` (started on port 0) logs once it listens. */
function listeningUrl(child, lines) {
  const pattern = /Certus listening on (https?:\/\/\S+)\r?\n/;
  return new Promise((resolve, reject) => {
    let text = '';
    const cleanup = () => {
      clearTimeout(timer);
      child.stdout.off('data', onData);
      child.stderr.off('data', onData);
      child.off('exit', onExit);
    };
    const onData = (chunk) => {
      text += String(chunk);
      const match = text.match(pattern);
      if (match) {
        cleanup();
        resolve(match[1]);
      }
    };
    const onExit = (code, signal) => {
      cleanup();
      reject(new Error(`certus serve exited early (${JSON.stringify({ code, signal })}):\n${lines.join('\n')}`));
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`certus serve did not log where it listens within ${READY_TIMEOUT_MS} ms:\n${lines.join('\n')}`));
    }, READY_TIMEOUT_MS);
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', onExit);
  });
}

async function waitReady(url, child, lines) {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let exited = null;
  child.once('exit', (code, signal) => (exited = { code, signal }));
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (exited) {
      throw new Error(`certus serve exited early (${JSON.stringify(exited)}):\n${lines.join('\n')}`);
    }
    try {
      const res = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(1_000) });
      if (res.status === 200) return;
      last = `status ${res.status}`;
    } catch (err) {
      last = err.message;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`certus serve not ready after ${READY_TIMEOUT_MS} ms (${last}):\n${lines.join('\n')}`);
}

/**
 * `certus init` into a new temporary directory (the admin of server.mjs, an organization
 * `org`), for tests that start, kill and restart servers on one data directory themselves.
 * Returns { work, data, remove() }.
 */
export async function initDataDir({ org = FIRST_ORG } = {}) {
  const work = await mkdtemp(path.join(os.tmpdir(), 'certus-data-'));
  const data = path.join(work, 'data');
  const passwordFile = path.join(work, 'admin-password');
  await writeFile(passwordFile, `${ADMIN_PASSWORD}\n`, { mode: 0o600 });
  await run(binary(), ['init', '--data-dir', data, '--admin-email', ADMIN_EMAIL,
    '--admin-password-file', passwordFile, '--org', org], 30_000);
  return { work, data, remove: () => rm(work, { recursive: true, force: true }) };
}

/**
 * `certus serve` over an existing data directory with `args` added; resolves when /readyz
 * answers 200. Returns { url, output(), kill(signal) } (kill resolves once it has exited).
 */
export async function serveDataDir(data, args = []) {
  const child = spawn(binary(), ['serve', '--data-dir', data, '--listen', '127.0.0.1:0', '--web-dir', webDist,
    ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines = [];
  const keep = (chunk) => lines.push(...String(chunk).split('\n').filter(Boolean));
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise((resolve) => child.once('exit', resolve));
  let url;
  try {
    url = await listeningUrl(child, lines);
    await waitReady(url, child, lines);
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  return {
    url,
    output: () => lines.join('\n'),
    async kill(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}
