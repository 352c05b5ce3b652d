/*
 * 91-cli-migrate: `ruche migrate` moves a SQLite instance to PostgreSQL without losing anything.
 * A demo instance on SQLite, with a signed-in session, is migrated to a fresh database: the
 * command's verification and an independent psql count agree, the instance then serves from
 * PostgreSQL (the old session still works, new members get new ids), and every refusal
 * (target not empty, already on PostgreSQL, unreachable, instance being served) exits 1 and
 * changes nothing.  Usage errors exit 2.
 *
 * Needs a PostgreSQL cluster: the whole file is skipped unless RUCHE_TEST_PG is set
 * (tools/run-tests sets it for its PostgreSQL pass).  The instances here are SQLite ones
 * whatever the backend of the run, so they are created with `ruche init` directly, and
 * served by serveDir() below rather than startServer(), which always makes a new instance.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
    PG_URL,
    RUCHE_BIN,
    SANITIZER_RE,
    createDatabase,
    databaseUrlFor,
    dropDatabase,
    freePort,
    ruche,
    rucheOk,
    addUser,
} from './lib/server.mjs';
import { Client, signIn } from './lib/client.mjs';

const SKIP = PG_URL
    ? false
    : 'RUCHE_TEST_PG is not set: ruche migrate needs a PostgreSQL server (tools/run-tests runs this file in its PostgreSQL pass)';
const START_TIMEOUT_MS = Number(process.env.RUCHE_START_TIMEOUT_MS || 15000);
const PSQL = process.env.RUCHE_PSQL || 'psql';
const PW = 'migrated-pass-1';

const servers = new Set(); /* serve processes to kill if the test process dies first */
process.on('exit', () => {
    for (const p of servers) p.kill('SIGKILL');
});

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/* One SQL statement on the database at url; its unaligned, tuples-only output. */
function psqlAt(url, sql) {
    const res = spawnSync(PSQL, [url, '-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-c', sql], {
        encoding: 'utf8',
        timeout: 60000,
    });
    if (res.status !== 0) throw new Error(`psql -c '${sql}' exited ${res.status}\n${res.stdout}${res.stderr}`);
    return res.stdout.trim();
}

/* Relations in the public schema of the database at url (0 for an empty database). */
function relationCount(url) {
    return Number(psqlAt(url, "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public'"));
}

/* Serve an existing instance; resolves {url, stop()} once /healthz answers 200. */
async function serveDir(dir) {
    const port = await freePort();
    const proc = spawn(RUCHE_BIN, ['serve', '--data', dir, '--listen', `127.0.0.1:${port}`], {
        stdio: ['ignore', 'pipe', 'pipe'],
    });
    let log = '';
    let exited = null;
    servers.add(proc);
    proc.stdout.on('data', (d) => (log += d));
    proc.stderr.on('data', (d) => (log += d));
    const exit = new Promise((resolve) =>
        proc.on('exit', (code, signal) => {
            servers.delete(proc);
            exited = { code, signal };
            resolve(exited);
        }),
    );
    const url = `http://127.0.0.1:${port}`;
    /* SIGTERM, then fail unless it exited 0 without a sanitizer report. */
    const stop = async () => {
        if (!exited) proc.kill('SIGTERM');
        const res = await exit;
        assert.doesNotMatch(log, SANITIZER_RE, `sanitizer report in the server log:\n${log}`);
        assert.equal(res.code, 0, `ruche serve exited ${JSON.stringify(res)}\n${log.slice(-3000)}`);
    };
    for (const deadline = Date.now() + START_TIMEOUT_MS; Date.now() < deadline && !exited; ) {
        try {
            const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) });
            await res.arrayBuffer();
            if (res.status === 200) return { url, stop };
        } catch {
            /* not listening yet */
        }
        await sleep(100);
    }
    proc.kill('SIGKILL');
    await exit;
    throw new Error(`ruche serve --data ${dir} did not answer /healthz\n${log}`);
}

/* ruche migrate, failing on a sanitizer report whatever the exit code. */
async function migrate(args) {
    const res = await ruche(['migrate', ...args]);
    assert.doesNotMatch(res.stderr, SANITIZER_RE, res.stderr);
    return res;
}

