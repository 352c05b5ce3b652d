/*
 * generate_groups.c - the communities of `ruche debug-generate --communities
 * N`, for the communities benchmark (bench/communities.sh): N communities
 * for the directory, and one large private community (--community-members
 * members, 2,000 by default, the administrator among them as a plain
 * member; --community-posts posts, 10,000 by default, two of them pinned)
 * with a discussion of GENERATE_THREAD_REPLIES replies.
 *
 * The directory's communities have a name made unique by a number, a
 * one-sentence purpose from the pools below, a visibility (seven in ten
 * public, two private, one secret), an animator and up to
 * GENERATE_DIRECTORY_MEMBERS other members, all drawn from the generated
 * members; the administrator is a member of one in twenty.  The large
 * community's posts are spread over the last GENERATE_GROUP_DAYS days by
 * its members (a few write most), each with a tag recorded in post_tag.
 * Its id and the thread's are printed on stdout by generate_cli.c
 * ("community_id=", "discussion_id=").  Everything comes from the run's
 * PRNG: the same seed gives the same communities.
 *
 * Surprising: as generate_feed.c does, rows are written with SQL of its
 * own, in a few transactions, with member_count and last_activity_ms set
 * as groups.c keeps them, because groups_create(), groups_member_add() and
 * feed_post_create() per row would lock, recount and notify thousands of
 * times.  It is a debug command for benchmarks only.
 *
 * State: none beyond one call.
 */
#include "../core/core.h"
#include "../core/arena.h"
#include "../core/str.h"
#include "../db/db.h"
#include "../feed/feed.h"
#include "generate_cli.h"

#include <unistd.h>

#define GENERATE_GROUP_DAYS 365          /* the large community's posts cover the last year */
#define GENERATE_DIRECTORY_MEMBERS 20    /* members of a directory community, at most */
#define GENERATE_THREAD_REPLIES 10       /* replies of the benchmark's thread */
#define GENERATE_GROUP_POSTS_PER_TX 5000 /* posts per transaction */
#define GENERATE_GROUP_DAY_MS (24LL * 3600 * 1000)

static const char *const themes[] = {
    "Covoiturage",   "Qualité",         "Club photo",    "Sécurité au travail",
    "Accueil",       "Achats",          "Paie",          "Veille juridique",
    "Numérique",     "Relation client", "Formation",     "Écologie au bureau",
    "Bénévolat",     "Innovation",      "Logistique",    "Contrôle de gestion",
    "Communication", "Handicap",        "Course à pied", "Jardin partagé",
    "Données",       "Recrutement",     "Télétravail",   "Marchés publics",
};

static const char *const places[] = {
    "Lyon", "Grenoble", "Saint-Étienne", "Annecy", "Valence", "Chambéry", "Vaise", "Villeurbanne",
};

static const char *const purposes[] = {
    "Partager les bonnes pratiques et les questions du quotidien.",
    "Préparer ensemble les échéances du trimestre.",
    "Organiser les trajets et les rencontres entre sites.",
    "Répondre vite aux questions des nouveaux arrivants.",
    "Suivre les évolutions réglementaires qui nous concernent.",
    "Mettre en commun les outils, modèles et astuces de chacun.",
    "Faire remonter les difficultés du terrain et les résoudre.",
    "Échanger sur les projets en cours et leurs prochaines étapes.",
};

static const char *const sentences[] = {
    "Le compte rendu de la réunion de mardi est dans l'espace partagé.",
    "Qui peut relire la note avant vendredi ?",
    "Nous avons terminé la première phase du projet, merci à tous.",
    "La formation de jeudi est maintenue, il reste trois places.",
    "Voici le nouveau modèle de tableau de suivi.",
    "Petit rappel : les inscriptions ferment ce soir.",
    "Retour très positif de l'atelier d'hier.",
    "Le site de Grenoble cherche un volontaire pour la permanence.",
    "Les chiffres du mois sont meilleurs que prévu.",
    "Une question sur la procédure : qui valide les demandes urgentes ?",
    "Bienvenue aux nouveaux membres de la communauté !",
    "La prochaine rencontre aura lieu dans les locaux de Vaise.",
};

static const char *const group_tags[] = {"projet",   "réunion", "formation", "astuce",
                                         "question", "bilan",   "agenda",    "outil"};

