/*
 * 06-jobs-queue: the background job queue that every `ruche serve` drains (src/jobs).
 *
 * Jobs are queued and inspected with the hidden commands `ruche debug-enqueue --data DIR
 * --kind echo [--payload P] [--count N]` and `ruche debug-jobs --data DIR` (one line per job:
 * `id kind attempts state node`).  Each server runs one worker thread that polls every 2 s.
 * On either backend: 50 echo jobs each run once; a failing job waits, pending, for its retry
 * (30 s of backoff); the hourly maintenance ran at start and its next run is queued.
 *
 * On PostgreSQL only (skipped otherwise): two nodes serve one instance.  400 jobs are each run
 * by exactly one node (attempts 1, one "echo" log line per job over both logs); how many each
 * node ran is reported, not asserted.  A session opened on one node works on the other, and
 * signing out on one ends it on both.
 *
 * Waits poll with a generous bound (sanitizer builds are slow); nothing asserts on speed.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { BACKEND, RUCHE_BIN, SANITIZER_RE, freePort, rucheOk, startServer } from './lib/server.mjs';
import { Client, signIn } from './lib/client.mjs';

const PW = 'correct-horse-1';
const ALICE = { email: 'alice@example.test', name: 'Alice Martin', password: PW };
const START_TIMEOUT_MS = Number(process.env.RUCHE_START_TIMEOUT_MS || 15000);
/* The longest wait for the queue to drain; the worker polls every 2 s. */
const DRAIN_TIMEOUT_MS = Number(process.env.RUCHE_JOBS_TIMEOUT_MS || 180000);

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/* `ruche debug-jobs`: [{id, kind, attempts, state, node}] in id order. */
async function jobs(dir) {
    const { stdout } = await rucheOk(['debug-jobs', '--data', dir]);
    return stdout
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => {
            const m = line.match(/^(\d+) (\S+) (\d+) (pending|running|done|failed) (\S+)$/);
            assert.ok(m, `debug-jobs line not "id kind attempts state node": ${JSON.stringify(line)}`);
            return { id: Number(m[1]), kind: m[2], attempts: Number(m[3]), state: m[4], node: m[5] };
        });
}

/* The highest job id so far (0 for none): jobs queued later have greater ids. */
async function lastJobId(dir) {
    return (await jobs(dir)).reduce((max, j) => Math.max(max, j.id), 0);
}

/* Queue count echo jobs with payload; returns their jobs once queued (ids after `since`). */
async function enqueueEcho(dir, { payload, count }) {
    const since = await lastJobId(dir);
    const args = ['debug-enqueue', '--data', dir, '--kind', 'echo', '--count', String(count)];
    if (payload !== undefined) args.push('--payload', payload);
    const res = await rucheOk(args);
    assert.match(res.stdout, new RegExp(`^${count} tâche`), res.stdout);
    const mine = (await jobs(dir)).filter((j) => j.id > since && j.kind === 'echo');
    assert.equal(mine.length, count, `${count} echo jobs queued after id ${since}`);
    return { since, ids: new Set(mine.map((j) => j.id)) };
}

/* Poll debug-jobs until check(list) returns true; fails with the last list after timeoutMs. */
async function waitForJobs(dir, what, check, { timeoutMs = DRAIN_TIMEOUT_MS, everyMs = 250 } = {}) {
    const deadline = Date.now() + timeoutMs;
    let list = [];
    for (;;) {
        list = await jobs(dir);
        if (check(list)) return list;
        if (Date.now() > deadline) break;
        await sleep(everyMs);
    }
    const summary = list.map((j) => `${j.id} ${j.kind} ${j.attempts} ${j.state}`).join('\n');
    assert.fail(`${what}: not reached within ${timeoutMs} ms; debug-jobs says:\n${summary.slice(-4000)}`);
}

/* Lines of a server log that record an echo job run with this payload. */
function echoRuns(log, payload) {
    return log.split('\n').filter((line) => /\bmsg="?echo"?(\s|$)/.test(line) && line.includes(`payload=${payload}`)).length;
}

/*
 * Serve an existing instance as a second node; resolves {url, logs(), stopChecked()} once
 * /healthz answers 200.  stopChecked() fails unless SIGTERM ends it with 0 and no sanitizer report.
 */
const extraNodes = new Set();
process.on('exit', () => {
    for (const p of extraNodes) p.kill('SIGKILL');
});

