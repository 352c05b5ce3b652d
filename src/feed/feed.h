/*
 * feed.h - posts, comments, reactions, @mentions, #tags, shared links,
 * attachments and the feeds that list them.
 *
 * A post is Markdown written by a member, on their profile (community_id
 * 0) or in a community (issue 7).  Saving a post parses it once to record
 * whom it mentions, its tags and its first link; rendering parses it again
 * and links the same @mentions and #tags (feed_text.c), so the stored text
 * is always exactly what the author typed.
 *
 * Who may read a post is decided in one place, FEED_VISIBLE_SQL, a SQL
 * condition on the alias p of the post table that every query listing or
 * loading posts includes with its arguments FEED_VISIBLE_ARGS(viewer):
 * a post on a profile is readable by every member but guests, and by its
 * author.  (Communities add their rule there; a community's own feed uses
 * FEED_COMMUNITY_VISIBLE_SQL, the same rule stated once for that community.)
 *
 * Feeds are newest first, by post id, with keyset pagination: a cursor is
 * the id of the last post shown, and the next page holds the posts with a
 * smaller id, so posts published meanwhile never shift a page.
 */
#ifndef RUCHE_FEED_H
#define RUCHE_FEED_H

#include "../http/http.h"

struct html;
struct db;
struct app;

/* ---- limits ------------------------------------------------------------ */
#define FEED_BODY_MAX 10000                      /* characters of a post */
#define FEED_COMMENT_MAX 5000                    /* characters of a comment */
#define FEED_PAGE 20                             /* posts per page of a feed */
#define FEED_PAGE_MAX 50                         /* the API's ?limit= at most */
#define FEED_TAG_MAX 50                          /* characters of a tag */
#define FEED_TAGS_MAX 30                         /* tags recorded per post */
#define FEED_MENTIONS_MAX 50                     /* members notified per post */
#define FEED_ATTACH_MAX 10                       /* files per post */
#define FEED_ATTACH_BYTES_MAX (20 * 1024 * 1024) /* per file */
/* A whole post with its files: under the server's BODY_DRAIN_MAX (64 MB), so an answer over the
 * limit is still read and answered with a clear 413 page. */
#define FEED_ATTACH_BODY_LIMIT (60 * 1024 * 1024)
#define FEED_URL_MAX 2000 /* bytes of a shared link */

/*
 * Who may read post p (alias p): a profile post, members (not guests) and
 * its author; a community post, the community's members, and every member
 * but guests when the community is public.  Administrators are no
 * exception: private and secret content stays with the members.
 * Arguments: FEED_VISIBLE_ARGS(v), in this order.
 */
#define FEED_VISIBLE_SQL                                                                           \
    "(CASE WHEN p.community_id IS NULL THEN (? = 0 OR p.author_id = ?)"                            \
    " ELSE EXISTS (SELECT 1 FROM community c WHERE c.id = p.community_id"                          \
    " AND ((c.visibility = 'public' AND ? = 0) OR EXISTS (SELECT 1 FROM community_member m"        \
    " WHERE m.community_id = c.id AND m.account_id = ? AND m.state = 'member'))) END)"
#define FEED_VISIBLE_ARGS(v)                                                                       \
    DB_BOOL((v)->role == ROLE_GUEST), DB_I64((v)->id), DB_BOOL((v)->role == ROLE_GUEST),           \
        DB_I64((v)->id)

/*
 * FEED_VISIBLE_SQL for the posts of one community, in a query that also says
 * p.community_id = that id: the same rule, about the community rather than
 * each post, so that it is evaluated once (PostgreSQL would otherwise hash
 * every community the viewer may read, on every page).  Arguments:
 * FEED_COMMUNITY_VISIBLE_ARGS(v, community id), in this order.
 */
#define FEED_COMMUNITY_VISIBLE_SQL                                                                 \
    "EXISTS (SELECT 1 FROM community vc WHERE vc.id = ?"                                           \
    " AND ((vc.visibility = 'public' AND ? = 0) OR EXISTS (SELECT 1 FROM community_member vm"      \
    " WHERE vm.community_id = vc.id AND vm.account_id = ? AND vm.state = 'member')))"
#define FEED_COMMUNITY_VISIBLE_ARGS(v, community)                                                  \
    DB_I64(community), DB_BOOL((v)->role == ROLE_GUEST), DB_I64((v)->id)

/* ---- reactions ------------------------------------------------------------ */

