/*
 * preview.h - the internals of link previews (feed_preview.c) that the job
 * table and the unit tests reach.  The feed's pages use feed.h only.
 *
 * A post's first http(s) link gets a row of link_preview (status
 * "pending") and a "link_preview" job.  The job fetches the page through
 * the address guard (netguard.h) with libcurl: http and https only, at
 * most FEED_PREVIEW_REDIRECTS_MAX redirects (each checked again),
 * FEED_PREVIEW_TIMEOUT_MS in all, at most FEED_PREVIEW_HTML_MAX bytes read
 * (the rest is never read).  libxml2's HTML parser reads the page, without
 * network access, for its Open Graph, Twitter and plain title,
 * description, site name and image.  The image (at most
 * FEED_PREVIEW_IMAGE_MAX bytes, same guard) is re-encoded as a small JPEG
 * without metadata by the photo code and stored by content hash under
 * files_dir/previews.  The row then becomes "ok"; on any failure "failed", with
 * the reason logged and kept in link_preview.error.
 */
#ifndef RUCHE_FEED_PREVIEW_H
#define RUCHE_FEED_PREVIEW_H

#include "../core/core.h"

struct arena;
struct job;

#define FEED_PREVIEW_TITLE_MAX 200               /* characters kept of a title */
#define FEED_PREVIEW_DESCRIPTION_MAX 500         /* characters kept of a description */
#define FEED_PREVIEW_SITE_MAX 100                /* characters kept of a site name */
#define FEED_PREVIEW_HTML_MAX (1024 * 1024)      /* bytes of a page read at most */
#define FEED_PREVIEW_IMAGE_MAX (5 * 1024 * 1024) /* bytes of an image, or no image */
#define FEED_PREVIEW_TIMEOUT_MS 5000             /* one request, from start to last byte */
#define FEED_PREVIEW_CONNECT_MS 3000             /* one connection */
#define FEED_PREVIEW_REDIRECTS_MAX 3
#define FEED_PREVIEW_THUMB_WIDTH 400 /* the stored image fits in this box */
#define FEED_PREVIEW_THUMB_HEIGHT 210
#define FEED_PREVIEW_ATTEMPTS 3 /* tries of a page that timed out or answered 5xx */
#define FEED_PREVIEW_REFRESH_MS (24LL * 3600 * 1000) /* a failed preview is retried after this */
#define FEED_PREVIEW_USER_AGENT "Ruche link preview"

/* What a page says about itself, each field "" when it says nothing. */
struct feed_preview_meta {
    const char *title;       /* og:title, twitter:title or <title>; cleaned */
    const char *description; /* og:description, meta description or twitter:description */
    const char *site_name;   /* og:site_name */
    const char *image_url;   /* og:image or twitter:image, as written (maybe relative) */
};

/*
 * Read the n bytes of HTML at html (charset: the Content-Type's, or NULL to
 * let the page say) into out: texts cleaned by feed_preview_clean() to
 * their limits, memory from a.  Never fails: unreadable input gives empty
 * fields.  No network access.
 */
void feed_preview_parse(struct arena *a, const char *html, size_t n, const char *charset,
                        struct feed_preview_meta *out);

/*
 * s as one line of at most max_chars characters: invalid UTF-8 replaced by
 * U+FFFD, control and bidirectional-override characters dropped, runs of
 * white space made one space, trimmed, and cut with "…" when too long.
 * Memory from a; "" for NULL.
 */
const char *feed_preview_clean(struct arena *a, const char *s, size_t max_chars);

/* The host of an http(s) URL, in arena memory, for showing where a link goes; "" if none. */
const char *feed_preview_host(struct arena *a, const char *url);

/* The "link_preview" job: payload the URL.  Registered in src/jobs/kinds.c. */
int feed_preview_job(struct job *job);

#endif
