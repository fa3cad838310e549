/*
** smp_data.h: the private structure of the spatial model's input
** (pl_smp_data, parley/smp.h).  smp_data.c builds, converts and checks it;
** the readers in io/ (io_ktab.c) fill it from files; model_smp.c runs on it.
*/
#ifndef PL_SMP_DATA_H
#define PL_SMP_DATA_H

#include "parley.h"
#include "parley/smp.h"

#include <stddef.h>

/* smpc's capability sanity check: a capability lies in (0, 1e8). */
#define SMP_MAX_CAPABILITY 1e8

struct pl_smp_data {
    size_t n_actors, n_dims;
    char *name, *description;          /* description may be NULL */
    char *source;                      /* what diagnostics call it; NULL: "smp input" */
    char **actor_names, **actor_descs; /* descriptions may be NULL */
    double *capability;                /* n_actors */
    char **dim_names, **dim_descs;
    double *dim_min, *dim_max; /* n_dims: the scale 0-100 stands for */
    double *position;          /* n_actors x n_dims, 0-100 */
    double *salience;          /* n_actors x n_dims, 0-100 */
    double *accommodation;     /* n_actors x n_actors, NULL: identity */
    size_t *source_actor;      /* n_actors, NULL: identity */
};

/* x written into out with as many digits as it takes to tell it from its
** neighbours (a sum of 100.00000000000001 is not "100"); returns out. */
const char *smp_exact(double x, char *out, size_t size);

#endif
