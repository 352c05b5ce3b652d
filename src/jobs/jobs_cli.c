/*
 * jobs_cli.c - hidden commands that expose the job queue, for tests and
 * for an administrator who wants to see it (Fossil's test-* commands).
 *
 *   ruche debug-enqueue --data DIR --kind K [--payload P] [--count N]
 *   ruche debug-jobs --data DIR      one line per job: id kind attempts state node
 */
#include "jobs.h"
#include "jobs_cli.h"
#include "../cli.h"
#include "../core/str.h"
#include "../db/db.h"

#include <getopt.h>

#define ENQUEUE_USAGE                                                                              \
    "debug-enqueue --data DIR --kind K [--payload P] [--count N] [--claim-seconds S]"
#define JOBS_USAGE "debug-jobs --data DIR"

static const struct option options[] = {
    {"data", required_argument, NULL, 'd'},
    {"kind", required_argument, NULL, 'k'},
    {"payload", required_argument, NULL, 'p'},
    {"count", required_argument, NULL, 'n'},
    {"claim-seconds", required_argument, NULL, 'c'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

int cmd_debug_enqueue(int argc, char **argv)
{
    const char *data = NULL, *kind = NULL, *payload = "";
    int64_t count = 1, claim_s = JOBS_CLAIM_MS / 1000;
    struct app app;
    struct db *db;
    int c, rc = 0;

    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "+h", options, NULL)) != -1) {
        if (c == 'h') {
            printf("Usage : ruche %s\nMet des tâches en file (pour les tests).\n", ENQUEUE_USAGE);
            return 0;
        }
        if (c == 'd')
            data = optarg;
        else if (c == 'k')
            kind = optarg;
        else if (c == 'p')
            payload = optarg;
        else if (c == 'n' && (!str_to_i64(optarg, &count) || count < 1 || count > 100000))
            return cli_usage_error("debug-enqueue", ENQUEUE_USAGE, "--count : de 1 à 100000");
        else if (c == 'c' && (!str_to_i64(optarg, &claim_s) || claim_s < 1 || claim_s > 86400))
            return cli_usage_error("debug-enqueue", ENQUEUE_USAGE,
                                   "--claim-seconds : de 1 à 86400");
        else if (c != 'n' && c != 'c')
            return cli_usage_error("debug-enqueue", ENQUEUE_USAGE, "option inconnue");
    }
    if (!(data = cli_data_dir(data)) || !kind)
        return cli_usage_error("debug-enqueue", ENQUEUE_USAGE, "--data et --kind sont requis");
    if (cli_open(&app, data, &db))
        return 1;
    if ((rc = db_tx_begin(db)) == 0) {
        for (int64_t i = 0; i < count && rc == 0; i++)
            rc = jobs_enqueue_claim(db, kind, payload, 0, claim_s * 1000, NULL);
        if (rc == 0)
            rc = db_tx_commit(db);
        else
            db_tx_rollback(db);
    }
    cli_close(&app, db);
    if (rc < 0) {
        fprintf(stderr, "ruche debug-enqueue : échec (%s)\n", err_name(rc));
        return 1;
    }
    printf("%lld tâche(s) « %s » en file.\n", (long long)count, kind);
    return 0;
}

int cmd_debug_jobs(int argc, char **argv)
{
    const char *data = NULL;
    struct app app;
    struct db *db;
    struct stmt *q;
    int c, rc;

    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "+h", options, NULL)) != -1) {
        if (c == 'h') {
            printf("Usage : ruche %s\nAffiche la file des tâches : id, type, essais, état, "
                   "nœud.\n",
                   JOBS_USAGE);
            return 0;
        }
        if (c != 'd')
            return cli_usage_error("debug-jobs", JOBS_USAGE, "option inconnue");
        data = optarg;
    }
    if (!(data = cli_data_dir(data)))
        return cli_usage_error("debug-jobs", JOBS_USAGE, "--data DIR manque (ou RUCHE_DATA)");
    if (cli_open(&app, data, &db))
        return 1;
    q = db_query(db, "SELECT id, kind, attempts, done_ms, failed, claimed_by, done_by"
                     /*      0   1     2         3        4       5           6 */
                     "  FROM job ORDER BY id /*scan-ok*/");
    while (db_row(q)) {
        const char *state = db_is_null(q, 3) ? (db_is_null(q, 5) ? "pending" : "running")
                                             : (db_i64(q, 4) ? "failed" : "done");
        printf("%lld %s %lld %s %s\n", (long long)db_i64(q, 0), db_text(q, 1),
               (long long)db_i64(q, 2), state,
               db_is_null(q, 3) ? (db_is_null(q, 5) ? "-" : db_text(q, 5)) : db_text(q, 6));
    }
    rc = db_end(q);
    cli_close(&app, db);
    return rc < 0;
}
