/*
 * live.c - the bus: the registry of open streams and the dispatcher thread.
 *
 * The dispatcher is the only reader of live_event in a process.  It wakes
 * on a PostgreSQL notification, on a publication from this process, or
 * every second, and reads the rows it has not delivered yet.  Ids come
 * from a sequence, and a transaction may commit after one with a larger
 * id: rows created in the last LIVE_LATE_MS are therefore read again and
 * a ring of recently delivered ids drops the repeats.  A stream opened
 * with Last-Event-ID is replayed by the dispatcher itself, so what it
 * replays and what it delivers next come in one order.
 *
 * Each stream holds its pending bytes; a client too slow to take
 * LIVE_PENDING_MAX bytes is disconnected (the browser reconnects and
 * resumes).  Heartbeats keep proxies and the library's suspended
 * connections honest, and re-check that each stream's session is alive.
 *
 * Long-lived state: one struct live_bus per process (the registry, the
 * dispatcher thread, the listener), made by live_start().  Lock order:
 * bus.lock, then a client's lock; http_stream_wake() is called with
 * bus.lock held and no client lock.
 */
#include "live.h"
#include "../auth/auth.h"
#include "../core/buf.h"
#include "../core/log.h"
#include "../core/str.h"
#include "../db/db.h"
#include "../app.h"

#include <pthread.h>
#include <time.h>

#define LIVE_CHANNEL "ruche_live"
#define LIVE_POLL_MS 1000
#define LIVE_LATE_MS 3000 /* how late a commit may be and still be delivered */
#define LIVE_RING 4096    /* recently delivered ids, for the re-read window */
#define LIVE_PENDING_MAX (256 * 1024)
#define LIVE_BATCH 1000

struct live_client {
    struct http_stream *stream;
    int64_t member_id, session_id;
    enum role role;
    int64_t resume_after; /* >= 0: replay events after this id first; -1: none */
    pthread_mutex_t lock; /* guards out and ending */
    struct buf out;       /* bytes not yet taken by the connection */
    bool ending;
    struct live_client *prev, *next;
};

struct live_bus {
    struct app *app;
    pthread_mutex_t lock; /* registry, flags */
    pthread_cond_t wake;
    pthread_t thread;
    bool running, stopping, woken;
    struct live_client *clients;
    size_t count;
    int64_t last_id; /* highest id delivered */
    int64_t ring[LIVE_RING];
    size_t ring_next;
    struct db_listener *listener;
};

static struct live_bus bus = {.lock = PTHREAD_MUTEX_INITIALIZER, .wake = PTHREAD_COND_INITIALIZER};

/* ---- publishing -------------------------------------------------------------- */

static void bus_wake(void)
{
    pthread_mutex_lock(&bus.lock);
    bus.woken = true;
    pthread_cond_signal(&bus.wake);
    pthread_mutex_unlock(&bus.lock);
}

static int publish(struct db *db, const char *kind, int64_t member_id, int64_t session_id,
                   const char *payload)
{
    int rc = db_exec(db,
                     "INSERT INTO live_event(kind, member_id, session_id, payload, created_ms)"
                     " VALUES (?, ?, ?, ?, ?)",
                     DB_TEXT(kind), DB_I64(member_id), DB_I64(session_id),
                     DB_TEXT(payload ? payload : "{}"), DB_I64(time_now_ms()));

    if (rc == 0)
        rc = db_notify(db, LIVE_CHANNEL);
    if (rc == 0)
        bus_wake();
    return rc;
}

int live_publish(struct db *db, const char *kind, int64_t member_id, const char *payload)
{
    return publish(db, kind, member_id, 0, payload);
}

