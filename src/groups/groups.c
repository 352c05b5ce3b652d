/*
 * groups.c - communities: the domain and its SQL.
 *
 * The only file that touches the community and community_member tables
 * (discussions live in discussions*.c).  groups_access() is the one rule of
 * who may know, read, write in and manage a community; FEED_VISIBLE_SQL in
 * feed/feed.h says the same for posts, and GROUPS_LISTED_SQL below for
 * listings.  The rule is read from the tables on every call, never cached,
 * so a removed member loses access on the next request of any session or
 * API token.
 *
 * Every change of membership runs in one transaction that also keeps
 * community.member_count in step, refuses to leave a community without
 * an animator, records the notifications it causes (an invitation, a
 * request to its animators, an approval) and sends the unread counts it
 * changes.
 *
 * State: none.
 */
#include "groups.h"
#include "../auth/auth.h"
#include "../core/str.h"
#include "../db/db.h"
#include "../notify/notify.h"
#include "../web/i18n.h"

#define SETTING_CREATE "communities.create"
#define SETTING_WARN "communities.private_warn_percent"
#define WARN_DEFAULT 30

static const char *const visibility_names[] = {
    [GROUPS_PUBLIC] = "public",
    [GROUPS_PRIVATE] = "private",
    [GROUPS_SECRET] = "secret",
};

const char *groups_visibility_name(enum groups_visibility v)
{
    return (unsigned)v < ARRAY_SIZE(visibility_names) ? visibility_names[v] : "secret";
}

bool groups_visibility_parse(const char *s, enum groups_visibility *out)
{
    for (size_t i = 0; s && i < ARRAY_SIZE(visibility_names); i++)
        if (strcmp(s, visibility_names[i]) == 0) {
            *out = (enum groups_visibility)i;
            return true;
        }
    return false;
}

/* The standing of a membership row: its state and role. */
static enum groups_standing standing_of(const char *state, const char *role)
{
    if (strcmp(state, "member") == 0)
        return strcmp(role, "animator") == 0 ? GROUPS_ANIMATOR : GROUPS_MEMBER;
    if (strcmp(state, "invited") == 0)
        return GROUPS_INVITED;
    if (strcmp(state, "requested") == 0)
        return GROUPS_REQUESTED;
    return GROUPS_NONE;
}

/*
 * Fill the rights of c for v from its visibility, archive state and v's
 * standing; false when v may not know c exists.
 */
static bool rights_fill(const struct viewer *v, struct community *c)
{
    bool is_member = c->standing == GROUPS_MEMBER || c->standing == GROUPS_ANIMATOR;
    bool knows;

    if (v->id == 0)
        knows = false;
    else if (v->role == ROLE_GUEST)
        knows = is_member || c->standing == GROUPS_INVITED;
    else if (c->visibility == GROUPS_SECRET)
        knows = is_member || c->standing == GROUPS_INVITED;
    else
        knows = true;
    c->can_read =
        knows && (is_member || (c->visibility == GROUPS_PUBLIC && v->role >= ROLE_MEMBER));
    c->can_write = is_member && c->archived_ms == 0;
    c->can_manage = c->standing == GROUPS_ANIMATOR && c->archived_ms == 0;
    return knows;
}

int groups_access(struct db *db, struct arena *a, const struct viewer *v, int64_t id,
                  struct community *out)
{
    struct stmt *q;
    int rc = ERR_NOTFOUND;

    memset(out, 0, sizeof(*out));
    if (id <= 0 || v->id == 0)
        return ERR_NOTFOUND;
    q = db_query(db,
                 "SELECT c.name, c.purpose, c.description, c.visibility, c.cover_hash," /* 0-4 */
                 " c.created_ms, c.archived_ms, c.last_activity_ms, c.member_count,"    /* 5-8 */
                 " COALESCE(m.state, ''), COALESCE(m.role, '')"                         /* 9 10 */
                 " FROM community c LEFT JOIN community_member m"
                 " ON m.community_id = c.id AND m.account_id = ?"
                 " WHERE c.id = ?",
                 DB_I64(v->id), DB_I64(id));
    if (db_row(q)) {
        out->id = id;
        out->name = arena_strdup(a, db_text(q, 0));
        out->purpose = arena_strdup(a, db_text(q, 1));
        out->description = arena_strdup(a, db_text(q, 2));
        if (!groups_visibility_parse(db_text(q, 3), &out->visibility))
            out->visibility = GROUPS_SECRET;
        out->has_cover = *db_text(q, 4) != '\0';
        out->created_ms = db_i64(q, 5);
        out->archived_ms = db_i64(q, 6);
        out->last_activity_ms = db_i64(q, 7);
        out->member_count = db_i64(q, 8);
        out->standing = standing_of(db_text(q, 9), db_text(q, 10));
        rc = rights_fill(v, out) ? 0 : ERR_NOTFOUND;
    }
    int end = db_end(q);
    if (end < 0)
        rc = end;
    if (rc < 0)
        memset(out, 0, sizeof(*out));
    return rc;
}

