/*
** fuzz_scenario.c: libFuzzer target for the JSON scenario reader.  Any
** input must load or be rejected with diagnostics -- never crash, leak or
** trip a sanitizer -- and whatever loads must forecast and report.
*/
#include <stddef.h>
#include <stdint.h>

#include "parley.h"

/* Large inputs test the reader; the models run on small ones only, so that
** an input of thousands of actors does not hold the fuzzer for seconds. */
#define MAX_RUN_ACTORS 24
#define MAX_RUN_POSITIONS 240

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    pl_diags *diags = NULL;
    pl_scenario *s = NULL;
    if (pl_diags_new(&diags) != PL_OK) return 0;
    if (pl_scenario_load_buffer((const char *)data, size, "fuzz", diags, &s) == PL_OK &&
        pl_scenario_n_actors(s) <= MAX_RUN_ACTORS &&
        pl_scenario_n_positions(s) <= MAX_RUN_POSITIONS) {
        pl_forecast *f = NULL;
        if (pl_forecast_run(s, NULL, &f) == PL_OK) {
            for (int fmt = 0; fmt < 3; fmt++) {
                char *text = NULL;
                if (pl_report_forecast(s, f, (pl_format)fmt, &text) == PL_OK) pl_free(text);
                if (pl_report_scenario(s, (pl_format)fmt, &text) == PL_OK) pl_free(text);
            }
        }
        pl_forecast_free(f);
    }
    pl_scenario_free(s);
    pl_diags_free(diags);
    return 0;
}
