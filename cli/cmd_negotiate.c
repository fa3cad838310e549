/*
** cmd_negotiate.c: `parley negotiate` -- a negotiation played out offer by
** offer (stacked alternating offers) between one agent per party, on a
** scenario's or GENIUS files' space of packages.  Parses and prints; the
** library negotiates (pl_negotiate) and reports (--format html and svg:
** with the trace on, which the charts draw).
*/
#define _POSIX_C_SOURCE 200809L
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_STEPS 100000000ul

static void list_agents(FILE *f) {
    for (size_t i = 0; i < pl_agent_count(); i++)
        fprintf(f, "%s%s", i ? ", " : "", pl_agent_usage(i));
}

/* Split --agents A,B,... into specs (pointers into buf, at most
** CLI_MAX_AGENTS); returns the count, or -1 (message printed, naming cmd).
** distinct: the same agent twice is an error (a tournament's agents). */
int cli_parse_agents(const char *cmd, const char *list, char *buf, size_t size, const char **specs,
                     int distinct) {
    if (strlen(list) >= size) {
        fprintf(stderr, "parley %s: --agents: expected at most %d agents, found a longer list\n",
                cmd, CLI_MAX_AGENTS);
        return -1;
    }
    strcpy(buf, list);
    int n = 0;
    for (char *p = buf;;) {
        char *comma = strchr(p, ',');
        if (comma) *comma = 0;
        if (n == CLI_MAX_AGENTS) {
            fprintf(stderr, "parley %s: --agents: expected at most %d agents, found more\n", cmd,
                    CLI_MAX_AGENTS);
            return -1;
        }
        pl_status rc = pl_agent_check(p);
        if (rc != PL_OK) {
            if (rc == PL_ERANGE) {
                size_t len = strcspn(p, ":");
                for (size_t i = 0; i < pl_agent_count(); i++)
                    if (strlen(pl_agent_name(i)) == len && strncmp(pl_agent_name(i), p, len) == 0)
                        fprintf(stderr, "parley %s: --agents: expected %s (%s), found \"%s\"\n",
                                cmd, pl_agent_usage(i), pl_agent_summary(i), p);
            } else {
                fprintf(stderr, "parley %s: --agents: expected an agent (", cmd);
                list_agents(stderr);
                fprintf(stderr, "), found \"%s\"\n", p);
            }
            return -1;
        }
        for (int k = 0; distinct && k < n; k++)
            if (strcmp(specs[k], p) == 0) {
                fprintf(stderr,
                        "parley %s: --agents: expected distinct agents, found \"%s\" twice\n", cmd,
                        p);
                return -1;
            }
        specs[n++] = p;
        if (!comma) break;
        p = comma + 1;
    }
    return n;
}

/* The options of negotiate but --agents: --steps, --seed, --max-outcomes,
** the flags and the space's.  Returns an exit code. */
static int negotiate_options(const cli_opts *opts, pl_space_options *so, pl_negotiate_options *no) {
    unsigned long steps = 100, seed = 1;
    double cap = 0;
    if (!cli_opt_ulong(opts, "--steps", 1, MAX_STEPS, &steps) ||
        !cli_opt_ulong(opts, "--seed", 0, ~0ul, &seed) ||
        !cli_opt_double(opts, "--max-outcomes", 1, (double)PL_NEGOTIATE_MAX_CAP, &cap) ||
        !cli_opt_space(opts, so))
        return EXIT_INPUT;
    no->n_steps = steps;
    no->seed = seed;
    no->max_outcomes = (uint64_t)cap;
    no->trace = cli_opt(opts, "--trace") != NULL;
    no->rational = cli_opt(opts, "--rational") != NULL;
    no->discount = cli_opt(opts, "--discount") != NULL;
    return EXIT_OK;
}

/* One agent per party of sp: else a message naming the parties and
** EXIT_INPUT. */
static int one_per_party(const pl_space *sp, int n_agents) {
    size_t np = pl_space_n_parties(sp);
    if ((size_t)n_agents != np) {
        fprintf(stderr, "parley negotiate: --agents: expected %zu agents, one per party (", np);
        for (size_t p = 0; p < np; p++)
            fprintf(stderr, "%s%s", p ? ", " : "", pl_space_party(sp, p));
        fprintf(stderr, "), found %d\n", n_agents);
        return EXIT_INPUT;
    }
    return EXIT_OK;
}

