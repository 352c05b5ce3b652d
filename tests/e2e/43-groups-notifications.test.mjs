/*
 * 43-groups-notifications: what communities tell their members through notifications, on
 * either backend.  An invitation notifies the invited member ("… vous a invité à rejoindre
 * la communauté …", linking to the community), shown only while it stands: accepting,
 * declining or its cancellation takes it away, and a renewed invitation shows once.  A
 * request to join a private community notifies its animators (linking to the members page
 * where they answer it), and only them; answering it (approval or refusal) takes it away
 * from every animator, and an approval notifies the requester, also when it comes as an
 * animator's invitation or direct addition.  A request's notification leaves an animator
 * who is demoted, and waits while the community is archived.  An approval stays while the
 * member may know the community and goes when it turned secret and they left.  Guests are
 * notified of their invitations.  Each change sends "notifications.unread" with the new count
 * to the open streams of the members concerned; "Tout marquer comme lu" counts them too; the
 * community's name is escaped; the sentences exist in English.
 *
 * Negative checks on streams never sleep: a sentinel event (`ruche debug-publish`) is
 * published after the change, and events reach a stream in id order.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';
import { signIn, apiToken } from './lib/client.mjs';
import * as sse from './lib/sse.mjs';

const PW = 'correct-horse-1';
const USERS = {
    admin: { email: 'admin@example.test', name: 'Ada Admin', password: PW, role: 'admin' },
    anim: { email: 'anim@example.test', name: 'Anne Animatrice', password: PW, role: 'animator' },
    alice: { email: 'alice@example.test', name: 'Alice Martin', password: PW },
    bruno: { email: 'bruno@example.test', name: 'Bruno Petit', password: PW },
    carla: { email: 'carla@example.test', name: 'Carla Durand', password: PW },
    dora: { email: 'dora@example.test', name: 'Dora Lemaire', password: PW },
    gina: { email: 'gina@example.test', name: 'Gina Invitée', password: PW, role: 'guest' },
};

let srv;
const c = {}; /* cookie clients */
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
    return c.admin.json(path, { ...opts, headers: { authorization: `Bearer ${tokens[who]}`, cookie: '' } });
}

async function apiOk(who, path, opts, status) {
    const res = await api(who, path, opts);
    assert.equal(res.status, status, `${opts?.method ?? 'GET'} ${path} by ${who}: ${res.body_text.slice(0, 300)}`);
    return res.json_body;
}

let counter = 0;
async function community(who, visibility, name) {
    counter++;
    return apiOk(who, '/api/v1/communities', { method: 'POST', body: { name: name ?? `Notifiée ${visibility} ${counter}`, purpose: `Raison ${counter}.`, visibility } }, 201);
}

const invite = (who, id, member) => apiOk(who, `/api/v1/communities/${id}/invitations`, { method: 'POST', body: { member_id: ids[member] } }, 201);
const join = (who, id) => apiOk(who, `/api/v1/communities/${id}/join`, { method: 'POST' }, 200);

/* Text as the pages escape it. */
const esc = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

/* The entries of who's /notifications page: [{unread, html, text, hrefs}]. */
async function notifications(who) {
    const res = await c[who].get('/notifications');
    assert.equal(res.status, 200);
    const list = res.body_text.match(/<ul class="notifications">([\s\S]*?)<\/ul>/);
    assert.ok(list, 'the list is on the page');
    return [...list[1].matchAll(/<li class="(unread|read)">([\s\S]*?)<\/li>/g)].map((m) => ({
        unread: m[1] === 'unread',
        html: m[2],
        text: m[2].replace(/<[^>]*>/g, '').replace(/\s+/g, ' ').trim(),
        hrefs: [...m[2].matchAll(/href="([^"]*)"/g)].map((h) => h[1]),
    }));
}

/* The entries about community id. */
async function about(who, id) {
    return (await notifications(who)).filter((n) => n.hrefs.some((h) => h === `/communities/${id}` || h === `/communities/${id}/members`));
}

