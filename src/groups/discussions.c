/*
 * discussions.c - the forum of a community: threads, replies, sticky and
 * locked threads, best answers, subscriptions, and their SQL.
 *
 * The only file that touches the discussion, discussion_reply and
 * discussion_subscription tables.  Rights are decided from the community
 * as groups_access() loaded it for the viewer (struct community), so the
 * handlers load the thread and its community first (discussions_load) and
 * every write function checks its right again before writing.
 *
 * discussion.reply_count and last_activity_ms follow the replies in the
 * same transaction.  A reply notifies the thread's other subscribers who
 * may still read the community (kind 'reply', notify_add_discussion());
 * nothing else is published.
 *
 * The list of a community's threads is ordered by (last_activity_ms, id),
 * newest first, served by the index discussion_community(community_id,
 * sticky, last_activity_ms) whose rowid is the id; sticky threads come
 * above the first page only.
 *
 * State: none.
 */
#include "discussions.h"
#include "../core/str.h"
#include "../db/db.h"
#include "../notify/notify.h"
#include "../people/people.h"
#include "../web/i18n.h"

#define DISCUSSION_COLUMNS(body)                                                                   \
    "d.id, d.community_id, d.author_id, a.name, COALESCE(pr.photo_64, '')," /* 0-4 */              \
    " COALESCE(pr.photo_visibility, 'everyone'), d.title, " body ","        /* 5-7 */              \
    " d.created_ms, d.edited_ms, d.last_activity_ms, d.reply_count,"        /* 8-11 */             \
    " d.sticky, d.locked, COALESCE(d.resolved_reply_id, 0)"                 /* 12-14 */

#define AUTHOR_JOINS                                                                               \
    " JOIN account a ON a.id = d.author_id LEFT JOIN profile pr ON pr.account_id = d.author_id"

bool discussions_cursor_parse(const char *s, struct discussion_cursor *out)
{
    const char *dash = s ? strchr(s, '-') : NULL;
    char ms[24];

    *out = (struct discussion_cursor){0};
    if (!s || !*s)
        return true;
    if (!dash || dash == s || (size_t)(dash - s) >= sizeof(ms))
        return false;
    memcpy(ms, s, (size_t)(dash - s));
    ms[dash - s] = '\0';
    if (!str_to_i64(ms, &out->ms) || !str_to_i64(dash + 1, &out->id) || out->ms <= 0 ||
        out->id <= 0) {
        *out = (struct discussion_cursor){0};
        return false;
    }
    return true;
}

const char *discussions_cursor_text(struct arena *a, const struct discussion_cursor *c)
{
    return arena_printf(a, "%lld-%lld", (long long)c->ms, (long long)c->id);
}

/* The author's photo as v may see it: columns photo_col (hash) and photo_col + 1 (visibility). */
static const char *author_photo(struct db *db, struct arena *a, const struct viewer *v,
                                struct stmt *q, int64_t author_id, int photo_col)
{
    const char *photo = db_text(q, photo_col);
    enum people_visibility vis = PEOPLE_VIS_EVERYONE;
    bool shares = false;

    if (!*photo)
        return "";
    people_visibility_parse(db_text(q, photo_col + 1), &vis);
    /* Only the 'communities' rule needs to know whether they share a community: one query. */
    if (vis == PEOPLE_VIS_COMMUNITIES && v->id != author_id)
        shares = people_share_community(db, v->id, author_id);
    return people_field_visible(v, author_id, vis, shares) ? arena_strdup(a, photo) : "";
}

static void read_discussion(struct db *db, struct arena *a, const struct viewer *v, struct stmt *q,
                            struct discussion *d)
{
    *d = (struct discussion){
        .id = db_i64(q, 0),
        .community_id = db_i64(q, 1),
        .author = {.id = db_i64(q, 2), .name = arena_strdup(a, db_text(q, 3))},
        .title = arena_strdup(a, db_text(q, 6)),
        .body = arena_strdup(a, db_text(q, 7)),
        .created_ms = db_i64(q, 8),
        .edited_ms = db_i64(q, 9),
        .last_activity_ms = db_i64(q, 10),
        .reply_count = db_i64(q, 11),
        .is_sticky = db_i64(q, 12) != 0,
        .is_locked = db_i64(q, 13) != 0,
        .best_reply_id = db_i64(q, 14),
    };
    d->author.photo = author_photo(db, a, v, q, d->author.id, 4);
}

