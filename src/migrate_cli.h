/*
 * migrate_cli.h - `ruche migrate`: move a SQLite instance to PostgreSQL.
 */
#ifndef RUCHE_MIGRATE_CLI_H
#define RUCHE_MIGRATE_CLI_H

int cmd_migrate(int argc, char **argv);

#endif
