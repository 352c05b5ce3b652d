/*
 * people_suggest.c - "people to meet": colleagues of one's communities or
 * department, not yet followed, whose skills complement one's own.
 *
 * A candidate is an active member of one of the viewer's communities, or
 * of the viewer's department (the candidate's department must then be
 * visible to the viewer), neither the viewer nor followed by them, with at
 * least one visible skill the viewer has not declared; candidates with the
 * most such skills come first.
 *
 * State: none.
 */
#include "people.h"
#include "../db/db.h"
#include "../groups/groups.h"
#include "../web/i18n.h"
#include "../web/layout.h"

#define SUGGEST_CANDIDATES_MAX 200 /* members of the department read */
#define SUGGEST_HOME 4

static int suggestion_cmp(const void *pa, const void *pb)
{
    const struct people_suggestion *a = pa, *b = pb;

    if (a->skills_len != b->skills_len)
        return a->skills_len < b->skills_len ? 1 : -1;
    return a->who.id < b->who.id ? -1 : a->who.id > b->who.id;
}

/* The skills of id that v lacks, into s->skills. */
static int complement_skills(struct db *db, struct arena *a, const struct viewer *v, int64_t id,
                             struct people_suggestion *s)
{
    struct stmt *q = db_query(db,
                              "SELECT s.name FROM skill s WHERE s.account_id = ?"
                              /*      0 */
                              " AND NOT EXISTS (SELECT 1 FROM skill m WHERE m.account_id = ?"
                              " AND m.name_folded = s.name_folded) LIMIT ?",
                              DB_I64(id), DB_I64(v->id), DB_INT(PEOPLE_SKILLS_MAX));

    s->skills = arena_array(a, PEOPLE_SKILLS_MAX, sizeof(*s->skills));
    s->skills_len = 0;
    while (db_row(q))
        s->skills[s->skills_len++] = arena_strdup(a, db_text(q, 0));
    return db_end(q);
}

int people_suggestions(struct db *db, struct arena *a, const struct viewer *v, size_t limit,
                       struct people_suggestion **items, size_t *len)
{
    struct people_suggestion *all = arena_array(a, SUGGEST_CANDIDATES_MAX, sizeof(*all));
    struct stmt *q;
    size_t n = 0;
    int rc;

    *items = all;
    *len = 0;
    /* The best candidates first, counted in SQL: only the few shown cost more queries. */
    q = db_query(
        db,
        "SELECT * FROM (SELECT a.id, a.name, a.job, a.department, a.site, a.status,"
        /*                      0     1       2      3             4       5 */
        " p.job_visibility, p.department_visibility, p.site_visibility,"
        /* 6                 7                        8 */
        " p.skills_visibility, (SELECT count(*) FROM skill s WHERE s.account_id = a.id"
        /* 9                   10 */
        "   AND NOT EXISTS (SELECT 1 FROM skill m WHERE m.account_id = me.id"
        "                   AND m.name_folded = s.name_folded)) AS complement"
        " FROM account me JOIN account a"
        " ON (a.department = me.department AND me.department <> '')"
        " OR " GROUPS_SHARE_SQL(
            "a.id") " LEFT JOIN profile p ON p.account_id = a.id"
                    " WHERE me.id = ? AND a.id <> me.id AND a.status = 'active'"
                    " AND NOT EXISTS (SELECT 1 FROM follow f"
                    "                 WHERE f.follower_id = me.id AND f.followed_id = a.id)"
                    " LIMIT ?) c WHERE complement > 0 ORDER BY complement DESC, id /*scan-ok*/",
        DB_I64(v->id), DB_I64(v->id), DB_INT(SUGGEST_CANDIDATES_MAX));
    while (n < limit && db_row(q)) {
        int64_t id = db_i64(q, 0);
        bool shares = people_share_community(db, v->id, id);

        /* A colleague of the department must show it; one of a community need not. */
        if ((!shares &&
             !people_field_visible(v, id, people_column_visibility(q, 7, PEOPLE_FIELD_DEPARTMENT),
                                   shares)) ||
            !people_field_visible(v, id, people_column_visibility(q, 9, PEOPLE_FIELD_SKILLS),
                                  shares))
            continue;
        people_summary_from_row(db, a, v, q, -1, &all[n++].who);
    }
    if ((rc = db_end(q)) < 0)
        return rc;
    for (size_t i = 0; i < n; i++)
        if ((rc = complement_skills(db, a, v, all[i].who.id, &all[i])) < 0)
            return rc;
    qsort(all, n, sizeof(*all), suggestion_cmp);
    while (n > 0 && all[n - 1].skills_len == 0)
        n--;
    *len = n < limit ? n : limit;
    return 0;
}

int people_suggestions_block(struct req *r, struct html *h)
{
    struct people_suggestion *items;
    size_t len;
    int rc = people_suggestions(r->db, r->a, &r->viewer, SUGGEST_HOME, &items, &len);

    if (rc < 0 || len == 0)
        return rc;
    html_fmt(h, "<section class=\"card suggestions\"><h2>%s</h2><ul class=\"people\">",
             _(r, "Personnes à rencontrer"));
    for (size_t i = 0; i < len; i++) {
        const struct people_suggestion *s = &items[i];

        html_fmt(h, "<li class=\"suggestion\" data-id=\"%lld\"><a", (long long)s->who.id);
        html_href(h, "/people/%lld", (long long)s->who.id);
        html_fmt(h, ">%s</a> <span class=\"muted\">%s", s->who.name, _(r, "connaît :"));
        for (size_t k = 0; k < s->skills_len && k < 3; k++)
            html_fmt(h, "%s%s", k ? ", " : " ", s->skills[k]);
        html_fmt(h, "</span>");
        html_form_begin(h, r, "/people/%lld/follow", (long long)s->who.id);
        html_fmt(h, "<button type=\"submit\" class=\"follow\">%s</button></form></li>",
                 _(r, "Suivre"));
    }
    html_fmt(h, "</ul></section>");
    return 0;
}
