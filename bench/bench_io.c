/*
** bench_io.c: how fast the readers take large inputs (they must be linear
** in the size of the file).  Writes generated files to a temporary folder,
** reads each through the library's file entry points (what `validate`,
** `smp` and `deals --genius` do) and prints the time.  Never a test.
**
**   build/bench_io [CASE...]
**
** Cases (all by default): csv-100k, csv-1m (one-issue CSV, 100,000 and
** 1,000,000 actor rows), json-200k (a scenario of 100,000 actors on 2
** issues: 200,000 positions), deu-100k (100,000 DEU issue lines of 30
** actors), ktab-100k (KTAB, 250 actors x 400 dimensions), genius-100k (a
** GENIUS domain with one issue of 100,000 values, and a profile),
** genius-10k-issues (10,000 issues of 10 values, and a profile).
*/
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "parley.h"

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Processor time of the process: the machine may be shared. */
static double cpu(void) {
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double t0, c0;
static void start(void) {
    t0 = now();
    c0 = cpu();
}

static char dir[64];

static FILE *create(const char *name, char *path, size_t size) {
    snprintf(path, size, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (!f) {
        perror(path);
        exit(1);
    }
    return f;
}

static void done(FILE *f, const char *path) {
    if (fclose(f) != 0) {
        perror(path);
        exit(1);
    }
}

static void result(const char *what, size_t n, const char *unit, pl_status rc, pl_diags *diags) {
    double wall = now() - t0, proc = cpu() - c0;
    printf("%-18s %8zu %-9s %8.3f s (processor %.3f s)  %s, %zu diagnostics\n", what, n, unit, wall,
           proc, rc == PL_OK ? "ok" : pl_strerror(rc), pl_diags_count(diags));
    fflush(stdout);
}

/* Time reading the scenario at path (a DEU table when deu), print the
** figure and remove the file. */
static void time_scenario(const char *what, size_t n, const char *unit, const char *path, int deu) {
    pl_diags *diags = NULL;
    pl_scenario *s = NULL;
    if (pl_diags_new(&diags) != PL_OK) exit(1);
    start();
    pl_status rc = deu ? pl_scenario_load_deu_file(path, NULL, diags, &s, NULL)
                       : pl_scenario_load_file(path, diags, &s);
    result(what, n, unit, rc, diags);
    pl_scenario_free(s);
    pl_diags_free(diags);
    remove(path);
}

static void bench_csv(const char *what, size_t n) {
    char path[128];
    FILE *f = create("actors.csv", path, sizeof path);
    fprintf(f, "Actor,Capability,Position,Salience\n");
    for (size_t i = 0; i < n; i++)
        fprintf(f, "Actor %zu,%zu,%zu,%g\n", i, 1 + i % 97, i % 101, 0.01 * (double)(i % 100));
    done(f, path);
    time_scenario(what, n, "rows", path, 0);
}

static void bench_json(const char *what, size_t n) {
    char path[128];
    FILE *f = create("scenario.json", path, sizeof path);
    fprintf(f, "{\"parley\": 1, \"id\": \"big\", \"name\": \"Big\",\n"
               " \"sources\": [{\"id\": \"s1\", \"title\": \"A source\"}],\n \"actors\": [\n");
    for (size_t i = 0; i < n; i++)
        fprintf(f,
                "  {\"id\": \"a%zu\", \"name\": \"Actor %zu\", \"capability\": %zu, "
                "\"assumption\": \"generated\"}%s\n",
                i, i, 1 + i % 97, i + 1 < n ? "," : "");
    fprintf(f, " ],\n \"issues\": [\n");
    for (int k = 0; k < 2; k++)
        fprintf(f,
                "  {\"id\": \"i%d\", \"name\": \"Issue %d\", \"scale\": {\"min\": 0, "
                "\"max\": 100, \"min_label\": \"none\", \"max_label\": \"all\"}}%s\n",
                k, k, k ? "" : ",");
    fprintf(f, " ],\n \"positions\": [\n");
    for (size_t i = 0; i < n; i++)
        for (int k = 0; k < 2; k++)
            fprintf(f,
                    "  {\"actor\": \"a%zu\", \"issue\": \"i%d\", \"position\": %zu, "
                    "\"salience\": %zu, \"evidence\": [{\"quote\": \"q\", \"source\": "
                    "\"s1\"}]}%s\n",
                    i, k, i % 101, i % 100, i + 1 < n || k == 0 ? "," : "");
    fprintf(f, " ]\n}\n");
    done(f, path);
    time_scenario(what, 2 * n, "positions", path, 0);
}

static const char *const deu_ids[30] = {
    "com", "ep", "at", "be", "bu", "cr", "cy", "cz", "dk", "ee", "fi", "fr", "de", "el", "hu",
    "ie",  "it", "lv", "lt", "lu", "mt", "nl", "pl", "pt", "ro", "si", "sk", "es", "se", "uk"};

static void bench_deu(const char *what, size_t n) {
    char path[128];
    FILE *f = create("deu.tsv", path, sizeof path);
    fprintf(f, "isnr\tprname\tproc\tcounvte\trp\tout");
    for (int a = 0; a < 30; a++) fprintf(f, "\tp%s\ts%s", deu_ids[a], deu_ids[a]);
    fprintf(f, "\n");
    for (size_t i = 0; i < n; i++) {
        fprintf(f, "%zu\tproposal %zu\tCOD\tQMV\t%zu\t%zu", i + 1, i / 3, i % 100, (i * 7) % 101);
        for (int a = 0; a < 30; a++)
            fprintf(f, "\t%zu\t%zu", (i + (size_t)a * 13) % 101, (i + (size_t)a) % 100);
        fprintf(f, "\n");
    }
    done(f, path);
    time_scenario(what, n, "issues", path, 1);
}

static void bench_ktab(const char *what, size_t n_actors, size_t n_dims) {
    char path[128];
    FILE *f = create("ktab.csv", path, sizeof path);
    fprintf(f, "Big,Generated,%zu,%zu,\nActor,Description,Power", n_actors, n_dims);
    for (size_t k = 0; k < n_dims; k++) fprintf(f, ",D%zu,SalD%zu", k, k);
    fprintf(f, ",\n");
    for (size_t i = 0; i < n_actors; i++) {
        fprintf(f, "A%zu,Actor %zu,%zu", i, i, 1 + i % 97);
        for (size_t k = 0; k < n_dims; k++) fprintf(f, ",%zu,0.2", (i + k) % 101);
        fprintf(f, ",\n");
    }
    done(f, path);
    pl_diags *diags = NULL;
    pl_smp_data *d = NULL;
    if (pl_diags_new(&diags) != PL_OK) exit(1);
    start();
    pl_status rc = pl_smp_read_ktab_file(path, diags, &d);
    result(what, n_actors * n_dims, "stakes", rc, diags);
    pl_smp_data_free(d);
    pl_diags_free(diags);
    remove(path);
}

/* A GENIUS domain of n_issues discrete issues of n_values values, and one
** profile over it. */
static void bench_genius(const char *what, size_t n_issues, size_t n_values) {
    char dom[128], prof[128];
    FILE *f = create("domain.xml", dom, sizeof dom);
    fprintf(f,
            "<negotiation_template>\n<utility_space number_of_issues=\"%zu\">\n"
            "<objective index=\"0\" name=\"big\" type=\"objective\">\n",
            n_issues);
    for (size_t i = 0; i < n_issues; i++) {
        fprintf(f, "<issue index=\"%zu\" name=\"issue %zu\" type=\"discrete\">\n", i + 1, i);
        for (size_t v = 0; v < n_values; v++)
            fprintf(f, "<item index=\"%zu\" value=\"value %zu\"/>\n", v + 1, v);
        fprintf(f, "</issue>\n");
    }
    fprintf(f, "</objective>\n</utility_space>\n</negotiation_template>\n");
    done(f, dom);
    f = create("party.xml", prof, sizeof prof);
    fprintf(f, "<utility_space>\n<objective index=\"0\" name=\"big\">\n");
    /* issues and values in reverse order: no lookup finds its match first */
    for (size_t i = n_issues; i-- > 0;) {
        fprintf(f, "<issue index=\"%zu\" name=\"issue %zu\" type=\"discrete\">\n", i + 1, i);
        for (size_t v = n_values; v-- > 0;)
            fprintf(f, "<item value=\"value %zu\" evaluation=\"%zu\"/>\n", v,
                    1 + (v * 7 + i) % 100);
        fprintf(f, "</issue>\n");
    }
    for (size_t i = n_issues; i-- > 0;)
        fprintf(f, "<weight index=\"%zu\" value=\"%zu\"/>\n", i + 1, 1 + i % 10);
    fprintf(f, "</objective>\n<reservation value=\"0.1\"/>\n</utility_space>\n");
    done(f, prof);
    pl_diags *diags = NULL;
    pl_space *sp = NULL;
    if (pl_diags_new(&diags) != PL_OK) exit(1);
    const char *profiles[1] = {prof};
    start();
    pl_status rc = pl_space_load_genius(dom, profiles, 1, NULL, diags, &sp);
    result(what, n_issues * n_values, "values", rc, diags);
    pl_space_free(sp);
    pl_diags_free(diags);
    remove(dom);
    remove(prof);
}

static int wanted(int argc, char **argv, const char *name) {
    if (argc < 2) return 1;
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], name) == 0) return 1;
    return 0;
}

int main(int argc, char **argv) {
    snprintf(dir, sizeof dir, "/tmp/bench_io.XXXXXX");
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    printf("reading generated files (%s)\n", dir);
    if (wanted(argc, argv, "csv-100k")) bench_csv("csv-100k", 100000);
    if (wanted(argc, argv, "csv-1m")) bench_csv("csv-1m", 1000000);
    if (wanted(argc, argv, "json-200k")) bench_json("json-200k", 100000);
    if (wanted(argc, argv, "deu-100k")) bench_deu("deu-100k", 100000);
    if (wanted(argc, argv, "ktab-100k")) bench_ktab("ktab-100k", 250, 400);
    if (wanted(argc, argv, "genius-100k")) bench_genius("genius-100k", 1, 100000);
    if (wanted(argc, argv, "genius-10k-issues")) bench_genius("genius-10k-issues", 10000, 10);
    rmdir(dir);
    return 0;
}
