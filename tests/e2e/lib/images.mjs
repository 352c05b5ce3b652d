/*
 * images.mjs - test images written by hand with node:zlib: no image library, and
 * every byte known (the photo tests splice metadata into them, or lie in headers).
 */
import zlib from 'node:zlib';

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
});

export function crc32(buf) {
    let c = 0xffffffff;
    for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
}

export function pngChunk(type, data) {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(td));
    return Buffer.concat([len, td, crc]);
}

/* An RGB PNG of w x h; idat overrides the compressed pixels (for the bomb). */
export function makePng(w, h, { idat } = {}) {
    const ihdr = Buffer.alloc(13);
    ihdr.writeUInt32BE(w, 0);
    ihdr.writeUInt32BE(h, 4);
    ihdr[8] = 8; /* depth */
    ihdr[9] = 2; /* RGB */
    let data = idat;
    if (!data) {
        const raw = Buffer.alloc(h * (1 + 3 * w));
        for (let y = 0; y < h; y++) {
            const row = y * (1 + 3 * w);
            for (let x = 0; x < w; x++) {
                raw[row + 1 + 3 * x] = (x * 255) / w;
                raw[row + 2 + 3 * x] = (y * 255) / h;
                raw[row + 3 + 3 * x] = 128;
            }
        }
        data = zlib.deflateSync(raw);
    }
    return Buffer.concat([
        Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
        pngChunk('IHDR', ihdr),
        pngChunk('IDAT', data),
        pngChunk('IEND', Buffer.alloc(0)),
    ]);
}
