/*
 * 41-groups-discussions: the forum of communities.  Starting a thread (form and API), refused
 * input kept and nothing saved, replies and the order by last activity, sticky threads first,
 * locked threads refusing replies, the best answer that resolves a thread, subscriptions and
 * their notifications, edit and delete rights, keyset pages, 404 for whoever may not read a
 * private or secret community (pages and API, nothing of it in any body), a removed member
 * losing access at once, an archived community read-only, and hostile strings rendered inert.
 *
 * Everything is created through HTTP: communities by an animator with the communities API,
 * members added by that animator.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { startServer } from './lib/server.mjs';
import { signIn, apiToken, Client } from './lib/client.mjs';
import { launchBrowser, watchPage, addClientCookies } from './lib/browser.mjs';

const PW = 'correct-horse-1';
const USERS = {
    anim: { email: 'anne@example.test', name: 'Anne Animatrice', password: PW, role: 'animator' },
    bruno: { email: 'bruno@example.test', name: 'Bruno Petit', password: PW },
    carol: { email: 'carol@example.test', name: 'Carole Durand', password: PW },
    dave: { email: 'dave@example.test', name: 'David Dehors', password: PW },
    guest: { email: 'gaston@example.test', name: 'Gaston Invité', password: PW, role: 'guest' },
    admin: { email: 'admin@example.test', name: 'Ada Admin', password: PW, role: 'admin' },
};

let srv;
const c = {}; /* signed-in clients (cookies) */
const tokens = {};
const ids = {};
const comm = {}; /* community ids: pub, priv, sec, pages, arch */

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/* A JSON request with a bearer token (no cookie, so no CSRF header needed). */
function api(who, path, opts = {}) {
    return new Client(srv.url).json(path, { ...opts, headers: { authorization: `Bearer ${tokens[who]}` } });
}

async function apiOk(who, path, opts = {}, status = 200) {
    const res = await api(who, path, opts);
    assert.equal(res.status, status, `${opts.method || 'GET'} ${path} as ${who}: ${res.status} ${res.body_text.slice(0, 300)}`);
    return res.json_body;
}

/* A community created by the animator through the API, with members added at once. */
async function createCommunity(name, visibility, members = []) {
    const body = await apiOk('anim', '/api/v1/communities', {
        method: 'POST',
        body: { name, purpose: `Échanger autour de ${name}.`, visibility },
    }, 201);
    for (const who of members) await addMember(body.id, who);
    return body.id;
}

/* Add member who to community id through the API (201 or 200 both mean added). */
async function addMember(id, who) {
    const res = await api('anim', `/api/v1/communities/${id}/members`, { method: 'POST', body: { member_id: ids[who] } });
    assert.ok([200, 201, 204].includes(res.status), `adding ${who} to ${id}: ${res.status} ${res.body_text.slice(0, 300)}`);
}

async function thread(who, communityId, title, body = 'Le texte de la question.') {
    return apiOk(who, `/api/v1/communities/${communityId}/discussions`, { method: 'POST', body: { title, body } }, 201);
}

async function reply(who, discussionId, body) {
    return apiOk(who, `/api/v1/discussions/${discussionId}/replies`, { method: 'POST', body: { body } }, 201);
}

async function listTitles(who, communityId, query = '') {
    const res = await apiOk(who, `/api/v1/communities/${communityId}/discussions${query}`);
    return res.items.map((d) => d.title);
}

/* POST a form of a thread page with the page's CSRF token. */
function postOnThread(who, discussionId, path, fields = {}) {
    return c[who].postWithCsrf(path, fields, `/discussions/${discussionId}`);
}

/* The unread count shown in the header (the bell), as a number. */
async function unread(who) {
    const html = (await c[who].get('/notifications')).body_text;
    const m = html.match(/data-live-count="notifications\.unread"[^>]*><span class="live-count">(\d+)</);
    assert.ok(m, 'the bell shows a count');
    return Number(m[1]);
}

before(async () => {
    srv = await startServer({ users: Object.values(USERS) });
    for (const [key, u] of Object.entries(USERS)) {
        c[key] = (await signIn(srv.url, u.email, u.password)).client;
        tokens[key] = await apiToken(srv.url, u.email, u.password);
        ids[key] = (await api(key, '/api/v1/me')).json_body.id;
    }
    comm.pub = await createCommunity('Jardin partagé', 'public', ['bruno', 'carol']);
    comm.priv = await createCommunity('Comité de direction', 'private', ['bruno', 'carol']);
    comm.sec = await createCommunity('Projet Hermès', 'secret', ['bruno', 'carol']);
});

after(async () => {
    if (srv) await srv.stopChecked();
});