int discussions_load(struct db *db, struct arena *a, const struct viewer *v, int64_t id,
                     struct discussion *out, struct community *c)
{
    struct stmt *q;
    int rc = ERR_NOTFOUND;

    memset(out, 0, sizeof(*out));
    memset(c, 0, sizeof(*c));
    if (id <= 0 || v->id == 0)
        return ERR_NOTFOUND;
    q = db_query(db,
                 "SELECT " DISCUSSION_COLUMNS("d.body") " FROM discussion d" AUTHOR_JOINS
                                                        " WHERE d.id = ?",
                 DB_I64(id));
    if (db_row(q)) {
        read_discussion(db, a, v, q, out);
        rc = 0;
    }
    int end = db_end(q);
    if (end < 0)
        return end;
    if (rc == 0)
        rc = groups_access(db, a, v, out->community_id, c);
    if (rc == 0 && !c->can_read)
        rc = ERR_NOTFOUND;
    if (rc < 0) {
        memset(out, 0, sizeof(*out));
        memset(c, 0, sizeof(*c));
    }
    return rc;
}

/* Append the rows of q to *items (capacity *cap), at most limit in all. */
static void collect(struct db *db, struct arena *a, const struct viewer *v, struct stmt *q,
                    struct discussion **items, size_t *len, size_t *cap, size_t limit)
{
    while (*len < limit && db_row(q)) {
        if (*len == *cap) {
            struct discussion *grown = arena_array(a, *cap = *cap ? *cap * 2 : 16, sizeof(*grown));
            if (*len)
                memcpy(grown, *items, *len * sizeof(*grown));
            *items = grown;
        }
        read_discussion(db, a, v, q, &(*items)[(*len)++]);
    }
}

int discussions_list(struct db *db, struct arena *a, const struct viewer *v,
                     const struct community *c, const struct discussion_cursor *before,
                     size_t limit, struct discussion **items, size_t *len,
                     struct discussion_cursor *next)
{
    size_t cap = 0, sticky = 0;
    struct stmt *q;
    int rc;

    *items = NULL;
    *len = 0;
    *next = (struct discussion_cursor){0};
    if (!c->can_read)
        return ERR_NOTFOUND;
    if (before->id == 0) {
        q = db_query(db,
                     "SELECT " DISCUSSION_COLUMNS(
                         "''") " FROM discussion d" AUTHOR_JOINS
                               " WHERE d.community_id = ? AND d.sticky = 1"
                               " ORDER BY d.last_activity_ms DESC, d.id DESC LIMIT ?",
                     DB_I64(c->id), DB_I64(DISCUSSIONS_STICKY_MAX));
        collect(db, a, v, q, items, len, &cap, DISCUSSIONS_STICKY_MAX);
        if ((rc = db_end(q)) < 0)
            return rc;
        sticky = *len;
        /* One more row than the page says whether there is a next one. */
        q = db_query(db,
                     "SELECT " DISCUSSION_COLUMNS(
                         "''") " FROM discussion d" AUTHOR_JOINS
                               " WHERE d.community_id = ? AND d.sticky = 0"
                               " ORDER BY d.last_activity_ms DESC, d.id DESC LIMIT ?",
                     DB_I64(c->id), DB_I64(limit + 1));
    } else {
        q = db_query(
            db,
            "SELECT " DISCUSSION_COLUMNS(
                "''") " FROM discussion d" AUTHOR_JOINS
                      " WHERE d.community_id = ? AND d.sticky = 0 AND d.last_activity_ms <= ?"
                      " AND (d.last_activity_ms < ? OR d.id < ?)"
                      " ORDER BY d.last_activity_ms DESC, d.id DESC LIMIT ?",
            DB_I64(c->id), DB_I64(before->ms), DB_I64(before->ms), DB_I64(before->id),
            DB_I64(limit + 1));
    }
    collect(db, a, v, q, items, len, &cap, sticky + limit + 1);
    if ((rc = db_end(q)) < 0)
        return rc;
    if (*len > sticky + limit) {
        const struct discussion *last = &(*items)[sticky + limit - 1];
        *len = sticky + limit;
        *next = (struct discussion_cursor){.ms = last->last_activity_ms, .id = last->id};
    }
    return 0;
}