/* The run: its PRNG, progress, and what it made. */
struct ggen {
    struct db *db;
    const struct generate_groups *in;
    uint64_t state;
    bool is_tty;
    int64_t now_ms;
};

static size_t ggen_below(struct ggen *g, size_t n)
{
    return generate_below(&g->state, n);
}

static void ggen_progress(struct ggen *g, const char *what, size_t done, size_t total)
{
    generate_progress(g->is_tty, what, done, total);
}

/* A time in the last year, as a number of milliseconds before now. */
static int64_t ggen_ago(struct ggen *g)
{
    return (int64_t)ggen_below(g, GENERATE_GROUP_DAYS * (size_t)GENERATE_GROUP_DAY_MS);
}

/* Insert community name (visibility vis) and return its id in *id. */
static int community_insert(struct ggen *g, struct arena *a, const char *name, const char *purpose,
                            const char *vis, int64_t created_ms, int64_t activity_ms,
                            int64_t members, int64_t *id)
{
    return db_get_i64(g->db, id,
                      "INSERT INTO community(name, name_folded, purpose, description, visibility,"
                      " created_by, created_ms, last_activity_ms, member_count)"
                      " VALUES (?, ?, ?, '', ?, NULL, ?, ?, ?) RETURNING id",
                      DB_TEXT(name), DB_TEXT(str_fold(a, name)), DB_TEXT(purpose), DB_TEXT(vis),
                      DB_I64(created_ms), DB_I64(activity_ms), DB_I64(members));
}

static int member_insert(struct ggen *g, int64_t id, int64_t account, bool animator,
                         int64_t since_ms)
{
    return db_exec(g->db,
                   "INSERT INTO community_member(community_id, account_id, role, state,"
                   " created_ms) VALUES (?, ?, ?, 'member', ?)",
                   DB_I64(id), DB_I64(account), DB_TEXT(animator ? "animator" : "member"),
                   DB_I64(since_ms));
}

/*
 * count distinct members drawn from the generated ones (never the
 * administrator): the first is the animator.  Their indexes in out.
 */
static size_t draw_members(struct ggen *g, size_t count, size_t *out)
{
    size_t n = 0, tries = 0;

    while (n < count && tries++ < count * 20) {
        size_t m = ggen_below(g, g->in->members_len);
        bool seen = false;
        for (size_t j = 0; !seen && j < n; j++)
            seen = out[j] == m;
        if (!seen)
            out[n++] = m;
    }
    return n;
}

/* ---- the directory ----------------------------------------------------------------- */

static int directory_create(struct ggen *g)
{
    const struct generate_groups *in = g->in;
    size_t chosen[GENERATE_DIRECTORY_MEMBERS + 1];
    struct arena a;
    int rc = db_tx_begin(g->db);

    arena_init(&a);
    for (size_t i = 0; rc == 0 && i < in->communities; i++) {
        size_t v = ggen_below(g, 10), n;
        const char *vis = v < 7 ? "public" : v < 9 ? "private" : "secret";
        const char *name = arena_printf(&a, "%s %s %zu", themes[ggen_below(g, ARRAY_SIZE(themes))],
                                        places[ggen_below(g, ARRAY_SIZE(places))], i + 1);
        int64_t created = g->now_ms - ggen_ago(g), id = 0;
        int64_t activity = created + (int64_t)ggen_below(g, (size_t)(g->now_ms - created) + 1);
        bool admin = ggen_below(g, 20) == 0;

        n = draw_members(g, 1 + ggen_below(g, GENERATE_DIRECTORY_MEMBERS + 1), chosen);
        rc = community_insert(g, &a, name, purposes[ggen_below(g, ARRAY_SIZE(purposes))], vis,
                              created, activity, (int64_t)n + admin, &id);
        for (size_t k = 0; rc == 0 && k < n; k++)
            rc = member_insert(g, id, in->member_ids[chosen[k]], k == 0, created);
        if (rc == 0 && admin)
            rc = member_insert(g, id, in->admin_id, false, created);
        if (rc == 0 && (i + 1) % 500 == 0) {
            arena_clear(&a);
            if ((rc = db_tx_commit(g->db)) == 0)
                rc = db_tx_begin(g->db);
            ggen_progress(g, "Communautés", i + 1, in->communities);
        }
    }
    arena_clear(&a);
    if (rc < 0) {
        db_tx_rollback(g->db);
        return rc;
    }
    if ((rc = db_tx_commit(g->db)) == 0)
        ggen_progress(g, "Communautés", in->communities, in->communities);
    return rc;
}

