/*
** space_int.h: the private structure of an agreement space (pl_space),
** built by space.c (also from scenarios) and by the readers in io/
** (io_genius.c, from GENIUS and GeniusWeb files); deals.c computes its
** figures.
**
** Utilities are kept as a table per cell (issue, option) holding every
** party's weighted utility side by side: tab[(offset[i] + o) * n_parties +
** p], so that summing a package is one pass over its cells.  A package's
** utility is always summed issue by issue from the first (the same rounding
** everywhere, so the enumeration, the frontier and pl_space_utility agree to
** the bit).  Non-linear parties (ANAC 2014 hyper-rectangles) have no table
** column of their own (zeros) and a list of rectangles instead.
*/
#ifndef PL_SPACE_INT_H
#define PL_SPACE_INT_H

#include "parley.h"

#include <stdint.h>

typedef struct deals_issue {
    char *name;
    size_t n_options;
    char **labels;  /* n_options strings */
    double *values; /* numeric value of each option, or NULL (discrete) */
    size_t offset;  /* first cell of the issue */
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
    double scale; /* non-linear: utility = scale * sum of rectangles */
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
/* The sum of a non-linear party's rectangles that hold the package
** (choice: n_issues option indices); its utility is pa->scale times this. */
static inline double deals_rect_sum(const deals_party *pa, const size_t *choice) {
    double sum = 0;
    for (size_t r = 0; r < pa->n_rects; r++) {
        const deals_rect *re = &pa->rects[r];
        size_t b = 0;
        while (b < re->n_bounds && choice[re->issue[b]] >= re->lo[b] &&
               choice[re->issue[b]] <= re->hi[b])
            b++;
        if (b == re->n_bounds) sum += re->utility;
    }
    return sum;
}

/* The utility of a package (choice: n_issues option indices) for party p. */
double deals_utility(const pl_space *sp, const size_t *choice, size_t p);
char *deals_strdup(const char *s);

#endif
