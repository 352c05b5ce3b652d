/*
 * discussions.h - the forum of a community: threads with a title and a
 * Markdown body, replies oldest first, sticky and locked threads, a best
 * answer that resolves a thread, and subscriptions that notify a member of
 * each new reply.
 *
 * Rights come from the community (groups_access()): a thread is read by
 * whoever may read its community (c.can_read; anyone else gets
 * ERR_NOTFOUND, so a private or secret thread does not leak its
 * existence), written in by its members while it is not archived
 * (c.can_write), and moderated (sticky, locked) by its animators
 * (c.can_manage).  Its author or an animator marks the best answer; its
 * author edits it; its author, an animator or an administrator who may
 * read it deletes it.  Replies follow the same rules.
 *
 * discussions.c is the only file that touches the discussion,
 * discussion_reply and discussion_subscription tables.
 */
#ifndef RUCHE_DISCUSSIONS_H
#define RUCHE_DISCUSSIONS_H

#include "groups.h"

#define DISCUSSIONS_REPLY_PAGE 100 /* replies per page of a thread */
#define DISCUSSIONS_PAGE_MAX 50    /* the API's ?limit= at most */
#define DISCUSSIONS_STICKY_MAX 20  /* sticky threads shown above the first page */

/*
 * Who may read discussion d (alias d): the members of its community, and
 * every member but guests when the community is public; the condition of
 * groups_access()'s can_read, in SQL, for the notifications.  Arguments:
 * DISCUSSIONS_VISIBLE_ARGS(v), in this order.
 */
#define DISCUSSIONS_VISIBLE_SQL                                                                    \
    "EXISTS (SELECT 1 FROM community dc WHERE dc.id = d.community_id"                              \
    " AND ((dc.visibility = 'public' AND ? = 0) OR EXISTS (SELECT 1 FROM community_member dm"      \
    " WHERE dm.community_id = dc.id AND dm.account_id = ? AND dm.state = 'member')))"
#define DISCUSSIONS_VISIBLE_ARGS(v) DB_BOOL((v)->role == ROLE_GUEST), DB_I64((v)->id)

struct discussion_author {
    int64_t id;
    const char *name;
    const char *photo; /* hash of the 64 px photo as the viewer may see it, or "" */
};

struct discussion {
    int64_t id, community_id;
    struct discussion_author author;
    const char *title;
    const char *body; /* Markdown as typed */
    int64_t created_ms, edited_ms, last_activity_ms;
    int64_t reply_count;
    bool is_sticky, is_locked;
    int64_t best_reply_id; /* > 0: resolved with that reply as its best answer */
};

struct discussion_reply {
    int64_t id, discussion_id;
    struct discussion_author author;
    const char *body;
    int64_t created_ms, edited_ms;
};

/* The position of a thread in its community's list: last activity, then id. */
struct discussion_cursor {
    int64_t ms, id; /* both 0: the first page */
};

/* "MS-ID" into *out; false when malformed.  NULL or "" is the first page. */
bool discussions_cursor_parse(const char *s, struct discussion_cursor *out);
/* The cursor as "MS-ID" in memory from a. */
const char *discussions_cursor_text(struct arena *a, const struct discussion_cursor *c);

/* ---- reading ---------------------------------------------------------------- */

/*
 * Load thread id and its community as v may know them: ERR_NOTFOUND when
 * the thread does not exist or v may not read its community.  Memory from a.
 */
int discussions_load(struct db *db, struct arena *a, const struct viewer *v, int64_t id,
                     struct discussion *out, struct community *c);

/*
 * One page of the threads of community c (which v may read): on the first
 * page (before zero) its sticky threads first, then the others by last
 * activity, newest first, limit at most.  *next receives the cursor of the
 * next page, or zeros when this is the last.  Memory from a.
 */
int discussions_list(struct db *db, struct arena *a, const struct viewer *v,
                     const struct community *c, const struct discussion_cursor *before,
                     size_t limit, struct discussion **items, size_t *len,
                     struct discussion_cursor *next);

/*
 * Replies of thread d after reply after_id (0: from the first), oldest
 * first, at most limit; *next receives the id to continue after, or 0.
 */
int discussions_replies(struct db *db, struct arena *a, const struct viewer *v,
                        const struct discussion *d, int64_t after_id, size_t limit,
                        struct discussion_reply **items, size_t *len, int64_t *next);
/* Reply id of thread d.  ERR_NOTFOUND. */
int discussions_reply_load(struct db *db, struct arena *a, const struct viewer *v,
                           const struct discussion *d, int64_t id, struct discussion_reply *out);

/* True when member account_id follows thread id. */
bool discussions_is_subscribed(struct db *db, int64_t account_id, int64_t id);

/* ---- rights ------------------------------------------------------------------ */

