/*
 * 25-people-photo-files: what happens to photos on disk and to phone photos.
 *
 * EXIF orientation: a JPEG made by the server from a PNG whose top-left quarter is red
 * gets an APP1 Exif segment saying "orientation N" spliced in, and is uploaded; the
 * stored thumbnails, decoded in chromium, must show the red quarter where a viewer of
 * the original photo saw it (6: top right, 3: bottom right, 8: bottom left).
 *
 * Old files: thumbnails are stored by content hash, so two members uploading the same
 * image share files.  Replacing or removing a photo deletes its files from the disk only
 * when no other profile uses them; a thumbnail missing from the disk makes its URL 404
 * and breaks no page, and uploading the same image again writes it back.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { startServer } from './lib/server.mjs';
import { Client, signIn, apiToken } from './lib/client.mjs';
import { launchBrowser } from './lib/browser.mjs';
import { pngChunk } from './lib/images.mjs';

const PW = 'correct-horse-1';
const ALICE = { email: 'alice@example.test', name: 'Alice Martin', password: PW };
const BRUNO = { email: 'bruno@example.test', name: 'Bruno Petit', password: PW };

let srv;
const c = {};
const ids = {};

before(async () => {
    srv = await startServer({ users: [ALICE, BRUNO] });
    for (const [key, u] of [['alice', ALICE], ['bruno', BRUNO]]) {
        c[key] = (await signIn(srv.url, u.email, u.password)).client;
        ids[key] = (await c[key].json('/api/v1/me')).json_body.id;
    }
});

after(async () => {
    if (srv) await srv.stopChecked();
});

/* ---- images ---------------------------------------------------------------------------- */

/* A 256 x 256 RGB PNG: white, with the top-left quarter (or the whole image) of one colour. */
function quarterPng([r, g, b], { whole = false } = {}) {
    const size = 256;
    const raw = Buffer.alloc(size * (1 + 3 * size), 255);
    for (let y = 0; y < size; y++) {
        raw[y * (1 + 3 * size)] = 0; /* filter: none */
        for (let x = 0; x < size; x++) {
            if (!whole && (x >= size / 2 || y >= size / 2)) continue;
            raw.set([r, g, b], y * (1 + 3 * size) + 1 + 3 * x);
        }
    }
    const ihdr = Buffer.alloc(13);
    ihdr.writeUInt32BE(size, 0);
    ihdr.writeUInt32BE(size, 4);
    ihdr[8] = 8;
    ihdr[9] = 2;
    return Buffer.concat([
        Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
        pngChunk('IHDR', ihdr),
        pngChunk('IDAT', zlib.deflateSync(raw)),
        pngChunk('IEND', Buffer.alloc(0)),
    ]);
}

/* An APP1 Exif segment whose IFD0 holds Orientation = o, big-endian ("MM") or not. */
function orientationSegment(o, bigEndian) {
    const t = Buffer.alloc(8 + 2 + 12 + 4);
    const u16 = (v, at) => (bigEndian ? t.writeUInt16BE(v, at) : t.writeUInt16LE(v, at));
    const u32 = (v, at) => (bigEndian ? t.writeUInt32BE(v, at) : t.writeUInt32LE(v, at));
    t.write(bigEndian ? 'MM' : 'II', 0, 'latin1');
    u16(42, 2);
    u32(8, 4);
    u16(1, 8); /* one entry */
    u16(0x0112, 10); /* Orientation, SHORT, 1 value */
    u16(3, 12);
    u32(1, 14);
    u16(o, 18);
    u32(0, 22); /* no next IFD */
    const payload = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), t]);
    const head = Buffer.from([0xff, 0xe1, 0, 0]);
    head.writeUInt16BE(payload.length + 2, 2);
    return Buffer.concat([head, payload]);
}

/* ---- requests ---------------------------------------------------------------------------- */

async function upload(client, id, bytes, type = 'image/png') {
    const fd = new FormData();
    fd.append('csrf_token', await client.csrf('/'));
    fd.append('photo', new Blob([bytes], { type }), type === 'image/png' ? 'photo.png' : 'photo.jpg');
    const res = await client.fetch(`/people/${id}/photo`, { method: 'POST', body: fd });
    assert.equal(res.status, 303, res.body_text);
}

async function getBytes(client, p) {
    const res = await fetch(new URL(p, srv.url), { headers: { cookie: client.cookieHeader() }, redirect: 'manual' });
    return { status: res.status, etag: res.headers.get('etag'), buf: Buffer.from(await res.arrayBuffer()) };
}

/* The hashes of a member's two thumbnails (their ETags), as viewer sees them. */
async function photoHashes(viewer, id) {
    const big = await getBytes(viewer, `/people/${id}/photo/256`);
    const small = await getBytes(viewer, `/people/${id}/photo/64`);
    assert.equal(big.status, 200);
    assert.equal(small.status, 200);
    return [big.etag, small.etag].map((e) => e.replaceAll('"', ''));
}

/* The hashes of the thumbnail files on disk (attachments and previews live elsewhere). */
function filesOnDisk() {
    const root = path.join(srv.dir, 'files');
    return fs
        .readdirSync(root, { recursive: true })
        .filter((f) => /^[0-9a-f]{2}\/[0-9a-f]{2}\/[0-9a-f]{64}\.jpg$/.test(f))
        .map((f) => path.basename(f, '.jpg'))
        .sort();
}

const fileOf = (hash) => path.join(srv.dir, 'files', hash.slice(0, 2), hash.slice(2, 4), `${hash}.jpg`);

/* ---- EXIF orientation ---------------------------------------------------------------------- */

let browser;

