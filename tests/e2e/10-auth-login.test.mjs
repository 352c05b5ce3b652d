/*
 * 10-auth-login: signing in and out through the browser forms.
 * Login success and failure, throttling after 5 failures, logout and "sign out everywhere",
 * the temporary-password flow, one-time sign-in links, and deactivation by the CLI.
 * Each behaviour uses its own member so that throttling and sessions do not interfere.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, rucheOk } from './lib/server.mjs';
import { Client, signIn, csrfFromHtml, locationPath, setCookieOf, apiToken } from './lib/client.mjs';

const PW = 'correct-horse-1';
const U = {
    alice: { email: 'alice@example.test', name: 'Alice Martin', password: PW },
    bruno: { email: 'bruno@example.test', name: 'Bruno Petit', password: PW },
    chloe: { email: 'chloe@example.test', name: 'Chloé Durand', password: PW },
    david: { email: 'david@example.test', name: 'David Leroy', password: PW },
    emma: { email: 'emma@example.test', name: 'Emma Roux', password: 'temporary-pass-1', temporary: true },
    farid: { email: 'farid@example.test', name: 'Farid Haddad', password: PW },
    gaelle: { email: 'gaelle@example.test', name: 'Gaëlle Morel', password: PW },
};

let srv;

before(async () => {
    srv = await startServer({ users: Object.values(U) });
});

after(async () => {
    if (srv) await srv.stopChecked();
});

async function loginPage(c) {
    const res = await c.get('/login');
    const csrf = csrfFromHtml(res.body_text);
    assert.ok(csrf, 'login page has a csrf_token');
    return { res, csrf };
}

async function postLogin(c, email, password) {
    const { csrf } = await loginPage(c);
    return c.postForm('/login', { email, password, csrf_token: csrf });
}

/* GET / with a raw cookie value (not the jar): proves the server-side state of a session. */
async function homeWith(sessionValue) {
    const c = new Client(srv.url);
    c.setCookie('ruche_session', sessionValue);
    return c.get('/');
}

test('GET /login shows email, password and csrf_token fields and sets ruche_visitor', async () => {
    const c = new Client(srv.url);
    const res = await c.get('/login');
    assert.equal(res.status, 200);
    assert.match(res.body_text, /<html[^>]*\blang="fr"/);
    assert.match(res.body_text, /<input\b[^>]*\bname="email"/);
    assert.match(res.body_text, /<input\b[^>]*\bname="password"[^>]*>/);
    assert.match(res.body_text, /<input\b[^>]*\btype="password"/);
    assert.match(res.body_text, /<input\b(?=[^>]*\btype="hidden")(?=[^>]*\bname="csrf_token")[^>]*>/);
    const v = setCookieOf(res, 'ruche_visitor');
    assert.ok(v, 'ruche_visitor cookie');
    assert.ok(v.attrs.httponly, 'ruche_visitor is HttpOnly');
    assert.equal(String(v.attrs.samesite).toLowerCase(), 'lax');
});

test('right password: 303 to / with an HttpOnly SameSite=Lax ruche_session cookie', async () => {
    const c = new Client(srv.url);
    const res = await postLogin(c, U.alice.email, U.alice.password);
    assert.equal(res.status, 303);
    assert.equal(locationPath(res, srv.url), '/');
    const s = setCookieOf(res, 'ruche_session');
    assert.ok(s && s.value, 'ruche_session cookie');
    assert.ok(s.attrs.httponly, 'HttpOnly');
    assert.equal(String(s.attrs.samesite).toLowerCase(), 'lax');
});

test('signed in, GET / is the French home page greeting the member', async () => {
    const { client } = await signIn(srv.url, U.alice.email, U.alice.password);
    const res = await client.get('/');
    assert.equal(res.status, 200);
    assert.match(res.body_text, /<html[^>]*\blang="fr"/);
    assert.match(res.body_text, /Bonjour/);
    assert.match(res.body_text, /Alice/);
});

test('the e-mail is matched case-insensitively at sign-in', async () => {
    const c = new Client(srv.url);
    const res = await postLogin(c, '  ALICE@Example.TEST ', U.alice.password);
    assert.equal(res.status, 303);
    assert.ok(c.cookie('ruche_session'));
});

