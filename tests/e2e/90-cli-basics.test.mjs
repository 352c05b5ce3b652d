/*
 * 90-cli-basics: the administration commands a person runs on the server.
 * init (and its refusal to overwrite), user add / passwd / link / deactivate as seen by a
 * running server, and exit codes (0 success, 1 failure, 2 usage).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, ruche, rucheOk, addUser } from './lib/server.mjs';
import { Client, signIn, csrfFromHtml, locationPath } from './lib/client.mjs';

const PW = 'correct-horse-1';
const ALICE = { email: 'alice@example.test', name: 'Alice Martin', password: PW };

let srv;
let scratch; /* a directory for instances that are never served */

before(async () => {
    srv = await startServer({ users: [ALICE] });
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'ruche-e2e-cli-'));
});

after(async () => {
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
    if (srv) await srv.stopChecked();
});

async function postLogin(email, password) {
    const c = new Client(srv.url);
    const csrf = csrfFromHtml((await c.get('/login')).body_text);
    return { c, res: await c.postForm('/login', { email, password, csrf_token: csrf }) };
}

test('ruche init creates an instance and refuses to touch an existing one', async () => {
    const dir = path.join(scratch, 'fresh');
    await rucheOk(['init', '--data', dir]);
    const before = fs.readdirSync(dir).sort();
    const again = await ruche(['init', '--data', dir]);
    assert.equal(again.code, 1, `second init exited ${again.code}`);
    assert.ok(again.stderr.trim(), 'the refusal says why');
    assert.deepEqual(fs.readdirSync(dir).sort(), before, 'nothing was added or removed');
});

test('ruche user add refuses a taken e-mail and a short password with exit 1', async () => {
    const dup = await addUser(srv.dir, { ...ALICE, name: 'Alice Bis' }, { mustSucceed: false });
    assert.equal(dup.code, 1, dup.stderr);
    const short = await addUser(srv.dir, { email: 'short@example.test', name: 'Court', password: 'short' }, { mustSucceed: false });
    assert.equal(short.code, 1, short.stderr);
    const { res } = await postLogin('short@example.test', 'short');
    assert.equal(res.status, 401, 'no account was created');
});

test('a usage error exits 2', async () => {
    const unknown = await ruche(['frobnicate']);
    assert.equal(unknown.code, 2);
    const missing = await ruche(['user', 'add', '--data', srv.dir]);
    assert.equal(missing.code, 2);
    const role = await ruche(['user', 'add', '--data', srv.dir, '--email', 'r@example.test', '--name', 'R', '--role', 'boss'], {
        input: `${PW}\n`,
    });
    assert.equal(role.code, 2);
});

test('a member added while the server runs can sign in at once', async () => {
    await addUser(srv.dir, { email: 'late@example.test', name: 'Léa Tardive', password: PW, role: 'animator' });
    const { client } = await signIn(srv.url, 'late@example.test', PW);
    const me = await client.json('/api/v1/me');
    assert.equal(me.json_body.role, 'animator');
    assert.equal(me.json_body.name, 'Léa Tardive');
});

test('ruche user passwd sets a new password from stdin; the old one stops working', async () => {
    await addUser(srv.dir, { email: 'pw@example.test', name: 'Paul Wagner', password: PW });
    await rucheOk(['user', 'passwd', '--data', srv.dir, '--email', 'pw@example.test'], { input: 'changed-by-cli-1\n' });
    await signIn(srv.url, 'pw@example.test', 'changed-by-cli-1');
    assert.equal((await postLogin('pw@example.test', PW)).res.status, 401);
});

test('ruche user passwd --temporary makes the member choose a new password at sign-in', async () => {
    await addUser(srv.dir, { email: 'tmp@example.test', name: 'Tina Martin', password: PW });
    await rucheOk(['user', 'passwd', '--data', srv.dir, '--email', 'tmp@example.test', '--temporary'], { input: 'temporary-cli-1\n' });
    const { res } = await postLogin('tmp@example.test', 'temporary-cli-1');
    assert.equal(res.status, 303);
    assert.equal(locationPath(res, srv.url), '/account/password');
});

test('ruche user link prints a /login/link/ URL, and fails with exit 1 for an unknown e-mail', async () => {
    const out = await rucheOk(['user', 'link', '--data', srv.dir, '--email', ALICE.email]);
    assert.match(out.stdout, /\/login\/link\/[A-Za-z0-9_-]{20,}/);
    const unknown = await ruche(['user', 'link', '--data', srv.dir, '--email', 'nobody@example.test']);
    assert.equal(unknown.code, 1);
});

test('ruche user deactivate fails with exit 1 for an unknown e-mail', async () => {
    const res = await ruche(['user', 'deactivate', '--data', srv.dir, '--email', 'nobody@example.test']);
    assert.equal(res.code, 1);
});
