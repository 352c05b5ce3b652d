/*
 * 00-http-basics: what every client sees of the HTTP layer, before any feature:
 * health check, security headers, the 404 page, static assets with ETag, body and header
 * limits, malformed input rejected with 400, HTML validity (tidy), SIGTERM.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import net from 'node:net';
import { startServer } from './lib/server.mjs';
import { Client, signIn, csrfFromHtml, locationPath, rawRequest, setCookieOf } from './lib/client.mjs';

const MEMBER = { email: 'alice@example.test', name: 'Alice Martin', password: 'correct-horse-1' };

let srv;
let member; /* signed-in Client */

before(async () => {
    srv = await startServer({ users: [MEMBER] });
    ({ client: member } = await signIn(srv.url, MEMBER.email, MEMBER.password));
});

after(async () => {
    if (srv) await srv.stopChecked();
});

function assertSecurityHeaders(res, what) {
    const csp = res.headers.get('content-security-policy');
    assert.ok(csp, `${what}: no Content-Security-Policy header`);
    assert.match(csp, /frame-ancestors\s+'none'/, `${what}: CSP lacks frame-ancestors 'none': ${csp}`);
    const scriptSrc = csp
        .split(';')
        .map((d) => d.trim())
        .find((d) => /^script-src(\s|$)/i.test(d));
    assert.ok(scriptSrc, `${what}: CSP has no script-src directive: ${csp}`);
    assert.doesNotMatch(scriptSrc, /'unsafe-inline'/, `${what}: script-src allows 'unsafe-inline'`);
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff', `${what}: X-Content-Type-Options`);
    assert.ok(res.headers.get('referrer-policy'), `${what}: no Referrer-Policy header`);
}

test('GET /healthz answers 200 {"status":"ok"} as JSON', async () => {
    const res = await new Client(srv.url).get('/healthz');
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') || '', /^application\/json/);
    assert.deepEqual(JSON.parse(res.body_text), { status: 'ok' });
});

test('every kind of response carries the security headers', async () => {
    const anon = new Client(srv.url);
    const cases = [
        ['healthz', await anon.get('/healthz')],
        ['login page', await anon.get('/login')],
        ['redirect of / for a visitor', await anon.get('/')],
        ['404 page', await anon.get('/no/such/page')],
        ['static file', await anon.get('/static/ruche.css')],
        ['API 401', await anon.get('/api/v1/me')],
        ['signed-in home', await member.get('/')],
        ['signed-in people', await member.get('/people')],
    ];
    for (const [what, res] of cases) assertSecurityHeaders(res, `${what} (status ${res.status})`);
});

test('anonymous GET / redirects with 303 to /login', async () => {
    const res = await new Client(srv.url).get('/');
    assert.equal(res.status, 303);
    assert.equal(locationPath(res, srv.url), '/login');
});

test('unknown path answers a French 404 page inside the layout', async () => {
    for (const [who, c] of [
        ['visitor', new Client(srv.url)],
        ['member', member],
    ]) {
        const res = await c.get('/certainement/pas/ici');
        assert.equal(res.status, 404, who);
        assert.match(res.headers.get('content-type') || '', /^text\/html/, who);
        assert.match(res.body_text, /<html[^>]*\blang="fr"/, `${who}: html lang="fr"`);
        assert.match(res.body_text, /introuvable/i, `${who}: says "introuvable"`);
        assert.match(res.body_text, /\/static\/ruche\.css/, `${who}: layout stylesheet`);
        assert.match(res.body_text, /<footer\b/i, `${who}: layout footer`);
    }
});

test('GET /static/ruche.css is text/css with Cache-Control and ETag', async () => {
    const res = await new Client(srv.url).get('/static/ruche.css');
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') || '', /^text\/css/);
    assert.ok(res.headers.get('cache-control'), 'Cache-Control');
    assert.ok(res.headers.get('etag'), 'ETag');
    assert.ok(res.body_text.length > 0, 'non-empty stylesheet');
});

test('static file answers 304 to If-None-Match with its ETag', async () => {
    const c = new Client(srv.url);
    const first = await c.get('/static/ruche.css');
    const etag = first.headers.get('etag');
    assert.ok(etag);
    const again = await c.get('/static/ruche.css', { headers: { 'if-none-match': etag } });
    assert.equal(again.status, 304);
    assert.equal(again.body_text, '');
    const other = await c.get('/static/ruche.css', { headers: { 'if-none-match': '"not-the-etag"' } });
    assert.equal(other.status, 200);
});

test('a 30 MB POST /login body is refused with 413', async () => {
    const res = await rawRequest(srv.url, {
        method: 'POST',
        path: '/login',
        headers: {
            'content-type': 'application/x-www-form-urlencoded',
            'content-length': String(30 * 1024 * 1024),
        },
        bodyChunk: Buffer.alloc(64 * 1024, 'a'),
        bodyLength: 30 * 1024 * 1024,
        pauseMs: 500,
    });
    assert.equal(res.status, 413, `status ${res.status}, error ${res.error?.code ?? res.error}`);
});

test('a 64 KB Cookie header gets 431 or a closed connection, never a 2xx', async () => {
    const res = await rawRequest(srv.url, {
        path: '/login',
        headers: { cookie: `big=${'x'.repeat(64 * 1024)}` },
    });
    if (res.status === null) {
        assert.ok(res.error, 'no status and no error');
    } else {
        assert.equal(res.status, 431, `status ${res.status}`);
    }
    /* the server is still fine afterwards */
    const ok = await new Client(srv.url).get('/healthz');
    assert.equal(ok.status, 200);
});

test('bad percent-encoding in a query string answers 400', async () => {
    const res = await member.get('/people?q=%zz');
    assert.equal(res.status, 400);
    assert.match(res.headers.get('content-type') || '', /^text\/html/);
    assert.ok(res.body_text.length > 0, 'a message is shown');
});

