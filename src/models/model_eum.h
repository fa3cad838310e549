/*
** model_eum.h: internals of the expected utility model shared with its tests.
**
** The utilities of eqs 15, 16, 18, 19 and 24 (Scholz's numbering) for an
** actor with risk exponent r, and the risk exponent of eqs 32-33.  Distances
** are already divided by Delta, so they lie in [0, 1]; arguments outside that
** range are clamped so that no NaN can come out.
*/
#ifndef PL_MODEL_EUM_H
#define PL_MODEL_EUM_H

#include "models/eum_options.h"

/* U_s = 2 - 4 (0.5 - 0.5 d)^r: the challenge succeeds. */
double eum_u_success(double d, double r);
/* U_f = 2 - 4 (0.5 + 0.5 d)^r: the challenge fails. */
double eum_u_failure(double d, double r);
/* U_b = 2 - 4 (0.5 - 0.25 (d_mu + d))^r: no challenge, things get better. */
double eum_u_better(double d_mu, double d, double r);
/* U_w = 2 - 4 (0.5 + 0.25 (d_mu + d))^r: no challenge, things get worse. */
double eum_u_worse(double d_mu, double d, double r);
/* U_sq = 2 - 4 (0.5)^r: the status quo. */
double eum_u_status_quo(double r);

/* r = (1 - R/3) / (1 + R/3) with R = (2 s - s_max - s_min) / (s_max -
** s_min) clamped to [-1, 1], so r lies in [0.5, 2]: exactly 0.5 at s_max,
** 2 at s_min, 1 when s_max == s_min. */
double eum_risk_exponent(double s, double s_max, double s_min);

#endif
