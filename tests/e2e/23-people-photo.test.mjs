/*
 * 23-people-photo: profile photos.  Images are made by the tests: a PNG written with
 * node:zlib (lib/images.mjs), and a JPEG carrying EXIF GPS data and a marker string, spliced into a JPEG the server produced.
 * Checks that stored thumbnails are 256x256 and 64x64 JPEGs without any metadata, that a
 * renamed PDF and a decompression bomb are refused (400) with nothing stored, a body over
 * 10 MB gets 413, another member cannot upload (404) nor anyone without CSRF (403), a hidden
 * photo is 404 for others who see the initials instead, the API (PUT/DELETE /api/v1/me/photo),
 * ETag/304, and in chromium that the profile's <img> loads at 256 px.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { startServer } from './lib/server.mjs';
import { signIn, apiToken } from './lib/client.mjs';
import { launchBrowser, watchPage, addClientCookies } from './lib/browser.mjs';
import { makePng } from './lib/images.mjs';

const PW = 'correct-horse-1';
const ALICE = { email: 'alice@example.test', name: 'Alice Martin', password: PW };
const BRUNO = { email: 'bruno@example.test', name: 'Bruno Petit', password: PW };
const MARKER = 'RUCHE-GPS-MARKER-48.8584N-2.2945E';

let srv;
const c = {};
const ids = {};
const tokens = {};

before(async () => {
    srv = await startServer({ users: [ALICE, BRUNO] });
    for (const [key, u] of [['alice', ALICE], ['bruno', BRUNO]]) {
        c[key] = (await signIn(srv.url, u.email, u.password)).client;
        ids[key] = (await c[key].json('/api/v1/me')).json_body.id;
        tokens[key] = await apiToken(srv.url, u.email, u.password);
    }
});

after(async () => {
    if (srv) await srv.stopChecked();
});

/* ---- image makers ---------------------------------------------------------------- */

/* An APP1 "Exif" segment: IFD0 with ImageDescription = MARKER and a GPS IFD (N 48°). */
function exifSegment() {
    const desc = Buffer.from(MARKER + '\0', 'latin1');
    const t = Buffer.alloc(8 + 2 + 2 * 12 + 4 + 2 + 2 * 12 + 4 + desc.length);
    t.write('II*\0', 0, 'latin1');
    t.writeUInt32LE(8, 4);
    const gpsIfd = 8 + 2 + 2 * 12 + 4;
    const descAt = gpsIfd + 2 + 2 * 12 + 4;
    let o = 8;
    t.writeUInt16LE(2, o);
    o += 2;
    /* ImageDescription, ASCII */
    t.writeUInt16LE(0x010e, o);
    t.writeUInt16LE(2, o + 2);
    t.writeUInt32LE(desc.length, o + 4);
    t.writeUInt32LE(descAt, o + 8);
    o += 12;
    /* GPSInfo IFD pointer */
    t.writeUInt16LE(0x8825, o);
    t.writeUInt16LE(4, o + 2);
    t.writeUInt32LE(1, o + 4);
    t.writeUInt32LE(gpsIfd, o + 8);
    o += 12;
    t.writeUInt32LE(0, o); /* no next IFD */
    o = gpsIfd;
    t.writeUInt16LE(2, o);
    o += 2;
    t.writeUInt16LE(0x0000, o); /* GPSVersionID 2.2.0.0 */
    t.writeUInt16LE(1, o + 2);
    t.writeUInt32LE(4, o + 4);
    t.set([2, 2, 0, 0], o + 8);
    o += 12;
    t.writeUInt16LE(0x0001, o); /* GPSLatitudeRef "N" */
    t.writeUInt16LE(2, o + 2);
    t.writeUInt32LE(2, o + 4);
    t.write('N\0', o + 8, 'latin1');
    o += 12;
    t.writeUInt32LE(0, o);
    desc.copy(t, descAt);
    const payload = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), t]);
    const head = Buffer.from([0xff, 0xe1, 0, 0]);
    head.writeUInt16BE(payload.length + 2, 2);
    return Buffer.concat([head, payload]);
}

/* {w, h} from a JPEG's SOFn; asserts it is a whole JPEG (SOI ... EOI). */
function jpegSize(buf) {
    assert.equal(buf.readUInt16BE(0), 0xffd8, 'not a JPEG (SOI)');
    assert.equal(buf.readUInt16BE(buf.length - 2), 0xffd9, 'JPEG without EOI');
    let i = 2;
    while (i + 4 <= buf.length) {
        assert.equal(buf[i], 0xff, `bad marker at ${i}`);
        const m = buf[i + 1];
        const len = buf.readUInt16BE(i + 2);
        if (m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc)
            return { h: buf.readUInt16BE(i + 5), w: buf.readUInt16BE(i + 7) };
        i += 2 + len;
    }
    assert.fail('no SOF in JPEG');
}

