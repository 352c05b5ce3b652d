/*
 * jobs.c - the job queue and the worker thread that drains it.
 *
 * Claiming is one UPDATE … RETURNING on the oldest due row; on PostgreSQL
 * its sub-select takes the row FOR UPDATE SKIP LOCKED, so nodes polling
 * together never claim the same job and never wait for each other.  The
 * claim also counts the attempt, so a job that kills its node is not
 * retried forever.  Failures are retried after 30 s, 2 min, 8 min…
 *
 * Long-lived state: the worker (one thread, a stop flag and a condition
 * variable to wake it early), owned by `ruche serve`.
 */
#include "jobs.h"
#include "../core/arena.h"
#include "../core/log.h"
#include "../db/db.h"
#include "../app.h"

#include <pthread.h>
#include <sodium.h>
#include <time.h>
#include <unistd.h>

#define JOBS_BACKOFF_BASE_MS 30000
#define JOBS_KEEP_DONE_MS (7LL * 24 * 3600 * 1000)

int jobs_enqueue(struct db *db, const char *kind, const char *payload, int64_t run_after_ms,
                 int64_t *id_out)
{
    return jobs_enqueue_claim(db, kind, payload, run_after_ms, JOBS_CLAIM_MS, id_out);
}

int jobs_enqueue_claim(struct db *db, const char *kind, const char *payload, int64_t run_after_ms,
                       int64_t claim_ms, int64_t *id_out)
{
    int64_t now = time_now_ms(), id = 0;
    int rc;

    if (strlen(payload) > JOBS_PAYLOAD_MAX)
        return ERR_TOOBIG;
    rc = db_get_i64(db, &id,
                    "INSERT INTO job(kind, payload, run_after_ms, max_attempts, claim_ms,"
                    " created_ms) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                    DB_TEXT(kind), DB_TEXT(payload), DB_I64(run_after_ms ? run_after_ms : now),
                    DB_INT(JOBS_MAX_ATTEMPTS), DB_I64(claim_ms), DB_I64(now));
    if (rc == 0 && id_out)
        *id_out = id;
    return rc;
}

int jobs_enqueue_unique(struct db *db, const char *kind, const char *unique_key,
                        const char *payload, int64_t run_after_ms)
{
    int64_t now = time_now_ms();

    return db_exec(db,
                   "INSERT INTO job(kind, unique_key, payload, run_after_ms, max_attempts,"
                   " created_ms) VALUES (?, ?, ?, ?, ?, ?)"
                   " ON CONFLICT (unique_key) WHERE done_ms IS NULL DO NOTHING",
                   DB_TEXT(kind), DB_TEXT(unique_key), DB_TEXT(payload),
                   DB_I64(run_after_ms ? run_after_ms : now), DB_INT(JOBS_MAX_ATTEMPTS),
                   DB_I64(now));
}

static const struct job_kind *kind_find(const char *name)
{
    for (const struct job_kind *k = job_kinds; k->name; k++)
        if (strcmp(k->name, name) == 0)
            return k;
    return NULL;
}

/* Take the oldest due job for node; ERR_NOTFOUND when none is due. */
static int claim(struct db *db, struct arena *a, const char *node, struct job *job,
                 int *max_attempts)
{
    int64_t now = time_now_ms();
    struct stmt *q = db_query(db,
                              "UPDATE job SET claimed_by = ?, claimed_until_ms = ? + claim_ms,"
                              "       attempts = attempts + 1"
                              " WHERE id = (SELECT id FROM job"
                              "              WHERE done_ms IS NULL AND run_after_ms <= ?"
                              "                AND (claimed_until_ms IS NULL"
                              "                     OR claimed_until_ms < ?)"
                              "              ORDER BY run_after_ms, id LIMIT 1"
                              "              /*pg: FOR UPDATE SKIP LOCKED*/)"
                              " RETURNING id, kind, payload, attempts, max_attempts",
                              /*          0   1     2        3         4 */
                              DB_TEXT(node), DB_I64(now), DB_I64(now), DB_I64(now));
    int rc = ERR_NOTFOUND;

    if (db_row(q)) {
        job->id = db_i64(q, 0);
        job->kind = arena_strdup(a, db_text(q, 1));
        job->payload = arena_strdup(a, db_text(q, 2));
        job->attempts = (int)db_i64(q, 3);
        *max_attempts = (int)db_i64(q, 4);
        rc = 0;
    }
    int end = db_end(q);
    return end < 0 ? end : rc;
}

static int finish_ok(struct db *db, const struct job *job, const char *node)
{
    return db_exec(db,
                   "UPDATE job SET done_ms = ?, done_by = ?, claimed_by = NULL,"
                   " claimed_until_ms = NULL WHERE id = ? AND claimed_by = ?",
                   DB_I64(time_now_ms()), DB_TEXT(node), DB_I64(job->id), DB_TEXT(node));
}

