/*
 * people_directory.c - the directory: its index of name words and its
 * search (people_directory(), people_directory_profiles()).
 *
 * The only file that touches person_word and person_word_pending
 * (migration 0008).  Each word of the folded name of each member who is not
 * deactivated is a row (word, name_folded, account_id); words are BLOBs of
 * UTF-8 bytes, compared byte by byte on both engines, so the words starting
 * with "hel" are one index range, word >= 'hel' AND word < 'hem', and the
 * rows of that range carry the directory's sort key.  A search takes the
 * words of the query (folded and split as names are), drops those that
 * start another query word ("mar" adds nothing to "martin"), and asks that
 * each remaining word start some word of the name: the longest one drives
 * the query (a range of person_word's primary key), the others are EXISTS
 * probes of person_word_account.  The matches are sorted by (folded name,
 * id), the directory's order, keeping only the top rows, and paginated by
 * key; the cost is the number of members whose name has a word starting
 * with the first word.  Without a query the directory walks
 * account_name_folded in order instead.
 *
 * A filter on a field matches only members whose field the viewer may see:
 * the owner, an administrator, a visibility of 'everyone', or 'communities'
 * when the viewer (not a guest) shares a community with the member
 * (GROUPS_SHARE_SQL, the rule of people_share_community()).  The list query
 * also returns each row's photo and, for the API, the whole profile and the
 * follow counts, so that a page of the directory costs one query (the API:
 * one more per PEOPLE_SKILLS_BATCH members, for their skills).
 *
 * State: none.
 */
#include "people.h"
#include "name_index.h"
#include "photo.h"
#include "../auth/auth.h"
#include "../core/log.h"
#include "../core/str.h"
#include "../db/db.h"
#include "../groups/groups.h"

#define PEOPLE_BACKFILL_BATCH 500 /* accounts indexed per transaction */
#define PEOPLE_SKILLS_BATCH 10    /* members whose skills one query loads */

/* ---- words ------------------------------------------------------------------------ */

/* Length of the UTF-8 sequence starting with byte c (1 for a stray byte). */
static size_t seq_len(unsigned char c)
{
    return c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
}

/* The character at p (len bytes, all present) separates words as a space. */
static bool is_space(const unsigned char *p, size_t len)
{
    if (len == 1)
        return p[0] <= 0x20;
    if (len == 2)
        return p[0] == 0xc2 && p[1] == 0xa0; /* no-break space */
    if (len == 3 && p[0] == 0xe2 && p[1] == 0x80)
        return p[2] <= 0x8b || p[2] == 0xaf;                         /* U+2000..U+200B, U+202F */
    return len == 3 && p[0] == 0xe3 && p[1] == 0x80 && p[2] == 0x80; /* U+3000 */
}

/* The character at p (len bytes) separates words as punctuation (inside a joined part). */
static bool is_punctuation(const unsigned char *p, size_t len)
{
    if (len == 1)
        return !((p[0] >= 'a' && p[0] <= 'z') || (p[0] >= 'A' && p[0] <= 'Z') ||
                 (p[0] >= '0' && p[0] <= '9') || p[0] >= 0x80);
    if (len == 2) /* U+00A1..U+00BF, multiplication and division signs */
        return (p[0] == 0xc2 && p[1] >= 0xa1) || (p[0] == 0xc3 && (p[1] == 0x97 || p[1] == 0xb7));
    return len == 3 && p[0] == 0xe2 && (p[1] == 0x80 || p[1] == 0x81); /* U+2000..U+207F */
}

struct words {
    const char **items;
    size_t len;
};

static void word_add(struct arena *a, struct words *w, const char *s, size_t n)
{
    if (n == 0 || w->len == PEOPLE_NAME_WORDS_MAX)
        return;
    for (size_t i = 0; i < w->len; i++)
        if (strlen(w->items[i]) == n && memcmp(w->items[i], s, n) == 0)
            return;
    w->items[w->len++] = arena_strndup(a, s, n);
}

