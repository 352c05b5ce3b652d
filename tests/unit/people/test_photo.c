/*
 * test_photo.c - people_photo_probe(): formats and dimensions read from
 * headers alone, on crafted byte arrays.
 *
 * Tiny valid PNG, JPEG and WebP (VP8, VP8L, VP8X) headers give their
 * dimensions; a PNG or JPEG declaring a huge image is refused as too big
 * without anything being decoded; truncated headers, zero dimensions,
 * PDF and GIF magic bytes and empty input are refused as invalid.  Every
 * prefix of each valid header must be refused, never read past its end.
 *
 * The EXIF Orientation parser gets crafted Exif segments: each orientation
 * in both byte orders, every prefix, an XMP segment first, and refusals
 * (value, type or count out of range, offsets past the segment or inside
 * its header, a huge entry count, a bad byte order or magic number, Exif
 * after the scan, broken segment lengths), all read from exact-size heap
 * copies so that a read past the end would be seen by AddressSanitizer.
 * The mapping of each orientation is checked on a 3 x 2 image.
 */
#include "people/photo.h"

#include <setjmp.h>

#include <cmocka.h>

/* A PNG signature and IHDR chunk for w x h (CRC not checked by the probe). */
static size_t png_header(unsigned char *out, uint32_t w, uint32_t h)
{
    static const unsigned char start[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n',
                                          0,    0,   0,   13,  'I',  'H',  'D',  'R'};
    memcpy(out, start, sizeof(start));
    out[16] = (unsigned char)(w >> 24);
    out[17] = (unsigned char)(w >> 16);
    out[18] = (unsigned char)(w >> 8);
    out[19] = (unsigned char)w;
    out[20] = (unsigned char)(h >> 24);
    out[21] = (unsigned char)(h >> 16);
    out[22] = (unsigned char)(h >> 8);
    out[23] = (unsigned char)h;
    memset(out + 24, 0, 9); /* depth, colour type, ..., CRC */
    out[24] = 8;
    out[25] = 2;
    return 33;
}

/* SOI, an APP0 segment, a COM segment, then SOF0 for w x h. */
static size_t jpeg_header(unsigned char *out, unsigned char sof, uint32_t w, uint32_t h)
{
    static const unsigned char start[] = {
        0xff, 0xd8, 0xff, 0xe0, 0, 16, 'J',  'F',  'I', 'F', 0,   1,   1,   0,
        0,    1,    0,    1,    0, 0,  0xff, 0xfe, 0,   5,   'h', 'i', '!', 0xff,
    };
    size_t n = sizeof(start);

    memcpy(out, start, n);
    out[n++] = sof;
    out[n++] = 0;
    out[n++] = 11; /* length */
    out[n++] = 8;  /* precision */
    out[n++] = (unsigned char)(h >> 8);
    out[n++] = (unsigned char)h;
    out[n++] = (unsigned char)(w >> 8);
    out[n++] = (unsigned char)w;
    out[n++] = 1; /* components */
    out[n++] = 1;
    out[n++] = 0x11;
    out[n++] = 0;
    return n;
}

static size_t webp_header(unsigned char *out, const char *chunk)
{
    memset(out, 0, 32);
    memcpy(out, "RIFF", 4);
    out[4] = 24;
    memcpy(out + 8, "WEBP", 4);
    memcpy(out + 12, chunk, 4);
    out[16] = 10;
    if (strcmp(chunk, "VP8 ") == 0) {
        out[23] = 0x9d, out[24] = 0x01, out[25] = 0x2a;
        out[26] = 200 & 0xff, out[27] = 200 >> 8; /* width 200 */
        out[28] = 100, out[29] = 0;               /* height 100 */
    } else if (strcmp(chunk, "VP8L") == 0) {
        uint32_t bits = (300 - 1) | (uint32_t)(150 - 1) << 14;
        out[20] = 0x2f;
        out[21] = (unsigned char)bits, out[22] = (unsigned char)(bits >> 8);
        out[23] = (unsigned char)(bits >> 16), out[24] = (unsigned char)(bits >> 24);
    } else {
        out[24] = (640 - 1) & 0xff, out[25] = (640 - 1) >> 8, out[26] = 0;
        out[27] = (480 - 1) & 0xff, out[28] = (480 - 1) >> 8, out[29] = 0;
    }
    return 30;
}

