/*
 * 13-auth-xss: hostile strings in display names (and in the other inputs that pages echo
 * back: search query, typed e-mail, unknown path) are shown as text.  The raw HTML never
 * holds the payload unescaped, and chromium never runs it (no dialog, no javascript: link).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, addUser, SANITIZER_RE } from './lib/server.mjs';
import { Client, signIn, csrfFromHtml } from './lib/client.mjs';
import { launchBrowser, watchPage, addClientCookies } from './lib/browser.mjs';

const PW = 'correct-horse-1';
const VIEWER = { email: 'viewer@example.test', name: 'Victor Lecteur', password: PW };

/* mustAccept: an ordinary (if odd) name the CLI has to take; otherwise exit 1 is a fine refusal. */
const CORPUS = [
    { key: 'script', name: '<script>alert(1)</script>', mustAccept: true },
    { key: 'img-attr-break', name: '"><img src=x onerror=alert(1)>', mustAccept: true },
    { key: 'single-quote-break', name: "'><svg onload=alert(1)>", mustAccept: true },
    { key: 'javascript-url', name: 'javascript:alert(1)', mustAccept: true },
    { key: 'title-break', name: '</title><script>alert(1)</script>', mustAccept: true },
    { key: 'crlf', name: 'Eve\r\nSet-Cookie: pwned=1\r\n\r\n<script>alert(1)</script>', mustAccept: false },
    { key: 'very-long', name: `${'A'.repeat(200)}<script>alert(1)</script>${'B'.repeat(300)}`, mustAccept: false },
];

let srv;
let viewer; /* signed-in Client */
const accepted = []; /* {…corpus entry, email, id, client} */
const cliResults = new Map();

before(async () => {
    srv = await startServer({ users: [VIEWER] });
    for (const [i, entry] of CORPUS.entries()) {
        const email = `hostile${i}@example.test`;
        const res = await addUser(srv.dir, { email, name: entry.name, password: PW }, { mustSucceed: false });
        cliResults.set(entry.key, res);
        if (res.code !== 0) continue;
        const { client } = await signIn(srv.url, email, PW);
        const me = await client.json('/api/v1/me');
        assert.equal(me.status, 200, `GET /api/v1/me for ${entry.key}`);
        accepted.push({ ...entry, email, id: me.json_body.id, client });
    }
    ({ client: viewer } = await signIn(srv.url, VIEWER.email, VIEWER.password));
});

after(async () => {
    if (srv) await srv.stopChecked();
});

