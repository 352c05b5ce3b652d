/*
 * 32-feed-attachments: files and images attached to posts through the compose form
 * (multipart built here byte by byte, as a browser sends it).
 *
 * A post with two images and a PDF: images come back as JPEGs no larger than 2048 px with a
 * 480 px thumbnail and without any metadata (a JPEG carrying EXIF GPS data and a marker
 * string loses them), the PDF comes back as uploaded with Content-Disposition: attachment;
 * ETag and 304.  Refusals save nothing, neither post nor file: 11 files (400, the limit
 * named), an executable renamed .pdf and a PDF renamed .exe (400, the file named), a file
 * over 20 MB (413, a page with the text kept).  An empty file input is ignored; names lose
 * their folders and direction characters.  A guest, who may not read profile posts, gets
 * 404 on the file URLs, like a missing file; a deleted post's files answer 404 and leave
 * the disk, except bytes another post still uses.
 *
 * The tests run in order and share one instance (P holds posts made earlier).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startServer } from './lib/server.mjs';
import { signIn, apiToken, Client } from './lib/client.mjs';
import { makePng } from './lib/images.mjs';

const PW = 'correct-horse-1';
const USERS = {
    alice: { email: 'alice@example.test', name: 'Alice Durand', password: PW },
    bruno: { email: 'bruno@example.test', name: 'Bruno Petit', password: PW },
    gus: { email: 'gus@example.test', name: 'Gus Externe', password: PW, role: 'guest' },
};
const MARKER = 'RUCHE-GPS-MARKER-48.8584N-2.2945E';
const PDF = Buffer.from('%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n');

let srv;
const c = {};
const tokens = {};
const P = {};

before(async () => {
    srv = await startServer({ users: Object.values(USERS) });
    for (const [key, u] of Object.entries(USERS)) {
        c[key] = (await signIn(srv.url, u.email, u.password)).client;
        tokens[key] = await apiToken(srv.url, u.email, u.password);
    }
});

after(async () => {
    if (srv) await srv.stopChecked();
});

/* ---- helpers ------------------------------------------------------------------------------ */

/*
 * POST /posts as the compose form does: multipart/form-data with csrf_token, back, body and
 * one "files" part per entry of files ({name, data, type}); the body is built by hand so the
 * test controls every byte (an empty part without a file name, names with backslashes).
 */
async function compose(client, body, files = []) {
    const boundary = `----ruche-test-${Math.random().toString(16).slice(2)}`;
    const chunks = [];
    const part = (headers, data) => {
        chunks.push(Buffer.from(`--${boundary}\r\n${headers}\r\n\r\n`, 'utf8'), Buffer.isBuffer(data) ? data : Buffer.from(data, 'utf8'), Buffer.from('\r\n'));
    };
    part('Content-Disposition: form-data; name="csrf_token"', await client.csrf('/'));
    part('Content-Disposition: form-data; name="back"', '/');
    part('Content-Disposition: form-data; name="body"', body);
    /* Browsers send a quote in a file name as %22, line breaks as %0D and %0A. */
    const browserName = (n) => n.replaceAll('"', '%22').replaceAll('\r', '%0D').replaceAll('\n', '%0A');
    for (const f of files)
        part(`Content-Disposition: form-data; name="files"; filename="${browserName(f.name)}"\r\nContent-Type: ${f.type ?? 'application/octet-stream'}`, f.data);
    chunks.push(Buffer.from(`--${boundary}--\r\n`));
    return client.fetch('/posts', {
        method: 'POST',
        headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
        body: Buffer.concat(chunks),
    });
}

/* The newest post of who's home feed through the API (their own posts are in it). */
async function newestPost(who) {
    const res = await new Client(srv.url).json('/api/v1/feed', { headers: { authorization: `Bearer ${tokens[who]}` } });
    assert.equal(res.status, 200, res.body_text);
    return res.json_body.items[0];
}

/* GET path as client, the body as bytes. */
async function getBytes(client, p, headers = {}) {
    const res = await fetch(new URL(p, srv.url), { headers: { cookie: client.cookieHeader(), ...headers }, redirect: 'manual' });
    return { status: res.status, headers: res.headers, buf: Buffer.from(await res.arrayBuffer()) };
}