/* ---- requests ----------------------------------------------------------------------- */

/* POST /people/{id}/photo as multipart; fields beyond the file are added as given. */
async function upload(client, id, bytes, { filename = 'photo.png', type = 'image/png', csrf = true, fields = {} } = {}) {
    const fd = new FormData();
    if (csrf) fd.append('csrf_token', await client.csrf('/'));
    for (const [k, v] of Object.entries(fields)) fd.append(k, v);
    if (bytes) fd.append('photo', new Blob([bytes], { type }), filename);
    return client.fetch(`/people/${id}/photo`, { method: 'POST', body: fd });
}

/* GET path with client's cookies, body as a Buffer. */
async function getBytes(client, p, headers = {}) {
    const res = await fetch(new URL(p, srv.url), {
        headers: { cookie: client.cookieHeader(), ...headers },
        redirect: 'manual',
    });
    return { status: res.status, headers: res.headers, buf: Buffer.from(await res.arrayBuffer()) };
}

function filesIn(dir) {
    if (!fs.existsSync(dir)) return [];
    return fs.readdirSync(dir, { recursive: true }).filter((f) => f.endsWith('.jpg') || f.includes('.tmp'));
}

const filesDir = () => path.join(srv.dir, 'files');

/* ---- tests -------------------------------------------------------------------------- */

let serverJpeg; /* the 256 px JPEG the server made from the PNG */

test('a PNG becomes 256 and 64 px square JPEG thumbnails on the profile', async () => {
    const res = await upload(c.alice, ids.alice, makePng(300, 200));
    assert.equal(res.status, 303, res.body_text);
    const big = await getBytes(c.alice, `/people/${ids.alice}/photo/256`);
    assert.equal(big.status, 200);
    assert.equal(big.headers.get('content-type'), 'image/jpeg');
    assert.match(big.headers.get('cache-control'), /private/);
    assert.deepEqual(jpegSize(big.buf), { w: 256, h: 256 });
    const small = await getBytes(c.alice, `/people/${ids.alice}/photo/64`);
    assert.equal(small.status, 200);
    assert.deepEqual(jpegSize(small.buf), { w: 64, h: 64 });
    serverJpeg = big.buf;

    const etag = big.headers.get('etag');
    assert.ok(etag);
    const again = await getBytes(c.alice, `/people/${ids.alice}/photo/256`, { 'if-none-match': etag });
    assert.equal(again.status, 304);
    assert.equal((await getBytes(c.alice, `/people/${ids.alice}/photo/128`)).status, 404);

    const page = (await c.bruno.get(`/people/${ids.alice}`)).body_text;
    assert.match(page, new RegExp(`<img class="avatar photo big" src="/people/${ids.alice}/photo/256\\?v=[0-9a-f]{16}" alt="Alice Martin" width="256" height="256">`));
    const dir = (await c.bruno.get('/people')).body_text;
    assert.match(dir, new RegExp(`src="/people/${ids.alice}/photo/64\\?v=`));
    const json = (await c.bruno.json(`/api/v1/people/${ids.alice}`)).json_body;
    assert.deepEqual(json.photo, { 64: `/people/${ids.alice}/photo/64`, 256: `/people/${ids.alice}/photo/256` });
    assert.equal(json.photo_visibility, undefined);
    assert.equal((await c.alice.json(`/api/v1/people/${ids.alice}`)).json_body.photo_visibility, 'everyone');
});