#define REPLY_COLUMNS                                                                              \
    "r.id, r.author_id, a.name, COALESCE(pr.photo_64, ''),"             /* 0-3 */                  \
    " COALESCE(pr.photo_visibility, 'everyone'), r.body, r.created_ms," /* 4-6 */                  \
    " r.edited_ms"                                                      /* 7 */

#define REPLY_JOINS                                                                                \
    " JOIN account a ON a.id = r.author_id LEFT JOIN profile pr ON pr.account_id = r.author_id"

static void read_reply(struct db *db, struct arena *a, const struct viewer *v, struct stmt *q,
                       int64_t discussion_id, struct discussion_reply *out)
{
    *out = (struct discussion_reply){
        .id = db_i64(q, 0),
        .discussion_id = discussion_id,
        .author = {.id = db_i64(q, 1), .name = arena_strdup(a, db_text(q, 2))},
        .body = arena_strdup(a, db_text(q, 5)),
        .created_ms = db_i64(q, 6),
        .edited_ms = db_i64(q, 7),
    };
    out->author.photo = author_photo(db, a, v, q, out->author.id, 3);
}

int discussions_replies(struct db *db, struct arena *a, const struct viewer *v,
                        const struct discussion *d, int64_t after_id, size_t limit,
                        struct discussion_reply **items, size_t *len, int64_t *next)
{
    struct stmt *q = db_query(db,
                              "SELECT " REPLY_COLUMNS " FROM discussion_reply r" REPLY_JOINS
                              " WHERE r.discussion_id = ? AND r.id > ? ORDER BY r.id LIMIT ?",
                              DB_I64(d->id), DB_I64(after_id), DB_I64(limit + 1));
    size_t cap = 0;

    *items = NULL;
    *len = 0;
    *next = 0;
    while (db_row(q)) {
        if (*len == limit) {
            *next = (*items)[limit - 1].id;
            break;
        }
        if (*len == cap) {
            struct discussion_reply *grown =
                arena_array(a, cap = cap ? cap * 2 : 16, sizeof(*grown));
            if (*len)
                memcpy(grown, *items, *len * sizeof(*grown));
            *items = grown;
        }
        read_reply(db, a, v, q, d->id, &(*items)[(*len)++]);
    }
    return db_end(q);
}

int discussions_reply_load(struct db *db, struct arena *a, const struct viewer *v,
                           const struct discussion *d, int64_t id, struct discussion_reply *out)
{
    struct stmt *q = db_query(db,
                              "SELECT " REPLY_COLUMNS " FROM discussion_reply r" REPLY_JOINS
                              " WHERE r.id = ? AND r.discussion_id = ?",
                              DB_I64(id), DB_I64(d->id));
    int rc = ERR_NOTFOUND;

    memset(out, 0, sizeof(*out));
    if (db_row(q)) {
        read_reply(db, a, v, q, d->id, out);
        rc = 0;
    }
    int end = db_end(q);
    return end < 0 ? end : rc;
}

bool discussions_is_subscribed(struct db *db, int64_t account_id, int64_t id)
{
    int64_t one = 0;

    return db_get_i64(db, &one,
                      "SELECT 1 FROM discussion_subscription"
                      " WHERE account_id = ? AND discussion_id = ?",
                      DB_I64(account_id), DB_I64(id)) == 0;
}

