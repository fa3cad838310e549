/*
** cmd_smp.c: `parley forecast --model smp FILE` -- the spatial model of
** politics (KTAB SMP) on a KTAB CSV file (*.csv) or a parley scenario (a
** file or a built-in id), reported whole through cli_emit.
**
** `extra` is a NULL-terminated list of "KEY=VALUE" strings from the command
** line: every key of pl_smp_options_set (vpm=Octic, seed=7, max-turns=20,
** ...), plus
**   history=1      positions and probabilities at every turn (text)
**   probs=1        the winning probabilities at every turn (text)
**   challenges=1   each turn's challenges, bargains and choices
**   salience-norm=cap|divide|unit   scenario saliences (docs/models/smp.md)
** A bare "KEY" means "KEY=1".
**
** cmd_smp_forecast_opts does the same from the forecast command's own
** options (cli_opt_at): --smp KEY=VALUE (repeatable), --seed N, --threads
** N, --turns N (max-turns), --history, --probs, --challenges; with --set,
** --drop or --add it shows the model on the changed scenario beside the
** unchanged one.  cli_smp_mc_options reads the same options for the SMP
** in Monte Carlo runs (--runs).
*/
#include "cli.h"

#include "parley/smp.h"

#include <stdio.h>
#include <string.h>

/* What a key's values look like, for messages (keys compared as the
** library does: any case, '-' and '_' ignored). */
static const char *hint(const char *key) {
    char k[64];
    size_t n = 0;
    for (; *key && n + 1 < sizeof k; key++)
        if (*key != '-' && *key != '_')
            k[n++] = (char)(*key >= 'A' && *key <= 'Z' ? *key - 'A' + 'a' : *key);
    k[n] = 0;
    static const struct {
        const char *keys, *hint; /* keys: " name name " */
    } hints[] = {
        {" vpm victoryprobmodel ", "Linear, Square, Quartic, Octic or Binary"},
        {" pce pcem pcemodel ", "Conditional, MarkovIncentive or MarkovUniform"},
        {" transitions statetransitions stm ", "Deterministic or Stochastic"},
        {" voting votingrule vr ", "Binary, PropBin, Prop, PropCbc, Cubic or ASymProsp"},
        {" radjust bigradjust ", "None, OneThird, Half, TwoThirds or Full"},
        {" rrange bigrrange ", "Min, Mid or Max"},
        {" commit thirdpartycommit tpc ", "NoCommit, SemiCommit or FullCommit"},
        {" interp intervecbrgn ivb ", "S1P1, S2P2 or S2PMax"},
        {" bargain bargnmodel bargainmodel ", "InitOnlyInterp, InitRcvrInterp or PWCompInterp"},
        {" seed ", "an integer from 0 to 18446744073709551615"},
        {" threads ", "an integer from 0 to 256"},
        {" maxturns ", "an integer from 0 to 1000000"},
        {" minturns ", "an integer from 1 to 1000000"},
        {" quirkreceivergain quirkpwcompweight quirklinearchallenge ktaberrors ", "0 or 1"},
    };
    char pat[70];
    snprintf(pat, sizeof pat, " %s ", k);
    for (size_t i = 0; i < sizeof hints / sizeof hints[0]; i++)
        if (strstr(hints[i].keys, pat)) return hints[i].hint;
    return "a number >= 0";
}

static int flag_value(const char *value, int *out) {
    if (strcmp(value, "1") == 0 || strcmp(value, "yes") == 0 || strcmp(value, "true") == 0)
        *out = 1;
    else if (strcmp(value, "0") == 0 || strcmp(value, "no") == 0 || strcmp(value, "false") == 0)
        *out = 0;
    else return 0;
    return 1;
}

