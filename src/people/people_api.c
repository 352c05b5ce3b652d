/*
 * people_api.c - the people API: GET /api/v1/people (the directory),
 * GET and PATCH /api/v1/people/{id}, POST and DELETE
 * /api/v1/people/{id}/follow.
 *
 * A person's JSON holds only what the viewer may see: a hidden field is
 * absent, not empty.  The <field>_visibility keys and a birthday's year are
 * shown only to the owner and administrators.  PATCH takes any subset of
 * the editable keys, refuses unknown keys and wrong types, and saves
 * nothing unless every field is valid.
 */
#include "people.h"
#include "photo.h"
#include "../core/str.h"
#include "../db/db.h"
#include "../http/api.h"
#include "../web/i18n.h"

#include <jansson.h>

#define PEOPLE_API_PAGE 30

static bool is_owner_or_admin(const struct req *r, int64_t id)
{
    return r->viewer.id == id || r->viewer.role == ROLE_ADMIN;
}

static void set_text(json_t *o, const char *key, const char *value)
{
    json_object_set_new(o, key, json_string(value));
}

static json_t *person_json(struct req *r, const struct profile *p)
{
    bool shares = people_share_community(r->db, r->viewer.id, p->id);
    bool privileged = is_owner_or_admin(r, p->id);
    const char *values[PEOPLE_FIELD_COUNT] = {
        [PEOPLE_FIELD_JOB] = p->job,           [PEOPLE_FIELD_DEPARTMENT] = p->department,
        [PEOPLE_FIELD_SITE] = p->site,         [PEOPLE_FIELD_PHONE] = p->phone,
        [PEOPLE_FIELD_BIRTHDAY] = p->birthday, [PEOPLE_FIELD_BIO] = p->bio,
    };
    json_t *o = json_object();

    json_object_set_new(o, "id", json_integer(p->id));
    set_text(o, "name", p->name);
    if (strlen(p->birthday) == 10 && !privileged)
        values[PEOPLE_FIELD_BIRTHDAY] = p->birthday + 5;
    for (int f = 0; f < PEOPLE_FIELD_COUNT; f++) {
        if (!people_field_visible(&r->viewer, p->id, p->vis[f], shares))
            continue;
        if (f == PEOPLE_FIELD_SKILLS) {
            json_t *skills = json_array();
            for (size_t i = 0; i < p->skills_len; i++)
                json_array_append_new(skills, json_string(p->skills[i]));
            json_object_set_new(o, "skills", skills);
        } else {
            set_text(o, people_field_name((enum people_field)f), values[f]);
        }
    }
    json_object_set_new(o, "followers", json_integer(p->followers));
    json_object_set_new(o, "following", json_integer(p->following));
    json_object_set_new(o, "member_since_ms", json_integer(p->created_ms));
    for (int f = 0; privileged && f < PEOPLE_FIELD_COUNT; f++)
        set_text(o, people_field_visibility_name((enum people_field)f),
                 people_visibility_name(p->vis[f]));
    people_photo_json(r, o, p, privileged);
    return o;
}

/* A query parameter of at most max bytes (NULL when absent); false when longer. */
static bool query_param(struct req *r, const char *name, size_t max, const char **out)
{
    *out = http_query(r, name);
    return !*out || strlen(*out) <= max;
}

int people_api_list(struct req *r)
{
    struct people_filter f = {0};
    const char *cursor;
    struct profile *items;
    size_t len;
    int64_t next;
    json_t *list;
    int rc;

    if (!query_param(r, "q", 100, &f.q) || !query_param(r, "department", 480, &f.department) ||
        !query_param(r, "site", 480, &f.site) || !query_param(r, "skill", 240, &f.skill))
        return api_reply_invalid(r, 400, "q", _(r, "La recherche est trop longue."));
    cursor = http_query(r, "cursor");
    if (cursor && *cursor && (!str_to_i64(cursor, &f.after_id) || f.after_id < 0))
        return api_reply_invalid(r, 400, "cursor", _(r, "Le curseur est invalide."));
    rc = people_directory_profiles(r->db, r->a, &r->viewer, &f, PEOPLE_API_PAGE, &items, &len,
                                   &next);
    if (rc == ERR_TOOBIG)
        return api_reply_invalid(r, 400, "q",
                                 _(r, "La recherche compte trop de mots : huit au plus, sans les "
                                      "mots qui en commencent un autre."));
    if (rc < 0)
        return http_reply_err(r, rc);
    list = json_array();
    for (size_t i = 0; i < len; i++)
        json_array_append_new(list, person_json(r, &items[i]));
    return http_reply_json(
        r, 200,
        json_pack("{s:o,s:o}", "items", list, "next",
                  next ? json_string(arena_printf(r->a, "%lld", (long long)next)) : json_null()));
}

