/*
 * generate_feed.c - the feed of `ruche debug-generate`: follows, posts,
 * their tags, mentions and reactions, for the home-feed benchmark
 * (bench/feed.sh: 10,000 members following 200 others, 1,000,000 posts).
 *
 * Every member follows --follows others: most of them in their "team" (the
 * members GENERATE_TEAM places around them), the others among the first
 * GENERATE_POPULAR members, who also write the most (see post_author()).
 * The administrator the benchmark signs in as follows as many members drawn
 * uniformly from everyone, so their sources are scattered over the whole
 * organisation.  (Clustered follows are also what keeps the generation
 * fast on SQLite: the follow_followed index is then written in a few
 * regions rather than at random.)  Posts are spread evenly over
 * the last GENERATE_POST_DAYS days, ids growing with time, by authors drawn
 * with a skew (a few members write much more than most).  A body is made of
 * French sentences from the pools below with one to three #tags (recorded
 * in post_tag, folded); one post in GENERATE_MENTION_EVERY mentions a member
 * by handle (recorded in post_mention); one in four has one to four
 * reactions (reaction_count kept).  There are no comments, attachments or
 * links.  Everything comes from the run's PRNG: the same seed gives the same
 * feed.
 *
 * Surprising: rows are written with SQL of its own, several rows per
 * INSERT (GENERATE_ROWS, through db.h's literal macros: the statements below
 * are built by macros that repeat a row's placeholders and arguments), in
 * transactions of GENERATE_POSTS_PER_TX posts, because a million posts
 * through feed_post_create() (parsing, notifications, live events) would
 * take an hour.  Post ids are given explicitly (the next after the largest),
 * so tags and reactions can name them without a round trip; on PostgreSQL
 * the identity sequence is moved past them at the end.
 *
 * State: none beyond one call.
 */
#include "../core/core.h"
#include "../core/arena.h"
#include "../core/str.h"
#include "../db/db.h"
#include "../feed/feed.h"
#include "demo.h"
#include "generate_cli.h"

#include <unistd.h>

#define GENERATE_POST_DAYS 365      /* posts cover the last year */
#define GENERATE_POSTS_PER_TX 20000 /* posts per transaction */
#define GENERATE_ROWS 128           /* rows per multi-row INSERT (ROWS128, ARGS128) */
#define GENERATE_MENTION_EVERY 40   /* one post in 40 mentions someone */
#define GENERATE_FOLLOW_TRIES 20    /* draws per follow before giving up on distinctness */
#define GENERATE_TEAM 250           /* a member's team: the members this many places around */
#define GENERATE_TEAM_PERCENT 70    /* follows within the team; the others go to... */
#define GENERATE_POPULAR 1000       /* ...the first members, who are also the most active */
#define GENERATE_DAY_MS (24LL * 3600 * 1000)

/* ---- the words ------------------------------------------------------------------ */

static const char *const openers[] = {
    "Petit point d'étape :",
    "Bonne nouvelle !",
    "Pour info,",
    "Rappel :",
    "Retour d'expérience :",
    "À noter dans vos agendas :",
    "Belle journée aujourd'hui.",
    "Suite à la réunion de ce matin,",
    "Vu sur le terrain :",
    "Merci à toute l'équipe !",
    "Astuce :",
    "Petite question :",
    "Ça avance :",
    "En bref :",
    "Important :",
    "De retour de la rencontre avec les associations du secteur :",
};

