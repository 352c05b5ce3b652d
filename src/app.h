/*
 * app.h - the long-lived state of one Ruche instance.
 *
 * One struct app exists per process: the data directory, the database
 * pool, the site secret and settings read at start-up.  Request handlers
 * reach it through r->app and never modify it.
 */
#ifndef RUCHE_APP_H
#define RUCHE_APP_H

#include "core/core.h"

struct db_pool;

#define APP_SECRET_LEN 32

struct app {
    const char *data_dir;
    char *db_target; /* DATA/ruche.db, or the postgresql:// URL of ruche.conf */
    char *files_dir; /* DATA/files */
    char *base_url;  /* for links printed by the CLI, e.g. http://127.0.0.1:8080 */
    struct db_pool *pool;
    unsigned char secret[APP_SECRET_LEN]; /* site key for CSRF tokens; in the setting table */
    bool cookie_secure;                   /* add Secure to cookies (behind TLS) */
    char *trusted_proxies;                /* space-separated addresses whose X-Forwarded-For
                                             is believed (ruche.conf trusted_proxies) */
    char *preview_allow_hosts;            /* space-separated hosts and addresses whose links
                                             are previewed even on loopback or private
                                             addresses (ruche.conf preview_allow_hosts) */
};

/* Paths of an instance in dir. */
#define APP_DB_FILE "ruche.db"
#define APP_FILES_DIR "files"
#define APP_CONFIG_FILE "ruche.conf"

/* True when dir already holds an instance (its ruche.conf or ruche.db). */
bool app_instance_exists(const char *dir);
/*
 * Create a new instance in dir: folders, config, database with migrations,
 * site secret.  database is a postgresql:// URL, or NULL for SQLite in
 * dir/ruche.db.  ERR_EXISTS when dir holds an instance or the PostgreSQL
 * database already holds one; nothing is then changed.
 */
int app_instance_create(const char *dir, const char *database);
/* Open an existing instance: apply pending migrations, open a pool of pool_size connections. */
int app_open(struct app *app, const char *dir, unsigned pool_size);
void app_close(struct app *app);

#endif