const attachDir = () => path.join(srv.dir, 'files', 'attachments');

/* Every file under files/attachments (relative paths), temporary ones included. */
function storedFiles() {
    const dir = attachDir();
    if (!fs.existsSync(dir)) return [];
    return fs
        .readdirSync(dir, { recursive: true })
        .filter((f) => fs.statSync(path.join(dir, f)).isFile())
        .sort();
}

/* An APP1 "Exif" segment: IFD0 with ImageDescription = MARKER and a GPS IFD (latitude N). */
function exifSegment() {
    const desc = Buffer.from(`${MARKER}\0`, 'latin1');
    const gpsIfd = 8 + 2 + 2 * 12 + 4;
    const descAt = gpsIfd + 2 + 2 * 12 + 4;
    const t = Buffer.alloc(descAt + desc.length);
    t.write('II*\0', 0, 'latin1');
    t.writeUInt32LE(8, 4);
    const entry = (at, tag, type, count, value) => {
        t.writeUInt16LE(tag, at);
        t.writeUInt16LE(type, at + 2);
        t.writeUInt32LE(count, at + 4);
        if (typeof value === 'number') t.writeUInt32LE(value, at + 8);
        else t.set(value, at + 8);
    };
    t.writeUInt16LE(2, 8);
    entry(10, 0x010e, 2, desc.length, descAt); /* ImageDescription */
    entry(22, 0x8825, 4, 1, gpsIfd); /* GPSInfo */
    t.writeUInt16LE(2, gpsIfd);
    entry(gpsIfd + 2, 0x0000, 1, 4, [2, 2, 0, 0]); /* GPSVersionID */
    entry(gpsIfd + 14, 0x0001, 2, 2, [0x4e, 0]); /* GPSLatitudeRef "N" */
    desc.copy(t, descAt);
    const payload = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), t]);
    const head = Buffer.from([0xff, 0xe1, 0, 0]);
    head.writeUInt16BE(payload.length + 2, 2);
    return Buffer.concat([head, payload]);
}

/* An APP1 "Exif" segment whose IFD0 holds only Orientation = o (how phones say a photo is turned). */
function orientationSegment(o) {
    const t = Buffer.alloc(8 + 2 + 12 + 4);
    t.write('MM\0*', 0, 'latin1');
    t.writeUInt32BE(8, 4);
    t.writeUInt16BE(1, 8);
    t.writeUInt16BE(0x0112, 10);
    t.writeUInt16BE(3, 12); /* SHORT */
    t.writeUInt32BE(1, 14);
    t.writeUInt16BE(o, 18);
    const payload = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), t]);
    const head = Buffer.from([0xff, 0xe1, 0, 0]);
    head.writeUInt16BE(payload.length + 2, 2);
    return Buffer.concat([head, payload]);
}

/* The markers of a JPEG's segments before its image data, and its size from SOFn. */
function jpegInfo(buf) {
    assert.equal(buf.readUInt16BE(0), 0xffd8, 'not a JPEG (SOI)');
    assert.equal(buf.readUInt16BE(buf.length - 2), 0xffd9, 'JPEG without EOI');
    const markers = [];
    let size = null;
    for (let i = 2; i + 4 <= buf.length && buf[i + 1] !== 0xda; i += 2 + buf.readUInt16BE(i + 2)) {
        assert.equal(buf[i], 0xff, `bad marker at ${i}`);
        const m = buf[i + 1];
        markers.push(m);
        if (m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc) size = { w: buf.readUInt16BE(i + 7), h: buf.readUInt16BE(i + 5) };
    }
    assert.ok(size, 'no SOF in JPEG');
    return { ...size, markers };
}

/* Wait (bounded) until check() is true; the background job removes files within seconds. */
async function eventually(check, what, timeoutMs = 30000) {
    const end = Date.now() + timeoutMs;
    while (Date.now() < end) {
        if (await check()) return;
        await new Promise((r) => setTimeout(r, 200));
    }
    assert.fail(`timed out waiting for ${what}`);
}

/* ---- tests -------------------------------------------------------------------------------- */

