/*
 * routes.c - the URL surface of the home page.
 */
#include "home.h"

const struct route home_routes[] = {
    {HTTP_GET, "/", home_page_show, ACCESS_GUEST, 0, 0},
    {0, NULL, NULL, 0, 0, 0},
};
