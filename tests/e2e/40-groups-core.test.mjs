/*
 * 40-groups-core: communities — creating one (form and API, with its purpose), who may
 * create, joining a public one, requesting a private one (approved or refused), inviting
 * into a secret one, the last animator, removal taking effect at once on a session and an
 * API token, archiving, guests, the 404 of a secret community, the directory's filters and
 * the policy page, and profile fields shown to "my communities".  Every community and post is
 * created through HTTP.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';
import { signIn, apiToken } from './lib/client.mjs';
import { makePng } from './lib/images.mjs';

const PW = 'correct-horse-1';
const USERS = {
    admin: { email: 'admin@example.test', name: 'Ada Admin', password: PW, role: 'admin' },
    anim: { email: 'anim@example.test', name: 'Anne Animatrice', password: PW, role: 'animator' },
    alice: { email: 'alice@example.test', name: 'Alice Martin', password: PW },
    bruno: { email: 'bruno@example.test', name: 'Bruno Petit', password: PW },
    carla: { email: 'carla@example.test', name: 'Carla Durand', password: PW },
    gina: { email: 'gina@example.test', name: 'Gina Invitée', password: PW, role: 'guest' },
    dora: { email: 'dora@example.test', name: 'Dora Lemaire', password: PW },
    eric: { email: 'eric@example.test', name: 'Eric Vidal', password: PW },
};

let srv;
const c = {}; /* cookie clients */
const ids = {}; /* account ids */
const tokens = {}; /* API bearer tokens */

before(async () => {
    srv = await startServer({ users: Object.values(USERS) });
    for (const [key, u] of Object.entries(USERS)) {
        c[key] = (await signIn(srv.url, u.email, u.password)).client;
        ids[key] = (await c[key].json('/api/v1/me')).json_body.id;
        tokens[key] = await apiToken(srv.url, u.email, u.password);
    }
});

after(async () => {
    if (srv) await srv.stopChecked();
});

/* An API call with who's bearer token (no cookie). */
function api(who, path, opts = {}) {
    return c.alice.json(path, { ...opts, headers: { authorization: `Bearer ${tokens[who]}`, cookie: '' } });
}

/* Text as the pages escape it. */
const esc = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

let counter = 0;
/* A community created through the API by who; returns its JSON. */
async function community(who, visibility, extra = {}) {
    counter++;
    const body = { name: `Communauté ${visibility} ${counter}`, purpose: `Raison d'être numéro ${counter}.`, visibility, ...extra };
    const res = await api(who, '/api/v1/communities', { method: 'POST', body });
    assert.equal(res.status, 201, res.body_text);
    return res.json_body;
}

async function post(who, communityId, body) {
    const res = await api(who, '/api/v1/posts', { method: 'POST', body: { body, community_id: communityId } });
    return res;
}

test('an animator creates a community with the form; its purpose heads its page', async () => {
    const res = await c.anim.postWithCsrf(
        '/communities',
        { name: 'Covoiturage Lyon', purpose: 'Partager les trajets domicile-travail vers le site de Lyon.', description: 'Des **trajets** chaque jour.', visibility: 'public' },
        '/communities/new',
    );
    assert.equal(res.status, 303, res.body_text.slice(0, 500));
    const path = res.headers.get('location');
    assert.match(path, /^\/communities\/\d+$/);
    const page = await c.alice.get(path);
    assert.equal(page.status, 200);
    assert.match(page.body_text, /<h1><a[^>]*>Covoiturage Lyon<\/a><\/h1><p class="purpose lead">Partager les trajets domicile-travail vers le site de Lyon\.<\/p>/);
    const about = await c.alice.get(`${path}/about`);
    assert.match(about.body_text, /<strong>trajets<\/strong>/);
    assert.match(about.body_text, /Anne Animatrice/);
    const dir = await c.alice.get('/communities');
    assert.ok(dir.body_text.includes('Partager les trajets domicile-travail'), 'the purpose is shown in the directory');
});