int live_publish_followers(struct db *db, const char *kind, int64_t author_id, const char *payload)
{
    int rc = db_exec(db,
                     "INSERT INTO live_event(kind, member_id, payload, created_ms)"
                     " SELECT ?, f.follower_id, ?, ? FROM follow f"
                     " JOIN account a ON a.id = f.follower_id"
                     " WHERE f.followed_id = ? AND a.role <> 'guest' AND a.status = 'active'",
                     DB_TEXT(kind), DB_TEXT(payload ? payload : "{}"), DB_I64(time_now_ms()),
                     DB_I64(author_id));

    if (rc == 0 && db_changes(db) > 0)
        rc = db_notify(db, LIVE_CHANNEL);
    if (rc == 0)
        bus_wake();
    return rc;
}

int live_publish_community(struct db *db, const char *kind, int64_t community_id, int64_t except_id,
                           const char *payload)
{
    int rc = db_exec(db,
                     "INSERT INTO live_event(kind, member_id, payload, created_ms)"
                     " SELECT ?, m.account_id, ?, ? FROM community_member m"
                     " WHERE m.community_id = ? AND m.state = 'member' AND m.account_id <> ?",
                     DB_TEXT(kind), DB_TEXT(payload ? payload : "{}"), DB_I64(time_now_ms()),
                     DB_I64(community_id), DB_I64(except_id));

    if (rc == 0 && db_changes(db) > 0)
        rc = db_notify(db, LIVE_CHANNEL);
    if (rc == 0)
        bus_wake();
    return rc;
}

int live_session_ended(struct db *db, int64_t member_id, int64_t session_id)
{
    return publish(db, LIVE_KIND_SESSION_ENDED, member_id, session_id, NULL);
}

int live_member_signed_out(struct db *db, int64_t member_id)
{
    return publish(db, LIVE_KIND_MEMBER_SIGNED_OUT, member_id, 0, NULL);
}

int live_prune(struct db *db)
{
    return db_exec(db, "DELETE FROM live_event WHERE created_ms < ?",
                   DB_I64(time_now_ms() - LIVE_KEEP_MS));
}

size_t live_stream_count(void)
{
    size_t n;

    pthread_mutex_lock(&bus.lock);
    n = bus.count;
    pthread_mutex_unlock(&bus.lock);
    return n;
}

/* ---- clients -------------------------------------------------------------------- */

/* Queue text for a client (bus.lock held); a client too far behind is ended. */
static void client_send(struct live_client *c, const char *text, size_t len)
{
    pthread_mutex_lock(&c->lock);
    if (!c->ending) {
        if (c->out.len + len > LIVE_PENDING_MAX)
            c->ending = true;
        else
            buf_add(&c->out, text, len);
    }
    pthread_mutex_unlock(&c->lock);
    http_stream_wake(c->stream);
}

static void client_end(struct live_client *c)
{
    pthread_mutex_lock(&c->lock);
    c->ending = true;
    pthread_mutex_unlock(&c->lock);
    http_stream_wake(c->stream);
}

static size_t client_fill(void *ctx, char *dst, size_t max, bool *end)
{
    struct live_client *c = ctx;
    size_t n;

    pthread_mutex_lock(&c->lock);
    n = c->out.len < max ? c->out.len : max;
    memcpy(dst, c->out.s, n);
    memmove(c->out.s, c->out.s + n, c->out.len - n);
    c->out.len -= n;
    if (c->out.len == 0 && c->ending)
        *end = true;
    pthread_mutex_unlock(&c->lock);
    return n;
}

static void client_closed(void *ctx)
{
    struct live_client *c = ctx;

    pthread_mutex_lock(&bus.lock);
    if (c->prev)
        c->prev->next = c->next;
    else
        bus.clients = c->next;
    if (c->next)
        c->next->prev = c->prev;
    bus.count--;
    pthread_mutex_unlock(&bus.lock);
    buf_release(&c->out);
    pthread_mutex_destroy(&c->lock);
    free(c);
}

static const struct http_stream_ops client_ops = {client_fill, client_closed};

/* ---- delivering ----------------------------------------------------------------- */