static int probe(const unsigned char *d, size_t n, enum people_photo_format *f, uint32_t *w,
                 uint32_t *h)
{
    /* A heap copy of exactly n bytes, so that AddressSanitizer sees any over-read. */
    unsigned char *copy = test_malloc(n ? n : 1);
    int rc;

    memcpy(copy, d, n);
    rc = people_photo_probe(copy, n, f, w, h);
    test_free(copy);
    return rc;
}

static void assert_prefixes_refused(const unsigned char *d, size_t n)
{
    enum people_photo_format f;
    uint32_t w, h;

    for (size_t i = 0; i < n; i++)
        assert_int_equal(probe(d, i, &f, &w, &h), ERR_INVALID);
}

static void test_png(void **state)
{
    unsigned char d[64];
    enum people_photo_format f;
    uint32_t w = 0, h = 0;
    size_t n;

    (void)state;
    n = png_header(d, 3, 2);
    assert_int_equal(probe(d, n, &f, &w, &h), 0);
    assert_int_equal(f, PEOPLE_PHOTO_PNG);
    assert_int_equal(w, 3);
    assert_int_equal(h, 2);
    assert_prefixes_refused(d, 24);

    n = png_header(d, 100000, 100000); /* a bomb: refused on the header */
    assert_int_equal(probe(d, n, &f, &w, &h), ERR_TOOBIG);
    n = png_header(d, 10001, 10);
    assert_int_equal(probe(d, n, &f, &w, &h), ERR_TOOBIG);
    n = png_header(d, 10000, 4001); /* sides fine, 40.01 megapixels */
    assert_int_equal(probe(d, n, &f, &w, &h), ERR_TOOBIG);
    n = png_header(d, 10000, 4000);
    assert_int_equal(probe(d, n, &f, &w, &h), 0);
    n = png_header(d, 0, 10);
    assert_int_equal(probe(d, n, &f, &w, &h), ERR_INVALID);
    n = png_header(d, 0xffffffffu, 0xffffffffu);
    assert_int_equal(probe(d, n, &f, &w, &h), ERR_TOOBIG);

    n = png_header(d, 3, 2);
    memcpy(d + 12, "IDAT", 4); /* IHDR must come first */
    assert_int_equal(probe(d, n, &f, &w, &h), ERR_INVALID);
}

static void test_jpeg(void **state)
{
    unsigned char d[64];
    enum people_photo_format f;
    uint32_t w = 0, h = 0;
    size_t n;

    (void)state;
    n = jpeg_header(d, 0xc0, 640, 480);
    assert_int_equal(probe(d, n, &f, &w, &h), 0);
    assert_int_equal(f, PEOPLE_PHOTO_JPEG);
    assert_int_equal(w, 640);
    assert_int_equal(h, 480);
    assert_prefixes_refused(d, n - 4); /* the SOF's dimensions must be there */

    n = jpeg_header(d, 0xc2, 17, 9); /* progressive */
    assert_int_equal(probe(d, n, &f, &w, &h), 0);
    assert_int_equal(w, 17);
    assert_int_equal(h, 9);

    n = jpeg_header(d, 0xc0, 65535, 65535);
    assert_int_equal(probe(d, n, &f, &w, &h), ERR_TOOBIG);
    n = jpeg_header(d, 0xc0, 640, 0); /* height from a DNL marker: refused */
    assert_int_equal(probe(d, n, &f, &w, &h), ERR_INVALID);
    n = jpeg_header(d, 0xc4, 640, 480); /* DHT is no frame header */
    assert_int_equal(probe(d, n, &f, &w, &h), ERR_INVALID);
    n = jpeg_header(d, 0xda, 640, 480); /* SOS before any frame */
    assert_int_equal(probe(d, n, &f, &w, &h), ERR_INVALID);
}

