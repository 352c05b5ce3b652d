/*
 * 24-people-extras: the bio rendered as safe Markdown (a hostile corpus run in chromium),
 * the profile completeness meter and its prompt, coming birthdays (only those shared, across
 * the new year) and the wish flow with its CSRF token and live event, "who knows?" (ranking and
 * visibility, page and API), and people to meet (never oneself nor someone followed).
 *
 * Birthdays are set relative to today's date (UTC, as the server counts days), so the test
 * means the same thing on any day of the year.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';
import { signIn, apiToken } from './lib/client.mjs';
import { launchBrowser, watchPage, addClientCookies } from './lib/browser.mjs';
import * as sse from './lib/sse.mjs';

const PW = 'correct-horse-1';
const USERS = {
    alice: { email: 'alice@example.test', name: 'Alice Martin', password: PW },
    bruno: { email: 'bruno@example.test', name: 'Bruno Petit', password: PW },
    chloe: { email: 'chloe@example.test', name: 'Chloé Roux', password: PW },
    denis: { email: 'denis@example.test', name: 'Denis Blanc', password: PW },
    admin: { email: 'admin@example.test', name: 'Ada Admin', password: PW, role: 'admin' },
};

let srv;
const c = {};
const ids = {};
const tokens = {};

before(async () => {
    srv = await startServer({ users: Object.values(USERS) });
    for (const [key, u] of Object.entries(USERS)) {
        c[key] = (await signIn(srv.url, u.email, u.password)).client;
        ids[key] = (await c[key].json('/api/v1/me')).json_body.id;
        tokens[key] = await apiToken(srv.url, u.email, u.password);
    }
});

after(async () => {
    sse.closeAll();
    if (srv) await srv.stopChecked();
});

function api(who, path, opts = {}) {
    return c[who].json(path, { ...opts, headers: { authorization: `Bearer ${tokens[who]}`, cookie: '' } });
}

async function patch(who, body) {
    const res = await api(who, `/api/v1/people/${ids[who]}`, { method: 'PATCH', body });
    assert.equal(res.status, 200, res.body_text);
    return res.json_body;
}

/* 'MM-DD' of today (UTC) plus days. */
function md(days) {
    const d = new Date(Date.now() + days * 86400000);
    return `${String(d.getUTCMonth() + 1).padStart(2, '0')}-${String(d.getUTCDate()).padStart(2, '0')}`;
}

/* ---- bio as Markdown ------------------------------------------------------------------- */

const MD_XSS = [
    '<script>alert(1)</script>',
    '[lien](javascript:alert(2))',
    '[lien2](JAVASCRIPT:alert(3))',
    '<img src=x onerror=alert(4)>',
    '![image](javascript:alert(5))',
    '[x](vbscript:msgbox(6))',
    '[d](data:text/html;base64,PHNjcmlwdD5hbGVydCg3KTwvc2NyaXB0Pg==)',
    '<a href="javascript:alert(8)">a</a>',
    '"><svg onload=alert(9)>',
    '<iframe src="javascript:alert(10)"></iframe>',
];

test('a bio in Markdown renders emphasis, lists and links', async () => {
    await patch('alice', { bio: 'Je suis **comptable**.\n\n- paie\n- *fiscalité*\n\nVoir https://example.org', bio_visibility: 'everyone' });
    const page = await c.bruno.get(`/people/${ids.alice}`);
    assert.equal(page.status, 200);
    assert.match(page.body_text, /<strong>comptable<\/strong>/);
    assert.match(page.body_text, /<li><em>fiscalité<\/em><\/li>/);
    assert.match(page.body_text, /<a href="https:\/\/example.org">https:\/\/example.org<\/a>/);
});

