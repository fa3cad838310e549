/*
** io_ktab_xml.c: KTAB's XML format for the input of the spatial model of
** politics (smpc's SMPModel::xmlRead; its schema smpSchema.xsd), read into
** pl_smp_data as the CSV reader (io_ktab.c) does, with the file's model
** parameters into a pl_smp_options:
**
**   <Scenario>
**     <name/> <desc/> <prngSeed/>
**     <ModelParameters> <VictoryProbModel>Linear</VictoryProbModel> ... </ModelParameters>
**     <Dimensions> <dName/>... </Dimensions>
**     <Actors> <Actor> <name/> <description/> <capability/>
**                      <Position> <dCoord/>... </Position>
**                      <Salience> <dSal/>... </Salience> </Actor>... </Actors>
**     <IdealAdjustment> <iaPair> <adjustingIdeal/> <referencePos/> <adjust/>
**                       </iaPair>... </IdealAdjustment>
**   </Scenario>
**
** The same limits as the CSV reader (KTAB's), every problem at its
** FILE:LINE:COL.  The accommodation matrix starts as the identity (ideals
** follow positions, as for CSV input); each iaPair sets the entry of its
** adjusting actor's row and reference actor's column.  A missing
** <IdealAdjustment> (which KTAB itself requires) keeps the identity.
** Elements the schema does not know are ignored with a warning.
**
** expat streams the file (through the library's allocator); no tree is
** built, the nesting is bounded, and names are found through a hash table,
** so reading stays linear in the input.
*/
#include "models/smp_data.h"

#include "models/model_smp_int.h"

#include "core/alloc.h"
#include "core/buf.h"
#include "core/diag.h"
#include "core/hash.h"
#include "core/text.h"
#include "io/io_file.h"

#include <errno.h>
#include <expat.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SCEN_NAME 512
#define MAX_SCEN_DESC 512
#define MAX_ACT_NAME 25
#define MAX_ACT_DESC 256
#define MAX_DIM_NAME 256
#define MAX_DEPTH 64
#define MAX_ERRORS 20
#define MAX_DIMS 100000

/* What an element is, by its place in the schema. */
typedef enum kind {
    K_OTHER = 0, /* not in the schema: ignored with its content */
    K_SCENARIO,
    K_NAME,
    K_DESC,
    K_SEED,
    K_PARAMS,
    K_PARAM,
    K_DIMS,
    K_DNAME,
    K_ACTORS,
    K_ACTOR,
    K_ANAME,
    K_ADESC,
    K_CAP,
    K_POSITION,
    K_DCOORD,
    K_SALIENCE,
    K_DSAL,
    K_IA,
    K_IAPAIR,
    K_IA_ADJ,
    K_IA_REF,
    K_IA_VAL
} kind;

/* The children each element may have. */
static const struct {
    kind parent;
    const char *name;
    kind child;
} schema[] = {
    {K_SCENARIO, "name", K_NAME},
    {K_SCENARIO, "desc", K_DESC},
    {K_SCENARIO, "prngSeed", K_SEED},
    {K_SCENARIO, "ModelParameters", K_PARAMS},
    {K_SCENARIO, "Dimensions", K_DIMS},
    {K_SCENARIO, "Actors", K_ACTORS},
    {K_SCENARIO, "IdealAdjustment", K_IA},
    {K_DIMS, "dName", K_DNAME},
    {K_ACTORS, "Actor", K_ACTOR},
    {K_ACTOR, "name", K_ANAME},
    {K_ACTOR, "description", K_ADESC},
    {K_ACTOR, "capability", K_CAP},
    {K_ACTOR, "Position", K_POSITION},
    {K_ACTOR, "Salience", K_SALIENCE},
    {K_POSITION, "dCoord", K_DCOORD},
    {K_SALIENCE, "dSal", K_DSAL},
    {K_IA, "iaPair", K_IAPAIR},
    {K_IAPAIR, "adjustingIdeal", K_IA_ADJ},
    {K_IAPAIR, "referencePos", K_IA_REF},
    {K_IAPAIR, "adjust", K_IA_VAL},
};

