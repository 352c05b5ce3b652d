/*
 * people_birthdays.c - coming birthdays on the home page and the wishes
 * colleagues send.
 *
 * A birthday is looked up by its day and month (profile.birthday_md,
 * 'MM-DD', indexed) over a window of PEOPLE_BIRTHDAY_DAYS days from today
 * (UTC), so the window crosses the new year naturally (28 December shows
 * 1 to 3 January).  In a year without 29 February, a birthday on 29
 * February is celebrated on 28 February.  Only members whose birthday
 * field the viewer may see are listed (people_field_visible()).
 *
 * Messages do not exist yet (issue 8): a wish is recorded in birthday_wish,
 * once per sender, recipient and year, and published to the recipient as
 * the live event "birthday.wish" in the same transaction.  The recipient's
 * home page lists who wished them in the last days.
 *
 * The only file that touches birthday_wish.  State: none.
 */
#include "people.h"
#include "../core/str.h"
#include "../db/db.h"
#include "../live/live.h"
#include "../web/i18n.h"
#include "../web/layout.h"

#include <jansson.h>
#include <time.h>

#define BIRTHDAYS_MAX 100 /* rows read for the block */
#define DAY_MS (24LL * 3600 * 1000)

static const char *const weekday_names[] = {
    N_("dimanche"), N_("lundi"),    N_("mardi"),  N_("mercredi"),
    N_("jeudi"),    N_("vendredi"), N_("samedi"),
};

/* One day of the window: its 'MM-DD', its date and its weekday. */
struct window_day {
    char md[6];
    int year, month, day, weekday;
};

