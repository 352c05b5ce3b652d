/*
 * groups_web.c - the communities' pages: the directory (/communities),
 * creating one (/communities/new), a community's page with its feed, its
 * about and members pages, editing it, its cover image, and the forms of
 * membership (join, request, invitation, leave, roles, removal, pins).
 *
 * Each handler first loads the community through groups_access(): what the
 * viewer may not know exists answers exactly as a missing community does
 * (404, same body), and a private community's content (feed, members)
 * answers 404 to non-members too.  Every action is a plain form with its
 * CSRF token that redirects (303); a refused one shows its reason with the
 * right status (400, 403, 409).  A refused creation or edit shows the form
 * again with what was typed.
 *
 * State: none.
 */
#include "groups_internal.h"
#include "../app.h"
#include "../auth/auth.h"
#include "../core/filestore.h"
#include "../core/str.h"
#include "../db/db.h"
#include "../feed/feed.h"
#include "../people/people.h"
#include "../people/photo.h"
#include "../web/i18n.h"
#include "../web/layout.h"
#include "../web/markdown.h"

enum tab { TAB_FEED, TAB_DISCUSSIONS, TAB_MEMBERS, TAB_ABOUT, TAB_NONE };

const char *groups_visibility_label(struct req *r, enum groups_visibility v)
{
    if (v == GROUPS_PUBLIC)
        return _(r, "Publique");
    if (v == GROUPS_PRIVATE)
        return _(r, "Privée");
    return _(r, "Secrète");
}

int groups_reply_refused(struct req *r, int rc, const char *problem)
{
    const char *message = problem ? i18n_text(r->lang, problem) : NULL;

    if (rc == ERR_NOTFOUND || !message)
        return http_reply_err(r, rc);
    if (rc == ERR_EXISTS)
        return http_reply_error(r, 409, "conflict", message);
    if (rc == ERR_DENIED)
        return http_reply_error(r, 403, "forbidden", message);
    if (rc == ERR_INVALID || rc == ERR_TOOBIG)
        return http_reply_error(r, 400, "invalid", message);
    return http_reply_err(r, rc);
}

int groups_cover_store(struct req *r, const char **hash, const char **problem)
{
    const struct kv *file = http_form_kv(r, "cover");
    struct buf jpeg;
    int rc;

    *hash = NULL;
    *problem = NULL;
    if (!file || file->value_len == 0)
        return 0;
    buf_init_arena(&jpeg, r->a);
    rc = people_photo_fit(r->a, (const unsigned char *)file->value, file->value_len,
                          GROUPS_COVER_WIDTH, GROUPS_COVER_HEIGHT, &jpeg);
    if (rc == ERR_INVALID || rc == ERR_TOOBIG || rc == ERR_NOMEM) {
        *problem = N_("La couverture doit être une image JPEG, PNG ou WebP lisible "
                      "(10 Mo et 40 mégapixels au plus).");
        return rc == ERR_TOOBIG ? ERR_TOOBIG : ERR_INVALID;
    }
    if (rc < 0)
        return rc;
    return filestore_put(r->a, arena_printf(r->a, "%s/%s", r->app->files_dir, GROUPS_COVER_DIR),
                         jpeg.s, jpeg.len, ".jpg", hash);
}

/* ---- pieces -------------------------------------------------------------------------- */

static const char *when(struct req *r, int64_t ms)
{
    return i18n_when(r->lang, r->a, ms, time_now_ms());
}

static const char *members_label(struct req *r, int64_t n)
{
    return n == 1 ? _(r, "membre") : _(r, "membres");
}

/* The badges of a community: visibility, the viewer's role, archived. */
static void badges(struct req *r, struct html *h, const struct community *c)
{
    html_fmt(h, "<span class=\"badge visibility-%s\">%s</span>",
             groups_visibility_name(c->visibility), groups_visibility_label(r, c->visibility));
    if (c->standing == GROUPS_ANIMATOR)
        html_fmt(h, " <span class=\"badge\">%s</span>", _(r, "Animateur"));
    else if (c->standing == GROUPS_MEMBER)
        html_fmt(h, " <span class=\"badge\">%s</span>", _(r, "Membre"));
    else if (c->standing == GROUPS_INVITED)
        html_fmt(h, " <span class=\"badge\">%s</span>", _(r, "Invitation"));
    else if (c->standing == GROUPS_REQUESTED)
        html_fmt(h, " <span class=\"badge\">%s</span>", _(r, "Demande envoyée"));
    if (c->archived_ms)
        html_fmt(h, " <span class=\"badge archived\">%s</span>", _(r, "Archivée"));
}

/* A community in a list: name, purpose, badges, members and last activity. */
static void community_item(struct req *r, struct html *h, const struct community *c)
{
    html_lit(h, "<li class=\"community card\"><h2><a");
    html_href(h, "/communities/%lld", (long long)c->id);
    html_fmt(h, ">%s</a></h2><p class=\"purpose\">%s</p><p class=\"meta\">", c->name, c->purpose);
    badges(r, h, c);
    html_fmt(h,
             " <span class=\"members\">%lld %s</span> · <span class=\"activity\">%s %s</span></p>",
             (long long)c->member_count, members_label(r, c->member_count), _(r, "activité"),
             when(r, c->last_activity_ms));
    html_lit(h, "</li>");
}

/* Where a membership form posts. */
enum action {
    ACT_JOIN,       /* /communities/{id}/join */
    ACT_LEAVE,      /* /communities/{id}/leave */
    ACT_INVITATION, /* /communities/{id}/invitation */
    ACT_INVITE,     /* /communities/{id}/invite */
    ACT_ADD,        /* /communities/{id}/members/add */
    ACT_REQUEST,    /* /communities/{id}/requests/{member} */
    ACT_ROLE,       /* /communities/{id}/members/{member}/role */
    ACT_REMOVE,     /* /communities/{id}/members/{member}/remove */
};