test('the form refuses a missing or over-long purpose, keeping what was typed', async () => {
    let res = await c.anim.postWithCsrf('/communities', { name: 'Sans raison', purpose: '   ', visibility: 'public' }, '/communities/new');
    assert.equal(res.status, 400);
    assert.match(res.body_text, /id="purpose-error"/);
    assert.match(res.body_text, /name="name" maxlength="80" required value="Sans raison"/);
    res = await c.anim.postWithCsrf('/communities', { name: 'Trop longue', purpose: 'p'.repeat(201), visibility: 'public' }, '/communities/new');
    assert.equal(res.status, 400);
    assert.match(res.body_text, /id="purpose-error"/);
    const list = await api('anim', '/api/v1/communities?q=raison');
    assert.equal(list.json_body.items.length, 0, 'nothing was created');
    res = await c.anim.postWithCsrf('/communities', { name: 'Juste assez', purpose: 'p'.repeat(200), visibility: 'secret' }, '/communities/new');
    assert.equal(res.status, 303, '200 characters are accepted');
});

test('the API creates (201) and validates: purpose required, 200 characters at most, unique folded name', async () => {
    let res = await api('anim', '/api/v1/communities', { method: 'POST', body: { name: 'Jardin partagé', purpose: 'Cultiver le potager du site.', visibility: 'private' } });
    assert.equal(res.status, 201, res.body_text);
    assert.equal(typeof res.json_body.id, 'number');
    assert.equal(res.json_body.purpose, 'Cultiver le potager du site.');
    assert.equal(res.json_body.visibility, 'private');
    assert.equal(res.json_body.my_role, 'animator');
    assert.equal(res.json_body.member_count, 1);
    assert.equal(res.json_body.archived, false);
    res = await api('anim', '/api/v1/communities', { method: 'POST', body: { name: 'Sans but', visibility: 'public' } });
    assert.equal(res.status, 400);
    assert.equal(res.json_body.error.field, 'purpose');
    res = await api('anim', '/api/v1/communities', { method: 'POST', body: { name: 'Trop', purpose: 'x'.repeat(201), visibility: 'public' } });
    assert.equal(res.status, 400);
    assert.equal(res.json_body.error.field, 'purpose');
    res = await api('anim', '/api/v1/communities', { method: 'POST', body: { name: 'JARDIN PARTAGE', purpose: 'Doublon.', visibility: 'public' } });
    assert.equal(res.status, 409);
    assert.equal(res.json_body.error.field, 'name');
    res = await api('anim', '/api/v1/communities', { method: 'POST', body: { name: 'Autre', purpose: 'Ok.', visibility: 'open' } });
    assert.equal(res.status, 400);
    assert.equal(res.json_body.error.field, 'visibility');
    res = await api('anim', '/api/v1/communities', { method: 'POST', body: { name: 'Autre', purpose: 'Ok.', visibility: 'public', colour: 'red' } });
    assert.equal(res.status, 400);
    assert.equal(res.json_body.error.field, 'colour');
});

test('who may create is a site setting: animators by default, then every member; never guests', async () => {
    let res = await api('alice', '/api/v1/communities', { method: 'POST', body: { name: 'Club de lecture', purpose: 'Lire ensemble.', visibility: 'public' } });
    assert.equal(res.status, 403);
    assert.equal((await c.alice.get('/communities/new')).status, 403);
    assert.ok(!(await c.alice.get('/communities')).body_text.includes('href="/communities/new"'));
    res = await c.admin.postWithCsrf('/admin/communities/settings', { create: 'members', private_warn_percent: '30' }, '/admin/communities');
    assert.equal(res.status, 303);
    res = await api('alice', '/api/v1/communities', { method: 'POST', body: { name: 'Club de lecture', purpose: 'Lire ensemble.', visibility: 'public' } });
    assert.equal(res.status, 201, res.body_text);
    assert.equal(res.json_body.my_role, 'animator', 'the creator animates it');
    res = await api('gina', '/api/v1/communities', { method: 'POST', body: { name: 'Club invité', purpose: 'Non.', visibility: 'public' } });
    assert.equal(res.status, 404);
    assert.equal((await c.gina.get('/communities/new')).status, 404);
    await c.admin.postWithCsrf('/admin/communities/settings', { create: 'animators', private_warn_percent: '30' }, '/admin/communities');
    res = await api('bruno', '/api/v1/communities', { method: 'POST', body: { name: 'Club de foot', purpose: 'Jouer.', visibility: 'public' } });
    assert.equal(res.status, 403, 'back to animators only');
});

