/*
 * 09-api-contract-tour: one pass through every endpoint of docs/api/index.json with the
 * answers the feature scenarios do not all reach (a community's members, invitations,
 * requests and pins, a reply's edit, a thread's deletion...), and the refusals that come
 * from the HTTP layer (415, 405, 429, 401, 403 password_change_required, 413).
 *
 * The assertions here are about statuses; the contract itself is checked by the harness
 * (lib/client.mjs validates every /api/ answer against docs/api/, see 08-api-schemas), so a
 * body that drifts from its schema fails this file.  The last test checks that the tour saw
 * every documented success answer at least once.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';
import { Client, apiToken, rawRequest } from './lib/client.mjs';
import { findEndpoint, loadApiSchemas } from './lib/api-schema.mjs';
import { makePng } from './lib/images.mjs';
import { open, closeAll, bearer } from './lib/sse.mjs';

const PW = 'correct-horse-1';
const USERS = {
    anim: { email: 'anim@example.test', name: 'Anne Animatrice', password: PW, role: 'animator' },
    bruno: { email: 'bruno@example.test', name: 'Bruno Petit', password: PW },
    carla: { email: 'carla@example.test', name: 'Carla Durand', password: PW },
    dora: { email: 'dora@example.test', name: 'Dora Lemaire', password: PW },
    temp: { email: 'temp@example.test', name: 'Tom Provisoire', password: PW, temporary: true },
};

let srv;
const ids = {};
const tokens = {};
const seen = new Set(); /* "METHOD /pattern STATUS" of the answers this file got */

before(async () => {
    srv = await startServer({ users: Object.values(USERS) });
    for (const [key, u] of Object.entries(USERS)) {
        tokens[key] = await apiToken(srv.url, u.email, u.password);
        ids[key] = (await api(key, '/api/v1/me')).json_body.id;
    }
});

after(async () => {
    closeAll();
    if (srv) await srv.stopChecked();
});

/* An API call with who's bearer token; expect: the status it must answer. */
async function api(who, path, { expect, ...opts } = {}) {
    const method = opts.method ?? 'GET';
    const res = await new Client(srv.url).json(path, { ...opts, headers: { ...bearer(tokens[who]), ...(opts.headers || {}) } });
    const e = findEndpoint(method, new URL(path, srv.url).pathname);
    if (e) seen.add(`${e.key} ${res.status}`);
    if (expect !== undefined) assert.equal(res.status, expect, `${method} ${path}: ${res.body_text.slice(0, 300)}`);
    return res;
}

test('auth and people: session, me, directory, experts, profile, follow, photo', async () => {
    await api('bruno', `/api/v1/people/${ids.bruno}`, { method: 'PATCH', body: { job: 'Comptable', skills: ['paie', 'comptabilité'], birthday: '1980-03-12', birthday_visibility: 'everyone', phone: '+33 4 12 34 56 78' }, expect: 200 });
    await api('carla', '/api/v1/people?q=bru', { expect: 200 });
    const experts = await api('carla', '/api/v1/people/experts?q=paie', { expect: 200 });
    assert.ok(experts.json_body.items.some((p) => p.id === ids.bruno));
    const seenByOther = await api('carla', `/api/v1/people/${ids.bruno}`, { expect: 200 });
    assert.equal(seenByOther.json_body.birthday, '03-12', 'no year for others');
    await api('carla', `/api/v1/people/${ids.bruno}/follow`, { method: 'POST', expect: 204 });
    await api('carla', `/api/v1/people/${ids.bruno}/follow`, { method: 'DELETE', expect: 204 });
    const png = makePng(80, 80);
    const put = await new Client(srv.url).fetch('/api/v1/me/photo?visibility=communities', { method: 'PUT', headers: { ...bearer(tokens.bruno), 'content-type': 'image/png' }, body: png });
    assert.equal(put.status, 200, put.body_text);
    seen.add('PUT /api/v1/me/photo 200');
    await api('bruno', '/api/v1/me/photo', { method: 'DELETE', expect: 204 });
    const t = await apiToken(srv.url, USERS.dora.email, USERS.dora.password);
    seen.add('POST /api/v1/session 201');
    const del = await new Client(srv.url).fetch('/api/v1/session', { method: 'DELETE', headers: bearer(t) });
    assert.equal(del.status, 204);
    seen.add('DELETE /api/v1/session 204');
});

test('the live stream answers text/event-stream', async () => {
    const s = await open(`${srv.url}/api/v1/live`, bearer(tokens.bruno));
    assert.equal(s.status, 200);
    seen.add('GET /api/v1/live 200');
    s.close();
});

