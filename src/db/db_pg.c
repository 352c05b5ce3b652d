/*
 * db_pg.c - the PostgreSQL backend of db.h (libpq), for organisations that
 * run several Ruche nodes on one database.
 *
 * The same SQL serves both engines: placeholders '?' are rewritten to $1,
 * $2… when a statement is prepared, and migrations have their few DDL
 * type names translated (INTEGER PRIMARY KEY [AUTOINCREMENT] becomes an identity column,
 * INTEGER becomes BIGINT, BLOB becomes BYTEA).  Parameters are sent in
 * binary (int8, text and bytea, typed from the db_arg), results are read
 * as text.  A cached statement is prepared on the server at its first
 * execution, with the types of that first binding.
 *
 * A lost connection (server restart, failover, network) makes the request
 * that meets it fail with ERR_BUSY, hence a 503; the next time the pool
 * lends the connection it is re-established, and statements are prepared
 * again on the new session.
 *
 * Only this file calls libpq.  It owns no state beyond its connections.
 */
#include "db_internal.h"
#include "../core/buf.h"
#include "../core/log.h"

#include <libpq-fe.h>
#include <poll.h>

/* Type oids of the parameters Ruche sends (pg_type.h). */
#define PG_OID_BYTEA 17
#define PG_OID_INT8 20
#define PG_OID_TEXT 25

struct pg_conn {
    PGconn *conn;
    unsigned generation; /* bumped at each reconnection: prepared statements are gone */
    unsigned next_name;  /* for server-side statement names */
};

struct pg_stmt {
    char *sql; /* rewritten with $n placeholders */
    int nparams;
    bool persistent; /* prepared on the server under name */
    char name[24];
    bool prepared;
    bool reads;          /* cannot change the database: allowed on a read-only connection */
    unsigned generation; /* of the connection it was prepared on */
    const char **values; /* bound parameters (binary) */
    int *lengths;
    Oid *types;
    int *formats;     /* all 1: binary */
    char (*ints)[24]; /* integer parameters, in decimal */
    char **copies;    /* NUL-terminated copies of text given with a length */
    PGresult *res;    /* result of the execution, NULL before */
    int row, nrows;
    int64_t changes;
    struct buf blob; /* decoded bytea of the last column read as a blob */
};

static struct pg_conn *pgc(struct db *db)
{
    return db->conn;
}

static struct pg_stmt *pgs(struct stmt *q)
{
    return q->handle;
}

/* ---- errors ------------------------------------------------------------ */

/* The Ruche error of a failed result; connection failures are ERR_BUSY (503, retry). */
static int err_from_result(struct db *db, const PGresult *res)
{
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;

    if (PQstatus(pgc(db)->conn) != CONNECTION_OK || !state)
        return ERR_BUSY;
    if (strcmp(state, "23505") == 0)
        return ERR_EXISTS;
    if (strncmp(state, "08", 2) == 0 || strcmp(state, "40001") == 0 ||
        strcmp(state, "40P01") == 0 || strncmp(state, "57P", 3) == 0 || strcmp(state, "53300") == 0)
        return ERR_BUSY;
    return ERR_DB;
}

static int report(struct db *db, const char *sql, const PGresult *res, const char *what)
{
    int rc = err_from_result(db, res);
    enum log_level level = rc == ERR_EXISTS ? LOG_DEBUG : rc == ERR_BUSY ? LOG_WARN : LOG_ERROR;
    const char *message = res ? PQresultErrorMessage(res) : PQerrorMessage(pgc(db)->conn);
    char line[512];

    snprintf(line, sizeof(line), "%s", message && *message ? message : "connection lost");
    line[strcspn(line, "\n")] = '\0';
    log_msg(level, "db", what, "sql", sql, "error", line, "code", err_name(rc), NULL);
    return rc;
}

/* ---- SQL rewriting ----------------------------------------------------- */

/*
 * Copy sql into b with each '?' placeholder written $1, $2…, leaving string
 * literals, quoted identifiers and comments alone, except that a block
 * comment whose text starts with "pg:" becomes the SQL after that prefix.
 * Returns the count of placeholders.
 */
