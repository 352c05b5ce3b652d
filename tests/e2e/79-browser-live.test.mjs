/*
 * 79-browser-live: live updates in chromium.  A signed-in home page loads live.js, which
 * shares one /live stream among the browser's tabs through a SharedWorker
 * (live-worker.js) and announces each event as the DOM event "ruche:live".  Alice follows
 * Bruno: his post reaches her open home page as "feed.new_posts", and the banner reads
 * "1 nouvelle publication" (singular); a post of Carla, whom she does not follow, and an
 * event for Bruno never reach it.  Bruno's mention of her shows the bell's badge with 1 and
 * the banner "2 nouvelles publications", without reloading; "Tout marquer comme lu" hides
 * the badge again.  A second tab gets the next post too (its own banner says 1, the first
 * tab's 3) while the server saw one /live stream for the browser.  In English the banner
 * reads "1 new post", then "2 new posts".  No console errors, no CSP violations.  The
 * tests run in order.  (39-browser-feed follows one post after another on a follower's
 * page, with the banner's link and JavaScript off.)
 *
 * A new stream starts from "now", so before each checked event the test publishes
 * "notifications.unread" probes (`ruche debug-publish`) until the tab has one: the stream
 * is then known to be open.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';
import { signIn, csrfFromHtml, apiToken, Client } from './lib/client.mjs';
import { launchBrowser, watchPage, addClientCookies } from './lib/browser.mjs';
import * as sse from './lib/sse.mjs';

const PW = 'correct-horse-1';
const ALICE = { email: 'alice@example.test', name: 'Alice Martin', password: PW };
const BRUNO = { email: 'bruno@example.test', name: 'Bruno Petit', password: PW };
const CARLA = { email: 'carla@example.test', name: 'Carla Durand', password: PW };
const DENIS = { email: 'denis@example.test', name: 'Denis Faure', password: PW }; /* reads English */

let srv;
let browser;
let context;
let client; /* the same session as the browser's */
let alice; /* member id */
const ids = {}; /* email -> member id */
const tokens = {}; /* email -> bearer token */
const tabs = []; /* {page, seen, cspConsole, csp} */

/* Recorded from the first script of every document: CSP violations and live events. */
function recorder() {
    window.__csp = [];
    window.__live = [];
    document.addEventListener('securitypolicyviolation', (e) => {
        window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
    });
}

before(async () => {
    srv = await startServer({ users: [ALICE, BRUNO, CARLA, DENIS] });
    client = (await signIn(srv.url, ALICE.email, PW)).client;
    alice = await sse.memberId(srv.url, sse.cookieOf(client));
    for (const u of [ALICE, BRUNO, CARLA, DENIS]) {
        tokens[u.email] = await apiToken(srv.url, u.email, PW);
        ids[u.email] = await sse.memberId(srv.url, sse.bearer(tokens[u.email]));
    }
    /* Alice and Denis follow Bruno. */
    for (const u of [ALICE, DENIS]) assert.equal((await api(u, `/api/v1/people/${ids[BRUNO.email]}/follow`, { method: 'POST' })).status, 204);
    browser = await launchBrowser();
    context = await browser.newContext({ locale: 'fr-FR' });
    await addClientCookies(context, client);
    await context.addInitScript(recorder);
});

after(async () => {
    if (browser) await browser.close();
    if (srv) await srv.stopChecked();
});

function api(u, path, opts = {}) {
    return new Client(srv.url).json(path, { ...opts, headers: sse.bearer(tokens[u.email]) });
}

/* A post by u; returns its id. */
async function publishAs(u, body) {
    const res = await api(u, '/api/v1/posts', { method: 'POST', body: { body } });
    assert.equal(res.status, 201, res.body_text);
    return res.json_body.id;
}

/* The text a reader sees in the element matching selector: hidden descendants left out. */
function shownText(page, selector) {
    return page.locator(selector).evaluate((node) => {
        const walk = (n) => (n.nodeType === Node.TEXT_NODE ? n.textContent : n.hidden ? '' : [...n.childNodes].map(walk).join(''));
        return [...node.childNodes].map(walk).join('').replace(/\s+/g, ' ').trim();
    });
}

const BANNER = '[data-live-count="feed.new_posts"]';
const BADGE = '[data-live-count="notifications.unread"]';