test('wrong password: 401 page saying "incorrect", no session', async () => {
    const c = new Client(srv.url);
    const res = await postLogin(c, U.bruno.email, 'wrong-password-1');
    assert.equal(res.status, 401);
    assert.match(res.headers.get('content-type') || '', /^text\/html/);
    assert.match(res.body_text, /incorrect/i);
    assert.equal(setCookieOf(res, 'ruche_session'), undefined);
});

test('unknown e-mail: the same 401 as a wrong password', async () => {
    const c = new Client(srv.url);
    const res = await postLogin(c, 'nobody@example.test', 'wrong-password-1');
    assert.equal(res.status, 401);
    assert.match(res.body_text, /incorrect/i);
    assert.equal(setCookieOf(res, 'ruche_session'), undefined);
    /* same message: compare the pages with the typed e-mail removed */
    const c2 = new Client(srv.url);
    const res2 = await postLogin(c2, U.bruno.email, 'wrong-password-2');
    const strip = (html, email) =>
        html
            .replaceAll(email, 'EMAIL')
            .replace(/<input\b[^>]*>/g, '<input>') /* typed e-mail, csrf tokens */
            .replace(/\s+/g, ' ');
    assert.equal(strip(res.body_text, 'nobody@example.test'), strip(res2.body_text, U.bruno.email));
});

test('after 5 failures for one account, even the right password gets 429 "Trop de tentatives"', async () => {
    for (let i = 1; i <= 5; i++) {
        const res = await postLogin(new Client(srv.url), U.chloe.email, `wrong-password-${i}`);
        assert.equal(res.status, 401, `failure ${i}`);
    }
    const c = new Client(srv.url);
    const res = await postLogin(c, U.chloe.email, U.chloe.password);
    assert.equal(res.status, 429);
    assert.match(res.body_text, /Trop de tentatives/);
    assert.equal(c.cookie('ruche_session'), undefined);
    /* the throttle is per account: another member still signs in */
    await signIn(srv.url, U.alice.email, U.alice.password);
});

test('POST /logout: 303 to /login and the session no longer works', async () => {
    const { client } = await signIn(srv.url, U.david.email, U.david.password);
    const session = client.cookie('ruche_session');
    assert.equal((await homeWith(session)).status, 200);
    const res = await client.postWithCsrf('/logout', {});
    assert.equal(res.status, 303);
    assert.equal(locationPath(res, srv.url), '/login');
    const after = await homeWith(session);
    assert.equal(after.status, 303, 'the old session cookie is refused');
    assert.equal(locationPath(after, srv.url), '/login');
});

test('POST /logout/all ends every session of the member, and only theirs', async () => {
    const a = (await signIn(srv.url, U.david.email, U.david.password)).client;
    const b = (await signIn(srv.url, U.david.email, U.david.password)).client;
    const other = (await signIn(srv.url, U.alice.email, U.alice.password)).client;
    const sa = a.cookie('ruche_session');
    const sb = b.cookie('ruche_session');
    assert.notEqual(sa, sb, 'two sign-ins make two sessions');
    const res = await a.postWithCsrf('/logout/all', {});
    assert.equal(res.status, 303);
    assert.equal((await homeWith(sa)).status, 303);
    assert.equal((await homeWith(sb)).status, 303);
    assert.equal((await other.get('/')).status, 200, "another member's session survives");
});

test('a temporary password leads to /account/password, and every page redirects there', async () => {
    const c = new Client(srv.url);
    const res = await postLogin(c, U.emma.email, U.emma.password);
    assert.equal(res.status, 303);
    assert.equal(locationPath(res, srv.url), '/account/password');
    for (const p of ['/', '/people', '/account']) {
        const r = await c.get(p);
        assert.equal(r.status, 303, `${p} redirects`);
        assert.equal(locationPath(r, srv.url), '/account/password', `${p} redirects to /account/password`);
    }
    const form = await c.get('/account/password');
    assert.equal(form.status, 200);
    assert.match(form.body_text, /name="password"/);
    assert.match(form.body_text, /name="password_confirm"/);
    assert.ok(csrfFromHtml(form.body_text));
});

