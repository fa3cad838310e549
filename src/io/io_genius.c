/*
** io_genius.c: readers for the files of the Automated Negotiating Agents
** Competition (ANAC): GENIUS XML domains and preference profiles (linear
** additive, with discrete, integer and real issues; ANAC 2014 non-linear
** hyper-rectangle profiles), GeniusWeb JSON profiles, and GENIUS pareto.xml
** files.  The semantics are those of ../shared/specs/agreement-space.md and
** docs/genius-format.md.
**
** XML is parsed by expat (through the library's allocator) into a small
** element tree that remembers each element's line and column, so that every
** problem is reported as FILE:LINE:COL: expected ..., found ...
**
** Sections: files; the XML tree; numbers; domains; profiles; GeniusWeb;
** entry points; pareto.xml.
*/
#define _POSIX_C_SOURCE 200809L
#include "deals/space_int.h"

#include "core/alloc.h"
#include "core/diag.h"
#include "core/hash.h"
#include "io/io_file.h"
#include "core/text.h"
#include "core/jloc.h"
#include "core/json_in.h"

#include <dirent.h>
#include <errno.h>
#include <expat.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_OPTIONS 1000000 /* per issue */
#define MAX_DEPTH 256       /* nested XML elements: every walk of the tree is bounded */
#define MAX_UTILITY 1e9     /* sums stay finite */

