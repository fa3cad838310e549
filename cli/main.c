/*
** main.c: parley's entry point -- the command line, help texts, dispatch.
*/
#include "cli.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct command {
    const char *name;
    int (*run)(const cli_opts *);
    const char *usage;
    const char *help;
    /* The command's own options, space-separated; a trailing '=' marks one
    ** that takes a value ("--seed= --offers"). */
    const char *options;
    /* Formats beyond text, json and csv that it writes, space-separated
    ** ("html", "svg", "html svg"), or NULL. */
    const char *extra_format;
} command;

static const command commands[] = {
    {"forecast", cmd_forecast, "parley forecast [OPTIONS] [SCENARIO]",
     "Forecast where the bargaining lands on every issue of SCENARIO (a scenario\n"
     "file, or the id of a built-in; default: " PL_DEFAULT_SCENARIO "), with\n"
     "the compromise model (capability x salience weighted mean), the weighted\n"
     "median and the Nash bargaining solution, the spread of positions and the\n"
     "actors closest to the forecast.\n"
     "Uncertainty (docs/uncertainty.md):\n"
     "  --runs N            Monte Carlo: N runs drawing the uncertain values\n"
     "  --seed N            the runs' seed (default 1); results never depend\n"
     "  --threads N         on the number of threads (default: every core)\n"
     "  --model NAME        only this model in the runs (repeatable); smp adds the\n"
     "                      spatial model (not run by default; --smp, --turns),\n"
     "                      exchange the exchange model (--rounds, --p)\n"
     "  --bins N            histogram bins over each scale (default 10)\n"
     "  --run-range F:C     only runs F to F+C-1 of the N, written as a partial\n"
     "                      result (JSON) for 'parley merge' (docs/distributed.md)\n"
     "  Beyond 256 MiB of results the runs are summarised in bounded memory\n"
     "  (quantiles within 1/10000 of the scale; docs/uncertainty.md).\n"
     "What-if, beside the unchanged forecast (repeatable, applied in order; with\n"
     "--runs, --model eum and --model smp too; every output states the changes):\n"
     "  --set ACTOR.ISSUE.position=X   --set ACTOR.ISSUE.salience=X\n"
     "  --set ACTOR.capability=X       --set ACTOR.ISSUE=none (no stake)\n"
     "  --drop ACTOR                   --add ID:NAME:CAPABILITY\n"
     "One model's run in detail (without --runs):\n"
     "  --model eum         the expected utility model round by round\n"
     "  --preset NAME       its preset: scholz (default) or bdm\n"
     "  --rounds N          at most N rounds (default 10, as in forecasts)\n"
     "  --offers            list who challenged whom in each round\n"
     "  --model smp         the spatial model of politics (KTAB's SMP), all issues\n"
     "                      at once; SCENARIO may also be a KTAB .csv or .xml file\n"
     "  --smp KEY=VALUE     an SMP option (repeatable; docs/models/smp.md), e.g.\n"
     "                      vpm=Octic, transitions=Stochastic, salience-norm=divide\n"
     "  --turns N           at most N turns (default 100)\n"
     "  --seed N, --threads N   for stochastic transitions; same results for any N\n"
     "  --history, --probs, --challenges   positions and probabilities at every\n"
     "                      turn, and each turn's challenges and bargains\n"
     "  --model exchange    Stokman's exchange model (trading votes across issues;\n"
     "                      docs/models/exchange.md): outcomes round by round and\n"
     "                      the exchanges made; SCENARIO may be a decide data file\n"
     "  --rounds N          its rounds (default 10)\n"
     "  --p X               randomised equal gain (0-1): X's distribution over\n"
     "  --repetitions N     N repetitions (default 100; --seed, --threads)\n"
     "  --sweep A:STEP:B    the same for p = A, A + STEP, ..., B\n"
     "Fitted models (sticky, snap, candidate, ensemble; docs/backtest.md):\n"
     "  --params FILE       their parameters from 'parley backtest --fit'\n"
     "                      (default: those fitted on DEU III's training file)\n",
     "--runs= --seed= --threads= --model= --bins= --run-range= --set= --drop= --add= --preset= --rounds= "
     "--offers --smp= --turns= --history --probs --challenges --params= "
     "--p= --sweep= --repetitions=",
     "svg"},
    {"validate", cmd_validate, "parley validate [OPTIONS] FILE...",
     "Check scenario files and report every problem as FILE:LINE:COL: what was\n"
     "expected, what was found.  Exit code 0 when all are valid (warnings\n"
     "allowed), 2 when any is not.\n",
     NULL, NULL},
    {"show", cmd_show, "parley show [OPTIONS] [SCENARIO]",
     "Print the scenario: actors, issues, positions and the evidence or\n"
     "assumption behind each value.  --format json prints the scenario in its\n"
     "own file format.  The peers' formats (docs/export.md):\n"
     "  --format genius -o DIR   a GENIUS domain and one profile per actor (the\n"
     "                      package-deal space of 'parley deals'), for GENIUS,\n"
     "                      negmas or 'parley deals --genius DIR'\n"
     "  --format ktab       a KTAB CSV file (the spatial model's input) for smpc\n"
     "                      or 'parley forecast --model smp FILE.csv'\n",
     NULL, NULL},
    {"scenarios", cmd_scenarios, "parley scenarios [OPTIONS]",
     "List the scenarios built into parley.\n", NULL, NULL},
    {"sensitivity", cmd_sensitivity, "parley sensitivity [OPTIONS] [SCENARIO]",
     "Which inputs move each issue's forecast most: every uncertain position,\n"
     "salience and capability swung alone across its range (its own, else the\n"
     "scenario's default spread, else parley's), ranked by the swing of the\n"
     "forecast (a tornado chart).\n"
     "  --model NAME   the model (default: compromise); exchange: Stokman's, each\n"
     "                 issue's forecast swung by every input of its linked issues\n"
     "  --rounds N     the exchange model's rounds (default 10)\n"
     "  --top N        show the N largest swings per issue (default 10; 0: all)\n"
     "  --set, --drop, --add   what-if changes first, as for forecast\n"
     "  --params FILE  fitted parameters from 'parley backtest --fit'\n"
     "  --format svg   the tornado charts alone\n"
     "  --run-range F:C   only inputs F to F+C-1 in the order they are swung,\n"
     "                    written as a partial result (JSON) for 'parley merge'\n"
     "                    (docs/distributed.md)\n",
     "--model= --top= --set= --drop= --add= --params= --rounds= --run-range=", "svg"},
    {"backtest", cmd_backtest, "parley backtest [OPTIONS] FILE",
     "How accurate is each forecasting model on issues whose outcome is known?\n"
     "FILE: a DEU table (.tsv, e.g. examples/data/deu/deu3-train.tsv) or a\n"
     "scenario whose issues carry an \"outcome\".  Per model: mean, median and\n"
     "root mean squared absolute error, the shares within 10 and 20 points,\n"
     "and an 80% interval's width and coverage, overall and by procedure and\n"
     "decision rule; the status quo and the unweighted mean as references.\n"
     "Models with fitted parameters are cross-validated (docs/backtest.md).\n"
     "  --model NAME        only this model (repeatable; default: all)\n"
     "  --folds N           cross-validation folds, by proposal (default 10)\n"
     "  --seed N            how proposals are dealt into folds (default 1)\n"
     "  --coverage P        what the intervals aim to hold (default 0.8)\n"
     "  --capabilities SPEC DEU capabilities: nice (default), row, equal, or\n"
     "                      ACTOR=VALUE,... over the Nice votes\n"
     "  --fit               print (or -o FILE) the parameters fitted on all of\n"
     "                      FILE with every model's out-of-fold errors, as JSON\n"
     "  --params FILE       score those parameters on FILE without fitting\n"
     "                      (intervals from the errors they carry)\n"
     "  --format html       the tables and a calibration chart of the intervals as one\n"
     "                      self-contained HTML page\n",
     "--model= --folds= --seed= --coverage= --capabilities= --fit --params=", "html"},
    {"deals", cmd_deals,
     "parley deals [OPTIONS] [SCENARIO | --genius DOMAIN.xml PROFILE.xml... | --genius FOLDER]",
     "Package deals: every package (one option per issue) of SCENARIO (default:\n"
     "" PL_DEFAULT_SCENARIO "), or of an ANAC/GENIUS domain and its profiles\n"
     "(GeniusWeb .json profiles too; a FOLDER holding them), with the zone of\n"
     "possible agreement, the Pareto frontier, the parties that block each\n"
     "frontier package, the Nash, Kalai-Smorodinsky, egalitarian and\n"
     "max-welfare packages and the opposition (docs/models/deals.md).\n"
     "  --engine E         auto (default), enumerate, or merge: linear additive\n"
     "                     spaces without enumerating them, any size\n"
     "  --max-outcomes N   enumerate: refuse spaces of more than N packages\n"
     "                     (default 1e10)\n"
     "  --threads N        threads to use (default: every core; same results)\n"
     "  --grid N           options on scenario issues without named ones (5)\n"
     "  --real-step X      step between options of GENIUS real issues\n"
     "                     (default: ten equal intervals)\n"
     "  --format svg       the agreement space as a chart (--sample N packages\n"
     "                     behind the frontier, default 4000; --seed N)\n",
     "--genius --engine= --max-outcomes= --threads= --grid= --real-step= --sample= --seed=", "svg"},
    {"negotiate", cmd_negotiate,
     "parley negotiate [OPTIONS] --agents A,B,... [SCENARIO | --genius DOMAIN.xml PROFILE.xml... "
     "| --genius FOLDER]",
     "Play the negotiation out, offer by offer: the stacked alternating offers\n"
     "protocol between one agent per party (docs/simulation.md).  The parties\n"
     "are SCENARIO's actors (default: " PL_DEFAULT_SCENARIO ") with their package\n"
     "utilities as for deals, or the GENIUS profiles in file-name order; party i\n"
     "plays the i-th agent.  Prints the agreement option by option (or why there\n"
     "is none), the round it came in, each party's utility, the welfare and the\n"
     "distances to the Pareto frontier and to the Nash point.  With the defaults\n"
     "every rule is negmas's, whose runs parley reproduces exactly.\n"
     "  --agents A,B,...   one agent per party: boulware, linear, conceder (time-\n"
     "                     based, conceding late to early), tb:E (any exponent\n"
     "                     E >= 0; boulware is 4), hardliner, tit-for-tat, micro,\n"
     "                     aspiration[:E], random[:P] (accepts with probability P)\n"
     "  --protocol P       sao (default) or single-text: a mediator puts one\n"
     "                     Pareto-optimal package at a time to the vote and moves\n"
     "                     it toward the parties that reject it\n"
     "  --steps N          the deadline in rounds (default 100)\n"
     "  --seed N           the random agents' seed, and the single text's start\n"
     "                     (default 1)\n"
     "  --trace            list every offer (single text: every text and vote)\n"
     "  --rational         no party accepts a package below its reservation value\n"
     "                     (default: as negmas, reservation values count only\n"
     "                     when there is no agreement)\n"
     "  --discount         report utilities discounted by each party's factor\n"
     "  --max-outcomes N   agents rank at most N packages (default 1e7); above,\n"
     "                     they search linear profiles instead (the single\n"
     "                     text and non-linear profiles refuse)\n"
     "  --grid N           options on scenario issues without named ones (5)\n"
     "  --real-step X      step between options of GENIUS real issues\n"
     "  --format html      one self-contained HTML page: the outcome, per party the\n"
     "                     utility of every offer over the rounds, the offers in\n"
     "                     the utility space with the Pareto frontier (docs/\n"
     "                     simulation.md); --format svg: the charts alone\n",
     "--genius --agents= --steps= --seed= --trace --rational --discount --max-outcomes= --grid= "
     "--real-step= --protocol=",
     "html svg"},
    {"tournament", cmd_tournament, "parley tournament [OPTIONS] --agents A,B,... [DOMAIN...]",
     "Play every assignment of the agents to the roles on every DOMAIN (a GENIUS\n"
     "folder as for negotiate --genius, or a scenario; default: " PL_DEFAULT_SCENARIO ")\n"
     "and summarise per agent: mean utility, agreement rate, mean welfare and\n"
     "mean distances to the Pareto frontier and the Nash point, each with a 95%\n"
     "Student t interval (docs/simulation.md).  A domain of n parties has A^n\n"
     "assignments of A agents, each negotiated R times.  Results are the same\n"
     "for any number of threads.\n"
     "  --agents A,B,...   distinct agents (see 'parley negotiate --help')\n"
     "  --protocol P       sao (default) or single-text\n"
     "  --steps N          each negotiation's deadline in rounds (default 100)\n"
     "  --repeat R         negotiate every assignment R times (default 1)\n"
     "  --seed N           the tournament's seed (default 1); negotiation (domain,\n"
     "                     assignment, repeat) draws from its own seed made of them\n"
     "  --threads N        threads (default: every core; same results)\n"
     "  --rational, --discount, --max-outcomes N, --grid N, --real-step X\n"
     "                     as for negotiate\n"
     "  --run-range F:C    only negotiations F to F+C-1 of the tournament's order,\n"
     "                     written as a partial result (JSON) for 'parley merge'\n"
     "                     (docs/distributed.md)\n",
     "--agents= --protocol= --steps= --repeat= --seed= --threads= --rational --discount "
     "--max-outcomes= --grid= --real-step= --run-range=",
     NULL},
    {"merge", cmd_merge, "parley merge [OPTIONS] PART.json...",
     "Join the partial results of a sweep split over processes or machines\n"
     "('parley forecast --runs N', 'parley tournament' or 'parley sensitivity'\n"
     "with --run-range FIRST:COUNT writes one) and print exactly what the\n"
     "command run once over all the runs, negotiations or inputs prints, in\n"
     "any format (docs/distributed.md).  The parts must come from the same\n"
     "command, options, seed and input, and their ranges cover 0 to N-1 with\n"
     "no gap or overlap; the scenario (or domains) is read again from where\n"
     "the command named it and must be unchanged.\n",
     NULL, "svg"},
    {"report", cmd_report,
     "parley report [OPTIONS] [SCENARIO | --genius DOMAIN.xml PROFILE.xml... | --genius FOLDER]",
     "One self-contained HTML file a person reads, offline and in print\n"
     "(docs/report.md): per issue the forecast in words on the issue's own scale,\n"
     "how far the models agree and the Monte Carlo 80% band; a chart per issue\n"
     "(each actor a dot sized by capability x salience, the models' forecasts,\n"
     "the status quo, the band; hover a dot for its evidence); the EUM's rounds\n"
     "and the spatial model's turns; the agreement space with its Pareto\n"
     "frontier and bargaining solutions; the sensitivity tornado; the evidence\n"
     "table.  SCENARIO: a scenario file, a KTAB .csv file or a built-in id\n"
     "(default: " PL_DEFAULT_SCENARIO "); with --genius, the agreement space of\n"
     "GENIUS files alone.  Written to SCENARIO-ID.html unless -o FILE is given.\n"
     "  --runs N            Monte Carlo runs for the bands (default 1000; 0: none)\n"
     "  --seed N            their seed, and the package sample's (default 1)\n"
     "  --model M,...       models in the Monte Carlo runs (default: sticky, the\n"
     "                      one the report leads with; it leads with the first\n"
     "                      of sticky, ensemble, snap, candidate, compromise,\n"
     "                      eum-mean, median, eum, nash that ran, and shows its\n"
     "                      band; smp adds the spatial model)\n"
     "  --sample N          packages drawn behind the frontier (default 4000)\n"
     "  --threads N         threads (default: every core; same results)\n"
     "  --set, --drop, --add   what-if changes first, as for forecast; the report\n"
     "                      states them\n",
     "--runs= --seed= --model= --sample= --threads= --set= --drop= --add= --genius", "html"},
};
#define N_COMMANDS (sizeof commands / sizeof commands[0])