bool groups_share_community(struct db *db, int64_t a_id, int64_t b_id)
{
    int64_t one = 0;

    if (a_id <= 0 || b_id <= 0)
        return false;
    return db_get_i64(db, &one,
                      "SELECT 1 FROM community_member x JOIN community_member y"
                      " ON y.community_id = x.community_id AND y.account_id = ?"
                      " AND y.state = 'member'"
                      " WHERE x.account_id = ? AND x.state = 'member' LIMIT 1",
                      DB_I64(b_id), DB_I64(a_id)) == 0;
}

int groups_touch(struct db *db, int64_t id)
{
    return db_exec(db, "UPDATE community SET last_activity_ms = ? WHERE id = ?",
                   DB_I64(time_now_ms()), DB_I64(id));
}

int groups_of_member(struct db *db, struct arena *a, const struct viewer *v, int64_t member_id,
                     struct groups_brief **items, size_t *len)
{
    struct stmt *q = db_query(
        db,
        "SELECT c.id, c.name, c.purpose FROM community_member m"
        " JOIN community c ON c.id = m.community_id"
        " WHERE m.account_id = ? AND m.state = 'member' AND c.archived_ms = 0"
        " AND " GROUPS_KNOWN_SQL("c.id", "?") " ORDER BY c.name_folded LIMIT ?",
        DB_I64(member_id), DB_BOOL(v->role == ROLE_GUEST), DB_I64(v->id), DB_INT(GROUPS_PAGE));

    *items = arena_array(a, GROUPS_PAGE, sizeof(**items));
    *len = 0;
    while (db_row(q))
        (*items)[(*len)++] = (struct groups_brief){.id = db_i64(q, 0),
                                                   .name = arena_strdup(a, db_text(q, 1)),
                                                   .purpose = arena_strdup(a, db_text(q, 2))};
    return db_end(q);
}

/* ---- creating and editing ----------------------------------------------------------- */

/* Check one text field: valid UTF-8, no control character (but newlines when multiline),
 * at most max characters, and not empty after trimming when required. */
static int text_check(const char *s, size_t max, bool multiline, bool required)
{
    size_t n = strlen(s), trimmed;

    if (!str_is_utf8(s, n))
        return ERR_INVALID;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if ((*p < 0x20 && !(multiline && (*p == '\n' || *p == '\r' || *p == '\t'))) || *p == 0x7f)
            return ERR_INVALID;
    str_trim(s, &trimmed);
    if (required && trimmed == 0)
        return ERR_INVALID;
    return str_utf8_len(s, n) > max ? ERR_TOOBIG : 0;
}

int groups_fields_check(const struct groups_fields *f, bool creating, const char **field,
                        const char **problem)
{
    enum groups_visibility vis;
    int rc;

    *field = NULL;
    *problem = NULL;
    if (creating && (!f->name || !f->purpose || !f->visibility)) {
        *field = !f->name ? "name" : !f->purpose ? "purpose" : "visibility";
        *problem = !f->name      ? N_("Le nom est obligatoire.")
                   : !f->purpose ? N_("La raison d'être est obligatoire : une phrase qui dit "
                                      "à quoi sert la communauté.")
                                 : N_("Choisissez une visibilité : publique, privée ou secrète.");
        return ERR_INVALID;
    }
    if (f->name && (rc = text_check(f->name, GROUPS_NAME_MAX, false, true)) < 0) {
        *field = "name";
        *problem = rc == ERR_TOOBIG ? N_("Le nom fait au plus 80 caractères.")
                                    : N_("Le nom est obligatoire, sur une ligne.");
        return rc;
    }
    if (f->purpose && (rc = text_check(f->purpose, GROUPS_PURPOSE_MAX, false, true)) < 0) {
        *field = "purpose";
        *problem = rc == ERR_TOOBIG ? N_("La raison d'être fait au plus 200 caractères : une "
                                         "phrase.")
                                    : N_("La raison d'être est obligatoire : une phrase qui dit "
                                         "à quoi sert la communauté.");
        return rc;
    }
    if (f->description &&
        (rc = text_check(f->description, GROUPS_DESCRIPTION_MAX, true, false)) < 0) {
        *field = "description";
        *problem = rc == ERR_TOOBIG ? N_("La description fait au plus 5 000 caractères.")
                                    : N_("La description contient des caractères invalides.");
        return rc;
    }
    if (f->visibility && !groups_visibility_parse(f->visibility, &vis)) {
        *field = "visibility";
        *problem = N_("Choisissez une visibilité : publique, privée ou secrète.");
        return ERR_INVALID;
    }
    return 0;
}

/* A trimmed copy of s (NULL stays NULL). */
static char *trimmed(struct arena *a, const char *s)
{
    size_t n;
    const char *t;

    if (!s)
        return NULL;
    t = str_trim(s, &n);
    return arena_strndup(a, t, n);
}

