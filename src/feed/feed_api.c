/*
 * feed_api.c - the feed's JSON API: GET /api/v1/feed, POST /api/v1/posts,
 * GET / PATCH / DELETE /api/v1/posts/{id}, GET and POST
 * /api/v1/posts/{id}/comments, POST and DELETE /api/v1/posts/{id}/reactions.
 *
 * A post's object: id, body (Markdown as typed), html (rendered), author
 * {id, name}, community_id (null on a profile), created_ms, edited_ms
 * (null until edited), pinned, comment_count, reactions {kind: count},
 * my_reaction, tags, link (the preview once fetched), attachments, url.
 * Request bodies are JSON objects; unknown keys and wrong types are 400s
 * naming the field; nothing is saved unless everything is valid.
 */
#include "feed.h"
#include "../db/db.h"
#include "../http/api.h"
#include "../web/html.h"
#include "../web/i18n.h"

#include <jansson.h>

static json_t *tags_json(struct req *r, int64_t post_id)
{
    json_t *tags = json_array();
    struct stmt *q =
        db_query(r->db, "SELECT tag FROM post_tag WHERE post_id = ? ORDER BY tag", DB_I64(post_id));

    while (db_row(q))
        json_array_append_new(tags, json_string(db_text(q, 0)));
    db_end(q);
    return tags;
}

static json_t *post_json(struct req *r, const struct feed_post *p)
{
    struct feed_mention *mentions = NULL;
    size_t mentions_len = 0;
    json_t *o = json_object(), *reactions = json_object(), *files = json_array();
    struct safe_html html;

    if (strchr(p->body, '@'))
        feed_mentions_load(r->db, r->a, p->id, &mentions, &mentions_len);
    html = feed_render(r->a, p->body, mentions, mentions_len);
    for (int k = 0; k < FEED_REACTION_COUNT; k++)
        json_object_set_new(reactions, feed_reaction_name((enum feed_reaction)k),
                            json_integer(p->reaction_counts[k]));
    for (size_t i = 0; i < p->attachments_len; i++) {
        const struct feed_attachment *f = &p->attachments[i];
        json_array_append_new(
            files,
            json_pack("{s:s,s:s,s:I,s:b,s:s}", "name", f->name, "mime", f->mime, "size",
                      (json_int_t)f->size, "is_image", f->is_image, "url",
                      arena_printf(r->a, "/posts/%lld/files/%d", (long long)p->id, f->position)));
    }
    json_object_set_new(o, "id", json_integer(p->id));
    json_object_set_new(o, "body", json_string(p->body));
    json_object_set_new(o, "html", json_stringn(html.html, html.len));
    json_object_set_new(
        o, "author",
        json_pack("{s:I,s:s}", "id", (json_int_t)p->author.id, "name", p->author.name));
    json_object_set_new(o, "community_id",
                        p->community_id ? json_integer(p->community_id) : json_null());
    json_object_set_new(o, "created_ms", json_integer(p->created_ms));
    json_object_set_new(o, "edited_ms", p->edited_ms ? json_integer(p->edited_ms) : json_null());
    /* Pinned as the post's page shows it: by its community's animators, or site-wide. */
    json_object_set_new(
        o, "pinned", json_boolean(p->community_id ? p->community_pinned_ms > 0 : p->pinned_ms > 0));
    json_object_set_new(o, "comment_count", json_integer(p->comment_count));
    json_object_set_new(o, "reactions", reactions);
    json_object_set_new(o, "my_reaction",
                        p->my_reaction == FEED_REACTION_NONE
                            ? json_null()
                            : json_string(feed_reaction_name(p->my_reaction)));
    /* Only a body with a '#' can hold a tag: spare the others a query. */
    json_object_set_new(o, "tags", strchr(p->body, '#') ? tags_json(r, p->id) : json_array());
    if (strcmp(p->preview.status, "ok") == 0 && *p->preview.title)
        json_object_set_new(o, "link",
                            json_pack("{s:s,s:s,s:s,s:s}", "url", p->preview.url, "title",
                                      p->preview.title, "description", p->preview.description,
                                      "site_name", p->preview.site_name));
    else
        json_object_set_new(o, "link", json_null());
    json_object_set_new(o, "attachments", files);
    json_object_set_new(o, "url", json_string(arena_printf(r->a, "/posts/%lld", (long long)p->id)));
    return o;
}

