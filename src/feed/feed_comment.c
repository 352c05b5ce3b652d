/*
 * feed_comment.c - comments and their replies (one level), edited with
 * revisions, deleted by their author, the post's author or an
 * administrator.
 *
 * post.comment_count follows the comment table in the same transaction.
 * Commenting notifies the post's author, the author of the comment replied
 * to and the members the comment mentions (who also find the post in their
 * home feed).
 */
#include "feed.h"
#include "../db/db.h"
#include "../notify/notify.h"
#include "../web/i18n.h"

static int count_comments(struct db *db, int64_t post_id)
{
    return db_exec(db,
                   "UPDATE post SET comment_count ="
                   " (SELECT count(*) FROM comment WHERE post_id = ?) WHERE id = ?",
                   DB_I64(post_id), DB_I64(post_id));
}

/* Notify member who (unless it is v, was notified already: *done, or may not read the post:
 * a non-member named in a private community) about comment id. */
static int notify_once(struct db *db, const struct viewer *v, int64_t who, int64_t post_id,
                       int64_t id, const char *kind, int64_t *done, size_t *done_len)
{
    if (who == v->id || !feed_post_readable_by(db, post_id, who))
        return 0;
    for (size_t i = 0; i < *done_len; i++)
        if (done[i] == who)
            return 0;
    done[(*done_len)++] = who;
    return notify_add(db, who, kind, v->id, post_id, id);
}

static int save_mentions(struct db *db, const struct viewer *v, int64_t post_id, int64_t id,
                         const struct feed_parsed *parsed, int64_t *done, size_t *done_len)
{
    int rc = 0;

    for (size_t i = 0; rc == 0 && i < parsed->mentions_len; i++) {
        rc = db_exec(db,
                     "INSERT INTO post_mention(post_id, account_id) VALUES (?, ?)"
                     " ON CONFLICT DO NOTHING",
                     DB_I64(post_id), DB_I64(parsed->mentions[i].id));
        if (rc == 0)
            rc = notify_once(db, v, parsed->mentions[i].id, post_id, id, NOTIFY_MENTION, done,
                             done_len);
    }
    return rc;
}

/* The parent to attach a new comment to: 0, or a top-level comment of post_id. */
static int resolve_parent(struct db *db, int64_t post_id, int64_t parent_id, int64_t *parent,
                          int64_t *parent_author)
{
    int64_t grand = 0;
    int rc;

    *parent = 0;
    if (parent_id == 0)
        return 0;
    rc = db_get_i64(db, &grand,
                    "SELECT COALESCE(parent_id, 0) FROM comment WHERE id = ? AND post_id = ?",
                    DB_I64(parent_id), DB_I64(post_id));
    if (rc < 0)
        return rc;
    *parent = grand ? grand : parent_id;
    return db_get_i64(db, parent_author, "SELECT author_id FROM comment WHERE id = ?",
                      DB_I64(*parent));
}

int feed_comment_create(struct db *db, struct arena *a, const struct viewer *v, int64_t post_id,
                        int64_t parent_id, const char *body, int64_t *id_out, const char **problem)
{
    struct feed_post post;
    struct feed_parsed parsed;
    int64_t parent = 0, parent_author = 0, id = 0;
    int64_t done[FEED_MENTIONS_MAX + 2];
    size_t done_len = 0;
    int rc;

    if ((rc = feed_post_load(db, a, v, post_id, &post)) < 0)
        return rc;
    if (!feed_may_take_part(v, &post)) {
        *problem = post.read_only ? N_("Cette communauté est archivée : on ne peut plus y "
                                       "commenter.")
                                  : N_("Rejoignez la communauté pour commenter.");
        return ERR_DENIED;
    }
    if ((rc = feed_body_check(body, FEED_COMMENT_MAX, problem)) < 0)
        return rc;
    if ((rc = feed_parse(db, a, body, &parsed)) < 0)
        return rc;
    if ((rc = db_tx_begin(db)) < 0)
        return rc;
    rc = resolve_parent(db, post_id, parent_id, &parent, &parent_author);
    if (rc == 0)
        rc = db_get_i64(db, &id,
                        "INSERT INTO comment(post_id, parent_id, author_id, body, created_ms)"
                        " VALUES (?, ?, ?, ?, ?) RETURNING id",
                        DB_I64(post_id), parent ? DB_I64(parent) : DB_NULL, DB_I64(v->id),
                        DB_TEXT(body), DB_I64(time_now_ms()));
    if (rc == 0)
        rc = count_comments(db, post_id);
    if (rc == 0)
        rc = notify_once(db, v, post.author.id, post_id, id, NOTIFY_COMMENT, done, &done_len);
    if (rc == 0 && parent_author)
        rc = notify_once(db, v, parent_author, post_id, id, NOTIFY_COMMENT, done, &done_len);
    if (rc == 0)
        rc = save_mentions(db, v, post_id, id, &parsed, done, &done_len);
    if (rc < 0) {
        db_tx_rollback(db);
        return rc;
    }
    if ((rc = db_tx_commit(db)) < 0)
        return rc;
    *id_out = id;
    return 0;
}

