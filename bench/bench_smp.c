/*
** bench_smp.c: the spatial model of politics, in two tables.
**
** 1. Every KTAB example file: wall time with one thread and with every
**    core, and a check that both give bit-identical trajectories.  KTAB's
**    own times on this machine kind are in ../shared/data/ktab/README.md
**    (160 actors: 825 s).
** 2. Generated scenarios of 80, 160, 500 and 1,000 actors (and 2,000 with
**    --big, which takes many minutes) shaped like KTAB's dummyData-a040/
**    a080/a160: one dimension, capabilities, positions and saliences drawn from distributions fitted
**    to dummyData-a160 (gen_ktab_csv below), written as KTAB CSV and read
**    back through the reader.  Each size runs in a child process of its
**    own, with 1 and with 2 threads: turns, wall time, user CPU time, the
**    child's peak resident memory, and whether both runs are bit-identical.
**
**     bench_smp [--big] [DIR]   both tables (DIR: the KTAB files; default
**                               PL_SHARED_DIR/data/ktab, or ../shared/data/ktab
**                               beside the sources)
**     bench_smp --gen N,N,...   table 2 only, for these sizes (3..2000)
**     bench_smp --csv N         print the generated N-actor file and exit
**     bench_smp --sums ktab|fast|auto ...   the generated runs' sums (the
**                               default: auto, KTAB's order up to 250 actors)
**
** A file of the README's table that is missing is replaced by a synthetic
** input of the same size (marked "synthetic").
*/
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
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

/* User CPU time of this process (all its threads), in seconds. */
static double user_cpu(void) {
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + 1e-6 * (double)ru.ru_utime.tv_usec;
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

/* ------------------------------------------------------------------------
** Generated scenarios like KTAB's dummyData
*/

/* A standard normal draw (Box-Muller, the cosine half). */
static double normal(uint64_t *x) {
    double u1 = uniform(x, 0x1.0p-53, 1.0), u2 = uniform(x, 0.0, 1.0);
    return sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2);
}

static double clamp(double v, double lo, double hi) { return v < lo ? lo : v > hi ? hi : v; }

/* KTAB's dummyData-aNNN shape: scenario "XYZ" on one dimension, actors
** Act-1001.. with descriptions Desc-1001.., every number with 2 decimals.
** The distributions are fitted to dummyData-a160 (quartiles of capability
** 0.64 / 1.3 / 2.6, range 0.13-5.24; position 56 / 65 / 73, range 34-99;
** salience 27 / 42 / 57, range 5-99): capability lognormal with median
** 1.3 and sigma 1 in [0.1, 5.5], position normal(65, 12) in [30, 99],
** salience normal(42, 19) in [5, 99].  Seeded by N alone.  Returns a
** malloc'd text. */
static char *gen_ktab_csv(size_t n) {
    size_t size = 64 + 64 * n, len = 0;
    char *text = malloc(size);
    if (!text) return NULL;
    uint64_t seed = 0x5EED0000u + n;
    len += (size_t)snprintf(text, size, "XYZ,  XYZ Issue,  %zu,  1,  \n", n);
    len += (size_t)snprintf(text + len, size - len,
                            "Actor,  Description,  Influence,  XYZ Position,  XYZ Salience\n");
    for (size_t i = 0; i < n; i++) {
        double cap = clamp(1.3 * exp(normal(&seed)), 0.1, 5.5);
        double pos = clamp(65 + 12 * normal(&seed), 30, 99);
        double sal = clamp(42 + 19 * normal(&seed), 5, 99);
        len += (size_t)snprintf(text + len, size - len, "Act-%zu,  Desc-%zu,  %.2f,  %.2f,  %.2f\n",
                                1001 + i, 1001 + i, cap, pos, sal);
    }
    return text;
}

