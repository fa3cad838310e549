/*
** cmd_deals.c: `parley deals` -- the agreement space of a scenario or of
** ANAC/GENIUS files: zone of possible agreement, Pareto frontier with its
** blockers, bargaining solutions.  Parses and prints; the library computes.
*/
#define _POSIX_C_SOURCE 200809L
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int is_dir(const char *path) {
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int cli_load_genius(const cli_opts *opts, const char *cmd, const pl_space_options *so,
                    pl_space **out) {
    pl_diags *diags = NULL;
    pl_status rc = pl_diags_new(&diags);
    if (rc != PL_OK) return cli_fail(rc, opts->n_args ? opts->args[0] : cmd);
    if (opts->n_args == 1 && is_dir(opts->args[0])) {
        rc = pl_space_load_genius_dir(opts->args[0], so, diags, out);
    } else if (opts->n_args >= 1 && pl_input_format_of(opts->args[0]) == PL_INPUT_JSON) {
        rc = pl_space_load_genius(NULL, opts->args, (size_t)opts->n_args, so, diags, out);
    } else if (opts->n_args >= 2) {
        rc = pl_space_load_genius(opts->args[0], opts->args + 1, (size_t)opts->n_args - 1, so,
                                  diags, out);
    } else {
        fprintf(stderr,
                "parley: %s --genius: expected a domain file and profiles, or a "
                "folder, found %s\n",
                cmd, opts->n_args ? opts->args[0] : "nothing");
        pl_diags_free(diags);
        return EXIT_INPUT;
    }
    int code = EXIT_OK;
    if (rc == PL_ENOMEM) code = cli_fail(rc, opts->args[0]);
    else if (rc != PL_OK) code = EXIT_INPUT;
    if (rc != PL_ENOMEM) cli_print_diags(diags, !opts->quiet);
    pl_diags_free(diags);
    return code;
}

int cli_opt_space(const cli_opts *opts, pl_space_options *so) {
    unsigned long grid = 0;
    double step = 0;
    if (!cli_opt_ulong(opts, "--grid", 2, 1000, &grid) ||
        !cli_opt_double(opts, "--real-step", 1e-12, 1e12, &step))
        return 0;
    so->grid_points = grid;
    so->real_step = step;
    return 1;
}

int cli_load_space(const cli_opts *opts, const char *cmd, const pl_space_options *so,
                   pl_space **out) {
    if (cli_opt(opts, "--genius")) return cli_load_genius(opts, cmd, so, out);
    if (opts->n_args > 1) {
        fprintf(stderr,
                "parley: %s: expected one scenario (or --genius FILES), found "
                "%d arguments\n",
                cmd, opts->n_args);
        return EXIT_INPUT;
    }
    const char *input = opts->n_args ? opts->args[0] : PL_DEFAULT_SCENARIO;
    pl_scenario *s = NULL;
    int code = cli_load(input, opts, &s);
    if (code == EXIT_OK) {
        pl_status rc = pl_space_from_scenario(s, so, out);
        if (rc != PL_OK) code = cli_fail(rc, input);
    }
    pl_scenario_free(s);
    return code;
}

/* The options of deals: --sample and --seed (for --format svg), the
** engine's (--max-outcomes, --threads, --engine) and the space's.
** Returns an exit code. */
static int deals_options(const cli_opts *opts, pl_space_options *so, pl_deals_options *dopts,
                         unsigned long *sample_n, unsigned long *seed) {
    double cap = 0;
    if ((cli_opt(opts, "--sample") || cli_opt(opts, "--seed")) && opts->format != PL_FORMAT_SVG) {
        fprintf(stderr, "parley deals: --sample and --seed go with --format svg\n");
        return EXIT_INPUT;
    }
    if (!cli_opt_ulong(opts, "--sample", 1, 1000000, sample_n) ||
        !cli_opt_ulong(opts, "--seed", 0, ~0ul, seed) ||
        !cli_opt_double(opts, "--max-outcomes", 1, 1.8e19, &cap) ||
        !cli_opt_threads(opts, &dopts->n_threads) || !cli_opt_space(opts, so))
        return EXIT_INPUT;
    const char *engine = cli_opt(opts, "--engine");
    if (engine) {
        if (!strcmp(engine, "auto")) dopts->engine = PL_ENGINE_AUTO;
        else if (!strcmp(engine, "enumerate")) dopts->engine = PL_ENGINE_ENUMERATE;
        else if (!strcmp(engine, "merge")) dopts->engine = PL_ENGINE_MERGE;
        else {
            fprintf(stderr,
                    "parley: deals: --engine: expected auto, enumerate or merge, found %s\n",
                    engine);
            return EXIT_INPUT;
        }
    }
    dopts->max_outcomes = (uint64_t)cap;
    return EXIT_OK;
}

int cmd_deals(const cli_opts *opts) {
    pl_space_options so;
    pl_deals_options dopts;
    memset(&so, 0, sizeof so);
    memset(&dopts, 0, sizeof dopts);
    unsigned long sample_n = 4000, seed = 1;
    pl_space *sp = NULL;
    int code = deals_options(opts, &so, &dopts, &sample_n, &seed);
    if (code == EXIT_OK) code = cli_load_space(opts, "deals", &so, &sp);
    if (code != EXIT_OK) return code;

    pl_diags *diags = NULL;
    pl_deals *d = NULL;
    char *text = NULL;
    cli_work w;
    cli_work_begin(&w, "packages counted");
    dopts.progress = cli_progress;
    dopts.progress_ctx = &w;
    pl_status rc = pl_diags_new(&diags);
    if (rc == PL_OK) rc = pl_deals_run(sp, &dopts, diags, &d);
    int sig = cli_work_end(&w);
    if (rc == PL_OK && opts->format == PL_FORMAT_SVG) { /* the agreement space as a chart */
        pl_deals_sample *sample = NULL;
        rc = pl_deals_sample_run(sp, sample_n, seed, &sample);
        pl_report_figures fig;
        pl_report_figures_init(&fig);
        fig.space = sp;
        fig.deals = d;
        fig.sample = sample;
        if (rc == PL_OK) rc = pl_report_svg(&fig, PL_CHART_SPACE, &text);
        pl_deals_sample_free(sample);
    } else if (rc == PL_OK) {
        rc = pl_report_deals(sp, d, opts->format, &text);
    }
    if (sig && rc == PL_EINTERRUPTED) {
        code = cli_interrupted(&w, sig);
    } else if (rc == PL_OK) {
        code = cli_emit(opts, text);
    } else if (rc != PL_ENOMEM && pl_diags_count(diags)) {
        cli_print_diags(diags, 1);
        code = EXIT_INPUT;
    } else {
        /* the input's file (a GENIUS domain or folder, or the scenario) */
        code = cli_fail(rc, opts->n_args ? opts->args[0] : PL_DEFAULT_SCENARIO);
    }
    pl_free(text);
    pl_deals_free(d);
    pl_diags_free(diags);
    pl_space_free(sp);
    return code;
}