bool groups_may_create(struct db *db, const struct viewer *v)
{
    struct groups_settings s;

    if (v->id == 0 || v->role == ROLE_GUEST || v->role == ROLE_NONE)
        return false;
    if (v->role >= ROLE_ANIMATOR)
        return true;
    return groups_settings_get(db, &s) == 0 && s.members_create;
}

int groups_create(struct db *db, const struct viewer *v, const struct groups_fields *f,
                  int64_t *id_out, const char **field, const char **problem)
{
    struct arena a;
    int64_t id = 0, now = time_now_ms();
    const char *name, *purpose;
    int rc;

    *field = NULL;
    *problem = NULL;
    if (!groups_may_create(db, v)) {
        *problem = N_("Vous ne pouvez pas créer de communauté : demandez-le à un animateur.");
        return ERR_DENIED;
    }
    if ((rc = groups_fields_check(f, true, field, problem)) < 0)
        return rc;
    arena_init(&a);
    name = trimmed(&a, f->name);
    purpose = trimmed(&a, f->purpose);
    if ((rc = db_tx_begin(db)) == 0) {
        rc = db_get_i64(db, &id,
                        "INSERT INTO community(name, name_folded, purpose, description, visibility,"
                        " cover_hash, created_by, created_ms, last_activity_ms, member_count)"
                        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1) RETURNING id",
                        DB_TEXT(name), DB_TEXT(str_fold(&a, name)), DB_TEXT(purpose),
                        DB_TEXT(f->description ? f->description : ""), DB_TEXT(f->visibility),
                        DB_TEXT(f->cover_hash ? f->cover_hash : ""), DB_I64(v->id), DB_I64(now),
                        DB_I64(now));
        if (rc == 0)
            rc = db_exec(db,
                         "INSERT INTO community_member(community_id, account_id, role, state,"
                         " created_ms) VALUES (?, ?, 'animator', 'member', ?)",
                         DB_I64(id), DB_I64(v->id), DB_I64(now));
        if (rc < 0)
            db_tx_rollback(db);
        else
            rc = db_tx_commit(db);
    }
    arena_clear(&a);
    if (rc == ERR_EXISTS) {
        *field = "name";
        *problem = N_("Une communauté porte déjà ce nom.");
    }
    if (rc == 0)
        *id_out = id;
    return rc;
}

int groups_update(struct db *db, struct arena *a, const struct viewer *v, int64_t id,
                  const struct groups_fields *f, const char **field, const char **problem)
{
    struct community c;
    const char *name = trimmed(a, f->name);
    int rc;

    *field = NULL;
    *problem = NULL;
    if ((rc = groups_access(db, a, v, id, &c)) < 0)
        return rc;
    if (!c.can_manage) {
        *problem = c.archived_ms ? N_("Cette communauté est archivée : elle ne change plus.")
                                 : N_("Seuls les animateurs de la communauté peuvent la modifier.");
        return ERR_DENIED;
    }
    if ((rc = groups_fields_check(f, false, field, problem)) < 0)
        return rc;
    rc = db_exec(db,
                 "UPDATE community SET name = COALESCE(?, name),"
                 " name_folded = COALESCE(?, name_folded), purpose = COALESCE(?, purpose),"
                 " description = COALESCE(?, description), visibility = COALESCE(?, visibility),"
                 " cover_hash = COALESCE(?, cover_hash) WHERE id = ?",
                 DB_TEXT(name), DB_TEXT(name ? str_fold(a, name) : NULL),
                 DB_TEXT(trimmed(a, f->purpose)), DB_TEXT(f->description), DB_TEXT(f->visibility),
                 DB_TEXT(f->cover_hash), DB_I64(id));
    if (rc == ERR_EXISTS) {
        *field = "name";
        *problem = N_("Une communauté porte déjà ce nom.");
    }
    return rc;
}

const char *groups_cover(struct db *db, struct arena *a, const struct viewer *v, int64_t id)
{
    struct community c;
    char *hash = NULL;

    if (groups_access(db, a, v, id, &c) < 0 || !c.has_cover)
        return NULL;
    if (db_get_text(db, a, &hash, "SELECT cover_hash FROM community WHERE id = ?", DB_I64(id)) < 0)
        return NULL;
    return hash && *hash ? hash : NULL;
}

/* ---- membership ------------------------------------------------------------------------ */

static const char *const archived_problem =
    N_("Cette communauté est archivée : elle se consulte mais ne change plus.");
static const char *const managers_only =
    N_("Seuls les animateurs de la communauté peuvent faire cela.");
static const char *const last_animator =
    N_("Une communauté garde toujours au moins un animateur : nommez-en un autre d'abord.");

/* Open the transaction of a membership change: lock community id and load it for v. */
static int change_begin(struct db *db, struct arena *a, const struct viewer *v, int64_t id,
                        struct community *c)
{
    int64_t archived = 0;
    int rc;

    if ((rc = db_tx_begin(db)) < 0)
        return rc;
    rc = db_get_i64(db, &archived,
                    "SELECT archived_ms FROM community WHERE id = ?/*pg: FOR UPDATE*/", DB_I64(id));
    if (rc == 0)
        rc = groups_access(db, a, v, id, c);
    if (rc < 0)
        db_tx_rollback(db);
    return rc;
}

