/*
 * routes.c - the URL surface of communities: the directory, a community's
 * pages and membership forms, the API, and the policy page.
 *
 * Every route is open to any signed-in member, guests included
 * (ACCESS_GUEST): the handler loads the community through groups_access()
 * first, so what the viewer may not know answers 404 exactly like a
 * missing community.  The policy page is for administrators
 * (ACCESS_ADMIN: 404 for anyone else).  Literal paths come before the
 * "{id}" ones they would otherwise match.  The API's routes are in
 * groups_api.c (groups_api_routes), the discussions' in discussions_routes.
 */
#include "groups_internal.h"

const struct route groups_routes[] = {
    {HTTP_GET, "/communities", groups_page_list, ACCESS_GUEST, 0, 0},
    {HTTP_POST, "/communities", groups_form_create, ACCESS_GUEST, 0, GROUPS_COVER_BODY_LIMIT},
    {HTTP_GET, "/communities/new", groups_page_new, ACCESS_GUEST, 0, 0},
    {HTTP_GET, "/communities/{id}", groups_page_show, ACCESS_GUEST, 0, 0},
    {HTTP_GET, "/communities/{id}/about", groups_page_about, ACCESS_GUEST, 0, 0},
    {HTTP_GET, "/communities/{id}/members", groups_page_members, ACCESS_GUEST, 0, 0},
    {HTTP_GET, "/communities/{id}/edit", groups_page_edit, ACCESS_GUEST, 0, 0},
    {HTTP_POST, "/communities/{id}/edit", groups_form_edit, ACCESS_GUEST, 0,
     GROUPS_COVER_BODY_LIMIT},
    {HTTP_GET, "/communities/{id}/cover", groups_page_cover, ACCESS_GUEST, 0, 0},
    {HTTP_POST, "/communities/{id}/join", groups_form_join, ACCESS_GUEST, 0, 0},
    {HTTP_POST, "/communities/{id}/leave", groups_form_leave, ACCESS_GUEST, 0, 0},
    {HTTP_POST, "/communities/{id}/invitation", groups_form_invitation, ACCESS_GUEST, 0, 0},
    {HTTP_POST, "/communities/{id}/invite", groups_form_invite, ACCESS_GUEST, 0, 0},
    {HTTP_POST, "/communities/{id}/members/add", groups_form_member_add, ACCESS_GUEST, 0, 0},
    {HTTP_POST, "/communities/{id}/requests/{member_id}", groups_form_request, ACCESS_GUEST, 0, 0},
    {HTTP_POST, "/communities/{id}/members/{member_id}/role", groups_form_role, ACCESS_GUEST, 0, 0},
    {HTTP_POST, "/communities/{id}/members/{member_id}/remove", groups_form_remove, ACCESS_GUEST, 0,
     0},
    {HTTP_POST, "/communities/{id}/posts/{post_id}/pin", groups_form_pin, ACCESS_GUEST, 0, 0},

    {HTTP_GET, "/admin/communities", groups_page_policy, ACCESS_ADMIN, 0, 0},
    {HTTP_POST, "/admin/communities/settings", groups_form_settings, ACCESS_ADMIN, 0, 0},
    {HTTP_POST, "/admin/communities/{id}/archive", groups_form_archive, ACCESS_ADMIN, 0, 0},
    {0, NULL, NULL, 0, 0, 0},
};
