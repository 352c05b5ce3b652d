/*
 * server.mjs - start a real Ruche instance on a temporary directory for one test file.
 *
 * startServer() runs `ruche init`, creates the requested members with `ruche user add`
 * (passwords on stdin), optionally fills the instance with `ruche demo`, picks a free
 * loopback port, spawns `ruche serve` and polls GET /healthz until it answers 200.
 * stop() sends SIGTERM, waits for the exit, and removes the directory.
 *
 * The binary is $RUCHE_BIN, or <repo>/build/ruche.  Only 127.0.0.1 is ever used.
 * Every server started here is killed when the test process exits, even on a crash.
 *
 * Backend: SQLite by default.  When $RUCHE_TEST_PG is set to the URL of a PostgreSQL
 * database that can create others (tools/pg-test-server prints one, e.g.
 * postgresql:///postgres?host=/tmp/x&user=ruche), each startServer() creates a fresh
 * database with psql, runs `ruche init --data DIR --database URL-of-that-database`, and
 * stop() drops it.  Databases left behind by a crash are dropped when the process exits.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const RUCHE_BIN = process.env.RUCHE_BIN || path.join(REPO_ROOT, 'build', 'ruche');
export const E2E_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/* Sanitizer builds are several times slower: scale waits, never assert on time. */
const START_TIMEOUT_MS = Number(process.env.RUCHE_START_TIMEOUT_MS || 15000);
const CLI_TIMEOUT_MS = Number(process.env.RUCHE_CLI_TIMEOUT_MS || 120000);

/* What ASan, LSan and UBSan print; any of it fails the run even when the exit code is 0. */
export const SANITIZER_RE = /ERROR: \w*Sanitizer|SUMMARY: \w*Sanitizer|runtime error:/;

/* The PostgreSQL "template" URL (any database of the test cluster), or null for SQLite. */
export const PG_URL = process.env.RUCHE_TEST_PG || null;
/* Which backend the servers started here use: 'sqlite' or 'postgresql'. */
export const BACKEND = PG_URL ? 'postgresql' : 'sqlite';
const PSQL = process.env.RUCHE_PSQL || 'psql';

