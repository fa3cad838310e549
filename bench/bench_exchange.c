/*
** bench_exchange.c: the exchange model's speed (models/model_exchange.c).
**
** 1. 30 actors x 20 issues x 10 rounds (issue 15): random stakes
**    (splitmix64, fixed seed): every actor on every issue, positions uniform
**    on [0, 100], saliences on [0.05, 1], powers on [0.1, 1]; one run (p = 0)
**    repeated until `seconds` have passed; time per run and per round, and
**    the exchanges carried out.
** 2. decide's sample (../shared/data/exchange/sample_data.txt, 10 rounds,
**    p = 0), when the shared folder is there: time per run, beside decide's
**    2.01 s for the same run (sweep-sample_data.json, "seconds" at p = 0,
**    Python 3.11 with Decimal) and the ratio.
** 3. 1,000 repetitions of the randomised model (p = 0.25) on the sample, on
**    one thread and on all of them (identical results).
**
** Usage: bench_exchange [seconds]
*/
#define _POSIX_C_SOURCE 200809L

#include <parley.h>

#include "models/exchange_data.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define DECIDE_SAMPLE_SECONDS 2.01

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

static pl_exchange_data *random_data(size_t na, size_t ni, uint64_t seed) {
    pl_exchange_data *d = exchange_data_alloc(na, ni);
    if (!d) return NULL;
    char id[32];
    for (size_t a = 0; a < na; a++) {
        snprintf(id, sizeof id, "a%zu", a);
        d->actor_ids[a] = exchange_strndup(id, strlen(id));
        d->actor_names[a] = exchange_strndup(id, strlen(id));
    }
    for (size_t k = 0; k < ni; k++) {
        snprintf(id, sizeof id, "i%zu", k);
        d->issue_ids[k] = exchange_strndup(id, strlen(id));
        d->lower[k] = 0;
        d->upper[k] = 100;
    }
    for (size_t ix = 0; ix < na * ni; ix++) {
        d->has[ix] = 1;
        d->x[ix] = 100 * uniform01(&seed);
        d->s[ix] = 0.05 + 0.95 * uniform01(&seed);
        d->c[ix] = 0.1 + 0.9 * uniform01(&seed);
    }
    return d;
}

/* Runs until `seconds` have passed; seconds per run, exchanges per run. */
static int time_runs(const pl_exchange_data *d, unsigned rounds, double seconds, double *per_run,
                     size_t *made) {
    pl_exchange_options o;
    pl_exchange_options_init(&o);
    o.rounds = rounds;
    size_t runs = 0;
    double start = now_seconds(), t;
    do {
        pl_exchange_result *res = NULL;
        if (pl_exchange_run(d, &o, &res) != PL_OK) return 1;
        *made = 0;
        for (size_t r = 1; r <= rounds; r++) {
            size_t n;
            pl_exchange_result_exchanges(res, r, &n);
            *made += n;
        }
        pl_exchange_result_free(res);
        runs++;
    } while ((t = now_seconds() - start) < seconds);
    *per_run = t / (double)runs;
    return 0;
}

int main(int argc, char **argv) {
    double seconds = argc > 1 ? atof(argv[1]) : 1.0;
    if (!(seconds > 0)) seconds = 1.0;
    pl_exchange_data *d = random_data(30, 20, 15);
    double per_run;
    size_t made;
    if (!d || time_runs(d, 10, seconds, &per_run, &made)) return 1;
    printf("30 actors x 20 issues x 10 rounds: %.1f ms per run, %.2f ms per round, "
           "%zu exchanges carried out\n",
           per_run * 1e3, per_run * 1e2, made);
    pl_exchange_data_free(d);

    const char *path = PL_SHARED_DIR "/data/exchange/sample_data.txt";
    pl_exchange_data *sample = NULL;
    if (pl_exchange_read_file(path, NULL, &sample) != PL_OK) {
        printf("decide's sample: %s not found, skipped\n", path);
        return 0;
    }
    if (time_runs(sample, 10, seconds, &per_run, &made)) return 1;
    printf("decide's sample (10 actors x 6 issues x 10 rounds): %.3f ms per run, %zu exchanges; "
           "decide %.2f s: %.0f times faster\n",
           per_run * 1e3, made, DECIDE_SAMPLE_SECONDS, DECIDE_SAMPLE_SECONDS / per_run);
    unsigned threads[2] = {1, 0};
    for (int k = 0; k < 2; k++) {
        pl_exchange_options o;
        pl_exchange_options_init(&o);
        o.p = 0.25;
        o.repetitions = 1000;
        o.n_threads = threads[k];
        pl_exchange_dist *dist = NULL;
        double start = now_seconds();
        if (pl_exchange_repeat(sample, &o, &dist) != PL_OK) return 1;
        double t = now_seconds() - start;
        pl_mc_stats st;
        pl_exchange_dist_summary(dist, 0, &st);
        printf("1,000 repetitions at p = 0.25 on %s: %.2f s (%s mean %.12g)\n",
               threads[k] == 1 ? "1 thread" : "every core", t, pl_exchange_data_issue(sample, 0),
               st.mean);
        pl_exchange_dist_free(dist);
    }
    pl_exchange_data_free(sample);
    return 0;
}
