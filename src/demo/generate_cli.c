/*
 * generate_cli.c - `ruche debug-generate --data DIR --members N [--follows F]
 * [--posts P] [--seed S]`: a large organisation for benchmarks
 * (bench/directory.sh, bench/feed.sh), in seconds; its follows and posts
 * are generate_feed.c's.
 *
 * Members are the demo's first and last names (demo_data.c) combined by a
 * deterministic PRNG (splitmix64, --seed, 1 by default), with a job,
 * department and site taken from the demo's table, a profile row with
 * varied visibilities and 0 to 6 skills from the demo profiles' skills.
 * They have no password: hashing 100,000 passwords with argon2id
 * (auth_account_create, ~0.1 s each) would take hours.  They are 'invited'
 * unless the run also makes follows or posts: the members of a network
 * that writes are 'active' (still without a password, so nobody signs in
 * as them), as the home page's blocks and feeds expect.  One
 * administrator is created through auth_account_create with a random
 * password, printed on stdout ("email=…", "password=…") to sign in with.
 *
 * Surprising: unlike `ruche demo`, rows are inserted here with SQL of its
 * own (account, profile, skill), in transactions of GENERATE_BATCH members,
 * because the owning modules' APIs hash passwords or load and validate a
 * whole profile per save.  It is a debug command for benchmarks: the rows
 * follow the schema's rules (name_folded by str_fold, the name's words in
 * the directory's index, skills folded and unique per member) but not
 * every API validation.
 *
 * With --communities N, generate_groups.c adds N communities for the
 * directory and one large community (--community-members, --community-posts)
 * with a discussion, for bench/communities.sh; their ids are printed
 * ("community_id=", "discussion_id=").
 *
 * State: none beyond one run.
 */
#include "../core/core.h"
#include "../core/arena.h"
#include "../core/str.h"
#include "../db/db.h"
#include "../auth/auth.h"
#include "../people/name_index.h"
#include "../app.h"
#include "../cli.h"
#include "demo.h"
#include "generate_cli.h"

#include <getopt.h>
#include <sodium.h>
#include <unistd.h>

#define GENERATE_USAGE                                                                             \
    "debug-generate --data DIR --members N [--follows F] [--posts P] [--seed S]"                   \
    " [--communities C [--community-members M] [--community-posts Q]]"
#define GENERATE_BATCH 1000          /* members per transaction */
#define GENERATE_MAX 10000000        /* members at most */
#define GENERATE_POSTS_MAX 100000000 /* posts at most */
#define GENERATE_SKILLS_MAX 6        /* skills per member at most */
#define GENERATE_SKILL_POOL 128      /* distinct skills kept from the demo profiles, at most */
#define GENERATE_PASSWORD_LEN 20     /* characters of the administrator's password */
#define GENERATE_ADMIN_EMAIL "bench.admin@" DEMO_DOMAIN
#define GENERATE_DAY_MS (24LL * 3600 * 1000)

/* The pool each member is drawn from, built once from demo_data.c's tables. */
struct generate_pool {
    const char **first, **last; /* distinct first and last names */
    size_t first_len, last_len;
    const struct demo_person **staff; /* non-guest people: job, department, site */
    size_t staff_len;
    const char **skills, **skills_folded; /* distinct by folded name */
    size_t skills_len;
};

/* splitmix64: small and fast. */
uint64_t generate_next(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);

    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

size_t generate_below(uint64_t *state, size_t n)
{
    return (size_t)(generate_next(state) % n);
}

/* ---- the pool ------------------------------------------------------------------ */

/* Append s to list (capacity cap) unless it is there already. */
static void pool_add_unique(const char **list, size_t *len, size_t cap, const char *s)
{
    for (size_t i = 0; i < *len; i++)
        if (strcmp(list[i], s) == 0)
            return;
    if (*len < cap)
        list[(*len)++] = s;
}