static const char options_help[] =
    "Options:\n"
    "  -f, --format FMT   text (default), json or csv\n"
    "  -o, --output FILE  write the result to FILE (whole, or not at all)\n"
    "  -q, --quiet        no warnings on standard error\n"
    "  --max-input BYTES  refuse input files larger than BYTES (suffixes K, M,\n"
    "                     G: binary multiples; default 256M)\n"
    "  -h, --help         this help\n";

static void usage_main(FILE *out) {
    fprintf(out,
            "parley %s: forecasts of multilateral negotiations\n\n"
            "Usage: parley [COMMAND] [OPTIONS] [ARGS]\n\n"
            "With no command, parley forecasts the built-in scenario %s.\n\n"
            "Commands:\n",
            pl_version(), PL_DEFAULT_SCENARIO);
    for (size_t i = 0; i < N_COMMANDS; i++) fprintf(out, "  %s\n", commands[i].usage);
    fprintf(out,
            "\n%s  -V, --version      print the version\n\n"
            "'parley COMMAND --help' tells more.  Exit codes: 0 success, 1 the run\n"
            "failed, 2 bad usage or bad input, 130 interrupted (Ctrl-C; 143:\n"
            "SIGTERM), nothing written then.\n",
            options_help);
}

static void usage_command(const command *c) {
    printf("Usage: %s\n\n%s\n%s", c->usage, c->help, options_help);
}