/*
 * Close it: recount the members, send the unread counts of account_id
 * (whose membership changed) and of whoever holds notifications about the
 * community, and commit; or roll back on rc < 0.
 */
static int change_end(struct db *db, int64_t id, int64_t account_id, int rc)
{
    if (rc == 0)
        rc = db_exec(db,
                     "UPDATE community SET member_count = (SELECT count(*) FROM community_member"
                     " WHERE community_id = ? AND state = 'member') WHERE id = ?",
                     DB_I64(id), DB_I64(id));
    if (rc == 0)
        rc = notify_recount_community(db, id, account_id);
    if (rc < 0) {
        db_tx_rollback(db);
        return rc;
    }
    return db_tx_commit(db);
}

/* The standing of account_id in community id (GROUPS_NONE without a row). */
static int standing_get(struct db *db, int64_t id, int64_t account_id, enum groups_standing *out)
{
    struct stmt *q = db_query(db,
                              "SELECT state, role FROM community_member"
                              " WHERE community_id = ? AND account_id = ?",
                              DB_I64(id), DB_I64(account_id));

    *out = GROUPS_NONE;
    if (db_row(q))
        *out = standing_of(db_text(q, 0), db_text(q, 1));
    return db_end(q);
}

/* The site role of an account that is not deactivated; ERR_INVALID (with *problem) otherwise. */
static int target_role(struct db *db, int64_t account_id, enum role *role, const char **problem)
{
    struct arena a;
    char *name = NULL;
    int rc;

    arena_init(&a);
    rc = db_get_text(db, &a, &name,
                     "SELECT role FROM account WHERE id = ? AND status <> 'deactivated'",
                     DB_I64(account_id));
    if (rc == 0)
        *role = auth_role_parse(name);
    arena_clear(&a);
    if (rc == ERR_NOTFOUND) {
        *problem = N_("Ce membre n'existe pas.");
        return ERR_INVALID;
    }
    return rc;
}

static int animator_count(struct db *db, int64_t id, int64_t *count)
{
    return db_get_i64(db, count,
                      "SELECT count(*) FROM community_member WHERE community_id = ?"
                      " AND state = 'member' AND role = 'animator'",
                      DB_I64(id));
}

static int row_insert(struct db *db, int64_t id, int64_t account_id, const char *state,
                      int64_t invited_by)
{
    return db_exec(db,
                   "INSERT INTO community_member(community_id, account_id, role, state,"
                   " invited_by, created_ms) VALUES (?, ?, 'member', ?, ?, ?)",
                   DB_I64(id), DB_I64(account_id), DB_TEXT(state),
                   invited_by ? DB_I64(invited_by) : DB_NULL, DB_I64(time_now_ms()));
}

/* A request or an invitation becomes a membership (as a plain member). */
static int row_admit(struct db *db, int64_t id, int64_t account_id)
{
    return db_exec(db,
                   "UPDATE community_member SET state = 'member', role = 'member', created_ms = ?"
                   " WHERE community_id = ? AND account_id = ?",
                   DB_I64(time_now_ms()), DB_I64(id), DB_I64(account_id));
}

static int row_delete(struct db *db, int64_t id, int64_t account_id)
{
    return db_exec(db, "DELETE FROM community_member WHERE community_id = ? AND account_id = ?",
                   DB_I64(id), DB_I64(account_id));
}

/* A request of account_id approved by v: the membership, and the requester told. */
static int request_approve(struct db *db, const struct viewer *v, int64_t id, int64_t account_id)
{
    int rc = row_admit(db, id, account_id);

    return rc < 0 ? rc : notify_add_community(db, account_id, NOTIFY_APPROVAL, v->id, id);
}

/* Tell the animators of community id that account_id asks to join. */
static int request_announce(struct db *db, struct arena *a, int64_t id, int64_t account_id)
{
    struct groups_member *animators;
    size_t len = 0;
    int64_t next = 0, after = 0;
    int rc;

    do {
        rc =
            groups_members(db, a, id, GROUPS_ANIMATOR, after, GROUPS_PAGE, &animators, &len, &next);
        for (size_t i = 0; rc == 0 && i < len; i++)
            rc = notify_add_community(db, animators[i].id, NOTIFY_REQUEST, account_id, id);
        after = next;
    } while (rc == 0 && next);
    return rc;
}

int groups_join(struct db *db, struct arena *a, const struct viewer *v, int64_t id,
                enum groups_standing *now, const char **problem)
{
    struct community c;
    int rc = change_begin(db, a, v, id, &c);

