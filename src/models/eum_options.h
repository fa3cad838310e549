/*
** eum_options.h: the checks pl_eum_run makes of its options and inputs
** (1: valid), for the general and the lane engine alike.
*/
#ifndef PL_EUM_OPTIONS_H
#define PL_EUM_OPTIONS_H

#include "parley/eum.h"

#include <stddef.h>

int eum_options_valid(const pl_eum_options *o);
int eum_inputs_valid(size_t n, const double *position, const double *capability,
                     const double *salience);

#endif