static void form_open(struct req *r, struct html *h, enum action act, int64_t id, int64_t member)
{
    long long c = (long long)id, m = (long long)member;

    switch (act) {
    case ACT_JOIN:
        html_form_begin(h, r, "/communities/%lld/join", c);
        break;
    case ACT_LEAVE:
        html_form_begin(h, r, "/communities/%lld/leave", c);
        break;
    case ACT_INVITATION:
        html_form_begin(h, r, "/communities/%lld/invitation", c);
        break;
    case ACT_INVITE:
        html_form_begin(h, r, "/communities/%lld/invite", c);
        break;
    case ACT_ADD:
        html_form_begin(h, r, "/communities/%lld/members/add", c);
        break;
    case ACT_REQUEST:
        html_form_begin(h, r, "/communities/%lld/requests/%lld", c, m);
        break;
    case ACT_ROLE:
        html_form_begin(h, r, "/communities/%lld/members/%lld/role", c, m);
        break;
    case ACT_REMOVE:
        html_form_begin(h, r, "/communities/%lld/members/%lld/remove", c, m);
        break;
    }
}

/* A one-button form, with one hidden field when name is not NULL. */
static void button_form(struct req *r, struct html *h, enum action act, int64_t id, int64_t member,
                        const char *name, const char *value, const char *label, const char *cls)
{
    form_open(r, h, act, id, member);
    if (name)
        html_fmt(h, "<input type=\"hidden\" name=\"%s\" value=\"%s\">", name, value);
    html_fmt(h, "<button type=\"submit\" class=\"%s\">%s</button></form>", cls, label);
}

/* Join, request, answer an invitation, leave: what the viewer may do from here. */
static void membership_actions(struct req *r, struct html *h, const struct community *c)
{
    html_lit(h, "<div class=\"actions membership\">");
    switch (c->standing) {
    case GROUPS_NONE:
        if (c->archived_ms || r->viewer.role == ROLE_GUEST)
            break;
        button_form(
            r, h, ACT_JOIN, c->id, 0, NULL, NULL,
            c->visibility == GROUPS_PUBLIC ? _(r, "Rejoindre") : _(r, "Demander à rejoindre"), "");
        break;
    case GROUPS_REQUESTED:
        html_fmt(h, "<p class=\"muted\">%s</p>",
                 _(r, "Votre demande attend la réponse d'un animateur."));
        button_form(r, h, ACT_LEAVE, c->id, 0, NULL, NULL, _(r, "Retirer ma demande"), "secondary");
        break;
    case GROUPS_INVITED:
        html_fmt(h, "<p>%s</p>", _(r, "Vous êtes invité à rejoindre cette communauté."));
        if (!c->archived_ms)
            button_form(r, h, ACT_INVITATION, c->id, 0, "answer", "accept",
                        _(r, "Accepter l'invitation"), "");
        button_form(r, h, ACT_INVITATION, c->id, 0, "answer", "decline", _(r, "Décliner"),
                    "secondary");
        break;
    case GROUPS_MEMBER:
    case GROUPS_ANIMATOR:
        button_form(r, h, ACT_LEAVE, c->id, 0, NULL, NULL, _(r, "Quitter la communauté"),
                    "secondary");
        break;
    }
    if (c->can_manage) {
        html_lit(h, "<a class=\"button\"");
        html_href(h, "/communities/%lld/edit", (long long)c->id);
        html_fmt(h, ">%s</a>", _(r, "Modifier"));
    }
    html_lit(h, "</div>");
}

static void tab_link(struct req *r, struct html *h, int64_t id, enum tab tab, enum tab current)
{
    html_lit(h, "<li><a");
    switch (tab) {
    case TAB_FEED:
    case TAB_NONE:
        html_href(h, "/communities/%lld", (long long)id);
        break;
    case TAB_DISCUSSIONS:
        html_href(h, "/communities/%lld/discussions", (long long)id);
        break;
    case TAB_MEMBERS:
        html_href(h, "/communities/%lld/members", (long long)id);
        break;
    case TAB_ABOUT:
        html_href(h, "/communities/%lld/about", (long long)id);
        break;
    }
    if (tab == current)
        html_lit(h, " aria-current=\"page\"");
    html_fmt(h, ">%s</a></li>",
             tab == TAB_DISCUSSIONS ? _(r, "Discussions")
             : tab == TAB_MEMBERS   ? _(r, "Membres")
             : tab == TAB_ABOUT     ? _(r, "À propos")
                                    : _(r, "Fil"));
}

/* The head of every page of a community: cover, name, purpose, badges, actions, tabs. */
static void community_head(struct req *r, struct html *h, const struct community *c, enum tab tab)
{
    html_lit(h, "<header class=\"community-head card\">");
    if (c->has_cover) {
        html_lit(h, "<img class=\"cover\"");
        html_src(h, "/communities/%lld/cover", (long long)c->id);
        html_lit(h, " alt=\"\">");
    }
    html_lit(h, "<h1><a");
    html_href(h, "/communities/%lld", (long long)c->id);
    html_fmt(h, ">%s</a></h1><p class=\"purpose lead\">%s</p><p class=\"meta\">", c->name,
             c->purpose);
    badges(r, h, c);
    html_fmt(h,
             " <span class=\"members\">%lld %s</span> · <span class=\"activity\">%s %s</span></p>",
             (long long)c->member_count, members_label(r, c->member_count),
             _(r, "dernière activité"), when(r, c->last_activity_ms));
    if (c->archived_ms)
        html_fmt(h, "<p class=\"notice archived\" role=\"status\">%s</p>",
                 _(r, "Cette communauté est archivée : elle se consulte mais ne change plus."));
    membership_actions(r, h, c);
    if (c->can_read) {
        html_fmt(h, "<nav class=\"tabs\" aria-label=\"%s\"><ul>", _(r, "Sections"));
        tab_link(r, h, c->id, TAB_FEED, tab);
        tab_link(r, h, c->id, TAB_DISCUSSIONS, tab);
        tab_link(r, h, c->id, TAB_MEMBERS, tab);
        tab_link(r, h, c->id, TAB_ABOUT, tab);
        html_lit(h, "</ul></nav>");
    }
    html_lit(h, "</header>");
}

