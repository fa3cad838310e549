/*
** cmd_exchange.c: `parley forecast --model exchange`: Stokman's exchange
** model on a decide data file or on any scenario parley reads -- one run
** with every round and exchange, or (--p, --sweep) the randomised model's
** distribution over repetitions.
*/
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The model's input: a decide file read as it is, else a scenario
** converted.  0 or an exit code. */
int cli_load_exchange(const cli_opts *opts, const char *name, pl_exchange_data **out) {
    *out = NULL;
    pl_diags *diags = NULL;
    pl_status rc = pl_diags_new(&diags);
    if (rc != PL_OK) return cli_fail(rc, name);
    int code = 0;
    if (pl_input_format_of(name) == PL_INPUT_DECIDE) {
        rc = pl_exchange_read_file(name, diags, out);
    } else {
        pl_scenario *s = NULL;
        code = cli_load(name, opts, &s);
        if (!code) rc = pl_exchange_data_from_scenario(s, diags, out);
        pl_scenario_free(s);
    }
    if (!code) {
        if (rc == PL_ENOMEM) code = cli_fail(rc, name);
        else {
            cli_print_diags(diags, !opts->quiet || rc != PL_OK);
            if (rc != PL_OK) code = EXIT_INPUT;
        }
    }
    pl_diags_free(diags);
    return code;
}

/* --sweep START:STEP:STOP into at most 1001 values of p. */
static int parse_sweep(const char *v, double *ps, size_t *n) {
    double a, s, b;
    char tail;
    if (sscanf(v, "%lf:%lf:%lf%c", &a, &s, &b, &tail) != 3 || !(a >= 0 && a <= 1) ||
        !(b >= a && b <= 1) || !(s > 0)) {
        fprintf(stderr,
                "parley forecast: --sweep: expected START:STEP:STOP with 0 <= START <= STOP "
                "<= 1 and STEP > 0, found \"%s\"\n",
                v);
        return 0;
    }
    *n = 0;
    for (size_t k = 0;; k++) {
        double p = a + (double)k * s;
        if (p > b + 1e-9 * s) break;
        if (*n == 1001) {
            fprintf(stderr, "parley forecast: --sweep: expected at most 1001 values of p, found "
                            "more\n");
            return 0;
        }
        ps[(*n)++] = p > 1 ? 1 : p;
    }
    return 1;
}

int cmd_exchange_forecast(const cli_opts *opts) {
    if (opts->n_args > 1) {
        fprintf(stderr, "parley forecast: expected one scenario or decide file, found %d\n",
                opts->n_args);
        return EXIT_INPUT;
    }
    if (cli_opt_at(opts, "--model", 1)) {
        fprintf(stderr, "parley forecast: --model exchange runs alone without --runs: expected "
                        "one --model\n");
        return EXIT_INPUT;
    }
    if (cli_opt(opts, "--set") || cli_opt(opts, "--drop") || cli_opt(opts, "--add") ||
        cli_opt(opts, "--preset") || cli_opt(opts, "--offers") || cli_opt(opts, "--bins") ||
        cli_opt(opts, "--smp") || cli_opt(opts, "--turns")) {
        fprintf(stderr, "parley forecast: --model exchange takes --rounds, --p, --sweep, "
                        "--repetitions, --seed and --threads (what-if changes: edit the file)\n");
        return EXIT_INPUT;
    }
    const char *name = opts->n_args ? opts->args[0] : PL_DEFAULT_SCENARIO;
    pl_exchange_options o;
    pl_exchange_options_init(&o);
    unsigned long rounds = o.rounds, reps = o.repetitions, seed = (unsigned long)o.seed;
    if (!cli_opt_ulong(opts, "--rounds", 1, PL_EXCHANGE_MAX_ROUNDS, &rounds) ||
        !cli_opt_double(opts, "--p", 0, 1, &o.p) ||
        !cli_opt_ulong(opts, "--repetitions", 1, 10000000, &reps) ||
        !cli_opt_ulong(opts, "--seed", 0, ~0ul, &seed) || !cli_opt_threads(opts, &o.n_threads))
        return EXIT_INPUT;
    o.rounds = (unsigned)rounds;
    o.repetitions = reps;
    o.seed = seed;
    static double ps[1001];
    size_t n_p = 0;
    const char *sweep = cli_opt(opts, "--sweep");
    if (sweep && cli_opt(opts, "--p")) {
        fprintf(stderr, "parley forecast: expected --p or --sweep, found both\n");
        return EXIT_INPUT;
    }
    if (sweep && !parse_sweep(sweep, ps, &n_p)) return EXIT_INPUT;
    pl_exchange_data *d = NULL;
    int code = cli_load_exchange(opts, name, &d);
    if (code) return code;
    char *text = NULL;
    pl_status rc = PL_OK;
    cli_work w;
    if (!sweep && o.p == 0) {
        cli_work_begin(&w, "rounds finished");
        o.progress = cli_progress;
        o.progress_ctx = &w;
        pl_exchange_result *res = NULL;
        rc = pl_exchange_run(d, &o, &res);
        int sig = cli_work_end(&w);
        if (sig && rc == PL_EINTERRUPTED) code = cli_interrupted(&w, sig);
        else if (rc == PL_OK) rc = pl_report_exchange(d, res, 1, opts->format, &text);
        pl_exchange_result_free(res);
    } else {
        if (!sweep) ps[n_p++] = o.p;
        pl_exchange_dist **dists = calloc(n_p, sizeof *dists);
        if (!dists) rc = PL_ENOMEM;
        cli_work_begin(&w, "repetitions finished (of the p in hand)");
        o.progress = cli_progress;
        o.progress_ctx = &w;
        for (size_t k = 0; k < n_p && rc == PL_OK; k++) {
            o.p = ps[k];
            rc = pl_exchange_repeat(d, &o, &dists[k]);
        }
        int sig = cli_work_end(&w);
        if (sig && rc == PL_EINTERRUPTED) code = cli_interrupted(&w, sig);
        else if (rc == PL_OK)
            rc = pl_report_exchange_sweep(d, (const pl_exchange_dist *const *)dists, n_p,
                                          opts->format, &text);
        for (size_t k = 0; dists && k < n_p; k++) pl_exchange_dist_free(dists[k]);
        free(dists);
    }
    if (!code) code = rc == PL_OK ? cli_emit(opts, text) : cli_fail(rc, name);
    pl_free(text);
    pl_exchange_data_free(d);
    return code;
}

int cli_exchange_backtest(const cli_opts *opts, const char *name, const pl_scenario *s) {
    pl_backtest_stats ex, cm;
    pl_status rc = pl_exchange_backtest(s, NULL, &ex, &cm);
    if (rc != PL_OK) return cli_fail(rc, name);
    if (ex.n == 0) {
        fprintf(stderr, "parley backtest: %s: expected issues with an \"outcome\", found none\n",
                name);
        return EXIT_INPUT;
    }
    char *text = NULL;
    rc = pl_report_exchange_backtest(name, &ex, &cm, opts->format, &text);
    int code = rc == PL_OK ? cli_emit(opts, text) : cli_fail(rc, name);
    pl_free(text);
    return code;
}