typedef struct xactor {
    char *name, *desc;
    double cap;
    int has_cap;
    double *pos, *sal; /* grown as read */
    size_t n_pos, n_sal, alloc_pos, alloc_sal;
    int line, col;                            /* of <Actor> */
    int pos_line, pos_col, sal_line, sal_col; /* of <Position>, <Salience> */
} xactor;

typedef struct xpair {
    char *adj, *ref;
    double value;
    int has_value;
    int line, col;
} xpair;

typedef struct xreader {
    XML_Parser parser;
    diag_sink ds;
    kind stack[MAX_DEPTH];
    int depth;
    int skip; /* depth inside an ignored element (0: none) */
    int too_deep;
    char *text; /* the current leaf's characters */
    size_t text_len, text_alloc;
    int text_line, text_col;
    char *scen_name, *scen_desc;
    int has_name;
    char **dims;
    size_t n_dims, alloc_dims;
    int has_dims;
    xactor *actors;
    size_t n_actors, alloc_actors;
    xpair *pairs;
    size_t n_pairs, alloc_pairs;
    pl_smp_options *params;
    int shape_error;
} xreader;

static int here_line(const xreader *x) { return (int)XML_GetCurrentLineNumber(x->parser); }
static int here_col(const xreader *x) { return (int)XML_GetCurrentColumnNumber(x->parser) + 1; }

static void stop_oom(xreader *x) {
    x->ds.oom = 1;
    XML_StopParser(x->parser, XML_FALSE);
}

/* Grow an array of `size`-byte items to hold one more. */
static void *grow(xreader *x, void *p, size_t *alloc, size_t n, size_t size) {
    if (n < *alloc) return p;
    size_t a = *alloc ? 2 * *alloc : 8;
    void *q = pl__realloc(p, a * size);
    if (!q) {
        stop_oom(x);
        return NULL;
    }
    *alloc = a;
    return q;
}

/* The leaf's text, trimmed, NUL-terminated (inside x->text). */
static const char *leaf_text(xreader *x) {
    if (!x->text) return "";
    char *s = x->text;
    s[x->text_len] = 0;
    while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n') s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
        s[--n] = 0;
    return s;
}

static void shown(const char *s, char *out, size_t size) {
    if (!*s) {
        snprintf(out, size, "nothing");
        return;
    }
    size_t n = strlen(s);
    snprintf(out, size, "\"%.40s%s\"", s, n > 40 ? "..." : "");
    for (char *p = out; *p; p++)
        if ((unsigned char)*p < 0x20) *p = '?';
}

static int number(xreader *x, const char *s, const char *what, double lo, double hi, int lo_open,
                  double *out) {
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    char found[64];
    shown(s, found, sizeof found);
    if (!*s || *end || !isfinite(v)) {
        diag_error(&x->ds, x->text_line, x->text_col, "expected %s, found %s", what, found);
        x->shape_error = 1;
        return 0;
    }
    if ((lo_open ? !(v > lo) : !(v >= lo)) || !(v <= hi)) {
        diag_error(&x->ds, x->text_line, x->text_col, "expected %s, found %s", what, found);
        return 0;
    }
    *out = v;
    return 1;
}

/* A copy of a text within a length (in characters); reports otherwise. */
static char *text_copy(xreader *x, const char *s, const char *what, size_t min, size_t max) {
    size_t chars = 0;
    for (const char *p = s; *p; p++)
        if (((unsigned char)*p & 0xC0) != 0x80) chars++;
    if (chars < min || chars > max) {
        char found[64];
        shown(s, found, sizeof found);
        diag_error(&x->ds, x->text_line, x->text_col,
                   "expected %s of %zu to %zu characters, found %s (%zu)", what, min, max, found,
                   chars);
        return NULL;
    }
    char *c = pl__strdup(s);
    if (!c) stop_oom(x);
    return c;
}

static void add_value(xreader *x, double **arr, size_t *n, size_t *alloc, double v) {
    double *a = grow(x, *arr, alloc, *n, sizeof(double));
    if (!a) return;
    *arr = a;
    a[(*n)++] = v;
}

