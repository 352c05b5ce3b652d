/*
 * test_netguard.c - the address check of link previews (src/feed/netguard.c).
 *
 * A table of IPv4 and IPv6 addresses on both sides of the edge of every
 * refused range, the IPv6 forms that carry an IPv4 address (mapped,
 * NAT64, 6to4), and text that is not an address; then the allow list
 * (names, addresses, brackets, case: a link is allowed by how it names its
 * host, never by what the name resolves to), and finally names and numeric
 * spellings resolved through getaddrinfo(): "localhost" (from /etc/hosts),
 * "2130706433" and "0x7f.1" all land on loopback and are refused.  No test
 * opens a connection, and no name here needs a DNS server.
 */
#include "feed/netguard.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <cmocka.h>

struct addr_case {
    const char *addr;
    enum feed_net_class want;
};

static const struct addr_case v4_cases[] = {
    {"0.0.0.0", FEED_NET_UNSPECIFIED},
    {"0.255.255.255", FEED_NET_UNSPECIFIED},
    {"1.0.0.0", FEED_NET_PUBLIC},
    {"1.1.1.1", FEED_NET_PUBLIC},
    {"8.8.8.8", FEED_NET_PUBLIC},
    {"9.255.255.255", FEED_NET_PUBLIC},
    {"10.0.0.0", FEED_NET_PRIVATE},
    {"10.255.255.255", FEED_NET_PRIVATE},
    {"11.0.0.0", FEED_NET_PUBLIC},
    {"100.63.255.255", FEED_NET_PUBLIC},
    {"100.64.0.0", FEED_NET_SHARED},
    {"100.127.255.255", FEED_NET_SHARED},
    {"100.128.0.0", FEED_NET_PUBLIC},
    {"126.255.255.255", FEED_NET_PUBLIC},
    {"127.0.0.0", FEED_NET_LOOPBACK},
    {"127.0.0.1", FEED_NET_LOOPBACK},
    {"127.1.2.3", FEED_NET_LOOPBACK},
    {"127.255.255.255", FEED_NET_LOOPBACK},
    {"128.0.0.0", FEED_NET_PUBLIC},
    {"169.253.255.255", FEED_NET_PUBLIC},
    {"169.254.0.0", FEED_NET_LINK_LOCAL},
    {"169.254.169.254", FEED_NET_LINK_LOCAL}, /* cloud metadata */
    {"169.254.255.255", FEED_NET_LINK_LOCAL},
    {"169.255.0.0", FEED_NET_PUBLIC},
    {"172.15.255.255", FEED_NET_PUBLIC},
    {"172.16.0.0", FEED_NET_PRIVATE},
    {"172.31.255.255", FEED_NET_PRIVATE},
    {"172.32.0.0", FEED_NET_PUBLIC},
    {"192.0.0.1", FEED_NET_RESERVED},
    {"192.0.1.1", FEED_NET_PUBLIC},
    {"192.0.2.1", FEED_NET_RESERVED},
    {"192.88.99.1", FEED_NET_RESERVED},
    {"192.167.255.255", FEED_NET_PUBLIC},
    {"192.168.0.0", FEED_NET_PRIVATE},
    {"192.168.1.1", FEED_NET_PRIVATE},
    {"192.168.255.255", FEED_NET_PRIVATE},
    {"192.169.0.0", FEED_NET_PUBLIC},
    {"198.17.255.255", FEED_NET_PUBLIC},
    {"198.18.0.0", FEED_NET_RESERVED},
    {"198.19.255.255", FEED_NET_RESERVED},
    {"198.20.0.0", FEED_NET_PUBLIC},
    {"198.51.100.7", FEED_NET_RESERVED},
    {"203.0.113.9", FEED_NET_RESERVED},
    {"93.184.216.34", FEED_NET_PUBLIC},
    {"223.255.255.255", FEED_NET_PUBLIC},
    {"224.0.0.0", FEED_NET_MULTICAST},
    {"239.255.255.255", FEED_NET_MULTICAST},
    {"240.0.0.0", FEED_NET_RESERVED},
    {"255.255.255.254", FEED_NET_RESERVED},
    {"255.255.255.255", FEED_NET_BROADCAST},
};

