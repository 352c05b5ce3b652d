/*
 * auth_handlers.h - the handlers of src/auth, for its route table only.
 */
#ifndef RUCHE_AUTH_HANDLERS_H
#define RUCHE_AUTH_HANDLERS_H

#include "../http/http.h"

/* auth_web.c */
int auth_page_login(struct req *r);
int auth_form_login(struct req *r);
int auth_form_logout(struct req *r);
int auth_form_logout_all(struct req *r);
int auth_page_password(struct req *r);
int auth_form_password(struct req *r);
int auth_page_link(struct req *r);
int auth_form_link(struct req *r);
int auth_page_account(struct req *r);
int auth_form_language(struct req *r);

/* auth_api.c */
int auth_api_session_create(struct req *r);
int auth_api_session_delete(struct req *r);
int auth_api_me(struct req *r);

#endif
