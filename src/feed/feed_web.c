/*
 * feed_web.c - the feed's pages: the post card, composing, a post's page
 * with its comments and reactions, editing and its history, deleting,
 * announcements, the tag pages and the stream of everything (/posts).
 *
 * Everything works with plain forms: every action is a POST with its CSRF
 * token that redirects back (303) to where the member was, given by the
 * form's "back" field (a local path).  A refused text is shown again in
 * its form with the reason and status 400, so nothing typed is lost.
 */
#include "feed.h"
#include "../core/str.h"
#include "../db/db.h"
#include "../people/people.h"
#include "../web/i18n.h"
#include "../web/layout.h"

#define BACK_MAX 300

static const char *const reaction_labels[FEED_REACTION_COUNT] = {
    [FEED_REACTION_LIKE] = N_("J'aime"),     [FEED_REACTION_BRAVO] = N_("Bravo"),
    [FEED_REACTION_IDEA] = N_("Bonne idée"), [FEED_REACTION_THANKS] = N_("Merci"),
    [FEED_REACTION_SUPPORT] = N_("Soutien"),
};

/* The form field "back" when it is a local path, else fallback. */
static const char *back_path(struct req *r, const char *fallback)
{
    const char *back = http_form(r, "back");

    if (!back || back[0] != '/' || back[1] == '/' || back[1] == '\\' || strlen(back) > BACK_MAX ||
        strpbrk(back, "\r\n"))
        return fallback;
    return back;
}

/* Mark a field refused, pointing to its message (id error_id). */
static void invalid_attrs(struct html *h, const char *problem, const char *error_id)
{
    if (problem)
        html_fmt(h, " aria-invalid=\"true\" aria-describedby=\"%s\"", error_id);
}

static void back_field(struct html *h, const char *back)
{
    html_fmt(h, "<input type=\"hidden\" name=\"back\" value=\"%s\">", back);
}

/* The path of the page being shown, to come back to after a form. */
static const char *here(struct req *r)
{
    return r->path ? r->path : "/";
}

static void author_line(struct req *r, struct html *h, const struct feed_author *who,
                        int64_t post_id, int64_t created_ms, int64_t edited_ms)
{
    people_avatar(r, h, who->id, who->name, who->photo);
    html_lit(h, "<span class=\"who\"><a");
    html_href(h, "/people/%lld", (long long)who->id);
    html_fmt(h, ">%s</a> <a class=\"when\"", who->name);
    html_href(h, "/posts/%lld", (long long)post_id);
    html_fmt(h, "><time>%s</time></a>", i18n_when(r->lang, r->a, created_ms, time_now_ms()));
    if (edited_ms) {
        html_lit(h, " <a class=\"edited\"");
        html_href(h, "/posts/%lld/history", (long long)post_id);
        html_fmt(h, ">%s</a>", _(r, "(modifié)"));
    }
    html_lit(h, "</span>");
}

static void post_body(struct req *r, struct html *h, const struct feed_post *p)
{
    struct feed_mention *mentions = NULL;
    size_t len = 0;

    /* Only a body with an '@' can hold a mention: spare the others a query. */
    if (strchr(p->body, '@') && feed_mentions_load(r->db, r->a, p->id, &mentions, &len) < 0)
        len = 0;
    html_lit(h, "<div class=\"body\">");
    feed_html(h, r->a, p->body, mentions, len);
    html_lit(h, "</div>");
}

static void attachments(struct req *r, struct html *h, const struct feed_post *p)
{
    if (p->attachments_len == 0)
        return;
    html_lit(h, "<ul class=\"attachments\">");
    for (size_t i = 0; i < p->attachments_len; i++) {
        const struct feed_attachment *f = &p->attachments[i];
        html_lit(h, "<li><a");
        html_href(h, "/posts/%lld/files/%d", (long long)p->id, f->position);
        if (f->is_image) {
            html_lit(h, "><img");
            html_src(h, "/posts/%lld/files/%d/thumb", (long long)p->id, f->position);
            html_fmt(h, " alt=\"%s\" loading=\"lazy\"></a></li>", f->name);
        } else {
            html_fmt(h, ">%s</a> <small>%lld %s</small></li>", f->name,
                     (long long)((f->size + 1023) / 1024), _(r, "Ko"));
        }
    }
    html_lit(h, "</ul>");
}

