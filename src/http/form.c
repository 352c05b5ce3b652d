/*
 * form.c - name/value lists and strict urlencoded parsing.
 *
 * Query strings are parsed here, strictly: a malformed %-escape or a value
 * that is not UTF-8 is refused, so handlers only ever see valid text.
 * Request bodies (urlencoded and multipart) go through libmicrohttpd's
 * post processor in server.c; urlenc_scan checks their escapes as they
 * stream, since the library decodes leniently.
 */
#include "http_internal.h"
#include "../core/str.h"
#include "../web/html.h"

#define FORM_FIELDS_MAX 1000

struct kv *kv_list_add(struct arena *a, struct kv_list *list, const char *name, const char *value,
                       size_t value_len)
{
    struct kv *item;

    if (list->len == list->cap) {
        size_t cap = list->cap ? list->cap * 2 : 8;
        struct kv *items = arena_array(a, cap, sizeof(*items));
        if (list->len)
            memcpy(items, list->items, list->len * sizeof(*items));
        list->items = items;
        list->cap = cap;
    }
    item = &list->items[list->len++];
    memset(item, 0, sizeof(*item));
    item->name = arena_strdup(a, name);
    item->value = arena_strndup(a, value ? value : "", value ? value_len : 0);
    item->value_len = value ? value_len : 0;
    return item;
}

const struct kv *kv_list_find(const struct kv_list *list, const char *name)
{
    for (size_t i = 0; i < list->len; i++)
        if (strcmp(list->items[i].name, name) == 0)
            return &list->items[i];
    return NULL;
}

const struct kv *http_form_next(struct req *r, const char *name, const struct kv *after)
{
    size_t i = after ? (size_t)(after - r->form.items) + 1 : 0;

    for (; i < r->form.len; i++)
        if (strcmp(r->form.items[i].name, name) == 0)
            return &r->form.items[i];
    return NULL;
}

/* Decode one "name" or "value" piece into arena memory; NULL when malformed. */
static char *decode_piece(struct arena *a, const char *s, size_t n, size_t *out_len)
{
    char *copy = arena_strndup(a, s, n);
    size_t len = n;

    if (!url_decode(copy, &len, true) || !str_is_utf8(copy, len))
        return NULL;
    *out_len = len;
    return copy;
}

int form_parse_urlencoded(struct arena *a, const char *s, size_t n, struct kv_list *list,
                          const char **bad_field)
{
    const char *end = s + n;

    *bad_field = NULL;
    while (s < end) {
        const char *amp = memchr(s, '&', (size_t)(end - s));
        const char *stop = amp ? amp : end;
        const char *eq = memchr(s, '=', (size_t)(stop - s));
        size_t name_len, value_len = 0;
        char *name, *value;

        if (stop > s) {
            if (list->len >= FORM_FIELDS_MAX)
                return ERR_TOOBIG;
            name = decode_piece(a, s, (size_t)((eq ? eq : stop) - s), &name_len);
            if (!name)
                return ERR_INVALID;
            value = eq ? decode_piece(a, eq + 1, (size_t)(stop - eq - 1), &value_len) : "";
            if (!value) {
                *bad_field = name;
                return ERR_INVALID;
            }
            kv_list_add(a, list, name, value, value_len);
        }
        s = amp ? amp + 1 : end;
    }
    return 0;
}

static bool is_hex(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

void urlenc_scan_feed(struct urlenc_scan *s, const char *data, size_t n)
{
    for (size_t i = 0; i < n && !s->bad; i++) {
        if (s->pending) {
            if (!is_hex(data[i]))
                s->bad = true;
            s->pending--;
        } else if (data[i] == '%') {
            s->pending = 2;
        }
    }
}
