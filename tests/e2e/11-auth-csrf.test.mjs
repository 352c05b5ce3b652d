/*
 * 11-auth-csrf: every state-changing browser form refuses a missing, wrong or foreign
 * csrf_token with a 403 HTML page, and the refused request changes nothing.
 * Forms: /login, /logout, /logout/all, /settings/language, /account/password.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';
import { Client, signIn, csrfFromHtml, setCookieOf } from './lib/client.mjs';

const PW = 'correct-horse-1';
const ALICE = { email: 'alice@example.test', name: 'Alice Martin', password: PW };
const BRUNO = { email: 'bruno@example.test', name: 'Bruno Petit', password: PW };
const TEMP = { email: 'temp@example.test', name: 'Tom Temporaire', password: 'temporary-pass-1', temporary: true };

let srv;

before(async () => {
    srv = await startServer({ users: [ALICE, BRUNO, TEMP] });
});

after(async () => {
    if (srv) await srv.stopChecked();
});

/* Three ways to get CSRF wrong: absent, garbage, and a real token of another visitor. */
async function badTokens() {
    const stranger = new Client(srv.url);
    const foreign = csrfFromHtml((await stranger.get('/login')).body_text);
    assert.ok(foreign);
    return [
        ['missing', undefined],
        ['empty', ''],
        ['wrong', 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'],
        ["another visitor's", foreign],
    ];
}

function withToken(fields, token) {
    return token === undefined ? fields : { ...fields, csrf_token: token };
}

function assert403Html(res, what) {
    assert.equal(res.status, 403, `${what}: status ${res.status}`);
    assert.match(res.headers.get('content-type') || '', /^text\/html/, `${what}: HTML page`);
    assert.match(res.body_text, /<html\b/i, `${what}: HTML page`);
}

test('POST /login without a valid csrf_token is refused with 403 and signs nobody in', async () => {
    for (const [kind, token] of await badTokens()) {
        const c = new Client(srv.url);
        await c.get('/login'); /* has a visitor cookie, like a real browser */
        const res = await c.postForm('/login', withToken({ email: ALICE.email, password: ALICE.password }, token));
        assert403Html(res, `${kind} token`);
        assert.equal(setCookieOf(res, 'ruche_session'), undefined, `${kind} token: no session`);
    }
});

test('POST /login without any cookie is refused with 403', async () => {
    const res = await new Client(srv.url).postForm('/login', { email: ALICE.email, password: ALICE.password, csrf_token: 'x' });
    assert403Html(res, 'no cookie');
});

test('POST /logout without a valid csrf_token is refused and the session survives', async () => {
    const { client } = await signIn(srv.url, ALICE.email, ALICE.password);
    for (const [kind, token] of await badTokens()) {
        const res = await client.postForm('/logout', withToken({}, token));
        assert403Html(res, `${kind} token`);
        assert.equal((await client.get('/')).status, 200, `${kind} token: still signed in`);
    }
});

test('the pre-sign-in csrf_token is not accepted after signing in', async () => {
    const c = new Client(srv.url);
    const before = csrfFromHtml((await c.get('/login')).body_text);
    const res = await c.postForm('/login', { email: ALICE.email, password: ALICE.password, csrf_token: before });
    assert.equal(res.status, 303);
    const out = await c.postForm('/logout', { csrf_token: before });
    assert403Html(out, 'stale token');
    assert.equal((await c.get('/')).status, 200, 'still signed in');
});

test('POST /logout/all without a valid csrf_token is refused and sessions survive', async () => {
    const { client } = await signIn(srv.url, BRUNO.email, BRUNO.password);
    for (const [kind, token] of await badTokens()) {
        const res = await client.postForm('/logout/all', withToken({}, token));
        assert403Html(res, `${kind} token`);
        assert.equal((await client.get('/')).status, 200, `${kind} token: still signed in`);
    }
});

test('POST /settings/language without a valid csrf_token is refused and the language stays', async () => {
    const { client } = await signIn(srv.url, ALICE.email, ALICE.password);
    for (const [kind, token] of await badTokens()) {
        const res = await client.postForm('/settings/language', withToken({ lang: 'en' }, token));
        assert403Html(res, `${kind} token`);
        const home = await client.get('/');
        assert.match(home.body_text, /<html[^>]*\blang="fr"/, `${kind} token: still French`);
    }
    /* and the same form with the right token works */
    const ok = await client.postWithCsrf('/settings/language', { lang: 'en' });
    assert.equal(ok.status, 303);
    assert.match((await client.get('/')).body_text, /<html[^>]*\blang="en"/);
});

test('POST /account/password without a valid csrf_token is refused and the password stays', async () => {
    const { client } = await signIn(srv.url, TEMP.email, TEMP.password);
    const pw = 'never-applied-9';
    for (const [kind, token] of await badTokens()) {
        const res = await client.postForm('/account/password', withToken({ password: pw, password_confirm: pw }, token));
        assert403Html(res, `${kind} token`);
    }
    /* still pending: pages redirect to the password form; the old password still works */
    const home = await client.get('/');
    assert.equal(home.status, 303);
    await signIn(srv.url, TEMP.email, TEMP.password);
    const c = new Client(srv.url);
    const csrf = csrfFromHtml((await c.get('/login')).body_text);
    const res = await c.postForm('/login', { email: TEMP.email, password: pw, csrf_token: csrf });
    assert.equal(res.status, 401, 'the refused password was not set');
});

test('a cross-site form post (no cookies at all) to /settings/language is refused', async () => {
    const res = await new Client(srv.url).postForm('/settings/language', { lang: 'en', csrf_token: 'x' });
    assert.ok(res.status === 403 || res.status === 303, `status ${res.status}`);
    assert.equal(setCookieOf(res, 'ruche_session'), undefined);
});
