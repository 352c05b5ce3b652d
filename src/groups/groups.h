/*
 * groups.h - communities: a purpose, a visibility, members with roles,
 * their feed, discussions (forum threads) and the site's policy.
 *
 * Who may see what, in one place (groups_access): a public community is
 * seen and read by every member but guests; a private one is listed for
 * members (not guests) but its content is for its members; a secret one
 * exists only for its members.  Guests see only the communities they were
 * added to.  Administrators are no exception for content; they see every
 * community in the policy page (names and counts) and may archive one.
 * Anything a viewer may not know exists answers 404, exactly like a
 * community that does not exist.
 *
 * The post rule of the feed (FEED_VISIBLE_SQL in feed/feed.h) says the
 * same thing in SQL; a change to one is a change to both.
 */
#ifndef RUCHE_GROUPS_H
#define RUCHE_GROUPS_H

#include "../http/http.h"

struct db;
struct html;

/* ---- limits ------------------------------------------------------------ */
#define GROUPS_NAME_MAX 80     /* characters */
#define GROUPS_PURPOSE_MAX 200 /* characters: one sentence */
#define GROUPS_DESCRIPTION_MAX 5000
#define GROUPS_TITLE_MAX 200  /* a discussion's title */
#define GROUPS_BODY_MAX 10000 /* a discussion or reply body */
#define GROUPS_PAGE 30

enum groups_visibility { GROUPS_PUBLIC, GROUPS_PRIVATE, GROUPS_SECRET };

/* "public", "private", "secret"; parse answers false for anything else. */
const char *groups_visibility_name(enum groups_visibility v);
bool groups_visibility_parse(const char *s, enum groups_visibility *out);

/* Where the viewer stands in a community. */
enum groups_standing {
    GROUPS_NONE,      /* not a member */
    GROUPS_REQUESTED, /* asked to join a private community */
    GROUPS_INVITED,   /* invited, not yet accepted */
    GROUPS_MEMBER,
    GROUPS_ANIMATOR,
};

/* A community as a page or a list shows it, and the viewer's rights there. */
struct community {
    int64_t id;
    const char *name, *purpose, *description;
    enum groups_visibility visibility;
    bool has_cover;
    int64_t created_ms, archived_ms, last_activity_ms;
    int64_t member_count;
    enum groups_standing standing; /* of the viewer */
    bool can_read;   /* its feed, discussions, members: members, or anyone allowed if public */
    bool can_write;  /* post, discuss, reply: members, when not archived */
    bool can_manage; /* edit, members, requests, pins: its animators (when not archived) */
};

/*
 * Load community id as v may know it: ERR_NOTFOUND when it does not exist
 * or v may not know it exists (secret and not a member; any community a
 * guest was not added to).  Memory from a.  (groups.c)
 */
int groups_access(struct db *db, struct arena *a, const struct viewer *v, int64_t id,
                  struct community *out);

/* True when members a and b both belong to some community (people's visibility rule). */
bool groups_share_community(struct db *db, int64_t a_id, int64_t b_id);

/* A community in a list of someone's communities. */
struct groups_brief {
    int64_t id;
    const char *name, *purpose;
};

/* The communities (not archived) member_id belongs to that v may know exist, by name, at most
 * GROUPS_PAGE.  Memory from a. */
int groups_of_member(struct db *db, struct arena *a, const struct viewer *v, int64_t member_id,
                     struct groups_brief **items, size_t *len);

/* Record activity in community id now (posts, comments, discussions). */
int groups_touch(struct db *db, int64_t id);

/*
 * True when account ? (a member, not a guest: the caller checks) shares a
 * community with the account whose id is account_col.  Argument: the
 * viewer's id.  people_share_community()'s rule in SQL.
 */
#define GROUPS_SHARE_SQL(account_col)                                                              \
    "EXISTS (SELECT 1 FROM community_member gx JOIN community_member gy"                           \
    " ON gy.community_id = gx.community_id AND gy.account_id = " account_col                       \
    " AND gy.state = 'member' WHERE gx.account_id = ? AND gx.state = 'member')"

/*
 * True when the account whose id is account_col may know that community
 * community_col exists: groups_access()'s rule in SQL (its members and
 * the accounts invited to it know any community; other members, not
 * guests, know the public and private ones).  Argument: whether that
 * account is a guest, DB_BOOL(role == ROLE_GUEST).
 */
