/*
 * feed_post.c - writing posts: publish, edit with revisions, delete, pin
 * as an announcement, and reactions.
 *
 * Each change is one transaction: the post, what its text names (mentions,
 * tags, link), the notifications and the live events are saved together
 * or not at all.
 */
#include "feed.h"
#include "../auth/auth.h"
#include "../core/str.h"
#include "../db/db.h"
#include "../groups/groups.h"
#include "../live/live.h"
#include "../notify/notify.h"
#include "../web/i18n.h"

static const char *const reaction_names[FEED_REACTION_COUNT] = {
    [FEED_REACTION_LIKE] = "like",       [FEED_REACTION_BRAVO] = "bravo",
    [FEED_REACTION_IDEA] = "idea",       [FEED_REACTION_THANKS] = "thanks",
    [FEED_REACTION_SUPPORT] = "support",
};

const char *feed_reaction_name(enum feed_reaction k)
{
    return k >= 0 && k < FEED_REACTION_COUNT ? reaction_names[k] : "?";
}

enum feed_reaction feed_reaction_parse(const char *name)
{
    for (int k = 0; name && k < FEED_REACTION_COUNT; k++)
        if (strcmp(name, reaction_names[k]) == 0)
            return (enum feed_reaction)k;
    return FEED_REACTION_NONE;
}

int feed_body_check(const char *body, size_t max_chars, const char **problem)
{
    size_t len = body ? strlen(body) : 0, trimmed;

    if (!body || !str_trim(body, &trimmed) || trimmed == 0) {
        *problem = N_("Le texte est vide.");
        return ERR_INVALID;
    }
    if (!str_is_utf8(body, len)) {
        *problem = N_("Le texte n'est pas de l'UTF-8 valide.");
        return ERR_INVALID;
    }
    if (str_utf8_len(body, len) > max_chars) {
        *problem = max_chars == FEED_COMMENT_MAX
                       ? N_("Un commentaire compte au plus 5 000 caractères.")
                       : N_("Une publication compte au plus 10 000 caractères.");
        return ERR_TOOBIG;
    }
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)body[i];
        /* C1 controls, U+0080 to U+009F, are C2 80 to C2 9F in (valid) UTF-8. */
        if ((c < 0x20 && c != '\n' && c != '\r' && c != '\t') || c == 0x7f ||
            (c == 0xc2 && (unsigned char)body[i + 1] <= 0x9f)) {
            *problem = N_("Le texte contient un caractère de contrôle.");
            return ERR_INVALID;
        }
    }
    return 0;
}

bool feed_may_edit(const struct viewer *v, const struct feed_post *p)
{
    return v->id != 0 && v->id == p->author.id && !p->read_only;
}

bool feed_may_delete(const struct viewer *v, const struct feed_post *p)
{
    return !p->read_only && (feed_may_edit(v, p) || v->role == ROLE_ADMIN || p->viewer_animates);
}

bool feed_may_take_part(const struct viewer *v, const struct feed_post *p)
{
    return v->id != 0 && (p->community_id == 0 || (p->viewer_member && !p->read_only));
}

bool feed_post_readable_by(struct db *db, int64_t id, int64_t account_id)
{
    struct arena a;
    char *role = NULL;
    int64_t one = 0;
    bool readable = false;

    arena_init(&a);
    if (db_get_text(db, &a, &role,
                    "SELECT role FROM account WHERE id = ? AND status <> 'deactivated'",
                    DB_I64(account_id)) == 0) {
        struct viewer who = {.id = account_id, .role = auth_role_parse(role)};
        readable = db_get_i64(db, &one, "SELECT 1 FROM post p WHERE p.id = ? AND " FEED_VISIBLE_SQL,
                              DB_I64(id), FEED_VISIBLE_ARGS(&who)) == 0;
    }
    arena_clear(&a);
    return readable;
}

