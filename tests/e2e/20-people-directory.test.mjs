/*
 * 20-people-directory: the member directory (/people), its name search (?q=) and the
 * profile pages (/people/{id}).  Search ignores case and accents; each word typed must
 * start a word of the name, in any order.  With 200 more members from `ruche
 * debug-generate`, every page of a search (web "Voir plus" links and API cursors) is
 * checked against the whole directory filtered here by the same rule: nobody missing,
 * skipped or repeated, in the directory's order.  Renaming and deactivating a member
 * update the search at once, and the API's list holds the same person objects as
 * GET /api/v1/people/{id} for a viewer who may not see every field.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';
import { Client, signIn, apiToken, locationPath } from './lib/client.mjs';

const PW = 'correct-horse-1';
const ALICE = { email: 'alice@example.test', name: 'Alice Martin', password: PW };
const BRUNO = { email: 'bruno@example.test', name: 'Bruno Petit', password: PW };
const HELENE = { email: 'helene@example.test', name: 'Hélène Dubois', password: PW };
const JP = { email: 'jp@example.test', name: "Jean-Pierre O'Neil-Lefèvre", password: PW };

let srv;
let viewer;
const ids = {}; /* name -> id */

before(async () => {
    srv = await startServer({ users: [ALICE, BRUNO, HELENE, JP] });
    for (const u of [ALICE, BRUNO, HELENE, JP]) {
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

/* ---- word-prefix search ----------------------------------------------------------- */

/* Folded as the server folds names (core/str.c): lower case, Latin accents removed. */
function fold(s) {
    return s
        .replace(/[œŒ]/g, 'oe')
        .replace(/[æÆ]/g, 'ae')
        .replace(/ß/g, 'ss')
        .normalize('NFD')
        .replace(/\p{M}/gu, '')
        .toLowerCase();
}

/* The words of a name as the index keeps them: parts cut at punctuation, and joined. */
function nameWords(name) {
    const words = new Set();
    for (const chunk of fold(name).split(/\s+/)) {
        const parts = chunk.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
        for (const p of parts) words.add(p);
        if (parts.length > 1) words.add(parts.join(''));
    }
    return [...words];
}

/* The rule: every word of q starts some word of the name. */
function matches(name, q) {
    const qw = fold(q).split(/[^\p{L}\p{N}]+/u).filter(Boolean);
    const nw = nameWords(name);
    return qw.every((w) => nw.some((n) => n.startsWith(w)));
}

/* Every page of GET /api/v1/people?<query>: the items in order, and the page count. */
async function apiAll(client, query) {
    const items = [];
    let cursor = '';
    let pages = 0;
    for (;;) {
        const res = await client.json(`/api/v1/people?${query}${cursor ? `&cursor=${cursor}` : ''}`);
        assert.equal(res.status, 200, res.body_text);
        assert.ok(res.json_body.items.length <= 30);
        items.push(...res.json_body.items);
        pages++;
        assert.ok(pages < 100, 'the cursor does not end');
        if (!res.json_body.next) return { items, pages };
        cursor = res.json_body.next;
    }
}

/* Every page of /people?q=, following the "Voir plus" links: the member ids in order. */
async function webAll(client, q) {
    const found = [];
    let path = `/people?q=${encodeURIComponent(q)}`;
    for (let pages = 0; path; pages++) {
        assert.ok(pages < 100, 'the "Voir plus" links do not end');
        const res = await client.get(path);
        assert.equal(res.status, 200);
        found.push(...listed(res.body_text.replace(/<p class="more">[\s\S]*?<\/p>/, '')));
        const more = res.body_text.match(/<p class="more"><a href="([^"]+)"/);
        path = more ? more[1].replaceAll('&amp;', '&') : null;
    }
    return found;
}

let everyone; /* every member, from the unfiltered API directory, in its order */

/* The one-letter query matching the most members (several pages of 30). */
function commonLetter() {
    const count = (l) => everyone.filter((p) => matches(p.name, l)).length;
    return [...'abcdefghijklmnopqrstuvwxyz'].reduce((best, l) => (count(l) > count(best) ? l : best));
}

test('the directory without a query is sorted by folded name, then id', async () => {
    const gen = await srv.cli(['debug-generate', '--data', srv.dir, '--members', '200', '--seed', '7']);
    assert.equal(gen.code, 0, gen.stderr);
    ({ items: everyone } = await apiAll(viewer, ''));
    assert.ok(everyone.length >= 205, `${everyone.length} members listed`);
    const keys = everyone.map((p) => [fold(p.name), p.id]);
    for (let i = 1; i < keys.length; i++) {
        const [a, b] = [keys[i - 1], keys[i]];
        assert.ok(a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]), `${a} before ${b}`);
    }
});

