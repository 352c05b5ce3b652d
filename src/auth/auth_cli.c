/*
 * auth_cli.c - `ruche user add|passwd|link|deactivate|activate`.
 *
 * Passwords come from standard input, never from the command line (which
 * other users of the machine can read in the process list).  `user link`
 * is the administrator's answer to "I forgot my password": a one-time
 * link, valid 24 hours, that lets the member choose a new one.
 */
#include "auth.h"
#include "auth_cli.h"
#include "../cli.h"
#include "../db/db.h"

#include <getopt.h>
#include <sodium.h>

struct user_opts {
    const char *data, *email, *name, *role;
    bool temporary;
};

enum {
    OPT_DATA = 'd',
    OPT_EMAIL = 'e',
    OPT_NAME = 'n',
    OPT_ROLE = 'r',
    OPT_TEMPORARY = 't',
    OPT_HELP = 'h'
};

static const struct option user_long_options[] = {
    {"data", required_argument, NULL, OPT_DATA},
    {"email", required_argument, NULL, OPT_EMAIL},
    {"name", required_argument, NULL, OPT_NAME},
    {"role", required_argument, NULL, OPT_ROLE},
    {"temporary", no_argument, NULL, OPT_TEMPORARY},
    {"help", no_argument, NULL, OPT_HELP},
    {NULL, 0, NULL, 0},
};

/* Parse the options of a `user` subcommand; -1 to go on, else the exit code. */
static int parse_user_opts(int argc, char **argv, const char *cmd, const char *usage,
                           const char *allowed, struct user_opts *o)
{
    int c;

    memset(o, 0, sizeof(*o));
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "+h", user_long_options, NULL)) != -1) {
        if (c == OPT_HELP) {
            printf("Usage : ruche %s\n", usage);
            return 0;
        }
        if (c == '?' || !strchr(allowed, c))
            return cli_usage_error(cmd, usage, "option inconnue ou incomplète");
        if (c == OPT_DATA)
            o->data = optarg;
        if (c == OPT_EMAIL)
            o->email = optarg;
        if (c == OPT_NAME)
            o->name = optarg;
        if (c == OPT_ROLE)
            o->role = optarg;
        if (c == OPT_TEMPORARY)
            o->temporary = true;
    }
    if (optind < argc)
        return cli_usage_error(cmd, usage, "argument en trop");
    o->data = cli_data_dir(o->data);
    if (!o->data)
        return cli_usage_error(cmd, usage, "--data DIR manque (ou RUCHE_DATA)");
    if (!o->email)
        return cli_usage_error(cmd, usage, "--email manque");
    return -1;
}

#define USER_ADD_USAGE                                                                             \
    "user add --data DIR --email E --name N [--role admin|animator|member|guest] [--temporary]"

int cmd_user_add(int argc, char **argv)
{
    struct user_opts o;
    struct app app;
    struct db *db;
    char password[AUTH_PASSWORD_MAX + 2];
    const char *problem;
    enum role role = ROLE_MEMBER;
    int64_t id;
    int rc = parse_user_opts(argc, argv, "user add", USER_ADD_USAGE, "denrt", &o);

    if (rc >= 0)
        return rc;
    if (!o.name)
        return cli_usage_error("user add", USER_ADD_USAGE, "--name manque");
    if (o.role && (role = auth_role_parse(o.role)) == ROLE_NONE)
        return cli_usage_error("user add", USER_ADD_USAGE,
                               "rôle inconnu (admin, animator, member ou guest)");
    if (cli_read_password(password, sizeof(password)))
        return 1;
    if ((problem = auth_password_problem(password)) != NULL) {
        fprintf(stderr, "ruche user add : %s\n", problem);
        return 1;
    }
    if (cli_open(&app, o.data, &db))
        return 1;
    rc = auth_account_create(db,
                             &(struct account_new){.email = o.email,
                                                   .name = o.name,
                                                   .role = role,
                                                   .password = password,
                                                   .temporary = o.temporary},
                             &id);
    sodium_memzero(password, sizeof(password));
    cli_close(&app, db);
    if (rc == ERR_EXISTS)
        fprintf(stderr, "ruche user add : l'adresse %s a déjà un compte\n", o.email);
    else if (rc == ERR_INVALID)
        fprintf(stderr,
                "ruche user add : adresse e-mail ou nom invalide (nom : 1 à %d "
                "caractères, sans caractère de contrôle)\n",
                AUTH_NAME_MAX);
    else if (rc < 0)
        fprintf(stderr, "ruche user add : échec (%s)\n", err_name(rc));
    else
        printf("Compte créé : %s (n° %lld, rôle %s)%s\n", o.email, (long long)id,
               auth_role_name(role),
               o.temporary ? ", mot de passe provisoire à changer à la première connexion" : "");
    return rc < 0 ? 1 : 0;
}

