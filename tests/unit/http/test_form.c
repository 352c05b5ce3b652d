#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
static void stub(void **state) { (void)state; }
int main(void) { const struct CMUnitTest t[] = { cmocka_unit_test(stub) }; return cmocka_run_group_tests(t, NULL, NULL); }
