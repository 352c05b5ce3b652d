/*
 * netguard.c - the address check of link previews (see netguard.h).
 *
 * Addresses are classified from their bytes against the IANA special-
 * purpose registries (RFC 6890 and its updates), not from their text, so
 * every spelling getaddrinfo() accepts ("2130706433", "0x7f.1", "::ffff:
 * 127.0.0.1") ends up at the same verdict.  IPv6 is allowed only inside
 * the global unicast block 2000::/3, and IPv6 forms that carry an IPv4
 * address (mapped, NAT64, 6to4) are judged by that IPv4 address.
 * Owns no state.
 */
#include "netguard.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <strings.h>
#include <sys/socket.h>

/* An IPv4 range: its first address (host order), prefix length and class. */
struct v4_range {
    uint32_t net;
    int bits;
    enum feed_net_class cls;
};

/* First match wins: the broadcast address comes before 240/4. */
static const struct v4_range v4_ranges[] = {
    {0x00000000u, 8, FEED_NET_UNSPECIFIED}, /* 0.0.0.0/8 "this network" */
    {0x0a000000u, 8, FEED_NET_PRIVATE},     /* 10.0.0.0/8 */
    {0x64400000u, 10, FEED_NET_SHARED},     /* 100.64.0.0/10 */
    {0x7f000000u, 8, FEED_NET_LOOPBACK},    /* 127.0.0.0/8 */
    {0xa9fe0000u, 16, FEED_NET_LINK_LOCAL}, /* 169.254.0.0/16 */
    {0xac100000u, 12, FEED_NET_PRIVATE},    /* 172.16.0.0/12 */
    {0xc0000000u, 24, FEED_NET_RESERVED},   /* 192.0.0.0/24 IETF protocol assignments */
    {0xc0000200u, 24, FEED_NET_RESERVED},   /* 192.0.2.0/24 TEST-NET-1 */
    {0xc0586300u, 24, FEED_NET_RESERVED},   /* 192.88.99.0/24 6to4 relay anycast */
    {0xc0a80000u, 16, FEED_NET_PRIVATE},    /* 192.168.0.0/16 */
    {0xc6120000u, 15, FEED_NET_RESERVED},   /* 198.18.0.0/15 benchmarking */
    {0xc6336400u, 24, FEED_NET_RESERVED},   /* 198.51.100.0/24 TEST-NET-2 */
    {0xcb007100u, 24, FEED_NET_RESERVED},   /* 203.0.113.0/24 TEST-NET-3 */
    {0xe0000000u, 4, FEED_NET_MULTICAST},   /* 224.0.0.0/4 */
    {0xffffffffu, 32, FEED_NET_BROADCAST},  /* 255.255.255.255 */
    {0xf0000000u, 4, FEED_NET_RESERVED},    /* 240.0.0.0/4 */
};

static const char *const class_names[] = {
    [FEED_NET_PUBLIC] = "public",         [FEED_NET_UNSPECIFIED] = "unspecified",
    [FEED_NET_LOOPBACK] = "loopback",     [FEED_NET_PRIVATE] = "private",
    [FEED_NET_LINK_LOCAL] = "link-local", [FEED_NET_SHARED] = "shared (CGNAT)",
    [FEED_NET_MULTICAST] = "multicast",   [FEED_NET_BROADCAST] = "broadcast",
    [FEED_NET_RESERVED] = "reserved",     [FEED_NET_INVALID] = "invalid",
};

const char *feed_net_class_name(enum feed_net_class c)
{
    if ((size_t)c < ARRAY_SIZE(class_names) && class_names[c])
        return class_names[c];
    return "invalid";
}

static enum feed_net_class classify_v4(uint32_t a)
{
    for (size_t i = 0; i < ARRAY_SIZE(v4_ranges); i++) {
        uint32_t mask = v4_ranges[i].bits == 0 ? 0 : 0xffffffffu << (32 - v4_ranges[i].bits);
        if ((a & mask) == v4_ranges[i].net)
            return v4_ranges[i].cls;
    }
    return FEED_NET_PUBLIC;
}