test('one PNG: stored as a JPEG of the same size with a 480 px thumbnail', async () => {
    const res = await compose(c.alice, 'Le plan du site', [{ name: 'plan.png', type: 'image/png', data: makePng(640, 320) }]);
    assert.equal(res.status, 303, res.body_text.match(/field-error[^<]*/)?.[0]);
    const post = await newestPost('alice');
    assert.equal(post.body, 'Le plan du site');
    assert.equal(post.attachments.length, 1);
    assert.deepEqual(
        { name: post.attachments[0].name, mime: post.attachments[0].mime, is_image: post.attachments[0].is_image, url: post.attachments[0].url },
        { name: 'plan.png', mime: 'image/jpeg', is_image: true, url: `/posts/${post.id}/files/0` },
    );
    const full = await getBytes(c.bruno, `/posts/${post.id}/files/0`);
    assert.equal(full.status, 200);
    assert.equal(full.headers.get('content-type'), 'image/jpeg');
    assert.match(full.headers.get('content-disposition'), /^inline; filename="plan\.jpg"/);
    assert.deepEqual({ w: jpegInfo(full.buf).w, h: jpegInfo(full.buf).h }, { w: 640, h: 320 });
    const thumb = await getBytes(c.bruno, `/posts/${post.id}/files/0/thumb`);
    assert.equal(thumb.status, 200);
    assert.deepEqual({ w: jpegInfo(thumb.buf).w, h: jpegInfo(thumb.buf).h }, { w: 480, h: 240 });
    P.png = { id: post.id, jpeg: full.buf };
    assert.equal(storedFiles().length, 2);
});

test('a phone photo whose EXIF says "turn 90 degrees" is stored turned', async () => {
    assert.ok(P.png, 'needs the first test');
    const turned = Buffer.concat([P.png.jpeg.subarray(0, 2), orientationSegment(6), P.png.jpeg.subarray(2)]);
    const res = await compose(c.alice, 'Photo prise au téléphone', [{ name: 'IMG_0001.jpg', type: 'image/jpeg', data: turned }]);
    assert.equal(res.status, 303, res.body_text.match(/field-error[^<]*/)?.[0]);
    const post = await newestPost('alice');
    const full = await getBytes(c.bruno, `/posts/${post.id}/files/0`);
    assert.deepEqual([jpegInfo(full.buf).w, jpegInfo(full.buf).h], [320, 640]);
    assert.ok(!full.buf.includes('Exif'), 'Exif left');
    const thumb = await getBytes(c.bruno, `/posts/${post.id}/files/0/thumb`);
    assert.deepEqual([jpegInfo(thumb.buf).w, jpegInfo(thumb.buf).h], [240, 480]);
});

