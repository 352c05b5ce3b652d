/*
 * 49-browser-groups: a community's first day, in chromium (issue 7, "Tests").
 *
 * Anne, an animator, signs in through /login, opens "Communautés" from the navigation,
 * creates a private community with its one-sentence purpose and a Markdown description, and
 * invites her colleague Bruno from the members tab by his e-mail.  Bruno, in his own browser
 * context, finds the invitation above the directory, opens the community (its purpose, no
 * content yet: it is private), accepts, and starts a discussion from the Discussions tab; his
 * Markdown is rendered.  Anne sees the thread in the community's Discussions tab and opens
 * it.  At 390x844 the community page, the directory and the thread do not scroll sideways
 * (screenshots in tests/e2e/artifacts/community-*.png).  With JavaScript disabled, Chloé joins
 * a public community with the plain form.  No dialog, page error, console error or CSP
 * violation anywhere.  The tests run in order and share the contexts.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';
import { apiToken, Client } from './lib/client.mjs';
import { launchBrowser, watchPage, artifactPath } from './lib/browser.mjs';

const PW = 'correct-horse-1';
const ANNE = { email: 'anne@example.test', name: 'Anne Animatrice', password: PW, role: 'animator' };
const BRUNO = { email: 'bruno@example.test', name: 'Bruno Collègue', password: PW };
const CHLOE = { email: 'chloe@example.test', name: 'Chloé Sansjs', password: PW };
const COMMUNITY = {
    name: 'Qualité des données clients',
    purpose: 'Fiabiliser les fiches clients avant la migration du CRM en juin.',
    description: 'Nous listons les **doublons** et les règles de saisie.',
};
const THREAD = {
    title: 'Quel format pour les numéros de téléphone ?',
    body: 'Je propose le format **international** :\n\n- +33 4 78 00 00 00\n- +41 22 000 00 00',
};

let srv;
let browser;
const ctx = {}; /* per person: {context, page, seen} */
const csp = []; /* securitypolicyviolation events of every document */
const ids = {};
let communityId;
let threadId;

