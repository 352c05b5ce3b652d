/*
 * feed_list.c - reading posts: one post, the feeds (home, person, tag,
 * everything), announcements, comments, reactors and revisions.
 *
 * Every query that returns posts reads the same columns (POST_COLUMNS,
 * POST_JOINS) and includes FEED_VISIBLE_SQL, so a post a member may not
 * read never leaves this file.  The first argument of each is the viewer's
 * id (their own reaction).
 *
 * The home feed has two plans.  A member who follows many people finds
 * their posts densely among all posts: walking posts newest first and
 * keeping those that match stops after a few pages' worth of rows.  One who
 * follows few would walk the whole table that way: their feed collects the
 * posts of each source through its index and sorts them instead.  That
 * union reads a window of ids below the cursor, sized to hold about
 * FEED_WINDOW_PAGES pages if the sources write like the average member,
 * and widened (FEED_WINDOW_GROWTH times) until the page is full or the
 * window reaches the first post: each try costs one index range per source
 * however much the sources wrote, and the page is the one the unbounded
 * union would give (every post of the window is there, and all others are
 * older).  Measured on 1,000,000 posts (BENCHMARKS.md, bench/feed.sh).
 */
#include "feed.h"
#include "../db/db.h"
#include "../people/people.h"
#include "../people/photo.h"

/* The walk plan pays off when followed authors are at least this share of members (1/N). */
#define FEED_DENSE_SHARE 50
/* The union plan's first window, in expected pages, and how much each retry widens it. */
#define FEED_WINDOW_PAGES 2
#define FEED_WINDOW_GROWTH 4

#define POST_COLUMNS                                                                               \
    "p.id, p.author_id, a.name, COALESCE(pr.photo_64, ''),"                                        \
    " COALESCE(pr.photo_visibility, 'everyone'), COALESCE(p.community_id, 0), p.body,"             \
    " p.created_ms, p.edited_ms, p.pinned_ms, p.comment_count, p.reaction_count, p.link_url,"      \
    " COALESCE(lp.status, ''), COALESCE(lp.title, ''), COALESCE(lp.description, ''),"              \
    " COALESCE(lp.site_name, ''), COALESCE(lp.image_hash, ''),"                                    \
    " (SELECT kind FROM reaction r WHERE r.post_id = p.id AND r.account_id = ?),"                  \
    " p.attachment_count, p.community_pinned_ms,"                                                  \
    " COALESCE((SELECT am.role FROM community_member am WHERE am.community_id = p.community_id"    \
    " AND am.account_id = ? AND am.state = 'member'), ''),"                                        \
    " COALESCE((SELECT ac.archived_ms FROM community ac WHERE ac.id = p.community_id), 0)"

/* The arguments of POST_COLUMNS: the viewer's reaction and their role in the community. */
#define POST_COLUMNS_ARGS(v) DB_I64((v)->id), DB_I64((v)->id)

#define POST_JOINS                                                                                 \
    " JOIN account a ON a.id = p.author_id"                                                        \
    " LEFT JOIN profile pr ON pr.account_id = p.author_id"                                         \
    " LEFT JOIN link_preview lp ON lp.url = p.link_url"

static enum people_visibility visibility_of(const char *name)
{
    enum people_visibility vis = PEOPLE_VIS_EVERYONE;

    people_visibility_parse(name, &vis);
    return vis;
}

static void read_post(struct db *db, struct arena *a, const struct viewer *v, struct stmt *q,
                      struct feed_post *p)
{
    const char *photo = db_text(q, 3);

    *p = (struct feed_post){.id = db_i64(q, 0), .my_reaction = FEED_REACTION_NONE};
    p->author.id = db_i64(q, 1);
    p->author.name = arena_strdup(a, db_text(q, 2));
    p->author.photo = "";
    if (*photo && people_field_visible(v, p->author.id, visibility_of(db_text(q, 4)),
                                       people_share_community(db, v->id, p->author.id)))
        p->author.photo = arena_strdup(a, photo);
    p->community_id = db_i64(q, 5);
    p->body = arena_strdup(a, db_text(q, 6));
    p->created_ms = db_i64(q, 7);
    p->edited_ms = db_i64(q, 8);
    p->pinned_ms = db_i64(q, 9);
    p->comment_count = db_i64(q, 10);
    p->reaction_count = db_i64(q, 11);
    p->preview = (struct feed_preview){
        .url = arena_strdup(a, db_text(q, 12)),
        .status = arena_strdup(a, db_text(q, 13)),
        .title = arena_strdup(a, db_text(q, 14)),
        .description = arena_strdup(a, db_text(q, 15)),
        .site_name = arena_strdup(a, db_text(q, 16)),
        .has_image = *db_text(q, 17) != '\0',
    };
    if (!db_is_null(q, 18))
        p->my_reaction = feed_reaction_parse(db_text(q, 18));
    p->attachment_count = db_i64(q, 19);
    p->community_pinned_ms = db_i64(q, 20);
    p->viewer_member = *db_text(q, 21) != '\0';
    p->viewer_animates = strcmp(db_text(q, 21), "animator") == 0;
    p->read_only = db_i64(q, 22) != 0;
}

