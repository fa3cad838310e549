/*
** commands.c: the tool's commands -- forecast, validate, show, scenarios.
*/
#define _POSIX_C_SOURCE 200809L
#include "cli.h"

#include <signal.h>
#include <time.h>
#include <unistd.h>

#include <stdio.h>
#include <string.h>

/* Run a report function's result through cli_emit. */
static int emit(const cli_opts *opts, pl_status rc, char *text, const char *what) {
    if (rc != PL_OK) return cli_fail(rc, what);
    int code = cli_emit(opts, text);
    pl_free(text);
    return code;
}

int cli_whatif(const cli_opts *opts, pl_scenario **s, int *changed) {
    *changed = 0;
    pl_scenario *copy = NULL;
    pl_diags *diags = NULL;
    pl_status rc = PL_OK;
    for (int i = 0; i < opts->n_opts && rc == PL_OK; i++) {
        const char *name = opts->opt_names[i], *v = opts->opt_values[i];
        int set = strcmp(name, "--set") == 0, drop = strcmp(name, "--drop") == 0,
            add = strcmp(name, "--add") == 0;
        if (!set && !drop && !add) continue;
        if (!copy) {
            if ((rc = pl_scenario_clone(*s, &copy)) != PL_OK) break;
            if ((rc = pl_diags_new(&diags)) != PL_OK) break;
        }
        rc = set    ? pl_whatif_set(copy, v, name, diags)
             : drop ? pl_whatif_drop(copy, v, name, diags)
                    : pl_whatif_add(copy, v, name, diags);
    }
    int code = EXIT_OK;
    if (rc == PL_ENOMEM) {
        /* the scenario's file, as every other out-of-memory message */
        code = cli_fail(rc, opts->n_args ? opts->args[0] : PL_DEFAULT_SCENARIO);
    } else if (rc != PL_OK) {
        /* a what-if place is a column in the option's value */
        for (size_t i = 0; i < pl_diags_count(diags); i++) {
            const pl_diag *d = pl_diags_get(diags, i);
            fprintf(stderr, "parley: %s (column %d): %s\n", d->file, d->column, d->message);
        }
        code = EXIT_INPUT;
    } else if (copy) {
        pl_scenario_free(*s);
        *s = copy;
        copy = NULL;
        *changed = 1;
    }
    pl_scenario_free(copy);
    pl_diags_free(diags);
    return code;
}

/* --params FILE: fitted parameters (from 'parley backtest --fit') into fo
** and, when out is not NULL, kept in *out.  Returns an exit code. */
static int load_params(const cli_opts *opts, pl_forecast_options *fo, pl_params **out) {
    const char *path = cli_opt(opts, "--params");
    if (out) *out = NULL;
    if (!path) return EXIT_OK;
    pl_diags *diags = NULL;
    pl_params *p = NULL;
    pl_status rc = pl_diags_new(&diags);
    if (rc == PL_OK) rc = pl_params_load_file(path, diags, &p);
    if (rc != PL_OK && rc != PL_ENOMEM) cli_print_diags(diags, 1);
    pl_diags_free(diags);
    if (rc == PL_ENOMEM) return cli_fail(rc, path);
    if (rc != PL_OK) return EXIT_INPUT;
    if (fo) pl_params_apply(p, fo);
    if (out) *out = p;
    else pl_params_free(p);
    return EXIT_OK;
}

/* --runs and the options of every run: --params, --seed, --threads, --bins,
** --model (repeatable).  Returns an exit code. */
static int mc_options(const cli_opts *opts, pl_mc_options *mo, unsigned long *runs) {
    int params_code = load_params(opts, &mo->forecast, NULL);
    if (params_code) return params_code;
    unsigned long seed = 1, bins = mo->bins;
    if (!cli_opt_ulong(opts, "--runs", 1, 100000000ul, runs) ||
        !cli_opt_ulong(opts, "--seed", 0, ~0ul, &seed) || !cli_opt_threads(opts, &mo->n_threads) ||
        !cli_opt_ulong(opts, "--bins", 1, 1000, &bins))
        return EXIT_INPUT;
    mo->runs = *runs;
    mo->seed = seed;
    mo->bins = bins;
    const char *m;
    for (int k = 0; (m = cli_opt_at(opts, "--model", k)) != NULL; k++) {
        pl_model model;
        if (pl_mc_model_from_name(m, &model) != PL_OK) {
            fprintf(stderr,
                    "parley forecast: --model: expected a model name (see 'parley "
                    "forecast'), found \"%s\"\n",
                    m);
            return EXIT_INPUT;
        }
        if (k == 0) memset(mo->models, 0, sizeof mo->models);
        mo->models[model] = 1;
    }
    return EXIT_OK;
}

