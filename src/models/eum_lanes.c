/*
** eum_lanes.c: the expected utility model for small actor counts, several
** runs at once, one per lane of a vector.
**
** Why: a Monte Carlo forecast runs the model on thousands of perturbed
** copies of the same issue -- a few actors, ten rounds -- and the general
** engine (model_eum.c, built for hundreds of actors) spends its time on
** pow and on per-round set-up.  Here a round is the direct O(n^3)
** transcription on small fixed arrays, every value computed for a vector
** of runs by one operation, with a vector pow of our own (libm's pow is
** scalar).  pl_eum_run uses the same round (two lanes, run and copy) for
** every run this file covers, so a point forecast and a Monte Carlo run
** with no spread give the same bits.
**
** Each instruction set gets its natural width (eum_lanes_impl.h, included
** once per variant): 8 lanes with AVX-512F, 4 with AVX2, 2 otherwise.
** Lanes never mix: a job's values do not depend on the width, lane or
** batch it runs in, or on its neighbours; a lane that finishes takes the
** next job.
*/
#include "models/eum_lanes.h"

#include "core/alloc.h"
#include "models/eum_options.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

static void finish(eum_lanes_job *jb, double mean, double median, size_t rounds, int why) {
    jb->mean = mean;
    jb->median = median;
    jb->rounds = rounds;
    jb->stop = (pl_eum_stop)why;
    jb->status = PL_OK;
}

/* The variants.  Same source, same lane-wise IEEE operations (fused
** multiply-adds only where written, and correctly rounded everywhere), so
** the same bits: tests/test_eum_lanes.c runs batches on each and
** compares. */
#define EL_W 2
#define EL_BATCH 1
#include "models/eum_lanes_impl.h"
#undef EL_W
#undef EL_BATCH

#if (defined(__x86_64__) || defined(__i386__)) && defined(__GNUC__)
#define EUM_LANES_X86 1
#include <immintrin.h>
#define EL_W 2
#define EL_TAG 2fma
#define EL_ATTR __attribute__((target("fma")))
#define EL_FMA 3
#define EL_BATCH 0
#include "models/eum_lanes_impl.h"
#undef EL_W
#undef EL_BATCH
#define EL_W 4
#define EL_TAG 4avx2
#define EL_ATTR __attribute__((target("avx2,fma")))
#define EL_FMA 4
#define EL_BATCH 1
#include "models/eum_lanes_impl.h"
#undef EL_W
#undef EL_BATCH
#define EL_W 8
#define EL_TAG 8avx512
#define EL_ATTR __attribute__((target("avx512f,fma")))
#define EL_FMA 2
#define EL_BATCH 1
#include "models/eum_lanes_impl.h"
#undef EL_W
#undef EL_BATCH
#endif

static int isa_choice = -1; /* -1: the best the CPU has; see eum_lanes_isa */

int eum_lanes_isa(int isa) {
    int old = isa_choice;
    isa_choice = isa;
    return old;
}

/* The best instruction set the CPU has: 0 generic, 1 AVX2 + FMA,
** 2 AVX-512F + FMA. */
static int cpu_isa(void) {
#ifdef EUM_LANES_X86
    __builtin_cpu_init();
    if (!__builtin_cpu_supports("fma")) return 0;
    if (__builtin_cpu_supports("avx512f")) return 2;
    if (__builtin_cpu_supports("avx2")) return 1;
#endif
    return 0;
}

int eum_lanes_isa_max(void) { return cpu_isa(); }

double eum_lanes_pow(double b, double r) { return vpow2(splat2(b), splat2(r))[0]; }

int eum_lanes_ok(const pl_eum_options *opt, size_t n) {
    return opt && n >= 1 && n <= EUM_LANES_MAX_N && opt->risk_norm == PL_EUM_RISK_ACROSS_ACTORS;
}

