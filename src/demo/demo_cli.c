/*
 * demo_cli.c - `ruche demo --data DIR`: fill an instance with Alvéole.
 *
 * The command runs in parts, each a demo_<object>_create(run) function that
 * reads the static tables of demo_data.c and writes through the owning
 * module's API (auth_account_create for people), never through SQL of its
 * own, but for the feed's dates (demo_feed.c says why).  All parts run in one transaction: the demo
 * is there entirely or not at all.  A part leaves what later parts need in struct demo_run (the
 * account id of each person, for authors and members).  The feed's six
 * weeks of posts, comments and reactions are demo_feed.c's part, written
 * through the feed module, and the communities demo_groups.c's; events will
 * follow the same way.
 *
 * Surprising: each account hashes its password with argon2id (about 0.1 s),
 * so creating the members takes a few seconds; progress goes to stderr.
 * Passwords are random, printed once on stdout and written to
 * DIR/demo-credentials.txt (mode 0600, created exclusively).  The command
 * refuses to run twice: it stops when any demo address already exists.
 *
 * State: none beyond one run, which owns its arena and borrows one
 * connection from the instance's pool.
 */
#include "../core/core.h"
#include "../core/arena.h"
#include "../core/str.h"
#include "../db/db.h"
#include "../auth/auth.h"
#include "../people/people.h"
#include "../app.h"
#include "../cli.h"
#include "demo.h"
#include "generate_cli.h"
#include "demo_run.h"

#include <fcntl.h>
#include <getopt.h>
#include <sodium.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Letters and digits that cannot be misread: no 0/O/o, 1/l/I/i. */
#define DEMO_PASSWORD_ALPHABET "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghjkmnpqrstuvwxyz23456789"
#define DEMO_PASSWORD_TRIES 100

/* ---- arguments ---------------------------------------------------------- */

#define DEMO_USAGE "demo --data DIR"

static void demo_usage(FILE *out)
{
    fprintf(out,
            "Usage : ruche %s\n"
            "\n"
            "Remplit une instance existante avec une organisation fictive, %s,\n"
            "pour découvrir Ruche sur un réseau vivant : des membres de tous les\n"
            "services et sites, des animateurs, des invités externes. Les identifiants\n"
            "sont affichés et enregistrés dans DIR/%s.\n"
            "La commande ne s'exécute qu'une fois par instance.\n"
            "\n"
            "  --data DIR   dossier de l'instance (par défaut : $RUCHE_DATA)\n"
            "  -h, --help   afficher cette aide\n",
            DEMO_USAGE, DEMO_ORG_SHORT, DEMO_CREDENTIALS_FILE);
}

/*
 * Read the options into *dir.  Returns -1 to go on, else the exit code:
 * 0 when help was printed, 2 on a usage error (already reported).
 */
