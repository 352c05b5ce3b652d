/*
 * 71-live-two-nodes: live streams across two `ruche serve` processes sharing one data
 * directory, hence one PostgreSQL database (PostgreSQL only: with SQLite the file is
 * skipped).  Node A is the harness's server; node B is spawned here on another port and
 * stopped with SIGTERM.  An event published through the database reaches node B's streams
 * (the delay is printed), a session made on A opens a stream on B, signing out on A ends
 * the stream on B, and Last-Event-ID resumes on B what was missed on A.  With the features'
 * own events: a post published through A (POST /api/v1/posts) reaches a follower's stream
 * on B as "feed.new_posts", and neither a non-follower's nor a guest follower's; a post in
 * a private community reaches its members' streams on B and not a non-member's; a mention
 * made on B brings the notification count to a stream on A.  (A job enqueued once runs
 * once with two nodes polling: 06-jobs-queue.)
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { startServer, freePort, rucheOk, RUCHE_BIN, PG_URL, SANITIZER_RE } from './lib/server.mjs';
import { Client, signIn, apiToken, csrfFromHtml } from './lib/client.mjs';
import * as sse from './lib/sse.mjs';

const SKIP = PG_URL ? false : 'two nodes need PostgreSQL: set RUCHE_TEST_PG (see tools/pg-test-server)';
if (SKIP) console.log(`# 71-live-two-nodes skipped: ${SKIP}`);

const PW = 'correct-horse-1';
const ALICE = { email: 'alice@example.test', name: 'Alice Martin', password: PW };
const BRUNO = { email: 'bruno@example.test', name: 'Bruno Petit', password: PW };
const CHLOE = { email: 'chloe@example.test', name: 'Chloé Roux', password: PW };
const DAVID = { email: 'david@example.test', name: 'David Noir', password: PW };
/* The features' events: Elsa posts; Fabien and Gus (a guest) follow her, Hélène does not. */
const ELSA = { email: 'elsa@example.test', name: 'Elsa Blanc', password: PW };
const FABIEN = { email: 'fabien@example.test', name: 'Fabien Gris', password: PW };
const GUS = { email: 'gus@example.test', name: 'Gus Externe', password: PW, role: 'guest' };
const HELENE = { email: 'helene@example.test', name: 'Hélène Vert', password: PW };
const IVAN = { email: 'ivan@example.test', name: 'Ivan Animateur', password: PW, role: 'animator' };
const FEATURE_USERS = [ELSA, FABIEN, GUS, HELENE, IVAN];

let nodeA; /* startServer() */
let nodeB; /* {url, proc, logs(), stop()} */
const ids = {};
const tokens = {}; /* email -> bearer token (FEATURE_USERS) */

/* A second `ruche serve` on the same data directory; polls /healthz (bounded). */
async function startNodeB(dataDir) {
    for (let attempt = 0; attempt < 3; attempt++) {
        const port = await freePort();
        const proc = spawn(RUCHE_BIN, ['serve', '--data', dataDir, '--listen', `127.0.0.1:${port}`], { stdio: ['ignore', 'pipe', 'pipe'] });
        let log = '';
        proc.stdout.on('data', (d) => (log += d));
        proc.stderr.on('data', (d) => (log += d));
        const exited = new Promise((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
        let gone = null;
        exited.then((r) => (gone = r));
        const url = `http://127.0.0.1:${port}`;
        const deadline = Date.now() + 15000;
        while (Date.now() < deadline && !gone) {
            try {
                const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) });
                await res.arrayBuffer();
                if (res.status === 200) {
                    return {
                        url,
                        proc,
                        logs: () => log,
                        /* SIGTERM by pid; resolves {code, signal, ms}; SIGKILL after 20 s. */
                        async stop() {
                            if (gone) return { ...gone, ms: 0 };
                            const t0 = Date.now();
                            process.kill(proc.pid, 'SIGTERM');
                            const timer = setTimeout(() => proc.kill('SIGKILL'), 20000);
                            const r = await exited;
                            clearTimeout(timer);
                            return { ...r, ms: Date.now() - t0 };
                        },
                    };
                }
            } catch {
                /* not yet listening */
            }
            await sse.sleep(100);
        }
        if (!gone) proc.kill('SIGKILL');
        await exited;
    }
    throw new Error('node B did not answer /healthz');
}

