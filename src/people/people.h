/*
 * people.h - members as others see them: directory and profile pages.
 *
 * people_card() is the one component that shows a member in a list, so
 * every page presents people the same way.
 */
#ifndef RUCHE_PEOPLE_H
#define RUCHE_PEOPLE_H

#include "../http/http.h"

struct html;

/* What a list shows of a member (strings borrowed from the caller's arena). */
struct person_summary {
    int64_t id;
    const char *name, *job, *department, *site;
    bool never_signed_in;
};

/* A member's card: initials avatar, name linking to the profile, job, department, site. */
void people_card(struct req *r, struct html *h, const struct person_summary *p);
/* The one or two initials of a display name, in arena memory. */
char *people_initials(struct arena *a, const char *name);

int people_page_list(struct req *r);
int people_page_show(struct req *r);

#endif
