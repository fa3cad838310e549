/*
** cmd_report.c: `parley report` -- one self-contained HTML file a person
** reads (docs/report.md): the library runs the forecast, the Monte Carlo
** runs, the EUM and the spatial model round by round, the exchange model's
** trades, the sensitivity swings and the agreement space, then renders
** their figures; this file parses the options, calls it in that order and
** writes the file.
*/
#define _POSIX_C_SOURCE 200809L
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The report leaves out pictures that would not say anything at these
** sizes (and says so). */
#define REPORT_MAX_DEAL_PARTIES 20
#define REPORT_MAX_PACKAGES 10000000ull
#define REPORT_SAMPLE_DEFAULT 4000

/* Notes the report states (why a section is missing), kept for its life. */
typedef struct notes {
    char text[8][256];
    const char *ptr[8];
    size_t n;
} notes;

static void note(notes *ns, const char *fmt, const char *a, const char *b) {
    if (ns->n == 8) return;
    snprintf(ns->text[ns->n], sizeof ns->text[0], fmt, a, b);
    ns->ptr[ns->n] = ns->text[ns->n];
    ns->n++;
}

/* A scenario from a KTAB file (the spatial model's format), or NULL with
** 0 when the file is not one: then it is read as a parley input. */
static int load_ktab(const char *name, pl_scenario **out) {
    *out = NULL;
    if (pl_input_format_of(name) != PL_INPUT_CSV) return 0;
    pl_diags *diags = NULL;
    pl_smp_data *d = NULL;
    pl_status rc = pl_diags_new(&diags);
    if (rc == PL_OK) rc = pl_smp_read_ktab_file(name, diags, &d);
    pl_diags_free(diags);
    if (rc == PL_ENOMEM) return cli_fail(rc, name);
    if (rc != PL_OK) return 0; /* not KTAB: the one-issue CSV reader says why */
    rc = pl_smp_data_to_scenario(d, out);
    pl_smp_data_free(d);
    if (rc != PL_OK) {
        fprintf(stderr, "parley: %s: the KTAB data does not make a scenario: %s\n", name,
                pl_strerror(rc));
        return rc == PL_ENOMEM ? EXIT_RUN : EXIT_INPUT;
    }
    return 0;
}

/* The figures, computed in turn; 0 or an exit code.  Each long step can be
** stopped by Ctrl-C. */
typedef struct figures {
    pl_report_figures f;
    pl_forecast *forecast;
    pl_mc *mc;
    pl_eum_trace *eum;
    pl_smp_data *smp_data;
    pl_smp_result *smp;
    pl_sensitivity *sens;
    pl_exchange_scenario *exchange;
    pl_space *space;
    pl_deals *deals;
    pl_deals_sample *sample;
    notes notes;
} figures;

static void figures_free(figures *g) {
    pl_forecast_free(g->forecast);
    pl_mc_free(g->mc);
    pl_eum_trace_free(g->eum);
    pl_smp_data_free(g->smp_data);
    pl_smp_result_free(g->smp);
    pl_sensitivity_free(g->sens);
    pl_exchange_scenario_free(g->exchange);
    pl_space_free(g->space);
    pl_deals_free(g->deals);
    pl_deals_sample_free(g->sample);
}

/* A step's status: 0 to go on, else the exit code (messages printed). */
static int step(pl_status rc, cli_work *w, int sig, const char *name) {
    if (rc == PL_OK) return 0;
    if (sig && rc == PL_EINTERRUPTED) return cli_interrupted(w, sig);
    return cli_fail(rc, name);
}

