/*
 * home.h - the signed-in home page.
 */
#ifndef RUCHE_HOME_H
#define RUCHE_HOME_H

#include "../http/http.h"

/* GET / : the member's home page; anonymous visitors go to /login. */
int home_page_show(struct req *r);

#endif
