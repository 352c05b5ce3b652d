/*
 * photo.c - profile photos: header probing, decoding, thumbnails, storage.
 *
 * The only file that includes gd.h.  Nothing the client says about an
 * upload is believed: the format comes from the magic bytes, and the
 * dimensions are read from the header (JPEG SOFn, PNG IHDR, WebP
 * VP8/VP8L/VP8X) and checked before libgd sees a byte, so a small file
 * declaring a huge image (a decompression bomb) is refused without
 * allocating its pixels.  Thumbnails are re-encoded from pixels, so no
 * metadata of the upload survives; the one comment libgd writes itself is
 * removed too.
 *
 * libgd ignores a JPEG's EXIF Orientation, with which phones say how a
 * photo is turned: it is read here (people_photo_exif_orientation(), every
 * offset checked against the segment's bounds, both byte orders) and the
 * thumbnail is turned or flipped to match before it is encoded.  Turning
 * the centred square of an image equals taking the centred square of the
 * turned image, so it is done on the 256 px square, not on the photo.
 *
 * Files are stored by their BLAKE2b hash (core/filestore.h), so a reader
 * never sees half a file.  Two members may share one, so the thumbnails of
 * a replaced or removed photo are deleted only when no profile references
 * their hash any more (filestore_remove(), after the change committed).
 * A store puts its files again after its commit: one removed meanwhile by
 * another member's change is then written back (filestore.h explains the
 * order).  A thumbnail missing on disk only makes its URL answer 404.
 * This file also reads and writes the photo columns of the profile table
 * (people.c owns the rest).
 * Owns no long-lived state but libgd's error handler, set once.
 */
#include "photo.h"
#include "../app.h"
#include "../core/filestore.h"
#include "../core/log.h"
#include "../db/db.h"
#include "../web/i18n.h"

#include <errno.h>
#include <gd.h>
#include <stdarg.h>
#include <unistd.h>

#define JPEG_QUALITY 85

static const char *const not_an_image =
    N_("Ce fichier n'est pas une image JPEG, PNG ou WebP lisible.");
static const char *const too_many_pixels =
    N_("Cette image est trop grande : 10 000 pixels de côté et 40 mégapixels au plus.");
static const char *const too_many_bytes = N_("La photo dépasse 10 Mo.");

/* ---- header probing ------------------------------------------------------------ */

static uint32_t be16(const unsigned char *p)
{
    return (uint32_t)p[0] << 8 | p[1];
}

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint32_t le16(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}

static uint32_t le24(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16;
}

static uint32_t le32(const unsigned char *p)
{
    return le24(p) | (uint32_t)p[3] << 24;
}

/* PNG: signature, then the IHDR chunk, which must come first. */
static int probe_png(const unsigned char *d, size_t len, uint32_t *w, uint32_t *h)
{
    if (len < 24 || memcmp(d + 12, "IHDR", 4) != 0 || be32(d + 8) != 13)
        return ERR_INVALID;
    *w = be32(d + 16);
    *h = be32(d + 20);
    return 0;
}

/* True for the start-of-frame markers SOF0..SOF15, which are not DHT, JPG or DAC. */
static bool is_sof(unsigned char m)
{
    return m >= 0xc0 && m <= 0xcf && m != 0xc4 && m != 0xc8 && m != 0xcc;
}

/* JPEG: walk the marker segments up to the first SOFn, which holds the frame size. */
static int probe_jpeg(const unsigned char *d, size_t len, uint32_t *w, uint32_t *h)
{
    size_t i = 2;

    while (i < len) {
        unsigned char m;
        uint32_t seg;

        if (d[i] != 0xff)
            return ERR_INVALID;
        while (i < len && d[i] == 0xff) /* fill bytes */
            i++;
        if (i >= len)
            return ERR_INVALID;
        m = d[i++];
        if (m == 0x01 || (m >= 0xd0 && m <= 0xd8)) /* TEM, RSTn, SOI: no length */
            continue;
        if (m == 0xd9 || m == 0xda) /* EOI or SOS before any frame header */
            return ERR_INVALID;
        if (i + 2 > len)
            return ERR_INVALID;
        seg = be16(d + i);
        if (seg < 2)
            return ERR_INVALID;
        if (is_sof(m)) {
            if (seg < 7 || i + 7 > len)
                return ERR_INVALID;
            *h = be16(d + i + 3);
            *w = be16(d + i + 5);
            return 0;
        }
        i += seg;
    }
    return ERR_INVALID;
}

