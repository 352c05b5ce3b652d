/*
 * demo_groups.c - the demo's communities: a handful with a purpose each,
 * their animators, members, posts and a discussion, one of each visibility
 * (public, private, secret) and one archived, written through the groups,
 * feed and discussions modules as their members would.
 *
 * Each community is created by its animator (an animator or administrator
 * of the site, as the default policy wants); its members are added by that
 * animator, co-animators promoted, guests added (only animators may), and
 * a private one keeps a pending request and a pending invitation so the
 * animator's page has something to answer.  Runs inside the demo's
 * transaction, after the feed (demo_feed.c): community posts are the
 * newest of the demo.
 *
 * State: none beyond one call; memory comes from the run's arena.
 */
#include "../core/core.h"
#include "../core/arena.h"
#include "../db/db.h"
#include "../feed/feed.h"
#include "../groups/discussions.h"
#include "../groups/groups.h"
#include "demo.h"
#include "demo_run.h"

#define DEMO_GROUP_PEOPLE 16 /* names per list, NULL-terminated */
#define DEMO_GROUP_POSTS 3

struct demo_group_post {
    const char *author, *body;
};

struct demo_group {
    const char *name, *purpose, *description, *visibility;
    const char *animator;                   /* creates it: a site animator or admin */
    const char *co_animators[4];            /* members promoted to animator */
    const char *members[DEMO_GROUP_PEOPLE]; /* added by the animator (guests too) */
    const char *requests[4];                /* asked to join (private) and waiting */
    const char *invited[4];                 /* invited and not yet answered */
    struct demo_group_post posts[DEMO_GROUP_POSTS];
    const char *thread_author, *thread_title, *thread_body;
    const char *reply_author, *reply_body;
    bool archived;
};

