/*
 * demo_feed.c - the demo's six weeks of feed: demo_feed's posts, comments,
 * replies and edits, plus reactions and a few short comments, published
 * through the feed module and then dated in the past.
 *
 * The run first plans every action with its time: the posts, in the
 * table's order, over the working days of the last DEMO_FEED_DAYS days
 * (office hours, never before the author's account existed), each thread's
 * comments a few minutes to a day after the entry above them, reactions
 * within two days of their post.  Reactions, their kinds and the extra
 * comments come from a PRNG with a fixed seed, so the same day gives the
 * same demo.  The plan is then sorted by time and carried out in that
 * order through feed_post_create(), feed_post_edit(), feed_comment_create()
 * and feed_react(), so mentions, tags, notifications and live events are
 * the real ones and every id grows with time.
 *
 * Surprising: the feed module stamps what it writes with the current time;
 * the demo then moves it back with UPDATEs of its own (post, comment,
 * reaction and notification times), which only the demo may do.
 * Notifications older than three days are marked read, as a member who
 * uses the network would have left them.
 *
 * State: none beyond one call; memory comes from the run's arena and from
 * an arena per action.
 */
#include "../core/core.h"
#include "../core/arena.h"
#include "../db/db.h"
#include "../feed/feed.h"
#include "demo.h"
#include "demo_run.h"

#include <stdlib.h>

#define DEMO_FEED_DAYS 42                  /* the feed covers the last six weeks */
#define DEMO_FEED_SEED 0x416c76656f6c65ULL /* "Alveole" */
#define MINUTE_MS (60LL * 1000)
#define HOUR_MS (60 * MINUTE_MS)
#define DAY_START_MS (7 * HOUR_MS + 30 * MINUTE_MS) /* posts from 07:30 UTC (pages show UTC) */
#define DAY_SPAN_MS (10 * HOUR_MS + 30 * MINUTE_MS) /* until 18:00 */
#define UNREAD_MS (3 * DEMO_DAY_MS)                 /* notifications younger stay unread */
#define EXTRA_COMMENTS_PERCENT 40 /* posts without a thread that get short comments */

enum demo_action_kind { ACT_POST, ACT_EDIT, ACT_COMMENT, ACT_REACTION };

/* One thing someone did, at a time. */
struct demo_action {
    int64_t at;
    size_t seq; /* planning order: breaks ties, names the action in other arrays */
    enum demo_action_kind kind;
    size_t person;     /* index in demo_people of who acts */
    size_t post;       /* the post's number (0 for the first post of demo_feed) */
    size_t parent_seq; /* ACT_COMMENT replying to a comment: its seq + 1, else 0 */
    const char *body;  /* ACT_POST, ACT_EDIT, ACT_COMMENT */
    bool is_pinned;    /* ACT_POST */
    enum feed_reaction reaction;
};

/* The plan being built. */
struct demo_plan {
    struct demo_action *items;
    size_t len, cap;
    uint64_t state; /* the PRNG */
    size_t posts;   /* posts planned so far */
};

