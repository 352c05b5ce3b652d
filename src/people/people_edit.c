/*
 * people_edit.c - editing a profile: GET and POST /people/{id}/edit.
 *
 * Members edit their own profile, administrators anyone's; anyone else gets
 * 404, as if the page did not exist.  Beside each optional field a select
 * sets its visibility.  A bad field re-renders the form with what was
 * typed and a message next to that field (status 400); nothing is saved
 * (people_profile_save() checks everything before writing).
 */
#include "people.h"
#include "photo.h"
#include "../core/str.h"
#include "../db/db.h"
#include "../web/i18n.h"
#include "../web/layout.h"

/* What the form shows: a profile's values, or what was just submitted. */
struct edit_values {
    const char *name, *job, *department, *site, *phone, *birthday, *skills, *bio;
    const char *vis[PEOPLE_FIELD_COUNT];
};

/* The member whose profile the viewer may edit, or 0 (answer 404). */
static int64_t editable_id(struct req *r)
{
    int64_t id = http_param_id(r, "id");

    if (!id || (id != r->viewer.id && r->viewer.role != ROLE_ADMIN))
        return 0;
    return id;
}

static void error_after(struct req *r, struct html *h, const char *field, const char *bad)
{
    if (bad && strcmp(bad, field) == 0)
        html_fmt(h, "<span class=\"field-error\" id=\"%s-error\" role=\"alert\">%s</span>", field,
                 i18n_text(r->lang, people_field_problem(bad)));
}

static void field_open(struct html *h, const char *field, const char *label, const char *bad)
{
    html_fmt(h, "<label for=\"%s\">%s</label>", field, label);
    if (bad && strcmp(bad, field) == 0)
        html_fmt(h, "<input aria-invalid=\"true\" aria-describedby=\"%s-error\"", field);
    else
        html_fmt(h, "<input");
}

static void text_field(struct req *r, struct html *h, const char *field, const char *label,
                       const char *value, const char *bad)
{
    field_open(h, field, label, bad);
    html_fmt(h, " id=\"%s\" name=\"%s\" value=\"%s\">", field, field, value ? value : "");
    error_after(r, h, field, bad);
}

static void textarea_field(struct req *r, struct html *h, const char *field, const char *label,
                           const char *value, const char *bad)
{
    html_fmt(h, "<label for=\"%s\">%s</label>", field, label);
    if (bad && strcmp(bad, field) == 0)
        html_fmt(h, "<textarea aria-invalid=\"true\" id=\"%s\" name=\"%s\">%s</textarea>", field,
                 field, value ? value : "");
    else
        html_fmt(h, "<textarea id=\"%s\" name=\"%s\">%s</textarea>", field, field,
                 value ? value : "");
    error_after(r, h, field, bad);
}

static void visibility_select(struct req *r, struct html *h, enum people_field f, const char *value,
                              const char *bad)
{
    static const char *const labels[] = {N_("Tout le monde"), N_("Mes communautés"),
                                         N_("Moi seul")};
    const char *field = people_field_visibility_name(f);

    html_fmt(h, "<label for=\"%s\" class=\"visibility\">%s</label><select id=\"%s\" name=\"%s\">",
             field, _(r, "Visible par"), field, field);
    for (int v = PEOPLE_VIS_EVERYONE; v <= PEOPLE_VIS_ME; v++) {
        const char *name = people_visibility_name((enum people_visibility)v);
        if (value && strcmp(value, name) == 0)
            html_fmt(h, "<option value=\"%s\" selected>%s</option>", name,
                     i18n_text(r->lang, labels[v]));
        else
            html_fmt(h, "<option value=\"%s\">%s</option>", name, i18n_text(r->lang, labels[v]));
    }
    html_fmt(h, "</select>");
    error_after(r, h, field, bad);
}

static void optional_field(struct req *r, struct html *h, enum people_field f, const char *label,
                           const char *value, const struct edit_values *v, const char *bad)
{
    html_fmt(h, "<fieldset class=\"profile-field\"><legend>%s</legend>", label);
    if (f == PEOPLE_FIELD_SKILLS || f == PEOPLE_FIELD_BIO)
        textarea_field(r, h, people_field_name(f), label, value, bad);
    else
        text_field(r, h, people_field_name(f), label, value, bad);
    if (f == PEOPLE_FIELD_BIRTHDAY)
        html_fmt(h, "<span class=\"hint\">%s</span>",
                 _(r, "MM-JJ (par exemple 03-12 pour le 12 mars), ou AAAA-MM-JJ. "
                      "L'année n'est jamais affichée."));
    if (f == PEOPLE_FIELD_SKILLS)
        html_fmt(h, "<span class=\"hint\">%s</span>",
                 _(r, "Une par ligne ou séparées par des virgules, 50 au plus."));
    visibility_select(r, h, f, v->vis[f], bad);
    html_fmt(h, "</fieldset>");
}