int people_api_show(struct req *r)
{
    int64_t id = http_param_id(r, "id");
    struct profile p;
    int rc;

    if (!id)
        return http_reply_err(r, ERR_NOTFOUND);
    if ((rc = people_profile_load(r->db, r->a, id, &p)) < 0)
        return http_reply_err(r, rc);
    return http_reply_json(r, 200, person_json(r, &p));
}

/* Where a text key of the PATCH body goes in the update. */
static const char **text_slot(struct profile_update *u, const char *key)
{
    if (strcmp(key, "name") == 0)
        return &u->name;
    if (strcmp(key, "job") == 0)
        return &u->job;
    if (strcmp(key, "department") == 0)
        return &u->department;
    if (strcmp(key, "site") == 0)
        return &u->site;
    if (strcmp(key, "phone") == 0)
        return &u->phone;
    if (strcmp(key, "birthday") == 0)
        return &u->birthday;
    if (strcmp(key, "bio") == 0)
        return &u->bio;
    for (int f = 0; f < PEOPLE_FIELD_COUNT; f++)
        if (strcmp(key, people_field_visibility_name((enum people_field)f)) == 0)
            return &u->vis[f];
    return NULL;
}

/* The skills array into u; false when it is not an array of strings. */
static bool skills_from_json(struct req *r, json_t *value, struct profile_update *u)
{
    size_t n = json_array_size(value);
    const char **items;

    if (!json_is_array(value))
        return false;
    items = arena_array(r->a, n + 1, sizeof(*items));
    for (size_t i = 0; i < n; i++) {
        const char *s = json_string_value(json_array_get(value, i));
        if (!s)
            return false;
        items[i] = arena_strdup(r->a, s);
    }
    u->skills = items;
    u->skills_len = n;
    u->has_skills = true;
    return true;
}

/* Read the PATCH body into u (strings copied to r->a); the bad key in *bad otherwise. */
static bool update_from_json(struct req *r, json_t *body, struct profile_update *u,
                             const char **bad)
{
    const char *key;
    json_t *value;

    json_object_foreach(body, key, value)
    {
        const char **slot = text_slot(u, key);
        *bad = arena_strdup(r->a, key);
        if (strcmp(key, "skills") == 0) {
            if (!skills_from_json(r, value, u))
                return false;
        } else if (!slot || !json_is_string(value)) {
            return false;
        } else {
            *slot = arena_strndup(r->a, json_string_value(value), json_string_length(value));
            if (strlen(*slot) != json_string_length(value))
                return false; /* a NUL inside the string */
        }
    }
    *bad = NULL;
    return true;
}

int people_api_update(struct req *r)
{
    int64_t id = http_param_id(r, "id");
    struct profile_update u = {0};
    const char *bad = NULL;
    struct profile p;
    json_t *body;
    bool ok;
    int rc;

    if (!id || !is_owner_or_admin(r, id))
        return http_reply_err(r, ERR_NOTFOUND);
    if ((rc = people_profile_load(r->db, r->a, id, &p)) < 0)
        return http_reply_err(r, rc);
    if (!(body = http_json_body(r)))
        return 0;
    ok = json_is_object(body) && update_from_json(r, body, &u, &bad);
    json_decref(body);
    if (!ok && !bad)
        return api_reply_invalid(r, 400, "body", _(r, "Le corps doit être un objet JSON."));
    if (!ok && !text_slot(&u, bad) && strcmp(bad, "skills") != 0)
        return api_reply_invalid(r, 400, bad, _(r, "Ce champ n'existe pas."));
    if (!ok)
        return api_reply_invalid(r, 400, bad, i18n_text(r->lang, people_field_problem(bad)));
    rc = people_profile_save(r->db, id, &u, &bad);
    if (rc == ERR_INVALID)
        return api_reply_invalid(r, 400, bad ? bad : "name",
                                 i18n_text(r->lang, people_field_problem(bad)));
    if (rc < 0 || (rc = people_profile_load(r->db, r->a, id, &p)) < 0)
        return http_reply_err(r, rc);
    return http_reply_json(r, 200, person_json(r, &p));
}

static int api_follow_change(struct req *r, bool follow)
{
    int64_t id = http_param_id(r, "id");
    int rc;

    if (!id)
        return http_reply_err(r, ERR_NOTFOUND);
    rc = follow ? people_follow(r->db, r->viewer.id, id) : people_unfollow(r->db, r->viewer.id, id);
    if (rc == ERR_INVALID)
        return api_reply_invalid(r, 400, "id", _(r, "Vous ne pouvez pas vous suivre vous-même."));
    if (rc < 0)
        return http_reply_err(r, rc);
    return http_reply_no_content(r);
}

int people_api_follow(struct req *r)
{
    return api_follow_change(r, true);
}

int people_api_unfollow(struct req *r)
{
    return api_follow_change(r, false);
}

struct json_t *people_person_json(struct req *r, const struct profile *p)
{
    return person_json(r, p);
}