/* The community of the route's {id} for the viewer; 0 or the reply already made (404). */
static int load_or_reply(struct req *r, struct community *c)
{
    int64_t id = http_param_id(r, "id");
    int rc = groups_access(r->db, r->a, &r->viewer, id, c);

    if (rc < 0)
        http_reply_err(r, rc);
    return rc;
}

/* ---- the directory -------------------------------------------------------------------- */

static const char *or_empty(const char *s)
{
    return s ? s : "";
}

static void kind_option(struct html *h, const char *value, const char *label, const char *current)
{
    if (strcmp(value, current) == 0)
        html_fmt(h, "<option value=\"%s\" selected>%s</option>", value, label);
    else
        html_fmt(h, "<option value=\"%s\">%s</option>", value, label);
}

static void directory_form(struct req *r, struct html *h, const struct groups_filter *f)
{
    const char *kind = or_empty(f->kind);

    html_lit(h, "<form class=\"search communities-search\" method=\"get\"");
    html_action(h, "/communities");
    html_fmt(h,
             " role=\"search\"><label for=\"communities-q\">%s</label>"
             "<input id=\"communities-q\" type=\"search\" name=\"q\" value=\"%s\" "
             "maxlength=\"100\"><label for=\"communities-kind\">%s</label>"
             "<select id=\"communities-kind\" name=\"kind\">",
             _(r, "Nom"), or_empty(f->q), _(r, "Type"));
    kind_option(h, "", _(r, "Toutes"), kind);
    kind_option(h, "public", _(r, "Publiques"), kind);
    kind_option(h, "private", _(r, "Privées"), kind);
    kind_option(h, "secret", _(r, "Secrètes"), kind);
    html_lit(h, "</select><label><input type=\"checkbox\" name=\"mine\" value=\"1\"");
    if (f->mine)
        html_lit(h, " checked");
    html_fmt(h, "> %s</label><button type=\"submit\">%s</button></form>", _(r, "Mes communautés"),
             _(r, "Chercher"));
}

/* The invitations waiting for the viewer, above the directory. */
static int invitations_block(struct req *r, struct html *h)
{
    struct groups_filter f = {.invited = true};
    struct community *items;
    size_t len;
    int64_t next;
    int rc = groups_list(r->db, r->a, &r->viewer, &f, 20, &items, &len, &next);

    if (rc < 0 || len == 0)
        return rc;
    html_fmt(h, "<section class=\"invitations\"><h2>%s</h2><ul class=\"communities grid\">",
             _(r, "Vos invitations"));
    for (size_t i = 0; i < len; i++)
        community_item(r, h, &items[i]);
    html_lit(h, "</ul></section>");
    return 0;
}

int groups_page_list(struct req *r)
{
    struct groups_filter f = {0};
    const char *after = http_query(r, "after"), *mine = http_query(r, "mine");
    struct community *items;
    size_t len;
    int64_t next;
    struct html *h;
    int rc;

    f.q = http_query(r, "q");
    f.kind = http_query(r, "kind");
    f.mine = mine && strcmp(mine, "1") == 0;
    if (f.q && strlen(f.q) > GROUPS_QUERY_MAX)
        return http_reply_error(r, 400, "invalid", _(r, "La recherche est trop longue."));
    if (after && *after && (!str_to_i64(after, &f.after_id) || f.after_id < 0))
        return http_reply_error(r, 400, "invalid", _(r, "Le paramètre « after » est invalide."));
    rc = groups_list(r->db, r->a, &r->viewer, &f, GROUPS_PAGE, &items, &len, &next);
    if (rc == ERR_INVALID)
        return http_reply_error(r, 400, "invalid",
                                _(r, "Le type doit être public, private ou secret."));
    if (rc < 0)
        return http_reply_err(r, rc);
    h = page_begin(r, &(struct page){.title = _(r, "Communautés"), .nav = NAV_COMMUNITIES});
    html_fmt(h, "<h1>%s</h1><p class=\"lead\">%s</p>", _(r, "Communautés"),
             _(r, "Chaque communauté a sa raison d'être, ses animateurs et ses membres."));
    if (groups_may_create(r->db, &r->viewer)) {
        html_lit(h, "<p><a class=\"button\"");
        html_href(h, "/communities/new");
        html_fmt(h, ">%s</a></p>", _(r, "Créer une communauté"));
    }
    if (!f.after_id && (rc = invitations_block(r, h)) < 0)
        return http_reply_err(r, rc);
    directory_form(r, h, &f);
    html_lit(h, "<ul class=\"communities grid\">");
    for (size_t i = 0; i < len; i++)
        community_item(r, h, &items[i]);
    html_lit(h, "</ul>");
    if (len == 0)
        html_fmt(h, "<p class=\"empty\">%s</p>",
                 _(r, "Aucune communauté ne correspond à cette recherche."));
    if (next) {
        html_lit(h, "<p class=\"more\"><a rel=\"next\"");
        html_href(h, "/communities?q=%s&kind=%s&mine=%s&after=%lld", or_empty(f.q),
                  or_empty(f.kind), f.mine ? "1" : "", (long long)next);
        html_fmt(h, ">%s</a></p>", _(r, "Voir plus"));
    }
    return page_end(r);
}

