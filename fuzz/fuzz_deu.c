/*
** fuzz_deu.c: libFuzzer target for the DEU table reader.  Any input loads
** or is rejected with diagnostics; whatever loads must backtest.
*/
#include <stddef.h>
#include <stdint.h>

#include "parley.h"

/* Large inputs test the reader; the backtest runs on small ones only. */
#define MAX_RUN_ISSUES 6

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    pl_diags *diags = NULL;
    pl_scenario *s = NULL;
    if (pl_diags_new(&diags) != PL_OK) return 0;
    if (pl_scenario_load_deu_buffer((const char *)data, size, "fuzz.tsv", NULL, diags, &s, NULL) ==
            PL_OK &&
        pl_scenario_n_issues(s) <= MAX_RUN_ISSUES) {
        pl_backtest_options o;
        pl_backtest_options_init(&o);
        o.folds = 3;
        pl_backtest *b = NULL;
        if (pl_backtest_run(s, &o, &b) == PL_OK) {
            char *text = NULL;
            if (pl_report_backtest(s, b, PL_FORMAT_TEXT, NULL, &text) == PL_OK) pl_free(text);
        }
        pl_backtest_free(b);
    }
    pl_scenario_free(s);
    pl_diags_free(diags);
    return 0;
}
