/*
** forecast.c: a program built against an installed libparley (see
** README.md beside it).  It loads a scenario -- a file, or the id of a
** built-in (default armistice-2025) -- forecasts every issue and prints
** each model's forecast, reporting problems in the input as FILE:LINE:COL.
*/
#include <parley.h>

#include <stdio.h>

int main(int argc, char **argv) {
    const char *what = argc > 1 ? argv[1] : "armistice-2025";
    pl_diags *diags = NULL;
    pl_scenario *s = NULL;
    pl_forecast *f = NULL;
    if (pl_diags_new(&diags) != PL_OK) return 1;
    pl_status rc = pl_builtin_text(what, NULL) ? pl_scenario_load_builtin(what, diags, &s)
                                               : pl_scenario_load_file(what, diags, &s);
    for (size_t i = 0; i < pl_diags_count(diags); i++) {
        const pl_diag *d = pl_diags_get(diags, i);
        fprintf(stderr, "%s:%d:%d: %s\n", d->file, d->line, d->column, d->message);
    }
    if (rc == PL_OK) rc = pl_forecast_run(s, NULL, &f);
    if (rc != PL_OK) {
        fprintf(stderr, "forecast: %s\n", pl_strerror(rc));
        pl_scenario_free(s);
        pl_diags_free(diags);
        return 2;
    }
    printf("%s (libparley %s)\n", pl_scenario_name(s), pl_version());
    for (size_t i = 0; i < pl_forecast_n_issues(f); i++) {
        const pl_issue_forecast *fi = pl_forecast_issue(f, i);
        const pl_issue *is = pl_scenario_issue(s, fi->issue);
        printf("%s:", is->id);
        for (int m = 0; m < PL_MODEL_COUNT; m++)
            printf(" %s=%.4g", pl_model_name((pl_model)m), fi->value[m]);
        printf("\n");
    }
    pl_forecast_free(f);
    pl_scenario_free(s);
    pl_diags_free(diags);
    return 0;
}
