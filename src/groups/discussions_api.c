/*
 * discussions_api.c - the forum's JSON API: a community's threads
 * (GET, POST /api/v1/communities/{id}/discussions), a thread with its
 * replies (GET, PATCH, DELETE /api/v1/discussions/{id}), replies (POST
 * /api/v1/discussions/{id}/replies, PATCH and DELETE
 * /api/v1/discussions/{id}/replies/{reply}), the best answer (POST
 * /api/v1/discussions/{id}/resolve) and following (POST and DELETE
 * /api/v1/discussions/{id}/subscription).
 *
 * A thread's object: id, community_id, title, body (Markdown as typed),
 * html (rendered), author {id, name}, created_ms, edited_ms (null until
 * edited), last_activity_ms, reply_count, sticky, locked, resolved,
 * best_reply_id (null), url; a reply's: id, discussion_id, author, body,
 * html, created_ms, edited_ms, best, url.  Request bodies are JSON
 * objects; unknown keys and wrong types are 400s naming the field; nothing
 * is saved unless everything is valid.  Whoever may not read the
 * community gets 404, as for a thread that does not exist.
 */
#include "discussions.h"
#include "../core/str.h"
#include "../db/db.h"
#include "../http/api.h"
#include "../web/i18n.h"
#include "../web/markdown.h"

#include <jansson.h>

/* A refused write: 400 naming the field, 403 with its reason, or the mapped error. */
static int reply_write_error(struct req *r, int rc, const char *field, const char *problem)
{
    if (rc == ERR_INVALID && problem)
        return api_reply_invalid(r, 400, field ? field : "body", i18n_text(r->lang, problem));
    if (rc == ERR_DENIED)
        return http_reply_error(
            r, 403, "forbidden",
            i18n_text(r->lang, problem ? problem : N_("Vous n'avez pas accès à cette action.")));
    return http_reply_err(r, rc);
}

static json_t *author_json(const struct discussion_author *who)
{
    return json_pack("{s:I,s:s}", "id", (json_int_t)who->id, "name", who->name);
}

static json_t *html_json(struct arena *a, const char *markdown)
{
    struct safe_html html = markdown_render(a, markdown);

    return json_stringn(html.html, html.len);
}

/* A thread; with_body false for lists, which carry titles only. */
static json_t *discussion_json(struct req *r, const struct discussion *d, bool with_body)
{
    json_t *o = json_object();

    json_object_set_new(o, "id", json_integer(d->id));
    json_object_set_new(o, "community_id", json_integer(d->community_id));
    json_object_set_new(o, "title", json_string(d->title));
    if (with_body) {
        json_object_set_new(o, "body", json_string(d->body));
        json_object_set_new(o, "html", html_json(r->a, d->body));
    }
    json_object_set_new(o, "author", author_json(&d->author));
    json_object_set_new(o, "created_ms", json_integer(d->created_ms));
    json_object_set_new(o, "edited_ms", d->edited_ms ? json_integer(d->edited_ms) : json_null());
    json_object_set_new(o, "last_activity_ms", json_integer(d->last_activity_ms));
    json_object_set_new(o, "reply_count", json_integer(d->reply_count));
    json_object_set_new(o, "sticky", json_boolean(d->is_sticky));
    json_object_set_new(o, "locked", json_boolean(d->is_locked));
    json_object_set_new(o, "resolved", json_boolean(d->best_reply_id > 0));
    json_object_set_new(o, "best_reply_id",
                        d->best_reply_id ? json_integer(d->best_reply_id) : json_null());
    json_object_set_new(o, "url",
                        json_string(arena_printf(r->a, "/discussions/%lld", (long long)d->id)));
    return o;
}

