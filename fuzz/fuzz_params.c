/*
** fuzz_params.c: libFuzzer target for the fitted-parameters reader
** (io/io_params.c, `--params FILE`).  Any input loads or is rejected with
** diagnostics; whatever loads is written out and must read back to the
** same text.
*/
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "parley.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    pl_diags *diags = NULL;
    pl_params *p = NULL, *back = NULL;
    if (pl_diags_new(&diags) != PL_OK) return 0;
    if (pl_params_load_buffer((const char *)data, size, "fuzz.json", diags, &p) == PL_OK) {
        char *text = NULL, *again = NULL;
        if (pl_params_write_json(p, &text) == PL_OK) {
            if (pl_params_load_buffer(text, strlen(text), "again.json", NULL, &back) != PL_OK)
                abort();
            if (pl_params_write_json(back, &again) == PL_OK && strcmp(text, again) != 0) abort();
            pl_forecast_options fo;
            pl_forecast_options_init(&fo);
            pl_params_apply(back, &fo);
        }
        pl_free(text);
        pl_free(again);
    }
    pl_params_free(back);
    pl_params_free(p);
    pl_diags_free(diags);
    return 0;
}