test('a member joins a public community at once, with the form, and can post there', async () => {
    const com = await community('anim', 'public');
    const res = await c.bruno.postWithCsrf(`/communities/${com.id}/join`, {}, `/communities/${com.id}`);
    assert.equal(res.status, 303);
    const now = await api('bruno', `/api/v1/communities/${com.id}`);
    assert.equal(now.json_body.my_role, 'member');
    assert.equal(now.json_body.member_count, 2);
    const p = await post('bruno', com.id, 'Premier message public du groupe');
    assert.equal(p.status, 201, p.body_text);
    const page = await c.carla.get(`/communities/${com.id}`);
    assert.ok(page.body_text.includes('Premier message public du groupe'), 'a public community is read by every member');
    const again = await api('bruno', `/api/v1/communities/${com.id}/join`, { method: 'POST' });
    assert.equal(again.status, 409);
});

test('a private community: request, approval by an animator, then its content', async () => {
    const com = await community('anim', 'private');
    const p = await post('anim', com.id, 'Contenu privé marqueur-prive-42');
    assert.equal(p.status, 201);
    let page = await c.bruno.get(`/communities/${com.id}`);
    assert.equal(page.status, 200, 'a private community is listed and has a page');
    assert.ok(page.body_text.includes(esc(com.purpose)));
    assert.ok(!page.body_text.includes('marqueur-prive-42'), 'its content is for members');
    assert.equal((await c.bruno.get(`/communities/${com.id}/members`)).status, 404);
    assert.equal((await api('bruno', `/api/v1/posts/${p.json_body.id}`)).status, 404);
    assert.equal((await api('bruno', `/api/v1/communities/${com.id}`)).json_body.description, null);
    const res = await c.bruno.postWithCsrf(`/communities/${com.id}/join`, {}, `/communities/${com.id}`);
    assert.equal(res.status, 303);
    assert.equal((await api('bruno', `/api/v1/communities/${com.id}`)).json_body.my_state, 'requested');
    page = await c.bruno.get(`/communities/${com.id}`);
    assert.ok(!page.body_text.includes('marqueur-prive-42'), 'a request is not a membership');
    const requests = await api('anim', `/api/v1/communities/${com.id}/requests`);
    assert.deepEqual(requests.json_body.items.map((m) => m.id), [ids.bruno]);
    assert.equal((await api('bruno', `/api/v1/communities/${com.id}/requests`)).status, 404, 'requests are for animators');
    const members = await c.anim.get(`/communities/${com.id}/members`);
    assert.ok(members.body_text.includes('Bruno Petit'));
    const ok = await c.anim.postWithCsrf(`/communities/${com.id}/requests/${ids.bruno}`, { answer: 'approve' }, `/communities/${com.id}/members`);
    assert.equal(ok.status, 303);
    page = await c.bruno.get(`/communities/${com.id}`);
    assert.ok(page.body_text.includes('marqueur-prive-42'), 'an approved member reads it');
    const home = await c.bruno.get('/');
    assert.ok(home.body_text.includes('marqueur-prive-42'), "a community's posts reach its members' home feed");
    const carlaHome = await c.carla.get('/');
    assert.ok(!carlaHome.body_text.includes('marqueur-prive-42'));
    assert.ok(!(await c.carla.get('/posts')).body_text.includes('marqueur-prive-42'));
});