static json_t *reply_json(struct req *r, const struct discussion *d,
                          const struct discussion_reply *x)
{
    json_t *o = json_object();

    json_object_set_new(o, "id", json_integer(x->id));
    json_object_set_new(o, "discussion_id", json_integer(x->discussion_id));
    json_object_set_new(o, "author", author_json(&x->author));
    json_object_set_new(o, "body", json_string(x->body));
    json_object_set_new(o, "html", html_json(r->a, x->body));
    json_object_set_new(o, "created_ms", json_integer(x->created_ms));
    json_object_set_new(o, "edited_ms", x->edited_ms ? json_integer(x->edited_ms) : json_null());
    json_object_set_new(o, "best", json_boolean(x->id == d->best_reply_id));
    json_object_set_new(o, "url",
                        json_string(arena_printf(r->a, "/discussions/%lld#reply-%lld",
                                                 (long long)d->id, (long long)x->id)));
    return o;
}

/* ---- a community's threads ----------------------------------------------------------- */

/* The community of the route, readable by the viewer; 0 or the reply made (404). */
static int readable_community(struct req *r, struct community *c, bool *replied)
{
    int rc = groups_access(r->db, r->a, &r->viewer, http_param_id(r, "id"), c);

    if (rc == 0 && !c->can_read)
        rc = ERR_NOTFOUND;
    *replied = rc < 0;
    return rc < 0 ? http_reply_err(r, rc) : 0;
}

int discussions_api_list(struct req *r)
{
    struct community c;
    struct discussion_cursor before, next;
    struct discussion *items;
    size_t len = 0, limit;
    bool replied;
    json_t *list;
    int rc = readable_community(r, &c, &replied);

    if (replied)
        return rc;
    if (!discussions_cursor_parse(http_query(r, "cursor"), &before))
        return api_reply_invalid(r, 400, "cursor", _(r, "Le curseur est invalide."));
    if (!api_limit(r, GROUPS_PAGE, DISCUSSIONS_PAGE_MAX, &limit))
        return 0;
    if ((rc = discussions_list(r->db, r->a, &r->viewer, &c, &before, limit, &items, &len, &next)) <
        0)
        return http_reply_err(r, rc);
    list = json_array();
    for (size_t i = 0; i < len; i++)
        json_array_append_new(list, discussion_json(r, &items[i], false));
    return http_reply_json(
        r, 200,
        json_pack("{s:o,s:o}", "items", list, "next",
                  next.id ? json_string(discussions_cursor_text(r->a, &next)) : json_null()));
}

/* The thread of the route with the first page of its replies (after ?after=). */
static int reply_thread(struct req *r, int status, int64_t id)
{
    struct discussion d;
    struct community c;
    struct discussion_reply *replies;
    size_t len = 0;
    int64_t after = 0, next = 0;
    const char *after_text = http_query(r, "after");
    json_t *o, *list;
    int rc;

    if (after_text && *after_text && (!str_to_i64(after_text, &after) || after < 0))
        return api_reply_invalid(r, 400, "after", _(r, "Le curseur est invalide."));
    rc = discussions_load(r->db, r->a, &r->viewer, id, &d, &c);
    if (rc == 0)
        rc = discussions_replies(r->db, r->a, &r->viewer, &d, after, DISCUSSIONS_REPLY_PAGE,
                                 &replies, &len, &next);
    if (rc < 0)
        return http_reply_err(r, rc);
    o = discussion_json(r, &d, true);
    list = json_array();
    for (size_t i = 0; i < len; i++)
        json_array_append_new(list, reply_json(r, &d, &replies[i]));
    json_object_set_new(o, "replies", list);
    json_object_set_new(o, "replies_next",
                        next ? json_string(arena_printf(r->a, "%lld", (long long)next))
                             : json_null());
    json_object_set_new(o, "subscribed",
                        json_boolean(discussions_is_subscribed(r->db, r->viewer.id, d.id)));
    return http_reply_json(r, status, o);
}

int discussions_api_create(struct req *r)
{
    static const char *const keys[] = {"title", "body", NULL};
    const char *title = NULL, *text = NULL, *field = NULL, *problem = NULL;
    struct community c;
    int64_t id = 0;
    bool replied;
    json_t *body;
    int rc = readable_community(r, &c, &replied);

    if (replied)
        return rc;
    if (!(body = api_body_object(r, keys)))
        return 0;
    if (!api_text(r, body, "title", &title) || !api_text(r, body, "body", &text)) {
        json_decref(body);
        return 0;
    }
    json_decref(body);
    rc = discussions_create(r->db, r->a, &r->viewer, &c, title ? title : "", text ? text : "", &id,
                            &field, &problem);
    if (rc < 0)
        return reply_write_error(r, rc, field, problem);
    return reply_thread(r, 201, id);
}

