/*
** deals_int.h: the private structure of an agreement space (pl_space),
** shared by the module that computes its figures (deals.c) and the readers
** that build spaces (deals.c from scenarios, io_genius.c from GENIUS and
** GeniusWeb files).
**
** Utilities are kept as a table per cell (issue, option) holding every
** party's weighted utility side by side: tab[(offset[i] + o) * n_parties +
** p], so that summing a package is one pass over its cells.  A package's
** utility is always summed issue by issue from the first (the same rounding
** everywhere, so the enumeration, the frontier and pl_space_utility agree to
** the bit).  Non-linear parties (ANAC 2014 hyper-rectangles) have no table
** column of their own (zeros) and a list of rectangles instead.
*/
#ifndef PL_DEALS_INT_H
#define PL_DEALS_INT_H

#include "parley.h"

#include <stdint.h>

typedef struct deals_issue {
    char *name;
    size_t n_options;
    char **labels;   /* n_options strings */
    double *values;  /* numeric value of each option, or NULL (discrete) */
    size_t offset;   /* first cell of the issue */
} deals_issue;

/* A hyper-rectangle: utility added when every bounded issue's option index
** lies in [lo, hi]. */
typedef struct deals_rect {
    double utility;
    size_t n_bounds;
    size_t *issue;
    size_t *lo, *hi;
} deals_rect;

typedef struct deals_party {
    char *name;
    double reservation;
    double discount; /* in (0, 1]; 1: none */
    int nonlinear;
    deals_rect *rects;
    size_t n_rects;
    double scale;    /* non-linear: utility = scale * sum of rectangles */
} deals_party;

struct pl_space {
    char *name;
    size_t n_parties, n_issues, n_cells;
    deals_issue *issues;
    deals_party *parties;
    double *tab; /* n_cells * n_parties */
};

/* An empty space with room for the given numbers of issues and parties
** (names and options are filled by the caller with deals_* below). */
pl_space *deals_space_alloc(size_t n_issues, size_t n_parties);
/* Give issue i its n options (labels copied; values may be NULL). */
pl_status deals_set_issue(pl_space *sp, size_t i, const char *name, size_t n,
                          const char *const *labels, const double *values);
/* After every issue is set: allocate the zeroed utility table. */
pl_status deals_alloc_table(pl_space *sp);
pl_status deals_set_party(pl_space *sp, size_t p, const char *name, double reservation,
                          double discount);
/* The utility of a package (choice: n_issues option indices) for party p. */
double deals_utility(const pl_space *sp, const size_t *choice, size_t p);
char *deals_strdup(const char *s);

/* The figures of a space (pl_deals_run in deals.c; read by its report,
** report/report_deals.c). */
struct pl_deals {
    size_t np, ni;
    uint64_t n_outcomes, n_rational;
    size_t n_frontier, n_pareto;
    pl_deal *frontier;
    size_t *choices;   /* n_frontier * ni */
    double *utils;     /* n_frontier * np */
    size_t *blockers;  /* n_frontier * np */
    double *min, *max, *disagreement; /* np each */
    size_t *sol[PL_SOL_COUNT];
    size_t n_sol[PL_SOL_COUNT];
    int has_opposition;
    double opposition;
};

#endif