struct live_event {
    int64_t id, member_id, session_id;
    const char *kind, *payload;
};

static bool ring_has(int64_t id)
{
    for (size_t i = 0; i < LIVE_RING; i++)
        if (bus.ring[i] == id)
            return true;
    return false;
}

static void ring_add(int64_t id)
{
    bus.ring[bus.ring_next] = id;
    bus.ring_next = (bus.ring_next + 1) % LIVE_RING;
}

static bool client_may_see(const struct live_client *c, const struct live_event *e)
{
    if (e->member_id)
        return c->member_id == e->member_id;
    return c->role >= ROLE_MEMBER; /* events for everyone are not for external guests */
}

static void format_event(struct buf *b, const struct live_event *e)
{
    buf_reset(b);
    buf_addf(b, "id: %lld\nevent: %s\ndata: ", (long long)e->id, e->kind);
    /* A payload is one line of JSON; a stray newline would end the SSE field. */
    for (const char *p = e->payload; *p; p++)
        buf_addch(b, *p == '\n' || *p == '\r' ? ' ' : *p);
    buf_addstr(b, "\n\n");
}

/* Hand one event to the streams allowed to see it (bus.lock held). */
static void deliver(const struct live_event *e, struct live_client *only)
{
    bool session_ended = strcmp(e->kind, LIVE_KIND_SESSION_ENDED) == 0;
    bool signed_out = strcmp(e->kind, LIVE_KIND_MEMBER_SIGNED_OUT) == 0;
    struct buf text = BUF_INIT;

    format_event(&text, e);
    for (struct live_client *c = only ? only : bus.clients; c; c = only ? NULL : c->next) {
        if (c->resume_after >= 0 && !only)
            continue; /* replayed first, by replay() */
        if (session_ended && c->session_id == e->session_id)
            client_end(c);
        else if (signed_out && c->member_id == e->member_id)
            client_end(c);
        else if (!session_ended && !signed_out && client_may_see(c, e))
            client_send(c, text.s, text.len);
    }
    buf_release(&text);
}

static void event_from_row(struct stmt *q, struct live_event *e)
{
    e->id = db_i64(q, 0);
    e->kind = db_text(q, 1);
    e->member_id = db_i64(q, 2);
    e->session_id = db_i64(q, 3);
    e->payload = db_text(q, 4);
}

/* Replay what a resuming client missed, up to what the bus has delivered (bus.lock held). */
static void replay(struct db *db, struct live_client *c)
{
    struct stmt *q = db_query(db,
                              "SELECT id, kind, member_id, session_id, payload"
                              /*      0   1     2          3           4 */
                              "  FROM live_event"
                              " WHERE id > ? AND id <= ? AND (member_id = ? OR member_id = 0)"
                              "   AND created_ms > ?"
                              " ORDER BY id LIMIT ?",
                              DB_I64(c->resume_after), DB_I64(bus.last_id), DB_I64(c->member_id),
                              DB_I64(time_now_ms() - LIVE_KEEP_MS), DB_INT(LIVE_RESUME_MAX));
    struct live_event e;

    while (db_row(q)) {
        event_from_row(q, &e);
        /* Control events are history: they ended the streams of their time, not this one. */
        if (strcmp(e.kind, LIVE_KIND_SESSION_ENDED) != 0 &&
            strcmp(e.kind, LIVE_KIND_MEMBER_SIGNED_OUT) != 0)
            deliver(&e, c);
    }
    db_end(q);
    c->resume_after = -1;
}

/* Read and deliver new rows; the re-read window catches late commits. */
/* Deliver the rows of q not delivered yet; returns how many rows q had.  Bus lock held. */
static size_t dispatch_rows(struct stmt *q)
{
    struct live_event e;
    size_t rows = 0;

    while (db_row(q)) {
        rows++;
        event_from_row(q, &e);
        if (ring_has(e.id))
            continue;
        ring_add(e.id);
        if (e.id > bus.last_id)
            bus.last_id = e.id;
        deliver(&e, NULL);
    }
    db_end(q);
    return rows;
}