enum feed_reaction {
    FEED_REACTION_NONE = -1,
    FEED_REACTION_LIKE,
    FEED_REACTION_BRAVO,
    FEED_REACTION_IDEA,
    FEED_REACTION_THANKS,
    FEED_REACTION_SUPPORT,
    FEED_REACTION_COUNT
};

/* "like", "bravo", "idea", "thanks", "support" (the API's and the database's names). */
const char *feed_reaction_name(enum feed_reaction k);
/* FEED_REACTION_NONE for an unknown name. */
enum feed_reaction feed_reaction_parse(const char *name);

/* ---- what a page shows of a post ------------------------------------------ */

struct feed_author {
    int64_t id;
    const char *name;
    const char *photo; /* hash of the 64 px photo as the viewer may see it, or "" */
};

struct feed_preview {
    const char *url;    /* "" when the post shares no link */
    const char *status; /* "pending", "ok", "failed" */
    const char *title, *description, *site_name;
    bool has_image; /* served at /posts/{id}/preview */
};

struct feed_attachment {
    int64_t id;
    int position;
    bool is_image;
    const char *name, *mime;
    int64_t size;
    int width, height;
};

struct feed_post {
    int64_t id;
    struct feed_author author;
    int64_t community_id; /* 0: on the author's profile */
    bool viewer_animates; /* the viewer animates the post's community */
    bool viewer_member;   /* the viewer is a member of the post's community */
    bool read_only;       /* its community is archived: nothing in it changes any more */
    const char *body;     /* Markdown as typed */
    int64_t created_ms, edited_ms, pinned_ms;
    int64_t community_pinned_ms; /* > 0: pinned at the top of its community by an animator */
    int64_t comment_count, reaction_count, attachment_count;
    int64_t reaction_counts[FEED_REACTION_COUNT];
    enum feed_reaction my_reaction;
    struct feed_preview preview;
    struct feed_attachment *attachments;
    size_t attachments_len;
};

struct feed_comment {
    int64_t id, post_id, parent_id; /* parent_id 0: a comment, else a reply to it */
    struct feed_author author;
    const char *body;
    int64_t created_ms, edited_ms;
};

/* ---- writing ------------------------------------------------------------- */

/* What a new post holds. */
struct feed_new_post {
    const char *body;
    int64_t community_id; /* 0: the author's profile */
};

/*
 * Check a body: non-empty after trimming, valid UTF-8, at most max
 * characters, no control character but newlines and tabs.  0, ERR_INVALID
 * (*problem: French message id), ERR_TOOBIG.
 */
int feed_body_check(const char *body, size_t max_chars, const char **problem);

/*
 * Publish a post by v in one transaction: the post, its mentions (and
 * their notifications), tags, link preview request and the live event to
 * the author's followers and the mentioned members.  *id_out receives the
 * new id.  ERR_INVALID / ERR_TOOBIG with *problem; ERR_DENIED (a guest
 * outside a community, or a community v may not post in).
 */
int feed_post_create(struct db *db, struct arena *a, const struct viewer *v,
                     const struct feed_new_post *p, int64_t *id_out, const char **problem);

/* The checks feed_post_create() makes before writing anything: the body, and whether v may
 * publish there.  0; ERR_INVALID / ERR_TOOBIG / ERR_DENIED with *problem; ERR_NOTFOUND. */
int feed_post_check(struct db *db, const struct viewer *v, const struct feed_new_post *p,
                    const char **problem);

/* What comes with a new post, saved inside its transaction once its row exists (id). */
typedef int feed_post_saved_fn(struct db *db, int64_t id, void *ctx);
/* feed_post_create() that also runs saved(db, id, ctx) (when not NULL) in the transaction:
 * an error from it rolls the whole post back. */
int feed_post_create_with(struct db *db, struct arena *a, const struct viewer *v,
                          const struct feed_new_post *p, feed_post_saved_fn *saved, void *ctx,
                          int64_t *id_out, const char **problem);

/*
 * Replace the body of post id, keeping the previous one as a revision;
 * mentions, tags and link are recomputed (new mentions are notified).
 * Only the author may edit.  ERR_NOTFOUND (missing or unreadable),
 * ERR_DENIED, ERR_INVALID / ERR_TOOBIG with *problem.
 */
int feed_post_edit(struct db *db, struct arena *a, const struct viewer *v, int64_t id,
                   const char *body, const char **problem);

/* Delete post id and everything hanging from it: the author, administrators and the animators
 * of its community.  ERR_NOTFOUND, ERR_DENIED. */
int feed_post_delete(struct db *db, struct arena *a, const struct viewer *v, int64_t id);

/* True when v may edit (author) or delete (author, admin, its community's animators) post p;
 * never in an archived community. */
