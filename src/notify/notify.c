/*
 * notify.c - storing notifications, counting the unread ones and the page
 * that lists them (/notifications).
 *
 * A notification is about a post, about a discussion of a community
 * (post_id NULL, discussion_id set), or about a community itself (only
 * community_id set: an invitation, a request to join, an approval).  It is
 * shown and counted only while its member may read that post
 * (FEED_VISIBLE_SQL) or that discussion's community
 * (DISCUSSIONS_VISIBLE_SQL), so a post or thread deleted or moved out of
 * reach, or a member removed from a community, takes its notifications
 * with it.  A community's notifications follow groups_access(): an
 * invitation while it stands, a request while it waits and the member
 * still animates the community, an approval while the member may know the
 * community (GROUPS_*_SQL in groups/groups.h).
 */
#include "notify.h"
#include "../db/db.h"
#include "../feed/feed.h"
#include "../groups/discussions.h"
#include "../groups/groups.h"
#include "../live/live.h"
#include "../web/i18n.h"
#include "../web/layout.h"

/*
 * A notification about a community itself holds by kind: an invitation
 * while it stands, a request while it waits and the member animates the
 * community, an approval while the member may know the community.
 * Argument: GROUPS_KNOWN_SQL's (whether the member is a guest).
 */
#define INVITATION_HOLDS_SQL GROUPS_INVITED_SQL("n.community_id", "n.account_id")
#define REQUEST_HOLDS_SQL GROUPS_REQUEST_PENDING_SQL("n.community_id", "n.actor_id", "n.account_id")
#define APPROVAL_HOLDS_SQL GROUPS_KNOWN_SQL("n.community_id", "n.account_id")
#define COMMUNITY_HOLDS_SQL                                                                        \
    "(CASE n.kind WHEN '" NOTIFY_INVITATION "' THEN " INVITATION_HOLDS_SQL                         \
    " WHEN '" NOTIFY_REQUEST "' THEN " REQUEST_HOLDS_SQL " ELSE " APPROVAL_HOLDS_SQL " END)"

/*
 * The subject of notification n (alias n, with post p and discussion d
 * left-joined) is readable by the viewer.  Arguments: VISIBLE_ARGS(v).
 */
#define VISIBLE_SQL                                                                                \
    "((n.post_id IS NOT NULL AND " FEED_VISIBLE_SQL                                                \
    ") OR (n.discussion_id IS NOT NULL AND " DISCUSSIONS_VISIBLE_SQL                               \
    ") OR (n.community_id IS NOT NULL AND n.post_id IS NULL AND n.discussion_id IS NULL "          \
    "AND " COMMUNITY_HOLDS_SQL "))"
#define VISIBLE_ARGS(v)                                                                            \
    FEED_VISIBLE_ARGS(v), DISCUSSIONS_VISIBLE_ARGS(v), DB_BOOL((v)->role == ROLE_GUEST)

int notify_unread_count(struct db *db, const struct viewer *v, int64_t *count)
{
    return db_get_i64(db, count,
                      "SELECT count(*) FROM notification n LEFT JOIN post p ON p.id = n.post_id"
                      " LEFT JOIN discussion d ON d.id = n.discussion_id"
                      " WHERE n.account_id = ? AND n.read_ms = 0 AND " VISIBLE_SQL,
                      DB_I64(v->id), VISIBLE_ARGS(v));
}

/* Send member_id's unread count to their open pages. */
static int publish_count(struct db *db, int64_t member_id)
{
    struct viewer v = {.id = member_id};
    struct arena a;
    char *role = NULL;
    int64_t count = 0;
    int rc;

    arena_init(&a);
    rc = db_get_text(db, &a, &role, "SELECT role FROM account WHERE id = ?", DB_I64(member_id));
    if (rc == 0) {
        v.role = strcmp(role, "guest") == 0 ? ROLE_GUEST : ROLE_MEMBER;
        rc = notify_unread_count(db, &v, &count);
    }
    if (rc == 0)
        rc = live_publish(db, "notifications.unread", member_id,
                          arena_printf(&a, "{\"count\":%lld}", (long long)count));
    arena_clear(&a);
    return rc;
}

