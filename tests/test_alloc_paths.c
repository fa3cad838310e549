/*
** test_alloc_paths.c: every reader, model, analysis and report run with its
** k-th allocation failing, for k = 1, 2, ... until the run succeeds
** (alloc.c's failure injection; jansson and expat allocate through it too).
**
** Each failure must come back as PL_ENOMEM -- never a parse or validation
** error, never a partial result -- with no diagnostic the run without the
** failure would not give, except an "out of memory" one naming the file.
** The run that finally succeeds must give exactly the result and the
** diagnostics of a run with unlimited memory.  Nothing may leak: under
** AddressSanitizer every path ends with a leak check of its own (so a leak
** is pinned to its path), and LeakSanitizer checks the whole run at exit.
**
** Inputs are small on purpose (a few hundred allocations each) so that the
** whole file runs in seconds under the sanitizers.  The figures (the k
** reached per path) are printed; tools and the issue-11 note quote them.
*/
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/alloc.h"
#include "parley.h"

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define PL_TEST_LSAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define PL_TEST_LSAN 1
#endif
#ifdef PL_TEST_LSAN
#include <sanitizer/lsan_interface.h>
#endif

#define DATA PL_SOURCE_DIR "/tests/data"

/* ------------------------------------------------------------------------
** Inputs, written to a temporary folder so that the readers' own file
** reading is exercised (and every diagnostic must name that path).
*/
static char dir[64];

static const char scenario_json[] =
    "{\"parley\": 1, \"id\": \"tiny\", \"name\": \"A tiny scenario\",\n"
    " \"description\": \"Four actors, three issues.\", \"date\": \"2025-01-01\",\n"
    " \"sources\": [{\"id\": \"s1\", \"title\": \"A source\", \"publisher\": \"P\",\n"
    "   \"date\": \"2025-01-01\", \"url\": \"https://example.org/\"}],\n"
    " \"notes\": [\"one note\", \"another\"],\n"
    " \"uncertainty\": {\"position_sd_share\": 0.05, \"salience_sd\": 5,\n"
    "   \"capability_sd_share\": 0.1},\n"
    " \"actors\": [\n"
    "  {\"id\": \"a\", \"name\": \"Alpha\", \"capability\": 3, \"group\": \"g\",\n"
    "   \"description\": \"first\", \"role\": \"proposer\",\n"
    "   \"evidence\": [{\"quote\": \"q\", \"source\": \"s1\"}],\n"
    "   \"capability_spread\": {\"range\": [2, 4]}, \"reservation\": 0.2},\n"
    "  {\"id\": \"b\", \"name\": \"Beta\", \"capability\": 2, \"assumption\": \"guess\"},\n"
    "  {\"id\": \"c\", \"name\": \"Gamma\", \"capability\": 1, \"assumption\": \"guess\"},\n"
    "  {\"id\": \"d\", \"name\": \"Delta\", \"capability\": 1.5, \"assumption\": \"guess\"}],\n"
    " \"issues\": [\n"
    "  {\"id\": \"x\", \"name\": \"Ex\", \"scale\": {\"min\": 0, \"max\": 100,\n"
    "    \"min_label\": \"none\", \"max_label\": \"all\"}, \"unit\": \"%\",\n"
    "   \"status_quo\": 20, \"outcome\": 40, \"decision_rule\": \"unanimity\",\n"
    "   \"procedure\": \"COD\", \"group\": \"p1\",\n"
    "   \"options\": [{\"value\": 0, \"label\": \"none\"}, {\"value\": 50, \"label\": \"half\"},\n"
    "     {\"value\": 100, \"label\": \"all\"}], \"assumption\": \"scale\"},\n"
    "  {\"id\": \"y\", \"name\": \"Why\", \"scale\": {\"min\": 0, \"max\": 10,\n"
    "    \"min_label\": \"low\", \"max_label\": \"high\"},\n"
    "   \"status_quo\": 5, \"outcome\": 7, \"decision_rule\": \"qualified-majority\",\n"
    "   \"group\": \"p2\", \"assumption\": \"scale\"},\n"
    "  {\"id\": \"z\", \"name\": \"Zed\", \"scale\": {\"min\": -1, \"max\": 1,\n"
    "    \"min_label\": \"left\", \"max_label\": \"right\"},\n"
    "   \"outcome\": 0.5, \"group\": \"p3\", \"assumption\": \"scale\"}],\n"
    " \"positions\": [\n"
    "  {\"actor\": \"a\", \"issue\": \"x\", \"position\": 10, \"salience\": 80,\n"
    "   \"evidence\": [{\"quote\": \"q\", \"source\": \"s1\"}],\n"
    "   \"position_spread\": {\"sd\": 5}, \"salience_spread\": {\"range\": [70, 90]}},\n"
    "  {\"actor\": \"b\", \"issue\": \"x\", \"position\": 60, \"salience\": 50, \"assumption\": \"a\"},\n"
    "  {\"actor\": \"c\", \"issue\": \"x\", \"position\": 90, \"salience\": 40, \"assumption\": \"a\"},\n"
    "  {\"actor\": \"d\", \"issue\": \"x\", \"position\": 45, \"salience\": 60, \"assumption\": \"a\"},\n"
    "  {\"actor\": \"a\", \"issue\": \"y\", \"position\": 2, \"salience\": 30, \"assumption\": \"a\"},\n"
    "  {\"actor\": \"b\", \"issue\": \"y\", \"position\": 8, \"salience\": 70, \"assumption\": \"a\"},\n"
    "  {\"actor\": \"c\", \"issue\": \"y\", \"position\": 6, \"salience\": 20, \"assumption\": \"a\"},\n"
    "  {\"actor\": \"a\", \"issue\": \"z\", \"position\": 0.9, \"salience\": 50, \"assumption\": \"a\"},\n"
    "  {\"actor\": \"c\", \"issue\": \"z\", \"position\": -0.5, \"salience\": 90, \"assumption\": \"a\"},\n"
    "  {\"actor\": \"d\", \"issue\": \"z\", \"position\": 0.1, \"salience\": 40, \"assumption\": \"a\"}]\n"
    "}\n";

/* Semantic errors throughout (and an unknown key: a warning). */
static const char scenario_bad_json[] =
    "{\"parley\": 1, \"id\": \"bad id\", \"name\": 2, \"colour\": \"red\",\n"
    " \"actors\": [{\"id\": \"a\", \"name\": \"A\", \"capability\": -1},\n"
    "   {\"id\": \"a\", \"name\": \"A2\", \"capability\": 1}, {}],\n"
    " \"issues\": [{\"id\": \"x\", \"name\": \"X\", \"scale\": {\"min\": 5, \"max\": 1}}],\n"
    " \"positions\": [{\"actor\": \"q\", \"issue\": \"x\", \"position\": 3, \"salience\": 500},\n"
    "   {\"actor\": \"a\", \"issue\": \"w\", \"position\": 3, \"salience\": 5}]}\n";

/* Not JSON at all. */
static const char scenario_syntax_json[] =
    "{\"parley\": 1, \"id\": \"t\",\n  \"actors\": [1, 2,,]}\n";

static const char one_issue_csv[] = "Actor,Capability,Position,Salience,Note\n"
                                    "Netherlands,0.08,4,0.8,x\n"
                                    "\"Germany\",0.2,7,0.5,y\n"
                                    "France,0.15,5,0.9,z\n"
                                    "Italy,0.1,9,0.4,w\n";

static const char one_issue_bad_csv[] = "Actor,Capability,Position,Salience\n"
                                        "Netherlands,zero,4,0.8\n"
                                        "Germany,0.2,,0.5\n"
                                        "Germany,0.2,7,0.5\n"
                                        "France,0.15,5\n";

static const char deu_tsv[] =
    "prnr\tisnr\tproc\tcounvte\tpcom\tpep\tpde\tpfr\tscom\tsep\tsde\tsfr\trp\tout\n"
    "\t\t\t\t29\t29\t29\t29\t\t\t\t\t\t\n"
    "p1\ti1\tCOD\tQMV\t10\t90\t50\t20\t50\t60\t70\t80\t0\t20\n"
    "p1\ti2\tCOD\tQMV\t100\t0\t40\t\t50\t60\t70\t\t30\t50\n"
    "p2\ti3\tCNS\tUnan\t0\t100\t30\t60\t40\t50\t\t90\t0\t0\n"
    "p3\ti4\tCNS\tQMV\t70\t20\t50\t40\t50\t50\t50\t50\t100\t60\n"
    "p4\ti5\tCOD\tUnan\t60\t80\t\t10\t30\t50\t\t20\t50\t\n";

static const char deu_bad_tsv[] = "prnr\tisnr\tproc\tcounvte\tpcom\tpde\tscom\tsde\trp\tout\n"
                                  "\t\t\t\t29\t29\t\t\t\t\n"
                                  "p1\ti1\tCOD\tQMV\t10\tx\t50\t50\t0\t20\n"
                                  "p1\ti2\tCOD\tQMV\t10\t90\t50\t500\t0\t20\n"
                                  "p1\ti3\tCOD\tQMV\t10\t90\t50\t50\t0\n";

static const char ktab_csv[] = "Tiny,\"A tiny KTAB scenario\",4,2,\n"
                               "Actor,Description,Power,Pstn1,Sal1,Pstn2,Sal2,\n"
                               "A1,First actor,100,10,50,80,30,\n"
                               "A2,Second actor,60,70,40,20,60,\n"
                               "A3,Third actor,40,90,70,50,20,\n"
                               "A4,Fourth actor,80,40,30,60,50,\n";

static const char ktab_xml[] =
    "<Scenario><name>Tiny</name><desc>A tiny KTAB scenario</desc><prngSeed>0x10</prngSeed>\n"
    "<ModelParameters><VictoryProbModel>Square</VictoryProbModel></ModelParameters>\n"
    "<Dimensions><dName>X</dName><dName>Y</dName></Dimensions><Actors>\n"
    "<Actor><name>A</name><description>a</description><capability>10</capability>"
    "<Position><dCoord>10</dCoord><dCoord>20</dCoord></Position>"
    "<Salience><dSal>50</dSal><dSal>30</dSal></Salience></Actor>\n"
    "<Actor><name>B</name><description>b</description><capability>20</capability>"
    "<Position><dCoord>60</dCoord><dCoord>70</dCoord></Position>"
    "<Salience><dSal>40</dSal><dSal>40</dSal></Salience></Actor>\n"
    "<Actor><name>C</name><description>c</description><capability>30</capability>"
    "<Position><dCoord>90</dCoord><dCoord>5</dCoord></Position>"
    "<Salience><dSal>20</dSal><dSal>60</dSal></Salience></Actor>\n"
    "</Actors><IdealAdjustment><iaPair><adjustingIdeal>A</adjustingIdeal>"
    "<referencePos>B</referencePos><adjust>0</adjust></iaPair></IdealAdjustment></Scenario>\n";