/* ------------------------------------------------------------------------
** Files (read whole by io_file_read, under the input cap)
*/
static const char *base_name(const char *path) {
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

/* The party's name: the file name without folder and extension. */
static char *party_name(const char *path) {
    const char *b = base_name(path);
    const char *dot = strrchr(b, '.');
    size_t n = dot && dot != b ? (size_t)(dot - b) : strlen(b);
    char *s = pl__malloc(n + 1);
    if (s) {
        memcpy(s, b, n);
        s[n] = 0;
    }
    return s;
}

/* ------------------------------------------------------------------------
** The XML tree
*/
typedef struct xnode xnode;
struct xnode {
    char *name;
    char **attrs; /* name, value, name, value, ..., NULL */
    int line, column;
    xnode **kids;
    size_t n_kids, n_alloc;
    xnode *parent;
};

typedef struct xparse {
    XML_Parser parser;
    xnode *root, *cur;
    int oom;
    size_t depth;
    int too_deep, deep_line, deep_column; /* where nesting passed MAX_DEPTH */
} xparse;

/* Free a tree without recursion (a tree cut short by an error may still be
** deep): go down to a last child, free it, go back up to its parent. */
static void xnode_free(xnode *top) {
    xnode *n = top;
    while (n) {
        if (n->n_kids) {
            n = n->kids[--n->n_kids];
            continue;
        }
        xnode *up = n == top ? NULL : n->parent;
        pl__free(n->kids);
        for (size_t a = 0; n->attrs && n->attrs[a]; a++) pl__free(n->attrs[a]);
        pl__free(n->attrs);
        pl__free(n->name);
        pl__free(n);
        n = up;
    }
}

static void XMLCALL on_start(void *ud, const XML_Char *name, const XML_Char **atts) {
    xparse *xp = ud;
    if (xp->oom || xp->too_deep) return;
    if (xp->depth == MAX_DEPTH) {
        xp->too_deep = 1;
        xp->deep_line = (int)XML_GetCurrentLineNumber(xp->parser);
        xp->deep_column = (int)XML_GetCurrentColumnNumber(xp->parser) + 1;
        XML_StopParser(xp->parser, XML_FALSE);
        return;
    }
    xnode *n = pl__calloc(1, sizeof *n);
    size_t n_atts = 0;
    while (atts[n_atts]) n_atts++;
    if (n) {
        n->name = pl__strdup(name);
        n->attrs = pl__calloc(n_atts + 1, sizeof *n->attrs);
        n->line = (int)XML_GetCurrentLineNumber(xp->parser);
        n->column = (int)XML_GetCurrentColumnNumber(xp->parser) + 1;
    }
    if (!n || !n->name || !n->attrs) {
        xnode_free(n);
        xp->oom = 1;
        XML_StopParser(xp->parser, XML_FALSE);
        return;
    }
    for (size_t a = 0; a < n_atts; a++)
        if (!(n->attrs[a] = pl__strdup(atts[a]))) {
            xnode_free(n);
            xp->oom = 1;
            XML_StopParser(xp->parser, XML_FALSE);
            return;
        }
    n->parent = xp->cur;
    if (xp->cur) {
        xnode *p = xp->cur;
        if (p->n_kids == p->n_alloc) {
            size_t cap = p->n_alloc ? 2 * p->n_alloc : 4;
            xnode **k = pl__realloc(p->kids, cap * sizeof *k);
            if (!k) {
                xnode_free(n);
                xp->oom = 1;
                XML_StopParser(xp->parser, XML_FALSE);
                return;
            }
            p->kids = k;
            p->n_alloc = cap;
        }
        p->kids[p->n_kids++] = n;
    } else {
        xp->root = n;
    }
    xp->cur = n;
    xp->depth++;
}

static void XMLCALL on_end(void *ud, const XML_Char *name) {
    xparse *xp = ud;
    (void)name;
    if (xp->oom || xp->too_deep || !xp->cur) return;
    xp->cur = xp->cur->parent;
    xp->depth--;
}

static void *xml_malloc(size_t n) { return pl__malloc(n); }
static void *xml_realloc(void *p, size_t n) { return pl__realloc(p, n); }
static void xml_free(void *p) { pl__free(p); }

/* Parse `text` into a tree; syntax errors are reported with their place. */
static pl_status xml_parse(const char *text, size_t len, const char *file, pl_diags *diags,
                           xnode **out) {
    *out = NULL;
    XML_Memory_Handling_Suite mm = {xml_malloc, xml_realloc, xml_free};
    xparse xp;
    memset(&xp, 0, sizeof xp);
    xp.parser = XML_ParserCreate_MM(NULL, &mm, NULL);
    if (!xp.parser) return PL_ENOMEM;
    XML_SetUserData(xp.parser, &xp);
    XML_SetElementHandler(xp.parser, on_start, on_end);
    pl_status rc = text_check(&text, &len, file, diags);
    if (rc != PL_OK) {
        XML_ParserFree(xp.parser);
        return rc;
    }
    if (len > (size_t)0x7fffffff) {
        diag_add(diags, PL_SEV_ERROR, file, 0, 0, "expected a file under 2 GB, found %zu bytes",
                 len);
        rc = PL_EINPUT;
    } else if (XML_Parse(xp.parser, text, (int)len, XML_TRUE) != XML_STATUS_OK || xp.oom ||
               xp.too_deep) {
        enum XML_Error err = XML_GetErrorCode(xp.parser);
        if (xp.oom || err == XML_ERROR_NO_MEMORY) {
            rc = PL_ENOMEM;
        } else if (xp.too_deep) {
            rc = diag_add(diags, PL_SEV_ERROR, file, xp.deep_line, xp.deep_column,
                          "expected at most %d nested elements, found deeper nesting",
                          MAX_DEPTH) == PL_OK
                     ? PL_EPARSE
                     : PL_ENOMEM;
        } else {
            rc = diag_add(diags, PL_SEV_ERROR, file, (int)XML_GetCurrentLineNumber(xp.parser),
                          (int)XML_GetCurrentColumnNumber(xp.parser) + 1,
                          "expected well-formed XML, found %s", XML_ErrorString(err)) == PL_OK
                     ? PL_EPARSE
                     : PL_ENOMEM;
        }
    }
    XML_ParserFree(xp.parser);
    if (rc != PL_OK) {
        xnode_free(xp.root);
        return rc;
    }
    if (!xp.root) {
        diag_add(diags, PL_SEV_ERROR, file, 0, 0, "expected an XML element, found none");
        return PL_EPARSE;
    }
    *out = xp.root;
    return PL_OK;
}

static const char *attr(const xnode *n, const char *name) {
    for (size_t a = 0; n->attrs[a]; a += 2)
        if (strcmp(n->attrs[a], name) == 0) return n->attrs[a + 1];
    return NULL;
}

static const xnode *child(const xnode *n, const char *name) {
    for (size_t k = 0; k < n->n_kids; k++)
        if (strcmp(n->kids[k]->name, name) == 0) return n->kids[k];
    return NULL;
}

/* ------------------------------------------------------------------------
** Numbers
*/
static int parse_number(const char *s, double *out) {
    if (!s) return 0;
    while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r') s++;
    if (!*s) return 0;
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    while (*end == ' ' || *end == '\t' || *end == '\n' || *end == '\r') end++;
    if (*end || errno == ERANGE || !isfinite(v)) return 0;
    *out = v;
    return 1;
}

/* A numeric attribute: 1 found and valid, 0 absent (when optional), -1 bad. */
/* A file's index attribute as a long, or -1 when it is not a whole number
** from 0 to 1e9 (converting anything else would be undefined). */
static long index_value(double v) { return v >= 0 && v <= 1e9 && v == floor(v) ? (long)v : -1; }

static int num_attr(diag_sink *c, const xnode *n, const char *name, int required, double *out) {
    const char *v = attr(n, name);
    if (!v) {
        if (required)
            diag_error(c, n->line, n->column,
                       "expected an attribute %s=\"NUMBER\" on <%s>, found none", name, n->name);
        return required ? -1 : 0;
    }
    if (!parse_number(v, out)) {
        diag_error(c, n->line, n->column, "expected a number for %s on <%s>, found \"%.40s\"", name,
                   n->name, v);
        return -1;
    }
    return 1;
}

/* ------------------------------------------------------------------------
** Domains
*/
typedef enum itype { IT_DISCRETE, IT_INTEGER, IT_REAL } itype;

typedef struct gissue {
    char *name;
    itype type;
    long index;    /* the file's index attribute */
    double lo, hi; /* integer and real bounds */
    size_t n;
    char **labels;
    double *values;
    hash by_label; /* discrete issues of XML domains: label -> option */
} gissue;

typedef struct gdomain {
    char *name;
    gissue *issues;
    size_t n_issues;
    hash by_name, by_index; /* XML domains: issue name, index attribute -> issue */
} gdomain;

static void gdomain_free(gdomain *d) {
    for (size_t i = 0; d->issues && i < d->n_issues; i++) {
        gissue *is = &d->issues[i];
        for (size_t o = 0; is->labels && o < is->n; o++) pl__free(is->labels[o]);
        pl__free(is->labels);
        pl__free(is->values);
        pl__free(is->name);
        hash_free(&is->by_label);
    }
    pl__free(d->issues);
    pl__free(d->name);
    hash_free(&d->by_name);
    hash_free(&d->by_index);
    memset(d, 0, sizeof *d);
}

static const char *issue_type_attr(const xnode *n) {
    const char *t = attr(n, "type");
    if (!t || strcmp(t, "objective") == 0) t = attr(n, "etype");
    if (!t) t = attr(n, "vtype");
    return t;
}

/* All <issue> elements below `n`, in document order. */
static size_t collect_issues(const xnode *n, const xnode **out, size_t max) {
    size_t k = 0;
    for (size_t i = 0; i < n->n_kids; i++) {
        const xnode *c = n->kids[i];
        if (strcmp(c->name, "issue") == 0) {
            if (out && k < max) out[k] = c;
            k++;
        } else if (strcmp(c->name, "objective") == 0) {
            k += collect_issues(c, out ? out + k : NULL, max > k ? max - k : 0);
        }
    }
    return k;
}

static int set_numeric_options(diag_sink *c, const xnode *n, gissue *is,
                               const pl_space_options *opts) {
    size_t count;
    double step = 0;
    if (is->type == IT_INTEGER) {
        double span = is->hi - is->lo;
        if (is->lo != floor(is->lo) || is->hi != floor(is->hi)) {
            diag_error(c, n->line, n->column,
                       "expected whole-number bounds on integer issue \"%s\", found %g and %g",
                       is->name, is->lo, is->hi);
            return 0;
        }
        if (span >= MAX_OPTIONS) {
            diag_error(c, n->line, n->column,
                       "expected at most %d values on integer issue \"%s\", found %.0f",
                       MAX_OPTIONS, is->name, span + 1);
            return 0;
        }
        count = (size_t)span + 1;
    } else {
        size_t points = opts && opts->real_points >= 2 ? opts->real_points : 11;
        if (opts && opts->real_step > 0) {
            double k = (is->hi - is->lo) / opts->real_step;
            if (k >= MAX_OPTIONS) {
                diag_error(c, n->line, n->column,
                           "expected at most %d steps on real issue \"%s\", found %.0f (step %g)",
                           MAX_OPTIONS, is->name, k, opts->real_step);
                return 0;
            }
            count = (size_t)floor(k + 1e-9) + 1;
            step = opts->real_step;
            if (is->lo + step * (double)(count - 1) < is->hi - 1e-9 * (1 + fabs(is->hi)))
                count++; /* the upper bound itself */
        } else {
            count = is->hi > is->lo ? points : 1;
            step = (is->hi - is->lo) / (double)(points - 1);
        }
    }
    is->labels = pl__calloc(count, sizeof *is->labels);
    is->values = pl__calloc(count, sizeof *is->values);
    if (!is->labels || !is->values) {
        c->oom = 1;
        return 0;
    }
    is->n = count;
    for (size_t o = 0; o < count; o++) {
        double v = is->type == IT_INTEGER ? is->lo + (double)o
                   : o + 1 == count       ? is->hi
                                          : is->lo + step * (double)o;
        char text[64];
        snprintf(text, sizeof text, is->type == IT_INTEGER ? "%.0f" : "%g", v);
        is->values[o] = v;
        if (!(is->labels[o] = pl__strdup(text))) {
            c->oom = 1;
            return 0;
        }
    }
    return 1;
}

/* A discrete issue's options: its <item value="..."/> elements. */
static int read_items(diag_sink *c, const xnode *n, gissue *is) {
    const char *name = is->name;
    size_t count = 0;
    for (size_t k = 0; k < n->n_kids; k++) count += strcmp(n->kids[k]->name, "item") == 0;
    if (count == 0) {
        diag_error(c, n->line, n->column,
                   "expected <item value=\"...\"/> elements in discrete issue \"%s\", found none",
                   name);
        return 0;
    }
    is->labels = pl__calloc(count, sizeof *is->labels);
    if (!is->labels) {
        c->oom = 1;
        return 0;
    }
    for (size_t k = 0; k < n->n_kids; k++) {
        const xnode *it = n->kids[k];
        if (strcmp(it->name, "item") != 0) continue;
        const char *v = attr(it, "value");
        if (!v) {
            diag_error(c, it->line, it->column,
                       "expected an attribute value=\"...\" on <item>, found none");
            return 0;
        }
        int added = hash_add_str(&is->by_label, v, is->n, NULL);
        if (added < 0) {
            c->oom = 1;
            return 0;
        }
        if (!added) {
            diag_error(c, it->line, it->column,
                       "expected distinct values in issue \"%s\", found \"%.40s\" twice", name, v);
            return 0;
        }
        if (!(is->labels[is->n++] = pl__strdup(v))) {
            c->oom = 1;
            return 0;
        }
    }
    return 1;
}

static int read_domain_issue(diag_sink *c, const xnode *n, gissue *is,
                             const pl_space_options *opts) {
    const char *name = attr(n, "name");
    if (!name) {
        diag_error(c, n->line, n->column,
                   "expected an attribute name=\"...\" on <issue>, found none");
        return 0;
    }
    if (!(is->name = pl__strdup(name))) {
        c->oom = 1;
        return 0;
    }
    double index = 0;
    int has_index = num_attr(c, n, "index", 0, &index);
    if (has_index < 0) return 0;
    is->index = -1;
    if (has_index > 0 && (is->index = index_value(index)) < 0) {
        diag_error(c, n->line, n->column,
                   "expected a whole-number index from 0 to 1000000000 on issue \"%s\", found %g",
                   name, index);
        return 0;
    }
    const char *type = issue_type_attr(n);
    if (!type || strcmp(type, "discrete") == 0) {
        is->type = IT_DISCRETE;
        return read_items(c, n, is);
    }
    if (strcmp(type, "integer") == 0 || strcmp(type, "real") == 0) {
        is->type = type[0] == 'i' ? IT_INTEGER : IT_REAL;
        const xnode *range = child(n, "range");
        const xnode *b = attr(n, "lowerbound") || !range ? n : range;
        if (num_attr(c, b, "lowerbound", 1, &is->lo) < 0 ||
            num_attr(c, b, "upperbound", 1, &is->hi) < 0)
            return 0;
        if (is->hi < is->lo) {
            diag_error(c, b->line, b->column,
                       "expected lowerbound <= upperbound on issue \"%s\", found %g > %g", name,
                       is->lo, is->hi);
            return 0;
        }
        return set_numeric_options(c, n, is, opts);
    }
    diag_error(c, n->line, n->column,
               "expected an issue type discrete, integer or real, found \"%.40s\"", type);
    return 0;
}

/* Parse a domain tree (root <negotiation_template>, or a bare
** <utility_space>). */
static int read_domain(diag_sink *c, const xnode *root, gdomain *d, const pl_space_options *opts) {
    const xnode *us = strcmp(root->name, "utility_space") == 0 ? root
                                                               : child(root, "utility_space");
    if (strcmp(root->name, "negotiation_template") != 0 &&
        strcmp(root->name, "utility_space") != 0) {
        diag_error(c, root->line, root->column,
                   "expected a GENIUS domain (<negotiation_template>), found <%.40s>", root->name);
        return 0;
    }
    const xnode *obj = us ? child(us, "objective") : NULL;
    if (!obj) {
        diag_error(c, (us ? us : root)->line, (us ? us : root)->column,
                   "expected <utility_space><objective>...</objective></utility_space>, found no "
                   "<objective>");
        return 0;
    }
    size_t n = collect_issues(obj, NULL, 0);
    if (n == 0) {
        diag_error(c, obj->line, obj->column,
                   "expected <issue> elements in the objective, found none");
        return 0;
    }
    const xnode **nodes = pl__calloc(n, sizeof *nodes);
    d->issues = pl__calloc(n, sizeof *d->issues);
    if (!nodes || !d->issues) {
        pl__free(nodes);
        c->oom = 1;
        return 0;
    }
    collect_issues(obj, nodes, n);
    d->n_issues = n;
    const char *name = attr(obj, "name");
    d->name = pl__strdup(name && *name ? name : "domain");
    int ok = d->name != NULL;
    if (!ok) c->oom = 1;
    for (size_t i = 0; ok && i < n; i++) {
        ok = read_domain_issue(c, nodes[i], &d->issues[i], opts);
        int added = ok ? hash_add_str(&d->by_name, d->issues[i].name, i, NULL) : 1;
        if (added < 0) {
            c->oom = 1;
            ok = 0;
        } else if (!added) {
            diag_error(c, nodes[i]->line, nodes[i]->column,
                       "expected distinct issue names, found \"%.40s\" twice", d->issues[i].name);
            ok = 0;
        }
        /* the first issue with an index is the one the index names */
        long index = d->issues[i].index;
        if (ok && index >= 0 && hash_add(&d->by_index, &index, sizeof index, i, NULL) < 0) {
            c->oom = 1;
            ok = 0;
        }
    }
    pl__free(nodes);
    return ok;
}

/* ------------------------------------------------------------------------
** Profiles.  A profile fills one party's column of the table (or its
** rectangles).
*/
typedef struct gprof {
    double reservation, discount;
    int nonlinear;
    double *util;   /* n_cells: unweighted utility of each option */
    double *weight; /* n_issues */
    deals_rect *rects;
    size_t n_rects;
    double maxutility; /* non-linear: the file's normaliser, 0 if none */
} gprof;

static void gprof_free(gprof *p) {
    for (size_t r = 0; r < p->n_rects; r++) {
        pl__free(p->rects[r].issue);
        pl__free(p->rects[r].lo);
        pl__free(p->rects[r].hi);
    }
    pl__free(p->rects);
    pl__free(p->util);
    pl__free(p->weight);
    memset(p, 0, sizeof *p);
}

static long issue_by_index(const gdomain *d, double index) {
    long want = index_value(index);
    size_t i;
    if (want < 0 || !hash_find(&d->by_index, &want, sizeof want, &i)) return -1;
    return (long)i;
}

static long find_issue(const gdomain *d, const xnode *n, diag_sink *c) {
    const char *name = attr(n, "name");
    double index;
    int has_index = num_attr(c, n, "index", 0, &index) > 0;
    size_t i;
    if (name && hash_find_str(&d->by_name, name, &i)) return (long)i;
    if (has_index) return issue_by_index(d, index);
    return -1;
}

/* u(x) of an integer or real evaluator. */
static int read_evaluator(diag_sink *c, const xnode *n, const gissue *is, double *util) {
    const xnode *ev = child(n, "evaluator");
    if (!ev) {
        diag_error(c, n->line, n->column,
                   "expected an <evaluator ftype=\"linear\" .../> in %s issue \"%s\", found none",
                   is->type == IT_INTEGER ? "integer" : "real", is->name);
        return 0;
    }
    const char *ftype = attr(ev, "ftype");
    double slope, offset, p0, p1 = 0;
    if (ftype && strcmp(ftype, "constant") == 0) {
        if (num_attr(c, ev, "parameter0", 1, &p0) < 0) return 0;
        for (size_t o = 0; o < is->n; o++) util[o] = p0;
        return 1;
    }
    if (!ftype || strcmp(ftype, "linear") != 0) {
        diag_error(c, ev->line, ev->column,
                   "expected ftype=\"linear\" or \"constant\" on <evaluator>, found %s%.40s%s",
                   ftype ? "\"" : "", ftype ? ftype : "none", ftype ? "\"" : "");
        return 0;
    }
    int has_slope = num_attr(c, ev, "slope", 0, &slope);
    int has_offset = num_attr(c, ev, "offset", 0, &offset);
    if (has_slope < 0 || has_offset < 0) return 0;
    if (has_slope || has_offset) {
        if (!has_slope) slope = 0;
        if (!has_offset) offset = 0;
        for (size_t o = 0; o < is->n; o++) util[o] = offset + slope * (is->values[o] - is->lo);
        return 1;
    }
    if (num_attr(c, ev, "parameter0", 1, &p0) < 0 || num_attr(c, ev, "parameter1", 0, &p1) < 0)
        return 0;
    for (size_t o = 0; o < is->n; o++) util[o] = p0 + p1 * is->values[o];
    return 1;
}

static int read_profile_issue(diag_sink *c, const xnode *n, const gissue *is, double *util) {
    if (is->type != IT_DISCRETE) return read_evaluator(c, n, is, util);
    int *seen = pl__calloc(is->n, sizeof *seen);
    if (!seen) {
        c->oom = 1;
        return 0;
    }
    int ok = 1;
    for (size_t k = 0; ok && k < n->n_kids; k++) {
        const xnode *it = n->kids[k];
        if (strcmp(it->name, "item") != 0) continue;
        const char *v = attr(it, "value");
        size_t o = is->n;
        if (v && !hash_find_str(&is->by_label, v, &o)) o = is->n;
        if (!v || o == is->n) {
            diag_error(c, it->line, it->column,
                       "expected a value of issue \"%s\" in the domain, found %s%.40s%s", is->name,
                       v ? "\"" : "", v ? v : "no value attribute", v ? "\"" : "");
            ok = 0;
            break;
        }
        double e;
        if (num_attr(c, it, "evaluation", 1, &e) < 0) {
            ok = 0;
            break;
        }
        if (e < 0) {
            diag_error(c, it->line, it->column,
                       "expected an evaluation >= 0 for \"%.40s\", found %g", v, e);
            ok = 0;
            break;
        }
        util[o] = e;
        seen[o] = 1;
    }
    for (size_t o = 0; ok && o < is->n; o++)
        if (!seen[o]) {
            diag_error(
                c, n->line, n->column,
                "expected an <item value=\"%.40s\" evaluation=.../> in issue \"%s\", found none",
                is->labels[o], is->name);
            ok = 0;
        }
    pl__free(seen);
    if (!ok) return 0;
    /* GENIUS: a value's utility is its evaluation over the issue's largest */
    double max = 0;
    for (size_t o = 0; o < is->n; o++)
        if (util[o] > max) max = util[o];
    for (size_t o = 0; o < is->n; o++) util[o] = max > 0 ? util[o] / max : 0;
    return 1;
}

/* The value of option o: its number, or (discrete) its 1-based place. */
static double option_value(const gissue *is, size_t o) {
    return is->values ? is->values[o] : (double)(o + 1);
}

/* The options whose values lie in [lo, hi], found by bisection (an issue's
** values never decrease): first..last, or first = is->n when none. */
static void option_range(const gissue *is, double lo, double hi, size_t *first, size_t *last) {
    size_t a = 0, b = is->n; /* first option with value >= lo */
    while (a < b) {
        size_t m = a + (b - a) / 2;
        if (option_value(is, m) >= lo) b = m;
        else a = m + 1;
    }
    size_t c = a, e = is->n; /* first option with value > hi */
    while (c < e) {
        size_t m = c + (e - c) / 2;
        if (option_value(is, m) > hi) e = m;
        else c = m + 1;
    }
    *first = is->n;
    *last = 0;
    if (a < c) {
        *first = a;
        *last = c - 1;
    }
}

static int read_rectangles(diag_sink *c, const xnode *n, const gdomain *d, gprof *pr) {
    for (size_t k = 0; k < n->n_kids; k++) {
        const xnode *h = n->kids[k];
        if (strcmp(h->name, "hyperRectangle") != 0) {
            if (h->n_kids && !read_rectangles(c, h, d, pr)) return 0;
            continue;
        }
        double u;
        const char *key = attr(h, "utility") ? "utility" : "utility_function";
        if (num_attr(c, h, key, 1, &u) < 0) return 0;
        deals_rect *rs = pl__realloc(pr->rects, (pr->n_rects + 1) * sizeof *rs);
        if (!rs) {
            c->oom = 1;
            return 0;
        }
        pr->rects = rs;
        deals_rect *re = &rs[pr->n_rects++];
        memset(re, 0, sizeof *re);
        re->utility = u;
        size_t nb = 0;
        for (size_t b = 0; b < h->n_kids; b++) nb += strcmp(h->kids[b]->name, "INCLUDES") == 0;
        re->issue = pl__calloc(nb + 1, sizeof *re->issue);
        re->lo = pl__calloc(nb + 1, sizeof *re->lo);
        re->hi = pl__calloc(nb + 1, sizeof *re->hi);
        if (!re->issue || !re->lo || !re->hi) {
            c->oom = 1;
            return 0;
        }
        for (size_t b = 0; b < h->n_kids; b++) {
            const xnode *in = h->kids[b];
            if (strcmp(in->name, "INCLUDES") != 0) {
                diag_error(c, in->line, in->column,
                           "expected <INCLUDES index min max/> in <hyperRectangle>, found <%.40s>",
                           in->name);
                return 0;
            }
            double index, lo, hi;
            if (num_attr(c, in, "index", 1, &index) < 0 || num_attr(c, in, "min", 1, &lo) < 0 ||
                num_attr(c, in, "max", 1, &hi) < 0)
                return 0;
            long i = issue_by_index(d, index);
            if (i < 0) {
                diag_error(c, in->line, in->column,
                           "expected the index of an issue of the domain, found %g", index);
                return 0;
            }
            const gissue *is = &d->issues[i];
            /* option range whose values lie in [lo, hi] (discrete: 1-based) */
            size_t first = is->n, last = 0;
            option_range(is, lo, hi, &first, &last);
            re->issue[re->n_bounds] = (size_t)i;
            re->lo[re->n_bounds] = first;
            re->hi[re->n_bounds] = first == is->n ? 0 : last;
            if (first == is->n) re->lo[re->n_bounds] = 1, re->hi[re->n_bounds] = 0;
            re->n_bounds++;
        }
    }
    return 1;
}

/* A linear profile's evaluations: the objective's issues, each into
** pr->util at the issue's offset; every issue of the domain must be there. */
static int read_evaluations(diag_sink *c, const xnode *obj, const gdomain *d, const size_t *offsets,
                            gprof *pr) {
    int *seen = pl__calloc(d->n_issues + 1, sizeof *seen);
    size_t n = collect_issues(obj, NULL, 0);
    const xnode **nodes = seen ? pl__calloc(n + 1, sizeof *nodes) : NULL;
    int ok = nodes != NULL;
    if (!ok) c->oom = 1;
    if (ok) collect_issues(obj, nodes, n);
    for (size_t k = 0; ok && k < n; k++) {
        long i = find_issue(d, nodes[k], c);
        if (i < 0) {
            const char *name = attr(nodes[k], "name");
            diag_error(c, nodes[k]->line, nodes[k]->column,
                       "expected an issue of the domain, found %s%.40s%s", name ? "\"" : "",
                       name ? name : "an issue without a name", name ? "\"" : "");
            ok = 0;
            break;
        }
        seen[i] = 1;
        ok = read_profile_issue(c, nodes[k], &d->issues[i], pr->util + offsets[i]);
    }
    for (size_t i = 0; ok && i < d->n_issues; i++)
        if (!seen[i]) {
            diag_error(c, obj->line, obj->column,
                       "expected issue \"%s\" of the domain in the profile, found none",
                       d->issues[i].name);
            ok = 0;
        }
    pl__free(nodes);
    pl__free(seen);
    return ok;
}

/* A linear profile's weights: <weight index=.. value=../> under the
** objective, one per issue, normalised to sum to 1 in pr->weight. */
static int read_weights(diag_sink *c, const xnode *obj, const gdomain *d, gprof *pr) {
    int *weighted = pl__calloc(d->n_issues + 1, sizeof *weighted);
    int ok = weighted != NULL;
    if (!ok) c->oom = 1;
    double total = 0;
    for (size_t k = 0; ok && k < obj->n_kids; k++) {
        const xnode *w = obj->kids[k];
        if (strcmp(w->name, "weight") != 0) continue;
        double index, value;
        if (num_attr(c, w, "index", 1, &index) < 0 || num_attr(c, w, "value", 1, &value) < 0) {
            ok = 0;
            break;
        }
        long i = issue_by_index(d, index);
        if (i < 0) {
            diag_error(c, w->line, w->column,
                       "expected the index of an issue of the domain, found %g", index);
            ok = 0;
            break;
        }
        if (value < 0) {
            diag_error(c, w->line, w->column, "expected a weight >= 0, found %g", value);
            ok = 0;
            break;
        }
        pr->weight[i] = value;
        weighted[i] = 1;
    }
    for (size_t i = 0; ok && i < d->n_issues; i++) {
        if (!weighted[i]) {
            diag_error(c, obj->line, obj->column,
                       "expected a <weight index=\"%ld\" value=.../> for issue \"%s\", found none",
                       d->issues[i].index, d->issues[i].name);
            ok = 0;
        }
        total += pr->weight[i];
    }
    if (ok && !(total > 0)) {
        diag_error(c, obj->line, obj->column, "expected weights with a positive sum, found %g",
                   total);
        ok = 0;
    }
    for (size_t i = 0; ok && i < d->n_issues; i++) pr->weight[i] /= total;
    pl__free(weighted);
    return ok;
}

static int read_profile(diag_sink *c, const xnode *root, const gdomain *d, size_t n_cells,
                        const size_t *offsets, gprof *pr) {
    pr->discount = 1;
    if (strcmp(root->name, "utility_space") != 0) {
        diag_error(c, root->line, root->column,
                   "expected a GENIUS profile (<utility_space>), found <%.40s>", root->name);
        return 0;
    }
    const xnode *rv = child(root, "reservation");
    if (rv && num_attr(c, rv, "value", 1, &pr->reservation) < 0) return 0;
    const xnode *df = child(root, "discount_factor");
    if (df && num_attr(c, df, "value", 1, &pr->discount) < 0) return 0;
    const char *type = attr(root, "type");
    if (type && strcmp(type, "nonlinear") == 0) {
        pr->nonlinear = 1;
        const xnode *uf = child(root, "utility_function");
        if (uf && num_attr(c, uf, "maxutility", 0, &pr->maxutility) < 0) return 0;
        return read_rectangles(c, root, d, pr);
    }
    const xnode *obj = child(root, "objective");
    if (!obj) {
        diag_error(c, root->line, root->column,
                   "expected an <objective> in the profile, found none");
        return 0;
    }
    pr->util = pl__calloc(n_cells + 1, sizeof *pr->util);
    pr->weight = pl__calloc(d->n_issues + 1, sizeof *pr->weight);
    if (!pr->util || !pr->weight) {
        c->oom = 1;
        return 0;
    }
    return read_evaluations(c, obj, d, offsets, pr) && read_weights(c, obj, d, pr);
}

/* ------------------------------------------------------------------------
** Building the space from a domain and profiles
*/
typedef struct named {
    const char *text;
    size_t len;
    const char *name;
} named;

static int cmp_named(const void *a, const void *b) {
    const named *x = a, *y = b;
    int c = strcmp(base_name(x->name), base_name(y->name));
    return c ? c : strcmp(x->name, y->name);
}

static pl_space *space_from_domain(const gdomain *d, size_t n_parties) {
    pl_space *sp = deals_space_alloc(d->n_issues, n_parties);
    if (!sp) return NULL;
    sp->name = pl__strdup(d->name);
    pl_status rc = sp->name ? PL_OK : PL_ENOMEM;
    for (size_t i = 0; rc == PL_OK && i < d->n_issues; i++)
        rc = deals_set_issue(sp, i, d->issues[i].name, d->issues[i].n,
                             (const char *const *)d->issues[i].labels, d->issues[i].values);
    if (rc == PL_OK) rc = deals_alloc_table(sp);
    if (rc != PL_OK) {
        pl_space_free(sp);
        return NULL;
    }
    return sp;
}

/* The largest rectangle sum over the space (when the file gives none). */
static double rect_max(const pl_space *sp, const deals_party *pa, int *too_big) {
    int over;
    uint64_t n = pl_space_size(sp, &over);
    *too_big = over || n > 100000000u;
    if (*too_big) return 0;
    size_t choice[256] = {0};
    if (sp->n_issues > 256) {
        *too_big = 1;
        return 0;
    }
    double best = -INFINITY;
    for (uint64_t k = 0; k < n; k++) {
        double s = 0;
        for (size_t r = 0; r < pa->n_rects; r++) {
            const deals_rect *re = &pa->rects[r];
            size_t b = 0;
            while (b < re->n_bounds && choice[re->issue[b]] >= re->lo[b] &&
                   choice[re->issue[b]] <= re->hi[b])
                b++;
            if (b == re->n_bounds) s += re->utility;
        }
        if (s > best) best = s;
        size_t i = sp->n_issues;
        while (i > 0) {
            i--;
            if (++choice[i] < sp->issues[i].n_options) break;
            choice[i] = 0;
        }
    }
    return best;
}

/* A non-linear party: its rectangles (taken from pr) and their scale. */
static pl_status set_rectangles(pl_space *sp, size_t p, gprof *pr, diag_sink *pc) {
    deals_party *pa = &sp->parties[p];
    pl_status rc = PL_OK;
    pa->nonlinear = 1;
    pa->rects = pr->rects;
    pa->n_rects = pr->n_rects;
    pr->rects = NULL;
    pr->n_rects = 0;
    double max = pr->maxutility;
    if (!(max > 0)) {
        int too_big;
        max = rect_max(sp, pa, &too_big);
        if (too_big) {
            diag_error(pc, 0, 0,
                       "expected maxutility=\"...\" on <utility_function> for a space this "
                       "large, found none");
            rc = PL_EINPUT;
        }
    }
    if (rc == PL_OK && !(fabs(max) <= MAX_UTILITY)) {
        diag_error(pc, 0, 0, "expected hyper-rectangle utilities with a finite sum, found %g", max);
        rc = PL_EINPUT;
    }
    pa->scale = max > 0 ? 1 / max : 0;
    return rc;
}

/* A linear party: its weighted utilities into the space's table. */
static pl_status set_utilities(pl_space *sp, size_t p, const gdomain *d, const size_t *offsets,
                               const gprof *pr, diag_sink *pc) {
    pl_status rc = PL_OK;
    for (size_t i = 0; i < d->n_issues; i++)
        for (size_t o = 0; o < d->issues[i].n; o++) {
            double u = pr->weight[i] * pr->util[offsets[i] + o];
            if (!(fabs(u) <= MAX_UTILITY) && rc == PL_OK) {
                diag_error(pc, 0, 0,
                           "expected utilities from -1e9 to 1e9, found %g for \"%s\" of issue "
                           "\"%s\"",
                           pr->util[offsets[i] + o], d->issues[i].labels[o], d->issues[i].name);
                rc = PL_EINPUT;
            }
            sp->tab[(offsets[i] + o) * sp->n_parties + p] = u;
        }
    return rc;
}

/* Party p of the space from its GENIUS profile. */
static pl_status load_xml_party(pl_space *sp, size_t p, const named *prof, const gdomain *d,
                                const size_t *offsets, pl_diags *diags) {
    diag_sink pc = {.diags = diags, .file = prof->name};
    gprof pr;
    memset(&pr, 0, sizeof pr);
    xnode *root = NULL;
    pl_status rc = xml_parse(prof->text, prof->len, prof->name, diags, &root);
    if (rc != PL_OK) return rc;
    int ok = read_profile(&pc, root, d, sp->n_cells, offsets, &pr);
    xnode_free(root);
    if (!ok) {
        gprof_free(&pr);
        return pc.oom ? PL_ENOMEM : PL_EINPUT;
    }
    char *name = party_name(prof->name);
    rc = name ? deals_set_party(sp, p, name, pr.reservation, pr.discount) : PL_ENOMEM;
    pl__free(name);
    if (rc == PL_OK && pr.nonlinear) rc = set_rectangles(sp, p, &pr, &pc);
    else if (rc == PL_OK) rc = set_utilities(sp, p, d, offsets, &pr, &pc);
    if (rc == PL_EINPUT && pc.oom) rc = PL_ENOMEM;
    gprof_free(&pr);
    return rc;
}

static pl_status load_xml(const named *dom, named *profs, size_t n_profiles,
                          const pl_space_options *opts, pl_diags *diags, pl_space **out) {
    diag_sink c = {.diags = diags, .file = dom->name};
    xnode *root = NULL;
    gdomain d;
    memset(&d, 0, sizeof d);
    pl_status rc = xml_parse(dom->text, dom->len, dom->name, diags, &root);
    if (rc != PL_OK) return rc;
    int ok = read_domain(&c, root, &d, opts);
    xnode_free(root);
    if (!ok) {
        gdomain_free(&d);
        return c.oom ? PL_ENOMEM : PL_EINPUT;
    }
    /* GENIUS names most objectives "root": the file names the domain then */
    if (!d.name || !*d.name || strcmp(d.name, "root") == 0 || strcmp(d.name, "domain") == 0) {
        char *fname = party_name(dom->name);
        if (fname) {
            pl__free(d.name);
            d.name = fname;
        } else {
            gdomain_free(&d);
            return PL_ENOMEM;
        }
    }
    pl_space *sp = space_from_domain(&d, n_profiles);
    if (!sp) {
        gdomain_free(&d);
        return PL_ENOMEM;
    }
    size_t *offsets = pl__calloc(d.n_issues + 1, sizeof *offsets);
    if (!offsets) rc = PL_ENOMEM;
    for (size_t i = 0; rc == PL_OK && i < d.n_issues; i++) offsets[i] = sp->issues[i].offset;
    qsort(profs, n_profiles, sizeof *profs, cmp_named);
    for (size_t p = 0; rc == PL_OK && p < n_profiles; p++)
        rc = load_xml_party(sp, p, &profs[p], &d, offsets, diags);
    pl__free(offsets);
    gdomain_free(&d);
    if (rc != PL_OK) {
        pl_space_free(sp);
        return rc;
    }
    *out = sp;
    return PL_OK;
}

/* ------------------------------------------------------------------------
** GeniusWeb JSON profiles (LinearAdditiveUtilitySpace, with its domain)
*/
typedef struct wctx {
    diag_sink g;
    jloc *loc;
} wctx;

static jloc_pos wpos(const wctx *w, const json_t *obj, const char *key) {
    jloc_pos none = {0, 0};
    if (!w->loc || !obj) return none;
    return key ? jloc_member(w->loc, obj, key) : jloc_of(w->loc, obj);
}

static const char *jkind(const json_t *v) {
    switch (json_typeof(v)) {
        case JSON_OBJECT: return "an object";
        case JSON_ARRAY: return "an array";
        case JSON_STRING: return "a string";
        case JSON_INTEGER:
        case JSON_REAL: return "a number";
        case JSON_TRUE:
        case JSON_FALSE: return "a boolean";
        case JSON_NULL: return "null";
    }
    return "a value";
}

/* obj[key] of the wanted type, or NULL with an error. */
static json_t *jget(wctx *w, json_t *obj, const char *key, json_type type, const char *what) {
    json_t *v = json_object_get(obj, key);
    jloc_pos at = wpos(w, obj, v ? key : NULL);
    if (!v) {
        diag_error(&w->g, at.line, at.column, "expected \"%s\" (%s), found none", key, what);
        return NULL;
    }
    int ok = json_typeof(v) == type || (type == JSON_REAL && json_is_number(v));
    if (!ok) {
        diag_error(&w->g, at.line, at.column, "expected %s for \"%s\", found %s", what, key,
                   jkind(v));
        return NULL;
    }
    return v;
}

static char *value_label(const json_t *v) {
    char text[64];
    if (json_is_string(v)) return pl__strdup(json_string_value(v));
    snprintf(text, sizeof text, "%g", json_number_value(v));
    return pl__strdup(text);
}

/* A discrete GeniusWeb issue's values (at: the issue's place). */
static int web_values(wctx *w, const char *key, json_t *values, jloc_pos at, gissue *is) {
    is->type = IT_DISCRETE;
    is->n = json_array_size(values);
    is->labels = pl__calloc(is->n, sizeof *is->labels);
    if (!is->labels) {
        w->g.oom = 1;
        return 0;
    }
    for (size_t o = 0; o < is->n; o++) {
        json_t *v = json_array_get(values, o);
        if (!json_is_string(v) && !json_is_number(v)) {
            jloc_pos vat = w->loc ? jloc_index(w->loc, values, o) : at;
            diag_error(&w->g, vat.line, vat.column,
                       "expected a value (a string) in issue \"%s\", found %s", key, jkind(v));
            return 0;
        }
        if (!(is->labels[o] = value_label(v))) {
            w->g.oom = 1;
            return 0;
        }
    }
    return 1;
}

/* A numeric GeniusWeb issue: its range's values, low, low + step, ... up
** to high (vs: the issue's object, at: its place). */
static int web_range(wctx *w, const char *key, json_t *vs, json_t *range, jloc_pos at, gissue *is) {
    double lo, hi, step;
    json_t *l = json_object_get(range, "low"), *h = json_object_get(range, "high");
    json_t *s = json_object_get(range, "step");
    if (!json_is_number(l) || !json_is_number(h) || !json_is_number(s) ||
        (step = json_number_value(s)) <= 0 ||
        (hi = json_number_value(h)) < (lo = json_number_value(l))) {
        jloc_pos rat = wpos(w, vs, "range");
        diag_error(&w->g, rat.line, rat.column,
                   "expected a range {\"low\": L, \"high\": H, \"step\": S} with L <= H and S > 0 "
                   "in issue \"%s\", found something else",
                   key);
        return 0;
    }
    if ((hi - lo) / step >= MAX_OPTIONS) {
        diag_error(&w->g, at.line, at.column,
                   "expected at most %d values in issue \"%s\", found %.0f", MAX_OPTIONS, key,
                   (hi - lo) / step + 1);
        return 0;
    }
    is->type = IT_REAL;
    is->lo = lo;
    is->hi = hi;
    size_t count = (size_t)floor((hi - lo) / step + 1e-9) + 1;
    is->labels = pl__calloc(count, sizeof *is->labels);
    is->values = pl__calloc(count, sizeof *is->values);
    if (!is->labels || !is->values) {
        w->g.oom = 1;
        return 0;
    }
    for (size_t o = 0; o < count; o++) {
        char text[64];
        is->values[o] = lo + step * (double)o;
        snprintf(text, sizeof text, "%g", is->values[o]);
        if (!(is->labels[o] = pl__strdup(text))) {
            w->g.oom = 1;
            return 0;
        }
        is->n++;
    }
    return 1;
}

/* The domain embedded in a profile. */
static int read_web_domain(wctx *w, json_t *body, gdomain *d) {
    json_t *dom = jget(w, body, "domain", JSON_OBJECT, "the domain, an object");
    json_t *iv = dom ? jget(w, dom, "issuesValues", JSON_OBJECT, "an object of issues") : NULL;
    if (!iv) return 0;
    json_t *name = json_object_get(dom, "name");
    d->name = pl__strdup(json_is_string(name) ? json_string_value(name) : "domain");
    d->n_issues = json_object_size(iv);
    d->issues = pl__calloc(d->n_issues + 1, sizeof *d->issues);
    if (!d->name || !d->issues) {
        w->g.oom = 1;
        return 0;
    }
    if (d->n_issues == 0) {
        jloc_pos at = wpos(w, dom, "issuesValues");
        diag_error(&w->g, at.line, at.column, "expected at least one issue, found none");
        return 0;
    }
    const char *key;
    json_t *vs;
    size_t i = 0;
    json_object_foreach(iv, key, vs) {
        gissue *is = &d->issues[i++];
        is->index = (long)i;
        if (!(is->name = pl__strdup(key))) {
            w->g.oom = 1;
            return 0;
        }
        jloc_pos at = wpos(w, iv, key);
        json_t *values = json_is_object(vs) ? json_object_get(vs, "values") : NULL;
        json_t *range = json_is_object(vs) ? json_object_get(vs, "range") : NULL;
        int ok;
        if (json_is_array(values) && json_array_size(values) > 0) {
            ok = web_values(w, key, values, at, is);
        } else if (json_is_object(range)) {
            ok = web_range(w, key, vs, range, at, is);
        } else {
            diag_error(&w->g, at.line, at.column,
                       "expected {\"values\": [...]} or {\"range\": {...}} for issue \"%s\", found "
                       "something else",
                       key);
            ok = 0;
        }
        if (!ok) return 0;
    }
    return 1;
}

static long find_option(const gissue *is, const json_t *v) {
    for (size_t o = 0; o < is->n; o++) {
        if (json_is_string(v) && strcmp(is->labels[o], json_string_value(v)) == 0) return (long)o;
        if (json_is_number(v) && is->values &&
            fabs(is->values[o] - json_number_value(v)) <= 1e-9 * (1 + fabs(is->values[o])))
            return (long)o;
        if (json_is_number(v) && !is->values) {
            char text[64];
            snprintf(text, sizeof text, "%g", json_number_value(v));
            if (strcmp(is->labels[o], text) == 0) return (long)o;
        }
    }
    return -1;
}

/* One issue's utilities into t (is->n): a table of values
** (DiscreteValueSetUtilities) or a line between two points
** (NumberValueSetUtilities). */
static int web_issue_utilities(wctx *w, const gissue *is, json_t *iu, json_t *u, double *t) {
    json_t *dv = json_object_get(u, "DiscreteValueSetUtilities");
    json_t *nv = json_object_get(u, "NumberValueSetUtilities");
    if (json_is_object(dv)) {
        json_t *vu = jget(w, dv, "valueUtilities", JSON_OBJECT, "an object of values");
        if (!vu) return 0;
        for (size_t o = 0; o < is->n; o++) {
            json_t *x = json_object_get(vu, is->labels[o]);
            if (!json_is_number(x)) {
                jloc_pos at = wpos(w, dv, "valueUtilities");
                diag_error(&w->g, at.line, at.column,
                           "expected a utility (a number) for value \"%.40s\" of issue \"%s\", "
                           "found %s",
                           is->labels[o], is->name, x ? jkind(x) : "none");
                return 0;
            }
            t[o] = json_number_value(x);
        }
        return 1;
    }
    if (json_is_object(nv)) {
        const char *keys[4] = {"lowValue", "lowUtility", "highValue", "highUtility"};
        double k[4];
        for (int j = 0; j < 4; j++) {
            json_t *x = jget(w, nv, keys[j], JSON_REAL, "a number");
            if (!x) return 0;
            k[j] = json_number_value(x);
        }
        for (size_t o = 0; o < is->n; o++) {
            double x = is->values ? is->values[o] : atof(is->labels[o]);
            if (x < k[0] || x > k[2]) t[o] = 0;
            else if (k[2] == k[0]) t[o] = k[1];
            else t[o] = k[1] + (x - k[0]) / (k[2] - k[0]) * (k[3] - k[1]);
        }
        return 1;
    }
    jloc_pos at = wpos(w, iu, is->name);
    diag_error(&w->g, at.line, at.column,
               "expected DiscreteValueSetUtilities or NumberValueSetUtilities for issue \"%s\", "
               "found something else",
               is->name);
    return 0;
}

/* A profile's reservation: "reservation_value", or the utility of its
** "reservationBid", else 0. */
static int web_reservation(wctx *w, json_t *body, const gdomain *d, const size_t *offsets,
                           const double *util, const double *weight, double *reservation) {
    *reservation = 0;
    json_t *rv = json_object_get(body, "reservation_value");
    json_t *rb = json_object_get(body, "reservationBid");
    if (json_is_number(rv)) {
        *reservation = json_number_value(rv);
    } else if (json_is_object(rb)) {
        json_t *bv = json_object_get(rb, "issuevalues");
        if (!json_is_object(bv)) {
            jloc_pos at = wpos(w, body, "reservationBid");
            diag_error(&w->g, at.line, at.column,
                       "expected {\"issuevalues\": {...}} for the reservation bid, found something "
                       "else");
            return 0;
        }
        double u = 0;
        for (size_t i = 0; i < d->n_issues; i++) {
            json_t *v = json_object_get(bv, d->issues[i].name);
            long o = v ? find_option(&d->issues[i], v) : -1;
            if (o < 0) {
                jloc_pos at = wpos(w, bv, v ? d->issues[i].name : NULL);
                diag_error(&w->g, at.line, at.column,
                           "expected a value of issue \"%s\" in the reservation bid, found %s",
                           d->issues[i].name, v ? "a value not in the domain" : "none");
                return 0;
            }
            u += weight[i] * util[offsets[i] + (size_t)o];
        }
        *reservation = u;
    } else if (rv && !json_is_null(rv)) {
        jloc_pos at = wpos(w, body, "reservation_value");
        diag_error(&w->g, at.line, at.column,
                   "expected a number for \"reservation_value\", found %s", jkind(rv));
        return 0;
    }
    return 1;
}

/* A profile's utilities into util (n_cells), weights, reservation. */
static int read_web_profile(wctx *w, json_t *body, const gdomain *d, const size_t *offsets,
                            double *util, double *weight, double *reservation) {
    json_t *iu = jget(w, body, "issueUtilities", JSON_OBJECT, "an object of issues");
    json_t *iw = jget(w, body, "issueWeights", JSON_OBJECT, "an object of weights");
    if (!iu || !iw) return 0;
    double total = 0;
    for (size_t i = 0; i < d->n_issues; i++) {
        const gissue *is = &d->issues[i];
        json_t *u = json_object_get(iu, is->name), *wt = json_object_get(iw, is->name);
        if (!u || !json_is_number(wt)) {
            jloc_pos at = wpos(w, u ? iw : iu, NULL);
            diag_error(&w->g, at.line, at.column,
                       "expected a utility and a weight (a number) for issue \"%s\", found %s",
                       is->name, u ? jkind(wt ? wt : json_null()) : "no utility");
            return 0;
        }
        weight[i] = json_number_value(wt);
        if (weight[i] < 0) {
            jloc_pos at = wpos(w, iw, is->name);
            diag_error(&w->g, at.line, at.column, "expected a weight >= 0, found %g", weight[i]);
            return 0;
        }
        total += weight[i];
        if (!web_issue_utilities(w, is, iu, u, util + offsets[i])) return 0;
    }
    if (!(total > 0)) {
        jloc_pos at = wpos(w, body, "issueWeights");
        diag_error(&w->g, at.line, at.column, "expected weights with a positive sum, found %g",
                   total);
        return 0;
    }
    for (size_t i = 0; i < d->n_issues; i++) weight[i] /= total;
    return web_reservation(w, body, d, offsets, util, weight, reservation);
}

/* Where the utility of `label` of issue `issue` stands in a profile (the
** nearest place known: the value, else the issue, else the profile). */
static jloc_pos web_utility_pos(const wctx *w, const json_t *body, const char *issue,
                                const char *label) {
    json_t *iu = json_object_get(body, "issueUtilities");
    json_t *u = json_is_object(iu) ? json_object_get(iu, issue) : NULL;
    json_t *dv = json_is_object(u) ? json_object_get(u, "DiscreteValueSetUtilities") : NULL;
    json_t *vu = json_is_object(dv) ? json_object_get(dv, "valueUtilities") : NULL;
    if (json_is_object(vu) && json_object_get(vu, label)) return wpos(w, vu, label);
    if (u) return wpos(w, iu, issue);
    return wpos(w, body, NULL);
}

static int same_domain(wctx *w, const json_t *body, const gdomain *a, const gdomain *b) {
    int same = a->n_issues == b->n_issues;
    for (size_t i = 0; same && i < a->n_issues; i++) {
        same = strcmp(a->issues[i].name, b->issues[i].name) == 0 &&
               a->issues[i].n == b->issues[i].n;
        for (size_t o = 0; same && o < a->issues[i].n; o++)
            same = strcmp(a->issues[i].labels[o], b->issues[i].labels[o]) == 0;
    }
    if (!same) {
        jloc_pos at = wpos(w, body, "domain");
        diag_error(&w->g, at.line, at.column,
                   "expected the same domain as the first profile, found a different one");
    }
    return same;
}

/* The space being built from GeniusWeb profiles: the first profile's
** domain (the others must have the same one) and room for one profile's
** utilities. */
typedef struct web_build {
    pl_space *sp;
    gdomain first;
    size_t *offsets;       /* first.n_issues: each issue's first cell */
    double *util, *weight; /* one profile's: n_cells and n_issues */
} web_build;

/* A profile's JSON text, parsed (*root), or the status of the failure. */
static pl_status web_parse(named *prof, pl_diags *diags, json_t **root) {
    pl_status rc = text_check(&prof->text, &prof->len, prof->name, diags);
    if (rc != PL_OK) return rc;
    json_error_t err;
    int oom = 0;
    *root = json_in_loadb(prof->text, prof->len, JSON_REJECT_DUPLICATES, &err, &oom);
    if (oom) return PL_ENOMEM;
    if (!*root)
        return diag_add(diags, PL_SEV_ERROR, prof->name, err.line > 0 ? err.line : 1,
                        err.column > 0 ? err.column : 1, "expected JSON, found an error: %s",
                        err.text) == PL_OK
                   ? PL_EPARSE
                   : PL_ENOMEM;
    return PL_OK;
}

/* Profile p's domain: the first one makes the space, the others must be
** the same. */
static int web_domain(wctx *w, json_t *body, size_t p, size_t n_profiles, web_build *b) {
    gdomain d;
    memset(&d, 0, sizeof d);
    int ok = read_web_domain(w, body, &d);
    if (ok && p == 0) {
        b->first = d;
        memset(&d, 0, sizeof d);
        b->sp = space_from_domain(&b->first, n_profiles);
        b->offsets = pl__calloc(b->first.n_issues + 1, sizeof *b->offsets);
        b->weight = pl__calloc(b->first.n_issues + 1, sizeof *b->weight);
        if (!b->sp || !b->offsets || !b->weight ||
            !(b->util = pl__calloc(b->sp->n_cells + 1, sizeof *b->util)))
            w->g.oom = 1, ok = 0;
        for (size_t i = 0; ok && i < b->first.n_issues; i++)
            b->offsets[i] = b->sp->issues[i].offset;
    } else if (ok) {
        ok = same_domain(w, body, &b->first, &d);
    }
    gdomain_free(&d);
    return ok;
}

/* Party p of the space: its name, weighted utilities and reservation. */
static pl_status web_party(wctx *w, json_t *body, const char *file, size_t p, web_build *b,
                           double reservation) {
    const gdomain *first = &b->first;
    pl_space *sp = b->sp;
    char *name = party_name(file);
    pl_status rc = name ? deals_set_party(sp, p, name, reservation, 1) : PL_ENOMEM;
    pl__free(name);
    for (size_t i = 0; rc == PL_OK && i < first->n_issues; i++)
        for (size_t o = 0; o < first->issues[i].n; o++) {
            double u = b->weight[i] * b->util[b->offsets[i] + o];
            if (!(fabs(u) <= MAX_UTILITY) && rc == PL_OK) {
                jloc_pos at = web_utility_pos(w, body, first->issues[i].name,
                                              first->issues[i].labels[o]);
                diag_error(&w->g, at.line, at.column,
                           "expected utilities from -1e9 to 1e9, found %g for \"%s\" of issue "
                           "\"%s\"",
                           b->util[b->offsets[i] + o], first->issues[i].labels[o],
                           first->issues[i].name);
                rc = w->g.oom ? PL_ENOMEM : PL_EINPUT;
            }
            sp->tab[(b->offsets[i] + o) * sp->n_parties + p] = u;
        }
    if (rc == PL_OK && !(fabs(reservation) <= MAX_UTILITY)) {
        jloc_pos at = wpos(w, body,
                           json_object_get(body, "reservation_value") ? "reservation_value"
                           : json_object_get(body, "reservationBid")  ? "reservationBid"
                                                                      : NULL);
        diag_error(&w->g, at.line, at.column,
                   "expected a reservation value from -1e9 to 1e9, found %g", reservation);
        rc = w->g.oom ? PL_ENOMEM : PL_EINPUT;
    }
    return rc;
}

/* Profile p (GeniusWeb JSON) into the space. */
static pl_status load_web_profile(named *prof, size_t p, size_t n_profiles, web_build *b,
                                  pl_diags *diags) {
    json_t *root = NULL;
    pl_status rc = web_parse(prof, diags, &root);
    if (rc != PL_OK) return rc;
    wctx w;
    memset(&w, 0, sizeof w);
    w.g.file = prof->name;
    w.g.diags = diags;
    w.loc = jloc_build(prof->text, prof->len, root);
    if (!w.loc) {
        json_decref(root);
        return PL_ENOMEM;
    }
    json_t *body = json_is_object(root) ? json_object_get(root, "LinearAdditiveUtilitySpace")
                                        : NULL;
    if (!body && json_is_object(root) && json_object_get(root, "issueUtilities")) body = root;
    int ok = 1;
    if (!json_is_object(body)) {
        diag_error(&w.g, 1, 1,
                   "expected a GeniusWeb profile {\"LinearAdditiveUtilitySpace\": {...}}, found "
                   "something else");
        ok = 0;
    }
    if (ok) ok = web_domain(&w, body, p, n_profiles, b);
    double reservation = 0;
    if (ok)
        ok = read_web_profile(&w, body, &b->first, b->offsets, b->util, b->weight, &reservation);
    if (ok) rc = web_party(&w, body, prof->name, p, b, reservation);
    else rc = w.g.oom ? PL_ENOMEM : PL_EINPUT;
    jloc_free(w.loc);
    json_decref(root);
    return rc;
}

static pl_status load_web(named *profs, size_t n_profiles, pl_diags *diags, pl_space **out) {
    qsort(profs, n_profiles, sizeof *profs, cmp_named);
    web_build b;
    memset(&b, 0, sizeof b);
    pl_status rc = PL_OK;
    for (size_t p = 0; rc == PL_OK && p < n_profiles; p++)
        rc = load_web_profile(&profs[p], p, n_profiles, &b, diags);
    gdomain_free(&b.first);
    pl__free(b.offsets);
    pl__free(b.util);
    pl__free(b.weight);
    if (rc != PL_OK) {
        pl_space_free(b.sp);
        return rc;
    }
    *out = b.sp;
    return PL_OK;
}

/* ------------------------------------------------------------------------
** Entry points
*/
pl_status pl_space_load_genius_buffers(const char *domain, size_t domain_len,
                                       const char *domain_name, const char *const *profiles,
                                       const size_t *profile_lens, const char *const *profile_names,
                                       size_t n_profiles, const pl_space_options *opts,
                                       pl_diags *diags, pl_space **out) {
    if (!out) return PL_EINVAL;
    *out = NULL;
    if (!domain || !profiles || !profile_lens || !profile_names || n_profiles == 0)
        return PL_EINVAL;
    named *profs = pl__calloc(n_profiles, sizeof *profs);
    if (!profs) return PL_ENOMEM;
    for (size_t p = 0; p < n_profiles; p++) {
        profs[p].text = profiles[p];
        profs[p].len = profile_lens[p];
        profs[p].name = profile_names[p] ? profile_names[p] : "profile";
    }
    named dom = {domain, domain_len, domain_name ? domain_name : "domain"};
    pl_status rc = load_xml(&dom, profs, n_profiles, opts, diags, out);
    pl__free(profs);
    return rc;
}

pl_status pl_space_load_geniusweb_buffers(const char *const *profiles, const size_t *profile_lens,
                                          const char *const *profile_names, size_t n_profiles,
                                          const pl_space_options *opts, pl_diags *diags,
                                          pl_space **out) {
    if (!out) return PL_EINVAL;
    *out = NULL;
    if (!profiles || !profile_lens || !profile_names || n_profiles == 0) return PL_EINVAL;
    named *profs = pl__calloc(n_profiles, sizeof *profs);
    if (!profs) return PL_ENOMEM;
    for (size_t p = 0; p < n_profiles; p++) {
        profs[p].text = profiles[p];
        profs[p].len = profile_lens[p];
        profs[p].name = profile_names[p] ? profile_names[p] : "profile";
    }
    (void)opts; /* GeniusWeb ranges carry their own step */
    pl_status rc = load_web(profs, n_profiles, diags, out);
    pl__free(profs);
    return rc;
}

pl_status pl_space_load_genius(const char *domain_path, const char *const *profile_paths,
                               size_t n_profiles, const pl_space_options *opts, pl_diags *diags,
                               pl_space **out) {
    if (!out) return PL_EINVAL;
    *out = NULL;
    if (!profile_paths || n_profiles == 0) return PL_EINVAL;
    size_t n_json = 0;
    for (size_t p = 0; p < n_profiles; p++) {
        if (!profile_paths[p]) return PL_EINVAL;
        n_json += (size_t)(pl_input_format_of(profile_paths[p]) == PL_INPUT_JSON);
    }
    if (n_json && n_json != n_profiles) {
        diag_add(diags, PL_SEV_ERROR, profile_paths[0], 0, 0,
                 "expected profiles of one kind (GENIUS XML or GeniusWeb JSON), found both");
        return PL_EINPUT;
    }
    if (!n_json && !domain_path) return PL_EINVAL;
    char *dom = NULL;
    size_t dom_len = 0;
    char **texts = pl__calloc(n_profiles, sizeof *texts);
    size_t *lens = pl__calloc(n_profiles, sizeof *lens);
    pl_status rc = texts && lens ? PL_OK : PL_ENOMEM;
    if (rc == PL_OK && !n_json) rc = io_file_read(domain_path, diags, &dom, &dom_len);
    for (size_t p = 0; rc == PL_OK && p < n_profiles; p++)
        rc = io_file_read(profile_paths[p], diags, &texts[p], &lens[p]);
    if (rc == PL_OK) {
        if (n_json)
            rc = pl_space_load_geniusweb_buffers((const char *const *)texts, lens, profile_paths,
                                                 n_profiles, opts, diags, out);
        else
            rc = pl_space_load_genius_buffers(dom, dom_len, domain_path, (const char *const *)texts,
                                              lens, profile_paths, n_profiles, opts, diags, out);
    }
    for (size_t p = 0; texts && p < n_profiles; p++) pl__free(texts[p]);
    pl__free(texts);
    pl__free(lens);
    pl__free(dom);
    return rc;
}

static int cmp_str(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Is this XML file a domain (root <negotiation_template>)?  -1: no memory
** to open it (else an unreadable file is a profile, reported as such). */
static int is_domain_file(const char *path) {
    char head[4096];
    pl_status rc = io_file_head(path, head, sizeof head, NULL);
    if (rc != PL_OK) return rc == PL_ENOMEM ? -1 : 0;
    return strstr(head, "<negotiation_template") != NULL;
}

pl_status pl_space_load_genius_dir(const char *dir, const pl_space_options *opts, pl_diags *diags,
                                   pl_space **out) {
    if (!out) return PL_EINVAL;
    *out = NULL;
    if (!dir) return PL_EINVAL;
    DIR *dh = opendir(dir);
    if (!dh) {
        if (errno == ENOMEM) return PL_ENOMEM;
        return diag_add(diags, PL_SEV_ERROR, dir, 0, 0, "expected a readable folder, found: %s",
                        strerror(errno)) == PL_OK
                   ? PL_EIO
                   : PL_ENOMEM;
    }
    char **paths = NULL;
    size_t n = 0, cap = 0;
    pl_status rc = PL_OK;
    struct dirent *e;
    while (rc == PL_OK && (e = readdir(dh)) != NULL) {
        const char *name = e->d_name;
        if (name[0] == '.') continue;
        pl_input_format format = pl_input_format_of(name);
        if (format != PL_INPUT_XML && format != PL_INPUT_JSON) continue;
        if (io_file_has_suffix(name, "pareto.xml")) continue;
        if (n == cap) {
            size_t c2 = cap ? 2 * cap : 16;
            char **p2 = pl__realloc(paths, c2 * sizeof *p2);
            if (!p2) {
                rc = PL_ENOMEM;
                break;
            }
            paths = p2;
            cap = c2;
        }
        size_t len = strlen(dir) + strlen(name) + 2;
        if (!(paths[n] = pl__malloc(len))) {
            rc = PL_ENOMEM;
            break;
        }
        snprintf(paths[n], len, "%s/%s", dir, name);
        n++;
    }
    closedir(dh);
    if (rc == PL_OK && n) qsort(paths, n, sizeof *paths, cmp_str);
    const char *domain = NULL;
    const char **profiles = pl__calloc(n + 1, sizeof *profiles);
    size_t n_profiles = 0, n_domains = 0;
    if (!profiles) rc = PL_ENOMEM;
    for (size_t k = 0; rc == PL_OK && k < n; k++) {
        int is_xml = pl_input_format_of(paths[k]) == PL_INPUT_XML;
        int is_domain = is_xml ? is_domain_file(paths[k]) : 0;
        if (is_domain < 0) {
            rc = PL_ENOMEM;
        } else if (is_domain) {
            domain = paths[k];
            n_domains++;
        } else {
            profiles[n_profiles++] = paths[k];
        }
    }
    if (rc == PL_OK && (n_profiles == 0 || n_domains > 1 ||
                        (n_domains == 0 && pl_input_format_of(profiles[0]) != PL_INPUT_JSON))) {
        diag_add(diags, PL_SEV_ERROR, dir, 0, 0,
                 "expected one GENIUS domain file (<negotiation_template>) and profiles, or "
                 "GeniusWeb JSON profiles, found %zu domain file%s and %zu other file%s",
                 n_domains, n_domains == 1 ? "" : "s", n_profiles, n_profiles == 1 ? "" : "s");
        rc = PL_EINPUT;
    }
    if (rc == PL_OK) rc = pl_space_load_genius(domain, profiles, n_profiles, opts, diags, out);
    for (size_t k = 0; k < n; k++) pl__free(paths[k]);
    pl__free(paths);
    pl__free(profiles);
    return rc;
}

/* ------------------------------------------------------------------------
** pareto.xml: one utility vector per line
*/
pl_status pl_genius_read_pareto(const char *path, pl_diags *diags, double **points,
                                size_t *n_points, size_t *dims) {
    if (!path || !points || !n_points || !dims) return PL_EINVAL;
    *points = NULL;
    *n_points = 0;
    *dims = 0;
    char *text;
    size_t len;
    pl_status rc = io_file_read(path, diags, &text, &len);
    if (rc != PL_OK) return rc;
    const char *checked = text;
    rc = text_check(&checked, &len, path, diags);
    if (rc != PL_OK) {
        pl__free(text);
        return rc;
    }
    double *pts = NULL;
    size_t n = 0, cap = 0, d = 0;
    int line = 0;
    char *save = NULL;
    for (char *ln = text + (checked - text); rc == PL_OK && ln && *ln; ln = save) {
        char *nl = strchr(ln, '\n');
        save = nl ? nl + 1 : NULL;
        if (nl) *nl = 0;
        line++;
        double row[64];
        size_t k = 0;
        char *p = ln;
        for (;;) {
            while (*p == ' ' || *p == '\t' || *p == ',' || *p == ';' || *p == '\r') p++;
            if (!*p) break;
            char *end;
            double v = strtod(p, &end);
            if (end == p || !isfinite(v) || k == 64) {
                rc = diag_add(diags, PL_SEV_ERROR, path, line, (int)(p - ln) + 1,
                              "expected a utility (a number), found \"%.20s\"", p) == PL_OK
                         ? PL_EPARSE
                         : PL_ENOMEM;
                break;
            }
            row[k++] = v;
            p = end;
        }
        if (rc != PL_OK || k == 0) continue;
        if (d == 0) d = k;
        if (k != d) {
            rc = diag_add(diags, PL_SEV_ERROR, path, line, 1,
                          "expected %zu utilities on the line, found %zu", d, k) == PL_OK
                     ? PL_EPARSE
                     : PL_ENOMEM;
            break;
        }
        if (n == cap) {
            size_t c2 = cap ? 2 * cap : 64;
            double *p2 = pl__realloc(pts, c2 * d * sizeof *p2);
            if (!p2) {
                rc = PL_ENOMEM;
                break;
            }
            pts = p2;
            cap = c2;
        }
        memcpy(pts + n * d, row, d * sizeof *row);
        n++;
    }
    pl__free(text);
    if (rc != PL_OK) {
        pl__free(pts);
        return rc;
    }
    *points = pts;
    *n_points = n;
    *dims = d;
    return PL_OK;
}