static int demo_args_parse(int argc, char **argv, const char **dir)
{
    static const struct option options[] = {
        {"data", required_argument, NULL, 'd'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *data = NULL;
    int c;

    optind = 1;
    opterr = 0; /* our own messages, in French */
    while ((c = getopt_long(argc, argv, "+h", options, NULL)) != -1) {
        if (c == 'h') {
            demo_usage(stdout);
            return 0;
        }
        if (c != 'd')
            return cli_usage_error("demo", DEMO_USAGE, "option inconnue ou incomplète");
        data = optarg;
    }
    if (optind < argc)
        return cli_usage_error("demo", DEMO_USAGE, "argument en trop");
    *dir = cli_data_dir(data);
    if (!*dir)
        return cli_usage_error("demo", DEMO_USAGE, "--data DIR manque (ou RUCHE_DATA)");
    return -1;
}

/* ---- passwords and progress ------------------------------------------ */

/*
 * A random password of DEMO_PASSWORD_LEN unambiguous characters that the
 * password policy accepts.  ERR_INVALID if the policy refuses every try.
 */
static int demo_password_new(char out[DEMO_PASSWORD_LEN + 1])
{
    static const char alphabet[] = DEMO_PASSWORD_ALPHABET;

    for (int attempt = 0; attempt < DEMO_PASSWORD_TRIES; attempt++) {
        for (size_t i = 0; i < DEMO_PASSWORD_LEN; i++)
            out[i] = alphabet[randombytes_uniform(sizeof(alphabet) - 1)];
        out[DEMO_PASSWORD_LEN] = '\0';
        if (!auth_password_problem(out))
            return 0;
    }
    return ERR_INVALID;
}

void demo_progress(const struct demo_run *run, const char *what, size_t done, size_t total)
{
    generate_progress(run->is_tty, what, done, total);
}

void demo_progress_abort(const struct demo_run *run)
{
    if (run->is_tty)
        fputc('\n', stderr);
}

/* ---- members ----------------------------------------------------------- */

/* 1 when the demo ran already (one of its addresses exists), 0 if not, or an error. */
static int demo_members_exist(struct demo_run *run)
{
    for (size_t i = 0; i < demo_people_len; i++) {
        struct account found;
        int rc = auth_account_by_email(run->db, &run->a,
                                       demo_person_email(&run->a, &demo_people[i]), &found);
        if (rc == 0)
            return 1;
        if (rc != ERR_NOTFOUND)
            return rc;
    }
    return 0;
}

int64_t demo_member_created_ms(const struct demo_run *run, size_t i)
{
    return run->now_ms - demo_people[i].since_days * DEMO_DAY_MS - (int64_t)i * 60 * 1000;
}

/* The account of person i, dated since_days before the run (a minute apart within a day). */
static struct account_new demo_member_account(struct demo_run *run, size_t i)
{
    const struct demo_person *p = &demo_people[i];
    struct account_new n = {
        .name = demo_person_name(&run->a, p),
        .email = demo_person_email(&run->a, p),
        .role = p->role,
        .job = p->job,
        .department = p->department,
        .site = p->site,
        .created_ms = demo_member_created_ms(run, i),
    };

    if (p->is_invited)
        n.password = NULL;
    else if (p->role == ROLE_ADMIN)
        n.password = run->admin_password;
    else
        n.password = run->members_password;
    return n;
}

/* Create every person's account; fills run->person_ids.  Inside the run's transaction. */
static int demo_members_create(struct demo_run *run)
{
    run->person_ids = arena_array(&run->a, demo_people_len, sizeof(*run->person_ids));
    for (size_t i = 0; i < demo_people_len; i++) {
        struct account_new n = demo_member_account(run, i);
        int rc = auth_account_create(run->db, &n, &run->person_ids[i]);
        if (rc < 0) {
            demo_progress_abort(run);
            fprintf(stderr, "ruche demo : impossible de créer le compte %s (%s)\n", n.email,
                    err_name(rc));
            return rc;
        }
        demo_progress(run, "Création des membres", i + 1, demo_people_len);
    }
    return 0;
}

/* ---- credentials ------------------------------------------------------- */

/* Create DIR/demo-credentials.txt (0600, must not exist); its descriptor or -1, reported. */
static int demo_credentials_open(const char *path)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);

    if (fd < 0 && errno == EEXIST)
        fprintf(stderr, "ruche demo : %s existe déjà ; supprimez-le pour relancer\n", path);
    else if (fd < 0)
        fprintf(stderr, "ruche demo : impossible de créer %s : %s\n", path, strerror(errno));
    return fd;
}

/* Write the sign-in details to fd and close it.  ERR_IO, reported. */
static int demo_credentials_write(const struct demo_run *run, int fd, const char *path)
{
    bool ok = dprintf(fd, "email=%s\npassword=%s\nmembers_password=%s\n", run->admin_email,
                      run->admin_password, run->members_password) > 0;

    if (close(fd) < 0)
        ok = false;
    if (!ok) {
        fprintf(stderr, "ruche demo : impossible d'écrire %s : %s\n", path, strerror(errno));
        return ERR_IO;
    }
    return 0;
}

/* The sign-in details on stdout; base_url may end with a slash. */
static void demo_report_print(const struct demo_run *run, const char *base_url,
                              const char *credentials_path)
{
    size_t url_len = strlen(base_url);
    size_t invited = 0;

    while (url_len > 0 && base_url[url_len - 1] == '/')
        url_len--;
    for (size_t i = 0; i < demo_people_len; i++)
        invited += demo_people[i].is_invited;
    printf("Organisation de démonstration créée : %s (%zu membres).\n", DEMO_ORG_NAME,
           demo_people_len);
    printf("Connectez-vous sur %.*s/login\n", (int)url_len, base_url);
    printf("  E-mail : %s\n", run->admin_email);
    printf("  Mot de passe : %s\n", run->admin_password);
    printf("Mot de passe des autres membres : %s\n", run->members_password);
    printf("(%zu membres invités n'ont pas encore activé leur compte.)\n", invited);
    if (credentials_path)
        printf("Ces identifiants sont enregistrés dans %s.\n", credentials_path);
}