/* WebP: RIFF container, first chunk VP8 (lossy), VP8L (lossless) or VP8X (extended). */
static int probe_webp(const unsigned char *d, size_t len, uint32_t *w, uint32_t *h)
{
    const unsigned char *c = d + 20; /* the first chunk's payload */

    if (len < 30)
        return ERR_INVALID;
    if (memcmp(d + 12, "VP8 ", 4) == 0) {
        if (c[3] != 0x9d || c[4] != 0x01 || c[5] != 0x2a)
            return ERR_INVALID;
        *w = le16(c + 6) & 0x3fff;
        *h = le16(c + 8) & 0x3fff;
        return 0;
    }
    if (memcmp(d + 12, "VP8L", 4) == 0) {
        uint32_t bits = le32(c + 1);
        if (c[0] != 0x2f)
            return ERR_INVALID;
        *w = (bits & 0x3fff) + 1;
        *h = ((bits >> 14) & 0x3fff) + 1;
        return 0;
    }
    if (memcmp(d + 12, "VP8X", 4) == 0) {
        *w = le24(c + 4) + 1;
        *h = le24(c + 7) + 1;
        return 0;
    }
    return ERR_INVALID;
}

int people_photo_probe(const unsigned char *data, size_t len, enum people_photo_format *format,
                       uint32_t *width, uint32_t *height)
{
    static const unsigned char png_magic[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    uint32_t w = 0, h = 0;
    int rc;

    *format = PEOPLE_PHOTO_UNKNOWN;
    if (len >= 8 && memcmp(data, png_magic, 8) == 0) {
        *format = PEOPLE_PHOTO_PNG;
        rc = probe_png(data, len, &w, &h);
    } else if (len >= 3 && data[0] == 0xff && data[1] == 0xd8 && data[2] == 0xff) {
        *format = PEOPLE_PHOTO_JPEG;
        rc = probe_jpeg(data, len, &w, &h);
    } else if (len >= 12 && memcmp(data, "RIFF", 4) == 0 && memcmp(data + 8, "WEBP", 4) == 0) {
        *format = PEOPLE_PHOTO_WEBP;
        rc = probe_webp(data, len, &w, &h);
    } else {
        return ERR_INVALID;
    }
    if (rc < 0)
        return rc;
    if (w == 0 || h == 0)
        return ERR_INVALID;
    if (w > PEOPLE_PHOTO_SIDE_MAX || h > PEOPLE_PHOTO_SIDE_MAX ||
        (uint64_t)w * h > PEOPLE_PHOTO_PIXELS_MAX)
        return ERR_TOOBIG;
    *width = w;
    *height = h;
    return 0;
}

/* ---- EXIF orientation --------------------------------------------------------------- */

static uint32_t tiff16(const unsigned char *p, bool little)
{
    return little ? le16(p) : be16(p);
}

static uint32_t tiff32(const unsigned char *p, bool little)
{
    return little ? le32(p) : be32(p);
}

/* The Orientation of IFD0 in the TIFF structure t of len bytes (an Exif payload): 1 to 8. */
static int tiff_orientation(const unsigned char *t, size_t len)
{
    uint32_t ifd, count;
    bool little;

    if (len < 8)
        return 1;
    if (t[0] == 'I' && t[1] == 'I')
        little = true;
    else if (t[0] == 'M' && t[1] == 'M')
        little = false;
    else
        return 1;
    if (tiff16(t + 2, little) != 42)
        return 1;
    ifd = tiff32(t + 4, little);
    if (ifd < 8 || ifd > len - 2)
        return 1;
    count = tiff16(t + ifd, little);
    for (uint32_t i = 0; i < count; i++) {
        size_t entry = (size_t)ifd + 2 + (size_t)i * 12;
        uint32_t value;
        if (entry + 12 > len)
            return 1;
        if (tiff16(t + entry, little) != 0x0112)
            continue;
        /* One SHORT, stored in the first two bytes of the value field. */
        if (tiff16(t + entry + 2, little) != 3 || tiff32(t + entry + 4, little) != 1)
            return 1;
        value = tiff16(t + entry + 8, little);
        return value >= 1 && value <= 8 ? (int)value : 1;
    }
    return 1;
}

int people_photo_exif_orientation(const unsigned char *d, size_t len)
{
    size_t i = 2;

    if (len < 4 || d[0] != 0xff || d[1] != 0xd8)
        return 1;
    /* The marker segments before the first scan; the first APP1 "Exif" segment counts. */
    while (i < len) {
        unsigned char m;
        uint32_t seg;

        if (d[i] != 0xff)
            return 1;
        while (i < len && d[i] == 0xff) /* fill bytes */
            i++;
        if (i >= len)
            return 1;
        m = d[i++];
        if (m == 0x01 || (m >= 0xd0 && m <= 0xd8)) /* TEM, RSTn, SOI: no length */
            continue;
        if (m == 0xd9 || m == 0xda || i + 2 > len) /* EOI, SOS, or cut short */
            return 1;
        seg = be16(d + i);
        if (seg < 2 || seg > len - i)
            return 1;
        if (m == 0xe1 && seg >= 2 + 6 && memcmp(d + i + 2, "Exif\0\0", 6) == 0)
            return tiff_orientation(d + i + 8, seg - 8);
        i += seg;
    }
    return 1;
}

void people_photo_orient_source(int orientation, int w, int h, int x, int y, int *sx, int *sy)
{
    switch (orientation) {
    case 2: /* mirrored left to right */
        *sx = w - 1 - x;
        *sy = y;
        break;
    case 3: /* turned 180 degrees */
        *sx = w - 1 - x;
        *sy = h - 1 - y;
        break;
    case 4: /* mirrored top to bottom */
        *sx = x;
        *sy = h - 1 - y;
        break;
    case 5: /* mirrored along the main diagonal */
        *sx = y;
        *sy = x;
        break;
    case 6: /* to be turned 90 degrees clockwise */
        *sx = y;
        *sy = h - 1 - x;
        break;
    case 7: /* mirrored along the other diagonal */
        *sx = w - 1 - y;
        *sy = h - 1 - x;
        break;
    case 8: /* to be turned 90 degrees counter-clockwise */
        *sx = w - 1 - y;
        *sy = x;
        break;
    default:
        *sx = x;
        *sy = y;
        break;
    }
}

/* ---- decoding and thumbnails ------------------------------------------------------- */

/* libgd reports damaged input on stderr by default: silence it, the upload is refused anyway. */
static void gd_error_quiet(int priority, const char *format, va_list args)
{
    (void)priority;
    (void)format;
    (void)args;
}

static gdImagePtr decode(enum people_photo_format format, const unsigned char *data, size_t len)
{
    void *p = (void *)(uintptr_t)data; /* libgd's readers take a non-const pointer */

    gdSetErrorMethod(gd_error_quiet);
    switch (format) {
    case PEOPLE_PHOTO_JPEG:
        return gdImageCreateFromJpegPtrEx((int)len, p, 1);
    case PEOPLE_PHOTO_PNG:
        return gdImageCreateFromPngPtr((int)len, p);
    case PEOPLE_PHOTO_WEBP:
        return gdImageCreateFromWebpPtr((int)len, p);
    case PEOPLE_PHOTO_UNKNOWN:
        break;
    }
    return NULL;
}

/* A size x size thumbnail of the centred square of src, on white (for transparent PNGs). */
static gdImagePtr square(gdImagePtr src, int size)
{
    int w = gdImageSX(src), h = gdImageSY(src);
    int side = w < h ? w : h;
    gdImagePtr dst = gdImageCreateTrueColor(size, size);

    if (!dst)
        return NULL;
    gdImageFilledRectangle(dst, 0, 0, size - 1, size - 1, gdTrueColor(255, 255, 255));
    gdImageAlphaBlending(dst, 1);
    gdImageCopyResampled(dst, src, 0, 0, (w - side) / 2, (h - side) / 2, size, size, side, side);
    return dst;
}

/* src (true colour) as it is to be shown with EXIF orientation o; NULL when out of memory. */
static gdImagePtr oriented(gdImagePtr src, int o)
{
    int w = gdImageSX(src), h = gdImageSY(src);
    bool swap = o >= 5 && o <= 8;
    gdImagePtr dst = gdImageCreateTrueColor(swap ? h : w, swap ? w : h);

    if (!dst)
        return NULL;
    for (int y = 0; y < gdImageSY(dst); y++)
        for (int x = 0; x < gdImageSX(dst); x++) {
            int sx, sy;
            people_photo_orient_source(o, w, h, x, y, &sx, &sy);
            gdImageTrueColorPixel(dst, x, y) = gdImageTrueColorPixel(src, sx, sy);
        }
    return dst;
}

/*
 * Copy a JPEG from libgd into out without its COM segments (libgd writes
 * "CREATOR: gd-jpeg ..." there).  Only the segments before SOS are walked.
 */
static void jpeg_without_comments(struct buf *out, const unsigned char *d, size_t len)
{
    size_t i = 2;

    buf_add(out, d, 2);
    while (i + 4 <= len && d[i] == 0xff && d[i + 1] != 0xda) {
        size_t seg = 2 + be16(d + i + 2);
        if (i + seg > len)
            break;
        if (d[i + 1] != 0xfe)
            buf_add(out, d + i, seg);
        i += seg;
    }
    buf_add(out, d + i, len - i);
}

/* Encode im as a JPEG into out (arena memory); ERR_NOMEM when libgd fails (it only can on OOM). */
static int encode_jpeg(gdImagePtr im, struct arena *a, struct buf *out)
{
    int size = 0;
    void *jpeg = gdImageJpegPtr(im, &size, JPEG_QUALITY);

    if (!jpeg || size < 4) {
        if (jpeg)
            gdFree(jpeg);
        return ERR_NOMEM;
    }
    buf_init_arena(out, a);
    jpeg_without_comments(out, jpeg, (size_t)size);
    gdFree(jpeg);
    return 0;
}

/* The 256 px square of src, turned as EXIF orientation o says; NULL when out of memory. */
static gdImagePtr square_oriented(gdImagePtr src, int o)
{
    gdImagePtr im = square(src, PEOPLE_PHOTO_BIG), turned;

    if (!im || o == 1)
        return im;
    turned = oriented(im, o);
    gdImageDestroy(im);
    return turned;
}

/* The two thumbnails of data: big (256 px) and small (64 px) JPEGs in arena memory. */
static int thumbnails(struct arena *a, enum people_photo_format format, const unsigned char *data,
                      size_t len, struct buf *big, struct buf *small)
{
    gdImagePtr src = decode(format, data, len), im256 = NULL, im64 = NULL;
    int o = format == PEOPLE_PHOTO_JPEG ? people_photo_exif_orientation(data, len) : 1;
    int rc = ERR_INVALID;

    if (!src)
        return ERR_INVALID;
    if ((uint64_t)gdImageSX(src) * (uint64_t)gdImageSY(src) <= PEOPLE_PHOTO_PIXELS_MAX &&
        (im256 = square_oriented(src, o)) && (im64 = square(im256, PEOPLE_PHOTO_SMALL))) {
        rc = encode_jpeg(im256, a, big);
        if (rc == 0)
            rc = encode_jpeg(im64, a, small);
    }
    if (im64)
        gdImageDestroy(im64);
    if (im256)
        gdImageDestroy(im256);
    gdImageDestroy(src);
    return rc;
}

/* ---- storage ---------------------------------------------------------------------- */

const char *people_photo_path(struct arena *a, const char *files_dir, const char *hash)
{
    return filestore_path(a, files_dir, hash, ".jpg");
}

/* ---- the profile's photo columns --------------------------------------------------- */

/* The profile row of an active member, created with its defaults if missing. */
static int profile_row_ensure(struct db *db, int64_t account_id)
{
    int64_t one;
    int rc = db_get_i64(db, &one, "SELECT 1 FROM account WHERE id = ? AND status <> 'deactivated'",
                        DB_I64(account_id));

    if (rc < 0)
        return rc;
    return db_exec(db,
                   "INSERT INTO profile(account_id, updated_ms) VALUES (?, ?)"
                   " ON CONFLICT (account_id) DO NOTHING",
                   DB_I64(account_id), DB_I64(time_now_ms()));
}

/* The thumbnails' hashes of a profile ("" when none). */
struct photo_hashes {
    const char *big, *small;
};

static int hashes_read(struct db *db, struct arena *a, int64_t account_id, struct photo_hashes *out)
{
    struct stmt *q = db_query(db, "SELECT photo_256, photo_64 FROM profile WHERE account_id = ?",
                              /*      0          1 */
                              DB_I64(account_id));

    out->big = out->small = "";
    if (db_row(q)) {
        out->big = arena_strdup(a, db_text(q, 0));
        out->small = arena_strdup(a, db_text(q, 1));
    }
    return db_end(q);
}

/* Set the photo of account_id to now (its hashes, "" for none); *before receives the old one. */
static int photo_columns_set(struct db *db, struct arena *a, int64_t account_id,
                             const struct photo_hashes *now, struct photo_hashes *before)
{
    int rc;

    if ((rc = db_tx_begin(db)) < 0)
        return rc;
    rc = profile_row_ensure(db, account_id);
    if (rc == 0)
        rc = hashes_read(db, a, account_id, before);
    if (rc == 0)
        rc = db_exec(db,
                     "UPDATE profile SET photo_256 = ?, photo_64 = ?, updated_ms = ?"
                     " WHERE account_id = ?",
                     DB_TEXT(now->big), DB_TEXT(now->small), DB_I64(time_now_ms()),
                     DB_I64(account_id));
    if (rc < 0) {
        db_tx_rollback(db);
        return rc;
    }
    return db_tx_commit(db);
}

/* filestore_used_fn: 1 when a profile references hash, 0 when none does, < 0 on error. */
static int hash_used(void *ctx, const char *hash)
{
    struct db *db = ctx;
    int64_t one;
    int rc =
        db_get_i64(db, &one, "SELECT 1 FROM profile WHERE photo_256 = ? LIMIT 1", DB_TEXT(hash));

    if (rc == ERR_NOTFOUND)
        rc =
            db_get_i64(db, &one, "SELECT 1 FROM profile WHERE photo_64 = ? LIMIT 1", DB_TEXT(hash));
    return rc == 0 ? 1 : rc == ERR_NOTFOUND ? 0 : rc;
}

/*
 * After a change committed, remove the files of the photo before it that the photo now does
 * not use and no other profile references.  A failure is logged and leaves a file behind.
 */
static void unused_files_remove(const struct app *app, struct db *db, struct arena *a,
                                const struct photo_hashes *before, const struct photo_hashes *now)
{
    const char *old[] = {before->big, before->small};

    for (size_t i = 0; i < ARRAY_SIZE(old); i++)
        if (*old[i] && strcmp(old[i], now->big) != 0 && strcmp(old[i], now->small) != 0)
            filestore_remove(a, app->files_dir, old[i], ".jpg", hash_used, db);
}

int people_photo_store(const struct app *app, struct db *db, int64_t account_id,
                       const unsigned char *data, size_t len, const char **problem)
{
    enum people_photo_format format;
    struct buf big, small;
    struct photo_hashes now, before;
    const char *ignored;
    uint32_t w, h;
    struct arena a;
    int rc;

    if (!problem)
        problem = &ignored;
    *problem = NULL;
    if (len > PEOPLE_PHOTO_BYTES_MAX) {
        *problem = too_many_bytes;
        return ERR_TOOBIG;
    }
    rc = people_photo_probe(data, len, &format, &w, &h);
    if (rc < 0) {
        *problem = rc == ERR_TOOBIG ? too_many_pixels : not_an_image;
        return ERR_INVALID;
    }
    arena_init(&a);
    rc = thumbnails(&a, format, data, len, &big, &small);
    if (rc == ERR_INVALID)
        *problem = not_an_image;
    if (rc == 0 &&
        (rc = filestore_put(&a, app->files_dir, big.s, big.len, ".jpg", &now.big)) == 0 &&
        (rc = filestore_put(&a, app->files_dir, small.s, small.len, ".jpg", &now.small)) == 0)
        rc = photo_columns_set(db, &a, account_id, &now, &before);
    /* Again after the commit: a file another member's change removed meanwhile comes back. */
    if (rc == 0 &&
        (rc = filestore_put(&a, app->files_dir, big.s, big.len, ".jpg", &now.big)) == 0 &&
        (rc = filestore_put(&a, app->files_dir, small.s, small.len, ".jpg", &now.small)) == 0)
        unused_files_remove(app, db, &a, &before, &now);
    arena_clear(&a);
    return rc;
}

int people_photo_delete(const struct app *app, struct db *db, int64_t account_id)
{
    static const struct photo_hashes none = {"", ""};
    struct photo_hashes before = none;
    struct arena a;
    int rc;

    arena_init(&a);
    if ((rc = db_tx_begin(db)) < 0)
        goto out;
    rc = hashes_read(db, &a, account_id, &before);
    if (rc == 0)
        rc = db_exec(db,
                     "UPDATE profile SET photo_256 = '', photo_64 = '', updated_ms = ?"
                     " WHERE account_id = ?",
                     DB_I64(time_now_ms()), DB_I64(account_id));
    if (rc < 0)
        db_tx_rollback(db);
    else if ((rc = db_tx_commit(db)) == 0)
        unused_files_remove(app, db, &a, &before, &none);
out:
    arena_clear(&a);
    return rc;
}

int people_photo_set_visibility(struct db *db, int64_t account_id, enum people_visibility vis)
{
    int rc;

    if ((rc = db_tx_begin(db)) < 0)
        return rc;
    rc = profile_row_ensure(db, account_id);
    if (rc == 0)
        rc = db_exec(
            db, "UPDATE profile SET photo_visibility = ?, updated_ms = ? WHERE account_id = ?",
            DB_TEXT(people_visibility_name(vis)), DB_I64(time_now_ms()), DB_I64(account_id));
    if (rc < 0) {
        db_tx_rollback(db);
        return rc;
    }
    return db_tx_commit(db);
}

int people_photo_load(struct db *db, struct arena *a, int64_t account_id, struct people_photo *out)
{
    struct stmt *q = db_query(db,
                              "SELECT photo_256, photo_64, photo_visibility"
                              /*      0          1         2 */
                              " FROM profile p JOIN account a ON a.id = p.account_id"
                              " WHERE p.account_id = ? AND a.status <> 'deactivated'",
                              DB_I64(account_id));

    out->big = out->small = "";
    out->vis = PEOPLE_VIS_EVERYONE;
    if (db_row(q)) {
        out->big = arena_strdup(a, db_text(q, 0));
        out->small = arena_strdup(a, db_text(q, 1));
        people_visibility_parse(db_text(q, 2), &out->vis);
    }
    return db_end(q);
}

const char *people_photo_visible(struct db *db, struct arena *a, const struct viewer *v,
                                 int64_t owner_id, int size)
{
    struct people_photo p;
    const char *hash;

    if (people_photo_load(db, a, owner_id, &p) < 0)
        return NULL;
    hash = size == PEOPLE_PHOTO_SMALL ? p.small : p.big;
    if (!*hash)
        return NULL;
    if (!people_field_visible(v, owner_id, p.vis, people_share_community(db, v->id, owner_id)))
        return NULL;
    return hash;
}

/* ---- other thumbnails (link previews) ---------------------------------------------- */

int people_photo_fit(struct arena *a, const unsigned char *data, size_t len, int max_width,
                     int max_height, struct buf *jpeg)
{
    enum people_photo_format format;
    gdImagePtr src, dst = NULL, turned;
    uint32_t w, h;
    int rc, sw, sh, tw, th, o;

    buf_init_arena(jpeg, a);
    if (len > PEOPLE_PHOTO_BYTES_MAX || max_width < 1 || max_height < 1)
        return ERR_TOOBIG;
    if ((rc = people_photo_probe(data, len, &format, &w, &h)) < 0)
        return rc;
    if (!(src = decode(format, data, len)))
        return ERR_INVALID;
    o = format == PEOPLE_PHOTO_JPEG ? people_photo_exif_orientation(data, len) : 1;
    if (o >= 5) { /* turned a quarter after fitting: fit the box turned a quarter */
        tw = max_width;
        max_width = max_height;
        max_height = tw;
    }
    sw = gdImageSX(src);
    sh = gdImageSY(src);
    rc = ERR_INVALID;
    if (sw > 0 && sh > 0 && (uint64_t)sw * (uint64_t)sh <= PEOPLE_PHOTO_PIXELS_MAX) {
        /* The largest size of the same shape inside the box, never enlarged. */
        tw = sw;
        th = sh;
        if (tw > max_width) {
            th = (int)((int64_t)th * max_width / tw);
            tw = max_width;
        }
        if (th > max_height) {
            tw = (int)((int64_t)tw * max_height / th);
            th = max_height;
        }
        tw = tw < 1 ? 1 : tw;
        th = th < 1 ? 1 : th;
        rc = ERR_NOMEM;
        if ((dst = gdImageCreateTrueColor(tw, th))) {
            gdImageFilledRectangle(dst, 0, 0, tw - 1, th - 1, gdTrueColor(255, 255, 255));
            gdImageAlphaBlending(dst, 1);
            gdImageCopyResampled(dst, src, 0, 0, 0, 0, tw, th, sw, sh);
            if (o != 1) { /* as the EXIF orientation says (phone photos) */
                turned = oriented(dst, o);
                gdImageDestroy(dst);
                dst = turned;
            }
        }
        if (dst) {
            rc = encode_jpeg(dst, a, jpeg);
            gdImageDestroy(dst);
        }
    }
    gdImageDestroy(src);
    return rc;
}
