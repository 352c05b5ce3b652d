/*
 * feed_attach.c - files and images attached to posts: checking and storing
 * uploads, serving them, and removing their files once nothing uses them.
 *
 * Nothing the client says about a file is believed.  Images (JPEG, PNG,
 * WebP) are recognised by their magic bytes, probed before decoding
 * (decompression bombs), then decoded and re-encoded by photo.c as a JPEG
 * of at most ATTACH_IMAGE_SIDE pixels a side plus a thumbnail, so no
 * metadata (EXIF, GPS) survives.  Other files must have an extension of
 * the allow-list (types[]) and the matching magic bytes (PDF, Office
 * files, OpenDocument) or content (text and CSV: no control characters);
 * they are kept as uploaded.  Names are cleaned (no folders, no control
 * or direction characters, at most ATTACH_NAME_MAX characters).
 *
 * Every file is checked before anything is written; then the files go to
 * files_dir/attachments by content hash (core/filestore.h) and the post and
 * its attachment rows are saved in one transaction.  A file written for a
 * post that then fails is harmless (nothing refers to it).  Deleting a post
 * queues a job that removes its files unless another attachment uses the
 * same bytes; a post committed meanwhile stores its files again after
 * its commit if they were removed (filestore_remove() explains the order).
 *
 * Files are served only to viewers who may read the post (404 otherwise,
 * as for a post that does not exist), with the content hash as ETag.
 * Owns no long-lived state.
 */
#include "feed.h"
#include "../app.h"
#include "../core/filestore.h"
#include "../core/str.h"
#include "../db/db.h"
#include "../jobs/jobs.h"
#include "../people/photo.h"
#include "../web/i18n.h"

#include <unistd.h>

#define ATTACH_DIR "attachments" /* under files_dir */
#define ATTACH_NAME_MAX 120      /* characters of a file name */
#define ATTACH_EXT_MAX 10        /* characters of an extension kept when a name is cut */
#define ATTACH_IMAGE_SIDE 2048   /* pixels: the longest side of a stored image */
#define ATTACH_THUMB_SIDE 480    /* pixels: the longest side of its thumbnail */

/* How the content of an allowed file type is recognised. */
enum sniff {
    SNIFF_PDF,   /* "%PDF-" */
    SNIFF_OOXML, /* a zip holding [Content_Types].xml and the type's folder */
    SNIFF_ODF,   /* a zip whose first entry is "mimetype", stored, holding the type */
    SNIFF_OLE,   /* a compound file (Office 97-2003) */
    SNIFF_TEXT,  /* text: no NUL, no control character but tab, newlines, form feed */
};

static const struct file_type {
    const char *ext; /* lower case, without the dot */
    const char *mime;
    enum sniff sniff;
    const char *folder; /* SNIFF_OOXML: the folder the zip must hold */
} types[] = {
    {"pdf", "application/pdf", SNIFF_PDF, NULL},
    {"docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", SNIFF_OOXML,
     "word/"},
    {"xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", SNIFF_OOXML,
     "xl/"},
    {"pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation",
     SNIFF_OOXML, "ppt/"},
    {"odt", "application/vnd.oasis.opendocument.text", SNIFF_ODF, NULL},
    {"ods", "application/vnd.oasis.opendocument.spreadsheet", SNIFF_ODF, NULL},
    {"odp", "application/vnd.oasis.opendocument.presentation", SNIFF_ODF, NULL},
    {"doc", "application/msword", SNIFF_OLE, NULL},
    {"xls", "application/vnd.ms-excel", SNIFF_OLE, NULL},
    {"ppt", "application/vnd.ms-powerpoint", SNIFF_OLE, NULL},
    {"txt", "text/plain", SNIFF_TEXT, NULL},
    {"csv", "text/csv", SNIFF_TEXT, NULL},
};

/* One file of the upload, checked, then stored. */
struct upload {
    const char *name; /* cleaned */
    const struct kv *part;
    bool is_image;
    const char *mime;
    struct buf image, thumb; /* images: the re-encoded JPEGs */
    int width, height;
    const char *hash, *thumb_hash;
};

/* ---- recognising files ------------------------------------------------------------ */

/* The extension of name in lower case ("" when none), arena memory. */
static const char *extension(struct arena *a, const char *name)
{
    const char *dot = strrchr(name, '.');

    return dot && dot != name ? str_lower_ascii(a, dot + 1) : "";
}

