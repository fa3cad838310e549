/*
** model_smp_int.h: the private structures of the spatial model of politics
** -- its result (pl_smp_result, built by model_smp.c); its input
** (pl_smp_data) is in smp_data.h.
*/
#ifndef PL_MODEL_SMP_INT_H
#define PL_MODEL_SMP_INT_H

#include "core/buf.h"
#include "parley.h"
#include "parley/smp.h"
#include "models/smp_data.h"

/* The distinct positions of one state. */
typedef struct smp_outcomes {
    size_t n;              /* distinct positions */
    pl_smp_outcome *items; /* n, most probable not first: in class order */
    double *positions;     /* n x n_dims, 0-100 */
    size_t *holders;       /* n_actors, grouped by class */
    double *mean;          /* n_dims */
    size_t most_probable;
} smp_outcomes;

struct pl_smp_result {
    size_t n_actors, n_dims;
    size_t n_states, n_alloc; /* states 0..n_states-1; room for n_alloc */
    pl_smp_options opt;
    pl_smp_stop stop;
    double *position;             /* n_alloc x n_actors x n_dims, 0-100 */
    double *ideal;                /* same shape */
    double *risk;                 /* n_alloc x n_actors */
    double *prob;                 /* n_alloc x n_actors */
    double *move;                 /* n_alloc, 0-100 scale */
    smp_outcomes *outcomes;       /* n_alloc */
    pl_smp_challenge *challenges; /* n_alloc x n_actors (state 0 unused) */
    pl_smp_choice *choices;       /* n_alloc x n_actors (state 0 unused) */
    double *bargain_pos;          /* n_alloc x n_actors x 4 x n_dims, 0-100:
                         ** [init 0, target 0, init 1, target 1] */
};

/* The options in one line, "vpm=Linear pce=Conditional ... threads=0", as
** pl_smp_options_describe gives them (model_smp.c; valid options only). */
void smp_describe(buf *b, const pl_smp_options *o);
/* KTAB's names of the options' values (valid options only). */
typedef struct smp_option_names {
    const char *vpm, *pce, *transitions, *voting, *radjust, *rrange, *commit, *interp, *bargain;
} smp_option_names;
smp_option_names smp_names_of(const pl_smp_options *o);

/* Whether a run of n actors with these options adds its large sums fast
** (pl_smp_sums: fast, or auto above 250 actors). */
int smp_fast_sums(const pl_smp_options *o, size_t n);

/* The length from which a queue's election is shared among the threads
** (64).  The tests lower it to check that both ways give the same bits;
** nothing else writes it. */
extern size_t smp_long_queue_min;

#endif
