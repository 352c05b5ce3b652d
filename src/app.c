/*
 * app.c - creating and opening an instance (a data directory).
 *
 * An instance is a directory holding files/ (uploads, stored by content
 * hash), ruche.conf (a few "key = value" lines: base_url, and database
 * when it is PostgreSQL) and, with SQLite, ruche.db.  The site secret that
 * keys CSRF tokens lives in the database, so every node of a cluster
 * shares it.
 */
#include "app.h"
#include "core/arena.h"
#include "core/log.h"
#include "db/db.h"
#include "people/name_index.h"

#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#define APP_DEFAULT_BASE_URL "http://127.0.0.1:8080"

static char *path_join(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = malloc(n);

    if (!p)
        BUG("out of memory");
    snprintf(p, n, "%s/%s", dir, name);
    return p;
}

bool app_instance_exists(const char *dir)
{
    char *db = path_join(dir, APP_DB_FILE);
    char *conf = path_join(dir, APP_CONFIG_FILE);
    bool exists = access(db, F_OK) == 0 || access(conf, F_OK) == 0;

    free(db);
    free(conf);
    return exists;
}

static int write_config(const char *dir, const char *database)
{
    char *path = path_join(dir, APP_CONFIG_FILE);
    FILE *f = fopen(path, "wx");

    free(path);
    if (!f)
        return ERR_IO;
    fprintf(f,
            "# Ruche instance settings (bootstrap only; site settings live in the database).\n"
            "# Address people use to reach this site, for links printed by the CLI.\n"
            "base_url = %s\n"
            "# Reverse proxies (nginx) whose X-Forwarded-For header gives the client's address,\n"
            "# e.g. trusted_proxies = 127.0.0.1 ::1\n"
            "trusted_proxies =\n"
            "# Link previews never fetch loopback, private or link-local addresses, except\n"
            "# from these hosts (names or addresses, space-separated), e.g. an intranet:\n"
            "# preview_allow_hosts = intranet.example.org 10.0.0.5\n"
            "preview_allow_hosts =\n",
            APP_DEFAULT_BASE_URL);
    if (database)
        fprintf(f, "# PostgreSQL database shared by every node of this site.\ndatabase = %s\n",
                database);
    return fclose(f) == 0 ? 0 : ERR_IO;
}

/* Store a new random site secret, hex-encoded, in the setting table. */
static int secret_create(struct db *db)
{
    unsigned char secret[APP_SECRET_LEN];
    char hex[APP_SECRET_LEN * 2 + 1];

    randombytes_buf(secret, sizeof(secret));
    sodium_bin2hex(hex, sizeof(hex), secret, sizeof(secret));
    sodium_memzero(secret, sizeof(secret));
    return db_exec(db, "INSERT INTO setting(name, value) VALUES ('site_secret', ?)", DB_TEXT(hex));
}

/* True when the database already holds a Ruche site (its secret). */
static bool database_in_use(struct db *db)
{
    int64_t count = 0;

    return db_get_i64(db, &count, "SELECT count(*) FROM setting WHERE name = 'site_secret'") == 0 &&
           count > 0;
}

int app_instance_create(const char *dir, const char *database)
{
    char *files = path_join(dir, APP_FILES_DIR);
    char *db_path = path_join(dir, APP_DB_FILE);
    struct db *db = NULL;
    int rc = ERR_EXISTS;

    if (app_instance_exists(dir))
        goto out;
    rc = ERR_IO;
    if ((mkdir(dir, 0700) < 0 && errno != EEXIST) || (mkdir(files, 0700) < 0 && errno != EEXIST))
        goto out;
    if ((rc = db_open(database ? database : db_path, &db)) < 0)
        goto out;
    rc = db_migrate(db);
    if (rc == 0 && database_in_use(db))
        rc = ERR_EXISTS;
    else if (rc == 0)
        rc = secret_create(db);
    db_close(db);
    /* The configuration last: a failed init leaves no instance behind. */
    if (rc == 0)
        rc = write_config(dir, database);
out:
    free(files);
    free(db_path);
    return rc;
}

/* Read "key = value" lines of ruche.conf into app; a missing file keeps defaults. */
static void read_config(struct app *app, const char *dir)
{
    char *path = path_join(dir, APP_CONFIG_FILE);
    FILE *f = fopen(path, "r");
    char line[1024];

    free(path);
    if (!f)
        return;
    while (fgets(line, sizeof(line), f)) {
        char *eq = strchr(line, '=');
        char *key = line, *value;
        size_t n;

        if (line[0] == '#' || !eq)
            continue;
        *eq = '\0';
        value = eq + 1;
        while (*value == ' ')
            value++;
        n = strcspn(value, "\r\n");
        while (n && value[n - 1] == ' ')
            n--;
        value[n] = '\0';
        n = strcspn(key, " \t");
        key[n] = '\0';
        if (strcmp(key, "base_url") == 0 && *value) {
            free(app->base_url);
            app->base_url = strdup(value);
            /* Cookies get Secure when the site is reached over TLS. */
            app->cookie_secure = strncmp(value, "https://", 8) == 0;
        } else if (strcmp(key, "trusted_proxies") == 0) {
            free(app->trusted_proxies);
            app->trusted_proxies = strdup(value);
        } else if (strcmp(key, "preview_allow_hosts") == 0) {
            free(app->preview_allow_hosts);
            app->preview_allow_hosts = strdup(value);
        } else if (strcmp(key, "database") == 0 && *value) {
            free(app->db_target);
            app->db_target = strdup(value);
        }
    }
    fclose(f);
}

static int secret_load(struct app *app, struct db *db)
{
    struct arena a;
    char *hex = NULL;
    size_t len = 0;
    int rc;

    arena_init(&a);
    rc = db_get_text(db, &a, &hex, "SELECT value FROM setting WHERE name = 'site_secret'");
    if (rc == 0 && (!hex ||
                    sodium_hex2bin(app->secret, sizeof(app->secret), hex, strlen(hex), NULL, &len,
                                   NULL) != 0 ||
                    len != sizeof(app->secret)))
        rc = ERR_DB;
    arena_clear(&a);
    return rc;
}

int app_open(struct app *app, const char *dir, unsigned pool_size)
{
    struct db *db;
    int rc;

    memset(app, 0, sizeof(*app));
    if (sodium_init() < 0)
        return ERR_NOMEM;
    app->data_dir = dir;
    app->db_target = path_join(dir, APP_DB_FILE);
    app->files_dir = path_join(dir, APP_FILES_DIR);
    app->base_url = strdup(APP_DEFAULT_BASE_URL);
    read_config(app, dir);
    if ((rc = db_pool_open(app->db_target, pool_size, &app->pool)) < 0) {
        app_close(app);
        return rc;
    }
    db = db_pool_acquire(app->pool);
    rc = db_migrate(db);
    if (rc == 0) /* accounts older than the directory's word index (migration 0008) */
        rc = people_name_index_backfill(db);
    if (rc == 0)
        rc = secret_load(app, db);
    db_pool_release(app->pool, db);
    if (rc < 0) {
        log_error("app", "cannot open instance", "dir", dir, "error", err_name(rc), NULL);
        app_close(app);
    }
    return rc;
}

void app_close(struct app *app)
{
    if (app->pool)
        db_pool_close(app->pool);
    free(app->db_target);
    free(app->files_dir);
    free(app->base_url);
    free(app->trusted_proxies);
    free(app->preview_allow_hosts);
    sodium_memzero(app->secret, sizeof(app->secret));
    memset(app, 0, sizeof(*app));
}