static const struct addr_case v6_cases[] = {
    {"::", FEED_NET_UNSPECIFIED},
    {"::1", FEED_NET_LOOPBACK},
    {"[::1]", FEED_NET_LOOPBACK},
    {"0:0:0:0:0:0:0:1", FEED_NET_LOOPBACK},
    {"::2", FEED_NET_RESERVED},
    {"::127.0.0.1", FEED_NET_RESERVED}, /* deprecated IPv4-compatible */
    {"::ffff:127.0.0.1", FEED_NET_LOOPBACK},
    {"::ffff:7f00:1", FEED_NET_LOOPBACK},
    {"[::ffff:127.0.0.1]", FEED_NET_LOOPBACK},
    {"::ffff:0.0.0.0", FEED_NET_UNSPECIFIED},
    {"::ffff:10.1.2.3", FEED_NET_PRIVATE},
    {"::ffff:169.254.169.254", FEED_NET_LINK_LOCAL},
    {"::ffff:100.64.0.1", FEED_NET_SHARED},
    {"::ffff:255.255.255.255", FEED_NET_BROADCAST},
    {"::ffff:8.8.8.8", FEED_NET_PUBLIC},
    {"::ffff:0:127.0.0.1", FEED_NET_LOOPBACK}, /* IPv4-translated */
    {"64:ff9b::7f00:1", FEED_NET_LOOPBACK},    /* NAT64 of 127.0.0.1 */
    {"64:ff9b::c0a8:101", FEED_NET_PRIVATE},
    {"64:ff9b::808:808", FEED_NET_PUBLIC},
    {"64:ff9b:1::1", FEED_NET_PRIVATE},
    {"2002:7f00:1::", FEED_NET_LOOPBACK}, /* 6to4 of 127.0.0.1 */
    {"2002:c0a8:101::1", FEED_NET_PRIVATE},
    {"2002:a9fe:a9fe::1", FEED_NET_LINK_LOCAL},
    {"2002:808:808::1", FEED_NET_PUBLIC},
    {"2001::1", FEED_NET_RESERVED}, /* Teredo */
    {"2001:1ff:ffff::1", FEED_NET_RESERVED},
    {"2001:200::1", FEED_NET_PUBLIC},
    {"2001:db7:ffff::1", FEED_NET_PUBLIC},
    {"2001:db8::1", FEED_NET_RESERVED},
    {"2001:db9::1", FEED_NET_PUBLIC},
    {"2001:4860:4860::8888", FEED_NET_PUBLIC},
    {"2606:4700:4700::1111", FEED_NET_PUBLIC},
    {"2a00:1450:4007::1", FEED_NET_PUBLIC},
    {"2000::1", FEED_NET_PUBLIC},
    {"1fff:ffff::1", FEED_NET_RESERVED},
    {"3fff::1", FEED_NET_RESERVED},
    {"3fff:fff::1", FEED_NET_RESERVED},
    {"3fff:1000::1", FEED_NET_PUBLIC},
    {"4000::1", FEED_NET_RESERVED},
    {"100::1", FEED_NET_RESERVED},
    {"fbff:ffff::1", FEED_NET_RESERVED},
    {"fc00::", FEED_NET_PRIVATE},
    {"fd12:3456:789a::1", FEED_NET_PRIVATE},
    {"fdff:ffff::1", FEED_NET_PRIVATE},
    {"fe00::1", FEED_NET_RESERVED},
    {"fe7f:ffff::1", FEED_NET_RESERVED},
    {"fe80::", FEED_NET_LINK_LOCAL},
    {"fe80::1", FEED_NET_LINK_LOCAL},
    {"febf:ffff::1", FEED_NET_LINK_LOCAL},
    {"fec0::1", FEED_NET_PRIVATE},
    {"feff:ffff::1", FEED_NET_PRIVATE},
    {"ff00::", FEED_NET_MULTICAST},
    {"ff02::1", FEED_NET_MULTICAST},
};

static const struct addr_case invalid_cases[] = {
    {"", FEED_NET_INVALID},
    {"localhost", FEED_NET_INVALID},
    {"example.org", FEED_NET_INVALID},
    {"1.2.3", FEED_NET_INVALID},
    {"1.2.3.4.5", FEED_NET_INVALID},
    {"256.1.1.1", FEED_NET_INVALID},
    {"1.2.3.4 ", FEED_NET_INVALID},
    {"[::1", FEED_NET_INVALID},
    {"::1]", FEED_NET_INVALID},
    {"[]", FEED_NET_INVALID},
    {"[127.0.0.1", FEED_NET_INVALID},
    {":::1", FEED_NET_INVALID},
    {"fe80::1%eth0", FEED_NET_INVALID},
    {"1111:2222:3333:4444:5555:6666:7777:8888:9999", FEED_NET_INVALID},
};

static void check_table(const struct addr_case *cases, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        enum feed_net_class got = feed_netguard_classify_text(cases[i].addr);
        if (got != cases[i].want)
            fail_msg("%s: got %s, want %s", cases[i].addr, feed_net_class_name(got),
                     feed_net_class_name(cases[i].want));
    }
}