/* ---- creating and editing -------------------------------------------------------------- */

/* What the form shows: saved values, or what was just typed. */
struct form_values {
    const char *name, *purpose, *description, *visibility;
    bool has_cover;
};

static void field_error(struct req *r, struct html *h, const char *field, const char *bad,
                        const char *problem)
{
    if (bad && problem && strcmp(bad, field) == 0)
        html_fmt(h, "<span class=\"field-error\" id=\"%s-error\" role=\"alert\">%s</span>", field,
                 i18n_text(r->lang, problem));
}

static void invalid_attrs(struct html *h, const char *field, const char *bad)
{
    if (bad && strcmp(bad, field) == 0)
        html_fmt(h, " aria-invalid=\"true\" aria-describedby=\"%s-error\"", field);
}

static void visibility_choice(struct html *h, const char *value, const char *label,
                              const char *help, const char *current)
{
    html_fmt(h, "<label class=\"choice\"><input type=\"radio\" name=\"visibility\" value=\"%s\"",
             value);
    if (current && strcmp(current, value) == 0)
        html_lit(h, " checked");
    html_fmt(h, "> <strong>%s</strong> <span class=\"hint\">%s</span></label>", label, help);
}

static void community_form(struct req *r, struct html *h, int64_t id, const struct form_values *v,
                           const char *bad, const char *problem)
{
    if (id)
        html_form_begin_multipart(h, r, "/communities/%lld/edit", (long long)id);
    else
        html_form_begin_multipart(h, r, "/communities");
    html_fmt(h,
             "<label for=\"name\">%s</label><input id=\"name\" name=\"name\" maxlength=\"80\" "
             "required value=\"%s\"",
             _(r, "Nom"), or_empty(v->name));
    invalid_attrs(h, "name", bad);
    html_lit(h, ">");
    field_error(r, h, "name", bad, problem);
    html_fmt(h,
             "<label for=\"purpose\">%s</label><input id=\"purpose\" name=\"purpose\" "
             "maxlength=\"200\" required value=\"%s\"",
             _(r, "Raison d'être"), or_empty(v->purpose));
    invalid_attrs(h, "purpose", bad);
    html_fmt(h, "><span class=\"hint\">%s</span>",
             _(r, "Une phrase, 200 caractères au plus : à quoi sert cette communauté, pour qui. "
                  "Elle s'affiche en tête de sa page et dans chaque liste."));
    field_error(r, h, "purpose", bad, problem);
    html_fmt(h,
             "<label for=\"description\">%s</label><textarea id=\"description\" "
             "name=\"description\" rows=\"6\" maxlength=\"5000\"",
             _(r, "Description (Markdown, facultative)"));
    invalid_attrs(h, "description", bad);
    html_fmt(h, ">%s</textarea>", or_empty(v->description));
    field_error(r, h, "description", bad, problem);
    html_fmt(h, "<fieldset class=\"visibility\"><legend>%s</legend>", _(r, "Visibilité"));
    visibility_choice(h, "public", _(r, "Publique"),
                      _(r, "Tous les membres la lisent et la rejoignent."), v->visibility);
    visibility_choice(h, "private", _(r, "Privée"),
                      _(r, "Listée ; son contenu est réservé à ses membres, qui y entrent sur "
                           "demande acceptée par un animateur."),
                      v->visibility);
    visibility_choice(h, "secret", _(r, "Secrète"),
                      _(r, "Invisible pour qui n'en est pas membre ; on y entre sur invitation."),
                      v->visibility);
    field_error(r, h, "visibility", bad, problem);
    html_fmt(h,
             "</fieldset><label for=\"cover\">%s</label>"
             "<input type=\"file\" id=\"cover\" name=\"cover\" "
             "accept=\"image/jpeg,image/png,image/webp\"",
             _(r, "Image de couverture (facultative : JPEG, PNG ou WebP, 10 Mo au plus)"));
    invalid_attrs(h, "cover", bad);
    html_lit(h, ">");
    field_error(r, h, "cover", bad, problem);
    if (v->has_cover)
        html_fmt(h, "<label><input type=\"checkbox\" name=\"cover_remove\" value=\"1\"> %s</label>",
                 _(r, "Retirer la couverture actuelle"));
    html_fmt(h, "<button type=\"submit\">%s</button> <a",
             id ? _(r, "Enregistrer") : _(r, "Créer la communauté"));
    if (id)
        html_href(h, "/communities/%lld", (long long)id);
    else
        html_href(h, "/communities");
    html_fmt(h, ">%s</a></form>", _(r, "Annuler"));
}

static int form_page(struct req *r, int64_t id, int status, const struct form_values *v,
                     const char *bad, const char *problem)
{
    const char *title = id ? _(r, "Modifier la communauté") : _(r, "Créer une communauté");
    struct html *h = page_begin(r, &(struct page){.title = title, .nav = NAV_COMMUNITIES});

    html_fmt(h, "<section class=\"card\"><h1>%s</h1>", title);
    if (bad)
        html_fmt(h, "<p class=\"error\" role=\"alert\">%s</p>",
                 id ? _(r, "La communauté n'a pas été modifiée : corrigez le champ signalé.")
                    : _(r, "La communauté n'a pas été créée : corrigez le champ signalé."));
    community_form(r, h, id, v, bad, problem);
    html_lit(h, "</section>");
    r->status = status;
    return page_end(r);
}