    *problem = NULL;
    if (rc < 0)
        return rc;
    *now = c.standing;
    if (c.archived_ms) {
        *problem = archived_problem;
        rc = ERR_DENIED;
    } else if (c.standing == GROUPS_MEMBER || c.standing == GROUPS_ANIMATOR) {
        *problem = N_("Vous êtes déjà membre de cette communauté.");
        rc = ERR_EXISTS;
    } else if (c.standing == GROUPS_REQUESTED) {
        *problem = N_("Votre demande attend la réponse d'un animateur.");
        rc = ERR_EXISTS;
    } else if (c.standing == GROUPS_INVITED) {
        rc = row_admit(db, id, v->id);
        *now = GROUPS_MEMBER;
    } else if (v->role == ROLE_GUEST || c.visibility == GROUPS_SECRET) {
        rc = ERR_NOTFOUND; /* groups_access() let neither through: defensive */
    } else {
        bool open = c.visibility == GROUPS_PUBLIC;
        rc = row_insert(db, id, v->id, open ? "member" : "requested", 0);
        if (rc == 0 && !open)
            rc = request_announce(db, a, id, v->id);
        *now = open ? GROUPS_MEMBER : GROUPS_REQUESTED;
    }
    return change_end(db, id, v->id, rc);
}

int groups_invitation_answer(struct db *db, struct arena *a, const struct viewer *v, int64_t id,
                             bool accept, const char **problem)
{
    struct community c;
    int rc = change_begin(db, a, v, id, &c);

    *problem = NULL;
    if (rc < 0)
        return rc;
    if (c.standing != GROUPS_INVITED) {
        *problem = N_("Vous n'avez pas d'invitation en attente pour cette communauté.");
        rc = ERR_INVALID;
    } else if (accept && c.archived_ms) {
        *problem = archived_problem;
        rc = ERR_DENIED;
    } else {
        rc = accept ? row_admit(db, id, v->id) : row_delete(db, id, v->id);
    }
    return change_end(db, id, v->id, rc);
}

int groups_invite(struct db *db, struct arena *a, const struct viewer *v, int64_t id,
                  int64_t account_id, const char **problem)
{
    struct community c;
    enum groups_standing target = GROUPS_NONE;
    enum role role = ROLE_NONE;
    bool animates;
    int rc = change_begin(db, a, v, id, &c);

    *problem = NULL;
    if (rc < 0)
        return rc;
    animates = c.standing == GROUPS_ANIMATOR;
    if (c.archived_ms) {
        *problem = archived_problem;
        rc = ERR_DENIED;
    } else if (!c.can_write || (c.visibility == GROUPS_SECRET && !animates)) {
        *problem = c.can_write ? N_("Seuls les animateurs invitent dans une communauté secrète.")
                               : N_("Seuls les membres de la communauté peuvent inviter.");
        rc = ERR_DENIED;
    } else if (account_id == v->id) {
        *problem = N_("Vous êtes déjà membre de cette communauté.");
        rc = ERR_EXISTS;
    } else if ((rc = target_role(db, account_id, &role, problem)) == 0 &&
               (rc = standing_get(db, id, account_id, &target)) == 0) {
        if (role == ROLE_GUEST && !animates) {
            *problem = N_("Seuls les animateurs peuvent ajouter un invité externe.");
            rc = ERR_DENIED;
        } else if (target == GROUPS_MEMBER || target == GROUPS_ANIMATOR) {
            *problem = N_("Cette personne est déjà membre de la communauté.");
            rc = ERR_EXISTS;
        } else if (target == GROUPS_INVITED) {
            *problem = N_("Cette personne est déjà invitée.");
            rc = ERR_EXISTS;
        } else if (target == GROUPS_REQUESTED) {
            if (animates) {
                rc = request_approve(db, v, id, account_id);
            } else {
                *problem = N_("Cette personne a déjà demandé à rejoindre la communauté.");
                rc = ERR_EXISTS;
            }
        } else {
            rc = row_insert(db, id, account_id, "invited", v->id);
            if (rc == 0)
                rc = notify_add_community(db, account_id, NOTIFY_INVITATION, v->id, id);
        }
    }
    return change_end(db, id, account_id, rc);
}

int groups_invitation_cancel(struct db *db, struct arena *a, const struct viewer *v, int64_t id,
                             int64_t account_id, const char **problem)
{
    struct community c;
    enum groups_standing target = GROUPS_NONE;
    int rc = change_begin(db, a, v, id, &c);

    *problem = NULL;
    if (rc < 0)
        return rc;
    if (account_id != v->id && c.standing != GROUPS_ANIMATOR) {
        *problem = managers_only;
        rc = ERR_DENIED;
    } else if ((rc = standing_get(db, id, account_id, &target)) == 0 && target != GROUPS_INVITED) {
        *problem = N_("Cette personne n'a pas d'invitation en attente.");
        rc = ERR_INVALID;
    }
    if (rc == 0)
        rc = row_delete(db, id, account_id);
    return change_end(db, id, account_id, rc);
}

/* In an open change: v must animate c, which must not be archived. */
static int managers_only_check(const struct community *c, const char **problem)
{
    if (c->archived_ms) {
        *problem = archived_problem;
        return ERR_DENIED;
    }
    if (!c->can_manage) {
        *problem = managers_only;
        return ERR_DENIED;
    }
    return 0;
}

