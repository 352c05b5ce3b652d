/*
 * sse.mjs - a small Server-Sent Events client for the live-stream tests, on node:http.
 *
 * open(url, headers) connects (one fresh connection, no agent) and resolves once the
 * response head arrives, with a stream object:
 *   status, headers        the response's
 *   raw                    every body byte received so far, as text
 *   events                 [{id, event, data, json, at}] in arrival order (json: data parsed,
 *                          or undefined); id is the field's text ('' when absent)
 *   comments               [{text, at}] for lines starting with ':' (": ping" -> "ping")
 *   retry                  the last "retry:" value, or null
 *   ended                  {at, reason} once the response or its socket is over, else null
 *   next(match, ms)        the first event after those next() already returned that matches
 *                          (a kind string or a predicate); rejects on timeout or on the end
 *   waitFor(match, ms)     the first matching event ever received (no cursor)
 *   comment(match, ms)     the first matching comment (text or predicate)
 *   closed(ms)             resolves {at, reason} when the stream ends; rejects on timeout
 *   body(ms)               the whole body of a finished (non-stream) answer, e.g. a 401
 *   close()                destroy the socket
 * Every wait is bounded.  closeAll() destroys every stream opened here (for after() hooks).
 * On /api/ paths the answer is checked against docs/api/ (lib/api-schema.mjs): the head of a
 * 2xx by open(), the body of a refusal by body().
 *
 * Also: publish() runs `ruche debug-publish`, memberId() reads GET /api/v1/me, and
 * accessLines() picks access-log lines of one path out of a server's logs().
 */
import http from 'node:http';
import { rucheOk } from './server.mjs';
import { apiFetch, checkApiResponse } from './api-schema.mjs';

const opened = new Set();

/* Destroy every stream still open (idempotent). */
export function closeAll() {
    for (const s of opened) s.close();
    opened.clear();
}

function describe(match) {
    if (typeof match === 'string') return `"${match}"`;
    if (match instanceof RegExp) return String(match);
    return match && match.name ? match.name : 'predicate';
}

function matcher(match, field) {
    if (match === undefined || match === null) return () => true;
    if (typeof match === 'string') return (x) => x[field] === match;
    if (match instanceof RegExp) return (x) => match.test(x[field]);
    return match;
}

class SseStream {
    constructor(url) {
        this.url = url;
        this.status = null;
        this.headers = {};
        this.raw = '';
        this.events = [];
        this.comments = [];
        this.retry = null;
        this.ended = null;
        this.cursor = 0; /* next() looks at events[cursor..] */
        this.req = null;
        this.res = null;
        this.waiters = new Set(); /* functions re-checked on every change */
        this.pending = ''; /* text not yet split into lines */
        this.block = { id: null, event: null, data: null };
    }

    notify() {
        for (const w of [...this.waiters]) w();
    }

    end(reason) {
        if (this.ended) return;
        this.ended = { at: Date.now(), reason };
        opened.delete(this);
        this.notify();
    }

    feed(text) {
        this.raw += text;
        this.pending += text;
        /* Lines end with CRLF, LF or CR; keep a trailing CR until we know what follows. */
        for (;;) {
            const m = this.pending.match(/\r\n|\n|\r(?=[^\n])/);
            if (!m) break;
            const line = this.pending.slice(0, m.index);
            this.pending = this.pending.slice(m.index + m[0].length);
            this.line(line);
        }
        this.notify();
    }

    line(line) {
        const at = Date.now();
        if (line === '') {
            const b = this.block;
            this.block = { id: null, event: null, data: null };
            if (b.data === null) return; /* no data: no event (the spec) */
            let json;
            try {
                json = JSON.parse(b.data);
            } catch {
                json = undefined;
            }
            this.events.push({ id: b.id ?? '', event: b.event ?? 'message', data: b.data, json, at });
            return;
        }
        if (line.startsWith(':')) {
            this.comments.push({ text: line.slice(1).replace(/^ /, ''), at });
            return;
        }
        const i = line.indexOf(':');
        const field = i < 0 ? line : line.slice(0, i);
        const value = i < 0 ? '' : line.slice(i + 1).replace(/^ /, '');
        if (field === 'data') this.block.data = this.block.data === null ? value : `${this.block.data}\n${value}`;
        else if (field === 'event') this.block.event = value;
        else if (field === 'id' && !value.includes('\0')) this.block.id = value;
        else if (field === 'retry' && /^\d+$/.test(value)) this.retry = Number(value);
    }

    /* Wait until check() returns something other than undefined; bounded. */
    wait(check, timeoutMs, what) {
        return new Promise((resolve, reject) => {
            let timer = null;
            const done = (fn, v) => {
                clearTimeout(timer);
                this.waiters.delete(probe);
                fn(v);
            };
            const probe = () => {
                let v;
                try {
                    v = check();
                } catch (err) {
                    done(reject, err);
                    return;
                }
                if (v !== undefined) done(resolve, v);
            };
            timer = setTimeout(() => {
                done(reject, new Error(`${what}: nothing after ${timeoutMs} ms on ${this.url}; ${this.summary()}`));
            }, timeoutMs);
            this.waiters.add(probe);
            probe();
        });
    }