static bool is_leap(int year)
{
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

/* The PEOPLE_BIRTHDAY_DAYS days from the UTC day of now_ms. */
static void window_fill(int64_t now_ms, struct window_day days[PEOPLE_BIRTHDAY_DAYS])
{
    for (int k = 0; k < PEOPLE_BIRTHDAY_DAYS; k++) {
        time_t t = (time_t)((now_ms + k * DAY_MS) / 1000);
        struct tm tm;

        gmtime_r(&t, &tm);
        days[k].year = tm.tm_year + 1900;
        days[k].month = tm.tm_mon + 1;
        days[k].day = tm.tm_mday;
        days[k].weekday = tm.tm_wday;
        days[k].md[0] = (char)('0' + days[k].month / 10);
        days[k].md[1] = (char)('0' + days[k].month % 10);
        days[k].md[2] = '-';
        days[k].md[3] = (char)('0' + days[k].day / 10);
        days[k].md[4] = (char)('0' + days[k].day % 10);
        days[k].md[5] = '\0';
    }
}

/*
 * The window day on which a birthday 'MM-DD' is celebrated, or -1: 29
 * February falls on 28 February in a year without it.
 */
static int window_find(const struct window_day days[PEOPLE_BIRTHDAY_DAYS], const char *md)
{
    for (int k = 0; k < PEOPLE_BIRTHDAY_DAYS; k++) {
        if (strcmp(days[k].md, md) == 0)
            return k;
        if (strcmp(md, "02-29") == 0 && strcmp(days[k].md, "02-28") == 0 && !is_leap(days[k].year))
            return k;
    }
    return -1;
}

/* The 'MM-DD' that celebrates on 28 February in a year without 29 February, or "". */
static const char *window_leap_extra(const struct window_day days[PEOPLE_BIRTHDAY_DAYS])
{
    for (int k = 0; k < PEOPLE_BIRTHDAY_DAYS; k++)
        if (strcmp(days[k].md, "02-28") == 0 && !is_leap(days[k].year))
            return "02-29";
    return "";
}

static bool wish_sent(struct db *db, int64_t from_id, int64_t to_id, int year)
{
    int64_t one;

    return db_get_i64(db, &one,
                      "SELECT 1 FROM birthday_wish WHERE from_id = ? AND to_id = ? AND year = ?",
                      DB_I64(from_id), DB_I64(to_id), DB_INT(year)) == 0;
}

static int birthday_cmp(const void *pa, const void *pb)
{
    const struct people_birthday *a = pa, *b = pb;

    if (a->days_ahead != b->days_ahead)
        return a->days_ahead - b->days_ahead;
    return strcmp(a->who.name, b->who.name);
}

int people_birthdays_upcoming(struct db *db, struct arena *a, const struct viewer *v,
                              int64_t now_ms, struct people_birthday **items, size_t *len)
{
    struct window_day days[PEOPLE_BIRTHDAY_DAYS];
    struct stmt *q;
    int rc;

    _Static_assert(PEOPLE_BIRTHDAY_DAYS == 7, "the query lists seven days");
    window_fill(now_ms, days);
    *items = arena_array(a, BIRTHDAYS_MAX, sizeof(**items));
    *len = 0;
    q = db_query(db,
                 "SELECT a.id, a.name, a.job, a.department, a.site, a.status,"
                 /*      0     1       2      3             4       5 */
                 " p.job_visibility, p.department_visibility, p.site_visibility,"
                 /* 6                 7                        8 */
                 " p.birthday_md, p.birthday_visibility"
                 /* 9              10 */
                 " FROM profile p JOIN account a ON a.id = p.account_id"
                 " WHERE p.birthday_md IN (?, ?, ?, ?, ?, ?, ?, ?)"
                 " AND a.status <> 'deactivated' AND a.id <> ? LIMIT ?",
                 DB_TEXT(days[0].md), DB_TEXT(days[1].md), DB_TEXT(days[2].md), DB_TEXT(days[3].md),
                 DB_TEXT(days[4].md), DB_TEXT(days[5].md), DB_TEXT(days[6].md),
                 DB_TEXT(window_leap_extra(days)), DB_I64(v->id), DB_INT(BIRTHDAYS_MAX));
    while (db_row(q)) {
        struct people_birthday *b = &(*items)[*len];
        int64_t id = db_i64(q, 0);
        int k = window_find(days, db_text(q, 9));
        enum people_visibility vis = people_column_visibility(q, 10, PEOPLE_FIELD_BIRTHDAY);

        if (k < 0 || !people_field_visible(v, id, vis, people_share_community(db, v->id, id)))
            continue;
        people_summary_from_row(db, a, v, q, -1, &b->who);
        b->days_ahead = k;
        b->year = days[k].year;
        b->month = days[k].month;
        b->day = days[k].day;
        (*len)++;
    }
    if ((rc = db_end(q)) < 0)
        return rc;
    for (size_t i = 0; i < *len; i++)
        (*items)[i].is_wished = wish_sent(db, v->id, (*items)[i].who.id, (*items)[i].year);
    qsort(*items, *len, sizeof(**items), birthday_cmp);
    return 0;
}

/* The JSON payload of the live event: {"from":id,"name":"…"}, in arena a. */
static const char *wish_payload(struct arena *a, const struct viewer *v)
{
    json_t *o = json_object();
    size_t n;
    char *s;

    json_object_set_new(o, "from", json_integer(v->id));
    json_object_set_new(o, "name", json_string(v->name ? v->name : ""));
    n = json_dumpb(o, NULL, 0, JSON_COMPACT);
    s = arena_alloc(a, n + 1);
    json_dumpb(o, s, n, JSON_COMPACT);
    s[n] = '\0';
    json_decref(o);
    return s;
}

/* The window year of to_id's birthday as v may see it; ERR_NOTFOUND when not in the window. */
static int wish_year(struct db *db, const struct viewer *v, int64_t to_id, int64_t now_ms,
                     int *year)
{
    struct window_day days[PEOPLE_BIRTHDAY_DAYS];
    struct stmt *q = db_query(db,
                              "SELECT p.birthday_md, p.birthday_visibility"
                              /*      0              1 */
                              " FROM profile p JOIN account a ON a.id = p.account_id"
                              " WHERE p.account_id = ? AND a.status <> 'deactivated'",
                              DB_I64(to_id));
    int rc = ERR_NOTFOUND, end;

    window_fill(now_ms, days);
    if (db_row(q)) {
        int k = window_find(days, db_text(q, 0));
        enum people_visibility vis = people_column_visibility(q, 1, PEOPLE_FIELD_BIRTHDAY);
        if (k >= 0 &&
            people_field_visible(v, to_id, vis, people_share_community(db, v->id, to_id))) {
            *year = days[k].year;
            rc = 0;
        }
    }
    if ((end = db_end(q)) < 0)
        return end;
    return rc;
}

int people_birthday_wish(struct db *db, struct arena *a, const struct viewer *v, int64_t to_id,
                         int64_t now_ms)
{
    int year, rc;

    if (to_id == v->id)
        return ERR_INVALID;
    if ((rc = db_tx_begin(db)) < 0)
        return rc;
    if ((rc = wish_year(db, v, to_id, now_ms, &year)) == 0)
        rc = db_exec(db,
                     "INSERT INTO birthday_wish(from_id, to_id, year, created_ms)"
                     " VALUES (?, ?, ?, ?) ON CONFLICT (from_id, to_id, year) DO NOTHING",
                     DB_I64(v->id), DB_I64(to_id), DB_INT(year), DB_I64(now_ms));
    if (rc == 0 && db_changes(db) == 1)
        rc = live_publish(db, "birthday.wish", to_id, wish_payload(a, v));
    if (rc < 0) {
        db_tx_rollback(db);
        return rc;
    }
    return db_tx_commit(db);
}

/* ---- pages ------------------------------------------------------------------- */

static const char *day_label(struct req *r, const struct people_birthday *b, int64_t now_ms)
{
    struct window_day days[PEOPLE_BIRTHDAY_DAYS];
    const char *md = arena_printf(r->a, "%02d-%02d", b->month, b->day);

    if (b->days_ahead == 0)
        return _(r, "Aujourd'hui");
    if (b->days_ahead == 1)
        return _(r, "Demain");
    window_fill(now_ms, days);
    return arena_printf(r->a, "%s %s",
                        i18n_text(r->lang, weekday_names[days[b->days_ahead].weekday]),
                        people_birthday_label(r, md));
}

int people_birthdays_block(struct req *r, struct html *h)
{
    int64_t now_ms = time_now_ms();
    struct people_birthday *items;
    size_t len;
    int rc = people_birthdays_upcoming(r->db, r->a, &r->viewer, now_ms, &items, &len);

    if (rc < 0)
        return rc;
    if (len == 0)
        return 0;
    html_fmt(h, "<section class=\"card birthdays\"><h2>%s</h2><ul class=\"people\">",
             _(r, "Anniversaires"));
    for (size_t i = 0; i < len; i++) {
        const struct people_birthday *b = &items[i];

        html_fmt(h, "<li class=\"birthday\" data-id=\"%lld\"><span class=\"when\">%s</span><a",
                 (long long)b->who.id, day_label(r, b, now_ms));
        html_href(h, "/people/%lld", (long long)b->who.id);
        html_fmt(h, ">%s</a> ", b->who.name);
        if (b->is_wished) {
            html_fmt(h, "<span class=\"badge wished\">%s</span>", _(r, "Vœux envoyés"));
        } else {
            html_form_begin(h, r, "/people/%lld/wish", (long long)b->who.id);
            html_fmt(h, "<button type=\"submit\" class=\"wish\">%s</button></form>",
                     _(r, "Lui souhaiter"));
        }
        html_fmt(h, "</li>");
    }
    html_fmt(h, "</ul></section>");
    return 0;
}

int people_wishes_block(struct req *r, struct html *h)
{
    struct stmt *q =
        db_query(r->db,
                 "SELECT a.id, a.name FROM birthday_wish w"
                 /*      0     1 */
                 " JOIN account a ON a.id = w.from_id"
                 " WHERE w.to_id = ? AND w.created_ms >= ?"
                 " AND a.status <> 'deactivated' ORDER BY w.created_ms LIMIT 50",
                 DB_I64(r->viewer.id), DB_I64(time_now_ms() - PEOPLE_BIRTHDAY_DAYS * DAY_MS));
    bool any = false;

    while (db_row(q)) {
        if (!any)
            html_fmt(h, "<section class=\"card wishes\"><h2>%s</h2><ul class=\"people\">",
                     _(r, "Ils vous souhaitent un joyeux anniversaire"));
        any = true;
        html_fmt(h, "<li class=\"wish-from\"><a");
        html_href(h, "/people/%lld", (long long)db_i64(q, 0));
        html_fmt(h, ">%s</a></li>", db_text(q, 1));
    }
    if (any)
        html_fmt(h, "</ul></section>");
    return db_end(q);
}

int people_form_wish(struct req *r)
{
    int64_t id = http_param_id(r, "id");
    int rc;

    if (!id)
        return http_reply_err(r, ERR_NOTFOUND);
    rc = people_birthday_wish(r->db, r->a, &r->viewer, id, time_now_ms());
    if (rc == ERR_INVALID)
        return http_reply_error(r, 400, "invalid",
                                _(r, "Vous ne pouvez pas vous souhaiter votre anniversaire."));
    if (rc < 0)
        return http_reply_err(r, rc);
    return http_reply_redirect(r, "/");
}
