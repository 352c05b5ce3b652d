/*
 * 20-people-directory: the member directory (/people), its name search (?q=) and the
 * profile pages (/people/{id}).  Search ignores case and accents.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';
import { Client, signIn, locationPath } from './lib/client.mjs';

const PW = 'correct-horse-1';
const ALICE = { email: 'alice@example.test', name: 'Alice Martin', password: PW };
const BRUNO = { email: 'bruno@example.test', name: 'Bruno Petit', password: PW };
const HELENE = { email: 'helene@example.test', name: 'Hélène Dubois', password: PW };

let srv;
let viewer;
const ids = {}; /* name -> id */

before(async () => {
    srv = await startServer({ users: [ALICE, BRUNO, HELENE] });
    for (const u of [ALICE, BRUNO, HELENE]) {
        const { client } = await signIn(srv.url, u.email, u.password);
        ids[u.name] = (await client.json('/api/v1/me')).json_body.id;
        if (u === ALICE) viewer = client;
    }
});

after(async () => {
    if (srv) await srv.stopChecked();
});

/* Names of the members linked from a directory page (anchors to /people/{id}). */
function listed(html) {
    const main = html.match(/<main\b[\s\S]*<\/main>/i)?.[0] ?? html;
    return [...main.matchAll(/<a\b[^>]*href="\/people\/(\d+)"[^>]*>/g)].map((m) => Number(m[1]));
}

test('a visitor asking for /people is sent to /login', async () => {
    const res = await new Client(srv.url).get('/people');
    assert.equal(res.status, 303);
    assert.equal(locationPath(res, srv.url).split('?')[0], '/login');
});

test('the directory lists every member with a link to the profile', async () => {
    const res = await viewer.get('/people');
    assert.equal(res.status, 200);
    const found = listed(res.body_text);
    for (const [name, id] of Object.entries(ids)) assert.ok(found.includes(id), `${name} (/people/${id}) is listed`);
});

test('?q= with part of a name lists the matching members only', async () => {
    const res = await viewer.get('/people?q=Petit');
    assert.equal(res.status, 200);
    const found = listed(res.body_text);
    assert.ok(found.includes(ids['Bruno Petit']), 'Bruno Petit found');
    assert.ok(!found.includes(ids['Alice Martin']), 'Alice Martin not listed');
    assert.match(res.body_text, /<input\b[^>]*name="q"[^>]*value="Petit"/, 'the query is kept in the search box');
});

test('?q= search ignores case', async () => {
    const found = listed((await viewer.get('/people?q=petit')).body_text);
    assert.ok(found.includes(ids['Bruno Petit']));
});

test('?q= with no match answers 200 with nobody listed', async () => {
    const res = await viewer.get('/people?q=zzzzzz');
    assert.equal(res.status, 200);
    assert.deepEqual(listed(res.body_text), []);
});

test('?q= search ignores accents both ways (issue 5)', async () => {
    for (const q of ['helene', 'HELENE', 'Hélène', 'hélene']) {
        const found = listed((await viewer.get(`/people?q=${encodeURIComponent(q)}`)).body_text);
        assert.ok(found.includes(ids['Hélène Dubois']), `?q=${q} finds Hélène Dubois`);
        assert.ok(!found.includes(ids['Alice Martin']), `?q=${q} does not list Alice Martin`);
    }
    const reverse = listed((await viewer.get(`/people?q=${encodeURIComponent('dùbois')}`)).body_text);
    assert.ok(reverse.includes(ids['Hélène Dubois']), 'an accent typed where the name has none still matches');
});

test('a profile page shows the member name as its heading', async () => {
    const res = await viewer.get(`/people/${ids['Hélène Dubois']}`);
    assert.equal(res.status, 200);
    assert.match(res.body_text, /<h1\b[^>]*>\s*Hélène Dubois\s*<\/h1>/);
});

test('an unknown or malformed profile id answers 404', async () => {
    for (const p of ['/people/999999', '/people/abc', '/people/0', '/people/-1', '/people/99999999999999999999999']) {
        const res = await viewer.get(p);
        assert.equal(res.status, 404, p);
    }
});
