/*
 * client.mjs - HTTP helpers for the end-to-end tests.
 *
 * Client is a tiny browser: Node's fetch with redirect:'manual' plus a cookie jar, so each
 * test sees every 303 and every Set-Cookie.  signIn() goes through the real login form
 * (GET /login, csrf_token from the hidden input, POST).  rawRequest() uses node:http
 * directly for what fetch cannot do: declared lengths that are never sent in full, huge
 * headers, and servers that answer then reset the connection.
 */
import http from 'node:http';
import assert from 'node:assert/strict';

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
 * One request over node:http.  body: Buffer|string written at once; or bodyChunk + bodyLength
 * to stream bodyLength bytes of bodyChunk repeated, stopping as soon as the server answers.
 * Resolves {status, headers, body, error}: status is null when no response arrived; error is
 * the socket error, if any (a reset after the answer is normal for early rejections).
 */
export function rawRequest(base, { method = 'GET', path = '/', headers = {}, body, bodyChunk, bodyLength, timeoutMs = 60000 }) {
    const u = new URL(base);
    return new Promise((resolve) => {
        let done = false;
        let status = null;
        let resHeaders = {};
        let chunks = [];
        let error = null;
        const finish = () => {
            if (done) return;
            done = true;
            clearTimeout(timer);
            resolve({ status, headers: resHeaders, body: Buffer.concat(chunks).toString('utf8'), error });
        };
        const agent = new http.Agent({ keepAlive: false });
        const req = http.request({
            host: u.hostname,
            port: u.port,
            method,
            path,
            headers,
            agent,
            /* our own 64 KB headers are outgoing; allow large answers too */
            maxHeaderSize: 256 * 1024,
        });
        const timer = setTimeout(() => {
            error = error ?? new Error('timeout');
            req.destroy();
            finish();
        }, timeoutMs);
        req.on('response', (res) => {
            status = res.statusCode;
            resHeaders = res.headers;
            res.on('data', (d) => chunks.push(d));
            res.on('end', finish);
            res.on('error', (e) => {
                error = error ?? e;
                finish();
            });
            res.on('close', finish);
        });
        req.on('error', (e) => {
            error = error ?? e;
            /* a response may still be parsed after a write error: give it a moment */
            setTimeout(finish, 200);
        });
        req.on('close', () => setTimeout(finish, 200));

        if (bodyChunk !== undefined) {
            let left = bodyLength;
            const chunk = Buffer.isBuffer(bodyChunk) ? bodyChunk : Buffer.from(bodyChunk);
            const pump = () => {
                while (left > 0 && status === null && !done && !req.destroyed) {
                    const piece = left >= chunk.length ? chunk : chunk.subarray(0, left);
                    left -= piece.length;
                    if (!req.write(piece)) {
                        req.once('drain', pump);
                        return;
                    }
                }
                if (left === 0 && !req.destroyed) req.end();
            };
            pump();
        } else {
            if (body !== undefined) req.write(body);
            req.end();
        }
    });
}
