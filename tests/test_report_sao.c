/*
** test_report_sao.c: a negotiation as an HTML page and as SVG charts
** (pl_report_negotiation with PL_FORMAT_HTML and PL_FORMAT_SVG,
** src/report/report_sao_html.c).
**
** - Laptop (examples/data/genius), linear against boulware: the outcome
**   (round, agreement table, the text report's welfare and distances), a
**   time chart per party with a series per offering party, each with the
**   number of points the trace gives (every offer at the ends of a run of
**   the same offer) and as many coordinates; the agreement marked in every
**   chart; the whole frontier and the Nash package drawn; the command line
**   stated; nothing fetched; the charts alone as SVG.
** - Untraced: the page says so and draws nothing; SVG is PL_EINVAL.
** - Three parties whose names and options need escaping: three time charts,
**   the three pairs, every name escaped.
** - The single text: the mediator's texts with the votes.
** - 10,000 rounds: at most 300 points a series, the file under 1.5 MB.
*/
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "parley.h"
#include "pl_test.h"

#define LAPTOP PL_SOURCE_DIR "/examples/data/genius/Laptop"

static size_t count(const char *text, const char *what) {
    size_t n = 0;
    for (const char *p = strstr(text, what); p; p = strstr(p + 1, what)) n++;
    return n;
}

/* s with HTML's five characters escaped, into out. */
static void escape(char *out, size_t n, const char *s) {
    size_t len = 0;
    out[0] = 0;
    for (; *s; s++) {
        const char *e = *s == '&'    ? "&amp;"
                        : *s == '<'  ? "&lt;"
                        : *s == '>'  ? "&gt;"
                        : *s == '"'  ? "&quot;"
                        : *s == '\'' ? "&#39;"
                                     : NULL;
        char one[2] = {*s, 0};
        len += (size_t)snprintf(out + len, n - len, "%s", e ? e : one);
        assert_true(len < n);
    }
}

static pl_space *laptop(void) {
    pl_space *sp = NULL;
    assert_int_equal(pl_space_load_genius_dir(LAPTOP, NULL, NULL, &sp), PL_OK);
    return sp;
}

static pl_negotiation *play(const pl_space *sp, const char *const *agents, size_t steps, int trace,
                            pl_protocol protocol) {
    pl_negotiate_options o;
    memset(&o, 0, sizeof o);
    o.n_steps = steps;
    o.trace = trace;
    o.protocol = protocol;
    o.seed = 3;
    pl_negotiation *neg = NULL;
    assert_int_equal(pl_negotiate(sp, agents, pl_space_n_parties(sp), &o, NULL, &neg), PL_OK);
    return neg;
}

static pl_deals *frontier(const pl_space *sp) {
    pl_deals *d = NULL;
    assert_int_equal(pl_deals_run(sp, NULL, NULL, &d), PL_OK);
    return d;
}

/* The points the page draws of party (or mediator) `who`'s offers, from
** the trace: its first and last offer and those next to a change of
** package (or of votes). */
static size_t expected_points(const pl_space *sp, const pl_negotiation *neg, size_t who) {
    size_t n = pl_negotiation_n_offers(neg), ni = pl_space_n_issues(sp);
    size_t np = pl_negotiation_n_parties(neg);
    size_t *mine = malloc((n ? n : 1) * sizeof *mine), m = 0, pts = 0;
    assert_non_null(mine);
    for (size_t k = 0; k < n; k++)
        if (pl_negotiation_offer(neg, k)->party == who) mine[m++] = k;
    for (size_t j = 0; j < m; j++) {
        const pl_offer *a = pl_negotiation_offer(neg, mine[j]);
        int keep = j == 0 || j + 1 == m;
        for (int side = -1; side <= 1 && !keep; side += 2) {
            const pl_offer *b = pl_negotiation_offer(neg, mine[j + (size_t)side]);
            keep = memcmp(a->choice, b->choice, ni * sizeof *a->choice) != 0 ||
                   !a->votes != !b->votes || (a->votes && memcmp(a->votes, b->votes, np) != 0);
        }
        pts += (size_t)keep;
    }
    free(mine);
    return pts;
}

/* The series of `name` in the chart starting at `chart`: its data-points,
** checked against the coordinates of its polyline. */
static size_t series_points(const char *chart, const char *cls, const char *name) {
    char key[256];
    snprintf(key, sizeof key, "<g class=\"%s\" data-series=\"%s\" data-points=\"", cls, name);
    const char *p = strstr(chart, key);
    if (!p) fail_msg("no series %s in the chart", name);
    size_t n = strtoul(p + strlen(key), NULL, 10);
    const char *pts = strstr(p, "points=\"");
    pts = strstr(pts + 1, "points=\""); /* the polyline's, after data-points */
    assert_non_null(pts);
    pts += 8;
    size_t coords = 1;
    for (; *pts != '"'; pts++) coords += *pts == ' ';
    assert_int_equal(coords, n);
    return n;
}