/* Apply the extra options (over the defaults, or over *o as it is when
** `over` is set); returns 0 or an exit code. */
static int parse_extra_over(const char **extra, pl_smp_options *o, unsigned *flags,
                            pl_smp_salience_norm *norm, int over) {
    if (!over) pl_smp_options_init(o);
    *flags = 0;
    *norm = PL_SMP_SAL_CAP;
    for (size_t i = 0; extra && extra[i]; i++) {
        char key[64];
        const char *eq = strchr(extra[i], '=');
        size_t klen = eq ? (size_t)(eq - extra[i]) : strlen(extra[i]);
        const char *value = eq ? eq + 1 : "1";
        if (klen == 0 || klen >= sizeof key) {
            fprintf(stderr, "parley forecast: --smp: expected KEY=VALUE, found \"%s\"\n", extra[i]);
            return EXIT_INPUT;
        }
        memcpy(key, extra[i], klen);
        key[klen] = 0;
        int on;
        unsigned bit = strcmp(key, "history") == 0      ? PL_SMP_REPORT_HISTORY
                       : strcmp(key, "probs") == 0      ? PL_SMP_REPORT_PROBS
                       : strcmp(key, "challenges") == 0 ? PL_SMP_REPORT_CHALLENGES
                                                        : 0;
        if (!bit && !eq) {
            /* only the report flags stand alone; "--smp vpm Octic" is a slip */
            fprintf(stderr,
                    "parley forecast: --smp: expected KEY=VALUE (e.g. --smp %s=VALUE, "
                    "VALUE: %s), found \"%s\" without '='\n",
                    key, hint(key), extra[i]);
            return EXIT_INPUT;
        }
        if (bit) {
            if (!flag_value(value, &on)) {
                fprintf(stderr, "parley forecast: --smp %s: expected 1 or 0, found \"%s\"\n", key,
                        value);
                return EXIT_INPUT;
            }
            *flags = on ? *flags | bit : *flags & ~bit;
            continue;
        }
        if (strcmp(key, "salience-norm") == 0) {
            if (strcmp(value, "cap") == 0) *norm = PL_SMP_SAL_CAP;
            else if (strcmp(value, "divide") == 0) *norm = PL_SMP_SAL_DIVIDE;
            else if (strcmp(value, "unit") == 0) *norm = PL_SMP_SAL_UNIT;
            else {
                fprintf(stderr,
                        "parley forecast: --smp salience-norm: expected cap, divide "
                        "or unit, found \"%s\"\n",
                        value);
                return EXIT_INPUT;
            }
            continue;
        }
        pl_status rc = pl_smp_options_set(o, key, value);
        if (rc == PL_ENOTFOUND) {
            fprintf(stderr,
                    "parley forecast: --smp: expected an option of the spatial model "
                    "(see docs/models/smp.md), found \"%s\"\n",
                    key);
            return EXIT_INPUT;
        }
        if (rc != PL_OK) {
            fprintf(stderr, "parley forecast: --smp %s: expected %s, found \"%s\"\n", key,
                    hint(key), value);
            return EXIT_INPUT;
        }
    }
    return 0;
}

static int parse_extra(const char **extra, pl_smp_options *o, unsigned *flags,
                       pl_smp_salience_norm *norm) {
    return parse_extra_over(extra, o, flags, norm, 0);
}

/* The model's input from a KTAB CSV or XML file or a scenario; 0 or an exit
** code.  A KTAB XML file's model parameters go to *params (*from_file 1). */
static int load(const cli_opts *opts, const char *name, pl_smp_salience_norm norm, pl_diags *diags,
                pl_smp_data **out, pl_smp_options *params, int *from_file) {
    pl_status rc;
    *from_file = 0;
    if (pl_input_format_of(name) == PL_INPUT_CSV) {
        rc = pl_smp_read_ktab_file(name, diags, out);
    } else if (pl_input_format_of(name) == PL_INPUT_XML) {
        rc = pl_smp_read_ktab_xml_file(name, diags, out, params);
        *from_file = rc == PL_OK;
    } else {
        pl_scenario *s = NULL;
        int code = cli_load(name, opts, &s);
        if (code) return code;
        rc = pl_smp_data_from_scenario(s, norm, diags, out);
        pl_scenario_free(s);
    }
    if (rc == PL_ENOMEM) return cli_fail(rc, name);
    cli_print_diags(diags, !opts->quiet || rc != PL_OK);
    return rc == PL_OK ? 0 : EXIT_INPUT;
}

