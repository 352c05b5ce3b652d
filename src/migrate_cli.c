/*
 * migrate_cli.c - `ruche migrate --data DIR --to postgresql://…`: move a
 * SQLite instance to PostgreSQL without losing anything.
 *
 * The copy itself is db_copy.h's: one PostgreSQL transaction for the
 * schema and every row, checked table by table (row counts on each side)
 * before it commits.  This file checks the instance first, shows progress
 * and the verification on stderr, then switches the instance over:
 * ruche.conf gets "database = URL" (written to a temporary file, then
 * renamed over), and ruche.db is renamed ruche.db.migrated-YYYYMMDD, kept
 * as a backup.  The file store, DIR/files, stays where it is: it is only
 * counted and checked readable.
 *
 * Surprising: the instance must not be served during the copy, and the
 * command checks it rather than trusting the reader of --help.  SQLite
 * deletes ruche.db-wal and ruche.db-shm when the last connection closes,
 * so either file still there after this command closed its own connection
 * means another process (a running `ruche serve`) has the database open.
 * The check runs before the copy, and again after it, before the commit.
 *
 * State: none beyond one run, which owns its arena.
 */
#include "migrate_cli.h"
#include "cli.h"
#include "core/arena.h"
#include "core/buf.h"
#include "db/db.h"
#include "db/db_copy.h"

#include <dirent.h>
#include <fcntl.h>
#include <getopt.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MIGRATE_USAGE "migrate --data DIR --to postgresql://…"
#define MIGRATE_BAR_WIDTH 20  /* characters of a progress bar */
#define MIGRATE_NAME_WIDTH 14 /* table names are padded to this in progress lines */
#define MIGRATE_BACKUP_TRIES 100

/* One run of the command. */
struct migrate_run {
    struct arena a;        /* every allocation of the run */
    const char *dir;       /* the instance's data directory */
    const char *url;       /* the target, as given to --to */
    const char *db_path;   /* DIR/ruche.db */
    const char *conf_path; /* DIR/ruche.conf */
    bool is_tty;           /* stderr is a terminal: progress is updated in place */
    struct db_copy copy;
    const char *backup_path; /* where ruche.db went */
    size_t files;            /* regular files in DIR/files */
    size_t files_unreadable;
    const char *unreadable_example; /* the first one found */
};

/* ---- arguments ---------------------------------------------------------- */

static void migrate_usage(FILE *out)
{
    fprintf(out,
            "Usage : ruche %s\n"
            "\n"
            "Copie une instance SQLite dans une base PostgreSQL vide, pour servir le même\n"
            "site depuis plusieurs nœuds sans rien perdre. Le schéma est créé, toutes les\n"
            "tables sont copiées dans une seule transaction, puis leurs nombres de lignes\n"
            "sont comparés des deux côtés : au moindre écart, rien n'est gardé dans\n"
            "PostgreSQL et l'instance reste sur SQLite.\n"
            "\n"
            "Arrêtez d'abord le service (ruche serve) : l'instance ne doit pas être servie\n"
            "pendant la copie, et la commande refuse de copier une base encore ouverte.\n"
            "La base de destination doit exister et être vide (CREATE DATABASE).\n"
            "\n"
            "Ensuite, DIR/%s reçoit la ligne « database = URL » et DIR/%s est\n"
            "renommé DIR/%s.migrated-AAAAMMJJ (gardez-le comme sauvegarde). Les fichiers\n"
            "de DIR/%s restent en place : avec plusieurs nœuds, partagez ce dossier.\n"
            "\n"
            "  --data DIR   dossier de l'instance (par défaut : $RUCHE_DATA)\n"
            "  --to URL     base PostgreSQL de destination, postgresql://…\n"
            "  -h, --help   afficher cette aide\n",
            MIGRATE_USAGE, APP_CONFIG_FILE, APP_DB_FILE, APP_DB_FILE, APP_FILES_DIR);
}

