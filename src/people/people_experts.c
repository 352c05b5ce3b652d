/*
 * people_experts.c - "who knows?": members ranked by what they know.
 *
 * GET /people/experts?q=comptabilité and GET /api/v1/people/experts?q=
 * compare the folded query (str_fold: no case, no accents) with the folded
 * declared skills: a skill equal to the query scores 3, one starting with
 * it 2, one containing it 1; a member's score is the sum over their
 * matching skills.  Only skills the viewer may see count
 * (people_field_visible() on the skills field), so a hidden list can
 * neither rank nor reveal anyone.
 *
 * Posts do not exist yet: once they do (issue 6), the ranking adds what a
 * member wrote and tagged on the subject, in people_experts_find().
 *
 * State: none.
 */
#include "people.h"
#include "../core/str.h"
#include "../db/db.h"
#include "../feed/feed.h"
#include "../web/i18n.h"
#include "../web/layout.h"

#include <jansson.h>

#define EXPERTS_QUERY_MAX 100 /* characters of the query */
#define EXPERTS_ROWS_MAX 2000 /* matching skills read */
#define EXPERTS_PAGE 30

static int skill_score(const char *folded_skill, const char *folded_q)
{
    if (strcmp(folded_skill, folded_q) == 0)
        return 3;
    return str_starts_with(folded_skill, folded_q) ? 2 : 1;
}

static int expert_cmp(const void *pa, const void *pb)
{
    const struct people_expert *a = pa, *b = pb;
    int c;

    if (a->score != b->score)
        return b->score - a->score;
    if ((c = strcmp(a->who.name, b->who.name)) != 0)
        return c;
    return a->who.id < b->who.id ? -1 : a->who.id > b->who.id;
}

/* The expert of id among the first *len items, or a new one; NULL when full. */
static struct people_expert *expert_slot(struct people_expert *items, size_t *len, size_t cap,
                                         int64_t id, bool *is_new)
{
    for (size_t i = 0; i < *len; i++)
        if (items[i].who.id == id) {
            *is_new = false;
            return &items[i];
        }
    if (*len == cap)
        return NULL;
    *is_new = true;
    memset(&items[*len], 0, sizeof(items[*len]));
    return &items[(*len)++];
}

/* Members who tagged posts v may read with the subject (as a #tag), added to all[]. */
static int add_writers(struct db *db, struct arena *a, const struct viewer *v, const char *folded,
                       struct people_expert *all, size_t *n, size_t cap)
{
    struct stmt *st =
        db_query(db,
                 "SELECT a.id, a.name, a.job, a.department, a.site, a.status,"
                 " pr.job_visibility, pr.department_visibility, pr.site_visibility,"
                 " count(*) FROM post_tag t JOIN post p ON p.id = t.post_id"
                 " JOIN account a ON a.id = p.author_id"
                 " LEFT JOIN profile pr ON pr.account_id = a.id"
                 " WHERE t.tag = ? AND a.status <> 'deactivated' AND " FEED_VISIBLE_SQL
                 " GROUP BY a.id, a.name, a.job, a.department, a.site, a.status,"
                 " pr.job_visibility, pr.department_visibility, pr.site_visibility"
                 " ORDER BY count(*) DESC, a.id LIMIT ?",
                 DB_TEXT(folded), FEED_VISIBLE_ARGS(v), DB_INT(EXPERTS_PAGE * 4));

    while (db_row(st)) {
        bool is_new;
        struct people_expert *e = expert_slot(all, n, cap, db_i64(st, 0), &is_new);
        if (!e)
            break;
        if (is_new)
            people_summary_from_row(db, a, v, st, -1, &e->who);
        e->posts = db_i64(st, 9);
        e->score += e->posts < 3 ? (int)e->posts : 3;
    }
    return db_end(st);
}

int people_experts_find(struct db *db, struct arena *a, const struct viewer *v, const char *q,
                        size_t limit, struct people_expert **items, size_t *len)
{
    const char *folded = str_fold(a, q ? q : "");
    struct people_expert *all;
    size_t n = 0, cap = EXPERTS_ROWS_MAX;
    struct stmt *st;
    int rc;

    *items = NULL;
    *len = 0;
    if (!*folded)
        return 0;
    all = arena_array(a, cap, sizeof(*all));
    st = db_query(db,
                  "SELECT a.id, a.name, a.job, a.department, a.site, a.status,"
                  /*      0     1       2      3             4       5 */
                  " p.job_visibility, p.department_visibility, p.site_visibility,"
                  /* 6                 7                        8 */
                  " p.skills_visibility, s.name, s.name_folded"
                  /* 9                   10      11 */
                  " FROM skill s JOIN account a ON a.id = s.account_id"
                  " LEFT JOIN profile p ON p.account_id = a.id"
                  " WHERE s.name_folded LIKE ? ESCAPE '\\' AND a.status <> 'deactivated'"
                  " LIMIT ? /*scan-ok*/",
                  DB_TEXT(db_like_contains(a, folded)), DB_INT(EXPERTS_ROWS_MAX));
    while (db_row(st)) {
        int64_t id = db_i64(st, 0);
        enum people_visibility vis = people_column_visibility(st, 9, PEOPLE_FIELD_SKILLS);
        struct people_expert *e;
        bool is_new;

        if (!people_field_visible(v, id, vis, people_share_community(db, v->id, id)))
            continue;
        if (!(e = expert_slot(all, &n, cap, id, &is_new)))
            break;
        if (is_new) {
            people_summary_from_row(db, a, v, st, -1, &e->who);
            e->matched = arena_array(a, PEOPLE_SKILLS_MAX, sizeof(*e->matched));
        }
        e->score += skill_score(db_text(st, 11), folded);
        if (e->matched_len < PEOPLE_SKILLS_MAX)
            e->matched[e->matched_len++] = arena_strdup(a, db_text(st, 10));
    }
    if ((rc = db_end(st)) < 0 || (rc = add_writers(db, a, v, folded, all, &n, cap)) < 0)
        return rc;
    qsort(all, n, sizeof(*all), expert_cmp);
    *items = all;
    *len = n < limit ? n : limit;
    return 0;
}

