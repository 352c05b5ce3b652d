/*
 * people_web.c - the directory (/people) and profile pages (/people/{id}).
 *
 * The directory lists active and invited members by name, with a name
 * search that ignores case and accents ("helene" finds "Hélène"),
 * paginated by key: "?after=ID" continues after that member in
 * (folded name, id) order, so pages stay right while members join.  Deactivated
 * members are absent everywhere and their profile answers 404.
 */
#include "people.h"
#include "../core/str.h"
#include "../db/db.h"
#include "../web/i18n.h"
#include "../web/layout.h"

#include <time.h>

#define PEOPLE_PAGE_SIZE 30
#define PEOPLE_QUERY_MAX 100
#define AVATAR_COLOURS 8

char *people_initials(struct arena *a, const char *name)
{
    struct buf b;
    const char *p = name;
    int taken = 0;

    buf_init_arena(&b, a);
    while (*p && taken < 2) {
        size_t len = 1;
        while (*p == ' ' || *p == '-')
            p++;
        if (!*p)
            break;
        /* Copy the whole UTF-8 sequence of the word's first letter. */
        while ((p[len] & 0xc0) == 0x80)
            len++;
        buf_add(&b, p, len);
        taken++;
        p = strchr(p, ' ');
        if (!p)
            break;
    }
    return b.len ? b.s : arena_strdup(a, "?");
}

void people_card(struct req *r, struct html *h, const struct person_summary *p)
{
    html_fmt(h,
             "<li class=\"person\"><span class=\"avatar c%d\" aria-hidden=\"true\">%s</span>"
             "<span class=\"who\"><a",
             (int)(p->id % AVATAR_COLOURS), people_initials(r->a, p->name));
    html_href(h, "/people/%lld", (long long)p->id);
    html_fmt(h, ">%s</a>", p->name);
    if (*p->job)
        html_fmt(h, "<span class=\"job\">%s</span>", p->job);
    if (*p->department || *p->site)
        html_fmt(h, "<span class=\"muted\">%s%s%s</span>", p->department,
                 *p->department && *p->site ? " · " : "", p->site);
    if (p->never_signed_in)
        html_fmt(h, "<span class=\"badge\">%s</span>", _(r, "Pas encore venu"));
    html_fmt(h, "</span></li>");
}

/* "%" and "_" match themselves in the LIKE pattern built from the search text. */
static char *like_pattern(struct arena *a, const char *q)
{
    struct buf b;

    buf_init_arena(&b, a);
    buf_addch(&b, '%');
    for (const char *p = q; *p; p++) {
        if (*p == '%' || *p == '_' || *p == '\\')
            buf_addch(&b, '\\');
        buf_addch(&b, *p);
    }
    buf_addch(&b, '%');
    return b.s;
}

static void search_form(struct req *r, struct html *h, const char *q)
{
    html_fmt(h, "<form class=\"search\" method=\"get\"");
    html_action(h, "/people");
    html_fmt(h,
             " role=\"search\"><label for=\"people-q\">%s</label>"
             "<input id=\"people-q\" type=\"search\" name=\"q\" value=\"%s\" maxlength=\"100\">"
             "<button type=\"submit\">%s</button></form>",
             _(r, "Nom"), q ? q : "", _(r, "Chercher"));
}

