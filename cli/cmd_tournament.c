/*
** cmd_tournament.c: `parley tournament` -- every assignment of agents to
** roles on every domain, repeated, summarised per agent; and the
** --protocol option it shares with `parley negotiate`.  Parses and prints;
** the library plays (pl_tournament_run) and reports.
*/
#define _POSIX_C_SOURCE 200809L
#include "cli.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

int cli_opt_protocol(const cli_opts *opts, const char *cmd, pl_protocol *out) {
    const char *name = cli_opt(opts, "--protocol");
    if (!name) return 1;
    if (pl_protocol_from_name(name, out) == PL_OK) return 1;
    fprintf(stderr, "parley %s: --protocol: expected sao or single-text, found \"%s\"\n", cmd,
            name);
    return 0;
}

#define MAX_STEPS 100000000ul

static int is_dir(const char *path) {
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The space of one DOMAIN argument: a GENIUS folder, else a scenario. */
static int load_domain(const cli_opts *opts, const char *name, const pl_space_options *so,
                       pl_space **out) {
    if (is_dir(name)) {
        pl_diags *diags = NULL;
        pl_status rc = pl_diags_new(&diags);
        if (rc == PL_OK) rc = pl_space_load_genius_dir(name, so, diags, out);
        int code = EXIT_OK;
        if (rc == PL_ENOMEM) code = cli_fail(rc, name);
        else if (rc != PL_OK) code = EXIT_INPUT;
        if (rc != PL_ENOMEM) cli_print_diags(diags, !opts->quiet);
        pl_diags_free(diags);
        return code;
    }
    pl_scenario *s = NULL;
    int code = cli_load(name, opts, &s);
    if (code == EXIT_OK) {
        pl_status rc = pl_space_from_scenario(s, so, out);
        if (rc != PL_OK) code = cli_fail(rc, name);
    }
    pl_scenario_free(s);
    return code;
}

int cmd_tournament(const cli_opts *opts) {
    pl_space_options so;
    pl_tournament_options to;
    memset(&so, 0, sizeof so);
    memset(&to, 0, sizeof to);
    unsigned long steps = 100, seed = 1, grid = 0, repeat = 1;
    double cap = 0, step = 0;
    if (!cli_opt_ulong(opts, "--steps", 1, MAX_STEPS, &steps) ||
        !cli_opt_ulong(opts, "--repeat", 1, 1000000, &repeat) ||
        !cli_opt_ulong(opts, "--seed", 0, ~0ul, &seed) || !cli_opt_threads(opts, &to.n_threads) ||
        !cli_opt_double(opts, "--max-outcomes", 1, (double)PL_NEGOTIATE_MAX_CAP, &cap) ||
        !cli_opt_ulong(opts, "--grid", 2, 1000, &grid) ||
        !cli_opt_double(opts, "--real-step", 1e-12, 1e12, &step) ||
        !cli_opt_protocol(opts, "tournament", &to.negotiate.protocol))
        return EXIT_INPUT;
    const char *list = cli_opt(opts, "--agents");
    if (!list) {
        fprintf(stderr, "parley tournament: expected --agents A,B,... (");
        for (size_t i = 0; i < pl_agent_count(); i++)
            fprintf(stderr, "%s%s", i ? ", " : "", pl_agent_usage(i));
        fprintf(stderr, "), found none\n");
        return EXIT_INPUT;
    }
    char agent_buf[CLI_MAX_AGENTS * 32];
    const char *specs[CLI_MAX_AGENTS];
    int n_agents = cli_parse_agents("tournament", list, agent_buf, sizeof agent_buf, specs, 1);
    if (n_agents < 0) return EXIT_INPUT;
    to.negotiate.n_steps = steps;
    to.negotiate.seed = seed;
    to.negotiate.max_outcomes = (uint64_t)cap;
    to.negotiate.rational = cli_opt(opts, "--rational") != NULL;
    to.negotiate.discount = cli_opt(opts, "--discount") != NULL;
    to.repeat = repeat;
    so.grid_points = grid;
    so.real_step = step;

    /* the domains */
    static const char *const default_domain[1] = {PL_DEFAULT_SCENARIO};
    const char *const *names = opts->n_args ? opts->args : default_domain;
    size_t n_domains = opts->n_args ? (size_t)opts->n_args : 1;
    pl_space *spaces[64] = {NULL};
    int code = EXIT_OK;
    for (size_t d = 0; code == EXIT_OK && d < n_domains; d++)
        code = load_domain(opts, names[d], &so, &spaces[d]);

    pl_diags *diags = NULL;
    pl_tournament *t = NULL;
    char *text = NULL;
    pl_status rc = PL_OK;
    if (code == EXIT_OK) {
        rc = pl_diags_new(&diags);
        cli_work w;
        cli_work_begin(&w, "negotiations");
        to.progress = cli_progress;
        to.progress_ctx = &w;
        if (rc == PL_OK)
            rc = pl_tournament_run((const pl_space *const *)spaces, n_domains, specs,
                                   (size_t)n_agents, &to, diags, &t);
        int sig = cli_work_end(&w);
        if (sig && rc == PL_EINTERRUPTED) {
            code = cli_interrupted(&w, sig);
        } else if (rc == PL_OK) {
            cli_print_diags(diags, !opts->quiet);
            rc = pl_report_tournament(t, opts->format, &text);
            code = rc == PL_OK ? cli_emit(opts, text) : cli_fail(rc, "tournament");
        } else if (rc != PL_ENOMEM && pl_diags_count(diags)) {
            cli_print_diags(diags, 1);
            code = EXIT_INPUT;
        } else {
            code = cli_fail(rc, "tournament");
        }
    }
    pl_free(text);
    pl_tournament_free(t);
    pl_diags_free(diags);
    for (size_t d = 0; d < n_domains; d++) pl_space_free(spaces[d]);
    return code;
}