test('a query word finds the names with a word starting with it, not containing it', async () => {
    const found = listed((await viewer.get('/people?q=mart')).body_text);
    assert.ok(found.includes(ids['Alice Martin']), 'the second word of "Alice Martin" starts with "mart"');
    assert.ok(!found.includes(ids['Bruno Petit']));
    assert.deepEqual(listed((await viewer.get('/people?q=artin')).body_text).filter((id) => id === ids['Alice Martin']), [], '"artin" is inside a word, not at its start');
    for (const q of ['oneil', 'lefevre', 'jean-pierre', 'jeanpierre', "o'neil", 'pierre'])
        assert.ok(listed((await viewer.get(`/people?q=${encodeURIComponent(q)}`)).body_text).includes(ids[JP.name]), `?q=${q} finds ${JP.name}`);
});

test('two words must both start words of the name, in any order, accents ignored', async () => {
    for (const q of ['hel dub', 'DUB HÉL', 'hélène dubois', 'h d']) {
        const found = listed((await viewer.get(`/people?q=${encodeURIComponent(q)}`)).body_text);
        assert.ok(found.includes(ids['Hélène Dubois']), `?q=${q} finds Hélène Dubois`);
        assert.ok(!found.includes(ids['Alice Martin']), `?q=${q} does not list Alice Martin`);
    }
    assert.ok(!listed((await viewer.get('/people?q=hel+petit')).body_text).includes(ids['Hélène Dubois']));
});

test('every page of a search, web and API, is the filtered directory in order', async () => {
    assert.ok(everyone, 'needs the sorted-directory test');
    const letter = commonLetter();
    for (const q of [letter, 'm', 'ma', 'a m', 'é', 'hel', 'zz']) {
        const want = everyone.filter((p) => matches(p.name, q)).map((p) => p.id);
        const api = await apiAll(viewer, `q=${encodeURIComponent(q)}`);
        assert.deepEqual(api.items.map((p) => p.id), want, `API ?q=${q}`);
        assert.deepEqual(await webAll(viewer, q), want, `web ?q=${q}`);
        if (q === letter) assert.ok(api.pages >= 2, `"${q}" spans several pages (${want.length} members)`);
    }
});

test('more than eight query words get 400 on the page and the API', async () => {
    const q = encodeURIComponent('a b c d e f g h i');
    const page = await viewer.get(`/people?q=${q}`);
    assert.equal(page.status, 400);
    assert.match(page.body_text, /huit au plus/);
    const api = await viewer.json(`/api/v1/people?q=${q}`);
    assert.equal(api.status, 400);
    assert.equal(api.json_body.error.field, 'q');
    /* Words that start another one do not count: "m ma mar marc" is one word. */
    assert.equal((await viewer.get(`/people?q=${encodeURIComponent('m ma mar marc a ab abc d e f g')}`)).status, 200);
});

test('a renamed member is found by the new name only; a deactivated one by none', async () => {
    const token = await apiToken(srv.url, BRUNO.email, BRUNO.password);
    const res = await new Client(srv.url).json(`/api/v1/people/${ids['Bruno Petit']}`, {
        method: 'PATCH',
        body: { name: 'Bruno Zéphyrin' },
        headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(res.status, 200, res.body_text);
    assert.ok(listed((await viewer.get('/people?q=zephyr')).body_text).includes(ids['Bruno Petit']));
    assert.ok(!listed((await viewer.get('/people?q=petit')).body_text).includes(ids['Bruno Petit']));
    const off = await srv.cli(['user', 'deactivate', '--data', srv.dir, '--email', BRUNO.email]);
    assert.equal(off.code, 0, off.stderr);
    assert.deepEqual(listed((await viewer.get('/people?q=zephyr')).body_text), []);
    const on = await srv.cli(['user', 'activate', '--data', srv.dir, '--email', BRUNO.email]);
    assert.equal(on.code, 0, on.stderr);
    assert.ok(listed((await viewer.get('/people?q=zephyr')).body_text).includes(ids['Bruno Petit']));
});

test('the API list holds the same person objects as GET /api/v1/people/{id}', async () => {
    /* Alice is a member: generated profiles hide some fields from her. */
    const { items } = await apiAll(viewer, `q=${commonLetter()}`);
    assert.ok(items.length > 30);
    let hidden = 0;
    for (const p of items) {
        const one = await viewer.json(`/api/v1/people/${p.id}`);
        assert.equal(one.status, 200);
        assert.deepEqual(p, one.json_body, `person ${p.id}`);
        if (!('job' in p) || !('skills' in p)) hidden++;
    }
    assert.ok(hidden > 0, 'some fields are hidden from this viewer');
});
