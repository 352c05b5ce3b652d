/*
 * groups_api.c - the communities' JSON API (docs/api.md, "Communities").
 *
 * A community's object: id, name, purpose, description (null for whoever
 * may not read its content), visibility, member_count, last_activity_ms,
 * created_ms, archived, archived_ms, my_role ("animator", "member" or
 * null), my_state ("member", "requested", "invited", "none"), can_write,
 * can_manage, cover (its URL or null), url.  A community the caller may not
 * know answers 404 exactly as a missing one; bodies are JSON objects whose
 * unknown keys and wrong types are 400s naming the field, and nothing is
 * saved unless everything is valid.  Refusals: 403 "forbidden" (not
 * allowed, archived), 409 "conflict" (already a member, the last
 * animator, a name taken), 400 "invalid".  Every route is ACCESS_GUEST: each
 * handler loads the community through groups_access() first.
 *
 * State: none.
 */
#include "groups_internal.h"
#include "../core/str.h"
#include "../db/db.h"
#include "../http/api.h"
#include "../feed/feed.h"
#include "../web/i18n.h"

#include <jansson.h>

#define GROUPS_API_PAGE_MAX 100

static const char *standing_state(enum groups_standing s)
{
    switch (s) {
    case GROUPS_NONE:
        break;
    case GROUPS_REQUESTED:
        return "requested";
    case GROUPS_INVITED:
        return "invited";
    case GROUPS_MEMBER:
    case GROUPS_ANIMATOR:
        return "member";
    }
    return "none";
}

static json_t *community_json(struct req *r, const struct community *c)
{
    json_t *o = json_object();

    json_object_set_new(o, "id", json_integer(c->id));
    json_object_set_new(o, "name", json_string(c->name));
    json_object_set_new(o, "purpose", json_string(c->purpose));
    json_object_set_new(o, "description", c->can_read ? json_string(c->description) : json_null());
    json_object_set_new(o, "visibility", json_string(groups_visibility_name(c->visibility)));
    json_object_set_new(o, "member_count", json_integer(c->member_count));
    json_object_set_new(o, "last_activity_ms", json_integer(c->last_activity_ms));
    json_object_set_new(o, "created_ms", json_integer(c->created_ms));
    json_object_set_new(o, "archived", json_boolean(c->archived_ms > 0));
    json_object_set_new(o, "archived_ms",
                        c->archived_ms ? json_integer(c->archived_ms) : json_null());
    json_object_set_new(o, "my_role",
                        c->standing == GROUPS_ANIMATOR ? json_string("animator")
                        : c->standing == GROUPS_MEMBER ? json_string("member")
                                                       : json_null());
    json_object_set_new(o, "my_state", json_string(standing_state(c->standing)));
    json_object_set_new(o, "can_write", json_boolean(c->can_write));
    json_object_set_new(o, "can_manage", json_boolean(c->can_manage));
    json_object_set_new(
        o, "cover",
        c->has_cover ? json_string(arena_printf(r->a, "/communities/%lld/cover", (long long)c->id))
                     : json_null());
    json_object_set_new(o, "url",
                        json_string(arena_printf(r->a, "/communities/%lld", (long long)c->id)));
    return o;
}

/* A refused change: 404, or the status of rc with problem's message (and field when known). */
static int reply_refused(struct req *r, int rc, const char *field, const char *problem)
{
    if (field && problem && rc != ERR_NOTFOUND)
        return api_reply_invalid(r, rc == ERR_EXISTS ? 409 : 400, field,
                                 i18n_text(r->lang, problem));
    return groups_reply_refused(r, rc, problem);
}

/* Reply with community id as the viewer sees it now. */
static int reply_community(struct req *r, int status, int64_t id)
{
    struct community c;
    int rc = groups_access(r->db, r->a, &r->viewer, id, &c);

    return rc < 0 ? http_reply_err(r, rc) : http_reply_json(r, status, community_json(r, &c));
}