static const char *const create_denied =
    N_("Vous ne pouvez pas créer de communauté : demandez-le à un animateur.");

int groups_page_new(struct req *r)
{
    if (!groups_may_create(r->db, &r->viewer))
        return r->viewer.role == ROLE_GUEST
                   ? http_reply_err(r, ERR_NOTFOUND)
                   : http_reply_error(r, 403, "forbidden", i18n_text(r->lang, create_denied));
    return form_page(r, 0, 200, &(struct form_values){.visibility = "public"}, NULL, NULL);
}

/* The submitted fields, trimmed of nothing: the domain checks them. */
static void form_read(struct req *r, struct groups_fields *f, struct form_values *v)
{
    v->name = f->name = http_form(r, "name");
    v->purpose = f->purpose = http_form(r, "purpose");
    v->description = f->description = http_form(r, "description");
    v->visibility = f->visibility = http_form(r, "visibility");
}

/* Status of a refused field: 409 for a name taken, 400 otherwise. */
static int field_status(int rc)
{
    return rc == ERR_EXISTS ? 409 : 400;
}

int groups_form_create(struct req *r)
{
    struct groups_fields f = {0};
    struct form_values v = {0};
    const char *field = NULL, *problem = NULL, *hash = NULL;
    int64_t id = 0;
    int rc;

    if (!groups_may_create(r->db, &r->viewer))
        return r->viewer.role == ROLE_GUEST
                   ? http_reply_err(r, ERR_NOTFOUND)
                   : http_reply_error(r, 403, "forbidden", i18n_text(r->lang, create_denied));
    form_read(r, &f, &v);
    if ((rc = groups_fields_check(&f, true, &field, &problem)) < 0)
        return form_page(r, 0, field_status(rc), &v, field, problem);
    if ((rc = groups_cover_store(r, &hash, &problem)) < 0)
        return problem ? form_page(r, 0, rc == ERR_TOOBIG ? 413 : 400, &v, "cover", problem)
                       : http_reply_err(r, rc);
    f.cover_hash = hash;
    rc = groups_create(r->db, &r->viewer, &f, &id, &field, &problem);
    if (field)
        return form_page(r, 0, field_status(rc), &v, field, problem);
    if (rc < 0)
        return groups_reply_refused(r, rc, problem);
    return http_reply_redirect(r, arena_printf(r->a, "/communities/%lld", (long long)id));
}

/* The community the viewer manages ({id}), or the reply made: 404 or 403. */
static int managed_or_reply(struct req *r, struct community *c)
{
    if (load_or_reply(r, c) < 0)
        return ERR_NOTFOUND;
    if (!c->can_manage) {
        groups_reply_refused(r, ERR_DENIED,
                             c->archived_ms
                                 ? N_("Cette communauté est archivée : elle ne change plus.")
                                 : N_("Seuls les animateurs de la communauté peuvent faire "
                                      "cela."));
        return ERR_DENIED;
    }
    return 0;
}

int groups_page_edit(struct req *r)
{
    struct community c;

    if (managed_or_reply(r, &c) < 0)
        return 0;
    return form_page(r, c.id, 200,
                     &(struct form_values){.name = c.name,
                                           .purpose = c.purpose,
                                           .description = c.description,
                                           .visibility = groups_visibility_name(c.visibility),
                                           .has_cover = c.has_cover},
                     NULL, NULL);
}

int groups_form_edit(struct req *r)
{
    struct groups_fields f = {0};
    struct form_values v = {0};
    const char *field = NULL, *problem = NULL, *hash = NULL, *remove = http_form(r, "cover_remove");
    struct community c;
    int rc;

    if (managed_or_reply(r, &c) < 0)
        return 0;
    form_read(r, &f, &v);
    v.has_cover = c.has_cover;
    if ((rc = groups_fields_check(&f, false, &field, &problem)) < 0)
        return form_page(r, c.id, field_status(rc), &v, field, problem);
    if ((rc = groups_cover_store(r, &hash, &problem)) < 0)
        return problem ? form_page(r, c.id, rc == ERR_TOOBIG ? 413 : 400, &v, "cover", problem)
                       : http_reply_err(r, rc);
    f.cover_hash = hash ? hash : (remove && strcmp(remove, "1") == 0 ? "" : NULL);
    rc = groups_update(r->db, r->a, &r->viewer, c.id, &f, &field, &problem);
    if (field)
        return form_page(r, c.id, field_status(rc), &v, field, problem);
    if (rc < 0)
        return groups_reply_refused(r, rc, problem);
    return http_reply_redirect(r, arena_printf(r->a, "/communities/%lld", (long long)c.id));
}

/* ---- a community's pages ---------------------------------------------------------------- */

/* The cursor ?before=ID; false when malformed. */
static bool before_cursor(struct req *r, int64_t *before)
{
    const char *s = http_query(r, "before");

    *before = 0;
    return !s || !*s || (str_to_i64(s, before) && *before > 0);
}

/* The pin or unpin button an animator sees under a post of the community. */
static void pin_form(struct req *r, struct html *h, const struct community *c,
                     const struct feed_post *p)
{
    html_form_begin(h, r, "/communities/%lld/posts/%lld/pin", (long long)c->id, (long long)p->id);
    html_fmt(h,
             "<input type=\"hidden\" name=\"pin\" value=\"%s\">"
             "<button type=\"submit\" class=\"link pin\">%s</button></form>",
             p->community_pinned_ms ? "0" : "1",
             p->community_pinned_ms ? _(r, "Désépingler") : _(r, "Épingler en tête"));
}

