/*
 * people.h - members as others see them: profiles, per-field visibility,
 * following, the directory and profile pages.
 *
 * people.c is the only file that touches the profile, skill and follow
 * tables.  Every optional field of a profile (job, department, site, phone,
 * birthday, skills, bio) has its own visibility, and people_field_visible()
 * is the one place that decides whether a viewer may see it: pages, the
 * API, the directory and vCards all ask it.
 *
 * people_card() is the one component that shows a member in a list, so
 * every page presents people the same way.
 */
#ifndef RUCHE_PEOPLE_H
#define RUCHE_PEOPLE_H

#include "../http/http.h"

struct html;
struct db;

/* ---- limits ------------------------------------------------------------ */
#define PEOPLE_TEXT_MAX 120   /* job, department, site: characters */
#define PEOPLE_PHONE_MAX 30   /* characters */
#define PEOPLE_PHONE_DIGITS 6 /* at least */
#define PEOPLE_BIO_MAX 2000   /* characters */
#define PEOPLE_SKILLS_MAX 50  /* entries */
#define PEOPLE_SKILL_MAX 60   /* characters per skill */
#define PEOPLE_BIRTH_YEAR_MIN 1900
#define PEOPLE_LIST_MAX 50 /* items per page of a list */

/* Who may see an optional field.  The order is the database order of nothing: use the names. */
enum people_visibility {
    PEOPLE_VIS_EVERYONE,    /* everyone who may open the profile, guests included */
    PEOPLE_VIS_COMMUNITIES, /* members (not guests) sharing a community with the owner */
    PEOPLE_VIS_ME,          /* the owner (and administrators) only */
};

/* The optional fields, each with its visibility. */
enum people_field {
    PEOPLE_FIELD_JOB,
    PEOPLE_FIELD_DEPARTMENT,
    PEOPLE_FIELD_SITE,
    PEOPLE_FIELD_PHONE,
    PEOPLE_FIELD_BIRTHDAY,
    PEOPLE_FIELD_SKILLS,
    PEOPLE_FIELD_BIO,
    PEOPLE_FIELD_COUNT
};

/* "job", "department", ... (the API's names); "?" out of range. */
const char *people_field_name(enum people_field f);
/* "job_visibility", ... */
const char *people_field_visibility_name(enum people_field f);
/* "everyone", "communities", "me". */
const char *people_visibility_name(enum people_visibility v);
/* Parse one of the three names; false otherwise (*out untouched). */
bool people_visibility_parse(const char *s, enum people_visibility *out);
/* Visibility given to a field of a member without a saved profile. */
enum people_visibility people_visibility_default(enum people_field f);

/*
 * The visibility rule, in one place.  The owner and administrators see
 * everything; 'everyone' is seen by whoever may open the profile;
 * 'communities' by members (never guests) who share a community with the
 * owner (shares_community, from people_share_community()); 'me' by nobody
 * else.
 */
bool people_field_visible(const struct viewer *v, int64_t owner_id, enum people_visibility vis,
                          bool shares_community);

/* True when members a and b belong to a common community (groups_share_community()). */
bool people_share_community(struct db *db, int64_t a_id, int64_t b_id);

/* A member's whole profile.  Strings live in the arena given to the loader. */
struct profile {
    int64_t id;
    const char *name, *email;
    enum role role;
    const char *status; /* "invited", "active" */
    const char *job, *department, *site;
    const char *phone;
    const char *birthday; /* "MM-DD", "YYYY-MM-DD" or "" */
    const char *bio;
    const char **skills; /* skills_len names, in the order given */
    size_t skills_len;
    enum people_visibility vis[PEOPLE_FIELD_COUNT];
    const char *photo_256, *photo_64; /* hashes of the thumbnails (photo.h), "" when none */
    enum people_visibility photo_vis;
    int64_t created_ms;
    int64_t followers, following;
};

/* Load the profile of an account that is not deactivated.  ERR_NOTFOUND. */
int people_profile_load(struct db *db, struct arena *a, int64_t id, struct profile *out);

/* What to change; NULL (or has_skills false) leaves a field as it is. */
struct profile_update {
    const char *name, *job, *department, *site, *phone, *birthday, *bio;
    const char *const *skills;
    size_t skills_len;
    bool has_skills;
    const char *vis[PEOPLE_FIELD_COUNT]; /* visibility names */
};

/*
 * Check every field of u (this_year bounds a birthday's year): 0, or
 * ERR_INVALID with *bad_field naming the first bad field ("phone",
 * "skills", "bio_visibility"...).
 */