static pl_smp_data *generated(size_t n) {
    char *text = gen_ktab_csv(n);
    pl_smp_data *d = NULL;
    if (text && pl_smp_read_ktab_buffer(text, strlen(text), "generated", NULL, &d) != PL_OK)
        d = NULL;
    free(text);
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

/* One run; its wall and user CPU seconds. */
/* How the generated runs add their large sums (--sums; docs/models/smp.md,
** "Fast sums"): the default is the library's (KTAB's order up to 250
** actors, fast above). */
static pl_smp_sums bench_sums = PL_SMP_SUMS_AUTO;

static const char *sums_used(size_t n) {
    if (bench_sums == PL_SMP_SUMS_KTAB) return "ktab";
    if (bench_sums == PL_SMP_SUMS_FAST) return "fast";
    return n > PL_SMP_KTAB_MAX_ACTORS ? "fast" : "ktab";
}

static pl_smp_result *run_once(const pl_smp_data *d, unsigned threads, double *wall, double *cpu) {
    pl_smp_options o;
    pl_smp_options_init(&o);
    o.n_threads = threads;
    o.sums = bench_sums;
    pl_smp_result *res = NULL;
    double c0 = user_cpu(), t0 = now();
    pl_status rc = pl_smp_run(d, &o, NULL, &res);
    *wall = now() - t0;
    *cpu = user_cpu() - c0;
    if (rc != PL_OK) {
        fprintf(stderr, "bench_smp: run failed: %s\n", pl_strerror(rc));
        exit(1);
    }
    return res;
}

/* The best of `reps` runs. */
static double timed(const pl_smp_data *d, unsigned threads, int reps, pl_smp_result **keep) {
    double best = 1e30;
    for (int r = 0; r < reps; r++) {
        double t, cpu;
        pl_smp_result *res = run_once(d, threads, &t, &cpu);
        if (t < best) best = t;
        if (r == reps - 1 && keep) *keep = res;
        else pl_smp_result_free(res);
    }
    return best;
}

static void ktab_table(const char *dir) {
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
            if (!d) exit(1);
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
    printf("%-16s %7s %5s %6s %9.4fs %9.4fs %7.2fx\n\n", "total", "", "", "", total1, totaln,
           total1 / totaln);
}

/* One generated size, in this (child) process: one run with 1 thread and
** one with 2, then the process's peak resident memory. */
static int gen_row(size_t n) {
    pl_smp_data *d = generated(n);
    if (!d) {
        fprintf(stderr, "bench_smp: cannot make the %zu-actor input\n", n);
        return 1;
    }
    double w1, c1, w2, c2;
    pl_smp_result *one = run_once(d, 1, &w1, &c1);
    pl_smp_result *two = run_once(d, 2, &w2, &c2);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("%7zu %5s %6zu %9.3fs %9.3fs %9.3fs %9.3fs %9.1f %10s\n", n, sums_used(n),
           pl_smp_result_n_turns(one), w1, c1, w2, c2, (double)ru.ru_maxrss / 1024.0,
           identical(one, two) ? "yes" : "NO");
    fflush(stdout);
    pl_smp_result_free(one);
    pl_smp_result_free(two);
    pl_smp_data_free(d);
    return 0;
}

static void gen_table(const size_t *sizes, size_t n_sizes) {
    printf(
        "generated scenarios like KTAB's dummyData (1 dimension; bench_smp --csv N prints one)\n");
    printf(
        "one run each; user CPU is summed over the run's threads; peak RSS of a child process\n");
    printf("that made the input and ran both (MiB)\n\n");
    printf("%7s %5s %6s %10s %10s %10s %10s %9s %10s\n", "actors", "sums", "turns", "1 thr wall",
           "1 thr CPU", "2 thr wall", "2 thr CPU", "RSS MiB", "identical");
    fflush(stdout);
    for (size_t s = 0; s < n_sizes; s++) {
        pid_t pid = fork();
        if (pid == 0) _exit(gen_row(sizes[s]));
        int status = 0;
        if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
            WEXITSTATUS(status) != 0)
            printf("%7zu  failed\n", sizes[s]);
    }
}

static void default_dir(char *dir, size_t size) {
    if (PL_SHARED_DIR[0]) {
        snprintf(dir, size, "%s/data/ktab", PL_SHARED_DIR);
        return;
    }
    /* beside the sources: <repo>/bench/bench_smp.c -> <repo>/../shared */
    snprintf(dir, size, "%s", __FILE__);
    char *slash = strrchr(dir, '/');
    if (slash) *slash = 0;
    slash = strrchr(dir, '/');
    if (slash) *slash = 0;
    else snprintf(dir, size, ".");
    size_t len = strlen(dir);
    snprintf(dir + len, size - len, "/../shared/data/ktab");
}

static size_t parse_size(const char *s) {
    char *end;
    unsigned long v = strtoul(s, &end, 10);
    if (end == s || (*end && *end != ',') || v < PL_SMP_MIN_ACTORS || v > PL_SMP_MAX_ACTORS) {
        fprintf(stderr, "bench_smp: expected a number of actors from %d to %d, found \"%s\"\n",
                PL_SMP_MIN_ACTORS, PL_SMP_MAX_ACTORS, s);
        exit(2);
    }
    return (size_t)v;
}

int main(int argc, char **argv) {
    size_t sizes[16] = {80, 160, 500, 1000}, n_sizes = 4;
    int argi = 1, ktab = 1;
    if (argc > 2 && strcmp(argv[1], "--csv") == 0) {
        char *text = gen_ktab_csv(parse_size(argv[2]));
        if (!text) return 1;
        fputs(text, stdout);
        free(text);
        return 0;
    }
    if (argc > 2 && strcmp(argv[1], "--sums") == 0) {
        bench_sums = strcmp(argv[2], "ktab") == 0   ? PL_SMP_SUMS_KTAB
                     : strcmp(argv[2], "fast") == 0 ? PL_SMP_SUMS_FAST
                                                    : PL_SMP_SUMS_AUTO;
        argv += 2;
        argc -= 2;
    }
    if (argc > 1 && strcmp(argv[1], "--big") == 0) {
        sizes[n_sizes++] = 2000;
        argi++;
    } else if (argc > 2 && strcmp(argv[1], "--gen") == 0) {
        ktab = 0;
        n_sizes = 0;
        for (const char *p = argv[2]; p && n_sizes < 16;
             p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL)
            sizes[n_sizes++] = parse_size(p);
        argi += 2;
    }
    char dir[1024];
    if (argc > argi) snprintf(dir, sizeof dir, "%s", argv[argi]);
    else default_dir(dir, sizeof dir);
    if (ktab) ktab_table(dir);
    fflush(stdout);
    gen_table(sizes, n_sizes);
    return 0;
}
