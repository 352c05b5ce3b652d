/*
 * cli.h - what every `ruche` subcommand shares: the data directory,
 * opening the instance, reading a password, and reporting misuse.
 *
 * Exit codes: 0 success, 1 failure, 2 usage (git's convention).
 */
#ifndef RUCHE_CLI_H
#define RUCHE_CLI_H

#include "core/core.h"
#include "app.h"

struct db;

/* The signature of every subcommand (git's cmd_*). */
typedef int cli_fn(int argc, char **argv);

/* --data if given, else $RUCHE_DATA, else NULL. */
const char *cli_data_dir(const char *option);
/* Print "ruche CMD : message" and the usage hint on stderr; returns 2. */
int cli_usage_error(const char *cmd, const char *usage, const char *message);
/* Open the instance in dir with one connection and borrow it; 1 on failure (already reported). */
int cli_open(struct app *app, const char *dir, struct db **db);
void cli_close(struct app *app, struct db *db);
/* Read a password from standard input: prompted without echo on a terminal (twice, to
 * confirm), else one line.  0 or 1 after reporting the problem. */
int cli_read_password(char *out, size_t size);

#endif
