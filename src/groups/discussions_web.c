/*
 * discussions_web.c - the forum's pages: a community's threads
 * (/communities/{id}/discussions), starting a thread, a thread with its
 * replies (/discussions/{id}), replying, following, moderating (sticky,
 * locked), the best answer, editing and deleting; and the route table of
 * the whole forum, pages and API (discussions_routes).
 *
 * Every page loads the community or thread first and answers 404 to whoever
 * may not read the community, exactly as for one that does not exist.
 * Every action is a plain form (POST with its CSRF token) that redirects
 * back (303); a refused text comes back in its form with the reason and
 * status 400, so nothing typed is lost; a refused action (archived
 * community, locked thread, not a member) is a 403 page saying why.
 */
#include "discussions.h"
#include "../core/str.h"
#include "../db/db.h"
#include "../people/people.h"
#include "../web/i18n.h"
#include "../web/layout.h"
#include "../web/markdown.h"

#define DISCUSSIONS_PAGE GROUPS_PAGE

/* Form field name as text; NUL bytes (which end a C string) become DEL, which the checks refuse. */
static const char *form_text(struct req *r, const char *name)
{
    const struct kv *kv = http_form_kv(r, name);
    char *copy;

    if (!kv || !kv->value)
        return NULL;
    if (strlen(kv->value) == kv->value_len)
        return kv->value;
    copy = arena_strndup(r->a, kv->value, kv->value_len);
    for (size_t i = 0; i < kv->value_len; i++)
        if (copy[i] == '\0')
            copy[i] = 0x7f;
    return copy;
}

/* A refused action: 403 with the reason (a French message id). */
static int reply_denied(struct req *r, const char *problem)
{
    return http_reply_error(
        r, 403, "forbidden",
        i18n_text(r->lang, problem ? problem : N_("Vous n'avez pas accès à cette action.")));
}

/* An error of a write: 403 with its reason, or the mapped error. */
static int reply_write_error(struct req *r, int rc, const char *problem)
{
    return rc == ERR_DENIED ? reply_denied(r, problem) : http_reply_err(r, rc);
}

static void crumbs(struct req *r, struct html *h, const struct community *c)
{
    html_fmt(h, "<nav class=\"crumbs\" aria-label=\"%s\"><a", _(r, "Fil d'Ariane"));
    html_href(h, "/communities/%lld", (long long)c->id);
    html_fmt(h, ">%s</a> › <a", c->name);
    html_href(h, "/communities/%lld/discussions", (long long)c->id);
    html_fmt(h, ">%s</a></nav>", _(r, "Discussions"));
}

static void archived_notice(struct req *r, struct html *h, const struct community *c)
{
    if (c->archived_ms)
        html_fmt(h, "<p class=\"notice\">%s</p>",
                 _(r, "Cette communauté est archivée : ses discussions se lisent mais "
                      "n'acceptent plus de contributions."));
}

static void badges(struct req *r, struct html *h, const struct discussion *d)
{
    if (d->is_sticky)
        html_fmt(h, " <span class=\"badge sticky\">%s</span>", _(r, "Épinglé"));
    if (d->best_reply_id)
        html_fmt(h, " <span class=\"badge resolved\">%s</span>", _(r, "Résolu"));
    if (d->is_locked)
        html_fmt(h, " <span class=\"badge locked\">%s</span>", _(r, "Verrouillé"));
}

static void invalid_attrs(struct html *h, bool invalid, const char *error_id)
{
    if (invalid)
        html_fmt(h, " aria-invalid=\"true\" aria-describedby=\"%s\"", error_id);
}

static const char *replies_label(struct req *r, int64_t n)
{
    if (n == 0)
        return _(r, "aucune réponse");
    if (n == 1)
        return _(r, "1 réponse");
    return arena_printf(r->a, _(r, "%lld réponses"), (long long)n);
}

/* ---- a community's threads --------------------------------------------------------- */

static void thread_item(struct req *r, struct html *h, const struct discussion *d, int64_t now)
{
    html_fmt(h, "<li class=\"discussion%s\"><h2><a", d->is_sticky ? " sticky" : "");
    html_href(h, "/discussions/%lld", (long long)d->id);
    html_fmt(h, ">%s</a>", d->title);
    badges(r, h, d);
    html_fmt(h, "</h2><p class=\"meta\">%s <a", _(r, "par"));
    html_href(h, "/people/%lld", (long long)d->author.id);
    html_fmt(h, ">%s</a> · %s · %s <time>%s</time></p></li>", d->author.name,
             replies_label(r, d->reply_count), _(r, "dernière activité"),
             i18n_when(r->lang, r->a, d->last_activity_ms, now));
}