/* Add the comma-separated skills of list, trimmed and distinct by folded name. */
static void pool_add_skills(struct arena *a, struct generate_pool *p, size_t cap, const char *list)
{
    while (*list) {
        size_t seg = strcspn(list, ","), n;
        const char *s = str_trim(arena_strndup(a, list, seg), &n);
        const char *name = arena_strndup(a, s, n);
        const char *folded = str_fold(a, name);
        bool seen = n == 0;

        for (size_t i = 0; !seen && i < p->skills_len; i++)
            seen = strcmp(p->skills_folded[i], folded) == 0;
        if (!seen && p->skills_len < cap) {
            p->skills[p->skills_len] = name;
            p->skills_folded[p->skills_len++] = folded;
        }
        list += seg + (list[seg] == ',');
    }
}

static void pool_build(struct arena *a, struct generate_pool *p)
{
    size_t skills_cap = 0;

    p->first = arena_array(a, demo_people_len, sizeof(*p->first));
    p->last = arena_array(a, demo_people_len, sizeof(*p->last));
    p->staff = arena_array(a, demo_people_len, sizeof(*p->staff));
    for (size_t i = 0; i < demo_people_len; i++) {
        const struct demo_person *d = &demo_people[i];
        pool_add_unique(p->first, &p->first_len, demo_people_len, d->first);
        pool_add_unique(p->last, &p->last_len, demo_people_len, d->last);
        if (d->role != ROLE_GUEST)
            p->staff[p->staff_len++] = d;
    }
    for (size_t i = 0; i < demo_profiles_len; i++)
        for (const char *s = demo_profiles[i].skills; *s; s++)
            skills_cap += *s == ',';
    skills_cap += demo_profiles_len;
    if (skills_cap > GENERATE_SKILL_POOL)
        skills_cap = GENERATE_SKILL_POOL;
    p->skills = arena_array(a, skills_cap, sizeof(*p->skills));
    p->skills_folded = arena_array(a, skills_cap, sizeof(*p->skills_folded));
    for (size_t i = 0; i < demo_profiles_len; i++)
        pool_add_skills(a, p, skills_cap, demo_profiles[i].skills);
}

/* ---- one member ------------------------------------------------------------------ */

/* 'everyone' mostly, 'communities' one time in ten, 'me' one time in twenty. */
static const char *generate_visibility(uint64_t *state)
{
    size_t r = generate_below(state, 20);

    return r == 0 ? "me" : r <= 2 ? "communities" : "everyone";
}

/* The generated members, for the feed: ids and the names' places in the pool. */
struct generate_members {
    int64_t *ids;
    uint32_t *first, *last;
    size_t len;
};

/*
 * Member number i (1-based) and its profile and skills, recorded in *out
 * when out has room for it.  Inside a transaction.
 */