bool feed_may_edit(const struct viewer *v, const struct feed_post *p);
bool feed_may_delete(const struct viewer *v, const struct feed_post *p);
/* True when v, who reads p, may comment on it and react to it: any reader of a profile post;
 * the members of its community while it is not archived (groups.h: can_write). */
bool feed_may_take_part(const struct viewer *v, const struct feed_post *p);
/* True when account_id may read post id (FEED_VISIBLE_SQL for them): whom to notify. */
bool feed_post_readable_by(struct db *db, int64_t id, int64_t account_id);

/*
 * Pin post id (pin true) or unpin it: a profile post becomes a site
 * announcement (administrators); a community post goes to the top of its
 * community's feed (its animators).  ERR_DENIED.
 */
int feed_post_pin(struct db *db, struct arena *a, const struct viewer *v, int64_t id, bool pin);
/* Hide announcement id from v's home feed. */
int feed_announcement_dismiss(struct db *db, const struct viewer *v, int64_t id);

/*
 * Comment on post_id (parent_id 0) or reply to comment parent_id (a reply
 * to a reply attaches to its parent: one level).  Notifies the post's
 * author, the parent's author and the members mentioned.  ERR_NOTFOUND
 * (post unreadable), ERR_INVALID / ERR_TOOBIG with *problem.
 */
int feed_comment_create(struct db *db, struct arena *a, const struct viewer *v, int64_t post_id,
                        int64_t parent_id, const char *body, int64_t *id_out, const char **problem);
/* Edit (author, keeping a revision) or delete (author, post author, admin) a comment. */
int feed_comment_edit(struct db *db, struct arena *a, const struct viewer *v, int64_t id,
                      const char *body, const char **problem);
int feed_comment_delete(struct db *db, struct arena *a, const struct viewer *v, int64_t id);

/* Set v's reaction to post id (replacing an earlier one), or remove it (FEED_REACTION_NONE). */
int feed_react(struct db *db, struct arena *a, const struct viewer *v, int64_t id,
               enum feed_reaction k);

/* ---- reading ------------------------------------------------------------- */

/* Load post id if v may read it.  ERR_NOTFOUND otherwise.  Memory from a. */
int feed_post_load(struct db *db, struct arena *a, const struct viewer *v, int64_t id,
                   struct feed_post *out);

enum feed_kind {
    FEED_HOME,      /* v's own posts, of people v follows, of v's communities, mentioning v */
    FEED_PERSON,    /* posts of one member (key: account id) */
    FEED_TAG,       /* posts with one tag (key_text: the folded tag) */
    FEED_PUBLIC,    /* every post v may read */
    FEED_COMMUNITY, /* posts of one community (key: community id), its pinned posts first */
};

struct feed_query {
    enum feed_kind kind;
    int64_t key;          /* FEED_PERSON, FEED_COMMUNITY */
    const char *key_text; /* FEED_TAG */
    int64_t before_id;    /* cursor: posts with a smaller id; 0 for the newest */
    size_t limit;         /* at most FEED_PAGE_MAX */
};

/*
 * One page of a feed as v may read it, newest first.  *next receives the
 * cursor of the next page or 0 when this is the last.  Memory from a.
 */
int feed_list(struct db *db, struct arena *a, const struct viewer *v, const struct feed_query *q,
              struct feed_post **items, size_t *len, int64_t *next);

/* Announcements pinned by administrators that v has not dismissed, newest pin first. */
int feed_announcements(struct db *db, struct arena *a, const struct viewer *v,
                       struct feed_post **items, size_t *len);

/* Comments and replies of post id (v may read it), oldest first, replies after their parent. */
int feed_comments(struct db *db, struct arena *a, int64_t post_id, struct feed_comment **items,
                  size_t *len);

/* Who reacted to post id, newest first, at most limit. */
int feed_reactors(struct db *db, struct arena *a, int64_t post_id, size_t limit,
                  struct feed_author **who, enum feed_reaction **kinds, size_t *len);

/* A past body of a post or comment. */
struct feed_revision {
    const char *body;
    int64_t created_ms;
};
/* Earlier bodies of post id (is_comment false) or comment id, oldest first. */
int feed_revisions(struct db *db, struct arena *a, int64_t id, bool is_comment,
                   struct feed_revision **items, size_t *len);

/* ---- text: mentions, tags, links (feed_text.c) ----------------------------- */

/* A member named in a text. */
struct feed_mention {
    int64_t id;
    const char *name;
    const char *handle; /* the e-mail's local part, matched by "@handle"; "" when unknown */
};