static int page_list(struct req *r)
{
    struct community c;
    struct discussion_cursor before, next;
    struct discussion *items;
    size_t len = 0;
    int64_t now = time_now_ms();
    struct html *h;
    int rc = groups_access(r->db, r->a, &r->viewer, http_param_id(r, "id"), &c);

    if (rc == 0 && !c.can_read)
        rc = ERR_NOTFOUND;
    if (rc == 0 && !discussions_cursor_parse(http_query(r, "before"), &before))
        rc = ERR_INVALID;
    if (rc == 0)
        rc = discussions_list(r->db, r->a, &r->viewer, &c, &before, DISCUSSIONS_PAGE, &items, &len,
                              &next);
    if (rc < 0)
        return http_reply_err(r, rc);
    h = page_begin(
        r, &(struct page){.title = arena_printf(r->a, "%s · %s", _(r, "Discussions"), c.name),
                          .nav = NAV_COMMUNITIES});
    crumbs(r, h, &c);
    html_fmt(h, "<h1>%s</h1><p class=\"lead\">%s</p>", _(r, "Discussions"), c.purpose);
    archived_notice(r, h, &c);
    if (c.can_write) {
        html_lit(h, "<p class=\"actions\"><a class=\"button\"");
        html_href(h, "/communities/%lld/discussions/new", (long long)c.id);
        html_fmt(h, ">%s</a></p>", _(r, "Nouvelle discussion"));
    }
    html_lit(h, "<ul class=\"discussions\">");
    for (size_t i = 0; i < len; i++)
        thread_item(r, h, &items[i], now);
    html_lit(h, "</ul>");
    if (len == 0)
        html_fmt(h, "<p class=\"empty\">%s</p>",
                 before.id
                     ? _(r, "Rien de plus.")
                     : _(r, "Aucune discussion pour l'instant : posez la première question."));
    if (next.id) {
        html_lit(h, "<p class=\"more\"><a rel=\"next\"");
        html_href(h, "/communities/%lld/discussions?before=%s", (long long)c.id,
                  discussions_cursor_text(r->a, &next));
        html_fmt(h, ">%s</a></p>", _(r, "Discussions plus anciennes"));
    }
    return page_end(r);
}

/* ---- starting and editing a thread ------------------------------------------------- */

/* The title and body fields, with the refused one marked (field, problem). */
static void thread_fields(struct req *r, struct html *h, const char *title, const char *body,
                          const char *field, const char *problem)
{
    bool bad_title = problem && field && strcmp(field, "title") == 0;
    bool bad_body = problem && !bad_title;

    html_fmt(h, "<label for=\"discussion-title\">%s</label>", _(r, "Titre"));
    if (bad_title)
        html_fmt(h, "<p class=\"field-error\" id=\"title-error\">%s</p>", problem);
    html_fmt(h,
             "<input id=\"discussion-title\" name=\"title\" maxlength=\"%d\" required"
             " value=\"%s\"",
             GROUPS_TITLE_MAX, title ? title : "");
    invalid_attrs(h, bad_title, "title-error");
    html_fmt(h, "><label for=\"discussion-body\">%s</label>", _(r, "Votre message"));
    if (bad_body)
        html_fmt(h, "<p class=\"field-error\" id=\"body-error\">%s</p>", problem);
    html_fmt(h,
             "<span class=\"hint\">%s</span><textarea id=\"discussion-body\" name=\"body\" "
             "rows=\"10\" maxlength=\"%d\" required",
             _(r, "Markdown : **gras**, *italique*, listes, liens."), GROUPS_BODY_MAX);
    invalid_attrs(h, bad_body, "body-error");
    html_fmt(h, ">%s</textarea>", body ? body : "");
}

static int new_form(struct req *r, const struct community *c, const char *title, const char *body,
                    const char *field, const char *problem)
{
    struct html *h =
        page_begin(r, &(struct page){.title = _(r, "Nouvelle discussion"), .nav = NAV_COMMUNITIES});

    crumbs(r, h, c);
    html_fmt(h, "<h1>%s</h1>", _(r, "Nouvelle discussion"));
    html_form_begin(h, r, "/communities/%lld/discussions/new", (long long)c->id);
    thread_fields(r, h, title, body, field, problem);
    html_fmt(h, "<button type=\"submit\">%s</button> <a", _(r, "Publier la discussion"));
    html_href(h, "/communities/%lld/discussions", (long long)c->id);
    html_fmt(h, ">%s</a></form>", _(r, "Annuler"));
    return page_end(r);
}