int notify_add(struct db *db, int64_t account_id, const char *kind, int64_t actor_id,
               int64_t post_id, int64_t comment_id)
{
    int rc = db_exec(db,
                     "INSERT INTO notification(account_id, kind, actor_id, post_id, comment_id,"
                     " created_ms) VALUES (?, ?, ?, ?, ?, ?)",
                     DB_I64(account_id), DB_TEXT(kind), DB_I64(actor_id), DB_I64(post_id),
                     comment_id ? DB_I64(comment_id) : DB_NULL, DB_I64(time_now_ms()));

    return rc < 0 ? rc : publish_count(db, account_id);
}

int notify_add_discussion(struct db *db, int64_t account_id, const char *kind, int64_t actor_id,
                          int64_t discussion_id)
{
    int rc = db_exec(db,
                     "INSERT INTO notification(account_id, kind, actor_id, discussion_id,"
                     " created_ms) VALUES (?, ?, ?, ?, ?)",
                     DB_I64(account_id), DB_TEXT(kind), DB_I64(actor_id), DB_I64(discussion_id),
                     DB_I64(time_now_ms()));

    return rc < 0 ? rc : publish_count(db, account_id);
}

int notify_add_community(struct db *db, int64_t account_id, const char *kind, int64_t actor_id,
                         int64_t community_id)
{
    /*
     * A new one replaces the earlier one about the same thing (an invitation, an approval; a
     * request of the same member): declined then renewed, refused then made again, it would
     * otherwise show twice once it stands again.
     */
    int rc = db_exec(db,
                     "DELETE FROM notification WHERE community_id = ? AND account_id = ?"
                     " AND kind = ? AND (kind <> '" NOTIFY_REQUEST "' OR actor_id = ?)",
                     DB_I64(community_id), DB_I64(account_id), DB_TEXT(kind), DB_I64(actor_id));

    if (rc == 0)
        rc = db_exec(db,
                     "INSERT INTO notification(account_id, kind, actor_id, community_id,"
                     " created_ms) VALUES (?, ?, ?, ?, ?)",
                     DB_I64(account_id), DB_TEXT(kind), DB_I64(actor_id), DB_I64(community_id),
                     DB_I64(time_now_ms()));
    return rc;
}

int notify_recount_community(struct db *db, int64_t community_id, int64_t account_id)
{
    struct arena a;
    size_t len = 0, cap = 16;
    int64_t *who;
    struct stmt *q;
    int rc;

    arena_init(&a);
    who = arena_array(&a, cap, sizeof(*who));
    if (account_id)
        who[len++] = account_id;
    q = db_query(db,
                 "SELECT DISTINCT account_id FROM notification"
                 " WHERE community_id = ? AND read_ms = 0 AND account_id <> ?"
                 " /*sort-ok: the few unread notifications about one community*/",
                 DB_I64(community_id), DB_I64(account_id));
    while (db_row(q)) {
        if (len == cap) {
            int64_t *bigger = arena_array(&a, cap * 2, sizeof(*bigger));
            memcpy(bigger, who, cap * sizeof(*bigger));
            who = bigger;
            cap *= 2;
        }
        who[len++] = db_i64(q, 0);
    }
    rc = db_end(q);
    for (size_t i = 0; rc == 0 && i < len; i++)
        rc = publish_count(db, who[i]);
    arena_clear(&a);
    return rc;
}

static const char *sentence(struct req *r, const char *kind)
{
    if (strcmp(kind, NOTIFY_MENTION) == 0)
        return _(r, "vous a mentionné dans une publication");
    if (strcmp(kind, NOTIFY_COMMENT) == 0)
        return _(r, "a commenté une publication que vous suivez");
    if (strcmp(kind, NOTIFY_REPLY) == 0)
        return _(r, "a répondu dans la discussion");
    if (strcmp(kind, NOTIFY_INVITATION) == 0)
        return _(r, "vous a invité à rejoindre la communauté");
    if (strcmp(kind, NOTIFY_REQUEST) == 0)
        return _(r, "demande à rejoindre la communauté");
    if (strcmp(kind, NOTIFY_APPROVAL) == 0)
        return _(r, "a accepté votre demande pour rejoindre la communauté");
    return _(r, "a réagi à votre publication");
}

