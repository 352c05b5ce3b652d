/*
 * home.h - the signed-in home page.
 */
#ifndef RUCHE_HOME_H
#define RUCHE_HOME_H

#include "../http/http.h"

/* GET / : the member's home page; anonymous visitors go to /login. */
int home_page_show(struct req *r);

struct html;
/* The people blocks (completeness, wishes, birthdays, people to meet); home_blocks.c. */
int home_people_blocks(struct req *r, struct html *h);

#endif
