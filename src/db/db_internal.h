/*
 * db_internal.h - what src/db/ files share behind db.h.
 *
 * Only src/db/ (migrate.c, the backends) and the db unit tests include this
 * header.  Feature code never does: raw script execution exists for
 * migrations alone, and the introspection helpers exist for tests.
 */
#ifndef RUCHE_DB_INTERNAL_H
#define RUCHE_DB_INTERNAL_H

#include "db.h"

/*
 * Run a whole SQL script (several statements, no parameters), as
 * sqlite3_exec() does.  For migrations only: the script is an embedded
 * file, never user input.  Returns 0, ERR_BUSY, ERR_EXISTS or ERR_DB.
 */
int db_exec_script(struct db *db, const char *script);

/*
 * Make a connection clean for its next borrower: end statements left live
 * (a BUG() in debug builds), roll back a forgotten transaction (logged with
 * the file and line that opened it) and clear read-only.  The pool calls it
 * on release.
 */
void db_reset_session(struct db *db);

/* Statements started with db_query() and not yet given to db_end(). */
size_t db_live_count(struct db *db);
/* The backend's statement handle (sqlite3_stmt *), for cache tests; NULL after a failed prepare. */
const void *db_stmt_handle(struct stmt *q);

#endif