test('a member starts a thread with the form; it renders its Markdown and its author follows it', async () => {
    const form = await c.bruno.get(`/communities/${comm.pub}/discussions/new`);
    assert.equal(form.status, 200);
    assert.match(form.body_text, /name="title"/);
    assert.match(form.body_text, /name="body"/);
    const res = await c.bruno.postWithCsrf(`/communities/${comm.pub}/discussions/new`,
        { title: '  Quelles graines pour le printemps ?  ', body: 'Je propose **des tomates** et des radis.' },
        `/communities/${comm.pub}/discussions/new`);
    assert.equal(res.status, 303, res.body_text.slice(0, 300));
    const loc = res.headers.get('location');
    const m = loc.match(/\/discussions\/(\d+)$/);
    assert.ok(m, loc);
    const page = await c.carol.get(`/discussions/${m[1]}`);
    assert.equal(page.status, 200);
    assert.match(page.body_text, /<h1>Quelles graines pour le printemps \?/);
    assert.match(page.body_text, /<strong>des tomates<\/strong>/);
    assert.match(page.body_text, /Bruno Petit/);
    const mine = await c.bruno.get(`/discussions/${m[1]}`);
    assert.match(mine.body_text, /Ne plus suivre/, 'the author follows the thread');
    const json = await apiOk('bruno', `/api/v1/discussions/${m[1]}`);
    assert.equal(json.title, 'Quelles graines pour le printemps ?', 'title stored trimmed');
    assert.equal(json.subscribed, true);
    assert.equal(json.community_id, comm.pub);
    assert.deepEqual(json.replies, []);
    const list = await c.carol.get(`/communities/${comm.pub}/discussions`);
    assert.equal(list.status, 200);
    assert.ok(list.body_text.includes('Quelles graines pour le printemps ?'));
    assert.match(list.body_text, /Nouvelle discussion/);
});

test('an over-long title is refused with 400 naming it, the typed text kept and nothing saved', async () => {
    const before = (await apiOk('bruno', `/api/v1/communities/${comm.pub}/discussions`)).items.length;
    const long = 't'.repeat(201);
    const res = await c.bruno.postWithCsrf(`/communities/${comm.pub}/discussions/new`,
        { title: long, body: 'Un texte que je ne veux pas perdre.' }, `/communities/${comm.pub}/discussions/new`);
    assert.equal(res.status, 400);
    assert.match(res.body_text, /id="title-error"/);
    assert.match(res.body_text, /200 caractères/);
    assert.match(res.body_text, /Un texte que je ne veux pas perdre\./);
    assert.ok(res.body_text.includes(`value="${long}"`), 'the title is kept');
    const empty = await c.bruno.postWithCsrf(`/communities/${comm.pub}/discussions/new`,
        { title: 'Un titre', body: '   ' }, `/communities/${comm.pub}/discussions/new`);
    assert.equal(empty.status, 400);
    assert.match(empty.body_text, /id="body-error"/);
    const viaApi = await api('bruno', `/api/v1/communities/${comm.pub}/discussions`, { method: 'POST', body: { title: long, body: 'x' } });
    assert.equal(viaApi.status, 400);
    assert.equal(viaApi.json_body.error.field, 'title');
    const longBody = await api('bruno', `/api/v1/communities/${comm.pub}/discussions`, { method: 'POST', body: { title: 'Titre', body: 'b'.repeat(10001) } });
    assert.equal(longBody.status, 400);
    assert.equal(longBody.json_body.error.field, 'body');
    const wrongType = await api('bruno', `/api/v1/communities/${comm.pub}/discussions`, { method: 'POST', body: { title: 3, body: 'x' } });
    assert.equal(wrongType.status, 400);
    assert.equal(wrongType.json_body.error.field, 'title');
    const unknown = await api('bruno', `/api/v1/communities/${comm.pub}/discussions`, { method: 'POST', body: { title: 'T', body: 'x', sticky: true } });
    assert.equal(unknown.status, 400);
    assert.equal(unknown.json_body.error.field, 'sticky');
    const after = (await apiOk('bruno', `/api/v1/communities/${comm.pub}/discussions`)).items.length;
    assert.equal(after, before, 'nothing saved');
});

