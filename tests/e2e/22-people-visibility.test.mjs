/*
 * 22-people-visibility: the per-field visibility matrix.  For each optional field (job,
 * department, site, phone, birthday, skills, bio) and each visibility (everyone,
 * communities, me), the owner, another member, a guest and an administrator see exactly
 * what they should through the profile page, GET /api/v1/people/{id}, the directory card
 * and its filters (page and API), and the vCard.  Communities do not exist yet, so no two
 * members share one: 'communities' fields are seen by the owner and administrators only.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';
import { signIn, apiToken, Client } from './lib/client.mjs';

const PW = 'correct-horse-1';
const USERS = {
    owner: { email: 'olivia@example.test', name: 'Olivia Owner', password: PW },
    member: { email: 'bruno@example.test', name: 'Bruno Member', password: PW },
    guest: { email: 'gus@example.test', name: 'Gus Guest', password: PW, role: 'guest' },
    admin: { email: 'ada@example.test', name: 'Ada Admin', password: PW, role: 'admin' },
};
const VIEWERS = ['owner', 'member', 'guest', 'admin'];
const VISIBILITIES = ['everyone', 'communities', 'me'];
const VALUES = {
    job: 'Marqueur-Job',
    department: 'Service-Zeta',
    site: 'Site-Omega',
    phone: '+33 1 99 88 77 66',
    birthday: '1990-07-14',
    skills: ['Compétence-Kappa'],
    bio: 'Bio-Sigma',
};
const FIELDS = Object.keys(VALUES);
/* What the profile page shows of each field. */
const ON_PAGE = { ...VALUES, birthday: '14 juillet', skills: 'Compétence-Kappa' };
/* The vCard line of each field. */
const VCARD = {
    job: /\r\nTITLE:Marqueur-Job\r\n/,
    department: /\r\nORG:Service-Zeta\r\n/,
    site: /\r\nADR;TYPE=WORK:;;;Site-Omega;;;\r\n/,
    phone: /\r\nTEL;TYPE=WORK,VOICE:\+33 1 99 88 77 66\r\n/,
    birthday: /\r\nBDAY:/,
    skills: /\r\nCATEGORIES:Compétence-Kappa\r\n/,
    bio: /\r\nNOTE:Bio-Sigma\r\n/,
};

let srv;
const clients = {};
const tokens = {};
const ids = {};

before(async () => {
    srv = await startServer({ users: Object.values(USERS) });
    for (const v of VIEWERS) {
        clients[v] = (await signIn(srv.url, USERS[v].email, PW)).client;
        ids[v] = (await clients[v].json('/api/v1/me')).json_body.id;
        tokens[v] = await apiToken(srv.url, USERS[v].email, PW);
    }
});

after(async () => {
    if (srv) await srv.stopChecked();
});

function api(viewer, path, opts = {}) {
    return new Client(srv.url).json(path, { ...opts, headers: { authorization: `Bearer ${tokens[viewer]}` } });
}

async function setVisibility(visibilities) {
    const body = { ...VALUES };
    for (const f of FIELDS) body[`${f}_visibility`] = visibilities[f];
    const res = await api('owner', `/api/v1/people/${ids.owner}`, { method: 'PATCH', body });
    assert.equal(res.status, 200, res.body_text);
}

function maySee(viewer, vis) {
    return viewer === 'owner' || viewer === 'admin' || vis === 'everyone';
}

function main(html) {
    return html.match(/<main\b[\s\S]*<\/main>/i)?.[0] ?? html;
}

/* The directory card of the owner on a page, or null when not listed. */
function ownerCard(html) {
    const m = main(html).match(new RegExp(`<li class="person">(?:(?!</li>).)*href="/people/${ids.owner}"(?:(?!</li>).)*</li>`, 's'));
    return m ? m[0] : null;
}

async function checkMatrix(visibilities, label) {
    await setVisibility(visibilities);
    for (const viewer of VIEWERS) {
        const page = main((await clients[viewer].get(`/people/${ids.owner}`)).body_text);
        const person = (await api(viewer, `/api/v1/people/${ids.owner}`)).json_body;
        const vcard = (await clients[viewer].get(`/people/${ids.owner}.vcf`)).body_text;
        const privileged = viewer === 'owner' || viewer === 'admin';
        for (const f of FIELDS) {
            const see = maySee(viewer, visibilities[f]);
            const what = `${label}: ${viewer} sees ${f} (${visibilities[f]})`;
            assert.equal(page.includes(ON_PAGE[f]), see, `page, ${what}`);
            assert.equal(f in person, see, `API, ${what}`);
            if (see && f === 'birthday') assert.equal(person.birthday, privileged ? '1990-07-14' : '07-14', what);
            if (see && f === 'skills') assert.deepEqual(person.skills, VALUES.skills, what);
            assert.equal(VCARD[f].test(vcard), see, `vCard, ${what}`);
            assert.equal(`${f}_visibility` in person, privileged, `API visibility key, ${what}`);
        }
        assert.ok(!page.includes('1990'), `${label}: the year is never on the page (${viewer})`);
        await checkDirectory(viewer, visibilities, label);
    }
}

async function checkDirectory(viewer, visibilities, label) {
    const c = clients[viewer];
    if (viewer === 'guest') {
        assert.equal((await c.get('/people?q=Olivia')).status, 404, 'guests have no directory');
        assert.equal((await api(viewer, '/api/v1/people?q=Olivia')).status, 404);
        return;
    }
    const card = ownerCard((await c.get('/people?q=Olivia')).body_text);
    assert.ok(card, `${label}: ${viewer} finds the owner by name`);
    for (const f of ['job', 'department', 'site'])
        assert.equal(card.includes(VALUES[f]), maySee(viewer, visibilities[f]), `${label}: card ${f} for ${viewer}`);
    const filters = { department: VALUES.department, site: VALUES.site, skill: 'competence-kappa' };
    for (const [param, value] of Object.entries(filters)) {
        const field = param === 'skill' ? 'skills' : param;
        const see = maySee(viewer, visibilities[field]);
        const q = `${param}=${encodeURIComponent(value)}`;
        assert.equal(ownerCard((await c.get(`/people?${q}`)).body_text) !== null, see, `${label}: ${viewer} filters by ${param}`);
        const items = (await api(viewer, `/api/v1/people?${q}`)).json_body.items;
        assert.equal(items.some((p) => p.id === ids.owner), see, `${label}: ${viewer} API filter ${param}`);
        for (const p of items) if (p.id === ids.owner && !see) assert.ok(!(field in p));
    }
}

for (const vis of VISIBILITIES) {
    test(`every field at '${vis}': owner, member, guest and admin see exactly what they should`, async () => {
        await checkMatrix(Object.fromEntries(FIELDS.map((f) => [f, vis])), vis);
    });
}

test('visibilities are independent: each field hidden alone', async () => {
    for (const hidden of FIELDS) {
        const v = Object.fromEntries(FIELDS.map((f) => [f, f === hidden ? 'me' : 'everyone']));
        await checkMatrix(v, `only ${hidden} at me`);
    }
});

test('without a saved profile, phone and birthday default to communities', async () => {
    const res = await api('admin', `/api/v1/people/${ids.member}`);
    assert.equal(res.json_body.phone_visibility, 'communities');
    assert.equal(res.json_body.birthday_visibility, 'communities');
    assert.equal(res.json_body.job_visibility, 'everyone');
    const asGuest = await api('guest', `/api/v1/people/${ids.member}`);
    assert.ok(!('phone' in asGuest.json_body));
    assert.ok('job' in asGuest.json_body);
});