static int rewrite_placeholders(const char *sql, struct buf *b)
{
    int n = 0;

    for (const char *p = sql; *p; p++) {
        if (*p == '\'' || *p == '"') {
            const char *end = strchr(p + 1, *p);
            size_t len = end ? (size_t)(end - p) + 1 : strlen(p);
            buf_add(b, p, len);
            p += len - 1;
        } else if (p[0] == '-' && p[1] == '-') {
            size_t len = strcspn(p, "\n");
            buf_add(b, p, len);
            if (!p[len])
                break;
            buf_addch(b, '\n');
            p += len;
        } else if (p[0] == '/' && p[1] == '*') {
            const char *end = strstr(p + 2, "*/");
            size_t len = end ? (size_t)(end - p) + 2 : strlen(p);
            if (end && strncmp(p, "/*pg:", 5) == 0)
                buf_add(b, p + 5, (size_t)(end - p) - 5); /* SQL for PostgreSQL only */
            else
                buf_add(b, p, len);
            p += len - 1;
        } else if (*p == '?') {
            buf_addf(b, "$%d", ++n);
        } else {
            buf_addch(b, *p);
        }
    }
    return n;
}

static bool is_word_char(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

/* SQLite DDL type names and their PostgreSQL forms, longest first. */
static const struct {
    const char *sqlite, *pg;
} ddl_types[] = {
    {"INTEGER PRIMARY KEY AUTOINCREMENT", "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"},
    {"INTEGER PRIMARY KEY", "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"},
    {"INTEGER", "BIGINT"},
    {"BLOB", "BYTEA"},
};

/* The migration script in PostgreSQL's dialect, into b. */
static void translate_ddl(const char *script, struct buf *b)
{
    const char *p = script;

    while (*p) {
        bool replaced = false;

        if (p == script || !is_word_char(p[-1])) {
            for (size_t i = 0; i < ARRAY_SIZE(ddl_types); i++) {
                size_t n = strlen(ddl_types[i].sqlite);
                if (strncmp(p, ddl_types[i].sqlite, n) == 0 && !is_word_char(p[n])) {
                    buf_addstr(b, ddl_types[i].pg);
                    p += n;
                    replaced = true;
                    break;
                }
            }
        }
        if (!replaced)
            buf_addch(b, *p++);
    }
}

static bool starts_with_word(const char *sql, const char *word)
{
    size_t n = strlen(word);

    while (*sql == ' ' || *sql == '\n' || *sql == '(')
        sql++;
    return strncasecmp(sql, word, n) == 0 && !is_word_char(sql[n]);
}

static bool sql_reads(const char *sql)
{
    if (starts_with_word(sql, "SELECT"))
        return strcasestr(sql, "FOR UPDATE") == NULL && strcasestr(sql, "pg_notify") == NULL;
    return starts_with_word(sql, "BEGIN") || starts_with_word(sql, "COMMIT") ||
           starts_with_word(sql, "ROLLBACK");
}

/* ---- statements ---------------------------------------------------------- */

static void pg_finalize(struct stmt *q)
{
    struct pg_stmt *s = pgs(q);

    if (s->res)
        PQclear(s->res);
    if (s->prepared && s->generation == pgc(q->db)->generation &&
        PQstatus(pgc(q->db)->conn) == CONNECTION_OK) {
        char sql[64];
        snprintf(sql, sizeof(sql), "DEALLOCATE %s", s->name);
        PQclear(PQexec(pgc(q->db)->conn, sql));
    }
    free(s->sql);
    free(s->values);
    free(s->lengths);
    free(s->types);
    free(s->formats);
    free(s->ints);
    if (s->copies)
        for (int i = 0; i < s->nparams; i++)
            free(s->copies[i]);
    free(s->copies);
    buf_release(&s->blob);
    free(s);
    q->handle = NULL;
}

static int pg_prepare(struct stmt *q, bool persistent)
{
    struct pg_stmt *s = calloc(1, sizeof(*s));
    struct buf sql = BUF_INIT;

    if (!s)
        return ERR_NOMEM;
    s->nparams = rewrite_placeholders(q->sql, &sql);
    s->sql = buf_detach(&sql, NULL);
    s->reads = sql_reads(s->sql);
    s->persistent = persistent;
    if (persistent)
        snprintf(s->name, sizeof(s->name), "ruche_%u", ++pgc(q->db)->next_name);
    buf_init(&s->blob);
    s->row = -1;
    if (s->nparams > 0) {
        s->values = calloc((size_t)s->nparams, sizeof(*s->values));
        s->lengths = calloc((size_t)s->nparams, sizeof(*s->lengths));
        s->types = calloc((size_t)s->nparams, sizeof(*s->types));
        s->ints = calloc((size_t)s->nparams, sizeof(*s->ints));
        s->copies = calloc((size_t)s->nparams, sizeof(*s->copies));
        s->formats = calloc((size_t)s->nparams, sizeof(*s->formats));
        if (!s->values || !s->lengths || !s->types || !s->ints || !s->formats || !s->copies) {
            q->handle = s;
            pg_finalize(q);
            return ERR_NOMEM;
        }
    }
    q->handle = s;
    return 0;
}

static int pg_bind(struct stmt *q, const struct db_arg *args, size_t nargs)
{
    struct pg_stmt *s = pgs(q);

    if ((size_t)s->nparams != nargs)
        BUG("%zu arguments for %d placeholders in SQL \"%s\"", nargs, s->nparams, q->sql);
    for (size_t i = 0; i < nargs; i++) {
        const struct db_arg *arg = &args[i];

        free(s->copies[i]);
        s->copies[i] = NULL;
        s->formats[i] = 0;
        s->lengths[i] = 0;
        if (arg->type == DB_ARG_NULL || (arg->type != DB_ARG_I64 && !arg->p)) {
            /* An untyped NULL: it fits any column, whatever the statement was prepared with. */
            s->values[i] = NULL;
            if (!s->prepared)
                s->types[i] = 0;
            continue;
        }
        switch (arg->type) {
        case DB_ARG_I64:
            /* In text: the server parses it into whatever integer type it inferred. */
            snprintf(s->ints[i], sizeof(s->ints[i]), "%lld", (long long)arg->i);
            s->values[i] = s->ints[i];
            s->types[i] = PG_OID_INT8;
            break;
        case DB_ARG_TEXT:
            if (arg->n == SIZE_MAX) {
                s->values[i] = arg->p;
            } else {
                s->copies[i] = strndup(arg->p, arg->n);
                if (!s->copies[i])
                    return ERR_NOMEM;
                s->values[i] = s->copies[i];
            }
            s->types[i] = PG_OID_TEXT;
            break;
        case DB_ARG_BLOB:
            s->values[i] = arg->p;
            s->lengths[i] = (int)arg->n;
            s->formats[i] = 1; /* bytea in binary: no escaping */
            s->types[i] = PG_OID_BYTEA;
            break;
        default:
            BUG("argument %zu of type %d in SQL \"%s\"", i + 1, (int)arg->type, q->sql);
        }
    }
    return 0;
}

/* Prepare on the server if needed (first use, or a new session after reconnection). */
static int ensure_prepared(struct stmt *q)
{
    struct pg_stmt *s = pgs(q);
    struct pg_conn *c = pgc(q->db);
    PGresult *res;

    if (!s->persistent || (s->prepared && s->generation == c->generation))
        return 0;
    res = PQprepare(c->conn, s->name, s->sql, s->nparams, s->types);
    if (PQresultStatus(res) != PGRES_COMMAND_OK) {
        int rc = report(q->db, q->sql, res, "prepare failed");
        PQclear(res);
        return rc;
    }
    PQclear(res);
    s->prepared = true;
    s->generation = c->generation;
    return 0;
}

static int execute(struct stmt *q)
{
    struct pg_stmt *s = pgs(q);
    PGconn *conn = pgc(q->db)->conn;
    int rc;

    if ((rc = ensure_prepared(q)) < 0)
        return rc;
    if (s->persistent)
        s->res = PQexecPrepared(conn, s->name, s->nparams, s->values, s->lengths, s->formats, 0);
    else
        s->res =
            PQexecParams(conn, s->sql, s->nparams, s->types, s->values, s->lengths, s->formats, 0);
    switch (PQresultStatus(s->res)) {
    case PGRES_TUPLES_OK:
    case PGRES_COMMAND_OK:
        s->nrows = PQntuples(s->res);
        s->changes = strtoll(PQcmdTuples(s->res), NULL, 10);
        s->row = -1;
        return 0;
    default:
        return report(q->db, q->sql, s->res, "statement failed");
    }
}

static int pg_step(struct stmt *q)
{
    struct pg_stmt *s = pgs(q);
    int rc;

    if (!s->res && (rc = execute(q)) < 0)
        return rc;
    if (s->row + 1 >= s->nrows)
        return 0;
    s->row++;
    return 1;
}

static void pg_reset(struct stmt *q)
{
    struct pg_stmt *s = pgs(q);

    if (s->res)
        PQclear(s->res);
    s->res = NULL;
    s->row = -1;
    s->nrows = 0;
    buf_reset(&s->blob);
}

static int pg_column_count(struct stmt *q)
{
    return PQnfields(pgs(q)->res);
}

static int64_t pg_column_i64(struct stmt *q, int col)
{
    struct pg_stmt *s = pgs(q);

    if (PQgetisnull(s->res, s->row, col))
        return 0;
    return strtoll(PQgetvalue(s->res, s->row, col), NULL, 10);
}

static const char *pg_column_text(struct stmt *q, int col, size_t *len)
{
    struct pg_stmt *s = pgs(q);

    if (PQgetisnull(s->res, s->row, col)) {
        *len = 0;
        return NULL;
    }
    *len = (size_t)PQgetlength(s->res, s->row, col);
    return PQgetvalue(s->res, s->row, col);
}

static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* bytea arrives as text "\x4142…": decoded into the statement's buffer. */
static const void *pg_column_blob(struct stmt *q, int col, size_t *len)
{
    struct pg_stmt *s = pgs(q);
    const char *text;
    size_t n;

    *len = 0;
    if (PQgetisnull(s->res, s->row, col))
        return NULL;
    text = PQgetvalue(s->res, s->row, col);
    n = (size_t)PQgetlength(s->res, s->row, col);
    if (PQftype(s->res, col) != PG_OID_BYTEA || n < 2 || text[0] != '\\' || text[1] != 'x') {
        *len = n;
        return text;
    }
    buf_reset(&s->blob);
    for (size_t i = 2; i + 1 < n; i += 2) {
        int hi = hex_value(text[i]), lo = hex_value(text[i + 1]);
        if (hi < 0 || lo < 0)
            break;
        buf_addch(&s->blob, (char)(hi << 4 | lo));
    }
    *len = s->blob.len;
    return s->blob.s;
}

static int64_t pg_changes(struct stmt *q)
{
    return pgs(q)->changes;
}

/* ---- connection ------------------------------------------------------------ */

static int pg_exec_script(struct db *db, const char *script)
{
    struct buf ddl = BUF_INIT;
    PGresult *res;
    int rc = 0;

    translate_ddl(script, &ddl);
    res = PQexec(pgc(db)->conn, ddl.s);
    if (PQresultStatus(res) != PGRES_COMMAND_OK && PQresultStatus(res) != PGRES_TUPLES_OK)
        rc = report(db, "(migration script)", res, "script failed");
    PQclear(res);
    buf_release(&ddl);
    return rc;
}

static int pg_tx_begin(struct db *db)
{
    return db_exec(db, "BEGIN");
}

static int pg_tx_state(struct db *db)
{
    switch (PQtransactionStatus(pgc(db)->conn)) {
    case PQTRANS_INTRANS:
    case PQTRANS_ACTIVE:
        return DB_TX_OPEN;
    case PQTRANS_INERROR:
        return DB_TX_FAILED;
    default:
        return DB_TX_IDLE;
    }
}

/* Statements that read: SELECT (without a locking clause) and transaction control. */
static bool pg_is_read_only(struct stmt *q)
{
    return pgs(q)->reads;
}

/*
 * Connect with a 5 s timeout unless the URL sets its own: a server that
 * does not answer must give a 503 soon, not hang a request.  Keywords
 * after the expanded URL would override it, so the default comes first.
 */
static PGconn *connect_url(const char *url)
{
    const char *const keywords[] = {"connect_timeout", "dbname", NULL};
    const char *const values[] = {"5", url, NULL};

    return PQconnectdbParams(keywords, values, 1);
}

/* Notices ("relation already exists, skipping") are not worth a log line. */
static void ignore_notice(void *arg, const char *message)
{
    (void)arg;
    (void)message;
}

static int session_setup(struct db *db)
{
    PGresult *res = PQexec(pgc(db)->conn, "SET client_encoding = 'UTF8'; SET TIME ZONE 'UTC'");
    int rc = PQresultStatus(res) == PGRES_COMMAND_OK ? 0 : report(db, "SET", res, "setup failed");

    PQclear(res);
    return rc;
}

static void pg_check(struct db *db)
{
    struct pg_conn *c = pgc(db);

    if (PQstatus(c->conn) == CONNECTION_OK)
        return;
    PQreset(c->conn);
    c->generation++;
    if (PQstatus(c->conn) != CONNECTION_OK) {
        log_msg(LOG_WARN, "db", "PostgreSQL unreachable", "error", PQerrorMessage(c->conn), NULL);
        return;
    }
    log_msg(LOG_INFO, "db", "PostgreSQL connection re-established", NULL);
    session_setup(db);
}

static int pg_open(struct db *db, const char *url)
{
    struct pg_conn *c = calloc(1, sizeof(*c));
    int rc;

    if (!c)
        return ERR_NOMEM;
    c->conn = connect_url(url);
    c->generation = 1;
    db->conn = c;
    if (PQstatus(c->conn) != CONNECTION_OK) {
        char line[512];
        snprintf(line, sizeof(line), "%s", PQerrorMessage(c->conn));
        line[strcspn(line, "\n")] = '\0';
        log_msg(LOG_ERROR, "db", "cannot connect to PostgreSQL", "error", line, NULL);
        PQfinish(c->conn);
        free(c);
        db->conn = NULL;
        return ERR_BUSY;
    }
    PQsetNoticeProcessor(c->conn, ignore_notice, NULL);
    if ((rc = session_setup(db)) < 0) {
        PQfinish(c->conn);
        free(c);
        db->conn = NULL;
    }
    return rc;
}

static void pg_close(struct db *db)
{
    PQfinish(pgc(db)->conn);
    free(db->conn);
    db->conn = NULL;
}

static int pg_notify(struct db *db, const char *channel)
{
    return db_exec(db, "SELECT pg_notify(?, '')", DB_TEXT(channel));
}

/* ---- listeners ---------------------------------------------------------------- */

struct db_listener {
    PGconn *conn;
    char *url;
    char channel[64];
};

/* LISTEN on a fresh or re-established connection. */
static int listen_start(struct db_listener *l)
{
    char sql[96];
    PGresult *res;
    int ok;

    snprintf(sql, sizeof(sql), "LISTEN \"%s\"", l->channel);
    res = PQexec(l->conn, sql);
    ok = PQresultStatus(res) == PGRES_COMMAND_OK;
    PQclear(res);
    return ok ? 0 : ERR_BUSY;
}

int db_pg_listener_open(const char *url, const char *channel, struct db_listener **out)
{
    struct db_listener *l = calloc(1, sizeof(*l));

    if (!l)
        return ERR_NOMEM;
    for (const char *p = channel; *p; p++)
        if (!is_word_char(*p) || p - channel >= (ptrdiff_t)sizeof(l->channel) - 1)
            BUG("bad channel name \"%s\"", channel);
    snprintf(l->channel, sizeof(l->channel), "%s", channel);
    l->url = strdup(url);
    l->conn = connect_url(url);
    if (!l->url || PQstatus(l->conn) != CONNECTION_OK || listen_start(l) < 0) {
        log_msg(LOG_ERROR, "db", "cannot listen on PostgreSQL", "channel", channel, NULL);
        db_pg_listener_close(l);
        return ERR_BUSY;
    }
    PQsetNoticeProcessor(l->conn, ignore_notice, NULL);
    *out = l;
    return 0;
}

int db_pg_listener_wait(struct db_listener *l, int timeout_ms)
{
    struct pollfd pfd;
    PGnotify *n;
    int notified = 0;

    if (PQstatus(l->conn) != CONNECTION_OK) {
        PQreset(l->conn);
        if (PQstatus(l->conn) != CONNECTION_OK || listen_start(l) < 0) {
            poll(NULL, 0, timeout_ms); /* do not spin while the server is away */
            return ERR_BUSY;
        }
        log_msg(LOG_INFO, "db", "listening again after a lost connection", NULL);
        return ERR_BUSY; /* what was notified meanwhile is lost: catch up */
    }
    pfd.fd = PQsocket(l->conn);
    pfd.events = POLLIN;
    if (poll(&pfd, 1, timeout_ms) > 0 && PQconsumeInput(l->conn) == 0)
        return ERR_BUSY;
    while ((n = PQnotifies(l->conn)) != NULL) {
        notified = 1;
        PQfreemem(n);
    }
    return notified;
}

void db_pg_listener_close(struct db_listener *l)
{
    PQfinish(l->conn);
    free(l->url);
    free(l);
}

const struct db_backend db_pg_backend = {
    .name = "postgresql",
    .open = pg_open,
    .close = pg_close,
    .prepare = pg_prepare,
    .finalize = pg_finalize,
    .bind = pg_bind,
    .step = pg_step,
    .reset = pg_reset,
    .column_count = pg_column_count,
    .column_i64 = pg_column_i64,
    .column_text = pg_column_text,
    .column_blob = pg_column_blob,
    .changes = pg_changes,
    .exec_script = pg_exec_script,
    .tx_begin = pg_tx_begin,
    .tx_state = pg_tx_state,
    .is_read_only = pg_is_read_only,
    .check = pg_check,
    .notify = pg_notify,
};