/* Is `arg` ("--seed" or "--seed=7") one of the command's own options?
** Returns 1 if it takes a value (then *value is the part after '=', or
** NULL), 0 for a flag, -1 if unknown. */
static int command_option(const command *c, const char *arg, const char **value) {
    if (!c->options || strncmp(arg, "--", 2) != 0) return -1;
    size_t len = strcspn(arg, "=");
    const char *p = c->options;
    while (*p) {
        size_t n = strcspn(p, " ");
        int takes = n > 0 && p[n - 1] == '=';
        size_t name_len = takes ? n - 1 : n;
        if (name_len == len && strncmp(p, arg, len) == 0) {
            *value = arg[len] == '=' ? arg + len + 1 : NULL;
            if (!takes && arg[len] == '=') return -1;
            return takes;
        }
        p += n;
        while (*p == ' ') p++;
    }
    return -1;
}

/* A size with an optional binary suffix (K, M, G); 0 if it is not one. */
static size_t parse_size(const char *s) {
    if (!s || !(*s >= '0' && *s <= '9')) return 0;
    char *end;
    errno = 0;
    unsigned long long n = strtoull(s, &end, 10);
    unsigned shift = 0;
    if (*end == 'K' || *end == 'k') shift = 10;
    else if (*end == 'M' || *end == 'm') shift = 20;
    else if (*end == 'G' || *end == 'g') shift = 30;
    if (shift) end++;
    if (*end || errno == ERANGE || n == 0 || n > (SIZE_MAX / 2) >> shift) return 0;
    return (size_t)(n << shift);
}

