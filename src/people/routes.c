/*
 * routes.c - the URL surface of the directory and profiles.
 */
#include "people.h"

const struct route people_routes[] = {
    {HTTP_GET, "/people", people_page_list, ACCESS_MEMBER, 0, 0},
    {HTTP_GET, "/people/{id}", people_page_show, ACCESS_MEMBER, 0, 0},
    {0, NULL, NULL, 0, 0, 0},
};