test('threads are ordered by last activity: a reply brings a thread to the top and counts', async () => {
    const id = await createCommunity('Ordre des fils', 'public', ['bruno']);
    const a = await thread('bruno', id, 'Fil A');
    await sleep(3);
    await thread('bruno', id, 'Fil B');
    await sleep(3);
    await thread('anim', id, 'Fil C');
    assert.deepEqual(await listTitles('bruno', id), ['Fil C', 'Fil B', 'Fil A']);
    const activityBefore = (await apiOk('bruno', `/api/v1/communities/${id}`)).last_activity_ms;
    await sleep(3);
    const r = await reply('anim', a.id, 'Une réponse qui remonte le fil A.');
    assert.equal(r.discussion_id, a.id);
    assert.equal(r.author.id, ids.anim);
    assert.deepEqual(await listTitles('bruno', id), ['Fil A', 'Fil C', 'Fil B']);
    const after = await apiOk('bruno', `/api/v1/discussions/${a.id}`);
    assert.equal(after.reply_count, 1);
    assert.ok(after.last_activity_ms > a.last_activity_ms);
    assert.equal(after.replies.length, 1);
    assert.equal(after.replies[0].body, 'Une réponse qui remonte le fil A.');
    const activityAfter = (await apiOk('bruno', `/api/v1/communities/${id}`)).last_activity_ms;
    assert.ok(activityAfter > activityBefore, 'the community shows the activity');
    const page = await c.bruno.get(`/communities/${id}/discussions`);
    assert.ok(page.body_text.indexOf('Fil A') < page.body_text.indexOf('Fil C'));
    assert.ok(page.body_text.indexOf('Fil C') < page.body_text.indexOf('Fil B'));
    assert.match(page.body_text, /1 réponse/);
    /* A thread page anchors each reply. */
    const threadPage = await c.bruno.get(`/discussions/${a.id}`);
    assert.match(threadPage.body_text, new RegExp(`id="reply-${r.id}"`));
});

test('sticky threads come first, set only by animators', async () => {
    const id = await createCommunity('Épingles', 'public', ['bruno']);
    const old = await thread('bruno', id, 'Règles du groupe');
    await sleep(3);
    await thread('bruno', id, 'Question récente');
    const refused = await postOnThread('bruno', old.id, `/discussions/${old.id}/sticky`, { sticky: '1' });
    assert.equal(refused.status, 403);
    const refusedApi = await api('bruno', `/api/v1/discussions/${old.id}`, { method: 'PATCH', body: { sticky: true } });
    assert.equal(refusedApi.status, 403);
    assert.deepEqual(await listTitles('bruno', id), ['Question récente', 'Règles du groupe']);
    const ok = await postOnThread('anim', old.id, `/discussions/${old.id}/sticky`, { sticky: '1' });
    assert.equal(ok.status, 303, ok.body_text.slice(0, 300));
    assert.deepEqual(await listTitles('bruno', id), ['Règles du groupe', 'Question récente']);
    const page = await c.bruno.get(`/communities/${id}/discussions`);
    assert.match(page.body_text, /Épinglé/);
    const json = await apiOk('bruno', `/api/v1/discussions/${old.id}`);
    assert.equal(json.sticky, true);
    /* Activity elsewhere does not move it below. */
    await sleep(3);
    await thread('bruno', id, 'Encore plus récent');
    assert.equal((await listTitles('bruno', id))[0], 'Règles du groupe');
    const unstick = await apiOk('anim', `/api/v1/discussions/${old.id}`, { method: 'PATCH', body: { sticky: false } });
    assert.equal(unstick.sticky, false);
    assert.deepEqual(await listTitles('bruno', id), ['Encore plus récent', 'Question récente', 'Règles du groupe']);
});

test('a locked thread refuses replies with 403 and a clear message, and shows no reply form', async () => {
    const t = await thread('bruno', comm.pub, 'Fil à verrouiller');
    const lock = await postOnThread('anim', t.id, `/discussions/${t.id}/lock`, { locked: '1' });
    assert.equal(lock.status, 303);
    const page = await c.bruno.get(`/discussions/${t.id}`);
    assert.match(page.body_text, /Verrouillé/);
    assert.match(page.body_text, /verrouillée/);
    assert.ok(!page.body_text.includes(`action="/discussions/${t.id}/replies"`), 'no reply form');
    const form = await postOnThread('bruno', t.id, `/discussions/${t.id}/replies`, { body: 'Je réponds quand même.' });
    assert.equal(form.status, 403);
    assert.match(form.body_text, /verrouillée/);
    const viaApi = await api('carol', `/api/v1/discussions/${t.id}/replies`, { method: 'POST', body: { body: 'Moi aussi.' } });
    assert.equal(viaApi.status, 403);
    assert.match(viaApi.json_body.error.message, /verrouillée/);
    assert.equal((await apiOk('bruno', `/api/v1/discussions/${t.id}`)).reply_count, 0, 'nothing saved');
    const member = await postOnThread('bruno', t.id, `/discussions/${t.id}/lock`, { locked: '0' });
    assert.equal(member.status, 403, 'only animators unlock');
    await apiOk('anim', `/api/v1/discussions/${t.id}`, { method: 'PATCH', body: { locked: false } });
    await reply('bruno', t.id, 'Maintenant, ça passe.');
});