#define GROUPS_KNOWN_SQL(community_col, account_col)                                               \
    "EXISTS (SELECT 1 FROM community gk WHERE gk.id = " community_col                              \
    " AND ((? = 0 AND gk.visibility <> 'secret') OR EXISTS (SELECT 1 FROM community_member gkm"    \
    " WHERE gkm.community_id = gk.id AND gkm.account_id = " account_col                            \
    " AND gkm.state IN ('member', 'invited'))))"

/* True while account_col is invited to community_col (an invitation makes it known).  No
 * argument. */
#define GROUPS_INVITED_SQL(community_col, account_col)                                             \
    "EXISTS (SELECT 1 FROM community_member gi WHERE gi.community_id = " community_col             \
    " AND gi.account_id = " account_col " AND gi.state = 'invited')"

/*
 * True while requester_col asks to join community_col and animator_col
 * animates it, the community not archived: the request is still one that
 * animator may answer.  No argument.
 */
#define GROUPS_REQUEST_PENDING_SQL(community_col, requester_col, animator_col)                     \
    "EXISTS (SELECT 1 FROM community_member gr JOIN community gc ON gc.id = gr.community_id"       \
    " AND gc.archived_ms = 0 JOIN community_member ga ON ga.community_id = gr.community_id"        \
    " AND ga.account_id = " animator_col " AND ga.state = 'member' AND ga.role = 'animator'"       \
    " WHERE gr.community_id = " community_col " AND gr.account_id = " requester_col                \
    " AND gr.state = 'requested')"

/* ---- creating and editing ------------------------------------------------ */

/* The fields of a community being created (all but description and cover required) or
 * edited (NULL: unchanged). */
struct groups_fields {
    const char *name, *purpose, *description, *visibility;
    const char *cover_hash; /* filestore hash of the cover, "" to remove it */
};

/* Check f: 0, or ERR_INVALID / ERR_TOOBIG with *field ("name", "purpose", "description",
 * "visibility") and *problem (a French message id for i18n_text()). */
int groups_fields_check(const struct groups_fields *f, bool creating, const char **field,
                        const char **problem);

/* May v create a community?  Guests never; animators and administrators always; members
 * when the site setting 'communities.create' is 'members'. */
bool groups_may_create(struct db *db, const struct viewer *v);

/*
 * Create a community with v as its animator.  *id_out receives its id.
 * ERR_DENIED (may not create), ERR_INVALID / ERR_TOOBIG / ERR_EXISTS (the
 * name is taken) with *field and *problem.
 */
int groups_create(struct db *db, const struct viewer *v, const struct groups_fields *f,
                  int64_t *id_out, const char **field, const char **problem);

/* Change the non-NULL fields of community id (its animators).  Errors as groups_create(),
 * plus ERR_NOTFOUND. */
int groups_update(struct db *db, struct arena *a, const struct viewer *v, int64_t id,
                  const struct groups_fields *f, const char **field, const char **problem);

/* The cover's hash of community id as v may see it (v knows the community); NULL when none. */
const char *groups_cover(struct db *db, struct arena *a, const struct viewer *v, int64_t id);

/* ---- membership ---------------------------------------------------------- */
/*
 * Every change below runs in one transaction that locks the community row,
 * checks v's rights there, changes the membership and recounts the members.
 * Errors: ERR_NOTFOUND (v may not know the community); ERR_DENIED (v may not
 * do it, or the community is archived); ERR_EXISTS (a conflict: already a
 * member, the last animator); ERR_INVALID (no such member, nothing to
 * answer).  *problem then holds a French message id.
 *
 * In the same transaction, an invitation notifies the invited member, a
 * request to join notifies the community's animators and an approval the
 * requester (notify_add_community()); then the unread counts of the member
 * concerned and of whoever holds unread notifications about the community
 * are sent again, since a change of membership shows or hides some.
 */

/* Join: a public community at once, a private one by a request, any community v was
 * invited to (accepting).  *now receives v's standing afterwards. */
int groups_join(struct db *db, struct arena *a, const struct viewer *v, int64_t id,
                enum groups_standing *now, const char **problem);
/* The invited member accepts or declines. */
int groups_invitation_answer(struct db *db, struct arena *a, const struct viewer *v, int64_t id,
                             bool accept, const char **problem);