/* --format VALUE into o: a format, or for show a peer's file format
** (genius, ktab) as o->export_format; VALUE NULL when none was given.
** Returns 0 (message printed) when it is neither. */
static int take_format(const command *c, const char *value, cli_opts *o) {
    if (value && c && c->run == cmd_show &&
        (strcmp(value, "genius") == 0 || strcmp(value, "ktab") == 0)) {
        o->export_format = value;
    } else if (!value || pl_format_from_name(value, &o->format) != PL_OK) {
        fprintf(stderr, "parley: --format: expected text, json, csv, html or svg, found %s%s%s\n",
                value ? "\"" : "", value ? value : "nothing", value ? "\"" : "");
        return 0;
    }
    return 1;
}

/* argv[*i], one of the command's own options, into o with its value (after
** '=', else the next argument: then *i moves on to it).  Returns 0
** (message printed) when there is no room or no value. */
static int take_option(const command *c, int argc, char **argv, int *i, cli_opts *o) {
    const char *a = argv[*i];
    const char *value = NULL;
    int takes = command_option(c, a, &value);
    if (o->n_opts == (int)(sizeof o->opt_names / sizeof o->opt_names[0])) {
        fprintf(stderr, "parley: expected fewer options, found more than %d\n", o->n_opts);
        return 0;
    }
    size_t len = strcspn(a, "=");
    static char names[64][32];
    snprintf(names[o->n_opts], sizeof names[0], "%.*s", (int)len, a);
    if (takes && !value) {
        if (*i + 1 >= argc) {
            fprintf(stderr, "parley: %s: expected a value, found nothing\n", names[o->n_opts]);
            return 0;
        }
        value = argv[++*i];
    }
    o->opt_names[o->n_opts] = names[o->n_opts];
    o->opt_values[o->n_opts] = takes ? value : "1";
    o->opt_flag[o->n_opts] = !takes;
    o->n_opts++;
    return 1;
}

