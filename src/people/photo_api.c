/*
 * photo_api.c - PUT and DELETE /api/v1/me/photo.
 *
 * PUT takes the image as the whole body (Content-Type image/jpeg,
 * image/png or image/webp; the bytes decide, not the header) or as the
 * `photo` field of a multipart form, and an optional `visibility` query
 * parameter.  It answers the person's JSON, as GET /api/v1/people/{id}
 * does.  Owns no long-lived state.
 */
#include "photo.h"
#include "../web/i18n.h"

#include <jansson.h>

static int reply_invalid(struct req *r, int status, const char *field, const char *message)
{
    return http_reply_json(r, status,
                           json_pack("{s:{s:s,s:s,s:s}}", "error", "code",
                                     status == 413 ? "too_large" : "invalid", "field", field,
                                     "message", i18n_text(r->lang, message)));
}

static bool is_image_type(const char *type)
{
    return type && (strcmp(type, "image/jpeg") == 0 || strcmp(type, "image/png") == 0 ||
                    strcmp(type, "image/webp") == 0);
}

int people_api_photo_put(struct req *r)
{
    const char *vis_name = http_query(r, "visibility"), *problem = NULL;
    const unsigned char *data = NULL;
    enum people_visibility vis;
    struct profile p;
    size_t len = 0;
    int rc;

    if (vis_name && !people_visibility_parse(vis_name, &vis))
        return reply_invalid(r, 400, "visibility", people_field_problem("photo_visibility"));
    if (r->content_type && strcmp(r->content_type, "multipart/form-data") == 0) {
        const struct kv *file = http_form_kv(r, "photo");
        if (file) {
            data = (const unsigned char *)file->value;
            len = file->value_len;
        }
    } else if (is_image_type(r->content_type)) {
        data = (const unsigned char *)r->body.s;
        len = r->body.len;
    } else {
        return reply_invalid(r, 415, "photo",
                             N_("Envoyez une image JPEG, PNG ou WebP (corps de la requête ou "
                                "champ « photo » d'un formulaire multipart)."));
    }
    if (!data || !len)
        return reply_invalid(r, 400, "photo", N_("Choisissez une image."));
    rc = people_photo_store(r->app, r->db, r->viewer.id, data, len, &problem);
    if (problem)
        return reply_invalid(r, rc == ERR_TOOBIG ? 413 : 400, "photo", problem);
    if (rc < 0)
        return http_reply_err(r, rc);
    if (vis_name && (rc = people_photo_set_visibility(r->db, r->viewer.id, vis)) < 0)
        return http_reply_err(r, rc);
    if ((rc = people_profile_load(r->db, r->a, r->viewer.id, &p)) < 0)
        return http_reply_err(r, rc);
    return http_reply_json(r, 200, people_person_json(r, &p));
}

int people_api_photo_delete(struct req *r)
{
    int rc = people_photo_delete(r->app, r->db, r->viewer.id);

    if (rc < 0)
        return http_reply_err(r, rc);
    return http_reply_no_content(r);
}

void people_photo_json(struct req *r, struct json_t *person, const struct profile *p,
                       bool privileged)
{
    json_t *photo;

    if (privileged)
        json_object_set_new(person, "photo_visibility",
                            json_string(people_visibility_name(p->photo_vis)));
    if (!*p->photo_256 || !people_field_visible(&r->viewer, p->id, p->photo_vis,
                                                people_share_community(r->db, r->viewer.id, p->id)))
        return;
    photo = json_object();
    json_object_set_new(photo, "64",
                        json_string(arena_printf(r->a, "/people/%lld/photo/64", (long long)p->id)));
    json_object_set_new(
        photo, "256", json_string(arena_printf(r->a, "/people/%lld/photo/256", (long long)p->id)));
    json_object_set_new(person, "photo", photo);
}