/* Reschedule after a growing delay, or give up after the last attempt. */
static int finish_failed(struct db *db, const struct job *job, const char *node, bool give_up)
{
    int64_t now = time_now_ms();
    int64_t delay = JOBS_BACKOFF_BASE_MS << (2 * (job->attempts > 8 ? 8 : job->attempts - 1));
    const char *error = job->error ? job->error : "failed";

    if (give_up)
        return db_exec(db,
                       "UPDATE job SET done_ms = ?, done_by = ?, failed = 1, last_error = ?,"
                       " claimed_by = NULL, claimed_until_ms = NULL WHERE id = ?",
                       DB_I64(now), DB_TEXT(node), DB_TEXT(error), DB_I64(job->id));
    return db_exec(db,
                   "UPDATE job SET run_after_ms = ?, last_error = ?, claimed_by = NULL,"
                   " claimed_until_ms = NULL WHERE id = ?",
                   DB_I64(now + delay), DB_TEXT(error), DB_I64(job->id));
}

int jobs_run_one(struct app *app, struct db *db, const char *node)
{
    struct arena a;
    struct job job = {0};
    const struct job_kind *kind;
    int max_attempts = 0, rc;

    arena_init(&a);
    if ((rc = claim(db, &a, node, &job, &max_attempts)) < 0) {
        arena_clear(&a);
        return rc == ERR_NOTFOUND ? 0 : rc;
    }
    job.db = db;
    job.app = app;
    job.a = &a;
    kind = kind_find(job.kind);
    if (!kind) {
        job.error = "unknown job kind";
        rc = ERR_INVALID;
    } else {
        rc = kind->run(&job);
    }
    if (rc == 0) {
        rc = finish_ok(db, &job, node);
    } else {
        char attempts[16];
        snprintf(attempts, sizeof(attempts), "%d", job.attempts);
        log_warn("jobs", "job failed", "kind", job.kind, "attempt", attempts, "error",
                 job.error ? job.error : err_name(rc), NULL);
        rc = finish_failed(db, &job, node, !kind || job.attempts >= max_attempts);
    }
    arena_clear(&a);
    return rc < 0 ? rc : 1;
}

/* Forget jobs finished a week ago (a maintenance task of the queue itself). */
int jobs_prune(struct db *db)
{
    return db_exec(db, "DELETE FROM job WHERE done_ms IS NOT NULL AND done_ms < ? /*scan-ok*/",
                   DB_I64(time_now_ms() - JOBS_KEEP_DONE_MS));
}

/* ---- the worker thread ------------------------------------------------------- */

struct jobs_worker {
    struct app *app;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    bool stopping;
    bool woken;
    char node[96]; /* host:pid:random, recorded in claimed_by and done_by */
};

/* Sleep up to JOBS_POLL_MS unless woken or stopping; false when stopping. */
static bool worker_wait(struct jobs_worker *w)
{
    struct timespec until;
    bool running;

    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += JOBS_POLL_MS / 1000;
    pthread_mutex_lock(&w->lock);
    while (!w->stopping && !w->woken)
        if (pthread_cond_timedwait(&w->wake, &w->lock, &until) != 0)
            break;
    w->woken = false;
    running = !w->stopping;
    pthread_mutex_unlock(&w->lock);
    return running;
}

static bool worker_running(struct jobs_worker *w)
{
    bool running;

    pthread_mutex_lock(&w->lock);
    running = !w->stopping;
    pthread_mutex_unlock(&w->lock);
    return running;
}

static void *worker_main(void *arg)
{
    struct jobs_worker *w = arg;

    do {
        int ran;
        /* Drain what is due, one job per borrowed connection. */
        do {
            struct db *db = db_pool_acquire(w->app->pool);
            ran = jobs_run_one(w->app, db, w->node);
            db_pool_release(w->app->pool, db);
            if (ran < 0)
                log_warn("jobs", "cannot claim jobs", "error", err_name(ran), NULL);
        } while (ran > 0 && worker_running(w));
    } while (worker_wait(w));
    return NULL;
}

int jobs_worker_start(struct app *app, struct jobs_worker **out)
{
    struct jobs_worker *w = calloc(1, sizeof(*w));
    char host[64] = "node";

    if (!w)
        return ERR_NOMEM;
    w->app = app;
    gethostname(host, sizeof(host) - 1);
    snprintf(w->node, sizeof(w->node), "%s:%ld:%08x", host, (long)getpid(),
             (unsigned)randombytes_random());
    pthread_mutex_init(&w->lock, NULL);
    pthread_cond_init(&w->wake, NULL);
    if (pthread_create(&w->thread, NULL, worker_main, w) != 0) {
        pthread_cond_destroy(&w->wake);
        pthread_mutex_destroy(&w->lock);
        free(w);
        return ERR_NOMEM;
    }
    *out = w;
    return 0;
}

void jobs_worker_wake(struct jobs_worker *w)
{
    pthread_mutex_lock(&w->lock);
    w->woken = true;
    pthread_cond_signal(&w->wake);
    pthread_mutex_unlock(&w->lock);
}

void jobs_worker_stop(struct jobs_worker *w)
{
    pthread_mutex_lock(&w->lock);
    w->stopping = true;
    pthread_cond_signal(&w->wake);
    pthread_mutex_unlock(&w->lock);
    pthread_join(w->thread, NULL);
    pthread_cond_destroy(&w->wake);
    pthread_mutex_destroy(&w->lock);
    free(w);
}
