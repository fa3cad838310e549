/*
** sweep.c: a sweep of runs spread over processes (docs/distributed.md) --
** --run-range FIRST:COUNT writes a range's partial result, parley merge
** joins the parts and prints what one process would, and under MPI each
** rank makes its block of the runs and rank 0 joins them (mpi.c moves the
** bytes).  The library writes, reads and joins the parts (parley/part.h).
*/
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* FIRST:COUNT into *first and *count; 0 if it is not that. */
static int parse_range(const char *v, unsigned long long *first, unsigned long long *count) {
    char *end;
    if (!(*v >= '0' && *v <= '9')) return 0;
    *first = strtoull(v, &end, 10);
    if (*end != ':' || !(end[1] >= '0' && end[1] <= '9')) return 0;
    *count = strtoull(end + 1, &end, 10);
    return *end == 0;
}

int cli_range_get(const cli_opts *opts, unsigned long long total, cli_range *r) {
    int rank = 0;
    memset(r, 0, sizeof *r);
    r->total = total;
    r->count = total;
    r->ranks = opts->parts ? 1 : cli_mpi_ranks(&rank);
    const char *v = cli_opt(opts, "--run-range");
    if (opts->parts || (!v && r->ranks <= 1)) return EXIT_OK;
    if (v && r->ranks > 1) {
        fprintf(stderr,
                "parley %s: --run-range: expected one process (under mpirun the ranks "
                "share the runs), found %d ranks\n",
                opts->command, r->ranks);
        return EXIT_INPUT;
    }
    if (v) {
        if (!parse_range(v, &r->first, &r->count) || r->count == 0 || r->first >= total ||
            r->count > total - r->first) {
            const char *unit = strcmp(opts->command, "tournament") == 0    ? "negotiations"
                               : strcmp(opts->command, "sensitivity") == 0 ? "inputs"
                                                                           : "runs";
            fprintf(stderr,
                    "parley %s: --run-range: expected FIRST:COUNT, %s inside the sweep's "
                    "%llu (COUNT >= 1, FIRST + COUNT <= %llu), found \"%s\"\n",
                    opts->command, unit, total, total, v);
            return EXIT_INPUT;
        }
        r->part = 1;
        return EXIT_OK;
    }
    /* contiguous blocks by rank */
    r->first = total * (unsigned long long)rank / (unsigned long long)r->ranks;
    r->count = total * (unsigned long long)(rank + 1) / (unsigned long long)r->ranks - r->first;
    return EXIT_OK;
}

unsigned long long cli_fnv(unsigned long long h, const void *bytes, size_t n) {
    if (!h) h = 14695981039346656037ull; /* FNV-1a, 64 bits */
    for (const unsigned char *p = bytes; n--; p++) {
        h ^= *p;
        h *= 1099511628211ull;
    }
    return h;
}

int cli_digest_scenario(const pl_scenario *s, const char *name, char *out, size_t size) {
    char *json = NULL;
    pl_status rc = pl_report_scenario(s, PL_FORMAT_JSON, &json);
    if (rc != PL_OK) return cli_fail(rc, name);
    unsigned long long h = cli_fnv(0, json, strlen(json));
    pl_free(json);
    snprintf(out, size, "fnv1a64:%016llx", h);
    return EXIT_OK;
}

/* What out-of-memory messages name: the scenario, as every command's do. */
static const char *input_name(const cli_opts *opts) {
    return opts->n_args ? opts->args[0] : PL_DEFAULT_SCENARIO;
}

