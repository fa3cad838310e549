/*
** jloc.c: positions of JSON values, by a second scan of a text that jansson
** has already accepted.  See jloc.h.
**
** The scan builds a tree of nodes in document order (first child, next
** sibling).  A parallel walk over jansson's tree -- whose objects keep their
** members in document order -- then maps each container pointer to its
** node.  Lookups go through that map, and each container's children are
** listed in one array so that the k-th is found in constant time (a
** validator reporting on many members of a large object or array stays
** linear).  Recursion is bounded: jansson refuses texts nested deeper than
** 2048 levels, and the scan stops at MAX_DEPTH.
*/
#include "core/jloc.h"

#include "core/alloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define NONE SIZE_MAX
#define MAX_DEPTH 4096

typedef struct node {
    jloc_pos pos;     /* where the value starts   */
    jloc_pos key_pos; /* where its key starts (object members) */
    size_t first_child, next_sibling, n_children;
} node;

typedef struct map_entry {
    const json_t *container;
    size_t node;
} map_entry;

struct jloc {
    node *nodes;
    size_t n_nodes, n_alloc;
    size_t *kids;    /* every node's children, container by container */
    size_t *kids_at; /* kids_at[nd]: where node nd's children start in kids */
    map_entry *map;
    size_t n_map;
    int broken; /* scan and tree disagree: answer "unknown" */
};

typedef struct scanner {
    const char *p, *end;
    int line, column;
    jloc *L;
    int failed;
    int oom; /* failed for want of memory */
} scanner;

static void advance(scanner *sc) {
    unsigned char c = (unsigned char)*sc->p++;
    if (c == '\n') {
        sc->line++;
        sc->column = 1;
    } else if ((c & 0xC0) != 0x80) {
        sc->column++;
    }
}

static void skip_ws(scanner *sc) {
    while (sc->p < sc->end && (*sc->p == ' ' || *sc->p == '\t' || *sc->p == '\n' || *sc->p == '\r'))
        advance(sc);
}

/* The column of the next character: a UTF-8 continuation byte does not
** start a character, so columns count characters as jansson does. */
static jloc_pos here(const scanner *sc) {
    jloc_pos pos = {sc->line, sc->column};
    return pos;
}

static size_t new_node(scanner *sc) {
    jloc *L = sc->L;
    if (L->n_nodes == L->n_alloc) {
        size_t n = L->n_alloc ? 2 * L->n_alloc : 64;
        node *nodes = pl__realloc(L->nodes, n * sizeof(node));
        if (!nodes) {
            sc->failed = sc->oom = 1;
            return NONE;
        }
        L->nodes = nodes;
        L->n_alloc = n;
    }
    node *nd = &L->nodes[L->n_nodes];
    memset(nd, 0, sizeof *nd);
    nd->pos = here(sc);
    nd->first_child = nd->next_sibling = NONE;
    return L->n_nodes++;
}

static void skip_string(scanner *sc) {
    advance(sc); /* opening quote */
    while (sc->p < sc->end && *sc->p != '"') {
        if (*sc->p == '\\' && sc->p + 1 < sc->end) advance(sc);
        advance(sc);
    }
    if (sc->p < sc->end) advance(sc);
    else sc->failed = 1;
}

static size_t scan_value(scanner *sc, int depth);

static void link_child(scanner *sc, size_t parent, size_t *last, size_t child) {
    node *nodes = sc->L->nodes;
    if (*last == NONE) nodes[parent].first_child = child;
    else nodes[*last].next_sibling = child;
    *last = child;
    nodes[parent].n_children++;
}

static size_t scan_container(scanner *sc, int depth, int is_object) {
    size_t me = new_node(sc);
    if (me == NONE) return NONE;
    char close = is_object ? '}' : ']';
    size_t last = NONE;
    advance(sc);
    skip_ws(sc);
    if (sc->p < sc->end && *sc->p == close) {
        advance(sc);
        return me;
    }
    while (!sc->failed && sc->p < sc->end) {
        jloc_pos key_pos = {0, 0};
        skip_ws(sc);
        if (is_object) {
            key_pos = here(sc);
            if (sc->p >= sc->end || *sc->p != '"') break;
            skip_string(sc);
            skip_ws(sc);
            if (sc->p >= sc->end || *sc->p != ':') break;
            advance(sc);
        }
        size_t child = scan_value(sc, depth + 1);
        if (child == NONE) break;
        sc->L->nodes[child].key_pos = key_pos;
        link_child(sc, me, &last, child);
        skip_ws(sc);
        if (sc->p < sc->end && *sc->p == ',') {
            advance(sc);
            continue;
        }
        if (sc->p < sc->end && *sc->p == close) {
            advance(sc);
            return me;
        }
        break;
    }
    sc->failed = 1;
    return NONE;
}

static size_t scan_value(scanner *sc, int depth) {
    skip_ws(sc);
    if (sc->p >= sc->end || depth > MAX_DEPTH) {
        sc->failed = 1;
        return NONE;
    }
    char c = *sc->p;
    if (c == '{') return scan_container(sc, depth, 1);
    if (c == '[') return scan_container(sc, depth, 0);
    size_t me = new_node(sc);
    if (me == NONE) return NONE;
    if (c == '"') {
        skip_string(sc);
    } else {
        /* number or literal: runs to the next delimiter */
        while (sc->p < sc->end && !strchr(",]} \t\r\n", *sc->p)) advance(sc);
    }
    return me;
}

