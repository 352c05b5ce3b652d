/*
 * groups_internal.h - what the files of src/groups share between them and
 * nobody else: the handlers named by routes.c and a few page pieces.
 */
#ifndef RUCHE_GROUPS_INTERNAL_H
#define RUCHE_GROUPS_INTERNAL_H

#include "groups.h"

#define GROUPS_QUERY_MAX 100                                    /* bytes of a search */
#define GROUPS_COVER_WIDTH 1200                                 /* pixels */
#define GROUPS_COVER_HEIGHT 400                                 /* pixels */
#define GROUPS_COVER_BODY_LIMIT (10 * 1024 * 1024 + 128 * 1024) /* form with a cover */
#define GROUPS_COVER_DIR "communities" /* under files_dir: the covers' file store */

/* The label of a visibility ("Publique"...) in r's language. */
const char *groups_visibility_label(struct req *r, enum groups_visibility v);
/* Reply to a refused change: 404, or the status of rc with the message problem. */
int groups_reply_refused(struct req *r, int rc, const char *problem);
/* Store the uploaded cover (field "cover"; none: *hash NULL) re-encoded as a JPEG.
 * 0; ERR_INVALID / ERR_TOOBIG with *problem; ERR_IO. */
int groups_cover_store(struct req *r, const char **hash, const char **problem);

/* groups_web.c */
int groups_page_list(struct req *r);
int groups_page_new(struct req *r);
int groups_form_create(struct req *r);
int groups_page_show(struct req *r);
int groups_page_about(struct req *r);
int groups_page_members(struct req *r);
int groups_page_edit(struct req *r);
int groups_form_edit(struct req *r);
int groups_page_cover(struct req *r);
int groups_form_join(struct req *r);
int groups_form_leave(struct req *r);
int groups_form_invitation(struct req *r);
int groups_form_invite(struct req *r);
int groups_form_member_add(struct req *r);
int groups_form_request(struct req *r);
int groups_form_role(struct req *r);
int groups_form_remove(struct req *r);
int groups_form_pin(struct req *r);

/* groups_admin.c */
int groups_page_policy(struct req *r);
int groups_form_settings(struct req *r);
int groups_form_archive(struct req *r);

#endif