before(async () => {
    if (SKIP) return;
    nodeA = await startServer({ users: [ALICE, BRUNO, CHLOE, DAVID, ...FEATURE_USERS] });
    nodeB = await startNodeB(nodeA.dir);
    for (const u of [ALICE, BRUNO, CHLOE, DAVID]) ids[u.email] = await sse.memberId(nodeA.url, sse.bearer(await apiToken(nodeA.url, u.email, PW)));
    /* One token each, made on node A, used on both nodes. */
    for (const u of FEATURE_USERS) {
        tokens[u.email] = await apiToken(nodeA.url, u.email, PW);
        ids[u.email] = await sse.memberId(nodeB.url, sse.bearer(tokens[u.email]));
    }
});

after(async () => {
    sse.closeAll();
    let problem = null;
    if (nodeB) {
        const res = await nodeB.stop();
        console.log(`# node B stopped by SIGTERM: exit ${res.code ?? res.signal} after ${res.ms} ms`);
        if (res.code !== 0) problem = `node B exited ${JSON.stringify(res)}\n${nodeB.logs().slice(-2000)}`;
        else if (SANITIZER_RE.test(nodeB.logs())) problem = `sanitizer report in node B's log\n${nodeB.logs().slice(-3000)}`;
    }
    if (nodeA) await nodeA.stopChecked();
    if (problem) throw new Error(problem);
});

async function stream(base, path, headers) {
    const s = await sse.open(`${base}${path}`, headers);
    assert.equal(s.status, 200, `GET ${path} on ${base}: ${s.status}`);
    await s.comment('connected', 3000);
    return s;
}

let seq = 0;
const kindOf = (tag) => `test.${tag}.${++seq}`;

test('a stream on node B receives an event published through the shared database within 3 s', { skip: SKIP }, async () => {
    const token = await apiToken(nodeA.url, ALICE.email, PW);
    const onB = await stream(nodeB.url, '/api/v1/live', sse.bearer(token));
    const onA = await stream(nodeA.url, '/api/v1/live', sse.bearer(token));
    const delays = [];
    for (let i = 0; i < 3; i++) {
        const kind = kindOf('cross');
        const t0 = Date.now();
        const published = sse.publish(nodeA.dir, kind, { member: ids[ALICE.email], payload: { i } }).then(() => Date.now());
        const [eB, eA, t1] = await Promise.all([onB.next(kind, 3000), onA.next(kind, 3000), published]);
        assert.equal(eB.id, eA.id, 'one event, one id on both nodes');
        assert.deepEqual(eB.json, { i });
        delays.push({ fromStart: eB.at - t0, fromExit: eB.at - t1, aVsB: eB.at - eA.at });
    }
    console.log(`# node B delivery delay (ms from debug-publish start / from its exit / B minus A): ${delays.map((d) => `${d.fromStart}/${d.fromExit}/${d.aVsB}`).join(', ')}`);
    const all = kindOf('cross-all');
    await sse.publish(nodeA.dir, all);
    await onB.next(all, 3000);
    for (const s of [onA, onB]) {
        const got = s.events.map((e) => e.id);
        assert.equal(new Set(got).size, got.length, `no event twice on ${s.url}: ${s.summary()}`);
    }
    onA.close();
    onB.close();
});

