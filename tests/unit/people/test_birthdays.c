/*
 * test_birthdays.c - the birthday window of people/people_birthdays.c:
 * seven days from today that cross the new year, and 29 February
 * celebrated on 28 February in years without it.  Includes the .c file to
 * reach its static helpers (h2o's way), sparingly.
 */
#include "../../../src/people/people_birthdays.c"

#include <setjmp.h>

#include <cmocka.h>

/* Unix milliseconds of noon UTC on y-m-d. */
static int64_t noon_ms(int y, int m, int d)
{
    struct tm tm = {.tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d, .tm_hour = 12};

    return (int64_t)timegm(&tm) * 1000;
}

static const struct {
    const char *id;
    int y, m, d;    /* today */
    const char *md; /* a birthday */
    int days_ahead; /* where it falls, -1 outside the window */
    int year;       /* the year it is celebrated in */
} cases[] = {
    {"today", 2025, 6, 10, "06-10", 0, 2025},
    {"sixth-day", 2025, 6, 10, "06-16", 6, 2025},
    {"seventh-day-out", 2025, 6, 10, "06-17", -1, 0},
    {"yesterday-out", 2025, 6, 10, "06-09", -1, 0},
    {"new-year-jan1", 2025, 12, 28, "01-01", 4, 2026},
    {"new-year-jan3", 2025, 12, 28, "01-03", 6, 2026},
    {"new-year-dec31", 2025, 12, 28, "12-31", 3, 2025},
    {"new-year-jan4-out", 2025, 12, 28, "01-04", -1, 0},
    {"feb29-non-leap", 2027, 2, 25, "02-29", 3, 2027},
    {"feb28-non-leap", 2027, 2, 25, "02-28", 3, 2027},
    {"feb29-leap", 2028, 2, 25, "02-29", 4, 2028},
    {"feb28-leap", 2028, 2, 25, "02-28", 3, 2028},
    {"feb29-after-window", 2027, 3, 1, "02-29", -1, 0},
};

static void test_window(void **state)
{
    (void)state;
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        struct window_day days[PEOPLE_BIRTHDAY_DAYS];
        int k;

        window_fill(noon_ms(cases[i].y, cases[i].m, cases[i].d), days);
        k = window_find(days, cases[i].md);
        if (k != cases[i].days_ahead)
            fail_msg("case %s: day %d, want %d", cases[i].id, k, cases[i].days_ahead);
        if (k >= 0 && days[k].year != cases[i].year)
            fail_msg("case %s: year %d, want %d", cases[i].id, days[k].year, cases[i].year);
    }
}

static void test_leap_extra(void **state)
{
    struct window_day days[PEOPLE_BIRTHDAY_DAYS];

    (void)state;
    window_fill(noon_ms(2027, 2, 25), days);
    assert_string_equal(window_leap_extra(days), "02-29");
    window_fill(noon_ms(2028, 2, 25), days);
    assert_string_equal(window_leap_extra(days), "");
    window_fill(noon_ms(2027, 6, 1), days);
    assert_string_equal(window_leap_extra(days), "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_window),
        cmocka_unit_test(test_leap_extra),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