/* The community of the route for a writer: 0, or the reply already made (404, 403). */
static int writable_community(struct req *r, struct community *c, bool *replied)
{
    int rc = groups_access(r->db, r->a, &r->viewer, http_param_id(r, "id"), c);

    *replied = true;
    if (rc == 0 && !c->can_read)
        rc = ERR_NOTFOUND;
    if (rc < 0)
        return http_reply_err(r, rc);
    if (!c->can_write)
        return reply_denied(r, discussions_denied_reason(c));
    *replied = false;
    return 0;
}

static int page_new(struct req *r)
{
    struct community c;
    bool replied;
    int rc = writable_community(r, &c, &replied);

    return replied ? rc : new_form(r, &c, NULL, NULL, NULL, NULL);
}

static int form_new(struct req *r)
{
    const char *title = form_text(r, "title"), *body = form_text(r, "body");
    const char *field = NULL, *problem = NULL;
    struct community c;
    int64_t id = 0;
    bool replied;
    int rc = writable_community(r, &c, &replied);

    if (replied)
        return rc;
    rc = discussions_create(r->db, r->a, &r->viewer, &c, title ? title : "", body ? body : "", &id,
                            &field, &problem);
    if (rc == ERR_INVALID) {
        r->status = 400;
        return new_form(r, &c, title, body, field, i18n_text(r->lang, problem));
    }
    if (rc < 0)
        return reply_write_error(r, rc, problem);
    return http_reply_redirect(r, arena_printf(r->a, "/discussions/%lld", (long long)id));
}

int discussions_route_load(struct req *r, struct discussion *d, struct community *c, bool *replied)
{
    int rc = discussions_load(r->db, r->a, &r->viewer, http_param_id(r, "id"), d, c);

    *replied = rc < 0;
    return rc < 0 ? http_reply_err(r, rc) : 0;
}

static int edit_form(struct req *r, const struct discussion *d, const struct community *c,
                     const char *title, const char *body, const char *field, const char *problem)
{
    struct html *h = page_begin(
        r, &(struct page){.title = _(r, "Modifier la discussion"), .nav = NAV_COMMUNITIES});

    crumbs(r, h, c);
    html_fmt(h, "<h1>%s</h1>", _(r, "Modifier la discussion"));
    html_form_begin(h, r, "/discussions/%lld/edit", (long long)d->id);
    thread_fields(r, h, title ? title : d->title, body ? body : d->body, field, problem);
    html_fmt(h, "<button type=\"submit\">%s</button> <a", _(r, "Enregistrer"));
    html_href(h, "/discussions/%lld", (long long)d->id);
    html_fmt(h, ">%s</a></form>", _(r, "Annuler"));
    return page_end(r);
}

static int page_edit(struct req *r)
{
    struct discussion d;
    struct community c;
    bool replied;
    int rc = discussions_route_load(r, &d, &c, &replied);

    if (replied)
        return rc;
    if (!discussions_may_edit(&r->viewer, &c, d.author.id))
        return reply_denied(r, c.can_write ? N_("Seul l'auteur peut modifier cette discussion.")
                                           : discussions_denied_reason(&c));
    return edit_form(r, &d, &c, NULL, NULL, NULL, NULL);
}

static int form_edit(struct req *r)
{
    const char *title = form_text(r, "title"), *body = form_text(r, "body");
    const char *field = NULL, *problem = NULL;
    struct discussion d;
    struct community c;
    bool replied;
    int rc = discussions_route_load(r, &d, &c, &replied);

    if (replied)
        return rc;
    rc = discussions_edit(r->db, r->a, &r->viewer, &c, &d, title ? title : "", body ? body : "",
                          &field, &problem);
    if (rc == ERR_INVALID) {
        r->status = 400;
        return edit_form(r, &d, &c, title, body, field, i18n_text(r->lang, problem));
    }
    if (rc < 0)
        return reply_write_error(r, rc, problem);
    return http_reply_redirect(r, arena_printf(r->a, "/discussions/%lld", (long long)d.id));
}

/* ---- a thread ------------------------------------------------------------------------ */

/* What the thread page shows besides the thread: the reply being typed when refused. */
struct thread_view {
    const char *reply_body, *problem;
};

static void author_line(struct req *r, struct html *h, const struct discussion_author *who,
                        int64_t created_ms, int64_t edited_ms)
{
    people_avatar(r, h, who->id, who->name, who->photo);
    html_lit(h, "<span class=\"who\"><a");
    html_href(h, "/people/%lld", (long long)who->id);
    html_fmt(h, ">%s</a> <time>%s</time>", who->name,
             i18n_when(r->lang, r->a, created_ms, time_now_ms()));
    if (edited_ms)
        html_fmt(h, " <span class=\"edited\">%s</span>", _(r, "(modifié)"));
    html_lit(h, "</span>");
}

static void hidden_flag(struct html *h, const char *name, bool value)
{
    html_fmt(h, "<input type=\"hidden\" name=\"%s\" value=\"%s\">", name, value ? "1" : "0");
}

