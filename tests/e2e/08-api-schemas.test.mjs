/*
 * 08-api-schemas.test.mjs - the API contract itself (docs/api/) and its checker
 * (lib/api-schema.mjs), which every other scenario relies on.
 *
 * No server: the schemas must compile (ajv, strict mode), index.json must name one entry per
 * /api/ route of the route tables in src/ and nothing else, and the checker must refuse what
 * it exists to refuse (an unknown key, an undocumented status, a wrong error code, a body on
 * a 204...), or the whole suite would pass with a blind validator.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { API_SCHEMA_DIR, ApiContractError, apiValidator, checkApiResponse, findEndpoint, loadApiSchemas } from './lib/api-schema.mjs';

const SRC_DIR = path.resolve(API_SCHEMA_DIR, '../../src');
const JSON_TYPE = 'application/json';

/* Every "METHOD /api/..." of the route tables in src/ (one {HTTP_X, "/api/..." per entry). */
function apiRoutes() {
    const routes = new Set();
    const walk = (dir) => {
        for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
            const p = path.join(dir, e.name);
            if (e.isDirectory()) walk(p);
            else if (e.name.endsWith('.c')) {
                for (const m of fs.readFileSync(p, 'utf8').matchAll(/\{\s*HTTP_(GET|POST|PUT|PATCH|DELETE)\s*,\s*"(\/api\/[^"]*)"/g)) routes.add(`${m[1]} ${m[2]}`);
            }
        }
    };
    walk(SRC_DIR);
    return routes;
}

const person = { id: 3, name: 'Hélène Dubois', job: 'Comptable', followers: 0, following: 2, member_since_ms: 1750000000000 };

function check(method, url, status, body, contentType = JSON_TYPE) {
    return checkApiResponse({ method, url, status, contentType, text: typeof body === 'string' ? body : JSON.stringify(body) });
}

test('every schema of docs/api compiles in strict mode and index.json names only existing files', () => {
    const { index } = loadApiSchemas();
    const files = fs.readdirSync(API_SCHEMA_DIR).filter((f) => f.endsWith('.json') && f !== 'index.json');
    assert.ok(files.length >= 10, `only ${files.length} schemas`);
    for (const f of files) assert.equal(typeof apiValidator(f), 'function', f);
    const used = new Set([index.error, 'common.json']);
    for (const [key, answers] of Object.entries(index.endpoints)) {
        for (const [status, answer] of Object.entries(answers)) {
            assert.match(status, /^[1-3][0-9][0-9]$/, `${key}: ${status} (error answers are error.json, not listed)`);
            if (answer === 'empty' || answer === 'text/event-stream') continue;
            assert.ok(files.includes(answer), `${key} ${status}: docs/api/${answer} does not exist`);
            used.add(answer);
        }
    }
    /* A schema nobody uses is either dead or referenced from another one. */
    const text = files.map((f) => fs.readFileSync(path.join(API_SCHEMA_DIR, f), 'utf8')).join('\n');
    for (const f of files) assert.ok(used.has(f) || text.includes(`"$ref": "${f}`), `docs/api/${f} is used by no endpoint`);
});

test('index.json has one entry per /api/ route of src/, and no other', () => {
    const routes = apiRoutes();
    const documented = new Set(Object.keys(loadApiSchemas().index.endpoints));
    assert.ok(routes.size >= 20, `only ${routes.size} API routes found in src/`);
    const missing = [...routes].filter((r) => !documented.has(r));
    const stale = [...documented].filter((r) => !routes.has(r));
    assert.deepEqual(missing, [], `routes without a schema in docs/api/index.json: ${missing.join(', ')}`);
    assert.deepEqual(stale, [], `docs/api/index.json entries that are no route: ${stale.join(', ')}`);
});

test('path patterns: a literal segment wins over a parameter, and a parameter needs a segment', () => {
    assert.equal(findEndpoint('GET', '/api/v1/people/experts').key, 'GET /api/v1/people/experts');
    assert.equal(findEndpoint('GET', '/api/v1/people/12').key, 'GET /api/v1/people/{id}');
    assert.equal(findEndpoint('HEAD', '/api/v1/people/12').key, 'GET /api/v1/people/{id}');
    assert.equal(findEndpoint('GET', '/api/v1/people/'), null);
    assert.equal(findEndpoint('PUT', '/api/v1/people/12'), null);
    assert.equal(findEndpoint('GET', '/api/v1/people/12/extra'), null);
});

