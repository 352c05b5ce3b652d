/*
 * people_web.c - the directory (/people), profile pages (/people/{id}),
 * following (follow and unfollow forms, followers and following lists) and
 * the vCard of a member (/people/{id}.vcf).
 *
 * The directory lists active and invited members by name, with a name
 * search that ignores case and accents ("helene" finds "Hélène"), where
 * each word typed starts a word of the name ("hel mar" finds "Hélène
 * Martin"), and filters by department, site and skill, paginated by key:
 * "?after=ID" continues after that member in (folded name, id) order, so pages stay
 * right while members join.  Deactivated members are absent everywhere and
 * their profile answers 404.
 *
 * Every optional field is shown only when people_field_visible() allows it
 * for the viewer; a birthday shows its day and month, never its year.  The
 * bio is Markdown, rendered in cmark-gfm's safe mode (web/markdown.h).
 */
#include "people.h"
#include "photo.h"
#include "../core/str.h"
#include "../db/db.h"
#include "../feed/feed.h"
#include "../groups/groups.h"
#include "../web/i18n.h"
#include "../web/layout.h"
#include "../web/markdown.h"

#include <time.h>

#define PEOPLE_PAGE_SIZE 30
#define PEOPLE_QUERY_MAX 100
#define AVATAR_COLOURS 8

static const char *const month_names[] = {
    N_("janvier"), N_("février"), N_("mars"),      N_("avril"),   N_("mai"),      N_("juin"),
    N_("juillet"), N_("août"),    N_("septembre"), N_("octobre"), N_("novembre"), N_("décembre"),
};

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

void people_avatar(struct req *r, struct html *h, int64_t id, const char *name, const char *photo)
{
    if (photo && *photo)
        people_photo_img(h, id, photo, PEOPLE_PHOTO_SMALL, "", "");
    else
        html_fmt(h, "<span class=\"avatar c%d\" aria-hidden=\"true\">%s</span>",
                 (int)(id % AVATAR_COLOURS), people_initials(r->a, name));
}