size_t people_name_words(struct arena *a, const char *text, bool joined, const char ***words)
{
    const unsigned char *p = (const unsigned char *)str_fold(a, text ? text : "");
    struct words w = {arena_array(a, PEOPLE_NAME_WORDS_MAX, sizeof(char *)), 0};
    size_t cap = strlen((const char *)p) + 1;
    char *part = arena_alloc(a, cap); /* the current space-separated part, punctuation removed */
    size_t part_len = 0, pieces = 0, start = 0, i = 0;

    for (;;) {
        size_t len = p[i] ? seq_len(p[i]) : 1;
        bool end, cut;

        for (size_t k = 1; k < len; k++)
            if (!p[i + k]) { /* a sequence cut short by the end: its bytes are letters */
                len = k;
                break;
            }
        end = !p[i] || is_space(p + i, len);
        cut = end || is_punctuation(p + i, len);
        if (cut) {
            if (i > start) {
                word_add(a, &w, (const char *)p + start, i - start);
                pieces++;
            }
            start = i + len;
        } else {
            memcpy(part + part_len, p + i, len);
            part_len += len;
        }
        if (end) {
            if (joined && pieces > 1)
                word_add(a, &w, part, part_len);
            part_len = pieces = 0;
            if (!p[i])
                break;
        }
        i += len;
    }
    *words = w.items;
    return w.len;
}

/* ---- the index ----------------------------------------------------------------------- */

static int index_write(struct db *db, int64_t account_id)
{
    struct arena a;
    const char **words;
    char *name = NULL;
    size_t n = 0;
    int rc;

    arena_init(&a);
    rc = db_get_text(db, &a, &name,
                     "SELECT name_folded FROM account WHERE id = ? AND status <> 'deactivated'",
                     DB_I64(account_id));
    if (rc == 0 && name)
        n = people_name_words(&a, name, true, &words);
    if (rc == 0 || rc == ERR_NOTFOUND)
        rc = db_exec(db, "DELETE FROM person_word WHERE account_id = ?", DB_I64(account_id));
    for (size_t i = 0; rc == 0 && i < n; i++)
        rc = db_exec(db, "INSERT INTO person_word(word, name_folded, account_id) VALUES (?, ?, ?)",
                     DB_BLOB(words[i], strlen(words[i])), DB_TEXT(name), DB_I64(account_id));
    if (rc == 0)
        rc =
            db_exec(db, "DELETE FROM person_word_pending WHERE account_id = ?", DB_I64(account_id));
    arena_clear(&a);
    return rc;
}

int people_name_index(struct db *db, int64_t account_id)
{
    int rc;

    if ((rc = db_tx_begin(db)) < 0)
        return rc;
    if ((rc = index_write(db, account_id)) < 0) {
        db_tx_rollback(db);
        return rc;
    }
    return db_tx_commit(db);
}

/* Index up to PEOPLE_BACKFILL_BATCH pending accounts in one transaction; *done gets how many. */
static int backfill_batch(struct db *db, size_t *done)
{
    int64_t ids[PEOPLE_BACKFILL_BATCH];
    struct stmt *q;
    size_t n = 0;
    int rc;

    *done = 0;
    if ((rc = db_tx_begin(db)) < 0)
        return rc;
    q = db_query(db, "SELECT account_id FROM person_word_pending ORDER BY account_id LIMIT ?",
                 DB_INT(PEOPLE_BACKFILL_BATCH));
    while (db_row(q) && n < PEOPLE_BACKFILL_BATCH)
        ids[n++] = db_i64(q, 0);
    rc = db_end(q);
    /* Each is removed from the list, even an account that is gone: the loop always ends. */
    for (size_t i = 0; rc == 0 && i < n; i++)
        rc = index_write(db, ids[i]);
    if (rc < 0) {
        db_tx_rollback(db);
        return rc;
    }
    *done = n;
    return db_tx_commit(db);
}

int people_name_index_backfill(struct db *db)
{
    size_t done, total = 0;
    int rc;

    do {
        if ((rc = backfill_batch(db, &done)) < 0) {
            log_error("people", "cannot index member names", "error", err_name(rc), NULL);
            return rc;
        }
        total += done;
    } while (done == PEOPLE_BACKFILL_BATCH);
    if (total > 0) {
        char count[24];
        snprintf(count, sizeof(count), "%zu", total);
        log_info("people", "member names indexed for the directory", "accounts", count, NULL);
    }
    return 0;
}

/* ---- the query's words ------------------------------------------------------------------ */

/* A query word as a range of the index: lo <= word < hi (both n bytes). */
struct word_range {
    const char *lo, *hi;
    size_t n;
};

/* [w, w with its last byte incremented): every word starting with w.  w is valid UTF-8, whose
 * bytes are never 0xff, so the increment never overflows. */
