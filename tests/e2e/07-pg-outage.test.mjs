/*
 * 07-pg-outage: the PostgreSQL server goes away while Ruche serves, then comes back.
 *
 * A member signs in and changes a setting (POST /settings/language lang=en, acknowledged by a
 * 303).  Then `tools/pg-test-server pause DIR` stops PostgreSQL (fast shutdown: every
 * connection is cut).  While it is away, Ruche answers 503 and keeps running: the signed-in
 * home page is the error page in the layout with Retry-After, the JSON API answers the error
 * envelope, /healthz says 503, and a write is refused rather than half done.  After `resume`
 * the same requests answer 200 again within a few seconds, without restarting ruche, and the
 * acknowledged write is still there.  A connection broken by the outage is re-established
 * when the pool lends it again (db_pg.c pg_check), so the first requests after the resume may
 * still fail: the recovery is polled, bounded at 20 s.
 *
 * PostgreSQL only: needs $RUCHE_TEST_PG and the directory of that server in
 * $RUCHE_TEST_PG_DIR (tools/run-tests sets both).  This file stops the shared test server, so
 * tools/run-tests runs it alone, after the other files; do the same by hand.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { PG_URL, REPO_ROOT, rucheOk, startServer } from './lib/server.mjs';
import { Client, signIn, apiToken } from './lib/client.mjs';

const PG_DIR = process.env.RUCHE_TEST_PG_DIR || null;
const SKIP = !PG_URL
    ? 'RUCHE_TEST_PG is not set: an outage of PostgreSQL needs PostgreSQL'
    : !PG_DIR
      ? 'RUCHE_TEST_PG_DIR is not set: the directory of the tools/pg-test-server server is needed to pause it'
      : false;
const PG_TEST_SERVER = path.join(REPO_ROOT, 'tools', 'pg-test-server');
const RECOVERY_TIMEOUT_MS = Number(process.env.RUCHE_RECOVERY_TIMEOUT_MS || 20000);

const PW = 'correct-horse-1';
const ALICE = { email: 'alice@example.test', name: 'Alice Martin', password: PW };

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

let paused = false;

/* tools/pg-test-server pause|resume on the shared server; throws with its output on failure. */
function pgServer(cmd) {
    const res = spawnSync(PG_TEST_SERVER, [cmd, PG_DIR], { encoding: 'utf8', timeout: 120000 });
    if (res.status !== 0) {
        throw new Error(`tools/pg-test-server ${cmd} ${PG_DIR} exited ${res.status ?? res.signal}\n${res.stdout}${res.stderr}`);
    }
    paused = cmd === 'pause';
}

let srv;
let member; /* Client signed in as Alice, through the login form */
let token; /* Alice's API bearer token */

before(async () => {
    if (SKIP) return;
    srv = await startServer({ users: [ALICE] });
    ({ client: member } = await signIn(srv.url, ALICE.email, ALICE.password));
    token = await apiToken(srv.url, ALICE.email, ALICE.password);
});

after(async () => {
    /* Whatever happened, the shared server runs again for whoever comes next. */
    if (paused) pgServer('resume');
    if (srv) await srv.stopChecked();
});

const bearer = () => ({ authorization: `Bearer ${token}` });

/* A client carrying only Alice's session cookie: no language cookie, so the page's language is the account's. */
function sessionOnly() {
    const c = new Client(srv.url);
    c.setCookie('ruche_session', member.cookie('ruche_session'));
    return c;
}

function assertEnvelope(res, status, what) {
    assert.equal(res.status, status, `${what}: status ${res.status}: ${res.body_text.slice(0, 300)}`);
    assert.match(res.headers.get('content-type') || '', /^application\/json/, `${what}: content-type`);
    const e = res.json_body?.error;
    assert.ok(e && typeof e === 'object', `${what}: {"error":{…}} envelope, got ${res.body_text.slice(0, 200)}`);
    assert.equal(typeof e.code, 'string', `${what}: error.code`);
    assert.ok(e.code.length > 0, `${what}: error.code`);
    assert.equal(typeof e.message, 'string', `${what}: error.message`);
    assert.ok(e.message.length > 0, `${what}: error.message`);
}

function assertAlive(what) {
    assert.equal(srv.proc.exitCode, null, `${what}: ruche exited ${srv.proc.exitCode}\n${srv.logs().slice(-3000)}`);
    assert.equal(srv.proc.signalCode, null, `${what}: ruche was killed by ${srv.proc.signalCode}\n${srv.logs().slice(-3000)}`);
}

/* Poll fn until it returns true (else a description); returns the failed tries before, or fails after RECOVERY_TIMEOUT_MS. */
async function eventually(what, fn) {
    const deadline = Date.now() + RECOVERY_TIMEOUT_MS;
    let last = '';
    for (let failures = 0; Date.now() < deadline; failures++) {
        const res = await fn();
        if (res === true) return failures;
        last = res;
        await sleep(200);
    }
    assert.fail(`${what}: not within ${RECOVERY_TIMEOUT_MS} ms after the resume (last: ${last})`);
}