/* The spatial model in the runs: its options into *so, and whether it
** takes the scenario (why not, with its reasons); without it, none of its
** options.  Returns an exit code. */
static int mc_smp(const cli_opts *opts, const char *name, const pl_scenario *s, pl_mc_options *mo,
                  pl_smp_options *so) {
    if (mo->models[PL_MC_SMP]) {
        int code = cli_smp_mc_options(opts, so, &mo->smp_salience_norm);
        if (code) return code;
        mo->smp = so;
        /* the model must take the scenario: say why not, with its reasons */
        pl_diags *diags = NULL;
        pl_smp_data *d = NULL;
        pl_status rc = pl_diags_new(&diags);
        if (rc == PL_OK)
            rc = pl_smp_data_from_scenario(s, (pl_smp_salience_norm)mo->smp_salience_norm, diags,
                                           &d);
        pl_smp_data_free(d);
        if (rc != PL_OK && rc != PL_ENOMEM) {
            cli_print_diags(diags, 1);
            fprintf(stderr, "parley: %s: the spatial model cannot run on this scenario\n", name);
        }
        pl_diags_free(diags);
        if (rc == PL_ENOMEM) return cli_fail(rc, name);
        if (rc != PL_OK) return EXIT_INPUT;
    } else if (cli_opt(opts, "--smp") || cli_opt(opts, "--turns") || cli_opt(opts, "--history") ||
               cli_opt(opts, "--probs") || cli_opt(opts, "--challenges")) {
        fprintf(stderr, "parley forecast: --smp, --turns, --history, --probs and --challenges go "
                        "with --model smp\n");
        return EXIT_INPUT;
    }
    return EXIT_OK;
}

/* The exchange model in the runs: each run's --rounds and --p into *xo;
** none of the options that show one run (its own or the EUM's).  Returns
** an exit code. */
static int mc_exchange(const cli_opts *opts, pl_mc_options *mo, pl_exchange_options *xo) {
    pl_exchange_options_init(xo);
    if (mo->models[PL_MC_EXCHANGE]) { /* each run's exchange model: --rounds, --p */
        unsigned long rounds = xo->rounds;
        if (!cli_opt_ulong(opts, "--rounds", 1, PL_EXCHANGE_MAX_ROUNDS, &rounds) ||
            !cli_opt_double(opts, "--p", 0, 1, &xo->p))
            return EXIT_INPUT;
        xo->rounds = (unsigned)rounds;
        mo->exchange = xo;
        if (cli_opt(opts, "--sweep") || cli_opt(opts, "--repetitions")) {
            fprintf(stderr, "parley forecast: --sweep and --repetitions give the randomised "
                            "exchange model's distribution on the scenario as it is: expected "
                            "no --runs with them\n");
            return EXIT_INPUT;
        }
    } else if (cli_opt(opts, "--rounds")) {
        fprintf(stderr, "parley forecast: --preset, --rounds and --offers show one EUM run in "
                        "detail: expected no --runs with them\n");
        return EXIT_INPUT;
    }
    if (cli_opt(opts, "--preset") || cli_opt(opts, "--offers")) {
        fprintf(stderr, "parley forecast: --preset, --rounds and --offers show one EUM run in "
                        "detail: expected no --runs with them\n");
        return EXIT_INPUT;
    }
    return EXIT_OK;
}