static int map_cmp(const void *a, const void *b) {
    uintptr_t x = (uintptr_t)((const map_entry *)a)->container;
    uintptr_t y = (uintptr_t)((const map_entry *)b)->container;
    return (x > y) - (x < y);
}

static size_t count_containers(const json_t *v) {
    size_t n = 0;
    if (json_is_object(v)) {
        const char *key;
        json_t *child;
        n = 1;
        json_object_foreach((json_t *)v, key, child) n += count_containers(child);
    } else if (json_is_array(v)) {
        n = 1;
        for (size_t i = 0; i < json_array_size(v); i++) n += count_containers(json_array_get(v, i));
    }
    return n;
}

/* Walk jansson's tree beside the node tree; mark the locator broken on any
** disagreement. */
static void walk(jloc *L, const json_t *v, size_t nd) {
    if (L->broken) return;
    if (!json_is_object(v) && !json_is_array(v)) return;
    L->map[L->n_map].container = v;
    L->map[L->n_map].node = nd;
    L->n_map++;
    size_t n = json_is_object(v) ? json_object_size(v) : json_array_size(v);
    if (n != L->nodes[nd].n_children) {
        L->broken = 1;
        return;
    }
    size_t child = L->nodes[nd].first_child;
    if (json_is_object(v)) {
        const char *key;
        json_t *value;
        json_object_foreach((json_t *)v, key, value) {
            walk(L, value, child);
            child = L->nodes[child].next_sibling;
        }
    } else {
        for (size_t i = 0; i < n; i++) {
            walk(L, json_array_get(v, i), child);
            child = L->nodes[child].next_sibling;
        }
    }
}

jloc *jloc_build(const char *text, size_t len, json_t *root) {
    jloc *L = pl__calloc(1, sizeof(jloc));
    if (!L) return NULL;
    scanner sc = {text, text + len, 1, 1, L, 0, 0};
    size_t top = scan_value(&sc, 0);
    if (sc.oom) {
        /* not a locator of unknown places: the caller's errors would lose
        ** their lines under a passing shortage */
        jloc_free(L);
        return NULL;
    }
    if (sc.failed || top == NONE) {
        L->broken = 1;
        return L;
    }
    size_t n = count_containers(root);
    L->map = pl__malloc((n ? n : 1) * sizeof(map_entry));
    L->kids = pl__malloc((L->n_nodes ? L->n_nodes : 1) * sizeof(size_t));
    L->kids_at = pl__malloc((L->n_nodes ? L->n_nodes : 1) * sizeof(size_t));
    if (!L->map || !L->kids || !L->kids_at) {
        jloc_free(L);
        return NULL;
    }
    size_t at = 0;
    for (size_t nd = 0; nd < L->n_nodes; nd++) {
        L->kids_at[nd] = at;
        for (size_t c = L->nodes[nd].first_child; c != NONE; c = L->nodes[c].next_sibling)
            L->kids[at++] = c;
    }
    walk(L, root, top);
    qsort(L->map, L->n_map, sizeof(map_entry), map_cmp);
    return L;
}

void jloc_free(jloc *L) {
    if (!L) return;
    pl__free(L->nodes);
    pl__free(L->map);
    pl__free(L->kids);
    pl__free(L->kids_at);
    pl__free(L);
}

static size_t find(const jloc *L, const json_t *container) {
    if (!L || L->broken || !L->map) return NONE;
    map_entry key = {container, 0};
    const map_entry *e = bsearch(&key, L->map, L->n_map, sizeof(map_entry), map_cmp);
    return e ? e->node : NONE;
}

static const jloc_pos unknown = {0, 0};

jloc_pos jloc_of(const jloc *L, const json_t *container) {
    size_t nd = find(L, container);
    return nd == NONE ? unknown : L->nodes[nd].pos;
}

static size_t child_at(const jloc *L, size_t nd, size_t k) {
    return k < L->nodes[nd].n_children ? L->kids[L->kids_at[nd] + k] : NONE;
}

static size_t member_node(const jloc *L, const json_t *object, const char *key) {
    size_t nd = find(L, object);
    if (nd == NONE || !json_is_object(object)) return NONE;
    size_t k = 0;
    const char *name;
    json_t *value;
    json_object_foreach((json_t *)object, name, value) {
        if (strcmp(name, key) == 0) return child_at(L, nd, k);
        k++;
    }
    return NONE;
}

jloc_pos jloc_member(const jloc *L, const json_t *object, const char *key) {
    size_t c = member_node(L, object, key);
    return c == NONE ? jloc_of(L, object) : L->nodes[c].pos;
}

jloc_pos jloc_key(const jloc *L, const json_t *object, const char *key) {
    size_t c = member_node(L, object, key);
    return c == NONE ? jloc_of(L, object) : L->nodes[c].key_pos;
}

jloc_pos jloc_key_at(const jloc *L, const json_t *object, size_t k) {
    size_t nd = find(L, object);
    if (nd == NONE || !json_is_object(object)) return unknown;
    size_t c = child_at(L, nd, k);
    return c == NONE ? L->nodes[nd].pos : L->nodes[c].key_pos;
}

jloc_pos jloc_index(const jloc *L, const json_t *array, size_t i) {
    size_t nd = find(L, array);
    if (nd == NONE) return unknown;
    size_t c = child_at(L, nd, i);
    return c == NONE ? L->nodes[nd].pos : L->nodes[c].pos;
}
