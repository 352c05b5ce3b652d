/*
 * people.c - profiles, skills and following: the domain and its SQL.
 *
 * The only file that touches the profile, skill and follow tables.  The
 * display name, job, department and site live in the account table and are
 * written through auth_account_set_details(); the rest of a profile lives in
 * a profile row created on the first save (a member without one has empty
 * fields and the default visibilities).  A save is validated entirely
 * before anything is written, then written in one transaction, so a bad
 * field changes nothing.
 *
 * people_field_visible() is the visibility rule; the directory's SQL
 * applies the same rule to its filters (people_directory.c).  A new name
 * is given to the directory's word index in the save's transaction.
 *
 * State: none.
 */
#include "people.h"
#include "name_index.h"
#include "photo.h"
#include "../auth/auth.h"
#include "../core/str.h"
#include "../db/db.h"
#include "../groups/groups.h"
#include "../web/i18n.h"

#include <time.h>

static const char *const field_names[PEOPLE_FIELD_COUNT] = {
    [PEOPLE_FIELD_JOB] = "job",           [PEOPLE_FIELD_DEPARTMENT] = "department",
    [PEOPLE_FIELD_SITE] = "site",         [PEOPLE_FIELD_PHONE] = "phone",
    [PEOPLE_FIELD_BIRTHDAY] = "birthday", [PEOPLE_FIELD_SKILLS] = "skills",
    [PEOPLE_FIELD_BIO] = "bio",
};

static const char *const field_visibility_names[PEOPLE_FIELD_COUNT] = {
    [PEOPLE_FIELD_JOB] = "job_visibility",
    [PEOPLE_FIELD_DEPARTMENT] = "department_visibility",
    [PEOPLE_FIELD_SITE] = "site_visibility",
    [PEOPLE_FIELD_PHONE] = "phone_visibility",
    [PEOPLE_FIELD_BIRTHDAY] = "birthday_visibility",
    [PEOPLE_FIELD_SKILLS] = "skills_visibility",
    [PEOPLE_FIELD_BIO] = "bio_visibility",
};

static const char *const visibility_names[] = {
    [PEOPLE_VIS_EVERYONE] = "everyone",
    [PEOPLE_VIS_COMMUNITIES] = "communities",
    [PEOPLE_VIS_ME] = "me",
};

const char *people_field_name(enum people_field f)
{
    return (unsigned)f < PEOPLE_FIELD_COUNT ? field_names[f] : "?";
}

const char *people_field_visibility_name(enum people_field f)
{
    return (unsigned)f < PEOPLE_FIELD_COUNT ? field_visibility_names[f] : "?";
}

const char *people_visibility_name(enum people_visibility v)
{
    return (unsigned)v < ARRAY_SIZE(visibility_names) ? visibility_names[v] : "me";
}

bool people_visibility_parse(const char *s, enum people_visibility *out)
{
    for (size_t i = 0; s && i < ARRAY_SIZE(visibility_names); i++) {
        if (strcmp(s, visibility_names[i]) == 0) {
            *out = (enum people_visibility)i;
            return true;
        }
    }
    return false;
}

enum people_visibility people_visibility_default(enum people_field f)
{
    return f == PEOPLE_FIELD_PHONE || f == PEOPLE_FIELD_BIRTHDAY ? PEOPLE_VIS_COMMUNITIES
                                                                 : PEOPLE_VIS_EVERYONE;
}

bool people_field_visible(const struct viewer *v, int64_t owner_id, enum people_visibility vis,
                          bool shares_community)
{
    if ((v->id != 0 && v->id == owner_id) || v->role == ROLE_ADMIN)
        return true;
    switch (vis) {
    case PEOPLE_VIS_EVERYONE:
        return true;
    case PEOPLE_VIS_COMMUNITIES:
        return v->role >= ROLE_MEMBER && shares_community;
    case PEOPLE_VIS_ME:
        return false;
    }
    return false;
}

bool people_share_community(struct db *db, int64_t a_id, int64_t b_id)
{
    return groups_share_community(db, a_id, b_id);
}

/* ---- validators ------------------------------------------------------------ */