/* Parse options after the command; returns -1 on success, else an exit code
** (0 for --help). */
static int parse(int argc, char **argv, int start, const command *c, cli_opts *o) {
    int only_args = 0;
    for (int i = start; i < argc; i++) {
        const char *a = argv[i];
        const char *value = NULL;
        if (only_args || a[0] != '-' || strcmp(a, "-") == 0) {
            if (o->n_args == (int)(sizeof o->args / sizeof o->args[0])) {
                fprintf(stderr, "parley: expected at most %zu arguments\n",
                        sizeof o->args / sizeof o->args[0]);
                return EXIT_INPUT;
            }
            o->args[o->n_args++] = a;
            continue;
        }
        if (strcmp(a, "--") == 0) {
            only_args = 1;
        } else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            if (c) usage_command(c);
            else usage_main(stdout);
            return EXIT_OK;
        } else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
            o->quiet = 1;
        } else if (strcmp(a, "-f") == 0 || strcmp(a, "--format") == 0 ||
                   strncmp(a, "--format=", 9) == 0) {
            value = a[1] == 'f' || a[8] == 0 ? (i + 1 < argc ? argv[++i] : NULL) : a + 9;
            if (!take_format(c, value, o)) return EXIT_INPUT;
        } else if (strcmp(a, "--max-input") == 0 || strncmp(a, "--max-input=", 12) == 0) {
            value = a[11] == 0 ? (i + 1 < argc ? argv[++i] : NULL) : a + 12;
            size_t bytes = parse_size(value);
            if (!bytes) {
                fprintf(stderr,
                        "parley: --max-input: expected a size in bytes (a whole number "
                        "from 1, with an optional K, M or G), found %s%s%s\n",
                        value ? "\"" : "", value ? value : "nothing", value ? "\"" : "");
                return EXIT_INPUT;
            }
            pl_set_max_input(bytes);
        } else if (strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0 ||
                   strncmp(a, "--output=", 9) == 0) {
            value = a[1] == 'o' || a[8] == 0 ? (i + 1 < argc ? argv[++i] : NULL) : a + 9;
            if (!value || !*value) {
                fprintf(stderr, "parley: --output: expected a file name, found nothing\n");
                return EXIT_INPUT;
            }
            o->output = value;
        } else if (c && command_option(c, a, &value) >= 0) {
            if (!take_option(c, argc, argv, &i, o)) return EXIT_INPUT;
        } else {
            fprintf(stderr, "parley: expected an option (see 'parley %s%s--help'), found \"%s\"\n",
                    c ? c->name : "", c ? " " : "", a);
            if (c) fprintf(stderr, "usage: %s\n", c->usage);
            return EXIT_INPUT;
        }
    }
    return -1;
}