static const char *const facts[] = {
    "la formation des trésoriers affiche complet",
    "le dossier de subvention a été déposé à temps",
    "les bénévoles du forum étaient plus de quarante",
    "le nouveau modèle de budget est dans l'espace partagé",
    "l'assemblée générale aura lieu le mois prochain",
    "la permanence juridique reprend mardi matin",
    "nous cherchons des volontaires pour tenir le stand samedi",
    "le compte rendu du conseil d'administration est disponible",
    "les inscriptions aux ateliers de la rentrée sont ouvertes",
    "la lettre d'information part jeudi",
    "le guide d'accueil des bénévoles a été mis à jour",
    "trois associations ont rejoint le réseau cette semaine",
    "la salle de réunion du rez-de-chaussée est réservée jeudi",
    "le rapport d'activité est imprimé et disponible à l'accueil",
    "l'appel à projets ferme dans quinze jours",
    "le tableau de bord du trimestre est à jour",
    "le webinaire sur la protection des données a réuni trente participants",
    "les justificatifs de dépenses sont à envoyer avant vendredi",
    "le covoiturage pour le séminaire est organisé",
    "la campagne de recrutement de bénévoles démarre lundi",
    "les associations sportives cherchent des encadrants pour l'été",
    "le fonds de soutien aux petites associations est reconduit",
    "une convention de partenariat a été signée avec la commune",
    "le nouveau site des adhérents est en test",
    "la journée des trésoriers aura lieu à Saint-Étienne",
    "la plateforme de prêt de matériel compte cinquante objets de plus",
    "l'enquête sur l'emploi associatif est en ligne",
    "les bulletins d'adhésion intègrent les nouvelles mentions",
    "la visite de la recyclerie associative était passionnante",
    "le groupement d'employeurs recrute son premier salarié",
};

static const char *const closers[] = {
    "Merci à tous !",
    "N'hésitez pas à relayer.",
    "Vos retours sont les bienvenus.",
    "Qui est partant ?",
    "Je reste disponible pour en parler.",
    "Plus d'informations dans l'espace partagé.",
    "Bonne journée à tous.",
    "À suivre !",
    "Faites passer le mot autour de vous.",
    "",
};

static const char *const tags[] = {
    "bénévolat",  "subventions",   "comptabilité", "formation",   "événement",    "juridique",
    "RGPD",       "communication", "numérique",    "emploi",      "partenariats", "gouvernance",
    "budget",     "jeunesse",      "ESS",          "mécénat",     "Loire",        "Isère",
    "Savoie",     "Drôme",         "Ardèche",      "HauteSavoie", "astuce",       "RH",
    "logistique", "séminaire",     "études",       "statuts",     "FDVA",         "merci",
};

static const char *const reaction_kinds[] = {"like",  "like",   "like", "bravo",
                                             "bravo", "thanks", "idea", "support"};

/* ---- rows waiting for their INSERT ------------------------------------------------ */

struct gen_post {
    int64_t id, author, created_ms, reactions;
    const char *body;
};
/* A row of the other tables: post_tag (a, text), post_mention (a, b), follow (a, b, ms),
 * reaction (a, b, text, ms). */
struct gen_pair {
    int64_t a, b, ms;
    const char *text;
};

/*
 * One table's pending rows.  Posts go out when GENERATE_ROWS are waiting;
 * then the rows of the other tables that refer to them go out by whole
 * statements of GENERATE_ROWS, the rest waiting for the next round (a post
 * has at most GENERATE_PAIRS_PER_POST of them in one table).
 */
#define GENERATE_PAIRS_PER_POST 4
#define GENERATE_PAIRS_MAX (GENERATE_ROWS * (GENERATE_PAIRS_PER_POST + 1))
struct gen_batch {
    struct gen_post posts[GENERATE_ROWS];
    struct gen_pair pairs[GENERATE_PAIRS_MAX];
    size_t len;
};

/* Placeholders of 128 rows, and the arguments of rows 0 to 127 (p: posts, q: pairs), by doubling.
 */
#define ROWS2(r) r ", " r
#define ROWS4(r) ROWS2(r) ", " ROWS2(r)
#define ROWS8(r) ROWS4(r) ", " ROWS4(r)
#define ROWS16(r) ROWS8(r) ", " ROWS8(r)
#define ROWS32(r) ROWS16(r) ", " ROWS16(r)
#define ROWS64(r) ROWS32(r) ", " ROWS32(r)
#define ROWS128(r) ROWS64(r) ", " ROWS64(r)
#define ARGS2(m, i) m(i), m((i) + 1)
#define ARGS4(m, i) ARGS2(m, i), ARGS2(m, (i) + 2)
#define ARGS8(m, i) ARGS4(m, i), ARGS4(m, (i) + 4)
#define ARGS16(m, i) ARGS8(m, i), ARGS8(m, (i) + 8)
#define ARGS32(m, i) ARGS16(m, i), ARGS16(m, (i) + 16)
#define ARGS64(m, i) ARGS32(m, i), ARGS32(m, (i) + 32)
#define ARGS128(m, i) ARGS64(m, i), ARGS64(m, (i) + 64)

