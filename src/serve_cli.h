/*
 * serve_cli.h - `ruche init` and `ruche serve`.
 */
#ifndef RUCHE_SERVE_CLI_H
#define RUCHE_SERVE_CLI_H

int cmd_init(int argc, char **argv);
int cmd_serve(int argc, char **argv);

#endif