static int groups_api_list(struct req *r)
{
    struct groups_filter f = {0};
    const char *mine = http_query(r, "mine"), *invited = http_query(r, "invited");
    struct community *items;
    size_t len, limit;
    int64_t next;
    json_t *list;
    int rc;

    f.q = http_query(r, "q");
    f.kind = http_query(r, "kind");
    f.mine = mine && strcmp(mine, "1") == 0;
    f.invited = invited && strcmp(invited, "1") == 0;
    if (f.q && strlen(f.q) > GROUPS_QUERY_MAX)
        return api_reply_invalid(r, 400, "q", _(r, "La recherche est trop longue."));
    if (!api_cursor(r, &f.after_id) || !api_limit(r, GROUPS_PAGE, GROUPS_API_PAGE_MAX, &limit))
        return 0;
    rc = groups_list(r->db, r->a, &r->viewer, &f, limit, &items, &len, &next);
    if (rc == ERR_INVALID)
        return api_reply_invalid(r, 400, "kind",
                                 _(r, "Le type doit être public, private ou secret."));
    if (rc < 0)
        return http_reply_err(r, rc);
    list = json_array();
    for (size_t i = 0; i < len; i++)
        json_array_append_new(list, community_json(r, &items[i]));
    return http_reply_json(r, 200,
                           json_pack("{s:o,s:o}", "items", list, "next", api_next(r, next)));
}

/*
 * Read the community fields of body into f (strings copied to r->a); on a
 * bad key or type, reply 400 naming it and return false.
 */
static bool fields_from_json(struct req *r, json_t *body, struct groups_fields *f)
{
    const char *key;
    json_t *value;

    if (!json_is_object(body)) {
        api_reply_invalid(r, 400, "body", _(r, "Un objet JSON est attendu."));
        return false;
    }
    json_object_foreach(body, key, value)
    {
        const char **slot = strcmp(key, "name") == 0          ? &f->name
                            : strcmp(key, "purpose") == 0     ? &f->purpose
                            : strcmp(key, "description") == 0 ? &f->description
                            : strcmp(key, "visibility") == 0  ? &f->visibility
                                                              : NULL;
        const char *field = arena_strdup(r->a, key);
        if (!slot) {
            api_reply_invalid(r, 400, field, _(r, "Ce champ n'existe pas."));
            return false;
        }
        if (!json_is_string(value) ||
            strlen(json_string_value(value)) != json_string_length(value)) {
            api_reply_invalid(r, 400, field, _(r, "Une chaîne de caractères est attendue."));
            return false;
        }
        *slot = arena_strdup(r->a, json_string_value(value));
    }
    return true;
}

static int groups_api_create(struct req *r)
{
    struct groups_fields f = {0};
    const char *field = NULL, *problem = NULL;
    json_t *body = http_json_body(r);
    int64_t id = 0;
    bool ok;
    int rc;

    if (!body)
        return 0;
    ok = fields_from_json(r, body, &f);
    json_decref(body);
    if (!ok)
        return 0;
    rc = groups_create(r->db, &r->viewer, &f, &id, &field, &problem);
    if (rc == ERR_DENIED && r->viewer.role == ROLE_GUEST)
        return http_reply_err(r, ERR_NOTFOUND);
    if (rc < 0)
        return reply_refused(r, rc, field, problem);
    return reply_community(r, 201, id);
}

static int groups_api_show(struct req *r)
{
    return reply_community(r, 200, http_param_id(r, "id"));
}

static int groups_api_update(struct req *r)
{
    struct groups_fields f = {0};
    const char *field = NULL, *problem = NULL;
    int64_t id = http_param_id(r, "id");
    struct community c;
    json_t *body;
    bool ok;
    int rc;

    if ((rc = groups_access(r->db, r->a, &r->viewer, id, &c)) < 0)
        return http_reply_err(r, rc);
    if (!(body = http_json_body(r)))
        return 0;
    ok = fields_from_json(r, body, &f);
    json_decref(body);
    if (!ok)
        return 0;
    rc = groups_update(r->db, r->a, &r->viewer, id, &f, &field, &problem);
    return rc < 0 ? reply_refused(r, rc, field, problem) : reply_community(r, 200, id);
}

static int groups_api_join(struct req *r)
{
    int64_t id = http_param_id(r, "id");
    enum groups_standing now;
    const char *problem = NULL;
    int rc = groups_join(r->db, r->a, &r->viewer, id, &now, &problem);

    return rc < 0 ? groups_reply_refused(r, rc, problem) : reply_community(r, 200, id);
}

/* ---- members, invitations, requests ------------------------------------------------ */

static json_t *member_json(const struct groups_member *m)
{
    return json_pack("{s:I,s:s,s:s,s:s,s:b,s:I}", "id", (json_int_t)m->id, "name", m->name, "role",
                     m->standing == GROUPS_ANIMATOR ? "animator" : "member", "state",
                     standing_state(m->standing), "guest", m->role == ROLE_GUEST, "since_ms",
                     (json_int_t)m->since_ms);
}

