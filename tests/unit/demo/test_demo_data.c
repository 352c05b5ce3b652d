/*
 * test_demo_data.c - invariants of the demonstration organisation's tables.
 *
 * `ruche demo` trusts its static tables: these tests make sure the table
 * gives at least 45 people, one administrator (the person the demo tells to
 * sign in), a few animators, guests and never-activated members, unique
 * reserved-domain e-mails, and strings that the account module accepts.
 * E-mail folding is checked case by case with ids.  The feed's table must
 * hold a few hundred posts with threads, written by active members within
 * the feed's limits, whose @mentions name active members and whose text
 * links nothing outside (nothing may be fetched).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/core.h"
#include "core/arena.h"
#include "core/str.h"
#include "auth/auth.h"
#include "demo/demo.h"
#include "feed/feed.h"

#include <ctype.h>

static bool is_filled_utf8(const char *s)
{
    return s && *s && str_is_utf8(s, strlen(s));
}

static void test_people_are_many_and_complete(void **state)
{
    (void)state;
    assert_true(demo_people_len >= 45);
    for (size_t i = 0; i < demo_people_len; i++) {
        const struct demo_person *p = &demo_people[i];
        assert_true(is_filled_utf8(p->first));
        assert_true(is_filled_utf8(p->last));
        assert_true(is_filled_utf8(p->job));
        assert_true(is_filled_utf8(p->department));
        assert_true(is_filled_utf8(p->site));
        assert_true(p->role >= ROLE_GUEST && p->role <= ROLE_ADMIN);
        assert_in_range(p->since_days, 1, DEMO_HISTORY_DAYS);
    }
}

static void test_roles_are_distributed(void **state)
{
    size_t count[ROLE_ADMIN + 1] = {0};
    size_t invited = 0;

    (void)state;
    for (size_t i = 0; i < demo_people_len; i++) {
        const struct demo_person *p = &demo_people[i];
        count[p->role]++;
        if (p->is_invited) {
            invited++;
            /* only plain members wait for activation: guests and staff sign in */
            assert_int_equal(p->role, ROLE_MEMBER);
        }
    }
    assert_int_equal(count[ROLE_ADMIN], 1);
    assert_in_range(count[ROLE_ANIMATOR], 4, 5);
    assert_int_equal(count[ROLE_GUEST], 3);
    assert_in_range(invited, 4, 8);
    assert_true(count[ROLE_MEMBER] >= 35);
}

static void test_admin_is_claire_martin(void **state)
{
    struct arena a;

    (void)state;
    arena_init(&a);
    assert_int_equal(demo_person_admin()->role, ROLE_ADMIN);
    assert_string_equal(demo_person_email(&a, demo_person_admin()), "claire.martin@" DEMO_DOMAIN);
    assert_string_equal(demo_person_name(&a, demo_person_admin()), "Claire Martin");
    arena_clear(&a);
}

/* Lower-case ASCII letters and hyphens around one dot, then the reserved domain. */
static bool is_demo_email(const char *email)
{
    const char *at = strchr(email, '@');
    size_t dots = 0;

    if (!at || strcmp(at + 1, DEMO_DOMAIN) != 0 || at == email)
        return false;
    for (const char *c = email; c < at; c++) {
        if (*c == '.')
            dots++;
        else if (!((*c >= 'a' && *c <= 'z') || *c == '-'))
            return false;
    }
    return dots == 1 && email[0] != '.' && at[-1] != '.';
}

static void test_emails_are_valid_and_unique(void **state)
{
    struct arena a;
    char **emails;

    (void)state;
    arena_init(&a);
    emails = arena_array(&a, demo_people_len, sizeof(*emails));
    for (size_t i = 0; i < demo_people_len; i++) {
        emails[i] = demo_person_email(&a, &demo_people[i]);
        assert_true(is_demo_email(emails[i]));
        assert_true(strlen(emails[i]) <= AUTH_EMAIL_MAX);
        assert_true(strlen(demo_person_name(&a, &demo_people[i])) <= AUTH_NAME_MAX);
        for (size_t j = 0; j < i; j++)
            assert_string_not_equal(emails[i], emails[j]);
    }
    arena_clear(&a);
}