int cmd_smp_forecast(const cli_opts *opts, const char *file, const char **extra) {
    const char *name = file ? file : PL_DEFAULT_SCENARIO;
    pl_smp_options o;
    unsigned flags;
    pl_smp_salience_norm norm;
    int code = parse_extra(extra, &o, &flags, &norm);
    if (code) return code;
    pl_diags *diags = NULL;
    pl_status rc = pl_diags_new(&diags);
    if (rc != PL_OK) return cli_fail(rc, name);
    pl_smp_data *d = NULL;
    pl_smp_result *res = NULL;
    char *text = NULL;
    pl_smp_options file_params;
    int from_file = 0;
    code = load(opts, name, norm, diags, &d, &file_params, &from_file);
    if (!code && from_file) {
        /* the file's <ModelParameters> and <prngSeed>, then the command line's */
        o = file_params;
        code = parse_extra_over(extra, &o, &flags, &norm, 1);
    }
    if (!code) {
        pl_diags_clear(diags);
        cli_work w;
        cli_work_begin(&w, "turns finished");
        o.progress = cli_progress;
        o.progress_ctx = &w;
        rc = pl_smp_run(d, &o, diags, &res);
        int sig = cli_work_end(&w);
        if (sig && rc == PL_EINTERRUPTED) {
            code = cli_interrupted(&w, sig);
        } else if (rc != PL_OK) {
            cli_print_diags(diags, 1);
            fprintf(stderr, "parley: %s: the spatial model failed: %s\n", name, pl_strerror(rc));
            code = rc == PL_EINPUT ? EXIT_INPUT : EXIT_RUN;
        }
    }
    if (!code) {
        rc = pl_smp_report(d, res, opts->format, flags, &text);
        code = rc == PL_OK ? cli_emit(opts, text) : cli_fail(rc, name);
    }
    pl_free(text);
    pl_smp_result_free(res);
    pl_smp_data_free(d);
    pl_diags_free(diags);
    return code;
}

/* `--model smp` with --set, --drop or --add: the model on the scenario and
** on the changed copy, side by side. */
static int smp_whatif(const cli_opts *opts, const char *file, const char **extra) {
    const char *name = file ? file : PL_DEFAULT_SCENARIO;
    if (pl_input_format_of(name) == PL_INPUT_CSV) {
        fprintf(stderr,
                "parley forecast: --set, --drop and --add with --model smp: expected a "
                "parley scenario, found the KTAB file \"%s\" (convert it to a scenario "
                "to change it)\n",
                name);
        return EXIT_INPUT;
    }
    pl_smp_options o;
    unsigned flags;
    pl_smp_salience_norm norm;
    int code = parse_extra(extra, &o, &flags, &norm);
    if (code) return code;
    if (flags) {
        fprintf(stderr, "parley forecast: --history, --probs and --challenges show one run in "
                        "detail: expected no --set, --drop or --add with them\n");
        return EXIT_INPUT;
    }
    pl_scenario *s = NULL, *changed = NULL;
    code = cli_load(name, opts, &s);
    if (code) return code;
    int any = 0;
    if (pl_scenario_clone(s, &changed) != PL_OK) code = cli_fail(PL_ENOMEM, name);
    if (!code) code = cli_whatif(opts, &changed, &any);
    pl_diags *diags = NULL;
    pl_smp_compare *cmp = NULL;
    char *text = NULL;
    if (!code) {
        pl_status rc = pl_diags_new(&diags);
        if (rc == PL_OK) rc = pl_smp_compare_run(s, changed, norm, &o, diags, &cmp);
        if (rc == PL_OK) rc = pl_smp_report_comparison(s, changed, cmp, opts->format, &text);
        if (rc == PL_ENOMEM) {
            code = cli_fail(rc, name);
        } else if (rc != PL_OK) {
            cli_print_diags(diags, 1);
            fprintf(stderr, "parley: %s: the spatial model failed: %s\n", name, pl_strerror(rc));
            code = rc == PL_EINPUT ? EXIT_INPUT : EXIT_RUN;
        } else {
            code = cli_emit(opts, text);
        }
    }
    pl_free(text);
    pl_smp_compare_free(cmp);
    pl_diags_free(diags);
    pl_scenario_free(s);
    pl_scenario_free(changed);
    return code;
}

/* The values of every --smp option into extra[] (room for MAX_SMP_OPTIONS);
** returns their count, or -1 after saying there are too many. */
enum { MAX_SMP_OPTIONS = 64 };
static int smp_options(const cli_opts *opts, const char **extra) {
    int n = 0;
    const char *v;
    for (int k = 0; (v = cli_opt_at(opts, "--smp", k)) != NULL; k++) {
        if (n == MAX_SMP_OPTIONS) {
            fprintf(stderr, "parley forecast: expected at most %d --smp options\n",
                    MAX_SMP_OPTIONS);
            return -1;
        }
        extra[n++] = v;
    }
    return n;
}

