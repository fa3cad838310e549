/*
** fuzz_csv.c: libFuzzer target for the simple CSV layout
** (Actor,Capability,Position,Salience).  Any input loads or is rejected
** with diagnostics; whatever loads must forecast.
*/
#include <stddef.h>
#include <stdint.h>

#include "parley.h"

/* Large inputs test the reader; the models run on small ones only. */
#define MAX_RUN_ACTORS 24

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    pl_diags *diags = NULL;
    pl_scenario *s = NULL;
    if (pl_diags_new(&diags) != PL_OK) return 0;
    if (pl_scenario_load_csv_buffer((const char *)data, size, "fuzz.csv", diags, &s) == PL_OK &&
        pl_scenario_n_actors(s) <= MAX_RUN_ACTORS) {
        pl_forecast *f = NULL;
        if (pl_forecast_run(s, NULL, &f) == PL_OK) {
            char *text = NULL;
            if (pl_report_forecast(s, f, PL_FORMAT_JSON, &text) == PL_OK) pl_free(text);
        }
        pl_forecast_free(f);
    }
    pl_scenario_free(s);
    pl_diags_free(diags);
    return 0;
}