/*
 * A list of the people of community {id} standing as which.  Members are
 * listed to whoever may read the community, requests and invitations to its
 * animators only (404 for others, who may not know them).
 */
static int people_list(struct req *r, enum groups_standing which)
{
    struct groups_member *items;
    struct community c;
    size_t len, limit;
    int64_t after, next;
    json_t *list;
    int rc = groups_access(r->db, r->a, &r->viewer, http_param_id(r, "id"), &c);

    if (rc < 0)
        return http_reply_err(r, rc);
    if (!c.can_read || (which != GROUPS_MEMBER && c.standing != GROUPS_ANIMATOR))
        return http_reply_err(r, ERR_NOTFOUND);
    if (!api_cursor(r, &after) || !api_limit(r, GROUPS_PAGE, GROUPS_API_PAGE_MAX, &limit))
        return 0;
    if ((rc = groups_members(r->db, r->a, c.id, which, after, limit, &items, &len, &next)) < 0)
        return http_reply_err(r, rc);
    list = json_array();
    for (size_t i = 0; i < len; i++)
        json_array_append_new(list, member_json(&items[i]));
    return http_reply_json(r, 200,
                           json_pack("{s:o,s:o}", "items", list, "next", api_next(r, next)));
}

static int groups_api_members(struct req *r)
{
    return people_list(r, GROUPS_MEMBER);
}

static int groups_api_invitations(struct req *r)
{
    return people_list(r, GROUPS_INVITED);
}

static int groups_api_requests(struct req *r)
{
    return people_list(r, GROUPS_REQUESTED);
}

/* The body's {"member_id": N}; 0 after replying 400. */
static int64_t member_id_from_body(struct req *r)
{
    json_t *body = http_json_body(r), *value;
    int64_t id = 0;
    const char *key;

    if (!body)
        return 0;
    if (!json_is_object(body)) {
        json_decref(body);
        api_reply_invalid(r, 400, "body", _(r, "Un objet JSON est attendu."));
        return 0;
    }
    json_object_foreach(body, key, value)
    {
        if (strcmp(key, "member_id") != 0) {
            api_reply_invalid(r, 400, arena_strdup(r->a, key), _(r, "Ce champ n'existe pas."));
            json_decref(body);
            return 0;
        }
    }
    value = json_object_get(body, "member_id");
    if (json_is_integer(value) && json_integer_value(value) > 0)
        id = json_integer_value(value);
    json_decref(body);
    if (!id)
        api_reply_invalid(r, 400, "member_id", _(r, "Identifiant de membre invalide."));
    return id;
}

/* {"community_id", "member_id", "state", "role"} after a change, with status. */
static int reply_membership(struct req *r, int status, int64_t id, int64_t member_id,
                            const char *state, const char *role)
{
    return http_reply_json(r, status,
                           json_pack("{s:I,s:I,s:s,s:s}", "community_id", (json_int_t)id,
                                     "member_id", (json_int_t)member_id, "state", state, "role",
                                     role));
}

/* Answer a membership change: a refusal, or the membership with status. */
static int membership_result(struct req *r, int rc, const char *problem, int status,
                             int64_t member_id, const char *state, const char *role)
{
    if (rc == ERR_INVALID && problem)
        return api_reply_invalid(r, 400, "member_id", i18n_text(r->lang, problem));
    if (rc < 0)
        return groups_reply_refused(r, rc, problem);
    return reply_membership(r, status, http_param_id(r, "id"), member_id, state, role);
}

/* Refuse before reading the body when the community is unknown to the viewer. */
static bool known_or_reply(struct req *r)
{
    struct community c;
    int rc = groups_access(r->db, r->a, &r->viewer, http_param_id(r, "id"), &c);

    if (rc < 0)
        http_reply_err(r, rc);
    return rc == 0;
}

static int groups_api_member_add(struct req *r)
{
    int64_t who;
    const char *problem = NULL;
    int rc;

    if (!known_or_reply(r) || !(who = member_id_from_body(r)))
        return 0;
    rc = groups_member_add(r->db, r->a, &r->viewer, http_param_id(r, "id"), who, &problem);
    return membership_result(r, rc, problem, 201, who, "member", "member");
}

static int groups_api_member_remove(struct req *r)
{
    int64_t who = http_param_id(r, "member_id");
    const char *problem = NULL;
    int rc = groups_member_remove(r->db, r->a, &r->viewer, http_param_id(r, "id"), who, &problem);

    if (rc == ERR_INVALID && problem)
        return http_reply_error(r, 404, "not_found", i18n_text(r->lang, problem));
    return rc < 0 ? groups_reply_refused(r, rc, problem) : http_reply_no_content(r);
}

