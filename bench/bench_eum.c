/*
** bench_eum.c: runs and rounds per second of the expected utility model for
** 7, 10, 30, 100 and 1,000 random actors, on one thread and on all of them.
**
** Inputs are deterministic (splitmix64, fixed seeds): positions uniform on
** [0, 100], capability on (0, 1], salience on [0, 1].  Each measurement
** repeats runs of up to 10 rounds (tolerance 0, no cycle detection, no
** recorded offers: the small sizes are what a Monte Carlo run costs) until
** `seconds` have passed (default 1), and prints the runs and rounds per
** second and the time per round.
**
** Then the lane engine's batches (what a Monte Carlo runs): 4,096 random
** runs of 5, 7, 10 and 16 actors, Scholz preset, up to 10 rounds with the
** forecasts' stopping rule, on every instruction-set variant this CPU has;
** nanoseconds per run and round, best of 5.
**
** Usage: bench_eum [seconds]
*/
#define _POSIX_C_SOURCE 200809L

#include <parley.h>
#include <parley/eum.h>

#include "models/eum_lanes.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static uint64_t splitmix64(uint64_t *state) {
    uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static double uniform01(uint64_t *state) { return (double)(splitmix64(state) >> 11) * 0x1.0p-53; }

static double now_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Runs until `seconds` have passed; 0 on success. */
static int measure(size_t n, const double *x, const double *c, const double *s,
                   pl_eum_preset preset, unsigned n_threads, double seconds, size_t *runs,
                   size_t *rounds, double *elapsed) {
    pl_eum_options opt;
    double start = now_seconds();
    pl_eum_options_init(&opt, preset);
    opt.max_rounds = 10;
    opt.tolerance = 0;
    opt.detect_cycles = 0;
    opt.record = PL_EUM_RECORD_NONE;
    opt.n_threads = n_threads;
    *rounds = *runs = 0;
    do {
        pl_eum_result *res;
        pl_status st = pl_eum_run(n, x, c, s, &opt, &res);
        if (st != PL_OK) {
            fprintf(stderr, "bench_eum: %s\n", pl_strerror(st));
            return 1;
        }
        *rounds += pl_eum_result_n_rounds(res);
        ++*runs;
        pl_eum_result_free(res);
        *elapsed = now_seconds() - start;
    } while (*elapsed < seconds);
    return 0;
}

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* The lane engine on batches of random runs, per instruction set. */
static int bench_batches(void) {
    enum { JOBS = 4096 };
    static const size_t sizes[] = {5, 7, 10, 16};
    static const char *const isa_names[] = {"generic", "AVX2", "AVX-512F"};
    double *x = malloc(JOBS * EUM_LANES_MAX_N * sizeof(double));
    double *c = malloc(JOBS * EUM_LANES_MAX_N * sizeof(double));
    double *s = malloc(JOBS * EUM_LANES_MAX_N * sizeof(double));
    eum_lanes_job *jobs = malloc(JOBS * sizeof *jobs);
    uint64_t state = 99;
    pl_eum_options opt;
    if (!x || !c || !s || !jobs) return 1;
    pl_eum_options_init(&opt, PL_EUM_PRESET_SCHOLZ);
    opt.max_rounds = 10;
    opt.record = PL_EUM_RECORD_NONE;
    printf("\nlane engine batches: %d random runs, Scholz preset, up to 10 rounds\n", JOBS);
    printf("%-9s %6s %12s %16s\n", "isa", "actors", "rounds/run", "ns per run-round");
    for (int isa = 0; isa <= eum_lanes_isa_max(); isa++) {
        eum_lanes_isa(isa);
        for (size_t si = 0; si < sizeof sizes / sizeof sizes[0]; si++) {
            size_t n = sizes[si], rounds = 0, j, k;
            double best = 1e30;
            for (j = 0; j < JOBS; j++) {
                for (k = 0; k < n; k++) {
                    x[j * n + k] = 100 * uniform01(&state);
                    c[j * n + k] = 1 - uniform01(&state);
                    s[j * n + k] = uniform01(&state);
                }
                jobs[j].position = x + j * n;
                jobs[j].capability = c + j * n;
                jobs[j].salience = s + j * n;
            }
            for (int rep = 0; rep < 5; rep++) {
                double t0 = now_s(), t;
                if (eum_lanes_batch(n, &opt, JOBS, jobs) != PL_OK) return 1;
                t = now_s() - t0;
                if (t < best) best = t;
            }
            for (j = 0; j < JOBS; j++) rounds += jobs[j].rounds;
            printf("%-9s %6zu %12.2f %16.1f\n", isa_names[isa], n, (double)rounds / JOBS,
                   1e9 * best / (double)rounds);
            fflush(stdout);
        }
    }
    eum_lanes_isa(-1);
    free(x);
    free(c);
    free(s);
    free(jobs);
    return 0;
}

int main(int argc, char **argv) {
    static const size_t sizes[] = {7, 10, 30, 100, 1000};
    static const struct {
        pl_eum_preset preset;
        const char *name;
    } presets[] = {{PL_EUM_PRESET_SCHOLZ, "scholz"}, {PL_EUM_PRESET_BDM, "bdm"}};
    static const unsigned threads[] = {1, 0};
    double seconds = argc > 1 ? atof(argv[1]) : 1.0;
    size_t si, pi, ti, k;
    if (!(seconds > 0)) {
        fprintf(stderr, "usage: bench_eum [seconds]\n");
        return 2;
    }
    printf("%-7s %6s %-8s %9s %6s %11s %12s %10s\n", "preset", "actors", "threads", "runs", "secs",
           "runs/s", "rounds/s", "us/round");
    for (si = 0; si < sizeof sizes / sizeof sizes[0]; si++) {
        size_t n = sizes[si];
        double *x = malloc(n * sizeof *x), *c = malloc(n * sizeof *c);
        double *s = malloc(n * sizeof *s);
        uint64_t state = 0x5eed0000u + n;
        if (!x || !c || !s) return 1;
        for (k = 0; k < n; k++) {
            x[k] = 100 * uniform01(&state);
            c[k] = 1 - uniform01(&state);
            s[k] = uniform01(&state);
        }
        for (pi = 0; pi < sizeof presets / sizeof presets[0]; pi++) {
            for (ti = 0; ti < sizeof threads / sizeof threads[0]; ti++) {
                size_t runs, rounds;
                double elapsed;
                if (measure(n, x, c, s, presets[pi].preset, threads[ti], seconds, &runs, &rounds,
                            &elapsed))
                    return 1;
                printf("%-7s %6zu %-8s %9zu %6.2f %11.1f %12.1f %10.2f\n", presets[pi].name, n,
                       threads[ti] ? "1" : "auto", runs, elapsed, (double)runs / elapsed,
                       (double)rounds / elapsed, 1e6 * elapsed / (double)rounds);
                fflush(stdout);
            }
        }
        free(x);
        free(c);
        free(s);
    }
    return bench_batches() ? 1 : 0;
}