/* This process's runs (mo: their range), or an exit code; *mc NULL when
** it has none to make (an MPI rank beyond the runs). */
static int mc_compute(const char *name, const pl_scenario *s, pl_mc_options *mo, unsigned long runs,
                      pl_mc **mc) {
    *mc = NULL;
    if (mo->runs == 0) return EXIT_OK;
    cli_work w;
    cli_work_begin(&w, "runs finished");
    mo->progress = cli_progress;
    mo->progress_ctx = &w;
    pl_status rc = pl_mc_run(s, mo, mc);
    int sig = cli_work_end(&w);
    if (sig && (rc == PL_EINTERRUPTED || (rc == PL_OK && pl_mc_interrupted(*mc)))) {
        /* the library keeps the runs finished; the tool reports all or nothing */
        w.done = (double)pl_mc_n_runs(*mc);
        pl_mc_free(*mc);
        *mc = NULL;
        return cli_interrupted(&w, sig);
    }
    if (rc == PL_ERANGE && mo->models[PL_MC_SMP]) { /* runs are capped below 2^32 above */
        fprintf(stderr,
                "parley: %s: the spatial model could not finish a run: %s "
                "(docs/models/smp.md)\n",
                name, pl_strerror(rc));
        return EXIT_RUN;
    }
    if (rc == PL_ERANGE) {
        fprintf(stderr,
                "parley: --runs %lu: expected fewer runs, found more than parley can "
                "summarise\n",
                runs);
        return EXIT_INPUT;
    }
    return rc == PL_OK ? EXIT_OK : cli_fail(rc, name);
}

static int run_mc(const cli_opts *opts, const char *name, const pl_scenario *s) {
    pl_mc_options mo;
    pl_mc_options_init(&mo);
    unsigned long runs = 0;
    pl_smp_options so;
    pl_exchange_options xo;
    cli_range range;
    char digest[64];
    int code = mc_options(opts, &mo, &runs);
    if (code == EXIT_OK) code = mc_smp(opts, name, s, &mo, &so);
    if (code == EXIT_OK) code = mc_exchange(opts, &mo, &xo);
    if (code == EXIT_OK) code = cli_range_get(opts, runs, &range);
    if (code == EXIT_OK && (range.part || range.ranks > 1 || opts->parts))
        code = cli_digest_scenario(s, name, digest, sizeof digest);
    if (code) return code;
    /* a range of the sweep (its values kept or summarised as the whole's) */
    mo.first_run = range.first;
    mo.runs = (size_t)range.count;
    mo.sweep_runs = runs;
    pl_mc *mc = NULL;
    if (!opts->parts) code = mc_compute(name, s, &mo, runs, &mc);
    code = cli_range_finish_mc(opts, &range, digest, code, &mc);
    if (!mc) return code;
    char *text = NULL;
    pl_status rc = PL_OK;
    if (opts->format == PL_FORMAT_SVG) { /* the issue charts with their bands */
        pl_forecast *f = NULL;
        rc = pl_forecast_run(s, NULL, &f);
        pl_report_figures fig;
        pl_report_figures_init(&fig);
        fig.scenario = s;
        fig.forecast = f;
        fig.mc = mc;
        if (rc == PL_OK) rc = pl_report_svg(&fig, PL_CHART_ISSUES, &text);
        pl_forecast_free(f);
    } else {
        rc = pl_report_mc(s, mc, opts->format, &text);
    }
    code = emit(opts, rc, text, name);
    pl_mc_free(mc);
    return code;
}