/* The thread's own actions: edit, delete, follow, and the animators' sticky and lock. */
static void thread_actions(struct req *r, struct html *h, const struct discussion *d,
                           const struct community *c)
{
    html_lit(h, "<div class=\"actions\">");
    if (discussions_may_subscribe(c)) {
        bool following = discussions_is_subscribed(r->db, r->viewer.id, d->id);
        if (following)
            html_form_begin(h, r, "/discussions/%lld/unsubscribe", (long long)d->id);
        else
            html_form_begin(h, r, "/discussions/%lld/subscribe", (long long)d->id);
        html_fmt(h, "<button type=\"submit\" class=\"secondary\" title=\"%s\">%s</button></form>",
                 _(r, "Les abonnés sont notifiés de chaque nouvelle réponse."),
                 following ? _(r, "Ne plus suivre") : _(r, "Suivre la discussion"));
    }
    if (c->can_manage) {
        html_form_begin(h, r, "/discussions/%lld/sticky", (long long)d->id);
        hidden_flag(h, "sticky", !d->is_sticky);
        html_fmt(h, "<button type=\"submit\" class=\"secondary\">%s</button></form>",
                 d->is_sticky ? _(r, "Ne plus épingler") : _(r, "Épingler en tête"));
        html_form_begin(h, r, "/discussions/%lld/lock", (long long)d->id);
        hidden_flag(h, "locked", !d->is_locked);
        html_fmt(h, "<button type=\"submit\" class=\"secondary\">%s</button></form>",
                 d->is_locked ? _(r, "Déverrouiller") : _(r, "Verrouiller"));
    }
    if (discussions_may_edit(&r->viewer, c, d->author.id)) {
        html_lit(h, "<a");
        html_href(h, "/discussions/%lld/edit", (long long)d->id);
        html_fmt(h, ">%s</a>", _(r, "Modifier"));
    }
    if (discussions_may_delete(&r->viewer, c, d->author.id)) {
        html_lit(h, "<a");
        html_href(h, "/discussions/%lld/delete", (long long)d->id);
        html_fmt(h, ">%s</a>", _(r, "Supprimer"));
    }
    html_lit(h, "</div>");
}

static void reply_item(struct req *r, struct html *h, const struct discussion *d,
                       const struct community *c, const struct discussion_reply *x)
{
    bool best = x->id == d->best_reply_id;

    html_fmt(h, "<li class=\"reply%s\" id=\"reply-%lld\"><header>", best ? " best" : "",
             (long long)x->id);
    author_line(r, h, &x->author, x->created_ms, x->edited_ms);
    if (best)
        html_fmt(h, " <span class=\"badge resolved\">%s</span>", _(r, "Meilleure réponse"));
    html_lit(h, "</header><div class=\"body\">");
    html_markdown(h, r->a, x->body);
    html_lit(h, "</div><div class=\"reply-actions\">");
    if (discussions_may_resolve(&r->viewer, c, d)) {
        html_form_begin(h, r, "/discussions/%lld/resolve", (long long)d->id);
        html_fmt(h,
                 "<input type=\"hidden\" name=\"reply_id\" value=\"%lld\"><button type=\"submit\" "
                 "class=\"link\">%s</button></form>",
                 best ? 0LL : (long long)x->id,
                 best ? _(r, "Retirer la meilleure réponse")
                      : _(r, "Marquer comme meilleure réponse"));
    }
    if (discussions_may_edit(&r->viewer, c, x->author.id)) {
        html_lit(h, "<a");
        html_href(h, "/discussions/%lld/replies/%lld/edit", (long long)d->id, (long long)x->id);
        html_fmt(h, ">%s</a>", _(r, "Modifier"));
    }
    if (discussions_may_delete(&r->viewer, c, x->author.id)) {
        html_form_begin(h, r, "/discussions/%lld/replies/%lld/delete", (long long)d->id,
                        (long long)x->id);
        html_fmt(h, "<button type=\"submit\" class=\"link\">%s</button></form>", _(r, "Supprimer"));
    }
    html_lit(h, "</div></li>");
}