int groups_request_answer(struct db *db, struct arena *a, const struct viewer *v, int64_t id,
                          int64_t account_id, bool approve, const char **problem)
{
    struct community c;
    enum groups_standing target = GROUPS_NONE;
    int rc = change_begin(db, a, v, id, &c);

    *problem = NULL;
    if (rc < 0)
        return rc;
    if ((rc = managers_only_check(&c, problem)) == 0 &&
        (rc = standing_get(db, id, account_id, &target)) == 0) {
        if (target != GROUPS_REQUESTED) {
            *problem = N_("Cette personne n'a pas de demande en attente.");
            rc = ERR_INVALID;
        } else {
            rc = approve ? request_approve(db, v, id, account_id) : row_delete(db, id, account_id);
        }
    }
    return change_end(db, id, account_id, rc);
}

int groups_member_add(struct db *db, struct arena *a, const struct viewer *v, int64_t id,
                      int64_t account_id, const char **problem)
{
    struct community c;
    enum groups_standing target = GROUPS_NONE;
    enum role role = ROLE_NONE;
    int rc = change_begin(db, a, v, id, &c);

    *problem = NULL;
    if (rc < 0)
        return rc;
    if ((rc = managers_only_check(&c, problem)) == 0 &&
        (rc = target_role(db, account_id, &role, problem)) == 0 &&
        (rc = standing_get(db, id, account_id, &target)) == 0) {
        if (target == GROUPS_MEMBER || target == GROUPS_ANIMATOR) {
            *problem = N_("Cette personne est déjà membre de la communauté.");
            rc = ERR_EXISTS;
        } else if (target == GROUPS_REQUESTED) {
            rc = request_approve(db, v, id, account_id);
        } else if (target != GROUPS_NONE) {
            rc = row_admit(db, id, account_id);
        } else {
            rc = row_insert(db, id, account_id, "member", v->id);
        }
    }
    return change_end(db, id, account_id, rc);
}

int groups_member_remove(struct db *db, struct arena *a, const struct viewer *v, int64_t id,
                         int64_t account_id, const char **problem)
{
    struct community c;
    enum groups_standing target = GROUPS_NONE;
    int64_t animators = 0;
    int rc = change_begin(db, a, v, id, &c);

    *problem = NULL;
    if (rc < 0)
        return rc;
    if (account_id != v->id)
        rc = managers_only_check(&c, problem);
    if (rc == 0)
        rc = standing_get(db, id, account_id, &target);
    if (rc == 0 && target == GROUPS_NONE) {
        *problem = N_("Cette personne n'est pas membre de la communauté.");
        rc = ERR_INVALID;
    }
    if (rc == 0 && target == GROUPS_ANIMATOR && (rc = animator_count(db, id, &animators)) == 0 &&
        animators <= 1) {
        *problem = last_animator;
        rc = ERR_EXISTS;
    }
    if (rc == 0)
        rc = row_delete(db, id, account_id);
    return change_end(db, id, account_id, rc);
}

int groups_role_set(struct db *db, struct arena *a, const struct viewer *v, int64_t id,
                    int64_t account_id, bool animator, const char **problem)
{
    struct community c;
    enum groups_standing target = GROUPS_NONE;
    int64_t animators = 0;
    int rc = change_begin(db, a, v, id, &c);

    *problem = NULL;
    if (rc < 0)
        return rc;
    if ((rc = managers_only_check(&c, problem)) == 0)
        rc = standing_get(db, id, account_id, &target);
    if (rc == 0 && target != GROUPS_MEMBER && target != GROUPS_ANIMATOR) {
        *problem = N_("Cette personne n'est pas membre de la communauté.");
        rc = ERR_INVALID;
    }
    if (rc == 0 && !animator && target == GROUPS_ANIMATOR &&
        (rc = animator_count(db, id, &animators)) == 0 && animators <= 1) {
        *problem = last_animator;
        rc = ERR_EXISTS;
    }
    if (rc == 0)
        rc = db_exec(
            db, "UPDATE community_member SET role = ? WHERE community_id = ? AND account_id = ?",
            DB_TEXT(animator ? "animator" : "member"), DB_I64(id), DB_I64(account_id));
    return change_end(db, id, account_id, rc);
}

/* ---- lists --------------------------------------------------------------------------- */

/* The columns of a community row as community_read() reads them, with the viewer's row m. */
#define COMMUNITY_COLUMNS                                                                          \
    "c.id, c.name, c.purpose, c.description, c.visibility, c.cover_hash," /* 0-5 */                \
    " c.created_ms, c.archived_ms, c.last_activity_ms, c.member_count,"   /* 6-9 */                \
    " COALESCE(m.state, ''), COALESCE(m.role, '')"                        /* 10 11 */