/* ------------------------------------------------------------------------
** expat's callbacks
*/
static void XMLCALL on_start(void *ud, const XML_Char *name, const XML_Char **atts) {
    (void)atts;
    xreader *x = ud;
    if (x->skip) {
        x->skip++;
        return;
    }
    if (x->depth == MAX_DEPTH) {
        diag_error(&x->ds, here_line(x), here_col(x),
                   "expected at most %d nested elements, found more", MAX_DEPTH);
        x->too_deep = 1;
        XML_StopParser(x->parser, XML_FALSE);
        return;
    }
    kind k = K_OTHER;
    if (x->depth == 0) {
        if (strcmp(name, "Scenario") != 0) {
            char found[64];
            shown(name, found, sizeof found);
            diag_error(&x->ds, here_line(x), here_col(x),
                       "expected the root element <Scenario> of a KTAB scenario, found <%s>", name);
            x->shape_error = 1;
            XML_StopParser(x->parser, XML_FALSE);
            return;
        }
        k = K_SCENARIO;
    } else {
        kind parent = x->stack[x->depth - 1];
        if (parent == K_PARAMS) k = K_PARAM;
        for (size_t i = 0; k == K_OTHER && i < sizeof schema / sizeof schema[0]; i++)
            if (schema[i].parent == parent && strcmp(schema[i].name, name) == 0)
                k = schema[i].child;
        if (k == K_OTHER) {
            diag_warning(&x->ds, here_line(x), here_col(x),
                         "expected an element of KTAB's scenario schema here, found <%.40s>; "
                         "ignored",
                         name);
            x->skip = 1;
            return;
        }
    }
    x->stack[x->depth++] = k;
    x->text_len = 0;
    x->text_line = here_line(x);
    x->text_col = here_col(x);
    if (k == K_ACTOR) {
        xactor *a = grow(x, x->actors, &x->alloc_actors, x->n_actors, sizeof *a);
        if (!a) return;
        x->actors = a;
        a = &a[x->n_actors++];
        memset(a, 0, sizeof *a);
        a->line = x->text_line;
        a->col = x->text_col;
    } else if (k == K_POSITION && x->n_actors) {
        x->actors[x->n_actors - 1].pos_line = x->text_line;
        x->actors[x->n_actors - 1].pos_col = x->text_col;
    } else if (k == K_SALIENCE && x->n_actors) {
        x->actors[x->n_actors - 1].sal_line = x->text_line;
        x->actors[x->n_actors - 1].sal_col = x->text_col;
    } else if (k == K_IAPAIR) {
        xpair *p = grow(x, x->pairs, &x->alloc_pairs, x->n_pairs, sizeof *p);
        if (!p) return;
        x->pairs = p;
        p = &p[x->n_pairs++];
        memset(p, 0, sizeof *p);
        p->line = x->text_line;
        p->col = x->text_col;
    } else if (k == K_DIMS) {
        x->has_dims = 1;
    }
}

static void XMLCALL on_text(void *ud, const XML_Char *s, int len) {
    xreader *x = ud;
    if (x->skip || x->depth == 0) return;
    size_t need = x->text_len + (size_t)len + 1;
    if (need > x->text_alloc) {
        size_t a = x->text_alloc ? x->text_alloc : 64;
        while (a < need) a *= 2;
        char *t = pl__realloc(x->text, a);
        if (!t) {
            stop_oom(x);
            return;
        }
        x->text = t;
        x->text_alloc = a;
    }
    memcpy(x->text + x->text_len, s, (size_t)len);
    x->text_len += (size_t)len;
}

/* <prngSeed>: a whole number, decimal or 0x hex. */
static void leaf_seed(xreader *x, const char *s) {
    char *end;
    errno = 0;
    int hex = s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
    unsigned long long seed = strtoull(hex ? s + 2 : s, &end, hex ? 16 : 10);
    if (!*s || *end || errno == ERANGE || s[0] == '-' || s[0] == '+') {
        char found[64];
        shown(s, found, sizeof found);
        diag_error(&x->ds, x->text_line, x->text_col,
                   "expected a seed (a whole number from 0 to 2^64-1, decimal or 0x hex), "
                   "found %s",
                   found);
    } else if (x->params) {
        x->params->seed = (uint64_t)seed;
    }
}

