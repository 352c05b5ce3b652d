/*
 * 12-auth-api: the JSON API's authentication.  Bearer tokens from POST /api/v1/session,
 * GET /api/v1/me, DELETE /api/v1/session, cookie sessions with X-CSRF-Token, the JSON error
 * envelope on 401/403/404/400/413, and deactivation cutting a token off at once.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, rucheOk, addUser } from './lib/server.mjs';
import { Client, signIn, csrfFromHtml, apiToken, rawRequest } from './lib/client.mjs';

const PW = 'correct-horse-1';
const ALICE = { email: 'alice@example.test', name: 'Alice Martin', password: PW, role: 'admin' };
const BRUNO = { email: 'bruno@example.test', name: 'Bruno Petit', password: PW };
const CAMILLE = { email: 'camille@example.test', name: 'Camille Blanc', password: PW, role: 'guest' };

let srv;

before(async () => {
    srv = await startServer({ users: [ALICE, BRUNO, CAMILLE] });
});

after(async () => {
    if (srv) await srv.stopChecked();
});

const bearer = (token) => ({ authorization: `Bearer ${token}` });

function assertEnvelope(res, status, what) {
    assert.equal(res.status, status, `${what}: status ${res.status}: ${res.body_text.slice(0, 300)}`);
    assert.match(res.headers.get('content-type') || '', /^application\/json/, `${what}: content-type`);
    const e = res.json_body?.error;
    assert.ok(e && typeof e === 'object', `${what}: {"error":{…}} envelope, got ${res.body_text.slice(0, 200)}`);
    assert.equal(typeof e.code, 'string', `${what}: error.code`);
    assert.ok(e.code.length > 0, `${what}: error.code`);
    assert.equal(typeof e.message, 'string', `${what}: error.message`);
    assert.ok(e.message.length > 0, `${what}: error.message`);
}

test('POST /api/v1/session with the right password answers 201 {"token"}', async () => {
    const res = await new Client(srv.url).json('/api/v1/session', {
        method: 'POST',
        body: { email: ALICE.email, password: ALICE.password },
    });
    assert.equal(res.status, 201);
    assert.match(res.headers.get('content-type') || '', /^application\/json/);
    assert.equal(typeof res.json_body.token, 'string');
    assert.ok(res.json_body.token.length >= 32, 'a long random token');
    assert.equal(res.headers.getSetCookie().length, 0, 'no cookie for an API sign-in');
});

test('POST /api/v1/session with a wrong password or unknown e-mail answers 401 with the envelope', async () => {
    const c = new Client(srv.url);
    const wrong = await c.json('/api/v1/session', { method: 'POST', body: { email: BRUNO.email, password: 'wrong-password-1' } });
    assertEnvelope(wrong, 401, 'wrong password');
    const unknown = await c.json('/api/v1/session', { method: 'POST', body: { email: 'nobody@example.test', password: 'wrong-password-1' } });
    assertEnvelope(unknown, 401, 'unknown e-mail');
    assert.equal(unknown.json_body.error.code, wrong.json_body.error.code, 'same code: no account enumeration');
    assert.equal(unknown.json_body.error.message, wrong.json_body.error.message, 'same message');
});

test('GET /api/v1/me with a bearer token describes the member', async () => {
    const token = await apiToken(srv.url, ALICE.email, ALICE.password);
    const res = await new Client(srv.url).json('/api/v1/me', { headers: bearer(token) });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') || '', /^application\/json/);
    const me = res.json_body;
    assert.ok(Number.isInteger(me.id) && me.id > 0, `id: ${me.id}`);
    assert.equal(me.email, ALICE.email);
    assert.equal(me.name, ALICE.name);
    assert.equal(me.role, 'admin');
    assert.equal(me.lang, 'fr');
});

test('GET /api/v1/me reports each role', async () => {
    const b = await new Client(srv.url).json('/api/v1/me', { headers: bearer(await apiToken(srv.url, BRUNO.email, BRUNO.password)) });
    assert.equal(b.json_body.role, 'member');
    const c = await new Client(srv.url).json('/api/v1/me', { headers: bearer(await apiToken(srv.url, CAMILLE.email, CAMILLE.password)) });
    assert.equal(c.json_body.role, 'guest');
});

test('GET /api/v1/me without credentials answers 401 with the JSON envelope', async () => {
    const res = await new Client(srv.url).json('/api/v1/me');
    assertEnvelope(res, 401, 'anonymous');
});

test('GET /api/v1/me with an unknown or malformed bearer token answers 401', async () => {
    for (const auth of ['Bearer AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', 'Bearer ', 'Bearer', 'Basic YWxpY2U6eA==', `Bearer ${'x'.repeat(5000)}`]) {
        const res = await new Client(srv.url).json('/api/v1/me', { headers: { authorization: auth } });
        assertEnvelope(res, 401, `Authorization: ${auth.slice(0, 30)}`);
    }
});

test('DELETE /api/v1/session with the bearer answers 204 and the token stops working', async () => {
    const token = await apiToken(srv.url, BRUNO.email, BRUNO.password);
    const c = new Client(srv.url);
    assert.equal((await c.json('/api/v1/me', { headers: bearer(token) })).status, 200);
    const del = await c.fetch('/api/v1/session', { method: 'DELETE', headers: bearer(token) });
    assert.equal(del.status, 204);
    assert.equal(del.body_text, '');
    assertEnvelope(await c.json('/api/v1/me', { headers: bearer(token) }), 401, 'after DELETE');
});

test('ending one API token leaves the other tokens of the member working', async () => {
    const t1 = await apiToken(srv.url, BRUNO.email, BRUNO.password);
    const t2 = await apiToken(srv.url, BRUNO.email, BRUNO.password);
    assert.notEqual(t1, t2);
    const c = new Client(srv.url);
    assert.equal((await c.fetch('/api/v1/session', { method: 'DELETE', headers: bearer(t1) })).status, 204);
    assert.equal((await c.json('/api/v1/me', { headers: bearer(t2) })).status, 200);
});

test('a cookie session may read the API without a CSRF header', async () => {
    const { client } = await signIn(srv.url, ALICE.email, ALICE.password);
    const res = await client.json('/api/v1/me');
    assert.equal(res.status, 200);
    assert.equal(res.json_body.email, ALICE.email);
});

test('an unsafe API call with a cookie but no X-CSRF-Token answers 403 JSON and changes nothing', async () => {
    const { client } = await signIn(srv.url, ALICE.email, ALICE.password);
    const res = await client.json('/api/v1/session', { method: 'DELETE' });
    assertEnvelope(res, 403, 'no X-CSRF-Token');
    const wrong = await client.json('/api/v1/session', { method: 'DELETE', headers: { 'x-csrf-token': 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' } });
    assertEnvelope(wrong, 403, 'wrong X-CSRF-Token');
    assert.equal((await client.get('/')).status, 200, 'still signed in');
});

test('an unsafe API call with a cookie and the right X-CSRF-Token is accepted', async () => {
    const { client } = await signIn(srv.url, ALICE.email, ALICE.password);
    const csrf = csrfFromHtml((await client.get('/')).body_text);
    assert.ok(csrf);
    const res = await client.fetch('/api/v1/session', { method: 'DELETE', headers: { 'x-csrf-token': csrf } });
    assert.equal(res.status, 204, `status ${res.status}: ${res.body_text.slice(0, 200)}`);
});

test('unknown API path answers 404 with the JSON envelope', async () => {
    const token = await apiToken(srv.url, ALICE.email, ALICE.password);
    assertEnvelope(await new Client(srv.url).json('/api/v1/no-such-thing', { headers: bearer(token) }), 404, 'signed in');
    assertEnvelope(await new Client(srv.url).json('/api/v1/no-such-thing'), 404, 'anonymous');
    assertEnvelope(await new Client(srv.url).json('/api/v2/me', { headers: bearer(token) }), 404, 'unknown version');
});

test('a malformed JSON body answers 400 with the JSON envelope', async () => {
    const c = new Client(srv.url);
    for (const body of ['{"email":', 'not json', '{"email":"a@b.c","password":"x"} trailing', '\u0000']) {
        const res = await c.json('/api/v1/session', { method: 'POST', body });
        assertEnvelope(res, 400, `body ${JSON.stringify(body)}`);
    }
});

test('a JSON body over 1 MB answers 413', async () => {
    const big = JSON.stringify({ email: ALICE.email, password: ALICE.password, pad: 'x'.repeat(1100 * 1024) });
    const res = await rawRequest(srv.url, {
        method: 'POST',
        path: '/api/v1/session',
        headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(big)) },
        body: big,
        pauseMs: 500,
    });
    assert.equal(res.status, 413, `status ${res.status}, error ${res.error?.code ?? res.error}`);
});

test('a chunked JSON body over 1 MB (no Content-Length) answers 413', async () => {
    const res = await rawRequest(srv.url, {
        method: 'POST',
        path: '/api/v1/session',
        headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
        bodyChunk: Buffer.alloc(64 * 1024, ' '),
        bodyLength: 2 * 1024 * 1024,
    });
    assert.equal(res.status, 413, `status ${res.status}, error ${res.error?.code ?? res.error}`);
});

test("a deactivated member's bearer token gets 401 at once", async () => {
    const user = { email: 'dora@example.test', name: 'Dora Faure', password: PW };
    await addUser(srv.dir, user);
    const token = await apiToken(srv.url, user.email, user.password);
    const c = new Client(srv.url);
    assert.equal((await c.json('/api/v1/me', { headers: bearer(token) })).status, 200);
    await rucheOk(['user', 'deactivate', '--data', srv.dir, '--email', user.email]);
    assertEnvelope(await c.json('/api/v1/me', { headers: bearer(token) }), 401, 'after deactivation');
    assertEnvelope(
        await c.json('/api/v1/session', { method: 'POST', body: { email: user.email, password: user.password } }),
        401,
        'sign-in after deactivation',
    );
});