static void reactions_form(struct req *r, struct html *h, const struct feed_post *p)
{
    if (!feed_may_take_part(&r->viewer, p)) { /* the counts, without buttons */
        html_lit(h, "<span class=\"reactions\">");
        for (int k = 0; k < FEED_REACTION_COUNT; k++)
            if (p->reaction_counts[k])
                html_fmt(h, "<span class=\"reaction\">%s <span class=\"count\">%lld</span></span>",
                         i18n_text(r->lang, reaction_labels[k]), (long long)p->reaction_counts[k]);
        html_lit(h, "</span>");
        return;
    }
    html_form_begin(h, r, "/posts/%lld/react", (long long)p->id);
    back_field(h, here(r));
    html_lit(h, "<span class=\"reactions\">");
    for (int k = 0; k < FEED_REACTION_COUNT; k++) {
        bool mine = p->my_reaction == k;
        html_fmt(h,
                 "<button type=\"submit\" name=\"kind\" value=\"%s\" aria-pressed=\"%s\""
                 " class=\"reaction%s\">%s",
                 mine ? "none" : feed_reaction_name((enum feed_reaction)k), mine ? "true" : "false",
                 mine ? " mine" : "", i18n_text(r->lang, reaction_labels[k]));
        if (p->reaction_counts[k])
            html_fmt(h, " <span class=\"count\">%lld</span>", (long long)p->reaction_counts[k]);
        html_lit(h, "</button>");
    }
    html_lit(h, "</span></form>");
}

static void post_actions(struct req *r, struct html *h, const struct feed_post *p)
{
    html_lit(h, "<span class=\"actions\"><a");
    html_href(h, "/posts/%lld#comments", (long long)p->id);
    html_fmt(h, ">%s (%lld)</a>", _(r, "Commenter"), (long long)p->comment_count);
    if (feed_may_edit(&r->viewer, p)) {
        html_lit(h, " <a");
        html_href(h, "/posts/%lld/edit", (long long)p->id);
        html_fmt(h, ">%s</a>", _(r, "Modifier"));
    }
    if (feed_may_delete(&r->viewer, p)) {
        html_lit(h, " <a");
        html_href(h, "/posts/%lld/delete", (long long)p->id);
        html_fmt(h, ">%s</a>", _(r, "Supprimer"));
    }
    if (p->community_id == 0 ? r->viewer.role == ROLE_ADMIN : p->viewer_animates && !p->read_only) {
        bool pinned = p->community_id ? p->community_pinned_ms > 0 : p->pinned_ms > 0;
        html_form_begin(h, r, "/posts/%lld/pin", (long long)p->id);
        back_field(h, here(r));
        html_fmt(h, "<input type=\"hidden\" name=\"pin\" value=\"%s\">", pinned ? "0" : "1");
        if (p->community_id)
            html_fmt(h, "<button type=\"submit\" class=\"link\">%s</button></form>",
                     pinned ? _(r, "Désépingler") : _(r, "Épingler dans la communauté"));
        else
            html_fmt(h, "<button type=\"submit\" class=\"link\">%s</button></form>",
                     pinned ? _(r, "Retirer l'annonce") : _(r, "Épingler en annonce"));
    }
    html_lit(h, "</span>");
}

void feed_post_card(struct req *r, struct html *h, const struct feed_post *p)
{
    html_fmt(h, "<article class=\"post%s\" id=\"post-%lld\"><header>",
             p->pinned_ms ? " announcement" : "", (long long)p->id);
    author_line(r, h, &p->author, p->id, p->created_ms, p->edited_ms);
    html_lit(h, "</header>");
    post_body(r, h, p);
    feed_preview_card(r, h, p);
    attachments(r, h, p);
    html_lit(h, "<footer>");
    reactions_form(r, h, p);
    post_actions(r, h, p);
    html_lit(h, "</footer></article>");
}

/* ---- composing ---------------------------------------------------------------- */

static void compose(struct req *r, struct html *h, int64_t community_id, const char *body,
                    const char *problem, const char *back)
{
    html_form_begin_multipart(h, r, "/posts");
    html_fmt(h, "<fieldset class=\"compose\"><legend>%s</legend>", _(r, "Publier"));
    back_field(h, back);
    if (community_id)
        html_fmt(h, "<input type=\"hidden\" name=\"community_id\" value=\"%lld\">",
                 (long long)community_id);
    if (problem)
        html_fmt(h, "<p class=\"field-error\" id=\"body-error\">%s</p>", problem);
    html_fmt(h,
             "<label for=\"post-body\" class=\"visually-hidden\">%s</label>"
             "<textarea id=\"post-body\" name=\"body\" rows=\"3\" maxlength=\"10000\" "
             "placeholder=\"%s\"",
             _(r, "Votre message"),
             _(r, "Partagez une information, une question, un lien… @mentionnez, #étiquetez"));
    invalid_attrs(h, problem, "body-error");
    html_fmt(h, ">%s</textarea>", body ? body : "");
    html_fmt(h,
             "<p class=\"compose-actions\"><label>%s <input type=\"file\" name=\"files\" "
             "multiple accept=\"image/jpeg,image/png,image/webp,application/pdf,.doc,.docx,.odt,"
             ".xls,.xlsx,.ods,.ppt,.pptx,.odp,.txt,.csv\"></label> "
             "<button type=\"submit\">%s</button></p></fieldset></form>",
             _(r, "Joindre des fichiers (10 au plus)"), _(r, "Publier"));
}