test('the author marks the best answer: the thread is resolved and the answer shown first', async () => {
    const t = await thread('bruno', comm.pub, 'Comment arroser pendant les vacances ?');
    const first = await reply('carol', t.id, 'Demander au voisin.');
    const best = await reply('carol', t.id, 'Installer un goutte-à-goutte programmable.');
    const notAuthor = await postOnThread('carol', t.id, `/discussions/${t.id}/resolve`, { reply_id: String(best.id) });
    assert.equal(notAuthor.status, 403);
    const other = await thread('bruno', comm.pub, 'Un autre fil');
    const foreign = await reply('carol', other.id, 'Réponse ailleurs.');
    const wrong = await api('bruno', `/api/v1/discussions/${t.id}/resolve`, { method: 'POST', body: { reply_id: foreign.id } });
    assert.equal(wrong.status, 400);
    assert.equal(wrong.json_body.error.field, 'reply_id');
    const res = await postOnThread('bruno', t.id, `/discussions/${t.id}/resolve`, { reply_id: String(best.id) });
    assert.equal(res.status, 303, res.body_text.slice(0, 300));
    const page = (await c.carol.get(`/discussions/${t.id}`)).body_text;
    const top = page.indexOf('class="best-answer"');
    assert.ok(top > 0, 'a best-answer block');
    assert.ok(top < page.indexOf(`id="reply-${first.id}"`), 'shown above the replies');
    assert.ok(page.indexOf('goutte-à-goutte') < page.indexOf('Demander au voisin'));
    assert.match(page, new RegExp(`class="reply best" id="reply-${best.id}"`));
    assert.match(page, /Résolu/);
    const list = (await c.carol.get(`/communities/${comm.pub}/discussions`)).body_text;
    assert.match(list, /Résolu/);
    const json = await apiOk('carol', `/api/v1/discussions/${t.id}`);
    assert.equal(json.resolved, true);
    assert.equal(json.best_reply_id, best.id);
    assert.deepEqual(json.replies.map((x) => x.best), [false, true]);
    /* An animator may change it; the author may unmark it. */
    const anim = await apiOk('anim', `/api/v1/discussions/${t.id}/resolve`, { method: 'POST', body: { reply_id: first.id } });
    assert.equal(anim.best_reply_id, first.id);
    const unmark = await apiOk('bruno', `/api/v1/discussions/${t.id}/resolve`, { method: 'POST', body: { reply_id: null } });
    assert.equal(unmark.resolved, false);
    assert.equal(unmark.best_reply_id, null);
    /* Deleting the best answer unresolves the thread. */
    await apiOk('bruno', `/api/v1/discussions/${t.id}/resolve`, { method: 'POST', body: { reply_id: best.id } });
    const del = await api('carol', `/api/v1/discussions/${t.id}/replies/${best.id}`, { method: 'DELETE' });
    assert.equal(del.status, 204);
    const afterDelete = await apiOk('bruno', `/api/v1/discussions/${t.id}`);
    assert.equal(afterDelete.resolved, false);
    assert.equal(afterDelete.reply_count, 1);
});

test('subscribers are notified of each reply, never of their own; unsubscribing stops it', async () => {
    const t = await thread('bruno', comm.pub, 'Qui vient à la récolte ?');
    const sub = await postOnThread('carol', t.id, `/discussions/${t.id}/subscribe`);
    assert.equal(sub.status, 303);
    assert.match((await c.carol.get(`/discussions/${t.id}`)).body_text, /Ne plus suivre/);
    const before = { bruno: await unread('bruno'), carol: await unread('carol'), anim: await unread('anim'), dave: await unread('dave') };
    await reply('anim', t.id, 'Moi, samedi matin.');
    assert.equal(await unread('bruno'), before.bruno + 1, 'the author is notified');
    assert.equal(await unread('carol'), before.carol + 1, 'the subscriber is notified');
    assert.equal(await unread('anim'), before.anim, 'not the replier');
    assert.equal(await unread('dave'), before.dave, 'not who does not follow');
    const list = (await c.carol.get('/notifications')).body_text;
    assert.match(list, /Anne Animatrice<\/a> a répondu dans la discussion/);
    assert.ok(list.includes(`href="/discussions/${t.id}"`));
    assert.ok(list.includes('Qui vient à la récolte ?'));
    const unsub = await api('carol', `/api/v1/discussions/${t.id}/subscription`, { method: 'DELETE' });
    assert.equal(unsub.status, 200);
    assert.equal(unsub.json_body.subscribed, false);
    await reply('bruno', t.id, 'Parfait, merci.');
    assert.equal(await unread('carol'), before.carol + 1, 'carol stopped following');
    assert.equal(await unread('anim'), before.anim + 1, 'whoever replied follows the thread');
    assert.equal(await unread('bruno'), before.bruno + 1, 'not the replier');
    const resub = await apiOk('carol', `/api/v1/discussions/${t.id}/subscription`, { method: 'POST' });
    assert.equal(resub.subscribed, true);
});

