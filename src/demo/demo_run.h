/*
 * demo_run.h - what the parts of `ruche demo` share: one run's state and
 * its progress lines.  Internal to src/demo/ (demo_cli.c, demo_feed.c).
 */
#ifndef RUCHE_DEMO_RUN_H
#define RUCHE_DEMO_RUN_H

#include "../core/core.h"
#include "../core/arena.h"

struct db;

#define DEMO_PASSWORD_LEN 16
#define DEMO_DAY_MS (24LL * 3600 * 1000)

/* One run of the command: what each part needs and what it leaves for the next. */
struct demo_run {
    struct arena a;          /* every allocation of the run */
    const char *dir;         /* the instance's data directory */
    struct db *db;           /* borrowed from the instance's pool */
    int64_t now_ms;          /* one clock for the whole run */
    bool is_tty;             /* stderr is a terminal: progress is updated in place */
    const char *admin_email; /* the address the tester signs in with */
    int64_t *person_ids;     /* demo_people[i]'s account id, from demo_members_create */
    char admin_password[DEMO_PASSWORD_LEN + 1];
    char members_password[DEMO_PASSWORD_LEN + 1];
};

/* "Création des membres : 12/48": in place on a terminal, else only the last line. */
void demo_progress(const struct demo_run *run, const char *what, size_t done, size_t total);
/* End an unfinished progress line before an error message. */
void demo_progress_abort(const struct demo_run *run);

/* When demo_people[i]'s account was created (since_days before the run, a minute apart). */
int64_t demo_member_created_ms(const struct demo_run *run, size_t i);

/*
 * The posts, comments, replies, edits and reactions of demo_feed, dated
 * over the last six weeks and written through the feed module (demo_feed.c).
 * Inside the run's transaction; needs run->person_ids.  Reports its own
 * errors on stderr.
 */
int demo_feed_create(struct demo_run *run);

/*
 * The communities (demo_groups.c): one of each visibility and an archived
 * one, with animators, members, posts and a discussion, through the groups,
 * feed and discussions modules.  Inside the run's transaction, after the
 * feed; reports its own errors on stderr.
 */
int demo_groups_create(struct demo_run *run);

#endif