int discussions_api_show(struct req *r)
{
    return reply_thread(r, 200, http_param_id(r, "id"));
}

/*
 * PATCH: "title" and "body" (the author), "sticky" and "locked" (the
 * animators).  Every right and value is checked before anything is saved.
 */
int discussions_api_update(struct req *r)
{
    static const char *const keys[] = {"title", "body", "sticky", "locked", NULL};
    const char *title = NULL, *text = NULL, *field = NULL, *problem = NULL;
    bool has_sticky = false, sticky = false, has_locked = false, locked = false;
    struct discussion d;
    struct community c;
    bool replied, ok;
    json_t *body;
    int rc = discussions_route_load(r, &d, &c, &replied);

    if (replied)
        return rc;
    if (!(body = api_body_object(r, keys)))
        return 0;
    ok = api_text(r, body, "title", &title) && api_text(r, body, "body", &text) &&
         api_flag(r, body, "sticky", &has_sticky, &sticky) &&
         api_flag(r, body, "locked", &has_locked, &locked);
    json_decref(body);
    if (!ok)
        return 0;
    if ((title || text) && !discussions_may_edit(&r->viewer, &c, d.author.id))
        return reply_write_error(r, ERR_DENIED, NULL,
                                 c.can_write ? N_("Seul l'auteur peut modifier cette discussion.")
                                             : discussions_denied_reason(&c));
    if ((has_sticky || has_locked) && !c.can_manage)
        return reply_write_error(
            r, ERR_DENIED, NULL,
            c.archived_ms ? discussions_denied_reason(&c)
                          : N_("Seuls les animateurs de la communauté peuvent le faire."));
    if ((rc = discussions_check(title, text, &field, &problem)) < 0)
        return reply_write_error(r, rc, field, problem);
    if ((rc = db_tx_begin(r->db)) < 0)
        return http_reply_err(r, rc);
    if (title || text)
        rc = discussions_edit(r->db, r->a, &r->viewer, &c, &d, title, text, &field, &problem);
    if (rc == 0 && has_sticky)
        rc = discussions_set_sticky(r->db, &c, &d, sticky, &problem);
    if (rc == 0 && has_locked)
        rc = discussions_set_locked(r->db, &c, &d, locked, &problem);
    if (rc < 0) {
        db_tx_rollback(r->db);
        return reply_write_error(r, rc, field, problem);
    }
    if ((rc = db_tx_commit(r->db)) < 0)
        return http_reply_err(r, rc);
    return reply_thread(r, 200, d.id);
}

int discussions_api_delete(struct req *r)
{
    const char *problem = NULL;
    struct discussion d;
    struct community c;
    bool replied;
    int rc = discussions_route_load(r, &d, &c, &replied);

    if (replied)
        return rc;
    if ((rc = discussions_delete(r->db, &r->viewer, &c, &d, &problem)) < 0)
        return reply_write_error(r, rc, NULL, problem);
    return http_reply_no_content(r);
}

/* ---- replies --------------------------------------------------------------------------- */

/* Reply id of d as JSON with status. */
static int reply_reply(struct req *r, int status, int64_t discussion_id, int64_t id)
{
    struct discussion d;
    struct community c;
    struct discussion_reply x;
    int rc = discussions_load(r->db, r->a, &r->viewer, discussion_id, &d, &c);

    if (rc == 0)
        rc = discussions_reply_load(r->db, r->a, &r->viewer, &d, id, &x);
    return rc < 0 ? http_reply_err(r, rc) : http_reply_json(r, status, reply_json(r, &d, &x));
}