/* A model parameter <NAME>VALUE</NAME>, checked even when not kept. */
static void leaf_param(xreader *x, const char *name, const char *s) {
    pl_smp_options probe;
    pl_smp_options_init(&probe);
    pl_status rc = pl_smp_options_set(x->params ? x->params : &probe, name, s);
    char found[64];
    shown(s, found, sizeof found);
    if (rc == PL_ENOTFOUND)
        diag_error(&x->ds, x->text_line, x->text_col,
                   "expected a KTAB model parameter (VictoryProbModel, PCEModel, "
                   "StateTransitions, VotingRule, BigRAdjust, BigRRange, ThirdPartyCommit, "
                   "InterVecBrgn, BargnModel), found <%.40s>",
                   name);
    else if (rc != PL_OK)
        diag_error(&x->ds, x->text_line, x->text_col,
                   "expected a value of %.40s (docs/models/smp.md), found %s", name, found);
}

/* <dName>: one more dimension. */
static void leaf_dim_name(xreader *x, const char *s) {
    if (x->n_dims >= MAX_DIMS) {
        diag_error(&x->ds, x->text_line, x->text_col, "expected at most %d dimensions, found more",
                   MAX_DIMS);
        return;
    }
    char *c = text_copy(x, s, "a dimension name", 0, MAX_DIM_NAME);
    if (!c) return;
    char **d = grow(x, x->dims, &x->alloc_dims, x->n_dims, sizeof *d);
    if (!d) {
        pl__free(c);
        return;
    }
    x->dims = d;
    d[x->n_dims++] = c;
}

static void end_leaf(xreader *x, kind k, const char *name) {
    const char *s = leaf_text(x);
    if (x->ds.oom) return;
    xactor *a = x->n_actors ? &x->actors[x->n_actors - 1] : NULL;
    xpair *p = x->n_pairs ? &x->pairs[x->n_pairs - 1] : NULL;
    double v;
    switch (k) {
        case K_NAME:
            pl__free(x->scen_name);
            x->scen_name = text_copy(x, s, "a scenario name", 0, MAX_SCEN_NAME);
            x->has_name = 1;
            break;
        case K_DESC:
            pl__free(x->scen_desc);
            x->scen_desc = text_copy(x, s, "a scenario description", 0, MAX_SCEN_DESC);
            break;
        case K_SEED: leaf_seed(x, s); break;
        case K_PARAM: leaf_param(x, name, s); break;
        case K_DNAME: leaf_dim_name(x, s); break;
        case K_ANAME:
            pl__free(a->name);
            a->name = text_copy(x, s, "an actor name", 1, MAX_ACT_NAME);
            break;
        case K_ADESC:
            pl__free(a->desc);
            a->desc = text_copy(x, s, "an actor description", 0, MAX_ACT_DESC);
            break;
        case K_CAP:
            if (number(x, s, "a capability greater than 0 and less than 1e8", 0,
                       SMP_MAX_CAPABILITY * (1 - 1e-16), 1, &v)) {
                a->cap = v;
                a->has_cap = 1;
            }
            break;
        case K_DCOORD:
            if (!number(x, s, "a position (a number from 0 to 100)", 0, 100, 0, &v)) v = 0;
            if (a->n_pos < MAX_DIMS) add_value(x, &a->pos, &a->n_pos, &a->alloc_pos, v);
            break;
        case K_DSAL:
            if (!number(x, s, "a salience (a number from 0 to 100)", 0, 100, 0, &v)) v = 0;
            if (a->n_sal < MAX_DIMS) add_value(x, &a->sal, &a->n_sal, &a->alloc_sal, v);
            break;
        case K_IA_ADJ:
            pl__free(p->adj);
            p->adj = text_copy(x, s, "an actor name", 1, MAX_ACT_NAME);
            break;
        case K_IA_REF:
            pl__free(p->ref);
            p->ref = text_copy(x, s, "an actor name", 1, MAX_ACT_NAME);
            break;
        case K_IA_VAL:
            if (number(x, s, "an adjustment (a number from 0 to 1)", 0, 1, 0, &v)) {
                p->value = v;
                p->has_value = 1;
            }
            break;
        default: break;
    }
}