test('a session made on node A opens a stream on node B, and events reach only its member', { skip: SKIP }, async () => {
    const { client } = await signIn(nodeA.url, ALICE.email, PW);
    const cookieOnB = await stream(nodeB.url, '/live', sse.cookieOf(client));
    const bearerOnB = await stream(nodeB.url, '/api/v1/live', sse.bearer(await apiToken(nodeA.url, ALICE.email, PW)));
    const brunoOnB = await stream(nodeB.url, '/api/v1/live', sse.bearer(await apiToken(nodeA.url, BRUNO.email, PW)));
    const kind = kindOf('alice');
    await sse.publish(nodeA.dir, kind, { member: ids[ALICE.email] });
    await cookieOnB.next(kind, 3000);
    await bearerOnB.next(kind, 3000);
    const sentinel = kindOf('bruno');
    await sse.publish(nodeA.dir, sentinel, { member: ids[BRUNO.email] });
    await brunoOnB.next(sentinel, 3000);
    assert.deepEqual(brunoOnB.events.map((e) => e.event), [sentinel]);
    for (const s of [cookieOnB, bearerOnB, brunoOnB]) s.close();
});

test('signing out on node A ends the stream on node B within 3 s', { skip: SKIP }, async () => {
    const { client } = await signIn(nodeA.url, BRUNO.email, PW);
    const onB = await stream(nodeB.url, '/live', sse.cookieOf(client));
    const onA = await stream(nodeA.url, '/live', sse.cookieOf(client));
    const csrf = csrfFromHtml((await client.get('/')).body_text);
    const t0 = Date.now();
    const out = await client.postForm('/logout', { csrf_token: csrf });
    assert.equal(out.status, 303);
    const [endB, endA] = await Promise.all([onB.closed(3000), onA.closed(3000)]);
    console.log(`# POST /logout on A: stream on B ended after ${endB.at - t0} ms, on A after ${endA.at - t0} ms`);

    const token = await apiToken(nodeA.url, BRUNO.email, PW);
    const tokB = await stream(nodeB.url, '/api/v1/live', sse.bearer(token));
    const t1 = Date.now();
    const del = await new Client(nodeA.url).fetch('/api/v1/session', { method: 'DELETE', headers: sse.bearer(token) });
    assert.equal(del.status, 204);
    const end = await tokB.closed(3000);
    console.log(`# DELETE /api/v1/session on A: bearer stream on B ended after ${end.at - t1} ms`);
});

test('signing out everywhere on node A, or deactivation, ends the streams on both nodes', { skip: SKIP }, async () => {
    const { client } = await signIn(nodeA.url, CHLOE.email, PW);
    const token = await apiToken(nodeB.url, CHLOE.email, PW);
    const streams = [
        await stream(nodeB.url, '/live', sse.cookieOf(client)),
        await stream(nodeB.url, '/api/v1/live', sse.bearer(token)),
        await stream(nodeA.url, '/api/v1/live', sse.bearer(token)),
    ];
    const csrf = csrfFromHtml((await client.get('/')).body_text);
    assert.equal((await client.postForm('/logout/all', { csrf_token: csrf })).status, 303);
    await Promise.all(streams.map((s) => s.closed(3000)));

    const dtoken = await apiToken(nodeA.url, DAVID.email, PW);
    const dstreams = [await stream(nodeA.url, '/api/v1/live', sse.bearer(dtoken)), await stream(nodeB.url, '/api/v1/live', sse.bearer(dtoken))];
    await rucheOk(['user', 'deactivate', '--data', nodeA.dir, '--email', DAVID.email]);
    await Promise.all(dstreams.map((s) => s.closed(3000)));
});