/* The best answer above the replies, with a link to its place in the thread. */
static void best_answer(struct req *r, struct html *h, const struct discussion *d)
{
    struct discussion_reply best;

    if (!d->best_reply_id ||
        discussions_reply_load(r->db, r->a, &r->viewer, d, d->best_reply_id, &best) < 0)
        return;
    html_fmt(h,
             "<section class=\"best-answer\" aria-labelledby=\"best-title\"><h2 "
             "id=\"best-title\">%s</h2>",
             _(r, "Meilleure réponse"));
    html_lit(h, "<header>");
    author_line(r, h, &best.author, best.created_ms, best.edited_ms);
    html_lit(h, "</header><div class=\"body\">");
    html_markdown(h, r->a, best.body);
    html_lit(h, "</div><p><a");
    /* The first page holds it when the thread has no more replies than a page. */
    if (d->reply_count <= DISCUSSIONS_REPLY_PAGE)
        html_href(h, "/discussions/%lld#reply-%lld", (long long)d->id, (long long)best.id);
    else
        html_href(h, "/discussions/%lld?after=%lld#reply-%lld", (long long)d->id,
                  (long long)(best.id - 1), (long long)best.id);
    html_fmt(h, ">%s</a></p></section>", _(r, "Voir dans la discussion"));
}

static void reply_form(struct req *r, struct html *h, const struct discussion *d,
                       const struct community *c, const struct thread_view *tv)
{
    if (!discussions_may_reply(c, d)) {
        const char *why = d->is_locked && c->can_write
                              ? _(r, "Cette discussion est verrouillée : elle n'accepte plus de "
                                     "réponses.")
                              : i18n_text(r->lang, discussions_denied_reason(c));
        html_fmt(h, "<p class=\"notice\">%s</p>", why);
        return;
    }
    html_form_begin(h, r, "/discussions/%lld/replies", (long long)d->id);
    html_fmt(h, "<label for=\"reply-body\">%s</label>", _(r, "Votre réponse"));
    if (tv->problem)
        html_fmt(h, "<p class=\"field-error\" id=\"reply-error\">%s</p>", tv->problem);
    html_fmt(h, "<textarea id=\"reply-body\" name=\"body\" rows=\"5\" maxlength=\"%d\" required",
             GROUPS_BODY_MAX);
    invalid_attrs(h, tv->problem != NULL, "reply-error");
    html_fmt(h, ">%s</textarea><button type=\"submit\">%s</button></form>",
             tv->reply_body ? tv->reply_body : "", _(r, "Répondre"));
}

static int show_thread(struct req *r, const struct thread_view *tv)
{
    struct discussion d;
    struct community c;
    struct discussion_reply *replies;
    size_t len = 0;
    int64_t after = 0, next = 0;
    const char *after_text = http_query(r, "after");
    struct html *h;
    bool replied;
    int rc = discussions_route_load(r, &d, &c, &replied);

    if (replied)
        return rc;
    if (after_text && *after_text && (!str_to_i64(after_text, &after) || after < 0))
        return http_reply_err(r, ERR_INVALID);
    if ((rc = discussions_replies(r->db, r->a, &r->viewer, &d, after, DISCUSSIONS_REPLY_PAGE,
                                  &replies, &len, &next)) < 0)
        return http_reply_err(r, rc);
    h = page_begin(r, &(struct page){.title = d.title, .nav = NAV_COMMUNITIES});
    crumbs(r, h, &c);
    archived_notice(r, h, &c);
    html_fmt(h, "<article class=\"thread\" id=\"discussion-%lld\"><h1>%s", (long long)d.id,
             d.title);
    badges(r, h, &d);
    html_lit(h, "</h1><header>");
    author_line(r, h, &d.author, d.created_ms, d.edited_ms);
    html_lit(h, "</header><div class=\"body\">");
    html_markdown(h, r->a, d.body);
    html_lit(h, "</div>");
    thread_actions(r, h, &d, &c);
    html_lit(h, "</article>");
    if (after == 0)
        best_answer(r, h, &d);
    html_fmt(h, "<section class=\"replies\" id=\"replies\"><h2>%s</h2>",
             replies_label(r, d.reply_count));
    if (after > 0) {
        html_lit(h, "<p class=\"more\"><a");
        html_href(h, "/discussions/%lld", (long long)d.id);
        html_fmt(h, ">%s</a></p>", _(r, "Depuis le début"));
    }
    html_lit(h, "<ol class=\"replies\">");
    for (size_t i = 0; i < len; i++)
        reply_item(r, h, &d, &c, &replies[i]);
    html_lit(h, "</ol>");
    if (next) {
        html_lit(h, "<p class=\"more\"><a rel=\"next\"");
        html_href(h, "/discussions/%lld?after=%lld#replies", (long long)d.id, (long long)next);
        html_fmt(h, ">%s</a></p>", _(r, "Réponses suivantes"));
    }
    reply_form(r, h, &d, &c, tv);
    html_lit(h, "</section>");
    return page_end(r);
}

static int page_show(struct req *r)
{
    return show_thread(r, &(struct thread_view){0});
}

