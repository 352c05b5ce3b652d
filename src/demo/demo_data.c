/*
 * demo_data.c - the people of Alvéole, the demonstration organisation.
 *
 * Alvéole is an invented regional federation of associations: a head office
 * in Lyon, territorial offices in Grenoble, Saint-Étienne, Annecy, Valence
 * and Chambéry, and people working from home.  The table reads like a staff
 * directory: one administrator (the IT director, who signs in first), five
 * animators of the network, members from every department, five colleagues
 * invited but never activated (the adoption dashboard counts them), and three
 * external partners as guests.  Accounts are spread over the last 18 months,
 * the pilot group first, as a real roll-out would be.
 *
 * Everything here is constant data; the file owns no state.  The table's
 * invariants (unique e-mails, one administrator, valid UTF-8) are checked by
 * tests/unit/demo/test_demo_data.c.
 */
#include "../core/core.h"
#include "../core/arena.h"
#include "../core/buf.h"
#include "demo.h"

#define DEP_DIRECTION "Direction"
#define DEP_COMMUNICATION "Communication"
#define DEP_FINANCES "Finances"
#define DEP_HR "Ressources humaines"
#define DEP_IT "Informatique"
#define DEP_LEGAL "Juridique"
#define DEP_TERRITORIES "Développement des territoires"
#define DEP_ASSOCIATIONS "Vie associative"
#define DEP_PARTNERS "Partenaires externes"

#define SITE_HOME "Télétravail"

