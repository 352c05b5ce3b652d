/*
 * layout.c - the frame shared by every HTML page (Fossil's style_header).
 *
 * page_begin() writes the document head and the site header: the product
 * name, the main navigation, the people search and the member menu (a
 * <details> element, so it opens without JavaScript), then opens <main>.
 * page_end() closes <main> and writes the footer with the language switch.
 * Handlers write their own <h1>.  No inline style or script anywhere: the
 * Content-Security-Policy forbids both.
 *
 * The writer returned by page_begin() comes from the request's arena;
 * page_end() needs no pointer to it and writes through a fresh writer on
 * r->out.  Owns no long-lived state.
 */
#include "web/layout.h"

#include "core/arena.h"
#include "core/buf.h"
#include "http/http.h"
#include "web/i18n.h"
#include "notify/notify.h" /* the unread count in the header of every page */

/* One entry of the main navigation. */
struct nav_link {
    enum nav nav;
    const char *path;
    const char *label; /* French message id */
};

/* A main-navigation link, aria-current="page" on the current section. */
static void nav_item(struct html *h, struct req *r, const struct nav_link *link, enum nav current)
{
    html_lit(h, "<li><a");
    html_href(h, "/%s", link->path + 1); /* paths are one segment */
    if (link->nav == current)
        html_lit(h, " aria-current=\"page\"");
    html_fmt(h, ">%s</a></li>", i18n_text(r->lang, link->label));
}

/* The bell with the unread count, kept current by live.js ("notifications.unread"). */
static void notifications_link(struct html *h, struct req *r)
{
    int64_t unread = 0;

    if (!r->db || notify_unread_count(r->db, &r->viewer, &unread) < 0)
        unread = 0;
    html_lit(h, "<a class=\"notif-link\"");
    html_href(h, "/notifications");
    html_fmt(h, " title=\"%s\"><img", _(r, "Notifications"));
    html_src(h, "/static/bell.svg");
    html_fmt(h, " alt=\"%s\" width=\"22\" height=\"22\">", _(r, "Notifications"));
    html_lit(h, "<span class=\"badge\" data-live-count=\"notifications.unread\"");
    if (!unread)
        html_lit(h, " hidden");
    html_fmt(h, "><span class=\"live-count\">%lld</span></span></a>", (long long)unread);
}

/* Navigation, search and member menu: signed-in pages only. */
static void header_member(struct html *h, struct req *r, const struct page *p)
{
    static const struct nav_link links[] = {
        {NAV_HOME, "/", N_("Accueil")},
        {NAV_COMMUNITIES, "/communities", N_("Communautés")},
        {NAV_PEOPLE, "/people", N_("Annuaire")},
        {NAV_MESSAGES, "/messages", N_("Messages")},
    };
    const char *name = r->viewer.name && r->viewer.name[0] ? r->viewer.name : r->viewer.email;

    html_fmt(h, "<nav class=\"site-nav\" aria-label=\"%s\"><ul>", _(r, "Navigation principale"));
    /* A section appears once its feature serves it, and only to who may open it. */
    for (size_t i = 0; i < ARRAY_SIZE(links); i++)
        if (http_route_reachable(r, links[i].path))
            nav_item(h, r, &links[i], p->nav);
    html_lit(h, "</ul></nav>");

    if (http_route_reachable(r, "/people")) {
        html_lit(h, "<form class=\"site-search\" method=\"get\" role=\"search\"");
        html_action(h, "/people");
        html_fmt(h, "><label for=\"site-search-q\" class=\"visually-hidden\">%s</label>",
                 _(r, "Rechercher"));
        html_fmt(h,
                 "<input type=\"search\" id=\"site-search-q\" name=\"q\" placeholder=\"%s\">"
                 "<button type=\"submit\">%s</button></form>",
                 _(r, "Rechercher des collègues"), _(r, "Rechercher"));
    }

    notifications_link(h, r);
    html_fmt(h, "<details class=\"member-menu\"><summary>%s</summary><div class=\"menu\">",
             name && name[0] ? name : _(r, "Mon compte"));
    html_lit(h, "<a");
    html_href(h, "/people/%lld", (long long)r->viewer.id);
    html_fmt(h, ">%s</a><a", _(r, "Mon profil"));
    html_href(h, "/account");
    html_fmt(h, ">%s</a>", _(r, "Mon compte"));
    html_form_begin(h, r, "/logout");
    html_fmt(h, "<button type=\"submit\">%s</button></form>", _(r, "Se déconnecter"));
    html_form_begin(h, r, "/logout/all");
    html_fmt(h, "<button type=\"submit\">%s</button></form>", _(r, "Se déconnecter partout"));
    html_lit(h, "</div></details>");
}

