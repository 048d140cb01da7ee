// Two-step sign-in (ISO 27001 A.8.5): enroll an authenticator in the account security page,
// keep the recovery codes, sign out, and sign in again with a code. The test is the
// authenticator: it computes RFC 6238 codes from the key with node:crypto and Date.now().
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { test } from 'node:test';
import { signIn, withPage, useServerAndBrowser } from './support.mjs';

const env = useServerAndBrowser();

function base32Decode(text) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  const out = [];
  for (const c of text.replace(/[\s=]/g, '').toUpperCase()) {
    value = (value << 5) | alphabet.indexOf(c);
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** The 6-digit TOTP code of `secret` for 30-second step `step` (HMAC-SHA-1, RFC 6238). */
function totp(secret, step) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac('sha1', base32Decode(secret)).update(counter).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 1_000_000).padStart(6, '0');
}

const stepNow = () => Math.floor(Date.now() / 1000 / 30);

test('enroll an authenticator, then sign in with its code', async (t) => {
  await withPage(t, env.browser, env.server, async (page) => {
    await signIn(page, env.server);
    await page.goto('/account/security');
    await page.getByRole('heading', { name: 'Account security' }).waitFor();
    await page.getByRole('button', { name: 'Set up two-step sign-in' }).click();
    await page.getByTestId('totp-qr').waitFor();
    const secret = (await page.getByTestId('totp-secret').textContent()).trim();
    assert.match(secret, /^[A-Z2-7]{32}$/);

    // A wrong code is refused and nothing changes.
    const input = page.getByLabel('The 6-digit code the app shows');
    const step = stepNow();
    await input.fill(totp(secret, step + 5));
    await page.getByRole('button', { name: 'Turn on' }).click();
    await page.getByTestId('security-error').waitFor();

    await input.fill(totp(secret, step));
    await page.getByRole('button', { name: 'Turn on' }).click();
    const codes = page.getByTestId('recovery-codes');
    await codes.waitFor();
    assert.equal(await codes.locator('li').count(), 10);
    assert.match((await codes.locator('li').first().textContent()).trim(), /^[a-z2-7]{4}(-[a-z2-7]{4}){3}$/);
    await page.getByRole('button', { name: 'I have saved them' }).click();
    await page.getByTestId('totp-state').filter({ hasText: '10 of 10 recovery codes left' }).waitFor();

    await page.getByRole('button', { name: /account menu/ }).click();
    await page.getByRole('button', { name: 'Sign out' }).click();

    // The password alone is not enough: the same form asks for the code.
    await page.getByLabel('Email address').fill(env.server.adminEmail);
    await page.getByLabel('Password').fill(env.server.adminPassword);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const otp = page.getByLabel('Code from your authenticator app');
    await otp.waitFor();
    // The code of the step that was used to confirm never counts twice: take the next one,
    // which the server accepts while it is within one step of its clock.
    await otp.fill(totp(secret, step + 1));
    await page.getByRole('button', { name: 'Verify and sign in' }).click();
    await page.getByRole('button', { name: /account menu/ }).waitFor();
  });
});
