/*
 * main.c - the `ruche` command: one table of subcommands (git's commands[]).
 *
 * `ruche help` and `ruche --help` are generated from the table.  Each
 * subcommand parses its own options and lives in its feature's _cli.c.
 */
#include "cli.h"
#include "serve_cli.h"
#include "migrate_cli.h"
#include "auth/auth_cli.h"
#include "demo/demo.h"
#include "demo/generate_cli.h"
#include "jobs/jobs_cli.h"
#include "live/live_cli.h"
#include "routes_cli.h"

struct command {
    const char *name; /* "user add": one or two words */
    cli_fn *fn;
    const char *usage;
    const char *summary; /* French, as the rest of the interface */
};

static int cmd_help(int argc, char **argv);

static const struct command commands[] = {
    {"init", cmd_init, "init --data DIR [--database postgresql://…]",
     "Créer une instance (base, fichiers, configuration)"},
    {"serve", cmd_serve, "serve --data DIR [--listen 127.0.0.1:8080] [--threads N]",
     "Servir le site jusqu'à SIGINT ou SIGTERM"},
    {"user add", cmd_user_add,
     "user add --data DIR --email E --name N [--role admin|animator|member|guest] [--temporary]",
     "Créer un compte (mot de passe lu sur l'entrée standard)"},
    {"user passwd", cmd_user_passwd, "user passwd --data DIR --email E [--temporary]",
     "Changer le mot de passe d'un membre (entrée standard)"},
    {"user link", cmd_user_link, "user link --data DIR --email E",
     "Donner un lien de connexion à usage unique (24 h)"},
    {"user deactivate", cmd_user_deactivate, "user deactivate --data DIR --email E",
     "Désactiver un compte et fermer ses sessions"},
    {"user activate", cmd_user_activate, "user activate --data DIR --email E",
     "Réactiver un compte"},
    {"demo", cmd_demo, "demo --data DIR", "Remplir l'instance d'une organisation de démonstration"},
    {"migrate", cmd_migrate, "migrate --data DIR --to postgresql://…",
     "Passer une instance SQLite sur PostgreSQL (copie vérifiée)"},
    {"help", cmd_help, "help [COMMANDE]", "Afficher l'aide"},
    {"debug-enqueue", cmd_debug_enqueue, "debug-enqueue --data DIR --kind K [--count N]", NULL},
    {"debug-jobs", cmd_debug_jobs, "debug-jobs --data DIR", NULL},
    {"debug-publish", cmd_debug_publish, "debug-publish --data DIR --kind K [--member ID]", NULL},
    {"debug-routes", cmd_debug_routes, "debug-routes", NULL},
    {"debug-generate", cmd_debug_generate, "debug-generate --data DIR --members N [--seed S]",
     NULL},
};

static void print_overview(FILE *out)
{
    fprintf(out, "Ruche, le réseau social d'entreprise auto-hébergé.\n\n"
                 "Usage : ruche COMMANDE [OPTIONS]\n\nCommandes :\n");
    for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
        if (commands[i].summary)
            fprintf(out, "  %-16s %s\n", commands[i].name, commands[i].summary);
    fprintf(out, "\n« ruche COMMANDE --help » détaille une commande. Les options --data et "
                 "--listen\nse lisent aussi dans RUCHE_DATA et RUCHE_LISTEN.\n");
}

/* The command named by argv[1] (and argv[2] for two-word names); *words gets 1 or 2. */
static const struct command *find_command(int argc, char **argv, int *words)
{
    for (size_t i = 0; i < ARRAY_SIZE(commands); i++) {
        const char *name = commands[i].name;
        const char *space = strchr(name, ' ');
        size_t first = space ? (size_t)(space - name) : strlen(name);

        if (strncmp(argv[1], name, first) != 0 || argv[1][first] != '\0')
            continue;
        if (!space) {
            *words = 1;
            return &commands[i];
        }
        if (argc > 2 && strcmp(argv[2], space + 1) == 0) {
            *words = 2;
            return &commands[i];
        }
    }
    return NULL;
}

static int cmd_help(int argc, char **argv)
{
    if (argc > 1) {
        int words;
        const struct command *c = find_command(argc, argv, &words);
        if (!c) {
            fprintf(stderr, "ruche help : commande inconnue « %s »\n", argv[1]);
            return 2;
        }
        printf("Usage : ruche %s\n%s\n", c->usage, c->summary ? c->summary : "");
        return 0;
    }
    print_overview(stdout);
    return 0;
}

int main(int argc, char **argv)
{
    const struct command *c;
    int words;

    if (argc < 2) {
        print_overview(stderr);
        return 2;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        print_overview(stdout);
        return 0;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("ruche 0.1.0\n");
        return 0;
    }
    c = find_command(argc, argv, &words);
    if (!c) {
        if (strcmp(argv[1], "user") == 0)
            fprintf(stderr, "ruche user : sous-commande attendue (add, passwd, link, "
                            "deactivate, activate)\n");
        else
            fprintf(stderr, "ruche : commande inconnue « %s » (ruche --help)\n", argv[1]);
        return 2;
    }
    return c->fn(argc - words, argv + words);
}
