/*
 * live_cli.c - `ruche debug-publish`: publish a live event by hand, as a
 * feature would, to watch it reach the streams of every node.
 *
 *   ruche debug-publish --data DIR --kind K [--member ID] [--payload JSON]
 */
#include "live.h"
#include "live_cli.h"
#include "../cli.h"
#include "../core/str.h"
#include "../db/db.h"

#include <getopt.h>
#include <jansson.h>

#define PUBLISH_USAGE "debug-publish --data DIR --kind K [--member ID] [--payload JSON]"

static const struct option options[] = {
    {"data", required_argument, NULL, 'd'},   {"kind", required_argument, NULL, 'k'},
    {"member", required_argument, NULL, 'm'}, {"payload", required_argument, NULL, 'p'},
    {"help", no_argument, NULL, 'h'},         {NULL, 0, NULL, 0},
};

/* True when text is one JSON object. */
static bool is_json_object(const char *text)
{
    json_t *value = json_loads(text, 0, NULL);
    bool ok = json_is_object(value);

    json_decref(value);
    return ok;
}

int cmd_debug_publish(int argc, char **argv)
{
    const char *data = NULL, *kind = NULL, *payload = "{}";
    int64_t member = 0;
    struct app app;
    struct db *db;
    int c, rc;

    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "+h", options, NULL)) != -1) {
        if (c == 'h') {
            printf("Usage : ruche %s\nPublie un événement en direct (pour les tests).\n",
                   PUBLISH_USAGE);
            return 0;
        }
        if (c == 'd')
            data = optarg;
        else if (c == 'k')
            kind = optarg;
        else if (c == 'p')
            payload = optarg;
        else if (c == 'm' && (!str_to_i64(optarg, &member) || member < 0))
            return cli_usage_error("debug-publish", PUBLISH_USAGE, "--member : un numéro");
        else if (c != 'm')
            return cli_usage_error("debug-publish", PUBLISH_USAGE, "option inconnue");
    }
    if (!(data = cli_data_dir(data)) || !kind)
        return cli_usage_error("debug-publish", PUBLISH_USAGE, "--data et --kind sont requis");
    if (!is_json_object(payload))
        return cli_usage_error("debug-publish", PUBLISH_USAGE, "--payload : un objet JSON");
    if (cli_open(&app, data, &db))
        return 1;
    rc = live_publish(db, kind, member, payload);
    cli_close(&app, db);
    if (rc < 0) {
        fprintf(stderr, "ruche debug-publish : échec (%s)\n", err_name(rc));
        return 1;
    }
    printf("Événement « %s » publié.\n", kind);
    return 0;
}