/* 1 if `name` is one of the space-separated formats of `list`. */
static int has_format(const char *list, const char *name) {
    size_t n = strlen(name);
    for (const char *p = list; p && *p;) {
        size_t len = strcspn(p, " ");
        if (len == n && strncmp(p, name, n) == 0) return 1;
        p += len;
        while (*p == ' ') p++;
    }
    return 0;
}

static int run(int argc, char **argv) {
    cli_signals_install();
    cli_opts opts;
    memset(&opts, 0, sizeof opts);
    const command *c = &commands[0]; /* forecast */
    int start = 1;
    if (argc > 1 && argv[1][0] != '-') {
        c = NULL;
        for (size_t i = 0; i < N_COMMANDS; i++)
            if (strcmp(argv[1], commands[i].name) == 0) c = &commands[i];
        if (!c) {
            fprintf(stderr, "parley: expected a command (");
            for (size_t i = 0; i < N_COMMANDS; i++)
                fprintf(stderr, "%s%s", i ? ", " : "", commands[i].name);
            fprintf(stderr, "), found \"%s\"\n(see 'parley --help')\n", argv[1]);
            return EXIT_INPUT;
        }
        start = 2;
    } else if (argc > 1) {
        if (strcmp(argv[1], "-V") == 0 || strcmp(argv[1], "--version") == 0) {
            printf("parley %s\n", pl_version());
            return cli_finish(EXIT_OK);
        }
        if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
            usage_main(stdout);
            return cli_finish(EXIT_OK);
        }
    }
    opts.command = c->name;
    int code = parse(argc, argv, start, start == 1 ? NULL : c, &opts);
    if (code >= 0) return cli_finish(code);
    if (opts.format > PL_FORMAT_CSV) { /* html, svg: only where a command writes it */
        const char *name = opts.format == PL_FORMAT_HTML ? "html" : "svg";
        if (!has_format(c->extra_format, name)) {
            /* (a command of two extra formats takes both: no message needed) */
            fprintf(stderr, "parley %s: --format: expected text, json or csv%s%s, found \"%s\"\n",
                    c->name, c->extra_format ? " or " : "", c->extra_format ? c->extra_format : "",
                    name);
            return cli_finish(EXIT_INPUT);
        }
    }
    return cli_finish(c->run(&opts));
}

int main(int argc, char **argv) {
    cli_mpi_init(&argc, &argv); /* under mpirun, with PL_MPI: one of its ranks */
    return cli_mpi_finish(run(argc, argv));
}