test('a request refused by an animator leaves no membership', async () => {
    const com = await community('anim', 'private');
    assert.equal((await api('carla', `/api/v1/communities/${com.id}/join`, { method: 'POST' })).json_body.my_state, 'requested');
    const bad = await api('bruno', `/api/v1/communities/${com.id}/requests/${ids.carla}/refuse`, { method: 'POST' });
    assert.equal(bad.status, 403, 'only animators answer');
    const res = await api('anim', `/api/v1/communities/${com.id}/requests/${ids.carla}/refuse`, { method: 'POST' });
    assert.equal(res.status, 204);
    const now = await api('carla', `/api/v1/communities/${com.id}`);
    assert.equal(now.json_body.my_state, 'none');
    assert.equal(now.json_body.member_count, 1);
});

test('a secret community: invitation, acceptance, and 404 for everyone else', async () => {
    const com = await community('anim', 'secret');
    await post('anim', com.id, 'Secret marqueur-secret-77');
    assert.equal((await c.bruno.get(`/communities/${com.id}`)).status, 404);
    assert.equal((await api('bruno', `/api/v1/communities/${com.id}/join`, { method: 'POST' })).status, 404);
    const inv = await api('anim', `/api/v1/communities/${com.id}/invitations`, { method: 'POST', body: { member_id: ids.bruno } });
    assert.equal(inv.status, 201, inv.body_text);
    let page = await c.bruno.get(`/communities/${com.id}`);
    assert.equal(page.status, 200, 'the invited member sees it to answer');
    assert.ok(page.body_text.includes('Accepter'));
    assert.ok(!page.body_text.includes('marqueur-secret-77'));
    const dir = await c.bruno.get('/communities');
    assert.ok(dir.body_text.includes(com.name), 'the invitation is shown in the directory');
    const res = await c.bruno.postWithCsrf(`/communities/${com.id}/invitation`, { answer: 'accept' }, `/communities/${com.id}`);
    assert.equal(res.status, 303);
    page = await c.bruno.get(`/communities/${com.id}`);
    assert.ok(page.body_text.includes('marqueur-secret-77'));
    assert.equal((await c.carla.get(`/communities/${com.id}`)).status, 404);
    /* Members do not invite into a secret community; animators do. */
    const byMember = await api('bruno', `/api/v1/communities/${com.id}/invitations`, { method: 'POST', body: { member_id: ids.carla } });
    assert.equal(byMember.status, 403);
    /* Declining an invitation removes it. */
    await api('anim', `/api/v1/communities/${com.id}/invitations`, { method: 'POST', body: { member_id: ids.carla } });
    assert.equal((await api('carla', `/api/v1/communities/${com.id}`)).json_body.my_state, 'invited');
    assert.equal((await api('carla', `/api/v1/communities/${com.id}/invitation/decline`, { method: 'POST' })).status, 204);
    assert.equal((await api('carla', `/api/v1/communities/${com.id}`)).status, 404);
});

test('the last animator can neither leave nor be demoted; with a second one, they can', async () => {
    const com = await community('anim', 'public');
    let res = await api('anim', `/api/v1/communities/${com.id}/members/${ids.anim}`, { method: 'DELETE' });
    assert.equal(res.status, 409);
    assert.match(res.json_body.error.message, /au moins un animateur/);
    res = await c.anim.postWithCsrf(`/communities/${com.id}/leave`, {}, `/communities/${com.id}`);
    assert.equal(res.status, 409);
    assert.match(res.body_text, /au moins un animateur/);
    res = await api('anim', `/api/v1/communities/${com.id}/members/${ids.anim}/role`, { method: 'PUT', body: { role: 'member' } });
    assert.equal(res.status, 409);
    res = await api('anim', `/api/v1/communities/${com.id}/members`, { method: 'POST', body: { member_id: ids.alice } });
    assert.equal(res.status, 201, res.body_text);
    res = await api('alice', `/api/v1/communities/${com.id}/members/${ids.anim}/role`, { method: 'PUT', body: { role: 'member' } });
    assert.equal(res.status, 403, 'a plain member changes no role');
    res = await api('anim', `/api/v1/communities/${com.id}/members/${ids.alice}/role`, { method: 'PUT', body: { role: 'animator' } });
    assert.equal(res.status, 200);
    res = await api('anim', `/api/v1/communities/${com.id}/members/${ids.anim}`, { method: 'DELETE' });
    assert.equal(res.status, 204);
    const now = await api('alice', `/api/v1/communities/${com.id}`);
    assert.equal(now.json_body.my_role, 'animator');
    assert.equal(now.json_body.member_count, 1);
});