/* The bell's count on a page (0 when hidden), from the layout. */
async function bell(who) {
    const res = await c[who].get('/notifications');
    const m = res.body_text.match(/data-live-count="notifications\.unread"( hidden)?><span class="live-count">(\d+)<\/span>/);
    assert.ok(m, 'the bell is on the page');
    assert.equal(Boolean(m[1]), m[2] === '0', 'the badge is hidden exactly when the count is 0');
    return Number(m[2]);
}

let seq = 0;
/* Publish a sentinel for who and wait for it on s: any earlier event for who is there now. */
async function settle(s, who) {
    const kind = `test.sentinel.${++seq}`;
    await sse.publish(srv.dir, kind, { member: ids[who] });
    await s.next(kind, 5000);
}

/*
 * A live stream of who's (bearer token), settled: events published before it opened but
 * not yet dispatched (such as the count sent by markRead()) are behind it, and next() and
 * counts() see only what comes after.
 */
async function stream(who) {
    const s = await sse.open(`${srv.url}/api/v1/live`, sse.bearer(tokens[who]));
    assert.equal(s.status, 200);
    await s.comment('connected', 3000);
    await settle(s, who);
    s.base = s.cursor;
    return s;
}

/* The counts of the "notifications.unread" events s received since it was settled. */
const counts = (s) => s.events.slice(s.base).filter((e) => e.event === 'notifications.unread').map((e) => e.json.count);

async function markRead(who) {
    const res = await c[who].postWithCsrf('/notifications/read', {}, '/notifications');
    assert.equal(res.status, 303);
}

/* ---- invitations --------------------------------------------------------------------------- */

test('an invitation notifies the invited member, linking to the community, with its live count', async () => {
    await markRead('bruno');
    const com = await community('anim', 'secret');
    const live = await stream('bruno');
    const other = await stream('carla');
    const before = await bell('bruno');
    await invite('anim', com.id, 'bruno');
    const e = await live.next('notifications.unread', 5000);
    assert.deepEqual(e.json, { count: before + 1 });
    assert.equal(await bell('bruno'), before + 1);
    const mine = await about('bruno', com.id);
    assert.equal(mine.length, 1, JSON.stringify(mine));
    assert.ok(mine[0].unread);
    assert.equal(mine[0].text.replace(/\. .*$/, '.'), `Anne Animatrice vous a invité à rejoindre la communauté ${com.name}.`);
    assert.deepEqual(mine[0].hrefs, [`/people/${ids.anim}`, `/communities/${com.id}`]);
    /* The link leads somewhere Bruno may go. */
    assert.equal((await c.bruno.get(`/communities/${com.id}`)).status, 200);
    /* Nobody else hears of it. */
    await settle(other, 'carla');
    assert.deepEqual(counts(other), [], 'no count for Carla');
    assert.equal((await about('carla', com.id)).length, 0);
    assert.equal((await about('anim', com.id)).length, 0, 'not the inviter either');
    live.close();
    other.close();
});

test('accepting, declining or cancelling an invitation takes its notification away, with a new count', async () => {
    for (const [how, act] of [
        ['accept', (id) => apiOk('dora', `/api/v1/communities/${id}/invitation/accept`, { method: 'POST' }, 200)],
        ['decline', (id) => apiOk('dora', `/api/v1/communities/${id}/invitation/decline`, { method: 'POST' }, 204)],
        ['cancel', (id) => apiOk('anim', `/api/v1/communities/${id}/invitations/${ids.dora}`, { method: 'DELETE' }, 204)],
        ['leave', (id) => apiOk('dora', `/api/v1/communities/${id}/members/${ids.dora}`, { method: 'DELETE' }, 204)],
    ]) {
        await markRead('dora');
        const com = await community('anim', 'private');
        const live = await stream('dora');
        await invite('anim', com.id, 'dora');
        assert.deepEqual((await live.next('notifications.unread', 5000)).json, { count: 1 }, how);
        assert.equal((await about('dora', com.id)).length, 1, how);
        await act(com.id);
        assert.deepEqual((await live.next('notifications.unread', 5000)).json, { count: 0 }, `${how}: the count goes back to 0`);
        assert.equal((await about('dora', com.id)).length, 0, `${how}: gone from the list`);
        assert.equal(await bell('dora'), 0, how);
        live.close();
    }
});