/* Where a new or edited reply is seen: its page of the thread, at its anchor. */
static int redirect_to_reply(struct req *r, int64_t discussion_id, int64_t reply_count,
                             int64_t reply_id)
{
    if (reply_count <= DISCUSSIONS_REPLY_PAGE)
        return http_reply_redirect(r, arena_printf(r->a, "/discussions/%lld#reply-%lld",
                                                   (long long)discussion_id, (long long)reply_id));
    return http_reply_redirect(r, arena_printf(r->a, "/discussions/%lld?after=%lld#reply-%lld",
                                               (long long)discussion_id, (long long)(reply_id - 1),
                                               (long long)reply_id));
}

static int form_reply(struct req *r)
{
    const char *body = form_text(r, "body"), *problem = NULL;
    struct discussion d;
    struct community c;
    int64_t id = 0;
    bool replied;
    int rc = discussions_route_load(r, &d, &c, &replied);

    if (replied)
        return rc;
    rc = discussions_reply_create(r->db, r->a, &r->viewer, &c, &d, body ? body : "", &id, &problem);
    if (rc == ERR_INVALID) {
        r->status = 400;
        return show_thread(
            r, &(struct thread_view){.reply_body = body, .problem = i18n_text(r->lang, problem)});
    }
    if (rc < 0)
        return reply_write_error(r, rc, problem);
    return redirect_to_reply(r, d.id, d.reply_count + 1, id);
}

/* A 0/1 form field; false when absent or anything else. */
static bool flag_field(struct req *r, const char *name, bool *out)
{
    const char *s = http_form(r, name);

    if (!s || (strcmp(s, "0") != 0 && strcmp(s, "1") != 0))
        return false;
    *out = s[0] == '1';
    return true;
}

/* Sticky, lock, follow: the thread, the change, back to the thread. */
enum thread_change { CHANGE_STICKY, CHANGE_LOCK, CHANGE_SUBSCRIBE, CHANGE_UNSUBSCRIBE };

static int change_thread(struct req *r, enum thread_change what)
{
    const char *problem = NULL;
    struct discussion d;
    struct community c;
    bool replied, on = false;
    int rc = discussions_route_load(r, &d, &c, &replied);

    if (replied)
        return rc;
    switch (what) {
    case CHANGE_STICKY:
        rc = flag_field(r, "sticky", &on) ? discussions_set_sticky(r->db, &c, &d, on, &problem)
                                          : ERR_INVALID;
        break;
    case CHANGE_LOCK:
        rc = flag_field(r, "locked", &on) ? discussions_set_locked(r->db, &c, &d, on, &problem)
                                          : ERR_INVALID;
        break;
    case CHANGE_SUBSCRIBE:
    case CHANGE_UNSUBSCRIBE:
        rc = discussions_subscribe(r->db, &r->viewer, &c, &d, what == CHANGE_SUBSCRIBE, &problem);
        break;
    }
    if (rc < 0)
        return reply_write_error(r, rc, problem);
    return http_reply_redirect(r, arena_printf(r->a, "/discussions/%lld", (long long)d.id));
}

static int form_sticky(struct req *r)
{
    return change_thread(r, CHANGE_STICKY);
}

static int form_lock(struct req *r)
{
    return change_thread(r, CHANGE_LOCK);
}

static int form_subscribe(struct req *r)
{
    return change_thread(r, CHANGE_SUBSCRIBE);
}

static int form_unsubscribe(struct req *r)
{
    return change_thread(r, CHANGE_UNSUBSCRIBE);
}

static int form_resolve(struct req *r)
{
    const char *text = http_form(r, "reply_id"), *problem = NULL;
    struct discussion d;
    struct community c;
    int64_t reply_id = 0;
    bool replied;
    int rc = discussions_route_load(r, &d, &c, &replied);

    if (replied)
        return rc;
    if (text && *text && (!str_to_i64(text, &reply_id) || reply_id < 0))
        return http_reply_err(r, ERR_INVALID);
    rc = discussions_resolve(r->db, &r->viewer, &c, &d, reply_id, &problem);
    if (rc == ERR_NOTFOUND)
        return http_reply_error(r, 400, "invalid",
                                _(r, "Cette réponse n'appartient pas à la discussion."));
    if (rc < 0)
        return reply_write_error(r, rc, problem);
    if (reply_id)
        return redirect_to_reply(r, d.id, d.reply_count, reply_id);
    return http_reply_redirect(r, arena_printf(r->a, "/discussions/%lld", (long long)d.id));
}