static const struct demo_group demo_groups[] = {
    {
        .name = "Vie associative",
        .purpose = "Partager les bonnes pratiques d'accompagnement des associations du réseau.",
        .description = "Un lieu pour **échanger entre chargés d'accompagnement** : fiches "
                       "pratiques, questions des bénévoles, retours d'expérience.\n\n"
                       "- une question par publication\n- les fiches vont dans la discussion "
                       "« Boîte à outils »",
        .visibility = "public",
        .animator = "Gaëlle Perrin",
        .co_animators = {"Sébastien Barbier"},
        .members = {"Sébastien Barbier", "Nathalie Lacroix", "Laëtitia Marchand", "Aurélien Dupuis",
                    "Sofia Esposito", "Kévin Da Silva", "Mamadou Diallo", "Léa Bonnet",
                    "Aïcha Traoré", "Hugo Renaud"},
        .posts = {{"Nathalie Lacroix",
                   "Une association de Saint-Étienne cherche un modèle de convention de "
                   "bénévolat. Quelqu'un a une version à jour ? #benevolat"},
                  {"Aurélien Dupuis",
                   "La formation des dirigeants bénévoles du 14 reprend à Grenoble : il reste "
                   "six places. #formation"}},
        .thread_author = "Gaëlle Perrin",
        .thread_title = "Boîte à outils : vos fiches pratiques",
        .thread_body = "Déposez ici les fiches que vous utilisez avec les associations "
                       "(assemblée générale, subventions, bénévolat).",
        .reply_author = "Aïcha Traoré",
        .reply_body = "Voici la fiche sur la responsabilité des dirigeants, relue en mars.",
    },
    {
        .name = "Numérique et outils collaboratifs",
        .purpose = "Aider chaque salarié à tirer parti de Ruche et des outils numériques du "
                   "réseau.",
        .description = "Questions, astuces et annonces de l'équipe des systèmes "
                       "d'information.",
        .visibility = "public",
        .animator = "Hugo Renaud",
        .co_animators = {"Zoé Moreau"},
        .members = {"Zoé Moreau", "Karim Benali", "Wei Zhang", "Lucas Petit", "Théo Garnier",
                    "Camille Roux", "Manon Schmitt", "Yasmine Belkacem", "Marc-Antoine Lambert"},
        .posts = {{"Karim Benali",
                   "Rappel : pour joindre un fichier, donnez-lui un vrai titre, pas "
                   "« scan0042.pdf ». Merci ! #astuce"},
                  {"Hugo Renaud", "Les comptes des nouveaux arrivants sont créés le jour même : "
                                  "signalez-moi les oublis."}},
        .thread_author = "Manon Schmitt",
        .thread_title = "Comment recevoir moins de notifications par e-mail ?",
        .thread_body = "Je reçois un e-mail à chaque réaction : peut-on passer à un résumé ?",
        .reply_author = "Zoé Moreau",
        .reply_body = "Oui : dans votre compte, choisissez le résumé quotidien.",
    },
    {
        .name = "Réseau des territoires",
        .purpose = "Coordonner les animateurs territoriaux et préparer les tournées dans les "
                   "départements.",
        .description = "Réservée aux délégués et animateurs territoriaux, et à nos partenaires "
                       "de terrain.",
        .visibility = "private",
        .animator = "Noël Fabre",
        .members = {"Stéphane Roussel", "Maëlle Le Gall", "Mamadou Diallo", "Raphaël Mercier",
                    "Léa Bonnet", "Thi Lan Nguyen", "Loïc Colin", "Didier Rolland"},
        .requests = {"Sofia Esposito"},
        .invited = {"Kévin Da Silva"},
        .posts = {{"Stéphane Roussel",
                   "Tournée Isère : Voiron mardi, Vienne jeudi. Qui vient avec moi ?"},
                  {"Didier Rolland",
                   "La coopérative peut accueillir la réunion des animateurs de la Drôme en "
                   "juin."}},
        .thread_author = "Noël Fabre",
        .thread_title = "Calendrier des tournées du trimestre",
        .thread_body = "Indiquez vos dates de déplacement pour éviter les doublons.",
        .reply_author = "Léa Bonnet",
        .reply_body = "Savoie : les 3 et 17, Chambéry puis Albertville.",
    },
    {
        .name = "Cellule RH et paie",
        .purpose = "Traiter entre responsables les questions de paie et de recrutement qui ne "
                   "peuvent pas être publiques.",
        .visibility = "secret",
        .animator = "Véronique Blanc",
        .members = {"Cédric Morel", "Anaïs Faure", "Benoît Fournier", "Jérôme Lefèvre"},
        .posts = {{"Cédric Morel",
                   "Les bulletins de mai partent jeudi : vérifiez les heures supplémentaires "
                   "avant mercredi midi."}},
        .thread_author = "Anaïs Faure",
        .thread_title = "Recrutement du poste de comptable",
        .thread_body = "Trois candidatures retenues pour l'entretien ; je propose la semaine "
                       "prochaine.",
        .reply_author = "Benoît Fournier",
        .reply_body = "Mardi après-midi me convient.",
    },
    {
        .name = "Semaine de la communication 2024",
        .purpose = "Préparer la semaine de la communication de la fédération (terminée, "
                   "archivée).",
        .visibility = "public",
        .animator = "Hélène Dubois",
        .members = {"Solène Vidal", "Inès Chevalier", "Théo Garnier"},
        .posts = {{"Inès Chevalier", "Les affiches sont imprimées. Merci à tous !"}},
        .archived = true,
    },
};

/* The viewer acting as the person named name (a BUG when the table names nobody). */
static struct viewer demo_viewer(struct demo_run *run, const char *name)
{
    const struct demo_person *p = demo_person_find(&run->a, name);
    size_t i;

    if (!p)
        BUG("demo community names nobody: %s", name);
    i = (size_t)(p - demo_people);
    return (struct viewer){
        .id = run->person_ids[i],
        .role = p->role,
        .name = demo_person_name(&run->a, p),
        .email = demo_person_email(&run->a, p),
        .lang = "fr",
    };
}