test('Last-Event-ID resumes on node B what was missed after leaving node A, once each and in order', { skip: SKIP }, async () => {
    const token = await apiToken(nodeA.url, ALICE.email, PW);
    const witness = await stream(nodeA.url, '/api/v1/live', sse.bearer(token));
    const first = await stream(nodeA.url, '/api/v1/live', sse.bearer(token));
    const k0 = kindOf('before');
    await sse.publish(nodeA.dir, k0, { member: ids[ALICE.email] });
    const e0 = await first.next(k0, 3000);
    await witness.next(k0, 3000);
    first.close();

    const away = [];
    for (const [tag, member] of [['away', ids[ALICE.email]], ['other', ids[BRUNO.email]], ['away-all', 0], ['away', ids[ALICE.email]]]) {
        const k = kindOf(tag);
        await sse.publish(nodeA.dir, k, { member });
        away.push(k);
    }
    const resumed = await stream(nodeB.url, '/api/v1/live', { ...sse.bearer(token), 'last-event-id': e0.id });
    const k5 = kindOf('after');
    await sse.publish(nodeA.dir, k5, { member: ids[ALICE.email] });
    await witness.next(k5, 3000);
    await resumed.waitFor(k5, 3000);
    const k6 = kindOf('after');
    await sse.publish(nodeA.dir, k6, { member: ids[ALICE.email] });
    await witness.next(k6, 3000);
    await resumed.waitFor(k6, 3000);

    const expected = witness.events.filter((e) => Number(e.id) > Number(e0.id));
    assert.deepEqual(expected.map((e) => e.event), [away[0], away[2], away[3], k5, k6], `witness: ${witness.summary()}`);
    assert.deepEqual(
        resumed.events.map((e) => `${e.id}:${e.event}`),
        expected.map((e) => `${e.id}:${e.event}`),
        'node B replays the missed events, then the new ones, each once, in id order',
    );
    witness.close();
    resumed.close();
});

test('40 concurrent publications reach streams on both nodes once each, also a stream resuming meanwhile', { skip: SKIP }, async () => {
    const token = await apiToken(nodeA.url, BRUNO.email, PW);
    const bruno = ids[BRUNO.email];
    const onA = await stream(nodeA.url, '/api/v1/live', sse.bearer(token));
    const onB = await stream(nodeB.url, '/api/v1/live', sse.bearer(token));
    const leaving = await stream(nodeB.url, '/api/v1/live', sse.bearer(token));
    const k0 = kindOf('burst-start');
    await sse.publish(nodeA.dir, k0, { member: bruno });
    const e0 = await leaving.next(k0, 3000);
    leaving.close();
    const kinds = Array.from({ length: 40 }, () => kindOf('burst'));
    const publishing = Promise.all(kinds.map((k) => sse.publish(nodeA.dir, k, { member: bruno })));
    await sse.sleep(50);
    const resumed = await stream(nodeA.url, '/api/v1/live', { ...sse.bearer(token), 'last-event-id': e0.id });
    await publishing;
    const last = kindOf('burst-end');
    await sse.publish(nodeA.dir, last, { member: bruno });
    for (const s of [onA, onB, resumed]) {
        for (const k of [...kinds, last]) await s.waitFor(k, 5000);
        const got = s.events.filter((e) => e.event.startsWith('test.burst.'));
        const seen = got.map((e) => e.event);
        assert.equal(new Set(seen).size, seen.length, `each event once on ${s.url}: ${s.summary()}`);
        assert.equal(got.length, 40);
        const idsGot = got.map((e) => Number(e.id));
        const inversions = idsGot.filter((id, i) => i > 0 && id < idsGot[i - 1]).length;
        if (inversions) console.log(`# ${s.url}: ${inversions} id inversion(s) in live delivery (late commits): ${idsGot.join(',')}`);
        s.close();
    }
});

/* ---- the features' events across the nodes ---------------------------------------------------- */

/* An API call by u on node base; asserts the status and returns the JSON body. */
async function call(base, u, path, opts, status) {
    const res = await new Client(base).json(path, { ...opts, headers: sse.bearer(tokens[u.email]) });
    assert.equal(res.status, status, `${opts?.method ?? 'GET'} ${path} by ${u.email} on ${base}: ${res.status} ${res.body_text.slice(0, 300)}`);
    return res.json_body;
}

const isPost = (postId) => (e) => e.event === 'feed.new_posts' && e.json?.post_id === postId;

/* Publish a sentinel for u and wait for it on s: an event for u published earlier would be there. */
async function settle(s, u) {
    const kind = kindOf('sentinel');
    await sse.publish(nodeA.dir, kind, { member: ids[u.email] });
    await s.waitFor(kind, 3000);
}