test('feed: post, read, edit, react, comment, delete', async () => {
    const post = (await api('bruno', '/api/v1/posts', { method: 'POST', body: { body: 'Bilan #paie du mois, merci @Carla Durand' }, expect: 201 })).json_body;
    await api('carla', '/api/v1/feed?limit=5', { expect: 200 });
    await api('carla', `/api/v1/posts/${post.id}`, { expect: 200 });
    await api('bruno', `/api/v1/posts/${post.id}`, { method: 'PATCH', body: { body: 'Bilan #paie du mois (corrigé)' }, expect: 200 });
    const reacted = await api('carla', `/api/v1/posts/${post.id}/reactions`, { method: 'POST', body: { kind: 'bravo' }, expect: 200 });
    assert.equal(reacted.json_body.my_reaction, 'bravo');
    await api('carla', `/api/v1/posts/${post.id}/reactions`, { method: 'DELETE', expect: 204 });
    const comment = (await api('carla', `/api/v1/posts/${post.id}/comments`, { method: 'POST', body: { body: 'Merci !' }, expect: 201 })).json_body;
    await api('bruno', `/api/v1/posts/${post.id}/comments`, { method: 'POST', body: { body: 'De rien', parent_id: comment.id }, expect: 201 });
    const list = await api('bruno', `/api/v1/posts/${post.id}/comments`, { expect: 200 });
    assert.equal(list.json_body.items.length, 2);
    await api('bruno', `/api/v1/posts/${post.id}`, { method: 'DELETE', expect: 204 });
});

test('communities: create, edit, request and approve, invite and accept, roles, pins, removal', async () => {
    const com = (await api('anim', '/api/v1/communities', { method: 'POST', body: { name: 'Paie et social', purpose: 'Partager les questions de paie entre services.', visibility: 'private' }, expect: 201 })).json_body;
    await api('anim', `/api/v1/communities/${com.id}`, { method: 'PATCH', body: { description: 'Les **échéances** du mois.' }, expect: 200 });
    await api('bruno', '/api/v1/communities?limit=10', { expect: 200 });
    await api('bruno', `/api/v1/communities/${com.id}`, { expect: 200 });

    const asked = await api('bruno', `/api/v1/communities/${com.id}/join`, { method: 'POST', expect: 200 });
    assert.equal(asked.json_body.my_state, 'requested');
    await api('anim', `/api/v1/communities/${com.id}/requests`, { expect: 200 });
    await api('anim', `/api/v1/communities/${com.id}/requests/${ids.bruno}/approve`, { method: 'POST', expect: 200 });
    await api('dora', `/api/v1/communities/${com.id}/join`, { method: 'POST', expect: 200 });
    await api('anim', `/api/v1/communities/${com.id}/requests/${ids.dora}/refuse`, { method: 'POST', expect: 204 });

    await api('anim', `/api/v1/communities/${com.id}/invitations`, { method: 'POST', body: { member_id: ids.carla }, expect: 201 });
    await api('anim', `/api/v1/communities/${com.id}/invitations`, { expect: 200 });
    const accepted = await api('carla', `/api/v1/communities/${com.id}/invitation/accept`, { method: 'POST', expect: 200 });
    assert.equal(accepted.json_body.my_state, 'member');
    await api('anim', `/api/v1/communities/${com.id}/invitations`, { method: 'POST', body: { member_id: ids.dora }, expect: 201 });
    await api('anim', `/api/v1/communities/${com.id}/invitations/${ids.dora}`, { method: 'DELETE', expect: 204 });
    await api('anim', `/api/v1/communities/${com.id}/invitations`, { method: 'POST', body: { member_id: ids.dora }, expect: 201 });
    await api('dora', `/api/v1/communities/${com.id}/invitation/decline`, { method: 'POST', expect: 204 });

    await api('anim', `/api/v1/communities/${com.id}/members`, { method: 'POST', body: { member_id: ids.dora }, expect: 201 });
    const members = await api('bruno', `/api/v1/communities/${com.id}/members`, { expect: 200 });
    assert.ok(members.json_body.items.length >= 4);
    await api('anim', `/api/v1/communities/${com.id}/members/${ids.bruno}/role`, { method: 'PUT', body: { role: 'animator' }, expect: 200 });
    await api('bruno', `/api/v1/communities/${com.id}/members/${ids.dora}`, { method: 'DELETE', expect: 204 });

    const post = (await api('carla', '/api/v1/posts', { method: 'POST', body: { body: 'Calendrier de clôture', community_id: com.id }, expect: 201 })).json_body;
    await api('bruno', `/api/v1/communities/${com.id}/pins`, { method: 'POST', body: { post_id: post.id }, expect: 200 });
    assert.equal((await api('carla', `/api/v1/posts/${post.id}`, { expect: 200 })).json_body.pinned, true);
    await api('bruno', `/api/v1/communities/${com.id}/pins/${post.id}`, { method: 'DELETE', expect: 204 });
    const elsewhere = (await api('carla', '/api/v1/posts', { method: 'POST', body: { body: 'Sur mon profil' }, expect: 201 })).json_body;
    await api('bruno', `/api/v1/communities/${com.id}/pins`, { method: 'POST', body: { post_id: elsewhere.id }, expect: 404 });

    const thread = (await api('carla', `/api/v1/communities/${com.id}/discussions`, { method: 'POST', body: { title: 'Prime de fin d’année', body: 'Quand est-elle versée ?' }, expect: 201 })).json_body;
    const reply = (await api('bruno', `/api/v1/discussions/${thread.id}/replies`, { method: 'POST', body: { body: 'En décembre.' }, expect: 201 })).json_body;
    await api('bruno', `/api/v1/discussions/${thread.id}/replies/${reply.id}`, { method: 'PATCH', body: { body: 'Avec la paie de décembre.' }, expect: 200 });
    const resolved = await api('carla', `/api/v1/discussions/${thread.id}/resolve`, { method: 'POST', body: { reply_id: reply.id }, expect: 200 });
    assert.equal(resolved.json_body.resolved, true);
    await api('anim', `/api/v1/discussions/${thread.id}`, { method: 'PATCH', body: { sticky: true }, expect: 200 });
    await api('bruno', `/api/v1/communities/${com.id}/discussions`, { expect: 200 });
    await api('bruno', `/api/v1/discussions/${thread.id}?after=0`, { expect: 200 });
    await api('anim', `/api/v1/discussions/${thread.id}/subscription`, { method: 'POST', expect: 200 });
    await api('anim', `/api/v1/discussions/${thread.id}/subscription`, { method: 'DELETE', expect: 200 });
    const second = (await api('bruno', `/api/v1/discussions/${thread.id}/replies`, { method: 'POST', body: { body: 'Et en juin ?' }, expect: 201 })).json_body;
    await api('bruno', `/api/v1/discussions/${thread.id}/replies/${second.id}`, { method: 'DELETE', expect: 204 });
    await api('carla', `/api/v1/discussions/${thread.id}`, { method: 'DELETE', expect: 204 });
});