test('a JPEG with EXIF GPS: the stored thumbnails carry no metadata', async () => {
    assert.ok(serverJpeg, 'needs the first test');
    const withExif = Buffer.concat([serverJpeg.subarray(0, 2), exifSegment(), serverJpeg.subarray(2)]);
    assert.ok(withExif.includes('Exif') && withExif.includes(MARKER));
    const res = await upload(c.alice, ids.alice, withExif, { filename: 'gps.jpg', type: 'image/jpeg' });
    assert.equal(res.status, 303, res.body_text);
    for (const [size, px] of [['256', 256], ['64', 64]]) {
        const { status, buf } = await getBytes(c.alice, `/people/${ids.alice}/photo/${size}`);
        assert.equal(status, 200);
        assert.deepEqual(jpegSize(buf), { w: px, h: px });
        assert.ok(!buf.includes('Exif'), `${size}: Exif left`);
        assert.ok(!buf.includes(MARKER), `${size}: marker left`);
        assert.ok(!buf.includes('gd-jpeg'), `${size}: encoder comment left`);
        for (let i = 2; i + 4 <= buf.length && buf[i] === 0xff && buf[i + 1] !== 0xda; i += 2 + buf.readUInt16BE(i + 2))
            assert.ok(![0xe1, 0xe2, 0xed, 0xfe].includes(buf[i + 1]), `${size}: metadata segment ${buf[i + 1].toString(16)}`);
    }
    for (const f of filesIn(filesDir())) {
        const buf = fs.readFileSync(path.join(filesDir(), f));
        assert.ok(!buf.includes(MARKER), `${f} holds the marker`);
    }
});