void people_card(struct req *r, struct html *h, const struct person_summary *p)
{
    html_lit(h, "<li class=\"person\">");
    people_avatar(r, h, p->id, p->name, p->photo);
    html_lit(h, "<span class=\"who\"><a");
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

const char *people_birthday_label(struct req *r, const char *birthday)
{
    size_t n = birthday ? strlen(birthday) : 0;
    const char *md = n == 10 ? birthday + 5 : birthday;
    int month, day;

    if ((n != 5 && n != 10) || sscanf(md, "%2d-%2d", &month, &day) != 2 || month < 1 || month > 12)
        return NULL;
    return arena_printf(r->a, "%d %s", day, i18n_text(r->lang, month_names[month - 1]));
}

/* ---- directory ------------------------------------------------------------------ */

/* A text filter of the query string, NULL when absent or empty; false when too long. */
static bool query_text(struct req *r, const char *name, size_t max, const char **out)
{
    const char *v = http_query(r, name);

    *out = v && *v ? v : NULL;
    return !v || strlen(v) <= max;
}

static void search_form(struct req *r, struct html *h, const struct people_filter *f)
{
    html_fmt(h, "<form class=\"search\" method=\"get\"");
    html_action(h, "/people");
    html_fmt(h,
             " role=\"search\"><label for=\"people-q\">%s</label>"
             "<input id=\"people-q\" type=\"search\" name=\"q\" value=\"%s\" maxlength=\"100\">"
             "<label for=\"people-department\">%s</label>"
             "<input id=\"people-department\" name=\"department\" value=\"%s\" maxlength=\"120\">"
             "<label for=\"people-site\">%s</label>"
             "<input id=\"people-site\" name=\"site\" value=\"%s\" maxlength=\"120\">"
             "<label for=\"people-skill\">%s</label>"
             "<input id=\"people-skill\" name=\"skill\" value=\"%s\" maxlength=\"60\">"
             "<button type=\"submit\">%s</button></form>",
             _(r, "Nom"), f->q ? f->q : "", _(r, "Service"), f->department ? f->department : "",
             _(r, "Site"), f->site ? f->site : "", _(r, "Compétence"), f->skill ? f->skill : "",
             _(r, "Chercher"));
}

static const char *or_empty(const char *s)
{
    return s ? s : "";
}

int people_page_list(struct req *r)
{
    struct people_filter f = {0};
    const char *after = http_query(r, "after");
    struct person_summary *items;
    size_t len;
    int64_t next;
    struct html *h;
    int rc;

    if (!query_text(r, "q", PEOPLE_QUERY_MAX, &f.q) ||
        !query_text(r, "department", PEOPLE_TEXT_MAX * 4, &f.department) ||
        !query_text(r, "site", PEOPLE_TEXT_MAX * 4, &f.site) ||
        !query_text(r, "skill", PEOPLE_SKILL_MAX * 4, &f.skill))
        return http_reply_error(r, 400, "invalid", _(r, "La recherche est trop longue."));
    if (after && !str_to_i64(after, &f.after_id))
        return http_reply_error(r, 400, "invalid", _(r, "Le paramètre « after » est invalide."));
    rc = people_directory(r->db, r->a, &r->viewer, &f, PEOPLE_PAGE_SIZE, &items, &len, &next);
    if (rc == ERR_TOOBIG)
        return http_reply_error(r, 400, "invalid",
                                _(r, "La recherche compte trop de mots : huit au plus, sans les "
                                     "mots qui en commencent un autre."));
    if (rc < 0)
        return http_reply_err(r, rc);
    h = page_begin(r, &(struct page){.title = _(r, "Annuaire"), .nav = NAV_PEOPLE});
    html_fmt(h, "<h1>%s</h1>", _(r, "Annuaire"));
    search_form(r, h, &f);
    html_fmt(h, "<p class=\"experts-link\"><a");
    html_href(h, "/people/experts?q=%s", or_empty(f.q ? f.q : f.skill));
    html_fmt(h, ">%s</a></p>", _(r, "Qui sait ? Trouver qui connaît un sujet"));
    html_fmt(h, "<ul class=\"people\">");
    for (size_t i = 0; i < len; i++)
        people_card(r, h, &items[i]);
    html_fmt(h, "</ul>");
    if (len == 0)
        html_fmt(h, "<p class=\"empty\">%s</p>", _(r, "Personne ne correspond à cette recherche."));
    if (next) {
        html_fmt(h, "<p class=\"more\"><a");
        html_href(h, "/people?q=%s&department=%s&site=%s&skill=%s&after=%lld", or_empty(f.q),
                  or_empty(f.department), or_empty(f.site), or_empty(f.skill), (long long)next);
        html_fmt(h, ">%s</a></p>", _(r, "Voir plus"));
    }
    return page_end(r);
}

/* ---- profile page ------------------------------------------------------------------- */

/* "mars 2025" / "March 2025" from unix milliseconds. */
static const char *month_year(struct req *r, int64_t ms)
{
    time_t t = (time_t)(ms / 1000);
    struct tm tm;

    gmtime_r(&t, &tm);
    return arena_printf(r->a, "%s %d", i18n_text(r->lang, month_names[tm.tm_mon]),
                        tm.tm_year + 1900);
}

static const char *role_label(struct req *r, enum role role)
{
    if (role == ROLE_ADMIN)
        return _(r, "Administrateur");
    if (role == ROLE_ANIMATOR)
        return _(r, "Animateur");
    if (role == ROLE_GUEST)
        return _(r, "Invité externe");
    return NULL;
}

/* Which optional fields of p the viewer may see. */
static void visible_fields(struct req *r, const struct profile *p, bool out[PEOPLE_FIELD_COUNT])
{
    bool shares = people_share_community(r->db, r->viewer.id, p->id);

    for (int f = 0; f < PEOPLE_FIELD_COUNT; f++)
        out[f] = people_field_visible(&r->viewer, p->id, p->vis[f], shares);
}

static void profile_skills(struct req *r, struct html *h, const struct profile *p)
{
    html_fmt(h, "<section class=\"skills\"><h2>%s</h2><ul class=\"tags\">", _(r, "Compétences"));
    for (size_t i = 0; i < p->skills_len; i++) {
        html_fmt(h, "<li><a");
        html_href(h, "/people?skill=%s", p->skills[i]);
        html_fmt(h, ">%s</a></li>", p->skills[i]);
    }
    html_fmt(h, "</ul></section>");
}

static void profile_facts(struct req *r, struct html *h, const struct profile *p,
                          const bool vis[PEOPLE_FIELD_COUNT])
{
    const char *birthday = people_birthday_label(r, p->birthday);

    html_fmt(h, "<dl class=\"facts\">");
    if (vis[PEOPLE_FIELD_DEPARTMENT] && *p->department)
        html_fmt(h, "<dt>%s</dt><dd class=\"department\">%s</dd>", _(r, "Service"), p->department);
    if (vis[PEOPLE_FIELD_SITE] && *p->site)
        html_fmt(h, "<dt>%s</dt><dd class=\"site\">%s</dd>", _(r, "Site"), p->site);
    if (vis[PEOPLE_FIELD_PHONE] && *p->phone)
        html_fmt(h, "<dt>%s</dt><dd class=\"phone\">%s</dd>", _(r, "Téléphone"), p->phone);
    if (vis[PEOPLE_FIELD_BIRTHDAY] && birthday)
        html_fmt(h, "<dt>%s</dt><dd class=\"birthday\">%s</dd>", _(r, "Anniversaire"), birthday);
    html_fmt(h, "<dt>%s</dt><dd>%s</dd>", _(r, "Membre depuis"), month_year(r, p->created_ms));
    html_fmt(h, "<dt>%s</dt><dd><a", _(r, "Abonnés"));
    html_href(h, "/people/%lld/followers", (long long)p->id);
    html_fmt(h, " class=\"followers\">%lld</a></dd><dt>%s</dt><dd><a", (long long)p->followers,
             _(r, "Abonnements"));
    html_href(h, "/people/%lld/following", (long long)p->id);
    html_fmt(h, " class=\"following\">%lld</a></dd></dl>", (long long)p->following);
}

/* Follow or unfollow button, and the edit and vCard links. */
static void profile_actions(struct req *r, struct html *h, const struct profile *p)
{
    html_fmt(h, "<div class=\"actions\">");
    if (r->viewer.id != p->id) {
        if (people_is_following(r->db, r->viewer.id, p->id)) {
            html_form_begin(h, r, "/people/%lld/unfollow", (long long)p->id);
            html_fmt(h, "<button type=\"submit\">%s</button></form>", _(r, "Ne plus suivre"));
        } else {
            html_form_begin(h, r, "/people/%lld/follow", (long long)p->id);
            html_fmt(h, "<button type=\"submit\">%s</button></form>", _(r, "Suivre"));
        }
    }
    if (r->viewer.id == p->id || r->viewer.role == ROLE_ADMIN) {
        html_fmt(h, "<a class=\"button\"");
        html_href(h, "/people/%lld/edit", (long long)p->id);
        html_fmt(h, ">%s</a> ",
                 r->viewer.id == p->id ? _(r, "Modifier mon profil") : _(r, "Modifier le profil"));
    }
    html_fmt(h, "<a");
    html_href(h, "/people/%lld.vcf", (long long)p->id);
    html_fmt(h, ">%s</a></div>", _(r, "Carte de visite (vCard)"));
}

/* The id of a "{id}" or "{id}.vcf" path segment; 0 when malformed. */
static int64_t segment_id(const char *seg, bool *is_vcard)
{
    size_t n = seg ? strlen(seg) : 0;
    char digits[24];
    int64_t id;

    *is_vcard = n > 4 && strcmp(seg + n - 4, ".vcf") == 0;
    if (*is_vcard)
        n -= 4;
    if (n == 0 || n >= sizeof(digits) || seg[0] < '1' || seg[0] > '9')
        return 0;
    memcpy(digits, seg, n);
    digits[n] = '\0';
    return str_to_i64(digits, &id) && id > 0 ? id : 0;
}

/* The communities the member belongs to, those the viewer may know exist. */
static int profile_communities(struct req *r, struct html *h, int64_t id)
{
    struct groups_brief *items;
    size_t len = 0;
    int rc = groups_of_member(r->db, r->a, &r->viewer, id, &items, &len);

    if (rc < 0 || len == 0)
        return rc;
    html_fmt(h, "<section class=\"card profile-communities\"><h2>%s</h2><ul>", _(r, "Communautés"));
    for (size_t i = 0; i < len; i++) {
        html_lit(h, "<li><a");
        html_href(h, "/communities/%lld", (long long)items[i].id);
        html_fmt(h, ">%s</a> <span class=\"muted\">%s</span></li>", items[i].name,
                 items[i].purpose);
    }
    html_lit(h, "</ul></section>");
    return 0;
}

int people_page_show(struct req *r)
{
    bool is_vcard, vis[PEOPLE_FIELD_COUNT];
    const char *seg = http_param(r, "id");
    size_t seg_len = seg ? strlen(seg) : 0;
    int64_t id = segment_id(seg, &is_vcard);
    struct profile p;
    const char *role, *photo;
    struct html *h;
    int rc;

    /* "{id}.atom": the member's posts as an Atom feed (feed_atom.c). */
    if (!id && seg_len > 5 && strcmp(seg + seg_len - 5, ".atom") == 0) {
        id = segment_id(arena_strndup(r->a, seg, seg_len - 5), &is_vcard);
        return feed_atom_person(r, is_vcard ? 0 : id);
    }
    if (!id)
        return http_reply_err(r, ERR_NOTFOUND);
    if (is_vcard)
        return people_page_vcard(r, id);
    if ((rc = people_profile_load(r->db, r->a, id, &p)) < 0)
        return http_reply_err(r, rc);
    visible_fields(r, &p, vis);
    role = role_label(r, p.role);
    h = page_begin(r, &(struct page){.title = p.name, .nav = NAV_PEOPLE});
    html_lit(h, "<article class=\"profile card\"><header>");
    if ((photo = people_photo_visible(r->db, r->a, &r->viewer, id, PEOPLE_PHOTO_BIG)))
        people_photo_img(h, id, photo, PEOPLE_PHOTO_BIG, p.name, "big");
    else
        html_fmt(h, "<span class=\"avatar big c%d\" aria-hidden=\"true\">%s</span>",
                 (int)(id % AVATAR_COLOURS), people_initials(r->a, p.name));
    html_fmt(h, "<div><h1>%s</h1>", p.name);
    if (vis[PEOPLE_FIELD_JOB] && *p.job)
        html_fmt(h, "<p class=\"job\">%s</p>", p.job);
    if (role)
        html_fmt(h, "<p><span class=\"badge\">%s</span></p>", role);
    html_fmt(h, "</div></header>");
    profile_facts(r, h, &p, vis);
    if (vis[PEOPLE_FIELD_SKILLS] && p.skills_len)
        profile_skills(r, h, &p);
    if (vis[PEOPLE_FIELD_BIO] && *p.bio) {
        html_fmt(h, "<section class=\"bio\"><h2>%s</h2>", _(r, "Présentation"));
        html_markdown(h, r->a, p.bio);
        html_fmt(h, "</section>");
    }
    profile_actions(r, h, &p);
    html_fmt(h, "</article>");
    if (r->viewer.id == p.id && (rc = people_completeness_meter(r, h)) < 0)
        return http_reply_err(r, rc);
    if ((rc = profile_communities(r, h, p.id)) < 0)
        return http_reply_err(r, rc);
    /* Their recent activity: the posts the viewer may read. */
    if ((rc = feed_person_block(r, h, p.id)) < 0)
        return http_reply_err(r, rc);
    return page_end(r);
}

/* ---- following ----------------------------------------------------------------------- */

static int follow_change(struct req *r, bool follow)
{
    int64_t id = http_param_id(r, "id");
    int rc;

    if (!id)
        return http_reply_err(r, ERR_NOTFOUND);
    rc = follow ? people_follow(r->db, r->viewer.id, id) : people_unfollow(r->db, r->viewer.id, id);
    if (rc == ERR_INVALID)
        return http_reply_error(r, 400, "invalid",
                                _(r, "Vous ne pouvez pas vous suivre vous-même."));
    if (rc < 0)
        return http_reply_err(r, rc);
    return http_reply_redirect(r, arena_printf(r->a, "/people/%lld", (long long)id));
}

int people_form_follow(struct req *r)
{
    return follow_change(r, true);
}

int people_form_unfollow(struct req *r)
{
    return follow_change(r, false);
}

static int follow_page(struct req *r, bool followers)
{
    int64_t id = http_param_id(r, "id");
    const char *after = http_query(r, "after");
    int64_t after_id = 0, next;
    struct person_summary *items;
    struct profile p;
    struct html *h;
    size_t len;
    int rc;

    if (!id)
        return http_reply_err(r, ERR_NOTFOUND);
    if (after && !str_to_i64(after, &after_id))
        return http_reply_error(r, 400, "invalid", _(r, "Le paramètre « after » est invalide."));
    if ((rc = people_profile_load(r->db, r->a, id, &p)) < 0)
        return http_reply_err(r, rc);
    rc = people_follow_list(r->db, r->a, &r->viewer, id, followers, after_id, PEOPLE_PAGE_SIZE,
                            &items, &len, &next);
    if (rc < 0)
        return http_reply_err(r, rc);
    h = page_begin(r, &(struct page){.title = followers ? _(r, "Abonnés") : _(r, "Abonnements"),
                                     .nav = NAV_PEOPLE});
    html_fmt(h, "<h1>%s <a", followers ? _(r, "Abonnés de") : _(r, "Abonnements de"));
    html_href(h, "/people/%lld", (long long)id);
    html_fmt(h, ">%s</a></h1><ul class=\"people\">", p.name);
    for (size_t i = 0; i < len; i++)
        people_card(r, h, &items[i]);
    html_fmt(h, "</ul>");
    if (len == 0)
        html_fmt(h, "<p class=\"empty\">%s</p>", _(r, "Personne pour le moment."));
    if (next) {
        html_fmt(h, "<p class=\"more\"><a");
        if (followers)
            html_href(h, "/people/%lld/followers?after=%lld", (long long)id, (long long)next);
        else
            html_href(h, "/people/%lld/following?after=%lld", (long long)id, (long long)next);
        html_fmt(h, ">%s</a></p>", _(r, "Voir plus"));
    }
    return page_end(r);
}

int people_page_followers(struct req *r)
{
    return follow_page(r, true);
}

int people_page_following(struct req *r)
{
    return follow_page(r, false);
}

/* ---- vCard ---------------------------------------------------------------------------- */

/* A property value escaped per RFC 6350: \ , ; and newlines. */
static void vcard_escape(struct buf *b, const char *s)
{
    for (; *s; s++) {
        if (*s == '\\' || *s == ',' || *s == ';')
            buf_addch(b, '\\');
        if (*s == '\n')
            buf_addstr(b, "\\n");
        else if (*s != '\r')
            buf_addch(b, *s);
    }
}

/* Append "name:value\r\n" to out, folded at 75 octets without splitting a UTF-8 sequence. */
static void vcard_line(struct buf *out, struct arena *a, const char *name, const char *value)
{
    struct buf line;
    size_t col = 0;

    buf_init_arena(&line, a);
    buf_addstr(&line, name);
    buf_addch(&line, ':');
    buf_addstr(&line, value);
    for (size_t i = 0; i < line.len; i++) {
        if (col >= 74 && ((unsigned char)line.s[i] & 0xc0) != 0x80) {
            buf_addstr(out, "\r\n ");
            col = 1;
        }
        buf_addch(out, line.s[i]);
        col++;
    }
    buf_addstr(out, "\r\n");
}

static const char *escaped(struct arena *a, const char *s)
{
    struct buf b;

    buf_init_arena(&b, a);
    vcard_escape(&b, s);
    return b.s;
}

/* N: the last words as family name, the first as given name. */
static const char *vcard_n(struct arena *a, const char *name)
{
    const char *space = strchr(name, ' ');

    if (!space)
        return arena_printf(a, "%s;;;;", escaped(a, name));
    return arena_printf(a, "%s;%s;;;", escaped(a, space + 1),
                        escaped(a, arena_strndup(a, name, (size_t)(space - name))));
}

static void vcard_skills(struct buf *out, struct arena *a, const struct profile *p)
{
    struct buf list;

    buf_init_arena(&list, a);
    for (size_t i = 0; i < p->skills_len; i++) {
        if (i)
            buf_addch(&list, ',');
        vcard_escape(&list, p->skills[i]);
    }
    vcard_line(out, a, "CATEGORIES", list.s);
}

/* BDAY: the full date for the owner and administrators, else --MMDD. */
static const char *vcard_bday(struct req *r, const struct profile *p)
{
    bool full =
        strlen(p->birthday) == 10 && (r->viewer.id == p->id || r->viewer.role == ROLE_ADMIN);
    const char *md = strlen(p->birthday) == 10 ? p->birthday + 5 : p->birthday;

    if (full)
        return arena_printf(r->a, "%.4s%.2s%.2s", p->birthday, p->birthday + 5, p->birthday + 8);
    return arena_printf(r->a, "--%.2s%.2s", md, md + 3);
}

int people_page_vcard(struct req *r, int64_t id)
{
    bool vis[PEOPLE_FIELD_COUNT];
    struct profile p;
    struct buf *out = &r->out;
    int rc;

    if ((rc = people_profile_load(r->db, r->a, id, &p)) < 0)
        return http_reply_err(r, rc);
    visible_fields(r, &p, vis);
    buf_addstr(out, "BEGIN:VCARD\r\nVERSION:3.0\r\n");
    vcard_line(out, r->a, "FN", escaped(r->a, p.name));
    vcard_line(out, r->a, "N", vcard_n(r->a, p.name));
    if (vis[PEOPLE_FIELD_JOB] && *p.job)
        vcard_line(out, r->a, "TITLE", escaped(r->a, p.job));
    if (vis[PEOPLE_FIELD_DEPARTMENT] && *p.department)
        vcard_line(out, r->a, "ORG", escaped(r->a, p.department));
    if (vis[PEOPLE_FIELD_SITE] && *p.site)
        vcard_line(out, r->a, "ADR;TYPE=WORK",
                   arena_printf(r->a, ";;;%s;;;", escaped(r->a, p.site)));
    if (vis[PEOPLE_FIELD_PHONE] && *p.phone)
        vcard_line(out, r->a, "TEL;TYPE=WORK,VOICE", escaped(r->a, p.phone));
    if (vis[PEOPLE_FIELD_BIRTHDAY] && *p.birthday)
        vcard_line(out, r->a, "BDAY", vcard_bday(r, &p));
    if (vis[PEOPLE_FIELD_SKILLS] && p.skills_len)
        vcard_skills(out, r->a, &p);
    if (vis[PEOPLE_FIELD_BIO] && *p.bio)
        vcard_line(out, r->a, "NOTE", escaped(r->a, p.bio));
    buf_addstr(out, "END:VCARD\r\n");
    r->status = 200;
    r->out_type = "text/vcard; charset=utf-8";
    http_set_header(r, "Content-Disposition",
                    arena_printf(r->a, "attachment; filename=\"ruche-%lld.vcf\"", (long long)id));
    return 0;
}