static void XMLCALL on_end(void *ud, const XML_Char *name) {
    xreader *x = ud;
    if (x->skip) {
        x->skip--;
        return;
    }
    if (x->depth == 0) return;
    kind k = x->stack[--x->depth];
    end_leaf(x, k, name);
    if (x->ds.n_errors > MAX_ERRORS) XML_StopParser(x->parser, XML_FALSE);
}

static void *xml_malloc(size_t n) { return pl__malloc(n); }
static void *xml_realloc(void *p, size_t n) { return pl__realloc(p, n); }
static void xml_free(void *p) { pl__free(p); }

/* ------------------------------------------------------------------------
** After the parse: the counts, the names, the data
*/
static void need_element(xreader *x, int has, const char *what) {
    if (!has) {
        diag_error(&x->ds, 1, 1, "expected %s in <Scenario>, found none", what);
        x->shape_error = 1;
    }
}

/* Each actor: its name (new), capability, one position and one salience
** per dimension, saliences summing to at most 100; names into `names`. */
static void check_actors(xreader *x, size_t nd, hash *names) {
    size_t n = x->n_actors;
    for (size_t i = 0; i < n; i++) {
        xactor *a = &x->actors[i];
        if (!a->name) {
            diag_error(&x->ds, a->line, a->col, "expected <name> in <Actor>, found none");
            x->shape_error = 1;
        } else {
            size_t j;
            int added = hash_add_str(names, a->name, i, &j);
            if (added == 0)
                diag_error(&x->ds, a->line, a->col,
                           "expected a new actor name, found \"%s\" again (actor %zu)", a->name,
                           j + 1);
            else if (added < 0) x->ds.oom = 1;
        }
        if (!a->has_cap && x->ds.n_errors == 0) {
            diag_error(&x->ds, a->line, a->col, "expected <capability> in <Actor>, found none");
            x->shape_error = 1;
        }
        if (a->n_pos != nd) {
            diag_error(
                &x->ds, a->pos_line ? a->pos_line : a->line, a->pos_line ? a->pos_col : a->col,
                "expected %zu <dCoord> in <Position> (one per dimension), found %zu", nd, a->n_pos);
            x->shape_error = 1;
        }
        if (a->n_sal != nd) {
            diag_error(
                &x->ds, a->sal_line ? a->sal_line : a->line, a->sal_line ? a->sal_col : a->col,
                "expected %zu <dSal> in <Salience> (one per dimension), found %zu", nd, a->n_sal);
            x->shape_error = 1;
        }
        if (a->n_sal == nd) {
            double sum = 0;
            for (size_t k = 0; k < nd; k++) sum += a->sal[k];
            if (sum > 100 + 1e-9)
                diag_error(&x->ds, a->sal_line, a->sal_col,
                           "expected the actor's saliences to sum to at most 100, found %g", sum);
            else if (!(sum > 0))
                diag_error(&x->ds, a->sal_line, a->sal_col,
                           "expected a positive salience on some dimension, found none (KTAB "
                           "would divide by zero)");
        }
    }
}

/* The rows of the accommodation matrix the iaPairs give (identity where
** none), each summing to at most 1; NULL without pairs, on error or oom. */
static double *read_accommodation(xreader *x, const hash *names) {
    size_t n = x->n_actors;
    double *acc = NULL;
    if (x->n_pairs && !x->ds.oom) {
        acc = pl__calloc(n * n, sizeof *acc);
        if (!acc) x->ds.oom = 1;
        for (size_t i = 0; acc && i < n; i++) acc[i * n + i] = 1;
        for (size_t p = 0; acc && p < x->n_pairs; p++) {
            xpair *pr = &x->pairs[p];
            size_t i, j;
            if (!pr->adj || !pr->ref || !pr->has_value) {
                if (x->ds.n_errors == 0)
                    diag_error(&x->ds, pr->line, pr->col,
                               "expected <adjustingIdeal>, <referencePos> and <adjust> in "
                               "<iaPair>, found %s missing",
                               !pr->adj   ? "<adjustingIdeal>"
                               : !pr->ref ? "<referencePos>"
                                          : "<adjust>");
                x->shape_error = 1;
                continue;
            }
            if (!hash_find_str(names, pr->adj, &i) || !hash_find_str(names, pr->ref, &j)) {
                diag_error(&x->ds, pr->line, pr->col,
                           "expected the name of an actor of <Actors>, found \"%s\"",
                           hash_find_str(names, pr->adj, &i) ? pr->ref : pr->adj);
                continue;
            }
            acc[i * n + j] = pr->value;
        }
        for (size_t i = 0; acc && i < n; i++) {
            double sum = 0;
            for (size_t j = 0; j < n; j++) sum += acc[i * n + j];
            if (sum > 1 + 1e-9) {
                /* the row's last pair says where */
                int line = x->actors[i].line, col = x->actors[i].col;
                for (size_t p = 0; p < x->n_pairs; p++)
                    if (x->pairs[p].adj && strcmp(x->pairs[p].adj, x->actors[i].name) == 0) {
                        line = x->pairs[p].line;
                        col = x->pairs[p].col;
                    }
                diag_error(&x->ds, line, col,
                           "expected the adjustments of %s's ideal to sum to at most 1 (its "
                           "own, 1 unless given, included), found %g",
                           x->actors[i].name, sum);
            }
        }
    }
    return acc;
}

