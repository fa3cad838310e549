/*
** builtin.c: the scenarios compiled into the library.  Their JSON texts are
** generated at build time from the files in scenarios/ (see CMakeLists.txt and
** tools/embed.cmake), so the file and the built-in never differ.
*/
#include "parley.h"

#include "builtin_data.h"

#include <string.h>

size_t pl_builtin_count(void) { return PL_N_BUILTINS; }

const char *pl_builtin_id(size_t i) { return i < PL_N_BUILTINS ? pl_builtins[i].id : NULL; }

const char *pl_builtin_title(size_t i) { return i < PL_N_BUILTINS ? pl_builtins[i].title : NULL; }

const char *pl_builtin_text(const char *id, size_t *len) {
    if (!id) return NULL;
    for (size_t i = 0; i < PL_N_BUILTINS; i++)
        if (strcmp(pl_builtins[i].id, id) == 0) {
            if (len) *len = pl_builtins[i].len;
            return pl_builtins[i].text;
        }
    return NULL;
}

pl_status pl_scenario_load_builtin(const char *id, pl_diags *diags, pl_scenario **out) {
    if (!out) return PL_EINVAL;
    *out = NULL;
    size_t len;
    const char *text = pl_builtin_text(id, &len);
    if (!text) return PL_ENOTFOUND;
    char name[128];
    strcpy(name, "builtin:");
    strncat(name, id, sizeof name - strlen(name) - 1);
    return pl_scenario_load_buffer(text, len, name, diags, out);
}