/* One person per two lines, read like a directory: kept out of clang-format. */
/* clang-format off */
const struct demo_person demo_people[] = {
    /* Informatique: the administrator and the pilot group of the network */
    { "Claire", "Martin", "Directrice des systèmes d'information",
      DEP_IT, "Lyon", ROLE_ADMIN, false, 545 },
    { "Hugo", "Renaud", "Chef de projet réseau social interne",
      DEP_IT, "Lyon", ROLE_ANIMATOR, false, 540 },
    { "Zoé", "Moreau", "Développeuse",
      DEP_IT, SITE_HOME, ROLE_MEMBER, false, 500 },
    { "Karim", "Benali", "Technicien support",
      DEP_IT, "Lyon", ROLE_MEMBER, false, 480 },
    { "Wei", "Zhang", "Administrateur systèmes et réseaux",
      DEP_IT, "Grenoble", ROLE_MEMBER, false, 300 },
    { "Lucas", "Petit", "Développeur",
      DEP_IT, SITE_HOME, ROLE_MEMBER, false, 20 },
    { "Bastien", "Jacquet", "Technicien informatique en alternance",
      DEP_IT, "Saint-Étienne", ROLE_MEMBER, true, 12 },

    /* Direction */
    { "Jérôme", "Lefèvre", "Directeur général",
      DEP_DIRECTION, "Lyon", ROLE_MEMBER, false, 535 },
    { "Françoise", "Girard", "Directrice adjointe",
      DEP_DIRECTION, "Lyon", ROLE_MEMBER, false, 530 },
    { "Nadia", "Haddad", "Assistante de direction",
      DEP_DIRECTION, "Lyon", ROLE_MEMBER, false, 510 },
    { "Manon", "Schmitt", "Chargée d'accueil",
      DEP_DIRECTION, "Lyon", ROLE_MEMBER, false, 110 },

    /* Communication */
    { "Solène", "Vidal", "Responsable de la communication",
      DEP_COMMUNICATION, "Lyon", ROLE_MEMBER, false, 515 },
    { "Hélène", "Dubois", "Chargée de communication",
      DEP_COMMUNICATION, "Lyon", ROLE_ANIMATOR, false, 520 },
    { "Théo", "Garnier", "Chargé de communication numérique",
      DEP_COMMUNICATION, "Lyon", ROLE_MEMBER, false, 400 },
    { "Inès", "Chevalier", "Graphiste",
      DEP_COMMUNICATION, SITE_HOME, ROLE_MEMBER, false, 350 },
    { "Camille", "Roux", "Chargée de communication interne",
      DEP_COMMUNICATION, SITE_HOME, ROLE_MEMBER, true, 8 },

    /* Finances */
    { "Benoît", "Fournier", "Responsable administratif et financier",
      DEP_FINANCES, "Lyon", ROLE_MEMBER, false, 505 },
    { "Agnès", "Lemaire", "Comptable",
      DEP_FINANCES, "Lyon", ROLE_MEMBER, false, 470 },
    { "Joël", "Masson", "Comptable",
      DEP_FINANCES, "Saint-Étienne", ROLE_MEMBER, false, 260 },
    { "Paulo", "Ferreira", "Contrôleur de gestion",
      DEP_FINANCES, "Lyon", ROLE_MEMBER, false, 190 },
    { "Jérémy", "Caron", "Technicien logistique et services généraux",
      DEP_FINANCES, "Lyon", ROLE_MEMBER, false, 75 },
    { "Ophélie", "Royer", "Assistante comptable",
      DEP_FINANCES, "Valence", ROLE_MEMBER, true, 45 },

    /* Ressources humaines */
    { "Véronique", "Blanc", "Responsable des ressources humaines",
      DEP_HR, "Lyon", ROLE_ANIMATOR, false, 500 },
    { "Anaïs", "Faure", "Chargée de recrutement",
      DEP_HR, "Lyon", ROLE_MEMBER, false, 330 },
    { "Cédric", "Morel", "Gestionnaire de paie",
      DEP_HR, "Lyon", ROLE_MEMBER, false, 290 },
    { "Yasmine", "Belkacem", "Chargée de formation",
      DEP_HR, "Grenoble", ROLE_MEMBER, false, 220 },

    /* Juridique */
    { "Émilie", "Giraud", "Responsable juridique",
      DEP_LEGAL, "Lyon", ROLE_MEMBER, false, 490 },
    { "Grégoire", "Brun", "Juriste",
      DEP_LEGAL, "Lyon", ROLE_MEMBER, false, 460 },
    { "Aïcha", "Traoré", "Juriste en droit associatif",
      DEP_LEGAL, "Grenoble", ROLE_MEMBER, false, 240 },

    /* Développement des territoires */
    { "Noël", "Fabre", "Animateur réseau Drôme-Ardèche",
      DEP_TERRITORIES, "Valence", ROLE_ANIMATOR, false, 450 },
    { "Stéphane", "Roussel", "Délégué territorial Isère",
      DEP_TERRITORIES, "Grenoble", ROLE_MEMBER, false, 440 },
    { "Maëlle", "Le Gall", "Chargée de mission développement territorial",
      DEP_TERRITORIES, "Annecy", ROLE_MEMBER, false, 410 },
    { "Mamadou", "Diallo", "Animateur réseau Loire",
      DEP_TERRITORIES, "Saint-Étienne", ROLE_MEMBER, false, 380 },
    { "Raphaël", "Mercier", "Chef de projet",
      DEP_TERRITORIES, "Chambéry", ROLE_MEMBER, false, 360 },
    { "Léa", "Bonnet", "Animatrice réseau Savoie",
      DEP_TERRITORIES, "Chambéry", ROLE_MEMBER, false, 170 },
    { "Thi Lan", "Nguyen", "Chargée d'études",
      DEP_TERRITORIES, "Lyon", ROLE_MEMBER, false, 150 },
    { "Loïc", "Colin", "Chargé de mission Haute-Savoie",
      DEP_TERRITORIES, "Annecy", ROLE_MEMBER, true, 25 },

    /* Vie associative */
    { "Gaëlle", "Perrin", "Responsable de la vie associative",
      DEP_ASSOCIATIONS, "Lyon", ROLE_ANIMATOR, false, 495 },
    { "Sébastien", "Barbier", "Animateur vie associative",
      DEP_ASSOCIATIONS, "Saint-Étienne", ROLE_MEMBER, false, 320 },
    { "Nathalie", "Lacroix", "Chargée d'accompagnement des bénévoles",
      DEP_ASSOCIATIONS, "Grenoble", ROLE_MEMBER, false, 270 },
    { "Laëtitia", "Marchand", "Chargée de projets événementiels",
      DEP_ASSOCIATIONS, "Lyon", ROLE_MEMBER, false, 210 },
    { "Aurélien", "Dupuis", "Formateur des dirigeants bénévoles",
      DEP_ASSOCIATIONS, "Valence", ROLE_MEMBER, false, 130 },
    { "Sofia", "Esposito", "Chargée de mission partenariats",
      DEP_ASSOCIATIONS, "Annecy", ROLE_MEMBER, false, 95 },
    { "Kévin", "Da Silva", "Animateur vie associative",
      DEP_ASSOCIATIONS, "Chambéry", ROLE_MEMBER, true, 60 },
    { "Chloé", "Duval", "Volontaire en service civique",
      DEP_ASSOCIATIONS, "Lyon", ROLE_MEMBER, false, 40 },

    /* Guests: a consultant, a member association's contact, a client */
    { "Marc-Antoine", "Lambert", "Consultant en conduite du changement, Ancrage Conseil",
      DEP_PARTNERS, "Paris", ROLE_GUEST, false, 200 },
    { "Sylvie", "Chauvin", "Coordinatrice, association Les Jardins partagés du Forez",
      DEP_PARTNERS, "Saint-Étienne", ROLE_GUEST, false, 140 },
    { "Didier", "Rolland", "Responsable des achats, Coopérative du Val de Drôme",
      DEP_PARTNERS, "Valence", ROLE_GUEST, false, 65 },
};
/* clang-format on */