/* The model input from what was read and checked; NULL on failure. */
static pl_smp_data *make_data(xreader *x, size_t nd, double *acc) {
    size_t n = x->n_actors;
    pl_smp_data *d = NULL;
    pl_status rc = pl_smp_data_new(n, nd, &d);
    if (rc == PL_OK)
        rc = pl_smp_data_set_scenario(d, x->scen_name ? x->scen_name : "",
                                      x->scen_desc && *x->scen_desc ? x->scen_desc : NULL);
    for (size_t k = 0; rc == PL_OK && k < nd; k++) {
        if (!x->has_dims || !*x->dims[k]) continue;
        rc = pl_smp_data_set_dim(d, k, x->dims[k], NULL, 0, 100);
    }
    for (size_t i = 0; rc == PL_OK && i < n; i++) {
        xactor *a = &x->actors[i];
        rc = pl_smp_data_set_actor(d, i, a->name, a->desc && *a->desc ? a->desc : NULL, a->cap);
        for (size_t k = 0; rc == PL_OK && k < nd; k++)
            rc = pl_smp_data_set_stake(d, i, k, a->pos[k], a->sal[k]);
    }
    if (rc == PL_OK && acc) rc = pl_smp_data_set_accommodation(d, acc);
    pl__free(acc);
    if (rc == PL_OK && !(d->source = pl__strdup(x->ds.file))) rc = PL_ENOMEM;
    if (rc != PL_OK) {
        pl_smp_data_free(d);
        if (rc == PL_ENOMEM) x->ds.oom = 1;
        else diag_error(&x->ds, 0, 0, "expected valid model input, found %s", pl_strerror(rc));
        return NULL;
    }
    return d;
}

static pl_smp_data *build(xreader *x) {
    need_element(x, x->has_name, "<name>");
    size_t n = x->n_actors;
    if (n < PL_SMP_MIN_ACTORS || n > PL_SMP_MAX_ACTORS) {
        diag_error(&x->ds, n ? x->actors[0].line : 1, n ? x->actors[0].col : 1,
                   "expected %d to %d <Actor> elements in <Actors>, found %zu", PL_SMP_MIN_ACTORS,
                   PL_SMP_MAX_ACTORS, n);
        x->shape_error = 1;
        return NULL;
    }
    size_t nd = x->has_dims ? x->n_dims : x->actors[0].n_pos;
    if (nd == 0) {
        diag_error(&x->ds, x->actors[0].line, x->actors[0].col,
                   "expected at least one dimension (<dName> in <Dimensions>, or <dCoord> in "
                   "<Position>), found none");
        x->shape_error = 1;
        return NULL;
    }
    hash names = {0};
    check_actors(x, nd, &names);
    double *acc = read_accommodation(x, &names);
    hash_free(&names);
    if (x->ds.n_errors || x->ds.oom) {
        pl__free(acc);
        return NULL;
    }
    return make_data(x, nd, acc);
}

