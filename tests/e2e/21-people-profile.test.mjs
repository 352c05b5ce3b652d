/*
 * 21-people-profile: editing one's profile (/people/{id}/edit and PATCH /api/v1/people/{id}),
 * bad input for every field rejected with the field named and nothing saved, hostile strings
 * rendered escaped, who may edit (the owner and administrators; others get 404), CSRF,
 * following and the vCard.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';
import { signIn, apiToken, csrfFromHtml } from './lib/client.mjs';
import { launchBrowser, watchPage, addClientCookies } from './lib/browser.mjs';

const PW = 'correct-horse-1';
const ALICE = { email: 'alice@example.test', name: 'Alice Martin', password: PW };
const BRUNO = { email: 'bruno@example.test', name: 'Bruno Petit', password: PW };
const ADMIN = { email: 'admin@example.test', name: 'Ada Admin', password: PW, role: 'admin' };

let srv;
const c = {}; /* clients */
const ids = {};
const tokens = {};

before(async () => {
    srv = await startServer({ users: [ALICE, BRUNO, ADMIN] });
    for (const [key, u] of [['alice', ALICE], ['bruno', BRUNO], ['admin', ADMIN]]) {
        c[key] = (await signIn(srv.url, u.email, u.password)).client;
        ids[key] = (await c[key].json('/api/v1/me')).json_body.id;
        tokens[key] = await apiToken(srv.url, u.email, u.password);
    }
});

after(async () => {
    if (srv) await srv.stopChecked();
});

const GOOD = {
    name: 'Alice Martin',
    job: 'Comptable',
    department: 'Finances',
    site: 'Lyon',
    phone: '+33 4 12 34 56 78',
    birthday: '1985-03-12',
    skills: 'comptabilité, paie\ndroit associatif',
    bio: 'Première ligne.\n\nDeuxième paragraphe.',
    job_visibility: 'everyone',
    department_visibility: 'everyone',
    site_visibility: 'everyone',
    phone_visibility: 'everyone',
    birthday_visibility: 'everyone',
    skills_visibility: 'everyone',
    bio_visibility: 'everyone',
};

function editPath(id) {
    return `/people/${id}/edit`;
}

async function saveForm(client, id, fields) {
    return client.postWithCsrf(editPath(id), fields, editPath(id));
}

function api(token, path, opts = {}) {
    return c.alice.json(path, { ...opts, headers: { authorization: `Bearer ${token}`, cookie: '' } });
}

test('a member edits their own profile and sees it on the profile page', async () => {
    const res = await saveForm(c.alice, ids.alice, GOOD);
    assert.equal(res.status, 303, res.body_text.slice(0, 500));
    const page = await c.bruno.get(`/people/${ids.alice}`);
    assert.equal(page.status, 200);
    for (const s of ['Comptable', 'Finances', 'Lyon', '+33 4 12 34 56 78', '12 mars', 'comptabilité', 'droit associatif', 'Deuxième paragraphe.'])
        assert.ok(page.body_text.includes(s), `profile shows ${s}`);
    assert.ok(!page.body_text.includes('1985'), 'the birth year is never shown');
    assert.match(page.body_text, /href="\/people\?skill=comptabilit%C3%A9"/);
});

test('the edit form shows the saved values and a visibility select per optional field', async () => {
    const res = await c.alice.get(editPath(ids.alice));
    assert.equal(res.status, 200);
    for (const f of ['job', 'department', 'site', 'phone', 'birthday', 'skills', 'bio'])
        assert.match(res.body_text, new RegExp(`<select[^>]*name="${f}_visibility"`), f);
    assert.match(res.body_text, /Tout le monde/);
    assert.match(res.body_text, /Mes communautés/);
    assert.match(res.body_text, /Moi seul/);
    assert.match(res.body_text, /name="phone" value="\+33 4 12 34 56 78"/);
});

const BAD = [
    ['name', ''],
    ['name', 'n'.repeat(121)],
    ['job', 'j'.repeat(121)],
    ['department', 'd'.repeat(121)],
    ['site', 's'.repeat(121)],
    ['phone', 'abc'],
    ['phone', '12345'],
    ['phone', '1'.repeat(31)],
    ['birthday', '31-02'],
    ['birthday', '02-31'],
    ['birthday', '1999-02-29'],
    ['birthday', '1850-01-01'],
    ['bio', 'b'.repeat(2001)],
    ['skills', Array.from({ length: 5000 }, (_, i) => `s${i}`).join(',')],
    ['skills', 'x'.repeat(61)],
    ['phone_visibility', 'friends'],
];

