/*
 * groups_admin.c - the communities' policy and health, for administrators
 * (/admin/communities): every community with its members, contributors and
 * posts over the last 30 days and its last activity; the share of private
 * and secret communities, with a warning above the site's threshold; the
 * two site settings (who may create a community, that threshold); and
 * archiving or reopening a community.
 *
 * The routes are ACCESS_ADMIN: anyone else gets the router's 404.  The
 * page shows names and counts only, never a community's content, so a
 * secret community's posts stay with its members even here.
 *
 * State: none.
 */
#include "groups_internal.h"
#include "../core/str.h"
#include "../db/db.h"
#include "../web/i18n.h"
#include "../web/layout.h"

#define CHART_BARS 15   /* communities in the chart: the most active */
#define CHART_WIDTH 600 /* SVG user units */
#define CHART_BAR 22
#define CHART_LABEL 220

/* The private and secret share among open (not archived) communities, in percent. */
static int closed_share(const struct groups_health *items, size_t len, int64_t *open,
                        int64_t *closed)
{
    *open = *closed = 0;
    for (size_t i = 0; i < len; i++) {
        if (items[i].c.archived_ms)
            continue;
        if (items[i].c.visibility == GROUPS_PUBLIC)
            (*open)++;
        else
            (*closed)++;
    }
    return *open + *closed ? (int)(*closed * 100 / (*open + *closed)) : 0;
}

static void ratio_block(struct req *r, struct html *h, const struct groups_health *items,
                        size_t len, const struct groups_settings *s)
{
    int64_t open, closed;
    int share = closed_share(items, len, &open, &closed);

    if (share > s->private_warn_percent)
        html_fmt(
            h, "<p class=\"error ratio-warning\" role=\"alert\">%s %d %% %s (%s %d %%). %s</p>",
            _(r, "Attention :"), share, _(r, "des communautés ouvertes sont privées ou secrètes"),
            _(r, "seuil"), s->private_warn_percent,
            _(r, "Trop de communautés fermées reconstruisent des silos : préférez des "
                 "communautés publiques."));
    else
        html_fmt(h, "<p class=\"notice ratio\">%d %% %s (%s %d %%).</p>", share,
                 _(r, "des communautés ouvertes sont privées ou secrètes"), _(r, "seuil"),
                 s->private_warn_percent);
    html_fmt(h, "<p class=\"stats\"><strong>%lld</strong> %s · <strong>%lld</strong> %s</p>",
             (long long)open, _(r, "publiques"), (long long)closed, _(r, "privées ou secrètes"));
}

static void settings_form(struct req *r, struct html *h, const struct groups_settings *s)
{
    html_fmt(h, "<section class=\"card\"><h2>%s</h2>", _(r, "Règles"));
    html_form_begin(h, r, "/admin/communities/settings");
    html_fmt(h,
             "<label for=\"create\">%s</label><select id=\"create\" name=\"create\">"
             "<option value=\"animators\">%s</option>",
             _(r, "Qui peut créer une communauté"), _(r, "Les animateurs et les administrateurs"));
    html_lit(h, "<option value=\"members\"");
    if (s->members_create)
        html_lit(h, " selected");
    html_fmt(h,
             ">%s</option></select><label for=\"private_warn_percent\">%s</label>"
             "<input type=\"number\" id=\"private_warn_percent\" name=\"private_warn_percent\" "
             "min=\"0\" max=\"100\" required value=\"%d\">"
             "<button type=\"submit\">%s</button></form></section>",
             _(r, "Tous les membres"),
             _(r, "Seuil d'alerte : part des communautés privées ou secrètes (%)"),
             s->private_warn_percent, _(r, "Enregistrer"));
}

/* A horizontal bar chart of the posts of the most active open communities. */
static void chart(struct req *r, struct html *h, const struct groups_health *items, size_t len)
{
    const struct groups_health *top[CHART_BARS];
    size_t n = 0;
    int64_t max = 1;

    for (size_t i = 0; i < len; i++) {
        const struct groups_health *x = &items[i];
        size_t k;
        if (x->c.archived_ms)
            continue;
        /* Insert x among the top, kept sorted by posts, most first. */
        for (k = n; k > 0 && top[k - 1]->posts < x->posts; k--)
            if (k < CHART_BARS)
                top[k] = top[k - 1];
        if (k < CHART_BARS) {
            top[k] = x;
            if (n < CHART_BARS)
                n++;
        }
    }
    if (n == 0)
        return;
    for (size_t i = 0; i < n; i++)
        if (top[i]->posts > max)
            max = top[i]->posts;
    html_fmt(h,
             "<figure class=\"chart\"><figcaption>%s</figcaption>"
             "<svg viewBox=\"0 0 %d %zu\" role=\"img\" aria-label=\"%s\">",
             _(r, "Publications des 30 derniers jours"), CHART_WIDTH, n * CHART_BAR + 4,
             _(r, "Publications des 30 derniers jours, par communauté"));
    for (size_t i = 0; i < n; i++) {
        long long width = (long long)(top[i]->posts * (CHART_WIDTH - CHART_LABEL - 40) / max);
        long long y = (long long)(i * CHART_BAR);
        html_fmt(
            h,
            "<text x=\"0\" y=\"%lld\" class=\"chart-label\">%s</text>"
            "<rect x=\"%d\" y=\"%lld\" width=\"%lld\" height=\"%d\" class=\"chart-bar\"></rect>"
            "<text x=\"%lld\" y=\"%lld\" class=\"chart-value\">%lld</text>",
            y + 15, top[i]->c.name, CHART_LABEL, y + 3, width, CHART_BAR - 6,
            CHART_LABEL + width + 6, y + 15, (long long)top[i]->posts);
    }
    html_lit(h, "</svg></figure>");
}