/* The part of a result as JSON text: the sweep is the command as given,
** less the range and the threads (which change nothing). */
static pl_status part_text(const cli_opts *opts, const cli_range *r, const char *digest,
                           const cli_kind *kind, const void *result, char **out) {
    const char *names[64], *values[64];
    size_t n = 0;
    for (int k = 0; k < opts->n_opts; k++) {
        if (strcmp(opts->opt_names[k], "--run-range") == 0 ||
            strcmp(opts->opt_names[k], "--threads") == 0)
            continue;
        names[n] = opts->opt_names[k];
        values[n++] = opts->opt_values[k];
    }
    pl_part_info info = {opts->command, (size_t)opts->n_args,
                         opts->args,    n,
                         names,         values,
                         digest,        r->first,
                         r->count,      r->total};
    return kind->write(&info, result, out);
}

/* parley merge: the parts joined, after checking they were made from
** this input. */
static int join_parts(const cli_opts *opts, const char *digest, const cli_kind *kind,
                      void **result) {
    const char *made = pl_part_info_of(opts->parts[0])->digest;
    if (strcmp(made, digest) != 0) {
        fprintf(stderr,
                "parley merge: expected the input the parts were made from (%s), found "
                "another (%s): the %s changed\n",
                made, digest, kind->input);
        return EXIT_INPUT;
    }
    pl_diags *diags = NULL;
    pl_status rc = pl_diags_new(&diags);
    if (rc == PL_OK) rc = kind->join(opts->parts, opts->n_parts, diags, kind->ctx, result);
    if (rc != PL_OK && rc != PL_ENOMEM) cli_print_diags(diags, 1);
    pl_diags_free(diags);
    if (rc == PL_ENOMEM) return cli_fail(rc, input_name(opts));
    return rc == PL_OK ? EXIT_OK : EXIT_INPUT;
}

/* Rank 0: the ranks' parts (texts, NULL for a rank without any) joined. */
static int join_texts(char **texts, int n, const cli_kind *kind, void **result) {
    pl_part **parts = calloc((size_t)n, sizeof *parts);
    size_t n_parts = 0;
    pl_status rc = parts ? PL_OK : PL_ENOMEM;
    for (int k = 0; k < n && rc == PL_OK; k++) {
        if (!texts[k]) continue;
        char name[32];
        snprintf(name, sizeof name, "rank %d", k);
        rc = pl_part_load_buffer(texts[k], strlen(texts[k]), name, NULL, &parts[n_parts]);
        if (rc == PL_OK) n_parts++;
    }
    if (rc == PL_OK)
        rc = kind->join((const pl_part *const *)parts, n_parts, NULL, kind->ctx, result);
    for (size_t k = 0; k < n_parts; k++) pl_part_free(parts[k]);
    free(parts);
    return rc == PL_OK ? EXIT_OK : cli_fail(rc, kind->what);
}

/* Under MPI: this rank's range to rank 0, which joins them all. */
static int gather(const cli_opts *opts, const cli_range *r, const char *digest, int code,
                  const cli_kind *kind, void **result) {
    char *text = NULL;
    if (code == EXIT_OK && *result) {
        pl_status rc = part_text(opts, r, digest, kind, *result, &text);
        if (rc != PL_OK) code = cli_fail(rc, input_name(opts));
    }
    kind->free(*result);
    *result = NULL;
    char **texts = NULL;
    int max = code, ranks = cli_mpi_ranks(NULL);
    int failed = cli_mpi_gather(text, code, &texts, &max);
    pl_free(text);
    if (failed) return failed;
    if (!texts) return code; /* not rank 0: cli_mpi_finish agrees on the code */
    if (max == EXIT_OK) max = join_texts(texts, ranks, kind, result);
    for (int k = 0; k < ranks; k++) free(texts[k]);
    free(texts);
    return max;
}

int cli_range_finish(const cli_opts *opts, const cli_range *r, const char *digest, int code,
                     const cli_kind *kind, void **result) {
    if (opts->parts) return join_parts(opts, digest, kind, result);
    if (r->ranks > 1) return gather(opts, r, digest, code, kind, result);
    if (!r->part || code != EXIT_OK) return code;
    char *text = NULL;
    pl_status rc = part_text(opts, r, digest, kind, *result, &text);
    kind->free(*result);
    *result = NULL;
    if (rc != PL_OK) return cli_fail(rc, input_name(opts));
    code = cli_emit(opts, text);
    pl_free(text);
    return code;
}

