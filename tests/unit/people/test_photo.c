/*
 * test_photo.c - people_photo_probe(): formats and dimensions read from
 * headers alone, on crafted byte arrays.
 *
 * Tiny valid PNG, JPEG and WebP (VP8, VP8L, VP8X) headers give their
 * dimensions; a PNG or JPEG declaring a huge image is refused as too big
 * without anything being decoded; truncated headers, zero dimensions,
 * PDF and GIF magic bytes and empty input are refused as invalid.  Every
 * prefix of each valid header must be refused, never read past its end.
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_png),        cmocka_unit_test(test_jpeg), cmocka_unit_test(test_webp),
        cmocka_unit_test(test_not_images), cmocka_unit_test(test_path),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
