/*
 * test_people.c - the profile validators and the visibility rule of
 * people/people.c.
 *
 * Phones get the digit count, the allowed punctuation and the length limit;
 * birthdays get real and unreal dates, 29 February with and without a year,
 * and the year bounds; free text gets control characters (C0, DEL, C1) and
 * lengths counted in characters, not bytes.  people_update_check() must name
 * the first bad field.  The visibility rule is checked for every visibility
 * against the owner, an administrator, a member (sharing a community or
 * not), an animator and a guest.  Cases are tables with ids.
 */
#include "core/str.h"
#include "people/people.h"

#include <setjmp.h>

#include <cmocka.h>

#define YEAR 2025

static void test_phone(void **state)
{
    static const struct {
        const char *id, *phone;
        bool valid;
    } cases[] = {
        {"empty", "", true},
        {"french", "+33 4 12 34 56 78", true},
        {"dots", "04.12.34.56.78", true},
        {"parens", "(0)4-12-34", true},
        {"six-digits", "123456", true},
        {"five-digits", "12345", false},
        {"letters", "04 12 AB 56 78", false},
        {"slash", "04/12/34/56", false},
        {"thirty", "123456789012345678901234567890", true},
        {"thirty-one", "1234567890123456789012345678901", false},
        {"newline", "0412345678\n", false},
        {"only-punctuation", "+ - . ( )", false},
    };

    (void)state;
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
        if (people_phone_valid(cases[i].phone) != cases[i].valid)
            fail_msg("phone case %s", cases[i].id);
}

static void test_birthday(void **state)
{
    static const struct {
        const char *id, *birthday;
        bool valid;
    } cases[] = {
        {"empty", "", true},
        {"md", "03-12", true},
        {"ymd", "1980-03-12", true},
        {"feb-29-no-year", "02-29", true},
        {"feb-29-leap", "2000-02-29", true},
        {"feb-29-not-leap", "1999-02-29", false},
        {"feb-29-century", "1900-02-29", false},
        {"feb-30", "02-30", false},
        {"feb-31", "02-31", false},
        {"apr-31", "04-31", false},
        {"dec-31", "12-31", true},
        {"month-0", "00-10", false},
        {"month-13", "13-01", false},
        {"day-0", "01-00", false},
        {"year-1899", "1899-01-01", false},
        {"year-1900", "1900-01-01", true},
        {"this-year", "2025-01-01", true},
        {"next-year", "2026-01-01", false},
        {"slashes", "03/12", false},
        {"dmy", "12-03-1980", false},
        {"short", "3-12", false},
        {"letters", "ab-cd", false},
        {"trailing", "03-12 ", false},
        {"sign", "+3-12", false},
    };

    (void)state;
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
        if (people_birthday_valid(cases[i].birthday, YEAR) != cases[i].valid)
            fail_msg("birthday case %s", cases[i].id);
}

static void test_text(void **state)
{
    static const struct {
        const char *id, *text;
        size_t max;
        bool multiline, valid;
    } cases[] = {
        {"plain", "Comptable", 120, false, true},
        {"accents-count-as-chars", "ééééé", 5, false, true},
        {"too-long", "abcdef", 5, false, false},
        {"tab", "a\tb", 10, false, false},
        {"newline-single", "a\nb", 10, false, false},
        {"newline-multi", "a\nb\r\n\tc", 10, true, true},
        {"del", "a\x7f", 10, true, false},
        {"nul-like-c0", "a\x01", 10, true, false},
        {"c1", "a\xc2\x85z", 10, true, false},
        {"nbsp-ok", "a\xc2\xa0z", 10, false, true},
        {"bad-utf8", "a\xc3\x28", 10, false, false},
        {"html-is-text", "<script>alert(1)</script>", 120, false, true},
    };

    (void)state;
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
        if (people_text_valid(cases[i].text, cases[i].max, cases[i].multiline) != cases[i].valid)
            fail_msg("text case %s", cases[i].id);
}