static bool has_bytes(const struct kv *f, size_t at, const char *bytes, size_t n)
{
    return f->value_len >= at + n && memcmp(f->value + at, bytes, n) == 0;
}

static uint32_t le16(const char *p)
{
    return (uint32_t)(unsigned char)p[0] | (uint32_t)(unsigned char)p[1] << 8;
}

/* The zip's first entry is a stored "mimetype" whose content is mime (OpenDocument, §3.3). */
static bool is_odf(const struct kv *f, const char *mime)
{
    size_t name_len, extra_len, mime_len = strlen(mime);

    if (!has_bytes(f, 0, "PK\3\4", 4) || f->value_len < 30 || le16(f->value + 8) != 0)
        return false;
    name_len = le16(f->value + 26);
    extra_len = le16(f->value + 28);
    return name_len == 8 && has_bytes(f, 30, "mimetype", 8) &&
           has_bytes(f, 30 + name_len + extra_len, mime, mime_len);
}

/* A zip naming [Content_Types].xml and entries under folder (Office Open XML). */
static bool is_ooxml(const struct kv *f, const char *folder)
{
    return has_bytes(f, 0, "PK\3\4", 4) &&
           memmem(f->value, f->value_len, "[Content_Types].xml", 19) != NULL &&
           memmem(f->value, f->value_len, folder, strlen(folder)) != NULL;
}

static bool is_text(const struct kv *f)
{
    for (size_t i = 0; i < f->value_len; i++) {
        unsigned char c = (unsigned char)f->value[i];
        if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f')
            return false;
    }
    return true;
}

/* The allowed type of a file that is not an image, or NULL. */
static const struct file_type *file_type(struct arena *a, const char *name, const struct kv *f)
{
    static const char ole_magic[8] = {'\xd0', '\xcf', '\x11', '\xe0',
                                      '\xa1', '\xb1', '\x1a', '\xe1'};
    const char *ext = extension(a, name);

    for (size_t i = 0; i < ARRAY_SIZE(types); i++) {
        const struct file_type *t = &types[i];
        bool ok = false;

        if (strcmp(ext, t->ext) != 0)
            continue;
        switch (t->sniff) {
        case SNIFF_PDF:
            ok = has_bytes(f, 0, "%PDF-", 5);
            break;
        case SNIFF_OOXML:
            ok = is_ooxml(f, t->folder);
            break;
        case SNIFF_ODF:
            ok = is_odf(f, t->mime);
            break;
        case SNIFF_OLE:
            ok = has_bytes(f, 0, ole_magic, sizeof(ole_magic));
            break;
        case SNIFF_TEXT:
            ok = is_text(f);
            break;
        }
        return ok ? t : NULL;
    }
    return NULL;
}

/* True for the content types this file serves: the allow-list and re-encoded images. */
static bool mime_allowed(const char *mime)
{
    if (strcmp(mime, "image/jpeg") == 0)
        return true;
    for (size_t i = 0; i < ARRAY_SIZE(types); i++)
        if (strcmp(mime, types[i].mime) == 0)
            return true;
    return false;
}

/* ---- file names --------------------------------------------------------------------- */

/* Length of the UTF-8 sequence at s (at most n bytes) and its code point; 0 when invalid. */
static size_t utf8_next(const unsigned char *s, size_t n, uint32_t *cp)
{
    size_t len = s[0] < 0x80 ? 1 : s[0] < 0xe0 ? 2 : s[0] < 0xf0 ? 3 : 4;

    if (len > n || !str_is_utf8((const char *)s, len))
        return 0;
    *cp = len == 1 ? s[0] : (uint32_t)(s[0] & (0x7f >> len));
    for (size_t i = 1; i < len; i++)
        *cp = *cp << 6 | (s[i] & 0x3f);
    return len;
}

