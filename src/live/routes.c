/*
 * routes.c - the live streams: one per signed-in browser, or per API token.
 */
#include "live.h"

const struct route live_routes[] = {
    {HTTP_GET, "/live", live_page_stream, ACCESS_GUEST, 0, 0},
    {HTTP_GET, "/api/v1/live", live_page_stream, ACCESS_GUEST, ROUTE_API, 0},
    {0, NULL, NULL, 0, 0, 0},
};