void eum_lanes_round(const pl_eum_options *opt, size_t n, const double *x, const double *w,
                     const double *s, double delta, double mu, double *r, double *newx,
                     unsigned char *kind, double *eij, double *eji, size_t *choice, double *ch_eij,
                     double *ch_eji) {
    el_round2 io; /* both lanes carry the run */
    void (*run_round)(const pl_eum_options *, el_round2 *) = el_round_run2;
    size_t i, j;
    io.n = n;
    for (i = 0; i < n; i++) {
        io.x[i] = splat2(x[i]);
        io.w[i] = splat2(w[i]);
        io.s[i] = splat2(s[i]);
    }
    io.delta = splat2(delta);
    io.mu = splat2(mu);
#ifdef EUM_LANES_X86
    if (cpu_isa() > 0) run_round = el_round_run2fma;
#endif
    run_round(opt, &io);
    for (i = 0; i < n; i++) {
        r[i] = io.r[i][0];
        newx[i] = io.newx[i][0];
    }
    if (!choice) return;
    for (i = 0; i < n; i++) {
        double c = io.choice[i][0];
        for (j = 0; kind && j < n; j++) {
            double rank = io.kind[i][j][0]; /* 3 conflict, 2 compromise, 1 capitulation */
            kind[i * n + j] = (unsigned char)(rank == 3   ? PL_EUM_CONFLICT
                                              : rank == 2 ? PL_EUM_COMPROMISE
                                              : rank == 1 ? PL_EUM_CAPITULATION
                                                          : 0);
            eij[i * n + j] = 4 * io.eij[i][j][0]; /* the engine keeps E / 4 */
            eji[i * n + j] = 4 * io.eji[i][j][0];
        }
        choice[i] = c < 0 ? SIZE_MAX : (size_t)c;
        ch_eij[i] = 4 * io.ch_eij[i][0];
        ch_eji[i] = 4 * io.ch_eji[i][0];
    }
}

int eum_lanes_batch_ok(const pl_eum_options *opt, size_t n) {
    return eum_lanes_ok(opt, n) && opt->max_rounds <= EUM_LANES_BATCH_MAX_ROUNDS;
}

void eum_lanes_work_free(eum_lanes_work *work) {
    if (!work) return;
    pl__free(work->block);
    work->block = NULL;
    work->size = 0;
}

pl_status eum_lanes_batch(size_t n, const pl_eum_options *opt, size_t count, eum_lanes_job *jobs) {
    eum_lanes_work work = {NULL, 0};
    pl_status st = eum_lanes_batch_in(&work, n, opt, count, jobs);
    eum_lanes_work_free(&work);
    return st;
}

/* Room for a batch of width W: the round's struct, 64-byte aligned, and the
** rings of past positions and means. */
#define BATCH_NEED(type, vec, rows, n) (sizeof(type) + 64 + (rows) * ((n) + 1) * sizeof(vec))

pl_status eum_lanes_batch_in(eum_lanes_work *work, size_t n, const pl_eum_options *opt,
                             size_t count, eum_lanes_job *jobs) {
    size_t rows, need;
    int isa = cpu_isa();
    if (!work || !opt || !jobs || !eum_lanes_batch_ok(opt, n) || !eum_options_valid(opt))
        return PL_EINVAL;
    if (count == 0) return PL_OK;
    rows = opt->max_rounds + 1;
    if (isa_choice >= 0 && isa_choice < isa) isa = isa_choice;
#ifdef EUM_LANES_X86
    if (isa == 2) need = BATCH_NEED(el_round8, el_vd_8, rows, n);
    else if (isa == 1) need = BATCH_NEED(el_round4, el_vd_4, rows, n);
    else
#endif
        need = BATCH_NEED(el_round2, el_vd_2, rows, n);
    if (work->size < need) {
        eum_lanes_work_free(work);
        if (!(work->block = pl__malloc(need))) return PL_ENOMEM;
        work->size = need;
    }
#ifdef EUM_LANES_X86
    if (isa == 2) {
        batch8avx512(n, opt, count, jobs, work->block, rows);
        return PL_OK;
    }
    if (isa == 1) {
        batch4avx2(n, opt, count, jobs, work->block, rows);
        return PL_OK;
    }
#endif
    batch2(n, opt, count, jobs, work->block, rows);
    return PL_OK;
}
