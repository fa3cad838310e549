/*
** bench_deals.c: how fast the figures of an agreement space are computed
** (counts, Pareto frontier, solutions, opposition).  Prints what it
** measured; never a test.
**
**   build/bench_deals [GENIUS_DIR]
**
** Spaces: ANAC's EnergyA (390,625 packages, 2 parties; from GENIUS_DIR or
** the shared data folder), a generated 3-party space of the same size (8
** issues x 5 options) and a generated 3-party space of 10^9 packages (9
** issues x 10 options).  Generated profiles are GENIUS XML built in memory
** (evaluations 1..100 and weights drawn from splitmix64 with a fixed seed,
** reservation 0.4), read through the same reader as the files.  Rows marked
** "every package evaluated" use the exhaustive path (no additive shortcuts),
** the one non-linear utilities take.  Columns: "frontier" = Pareto frontier
** of all packages, "Pareto" = its rational points.
*/
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "parley.h"

#include "bench_space.h"

#ifndef PL_SHARED_DIR
#define PL_SHARED_DIR "../shared"
#endif

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static long peak_rss_kb(void) {
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

static void bench_engine(const char *title, const pl_space *sp, unsigned threads, int exhaustive,
                         pl_deals_engine engine, double target) {
    pl_deals_options o;
    memset(&o, 0, sizeof o);
    o.n_threads = threads;
    o.exhaustive = exhaustive;
    o.engine = engine;
    o.max_outcomes = 2000000000ull;
    /* best of a few runs for the small spaces, one for the large */
    int reps = pl_space_size(sp, NULL) > 100000000u ? 1 : 5;
    double best = 1e30;
    pl_deals *d = NULL;
    for (int r = 0; r < reps; r++) {
        pl_deals_free(d);
        d = NULL;
        double t0 = now();
        pl_status rc = pl_deals_run(sp, &o, NULL, &d);
        double t = now() - t0;
        if (rc != PL_OK) {
            fprintf(stderr, "bench_deals: %s: %s\n", title, pl_strerror(rc));
            exit(1);
        }
        if (t < best) best = t;
    }
    double n = (double)pl_deals_n_outcomes(d);
    printf("%-34s %-9s %3s  %9.3g  %10.1f ms  %10.3g  %8zu  %8zu  %15llu  %7.0f MB  %s\n", title,
           pl_deals_engine_name(pl_deals_engine_used(d)),
           threads ? (threads == 1 ? "1" : "n") : "all", n, best * 1e3, n / best,
           pl_deals_n_frontier(d), pl_deals_n_pareto(d), (unsigned long long)pl_deals_n_rational(d),
           (double)peak_rss_kb() / 1024, best <= target ? "under target" : "OVER TARGET");
    fflush(stdout);
    pl_deals_free(d);
}

static void bench(const char *title, const pl_space *sp, unsigned threads, int exhaustive,
                  double target) {
    bench_engine(title, sp, threads, exhaustive, PL_ENGINE_AUTO, target);
}

int main(int argc, char **argv) {
    const char *dir = argc > 1 ? argv[1] : PL_SHARED_DIR "/data/genius/EnergyA";
    pl_space *energy = NULL;
    pl_diags *diags = NULL;
    pl_diags_new(&diags);
    double t0 = now();
    if (pl_space_load_genius_dir(dir, NULL, diags, &energy) != PL_OK) {
        fprintf(stderr, "bench_deals: cannot read %s\n", dir);
        return 1;
    }
    double t_load = now() - t0;
    pl_diags_free(diags);
    printf("EnergyA read in %.2f ms (domain and 2 profiles, GENIUS XML)\n\n", t_load * 1e3);
    printf("%-34s %-9s %3s  %9s  %13s  %10s  %8s  %8s  %15s  %10s\n", "space", "engine", "thr",
           "packages", "wall time", "packages/s", "frontier", "Pareto", "rational", "peak RSS");
    bench("EnergyA (2 parties, 8x5)", energy, 0, 0, 0.050);
    bench("EnergyA (2 parties, 8x5)", energy, 1, 0, 0.050);
    bench("EnergyA, every package evaluated", energy, 0, 1, 0.050);
    pl_space_free(energy);

    pl_space *g3 = generated("bench_deals", "0.4", 3, 8, 5);
    bench("generated (3 parties, 8x5)", g3, 0, 0, 0.050);
    bench("generated (3 parties, 8x5)", g3, 1, 0, 0.050);
    bench("generated, every package evaluated", g3, 0, 1, 0.050);
    pl_space_free(g3);

    pl_space *big = generated("bench_deals", "0.4", 3, 9, 10);
    bench_engine("generated (3 parties, 9x10 = 1e9)", big, 0, 0, PL_ENGINE_ENUMERATE, 10.0);
    bench_engine("generated (3 parties, 9x10 = 1e9)", big, 0, 0, PL_ENGINE_MERGE, 10.0);
    pl_space_free(big);

    pl_space *t12 = generated("bench_deals", "0.4", 3, 12, 10);
    bench_engine("generated (3 parties, 12x10 = 1e12)", t12, 0, 0, PL_ENGINE_MERGE, 10.0);
    pl_space_free(t12);
    pl_space *t15 = generated("bench_deals", "0.4", 2, 15, 10);
    bench_engine("generated (2 parties, 15x10 = 1e15)", t15, 0, 0, PL_ENGINE_MERGE, 10.0);
    pl_space_free(t15);
    printf("\npeak resident memory: %.1f MB\n", (double)peak_rss_kb() / 1024);
    return 0;
}