static int generate_member(struct db *db, struct arena *a, const struct generate_pool *p,
                           uint64_t *state, size_t i, int64_t now_ms, struct generate_members *out)
{
    size_t first = generate_below(state, p->first_len), last = generate_below(state, p->last_len);
    struct demo_person who = {.first = p->first[first], .last = p->last[last]};
    const struct demo_person *job = p->staff[generate_below(state, p->staff_len)];
    const struct demo_person *site = p->staff[generate_below(state, p->staff_len)];
    const char *name = demo_person_name(a, &who);
    const char *email = demo_person_email(a, &who);
    size_t local = strcspn(email, "@");
    size_t order[GENERATE_SKILL_POOL], n_skills = generate_below(state, GENERATE_SKILLS_MAX + 1);
    int64_t created_ms =
        now_ms - (int64_t)generate_below(state, DEMO_HISTORY_DAYS * (size_t)GENERATE_DAY_MS);
    int64_t id;
    int rc;

    email = arena_printf(a, "%.*s.%zu%s", (int)local, email, i, email + local);
    rc = db_get_i64(db, &id,
                    "INSERT INTO account(email, name, name_folded, role, status, password_hash,"
                    " must_change_password, job, department, site, created_ms)"
                    " VALUES (?, ?, ?, 'member', ?, NULL, 0, ?, ?, ?, ?) RETURNING id",
                    DB_TEXT(email), DB_TEXT(name), DB_TEXT(str_fold(a, name)),
                    DB_TEXT(out->len ? "active" : "invited"), DB_TEXT(job->job),
                    DB_TEXT(job->department), DB_TEXT(site->site), DB_I64(created_ms));
    if (rc == 0) /* the directory's word index, as auth_account_create() keeps it */
        rc = people_name_index(db, id);
    if (rc == 0 && i <= out->len) {
        out->ids[i - 1] = id;
        out->first[i - 1] = (uint32_t)first;
        out->last[i - 1] = (uint32_t)last;
    }
    if (rc < 0)
        return rc;
    rc = db_exec(db,
                 "INSERT INTO profile(account_id, job_visibility, department_visibility,"
                 " site_visibility, skills_visibility, updated_ms) VALUES (?, ?, ?, ?, ?, ?)",
                 DB_I64(id), DB_TEXT(generate_visibility(state)),
                 DB_TEXT(generate_visibility(state)), DB_TEXT(generate_visibility(state)),
                 DB_TEXT(generate_visibility(state)), DB_I64(created_ms));
    /* n_skills distinct skills: the first steps of a Fisher-Yates shuffle of the pool. */
    for (size_t k = 0; k < p->skills_len; k++)
        order[k] = k;
    for (size_t k = 0; rc == 0 && k < n_skills && k < p->skills_len; k++) {
        size_t j = k + generate_below(state, p->skills_len - k), s = order[j];
        order[j] = order[k];
        order[k] = s;
        rc = db_exec(db, "INSERT INTO skill(account_id, name, name_folded) VALUES (?, ?, ?)",
                     DB_I64(id), DB_TEXT(p->skills[s]), DB_TEXT(p->skills_folded[s]));
    }
    return rc;
}

/* ---- the run ----------------------------------------------------------------------- */

/* A random password the policy accepts (as `ruche demo` makes them). */
static int generate_password(char out[GENERATE_PASSWORD_LEN + 1])
{
    static const char alphabet[] = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghjkmnpqrstuvwxyz23456789";

    for (int attempt = 0; attempt < 100; attempt++) {
        for (size_t i = 0; i < GENERATE_PASSWORD_LEN; i++)
            out[i] = alphabet[randombytes_uniform(sizeof(alphabet) - 1)];
        out[GENERATE_PASSWORD_LEN] = '\0';
        if (!auth_password_problem(out))
            return 0;
    }
    return ERR_INVALID;
}

void generate_progress(bool is_tty, const char *what, size_t done, size_t total)
{
    const char *sep = what ? " : " : "";

    what = what ? what : "";
    if (is_tty)
        fprintf(stderr, "\r%s%s%zu/%zu", what, sep, done, total);
    if (done < total)
        return;
    if (is_tty)
        fputc('\n', stderr);
    else
        fprintf(stderr, "%s%s%zu/%zu\n", what, sep, done, total);
}

/* Members first to first + count - 1, in one transaction. */
static int generate_batch(struct db *db, const struct generate_pool *p, uint64_t *state,
                          size_t first, size_t count, int64_t now_ms, struct generate_members *out)
{
    struct arena a;
    int rc;

    if ((rc = db_tx_begin(db)) < 0)
        return rc;
    arena_init(&a);
    for (size_t i = first; rc == 0 && i < first + count; i++)
        rc = generate_member(db, &a, p, state, i, now_ms, out);
    arena_clear(&a);
    if (rc < 0) {
        db_tx_rollback(db);
        return rc;
    }
    return db_tx_commit(db);
}

/* What generate_handle() reads. */
struct generate_names {
    const struct generate_pool *pool;
    const struct generate_members *members;
};

/* "helene.dubois.12": the e-mail local part generate_member() gave member i (0-based). */
static const char *generate_handle(struct arena *a, const void *ctx, size_t i)
{
    const struct generate_names *n = ctx;
    struct demo_person who = {.first = n->pool->first[n->members->first[i]],
                              .last = n->pool->last[n->members->last[i]]};
    const char *email = demo_person_email(a, &who);

    return arena_printf(a, "%.*s.%zu", (int)strcspn(email, "@"), email, i + 1);
}