/* Control and direction characters (U+202E shows "exe.pdf" as "fdp.exe"): never in a name. */
static bool is_hidden_char(uint32_t cp)
{
    return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || cp == 0x200e || cp == 0x200f ||
           (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0xfeff;
}

/*
 * The client's file name made safe to keep and show: its last path
 * component, quotes that browsers send as %22 back as quotes, invalid
 * UTF-8 as "_", without control or direction characters (%0D and %0A
 * are line breaks), trimmed, at most ATTACH_NAME_MAX characters (the
 * extension kept when cut); "fichier" when nothing is left.  Arena memory.
 */
static const char *clean_name(struct arena *a, const char *raw)
{
    const char *base = raw ? raw : "", *dot, *ext = "";
    size_t n, keep, cut = 0;
    struct buf out;

    for (const char *p = base; *p; p++)
        if (*p == '/' || *p == '\\')
            base = p + 1;
    n = strlen(base);
    buf_init_arena(&out, a);
    for (size_t i = 0; i < n;) {
        uint32_t cp = 0;
        size_t len = utf8_next((const unsigned char *)base + i, n - i, &cp);
        if (cp == '%' && (str_starts_with(base + i, "%0D") || str_starts_with(base + i, "%0A"))) {
            len = 3; /* a line break: dropped */
        } else if (cp == '%' && str_starts_with(base + i, "%22")) {
            buf_addch(&out, '"');
            len = 3;
        } else if (len == 0) {
            buf_addch(&out, '_');
        } else if (!is_hidden_char(cp) && !(cp == ' ' && out.len == 0)) {
            buf_add(&out, base + i, len);
        }
        i += len ? len : 1;
    }
    while (out.len && (out.s[out.len - 1] == ' ' || out.s[out.len - 1] == '.'))
        out.s[--out.len] = '\0';
    if (out.len == 0)
        return "fichier";
    if (str_utf8_len(out.s, out.len) <= ATTACH_NAME_MAX)
        return out.s;
    dot = strrchr(out.s, '.');
    if (dot && str_utf8_len(dot, strlen(dot)) <= ATTACH_EXT_MAX + 1)
        ext = dot;
    keep = ATTACH_NAME_MAX - str_utf8_len(ext, strlen(ext));
    for (size_t i = 0, k = 0; i < out.len; i++)
        if (((unsigned char)out.s[i] & 0xc0) != 0x80 && k++ == keep) {
            cut = i;
            break;
        }
    return arena_printf(a, "%.*s%s", (int)cut, out.s, ext);
}

/* ---- checking and storing an upload --------------------------------------------------- */

/* The message about file name, in the viewer's language, for *problem. */
static const char *about(struct req *r, const char *format_msgid, const char *name)
{
    return arena_printf(r->a, i18n_text(r->lang, format_msgid), name);
}

/*
 * Check one file (no decoding yet): its size, then its type.  0, or an
 * error with *problem.
 */
static int check_one(struct req *r, struct upload *u, const char **problem)
{
    const struct kv *f = u->part;
    enum people_photo_format format;
    uint32_t w, h;
    const struct file_type *t;
    int rc;

    if (f->value_len == 0) {
        *problem = about(r, N_("« %s » est vide."), u->name);
        return ERR_INVALID;
    }
    if (f->value_len > FEED_ATTACH_BYTES_MAX) {
        *problem =
            about(r, N_("« %s » dépasse 20 Mo, la taille maximale d'un fichier joint."), u->name);
        return ERR_TOOBIG;
    }
    rc = people_photo_probe((const unsigned char *)f->value, f->value_len, &format, &w, &h);
    if (format != PEOPLE_PHOTO_UNKNOWN) {
        u->is_image = true;
        u->mime = "image/jpeg";
        if (rc == ERR_TOOBIG) {
            *problem = about(r,
                             N_("« %s » : cette image est trop grande (10 000 pixels de côté et "
                                "40 mégapixels au plus)."),
                             u->name);
            return ERR_INVALID;
        }
        if (rc < 0) {
            *problem = about(r, N_("« %s » n'est pas une image lisible."), u->name);
            return ERR_INVALID;
        }
        if (f->value_len > PEOPLE_PHOTO_BYTES_MAX) {
            *problem =
                about(r, N_("« %s » dépasse 10 Mo, la taille maximale d'une image."), u->name);
            return ERR_TOOBIG;
        }
        return 0;
    }
    if (!(t = file_type(r->a, u->name, f))) {
        *problem = about(r,
                         N_("« %s » : ce type de fichier n'est pas accepté (images JPEG, PNG ou "
                            "WebP, PDF, documents Office ou OpenDocument, texte, CSV)."),
                         u->name);
        return ERR_INVALID;
    }
    u->mime = t->mime;
    return 0;
}

/* Decode and re-encode an image: the stored JPEG and its thumbnail, without metadata. */
static int reencode(struct req *r, struct upload *u, const char **problem)
{
    enum people_photo_format format;
    uint32_t w = 0, h = 0;
    int rc = people_photo_fit(r->a, (const unsigned char *)u->part->value, u->part->value_len,
                              ATTACH_IMAGE_SIDE, ATTACH_IMAGE_SIDE, &u->image);

    if (rc == 0)
        rc = people_photo_fit(r->a, (const unsigned char *)u->image.s, u->image.len,
                              ATTACH_THUMB_SIDE, ATTACH_THUMB_SIDE, &u->thumb);
    if (rc == 0)
        rc = people_photo_probe((const unsigned char *)u->image.s, u->image.len, &format, &w, &h);
    if (rc == ERR_INVALID || rc == ERR_TOOBIG) {
        *problem = about(r, N_("« %s » n'est pas une image lisible."), u->name);
        return ERR_INVALID;
    }
    u->width = (int)w;
    u->height = (int)h;
    return rc;
}

static const char *attach_root(struct arena *a, const struct app *app)
{
    return arena_printf(a, "%s/%s", app->files_dir, ATTACH_DIR);
}

/* Write the files of u (again after the commit, when one went missing meanwhile). */
static int store(struct req *r, struct upload *u)
{
    const char *root = attach_root(r->a, r->app);
    int rc;

    if (u->is_image) {
        rc = filestore_put(r->a, root, u->image.s, u->image.len, "", &u->hash);
        if (rc == 0)
            rc = filestore_put(r->a, root, u->thumb.s, u->thumb.len, "", &u->thumb_hash);
        return rc;
    }
    u->thumb_hash = "";
    return filestore_put(r->a, root, u->part->value, u->part->value_len, "", &u->hash);
}

/* A file of hash is there (or hash is "", nothing to have). */
static bool stored(struct arena *a, const char *root, const char *hash)
{
    const char *path = *hash ? filestore_path(a, root, hash, "") : NULL;

    return !*hash || (path && access(path, F_OK) == 0);
}

struct saving {
    struct upload *files;
    size_t len;
};

/* feed_post_saved_fn: the attachment rows of post id, and its attachment_count. */
static int save_rows(struct db *db, int64_t id, void *ctx)
{
    const struct saving *s = ctx;
    int rc = 0;

    for (size_t i = 0; rc == 0 && i < s->len; i++) {
        const struct upload *u = &s->files[i];
        rc = db_exec(db,
                     "INSERT INTO attachment(post_id, position, kind, name, mime, size, hash,"
                     " thumb_hash, width, height) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                     DB_I64(id), DB_INT(i), DB_TEXT(u->is_image ? "image" : "file"),
                     DB_TEXT(u->name), DB_TEXT(u->mime),
                     DB_I64(u->is_image ? u->image.len : u->part->value_len), DB_TEXT(u->hash),
                     DB_TEXT(u->thumb_hash), DB_INT(u->width), DB_INT(u->height));
    }
    if (rc == 0)
        rc = db_exec(db, "UPDATE post SET attachment_count = ? WHERE id = ?", DB_I64(s->len),
                     DB_I64(id));
    return rc;
}

int feed_post_create_with_files(struct req *r, const struct feed_new_post *p, int64_t *id_out,
                                const char **problem)
{
    struct upload files[FEED_ATTACH_MAX];
    struct saving saving = {.files = files, .len = 0};
    const char *root;
    int rc;

    for (const struct kv *f = http_form_next(r, "files", NULL); f;
         f = http_form_next(r, "files", f)) {
        /* An empty file input sends an empty part without a name: nothing was chosen. */
        if (f->value_len == 0 && (!f->filename || !*f->filename))
            continue;
        if (saving.len == FEED_ATTACH_MAX) {
            *problem = i18n_text(r->lang, N_("Une publication compte au plus 10 fichiers joints."));
            return ERR_INVALID;
        }
        files[saving.len++] = (struct upload){.part = f, .name = clean_name(r->a, f->filename)};
    }
    for (size_t i = 0; i < saving.len; i++)
        if ((rc = check_one(r, &files[i], problem)) < 0)
            return rc;
    if (saving.len == 0)
        return feed_post_create(r->db, r->a, &r->viewer, p, id_out, problem);
    /* The post's own checks before the slow part, so a refused text decodes nothing. */
    if ((rc = feed_post_check(r->db, &r->viewer, p, problem)) < 0)
        return rc;
    for (size_t i = 0; i < saving.len; i++)
        if (files[i].is_image && (rc = reencode(r, &files[i], problem)) < 0)
            return rc;
    for (size_t i = 0; i < saving.len; i++)
        if ((rc = store(r, &files[i])) < 0)
            return rc;
    if ((rc = feed_post_create_with(r->db, r->a, &r->viewer, p, save_rows, &saving, id_out,
                                    problem)) < 0)
        return rc;
    /* A post deleted meanwhile with the same bytes may have had them removed: store again. */
    root = attach_root(r->a, r->app);
    for (size_t i = 0; i < saving.len; i++)
        if (!stored(r->a, root, files[i].hash) || !stored(r->a, root, files[i].thumb_hash))
            store(r, &files[i]);
    return 0;
}

/* ---- reading ------------------------------------------------------------------------ */

static int load_one(struct db *db, struct arena *a, struct feed_post *p)
{
    struct stmt *q = db_query(db,
                              "SELECT id, position, kind, name, mime, size, width, height"
                              /*      0   1         2     3     4     5     6      7 */
                              " FROM attachment WHERE post_id = ? ORDER BY position",
                              DB_I64(p->id));

    p->attachments = arena_array(a, FEED_ATTACH_MAX, sizeof(*p->attachments));
    p->attachments_len = 0;
    while (db_row(q) && p->attachments_len < FEED_ATTACH_MAX)
        p->attachments[p->attachments_len++] = (struct feed_attachment){
            .id = db_i64(q, 0),
            .position = (int)db_i64(q, 1),
            .is_image = strcmp(db_text(q, 2), "image") == 0,
            .name = arena_strdup(a, db_text(q, 3)),
            .mime = arena_strdup(a, db_text(q, 4)),
            .size = db_i64(q, 5),
            .width = (int)db_i64(q, 6),
            .height = (int)db_i64(q, 7),
        };
    return db_end(q);
}

int feed_attachments_load(struct db *db, struct arena *a, struct feed_post *items, size_t len)
{
    int rc = 0;

    for (size_t i = 0; rc == 0 && i < len; i++)
        if (items[i].attachment_count > 0)
            rc = load_one(db, a, &items[i]);
    return rc;
}

/* ---- serving ------------------------------------------------------------------------ */

/* name for a Content-Disposition header: an ASCII fallback and the UTF-8 name (RFC 6266). */
static const char *disposition(struct arena *a, const char *how, const char *name)
{
    struct buf ascii, utf8;

    buf_init_arena(&ascii, a);
    buf_init_arena(&utf8, a);
    for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
        bool plain = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
                     (*p >= '0' && *p <= '9') || *p == '-' || *p == '.' || *p == '_';
        buf_addch(&ascii, plain || *p == ' ' ? (char)*p : '_');
        if (plain)
            buf_addch(&utf8, (char)*p);
        else
            buf_addf(&utf8, "%%%02X", *p);
    }
    return arena_printf(a, "%s; filename=\"%s\"; filename*=UTF-8''%s", how, ascii.s, utf8.s);
}