static const char ktab_bad_xml[] =
    "<Scenario><name>Tiny</name><Actors>\n"
    "<Actor><name>A</name><capability>10</capability>"
    "<Position><dCoord>10</dCoord></Position><Salience><dSal>50</dSal></Salience></Actor>\n"
    "<Actor><name>B</name><capability>20</capability>"
    "<Position><dCoord>60</dCoord></Position><Salience><dSal>40</dSal></Salience></Actor>\n"
    "<Actor><name>C</name><capability>30</capability>"
    "<Position><dCoord>190</dCoord></Position><Salience><dSal>20</dSal></Salience></Actor>\n"
    "</Actors></Scenario>\n";
static const char ktab_bad_csv[] = "Tiny,\"A tiny KTAB scenario\",4,2,\n"
                                   "Actor,Description,Power,Pstn1,Sal1,Pstn2,Sal2,\n"
                                   "A1,First actor,-100,10,50,80,30,\n"
                                   "A2,Second actor,60,170,40,20,60,\n"
                                   "A3,Third actor,40,90,x,50,20,\n";

static const char decide_txt[] = "'#A'\t'A 1'\t'First'\t''\n"
                                 "'#A'\t'A2'\t'Second'\t''\n"
                                 "'#A'\t'A3'\t'Third'\t''\n"
                                 "'#A'\t'A4'\t'Fourth'\t''\n"
                                 "'#P'\t'p'\t''\n'#M'\t'p'\t0\n'#M'\t'p'\t10\n"
                                 "'#P'\t'q'\t''\n'#P'\t'r'\t''\n"
                                 "'#D'\t'A 1'\t'p'\t1\t0.9\t1\n"
                                 "'#D'\t'A 1'\t'q'\t100\t0.2\t1\n"
                                 "'#D'\t'A 1'\t'r'\t30\t0.5\t1\n"
                                 "'#D'\t'A2'\t'p'\t9\t0.3\t0.5\n"
                                 "'#D'\t'A2'\t'q'\t0\t0.8\t0.5\n"
                                 "'#D'\t'A2'\t'r'\t80\t0.4\t0.7\n"
                                 "'#D'\t'A3'\t'p'\t5\t0.6\t0.8\n"
                                 "'#D'\t'A3'\t'q'\t60\t0.7\t0.8\n"
                                 "'#D'\t'A4'\t'q'\t20\t0.9\t0.3\n"
                                 "'#D'\t'A4'\t'r'\t100\t0.2\t0.3\n";

static const char decide_bad_txt[] = "'#A'\t'A1'\n'#A'\t'A1'\n'#P'\t'p'\n"
                                     "'#D'\t'A1'\t'p'\t200\t0\t1\n'#D'\t'A9'\t'p'\t1\t1\t1\n"
                                     "'#Q'\n";

static const char genius_domain[] =
    "<negotiation_template>\n"
    "<utility_space number_of_issues=\"3\">\n"
    "<objective index=\"0\" name=\"test\" type=\"objective\">\n"
    "  <issue index=\"1\" name=\"colour\" type=\"discrete\">\n"
    "    <item index=\"1\" value=\"red\"/><item index=\"2\" value=\"blue\"/>\n"
    "  </issue>\n"
    "  <issue index=\"2\" name=\"count\" type=\"integer\" lowerbound=\"1\" upperbound=\"3\"/>\n"
    "  <issue index=\"3\" name=\"price\" type=\"real\"><range lowerbound=\"0\" upperbound=\"10\"/></issue>\n"
    "</objective>\n"
    "</utility_space>\n"
    "</negotiation_template>\n";

static const char genius_profile1[] =
    "<utility_space>\n"
    "<objective index=\"0\" name=\"test\">\n"
    "  <issue index=\"1\" name=\"colour\" type=\"discrete\">\n"
    "    <item value=\"red\" evaluation=\"4\"/><item value=\"blue\" evaluation=\"8\"/>\n"
    "  </issue>\n"
    "  <issue index=\"2\" name=\"count\" type=\"integer\" lowerbound=\"1\" upperbound=\"3\">\n"
    "    <evaluator ftype=\"linear\" slope=\"-0.25\" offset=\"1\"/>\n"
    "  </issue>\n"
    "  <issue index=\"3\" name=\"price\" type=\"real\">\n"
    "    <evaluator ftype=\"linear\" parameter0=\"0.2\" parameter1=\"0.08\"/>\n"
    "  </issue>\n"
    "  <weight index=\"1\" value=\"2\"/><weight index=\"2\" value=\"1\"/><weight index=\"3\" value=\"1\"/>\n"
    "</objective>\n"
    "<discount_factor value=\"0.5\"/><reservation value=\"0.25\"/>\n"
    "</utility_space>\n";

static const char genius_profile2[] =
    "<utility_space>\n"
    "<objective index=\"0\" name=\"test\">\n"
    "  <issue index=\"1\" name=\"colour\" type=\"discrete\">\n"
    "    <item value=\"red\" evaluation=\"9\"/><item value=\"blue\" evaluation=\"1\"/>\n"
    "  </issue>\n"
    "  <issue index=\"2\" name=\"count\" type=\"integer\" lowerbound=\"1\" upperbound=\"3\">\n"
    "    <evaluator ftype=\"linear\" slope=\"0.25\" offset=\"0.25\"/>\n"
    "  </issue>\n"
    "  <issue index=\"3\" name=\"price\" type=\"real\">\n"
    "    <evaluator ftype=\"linear\" parameter0=\"1\" parameter1=\"-0.08\"/>\n"
    "  </issue>\n"
    "  <weight index=\"1\" value=\"1\"/><weight index=\"2\" value=\"1\"/><weight index=\"3\" value=\"2\"/>\n"
    "</objective>\n"
    "<reservation value=\"0.1\"/>\n"
    "</utility_space>\n";

/* An unknown issue, a value the domain lacks, a bad number. */
static const char genius_bad_profile[] =
    "<utility_space>\n"
    "<objective index=\"0\" name=\"test\">\n"
    "  <issue index=\"1\" name=\"colour\" type=\"discrete\">\n"
    "    <item value=\"green\" evaluation=\"4\"/><item value=\"blue\" evaluation=\"x\"/>\n"
    "  </issue>\n"
    "  <issue index=\"7\" name=\"size\" type=\"integer\" lowerbound=\"1\" upperbound=\"3\"/>\n"
    "  <weight index=\"1\" value=\"-2\"/>\n"
    "</objective>\n"
    "<reservation value=\"2\"/>\n"
    "</utility_space>\n";

static const char genius_syntax_xml[] =
    "<utility_space>\n<objective index=\"0\">\n</utility_space>\n";

/* A GeniusWeb profile that disagrees with itself: a weight for an issue the
** domain lacks, a value outside the domain, a utility above 1. */
static const char geniusweb_bad_json[] =
    "{\"LinearAdditiveUtilitySpace\": {\n"
    "  \"issueUtilities\": {\"Laptop\": {\"DiscreteValueSetUtilities\": {\n"
    "      \"valueUtilities\": {\"Dell\": 0.4, \"Acer\": 2}}}},\n"
    "  \"issueWeights\": {\"Laptop\": 0.5, \"Screen\": 0.5},\n"
    "  \"domain\": {\"name\": \"laptop\", \"issuesValues\": {\n"
    "      \"Laptop\": {\"values\": [\"Dell\", \"HP\"]}}},\n"
    "  \"name\": \"bad\", \"reservationBid\": null}}\n";

static const char nonlinear_bad_xml[] =
    "<utility_space type=\"nonlinear\">\n"
    "<objective index=\"0\" name=\"nonlinear-test\" type=\"objective\">\n"
    "<issue index=\"1\" name=\"x\" type=\"integer\" lowerbound=\"0\" upperbound=\"4\"/>\n"
    "<issue index=\"2\" name=\"y\" type=\"integer\" lowerbound=\"0\" upperbound=\"4\"/>\n"
    "<issue index=\"3\" name=\"z\" type=\"integer\" lowerbound=\"0\" upperbound=\"4\"/>\n"
    "</objective>\n"
    "<utility_function>\n"
    "<ufun type=\"PlainUfun\" weight=\"1\" aggregation=\"sum\">\n"
    "<hyperRectangle utility_function=\"40\">\n"
    "<INCLUDES index=\"9\" min=\"0\" max=\"2\"/>\n"
    "<INCLUDES index=\"2\" min=\"3\" max=\"1\"/>\n"
    "</hyperRectangle>\n"
    "<hyperRectangle utility_function=\"x\">\n"
    "<INCLUDES index=\"3\" min=\"3\" max=\"4\"/>\n"
    "</hyperRectangle>\n"
    "</ufun>\n"
    "</utility_function>\n"
    "<reservation value=\"0.3\"/>\n"
    "</utility_space>\n";

static char *path_of(const char *name) {
    static char paths[32][160];
    static int n;
    char *p = paths[n++ % 32];
    snprintf(p, sizeof paths[0], "%s/%s", dir, name);
    return p;
}