test('a removed member loses access at once, in the same session and with the same token', async () => {
    const com = await community('anim', 'secret');
    const p = await post('anim', com.id, 'Retrait marqueur-retrait-9');
    await api('anim', `/api/v1/communities/${com.id}/members`, { method: 'POST', body: { member_id: ids.carla } });
    assert.ok((await c.carla.get(`/communities/${com.id}`)).body_text.includes('marqueur-retrait-9'));
    assert.equal((await api('carla', `/api/v1/posts/${p.json_body.id}`)).status, 200);
    const res = await c.anim.postWithCsrf(`/communities/${com.id}/members/${ids.carla}/remove`, {}, `/communities/${com.id}/members`);
    assert.equal(res.status, 303);
    assert.equal((await c.carla.get(`/communities/${com.id}`)).status, 404);
    assert.equal((await api('carla', `/api/v1/communities/${com.id}`)).status, 404);
    assert.equal((await api('carla', `/api/v1/posts/${p.json_body.id}`)).status, 404);
    assert.equal((await post('carla', com.id, 'encore')).status, 404);
    assert.ok(!(await c.carla.get('/')).body_text.includes('marqueur-retrait-9'));
});

test('an archived community refuses writes, leaves the listings, stays readable by its members', async () => {
    const com = await community('anim', 'public');
    await api('anim', `/api/v1/communities/${com.id}/members`, { method: 'POST', body: { member_id: ids.alice } });
    await post('anim', com.id, 'Avant archive marqueur-archive-5');
    let res = await c.admin.postWithCsrf(`/admin/communities/${com.id}/archive`, { archived: '1' }, '/admin/communities');
    assert.equal(res.status, 303);
    res = await post('alice', com.id, 'Après archive');
    assert.equal(res.status, 403);
    res = await api('bruno', `/api/v1/communities/${com.id}/join`, { method: 'POST' });
    assert.equal(res.status, 403);
    res = await api('anim', `/api/v1/communities/${com.id}`, { method: 'PATCH', body: { purpose: 'Changée.' } });
    assert.equal(res.status, 403);
    res = await api('anim', `/api/v1/communities/${com.id}/members`, { method: 'POST', body: { member_id: ids.bruno } });
    assert.equal(res.status, 403);
    const list = await api('alice', `/api/v1/communities?q=${encodeURIComponent(com.name)}`);
    assert.equal(list.json_body.items.length, 0, 'out of the API listing');
    assert.ok(!(await c.alice.get('/communities')).body_text.includes(com.name), 'out of the directory');
    const page = await c.alice.get(`/communities/${com.id}`);
    assert.equal(page.status, 200);
    assert.ok(page.body_text.includes('marqueur-archive-5'));
    assert.match(page.body_text, /archivée/);
    assert.ok(!page.body_text.includes('name="body"'), 'no compose form');
    assert.equal((await api('alice', `/api/v1/communities/${com.id}`)).json_body.archived, true);
    res = await c.admin.postWithCsrf(`/admin/communities/${com.id}/archive`, { archived: '0' }, '/admin/communities');
    assert.equal(res.status, 303);
    assert.equal((await post('alice', com.id, 'Rouverte')).status, 201);
});

