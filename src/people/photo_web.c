/*
 * photo_web.c - profile photos on the web: serving the thumbnails
 * (GET /people/{id}/photo/{size}), the photo section of the edit page, and
 * its forms (POST /people/{id}/photo and /people/{id}/photo/delete).
 *
 * A thumbnail is served only to viewers who may see the photo (the
 * visibility rule of people_field_visible()); anyone else, and anyone
 * asking for a member without a photo, gets 404, and pages show the
 * initials avatar instead.  The ETag is the file's content hash, so a
 * changed photo has a new ETag.  Only the owner and administrators may
 * change a photo; anyone else gets 404.  Owns no long-lived state.
 */
#include "photo.h"
#include "../app.h"
#include "../db/db.h"
#include "../web/i18n.h"
#include "../web/layout.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

/* The member whose photo the viewer may change, or 0 (answer 404). */
static int64_t photo_owner_id(struct req *r)
{
    int64_t id = http_param_id(r, "id");

    if (!id || (id != r->viewer.id && r->viewer.role != ROLE_ADMIN))
        return 0;
    return id;
}

void people_photo_img(struct html *h, int64_t id, const char *hash, int size, const char *name,
                      const char *extra_class)
{
    char version[17] = {0}; /* the hash's start: a new photo gets a new URL */

    memcpy(version, hash, strnlen(hash, sizeof(version) - 1));
    html_fmt(h, "<img class=\"avatar photo%s%s\"", *extra_class ? " " : "", extra_class);
    html_src(h, "/people/%lld/photo/%d?v=%s", (long long)id, size, version);
    html_fmt(h, " alt=\"%s\" width=\"%d\" height=\"%d\">", name, size, size);
}

/* Read the whole file at path into out; ERR_NOTFOUND when missing, ERR_IO otherwise. */
static int file_read(const char *path, struct buf *out)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    int rc = 0;

    if (fd < 0)
        return errno == ENOENT ? ERR_NOTFOUND : ERR_IO;
    if (fstat(fd, &st) != 0 || st.st_size < 0 || st.st_size > PEOPLE_PHOTO_BYTES_MAX) {
        close(fd);
        return ERR_IO;
    }
    buf_grow(out, (size_t)st.st_size);
    while (rc == 0) {
        char chunk[16384];
        ssize_t n = read(fd, chunk, sizeof(chunk));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            rc = ERR_IO;
        else if (n == 0)
            break;
        else
            buf_add(out, chunk, (size_t)n);
    }
    close(fd);
    return rc;
}

int people_page_photo(struct req *r)
{
    int64_t id = http_param_id(r, "id");
    const char *size_text = http_param(r, "size"), *hash, *path, *etag, *inm;
    int size;
    int rc;

    if (size_text && strcmp(size_text, "256") == 0)
        size = PEOPLE_PHOTO_BIG;
    else if (size_text && strcmp(size_text, "64") == 0)
        size = PEOPLE_PHOTO_SMALL;
    else
        return http_reply_err(r, ERR_NOTFOUND);
    if (!id || !(hash = people_photo_visible(r->db, r->a, &r->viewer, id, size)))
        return http_reply_err(r, ERR_NOTFOUND);
    path = people_photo_path(r->a, r->app->files_dir, hash);
    if (!path)
        return http_reply_err(r, ERR_NOTFOUND);
    etag = arena_printf(r->a, "\"%s\"", hash);
    http_set_header(r, "ETag", etag);
    http_set_header(r, "Cache-Control", "private, max-age=86400");
    inm = http_header(r, "If-None-Match");
    if (inm && (strcmp(inm, etag) == 0 || strcmp(inm, hash) == 0)) {
        r->status = 304;
        return 0;
    }
    if ((rc = file_read(path, &r->out)) < 0) {
        if (rc == ERR_NOTFOUND)
            return http_reply_err(r, ERR_NOTFOUND);
        return http_reply_err(r, rc);
    }
    r->out_type = "image/jpeg";
    r->status = 200;
    return 0;
}

/* The visibility select of the photo form. */
static void visibility_select(struct req *r, struct html *h, enum people_visibility current)
{
    static const char *const labels[] = {N_("Tout le monde"), N_("Mes communautés"),
                                         N_("Moi seul")};

    html_fmt(h,
             "<label for=\"photo_visibility\" class=\"visibility\">%s</label>"
             "<select id=\"photo_visibility\" name=\"photo_visibility\">",
             _(r, "Visible par"));
    for (int v = PEOPLE_VIS_EVERYONE; v <= PEOPLE_VIS_ME; v++) {
        const char *name = people_visibility_name((enum people_visibility)v);
        if (v == (int)current)
            html_fmt(h, "<option value=\"%s\" selected>%s</option>", name,
                     i18n_text(r->lang, labels[v]));
        else
            html_fmt(h, "<option value=\"%s\">%s</option>", name, i18n_text(r->lang, labels[v]));
    }
    html_lit(h, "</select>");
}

