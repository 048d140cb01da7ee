// Single sign-on through a real OpenID provider (issue 9 item 1, ADR 0019): `oidc-provider`
// runs on loopback with one client for the Certus server under test; the browser clicks
// "Sign in with …", logs in on the provider's own page and lands signed in on Certus. A
// person the provider knows but Certus does not is refused on the sign-in page.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { startProvider } from './oidc-provider.mjs';
import { ADMIN_EMAIL, binary, freePort, initDataDir, webDist } from './server.mjs';
import { launchBrowser, withPage } from './support.mjs';

const CLIENT_ID = 'certus-e2e';
const CLIENT_SECRET = 'e2e-client-secret-7f3a9c';
const LABEL = 'Loopback IdP';

const env = { server: null, browser: null, idp: null, dir: null };

/** `certus serve` on a port chosen here (the provider must know the redirect URI first). */
async function serveWithOidc(data, port, issuer, secretFile) {
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(binary(), ['serve', '--data-dir', data, '--listen', `127.0.0.1:${port}`, '--web-dir', webDist,
    '--public-url', url, '--oidc-issuer', issuer, '--oidc-client-id', CLIENT_ID,
    '--oidc-client-secret-file', secretFile, '--oidc-name', LABEL], { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines = [];
  const keep = (chunk) => lines.push(...String(chunk).split('\n').filter(Boolean));
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`certus serve exited:\n${lines.join('\n')}`);
    try {
      if ((await fetch(`${url}/readyz`)).status === 200) break;
    } catch {
      /* not yet */
    }
    if (Date.now() > deadline) throw new Error(`certus serve not ready:\n${lines.join('\n')}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    output: () => lines.join('\n'),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

before(async () => {
  const [certusPort, idpPort] = [await freePort(), await freePort()];
  env.dir = await initDataDir();
  const secretFile = path.join(env.dir.work, 'oidc-client-secret');
  await writeFile(secretFile, `${CLIENT_SECRET}\n`, { mode: 0o600 });
  env.idp = await startProvider({
    port: idpPort,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    redirectUri: `http://127.0.0.1:${certusPort}/api/v1/auth/oidc/callback`,
    postLogoutRedirectUris: [`http://127.0.0.1:${certusPort}/signin`],
    // "admin" is the installation admin of Certus; "stranger" has no Certus account.
    accounts: { admin: ADMIN_EMAIL, stranger: 'stranger@example.com' },
  });
  env.server = await serveWithOidc(env.dir.data, certusPort, env.idp.issuer, secretFile);
  env.browser = await launchBrowser();
});

after(async () => {
  await env.browser?.close();
  await env.server?.stop();
  await env.idp?.stop();
  await env.dir?.remove();
});

/** Clicks the button and logs in on the provider's development login page as `login`. */
async function signInAtProvider(page, login) {
  // The provider's page asks for a web font; there is no internet here.
  await page.route(/fonts\.googleapis\.com/, (route) => route.abort());
  await page.goto('/');
  await page.getByRole('link', { name: `Sign in with ${LABEL}` }).click();
  await page.waitForURL(`${env.idp.issuer}/**`, { waitUntil: 'commit' });
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill('any password');
  await page.getByRole('button', { name: 'Sign-in' }).click();
}

test('sign in with the identity provider and land signed in', async (t) => {
  await withPage(t, env.browser, env.server, async (page) => {
    await signInAtProvider(page, 'admin');
    await page.getByRole('button', { name: /account menu/ }).waitFor();
    assert.ok(page.url().startsWith(env.server.url), page.url());
    const me = await page.evaluate(async () => (await fetch('/api/v1/auth/me')).json());
    assert.equal(me.user.email, ADMIN_EMAIL);
  });
});

test('a person without a Certus account is refused', async (t) => {
  await withPage(t, env.browser, env.server, async (page) => {
    await signInAtProvider(page, 'stranger');
    const alert = page.getByTestId('signin-error');
    await alert.waitFor();
    assert.match(await alert.textContent(), /no Certus account/);
    assert.equal(new URL(page.url()).pathname, '/');
    assert.equal((await page.evaluate(async () => (await fetch('/api/v1/auth/me')).status)), 401);
  });
});

/** A JSON request from the page, with the session's cookie and CSRF token. */
async function api(page, method, url, { body, ifMatch } = {}) {
  return page.evaluate(
    async ({ method, url, body, ifMatch }) => {
      const me = await (await fetch('/api/v1/auth/me')).json();
      const headers = { 'Content-Type': 'application/json', 'X-CSRF-Token': me.csrf_token };
      if (ifMatch) headers['If-Match'] = ifMatch;
      const response = await fetch(url, { method, headers, body: body ? JSON.stringify(body) : undefined });
      const text = await response.text();
      return { status: response.status, etag: response.headers.get('ETag'), json: text ? JSON.parse(text) : null };
    },
    { method, url, body, ifMatch },
  );
}

// ADR 0020: the session records whether the provider reported a second factor, an
// organization that requires one admits only such sessions, and signing out of Certus also
// signs out at the provider (RP-Initiated Logout), which sends the browser back to /signin.
test('a second factor reported by the provider meets the organization rule; sign-out leaves the provider too', async (t) => {
  await withPage(t, env.browser, env.server, async (page) => {
    env.idp.reportMfa(true);
    try {
      await signInAtProvider(page, 'admin');
      await page.getByRole('button', { name: /account menu/ }).waitFor();
    } finally {
      env.idp.reportMfa(false);
    }
    const me = await page.evaluate(async () => (await fetch('/api/v1/auth/me')).json());
    assert.equal(me.auth_method, 'oidc+mfa');
    const org = me.memberships[0].org_id;
    const settings = await api(page, 'GET', `/api/v1/orgs/${org}`);
    const required = await api(page, 'PATCH', `/api/v1/orgs/${org}`, {
      body: { require_second_factor: true },
      ifMatch: settings.etag,
    });
    assert.equal(required.status, 200, JSON.stringify(required.json));
    assert.equal((await api(page, 'GET', `/api/v1/orgs/${org}/risks`)).status, 200);

    // Sign out: Certus, then the provider's own confirmation page, then back to Certus.
    await page.getByRole('button', { name: /account menu/ }).click();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${env.idp.issuer}/**`, { waitUntil: 'commit' });
    await page.getByRole('button', { name: 'Yes, sign me out' }).click();
    await page.waitForURL(`${env.server.url}/signin**`);
    assert.equal(await page.evaluate(async () => (await fetch('/api/v1/auth/me')).status), 401);

    // The provider forgot the person too: it asks for the login again, now without MFA.
    await signInAtProvider(page, 'admin');
    await page.getByRole('button', { name: /account menu/ }).waitFor();
    const again = await page.evaluate(async () => (await fetch('/api/v1/auth/me')).json());
    assert.equal(again.auth_method, 'oidc');
    const refused = await api(page, 'GET', `/api/v1/orgs/${org}/risks`);
    assert.equal(refused.status, 403);
    assert.equal(refused.json.type, 'urn:certus:problem:second-factor-required');
    await page.goto('/account/security');
    const message = page.getByTestId('second-factor-required');
    await message.waitFor();
    assert.match(await message.textContent(), /identity provider did not\s+report a second factor/);
  });
});