/* The verification table of ruche migrate's stderr: [{table, sqlite, pg, status}]. */
function verification(stderr) {
    const at = stderr.indexOf('Vérification');
    assert.ok(at >= 0, `no verification table in:\n${stderr}`);
    return [...stderr.slice(at).matchAll(/^ {2}(\S+) +(\d+) +(\d+) {2}(OK|DIFFÉRENCE)$/gm)].map((m) => ({
        table: m[1],
        sqlite: Number(m[2]),
        pg: Number(m[3]),
        status: m[4],
    }));
}

/* Names and contents of the files directly in dir, to prove a refusal changed nothing. */
function snapshot(dir) {
    return fs
        .readdirSync(dir)
        .sort()
        .map((name) => {
            const p = path.join(dir, name);
            return fs.statSync(p).isFile() ? `${name}:${fs.readFileSync(p).toString('base64')}` : `${name}/`;
        });
}

describe('ruche migrate', { skip: SKIP }, () => {
    let scratch; /* every instance of this file */
    let dir; /* the demo instance, migrated by the first test */
    let database; /* its target database */
    let targetUrl;
    let admin; /* {email, password} of the demo */
    let members; /* how many members the demo created */
    let session; /* the admin's ruche_session cookie, signed in on SQLite */
    const databases = [];

    before(async () => {
        scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'ruche-e2e-migrate-'));
        dir = path.join(scratch, 'demo');
        await rucheOk(['init', '--data', dir]);
        const demo = await rucheOk(['demo', '--data', dir]);
        members = Number(demo.stdout.match(/\((\d+) membres\)/)[1]);
        const creds = fs.readFileSync(path.join(dir, 'demo-credentials.txt'), 'utf8');
        admin = { email: creds.match(/^email=(.*)$/m)[1], password: creds.match(/^password=(.*)$/m)[1] };
        /* A session made on SQLite: its token hash is a blob that must survive the copy. */
        const srv = await serveDir(dir);
        try {
            const { client } = await signIn(srv.url, admin.email, admin.password);
            session = client.cookie('ruche_session');
        } finally {
            await srv.stop();
        }
        database = await createDatabase();
        databases.push(database);
        targetUrl = databaseUrlFor(database);
    });

    after(async () => {
        for (const name of databases) await dropDatabase(name).catch(() => {});
        if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
    });

    test('migrate copies every table to an empty database and verifies each count', async () => {
        const res = await migrate(['--data', dir, '--to', targetUrl]);
        assert.equal(res.code, 0, `exit ${res.code}\n${res.stderr}`);
        const rows = verification(res.stderr);
        const names = rows.map((r) => r.table);
        for (const t of ['schema_migration', 'setting', 'account', 'session']) assert.ok(names.includes(t), `${t} verified`);
        for (const r of rows) {
            assert.equal(r.status, 'OK', `${r.table}: ${r.sqlite} vs ${r.pg}`);
            assert.equal(r.pg, r.sqlite, r.table);
            /* Independently of the command: count on PostgreSQL with psql. */
            assert.equal(Number(psqlAt(targetUrl, `SELECT count(*) FROM "${r.table}"`)), r.sqlite, `psql count of ${r.table}`);
        }
        assert.equal(rows.find((r) => r.table === 'account').sqlite, members, 'every demo member was copied');
        assert.ok(rows.find((r) => r.table === 'session').sqlite >= 1, 'the SQLite session was copied');
        assert.match(res.stderr, /account +\[#{20}\] +\d+\/\d+/, 'one progress line per table');
        assert.match(res.stdout, /ruche serve --data /, 'the summary gives the next step');
    });

    test('the migrated instance points at PostgreSQL and keeps its SQLite file as a backup', () => {
        const conf = fs.readFileSync(path.join(dir, 'ruche.conf'), 'utf8');
        assert.ok(conf.split('\n').includes(`database = ${targetUrl}`), conf);
        assert.match(conf, /^base_url = /m, 'the other settings are kept');
        const files = fs.readdirSync(dir);
        assert.ok(!files.includes('ruche.db'), 'ruche.db is renamed');
        assert.ok(files.some((f) => /^ruche\.db\.migrated-\d{8}$/.test(f)), files.join(' '));
        assert.ok(!files.some((f) => /-(wal|shm)$/.test(f)), files.join(' '));
        assert.ok(files.includes('files'), 'the file store stays in place');
    });

    test('the migrated instance serves from PostgreSQL: old session, sign-in, new members', async () => {
        const srv = await serveDir(dir);
        try {
            const old = new Client(srv.url);
            old.setCookie('ruche_session', session);
            const me = await old.json('/api/v1/me');
            assert.equal(me.status, 200, 'the session made on SQLite still signs in');
            assert.equal(me.json_body.email, admin.email);
            await signIn(srv.url, admin.email, admin.password);
            /* New rows get ids past the copied ones: the identity sequences were moved. */
            await addUser(dir, { email: 'after.migrate@example.test', name: 'Après Migration', password: PW });
            const { client } = await signIn(srv.url, 'after.migrate@example.test', PW);
            assert.equal((await client.json('/api/v1/me')).status, 200);
            assert.equal(Number(psqlAt(targetUrl, 'SELECT count(*) FROM account')), members + 1);
        } finally {
            await srv.stop();
        }
    });

    test('a second migrate to the same, now not empty, database is refused and changes nothing', async () => {
        const other = path.join(scratch, 'other');
        await rucheOk(['init', '--data', other]);
        const before = snapshot(other);
        const accounts = psqlAt(targetUrl, 'SELECT count(*) FROM account');
        const res = await migrate(['--data', other, '--to', targetUrl]);
        assert.equal(res.code, 1, res.stderr);
        assert.match(res.stderr, /pas vide/);
        assert.deepEqual(snapshot(other), before, 'the instance is untouched');
        assert.equal(psqlAt(targetUrl, 'SELECT count(*) FROM account'), accounts, 'the database is untouched');
    });

    test('an instance already on PostgreSQL, or no instance at all, is refused with exit 1', async () => {
        const again = await migrate(['--data', dir, '--to', targetUrl]);
        assert.equal(again.code, 1, again.stderr);
        assert.match(again.stderr, /déjà PostgreSQL/);
        const none = await migrate(['--data', path.join(scratch, 'nothing-here'), '--to', targetUrl]);
        assert.equal(none.code, 1, none.stderr);
        assert.ok(!fs.existsSync(path.join(scratch, 'nothing-here')), 'no instance is created');
    });

    test('an unreachable target is refused with exit 1 and changes nothing', async () => {
        const lone = path.join(scratch, 'lone');
        await rucheOk(['init', '--data', lone]);
        const before = snapshot(lone);
        const res = await migrate(['--data', lone, '--to', `postgresql:///nope?host=${path.join(scratch, 'no-socket')}&user=ruche`]);
        assert.equal(res.code, 1, res.stderr);
        assert.match(res.stderr, /joindre/);
        assert.deepEqual(snapshot(lone), before);
    });

    test('an instance being served is not migrated, and the target stays empty', async () => {
        const served = path.join(scratch, 'served');
        await rucheOk(['init', '--data', served]);
        const name = await createDatabase();
        databases.push(name);
        const srv = await serveDir(served);
        try {
            const res = await migrate(['--data', served, '--to', databaseUrlFor(name)]);
            assert.equal(res.code, 1, res.stderr);
            assert.match(res.stderr, /autre processus/);
        } finally {
            await srv.stop();
        }
        assert.equal(relationCount(databaseUrlFor(name)), 0, 'nothing was created in PostgreSQL');
        assert.ok(fs.existsSync(path.join(served, 'ruche.db')));
        assert.doesNotMatch(fs.readFileSync(path.join(served, 'ruche.conf'), 'utf8'), /^database/m);
    });

    test('usage errors exit 2, and --help exits 0 with the usage on stdout', async () => {
        const mysql = await migrate(['--data', dir, '--to', 'mysql://localhost/ruche']);
        assert.equal(mysql.code, 2, mysql.stderr);
        assert.match(mysql.stderr, /postgresql:\/\//);
        const noTarget = await migrate(['--data', dir]);
        assert.equal(noTarget.code, 2, noTarget.stderr);
        const extra = await migrate(['--data', dir, '--to', targetUrl, 'extra']);
        assert.equal(extra.code, 2, extra.stderr);
        const help = await migrate(['--help']);
        assert.equal(help.code, 0);
        assert.match(help.stdout, /^Usage : ruche migrate --data DIR --to postgresql:/);
    });
});