test('two images and a PDF: metadata gone, images bounded, the PDF as uploaded', async () => {
    assert.ok(P.png, 'needs the first test');
    const withExif = Buffer.concat([P.png.jpeg.subarray(0, 2), exifSegment(), P.png.jpeg.subarray(2)]);
    assert.ok(withExif.includes('Exif') && withExif.includes(MARKER));
    const before = storedFiles();
    const res = await compose(c.alice, 'Compte rendu de la réunion #chantier', [
        { name: 'photo-gps.jpg', type: 'image/jpeg', data: withExif },
        { name: 'panorama.png', type: 'image/png', data: makePng(3000, 1000) },
        { name: 'Rapport "2024" été.pdf', type: 'application/pdf', data: PDF },
    ]);
    assert.equal(res.status, 303, res.body_text.match(/field-error[^<]*/)?.[0]);
    const post = await newestPost('alice');
    P.three = post.id;
    assert.deepEqual(
        post.attachments.map((f) => [f.name, f.mime, f.is_image, f.url]),
        [
            ['photo-gps.jpg', 'image/jpeg', true, `/posts/${post.id}/files/0`],
            ['panorama.png', 'image/jpeg', true, `/posts/${post.id}/files/1`],
            ['Rapport "2024" été.pdf', 'application/pdf', false, `/posts/${post.id}/files/2`],
        ],
    );
    assert.equal(post.attachments[2].size, PDF.length);

    /* The photo: no EXIF, no marker, no metadata segment, in the file served and on disk. */
    for (const p of [`/posts/${post.id}/files/0`, `/posts/${post.id}/files/0/thumb`]) {
        const { status, buf } = await getBytes(c.bruno, p);
        assert.equal(status, 200, p);
        assert.ok(!buf.includes('Exif'), `${p}: Exif left`);
        assert.ok(!buf.includes(MARKER), `${p}: marker left`);
        assert.ok(!buf.includes('gd-jpeg'), `${p}: encoder comment left`);
        for (const m of jpegInfo(buf).markers) assert.ok(![0xe1, 0xe2, 0xed, 0xfe].includes(m), `${p}: metadata segment ${m.toString(16)}`);
    }
    /* Five files (2 images x 2 sizes + the PDF), by content: the photo re-encoded may be the
     * very bytes of the first post's JPEG, which are then stored once. */
    const hashes = [];
    for (const p of ['0', '0/thumb', '1', '1/thumb', '2']) hashes.push((await getBytes(c.bruno, `/posts/${post.id}/files/${p}`)).headers.get('etag').replaceAll('"', ''));
    assert.equal(new Set(hashes).size, 5);
    const added = storedFiles().filter((f) => !before.includes(f));
    assert.ok(added.length >= 3 && added.every((f) => hashes.includes(path.basename(f))), `new files: ${added}`);
    assert.ok(hashes.every((h) => storedFiles().includes(path.join(h.slice(0, 2), h.slice(2, 4), h))));
    for (const f of storedFiles()) assert.ok(!fs.readFileSync(path.join(attachDir(), f)).includes(MARKER), `${f} holds the marker`);

    /* The panorama: longest side 2048, thumbnail 480, same shape. */
    let got = await getBytes(c.bruno, `/posts/${post.id}/files/1`);
    assert.deepEqual(jpegInfo(got.buf).w, 2048);
    assert.deepEqual(jpegInfo(got.buf).h, 682);
    got = await getBytes(c.bruno, `/posts/${post.id}/files/1/thumb`);
    assert.equal(jpegInfo(got.buf).w, 480);
    assert.ok(Math.abs(jpegInfo(got.buf).h - 160) <= 1, `thumbnail height ${jpegInfo(got.buf).h}`);

    /* The PDF: as uploaded, to download, with a safe file name; ETag and 304. */
    got = await getBytes(c.bruno, `/posts/${post.id}/files/2`);
    assert.equal(got.status, 200);
    assert.equal(got.headers.get('content-type'), 'application/pdf');
    assert.equal(got.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(got.headers.get('content-disposition'), `attachment; filename="Rapport _2024_ __t__.pdf"; filename*=UTF-8''Rapport%20%222024%22%20%C3%A9t%C3%A9.pdf`);
    assert.ok(got.buf.equals(PDF));
    const etag = got.headers.get('etag');
    assert.match(etag, /^"[0-9a-f]{64}"$/);
    assert.equal((await getBytes(c.bruno, `/posts/${post.id}/files/2`, { 'if-none-match': etag })).status, 304);
    assert.equal((await getBytes(c.bruno, `/posts/${post.id}/files/2/thumb`)).status, 404, 'a PDF has no thumbnail');
    for (const n of ['3', '9', '10', '-1', 'x', '01x'])
        assert.equal((await getBytes(c.bruno, `/posts/${post.id}/files/${n}`)).status, 404, `files/${n}`);

    /* The card: two thumbnails and a link to the PDF, names escaped. */
    const html = (await c.bruno.get(`/posts/${post.id}`)).body_text;
    assert.ok(html.includes(`<img src="/posts/${post.id}/files/0/thumb" alt="photo-gps.jpg" loading="lazy">`), 'photo thumbnail');
    assert.ok(html.includes(`<img src="/posts/${post.id}/files/1/thumb" alt="panorama.png" loading="lazy">`), 'panorama thumbnail');
    assert.match(html, new RegExp(`<a href="/posts/${post.id}/files/2">Rapport &quot;2024&quot; été.pdf</a> <small>1 Ko</small>`));
});

test('11 files: 400 naming the limit, no post and no file saved', async () => {
    const before = storedFiles();
    const newest = (await newestPost('alice')).id;
    const files = Array.from({ length: 11 }, (_, i) => ({ name: `note-${i}.txt`, type: 'text/plain', data: `note ${i}\n` }));
    const res = await compose(c.alice, 'Onze fichiers', files);
    assert.equal(res.status, 400);
    assert.match(res.body_text, /au plus 10 fichiers joints/);
    assert.match(res.body_text, /Onze fichiers<\/textarea>/, 'the text is kept');
    assert.equal((await newestPost('alice')).id, newest);
    assert.deepEqual(storedFiles(), before);
    /* Ten pass. */
    const ok = await compose(c.alice, 'Dix fichiers', files.slice(0, 10));
    assert.equal(ok.status, 303, ok.body_text.slice(0, 500));
    assert.equal((await newestPost('alice')).attachments.length, 10);
});

test('an executable renamed .pdf, or a PDF renamed .exe: 400 naming the file, nothing saved', async () => {
    const before = storedFiles();
    const newest = (await newestPost('alice')).id;
    const exe = Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00', 'latin1'), Buffer.alloc(200), Buffer.from('This program cannot be run in DOS mode.')]);
    for (const [name, data] of [['rapport.pdf', exe], ['rapport.exe', PDF], ['image.gif', Buffer.from('GIF89a\x01\x00\x01\x00', 'latin1')], ['page.svg', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>')], ['liste.csv', Buffer.from('a;b\x00c\n', 'latin1')]]) {
        /* A good image with it: it must not be stored either. */
        const res = await compose(c.alice, 'Pièces jointes', [{ name: 'ok.png', data: makePng(30, 30) }, { name, data }]);
        assert.equal(res.status, 400, name);
        assert.ok(res.body_text.includes(`« ${name} » : ce type de fichier n&#39;est pas accepté`), `${name}: ${res.body_text.match(/field-error[^<]*/)}`);
        assert.match(res.body_text, /Pièces jointes<\/textarea>/);
    }
    assert.equal((await newestPost('alice')).id, newest);
    assert.deepEqual(storedFiles(), before);
});

test('a file over 20 MB: 413 with a clear page, the text kept, nothing saved', async () => {
    const before = storedFiles();
    const newest = (await newestPost('alice')).id;
    const big = Buffer.alloc(20 * 1024 * 1024 + 1, 0x20);
    PDF.copy(big);
    const res = await compose(c.alice, 'Le gros dossier', [{ name: 'dossier.pdf', type: 'application/pdf', data: big }]);
    assert.equal(res.status, 413);
    assert.match(res.headers.get('content-type'), /^text\/html/);
    assert.ok(res.body_text.includes('« dossier.pdf » dépasse 20 Mo'), res.body_text.slice(0, 300));
    assert.match(res.body_text, /Le gros dossier<\/textarea>/);
    assert.equal((await newestPost('alice')).id, newest);
    assert.deepEqual(storedFiles(), before);
});

test('an empty file input is ignored; names lose folders and direction characters', async () => {
    let res = await compose(c.alice, 'Sans fichier', [{ name: '', data: '' }]);
    assert.equal(res.status, 303, res.body_text.match(/field-error[^<]*/)?.[0]);
    let post = await newestPost('alice');
    assert.equal(post.body, 'Sans fichier');
    assert.deepEqual(post.attachments, []);

    res = await compose(c.alice, 'Noms', [
        { name: 'C:\\Users\\alice\\liste\u202Evsc.txt', type: 'text/plain', data: 'Nom;Prénom\n' },
        { name: '../../etc/notes.csv', type: 'text/csv', data: 'a,b\r\n1,2\r\n' },
        { name: '\u00a0 \r\nbilan\x01\x7f\u0085.txt. ', type: 'text/plain', data: 'ok\n' },
    ]);
    assert.equal(res.status, 303, res.body_text.match(/field-error[^<]*/)?.[0]);
    post = await newestPost('alice');
    assert.deepEqual(post.attachments.map((f) => [f.name, f.mime]), [['listevsc.txt', 'text/plain'], ['notes.csv', 'text/csv'], ['\u00a0 bilan.txt', 'text/plain']]);
    const got = await getBytes(c.bruno, post.attachments[1].url);
    assert.equal(got.status, 200);
    assert.equal(got.buf.toString(), 'a,b\r\n1,2\r\n');
    assert.match(got.headers.get('content-disposition'), /^attachment; filename="notes\.csv"/);
});

test('a guest, who may not read profile posts, gets 404 on the file URLs; anonymous visitors sign in first', async () => {
    for (const p of [`/posts/${P.three}/files/0`, `/posts/${P.three}/files/0/thumb`, `/posts/${P.three}/files/2`]) {
        assert.equal((await getBytes(c.bruno, p)).status, 200, `member: ${p}`);
        const guest = await getBytes(c.gus, p);
        assert.equal(guest.status, 404, `guest: ${p}`);
        assert.ok(!guest.buf.includes('%PDF') && guest.buf[0] !== 0xff, 'no file bytes for the guest');
        assert.equal((await getBytes(c.gus, p.replace(`/posts/${P.three}/`, '/posts/999999/'))).status, 404, 'missing post: same answer');
        const anon = await getBytes(new Client(srv.url), p);
        assert.equal(anon.status, 303);
        assert.equal(anon.headers.get('location'), '/login');
    }
});

/* The hashes (ETags) of the files of post (from the API) that are stored: files and thumbnails. */
async function hashesOf(post) {
    const out = [];
    for (const f of post.attachments)
        for (const p of f.is_image ? [f.url, `${f.url}/thumb`] : [f.url]) {
            const got = await getBytes(c.alice, p);
            assert.equal(got.status, 200, p);
            out.push(got.headers.get('etag').replaceAll('"', ''));
        }
    return out;
}

/* Every post of alice's and bruno's home feeds, by id (their own posts are in them). */
async function livePosts() {
    const all = new Map();
    for (const who of ['alice', 'bruno']) {
        const res = await new Client(srv.url).json('/api/v1/feed?limit=50', { headers: { authorization: `Bearer ${tokens[who]}` } });
        assert.equal(res.status, 200, res.body_text);
        assert.equal(res.json_body.next, null, 'one page holds every post');
        for (const item of res.json_body.items) all.set(item.id, item);
    }
    return all;
}

const onDisk = (hash) => fs.existsSync(path.join(attachDir(), hash.slice(0, 2), hash.slice(2, 4), hash));

test('a deleted post: its files answer 404 and leave the disk, unless another post uses the same bytes', async () => {
    /* Bruno posts the same PDF as Alice's: one file on disk for both. */
    const res = await compose(c.bruno, 'Le même rapport', [{ name: 'copie.pdf', type: 'application/pdf', data: PDF }]);
    assert.equal(res.status, 303, res.body_text.match(/field-error[^<]*/)?.[0]);
    const copy = (await newestPost('bruno')).id;
    const posts = await livePosts();
    const mine = await hashesOf(posts.get(P.three));
    const others = new Set();
    for (const [id, post] of posts) if (id !== P.three) for (const h of await hashesOf(post)) others.add(h);
    const gone = mine.filter((h) => !others.has(h));
    const kept = mine.filter((h) => others.has(h));
    assert.ok(gone.length >= 2 && kept.length >= 1, `gone ${gone.length}, kept ${kept.length}`);
    assert.ok(mine.every(onDisk));

    const del = await c.alice.postWithCsrf(`/posts/${P.three}/delete`, {}, `/posts/${P.three}/delete`);
    assert.equal(del.status, 303, del.body_text.slice(0, 500));
    for (const p of [`/posts/${P.three}/files/0`, `/posts/${P.three}/files/0/thumb`, `/posts/${P.three}/files/2`])
        assert.equal((await getBytes(c.alice, p)).status, 404, p);

    await eventually(() => !gone.some(onDisk), "the deleted post's files to leave the disk");
    assert.ok(kept.every(onDisk), 'a file another post uses was removed');
    const got = await getBytes(c.alice, `/posts/${copy}/files/0`);
    assert.equal(got.status, 200);
    assert.ok(got.buf.equals(PDF));
    assert.ok(storedFiles().every((f) => !f.includes('.tmp') && !f.includes('.gone')), 'no temporary file left');
    assert.equal((await getBytes(c.alice, `/posts/${P.png.id}/files/0`)).status, 200);
});