/* What saving a text records. */
struct feed_parsed {
    struct feed_mention *mentions; /* distinct, at most FEED_MENTIONS_MAX */
    size_t mentions_len;
    const char **tags; /* folded, distinct, at most FEED_TAGS_MAX */
    size_t tags_len;
    const char *link_url; /* first http(s) link, or "" */
};

/* The members recorded as mentioned by post post_id, for feed_render().  Memory from a. */
int feed_mentions_load(struct db *db, struct arena *a, int64_t post_id, struct feed_mention **items,
                       size_t *len);

/* Find the mentions (resolved against active members), tags and first link of body. */
int feed_parse(struct db *db, struct arena *a, const char *body, struct feed_parsed *out);

/* body as safe HTML with its @mentions (among mentions) and #tags linked (JSON, Atom). */
struct safe_html feed_render(struct arena *a, const char *body, const struct feed_mention *mentions,
                             size_t mentions_len);
/* The same, written to a page. */
void feed_html(struct html *h, struct arena *a, const char *body,
               const struct feed_mention *mentions, size_t mentions_len);

/* A tag as written after '#' folded for storage and URLs; NULL when not a valid tag. */
const char *feed_tag_fold(struct arena *a, const char *tag);

/* ---- link previews (feed_preview.c) --------------------------------------- */

/* Ask for the preview of url (inside the post's transaction): a job fetches it once. */
int feed_preview_request(struct db *db, const char *url);
/* The preview card of p's link, when it was fetched; nothing otherwise. */
void feed_preview_card(struct req *r, struct html *h, const struct feed_post *p);
/* GET /posts/{id}/preview: the image of the preview of a post the viewer may read. */
int feed_page_preview_image(struct req *r);
extern const struct route feed_preview_routes[]; /* feed_preview.c */

/* ---- attachments (feed_attach.c) ------------------------------------------ */

/* Fill the attachments of each post of items (one query per post that has any). */
int feed_attachments_load(struct db *db, struct arena *a, struct feed_post *items, size_t len);

/*
 * feed_post_create() for the compose form: the post and the files of r's
 * multipart field "files" (at most FEED_ATTACH_MAX, each at most
 * FEED_ATTACH_BYTES_MAX; images re-encoded without metadata, with a
 * thumbnail) in one transaction.  ERR_INVALID / ERR_TOOBIG with *problem
 * naming the file (already in r's language); nothing is saved on any error.
 */
int feed_post_create_with_files(struct req *r, const struct feed_new_post *p, int64_t *id_out,
                                const char **problem);

/* Inside feed_post_delete()'s transaction: queue the removal of post id's files from disk,
 * done once no attachment refers to them any more (job "attachment_sweep"). */
int feed_attachments_forget(struct db *db, struct arena *a, int64_t post_id);
struct job;
/* The job "attachment_sweep" (src/jobs/kinds.c): payload, the hashes to check. */
int feed_attach_job_sweep(struct job *job);

/* GET /posts/{id}/files/{n} and /posts/{id}/files/{n}/thumb. */
extern const struct route feed_attach_routes[];

/* ---- Atom feeds (feed_atom.c) --------------------------------------------- */

/*
 * GET /tags/{tag}.atom (tag folded) and /people/{id}.atom for a signed-in
 * member: what a plain member may read, the 50 latest posts.  They reply
 * 404 to guests, for an unknown tag and for a missing or deactivated member.
 */
int feed_atom_tag(struct req *r, const char *tag);
int feed_atom_person(struct req *r, int64_t person_id);
/* The account page's section: the personal feed's secret address and a form to replace it. */
int feed_atom_account_block(struct req *r, struct html *h);
/* GET /feeds/{key} (the personal feed, no session) and POST /account/feed (a new key). */
extern const struct route feed_atom_routes[];

/* ---- pages and API -------------------------------------------------------- */

/* A post as a card of a feed: author, time, body, preview, attachments, counts, actions. */
void feed_post_card(struct req *r, struct html *h, const struct feed_post *p);
/* The compose form (community_id 0: the viewer's profile), posting to /posts. */
void feed_compose_form(struct req *r, struct html *h, int64_t community_id);
/* The home page's feed block: announcements, new-post notice, compose form, first page. */
int feed_home_block(struct req *r, struct html *h);
/* A profile's recent posts (people pages). */
int feed_person_block(struct req *r, struct html *h, int64_t person_id);

extern const struct route feed_routes[];     /* feed_web.c */
extern const struct route feed_api_routes[]; /* feed_api.c */

#endif