/* ---- profiles and follows -------------------------------------------------- */

/* The account id of the person named first and last; 0 when not in the table. */
static int64_t demo_person_id(const struct demo_run *run, const char *first, const char *last)
{
    for (size_t i = 0; i < demo_people_len; i++)
        if (strcmp(demo_people[i].first, first) == 0 && strcmp(demo_people[i].last, last) == 0)
            return run->person_ids[i];
    return 0;
}

/* Split a comma-separated list into trimmed entries, in the run's arena. */
static const char **demo_skills_split(struct demo_run *run, const char *list, size_t *len)
{
    size_t cap = 1, n = 0;
    const char **items;

    for (const char *p = list; *p; p++)
        cap += *p == ',';
    items = arena_array(&run->a, cap, sizeof(*items));
    while (*list) {
        size_t seg = strcspn(list, ","), trimmed;
        const char *s = str_trim(arena_strndup(&run->a, list, seg), &trimmed);
        if (trimmed)
            items[n++] = arena_strndup(&run->a, s, trimmed);
        list += seg + (list[seg] == ',');
    }
    *len = n;
    return items;
}

/*
 * Birthdays moved into the week of the run, so the home page's birthday
 * block is alive in every demo: these people (birthdays shared with
 * everyone in demo_profiles) celebrate today and in 2 and 5 days.
 */
static const struct {
    const char *first, *last;
    int days_ahead;
} demo_birthdays_soon[] = {
    {"Solène", "Vidal", 0},
    {"Noël", "Fabre", 2},
    {"Aïcha", "Traoré", 5},
};

/* The "MM-DD" days_ahead days after the run, or birthday when d is not in the table above. */
static const char *demo_birthday(struct demo_run *run, const struct demo_profile *d,
                                 const char *birthday)
{
    for (size_t i = 0; i < ARRAY_SIZE(demo_birthdays_soon); i++) {
        time_t t = (time_t)(run->now_ms / 1000 + demo_birthdays_soon[i].days_ahead * 86400LL);
        struct tm tm;

        if (strcmp(d->first, demo_birthdays_soon[i].first) != 0 ||
            strcmp(d->last, demo_birthdays_soon[i].last) != 0)
            continue;
        gmtime_r(&t, &tm);
        return arena_printf(&run->a, "%02d-%02d", tm.tm_mon + 1, tm.tm_mday);
    }
    return birthday;
}

static int demo_profiles_create(struct demo_run *run)
{
    for (size_t i = 0; i < demo_profiles_len; i++) {
        const struct demo_profile *d = &demo_profiles[i];
        int64_t id = demo_person_id(run, d->first, d->last);
        struct profile_update u = {
            .phone = d->phone, .birthday = d->birthday, .bio = d->bio, .has_skills = true};
        const char *bad = NULL;
        int rc;

        if (!id)
            BUG("demo profile of %s %s names nobody", d->first, d->last);
        u.skills = demo_skills_split(run, d->skills, &u.skills_len);
        u.birthday = demo_birthday(run, d, d->birthday);
        u.vis[PEOPLE_FIELD_PHONE] = d->phone_vis;
        u.vis[PEOPLE_FIELD_BIRTHDAY] = d->birthday_vis;
        if ((rc = people_profile_save(run->db, id, &u, &bad)) < 0) {
            fprintf(stderr, "ruche demo: profile of %s %s: bad %s\n", d->first, d->last,
                    bad ? bad : "?");
            return rc;
        }
    }
    return 0;
}

/* Members working at a site (not from home) follow its people. */
#define DEMO_SITE_HOME "Télétravail"

/* Does person i follow person j (besides the few follows across the organisation)? */
static bool demo_follows(size_t i, size_t j)
{
    const struct demo_person *p = &demo_people[i], *q = &demo_people[j];

    if (i == j || p->role == ROLE_GUEST || q->role == ROLE_GUEST || q->is_invited)
        return false;
    return j < 2 || strcmp(p->department, q->department) == 0 ||
           (strcmp(p->site, q->site) == 0 && strcmp(p->site, DEMO_SITE_HOME) != 0);
}

