/*
 * layout.h - the page frame every HTML page shares (Fossil's style_header).
 *
 * page_begin() writes the doctype, head, header bar (product name,
 * navigation, search, member menu) and opens <main>; page_end() closes it
 * with the footer.  Headers set here: Content-Type; the security headers
 * are added by the server to every response.
 */
#ifndef RUCHE_LAYOUT_H
#define RUCHE_LAYOUT_H

#include "html.h"

struct req;

enum nav { NAV_NONE, NAV_HOME, NAV_COMMUNITIES, NAV_PEOPLE, NAV_MESSAGES };

struct page {
    const char *title; /* already translated */
    enum nav nav;
    bool bare; /* no navigation (sign-in pages) */
};

/* Start the page; returns the writer to use until page_end(). */
struct html *page_begin(struct req *r, const struct page *p);
/* Close the page and set the status (200 unless already set). */
int page_end(struct req *r);

/* A form's opening tag with its hidden CSRF field: <form method="post" action="…">. */
#define html_form_begin(h, r, fmt, ...) html_form_begin_((h), (r), "" fmt "", ##__VA_ARGS__)
void html_form_begin_(struct html *h, struct req *r, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The same for a form that uploads files: enctype="multipart/form-data". */
#define html_form_begin_multipart(h, r, fmt, ...)                                                  \
    html_form_begin_multipart_((h), (r), "" fmt "", ##__VA_ARGS__)
void html_form_begin_multipart_(struct html *h, struct req *r, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