static int page_list(struct req *r)
{
    struct html *h = page_begin(r, &(struct page){.title = _(r, "Notifications")});
    int64_t now = time_now_ms(), unread = 0;
    size_t shown = 0;
    int rc = notify_unread_count(r->db, &r->viewer, &unread);
    struct stmt *q;

    if (rc < 0)
        return http_reply_err(r, rc);
    html_fmt(h, "<h1>%s</h1>", _(r, "Notifications"));
    if (unread > 0) {
        html_form_begin(h, r, "/notifications/read");
        html_fmt(h, "<button type=\"submit\">%s</button></form>", _(r, "Tout marquer comme lu"));
    }
    html_fmt(h, "<ul class=\"notifications\">");
    q = db_query(r->db,
                 "SELECT n.kind, n.post_id, n.comment_id, n.created_ms, n.read_ms, a.id, a.name,"
                 " n.discussion_id, d.title, n.community_id, nc.name" /* 7 8 9 10 */
                 " FROM notification n LEFT JOIN post p ON p.id = n.post_id"
                 " LEFT JOIN discussion d ON d.id = n.discussion_id"
                 " LEFT JOIN community nc ON nc.id = n.community_id"
                 " JOIN account a ON a.id = n.actor_id"
                 " WHERE n.account_id = ? AND " VISIBLE_SQL " ORDER BY n.id DESC LIMIT ?",
                 DB_I64(r->viewer.id), VISIBLE_ARGS(&r->viewer), DB_I64(NOTIFY_PAGE));
    while (db_row(q)) {
        bool is_unread = db_i64(q, 4) == 0;
        html_fmt(h, "<li class=\"%s\"><a", is_unread ? "unread" : "read");
        html_href(h, "/people/%lld", (long long)db_i64(q, 5));
        html_fmt(h, ">%s</a> %s", db_text(q, 6), sentence(r, db_text(q, 0)));
        if (db_is_null(q, 1) && !db_is_null(q, 9)) {
            /* A request is answered from the members page; the rest lead to the community. */
            html_lit(h, " <a");
            if (strcmp(db_text(q, 0), NOTIFY_REQUEST) == 0)
                html_href(h, "/communities/%lld/members", (long long)db_i64(q, 9));
            else
                html_href(h, "/communities/%lld", (long long)db_i64(q, 9));
            html_fmt(h, ">%s</a>. <small>%s</small></li>", db_text(q, 10),
                     i18n_when(r->lang, r->a, db_i64(q, 3), now));
            shown++;
            continue;
        }
        if (db_is_null(q, 1)) {
            html_lit(h, " <a");
            html_href(h, "/discussions/%lld", (long long)db_i64(q, 7));
            html_fmt(h, ">%s</a>. <small>%s</small></li>", db_text(q, 8),
                     i18n_when(r->lang, r->a, db_i64(q, 3), now));
            shown++;
            continue;
        }
        html_lit(h, ". <a");
        if (db_is_null(q, 2))
            html_href(h, "/posts/%lld", (long long)db_i64(q, 1));
        else
            html_href(h, "/posts/%lld#comment-%lld", (long long)db_i64(q, 1),
                      (long long)db_i64(q, 2));
        html_fmt(h, ">%s</a> <small>%s</small></li>", _(r, "Voir"),
                 i18n_when(r->lang, r->a, db_i64(q, 3), now));
        shown++;
    }
    if ((rc = db_end(q)) < 0)
        return http_reply_err(r, rc);
    html_fmt(h, "</ul>");
    if (shown == 0)
        html_fmt(h, "<p class=\"empty\">%s</p>", _(r, "Rien de nouveau pour l'instant."));
    return page_end(r);
}

static int form_read(struct req *r)
{
    int rc =
        db_exec(r->db, "UPDATE notification SET read_ms = ? WHERE account_id = ? AND read_ms = 0",
                DB_I64(time_now_ms()), DB_I64(r->viewer.id));

    if (rc == 0)
        rc = publish_count(r->db, r->viewer.id);
    return rc < 0 ? http_reply_err(r, rc) : http_reply_redirect(r, "/notifications");
}

const struct route notify_routes[] = {
    {HTTP_GET, "/notifications", page_list, ACCESS_GUEST, 0, 0},
    {HTTP_POST, "/notifications/read", form_read, ACCESS_GUEST, 0, 0},
    {0, NULL, NULL, 0, 0, 0},
};