static void reader_free(xreader *x) {
    pl__free(x->text);
    pl__free(x->scen_name);
    pl__free(x->scen_desc);
    for (size_t k = 0; k < x->n_dims; k++) pl__free(x->dims[k]);
    pl__free(x->dims);
    for (size_t i = 0; i < x->n_actors; i++) {
        pl__free(x->actors[i].name);
        pl__free(x->actors[i].desc);
        pl__free(x->actors[i].pos);
        pl__free(x->actors[i].sal);
    }
    pl__free(x->actors);
    for (size_t p = 0; p < x->n_pairs; p++) {
        pl__free(x->pairs[p].adj);
        pl__free(x->pairs[p].ref);
    }
    pl__free(x->pairs);
}

pl_status pl_smp_read_ktab_xml_buffer(const char *text, size_t len, const char *name,
                                      pl_diags *diags, pl_smp_data **out, pl_smp_options *params) {
    if (!out || (!text && len)) return PL_EINVAL;
    *out = NULL;
    if (!name) name = "ktab";
    if (!text) text = "";
    pl_status rc = text_check(&text, &len, name, diags);
    if (rc != PL_OK) return rc;
    if (len > (size_t)0x7fffffff) {
        diag_add(diags, PL_SEV_ERROR, name, 0, 0, "expected at most 2 GiB of XML, found more");
        return PL_ERANGE;
    }
    pl_smp_options parsed;
    pl_smp_options_init(&parsed);
    xreader x;
    memset(&x, 0, sizeof x);
    x.ds.diags = diags;
    x.ds.file = name;
    x.ds.max_errors = MAX_ERRORS;
    x.params = &parsed;
    XML_Memory_Handling_Suite mm = {xml_malloc, xml_realloc, xml_free};
    x.parser = XML_ParserCreate_MM(NULL, &mm, NULL);
    if (!x.parser) {
        diag_add(diags, PL_SEV_ERROR, name, 0, 0, "out of memory");
        return PL_ENOMEM;
    }
    XML_SetUserData(x.parser, &x);
    XML_SetElementHandler(x.parser, on_start, on_end);
    XML_SetCharacterDataHandler(x.parser, on_text);
    int parse_error = 0;
    if (XML_Parse(x.parser, text, (int)len, XML_TRUE) != XML_STATUS_OK && !x.ds.oom &&
        !x.too_deep && x.ds.n_errors == 0) {
        enum XML_Error err = XML_GetErrorCode(x.parser);
        if (err == XML_ERROR_NO_MEMORY) x.ds.oom = 1;
        else {
            diag_error(&x.ds, here_line(&x), here_col(&x), "expected well-formed XML, found %s",
                       XML_ErrorString(err));
            parse_error = 1;
        }
    }
    XML_ParserFree(x.parser);
    pl_smp_data *d = NULL;
    if (!parse_error && !x.too_deep && !x.ds.oom && x.ds.n_errors == 0) d = build(&x);
    int shape = x.shape_error || parse_error || x.too_deep;
    reader_free(&x);
    if (x.ds.oom) {
        pl_smp_data_free(d);
        diag_add(diags, PL_SEV_ERROR, name, 0, 0, "out of memory");
        return PL_ENOMEM;
    }
    if (x.ds.n_errors > MAX_ERRORS)
        diag_add(diags, PL_SEV_ERROR, name, 0, 0, "stopped after %d errors", MAX_ERRORS);
    if (!d) return shape ? PL_EPARSE : PL_EINPUT;
    if (params) *params = parsed;
    *out = d;
    return PL_OK;
}

pl_status pl_smp_read_ktab_xml_file(const char *path, pl_diags *diags, pl_smp_data **out,
                                    pl_smp_options *params) {
    if (!path || !out) return PL_EINVAL;
    *out = NULL;
    char *text;
    size_t len;
    pl_status rc = io_file_read(path, diags, &text, &len);
    if (rc != PL_OK) return rc;
    rc = pl_smp_read_ktab_xml_buffer(text, len, path, diags, out, params);
    pl__free(text);
    return rc;
}

/* ------------------------------------------------------------------------
** Writing KTAB XML
*/
static void xml_text(buf *b, const char *s) {
    for (; s && *s; s++) {
        switch (*s) {
            case '<': buf_puts(b, "&lt;"); break;
            case '>': buf_puts(b, "&gt;"); break;
            case '&': buf_puts(b, "&amp;"); break;
            case '"': buf_puts(b, "&quot;"); break;
            default: buf_putc(b, *s);
        }
    }
}