struct html *page_begin(struct req *r, const struct page *p)
{
    struct html *h = ARENA_NEW(r->a, struct html);
    const char *lang = i18n_is_supported(r->lang) ? r->lang : "fr";
    bool has_member_bar = r->viewer.id != 0 && !p->bare;

    if (!r->out.s || (r->out.s == buf_empty_slot && !r->out.a))
        buf_init_arena(&r->out, r->a);
    r->out_type = "text/html; charset=utf-8";
    html_init(h, &r->out);

    html_fmt(h, "<!DOCTYPE html>\n<html lang=\"%s\"><head><meta charset=\"utf-8\">", lang);
    html_lit(h, "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
    html_lit(h, "<meta name=\"color-scheme\" content=\"light dark\">");
    if (p->title && p->title[0])
        html_fmt(h, "<title>%s · Ruche</title>", p->title);
    else
        html_lit(h, "<title>Ruche</title>");
    html_lit(h, "<link rel=\"stylesheet\"");
    html_href(h, "/static/ruche.css");
    html_lit(h, "><link rel=\"icon\" type=\"image/svg+xml\"");
    html_href(h, "/static/favicon.svg");
    html_lit(h, ">");
    /* Signed-in pages receive live updates; the script only enhances them. */
    if (has_member_bar) {
        html_lit(h, "<script");
        html_src(h, "/static/live.js");
        html_lit(h, " defer></script></head>\n<body data-live=\"on\">");
    } else {
        html_lit(h, "</head>\n<body>");
    }

    html_fmt(h, "<a class=\"skip-link\" href=\"#main\">%s</a>", _(r, "Aller au contenu"));
    html_lit(h, "<header class=\"site-header\"><div class=\"bar\"><a class=\"brand\"");
    html_href(h, "/");
    html_lit(h, "><img");
    html_src(h, "/static/favicon.svg");
    html_lit(h, " alt=\"\" width=\"28\" height=\"28\"><span>Ruche</span></a>");
    if (has_member_bar)
        header_member(h, r, p);
    html_lit(h, "</div></header>\n<main id=\"main\" class=\"container\">");
    return h;
}

int page_end(struct req *r)
{
    struct html html;
    struct html *h = &html;
    bool is_french = !r->lang || strcmp(r->lang, "en") != 0;

    html_init(h, &r->out);
    html_lit(h, "</main>\n<footer class=\"site-footer\"><div class=\"bar\">");
    html_lit(h, "<p class=\"muted\">Ruche</p>");
    html_form_begin(h, r, "/settings/language");
    html_fmt(h, "<input type=\"hidden\" name=\"lang\" value=\"%s\">", is_french ? "en" : "fr");
    /* Each language is named in itself, hence the lang attribute on the button. */
    if (is_french)
        html_fmt(h, "<button type=\"submit\" id=\"lang-switch\" lang=\"en\">%s</button>",
                 _(r, "English"));
    else
        html_fmt(h, "<button type=\"submit\" id=\"lang-switch\" lang=\"fr\">%s</button>",
                 _(r, "Français"));
    html_lit(h, "</form></div></footer>\n</body></html>\n");
    if (r->status == 0)
        r->status = 200;
    return 0;
}

void html_form_begin_(struct html *h, struct req *r, const char *fmt, ...)
{
    va_list ap;

    html_lit(h, "<form method=\"post\"");
    va_start(ap, fmt);
    html_url_attr_va_(h, "action", fmt, ap);
    va_end(ap);
    html_fmt(h, "><input type=\"hidden\" name=\"csrf_token\" value=\"%s\">", r->csrf_token);
}

void html_form_begin_multipart_(struct html *h, struct req *r, const char *fmt, ...)
{
    va_list ap;

    html_lit(h, "<form method=\"post\" enctype=\"multipart/form-data\"");
    va_start(ap, fmt);
    html_url_attr_va_(h, "action", fmt, ap);
    va_end(ap);
    html_fmt(h, "><input type=\"hidden\" name=\"csrf_token\" value=\"%s\">", r->csrf_token);
}