#define POST_SQL "INSERT INTO post(id, author_id, body, created_ms, reaction_count) VALUES "
#define POST_ROW "(?, ?, ?, ?, ?)"
#define POST_ARGS(i)                                                                               \
    DB_I64(p[i].id), DB_I64(p[i].author), DB_TEXT(p[i].body), DB_I64(p[i].created_ms),             \
        DB_I64(p[i].reactions)
#define TAG_SQL "INSERT INTO post_tag(post_id, tag) VALUES "
#define TAG_ROW "(?, ?)"
#define TAG_ARGS(i) DB_I64(q[i].a), DB_TEXT(q[i].text)
#define MENTION_SQL "INSERT INTO post_mention(post_id, account_id) VALUES "
#define MENTION_ROW "(?, ?)"
#define MENTION_ARGS(i) DB_I64(q[i].a), DB_I64(q[i].b)
#define FOLLOW_SQL "INSERT INTO follow(follower_id, followed_id, created_ms) VALUES "
#define FOLLOW_ROW "(?, ?, ?)"
#define FOLLOW_ARGS(i) DB_I64(q[i].a), DB_I64(q[i].b), DB_I64(q[i].ms)
#define REACTION_SQL "INSERT INTO reaction(post_id, account_id, kind, created_ms) VALUES "
#define REACTION_ROW "(?, ?, ?, ?)"
#define REACTION_ARGS(i) DB_I64(q[i].a), DB_I64(q[i].b), DB_TEXT(q[i].text), DB_I64(q[i].ms)

enum gen_table { GEN_POST, GEN_TAG, GEN_MENTION, GEN_FOLLOW, GEN_REACTION, GEN_TABLES };

/* Rows off to off + GENERATE_ROWS - 1 of table t in one statement. */
static int batch_write_many(struct db *db, enum gen_table t, const struct gen_batch *b, size_t off)
{
    const struct gen_post *p = b->posts + off;
    const struct gen_pair *q = b->pairs + off;

    switch (t) {
    case GEN_POST:
        return db_exec(db, POST_SQL ROWS128(POST_ROW), ARGS128(POST_ARGS, 0));
    case GEN_TAG:
        return db_exec(db, TAG_SQL ROWS128(TAG_ROW), ARGS128(TAG_ARGS, 0));
    case GEN_MENTION:
        return db_exec(db, MENTION_SQL ROWS128(MENTION_ROW), ARGS128(MENTION_ARGS, 0));
    case GEN_FOLLOW:
        return db_exec(db, FOLLOW_SQL ROWS128(FOLLOW_ROW), ARGS128(FOLLOW_ARGS, 0));
    case GEN_REACTION:
        return db_exec(db, REACTION_SQL ROWS128(REACTION_ROW), ARGS128(REACTION_ARGS, 0));
    case GEN_TABLES:
        break;
    }
    BUG("generate: unknown table %d", (int)t);
}

/* Row off of table t alone. */
static int batch_write_one(struct db *db, enum gen_table t, const struct gen_batch *b, size_t off)
{
    const struct gen_post *p = b->posts + off;
    const struct gen_pair *q = b->pairs + off;

    switch (t) {
    case GEN_POST:
        return db_exec(db, POST_SQL POST_ROW, POST_ARGS(0));
    case GEN_TAG:
        return db_exec(db, TAG_SQL TAG_ROW, TAG_ARGS(0));
    case GEN_MENTION:
        return db_exec(db, MENTION_SQL MENTION_ROW, MENTION_ARGS(0));
    case GEN_FOLLOW:
        return db_exec(db, FOLLOW_SQL FOLLOW_ROW, FOLLOW_ARGS(0));
    case GEN_REACTION:
        return db_exec(db, REACTION_SQL REACTION_ROW, REACTION_ARGS(0));
    case GEN_TABLES:
        break;
    }
    BUG("generate: unknown table %d", (int)t);
}

/*
 * Write the pending rows of table t by whole statements of GENERATE_ROWS,
 * and the rest one by one when all is true (else they keep waiting).
 */