test('a renewed invitation shows once, even when a member invites after an animator', async () => {
    const com = await community('anim', 'public');
    await apiOk('alice', `/api/v1/communities/${com.id}/join`, { method: 'POST' }, 200);
    await invite('anim', com.id, 'carla');
    await apiOk('carla', `/api/v1/communities/${com.id}/invitation/decline`, { method: 'POST' }, 204);
    assert.equal((await about('carla', com.id)).length, 0);
    await invite('alice', com.id, 'carla');
    const mine = await about('carla', com.id);
    assert.equal(mine.length, 1, JSON.stringify(mine));
    assert.match(mine[0].text, /^Alice Martin vous a invité/);
});

test('a guest is notified of an invitation to a community it could not know otherwise', async () => {
    await markRead('gina');
    const com = await community('anim', 'secret');
    const live = await stream('gina');
    await invite('anim', com.id, 'gina');
    assert.deepEqual((await live.next('notifications.unread', 5000)).json, { count: 1 });
    const mine = await about('gina', com.id);
    assert.equal(mine.length, 1);
    assert.match(mine[0].text, /vous a invité à rejoindre la communauté/);
    assert.equal(await bell('gina'), 1);
    await apiOk('gina', `/api/v1/communities/${com.id}/invitation/decline`, { method: 'POST' }, 204);
    assert.deepEqual((await live.next('notifications.unread', 5000)).json, { count: 0 });
    assert.equal((await c.gina.get(`/communities/${com.id}`)).status, 404, 'the community is unknown again');
    assert.equal((await about('gina', com.id)).length, 0);
    live.close();
});

/* ---- requests ------------------------------------------------------------------------------ */

/* A private community animated by anim and alice, with carla as a plain member. */
async function privateWithTwoAnimators() {
    const com = await community('anim', 'private');
    await apiOk('anim', `/api/v1/communities/${com.id}/members`, { method: 'POST', body: { member_id: ids.alice } }, 201);
    await apiOk('anim', `/api/v1/communities/${com.id}/members/${ids.alice}/role`, { method: 'PUT', body: { role: 'animator' } }, 200);
    await apiOk('anim', `/api/v1/communities/${com.id}/members`, { method: 'POST', body: { member_id: ids.carla } }, 201);
    return com;
}

test("a request to join a private community notifies each of its animators, and only them", async () => {
    for (const who of ['anim', 'alice', 'carla']) await markRead(who);
    const com = await privateWithTwoAnimators();
    const streams = { anim: await stream('anim'), alice: await stream('alice'), carla: await stream('carla') };
    const res = await join('bruno', com.id);
    assert.equal(res.my_state, 'requested');
    for (const who of ['anim', 'alice']) {
        assert.deepEqual((await streams[who].next('notifications.unread', 5000)).json, { count: 1 }, who);
        const mine = await about(who, com.id);
        assert.equal(mine.length, 1, `${who}: ${JSON.stringify(mine)}`);
        assert.equal(mine[0].text.replace(/\. .*$/, '.'), `Bruno Petit demande à rejoindre la communauté ${com.name}.`);
        assert.deepEqual(mine[0].hrefs, [`/people/${ids.bruno}`, `/communities/${com.id}/members`], 'it leads to where requests are answered');
        assert.match((await c[who].get(`/communities/${com.id}/members`)).body_text, /Demandes en attente/);
    }
    await settle(streams.carla, 'carla');
    assert.deepEqual(counts(streams.carla), [], 'a plain member is not told');
    assert.equal((await about('carla', com.id)).length, 0);
    assert.equal((await about('bruno', com.id)).length, 0, 'nor the requester');
    for (const s of Object.values(streams)) s.close();
});