test('non-members of private and secret communities get 404 on every thread page and API', async () => {
    const secrets = {};
    for (const kind of ['priv', 'sec']) {
        const t = await thread('bruno', comm[kind], `Sujet confidentiel ${kind} 7Q`, `Corps confidentiel ${kind} 7Q`);
        const r = await reply('carol', t.id, `Réponse confidentielle ${kind} 7Q`);
        secrets[kind] = { t, r };
    }
    for (const who of ['dave', 'admin', 'guest']) {
        for (const kind of ['priv', 'sec']) {
            const { t, r } = secrets[kind];
            const cid = comm[kind];
            for (const path of [`/communities/${cid}/discussions`, `/communities/${cid}/discussions/new`,
                `/discussions/${t.id}`, `/discussions/${t.id}/edit`, `/discussions/${t.id}/delete`,
                `/discussions/${t.id}/replies/${r.id}/edit`]) {
                const res = await c[who].get(path);
                assert.equal(res.status, 404, `${who} GET ${path}`);
                assert.ok(!res.body_text.includes('7Q'), `${who} GET ${path} leaks`);
            }
            const csrf = await c[who].csrf('/notifications');
            for (const [path, fields] of [[`/discussions/${t.id}/replies`, { body: 'intrusion' }],
                [`/discussions/${t.id}/subscribe`, {}], [`/discussions/${t.id}/resolve`, { reply_id: String(r.id) }],
                [`/discussions/${t.id}/delete`, {}], [`/communities/${cid}/discussions/new`, { title: 'x', body: 'y' }]]) {
                const res = await c[who].postForm(path, { ...fields, csrf_token: csrf });
                assert.equal(res.status, 404, `${who} POST ${path}`);
                assert.ok(!res.body_text.includes('7Q'));
            }
            for (const [method, path, body] of [['GET', `/api/v1/communities/${cid}/discussions`],
                ['POST', `/api/v1/communities/${cid}/discussions`, { title: 'x', body: 'y' }],
                ['GET', `/api/v1/discussions/${t.id}`], ['PATCH', `/api/v1/discussions/${t.id}`, { title: 'x' }],
                ['DELETE', `/api/v1/discussions/${t.id}`], ['POST', `/api/v1/discussions/${t.id}/replies`, { body: 'x' }],
                ['POST', `/api/v1/discussions/${t.id}/resolve`, { reply_id: r.id }],
                ['POST', `/api/v1/discussions/${t.id}/subscription`]]) {
                const res = await api(who, path, { method, body });
                assert.equal(res.status, 404, `${who} ${method} ${path}`);
                assert.equal(res.json_body.error.code, 'not_found');
                assert.ok(!res.body_text.includes('7Q'));
            }
        }
    }
    /* Nothing was changed by the attempts. */
    const t = await apiOk('bruno', `/api/v1/discussions/${secrets.priv.t.id}`);
    assert.equal(t.reply_count, 1);
    /* Members read them. */
    assert.equal((await c.carol.get(`/discussions/${secrets.sec.t.id}`)).status, 200);
});

test('a public community is read by every member, but only its members write (403 saying why)', async () => {
    const t = await thread('bruno', comm.pub, 'Fil public ouvert');
    const page = await c.dave.get(`/discussions/${t.id}`);
    assert.equal(page.status, 200);
    assert.match(page.body_text, /Rejoignez la communauté/);
    assert.equal((await c.dave.get(`/communities/${comm.pub}/discussions`)).status, 200);
    assert.ok(!(await c.dave.get(`/communities/${comm.pub}/discussions`)).body_text.includes('Nouvelle discussion'));
    assert.equal((await c.dave.get(`/communities/${comm.pub}/discussions/new`)).status, 403);
    const res = await postOnThread('dave', t.id, `/discussions/${t.id}/replies`, { body: 'Je ne suis pas membre.' });
    assert.equal(res.status, 403);
    assert.match(res.body_text, /Rejoignez la communauté/);
    const viaApi = await api('dave', `/api/v1/communities/${comm.pub}/discussions`, { method: 'POST', body: { title: 'Intrus', body: 'x' } });
    assert.equal(viaApi.status, 403);
    /* Guests do not read public communities they were not added to. */
    assert.equal((await c.guest.get(`/discussions/${t.id}`)).status, 404);
    assert.equal((await api('guest', `/api/v1/discussions/${t.id}`)).status, 404);
});