int people_update_check(const struct profile_update *u, int this_year, const char **bad_field);
/* The French message id explaining what field (a *bad_field) must be. */
const char *people_field_problem(const char *field);

/*
 * Validate and save u for member id in one transaction: nothing changes on
 * any error.  ERR_INVALID with *bad_field set; ERR_NOTFOUND; ERR_DB.
 */
int people_profile_save(struct db *db, int64_t id, const struct profile_update *u,
                        const char **bad_field);

/* ---- validators (exported for the tests) ------------------------------- */

/* Valid UTF-8 of at most max_chars characters, no control character (but \n, \r and \t when
 * multiline). */
bool people_text_valid(const char *s, size_t max_chars, bool multiline);
/* "" or up to 30 of digits, spaces, + - . ( ) with at least 6 digits. */
bool people_phone_valid(const char *s);
/* "" or a real "MM-DD" (02-29 allowed) or "YYYY-MM-DD" with 1900 <= YYYY <= this_year. */
bool people_birthday_valid(const char *s, int this_year);

/* ---- following ---------------------------------------------------------- */

/* Idempotent.  ERR_INVALID when following oneself, ERR_NOTFOUND for no such member. */
int people_follow(struct db *db, int64_t follower_id, int64_t followed_id);
/* Idempotent. */
int people_unfollow(struct db *db, int64_t follower_id, int64_t followed_id);
bool people_is_following(struct db *db, int64_t follower_id, int64_t followed_id);

/* What a list shows of a member (strings borrowed from the caller's arena). */
struct person_summary {
    int64_t id;
    const char *name, *job, *department, *site; /* "" when hidden from the viewer */
    const char *photo; /* hash of the 64 px photo (photo.h), "" when none or hidden */
    bool never_signed_in;
};

/*
 * One page of the followers (followers true) or followed members of id, in
 * id order after after_id, at most limit; *next receives the cursor of the
 * next page or 0.  Fields hidden from v are "".  Memory from a.
 */
int people_follow_list(struct db *db, struct arena *a, const struct viewer *v, int64_t id,
                       bool followers, int64_t after_id, size_t limit,
                       struct person_summary **items, size_t *len, int64_t *next);

/* The limit active members who joined last, newest first, but v; hidden fields "". */
int people_newcomers(struct db *db, struct arena *a, const struct viewer *v, size_t limit,
                     struct person_summary **items, size_t *len);

/* ---- directory ------------------------------------------------------------ */

#define PEOPLE_QUERY_WORDS_MAX 8 /* words of a name search */

struct people_filter {
    const char *q;          /* words starting words of the name ("hel mar"), or NULL */
    const char *department; /* exact value, or NULL */
    const char *site;
    const char *skill; /* compared folded */
    int64_t after_id;  /* cursor: the last id of the previous page, or 0 */
};

/*
 * One page of the directory by (folded name, id), after f->after_id; *next
 * receives the cursor of the next page or 0.  With f->q, each word of the
 * query (folded as names are: case and accents ignored) must start a word
 * of the name.  A filter on a field matches only members whose field v may
 * see.  ERR_TOOBIG when q has more than PEOPLE_QUERY_WORDS_MAX words; an
 * empty page when q is not UTF-8.  Memory from a.  (people_directory.c)
 */
int people_directory(struct db *db, struct arena *a, const struct viewer *v,
                     const struct people_filter *f, size_t limit, struct person_summary **items,
                     size_t *len, int64_t *next);
/*
 * The same page as whole profiles (skills and follow counts included), as
 * the API shows them: one query for the page and one per ten members for
 * their skills.  Fields are not filtered: people_person_json() does it.
 */
int people_directory_profiles(struct db *db, struct arena *a, const struct viewer *v,
                              const struct people_filter *f, size_t limit, struct profile **items,
                              size_t *len, int64_t *next);

/* ---- pages ---------------------------------------------------------------- */

/* A member's card: initials avatar, name linking to the profile, job, department, site. */
void people_card(struct req *r, struct html *h, const struct person_summary *p);
/* A member's small photo (hash photo, as the viewer may see it) or their initials on a colour. */
void people_avatar(struct req *r, struct html *h, int64_t id, const char *name, const char *photo);
/* The one or two initials of a display name, in arena memory. */
char *people_initials(struct arena *a, const char *name);
/* "12 mars": day and month of a birthday (never the year); NULL when unset. */
const char *people_birthday_label(struct req *r, const char *birthday);

int people_page_list(struct req *r);
int people_page_show(struct req *r);
int people_page_followers(struct req *r);
int people_page_following(struct req *r);
int people_form_follow(struct req *r);
int people_form_unfollow(struct req *r);
int people_page_edit(struct req *r);
int people_form_edit(struct req *r);
int people_page_vcard(struct req *r, int64_t id);