static void test_webp(void **state)
{
    unsigned char d[32];
    enum people_photo_format f;
    uint32_t w = 0, h = 0;
    size_t n;

    (void)state;
    n = webp_header(d, "VP8 ");
    assert_int_equal(probe(d, n, &f, &w, &h), 0);
    assert_int_equal(f, PEOPLE_PHOTO_WEBP);
    assert_int_equal(w, 200);
    assert_int_equal(h, 100);
    assert_prefixes_refused(d, n);
    n = webp_header(d, "VP8L");
    assert_int_equal(probe(d, n, &f, &w, &h), 0);
    assert_int_equal(w, 300);
    assert_int_equal(h, 150);
    n = webp_header(d, "VP8X");
    assert_int_equal(probe(d, n, &f, &w, &h), 0);
    assert_int_equal(w, 640);
    assert_int_equal(h, 480);
    d[26] = 0x01; /* canvas width 65536 + 640 */
    assert_int_equal(probe(d, n, &f, &w, &h), ERR_TOOBIG);
    n = webp_header(d, "VP8 ");
    d[23] = 0; /* bad start code */
    assert_int_equal(probe(d, n, &f, &w, &h), ERR_INVALID);
    n = webp_header(d, "ANIM");
    assert_int_equal(probe(d, n, &f, &w, &h), ERR_INVALID);
}

static void test_not_images(void **state)
{
    static const char pdf[] =
        "%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n";
    static const char gif[] = "GIF89a\x01\x00\x01\x00\x80\x00\x00";
    static const char html[] = "<html><body>not an image</body></html>";
    enum people_photo_format f = PEOPLE_PHOTO_PNG;
    uint32_t w, h;

    (void)state;
    assert_int_equal(probe((const unsigned char *)pdf, sizeof(pdf) - 1, &f, &w, &h), ERR_INVALID);
    assert_int_equal(f, PEOPLE_PHOTO_UNKNOWN);
    assert_int_equal(probe((const unsigned char *)gif, sizeof(gif) - 1, &f, &w, &h), ERR_INVALID);
    assert_int_equal(probe((const unsigned char *)html, sizeof(html) - 1, &f, &w, &h), ERR_INVALID);
    assert_int_equal(probe((const unsigned char *)"", 0, &f, &w, &h), ERR_INVALID);
}

static void test_path(void **state)
{
    struct arena a;
    const char *hash = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    (void)state;
    arena_init(&a);
    assert_string_equal(people_photo_path(&a, "/d", hash),
                        "/d/01/23/0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
                        ".jpg");
    assert_null(people_photo_path(&a, "/d", "../../etc/passwd"));
    assert_null(people_photo_path(&a, "/d", "0123"));
    assert_null(people_photo_path(&a, "/d", NULL));
    arena_clear(&a);
}

/* ---- EXIF orientation ------------------------------------------------------------ */

/* How to spoil the Exif segment made by exif_jpeg(). */
struct exif_opts {
    bool big_endian;
    unsigned orientation;
    unsigned type, count; /* of the Orientation entry: 3 (SHORT) and 1 when 0 */
    uint32_t ifd;         /* IFD0's offset: 8 when 0 */
    unsigned entries;     /* declared entry count: 2 when 0 */
    bool no_orientation;  /* another tag instead */
    bool xmp_first;       /* an APP1 XMP segment before the Exif one */
    bool after_scan;      /* the Exif segment after SOS */
    const char *magic;    /* "II"/"MM" by default */
    unsigned tiff_42;     /* 42 when 0 */
};

static void put16(unsigned char *p, unsigned v, bool big)
{
    p[big ? 0 : 1] = (unsigned char)(v >> 8);
    p[big ? 1 : 0] = (unsigned char)v;
}

static void put32(unsigned char *p, uint32_t v, bool big)
{
    for (int i = 0; i < 4; i++)
        p[big ? 3 - i : i] = (unsigned char)(v >> (8 * i));
}

/* A JPEG start: SOI, APP0, [XMP APP1], APP1 Exif with IFD0 (ImageWidth, Orientation), SOF0.
 * Returns the size; *app1_end is the offset just past the Exif segment. */