static int deal_space(const cli_opts *opts, figures *g, const char *name, unsigned threads,
                      unsigned long sample, unsigned long long seed) {
    pl_diags *diags = NULL;
    pl_deals_options dopts;
    pl_deals_options_init(&dopts);
    dopts.n_threads = threads;
    dopts.max_outcomes = REPORT_MAX_PACKAGES;
    cli_work w;
    cli_work_begin(&w, "packages counted");
    dopts.progress = cli_progress;
    dopts.progress_ctx = &w;
    pl_status rc = pl_diags_new(&diags);
    if (rc == PL_OK) rc = pl_deals_run(g->space, &dopts, diags, &g->deals);
    int sig = cli_work_end(&w);
    if (rc == PL_ERANGE) { /* too many packages: the report goes on without them */
        note(&g->notes, "The agreement space is left out: it has more than %s packages%s.",
             "10,000,000", "");
        pl_diags_free(diags);
        return 0;
    }
    if (rc != PL_OK && rc != PL_ENOMEM && rc != PL_EINTERRUPTED && pl_diags_count(diags)) {
        cli_print_diags(diags, 1);
        pl_diags_free(diags);
        return EXIT_INPUT;
    }
    pl_diags_free(diags);
    int code = step(rc, &w, sig, name);
    if (code) return code;
    rc = pl_deals_sample_run(g->space, sample, seed, &g->sample);
    if (rc != PL_OK) return cli_fail(rc, name);
    g->f.space = g->space;
    g->f.deals = g->deals;
    g->f.sample = g->sample;
    (void)opts;
    return 0;
}

/* --model M,M,...: the models in the Monte Carlo runs (default: sticky
** alone).  Returns an exit code. */
static int report_models(const cli_opts *opts, pl_mc_options *mo) {
    /* by default only the model the report leads with (its band is the one
    ** shown): the others' runs would cost time (the EUM's most) and show
    ** nowhere */
    memset(mo->models, 0, sizeof mo->models);
    mo->models[PL_MODEL_STICKY] = 1;
    const char *list = cli_opt(opts, "--model");
    if (list) { /* M,M,... */
        memset(mo->models, 0, sizeof mo->models);
        char buf[256];
        snprintf(buf, sizeof buf, "%s", list);
        for (char *save = NULL, *m = strtok_r(buf, ",", &save); m; m = strtok_r(NULL, ",", &save)) {
            pl_model model;
            if (pl_mc_model_from_name(m, &model) != PL_OK) {
                fprintf(stderr, "parley report: --model: expected model names separated by "
                                "commas (");
                for (int k = 0; k < PL_MC_N_MODELS; k++) /* every model the runs know */
                    fprintf(stderr, "%s%s", k ? ", " : "", pl_mc_model_name((pl_model)k));
                fprintf(stderr, "), found \"%s\"\n", m);
                return EXIT_INPUT;
            }
            mo->models[model] = 1;
        }
    }
    return EXIT_OK;
}

/* The Monte Carlo runs for the bands. */
static int mc_figures(figures *g, const pl_scenario *s, const char *name, pl_mc_options *mo) {
    cli_work w;
    cli_work_begin(&w, "runs finished");
    mo->progress = cli_progress;
    mo->progress_ctx = &w;
    pl_status rc = pl_mc_run(s, mo, &g->mc);
    int sig = cli_work_end(&w);
    if (sig && (rc == PL_EINTERRUPTED || (rc == PL_OK && pl_mc_interrupted(g->mc)))) {
        w.done = (double)pl_mc_n_runs(g->mc);
        return cli_interrupted(&w, sig);
    }
    int code = step(rc, &w, sig, name);
    if (code) return code;
    g->f.mc = g->mc;
    return 0;
}

/* The EUM round by round. */
static int eum_figures(figures *g, const pl_scenario *s, const char *name) {
    pl_forecast_options fo;
    pl_forecast_options_init(&fo);
    cli_work w;
    cli_work_begin(&w, "rounds finished (of the issue in hand)");
    fo.eum.progress = cli_progress;
    fo.eum.progress_ctx = &w;
    pl_status rc = pl_eum_trace_run(s, &fo.eum, &g->eum);
    int sig = cli_work_end(&w);
    int code = step(rc, &w, sig, name);
    if (code) return code;
    g->f.eum = g->eum;
    return 0;
}