static void test_update_check(void **state)
{
    static const char *const two[] = {"paie", "comptabilité"};
    static const char *const empty_skill[] = {"paie", "  "};
    static const char *many[PEOPLE_SKILLS_MAX + 1];
    char long_job[PEOPLE_TEXT_MAX + 2];
    char long_bio[PEOPLE_BIO_MAX + 2];
    const char *bad;
    struct profile_update u;

    (void)state;
    for (size_t i = 0; i < ARRAY_SIZE(many); i++)
        many[i] = "x";
    memset(long_job, 'a', sizeof(long_job) - 1);
    long_job[sizeof(long_job) - 1] = '\0';
    memset(long_bio, 'b', sizeof(long_bio) - 1);
    long_bio[sizeof(long_bio) - 1] = '\0';

    u = (struct profile_update){.name = "Alice",
                                .phone = "0412345678",
                                .birthday = "02-29",
                                .skills = two,
                                .skills_len = 2,
                                .has_skills = true,
                                .vis = {[PEOPLE_FIELD_PHONE] = "me"}};
    assert_int_equal(people_update_check(&u, YEAR, &bad), 0);
    assert_null(bad);

    u = (struct profile_update){.name = "   "};
    assert_int_equal(people_update_check(&u, YEAR, &bad), ERR_INVALID);
    assert_string_equal(bad, "name");
    u = (struct profile_update){.job = long_job};
    people_update_check(&u, YEAR, &bad);
    assert_string_equal(bad, "job");
    u = (struct profile_update){.site = "a\nb"};
    people_update_check(&u, YEAR, &bad);
    assert_string_equal(bad, "site");
    u = (struct profile_update){.phone = "abc"};
    people_update_check(&u, YEAR, &bad);
    assert_string_equal(bad, "phone");
    u = (struct profile_update){.birthday = "02-31"};
    people_update_check(&u, YEAR, &bad);
    assert_string_equal(bad, "birthday");
    u = (struct profile_update){.skills = many, .skills_len = ARRAY_SIZE(many), .has_skills = true};
    people_update_check(&u, YEAR, &bad);
    assert_string_equal(bad, "skills");
    u = (struct profile_update){.skills = empty_skill, .skills_len = 2, .has_skills = true};
    people_update_check(&u, YEAR, &bad);
    assert_string_equal(bad, "skills");
    u = (struct profile_update){.bio = long_bio};
    people_update_check(&u, YEAR, &bad);
    assert_string_equal(bad, "bio");
    u = (struct profile_update){.vis = {[PEOPLE_FIELD_BIO] = "friends"}};
    people_update_check(&u, YEAR, &bad);
    assert_string_equal(bad, "bio_visibility");
}

static void test_visibility_rule(void **state)
{
    const int64_t owner = 7;
    const struct viewer self = {.id = owner, .role = ROLE_MEMBER};
    const struct viewer admin = {.id = 1, .role = ROLE_ADMIN};
    const struct viewer member = {.id = 2, .role = ROLE_MEMBER};
    const struct viewer animator = {.id = 3, .role = ROLE_ANIMATOR};
    const struct viewer guest = {.id = 4, .role = ROLE_GUEST};
    static const struct {
        const char *id;
        int viewer; /* 0 self, 1 admin, 2 member, 3 animator, 4 guest */
        enum people_visibility vis;
        bool shares, visible;
    } cases[] = {
        {"self-me", 0, PEOPLE_VIS_ME, false, true},
        {"admin-me", 1, PEOPLE_VIS_ME, false, true},
        {"member-me", 2, PEOPLE_VIS_ME, true, false},
        {"guest-me", 4, PEOPLE_VIS_ME, true, false},
        {"member-communities-shared", 2, PEOPLE_VIS_COMMUNITIES, true, true},
        {"member-communities-apart", 2, PEOPLE_VIS_COMMUNITIES, false, false},
        {"animator-communities-shared", 3, PEOPLE_VIS_COMMUNITIES, true, true},
        {"guest-communities-shared", 4, PEOPLE_VIS_COMMUNITIES, true, false},
        {"admin-communities", 1, PEOPLE_VIS_COMMUNITIES, false, true},
        {"member-everyone", 2, PEOPLE_VIS_EVERYONE, false, true},
        {"guest-everyone", 4, PEOPLE_VIS_EVERYONE, false, true},
    };
    const struct viewer *viewers[] = {&self, &admin, &member, &animator, &guest};

    (void)state;
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
        if (people_field_visible(viewers[cases[i].viewer], owner, cases[i].vis, cases[i].shares) !=
            cases[i].visible)
            fail_msg("visibility case %s", cases[i].id);
}

static void test_visibility_names(void **state)
{
    enum people_visibility v;

    (void)state;
    for (int i = PEOPLE_VIS_EVERYONE; i <= PEOPLE_VIS_ME; i++) {
        assert_true(people_visibility_parse(people_visibility_name(i), &v));
        assert_int_equal(v, i);
    }
    assert_false(people_visibility_parse("Everyone", &v));
    assert_false(people_visibility_parse("", &v));
    assert_false(people_visibility_parse(NULL, &v));
    assert_int_equal(people_visibility_default(PEOPLE_FIELD_PHONE), PEOPLE_VIS_COMMUNITIES);
    assert_int_equal(people_visibility_default(PEOPLE_FIELD_BIRTHDAY), PEOPLE_VIS_COMMUNITIES);
    assert_int_equal(people_visibility_default(PEOPLE_FIELD_BIO), PEOPLE_VIS_EVERYONE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_phone),
        cmocka_unit_test(test_birthday),
        cmocka_unit_test(test_text),
        cmocka_unit_test(test_update_check),
        cmocka_unit_test(test_visibility_rule),
        cmocka_unit_test(test_visibility_names),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