int people_page_list(struct req *r)
{
    const char *q = http_query(r, "q");
    const char *after = http_query(r, "after");
    int64_t after_id = 0;
    struct html *h;
    struct stmt *st;
    int64_t last_id = 0;
    int shown = 0, rc;
    bool more = false;

    if (q && strlen(q) > PEOPLE_QUERY_MAX)
        return http_reply_error(r, 400, "invalid", _(r, "La recherche est trop longue."));
    if (after && !str_to_i64(after, &after_id))
        return http_reply_error(r, 400, "invalid", _(r, "Le paramètre « after » est invalide."));
    h = page_begin(r, &(struct page){.title = _(r, "Annuaire"), .nav = NAV_PEOPLE});
    html_fmt(h, "<h1>%s</h1>", _(r, "Annuaire"));
    search_form(r, h, q);
    st = db_query(r->db,
                  "SELECT id, name, job, department, site, status"
                  /*      0   1     2    3           4     5 */
                  "  FROM account"
                  " WHERE status <> 'deactivated'"
                  "   AND (? IS NULL OR name_folded LIKE ? ESCAPE '\\')"
                  "   AND (? = 0 OR (name_folded, id) >"
                  "                 (SELECT name_folded, id FROM account WHERE id = ?))"
                  " ORDER BY name_folded, id LIMIT ? /*scan-ok*/",
                  DB_TEXT(q && *q ? "" : NULL),
                  DB_TEXT(q ? like_pattern(r->a, str_fold(r->a, q)) : ""), DB_I64(after_id),
                  DB_I64(after_id), DB_INT(PEOPLE_PAGE_SIZE + 1));
    html_fmt(h, "<ul class=\"people\">");
    while (db_row(st)) {
        if (shown == PEOPLE_PAGE_SIZE) {
            more = true; /* the extra row asked for by LIMIT */
            break;
        }
        struct person_summary p = {
            .id = db_i64(st, 0),
            .name = db_text(st, 1),
            .job = db_text(st, 2),
            .department = db_text(st, 3),
            .site = db_text(st, 4),
            .never_signed_in = strcmp(db_text(st, 5), "invited") == 0,
        };
        people_card(r, h, &p);
        last_id = p.id;
        shown++;
    }
    if ((rc = db_end(st)) < 0)
        return http_reply_err(r, rc);
    html_fmt(h, "</ul>");
    if (shown == 0)
        html_fmt(h, "<p class=\"empty\">%s</p>", _(r, "Personne ne correspond à cette recherche."));
    if (more) {
        html_fmt(h, "<p class=\"more\"><a");
        if (q && *q)
            html_href(h, "/people?q=%s&after=%lld", q, (long long)last_id);
        else
            html_href(h, "/people?after=%lld", (long long)last_id);
        html_fmt(h, ">%s</a></p>", _(r, "Voir plus"));
    }
    return page_end(r);
}

/* "mars 2025" / "March 2025" from unix milliseconds. */
static const char *month_year(struct req *r, int64_t ms)
{
    static const char *const months[] = {
        N_("janvier"),   N_("février"), N_("mars"),     N_("avril"),
        N_("mai"),       N_("juin"),    N_("juillet"),  N_("août"),
        N_("septembre"), N_("octobre"), N_("novembre"), N_("décembre"),
    };
    time_t t = (time_t)(ms / 1000);
    struct tm tm;

    gmtime_r(&t, &tm);
    return arena_printf(r->a, "%s %d", i18n_text(r->lang, months[tm.tm_mon]), tm.tm_year + 1900);
}

static const char *role_label(struct req *r, const char *role)
{
    if (strcmp(role, "admin") == 0)
        return _(r, "Administrateur");
    if (strcmp(role, "animator") == 0)
        return _(r, "Animateur");
    if (strcmp(role, "guest") == 0)
        return _(r, "Invité externe");
    return NULL;
}

int people_page_show(struct req *r)
{
    int64_t id = http_param_id(r, "id");
    struct stmt *st;
    struct html *h;
    int rc;

    if (!id)
        return http_reply_err(r, ERR_NOTFOUND);
    st = db_query(r->db,
                  "SELECT name, job, department, site, role, created_ms"
                  /*      0     1    2           3     4     5 */
                  "  FROM account WHERE id = ? AND status <> 'deactivated'",
                  DB_I64(id));
    if (!db_row(st)) {
        rc = db_end(st);
        return http_reply_err(r, rc < 0 ? rc : ERR_NOTFOUND);
    }
    const char *name = arena_strdup(r->a, db_text(st, 0));
    const char *job = arena_strdup(r->a, db_text(st, 1));
    const char *department = arena_strdup(r->a, db_text(st, 2));
    const char *site = arena_strdup(r->a, db_text(st, 3));
    const char *role = role_label(r, db_text(st, 4));
    int64_t created_ms = db_i64(st, 5);
    if ((rc = db_end(st)) < 0)
        return http_reply_err(r, rc);

    h = page_begin(r, &(struct page){.title = name, .nav = NAV_PEOPLE});
    html_fmt(h,
             "<article class=\"profile card\"><header><span class=\"avatar big c%d\" "
             "aria-hidden=\"true\">%s</span><div><h1>%s</h1>",
             (int)(id % AVATAR_COLOURS), people_initials(r->a, name), name);
    if (*job)
        html_fmt(h, "<p class=\"job\">%s</p>", job);
    if (role)
        html_fmt(h, "<p><span class=\"badge\">%s</span></p>", role);
    html_fmt(h, "</div></header><dl class=\"facts\">");
    if (*department)
        html_fmt(h, "<dt>%s</dt><dd>%s</dd>", _(r, "Service"), department);
    if (*site)
        html_fmt(h, "<dt>%s</dt><dd>%s</dd>", _(r, "Site"), site);
    html_fmt(h, "<dt>%s</dt><dd>%s</dd></dl></article>", _(r, "Membre depuis"),
             month_year(r, created_ms));
    return page_end(r);
}