/* ---- rights -------------------------------------------------------------------- */

bool discussions_may_reply(const struct community *c, const struct discussion *d)
{
    return c->can_write && !d->is_locked;
}

bool discussions_may_edit(const struct viewer *v, const struct community *c, int64_t author_id)
{
    return c->can_write && author_id == v->id;
}

bool discussions_may_delete(const struct viewer *v, const struct community *c, int64_t author_id)
{
    if (c->archived_ms)
        return false;
    return discussions_may_edit(v, c, author_id) || c->can_manage ||
           (v->role == ROLE_ADMIN && c->can_read);
}

bool discussions_may_resolve(const struct viewer *v, const struct community *c,
                             const struct discussion *d)
{
    return c->can_manage || discussions_may_edit(v, c, d->author.id);
}

bool discussions_may_subscribe(const struct community *c)
{
    return c->can_read && c->archived_ms == 0;
}

const char *discussions_denied_reason(const struct community *c)
{
    if (c->archived_ms)
        return N_("Cette communauté est archivée : ses discussions se lisent mais n'acceptent "
                  "plus de contributions.");
    if (c->standing != GROUPS_MEMBER && c->standing != GROUPS_ANIMATOR)
        return N_("Rejoignez la communauté pour participer à ses discussions.");
    return N_("Vous n'avez pas accès à cette action.");
}

/* ---- checking ------------------------------------------------------------------ */

/*
 * Why the n bytes at s (not blank) are not a valid text of at most max
 * characters, or NULL: too_long or control, French message ids.
 */
static const char *text_problem(const char *s, size_t n, size_t max, bool multiline,
                                const char *too_long, const char *control)
{
    if (!str_is_utf8(s, n))
        return control;
    if (str_utf8_len(s, n) > max)
        return too_long;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        bool allowed_space = multiline && (ch == '\n' || ch == '\r' || ch == '\t');
        /* C1 controls, U+0080 to U+009F, are C2 80 to C2 9F in (valid) UTF-8. */
        if ((ch < 0x20 && !allowed_space) || ch == 0x7f ||
            (ch == 0xc2 && i + 1 < n && (unsigned char)s[i + 1] <= 0x9f))
            return control;
    }
    return NULL;
}

int discussions_check(const char *title, const char *body, const char **field, const char **problem)
{
    size_t len;
    const char *start;

    if (title) {
        start = str_trim(title, &len);
        *problem = len == 0 ? N_("Le titre est obligatoire.")
                            : text_problem(start, len, GROUPS_TITLE_MAX, false,
                                           N_("Le titre compte au plus 200 caractères."),
                                           N_("Le titre contient un caractère non permis."));
        if (*problem) {
            *field = "title";
            return ERR_INVALID;
        }
    }
    if (body) {
        /* The body is stored as typed: its length counts the spaces around it too. */
        str_trim(body, &len);
        *problem = len == 0 ? N_("Le texte est obligatoire.")
                            : text_problem(body, strlen(body), GROUPS_BODY_MAX, true,
                                           N_("Le texte compte au plus 10 000 caractères."),
                                           N_("Le texte contient un caractère non permis."));
        if (*problem) {
            *field = "body";
            return ERR_INVALID;
        }
    }
    return 0;
}

/* The title as stored: without the spaces around it. */
static const char *title_trimmed(struct arena *a, const char *title)
{
    size_t len;
    const char *start = str_trim(title, &len);

    return arena_strndup(a, start, len);
}

/* ---- writing ------------------------------------------------------------------- */

/* Commit, or roll back when rc is an error; returns rc or the commit's error. */
static int finish(struct db *db, int rc)
{
    if (rc < 0) {
        db_tx_rollback(db);
        return rc;
    }
    return db_tx_commit(db);
}

static int subscribe(struct db *db, int64_t account_id, int64_t id)
{
    return db_exec(db,
                   "INSERT INTO discussion_subscription(discussion_id, account_id) VALUES (?, ?)"
                   " ON CONFLICT DO NOTHING",
                   DB_I64(id), DB_I64(account_id));
}