/* The colour at the centre of each quarter of a JPEG, decoded by chromium: [tl, tr, bl, br]. */
async function quarters(jpeg) {
    browser ??= await launchBrowser();
    const page = await browser.newPage();
    try {
        return await page.evaluate(async (b64) => {
            const bytes = Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0));
            const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/jpeg' }));
            const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
            const ctx = canvas.getContext('2d');
            ctx.drawImage(bitmap, 0, 0);
            const at = (fx, fy) => {
                const d = ctx.getImageData(Math.floor(bitmap.width * fx), Math.floor(bitmap.height * fy), 1, 1).data;
                return d[0] > 200 && d[1] < 80 && d[2] < 80 ? 'red' : d[0] > 200 && d[1] > 200 && d[2] > 200 ? 'white' : `${d[0]},${d[1]},${d[2]}`;
            };
            return [at(0.25, 0.25), at(0.75, 0.25), at(0.25, 0.75), at(0.75, 0.75)];
        }, jpeg.toString('base64'));
    } finally {
        await page.close();
    }
}

test('a JPEG with EXIF orientation 6, 3 or 8 is stored turned as it was meant to be seen', async () => {
    try {
        await upload(c.alice, ids.alice, quarterPng([255, 0, 0]));
        const plain = (await getBytes(c.alice, `/people/${ids.alice}/photo/256`)).buf;
        assert.deepEqual(await quarters(plain), ['red', 'white', 'white', 'white'], 'the upright photo');
        const cases = [
            [6, false, ['white', 'red', 'white', 'white']],
            [3, true, ['white', 'white', 'white', 'red']],
            [8, true, ['white', 'white', 'red', 'white']],
            [1, false, ['red', 'white', 'white', 'white']],
        ];
        for (const [o, bigEndian, want] of cases) {
            const jpeg = Buffer.concat([plain.subarray(0, 2), orientationSegment(o, bigEndian), plain.subarray(2)]);
            await upload(c.alice, ids.alice, jpeg, 'image/jpeg');
            for (const size of [256, 64]) {
                const { status, buf } = await getBytes(c.alice, `/people/${ids.alice}/photo/${size}`);
                assert.equal(status, 200);
                assert.ok(!buf.includes('Exif'), 'no Exif left in the thumbnail');
                assert.deepEqual(await quarters(buf), want, `orientation ${o}, ${size} px`);
            }
        }
    } finally {
        await browser?.close();
        browser = undefined;
    }
});

/* ---- old files ------------------------------------------------------------------------------- */

test('replacing a photo deletes the old files; a shared image stays until its last user goes', async () => {
    const green = quarterPng([0, 160, 0], { whole: true });
    const blue = quarterPng([0, 0, 200], { whole: true });
    await upload(c.alice, ids.alice, green);
    const aliceGreen = await photoHashes(c.bruno, ids.alice);
    for (const h of aliceGreen) assert.ok(filesOnDisk().includes(h));
    const before = filesOnDisk().filter((h) => !aliceGreen.includes(h));

    /* Alice replaces green by blue: green's two files go, blue's two come. */
    await upload(c.alice, ids.alice, blue);
    const aliceBlue = await photoHashes(c.bruno, ids.alice);
    assert.deepEqual(filesOnDisk(), [...before, ...aliceBlue].sort());

    /* Bruno uploads the same image: the same two files, shared. */
    await upload(c.bruno, ids.bruno, blue);
    assert.deepEqual(await photoHashes(c.alice, ids.bruno), aliceBlue);
    assert.deepEqual(filesOnDisk(), [...before, ...aliceBlue].sort());

    /* Alice removes hers: Bruno still uses the files, they stay and still load. */
    const del = await c.alice.postWithCsrf(`/people/${ids.alice}/photo/delete`, {});
    assert.equal(del.status, 303);
    assert.equal((await getBytes(c.bruno, `/people/${ids.alice}/photo/256`)).status, 404);
    assert.deepEqual(filesOnDisk(), [...before, ...aliceBlue].sort());
    assert.deepEqual(await photoHashes(c.alice, ids.bruno), aliceBlue);

    /* Bruno removes his through the API: nobody uses them, they go. */
    const token = await apiToken(srv.url, BRUNO.email, BRUNO.password);
    const res = await new Client(srv.url).fetch('/api/v1/me/photo', { method: 'DELETE', headers: { authorization: `Bearer ${token}` } });
    assert.equal(res.status, 204);
    assert.deepEqual(filesOnDisk(), before);
});

test('a thumbnail missing on disk: 404 for its URL, the pages still work, a new upload writes it back', async () => {
    const purple = quarterPng([120, 0, 120], { whole: true });
    await upload(c.alice, ids.alice, purple);
    const hashes = await photoHashes(c.bruno, ids.alice);
    for (const h of hashes) fs.rmSync(fileOf(h));

    assert.equal((await getBytes(c.bruno, `/people/${ids.alice}/photo/256`)).status, 404);
    assert.equal((await getBytes(c.bruno, `/people/${ids.alice}/photo/64`)).status, 404);
    for (const p of [`/people/${ids.alice}`, '/people', '/people?q=alice', `/people/${ids.alice}/edit`, '/']) {
        const client = p.endsWith('/edit') ? c.alice : c.bruno;
        const res = await client.get(p);
        assert.equal(res.status, 200, p);
    }
    const api = await c.bruno.json('/api/v1/people?q=alice');
    assert.equal(api.status, 200);
    assert.equal(api.json_body.items[0].id, ids.alice);

    await upload(c.alice, ids.alice, purple);
    assert.deepEqual(await photoHashes(c.bruno, ids.alice), hashes);
    for (const h of hashes) assert.ok(fs.existsSync(fileOf(h)), `${h} written back`);
});