async function serveNode(dir) {
    for (let attempt = 0; attempt < 3; attempt++) {
        const port = await freePort();
        const proc = spawn(RUCHE_BIN, ['serve', '--data', dir, '--listen', `127.0.0.1:${port}`], {
            stdio: ['ignore', 'pipe', 'pipe'],
        });
        let log = '';
        let exited = null;
        extraNodes.add(proc);
        proc.stdout.on('data', (d) => (log += d));
        proc.stderr.on('data', (d) => (log += d));
        const exit = new Promise((resolve) =>
            proc.on('exit', (code, signal) => {
                extraNodes.delete(proc);
                exited = { code, signal };
                resolve(exited);
            }),
        );
        const url = `http://127.0.0.1:${port}`;
        const node = {
            url,
            logs: () => log,
            async stopChecked() {
                if (!exited) proc.kill('SIGTERM');
                const timer = setTimeout(() => proc.kill('SIGKILL'), 20000);
                const res = await exit;
                clearTimeout(timer);
                assert.doesNotMatch(log, SANITIZER_RE, `sanitizer report in the second node's log:\n${log.slice(-3000)}`);
                assert.equal(res.code, 0, `second node exited ${JSON.stringify(res)}\n${log.slice(-3000)}`);
            },
        };
        for (const deadline = Date.now() + START_TIMEOUT_MS; Date.now() < deadline && !exited; ) {
            try {
                const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) });
                await res.arrayBuffer();
                if (res.status === 200) return node;
            } catch {
                /* not listening yet */
            }
            await sleep(100);
        }
        if (!exited) proc.kill('SIGKILL');
        await exit;
        if (attempt === 2) throw new Error(`second ruche serve --data ${dir} did not answer /healthz\n${log}`);
    }
    throw new Error('unreachable');
}

describe('the job queue of one node', () => {
    let srv;

    before(async () => {
        srv = await startServer();
    });

    after(async () => {
        if (srv) await srv.stopChecked();
    });

    test('the hourly maintenance ran once at start (done, attempts 1) and its next run is pending', async () => {
        const list = await waitForJobs(srv.dir, 'maintenance done', (l) =>
            l.some((j) => j.kind === 'maintenance' && j.state === 'done'),
        );
        const maintenance = list.filter((j) => j.kind === 'maintenance');
        const done = maintenance.filter((j) => j.state === 'done');
        const pending = maintenance.filter((j) => j.state === 'pending');
        assert.equal(done.length, 1, `one maintenance run: ${JSON.stringify(maintenance)}`);
        assert.equal(done[0].attempts, 1);
        assert.notEqual(done[0].node, '-', 'a done job names the node that ran it');
        assert.equal(pending.length, 1, `the next maintenance is queued: ${JSON.stringify(maintenance)}`);
        assert.equal(pending[0].attempts, 0, 'the next maintenance has not run yet');
        assert.ok(pending[0].id > done[0].id);
        assert.equal(pending[0].node, '-');
    });

    test('50 echo jobs are each run once: all done with attempts 1', async () => {
        const payload = `fifty-${process.pid}`;
        const { ids } = await enqueueEcho(srv.dir, { payload, count: 50 });
        const list = await waitForJobs(srv.dir, '50 echo jobs done', (l) =>
            l.filter((j) => ids.has(j.id)).every((j) => j.state === 'done'),
        );
        const mine = list.filter((j) => ids.has(j.id));
        assert.equal(mine.length, 50);
        for (const j of mine) {
            assert.equal(j.state, 'done', `job ${j.id}`);
            assert.equal(j.attempts, 1, `job ${j.id} ran ${j.attempts} times`);
            assert.notEqual(j.node, '-', `job ${j.id} names its node`);
        }
        assert.equal(new Set(mine.map((j) => j.node)).size, 1, 'one node ran them all');
        /* Each run logs its payload once. */
        const deadline = Date.now() + 10000;
        while (echoRuns(srv.logs(), payload) < 50 && Date.now() < deadline) await sleep(100);
        assert.equal(echoRuns(srv.logs(), payload), 50, 'one "echo" log line per job');
    });

    test('a failing job is tried once, then waits pending for its retry (backoff)', async () => {
        const { ids } = await enqueueEcho(srv.dir, { payload: 'fail', count: 1 });
        const [id] = ids;
        await waitForJobs(srv.dir, 'the failing job tried once', (l) => l.some((j) => j.id === id && j.attempts >= 1));
        /* Three polls of the worker later it has not been tried again: the retry is 30 s away. */
        await sleep(6000);
        const job = (await jobs(srv.dir)).find((j) => j.id === id);
        assert.ok(job, `job ${id} still listed`);
        assert.equal(job.state, 'pending', `job ${id} waits for its retry: ${JSON.stringify(job)}`);
        assert.equal(job.attempts, 1, `job ${id} was tried once: ${JSON.stringify(job)}`);
        assert.equal(job.node, '-', 'no node holds a claim on a job waiting for its retry');
        assert.match(srv.logs(), /msg="?job failed"?.*kind=echo/, 'the failure is logged');
        /* The worker keeps draining other jobs meanwhile. */
        const ok = await enqueueEcho(srv.dir, { payload: 'after-fail', count: 1 });
        await waitForJobs(srv.dir, 'a job after the failing one', (l) =>
            l.some((j) => ok.ids.has(j.id) && j.state === 'done'),
        );
    });

    test('debug-enqueue refuses a bad --count and a missing --kind (exit 2), queueing nothing', async () => {
        const before = await lastJobId(srv.dir);
        for (const args of [
            ['--kind', 'echo', '--count', '0'],
            ['--kind', 'echo', '--count', 'x'],
            ['--kind', 'echo', '--count', '100001'],
            ['--count', '3'],
        ]) {
            const res = await srv.cli(['debug-enqueue', '--data', srv.dir, ...args]);
            assert.equal(res.code, 2, `debug-enqueue ${args.join(' ')} exited ${res.code}: ${res.stderr}`);
        }
        assert.equal(await lastJobId(srv.dir), before);
    });
});

