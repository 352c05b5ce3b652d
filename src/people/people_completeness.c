/*
 * people_completeness.c - how complete a profile is, and the meter that
 * invites a member to fill the next most useful field.
 *
 * The key fields are photo, job, department, site, phone, skills and bio,
 * each counting the same; a photo is profile.photo_256 (migration 0005).
 *
 * State: none.
 */
#include "people.h"
#include "../db/db.h"
#include "../web/i18n.h"
#include "../web/layout.h"

/* The key fields by usefulness, with the prompt naming each. */
static const struct {
    const char *field;
    const char *prompt;
} completeness_order[] = {
    {"photo", N_("Ajoutez votre photo pour que vos collègues vous reconnaissent")},
    {"job", N_("Ajoutez votre fonction pour que vos collègues sachent ce que vous faites")},
    {"department", N_("Ajoutez votre service pour que vos collègues vous trouvent")},
    {"site", N_("Ajoutez votre site pour que vos collègues sachent où vous rencontrer")},
    {"skills", N_("Ajoutez vos compétences pour que l'on vous trouve dans « Qui sait ? »")},
    {"bio", N_("Ajoutez une présentation pour que vos collègues vous connaissent mieux")},
    {"phone", N_("Ajoutez votre téléphone pour que vos collègues puissent vous appeler")},
};

/* Which key fields of id are filled, in completeness_order. */
static int completeness_fields(struct db *db, int64_t id, bool filled[7])
{
    struct stmt *q = db_query(db,
                              "SELECT a.job, a.department, a.site, COALESCE(p.phone, ''),"
                              /*      0      1             2       3 */
                              " COALESCE(p.bio, ''), COALESCE(p.photo_256, ''),"
                              /* 4                    5 */
                              " (SELECT COUNT(*) FROM skill s WHERE s.account_id = a.id)"
                              /* 6 */
                              " FROM account a LEFT JOIN profile p ON p.account_id = a.id"
                              " WHERE a.id = ? AND a.status <> 'deactivated'",
                              DB_I64(id));
    int rc = ERR_NOTFOUND, end;

    if (db_row(q)) {
        filled[0] = *db_text(q, 5) != '\0';
        filled[1] = *db_text(q, 0) != '\0';
        filled[2] = *db_text(q, 1) != '\0';
        filled[3] = *db_text(q, 2) != '\0';
        filled[4] = db_i64(q, 6) > 0;
        filled[5] = *db_text(q, 4) != '\0';
        filled[6] = *db_text(q, 3) != '\0';
        rc = 0;
    }
    if ((end = db_end(q)) < 0)
        return end;
    return rc;
}

int people_completeness(struct db *db, int64_t id, int *percent, const char **next_field)
{
    bool filled[ARRAY_SIZE(completeness_order)];
    int total = (int)ARRAY_SIZE(completeness_order), done = 0, rc;

    _Static_assert(ARRAY_SIZE(completeness_order) == 7, "seven key fields");
    *percent = 0;
    *next_field = NULL;
    if ((rc = completeness_fields(db, id, filled)) < 0)
        return rc;
    for (size_t i = 0; i < ARRAY_SIZE(completeness_order); i++) {
        if (filled[i])
            done++;
        else if (!*next_field)
            *next_field = completeness_order[i].field;
    }
    *percent = done * 100 / total;
    return 0;
}

int people_completeness_meter(struct req *r, struct html *h)
{
    const char *next, *prompt = NULL;
    int percent, rc;

    if (r->viewer.id == 0)
        return 0;
    if ((rc = people_completeness(r->db, r->viewer.id, &percent, &next)) < 0)
        return rc;
    if (!next)
        return 0;
    for (size_t i = 0; i < ARRAY_SIZE(completeness_order); i++)
        if (strcmp(next, completeness_order[i].field) == 0)
            prompt = i18n_text(r->lang, completeness_order[i].prompt);
    html_fmt(h,
             "<section class=\"card completeness\" data-next=\"%s\"><h2>%s</h2>"
             "<p><meter id=\"completeness-meter\" min=\"0\" max=\"100\" low=\"50\" high=\"99\""
             " optimum=\"100\" value=\"%d\">%d %%</meter> <label for=\"completeness-meter\""
             " class=\"percent\">%d %%</label></p><p class=\"prompt\"><a",
             next, _(r, "Votre profil"), percent, percent, percent);
    html_href(h, "/people/%lld/edit", (long long)r->viewer.id);
    html_fmt(h, ">%s</a></p></section>", prompt);
    return 0;
}
