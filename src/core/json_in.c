/*
** json_in.c: jansson's parser on the library's allocator (json_in.h).
**
** jansson's allocation functions are process-wide.  They are set once, to
** functions that call the allocator that was in place before (jansson's
** default, malloc, becomes pl__malloc so that tests can fail jansson's
** allocations too) and that, during a parse on this thread, record a
** failure and let the parse finish (hook_malloc).
*/
#define _POSIX_C_SOURCE 200809L
#include "core/json_in.h"

#include "core/alloc.h"
#include "core/diag.h"
#include "core/text.h"

#include <pthread.h>
#include <stdlib.h>

static json_malloc_t prev_malloc;
static json_free_t prev_free;
static pthread_once_t once = PTHREAD_ONCE_INIT;

/* 0: not parsing; 1: parsing; 2: parsing, and an allocation failed. */
static _Thread_local int parse_state;

/* jansson's lexer ignores a failure to grow its token buffer and then
** asserts (load.c, lex_unget_unsave) when the token ends just there, as a
** 15-character number does.  So a failure during a parse is recorded and
** the parse given GRACE more bytes from malloc -- enough to finish a
** partial result or a scenario of the tests, little enough that a parse of
** a huge input stops soon after memory ran out -- then fails fast; its
** result is dropped as out of memory (json_in_loadb). */
#define GRACE ((size_t)64 << 10)
static _Thread_local size_t grace; /* bytes left after a failure */

/* Memory hook_free releases, from malloc when it is free's to release. */
static void *unhooked_malloc(size_t size) {
    if (size > grace) return NULL;
    grace -= size;
    if (!prev_free || prev_free == free || prev_free == pl__free) return malloc(size ? size : 1);
    return prev_malloc(size);
}

static void *hook_malloc(size_t size) {
    if (parse_state == 2) return unhooked_malloc(size);
    void *p = prev_malloc ? prev_malloc(size) : pl__malloc(size);
    if (!p && parse_state == 1) {
        parse_state = 2;
        grace = GRACE;
        p = unhooked_malloc(size);
    }
    return p;
}

static void hook_free(void *p) {
    if (prev_free) prev_free(p);
    else pl__free(p);
}

static void install(void) {
    json_malloc_t m;
    json_free_t f;
    json_get_alloc_funcs(&m, &f);
    if (m != malloc || f != free) {
        prev_malloc = m;
        prev_free = f;
    }
    json_set_alloc_funcs(hook_malloc, hook_free);
}

void json_in_install(void) { pthread_once(&once, install); }

json_t *json_in_loadb(const char *text, size_t len, size_t flags, json_error_t *err, int *oom) {
    pthread_once(&once, install);
    parse_state = 1;
    json_t *root = json_loadb(text, len, flags, err);
    *oom = parse_state == 2 || (!root && json_error_code(err) == json_error_out_of_memory);
    parse_state = 0;
    if (*oom && root) {
        json_decref(root);
        root = NULL;
    }
    return root;
}

pl_status json_in_parse(const char **text, size_t *len, const char *name, pl_diags *diags,
                        json_t **root) {
    *root = NULL;
    pl_status rc = text_check(text, len, name, diags);
    if (rc != PL_OK) return rc;
    json_error_t jerr;
    int oom = 0;
    *root = json_in_loadb(*text, *len, JSON_REJECT_DUPLICATES, &jerr, &oom);
    if (oom) return PL_ENOMEM;
    if (!*root) {
        if (diag_add(diags, PL_SEV_ERROR, name, jerr.line > 0 ? jerr.line : 0,
                     jerr.line > 0 ? (jerr.column > 0 ? jerr.column : 1) : 0,
                     "expected valid JSON, found an error: %s", jerr.text) != PL_OK)
            return PL_ENOMEM;
        return PL_EPARSE;
    }
    return PL_OK;
}
