/*
 * test_demo_data.c - invariants of the demonstration organisation's tables.
 *
 * `ruche demo` trusts its static tables: these tests make sure the table
 * gives at least 45 people, one administrator (the person the demo tells to
 * sign in), a few animators, guests and never-activated members, unique
 * reserved-domain e-mails, and strings that the account module accepts.
 * E-mail folding is checked case by case with ids.
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_people_are_many_and_complete),
        cmocka_unit_test(test_roles_are_distributed),
        cmocka_unit_test(test_admin_is_claire_martin),
        cmocka_unit_test(test_emails_are_valid_and_unique),
        cmocka_unit_test(test_email_folding),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