static struct word_range range_of(struct arena *a, const char *w)
{
    size_t n = strlen(w);
    char *hi = arena_strndup(a, w, n);

    hi[n - 1] = (char)((unsigned char)hi[n - 1] + 1);
    return (struct word_range){w, hi, n};
}

/*
 * The ranges of q's words, longest first, without the words that start another one; at most
 * PEOPLE_QUERY_WORDS_MAX (ERR_TOOBIG beyond).  0 ranges for a query without a word.
 */
static int query_ranges(struct arena *a, const char *q, struct word_range *out, size_t *len)
{
    const char **words;
    size_t n = people_name_words(a, q, false, &words);

    *len = 0;
    for (size_t i = 0; i < n; i++) {
        bool implied = false;
        /* Words are distinct: one that starts another is shorter, and adds nothing. */
        for (size_t j = 0; j < n && !implied; j++)
            implied = j != i && str_starts_with(words[j], words[i]);
        if (implied)
            continue;
        if (*len == PEOPLE_QUERY_WORDS_MAX)
            return ERR_TOOBIG;
        out[(*len)++] = range_of(a, words[i]);
    }
    /* Longest first (insertion sort of at most PEOPLE_QUERY_WORDS_MAX). */
    for (size_t i = 1; i < *len; i++)
        for (size_t j = i; j > 0 && out[j].n > out[j - 1].n; j--) {
            struct word_range t = out[j];
            out[j] = out[j - 1];
            out[j - 1] = t;
        }
    return 0;
}

/* ---- the list query ---------------------------------------------------------------------- */

/*
 * The columns of a directory row: 0 id, 1 name, 2 job, 3 department, 4 site, 5 status,
 * 6 job_visibility, 7 department_visibility, 8 site_visibility (those of
 * people_summary_from_row()), 9 photo_64, 10 photo_visibility, then for the API 11
 * photo_256, 12 email, 13 role, 14 created_ms, 15 phone, 16 birthday, 17 bio, 18
 * phone_visibility, 19 birthday_visibility, 20 skills_visibility, 21 bio_visibility, 22
 * followers, 23 following.  The two parameters say whether to count followers and
 * followed members (API only).  The columns are read for the rows of the page only: the
 * subquery "page" finds, sorts and cuts the page on (name_folded, id) alone, then the
 * outer query reads those rows.
 */
#define DIRECTORY_SELECT                                                                           \
    "SELECT a.id, a.name, a.job, a.department, a.site, a.status,"                                  \
    " p.job_visibility, p.department_visibility, p.site_visibility,"                               \
    " p.photo_64, p.photo_visibility, p.photo_256, a.email, a.role, a.created_ms,"                 \
    " p.phone, p.birthday, p.bio, p.phone_visibility, p.birthday_visibility,"                      \
    " p.skills_visibility, p.bio_visibility,"                                                      \
    " CASE WHEN ? = 1 THEN (SELECT COUNT(*) FROM follow f JOIN account b ON b.id = f.follower_id"  \
    "   WHERE f.followed_id = a.id AND b.status <> 'deactivated') ELSE 0 END,"                     \
    " CASE WHEN ? = 1 THEN (SELECT COUNT(*) FROM follow f JOIN account b ON b.id = f.followed_id"  \
    "   WHERE f.follower_id = a.id AND b.status <> 'deactivated') ELSE 0 END"                      \
    " FROM ("

#define COL_PHOTO 9

/* Does the viewer (its argument) share a community with member a?  (groups.h) */
#define SHARES_A GROUPS_SHARE_SQL("a.id")

/* The filters on fields, on account a and profile p: each matches only where v may see it
 * (people_field_visible(): 'communities' for members sharing a community, SHARES_A). */
#define FIELD_FILTERS                                                                              \
    "   AND (? = '' OR (a.department = ? AND (a.id = ? OR ? = 1"                                   \
    "        OR COALESCE(p.department_visibility, 'everyone') = 'everyone'"                        \
    "        OR (p.department_visibility = 'communities' AND ? = 1"                                \
    "            AND " SHARES_A "))))"                                                             \
    "   AND (? = '' OR (a.site = ? AND (a.id = ? OR ? = 1"                                         \
    "        OR COALESCE(p.site_visibility, 'everyone') = 'everyone'"                              \
    "        OR (p.site_visibility = 'communities' AND ? = 1"                                      \
    "            AND " SHARES_A "))))"                                                             \
    "   AND (? = '' OR (EXISTS (SELECT 1 FROM skill s WHERE s.account_id = a.id"                   \
    "                           AND s.name_folded = ?)"                                            \
    "        AND (a.id = ? OR ? = 1"                                                               \
    "        OR COALESCE(p.skills_visibility, 'everyone') = 'everyone'"                            \
    "        OR (p.skills_visibility = 'communities' AND ? = 1"                                    \
    "            AND " SHARES_A "))))"