/* The page and the figures a text report gives. */
static void test_laptop(void **state) {
    (void)state;
    pl_space *sp = laptop();
    const char *agents[] = {"linear", "boulware"};
    pl_negotiation *neg = play(sp, agents, 100, 1, PL_PROTOCOL_SAO);
    pl_deals *d = frontier(sp);
    char *html = NULL, *text = NULL;
    assert_int_equal(pl_report_negotiation_html(sp, neg, d, "parley negotiate <x>", &html), PL_OK);
    assert_int_equal(pl_report_negotiation(sp, neg, d, PL_FORMAT_TEXT, &text), PL_OK);
    assert_true(strncmp(html, "<!DOCTYPE html>", 15) == 0);
    assert_non_null(strstr(html, "<code>parley negotiate &lt;x&gt;</code>"));
    char words[64];
    snprintf(words, sizeof words, "Agreement in round %zu of 100.", pl_negotiation_step(neg));
    assert_non_null(strstr(html, words));
    const size_t *a = pl_negotiation_agreement(neg);
    assert_non_null(a);
    for (size_t i = 0; i < pl_space_n_issues(sp); i++) {
        char row[256];
        char opt[128];
        escape(opt, sizeof opt, pl_space_option(sp, i, a[i])); /* 19'' LCD */
        snprintf(row, sizeof row, "<tr><td>%s</td><td>%s</td></tr>", pl_space_issue(sp, i), opt);
        assert_non_null(strstr(html, row));
    }
    pl_negotiation_stats st;
    assert_int_equal(pl_negotiation_stats_get(neg, d, &st), PL_OK);
    char fig[64];
    snprintf(fig, sizeof fig, "%.4f", st.welfare);
    assert_non_null(strstr(text, fig));
    assert_non_null(strstr(html, fig));
    snprintf(fig, sizeof fig, "to the Nash point: %.4f", st.nash_distance);
    assert_non_null(strstr(html, fig));
    /* a time chart per party, a series per offering party */
    assert_int_equal(count(html, "class=\"chart time-chart\""), 2);
    for (size_t p = 0; p < 2; p++) {
        char id[32];
        snprintf(id, sizeof id, "id=\"offers-time-%zu\"", p + 1);
        const char *chart = strstr(html, id);
        assert_non_null(chart);
        for (size_t q = 0; q < 2; q++) {
            size_t n = series_points(chart, "series", pl_space_party(sp, q));
            assert_int_equal(n, expected_points(sp, neg, q));
            assert_true(n >= 2);
        }
    }
    /* the utility space: the paths, the whole frontier, Nash, the agreement everywhere */
    const char *space = strstr(html, "id=\"offers-space\" viewBox");
    assert_non_null(space);
    for (size_t q = 0; q < 2; q++)
        assert_int_equal(series_points(space, "path", pl_space_party(sp, q)),
                         expected_points(sp, neg, q));
    char front[64];
    snprintf(front, sizeof front, "<g class=\"frontier\" data-points=\"%zu\">",
             pl_deals_n_frontier(d));
    assert_non_null(strstr(space, front));
    assert_int_equal(count(html, "<polyline class=\"front\""), 1);
    assert_int_equal(count(html, "class=\"nash\""), 1);
    assert_int_equal(count(html, "class=\"agreement\""), 3);
    /* every chart titled; nothing fetched */
    assert_int_equal(count(html, "<svg "), 3);
    assert_int_equal(count(html, "role=\"img\" aria-label=\""), 3);
    assert_null(strstr(html, "src="));
    assert_null(strstr(html, "<link"));
    assert_null(strstr(html, "@import"));
    pl_free(html), pl_free(text);
    pl_deals_free(d);
    pl_negotiation_free(neg);
    pl_space_free(sp);
}

/* The charts alone, and the page without the frontier. */
static void test_laptop_svg(void **state) {
    (void)state;
    pl_space *sp = laptop();
    const char *agents[] = {"linear", "boulware"};
    pl_negotiation *neg = play(sp, agents, 100, 1, PL_PROTOCOL_SAO);
    pl_deals *d = frontier(sp);
    /* the charts alone */
    char *svg = NULL;
    assert_int_equal(pl_report_negotiation(sp, neg, d, PL_FORMAT_SVG, &svg), PL_OK);
    assert_true(strncmp(svg, "<?xml", 5) == 0);
    assert_int_equal(count(svg, "<svg "), 4);
    assert_int_equal(count(svg, "class=\"agreement\""), 3);
    assert_null(strstr(svg, "<html"));
    /* without deals: no frontier, said so */
    char *bare = NULL;
    assert_int_equal(pl_report_negotiation(sp, neg, NULL, PL_FORMAT_HTML, &bare), PL_OK);
    assert_int_equal(count(bare, "class=\"frontier\""), 0);
    assert_non_null(strstr(bare, "No frontier was given"));
    pl_free(bare), pl_free(svg);
    pl_deals_free(d);
    pl_negotiation_free(neg);
    pl_space_free(sp);
}