static void community_read(struct stmt *q, struct arena *a, const struct viewer *v,
                           struct community *out)
{
    memset(out, 0, sizeof(*out));
    out->id = db_i64(q, 0);
    out->name = arena_strdup(a, db_text(q, 1));
    out->purpose = arena_strdup(a, db_text(q, 2));
    out->description = arena_strdup(a, db_text(q, 3));
    if (!groups_visibility_parse(db_text(q, 4), &out->visibility))
        out->visibility = GROUPS_SECRET;
    out->has_cover = *db_text(q, 5) != '\0';
    out->created_ms = db_i64(q, 6);
    out->archived_ms = db_i64(q, 7);
    out->last_activity_ms = db_i64(q, 8);
    out->member_count = db_i64(q, 9);
    out->standing = standing_of(db_text(q, 10), db_text(q, 11));
    if (v)
        rights_fill(v, out);
}

int groups_list(struct db *db, struct arena *a, const struct viewer *v,
                const struct groups_filter *f, size_t limit, struct community **items, size_t *len,
                int64_t *next)
{
    enum groups_visibility vis;
    const char *kind = f->kind && *f->kind ? f->kind : "";
    const char *like = f->q && *f->q ? db_like_contains(a, str_fold(a, f->q)) : "";
    struct stmt *q;
    int rc;

    *items = arena_array(a, limit + 1, sizeof(**items));
    *len = 0;
    *next = 0;
    if (*kind && !groups_visibility_parse(kind, &vis))
        return ERR_INVALID;
    if (v->id == 0)
        return 0;
    if (f->invited || f->mine || v->role == ROLE_GUEST)
        /* Only v's own communities (guests see no other): from v's memberships, not by
         * walking every community in name order to find a few. */
        q = db_query(
            db,
            "SELECT " COMMUNITY_COLUMNS " FROM community_member m"
            " JOIN community c ON c.id = m.community_id"
            " WHERE m.account_id = ? AND m.state = (CASE WHEN ? = 1 THEN 'invited'"
            " ELSE 'member' END) AND (? = 1 OR c.archived_ms = 0)"
            " AND (? = '' OR c.visibility = ?)"
            " AND (? = '' OR c.name_folded LIKE ? ESCAPE '\\')"
            " AND (? = 0 OR c.name_folded > (SELECT name_folded FROM community WHERE id = ?))"
            " ORDER BY c.name_folded LIMIT ? /*sort-ok: the communities of one member*/",
            DB_I64(v->id), DB_BOOL(f->invited), DB_BOOL(f->invited), DB_TEXT(kind), DB_TEXT(kind),
            DB_TEXT(like), DB_TEXT(like), DB_I64(f->after_id), DB_I64(f->after_id),
            DB_I64(limit + 1));
    else
        q = db_query(
            db,
            "SELECT " COMMUNITY_COLUMNS " FROM community c LEFT JOIN community_member m"
            " ON m.community_id = c.id AND m.account_id = ?"
            " WHERE c.archived_ms = 0 AND (m.state = 'member' OR c.visibility <> 'secret')"
            " AND (? = '' OR c.visibility = ?)"
            " AND (? = '' OR c.name_folded LIKE ? ESCAPE '\\')"
            " AND (? = 0 OR c.name_folded > (SELECT name_folded FROM community WHERE id = ?))"
            " ORDER BY c.name_folded LIMIT ?"
            " /*scan-ok: walks community_name in order until the page is full*/",
            DB_I64(v->id), DB_TEXT(kind), DB_TEXT(kind), DB_TEXT(like), DB_TEXT(like),
            DB_I64(f->after_id), DB_I64(f->after_id), DB_I64(limit + 1));
    while (db_row(q)) {
        if (*len == limit) {
            *next = (*items)[limit - 1].id;
            break;
        }
        community_read(q, a, v, &(*items)[(*len)++]);
    }
    rc = db_end(q);
    return rc;
}

int groups_members(struct db *db, struct arena *a, int64_t id, enum groups_standing which,
                   int64_t after_id, size_t limit, struct groups_member **items, size_t *len,
                   int64_t *next)
{
    const char *state = which == GROUPS_REQUESTED ? "requested"
                        : which == GROUPS_INVITED ? "invited"
                                                  : "member";
    const char *role = which == GROUPS_ANIMATOR ? "animator" : "";
    struct stmt *q;

    *items = arena_array(a, limit + 1, sizeof(**items));
    *len = 0;
    *next = 0;
    q = db_query(db,
                 "SELECT a.id, a.name, a.role, m.state, m.role, m.created_ms" /* 0-5 */
                 " FROM community_member m JOIN account a ON a.id = m.account_id"
                 " WHERE m.community_id = ? AND m.state = ? AND (? = '' OR m.role = ?)"
                 " AND a.status <> 'deactivated'"
                 " AND (? = 0 OR (a.name_folded, a.id) >"
                 " (SELECT name_folded, id FROM account WHERE id = ?))"
                 " ORDER BY a.name_folded, a.id LIMIT ?"
                 " /*sort-ok: the members of one community*/",
                 DB_I64(id), DB_TEXT(state), DB_TEXT(role), DB_TEXT(role), DB_I64(after_id),
                 DB_I64(after_id), DB_I64(limit + 1));
    while (db_row(q)) {
        struct groups_member *m;
        if (*len == limit) {
            *next = (*items)[limit - 1].id;
            break;
        }
        m = &(*items)[(*len)++];
        m->id = db_i64(q, 0);
        m->name = arena_strdup(a, db_text(q, 1));
        m->role = auth_role_parse(db_text(q, 2));
        m->standing = standing_of(db_text(q, 3), db_text(q, 4));
        m->since_ms = db_i64(q, 5);
    }
    return db_end(q);
}

