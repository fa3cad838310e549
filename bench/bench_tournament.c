/*
** bench_tournament.c: how fast a tournament of 10,000 negotiations runs
** (pl_tournament_run), against the same 10,000 negotiations played one by
** one with pl_negotiate, which ranks every profile anew each time.  Prints
** what it measured; never a test.
**
**   build/bench_tournament [GENIUS_DIR]
**
** On Laptop (27 packages) and ItexvsCypress (180), five agents (boulware,
** linear, conceder, tit-for-tat, micro): 25 assignments x 400 repeats =
** 10,000 negotiations of 100 rounds, stacked alternating offers and the
** single text; the tournament on 1 and 2 threads (wall time, best of 3:
** the pool's threads run in parallel), one by one on 1 (thread CPU time,
** best of 3).
*/
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "parley.h"

#ifndef PL_SHARED_DIR
#define PL_SHARED_DIR "../shared"
#endif

#define REPEAT 400

static double wall(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double cpu(void) {
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static const char *const agents[5] = {"boulware", "linear", "conceder", "tit-for-tat", "micro"};

static double tournament(const pl_space *sp, pl_protocol protocol, unsigned threads, uint64_t *n,
                         uint64_t *agreed) {
    double best = 1e300;
    for (int k = 0; k < 3; k++) {
        pl_tournament_options o;
        memset(&o, 0, sizeof o);
        o.repeat = REPEAT;
        o.n_threads = threads;
        o.negotiate.protocol = protocol;
        pl_tournament *t = NULL;
        double t0 = wall();
        if (pl_tournament_run(&sp, 1, agents, 5, &o, NULL, &t) != PL_OK) {
            fprintf(stderr, "bench_tournament: the tournament failed\n");
            exit(1);
        }
        double dt = wall() - t0;
        if (dt < best) best = dt;
        *n = pl_tournament_n_negotiations(t);
        *agreed = pl_tournament_n_agreements(t);
        pl_tournament_free(t);
    }
    return best;
}

/* The same negotiations one by one (each ranks anew), without the
** distances to the frontier. */
static double one_by_one(const pl_space *sp, pl_protocol protocol) {
    double best = 1e300;
    for (int k = 0; k < 3; k++) {
        double t0 = cpu();
        for (size_t a = 0; a < 25; a++)
            for (size_t r = 0; r < REPEAT; r++) {
                const char *specs[2] = {agents[a / 5], agents[a % 5]};
                pl_negotiate_options o;
                memset(&o, 0, sizeof o);
                o.protocol = protocol;
                o.seed = r;
                pl_negotiation *neg = NULL;
                if (pl_negotiate(sp, specs, 2, &o, NULL, &neg) != PL_OK) exit(1);
                pl_negotiation_free(neg);
            }
        double dt = cpu() - t0;
        if (dt < best) best = dt;
    }
    return best;
}

int main(int argc, char **argv) {
    const char *root = argc > 1 ? argv[1] : PL_SHARED_DIR "/data/genius";
    static const char *const domains[2] = {"Laptop", "ItexvsCypress"};
    printf("%-14s %-12s %12s %12s %12s %14s %10s\n", "domain", "protocol", "negotiations",
           "1 thread s", "2 threads s", "one by one s", "agreements");
    for (int d = 0; d < 2; d++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", root, domains[d]);
        pl_space *sp = NULL;
        if (pl_space_load_genius_dir(path, NULL, NULL, &sp) != PL_OK) {
            fprintf(stderr, "bench_tournament: cannot read %s\n", path);
            return 1;
        }
        for (int p = 0; p < 2; p++) {
            pl_protocol protocol = p ? PL_PROTOCOL_SINGLE_TEXT : PL_PROTOCOL_SAO;
            uint64_t n = 0, agreed = 0;
            double t1 = tournament(sp, protocol, 1, &n, &agreed);
            double t2 = tournament(sp, protocol, 2, &n, &agreed);
            double tb = one_by_one(sp, protocol);
            printf("%-14s %-12s %12llu %12.3f %12.3f %14.3f %10llu\n", domains[d],
                   pl_protocol_name(protocol), (unsigned long long)n, t1, t2, tb,
                   (unsigned long long)agreed);
        }
        pl_space_free(sp);
    }
    return 0;
}
