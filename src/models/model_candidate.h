/*
** model_candidate.h: the candidate-choice model's kernel (model_candidate.c)
** for the model registry and for fitting in backtests: an issue's
** candidates and their features are prepared once, then forecast under any
** coefficients, and the coefficients fitted by Newton's method.
*/
#ifndef PL_MODEL_CANDIDATE_H
#define PL_MODEL_CANDIDATE_H

#include "parley.h"

#define CAND_K PL_CANDIDATE_N_FEATURES

/* The candidates of one issue, sorted by value (the compromise after a
** position of equal value), with CAND_K features each (row-major). */
typedef struct cand_issue {
    size_t n;
    double *value;
    double *feature;
} cand_issue;

/* The most candidates an issue of n actors has: its distinct positions,
** the status quo and the compromise. */
#define CAND_MAX(n) ((n) + 2)

/* Fill it->value and it->feature (room for CAND_MAX(in->n) candidates)
** from a checked input with weights w[i] = capability x salience; sets
** it->n. */
pl_status cand_prepare(const pl_issue_input *in, const double *w, cand_issue *it);

/* The median of the candidate distribution under coefficients beta. */
double cand_apply(const cand_issue *it, const double *beta);

/* Fit beta (CAND_K values) by Newton's method on the listed rows:
** minimise sum_rows -sum_c y_c log p_c + lambda |beta|^2, y spread evenly
** over the candidates nearest the outcome.  Reads items[rows[k]] and
** outcome[rows[k]] only.  Returns the iterations taken. */
int cand_fit(const cand_issue *items, const double *outcome, const size_t *rows, size_t n_rows,
             double lambda, double *beta);

#endif
