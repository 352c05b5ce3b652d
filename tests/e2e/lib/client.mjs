/*
 * client.mjs - HTTP helpers for the end-to-end tests.
 *
 * Client is a tiny browser: Node's fetch with redirect:'manual' plus a cookie jar, so each
 * test sees every 303 and every Set-Cookie.  signIn() goes through the real login form
 * (GET /login, csrf_token from the hidden input, POST).  rawRequest() uses node:http
 * directly for what fetch cannot do: declared lengths that are never sent in full, huge
 * headers, and servers that answer then reset the connection.
 */
import net from 'node:net';
import assert from 'node:assert/strict';
import { checkApiResponse } from './api-schema.mjs';

/* Parse one Set-Cookie header into {name, value, attrs: {lowercased: value|true}}. */
export function parseSetCookie(line) {
    const parts = line.split(';').map((s) => s.trim());
    const eq = parts[0].indexOf('=');
    const name = parts[0].slice(0, eq).trim();
    const value = parts[0].slice(eq + 1).trim();
    const attrs = {};
    for (const p of parts.slice(1)) {
        if (!p) continue;
        const i = p.indexOf('=');
        if (i < 0) attrs[p.toLowerCase()] = true;
        else attrs[p.slice(0, i).trim().toLowerCase()] = p.slice(i + 1).trim();
    }
    return { name, value, attrs };
}

/* The Set-Cookie entry for name in a fetch Response, or undefined. */
export function setCookieOf(res, name) {
    return res.headers
        .getSetCookie()
        .map(parseSetCookie)
        .find((c) => c.name === name);
}