static uint32_t be32_at(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* True when the first bits of the 16 bytes b equal those of prefix (16 bytes too). */
static bool v6_in(const unsigned char *b, const unsigned char *prefix, int bits)
{
    int whole = bits / 8, rest = bits % 8;
    unsigned char mask = (unsigned char)(0xff << (8 - rest)); /* the bits of the last byte */

    if (memcmp(b, prefix, (size_t)whole) != 0)
        return false;
    return rest == 0 || (b[whole] & mask) == (prefix[whole] & mask);
}

static enum feed_net_class classify_v6(const unsigned char *b)
{
    static const unsigned char zero[16] = {0};
    static const unsigned char loopback[16] = {[15] = 1};
    static const unsigned char mapped[16] = {[10] = 0xff, [11] = 0xff};
    static const unsigned char translated[16] = {[8] = 0xff, [9] = 0xff}; /* ::ffff:0:a.b.c.d */
    static const unsigned char nat64[16] = {0x00, 0x64, 0xff, 0x9b};
    static const unsigned char nat64_local[16] = {0x00, 0x64, 0xff, 0x9b, 0x00, 0x01};
    static const unsigned char six_to_four[16] = {0x20, 0x02};
    static const unsigned char documentation[16] = {0x20, 0x01, 0x0d, 0xb8};
    static const unsigned char documentation2[16] = {0x3f, 0xff}; /* 3fff::/20 */
    static const unsigned char ietf[16] = {0x20, 0x01};           /* 2001::/23 */
    static const unsigned char ula[16] = {0xfc};
    static const unsigned char link_local[16] = {0xfe, 0x80};
    static const unsigned char site_local[16] = {0xfe, 0xc0};
    static const unsigned char multicast[16] = {0xff};

    if (memcmp(b, zero, 16) == 0)
        return FEED_NET_UNSPECIFIED;
    if (memcmp(b, loopback, 16) == 0)
        return FEED_NET_LOOPBACK;
    if (v6_in(b, mapped, 96) || v6_in(b, translated, 96) || v6_in(b, nat64, 96))
        return classify_v4(be32_at(b + 12));
    if (v6_in(b, zero, 96)) /* ::a.b.c.d, the deprecated IPv4-compatible form */
        return FEED_NET_RESERVED;
    if (v6_in(b, nat64_local, 48))
        return FEED_NET_PRIVATE;
    if (v6_in(b, six_to_four, 16))
        return classify_v4(be32_at(b + 2));
    if (v6_in(b, documentation, 32) || v6_in(b, documentation2, 20) || v6_in(b, ietf, 23))
        return FEED_NET_RESERVED;
    if (v6_in(b, ula, 7))
        return FEED_NET_PRIVATE;
    if (v6_in(b, link_local, 10))
        return FEED_NET_LINK_LOCAL;
    if (v6_in(b, site_local, 10))
        return FEED_NET_PRIVATE;
    if (v6_in(b, multicast, 8))
        return FEED_NET_MULTICAST;
    if ((b[0] & 0xe0) != 0x20) /* outside 2000::/3, the only global unicast block */
        return FEED_NET_RESERVED;
    return FEED_NET_PUBLIC;
}

enum feed_net_class feed_netguard_classify(const struct sockaddr *sa)
{
    if (!sa)
        return FEED_NET_INVALID;
    if (sa->sa_family == AF_INET) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)(const void *)sa;
        return classify_v4(ntohl(in->sin_addr.s_addr));
    }
    if (sa->sa_family == AF_INET6) {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)(const void *)sa;
        return classify_v6(in6->sin6_addr.s6_addr);
    }
    return FEED_NET_INVALID;
}

/* A numeric address parsed from text, brackets allowed around IPv6; false for anything else. */
static bool addr_parse(const char *text, struct sockaddr_storage *out)
{
    struct sockaddr_in *in = (struct sockaddr_in *)(void *)out;
    struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)(void *)out;
    char tmp[FEED_NETGUARD_ADDR_LEN];
    size_t n = strlen(text);

    memset(out, 0, sizeof(*out));
    if (n >= 2 && text[0] == '[' && text[n - 1] == ']') {
        text++;
        n -= 2;
    }
    if (n == 0 || n >= sizeof(tmp))
        return false;
    memcpy(tmp, text, n);
    tmp[n] = '\0';
    if (inet_pton(AF_INET, tmp, &in->sin_addr) == 1) {
        in->sin_family = AF_INET;
        return true;
    }
    if (inet_pton(AF_INET6, tmp, &in6->sin6_addr) == 1) {
        in6->sin6_family = AF_INET6;
        return true;
    }
    return false;
}

enum feed_net_class feed_netguard_classify_text(const char *addr)
{
    struct sockaddr_storage ss;

    if (!addr || !addr_parse(addr, &ss))
        return FEED_NET_INVALID;
    return feed_netguard_classify((const struct sockaddr *)&ss);
}

/*
 * The 16 bytes of sa as IPv6, an IPv4 address in its mapped form, so that
 * 127.0.0.1 and ::ffff:127.0.0.1 compare equal; false for other families.
 */
static bool addr_key(const struct sockaddr *sa, unsigned char key[16])
{
    memset(key, 0, 16);
    if (sa->sa_family == AF_INET) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)(const void *)sa;
        key[10] = key[11] = 0xff;
        memcpy(key + 12, &in->sin_addr, 4);
        return true;
    }
    if (sa->sa_family == AF_INET6) {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)(const void *)sa;
        memcpy(key, &in6->sin6_addr, 16);
        return true;
    }
    return false;
}