/* The arguments of one field's filter: the value twice, then who v is. */
#define FIELD_ARGS(value, v, admin)                                                                \
    DB_TEXT(value), DB_TEXT(value), DB_I64((v)->id), DB_BOOL(admin),                               \
        DB_BOOL((v)->role >= ROLE_MEMBER), DB_I64((v)->id)

#define FILTER_ARGS(dept, site, skill, v, admin)                                                   \
    FIELD_ARGS(dept, v, admin), FIELD_ARGS(site, v, admin), FIELD_ARGS(skill, v, admin)

/* After the page's subquery (its rows: name_folded, id), the rows themselves. */
#define PAGE_ROWS                                                                                  \
    ") page CROSS JOIN account a LEFT JOIN profile p ON p.account_id = a.id"                       \
    " WHERE a.id = page.id AND a.status <> 'deactivated' ORDER BY page.name_folded, page.id"

/* One more query word must start a word of x.account_id's name, unless its flag is 0. */
#define WORD_PROBE                                                                                 \
    "   AND (? = 0 OR EXISTS (SELECT 1 FROM person_word w WHERE w.account_id = x.account_id"       \
    "        AND w.word >= ? AND w.word < ?))"

#define WORD_ARGS(r, on) DB_BOOL(on), DB_BLOB((r).lo, (r).n), DB_BLOB((r).hi, (r).n)
_Static_assert(PEOPLE_QUERY_WORDS_MAX == 8, "the query has one WORD_PROBE per word but the first");

static const char *or_empty(const char *s)
{
    return s ? s : "";
}

/*
 * The query of the next rows of a page after f->after_id, or NULL with *rc set: ERR_TOOBIG
 * for too many query words, 0 when the query cannot match anybody.  *asked receives the
 * LIMIT it uses: rows without a query; with one, twice as many, since a member may come
 * more than once (see page_read()).
 *
 * Without a query, the page walks account_name_folded in the directory's order, testing
 * the filters, until it has its rows.  With one, the first (longest) word's range of
 * person_word gives the candidates with their name_folded, so that they are sorted
 * without reading their accounts; the other words are probes of person_word_account, and
 * the accounts (with their profiles) are read only when a filter on a field is set.
 */