/* An image's name for saving the JPEG served: its extension becomes .jpg. */
static const char *jpeg_name(struct arena *a, const char *name)
{
    const char *dot = strrchr(name, '.');
    size_t stem = dot && dot != name ? (size_t)(dot - name) : strlen(name);

    return arena_printf(a, "%.*s.jpg", (int)stem, name);
}

/* GET /posts/{id}/files/{n} and /posts/{id}/files/{n}/thumb. */
static int serve(struct req *r, bool thumb)
{
    int64_t id = http_param_id(r, "id"), n = -1;
    const char *n_text = http_param(r, "n"), *hash, *path, *etag, *inm;
    const char *kind = NULL, *name = NULL, *mime = NULL, *file_hash = NULL, *thumb_hash = NULL;
    struct feed_post post;
    struct stmt *q;
    int rc;

    if (!id || !n_text || !str_to_i64(n_text, &n) || n < 0 || n >= FEED_ATTACH_MAX)
        return http_reply_err(r, ERR_NOTFOUND);
    if ((rc = feed_post_load(r->db, r->a, &r->viewer, id, &post)) < 0)
        return http_reply_err(r, rc);
    q = db_query(r->db,
                 "SELECT kind, name, mime, hash, thumb_hash"
                 /*      0     1     2     3     4 */
                 " FROM attachment WHERE post_id = ? AND position = ?",
                 DB_I64(id), DB_I64(n));
    if (db_row(q)) {
        kind = arena_strdup(r->a, db_text(q, 0));
        name = arena_strdup(r->a, db_text(q, 1));
        mime = arena_strdup(r->a, db_text(q, 2));
        file_hash = arena_strdup(r->a, db_text(q, 3));
        thumb_hash = arena_strdup(r->a, db_text(q, 4));
    }
    if ((rc = db_end(q)) < 0)
        return http_reply_err(r, rc);
    if (!kind || (thumb && strcmp(kind, "image") != 0))
        return http_reply_err(r, ERR_NOTFOUND);
    if (strcmp(kind, "image") == 0)
        mime = "image/jpeg";
    hash = thumb ? thumb_hash : file_hash;
    if (!mime_allowed(mime) || !(path = filestore_path(r->a, attach_root(r->a, r->app), hash, "")))
        return http_reply_err(r, ERR_NOTFOUND);
    etag = arena_printf(r->a, "\"%s\"", hash);
    http_set_header(r, "ETag", etag);
    http_set_header(r, "Cache-Control", "private, max-age=86400");
    if (strcmp(kind, "image") == 0)
        http_set_header(r, "Content-Disposition",
                        disposition(r->a, "inline", jpeg_name(r->a, name)));
    else
        http_set_header(r, "Content-Disposition", disposition(r->a, "attachment", name));
    inm = http_header(r, "If-None-Match");
    if (inm && (strcmp(inm, etag) == 0 || strcmp(inm, hash) == 0)) {
        r->status = 304;
        return 0;
    }
    if ((rc = filestore_read(path, FEED_ATTACH_BYTES_MAX, &r->out)) < 0) {
        buf_reset(&r->out);
        return http_reply_err(r, rc == ERR_NOTFOUND ? ERR_NOTFOUND : ERR_IO);
    }
    r->out_type = mime;
    r->status = 200;
    return 0;
}