/* Counts per reaction kind, read only for posts that have reactions. */
static int load_reaction_counts(struct db *db, struct feed_post *p)
{
    struct stmt *q;

    if (p->reaction_count == 0)
        return 0;
    q = db_query(db, "SELECT kind, count(*) FROM reaction WHERE post_id = ? GROUP BY kind",
                 DB_I64(p->id));
    while (db_row(q)) {
        enum feed_reaction k = feed_reaction_parse(db_text(q, 0));
        if (k != FEED_REACTION_NONE)
            p->reaction_counts[k] = db_i64(q, 1);
    }
    return db_end(q);
}

/* What feed_post_card needs beyond the row: reaction counts and attachments. */
static int complete(struct db *db, struct arena *a, struct feed_post *items, size_t len)
{
    int rc = 0;

    for (size_t i = 0; rc == 0 && i < len; i++)
        rc = load_reaction_counts(db, &items[i]);
    return rc < 0 ? rc : feed_attachments_load(db, a, items, len);
}

int feed_mentions_load(struct db *db, struct arena *a, int64_t post_id, struct feed_mention **items,
                       size_t *len)
{
    struct stmt *q = db_query(db,
                              "SELECT a.id, a.name, a.email FROM post_mention m"
                              " JOIN account a ON a.id = m.account_id WHERE m.post_id = ?"
                              " ORDER BY a.id",
                              DB_I64(post_id));
    size_t cap = 0;

    *items = NULL;
    *len = 0;
    while (db_row(q)) {
        const char *email = db_text(q, 2);
        if (*len == cap) {
            struct feed_mention *grown = arena_array(a, cap = cap ? cap * 2 : 4, sizeof(*grown));
            if (*len)
                memcpy(grown, *items, *len * sizeof(*grown));
            *items = grown;
        }
        (*items)[(*len)++] = (struct feed_mention){
            .id = db_i64(q, 0),
            .name = arena_strdup(a, db_text(q, 1)),
            .handle = arena_strndup(a, email, strcspn(email, "@")),
        };
    }
    return db_end(q);
}

int feed_post_load(struct db *db, struct arena *a, const struct viewer *v, int64_t id,
                   struct feed_post *out)
{
    struct stmt *q = db_query(db,
                              "SELECT " POST_COLUMNS " FROM post p" POST_JOINS
                              " WHERE p.id = ? AND " FEED_VISIBLE_SQL,
                              POST_COLUMNS_ARGS(v), DB_I64(id), FEED_VISIBLE_ARGS(v));
    bool found = false;
    int rc;

    if (db_row(q)) {
        read_post(db, a, v, q, out);
        found = true;
    }
    if ((rc = db_end(q)) < 0)
        return rc;
    if (!found)
        return ERR_NOTFOUND;
    return complete(db, a, out, 1);
}

/* Read up to limit + 1 rows into *out (*n of them): the extra one only tells there is a next
 * page. */
static int read_rows(struct db *db, struct arena *a, const struct viewer *v, struct stmt *q,
                     size_t limit, struct feed_post **out, size_t *n)
{
    *out = arena_array(a, limit + 1, sizeof(**out));
    *n = 0;
    while (db_row(q))
        read_post(db, a, v, q, &(*out)[(*n)++]);
    return db_end(q);
}

/* The page of the n rows read: at most limit, the next page's cursor, completed for the cards. */
static int page_of(struct db *db, struct arena *a, struct feed_post *out, size_t n, size_t limit,
                   struct feed_post **items, size_t *len, int64_t *next)
{
    *next = 0;
    if (n > limit) {
        n = limit;
        *next = out[n - 1].id;
    }
    *items = out;
    *len = n;
    return complete(db, a, out, n);
}