test("a post published through node A reaches a follower's stream on node B, not a non-follower's nor a guest follower's", { skip: SKIP }, async () => {
    /* Following is done on node B, posting on node A: one database. */
    for (const u of [FABIEN, GUS]) await call(nodeB.url, u, `/api/v1/people/${ids[ELSA.email]}/follow`, { method: 'POST' }, 204);
    const streams = new Map();
    for (const u of [FABIEN, GUS, HELENE]) streams.set(u, await stream(nodeB.url, '/api/v1/live', sse.bearer(tokens[u.email])));
    const t0 = Date.now();
    const post = await call(nodeA.url, ELSA, '/api/v1/posts', { method: 'POST', body: { body: 'Publié sur le nœud A' } }, 201);
    const e = await streams.get(FABIEN).next(isPost(post.id), 3000);
    console.log(`# POST /api/v1/posts on A: "feed.new_posts" on B after ${e.at - t0} ms`);
    assert.deepEqual(e.json, { add: 1, post_id: post.id });
    for (const u of [GUS, HELENE]) {
        const s = streams.get(u);
        await settle(s, u);
        assert.ok(!s.events.some((x) => x.event === 'feed.new_posts'), `nothing for ${u.email}: ${s.summary()}`);
    }
    /* What the event announces is there on node B. */
    const feed = await call(nodeB.url, FABIEN, '/api/v1/feed', {}, 200);
    assert.equal(feed.items[0].id, post.id);
    for (const s of streams.values()) s.close();
});

test("a post in a private community reaches its members' streams on node B and not a non-member's", { skip: SKIP }, async () => {
    const com = await call(nodeA.url, IVAN, '/api/v1/communities', { method: 'POST', body: { name: 'Deux nœuds', purpose: 'Tester la diffusion entre nœuds.', visibility: 'private' } }, 201);
    await call(nodeB.url, FABIEN, `/api/v1/communities/${com.id}/join`, { method: 'POST' }, 200); /* a request, on B */
    await call(nodeA.url, IVAN, `/api/v1/communities/${com.id}/requests/${ids[FABIEN.email]}/approve`, { method: 'POST' }, 200);
    await call(nodeA.url, IVAN, `/api/v1/communities/${com.id}/members`, { method: 'POST', body: { member_id: ids[GUS.email] } }, 201);
    const member = await stream(nodeB.url, '/api/v1/live', sse.bearer(tokens[FABIEN.email]));
    const guest = await stream(nodeB.url, '/api/v1/live', sse.bearer(tokens[GUS.email]));
    const outsider = await stream(nodeB.url, '/api/v1/live', sse.bearer(tokens[HELENE.email]));
    const author = await stream(nodeB.url, '/api/v1/live', sse.bearer(tokens[IVAN.email]));
    const post = await call(nodeA.url, IVAN, '/api/v1/posts', { method: 'POST', body: { body: 'Réservé aux membres', community_id: com.id } }, 201);
    await member.next(isPost(post.id), 3000);
    await guest.next(isPost(post.id), 3000); /* a guest added to the community is one of its members */
    for (const [s, u] of [[outsider, HELENE], [author, IVAN]]) {
        await settle(s, u);
        assert.ok(!s.events.some(isPost(post.id)), `nothing for ${u.email}: ${s.summary()}`);
    }
    for (const s of [member, guest, outsider, author]) s.close();
});

test('a mention made through node B brings the notification count to a stream on node A', { skip: SKIP }, async () => {
    const onA = await stream(nodeA.url, '/api/v1/live', sse.bearer(tokens[HELENE.email]));
    const post = await call(nodeB.url, ELSA, '/api/v1/posts', { method: 'POST', body: { body: 'Une question pour @Hélène Vert' } }, 201);
    const count = await onA.waitFor('notifications.unread', 3000);
    assert.equal(count.json.count, 1);
    await onA.waitFor(isPost(post.id), 3000);
    onA.close();
});