void feed_compose_form(struct req *r, struct html *h, int64_t community_id)
{
    compose(r, h, community_id, NULL, NULL, here(r));
}

/* A refused post: the form again, with the text and the reason. */
static int compose_again(struct req *r, int status, const char *body, const char *problem,
                         const char *back)
{
    struct html *h;

    buf_reset(&r->out);
    h = page_begin(r, &(struct page){.title = _(r, "Publier"), .nav = NAV_HOME});
    html_fmt(h, "<h1>%s</h1>", _(r, "Publier"));
    compose(r, h, 0, body, i18n_text(r->lang, problem), back);
    r->status = status;
    return page_end(r);
}

static int form_create(struct req *r)
{
    const char *body = http_form(r, "body");
    const char *back = back_path(r, "/");
    const char *problem = NULL;
    struct feed_new_post p = {.body = body ? body : ""};
    const char *community = http_form(r, "community_id");
    int64_t id = 0;
    int rc;

    if (community && *community && (!str_to_i64(community, &p.community_id) || p.community_id < 0))
        return http_reply_err(r, ERR_INVALID);
    rc = feed_post_create_with_files(r, &p, &id, &problem);
    if (rc == ERR_INVALID || rc == ERR_TOOBIG)
        return compose_again(r, rc == ERR_TOOBIG ? 413 : 400, p.body, problem, back);
    if (rc == ERR_DENIED && problem)
        return http_reply_error(r, 403, "forbidden", i18n_text(r->lang, problem));
    if (rc < 0)
        return http_reply_err(r, rc);
    return http_reply_redirect(r, strcmp(back, "/") == 0 ? "/" : back);
}

/* ---- a post's page ----------------------------------------------------------------- */

static void comment_item(struct req *r, struct html *h, const struct feed_post *post,
                         const struct feed_comment *c)
{
    struct feed_mention *mentions = NULL;
    size_t len = 0;

    if (strchr(c->body, '@') && feed_mentions_load(r->db, r->a, post->id, &mentions, &len) < 0)
        len = 0;
    html_fmt(h, "<li class=\"comment%s\" id=\"comment-%lld\"><header>",
             c->parent_id ? " reply" : "", (long long)c->id);
    people_avatar(r, h, c->author.id, c->author.name, c->author.photo);
    html_lit(h, "<span class=\"who\"><a");
    html_href(h, "/people/%lld", (long long)c->author.id);
    html_fmt(h, ">%s</a> <time>%s</time>", c->author.name,
             i18n_when(r->lang, r->a, c->created_ms, time_now_ms()));
    if (c->edited_ms) {
        html_lit(h, " <a class=\"edited\"");
        html_href(h, "/comments/%lld/history", (long long)c->id);
        html_fmt(h, ">%s</a>", _(r, "(modifié)"));
    }
    html_lit(h, "</span></header><div class=\"body\">");
    feed_html(h, r->a, c->body, mentions, len);
    html_lit(h, "</div><p class=\"actions\">");
    if (c->author.id == r->viewer.id && !post->read_only) {
        html_lit(h, "<a");
        html_href(h, "/comments/%lld/edit", (long long)c->id);
        html_fmt(h, ">%s</a> ", _(r, "Modifier"));
    }
    if ((c->author.id == r->viewer.id && !post->read_only) || feed_may_delete(&r->viewer, post)) {
        html_form_begin(h, r, "/comments/%lld/delete", (long long)c->id);
        html_fmt(h, "<button type=\"submit\" class=\"link\">%s</button></form>", _(r, "Supprimer"));
    }
    html_lit(h, "</p>");
    if (!c->parent_id && feed_may_take_part(&r->viewer, post)) {
        html_fmt(h, "<details class=\"reply-form\"><summary>%s</summary>", _(r, "Répondre"));
        html_form_begin(h, r, "/posts/%lld/comments", (long long)post->id);
        html_fmt(
            h,
            "<input type=\"hidden\" name=\"parent_id\" value=\"%lld\">"
            "<label class=\"visually-hidden\" for=\"reply-%lld\">%s</label>"
            "<textarea id=\"reply-%lld\" name=\"body\" rows=\"2\" maxlength=\"5000\"></textarea>"
            "<button type=\"submit\">%s</button></form></details>",
            (long long)c->id, (long long)c->id, _(r, "Votre réponse"), (long long)c->id,
            _(r, "Répondre"));
    }
    html_lit(h, "</li>");
}

