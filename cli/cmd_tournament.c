/*
** cmd_tournament.c: `parley tournament` -- every assignment of agents to
** roles on every domain, repeated, summarised per agent; and the
** --protocol option it shares with `parley negotiate`.  Parses and prints;
** the library plays (pl_tournament_run) and reports.
*/
#define _POSIX_C_SOURCE 200809L
#include "cli.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
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

static int name_cmp(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A GENIUS folder's identity: its regular files' names and bytes, in
** name order, into *h. */
static int digest_dir(const char *dir, unsigned long long *h) {
    DIR *d = opendir(dir);
    if (!d) return cli_fail(PL_EIO, dir);
    char *names[256];
    size_t n = 0;
    struct dirent *e;
    int code = EXIT_OK;
    while (code == EXIT_OK && (e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.') continue;
        if (n == 256 || !(names[n] = strdup(e->d_name))) code = cli_fail(PL_ENOMEM, dir);
        else n++;
    }
    closedir(d);
    qsort(names, n, sizeof *names, name_cmp);
    char path[4096];
    for (size_t k = 0; k < n && code == EXIT_OK; k++) {
        snprintf(path, sizeof path, "%s/%s", dir, names[k]);
        FILE *f = is_dir(path) ? NULL : fopen(path, "rb");
        if (!f) continue;
        *h = cli_fnv(*h, names[k], strlen(names[k]) + 1);
        char buf[65536];
        size_t got;
        while ((got = fread(buf, 1, sizeof buf, f)) > 0) *h = cli_fnv(*h, buf, got);
        if (ferror(f)) code = cli_fail(PL_EIO, path);
        fclose(f);
    }
    for (size_t k = 0; k < n; k++) free(names[k]);
    return code;
}

/* The space of one DOMAIN argument: a GENIUS folder, else a scenario;
** h (NULL: not wanted) takes in its identity. */
static int load_domain(const cli_opts *opts, const char *name, const pl_space_options *so,
                       pl_space **out, unsigned long long *h) {
    if (is_dir(name)) {
        pl_diags *diags = NULL;
        pl_status rc = pl_diags_new(&diags);
        if (rc == PL_OK) rc = pl_space_load_genius_dir(name, so, diags, out);
        int code = EXIT_OK;
        if (rc == PL_ENOMEM) code = cli_fail(rc, name);
        else if (rc != PL_OK) code = EXIT_INPUT;
        if (rc != PL_ENOMEM) cli_print_diags(diags, !opts->quiet);
        pl_diags_free(diags);
        if (code == EXIT_OK && h) code = digest_dir(name, h);
        return code;
    }
    pl_scenario *s = NULL;
    int code = cli_load(name, opts, &s);
    if (code == EXIT_OK) {
        pl_status rc = pl_space_from_scenario(s, so, out);
        if (rc != PL_OK) code = cli_fail(rc, name);
    }
    char digest[64];
    if (code == EXIT_OK && h && (code = cli_digest_scenario(s, name, digest, sizeof digest)) == 0)
        *h = cli_fnv(*h, digest, strlen(digest) + 1);
    pl_scenario_free(s);
    return code;
}

/* What a tournament is played with: its options, agents and domains. */
typedef struct tour {
    pl_space_options so;
    pl_tournament_options to;
    char agent_buf[CLI_MAX_AGENTS * 32];
    const char *specs[CLI_MAX_AGENTS];
    int n_agents;
    pl_space *spaces[64];
    size_t n_domains;
    unsigned long long digest; /* of the domains, when a sweep is split */
} tour;

static int tour_options(const cli_opts *opts, tour *c) {
    unsigned long steps = 100, seed = 1, grid = 0, repeat = 1;
    double cap = 0, step = 0;
    if (!cli_opt_ulong(opts, "--steps", 1, MAX_STEPS, &steps) ||
        !cli_opt_ulong(opts, "--repeat", 1, 1000000, &repeat) ||
        !cli_opt_ulong(opts, "--seed", 0, ~0ul, &seed) ||
        !cli_opt_threads(opts, &c->to.n_threads) ||
        !cli_opt_double(opts, "--max-outcomes", 1, (double)PL_NEGOTIATE_MAX_CAP, &cap) ||
        !cli_opt_ulong(opts, "--grid", 2, 1000, &grid) ||
        !cli_opt_double(opts, "--real-step", 1e-12, 1e12, &step) ||
        !cli_opt_protocol(opts, "tournament", &c->to.negotiate.protocol))
        return EXIT_INPUT;
    const char *list = cli_opt(opts, "--agents");
    if (!list) {
        fprintf(stderr, "parley tournament: expected --agents A,B,... (");
        for (size_t i = 0; i < pl_agent_count(); i++)
            fprintf(stderr, "%s%s", i ? ", " : "", pl_agent_usage(i));
        fprintf(stderr, "), found none\n");
        return EXIT_INPUT;
    }
    c->n_agents = cli_parse_agents("tournament", list, c->agent_buf, sizeof c->agent_buf, c->specs,
                                   1);
    if (c->n_agents < 0) return EXIT_INPUT;
    c->to.negotiate.n_steps = steps;
    c->to.negotiate.seed = seed;
    c->to.negotiate.max_outcomes = (uint64_t)cap;
    c->to.negotiate.rational = cli_opt(opts, "--rational") != NULL;
    c->to.negotiate.discount = cli_opt(opts, "--discount") != NULL;
    c->to.repeat = repeat;
    c->so.grid_points = grid;
    c->so.real_step = step;
    return EXIT_OK;
}

/* A library failure of the tournament (rc, its diagnostics) as an exit code. */
static int tour_failed(pl_status rc, const pl_diags *diags) {
    if (rc != PL_ENOMEM && pl_diags_count(diags)) {
        cli_print_diags(diags, 1);
        return EXIT_INPUT;
    }
    return cli_fail(rc, "tournament");
}

/* This process's range of the negotiations played into *t. */
static int tour_play(const cli_opts *opts, tour *c, pl_diags *diags, pl_tournament **t) {
    cli_work w;
    cli_work_begin(&w, "negotiations");
    c->to.progress = cli_progress;
    c->to.progress_ctx = &w;
    pl_status rc = pl_tournament_run((const pl_space *const *)c->spaces, c->n_domains, c->specs,
                                     (size_t)c->n_agents, &c->to, diags, t);
    int sig = cli_work_end(&w);
    if (sig && rc == PL_EINTERRUPTED) return cli_interrupted(&w, sig);
    if (rc != PL_OK) return tour_failed(rc, diags);
    cli_print_diags(diags, !opts->quiet);
    return EXIT_OK;
}

static pl_status tour_write(const pl_part_info *info, const void *t, char **out) {
    return pl_part_write_tournament(info, t, out);
}
static pl_status tour_join(const pl_part *const *parts, size_t n, pl_diags *diags, void *ctx,
                           void **out) {
    tour *c = ctx;
    pl_tournament *t = NULL;
    pl_tournament_options o = c->to;
    o.progress = NULL;
    pl_status rc = pl_part_join_tournament(parts, n, (const pl_space *const *)c->spaces,
                                           c->n_domains, c->specs, (size_t)c->n_agents, &o, diags,
                                           &t);
    *out = t;
    return rc;
}
static void tour_free(void *t) { pl_tournament_free(t); }

/* The negotiations this process plays (all, a --run-range, an MPI
** rank's block, or none: merge joins parts) and the whole when it
** reports it. */
static int tour_sweep(const cli_opts *opts, tour *c, pl_diags *diags, pl_tournament **t) {
    uint64_t total = 0;
    pl_status rc = pl_tournament_size((const pl_space *const *)c->spaces, c->n_domains, c->specs,
                                      (size_t)c->n_agents, &c->to, diags, &total);
    if (rc != PL_OK) return tour_failed(rc, diags);
    cli_range range;
    int code = cli_range_get(opts, total, &range);
    if (code) return code;
    int split = range.part || range.ranks > 1;
    c->to.first = split ? range.first : 0;
    c->to.count = split ? range.count : 0;
    if (!opts->parts && (!split || range.count)) code = tour_play(opts, c, diags, t);
    if (!split && !opts->parts) return code;
    char digest[64];
    snprintf(digest, sizeof digest, "fnv1a64:%016llx", c->digest);
    const cli_kind kind = {tour_write, tour_join, tour_free, c, "tournament", "domains"};
    void *result = *t;
    code = cli_range_finish(opts, &range, digest, code, &kind, &result);
    *t = result;
    return code;
}

int cmd_tournament(const cli_opts *opts) {
    tour *c = calloc(1, sizeof *c);
    if (!c) return cli_fail(PL_ENOMEM, "tournament");
    int code = tour_options(opts, c);
    /* the domains, and their identity when the negotiations are split */
    static const char *const default_domain[1] = {PL_DEFAULT_SCENARIO};
    const char *const *names = opts->n_args ? opts->args : default_domain;
    c->n_domains = opts->n_args ? (size_t)opts->n_args : 1;
    int rank = 0, split = opts->parts || cli_opt(opts, "--run-range") || cli_mpi_ranks(&rank) > 1;
    for (size_t d = 0; code == EXIT_OK && d < c->n_domains; d++)
        code = load_domain(opts, names[d], &c->so, &c->spaces[d], split ? &c->digest : NULL);
    pl_diags *diags = NULL;
    pl_tournament *t = NULL;
    char *text = NULL;
    if (code == EXIT_OK && pl_diags_new(&diags) != PL_OK) code = cli_fail(PL_ENOMEM, "tournament");
    if (code == EXIT_OK) code = tour_sweep(opts, c, diags, &t);
    if (code == EXIT_OK && t) {
        pl_status rc = pl_report_tournament(t, opts->format, &text);
        code = rc == PL_OK ? cli_emit(opts, text) : cli_fail(rc, "tournament");
    }
    pl_free(text);
    pl_tournament_free(t);
    pl_diags_free(diags);
    for (size_t d = 0; d < c->n_domains; d++) pl_space_free(c->spaces[d]);
    free(c);
    return code;
}