static void test_email_folding(void **state)
{
    static const struct {
        const char *id, *first, *last, *email;
    } cases[] = {
        {"acute-grave", "Hélène", "Lefèvre", "helene.lefevre@" DEMO_DOMAIN},
        {"diaeresis", "Noël", "Maëlle", "noel.maelle@" DEMO_DOMAIN},
        {"capital-acute", "Émilie", "Giraud", "emilie.giraud@" DEMO_DOMAIN},
        {"cedilla-ligature", "François", "Lœuilliet", "francois.loeuilliet@" DEMO_DOMAIN},
        {"space-dropped", "Thi Lan", "Le Gall", "thilan.legall@" DEMO_DOMAIN},
        {"apostrophe-dropped", "Awa", "N'Diaye", "awa.ndiaye@" DEMO_DOMAIN},
        {"hyphen-kept", "Marc-Antoine", "Da Silva", "marc-antoine.dasilva@" DEMO_DOMAIN},
    };
    struct arena a;

    (void)state;
    arena_init(&a);
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        struct demo_person p = {.first = cases[i].first, .last = cases[i].last};
        const char *got = demo_person_email(&a, &p);
        if (strcmp(got, cases[i].email) != 0)
            fail_msg("%s: got %s, want %s", cases[i].id, got, cases[i].email);
    }
    arena_clear(&a);
}

/* ---- the feed (demo_feed_data.c) ---------------------------------------------------- */

/* The active (not invited, not guest) person whose display name is name, else NULL. */
static const struct demo_person *active_person(struct arena *a, const char *name)
{
    const struct demo_person *p = demo_person_find(a, name);

    return p && !p->is_invited && p->role != ROLE_GUEST ? p : NULL;
}

static void test_feed_is_a_few_hundred_posts_with_threads(void **state)
{
    size_t count[DEMO_FEED_REPLY + 1] = {0};
    struct arena a;

    (void)state;
    arena_init(&a);
    assert_true(demo_feed_len > 0);
    assert_true(demo_feed[0].kind == DEMO_FEED_POST || demo_feed[0].kind == DEMO_FEED_PINNED);
    for (size_t i = 0; i < demo_feed_len; i++) {
        const struct demo_feed_entry *e = &demo_feed[i];
        count[e->kind]++;
        if (e->kind == DEMO_FEED_PINNED)
            assert_ptr_equal(demo_person_find(&a, e->author), demo_person_admin());
        if (e->kind == DEMO_FEED_REPLY && i > 0 && demo_feed[i - 1].kind != DEMO_FEED_COMMENT &&
            demo_feed[i - 1].kind != DEMO_FEED_REPLY)
            fail_msg("entry %zu: a reply that follows no comment", i);
        if (e->kind == DEMO_FEED_EDIT) {
            size_t k = i;
            while (k > 0 && demo_feed[k].kind == DEMO_FEED_EDIT)
                k--;
            if (demo_feed[k].kind != DEMO_FEED_POST || strcmp(demo_feed[k].author, e->author))
                fail_msg("entry %zu: an edit that does not follow its author's post", i);
        }
    }
    assert_true(count[DEMO_FEED_POST] + count[DEMO_FEED_PINNED] >= 200);
    assert_int_equal(count[DEMO_FEED_PINNED], 1);
    assert_true(count[DEMO_FEED_EDIT] >= 1);
    assert_true(count[DEMO_FEED_COMMENT] >= 150);
    assert_true(count[DEMO_FEED_REPLY] >= 30);
    assert_true(demo_feed_comments_len >= 8);
    arena_clear(&a);
}