int groups_page_show(struct req *r)
{
    struct feed_query fq = {.kind = FEED_COMMUNITY};
    struct feed_post *items = NULL;
    struct community c;
    size_t len = 0;
    int64_t next = 0;
    struct html *h;
    int rc;

    if (load_or_reply(r, &c) < 0)
        return 0;
    if (!before_cursor(r, &fq.before_id))
        return http_reply_err(r, ERR_INVALID);
    fq.key = c.id;
    if (c.can_read && (rc = feed_list(r->db, r->a, &r->viewer, &fq, &items, &len, &next)) < 0)
        return http_reply_err(r, rc);
    h = page_begin(r, &(struct page){.title = c.name, .nav = NAV_COMMUNITIES});
    community_head(r, h, &c, TAB_FEED);
    if (!c.can_read) {
        html_fmt(h, "<p class=\"notice\">%s</p>",
                 _(r, "Cette communauté est privée : ses publications, ses discussions et ses "
                      "membres sont réservés à ses membres."));
        return page_end(r);
    }
    if (c.can_write && !fq.before_id)
        feed_compose_form(r, h, c.id);
    html_lit(h, "<div class=\"feed\">");
    for (size_t i = 0; i < len; i++) {
        if (items[i].community_pinned_ms)
            html_fmt(h, "<p class=\"pinned-label\">%s</p>", _(r, "Épinglé par un animateur"));
        feed_post_card(r, h, &items[i]);
        if (c.can_manage)
            pin_form(r, h, &c, &items[i]);
    }
    if (len == 0)
        html_fmt(h, "<p class=\"empty\">%s</p>",
                 fq.before_id ? _(r, "Rien de plus.")
                              : _(r, "Rien n'est encore publié ici : lancez la conversation."));
    html_lit(h, "</div>");
    if (next) {
        html_lit(h, "<p class=\"more\"><a rel=\"next\"");
        html_href(h, "/communities/%lld?before=%lld", (long long)c.id, (long long)next);
        html_fmt(h, ">%s</a></p>", _(r, "Voir plus"));
    }
    return page_end(r);
}

static void member_line(struct req *r, struct html *h, const struct groups_member *m)
{
    people_avatar(r, h, m->id, m->name, "");
    html_lit(h, "<span class=\"who\"><a");
    html_href(h, "/people/%lld", (long long)m->id);
    html_fmt(h, ">%s</a>", m->name);
    if (m->standing == GROUPS_ANIMATOR)
        html_fmt(h, " <span class=\"badge\">%s</span>", _(r, "Animateur"));
    if (m->role == ROLE_GUEST)
        html_fmt(h, " <span class=\"badge\">%s</span>", _(r, "Invité externe"));
    html_lit(h, "</span>");
}

int groups_page_about(struct req *r)
{
    struct groups_member *animators = NULL;
    struct community c;
    size_t len = 0;
    int64_t next;
    struct html *h;
    int rc;

    if (load_or_reply(r, &c) < 0)
        return 0;
    if (c.can_read && (rc = groups_members(r->db, r->a, c.id, GROUPS_ANIMATOR, 0, 50, &animators,
                                           &len, &next)) < 0)
        return http_reply_err(r, rc);
    h = page_begin(r, &(struct page){.title = c.name, .nav = NAV_COMMUNITIES});
    community_head(r, h, &c, TAB_ABOUT);
    html_fmt(h, "<section class=\"card about\"><h2>%s</h2><p class=\"purpose\">%s</p>",
             _(r, "Raison d'être"), c.purpose);
    if (c.can_read && *c.description) {
        html_fmt(h, "<h2>%s</h2><div class=\"description\">", _(r, "Description"));
        html_markdown(h, r->a, c.description);
        html_lit(h, "</div>");
    }
    html_fmt(h, "<dl class=\"facts\"><dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>%s</dd></dl>",
             _(r, "Visibilité"), groups_visibility_label(r, c.visibility), _(r, "Créée"),
             when(r, c.created_ms));
    if (len) {
        html_fmt(h, "<h2>%s</h2><ul class=\"people\">", _(r, "Animateurs"));
        for (size_t i = 0; i < len; i++) {
            html_lit(h, "<li class=\"person\">");
            member_line(r, h, &animators[i]);
            html_lit(h, "</li>");
        }
        html_lit(h, "</ul>");
    }
    html_lit(h, "</section>");
    return page_end(r);
}

/* An e-mail field and a button. */
static void email_form(struct req *r, struct html *h, enum action act, int64_t id,
                       const char *field_id, const char *label, const char *button)
{
    form_open(r, h, act, id, 0);
    html_fmt(h,
             "<label for=\"%s\">%s</label><input type=\"email\" id=\"%s\" name=\"email\" "
             "maxlength=\"254\" required><button type=\"submit\">%s</button></form>",
             field_id, label, field_id, button);
}

/* Requests and invitations waiting, with their buttons (animators). */
static int pending_section(struct req *r, struct html *h, const struct community *c)
{
    struct groups_member *items;
    size_t len;
    int64_t next;
    int rc = groups_members(r->db, r->a, c->id, GROUPS_REQUESTED, 0, 100, &items, &len, &next);

    if (rc < 0)
        return rc;
    if (len) {
        html_fmt(h, "<section class=\"card requests\"><h2>%s</h2><ul class=\"people\">",
                 _(r, "Demandes en attente"));
        for (size_t i = 0; i < len; i++) {
            html_lit(h, "<li class=\"person\">");
            member_line(r, h, &items[i]);
            button_form(r, h, ACT_REQUEST, c->id, items[i].id, "answer", "approve",
                        _(r, "Accepter"), "");
            button_form(r, h, ACT_REQUEST, c->id, items[i].id, "answer", "refuse", _(r, "Refuser"),
                        "secondary");
            html_lit(h, "</li>");
        }
        html_lit(h, "</ul></section>");
    }
    if ((rc = groups_members(r->db, r->a, c->id, GROUPS_INVITED, 0, 100, &items, &len, &next)) < 0)
        return rc;
    if (len) {
        html_fmt(h, "<section class=\"card invited\"><h2>%s</h2><ul class=\"people\">",
                 _(r, "Invitations en attente"));
        for (size_t i = 0; i < len; i++) {
            html_lit(h, "<li class=\"person\">");
            member_line(r, h, &items[i]);
            button_form(r, h, ACT_REMOVE, c->id, items[i].id, NULL, NULL,
                        _(r, "Annuler l'invitation"), "secondary");
            html_lit(h, "</li>");
        }
        html_lit(h, "</ul></section>");
    }
    return 0;
}

