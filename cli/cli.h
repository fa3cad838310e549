/*
** cli.h: shared declarations of the parley command-line tool.  The tool
** parses arguments and prints; every model and report is in libparley,
** reached only through include/parley.h.
*/
#ifndef PL_CLI_H
#define PL_CLI_H

#include "parley.h"

/* Exit codes: the tool alone decides them. */
enum { EXIT_OK = 0, EXIT_RUN = 1, EXIT_INPUT = 2 }; /* 128 + signal: interrupted */

typedef struct cli_opts {
    pl_format format;
    const char *output; /* NULL: standard output */
    /* show: "genius" or "ktab" given as --format (another file format, not
    ** a report); NULL otherwise */
    const char *export_format;
    int quiet;            /* no warnings on stderr */
    const char *args[64]; /* positional arguments */
    int n_args;
    /* The command's own options, in the order given ("--seed", "7");
    ** flags have the value "1".  Read them with cli_opt / cli_opt_at. */
    const char *opt_names[64];
    const char *opt_values[64];
    unsigned char opt_flag[64]; /* 1: a flag, no value of its own */
    int n_opts;
    const char *command; /* the command's name: "forecast", ... */
    /* parley merge: the parts of a sweep, joined in place of the runs */
    const pl_part *const *parts;
    size_t n_parts;
} cli_opts;

/* The last value given for option `name` ("--seed"), or NULL. */
const char *cli_opt(const cli_opts *opts, const char *name);
/* The k-th value given for a repeatable option, or NULL past the last. */
const char *cli_opt_at(const cli_opts *opts, const char *name, int k);
/* Parse option `name` as a number in [lo, hi]; returns 0 and prints an
** error ("expected ..., found ...") when it is not one.  *out is left alone
** when the option is absent. */
int cli_opt_double(const cli_opts *opts, const char *name, double lo, double hi, double *out);
int cli_opt_ulong(const cli_opts *opts, const char *name, unsigned long lo, unsigned long hi,
                  unsigned long *out);
/* --threads N, the same for every command: 0 (one per core, as when it is
** absent) to PL_MAX_THREADS, the library's n_threads range. */
int cli_opt_threads(const cli_opts *opts, unsigned *out);

/* Print diagnostics as FILE:LINE:COL: severity: message on stderr. */
void cli_print_diags(const pl_diags *diags, int warnings_too);
/* Write `text` to stdout or to opts->output; returns an exit code.  A
** regular file or a new name is replaced atomically (a temporary file
** ".parley-XXXXXX" in the same folder, synced, renamed over it) keeping
** the old file's mode; a symbolic link is followed and its target
** replaced; a FIFO, a device or /dev/stdout is written directly; a
** directory is bad usage (2). */
int cli_emit(const cli_opts *opts, const char *text);
/* The command line as a report states it: "parley COMMAND", the command's
** options (flags alone, the others with their values), then the arguments;
** with_format: --format FMT too when not text.  malloc'd; NULL when out of
** memory. */
char *cli_command_line(const cli_opts *opts, int with_format);
/* The exit code after flushing stdout: a write error (a full device) that
** went unseen turns success into 1. */
int cli_finish(int code);

/* Signals and long computations (output.c).  cli_signals_install at start;
** around a long computation cli_work_begin and cli_work_end, with
** cli_progress and the cli_work as the library's progress callback.
** Inside, SIGINT or SIGTERM asks the computation to stop (cli_work_end
** returns the signal); outside, or a second time, it ends the process. */
typedef struct cli_work {
    const char *unit; /* what done counts: "runs finished", ... */
    double start, done, total;
    int bar, shown;
} cli_work;
void cli_signals_install(void);
void cli_work_begin(cli_work *w, const char *unit);
int cli_progress(void *ctx, double done, double total);
int cli_work_end(cli_work *w);
/* Report an interrupted computation ("parley: interrupted ...; nothing
** written"); returns the exit code, 128 + sig (130 for SIGINT). */
int cli_interrupted(const cli_work *w, int sig);
/* Load a scenario named on the command line: a file, or a built-in by id
** ("builtin:ID", or a bare ID when no such file exists).  On failure prints
** the diagnostics and returns the exit code; on success returns 0. */
int cli_load(const char *name, const cli_opts *opts, pl_scenario **out);
/* Report an error from the library (no place known). */
int cli_fail(pl_status rc, const char *what);

int cmd_forecast(const cli_opts *opts);
int cmd_validate(const cli_opts *opts);
int cmd_show(const cli_opts *opts);
/* show --format genius|ktab: the scenario in a peer's format (cmd_export.c) */
int cmd_export(const cli_opts *opts, const pl_scenario *s, const char *name);
int cmd_scenarios(const cli_opts *opts);
int cmd_backtest(const cli_opts *opts);
int cmd_sensitivity(const cli_opts *opts);
/* cmd_smp.c: the spatial model of politics on a KTAB CSV or a scenario. */
int cmd_smp_forecast(const cli_opts *opts, const char *file, const char **extra);
int cmd_smp_forecast_opts(const cli_opts *opts);
/* The SMP's options for Monte Carlo runs (--smp, --turns), refusing those
** that cannot hold there (its own seed and threads, the detail flags);
** returns 0 or an exit code.  *norm: a pl_smp_salience_norm. */
int cli_smp_mc_options(const cli_opts *opts, pl_smp_options *o, int *norm);
/* Apply the what-if options (--set, --drop, --add, in the order given) to
** a copy of *s; on success *s is replaced by the copy.  Returns an exit
** code; *changed says whether any was given. */
int cli_whatif(const cli_opts *opts, pl_scenario **s, int *changed);
int cmd_deals(const cli_opts *opts);
/* The space of the GENIUS files or folder named by the arguments (a
** domain and profiles, GeniusWeb profiles, or a folder); messages name
** the command `cmd`.  Returns an exit code. */
int cli_load_genius(const cli_opts *opts, const char *cmd, const pl_space_options *so,
                    pl_space **out);