static int collect(struct db *db, struct arena *a, const struct viewer *v, struct stmt *q,
                   size_t limit, struct feed_post **items, size_t *len, int64_t *next)
{
    struct feed_post *out;
    size_t n;
    int rc = read_rows(db, a, v, q, limit, &out, &n);

    return rc < 0 ? rc : page_of(db, a, out, n, limit, items, len, next);
}

/* What chooses the home feed's plan and sizes its window (see the top of the file). */
struct home_sources {
    int64_t followed;  /* members v follows */
    int64_t members;   /* the highest account id: about how many members there are */
    int64_t last_post; /* the highest post id */
};

static int home_sources_load(struct db *db, const struct viewer *v, struct home_sources *s)
{
    int rc = db_get_i64(db, &s->followed, "SELECT count(*) FROM follow WHERE follower_id = ?",
                        DB_I64(v->id));

    if (rc == 0)
        rc = db_get_i64(db, &s->members,
                        "SELECT COALESCE(max(id), 0) FROM account /*scan-ok: max of the key*/");
    if (rc == 0)
        rc = db_get_i64(db, &s->last_post,
                        "SELECT COALESCE(max(id), 0) FROM post /*scan-ok: max of the key*/");
    return rc;
}

/* The walk plan (dense), or the union of v's sources' posts with ids in [low, before). */
static struct stmt *home_query(struct db *db, const struct viewer *v, int64_t before, int64_t low,
                               size_t limit, bool dense)
{
    if (dense)
        return db_query(db,
                        "SELECT " POST_COLUMNS " FROM post p" POST_JOINS
                        " WHERE p.id < ? AND (+p.author_id = ?"
                        " OR +p.author_id IN (SELECT followed_id FROM follow WHERE follower_id = ?)"
                        " OR +p.community_id IN (SELECT community_id FROM community_member"
                        " WHERE account_id = ? AND state = 'member')"
                        " OR p.id IN (SELECT post_id FROM post_mention WHERE account_id = ?))"
                        " AND " FEED_VISIBLE_SQL " ORDER BY p.id DESC LIMIT ?",
                        POST_COLUMNS_ARGS(v), DB_I64(before), DB_I64(v->id), DB_I64(v->id),
                        DB_I64(v->id), DB_I64(v->id), FEED_VISIBLE_ARGS(v), DB_I64(limit + 1));
    return db_query(
        db,
        "SELECT " POST_COLUMNS " FROM post p" POST_JOINS
        " WHERE p.id IN (SELECT id FROM post WHERE author_id = ? AND id < ? AND id >= ?"
        " UNION ALL SELECT x.id FROM follow f JOIN post x ON x.author_id = f.followed_id"
        " WHERE f.follower_id = ? AND x.id < ? AND x.id >= ?"
        " UNION ALL SELECT x.id FROM community_member m JOIN post x ON x.community_id = "
        "m.community_id"
        " WHERE m.account_id = ? AND m.state = 'member' AND x.id < ? AND x.id >= ?"
        " UNION ALL SELECT post_id FROM post_mention WHERE account_id = ? AND post_id < ?"
        " AND post_id >= ?)"
        " AND " FEED_VISIBLE_SQL " ORDER BY p.id DESC LIMIT ?",
        POST_COLUMNS_ARGS(v), DB_I64(v->id), DB_I64(before), DB_I64(low), DB_I64(v->id),
        DB_I64(before), DB_I64(low), DB_I64(v->id), DB_I64(before), DB_I64(low), DB_I64(v->id),
        DB_I64(before), DB_I64(low), FEED_VISIBLE_ARGS(v), DB_I64(limit + 1));
}

/* One page of v's home feed before id before (see the top of the file for the plans). */
static int home_list(struct db *db, struct arena *a, const struct viewer *v, int64_t before,
                     size_t limit, struct feed_post **items, size_t *len, int64_t *next)
{
    struct home_sources s = {0};
    struct feed_post *out = NULL;
    size_t n = 0;
    int64_t window, low;
    int rc = home_sources_load(db, v, &s);

    if (rc < 0)
        return rc;
    if (s.followed * FEED_DENSE_SHARE >= s.members)
        return collect(db, a, v, home_query(db, v, before, 0, limit, true), limit, items, len,
                       next);
    if (before > s.last_post + 1)
        before = s.last_post + 1;
    /* Ids per post of v's sources, if they write like the average member. */
    window = (int64_t)(limit + 1) * FEED_WINDOW_PAGES * (s.members / (s.followed + 1) + 1);
    do {
        low = before - window > 0 ? before - window : 0;
        rc = read_rows(db, a, v, home_query(db, v, before, low, limit, false), limit, &out, &n);
        window = window < INT64_MAX / FEED_WINDOW_GROWTH ? window * FEED_WINDOW_GROWTH : INT64_MAX;
    } while (rc == 0 && n <= limit && low > 0);
    return rc < 0 ? rc : page_of(db, a, out, n, limit, items, len, next);
}