test('each bad field is rejected with 400, the field named, and nothing saved (form)', async () => {
    const before = (await api(tokens.alice, `/api/v1/people/${ids.alice}`)).json_body;
    for (const [field, value] of BAD) {
        const keep = field === 'site' ? 'department' : 'site';
        const res = await saveForm(c.alice, ids.alice, { ...GOOD, [keep]: 'Changé', [field]: value });
        assert.equal(res.status, 400, `${field}=${value.slice(0, 20)}`);
        assert.match(res.body_text, new RegExp(`id="${field}-error"`), `error next to ${field}`);
        assert.match(res.body_text, new RegExp(`name="${keep}" value="Changé"`), 'submitted values are kept');
        const now = (await api(tokens.alice, `/api/v1/people/${ids.alice}`)).json_body;
        assert.deepEqual(now, before, `nothing saved after bad ${field}`);
    }
});

test('each bad field is rejected with 400 naming it, and nothing saved (API)', async () => {
    const before = (await api(tokens.alice, `/api/v1/people/${ids.alice}`)).json_body;
    const cases = BAD.map(([f, v]) => [f, f === 'skills' ? v.split(',') : v]);
    cases.push(['skills', 'not-an-array'], ['phone', 12], ['colour', 'red']);
    for (const [field, value] of cases) {
        const res = await api(tokens.alice, `/api/v1/people/${ids.alice}`, { method: 'PATCH', body: { job: 'Changé', [field]: value } });
        assert.equal(res.status, 400, `${field}: ${res.body_text.slice(0, 200)}`);
        assert.equal(res.json_body.error.code, 'invalid');
        assert.equal(res.json_body.error.field, field);
        assert.ok(res.json_body.error.message);
    }
    const now = (await api(tokens.alice, `/api/v1/people/${ids.alice}`)).json_body;
    assert.deepEqual(now, before);
});

test('PATCH changes only the keys given and answers the person', async () => {
    const res = await api(tokens.alice, `/api/v1/people/${ids.alice}`, { method: 'PATCH', body: { site: 'Grenoble', skills: ['PHP', 'php', 'Graphisme'] } });
    assert.equal(res.status, 200, res.body_text);
    assert.equal(res.json_body.site, 'Grenoble');
    assert.equal(res.json_body.job, 'Comptable');
    assert.deepEqual(res.json_body.skills.map((s) => s.toLowerCase()).sort(), ['graphisme', 'php'], 'duplicates collapse');
    assert.equal(res.json_body.birthday, '1985-03-12', 'the owner sees the year');
    assert.equal(res.json_body.phone_visibility, 'everyone');
});

const XSS = ['<script>alert(1)</script>', '"><img src=x onerror=alert(2)>', "'><svg onload=alert(3)>", 'javascript:alert(4)'];

test('hostile strings in every text field are rendered escaped and never run', async () => {
    const payload = XSS.join(' ');
    const res = await saveForm(c.alice, ids.alice, {
        ...GOOD,
        name: `Alice ${XSS[1]}`.slice(0, 120),
        job: XSS[0],
        department: XSS[1],
        site: XSS[2],
        skills: XSS.map((s) => s.replaceAll(',', ' ')).join('\n'),
        bio: payload,
    });
    assert.equal(res.status, 303, res.body_text.slice(0, 300));
    const pages = [`/people/${ids.alice}`, editPath(ids.alice), '/people', `/people/${ids.bruno}/followers`];
    await c.alice.postWithCsrf(`/people/${ids.bruno}/follow`, {}, `/people/${ids.bruno}`);
    for (const p of pages) {
        const html = (await c.alice.get(p)).body_text;
        assert.ok(!html.includes('<script>alert'), `${p}: raw <script>`);
        assert.ok(!/<img src=x onerror/i.test(html), `${p}: raw img`);
        assert.ok(!/<svg onload/i.test(html), `${p}: raw svg`);
    }
    const browser = await launchBrowser();
    try {
        const context = await browser.newContext();
        await addClientCookies(context, c.alice);
        const page = await context.newPage();
        const seen = watchPage(page);
        for (const p of pages) await page.goto(srv.url + p);
        assert.deepEqual(seen.dialogs, []);
    } finally {
        await browser.close();
    }
    await saveForm(c.alice, ids.alice, GOOD);
});

test('another member cannot open or post the edit form, nor PATCH (404)', async () => {
    assert.equal((await c.bruno.get(editPath(ids.alice))).status, 404);
    const csrf_token = await c.bruno.csrf('/');
    const res = await c.bruno.postForm(editPath(ids.alice), { ...GOOD, job: 'Piraté', csrf_token });
    assert.equal(res.status, 404);
    const patch = await api(tokens.bruno, `/api/v1/people/${ids.alice}`, { method: 'PATCH', body: { job: 'Piraté' } });
    assert.equal(patch.status, 404);
    assert.equal(patch.json_body.error.code, 'not_found');
    assert.equal((await api(tokens.alice, `/api/v1/people/${ids.alice}`)).json_body.job, 'Comptable');
});

