/*
** bench_sao.c: how fast negotiations are played out (pl_negotiate, the
** stacked alternating offers protocol).  Prints what it measured; never a
** test.
**
**   build/bench_sao [GENIUS_DIR]
**
** 1. Every run of ../shared/data/sao/reference.jsonl (Laptop and
**    ItexvsCypress, every ordered pair of agents, 100 rounds), timed one by
**    one against the time negmas took for the same run (its field
**    negmas_seconds): per domain the mean time per negotiation of each and
**    the ratio, and the slowest ratio of any run.
** 2. Boulware agents: two on Laptop (27 packages) and ItexvsCypress (180)
**    at 100 and 1,000 rounds, three on a generated 3-party space of 390,625
**    packages (8 issues x 5 options, GENIUS XML built in memory from
**    splitmix64 with a fixed seed) at 1,000 rounds; and two and three on
**    generated spaces of 10^10 packages (10 issues x 10 options), above
**    the cap, where the agents search instead of ranking (src/sim/search.c),
**    at 1,000 rounds.
** Each negotiation is complete: the agents rank the packages anew (as
** negmas's times include), then play.  Times are the thread's CPU time
** (the machine is shared), the best of 3 batches.
*/
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "parley.h"

#include "bench_space.h"

#ifndef PL_SHARED_DIR
#define PL_SHARED_DIR "../shared"
#endif

/* CPU time of this thread: the machine is shared, and a negotiation runs
** on one thread. */
static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static pl_space *load(const char *dir) {
    pl_space *sp = NULL;
    if (pl_space_load_genius_dir(dir, NULL, NULL, &sp) != PL_OK) {
        fprintf(stderr, "bench_sao: cannot read %s\n", dir);
        exit(1);
    }
    return sp;
}

/* Seconds per negotiation: as many as fit in about `seconds`, best of 3
** such batches. */
static double time_run(const pl_space *sp, const char *const *agents, size_t steps, double seconds,
                       size_t *step) {
    pl_negotiate_options o;
    memset(&o, 0, sizeof o);
    o.n_steps = steps;
    double best = 1e30;
    for (int batch = 0; batch < 3; batch++) {
        size_t n = 0;
        double t0 = now(), t;
        do {
            pl_negotiation *neg = NULL;
            if (pl_negotiate(sp, agents, pl_space_n_parties(sp), &o, NULL, &neg) != PL_OK) {
                fprintf(stderr, "bench_sao: a negotiation failed\n");
                exit(1);
            }
            *step = pl_negotiation_step(neg);
            pl_negotiation_free(neg);
            n++;
            t = now() - t0;
        } while (t < seconds);
        if (t / (double)n < best) best = t / (double)n;
    }
    return best;
}

static void bench(const char *title, const pl_space *sp, size_t steps, double seconds) {
    const char *agents[8];
    for (size_t p = 0; p < pl_space_n_parties(sp); p++) agents[p] = "boulware";
    size_t step = 0;
    double t = time_run(sp, agents, steps, seconds, &step);
    printf("%-40s %6zu  %6zu  %14.1f  %12.0f\n", title, steps, step, t * 1e6, 1 / t);
}

