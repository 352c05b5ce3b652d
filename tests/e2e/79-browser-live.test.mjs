/*
 * 79-browser-live: live updates in chromium.  A signed-in home page loads live.js, which
 * shares one /live stream among the browser's tabs through a SharedWorker
 * (live-worker.js) and announces each event as the DOM event "ruche:live".  An event
 * published with `ruche debug-publish` reaches the page; a second tab gets the next event
 * too while the server saw one /live stream for the browser; no console errors, no CSP
 * violations.  The tests run in order and share one browser context.
 *
 * A new stream starts from "now", so before each checked event the test publishes
 * "notifications.unread" probes until the tab has one: the stream is then known to be open.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';
import { signIn, csrfFromHtml, apiToken } from './lib/client.mjs';
import { launchBrowser, watchPage, addClientCookies } from './lib/browser.mjs';
import * as sse from './lib/sse.mjs';

const PW = 'correct-horse-1';
const ALICE = { email: 'alice@example.test', name: 'Alice Martin', password: PW };
const BRUNO = { email: 'bruno@example.test', name: 'Bruno Petit', password: PW };

let srv;
let browser;
let context;
let client; /* the same session as the browser's */
let alice; /* member id */
const tabs = []; /* {page, seen} */

/* Recorded from the first script of every document: CSP violations and live events. */
function recorder() {
    window.__csp = [];
    window.__live = [];
    document.addEventListener('securitypolicyviolation', (e) => {
        window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
    });
}

before(async () => {
    srv = await startServer({ users: [ALICE, BRUNO] });
    client = (await signIn(srv.url, ALICE.email, PW)).client;
    alice = await sse.memberId(srv.url, sse.cookieOf(client));
    browser = await launchBrowser();
    context = await browser.newContext({ locale: 'fr-FR' });
    await addClientCookies(context, client);
    await context.addInitScript(recorder);
});

after(async () => {
    if (browser) await browser.close();
    if (srv) await srv.stopChecked();
});

async function openTab() {
    const page = await context.newPage();
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
async function untilConnected(which, timeoutMs = 15000) {
    const t0 = Date.now();
    for (;;) {
        const n = ++probeCount;
        await sse.publish(srv.dir, 'notifications.unread', { member: alice, payload: { count: 0, probe: n } });
        const wait = Date.now() + 1500;
        while (Date.now() < wait) {
            const all = await Promise.all(which.map(liveEvents));
            if (all.every((evs) => evs.some((e) => e.data?.probe === n))) return Date.now() - t0;
            await sse.sleep(50);
        }
        if (Date.now() - t0 > timeoutMs) assert.fail(`no probe reached the tab(s) within ${timeoutMs} ms`);
    }
}

test('a signed-in home page receives a feed.new_posts event as the DOM event "ruche:live" within 5 s', async () => {
    const tab = await openTab();
    const ms = await untilConnected([tab]);
    console.log(`# the first tab's stream was open ${ms} ms after the page loaded (probes)`);
    await sse.publish(srv.dir, 'feed.new_posts', { member: alice, payload: { count: 3 } });
    const e = await waitLive(tab, (x) => x.kind === 'feed.new_posts', 5000, 'feed.new_posts');
    assert.deepEqual(e.data, { count: 3 });
    assert.match(String(e.id), /^\d+$/, `the event id: ${e.id}`);
});

test("another member's event never reaches the page", async () => {
    const bruno = await sse.memberId(srv.url, sse.bearer(await apiToken(srv.url, BRUNO.email, PW)));
    await sse.publish(srv.dir, 'feed.new_posts', { member: bruno, payload: { count: 99 } });
    await untilConnected([tabs[0]]); /* published after Bruno's: received after it, had it come */
    assert.ok(!(await liveEvents(tabs[0])).some((e) => e.data?.count === 99), 'no event of Bruno in Alice’s tab');
});

test('a second tab gets the next event too, and the browser holds one /live stream for both', async () => {
    const second = await openTab();
    await untilConnected([tabs[0], second]);
    await sse.publish(srv.dir, 'feed.new_posts', { member: alice, payload: { count: 7 } });
    const [a, b] = await Promise.all(tabs.map((t) => waitLive(t, (x) => x.kind === 'feed.new_posts' && x.data?.count === 7, 5000, 'feed.new_posts 7')));
    assert.equal(a.id, b.id, 'the same event in both tabs');

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

test('no console errors, page errors or CSP violations in any tab', async () => {
    assert.equal(tabs.length, 2);
    for (const [i, t] of tabs.entries()) {
        assert.deepEqual(t.seen.pageErrors, [], `tab ${i + 1}: page errors`);
        assert.deepEqual(t.seen.consoleErrors, [], `tab ${i + 1}: console errors`);
        assert.deepEqual(t.seen.dialogs, [], `tab ${i + 1}: dialogs`);
        assert.deepEqual(t.cspConsole, [], `tab ${i + 1}: CSP reports on the console`);
        assert.deepEqual(t.csp ?? [], [], `tab ${i + 1}: securitypolicyviolation events`);
    }
});
