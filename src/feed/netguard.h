/*
 * netguard.h - which network addresses the server may fetch link previews from.
 *
 * A link preview makes the server itself open a connection to an address a
 * member chose.  Left unchecked, that reaches what only the server can
 * reach: its own loopback services, the organisation's private network, a
 * cloud's metadata address (169.254.169.254).  So before any connection
 * the host is resolved here, and it is refused when ANY of its addresses is
 * not a public unicast address, unless the site's preview_allow_hosts
 * (ruche.conf) lists the host as the link names it (a name, or an address
 * written as one): listing 127.0.0.1 allows http://127.0.0.1/ but not
 * http://localhost/, nor a name some DNS points at 127.0.0.1.  The fetch is then
 * pinned to the addresses checked (feed_preview.c), and every socket is
 * checked again as it opens, so a name that resolves differently a moment
 * later (DNS rebinding) gains nothing.
 *
 * feed_netguard_classify() is a pure function on one address, unit-tested
 * on a table (tests/unit/feed/test_netguard.c).  Owns no state.
 */
#ifndef RUCHE_FEED_NETGUARD_H
#define RUCHE_FEED_NETGUARD_H

#include "../core/core.h"

struct sockaddr;

/* What an address is; only FEED_NET_PUBLIC may be fetched without an allowance. */
enum feed_net_class {
    FEED_NET_PUBLIC = 0,  /* global unicast */
    FEED_NET_UNSPECIFIED, /* 0.0.0.0/8, :: */
    FEED_NET_LOOPBACK,    /* 127/8, ::1 */
    FEED_NET_PRIVATE,     /* 10/8, 172.16/12, 192.168/16, fc00::/7, fec0::/10 */
    FEED_NET_LINK_LOCAL,  /* 169.254/16, fe80::/10 */
    FEED_NET_SHARED,      /* 100.64/10, carrier-grade NAT */
    FEED_NET_MULTICAST,   /* 224/4, ff00::/8 */
    FEED_NET_BROADCAST,   /* 255.255.255.255 */
    FEED_NET_RESERVED,    /* documentation, benchmarking, 240/4, IPv6 outside 2000::/3... */
    FEED_NET_INVALID,     /* not an IPv4 or IPv6 address */
};

/* "public", "loopback", "private"... for logs and tests. */
const char *feed_net_class_name(enum feed_net_class c);

/*
 * Classify an IPv4 (AF_INET) or IPv6 (AF_INET6) socket address.  An
 * IPv4-mapped (::ffff:a.b.c.d), NAT64 (64:ff9b::/96) or 6to4 (2002::/16)
 * address is classified by the IPv4 address it carries.  Any other family
 * is FEED_NET_INVALID.
 */
enum feed_net_class feed_netguard_classify(const struct sockaddr *sa);

/* The same for a numeric address as text ("10.0.0.1", "::1", "[::1]"); FEED_NET_INVALID
 * for anything else (host names included: they are not resolved here). */
enum feed_net_class feed_netguard_classify_text(const char *addr);

/*
 * True when host (a name, or an address with or without IPv6 brackets) is
 * listed in allow, a space-separated list of names and addresses
 * (preview_allow_hosts).  Names compare case-insensitively, addresses by
 * value ("::1" matches "0:0::1").  NULL or "" allows nothing.
 */
bool feed_netguard_host_allowed(const char *allow, const char *host);

#define FEED_NETGUARD_ADDRS_MAX 8 /* addresses of one host kept for pinning */
#define FEED_NETGUARD_ADDR_LEN 48 /* text of one address, brackets of IPv6 included */

/* The addresses a host was checked at, for pinning the connection to them. */
struct feed_netguard_addrs {
    char addr[FEED_NETGUARD_ADDRS_MAX][FEED_NETGUARD_ADDR_LEN]; /* "1.2.3.4", "[2001:db8::1]" */
    size_t len;
    bool host_allowed; /* the host itself is in the allow list: any address is accepted */
};

/*
 * Resolve host (getaddrinfo, TCP) and check every address it has unless
 * the host is in allow: 0 with out filled (at most FEED_NETGUARD_ADDRS_MAX
 * of them), or ERR_DENIED when any address is not public (*why then names
 * its class, for the log), or
 * ERR_NOTFOUND when the name does not resolve.  host is a name or an
 * address (IPv6 with or without brackets).  Opens no connection.
 */
int feed_netguard_resolve(const char *allow, const char *host, struct feed_netguard_addrs *out,
                          enum feed_net_class *why);

#endif