test('a removed member loses the threads, the API and their notifications at once', async () => {
    const t = await thread('bruno', comm.priv, 'Budget 2026 ZK9');
    await reply('carol', t.id, 'Je suis pour.');
    await reply('bruno', t.id, 'Merci de ton avis.');
    const before = await unread('carol');
    assert.ok((await c.carol.get('/notifications')).body_text.includes('Budget 2026 ZK9'), 'carol was notified');
    const removed = await api('anim', `/api/v1/communities/${comm.priv}/members/${ids.carol}`, { method: 'DELETE' });
    assert.ok([200, 204].includes(removed.status), `${removed.status} ${removed.body_text}`);
    assert.equal((await c.carol.get(`/discussions/${t.id}`)).status, 404);
    assert.equal((await c.carol.get(`/communities/${comm.priv}/discussions`)).status, 404);
    assert.equal((await api('carol', `/api/v1/discussions/${t.id}`)).status, 404);
    assert.equal((await api('carol', `/api/v1/discussions/${t.id}/replies`, { method: 'POST', body: { body: 'encore' } })).status, 404);
    const notes = (await c.carol.get('/notifications')).body_text;
    assert.ok(!notes.includes('ZK9'), 'the notification is gone');
    assert.equal(await unread('carol'), before - 1, 'and uncounted');
    /* Her replies stay for the members; she is not notified any more. */
    await reply('bruno', t.id, 'Une autre réponse.');
    assert.equal(await unread('carol'), before - 1);
    await addMember(comm.priv, 'carol');
});

test('authors edit, authors and animators delete; others are refused', async () => {
    const t = await thread('bruno', comm.pub, 'Titre à corriger');
    const r = await reply('carol', t.id, 'Réponse à corriger');
    assert.equal((await c.carol.get(`/discussions/${t.id}/edit`)).status, 403);
    const edit = await c.bruno.postWithCsrf(`/discussions/${t.id}/edit`, { title: 'Titre corrigé', body: 'Corps corrigé' }, `/discussions/${t.id}/edit`);
    assert.equal(edit.status, 303);
    const json = await apiOk('carol', `/api/v1/discussions/${t.id}`);
    assert.equal(json.title, 'Titre corrigé');
    assert.equal(json.body, 'Corps corrigé');
    assert.ok(json.edited_ms > 0);
    const bad = await c.bruno.postWithCsrf(`/discussions/${t.id}/edit`, { title: '', body: 'Corps gardé' }, `/discussions/${t.id}/edit`);
    assert.equal(bad.status, 400);
    assert.match(bad.body_text, /id="title-error"/);
    assert.match(bad.body_text, /Corps gardé/);
    assert.equal((await apiOk('carol', `/api/v1/discussions/${t.id}`)).title, 'Titre corrigé');
    const hijack = await api('carol', `/api/v1/discussions/${t.id}`, { method: 'PATCH', body: { title: 'Piraté' } });
    assert.equal(hijack.status, 403);
    assert.equal((await api('bruno', `/api/v1/discussions/${t.id}/replies/${r.id}`, { method: 'PATCH', body: { body: 'Piraté' } })).status, 403);
    const replyEdit = await c.carol.postWithCsrf(`/discussions/${t.id}/replies/${r.id}/edit`, { body: 'Réponse corrigée' }, `/discussions/${t.id}/replies/${r.id}/edit`);
    assert.equal(replyEdit.status, 303);
    assert.equal((await apiOk('bruno', `/api/v1/discussions/${t.id}`)).replies[0].body, 'Réponse corrigée');
    assert.equal((await postOnThread('dave', t.id, `/discussions/${t.id}/replies/${r.id}/delete`)).status, 403);
    const animDel = await postOnThread('anim', t.id, `/discussions/${t.id}/replies/${r.id}/delete`);
    assert.equal(animDel.status, 303);
    assert.equal((await apiOk('bruno', `/api/v1/discussions/${t.id}`)).reply_count, 0);
    assert.equal((await api('carol', `/api/v1/discussions/${t.id}`, { method: 'DELETE' })).status, 403);
    assert.equal((await c.bruno.get(`/discussions/${t.id}/delete`)).status, 200);
    const del = await c.bruno.postWithCsrf(`/discussions/${t.id}/delete`, {}, `/discussions/${t.id}/delete`);
    assert.equal(del.status, 303);
    assert.equal(del.headers.get('location'), `/communities/${comm.pub}/discussions`);
    assert.equal((await c.bruno.get(`/discussions/${t.id}`)).status, 404);
    assert.ok(!(await listTitles('bruno', comm.pub)).includes('Titre corrigé'));
    assert.ok(!(await c.bruno.get('/notifications')).body_text.includes('Titre corrigé'), 'its notifications went with it');
});