static int batch_write(struct db *db, enum gen_table t, struct gen_batch *b, bool all)
{
    size_t done = 0;
    int rc = 0;

    while (rc == 0 && b->len - done >= GENERATE_ROWS) {
        rc = batch_write_many(db, t, b, done);
        done += GENERATE_ROWS;
    }
    while (rc == 0 && all && done < b->len)
        rc = batch_write_one(db, t, b, done++);
    if (t == GEN_POST)
        memmove(b->posts, b->posts + done, (b->len - done) * sizeof(*b->posts));
    else
        memmove(b->pairs, b->pairs + done, (b->len - done) * sizeof(*b->pairs));
    b->len -= done;
    return rc;
}

/* The run: its batches, PRNG and progress. */
struct gen_run {
    struct db *db;
    const struct generate_feed *in;
    struct gen_batch batch[GEN_TABLES];
    const char *tags_folded[ARRAY_SIZE(tags)];
    uint64_t state;
    bool is_tty;
};

/* Write what is waiting: the posts first, the rows that refer to them after. */
static int batches_write(struct gen_run *g, bool all)
{
    int rc = 0;

    for (int t = 0; rc == 0 && t < GEN_TABLES; t++)
        rc = batch_write(g->db, (enum gen_table)t, &g->batch[t], all);
    return rc;
}

/* A free slot for one more row of table t, writing batches when posts or follows are full. */
static int batch_slot(struct gen_run *g, enum gen_table t, size_t *slot)
{
    struct gen_batch *b = &g->batch[t];
    int rc = 0;

    if (t == GEN_POST && b->len == GENERATE_ROWS)
        rc = batches_write(g, false);
    else if (t == GEN_FOLLOW && b->len == GENERATE_ROWS)
        rc = batch_write(g->db, t, b, false);
    else if (t != GEN_POST && b->len == GENERATE_PAIRS_MAX)
        BUG("generate: more than %d rows of table %d per post", GENERATE_PAIRS_PER_POST, (int)t);
    *slot = b->len++;
    return rc;
}

static size_t gen_below(struct gen_run *g, size_t n)
{
    return generate_below(&g->state, n);
}

static void gen_progress(struct gen_run *g, const char *what, size_t done, size_t total)
{
    generate_progress(g->is_tty, what, done, total);
}

/* ---- follows -------------------------------------------------------------------- */

/* A member for member number i (SIZE_MAX: the administrator) to follow. */
static size_t follow_pick(struct gen_run *g, size_t i)
{
    size_t n = g->in->members_len, team = 2 * GENERATE_TEAM + 1;

    if (i == SIZE_MAX || n <= team)
        return gen_below(g, n);
    if (gen_below(g, 100) < GENERATE_TEAM_PERCENT)
        return (i + n - GENERATE_TEAM + gen_below(g, team)) % n;
    return gen_below(g, n < GENERATE_POPULAR ? n : GENERATE_POPULAR);
}

/*
 * in->follows distinct members (not the follower) followed by member
 * number i (SIZE_MAX: the administrator), since some time.
 */
static int follows_of(struct gen_run *g, size_t i, int64_t now_ms)
{
    const struct generate_feed *in = g->in;
    int64_t chosen[GENERATE_FOLLOWS_MAX];
    int64_t follower = i == SIZE_MAX ? in->admin_id : in->member_ids[i];
    size_t n = 0, s;
    int rc = 0;

    for (size_t k = 0; rc == 0 && k < in->follows && k < in->members_len; k++) {
        int64_t who = 0;
        for (int tries = 0; who == 0 && tries < GENERATE_FOLLOW_TRIES; tries++) {
            int64_t c = in->member_ids[follow_pick(g, i)];
            bool seen = c == follower;
            for (size_t j = 0; !seen && j < n; j++)
                seen = chosen[j] == c;
            if (!seen)
                who = c;
        }
        if (who == 0)
            continue;
        chosen[n++] = who;
        if ((rc = batch_slot(g, GEN_FOLLOW, &s)) == 0)
            g->batch[GEN_FOLLOW].pairs[s] = (struct gen_pair){
                .a = follower,
                .b = who,
                .ms = now_ms - (int64_t)gen_below(g, GENERATE_POST_DAYS * (size_t)GENERATE_DAY_MS),
            };
    }
    return rc;
}

