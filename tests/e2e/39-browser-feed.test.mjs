/*
 * 39-browser-feed: the feed in chromium.
 *
 * Three members: Nina posts, Oscar follows her, Claire Martin is mentioned.  Oscar's home page
 * is opened first and kept open (its own browser context); its live stream is known to be open
 * once a probe event published with `ruche debug-publish` reaches it.  Nina signs in through
 * /login, writes a post on the home page with a mention, a tag and a PNG attached through the
 * compose form's file input, and publishes: the card links @Claire Martin to her profile and
 * #Qualité to /tags/qualite, and shows the image's thumbnail.  Oscar's page, never reloaded,
 * shows "1 nouvelle publication" (the live event "feed.new_posts"), then "2 nouvelles
 * publications" after her next post.  Nina comments on her post and replies to the comment, reacts with a click (and
 * un-reacts), and follows the tag link to the tag page.  An XSS corpus (lib/xss.mjs) is posted
 * and commented, then every page that shows it is opened with a dialog listener: no dialog,
 * no script-like element, no on… attribute and no javascript:/data: URL in the live DOM.  With
 * JavaScript disabled the home page still works: the feed, "Voir plus", publishing, and a
 * reload showing a new post.  At a phone viewport (390x844) the home page and a post page
 * do not scroll sideways (screenshots in tests/e2e/artifacts/feed-*.png).  No page error,
 * console error or CSP violation anywhere.  The tests run in order.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';
import { signIn, apiToken, Client } from './lib/client.mjs';
import { launchBrowser, watchPage, addClientCookies, artifactPath } from './lib/browser.mjs';
import { makePng } from './lib/images.mjs';
import { XSS } from './lib/xss.mjs';
import * as sse from './lib/sse.mjs';

const PW = 'correct-horse-1';
const NINA = { email: 'nina@example.test', name: 'Nina Rousseau', password: PW };
const OSCAR = { email: 'oscar@example.test', name: 'Oscar Lemoine', password: PW };
const CLAIRE = { email: 'claire.martin@example.test', name: 'Claire Martin', password: PW };

let srv;
let browser;
const ids = {};
const tokens = {};
const csp = []; /* securitypolicyviolation events of every document */
const watched = []; /* watchPage() results of every page */
const P = {}; /* ids of what the tests made */
let nina; /* {context, page} signed in through /login */
let oscar; /* {context, page, client} with Oscar's home kept open */