const size_t demo_people_len = ARRAY_SIZE(demo_people);

const struct demo_person *demo_person_admin(void)
{
    for (size_t i = 0; i < demo_people_len; i++)
        if (demo_people[i].role == ROLE_ADMIN)
            return &demo_people[i];
    BUG("demo table without an administrator");
}

char *demo_person_name(struct arena *a, const struct demo_person *p)
{
    return arena_printf(a, "%s %s", p->first, p->last);
}

const struct demo_person *demo_person_find(struct arena *a, const char *name)
{
    for (size_t i = 0; i < demo_people_len; i++)
        if (strcmp(demo_person_name(a, &demo_people[i]), name) == 0)
            return &demo_people[i];
    return NULL;
}

/*
 * ASCII folding of U+00C0 to U+00FF, lower-case.  NULL marks the signs
 * (multiplication, division) and letters with no usual folding (thorn).
 */
static const char *const latin1_fold[64] = {
    "a", "a", "a", "a", "a", "a", "ae", "c",  "e", "e", "e", "e", "i", "i", "i",  "i",
    "d", "n", "o", "o", "o", "o", "o",  NULL, "o", "u", "u", "u", "u", "y", NULL, "ss",
    "a", "a", "a", "a", "a", "a", "ae", "c",  "e", "e", "e", "e", "i", "i", "i",  "i",
    "d", "n", "o", "o", "o", "o", "o",  NULL, "o", "u", "u", "u", "u", "y", NULL, "y",
};

/* Folding of one code point above ASCII, or NULL when there is none. */
static const char *demo_fold_code_point(unsigned cp)
{
    if (cp >= 0xC0 && cp <= 0xFF)
        return latin1_fold[cp - 0xC0];
    if (cp == 0x152 || cp == 0x153) /* Œ œ */
        return "oe";
    if (cp == 0x178) /* Ÿ */
        return "y";
    return NULL;
}

/* Append the e-mail form of the UTF-8 name part s to b (see demo_person_email). */
static void demo_email_part(struct buf *b, const char *s)
{
    const unsigned char *u = (const unsigned char *)s;

    while (*u) {
        const char *folded;
        unsigned cp;

        if (*u < 0x80) {
            if ((*u >= 'a' && *u <= 'z') || *u == '-')
                buf_addch(b, (char)*u);
            else if (*u >= 'A' && *u <= 'Z')
                buf_addch(b, (char)(*u - 'A' + 'a'));
            else if (*u != ' ' && *u != '\'')
                BUG("demo name \"%s\": no e-mail form for '%c'", s, *u);
            u++;
            continue;
        }
        if ((u[0] & 0xE0) != 0xC0 || (u[1] & 0xC0) != 0x80)
            BUG("demo name \"%s\": unexpected UTF-8 sequence", s);
        cp = ((unsigned)(u[0] & 0x1F) << 6) | (unsigned)(u[1] & 0x3F);
        folded = demo_fold_code_point(cp);
        if (!folded)
            BUG("demo name \"%s\": no e-mail form for U+%04X", s, cp);
        buf_addstr(b, folded);
        u += 2;
    }
}

char *demo_person_email(struct arena *a, const struct demo_person *p)
{
    struct buf b;

    buf_init_arena(&b, a);
    demo_email_part(&b, p->first);
    buf_addch(&b, '.');
    demo_email_part(&b, p->last);
    buf_addstr(&b, "@" DEMO_DOMAIN);
    return b.s;
}

