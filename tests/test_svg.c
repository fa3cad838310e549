/*
** test_svg.c: tests of the reports' drawing kit (src/report/svg.c).
**
** - Ticks fall on round numbers (1, 2 or 5 times a power of ten), cover
**   the range inside it, about as many as asked; their labels carry the
**   decimals the step needs and never "-0".
** - The label placer: on crowded random layouts no two shown labels
**   overlap, the highest-priority label is always shown at its wanted
**   place, labels stay inside the room, and labels that have room are
**   all shown.
** - The 1-D spread keeps order, the minimum gap and the bounds, and moves
**   nothing that already had room.
** - Escaping and text cutting.
*/
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/buf.h"
#include "core/rng.h"
#include "pl_test.h"
#include "report/svg.h"

/* v / step is a whole number and step is 1, 2 or 5 times a power of 10. */
static void assert_round_step(double step) {
    double mag = pow(10, floor(log10(step) + 1e-12));
    double m = step / mag;
    assert_true(fabs(m - 1) < 1e-9 || fabs(m - 2) < 1e-9 || fabs(m - 5) < 1e-9 ||
                fabs(m - 10) < 1e-9);
}

static void test_ticks(void **state) {
    (void)state;
    static const double ranges[][2] = {{0, 100}, {0, 1},      {-3.7, 12.2}, {0, 900},
                                       {17, 18}, {1e6, 3e6},  {-1, 1},      {0.001, 0.0042},
                                       {0, 7},   {-250, -30}, {0, 1e12},    {42.5, 42.51}};
    for (size_t r = 0; r < sizeof ranges / sizeof ranges[0]; r++) {
        double lo = ranges[r][0], hi = ranges[r][1], ticks[64], step;
        size_t n = svg_ticks(lo, hi, 5, ticks, 64, &step);
        assert_true(n >= 3 && n <= 12);
        assert_round_step(step);
        for (size_t i = 0; i < n; i++) {
            assert_true(ticks[i] >= lo - 1e-9 * step && ticks[i] <= hi + 1e-9 * step);
            assert_near(ticks[i] / step, round(ticks[i] / step), 1e-6);
            if (i) assert_near(ticks[i] - ticks[i - 1], step, step * 1e-9);
        }
        /* the ticks reach within one step of both ends */
        assert_true(ticks[0] - lo < step + 1e-9 && hi - ticks[n - 1] < step + 1e-9);
    }
    double ticks[16], step;
    size_t n = svg_ticks(0, 100, 5, ticks, 16, &step);
    assert_int_equal(n, 6);
    assert_near(step, 20, 0);
    assert_near(ticks[5], 100, 0);
    n = svg_ticks(0, 900, 5, ticks, 16, &step);
    assert_near(step, 200, 0);
    assert_int_equal(n, 5); /* 0 200 400 600 800 */
    n = svg_ticks(5, 5, 5, ticks, 16, &step);
    assert_int_equal(n, 1);
    assert_near(ticks[0], 5, 0);
    n = svg_ticks(-1, 1, 4, ticks, 16, &step);
    assert_near(step, 0.5, 0);
    assert_near(ticks[2], 0, 0);
    assert_false(signbit(ticks[2]));
    /* max respected */
    n = svg_ticks(0, 100, 50, ticks, 3, &step);
    assert_int_equal(n, 3);
}

static void test_tick_labels(void **state) {
    (void)state;
    char s[32];
    svg_tick_label(s, sizeof s, 40, 20);
    assert_string_equal(s, "40");
    svg_tick_label(s, sizeof s, 0.5, 0.5);
    assert_string_equal(s, "0.5");
    svg_tick_label(s, sizeof s, 0.25, 0.05);
    assert_string_equal(s, "0.25");
    svg_tick_label(s, sizeof s, -1e-17, 0.2);
    assert_string_equal(s, "0.0");
    svg_tick_label(s, sizeof s, -0.0, 1);
    assert_string_equal(s, "0");
    svg_tick_label(s, sizeof s, 1000000, 500000);
    assert_string_equal(s, "1000000");
}

static void random_labels(rng *r, svg_label *l, size_t n, double width) {
    for (size_t i = 0; i < n; i++) {
        memset(&l[i], 0, sizeof l[i]);
        l[i].want_x = rng_uniform(r) * width;
        l[i].want_y = 100;
        l[i].w = 20 + rng_uniform(r) * 80;
        l[i].h = 12;
        l[i].priority = rng_uniform(r);
    }
}

static void test_labels_never_overlap(void **state) {
    (void)state;
    rng r;
    rng_seed(&r, 13, 0);
    svg_label l[200];
    size_t scratch[400];
    for (int trial = 0; trial < 200; trial++) {
        size_t n = 1 + (size_t)(rng_uniform(&r) * 199);
        int lanes = 1 + (int)(rng_uniform(&r) * 6);
        random_labels(&r, l, n, 600);
        size_t shown = svg_place_labels(l, n, 0, 600, -14, lanes, 60, 1, scratch);
        assert_false(svg_labels_overlap(l, n));
        size_t count = 0, best = 0;
        for (size_t i = 0; i < n; i++) {
            if (l[i].priority > l[best].priority) best = i;
            if (!l[i].shown) continue;
            count++;
            assert_true(l[i].x - l[i].w / 2 >= -1e-9 && l[i].x + l[i].w / 2 <= 600 + 1e-9);
            assert_true(fabs(l[i].x - l[i].want_x) <= 60 + l[i].w / 2 + 1e-9);
            assert_true(l[i].lane >= 0 && l[i].lane < lanes);
            assert_near(l[i].y, 100 - 14.0 * l[i].lane, 1e-9);
        }
        assert_int_equal(count, shown);
        /* the most important label is shown in the first lane, at its place
        ** unless the edge of the room pushed it in */
        assert_true(l[best].shown);
        assert_int_equal(l[best].lane, 0);
        if (l[best].want_x - l[best].w / 2 >= 0 && l[best].want_x + l[best].w / 2 <= 600)
            assert_near(l[best].x, l[best].want_x, 1e-9);
    }
}

