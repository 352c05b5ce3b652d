/*
 * jobs.h - background jobs that any node may run, each exactly once.
 *
 * A job is a row of the job table: a kind, a text payload and a time after
 * which it is due.  Every `ruche serve` runs one worker thread that claims
 * due jobs and runs the function of their kind (src/jobs/kinds.c).  On
 * PostgreSQL several nodes poll the same table: a claim takes the row with
 * FOR UPDATE SKIP LOCKED, so two nodes never take the same job; on SQLite
 * one process writes at a time.  A claim lasts JOBS_CLAIM_MS: a node
 * killed while running a job leaves a claim that expires, and another node
 * runs the job again.  A failure is retried after a growing delay, up to
 * the job's max_attempts.
 */
#ifndef RUCHE_JOBS_H
#define RUCHE_JOBS_H

#include "../core/core.h"

struct db;
struct app;
struct arena;

#define JOBS_CLAIM_MS (5LL * 60 * 1000) /* a running job is another node's after this */
#define JOBS_POLL_MS 2000               /* how often an idle worker looks for due jobs */
#define JOBS_PAYLOAD_MAX (64 * 1024)
#define JOBS_MAX_ATTEMPTS 5

/* What a job function receives. */
struct job {
    int64_t id;
    const char *kind;
    const char *payload;
    int attempts;  /* this one included */
    struct db *db; /* a connection for the job's own queries */
    struct app *app;
    struct arena *a;   /* freed when the job ends */
    const char *error; /* set by a failing job: a short reason, logged and stored */
};

/* 0 on success; < 0 to retry later (set job->error to say why). */
typedef int job_fn(struct job *job);

struct job_kind {
    const char *name;
    job_fn *run;
};

/* Every kind, in src/jobs/kinds.c, ended by {NULL, NULL}. */
extern const struct job_kind job_kinds[];

/* Queue a job due at run_after_ms (0: now).  id_out may be NULL. */
int jobs_enqueue(struct db *db, const char *kind, const char *payload, int64_t run_after_ms,
                 int64_t *id_out);
/* The same, for a job that may run up to claim_ms before another node takes it over. */
int jobs_enqueue_claim(struct db *db, const char *kind, const char *payload, int64_t run_after_ms,
                       int64_t claim_ms, int64_t *id_out);
/* Queue a job unless one with the same unique_key is pending (returns 0 either way). */
int jobs_enqueue_unique(struct db *db, const char *kind, const char *unique_key,
                        const char *payload, int64_t run_after_ms);

/* Queue the hourly upkeep for at_ms, once whichever node asks (kinds.c). */
int jobs_schedule_maintenance(struct db *db, int64_t at_ms);

/* Forget jobs that finished more than a week ago. */
int jobs_prune(struct db *db);

/*
 * Claim one due job for node and run it.  Returns 1 when a job ran (or
 * failed and was rescheduled), 0 when none was due, < 0 on a database
 * error.
 */
int jobs_run_one(struct app *app, struct db *db, const char *node);

/* The worker thread of `ruche serve`; it borrows connections from app->pool. */
struct jobs_worker;
int jobs_worker_start(struct app *app, struct jobs_worker **out);
/* Wake the worker (a job was queued by this process). */
void jobs_worker_wake(struct jobs_worker *w);
/* Finish the running job, stop and free. */
void jobs_worker_stop(struct jobs_worker *w);

#endif
