/*
 * generate_cli.h - hidden `ruche debug-generate`: a large generated
 * organisation for benchmarks (bench/directory.sh, bench/feed.sh).
 */
#ifndef RUCHE_GENERATE_CLI_H
#define RUCHE_GENERATE_CLI_H

#include "../core/core.h"

struct arena;
struct db;

/*
 * ruche debug-generate --data DIR --members N [--follows F] [--posts P]
 * [--seed S]: N invited members (no password) with profiles and skills,
 * plus one administrator with a random password, printed on stdout as
 * "email=" and "password=" lines; then each member and the administrator
 * follow F members, and P posts (generate_feed.c).  Returns 0, 1 on
 * failure, 2 on usage.
 */
int cmd_debug_generate(int argc, char **argv);

#define GENERATE_FOLLOWS_MAX 5000 /* --follows at most */

/* splitmix64, shared by the generators: the same sequence for the same seed everywhere. */
uint64_t generate_next(uint64_t *state);
/* A number in [0, n), n > 0 (the modulo bias is irrelevant here). */
size_t generate_below(uint64_t *state, size_t n);
/* "what : done/total" on stderr (what may be NULL), updated in place on a terminal, a line
 * when done elsewhere: the progress of the demo and of the generators. */
void generate_progress(bool is_tty, const char *what, size_t done, size_t total);

/* The handle (e-mail local part) of generated member i, in a; ctx is generate_feed's. */
typedef const char *generate_handle_fn(struct arena *a, const void *ctx, size_t i);

/* What the feed generator needs from the members' generation. */
struct generate_feed {
    const int64_t *member_ids; /* account ids of the generated members */
    size_t members_len;
    int64_t admin_id;           /* the administrator: follows like a member */
    size_t posts;               /* posts to write */
    size_t follows;             /* members each member follows, at most GENERATE_FOLLOWS_MAX */
    generate_handle_fn *handle; /* for @mentions */
    const void *ctx;            /* given to handle */
};

/*
 * The follows, then the posts with their tags, mentions and reactions, in
 * transactions of their own (generate_feed.c).  Progress on stderr.
 */
int generate_feed_create(struct db *db, const struct generate_feed *in, uint64_t seed);

#define GENERATE_COMMUNITIES_MAX 100000 /* --communities at most */

/* What the communities' generator needs (--communities, --community-members, -posts). */
struct generate_groups {
    const int64_t *member_ids; /* account ids of the generated members */
    size_t members_len;
    int64_t admin_id;   /* the administrator: a plain member of the large community */
    size_t communities; /* communities for the directory */
    size_t big_members; /* members of the large community, the administrator included */
    size_t big_posts;   /* its posts */
};

/* What it made, for the benchmark's URLs. */
struct generate_groups_made {
    int64_t community_id;  /* the large community */
    int64_t discussion_id; /* its thread with replies */
};

/*
 * The directory's communities, then the large community, its members,
 * posts and thread, in transactions of their own (generate_groups.c).
 * Progress on stderr.
 */
int generate_groups_create(struct db *db, const struct generate_groups *in, uint64_t seed,
                           struct generate_groups_made *made);

#endif
