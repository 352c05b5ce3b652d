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
 * Files are named by their BLAKE2b hash and written to a temporary name,
 * then renamed, so a reader never sees half a file.  They are never
 * deleted here: two members may share one.  This file also reads and
 * writes the photo columns of the profile table (people.c owns the rest).
 * Owns no long-lived state but libgd's error handler, set once.
 */
#include "photo.h"
#include "../app.h"
#include "../core/log.h"
#include "../db/db.h"
#include "../web/i18n.h"

#include <errno.h>
#include <fcntl.h>
#include <gd.h>
#include <sodium.h>
#include <stdarg.h>
#include <sys/stat.h>
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

/* The two thumbnails of data: big (256 px) and small (64 px) JPEGs in arena memory. */
static int thumbnails(struct arena *a, enum people_photo_format format, const unsigned char *data,
                      size_t len, struct buf *big, struct buf *small)
{
    gdImagePtr src = decode(format, data, len), im256 = NULL, im64 = NULL;
    int rc = ERR_INVALID;

    if (!src)
        return ERR_INVALID;
    if ((uint64_t)gdImageSX(src) * (uint64_t)gdImageSY(src) <= PEOPLE_PHOTO_PIXELS_MAX &&
        (im256 = square(src, PEOPLE_PHOTO_BIG)) && (im64 = square(im256, PEOPLE_PHOTO_SMALL))) {
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

static bool is_hash(const char *s)
{
    size_t n = 0;

    for (; s[n]; n++)
        if (!((s[n] >= '0' && s[n] <= '9') || (s[n] >= 'a' && s[n] <= 'f')))
            return false;
    return n == PEOPLE_PHOTO_HASH_HEX;
}

const char *people_photo_path(struct arena *a, const char *files_dir, const char *hash)
{
    if (!hash || !is_hash(hash))
        return NULL;
    return arena_printf(a, "%s/%.2s/%.2s/%s.jpg", files_dir, hash, hash + 2, hash);
}

static int make_dir(const char *path)
{
    if (mkdir(path, 0750) == 0 || errno == EEXIST)
        return 0;
    log_error("people", "cannot create folder", "path", path, "error", strerror(errno), NULL);
    return ERR_IO;
}

static int write_all(int fd, const char *data, size_t len)
{
    while (len) {
        ssize_t n = write(fd, data, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return ERR_IO;
        data += n;
        len -= (size_t)n;
    }
    return 0;
}

/* Store one thumbnail under its hash (kept if already there); *hash receives it. */
static int file_store(struct arena *a, const char *files_dir, const struct buf *jpeg,
                      const char **hash)
{
    unsigned char digest[PEOPLE_PHOTO_HASH_HEX / 2];
    char hex[PEOPLE_PHOTO_HASH_HEX + 1], nonce[17];
    unsigned char nonce_bytes[8];
    const char *path, *tmp;
    struct stat st;
    int fd, rc;

    crypto_generichash(digest, sizeof(digest), (const unsigned char *)jpeg->s, jpeg->len, NULL, 0);
    sodium_bin2hex(hex, sizeof(hex), digest, sizeof(digest));
    *hash = arena_strdup(a, hex);
    path = people_photo_path(a, files_dir, hex);
    if (stat(path, &st) == 0)
        return 0;
    if ((rc = make_dir(arena_printf(a, "%s/%.2s", files_dir, hex))) < 0 ||
        (rc = make_dir(arena_printf(a, "%s/%.2s/%.2s", files_dir, hex, hex + 2))) < 0)
        return rc;
    randombytes_buf(nonce_bytes, sizeof(nonce_bytes));
    sodium_bin2hex(nonce, sizeof(nonce), nonce_bytes, sizeof(nonce_bytes));
    tmp = arena_printf(a, "%s.%s.tmp", path, nonce);
    fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
    if (fd < 0) {
        log_error("people", "cannot create photo file", "path", tmp, "error", strerror(errno),
                  NULL);
        return ERR_IO;
    }
    rc = write_all(fd, jpeg->s, jpeg->len);
    if (rc == 0 && fsync(fd) != 0)
        rc = ERR_IO;
    if (close(fd) != 0)
        rc = ERR_IO;
    if (rc == 0 && rename(tmp, path) != 0)
        rc = ERR_IO;
    if (rc < 0) {
        log_error("people", "cannot write photo file", "path", path, "error", strerror(errno),
                  NULL);
        unlink(tmp);
    }
    return rc;
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

static int photo_columns_set(struct db *db, int64_t account_id, const char *big, const char *small)
{
    int rc;

    if ((rc = db_tx_begin(db)) < 0)
        return rc;
    rc = profile_row_ensure(db, account_id);
    if (rc == 0)
        rc = db_exec(db,
                     "UPDATE profile SET photo_256 = ?, photo_64 = ?, updated_ms = ?"
                     " WHERE account_id = ?",
                     DB_TEXT(big), DB_TEXT(small), DB_I64(time_now_ms()), DB_I64(account_id));
    if (rc < 0) {
        db_tx_rollback(db);
        return rc;
    }
    return db_tx_commit(db);
}

int people_photo_store(const struct app *app, struct db *db, int64_t account_id,
                       const unsigned char *data, size_t len, const char **problem)
{
    enum people_photo_format format;
    struct buf big, small;
    const char *big_hash, *small_hash, *ignored;
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
    if (rc == 0 && (rc = file_store(&a, app->files_dir, &big, &big_hash)) == 0 &&
        (rc = file_store(&a, app->files_dir, &small, &small_hash)) == 0)
        rc = photo_columns_set(db, account_id, big_hash, small_hash);
    arena_clear(&a);
    return rc;
}

int people_photo_delete(struct db *db, int64_t account_id)
{
    return db_exec(db,
                   "UPDATE profile SET photo_256 = '', photo_64 = '', updated_ms = ?"
                   " WHERE account_id = ?",
                   DB_I64(time_now_ms()), DB_I64(account_id));
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