int discussions_create(struct db *db, struct arena *a, const struct viewer *v,
                       const struct community *c, const char *title, const char *body,
                       int64_t *id_out, const char **field, const char **problem)
{
    int64_t now = time_now_ms(), id = 0;
    int rc;

    *field = NULL;
    title = title ? title : "";
    body = body ? body : "";
    if (!c->can_write) {
        *problem = discussions_denied_reason(c);
        return ERR_DENIED;
    }
    if ((rc = discussions_check(title, body, field, problem)) < 0)
        return rc;
    if ((rc = db_tx_begin(db)) < 0)
        return rc;
    rc = db_get_i64(db, &id,
                    "INSERT INTO discussion(community_id, author_id, title, body, created_ms,"
                    " last_activity_ms) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                    DB_I64(c->id), DB_I64(v->id), DB_TEXT(title_trimmed(a, title)), DB_TEXT(body),
                    DB_I64(now), DB_I64(now));
    if (rc == 0)
        rc = subscribe(db, v->id, id);
    if (rc == 0)
        rc = groups_touch(db, c->id);
    if ((rc = finish(db, rc)) < 0)
        return rc;
    *id_out = id;
    return 0;
}

/*
 * The subscribers of d but v who may still read community c (as
 * DISCUSSIONS_VISIBLE_SQL says), in memory from a.
 */
static int subscribers(struct db *db, struct arena *a, const struct viewer *v,
                       const struct community *c, const struct discussion *d, int64_t **ids,
                       size_t *len)
{
    struct stmt *q = db_query(db,
                              "SELECT s.account_id FROM discussion_subscription s"
                              " JOIN account a ON a.id = s.account_id"
                              " WHERE s.discussion_id = ? AND s.account_id <> ?"
                              " AND a.status <> 'deactivated'"
                              " AND ((? = 1 AND a.role <> 'guest') OR EXISTS (SELECT 1"
                              " FROM community_member m WHERE m.community_id = ?"
                              " AND m.account_id = s.account_id AND m.state = 'member'))"
                              " ORDER BY s.account_id",
                              DB_I64(d->id), DB_I64(v->id), DB_BOOL(c->visibility == GROUPS_PUBLIC),
                              DB_I64(c->id));
    size_t cap = 0;

    *ids = NULL;
    *len = 0;
    while (db_row(q)) {
        if (*len == cap) {
            int64_t *grown = arena_array(a, cap = cap ? cap * 2 : 16, sizeof(*grown));
            if (*len)
                memcpy(grown, *ids, *len * sizeof(*grown));
            *ids = grown;
        }
        (*ids)[(*len)++] = db_i64(q, 0);
    }
    return db_end(q);
}

int discussions_reply_create(struct db *db, struct arena *a, const struct viewer *v,
                             const struct community *c, const struct discussion *d,
                             const char *body, int64_t *id_out, const char **problem)
{
    const char *field = NULL;
    int64_t now = time_now_ms(), id = 0, *notified = NULL;
    size_t notified_len = 0;
    int rc;

    if (!c->can_write) {
        *problem = discussions_denied_reason(c);
        return ERR_DENIED;
    }
    if (d->is_locked) {
        *problem = N_("Cette discussion est verrouillée : elle n'accepte plus de réponses.");
        return ERR_DENIED;
    }
    if ((rc = discussions_check(NULL, body ? body : "", &field, problem)) < 0)
        return rc;
    if ((rc = db_tx_begin(db)) < 0)
        return rc;
    /* Locked meanwhile by an animator: the condition decides inside the transaction. */
    rc = db_exec(db,
                 "UPDATE discussion SET reply_count = reply_count + 1, last_activity_ms = ?"
                 " WHERE id = ? AND locked = 0",
                 DB_I64(now), DB_I64(d->id));
    if (rc == 0 && db_changes(db) != 1) {
        *problem = N_("Cette discussion est verrouillée : elle n'accepte plus de réponses.");
        rc = ERR_DENIED;
    }
    if (rc == 0)
        rc = db_get_i64(db, &id,
                        "INSERT INTO discussion_reply(discussion_id, author_id, body, created_ms)"
                        " VALUES (?, ?, ?, ?) RETURNING id",
                        DB_I64(d->id), DB_I64(v->id), DB_TEXT(body), DB_I64(now));
    if (rc == 0)
        rc = groups_touch(db, c->id);
    if (rc == 0)
        rc = subscribers(db, a, v, c, d, &notified, &notified_len);
    for (size_t i = 0; rc == 0 && i < notified_len; i++)
        rc = notify_add_discussion(db, notified[i], NOTIFY_REPLY, v->id, d->id);
    /* Whoever replies follows the thread from then on (they may stop). */
    if (rc == 0)
        rc = subscribe(db, v->id, d->id);
    if ((rc = finish(db, rc)) < 0)
        return rc;
    *id_out = id;
    return 0;
}