int feed_list(struct db *db, struct arena *a, const struct viewer *v, const struct feed_query *fq,
              struct feed_post **items, size_t *len, int64_t *next)
{
    int64_t before = fq->before_id > 0 ? fq->before_id : INT64_MAX;
    size_t limit =
        fq->limit == 0 ? FEED_PAGE : (fq->limit < FEED_PAGE_MAX ? fq->limit : FEED_PAGE_MAX);
    struct stmt *q = NULL;

    switch (fq->kind) {
    case FEED_HOME:
        return home_list(db, a, v, before, limit, items, len, next);
    case FEED_PERSON:
        q = db_query(db,
                     "SELECT " POST_COLUMNS " FROM post p" POST_JOINS
                     " WHERE p.author_id = ? AND p.id < ? AND " FEED_VISIBLE_SQL
                     " ORDER BY p.id DESC LIMIT ?",
                     POST_COLUMNS_ARGS(v), DB_I64(fq->key), DB_I64(before), FEED_VISIBLE_ARGS(v),
                     DB_I64(limit + 1));
        break;
    case FEED_TAG:
        q = db_query(db,
                     "SELECT " POST_COLUMNS
                     " FROM post_tag t JOIN post p ON p.id = t.post_id" POST_JOINS
                     " WHERE t.tag = ? AND t.post_id < ? AND " FEED_VISIBLE_SQL
                     " ORDER BY t.post_id DESC LIMIT ?",
                     POST_COLUMNS_ARGS(v), DB_TEXT(fq->key_text ? fq->key_text : ""),
                     DB_I64(before), FEED_VISIBLE_ARGS(v), DB_I64(limit + 1));
        break;
    case FEED_PUBLIC:
        q = db_query(db,
                     "SELECT " POST_COLUMNS " FROM post p" POST_JOINS
                     " WHERE p.id < ? AND " FEED_VISIBLE_SQL " ORDER BY p.id DESC LIMIT ?",
                     POST_COLUMNS_ARGS(v), DB_I64(before), FEED_VISIBLE_ARGS(v), DB_I64(limit + 1));
        break;
    case FEED_COMMUNITY:
        /*
         * Pinned posts come first on the first page, then the others by id.  Each part walks
         * its own index (post_community_pinned, post_community) and stops at a page, so only
         * the two pages' ids are sorted, never the community's whole feed; the columns are
         * read once, for those ids (a smaller statement: PostgreSQL plans it on each run).
         */
        q = db_query(db,
                     "SELECT " POST_COLUMNS
                     " FROM (SELECT * FROM (SELECT p.id, p.community_pinned_ms"
                     " AS pin FROM post p WHERE p.community_id = ? AND ? = 0"
                     " AND p.community_pinned_ms > 0 AND " FEED_COMMUNITY_VISIBLE_SQL
                     " ORDER BY p.community_pinned_ms DESC LIMIT ?) pinned"
                     " UNION ALL SELECT * FROM (SELECT p.id, 0 FROM post p"
                     " WHERE p.community_id = ? AND p.id < ? AND p.community_pinned_ms = 0"
                     " AND " FEED_COMMUNITY_VISIBLE_SQL " ORDER BY p.id DESC LIMIT ?) recent) k"
                     " JOIN post p ON p.id = k.id" POST_JOINS
                     " ORDER BY k.pin DESC, k.id DESC LIMIT ? /*sort-ok: two pages at most*/",
                     POST_COLUMNS_ARGS(v), DB_I64(fq->key), DB_BOOL(fq->before_id > 0),
                     FEED_COMMUNITY_VISIBLE_ARGS(v, fq->key), DB_I64(limit + 1), DB_I64(fq->key),
                     DB_I64(before), FEED_COMMUNITY_VISIBLE_ARGS(v, fq->key), DB_I64(limit + 1),
                     DB_I64(limit + 1));
        break;
    }
    if (!q)
        BUG("feed_list: unknown feed kind %d", (int)fq->kind);
    return collect(db, a, v, q, limit, items, len, next);
}