/* Without the trace there is nothing to draw. */
static void test_untraced(void **state) {
    (void)state;
    pl_space *sp = laptop();
    const char *agents[] = {"linear", "boulware"};
    pl_negotiation *neg = play(sp, agents, 100, 0, PL_PROTOCOL_SAO);
    char *html = NULL, *svg = NULL;
    assert_int_equal(pl_report_negotiation(sp, neg, NULL, PL_FORMAT_HTML, &html), PL_OK);
    assert_non_null(strstr(html, "The offers were not kept"));
    assert_int_equal(count(html, "<svg "), 0);
    assert_int_equal(pl_report_negotiation(sp, neg, NULL, PL_FORMAT_SVG, &svg), PL_EINVAL);
    assert_null(svg);
    assert_int_equal(pl_report_negotiation(sp, neg, NULL, (pl_format)99, &svg), PL_EINVAL);
    pl_free(html);
    pl_negotiation_free(neg);
    pl_space_free(sp);
}

/* A one-issue line of n options for 3 parties named with characters HTML
** escapes; its issue and options too. */
static pl_space *three_parties(void) {
    char dom[4096];
    size_t len = (size_t)snprintf(dom, sizeof dom,
                                  "<negotiation_template><utility_space number_of_issues=\"2\">"
                                  "<objective index=\"0\" name=\"o\">"
                                  "<issue index=\"1\" name=\"x&amp;y\" type=\"discrete\">");
    for (int o = 0; o < 9; o++)
        len += (size_t)snprintf(dom + len, sizeof dom - len,
                                "<item index=\"%d\" value=\"&lt;v%d&gt;\"/>", o + 1, o);
    len += (size_t)snprintf(dom + len, sizeof dom - len,
                            "</issue><issue index=\"2\" name=\"z\" type=\"discrete\">"
                            "<item index=\"1\" value=\"a\"/><item index=\"2\" value=\"b\"/>"
                            "<item index=\"3\" value=\"c\"/></issue></objective>"
                            "</utility_space></negotiation_template>");
    char prof[3][4096];
    const char *texts[3], *names[3] = {"A<b&c>.xml", "B\".xml", "C'd.xml"};
    size_t lens[3];
    for (int p = 0; p < 3; p++) {
        size_t l = (size_t)snprintf(prof[p], sizeof prof[p],
                                    "<utility_space><objective index=\"0\" name=\"o\">"
                                    "<issue index=\"1\" name=\"x&amp;y\" type=\"discrete\">");
        for (int o = 0; o < 9; o++) {
            double e = p == 0 ? o / 8.0 : p == 1 ? 1 - o / 8.0 : 1 - abs(o - 4) / 4.0;
            l += (size_t)snprintf(prof[p] + l, sizeof prof[p] - l,
                                  "<item value=\"&lt;v%d&gt;\" evaluation=\"%.17g\"/>", o, e);
        }
        l += (size_t)snprintf(prof[p] + l, sizeof prof[p] - l,
                              "</issue><issue index=\"2\" name=\"z\" type=\"discrete\">"
                              "<item value=\"a\" evaluation=\"%d\"/><item value=\"b\" "
                              "evaluation=\"2\"/><item value=\"c\" evaluation=\"%d\"/></issue>"
                              "<weight index=\"1\" value=\"0.7\"/><weight index=\"2\" "
                              "value=\"0.3\"/></objective></utility_space>",
                              p == 0 ? 3 : 1, p == 0 ? 1 : 3);
        texts[p] = prof[p];
        lens[p] = l;
    }
    pl_space *sp = NULL;
    assert_int_equal(pl_space_load_genius_buffers(dom, len, "Dom<&>.xml", texts, lens, names, 3,
                                                  NULL, NULL, &sp),
                     PL_OK);
    return sp;
}