/* True for a postgresql:// URL that fits on one line of ruche.conf. */
static bool url_is_valid(const char *url)
{
    if (strncmp(url, "postgresql://", 13) != 0 && strncmp(url, "postgres://", 11) != 0)
        return false;
    for (const unsigned char *p = (const unsigned char *)url; *p; p++)
        if (*p < ' ' || *p == 0x7f)
            return false;
    return true;
}

/*
 * Read the options into run->dir and run->url.  Returns -1 to go on, else
 * the exit code: 0 when help was printed, 2 on a usage error (reported).
 */
static int migrate_args_parse(int argc, char **argv, struct migrate_run *run)
{
    static const struct option options[] = {
        {"data", required_argument, NULL, 'd'},
        {"to", required_argument, NULL, 't'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *data = NULL;
    int c;

    optind = 1;
    opterr = 0; /* our own messages, in French */
    while ((c = getopt_long(argc, argv, "+h", options, NULL)) != -1) {
        if (c == 'h') {
            migrate_usage(stdout);
            return 0;
        }
        if (c == 'd')
            data = optarg;
        else if (c == 't' && url_is_valid(optarg))
            run->url = optarg;
        else if (c == 't')
            return cli_usage_error("migrate", MIGRATE_USAGE,
                                   "--to attend une adresse postgresql://…");
        else
            return cli_usage_error("migrate", MIGRATE_USAGE, "option inconnue ou incomplète");
    }
    if (optind < argc)
        return cli_usage_error("migrate", MIGRATE_USAGE, "argument en trop");
    if (!(run->dir = cli_data_dir(data)))
        return cli_usage_error("migrate", MIGRATE_USAGE, "--data DIR manque (ou RUCHE_DATA)");
    if (!run->url)
        return cli_usage_error("migrate", MIGRATE_USAGE, "--to URL manque");
    return -1;
}

/* ---- the configuration file ----------------------------------------- */

/* The contents of path into b (from an arena); ERR_NOTFOUND if it does not exist. */
static int file_read(const char *path, struct buf *b)
{
    FILE *f = fopen(path, "r");
    char chunk[4096];
    size_t n;
    int rc = 0;

    if (!f)
        return errno == ENOENT ? ERR_NOTFOUND : ERR_IO;
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        buf_add(b, chunk, n);
    if (ferror(f))
        rc = ERR_IO;
    fclose(f);
    return rc;
}

/*
 * True when the line (up to its newline) sets "database", read as app.c
 * reads ruche.conf: not a comment, the key before '=' ends at a blank.
 * *has_value tells whether the value is not empty.
 */
static bool conf_line_is_database(const char *line, bool *has_value)
{
    size_t key_len = strcspn(line, " \t=\n");
    const char *eq = strchr(line, '=');
    const char *end = strchr(line, '\n');

    if (line[0] == '#' || !eq || (end && eq > end) || key_len != 8 ||
        strncmp(line, "database", 8) != 0)
        return false;
    eq++;
    eq += strspn(eq, " \t\r");
    *has_value = *eq && *eq != '\n';
    return true;
}

/* True when ruche.conf (text) names a database: the instance runs on PostgreSQL. */
static bool conf_has_database(const char *text)
{
    for (const char *line = text; *line;) {
        size_t len = strcspn(line, "\n");
        bool has_value;

        if (conf_line_is_database(line, &has_value) && has_value)
            return true;
        line += len + (line[len] != '\0');
    }
    return false;
}

/* text without its database lines, then the new one, into out. */
static void conf_build(struct buf *out, const char *text, const char *url)
{
    for (const char *line = text; *line;) {
        size_t len = strcspn(line, "\n");
        bool has_value;

        if (!conf_line_is_database(line, &has_value)) {
            buf_add(out, line, len);
            buf_addch(out, '\n');
        }
        line += len + (line[len] != '\0');
    }
    buf_addf(out,
             "# PostgreSQL database shared by every node of this site (since ruche migrate).\n"
             "database = %s\n",
             url);
}

/* Write data to path through path.tmp, with the mode and owner of the file it replaces. */
static int file_replace(struct arena *a, const char *path, const struct buf *data)
{
    const char *tmp = arena_printf(a, "%s.tmp", path);
    struct stat old;
    bool has_old = stat(path, &old) == 0;
    mode_t mode = has_old ? (old.st_mode & 0777) : 0600;
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
    bool ok;

    if (fd < 0)
        return ERR_IO;
    ok = fchmod(fd, mode) == 0 && write(fd, data->s, data->len) == (ssize_t)data->len;
    /* The service may run as the old file's owner: only root can give it back (else EPERM). */
    if (ok && has_old && fchown(fd, old.st_uid, old.st_gid) < 0 && errno != EPERM)
        ok = false;
    ok = ok && fsync(fd) == 0;
    ok = close(fd) == 0 && ok;
    if (!ok || rename(tmp, path) < 0) {
        int saved = errno;

        unlink(tmp);
        errno = saved;
        return ERR_IO;
    }
    return 0;
}

/* Point ruche.conf at the PostgreSQL database, keeping its other lines. */
static int conf_switch(struct migrate_run *run)
{
    struct buf text, out;
    int rc;

    buf_init_arena(&text, &run->a);
    buf_init_arena(&out, &run->a);
    if ((rc = file_read(run->conf_path, &text)) < 0 && rc != ERR_NOTFOUND)
        return rc;
    conf_build(&out, text.s, run->url);
    return file_replace(&run->a, run->conf_path, &out);
}

/* ---- the SQLite file ---------------------------------------------------- */

/* True when ruche.db-wal or ruche.db-shm exists: someone has the database open. */
static bool sqlite_files_left(struct migrate_run *run)
{
    return access(arena_printf(&run->a, "%s-wal", run->db_path), F_OK) == 0 ||
           access(arena_printf(&run->a, "%s-shm", run->db_path), F_OK) == 0;
}

/* Open and close the database: if its -wal or -shm remains, another process uses it. */
static bool sqlite_in_use(struct migrate_run *run)
{
    struct db *db;

    if (db_open(run->db_path, &db) < 0)
        return false; /* the real open, later, reports why */
    db_close(db);
    return sqlite_files_left(run);
}

static void in_use_report(const struct migrate_run *run)
{
    fprintf(stderr,
            "ruche migrate : %s est ouvert par un autre processus (ruche serve ?) ;\n"
            "arrêtez le service puis recommencez. Rien n'a été modifié.\n",
            run->db_path);
}

/* Rename ruche.db to ruche.db.migrated-YYYYMMDD (or -YYYYMMDD-N if taken). */
static int sqlite_retire(struct migrate_run *run)
{
    time_t now = time(NULL);
    struct tm tm;
    char day[16];

    localtime_r(&now, &tm);
    strftime(day, sizeof(day), "%Y%m%d", &tm);
    for (int i = 1; i < MIGRATE_BACKUP_TRIES; i++) {
        const char *path = i == 1
                               ? arena_printf(&run->a, "%s.migrated-%s", run->db_path, day)
                               : arena_printf(&run->a, "%s.migrated-%s-%d", run->db_path, day, i);

        if (access(path, F_OK) == 0)
            continue;
        if (rename(run->db_path, path) < 0)
            return ERR_IO;
        run->backup_path = path;
        return 0;
    }
    errno = EEXIST;
    return ERR_IO;
}

/* ---- the file store ------------------------------------------------------ */

/* Forget what follows the first len bytes of b. */
static void buf_cut(struct buf *b, size_t len)
{
    if (b->cap) {
        b->len = len;
        b->s[len] = '\0';
    }
}

/* Count the regular files under path->s, and those this process cannot open. */
static void files_scan(struct migrate_run *run, struct buf *path)
{
    DIR *d = opendir(path->s);
    struct dirent *e;
    size_t len = path->len;

    if (!d) {
        if (errno != ENOENT) {
            run->files_unreadable++;
            if (!run->unreadable_example)
                run->unreadable_example = arena_strdup(&run->a, path->s);
        }
        return;
    }
    while ((e = readdir(d))) {
        struct stat st;

        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        buf_addch(path, '/');
        buf_addstr(path, e->d_name);
        if (lstat(path->s, &st) < 0) {
            if (run->files_unreadable++ == 0)
                run->unreadable_example = arena_strdup(&run->a, path->s);
        } else if (S_ISDIR(st.st_mode)) {
            files_scan(run, path);
        } else if (S_ISREG(st.st_mode)) {
            int fd = open(path->s, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);

            run->files++;
            if (fd >= 0)
                close(fd);
            else if (run->files_unreadable++ == 0)
                run->unreadable_example = arena_strdup(&run->a, path->s);
        }
        buf_cut(path, len);
    }
    closedir(d);
}

static void files_check(struct migrate_run *run)
{
    struct buf path = BUF_INIT;

    buf_addf(&path, "%s/%s", run->dir, APP_FILES_DIR);
    files_scan(run, &path);
    buf_release(&path);
}

/* ---- progress and verification --------------------------------------- */

static int digits(int64_t n)
{
    int d = 1;

    while (n >= 10) {
        n /= 10;
        d++;
    }
    return d;
}

/* "account        [##########----------]  48/96", without a newline. */
static void bar_print(const struct db_copy_table *t)
{
    static const char full[] = "####################", empty[] = "--------------------";
    int64_t total = t->source_rows, done = t->copied_rows;
    int filled = total > 0 ? (int)(done * MIGRATE_BAR_WIDTH / total) : MIGRATE_BAR_WIDTH;

    if (filled > MIGRATE_BAR_WIDTH)
        filled = MIGRATE_BAR_WIDTH;
    fprintf(stderr, "%-*s [%.*s%.*s] %*" PRId64 "/%" PRId64, MIGRATE_NAME_WIDTH, t->name, filled,
            full, MIGRATE_BAR_WIDTH - filled, empty, digits(total) + 1, done, total);
}

/* db_copy_progress_fn: the bar, updated in place on a terminal. */
static void progress_show(void *arg, const struct db_copy_table *t)
{
    const struct migrate_run *run = arg;

    if (!run->is_tty)
        return;
    fputc('\r', stderr);
    bar_print(t);
}

/* The table is done (or failed): end its line; off a terminal, the line is printed now. */
static void progress_end(const struct migrate_run *run, const struct db_copy_table *t)
{
    if (run->is_tty)
        fputc('\r', stderr);
    bar_print(t);
    fputc('\n', stderr);
}

static bool table_matches(const struct db_copy_table *t)
{
    return t->target_rows == t->source_rows && (!t->is_copied || t->copied_rows == t->source_rows);
}

/* The row counts of each table on both sides, OK or DIFFÉRENCE. */
static void verification_print(const struct db_copy *c)
{
    int width = 5;

    for (size_t i = 0; i < c->table_count; i++)
        if ((int)strlen(c->tables[i].name) > width)
            width = (int)strlen(c->tables[i].name);
    fprintf(stderr, "\nVérification (nombre de lignes) :\n  %-*s %10s %11s\n", width, "table",
            "SQLite", "PostgreSQL");
    for (size_t i = 0; i < c->table_count; i++) {
        const struct db_copy_table *t = &c->tables[i];

        fprintf(stderr, "  %-*s %10" PRId64 " %11" PRId64 "  %s\n", width, t->name, t->source_rows,
                t->target_rows, table_matches(t) ? "OK" : "DIFFÉRENCE");
    }
}

/* ---- the copy ------------------------------------------------------------ */

/* Everything DIR must be before a copy; 0, or 1 once reported. */
static int migrate_check_source(struct migrate_run *run)
{
    struct buf conf;
    int rc;

    if (!app_instance_exists(run->dir)) {
        fprintf(stderr, "ruche migrate : aucune instance dans %s\n", run->dir);
        return 1;
    }
    buf_init_arena(&conf, &run->a);
    if ((rc = file_read(run->conf_path, &conf)) < 0 && rc != ERR_NOTFOUND) {
        fprintf(stderr, "ruche migrate : lecture de %s impossible : %s\n", run->conf_path,
                strerror(errno));
        return 1;
    }
    if (conf_has_database(conf.s)) {
        fprintf(stderr,
                "ruche migrate : l'instance %s utilise déjà PostgreSQL (« database » dans %s) ;"
                " rien à migrer\n",
                run->dir, run->conf_path);
        return 1;
    }
    if (access(run->db_path, F_OK) < 0) {
        fprintf(stderr, "ruche migrate : aucune base SQLite dans %s (%s manque)\n", run->dir,
                run->db_path);
        return 1;
    }
    if (sqlite_in_use(run)) {
        in_use_report(run);
        return 1;
    }
    return 0;
}

/* Start the copy; 0, or 1 once reported (nothing is left open then). */
static int copy_begin(struct migrate_run *run, struct db *source, struct db *target)
{
    int rc = db_copy_begin(&run->copy, &run->a, source, target);

    if (rc == ERR_EXISTS)
        fprintf(stderr,
                "ruche migrate : la base PostgreSQL n'est pas vide (elle contient déjà des"
                " tables) ;\nindiquez une base neuve (CREATE DATABASE). Rien n'a été modifié.\n");
    else if (rc == ERR_BUSY)
        fprintf(stderr, "ruche migrate : une des deux bases est occupée (voir le journal) ;"
                        " arrêtez le service et recommencez. Rien n'a été modifié.\n");
    else if (rc < 0)
        fprintf(stderr,
                "ruche migrate : création du schéma dans PostgreSQL impossible (%s, voir le"
                " journal). Rien n'a été modifié.\n",
                err_name(rc));
    return rc < 0 ? 1 : 0;
}

/* Copy and verify every table; 0 with the copy still open, or 1 once reported and aborted. */
static int copy_rows(struct migrate_run *run)
{
    struct db_copy *c = &run->copy;
    int rc = 0;

    for (size_t i = 0; i < c->table_count && rc == 0; i++) {
        struct db_copy_table *t = &c->tables[i];

        if (!t->is_copied)
            continue;
        rc = db_copy_table(c, t, progress_show, run);
        progress_end(run, t);
        if (rc < 0)
            fprintf(stderr,
                    "ruche migrate : copie de la table « %s » impossible (%s, voir le journal)."
                    "\nLa copie est annulée : la base PostgreSQL reste vide.\n",
                    t->name, err_name(rc));
    }
    if (rc == 0 && (rc = db_copy_finish(c)) < 0 && rc != ERR_INVALID)
        fprintf(stderr,
                "ruche migrate : vérification impossible (%s, voir le journal). La copie est"
                " annulée : la base PostgreSQL reste vide.\n",
                err_name(rc));
    if (rc == 0 || rc == ERR_INVALID)
        verification_print(c);
    if (rc == ERR_INVALID)
        fprintf(stderr, "ruche migrate : des nombres de lignes diffèrent. La copie est annulée :"
                        " la base PostgreSQL reste vide.\n");
    if (rc < 0)
        db_copy_abort(c);
    return rc < 0 ? 1 : 0;
}

/* With SQLite closed: commit unless another process still has it open.  0, or 1 reported. */
static int copy_commit(struct migrate_run *run)
{
    int rc;

    if (sqlite_files_left(run)) {
        db_copy_abort(&run->copy);
        in_use_report(run);
        return 1;
    }
    if ((rc = db_copy_commit(&run->copy)) < 0) {
        fprintf(stderr,
                "ruche migrate : validation de la copie dans PostgreSQL impossible (%s, voir le"
                " journal). Rien n'a été modifié.\n",
                err_name(rc));
        return 1;
    }
    return 0;
}

/* Open both databases and copy; 0 once PostgreSQL holds the committed copy, or 1 reported. */
static int migrate_copy(struct migrate_run *run)
{
    struct app app;
    struct db *source, *target;
    int rc;

    if (cli_open(&app, run->dir, &source) != 0)
        return 1;
    if (db_open(run->url, &target) < 0) {
        fprintf(stderr, "ruche migrate : impossible de joindre la base PostgreSQL (voir le"
                        " journal). Rien n'a été modifié.\n");
        cli_close(&app, source);
        return 1;
    }
    rc = copy_begin(run, source, target);
    if (rc == 0)
        rc = copy_rows(run);
    cli_close(&app, source); /* the copy no longer reads it: db_copy_finish() ended its snapshot */
    if (rc == 0)
        rc = copy_commit(run);
    db_close(target);
    return rc;
}

/* ---- switching over ------------------------------------------------------ */

/* ruche.conf, then ruche.db; 0, or 1 once reported (the copy is in PostgreSQL either way). */
static int migrate_switch(struct migrate_run *run)
{
    if (conf_switch(run) < 0) {
        fprintf(stderr,
                "ruche migrate : la copie est dans PostgreSQL, mais %s n'a pas pu être modifié"
                " (%s).\nAjoutez-y vous-même la ligne « database = » suivie de l'adresse donnée"
                " à --to,\npuis renommez %s.\n",
                run->conf_path, strerror(errno), run->db_path);
        return 1;
    }
    if (sqlite_retire(run) < 0) {
        fprintf(stderr,
                "ruche migrate : l'instance utilise désormais PostgreSQL, mais %s n'a pas pu"
                " être renommé (%s) ;\ndéplacez-le vous-même : il n'est plus lu.\n",
                run->db_path, strerror(errno));
        return 1;
    }
    return 0;
}

static void summary_print(struct migrate_run *run)
{
    int64_t rows = 0;
    size_t tables = 0;

    for (size_t i = 0; i < run->copy.table_count; i++) {
        if (run->copy.tables[i].is_copied) {
            tables++;
            rows += run->copy.tables[i].copied_rows;
        }
    }
    printf("\nMigration terminée : %zu tables, %" PRId64 " lignes copiées dans PostgreSQL.\n",
           tables, rows);
    printf("  %s indique désormais la base PostgreSQL (ligne « database »).\n", run->conf_path);
    printf("  L'ancienne base SQLite est gardée en sauvegarde : %s\n", run->backup_path);
    if (run->files_unreadable == 0)
        printf("  Fichiers : %zu dans %s/%s, tous lisibles ; ils restent en place.\n", run->files,
               run->dir, APP_FILES_DIR);
    else
        printf("  ATTENTION : %zu fichier(s) sur %zu illisible(s) dans %s/%s (par exemple %s) :"
               "\n  vérifiez les droits avant de servir l'instance.\n",
               run->files_unreadable, run->files, run->dir, APP_FILES_DIR, run->unreadable_example);
    printf("  Avec plusieurs nœuds, partagez %s/%s et copiez %s sur chacun.\n", run->dir,
           APP_FILES_DIR, APP_CONFIG_FILE);
    printf("Étape suivante : ruche serve --data %s\n", run->dir);
}

int cmd_migrate(int argc, char **argv)
{
    struct migrate_run run = {0};
    int rc;

    if ((rc = migrate_args_parse(argc, argv, &run)) >= 0)
        return rc;
    arena_init(&run.a);
    run.is_tty = isatty(STDERR_FILENO);
    run.db_path = arena_printf(&run.a, "%s/%s", run.dir, APP_DB_FILE);
    run.conf_path = arena_printf(&run.a, "%s/%s", run.dir, APP_CONFIG_FILE);
    rc = migrate_check_source(&run);
    if (rc == 0)
        rc = migrate_copy(&run);
    if (rc == 0)
        rc = migrate_switch(&run);
    if (rc == 0) {
        files_check(&run);
        summary_print(&run);
    }
    arena_clear(&run.a);
    return rc;
}
