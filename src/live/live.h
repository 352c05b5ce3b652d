/*
 * live.h - the live-event bus and the Server-Sent Events streams.
 *
 * A feature publishes an event for one member (or every member) inside
 * its own transaction: live_publish() stores it in live_event and
 * notifies the other nodes (PostgreSQL NOTIFY).  Each node runs one
 * dispatcher thread that reads new events from the table and hands each
 * to the open streams allowed to see it: a member's own events, and
 * events for every member to members (not guests).  A browser keeps one
 * stream, GET /live (GET /api/v1/live with a bearer token); it resumes
 * with Last-Event-ID after a disconnection.
 *
 * Two kinds are control messages, never sent to browsers: "session.ended"
 * closes the streams of one session (sign-out), "member.signed_out" closes
 * every stream of a member (sign out everywhere, deactivation).
 */
#ifndef RUCHE_LIVE_H
#define RUCHE_LIVE_H

#include "../http/http.h"

struct app;
struct db;

#define LIVE_HEARTBEAT_MS 20000 /* ": ping" to every stream, and sessions re-checked */
#define LIVE_RESUME_MAX 500     /* events replayed after Last-Event-ID */
#define LIVE_KEEP_MS (24LL * 3600 * 1000)
#define LIVE_KIND_SESSION_ENDED "session.ended"
#define LIVE_KIND_MEMBER_SIGNED_OUT "member.signed_out"

/* Start the dispatcher of this process. */
int live_start(struct app *app);
/* End every stream and stop the dispatcher (before the HTTP server stops). */
void live_stop(void);

/*
 * Publish an event of kind for member_id (0: every member) with a JSON
 * object payload ("{}" when NULL).  Call it inside the transaction that
 * makes the change: nothing is delivered if it rolls back.
 */
int live_publish(struct db *db, const char *kind, int64_t member_id, const char *payload);
/*
 * Publish an event of kind to every follower of author_id who may read the
 * author's profile posts (members, not guests): one row each, one
 * statement.
 */
int live_publish_followers(struct db *db, const char *kind, int64_t author_id, const char *payload);
/* Publish an event of kind to every member of community_id but except_id. */
int live_publish_community(struct db *db, const char *kind, int64_t community_id, int64_t except_id,
                           const char *payload);
/* Close the streams of a session (sign-out). */
int live_session_ended(struct db *db, int64_t member_id, int64_t session_id);
/* Close every stream of a member (sign out everywhere, deactivation). */
int live_member_signed_out(struct db *db, int64_t member_id);

/* Delete events older than LIVE_KEEP_MS (hourly upkeep). */
int live_prune(struct db *db);

/* Number of open streams in this process. */
size_t live_stream_count(void);

/* GET /live and GET /api/v1/live. */
int live_page_stream(struct req *r);

#endif