test('guests see only the communities they were added to, and only animators add them', async () => {
    const pub = await community('anim', 'public');
    const mine = await community('anim', 'private');
    await api('anim', `/api/v1/communities/${mine.id}/members`, { method: 'POST', body: { member_id: ids.alice } });
    let res = await api('alice', `/api/v1/communities/${mine.id}/invitations`, { method: 'POST', body: { member_id: ids.gina } });
    assert.equal(res.status, 403, 'a plain member does not invite a guest');
    res = await api('anim', `/api/v1/communities/${mine.id}/members`, { method: 'POST', body: { member_id: ids.gina } });
    assert.equal(res.status, 201);
    const list = await api('gina', '/api/v1/communities');
    assert.deepEqual(list.json_body.items.map((x) => x.id), [mine.id]);
    assert.equal((await c.gina.get(`/communities/${pub.id}`)).status, 404);
    assert.equal((await api('gina', `/api/v1/communities/${pub.id}/join`, { method: 'POST' })).status, 404);
    const page = await c.gina.get(`/communities/${mine.id}`);
    assert.equal(page.status, 200);
    assert.equal((await post('gina', mine.id, 'Bonjour de la part d’une invitée')).status, 201);
    const dir = await c.gina.get('/communities');
    assert.ok(dir.body_text.includes(mine.name));
    assert.ok(!dir.body_text.includes(pub.name));
});

test('a secret community answers 404 exactly like a missing one (pages and API)', async () => {
    const com = await community('anim', 'secret');
    for (const suffix of ['', '/about', '/members', '/edit', '/cover']) {
        const a = await c.bruno.get(`/communities/${com.id}${suffix}`);
        const b = await c.bruno.get(`/communities/99999999${suffix}`);
        assert.equal(a.status, 404, suffix);
        assert.equal(b.status, 404, suffix);
        assert.equal(a.body_text, b.body_text, `same body for ${suffix}`);
    }
    for (const [method, suffix, body] of [['GET', '', undefined], ['POST', '/join', undefined], ['GET', '/members', undefined], ['POST', '/members', { member_id: ids.bruno }], ['PATCH', '', { name: 'x' }]]) {
        const a = await api('bruno', `/api/v1/communities/${com.id}${suffix}`, { method, body });
        const b = await api('bruno', `/api/v1/communities/99999999${suffix}`, { method, body });
        assert.equal(a.status, 404, `${method} ${suffix}`);
        assert.equal(a.body_text, b.body_text, `${method} ${suffix}`);
    }
    const a = await c.bruno.postWithCsrf(`/communities/${com.id}/join`, {}, '/communities');
    const b = await c.bruno.postWithCsrf('/communities/99999999/join', {}, '/communities');
    assert.equal(a.status, 404);
    assert.equal(a.body_text, b.body_text);
    assert.ok(!(await c.bruno.get('/communities?kind=secret')).body_text.includes(com.name));
});