static void test_three_parties(void **state) {
    (void)state;
    pl_space *sp = three_parties();
    assert_int_equal(pl_space_n_parties(sp), 3);
    const char *agents[] = {"boulware", "conceder", "linear"};
    pl_negotiation *neg = play(sp, agents, 60, 1, PL_PROTOCOL_SAO);
    pl_deals *d = frontier(sp);
    char *html = NULL;
    assert_int_equal(pl_report_negotiation(sp, neg, d, PL_FORMAT_HTML, &html), PL_OK);
    assert_int_equal(count(html, "class=\"chart time-chart\""), 3);
    assert_int_equal(count(html, "class=\"chart space-chart\""), 1);
    assert_non_null(strstr(html, "all three pairs"));
    /* three panes, each with its two axes named */
    assert_int_equal(count(html, "<g class=\"frontier\""), 3);
    /* the names, escaped */
    assert_non_null(strstr(html, "A&lt;b&amp;c&gt;"));
    assert_non_null(strstr(html, "B&quot;"));
    assert_non_null(strstr(html, "C&#39;d"));
    assert_non_null(strstr(html, "x&amp;y"));
    assert_null(strstr(html, "A<b"));
    assert_null(strstr(html, "<v"));
    assert_non_null(pl_negotiation_agreement(neg));
    assert_int_equal(count(html, "class=\"agreement\""), 3 + 3);
    /* per time chart, a series per party with the trace's points */
    const char *chart = strstr(html, "id=\"offers-time-2\"");
    assert_non_null(chart);
    const char *esc[3] = {"A&lt;b&amp;c&gt;", "B&quot;", "C&#39;d"};
    for (size_t q = 0; q < 3; q++)
        assert_int_equal(series_points(chart, "series", esc[q]), expected_points(sp, neg, q));
    pl_free(html);
    pl_deals_free(d);
    pl_negotiation_free(neg);
    pl_space_free(sp);
}

/* The single text: one series (the mediator's texts), each party's votes. */
static void test_single_text(void **state) {
    (void)state;
    pl_space *sp = laptop();
    const char *agents[] = {"conceder", "linear"};
    pl_negotiation *neg = play(sp, agents, 100, 1, PL_PROTOCOL_SINGLE_TEXT);
    pl_deals *d = frontier(sp);
    char *html = NULL;
    assert_int_equal(pl_report_negotiation(sp, neg, d, PL_FORMAT_HTML, &html), PL_OK);
    assert_non_null(strstr(html, "mediated single negotiating text"));
    assert_int_equal(count(html, "class=\"chart time-chart\""), 2);
    assert_int_equal(count(html, "data-series=\"the mediator\""), 3);
    assert_int_equal(count(html, "class=\"votes\""), 6);
    const char *chart = strstr(html, "id=\"offers-time-1\"");
    assert_int_equal(series_points(chart, "series", "the mediator"),
                     expected_points(sp, neg, PL_MEDIATOR));
    /* the votes drawn: as many accepted marks in party 1's chart as texts it
    ** accepted among those drawn -- at least the agreed one */
    assert_non_null(strstr(chart, "data-vote=\"accepted\""));
    assert_non_null(pl_negotiation_agreement(neg));
    assert_int_equal(count(html, "class=\"agreement\""), 3);
    pl_free(html);
    pl_deals_free(d);
    pl_negotiation_free(neg);
    pl_space_free(sp);
}

/* 10,000 rounds: light. */
static void test_long(void **state) {
    (void)state;
    pl_space *sp = laptop();
    const char *agents[] = {"random:0", "random:0"}; /* never accept: 20,000 offers */
    pl_negotiation *neg = play(sp, agents, 10000, 1, PL_PROTOCOL_SAO);
    assert_int_equal(pl_negotiation_n_offers(neg), 20000);
    pl_deals *d = frontier(sp);
    char *html = NULL;
    assert_int_equal(pl_report_negotiation(sp, neg, d, PL_FORMAT_HTML, &html), PL_OK);
    assert_true(strlen(html) < 1500000);
    assert_non_null(strstr(html, "evenly spaced"));
    const char *chart = strstr(html, "id=\"offers-time-1\"");
    for (size_t q = 0; q < 2; q++) {
        size_t n = series_points(chart, "series", pl_space_party(sp, q));
        assert_true(n >= 250 && n <= 300);
    }
    pl_free(html);
    pl_negotiation_free(neg);
    /* two boulware agents over 10,000 rounds: an agreement, marked */
    const char *bb[] = {"boulware", "boulware"};
    neg = play(sp, bb, 10000, 1, PL_PROTOCOL_SAO);
    assert_int_equal(pl_report_negotiation(sp, neg, d, PL_FORMAT_HTML, &html), PL_OK);
    assert_true(strlen(html) < 1500000);
    assert_non_null(pl_negotiation_agreement(neg));
    assert_int_equal(count(html, "class=\"agreement\""), 3);
    pl_free(html);
    pl_negotiation_free(neg);
    pl_deals_free(d);
    pl_space_free(sp);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_laptop),      cmocka_unit_test(test_laptop_svg),
        cmocka_unit_test(test_untraced),    cmocka_unit_test(test_three_parties),
        cmocka_unit_test(test_single_text), cmocka_unit_test(test_long),
    };
    return pl_test_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