/* The checks of cgit's `! grep`: no payload survives unescaped in the markup. */
function assertNoRawPayload(html, where) {
    const checks = [
        [/<script>alert\(/i, '<script>alert('],
        [/<img\s+src=x/i, '<img src=x'],
        [/<svg[\s/]+onload/i, '<svg onload'],
        [/["']\s*>\s*<(img|svg)\s+(src=x|onload)/i, 'attribute break-out'],
        [/(href|src|action|formaction)\s*=\s*["']?\s*javascript:/i, 'javascript: URL'],
        [/<\/title><script/i, '</title><script'],
    ];
    for (const [re, label] of checks) assert.doesNotMatch(html, re, `${where}: raw ${label}`);
}

test('the CLI accepts ordinary hostile names and cleanly refuses or accepts the others', () => {
    for (const entry of CORPUS) {
        const res = cliResults.get(entry.key);
        assert.doesNotMatch(res.stderr, SANITIZER_RE, `${entry.key}: sanitizer report`);
        if (entry.mustAccept) {
            assert.equal(res.code, 0, `${entry.key}: user add exited ${res.code}: ${res.stderr}`);
        } else {
            assert.ok(res.code === 0 || res.code === 1, `${entry.key}: user add exited ${res.code ?? res.signal}`);
            if (res.code === 1) assert.ok(res.stderr.trim().length > 0, `${entry.key}: refusal says why`);
        }
    }
    const long = cliResults.get('very-long');
    if (long.code === 0) {
        const e = accepted.find((a) => a.key === 'very-long');
        assert.ok(e, 'accepted long name is usable');
    }
});

test('the home page greeting shows each hostile name escaped', async () => {
    for (const a of accepted) {
        const res = await a.client.get('/');
        assert.equal(res.status, 200, a.key);
        assertNoRawPayload(res.body_text, `/ as ${a.key}`);
    }
});

test('the directory shows hostile names escaped', async () => {
    const res = await viewer.get('/people');
    assert.equal(res.status, 200);
    assertNoRawPayload(res.body_text, '/people');
    assert.match(res.body_text, /&lt;script&gt;alert\(1\)/, 'the script name is shown as text');
});

test('each profile page shows the hostile name escaped', async () => {
    for (const a of accepted) {
        const res = await viewer.get(`/people/${a.id}`);
        assert.equal(res.status, 200, a.key);
        assertNoRawPayload(res.body_text, `/people/${a.id} (${a.key})`);
    }
});

test('a hostile search query is echoed escaped', async () => {
    for (const entry of CORPUS.slice(0, 5)) {
        const res = await viewer.get(`/people?q=${encodeURIComponent(entry.name)}`);
        assert.equal(res.status, 200, entry.key);
        assertNoRawPayload(res.body_text, `/people?q= ${entry.key}`);
    }
});

test('a hostile e-mail typed at sign-in is echoed escaped on the error page', async () => {
    for (const entry of CORPUS.slice(0, 5)) {
        const c = new Client(srv.url);
        const csrf = csrfFromHtml((await c.get('/login')).body_text);
        const res = await c.postForm('/login', { email: entry.name, password: 'wrong-password-1', csrf_token: csrf });
        assert.ok(res.status === 400 || res.status === 401, `${entry.key}: status ${res.status}`);
        assertNoRawPayload(res.body_text, `POST /login ${entry.key}`);
    }
});

test('a hostile path is not echoed raw on the 404 page', async () => {
    const res = await viewer.get(`/${encodeURIComponent('<script>alert(1)</script>')}`);
    assert.equal(res.status, 404);
    assertNoRawPayload(res.body_text, '404 page');
});

test('in chromium, no page with a hostile name runs script or links to javascript:', async () => {
    const browser = await launchBrowser();
    try {
        const pages = [['/people', viewer, null]];
        for (const a of accepted) {
            pages.push(['/', a.client, null]);
            pages.push([`/people/${a.id}`, viewer, a]);
        }
        for (const entry of CORPUS.slice(0, 5)) pages.push([`/people?q=${encodeURIComponent(entry.name)}`, viewer, null]);
        for (const [path, client, shown] of pages) {
            const context = await browser.newContext();
            try {
                await addClientCookies(context, client);
                const page = await context.newPage();
                const seen = watchPage(page);
                const res = await page.goto(new URL(path, srv.url).href, { waitUntil: 'load' });
                assert.equal(res.status(), 200, path);
                /* give event handlers (onerror, onload) a chance to fire */
                await page.waitForTimeout(200);
                assert.deepEqual(seen.dialogs, [], `${path}: a dialog fired`);
                const jsLinks = await page.$$eval('[href],[src],[action]', (els) =>
                    els
                        .map((e) => e.getAttribute('href') ?? e.getAttribute('src') ?? e.getAttribute('action'))
                        .filter((v) => /^\s*javascript:/i.test(v)),
                );
                assert.deepEqual(jsLinks, [], `${path}: javascript: URL in the page`);
                const injected = await page.$$eval('img[src="x"], svg[onload], [onerror], [onload]', (els) => els.length);
                assert.equal(injected, 0, `${path}: injected element in the DOM`);
                if (shown && shown.mustAccept) {
                    const text = await page.textContent('body');
                    assert.ok(text.includes(shown.name), `${path}: the name "${shown.name}" is shown as text`);
                }
                await context.close();
            } catch (err) {
                await context.close().catch(() => {});
                throw err;
            }
        }
    } finally {
        await browser.close();
    }
});