/* --model without --runs: one model's run in detail. */
static int one_model(const cli_opts *opts, const char *name, const pl_scenario *s) {
    const char *m = cli_opt(opts, "--model");
    if (cli_opt_at(opts, "--model", 1) || strcmp(m, "eum") != 0) {
        fprintf(stderr,
                "parley forecast: --model without --runs shows one model's run in detail: "
                "expected eum, found \"%s\" (every model is in the plain forecast)\n",
                m);
        return EXIT_INPUT;
    }
    pl_eum_options eo;
    pl_eum_preset preset = PL_EUM_PRESET_SCHOLZ;
    const char *p = cli_opt(opts, "--preset");
    if (p && strcmp(p, "scholz") != 0 && strcmp(p, "bdm") != 0) {
        fprintf(stderr, "parley forecast: --preset: expected scholz or bdm, found \"%s\"\n", p);
        return EXIT_INPUT;
    }
    if (p && strcmp(p, "bdm") == 0) preset = PL_EUM_PRESET_BDM;
    pl_eum_options_init(&eo, preset);
    unsigned long rounds = PL_FORECAST_EUM_ROUNDS;
    if (!cli_opt_ulong(opts, "--rounds", 0, 1000000, &rounds)) return EXIT_INPUT;
    eo.max_rounds = rounds;
    char *text = NULL;
    cli_work w;
    cli_work_begin(&w, "rounds finished (of the issue in hand)");
    eo.progress = cli_progress;
    eo.progress_ctx = &w;
    pl_eum_trace *t = NULL;
    pl_status rc = pl_eum_trace_run(s, &eo, &t);
    int sig = cli_work_end(&w);
    if (sig && rc == PL_EINTERRUPTED) return cli_interrupted(&w, sig);
    if (rc == PL_OK && opts->format == PL_FORMAT_SVG) { /* the rounds as line charts */
        pl_report_figures fig;
        pl_report_figures_init(&fig);
        fig.scenario = s;
        fig.eum = t;
        rc = pl_report_svg(&fig, PL_CHART_EUM, &text);
    } else if (rc == PL_OK) {
        rc = pl_report_eum_trace(s, t, cli_opt(opts, "--offers") != NULL, opts->format, &text);
    }
    pl_eum_trace_free(t);
    return emit(opts, rc, text, name);
}

/* The scenario named and, with --set, --drop or --add, a copy changed by
** them in *changed (else NULL).  Returns an exit code; the caller frees
** both, even then. */
static int load_changed(const cli_opts *opts, const char *name, pl_scenario **s,
                        pl_scenario **changed) {
    int code = cli_load(name, opts, s);
    if (code) return code;
    int any_change = 0;
    if (cli_opt(opts, "--set") || cli_opt(opts, "--drop") || cli_opt(opts, "--add")) {
        if (pl_scenario_clone(*s, changed) != PL_OK) return cli_fail(PL_ENOMEM, name);
        code = cli_whatif(opts, changed, &any_change);
    }
    return code;
}

/* Neither --runs nor --model: every model's forecast, beside the changed
** scenario's when there is one. */
static int plain_forecast(const cli_opts *opts, const char *name, const pl_scenario *s,
                          const pl_scenario *changed) {
    if (cli_opt(opts, "--seed") || cli_opt(opts, "--threads") || cli_opt(opts, "--bins")) {
        fprintf(stderr, "parley forecast: --seed, --threads and --bins go with --runs N\n");
        return EXIT_INPUT;
    }
    if (cli_opt(opts, "--preset") || cli_opt(opts, "--rounds") || cli_opt(opts, "--offers")) {
        fprintf(stderr, "parley forecast: --preset, --rounds and --offers go with --model eum\n");
        return EXIT_INPUT;
    }
    pl_forecast_options fo;
    pl_forecast_options_init(&fo);
    int code = load_params(opts, &fo, NULL);
    if (code != EXIT_OK) return code;
    pl_forecast *f = NULL, *fc = NULL;
    pl_status rc = pl_forecast_run(s, &fo, &f);
    if (rc == PL_OK && changed) rc = pl_forecast_run(changed, &fo, &fc);
    char *text = NULL;
    if (rc == PL_OK && opts->format == PL_FORMAT_SVG) {
        pl_report_figures fig;
        pl_report_figures_init(&fig);
        fig.scenario = s;
        fig.forecast = f;
        rc = pl_report_svg(&fig, PL_CHART_ISSUES, &text);
    } else if (rc == PL_OK) {
        rc = changed ? pl_report_compare(s, f, changed, fc, opts->format, &text)
                     : pl_report_forecast(s, f, opts->format, &text);
    }
    code = emit(opts, rc, text, name);
    pl_forecast_free(f);
    pl_forecast_free(fc);
    return code;
}