test('approving a request notifies the requester and takes the request away from every animator', async () => {
    for (const who of ['anim', 'alice', 'bruno']) await markRead(who);
    const com = await privateWithTwoAnimators();
    await join('bruno', com.id);
    const streams = { anim: await stream('anim'), alice: await stream('alice'), bruno: await stream('bruno') };
    const approved = await apiOk('alice', `/api/v1/communities/${com.id}/requests/${ids.bruno}/approve`, { method: 'POST' }, 200);
    assert.equal(approved.state, 'member');
    assert.deepEqual((await streams.bruno.next('notifications.unread', 5000)).json, { count: 1 });
    const mine = await about('bruno', com.id);
    assert.equal(mine.length, 1, JSON.stringify(mine));
    assert.equal(mine[0].text.replace(/\. .*$/, '.'), `Alice Martin a accepté votre demande pour rejoindre la communauté ${com.name}.`);
    assert.deepEqual(mine[0].hrefs, [`/people/${ids.alice}`, `/communities/${com.id}`]);
    for (const who of ['anim', 'alice']) {
        assert.deepEqual((await streams[who].next('notifications.unread', 5000)).json, { count: 0 }, `${who}'s count goes back to 0`);
        assert.equal((await about(who, com.id)).length, 0, `${who}: the answered request is gone`);
        assert.equal(await bell(who), 0);
    }
    for (const s of Object.values(streams)) s.close();
});

test('a refused request leaves the animators and tells the requester nothing', async () => {
    for (const who of ['anim', 'alice', 'dora']) await markRead(who);
    const com = await privateWithTwoAnimators();
    await join('dora', com.id);
    assert.equal((await about('anim', com.id)).length, 1);
    const live = await stream('dora');
    await apiOk('anim', `/api/v1/communities/${com.id}/requests/${ids.dora}/refuse`, { method: 'POST' }, 204);
    for (const who of ['anim', 'alice']) assert.equal((await about(who, com.id)).length, 0, who);
    await settle(live, 'dora');
    assert.ok(counts(live).every((n) => n === 0), `no new notification for Dora: ${counts(live)}`);
    assert.equal((await about('dora', com.id)).length, 0);
    /* Asking again notifies again, once. */
    await join('dora', com.id);
    assert.equal((await about('anim', com.id)).length, 1);
    await apiOk('dora', `/api/v1/communities/${com.id}/members/${ids.dora}`, { method: 'DELETE' }, 204);
    assert.equal((await about('anim', com.id)).length, 0, 'a withdrawn request is gone too');
    live.close();
});

test("an animator's invitation or addition of a pending requester is an approval", async () => {
    const com = await privateWithTwoAnimators();
    await markRead('bruno');
    await join('bruno', com.id);
    await invite('alice', com.id, 'bruno');
    let mine = await about('bruno', com.id);
    assert.equal(mine.length, 1, JSON.stringify(mine));
    assert.match(mine[0].text, /^Alice Martin a accepté votre demande/);

    await markRead('dora');
    await join('dora', com.id);
    await apiOk('anim', `/api/v1/communities/${com.id}/members`, { method: 'POST', body: { member_id: ids.dora } }, 201);
    mine = await about('dora', com.id);
    assert.equal(mine.length, 1, JSON.stringify(mine));
    assert.match(mine[0].text, /^Anne Animatrice a accepté votre demande/);
    assert.equal((await about('anim', com.id)).length, 0, 'no pending request is left for the animators');
});

test("a request's notification leaves an animator who is demoted, and waits while the community is archived", async () => {
    await markRead('alice');
    await markRead('anim');
    const com = await privateWithTwoAnimators();
    await join('dora', com.id);
    assert.equal((await about('alice', com.id)).length, 1);
    const live = await stream('alice');
    await apiOk('anim', `/api/v1/communities/${com.id}/members/${ids.alice}/role`, { method: 'PUT', body: { role: 'member' } }, 200);
    assert.deepEqual((await live.next('notifications.unread', 5000)).json, { count: 0 });
    assert.equal((await about('alice', com.id)).length, 0, 'a plain member may not answer it');
    live.close();

    const animLive = await stream('anim');
    let res = await c.admin.postWithCsrf(`/admin/communities/${com.id}/archive`, { archived: '1' }, '/admin/communities');
    assert.equal(res.status, 303);
    assert.deepEqual((await animLive.next('notifications.unread', 5000)).json, { count: 0 });
    assert.equal((await about('anim', com.id)).length, 0, 'nobody may answer it while archived');
    res = await c.admin.postWithCsrf(`/admin/communities/${com.id}/archive`, { archived: '0' }, '/admin/communities');
    assert.equal(res.status, 303);
    assert.deepEqual((await animLive.next('notifications.unread', 5000)).json, { count: 1 });
    assert.equal((await about('anim', com.id)).length, 1, 'reopened: the request waits again');
    animLive.close();
});

