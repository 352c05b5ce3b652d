/*
 * home_blocks.c - the people blocks of the home page: the profile
 * completeness meter, the wishes one received, coming birthdays and people
 * to meet.  Each block is a component of the people module and writes
 * nothing when it has nothing to say.
 */
#include "home.h"
#include "../people/people.h"

int home_people_blocks(struct req *r, struct html *h)
{
    int rc;

    if ((rc = people_completeness_meter(r, h)) < 0 || (rc = people_wishes_block(r, h)) < 0 ||
        (rc = people_birthdays_block(r, h)) < 0 || (rc = people_suggestions_block(r, h)) < 0)
        return rc;
    return 0;
}