static pl_status mc_write(const pl_part_info *info, const void *mc, char **out) {
    return pl_part_write_mc(info, mc, out);
}
static pl_status mc_join(const pl_part *const *parts, size_t n, pl_diags *diags, void *ctx,
                         void **out) {
    (void)ctx;
    pl_mc *mc = NULL;
    pl_status rc = pl_part_join_mc(parts, n, diags, &mc);
    *out = mc;
    return rc;
}
static void mc_free(void *mc) { pl_mc_free(mc); }

int cli_range_finish_mc(const cli_opts *opts, const cli_range *r, const char *digest, int code,
                        pl_mc **mc) {
    static const cli_kind kind = {mc_write, mc_join, mc_free, NULL, "the ranks' runs", "scenario"};
    void *result = *mc;
    code = cli_range_finish(opts, r, digest, code, &kind, &result);
    *mc = result;
    return code;
}

int cmd_merge(const cli_opts *opts) {
    enum { MAX = sizeof opts->args / sizeof opts->args[0] };
    if (opts->n_args == 0) {
        fprintf(stderr, "parley merge: expected partial results (PART.json...), found none "
                        "(see 'parley merge --help')\n");
        return EXIT_INPUT;
    }
    pl_part *parts[MAX] = {0};
    int code = EXIT_OK, n = 0;
    for (; n < opts->n_args && code == EXIT_OK; n++) {
        pl_diags *diags = NULL;
        pl_status rc = pl_diags_new(&diags);
        if (rc == PL_OK) rc = pl_part_load_file(opts->args[n], diags, &parts[n]);
        if (rc != PL_OK && rc != PL_ENOMEM) cli_print_diags(diags, 1);
        pl_diags_free(diags);
        if (rc != PL_OK) code = rc == PL_ENOMEM ? cli_fail(rc, opts->args[n]) : EXIT_INPUT;
    }
    const pl_part_info *in = code == EXIT_OK ? pl_part_info_of(parts[0]) : NULL;
    int (*run)(const cli_opts *) = NULL;
    if (in && strcmp(in->command, "forecast") == 0) run = cmd_forecast;
    else if (in && strcmp(in->command, "tournament") == 0) run = cmd_tournament;
    else if (in && strcmp(in->command, "sensitivity") == 0) run = cmd_sensitivity;
    if (in && (!run || in->n_args > MAX || in->n_options > MAX)) {
        fprintf(stderr,
                "parley merge: %s: expected a part of 'parley forecast --runs N', 'parley "
                "tournament' or 'parley sensitivity', found one of '%s'\n",
                opts->args[0], in->command);
        code = EXIT_INPUT;
    }
    if (code == EXIT_OK) { /* the command again, on the parts */
        cli_opts o;
        memset(&o, 0, sizeof o);
        o.format = opts->format;
        o.output = opts->output;
        o.quiet = opts->quiet;
        o.command = in->command;
        for (size_t k = 0; k < in->n_args; k++) o.args[o.n_args++] = in->args[k];
        for (size_t k = 0; k < in->n_options; k++, o.n_opts++) {
            o.opt_names[k] = in->option_names[k];
            o.opt_values[k] = in->option_values[k];
        }
        o.parts = (const pl_part *const *)parts;
        o.n_parts = (size_t)n;
        if (run == cmd_forecast && !cli_opt(&o, "--runs")) {
            fprintf(stderr,
                    "parley merge: %s: expected the runs of 'parley forecast --runs N', "
                    "found no --runs\n",
                    opts->args[0]);
            code = EXIT_INPUT;
        } else {
            code = run(&o);
        }
    }
    for (int k = 0; k < n; k++) pl_part_free(parts[k]);
    return code;
}
