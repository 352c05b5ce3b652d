/*
 * notify.h - what happened to a member: mentions, comments on their posts,
 * reactions, replies in the discussions they follow, and in communities an
 * invitation, a request to join (to its animators) and an approval.
 *
 * Features record a notification inside the transaction of what caused it
 * (notify_add); the member's unread count then reaches their open pages as
 * the live event "notifications.unread" {"count": N}.  The page
 * /notifications lists them, each only while its subject is still readable
 * by the member.  Delivery by mail and digests is a later issue.
 */
#ifndef RUCHE_NOTIFY_H
#define RUCHE_NOTIFY_H

#include "../http/http.h"

struct db;

#define NOTIFY_MENTION "mention"
#define NOTIFY_COMMENT "comment"
#define NOTIFY_REACTION "reaction"
#define NOTIFY_REPLY "reply"           /* a reply in a discussion one follows */
#define NOTIFY_INVITATION "invitation" /* invited to a community: while the invitation stands */
#define NOTIFY_REQUEST "request"       /* asks to join a community one animates: while pending */
#define NOTIFY_APPROVAL "approval"     /* one's request to join was approved */
#define NOTIFY_PAGE 30

/* Record that actor_id did kind to account_id about post_id (and comment_id, or 0). */
int notify_add(struct db *db, int64_t account_id, const char *kind, int64_t actor_id,
               int64_t post_id, int64_t comment_id);
/* Record that actor_id did kind to account_id about discussion_id (a thread of a community). */
int notify_add_discussion(struct db *db, int64_t account_id, const char *kind, int64_t actor_id,
                          int64_t discussion_id);
/*
 * Record that actor_id did kind (NOTIFY_INVITATION, _REQUEST, _APPROVAL)
 * to account_id about community_id.  Stores only: the membership change
 * that calls it ends with notify_recount_community(), which sends the
 * unread counts of everyone concerned once.
 */
int notify_add_community(struct db *db, int64_t account_id, const char *kind, int64_t actor_id,
                         int64_t community_id);
/*
 * Send the unread count again to account_id (0: nobody) and to every
 * account holding an unread notification about community_id, after a
 * change of membership that may show or hide some.  Call it inside the
 * change's transaction.
 */
int notify_recount_community(struct db *db, int64_t community_id, int64_t account_id);
/* Unread notifications of account_id whose subject v may still read. */
int notify_unread_count(struct db *db, const struct viewer *v, int64_t *count);

extern const struct route notify_routes[];

#endif
