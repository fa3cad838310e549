/*
** commands.c: the tool's commands -- forecast, validate, show, scenarios.
*/
#include "cli.h"

#include <stdio.h>
#include <string.h>

/* Run a report function's result through cli_emit. */
static int emit(const cli_opts *opts, pl_status rc, char *text, const char *what) {
    if (rc != PL_OK) return cli_fail(rc, what);
    int code = cli_emit(opts, text);
    pl_free(text);
    return code;
}

int cmd_forecast(const cli_opts *opts) {
    if (opts->n_args > 1) {
        fprintf(stderr, "parley forecast: expected one scenario, found %d "
                        "(see 'parley forecast --help')\n", opts->n_args);
        return EXIT_INPUT;
    }
    const char *name = opts->n_args ? opts->args[0] : PL_DEFAULT_SCENARIO;
    pl_scenario *s = NULL;
    int code = cli_load(name, opts, &s);
    if (code) return code;
    pl_forecast *f = NULL;
    pl_status rc = pl_forecast_run(s, NULL, &f);
    char *text = NULL;
    if (rc == PL_OK) rc = pl_report_forecast(s, f, opts->format, &text);
    code = emit(opts, rc, text, name);
    pl_forecast_free(f);
    pl_scenario_free(s);
    return code;
}

int cmd_validate(const cli_opts *opts) {
    if (opts->n_args == 0) {
        fprintf(stderr, "parley validate: expected a scenario file, found none "
                        "(see 'parley validate --help')\n");
        return EXIT_INPUT;
    }
    int worst = EXIT_OK;
    for (int i = 0; i < opts->n_args; i++) {
        const char *name = opts->args[i];
        pl_diags *diags = NULL;
        pl_scenario *s = NULL;
        pl_status rc = pl_diags_new(&diags);
        if (rc == PL_OK) rc = pl_scenario_load_file(name, diags, &s);
        if (rc == PL_ENOMEM) {
            pl_diags_free(diags);
            return cli_fail(rc, name);
        }
        /* Diagnostics go to stderr in text mode, into the report otherwise. */
        if (opts->format == PL_FORMAT_TEXT) cli_print_diags(diags, !opts->quiet);
        char *text = NULL;
        rc = pl_report_validation(name, s, diags, opts->format, &text);
        int code = emit(opts, rc, text, name);
        if (code == EXIT_OK && !s) code = EXIT_INPUT;
        if (code > worst) worst = code;
        pl_scenario_free(s);
        pl_diags_free(diags);
    }
    return worst;
}

int cmd_show(const cli_opts *opts) {
    if (opts->n_args > 1) {
        fprintf(stderr, "parley show: expected one scenario, found %d\n", opts->n_args);
        return EXIT_INPUT;
    }
    const char *name = opts->n_args ? opts->args[0] : PL_DEFAULT_SCENARIO;
    pl_scenario *s = NULL;
    int code = cli_load(name, opts, &s);
    if (code) return code;
    char *text = NULL;
    pl_status rc = pl_report_scenario(s, opts->format, &text);
    code = emit(opts, rc, text, name);
    pl_scenario_free(s);
    return code;
}

int cmd_scenarios(const cli_opts *opts) {
    if (opts->n_args) {
        fprintf(stderr, "parley scenarios: expected no arguments, found \"%s\"\n",
                opts->args[0]);
        return EXIT_INPUT;
    }
    char *text = NULL;
    pl_status rc = pl_report_builtins(opts->format, &text);
    return emit(opts, rc, text, "scenarios");
}

static int ends_with(const char *s, const char *suffix) {
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

int cmd_backtest(const cli_opts *opts) {
    if (opts->n_args != 1) {
        fprintf(stderr, "parley backtest: expected one file (a DEU .tsv table or a scenario with "
                        "outcomes), found %d (see 'parley backtest --help')\n", opts->n_args);
        return EXIT_INPUT;
    }
    const char *name = opts->args[0];
    pl_backtest_options bo;
    pl_backtest_options_init(&bo);
    unsigned long folds = bo.folds, seed = (unsigned long)bo.seed;
    if (!cli_opt_ulong(opts, "--folds", 2, 1000, &folds) ||
        !cli_opt_ulong(opts, "--seed", 0, ~0ul, &seed) ||
        !cli_opt_double(opts, "--coverage", 0.01, 0.99, &bo.coverage))
        return EXIT_INPUT;
    bo.folds = (unsigned)folds;
    bo.seed = seed;
    int shown[64] = {0}, any = 0;
    const char *m;
    for (int k = 0; (m = cli_opt_at(opts, "--model", k)) != NULL; k++) {
        pl_model model;
        if (pl_model_from_name(m, &model) != PL_OK) {
            fprintf(stderr, "parley backtest: --model: expected one of");
            for (int j = 0; j < PL_MODEL_COUNT; j++)
                fprintf(stderr, "%s %s", j ? "," : "", pl_model_name((pl_model)j));
            fprintf(stderr, ", found \"%s\"\n", m);
            return EXIT_INPUT;
        }
        shown[model] = 1;
        any = 1;
    }
    if (any) /* the reference rows always show */
        for (size_t r = PL_MODEL_COUNT; r < pl_backtest_n_rows(); r++) shown[r] = 1;

    pl_scenario *s = NULL;
    int code;
    if (ends_with(name, ".tsv")) {
        pl_diags *diags = NULL;
        pl_deu_stats st;
        pl_status rc = pl_diags_new(&diags);
        if (rc == PL_OK)
            rc = pl_scenario_load_deu_file(name, cli_opt(opts, "--capabilities"), diags, &s, &st);
        code = rc == PL_OK ? EXIT_OK : rc == PL_ENOMEM ? cli_fail(rc, name) : EXIT_INPUT;
        if (rc != PL_OK && rc != PL_ENOMEM) cli_print_diags(diags, 1);
        pl_diags_free(diags);
        if (code == EXIT_OK && st.n_few_positions && !opts->quiet)
            fprintf(stderr, "parley: %s: %zu issues with fewer than two positions skipped\n", name,
                    st.n_few_positions);
    } else {
        if (cli_opt(opts, "--capabilities")) {
            fprintf(stderr, "parley backtest: --capabilities applies to DEU tables (.tsv) only\n");
            return EXIT_INPUT;
        }
        code = cli_load(name, opts, &s);
    }
    if (code) return code;
    pl_backtest *b = NULL;
    pl_status rc = pl_backtest_run(s, &bo, &b);
    char *text = NULL;
    if (rc == PL_OK && pl_backtest_n_issues(b) == 0) {
        fprintf(stderr, "parley backtest: %s: expected issues with an \"outcome\", found none\n", name);
        code = EXIT_INPUT;
    } else {
        if (rc == PL_OK) rc = pl_report_backtest(s, b, opts->format, any ? shown : NULL, &text);
        code = emit(opts, rc, text, name);
    }
    pl_backtest_free(b);
    pl_scenario_free(s);
    return code;
}