static void reactors(struct req *r, struct html *h, const struct feed_post *p)
{
    struct feed_author *who;
    enum feed_reaction *kinds;
    size_t len = 0;

    if (p->reaction_count == 0 || feed_reactors(r->db, r->a, p->id, 50, &who, &kinds, &len) < 0)
        return;
    html_fmt(h, "<details class=\"reactors\"><summary>%s (%lld)</summary><ul>", _(r, "Qui a réagi"),
             (long long)p->reaction_count);
    for (size_t i = 0; i < len; i++) {
        html_lit(h, "<li><a");
        html_href(h, "/people/%lld", (long long)who[i].id);
        html_fmt(h, ">%s</a> %s</li>", who[i].name,
                 kinds[i] == FEED_REACTION_NONE ? ""
                                                : i18n_text(r->lang, reaction_labels[kinds[i]]));
    }
    html_lit(h, "</ul></details>");
}

static void comment_form(struct req *r, struct html *h, int64_t post_id, const char *body,
                         const char *problem)
{
    html_form_begin(h, r, "/posts/%lld/comments", (long long)post_id);
    if (problem)
        html_fmt(h, "<p class=\"field-error\" id=\"comment-error\">%s</p>", problem);
    html_fmt(h,
             "<label for=\"comment-body\">%s</label>"
             "<textarea id=\"comment-body\" name=\"body\" rows=\"3\" maxlength=\"5000\"",
             _(r, "Votre commentaire"));
    invalid_attrs(h, problem, "comment-error");
    html_fmt(h, ">%s</textarea><button type=\"submit\">%s</button></form>", body ? body : "",
             _(r, "Commenter"));
}

static int show_post(struct req *r, int64_t id, const char *comment_body, const char *problem)
{
    struct feed_post p;
    struct feed_comment *comments;
    size_t len = 0;
    struct html *h;
    int rc = feed_post_load(r->db, r->a, &r->viewer, id, &p);

    if (rc == 0)
        rc = feed_comments(r->db, r->a, id, &comments, &len);
    if (rc < 0)
        return http_reply_err(r, rc);
    h = page_begin(
        r, &(struct page){.title = arena_printf(r->a, _(r, "Publication de %s"), p.author.name),
                          .nav = NAV_HOME});
    feed_post_card(r, h, &p);
    reactors(r, h, &p);
    html_fmt(h, "<section id=\"comments\" class=\"comments\"><h2>%s</h2><ul>",
             _(r, "Commentaires"));
    for (size_t i = 0; i < len; i++)
        comment_item(r, h, &p, &comments[i]);
    html_lit(h, "</ul>");
    if (feed_may_take_part(&r->viewer, &p))
        comment_form(r, h, id, comment_body, problem);
    else
        html_fmt(h, "<p class=\"muted\">%s</p>",
                 p.read_only ? _(r, "Cette communauté est archivée : on ne peut plus y commenter.")
                             : _(r, "Rejoignez la communauté pour commenter."));
    html_lit(h, "</section>");
    return page_end(r);
}

static int page_show(struct req *r)
{
    return show_post(r, http_param_id(r, "id"), NULL, NULL);
}

static int form_comment(struct req *r)
{
    int64_t post_id = http_param_id(r, "id"), parent = 0, id = 0;
    const char *body = http_form(r, "body");
    const char *parent_text = http_form(r, "parent_id");
    const char *problem = NULL;
    int rc;

    if (parent_text && *parent_text && (!str_to_i64(parent_text, &parent) || parent < 0))
        return http_reply_err(r, ERR_INVALID);
    rc = feed_comment_create(r->db, r->a, &r->viewer, post_id, parent, body ? body : "", &id,
                             &problem);
    if (rc == ERR_INVALID || rc == ERR_TOOBIG) {
        r->status = rc == ERR_TOOBIG ? 413 : 400;
        return show_post(r, post_id, body, i18n_text(r->lang, problem));
    }
    if (rc == ERR_DENIED && problem)
        return http_reply_error(r, 403, "forbidden", i18n_text(r->lang, problem));
    if (rc < 0)
        return http_reply_err(r, rc);
    return http_reply_redirect(
        r, arena_printf(r->a, "/posts/%lld#comment-%lld", (long long)post_id, (long long)id));
}

/* ---- editing, history, deleting ----------------------------------------------------- */

/* The form editing post id, or comment id when is_comment. */
static void edit_form(struct req *r, struct html *h, bool is_comment, int64_t id, const char *body,
                      const char *problem, size_t max)
{
    if (is_comment)
        html_form_begin(h, r, "/comments/%lld/edit", (long long)id);
    else
        html_form_begin(h, r, "/posts/%lld/edit", (long long)id);
    if (problem)
        html_fmt(h, "<p class=\"field-error\" id=\"body-error\">%s</p>", problem);
    html_fmt(h,
             "<label for=\"edit-body\">%s</label><textarea id=\"edit-body\" name=\"body\" "
             "rows=\"8\" maxlength=\"%zu\"",
             _(r, "Texte"), max);
    invalid_attrs(h, problem, "body-error");
    html_fmt(h, ">%s</textarea><button type=\"submit\">%s</button></form>", body,
             _(r, "Enregistrer"));
}