int cmd_forecast(const cli_opts *opts) {
    const char *model;
    int smp = 0, exchange = 0;
    for (int k = 0; (model = cli_opt_at(opts, "--model", k)) != NULL; k++) {
        if (strcmp(model, "smp") == 0) smp = 1;
        if (strcmp(model, "exchange") == 0) exchange = 1;
    }
    if (opts->format == PL_FORMAT_SVG &&
        ((smp && !cli_opt(opts, "--runs")) || (exchange && !cli_opt(opts, "--runs")) ||
         cli_opt(opts, "--set") || cli_opt(opts, "--drop") || cli_opt(opts, "--add"))) {
        fprintf(stderr, "parley forecast: --format svg draws the forecast, the Monte Carlo bands "
                        "(--runs) or the EUM's rounds (--model eum): expected no --set, --drop, "
                        "--add, --model smp or --model exchange with it (parley report shows "
                        "them)\n");
        return EXIT_INPUT;
    }
    if (cli_opt(opts, "--run-range") && !cli_opt(opts, "--runs")) {
        fprintf(stderr, "parley forecast: --run-range goes with --runs N\n");
        return EXIT_INPUT;
    }
    /* without --runs the exchange model runs alone, round by round */
    if (exchange && !cli_opt(opts, "--runs")) return cmd_exchange_forecast(opts);
    if (!exchange &&
        (cli_opt(opts, "--p") || cli_opt(opts, "--sweep") || cli_opt(opts, "--repetitions"))) {
        fprintf(stderr, "parley forecast: --p, --sweep and --repetitions go with --model "
                        "exchange\n");
        return EXIT_INPUT;
    }
    /* without --runs the SMP runs alone, in detail (or what-if) */
    if (smp && !cli_opt(opts, "--runs")) return cmd_smp_forecast_opts(opts);
    if (!smp && (cli_opt(opts, "--smp") || cli_opt(opts, "--turns") || cli_opt(opts, "--history") ||
                 cli_opt(opts, "--probs") || cli_opt(opts, "--challenges"))) {
        fprintf(stderr, "parley forecast: --smp, --turns, --history, --probs and --challenges go "
                        "with --model smp\n");
        return EXIT_INPUT;
    }
    if (opts->n_args > 1) {
        fprintf(stderr,
                "parley forecast: expected one scenario, found %d "
                "(see 'parley forecast --help')\n",
                opts->n_args);
        return EXIT_INPUT;
    }
    const char *name = opts->n_args ? opts->args[0] : PL_DEFAULT_SCENARIO;
    if (smp && pl_input_format_of(name) == PL_INPUT_CSV) {
        fprintf(stderr,
                "parley forecast: --runs with --model smp: expected a parley scenario, "
                "found the KTAB file \"%s\" (it has no spreads to draw from)\n",
                name);
        return EXIT_INPUT;
    }
    pl_scenario *s = NULL, *changed = NULL;
    int code = load_changed(opts, name, &s, &changed);
    if (code == EXIT_OK) {
        if (cli_opt(opts, "--runs")) code = run_mc(opts, name, changed ? changed : s);
        else if (cli_opt(opts, "--model")) code = one_model(opts, name, changed ? changed : s);
        else code = plain_forecast(opts, name, s, changed);
    }
    pl_scenario_free(s);
    pl_scenario_free(changed);
    return code;
}

/* --model and --rounds of parley sensitivity. */
static int sensitivity_model(const cli_opts *opts, pl_model *model, pl_exchange_options *xo) {
    *model = PL_MODEL_COMPROMISE;
    const char *m = cli_opt(opts, "--model");
    if (m && strcmp(m, "exchange") == 0) *model = PL_MC_EXCHANGE;
    else if (m && pl_model_from_name(m, model) != PL_OK) {
        fprintf(stderr, "parley sensitivity: --model: expected one of");
        for (int j = 0; j < PL_MODEL_COUNT; j++)
            fprintf(stderr, "%s %s", j ? "," : "", pl_model_name((pl_model)j));
        fprintf(stderr, " (the spatial model has no sensitivity analysis), found \"%s\"\n", m);
        return EXIT_INPUT;
    }
    pl_exchange_options_init(xo);
    if (*model == PL_MC_EXCHANGE) {
        unsigned long rounds = xo->rounds;
        if (!cli_opt_ulong(opts, "--rounds", 1, PL_EXCHANGE_MAX_ROUNDS, &rounds)) return EXIT_INPUT;
        xo->rounds = (unsigned)rounds;
    } else if (cli_opt(opts, "--rounds")) {
        fprintf(stderr, "parley sensitivity: --rounds goes with --model exchange\n");
        return EXIT_INPUT;
    }
    return EXIT_OK;
}