/* Members, co-animators, requests and invitations of community id. */
static int demo_group_people(struct demo_run *run, const struct demo_group *g, int64_t id,
                             const struct viewer *animator, const char **problem)
{
    int rc = 0;

    for (size_t i = 0; rc == 0 && i < ARRAY_SIZE(g->members) && g->members[i]; i++)
        rc = groups_member_add(run->db, &run->a, animator, id, demo_viewer(run, g->members[i]).id,
                               problem);
    for (size_t i = 0; rc == 0 && i < ARRAY_SIZE(g->co_animators) && g->co_animators[i]; i++)
        rc = groups_role_set(run->db, &run->a, animator, id,
                             demo_viewer(run, g->co_animators[i]).id, true, problem);
    for (size_t i = 0; rc == 0 && i < ARRAY_SIZE(g->requests) && g->requests[i]; i++) {
        struct viewer v = demo_viewer(run, g->requests[i]);
        enum groups_standing now;
        rc = groups_join(run->db, &run->a, &v, id, &now, problem);
    }
    for (size_t i = 0; rc == 0 && i < ARRAY_SIZE(g->invited) && g->invited[i]; i++)
        rc = groups_invite(run->db, &run->a, animator, id, demo_viewer(run, g->invited[i]).id,
                           problem);
    return rc;
}

/* Its posts and its discussion with one reply. */
static int demo_group_content(struct demo_run *run, const struct demo_group *g, int64_t id,
                              const char **problem)
{
    int rc = 0;

    for (size_t i = 0; rc == 0 && i < DEMO_GROUP_POSTS && g->posts[i].author; i++) {
        struct viewer v = demo_viewer(run, g->posts[i].author);
        int64_t post_id;
        rc = feed_post_create(run->db, &run->a, &v,
                              &(struct feed_new_post){.body = g->posts[i].body, .community_id = id},
                              &post_id, problem);
    }
    if (rc == 0 && g->thread_author) {
        struct viewer v = demo_viewer(run, g->thread_author), w = demo_viewer(run, g->reply_author);
        const char *field = NULL;
        struct discussion d;
        struct community c;
        int64_t thread_id = 0, reply_id = 0;

        rc = groups_access(run->db, &run->a, &v, id, &c);
        if (rc == 0)
            rc = discussions_create(run->db, &run->a, &v, &c, g->thread_title, g->thread_body,
                                    &thread_id, &field, problem);
        if (rc == 0)
            rc = discussions_load(run->db, &run->a, &w, thread_id, &d, &c);
        if (rc == 0)
            rc = discussions_reply_create(run->db, &run->a, &w, &c, &d, g->reply_body, &reply_id,
                                          problem);
    }
    return rc;
}

int demo_groups_create(struct demo_run *run)
{
    int rc = 0;

    for (size_t i = 0; rc == 0 && i < ARRAY_SIZE(demo_groups); i++) {
        const struct demo_group *g = &demo_groups[i];
        struct viewer animator = demo_viewer(run, g->animator);
        struct groups_fields f = {.name = g->name,
                                  .purpose = g->purpose,
                                  .description = g->description ? g->description : "",
                                  .visibility = g->visibility};
        const char *field = NULL, *problem = NULL;
        int64_t id = 0;

        rc = groups_create(run->db, &animator, &f, &id, &field, &problem);
        if (rc == 0)
            rc = demo_group_people(run, g, id, &animator, &problem);
        if (rc == 0)
            rc = demo_group_content(run, g, id, &problem);
        if (rc == 0 && g->archived)
            rc = groups_archive(run->db, id, true);
        if (rc < 0) {
            demo_progress_abort(run);
            fprintf(stderr, "ruche demo : communauté « %s » refusée (%s%s%s)\n", g->name,
                    err_name(rc), problem ? " : " : "", problem ? problem : "");
            return rc;
        }
        demo_progress(run, "Communautés", i + 1, ARRAY_SIZE(demo_groups));
    }
    return rc;
}