static int groups_api_role(struct req *r)
{
    int64_t id = http_param_id(r, "id"), who = http_param_id(r, "member_id");
    json_t *body, *role;
    const char *problem = NULL, *name = NULL;
    int rc;

    if (!known_or_reply(r) || !(body = http_json_body(r)))
        return 0;
    role =
        json_is_object(body) && json_object_size(body) == 1 ? json_object_get(body, "role") : NULL;
    if (json_is_string(role) && strcmp(json_string_value(role), "animator") == 0)
        name = "animator";
    else if (json_is_string(role) && strcmp(json_string_value(role), "member") == 0)
        name = "member";
    json_decref(body);
    if (!name)
        return api_reply_invalid(r, 400, "role", _(r, "Le rôle est « animator » ou « member »."));
    rc = groups_role_set(r->db, r->a, &r->viewer, id, who, strcmp(name, "animator") == 0, &problem);
    if (rc == ERR_INVALID && problem)
        return http_reply_error(r, 404, "not_found", i18n_text(r->lang, problem));
    return membership_result(r, rc, problem, 200, who, "member", name);
}

static int groups_api_invite(struct req *r)
{
    int64_t who;
    const char *problem = NULL;
    int rc;

    if (!known_or_reply(r) || !(who = member_id_from_body(r)))
        return 0;
    rc = groups_invite(r->db, r->a, &r->viewer, http_param_id(r, "id"), who, &problem);
    return membership_result(r, rc, problem, 201, who, "invited", "member");
}

static int groups_api_invitation_cancel(struct req *r)
{
    const char *problem = NULL;
    int rc = groups_invitation_cancel(r->db, r->a, &r->viewer, http_param_id(r, "id"),
                                      http_param_id(r, "member_id"), &problem);

    if (rc == ERR_INVALID && problem)
        return http_reply_error(r, 404, "not_found", i18n_text(r->lang, problem));
    return rc < 0 ? groups_reply_refused(r, rc, problem) : http_reply_no_content(r);
}

static int invitation_answer(struct req *r, bool accept)
{
    int64_t id = http_param_id(r, "id");
    const char *problem = NULL;
    int rc = groups_invitation_answer(r->db, r->a, &r->viewer, id, accept, &problem);

    if (rc == ERR_INVALID && problem)
        return http_reply_error(r, 404, "not_found", i18n_text(r->lang, problem));
    if (rc < 0)
        return groups_reply_refused(r, rc, problem);
    return accept ? reply_community(r, 200, id) : http_reply_no_content(r);
}

static int groups_api_invitation_accept(struct req *r)
{
    return invitation_answer(r, true);
}

static int groups_api_invitation_decline(struct req *r)
{
    return invitation_answer(r, false);
}

static int request_answer(struct req *r, bool approve)
{
    int64_t who = http_param_id(r, "member_id");
    const char *problem = NULL;
    int rc = groups_request_answer(r->db, r->a, &r->viewer, http_param_id(r, "id"), who, approve,
                                   &problem);

    if (rc == ERR_INVALID && problem)
        return http_reply_error(r, 404, "not_found", i18n_text(r->lang, problem));
    if (rc < 0)
        return groups_reply_refused(r, rc, problem);
    return approve ? reply_membership(r, 200, http_param_id(r, "id"), who, "member", "member")
                   : http_reply_no_content(r);
}

static int groups_api_request_approve(struct req *r)
{
    return request_answer(r, true);
}

static int groups_api_request_refuse(struct req *r)
{
    return request_answer(r, false);
}

/* ---- pins ------------------------------------------------------------------------------ */