/* What a split sensitivity analysis's join needs. */
typedef struct sens_ctx {
    const pl_scenario *s;
    pl_model model;
} sens_ctx;

static pl_status sens_write(const pl_part_info *info, const void *sens, char **out) {
    return pl_part_write_sensitivity(info, sens, out);
}
static pl_status sens_join(const pl_part *const *parts, size_t n, pl_diags *diags, void *ctx,
                           void **out) {
    const sens_ctx *c = ctx;
    pl_sensitivity *sens = NULL;
    pl_status rc = pl_part_join_sensitivity(parts, n, c->s, c->model, diags, &sens);
    *out = sens;
    return rc;
}
static void sens_free(void *sens) { pl_sensitivity_free(sens); }

/* The inputs this process swings (all, a --run-range, an MPI rank's
** block, or none: merge joins parts) and the whole when it reports it. */
static int sensitivity_sweep(const cli_opts *opts, const char *name, const pl_scenario *s,
                             pl_model model, pl_sensitivity_options *so, pl_sensitivity **sens) {
    uint64_t total = 0;
    pl_status rc = pl_sensitivity_size(s, model, &total);
    if (rc != PL_OK) return cli_fail(rc, name);
    cli_range range;
    int code = cli_range_get(opts, total, &range);
    int split = range.part || range.ranks > 1;
    char digest[64];
    if (code == EXIT_OK && (split || opts->parts))
        code = cli_digest_scenario(s, name, digest, sizeof digest);
    if (code) return code;
    so->first = split ? range.first : 0;
    so->count = split ? range.count : 0;
    if (!opts->parts && (!split || range.count)) {
        cli_work w;
        cli_work_begin(&w, "swings computed");
        so->progress = cli_progress;
        so->progress_ctx = &w;
        rc = pl_sensitivity_run(s, model, so, sens);
        int sig = cli_work_end(&w);
        if (sig && rc == PL_EINTERRUPTED) return cli_interrupted(&w, sig);
        if (rc != PL_OK) code = cli_fail(rc, name);
    }
    if (!split && !opts->parts) return code;
    sens_ctx ctx = {s, model};
    const cli_kind kind = {sens_write, sens_join, sens_free, &ctx, "the swings", "scenario"};
    void *result = *sens;
    code = cli_range_finish(opts, &range, digest, code, &kind, &result);
    *sens = result;
    return code;
}

/* The tornado charts: the swings about the forecast of the model. */
static pl_status sensitivity_svg(const pl_scenario *s, const pl_sensitivity *sens, pl_model model,
                                 const pl_exchange_options *xo, char **text) {
    pl_forecast *f = NULL;
    pl_status rc = pl_forecast_run(s, NULL, &f);
    pl_report_figures fig;
    pl_report_figures_init(&fig);
    fig.scenario = s;
    fig.forecast = f;
    fig.sensitivity = sens;
    fig.sensitivity_model = model;
    pl_exchange_scenario *xs = NULL; /* the exchange model's forecast: the tornado's base */
    if (rc == PL_OK && model == PL_MC_EXCHANGE) rc = pl_exchange_scenario_run(s, xo, &xs);
    fig.exchange = xs;
    if (rc == PL_OK) rc = pl_report_svg(&fig, PL_CHART_TORNADO, text);
    pl_exchange_scenario_free(xs);
    pl_forecast_free(f);
    return rc;
}

int cmd_sensitivity(const cli_opts *opts) {
    if (opts->n_args > 1) {
        fprintf(stderr, "parley sensitivity: expected one scenario, found %d\n", opts->n_args);
        return EXIT_INPUT;
    }
    const char *name = opts->n_args ? opts->args[0] : PL_DEFAULT_SCENARIO;
    pl_model model;
    pl_exchange_options xo;
    unsigned long top = 10;
    if (sensitivity_model(opts, &model, &xo) != EXIT_OK ||
        !cli_opt_ulong(opts, "--top", 0, 1000000, &top))
        return EXIT_INPUT;
    pl_scenario *s = NULL;
    int code = cli_load(name, opts, &s), changed = 0;
    if (code) return code;
    code = cli_whatif(opts, &s, &changed);
    pl_sensitivity_options so;
    pl_sensitivity_options_init(&so);
    so.exchange = &xo;
    if (code == EXIT_OK) code = load_params(opts, &so.forecast, NULL);
    pl_sensitivity *sens = NULL;
    if (code == EXIT_OK) code = sensitivity_sweep(opts, name, s, model, &so, &sens);
    if (code == EXIT_OK && sens) {
        char *text = NULL;
        pl_status rc = opts->format == PL_FORMAT_SVG
                           ? sensitivity_svg(s, sens, model, &xo, &text)
                           : pl_report_sensitivity(s, sens, top, opts->format, &text);
        code = emit(opts, rc, text, name);
    }
    pl_sensitivity_free(sens);
    pl_scenario_free(s);
    return code;
}