int people_api_list(struct req *r);
int people_api_show(struct req *r);
int people_api_update(struct req *r);
int people_api_follow(struct req *r);
int people_api_unfollow(struct req *r);

/* ---- completeness, birthdays, "who knows?", people to meet ---------------------- */

/*
 * How complete member id's profile is: *percent (0 to 100) of the key
 * fields filled, and *next_field the most useful one still missing, in
 * this order: "photo", "job", "department", "site", "skills", "bio",
 * "phone"; NULL at 100 %.  ERR_NOTFOUND, ERR_DB.  (people_completeness.c)
 */
int people_completeness(struct db *db, int64_t id, int *percent, const char **next_field);
/* The meter and its prompt for the viewer's own profile; nothing at 100 %. */
int people_completeness_meter(struct req *r, struct html *h);

#define PEOPLE_BIRTHDAY_DAYS 7 /* today and the next 6 days */

/* A colleague's coming birthday, as the viewer may see it. */
struct people_birthday {
    struct person_summary who;
    int days_ahead; /* 0 today, up to PEOPLE_BIRTHDAY_DAYS - 1 */
    int month, day; /* the day celebrated: 29 February is 28 February in other years */
    int year;       /* the year of that day */
    bool is_wished; /* the viewer already sent wishes for it */
};

/*
 * Members but v whose birthday falls in the PEOPLE_BIRTHDAY_DAYS days from
 * now_ms (UTC), whose birthday field v may see, not deactivated; sorted by
 * date then name.  Memory from a.  (people_birthdays.c)
 */
int people_birthdays_upcoming(struct db *db, struct arena *a, const struct viewer *v,
                              int64_t now_ms, struct people_birthday **items, size_t *len);
/*
 * Record v's wishes to member to_id, whose birthday v may see and which
 * falls within the coming days, and publish "birthday.wish" to them, in one
 * transaction.  Idempotent per year.  ERR_NOTFOUND, ERR_INVALID (oneself).
 */
int people_birthday_wish(struct db *db, struct arena *a, const struct viewer *v, int64_t to_id,
                         int64_t now_ms);
/* Home page blocks: coming birthdays with the wish buttons; the wishes v received. */
int people_birthdays_block(struct req *r, struct html *h);
int people_wishes_block(struct req *r, struct html *h);
int people_form_wish(struct req *r);

/* A member found by "who knows?". */
struct people_expert {
    struct person_summary who;
    int score;
    const char **matched; /* matched_len skill names, as declared */
    size_t matched_len;
    int64_t posts; /* posts v may read that they tagged with the subject */
};

/*
 * Members ranked by their declared skills that v may see matching the text
 * q (folded): an exact skill scores 3, a skill starting with q 2, one
 * containing it 1; and by what they wrote: each post v may read that they
 * tagged with q as a #tag scores 1, up to 3.  Best first, at most limit.
 * Memory from a.
 * (people_experts.c)
 */
int people_experts_find(struct db *db, struct arena *a, const struct viewer *v, const char *q,
                        size_t limit, struct people_expert **items, size_t *len);
int people_page_experts(struct req *r);
int people_api_experts(struct req *r);

/* A suggested colleague, with the skills that complement the viewer's. */
struct people_suggestion {
    struct person_summary who;
    const char **skills; /* skills_len visible skills v lacks */
    size_t skills_len;
};

/*
 * Up to limit active members of v's department (visible to v), not v and
 * not followed by v, with visible skills v lacks; most such skills first.
 * Memory from a.  (people_suggest.c)
 */
int people_suggestions(struct db *db, struct arena *a, const struct viewer *v, size_t limit,
                       struct people_suggestion **items, size_t *len);
int people_suggestions_block(struct req *r, struct html *h);

/* ---- within the people module ---------------------------------------------------- */

struct stmt;
struct json_t;
/*
 * A row of id, name, job, department, site, status, job_visibility,
 * department_visibility, site_visibility (in that order) as a summary for v.
 * photo_col is the column of photo_64, followed by photo_visibility; -1 when
 * the row has no photo columns (the photo is then looked up: one query).
 */
void people_summary_from_row(struct db *db, struct arena *a, const struct viewer *v, struct stmt *q,
                             int photo_col, struct person_summary *p);
/* Column col of q as the visibility of field f (the default when NULL). */
enum people_visibility people_column_visibility(struct stmt *q, int col, enum people_field f);
/* The API's object for p as r's viewer may see it (people_api.c); the caller owns it. */
struct json_t *people_person_json(struct req *r, const struct profile *p);

#endif
