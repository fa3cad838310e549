/*
** models.h: what the model layer offers other library modules.
*/
#ifndef PL_MODELS_H
#define PL_MODELS_H

#include "parley.h"

/* The expected utility model's two forecasts (the final weighted median
** and mean) from one run; either pointer may be NULL. */
pl_status models_eum(const pl_issue_input *in, const pl_forecast_options *opt, double *median,
                     double *mean);

#endif
