/*
** fuzz_ktab_xml.c: libFuzzer target for the KTAB XML reader.  Whatever the
** input, the reader must return a status without crashing or leaking; what
** it accepts must pass pl_smp_data_check, write back as KTAB XML that reads
** again as the same input with the same parameters, and -- when small --
** run through the model for two turns without a non-finite number.
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
    pl_smp_options params;
    pl_status rc = pl_smp_read_ktab_xml_buffer((const char *)data, size, "fuzz", diags, &d,
                                               &params);
    if (rc == PL_OK) {
        if (pl_smp_data_check(d, NULL) != PL_OK) abort();
        char *xml = NULL;
        pl_smp_data *back = NULL;
        pl_smp_options again;
        if (pl_smp_data_to_ktab_xml(d, &params, &xml) == PL_OK) {
            rc = pl_smp_read_ktab_xml_buffer(xml, strlen(xml), "back", NULL, &back, &again);
            if (rc != PL_OK && rc != PL_ENOMEM) abort();
            if (rc == PL_OK) {
                size_t n = pl_smp_data_n_actors(d), nd = pl_smp_data_n_dims(d);
                if (pl_smp_data_n_actors(back) != n || pl_smp_data_n_dims(back) != nd) abort();
                for (size_t i = 0; i < n; i++)
                    for (size_t k = 0; k < nd; k++)
                        if (pl_smp_data_position(back, i, k) != pl_smp_data_position(d, i, k) ||
                            pl_smp_data_salience(back, i, k) != pl_smp_data_salience(d, i, k))
                            abort();
                char *a = NULL, *b = NULL; /* the options compared as the text they make */
                if (pl_smp_options_describe(&params, &a) == PL_OK &&
                    pl_smp_options_describe(&again, &b) == PL_OK && strcmp(a, b) != 0)
                    abort();
                pl_free(a);
                pl_free(b);
            }
        }
        pl_free(xml);
        pl_smp_data_free(back);
        size_t n = pl_smp_data_n_actors(d), nd = pl_smp_data_n_dims(d);
        if (n <= 12 && nd <= 8) {
            params.max_turns = 2;
            params.n_threads = 1;
            pl_smp_result *res = NULL;
            if (pl_smp_run(d, &params, NULL, &res) == PL_OK) {
                for (size_t t = 0; t <= pl_smp_result_n_turns(res); t++)
                    for (size_t i = 0; i < n; i++) {
                        const double *x = pl_smp_result_position(res, t, i);
                        for (size_t k = 0; k < nd; k++)
                            if (!isfinite(x[k])) abort();
                    }
                pl_smp_result_free(res);
            }
        }
    }
    pl_smp_data_free(d);
    pl_diags_free(diags);
    return 0;
}
