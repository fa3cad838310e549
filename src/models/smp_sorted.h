/*
** smp_sorted.h: the spatial model's big elections on one dimension with the
** proportional voting rule, from the voters sorted by ideal point
** (smp_sorted.c; docs/models/smp.md, "Sorted elections").
**
** An election's coalition c(i,j) is 1e-8 plus the sum, over the voters k
** who prefer option i to option j, of w_k (U_k(i) - U_k(j)).  On one
** dimension with U_k(x) = (1 - d)(1 + d R_k), d = |y_k - x|, a voter prefers
** the option on its side of the two options' midpoint, and the sum over a
** run of voters sorted by y_k is a polynomial in the options' positions
** whose coefficients are prefix sums over the voters.  So every coalition
** costs a binary search instead of a pass over the N voters: O(N^2 log N)
** an election instead of O(N^3).  The sums are added in another order than
** KTAB's, so they agree with KTAB's to rounding, not to the bit.
*/
#ifndef PL_SMP_SORTED_H
#define PL_SMP_SORTED_H

#include <stddef.h>

typedef struct smp_sorted {
    size_t n;                   /* voters */
    size_t *ord;                /* n: voters by ideal point, ties by index */
    double *y;                  /* n: the ideal points in that order */
    double *pre;                /* 4 x (n + 1): prefix sums of w(R-1), wR, w(R-1)y, wRy */
    size_t *le;                 /* options: voters with y <= x (as many as voters) */
    size_t *lt;                 /* options: voters with y < x */
    double *xo;                 /* room for n options' positions (the caller's) */
    struct smp_voter_key *keys; /* n: sorting scratch */
} smp_sorted;

/* Room for n voters and as many options; 0 when out of memory (then
** smp_sorted_free is still safe). */
int smp_sorted_alloc(smp_sorted *S, size_t n);
void smp_sorted_free(smp_sorted *S);

/* 1 when the n values are all in [0, 1] and the saliences positive: the
** conditions under which the utilities are (1 - d)(1 + d R) of d = |y - x|
** with d <= 1, so that the sorted sums are the election's. */
int smp_sorted_applies(const double *x, const double *y, const double *sal, size_t n);

/* Sorts the voters by their ideal points y (n of them). */
void smp_sorted_voters(smp_sorted *S, const double *y);

/* The prefix sums for voter weights w and risk attitudes R[k * r_stride]
** (R NULL: every voter risk neutral). */
void smp_sorted_weights(smp_sorted *S, const double *w, const double *R, size_t r_stride);

/* Where each of the m options' positions x falls among the voters. */
void smp_sorted_options(smp_sorted *S, const double *x, size_t m);

/* Row i of the m x m coalition matrix c: c(i,j) and c(j,i) for j < i, and
** c(i,i) = 1e-8. */
void smp_sorted_row(const smp_sorted *S, const double *x, size_t m, size_t i, double *c);

#endif