test('a renamed PDF and a decompression bomb are refused (400), nothing stored', async () => {
    await c.bruno.json(`/api/v1/people/${ids.bruno}`, { method: 'PATCH', body: { job: 'Juriste' }, headers: { authorization: `Bearer ${tokens.bruno}` } });
    const before = filesIn(filesDir()).sort();
    const pdf = Buffer.from('%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n');
    let res = await upload(c.bruno, ids.bruno, pdf, { filename: 'photo.jpg', type: 'image/jpeg' });
    assert.equal(res.status, 400);
    assert.match(res.body_text, /Ce fichier n&#39;est pas une image JPEG, PNG ou WebP lisible|Ce fichier n'est pas une image JPEG, PNG ou WebP lisible/);
    const bomb = makePng(50000, 50000, { idat: zlib.deflateSync(Buffer.alloc(1000)) });
    assert.ok(bomb.length < 2000);
    res = await upload(c.bruno, ids.bruno, bomb);
    assert.equal(res.status, 400);
    assert.match(res.body_text, /trop grande/);
    /* A truncated PNG: the header is fine, the pixels are missing. */
    const png = makePng(40, 40);
    res = await upload(c.bruno, ids.bruno, png.subarray(0, 60));
    assert.equal(res.status, 400);
    res = await c.bruno.fetch('/api/v1/me/photo', { method: 'PUT', headers: { authorization: `Bearer ${tokens.bruno}`, 'content-type': 'image/png' }, body: pdf });
    assert.equal(res.status, 400);
    assert.equal(JSON.parse(res.body_text).error.field, 'photo');
    assert.deepEqual(filesIn(filesDir()).sort(), before);
    const json = (await c.bruno.json(`/api/v1/people/${ids.bruno}`)).json_body;
    assert.equal(json.photo, undefined);
    assert.equal(json.job, 'Juriste');
    assert.equal((await getBytes(c.bruno, `/people/${ids.bruno}/photo/256`)).status, 404);
});

test('a body over 10 MB gets 413', async () => {
    const big = Buffer.alloc(10 * 1024 * 1024 + 200 * 1024, 7);
    big.set(makePng(2, 2).subarray(0, 33));
    let res = await upload(c.bruno, ids.bruno, big);
    assert.equal(res.status, 413);
    res = await c.bruno.fetch('/api/v1/me/photo', { method: 'PUT', headers: { authorization: `Bearer ${tokens.bruno}`, 'content-type': 'image/png' }, body: big });
    assert.equal(res.status, 413);
    /* Just over 10 MB of image but within the multipart allowance: 413 from the handler. */
    res = await c.bruno.fetch('/api/v1/me/photo', { method: 'PUT', headers: { authorization: `Bearer ${tokens.bruno}`, 'content-type': 'image/png' }, body: big.subarray(0, 10 * 1024 * 1024 + 10) });
    assert.equal(res.status, 413);
});

test('another member cannot upload to a profile (404), nor anyone without CSRF (403)', async () => {
    const png = makePng(20, 20);
    let res = await upload(c.bruno, ids.alice, png);
    assert.equal(res.status, 404);
    res = await c.bruno.postWithCsrf(`/people/${ids.alice}/photo/delete`, {}, `/people/${ids.bruno}/edit`);
    assert.equal(res.status, 404);
    res = await upload(c.alice, ids.alice, png, { csrf: false });
    assert.equal(res.status, 403);
    assert.equal((await getBytes(c.alice, `/people/${ids.alice}/photo/256`)).status, 200);
});

test('a photo hidden from others: 404 for them, initials instead, the owner still sees it', async () => {
    const res = await upload(c.alice, ids.alice, null, { fields: { photo_visibility: 'me' } });
    assert.equal(res.status, 303, res.body_text);
    assert.equal((await getBytes(c.bruno, `/people/${ids.alice}/photo/256`)).status, 404);
    assert.equal((await getBytes(c.bruno, `/people/${ids.alice}/photo/64`)).status, 404);
    assert.equal((await getBytes(c.alice, `/people/${ids.alice}/photo/256`)).status, 200);
    const page = (await c.bruno.get(`/people/${ids.alice}`)).body_text;
    assert.ok(!page.includes(`/people/${ids.alice}/photo/`), 'hidden photo linked');
    assert.match(page, /<span class="avatar big c\d" aria-hidden="true">AM<\/span>/);
    const dir = (await c.bruno.get('/people')).body_text;
    assert.ok(!dir.includes(`/people/${ids.alice}/photo/`));
    assert.equal((await c.bruno.json(`/api/v1/people/${ids.alice}`)).json_body.photo, undefined);
    await upload(c.alice, ids.alice, null, { fields: { photo_visibility: 'everyone' } });
    assert.equal((await getBytes(c.bruno, `/people/${ids.alice}/photo/256`)).status, 200);
});

test('API: PUT /api/v1/me/photo (body or multipart) and DELETE', async () => {
    const auth = { authorization: `Bearer ${tokens.bruno}` };
    let res = await c.bruno.fetch('/api/v1/me/photo', { method: 'PUT', headers: { ...auth, 'content-type': 'image/png' }, body: makePng(64, 80) });
    assert.equal(res.status, 200, res.body_text);
    let json = JSON.parse(res.body_text);
    assert.equal(json.id, ids.bruno);
    assert.equal(json.photo['256'], `/people/${ids.bruno}/photo/256`);
    const fd = new FormData();
    fd.append('photo', new Blob([makePng(90, 30)], { type: 'image/png' }), 'x.png');
    res = await c.bruno.fetch('/api/v1/me/photo?visibility=me', { method: 'PUT', headers: auth, body: fd });
    assert.equal(res.status, 200, res.body_text);
    json = JSON.parse(res.body_text);
    assert.equal(json.photo_visibility, 'me');
    assert.equal((await getBytes(c.alice, `/people/${ids.bruno}/photo/64`)).status, 404);
    res = await c.bruno.fetch('/api/v1/me/photo', { method: 'DELETE', headers: auth });
    assert.equal(res.status, 204);
    assert.equal((await getBytes(c.bruno, `/people/${ids.bruno}/photo/256`)).status, 404);
    assert.equal((await c.bruno.json(`/api/v1/people/${ids.bruno}`)).json_body.photo, undefined);
});

test('the edit page has the upload form; removing the photo brings the initials back', async () => {
    const html = (await c.bruno.get(`/people/${ids.bruno}/edit`)).body_text;
    assert.match(html, /<form method="post" enctype="multipart\/form-data" action="\/people\/\d+\/photo">/);
    assert.match(html, /<input type="file" id="photo-file" name="photo" accept="image\/jpeg,image\/png,image\/webp">/);
    await upload(c.bruno, ids.bruno, makePng(10, 10));
    const res = await c.bruno.postWithCsrf(`/people/${ids.bruno}/photo/delete`, {}, `/people/${ids.bruno}/edit`);
    assert.equal(res.status, 303);
    const page = (await c.alice.get(`/people/${ids.bruno}`)).body_text;
    assert.match(page, /<span class="avatar big c\d" aria-hidden="true">BP<\/span>/);
});

test('in chromium, the profile photo loads at 256 px', async () => {
    const browser = await launchBrowser();
    try {
        const context = await browser.newContext();
        await addClientCookies(context, c.bruno);
        const page = await context.newPage();
        const seen = watchPage(page);
        await page.goto(`${srv.url}/people/${ids.alice}`);
        const img = page.locator('img.avatar.photo.big');
        await img.waitFor();
        const natural = await img.evaluate(async (el) => {
            if (!el.complete) await new Promise((r) => el.addEventListener('load', r, { once: true }));
            return [el.naturalWidth, el.naturalHeight];
        });
        assert.deepEqual(natural, [256, 256]);
        assert.deepEqual(seen.pageErrors, []);
        assert.deepEqual(seen.consoleErrors, []);
    } finally {
        await browser.close();
    }
});
