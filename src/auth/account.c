/*
 * account.c - members' accounts: creation, look-up, passwords, status.
 *
 * The only file that writes the account table.  E-mails are stored
 * lower-case and trimmed.  Checking a password takes the same time whether
 * or not the e-mail exists, so sign-in does not reveal who is a member.
 * A new account's name, and a change of status, go to the directory's word
 * index (people/name_index.h) in the same transaction.
 */
#include "auth.h"
#include "../core/str.h"
#include "../db/db.h"
#include "../people/name_index.h"

#include <pthread.h>
#include <sodium.h>

static const char *const role_names[] = {
    [ROLE_NONE] = "none",         [ROLE_GUEST] = "guest", [ROLE_MEMBER] = "member",
    [ROLE_ANIMATOR] = "animator", [ROLE_ADMIN] = "admin",
};

const char *auth_role_name(enum role role)
{
    return (unsigned)role < ARRAY_SIZE(role_names) ? role_names[role] : "none";
}

enum role auth_role_parse(const char *name)
{
    for (size_t i = ROLE_GUEST; name && i < ARRAY_SIZE(role_names); i++)
        if (strcmp(role_names[i], name) == 0)
            return (enum role)i;
    return ROLE_NONE;
}

char *auth_email_normalise(struct arena *a, const char *email)
{
    size_t n;
    const char *s = str_trim(email, &n);
    char *copy;
    const char *at;

    if (n == 0 || n > AUTH_EMAIL_MAX || !str_is_utf8(s, n))
        return NULL;
    copy = arena_strndup(a, s, n);
    at = strchr(copy, '@');
    if (!at || at == copy || strchr(at + 1, '@') || !strchr(at + 1, '.') || at[1] == '.' ||
        copy[n - 1] == '.' || strpbrk(copy, " \t\r\n<>\"'(),;:\\[]"))
        return NULL;
    return str_lower_ascii(a, copy);
}

/* Trimmed display name in a, or NULL when empty, too long or not text. */
static char *name_normalise(struct arena *a, const char *name)
{
    size_t n;
    const char *s = str_trim(name, &n);

    if (n == 0 || !str_is_utf8(s, n) || str_utf8_len(s, n) > AUTH_NAME_MAX)
        return NULL;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
            return NULL;
    return arena_strndup(a, s, n);
}

int auth_account_create(struct db *db, const struct account_new *n, int64_t *id_out)
{
    struct arena a;
    char hash[crypto_pwhash_STRBYTES];
    char *email, *name;
    int64_t id = 0;
    int rc;

    arena_init(&a);
    email = auth_email_normalise(&a, n->email);
    name = name_normalise(&a, n->name);
    rc = ERR_INVALID;
    if (!email || !name || n->role == ROLE_NONE)
        goto out;
    if (n->password && (auth_password_problem(n->password) ||
                        auth_password_hash(n->password, hash, sizeof(hash)) < 0))
        goto out;
    if ((rc = db_tx_begin(db)) < 0)
        goto out;
    rc = db_get_i64(db, &id,
                    "INSERT INTO account(email, name, name_folded, role, status, password_hash,"
                    " must_change_password, job, department, site, created_ms)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                    DB_TEXT(email), DB_TEXT(name), DB_TEXT(str_fold(&a, name)),
                    DB_TEXT(auth_role_name(n->role)), DB_TEXT(n->password ? "active" : "invited"),
                    DB_TEXT(n->password ? hash : NULL), DB_BOOL(n->temporary),
                    DB_TEXT(n->job ? n->job : ""), DB_TEXT(n->department ? n->department : ""),
                    DB_TEXT(n->site ? n->site : ""),
                    DB_I64(n->created_ms ? n->created_ms : time_now_ms()));
    if (rc == 0) /* the directory finds members by the words of their name */
        rc = people_name_index(db, id);
    if (rc < 0) {
        db_tx_rollback(db);
        goto out;
    }
    if ((rc = db_tx_commit(db)) == 0 && id_out)
        *id_out = id;
out:
    sodium_memzero(hash, sizeof(hash));
    arena_clear(&a);
    return rc;
}

static void account_from_row(struct stmt *q, struct arena *a, struct account *out)
{
    out->id = db_i64(q, 0);
    out->email = arena_strdup(a, db_text(q, 1));
    out->name = arena_strdup(a, db_text(q, 2));
    out->role = auth_role_parse(db_text(q, 3));
    out->status = arena_strdup(a, db_text(q, 4));
    out->lang = arena_strdup(a, db_text(q, 5));
    out->job = arena_strdup(a, db_text(q, 6));
    out->department = arena_strdup(a, db_text(q, 7));
    out->site = arena_strdup(a, db_text(q, 8));
    out->must_change_password = db_i64(q, 9) != 0;
    out->has_password = !db_is_null(q, 10);
    out->created_ms = db_i64(q, 11);
}

