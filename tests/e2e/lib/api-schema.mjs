/*
 * api-schema.mjs - the API contract check: every /api/ answer a test sees is validated
 * against docs/api/ (CONVENTIONS.md, "JSON API"; Redis's reply_schema, applied to HTTP).
 *
 * docs/api/index.json maps "METHOD /api/v1/path/{param}" to its answers by status: a JSON
 * Schema file (draft 2020-12, checked with ajv in strict mode), "empty" (no body: 204) or
 * "text/event-stream" (the live stream, not JSON).  The rules, in order:
 *   - every 4xx/5xx answer, of any /api/ path, is the error envelope (error.json) with a
 *     code that index.json's error_codes allows for its status;
 *   - a path that matches no endpoint may only answer 404, 405 or 413 (the router's and the
 *     body limit's answers, given before any handler);
 *   - a 1xx-3xx status not listed for the endpoint is a failure, and so is a body that fails
 *     its schema, a JSON answer without Content-Type application/json, or a body on "empty".
 * A failure throws an ApiContractError naming the endpoint, the schema and ajv's errors, so
 * the test that made the request fails.
 *
 * Client.fetch/json and rawRequest (lib/client.mjs) call checkApiResponse() on every answer
 * to an /api/ path; tests that use fetch() directly call apiFetch() instead, and playwright
 * API answers go through checkPlaywrightResponse().  With $RUCHE_API_SEEN set to a file
 * name, each check appends "METHOD pattern status" to it (which endpoints the suite covers).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv2020 from 'ajv/dist/2020.js';

export const API_SCHEMA_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../docs/api');

export class ApiContractError extends Error {
    constructor(message) {
        super(message);
        this.name = 'ApiContractError';
    }
}

let loaded = null; /* {index, ajv, endpoints: [{key, method, segments, answers}]} */

/* Read docs/api once: index.json, and every other *.json as a schema (compiled lazily). */
export function loadApiSchemas() {
    if (loaded) return loaded;
    const index = JSON.parse(fs.readFileSync(path.join(API_SCHEMA_DIR, 'index.json'), 'utf8'));
    const ajv = new Ajv2020({ strict: true, allErrors: true, allowUnionTypes: true });
    for (const file of fs.readdirSync(API_SCHEMA_DIR).sort()) {
        if (!file.endsWith('.json') || file === 'index.json') continue;
        const schema = JSON.parse(fs.readFileSync(path.join(API_SCHEMA_DIR, file), 'utf8'));
        if (schema.$id !== file) throw new Error(`docs/api/${file}: $id is ${JSON.stringify(schema.$id)}, not "${file}"`);
        ajv.addSchema(schema);
    }
    const endpoints = Object.entries(index.endpoints).map(([key, answers]) => {
        const m = key.match(/^(GET|POST|PUT|PATCH|DELETE) (\/api\/\S+)$/);
        if (!m) throw new Error(`docs/api/index.json: bad endpoint key ${JSON.stringify(key)}`);
        return { key, method: m[1], pattern: m[2], segments: m[2].split('/'), answers };
    });
    loaded = { index, ajv, endpoints };
    return loaded;
}

/* The compiled validator of a schema file of docs/api (throws if unknown or invalid). */
export function apiValidator(file) {
    const { ajv } = loadApiSchemas();
    const validate = ajv.getSchema(file);
    if (!validate) throw new Error(`docs/api/${file} does not exist`);
    return validate;
}

/* The endpoint of index.json serving method and path (no query), or null. */
export function findEndpoint(method, pathname) {
    const { endpoints } = loadApiSchemas();
    const want = method === 'HEAD' ? 'GET' : method;
    const segs = pathname.split('/');
    let best = null;
    let bestLiterals = -1;
    for (const e of endpoints) {
        if (e.method !== want || e.segments.length !== segs.length) continue;
        let literals = 0;
        let ok = true;
        for (let i = 0; ok && i < segs.length; i++) {
            const p = e.segments[i];
            if (p.startsWith('{') && p.endsWith('}')) ok = segs[i] !== '';
            else if (p === segs[i]) literals++;
            else ok = false;
        }
        if (ok && literals > bestLiterals) {
            best = e;
            bestLiterals = literals;
        }
    }
    return best;
}

function excerpt(text) {
    const s = String(text ?? '');
    return s.length > 600 ? `${s.slice(0, 600)}… (${s.length} characters)` : s;
}