static void test_ipv4_table(void **state)
{
    (void)state;
    check_table(v4_cases, ARRAY_SIZE(v4_cases));
}

static void test_ipv6_table(void **state)
{
    (void)state;
    check_table(v6_cases, ARRAY_SIZE(v6_cases));
}

static void test_not_addresses(void **state)
{
    (void)state;
    check_table(invalid_cases, ARRAY_SIZE(invalid_cases));
    assert_int_equal(feed_netguard_classify_text(NULL), FEED_NET_INVALID);
}

/* The struct sockaddr entry point: what curl hands the socket callback. */
static void test_sockaddr(void **state)
{
    struct sockaddr_in in = {.sin_family = AF_INET};
    struct sockaddr_in6 in6 = {.sin6_family = AF_INET6};
    struct sockaddr_un un = {.sun_family = AF_UNIX};

    (void)state;
    assert_int_equal(inet_pton(AF_INET, "127.0.0.1", &in.sin_addr), 1);
    assert_int_equal(feed_netguard_classify((struct sockaddr *)&in), FEED_NET_LOOPBACK);
    assert_int_equal(inet_pton(AF_INET, "203.0.114.1", &in.sin_addr), 1);
    assert_int_equal(feed_netguard_classify((struct sockaddr *)&in), FEED_NET_PUBLIC);
    assert_int_equal(inet_pton(AF_INET6, "::ffff:192.168.0.1", &in6.sin6_addr), 1);
    assert_int_equal(feed_netguard_classify((struct sockaddr *)&in6), FEED_NET_PRIVATE);
    assert_int_equal(inet_pton(AF_INET6, "2a01:e0a::1", &in6.sin6_addr), 1);
    assert_int_equal(feed_netguard_classify((struct sockaddr *)&in6), FEED_NET_PUBLIC);
    assert_int_equal(feed_netguard_classify((struct sockaddr *)&un), FEED_NET_INVALID);
    assert_int_equal(feed_netguard_classify(NULL), FEED_NET_INVALID);
    /* Every class has a name. */
    for (int c = FEED_NET_PUBLIC; c <= FEED_NET_INVALID; c++)
        assert_non_null(feed_net_class_name((enum feed_net_class)c));
    assert_string_equal(feed_net_class_name((enum feed_net_class)99), "invalid");
}

static void test_allow_list(void **state)
{
    static const struct {
        const char *allow, *host;
        bool want;
    } cases[] = {
        {NULL, "127.0.0.1", false},
        {"", "127.0.0.1", false},
        {"   ", "127.0.0.1", false},
        {"127.0.0.1", "127.0.0.1", true},
        {"127.0.0.1", "127.0.0.2", false},
        {"127.0.0.1", "localhost", false},
        {"localhost", "127.0.0.1", false},
        {"localhost", "LocalHost", true},
        {"127.0.0.1", "::ffff:127.0.0.1", true}, /* the same address */
        {"10.0.0.5", "10.0.0.50", false},
        {"intranet.example.org 10.0.0.5", "INTRANET.example.org", true},
        {"intranet.example.org 10.0.0.5", "10.0.0.5", true},
        {"intranet.example.org\t10.0.0.5", "10.0.0.5", true},
        {"intranet.example.org,10.0.0.5", "10.0.0.5", true},
        {"intranet.example.org", "intranet.example.org.", true},
        {"intranet.example.org.", "intranet.example.org", true},
        {"intranet.example.org", "example.org", false},
        {"intranet.example.org", "xintranet.example.org", false},
        {"intranet.example.org", "intranet.example.org.evil.test", false},
        {"intranet", "intranet.example.org", false},
        {"::1", "[::1]", true},
        {"[::1]", "::1", true},
        {"::1", "0:0::1", true},
        {"::1", "::2", false},
        {"fd00::1 wiki", "[fd00::0001]", true},
        {"127.0.0.1", "", false},
        {"127.0.0.1", NULL, false},
    };

    (void)state;
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        bool got = feed_netguard_host_allowed(cases[i].allow, cases[i].host);
        if (got != cases[i].want)
            fail_msg("allow \"%s\", host \"%s\": got %d", cases[i].allow ? cases[i].allow : "NULL",
                     cases[i].host ? cases[i].host : "NULL", got);
    }
}