test('hostile Markdown in a bio never runs and leaves no dangerous markup', async () => {
    await patch('alice', { bio: MD_XSS.join('\n\n') });
    const page = await c.bruno.get(`/people/${ids.alice}`);
    assert.equal(page.status, 200);
    const bio = page.body_text.slice(page.body_text.indexOf('class="bio"'), page.body_text.indexOf('class="actions"'));
    assert.ok(bio.length > 0);
    assert.doesNotMatch(bio, /<script/i);
    assert.doesNotMatch(bio, /<img[^>]*onerror/i);
    assert.doesNotMatch(bio, /<svg/i);
    assert.doesNotMatch(bio, /<iframe/i);
    assert.doesNotMatch(bio, /href="(javascript|vbscript|data):/i);
    assert.doesNotMatch(bio, /src="javascript:/i);
    const browser = await launchBrowser();
    try {
        const context = await browser.newContext();
        await addClientCookies(context, c.bruno);
        const tab = await context.newPage();
        const seen = watchPage(tab);
        await tab.goto(`${srv.url}/people/${ids.alice}`);
        for (const link of await tab.locator('.bio a').all()) await link.click({ timeout: 2000 }).catch(() => {});
        await tab.goto(`${srv.url}/people/${ids.alice}`);
        assert.deepEqual(seen.dialogs, []);
        assert.deepEqual(seen.pageErrors, []);
    } finally {
        await browser.close();
    }
    await patch('alice', { bio: '' });
});

/* ---- completeness ------------------------------------------------------------------------ */

function meter(html) {
    const m = html.match(/<meter id="completeness-meter"[^>]* value="(\d+)"/);
    return m ? Number(m[1]) : null;
}

test('the meter rises as fields are filled and names the next most useful one', async () => {
    await patch('denis', { job: '', department: '', site: '', phone: '', skills: [], bio: '' });
    let home = await c.denis.get('/');
    assert.equal(meter(home.body_text), 0);
    assert.match(home.body_text, /data-next="photo"/);
    assert.match(home.body_text, /Ajoutez votre photo/);
    assert.match(home.body_text, new RegExp(`<a href="/people/${ids.denis}/edit">`));
    await patch('denis', { job: 'Juriste' });
    home = await c.denis.get('/');
    assert.equal(meter(home.body_text), 14);
    await patch('denis', { department: 'Juridique', site: 'Lyon' });
    home = await c.denis.get('/');
    assert.equal(meter(home.body_text), 42);
    await patch('denis', { skills: ['droit social'], bio: 'Juriste.' });
    const own = await c.denis.get(`/people/${ids.denis}`);
    assert.equal(meter(own.body_text), 71);
    const other = await c.bruno.get(`/people/${ids.denis}`);
    assert.equal(meter(other.body_text), null, 'the meter is for one\'s own profile only');
});

/* ---- birthdays ------------------------------------------------------------------------------ */

test('coming birthdays are listed only when shared with the viewer, sorted, with labels', async () => {
    await patch('alice', { birthday: md(3), birthday_visibility: 'everyone' });
    await patch('bruno', { birthday: md(0), birthday_visibility: 'everyone' });
    await patch('chloe', { birthday: md(1), birthday_visibility: 'me' });
    await patch('admin', { birthday: md(9), birthday_visibility: 'everyone' });
    const home = (await c.denis.get('/')).body_text;
    const block = home.slice(home.indexOf('class="card birthdays"'));
    assert.ok(home.includes('class="card birthdays"'));
    const order = [...block.matchAll(/<li class="birthday" data-id="(\d+)"/g)].map((m) => Number(m[1]));
    assert.deepEqual(order, [ids.bruno, ids.alice], 'today first, hidden and far birthdays absent');
    assert.match(block, /Aujourd&#39;hui/);
    /* the owner of a hidden birthday is not listed, even to themselves (it is not a colleague) */
    const own = (await c.chloe.get('/')).body_text;
    assert.doesNotMatch(own, new RegExp(`class="birthday" data-id="${ids.chloe}"`));
    /* an administrator sees every birthday */
    const admin = (await c.admin.get('/')).body_text;
    assert.match(admin, new RegExp(`class="birthday" data-id="${ids.chloe}"`));
});

test('birthdays across the new year and 29 February follow the calendar', async () => {
    /* a birthday 6 days ahead is in, 7 days ahead is out, whatever the month or year */
    await patch('alice', { birthday: md(6) });
    await patch('bruno', { birthday: md(7) });
    const home = (await c.denis.get('/')).body_text;
    assert.match(home, new RegExp(`class="birthday" data-id="${ids.alice}"`));
    assert.doesNotMatch(home, new RegExp(`class="birthday" data-id="${ids.bruno}"`));
    /* 29 February is accepted without a year */
    await patch('bruno', { birthday: '02-29' });
    const year = new Date().getUTCFullYear();
    const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
    const window = [0, 1, 2, 3, 4, 5, 6].map(md);
    const expected = window.includes('02-29') || (!leap && window.includes('02-28'));
    const again = (await c.denis.get('/')).body_text;
    assert.equal(new RegExp(`class="birthday" data-id="${ids.bruno}"`).test(again), expected);
});

test('wishing a birthday needs the CSRF token, is recorded once and reaches the recipient live', async () => {
    await patch('bruno', { birthday: md(0), birthday_visibility: 'everyone' });
    const stream = await sse.open(`${srv.url}/api/v1/live`, sse.bearer(tokens.bruno));
    assert.equal(stream.status, 200);
    const refused = await c.denis.postForm(`/people/${ids.bruno}/wish`, {});
    assert.equal(refused.status, 403);
    const res = await c.denis.postWithCsrf(`/people/${ids.bruno}/wish`, {});
    assert.equal(res.status, 303);
    const ev = await stream.next((e) => e.event === 'birthday.wish');
    assert.equal(ev.json.from, ids.denis);
    assert.equal(ev.json.name, USERS.denis.name);
    const home = (await c.denis.get('/')).body_text;
    assert.match(home, /Vœux envoyés/);
    assert.doesNotMatch(home, new RegExp(`action="/people/${ids.bruno}/wish"`));
    const again = await c.denis.postWithCsrf(`/people/${ids.bruno}/wish`, {});
    assert.equal(again.status, 303, 'a second wish is harmless');
    const bruno = (await c.bruno.get('/')).body_text;
    assert.match(bruno, /class="card wishes"/);
    assert.equal((bruno.match(/class="wish-from"/g) || []).length, 1);
    assert.match(bruno, new RegExp(`<a href="/people/${ids.denis}">Denis Blanc</a>`));
    stream.close();
});

test('a birthday that is hidden or not this week cannot be wished, nor one\'s own', async () => {
    await patch('chloe', { birthday: md(0), birthday_visibility: 'me' });
    assert.equal((await c.denis.postWithCsrf(`/people/${ids.chloe}/wish`, {})).status, 404);
    await patch('alice', { birthday: md(20), birthday_visibility: 'everyone' });
    assert.equal((await c.denis.postWithCsrf(`/people/${ids.alice}/wish`, {})).status, 404);
    assert.equal((await c.bruno.postWithCsrf(`/people/${ids.bruno}/wish`, {})).status, 400);
});

/* ---- who knows? ----------------------------------------------------------------------------- */

test('who knows ranks exact skills above partial ones, ignoring case and accents', async () => {
    await patch('alice', { skills: ['Comptabilité'], skills_visibility: 'everyone' });
    await patch('bruno', { skills: ['comptabilité associative', 'paie'], skills_visibility: 'everyone' });
    await patch('chloe', { skills: ['COMPTABILITE', 'fiscalité'], skills_visibility: 'me' });
    const res = await api('denis', '/api/v1/people/experts?q=comptabilite');
    assert.equal(res.status, 200);
    assert.equal(res.json_body.next, null);
    const got = res.json_body.items.map((p) => [p.id, p.score, p.matched]);
    assert.deepEqual(got, [
        [ids.alice, 3, ['Comptabilité']],
        [ids.bruno, 2, ['comptabilité associative']],
    ]);
    /* hidden skills rank for administrators only */
    const admin = await api('admin', '/api/v1/people/experts?q=Comptabilité');
    assert.ok(admin.json_body.items.some((p) => p.id === ids.chloe));
    const page = await c.denis.get('/people/experts?q=compta');
    assert.equal(page.status, 200);
    assert.match(page.body_text, new RegExp(`data-id="${ids.alice}"`));
    assert.doesNotMatch(page.body_text, new RegExp(`data-id="${ids.chloe}"`));
    assert.match(page.body_text, /<ul class="tags matched"><li><a href="\/people\?skill=comptabilit%C3%A9%20associative">/);
    const dir = await c.denis.get('/people?q=compta');
    assert.match(dir.body_text, /href="\/people\/experts\?q=compta"/);
});

test('who knows escapes the query and answers an empty list for nothing found', async () => {
    const page = await c.denis.get(`/people/experts?q=${encodeURIComponent('"><script>alert(1)</script>')}`);
    assert.equal(page.status, 200);
    assert.doesNotMatch(page.body_text, /<script>alert/);
    const res = await api('denis', '/api/v1/people/experts?q=%25');
    assert.equal(res.status, 200);
    assert.deepEqual(res.json_body.items, []);
});

/* ---- people to meet ------------------------------------------------------------------------ */

test('people to meet proposes colleagues of the department with other skills, not followed', async () => {
    await patch('denis', { department: 'Finances', department_visibility: 'everyone', skills: ['paie'] });
    await patch('alice', { department: 'Finances', department_visibility: 'everyone', skills: ['comptabilité'], skills_visibility: 'everyone' });
    await patch('bruno', { department: 'Finances', department_visibility: 'everyone', skills: ['paie'], skills_visibility: 'everyone' });
    await patch('chloe', { department: 'Finances', department_visibility: 'everyone', skills: ['trésorerie'], skills_visibility: 'everyone' });
    await api('denis', `/api/v1/people/${ids.chloe}/follow`, { method: 'DELETE' });
    let home = (await c.denis.get('/')).body_text;
    let block = home.slice(home.indexOf('class="card suggestions"'));
    let got = [...block.matchAll(/<li class="suggestion" data-id="(\d+)"/g)].map((m) => Number(m[1])).sort();
    assert.deepEqual(got, [ids.alice, ids.chloe].sort(), 'bruno adds no skill; denis is not his own suggestion');
    assert.match(block, new RegExp(`action="/people/${ids.alice}/follow"`));
    const follow = await c.denis.postWithCsrf(`/people/${ids.alice}/follow`, {});
    assert.equal(follow.status, 303);
    home = (await c.denis.get('/')).body_text;
    block = home.slice(home.indexOf('class="card suggestions"'));
    got = [...block.matchAll(/<li class="suggestion" data-id="(\d+)"/g)].map((m) => Number(m[1]));
    assert.deepEqual(got, [ids.chloe]);
});