/* Invite account_id: members invite into public and private communities; only animators
 * invite into a secret one, and only they invite guests.  A pending request invited by an
 * animator is approved. */
int groups_invite(struct db *db, struct arena *a, const struct viewer *v, int64_t id,
                  int64_t account_id, const char **problem);
/* Withdraw the invitation of account_id: an animator cancels it, or the invited member
 * declines it.  ERR_INVALID when there is none. */
int groups_invitation_cancel(struct db *db, struct arena *a, const struct viewer *v, int64_t id,
                             int64_t account_id, const char **problem);
/* An animator approves or refuses the request of account_id. */
int groups_request_answer(struct db *db, struct arena *a, const struct viewer *v, int64_t id,
                          int64_t account_id, bool approve, const char **problem);
/* An animator adds account_id at once (guests included). */
int groups_member_add(struct db *db, struct arena *a, const struct viewer *v, int64_t id,
                      int64_t account_id, const char **problem);
/* Remove account_id: oneself (leave, withdraw a request, decline an invitation) or, by an
 * animator, anyone (also cancels invitations and refuses requests).  The last animator
 * cannot go. */
int groups_member_remove(struct db *db, struct arena *a, const struct viewer *v, int64_t id,
                         int64_t account_id, const char **problem);
/* An animator makes member account_id an animator or a plain member; the last animator
 * stays one. */
int groups_role_set(struct db *db, struct arena *a, const struct viewer *v, int64_t id,
                    int64_t account_id, bool animator, const char **problem);

/* ---- lists ----------------------------------------------------------------- */

struct groups_filter {
    const char *q;    /* name search (folded substring), NULL or "" for all */
    const char *kind; /* "public", "private", "secret", or NULL / "" */
    bool mine;        /* only v's communities */
    bool invited;     /* only those v is invited to (then archived ones too) */
    int64_t after_id; /* cursor: the communities after this one in name order */
};

/*
 * One page of the directory as v may see it, by folded name: the listed
 * communities (not archived; public and private ones for members, and v's
 * own).  *next receives the cursor of the next page or 0.  ERR_INVALID for
 * an unknown kind.  Memory from a.
 */
int groups_list(struct db *db, struct arena *a, const struct viewer *v,
                const struct groups_filter *f, size_t limit, struct community **items, size_t *len,
                int64_t *next);

struct groups_member {
    int64_t id;
    const char *name;
    enum role role;                /* on the site */
    enum groups_standing standing; /* GROUPS_MEMBER, GROUPS_ANIMATOR, _REQUESTED, _INVITED */
    int64_t since_ms;
};

/*
 * People of community id by folded name: which is GROUPS_MEMBER (every
 * member, animators included), GROUPS_ANIMATOR, GROUPS_REQUESTED or
 * GROUPS_INVITED.  The caller checked that the viewer may see them.
 * Paginated by key (after_id); memory from a.
 */
int groups_members(struct db *db, struct arena *a, int64_t id, enum groups_standing which,
                   int64_t after_id, size_t limit, struct groups_member **items, size_t *len,
                   int64_t *next);

/* ---- policy (administrators) ----------------------------------------------- */

#define GROUPS_HEALTH_DAYS 30

struct groups_health {
    struct community c;   /* name, purpose, visibility, counts; no rights */
    int64_t contributors; /* distinct members who posted, commented or discussed */
    int64_t posts;        /* posts over the last GROUPS_HEALTH_DAYS days */
};

/* Every community (archived ones too), by folded name, with its health.  Memory from a. */
int groups_policy(struct db *db, struct arena *a, struct groups_health **items, size_t *len);

struct groups_settings {
    bool members_create;      /* 'communities.create' = 'members' */
    int private_warn_percent; /* 'communities.private_warn_percent', 0..100 */
};

int groups_settings_get(struct db *db, struct groups_settings *out);
int groups_settings_set(struct db *db, const struct groups_settings *s);

/* Archive (read-only, out of the listings) or reopen community id.  ERR_NOTFOUND. */
int groups_archive(struct db *db, int64_t id, bool archived);

extern const struct route groups_routes[];     /* routes.c: pages and forms */
extern const struct route groups_api_routes[]; /* groups_api.c: the JSON API */
/* The forum: discussions and replies, pages and API (discussions_web.c). */
extern const struct route discussions_routes[];

#endif
