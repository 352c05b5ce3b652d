/*
 * filestore.c - files stored on disk by content hash (see filestore.h).
 *
 * Writes go to root/ab/cd/<hash><ext>.<random>.tmp, are synced, then
 * renamed over the final name: rename is atomic, and two writers of the
 * same bytes write the same content, so whichever wins is right.  Removal
 * renames the file to a ".gone" name before asking whether it is still
 * needed, so that a concurrent writer either sees the file missing (and
 * stores it again) or has its reference seen.  Owns no long-lived state.
 */
#include "filestore.h"
#include "arena.h"
#include "buf.h"
#include "log.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

bool filestore_is_hash(const char *s)
{
    size_t n = 0;

    for (; s && s[n]; n++)
        if (!((s[n] >= '0' && s[n] <= '9') || (s[n] >= 'a' && s[n] <= 'f')))
            return false;
    return n == FILESTORE_HASH_HEX;
}

const char *filestore_path(struct arena *a, const char *root, const char *hash, const char *ext)
{
    if (!filestore_is_hash(hash))
        return NULL;
    return arena_printf(a, "%s/%.2s/%.2s/%s%s", root, hash, hash + 2, hash, ext ? ext : "");
}

static int make_dir(const char *path)
{
    if (mkdir(path, 0750) == 0 || errno == EEXIST)
        return 0;
    log_error("files", "cannot create folder", "path", path, "error", strerror(errno), NULL);
    return ERR_IO;
}

static int write_all(int fd, const char *data, size_t len)
{
    while (len) {
        ssize_t n = write(fd, data, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return ERR_IO;
        data += n;
        len -= (size_t)n;
    }
    return 0;
}

/* A temporary name next to path, unique to this writer. */
static const char *temp_name(struct arena *a, const char *path, const char *suffix)
{
    unsigned char nonce_bytes[8];
    char nonce[17];

    randombytes_buf(nonce_bytes, sizeof(nonce_bytes));
    sodium_bin2hex(nonce, sizeof(nonce), nonce_bytes, sizeof(nonce_bytes));
    return arena_printf(a, "%s.%s.%s", path, nonce, suffix);
}

int filestore_put(struct arena *a, const char *root, const void *data, size_t len, const char *ext,
                  const char **hash)
{
    unsigned char digest[FILESTORE_HASH_HEX / 2];
    char hex[FILESTORE_HASH_HEX + 1];
    const char *path, *tmp;
    struct stat st;
    int fd, rc;

    crypto_generichash(digest, sizeof(digest), data, len, NULL, 0);
    sodium_bin2hex(hex, sizeof(hex), digest, sizeof(digest));
    *hash = arena_strdup(a, hex);
    path = filestore_path(a, root, hex, ext);
    if (stat(path, &st) == 0)
        return 0;
    if ((rc = make_dir(root)) < 0 || (rc = make_dir(arena_printf(a, "%s/%.2s", root, hex))) < 0 ||
        (rc = make_dir(arena_printf(a, "%s/%.2s/%.2s", root, hex, hex + 2))) < 0)
        return rc;
    tmp = temp_name(a, path, "tmp");
    fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
    if (fd < 0) {
        log_error("files", "cannot create file", "path", tmp, "error", strerror(errno), NULL);
        return ERR_IO;
    }
    rc = write_all(fd, data, len);
    if (rc == 0 && fsync(fd) != 0)
        rc = ERR_IO;
    if (close(fd) != 0)
        rc = ERR_IO;
    if (rc == 0 && rename(tmp, path) != 0)
        rc = ERR_IO;
    if (rc < 0) {
        log_error("files", "cannot write file", "path", path, "error", strerror(errno), NULL);
        unlink(tmp);
    }
    return rc;
}

int filestore_read(const char *path, size_t max, struct buf *out)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    int rc = 0;

    if (fd < 0)
        return errno == ENOENT ? ERR_NOTFOUND : ERR_IO;
    if (fstat(fd, &st) != 0 || st.st_size < 0) {
        close(fd);
        return ERR_IO;
    }
    if ((uint64_t)st.st_size > max) {
        close(fd);
        return ERR_TOOBIG;
    }
    buf_grow(out, (size_t)st.st_size);
    while (rc == 0) {
        char chunk[65536];
        ssize_t n = read(fd, chunk, sizeof(chunk));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            rc = ERR_IO;
        else if (n == 0)
            break;
        else if (out->len + (size_t)n > max)
            rc = ERR_TOOBIG; /* grew while being read */
        else
            buf_add(out, chunk, (size_t)n);
    }
    close(fd);
    return rc;
}

int filestore_remove(struct arena *a, const char *root, const char *hash, const char *ext,
                     filestore_used_fn *used, void *ctx)
{
    const char *path = filestore_path(a, root, hash, ext), *gone;
    int in_use;

    if (!path)
        return 0;
    gone = temp_name(a, path, "gone");
    if (rename(path, gone) != 0) {
        if (errno == ENOENT)
            return 0;
        log_error("files", "cannot remove file", "path", path, "error", strerror(errno), NULL);
        return ERR_IO;
    }
    in_use = used(ctx, hash);
    if (in_use != 0) {
        /* Still wanted (or unknown): put it back (over a copy a writer stored meanwhile,
         * which holds the same bytes). */
        if (rename(gone, path) != 0) {
            log_error("files", "cannot restore file", "path", path, "error", strerror(errno), NULL);
            return ERR_IO;
        }
        return 0;
    }
    if (unlink(gone) != 0) {
        log_error("files", "cannot remove file", "path", gone, "error", strerror(errno), NULL);
        return ERR_IO;
    }
    return 0;
}