static void write_file(const char *name, const char *text) {
    FILE *f = fopen(path_of(name), "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
    assert_int_equal(fclose(f), 0);
}

/* ------------------------------------------------------------------------
** The harness
*/

/* A run: its status, diagnostics and what it produced (malloc'ed text, so
** that keeping it never touches the failing allocator). */
typedef struct outcome {
    pl_status rc;
    char **diags; /* "FILE:LINE:COL: sev: message" */
    size_t n_diags;
    char *text;
    size_t len;
} outcome;

/* What a path appends its results to (report texts, figures). */
typedef struct sink {
    char *text;
    size_t len;
    int leftover; /* a failed call handed back an object anyway */
} sink;

static void sink_add(sink *k, const char *s, size_t n) {
    char *t = realloc(k->text, k->len + n + 1);
    assert_non_null(t);
    memcpy(t + k->len, s, n);
    k->len += n;
    t[k->len] = 0;
    k->text = t;
}

/* Keep a report (released here) in the sink. */
static void sink_report(sink *k, pl_status rc, char *text) {
    if (rc == PL_OK && text) sink_add(k, text, strlen(text));
    else if (text) k->leftover = 1;
    pl_free(text);
}

static void sink_printf(sink *k, const char *fmt, ...) {
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    sink_add(k, buf, (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1);
}

typedef pl_status (*path_fn)(void *ctx, pl_diags *diags, sink *out);

static void outcome_take(outcome *o, pl_status rc, const pl_diags *d, sink *k) {
    o->rc = rc;
    o->n_diags = pl_diags_count(d);
    o->diags = calloc(o->n_diags + 1, sizeof *o->diags);
    assert_non_null(o->diags);
    for (size_t i = 0; i < o->n_diags; i++) {
        const pl_diag *g = pl_diags_get(d, i);
        char line[2048];
        snprintf(line, sizeof line, "%s:%d:%d: %s: %s", g->file, g->line, g->column,
                 g->severity == PL_SEV_ERROR ? "error" : "warning", g->message);
        o->diags[i] = strdup(line);
        assert_non_null(o->diags[i]);
    }
    o->text = k->text;
    o->len = k->len;
    k->text = NULL;
    k->len = 0;
}

static void outcome_free(outcome *o) {
    for (size_t i = 0; i < o->n_diags; i++) free(o->diags[i]);
    free(o->diags);
    free(o->text);
}

static int same(const outcome *a, const outcome *b) {
    if (a->rc != b->rc || a->n_diags != b->n_diags || a->len != b->len) return 0;
    if (a->len && memcmp(a->text, b->text, a->len) != 0) return 0;
    for (size_t i = 0; i < a->n_diags; i++)
        if (strcmp(a->diags[i], b->diags[i]) != 0) return 0;
    return 1;
}

/* The figures, printed at the end. */
static char summary[8192];

/* Run `fn` with the k-th allocation failing for k = 1, 2, ... until a run
** needs no more than k - 1 allocations.  `file` (NULL: no file) is the input
** every diagnostic must name; `want` the status with unlimited memory. */
static long torture(const char *name, path_fn fn, void *ctx, const char *file, pl_status want) {
    pl_diags *d = NULL;
    sink k = {NULL, 0, 0};
    outcome ref;
    assert_int_equal(pl_diags_new(&d), PL_OK);
    pl__alloc_fail_reset();
    pl_status rc = fn(ctx, d, &k);
    long needed = pl__alloc_count();
    outcome_take(&ref, rc, d, &k);
    if (rc != want) {
        for (size_t i = 0; i < ref.n_diags; i++) print_message("  %s\n", ref.diags[i]);
        fail_msg("%s: status %d (%s) with unlimited memory, expected %d", name, rc, pl_strerror(rc),
                 want);
    }
    if (k.leftover) fail_msg("%s: a failed call handed back an object", name);
    if (file)
        for (size_t i = 0; i < ref.n_diags; i++)
            if (strncmp(ref.diags[i], file, strlen(file)) != 0)
                fail_msg("%s: a diagnostic names another file: %s", name, ref.diags[i]);
    long n, tolerated = 0;
    clock_t t0 = clock();
    int done = 0;
    for (n = 0; !done; n++) {
        /* mode 0: the allocation after n and all later ones fail; mode 1:
        ** only that one (error paths that allocate, code that goes on) */
        for (int mode = 0; mode < 2 && !done; mode++) {
            pl_diags_free(d); /* a fresh list: a cleared one would not grow again */
            assert_int_equal(pl_diags_new(&d), PL_OK);
            if (mode == 0) pl__alloc_fail_after(n);
            else pl__alloc_fail_only(n);
            rc = fn(ctx, d, &k);
            long used = pl__alloc_count();
            pl__alloc_fail_reset();
            outcome got;
            outcome_take(&got, rc, d, &k);
            const char *how = mode == 0 ? "allocations from" : "allocation";
            if (k.leftover)
                fail_msg("%s: %s %ld failed: a failed call handed back an object", name, how,
                         n + 1);
            if (used <= n) { /* nothing failed: the run must be the reference run */
                if (!same(&got, &ref))
                    fail_msg("%s: a run within its memory differs from the reference run", name);
                done = 1;
            } else if (rc == PL_ENOMEM) {
                /* the diagnostics given: the reference run's, in order,
                ** some perhaps lost to the failure, and "out of memory" */
                size_t j = 0;
                for (size_t i = 0; i < got.n_diags; i++) {
                    while (j < ref.n_diags && strcmp(got.diags[i], ref.diags[j]) != 0) j++;
                    int is_ref = j < ref.n_diags;
                    if (is_ref) j++;
                    int is_oom = file && strncmp(got.diags[i], file, strlen(file)) == 0 &&
                                 strstr(got.diags[i], "out of memory");
                    if (!is_ref && !is_oom)
                        fail_msg("%s: %s %ld failed: a diagnostic of the failure that is not "
                                 "\"FILE: out of memory\" with FILE %s: %s",
                                 name, how, n + 1, file ? file : "(none)", got.diags[i]);
                }
            } else if (same(&got, &ref)) {
                tolerated++; /* the code went around the failure, same result */
                if (getenv("PL_TOLERATED")) print_message("tolerated: %s %s %ld\n", name, how, n);
            } else {
                for (size_t i = 0; i < got.n_diags; i++) print_message("  %s\n", got.diags[i]);
                size_t at = 0;
                while (at < got.len && at < ref.len && got.text[at] == ref.text[at]) at++;
                if (rc == PL_OK)
                    print_message("  the results differ at byte %zu: \"%.60s\" instead of "
                                  "\"%.60s\"\n",
                                  at, got.text + (at > 20 ? at - 20 : 0),
                                  ref.text + (at > 20 ? at - 20 : 0));
                fail_msg("%s: %s %ld failed: status %d (%s)%s, expected %d (out of memory)", name,
                         how, n + 1, rc, pl_strerror(rc), rc == PL_OK ? " with another result" : "",
                         PL_ENOMEM);
            }
            outcome_free(&got);
        }
        if (n > 100000) fail_msg("%s: no end in sight after %ld allocations", name, n);
    }
    n--;
#ifdef PL_TEST_LSAN
    if (__lsan_do_recoverable_leak_check())
        fail_msg("%s: memory leaked (see the report above)", name);
#endif
    if (n != needed) fail_msg("%s: %ld allocations, then %ld", name, needed, n);
    char line[200];
    snprintf(line, sizeof line, "  %-36s %6ld allocation sites, %5.2f s%s\n", name, n,
             (double)(clock() - t0) / CLOCKS_PER_SEC,
             tolerated ? " (some failures gone around)" : "");
    strncat(summary, line, sizeof summary - strlen(summary) - 1);
    outcome_free(&ref);
    pl_diags_free(d);
    return n;
}

/* ------------------------------------------------------------------------
** Readers
*/
static pl_status read_scenario(void *ctx, pl_diags *d, sink *k) {
    pl_scenario *s = NULL;
    pl_status rc = pl_scenario_load_file(ctx, d, &s);
    if (rc != PL_OK && s) k->leftover = 1;
    if (rc == PL_OK)
        sink_printf(k, "%zu %zu %zu", pl_scenario_n_actors(s), pl_scenario_n_issues(s),
                    pl_scenario_n_positions(s));
    pl_scenario_free(s);
    return rc;
}

static pl_status read_deu(void *ctx, pl_diags *d, sink *k) {
    pl_scenario *s = NULL;
    pl_deu_stats st;
    pl_status rc = pl_scenario_load_deu_file(ctx, "row", d, &s, &st);
    if (rc != PL_OK && s) k->leftover = 1;
    if (rc == PL_OK) sink_printf(k, "%zu %zu %zu", pl_scenario_n_issues(s), st.n_rows, st.n_issues);
    pl_scenario_free(s);
    return rc;
}

static pl_status read_ktab(void *ctx, pl_diags *d, sink *k) {
    pl_smp_data *data = NULL;
    pl_status rc = pl_smp_read_ktab_file(ctx, d, &data);
    if (rc != PL_OK && data) k->leftover = 1;
    if (rc == PL_OK)
        sink_printf(k, "%zu %zu", pl_smp_data_n_actors(data), pl_smp_data_n_dims(data));
    pl_smp_data_free(data);
    return rc;
}

static pl_status read_decide(void *ctx, pl_diags *d, sink *k) {
    pl_exchange_data *data = NULL;
    pl_status rc = pl_exchange_read_file(ctx, d, &data);
    if (rc != PL_OK && data) k->leftover = 1;
    if (rc == PL_OK)
        sink_printf(k, "%zu %zu", pl_exchange_data_n_actors(data), pl_exchange_data_n_issues(data));
    pl_exchange_data_free(data);
    return rc;
}

/* The exchange model on decide's file: a run and its three reports, the
** randomised model's repetitions (ctx non-NULL: p > 0 on two threads)
** and their report. */
static pl_status path_exchange(void *ctx, pl_diags *d, sink *k) {
    pl_exchange_data *data = NULL;
    pl_status rc = pl_exchange_read_file(path_of("decide.txt"), d, &data);
    pl_exchange_options o;
    pl_exchange_options_init(&o);
    o.rounds = 3;
    if (rc == PL_OK && !ctx) {
        pl_exchange_result *res = NULL;
        rc = pl_exchange_run(data, &o, &res);
        for (int f = 0; rc == PL_OK && f < 3; f++) {
            char *text = NULL;
            rc = pl_report_exchange(data, res, 1, (pl_format)f, &text);
            sink_report(k, rc, text);
        }
        pl_exchange_result_free(res);
    } else if (rc == PL_OK) {
        o.p = 0.5;
        o.repetitions = 5;
        o.n_threads = 2;
        pl_exchange_dist *dist = NULL;
        rc = pl_exchange_repeat(data, &o, &dist);
        for (int f = 0; rc == PL_OK && f < 3; f++) {
            char *text = NULL;
            rc = pl_report_exchange_sweep(data, (const pl_exchange_dist *const *)&dist, 1,
                                          (pl_format)f, &text);
            sink_report(k, rc, text);
        }
        pl_exchange_dist_free(dist);
    }
    if (rc == PL_OK) {
        pl_scenario *s = NULL;
        rc = pl_exchange_data_to_scenario(data, d, &s);
        pl_exchange_data *back = NULL;
        if (rc == PL_OK) rc = pl_exchange_data_from_scenario(s, d, &back);
        if (rc == PL_OK) sink_printf(k, " %zu", pl_exchange_data_n_actors(back));
        pl_exchange_data_free(back);
        pl_scenario_free(s);
    }
    pl_exchange_data_free(data);
    return rc;
}

typedef struct genius_files {
    const char *domain;
    const char *profiles[3];
    size_t n;
} genius_files;

static void space_summary(sink *k, const pl_space *sp) {
    int overflow = 0;
    sink_printf(k, "%s %zu %zu %llu", pl_space_name(sp), pl_space_n_parties(sp),
                pl_space_n_issues(sp), (unsigned long long)pl_space_size(sp, &overflow));
    for (size_t p = 0; p < pl_space_n_parties(sp); p++)
        sink_printf(k, " %s", pl_space_party(sp, p));
}

static pl_status read_genius(void *ctx, pl_diags *d, sink *k) {
    const genius_files *g = ctx;
    pl_space *sp = NULL;
    pl_status rc = pl_space_load_genius(g->domain, g->profiles, g->n, NULL, d, &sp);
    if (rc != PL_OK && sp) k->leftover = 1;
    if (rc == PL_OK) space_summary(k, sp);
    pl_space_free(sp);
    return rc;
}

static pl_status read_genius_dir(void *ctx, pl_diags *d, sink *k) {
    pl_space *sp = NULL;
    pl_status rc = pl_space_load_genius_dir(ctx, NULL, d, &sp);
    if (rc != PL_OK && sp) k->leftover = 1;
    if (rc == PL_OK) space_summary(k, sp);
    pl_space_free(sp);
    return rc;
}

static pl_status read_pareto(void *ctx, pl_diags *d, sink *k) {
    double *points = NULL;
    size_t n = 0, dims = 0;
    pl_status rc = pl_genius_read_pareto(ctx, d, &points, &n, &dims);
    if (rc == PL_OK) sink_printf(k, "%zu %zu", n, dims);
    pl_free(points);
    return rc;
}

static void test_readers(void **state) {
    (void)state;
    struct {
        const char *name, *file;
        path_fn fn;
        pl_status want;
    } cases[] = {
        {"scenario JSON", "tiny.json", read_scenario, PL_OK},
        {"scenario JSON, invalid", "bad.json", read_scenario, PL_EINPUT},
        {"scenario JSON, not JSON", "syntax.json", read_scenario, PL_EPARSE},
        {"scenario JSON, one bad value", "bad-value.json", read_scenario, PL_EINPUT},
        {"one-issue CSV", "tiny.csv", read_scenario, PL_OK},
        {"one-issue CSV, invalid", "bad.csv", read_scenario, PL_EINPUT},
        {"DEU TSV", "tiny.tsv", read_deu, PL_OK},
        {"DEU TSV, invalid", "bad.tsv", read_deu, PL_EINPUT},
        {"KTAB CSV", "ktab.csv", read_ktab, PL_OK},
        {"KTAB CSV, invalid", "ktab-bad.csv", read_ktab, PL_EPARSE},
        {"decide data file", "decide.txt", read_decide, PL_OK},
        {"decide data file, invalid", "decide-bad.txt", read_decide, PL_EINPUT},
        {"decide data file as a scenario", "decide.txt", read_scenario, PL_OK},
        {"KTAB XML", "ktab.xml", read_ktab, PL_OK},
        {"KTAB XML, invalid", "ktab-bad.xml", read_ktab, PL_EINPUT},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        torture(cases[i].name, cases[i].fn, path_of(cases[i].file), path_of(cases[i].file),
                cases[i].want);

    genius_files g = {path_of("domain.xml"), {path_of("p1.xml"), path_of("p2.xml"), NULL}, 2};
    torture("GENIUS XML domain+profiles", read_genius, &g, NULL, PL_OK);
    genius_files gb = {path_of("domain.xml"), {path_of("p1.xml"), path_of("p-bad.xml"), NULL}, 2};
    torture("GENIUS XML, invalid profile", read_genius, &gb, path_of("p-bad.xml"), PL_EINPUT);
    genius_files gs = {path_of("domain.xml"), {path_of("p-syntax.xml"), NULL, NULL}, 1};
    torture("GENIUS XML, not XML", read_genius, &gs, path_of("p-syntax.xml"), PL_EPARSE);
    genius_files gd = {path_of("p1.xml"), {path_of("p2.xml"), NULL, NULL}, 1};
    torture("GENIUS XML, profile as domain", read_genius, &gd, path_of("p1.xml"), PL_EINPUT);

    genius_files w = {NULL,
                      {DATA "/geniusweb-laptop/laptop_buyer_utility.json",
                       DATA "/geniusweb-laptop/laptop_seller_utility.json", NULL},
                      2};
    torture("GeniusWeb JSON", read_genius, &w, NULL, PL_OK);
    genius_files wb = {NULL, {path_of("gw-bad.json"), NULL, NULL}, 1};
    torture("GeniusWeb JSON, invalid", read_genius, &wb, path_of("gw-bad.json"), PL_EINPUT);
    genius_files ws = {NULL, {path_of("syntax.json"), NULL, NULL}, 1};
    torture("GeniusWeb JSON, not JSON", read_genius, &ws, path_of("syntax.json"), PL_EPARSE);

    torture("ANAC-2014 non-linear (folder)", read_genius_dir, DATA "/genius-nonlinear", NULL,
            PL_OK);
    genius_files nb = {DATA "/genius-nonlinear/domain.xml",
                       {DATA "/genius-nonlinear/agent1.xml", path_of("nl-bad.xml"), NULL},
                       2};
    torture("ANAC-2014 non-linear, invalid", read_genius, &nb, path_of("nl-bad.xml"), PL_EINPUT);
    torture("GENIUS pareto.xml", read_pareto, DATA "/genius-nonlinear/pareto.xml", NULL, PL_OK);
    torture("GENIUS pareto.xml, invalid", read_pareto, path_of("pareto-bad.xml"),
            path_of("pareto-bad.xml"), PL_EPARSE);
    torture("GENIUS pareto.xml, ragged", read_pareto, path_of("pareto-ragged.xml"),
            path_of("pareto-ragged.xml"), PL_EPARSE);
}

/* ------------------------------------------------------------------------
** Models, analyses and reports on the tiny scenario
*/
static pl_scenario *tiny;

static void report3(sink *k, pl_status *rc,
                    pl_status (*fn)(const void *a, const void *b, pl_format f, char **out),
                    const void *a, const void *b) {
    for (int f = 0; *rc == PL_OK && f < 3; f++) {
        char *text = NULL;
        *rc = fn(a, b, (pl_format)f, &text);
        sink_report(k, *rc, text);
    }
}

static pl_status rep_forecast(const void *a, const void *b, pl_format f, char **out) {
    return pl_report_forecast(a, b, f, out);
}
static pl_status rep_mc(const void *a, const void *b, pl_format f, char **out) {
    return pl_report_mc(a, b, f, out);
}
static pl_status rep_sens(const void *a, const void *b, pl_format f, char **out) {
    return pl_report_sensitivity(a, b, 0, f, out);
}
static pl_status rep_backtest(const void *a, const void *b, pl_format f, char **out) {
    return pl_report_backtest(a, b, f, NULL, out);
}
static pl_status rep_backtest_html(const void *a, const void *b, pl_format f, char **out) {
    (void)f;
    return pl_report_backtest(a, b, PL_FORMAT_HTML, NULL, out);
}
static pl_status rep_deals(const void *a, const void *b, pl_format f, char **out) {
    return pl_report_deals(a, b, f, out);
}

/* A report in the three formats, of inputs computed beforehand. */
typedef struct report_ctx {
    pl_status (*fn)(const void *a, const void *b, pl_format f, char **out);
    const void *a, *b;
} report_ctx;

static pl_status path_report(void *ctx, pl_diags *d, sink *k) {
    (void)d;
    const report_ctx *r = ctx;
    pl_status rc = PL_OK;
    report3(k, &rc, r->fn, r->a, r->b);
    return rc;
}

static pl_status path_forecast(void *ctx, pl_diags *d, sink *k) {
    (void)ctx;
    (void)d;
    pl_forecast *f = NULL;
    pl_status rc = pl_forecast_run(tiny, NULL, &f);
    if (rc != PL_OK && f) k->leftover = 1;
    for (size_t i = 0; rc == PL_OK && i < pl_forecast_n_issues(f); i++) {
        const pl_issue_forecast *g = pl_forecast_issue(f, i);
        for (int m = 0; m < PL_MODEL_COUNT; m++) sink_printf(k, "%.17g ", g->value[m]);
        sink_printf(k, "%d %.17g %.17g %zu %zu\n", g->has_smp, g->smp_mean, g->smp_mode,
                    g->eum_rounds, g->n_blockers);
    }
    pl_forecast_free(f);
    return rc;
}

/* Every model on every issue through the one-issue interface. */
static pl_status path_models(void *ctx, pl_diags *d, sink *k) {
    (void)ctx;
    (void)d;
    double pos[8], cap[8], sal[8];
    size_t act[8];
    pl_status rc = PL_OK;
    for (size_t i = 0; rc == PL_OK && i < pl_scenario_n_issues(tiny); i++) {
        pl_issue_input in;
        pl_scenario_issue_input(tiny, i, pos, cap, sal, act, &in);
        for (int m = 0; rc == PL_OK && m < PL_MODEL_COUNT; m++) {
            double v = 0;
            rc = pl_model_forecast((pl_model)m, &in, NULL, &v);
            if (rc == PL_OK) sink_printf(k, "%s %.17g\n", pl_model_name((pl_model)m), v);
        }
    }
    return rc;
}

typedef struct eum_ctx {
    pl_eum_preset preset;
    int offers; /* -1: pl_eum_run itself */
} eum_ctx;

static pl_status path_eum(void *ctx, pl_diags *d, sink *k) {
    (void)d;
    const eum_ctx *e = ctx;
    pl_eum_options eo;
    pl_eum_options_init(&eo, e->preset);
    eo.max_rounds = 3;
    pl_status rc = PL_OK;
    if (e->offers >= 0) {
        for (int f = 0; rc == PL_OK && f < 3; f++) {
            char *text = NULL;
            rc = pl_report_eum(tiny, &eo, e->offers, (pl_format)f, &text);
            sink_report(k, rc, text);
        }
        return rc;
    }
    double pos[8], cap[8], sal[8];
    size_t act[8];
    pl_issue_input in;
    pl_scenario_issue_input(tiny, 0, pos, cap, sal, act, &in);
    for (size_t i = 0; i < in.n; i++) sal[i] /= 100;
    pl_eum_result *res = NULL;
    rc = pl_eum_run(in.n, pos, cap, sal, &eo, &res);
    if (rc != PL_OK && res) k->leftover = 1;
    if (rc == PL_OK)
        sink_printf(k, "%zu %.17g", pl_eum_result_n_rounds(res),
                    pl_eum_result_median(res, pl_eum_result_n_rounds(res)));
    pl_eum_result_free(res);
    return rc;
}

static void smp_options(pl_smp_options *o, int other) {
    pl_smp_options_init(o);
    o->n_threads = 1;
    o->max_turns = 2;
    static const char *const opts[] = {"transitions", "Stochastic",     "pce",  "MarkovIncentive",
                                       "bargain",     "InitRcvrInterp", "seed", "7",
                                       NULL};
    for (size_t i = 0; other && opts[i]; i += 2)
        assert_int_equal(pl_smp_options_set(o, opts[i], opts[i + 1]), PL_OK);
}

typedef struct smp_ctx {
    const pl_smp_data *data; /* NULL: from the tiny scenario */
    int other;               /* other model choices */
    const pl_smp_result *res;
    pl_format format; /* of the reports */
} smp_ctx;

static pl_status path_smp_run(void *ctx, pl_diags *d, sink *k) {
    const smp_ctx *c = ctx;
    pl_smp_options o;
    smp_options(&o, c->other);
    pl_smp_data *own = NULL;
    pl_smp_result *res = NULL;
    pl_status rc = PL_OK;
    char *text = NULL;
    if (!c->data) rc = pl_smp_data_from_scenario(tiny, PL_SMP_SAL_CAP, d, &own);
    if (rc != PL_OK && own) k->leftover = 1;
    if (rc == PL_OK) rc = pl_smp_options_describe(&o, &text);
    sink_report(k, rc, text);
    if (rc == PL_OK) rc = pl_smp_run(c->data ? c->data : own, &o, d, &res);
    if (rc != PL_OK && res) k->leftover = 1;
    if (rc == PL_OK) {
        size_t t = pl_smp_result_n_turns(res);
        sink_printf(k, "%zu %zu %.17g", t, pl_smp_result_n_outcomes(res, t),
                    pl_smp_result_mean(res, t)[0]);
    }
    pl_smp_result_free(res);
    pl_smp_data_free(own);
    return rc;
}

static pl_status path_smp_report(void *ctx, pl_diags *d, sink *k) {
    (void)d;
    const smp_ctx *c = ctx;
    static const unsigned flags[] = {0, PL_SMP_REPORT_HISTORY | PL_SMP_REPORT_PROBS,
                                     PL_SMP_REPORT_CHALLENGES};
    pl_status rc = PL_OK;
    for (size_t g = 0; rc == PL_OK && g < 3; g++) {
        char *text = NULL;
        rc = pl_smp_report(c->data, c->res, c->format, flags[g], &text);
        sink_report(k, rc, text);
    }
    char *csv = NULL;
    if (rc == PL_OK && c->format == PL_FORMAT_CSV) rc = pl_smp_data_to_ktab_csv(c->data, &csv);
    sink_report(k, rc, csv);
    return rc;
}

/* The SMP on the scenario and on a what-if version, and the comparison's
** report in the three formats. */
static pl_status path_smp_compare(void *ctx, pl_diags *d, sink *k) {
    (void)ctx;
    pl_smp_options o;
    smp_options(&o, 0);
    pl_scenario *copy = NULL;
    pl_smp_compare *c = NULL;
    pl_status rc = pl_scenario_clone(tiny, &copy);
    if (rc == PL_OK) rc = pl_whatif_set(copy, "a.x.position=30", "--set", d);
    if (rc == PL_OK) rc = pl_smp_compare_run(tiny, copy, PL_SMP_SAL_CAP, &o, d, &c);
    if (rc != PL_OK && c) k->leftover = 1;
    for (int f = 0; rc == PL_OK && f < 3; f++) {
        char *text = NULL;
        rc = pl_smp_report_comparison(tiny, copy, c, (pl_format)f, &text);
        sink_report(k, rc, text);
    }
    pl_smp_compare_free(c);
    pl_scenario_free(copy);
    return rc;
}

static pl_status path_smp_forecast(void *ctx, pl_diags *d, sink *k) {
    (void)ctx;
    double mean[4], mode[4];
    size_t turns = 0;
    pl_smp_options o;
    smp_options(&o, 0);
    pl_status rc = pl_smp_forecast_scenario(tiny, PL_SMP_SAL_UNIT, &o, d, mean, mode, &turns);
    if (rc == PL_OK) sink_printf(k, "%.17g %.17g %zu", mean[0], mode[1], turns);
    return rc;
}

typedef struct deals_ctx {
    const pl_space *sp;
    int exhaustive;
} deals_ctx;

static pl_status path_deals(void *ctx, pl_diags *d, sink *k) {
    const deals_ctx *c = ctx;
    pl_deals_options o;
    memset(&o, 0, sizeof o);
    o.n_threads = 1;
    o.exhaustive = c->exhaustive;
    o.time = c->exhaustive ? 0.5 : 0;
    pl_deals *deals = NULL;
    pl_status rc = pl_deals_run(c->sp, &o, d, &deals);
    if (rc != PL_OK && deals) k->leftover = 1;
    if (rc == PL_OK) {
        int has = 0;
        double opp = pl_deals_opposition(deals, &has);
        sink_printf(k, "%llu %zu %zu %.17g", (unsigned long long)pl_deals_n_rational(deals),
                    pl_deals_n_frontier(deals), pl_deals_n_solution(deals, PL_SOL_NASH), opp);
    }
    pl_deals_free(deals);
    return rc;
}

static pl_status path_space_scenario(void *ctx, pl_diags *d, sink *k) {
    (void)ctx;
    (void)d;
    pl_space *sp = NULL;
    pl_status rc = pl_space_from_scenario(tiny, NULL, &sp);
    if (rc != PL_OK && sp) k->leftover = 1;
    if (rc == PL_OK) space_summary(k, sp);
    pl_space_free(sp);
    return rc;
}

static pl_status path_pareto_match(void *ctx, pl_diags *d, sink *k) {
    double *points = NULL;
    size_t n = 0, dims = 0, matched = 0;
    pl_status rc = pl_genius_read_pareto(DATA "/genius-nonlinear/pareto.xml", d, &points, &n,
                                         &dims);
    if (rc == PL_OK) rc = pl_deals_match_frontier(ctx, points, n, 1e-6, &matched);
    if (rc == PL_OK) sink_printf(k, "%zu of %zu", matched, n);
    pl_free(points);
    return rc;
}

static pl_status path_mc(void *ctx, pl_diags *d, sink *k) {
    (void)ctx;
    (void)d;
    pl_mc_options mo;
    pl_mc_options_init(&mo);
    mo.runs = 3;
    mo.n_threads = 1;
    mo.forecast.eum.max_rounds = 3;
    pl_mc *mc = NULL;
    pl_status rc = pl_mc_run(tiny, &mo, &mc);
    if (rc != PL_OK && mc) k->leftover = 1;
    pl_mc_stats st;
    size_t hist[10];
    double shares[3];
    if (rc == PL_OK) rc = pl_mc_summary(mc, tiny, 0, PL_MODEL_EUM, &st, hist, shares);
    if (rc == PL_OK)
        sink_printf(k, "%zu %.17g %.17g %zu %.17g", pl_mc_n_runs(mc), st.mean, st.p95, hist[2],
                    shares[1]);
    pl_mc_free(mc);
    return rc;
}

/* A sweep of 3 runs in two ranges: each written as a partial result, read
** back and the two joined (every value kept: summaries hold 10,000 counts
** per issue and model, too many allocations to fail one by one). */
static pl_status path_parts(void *ctx, pl_diags *d, sink *k) {
    (void)ctx;
    static const char *const names[] = {"--runs"}, *const values[] = {"3"};
    pl_part_info info = {"forecast", 0, NULL, 1, names, values, "d", 0, 2, 3};
    pl_mc_options mo;
    pl_mc_options_init(&mo);
    mo.runs = 2;
    mo.sweep_runs = 3;
    mo.n_threads = 1;
    memset(mo.models, 0, sizeof mo.models);
    mo.models[PL_MODEL_COMPROMISE] = mo.models[PL_MODEL_EUM] = 1;
    mo.forecast.eum.max_rounds = 3;
    pl_part *parts[2] = {NULL, NULL};
    pl_status rc = PL_OK;
    for (int i = 0; rc == PL_OK && i < 2; i++) {
        pl_mc *mc = NULL;
        char *text = NULL;
        rc = pl_mc_run(tiny, &mo, &mc);
        if (rc == PL_OK) rc = pl_part_write_mc(&info, mc, &text);
        if (rc == PL_OK) rc = pl_part_load_buffer(text, strlen(text), "part", d, &parts[i]);
        pl_free(text);
        pl_mc_free(mc);
        mo.first_run = info.first = 2;
        mo.runs = info.count = 1;
    }
    pl_mc *all = NULL;
    if (rc == PL_OK) rc = pl_part_join_mc((const pl_part *const *)parts, 2, d, &all);
    if (rc != PL_OK && all) k->leftover = 1;
    pl_mc_stats st;
    if (rc == PL_OK) rc = pl_mc_summary(all, tiny, 0, PL_MODEL_EUM, &st, NULL, NULL);
    if (rc == PL_OK) sink_printf(k, "%zu %.17g %.17g", pl_mc_n_runs(all), st.mean, st.p95);
    pl_mc_free(all);
    pl_part_free(parts[0]);
    pl_part_free(parts[1]);
    return rc;
}

/* A sensitivity analysis in two ranges of its inputs: each written as a
** partial result, read back, the two joined. */
static pl_status path_sensitivity_parts(void *ctx, pl_diags *d, sink *k) {
    pl_model model = *(const pl_model *)ctx;
    static const char *const names[] = {"--model"}, *const values[] = {"m"};
    uint64_t total = 0;
    pl_status rc = pl_sensitivity_size(tiny, model, &total);
    pl_part_info info = {"sensitivity", 0, NULL, 1, names, values, "d", 0, 2, total};
    pl_sensitivity_options so;
    pl_sensitivity_options_init(&so);
    pl_part *parts[2] = {NULL, NULL};
    for (int i = 0; rc == PL_OK && i < 2; i++) {
        pl_sensitivity *sens = NULL;
        char *text = NULL;
        so.first = info.first = i ? 2 : 0;
        so.count = info.count = i ? total - 2 : 2;
        rc = pl_sensitivity_run(tiny, model, &so, &sens);
        if (rc == PL_OK) rc = pl_part_write_sensitivity(&info, sens, &text);
        if (rc == PL_OK) rc = pl_part_load_buffer(text, strlen(text), "part", d, &parts[i]);
        pl_free(text);
        pl_sensitivity_free(sens);
    }
    pl_sensitivity *all = NULL;
    if (rc == PL_OK)
        rc = pl_part_join_sensitivity((const pl_part *const *)parts, 2, tiny, model, d, &all);
    if (rc != PL_OK && all) k->leftover = 1;
    for (size_t i = 0; rc == PL_OK && i < pl_scenario_n_issues(tiny); i++) {
        size_t n = 0;
        const pl_swing *sw = pl_sensitivity_swings(all, i, &n);
        for (size_t j = 0; j < n; j++)
            sink_printf(k, "%zu %d %.17g\n", sw[j].actor, sw[j].what, sw[j].swing);
    }
    pl_sensitivity_free(all);
    pl_part_free(parts[0]);
    pl_part_free(parts[1]);
    return rc;
}

static pl_status path_sensitivity(void *ctx, pl_diags *d, sink *k) {
    (void)d;
    pl_sensitivity *sens = NULL;
    pl_status rc = pl_sensitivity_run(tiny, *(const pl_model *)ctx, NULL, &sens);
    if (rc != PL_OK && sens) k->leftover = 1;
    for (size_t i = 0; rc == PL_OK && i < pl_scenario_n_issues(tiny); i++) {
        size_t n = 0;
        const pl_swing *sw = pl_sensitivity_swings(sens, i, &n);
        for (size_t j = 0; j < n; j++)
            sink_printf(k, "%zu %d %.17g\n", sw[j].actor, sw[j].what, sw[j].swing);
    }
    pl_sensitivity_free(sens);
    return rc;
}

/* What-if edits: good ones, then the comparison; bad ones' diagnostics. */
static pl_status path_whatif(void *ctx, pl_diags *d, sink *k) {
    (void)ctx;
    pl_scenario *copy = NULL;
    pl_forecast *fb = NULL, *fc = NULL;
    pl_status rc = pl_scenario_clone(tiny, &copy);
    if (rc == PL_OK) rc = pl_whatif_set(copy, "a.x.position=30", "--set", d);
    if (rc == PL_OK) rc = pl_whatif_set(copy, "b.capability=4", "--set", d);
    if (rc == PL_OK) rc = pl_whatif_set(copy, "c.y=none", "--set", d);
    if (rc == PL_OK) rc = pl_whatif_set(copy, "d.x.salience=25", "--set", d);
    if (rc == PL_OK) rc = pl_whatif_add(copy, "e:Epsilon:2", "--add", d);
    if (rc == PL_OK) rc = pl_whatif_set(copy, "e.x.position=70", "--set", d);
    if (rc == PL_OK) rc = pl_whatif_drop(copy, "d", "--drop", d);
    if (rc == PL_OK) rc = pl_forecast_run(tiny, NULL, &fb);
    if (rc == PL_OK) rc = pl_forecast_run(copy, NULL, &fc);
    for (int f = 0; rc == PL_OK && f < 3; f++) {
        char *text = NULL;
        rc = pl_report_compare(tiny, fb, copy, fc, (pl_format)f, &text);
        sink_report(k, rc, text);
    }
    pl_forecast_free(fb);
    pl_forecast_free(fc);
    /* bad specs: each must fail with its diagnostic, or PL_ENOMEM */
    static const char *const bad[] = {"q.x.position=1",    "a.q.position=1", "a.x.position=abc",
                                      "a.x.position=1000", "a.x.colour=1",   "a"};
    for (size_t i = 0; rc == PL_OK && i < sizeof bad / sizeof bad[0]; i++) {
        pl_status r = pl_whatif_set(copy, bad[i], "--set", d);
        if (r == PL_ENOMEM || r == PL_OK) rc = r == PL_OK ? PL_EINVAL : r;
    }
    if (rc == PL_OK) {
        pl_status r = pl_whatif_add(copy, "a:Dup:1", "--add", d);
        if (r == PL_ENOMEM) rc = r;
    }
    if (rc == PL_OK) {
        pl_status r = pl_whatif_drop(copy, "zz", "--drop", d);
        if (r == PL_ENOMEM) rc = r;
    }
    pl_scenario_free(copy);
    return rc;
}

static pl_status path_backtest(void *ctx, pl_diags *d, sink *k) {
    (void)d;
    const pl_scenario *on = ctx;
    pl_backtest *b = NULL;
    pl_backtest_options bo;
    pl_backtest_options_init(&bo);
    bo.folds = 2;
    pl_status rc = pl_backtest_run(on, &bo, &b);
    if (rc != PL_OK && b) k->leftover = 1;
    pl_backtest_stats st;
    if (rc == PL_OK) rc = pl_backtest_stats_get(b, on, 0, NULL, -1, &st);
    if (rc == PL_OK) sink_printf(k, "%zu %.17g %.17g", st.n, st.mae, st.coverage);
    pl_backtest_free(b);
    return rc;
}

/* backtest --fit, the parameters file written and read back, backtest
** --params, and a bad parameters file. */
static pl_status path_params(void *ctx, pl_diags *d, sink *k) {
    const pl_scenario *on = ctx;
    pl_backtest *b = NULL, *given = NULL;
    pl_params *p = NULL, *back = NULL, *bad = NULL;
    char *text = NULL, *report = NULL;
    pl_backtest_options bo;
    pl_backtest_options_init(&bo);
    bo.folds = 2;
    pl_status rc = pl_backtest_run(on, &bo, &b);
    if (rc == PL_OK) rc = pl_backtest_params(b, &p);
    if (rc == PL_OK) rc = pl_params_write_json(p, &text);
    if (rc == PL_OK) rc = pl_params_load_buffer(text, strlen(text), "params.json", d, &back);
    if (rc == PL_OK) {
        bo.params = back;
        rc = pl_backtest_run(on, &bo, &given);
    }
    if (rc == PL_OK) rc = pl_report_backtest(on, given, PL_FORMAT_JSON, NULL, &report);
    sink_report(k, rc, report);
    if (rc == PL_OK) {
        static const char bad_text[] = "{\"parley\": \"params\", \"version\": 1,\n"
                                       " \"sticky\": {\"tau_unanimity\": 2}}\n";
        pl_status r = pl_params_load_buffer(bad_text, sizeof bad_text - 1, "bad-params.json", NULL,
                                            &bad);
        if (r == PL_ENOMEM) rc = r;
        else if (r != PL_EINPUT) rc = PL_EINVAL;
    }
    pl_params_free(bad);
    pl_params_free(back);
    pl_params_free(p);
    pl_free(text);
    pl_backtest_free(given);
    pl_backtest_free(b);
    return rc;
}

/* The reports of a scenario and of a validation, and the built-ins'. */
static pl_status path_reports(void *ctx, pl_diags *d, sink *k) {
    pl_status rc = PL_OK;
    pl_scenario *s = NULL;
    pl_diags *bad = NULL;
    for (int f = 0; rc == PL_OK && f < 3; f++) {
        char *text = NULL;
        rc = pl_report_scenario(tiny, (pl_format)f, &text);
        sink_report(k, rc, text);
        if (rc == PL_OK) rc = pl_report_builtins((pl_format)f, &text);
        sink_report(k, rc, text);
        if (rc == PL_OK) rc = pl_report_validation("tiny.json", tiny, NULL, (pl_format)f, &text);
        sink_report(k, rc, text);
    }
    /* a validation with diagnostics */
    if (rc == PL_OK) rc = pl_diags_new(&bad);
    if (rc == PL_OK) {
        pl_status r = pl_scenario_load_file(ctx, bad, &s);
        if (r == PL_ENOMEM) rc = r;
    }
    for (int f = 0; rc == PL_OK && f < 3; f++) {
        char *text = NULL;
        rc = pl_report_validation(ctx, s, bad, (pl_format)f, &text);
        sink_report(k, rc, text);
    }
    pl_scenario_free(s);
    pl_diags_free(bad);
    (void)d;
    return rc;
}

/* The HTML report and the SVG charts of figures computed beforehand. */
static pl_status path_html(void *ctx, pl_diags *d, sink *k) {
    (void)d;
    const pl_report_figures *f = ctx;
    char *text = NULL;
    pl_status rc = pl_report_html(f, &text);
    sink_report(k, rc, text);
    if (rc == PL_OK) rc = pl_report_svg(f, 31, &text);
    if (rc == PL_OK) sink_report(k, rc, text);
    return rc;
}

static pl_status path_sample(void *ctx, pl_diags *d, sink *k) {
    (void)d;
    pl_deals_sample *ds = NULL;
    pl_status rc = pl_deals_sample_run(ctx, 5, 7, &ds);
    if (rc != PL_OK && ds) k->leftover = 1;
    for (size_t i = 0; i < pl_deals_sample_n(ds); i++)
        sink_printf(k, "%.17g ", pl_deals_sample_utility(ds, i)[0]);
    pl_deals_sample_free(ds);
    return rc;
}

static pl_status path_ktab_scenario(void *ctx, pl_diags *d, sink *k) {
    (void)d;
    pl_scenario *s = NULL;
    pl_status rc = pl_smp_data_to_scenario(ctx, &s);
    if (rc != PL_OK && s) k->leftover = 1;
    if (rc == PL_OK)
        sink_printf(k, "%s %zu %zu", pl_scenario_id(s), pl_scenario_n_actors(s),
                    pl_scenario_n_positions(s));
    pl_scenario_free(s);
    return rc;
}

static void test_html(void **state) {
    (void)state;
    pl_scenario *s = NULL;
    assert_int_equal(pl_scenario_load_file(path_of("tiny.json"), NULL, &s), PL_OK);
    pl_report_figures f;
    pl_report_figures_init(&f);
    pl_forecast *fc = NULL;
    pl_mc *mc = NULL;
    pl_eum_trace *eum = NULL;
    pl_smp_data *data = NULL;
    pl_smp_result *smp = NULL;
    pl_sensitivity *sens = NULL;
    pl_space *sp = NULL;
    pl_deals *deals = NULL;
    pl_deals_sample *sample = NULL;
    pl_mc_options mo;
    pl_mc_options_init(&mo);
    mo.runs = 5;
    mo.n_threads = 1;
    pl_deals_options dopt;
    memset(&dopt, 0, sizeof dopt);
    dopt.n_threads = 1;
    pl_smp_options so;
    smp_options(&so, 0);
    assert_int_equal(pl_forecast_run(s, NULL, &fc), PL_OK);
    assert_int_equal(pl_mc_run(s, &mo, &mc), PL_OK);
    assert_int_equal(pl_eum_trace_run(s, NULL, &eum), PL_OK);
    assert_int_equal(pl_smp_data_from_scenario(s, PL_SMP_SAL_CAP, NULL, &data), PL_OK);
    assert_int_equal(pl_smp_run(data, &so, NULL, &smp), PL_OK);
    assert_int_equal(pl_sensitivity_run(s, PL_MODEL_COMPROMISE, NULL, &sens), PL_OK);
    assert_int_equal(pl_space_from_scenario(s, NULL, &sp), PL_OK);
    assert_int_equal(pl_deals_run(sp, &dopt, NULL, &deals), PL_OK);
    torture("deals: a sample of packages", path_sample, sp, NULL, PL_OK);
    assert_int_equal(pl_deals_sample_run(sp, 20, 1, &sample), PL_OK);
    f.scenario = s;
    f.forecast = fc;
    f.mc = mc;
    f.eum = eum;
    f.smp_data = data;
    f.smp = smp;
    f.sensitivity = sens;
    f.space = sp;
    f.deals = deals;
    f.sample = sample;
    torture("HTML report and SVG charts", path_html, &f, NULL, PL_OK);
    pl_report_figures g;
    pl_report_figures_init(&g);
    g.space = sp;
    g.deals = deals;
    g.sample = sample;
    torture("HTML report of an agreement space", path_html, &g, NULL, PL_OK);
    pl_smp_data *kdata = NULL;
    assert_int_equal(pl_smp_read_ktab_file(path_of("ktab.csv"), NULL, &kdata), PL_OK);
    torture("KTAB data as a scenario", path_ktab_scenario, kdata, NULL, PL_OK);
    pl_smp_data_free(kdata);
    pl_forecast_free(fc);
    pl_mc_free(mc);
    pl_eum_trace_free(eum);
    pl_smp_result_free(smp);
    pl_smp_data_free(data);
    pl_sensitivity_free(sens);
    pl_deals_sample_free(sample);
    pl_deals_free(deals);
    pl_space_free(sp);
    pl_scenario_free(s);
}

static void test_models(void **state) {
    (void)state;
    assert_int_equal(pl_scenario_load_file(path_of("tiny.json"), NULL, &tiny), PL_OK);
    torture("forecast (every model)", path_forecast, NULL, NULL, PL_OK);
    pl_forecast *f = NULL;
    assert_int_equal(pl_forecast_run(tiny, NULL, &f), PL_OK);
    report_ctx rf = {rep_forecast, tiny, f};
    torture("forecast report, 3 formats", path_report, &rf, NULL, PL_OK);
    pl_forecast_free(f);
    torture("one-issue models", path_models, NULL, NULL, PL_OK);
    torture("exchange model, run and reports", path_exchange, NULL, NULL, PL_OK);
    torture("exchange model, repetitions (p > 0)", path_exchange, "p", NULL, PL_OK);
    for (int p = 0; p < 2; p++)
        for (int offers = -1; offers < 2; offers++) {
            eum_ctx e = {p ? PL_EUM_PRESET_BDM : PL_EUM_PRESET_SCHOLZ, offers};
            char name[64];
            snprintf(name, sizeof name, "EUM %s, %s", p ? "bdm" : "scholz",
                     offers < 0 ? "run"
                     : offers   ? "report with offers"
                                : "report");
            torture(name, path_eum, &e, NULL, PL_OK);
        }

    /* SMP: on the scenario, and on KTAB data with other model choices */
    pl_smp_data *data = NULL, *kdata = NULL;
    pl_smp_result *res = NULL, *kres = NULL;
    pl_smp_options o;
    smp_ctx sc = {NULL, 0, NULL, PL_FORMAT_TEXT};
    torture("SMP run on a scenario", path_smp_run, &sc, NULL, PL_OK);
    assert_int_equal(pl_smp_read_ktab_file(path_of("ktab.csv"), NULL, &kdata), PL_OK);
    smp_ctx kc = {kdata, 1, NULL, PL_FORMAT_TEXT};
    torture("SMP run on KTAB data, stochastic", path_smp_run, &kc, NULL, PL_OK);
    assert_int_equal(pl_smp_data_from_scenario(tiny, PL_SMP_SAL_CAP, NULL, &data), PL_OK);
    smp_options(&o, 0);
    assert_int_equal(pl_smp_run(data, &o, NULL, &res), PL_OK);
    smp_options(&o, 1);
    assert_int_equal(pl_smp_run(kdata, &o, NULL, &kres), PL_OK);
    static const char *const format_names[3] = {"text", "JSON", "CSV"};
    for (int fmt = 0; fmt < 3; fmt++) {
        char name[64];
        smp_ctx r1 = {data, 0, res, (pl_format)fmt}, r2 = {kdata, 1, kres, (pl_format)fmt};
        snprintf(name, sizeof name, "SMP reports, %s", format_names[fmt]);
        torture(name, path_smp_report, &r1, NULL, PL_OK);
        snprintf(name, sizeof name, "SMP reports, stochastic, %s", format_names[fmt]);
        torture(name, path_smp_report, &r2, NULL, PL_OK);
    }
    torture("SMP forecast of a scenario", path_smp_forecast, NULL, NULL, PL_OK);
    torture("SMP what-if comparison, 3 formats", path_smp_compare, NULL, NULL, PL_OK);
    pl_smp_result_free(res);
    pl_smp_result_free(kres);
    pl_smp_data_free(data);
    pl_smp_data_free(kdata);

    /* deals: on the scenario, on a GENIUS domain, on a non-linear one */
    torture("deals: space of a scenario", path_space_scenario, NULL, NULL, PL_OK);
    pl_space *spaces[3] = {NULL, NULL, NULL};
    pl_space_options so;
    memset(&so, 0, sizeof so);
    so.grid_points = 3; /* a frontier of a few packages: the report's loops, not its length */
    assert_int_equal(pl_space_from_scenario(tiny, &so, &spaces[0]), PL_OK);
    const char *profiles[2] = {path_of("p1.xml"), path_of("p2.xml")};
    so.real_points = 4;
    assert_int_equal(
        pl_space_load_genius(path_of("domain.xml"), profiles, 2, &so, NULL, &spaces[1]), PL_OK);
    assert_int_equal(pl_space_load_genius_dir(DATA "/genius-nonlinear", NULL, NULL, &spaces[2]),
                     PL_OK);
    static const char *const space_names[3] = {"scenario", "GENIUS domain", "non-linear"};
    for (int i = 0; i < 3; i++) {
        pl_deals_options dopt;
        memset(&dopt, 0, sizeof dopt);
        dopt.n_threads = 1;
        pl_deals *deals = NULL;
        char name[80];
        for (int ex = 0; ex < 2; ex++) {
            deals_ctx dc = {spaces[i], ex};
            snprintf(name, sizeof name, "deals on a %s%s", space_names[i],
                     ex ? ", exhaustive, discounted" : "");
            torture(name, path_deals, &dc, NULL, PL_OK);
        }
        assert_int_equal(pl_deals_run(spaces[i], &dopt, NULL, &deals), PL_OK);
        report_ctx rd = {rep_deals, spaces[i], deals};
        snprintf(name, sizeof name, "deals report on a %s, 3 formats", space_names[i]);
        torture(name, path_report, &rd, NULL, PL_OK);
        if (i == 2) torture("deals: pareto.xml matched", path_pareto_match, deals, NULL, PL_OK);
        pl_deals_free(deals);
        pl_space_free(spaces[i]);
    }

    /* uncertainty */
    torture("Monte Carlo", path_mc, NULL, NULL, PL_OK);
    torture("Monte Carlo parts: written, read, joined", path_parts, NULL, NULL, PL_OK);
    pl_mc_options mo;
    pl_mc_options_init(&mo);
    mo.runs = 3;
    mo.n_threads = 1;
    pl_mc *mc = NULL;
    assert_int_equal(pl_mc_run(tiny, &mo, &mc), PL_OK);
    report_ctx rm = {rep_mc, tiny, mc};
    torture("Monte Carlo report, 3 formats", path_report, &rm, NULL, PL_OK);
    pl_mc_free(mc);
    for (int m = 0; m < PL_MODEL_COUNT; m++) {
        pl_model model = (pl_model)m;
        char name[64];
        snprintf(name, sizeof name, "sensitivity, %s", pl_model_name(model));
        torture(name, path_sensitivity, &model, NULL, PL_OK);
    }
    pl_model compromise = PL_MODEL_COMPROMISE, exchange = PL_MC_EXCHANGE;
    torture("sensitivity parts: written, read, joined", path_sensitivity_parts, &compromise, NULL,
            PL_OK);
    torture("sensitivity parts, exchange model", path_sensitivity_parts, &exchange, NULL, PL_OK);
    pl_sensitivity *sens = NULL;
    assert_int_equal(pl_sensitivity_run(tiny, compromise, NULL, &sens), PL_OK);
    report_ctx rs = {rep_sens, tiny, sens};
    torture("sensitivity report, 3 formats", path_report, &rs, NULL, PL_OK);
    pl_sensitivity_free(sens);
    torture("what-if edits + comparison", path_whatif, NULL, NULL, PL_OK);

    /* backtests */
    pl_scenario *deu = NULL;
    assert_int_equal(pl_scenario_load_deu_file(path_of("tiny.tsv"), NULL, NULL, &deu, NULL), PL_OK);
    const pl_scenario *on[2] = {tiny, deu};
    for (int i = 0; i < 2; i++) {
        char name[64];
        snprintf(name, sizeof name, "backtest on a %s", i ? "DEU table" : "scenario");
        torture(name, path_backtest, (void *)(uintptr_t)on[i], NULL, PL_OK);
        snprintf(name, sizeof name, "backtest --fit, --params on a %s",
                 i ? "DEU table" : "scenario");
        torture(name, path_params, (void *)(uintptr_t)on[i], NULL, PL_OK);
        pl_backtest_options bo;
        pl_backtest_options_init(&bo);
        bo.folds = 2;
        pl_backtest *b = NULL;
        assert_int_equal(pl_backtest_run(on[i], &bo, &b), PL_OK);
        report_ctx rb = {rep_backtest, on[i], b};
        snprintf(name, sizeof name, "backtest report on a %s", i ? "DEU table" : "scenario");
        torture(name, path_report, &rb, NULL, PL_OK);
        report_ctx rh = {rep_backtest_html, on[i], b};
        snprintf(name, sizeof name, "backtest HTML on a %s", i ? "DEU table" : "scenario");
        torture(name, path_report, &rh, NULL, PL_OK);
        pl_backtest_free(b);
    }
    pl_scenario_free(deu);
    torture("scenario, validation, builtin reports", path_reports, path_of("bad.json"), NULL,
            PL_OK);
    pl_scenario_free(tiny);
    tiny = NULL;
}

/* ------------------------------------------------------------------------
** Worker threads: which thread meets the failing allocation varies from run
** to run, so every point up to the reference run's count is tried, in both
** modes, and each run must give PL_ENOMEM or the reference result.
*/
static void torture_threads(const char *name, path_fn fn, void *ctx) {
    pl_diags *d = NULL;
    sink k = {NULL, 0, 0};
    outcome ref;
    assert_int_equal(pl_diags_new(&d), PL_OK);
    pl__alloc_fail_reset();
    pl_status rc = fn(ctx, d, &k);
    long needed = pl__alloc_count();
    outcome_take(&ref, rc, d, &k);
    assert_int_equal(rc, PL_OK);
    long failed = 0;
    for (long n = 0; n <= needed; n++)
        for (int mode = 0; mode < 2; mode++) {
            pl_diags_free(d);
            assert_int_equal(pl_diags_new(&d), PL_OK);
            if (mode == 0) pl__alloc_fail_after(n);
            else pl__alloc_fail_only(n);
            rc = fn(ctx, d, &k);
            pl__alloc_fail_reset();
            outcome got;
            outcome_take(&got, rc, d, &k);
            if (k.leftover) fail_msg("%s: a failed call handed back an object", name);
            if (rc == PL_ENOMEM) failed++;
            else if (!same(&got, &ref))
                fail_msg("%s: allocation%s %ld failed: status %d (%s), expected out of memory "
                         "or the reference result",
                         name, mode ? "" : "s from", n + 1, rc, pl_strerror(rc));
            outcome_free(&got);
        }
#ifdef PL_TEST_LSAN
    if (__lsan_do_recoverable_leak_check())
        fail_msg("%s: memory leaked (see the report above)", name);
#endif
    if (failed == 0) fail_msg("%s: no failure reached", name);
    char line[200];
    snprintf(line, sizeof line, "  %-36s %6ld allocation sites (threads)\n", name, needed);
    strncat(summary, line, sizeof summary - strlen(summary) - 1);
    outcome_free(&ref);
    pl_diags_free(d);
}

static pl_status path_mc_threads(void *ctx, pl_diags *d, sink *k) {
    (void)ctx;
    (void)d;
    pl_mc_options mo;
    pl_mc_options_init(&mo);
    mo.runs = 1100; /* three chunks: the calling thread and a helper */
    mo.n_threads = 2;
    mo.forecast.eum.max_rounds = 2;
    pl_mc *mc = NULL;
    pl_status rc = pl_mc_run(tiny, &mo, &mc);
    if (rc != PL_OK && mc) k->leftover = 1;
    pl_mc_stats st;
    if (rc == PL_OK) rc = pl_mc_summary(mc, tiny, 1, PL_MODEL_EUM, &st, NULL, NULL);
    if (rc == PL_OK) sink_printf(k, "%zu %.17g %.17g", pl_mc_n_runs(mc), st.mean, st.sd);
    pl_mc_free(mc);
    return rc;
}

static pl_status path_smp_threads(void *ctx, pl_diags *d, sink *k) {
    pl_smp_options o;
    smp_options(&o, 0);
    o.n_threads = 2;
    pl_smp_result *res = NULL;
    pl_status rc = pl_smp_run(ctx, &o, d, &res);
    if (rc != PL_OK && res) k->leftover = 1;
    if (rc == PL_OK) {
        size_t t = pl_smp_result_n_turns(res);
        sink_printf(k, "%zu %.17g %.17g", t, pl_smp_result_mean(res, t)[0],
                    pl_smp_result_mean(res, t)[1]);
    }
    pl_smp_result_free(res);
    return rc;
}

static pl_status path_eum_threads(void *ctx, pl_diags *d, sink *k) {
    (void)ctx;
    (void)d;
    pl_eum_options eo;
    pl_eum_options_init(&eo, PL_EUM_PRESET_BDM);
    eo.max_rounds = 4;
    eo.n_threads = 2;
    double pos[8], cap[8], sal[8];
    size_t act[8];
    pl_issue_input in;
    pl_scenario_issue_input(tiny, 0, pos, cap, sal, act, &in);
    for (size_t i = 0; i < in.n; i++) sal[i] /= 100;
    pl_eum_result *res = NULL;
    pl_status rc = pl_eum_run(in.n, pos, cap, sal, &eo, &res);
    if (rc != PL_OK && res) k->leftover = 1;
    if (rc == PL_OK)
        sink_printf(k, "%zu %.17g", pl_eum_result_n_rounds(res),
                    pl_eum_result_mean(res, pl_eum_result_n_rounds(res)));
    pl_eum_result_free(res);
    return rc;
}

/* ------------------------------------------------------------------------
** Negotiations: the single negotiating text, a tournament (issue 14)
*/
static pl_status path_single_text(void *ctx, pl_diags *d, sink *k) {
    const pl_space *sp = ctx;
    const char *agents[2] = {"micro", "conceder"};
    pl_negotiate_options o;
    memset(&o, 0, sizeof o);
    o.protocol = PL_PROTOCOL_SINGLE_TEXT;
    o.trace = 1;
    o.n_steps = 20;
    pl_negotiation *neg = NULL;
    pl_status rc = pl_negotiate(sp, agents, 2, &o, d, &neg);
    if (rc != PL_OK) {
        if (neg) k->leftover = 1;
        return rc;
    }
    for (int f = PL_FORMAT_TEXT; rc == PL_OK && f <= PL_FORMAT_SVG; f++) {
        char *text = NULL;
        rc = pl_report_negotiation(sp, neg, NULL, (pl_format)f, &text);
        sink_report(k, rc, text);
    }
    pl_negotiation_free(neg);
    return rc;
}

static pl_status path_tournament(void *ctx, pl_diags *d, sink *k) {
    const pl_space *const *doms = ctx;
    const char *agents[2] = {"random", "micro"};
    pl_status rc = PL_OK;
    for (int protocol = 0; rc == PL_OK && protocol < 2; protocol++) {
        pl_tournament_options o;
        memset(&o, 0, sizeof o);
        o.n_threads = protocol ? 2 : 1;
        o.negotiate.n_steps = 10;
        o.negotiate.protocol = (pl_protocol)protocol;
        pl_tournament *t = NULL;
        rc = pl_tournament_run(doms, 2, agents, 2, &o, d, &t);
        if (rc != PL_OK) {
            if (t) k->leftover = 1;
            return rc;
        }
        for (int f = PL_FORMAT_TEXT; rc == PL_OK && f <= PL_FORMAT_CSV; f++) {
            char *text = NULL;
            rc = pl_report_tournament(t, (pl_format)f, &text);
            sink_report(k, rc, text);
        }
        pl_tournament_free(t);
    }
    return rc;
}

/* A tournament on two domains in two ranges across the domains' boundary:
** each written as a partial result, read back, the two joined. */
static pl_status path_tournament_parts(void *ctx, pl_diags *d, sink *k) {
    const pl_space *const *doms = ctx;
    const char *agents[2] = {"random", "micro"};
    static const char *const names[] = {"--agents"}, *const values[] = {"random,micro"};
    pl_tournament_options o;
    memset(&o, 0, sizeof o);
    o.n_threads = 1;
    o.negotiate.n_steps = 10;
    uint64_t total = 0;
    pl_status rc = pl_tournament_size(doms, 2, agents, 2, &o, d, &total);
    pl_part_info info = {"tournament", 0, NULL, 1, names, values, "d", 0, 3, total};
    pl_part *parts[2] = {NULL, NULL};
    for (int i = 0; rc == PL_OK && i < 2; i++) {
        pl_tournament *t = NULL;
        char *text = NULL;
        o.first = info.first = i ? 3 : 0;
        o.count = info.count = i ? total - 3 : 3;
        rc = pl_tournament_run(doms, 2, agents, 2, &o, d, &t);
        if (rc == PL_OK) rc = pl_part_write_tournament(&info, t, &text);
        if (rc == PL_OK) rc = pl_part_load_buffer(text, strlen(text), "part", d, &parts[i]);
        pl_free(text);
        pl_tournament_free(t);
    }
    pl_tournament *all = NULL;
    if (rc == PL_OK)
        rc = pl_part_join_tournament((const pl_part *const *)parts, 2, doms, 2, agents, 2, &o, d,
                                     &all);
    if (rc != PL_OK && all) k->leftover = 1;
    char *text = NULL;
    if (rc == PL_OK) rc = pl_report_tournament(all, PL_FORMAT_JSON, &text);
    if (rc == PL_OK) sink_report(k, rc, text);
    pl_tournament_free(all);
    pl_part_free(parts[0]);
    pl_part_free(parts[1]);
    return rc;
}

static void test_negotiation(void **state) {
    (void)state;
    pl_space_options so;
    memset(&so, 0, sizeof so);
    so.real_points = 3;
    const char *profiles[2] = {path_of("p1.xml"), path_of("p2.xml")};
    pl_space *sp = NULL, *tiny_sp = NULL;
    assert_int_equal(pl_space_load_genius(path_of("domain.xml"), profiles, 2, &so, NULL, &sp),
                     PL_OK);
    torture("negotiate --protocol single-text, 3 formats", path_single_text, sp, NULL, PL_OK);
    pl_scenario *tiny_sc = NULL;
    assert_int_equal(pl_scenario_load_file(path_of("tiny.json"), NULL, &tiny_sc), PL_OK);
    so.grid_points = 2;
    assert_int_equal(pl_space_from_scenario(tiny_sc, &so, &tiny_sp), PL_OK);
    const pl_space *doms[2] = {sp, tiny_sp};
    torture("tournament (sao and single text), 3 formats", path_tournament, doms, NULL, PL_OK);
    torture("tournament parts: written, read, joined", path_tournament_parts, doms, NULL, PL_OK);
    pl_space_free(tiny_sp);
    pl_scenario_free(tiny_sc);
    pl_space_free(sp);
}

static void test_threads(void **state) {
    (void)state;
    assert_int_equal(pl_scenario_load_file(path_of("tiny.json"), NULL, &tiny), PL_OK);
    torture_threads("Monte Carlo, 2 threads", path_mc_threads, NULL);
    pl_smp_data *data = NULL;
    assert_int_equal(pl_smp_read_ktab_file(path_of("ktab.csv"), NULL, &data), PL_OK);
    torture_threads("SMP run, 2 threads", path_smp_threads, data);
    pl_smp_data_free(data);
    torture_threads("EUM run, 2 threads", path_eum_threads, NULL);
    pl_scenario_free(tiny);
    tiny = NULL;
}

static int setup(void **state) {
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/pl-alloc-XXXXXX");
    if (!mkdtemp(dir)) return -1;
    write_file("tiny.json", scenario_json);
    write_file("bad.json", scenario_bad_json);
    write_file("syntax.json", scenario_syntax_json);
    /* the tiny scenario with one salience off its range: the error's place
    ** comes from a locator larger than its first allocation */
    char *bad_value = strdup(scenario_json);
    if (!bad_value) return -1;
    char *at = strstr(bad_value, "\"salience\": 20");
    if (!at) return -1;
    memcpy(at + strlen("\"salience\": "), "-5", 2);
    write_file("bad-value.json", bad_value);
    free(bad_value);
    write_file("tiny.csv", one_issue_csv);
    write_file("bad.csv", one_issue_bad_csv);
    write_file("tiny.tsv", deu_tsv);
    write_file("bad.tsv", deu_bad_tsv);
    write_file("ktab.csv", ktab_csv);
    write_file("ktab-bad.csv", ktab_bad_csv);
    write_file("decide.txt", decide_txt);
    write_file("decide-bad.txt", decide_bad_txt);
    write_file("ktab.xml", ktab_xml);
    write_file("ktab-bad.xml", ktab_bad_xml);
    write_file("domain.xml", genius_domain);
    write_file("p1.xml", genius_profile1);
    write_file("p2.xml", genius_profile2);
    write_file("p-bad.xml", genius_bad_profile);
    write_file("p-syntax.xml", genius_syntax_xml);
    write_file("gw-bad.json", geniusweb_bad_json);
    write_file("nl-bad.xml", nonlinear_bad_xml);
    write_file("pareto-bad.xml", "1.0 0.5\n0.9 x\n");
    write_file("pareto-ragged.xml", "1.0 0.5\n0.9 0.6 0.7\n");
    json_set_alloc_funcs(pl__malloc, pl__free);
    return 0;
}

static int teardown(void **state) {
    (void)state;
    static const char *const names[] = {
        "tiny.json",      "bad.json",   "syntax.json",    "bad-value.json",    "tiny.csv",
        "bad.csv",        "tiny.tsv",   "bad.tsv",        "ktab.csv",          "ktab-bad.csv",
        "domain.xml",     "p1.xml",     "p2.xml",         "p-bad.xml",         "p-syntax.xml",
        "gw-bad.json",    "nl-bad.xml", "pareto-bad.xml", "pareto-ragged.xml", "decide.txt",
        "decide-bad.txt", "ktab.xml",   "ktab-bad.xml"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) remove(path_of(names[i]));
    rmdir(dir);
    json_set_alloc_funcs(malloc, free);
    fputs(summary, stderr);
    return 0;
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_readers),     cmocka_unit_test(test_models),
        cmocka_unit_test(test_html),        cmocka_unit_test(test_threads),
        cmocka_unit_test(test_negotiation),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