static int api_list(struct req *r)
{
    struct feed_query fq = {.kind = FEED_HOME};
    struct feed_post *items;
    size_t len = 0;
    int64_t next = 0;
    json_t *list;
    int rc;

    if (!api_cursor(r, &fq.before_id) || !api_limit(r, FEED_PAGE, FEED_PAGE_MAX, &fq.limit))
        return 0;
    if ((rc = feed_list(r->db, r->a, &r->viewer, &fq, &items, &len, &next)) < 0)
        return http_reply_err(r, rc);
    list = json_array();
    for (size_t i = 0; i < len; i++)
        json_array_append_new(list, post_json(r, &items[i]));
    return http_reply_json(r, 200,
                           json_pack("{s:o,s:o}", "items", list, "next", api_next(r, next)));
}

/* The outcome of a write: 400/413 naming "body" with the reason, or the mapped error. */
static int reply_write_error(struct req *r, int rc, const char *problem)
{
    if ((rc == ERR_INVALID || rc == ERR_TOOBIG) && problem)
        return api_reply_invalid(r, rc == ERR_TOOBIG ? 413 : 400, "body",
                                 i18n_text(r->lang, problem));
    if (rc == ERR_DENIED && problem)
        return http_reply_error(r, 403, "forbidden", i18n_text(r->lang, problem));
    return http_reply_err(r, rc);
}

static int reply_post(struct req *r, int status, int64_t id)
{
    struct feed_post p;
    int rc = feed_post_load(r->db, r->a, &r->viewer, id, &p);

    return rc < 0 ? http_reply_err(r, rc) : http_reply_json(r, status, post_json(r, &p));
}

static int api_create(struct req *r)
{
    static const char *const keys[] = {"body", "community_id", NULL};
    json_t *body = api_body_object(r, keys);
    struct feed_new_post p = {0};
    const char *problem = NULL;
    int64_t id = 0;
    bool ok;
    int rc;

    if (!body)
        return 0;
    ok = api_text(r, body, "body", &p.body) && api_id(r, body, "community_id", &p.community_id);
    json_decref(body);
    if (!ok)
        return 0;
    if (!p.body)
        p.body = "";
    rc = feed_post_create(r->db, r->a, &r->viewer, &p, &id, &problem);
    return rc < 0 ? reply_write_error(r, rc, problem) : reply_post(r, 201, id);
}

static int api_show(struct req *r)
{
    return reply_post(r, 200, http_param_id(r, "id"));
}

static int api_update(struct req *r)
{
    static const char *const keys[] = {"body", NULL};
    int64_t id = http_param_id(r, "id");
    json_t *body = api_body_object(r, keys);
    const char *text = NULL, *problem = NULL;
    bool ok;
    int rc;

    if (!body)
        return 0;
    ok = api_text(r, body, "body", &text);
    json_decref(body);
    if (!ok)
        return 0;
    rc = text ? feed_post_edit(r->db, r->a, &r->viewer, id, text, &problem) : 0;
    return rc < 0 ? reply_write_error(r, rc, problem) : reply_post(r, 200, id);
}

static int api_delete(struct req *r)
{
    int rc = feed_post_delete(r->db, r->a, &r->viewer, http_param_id(r, "id"));

    return rc < 0 ? http_reply_err(r, rc) : http_reply_no_content(r);
}

static json_t *comment_json(struct req *r, const struct feed_comment *c)
{
    struct feed_mention *mentions = NULL;
    size_t len = 0;
    struct safe_html html;

    if (strchr(c->body, '@'))
        feed_mentions_load(r->db, r->a, c->post_id, &mentions, &len);
    html = feed_render(r->a, c->body, mentions, len);
    return json_pack("{s:I,s:I,s:o,s:{s:I,s:s},s:s,s:s%,s:I,s:o}", "id", (json_int_t)c->id,
                     "post_id", (json_int_t)c->post_id, "parent_id",
                     c->parent_id ? json_integer(c->parent_id) : json_null(), "author", "id",
                     (json_int_t)c->author.id, "name", c->author.name, "body", c->body, "html",
                     html.html, html.len, "created_ms", (json_int_t)c->created_ms, "edited_ms",
                     c->edited_ms ? json_integer(c->edited_ms) : json_null());
}