const live = new Set(); /* child processes to kill if the test process dies first */
const liveDatabases = new Set(); /* PostgreSQL databases to drop if the test process dies first */
process.on('exit', () => {
    for (const child of live) {
        try {
            child.kill('SIGKILL');
        } catch {
            /* already gone */
        }
    }
    for (const name of liveDatabases) {
        spawnSync(PSQL, psqlArgs(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`), {
            stdio: 'ignore',
            timeout: 10000,
        });
    }
});

/*
 * The URL of database `name` on the cluster of $RUCHE_TEST_PG: the same URL with its path
 * replaced, e.g. postgresql:///ruche_1_2_ab?host=/tmp/x&user=ruche.
 */
export function databaseUrlFor(name) {
    if (!PG_URL) throw new Error('databaseUrlFor() needs RUCHE_TEST_PG');
    const m = PG_URL.match(/^(postgres(?:ql)?:\/\/[^/?#]*)(?:\/[^?#]*)?(\?[^#]*)?$/);
    if (!m) throw new Error(`RUCHE_TEST_PG is not a postgresql:// URL: ${PG_URL}`);
    return `${m[1]}/${encodeURIComponent(name)}${m[2] || ''}`;
}

function psqlArgs(sql) {
    return [PG_URL, '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-c', sql];
}

/* Run one SQL statement with psql against $RUCHE_TEST_PG; throws with psql's output on failure. */
export function psql(sql, { timeoutMs = CLI_TIMEOUT_MS } = {}) {
    return new Promise((resolve, reject) => {
        const child = spawn(PSQL, psqlArgs(sql), { stdio: ['ignore', 'pipe', 'pipe'] });
        let out = '';
        const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
        child.stdout.on('data', (d) => (out += d));
        child.stderr.on('data', (d) => (out += d));
        child.on('error', (err) => {
            clearTimeout(timer);
            reject(new Error(`cannot run ${PSQL}: ${err.message}`));
        });
        child.on('close', (code, signal) => {
            clearTimeout(timer);
            if (code === 0) resolve(out);
            else reject(new Error(`psql -c '${sql}' exited ${code ?? signal}\n${out}`));
        });
    });
}

let databaseCounter = 0;

/* Create a fresh, uniquely named database; returns its name. */
export async function createDatabase() {
    const rand = Math.random().toString(36).slice(2, 8);
    const name = `ruche_${process.pid}_${++databaseCounter}_${rand}`;
    liveDatabases.add(name);
    try {
        await psql(`CREATE DATABASE "${name}"`);
    } catch (err) {
        liveDatabases.delete(name);
        throw err;
    }
    return name;
}

/* Drop a database made by createDatabase(), closing any connection left to it. */
export async function dropDatabase(name) {
    await psql(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    liveDatabases.delete(name);
}

/*
 * Run the ruche CLI.  input (string) is written to stdin, then stdin is closed.
 * Resolves {code, signal, stdout, stderr}; never rejects on a non-zero exit.
 */
export function ruche(args, { input = '', timeoutMs = CLI_TIMEOUT_MS } = {}) {
    return new Promise((resolve, reject) => {
        const child = spawn(RUCHE_BIN, args, { stdio: ['pipe', 'pipe', 'pipe'] });
        let stdout = '';
        let stderr = '';
        const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
        child.stdout.on('data', (d) => (stdout += d));
        child.stderr.on('data', (d) => (stderr += d));
        child.on('error', (err) => {
            clearTimeout(timer);
            reject(new Error(`cannot run ${RUCHE_BIN}: ${err.message}`));
        });
        child.on('close', (code, signal) => {
            clearTimeout(timer);
            resolve({ code, signal, stdout, stderr });
        });
        child.stdin.on('error', () => {}); /* the command may exit before reading stdin */
        child.stdin.end(input);
    });
}

/* Like ruche() but throws with the output when the exit code is not 0. */
export async function rucheOk(args, opts) {
    const res = await ruche(args, opts);
    if (res.code !== 0 || SANITIZER_RE.test(res.stderr)) {
        throw new Error(
            `ruche ${args.join(' ')} exited ${res.code ?? res.signal}\n` +
                `stdout: ${res.stdout}\nstderr: ${res.stderr}`,
        );
    }
    return res;
}

/* A port that was free a moment ago on 127.0.0.1. */
export function freePort() {
    return new Promise((resolve, reject) => {
        const srv = net.createServer();
        srv.unref();
        srv.on('error', reject);
        srv.listen(0, '127.0.0.1', () => {
            const { port } = srv.address();
            srv.close(() => resolve(port));
        });
    });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/*
 * Add a member: {email, name, password, role?, temporary?}.  Returns the CLI result
 * (code, stdout, stderr); use rucheOk semantics by passing mustSucceed.
 */
export function addUser(dir, user, { mustSucceed = true } = {}) {
    const args = ['user', 'add', '--data', dir, '--email', user.email, '--name', user.name];
    if (user.role) args.push('--role', user.role);
    if (user.temporary) args.push('--temporary');
    const run = mustSucceed ? rucheOk : ruche;
    return run(args, { input: `${user.password}\n` });
}

/*
 * Start an instance.
 *   users: [{email, name, password, role?, temporary?}]  created before serving
 *   demo:  true to run `ruche demo` before serving (its stdout is returned as demoOutput)
 *   config: ["key = value", ...] lines appended to ruche.conf (a later line wins)
 * Returns {url, port, dir, proc, stop(), logs(), cli(args, opts), demoOutput}.
 */
export async function startServer({ users = [], demo = false, config = [] } = {}) {
    if (!fs.existsSync(RUCHE_BIN)) throw new Error(`no ruche binary at ${RUCHE_BIN}`);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ruche-e2e-'));
    const data = path.join(dir, 'data');
    let demoOutput = null;
    let database = null; /* PostgreSQL database name, when RUCHE_TEST_PG is set */
    try {
        if (PG_URL) {
            database = await createDatabase();
            await rucheOk(['init', '--data', data, '--database', databaseUrlFor(database)]);
        } else {
            await rucheOk(['init', '--data', data]);
        }
        for (const u of users) {
            if (!u.password || u.password.length < 10) throw new Error('test passwords need 10+ chars');
            await addUser(data, u);
        }
        if (demo) demoOutput = (await rucheOk(['demo', '--data', data])).stdout;
        if (config.length) fs.appendFileSync(path.join(data, 'ruche.conf'), config.map((l) => `${l}\n`).join(''));
    } catch (err) {
        fs.rmSync(dir, { recursive: true, force: true });
        if (database) await dropDatabase(database).catch(() => {});
        throw err;
    }

    let proc;
    let port;
    let logText = '';
    let exited = null; /* {code, signal} once the process is gone */
    let exitPromise;

    async function spawnServe() {
        port = await freePort();
        logText = '';
        exited = null;
        proc = spawn(RUCHE_BIN, ['serve', '--data', data, '--listen', `127.0.0.1:${port}`], {
            stdio: ['ignore', 'pipe', 'pipe'],
        });
        live.add(proc);
        proc.stdout.on('data', (d) => (logText += d));
        proc.stderr.on('data', (d) => (logText += d));
        exitPromise = new Promise((resolve) => {
            proc.on('exit', (code, signal) => {
                exited = { code, signal };
                live.delete(proc);
                resolve(exited);
            });
            proc.on('error', (err) => {
                exited = { code: null, signal: null, error: err };
                live.delete(proc);
                resolve(exited);
            });
        });
        const url = `http://127.0.0.1:${port}`;
        const deadline = Date.now() + START_TIMEOUT_MS;
        while (Date.now() < deadline) {
            if (exited) break;
            try {
                const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) });
                await res.arrayBuffer();
                if (res.status === 200) return url;
            } catch {
                /* not listening yet */
            }
            await sleep(100);
        }
        if (!exited) proc.kill('SIGKILL');
        await exitPromise;
        return null;
    }

    /* The port may be taken between freePort() and bind(): try a few ports. */
    let url = null;
    for (let attempt = 0; attempt < 3 && !url; attempt++) url = await spawnServe();
    if (!url) {
        const out = logText;
        fs.rmSync(dir, { recursive: true, force: true });
        if (database) await dropDatabase(database).catch(() => {});
        throw new Error(`ruche serve did not answer /healthz within ${START_TIMEOUT_MS} ms\n${out}`);
    }

    let stopped = null;
    let signalled = false; /* a stop signal was already sent: stop() only waits */
    return {
        url,
        port,
        dir: data,
        backend: BACKEND,
        /* The PostgreSQL database name and URL, or null with SQLite. */
        database,
        databaseUrl: database ? databaseUrlFor(database) : null,
        get proc() {
            return proc;
        },
        /* Send a signal now (for tests of shutdown); a later stop() waits without re-signalling. */
        kill(signal = 'SIGTERM') {
            signalled = true;
            proc.kill(signal);
        },
        demoOutput,
        logs: () => logText,
        cli: (args, opts) => ruche(args, opts),
        /*
         * stop(), then throw unless the server exited 0 after SIGTERM without any sanitizer
         * report (leaks at shutdown fail the run).  For after() hooks.
         */
        async stopChecked() {
            const res = await this.stop('SIGTERM');
            const log = logText;
            const m = log.match(SANITIZER_RE);
            if (m) throw new Error(`sanitizer report in the server log:\n${log.slice(Math.max(0, m.index - 200), m.index + 3000)}`);
            if (!res || res.code !== 0) {
                throw new Error(`ruche serve exited ${JSON.stringify(res)} after SIGTERM\n${log.slice(-3000)}`);
            }
            return res;
        },
        /* Signal the server, wait for it to exit, remove the directory.  Returns {code, signal}. */
        stop(signal = 'SIGTERM') {
            if (stopped) return stopped;
            stopped = (async () => {
                if (!exited) {
                    if (!signalled) proc.kill(signal);
                    const timer = setTimeout(() => {
                        if (!exited) proc.kill('SIGKILL');
                    }, 20000);
                    await exitPromise;
                    clearTimeout(timer);
                }
                fs.rmSync(dir, { recursive: true, force: true });
                if (database) {
                    try {
                        await dropDatabase(database);
                    } catch (err) {
                        /* The cluster is thrown away at the end of the run: only warn. */
                        process.stderr.write(`warning: ${err.message}\n`);
                    }
                }
                return exited;
            })();
            return stopped;
        },
    };
}