/* ---- the large community ------------------------------------------------------------- */

/* Its members: the administrator and big_members - 1 generated members (the first animates). */
static int big_members(struct ggen *g, int64_t id, int64_t since_ms, int64_t *ids, size_t *len)
{
    const struct generate_groups *in = g->in;
    size_t want = in->big_members > 0 ? in->big_members - 1 : 0, n = 0;
    int rc = 0;

    /* Consecutive generated members from a random start: distinct without a search. */
    size_t start = ggen_below(g, in->members_len);
    for (size_t k = 0; rc == 0 && k < want && k < in->members_len; k++) {
        ids[n] = in->member_ids[(start + k) % in->members_len];
        rc = member_insert(g, id, ids[n], n == 0, since_ms);
        n++;
    }
    if (rc == 0)
        rc = member_insert(g, id, in->admin_id, false, since_ms);
    *len = n;
    return rc;
}

/* A post's body: one or two sentences and a tag (its index in *tag). */
static const char *big_body(struct ggen *g, struct arena *a, size_t *tag)
{
    struct buf b;

    buf_init_arena(&b, a);
    buf_addstr(&b, sentences[ggen_below(g, ARRAY_SIZE(sentences))]);
    if (ggen_below(g, 2) == 0) {
        buf_addch(&b, ' ');
        buf_addstr(&b, sentences[ggen_below(g, ARRAY_SIZE(sentences))]);
    }
    *tag = ggen_below(g, ARRAY_SIZE(group_tags));
    buf_addf(&b, " #%s", group_tags[*tag]);
    return b.s;
}

static int big_posts(struct ggen *g, int64_t id, const int64_t *authors, size_t authors_len,
                     int64_t *last_ms)
{
    const struct generate_groups *in = g->in;
    int64_t span = GENERATE_GROUP_DAYS * GENERATE_GROUP_DAY_MS, step;
    const char *folded[ARRAY_SIZE(group_tags)];
    struct arena a, tags;
    int rc = 0;

    *last_ms = g->now_ms - span;
    if (in->big_posts == 0 || authors_len == 0)
        return 0;
    step = span / (int64_t)in->big_posts;
    arena_init(&tags);
    for (size_t t = 0; t < ARRAY_SIZE(group_tags); t++)
        folded[t] = feed_tag_fold(&tags, group_tags[t]);
    arena_init(&a);
    for (size_t done = 0; rc == 0 && done < in->big_posts; done += GENERATE_GROUP_POSTS_PER_TX) {
        size_t count = in->big_posts - done < GENERATE_GROUP_POSTS_PER_TX
                           ? in->big_posts - done
                           : GENERATE_GROUP_POSTS_PER_TX;
        if ((rc = db_tx_begin(g->db)) < 0)
            break;
        for (size_t i = done; rc == 0 && i < done + count; i++) {
            /* Authors skewed towards the first members: a few write most. */
            uint64_t u = ggen_below(g, 1u << 16);
            size_t author = (size_t)((u * u * (uint64_t)authors_len) >> 32), tag;
            int64_t at = g->now_ms - span + (int64_t)i * step, post = 0;
            /* The two oldest posts are pinned by the animator: shown first. */
            int64_t pinned = i < 2 ? at + 60000 : 0;
            const char *body = big_body(g, &a, &tag);

            rc = db_get_i64(g->db, &post,
                            "INSERT INTO post(author_id, community_id, body, created_ms,"
                            " community_pinned_ms) VALUES (?, ?, ?, ?, ?) RETURNING id",
                            DB_I64(authors[author]), DB_I64(id), DB_TEXT(body), DB_I64(at),
                            DB_I64(pinned));
            if (rc == 0)
                rc = db_exec(g->db, "INSERT INTO post_tag(post_id, tag) VALUES (?, ?)",
                             DB_I64(post), DB_TEXT(folded[tag]));
            *last_ms = at;
        }
        if (rc < 0) {
            db_tx_rollback(g->db);
            break;
        }
        rc = db_tx_commit(g->db);
        arena_clear(&a);
        if (rc == 0)
            ggen_progress(g, "Publications de la communauté", done + count, in->big_posts);
    }
    arena_clear(&a);
    arena_clear(&tags);
    return rc;
}