static int edit_page(struct req *r, int64_t id, const char *body, const char *problem)
{
    struct feed_post p;
    struct html *h;
    int rc = feed_post_load(r->db, r->a, &r->viewer, id, &p);

    if (rc < 0)
        return http_reply_err(r, rc);
    if (!feed_may_edit(&r->viewer, &p))
        return http_reply_err(r, ERR_DENIED);
    h = page_begin(r, &(struct page){.title = _(r, "Modifier la publication"), .nav = NAV_HOME});
    html_fmt(h, "<h1>%s</h1>", _(r, "Modifier la publication"));
    edit_form(r, h, false, id, body ? body : p.body, problem, FEED_BODY_MAX);
    return page_end(r);
}

static int page_edit(struct req *r)
{
    return edit_page(r, http_param_id(r, "id"), NULL, NULL);
}

static int form_edit(struct req *r)
{
    int64_t id = http_param_id(r, "id");
    const char *body = http_form(r, "body");
    const char *problem = NULL;
    int rc = feed_post_edit(r->db, r->a, &r->viewer, id, body ? body : "", &problem);

    if (rc == ERR_INVALID || rc == ERR_TOOBIG) {
        r->status = rc == ERR_TOOBIG ? 413 : 400;
        return edit_page(r, id, body, i18n_text(r->lang, problem));
    }
    if (rc < 0)
        return http_reply_err(r, rc);
    return http_reply_redirect(r, arena_printf(r->a, "/posts/%lld", (long long)id));
}

static void revision_list(struct req *r, struct html *h, struct feed_revision *items, size_t len,
                          const char *current, int64_t current_ms)
{
    html_fmt(h, "<ol class=\"revisions\" reversed><li><h2>%s · %s</h2>", _(r, "Version actuelle"),
             i18n_when(r->lang, r->a, current_ms, time_now_ms()));
    feed_html(h, r->a, current, NULL, 0);
    html_lit(h, "</li>");
    for (size_t i = len; i-- > 0;) {
        html_fmt(h, "<li><h2>%s</h2>",
                 i18n_when(r->lang, r->a, items[i].created_ms, time_now_ms()));
        feed_html(h, r->a, items[i].body, NULL, 0);
        html_lit(h, "</li>");
    }
    html_lit(h, "</ol>");
}

static int page_history(struct req *r)
{
    int64_t id = http_param_id(r, "id");
    struct feed_post p;
    struct feed_revision *items;
    size_t len = 0;
    struct html *h;
    int rc = feed_post_load(r->db, r->a, &r->viewer, id, &p);

    if (rc == 0)
        rc = feed_revisions(r->db, r->a, id, false, &items, &len);
    if (rc < 0)
        return http_reply_err(r, rc);
    h = page_begin(r,
                   &(struct page){.title = _(r, "Historique des modifications"), .nav = NAV_HOME});
    html_fmt(h, "<h1>%s</h1><p><a", _(r, "Historique des modifications"));
    html_href(h, "/posts/%lld", (long long)id);
    html_fmt(h, ">%s</a></p>", _(r, "Retour à la publication"));
    revision_list(r, h, items, len, p.body, p.edited_ms ? p.edited_ms : p.created_ms);
    return page_end(r);
}

/* GET: a confirmation page, so deleting never happens by a stray click or without JavaScript. */
static int page_delete(struct req *r)
{
    int64_t id = http_param_id(r, "id");
    struct feed_post p;
    struct html *h;
    int rc = feed_post_load(r->db, r->a, &r->viewer, id, &p);

    if (rc < 0)
        return http_reply_err(r, rc);
    if (!feed_may_delete(&r->viewer, &p))
        return http_reply_err(r, ERR_DENIED);
    h = page_begin(r, &(struct page){.title = _(r, "Supprimer la publication"), .nav = NAV_HOME});
    html_fmt(h, "<h1>%s</h1><p>%s</p>", _(r, "Supprimer la publication ?"),
             _(r, "La publication, ses commentaires et ses réactions disparaîtront pour tout le "
                  "monde."));
    feed_post_card(r, h, &p);
    html_form_begin(h, r, "/posts/%lld/delete", (long long)id);
    html_fmt(h, "<button type=\"submit\" class=\"danger\">%s</button> <a", _(r, "Supprimer"));
    html_href(h, "/posts/%lld", (long long)id);
    html_fmt(h, ">%s</a></form>", _(r, "Annuler"));
    return page_end(r);
}

static int form_delete(struct req *r)
{
    int rc = feed_post_delete(r->db, r->a, &r->viewer, http_param_id(r, "id"));

    return rc < 0 ? http_reply_err(r, rc) : http_reply_redirect(r, "/");
}