static int api_comments(struct req *r)
{
    int64_t id = http_param_id(r, "id");
    struct feed_post p;
    struct feed_comment *items;
    size_t len = 0;
    json_t *list;
    int rc = feed_post_load(r->db, r->a, &r->viewer, id, &p);

    if (rc == 0)
        rc = feed_comments(r->db, r->a, id, &items, &len);
    if (rc < 0)
        return http_reply_err(r, rc);
    list = json_array();
    for (size_t i = 0; i < len; i++)
        json_array_append_new(list, comment_json(r, &items[i]));
    return http_reply_json(r, 200, json_pack("{s:o}", "items", list));
}

static int api_comment(struct req *r)
{
    static const char *const keys[] = {"body", "parent_id", NULL};
    int64_t post_id = http_param_id(r, "id"), parent = 0, id = 0;
    json_t *body = api_body_object(r, keys);
    struct feed_comment *items;
    const char *text = NULL, *problem = NULL;
    size_t len = 0;
    bool ok;
    int rc;

    if (!body)
        return 0;
    ok = api_text(r, body, "body", &text) && api_id(r, body, "parent_id", &parent);
    json_decref(body);
    if (!ok)
        return 0;
    rc = feed_comment_create(r->db, r->a, &r->viewer, post_id, parent, text ? text : "", &id,
                             &problem);
    if (rc < 0)
        return rc == ERR_NOTFOUND && parent
                   ? api_reply_invalid(r, 400, "parent_id", _(r, "Ce commentaire n'existe pas."))
                   : reply_write_error(r, rc, problem);
    if ((rc = feed_comments(r->db, r->a, post_id, &items, &len)) < 0)
        return http_reply_err(r, rc);
    for (size_t i = 0; i < len; i++)
        if (items[i].id == id)
            return http_reply_json(r, 201, comment_json(r, &items[i]));
    return http_reply_err(r, ERR_NOTFOUND);
}

static int api_react(struct req *r)
{
    static const char *const keys[] = {"kind", NULL};
    int64_t id = http_param_id(r, "id");
    json_t *body = api_body_object(r, keys);
    const char *kind = NULL;
    enum feed_reaction k;
    bool ok;
    int rc;

    if (!body)
        return 0;
    ok = api_text(r, body, "kind", &kind);
    json_decref(body);
    if (!ok)
        return 0;
    k = feed_reaction_parse(kind ? kind : "like");
    if (k == FEED_REACTION_NONE)
        return api_reply_invalid(r, 400, "kind",
                                 _(r, "Réactions possibles : like, bravo, idea, thanks, support."));
    rc = feed_react(r->db, r->a, &r->viewer, id, k);
    return rc < 0 ? http_reply_err(r, rc) : reply_post(r, 200, id);
}

static int api_unreact(struct req *r)
{
    int rc = feed_react(r->db, r->a, &r->viewer, http_param_id(r, "id"), FEED_REACTION_NONE);

    return rc < 0 ? http_reply_err(r, rc) : http_reply_no_content(r);
}

const struct route feed_api_routes[] = {
    {HTTP_GET, "/api/v1/feed", api_list, ACCESS_GUEST, ROUTE_API, 0},
    {HTTP_POST, "/api/v1/posts", api_create, ACCESS_GUEST, ROUTE_API, 0},
    {HTTP_GET, "/api/v1/posts/{id}", api_show, ACCESS_GUEST, ROUTE_API, 0},
    {HTTP_PATCH, "/api/v1/posts/{id}", api_update, ACCESS_GUEST, ROUTE_API, 0},
    {HTTP_DELETE, "/api/v1/posts/{id}", api_delete, ACCESS_GUEST, ROUTE_API, 0},
    {HTTP_GET, "/api/v1/posts/{id}/comments", api_comments, ACCESS_GUEST, ROUTE_API, 0},
    {HTTP_POST, "/api/v1/posts/{id}/comments", api_comment, ACCESS_GUEST, ROUTE_API, 0},
    {HTTP_POST, "/api/v1/posts/{id}/reactions", api_react, ACCESS_GUEST, ROUTE_API, 0},
    {HTTP_DELETE, "/api/v1/posts/{id}/reactions", api_unreact, ACCESS_GUEST, ROUTE_API, 0},
    {0, NULL, NULL, 0, 0, 0},
};