/* Call fn(token, len, ctx) for each word of the allow list until it returns true. */
static bool allow_any(const char *allow, bool (*fn)(const char *, size_t, const void *),
                      const void *ctx)
{
    const char *p = allow ? allow : "";

    while (*p) {
        size_t n;
        p += strspn(p, " \t,");
        n = strcspn(p, " \t,");
        if (n && fn(p, n, ctx))
            return true;
        p += n;
    }
    return false;
}

/* True when the word (n bytes) is a numeric address equal to the one of ctx (a 16-byte key). */
static bool word_is_addr(const char *word, size_t n, const void *ctx)
{
    char tmp[FEED_NETGUARD_ADDR_LEN];
    struct sockaddr_storage ss;
    unsigned char key[16];

    if (n >= sizeof(tmp))
        return false;
    memcpy(tmp, word, n);
    tmp[n] = '\0';
    return addr_parse(tmp, &ss) && addr_key((const struct sockaddr *)&ss, key) &&
           memcmp(key, ctx, 16) == 0;
}

/* True when the word is the host name of ctx (case-insensitive, one final dot ignored). */
static bool word_is_name(const char *word, size_t n, const void *ctx)
{
    const char *host = ctx;
    size_t hn = strlen(host);

    if (hn && host[hn - 1] == '.')
        hn--;
    if (n && word[n - 1] == '.')
        n--;
    return n == hn && strncasecmp(word, host, n) == 0;
}

bool feed_netguard_host_allowed(const char *allow, const char *host)
{
    struct sockaddr_storage ss;
    unsigned char key[16];

    if (!host || !*host)
        return false;
    if (addr_parse(host, &ss) && addr_key((const struct sockaddr *)&ss, key))
        return allow_any(allow, word_is_addr, key);
    return allow_any(allow, word_is_name, host);
}

/* Add the text of sa to out unless it is there already or out is full. */
static void addrs_add(struct feed_netguard_addrs *out, const struct sockaddr *sa)
{
    char text[INET6_ADDRSTRLEN], entry[FEED_NETGUARD_ADDR_LEN];

    if (sa->sa_family == AF_INET) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)(const void *)sa;
        if (!inet_ntop(AF_INET, &in->sin_addr, text, sizeof(text)))
            return;
        snprintf(entry, sizeof(entry), "%s", text);
    } else {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)(const void *)sa;
        if (!inet_ntop(AF_INET6, &in6->sin6_addr, text, sizeof(text)))
            return;
        snprintf(entry, sizeof(entry), "[%s]", text);
    }
    for (size_t i = 0; i < out->len; i++)
        if (strcmp(out->addr[i], entry) == 0)
            return;
    if (out->len < FEED_NETGUARD_ADDRS_MAX)
        memcpy(out->addr[out->len++], entry, sizeof(entry));
}

int feed_netguard_resolve(const char *allow, const char *host, struct feed_netguard_addrs *out,
                          enum feed_net_class *why)
{
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM};
    struct addrinfo *res = NULL;
    char name[256];
    size_t n = host ? strlen(host) : 0;
    int rc = 0, gai;

    memset(out, 0, sizeof(*out));
    *why = FEED_NET_PUBLIC;
    if (n >= 2 && host[0] == '[' && host[n - 1] == ']') {
        host++;
        n -= 2;
    }
    if (n == 0 || n >= sizeof(name)) {
        *why = FEED_NET_INVALID;
        return ERR_NOTFOUND;
    }
    memcpy(name, host, n);
    name[n] = '\0';
    out->host_allowed = feed_netguard_host_allowed(allow, name);
    gai = getaddrinfo(name, NULL, &hints, &res);
    if (gai != 0) {
        *why = FEED_NET_INVALID;
        return gai == EAI_AGAIN ? ERR_IO : ERR_NOTFOUND;
    }
    for (const struct addrinfo *ai = res; ai; ai = ai->ai_next) {
        if (ai->ai_family != AF_INET && ai->ai_family != AF_INET6)
            continue;
        if (!out->host_allowed && (*why = feed_netguard_classify(ai->ai_addr)) != FEED_NET_PUBLIC) {
            rc = ERR_DENIED;
            break;
        }
        addrs_add(out, ai->ai_addr);
    }
    freeaddrinfo(res);
    if (rc == 0 && out->len == 0) {
        *why = FEED_NET_INVALID;
        rc = ERR_NOTFOUND;
    }
    if (rc < 0)
        out->len = 0;
    return rc;
}
