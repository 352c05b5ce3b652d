/*
 * migrate.c - apply the embedded migrations, migrations/NNNN_name.sql.
 *
 * schema_migration records each version applied.  Every file not yet
 * recorded runs as one script inside its own transaction, together with
 * its record, so a failed migration leaves nothing behind.  The builtin
 * table is sorted by name and versions have four digits, so files come in
 * version order: a gap, a duplicate or a malformed name is a BUG() of the
 * build, found by the first test run.  A database recording a version this
 * program does not know is refused.  Owns no state.
 */
#include "db_internal.h"
#include "../core/builtin.h"
#include "../core/log.h"

#define MIGRATION_DIR "migrations/"
#define MIGRATION_DIGITS 4

struct migration {
    const struct builtin_file *file;
    int64_t version;
    const char *name; /* after "NNNN_", not NUL-terminated: name_len bytes */
    size_t name_len;
};

/* Parse the builtin file called "migrations/NNNN_name.sql"; false if it is not in migrations/. */
static bool migration_parse(const struct builtin_file *file, struct migration *m)
{
    const char *p = file->name;
    size_t len;

    if (strncmp(p, MIGRATION_DIR, sizeof(MIGRATION_DIR) - 1) != 0)
        return false;
    p += sizeof(MIGRATION_DIR) - 1;
    m->file = file;
    m->version = 0;
    for (int i = 0; i < MIGRATION_DIGITS; i++, p++) {
        if (*p < '0' || *p > '9')
            BUG("migration \"%s\" is not named NNNN_name.sql", file->name);
        m->version = m->version * 10 + (*p - '0');
    }
    len = strlen(p);
    if (*p != '_' || len < 6 || strcmp(p + len - 4, ".sql") != 0)
        BUG("migration \"%s\" is not named NNNN_name.sql", file->name);
    m->name = p + 1;
    m->name_len = len - 5;
    return true;
}

/* Apply m unless schema_migration records it, all in one transaction. */
static int migration_apply(struct db *db, const struct migration *m)
{
    char version[24];
    int64_t seen;
    int rc;

    rc = db_tx_begin(db);
    if (rc < 0)
        return rc;
    rc = db_get_i64(db, &seen, "SELECT version FROM schema_migration WHERE version = ?",
                    DB_I64(m->version));
    if (rc == 0) {
        db_tx_rollback(db); /* applied already: nothing was written */
        return 0;
    }
    if (rc == ERR_NOTFOUND)
        rc = db_exec_script(db, (const char *)m->file->data);
    if (rc == 0)
        rc =
            db_exec(db, "INSERT INTO schema_migration (version, name, applied_ms) VALUES (?, ?, ?)",
                    DB_I64(m->version), DB_TEXTN(m->name, m->name_len), DB_I64(time_now_ms()));
    snprintf(version, sizeof(version), "%" PRId64, m->version);
    if (rc < 0) {
        db_tx_rollback(db);
        log_msg(LOG_ERROR, "db", "migration failed", "version", version, "file", m->file->name,
                "code", err_name(rc), NULL);
        return rc;
    }
    rc = db_tx_commit(db);
    if (rc < 0) {
        log_msg(LOG_ERROR, "db", "migration commit failed", "version", version, "file",
                m->file->name, "code", err_name(rc), NULL);
        return rc;
    }
    log_msg(LOG_INFO, "db", "migration applied", "version", version, "file", m->file->name, NULL);
    return 0;
}

int db_migrate(struct db *db)
{
    struct migration m;
    int64_t known = 0;  /* highest version embedded in this program */
    int64_t newest = 0; /* highest version recorded in the database */
    int rc;

    /* Check the whole set first, so that a bad name applies nothing. */
    for (size_t i = 0; i < builtin_count; i++) {
        if (!migration_parse(&builtin_files[i], &m))
            continue;
        if (m.version != known + 1)
            BUG("migration \"%s\" has version %" PRId64 ", expected %" PRId64,
                builtin_files[i].name, m.version, known + 1);
        known = m.version;
    }

    rc = db_exec(db, "CREATE TABLE IF NOT EXISTS schema_migration ("
                     " version BIGINT PRIMARY KEY,"
                     " name TEXT NOT NULL,"
                     " applied_ms BIGINT NOT NULL)");
    if (rc < 0)
        return rc;
    rc = db_get_i64(db, &newest, "SELECT coalesce(max(version), 0) FROM schema_migration");
    if (rc < 0)
        return rc;
    if (newest > known) {
        char text[24];

        snprintf(text, sizeof(text), "%" PRId64, newest);
        log_msg(LOG_ERROR, "db", "database schema is newer than this program", "version", text,
                NULL);
        return ERR_DB;
    }

    for (size_t i = 0; i < builtin_count; i++) {
        /* Versions are applied in order, so all up to the newest are there. */
        if (!migration_parse(&builtin_files[i], &m) || m.version <= newest)
            continue;
        rc = migration_apply(db, &m);
        if (rc < 0)
            return rc;
    }
    return 0;
}