/* Role and removal buttons of a member, for animators. */
static void manage_buttons(struct req *r, struct html *h, const struct community *c,
                           const struct groups_member *m)
{
    bool animates = m->standing == GROUPS_ANIMATOR;

    html_lit(h, "<div class=\"actions\">");
    button_form(r, h, ACT_ROLE, c->id, m->id, "role", animates ? "member" : "animator",
                animates ? _(r, "Retirer le rôle d'animateur") : _(r, "Nommer animateur"), "link");
    if (m->id != r->viewer.id)
        button_form(r, h, ACT_REMOVE, c->id, m->id, NULL, NULL, _(r, "Retirer"), "link");
    html_lit(h, "</div>");
}

int groups_page_members(struct req *r)
{
    struct groups_member *items;
    const char *after = http_query(r, "after");
    int64_t after_id = 0, next;
    struct community c;
    size_t len;
    struct html *h;
    int rc;

    if (load_or_reply(r, &c) < 0)
        return 0;
    if (!c.can_read)
        return http_reply_err(r, ERR_NOTFOUND);
    if (after && *after && (!str_to_i64(after, &after_id) || after_id < 0))
        return http_reply_error(r, 400, "invalid", _(r, "Le paramètre « after » est invalide."));
    if ((rc = groups_members(r->db, r->a, c.id, GROUPS_MEMBER, after_id, GROUPS_PAGE, &items, &len,
                             &next)) < 0)
        return http_reply_err(r, rc);
    h = page_begin(r, &(struct page){.title = c.name, .nav = NAV_COMMUNITIES});
    community_head(r, h, &c, TAB_MEMBERS);
    if (c.can_manage && !after_id) {
        if ((rc = pending_section(r, h, &c)) < 0)
            return http_reply_err(r, rc);
        html_fmt(h, "<section class=\"card add-members\"><h2>%s</h2>", _(r, "Ajouter des membres"));
        email_form(r, h, ACT_ADD, c.id, "add-email", _(r, "Ajouter directement (adresse e-mail)"),
                   _(r, "Ajouter"));
        email_form(r, h, ACT_INVITE, c.id, "invite-email",
                   _(r, "Inviter (la personne accepte ou décline)"), _(r, "Inviter"));
        html_lit(h, "</section>");
    } else if (c.can_write && c.visibility != GROUPS_SECRET && !after_id) {
        html_fmt(h, "<section class=\"card add-members\"><h2>%s</h2>", _(r, "Inviter un collègue"));
        email_form(r, h, ACT_INVITE, c.id, "invite-email", _(r, "Adresse e-mail"), _(r, "Inviter"));
        html_lit(h, "</section>");
    }
    html_fmt(h, "<section class=\"card\"><h2>%s (%lld)</h2><ul class=\"people members\">",
             _(r, "Membres"), (long long)c.member_count);
    for (size_t i = 0; i < len; i++) {
        html_lit(h, "<li class=\"person\">");
        member_line(r, h, &items[i]);
        if (c.can_manage)
            manage_buttons(r, h, &c, &items[i]);
        html_lit(h, "</li>");
    }
    html_lit(h, "</ul>");
    if (next) {
        html_lit(h, "<p class=\"more\"><a rel=\"next\"");
        html_href(h, "/communities/%lld/members?after=%lld", (long long)c.id, (long long)next);
        html_fmt(h, ">%s</a></p>", _(r, "Voir plus"));
    }
    html_lit(h, "</section>");
    return page_end(r);
}

int groups_page_cover(struct req *r)
{
    int64_t id = http_param_id(r, "id");
    const char *hash = groups_cover(r->db, r->a, &r->viewer, id), *path, *etag, *inm;
    int rc;

    if (!hash || !(path = filestore_path(
                       r->a, arena_printf(r->a, "%s/%s", r->app->files_dir, GROUPS_COVER_DIR), hash,
                       ".jpg")))
        return http_reply_err(r, ERR_NOTFOUND);
    etag = arena_printf(r->a, "\"%s\"", hash);
    http_set_header(r, "ETag", etag);
    http_set_header(r, "Cache-Control", "private, no-cache");
    inm = http_header(r, "If-None-Match");
    if (inm && strcmp(inm, etag) == 0) {
        r->status = 304;
        return 0;
    }
    if ((rc = filestore_read(path, 16 * 1024 * 1024, &r->out)) < 0)
        return http_reply_err(r, rc == ERR_NOTFOUND ? ERR_NOTFOUND : rc);
    r->out_type = "image/jpeg";
    r->status = 200;
    return 0;
}

/* ---- membership forms ------------------------------------------------------------------ */

/* Where to go after a change: the page asked for, when the viewer may still see it. */
static int redirect_after(struct req *r, int64_t id, const char *suffix)
{
    struct community c;

    if (groups_access(r->db, r->a, &r->viewer, id, &c) < 0)
        return http_reply_redirect(r, "/communities");
    return http_reply_redirect(r, arena_printf(r->a, "/communities/%lld%s", (long long)id, suffix));
}