/* Runs first in every document of a context: report CSP violations to the test. */
function cspRecorder() {
    document.addEventListener('securitypolicyviolation', (e) => {
        window.__rucheCsp(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber} @ ${location.href}`);
    });
}

async function newContext(who, options = {}) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'fr-FR', ...options });
    await context.exposeBinding('__rucheCsp', (_source, msg) => csp.push(`${who}: ${msg}`));
    await context.addInitScript(cspRecorder);
    const page = await context.newPage();
    ctx[who] = { context, page, seen: watchPage(page) };
    return ctx[who];
}

/* Sign in through the login form of page. */
async function signInPage(page, user) {
    await page.goto(`${srv.url}/login`);
    await page.fill('input[name="email"]', user.email);
    await page.fill('input[name="password"]', user.password);
    await Promise.all([page.waitForURL(`${srv.url}/`), page.press('input[name="password"]', 'Enter')]);
}

/* Click what triggers a form's POST and wait for the page it leads to. */
async function submit(page, locator, urlPattern) {
    await Promise.all([page.waitForURL(urlPattern), locator.click()]);
}

const pathOf = (page) => new URL(page.url()).pathname;

/* The width of the document at a 390x844 viewport, for path, in a fresh page of context. */
async function phoneWidth(context, path, shot) {
    const phone = await context.newPage();
    const seen = watchPage(phone);
    try {
        await phone.setViewportSize({ width: 390, height: 844 });
        const res = await phone.goto(`${srv.url}${path}`);
        assert.equal(res.status(), 200, `${path} on a phone`);
        await phone.screenshot({ path: artifactPath(shot), fullPage: false });
        return await phone.evaluate(() => document.documentElement.scrollWidth);
    } finally {
        await phone.close();
        assert.deepEqual(seen.pageErrors, []);
        assert.deepEqual(seen.consoleErrors, []);
        assert.deepEqual(seen.dialogs, []);
    }
}

before(async () => {
    srv = await startServer({ users: [ANNE, BRUNO, CHLOE] });
    for (const [key, u] of [['anne', ANNE], ['bruno', BRUNO], ['chloe', CHLOE]]) {
        const token = await apiToken(srv.url, u.email, u.password);
        ids[key] = (await new Client(srv.url).json('/api/v1/me', { headers: { authorization: `Bearer ${token}` } })).json_body.id;
        ids[`${key}Token`] = token;
    }
    browser = await launchBrowser();
    await newContext('anne');
    await newContext('bruno');
});

after(async () => {
    if (browser) await browser.close();
    if (srv) await srv.stopChecked();
});

test('Anne creates a private community with its purpose from the directory', async () => {
    const { page } = ctx.anne;
    await signInPage(page, ANNE);
    await Promise.all([page.waitForURL(`${srv.url}/communities`), page.click('nav.site-nav a[href="/communities"]')]);
    await Promise.all([page.waitForURL(`${srv.url}/communities/new`), page.click('a.button[href="/communities/new"]')]);
    await page.fill('#name', COMMUNITY.name);
    await page.fill('#purpose', COMMUNITY.purpose);
    await page.fill('#description', COMMUNITY.description);
    await page.check('input[name="visibility"][value="private"]');
    await submit(page, page.locator('form button[type="submit"]', { hasText: 'Créer la communauté' }), /\/communities\/\d+$/);
    communityId = Number(pathOf(page).split('/').pop());
    assert.ok(communityId > 0);
    assert.equal((await page.textContent('header.community-head h1')).trim(), COMMUNITY.name);
    assert.equal((await page.textContent('header.community-head p.purpose')).trim(), COMMUNITY.purpose);
    assert.match(await page.textContent('header.community-head .meta'), /Privée/);
    assert.match(await page.textContent('header.community-head .meta'), /Animateur/);
    /* The about tab renders the Markdown description. */
    await Promise.all([page.waitForURL(`${srv.url}/communities/${communityId}/about`), page.click('nav.tabs a[href$="/about"]')]);
    assert.equal(await page.textContent('.description strong'), 'doublons');
});

test('Anne invites Bruno by his e-mail from the members tab', async () => {
    const { page } = ctx.anne;
    await Promise.all([page.waitForURL(`${srv.url}/communities/${communityId}/members`), page.click('nav.tabs a[href$="/members"]')]);
    await page.fill('#invite-email', BRUNO.email);
    await submit(page, page.locator('form', { has: page.locator('#invite-email') }).locator('button[type="submit"]'), `${srv.url}/communities/${communityId}/members`);
    const pending = page.locator('section.invited li.person');
    assert.equal(await pending.count(), 1, 'one pending invitation');
    assert.match(await pending.textContent(), /Bruno Collègue/);
});

test('Bruno finds the invitation above the directory and accepts it from the community page', async () => {
    const { page } = ctx.bruno;
    await signInPage(page, BRUNO);
    await Promise.all([page.waitForURL(`${srv.url}/communities`), page.click('nav.site-nav a[href="/communities"]')]);
    const invitation = page.locator('section.invitations li.community');
    assert.equal(await invitation.count(), 1);
    assert.equal((await invitation.locator('p.purpose').textContent()).trim(), COMMUNITY.purpose, 'the purpose is in the listing');
    await Promise.all([page.waitForURL(`${srv.url}/communities/${communityId}`), invitation.locator('h2 a').click()]);
    assert.equal(await page.locator('nav.tabs').count(), 0, 'no content before accepting: the community is private');
    const accept = page.getByRole('button', { name: "Accepter l'invitation" });
    assert.equal(await accept.count(), 1);
    await submit(page, accept, `${srv.url}/communities/${communityId}`);
    assert.match(await page.textContent('header.community-head .meta'), /Membre/);
    assert.equal(await page.locator('nav.tabs').count(), 1, 'a member reads it');
    assert.equal(await page.getByRole('button', { name: 'Quitter la communauté' }).count(), 1);
    const me = await new Client(srv.url).json(`/api/v1/communities/${communityId}`, { headers: { authorization: `Bearer ${ids.brunoToken}` } });
    assert.equal(me.json_body.my_role, 'member');
    assert.equal(me.json_body.member_count, 2);
});

test('Bruno starts a discussion; his Markdown is rendered', async () => {
    const { page } = ctx.bruno;
    await Promise.all([page.waitForURL(`${srv.url}/communities/${communityId}/discussions`), page.click('nav.tabs a[href$="/discussions"]')]);
    await Promise.all([page.waitForURL(`${srv.url}/communities/${communityId}/discussions/new`), page.click(`a[href="/communities/${communityId}/discussions/new"]`)]);
    await page.fill('#discussion-title', THREAD.title);
    await page.fill('#discussion-body', THREAD.body);
    await submit(page, page.getByRole('button', { name: 'Publier la discussion' }), /\/discussions\/\d+$/);
    threadId = Number(pathOf(page).split('/').pop());
    const thread = page.locator('article.thread');
    assert.equal((await thread.locator('h1').textContent()).trim(), THREAD.title);
    assert.equal(await thread.locator('.body strong').first().textContent(), 'international');
    assert.deepEqual(await thread.locator('.body li').allTextContents(), ['+33 4 78 00 00 00', '+41 22 000 00 00']);
});

test('Anne sees the thread in the Discussions tab and opens it', async () => {
    const { page } = ctx.anne;
    await page.goto(`${srv.url}/communities/${communityId}`);
    await Promise.all([page.waitForURL(`${srv.url}/communities/${communityId}/discussions`), page.click('nav.tabs a[href$="/discussions"]')]);
    const item = page.locator('ul.discussions li.discussion');
    assert.equal(await item.count(), 1);
    assert.equal((await item.locator('h2 a').textContent()).trim(), THREAD.title);
    assert.match(await item.locator('.meta').textContent(), /Bruno Collègue/);
    await Promise.all([page.waitForURL(`${srv.url}/discussions/${threadId}`), item.locator('h2 a').click()]);
    assert.equal(await page.locator('article.thread .body strong').first().textContent(), 'international');
    assert.equal(await page.locator('textarea[name="body"]').count(), 1, 'the animator may reply');
});

test('at 390x844 the community page, the directory and the thread do not scroll sideways', async () => {
    const { context } = ctx.bruno;
    for (const [path, shot] of [
        [`/communities/${communityId}`, 'community-phone.png'],
        ['/communities', 'community-directory-phone.png'],
        [`/discussions/${threadId}`, 'community-thread-phone.png'],
    ]) {
        const width = await phoneWidth(context, path, shot);
        assert.ok(width <= 390, `${path} is ${width}px wide on a 390px screen`);
    }
    await ctx.anne.page.screenshot({ path: artifactPath('community-thread.png'), fullPage: true });
});

test('with JavaScript disabled, Chloé joins a public community with the plain form', async () => {
    const made = await new Client(srv.url).json('/api/v1/communities', {
        method: 'POST',
        headers: { authorization: `Bearer ${ids.anneToken}` },
        body: { name: 'Covoiturage du site de Vaise', purpose: 'Partager les trajets vers le site de Vaise.', visibility: 'public' },
    });
    assert.equal(made.status, 201, made.body_text);
    const { page } = await newContext('chloe', { javaScriptEnabled: false });
    await signInPage(page, CHLOE);
    await page.goto(`${srv.url}/communities/${made.json_body.id}`);
    const join = page.getByRole('button', { name: 'Rejoindre' });
    assert.equal(await join.count(), 1);
    await submit(page, join, `${srv.url}/communities/${made.json_body.id}`);
    assert.match(await page.textContent('header.community-head .meta'), /Membre/);
    assert.equal(await page.getByRole('button', { name: 'Quitter la communauté' }).count(), 1);
    assert.equal(await page.locator('textarea[name="body"]').count(), 1, 'the compose form of a member');
    const me = await new Client(srv.url).json(`/api/v1/communities/${made.json_body.id}`, { headers: { authorization: `Bearer ${ids.chloeToken}` } });
    assert.equal(me.json_body.my_role, 'member');
});

test('no dialog, page error, console error or CSP violation on the way', () => {
    for (const [who, { seen }] of Object.entries(ctx)) {
        assert.deepEqual(seen.dialogs, [], who);
        assert.deepEqual(seen.pageErrors, [], who);
        assert.deepEqual(seen.consoleErrors, [], who);
    }
    assert.deepEqual(csp, []);
});