/* Wait (bounded) until the banner of the tab reads text. */
async function bannerSays(tab, text, timeoutMs = 5000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        const visible = await tab.page.locator(BANNER).isVisible();
        const shown = await shownText(tab.page, BANNER);
        if (visible && shown === text) return;
        if (Date.now() > deadline) assert.fail(`the banner reads ${JSON.stringify(shown)} (visible: ${visible}), not ${JSON.stringify(text)}`);
        await sse.sleep(50);
    }
}

async function openTab(ctx = context) {
    const page = await ctx.newPage();
    const seen = watchPage(page);
    const cspConsole = [];
    page.on('console', (m) => {
        if (/Content[- ]Security[- ]Policy/i.test(m.text())) cspConsole.push(m.text());
    });
    const res = await page.goto(`${srv.url}/`, { waitUntil: 'load' });
    assert.equal(res.status(), 200);
    assert.equal(await page.getAttribute('body', 'data-live'), 'on', 'a signed-in page turns live updates on');
    /* The listener the features would register. */
    await page.evaluate(() => {
        document.addEventListener('ruche:live', (e) => window.__live.push(JSON.parse(JSON.stringify(e.detail))));
    });
    const tab = { page, seen, cspConsole };
    tabs.push(tab);
    return tab;
}

const liveEvents = (tab) => tab.page.evaluate(() => window.__live);

/* Wait (bounded) until the tab holds an event matching pred; returns it. */
async function waitLive(tab, pred, timeoutMs, what) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        const got = (await liveEvents(tab)).find(pred);
        if (got) return got;
        if (Date.now() > deadline) assert.fail(`${what}: nothing within ${timeoutMs} ms; the tab has ${JSON.stringify(await liveEvents(tab))}`);
        await sse.sleep(50);
    }
}

let probeCount = 0;
/* Publish probes until every tab has one (the shared stream is open and reaches them). */
async function untilConnected(which, timeoutMs = 15000, member = alice) {
    const t0 = Date.now();
    for (;;) {
        const n = ++probeCount;
        await sse.publish(srv.dir, 'notifications.unread', { member, payload: { count: 0, probe: n } });
        const wait = Date.now() + 1500;
        while (Date.now() < wait) {
            const all = await Promise.all(which.map(liveEvents));
            if (all.every((evs) => evs.some((e) => e.data?.probe === n))) return Date.now() - t0;
            await sse.sleep(50);
        }
        if (Date.now() - t0 > timeoutMs) assert.fail(`no probe reached the tab(s) within ${timeoutMs} ms`);
    }
}

test('a post of a followed member reaches the open home page as "ruche:live" and "1 nouvelle publication" within 5 s', async () => {
    const tab = await openTab();
    assert.equal(await tab.page.locator(BANNER).isVisible(), false, 'no banner before');
    assert.equal(await tab.page.locator(BADGE).isVisible(), false, 'no badge without unread notifications');
    const ms = await untilConnected([tab]);
    console.log(`# the first tab's stream was open ${ms} ms after the page loaded (probes)`);
    const id = await publishAs(BRUNO, 'Premier message de Bruno');
    const e = await waitLive(tab, (x) => x.kind === 'feed.new_posts', 5000, 'feed.new_posts');
    assert.deepEqual(e.data, { add: 1, post_id: id });
    assert.match(String(e.id), /^\d+$/, `the event id: ${e.id}`);
    await bannerSays(tab, '1 nouvelle publication');
});

test("a post of someone not followed, and another member's event, never reach the page", async () => {
    const carla = await publishAs(CARLA, 'Personne ne me suit encore');
    await sse.publish(srv.dir, 'feed.new_posts', { member: ids[BRUNO.email], payload: { add: 1, post_id: 99 } });
    await untilConnected([tabs[0]]); /* published after: received after them, had they come */
    const events = await liveEvents(tabs[0]);
    assert.ok(!events.some((e) => e.data?.post_id === carla), 'no event of Carla’s post');
    assert.ok(!events.some((e) => e.data?.post_id === 99), 'no event of Bruno’s in Alice’s tab');
    await bannerSays(tabs[0], '1 nouvelle publication');
});