/* The spatial model, when the scenario is in its range (else a note). */
static int smp_figures(figures *g, const pl_scenario *s, const char *name, unsigned threads) {
    pl_diags *diags = NULL;
    pl_status rc;
    if ((rc = pl_diags_new(&diags)) != PL_OK) return cli_fail(rc, name);
    rc = pl_smp_data_from_scenario(s, PL_SMP_SAL_CAP, diags, &g->smp_data);
    if (rc == PL_OK) {
        pl_smp_options so;
        pl_smp_options_init(&so);
        so.n_threads = threads;
        cli_work w;
        cli_work_begin(&w, "turns finished");
        so.progress = cli_progress;
        so.progress_ctx = &w;
        pl_diags_clear(diags);
        rc = pl_smp_run(g->smp_data, &so, diags, &g->smp);
        int sig = cli_work_end(&w);
        if (sig && rc == PL_EINTERRUPTED) {
            pl_diags_free(diags);
            return cli_interrupted(&w, sig);
        }
        if (rc == PL_OK) {
            g->f.smp_data = g->smp_data;
            g->f.smp = g->smp;
        }
    }
    if (rc == PL_ENOMEM) {
        pl_diags_free(diags);
        return cli_fail(rc, name);
    }
    if (rc != PL_OK) {
        const pl_diag *d = pl_diags_count(diags) ? pl_diags_get(diags, 0) : NULL;
        note(&g->notes, "The spatial model did not run on this scenario: %s%s",
             d ? d->message : pl_strerror(rc), ".");
    }
    pl_diags_free(diags);
    return 0;
}

/* The sensitivity swings of the compromise model. */
static int sensitivity_figures(figures *g, const pl_scenario *s, const char *name) {
    pl_sensitivity_options seo;
    pl_sensitivity_options_init(&seo);
    cli_work w;
    cli_work_begin(&w, "swings computed");
    seo.progress = cli_progress;
    seo.progress_ctx = &w;
    pl_status rc = pl_sensitivity_run(s, PL_MODEL_COMPROMISE, &seo, &g->sens);
    int sig = cli_work_end(&w);
    int code = step(rc, &w, sig, name);
    if (code) return code;
    g->f.sensitivity = g->sens;
    g->f.sensitivity_model = PL_MODEL_COMPROMISE;
    return 0;
}

static int scenario_figures(const cli_opts *opts, figures *g, const pl_scenario *s,
                            const char *name) {
    unsigned long runs = 1000, seed = 1, sample = REPORT_SAMPLE_DEFAULT;
    unsigned threads = 0;
    if (!cli_opt_ulong(opts, "--runs", 0, 100000000ul, &runs) ||
        !cli_opt_ulong(opts, "--seed", 0, ~0ul, &seed) || !cli_opt_threads(opts, &threads) ||
        !cli_opt_ulong(opts, "--sample", 1, 1000000, &sample))
        return EXIT_INPUT;
    pl_mc_options mo;
    pl_mc_options_init(&mo);
    int code = report_models(opts, &mo);
    if (code) return code;
    g->f.scenario = s;
    pl_status rc = pl_forecast_run(s, NULL, &g->forecast);
    if (rc != PL_OK) return cli_fail(rc, name);
    g->f.forecast = g->forecast;

    if (runs > 0) {
        mo.runs = runs;
        mo.seed = seed;
        mo.n_threads = threads;
        if ((code = mc_figures(g, s, name, &mo))) return code;
    }
    if ((code = eum_figures(g, s, name))) return code;
    if ((code = smp_figures(g, s, name, threads))) return code;

    /* the exchange model on the linked issues: the exchanges made */
    if ((rc = pl_exchange_scenario_run(s, NULL, &g->exchange)) != PL_OK) return cli_fail(rc, name);
    g->f.exchange = g->exchange;

    if ((code = sensitivity_figures(g, s, name))) return code;

    if (pl_scenario_n_actors(s) > REPORT_MAX_DEAL_PARTIES) {
        char n[32];
        snprintf(n, sizeof n, "%zu", pl_scenario_n_actors(s));
        note(&g->notes,
             "The agreement space is left out: %s parties are more than a picture of their "
             "package deals can show (at most %s; see parley deals).",
             n, "20");
        return 0;
    }
    pl_space_options spo;
    pl_space_options_init(&spo);
    if ((rc = pl_space_from_scenario(s, &spo, &g->space)) != PL_OK) return cli_fail(rc, name);
    return deal_space(opts, g, name, threads, sample, seed);
}