/* A fresh visitor with a valid visitor cookie and csrf token, so only the body can be wrong. */
async function visitor() {
    const c = new Client(srv.url);
    const page = await c.get('/login');
    const csrf = csrfFromHtml(page.body_text);
    assert.ok(csrf);
    return { c, csrf };
}

function assertRefused400(res, what) {
    assert.equal(res.status, 400, `${what}: status ${res.status}: ${res.body_text.slice(0, 200)}`);
    assert.ok(res.body_text.trim().length > 0, `${what}: a message is shown`);
    assert.equal(setCookieOf(res, 'ruche_session'), undefined, `${what}: no session was created`);
}

test('bad percent-encoding in a form body answers 400 and signs nobody in', async () => {
    const { c, csrf } = await visitor();
    const body = `csrf_token=${csrf}&email=%E0%A4%A&password=${encodeURIComponent(MEMBER.password)}`;
    const res = await c.postForm('/login', body);
    assertRefused400(res, 'truncated %-escape');
});

test('invalid UTF-8 in a form field answers 400 and signs nobody in', async () => {
    const { c, csrf } = await visitor();
    const body = Buffer.concat([
        Buffer.from(`csrf_token=${csrf}&password=${encodeURIComponent(MEMBER.password)}&email=alice`),
        Buffer.from([0xff, 0xfe]),
        Buffer.from('%40example.test&name='),
        Buffer.from([0xff, 0xfe]),
    ]);
    const res = await c.fetch('/login', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body,
    });
    assertRefused400(res, 'raw 0xff 0xfe');

    const { c: c2, csrf: csrf2 } = await visitor();
    const res2 = await c2.postForm(
        '/login',
        `csrf_token=${csrf2}&password=${encodeURIComponent(MEMBER.password)}&email=alice%FF%FE%40example.test&name=%FF%FE`,
    );
    assertRefused400(res2, 'percent-encoded %FF%FE');
});

test('a truncated multipart body answers 400 and signs nobody in', async () => {
    const { c, csrf } = await visitor();
    const b = 'ruche-test-boundary-7d1';
    const body =
        `--${b}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n${csrf}\r\n` +
        `--${b}\r\nContent-Disposition: form-data; name="password"\r\n\r\n${MEMBER.password}\r\n` +
        `--${b}\r\nContent-Disposition: form-data; name="email"\r\n\r\n${MEMBER.email}`; /* cut here */
    const res = await c.fetch('/login', {
        method: 'POST',
        headers: { 'content-type': `multipart/form-data; boundary=${b}` },
        body,
    });
    assertRefused400(res, 'truncated multipart');
});

test('the access log has one logfmt line per request on stderr', async () => {
    const res = await new Client(srv.url).get('/certainement/pas/ici/log');
    assert.equal(res.status, 404);
    /* the server may write the line just after the answer */
    let line;
    for (let i = 0; i < 50 && !line; i++) {
        line = srv.logs().split('\n').find((l) => /\bstatus=404\b/.test(l) && /\bGET\b/.test(l));
        if (!line) await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(line, `no access-log line with GET and status=404 in:\n${srv.logs().slice(-2000)}`);
    const pair = String.raw`[\w.-]+=(?:"(?:[^"\\]|\\.)*"|[^\s"]*)`;
    assert.match(line, new RegExp(`^\\s*${pair}(?:\\s+${pair})*\\s*$`), `not logfmt: ${line}`);
});

test('pages are valid HTML according to tidy', { skip: !hasTidy() && 'tidy not installed' }, async (t) => {
    const anon = new Client(srv.url);
    const me = await member.json('/api/v1/me');
    const pages = [
        ['/login', anon],
        ['/certainement/pas/ici', anon],
        ['/', member],
        ['/people', member],
    ];
    if (me.status === 200 && me.json_body?.id) pages.push([`/people/${me.json_body.id}`, member]);
    for (const [p, c] of pages) {
        const res = await c.get(p);
        assert.match(res.headers.get('content-type') || '', /^text\/html/, p);
        const r = spawnSync('tidy', ['-e', '-q', '--show-warnings', 'yes'], { input: res.body_text, encoding: 'utf8' });
        /* tidy: 0 clean, 1 warnings, 2 errors */
        if (r.status === 1) t.diagnostic(`tidy warnings on ${p}:\n${r.stderr}`);
        assert.ok(r.status === 0 || r.status === 1, `tidy errors on ${p}:\n${r.stderr}`);
    }
});

test('SIGTERM lets a request in flight finish, then the server exits 0', async () => {
    const body = `email=${encodeURIComponent(MEMBER.email)}&password=not-the-password&csrf_token=x`;
    const sock = net.connect(srv.port, '127.0.0.1');
    let got = '';
    sock.on('data', (d) => (got += d));
    const closed = new Promise((resolve) => sock.on('close', resolve));
    sock.on('error', () => {});
    await new Promise((resolve) => sock.on('connect', resolve));
    /* headers and half the body, then the signal, then the rest */
    sock.write(
        'POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n' +
            `Content-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\n\r\n` +
            body.slice(0, 10),
    );
    await sleep(300);
    srv.kill('SIGTERM');
    await sleep(300);
    sock.write(body.slice(10));
    await closed;
    assert.match(got, /^HTTP\/1\.1 [1-5]\d\d /, `the request in flight got no answer: ${JSON.stringify(got.slice(0, 80))}`);
    const res = await srv.stop();
    assert.deepEqual(res, { code: 0, signal: null }, `server logs:\n${srv.logs().slice(-2000)}`);
});

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function hasTidy() {
    return spawnSync('tidy', ['-v']).status === 0;
}