static void health_row(struct req *r, struct html *h, const struct groups_health *x)
{
    const char *when =
        x->c.last_activity_ms ? i18n_when(r->lang, r->a, x->c.last_activity_ms, time_now_ms()) : "";

    if (x->c.archived_ms)
        html_lit(h, "<tr class=\"archived\"><td>");
    else
        html_lit(h, "<tr><td>");
    if (x->c.visibility == GROUPS_SECRET) {
        html_text(h, x->c.name);
    } else {
        html_lit(h, "<a");
        html_href(h, "/communities/%lld", (long long)x->c.id);
        html_fmt(h, ">%s</a>", x->c.name);
    }
    html_fmt(h,
             "</td><td>%s</td><td class=\"number\">%lld</td><td class=\"number\">%lld</td>"
             "<td class=\"number\">%lld</td><td>%s</td><td>%s</td><td>",
             groups_visibility_label(r, x->c.visibility), (long long)x->c.member_count,
             (long long)x->contributors, (long long)x->posts, when,
             x->c.archived_ms ? _(r, "Archivée") : _(r, "Ouverte"));
    html_form_begin(h, r, "/admin/communities/%lld/archive", (long long)x->c.id);
    html_fmt(h,
             "<input type=\"hidden\" name=\"archived\" value=\"%s\">"
             "<button type=\"submit\" class=\"link\">%s</button></form></td></tr>",
             x->c.archived_ms ? "0" : "1", x->c.archived_ms ? _(r, "Rouvrir") : _(r, "Archiver"));
}

int groups_page_policy(struct req *r)
{
    struct groups_health *items;
    struct groups_settings s;
    size_t len;
    struct html *h;
    int rc;

    if ((rc = groups_policy(r->db, r->a, &items, &len)) < 0 ||
        (rc = groups_settings_get(r->db, &s)) < 0)
        return http_reply_err(r, rc);
    h = page_begin(
        r, &(struct page){.title = _(r, "Politique des communautés"), .nav = NAV_COMMUNITIES});
    html_fmt(h, "<h1>%s</h1><p class=\"lead\">%s</p>", _(r, "Politique des communautés"),
             _(r, "Peu de communautés, chacune avec sa raison d'être et ses animateurs : suivez "
                  "leur santé, archivez celles qui ne vivent plus."));
    ratio_block(r, h, items, len, &s);
    settings_form(r, h, &s);
    chart(r, h, items, len);
    html_fmt(h,
             "<div class=\"table-wrap\"><table class=\"policy\"><caption>%s</caption><thead><tr>"
             "<th>%s</th><th>%s</th><th class=\"number\">%s</th><th class=\"number\">%s</th>"
             "<th class=\"number\">%s</th><th>%s</th><th>%s</th><th>%s</th></tr></thead><tbody>",
             _(r, "Santé des communautés (30 derniers jours)"), _(r, "Communauté"),
             _(r, "Visibilité"), _(r, "Membres"), _(r, "Contributeurs"), _(r, "Publications"),
             _(r, "Dernière activité"), _(r, "État"), _(r, "Action"));
    for (size_t i = 0; i < len; i++)
        health_row(r, h, &items[i]);
    html_lit(h, "</tbody></table></div>");
    if (len == 0)
        html_fmt(h, "<p class=\"empty\">%s</p>", _(r, "Aucune communauté pour l'instant."));
    return page_end(r);
}

int groups_form_settings(struct req *r)
{
    const char *create = http_form(r, "create"), *percent = http_form(r, "private_warn_percent");
    struct groups_settings s = {0};
    int64_t n;
    int rc;

    if (!create || (strcmp(create, "animators") != 0 && strcmp(create, "members") != 0))
        return http_reply_error(r, 400, "invalid",
                                _(r, "Choisissez qui peut créer une communauté."));
    if (!percent || !str_to_i64(percent, &n) || n < 0 || n > 100)
        return http_reply_error(r, 400, "invalid", _(r, "Le seuil est un nombre de 0 à 100."));
    s.members_create = strcmp(create, "members") == 0;
    s.private_warn_percent = (int)n;
    if ((rc = groups_settings_set(r->db, &s)) < 0)
        return http_reply_err(r, rc);
    return http_reply_redirect(r, "/admin/communities");
}

int groups_form_archive(struct req *r)
{
    const char *archived = http_form(r, "archived");
    int rc;

    if (!archived || (strcmp(archived, "0") != 0 && strcmp(archived, "1") != 0))
        return http_reply_err(r, ERR_INVALID);
    rc = groups_archive(r->db, http_param_id(r, "id"), strcmp(archived, "1") == 0);
    return rc < 0 ? http_reply_err(r, rc) : http_reply_redirect(r, "/admin/communities");
}