/* people_text_valid() on the n bytes at s. */
static bool text_valid_n(const char *s, size_t n, size_t max_chars, bool multiline)
{
    if (!str_is_utf8(s, n) || str_utf8_len(s, n) > max_chars)
        return false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == 0x7f || (c < 0x20 && !(multiline && (c == '\n' || c == '\r' || c == '\t'))))
            return false;
        /* C1 controls, U+0080 to U+009F, are C2 80 to C2 9F in (valid) UTF-8. */
        if (c == 0xc2 && (unsigned char)s[i + 1] <= 0x9f)
            return false;
    }
    return true;
}

bool people_text_valid(const char *s, size_t max_chars, bool multiline)
{
    return text_valid_n(s, strlen(s), max_chars, multiline);
}

/* Once trimmed, s is valid single-line text of min_chars (0 or 1) to max_chars characters. */
static bool trimmed_valid(const char *s, size_t min_chars, size_t max_chars)
{
    size_t n;

    s = str_trim(s, &n);
    return n >= min_chars && text_valid_n(s, n, max_chars, false);
}

bool people_phone_valid(const char *s)
{
    size_t digits = 0, n = strlen(s);

    if (n == 0)
        return true;
    if (n > PEOPLE_PHONE_MAX)
        return false;
    for (size_t i = 0; i < n; i++) {
        if (s[i] >= '0' && s[i] <= '9')
            digits++;
        else if (!strchr(" +-.()", s[i]))
            return false;
    }
    return digits >= PEOPLE_PHONE_DIGITS;
}

