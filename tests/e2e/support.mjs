// Browser and API helpers for the browser tests. playwright-core is a devDependency of web/,
// so it is loaded from web/node_modules whatever the current directory.

import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { after, before } from 'node:test';
import { repoRoot, startServer } from './server.mjs';

const require = createRequire(path.join(repoRoot, 'web', 'package.json'));
const { chromium } = require('playwright-core');

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

/** Where failure screenshots go (printed when one is taken). */
export const artifactsDir = process.env.CERTUS_E2E_ARTIFACTS || path.join(os.tmpdir(), 'certus-e2e-artifacts');

/**
 * One server and one browser for the tests of a file: started before the first test, stopped
 * after the last. Returns an object whose `server` and `browser` are set once they run.
 */
export function useServerAndBrowser(serverOptions) {
  const env = { server: null, browser: null };
  before(async () => {
    env.server = await startServer(serverOptions);
    env.browser = await launchBrowser();
  });
  after(async () => {
    await env.browser?.close();
    await env.server?.stop();
  });
  return env;
}

export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * Runs `body(page)` in a fresh browser context (its own cookies). On failure it saves a
 * screenshot. It also fails the test when the page logs a Content-Security-Policy violation
 * or throws an uncaught error.
 */
export async function withPage(t, browser, server, body, { viewport = DESKTOP } = {}) {
  const context = await browser.newContext({ baseURL: server.url, viewport });
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('console', (msg) => {
    const text = msg.text();
    if (msg.type() === 'error' && /Content Security Policy|Refused to/i.test(text)) problems.push(`CSP: ${text}`);
  });
  try {
    await body(page);
    assertNoProblems(problems);
  } catch (err) {
    try {
      mkdirSync(artifactsDir, { recursive: true });
      const file = path.join(artifactsDir, `${t.name.replace(/[^\w-]+/g, '_').slice(0, 80)}.png`);
      await page.screenshot({ path: file, fullPage: true });
      t.diagnostic(`screenshot: ${file}`);
    } catch {
      /* the page may be gone */
    }
    for (const line of problems) t.diagnostic(line);
    t.diagnostic('server output (last lines):');
    for (const line of server.output().split('\n').slice(-30)) t.diagnostic(`  ${line}`);
    throw err;
  } finally {
    await context.close();
  }
}

function assertNoProblems(problems) {
  if (problems.length) throw new Error(`the page reported problems:\n${problems.join('\n')}`);
}

/** Signs in through the sign-in page and waits for the shell. */
export async function signIn(page, server, { email = server.adminEmail, password = server.adminPassword } = {}) {
  await page.goto('/');
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  // The account menu is in the header at every width (the navigation hides on phones).
  await page.getByRole('button', { name: /account menu/ }).waitFor();
}

/** The dialog whose accessible name matches `name`. */
export function dialog(page, name) {
  return page.getByRole('dialog', { name });
}

/** Waits until `read()` returns something for which `ok(value)` holds; returns it. */
export async function eventually(read, ok, { timeout = 10_000, message = 'condition' } = {}) {
  const deadline = Date.now() + timeout;
  let value;
  for (;;) {
    value = await read();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${message}; last value: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * A second, independent API session (its own cookie and CSRF token), for arranging data and
 * for changing things "behind the browser's back".
 */
export async function apiSession(server, { email = server.adminEmail, password = server.adminPassword } = {}) {
  const login = await fetch(`${server.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (login.status !== 200) throw new Error(`API login failed: ${login.status} ${await login.text()}`);
  const { csrf_token: csrf } = await login.json();
  const cookie = (login.headers.getSetCookie?.() ?? [login.headers.get('set-cookie')])
    .filter(Boolean)
    .map((c) => c.split(';')[0])
    .join('; ');

  async function request(method, pathname, { body, ifMatch, expect } = {}) {
    const headers = { Cookie: cookie, Accept: 'application/json' };
    if (method !== 'GET') headers['X-CSRF-Token'] = csrf;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (ifMatch !== undefined) headers['If-Match'] = `"${ifMatch}"`;
    const res = await fetch(`${server.url}/api/v1${pathname}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    const json = text ? JSON.parse(text) : null;
    if (expect !== undefined && res.status !== expect) {
      throw new Error(`${method} ${pathname}: expected ${expect}, got ${res.status}: ${text}`);
    }
    return { status: res.status, headers: res.headers, json };
  }

  return {
    request,
    async createOrg(name) {
      return (await request('POST', '/orgs', { body: { name }, expect: 201 })).json;
    },
    async createIssue(org, issue) {
      return (await request('POST', `/orgs/${org}/context-issues`, { body: issue, expect: 201 })).json;
    },
    async updateIssue(org, id, version, changes) {
      return (await request('PATCH', `/orgs/${org}/context-issues/${id}`, { body: changes, ifMatch: version, expect: 200 }))
        .json;
    },
  };
}

/** A name no other test uses. */
export function unique(prefix) {
  return `${prefix} ${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}