static size_t exif_jpeg(unsigned char *out, const struct exif_opts *o, size_t *app1_end)
{
    static const unsigned char app0[] = {0xff, 0xe0, 0, 16, 'J', 'F', 'I', 'F', 0,
                                         1,    1,    0, 0,  1,   0,   1,   0,   0};
    static const char xmp[] = "http://ns.adobe.com/xap/1.0/";
    bool big = o->big_endian;
    size_t n = 0, seg, t;

    out[n++] = 0xff;
    out[n++] = 0xd8;
    memcpy(out + n, app0, sizeof(app0));
    n += sizeof(app0);
    if (o->xmp_first) {
        out[n++] = 0xff;
        out[n++] = 0xe1;
        put16(out + n, 2 + sizeof(xmp), true);
        memcpy(out + n + 2, xmp, sizeof(xmp));
        n += 2 + sizeof(xmp);
    }
    if (o->after_scan) {
        static const unsigned char sos[] = {0xff, 0xda, 0, 8, 1, 1, 0, 0, 0x3f, 0};
        memcpy(out + n, sos, sizeof(sos));
        n += sizeof(sos);
    }
    seg = n;
    out[n++] = 0xff;
    out[n++] = 0xe1;
    n += 2; /* length, below */
    memcpy(out + n, "Exif\0\0", 6);
    n += 6;
    t = n; /* the TIFF structure */
    memcpy(out + t, o->magic ? o->magic : big ? "MM" : "II", 2);
    put16(out + t + 2, o->tiff_42 ? o->tiff_42 : 42, big);
    put32(out + t + 4, o->ifd ? o->ifd : 8, big);
    put16(out + t + 8, o->entries ? o->entries : 2, big);
    put16(out + t + 10, 0x0100, big); /* ImageWidth, LONG, 1, 640 */
    put16(out + t + 12, 4, big);
    put32(out + t + 14, 1, big);
    put32(out + t + 18, 640, big);
    put16(out + t + 22, o->no_orientation ? 0x0101 : 0x0112, big);
    put16(out + t + 24, o->type ? o->type : 3, big);
    put32(out + t + 26, o->count ? o->count : 1, big);
    put16(out + t + 30, o->orientation, big);
    put16(out + t + 32, 0, big); /* the value field's padding */
    put32(out + t + 34, 0, big); /* no next IFD */
    n = t + 38;
    put16(out + seg + 2, (unsigned)(n - seg - 2), true);
    *app1_end = n;
    {
        static const unsigned char sof0[] = {0xff, 0xc0, 0, 11, 8,    1, 0xe0,
                                             2,    0x80, 1, 1,  0x11, 0}; /* 640 x 480 */
        memcpy(out + n, sof0, sizeof(sof0));
        n += sizeof(sof0);
    }
    return n;
}

/* people_photo_exif_orientation() on an exact-size heap copy (so ASan sees an overread). */
static int orientation_of(const unsigned char *d, size_t n)
{
    unsigned char *copy = test_malloc(n ? n : 1);
    int o;

    memcpy(copy, d, n);
    o = people_photo_exif_orientation(copy, n);
    test_free(copy);
    return o;
}

static void test_exif_orientation(void **state)
{
    unsigned char d[256];
    size_t n, end;

    (void)state;
    for (unsigned o = 1; o <= 8; o++) {
        n = exif_jpeg(d, &(struct exif_opts){.orientation = o}, &end);
        assert_int_equal(orientation_of(d, n), (int)o);
        n = exif_jpeg(d, &(struct exif_opts){.orientation = o, .big_endian = true}, &end);
        assert_int_equal(orientation_of(d, n), (int)o);
    }
    /* Every prefix: 1 until the Exif segment is whole, never a read past the end. */
    n = exif_jpeg(d, &(struct exif_opts){.orientation = 6, .big_endian = true}, &end);
    for (size_t i = 0; i <= n; i++)
        assert_int_equal(orientation_of(d, i), i < end ? 1 : 6);
    n = exif_jpeg(d, &(struct exif_opts){.orientation = 8, .xmp_first = true}, &end);
    assert_int_equal(orientation_of(d, n), 8);
}