bool discussions_may_reply(const struct community *c, const struct discussion *d);
/* Edit a thread or a reply: its author, while they may write in the community. */
bool discussions_may_edit(const struct viewer *v, const struct community *c, int64_t author_id);
/* Delete a thread or a reply: its author or an animator (writing allowed), or an administrator. */
bool discussions_may_delete(const struct viewer *v, const struct community *c, int64_t author_id);
/* Mark or unmark the best answer: the thread's author or an animator. */
bool discussions_may_resolve(const struct viewer *v, const struct community *c,
                             const struct discussion *d);
/* Follow or stop following: whoever reads a community that is not archived. */
bool discussions_may_subscribe(const struct community *c);
/*
 * Why v may not write in c (for ERR_DENIED): a French message id saying
 * that the community is archived, that one must join it first, or that
 * the action is for others.
 */
const char *discussions_denied_reason(const struct community *c);

/* ---- writing ----------------------------------------------------------------- */

/*
 * Check a title (1 to GROUPS_TITLE_MAX characters, one line) and a body (1
 * to GROUPS_BODY_MAX characters): 0, or ERR_INVALID with *field ("title",
 * "body") and *problem (a French message id).  NULL skips a check.
 */
int discussions_check(const char *title, const char *body, const char **field,
                      const char **problem);

/*
 * Start a thread in community c by v, who is subscribed to it, in one
 * transaction (the community's activity is bumped).  The title is stored
 * trimmed.  ERR_INVALID with *field and *problem; ERR_DENIED with *problem.
 */
int discussions_create(struct db *db, struct arena *a, const struct viewer *v,
                       const struct community *c, const char *title, const char *body,
                       int64_t *id_out, const char **field, const char **problem);

/*
 * Reply to d by v in one transaction: the reply, the thread's reply count
 * and last activity, the community's activity, v's subscription and a
 * notification to every other subscriber who may still read the
 * community.  ERR_INVALID with *problem; ERR_DENIED with *problem (locked,
 * archived, not a member).
 */
int discussions_reply_create(struct db *db, struct arena *a, const struct viewer *v,
                             const struct community *c, const struct discussion *d,
                             const char *body, int64_t *id_out, const char **problem);

/* Replace the title and body of d (NULL keeps one).  Its author.  As discussions_create(). */
int discussions_edit(struct db *db, struct arena *a, const struct viewer *v,
                     const struct community *c, const struct discussion *d, const char *title,
                     const char *body, const char **field, const char **problem);
/* Replace the body of reply id of d.  Its author.  ERR_NOTFOUND, ERR_INVALID, ERR_DENIED. */
int discussions_reply_edit(struct db *db, struct arena *a, const struct viewer *v,
                           const struct community *c, const struct discussion *d, int64_t id,
                           const char *body, const char **problem);

/* Delete d with its replies, subscriptions and notifications.  ERR_DENIED with *problem. */
int discussions_delete(struct db *db, const struct viewer *v, const struct community *c,
                       const struct discussion *d, const char **problem);
/* Delete reply id of d (unmarking it as the best answer).  ERR_NOTFOUND, ERR_DENIED. */
int discussions_reply_delete(struct db *db, struct arena *a, const struct viewer *v,
                             const struct community *c, const struct discussion *d, int64_t id,
                             const char **problem);

/* Animators: pin d above the others, or lock it against replies.  ERR_DENIED with *problem. */
int discussions_set_sticky(struct db *db, const struct community *c, const struct discussion *d,
                           bool sticky, const char **problem);
int discussions_set_locked(struct db *db, const struct community *c, const struct discussion *d,
                           bool locked, const char **problem);

/*
 * Mark reply reply_id of d as its best answer, which resolves it, or
 * unmark it (reply_id 0).  ERR_NOTFOUND (no such reply in d), ERR_DENIED
 * with *problem.
 */
int discussions_resolve(struct db *db, const struct viewer *v, const struct community *c,
                        const struct discussion *d, int64_t reply_id, const char **problem);

/* Follow d (on true) or stop.  Idempotent.  ERR_DENIED with *problem (archived). */
int discussions_subscribe(struct db *db, const struct viewer *v, const struct community *c,
                          const struct discussion *d, bool on, const char **problem);

/* ---- pages and API (discussions_web.c, discussions_api.c) --------------------- */

/*
 * The thread of the route's {id} as r's viewer may read it, for a handler:
 * 0, or the error reply made (404...) with *replied set.  (discussions_web.c)
 */
int discussions_route_load(struct req *r, struct discussion *d, struct community *c, bool *replied);

int discussions_api_list(struct req *r);
int discussions_api_create(struct req *r);
int discussions_api_show(struct req *r);
int discussions_api_update(struct req *r);
int discussions_api_delete(struct req *r);
int discussions_api_reply(struct req *r);
int discussions_api_reply_update(struct req *r);
int discussions_api_reply_delete(struct req *r);
int discussions_api_resolve(struct req *r);
int discussions_api_subscribe(struct req *r);
int discussions_api_unsubscribe(struct req *r);

#endif