describe('two nodes on one PostgreSQL database', { skip: BACKEND === 'postgresql' ? false : 'two nodes share an instance only on PostgreSQL (RUCHE_TEST_PG is not set)' }, () => {
    let a; /* the first node, made by startServer() */
    let b; /* a second `ruche serve` on the same instance */

    before(async () => {
        a = await startServer({ users: [ALICE] });
        b = await serveNode(a.dir);
    });

    after(async () => {
        let failure = null;
        if (b) await b.stopChecked().catch((err) => (failure = err));
        if (a) await a.stopChecked();
        if (failure) throw failure;
    });

    test('400 jobs are each run by exactly one node (attempts 1, one run logged per job)', async (t) => {
        const payload = `pair-${process.pid}`;
        const { ids } = await enqueueEcho(a.dir, { payload, count: 400 });
        const list = await waitForJobs(a.dir, '400 echo jobs done', (l) =>
            l.filter((j) => ids.has(j.id)).every((j) => j.state === 'done'),
        );
        const mine = list.filter((j) => ids.has(j.id));
        assert.equal(mine.length, 400);
        const twice = mine.filter((j) => j.attempts !== 1);
        assert.deepEqual(twice, [], 'no job claimed more than once');
        for (const j of mine) assert.equal(j.state, 'done', `job ${j.id}`);
        /* Both logs together hold one run per job. */
        const deadline = Date.now() + 10000;
        const runs = () => echoRuns(a.logs(), payload) + echoRuns(b.logs(), payload);
        while (runs() < 400 && Date.now() < deadline) await sleep(100);
        assert.equal(runs(), 400, `echo runs logged: node A ${echoRuns(a.logs(), payload)}, node B ${echoRuns(b.logs(), payload)}`);

        const perNode = new Map();
        for (const j of mine) perNode.set(j.node, (perNode.get(j.node) || 0) + 1);
        t.diagnostic(
            `jobs run per node: ${[...perNode].map(([node, n]) => `${node}=${n}`).join(', ')}` +
                ` (log lines: A ${echoRuns(a.logs(), payload)}, B ${echoRuns(b.logs(), payload)})`,
        );
        assert.ok(perNode.size >= 1 && perNode.size <= 2, `jobs done by ${perNode.size} nodes`);
    });

    test('a session opened on node A works on node B: GET / is the home page', async () => {
        const { client: onA } = await signIn(a.url, ALICE.email, ALICE.password);
        const onB = new Client(b.url);
        onB.setCookie('ruche_session', onA.cookie('ruche_session'));
        const res = await onB.get('/');
        assert.equal(res.status, 200, `GET / on B: ${res.status} ${res.body_text.slice(0, 300)}`);
        assert.match(res.headers.get('content-type') || '', /^text\/html/);
        assert.match(res.body_text, /Bonjour/);
        assert.match(res.body_text, /Alice/);
    });

    test('signing out on node B ends the session on node A too', async () => {
        const { client: onA } = await signIn(a.url, ALICE.email, ALICE.password);
        const session = onA.cookie('ruche_session');
        assert.equal((await onA.get('/')).status, 200);
        const onB = new Client(b.url);
        onB.setCookie('ruche_session', session);
        const out = await onB.postWithCsrf('/logout', {});
        assert.equal(out.status, 303, `POST /logout on B: ${out.status} ${out.body_text.slice(0, 300)}`);
        const again = new Client(a.url);
        again.setCookie('ruche_session', session);
        const res = await again.get('/');
        assert.equal(res.status, 303, 'the session no longer works on A');
    });
});