int cmd_validate(const cli_opts *opts) {
    if (opts->n_args == 0) {
        fprintf(stderr, "parley validate: expected a scenario file, found none "
                        "(see 'parley validate --help')\n");
        return EXIT_INPUT;
    }
    /* every file first, then one report for all of them */
    enum { MAX = sizeof opts->args / sizeof opts->args[0] };
    pl_diags *diags[MAX] = {0};
    pl_scenario *s[MAX] = {0};
    int code = EXIT_OK, n = 0;
    for (; n < opts->n_args; n++) {
        const char *name = opts->args[n];
        pl_status rc = pl_diags_new(&diags[n]);
        if (rc == PL_OK) rc = pl_scenario_load_file(name, diags[n], &s[n]);
        if (rc == PL_ENOMEM) {
            code = cli_fail(rc, name);
            n++;
            goto done;
        }
        /* Diagnostics go to stderr in text mode, into the report otherwise. */
        if (opts->format == PL_FORMAT_TEXT) cli_print_diags(diags[n], !opts->quiet);
    }
    char *text = NULL;
    pl_status rc = pl_report_validations((size_t)n, opts->args, (const pl_scenario *const *)s,
                                         (const pl_diags *const *)diags, opts->format, &text);
    /* out of memory names the file, when the report is of one */
    code = emit(opts, rc, text, n == 1 ? opts->args[0] : "validate");
    for (int i = 0; i < n && code == EXIT_OK; i++)
        if (!s[i]) code = EXIT_INPUT;
done:
    for (int i = 0; i < n; i++) {
        pl_scenario_free(s[i]);
        pl_diags_free(diags[i]);
    }
    return code;
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
    if (opts->export_format) {
        code = cmd_export(opts, s, name);
        pl_scenario_free(s);
        return code;
    }
    char *text = NULL;
    pl_status rc = pl_report_scenario(s, opts->format, &text);
    code = emit(opts, rc, text, name);
    pl_scenario_free(s);
    return code;
}

int cmd_scenarios(const cli_opts *opts) {
    if (opts->n_args) {
        fprintf(stderr, "parley scenarios: expected no arguments, found \"%s\"\n", opts->args[0]);
        return EXIT_INPUT;
    }
    char *text = NULL;
    pl_status rc = pl_report_builtins(opts->format, &text);
    return emit(opts, rc, text, "scenarios");
}

/* --model (repeatable): the rows shown (with the reference rows when any
** is named), or the exchange model alone.  Returns an exit code. */
static int backtest_models(const cli_opts *opts, int *shown, int *any, int *exchange) {
    const char *m;
    for (int k = 0; (m = cli_opt_at(opts, "--model", k)) != NULL; k++) {
        pl_model model;
        if (strcmp(m, "exchange") == 0) {
            *exchange = 1;
            continue;
        }
        if (pl_model_from_name(m, &model) != PL_OK) {
            fprintf(stderr, "parley backtest: --model: expected one of");
            for (int j = 0; j < PL_MODEL_COUNT; j++)
                fprintf(stderr, "%s %s", j ? "," : "", pl_model_name((pl_model)j));
            fprintf(stderr, ", found \"%s\"\n", m);
            return EXIT_INPUT;
        }
        shown[model] = 1;
        *any = 1;
    }
    if (*any) /* the reference rows always show */
        for (size_t r = PL_MODEL_COUNT; r < pl_backtest_n_rows(); r++) shown[r] = 1;
    return EXIT_OK;
}