/*
 * May v publish in community id?  The rule is groups_access()'s: 0 when v
 * may write there (a member, not archived); ERR_DENIED with *problem when
 * v may see it but not write there; ERR_NOTFOUND when v may not even know
 * it exists (a secret community, or none).
 */
static int community_writable(struct db *db, const struct viewer *v, int64_t id,
                              const char **problem)
{
    struct community c;
    struct arena a;
    int rc;

    arena_init(&a);
    rc = groups_access(db, &a, v, id, &c);
    if (rc == 0 && !c.can_write) {
        rc = ERR_DENIED;
        *problem = c.archived_ms ? N_("Cette communauté est archivée : on ne peut plus y publier.")
                                 : N_("Vous ne pouvez pas publier ici.");
    }
    arena_clear(&a);
    return rc;
}

/*
 * True when announce() tells member who of post id anyway: a follower of
 * its author (a profile post) or a member of its community.  A mention then
 * adds no second "feed.new_posts": the home feed gains one post.
 */
static bool announced_to(struct db *db, int64_t id, int64_t who)
{
    int64_t one = 0;

    return db_get_i64(db, &one,
                      "SELECT 1 FROM post p WHERE p.id = ? AND (CASE WHEN p.community_id IS NULL"
                      " THEN EXISTS (SELECT 1 FROM follow f WHERE f.follower_id = ?"
                      " AND f.followed_id = p.author_id)"
                      " ELSE EXISTS (SELECT 1 FROM community_member m"
                      " WHERE m.community_id = p.community_id AND m.account_id = ?"
                      " AND m.state = 'member') END)",
                      DB_I64(id), DB_I64(who), DB_I64(who)) == 0;
}

/* Record the mentions (notifying the members not yet mentioned) and tags of post id. */
static int save_parsed(struct db *db, struct arena *a, const struct viewer *v, int64_t id,
                       const struct feed_parsed *parsed)
{
    int rc = db_exec(db, "DELETE FROM post_tag WHERE post_id = ?", DB_I64(id));

    for (size_t i = 0; rc == 0 && i < parsed->tags_len; i++)
        rc = db_exec(db, "INSERT INTO post_tag(post_id, tag) VALUES (?, ?)", DB_I64(id),
                     DB_TEXT(parsed->tags[i]));
    for (size_t i = 0; rc == 0 && i < parsed->mentions_len; i++) {
        int64_t who = parsed->mentions[i].id;
        rc = db_exec(db,
                     "INSERT INTO post_mention(post_id, account_id) VALUES (?, ?)"
                     " ON CONFLICT DO NOTHING",
                     DB_I64(id), DB_I64(who));
        /* Only a member who may read the post hears of it: not a non-member named in a
         * private or secret community (not even a live event or an unread count). */
        if (rc == 0 && db_changes(db) == 1 && who != v->id && feed_post_readable_by(db, id, who)) {
            rc = notify_add(db, who, NOTIFY_MENTION, v->id, id, 0);
            if (rc == 0 && !announced_to(db, id, who))
                rc = live_publish(db, "feed.new_posts", who,
                                  arena_printf(a, "{\"add\":1,\"post_id\":%lld}", (long long)id));
        }
    }
    return rc;
}

/*
 * Tell whose home feed the post reaches: the author's followers for a
 * profile post, the community's members for a community post (only they
 * are sure to be allowed to read it).
 */
static int announce(struct db *db, struct arena *a, const struct viewer *v, int64_t id,
                    int64_t community_id)
{
    const char *payload = arena_printf(a, "{\"add\":1,\"post_id\":%lld}", (long long)id);

    if (community_id)
        return live_publish_community(db, "feed.new_posts", community_id, v->id, payload);
    return live_publish_followers(db, "feed.new_posts", v->id, payload);
}