/* Names and spellings resolved by getaddrinfo(): every one of them is loopback or private. */
static void test_resolved_names_refused(void **state)
{
    static const struct {
        const char *host;
        enum feed_net_class why;
    } cases[] = {
        {"localhost", FEED_NET_LOOPBACK}, /* /etc/hosts */
        {"LOCALHOST", FEED_NET_LOOPBACK},
        {"127.0.0.1", FEED_NET_LOOPBACK},
        {"127.0.0.53", FEED_NET_LOOPBACK},
        {"2130706433", FEED_NET_LOOPBACK},   /* 127.0.0.1 as one number */
        {"0x7f.1", FEED_NET_LOOPBACK},       /* inet_aton's hexadecimal short form */
        {"017700000001", FEED_NET_LOOPBACK}, /* octal */
        {"[::1]", FEED_NET_LOOPBACK},
        {"::ffff:127.0.0.1", FEED_NET_LOOPBACK},
        {"0.0.0.0", FEED_NET_UNSPECIFIED},
        {"10.1.2.3", FEED_NET_PRIVATE},
        {"192.168.1.1", FEED_NET_PRIVATE},
        {"169.254.169.254", FEED_NET_LINK_LOCAL},
        {"[fe80::1]", FEED_NET_LINK_LOCAL},
        {"[fd00::1]", FEED_NET_PRIVATE},
        {"100.100.100.200", FEED_NET_SHARED},
    };
    struct feed_netguard_addrs addrs;
    enum feed_net_class why;

    (void)state;
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        int rc = feed_netguard_resolve("", cases[i].host, &addrs, &why);
        if (rc != ERR_DENIED || why != cases[i].why)
            fail_msg("%s: rc %d, class %s", cases[i].host, rc, feed_net_class_name(why));
        assert_int_equal(addrs.len, 0);
        assert_false(addrs.host_allowed);
    }
}

static void test_resolved_names_allowed(void **state)
{
    struct feed_netguard_addrs addrs;
    enum feed_net_class why;
    bool has_loopback = false;

    (void)state;
    /* The host listed by name: every address it resolves to is accepted, and kept for pinning. */
    assert_int_equal(feed_netguard_resolve("localhost", "localhost", &addrs, &why), 0);
    assert_true(addrs.host_allowed);
    assert_true(addrs.len >= 1 && addrs.len <= FEED_NETGUARD_ADDRS_MAX);
    for (size_t i = 0; i < addrs.len; i++)
        has_loopback |=
            strcmp(addrs.addr[i], "127.0.0.1") == 0 || strcmp(addrs.addr[i], "[::1]") == 0;
    assert_true(has_loopback);

    /* Listing an address allows links written with it, not names that resolve to it. */
    assert_int_equal(feed_netguard_resolve("127.0.0.1 ::1", "localhost", &addrs, &why), ERR_DENIED);
    assert_int_equal(why, FEED_NET_LOOPBACK);
    assert_int_equal(feed_netguard_resolve("127.0.0.1", "2130706433", &addrs, &why), ERR_DENIED);
    assert_int_equal(feed_netguard_resolve("127.0.0.1", "127.0.0.1", &addrs, &why), 0);
    assert_true(addrs.host_allowed);
    assert_int_equal(addrs.len, 1);
    assert_string_equal(addrs.addr[0], "127.0.0.1");
    assert_int_equal(feed_netguard_resolve("::1", "[::1]", &addrs, &why), 0);
    assert_int_equal(addrs.len, 1);
    assert_string_equal(addrs.addr[0], "[::1]");
    /* Another loopback address is not the one allowed. */
    assert_int_equal(feed_netguard_resolve("127.0.0.1", "127.0.0.2", &addrs, &why), ERR_DENIED);
    assert_int_equal(why, FEED_NET_LOOPBACK);

    /* Public numeric addresses pass (nothing is looked up, nothing is opened). */
    assert_int_equal(feed_netguard_resolve(NULL, "93.184.216.34", &addrs, &why), 0);
    assert_int_equal(addrs.len, 1);
    assert_string_equal(addrs.addr[0], "93.184.216.34");
    assert_int_equal(feed_netguard_resolve(NULL, "[2001:4860:4860::8888]", &addrs, &why), 0);
    assert_string_equal(addrs.addr[0], "[2001:4860:4860::8888]");

    /* Nothing to resolve. */
    assert_int_equal(feed_netguard_resolve(NULL, "", &addrs, &why), ERR_NOTFOUND);
    assert_int_equal(feed_netguard_resolve(NULL, "[]", &addrs, &why), ERR_NOTFOUND);
    assert_int_equal(feed_netguard_resolve(NULL, NULL, &addrs, &why), ERR_NOTFOUND);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ipv4_table),
        cmocka_unit_test(test_ipv6_table),
        cmocka_unit_test(test_not_addresses),
        cmocka_unit_test(test_sockaddr),
        cmocka_unit_test(test_allow_list),
        cmocka_unit_test(test_resolved_names_refused),
        cmocka_unit_test(test_resolved_names_allowed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