int feed_announcements(struct db *db, struct arena *a, const struct viewer *v,
                       struct feed_post **items, size_t *len)
{
    int64_t next;
    struct stmt *q = db_query(db,
                              "SELECT " POST_COLUMNS " FROM post p" POST_JOINS
                              " WHERE p.pinned_ms > 0 AND " FEED_VISIBLE_SQL
                              " AND NOT EXISTS (SELECT 1 FROM announcement_dismissal d"
                              " WHERE d.account_id = ? AND d.post_id = p.id)"
                              " ORDER BY p.pinned_ms DESC LIMIT 6",
                              POST_COLUMNS_ARGS(v), FEED_VISIBLE_ARGS(v), DB_I64(v->id));

    return collect(db, a, v, q, 5, items, len, &next);
}

int feed_comments(struct db *db, struct arena *a, int64_t post_id, struct feed_comment **items,
                  size_t *len)
{
    /* Parents by id, each followed by its replies by id. */
    struct stmt *q = db_query(db,
                              "SELECT c.id, COALESCE(c.parent_id, 0), c.author_id, a.name, c.body,"
                              " c.created_ms, c.edited_ms FROM comment c"
                              " JOIN account a ON a.id = c.author_id WHERE c.post_id = ?"
                              " ORDER BY COALESCE(c.parent_id, c.id), c.id",
                              DB_I64(post_id));
    size_t cap = 0;

    *items = NULL;
    *len = 0;
    while (db_row(q)) {
        if (*len == cap) {
            struct feed_comment *grown = arena_array(a, cap = cap ? cap * 2 : 16, sizeof(*grown));
            if (*len)
                memcpy(grown, *items, *len * sizeof(*grown));
            *items = grown;
        }
        (*items)[(*len)++] = (struct feed_comment){
            .id = db_i64(q, 0),
            .post_id = post_id,
            .parent_id = db_i64(q, 1),
            .author = {.id = db_i64(q, 2), .name = arena_strdup(a, db_text(q, 3)), .photo = ""},
            .body = arena_strdup(a, db_text(q, 4)),
            .created_ms = db_i64(q, 5),
            .edited_ms = db_i64(q, 6),
        };
    }
    return db_end(q);
}

int feed_reactors(struct db *db, struct arena *a, int64_t post_id, size_t limit,
                  struct feed_author **who, enum feed_reaction **kinds, size_t *len)
{
    struct stmt *q = db_query(db,
                              "SELECT a.id, a.name, r.kind FROM reaction r"
                              " JOIN account a ON a.id = r.account_id WHERE r.post_id = ?"
                              " ORDER BY r.created_ms DESC, a.id LIMIT ?",
                              DB_I64(post_id), DB_I64(limit));

    *who = arena_array(a, limit + 1, sizeof(**who));
    *kinds = arena_array(a, limit + 1, sizeof(**kinds));
    *len = 0;
    while (db_row(q)) {
        (*who)[*len] = (struct feed_author){
            .id = db_i64(q, 0), .name = arena_strdup(a, db_text(q, 1)), .photo = ""};
        (*kinds)[(*len)++] = feed_reaction_parse(db_text(q, 2));
    }
    return db_end(q);
}

int feed_revisions(struct db *db, struct arena *a, int64_t id, bool is_comment,
                   struct feed_revision **items, size_t *len)
{
    struct stmt *q = is_comment ? db_query(db,
                                           "SELECT body, created_ms FROM comment_revision"
                                           " WHERE comment_id = ? ORDER BY id",
                                           DB_I64(id))
                                : db_query(db,
                                           "SELECT body, created_ms FROM post_revision"
                                           " WHERE post_id = ? ORDER BY id",
                                           DB_I64(id));
    size_t cap = 0;

    *items = NULL;
    *len = 0;
    while (db_row(q)) {
        if (*len == cap) {
            struct feed_revision *grown = arena_array(a, cap = cap ? cap * 2 : 4, sizeof(*grown));
            if (*len)
                memcpy(grown, *items, *len * sizeof(*grown));
            *items = grown;
        }
        (*items)[(*len)++] = (struct feed_revision){.body = arena_strdup(a, db_text(q, 0)),
                                                    .created_ms = db_i64(q, 1)};
    }
    return db_end(q);
}
