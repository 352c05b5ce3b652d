/*
 * 29-browser-people: a newcomer's first visit to the people pages, in chromium.
 *
 * Two members: Nathan, a newcomer with an empty profile, and Hélène, a colleague whose
 * profile (job, department, site, skills, bio) was filled through PATCH /api/v1/people/{id}.
 * Nathan signs in through /login, reads the completeness meter on the home page (0 %),
 * follows its prompt to the edit page, fills job, department, site, phone, skills and a
 * Markdown bio and saves: his profile shows them (the bio rendered) and the meter rises.
 * He opens "Modifier mon profil" again, uploads a PNG made here through the photo form's file
 * input: the profile's <img> loads at 256 px and the meter rises to 100 % (the block is then
 * gone, on the profile and on the home page).  Screenshots of the filled profile go to
 * tests/e2e/artifacts/profile.png (1280x900) and profile-phone.png (390x844).  He then opens
 * the directory from the navigation, searches "helene lefevre" (no accents, lower case),
 * opens her profile, clicks "Suivre": her follower count becomes 1 and the button "Ne plus
 * suivre".  No dialog, page error, console error or CSP violation anywhere on the way.
 * The tests run in order and share one browser context.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';
import { apiToken, Client } from './lib/client.mjs';
import { launchBrowser, watchPage, artifactPath } from './lib/browser.mjs';
import { checkPlaywrightResponse } from './lib/api-schema.mjs';
import { makePng } from './lib/images.mjs';

const PW = 'correct-horse-1';
const NEWCOMER = { email: 'nathan@example.test', name: 'Nathan Nouveau', password: PW };
const COLLEAGUE = { email: 'helene@example.test', name: 'Hélène Lefèvre', password: PW };
const COLLEAGUE_PROFILE = {
    job: 'Responsable paie',
    department: 'Ressources humaines',
    site: 'Lyon',
    skills: ['Paie', 'Droit social'],
    bio: 'Je réponds aux questions de **paie**.',
};
const MINE = {
    job: 'Chargé de communication',
    department: 'Communication',
    site: 'Nantes',
    phone: '+33 2 40 00 00 00',
    skills: 'rédaction, photographie\nréseaux sociaux',
    bio: 'Arrivé en **mars**, je m\'occupe de la *lettre interne*.\n\n- interviews\n- reportages\n\nVoir [le blog](https://example.org/blog)',
};

let srv;
let browser;
let context;
let page;
let seen; /* watchPage() of every page of the journey */
const csp = []; /* securitypolicyviolation events, reported from every document */
const ids = {};
const meters = []; /* the meter values seen, in order */

/* ---- helpers ----------------------------------------------------------------------------- */