static int form_react(struct req *r)
{
    int64_t id = http_param_id(r, "id");
    const char *kind = http_form(r, "kind");
    enum feed_reaction k = feed_reaction_parse(kind);
    int rc;

    if (k == FEED_REACTION_NONE && (!kind || strcmp(kind, "none") != 0))
        return http_reply_err(r, ERR_INVALID);
    rc = feed_react(r->db, r->a, &r->viewer, id, k);
    if (rc < 0)
        return http_reply_err(r, rc);
    return http_reply_redirect(r, back_path(r, arena_printf(r->a, "/posts/%lld", (long long)id)));
}

static int form_pin(struct req *r)
{
    const char *pin = http_form(r, "pin");
    int rc = feed_post_pin(r->db, r->a, &r->viewer, http_param_id(r, "id"),
                           pin && strcmp(pin, "1") == 0);

    return rc < 0 ? http_reply_err(r, rc) : http_reply_redirect(r, back_path(r, "/"));
}

static int form_dismiss(struct req *r)
{
    int64_t id = http_param_id(r, "id");
    struct feed_post p;
    int rc = feed_post_load(r->db, r->a, &r->viewer, id, &p); /* 404 for what v may not read */

    if (rc == 0)
        rc = feed_announcement_dismiss(r->db, &r->viewer, id);

    return rc < 0 ? http_reply_err(r, rc) : http_reply_redirect(r, back_path(r, "/"));
}

/* ---- comments: edit, history, delete ------------------------------------------------- */

static int comment_edit_page(struct req *r, int64_t id, const char *body, const char *problem)
{
    char *current = NULL;
    int64_t author = 0, post_id = 0;
    struct feed_post p;
    struct html *h;
    int rc = db_get_i64(r->db, &post_id, "SELECT post_id FROM comment WHERE id = ?", DB_I64(id));

    /* As for posts: 404 when the post is out of reach, 403 to a reader who is not the author. */
    if (rc == 0)
        rc = feed_post_load(r->db, r->a, &r->viewer, post_id, &p);
    if (rc == 0)
        rc = db_get_i64(r->db, &author, "SELECT author_id FROM comment WHERE id = ?", DB_I64(id));
    if (rc == 0 && (author != r->viewer.id || p.read_only))
        rc = ERR_DENIED;
    if (rc == 0)
        rc =
            db_get_text(r->db, r->a, &current, "SELECT body FROM comment WHERE id = ?", DB_I64(id));
    if (rc < 0)
        return http_reply_err(r, rc);
    h = page_begin(r, &(struct page){.title = _(r, "Modifier le commentaire"), .nav = NAV_HOME});
    html_fmt(h, "<h1>%s</h1>", _(r, "Modifier le commentaire"));
    edit_form(r, h, true, id, body ? body : current, problem, FEED_COMMENT_MAX);
    return page_end(r);
}

static int page_comment_edit(struct req *r)
{
    return comment_edit_page(r, http_param_id(r, "id"), NULL, NULL);
}

static int64_t comment_post(struct req *r, int64_t id)
{
    int64_t post_id = 0;

    db_get_i64(r->db, &post_id, "SELECT post_id FROM comment WHERE id = ?", DB_I64(id));
    return post_id;
}

static int form_comment_edit(struct req *r)
{
    int64_t id = http_param_id(r, "id");
    const char *body = http_form(r, "body");
    const char *problem = NULL;
    int rc = feed_comment_edit(r->db, r->a, &r->viewer, id, body ? body : "", &problem);

    if (rc == ERR_INVALID || rc == ERR_TOOBIG) {
        r->status = rc == ERR_TOOBIG ? 413 : 400;
        return comment_edit_page(r, id, body, i18n_text(r->lang, problem));
    }
    if (rc < 0)
        return http_reply_err(r, rc);
    return http_reply_redirect(r, arena_printf(r->a, "/posts/%lld#comment-%lld",
                                               (long long)comment_post(r, id), (long long)id));
}

static int form_comment_delete(struct req *r)
{
    int64_t id = http_param_id(r, "id");
    int64_t post_id = comment_post(r, id);
    int rc = feed_comment_delete(r->db, r->a, &r->viewer, id);

    if (rc < 0)
        return http_reply_err(r, rc);
    return http_reply_redirect(r, arena_printf(r->a, "/posts/%lld#comments", (long long)post_id));
}

static int page_comment_history(struct req *r)
{
    int64_t id = http_param_id(r, "id");
    int64_t post_id = comment_post(r, id), edited = 0;
    struct feed_post p;
    struct feed_revision *items;
    char *body = NULL;
    size_t len = 0;
    struct html *h;
    int rc = feed_post_load(r->db, r->a, &r->viewer, post_id, &p);

    if (rc == 0)
        rc = db_get_text(r->db, r->a, &body, "SELECT body FROM comment WHERE id = ?", DB_I64(id));
    if (rc == 0)
        rc = db_get_i64(r->db, &edited,
                        "SELECT CASE WHEN edited_ms > 0 THEN edited_ms ELSE created_ms END"
                        " FROM comment WHERE id = ?",
                        DB_I64(id));
    if (rc == 0)
        rc = feed_revisions(r->db, r->a, id, true, &items, &len);
    if (rc < 0)
        return http_reply_err(r, rc);
    h = page_begin(r,
                   &(struct page){.title = _(r, "Historique des modifications"), .nav = NAV_HOME});
    html_fmt(h, "<h1>%s</h1><p><a", _(r, "Historique des modifications"));
    html_href(h, "/posts/%lld#comment-%lld", (long long)post_id, (long long)id);
    html_fmt(h, ">%s</a></p>", _(r, "Retour à la publication"));
    revision_list(r, h, items, len, body, edited);
    return page_end(r);
}

