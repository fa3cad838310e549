/*
** fuzz_ktab.c: libFuzzer target for the KTAB CSV reader.  Whatever the
** input, the reader must return a status without crashing or leaking;
** what it accepts must pass pl_smp_data_check, write back as KTAB CSV that
** reads again, and -- when small -- run through the model for two turns
** without a non-finite number.
*/
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "parley.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    pl_diags *diags = NULL;
    if (pl_diags_new(&diags) != PL_OK) return 0;
    pl_smp_data *d = NULL;
    pl_status rc = pl_smp_read_ktab_buffer((const char *)data, size, "fuzz", diags, &d);
    if (rc == PL_OK) {
        if (pl_smp_data_check(d, NULL) != PL_OK) abort();
        char *csv = NULL;
        pl_smp_data *back = NULL;
        if (pl_smp_data_to_ktab_csv(d, &csv) == PL_OK &&
            pl_smp_read_ktab_buffer(csv, strlen(csv), "back", NULL, &back) == PL_ENOMEM)
            abort();
        pl_free(csv);
        pl_smp_data_free(back);
        size_t n = pl_smp_data_n_actors(d), nd = pl_smp_data_n_dims(d);
        if (n <= 12 && nd <= 8) {
            pl_smp_options o;
            pl_smp_options_init(&o);
            o.max_turns = 2;
            o.n_threads = 1;
            o.seed = size;
            o.transition = size % 2 ? PL_SMP_STOCHASTIC : PL_SMP_DETERMINISTIC;
            o.vpm = (pl_smp_vpm)(size % 5);
            o.bargain = (pl_smp_bargain_model)(size % 3);
            pl_smp_result *res = NULL;
            if (pl_smp_run(d, &o, NULL, &res) == PL_OK) {
                for (size_t t = 0; t <= pl_smp_result_n_turns(res); t++)
                    for (size_t i = 0; i < n; i++) {
                        const double *x = pl_smp_result_position(res, t, i);
                        for (size_t k = 0; k < nd; k++)
                            if (!isfinite(x[k])) abort();
                        if (!isfinite(pl_smp_result_prob(res, t, i))) abort();
                    }
                char *text = NULL;
                pl_smp_report(d, res, PL_FORMAT_TEXT, 7, &text);
                pl_free(text);
                pl_smp_result_free(res);
            }
        }
    }
    pl_smp_data_free(d);
    pl_diags_free(diags);
    return 0;
}