static int follows_create(struct gen_run *g, int64_t now_ms)
{
    const struct generate_feed *in = g->in;
    int rc = db_tx_begin(g->db);

    for (size_t i = 0; rc == 0 && i <= in->members_len; i++) {
        /* The administrator last, after every member. */
        rc = follows_of(g, i < in->members_len ? i : SIZE_MAX, now_ms);
        if (rc == 0 && (i + 1) % 1000 == 0 && i + 1 < in->members_len) {
            rc = batches_write(g, true);
            if (rc == 0 && (rc = db_tx_commit(g->db)) == 0)
                rc = db_tx_begin(g->db);
            gen_progress(g, "Abonnements", i + 1, in->members_len + 1);
        }
    }
    if (rc == 0)
        rc = batches_write(g, true);
    if (rc < 0) {
        db_tx_rollback(g->db);
        return rc;
    }
    if ((rc = db_tx_commit(g->db)) == 0)
        gen_progress(g, "Abonnements", in->members_len + 1, in->members_len + 1);
    return rc;
}

/* ---- posts ---------------------------------------------------------------------- */

/* A body of one to three sentences and one to three tags; its tags' indexes in *tag_ix. */
static const char *post_body(struct gen_run *g, struct arena *a, size_t *tag_ix, size_t *tags_len,
                             const char *mention)
{
    const char *opener = openers[gen_below(g, ARRAY_SIZE(openers))];
    const char *fact = facts[gen_below(g, ARRAY_SIZE(facts))];
    const char *closer = closers[gen_below(g, ARRAY_SIZE(closers))];
    char last = opener[strlen(opener) - 1];
    struct buf b;

    buf_init_arena(&b, a);
    buf_addstr(&b, opener);
    buf_addch(&b, ' ');
    /* After "!" or "." the fact starts a sentence (the facts begin with an ASCII letter). */
    buf_addch(&b, (char)(last == '!' || last == '.' ? fact[0] - 'a' + 'A' : fact[0]));
    buf_addstr(&b, fact + 1);
    buf_addch(&b, '.');
    if (gen_below(g, 3) == 0) {
        buf_addstr(&b, " Par ailleurs, ");
        buf_addstr(&b, facts[gen_below(g, ARRAY_SIZE(facts))]);
        buf_addch(&b, '.');
    }
    if (mention)
        buf_addf(&b, " Merci @%s pour le coup de main.", mention);
    if (*closer) {
        buf_addch(&b, ' ');
        buf_addstr(&b, closer);
    }
    *tags_len = 1 + gen_below(g, 3);
    for (size_t k = 0; k < *tags_len; k++) {
        size_t t = gen_below(g, ARRAY_SIZE(tags));
        for (size_t j = 0; j < k; j++)
            if (tag_ix[j] == t) {
                t = (t + 1) % ARRAY_SIZE(tags);
                j = SIZE_MAX; /* check the new one against all again: the loop adds 1 */
            }
        tag_ix[k] = t;
        buf_addf(&b, " #%s", tags[t]);
    }
    return b.s;
}

/*
 * The author of the next post: members drawn with a skew towards the first
 * ones (the square of a uniform draw), so activity is uneven as in life.
 */
static size_t post_author(struct gen_run *g)
{
    uint64_t u = gen_below(g, 1u << 16);

    return (size_t)((u * u * (uint64_t)g->in->members_len) >> 32);
}

