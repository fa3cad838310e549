/*
** commands.c: the tool's commands -- forecast, validate, show, scenarios.
*/
#include "cli.h"

#include <stdio.h>

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