/*
 * Who follows whom, so that every home feed is lively: each active member
 * follows the administrator and the network's project lead (the first two
 * people), the colleagues of their department and of their site, and a few
 * people across the organisation; guests follow a few people.
 */
static int demo_follows_create(struct demo_run *run)
{
    static const size_t steps[] = {1, 3, 7, 12};
    int rc = 0;

    for (size_t i = 0; rc == 0 && i < demo_people_len; i++) {
        if (demo_people[i].is_invited)
            continue;
        for (size_t k = 0; rc == 0 && k < ARRAY_SIZE(steps) && k <= i % 5; k++) {
            size_t j = (i + steps[k]) % demo_people_len;
            rc = people_follow(run->db, run->person_ids[i], run->person_ids[j]);
        }
        if (rc == 0 && i > 1)
            rc = people_follow(run->db, run->person_ids[i], run->person_ids[i % 2]);
        for (size_t j = 0; rc == 0 && j < demo_people_len; j++)
            if (demo_follows(i, j))
                rc = people_follow(run->db, run->person_ids[i], run->person_ids[j]);
    }
    return rc;
}

/* ---- the run ------------------------------------------------------------ */

/* Every part, in one transaction: all of the demo or nothing. */
static int demo_parts_create(struct demo_run *run)
{
    int rc;

    if ((rc = db_tx_begin(run->db)) < 0)
        return rc;
    if ((rc = demo_members_create(run)) < 0 || (rc = demo_profiles_create(run)) < 0 ||
        (rc = demo_follows_create(run)) < 0 || (rc = demo_feed_create(run)) < 0 ||
        (rc = demo_groups_create(run)) < 0) {
        db_tx_rollback(run->db);
        return rc;
    }
    return db_tx_commit(run->db);
}

/* Everything after the instance is open.  Returns the exit code. */
static int demo_run_all(struct demo_run *run, const char *base_url)
{
    const char *path = arena_printf(&run->a, "%s/%s", run->dir, DEMO_CREDENTIALS_FILE);
    int fd, rc;

    if ((rc = demo_members_exist(run)) != 0) {
        if (rc > 0)
            fprintf(stderr,
                    "ruche demo : l'organisation de démonstration existe déjà dans %s"
                    " (voir %s)\n",
                    run->dir, path);
        else
            fprintf(stderr, "ruche demo : lecture des comptes impossible (%s)\n", err_name(rc));
        return 1;
    }
    if (demo_password_new(run->admin_password) < 0 ||
        demo_password_new(run->members_password) < 0) {
        fputs("ruche demo : aucun mot de passe aléatoire n'est accepté par la politique"
              " de mots de passe\n",
              stderr);
        return 1;
    }
    if ((fd = demo_credentials_open(path)) < 0)
        return 1;
    if ((rc = demo_parts_create(run)) < 0) {
        fprintf(stderr, "ruche demo : rien n'a été créé (%s)\n", err_name(rc));
        close(fd);
        unlink(path);
        return 1;
    }
    rc = demo_credentials_write(run, fd, path);
    demo_report_print(run, base_url, rc < 0 ? NULL : path);
    return rc < 0 ? 1 : 0;
}

int cmd_demo(int argc, char **argv)
{
    struct app app = {0};
    struct demo_run run = {0};
    const char *dir = NULL;
    int rc;

    if ((rc = demo_args_parse(argc, argv, &dir)) >= 0)
        return rc;
    if (sodium_init() < 0) {
        fputs("ruche demo : libsodium ne s'initialise pas\n", stderr);
        return 1;
    }
    if (cli_open(&app, dir, &run.db) != 0)
        return 1;
    arena_init(&run.a);
    run.dir = dir;
    run.now_ms = time_now_ms();
    run.is_tty = isatty(STDERR_FILENO);
    run.admin_email = demo_person_email(&run.a, demo_person_admin());
    rc = demo_run_all(&run, app.base_url ? app.base_url : "");
    arena_clear(&run.a);
    sodium_memzero(run.admin_password, sizeof(run.admin_password));
    sodium_memzero(run.members_password, sizeof(run.members_password));
    cli_close(&app, run.db);
    return rc;
}