static bool two_digits(const char *s, int *out)
{
    if (s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9')
        return false;
    *out = (s[0] - '0') * 10 + (s[1] - '0');
    return true;
}

static int days_in_month(int month, bool leap)
{
    static const int days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

    return month == 2 && !leap ? 28 : days[month - 1];
}

bool people_birthday_valid(const char *s, int this_year)
{
    size_t n = strlen(s);
    int year = 0, hi, lo, month, day;
    bool leap = true; /* without a year, 29 February is a birthday */

    if (n == 0)
        return true;
    if (n == 10) {
        if (s[4] != '-' || !two_digits(s, &hi) || !two_digits(s + 2, &lo))
            return false;
        year = hi * 100 + lo;
        if (year < PEOPLE_BIRTH_YEAR_MIN || year > this_year)
            return false;
        leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        s += 5;
    } else if (n != 5) {
        return false;
    }
    if (s[2] != '-' || !two_digits(s, &month) || !two_digits(s + 3, &day))
        return false;
    return month >= 1 && month <= 12 && day >= 1 && day <= days_in_month(month, leap);
}

static bool single_line_valid(const char *s, size_t max_chars)
{
    return !s || trimmed_valid(s, 0, max_chars);
}

/* The skills: at most PEOPLE_SKILLS_MAX, each 1 to PEOPLE_SKILL_MAX characters once trimmed. */
static bool skills_valid(const struct profile_update *u)
{
    if (!u->has_skills)
        return true;
    if (u->skills_len > PEOPLE_SKILLS_MAX)
        return false;
    for (size_t i = 0; i < u->skills_len; i++)
        if (!u->skills[i] || !trimmed_valid(u->skills[i], 1, PEOPLE_SKILL_MAX))
            return false;
    return true;
}

int people_update_check(const struct profile_update *u, int this_year, const char **bad_field)
{
    enum people_visibility vis;
    const char *bad = NULL;

    if (u->name && !trimmed_valid(u->name, 1, AUTH_NAME_MAX))
        bad = "name";
    else if (!single_line_valid(u->job, PEOPLE_TEXT_MAX))
        bad = "job";
    else if (!single_line_valid(u->department, PEOPLE_TEXT_MAX))
        bad = "department";
    else if (!single_line_valid(u->site, PEOPLE_TEXT_MAX))
        bad = "site";
    else if (u->phone && !people_phone_valid(u->phone))
        bad = "phone";
    else if (u->birthday && !people_birthday_valid(u->birthday, this_year))
        bad = "birthday";
    else if (!skills_valid(u))
        bad = "skills";
    else if (u->bio && !people_text_valid(u->bio, PEOPLE_BIO_MAX, true))
        bad = "bio";
    for (int f = 0; !bad && f < PEOPLE_FIELD_COUNT; f++)
        if (u->vis[f] && !people_visibility_parse(u->vis[f], &vis))
            bad = field_visibility_names[f];
    if (bad_field)
        *bad_field = bad;
    return bad ? ERR_INVALID : 0;
}

const char *people_field_problem(const char *field)
{
    static const struct {
        const char *field, *message;
    } problems[] = {
        {"name", N_("Le nom est obligatoire et compte au plus 120 caractères.")},
        {"job", N_("La fonction compte au plus 120 caractères, sans caractère de contrôle.")},
        {"department", N_("Le service compte au plus 120 caractères, sans caractère de contrôle.")},
        {"site", N_("Le site compte au plus 120 caractères, sans caractère de contrôle.")},
        {"phone", N_("Le téléphone compte au plus 30 caractères : chiffres (au moins 6), "
                     "espaces et + - . ( ).")},
        {"birthday", N_("L'anniversaire doit être une date réelle au format MM-JJ ou AAAA-MM-JJ, "
                        "l'année entre 1900 et aujourd'hui.")},
        {"skills", N_("Les compétences sont au plus 50, de 1 à 60 caractères chacune.")},
        {"bio", N_("La présentation compte au plus 2 000 caractères.")},
    };

    for (size_t i = 0; field && i < ARRAY_SIZE(problems); i++)
        if (strcmp(field, problems[i].field) == 0)
            return problems[i].message;
    return N_("La visibilité doit être « tout le monde », « mes communautés » ou « moi seul ».");
}

/* ---- loading ----------------------------------------------------------------- */

static enum people_visibility column_visibility(struct stmt *q, int col, enum people_field f)
{
    enum people_visibility vis = people_visibility_default(f);

    if (!db_is_null(q, col))
        people_visibility_parse(db_text(q, col), &vis);
    return vis;
}

static int profile_skills_load(struct db *db, struct arena *a, struct profile *out)
{
    struct stmt *q =
        db_query(db, "SELECT name FROM skill WHERE account_id = ? ORDER BY name_folded",
                 /*      0 */
                 DB_I64(out->id));
    size_t cap = 8;

    out->skills = arena_array(a, cap, sizeof(*out->skills));
    out->skills_len = 0;
    while (db_row(q)) {
        if (out->skills_len == cap) {
            const char **bigger = arena_array(a, cap * 2, sizeof(*bigger));
            memcpy(bigger, out->skills, cap * sizeof(*bigger));
            out->skills = bigger;
            cap *= 2;
        }
        out->skills[out->skills_len++] = arena_strdup(a, db_text(q, 0));
    }
    return db_end(q);
}

static int profile_counts_load(struct db *db, struct profile *out)
{
    int rc = db_get_i64(db, &out->followers,
                        "SELECT COUNT(*) FROM follow f JOIN account a ON a.id = f.follower_id"
                        " WHERE f.followed_id = ? AND a.status <> 'deactivated'",
                        DB_I64(out->id));

    if (rc < 0)
        return rc;
    return db_get_i64(db, &out->following,
                      "SELECT COUNT(*) FROM follow f JOIN account a ON a.id = f.followed_id"
                      " WHERE f.follower_id = ? AND a.status <> 'deactivated'",
                      DB_I64(out->id));
}

int people_profile_load(struct db *db, struct arena *a, int64_t id, struct profile *out)
{
    struct stmt *q;
    int rc = ERR_NOTFOUND, end;

    memset(out, 0, sizeof(*out));
    q = db_query(db,
                 "SELECT a.id, a.name, a.email, a.role, a.status, a.job, a.department, a.site,"
                 /*      0     1       2        3       4         5      6             7 */
                 " a.created_ms, p.phone, p.birthday, p.bio, p.job_visibility,"
                 /* 8             9        10          11     12 */
                 " p.department_visibility, p.site_visibility, p.phone_visibility,"
                 /* 13                       14                 15 */
                 " p.birthday_visibility, p.skills_visibility, p.bio_visibility,"
                 /* 16                     17                   18 */
                 " p.photo_256, p.photo_64, p.photo_visibility"
                 /* 19           20          21 */
                 " FROM account a LEFT JOIN profile p ON p.account_id = a.id"
                 " WHERE a.id = ? AND a.status <> 'deactivated'",
                 DB_I64(id));
    if (db_row(q)) {
        out->id = db_i64(q, 0);
        out->name = arena_strdup(a, db_text(q, 1));
        out->email = arena_strdup(a, db_text(q, 2));
        out->role = auth_role_parse(db_text(q, 3));
        out->status = arena_strdup(a, db_text(q, 4));
        out->job = arena_strdup(a, db_text(q, 5));
        out->department = arena_strdup(a, db_text(q, 6));
        out->site = arena_strdup(a, db_text(q, 7));
        out->created_ms = db_i64(q, 8);
        out->phone = arena_strdup(a, db_text(q, 9));
        out->birthday = arena_strdup(a, db_text(q, 10));
        out->bio = arena_strdup(a, db_text(q, 11));
        for (int f = 0; f < PEOPLE_FIELD_COUNT; f++)
            out->vis[f] = column_visibility(q, 12 + f, (enum people_field)f);
        out->photo_256 = arena_strdup(a, db_text(q, 19));
        out->photo_64 = arena_strdup(a, db_text(q, 20));
        out->photo_vis = PEOPLE_VIS_EVERYONE;
        if (!db_is_null(q, 21))
            people_visibility_parse(db_text(q, 21), &out->photo_vis);
        rc = 0;
    }
    if ((end = db_end(q)) < 0)
        return end;
    if (rc < 0)
        return rc;
    if ((rc = profile_skills_load(db, a, out)) < 0)
        return rc;
    return profile_counts_load(db, out);
}

/* ---- saving --------------------------------------------------------------------- */

static int this_year(void)
{
    time_t t = (time_t)(time_now_ms() / 1000);
    struct tm tm;

    gmtime_r(&t, &tm);
    return tm.tm_year + 1900;
}

/* The trimmed copy of a single-line field, or cur when it does not change. */
static const char *merged(struct arena *a, const char *value, const char *cur)
{
    size_t n;
    const char *s;

    if (!value)
        return cur;
    s = str_trim(value, &n);
    return arena_strndup(a, s, n);
}

static int profile_row_write(struct db *db, struct arena *a, const struct profile *cur,
                             const struct profile_update *u)
{
    const char *phone = merged(a, u->phone, cur->phone);
    const char *birthday = u->birthday ? u->birthday : cur->birthday;
    const char *vis[PEOPLE_FIELD_COUNT];

    for (int f = 0; f < PEOPLE_FIELD_COUNT; f++)
        vis[f] = u->vis[f] ? u->vis[f] : people_visibility_name(cur->vis[f]);
    return db_exec(db,
                   "INSERT INTO profile(account_id, phone, birthday, birthday_md, bio,"
                   " job_visibility, department_visibility, site_visibility, phone_visibility,"
                   " birthday_visibility, skills_visibility, bio_visibility, updated_ms)"
                   " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                   " ON CONFLICT (account_id) DO UPDATE SET phone = excluded.phone,"
                   " birthday = excluded.birthday, birthday_md = excluded.birthday_md,"
                   " bio = excluded.bio, job_visibility = excluded.job_visibility,"
                   " department_visibility = excluded.department_visibility,"
                   " site_visibility = excluded.site_visibility,"
                   " phone_visibility = excluded.phone_visibility,"
                   " birthday_visibility = excluded.birthday_visibility,"
                   " skills_visibility = excluded.skills_visibility,"
                   " bio_visibility = excluded.bio_visibility, updated_ms = excluded.updated_ms",
                   DB_I64(cur->id), DB_TEXT(phone), DB_TEXT(birthday),
                   DB_TEXT(strlen(birthday) == 10 ? birthday + 5 : birthday),
                   DB_TEXT(u->bio ? u->bio : cur->bio), DB_TEXT(vis[0]), DB_TEXT(vis[1]),
                   DB_TEXT(vis[2]), DB_TEXT(vis[3]), DB_TEXT(vis[4]), DB_TEXT(vis[5]),
                   DB_TEXT(vis[6]), DB_I64(time_now_ms()));
}

/* Replace the skills; duplicates by folded name collapse into the first. */
static int skills_write(struct db *db, struct arena *a, int64_t id, const struct profile_update *u)
{
    int rc = db_exec(db, "DELETE FROM skill WHERE account_id = ?", DB_I64(id));

    for (size_t i = 0; rc == 0 && i < u->skills_len; i++) {
        const char *name = merged(a, u->skills[i], NULL);
        rc = db_exec(db,
                     "INSERT INTO skill(account_id, name, name_folded) VALUES (?, ?, ?)"
                     " ON CONFLICT (account_id, name_folded) DO NOTHING",
                     DB_I64(id), DB_TEXT(name), DB_TEXT(str_fold(a, name)));
    }
    return rc;
}

static int profile_write(struct db *db, struct arena *a, int64_t id, const struct profile_update *u,
                         const char **bad_field)
{
    struct profile cur;
    int rc;

    if ((rc = people_profile_load(db, a, id, &cur)) < 0)
        return rc;
    if (u->name || u->job || u->department || u->site) {
        rc = auth_account_set_details(
            db, id, u->name ? u->name : cur.name, merged(a, u->job, cur.job),
            merged(a, u->department, cur.department), merged(a, u->site, cur.site));
        if (rc == ERR_INVALID)
            *bad_field = "name";
        if (rc == 0 && u->name)
            rc = people_name_index(db, id);
        if (rc < 0)
            return rc;
    }
    if ((rc = profile_row_write(db, a, &cur, u)) < 0)
        return rc;
    return u->has_skills ? skills_write(db, a, id, u) : 0;
}

int people_profile_save(struct db *db, int64_t id, const struct profile_update *u,
                        const char **bad_field)
{
    struct arena a;
    const char *ignored;
    int rc;

    if (!bad_field)
        bad_field = &ignored;
    *bad_field = NULL;
    if ((rc = people_update_check(u, this_year(), bad_field)) < 0)
        return rc;
    if ((rc = db_tx_begin(db)) < 0)
        return rc;
    arena_init(&a);
    rc = profile_write(db, &a, id, u, bad_field);
    arena_clear(&a);
    if (rc < 0) {
        db_tx_rollback(db);
        return rc;
    }
    return db_tx_commit(db);
}

/* ---- following ------------------------------------------------------------------- */

int people_follow(struct db *db, int64_t follower_id, int64_t followed_id)
{
    int64_t found;
    int rc;

    if (follower_id == followed_id)
        return ERR_INVALID;
    rc = db_get_i64(db, &found, "SELECT id FROM account WHERE id = ? AND status <> 'deactivated'",
                    DB_I64(followed_id));
    if (rc < 0)
        return rc;
    return db_exec(db,
                   "INSERT INTO follow(follower_id, followed_id, created_ms) VALUES (?, ?, ?)"
                   " ON CONFLICT (follower_id, followed_id) DO NOTHING",
                   DB_I64(follower_id), DB_I64(followed_id), DB_I64(time_now_ms()));
}

int people_unfollow(struct db *db, int64_t follower_id, int64_t followed_id)
{
    return db_exec(db, "DELETE FROM follow WHERE follower_id = ? AND followed_id = ?",
                   DB_I64(follower_id), DB_I64(followed_id));
}

bool people_is_following(struct db *db, int64_t follower_id, int64_t followed_id)
{
    int64_t one;

    return db_get_i64(db, &one, "SELECT 1 FROM follow WHERE follower_id = ? AND followed_id = ?",
                      DB_I64(follower_id), DB_I64(followed_id)) == 0;
}

/*
 * A list row as a summary, with the fields v may not see emptied.  Columns:
 * id, name, job, department, site, status, job_visibility,
 * department_visibility, site_visibility; photo_64 and photo_visibility at
 * photo_col, or -1 to look the photo up.
 */
static void summary_from_row(struct db *db, struct arena *a, const struct viewer *v, struct stmt *q,
                             int photo_col, struct person_summary *p)
{
    bool shares;

    p->id = db_i64(q, 0);
    shares = people_share_community(db, v->id, p->id);
    p->name = arena_strdup(a, db_text(q, 1));
    p->job = people_field_visible(v, p->id, column_visibility(q, 6, PEOPLE_FIELD_JOB), shares)
                 ? arena_strdup(a, db_text(q, 2))
                 : "";
    p->department =
        people_field_visible(v, p->id, column_visibility(q, 7, PEOPLE_FIELD_DEPARTMENT), shares)
            ? arena_strdup(a, db_text(q, 3))
            : "";
    p->site = people_field_visible(v, p->id, column_visibility(q, 8, PEOPLE_FIELD_SITE), shares)
                  ? arena_strdup(a, db_text(q, 4))
                  : "";
    p->never_signed_in = strcmp(db_text(q, 5), "invited") == 0;
    if (photo_col >= 0) {
        enum people_visibility vis = PEOPLE_VIS_EVERYONE;
        if (!db_is_null(q, photo_col + 1))
            people_visibility_parse(db_text(q, photo_col + 1), &vis);
        p->photo = *db_text(q, photo_col) && people_field_visible(v, p->id, vis, shares)
                       ? arena_strdup(a, db_text(q, photo_col))
                       : "";
        return;
    }
    p->photo = people_photo_visible(db, a, v, p->id, PEOPLE_PHOTO_SMALL);
    if (!p->photo)
        p->photo = "";
}

/* Read up to limit rows of q into *items; *next is the last id when one more row exists. */
static int summaries_read(struct db *db, struct arena *a, const struct viewer *v, struct stmt *q,
                          size_t limit, struct person_summary **items, size_t *len, int64_t *next)
{
    *items = arena_array(a, limit + 1, sizeof(**items));
    *len = 0;
    *next = 0;
    while (db_row(q)) {
        if (*len == limit) {
            *next = (*items)[limit - 1].id; /* the extra row asked for by LIMIT */
            break;
        }
        summary_from_row(db, a, v, q, -1, &(*items)[(*len)++]);
    }
    return db_end(q);
}

int people_follow_list(struct db *db, struct arena *a, const struct viewer *v, int64_t id,
                       bool followers, int64_t after_id, size_t limit,
                       struct person_summary **items, size_t *len, int64_t *next)
{
    struct stmt *q;

    if (followers)
        q = db_query(db,
                     "SELECT a.id, a.name, a.job, a.department, a.site, a.status,"
                     /*      0     1       2      3             4       5 */
                     " p.job_visibility, p.department_visibility, p.site_visibility"
                     /* 6                 7                        8 */
                     " FROM follow f JOIN account a ON a.id = f.follower_id"
                     " LEFT JOIN profile p ON p.account_id = a.id"
                     " WHERE f.followed_id = ? AND f.follower_id > ?"
                     " AND a.status <> 'deactivated' ORDER BY f.follower_id LIMIT ?",
                     DB_I64(id), DB_I64(after_id), DB_I64(limit + 1));
    else
        q = db_query(db,
                     "SELECT a.id, a.name, a.job, a.department, a.site, a.status,"
                     /*      0     1       2      3             4       5 */
                     " p.job_visibility, p.department_visibility, p.site_visibility"
                     /* 6                 7                        8 */
                     " FROM follow f JOIN account a ON a.id = f.followed_id"
                     " LEFT JOIN profile p ON p.account_id = a.id"
                     " WHERE f.follower_id = ? AND f.followed_id > ?"
                     " AND a.status <> 'deactivated' ORDER BY f.followed_id LIMIT ?",
                     DB_I64(id), DB_I64(after_id), DB_I64(limit + 1));
    return summaries_read(db, a, v, q, limit, items, len, next);
}

int people_newcomers(struct db *db, struct arena *a, const struct viewer *v, size_t limit,
                     struct person_summary **items, size_t *len)
{
    int64_t next;
    struct stmt *q =
        db_query(db,
                 "SELECT a.id, a.name, a.job, a.department, a.site, a.status,"
                 /*      0     1       2      3             4       5 */
                 " p.job_visibility, p.department_visibility, p.site_visibility"
                 /* 6                 7                        8 */
                 " FROM account a LEFT JOIN profile p ON p.account_id = a.id"
                 " WHERE a.status = 'active' AND a.id <> ?"
                 " ORDER BY a.created_ms DESC, a.id DESC LIMIT ?", /* walks account_created */
                 DB_I64(v->id), DB_I64(limit));

    return summaries_read(db, a, v, q, limit, items, len, &next);
}

/* ---- within the people module ------------------------------------------------------ */

void people_summary_from_row(struct db *db, struct arena *a, const struct viewer *v, struct stmt *q,
                             int photo_col, struct person_summary *p)
{
    summary_from_row(db, a, v, q, photo_col, p);
}

enum people_visibility people_column_visibility(struct stmt *q, int col, enum people_field f)
{
    return column_visibility(q, col, f);
}