test('an approval stays while the member may know the community, and goes when it turned secret and they left', async () => {
    const com = await community('anim', 'private');
    await join('carla', com.id);
    await apiOk('anim', `/api/v1/communities/${com.id}/requests/${ids.carla}/approve`, { method: 'POST' }, 200);
    assert.equal((await about('carla', com.id)).length, 1);
    await apiOk('carla', `/api/v1/communities/${com.id}/members/${ids.carla}`, { method: 'DELETE' }, 204);
    assert.equal((await about('carla', com.id)).length, 1, 'a private community is still listed for her');
    await apiOk('anim', `/api/v1/communities/${com.id}`, { method: 'PATCH', body: { visibility: 'secret' } }, 200);
    assert.equal((await c.carla.get(`/communities/${com.id}`)).status, 404);
    assert.equal((await about('carla', com.id)).length, 0, 'a secret community she left: gone');
});

/* ---- reading, escaping, language ------------------------------------------------------------ */

test('"Tout marquer comme lu" counts community notifications too, and sends 0', async () => {
    await markRead('bruno');
    const a = await community('anim', 'public');
    const b = await community('anim', 'private');
    await invite('anim', a.id, 'bruno');
    await invite('anim', b.id, 'bruno');
    assert.equal(await bell('bruno'), 2);
    const live = await stream('bruno');
    await markRead('bruno');
    assert.deepEqual((await live.next('notifications.unread', 5000)).json, { count: 0 });
    assert.equal(await bell('bruno'), 0);
    const mine = [...(await about('bruno', a.id)), ...(await about('bruno', b.id))];
    assert.equal(mine.length, 2, 'still listed, as read');
    assert.ok(mine.every((n) => !n.unread));
    live.close();
});

test("the community's name is escaped in the notification", async () => {
    const name = `<img src=x onerror=alert(1)> "Q" & 'R' ${++counter}`;
    const com = await community('anim', 'public', name);
    await invite('anim', com.id, 'alice');
    const mine = await about('alice', com.id);
    assert.equal(mine.length, 1);
    assert.ok(mine[0].html.includes(`>${esc(name)}</a>`), mine[0].html);
    assert.ok(!mine[0].html.includes('<img'), 'no element from the name');
});

test('the sentences read in English for a member who chose it', async () => {
    const com = await community('anim', 'private');
    const res = await c.dora.postWithCsrf('/settings/language', { lang: 'en' }, '/notifications');
    assert.equal(res.status, 303);
    try {
        await invite('anim', com.id, 'dora');
        let mine = await about('dora', com.id);
        assert.match(mine[0].text, /^Anne Animatrice invited you to join the community /);
        await apiOk('dora', `/api/v1/communities/${com.id}/invitation/decline`, { method: 'POST' }, 204);
        await join('dora', com.id);
        await apiOk('anim', `/api/v1/communities/${com.id}/requests/${ids.dora}/approve`, { method: 'POST' }, 200);
        mine = await about('dora', com.id);
        assert.match(mine[0].text, /^Anne Animatrice approved your request to join the community /);
        await c.anim.postWithCsrf('/settings/language', { lang: 'en' }, '/notifications');
        await join('bruno', (await community('anim', 'private')).id);
        assert.ok((await notifications('anim')).some((n) => /^Bruno Petit asks to join the community /.test(n.text)));
    } finally {
        await c.dora.postWithCsrf('/settings/language', { lang: 'fr' }, '/notifications');
        await c.anim.postWithCsrf('/settings/language', { lang: 'fr' }, '/notifications');
    }
});