function formatAjvErrors(errors) {
    return (errors || [])
        .map((e) => {
            const where = e.instancePath || '(root)';
            const params = Object.keys(e.params || {}).length ? ` ${JSON.stringify(e.params)}` : '';
            return `  ${where} ${e.message}${params} [${e.schemaPath}]`;
        })
        .join('\n');
}

function noteSeen(line) {
    const file = process.env.RUCHE_API_SEEN;
    if (file) fs.appendFileSync(file, `${line}\n`);
}

/*
 * Check one answer.  method: the request's; url: a path or absolute URL (only /api/ paths are
 * checked); status: number; contentType: the header or null; text: the whole body as text.
 * Returns the parsed body (undefined when there is none); throws ApiContractError.
 */
export function checkApiResponse({ method = 'GET', url, status, contentType = null, text = '' }) {
    const pathname = new URL(url, 'http://127.0.0.1').pathname;
    if (!pathname.startsWith('/api/')) return undefined;
    const { index } = loadApiSchemas();
    method = method.toUpperCase();
    const endpoint = findEndpoint(method, pathname);
    const what = `${method} ${pathname} answered ${status}`;
    const where = endpoint ? `endpoint "${endpoint.key}"` : 'no endpoint in docs/api/index.json';
    const fail = (why) => {
        throw new ApiContractError(`API contract: ${what} (${where}): ${why}\n  body: ${excerpt(text)}`);
    };
    const type = (contentType || '').split(';')[0].trim().toLowerCase();
    const parseJson = () => {
        if (type !== 'application/json') fail(`Content-Type is ${JSON.stringify(contentType)}, not application/json`);
        try {
            return JSON.parse(text);
        } catch (err) {
            return fail(`the body is not JSON (${err.message})`);
        }
    };
    const validate = (file, body) => {
        const v = apiValidator(file);
        if (!v(body)) fail(`the body does not match docs/api/${file}:\n${formatAjvErrors(v.errors)}`);
        return body;
    };
    noteSeen(`${endpoint ? endpoint.key : `${method} ${pathname} (no endpoint)`} ${status}`);

    if (method === 'HEAD') {
        if (status >= 400 || (endpoint && endpoint.answers[String(status)])) return undefined;
        return fail(`status ${status} is not documented for this endpoint`);
    }
    if (status >= 400) {
        if (!endpoint && ![404, 405, 413].includes(status)) fail('a path that matches no endpoint may only answer 404, 405 or 413');
        const body = validate(index.error, parseJson());
        const codes = index.error_codes[String(status)];
        if (!codes) fail(`status ${status} has no error codes in docs/api/index.json`);
        if (!codes.includes(body.error.code)) fail(`error code "${body.error.code}" is not one of ${codes.join(', ')} for status ${status}`);
        return body;
    }
    if (!endpoint) return fail('no schema: add the endpoint to docs/api/index.json');
    const answer = endpoint.answers[String(status)];
    if (!answer) return fail(`status ${status} is not documented (documented: ${Object.keys(endpoint.answers).join(', ')})`);
    if (answer === 'empty') {
        if (text !== '') fail('the answer must have no body');
        return undefined;
    }
    if (answer === 'text/event-stream') {
        if (type !== 'text/event-stream') fail(`Content-Type is ${JSON.stringify(contentType)}, not text/event-stream`);
        return undefined;
    }
    return validate(answer, parseJson());
}

/* fetch() that checks an /api/ answer (on a clone: the caller still reads the body). */
export async function apiFetch(input, init = {}) {
    const res = await fetch(input, init);
    const url = typeof input === 'string' || input instanceof URL ? String(input) : input.url;
    if (new URL(url, 'http://127.0.0.1').pathname.startsWith('/api/')) {
        const type = res.headers.get('content-type');
        if (type && type.startsWith('text/event-stream')) {
            checkApiResponse({ method: init.method ?? 'GET', url, status: res.status, contentType: type, text: '' });
        } else {
            const text = await res.clone().text();
            checkApiResponse({ method: init.method ?? 'GET', url, status: res.status, contentType: type, text });
        }
    }
    return res;
}

/* Check a playwright APIResponse (context.request.get(...)); returns it. */
export async function checkPlaywrightResponse(res, method = 'GET') {
    checkApiResponse({ method, url: res.url(), status: res.status(), contentType: res.headers()['content-type'] ?? null, text: await res.text() });
    return res;
}