    summary() {
        const ev = this.events.map((e) => `${e.id}:${e.event}`).join(', ');
        return `status ${this.status}, events [${ev}], comments ${this.comments.length}, ` + (this.ended ? `ended (${this.ended.reason})` : 'still open');
    }

    next(match, timeoutMs = 5000) {
        const ok = matcher(match, 'event');
        return this.wait(
            () => {
                for (let i = this.cursor; i < this.events.length; i++) {
                    if (ok(this.events[i])) {
                        this.cursor = i + 1;
                        return this.events[i];
                    }
                }
                if (this.ended) throw new Error(`next(${describe(match)}): the stream ended (${this.ended.reason}) first on ${this.url}; ${this.summary()}`);
                return undefined;
            },
            timeoutMs,
            `next(${describe(match)})`,
        );
    }

    waitFor(match, timeoutMs = 5000) {
        const ok = matcher(match, 'event');
        return this.wait(
            () => {
                const e = this.events.find(ok);
                if (e) return e;
                if (this.ended) throw new Error(`waitFor(${describe(match)}): the stream ended (${this.ended.reason}) first; ${this.summary()}`);
                return undefined;
            },
            timeoutMs,
            `waitFor(${describe(match)})`,
        );
    }

    comment(match, timeoutMs = 5000) {
        const ok = matcher(match, 'text');
        return this.wait(
            () => {
                const c = this.comments.find(ok);
                if (c) return c;
                if (this.ended) throw new Error(`comment(${describe(match)}): the stream ended (${this.ended.reason}) first; ${this.summary()}`);
                return undefined;
            },
            timeoutMs,
            `comment(${describe(match)})`,
        );
    }

    closed(timeoutMs = 5000) {
        return this.wait(() => this.ended ?? undefined, timeoutMs, 'closed()');
    }

    /* The whole body, once the answer is complete (for refusals such as 401 or 303). */
    async body(timeoutMs = 5000) {
        await this.closed(timeoutMs);
        checkApiResponse({ url: this.url, status: this.status, contentType: this.headers['content-type'] ?? null, text: this.raw });
        return this.raw;
    }

    /* Ids of the events received, as numbers. */
    ids() {
        return this.events.map((e) => Number(e.id));
    }

    close() {
        if (this.req) this.req.destroy();
        this.end('closed by the test');
    }
}

/*
 * Open a stream.  headers: extra request headers (cookie, authorization, last-event-id…).
 * Resolves when the response head arrives (any status); rejects if it does not within
 * timeoutMs or the connection fails.
 */
export function open(url, headers = {}, { timeoutMs = 5000 } = {}) {
    const s = new SseStream(url);
    opened.add(s);
    return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
            s.close();
            reject(new Error(`sse.open(${url}): no response head within ${timeoutMs} ms`));
        }, timeoutMs);
        const req = http.request(url, { method: 'GET', agent: false, headers: { accept: 'text/event-stream', ...headers } }, (res) => {
            clearTimeout(timer);
            s.res = res;
            s.status = res.statusCode;
            s.headers = res.headers;
            if (s.status < 300) {
                /* An /api/ stream must be what docs/api/index.json says (text/event-stream). */
                try {
                    checkApiResponse({ url, status: s.status, contentType: res.headers['content-type'] ?? null });
                } catch (err) {
                    s.close();
                    reject(err);
                    return;
                }
            }
            res.setEncoding('utf8');
            res.on('data', (d) => s.feed(d));
            res.on('end', () => s.end('end of response'));
            res.on('aborted', () => s.end('aborted'));
            res.on('error', (e) => s.end(`response error: ${e.message}`));
            res.on('close', () => s.end('response closed'));
            resolve(s);
        });
        s.req = req;
        req.on('error', (e) => {
            clearTimeout(timer);
            s.end(`request error: ${e.message}`);
            if (s.status === null) reject(new Error(`sse.open(${url}): ${e.message}`));
        });
        req.on('close', () => s.end('socket closed'));
        req.end();
    });
}

/* Header objects for the two ways of signing in. */
export const bearer = (token) => ({ authorization: `Bearer ${token}` });
export const cookieOf = (client) => ({ cookie: client.cookieHeader() });

/* `ruche debug-publish`: kind for member (0 or undefined: everyone) with a payload object. */
export async function publish(dataDir, kind, { member, payload } = {}) {
    const args = ['debug-publish', '--data', dataDir, '--kind', kind];
    if (member !== undefined) args.push('--member', String(member));
    if (payload !== undefined) args.push('--payload', typeof payload === 'string' ? payload : JSON.stringify(payload));
    return rucheOk(args);
}

/* The member id of whoever the headers sign in (GET /api/v1/me). */
export async function memberId(base, headers) {
    const res = await apiFetch(new URL('/api/v1/me', base), { headers: { accept: 'application/json', ...headers }, signal: AbortSignal.timeout(10000) });
    const body = await res.text();
    if (res.status !== 200) throw new Error(`GET /api/v1/me answered ${res.status}: ${body.slice(0, 200)}`);
    return JSON.parse(body).id;
}

/* The access-log lines of a server's logs() text whose path is exactly path. */
export function accessLines(logText, path) {
    const re = new RegExp(`(^|\\s)path=${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(\\s|$)`);
    return logText.split('\n').filter((l) => /(^|\s)method=/.test(l) && re.test(l));
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