/* Post id (its author is member author) and its rows in the other tables. */
static int post_create(struct gen_run *g, struct arena *a, int64_t id, size_t author,
                       int64_t created_ms)
{
    const struct generate_feed *in = g->in;
    size_t tag_ix[3], tags_len, s, reactions = 0;
    size_t wanted = gen_below(g, 4) == 0 ? 1 + gen_below(g, GENERATE_PAIRS_PER_POST) : 0;
    int64_t mentioned = 0, reactors[GENERATE_PAIRS_PER_POST];
    const char *handle = NULL;
    int rc;

    if (gen_below(g, GENERATE_MENTION_EVERY) == 0) {
        size_t m = gen_below(g, in->members_len);
        mentioned = in->member_ids[m];
        handle = in->handle(a, in->ctx, m);
    }
    /* Distinct reactors other than the author. */
    for (size_t k = 0; k < wanted; k++) {
        int64_t c = in->member_ids[gen_below(g, in->members_len)];
        bool ok = c != in->member_ids[author];
        for (size_t j = 0; ok && j < reactions; j++)
            ok = reactors[j] != c;
        if (ok)
            reactors[reactions++] = c;
    }
    if ((rc = batch_slot(g, GEN_POST, &s)) < 0)
        return rc;
    g->batch[GEN_POST].posts[s] = (struct gen_post){
        .id = id,
        .author = in->member_ids[author],
        .created_ms = created_ms,
        .reactions = (int64_t)reactions,
        .body = post_body(g, a, tag_ix, &tags_len, handle),
    };
    for (size_t k = 0; rc == 0 && k < tags_len; k++) {
        if ((rc = batch_slot(g, GEN_TAG, &s)) == 0)
            g->batch[GEN_TAG].pairs[s] =
                (struct gen_pair){.a = id, .text = g->tags_folded[tag_ix[k]]};
    }
    if (rc == 0 && mentioned && (rc = batch_slot(g, GEN_MENTION, &s)) == 0)
        g->batch[GEN_MENTION].pairs[s] = (struct gen_pair){.a = id, .b = mentioned};
    for (size_t k = 0; rc == 0 && k < reactions; k++) {
        if ((rc = batch_slot(g, GEN_REACTION, &s)) == 0)
            g->batch[GEN_REACTION].pairs[s] = (struct gen_pair){
                .a = id,
                .b = reactors[k],
                .text = reaction_kinds[gen_below(g, ARRAY_SIZE(reaction_kinds))],
                .ms = created_ms + 60000 + (int64_t)gen_below(g, 3 * 3600 * 1000)};
    }
    return rc;
}

static int posts_create(struct gen_run *g, int64_t now_ms)
{
    const struct generate_feed *in = g->in;
    int64_t first = 0, span = GENERATE_POST_DAYS * GENERATE_DAY_MS, step;
    struct arena a;
    int rc = db_get_i64(g->db, &first, "SELECT COALESCE(max(id), 0) FROM post");

    if (rc < 0 || in->posts == 0)
        return rc;
    step = span / (int64_t)in->posts;
    arena_init(&a);
    for (size_t done = 0; rc == 0 && done < in->posts; done += GENERATE_POSTS_PER_TX) {
        size_t count =
            in->posts - done < GENERATE_POSTS_PER_TX ? in->posts - done : GENERATE_POSTS_PER_TX;
        if ((rc = db_tx_begin(g->db)) < 0)
            break;
        for (size_t i = done; rc == 0 && i < done + count; i++) {
            int64_t at = now_ms - span + (int64_t)i * step +
                         (step > 1 ? (int64_t)gen_below(g, (size_t)step) : 0);
            rc = post_create(g, &a, first + 1 + (int64_t)i, post_author(g), at);
        }
        if (rc == 0)
            rc = batches_write(g, true);
        if (rc < 0) {
            db_tx_rollback(g->db);
            break;
        }
        rc = db_tx_commit(g->db);
        arena_clear(&a);
        if (rc == 0)
            gen_progress(g, "Publications", done + count, in->posts);
    }
    arena_clear(&a);
    /* PostgreSQL: the identity sequence after the ids given here (nothing on SQLite). */
    if (rc == 0)
        rc = db_exec(g->db, "SELECT COALESCE(max(id), 0)"
                            " /*pg: , setval(pg_get_serial_sequence('post', 'id'), max(id))*/"
                            " FROM post");
    return rc;
}

int generate_feed_create(struct db *db, const struct generate_feed *in, uint64_t seed)
{
    struct gen_run g = {.db = db, .in = in, .state = seed ^ 0x66656564ULL, .is_tty = isatty(2)};
    struct arena a;
    int64_t now_ms = time_now_ms();
    int rc = 0;

    if (in->members_len == 0 || (in->posts == 0 && in->follows == 0))
        return 0;
    arena_init(&a);
    for (size_t t = 0; t < ARRAY_SIZE(tags); t++)
        g.tags_folded[t] = feed_tag_fold(&a, tags[t]);
    if (in->follows > 0)
        rc = follows_create(&g, now_ms);
    if (rc == 0)
        rc = posts_create(&g, now_ms);
    arena_clear(&a);
    return rc;
}