/* The administrator, then the members, then the feed.  Returns the exit code. */
static int generate_run(struct db *db, size_t members, size_t follows, size_t posts, uint64_t seed,
                        const struct generate_groups *groups)
{
    struct generate_groups_made groups_made = {0};
    struct arena a;
    struct generate_pool pool = {0};
    struct generate_members made = {0};
    struct account found;
    char password[GENERATE_PASSWORD_LEN + 1];
    bool is_tty = isatty(STDERR_FILENO);
    int64_t now_ms = time_now_ms(), t0 = time_mono_us(), admin_id;
    uint64_t state = seed;
    int rc;

    arena_init(&a);
    rc = auth_account_by_email(db, &a, GENERATE_ADMIN_EMAIL, &found);
    if (rc != ERR_NOTFOUND) {
        fprintf(stderr, "ruche debug-generate : %s\n",
                rc == 0 ? "cette instance a déjà été générée" : err_name(rc));
        arena_clear(&a);
        return 1;
    }
    pool_build(&a, &pool);
    if (follows > 0 || posts > 0 || groups->communities > 0) {
        made.len = members;
        made.ids = arena_array(&a, members + 1, sizeof(*made.ids));
        made.first = arena_array(&a, members + 1, sizeof(*made.first));
        made.last = arena_array(&a, members + 1, sizeof(*made.last));
    }
    if ((rc = generate_password(password)) == 0)
        rc = auth_account_create(db,
                                 &(struct account_new){.email = GENERATE_ADMIN_EMAIL,
                                                       .name = "Administrateur Banc d'essai",
                                                       .role = ROLE_ADMIN,
                                                       .password = password,
                                                       .job = "Administrateur",
                                                       .department = "Informatique",
                                                       .site = "Lyon"},
                                 &admin_id);
    for (size_t done = 0; rc == 0 && done < members; done += GENERATE_BATCH) {
        size_t count = members - done < GENERATE_BATCH ? members - done : GENERATE_BATCH;
        rc = generate_batch(db, &pool, &state, done + 1, count, now_ms, &made);
        if (rc == 0)
            generate_progress(is_tty, NULL, done + count, members);
    }
    if (rc == 0 && made.len > 0)
        rc = generate_feed_create(db,
                                  &(struct generate_feed){
                                      .member_ids = made.ids,
                                      .members_len = made.len,
                                      .admin_id = admin_id,
                                      .posts = posts,
                                      .follows = follows,
                                      .handle = generate_handle,
                                      .ctx = &(struct generate_names){&pool, &made},
                                  },
                                  seed);
    if (rc == 0 && made.len > 0 && groups->communities > 0) {
        struct generate_groups in = *groups;
        in.member_ids = made.ids;
        in.members_len = made.len;
        in.admin_id = admin_id;
        rc = generate_groups_create(db, &in, seed, &groups_made);
    }
    arena_clear(&a);
    if (rc < 0) {
        if (is_tty)
            fputc('\n', stderr);
        fprintf(stderr, "ruche debug-generate : échec (%s)\n", err_name(rc));
        sodium_memzero(password, sizeof(password));
        return 1;
    }
    printf("email=%s\npassword=%s\nmembers=%zu\nfollows=%zu\nposts=%zu\nseconds=%.1f\n",
           GENERATE_ADMIN_EMAIL, password, members, made.len ? follows : 0, made.len ? posts : 0,
           (double)(time_mono_us() - t0) / 1e6);
    if (groups_made.community_id)
        printf("communities=%zu\ncommunity_id=%lld\ncommunity_members=%zu\ncommunity_posts=%zu\n"
               "discussion_id=%lld\n",
               groups->communities, (long long)groups_made.community_id, groups->big_members,
               groups->big_posts, (long long)groups_made.discussion_id);
    sodium_memzero(password, sizeof(password));
    return 0;
}