static struct stmt *directory_query(struct db *db, struct arena *a, const struct viewer *v,
                                    const struct people_filter *f, size_t rows, bool counts,
                                    size_t *asked, int *rc)
{
    const char *dept = or_empty(f->department), *site = or_empty(f->site);
    const char *skill = f->skill && *f->skill ? str_fold(a, f->skill) : "";
    struct word_range w[PEOPLE_QUERY_WORDS_MAX], none = {"", "", 0};
    bool admin = v->role == ROLE_ADMIN;
    size_t n = 0;

    *rc = 0;
    if (f->q && !str_is_utf8(f->q, strlen(f->q)))
        return NULL; /* no name is invalid UTF-8 */
    if (f->q && (*rc = query_ranges(a, f->q, w, &n)) < 0)
        return NULL;
    for (size_t i = n; i < PEOPLE_QUERY_WORDS_MAX; i++)
        w[i] = none;
    *asked = n == 0 ? rows : 2 * rows;
    if (n == 0)
        return db_query(db,
                        DIRECTORY_SELECT
                        " SELECT a.name_folded, a.id"
                        "  FROM account a LEFT JOIN profile p ON p.account_id = a.id"
                        "  WHERE a.status <> 'deactivated'" FIELD_FILTERS
                        "   AND (? = 0 OR (a.name_folded, a.id) >"
                        "                 (SELECT name_folded, id FROM account WHERE id = ?))"
                        "  ORDER BY a.name_folded, a.id LIMIT ?" PAGE_ROWS
                        " /*scan-ok: walks account_name_folded in order until the page is full*/",
                        DB_BOOL(counts), DB_BOOL(counts), FILTER_ARGS(dept, site, skill, v, admin),
                        DB_I64(f->after_id), DB_I64(f->after_id), DB_I64(rows));
    return db_query(db,
                    DIRECTORY_SELECT
                    " SELECT x.name_folded, x.account_id AS id FROM person_word x"
                    "  WHERE x.word >= ? AND x.word < ?" WORD_PROBE WORD_PROBE WORD_PROBE WORD_PROBE
                        WORD_PROBE WORD_PROBE WORD_PROBE
                    "   AND ((? = '' AND ? = '' AND ? = '') OR EXISTS (SELECT 1"
                    "        FROM account a LEFT JOIN profile p ON p.account_id = a.id"
                    "        WHERE a.id = x.account_id" FIELD_FILTERS "))"
                    "   AND (? = 0 OR (x.name_folded, x.account_id) >"
                    "                 (SELECT name_folded, id FROM account WHERE id = ?))"
                    "  ORDER BY x.name_folded, x.account_id LIMIT ?" PAGE_ROWS
                    " /*sort-ok: the (name, id) of the members the words match, top rows only*/",
                    DB_BOOL(counts), DB_BOOL(counts), DB_BLOB(w[0].lo, w[0].n),
                    DB_BLOB(w[0].hi, w[0].n), WORD_ARGS(w[1], n > 1), WORD_ARGS(w[2], n > 2),
                    WORD_ARGS(w[3], n > 3), WORD_ARGS(w[4], n > 4), WORD_ARGS(w[5], n > 5),
                    WORD_ARGS(w[6], n > 6), WORD_ARGS(w[7], n > 7), DB_TEXT(dept), DB_TEXT(site),
                    DB_TEXT(skill), FILTER_ARGS(dept, site, skill, v, admin), DB_I64(f->after_id),
                    DB_I64(f->after_id), DB_I64(*asked));
}

/* Fill the item at out from the current row of q. */
typedef void row_read_fn(struct db *db, struct arena *a, const struct viewer *v, struct stmt *q,
                         void *out);

/*
 * Read one page of limit items of item_size bytes into *items, with read(), and the cursor
 * of the next page into *next (0 at the end).  A member whose name has two words starting
 * with the first query word comes twice, one row after the other: the query leaves out
 * DISTINCT, which would store every match in a temporary table, and lets SQLite keep only
 * its top rows while sorting; the repeated rows are skipped here.  When they leave the page
 * short, the query runs again after its last member.
 */
static int page_read(struct db *db, struct arena *a, const struct viewer *v,
                     const struct people_filter *f, size_t limit, bool counts, size_t item_size,
                     row_read_fn *read, void **items, size_t *len, int64_t *next)
{
    struct people_filter from = *f;
    char *out = arena_array(a, limit + 1, item_size);
    int64_t *ids = arena_array(a, limit + 1, sizeof(*ids));
    size_t n = 0;
    int rc;

    *items = out;
    *len = 0;
    *next = 0;
    for (;;) {
        size_t rows = 0, asked = 0;
        struct stmt *q = directory_query(db, a, v, &from, limit + 1, counts, &asked, &rc);

        if (!q)
            return rc;
        while (n <= limit && db_row(q)) {
            int64_t id = db_i64(q, 0);
            rows++;
            if (n > 0 && ids[n - 1] == id)
                continue;
            ids[n] = id;
            read(db, a, v, q, out + n * item_size);
            n++;
        }
        if ((rc = db_end(q)) < 0)
            return rc;
        if (n > limit || rows < asked) /* full, or no row left */
            break;
        from.after_id = ids[n - 1];
    }
    if (n > limit) {
        *next = ids[limit - 1]; /* the extra row asked for tells that another page follows */
        n = limit;
    }
    *len = n;
    return 0;
}

static void summary_read(struct db *db, struct arena *a, const struct viewer *v, struct stmt *q,
                         void *out)
{
    people_summary_from_row(db, a, v, q, COL_PHOTO, out);
}

int people_directory(struct db *db, struct arena *a, const struct viewer *v,
                     const struct people_filter *f, size_t limit, struct person_summary **items,
                     size_t *len, int64_t *next)
{
    void *out;
    int rc = page_read(db, a, v, f, limit, false, sizeof(**items), summary_read, &out, len, next);

    *items = out;
    return rc;
}

/* ---- whole profiles, for the API ----------------------------------------------------------- */

static const char *text_at(struct arena *a, struct stmt *q, int col)
{
    return arena_strdup(a, db_text(q, col));
}

