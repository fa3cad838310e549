/*
** eum_options.c: the checks the expected utility model makes of its options
** and inputs, shared by the general engine (model_eum.c) and the lane
** engine (eum_lanes.c), so that neither needs the other for them.
*/
#include "models/eum_options.h"

#include <math.h>

int eum_options_valid(const pl_eum_options *o) {
    return isfinite(o->q) && o->q >= 0 && o->q <= 1 &&
           (o->prob_denom == PL_EUM_PROB_PAIR || o->prob_denom == PL_EUM_PROB_ALL_PAIRS) &&
           (o->estimate_r == PL_EUM_R_OWN || o->estimate_r == PL_EUM_R_OTHER) &&
           (o->compromise == PL_EUM_COMPROMISE_SPEC ||
            o->compromise == PL_EUM_COMPROMISE_WEIGHTED) &&
           (o->choice == PL_EUM_CHOICE_RANKED || o->choice == PL_EUM_CHOICE_SENDER_EU) &&
           (o->risk_norm == PL_EUM_RISK_ACROSS_ACTORS ||
            o->risk_norm == PL_EUM_RISK_ACROSS_POSITIONS) &&
           (o->record == PL_EUM_RECORD_ALL || o->record == PL_EUM_RECORD_MOVES ||
            o->record == PL_EUM_RECORD_NONE) &&
           isfinite(o->tolerance) && o->tolerance >= 0 && isfinite(o->cycle_tolerance) &&
           o->cycle_tolerance >= 0 && o->n_threads <= PL_MAX_THREADS;
}

int eum_inputs_valid(size_t n, const double *position, const double *capability,
                     const double *salience) {
    size_t k;
    if (n == 0 || !position || !capability || !salience) return 0;
    for (k = 0; k < n; k++) {
        if (!isfinite(position[k]) || !isfinite(capability[k]) || capability[k] < 0 ||
            !(salience[k] >= 0 && salience[k] <= 1))
            return 0;
    }
    return 1;
}