/* --grid and --real-step into *so, the same for deals and negotiate;
** returns 0 (message printed) when one is not a number in its range. */
int cli_opt_space(const cli_opts *opts, pl_space_options *so);
/* The space of deals or negotiate (`cmd`): of GENIUS files (--genius) or
** of the scenario named (default PL_DEFAULT_SCENARIO).  Returns an exit
** code. */
/* --agents A,B,... (negotiate, tournament): at most CLI_MAX_AGENTS specs,
** pointers into buf; -1 after a message naming cmd.  distinct: no agent
** twice. */
#define CLI_MAX_AGENTS 64
int cli_parse_agents(const char *cmd, const char *list, char *buf, size_t size, const char **specs,
                     int distinct);
int cli_load_space(const cli_opts *opts, const char *cmd, const pl_space_options *so,
                   pl_space **out);
/* cmd_exchange.c: `forecast --model exchange` (Stokman's exchange model on
** a decide file or a scenario); the model's input for other commands. */
int cmd_exchange_forecast(const cli_opts *opts);
int cli_load_exchange(const cli_opts *opts, const char *name, pl_exchange_data **out);
/* `backtest --model exchange`: the model per proposal on s's issues. */
int cli_exchange_backtest(const cli_opts *opts, const char *name, const pl_scenario *s);
/* cmd_negotiate.c: a negotiation played out between agents. */
int cmd_negotiate(const cli_opts *opts);
/* --protocol sao|single-text (cmd_tournament.c); returns 0 and prints an
** error naming command `cmd` when it is neither; *out left alone when
** absent. */
int cli_opt_protocol(const cli_opts *opts, const char *cmd, pl_protocol *out);
/* cmd_tournament.c: every assignment of agents to roles on every domain. */
int cmd_tournament(const cli_opts *opts);
/* cmd_report.c: the HTML report. */
int cmd_report(const cli_opts *opts);

/* sweep.c: sweeps across processes (docs/distributed.md).  The runs this
** process makes of a sweep of `total`: all of them, --run-range
** FIRST:COUNT (part: write them as a partial result), or under MPI this
** rank's block (ranks > 1). */
typedef struct cli_range {
    unsigned long long first, count, total;
    int part;
    int ranks;
} cli_range;
/* Returns an exit code (a bad --run-range: 2). */
int cli_range_get(const cli_opts *opts, unsigned long long total, cli_range *r);
/* FNV-1a (64 bits) of n bytes after h (0: from the start). */
unsigned long long cli_fnv(unsigned long long h, const void *bytes, size_t n);
/* The identity of a sweep's input: a digest of scenario s (as its JSON). */
int cli_digest_scenario(const pl_scenario *s, const char *name, char *out, size_t size);
/* After this process's runs (code: their exit code; *mc: the runs, or
** NULL): with --run-range the partial result is written; under MPI the
** ranks' runs go to rank 0, which joins them; with parley merge's parts
** they are joined.  Returns the exit code; *mc is then the whole sweep's
** runs when this process reports them, else NULL. */
int cli_range_finish_mc(const cli_opts *opts, const cli_range *r, const char *digest, int code,
                        pl_mc **mc);
/* The same for any result a sweep splits: how its range is written as a
** part and how the parts are joined (ctx: what the join needs besides
** the parts, e.g. the scenario); what: the out-of-memory message's
** subject; input: what a digest identifies ("scenario"). */
typedef struct cli_kind {
    pl_status (*write)(const pl_part_info *info, const void *result, char **out);
    pl_status (*join)(const pl_part *const *parts, size_t n, pl_diags *diags, void *ctx,
                      void **out);
    void (*free)(void *result);
    void *ctx;
    const char *what, *input;
} cli_kind;
int cli_range_finish(const cli_opts *opts, const cli_range *r, const char *digest, int code,
                     const cli_kind *kind, void **result);
/* parley merge PART.json...: the parts joined, reported as their command. */
int cmd_merge(const cli_opts *opts);

/* mpi.c: the MPI driver (a build with -DPL_MPI=ON; without, one process).
** cli_mpi_init at start, cli_mpi_finish at the end: every rank exits
** with the same code (the largest). */
void cli_mpi_init(int *argc, char ***argv);
int cli_mpi_ranks(int *rank);
/* Every rank's text (NULL: none) and exit code to rank 0: there texts[k]
** (malloc'd, NULL for none; the caller frees them and the array) and
** *codes_max the largest code.  Returns 0, or an exit code on failure. */
int cli_mpi_gather(const char *text, int code, char ***texts, int *codes_max);
int cli_mpi_finish(int code);

#define PL_DEFAULT_SCENARIO "armistice-2025"

#endif
