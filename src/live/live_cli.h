/*
 * live_cli.h - the hidden `ruche debug-publish` command.
 */
#ifndef RUCHE_LIVE_CLI_H
#define RUCHE_LIVE_CLI_H

int cmd_debug_publish(int argc, char **argv);

#endif