/* Value of the hidden csrf_token input of an HTML page (first one), or null. */
export function csrfFromHtml(html) {
    for (const m of html.matchAll(/<input\b[^>]*>/gi)) {
        const tag = m[0];
        if (!/\bname\s*=\s*["']?csrf_token["'\s>/]/i.test(tag)) continue;
        const v = tag.match(/\bvalue\s*=\s*"([^"]*)"|\bvalue\s*=\s*'([^']*)'|\bvalue\s*=\s*([^\s>]+)/i);
        if (v) return v[1] ?? v[2] ?? v[3];
    }
    return null;
}

/* Resolve a Location header against base and return path + query. */
export function locationPath(res, base) {
    const loc = res.headers.get('location');
    if (loc === null) return null;
    const u = new URL(loc, base);
    return u.pathname + u.search;
}

export function form(fields) {
    return new URLSearchParams(fields).toString();
}

export class Client {
    constructor(base) {
        this.base = base;
        this.jar = new Map(); /* name -> value */
        this.last = null; /* last Response */
    }

    cookieHeader() {
        return [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
    }

    cookie(name) {
        return this.jar.get(name);
    }

    setCookie(name, value) {
        if (value === undefined || value === null) this.jar.delete(name);
        else this.jar.set(name, value);
    }

    store(res) {
        for (const c of res.headers.getSetCookie().map(parseSetCookie)) {
            const maxAge = c.attrs['max-age'];
            const expires = c.attrs.expires ? Date.parse(c.attrs.expires) : NaN;
            const gone =
                c.value === '' ||
                (maxAge !== undefined && Number(maxAge) <= 0) ||
                (!Number.isNaN(expires) && expires < Date.now());
            if (gone) this.jar.delete(c.name);
            else this.jar.set(c.name, c.value);
        }
    }

    /* fetch(path, init) with the jar's cookies; Response.text() is read into res.body. */
    async fetch(path, init = {}) {
        const headers = new Headers(init.headers || {});
        if (this.jar.size && !headers.has('cookie')) headers.set('cookie', this.cookieHeader());
        const res = await fetch(new URL(path, this.base), {
            ...init,
            headers,
            redirect: 'manual',
            signal: init.signal ?? AbortSignal.timeout(60000),
        });
        this.store(res);
        res.body_text = await res.text();
        this.last = res;
        /* Every /api/ answer must match its schema in docs/api/ (throws otherwise). */
        checkApiResponse({ method: init.method ?? 'GET', url: res.url, status: res.status, contentType: res.headers.get('content-type'), text: res.body_text });
        return res;
    }

    get(path, init = {}) {
        return this.fetch(path, { ...init, method: 'GET' });
    }

    /* POST an urlencoded form (object or string). */
    postForm(path, fields, init = {}) {
        const body = typeof fields === 'string' ? fields : form(fields);
        const headers = { 'content-type': 'application/x-www-form-urlencoded', ...(init.headers || {}) };
        return this.fetch(path, { ...init, method: 'POST', headers, body });
    }

    /* The csrf_token of the page at path (GET it). */
    async csrf(path = '/') {
        const res = await this.get(path);
        const token = csrfFromHtml(res.body_text);
        assert.ok(token, `no csrf_token input on ${path} (status ${res.status})`);
        return token;
    }

    /* POST a form with the csrf_token taken from the page at fromPath. */
    async postWithCsrf(path, fields, fromPath = '/') {
        const csrf_token = await this.csrf(fromPath);
        return this.postForm(path, { ...fields, csrf_token });
    }

    async json(path, { method = 'GET', body, headers = {} } = {}) {
        const h = { accept: 'application/json', ...headers };
        const init = { method, headers: h };
        if (body !== undefined) {
            h['content-type'] = 'application/json';
            init.body = typeof body === 'string' ? body : JSON.stringify(body);
        }
        const res = await this.fetch(path, init);
        res.json_body = undefined;
        try {
            res.json_body = res.body_text ? JSON.parse(res.body_text) : undefined;
        } catch {
            /* left undefined: the test asserts on it */
        }
        return res;
    }
}

/*
 * Sign in through the login form.  Returns {client, res} where res is the POST response;
 * throws unless the answer is a 303 that sets ruche_session (pass expectOk:false to skip).
 */
export async function signIn(base, email, password, { expectOk = true, client } = {}) {
    const c = client ?? new Client(base);
    const page = await c.get('/login');
    const csrf_token = csrfFromHtml(page.body_text);
    assert.ok(csrf_token, `GET /login has no csrf_token (status ${page.status})`);
    const res = await c.postForm('/login', { email, password, csrf_token });
    if (expectOk) {
        assert.equal(res.status, 303, `sign-in of ${email} answered ${res.status}: ${res.body_text.slice(0, 300)}`);
        assert.ok(c.cookie('ruche_session'), `sign-in of ${email} set no ruche_session cookie`);
    }
    return { client: c, res };
}

/* An API bearer token from POST /api/v1/session. */
export async function apiToken(base, email, password) {
    const c = new Client(base);
    const res = await c.json('/api/v1/session', { method: 'POST', body: { email, password } });
    assert.equal(res.status, 201, `POST /api/v1/session answered ${res.status}: ${res.body_text}`);
    assert.equal(typeof res.json_body?.token, 'string');
    return res.json_body.token;
}

/*
 * One HTTP/1.1 request over a raw TCP socket (node:http drops an answer that arrives while
 * it is still writing the body and the server closes: EPIPE).  body: Buffer|string written at
 * once; or bodyChunk + bodyLength to stream bodyLength bytes of bodyChunk repeated (chunked
 * when headers say transfer-encoding: chunked), stopping as soon as the server answers.
 * Content-Length is added for a plain body unless given.  pauseMs: wait that long (or until an
 * answer) between the headers and the body, for tests of refusals made on the headers.  Resolves {status, headers, body,
 * error}: status is null when no answer arrived; error is the socket error, if any (a reset
 * after the answer is normal for early rejections).  A complete answer to an /api/ path is
 * checked against docs/api/ (the promise rejects when it does not match).
 */
export function rawRequest(base, { method = 'GET', path = '/', headers = {}, body, bodyChunk, bodyLength, pauseMs = 0, timeoutMs = 60000 }) {
    const u = new URL(base);
    const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
    const chunked = String(lower['transfer-encoding'] || '').toLowerCase() === 'chunked';
    const hdrs = { host: u.host, connection: 'close', ...lower };
    if (body !== undefined && hdrs['content-length'] === undefined && !chunked) hdrs['content-length'] = String(Buffer.byteLength(body));
    const head = `${method} ${path} HTTP/1.1\r\n` + Object.entries(hdrs).map(([k, v]) => `${k}: ${v}\r\n`).join('') + '\r\n';

    return new Promise((resolve, reject) => {
        const received = [];
        let error = null;
        let done = false;
        let answered = false; /* status line seen: stop sending */
        const sock = net.connect({ host: u.hostname, port: Number(u.port) });
        const finish = () => {
            if (done) return;
            done = true;
            clearTimeout(timer);
            sock.destroy();
            const res = { ...parseResponse(Buffer.concat(received)), error };
            try {
                if (res.status !== null && res.complete) checkApiResponse({ method, url: path, status: res.status, contentType: res.headers['content-type'] ?? null, text: res.body });
            } catch (err) {
                reject(err);
                return;
            }
            resolve(res);
        };
        const timer = setTimeout(() => {
            error = error ?? new Error('timeout');
            finish();
        }, timeoutMs);
        sock.on('data', (d) => {
            received.push(d);
            answered = true;
            const r = parseResponse(Buffer.concat(received));
            if (r.complete) finish();
        });
        sock.on('error', (e) => {
            error = error ?? e;
            setTimeout(finish, 100); /* let already received data be read */
        });
        sock.on('close', () => setTimeout(finish, 20));
        sock.on('connect', async () => {
            sock.write(head);
            /* A server that refuses on the headers answers and closes; if it still has unread
             * body bytes, its close is a reset that can destroy the answer before we read it.
             * Pausing after the headers lets an early answer arrive first. */
            for (let waited = 0; waited < pauseMs && !answered && !done; waited += 10) {
                await new Promise((r) => setTimeout(r, 10));
            }
            if (answered || done) return;
            if (bodyChunk !== undefined) {
                let left = bodyLength;
                const chunk = Buffer.isBuffer(bodyChunk) ? bodyChunk : Buffer.from(bodyChunk);
                const pump = () => {
                    while (left > 0 && !answered && !done && !sock.destroyed) {
                        const piece = left >= chunk.length ? chunk : chunk.subarray(0, left);
                        left -= piece.length;
                        const framed = chunked ? Buffer.concat([Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from('\r\n')]) : piece;
                        if (!sock.write(framed)) {
                            sock.once('drain', pump);
                            return;
                        }
                    }
                    if (left === 0 && chunked && !sock.destroyed) sock.write('0\r\n\r\n');
                };
                pump();
            } else if (body !== undefined) {
                if (chunked) sock.write(`${Buffer.byteLength(body).toString(16)}\r\n`);
                sock.write(body);
                if (chunked) sock.write('\r\n0\r\n\r\n');
            }
        });
    });
}

/* Parse raw response bytes: {status, headers, body, complete}. */
function parseResponse(buf) {
    const end = buf.indexOf('\r\n\r\n');
    if (end < 0) return { status: null, headers: {}, body: '', complete: false };
    const lines = buf.subarray(0, end).toString('latin1').split('\r\n');
    const m = lines[0].match(/^HTTP\/1\.[01] (\d{3})/);
    const headers = {};
    for (const l of lines.slice(1)) {
        const i = l.indexOf(':');
        if (i > 0) headers[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim();
    }
    let rest = buf.subarray(end + 4);
    let complete = false;
    if (headers['content-length'] !== undefined) {
        const n = Number(headers['content-length']);
        complete = rest.length >= n;
        rest = rest.subarray(0, n);
    } else if ((headers['transfer-encoding'] || '').toLowerCase() === 'chunked') {
        const parts = [];
        let off = 0;
        for (;;) {
            const eol = rest.indexOf('\r\n', off);
            if (eol < 0) break;
            const size = parseInt(rest.subarray(off, eol).toString('latin1'), 16);
            if (Number.isNaN(size)) break;
            if (size === 0) {
                complete = true;
                break;
            }
            if (eol + 2 + size > rest.length) break;
            parts.push(rest.subarray(eol + 2, eol + 2 + size));
            off = eol + 2 + size + 2;
        }
        rest = Buffer.concat(parts);
    }
    return { status: m ? Number(m[1]) : null, headers, body: rest.toString('utf8'), complete };
}
