/*
** bench_report.c: how long `parley report` takes, the figures and the
** rendering apart, and how large the file is.  Prints what it measured;
** never a test.
**
**   build/bench_report [SHARED_DIR]
**
** Cases, each as the command computes it (1000 Monte Carlo runs of the
** sticky model, the EUM
** and the spatial model round by round, the compromise sensitivity, the
** agreement space with a 4000-package sample when there are at most 20
** parties), median of 5 repeats:
**   - the built-in scenario armistice-2025 (7 actors, 7 issues);
**   - KTAB's dummyData-a160.csv (160 actors, 1 issue; no agreement space);
**   - ANAC's EnergyA (2 parties, 390,625 packages): the agreement space
**     alone, drawn from a sample plus the whole frontier.
*/
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "parley.h"

#ifndef PL_SHARED_DIR
#define PL_SHARED_DIR "../shared"
#endif

#define REPEATS 5

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int cmp(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v) {
    qsort(v, REPEATS, sizeof *v, cmp);
    return v[REPEATS / 2];
}

static void check(pl_status rc, const char *what) {
    if (rc != PL_OK) {
        fprintf(stderr, "bench_report: %s: %s\n", what, pl_strerror(rc));
        exit(1);
    }
}

typedef struct figs {
    pl_forecast *f;
    pl_mc *mc;
    pl_eum_trace *eum;
    pl_smp_data *data;
    pl_smp_result *smp;
    pl_sensitivity *sens;
    pl_space *sp;
    pl_deals *deals;
    pl_deals_sample *sample;
} figs;

static void figs_free(figs *g) {
    pl_forecast_free(g->f);
    pl_mc_free(g->mc);
    pl_eum_trace_free(g->eum);
    pl_smp_result_free(g->smp);
    pl_smp_data_free(g->data);
    pl_sensitivity_free(g->sens);
    pl_deals_sample_free(g->sample);
    pl_deals_free(g->deals);
    pl_space_free(g->sp);
    memset(g, 0, sizeof *g);
}

static void space_figures(figs *g) {
    pl_deals_options o;
    pl_deals_options_init(&o);
    check(pl_deals_run(g->sp, &o, NULL, &g->deals), "deals");
    check(pl_deals_sample_run(g->sp, 4000, 1, &g->sample), "sample");
}

static void scenario_figures(const pl_scenario *s, figs *g) {
    check(pl_forecast_run(s, NULL, &g->f), "forecast");
    pl_mc_options mo;
    pl_mc_options_init(&mo);
    memset(mo.models, 0, sizeof mo.models); /* as the command: the lead model's band */
    mo.models[PL_MODEL_STICKY] = 1;
    check(pl_mc_run(s, &mo, &g->mc), "Monte Carlo");
    pl_forecast_options fo;
    pl_forecast_options_init(&fo);
    check(pl_eum_trace_run(s, &fo.eum, &g->eum), "EUM");
    if (pl_smp_data_from_scenario(s, PL_SMP_SAL_CAP, NULL, &g->data) == PL_OK)
        check(pl_smp_run(g->data, NULL, NULL, &g->smp), "SMP");
    check(pl_sensitivity_run(s, PL_MODEL_COMPROMISE, NULL, &g->sens), "sensitivity");
    if (pl_scenario_n_actors(s) <= 20) {
        check(pl_space_from_scenario(s, NULL, &g->sp), "space");
        space_figures(g);
    }
}

static void run(const char *name, const pl_scenario *s, const char *genius_dir) {
    double t_fig[REPEATS], t_html[REPEATS];
    size_t bytes = 0;
    for (int k = 0; k < REPEATS; k++) {
        figs g;
        memset(&g, 0, sizeof g);
        double t0 = now();
        if (s) {
            scenario_figures(s, &g);
        } else {
            check(pl_space_load_genius_dir(genius_dir, NULL, NULL, &g.sp), genius_dir);
            space_figures(&g);
        }
        double t1 = now();
        pl_report_figures f;
        pl_report_figures_init(&f);
        f.scenario = s;
        f.forecast = g.f;
        f.mc = g.mc;
        f.eum = g.eum;
        f.smp_data = g.smp ? g.data : NULL;
        f.smp = g.smp;
        f.sensitivity = g.sens;
        f.space = g.sp;
        f.deals = g.deals;
        f.sample = g.sample;
        char *html = NULL;
        check(pl_report_html(&f, &html), "HTML");
        double t2 = now();
        bytes = strlen(html);
        pl_free(html);
        figs_free(&g);
        t_fig[k] = t1 - t0;
        t_html[k] = t2 - t1;
    }
    double a = median(t_fig), b = median(t_html);
    printf("%-34s figures %8.3f s   HTML %8.4f s   total %8.3f s   %9zu bytes\n", name, a, b, a + b,
           bytes);
}

int main(int argc, char **argv) {
    const char *shared = argc > 1 ? argv[1] : PL_SHARED_DIR;
    printf("parley report: median of %d runs (figures as the command computes them, then the "
           "HTML)\n",
           REPEATS);
    pl_scenario *s = NULL;
    check(pl_scenario_load_builtin("armistice-2025", NULL, &s), "built-in");
    run("armistice-2025 (7 actors, 7 issues)", s, NULL);
    pl_scenario_free(s);
    char path[1024];
    snprintf(path, sizeof path, "%s/data/ktab/dummyData-a160.csv", shared);
    pl_smp_data *d = NULL;
    if (pl_smp_read_ktab_file(path, NULL, &d) == PL_OK) {
        check(pl_smp_data_to_scenario(d, &s), "KTAB scenario");
        run("KTAB dummyData-a160 (160 actors)", s, NULL);
        pl_scenario_free(s);
        pl_smp_data_free(d);
    } else {
        printf("%s: not found, skipped\n", path);
    }
    snprintf(path, sizeof path, "%s/data/genius/EnergyA", shared);
    run("GENIUS EnergyA (390,625 packages)", NULL, path);
    return 0;
}