/* The frontier for the distances, into *d: without it (too large a space)
** the report leaves them out and says why; out of memory sets *rc.
** Returns an exit code (interrupted). */
static int frontier(const cli_opts *opts, const pl_space *sp, const char *input, pl_diags *diags,
                    pl_deals **d, pl_status *rc) {
    pl_deals_options dopts;
    memset(&dopts, 0, sizeof dopts);
    cli_work w;
    cli_work_begin(&w, "packages counted");
    dopts.progress = cli_progress;
    dopts.progress_ctx = &w;
    pl_diags_clear(diags);
    pl_status drc = pl_deals_run(sp, &dopts, diags, d);
    int sig = cli_work_end(&w);
    if (sig && drc == PL_EINTERRUPTED) return cli_interrupted(&w, sig);
    if (drc == PL_ENOMEM) {
        *rc = drc;
    } else if (drc != PL_OK && !opts->quiet) {
        fprintf(stderr,
                "parley: %s: the distances to the Pareto frontier and the Nash point "
                "are left out: %s\n",
                input, pl_diags_count(diags) ? pl_diags_get(diags, 0)->message : pl_strerror(drc));
    }
    return EXIT_OK;
}

/* The report in opts->format; the HTML page states the command line. */
static pl_status report(const cli_opts *opts, const pl_space *sp, const pl_negotiation *neg,
                        const pl_deals *d, char **text) {
    if (opts->format != PL_FORMAT_HTML)
        return pl_report_negotiation(sp, neg, d, opts->format, text);
    char *command = cli_command_line(opts, 1);
    if (!command) return PL_ENOMEM;
    pl_status rc = pl_report_negotiation_html(sp, neg, d, command, text);
    free(command);
    return rc;
}

int cmd_negotiate(const cli_opts *opts) {
    pl_space_options so;
    pl_negotiate_options no;
    memset(&so, 0, sizeof so);
    memset(&no, 0, sizeof no);
    if (negotiate_options(opts, &so, &no) != EXIT_OK) return EXIT_INPUT;
    /* the page and the charts draw the offers */
    int draws = opts->format == PL_FORMAT_HTML || opts->format == PL_FORMAT_SVG;
    if (draws) no.trace = 1;
    const char *list = cli_opt(opts, "--agents");
    if (!list) {
        fprintf(stderr, "parley negotiate: expected --agents A,B,... (one agent per party: ");
        list_agents(stderr);
        fprintf(stderr, "), found none\n");
        return EXIT_INPUT;
    }
    char agent_buf[CLI_MAX_AGENTS * 32];
    const char *specs[CLI_MAX_AGENTS];
    int n_agents = cli_parse_agents("negotiate", list, agent_buf, sizeof agent_buf, specs, 0);
    if (n_agents < 0) return EXIT_INPUT;
    if (!cli_opt_protocol(opts, "negotiate", &no.protocol)) return EXIT_INPUT;

    /* the space */
    const char *input = opts->n_args ? opts->args[0] : PL_DEFAULT_SCENARIO;
    pl_space *sp = NULL;
    int code = cli_load_space(opts, "negotiate", &so, &sp);
    if (code != EXIT_OK) return code;
    if ((code = one_per_party(sp, n_agents)) != EXIT_OK) {
        pl_space_free(sp);
        return code;
    }

    /* the negotiation, then the frontier for the distances */
    pl_diags *diags = NULL;
    pl_negotiation *neg = NULL;
    pl_deals *d = NULL;
    char *text = NULL;
    pl_status rc = pl_diags_new(&diags);
    if (rc == PL_OK) rc = pl_negotiate(sp, specs, (size_t)n_agents, &no, diags, &neg);
    if (rc == PL_OK) code = frontier(opts, sp, input, diags, &d, &rc);
    if (code == EXIT_OK) {
        if (rc == PL_OK) rc = report(opts, sp, neg, d, &text);
        if (rc == PL_OK) {
            code = cli_emit(opts, text);
        } else if (rc != PL_ENOMEM && pl_diags_count(diags)) {
            cli_print_diags(diags, 1);
            code = EXIT_INPUT;
        } else {
            code = cli_fail(rc, input);
        }
    }
    pl_free(text);
    pl_deals_free(d);
    pl_negotiation_free(neg);
    pl_diags_free(diags);
    pl_space_free(sp);
    return code;
}
