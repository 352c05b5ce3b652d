/*
 * photo.h - profile photos: checking, re-encoding, storing and finding them.
 *
 * An upload (JPEG, PNG or WebP, at most PEOPLE_PHOTO_BYTES_MAX) is
 * recognised by its magic bytes, its dimensions are read from its header
 * and refused past PEOPLE_PHOTO_SIDE_MAX or PEOPLE_PHOTO_PIXELS_MAX before
 * anything is decoded (decompression bombs), then it is decoded, cropped to
 * a centred square and re-encoded as two JPEG thumbnails (256 and 64 px).
 * Re-encoding from pixels drops every metadata (EXIF, GPS, ICC, comments),
 * after the EXIF orientation of a JPEG has been applied to the pixels.
 * Thumbnails are stored by content hash under files_dir/ab/cd/<hash>.jpg and
 * their hashes kept in the profile row with the photo's visibility.
 */
#ifndef RUCHE_PEOPLE_PHOTO_H
#define RUCHE_PEOPLE_PHOTO_H

#include "people.h"

struct app;

#define PEOPLE_PHOTO_BYTES_MAX (10 * 1024 * 1024)
#define PEOPLE_PHOTO_BODY_LIMIT (PEOPLE_PHOTO_BYTES_MAX + 64 * 1024) /* multipart overhead */
#define PEOPLE_PHOTO_SIDE_MAX 10000                                  /* pixels */
#define PEOPLE_PHOTO_PIXELS_MAX 40000000                             /* 40 megapixels */
#define PEOPLE_PHOTO_BIG 256                                         /* pixels a side */
#define PEOPLE_PHOTO_SMALL 64
#define PEOPLE_PHOTO_HASH_HEX 64 /* BLAKE2b-256 in hex */

enum people_photo_format {
    PEOPLE_PHOTO_UNKNOWN,
    PEOPLE_PHOTO_JPEG,
    PEOPLE_PHOTO_PNG,
    PEOPLE_PHOTO_WEBP,
};

/*
 * Recognise data by its magic bytes and read its dimensions from the
 * header, decoding nothing.  0 with *format, *width, *height set;
 * ERR_INVALID for an unknown format, a truncated or malformed header, or a
 * zero dimension; ERR_TOOBIG when a side exceeds PEOPLE_PHOTO_SIDE_MAX or
 * the area PEOPLE_PHOTO_PIXELS_MAX.
 */
int people_photo_probe(const unsigned char *data, size_t len, enum people_photo_format *format,
                       uint32_t *width, uint32_t *height);

/*
 * Make data the photo of account_id: probe, decode, thumbnail, store the
 * files, then record their hashes (creating the profile row if needed).
 * 0; ERR_INVALID (not a readable image, or too many pixels) or ERR_TOOBIG
 * (over PEOPLE_PHOTO_BYTES_MAX) with *problem the French message id to
 * show; ERR_NOTFOUND (no such active member); ERR_IO; ERR_DB.  Nothing is
 * recorded on any error.
 */
int people_photo_store(const struct app *app, struct db *db, int64_t account_id,
                       const unsigned char *data, size_t len, const char **problem);

/*
 * Forget the photo of account_id, and delete its files unless another
 * profile references them (files are shared by content).
 */
int people_photo_delete(const struct app *app, struct db *db, int64_t account_id);

/* Set the visibility of the photo of account_id (creating the profile row if needed). */
int people_photo_set_visibility(struct db *db, int64_t account_id, enum people_visibility vis);

/* A member's photo as recorded: hashes "" when there is none. */
struct people_photo {
    const char *big, *small; /* hex hashes of the 256 and 64 px thumbnails */
    enum people_visibility vis;
};

/* Load the photo record of account_id (all "" without a profile row).  Memory from a. */
int people_photo_load(struct db *db, struct arena *a, int64_t account_id, struct people_photo *out);

/*
 * The hash of the size px thumbnail (PEOPLE_PHOTO_BIG or _SMALL) of owner_id
 * as v may see it: NULL when there is none, or it is hidden from v
 * (people_field_visible()).  Memory from a.
 */
const char *people_photo_visible(struct db *db, struct arena *a, const struct viewer *v,
                                 int64_t owner_id, int size);

/*
 * The EXIF Orientation (tag 0x0112 of IFD0 in the first APP1 "Exif"
 * segment) of JPEG data: 1 to 8, and 1 when absent, malformed or out of
 * bounds.  Reads only inside data[0..len).
 */
int people_photo_exif_orientation(const unsigned char *data, size_t len);
/*
 * Where pixel (x, y) of an image shown with EXIF orientation o comes from
 * in the stored w x h image: (*sx, *sy).  Orientations 5 to 8 show it
 * h x w.  Anything but 2 to 8 is 1, the identity.
 */
void people_photo_orient_source(int orientation, int w, int h, int x, int y, int *sx, int *sy);

/* files_dir/ab/cd/<hash>.jpg, in arena memory; NULL when hash is not PEOPLE_PHOTO_HASH_HEX hex. */
const char *people_photo_path(struct arena *a, const char *files_dir, const char *hash);

/* ---- pages and API (photo_web.c, photo_api.c) ------------------------------ */

/* The photo section of the edit page of member id: preview, upload form, removal. */
void people_photo_edit_section(struct req *r, struct html *h, int64_t id);
/* An <img class="avatar…"> of hash at size px, alt text name (extra_class may be ""). */
void people_photo_img(struct html *h, int64_t id, const char *hash, int size, const char *name,
                      const char *extra_class);

int people_page_photo(struct req *r);        /* GET /people/{id}/photo/{size} */
int people_form_photo(struct req *r);        /* POST /people/{id}/photo */
int people_form_photo_delete(struct req *r); /* POST /people/{id}/photo/delete */
int people_api_photo_put(struct req *r);     /* PUT /api/v1/me/photo */
int people_api_photo_delete(struct req *r);  /* DELETE /api/v1/me/photo */

struct json_t;
/*
 * Add to person (the API object of profile p) "photo": {"64": url, "256":
 * url} when the viewer may see a photo, and "photo_visibility" when
 * privileged (the owner or an administrator).  Reads nothing more: the
 * photo columns come with the profile.
 */
void people_photo_json(struct req *r, struct json_t *person, const struct profile *p,
                       bool privileged);

/*
 * Re-encode data (JPEG, PNG or WebP, probed as uploads are) as a JPEG that
 * fits in max_width x max_height keeping its shape (never enlarged), on
 * white, turned as its EXIF orientation says, without metadata, into *jpeg
 * (memory from a).  Used for link previews and post attachments.
 * ERR_INVALID (unreadable), ERR_TOOBIG (over the photo limits), ERR_NOMEM.
 */
int people_photo_fit(struct arena *a, const unsigned char *data, size_t len, int max_width,
                     int max_height, struct buf *jpeg);

#endif