/* The "body" of a reply's request; false after replying. */
static bool reply_body(struct req *r, const char **text)
{
    static const char *const keys[] = {"body", NULL};
    json_t *body = api_body_object(r, keys);
    bool ok;

    if (!body)
        return false;
    ok = api_text(r, body, "body", text);
    json_decref(body);
    return ok;
}

int discussions_api_reply(struct req *r)
{
    const char *text = NULL, *problem = NULL;
    struct discussion d;
    struct community c;
    int64_t id = 0;
    bool replied;
    int rc = discussions_route_load(r, &d, &c, &replied);

    if (replied)
        return rc;
    if (!reply_body(r, &text))
        return 0;
    rc = discussions_reply_create(r->db, r->a, &r->viewer, &c, &d, text ? text : "", &id, &problem);
    if (rc < 0)
        return reply_write_error(r, rc, "body", problem);
    return reply_reply(r, 201, d.id, id);
}

int discussions_api_reply_update(struct req *r)
{
    const char *text = NULL, *problem = NULL;
    struct discussion d;
    struct community c;
    int64_t id = http_param_id(r, "reply");
    bool replied;
    int rc = discussions_route_load(r, &d, &c, &replied);

    if (replied)
        return rc;
    if (!reply_body(r, &text))
        return 0;
    rc = discussions_reply_edit(r->db, r->a, &r->viewer, &c, &d, id, text ? text : "", &problem);
    if (rc < 0)
        return reply_write_error(r, rc, "body", problem);
    return reply_reply(r, 200, d.id, id);
}

int discussions_api_reply_delete(struct req *r)
{
    const char *problem = NULL;
    struct discussion d;
    struct community c;
    bool replied;
    int rc = discussions_route_load(r, &d, &c, &replied);

    if (replied)
        return rc;
    rc = discussions_reply_delete(r->db, r->a, &r->viewer, &c, &d, http_param_id(r, "reply"),
                                  &problem);
    if (rc < 0)
        return reply_write_error(r, rc, NULL, problem);
    return http_reply_no_content(r);
}

/* ---- best answer, following ------------------------------------------------------------- */

/* {"reply_id": N} marks reply N as the best answer; {"reply_id": null} unmarks it. */
int discussions_api_resolve(struct req *r)
{
    static const char *const keys[] = {"reply_id", NULL};
    const char *problem = NULL;
    struct discussion d;
    struct community c;
    int64_t reply_id = 0;
    bool replied;
    json_t *body, *value;
    int rc = discussions_route_load(r, &d, &c, &replied);

    if (replied)
        return rc;
    if (!(body = api_body_object(r, keys)))
        return 0;
    value = json_object_get(body, "reply_id");
    if (!value ||
        (!json_is_null(value) && (!json_is_integer(value) || json_integer_value(value) <= 0))) {
        json_decref(body);
        return api_reply_invalid(r, 400, "reply_id",
                                 _(r, "L'identifiant d'une réponse (ou null) est attendu."));
    }
    reply_id = json_is_null(value) ? 0 : json_integer_value(value);
    json_decref(body);
    rc = discussions_resolve(r->db, &r->viewer, &c, &d, reply_id, &problem);
    if (rc == ERR_NOTFOUND)
        return api_reply_invalid(r, 400, "reply_id",
                                 _(r, "Cette réponse n'appartient pas à la discussion."));
    if (rc < 0)
        return reply_write_error(r, rc, NULL, problem);
    return reply_thread(r, 200, d.id);
}

static int subscription(struct req *r, bool on)
{
    const char *problem = NULL;
    struct discussion d;
    struct community c;
    bool replied;
    int rc = discussions_route_load(r, &d, &c, &replied);

    if (replied)
        return rc;
    if ((rc = discussions_subscribe(r->db, &r->viewer, &c, &d, on, &problem)) < 0)
        return reply_write_error(r, rc, NULL, problem);
    return http_reply_json(r, 200, json_pack("{s:b}", "subscribed", on));
}

int discussions_api_subscribe(struct req *r)
{
    return subscription(r, true);
}

int discussions_api_unsubscribe(struct req *r)
{
    return subscription(r, false);
}