int feed_post_check(struct db *db, const struct viewer *v, const struct feed_new_post *p,
                    const char **problem)
{
    int rc;

    *problem = NULL;
    if ((rc = feed_body_check(p->body, FEED_BODY_MAX, problem)) < 0)
        return rc;
    /* Guests write only in the communities they were added to. */
    rc = p->community_id ? community_writable(db, v, p->community_id, problem)
                         : (v->role == ROLE_GUEST ? ERR_DENIED : 0);
    if (rc == ERR_DENIED && !*problem)
        *problem = N_("Vous ne pouvez pas publier ici.");
    return rc;
}

int feed_post_create(struct db *db, struct arena *a, const struct viewer *v,
                     const struct feed_new_post *p, int64_t *id_out, const char **problem)
{
    return feed_post_create_with(db, a, v, p, NULL, NULL, id_out, problem);
}

int feed_post_create_with(struct db *db, struct arena *a, const struct viewer *v,
                          const struct feed_new_post *p, feed_post_saved_fn *saved, void *ctx,
                          int64_t *id_out, const char **problem)
{
    struct feed_parsed parsed;
    int64_t id = 0;
    int rc;

    if ((rc = feed_post_check(db, v, p, problem)) < 0)
        return rc;
    if ((rc = feed_parse(db, a, p->body, &parsed)) < 0)
        return rc;
    if ((rc = db_tx_begin(db)) < 0)
        return rc;
    rc = db_get_i64(db, &id,
                    "INSERT INTO post(author_id, community_id, body, link_url, created_ms)"
                    " VALUES (?, ?, ?, ?, ?) RETURNING id",
                    DB_I64(v->id), p->community_id ? DB_I64(p->community_id) : DB_NULL,
                    DB_TEXT(p->body), DB_TEXT(parsed.link_url), DB_I64(time_now_ms()));
    if (rc == 0 && p->community_id)
        rc = groups_touch(db, p->community_id);
    if (rc == 0)
        rc = save_parsed(db, a, v, id, &parsed);
    if (rc == 0 && saved)
        rc = saved(db, id, ctx);
    if (rc == 0 && *parsed.link_url)
        rc = feed_preview_request(db, parsed.link_url);
    if (rc == 0)
        rc = announce(db, a, v, id, p->community_id);
    if (rc < 0) {
        db_tx_rollback(db);
        return rc;
    }
    if ((rc = db_tx_commit(db)) < 0)
        return rc;
    *id_out = id;
    return 0;
}

int feed_post_edit(struct db *db, struct arena *a, const struct viewer *v, int64_t id,
                   const char *body, const char **problem)
{
    struct feed_post post;
    struct feed_parsed parsed;
    int64_t now = time_now_ms();
    int rc;

    if ((rc = feed_post_load(db, a, v, id, &post)) < 0)
        return rc;
    if (!feed_may_edit(v, &post))
        return ERR_DENIED;
    if ((rc = feed_body_check(body, FEED_BODY_MAX, problem)) < 0)
        return rc;
    if (strcmp(body, post.body) == 0)
        return 0;
    if ((rc = feed_parse(db, a, body, &parsed)) < 0)
        return rc;
    if ((rc = db_tx_begin(db)) < 0)
        return rc;
    rc = db_exec(db, "INSERT INTO post_revision(post_id, body, created_ms) VALUES (?, ?, ?)",
                 DB_I64(id), DB_TEXT(post.body),
                 DB_I64(post.edited_ms ? post.edited_ms : post.created_ms));
    if (rc == 0)
        rc = db_exec(db, "UPDATE post SET body = ?, link_url = ?, edited_ms = ? WHERE id = ?",
                     DB_TEXT(body), DB_TEXT(parsed.link_url), DB_I64(now), DB_I64(id));
    if (rc == 0)
        rc = save_parsed(db, a, v, id, &parsed);
    if (rc == 0 && *parsed.link_url)
        rc = feed_preview_request(db, parsed.link_url);
    if (rc < 0) {
        db_tx_rollback(db);
        return rc;
    }
    return db_tx_commit(db);
}

