/*
 * routes_cli.h - hidden `ruche debug-routes`: the route table, one line per
 * route ("METHODS PATTERN ACCESS FLAGS"), for tests that walk every route.
 */
#ifndef RUCHE_ROUTES_CLI_H
#define RUCHE_ROUTES_CLI_H

int cmd_debug_routes(int argc, char **argv);

#endif
