/*
 * demo.h - `ruche demo`: a believable French organisation for a new instance.
 *
 * The demonstration organisation is Alvéole, a regional federation of
 * associations in Auvergne-Rhône-Alpes.  Its people are static tables in
 * demo_data.c; demo_cli.c turns them into accounts (and, later, communities,
 * posts and events) so that a newcomer signs in to a network that looks lived
 * in.  Every address uses the reserved domain alveole.example (RFC 2606), so
 * no mail can ever reach a real person.
 */
#ifndef RUCHE_DEMO_H
#define RUCHE_DEMO_H

#include "../core/core.h"
#include "../http/http.h"

struct arena;

#define DEMO_ORG_NAME "Alvéole, fédération des associations d'Auvergne-Rhône-Alpes"
#define DEMO_ORG_SHORT "Alvéole"
#define DEMO_DOMAIN "alveole.example"
/* Written in the data directory, mode 0600, never overwritten. */
#define DEMO_CREDENTIALS_FILE "demo-credentials.txt"
/* Oldest account, in days before the run: about 18 months. */
#define DEMO_HISTORY_DAYS 548

/*
 * One person of the organisation.  Strings are UTF-8 literals.  Guests are
 * the organisation's external partners: their department says so and their
 * job names their own organisation.
 */
struct demo_person {
    const char *first, *last; /* "Hélène", "Le Gall" */
    const char *job, *department, *site;
    enum role role;
    bool is_invited; /* invited but never activated: no password */
    int since_days;  /* account created this many days before the run */
};

/* Everyone, the administrator first.  demo_people_len entries. */
extern const struct demo_person demo_people[];
extern const size_t demo_people_len;

/*
 * A filled profile for one person (matched by first and last name), at
 * various levels of completeness: NULL or "" leaves a field empty.  Skills
 * are comma-separated.  phone_vis and birthday_vis are visibility names
 * (NULL: the default, "communities").
 */
struct demo_profile {
    const char *first, *last;
    const char *phone, *birthday, *skills, *bio;
    const char *phone_vis, *birthday_vis;
};

extern const struct demo_profile demo_profiles[];
extern const size_t demo_profiles_len;

/*
 * The feed of the last six weeks (demo_feed_data.c), oldest first.  A post
 * (or the administrator's pinned announcement) is followed by its later
 * edits and its comments; a reply belongs to the comment just above it.
 * author is a display name of demo_people ("Hélène Dubois"); body is
 * Markdown whose @mentions name active members.
 */
enum demo_feed_kind {
    DEMO_FEED_POST,
    DEMO_FEED_PINNED,  /* a post pinned as a site announcement (by the administrator) */
    DEMO_FEED_EDIT,    /* a new body for the post above */
    DEMO_FEED_COMMENT, /* a comment on the post above */
    DEMO_FEED_REPLY,   /* a reply to the comment above */
};

struct demo_feed_entry {
    enum demo_feed_kind kind;
    const char *author, *body;
};

extern const struct demo_feed_entry demo_feed[];
extern const size_t demo_feed_len;
/* Short comments that fit any post that asks nothing. */
extern const char *const demo_feed_comments[];
extern const size_t demo_feed_comments_len;

/* The person whose display name is name ("Hélène Dubois"), or NULL. */
const struct demo_person *demo_person_find(struct arena *a, const char *name);

/* The one administrator: the person the demo tells to sign in. */
const struct demo_person *demo_person_admin(void);

/* "Hélène Dubois": the display name, in arena a. */
char *demo_person_name(struct arena *a, const struct demo_person *p);

/*
 * "helene.dubois@alveole.example": the e-mail address, in arena a.  Accents
 * are folded to ASCII, spaces and apostrophes dropped, hyphens kept
 * ("Le Gall" gives "legall", "Marc-Antoine" gives "marc-antoine").  A letter
 * the folding table does not know is a BUG(): the table is static.
 */
char *demo_person_email(struct arena *a, const struct demo_person *p);

/*
 * ruche demo --data DIR: fill the instance in DIR with the organisation.
 * Refuses to run twice.  Prints the sign-in details on stdout and writes
 * them to DIR/demo-credentials.txt.  Returns 0, 1 on failure, 2 on usage.
 */
int cmd_demo(int argc, char **argv);

#endif