int feed_post_delete(struct db *db, struct arena *a, const struct viewer *v, int64_t id)
{
    struct feed_post post;
    int rc = feed_post_load(db, a, v, id, &post);

    if (rc == 0 && !feed_may_delete(v, &post))
        rc = ERR_DENIED;
    /* Comments first: a reply's parent and the post both cascade to it. */
    if (rc == 0 && (rc = db_tx_begin(db)) == 0) {
        rc = db_exec(db, "DELETE FROM comment WHERE post_id = ? AND parent_id IS NOT NULL",
                     DB_I64(id));
        if (rc == 0 && post.attachment_count > 0)
            rc = feed_attachments_forget(db, a, id);
        if (rc == 0)
            rc = db_exec(db, "DELETE FROM post WHERE id = ?", DB_I64(id));
        if (rc < 0)
            db_tx_rollback(db);
        else
            rc = db_tx_commit(db);
    }
    return rc;
}

int feed_post_pin(struct db *db, struct arena *a, const struct viewer *v, int64_t id, bool pin)
{
    struct feed_post post;
    int rc = feed_post_load(db, a, v, id, &post);

    if (rc < 0)
        return rc;
    if (post.community_id)
        return post.viewer_animates && !post.read_only
                   ? db_exec(db, "UPDATE post SET community_pinned_ms = ? WHERE id = ?",
                             DB_I64(pin ? time_now_ms() : 0), DB_I64(id))
                   : ERR_DENIED;
    if (v->role != ROLE_ADMIN)
        return ERR_DENIED;
    return db_exec(db, "UPDATE post SET pinned_ms = ? WHERE id = ?",
                   DB_I64(pin ? time_now_ms() : 0), DB_I64(id));
}

int feed_announcement_dismiss(struct db *db, const struct viewer *v, int64_t id)
{
    return db_exec(db,
                   "INSERT INTO announcement_dismissal(post_id, account_id)"
                   " SELECT id, ? FROM post WHERE id = ? AND pinned_ms > 0"
                   " ON CONFLICT DO NOTHING",
                   DB_I64(v->id), DB_I64(id));
}

/* post.reaction_count follows the reaction table. */
static int count_reactions(struct db *db, int64_t id)
{
    return db_exec(db,
                   "UPDATE post SET reaction_count ="
                   " (SELECT count(*) FROM reaction WHERE post_id = ?) WHERE id = ?",
                   DB_I64(id), DB_I64(id));
}

int feed_react(struct db *db, struct arena *a, const struct viewer *v, int64_t id,
               enum feed_reaction k)
{
    struct feed_post post;
    int rc = feed_post_load(db, a, v, id, &post);

    if (rc < 0)
        return rc;
    if (!feed_may_take_part(v, &post))
        return ERR_DENIED;
    if ((rc = db_tx_begin(db)) < 0)
        return rc;
    if (k == FEED_REACTION_NONE) {
        rc = db_exec(db, "DELETE FROM reaction WHERE post_id = ? AND account_id = ?", DB_I64(id),
                     DB_I64(v->id));
    } else {
        rc = db_exec(db,
                     "INSERT INTO reaction(post_id, account_id, kind, created_ms)"
                     " VALUES (?, ?, ?, ?) ON CONFLICT (post_id, account_id)"
                     " DO UPDATE SET kind = excluded.kind",
                     DB_I64(id), DB_I64(v->id), DB_TEXT(feed_reaction_name(k)),
                     DB_I64(time_now_ms()));
        if (rc == 0 && db_changes(db) == 1 && post.my_reaction == FEED_REACTION_NONE &&
            post.author.id != v->id)
            rc = notify_add(db, post.author.id, NOTIFY_REACTION, v->id, id, 0);
    }
    if (rc == 0)
        rc = count_reactions(db, id);
    if (rc < 0) {
        db_tx_rollback(db);
        return rc;
    }
    return db_tx_commit(db);
}