int discussions_edit(struct db *db, struct arena *a, const struct viewer *v,
                     const struct community *c, const struct discussion *d, const char *title,
                     const char *body, const char **field, const char **problem)
{
    int rc;

    *field = NULL;
    if (!discussions_may_edit(v, c, d->author.id)) {
        *problem = c->can_write ? N_("Seul l'auteur peut modifier cette discussion.")
                                : discussions_denied_reason(c);
        return ERR_DENIED;
    }
    if ((rc = discussions_check(title, body, field, problem)) < 0)
        return rc;
    title = title ? title_trimmed(a, title) : d->title;
    body = body ? body : d->body;
    if (strcmp(title, d->title) == 0 && strcmp(body, d->body) == 0)
        return 0;
    return db_exec(db, "UPDATE discussion SET title = ?, body = ?, edited_ms = ? WHERE id = ?",
                   DB_TEXT(title), DB_TEXT(body), DB_I64(time_now_ms()), DB_I64(d->id));
}

int discussions_reply_edit(struct db *db, struct arena *a, const struct viewer *v,
                           const struct community *c, const struct discussion *d, int64_t id,
                           const char *body, const char **problem)
{
    struct discussion_reply reply;
    const char *field = NULL;
    int rc = discussions_reply_load(db, a, v, d, id, &reply);

    if (rc < 0)
        return rc;
    if (!discussions_may_edit(v, c, reply.author.id)) {
        *problem = c->can_write ? N_("Seul l'auteur peut modifier cette réponse.")
                                : discussions_denied_reason(c);
        return ERR_DENIED;
    }
    if ((rc = discussions_check(NULL, body ? body : "", &field, problem)) < 0)
        return rc;
    if (strcmp(body, reply.body) == 0)
        return 0;
    return db_exec(db,
                   "UPDATE discussion_reply SET body = ?, edited_ms = ?"
                   " WHERE id = ? AND discussion_id = ?",
                   DB_TEXT(body), DB_I64(time_now_ms()), DB_I64(id), DB_I64(d->id));
}

int discussions_delete(struct db *db, const struct viewer *v, const struct community *c,
                       const struct discussion *d, const char **problem)
{
    int rc;

    if (!discussions_may_delete(v, c, d->author.id)) {
        *problem = c->can_write ? N_("Seuls l'auteur et les animateurs peuvent supprimer "
                                     "cette discussion.")
                                : discussions_denied_reason(c);
        return ERR_DENIED;
    }
    if ((rc = db_tx_begin(db)) < 0)
        return rc;
    /* Its notifications go with it (ON DELETE CASCADE of notification.discussion_id). */
    rc = db_exec(db, "DELETE FROM discussion_reply WHERE discussion_id = ?", DB_I64(d->id));
    if (rc == 0)
        rc = db_exec(db, "DELETE FROM discussion_subscription WHERE discussion_id = ?",
                     DB_I64(d->id));
    if (rc == 0)
        rc = db_exec(db, "DELETE FROM discussion WHERE id = ?", DB_I64(d->id));
    return finish(db, rc);
}

