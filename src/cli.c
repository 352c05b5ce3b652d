/*
 * cli.c - helpers shared by the `ruche` subcommands.
 */
#include "cli.h"
#include "db/db.h"

#include <termios.h>
#include <unistd.h>

const char *cli_data_dir(const char *option)
{
    const char *env = getenv("RUCHE_DATA");

    if (option && *option)
        return option;
    return env && *env ? env : NULL;
}

int cli_usage_error(const char *cmd, const char *usage, const char *message)
{
    fprintf(stderr, "ruche %s : %s\nUsage : ruche %s\n(ruche %s --help pour l'aide)\n", cmd,
            message, usage, cmd);
    return 2;
}

int cli_open(struct app *app, const char *dir, struct db **db)
{
    if (!app_instance_exists(dir)) {
        fprintf(stderr,
                "ruche : aucune instance dans %s (créez-la avec « ruche init --data %s »)\n", dir,
                dir);
        return 1;
    }
    if (app_open(app, dir, 1) < 0) {
        fprintf(stderr, "ruche : impossible d'ouvrir l'instance %s\n", dir);
        return 1;
    }
    *db = db_pool_acquire(app->pool);
    return 0;
}

void cli_close(struct app *app, struct db *db)
{
    db_pool_release(app->pool, db);
    app_close(app);
}

/* One line of standard input without its newline; false at end of input. */
static bool read_line(char *out, size_t size)
{
    size_t n;

    if (!fgets(out, (int)size, stdin))
        return false;
    n = strcspn(out, "\r\n");
    if (out[n] == '\0' && n == size - 1)
        return false; /* longer than the buffer */
    out[n] = '\0';
    return true;
}

static bool read_hidden(const char *prompt, char *out, size_t size)
{
    struct termios old, quiet;
    bool ok;

    fputs(prompt, stderr);
    tcgetattr(STDIN_FILENO, &old);
    quiet = old;
    quiet.c_lflag &= ~(tcflag_t)ECHO;
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
    ok = read_line(out, size);
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
    fputc('\n', stderr);
    return ok;
}

int cli_read_password(char *out, size_t size)
{
    char again[512];

    if (!isatty(STDIN_FILENO)) {
        if (!read_line(out, size)) {
            fprintf(stderr, "ruche : mot de passe attendu sur l'entrée standard (une ligne)\n");
            return 1;
        }
        return 0;
    }
    if (!read_hidden("Mot de passe : ", out, size) ||
        !read_hidden("Mot de passe (encore) : ", again, sizeof(again))) {
        fprintf(stderr, "ruche : mot de passe non lu\n");
        return 1;
    }
    if (strcmp(out, again) != 0) {
        fprintf(stderr, "ruche : les deux mots de passe diffèrent\n");
        return 1;
    }
    return 0;
}
