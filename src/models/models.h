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

/* pl_model_forecast for inputs already checked (a valid pl_issue_input, a
** valid model, opt not NULL) with their weights w[i] = capability[i] x
** salience[i] given: for callers that run several models on one input. */
pl_status models_forecast_w(pl_model model, const pl_issue_input *in, const double *w,
                            const pl_forecast_options *opt, double *out);

#endif