int discussions_reply_delete(struct db *db, struct arena *a, const struct viewer *v,
                             const struct community *c, const struct discussion *d, int64_t id,
                             const char **problem)
{
    struct discussion_reply reply;
    int rc = discussions_reply_load(db, a, v, d, id, &reply);

    if (rc < 0)
        return rc;
    if (!discussions_may_delete(v, c, reply.author.id)) {
        *problem = c->can_write ? N_("Seuls l'auteur et les animateurs peuvent supprimer "
                                     "cette réponse.")
                                : discussions_denied_reason(c);
        return ERR_DENIED;
    }
    if ((rc = db_tx_begin(db)) < 0)
        return rc;
    rc = db_exec(db, "DELETE FROM discussion_reply WHERE id = ? AND discussion_id = ?", DB_I64(id),
                 DB_I64(d->id));
    if (rc == 0)
        rc = db_exec(db,
                     "UPDATE discussion SET reply_count ="
                     " (SELECT count(*) FROM discussion_reply WHERE discussion_id = ?),"
                     " resolved_reply_id = CASE WHEN resolved_reply_id = ? THEN NULL"
                     " ELSE resolved_reply_id END WHERE id = ?",
                     DB_I64(d->id), DB_I64(id), DB_I64(d->id));
    return finish(db, rc);
}

/* Animators only: 0, or ERR_DENIED with *problem. */
static int may_moderate(const struct community *c, const char **problem)
{
    if (c->can_manage)
        return 0;
    *problem = c->archived_ms ? discussions_denied_reason(c)
                              : N_("Seuls les animateurs de la communauté peuvent le faire.");
    return ERR_DENIED;
}

int discussions_set_sticky(struct db *db, const struct community *c, const struct discussion *d,
                           bool sticky, const char **problem)
{
    int rc = may_moderate(c, problem);

    return rc < 0 ? rc
                  : db_exec(db, "UPDATE discussion SET sticky = ? WHERE id = ?", DB_BOOL(sticky),
                            DB_I64(d->id));
}

int discussions_set_locked(struct db *db, const struct community *c, const struct discussion *d,
                           bool locked, const char **problem)
{
    int rc = may_moderate(c, problem);

    return rc < 0 ? rc
                  : db_exec(db, "UPDATE discussion SET locked = ? WHERE id = ?", DB_BOOL(locked),
                            DB_I64(d->id));
}

int discussions_resolve(struct db *db, const struct viewer *v, const struct community *c,
                        const struct discussion *d, int64_t reply_id, const char **problem)
{
    int rc;

    if (!discussions_may_resolve(v, c, d)) {
        *problem = c->can_write ? N_("Seuls l'auteur de la discussion et les animateurs "
                                     "choisissent la meilleure réponse.")
                                : discussions_denied_reason(c);
        return ERR_DENIED;
    }
    if (reply_id == 0)
        return db_exec(db, "UPDATE discussion SET resolved_reply_id = NULL WHERE id = ?",
                       DB_I64(d->id));
    rc = db_exec(db,
                 "UPDATE discussion SET resolved_reply_id = ? WHERE id = ? AND EXISTS"
                 " (SELECT 1 FROM discussion_reply WHERE id = ? AND discussion_id = ?)",
                 DB_I64(reply_id), DB_I64(d->id), DB_I64(reply_id), DB_I64(d->id));
    if (rc == 0 && db_changes(db) != 1)
        rc = ERR_NOTFOUND;
    return rc;
}

int discussions_subscribe(struct db *db, const struct viewer *v, const struct community *c,
                          const struct discussion *d, bool on, const char **problem)
{
    if (!discussions_may_subscribe(c)) {
        *problem = discussions_denied_reason(c);
        return ERR_DENIED;
    }
    if (on)
        return subscribe(db, v->id, d->id);
    return db_exec(db,
                   "DELETE FROM discussion_subscription WHERE account_id = ? AND discussion_id = ?",
                   DB_I64(v->id), DB_I64(d->id));
}