/* GET: a confirmation page, so deleting never happens by a stray click or without JavaScript. */
static int page_delete(struct req *r)
{
    struct discussion d;
    struct community c;
    struct html *h;
    bool replied;
    int rc = discussions_route_load(r, &d, &c, &replied);

    if (replied)
        return rc;
    if (!discussions_may_delete(&r->viewer, &c, d.author.id))
        return reply_denied(r, c.can_write ? N_("Seuls l'auteur et les animateurs peuvent "
                                                "supprimer cette discussion.")
                                           : discussions_denied_reason(&c));
    h = page_begin(
        r, &(struct page){.title = _(r, "Supprimer la discussion"), .nav = NAV_COMMUNITIES});
    crumbs(r, h, &c);
    html_fmt(h, "<h1>%s</h1><p>%s</p><p><strong>%s</strong></p>", _(r, "Supprimer la discussion ?"),
             _(r, "La discussion et toutes ses réponses disparaîtront pour tout le monde."),
             d.title);
    html_form_begin(h, r, "/discussions/%lld/delete", (long long)d.id);
    html_fmt(h, "<button type=\"submit\" class=\"danger\">%s</button> <a", _(r, "Supprimer"));
    html_href(h, "/discussions/%lld", (long long)d.id);
    html_fmt(h, ">%s</a></form>", _(r, "Annuler"));
    return page_end(r);
}

static int form_delete(struct req *r)
{
    const char *problem = NULL;
    struct discussion d;
    struct community c;
    bool replied;
    int rc = discussions_route_load(r, &d, &c, &replied);

    if (replied)
        return rc;
    if ((rc = discussions_delete(r->db, &r->viewer, &c, &d, &problem)) < 0)
        return reply_write_error(r, rc, problem);
    return http_reply_redirect(
        r, arena_printf(r->a, "/communities/%lld/discussions", (long long)d.community_id));
}

/* ---- replies: edit, delete --------------------------------------------------------- */

static int reply_edit_form(struct req *r, const struct discussion *d, const struct community *c,
                           const struct discussion_reply *x, const char *body, const char *problem)
{
    struct html *h =
        page_begin(r, &(struct page){.title = _(r, "Modifier la réponse"), .nav = NAV_COMMUNITIES});

    crumbs(r, h, c);
    html_fmt(h, "<h1>%s</h1><p>", _(r, "Modifier la réponse"));
    html_lit(h, "<a");
    html_href(h, "/discussions/%lld", (long long)d->id);
    html_fmt(h, ">%s</a></p>", d->title);
    html_form_begin(h, r, "/discussions/%lld/replies/%lld/edit", (long long)d->id,
                    (long long)x->id);
    html_fmt(h, "<label for=\"reply-body\">%s</label>", _(r, "Votre réponse"));
    if (problem)
        html_fmt(h, "<p class=\"field-error\" id=\"reply-error\">%s</p>", problem);
    html_fmt(h, "<textarea id=\"reply-body\" name=\"body\" rows=\"8\" maxlength=\"%d\" required",
             GROUPS_BODY_MAX);
    invalid_attrs(h, problem != NULL, "reply-error");
    html_fmt(h, ">%s</textarea><button type=\"submit\">%s</button> <a", body ? body : x->body,
             _(r, "Enregistrer"));
    html_href(h, "/discussions/%lld", (long long)d->id);
    html_fmt(h, ">%s</a></form>", _(r, "Annuler"));
    return page_end(r);
}

/* The thread and reply of the route; 0, or the reply already made (404). */
static int load_reply_or_reply(struct req *r, struct discussion *d, struct community *c,
                               struct discussion_reply *x, bool *replied)
{
    int rc = discussions_route_load(r, d, c, replied);

    if (*replied)
        return rc;
    rc = discussions_reply_load(r->db, r->a, &r->viewer, d, http_param_id(r, "reply"), x);
    *replied = rc < 0;
    return rc < 0 ? http_reply_err(r, rc) : 0;
}

static int page_reply_edit(struct req *r)
{
    struct discussion d;
    struct community c;
    struct discussion_reply x;
    bool replied;
    int rc = load_reply_or_reply(r, &d, &c, &x, &replied);

    if (replied)
        return rc;
    if (!discussions_may_edit(&r->viewer, &c, x.author.id))
        return reply_denied(r, c.can_write ? N_("Seul l'auteur peut modifier cette réponse.")
                                           : discussions_denied_reason(&c));
    return reply_edit_form(r, &d, &c, &x, NULL, NULL);
}

static int form_reply_edit(struct req *r)
{
    const char *body = form_text(r, "body"), *problem = NULL;
    struct discussion d;
    struct community c;
    struct discussion_reply x;
    bool replied;
    int rc = load_reply_or_reply(r, &d, &c, &x, &replied);

    if (replied)
        return rc;
    rc = discussions_reply_edit(r->db, r->a, &r->viewer, &c, &d, x.id, body ? body : "", &problem);
    if (rc == ERR_INVALID) {
        r->status = 400;
        return reply_edit_form(r, &d, &c, &x, body, i18n_text(r->lang, problem));
    }
    if (rc < 0)
        return reply_write_error(r, rc, problem);
    return redirect_to_reply(r, d.id, d.reply_count, x.id);
}