int groups_form_join(struct req *r)
{
    int64_t id = http_param_id(r, "id");
    enum groups_standing now;
    const char *problem = NULL;
    int rc = groups_join(r->db, r->a, &r->viewer, id, &now, &problem);

    return rc < 0 ? groups_reply_refused(r, rc, problem) : redirect_after(r, id, "");
}

int groups_form_leave(struct req *r)
{
    int64_t id = http_param_id(r, "id");
    const char *problem = NULL;
    int rc = groups_member_remove(r->db, r->a, &r->viewer, id, r->viewer.id, &problem);

    return rc < 0 ? groups_reply_refused(r, rc, problem) : redirect_after(r, id, "");
}

int groups_form_invitation(struct req *r)
{
    int64_t id = http_param_id(r, "id");
    const char *answer = http_form(r, "answer"), *problem = NULL;
    bool accept = answer && strcmp(answer, "accept") == 0;
    int rc;

    if (!accept && (!answer || strcmp(answer, "decline") != 0))
        return http_reply_err(r, ERR_INVALID);
    rc = groups_invitation_answer(r->db, r->a, &r->viewer, id, accept, &problem);
    return rc < 0 ? groups_reply_refused(r, rc, problem) : redirect_after(r, id, "");
}

/* The account named by the form's "email" field; 0 or the reply made (400, 404). */
static int account_from_form(struct req *r, int64_t id, int64_t *account_id)
{
    const char *email = http_form(r, "email");
    char *normal = email && strlen(email) <= 254 ? auth_email_normalise(r->a, email) : NULL;
    struct community c;
    struct account acc;
    int rc;

    /* A community the viewer may not know answers 404 before anything else. */
    if ((rc = groups_access(r->db, r->a, &r->viewer, id, &c)) < 0) {
        http_reply_err(r, rc);
        return rc;
    }
    if (!normal || auth_account_by_email(r->db, r->a, normal, &acc) < 0 ||
        strcmp(acc.status, "deactivated") == 0) {
        http_reply_error(r, 400, "invalid", _(r, "Aucun membre n'a cette adresse e-mail."));
        return ERR_INVALID;
    }
    *account_id = acc.id;
    return 0;
}

int groups_form_invite(struct req *r)
{
    int64_t id = http_param_id(r, "id"), who = 0;
    const char *problem = NULL;
    int rc;

    if (account_from_form(r, id, &who) < 0)
        return 0;
    rc = groups_invite(r->db, r->a, &r->viewer, id, who, &problem);
    return rc < 0 ? groups_reply_refused(r, rc, problem) : redirect_after(r, id, "/members");
}

int groups_form_member_add(struct req *r)
{
    int64_t id = http_param_id(r, "id"), who = 0;
    const char *problem = NULL;
    int rc;

    if (account_from_form(r, id, &who) < 0)
        return 0;
    rc = groups_member_add(r->db, r->a, &r->viewer, id, who, &problem);
    return rc < 0 ? groups_reply_refused(r, rc, problem) : redirect_after(r, id, "/members");
}

int groups_form_request(struct req *r)
{
    int64_t id = http_param_id(r, "id"), who = http_param_id(r, "member_id");
    const char *answer = http_form(r, "answer"), *problem = NULL;
    bool approve = answer && strcmp(answer, "approve") == 0;
    int rc;

    if (!approve && (!answer || strcmp(answer, "refuse") != 0))
        return http_reply_err(r, ERR_INVALID);
    rc = groups_request_answer(r->db, r->a, &r->viewer, id, who, approve, &problem);
    return rc < 0 ? groups_reply_refused(r, rc, problem) : redirect_after(r, id, "/members");
}

int groups_form_role(struct req *r)
{
    int64_t id = http_param_id(r, "id"), who = http_param_id(r, "member_id");
    const char *role = http_form(r, "role"), *problem = NULL;
    bool animator = role && strcmp(role, "animator") == 0;
    int rc;

    if (!animator && (!role || strcmp(role, "member") != 0))
        return http_reply_err(r, ERR_INVALID);
    rc = groups_role_set(r->db, r->a, &r->viewer, id, who, animator, &problem);
    return rc < 0 ? groups_reply_refused(r, rc, problem) : redirect_after(r, id, "/members");
}

int groups_form_remove(struct req *r)
{
    int64_t id = http_param_id(r, "id"), who = http_param_id(r, "member_id");
    const char *problem = NULL;
    int rc = groups_member_remove(r->db, r->a, &r->viewer, id, who, &problem);

    return rc < 0 ? groups_reply_refused(r, rc, problem) : redirect_after(r, id, "/members");
}

int groups_form_pin(struct req *r)
{
    int64_t id = http_param_id(r, "id"), post_id = http_param_id(r, "post_id");
    const char *pin = http_form(r, "pin");
    struct feed_post p;
    struct community c;
    int rc;

    if (load_or_reply(r, &c) < 0)
        return 0;
    if (!c.can_manage)
        return groups_reply_refused(r, ERR_DENIED,
                                    N_("Seuls les animateurs de la communauté "
                                       "peuvent faire cela."));
    rc = feed_post_load(r->db, r->a, &r->viewer, post_id, &p);
    if (rc == 0 && p.community_id != id)
        rc = ERR_NOTFOUND;
    if (rc == 0)
        rc = feed_post_pin(r->db, r->a, &r->viewer, post_id, pin && strcmp(pin, "1") == 0);
    if (rc < 0)
        return http_reply_err(r, rc);
    return http_reply_redirect(r, arena_printf(r->a, "/communities/%lld", (long long)id));
}