test('choosing a new password ends the redirect; the old password stops working', async () => {
    const c = (await signIn(srv.url, U.emma.email, U.emma.password)).client;
    const newPassword = 'brand-new-pass-2';
    const res = await c.postWithCsrf('/account/password', { password: newPassword, password_confirm: newPassword }, '/account/password');
    assert.equal(res.status, 303, `status ${res.status}: ${res.body_text.slice(0, 300)}`);
    const home = await c.get('/');
    assert.equal(home.status, 200);
    assert.match(home.body_text, /Bonjour/);
    await signIn(srv.url, U.emma.email, newPassword);
    const old = await postLogin(new Client(srv.url), U.emma.email, U.emma.password);
    assert.equal(old.status, 401);
});

function linkPath(stdout) {
    const m = stdout.match(/\/login\/link\/[A-Za-z0-9_\-]+/);
    assert.ok(m, `no /login/link/<token> in: ${stdout}`);
    return m[0];
}

test('a one-time link lets the member choose a password and signs them in', async () => {
    const out = await rucheOk(['user', 'link', '--data', srv.dir, '--email', U.farid.email]);
    const path = linkPath(out.stdout);
    const c = new Client(srv.url);
    const page = await c.get(path);
    assert.equal(page.status, 200);
    assert.match(page.body_text, /name="password"/);
    assert.match(page.body_text, /name="password_confirm"/);
    const csrf = csrfFromHtml(page.body_text);
    assert.ok(csrf);
    const pw = 'from-the-link-3';
    const res = await c.postForm(path, { password: pw, password_confirm: pw, csrf_token: csrf });
    assert.equal(res.status, 303, `status ${res.status}: ${res.body_text.slice(0, 300)}`);
    assert.equal(locationPath(res, srv.url), '/');
    assert.ok(c.cookie('ruche_session'), 'signed in');
    const home = await c.get('/');
    assert.equal(home.status, 200);
    assert.match(home.body_text, /Farid/);
    await signIn(srv.url, U.farid.email, pw);

    /* used once: the link no longer works */
    const v = new Client(srv.url);
    const again = await v.get(path);
    assert.ok(
        again.status === 404 || (again.status < 300 && !/name="password_confirm"/.test(again.body_text)),
        `used link answered ${again.status} with a form`,
    );
    const csrf2 = csrfFromHtml((await v.get('/login')).body_text);
    const reuse = await v.postForm(path, { password: 'another-pass-4', password_confirm: 'another-pass-4', csrf_token: csrf2 });
    assert.notEqual(reuse.status, 303, 'a used link cannot set a password');
    assert.equal(v.cookie('ruche_session'), undefined);
    await signIn(srv.url, U.farid.email, pw);
});

test('an invalid sign-in link answers 404', async () => {
    const res = await new Client(srv.url).get('/login/link/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    assert.equal(res.status, 404);
    assert.match(res.headers.get('content-type') || '', /^text\/html/);
});

test('deactivating a member ends their browser session and API token at once', async () => {
    const { client } = await signIn(srv.url, U.gaelle.email, U.gaelle.password);
    const token = await apiToken(srv.url, U.gaelle.email, U.gaelle.password);
    assert.equal((await client.get('/')).status, 200);
    await rucheOk(['user', 'deactivate', '--data', srv.dir, '--email', U.gaelle.email]);
    const home = await client.get('/');
    assert.equal(home.status, 303, 'browser session is signed out');
    assert.equal(locationPath(home, srv.url), '/login');
    const me = await new Client(srv.url).json('/api/v1/me', { headers: { authorization: `Bearer ${token}` } });
    assert.equal(me.status, 401, 'bearer token refused');
    const again = await postLogin(new Client(srv.url), U.gaelle.email, U.gaelle.password);
    assert.equal(again.status, 401, 'a deactivated member cannot sign in');
});

test('the server log never contains passwords or session tokens', async () => {
    const { client } = await signIn(srv.url, U.alice.email, U.alice.password);
    await client.get('/');
    const session = client.cookie('ruche_session');
    const visitor = client.cookie('ruche_visitor');
    const log = srv.logs();
    for (const secret of [PW, U.emma.password, 'brand-new-pass-2', 'from-the-link-3', session, visitor]) {
        if (secret) assert.ok(!log.includes(secret), `log contains a secret (${secret.slice(0, 6)}…)`);
    }
    assert.doesNotMatch(log, /\/login\/link\/[A-Za-z0-9_\-]{20,}/, 'log contains a sign-in link token');
});
