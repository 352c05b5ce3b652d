/*
 * 01-http-keepalive-load: 256 keep-alive connections arriving at once must all be served.
 * libmicrohttpd's single-thread epoll mode stalls in exactly this situation (see
 * shared/notes/libmicrohttpd.md, pitfall 1); this smoke test catches a regression to it.
 * No timing assertions: only that every request is answered 200 within a generous bound,
 * and that connections were reused (no early-response "Connection: close").
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { startServer } from './lib/server.mjs';

const CONNECTIONS = 256;
const REQUESTS_PER_CONNECTION = 4;
const PATHS = ['/healthz', '/login', '/healthz', '/login'];

let srv;

before(async () => {
    srv = await startServer();
});

after(async () => {
    if (srv) await srv.stopChecked();
});

function get(agent, url, path) {
    return new Promise((resolve, reject) => {
        const req = http.get(new URL(path, url), { agent }, (res) => {
            res.resume();
            res.on('end', () => resolve({ status: res.statusCode, socket: req.socket, connection: res.headers.connection }));
            res.on('error', reject);
        });
        req.on('error', reject);
    });
}

test('256 keep-alive connections at once, 4 requests each, all answered 200', { timeout: 60000 }, async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS });
    const sockets = new Set();
    const statuses = new Map();
    let closes = 0;
    try {
        const chains = Array.from({ length: CONNECTIONS }, async () => {
            for (let i = 0; i < REQUESTS_PER_CONNECTION; i++) {
                const r = await get(agent, srv.url, PATHS[i % PATHS.length]);
                sockets.add(r.socket);
                statuses.set(r.status, (statuses.get(r.status) || 0) + 1);
                if ((r.connection || '').toLowerCase() === 'close') closes++;
            }
        });
        const results = await Promise.allSettled(chains);
        const failed = results.filter((r) => r.status === 'rejected');
        assert.equal(failed.length, 0, `failed chains: ${failed.length}, first: ${failed[0]?.reason}`);
    } finally {
        agent.destroy();
    }
    assert.deepEqual(
        [...statuses],
        [[200, CONNECTIONS * REQUESTS_PER_CONNECTION]],
        `status counts: ${JSON.stringify([...statuses])}`,
    );
    assert.equal(closes, 0, 'no response asks to close the connection');
    assert.ok(
        sockets.size <= CONNECTIONS,
        `connections were not kept alive: ${sockets.size} sockets for ${CONNECTIONS * REQUESTS_PER_CONNECTION} requests`,
    );
});

test('the server still answers after the load', async () => {
    const res = await fetch(`${srv.url}/healthz`);
    assert.equal(res.status, 200);
});
