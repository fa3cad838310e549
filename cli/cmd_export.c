/*
** cmd_export.c: `parley show SCENARIO --format genius -o DIR` and
** `--format ktab`: the scenario in the peers' file formats, made by the
** library (pl_space_genius_*, pl_smp_data_to_ktab_csv); this file only
** names the files and writes them.  Every file is made before any is
** written, each written whole (cli_emit), so a failure leaves nothing new.
*/
#include "cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* A file name from a party's name: what a file name cannot hold becomes '_'. */
static void file_name(char *out, size_t size, const char *dir, const char *name,
                      const char *suffix) {
    int n = snprintf(out, size, "%s/", dir);
    size_t k = n > 0 ? (size_t)n : 0;
    for (const char *p = *name ? name : "party"; *p && k + 1 < size; p++)
        out[k++] = (*p == '/' || *p == '\\' || (unsigned char)*p < 0x20) ? '_' : *p;
    out[k] = 0;
    snprintf(out + k, size - k, "%s", suffix);
}

static int export_genius(const cli_opts *opts, const pl_scenario *s, const char *name) {
    if (!opts->output) {
        fprintf(stderr, "parley show: --format genius: expected -o DIR (a folder for the domain "
                        "and one profile per actor), found none\n");
        return EXIT_INPUT;
    }
    const char *dir = opts->output;
    struct stat st;
    if (stat(dir, &st) == 0 && !S_ISDIR(st.st_mode)) {
        fprintf(stderr, "parley show: -o %s: expected a folder for --format genius, found a file\n",
                dir);
        return EXIT_INPUT;
    }
    pl_space *sp = NULL;
    pl_status rc = pl_space_from_scenario(s, NULL, &sp);
    if (rc != PL_OK) return cli_fail(rc, name);
    size_t n = pl_space_n_parties(sp);
    char **texts = calloc(n + 1, sizeof *texts);
    if (!texts) rc = PL_ENOMEM;
    if (rc == PL_OK) rc = pl_space_genius_domain(sp, &texts[n]);
    for (size_t p = 0; rc == PL_OK && p < n; p++) rc = pl_space_genius_profile(sp, p, &texts[p]);
    int code = EXIT_OK;
    if (rc != PL_OK) {
        code = cli_fail(rc, name);
    } else if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "parley show: -o %s: cannot make the folder: %s\n", dir, strerror(errno));
        code = EXIT_RUN;
    }
    char path[4096];
    cli_opts one = *opts;
    one.output = path;
    for (size_t p = 0; code == EXIT_OK && p <= n; p++) {
        if (p == n) file_name(path, sizeof path, dir, pl_scenario_id(s), "-domain.xml");
        else file_name(path, sizeof path, dir, pl_space_party(sp, p), ".xml");
        code = cli_emit(&one, texts[p]);
    }
    for (size_t p = 0; texts && p <= n; p++) pl_free(texts[p]);
    free(texts);
    pl_space_free(sp);
    return code;
}

static int export_ktab(const cli_opts *opts, const pl_scenario *s, const char *name) {
    pl_diags *diags = NULL;
    pl_smp_data *d = NULL;
    char *text = NULL;
    pl_status rc = pl_diags_new(&diags);
    if (rc == PL_OK) rc = pl_smp_data_from_scenario(s, PL_SMP_SAL_CAP, diags, &d);
    if (rc != PL_OK && rc != PL_ENOMEM) {
        cli_print_diags(diags, 1);
        fprintf(stderr, "parley show: %s: KTAB's format cannot hold this scenario: %s\n", name,
                pl_strerror(rc));
        pl_diags_free(diags);
        return EXIT_INPUT;
    }
    if (rc == PL_OK) {
        cli_print_diags(diags, !opts->quiet);
        rc = pl_smp_data_to_ktab_csv(d, &text);
    }
    int code = rc == PL_OK ? cli_emit(opts, text) : cli_fail(rc, name);
    pl_free(text);
    pl_smp_data_free(d);
    pl_diags_free(diags);
    return code;
}

int cmd_export(const cli_opts *opts, const pl_scenario *s, const char *name) {
    if (strcmp(opts->export_format, "genius") == 0) return export_genius(opts, s, name);
    return export_ktab(opts, s, name);
}
