/*
 * home_web.c - the home page a member lands on after signing in.
 *
 * It greets the member, shows how many colleagues are on the network and
 * who arrived last, so a newcomer sees people rather than an empty page.
 * The feed (posts of the people followed, announcements, the compose form)
 * is the main column; the people blocks sit beside it.
 */
#include "home.h"
#include "../db/db.h"
#include "../feed/feed.h"
#include "../people/people.h"
#include "../web/i18n.h"
#include "../web/layout.h"

#define HOME_NEWCOMERS 6

/* The first word of a display name, for a friendly greeting. */
static const char *first_name(struct req *r, const char *name)
{
    size_t n = strcspn(name, " ");

    return n ? arena_strndup(r->a, name, n) : name;
}

static int newcomers_block(struct req *r, struct html *h)
{
    struct person_summary *items;
    size_t len = 0;
    int rc = people_newcomers(r->db, r->a, &r->viewer, HOME_NEWCOMERS, &items, &len);

    html_fmt(h, "<section class=\"card\"><h2>%s</h2><ul class=\"people\">", _(r, "Nouveaux venus"));
    for (size_t i = 0; i < len; i++)
        people_card(r, h, &items[i]);
    html_fmt(h, "</ul><p><a");
    html_href(h, "/people");
    html_fmt(h, ">%s</a></p></section>", _(r, "Tout l'annuaire"));
    return rc;
}

/* Active members and their sites: one pass over the accounts (it is a scan: bench/feed.sh). */
static int network_block(struct req *r, struct html *h)
{
    int64_t members = 0, sites = 0;
    struct stmt *q =
        db_query(r->db, "SELECT count(*), count(DISTINCT CASE WHEN site <> '' THEN site END)"
                        " FROM account WHERE status = 'active' /*scan-ok*/");
    int rc;

    if (db_row(q)) {
        members = db_i64(q, 0);
        sites = db_i64(q, 1);
    }
    if ((rc = db_end(q)) < 0)
        return rc;
    html_fmt(h, "<section class=\"card stats\"><h2>%s</h2><p><strong>%lld</strong> %s",
             _(r, "Votre réseau"), (long long)members,
             members < 2 ? _(r, "membre actif") : _(r, "membres actifs"));
    if (sites > 1)
        html_fmt(h, ", <strong>%lld</strong> %s", (long long)sites, _(r, "sites"));
    html_fmt(h, "</p></section>");
    return 0;
}

int home_page_show(struct req *r)
{
    struct html *h = page_begin(r, &(struct page){.title = _(r, "Accueil"), .nav = NAV_HOME});
    int rc;

    html_fmt(h, "<h1>%s, %s</h1><p class=\"lead\">%s</p>", _(r, "Bonjour"),
             first_name(r, r->viewer.name),
             _(r, "Bienvenue sur Ruche, le réseau de vos collègues."));
    if (r->viewer.role == ROLE_GUEST) {
        /* External guests: the feed of the communities they were added to, nothing else. */
        html_fmt(h, "<p class=\"notice\">%s</p>",
                 _(r, "Vous êtes invité externe : vous verrez ici les communautés où l'on vous a "
                      "ajouté."));
        if ((rc = feed_home_block(r, h)) < 0)
            return http_reply_err(r, rc);
        return page_end(r);
    }
    html_fmt(h, "<div class=\"home\"><div class=\"home-main\">");
    if ((rc = feed_home_block(r, h)) < 0)
        return http_reply_err(r, rc);
    html_fmt(h, "</div><aside class=\"home-aside\">");
    if ((rc = home_people_blocks(r, h)) < 0 || (rc = network_block(r, h)) < 0 ||
        (rc = newcomers_block(r, h)) < 0)
        return http_reply_err(r, rc);
    html_fmt(h, "</aside></div>");
    return page_end(r);
}
