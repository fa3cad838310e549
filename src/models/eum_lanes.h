/*
** eum_lanes.h: the expected utility model for small actor counts, many runs
** at once (one per vector lane).
**
** pl_eum_run uses eum_lanes_round for every round when eum_lanes_ok(); the
** Monte Carlo runs whole batches through eum_lanes_batch.  Both compute
** each run with the same lane-wise operations, so a batch gives each run
** exactly (bit for bit) what pl_eum_run gives it, whatever its batch-mates.
*/
#ifndef PL_EUM_LANES_H
#define PL_EUM_LANES_H

#include "parley/eum.h"

#include <stddef.h>

/* Actor counts up to this use the lane engine. */
#define EUM_LANES_MAX_N 16

/* 1 when the lane engine covers these options and actor count (every
** option but the across-positions risk norm). */
int eum_lanes_ok(const pl_eum_options *opt, size_t n);

/* One round for one run of n <= EUM_LANES_MAX_N actors: positions x,
** weights w (c_i s_i, c scaled by its maximum), saliences s, Delta and the
** previous round's weighted median mu.  Writes the risk exponents r and the
** new positions newx; when choice is not NULL, the offer each actor took
** (choice: the sender or SIZE_MAX; ch_eij, ch_eji), and when kind is not
** NULL too, every offer (n x n kind, eij, eji: row i is receiver i). */
void eum_lanes_round(const pl_eum_options *opt, size_t n, const double *x, const double *w,
                     const double *s, double delta, double mu, double *r, double *newx,
                     unsigned char *kind, double *eij, double *eji, size_t *choice, double *ch_eij,
                     double *ch_eji);

/* One run of a batch: inputs as for pl_eum_run; out: the final round's
** weighted median and mean, the rounds run and why they stopped. */
typedef struct eum_lanes_job {
    const double *position, *capability, *salience;
    double median, mean;
    size_t rounds;
    pl_eum_stop stop;
    pl_status status; /* PL_OK, or what pl_eum_run would return */
} eum_lanes_job;

/* A batch keeps every lane's positions of every round (for the cycle
** test), so it takes runs of at most this many rounds; longer ones go run
** by run through pl_eum_run (the same round, so the same results). */
#define EUM_LANES_BATCH_MAX_ROUNDS 4096

/* Whether batches take runs of n actors with the options opt (1: yes):
** eum_lanes_ok and at most EUM_LANES_BATCH_MAX_ROUNDS rounds. */
int eum_lanes_batch_ok(const pl_eum_options *opt, size_t n);

/* Run count jobs of n actors each with the options opt (record ignored);
** PL_EINVAL unless eum_lanes_batch_ok.  Each job's results equal those of
** pl_eum_run on its inputs.  Returns PL_ENOMEM when the work area cannot
** be had (then no job is run); per-job errors go to the job's status. */
pl_status eum_lanes_batch(size_t n, const pl_eum_options *opt, size_t count, eum_lanes_job *jobs);

/* A work area that successive batches reuse (about 250 KB: allocating it
** per batch costs page faults).  Start zeroed; free with
** eum_lanes_work_free. */
typedef struct eum_lanes_work {
    void *block;
    size_t size;
} eum_lanes_work;

/* eum_lanes_batch in the work area *work (grown when too small). */
pl_status eum_lanes_batch_in(eum_lanes_work *work, size_t n, const pl_eum_options *opt,
                             size_t count, eum_lanes_job *jobs);
void eum_lanes_work_free(eum_lanes_work *work);

/* For tests: which instruction set batches use -- 0 generic, 1 AVX2,
** 2 AVX-512F, -1 the best the CPU has (the default); a choice the CPU lacks
** falls back to the best it has.  Returns the previous choice.  Not
** thread-safe; results never depend on it. */
int eum_lanes_isa(int isa);
/* The best instruction set this CPU gives batches (0, 1 or 2 as above). */
int eum_lanes_isa_max(void);

/* For tests: the engine's b^r (b in [0, 1], r > 0), one lane. */
double eum_lanes_pow(double b, double r);

#endif
