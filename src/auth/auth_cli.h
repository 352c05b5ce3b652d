/*
 * auth_cli.h - the `ruche user …` subcommands.
 */
#ifndef RUCHE_AUTH_CLI_H
#define RUCHE_AUTH_CLI_H

int cmd_user_add(int argc, char **argv);
int cmd_user_passwd(int argc, char **argv);
int cmd_user_link(int argc, char **argv);
int cmd_user_deactivate(int argc, char **argv);
int cmd_user_activate(int argc, char **argv);

#endif
