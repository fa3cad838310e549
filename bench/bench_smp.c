/*
** bench_smp.c: the spatial model of politics on every KTAB example file,
** wall time per file with one thread and with every core, and a check that
** both give bit-identical trajectories.  KTAB's own times on this machine
** kind are in ../shared/data/ktab/README.md (160 actors: 825 s).
**
**     bench_smp [DIR]     DIR: the KTAB files (default: PL_SHARED_DIR/data/ktab,
**                         or ../shared/data/ktab beside the sources)
**
** A file of the README's table that is missing is replaced by a synthetic
** input of the same size (marked "synthetic").
*/
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "parley.h"

#ifndef PL_SHARED_DIR
#define PL_SHARED_DIR ""
#endif

static const struct {
    const char *name;
    size_t n_actors, n_dims, ktab_turns;
    double ktab_seconds;
} files[] = {
    {"dummyData_3Dim", 7, 3, 10, 0.04},  {"SOE-Pol-Comp", 13, 2, 27, 0.32},
    {"SOE-Policy", 26, 1, 19, 1.3},      {"dummyData_6Dim", 27, 6, 29, 2.3},
    {"SOE-Competitive", 34, 1, 35, 5.7}, {"dummyData-a040", 40, 1, 20, 5.5},
    {"dummyData-a080", 80, 1, 17, 51.6}, {"dummyData-a160", 160, 1, 13, 825},
};

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* A reproducible input of the given size (splitmix64). */
static uint64_t mix(uint64_t *x) {
    uint64_t z = (*x += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static double uniform(uint64_t *x, double lo, double hi) {
    return lo + (hi - lo) * (double)(mix(x) >> 11) * 0x1.0p-53;
}

static pl_smp_data *synthetic(size_t n, size_t nd) {
    pl_smp_data *d = NULL;
    if (pl_smp_data_new(n, nd, &d) != PL_OK) return NULL;
    uint64_t seed = 42 + n;
    for (size_t i = 0; i < n; i++) {
        pl_smp_data_set_actor(d, i, "A", NULL, uniform(&seed, 0.5, 4));
        double total = uniform(&seed, 20, 90) / (double)nd;
        for (size_t k = 0; k < nd; k++)
            pl_smp_data_set_stake(d, i, k, uniform(&seed, 0, 100), total);
    }
    return d;
}

static int identical(const pl_smp_result *a, const pl_smp_result *b) {
    size_t T = pl_smp_result_n_turns(a), n = pl_smp_result_n_actors(a);
    if (T != pl_smp_result_n_turns(b)) return 0;
    for (size_t t = 0; t <= T; t++)
        if (memcmp(pl_smp_result_position(a, t, 0), pl_smp_result_position(b, t, 0),
                   n * pl_smp_result_n_dims(a) * sizeof(double)) != 0)
            return 0;
    return 1;
}

/* The best of `reps` runs. */
static double timed(const pl_smp_data *d, unsigned threads, int reps, pl_smp_result **keep) {
    pl_smp_options o;
    pl_smp_options_init(&o);
    o.n_threads = threads;
    double best = 1e30;
    for (int r = 0; r < reps; r++) {
        pl_smp_result *res = NULL;
        double t0 = now();
        pl_status rc = pl_smp_run(d, &o, NULL, &res);
        double t = now() - t0;
        if (rc != PL_OK) {
            fprintf(stderr, "bench_smp: run failed: %s\n", pl_strerror(rc));
            exit(1);
        }
        if (t < best) best = t;
        if (r == reps - 1 && keep) *keep = res;
        else pl_smp_result_free(res);
    }
    return best;
}

int main(int argc, char **argv) {
    char dir[1024];
    if (argc > 1) snprintf(dir, sizeof dir, "%s", argv[1]);
    else if (PL_SHARED_DIR[0]) snprintf(dir, sizeof dir, "%s/data/ktab", PL_SHARED_DIR);
    else {
        /* beside the sources: <repo>/bench/bench_smp.c -> <repo>/../shared */
        snprintf(dir, sizeof dir, "%s", __FILE__);
        char *slash = strrchr(dir, '/');
        if (slash) *slash = 0;
        slash = strrchr(dir, '/');
        if (slash) *slash = 0;
        else snprintf(dir, sizeof dir, ".");
        size_t len = strlen(dir);
        snprintf(dir + len, sizeof dir - len, "/../shared/data/ktab");
    }
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    printf("bench_smp: the spatial model of politics on KTAB's examples (%s)\n", dir);
    printf("wall time of one run, best of 3 (1 run for > 1 s); %ld online CPUs\n\n", cpus);
    printf("%-16s %7s %5s %6s %10s %10s %8s %10s %9s\n", "file", "actors", "dims", "turns",
           "1 thread", "all cores", "speedup", "identical", "KTAB");
    double total1 = 0, totaln = 0;
    for (size_t f = 0; f < sizeof files / sizeof files[0]; f++) {
        char path[1200];
        snprintf(path, sizeof path, "%s/%s.csv", dir, files[f].name);
        pl_smp_data *d = NULL;
        int synth = 0;
        if (pl_smp_read_ktab_file(path, NULL, &d) != PL_OK) {
            d = synthetic(files[f].n_actors, files[f].n_dims);
            synth = 1;
            if (!d) return 1;
        }
        pl_smp_result *one = NULL, *all = NULL;
        double t1 = timed(d, 1, 1, &one);
        if (t1 < 1) {
            double again = timed(d, 1, 2, NULL);
            if (again < t1) t1 = again;
        }
        double tn = timed(d, 0, t1 < 1 ? 3 : 1, &all);
        total1 += t1;
        totaln += tn;
        printf("%-16s %7zu %5zu %6zu %9.4fs %9.4fs %7.2fx %10s %8.2fs%s\n", files[f].name,
               pl_smp_data_n_actors(d), pl_smp_data_n_dims(d), pl_smp_result_n_turns(one), t1, tn,
               t1 / tn, identical(one, all) ? "yes" : "NO", files[f].ktab_seconds,
               synth ? "  (synthetic)" : "");
        pl_smp_result_free(one);
        pl_smp_result_free(all);
        pl_smp_data_free(d);
    }
    printf("%-16s %7s %5s %6s %9.4fs %9.4fs %7.2fx\n", "total", "", "", "", total1, totaln,
           total1 / totaln);
    return 0;
}