/* Runs first in every document of the context: report CSP violations to the test. */
function cspRecorder() {
    document.addEventListener('securitypolicyviolation', (e) => {
        window.__rucheCsp(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber} @ ${location.href}`);
    });
}

/* The completeness meter's value on the current page, or null when there is none. */
async function meterValue(p) {
    const m = p.locator('#completeness-meter');
    if ((await m.count()) === 0) return null;
    const value = Number(await m.getAttribute('value'));
    const label = (await p.locator('section.completeness .percent').textContent()).replace(/\s+/g, ' ').trim();
    assert.equal(label, `${value} %`, 'the label next to the meter says the same value');
    return value;
}

function path(p) {
    return new URL(p.url()).pathname;
}

/* A photo's natural size, once it has loaded. */
function naturalSize(img) {
    return img.evaluate(async (el) => {
        if (!el.complete) await new Promise((r) => el.addEventListener('load', r, { once: true }));
        return [el.naturalWidth, el.naturalHeight];
    });
}

before(async () => {
    srv = await startServer({ users: [NEWCOMER, COLLEAGUE] });
    const token = await apiToken(srv.url, COLLEAGUE.email, PW);
    const api = new Client(srv.url);
    const auth = { authorization: `Bearer ${token}` };
    ids.colleague = (await api.json('/api/v1/me', { headers: auth })).json_body.id;
    const res = await api.json(`/api/v1/people/${ids.colleague}`, { method: 'PATCH', headers: auth, body: COLLEAGUE_PROFILE });
    assert.equal(res.status, 200, res.body_text);
    assert.equal(res.json_body.department, COLLEAGUE_PROFILE.department);

    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'fr-FR' });
    await context.exposeBinding('__rucheCsp', (_source, msg) => csp.push(msg));
    await context.addInitScript(cspRecorder);
    page = await context.newPage();
    seen = watchPage(page);
});

after(async () => {
    if (browser) await browser.close();
    if (srv) await srv.stopChecked();
});

test('the newcomer signs in through /login and sees an empty completeness meter at home', async () => {
    await page.goto(`${srv.url}/login`);
    await page.fill('input[name="email"]', NEWCOMER.email);
    await page.fill('input[name="password"]', PW);
    await Promise.all([page.waitForURL(`${srv.url}/`), page.press('input[name="password"]', 'Enter')]);
    const me = await checkPlaywrightResponse(await context.request.get(`${srv.url}/api/v1/me`));
    assert.equal(me.status(), 200);
    ids.me = (await me.json()).id;
    assert.ok(ids.me && ids.me !== ids.colleague);
    const value = await meterValue(page);
    assert.equal(value, 0, 'an empty profile is 0 % complete');
    meters.push(value);
    assert.equal(await page.getAttribute('section.completeness', 'data-next'), 'photo', 'the photo is asked first');
});

test('the meter\'s prompt opens the edit page; saving job, department, site, phone, skills and a Markdown bio', async () => {
    await Promise.all([page.waitForURL(`${srv.url}/people/${ids.me}/edit`), page.click('section.completeness .prompt a')]);
    for (const f of ['job', 'department', 'site', 'phone']) await page.fill(`#${f}`, MINE[f]);
    await page.fill('#skills', MINE.skills);
    await page.fill('#bio', MINE.bio);
    const form = page.locator('form', { has: page.locator('#job') });
    await Promise.all([page.waitForURL(`${srv.url}/people/${ids.me}`), form.locator('button[type="submit"]').click()]);

    assert.equal(await page.textContent('article.profile h1'), NEWCOMER.name);
    assert.equal(await page.textContent('article.profile .job'), MINE.job);
    assert.equal(await page.textContent('dd.department'), MINE.department);
    assert.equal(await page.textContent('dd.site'), MINE.site);
    assert.equal(await page.textContent('dd.phone'), MINE.phone);
    const skills = (await page.locator('section.skills ul.tags li').allTextContents()).map((s) => s.trim()).sort();
    assert.deepEqual(skills, ['photographie', 'rédaction', 'réseaux sociaux']);
    /* The bio is rendered Markdown, not shown as typed. */
    const bio = page.locator('section.bio');
    assert.equal(await bio.locator('strong').textContent(), 'mars');
    assert.equal(await bio.locator('em').textContent(), 'lettre interne');
    assert.deepEqual(await bio.locator('li').allTextContents(), ['interviews', 'reportages']);
    assert.equal(await bio.locator('a').getAttribute('href'), 'https://example.org/blog');
    assert.doesNotMatch(await bio.textContent(), /\*\*|\[le blog\]/);

    const value = await meterValue(page);
    assert.equal(value, 85, 'six of the seven key fields: 85 %');
    assert.ok(value > meters.at(-1), `the meter rose from ${meters.at(-1)} to ${value}`);
    meters.push(value);
    assert.equal(await page.getAttribute('section.completeness', 'data-next'), 'photo');
});

test('"Modifier mon profil", then a PNG through the photo form: a 256 px photo and a complete profile', async () => {
    await Promise.all([
        page.waitForURL(`${srv.url}/people/${ids.me}/edit`),
        page.locator('article.profile .actions a.button', { hasText: /Modifier mon profil|Edit my profile/ }).click(),
    ]);
    /* The form kept what was saved. */
    assert.equal(await page.inputValue('#job'), MINE.job);
    assert.equal(await page.inputValue('#phone'), MINE.phone);
    await page.setInputFiles('#photo-file', { name: 'moi.png', mimeType: 'image/png', buffer: makePng(400, 300) });
    const form = page.locator('form', { has: page.locator('#photo-file') });
    assert.equal(await form.getAttribute('enctype'), 'multipart/form-data');
    const posted = page.waitForResponse((r) => new URL(r.url()).pathname === `/people/${ids.me}/photo` && r.request().method() === 'POST');
    await Promise.all([page.waitForURL(`${srv.url}/people/${ids.me}`), form.locator('button[type="submit"]').click()]);
    assert.equal((await posted).status(), 303);

    const img = page.locator('article.profile img.avatar.photo.big');
    assert.equal(await img.count(), 1, 'the profile shows the photo');
    assert.deepEqual(await naturalSize(img), [256, 256]);
    assert.equal(await img.getAttribute('alt'), NEWCOMER.name);
    assert.equal(await page.locator('article.profile span.avatar').count(), 0, 'no initials any more');

    /* Seven of seven: the meter reached 100 %, and a complete profile has no meter block. */
    const value = await meterValue(page);
    assert.ok(value === null || value > meters.at(-1), `the meter went from ${meters.at(-1)} to ${value}`);
    assert.equal(value, null, 'a complete profile (100 %) shows no meter');
    meters.push(100);
    await page.goto(`${srv.url}/`);
    assert.equal(await meterValue(page), null, 'no meter on the home page either');
    await page.goto(`${srv.url}/people/${ids.me}`);
});

test('screenshots of the filled profile, desktop and phone (no horizontal scrolling)', async () => {
    await naturalSize(page.locator('article.profile img.avatar.photo.big'));
    await page.screenshot({ path: artifactPath('profile.png'), fullPage: true });
    const phone = await context.newPage();
    const phoneSeen = watchPage(phone);
    try {
        await phone.setViewportSize({ width: 390, height: 844 });
        await phone.goto(`${srv.url}/people/${ids.me}`);
        assert.deepEqual(await naturalSize(phone.locator('article.profile img.avatar.photo.big')), [256, 256]);
        await phone.screenshot({ path: artifactPath('profile-phone.png'), fullPage: false });
        const width = await phone.evaluate(() => document.documentElement.scrollWidth);
        assert.ok(width <= 390, `the profile is ${width}px wide on a 390px screen`);
    } finally {
        await phone.close();
    }
    assert.deepEqual(phoneSeen.pageErrors, []);
    assert.deepEqual(phoneSeen.consoleErrors, []);
    assert.deepEqual(phoneSeen.dialogs, []);
});

test('the directory finds "Hélène Lefèvre" from "helene lefevre"; following her makes her count 1', async () => {
    await Promise.all([page.waitForURL(`${srv.url}/people`), page.click('nav.site-nav a[href="/people"]')]);
    await page.fill('#people-q', 'helene lefevre');
    await Promise.all([page.waitForURL(/\/people\?q=helene(\+|%20)lefevre/), page.press('#people-q', 'Enter')]);
    const cards = page.locator('ul.people li.person');
    assert.equal(await cards.count(), 1, 'exactly one match');
    const link = cards.locator('.who a');
    assert.equal(await link.textContent(), COLLEAGUE.name);
    assert.equal(await cards.locator('.job').textContent(), COLLEAGUE_PROFILE.job);

    await Promise.all([page.waitForURL(`${srv.url}/people/${ids.colleague}`), link.click()]);
    assert.equal(await page.textContent('article.profile h1'), COLLEAGUE.name);
    assert.equal(await page.textContent('dd.department'), COLLEAGUE_PROFILE.department);
    const skills = (await page.locator('section.skills ul.tags li').allTextContents()).map((s) => s.trim()).sort();
    assert.deepEqual(skills, ['Droit social', 'Paie']);
    assert.equal(await meterValue(page), null, 'no meter on someone else\'s profile');
    assert.equal((await page.textContent('a.followers')).trim(), '0');
    assert.equal(await page.locator('article.profile .actions a.button').count(), 0, 'no edit link on her profile');

    const actions = page.locator('article.profile .actions');
    const follow = actions.getByRole('button', { name: /^\s*(Suivre|Follow)\s*$/ });
    assert.equal(await follow.count(), 1, 'one Follow button');
    const posted = page.waitForResponse((r) => new URL(r.url()).pathname === `/people/${ids.colleague}/follow` && r.request().method() === 'POST');
    const loaded = page.waitForEvent('load');
    await follow.click();
    assert.equal((await posted).status(), 303);
    await loaded;
    assert.equal(path(page), `/people/${ids.colleague}`);
    await page.locator('a.followers', { hasText: /^\s*1\s*$/ }).waitFor({ timeout: 5000 });
    assert.equal(await actions.getByRole('button', { name: /^\s*(Ne plus suivre|Unfollow)\s*$/ }).count(), 1, 'the button became Unfollow');
    assert.equal(await actions.getByRole('button', { name: /^\s*(Suivre|Follow)\s*$/ }).count(), 0);

    /* The server agrees. */
    const res = await context.request.get(`${srv.url}/people/${ids.colleague}/followers`);
    assert.equal(res.status(), 200);
    assert.ok((await res.text()).includes(`/people/${ids.me}"`), 'Nathan is listed among her followers');
});

test('no dialog, page error, console error or CSP violation during the whole journey', () => {
    assert.deepEqual(meters, [0, 85, 100]);
    assert.deepEqual(seen.dialogs, []);
    assert.deepEqual(seen.pageErrors, []);
    assert.deepEqual(seen.consoleErrors, []);
    assert.deepEqual(csp, []);
});