int cmd_debug_generate(int argc, char **argv)
{
    static const struct option options[] = {
        {"data", required_argument, NULL, 'd'},
        {"members", required_argument, NULL, 'm'},
        {"seed", required_argument, NULL, 's'},
        {"follows", required_argument, NULL, 'f'},
        {"posts", required_argument, NULL, 'p'},
        {"communities", required_argument, NULL, 'c'},
        {"community-members", required_argument, NULL, 'M'},
        {"community-posts", required_argument, NULL, 'P'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *data = NULL;
    int64_t members = -1, seed = 1, follows = 0, posts = 0;
    int64_t communities = 0, community_members = 2000, community_posts = 10000;
    struct app app = {0};
    struct db *db;
    int c, rc;

    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "+h", options, NULL)) != -1) {
        if (c == 'h') {
            printf("Usage : ruche %s\nCrée N membres fictifs, leurs abonnements et P publications"
                   " (pour les bancs d'essai).\n",
                   GENERATE_USAGE);
            return 0;
        }
        if (c == 'd')
            data = optarg;
        else if (c == 'm' &&
                 (!str_to_i64(optarg, &members) || members < 0 || members > GENERATE_MAX))
            return cli_usage_error("debug-generate", GENERATE_USAGE,
                                   "--members : un nombre de 0 à 10000000");
        else if (c == 's' && !str_to_i64(optarg, &seed))
            return cli_usage_error("debug-generate", GENERATE_USAGE, "--seed : un nombre");
        else if (c == 'f' &&
                 (!str_to_i64(optarg, &follows) || follows < 0 || follows > GENERATE_FOLLOWS_MAX))
            return cli_usage_error("debug-generate", GENERATE_USAGE,
                                   "--follows : un nombre de 0 à 5000");
        else if (c == 'p' &&
                 (!str_to_i64(optarg, &posts) || posts < 0 || posts > GENERATE_POSTS_MAX))
            return cli_usage_error("debug-generate", GENERATE_USAGE,
                                   "--posts : un nombre de 0 à 100000000");
        else if (c == 'c' && (!str_to_i64(optarg, &communities) || communities < 0 ||
                              communities > GENERATE_COMMUNITIES_MAX))
            return cli_usage_error("debug-generate", GENERATE_USAGE,
                                   "--communities : un nombre de 0 à 100000");
        else if (c == 'M' && (!str_to_i64(optarg, &community_members) || community_members < 1 ||
                              community_members > GENERATE_MAX))
            return cli_usage_error("debug-generate", GENERATE_USAGE,
                                   "--community-members : un nombre de 1 à 10000000");
        else if (c == 'P' && (!str_to_i64(optarg, &community_posts) || community_posts < 0 ||
                              community_posts > GENERATE_POSTS_MAX))
            return cli_usage_error("debug-generate", GENERATE_USAGE,
                                   "--community-posts : un nombre de 0 à 100000000");
        else if (c != 'm' && c != 's' && c != 'd' && c != 'f' && c != 'p' && c != 'c' && c != 'M' &&
                 c != 'P')
            return cli_usage_error("debug-generate", GENERATE_USAGE, "option inconnue");
    }
    if (optind < argc)
        return cli_usage_error("debug-generate", GENERATE_USAGE, "argument en trop");
    if (!(data = cli_data_dir(data)) || members < 0)
        return cli_usage_error("debug-generate", GENERATE_USAGE, "--data et --members sont requis");
    if (communities > 0 && community_members > members + 1)
        return cli_usage_error("debug-generate", GENERATE_USAGE,
                               "--community-members : au plus --members + 1 (l'administrateur)");
    if (sodium_init() < 0) {
        fputs("ruche debug-generate : libsodium ne s'initialise pas\n", stderr);
        return 1;
    }
    if (cli_open(&app, data, &db))
        return 1;
    rc = generate_run(db, (size_t)members, (size_t)follows, (size_t)posts, (uint64_t)seed,
                      &(struct generate_groups){.communities = (size_t)communities,
                                                .big_members = (size_t)community_members,
                                                .big_posts = (size_t)community_posts});
    cli_close(&app, db);
    return rc;
}