/* ---- feeds: home, person, tag, everything --------------------------------------------- */

/* The cursor ?before=ID; false when malformed. */
static bool cursor(struct req *r, int64_t *before)
{
    const char *s = http_query(r, "before");

    *before = 0;
    return !s || !*s || (str_to_i64(s, before) && *before > 0);
}

/* "Voir plus": the same feed's page ?before=next (URL formats are literals starting with '/'). */
static void more_link(struct req *r, struct html *h, const struct feed_query *fq, int64_t next)
{
    if (!next)
        return;
    html_lit(h, "<p class=\"more\"><a rel=\"next\"");
    switch (fq->kind) {
    case FEED_HOME:
        html_href(h, "/?before=%lld", (long long)next);
        break;
    case FEED_PERSON:
        html_href(h, "/people/%lld?before=%lld", (long long)fq->key, (long long)next);
        break;
    case FEED_TAG:
        html_href(h, "/tags/%s?before=%lld", fq->key_text, (long long)next);
        break;
    case FEED_COMMUNITY:
        html_href(h, "/communities/%lld?before=%lld", (long long)fq->key, (long long)next);
        break;
    case FEED_PUBLIC:
        html_href(h, "/posts?before=%lld", (long long)next);
        break;
    }
    html_fmt(h, ">%s</a></p>", _(r, "Voir plus"));
}

/* A page of a feed with its "Voir plus" link. */
static int feed_block(struct req *r, struct html *h, const struct feed_query *fq, const char *empty)
{
    struct feed_post *items;
    size_t len = 0;
    int64_t next = 0;
    int rc = feed_list(r->db, r->a, &r->viewer, fq, &items, &len, &next);

    if (rc < 0)
        return rc;
    html_lit(h, "<div class=\"feed\">");
    for (size_t i = 0; i < len; i++)
        feed_post_card(r, h, &items[i]);
    if (len == 0)
        html_fmt(h, "<p class=\"empty\">%s</p>", fq->before_id ? _(r, "Rien de plus.") : empty);
    html_lit(h, "</div>");
    more_link(r, h, fq, next);
    return 0;
}

static void announcements(struct req *r, struct html *h)
{
    struct feed_post *items;
    size_t len = 0;

    if (feed_announcements(r->db, r->a, &r->viewer, &items, &len) < 0 || len == 0)
        return;
    html_fmt(h, "<section class=\"announcements\" aria-label=\"%s\">", _(r, "Annonces"));
    for (size_t i = 0; i < len; i++) {
        feed_post_card(r, h, &items[i]);
        html_form_begin(h, r, "/posts/%lld/dismiss", (long long)items[i].id);
        back_field(h, "/");
        html_fmt(h, "<button type=\"submit\" class=\"link\">%s</button></form>",
                 _(r, "Masquer cette annonce"));
    }
    html_lit(h, "</section>");
}

int feed_home_block(struct req *r, struct html *h)
{
    struct feed_query fq = {.kind = FEED_HOME};

    if (!cursor(r, &fq.before_id))
        return ERR_INVALID;
    html_fmt(h, "<section class=\"home-feed\"><h2>%s</h2>", _(r, "Fil d'actualité"));
    if (!fq.before_id) {
        announcements(r, h);
        /*
         * Shown by live.js as posts arrive, with the label that agrees with the count (it
         * shows the data-live-plural span that Intl.PluralRules names); without JavaScript it
         * stays hidden, and reloading shows the posts.
         */
        html_lit(h, "<p class=\"new-posts\" data-live-count=\"feed.new_posts\" hidden><a");
        html_href(h, "/");
        html_fmt(h,
                 "><span class=\"live-count\">0</span> <span data-live-plural=\"one\" "
                 "hidden>%s</span><span data-live-plural=\"other\">%s</span></a></p>",
                 _(r, "nouvelle publication"), _(r, "nouvelles publications"));
        if (r->viewer.role != ROLE_GUEST) /* guests write in their communities only */
            feed_compose_form(r, h, 0);
    }
    int rc = feed_block(r, h, &fq,
                        _(r, "Votre fil est vide : suivez des collègues depuis l'annuaire, ou "
                             "publiez le premier message."));
    html_lit(h, "</section>");
    return rc;
}