/* splitmix64, as in generate_cli.c: the same sequence everywhere for the same seed. */
static uint64_t plan_next(struct demo_plan *p)
{
    uint64_t z = (p->state += 0x9e3779b97f4a7c15ULL);

    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* A number in [0, n), n > 0. */
static int64_t plan_below(struct demo_plan *p, int64_t n)
{
    return (int64_t)(plan_next(p) % (uint64_t)n);
}

/* A delay in [min, min + spread), short ones far likelier than long ones. */
static int64_t plan_delay(struct demo_plan *p, int64_t min, int64_t spread)
{
    int64_t u = plan_below(p, 1000);

    return min + spread * u / 1000 * u / 1000;
}

static struct demo_action *plan_add(struct demo_run *run, struct demo_plan *p,
                                    enum demo_action_kind kind, int64_t at, size_t person)
{
    struct demo_action *x;

    if (p->len == p->cap) {
        struct demo_action *grown =
            arena_array(&run->a, p->cap = p->cap ? p->cap * 2 : 512, sizeof(*grown));
        if (p->len)
            memcpy(grown, p->items, p->len * sizeof(*grown));
        p->items = grown;
    }
    /* Nothing happens in the last minute before the run: it is all history. */
    if (at > run->now_ms - MINUTE_MS)
        at = run->now_ms - MINUTE_MS;
    x = &p->items[p->len];
    *x = (struct demo_action){.at = at, .seq = p->len, .kind = kind, .person = person};
    p->len++;
    return x;
}

/* The index in demo_people of the author of entry e; the table is static, so a miss is a BUG. */
static size_t person_of(struct demo_run *run, const struct demo_feed_entry *e)
{
    const struct demo_person *who = demo_person_find(&run->a, e->author);

    if (!who || who->is_invited || who->role == ROLE_GUEST)
        BUG("demo feed entry by \"%s\": not an active member", e->author);
    return (size_t)(who - demo_people);
}

/* True when person i may act on the feed: an active member, not a guest. */
static bool is_writer(size_t i)
{
    return !demo_people[i].is_invited && demo_people[i].role != ROLE_GUEST;
}

/* A writer other than not_this whose account existed at at; SIZE_MAX if none was found. */
static size_t plan_someone(struct demo_run *run, struct demo_plan *p, size_t not_this, int64_t at)
{
    for (int tries = 0; tries < 100; tries++) {
        size_t i = (size_t)plan_below(p, (int64_t)demo_people_len);
        if (i != not_this && is_writer(i) && demo_member_created_ms(run, i) < at)
            return i;
    }
    return SIZE_MAX;
}

static size_t count_posts(void)
{
    size_t n = 0;

    for (size_t i = 0; i < demo_feed_len; i++)
        n += demo_feed[i].kind == DEMO_FEED_POST || demo_feed[i].kind == DEMO_FEED_PINNED;
    return n;
}

static int compare_i64(const void *x, const void *y)
{
    int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;

    return (a > b) - (a < b);
}

/*
 * The times of n posts, in order: spread evenly over the working days of
 * the last DEMO_FEED_DAYS days (today too once its morning has passed),
 * at office hours, strictly increasing and before the run.
 */
static int64_t *plan_post_times(struct demo_run *run, struct demo_plan *p, size_t n)
{
    int64_t *at = arena_array(&run->a, n ? n : 1, sizeof(*at));
    int64_t days[DEMO_FEED_DAYS], today = run->now_ms / DEMO_DAY_MS, limit;
    size_t working = 0;

    for (int64_t d = today - DEMO_FEED_DAYS + 1; d <= today; d++) {
        int weekday = (int)((d + 4) % 7); /* 0 is Sunday: 1 January 1970 was a Thursday */
        if (weekday == 0 || weekday == 6)
            continue;
        if (d == today && run->now_ms - d * DEMO_DAY_MS < DAY_START_MS + 2 * HOUR_MS)
            continue;
        days[working++] = d;
    }
    for (size_t k = 0; k < n; k++)
        at[k] = days[k * working / n] * DEMO_DAY_MS + DAY_START_MS + plan_below(p, DAY_SPAN_MS);
    qsort(at, n, sizeof(*at), compare_i64);
    limit = run->now_ms - 10 * MINUTE_MS;
    for (size_t k = n; k-- > 0;) {
        if (at[k] > limit)
            at[k] = limit;
        limit = at[k] - MINUTE_MS;
    }
    return at;
}

/* Reaction kinds as members use them: mostly likes, thanks where thanks are given. */
static enum feed_reaction plan_reaction_kind(struct demo_plan *p, const char *body)
{
    int64_t r = plan_below(p, 100);

    if (strstr(body, "erci") && r < 35)
        return FEED_REACTION_THANKS;
    if (r < 50)
        return FEED_REACTION_LIKE;
    if (r < 70)
        return FEED_REACTION_BRAVO;
    if (r < 82)
        return FEED_REACTION_IDEA;
    if (r < 92)
        return FEED_REACTION_THANKS;
    return FEED_REACTION_SUPPORT;
}

/* Reactions to post number post (written by author at at): a few, more for good news. */
static void plan_reactions(struct demo_run *run, struct demo_plan *p, size_t post, size_t author,
                           int64_t at, const char *body, bool is_pinned)
{
    bool *done = arena_array(&run->a, demo_people_len, sizeof(*done));
    int64_t n = plan_below(p, 6);

    if (strstr(body, "erci") || strstr(body, "ravo") || strstr(body, "ienvenue"))
        n += 4;
    if (is_pinned)
        n += 18;
    done[author] = true;
    for (int64_t k = 0; k < n; k++) {
        int64_t when = at + plan_delay(p, 2 * MINUTE_MS, 2 * DEMO_DAY_MS);
        size_t who = plan_someone(run, p, author, when);
        struct demo_action *x;
        if (who == SIZE_MAX || done[who])
            continue;
        done[who] = true;
        x = plan_add(run, p, ACT_REACTION, when, who);
        x->post = post;
        x->reaction = plan_reaction_kind(p, body);
    }
}

/* One or two short comments under post number post, sometimes, when it asks nothing. */
static void plan_extra_comments(struct demo_run *run, struct demo_plan *p, size_t post,
                                size_t author, int64_t at, const char *body)
{
    int64_t n = plan_below(p, 100) < EXTRA_COMMENTS_PERCENT ? 1 + plan_below(p, 2) : 0;

    if (strchr(body, '?'))
        return;
    for (int64_t k = 0; k < n; k++) {
        struct demo_action *x;
        size_t who;
        at += plan_delay(p, 5 * MINUTE_MS, 20 * HOUR_MS);
        if ((who = plan_someone(run, p, author, at)) == SIZE_MAX)
            continue;
        x = plan_add(run, p, ACT_COMMENT, at, who);
        x->post = post;
        x->body = demo_feed_comments[plan_below(p, (int64_t)demo_feed_comments_len)];
    }
}

/* Never before the account of person i existed (its owner joined during the six weeks). */
static int64_t not_before_arrival(struct demo_run *run, size_t i, int64_t at)
{
    int64_t arrived = demo_member_created_ms(run, i) + 3 * HOUR_MS;

    return at < arrived ? arrived : at;
}

/*
 * Plan the posts of demo_feed with their threads, then the extra comments
 * and reactions of each post.
 */
static void plan_feed(struct demo_run *run, struct demo_plan *p)
{
    size_t n = count_posts(), post = 0, author = 0, thread_comment = 0;
    int64_t *post_at = plan_post_times(run, p, n), at = 0, post_time = 0;
    bool has_thread = false;
    size_t *authors = arena_array(&run->a, n ? n : 1, sizeof(*authors));
    const char **bodies = arena_array(&run->a, n ? n : 1, sizeof(*bodies));
    bool *threads = arena_array(&run->a, n ? n : 1, sizeof(*threads));
    bool *pinned = arena_array(&run->a, n ? n : 1, sizeof(*pinned));

    for (size_t i = 0; i < demo_feed_len; i++) {
        const struct demo_feed_entry *e = &demo_feed[i];
        size_t who = person_of(run, e);
        struct demo_action *x = NULL;

        switch (e->kind) {
        case DEMO_FEED_POST:
        case DEMO_FEED_PINNED:
            post = p->posts++;
            author = who;
            post_time = at = not_before_arrival(run, who, post_at[post]);
            x = plan_add(run, p, ACT_POST, at, who);
            x->is_pinned = e->kind == DEMO_FEED_PINNED;
            authors[post] = who;
            bodies[post] = e->body;
            pinned[post] = x->is_pinned;
            has_thread = false;
            break;
        case DEMO_FEED_EDIT:
            if (p->posts == 0 || who != author)
                BUG("demo feed entry %zu: an edit by someone else than the post's author", i);
            x = plan_add(run, p, ACT_EDIT, post_time + plan_delay(p, 15 * MINUTE_MS, 3 * HOUR_MS),
                         who);
            if (x->at > at)
                at = x->at;
            break;
        case DEMO_FEED_COMMENT:
        case DEMO_FEED_REPLY:
            if (p->posts == 0 || (e->kind == DEMO_FEED_REPLY && !has_thread))
                BUG("demo feed entry %zu: a comment without its post or comment", i);
            at += plan_delay(p, 3 * MINUTE_MS, has_thread ? 20 * HOUR_MS : 6 * HOUR_MS);
            at = not_before_arrival(run, who, at);
            x = plan_add(run, p, ACT_COMMENT, at, who);
            if (e->kind == DEMO_FEED_REPLY)
                x->parent_seq = thread_comment + 1;
            else
                thread_comment = x->seq;
            at = x->at;
            has_thread = true;
            threads[post] = true;
            break;
        }
        if (!x)
            BUG("demo feed entry %zu: unknown kind %d", i, (int)e->kind);
        x->post = post;
        x->body = e->body;
    }
    for (size_t k = 0; k < n; k++) {
        if (!threads[k])
            plan_extra_comments(run, p, k, authors[k], post_at[k], bodies[k]);
        plan_reactions(run, p, k, authors[k], post_at[k], bodies[k], pinned[k]);
    }
}

static int compare_actions(const void *x, const void *y)
{
    const struct demo_action *a = x, *b = y;

    if (a->at != b->at)
        return (a->at > b->at) - (a->at < b->at);
    return (a->seq > b->seq) - (a->seq < b->seq);
}

/* ---- carrying the plan out -------------------------------------------------------- */

struct demo_feed_state {
    struct viewer *viewers; /* per person of demo_people */
    int64_t *post_ids;      /* per post number */
    int64_t *comment_ids;   /* per action seq */
};

/* The notifications the last action caused are dated with it. */
static int date_notifications(struct demo_run *run, int64_t at)
{
    return db_exec(run->db, "UPDATE notification SET created_ms = ? WHERE created_ms >= ?",
                   DB_I64(at), DB_I64(run->now_ms));
}

static int act_post(struct demo_run *run, struct arena *a, struct demo_feed_state *s,
                    const struct demo_action *x, const char **problem)
{
    const struct viewer *v = &s->viewers[x->person];
    int64_t id = 0;
    int rc =
        feed_post_create(run->db, a, v, &(struct feed_new_post){.body = x->body}, &id, problem);

    if (rc == 0)
        rc = db_exec(run->db, "UPDATE post SET created_ms = ? WHERE id = ?", DB_I64(x->at),
                     DB_I64(id));
    if (rc == 0 && x->is_pinned)
        rc = feed_post_pin(run->db, a, v, id, true);
    if (rc == 0 && x->is_pinned)
        rc = db_exec(run->db, "UPDATE post SET pinned_ms = ? WHERE id = ?",
                     DB_I64(x->at + MINUTE_MS), DB_I64(id));
    s->post_ids[x->post] = id;
    return rc;
}

static int act(struct demo_run *run, struct arena *a, struct demo_feed_state *s,
               const struct demo_action *x, const char **problem)
{
    const struct viewer *v = &s->viewers[x->person];
    int64_t post_id = s->post_ids[x->post], id = 0;
    int rc = 0;

    switch (x->kind) {
    case ACT_POST:
        rc = act_post(run, a, s, x, problem);
        break;
    case ACT_EDIT:
        rc = feed_post_edit(run->db, a, v, post_id, x->body, problem);
        if (rc == 0)
            rc = db_exec(run->db, "UPDATE post SET edited_ms = ? WHERE id = ?", DB_I64(x->at),
                         DB_I64(post_id));
        break;
    case ACT_COMMENT:
        rc = feed_comment_create(run->db, a, v, post_id,
                                 x->parent_seq ? s->comment_ids[x->parent_seq - 1] : 0, x->body,
                                 &id, problem);
        if (rc == 0)
            rc = db_exec(run->db, "UPDATE comment SET created_ms = ? WHERE id = ?", DB_I64(x->at),
                         DB_I64(id));
        s->comment_ids[x->seq] = id;
        break;
    case ACT_REACTION:
        rc = feed_react(run->db, a, v, post_id, x->reaction);
        if (rc == 0)
            rc = db_exec(run->db,
                         "UPDATE reaction SET created_ms = ? WHERE post_id = ? AND account_id = ?",
                         DB_I64(x->at), DB_I64(post_id), DB_I64(v->id));
        break;
    }
    return rc < 0 ? rc : date_notifications(run, x->at);
}

static void viewers_init(struct demo_run *run, struct demo_feed_state *s)
{
    s->viewers = arena_array(&run->a, demo_people_len, sizeof(*s->viewers));
    for (size_t i = 0; i < demo_people_len; i++)
        s->viewers[i] = (struct viewer){
            .id = run->person_ids[i],
            .role = demo_people[i].role,
            .name = demo_person_name(&run->a, &demo_people[i]),
            .email = demo_person_email(&run->a, &demo_people[i]),
            .lang = "fr",
        };
}

int demo_feed_create(struct demo_run *run)
{
    struct demo_plan plan = {.state = DEMO_FEED_SEED};
    struct demo_feed_state s = {0};
    int rc = 0;

    plan_feed(run, &plan);
    qsort(plan.items, plan.len, sizeof(*plan.items), compare_actions);
    viewers_init(run, &s);
    s.post_ids = arena_array(&run->a, plan.posts ? plan.posts : 1, sizeof(*s.post_ids));
    s.comment_ids = arena_array(&run->a, plan.len ? plan.len : 1, sizeof(*s.comment_ids));
    for (size_t i = 0; rc == 0 && i < plan.len; i++) {
        const struct demo_action *x = &plan.items[i];
        const char *problem = NULL;
        struct arena a;

        arena_init(&a);
        rc = act(run, &a, &s, x, &problem);
        arena_clear(&a);
        if (rc < 0) {
            demo_progress_abort(run);
            fprintf(stderr, "ruche demo : fil d'actualité, action %zu de %s refusée (%s%s%s)\n",
                    x->seq, demo_people[x->person].first, err_name(rc), problem ? " : " : "",
                    problem ? problem : "");
            return rc;
        }
        if ((i + 1) % 64 == 0 || i + 1 == plan.len)
            demo_progress(run, "Fil d'actualité", i + 1, plan.len);
    }
    if (rc == 0)
        rc = db_exec(run->db,
                     "UPDATE notification SET read_ms = created_ms + ? WHERE created_ms < ?",
                     DB_I64(HOUR_MS), DB_I64(run->now_ms - UNREAD_MS));
    return rc;
}