/* With --genius: the agreement space of GENIUS files alone. */
static int genius_figures(const cli_opts *opts, figures *g, const char *name) {
    unsigned long sample = REPORT_SAMPLE_DEFAULT, seed = 1;
    unsigned threads = 0;
    if (!cli_opt_ulong(opts, "--sample", 1, 1000000, &sample) ||
        !cli_opt_ulong(opts, "--seed", 0, ~0ul, &seed) || !cli_opt_threads(opts, &threads))
        return EXIT_INPUT;
    if (cli_opt(opts, "--runs") || cli_opt(opts, "--model") || cli_opt(opts, "--set") ||
        cli_opt(opts, "--drop") || cli_opt(opts, "--add")) {
        fprintf(stderr, "parley report: --genius: expected no --runs, --model, --set, --drop "
                        "or --add (a GENIUS domain has no positions to forecast)\n");
        return EXIT_INPUT;
    }
    pl_space_options so;
    pl_space_options_init(&so);
    int code;
    if ((code = cli_load_genius(opts, "report", &so, &g->space))) return code;
    if ((code = deal_space(opts, g, name, threads, sample, seed))) return code;
    if (!g->deals) {
        fprintf(stderr,
                "parley report: %s: the agreement space has too many packages to "
                "report (more than 10,000,000)\n",
                name);
        return EXIT_INPUT;
    }
    return 0;
}

/* The id in out_name (of `size` bytes) made a file name: letters, digits,
** '-', '_', '.' (any other character a '-'; "report" if empty), ".html". */
static void html_file_name(char *out_name, size_t size) {
    for (char *p = out_name; *p; p++)
        if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
              *p == '-' || *p == '_' || *p == '.'))
            *p = '-';
    if (!*out_name) snprintf(out_name, size, "report");
    strncat(out_name, ".html", size - strlen(out_name) - 1);
}

int cmd_report(const cli_opts *opts) {
    if (opts->format != PL_FORMAT_TEXT && opts->format != PL_FORMAT_HTML) {
        fprintf(stderr, "parley report: --format: expected html (the report is an HTML file)\n");
        return EXIT_INPUT;
    }
    int genius = cli_opt(opts, "--genius") != NULL;
    if (!genius && opts->n_args > 1) {
        fprintf(stderr,
                "parley report: expected one scenario (or --genius FILES), found %d "
                "(see 'parley report --help')\n",
                opts->n_args);
        return EXIT_INPUT;
    }
    const char *name = opts->n_args ? opts->args[0] : PL_DEFAULT_SCENARIO;
    figures g;
    memset(&g, 0, sizeof g);
    pl_report_figures_init(&g.f);
    pl_scenario *s = NULL;
    char *command = cli_command_line(opts, 0);
    g.f.command = command;
    int code = 0;
    char out_name[256];
    if (genius) {
        if ((code = genius_figures(opts, &g, name))) goto done;
        /* file name: the space's name as an id */
        snprintf(out_name, sizeof out_name, "%s", pl_space_name(g.space));
    } else {
        if ((code = load_ktab(name, &s))) goto done;
        if (!s && (code = cli_load(name, opts, &s))) goto done;
        int changed = 0;
        if ((code = cli_whatif(opts, &s, &changed))) goto done;
        if ((code = scenario_figures(opts, &g, s, name))) goto done;
        snprintf(out_name, sizeof out_name, "%s", pl_scenario_id(s));
    }
    html_file_name(out_name, sizeof out_name);
    g.f.notes = g.notes.ptr;
    g.f.n_notes = g.notes.n;
    char *html = NULL;
    pl_status rc = pl_report_html(&g.f, &html);
    if (rc != PL_OK) {
        code = cli_fail(rc, name);
        goto done;
    }
    cli_opts o = *opts;
    if (!o.output) o.output = out_name;
    code = cli_emit(&o, html);
    if (code == EXIT_OK && !opts->output && !opts->quiet)
        fprintf(stderr, "parley: report written to %s\n", out_name);
    pl_free(html);
done:
    figures_free(&g);
    pl_scenario_free(s);
    free(command);
    return code;
}
