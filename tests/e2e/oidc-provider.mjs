// A real OpenID provider on loopback for the browser tests (ADR 0019): `oidc-provider` from
// npm (a devDependency of web/), with one confidential client for the Certus server under
// test and its built-in development login page ("Enter any login"): the login typed there is
// the account id, and accounts() says which email that account has. Consent is granted
// without a page (a first-party client), so the test sees one login form.
//
//   const idp = await startProvider({ port, clientId, clientSecret, redirectUri,
//                                     accounts: { olivia: 'olivia@example.com' } });
//   ... idp.issuer ...; idp.reportMfa(true); ...; await idp.stop();
//
// The development login page asks for no second factor; `reportMfa(true)` makes the sign-ins
// that follow say they had one (`amr: ["pwd", "otp"]` in the ID token), as a provider with
// MFA would. Sign-out (RP-Initiated Logout, `/session/end`) comes back to
// `postLogoutRedirectUris` after the provider's own "Yes, sign me out" page.
//
// Run alone for a manual look: node tests/e2e/oidc-provider.mjs 4000 http://127.0.0.1:8080/api/v1/auth/oidc/callback

import { generateKeyPairSync, randomBytes } from 'node:crypto';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from './server.mjs';

async function loadProvider() {
  const entry = path.join(repoRoot, 'web', 'node_modules', 'oidc-provider', 'lib', 'index.js');
  return (await import(pathToFileURL(entry).href)).default;
}

/** Starts the provider on 127.0.0.1:`port`; resolves to { issuer, stop() }. */
export async function startProvider({
  port, clientId, clientSecret, redirectUri, accounts, alg = 'RS256', postLogoutRedirectUris = [],
}) {
  const Provider = await loadProvider();
  const issuer = `http://127.0.0.1:${port}`;
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' });
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [redirectUri],
        post_logout_redirect_uris: postLogoutRedirectUris,
        response_types: ['code'],
        grant_types: ['authorization_code'],
        token_endpoint_auth_method: 'client_secret_basic',
        id_token_signed_response_alg: alg,
      },
    ],
    jwks: { keys: [{ ...rsa, kid: 'rsa-1', use: 'sig', alg: 'RS256' }, { ...ec, kid: 'ec-1', use: 'sig', alg: 'ES256' }] },
    cookies: { keys: [randomBytes(32).toString('hex')] },
    // `amr` only when the login reported it (reportMfa below).
    claims: { openid: ['sub', 'amr'], email: ['email', 'email_verified'], profile: ['name'] },
    // The email claims go into the ID token itself (Certus reads no userinfo).
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: true } },
    pkce: { required: () => true },
    async findAccount(ctx, id) {
      const email = accounts[id];
      if (!email) return undefined;
      return {
        accountId: id,
        async claims() {
          return { sub: id, email, email_verified: true, name: id };
        },
      };
    },
    // A first-party client: consent is given without asking.
    async loadExistingGrant(ctx) {
      const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
      grant.addOIDCScope('openid email profile');
      grant.addOIDCClaims(['email', 'email_verified', 'name']);
      await grant.save();
      return grant;
    },
  });
  // The authentication methods the next logins report (RFC 8176), as the login result's `amr`.
  let amr;
  const interactionFinished = provider.interactionFinished.bind(provider);
  provider.interactionFinished = (req, res, result, options) => {
    if (result?.login && amr) result.login.amr = amr;
    return interactionFinished(req, res, result, options);
  };
  // Quiet: the development-mode warnings are expected here.
  provider.on('server_error', (ctx, err) => console.error('oidc-provider:', err));
  const server = await new Promise((resolve, reject) => {
    const s = provider.listen(port, '127.0.0.1', () => resolve(s));
    s.on('error', reject);
  });
  return {
    issuer,
    reportMfa: (on) => {
      amr = on ? ['pwd', 'otp'] : undefined;
    },
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [port = '4000', redirectUri = 'http://127.0.0.1:8080/api/v1/auth/oidc/callback'] = process.argv.slice(2);
  const idp = await startProvider({
    port: Number(port),
    clientId: 'certus',
    clientSecret: 'certus-e2e-secret',
    redirectUri,
    accounts: { admin: 'admin@example.com' },
  });
  console.log(`OpenID provider at ${idp.issuer} (client certus / certus-e2e-secret)`);
}