static void profile_from_row(struct arena *a, struct stmt *q, struct profile *p)
{
    static const int vis_cols[PEOPLE_FIELD_COUNT] = {
        [PEOPLE_FIELD_JOB] = 6,    [PEOPLE_FIELD_DEPARTMENT] = 7, [PEOPLE_FIELD_SITE] = 8,
        [PEOPLE_FIELD_PHONE] = 18, [PEOPLE_FIELD_BIRTHDAY] = 19,  [PEOPLE_FIELD_SKILLS] = 20,
        [PEOPLE_FIELD_BIO] = 21,
    };

    memset(p, 0, sizeof(*p));
    p->id = db_i64(q, 0);
    p->name = text_at(a, q, 1);
    p->job = text_at(a, q, 2);
    p->department = text_at(a, q, 3);
    p->site = text_at(a, q, 4);
    p->status = text_at(a, q, 5);
    p->photo_64 = text_at(a, q, 9);
    p->photo_vis = PEOPLE_VIS_EVERYONE;
    if (!db_is_null(q, 10))
        people_visibility_parse(db_text(q, 10), &p->photo_vis);
    p->photo_256 = text_at(a, q, 11);
    p->email = text_at(a, q, 12);
    p->role = auth_role_parse(db_text(q, 13));
    p->created_ms = db_i64(q, 14);
    p->phone = text_at(a, q, 15);
    p->birthday = text_at(a, q, 16);
    p->bio = text_at(a, q, 17);
    for (int f = 0; f < PEOPLE_FIELD_COUNT; f++)
        p->vis[f] = people_column_visibility(q, vis_cols[f], (enum people_field)f);
    p->followers = db_i64(q, 22);
    p->following = db_i64(q, 23);
}

static void skill_add(struct arena *a, struct profile *p, const char *name)
{
    if (p->skills_len % 8 == 0) {
        const char **bigger = arena_array(a, p->skills_len + 8, sizeof(*bigger));
        if (p->skills_len)
            memcpy(bigger, p->skills, p->skills_len * sizeof(*bigger));
        p->skills = bigger;
    }
    p->skills[p->skills_len++] = arena_strdup(a, name);
}

/* The skills of items[0..n), n <= PEOPLE_SKILLS_BATCH, in one query (unused slots are id 0). */
static int skills_batch(struct db *db, struct arena *a, struct profile *items, size_t n)
{
    int64_t id[PEOPLE_SKILLS_BATCH] = {0};
    struct stmt *q;
    size_t k = 0;

    for (size_t i = 0; i < n; i++)
        id[i] = items[i].id;
    q = db_query(db,
                 "SELECT account_id, name FROM skill"
                 /*      0           1 */
                 " WHERE account_id IN (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                 " ORDER BY account_id, name_folded",
                 DB_I64(id[0]), DB_I64(id[1]), DB_I64(id[2]), DB_I64(id[3]), DB_I64(id[4]),
                 DB_I64(id[5]), DB_I64(id[6]), DB_I64(id[7]), DB_I64(id[8]), DB_I64(id[9]));
    while (db_row(q)) {
        int64_t owner = db_i64(q, 0);
        /* Rows come by account id: find its profile, rarely more than a step away. */
        for (size_t tries = 0; tries < n && items[k].id != owner; tries++)
            k = (k + 1) % n;
        if (items[k].id == owner)
            skill_add(a, &items[k], db_text(q, 1));
    }
    return db_end(q);
}

static void profile_read(struct db *db, struct arena *a, const struct viewer *v, struct stmt *q,
                         void *out)
{
    (void)db;
    (void)v;
    profile_from_row(a, q, out);
}

int people_directory_profiles(struct db *db, struct arena *a, const struct viewer *v,
                              const struct people_filter *f, size_t limit, struct profile **items,
                              size_t *len, int64_t *next)
{
    void *out;
    int rc = page_read(db, a, v, f, limit, true, sizeof(**items), profile_read, &out, len, next);

    *items = out;
    if (rc < 0)
        return rc;
    for (size_t i = 0; i < *len; i += PEOPLE_SKILLS_BATCH) {
        size_t n = *len - i < PEOPLE_SKILLS_BATCH ? *len - i : PEOPLE_SKILLS_BATCH;
        if ((rc = skills_batch(db, a, *items + i, n)) < 0)
            return rc;
    }
    return 0;
}
