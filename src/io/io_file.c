/*
** io_file.c: reading input files -- whole, with the input size cap, or
** their first bytes -- and telling their format from their names
** (io_file.h; pl_set_max_input and pl_input_format_of in parley.h).
**
** The cap keeps a hostile or mistaken input (a huge file, /dev/zero, an
** endless pipe) from eating the machine: a regular file's size is checked
** before anything is allocated; other files are read in bounded steps and
** refused as soon as they pass the cap.
*/
#define _POSIX_C_SOURCE 200809L
#include "io/io_file.h"

#include "core/alloc.h"
#include "core/diag.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

/* 0 means the default. */
static atomic_size_t max_input = 0;

void pl_set_max_input(size_t bytes) { atomic_store(&max_input, bytes); }

size_t pl_max_input(void) {
    size_t cap = atomic_load(&max_input);
    if (cap > (size_t)-1 / 2) cap = (size_t)-1 / 2; /* room for the NUL and doubling */
    return cap ? cap : PL_MAX_INPUT_DEFAULT;
}

/* ------------------------------------------------------------------------
** Reading
*/
static pl_status fail(pl_diags *diags, const char *path, pl_status rc, const char *what) {
    if (diag_add(diags, PL_SEV_ERROR, path, 0, 0, "expected a readable file, found %s", what) !=
        PL_OK)
        return PL_ENOMEM;
    return rc;
}

static pl_status too_large(pl_diags *diags, const char *path, size_t cap, long long size) {
    char found[64];
    if (size >= 0) snprintf(found, sizeof found, "%lld bytes", size);
    else snprintf(found, sizeof found, "more");
    if (diag_add(diags, PL_SEV_ERROR, path, 0, 0,
                 "expected input of at most %zu bytes (the input cap, --max-input), found %s", cap,
                 found) != PL_OK)
        return PL_ENOMEM;
    return PL_ERANGE;
}

pl_status io_file_read(const char *path, pl_diags *diags, char **text, size_t *len_out) {
    *text = NULL;
    *len_out = 0;
    size_t cap = pl_max_input();
    FILE *f = fopen(path, "rb");
    if (!f) {
        if (errno == ENOMEM) return PL_ENOMEM; /* the C library's, not the file's fault */
        char what[160];
        snprintf(what, sizeof what, "an error: %s", strerror(errno));
        return fail(diags, path, PL_EIO, what);
    }
    struct stat st;
    size_t n_alloc = 65536;
    if (fstat(fileno(f), &st) == 0) {
        if (S_ISDIR(st.st_mode)) {
            fclose(f);
            return fail(diags, path, PL_EIO, "a folder");
        }
        if (S_ISREG(st.st_mode)) {
            if (st.st_size > 0 && (unsigned long long)st.st_size > cap) {
                fclose(f);
                return too_large(diags, path, cap, (long long)st.st_size);
            }
            /* the whole file at once (it may still grow while we read) */
            if (st.st_size > 0) n_alloc = (size_t)st.st_size + 1;
        }
    }
    if (n_alloc > cap + 1) n_alloc = cap + 1;
    size_t len = 0;
    char *buf = pl__malloc(n_alloc);
    pl_status rc = buf ? PL_OK : PL_ENOMEM;
    while (rc == PL_OK) {
        size_t got = fread(buf + len, 1, n_alloc - 1 - len, f);
        len += got;
        if (len + 1 < n_alloc) { /* a short read: the end, or an error */
            if (ferror(f)) rc = PL_EIO;
            break;
        }
        /* the buffer is full: is there more? */
        int c = getc(f);
        if (c == EOF) {
            if (ferror(f)) rc = PL_EIO;
            break;
        }
        if (len >= cap) {
            rc = too_large(diags, path, cap, -1);
            break;
        }
        size_t n_new = n_alloc <= (cap + 1) / 2 ? 2 * n_alloc : cap + 1;
        char *bigger = pl__realloc(buf, n_new);
        if (!bigger) {
            rc = PL_ENOMEM;
            break;
        }
        buf = bigger;
        n_alloc = n_new;
        buf[len++] = (char)c;
    }
    if (rc == PL_EIO) {
        char what[160];
        snprintf(what, sizeof what, "an error: %s", strerror(errno));
        rc = fail(diags, path, PL_EIO, what);
    }
    fclose(f);
    if (rc != PL_OK) {
        pl__free(buf);
        return rc;
    }
    buf[len] = 0;
    *text = buf;
    *len_out = len;
    return PL_OK;
}

pl_status io_file_head(const char *path, char *head, size_t size, size_t *len) {
    if (len) *len = 0;
    if (size) head[0] = 0;
    FILE *f = fopen(path, "rb");
    if (!f) return errno == ENOMEM ? PL_ENOMEM : PL_EIO;
    size_t n = size ? fread(head, 1, size - 1, f) : 0;
    fclose(f);
    if (size) head[n] = 0;
    if (len) *len = n;
    return PL_OK;
}

/* ------------------------------------------------------------------------
** Formats
*/
int io_file_has_suffix(const char *path, const char *suffix) {
    size_t n = strlen(path), k = strlen(suffix);
    if (n < k) return 0;
    for (size_t i = 0; i < k; i++) {
        char c = path[n - k + i];
        if (c >= 'A' && c <= 'Z') c = (char)(c - 'A' + 'a');
        if (c != suffix[i]) return 0;
    }
    return 1;
}

int io_is_decide(const char *text, size_t len) {
    const char *p = text, *end = text + len;
    if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) p += 3;
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')) p++;
    char q = 0;
    if (p < end && (*p == '\'' || *p == '"')) q = *p++;
    if (end - p < 2 || p[0] != '#' || !strchr("APMDO/", p[1]) || !p[1]) return 0;
    p += 2;
    if (q) {
        if (p >= end || *p != q) return 0;
        p++;
    }
    while (p < end && *p == ' ') p++;
    return p < end && (*p == '\t' || *p == ';' || *p == ',');
}

pl_input_format pl_input_format_of(const char *path) {
    if (!path) return PL_INPUT_OTHER;
    if (io_file_has_suffix(path, ".json")) return PL_INPUT_JSON;
    struct stat st;
    /* only regular files: a pipe's bytes would be gone for the reader */
    if (!io_file_has_suffix(path, ".xml") && stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
        char head[1025];
        size_t n = 0;
        if (io_file_head(path, head, sizeof head, &n) == PL_OK && io_is_decide(head, n))
            return PL_INPUT_DECIDE;
    }
    if (io_file_has_suffix(path, ".csv")) return PL_INPUT_CSV;
    if (io_file_has_suffix(path, ".tsv")) return PL_INPUT_TSV;
    if (io_file_has_suffix(path, ".xml")) return PL_INPUT_XML;
    return PL_INPUT_OTHER;
}