int feed_person_block(struct req *r, struct html *h, int64_t person_id)
{
    struct feed_query fq = {.kind = FEED_PERSON, .key = person_id};

    if (!cursor(r, &fq.before_id))
        return ERR_INVALID;
    html_fmt(h, "<section class=\"person-feed\"><h2>%s</h2>", _(r, "Publications"));
    if (person_id == r->viewer.id && !fq.before_id && r->viewer.role != ROLE_GUEST)
        feed_compose_form(r, h, 0);
    int rc = feed_block(r, h, &fq, _(r, "Aucune publication pour l'instant."));
    html_lit(h, "</section>");
    return rc;
}

static int page_tag(struct req *r)
{
    const char *param = http_param(r, "tag");
    size_t n = param ? strlen(param) : 0;
    struct feed_query fq = {.kind = FEED_TAG};
    const char *tag;
    struct html *h;
    int rc;

    if (n > 5 && strcmp(param + n - 5, ".atom") == 0) {
        tag = feed_tag_fold(r->a, arena_strndup(r->a, param, n - 5));
        return tag ? feed_atom_tag(r, tag) : http_reply_err(r, ERR_NOTFOUND);
    }
    if (!(tag = param ? feed_tag_fold(r->a, param) : NULL))
        return http_reply_err(r, ERR_NOTFOUND);
    if (!cursor(r, &fq.before_id))
        return http_reply_err(r, ERR_INVALID);
    fq.key_text = tag;
    h = page_begin(r, &(struct page){.title = arena_printf(r->a, "#%s", tag), .nav = NAV_HOME});
    html_fmt(h, "<h1>#%s</h1><p class=\"feed-links\"><a", tag);
    html_href(h, "/tags/%s.atom", tag);
    html_fmt(h, " type=\"application/atom+xml\">%s</a></p>", _(r, "Flux Atom de cette étiquette"));
    if ((rc = feed_block(r, h, &fq, _(r, "Aucune publication avec cette étiquette."))) < 0)
        return http_reply_err(r, rc);
    return page_end(r);
}

static int page_all(struct req *r)
{
    struct feed_query fq = {.kind = FEED_PUBLIC};
    struct html *h;
    int rc;

    if (!cursor(r, &fq.before_id))
        return http_reply_err(r, ERR_INVALID);
    h = page_begin(r, &(struct page){.title = _(r, "Toutes les publications"), .nav = NAV_HOME});
    html_fmt(h, "<h1>%s</h1><p class=\"lead\">%s</p>", _(r, "Toutes les publications"),
             _(r, "Tout ce qui se publie sur le réseau, du plus récent au plus ancien."));
    if ((rc = feed_block(r, h, &fq, _(r, "Personne n'a encore rien publié."))) < 0)
        return http_reply_err(r, rc);
    return page_end(r);
}

const struct route feed_routes[] = {
    {HTTP_GET, "/posts", page_all, ACCESS_GUEST, 0, 0},
    {HTTP_POST, "/posts", form_create, ACCESS_GUEST, 0, FEED_ATTACH_BODY_LIMIT},
    {HTTP_GET, "/posts/{id}", page_show, ACCESS_GUEST, 0, 0},
    {HTTP_GET, "/posts/{id}/edit", page_edit, ACCESS_GUEST, 0, 0},
    {HTTP_POST, "/posts/{id}/edit", form_edit, ACCESS_GUEST, 0, 0},
    {HTTP_GET, "/posts/{id}/history", page_history, ACCESS_GUEST, 0, 0},
    {HTTP_GET, "/posts/{id}/delete", page_delete, ACCESS_GUEST, 0, 0},
    {HTTP_POST, "/posts/{id}/delete", form_delete, ACCESS_GUEST, 0, 0},
    {HTTP_POST, "/posts/{id}/comments", form_comment, ACCESS_GUEST, 0, 0},
    {HTTP_POST, "/posts/{id}/react", form_react, ACCESS_GUEST, 0, 0},
    {HTTP_POST, "/posts/{id}/pin", form_pin, ACCESS_GUEST, 0, 0}, /* feed_post_pin() decides */
    {HTTP_POST, "/posts/{id}/dismiss", form_dismiss, ACCESS_GUEST, 0, 0},
    {HTTP_GET, "/comments/{id}/edit", page_comment_edit, ACCESS_GUEST, 0, 0},
    {HTTP_POST, "/comments/{id}/edit", form_comment_edit, ACCESS_GUEST, 0, 0},
    {HTTP_POST, "/comments/{id}/delete", form_comment_delete, ACCESS_GUEST, 0, 0},
    {HTTP_GET, "/comments/{id}/history", page_comment_history, ACCESS_GUEST, 0, 0},
    {HTTP_GET, "/tags/{tag}", page_tag, ACCESS_GUEST, 0, 0},
    {0, NULL, NULL, 0, 0, 0},
};