static void test_feed_is_written_by_active_members_within_limits(void **state)
{
    struct arena a;
    size_t authors = 0;
    bool *wrote;

    (void)state;
    arena_init(&a);
    wrote = arena_array(&a, demo_people_len, sizeof(*wrote));
    for (size_t i = 0; i < demo_feed_len; i++) {
        const struct demo_feed_entry *e = &demo_feed[i];
        const struct demo_person *who = active_person(&a, e->author);
        bool is_comment = e->kind == DEMO_FEED_COMMENT || e->kind == DEMO_FEED_REPLY;
        const char *problem = NULL;
        if (!who)
            fail_msg("entry %zu: \"%s\" is not an active member", i, e->author);
        if (feed_body_check(e->body, is_comment ? FEED_COMMENT_MAX : FEED_BODY_MAX, &problem))
            fail_msg("entry %zu: %s", i, problem);
        if (!wrote[who - demo_people]) {
            wrote[who - demo_people] = true;
            authors++;
        }
    }
    for (size_t i = 0; i < demo_feed_comments_len; i++) {
        const char *problem = NULL;
        assert_int_equal(feed_body_check(demo_feed_comments[i], FEED_COMMENT_MAX, &problem), 0);
        assert_null(strchr(demo_feed_comments[i], '?'));
    }
    /* Nearly every active member writes something. */
    assert_true(authors >= 35);
    arena_clear(&a);
}

/* Every "@" followed by a letter starts the display name of an active member. */
static void test_feed_mentions_name_active_members(void **state)
{
    struct arena a;
    size_t mentions = 0;

    (void)state;
    arena_init(&a);
    for (size_t i = 0; i < demo_feed_len; i++) {
        for (const char *at = strchr(demo_feed[i].body, '@'); at; at = strchr(at + 1, '@')) {
            bool found = false;
            if (at[1] == ' ')
                continue; /* "avec @ suivi de son nom": the sign itself */
            for (size_t k = 0; !found && k < demo_people_len; k++) {
                const char *name = demo_person_name(&a, &demo_people[k]);
                size_t n = strlen(name);
                unsigned char next;
                /* Read past the name only once the text holds it (no reading past the end). */
                if (strncmp(at + 1, name, n) != 0)
                    continue;
                next = (unsigned char)at[1 + n];
                found = active_person(&a, name) && !(next >= 0x80 || (next >= 'a' && next <= 'z') ||
                                                     (next >= 'A' && next <= 'Z'));
            }
            if (!found)
                fail_msg("entry %zu: a mention of nobody active at \"%.30s\"", i, at);
            mentions++;
        }
    }
    assert_true(mentions >= 60);
    arena_clear(&a);
}

/* Tags on most posts, ending with a letter or digit; no link that a server would fetch. */
static void test_feed_has_tags_and_no_outside_links(void **state)
{
    size_t posts = 0, tagged = 0;

    (void)state;
    for (size_t i = 0; i < demo_feed_len; i++) {
        const char *body = demo_feed[i].body;
        if (strstr(body, "://") || strstr(body, "www."))
            fail_msg("entry %zu links outside", i);
        for (const char *h = strchr(body, '#'); h; h = strchr(h + 1, '#')) {
            size_t n = 1;
            while (h[n] && (isalnum((unsigned char)h[n]) || h[n] == '-' || h[n] == '_' ||
                            (unsigned char)h[n] >= 0x80))
                n++;
            /* A tag runs over any non-ASCII byte ("#formation…" would be one tag): it must
             * end with an ASCII letter or digit, or an accented letter (C3 xx). */
            if (n > 1 && !isalnum((unsigned char)h[n - 1]) &&
                !((unsigned char)h[n - 1] >= 0x80 && (unsigned char)h[n - 2] == 0xC3))
                fail_msg("entry %zu: the tag at \"%.30s\" does not end with a letter", i, h);
        }
        if (demo_feed[i].kind == DEMO_FEED_POST || demo_feed[i].kind == DEMO_FEED_PINNED) {
            posts++;
            tagged += strchr(body, '#') != NULL;
        }
    }
    assert_true(tagged * 10 >= posts * 9);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_people_are_many_and_complete),
        cmocka_unit_test(test_roles_are_distributed),
        cmocka_unit_test(test_admin_is_claire_martin),
        cmocka_unit_test(test_emails_are_valid_and_unique),
        cmocka_unit_test(test_email_folding),
        cmocka_unit_test(test_feed_is_a_few_hundred_posts_with_threads),
        cmocka_unit_test(test_feed_is_written_by_active_members_within_limits),
        cmocka_unit_test(test_feed_mentions_name_active_members),
        cmocka_unit_test(test_feed_has_tags_and_no_outside_links),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