static int edit_page(struct req *r, int64_t id, int status, const struct edit_values *v,
                     const char *bad)
{
    struct html *h =
        page_begin(r, &(struct page){.title = _(r, "Modifier le profil"), .nav = NAV_PEOPLE});

    html_fmt(h, "<section class=\"card\"><h1>%s</h1>", _(r, "Modifier le profil"));
    if (bad)
        html_fmt(h, "<p class=\"error\" role=\"alert\">%s</p>",
                 _(r, "Le profil n'a pas été enregistré : corrigez le champ signalé."));
    html_form_begin(h, r, "/people/%lld/edit", (long long)id);
    text_field(r, h, "name", _(r, "Nom affiché"), v->name, bad);
    optional_field(r, h, PEOPLE_FIELD_JOB, _(r, "Fonction"), v->job, v, bad);
    optional_field(r, h, PEOPLE_FIELD_DEPARTMENT, _(r, "Service"), v->department, v, bad);
    optional_field(r, h, PEOPLE_FIELD_SITE, _(r, "Site"), v->site, v, bad);
    optional_field(r, h, PEOPLE_FIELD_PHONE, _(r, "Téléphone"), v->phone, v, bad);
    optional_field(r, h, PEOPLE_FIELD_BIRTHDAY, _(r, "Anniversaire"), v->birthday, v, bad);
    optional_field(r, h, PEOPLE_FIELD_SKILLS, _(r, "Compétences"), v->skills, v, bad);
    optional_field(r, h, PEOPLE_FIELD_BIO, _(r, "Présentation"), v->bio, v, bad);
    html_fmt(h, "<button type=\"submit\">%s</button> <a", _(r, "Enregistrer"));
    html_href(h, "/people/%lld", (long long)id);
    html_fmt(h, ">%s</a></form></section>", _(r, "Annuler"));
    people_photo_edit_section(r, h, id);
    r->status = status;
    return page_end(r);
}

static const char *skills_text(struct arena *a, const struct profile *p)
{
    struct buf b;

    buf_init_arena(&b, a);
    for (size_t i = 0; i < p->skills_len; i++) {
        if (i)
            buf_addstr(&b, ", ");
        buf_addstr(&b, p->skills[i]);
    }
    return b.s;
}

int people_page_edit(struct req *r)
{
    int64_t id = editable_id(r);
    struct edit_values v;
    struct profile p;
    int rc;

    if (!id)
        return http_reply_err(r, ERR_NOTFOUND);
    if ((rc = people_profile_load(r->db, r->a, id, &p)) < 0)
        return http_reply_err(r, rc);
    v = (struct edit_values){
        .name = p.name,
        .job = p.job,
        .department = p.department,
        .site = p.site,
        .phone = p.phone,
        .birthday = p.birthday,
        .skills = skills_text(r->a, &p),
        .bio = p.bio,
    };
    for (int f = 0; f < PEOPLE_FIELD_COUNT; f++)
        v.vis[f] = people_visibility_name(p.vis[f]);
    return edit_page(r, id, 200, &v, NULL);
}

/* Split a skills text on commas and newlines, dropping empty entries.  Memory from a. */
static const char **skills_split(struct arena *a, const char *text, size_t *len)
{
    size_t cap = 1, n = 0;
    const char **items;

    for (const char *p = text; *p; p++)
        cap += *p == ',' || *p == '\n';
    items = arena_array(a, cap, sizeof(*items));
    while (*text) {
        size_t seg = strcspn(text, ",\n"), trimmed;
        const char *s = str_trim(arena_strndup(a, text, seg), &trimmed);
        if (trimmed)
            items[n++] = arena_strndup(a, s, trimmed);
        text += seg;
        if (*text)
            text++;
    }
    *len = n;
    return items;
}

/* Fields absent from the submission show their saved value when the form comes back. */
static void keep_missing(struct edit_values *v, const struct profile *p)
{
    v->name = v->name ? v->name : p->name;
    v->job = v->job ? v->job : p->job;
    v->department = v->department ? v->department : p->department;
    v->site = v->site ? v->site : p->site;
    v->phone = v->phone ? v->phone : p->phone;
    v->birthday = v->birthday ? v->birthday : p->birthday;
    v->bio = v->bio ? v->bio : p->bio;
    for (int f = 0; f < PEOPLE_FIELD_COUNT; f++)
        if (!v->vis[f])
            v->vis[f] = people_visibility_name(p->vis[f]);
}

int people_form_edit(struct req *r)
{
    int64_t id = editable_id(r);
    struct profile_update u = {0};
    struct edit_values v = {0};
    struct profile p;
    const char *bad = NULL;
    int rc;

    if (!id)
        return http_reply_err(r, ERR_NOTFOUND);
    if ((rc = people_profile_load(r->db, r->a, id, &p)) < 0)
        return http_reply_err(r, rc);
    v.name = u.name = http_form(r, "name");
    v.job = u.job = http_form(r, "job");
    v.department = u.department = http_form(r, "department");
    v.site = u.site = http_form(r, "site");
    v.phone = u.phone = http_form(r, "phone");
    v.birthday = u.birthday = http_form(r, "birthday");
    v.bio = u.bio = http_form(r, "bio");
    v.skills = http_form(r, "skills");
    if (v.skills) {
        u.has_skills = true;
        u.skills = skills_split(r->a, v.skills, &u.skills_len);
    }
    for (int f = 0; f < PEOPLE_FIELD_COUNT; f++)
        v.vis[f] = u.vis[f] = http_form(r, people_field_visibility_name((enum people_field)f));
    rc = people_profile_save(r->db, id, &u, &bad);
    keep_missing(&v, &p);
    if (rc == ERR_INVALID)
        return edit_page(r, id, 400, &v, bad ? bad : "name");
    if (rc < 0)
        return http_reply_err(r, rc);
    return http_reply_redirect(r, arena_printf(r->a, "/people/%lld", (long long)id));
}