static void test_labels_with_room_all_shown(void **state) {
    (void)state;
    /* ten labels on top of one another, ten lanes: all shown, one per lane */
    svg_label l[10];
    size_t scratch[20];
    for (size_t i = 0; i < 10; i++) {
        memset(&l[i], 0, sizeof l[i]);
        l[i].want_x = 300;
        l[i].want_y = 50;
        l[i].w = 80;
        l[i].h = 12;
        l[i].priority = (double)(10 - i);
    }
    assert_int_equal(svg_place_labels(l, 10, 0, 600, 13, 10, 0, 0, scratch), 10);
    for (size_t i = 0; i < 10; i++) assert_int_equal(l[i].lane, (int)i);
    /* one lane, sideways room: moved apart along the axis */
    for (size_t i = 0; i < 10; i++) l[i].w = 40;
    assert_int_equal(svg_place_labels(l, 10, 0, 600, 13, 1, 300, 2, scratch), 10);
    assert_false(svg_labels_overlap(l, 10));
    /* no room: only the first one */
    assert_int_equal(svg_place_labels(l, 10, 0, 600, 13, 1, 0, 0, scratch), 1);
    assert_true(l[0].shown);
    /* wider than the room: not shown */
    l[0].w = 700;
    assert_int_equal(svg_place_labels(l, 1, 0, 600, 13, 1, 0, 0, scratch), 0);
}

static void test_spread(void **state) {
    (void)state;
    rng r;
    rng_seed(&r, 5, 0);
    double pos[50], want[50], mean[50];
    size_t scratch[100];
    for (int trial = 0; trial < 500; trial++) {
        size_t n = 1 + (size_t)(rng_uniform(&r) * 49);
        for (size_t i = 0; i < n; i++) want[i] = pos[i] = rng_uniform(&r) * 400;
        double gap = 5 + rng_uniform(&r) * 10;
        svg_spread(pos, n, gap, 0, 400, scratch, mean);
        double g = (double)(n - 1) * gap > 400 ? 400.0 / (double)(n - 1) : gap;
        for (size_t i = 0; i < n; i++) {
            assert_true(pos[i] >= -1e-9 && pos[i] <= 400 + 1e-9);
            for (size_t j = 0; j < n; j++) {
                if (want[i] < want[j]) assert_true(pos[j] - pos[i] >= g - 1e-9);
                if (i != j && want[i] == want[j]) assert_true(fabs(pos[j] - pos[i]) >= g - 1e-9);
            }
        }
    }
    /* points with room stay put */
    double p[3] = {10, 200, 100};
    svg_spread(p, 3, 12, 0, 400, scratch, mean);
    assert_near(p[0], 10, 1e-12);
    assert_near(p[1], 200, 1e-12);
    assert_near(p[2], 100, 1e-12);
    /* two on one spot move apart symmetrically */
    double q[2] = {100, 100};
    svg_spread(q, 2, 10, 0, 400, scratch, mean);
    assert_near(q[0], 95, 1e-12);
    assert_near(q[1], 105, 1e-12);
    /* at the edge they are pushed inside */
    double e[2] = {0, 0};
    svg_spread(e, 2, 10, 0, 400, scratch, mean);
    assert_near(e[0], 0, 1e-12);
    assert_near(e[1], 10, 1e-12);
}

static void test_text(void **state) {
    (void)state;
    buf b = {0};
    svg_escape(&b, "a<b & \"c\" 'd'>");
    char *s = buf_take(&b);
    assert_string_equal(s, "a&lt;b &amp; &quot;c&quot; &#39;d&#39;&gt;");
    free(s);
    svg_escape_cut(&b, "Nagorno-Karabakh", 8);
    s = buf_take(&b);
    assert_string_equal(s, "Nagorno\xe2\x80\xa6");
    free(s);
    svg_escape_cut(&b, "\xc3\x89tat", 4); /* fits: 4 characters */
    s = buf_take(&b);
    assert_string_equal(s, "\xc3\x89tat");
    free(s);
    svg_num(&b, -0.001);
    buf_putc(&b, ' ');
    svg_num(&b, 12.345);
    buf_putc(&b, ' ');
    svg_num(&b, 7);
    s = buf_take(&b);
    assert_string_equal(s, "0 12.35 7");
    free(s);
    /* wider text, wider estimate; a multibyte letter counts once */
    assert_true(svg_text_width("WWW", 10) > svg_text_width("iii", 10));
    assert_near(svg_text_width("\xc3\x89", 10), svg_text_width("\xc3\xa9", 10), 0);
    assert_true(svg_text_width("\xc3\x89", 10) < 10);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ticks),
        cmocka_unit_test(test_tick_labels),
        cmocka_unit_test(test_labels_never_overlap),
        cmocka_unit_test(test_labels_with_room_all_shown),
        cmocka_unit_test(test_spread),
        cmocka_unit_test(test_text),
    };
    return pl_test_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