/*
 * New events first, batch after batch until a batch is not full (a post to
 * thousands of followers writes thousands of rows); then the recent ones
 * below last_id, committed after a later id (PostgreSQL's sequences), that
 * the ring has not seen (only ids the ring may still hold are re-read).
 */
static void dispatch_new(struct db *db)
{
    size_t rows;

    pthread_mutex_lock(&bus.lock);
    for (struct live_client *c = bus.clients; c; c = c->next)
        if (c->resume_after >= 0)
            replay(db, c);
    do
        rows = dispatch_rows(db_query(db,
                                      "SELECT id, kind, member_id, session_id, payload"
                                      /*      0   1     2          3           4 */
                                      "  FROM live_event WHERE id > ? ORDER BY id LIMIT ?",
                                      DB_I64(bus.last_id), DB_INT(LIVE_BATCH)));
    while (rows == LIVE_BATCH);
    dispatch_rows(db_query(db,
                           "SELECT id, kind, member_id, session_id, payload"
                           "  FROM live_event WHERE id <= ? AND id > ? AND created_ms > ?"
                           " ORDER BY id DESC LIMIT ?",
                           DB_I64(bus.last_id), DB_I64(bus.last_id - LIVE_RING),
                           DB_I64(time_now_ms() - LIVE_LATE_MS), DB_INT(LIVE_BATCH)));
    pthread_mutex_unlock(&bus.lock);
}

/* A stream whose session is checked by the heartbeat. */
struct session_ref {
    struct live_client *c;
    int64_t session_id, member_id;
};

/* The streams in refs (taken earlier) that are still open and whose session is dead: end. */
static void end_dead_streams(const struct session_ref *dead, size_t n)
{
    for (struct live_client *c = bus.clients; c; c = c->next)
        for (size_t i = 0; i < n; i++)
            if (dead[i].c == c && dead[i].session_id == c->session_id &&
                dead[i].member_id == c->member_id)
                client_end(c);
}

/*
 * Heartbeat to every stream, and end those whose session is gone.  The
 * sessions are looked up outside the bus lock: with thousands of streams
 * the look-ups take a while, and new streams must not wait for them.
 */
static void heartbeat(struct db *db)
{
    static const char ping[] = ": ping\n\n";
    struct session_ref *refs;
    size_t n = 0, dead = 0;

    pthread_mutex_lock(&bus.lock);
    refs = bus.count ? calloc(bus.count, sizeof(*refs)) : NULL;
    for (struct live_client *c = bus.clients; c; c = c->next) {
        if (refs && n < bus.count)
            refs[n++] = (struct session_ref){c, c->session_id, c->member_id};
        client_send(c, ping, sizeof(ping) - 1);
    }
    pthread_mutex_unlock(&bus.lock);

    for (size_t i = 0; i < n; i++)
        if (!auth_session_active(db, refs[i].session_id, refs[i].member_id))
            refs[dead++] = refs[i];
    if (dead) {
        pthread_mutex_lock(&bus.lock);
        end_dead_streams(refs, dead);
        pthread_mutex_unlock(&bus.lock);
    }
    free(refs);
}

/* ---- the dispatcher thread ---------------------------------------------------------- */

/* Wait for a reason to read the table; false when stopping. */
static bool dispatcher_wait(void)
{
    struct timespec until;
    bool running;

    if (bus.listener) {
        db_listener_wait(bus.listener, LIVE_POLL_MS);
        pthread_mutex_lock(&bus.lock);
    } else {
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += LIVE_POLL_MS / 1000;
        pthread_mutex_lock(&bus.lock);
        while (!bus.stopping && !bus.woken)
            if (pthread_cond_timedwait(&bus.wake, &bus.lock, &until) != 0)
                break;
    }
    bus.woken = false;
    running = !bus.stopping;
    pthread_mutex_unlock(&bus.lock);
    return running;
}

