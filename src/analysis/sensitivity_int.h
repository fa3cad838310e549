/*
** sensitivity_int.h: the private structure of a sensitivity run
** (pl_sensitivity), built by sensitivity.c and read by its report
** (report/report_sensitivity.c).
*/
#ifndef PL_SENSITIVITY_INT_H
#define PL_SENSITIVITY_INT_H

#include "parley.h"

struct pl_sensitivity {
    size_t n_issues;
    pl_swing **swings; /* per issue, largest swing first */
    size_t *n_swings;
    pl_model model;
};

#endif
