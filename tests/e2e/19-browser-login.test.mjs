/*
 * 19-browser-login: the whole sign-in journey in chromium on an instance filled by
 * `ruche demo`: log in as the demo admin, see the French home page, switch to English with
 * the footer's #lang-switch, sign out from the member menu.  Saves screenshots of the home
 * page (desktop and a 390x844 phone) to tests/e2e/artifacts/ for people to look at.
 * The tests run in order and share one browser context.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startServer } from './lib/server.mjs';
import { launchBrowser, watchPage, artifactPath } from './lib/browser.mjs';
import { checkPlaywrightResponse } from './lib/api-schema.mjs';

let srv;
let browser;
let context;
let page;
let seen;
let creds; /* {email, password} */
let me; /* GET /api/v1/me once signed in */

function readCredentials(dir) {
    const text = fs.readFileSync(path.join(dir, 'demo-credentials.txt'), 'utf8');
    const get = (k) => text.match(new RegExp(`^${k}=(.*)$`, 'm'))?.[1]?.trim();
    return { email: get('email'), password: get('password') };
}

/* The html lang attribute, polled across the navigation that a form post causes. */
async function waitForLang(p, lang) {
    let last;
    for (let i = 0; i < 100; i++) {
        try {
            last = await p.getAttribute('html', 'lang', { timeout: 1000 });
            if (last === lang) return;
        } catch {
            /* navigating */
        }
        await p.waitForTimeout(100);
    }
    assert.fail(`html lang stayed ${last}, expected ${lang}`);
}

before(async () => {
    srv = await startServer({ demo: true });
    creds = readCredentials(srv.dir);
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'fr-FR' });
    page = await context.newPage();
    seen = watchPage(page);
});

after(async () => {
    if (browser) await browser.close();
    if (srv) await srv.stopChecked();
});

test('ruche demo prints the admin credentials it saved in demo-credentials.txt', () => {
    assert.ok(creds.email, 'email= line');
    assert.ok(creds.password, 'password= line');
    const lines = srv.demoOutput.split('\n').map((l) => l.trim());
    assert.ok(lines.includes(`E-mail : ${creds.email}`), `no "E-mail : ${creds.email}" line in:\n${srv.demoOutput}`);
    assert.ok(lines.includes(`Mot de passe : ${creds.password}`), `no "Mot de passe : …" line in:\n${srv.demoOutput}`);
});

test('signing in through the login form lands on the French home page', async () => {
    await page.goto(`${srv.url}/login`);
    assert.equal(await page.getAttribute('html', 'lang'), 'fr');
    await page.fill('input[name="email"]', creds.email);
    await page.fill('input[name="password"]', creds.password);
    await Promise.all([page.waitForURL(`${srv.url}/`), page.press('input[name="password"]', 'Enter')]);
    assert.equal(await page.getAttribute('html', 'lang'), 'fr');
    assert.match(await page.textContent('body'), /Bonjour/);
    const res = await checkPlaywrightResponse(await context.request.get(`${srv.url}/api/v1/me`));
    assert.equal(res.status(), 200);
    me = await res.json();
    assert.equal(me.email, creds.email);
    assert.equal(me.role, 'admin');
    assert.ok((await page.textContent('body')).includes(me.name.split(' ')[0]), 'greets the member by name');
    await page.screenshot({ path: artifactPath('home.png'), fullPage: true });
});

test('the home page at a 390x844 phone viewport fits without horizontal scrolling', async () => {
    const phone = await context.newPage();
    const phoneSeen = watchPage(phone);
    try {
        await phone.setViewportSize({ width: 390, height: 844 });
        await phone.goto(`${srv.url}/`);
        assert.match(await phone.textContent('body'), /Bonjour/);
        await phone.screenshot({ path: artifactPath('home-phone.png'), fullPage: false });
        const width = await phone.evaluate(() => document.documentElement.scrollWidth);
        assert.ok(width <= 390, `page is ${width}px wide on a 390px screen`);
        assert.deepEqual(phoneSeen.pageErrors, []);
    } finally {
        await phone.close();
    }
});

test('the footer #lang-switch turns the pages to English', async () => {
    const sw = page.locator('#lang-switch');
    assert.equal(await sw.count(), 1, 'one #lang-switch');
    const action = await sw.evaluate((b) => b.form && new URL(b.form.action).pathname);
    assert.equal(action, '/settings/language', 'the switch posts to /settings/language');
    assert.equal(await sw.evaluate((b) => !!b.closest('footer')), true, 'the switch is in the footer');
    const posted = page.waitForResponse((r) => new URL(r.url()).pathname === '/settings/language' && r.request().method() === 'POST');
    await sw.click();
    assert.equal((await posted).status(), 303);
    await page.waitForLoadState('load');
    await waitForLang(page, 'en');
    assert.match(await page.textContent('body'), /Home/);
    assert.doesNotMatch(await page.textContent('body'), /Accueil/);
    await page.goto(`${srv.url}/people`);
    assert.equal(await page.getAttribute('html', 'lang'), 'en', 'the choice sticks across pages');
    await page.goto(`${srv.url}/`);
});

test('"Sign out" in the member menu signs out and returns to /login', async () => {
    const summary = page.locator('details > summary', { hasText: me.name });
    assert.ok((await summary.count()) >= 1, `a <details> menu whose summary is "${me.name}"`);
    await summary.first().click();
    const menu = page.locator('details', { has: page.locator('summary', { hasText: me.name }) }).first();
    const button = menu.getByRole('button', { name: /^\s*(Sign out|Se déconnecter)\s*$/ });
    assert.equal(await button.count(), 1, 'one sign-out button in the member menu');
    await Promise.all([page.waitForURL(`${srv.url}/login`), button.click()]);
    assert.ok(await page.locator('input[name="password"]').count(), 'the login form is shown');
});

test('after signing out, the home page sends the browser back to /login', async () => {
    await page.goto(`${srv.url}/`);
    assert.equal(new URL(page.url()).pathname, '/login');
    const res = await checkPlaywrightResponse(await context.request.get(`${srv.url}/api/v1/me`));
    assert.equal(res.status(), 401);
});

test('no page of the journey raised a script error or a CSP violation', () => {
    assert.deepEqual(seen.pageErrors, []);
    assert.deepEqual(
        seen.consoleErrors.filter((m) => /Content Security Policy|Refused to/i.test(m)),
        [],
    );
    assert.deepEqual(seen.dialogs, []);
});