static void test_exif_refused(void **state)
{
    static const struct {
        const char *id;
        struct exif_opts o;
    } cases[] = {
        {"value-0", {.orientation = 0}},
        {"value-9", {.orientation = 9}},
        {"value-ffff", {.orientation = 0xffff, .big_endian = true}},
        {"type-long", {.orientation = 6, .type = 4}},
        {"count-2", {.orientation = 6, .count = 2}},
        {"no-orientation-tag", {.orientation = 6, .no_orientation = true}},
        {"ifd-past-end", {.orientation = 6, .ifd = 200}},
        {"ifd-far-past-end", {.orientation = 6, .ifd = 0xffffffffu, .big_endian = true}},
        {"ifd-inside-header", {.orientation = 6, .ifd = 4}},
        {"ifd-at-last-byte", {.orientation = 6, .ifd = 37}},
        {"entries-past-end", {.orientation = 6, .entries = 0xffff, .no_orientation = true}},
        {"bad-byte-order", {.orientation = 6, .magic = "IM"}},
        {"bad-42", {.orientation = 6, .tiff_42 = 43}},
        {"after-scan", {.orientation = 6, .after_scan = true}},
    };
    unsigned char d[256];
    size_t n, end;

    (void)state;
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        n = exif_jpeg(d, &cases[i].o, &end);
        if (orientation_of(d, n) != 1)
            fail_msg("exif case %s", cases[i].id);
    }
    /* A segment length past the end, or under 2. */
    n = exif_jpeg(d, &(struct exif_opts){.orientation = 6}, &end);
    d[22] = 0xff;
    assert_int_equal(orientation_of(d, n), 1);
    d[22] = 0;
    d[23] = 1;
    assert_int_equal(orientation_of(d, n), 1);
    /* Not a JPEG at all. */
    n = png_header(d, 3, 2);
    assert_int_equal(orientation_of(d, n), 1);
    assert_int_equal(orientation_of(d, 0), 1);
}

static void test_orient_source(void **state)
{
    /*
     * A 3 x 2 image whose pixel (x, y) is y * 3 + x, as each orientation shows it, row by
     * row (the EXIF table: where the stored 0th row and 0th column go).
     */
    static const struct {
        int o, w, h;
        int shown[6];
    } cases[] = {
        {1, 3, 2, {0, 1, 2, 3, 4, 5}}, {2, 3, 2, {2, 1, 0, 5, 4, 3}}, {3, 3, 2, {5, 4, 3, 2, 1, 0}},
        {4, 3, 2, {3, 4, 5, 0, 1, 2}}, {5, 2, 3, {0, 3, 1, 4, 2, 5}}, {6, 2, 3, {3, 0, 4, 1, 5, 2}},
        {7, 2, 3, {5, 2, 4, 1, 3, 0}}, {8, 2, 3, {2, 5, 1, 4, 0, 3}}, {0, 3, 2, {0, 1, 2, 3, 4, 5}},
        {9, 3, 2, {0, 1, 2, 3, 4, 5}},
    };

    (void)state;
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
        for (int y = 0; y < cases[i].h; y++)
            for (int x = 0; x < cases[i].w; x++) {
                int sx = -1, sy = -1;
                people_photo_orient_source(cases[i].o, 3, 2, x, y, &sx, &sy);
                if (sx < 0 || sx > 2 || sy < 0 || sy > 1 ||
                    sy * 3 + sx != cases[i].shown[y * cases[i].w + x])
                    fail_msg("orientation %d: (%d, %d) comes from (%d, %d)", cases[i].o, x, y, sx,
                             sy);
            }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_png),          cmocka_unit_test(test_jpeg),
        cmocka_unit_test(test_webp),         cmocka_unit_test(test_not_images),
        cmocka_unit_test(test_path),         cmocka_unit_test(test_exif_orientation),
        cmocka_unit_test(test_exif_refused), cmocka_unit_test(test_orient_source),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
