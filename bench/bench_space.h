/*
** bench_space.h: what bench_deals and bench_sao share: a fixed-seed
** splitmix64 stream and generated additive GENIUS spaces (evaluations
** 1..100 and weights from the stream, read through the same reader as the
** files).  Header-only: each bench is one program, each with its own stream
** starting at the same seed.
*/
#ifndef PL_BENCH_SPACE_H
#define PL_BENCH_SPACE_H

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "parley.h"

static uint64_t mix_state = 42;
static uint64_t next_u64(void) {
    uint64_t z = (mix_state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* Append to a growing string. */
typedef struct str {
    char *s;
    size_t len, cap;
} str;

static void put(str *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(str *b, const char *fmt, ...) {
    va_list ap;
    for (;;) {
        va_start(ap, fmt);
        int n = vsnprintf(b->s ? b->s + b->len : NULL, b->s ? b->cap - b->len : 0, fmt, ap);
        va_end(ap);
        if (n >= 0 && b->s && b->len + (size_t)n < b->cap) {
            b->len += (size_t)n;
            return;
        }
        b->cap = b->cap * 2 + (size_t)n + 256;
        b->s = realloc(b->s, b->cap);
        if (!b->s) abort();
    }
}

/* A space of n_parties parties (at most 8) over n_issues issues of n_values
** options each; reservation: the profiles' reservation value as text
** ("0.4"), or NULL for none.  Exits on failure, naming the bench. */
static pl_space *generated(const char *bench, const char *reservation, size_t n_parties,
                           size_t n_issues, size_t n_values) {
    str dom = {0};
    put(&dom,
        "<negotiation_template><utility_space number_of_issues=\"%zu\">"
        "<objective index=\"0\" name=\"generated\" type=\"objective\">\n",
        n_issues);
    for (size_t i = 0; i < n_issues; i++) {
        put(&dom, "<issue index=\"%zu\" name=\"i%zu\" type=\"discrete\">", i + 1, i + 1);
        for (size_t v = 0; v < n_values; v++)
            put(&dom, "<item index=\"%zu\" value=\"v%zu\"/>", v + 1, v + 1);
        put(&dom, "</issue>\n");
    }
    put(&dom, "</objective></utility_space></negotiation_template>\n");
    str prof[8] = {{0}};
    const char *texts[8], *names[8];
    size_t lens[8];
    char name_buf[8][32];
    for (size_t p = 0; p < n_parties; p++) {
        put(&prof[p], "<utility_space><objective index=\"0\" name=\"generated\">\n");
        for (size_t i = 0; i < n_issues; i++) {
            put(&prof[p], "<issue index=\"%zu\" name=\"i%zu\" type=\"discrete\">", i + 1, i + 1);
            for (size_t v = 0; v < n_values; v++)
                put(&prof[p], "<item value=\"v%zu\" evaluation=\"%d\"/>", v + 1,
                    (int)(next_u64() % 100) + 1);
            put(&prof[p], "</issue>\n");
        }
        for (size_t i = 0; i < n_issues; i++)
            put(&prof[p], "<weight index=\"%zu\" value=\"%.6f\"/>\n", i + 1,
                0.05 + (double)(next_u64() >> 11) * 0x1.0p-53);
        if (reservation)
            put(&prof[p], "</objective><reservation value=\"%s\"/></utility_space>\n", reservation);
        else put(&prof[p], "</objective></utility_space>\n");
        snprintf(name_buf[p], sizeof name_buf[p], "party%zu.xml", p + 1);
        texts[p] = prof[p].s;
        lens[p] = prof[p].len;
        names[p] = name_buf[p];
    }
    pl_space *sp = NULL;
    pl_status rc = pl_space_load_genius_buffers(dom.s, dom.len, "generated.xml", texts, lens, names,
                                                n_parties, NULL, NULL, &sp);
    if (rc != PL_OK) {
        fprintf(stderr, "%s: generating a space: %s\n", bench, pl_strerror(rc));
        exit(1);
    }
    free(dom.s);
    for (size_t p = 0; p < n_parties; p++) free(prof[p].s);
    return sp;
}

#endif