/* ---- policy ------------------------------------------------------------------------------- */

int groups_policy(struct db *db, struct arena *a, struct groups_health **items, size_t *len)
{
    int64_t since = time_now_ms() - (int64_t)GROUPS_HEALTH_DAYS * 24 * 3600 * 1000;
    size_t cap = 64;
    struct stmt *q;

    *items = arena_array(a, cap, sizeof(**items));
    *len = 0;
    q = db_query(
        db,
        "SELECT " COMMUNITY_COLUMNS ","
        " (SELECT count(*) FROM post p WHERE p.community_id = c.id AND p.created_ms >= ?),"
        " (SELECT count(*) FROM (SELECT p.author_id AS who FROM post p"
        "   WHERE p.community_id = c.id AND p.created_ms >= ?"
        "  UNION SELECT k.author_id FROM comment k JOIN post p ON p.id = k.post_id"
        "   WHERE p.community_id = c.id AND k.created_ms >= ?"
        "  UNION SELECT d.author_id FROM discussion d"
        "   WHERE d.community_id = c.id AND d.created_ms >= ?"
        "  UNION SELECT r.author_id FROM discussion_reply r JOIN discussion d"
        "   ON d.id = r.discussion_id WHERE d.community_id = c.id AND r.created_ms >= ?) w)"
        " FROM community c LEFT JOIN community_member m ON m.community_id = c.id AND m.account_id "
        "= 0"
        " ORDER BY c.name_folded /*scan-ok: every community, for administrators*/",
        DB_I64(since), DB_I64(since), DB_I64(since), DB_I64(since), DB_I64(since));
    while (db_row(q)) {
        if (*len == cap) {
            struct groups_health *bigger = arena_array(a, cap * 2, sizeof(*bigger));
            memcpy(bigger, *items, cap * sizeof(*bigger));
            *items = bigger;
            cap *= 2;
        }
        struct groups_health *h = &(*items)[(*len)++];
        community_read(q, a, NULL, &h->c);
        h->posts = db_i64(q, 12);
        h->contributors = db_i64(q, 13);
    }
    return db_end(q);
}

int groups_settings_get(struct db *db, struct groups_settings *out)
{
    struct stmt *q = db_query(db, "SELECT name, value FROM setting WHERE name IN (?, ?)",
                              DB_TEXT(SETTING_CREATE), DB_TEXT(SETTING_WARN));

    out->members_create = false;
    out->private_warn_percent = WARN_DEFAULT;
    while (db_row(q)) {
        const char *name = db_text(q, 0), *value = db_text(q, 1);
        int64_t n;
        if (strcmp(name, SETTING_CREATE) == 0)
            out->members_create = strcmp(value, "members") == 0;
        else if (str_to_i64(value, &n) && n >= 0 && n <= 100)
            out->private_warn_percent = (int)n;
    }
    return db_end(q);
}

static int setting_put(struct db *db, const char *name, const char *value)
{
    return db_exec(db,
                   "INSERT INTO setting(name, value) VALUES (?, ?)"
                   " ON CONFLICT(name) DO UPDATE SET value = excluded.value",
                   DB_TEXT(name), DB_TEXT(value));
}

int groups_settings_set(struct db *db, const struct groups_settings *s)
{
    char percent[16];
    int rc;

    if (s->private_warn_percent < 0 || s->private_warn_percent > 100)
        return ERR_INVALID;
    snprintf(percent, sizeof(percent), "%d", s->private_warn_percent);
    if ((rc = db_tx_begin(db)) < 0)
        return rc;
    rc = setting_put(db, SETTING_CREATE, s->members_create ? "members" : "animators");
    if (rc == 0)
        rc = setting_put(db, SETTING_WARN, percent);
    if (rc < 0) {
        db_tx_rollback(db);
        return rc;
    }
    return db_tx_commit(db);
}

int groups_archive(struct db *db, int64_t id, bool archived)
{
    int rc;

    if ((rc = db_tx_begin(db)) < 0)
        return rc;
    rc = db_exec(db, "UPDATE community SET archived_ms = ? WHERE id = ?",
                 DB_I64(archived ? time_now_ms() : 0), DB_I64(id));
    if (rc == 0 && db_changes(db) == 0)
        rc = ERR_NOTFOUND;
    /* Requests of an archived community wait unanswerable: their notifications go (or come back).
     */
    if (rc == 0)
        rc = notify_recount_community(db, id, 0);
    if (rc < 0) {
        db_tx_rollback(db);
        return rc;
    }
    return db_tx_commit(db);
}