/* Look up the account of --email; 0, or 1 after reporting. */
static int find_account(struct db *db, const char *cmd, const char *email, struct arena *a,
                        struct account *acc)
{
    int rc = auth_account_by_email(db, a, email, acc);

    if (rc == ERR_NOTFOUND)
        fprintf(stderr, "ruche %s : aucun compte pour %s\n", cmd, email);
    else if (rc < 0)
        fprintf(stderr, "ruche %s : échec (%s)\n", cmd, err_name(rc));
    return rc < 0;
}

#define USER_PASSWD_USAGE "user passwd --data DIR --email E [--temporary]"

int cmd_user_passwd(int argc, char **argv)
{
    struct user_opts o;
    struct app app;
    struct db *db;
    struct arena a;
    struct account acc;
    char password[AUTH_PASSWORD_MAX + 2];
    const char *problem;
    int rc = parse_user_opts(argc, argv, "user passwd", USER_PASSWD_USAGE, "det", &o);

    if (rc >= 0)
        return rc;
    if (cli_read_password(password, sizeof(password)))
        return 1;
    if ((problem = auth_password_problem(password)) != NULL) {
        fprintf(stderr, "ruche user passwd : %s\n", problem);
        return 1;
    }
    if (cli_open(&app, o.data, &db))
        return 1;
    arena_init(&a);
    rc = find_account(db, "user passwd", o.email, &a, &acc) ? ERR_NOTFOUND : 0;
    /* A new password closes every session opened with the old one. */
    if (rc == 0 && (rc = auth_account_set_password(db, acc.id, password, o.temporary)) == 0)
        rc = auth_session_delete_all(db, acc.id);
    if (rc < 0 && rc != ERR_NOTFOUND)
        fprintf(stderr, "ruche user passwd : échec (%s)\n", err_name(rc));
    if (rc == 0)
        printf("Mot de passe de %s changé%s ; ses sessions sont fermées.\n", acc.email,
               o.temporary ? " (provisoire : à remplacer à la prochaine connexion)" : "");
    sodium_memzero(password, sizeof(password));
    arena_clear(&a);
    cli_close(&app, db);
    return rc < 0;
}

#define USER_LINK_USAGE "user link --data DIR --email E"

int cmd_user_link(int argc, char **argv)
{
    struct user_opts o;
    struct app app;
    struct db *db;
    struct arena a;
    struct account acc;
    char token[AUTH_TOKEN_TEXT];
    int rc = parse_user_opts(argc, argv, "user link", USER_LINK_USAGE, "de", &o);

    if (rc >= 0)
        return rc;
    if (cli_open(&app, o.data, &db))
        return 1;
    arena_init(&a);
    rc = find_account(db, "user link", o.email, &a, &acc) ? ERR_NOTFOUND : 0;
    if (rc == 0 && strcmp(acc.status, "deactivated") == 0) {
        fprintf(stderr, "ruche user link : le compte de %s est désactivé\n", acc.email);
        rc = ERR_DENIED;
    }
    if (rc == 0 && (rc = auth_link_create(db, acc.id, token)) < 0)
        fprintf(stderr, "ruche user link : échec (%s)\n", err_name(rc));
    if (rc == 0) {
        printf("Lien de connexion à usage unique pour %s (valable 24 h) :\n%s/login/link/%s\n",
               acc.email, app.base_url, token);
        sodium_memzero(token, sizeof(token));
    }
    arena_clear(&a);
    cli_close(&app, db);
    return rc < 0;
}

static int set_active(int argc, char **argv, const char *cmd, bool active)
{
    const char *usage =
        active ? "user activate --data DIR --email E" : "user deactivate --data DIR --email E";
    struct user_opts o;
    struct app app;
    struct db *db;
    struct arena a;
    struct account acc;
    int rc = parse_user_opts(argc, argv, cmd, usage, "de", &o);

    if (rc >= 0)
        return rc;
    if (cli_open(&app, o.data, &db))
        return 1;
    arena_init(&a);
    rc = find_account(db, cmd, o.email, &a, &acc) ? ERR_NOTFOUND : 0;
    if (rc == 0 && (rc = auth_account_set_active(db, acc.id, active)) < 0)
        fprintf(stderr, "ruche %s : échec (%s)\n", cmd, err_name(rc));
    if (rc == 0)
        printf(active ? "Compte de %s réactivé.\n"
                      : "Compte de %s désactivé ; ses sessions sont fermées.\n",
               acc.email);
    arena_clear(&a);
    cli_close(&app, db);
    return rc < 0;
}

int cmd_user_deactivate(int argc, char **argv)
{
    return set_active(argc, argv, "user deactivate", false);
}

int cmd_user_activate(int argc, char **argv)
{
    return set_active(argc, argv, "user activate", true);
}