int cli_smp_mc_options(const cli_opts *opts, pl_smp_options *o, int *norm) {
    if (cli_opt(opts, "--history") || cli_opt(opts, "--probs") || cli_opt(opts, "--challenges")) {
        fprintf(stderr, "parley forecast: --history, --probs and --challenges show one run in "
                        "detail: expected no --runs with them\n");
        return EXIT_INPUT;
    }
    const char *extra[MAX_SMP_OPTIONS + 2];
    char turns[96];
    int n = smp_options(opts, extra);
    if (n < 0) return EXIT_INPUT;
    for (int k = 0; k < n; k++) {
        const char *v = extra[k];
        /* each run draws the SMP's seed from its own stream and runs on one
        ** thread: a seed or thread count of the model's own cannot hold */
        char key[64];
        size_t kl = 0;
        for (const char *c = v; *c && *c != '=' && kl + 1 < sizeof key; c++)
            if (*c != '-' && *c != '_')
                key[kl++] = (char)(*c >= 'A' && *c <= 'Z' ? *c - 'A' + 'a' : *c);
        key[kl] = 0;
        if (strcmp(key, "seed") == 0 || strcmp(key, "threads") == 0) {
            fprintf(stderr,
                    "parley forecast: --smp %s with --runs: expected no %s of the model's "
                    "own (each run's SMP seed comes from the run's stream, --seed; its "
                    "runs share --threads), found \"%s\"\n",
                    key, key, v);
            return EXIT_INPUT;
        }
    }
    const char *v;
    if ((v = cli_opt(opts, "--turns")) != NULL) {
        snprintf(turns, sizeof turns, "max-turns=%.80s", v);
        extra[n++] = turns;
    }
    extra[n] = NULL;
    unsigned flags;
    pl_smp_salience_norm sn;
    int code = parse_extra(extra, o, &flags, &sn);
    if (code) return code;
    if (flags) {
        fprintf(stderr, "parley forecast: --smp history, probs and challenges show one run in "
                        "detail: expected no --runs with them\n");
        return EXIT_INPUT;
    }
    *norm = (int)sn;
    return 0;
}

int cmd_smp_forecast_opts(const cli_opts *opts) {
    if (opts->n_args > 1) {
        fprintf(stderr,
                "parley forecast: expected one scenario or KTAB file, found %d "
                "(see 'parley forecast --help')\n",
                opts->n_args);
        return EXIT_INPUT;
    }
    const char *other;
    for (int k = 0; (other = cli_opt_at(opts, "--model", k)) != NULL; k++)
        if (strcmp(other, "smp") != 0) {
            fprintf(stderr,
                    "parley forecast: --model smp without --runs shows the spatial model "
                    "alone: expected no other --model, found \"%s\" (every model is in "
                    "the plain forecast and in --runs)\n",
                    other);
            return EXIT_INPUT;
        }
    if (cli_opt(opts, "--preset") || cli_opt(opts, "--rounds") || cli_opt(opts, "--offers")) {
        fprintf(stderr, "parley forecast: --preset, --rounds and --offers go with --model eum\n");
        return EXIT_INPUT;
    }
    if (cli_opt(opts, "--bins")) {
        fprintf(stderr, "parley forecast: --bins goes with --runs N\n");
        return EXIT_INPUT;
    }
    /* Options with a key of their own: the last value given counts. */
    static const struct {
        const char *option, *key;
    } keyed[] = {
        {"--seed", "seed"},       {"--threads", "threads"}, {"--turns", "max-turns"},
        {"--history", "history"}, {"--probs", "probs"},     {"--challenges", "challenges"},
    };
    enum { N_KEYED = sizeof keyed / sizeof keyed[0] };
    const char *extra[MAX_SMP_OPTIONS + N_KEYED + 1];
    char store[N_KEYED][96];
    unsigned threads = 0; /* --threads as every command reads it */
    if (!cli_opt_threads(opts, &threads)) return EXIT_INPUT;
    int n = smp_options(opts, extra);
    if (n < 0) return EXIT_INPUT;
    const char *v;
    for (size_t m = 0; m < N_KEYED; m++)
        if ((v = cli_opt(opts, keyed[m].option)) != NULL) {
            if (strcmp(keyed[m].option, "--threads") == 0)
                snprintf(store[m], sizeof store[m], "threads=%u", threads);
            else snprintf(store[m], sizeof store[m], "%s=%.80s", keyed[m].key, v);
            extra[n++] = store[m];
        }
    extra[n] = NULL;
    if (cli_opt(opts, "--set") || cli_opt(opts, "--drop") || cli_opt(opts, "--add"))
        return smp_whatif(opts, opts->n_args ? opts->args[0] : NULL, extra);
    return cmd_smp_forecast(opts, opts->n_args ? opts->args[0] : NULL, extra);
}