/* Part 1: the reference runs. */
static void reference(const char *genius_dir, const char *ref_path) {
    FILE *f = fopen(ref_path, "r");
    if (!f) {
        printf("(no %s: reference runs skipped)\n\n", ref_path);
        return;
    }
    enum { MAX_DOMAINS = 8 };
    char names[MAX_DOMAINS][64];
    double ours[MAX_DOMAINS], theirs[MAX_DOMAINS], worst[MAX_DOMAINS];
    size_t counts[MAX_DOMAINS], n_domains = 0;
    char line[1 << 16];
    while (fgets(line, sizeof line, f)) {
        json_error_t err;
        json_t *rec = json_loads(line, 0, &err);
        if (!rec) continue;
        const json_t *files = json_object_get(rec, "files"),
                     *agents = json_object_get(rec, "agents");
        size_t n = json_array_size(agents);
        char paths[9][1024];
        const char *profiles[8], *specs[8];
        for (size_t k = 0; k <= n && k < 9; k++) {
            snprintf(paths[k], sizeof paths[k], "%s/%s", genius_dir,
                     json_string_value(json_array_get(files, k)));
            if (k) profiles[k - 1] = paths[k];
        }
        for (size_t k = 0; k < n && k < 8; k++)
            specs[k] = json_string_value(json_array_get(agents, k));
        pl_space *sp = NULL;
        if (n < 2 || n > 8 ||
            pl_space_load_genius(paths[0], profiles, n, NULL, NULL, &sp) != PL_OK) {
            fprintf(stderr, "bench_sao: cannot read %s\n", paths[0]);
            exit(1);
        }
        size_t step;
        double t = time_run(sp, specs, (size_t)json_integer_value(json_object_get(rec, "steps")),
                            0.02, &step);
        double negmas = json_real_value(json_object_get(rec, "negmas_seconds"));
        const char *dom = json_string_value(json_object_get(rec, "domain"));
        size_t d = 0;
        while (d < n_domains && strcmp(names[d], dom) != 0) d++;
        if (d == n_domains && n_domains < MAX_DOMAINS) {
            snprintf(names[d], sizeof names[d], "%s", dom);
            ours[d] = theirs[d] = 0;
            worst[d] = 1e300;
            counts[d] = 0;
            n_domains++;
        }
        if (d < n_domains) {
            ours[d] += t;
            theirs[d] += negmas;
            if (negmas / t < worst[d]) worst[d] = negmas / t;
            counts[d]++;
        }
        pl_space_free(sp);
        json_decref(rec);
    }
    fclose(f);
    printf("The reference runs (every pair of agents, 100 rounds), each timed against negmas's "
           "time for it:\n");
    printf("%-16s %5s  %16s  %16s  %12s  %14s\n", "domain", "runs", "parley us/run",
           "negmas ms/run", "mean ratio", "slowest ratio");
    for (size_t d = 0; d < n_domains; d++)
        printf("%-16s %5zu  %16.1f  %16.2f  %11.0fx  %13.0fx\n", names[d], counts[d],
               ours[d] / (double)counts[d] * 1e6, theirs[d] / (double)counts[d] * 1e3,
               theirs[d] / ours[d], worst[d]);
    printf("(mean ratio: negmas's total time over parley's; slowest ratio: the run where parley "
           "gains least)\n\n");
}

int main(int argc, char **argv) {
    const char *dir = argc > 1 ? argv[1] : PL_SHARED_DIR "/data/genius";
    char path[1024];
    reference(dir, PL_SHARED_DIR "/data/sao/reference.jsonl");
    snprintf(path, sizeof path, "%s/Laptop", dir);
    pl_space *laptop = load(path);
    snprintf(path, sizeof path, "%s/ItexvsCypress", dir);
    pl_space *itex = load(path);
    printf("Boulware agents:\n");
    printf("%-40s %6s  %6s  %14s  %12s\n", "space", "rounds", "step", "us/negotiation",
           "per second");
    bench("Laptop (2 parties, 27 packages)", laptop, 100, 0.3);
    bench("Laptop (2 parties, 27 packages)", laptop, 1000, 0.3);
    bench("ItexvsCypress (2 parties, 180 packages)", itex, 100, 0.3);
    bench("ItexvsCypress (2 parties, 180 packages)", itex, 1000, 0.3);
    pl_space_free(laptop);
    pl_space_free(itex);
    pl_space *g3 = generated("bench_sao", NULL, 3, 8, 5);
    bench("generated (3 parties, 390,625 packages)", g3, 1000, 1.0);
    pl_space_free(g3);
    pl_space *b2 = generated("bench_sao", NULL, 2, 10, 10);
    bench("generated (2 parties, 10^10, searched)", b2, 1000, 1.0);
    pl_space_free(b2);
    pl_space *b3 = generated("bench_sao", NULL, 3, 10, 10);
    bench("generated (3 parties, 10^10, searched)", b3, 1000, 1.0);
    pl_space_free(b3);
    return 0;
}