/* The thread: a question and GENERATE_THREAD_REPLIES replies by different members. */
static int big_thread(struct ggen *g, int64_t id, const int64_t *authors, size_t authors_len,
                      int64_t *thread_id, int64_t *last_ms)
{
    int64_t at = g->now_ms - 2 * GENERATE_GROUP_DAY_MS, reply_id = 0;
    int rc;

    if (authors_len == 0)
        return 0;
    rc = db_get_i64(
        g->db, thread_id,
        "INSERT INTO discussion(community_id, author_id, title, body, created_ms,"
        " last_activity_ms, reply_count) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
        DB_I64(id), DB_I64(authors[0]), DB_TEXT("Quel outil pour suivre les demandes urgentes ?"),
        DB_TEXT("Nous recevons de plus en plus de demandes **urgentes** par mail. Quel outil "
                "utilisez-vous pour les suivre ?\n\n- un tableur partagé\n- le logiciel de "
                "tickets\n- autre chose ?"),
        DB_I64(at), DB_I64(at + GENERATE_THREAD_REPLIES * 3600 * 1000LL),
        DB_I64(GENERATE_THREAD_REPLIES));
    for (size_t k = 1; rc == 0 && k <= GENERATE_THREAD_REPLIES; k++) {
        at += 3600 * 1000LL;
        rc = db_get_i64(g->db, &reply_id,
                        "INSERT INTO discussion_reply(discussion_id, author_id, body, created_ms)"
                        " VALUES (?, ?, ?, ?) RETURNING id",
                        DB_I64(*thread_id), DB_I64(authors[k % authors_len]),
                        DB_TEXT(sentences[ggen_below(g, ARRAY_SIZE(sentences))]), DB_I64(at));
    }
    *last_ms = at;
    return rc;
}

static int big_create(struct ggen *g, struct generate_groups_made *made)
{
    const struct generate_groups *in = g->in;
    int64_t created = g->now_ms - GENERATE_GROUP_DAYS * GENERATE_GROUP_DAY_MS - 1000;
    int64_t posts_ms = 0, thread_ms = 0, *ids;
    size_t len = 0;
    struct arena a;
    int rc;

    arena_init(&a);
    ids = arena_array(&a, in->big_members + 1, sizeof(*ids));
    if ((rc = db_tx_begin(g->db)) == 0) {
        rc = community_insert(g, &a, "Communauté du banc d'essai",
                              "Mesurer la page d'une grande communauté, son annuaire et ses "
                              "discussions.",
                              "private", created, created, 0, &made->community_id);
        if (rc == 0)
            rc = big_members(g, made->community_id, created, ids, &len);
        if (rc < 0)
            db_tx_rollback(g->db);
        else
            rc = db_tx_commit(g->db);
    }
    if (rc == 0)
        rc = big_posts(g, made->community_id, ids, len, &posts_ms);
    if (rc == 0 && (rc = db_tx_begin(g->db)) == 0) {
        rc = big_thread(g, made->community_id, ids, len, &made->discussion_id, &thread_ms);
        if (rc == 0)
            rc = db_exec(g->db,
                         "UPDATE community SET last_activity_ms = ?, member_count ="
                         " (SELECT count(*) FROM community_member WHERE community_id = ?"
                         " AND state = 'member') WHERE id = ?",
                         DB_I64(posts_ms > thread_ms ? posts_ms : thread_ms),
                         DB_I64(made->community_id), DB_I64(made->community_id));
        if (rc < 0)
            db_tx_rollback(g->db);
        else
            rc = db_tx_commit(g->db);
    }
    arena_clear(&a);
    return rc;
}

int generate_groups_create(struct db *db, const struct generate_groups *in, uint64_t seed,
                           struct generate_groups_made *made)
{
    struct ggen g = {.db = db,
                     .in = in,
                     .state = seed ^ 0x67726f757073ULL,
                     .is_tty = isatty(STDERR_FILENO),
                     .now_ms = time_now_ms()};
    int rc;

    *made = (struct generate_groups_made){0};
    if (in->members_len == 0)
        return 0;
    if ((rc = directory_create(&g)) < 0)
        return rc;
    return big_create(&g, made);
}
