/*
** bench_baseline.c: how fast the baseline models and the scenario reader
** are.  Prints what it measured; never a test.
**
**   build/bench_baseline [ACTORS...]
*/
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "parley.h"

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* splitmix64: deterministic inputs */
static uint64_t mix_state = 42;
static double uniform(void) {
    uint64_t z = (mix_state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    z ^= z >> 31;
    return (double)(z >> 11) * 0x1.0p-53;
}

static volatile double sink;

static void bench_models(size_t n) {
    double *x = malloc(n * sizeof *x), *w = malloc(n * sizeof *w);
    for (size_t i = 0; i < n; i++) {
        x[i] = 100 * uniform();
        w[i] = uniform();
    }
    double sq = 50, out;
    const char *names[] = {"compromise", "median", "nash"};
    for (int m = 0; m < 3; m++) {
        long reps = 0;
        double t0 = now(), t;
        do {
            for (int k = 0; k < 100; k++) {
                if (m == 0) pl_weighted_mean(x, w, n, &out);
                else if (m == 1) pl_weighted_median(x, w, n, &out);
                else pl_nash_bargaining(x, w, n, 0, 100, k & 1 ? &sq : NULL, &out, NULL);
                sink = out;
            }
            reps += 100;
            t = now() - t0;
        } while (t < 0.3);
        printf("%-10s %6zu actors: %12.0f issues/s (%.3g us each)\n", names[m], n, (double)reps / t,
               1e6 * t / (double)reps);
    }
    free(x);
    free(w);
}

static void bench_load(void) {
    size_t len;
    const char *text = pl_builtin_text("armistice-2025", &len);
    long reps = 0;
    double t0 = now(), t;
    do {
        pl_scenario *s = NULL;
        pl_forecast *f = NULL;
        pl_scenario_load_buffer(text, len, "b", NULL, &s);
        pl_forecast_run(s, NULL, &f);
        pl_forecast_free(f);
        pl_scenario_free(s);
        reps++;
        t = now() - t0;
    } while (t < 0.5);
    printf("load + validate + forecast armistice-2025 (%zu bytes): %.0f /s (%.3g ms each)\n", len,
           (double)reps / t, 1e3 * t / (double)reps);
}

int main(int argc, char **argv) {
    size_t sizes[16] = {10, 100, 1000, 10000};
    int n_sizes = 4;
    if (argc > 1) {
        n_sizes = 0;
        for (int i = 1; i < argc && n_sizes < 16; i++) sizes[n_sizes++] = (size_t)atol(argv[i]);
    }
    printf("parley %s baseline benchmark\n", pl_version());
    for (int i = 0; i < n_sizes; i++) bench_models(sizes[i]);
    bench_load();
    return 0;
}
