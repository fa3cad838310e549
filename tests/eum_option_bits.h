/*
** eum_option_bits.h: every combination of the expected utility model's
** options as a number (tests/test_eum.c, tests/test_eum_lanes.c): bit 0 Q,
** 1 the probability denominator, 2 risk-transformed votes (clear: on),
** 3 whose r in estimates, 4 the compromise rule, 5 the choice rule, 6 the
** lowest compromise (clear: on), 7 the capitulation typo (clear: on), 8 the
** across-positions risk norm.  The Scholz preset's stopping rule.
*/
#ifndef PL_TEST_EUM_OPTION_BITS_H
#define PL_TEST_EUM_OPTION_BITS_H

#include "parley/eum.h"

static void options_from_bits(pl_eum_options *opt, unsigned bits) {
    pl_eum_options_init(opt, PL_EUM_PRESET_SCHOLZ);
    opt->q = bits & 1 ? 0.5 : 1.0;
    opt->prob_denom = bits & 2 ? PL_EUM_PROB_PAIR : PL_EUM_PROB_ALL_PAIRS;
    opt->risk_votes = !(bits & 4);
    opt->estimate_r = bits & 8 ? PL_EUM_R_OTHER : PL_EUM_R_OWN;
    opt->compromise = bits & 16 ? PL_EUM_COMPROMISE_WEIGHTED : PL_EUM_COMPROMISE_SPEC;
    opt->choice = bits & 32 ? PL_EUM_CHOICE_SENDER_EU : PL_EUM_CHOICE_RANKED;
    opt->compromise_lowest = !(bits & 64);
    opt->capitulation_typo = !(bits & 128);
    opt->risk_norm = bits & 256 ? PL_EUM_RISK_ACROSS_POSITIONS : PL_EUM_RISK_ACROSS_ACTORS;
}

#endif