/* The query text, "" when absent; false when too long. */
static bool experts_query(struct req *r, const char **q)
{
    const char *v = http_query(r, "q");

    *q = v ? v : "";
    return str_is_utf8(*q, strlen(*q)) && str_utf8_len(*q, strlen(*q)) <= EXPERTS_QUERY_MAX;
}

int people_page_experts(struct req *r)
{
    struct people_expert *items;
    size_t len;
    const char *q;
    struct html *h;
    int rc;

    if (!experts_query(r, &q))
        return http_reply_error(r, 400, "invalid", _(r, "La recherche est trop longue."));
    if ((rc = people_experts_find(r->db, r->a, &r->viewer, q, EXPERTS_PAGE, &items, &len)) < 0)
        return http_reply_err(r, rc);
    h = page_begin(r, &(struct page){.title = _(r, "Qui sait ?"), .nav = NAV_PEOPLE});
    html_fmt(h, "<h1>%s</h1><form class=\"search\" method=\"get\"", _(r, "Qui sait ?"));
    html_action(h, "/people/experts");
    html_fmt(h,
             " role=\"search\"><label for=\"experts-q\">%s</label>"
             "<input id=\"experts-q\" type=\"search\" name=\"q\" value=\"%s\" maxlength=\"100\">"
             "<button type=\"submit\">%s</button></form>",
             _(r, "Sujet ou compétence"), q, _(r, "Chercher"));
    if (!*q) {
        html_fmt(h, "<p class=\"empty\">%s</p>",
                 _(r, "Indiquez un sujet pour trouver les collègues qui le connaissent."));
        return page_end(r);
    }
    html_fmt(h, "<ol class=\"people experts\">");
    for (size_t i = 0; i < len; i++) {
        html_fmt(h, "<li class=\"expert\" data-id=\"%lld\" data-score=\"%d\"><ul class=\"people\">",
                 (long long)items[i].who.id, items[i].score);
        people_card(r, h, &items[i].who);
        html_fmt(h, "</ul><ul class=\"tags matched\">");
        for (size_t k = 0; k < items[i].matched_len; k++) {
            html_fmt(h, "<li><a");
            html_href(h, "/people?skill=%s", items[i].matched[k]);
            html_fmt(h, ">%s</a></li>", items[i].matched[k]);
        }
        if (items[i].posts > 0) {
            html_fmt(h, "<li><a");
            html_href(h, "/tags/%s", str_fold(r->a, q));
            html_fmt(h, ">%lld %s #%s</a></li>", (long long)items[i].posts,
                     items[i].posts > 1 ? _(r, "publications") : _(r, "publication"),
                     str_fold(r->a, q));
        }
        html_fmt(h, "</ul></li>");
    }
    html_fmt(h, "</ol>");
    if (len == 0)
        html_fmt(h, "<p class=\"empty\">%s</p>",
                 _(r, "Personne n'a encore déclaré de compétence sur ce sujet."));
    return page_end(r);
}

int people_api_experts(struct req *r)
{
    struct people_expert *items;
    size_t len;
    const char *q;
    json_t *list, *body;
    int rc;

    if (!experts_query(r, &q))
        return http_reply_error(r, 400, "invalid", _(r, "La recherche est trop longue."));
    if ((rc = people_experts_find(r->db, r->a, &r->viewer, q, EXPERTS_PAGE, &items, &len)) < 0)
        return http_reply_err(r, rc);
    list = json_array();
    for (size_t i = 0; i < len; i++) {
        struct profile p;
        json_t *o, *matched = json_array();

        if ((rc = people_profile_load(r->db, r->a, items[i].who.id, &p)) < 0) {
            json_decref(matched);
            json_decref(list);
            return http_reply_err(r, rc);
        }
        o = people_person_json(r, &p);
        json_object_set_new(o, "score", json_integer(items[i].score));
        for (size_t k = 0; k < items[i].matched_len; k++)
            json_array_append_new(matched, json_string(items[i].matched[k]));
        json_object_set_new(o, "matched", matched);
        json_object_set_new(o, "posts", json_integer(items[i].posts));
        json_array_append_new(list, o);
    }
    body = json_pack("{s:o, s:n}", "items", list, "next");
    return http_reply_json(r, 200, body);
}