test('answers that keep the contract pass', () => {
    assert.deepEqual(check('GET', '/api/v1/people/3?x=1', 200, person), person);
    check('GET', '/api/v1/people', 200, { items: [person], next: null });
    check('GET', '/api/v1/people/experts?q=paie', 200, { items: [{ ...person, score: 3, matched: ['paie'], posts: 0 }], next: null });
    check('DELETE', '/api/v1/session', 204, '', null);
    check('GET', '/api/v1/me', 401, { error: { code: 'unauthenticated', message: 'Identifiez-vous.' } }, 'application/json; charset=utf-8');
    check('PATCH', '/api/v1/people/3', 400, { error: { code: 'invalid', message: 'Non.', field: 'phone' } });
    check('GET', '/api/v1/no-such-thing', 404, { error: { code: 'not_found', message: 'Non.' } });
    check('GET', '/api/v1/live', 200, '', 'text/event-stream');
    assert.equal(check('GET', '/healthz', 200, 'not checked', 'text/plain'), undefined);
});

const BAD = [
    { id: 'unknown-key', args: ['GET', '/api/v1/people/3', 200, { ...person, secret: 'x' }], error: /unevaluated|secret/ },
    { id: 'missing-key', args: ['GET', '/api/v1/people/3', 200, { id: 3, name: 'X' }], error: /followers/ },
    { id: 'string-id', args: ['GET', '/api/v1/people/3', 200, { ...person, id: '3' }], error: /\/id must be integer/ },
    { id: 'year-to-others', args: ['GET', '/api/v1/people/3', 200, { ...person, birthday: '1980-03-12' }], error: /birthday/ },
    { id: 'bad-visibility', args: ['GET', '/api/v1/people/3', 200, { ...person, job_visibility: 'all' }], error: /job_visibility/ },
    { id: 'expert-score-elsewhere', args: ['GET', '/api/v1/people/3', 200, { ...person, score: 3 }], error: /score/ },
    { id: 'undocumented-status', args: ['GET', '/api/v1/people/3', 201, person], error: /status 201 is not documented/ },
    { id: 'no-schema', args: ['GET', '/api/v1/no-such-thing', 200, {}], error: /no schema/ },
    { id: 'unknown-path-401', args: ['GET', '/api/v1/no-such-thing', 401, { error: { code: 'unauthenticated', message: 'Non.' } }], error: /only answer 404, 405 or 413/ },
    { id: 'wrong-code-for-status', args: ['GET', '/api/v1/people/3', 404, { error: { code: 'invalid', message: 'Non.' } }], error: /error code "invalid" is not one of not_found/ },
    { id: 'unknown-code', args: ['PUT', '/api/v1/me/photo', 413, { error: { code: 'too_big', message: 'Non.' } }], error: /error\/code must be equal to one of the allowed values/ },
    { id: 'envelope-extra-key', args: ['GET', '/api/v1/me', 401, { error: { code: 'unauthenticated', message: 'Non.' }, status: 401 }], error: /additional properties/ },
    { id: 'empty-message', args: ['GET', '/api/v1/me', 401, { error: { code: 'unauthenticated', message: '' } }], error: /message/ },
    { id: 'body-on-204', args: ['DELETE', '/api/v1/session', 204, '{}'], error: /no body/ },
    { id: 'html-error', args: ['GET', '/api/v1/me', 404, '<p>non</p>', 'text/html; charset=utf-8'], error: /not application\/json/ },
    { id: 'not-json', args: ['GET', '/api/v1/me', 200, '{"id":', JSON_TYPE], error: /not JSON/ },
    { id: 'stream-type', args: ['GET', '/api/v1/live', 200, '', JSON_TYPE], error: /not text\/event-stream/ },
    { id: 'reaction-kind', args: ['GET', '/api/v1/feed', 200, { items: [], next: 12 }], error: /next must be string,null/ },
];

for (const c of BAD) {
    test(`the checker refuses: ${c.id}`, () => {
        assert.throws(
            () => check(...c.args),
            (err) => {
                assert.ok(err instanceof ApiContractError, String(err));
                assert.match(err.message, c.error);
                assert.match(err.message, new RegExp(`^API contract: ${c.args[0]} `));
                return true;
            },
        );
    });
}