test('pages of threads follow the keyset without gaps or repeats', async () => {
    const id = await createCommunity('Pages', 'public');
    const made = [];
    for (let i = 0; i < 33; i++) made.push((await thread('anim', id, `Sujet ${String(i).padStart(2, '0')}`)).id);
    const seen = [];
    let cursor = '';
    for (let guard = 0; guard < 20; guard++) {
        const page = await apiOk('anim', `/api/v1/communities/${id}/discussions?limit=7${cursor ? `&cursor=${cursor}` : ''}`);
        seen.push(...page.items.map((d) => d.id));
        if (!page.next) break;
        cursor = encodeURIComponent(page.next);
    }
    assert.deepEqual(seen, [...made].reverse());
    const first = await c.anim.get(`/communities/${id}/discussions`);
    const next = first.body_text.match(/href="(\/communities\/\d+\/discussions\?before=[^"]+)"/);
    assert.ok(next, 'a link to older threads');
    const second = await c.anim.get(next[1].replaceAll('&amp;', '&'));
    assert.equal(second.status, 200);
    assert.ok(second.body_text.includes('Sujet 02') && second.body_text.includes('Sujet 00'));
    assert.ok(!second.body_text.includes('Sujet 32'));
    assert.equal((await api('anim', `/api/v1/communities/${id}/discussions?cursor=abc`)).status, 400);
    assert.equal((await api('anim', `/api/v1/communities/${id}/discussions?limit=500`)).status, 400);
    assert.equal((await c.anim.get(`/communities/${id}/discussions?before=1-x`)).status, 400);
});

test('forms without a CSRF token are refused', async () => {
    const t = await thread('bruno', comm.pub, 'Fil CSRF');
    const res = await c.bruno.postForm(`/discussions/${t.id}/replies`, { body: 'sans jeton' });
    assert.equal(res.status, 403);
    const cookieApi = await c.bruno.json(`/api/v1/discussions/${t.id}/replies`, { method: 'POST', body: { body: 'sans jeton' } });
    assert.equal(cookieApi.status, 403);
    assert.equal((await apiOk('bruno', `/api/v1/discussions/${t.id}`)).reply_count, 0);
});