/* Pin (or unpin) post_id at the top of community {id}: its animators. */
static int pin_change(struct req *r, int64_t post_id, bool pin)
{
    int64_t id = http_param_id(r, "id");
    struct feed_post p;
    struct community c;
    int rc = groups_access(r->db, r->a, &r->viewer, id, &c);

    if (rc < 0 || !c.can_read)
        return http_reply_err(r, ERR_NOTFOUND);
    if (!c.can_manage)
        return groups_reply_refused(
            r, ERR_DENIED, N_("Seuls les animateurs de la communauté peuvent faire cela."));
    rc = post_id ? feed_post_load(r->db, r->a, &r->viewer, post_id, &p) : ERR_NOTFOUND;
    if (rc == 0 && p.community_id != id)
        rc = ERR_NOTFOUND;
    if (rc == 0)
        rc = feed_post_pin(r->db, r->a, &r->viewer, post_id, pin);
    if (rc == ERR_NOTFOUND)
        return api_reply_invalid(r, 404, "post_id",
                                 _(r, "Cette publication n'est pas dans la "
                                      "communauté."));
    if (rc < 0)
        return http_reply_err(r, rc);
    return pin ? http_reply_json(
                     r, 200, json_pack("{s:I,s:b}", "post_id", (json_int_t)post_id, "pinned", 1))
               : http_reply_no_content(r);
}

static int groups_api_pin(struct req *r)
{
    json_t *body, *value;
    int64_t post_id = 0;

    if (!known_or_reply(r) || !(body = http_json_body(r)))
        return 0;
    value = json_is_object(body) ? json_object_get(body, "post_id") : NULL;
    if (json_is_integer(value) && json_integer_value(value) > 0 && json_object_size(body) == 1)
        post_id = json_integer_value(value);
    json_decref(body);
    if (!post_id)
        return api_reply_invalid(r, 400, "post_id", _(r, "Identifiant invalide."));
    return pin_change(r, post_id, true);
}

static int groups_api_unpin(struct req *r)
{
    return pin_change(r, http_param_id(r, "post_id"), false);
}

const struct route groups_api_routes[] = {
    {HTTP_GET, "/api/v1/communities", groups_api_list, ACCESS_GUEST, ROUTE_API, 0},
    {HTTP_POST, "/api/v1/communities", groups_api_create, ACCESS_GUEST, ROUTE_API, 0},
    {HTTP_GET, "/api/v1/communities/{id}", groups_api_show, ACCESS_GUEST, ROUTE_API, 0},
    {HTTP_PATCH, "/api/v1/communities/{id}", groups_api_update, ACCESS_GUEST, ROUTE_API, 0},
    {HTTP_POST, "/api/v1/communities/{id}/join", groups_api_join, ACCESS_GUEST, ROUTE_API, 0},
    {HTTP_GET, "/api/v1/communities/{id}/members", groups_api_members, ACCESS_GUEST, ROUTE_API, 0},
    {HTTP_POST, "/api/v1/communities/{id}/members", groups_api_member_add, ACCESS_GUEST, ROUTE_API,
     0},
    {HTTP_DELETE, "/api/v1/communities/{id}/members/{member_id}", groups_api_member_remove,
     ACCESS_GUEST, ROUTE_API, 0},
    {HTTP_PUT, "/api/v1/communities/{id}/members/{member_id}/role", groups_api_role, ACCESS_GUEST,
     ROUTE_API, 0},
    {HTTP_GET, "/api/v1/communities/{id}/invitations", groups_api_invitations, ACCESS_GUEST,
     ROUTE_API, 0},
    {HTTP_POST, "/api/v1/communities/{id}/invitations", groups_api_invite, ACCESS_GUEST, ROUTE_API,
     0},
    {HTTP_DELETE, "/api/v1/communities/{id}/invitations/{member_id}", groups_api_invitation_cancel,
     ACCESS_GUEST, ROUTE_API, 0},
    {HTTP_POST, "/api/v1/communities/{id}/invitation/accept", groups_api_invitation_accept,
     ACCESS_GUEST, ROUTE_API, 0},
    {HTTP_POST, "/api/v1/communities/{id}/invitation/decline", groups_api_invitation_decline,
     ACCESS_GUEST, ROUTE_API, 0},
    {HTTP_GET, "/api/v1/communities/{id}/requests", groups_api_requests, ACCESS_GUEST, ROUTE_API,
     0},
    {HTTP_POST, "/api/v1/communities/{id}/requests/{member_id}/approve", groups_api_request_approve,
     ACCESS_GUEST, ROUTE_API, 0},
    {HTTP_POST, "/api/v1/communities/{id}/requests/{member_id}/refuse", groups_api_request_refuse,
     ACCESS_GUEST, ROUTE_API, 0},
    {HTTP_POST, "/api/v1/communities/{id}/pins", groups_api_pin, ACCESS_GUEST, ROUTE_API, 0},
    {HTTP_DELETE, "/api/v1/communities/{id}/pins/{post_id}", groups_api_unpin, ACCESS_GUEST,
     ROUTE_API, 0},
    {0, NULL, NULL, 0, 0, 0},
};