/* The section itself, with problem (a message id) shown when an upload was refused. */
static void edit_section(struct req *r, struct html *h, int64_t id, const char *problem)
{
    struct people_photo p;

    if (people_photo_load(r->db, r->a, id, &p) < 0)
        p = (struct people_photo){.big = "", .small = "", .vis = PEOPLE_VIS_EVERYONE};
    html_fmt(h, "<section class=\"card photo-edit\" id=\"photo\"><h2>%s</h2>", _(r, "Photo"));
    if (*p.big)
        people_photo_img(h, id, p.big, PEOPLE_PHOTO_BIG, _(r, "Photo actuelle"), "big");
    else
        html_fmt(h, "<p class=\"muted\">%s</p>", _(r, "Pas encore de photo."));
    html_form_begin_multipart(h, r, "/people/%lld/photo", (long long)id);
    html_fmt(h, "<label for=\"photo-file\">%s</label>",
             _(r, "Choisir une image (JPEG, PNG ou WebP, 10 Mo au plus)"));
    if (problem)
        html_fmt(h,
                 "<input type=\"file\" id=\"photo-file\" name=\"photo\" "
                 "accept=\"image/jpeg,image/png,image/webp\" aria-invalid=\"true\" "
                 "aria-describedby=\"photo-error\">"
                 "<span class=\"field-error\" id=\"photo-error\" role=\"alert\">%s</span>",
                 i18n_text(r->lang, problem));
    else
        html_lit(h, "<input type=\"file\" id=\"photo-file\" name=\"photo\" "
                    "accept=\"image/jpeg,image/png,image/webp\">");
    visibility_select(r, h, p.vis);
    html_fmt(h, "<button type=\"submit\">%s</button></form>", _(r, "Enregistrer la photo"));
    if (*p.big) {
        html_form_begin(h, r, "/people/%lld/photo/delete", (long long)id);
        html_fmt(h, "<button type=\"submit\" class=\"secondary\">%s</button></form>",
                 _(r, "Supprimer la photo"));
    }
    html_lit(h, "</section>");
}

void people_photo_edit_section(struct req *r, struct html *h, int64_t id)
{
    edit_section(r, h, id, NULL);
}

/* The upload was refused: a page with the section and the message, status 400. */
static int refused_page(struct req *r, int64_t id, int status, const char *problem)
{
    struct html *h =
        page_begin(r, &(struct page){.title = _(r, "Modifier le profil"), .nav = NAV_PEOPLE});

    html_fmt(h, "<p class=\"error\" role=\"alert\">%s</p>", i18n_text(r->lang, problem));
    edit_section(r, h, id, problem);
    html_lit(h, "<p><a");
    html_href(h, "/people/%lld/edit", (long long)id);
    html_fmt(h, ">%s</a></p>", _(r, "Retour au profil"));
    r->status = status;
    return page_end(r);
}

int people_form_photo(struct req *r)
{
    int64_t id = photo_owner_id(r);
    const struct kv *file = http_form_kv(r, "photo");
    const char *vis_name = http_form(r, "photo_visibility"), *problem = NULL;
    enum people_visibility vis;
    struct profile p;
    int rc;

    if (!id)
        return http_reply_err(r, ERR_NOTFOUND);
    if ((rc = people_profile_load(r->db, r->a, id, &p)) < 0)
        return http_reply_err(r, rc);
    if (vis_name && !people_visibility_parse(vis_name, &vis))
        return refused_page(r, id, 400, people_field_problem("photo_visibility"));
    if (file && file->value_len > 0) {
        rc = people_photo_store(r->app, r->db, id, (const unsigned char *)file->value,
                                file->value_len, &problem);
        if (problem)
            return refused_page(r, id, rc == ERR_TOOBIG ? 413 : 400, problem);
        if (rc < 0)
            return http_reply_err(r, rc);
    } else if (!vis_name) {
        return refused_page(r, id, 400, N_("Choisissez une image."));
    }
    if (vis_name && (rc = people_photo_set_visibility(r->db, id, vis)) < 0)
        return http_reply_err(r, rc);
    return http_reply_redirect(r, arena_printf(r->a, "/people/%lld", (long long)id));
}

int people_form_photo_delete(struct req *r)
{
    int64_t id = photo_owner_id(r);
    struct profile p;
    int rc;

    if (!id)
        return http_reply_err(r, ERR_NOTFOUND);
    if ((rc = people_profile_load(r->db, r->a, id, &p)) < 0 ||
        (rc = people_photo_delete(r->app, r->db, id)) < 0)
        return http_reply_err(r, rc);
    return http_reply_redirect(r, arena_printf(r->a, "/people/%lld/edit", (long long)id));
}