/* Profiles, from nearly complete to nearly empty; birthdays with and without a year. */
/* clang-format off */
const struct demo_profile demo_profiles[] = {
    { "Claire", "Martin", "+33 4 72 10 20 30", "1976-05-14",
      "gouvernance des systèmes d'information, sécurité, conduite du changement",
      "Je pilote l'informatique d'Alvéole depuis **2015**.\n\nN'hésitez pas à me solliciter "
      "sur le réseau social : *c'est fait pour ça*.", "everyone", "communities" },
    { "Hugo", "Renaud", "+33 4 72 10 20 31", "03-22",
      "animation de réseau, conduite du changement, PHP",
      "Chef de projet du réseau social interne : vos idées m'intéressent.", "everyone", NULL },
    { "Zoé", "Moreau", "", "1991-11-02", "PHP, SQL, accessibilité numérique",
      "Développeuse, amatrice d'escalade.", NULL, "me" },
    { "Karim", "Benali", "+33 4 72 10 20 33", "", "support utilisateurs, Linux", "", NULL, NULL },
    { "Wei", "Zhang", "+33 4 72 10 20 34", "08-08", "Linux, réseaux, sauvegardes", "",
      "me", "everyone" },
    { "Jérôme", "Lefèvre", "+33 4 72 10 20 00", "1968-01-30",
      "gouvernance associative, stratégie, plaidoyer",
      "Directeur général d'Alvéole. Mon bureau est ouvert le jeudi matin.", "communities",
      "me" },
    { "Solène", "Vidal", "+33 4 72 10 20 40", "07-19",
      "communication, relations presse, animation de réseau",
      "Responsable de la communication : envoyez-moi vos actualités !\n\n"
      "- communiqués de presse\n- *lettre* mensuelle\n- site https://alveole.example", "everyone",
      "everyone" },
    { "Hélène", "Dubois", "", "1988-02-29", "rédaction, réseaux sociaux", "", NULL, NULL },
    { "Inès", "Chevalier", "+33 6 12 34 56 78", "12-05", "graphisme, mise en page, illustration",
      "Graphiste : affiches, plaquettes et rapports annuels.", "me", "everyone" },
    { "Benoît", "Fournier", "+33 4 72 10 20 50", "1972-09-09",
      "comptabilité, contrôle de gestion, trésorerie",
      "Responsable administratif et financier.", "communities", NULL },
    { "Agnès", "Lemaire", "+33 4 72 10 20 51", "04-17", "comptabilité, paie, fiscalité associative",
      "Comptable depuis vingt ans, dont dix dans le monde associatif.", NULL, NULL },
    { "Joël", "Masson", "", "", "comptabilité", "", NULL, NULL },
    { "Cédric", "Morel", "+33 4 72 10 20 61", "1984-06-25", "paie, droit social",
      "Gestionnaire de paie : pour toute question sur votre bulletin.", "everyone", "me" },
    { "Véronique", "Blanc", "+33 4 72 10 20 60", "10-10", "recrutement, droit social, formation",
      "", "communities", "communities" },
    { "Françoise", "Girard", "", "", "", "", NULL, NULL },
    { "Émilie", "Giraud", "+33 4 72 10 20 70", "1980-12-01",
      "droit associatif, contrats, RGPD",
      "Responsable juridique : **statuts**, conventions, contrats.\n\n"
      "Avant de signer, ~~lisez tout~~ passez me voir.", "everyone", NULL },
    { "Aïcha", "Traoré", "", "03-08", "droit associatif, fiscalité associative, bénévolat",
      "Juriste, je conseille les associations adhérentes.", NULL, "everyone" },
    { "Noël", "Fabre", "+33 6 98 76 54 32", "12-25", "animation de réseau, Drôme, Ardèche",
      "Animateur réseau sur la Drôme et l'Ardèche.", "everyone", "everyone" },
    { "Mamadou", "Diallo", "+33 6 11 22 33 44", "", "animation de réseau, économie sociale",
      "", NULL, NULL },
    { "Léa", "Bonnet", "", "1995-04-03", "animation de réseau, montagne, événementiel", "", NULL,
      "me" },
    { "Gaëlle", "Perrin", "+33 4 72 10 20 80", "09-15",
      "vie associative, accompagnement des bénévoles, formation",
      "Responsable de la vie associative.", "communities", NULL },
    { "Laëtitia", "Marchand", "+33 6 55 44 33 22", "", "événementiel, logistique", "", NULL,
      NULL },
    { "Marc-Antoine", "Lambert", "", "", "conduite du changement, formation",
      "Consultant, j'accompagne le déploiement du réseau.", NULL, NULL },
};
/* clang-format on */
const size_t demo_profiles_len = ARRAY_SIZE(demo_profiles);
