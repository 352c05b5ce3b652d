/*
 * serve_cli.c - `ruche init` creates an instance, `ruche serve` serves it.
 *
 * serve blocks SIGINT and SIGTERM in every thread and waits for them in
 * the main thread; on either it stops accepting connections, lets the
 * requests in flight finish, and closes the database cleanly.
 */
#include "serve_cli.h"
#include "cli.h"
#include "core/log.h"
#include "core/str.h"
#include "http/server.h"
#include "jobs/jobs.h"
#include "live/live.h"
#include "db/db.h"
#include "web/i18n.h"

#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#define INIT_USAGE "init --data DIR [--database postgresql://…]"
#define SERVE_USAGE "serve --data DIR [--listen 127.0.0.1:8080] [--threads N]"

static const struct option long_options[] = {
    {"data", required_argument, NULL, 'd'},    {"listen", required_argument, NULL, 'l'},
    {"threads", required_argument, NULL, 't'}, {"database", required_argument, NULL, 'b'},
    {"help", no_argument, NULL, 'h'},          {NULL, 0, NULL, 0},
};

int cmd_init(int argc, char **argv)
{
    const char *data = NULL, *database = NULL;
    int c, rc;

    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "+h", long_options, NULL)) != -1) {
        if (c == 'h') {
            printf("Usage : ruche %s\nCrée une instance : base de données, dossier des fichiers, "
                   "configuration.\nSans --database, la base est SQLite (DIR/ruche.db) ; avec, "
                   "la base PostgreSQL\ndoit exister et être vide.\n",
                   INIT_USAGE);
            return 0;
        }
        if (c == 'd')
            data = optarg;
        else if (c == 'b' && strncmp(optarg, "postgres", 8) == 0)
            database = optarg;
        else if (c == 'b')
            return cli_usage_error("init", INIT_USAGE,
                                   "--database attend une adresse postgresql://…");
        else
            return cli_usage_error("init", INIT_USAGE, "option inconnue ou incomplète");
    }
    if (!(data = cli_data_dir(data)))
        return cli_usage_error("init", INIT_USAGE, "--data DIR manque (ou RUCHE_DATA)");
    if (optind < argc)
        return cli_usage_error("init", INIT_USAGE, "argument en trop");
    rc = app_instance_create(data, database);
    if (rc == ERR_EXISTS) {
        fprintf(stderr, "ruche init : %s contient déjà une instance ; rien n'a été modifié\n",
                database && !app_instance_exists(data) ? "la base PostgreSQL" : data);
        return 1;
    }
    if (rc == ERR_BUSY) {
        fprintf(stderr,
                "ruche init : impossible de joindre la base PostgreSQL (voir le journal)\n");
        return 1;
    }
    if (rc < 0) {
        fprintf(stderr, "ruche init : impossible de créer l'instance dans %s (%s)\n", data,
                rc == ERR_IO ? strerror(errno) : err_name(rc));
        return 1;
    }
    printf("Instance créée dans %s.\nAjoutez un administrateur : ruche user add --data %s "
           "--email E --name N --role admin\n",
           data, data);
    return 0;
}

static unsigned default_threads(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);

    return n < 2 ? 2 : (unsigned)(n > 64 ? 64 : n);
}

/* Serve until SIGINT or SIGTERM. */
static int serve(const char *data, const struct http_options *opt)
{
    struct app app;
    struct http_server *srv;
    struct jobs_worker *worker;
    struct db *db;
    sigset_t stop_signals;
    int sig, rc;

    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGINT);
    sigaddset(&stop_signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop_signals, NULL); /* threads started below inherit it */
    signal(SIGPIPE, SIG_IGN);

    if (!app_instance_exists(data)) {
        fprintf(stderr, "ruche serve : aucune instance dans %s (ruche init --data %s)\n", data,
                data);
        return 1;
    }
    /* One connection per HTTP worker thread, one for the jobs, one for the live bus. */
    if (i18n_init() < 0 || app_open(&app, data, opt->threads + 2) < 0) {
        fprintf(stderr, "ruche serve : impossible d'ouvrir l'instance %s\n", data);
        i18n_release();
        return 1;
    }
    if ((rc = http_server_start(&app, opt, &srv)) < 0) {
        fprintf(stderr, "ruche serve : impossible d'écouter sur %s (%s)\n", opt->listen,
                rc == ERR_INVALID ? "adresse invalide" : "adresse occupée ou refusée");
        app_close(&app);
        i18n_release();
        return 1;
    }
    db = db_pool_acquire(app.pool);
    jobs_schedule_maintenance(db, time_now_ms());
    db_pool_release(app.pool, db);
    if (jobs_worker_start(&app, &worker) < 0) {
        fprintf(stderr, "ruche serve : impossible de lancer les tâches de fond\n");
        http_server_stop(srv);
        app_close(&app);
        i18n_release();
        return 1;
    }
    if (live_start(&app) < 0) {
        fprintf(stderr, "ruche serve : impossible de lancer le flux en direct\n");
        http_server_stop(srv);
        jobs_worker_stop(worker);
        app_close(&app);
        i18n_release();
        return 1;
    }
    log_info("serve", "listening", "listen", opt->listen, "data", data, NULL);
    sigwait(&stop_signals, &sig);
    log_info("serve", "stopping", "signal", sig == SIGINT ? "SIGINT" : "SIGTERM", NULL);
    live_stop(); /* streams end first: they would hold the server's shutdown */
    http_server_stop(srv);
    jobs_worker_stop(worker);
    app_close(&app);
    i18n_release();
    log_info("serve", "stopped", NULL);
    return 0;
}

int cmd_serve(int argc, char **argv)
{
    const char *data = NULL;
    const char *env_listen = getenv("RUCHE_LISTEN");
    struct http_options opt = {.listen = env_listen && *env_listen ? env_listen : "127.0.0.1:8080",
                               .threads = default_threads(),
                               .timeout_s = 30};
    int64_t threads;
    int c;

    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "+h", long_options, NULL)) != -1) {
        switch (c) {
        case 'h':
            printf("Usage : ruche %s\nSert l'instance jusqu'à SIGINT ou SIGTERM.\n", SERVE_USAGE);
            return 0;
        case 'd':
            data = optarg;
            break;
        case 'l':
            opt.listen = optarg;
            break;
        case 't':
            if (!str_to_i64(optarg, &threads) || threads < 2 || threads > 256)
                return cli_usage_error("serve", SERVE_USAGE, "--threads : de 2 à 256");
            opt.threads = (unsigned)threads;
            break;
        default:
            return cli_usage_error("serve", SERVE_USAGE, "option inconnue ou incomplète");
        }
    }
    if (!(data = cli_data_dir(data)))
        return cli_usage_error("serve", SERVE_USAGE, "--data DIR manque (ou RUCHE_DATA)");
    if (optind < argc)
        return cli_usage_error("serve", SERVE_USAGE, "argument en trop");
    return serve(data, &opt);
}