/* Runs first in every document: report CSP violations, record live events. */
function recorder() {
    window.__live = [];
    document.addEventListener('securitypolicyviolation', (e) => {
        window.__rucheCsp(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber} @ ${location.href}`);
    });
    document.addEventListener('ruche:live', (e) => window.__live.push(JSON.parse(JSON.stringify(e.detail))));
}

async function newContext(options = {}) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'fr-FR', ...options });
    await context.exposeBinding('__rucheCsp', (_source, msg) => csp.push(msg));
    await context.addInitScript(recorder);
    return context;
}

async function newPage(context) {
    const page = await context.newPage();
    watched.push({ seen: watchPage(page), page });
    return page;
}

function api(who, path, opts = {}) {
    return new Client(srv.url).json(path, { ...opts, headers: { authorization: `Bearer ${tokens[who]}` } });
}

async function publish(who, body) {
    const res = await api(who, '/api/v1/posts', { method: 'POST', body: { body } });
    assert.equal(res.status, 201, res.body_text);
    return res.json_body.id;
}

before(async () => {
    srv = await startServer({ users: [NINA, OSCAR, CLAIRE] });
    for (const [key, u] of [['nina', NINA], ['oscar', OSCAR], ['claire', CLAIRE]]) {
        tokens[key] = await apiToken(srv.url, u.email, PW);
        ids[key] = (await api(key, '/api/v1/me')).json_body.id;
    }
    const client = (await signIn(srv.url, OSCAR.email, PW)).client;
    const res = await client.postWithCsrf(`/people/${ids.nina}/follow`, {}, `/people/${ids.nina}`);
    assert.equal(res.status, 303, 'Oscar follows Nina');
    browser = await launchBrowser();
    oscar = { client, context: await newContext() };
    await addClientCookies(oscar.context, client);
});

after(async () => {
    if (browser) await browser.close();
    if (srv) await srv.stopChecked();
});

/* ---- live: Oscar's open home page ------------------------------------------------------------ */

let probes = 0;
/* Publish probes to Oscar until his open page has one: its live stream is open. */
async function untilConnected(page, timeoutMs = 15000) {
    const t0 = Date.now();
    for (;;) {
        const n = ++probes;
        await sse.publish(srv.dir, 'notifications.unread', { member: ids.oscar, payload: { count: 0, probe: n } });
        const wait = Date.now() + 1500;
        while (Date.now() < wait) {
            if ((await page.evaluate(() => window.__live)).some((e) => e.data?.probe === n)) return;
            await sse.sleep(50);
        }
        if (Date.now() - t0 > timeoutMs) assert.fail(`no probe reached Oscar's page within ${timeoutMs} ms`);
    }
}

/* The "N nouvelles publications" notice of Oscar's page: {visible, text}, text without the
 * label that does not agree with the count (live.js hides it). */
async function newPostsNotice(page) {
    const el = page.locator('[data-live-count="feed.new_posts"]');
    const text = await el.evaluate((node) => {
        const walk = (n) => (n.nodeType === Node.TEXT_NODE ? n.textContent : n.hidden ? '' : [...n.childNodes].map(walk).join(''));
        return [...node.childNodes].map(walk).join('');
    });
    return { visible: await el.isVisible(), text: text.replace(/\s+/g, ' ').trim() };
}

test("Oscar's home page is open, with its new-posts notice hidden and its live stream connected", async () => {
    oscar.page = await newPage(oscar.context);
    const res = await oscar.page.goto(`${srv.url}/`);
    assert.equal(res.status(), 200);
    assert.equal(await oscar.page.getAttribute('body', 'data-live'), 'on');
    assert.deepEqual(await newPostsNotice(oscar.page), { visible: false, text: '0 nouvelles publications' });
    await untilConnected(oscar.page);
    /* Marks this document: a reload would lose it. */
    await oscar.page.evaluate(() => {
        window.__sameDocument = 'oscar-home';
    });
});

/* ---- Nina posts --------------------------------------------------------------------------------- */

test('Nina signs in and posts from the home page with a mention, a tag and an image', async () => {
    nina = { context: await newContext() };
    nina.page = await newPage(nina.context);
    const page = nina.page;
    await page.goto(`${srv.url}/login`);
    await page.fill('input[name="email"]', NINA.email);
    await page.fill('input[name="password"]', PW);
    await Promise.all([page.waitForURL(`${srv.url}/`), page.press('input[name="password"]', 'Enter')]);

    const form = page.locator('form', { has: page.locator('#post-body') });
    assert.equal(await form.getAttribute('enctype'), 'multipart/form-data');
    await page.fill('#post-body', 'Bonjour @Claire Martin, voici le point #Qualité de la semaine.\n\nLe **tableau** est joint.');
    await form.locator('input[type="file"][name="files"]').setInputFiles({ name: 'tableau.png', mimeType: 'image/png', buffer: makePng(640, 480) });
    const posted = page.waitForResponse((r) => new URL(r.url()).pathname === '/posts' && r.request().method() === 'POST');
    await Promise.all([page.waitForURL(`${srv.url}/`), form.getByRole('button', { name: 'Publier' }).click()]);
    assert.equal((await posted).status(), 303);

    const card = page.locator('div.feed article.post').first();
    P.post = Number((await card.getAttribute('id')).replace('post-', ''));
    const mention = card.locator('.body a', { hasText: '@Claire Martin' });
    assert.equal(await mention.getAttribute('href'), `/people/${ids.claire}`);
    const tag = card.locator('.body a', { hasText: '#Qualité' });
    assert.equal(await tag.getAttribute('href'), '/tags/qualite');
    assert.equal(await card.locator('.body strong').textContent(), 'tableau');
    /* The attachment: its thumbnail loads. */
    const img = card.locator('ul.attachments img');
    assert.equal(await img.count(), 1, 'the image is attached');
    const size = await img.evaluate(async (el) => {
        if (!el.complete) await new Promise((r) => el.addEventListener('load', r, { once: true }));
        return [el.naturalWidth, el.naturalHeight];
    });
    assert.ok(size[0] > 0 && size[1] > 0, `the thumbnail loaded: ${size}`);
});

test("Oscar's page says \"1 nouvelle publication\" without reloading, then \"2 nouvelles publications\"", async () => {
    const page = oscar.page;
    await page.locator('[data-live-count="feed.new_posts"]').waitFor({ state: 'visible', timeout: 10000 });
    assert.deepEqual(await newPostsNotice(page), { visible: true, text: '1 nouvelle publication' });
    const event = (await page.evaluate(() => window.__live)).find((e) => e.kind === 'feed.new_posts');
    assert.equal(event.data.post_id, P.post);
    P.second = await publish('nina', 'Deuxième message de la journée');
    await page.locator('[data-live-count="feed.new_posts"] .live-count', { hasText: /^2$/ }).waitFor({ timeout: 10000 });
    assert.deepEqual(await newPostsNotice(page), { visible: true, text: '2 nouvelles publications' });
    assert.equal(await page.evaluate(() => window.__sameDocument), 'oscar-home', 'the page was not reloaded');
    assert.ok(!(await page.locator(`#post-${P.post}`).count()), 'the posts themselves wait for a reload');
    /* Following the notice shows them. */
    await page.locator('[data-live-count="feed.new_posts"] a').click();
    await page.locator(`#post-${P.second}`).waitFor({ timeout: 10000 });
    assert.equal(await page.locator(`#post-${P.post}`).count(), 1);
});

/* ---- comments, reactions, tag page --------------------------------------------------------------- */

test('Nina comments on her post and replies to the comment', async () => {
    const page = nina.page;
    await page.goto(`${srv.url}/`);
    const card = page.locator(`#post-${P.post}`);
    await Promise.all([page.waitForURL(`${srv.url}/posts/${P.post}#comments`), card.getByRole('link', { name: /Commenter \(0\)/ }).click()]);
    await page.fill('#comment-body', 'Les chiffres de **mars** sont en bas du tableau.');
    const commentForm = page.locator('form', { has: page.locator('#comment-body') });
    await Promise.all([page.waitForURL(new RegExp(`/posts/${P.post}#comment-\\d+$`)), commentForm.getByRole('button', { name: 'Commenter' }).click()]);
    P.comment = Number(new URL(page.url()).hash.replace('#comment-', ''));
    const comment = page.locator(`#comment-${P.comment}`);
    assert.equal(await comment.locator('.body strong').textContent(), 'mars');
    assert.equal(await comment.locator('.who a').first().textContent(), NINA.name);

    await comment.locator('details.reply-form summary').click();
    await page.fill(`#reply-${P.comment}`, 'Et ceux d’avril suivront.');
    await Promise.all([
        page.waitForURL(new RegExp(`/posts/${P.post}#comment-\\d+$`)),
        comment.locator('details.reply-form').getByRole('button', { name: 'Répondre' }).click(),
    ]);
    const replyId = Number(new URL(page.url()).hash.replace('#comment-', ''));
    assert.notEqual(replyId, P.comment);
    const reply = page.locator(`li.comment.reply#comment-${replyId}`);
    assert.equal(await reply.count(), 1, 'shown as a reply');
    assert.match(await reply.locator('.body').textContent(), /Et ceux d’avril suivront\./);
    assert.match(await page.locator(`#post-${P.post} .actions`).textContent(), /Commenter \(2\)/);
});

test('Nina reacts with a click, sees the count and "Qui a réagi", and un-reacts', async () => {
    const page = nina.page;
    await page.goto(`${srv.url}/posts/${P.post}`);
    const card = page.locator(`#post-${P.post}`);
    let loaded = page.waitForEvent('load');
    await card.locator('button.reaction:has-text("Bravo")').click();
    await loaded;
    assert.equal(page.url(), `${srv.url}/posts/${P.post}`);
    const bravo = page.locator(`#post-${P.post} button.reaction:has-text("Bravo")`);
    assert.equal(await bravo.getAttribute('aria-pressed'), 'true');
    assert.equal(await bravo.locator('.count').textContent(), '1');
    const who = page.locator('details.reactors');
    assert.match(await who.locator('summary').textContent(), /Qui a réagi \(1\)/);
    await who.locator('summary').click();
    assert.equal(await who.locator('li a').textContent(), NINA.name);

    loaded = page.waitForEvent('load');
    await bravo.click();
    await loaded;
    const again = page.locator(`#post-${P.post} button.reaction:has-text("Bravo")`);
    assert.equal(await again.getAttribute('aria-pressed'), 'false');
    assert.equal(await again.locator('.count').count(), 0);
    assert.equal(await page.locator('details.reactors').count(), 0);
});

test('the tag link opens the tag page, which lists the post', async () => {
    const page = nina.page;
    await page.goto(`${srv.url}/posts/${P.post}`);
    await Promise.all([page.waitForURL(`${srv.url}/tags/qualite`), page.locator(`#post-${P.post} .body a`, { hasText: '#Qualité' }).click()]);
    assert.equal(await page.textContent('main h1'), '#qualite');
    assert.equal(await page.locator(`article#post-${P.post}`).count(), 1);
    assert.equal(await page.locator('main a[type="application/atom+xml"]').count(), 1, 'the tag has an Atom link');
});

/* ---- XSS corpus in the browser ------------------------------------------------------------------- */

/* In the live DOM of main: script-like elements, on… attributes and dangerous URLs. */
function injected(page) {
    return page.evaluate(() => {
        const found = [];
        const main = document.querySelector('main');
        for (const el of main.querySelectorAll('*')) {
            const tag = el.tagName.toLowerCase();
            if (['script', 'iframe', 'frame', 'object', 'embed', 'applet', 'svg', 'math', 'style', 'meta', 'base', 'link', 'template'].includes(tag)) found.push(`<${tag}>`);
            for (const name of el.getAttributeNames()) {
                const value = el.getAttribute(name);
                if (/^on/i.test(name)) found.push(`<${tag} ${name}="${value}">`);
                if (['href', 'src', 'action', 'formaction', 'xlink:href', 'data', 'srcset', 'poster'].includes(name.toLowerCase())) {
                    const v = value.replace(/[\u0000-\u0020]/g, '').toLowerCase();
                    if (/^(javascript|vbscript):/.test(v) || v.startsWith('data:text')) found.push(`<${tag} ${name}="${value}">`);
                }
            }
        }
        /* What a resolved link would really do. */
        for (const a of main.querySelectorAll('a[href], area[href]')) {
            if (['javascript:', 'vbscript:', 'data:'].includes(a.protocol)) found.push(`link to ${a.href}`);
        }
        return found;
    });
}

test('the checks can fail: an injected handler is found and its dialog seen (self-test)', async () => {
    const page = await browser.newPage();
    try {
        const dialogs = [];
        page.on('dialog', async (d) => {
            dialogs.push(d.message());
            await d.dismiss();
        });
        await page.setContent('<main><p>x</p><img src="data:," onerror="alert(\'probe\')"><a href="javascript:void(0)">y</a></main>');
        await page.waitForFunction(() => document.readyState === 'complete');
        for (let i = 0; i < 50 && dialogs.length === 0; i++) await page.waitForTimeout(20);
        assert.deepEqual(dialogs, ['probe']);
        const found = await injected(page);
        assert.ok(found.some((f) => /onerror/.test(f)) && found.some((f) => /javascript:/.test(f)), JSON.stringify(found));
    } finally {
        await page.close();
    }
});

test('the XSS corpus in posts and comments executes nothing in the browser', async () => {
    const page = nina.page;
    const dialogs = [];
    const onDialog = (d) => dialogs.push(`${d.type()}: ${d.message()} @ ${page.url()}`);
    page.on('dialog', onDialog);
    const posts = [];
    for (const body of XSS) posts.push(await publish('nina', body));
    const all = await publish('nina', XSS.join('\n\n'));
    posts.push(all);
    let parent = null;
    for (const body of XSS) {
        const res = await api('oscar', `/api/v1/posts/${all}/comments`, { method: 'POST', body: parent ? { body, parent_id: parent } : { body } });
        assert.equal(res.status, 201, res.body_text);
        parent = parent ? null : res.json_body.id;
    }
    P.xss = posts;
    const pages = ['/', '/posts', `/posts/${all}`, `/people/${ids.nina}`, '/tags/tag', '/tags/a', ...posts.slice(0, -1).map((id) => `/posts/${id}`)];
    for (const path of pages) {
        const res = await page.goto(`${srv.url}${path}`, { waitUntil: 'load' });
        assert.equal(res.status(), 200, path);
        /* On the page holding everything, hover each rendered element (mouse handlers). */
        if (path === `/posts/${all}`) {
            for (const el of await page.locator('main .body *').all()) await el.hover({ timeout: 500 }).catch(() => {});
        }
        assert.deepEqual(await injected(page), [], `${path}: injected elements`);
    }
    page.off('dialog', onDialog);
    assert.deepEqual(dialogs, [], 'no alert, confirm or prompt ran');
});

/* ---- without JavaScript ------------------------------------------------------------------------- */

test('with JavaScript disabled the home page works: the feed, "Voir plus", publishing, and a reload', async () => {
    const context = await newContext({ javaScriptEnabled: false });
    await addClientCookies(context, oscar.client);
    const page = await newPage(context);
    const { seen } = watched.at(-1);
    try {
        let res = await page.goto(`${srv.url}/`);
        assert.equal(res.status(), 200);
        assert.equal(await page.locator('[data-live-count="feed.new_posts"]').isVisible(), false, 'the live notice stays hidden');
        const cards = page.locator('div.feed article.post');
        assert.equal(await cards.count(), 20, 'the first page of the feed');
        const firstIds = await cards.evaluateAll((els) => els.map((e) => Number(e.id.replace('post-', ''))));

        /* "Voir plus" is a plain link. */
        await Promise.all([page.waitForURL(/\/\?before=\d+$/), page.getByRole('link', { name: 'Voir plus' }).click()]);
        const moreIds = await page.locator('div.feed article.post').evaluateAll((els) => els.map((e) => Number(e.id.replace('post-', ''))));
        assert.ok(moreIds.length > 0);
        assert.ok(moreIds.every((id) => id < Math.min(...firstIds)), 'older posts, none repeated');

        /* A post published meanwhile shows after a reload. */
        await page.goto(`${srv.url}/`);
        const fresh = await publish('nina', 'Publié pendant que la page était ouverte sans JavaScript');
        assert.equal(await page.locator(`#post-${fresh}`).count(), 0);
        await page.reload();
        assert.equal(await page.locator(`div.feed article.post`).first().getAttribute('id'), `post-${fresh}`);

        /* Publishing through the form. */
        await page.fill('#post-body', 'Publié par Oscar sans JavaScript #nojs');
        const form = page.locator('form', { has: page.locator('#post-body') });
        await Promise.all([page.waitForURL(`${srv.url}/`), form.getByRole('button', { name: 'Publier' }).click()]);
        const mine = page.locator('div.feed article.post').first();
        assert.match(await mine.locator('.body').textContent(), /Publié par Oscar sans JavaScript/);
        assert.equal(await mine.locator('.who a').first().textContent(), OSCAR.name);

        /* And a refused one keeps its text. */
        await page.fill('#post-body', '   ');
        await Promise.all([page.waitForURL(`${srv.url}/posts`), page.locator('form', { has: page.locator('#post-body') }).getByRole('button', { name: 'Publier' }).click()]);
        assert.equal(await page.locator('#body-error').count(), 1, 'the reason is shown');
        /* chromium reports the refusal's status 400 on the console: that one is expected. */
        const refused = seen.consoleErrors.filter((e) => /status of 400 .* @ .*\/posts$/.test(e));
        assert.equal(refused.length, 1, `the 400 of the refused post: ${seen.consoleErrors}`);
        seen.consoleErrors.splice(seen.consoleErrors.indexOf(refused[0]), 1);
    } finally {
        await context.close();
    }
});

/* ---- phone ----------------------------------------------------------------------------------------- */

test('at 390x844 the home page and a post page do not scroll sideways', async () => {
    const page = await newPage(nina.context);
    try {
        await page.setViewportSize({ width: 390, height: 844 });
        for (const [path, shot] of [['/', 'feed-home-phone.png'], [`/posts/${P.post}`, 'feed-post-phone.png'], [`/posts/${P.xss.at(-1)}`, null]]) {
            await page.goto(`${srv.url}${path}`, { waitUntil: 'load' });
            if (shot) await page.screenshot({ path: artifactPath(shot), fullPage: false });
            const width = await page.evaluate(() => document.documentElement.scrollWidth);
            assert.ok(width <= 390, `${path} is ${width}px wide on a 390px screen`);
        }
    } finally {
        await page.close();
    }
    await nina.page.goto(`${srv.url}/posts/${P.post}`);
    await nina.page.screenshot({ path: artifactPath('feed-post.png'), fullPage: true });
});

test('no dialog, page error, console error or CSP violation on any page', () => {
    for (const { seen } of watched) {
        assert.deepEqual(seen.dialogs, []);
        assert.deepEqual(seen.pageErrors, []);
        assert.deepEqual(seen.consoleErrors, []);
    }
    assert.deepEqual(csp, []);
});