test('PostgreSQL stops then comes back: 503 meanwhile, 200 again after, nothing acknowledged lost', { skip: SKIP }, async (t) => {
    /* An acknowledged write before the outage. */
    const lang = await member.postWithCsrf('/settings/language', { lang: 'en' });
    assert.equal(lang.status, 303, `POST /settings/language: ${lang.status} ${lang.body_text.slice(0, 300)}`);
    const before = await sessionOnly().get('/');
    assert.equal(before.status, 200);
    assert.match(before.body_text, /<html[^>]*\blang="en"/, 'the account is in English before the outage');
    const csrfBefore = await member.csrf('/');

    pgServer('pause');

    await t.test('while PostgreSQL is away', async () => {
        /* More requests than the pool has connections, so every one meets the outage. */
        for (let i = 0; i < 3; i++) {
            const home = await member.get('/');
            assert.equal(home.status, 503, `GET / (${i}): ${home.status} ${home.body_text.slice(0, 300)}`);
            assert.match(home.headers.get('content-type') || '', /^text\/html/, 'an HTML page');
            assert.match(home.body_text, /^<!DOCTYPE html>/i, 'a whole page');
            assert.match(home.body_text, /<header class="site-header"/, 'in the layout');
            assert.match(home.body_text, /<footer class="site-footer"/, 'in the layout');
            assert.ok(home.headers.get('retry-after'), 'GET / 503 has Retry-After');
            assert.doesNotMatch(home.body_text, /SELECT|postgres|libpq/i, 'no database detail shown');

            const me = await new Client(srv.url).json('/api/v1/me', { headers: bearer() });
            assertEnvelope(me, 503, `GET /api/v1/me (${i})`);
            assert.ok(me.headers.get('retry-after'), 'GET /api/v1/me 503 has Retry-After');

            const health = await new Client(srv.url).json('/healthz');
            assertEnvelope(health, 503, `GET /healthz (${i})`);
            assertAlive(`request round ${i}`);
        }
        /* Many at once: several pooled connections meet the outage together. */
        const many = await Promise.all(Array.from({ length: 12 }, () => sessionOnly().get('/')));
        assert.deepEqual(
            many.map((r) => r.status),
            many.map(() => 503),
        );
        /* A write is refused with 503, not half done (checked after the resume). */
        const write = await member.postForm('/settings/language', { lang: 'fr', csrf_token: csrfBefore });
        assert.equal(write.status, 503, `POST /settings/language during the outage: ${write.status}`);
        /* The page without a session (it needs no database) is still served. */
        const login = await new Client(srv.url).get('/login');
        assert.ok([200, 503].includes(login.status), `GET /login: ${login.status}`);
        t.diagnostic(`GET /login during the outage: ${login.status}`);
        await sleep(2500); /* a poll of the job worker and of the live bus meet the outage too */
        assertAlive('after the worker met the outage');
    });

    pgServer('resume');

    await t.test('after PostgreSQL is back, without restarting ruche', async () => {
        const failedFirst = await eventually('GET / answers 200', async () => {
            const res = await member.get('/');
            return res.status === 200 || `status ${res.status}`;
        });
        await eventually('GET /api/v1/me answers 200', async () => {
            const res = await new Client(srv.url).json('/api/v1/me', { headers: bearer() });
            return res.status === 200 || `status ${res.status}`;
        });
        await eventually('GET /healthz answers 200', async () => {
            const res = await new Client(srv.url).get('/healthz');
            return res.status === 200 || `status ${res.status}`;
        });
        /* Every pooled connection is usable again: a burst finds no broken one left. */
        await eventually('a burst of GET / all answer 200', async () => {
            const many = await Promise.all(Array.from({ length: 12 }, () => sessionOnly().get('/')));
            return many.every((r) => r.status === 200) || many.map((r) => r.status).join(',');
        });
        t.diagnostic(`GET / failed ${failedFirst} time(s) after the resume before answering 200`);
        const me = await new Client(srv.url).json('/api/v1/me', { headers: bearer() });
        assert.equal(me.status, 200);
        assert.equal(me.json_body?.email, ALICE.email);
        /* The write acknowledged before the outage is there; the refused one is not. */
        const home = await sessionOnly().get('/');
        assert.equal(home.status, 200);
        assert.match(home.body_text, /<html[^>]*\blang="en"/, 'the account is still in English');
        /* The background worker drains the queue again. */
        await rucheOk(['debug-enqueue', '--data', srv.dir, '--kind', 'echo', '--payload', 'after-outage']);
        await eventually('a job queued after the outage runs', async () => {
            const { stdout } = await rucheOk(['debug-jobs', '--data', srv.dir]);
            const last = stdout.trim().split('\n').pop() || '';
            return /^\d+ echo 1 done /.test(last) || `last job: ${last}`;
        });
        assertAlive('after the recovery');
    });
});