test('an administrator edits any profile', async () => {
    assert.equal((await c.admin.get(editPath(ids.bruno))).status, 200);
    const res = await saveForm(c.admin, ids.bruno, { job: 'Graphiste' });
    assert.equal(res.status, 303);
    assert.equal((await api(tokens.bruno, `/api/v1/people/${ids.bruno}`)).json_body.job, 'Graphiste');
});

test('a form without its CSRF token is refused with 403 and saves nothing', async () => {
    const res = await c.alice.postForm(editPath(ids.alice), { ...GOOD, job: 'Sans jeton' });
    assert.equal(res.status, 403);
    const bad = await c.alice.postForm(editPath(ids.alice), { ...GOOD, job: 'Sans jeton', csrf_token: 'x'.repeat(43) });
    assert.equal(bad.status, 403);
    const follow = await c.alice.postForm(`/people/${ids.admin}/follow`, {});
    assert.equal(follow.status, 403);
    assert.equal((await api(tokens.alice, `/api/v1/people/${ids.alice}`)).json_body.job, 'Comptable');
});

test('follow and unfollow, with counts and lists', async () => {
    await c.bruno.postWithCsrf(`/people/${ids.alice}/unfollow`, {}, `/people/${ids.alice}`);
    let p = (await api(tokens.bruno, `/api/v1/people/${ids.alice}`)).json_body;
    const base = p.followers;
    let res = await c.bruno.postWithCsrf(`/people/${ids.alice}/follow`, {}, `/people/${ids.alice}`);
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), `/people/${ids.alice}`);
    await c.bruno.postWithCsrf(`/people/${ids.alice}/follow`, {}, `/people/${ids.alice}`); /* idempotent */
    p = (await api(tokens.bruno, `/api/v1/people/${ids.alice}`)).json_body;
    assert.equal(p.followers, base + 1);
    const page = await c.bruno.get(`/people/${ids.alice}`);
    assert.match(page.body_text, /Ne plus suivre/);
    const followers = await c.bruno.get(`/people/${ids.alice}/followers`);
    assert.match(followers.body_text, new RegExp(`href="/people/${ids.bruno}"`));
    const following = await c.bruno.get(`/people/${ids.bruno}/following`);
    assert.match(following.body_text, new RegExp(`href="/people/${ids.alice}"`));
    res = await api(tokens.bruno, `/api/v1/people/${ids.alice}/follow`, { method: 'DELETE' });
    assert.equal(res.status, 204);
    assert.equal((await api(tokens.bruno, `/api/v1/people/${ids.alice}`)).json_body.followers, base);
    res = await api(tokens.bruno, `/api/v1/people/${ids.alice}/follow`, { method: 'POST' });
    assert.equal(res.status, 204);
    res = await api(tokens.bruno, `/api/v1/people/${ids.bruno}/follow`, { method: 'POST' });
    assert.equal(res.status, 400, 'no following oneself');
    res = await api(tokens.bruno, '/api/v1/people/999999/follow', { method: 'POST' });
    assert.equal(res.status, 404);
});

test('the vCard carries the visible fields, escaped, and the birthday without its year', async () => {
    await api(tokens.alice, `/api/v1/people/${ids.alice}`, { method: 'PATCH', body: { site: 'Lyon; bât. B, 2e', bio: 'Ligne 1\nLigne 2' } });
    const res = await c.bruno.get(`/people/${ids.alice}.vcf`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'text/vcard; charset=utf-8');
    const text = res.body_text;
    assert.match(text, /^BEGIN:VCARD\r\nVERSION:3\.0\r\n/);
    assert.match(text, /\r\nFN:Alice Martin\r\n/);
    assert.match(text, /\r\nTITLE:Comptable\r\n/);
    assert.match(text, /\r\nORG:Finances\r\n/);
    assert.match(text, /Lyon\\; bât\. B\\, 2e/);
    assert.match(text, /\r\nTEL;TYPE=WORK,VOICE:\+33 4 12 34 56 78\r\n/);
    assert.match(text, /\r\nBDAY:--0312\r\n/);
    assert.match(text, /\r\nNOTE:Ligne 1\\nLigne 2\r\n/);
    assert.match(text, /END:VCARD\r\n$/);
    const own = (await c.alice.get(`/people/${ids.alice}.vcf`)).body_text;
    assert.match(own, /\r\nBDAY:19850312\r\n/);
    assert.equal((await c.bruno.get('/people/999999.vcf')).status, 404);
});

test('the edit form refills a CSRF token and stays usable after an error', async () => {
    const res = await saveForm(c.alice, ids.alice, { ...GOOD, phone: 'abc' });
    assert.equal(res.status, 400);
    assert.ok(csrfFromHtml(res.body_text));
});