test('a mention shows the bell badge with 1 and the banner "2 nouvelles publications" without reloading', async () => {
    const tab = tabs[0];
    await tab.page.evaluate(() => {
        window.__sameDocument = 'alice-home';
    });
    const id = await publishAs(BRUNO, 'Tu peux relire, @Alice Martin ?');
    await tab.page.locator(BADGE).waitFor({ state: 'visible', timeout: 5000 });
    assert.equal(await shownText(tab.page, BADGE), '1');
    await bannerSays(tab, '2 nouvelles publications');
    const posts = (await liveEvents(tab)).filter((e) => e.data?.post_id === id);
    assert.equal(posts.length, 1, 'one event for the post, though Alice follows Bruno and is mentioned');
    /* Marking everything read elsewhere (the same session) hides the badge here. */
    const res = await client.postWithCsrf('/notifications/read', {}, '/notifications');
    assert.equal(res.status, 303);
    await tab.page.locator(BADGE).waitFor({ state: 'hidden', timeout: 5000 });
    assert.equal(await tab.page.evaluate(() => window.__sameDocument), 'alice-home', 'the page was not reloaded');
});

test('a second tab gets the next post too, and the browser holds one /live stream for both', async () => {
    const second = await openTab();
    await untilConnected([tabs[0], second]);
    const id = await publishAs(BRUNO, 'Troisième message');
    const [a, b] = await Promise.all(tabs.map((t) => waitLive(t, (x) => x.kind === 'feed.new_posts' && x.data?.post_id === id, 5000, `feed.new_posts ${id}`)));
    assert.equal(a.id, b.id, 'the same event in both tabs');
    await bannerSays(tabs[0], '3 nouvelles publications');
    await bannerSays(second, '1 nouvelle publication');

    /* An access-log line is written when a request ends: close the browser's pages (the
     * worker goes with them), then sign the session out so that the server ends the stream
     * it still holds, and count the /live requests. */
    for (const t of tabs) t.csp = await t.page.evaluate(() => window.__csp);
    await context.close();
    context = null;
    const csrf = csrfFromHtml((await client.get('/')).body_text);
    assert.equal((await client.postForm('/logout', { csrf_token: csrf })).status, 303);
    const deadline = Date.now() + 5000;
    while (sse.accessLines(srv.logs(), '/live').length === 0 && Date.now() < deadline) await sse.sleep(100);
    await sse.sleep(500); /* a second stream would end at the same moment */
    const lines = sse.accessLines(srv.logs(), '/live');
    assert.equal(lines.length, 1, `one /live request for two tabs:\n${lines.join('\n')}`);
    assert.match(lines[0], /status=200/);
    assert.equal(sse.accessLines(srv.logs(), '/static/live-worker.js').length >= 1, true, 'the worker script was fetched');
});

test('in English the banner reads "1 new post", then "2 new posts"', async () => {
    const denis = (await signIn(srv.url, DENIS.email, PW)).client;
    assert.equal((await denis.postWithCsrf('/settings/language', { lang: 'en' }, '/')).status, 303);
    const ctx = await browser.newContext({ locale: 'en-GB' });
    try {
        await addClientCookies(ctx, denis);
        await ctx.addInitScript(recorder);
        const tab = await openTab(ctx);
        assert.equal(await tab.page.getAttribute('html', 'lang'), 'en');
        await untilConnected([tab], 15000, ids[DENIS.email]);
        await publishAs(BRUNO, 'For everyone');
        await bannerSays(tab, '1 new post');
        await publishAs(BRUNO, 'And again');
        await bannerSays(tab, '2 new posts');
        tab.csp = await tab.page.evaluate(() => window.__csp);
    } finally {
        await ctx.close();
    }
});

test('no console errors, page errors or CSP violations in any tab', async () => {
    assert.equal(tabs.length, 3);
    for (const [i, t] of tabs.entries()) {
        assert.deepEqual(t.seen.pageErrors, [], `tab ${i + 1}: page errors`);
        assert.deepEqual(t.seen.consoleErrors, [], `tab ${i + 1}: console errors`);
        assert.deepEqual(t.seen.dialogs, [], `tab ${i + 1}: dialogs`);
        assert.deepEqual(t.cspConsole, [], `tab ${i + 1}: CSP reports on the console`);
        assert.deepEqual(t.csp ?? [], [], `tab ${i + 1}: securitypolicyviolation events`);
    }
});