test('the directory searches by folded name and filters by kind and "mine", paginated', async () => {
    await api('anim', '/api/v1/communities', { method: 'POST', body: { name: 'Écologie au bureau', purpose: 'Réduire nos déchets.', visibility: 'public' } });
    await api('anim', '/api/v1/communities', { method: 'POST', body: { name: 'Ecologie et mobilité', purpose: 'Moins de voitures.', visibility: 'private' } });
    let res = await api('carla', '/api/v1/communities?q=ECOLOGIE');
    assert.deepEqual(res.json_body.items.map((x) => x.name).sort(), ['Ecologie et mobilité', 'Écologie au bureau']);
    res = await api('carla', '/api/v1/communities?q=ecologie&kind=private');
    assert.deepEqual(res.json_body.items.map((x) => x.name), ['Ecologie et mobilité']);
    res = await api('carla', '/api/v1/communities?kind=hidden');
    assert.equal(res.status, 400);
    res = await api('anim', '/api/v1/communities?q=ecologie&mine=1');
    assert.equal(res.json_body.items.length, 2);
    res = await api('carla', '/api/v1/communities?q=ecologie&mine=1');
    assert.equal(res.json_body.items.length, 0);
    const page = await c.carla.get('/communities?q=%C3%A9cologie&kind=public');
    assert.equal(page.status, 200);
    assert.ok(page.body_text.includes('Écologie au bureau'));
    assert.ok(page.body_text.includes('Réduire nos déchets.'));
    assert.ok(!page.body_text.includes('Ecologie et mobilité'));
    assert.match(page.body_text, /class="members">1 membre</);
    /* Pagination by key: every community once, in name order. */
    const seen = [];
    let cursor = '';
    for (let i = 0; i < 50; i++) {
        res = await api('anim', `/api/v1/communities?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
        assert.equal(res.status, 200);
        seen.push(...res.json_body.items.map((x) => x.id));
        if (!res.json_body.next) break;
        cursor = res.json_body.next;
    }
    assert.equal(new Set(seen).size, seen.length, 'no community twice');
    const all = await api('anim', '/api/v1/communities?limit=100');
    assert.deepEqual(seen, all.json_body.items.map((x) => x.id));
});

test('the policy page is for administrators, with health figures and the private share warning', async () => {
    assert.equal((await c.alice.get('/admin/communities')).status, 404);
    assert.equal((await c.anim.get('/admin/communities')).status, 404);
    let page = await c.admin.get('/admin/communities');
    assert.equal(page.status, 200);
    assert.ok(page.body_text.includes('Covoiturage Lyon'));
    assert.match(page.body_text, /<table class="policy">/);
    /* Many private and secret communities were created above: more than 30 %. */
    assert.match(page.body_text, /class="error ratio-warning"/);
    let res = await c.admin.postWithCsrf('/admin/communities/settings', { create: 'animators', private_warn_percent: '100' }, '/admin/communities');
    assert.equal(res.status, 303);
    page = await c.admin.get('/admin/communities');
    assert.doesNotMatch(page.body_text, /ratio-warning/);
    assert.match(page.body_text, /value="100"/);
    res = await c.admin.postWithCsrf('/admin/communities/settings', { create: 'animators', private_warn_percent: '101' }, '/admin/communities');
    assert.equal(res.status, 400);
    res = await c.alice.postWithCsrf('/admin/communities/settings', { create: 'members', private_warn_percent: '0' }, '/communities');
    assert.equal(res.status, 404);
    await c.admin.postWithCsrf('/admin/communities/settings', { create: 'animators', private_warn_percent: '30' }, '/admin/communities');
});

test('profile fields visible to "my communities" reach members who share one, in pages and filters', async () => {
    const res = await api('dora', `/api/v1/people/${ids.dora}`, { method: 'PATCH', body: { department: 'Expédition', department_visibility: 'communities' } });
    assert.equal(res.status, 200, res.body_text);
    const find = () => api('eric', '/api/v1/people?department=Exp%C3%A9dition');
    assert.equal((await find()).json_body.items.length, 0, 'hidden from a member who shares nothing');
    assert.equal((await api('eric', `/api/v1/people/${ids.dora}`)).json_body.department, undefined);
    const com = await community('anim', 'private');
    for (const who of ['dora', 'eric'])
        assert.equal((await api('anim', `/api/v1/communities/${com.id}/members`, { method: 'POST', body: { member_id: ids[who] } })).status, 201);
    assert.deepEqual((await find()).json_body.items.map((p) => p.id), [ids.dora]);
    assert.equal((await api('eric', `/api/v1/people/${ids.dora}`)).json_body.department, 'Expédition');
    assert.ok((await c.eric.get(`/people/${ids.dora}`)).body_text.includes('Expédition'));
    await api('anim', `/api/v1/communities/${com.id}/members/${ids.eric}`, { method: 'DELETE' });
    assert.equal((await find()).json_body.items.length, 0, 'hidden again once removed');
});

/* POST a multipart form with a file field "cover" (and the CSRF token of the page at from). */
async function postCover(client, path, fields, bytes, from) {
    const fd = new FormData();
    fd.append('csrf_token', await client.csrf(from));
    for (const [k, v] of Object.entries(fields)) fd.append(k, v);
    if (bytes) fd.append('cover', new Blob([bytes], { type: 'image/png' }), 'cover.png');
    return client.fetch(path, { method: 'POST', body: fd });
}

async function getBytes(client, path) {
    const res = await fetch(new URL(path, srv.url), { headers: { cookie: client.cookieHeader() }, redirect: 'manual' });
    return { status: res.status, type: res.headers.get('content-type'), buf: Buffer.from(await res.arrayBuffer()) };
}

test('a cover image is re-encoded, served with the community\'s access rule, and can be removed', async () => {
    let res = await postCover(c.anim, '/communities', { name: 'Avec couverture', purpose: 'Montrer une image.', visibility: 'secret' }, makePng(64, 32), '/communities/new');
    assert.equal(res.status, 303, res.body_text.slice(0, 300));
    const path = res.headers.get('location');
    const id = Number(path.split('/').pop());
    const page = await c.anim.get(path);
    assert.match(page.body_text, new RegExp(`<img class="cover" src="/communities/${id}/cover"`));
    let img = await getBytes(c.anim, `${path}/cover`);
    assert.equal(img.status, 200);
    assert.equal(img.type, 'image/jpeg');
    assert.equal(img.buf[0], 0xff, 'a JPEG');
    assert.equal(img.buf[1], 0xd8);
    assert.equal((await getBytes(c.bruno, `${path}/cover`)).status, 404, 'not for a non-member of a secret community');
    res = await postCover(c.anim, `${path}/edit`, { name: 'Avec couverture', purpose: 'Montrer une image.', visibility: 'secret' }, Buffer.from('not an image'), `${path}/edit`);
    assert.equal(res.status, 400);
    assert.match(res.body_text, /id="cover-error"/);
    res = await postCover(c.anim, `${path}/edit`, { name: 'Avec couverture', purpose: 'Une autre phrase.', visibility: 'secret', cover_remove: '1' }, null, `${path}/edit`);
    assert.equal(res.status, 303);
    assert.equal((await getBytes(c.anim, `${path}/cover`)).status, 404);
    assert.equal((await api('anim', `/api/v1/communities/${id}`)).json_body.purpose, 'Une autre phrase.');
    assert.equal((await c.alice.postWithCsrf(`${path}/edit`, { name: 'Volée' }, '/communities')).status, 404);
});

test('a profile lists the communities its member belongs to, but never one the viewer may not know', async () => {
    const pub = await community('anim', 'public');
    const secret = await community('anim', 'secret');
    const profile = `/people/${ids.anim}`;
    let page = (await c.bruno.get(profile)).body_text;
    assert.ok(page.includes(esc(pub.name)), 'a public community is listed');
    assert.ok(page.includes(esc(pub.purpose)), 'with its purpose');
    assert.ok(!page.includes(esc(secret.name)), 'a secret one is not, for a non-member');
    await api('anim', `/api/v1/communities/${secret.id}/members`, { method: 'POST', body: { member_id: ids.bruno } });
    page = (await c.bruno.get(profile)).body_text;
    assert.ok(page.includes(esc(secret.name)), 'its members see it');
    assert.ok(!(await c.carla.get(profile)).body_text.includes(esc(secret.name)), 'others still do not');
});

test('people to meet: members of one\'s communities with complementary skills, not only the department', async () => {
    const com = await community('anim', 'public');
    for (const who of ['bruno', 'carla'])
        assert.equal((await api(who, `/api/v1/communities/${com.id}/join`, { method: 'POST' })).status < 300, true);
    const patch = await api('carla', `/api/v1/people/${ids.carla}`, { method: 'PATCH', body: { skills: ['marqueterie'] } });
    assert.equal(patch.status, 200, patch.body_text);
    await api('bruno', `/api/v1/people/${ids.carla}/follow`, { method: 'DELETE' });
    const home = (await c.bruno.get('/')).body_text;
    assert.match(home, new RegExp(`<li class="suggestion" data-id="${ids.carla}">[\\s\\S]*?marqueterie`));
});