/* The post and author of comment id, when v may read its post. */
static int comment_load(struct db *db, struct arena *a, const struct viewer *v, int64_t id,
                        struct feed_post *post, int64_t *author_id, char **body)
{
    int64_t post_id = 0;
    int rc = db_get_i64(db, &post_id, "SELECT post_id FROM comment WHERE id = ?", DB_I64(id));

    if (rc == 0)
        rc = feed_post_load(db, a, v, post_id, post);
    if (rc == 0)
        rc = db_get_i64(db, author_id, "SELECT author_id FROM comment WHERE id = ?", DB_I64(id));
    if (rc == 0)
        rc = db_get_text(db, a, body, "SELECT body FROM comment WHERE id = ?", DB_I64(id));
    return rc;
}

int feed_comment_edit(struct db *db, struct arena *a, const struct viewer *v, int64_t id,
                      const char *body, const char **problem)
{
    struct feed_post post;
    struct feed_parsed parsed;
    int64_t author_id = 0, edited = 0, created = 0;
    int64_t done[FEED_MENTIONS_MAX + 2];
    size_t done_len = 0;
    char *old = NULL;
    int rc = comment_load(db, a, v, id, &post, &author_id, &old);

    if (rc < 0)
        return rc;
    if (author_id != v->id || post.read_only)
        return ERR_DENIED;
    if ((rc = feed_body_check(body, FEED_COMMENT_MAX, problem)) < 0)
        return rc;
    if (strcmp(old, body) == 0)
        return 0;
    if ((rc = feed_parse(db, a, body, &parsed)) < 0)
        return rc;
    if ((rc = db_tx_begin(db)) < 0)
        return rc;
    rc = db_get_i64(db, &edited, "SELECT edited_ms FROM comment WHERE id = ?", DB_I64(id));
    if (rc == 0)
        rc = db_get_i64(db, &created, "SELECT created_ms FROM comment WHERE id = ?", DB_I64(id));
    if (rc == 0)
        rc = db_exec(db,
                     "INSERT INTO comment_revision(comment_id, body, created_ms) VALUES (?, ?, ?)",
                     DB_I64(id), DB_TEXT(old), DB_I64(edited ? edited : created));
    if (rc == 0)
        rc = db_exec(db, "UPDATE comment SET body = ?, edited_ms = ? WHERE id = ?", DB_TEXT(body),
                     DB_I64(time_now_ms()), DB_I64(id));
    if (rc == 0)
        rc = save_mentions(db, v, post.id, id, &parsed, done, &done_len);
    if (rc < 0) {
        db_tx_rollback(db);
        return rc;
    }
    return db_tx_commit(db);
}

int feed_comment_delete(struct db *db, struct arena *a, const struct viewer *v, int64_t id)
{
    struct feed_post post;
    int64_t author_id = 0;
    char *body = NULL;
    int rc = comment_load(db, a, v, id, &post, &author_id, &body);

    if (rc < 0)
        return rc;
    if (post.read_only || (author_id != v->id && !feed_may_delete(v, &post)))
        return ERR_DENIED;
    if ((rc = db_tx_begin(db)) < 0)
        return rc;
    rc = db_exec(db, "DELETE FROM comment WHERE parent_id = ?", DB_I64(id));
    if (rc == 0)
        rc = db_exec(db, "DELETE FROM comment WHERE id = ?", DB_I64(id));
    if (rc == 0)
        rc = count_comments(db, post.id);
    if (rc < 0) {
        db_tx_rollback(db);
        return rc;
    }
    return db_tx_commit(db);
}