static int form_reply_delete(struct req *r)
{
    const char *problem = NULL;
    struct discussion d;
    struct community c;
    struct discussion_reply x;
    bool replied;
    int rc = load_reply_or_reply(r, &d, &c, &x, &replied);

    if (replied)
        return rc;
    if ((rc = discussions_reply_delete(r->db, r->a, &r->viewer, &c, &d, x.id, &problem)) < 0)
        return reply_write_error(r, rc, problem);
    return http_reply_redirect(r, arena_printf(r->a, "/discussions/%lld#replies", (long long)d.id));
}

/* ---- the forum's URL surface ---------------------------------------------------------- */

const struct route discussions_routes[] = {
    {HTTP_GET, "/communities/{id}/discussions", page_list, ACCESS_GUEST, 0, 0},
    {HTTP_GET, "/communities/{id}/discussions/new", page_new, ACCESS_GUEST, 0, 0},
    {HTTP_POST, "/communities/{id}/discussions/new", form_new, ACCESS_GUEST, 0, 0},
    {HTTP_GET, "/discussions/{id}", page_show, ACCESS_GUEST, 0, 0},
    {HTTP_POST, "/discussions/{id}/replies", form_reply, ACCESS_GUEST, 0, 0},
    {HTTP_GET, "/discussions/{id}/edit", page_edit, ACCESS_GUEST, 0, 0},
    {HTTP_POST, "/discussions/{id}/edit", form_edit, ACCESS_GUEST, 0, 0},
    {HTTP_GET, "/discussions/{id}/delete", page_delete, ACCESS_GUEST, 0, 0},
    {HTTP_POST, "/discussions/{id}/delete", form_delete, ACCESS_GUEST, 0, 0},
    {HTTP_POST, "/discussions/{id}/sticky", form_sticky, ACCESS_GUEST, 0, 0},
    {HTTP_POST, "/discussions/{id}/lock", form_lock, ACCESS_GUEST, 0, 0},
    {HTTP_POST, "/discussions/{id}/resolve", form_resolve, ACCESS_GUEST, 0, 0},
    {HTTP_POST, "/discussions/{id}/subscribe", form_subscribe, ACCESS_GUEST, 0, 0},
    {HTTP_POST, "/discussions/{id}/unsubscribe", form_unsubscribe, ACCESS_GUEST, 0, 0},
    {HTTP_GET, "/discussions/{id}/replies/{reply}/edit", page_reply_edit, ACCESS_GUEST, 0, 0},
    {HTTP_POST, "/discussions/{id}/replies/{reply}/edit", form_reply_edit, ACCESS_GUEST, 0, 0},
    {HTTP_POST, "/discussions/{id}/replies/{reply}/delete", form_reply_delete, ACCESS_GUEST, 0, 0},
    {HTTP_GET, "/api/v1/communities/{id}/discussions", discussions_api_list, ACCESS_GUEST,
     ROUTE_API, 0},
    {HTTP_POST, "/api/v1/communities/{id}/discussions", discussions_api_create, ACCESS_GUEST,
     ROUTE_API, 0},
    {HTTP_GET, "/api/v1/discussions/{id}", discussions_api_show, ACCESS_GUEST, ROUTE_API, 0},
    {HTTP_PATCH, "/api/v1/discussions/{id}", discussions_api_update, ACCESS_GUEST, ROUTE_API, 0},
    {HTTP_DELETE, "/api/v1/discussions/{id}", discussions_api_delete, ACCESS_GUEST, ROUTE_API, 0},
    {HTTP_POST, "/api/v1/discussions/{id}/replies", discussions_api_reply, ACCESS_GUEST, ROUTE_API,
     0},
    {HTTP_PATCH, "/api/v1/discussions/{id}/replies/{reply}", discussions_api_reply_update,
     ACCESS_GUEST, ROUTE_API, 0},
    {HTTP_DELETE, "/api/v1/discussions/{id}/replies/{reply}", discussions_api_reply_delete,
     ACCESS_GUEST, ROUTE_API, 0},
    {HTTP_POST, "/api/v1/discussions/{id}/resolve", discussions_api_resolve, ACCESS_GUEST,
     ROUTE_API, 0},
    {HTTP_POST, "/api/v1/discussions/{id}/subscription", discussions_api_subscribe, ACCESS_GUEST,
     ROUTE_API, 0},
    {HTTP_DELETE, "/api/v1/discussions/{id}/subscription", discussions_api_unsubscribe,
     ACCESS_GUEST, ROUTE_API, 0},
    {0, NULL, NULL, 0, 0, 0},
};