int auth_account_get(struct db *db, struct arena *a, int64_t id, struct account *out)
{
    struct stmt *q = db_query(db,
                              "SELECT id, email, name, role, status, lang, job, department, site,"
                              /*  0    1      2     3     4       5     6    7           8 */
                              " must_change_password, password_hash, created_ms"
                              /* 9                     10             11 */
                              " FROM account WHERE id = ?",
                              DB_I64(id));
    int rc = ERR_NOTFOUND;

    if (db_row(q)) {
        account_from_row(q, a, out);
        rc = 0;
    }
    int end = db_end(q);
    return end < 0 ? end : rc;
}

int auth_account_by_email(struct db *db, struct arena *a, const char *email, struct account *out)
{
    struct arena tmp;
    char *norm;
    int64_t id = 0;
    int rc;

    arena_init(&tmp);
    norm = auth_email_normalise(&tmp, email);
    rc = norm ? db_get_i64(db, &id, "SELECT id FROM account WHERE email = ?", DB_TEXT(norm))
              : ERR_NOTFOUND;
    arena_clear(&tmp);
    return rc < 0 ? rc : auth_account_get(db, a, id, out);
}

int auth_account_set_password(struct db *db, int64_t id, const char *password, bool temporary)
{
    char hash[crypto_pwhash_STRBYTES];
    int rc;

    if (auth_password_problem(password))
        return ERR_INVALID;
    if ((rc = auth_password_hash(password, hash, sizeof(hash))) < 0)
        return rc;
    /* Setting a password also activates an invited member. */
    rc = db_exec(db,
                 "UPDATE account SET password_hash = ?, must_change_password = ?,"
                 " status = CASE status WHEN 'invited' THEN 'active' ELSE status END"
                 " WHERE id = ?",
                 DB_TEXT(hash), DB_BOOL(temporary), DB_I64(id));
    sodium_memzero(hash, sizeof(hash));
    if (rc == 0 && db_changes(db) == 0)
        rc = ERR_NOTFOUND;
    return rc;
}

int auth_account_set_lang(struct db *db, int64_t id, const char *lang)
{
    return db_exec(db, "UPDATE account SET lang = ? WHERE id = ?", DB_TEXT(lang), DB_I64(id));
}

int auth_account_set_details(struct db *db, int64_t id, const char *name, const char *job,
                             const char *department, const char *site)
{
    struct arena a;
    char *norm;
    int rc = ERR_INVALID;

    arena_init(&a);
    norm = name_normalise(&a, name);
    if (norm) {
        rc = db_exec(db,
                     "UPDATE account SET name = ?, name_folded = ?, job = ?, department = ?,"
                     " site = ? WHERE id = ?",
                     DB_TEXT(norm), DB_TEXT(str_fold(&a, norm)), DB_TEXT(job), DB_TEXT(department),
                     DB_TEXT(site), DB_I64(id));
        if (rc == 0 && db_changes(db) == 0)
            rc = ERR_NOTFOUND;
    }
    arena_clear(&a);
    return rc;
}

int auth_account_set_active(struct db *db, int64_t id, bool active)
{
    int rc;

    if ((rc = db_tx_begin(db)) < 0)
        return rc;
    rc = db_exec(db, "UPDATE account SET status = ? WHERE id = ?",
                 DB_TEXT(active ? "active" : "deactivated"), DB_I64(id));
    if (rc == 0 && db_changes(db) == 0)
        rc = ERR_NOTFOUND;
    if (rc == 0 && !active)
        rc = auth_session_delete_all(db, id);
    if (rc == 0) /* the directory lists no deactivated member */
        rc = people_name_index(db, id);
    if (rc < 0) {
        db_tx_rollback(db);
        return rc;
    }
    return db_tx_commit(db);
}

/* A valid hash, verified when the e-mail is unknown so that both cases take as long. */
static char dummy_hash[crypto_pwhash_STRBYTES];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void dummy_hash_make(void)
{
    auth_password_hash("ruche-timing-equaliser", dummy_hash, sizeof(dummy_hash));
}

int auth_account_check_password(struct db *db, struct arena *a, const char *email,
                                const char *password, struct account *out)
{
    char *hash = NULL;
    int rc = auth_account_by_email(db, a, email, out);

    if (rc == ERR_NOTFOUND || (rc == 0 && !out->has_password)) {
        pthread_once(&dummy_once, dummy_hash_make);
        auth_password_verify(dummy_hash, password);
        return ERR_DENIED;
    }
    if (rc < 0)
        return rc;
    rc = db_get_text(db, a, &hash, "SELECT password_hash FROM account WHERE id = ?",
                     DB_I64(out->id));
    if (rc < 0)
        return rc;
    if (!auth_password_verify(hash, password) || strcmp(out->status, "active") != 0)
        return ERR_DENIED;
    return 0;
}