test('refusals of the HTTP layer are error envelopes too', async () => {
    const plain = await new Client(srv.url).fetch('/api/v1/posts', { method: 'POST', headers: { ...bearer(tokens.bruno), 'content-type': 'text/plain' }, body: 'Bonjour' });
    assert.equal(plain.status, 415);
    const wrongMethod = await new Client(srv.url).json('/api/v1/me', { method: 'PUT', headers: bearer(tokens.bruno), body: {} });
    assert.equal(wrongMethod.status, 405);
    assert.equal((await new Client(srv.url).json('/api/v1/feed', { headers: bearer('not-a-token') })).status, 401);
    await api('temp', '/api/v1/feed', { expect: 403 });
    assert.equal((await api('temp', '/api/v1/feed')).json_body.error.code, 'password_change_required');
    const big = await rawRequest(srv.url, { method: 'POST', path: '/api/v1/no-such-thing', headers: { 'content-type': 'application/json', 'content-length': String(2 * 1024 * 1024) }, bodyChunk: Buffer.alloc(64 * 1024, ' '), bodyLength: 2 * 1024 * 1024 });
    assert.equal(big.status, 413);
    let last;
    for (let i = 0; i < 6; i++) last = await new Client(srv.url).json('/api/v1/session', { method: 'POST', body: { email: 'nobody@example.test', password: 'wrong' } });
    assert.equal(last.status, 429);
    assert.ok(last.headers.get('retry-after'));
});

test('the tour met every success answer documented in docs/api/index.json', () => {
    const missing = [];
    for (const [key, answers] of Object.entries(loadApiSchemas().index.endpoints)) {
        for (const status of Object.keys(answers)) if (!seen.has(`${key} ${status}`)) missing.push(`${key} ${status}`);
    }
    assert.deepEqual(missing, [], `answers never met: add them to this tour`);
});