test('hostile titles, bodies and replies are rendered inert', async () => {
    const XSS = '<script>alert(1)</script>"><img src=x onerror=alert(2)>';
    const t = await thread('bruno', comm.pub, XSS.slice(0, 200), `${XSS}\n\n[clic](javascript:alert(3)) <svg onload=alert(4)>`);
    await reply('carol', t.id, `<img src=x onerror=alert(5)> [x](javascript:alert(6))`);
    await reply('bruno', t.id, 'Une réponse normale pour notifier carol.');
    const pages = [`/discussions/${t.id}`, `/communities/${comm.pub}/discussions`, `/discussions/${t.id}/edit`, '/notifications'];
    for (const p of pages) {
        const who = p === '/notifications' ? 'carol' : 'bruno';
        const html = (await c[who].get(p)).body_text;
        assert.ok(!html.includes('<script>alert'), `${p}: raw <script>`);
        assert.ok(!/<img src=x onerror/i.test(html), `${p}: raw img`);
        assert.ok(!/<svg onload/i.test(html), `${p}: raw svg`);
        assert.ok(!/href="javascript:/i.test(html), `${p}: javascript: link`);
    }
    const json = await apiOk('bruno', `/api/v1/discussions/${t.id}`);
    assert.ok(!json.html.includes('<script>'));
    assert.ok(!json.replies[0].html.includes('<img src=x onerror'));
    const browser = await launchBrowser();
    try {
        const context = await browser.newContext();
        await addClientCookies(context, c.carol);
        const page = await context.newPage();
        const seen = watchPage(page);
        for (const p of pages) await page.goto(srv.url + p);
        assert.deepEqual(seen.dialogs, []);
        assert.deepEqual(seen.pageErrors, []);
    } finally {
        await browser.close();
    }
});

test('an archived community shows its threads read-only and refuses every write with 403', async () => {
    const id = await createCommunity('Ancien projet', 'public', ['bruno']);
    const t = await thread('bruno', id, 'Bilan du projet');
    const r = await reply('anim', t.id, 'Merci à tous.');
    const archive = await c.admin.postWithCsrf(`/admin/communities/${id}/archive`, { archived: '1' }, '/notifications');
    assert.ok([303, 200].includes(archive.status), `archive: ${archive.status} ${archive.body_text.slice(0, 300)}`);
    assert.equal((await apiOk('bruno', `/api/v1/communities/${id}`)).archived, true);
    const page = await c.bruno.get(`/discussions/${t.id}`);
    assert.equal(page.status, 200);
    assert.match(page.body_text, /archivée/);
    assert.ok(!page.body_text.includes(`action="/discussions/${t.id}/replies"`), 'no reply form');
    const list = await c.bruno.get(`/communities/${id}/discussions`);
    assert.equal(list.status, 200);
    assert.ok(list.body_text.includes('Bilan du projet'));
    assert.ok(!list.body_text.includes('Nouvelle discussion'));
    const writes = [
        ['bruno', 'POST', `/api/v1/communities/${id}/discussions`, { title: 'x', body: 'y' }],
        ['bruno', 'POST', `/api/v1/discussions/${t.id}/replies`, { body: 'y' }],
        ['bruno', 'PATCH', `/api/v1/discussions/${t.id}`, { title: 'Nouveau titre' }],
        ['anim', 'PATCH', `/api/v1/discussions/${t.id}`, { locked: true }],
        ['bruno', 'POST', `/api/v1/discussions/${t.id}/resolve`, { reply_id: r.id }],
        ['anim', 'PATCH', `/api/v1/discussions/${t.id}/replies/${r.id}`, { body: 'z' }],
        ['anim', 'DELETE', `/api/v1/discussions/${t.id}/replies/${r.id}`],
        ['bruno', 'DELETE', `/api/v1/discussions/${t.id}`],
        ['bruno', 'POST', `/api/v1/discussions/${t.id}/subscription`],
    ];
    for (const [who, method, path, body] of writes) {
        const res = await api(who, path, { method, body });
        assert.equal(res.status, 403, `${who} ${method} ${path}`);
        assert.match(res.json_body.error.message, /archivée/);
    }
    for (const [path, fields] of [[`/discussions/${t.id}/replies`, { body: 'y' }], [`/discussions/${t.id}/sticky`, { sticky: '1' }]]) {
        const res = await postOnThread('anim', t.id, path, fields);
        assert.equal(res.status, 403, path);
    }
    const json = await apiOk('bruno', `/api/v1/discussions/${t.id}`);
    assert.equal(json.title, 'Bilan du projet');
    assert.equal(json.reply_count, 1);
    assert.equal(json.resolved, false);
});

test('the forum pages are valid HTML according to tidy', { skip: spawnSync('tidy', ['-v']).status !== 0 && 'tidy not installed' }, async (t) => {
    const d = await thread('bruno', comm.pub, 'Fil « valide » & propre', 'Un **texte** avec une [liste](https://example.test) :\n\n- un\n- deux');
    const r1 = await reply('carol', d.id, 'Première réponse.');
    await reply('bruno', d.id, 'Deuxième réponse.');
    await apiOk('bruno', `/api/v1/discussions/${d.id}/resolve`, { method: 'POST', body: { reply_id: r1.id } });
    await apiOk('anim', `/api/v1/discussions/${d.id}`, { method: 'PATCH', body: { sticky: true } });
    const refused = await c.bruno.postWithCsrf(`/communities/${comm.pub}/discussions/new`, { title: '', body: 'gardé' }, `/communities/${comm.pub}/discussions/new`);
    assert.equal(refused.status, 400);
    const pages = [
        ['anim', `/communities/${comm.pub}/discussions`],
        ['bruno', `/communities/${comm.pub}/discussions/new`],
        ['anim', `/discussions/${d.id}`],
        ['bruno', `/discussions/${d.id}`],
        ['dave', `/discussions/${d.id}`],
        ['bruno', `/discussions/${d.id}/edit`],
        ['bruno', `/discussions/${d.id}/delete`],
        ['carol', `/discussions/${d.id}/replies/${r1.id}/edit`],
        ['carol', '/notifications'],
    ];
    for (const [who, p] of pages) {
        const res = await c[who].get(p);
        assert.equal(res.status, 200, `${who} ${p}`);
        check(t, `${who} ${p}`, res.body_text);
    }
    check(t, 'refused new thread', refused.body_text);

    function check(ctx, what, html) {
        const out = spawnSync('tidy', ['-e', '-q', '--show-warnings', 'yes'], { input: html, encoding: 'utf8' });
        /* tidy: 0 clean, 1 warnings, 2 errors */
        if (out.status === 1) ctx.diagnostic(`tidy warnings on ${what}:\n${out.stderr}`);
        assert.ok(out.status === 0 || out.status === 1, `tidy errors on ${what}:\n${out.stderr}`);
    }
});
