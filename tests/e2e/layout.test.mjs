// The shell at phone width, and keyboard use.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PHONE, dialog, signIn, withPage, useServerAndBrowser } from './support.mjs';

const env = useServerAndBrowser();

test('at phone width the navigation hides behind a menu button and nothing scrolls sideways', async (t) => {
  await withPage(
    t,
    env.browser,
    env.server,
    async (page) => {
      await signIn(page, env.server);
      await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
      const nav = page.getByRole('navigation', { name: 'Main' });
      const menu = page.getByRole('button', { name: 'Menu', exact: true });
      assert.equal(await nav.isVisible(), false);
      assert.equal(await menu.getAttribute('aria-expanded'), 'false');
      assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth));

      await menu.click();
      await nav.waitFor({ state: 'visible' });
      assert.equal(await menu.getAttribute('aria-expanded'), 'true');
      await page.keyboard.press('Escape');
      await nav.waitFor({ state: 'hidden' });

      await menu.click();
      await nav.getByRole('link', { name: /Members/ }).click();
      await page.getByRole('heading', { name: 'Members', level: 1 }).waitFor();
      await nav.waitFor({ state: 'hidden' });
      assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth));
    },
    { viewport: PHONE },
  );
});

test('a context issue can be created with the keyboard alone', async (t) => {
  await withPage(t, env.browser, env.server, async (page) => {
    await signIn(page, env.server);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: /Context issues/ }).click();
    const newIssue = page.getByRole('button', { name: 'New issue' });
    await newIssue.focus();
    await page.keyboard.press('Enter');
    const form = dialog(page, 'New context issue');
    await form.waitFor();
    // Focus starts on the first field, and Tab stays inside the dialog.
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'issue-kind');
    for (let i = 0; i < 12; i++) {
      await page.keyboard.press('Tab');
      assert.ok(await page.evaluate(() => !!document.activeElement?.closest('dialog[open]')), 'focus stays in the dialog');
    }
    await form.getByLabel('Kind').focus();
    await page.keyboard.press('ArrowDown');
    await form.getByLabel('Title').focus();
    await page.keyboard.type('Keyboard-only issue');
    await page.keyboard.press('Enter'); // submits the form
    await form.waitFor({ state: 'hidden' });
    await page.getByRole('link', { name: 'Keyboard-only issue' }).waitFor();
    // Focus went back to a sensible place, not the top of the page.
    assert.notEqual(await page.evaluate(() => document.activeElement?.tagName), 'BODY');
  });
});