static void *dispatcher_main(void *arg)
{
    int64_t next_heartbeat = time_now_ms() + LIVE_HEARTBEAT_MS;

    (void)arg;
    while (dispatcher_wait()) {
        struct db *db = db_pool_acquire(bus.app->pool);
        dispatch_new(db);
        if (time_now_ms() >= next_heartbeat) {
            heartbeat(db);
            next_heartbeat = time_now_ms() + LIVE_HEARTBEAT_MS;
        }
        db_pool_release(bus.app->pool, db);
    }
    return NULL;
}

int live_start(struct app *app)
{
    struct db *db;
    int rc;

    bus.app = app;
    rc = db_listener_open(app->db_target, LIVE_CHANNEL, &bus.listener);
    if (rc < 0 && rc != ERR_NOTFOUND)
        return rc;
    /* Start after what exists: a new stream gets what happens from now on. */
    db = db_pool_acquire(app->pool);
    rc = db_get_i64(db, &bus.last_id, "SELECT coalesce(max(id), 0) FROM live_event");
    db_pool_release(app->pool, db);
    if (rc < 0 || pthread_create(&bus.thread, NULL, dispatcher_main, NULL) != 0) {
        db_listener_close(bus.listener);
        bus.listener = NULL;
        return rc < 0 ? rc : ERR_NOMEM;
    }
    bus.running = true;
    return 0;
}

void live_stop(void)
{
    if (!bus.running)
        return;
    pthread_mutex_lock(&bus.lock);
    bus.stopping = true;
    for (struct live_client *c = bus.clients; c; c = c->next)
        client_end(c);
    pthread_cond_signal(&bus.wake);
    pthread_mutex_unlock(&bus.lock);
    pthread_join(bus.thread, NULL);
    db_listener_close(bus.listener);
    bus.listener = NULL;
    bus.running = false;
}

/* ---- GET /live ------------------------------------------------------------------------ */

int live_page_stream(struct req *r)
{
    const char *resume = http_header(r, "Last-Event-ID");
    struct live_client *c;
    int64_t resume_after = -1;

    if (resume && !str_to_i64(resume, &resume_after))
        resume_after = -1; /* not one of our ids: start from now */
    c = calloc(1, sizeof(*c));
    if (!c)
        return http_reply_err(r, ERR_NOMEM);
    c->member_id = r->viewer.id;
    c->session_id = r->viewer.session_id;
    c->role = r->viewer.role;
    c->resume_after = resume_after;
    pthread_mutex_init(&c->lock, NULL);
    buf_init(&c->out);
    /* Sent at once: the browser sees the stream open, and learns its retry delay. */
    buf_addstr(&c->out, "retry: 5000\n: connected\n\n");

    pthread_mutex_lock(&bus.lock);
    if (bus.stopping || !bus.running) {
        pthread_mutex_unlock(&bus.lock);
        buf_release(&c->out);
        pthread_mutex_destroy(&c->lock);
        free(c);
        http_set_header(r, "Retry-After", "5");
        return http_reply_error(r, 503, "unavailable", "live updates unavailable");
    }
    c->stream = http_reply_stream(r, "text/event-stream", &client_ops, c);
    if (!c->stream) {
        pthread_mutex_unlock(&bus.lock);
        buf_release(&c->out);
        pthread_mutex_destroy(&c->lock);
        free(c);
        return http_reply_err(r, ERR_NOMEM);
    }
    c->next = bus.clients;
    if (bus.clients)
        bus.clients->prev = c;
    bus.clients = c;
    bus.count++;
    if (c->resume_after >= 0)
        bus.woken = true; /* replay now, not at the next poll */
    pthread_cond_signal(&bus.wake);
    pthread_mutex_unlock(&bus.lock);
    return 0;
}