/* --params FILE to score: it must carry every row's out-of-fold errors.
** Returns an exit code; *out is NULL without --params or on failure. */
static int backtest_params(const cli_opts *opts, pl_params **out) {
    pl_params *given = NULL;
    int code = load_params(opts, NULL, &given);
    if (code) return code;
    for (size_t r = 0; given && r < pl_backtest_n_rows(); r++)
        if (!pl_params_errors(given, pl_backtest_row_name(r), NULL)) {
            fprintf(stderr,
                    "parley backtest: %s: expected out-of-fold errors for \"%s\" (for its "
                    "intervals), found none\n",
                    cli_opt(opts, "--params"), pl_backtest_row_name(r));
            pl_params_free(given);
            return EXIT_INPUT;
        }
    *out = given;
    return EXIT_OK;
}

/* The issues with outcomes: a DEU table (.tsv, with --capabilities) or a
** scenario.  Returns an exit code. */
static int backtest_load(const cli_opts *opts, const char *name, pl_scenario **s) {
    int code;
    if (pl_input_format_of(name) == PL_INPUT_TSV) {
        pl_diags *diags = NULL;
        pl_deu_stats st;
        pl_status rc = pl_diags_new(&diags);
        if (rc == PL_OK)
            rc = pl_scenario_load_deu_file(name, cli_opt(opts, "--capabilities"), diags, s, &st);
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
        code = cli_load(name, opts, s);
    }
    return code;
}

/* The backtest's runs, then the report (or with --fit the parameters);
** rows_shown: NULL for every row.  Returns an exit code. */
static int backtest_run(const cli_opts *opts, const char *name, const pl_scenario *s,
                        pl_backtest_options *bo, int fit, const int *rows_shown) {
    cli_work w;
    cli_work_begin(&w, "issues forecast");
    bo->progress = cli_progress;
    bo->progress_ctx = &w;
    pl_backtest *b = NULL;
    pl_status rc = pl_backtest_run(s, bo, &b);
    int sig = cli_work_end(&w);
    if (sig && rc == PL_EINTERRUPTED) return cli_interrupted(&w, sig);
    int code;
    char *text = NULL;
    if (rc == PL_OK && pl_backtest_n_issues(b) == 0) {
        fprintf(stderr, "parley backtest: %s: expected issues with an \"outcome\", found none\n",
                name);
        code = EXIT_INPUT;
    } else if (fit) {
        pl_params *p = NULL;
        if (rc == PL_OK) rc = pl_backtest_params(b, &p);
        if (rc == PL_OK) rc = pl_params_write_json(p, &text);
        pl_params_free(p);
        code = emit(opts, rc, text, name);
    } else {
        if (rc == PL_OK) rc = pl_report_backtest(s, b, opts->format, rows_shown, &text);
        code = emit(opts, rc, text, name);
    }
    pl_backtest_free(b);
    return code;
}

int cmd_backtest(const cli_opts *opts) {
    if (opts->n_args != 1) {
        fprintf(stderr,
                "parley backtest: expected one file (a DEU .tsv table or a scenario with "
                "outcomes), found %d (see 'parley backtest --help')\n",
                opts->n_args);
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
    int shown[64] = {0}, any = 0, exchange = 0;
    int code = backtest_models(opts, shown, &any, &exchange);
    if (code) return code;
    int fit = cli_opt(opts, "--fit") != NULL;
    if (fit && (cli_opt(opts, "--params") || any)) {
        fprintf(stderr, "parley backtest: --fit saves the parameters fitted on FILE: expected no "
                        "--params or --model with it\n");
        return EXIT_INPUT;
    }
    pl_params *given = NULL;
    if ((code = backtest_params(opts, &given)) != EXIT_OK) return code;
    bo.params = given;
    pl_scenario *s = NULL;
    code = backtest_load(opts, name, &s);
    if (code == EXIT_OK && exchange && any) {
        fprintf(stderr, "parley backtest: --model exchange runs alone: expected no other "
                        "--model with it\n");
        code = EXIT_INPUT;
    } else if (code == EXIT_OK && exchange) {
        code = cli_exchange_backtest(opts, name, s);
    } else if (code == EXIT_OK) {
        code = backtest_run(opts, name, s, &bo, fit, any ? shown : NULL);
    }
    pl_params_free(given);
    pl_scenario_free(s);
    return code;
}