static int page_file(struct req *r)
{
    return serve(r, false);
}

static int page_thumb(struct req *r)
{
    return serve(r, true);
}

const struct route feed_attach_routes[] = {
    {HTTP_GET, "/posts/{id}/files/{n}", page_file, ACCESS_GUEST, 0, 0},
    {HTTP_GET, "/posts/{id}/files/{n}/thumb", page_thumb, ACCESS_GUEST, 0, 0},
    {0, NULL, NULL, 0, 0, 0},
};

/* ---- removing files ------------------------------------------------------------------ */

int feed_attachments_forget(struct db *db, struct arena *a, int64_t post_id)
{
    struct stmt *q =
        db_query(db, "SELECT hash, thumb_hash FROM attachment WHERE post_id = ?", DB_I64(post_id));
    struct buf payload;
    int rc;

    buf_init_arena(&payload, a);
    while (db_row(q))
        for (int col = 0; col < 2; col++)
            if (filestore_is_hash(db_text(q, col)))
                buf_addf(&payload, "%s%s", payload.len ? " " : "", db_text(q, col));
    if ((rc = db_end(q)) < 0 || payload.len == 0)
        return rc;
    return jobs_enqueue(db, "attachment_sweep", payload.s, 0, NULL);
}

/* filestore_used_fn: does an attachment still refer to hash? */
static int hash_used(void *ctx, const char *hash)
{
    int64_t count = 0;
    int rc =
        db_get_i64(ctx, &count, "SELECT count(*) FROM attachment WHERE hash = ? OR thumb_hash = ?",
                   DB_TEXT(hash), DB_TEXT(hash));

    return rc < 0 ? rc : count > 0;
}

int feed_attach_job_sweep(struct job *job)
{
    const char *root = attach_root(job->a, job->app);
    const char *p = job->payload;
    int rc = 0;

    while (*p) {
        size_t n = strcspn(p, " ");
        const char *hash = arena_strndup(job->a, p, n);
        if (filestore_is_hash(hash) &&
            filestore_remove(job->a, root, hash, "", hash_used, job->db) < 0) {
            job->error = "cannot remove an attachment file";
            rc = ERR_IO;
        }
        p += n;
        while (*p == ' ')
            p++;
    }
    return rc;
}
