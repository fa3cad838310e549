/*
** fuzz_decide.c: libFuzzer target for the reader of decide's data files
** (io/io_decide.c).  Whatever the input, the reader must return a status
** without crashing or leaking; what it accepts must convert to a scenario
** and -- when small -- run through the exchange model for two rounds with
** every outcome and exchange finite and inside its scale.
*/
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "parley.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    pl_diags *diags = NULL;
    if (pl_diags_new(&diags) != PL_OK) return 0;
    pl_exchange_data *d = NULL;
    pl_status rc = pl_exchange_read_buffer((const char *)data, size, "fuzz", diags, &d);
    if (rc == PL_OK) {
        pl_scenario *s = NULL;
        if (pl_exchange_data_to_scenario(d, NULL, &s) == PL_EINPUT) abort();
        pl_scenario_free(s);
        size_t na = pl_exchange_data_n_actors(d), ni = pl_exchange_data_n_issues(d);
        if (na <= 12 && ni <= 8) {
            pl_exchange_options o;
            pl_exchange_options_init(&o);
            o.rounds = 2;
            o.p = size % 2 ? 0.5 : 0;
            o.seed = size;
            pl_exchange_result *res = NULL;
            if (pl_exchange_run(d, &o, &res) == PL_OK) {
                for (size_t k = 0; k < ni; k++) {
                    double lo, hi, f = pl_exchange_result_forecast(res, k);
                    pl_exchange_data_scale(d, k, &lo, &hi);
                    if (!isfinite(f) || f < lo - 1e-6 * (hi - lo) || f > hi + 1e-6 * (hi - lo))
                        abort();
                }
                for (size_t t = 1; t <= 2; t++) {
                    size_t n;
                    const pl_exchange_made *m = pl_exchange_result_exchanges(res, t, &n);
                    for (size_t e = 0; e < n; e++)
                        if (!isfinite(m[e].gain) || !isfinite(m[e].i.y) || !isfinite(m[e].j.y))
                            abort();
                }
                char *text = NULL;
                pl_report_exchange(d, res, 1, (pl_format)(size % 3), &text);
                pl_free(text);
                pl_exchange_result_free(res);
            }
        }
    }
    pl_exchange_data_free(d);
    pl_diags_free(diags);
    return 0;
}
