/*
 * kinds.c - every kind of background job, and the upkeep job itself.
 *
 * "maintenance" runs every hour: it deletes what has expired (sessions,
 * sign-in links, throttling windows) and old finished jobs, then queues
 * its next run.  Its unique key names the hour, so nodes that all queue
 * it get one run.  "echo" only logs its payload, fails when the payload
 * is "fail" and takes N ms for "sleep:N": `ruche debug-enqueue` uses it to
 * exercise the queue.  "link_preview" fetches the preview of a shared
 * link (src/feed/feed_preview.c).
 */
#include "jobs.h"
#include "../auth/auth.h"
#include "../core/arena.h"
#include "../core/log.h"
#include "../core/str.h"

#include <time.h>
#include "../live/live.h"
#include "../feed/feed.h"
#include "../feed/preview.h"

#define MAINTENANCE_EVERY_MS (3600LL * 1000)

int jobs_schedule_maintenance(struct db *db, int64_t at_ms)
{
    int64_t hour = at_ms / MAINTENANCE_EVERY_MS;
    char key[48];

    snprintf(key, sizeof(key), "maintenance:%lld", (long long)hour);
    return jobs_enqueue_unique(db, "maintenance", key, "", at_ms);
}

static int job_maintenance(struct job *job)
{
    int rc = auth_maintenance(job->db);

    if (rc == 0)
        rc = jobs_prune(job->db);
    if (rc == 0)
        rc = live_prune(job->db);
    if (rc < 0) {
        job->error = "cleanup failed";
        return rc;
    }
    return jobs_schedule_maintenance(job->db, (time_now_ms() / MAINTENANCE_EVERY_MS + 1) *
                                                  MAINTENANCE_EVERY_MS);
}

static int job_echo(struct job *job)
{
    int64_t sleep_ms;

    if (strcmp(job->payload, "fail") == 0) {
        job->error = "asked to fail";
        return ERR_INVALID;
    }
    if (str_starts_with(job->payload, "sleep:") && str_to_i64(job->payload + 6, &sleep_ms) &&
        sleep_ms > 0 && sleep_ms <= 600000) {
        struct timespec pause = {sleep_ms / 1000, (sleep_ms % 1000) * 1000000};
        nanosleep(&pause, NULL);
    }
    log_info("jobs", "echo", "payload", job->payload, NULL);
    return 0;
}

const struct job_kind job_kinds[] = {
    {"maintenance", job_maintenance},
    {"echo", job_echo},
    {"link_preview", feed_preview_job},          /* src/feed/feed_preview.c */
    {"attachment_sweep", feed_attach_job_sweep}, /* src/feed/feed_attach.c */
    {NULL, NULL},
};
