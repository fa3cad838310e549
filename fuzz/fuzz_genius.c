/*
** fuzz_genius.c: libFuzzer target for the GENIUS XML and GeniusWeb JSON
** readers.  The input is split at the first NUL byte (or at "\n--\n") into a
** domain and a profile, read as XML (domain + profile) and as GeniusWeb JSON
** (the whole input); whatever loads is computed (capped) and reported.
** Any input must load or be rejected with diagnostics -- never crash, leak
** or trip a sanitizer.
*/
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "parley.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void compute(const pl_space *sp) {
    pl_deals_options o;
    memset(&o, 0, sizeof o);
    o.max_outcomes = 4000; /* keep each run short */
    o.n_threads = 1;
    pl_deals *d = NULL;
    if (pl_deals_run(sp, &o, NULL, &d) == PL_OK) {
        for (int fmt = 0; fmt < 3; fmt++) {
            char *text = NULL;
            if (pl_report_deals(sp, d, (pl_format)fmt, &text) == PL_OK) pl_free(text);
        }
    }
    pl_deals_free(d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const char *text = (const char *)data;
    const char *cut = memchr(text, 0, size);
    size_t skip = 1;
    if (!cut) {
        for (size_t i = 0; i + 4 <= size; i++)
            if (memcmp(text + i, "\n--\n", 4) == 0) {
                cut = text + i;
                skip = 4;
                break;
            }
    }
    size_t dom_len = cut ? (size_t)(cut - text) : size;
    const char *prof = cut ? cut + skip : text;
    size_t prof_len = cut ? size - dom_len - skip : size;
    pl_diags *diags = NULL;
    if (pl_diags_new(&diags) != PL_OK) return 0;
    pl_space *sp = NULL;
    const char *names[2] = {"b.xml", "a.xml"};
    const char *texts[2] = {prof, prof};
    size_t lens[2] = {prof_len, prof_len};
    if (pl_space_load_genius_buffers(text, dom_len, "domain.xml", texts, lens, names, 2, NULL,
                                     diags, &sp) == PL_OK)
        compute(sp);
    pl_space_free(sp);
    sp = NULL;
    const char *jnames[1] = {"p.json"};
    const char *jtexts[1] = {text};
    size_t jlens[1] = {size};
    if (pl_space_load_geniusweb_buffers(jtexts, jlens, jnames, 1, NULL, diags, &sp) == PL_OK)
        compute(sp);
    pl_space_free(sp);
    pl_diags_free(diags);
    return 0;
}
