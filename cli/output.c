/*
** output.c: how the tool writes results and reports problems.
*/
#define _POSIX_C_SOURCE 200809L
#include "cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void cli_print_diags(const pl_diags *diags, int warnings_too) {
    for (size_t i = 0; i < pl_diags_count(diags); i++) {
        const pl_diag *d = pl_diags_get(diags, i);
        if (d->severity == PL_SEV_WARNING && !warnings_too) continue;
        const char *sev = d->severity == PL_SEV_ERROR ? "error" : "warning";
        if (d->line > 0)
            fprintf(stderr, "%s:%d:%d: %s: %s\n", d->file, d->line, d->column, sev,
                    d->message);
        else
            fprintf(stderr, "%s: %s: %s\n", d->file, sev, d->message);
    }
}

int cli_fail(pl_status rc, const char *what) {
    fprintf(stderr, "parley: %s: %s\n", what, pl_strerror(rc));
    return rc == PL_ENOMEM || rc == PL_EIO ? EXIT_RUN : EXIT_INPUT;
}

int cli_emit(const cli_opts *opts, const char *text) {
    size_t len = strlen(text);
    if (!opts->output || strcmp(opts->output, "-") == 0) {
        if (fwrite(text, 1, len, stdout) != len || fflush(stdout) != 0) {
            fprintf(stderr, "parley: writing standard output: %s\n", strerror(errno));
            return EXIT_RUN;
        }
        return EXIT_OK;
    }
    /* Write beside the target and rename: a reader never sees half a file,
    ** and a failed run leaves nothing behind. */
    size_t n = strlen(opts->output) + 16;
    char *tmp = malloc(n);
    if (!tmp) return cli_fail(PL_ENOMEM, "writing output");
    snprintf(tmp, n, "%s.tmp.XXXXXX", opts->output);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        fprintf(stderr, "parley: %s: cannot create: %s\n", opts->output, strerror(errno));
        free(tmp);
        return EXIT_RUN;
    }
    FILE *f = fdopen(fd, "wb");
    int ok = f && fwrite(text, 1, len, f) == len;
    if (f) ok = (fclose(f) == 0) && ok;
    else close(fd);
    if (ok) {
        mode_t mask = umask(0);
        umask(mask);
        chmod(tmp, 0666 & ~mask);
    }
    if (!ok || rename(tmp, opts->output) != 0) {
        fprintf(stderr, "parley: %s: cannot write: %s\n", opts->output, strerror(errno));
        remove(tmp);
        free(tmp);
        return EXIT_RUN;
    }
    free(tmp);
    return EXIT_OK;
}

int cli_load(const char *name, const cli_opts *opts, pl_scenario **out) {
    pl_diags *diags = NULL;
    pl_status rc = pl_diags_new(&diags);
    if (rc != PL_OK) return cli_fail(rc, name);
    const char *id = NULL;
    struct stat st;
    if (strncmp(name, "builtin:", 8) == 0) id = name + 8;
    else if (stat(name, &st) != 0 && pl_builtin_text(name, NULL)) id = name;
    if (id) {
        rc = pl_scenario_load_builtin(id, diags, out);
        if (rc == PL_ENOTFOUND)
            fprintf(stderr, "parley: %s: expected the id of a built-in scenario "
                            "(see 'parley scenarios'), found \"%s\"\n", name, id);
    } else {
        rc = pl_scenario_load_file(name, diags, out);
    }
    int code = EXIT_OK;
    if (rc == PL_ENOMEM) {
        code = cli_fail(rc, name);
    } else if (rc != PL_OK) {
        cli_print_diags(diags, 1);
        code = EXIT_INPUT;
    } else if (!opts->quiet && pl_diags_warnings(diags)) {
        fprintf(stderr, "parley: %s: %zu warning%s (see 'parley validate %s')\n", name,
                pl_diags_warnings(diags), pl_diags_warnings(diags) == 1 ? "" : "s", name);
    }
    pl_diags_free(diags);
    return code;
}

const char *cli_opt_at(const cli_opts *opts, const char *name, int k) {
    for (int i = 0; i < opts->n_opts; i++)
        if (strcmp(opts->opt_names[i], name) == 0 && k-- == 0) return opts->opt_values[i];
    return NULL;
}

const char *cli_opt(const cli_opts *opts, const char *name) {
    const char *last = NULL;
    for (int i = 0; i < opts->n_opts; i++)
        if (strcmp(opts->opt_names[i], name) == 0) last = opts->opt_values[i];
    return last;
}

int cli_opt_double(const cli_opts *opts, const char *name, double lo, double hi, double *out) {
    const char *v = cli_opt(opts, name);
    if (!v) return 1;
    char *end;
    errno = 0;
    double x = strtod(v, &end);
    if (end == v || *end || errno == ERANGE || !(x >= lo && x <= hi)) {
        fprintf(stderr, "parley: %s: expected a number from %g to %g, found \"%s\"\n", name, lo,
                hi, v);
        return 0;
    }
    *out = x;
    return 1;
}

int cli_opt_ulong(const cli_opts *opts, const char *name, unsigned long lo, unsigned long hi,
                  unsigned long *out) {
    const char *v = cli_opt(opts, name);
    if (!v) return 1;
    char *end;
    errno = 0;
    unsigned long x = strtoul(v, &end, 10);
    if (end == v || *end || errno == ERANGE || v[0] == '-' || x < lo || x > hi) {
        fprintf(stderr, "parley: %s: expected a whole number from %lu to %lu, found \"%s\"\n",
                name, lo, hi, v);
        return 0;
    }
    *out = x;
    return 1;
}
