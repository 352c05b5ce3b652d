/*
 * routes.c - the URL surface of the directory, profiles and following.
 *
 * Profiles are open to every signed-in member, guests included, who see
 * only what each field's visibility allows; the directory is for members.
 * /people/{id}.vcf (the vCard) is served by people_page_show(): a route
 * parameter spans the whole path segment, so the handler looks at its
 * ".vcf" suffix.
 */
#include "people.h"
#include "photo.h"

const struct route people_routes[] = {
    {HTTP_GET, "/people", people_page_list, ACCESS_MEMBER, 0, 0},
    {HTTP_GET, "/people/experts", people_page_experts, ACCESS_MEMBER, 0, 0},
    {HTTP_GET, "/people/{id}", people_page_show, ACCESS_GUEST, 0, 0},
    {HTTP_GET, "/people/{id}/edit", people_page_edit, ACCESS_GUEST, 0, 0},
    {HTTP_POST, "/people/{id}/edit", people_form_edit, ACCESS_GUEST, 0, 0},
    {HTTP_POST, "/people/{id}/follow", people_form_follow, ACCESS_GUEST, 0, 0},
    {HTTP_POST, "/people/{id}/wish", people_form_wish, ACCESS_MEMBER, 0, 0},
    {HTTP_POST, "/people/{id}/unfollow", people_form_unfollow, ACCESS_GUEST, 0, 0},
    {HTTP_GET, "/people/{id}/followers", people_page_followers, ACCESS_GUEST, 0, 0},
    {HTTP_GET, "/people/{id}/following", people_page_following, ACCESS_GUEST, 0, 0},
    {HTTP_GET, "/people/{id}/photo/{size}", people_page_photo, ACCESS_GUEST, 0, 0},
    {HTTP_POST, "/people/{id}/photo", people_form_photo, ACCESS_GUEST, 0, PEOPLE_PHOTO_BODY_LIMIT},
    {HTTP_POST, "/people/{id}/photo/delete", people_form_photo_delete, ACCESS_GUEST, 0, 0},
    {HTTP_PUT, "/api/v1/me/photo", people_api_photo_put, ACCESS_GUEST, ROUTE_API,
     PEOPLE_PHOTO_BODY_LIMIT},
    {HTTP_DELETE, "/api/v1/me/photo", people_api_photo_delete, ACCESS_GUEST, ROUTE_API, 0},
    {HTTP_GET, "/api/v1/people", people_api_list, ACCESS_MEMBER, ROUTE_API, 0},
    {HTTP_GET, "/api/v1/people/experts", people_api_experts, ACCESS_MEMBER, ROUTE_API, 0},
    {HTTP_GET, "/api/v1/people/{id}", people_api_show, ACCESS_GUEST, ROUTE_API, 0},
    {HTTP_PATCH, "/api/v1/people/{id}", people_api_update, ACCESS_GUEST, ROUTE_API, 0},
    {HTTP_POST, "/api/v1/people/{id}/follow", people_api_follow, ACCESS_GUEST, ROUTE_API, 0},
    {HTTP_DELETE, "/api/v1/people/{id}/follow", people_api_unfollow, ACCESS_GUEST, ROUTE_API, 0},
    {0, NULL, NULL, 0, 0, 0},
};
