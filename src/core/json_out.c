/*
** json_out.c: jansson trees to report strings (json_out.h).
*/
#include "core/json_out.h"

#include "core/alloc.h"
#include "core/json_in.h"

#include <string.h>

pl_status json_out(json_t *root, int ok, int precision, char **out) {
    *out = NULL;
    size_t flags = (size_t)(JSON_INDENT(2) | JSON_REAL_PRECISION(precision & 31));
    json_in_install();
    /* jansson drops what it cannot append (an object key's closing quote)
    ** and goes on: any failure during the dump spoils the text */
    unsigned long failed = pl__alloc_failures();
    char *text = root && ok ? json_dumps(root, flags) : NULL;
    json_decref(root);
    json_malloc_t jmalloc;
    json_free_t jfree;
    json_get_alloc_funcs(&jmalloc, &jfree);
    if (text && pl__alloc_failures() != failed) {
        jfree(text);
        text = NULL;
    }
    if (!text) return PL_ENOMEM;
    size_t len = strlen(text);
    *out = pl__malloc(len + 2);
    if (*out) {
        memcpy(*out, text, len);
        (*out)[len] = '\n';
        (*out)[len + 1] = 0;
    }
    /* jansson's own allocator frees it, whoever set it */
    jfree(text);
    return *out ? PL_OK : PL_ENOMEM;
}

/* jansson's _new functions release the value themselves when they fail,
** a NULL container included. */
void jout_set(json_t *obj, const char *key, json_t *v, int *ok) {
    if (!v || json_object_set_new(obj, key, v) != 0) *ok = 0;
}

void jout_push(json_t *arr, json_t *v, int *ok) {
    if (!v || json_array_append_new(arr, v) != 0) *ok = 0;
}

void jout_str(json_t *obj, const char *key, const char *s, int *ok) {
    if (s) jout_set(obj, key, json_string(s), ok);
}

void jout_num(json_t *obj, const char *key, double x, int *ok) {
    jout_set(obj, key, json_real(x), ok);
}