static void xml_elem(buf *b, const char *indent, const char *tag, const char *text) {
    buf_printf(b, "%s<%s>", indent, tag);
    xml_text(b, text);
    buf_printf(b, "</%s>\n", tag);
}

pl_status pl_smp_data_to_ktab_xml(const pl_smp_data *d, const pl_smp_options *opt, char **out) {
    if (!d || !out) return PL_EINVAL;
    *out = NULL;
    pl_smp_options def;
    if (!opt) {
        pl_smp_options_init(&def);
        opt = &def;
    }
    char *described = NULL;
    pl_status rc = pl_smp_options_describe(opt, &described); /* checks the options */
    pl_free(described);
    if (rc != PL_OK) return rc;
    smp_option_names nm = smp_names_of(opt);
    buf b = {0};
    buf_puts(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                 "<Scenario xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
                 "xsi:noNamespaceSchemaLocation=\"smpSchema.xsd\">\n");
    xml_elem(&b, "  ", "name", d->name);
    xml_elem(&b, "  ", "desc", d->description ? d->description : "");
    buf_printf(&b, "  <prngSeed>%llu</prngSeed>\n", (unsigned long long)opt->seed);
    buf_puts(&b, "  <ModelParameters>\n");
    xml_elem(&b, "    ", "VictoryProbModel", nm.vpm);
    xml_elem(&b, "    ", "PCEModel", nm.pce);
    xml_elem(&b, "    ", "StateTransitions", nm.transitions);
    xml_elem(&b, "    ", "VotingRule", nm.voting);
    xml_elem(&b, "    ", "BigRAdjust", nm.radjust);
    xml_elem(&b, "    ", "BigRRange", nm.rrange);
    xml_elem(&b, "    ", "ThirdPartyCommit", nm.commit);
    xml_elem(&b, "    ", "InterVecBrgn", nm.interp);
    xml_elem(&b, "    ", "BargnModel", nm.bargain);
    buf_puts(&b, "  </ModelParameters>\n  <Dimensions>\n");
    for (size_t k = 0; k < d->n_dims; k++) xml_elem(&b, "    ", "dName", d->dim_names[k]);
    buf_puts(&b, "  </Dimensions>\n  <Actors>\n");
    for (size_t i = 0; i < d->n_actors; i++) {
        buf_puts(&b, "    <Actor>\n");
        xml_elem(&b, "      ", "name", d->actor_names[i]);
        xml_elem(&b, "      ", "description", d->actor_descs[i] ? d->actor_descs[i] : "");
        buf_printf(&b, "      <capability>%.17g</capability>\n      <Position>\n",
                   d->capability[i]);
        for (size_t k = 0; k < d->n_dims; k++)
            buf_printf(&b, "        <dCoord>%.17g</dCoord>\n", d->position[i * d->n_dims + k]);
        buf_puts(&b, "      </Position>\n      <Salience>\n");
        for (size_t k = 0; k < d->n_dims; k++)
            buf_printf(&b, "        <dSal>%.17g</dSal>\n", d->salience[i * d->n_dims + k]);
        buf_puts(&b, "      </Salience>\n    </Actor>\n");
    }
    buf_puts(&b, "  </Actors>\n");
    /* KTAB requires the element; every row written out, the identity too */
    buf_puts(&b, "  <IdealAdjustment>\n");
    for (size_t i = 0; i < d->n_actors; i++)
        for (size_t j = 0; j < d->n_actors; j++) {
            double a = d->accommodation ? d->accommodation[i * d->n_actors + j] : i == j;
            if (a == 0 && i != j) continue;
            buf_puts(&b, "    <iaPair>\n");
            xml_elem(&b, "      ", "adjustingIdeal", d->actor_names[i]);
            xml_elem(&b, "      ", "referencePos", d->actor_names[j]);
            buf_printf(&b, "      <adjust>%.17g</adjust>\n    </iaPair>\n", a);
        }
    buf_puts(&b, "  </IdealAdjustment>\n</Scenario>\n");
    *out = buf_take(&b);
    return *out ? PL_OK : PL_ENOMEM;
}
