/*
** report_sao_html.c: a negotiation played out (pl_negotiate) as one HTML
** page and as SVG charts (pl_report_negotiation with PL_FORMAT_HTML or
** PL_FORMAT_SVG; docs/simulation.md, "The HTML report").
**
** The page: the space, the parties and their agents, the protocol, the
** deadline and the result in words; the agreement issue by issue, each
** party's utility, the welfare and the distances to the Pareto frontier and
** the Nash point (pl_negotiation_stats_get, the text report's figures);
** "Offers over time": per party, the utility to it of every offer, one
** series per offering party (the single text: the mediator's texts with the
** party's votes), its reservation value, the agreement; "The offers in the
** utility space": the frontier and the Nash package of pl_deals_run, the
** offers' paths, the agreement, for two parties U1 against U2 and for more
** the first three pairs of parties.
**
** Figures in, layout out: the utilities are the offers' own
** (pl_negotiation_offer), the frontier the deals'.  Long traces are thinned
** for drawing: a run of the same offer repeated is drawn by its first and
** last offers (exact for a party that keeps its offer), and of more points
** than series_max (300; fewer beyond 10 parties) evenly spaced ones are
** drawn, the first, the last and the agreed offer always; the page says so.
*/
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "parley.h"
#include "report/report_charts.h"
#include "report/report_int.h"
#include "report/svg.h"

/* Points drawn per series at most: SERIES_MAX, fewer with more than 10
** parties (a page draws about parties^2 series: SERIES_BUDGET in all). */
#define SERIES_MAX 300
#define SERIES_MIN 40
#define SERIES_BUDGET 30000
#define FRONTIER_MAX 2000 /* frontier packages drawn per chart at most */
#define PAIRS_MAX 3       /* pairs of parties drawn in the utility space */
#define MEDIATOR_COLOUR "#555555"

/* The negotiation as the charts read it: who made which offer, which
** offers are drawn, the utility axis. */
typedef struct neg_view {
    const pl_space *sp;
    const pl_negotiation *neg;
    const pl_deals *d; /* NULL: no frontier */
    size_t np, n_offers;
    int single_text;
    size_t n_series;      /* np, or 1 (the mediator's texts) */
    size_t agreed;        /* the agreed offer; SIZE_MAX: none */
    unsigned char *keep;  /* per offer: 1 when drawn */
    size_t *series_total; /* per series: its offers */
    size_t *series_kept;  /* per series: those drawn */
    size_t series_max;    /* points drawn per series at most */
    int strided;          /* a series had more than series_max points to draw */
    double lo, hi;        /* the utility axis */
    size_t n_rounds;      /* the round axis: 1 .. n_rounds */
} neg_view;

static const char *space_name(const pl_space *sp) {
    const char *n = pl_space_name(sp);
    return n ? n : "space";
}

/* A party's colour: the report's Okabe-Ito palette, with blue (the
** frontier's) and vermillion (the reservation lines') last. */
static const char *party_colour(size_t p) {
    static const size_t order[] = {0, 1, 2, 5, 7, 3, 4, 6};
    return svg_colour(order[p % 8]);
}

static size_t series_of(const neg_view *v, const pl_offer *of) {
    return v->single_text || of->party == PL_MEDIATOR ? 0 : of->party;
}

static const char *series_name(const neg_view *v, size_t s) {
    return v->single_text ? "the mediator" : pl_space_party(v->sp, s);
}

static const char *series_colour(const neg_view *v, size_t s) {
    return v->single_text ? MEDIATOR_COLOUR : party_colour(s);
}

/* ------------------------------------------------------------------------
** The view: which offers are drawn
*/
/* The agreed offer: the last one of the agreed package. */
static size_t agreed_offer(const neg_view *v) {
    const size_t *a = pl_negotiation_agreement(v->neg);
    size_t ni = pl_space_n_issues(v->sp);
    if (!a) return SIZE_MAX;
    for (size_t k = v->n_offers; k-- > 0;)
        if (memcmp(pl_negotiation_offer(v->neg, k)->choice, a, ni * sizeof *a) == 0) return k;
    return SIZE_MAX;
}

/* 1 if two offers of a series differ: another package, or (single text)
** other votes. */
static int offers_differ(const neg_view *v, const pl_offer *a, const pl_offer *b) {
    if (memcmp(a->choice, b->choice, pl_space_n_issues(v->sp) * sizeof *a->choice) != 0) return 1;
    if (!a->votes != !b->votes) return 1;
    return a->votes && memcmp(a->votes, b->votes, v->np) != 0;
}

/* keep[k] = 1 for the offers a chart needs to draw a series exactly: its
** first and last, and the two on either side of every change (a run of
** the same offer is drawn by its ends).  cand[s]: how many in series s.
** prev: scratch, n_series. */
static void mark_changes(neg_view *v, size_t *cand, size_t *prev) {
    for (size_t s = 0; s < v->n_series; s++) prev[s] = SIZE_MAX;
    memset(v->keep, 0, v->n_offers);
    for (size_t k = 0; k < v->n_offers; k++) {
        const pl_offer *of = pl_negotiation_offer(v->neg, k);
        size_t s = series_of(v, of);
        v->series_total[s]++;
        if (prev[s] == SIZE_MAX) v->keep[k] = 1;
        else if (offers_differ(v, pl_negotiation_offer(v->neg, prev[s]), of))
            v->keep[prev[s]] = v->keep[k] = 1;
        prev[s] = k;
    }
    for (size_t s = 0; s < v->n_series; s++)
        if (prev[s] != SIZE_MAX) v->keep[prev[s]] = 1;
    for (size_t k = 0; k < v->n_offers; k++)
        cand[series_of(v, pl_negotiation_offer(v->neg, k))] += v->keep[k];
}

/* The offers drawn: those mark_changes marks; of more than series_max in
** a series, series_max evenly spaced among them (the first and the last
** among them); the agreed offer always.  0 when memory ran out. */
static int thin(neg_view *v) {
    size_t *cand = pl__calloc(v->n_series, sizeof *cand);
    size_t *next = pl__calloc(v->n_series, sizeof *next);
    size_t *seen = pl__calloc(v->n_series, sizeof *seen);
    if (!cand || !next || !seen) {
        pl__free(cand), pl__free(next), pl__free(seen);
        return 0;
    }
    mark_changes(v, cand, next);
    memset(next, 0, v->n_series * sizeof *next);
    for (size_t k = 0; k < v->n_offers; k++) {
        size_t s = series_of(v, pl_negotiation_offer(v->neg, k));
        size_t m = cand[s];
        if (!v->keep[k] || m <= v->series_max) continue;
        v->strided = 1;
        size_t j = seen[s]++;
        int keep = 0;
        /* the i-th of series_max evenly spaced: round(i (m - 1) / (series_max - 1)) */
        while (next[s] < v->series_max) {
            size_t at = (size_t)((double)next[s] * (double)(m - 1) / (double)(v->series_max - 1) +
                                 0.5);
            if (at > j) break;
            next[s]++;
            keep |= at == j;
        }
        v->keep[k] = (unsigned char)keep;
    }
    if (v->agreed != SIZE_MAX) v->keep[v->agreed] = 1;
    for (size_t k = 0; k < v->n_offers; k++)
        if (v->keep[k]) v->series_kept[series_of(v, pl_negotiation_offer(v->neg, k))]++;
    pl__free(cand), pl__free(next), pl__free(seen);
    return 1;
}

/* The utility axis: [0, 1] widened to every offer's utility and every
** reservation value. */
static void utility_range(neg_view *v) {
    double lo = 0, hi = 1;
    for (size_t p = 0; p < v->np; p++) {
        lo = fmin(lo, pl_space_reservation(v->sp, p));
        hi = fmax(hi, pl_space_reservation(v->sp, p));
    }
    for (size_t k = 0; k < v->n_offers; k++)
        for (size_t p = 0; p < v->np; p++) {
            double u = pl_negotiation_offer(v->neg, k)->utility[p];
            if (isfinite(u)) lo = fmin(lo, u), hi = fmax(hi, u);
        }
    v->lo = lo, v->hi = hi;
}

static void view_free(neg_view *v) {
    pl__free(v->keep), pl__free(v->series_total), pl__free(v->series_kept);
}

/* 0 when memory ran out. */
static int view_init(neg_view *v, const pl_space *sp, const pl_negotiation *neg,
                     const pl_deals *d) {
    memset(v, 0, sizeof *v);
    v->sp = sp, v->neg = neg, v->d = d;
    v->np = pl_negotiation_n_parties(neg);
    v->n_offers = pl_negotiation_n_offers(neg);
    v->single_text = pl_negotiation_protocol(neg) == PL_PROTOCOL_SINGLE_TEXT;
    v->n_series = v->single_text ? 1 : v->np;
    v->agreed = agreed_offer(v);
    v->series_max = SERIES_MAX;
    if (v->np * v->np * SERIES_MAX > SERIES_BUDGET)
        v->series_max = SERIES_BUDGET / (v->np * v->np) > SERIES_MIN
                            ? SERIES_BUDGET / (v->np * v->np)
                            : SERIES_MIN;
    v->n_rounds = pl_negotiation_n_steps(neg);
    for (size_t k = 0; k < v->n_offers; k++) {
        size_t r = pl_negotiation_offer(neg, k)->round + 1;
        if (r > v->n_rounds) v->n_rounds = r;
    }
    v->keep = pl__malloc(v->n_offers ? v->n_offers : 1);
    v->series_total = pl__calloc(v->n_series, sizeof *v->series_total);
    v->series_kept = pl__calloc(v->n_series, sizeof *v->series_kept);
    if (!v->keep || !v->series_total || !v->series_kept || !thin(v)) return 0;
    utility_range(v);
    return 1;
}

static int thinned(const neg_view *v) {
    for (size_t s = 0; s < v->n_series; s++)
        if (v->series_kept[s] < v->series_total[s]) return 1;
    return 0;
}

/* ------------------------------------------------------------------------
** Drawing pieces
*/
static void circle_path(buf *b, double x, double y, double r) {
    buf_putc(b, 'M');
    svg_num(b, x - r);
    buf_putc(b, ' ');
    svg_num(b, y);
    buf_printf(b, "a%.1f %.1f 0 1 0 %.1f 0a%.1f %.1f 0 1 0 -%.1f 0z", r, r, 2 * r, r, r, 2 * r);
}

static void cross_path(buf *b, double x, double y, double r) {
    buf_putc(b, 'M');
    svg_num(b, x - r);
    buf_putc(b, ' ');
    svg_num(b, y - r);
    buf_printf(b, "l%.1f %.1fm0 -%.1fl-%.1f %.1f", 2 * r, 2 * r, 2 * r, 2 * r, 2 * r);
}

/* The agreement: a black ring with its title. */
static void agreement_ring(buf *b, const neg_view *v, double x, double y) {
    const pl_offer *of = pl_negotiation_offer(v->neg, v->agreed);
    buf_puts(b,
             "<path class=\"agreement\" fill=\"none\" stroke=\"#000\" stroke-width=\"2.4\" d=\"");
    circle_path(b, x, y, 7);
    buf_printf(b, "\"><title>The agreement in round %zu: the ", pl_negotiation_step(v->neg));
    if (v->single_text) {
        buf_puts(b, "mediator's text");
    } else {
        buf_puts(b, "offer of ");
        svg_escape(b, pl_space_party(v->sp, of->party));
    }
    buf_printf(b, " in round %zu</title></path>", of->round + 1);
}

/* The Nash package: a black diamond. */
static void nash_marker(buf *b, double x, double y) {
    buf_puts(b, "<path class=\"nash\" fill=\"#fff\" stroke=\"#000\" stroke-width=\"1.8\" d=\"M");
    svg_num(b, x);
    buf_putc(b, ' ');
    svg_num(b, y - 7);
    buf_puts(b, "l7 7l-7 7l-7 -7z\"><title>The Nash package</title></path>");
}

/* A legend line at (x, y): a sample of `kind` (0 a line in colour, 1 the
** dashed reservation, 2 the agreement ring, 3 the Nash diamond, 4 the
** frontier's line, 5 accepted, 6 rejected, 7 not put to the vote, 8 the
** frontier's packages), then text. */
static void legend_item(buf *b, double x, double y, int kind, const char *colour,
                        const char *text) {
    switch (kind) {
        case 0:
            buf_printf(b, "<path d=\"M%.0f %.0fh22\" stroke=\"%s\" stroke-width=\"2.5\"/>", x,
                       y - 4, colour);
            break;
        case 1: chart_line(b, x, y - 4, x + 22, y - 4, "res"); break;
        case 2:
            buf_puts(b, "<path fill=\"none\" stroke=\"#000\" stroke-width=\"2.4\" d=\"");
            circle_path(b, x + 11, y - 4, 6);
            buf_puts(b, "\"/>");
            break;
        case 3:
            buf_printf(b,
                       "<path fill=\"#fff\" stroke=\"#000\" stroke-width=\"1.8\" d=\"M%.0f "
                       "%.0fl6 6l-6 6l-6 -6z\"/>",
                       x + 11, y - 10);
            break;
        case 4: chart_line(b, x, y - 4, x + 22, y - 4, "front"); break;
        case 8:
            buf_printf(b, "<path fill=\"#999\" d=\"M%.0f %.0fh3v3h-3zm7 0h3v3h-3zm7 0h3v3h-3z\"/>",
                       x + 1, y - 6);
            break;
        case 5:
            buf_puts(b, "<path fill=\"#009E73\" d=\"");
            circle_path(b, x + 11, y - 4, 3.5);
            buf_puts(b, "\"/>");
            break;
        case 6:
            buf_puts(b, "<path fill=\"none\" stroke=\"#D55E00\" stroke-width=\"1.6\" d=\"");
            cross_path(b, x + 11, y - 4, 3.5);
            buf_puts(b, "\"/>");
            break;
        default:
            buf_puts(b, "<path fill=\"#bbb\" d=\"");
            circle_path(b, x + 11, y - 4, 2.5);
            buf_puts(b, "\"/>");
    }
    buf_puts(b, "<text class=\"sm\" x=\"");
    svg_num(b, x + 28);
    buf_puts(b, "\" y=\"");
    svg_num(b, y);
    buf_puts(b, "\">");
    svg_escape_cut(b, text, 27);
    buf_puts(b, "</text>");
}

/* The legend of the series (as many as fit above y_max), then the marks;
** returns the y after it. */
static double legend_series(buf *b, const neg_view *v, double x, double y, double y_max) {
    size_t s = 0;
    chart_text(b, x, y, "start", "tk", v->single_text ? "texts of" : "offers of");
    y += 16;
    for (; s < v->n_series && y + 16 * 4 <= y_max; s++, y += 16) {
        char name[160];
        if (v->single_text) snprintf(name, sizeof name, "%s", series_name(v, s));
        else
            snprintf(name, sizeof name, "%.100s (%.40s)", series_name(v, s),
                     pl_negotiation_agent(v->neg, s));
        legend_item(b, x, y, 0, series_colour(v, s), name);
    }
    if (s < v->n_series) {
        char more[64];
        snprintf(more, sizeof more, "(%zu more parties)", v->n_series - s);
        chart_text(b, x, y, "start", "tk", more);
        y += 16;
    }
    return y;
}

/* ------------------------------------------------------------------------
** Offers over time: per party, the utility to it of every offer
*/
#define TIME_W CHART_W
#define TIME_H 290.0
#define TIME_ML 52.0
#define TIME_MR 210.0
#define TIME_MT 26.0
#define TIME_MB 44.0

typedef struct time_chart {
    const neg_view *v;
    size_t p; /* the party whose utility is drawn */
    svg_scale sx, sy;
} time_chart;

/* Where series s's drawn offers go: x the round (q == ROUND_AXIS) or party
** p's utility, y party p's (by round) or party q's utility. */
#define ROUND_AXIS SIZE_MAX
typedef struct series_axes {
    const svg_scale *sx, *sy;
    size_t p, q;
} series_axes;

static void offer_at(const series_axes *ax, const pl_offer *of, double *x, double *y) {
    *x = svg_map(ax->sx, ax->q == ROUND_AXIS ? (double)(of->round + 1) : of->utility[ax->p]);
    *y = svg_map(ax->sy, ax->q == ROUND_AXIS ? of->utility[ax->p] : of->utility[ax->q]);
}

/* Series s as <g class=CLS> with its title: a polyline through its drawn
** offers (stroke attributes LINE), and a dot of radius R on each when DOTS. */
static void series_draw(buf *b, const neg_view *v, size_t s, const series_axes *ax, const char *cls,
                        const char *line, int dots, double r) {
    if (!v->series_kept[s]) return;
    buf_printf(b, "<g class=\"%s\" data-series=\"", cls);
    svg_escape(b, series_name(v, s));
    buf_printf(b, "\" data-points=\"%zu\"><title>", v->series_kept[s]);
    svg_escape(b, v->single_text ? "The mediator's texts" : series_name(v, s));
    buf_printf(b, "</title><polyline fill=\"none\" %s stroke=\"%s\" points=\"", line,
               series_colour(v, s));
    int first = 1;
    double x, y;
    for (size_t k = 0; k < v->n_offers; k++) {
        const pl_offer *of = pl_negotiation_offer(v->neg, k);
        if (!v->keep[k] || series_of(v, of) != s) continue;
        if (!first) buf_putc(b, ' ');
        first = 0;
        offer_at(ax, of, &x, &y);
        svg_num(b, x);
        buf_putc(b, ',');
        svg_num(b, y);
    }
    buf_puts(b, "\"/>");
    if (dots) {
        buf_printf(b, "<path fill=\"%s\" d=\"", series_colour(v, s));
        for (size_t k = 0; k < v->n_offers; k++) {
            const pl_offer *of = pl_negotiation_offer(v->neg, k);
            if (!v->keep[k] || series_of(v, of) != s) continue;
            offer_at(ax, of, &x, &y);
            circle_path(b, x, y, r);
        }
        buf_puts(b, "\"/>");
    }
    buf_puts(b, "</g>\n");
}

/* One series over the rounds: a dot on each drawn offer when they are few. */
static void time_series(buf *b, const time_chart *tc, size_t s) {
    const neg_view *v = tc->v;
    series_axes ax = {&tc->sx, &tc->sy, tc->p, ROUND_AXIS};
    series_draw(b, v, s, &ax, "series", "stroke-width=\"1.6\"",
                v->series_kept[s] <= 120 && !v->single_text, 2.2);
}

/* The single text: party p's vote on each drawn text (accepted: a green
** dot; rejected: a vermillion cross; not put to the vote: a grey dot). */
static void time_votes(buf *b, const time_chart *tc) {
    const neg_view *v = tc->v;
    static const char *const style[] = {"fill=\"#bbb\"",
                                        "fill=\"none\" stroke=\"#D55E00\" stroke-width=\"1.6\"",
                                        "fill=\"#009E73\""};
    static const char *const what[] = {"not put to the vote", "rejected", "accepted"};
    for (int kind = 0; kind < 3; kind++) {
        size_t n = 0;
        buf_printf(b, "<path class=\"votes\" data-vote=\"%s\" %s d=\"", what[kind], style[kind]);
        for (size_t k = 0; k < v->n_offers; k++) {
            const pl_offer *of = pl_negotiation_offer(v->neg, k);
            int vk = !of->votes ? 0 : of->votes[tc->p] ? 2 : 1;
            if (!v->keep[k] || vk != kind) continue;
            double x = svg_map(&tc->sx, (double)(of->round + 1));
            double y = svg_map(&tc->sy, of->utility[tc->p]);
            if (kind == 1) cross_path(b, x, y, 3.2);
            else circle_path(b, x, y, kind ? 3.2 : 2.2);
            n++;
        }
        buf_printf(b, "\"><title>%zu text%s %s</title></path>\n", n, n == 1 ? "" : "s", what[kind]);
    }
}

static void time_legend(buf *b, const time_chart *tc) {
    const neg_view *v = tc->v;
    double x = TIME_W - TIME_MR + 14, y = TIME_MT + 4;
    y = legend_series(b, v, x, y, TIME_H - 8);
    if (v->single_text) {
        legend_item(b, x, y, 5, NULL, "accepted"), y += 16;
        legend_item(b, x, y, 6, NULL, "rejected"), y += 16;
        legend_item(b, x, y, 7, NULL, "not put to the vote"), y += 16;
    }
    char res[64];
    snprintf(res, sizeof res, "reservation %.4g", pl_space_reservation(v->sp, tc->p));
    legend_item(b, x, y, 1, NULL, res), y += 16;
    if (v->agreed != SIZE_MAX) legend_item(b, x, y, 2, NULL, "the agreement");
}

static double chart_time(buf *b, const neg_view *v, size_t p) {
    const double W = TIME_W, H = TIME_H, ML = TIME_ML, MR = TIME_MR, MT = TIME_MT, MB = TIME_MB;
    double r_hi = v->n_rounds > 1 ? (double)v->n_rounds : 2;
    time_chart tc = {v, p, {1, r_hi, ML, W - MR}, {v->lo, v->hi, H - MB, MT}};
    char title[400], id[48];
    snprintf(title, sizeof title,
             "Offers over time: the utility to %.120s of every %s, round by round (%.60s "
             "plays %.60s)",
             pl_space_party(v->sp, p), v->single_text ? "text of the mediator" : "offer",
             pl_space_party(v->sp, p), pl_negotiation_agent(v->neg, p));
    snprintf(id, sizeof id, "offers-time-%zu", p + 1);
    chart_begin(b, W, H, "time-chart", id, title);
    chart_axis_y(b, &tc.sy, ML, W - MR, v->lo, v->hi);
    size_t last = (size_t)r_hi - 1;
    chart_axis_x(b, &tc.sx, H - MB, 1, r_hi, last < 10 ? last : 10);
    chart_text(b, (ML + W - MR) / 2, H - 8, "middle", "tk", "round");
    char yname[160];
    snprintf(yname, sizeof yname, "utility of %.60s", pl_space_party(v->sp, p));
    chart_text(b, ML - 30, MT - 12, "start", "tk", yname);
    double res = pl_space_reservation(v->sp, p);
    chart_line(b, ML, svg_map(&tc.sy, res), W - MR, svg_map(&tc.sy, res), "res");
    for (size_t s = v->n_series; s-- > 0;) time_series(b, &tc, s);
    if (v->single_text) time_votes(b, &tc);
    if (v->agreed != SIZE_MAX) {
        const pl_offer *of = pl_negotiation_offer(v->neg, v->agreed);
        agreement_ring(b, v, svg_map(&tc.sx, (double)(of->round + 1)),
                       svg_map(&tc.sy, of->utility[p]));
    }
    time_legend(b, &tc);
    buf_puts(b, "</svg>\n");
    return H;
}

/* ------------------------------------------------------------------------
** The offers in the utility space
*/
typedef struct pane {
    const neg_view *v;
    size_t p, q; /* x: party p's utility; y: party q's */
    svg_scale sx, sy;
} pane;

static void pane_grid(buf *b, const pane *pn) {
    const neg_view *v = pn->v;
    double ticks[16], step;
    size_t nt = svg_ticks(v->lo, v->hi, 5, ticks, 16, &step);
    for (size_t i = 0; i < nt; i++) {
        char s[32];
        svg_tick_label(s, sizeof s, ticks[i], step);
        double x = svg_map(&pn->sx, ticks[i]), y = svg_map(&pn->sy, ticks[i]);
        chart_line(b, x, pn->sy.r0, x, pn->sy.r1, "grid");
        chart_line(b, pn->sx.r0, y, pn->sx.r1, y, "grid");
        chart_text(b, x, pn->sy.r0 + 14, "middle", "tk", s);
        chart_text(b, pn->sx.r0 - 4, y + 4, "end", "tk", s);
    }
    chart_line(b, pn->sx.r0, pn->sy.r0, pn->sx.r1, pn->sy.r0, "ax");
    chart_line(b, pn->sx.r0, pn->sy.r0, pn->sx.r0, pn->sy.r1, "ax");
    char axis[160];
    snprintf(axis, sizeof axis, "utility of %.60s", pl_space_party(v->sp, pn->p));
    chart_text(b, (pn->sx.r0 + pn->sx.r1) / 2, pn->sy.r0 + 30, "middle", "sm", axis);
    snprintf(axis, sizeof axis, "utility of %.60s", pl_space_party(v->sp, pn->q));
    buf_puts(b, "<text class=\"sm\" text-anchor=\"middle\" transform=\"translate(");
    svg_num(b, pn->sx.r0 - 32);
    buf_putc(b, ' ');
    svg_num(b, (pn->sy.r0 + pn->sy.r1) / 2);
    buf_puts(b, ") rotate(-90)\">");
    svg_escape(b, axis);
    buf_puts(b, "</text>\n");
    double rp = pl_space_reservation(v->sp, pn->p), rq = pl_space_reservation(v->sp, pn->q);
    chart_line(b, svg_map(&pn->sx, rp), pn->sy.r0, svg_map(&pn->sx, rp), pn->sy.r1, "res");
    chart_line(b, pn->sx.r0, svg_map(&pn->sy, rq), pn->sx.r1, svg_map(&pn->sy, rq), "res");
}

/* The frontier's packages drawn: every `every`-th, at most FRONTIER_MAX. */
static size_t frontier_every(const pl_deals *d) {
    return (pl_deals_n_frontier(d) + FRONTIER_MAX - 1) / FRONTIER_MAX;
}
static size_t frontier_drawn(const pl_deals *d) {
    size_t every = frontier_every(d);
    return every ? (pl_deals_n_frontier(d) + every - 1) / every : 0;
}

/* The frontier (at most FRONTIER_MAX packages, evenly spaced in its
** order): a blue line for two parties; for a pair of more, grey squares
** (blue is a party's colour there); the Nash package. */
static void pane_frontier(buf *b, const pane *pn) {
    const pl_deals *d = pn->v->d;
    size_t nf = d ? pl_deals_n_frontier(d) : 0;
    if (!nf) return;
    size_t every = frontier_every(d);
    int two = pn->v->np == 2;
    buf_printf(b, "<g class=\"frontier\" data-points=\"%zu\"><title>The Pareto frontier</title>",
               frontier_drawn(d));
    buf_puts(b, two ? "<polyline class=\"front\" points=\"" : "<path fill=\"#999\" d=\"");
    for (size_t i = 0; i < nf; i += every) {
        const pl_deal *dl = pl_deals_frontier(d, i);
        double x = svg_map(&pn->sx, dl->utility[pn->p]), y = svg_map(&pn->sy, dl->utility[pn->q]);
        if (two) {
            if (i) buf_putc(b, ' ');
            svg_num(b, x);
            buf_putc(b, ',');
            svg_num(b, y);
        } else {
            buf_putc(b, 'M');
            svg_num(b, x - 1);
            buf_putc(b, ' ');
            svg_num(b, y - 1);
            buf_puts(b, "h2v2h-2z");
        }
    }
    buf_puts(b, "\"/></g>\n");
    if (pl_deals_n_solution(d, PL_SOL_NASH)) {
        const pl_deal *dl = pl_deals_frontier(d, pl_deals_solution(d, PL_SOL_NASH, 0));
        nash_marker(b, svg_map(&pn->sx, dl->utility[pn->p]), svg_map(&pn->sy, dl->utility[pn->q]));
    }
}

/* The drawn offers of series s as a path through the pane. */
static void pane_series(buf *b, const pane *pn, size_t s) {
    series_axes ax = {&pn->sx, &pn->sy, pn->p, pn->q};
    series_draw(b, pn->v, s, &ax, "path", "stroke-width=\"1.4\" stroke-opacity=\".85\"", 1, 2);
}

static void pane_draw(buf *b, const neg_view *v, size_t p, size_t q, double x0, double y0,
                      double size) {
    pane pn = {
        v, p, q, {v->lo, v->hi, x0 + 56, x0 + size - 10}, {v->lo, v->hi, y0 + size - 44, y0 + 10}};
    pane_grid(b, &pn);
    pane_frontier(b, &pn);
    for (size_t s = v->n_series; s-- > 0;) pane_series(b, &pn, s);
    if (v->agreed != SIZE_MAX) {
        const pl_offer *of = pl_negotiation_offer(v->neg, v->agreed);
        agreement_ring(b, v, svg_map(&pn.sx, of->utility[p]), svg_map(&pn.sy, of->utility[q]));
    }
}

/* The legend of the utility space at (x, y). */
static void space_legend(buf *b, const neg_view *v, double x, double y, double y_max) {
    y = legend_series(b, v, x, y, y_max);
    size_t nf = v->d ? pl_deals_n_frontier(v->d) : 0;
    if (nf)
        legend_item(b, x, y, v->np == 2 ? 4 : 8, NULL,
                    v->np == 2 ? "Pareto frontier" : "Pareto-frontier packages"),
            y += 16;
    if (nf && pl_deals_n_solution(v->d, PL_SOL_NASH))
        legend_item(b, x, y, 3, NULL, "Nash"), y += 16;
    legend_item(b, x, y, 1, NULL, "reservation values"), y += 16;
    if (v->agreed != SIZE_MAX) legend_item(b, x, y, 2, NULL, "the agreement");
}

static double chart_utility_space(buf *b, const neg_view *v) {
    char title[400];
    if (v->np == 2) {
        const double W = CHART_W, S = 520;
        snprintf(title, sizeof title,
                 "The offers in the utility space: the utility of %.80s against that of %.80s "
                 "for every %s, %sthe agreement marked",
                 pl_space_party(v->sp, 0), pl_space_party(v->sp, 1),
                 v->single_text ? "text" : "offer",
                 v->d ? "the Pareto frontier and the Nash package, " : "");
        chart_begin(b, W, S, "space-chart", "offers-space", title);
        pane_draw(b, v, 0, 1, 0, 0, S);
        space_legend(b, v, S + 20, 24, S);
        buf_puts(b, "</svg>\n");
        return S;
    }
    const double W = CHART_W, S = CHART_W / 2;
    snprintf(title, sizeof title,
             "The offers in the utility space of %zu parties, pair by pair (%s): every %s, "
             "%sthe agreement marked",
             v->np, v->np == 3 ? "all three pairs" : "the first three pairs",
             v->single_text ? "text" : "offer",
             v->d ? "the Pareto frontier's packages and the Nash package, " : "");
    chart_begin(b, W, 2 * S, "space-chart", "offers-space", title);
    static const size_t pairs[PAIRS_MAX][2] = {{0, 1}, {0, 2}, {1, 2}};
    for (size_t k = 0; k < PAIRS_MAX; k++)
        pane_draw(b, v, pairs[k][0], pairs[k][1], S * (double)(k % 2), S * (double)(k / 2), S);
    space_legend(b, v, S + 30, S + 30, 2 * S);
    buf_puts(b, "</svg>\n");
    return 2 * S;
}

/* ------------------------------------------------------------------------
** The page
*/
static void html_num(buf *b, double v) { buf_printf(b, "%.4f", fabs(v) < 5e-13 ? 0 : v); }

/* The result in words, as the text report says it. */
static void result_words(buf *b, const neg_view *v) {
    size_t step = pl_negotiation_step(v->neg), n_steps = pl_negotiation_n_steps(v->neg);
    if (pl_negotiation_end_reason(v->neg) == PL_NEG_AGREEMENT) {
        buf_printf(b, "<strong>Agreement in round %zu of %zu.</strong>", step, n_steps);
        return;
    }
    buf_puts(b, "<strong>No agreement:</strong> ");
    report_no_agreement(b, v->sp, v->neg, svg_escape);
}

static void page_header(buf *b, const neg_view *v, const char *command) {
    const pl_space *sp = v->sp;
    size_t ni = pl_space_n_issues(sp), n_steps = pl_negotiation_n_steps(v->neg);
    int overflow = 0;
    uint64_t size = pl_space_size(sp, &overflow);
    buf_puts(b, "<header><h1>Negotiation on ");
    svg_escape(b, space_name(sp));
    buf_printf(b,
               "</h1>\n<p class=\"meta\">%zu parties, %zu issue%s, %llu package%s; %s, "
               "deadline %zu round%s%s%s. Report by parley %s",
               v->np, ni, ni == 1 ? "" : "s", (unsigned long long)size, size == 1 ? "" : "s",
               v->single_text ? "the mediated single negotiating text"
                              : "the stacked alternating offers protocol",
               n_steps, n_steps == 1 ? "" : "s",
               pl_negotiation_rational(v->neg) ? "; rational agents" : "",
               pl_negotiation_discounted(v->neg) ? "; utilities discounted" : "", pl_version());
    if (command) {
        buf_puts(b, ": <code>");
        svg_escape(b, command);
        buf_puts(b, "</code>");
    }
    buf_puts(b, ".</p>\n<p class=\"box\" id=\"result\">");
    result_words(b, v);
    buf_puts(b, "</p>\n</header>\n<nav aria-label=\"Contents\"><ol><li><a href=\"#outcome\">"
                "The outcome</a></li><li><a href=\"#offers-time\">Offers over time</a></li>"
                "<li><a href=\"#offers-space\">The offers in the utility space</a></li></ol>"
                "</nav>\n");
}

/* The parties: agent, reservation value, utility. */
static void parties_table(buf *b, const neg_view *v) {
    const double *u = pl_negotiation_utilities(v->neg);
    buf_printf(b,
               "<div class=\"wrap\"><table id=\"parties\"><thead><tr><th>Party</th><th>Agent</th>"
               "<th style=\"text-align:right\">Reservation value</th>"
               "<th style=\"text-align:right\">Utility%s</th></tr></thead><tbody>\n",
               pl_negotiation_discounted(v->neg) ? " (discounted)" : "");
    for (size_t p = 0; p < v->np; p++) {
        buf_printf(b, "<tr><td><span style=\"color:%s\">\xe2\x96\xa0</span> ", party_colour(p));
        svg_escape(b, pl_space_party(v->sp, p));
        buf_puts(b, "</td><td><code>");
        svg_escape(b, pl_negotiation_agent(v->neg, p));
        buf_puts(b, "</code></td><td class=\"n\">");
        html_num(b, pl_space_reservation(v->sp, p));
        buf_puts(b, "</td><td class=\"n\">");
        html_num(b, u[p]);
        buf_puts(b, "</td></tr>\n");
    }
    buf_puts(b, "</tbody></table></div>\n");
}

/* The agreement issue by issue. */
static void agreement_table(buf *b, const neg_view *v) {
    const size_t *a = pl_negotiation_agreement(v->neg);
    if (!a) return;
    buf_puts(b, "<div class=\"wrap\"><table id=\"agreement\"><thead><tr><th>Issue</th>"
                "<th>Agreed option</th></tr></thead><tbody>\n");
    for (size_t i = 0; i < pl_space_n_issues(v->sp); i++) {
        buf_puts(b, "<tr><td>");
        svg_escape(b, pl_space_issue(v->sp, i));
        buf_puts(b, "</td><td>");
        svg_escape(b, pl_space_option(v->sp, i, a[i]));
        buf_puts(b, "</td></tr>\n");
    }
    buf_puts(b, "</tbody></table></div>\n");
}

static void section_outcome(buf *b, const neg_view *v, const pl_negotiation_stats *st) {
    buf_puts(b, "<section id=\"outcome\"><h2>The outcome</h2>\n");
    parties_table(b, v);
    agreement_table(b, v);
    buf_puts(b, "<p id=\"figures\">Welfare (the sum of the utilities): <strong>");
    html_num(b, st->welfare);
    buf_puts(b, "</strong>. ");
    if (!v->d) {
        buf_puts(b, "The distances to the Pareto frontier and the Nash point were not computed "
                    "(no frontier was given).</p>\n</section>\n");
        return;
    }
    buf_puts(b, "Distance of the utilities to the Pareto frontier: ");
    if (st->has_pareto) html_num(b, st->pareto_distance);
    else buf_puts(b, "none (empty frontier)");
    buf_puts(b, "; to the Nash point: ");
    if (st->has_nash) html_num(b, st->nash_distance);
    else buf_puts(b, "none (no package is rational)");
    buf_puts(b, " (Euclidean, in utilities; docs/simulation.md).</p>\n</section>\n");
}

/* What the charts draw of a long trace. */
static void thinning_words(buf *b, const neg_view *v) {
    if (!thinned(v)) return;
    buf_puts(b, " To keep the page light, a run of the same offer repeated is drawn by its first "
                "and last");
    if (v->strided)
        buf_printf(b,
                   "; a party with more than %zu points to draw has %zu drawn, evenly spaced "
                   "(its first and last offers and the agreed one among them)",
                   v->series_max, v->series_max);
    buf_puts(b, ". Offers drawn: ");
    for (size_t s = 0; s < v->n_series; s++) {
        buf_puts(b, s ? "; " : "");
        svg_escape(b, series_name(v, s));
        buf_printf(b, " %zu of %zu", v->series_kept[s], v->series_total[s]);
    }
    buf_puts(b, " (the whole trace: <code>--format csv --trace</code>).");
}

static void section_time(buf *b, const neg_view *v) {
    buf_puts(b, "<section id=\"offers-time\"><h2>Offers over time</h2>\n<p>");
    if (v->single_text)
        buf_puts(b, "One chart per party: the utility to it of each of the mediator's texts, "
                    "round by round, with its vote on the text (a green dot: accepted; a cross: "
                    "rejected; a grey dot: a text the mediator improved before putting it to "
                    "the vote).");
    else
        buf_puts(b, "One chart per party: the utility to it of every offer, round by round, "
                    "one line per party making offers (its own offers and the others').");
    buf_puts(b, " The dashed red line is the party's reservation value (its utility without "
                "agreement); the black ring the agreed offer.");
    if (pl_negotiation_discounted(v->neg))
        buf_puts(b, " Utilities are drawn undiscounted; the table above gives them discounted.");
    thinning_words(b, v);
    buf_printf(b, " %zu %s in all.</p>\n", v->n_offers, v->single_text ? "texts" : "offers");
    for (size_t p = 0; p < v->np; p++) {
        buf_puts(b, "<figure><div class=\"wrap\">\n");
        chart_time(b, v, p);
        buf_puts(b, "</div></figure>\n");
    }
    buf_puts(b, "</section>\n");
}

static void section_space(buf *b, const neg_view *v) {
    buf_puts(b, "<section id=\"offers-space\"><h2>The offers in the utility space</h2>\n<p>");
    if (v->np == 2) buf_puts(b, "Each offer a point at its utilities to the two parties; ");
    else if (v->np == 3)
        buf_puts(b, "Three parties: each pair of parties in a chart of its own, each offer a "
                    "point at its utilities to the two; ");
    else {
        buf_printf(b, "%zu parties: the first three pairs of parties (", v->np);
        for (size_t k = 0; k < 3; k++) {
            static const size_t pairs[3][2] = {{0, 1}, {0, 2}, {1, 2}};
            buf_puts(b, k ? "; " : "");
            svg_escape(b, pl_space_party(v->sp, pairs[k][0]));
            buf_puts(b, " and ");
            svg_escape(b, pl_space_party(v->sp, pairs[k][1]));
        }
        buf_puts(b, ") each in a chart, each offer a point at its utilities to the two; the "
                    "other pairs are not drawn; ");
    }
    buf_puts(b, "the line joins one party's offers in their order.");
    if (!v->d) buf_puts(b, " No frontier was given, so none is drawn.");
    else if (v->np == 2)
        buf_puts(b, " The blue line is the Pareto frontier, the diamond the Nash package "
                    "(docs/models/deals.md).");
    else
        buf_puts(b, " The grey dots are the packages of the Pareto frontier of all the parties "
                    "seen from the pair (a package on it need not be on the pair's own "
                    "frontier), the diamond the Nash package (docs/models/deals.md).");
    if (v->d && pl_deals_n_frontier(v->d) > FRONTIER_MAX)
        buf_printf(b, " %zu of the frontier's %zu packages are drawn, evenly spaced.",
                   frontier_drawn(v->d), pl_deals_n_frontier(v->d));
    buf_puts(b, " Dashed red: the reservation values.</p>\n<figure><div class=\"wrap\">\n");
    chart_utility_space(b, v);
    buf_puts(b, "</div></figure>\n</section>\n");
}

static void page(buf *b, const neg_view *v, const pl_negotiation_stats *st, const char *command) {
    buf title = {0};
    buf_printf(&title, "Negotiation on %s \xe2\x80\x94 parley report", space_name(v->sp));
    report_html_open(b, title.data ? title.data : "parley report");
    if (title.oom) b->oom = 1;
    buf_free(&title);
    page_header(b, v, command);
    section_outcome(b, v, st);
    if (!v->n_offers) {
        buf_puts(b, "<section id=\"offers-time\"><h2>Offers over time</h2>\n<p>The offers were "
                    "not kept, so there is nothing to draw: negotiate with the trace on "
                    "(<code>pl_negotiate_options.trace</code>; the command line turns it on "
                    "for <code>--format html</code>).</p></section>\n");
    } else {
        section_time(b, v);
        section_space(b, v);
    }
    report_html_close(b, 0);
}

/* The charts alone: one SVG document, the charts stacked. */
static void charts_svg(buf *b, const neg_view *v) {
    buf body = {0};
    double y = 0;
    for (size_t p = 0; p <= v->np; p++) {
        buf_puts(&body, "<g transform=\"translate(0 ");
        svg_num(&body, y);
        buf_puts(&body, ")\">\n");
        y += (p < v->np ? chart_time(&body, v, p) : chart_utility_space(&body, v)) + 16;
        buf_puts(&body, "</g>\n");
    }
    y -= 16;
    buf_puts(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ");
    svg_num(b, CHART_W);
    buf_putc(b, ' ');
    svg_num(b, y);
    buf_puts(b, "\" width=\"");
    svg_num(b, CHART_W);
    buf_puts(b, "\" height=\"");
    svg_num(b, y);
    buf_puts(b, "\" role=\"img\" aria-label=\"Negotiation on ");
    svg_escape(b, space_name(v->sp));
    buf_puts(b, ": parley charts\"><title>Negotiation on ");
    svg_escape(b, space_name(v->sp));
    buf_puts(b, ": parley charts</title>\n<style>\n");
    buf_puts(b, chart_css);
    buf_puts(b, "</style>\n");
    buf_puts(b, body.data ? body.data : "");
    buf_puts(b, "</svg>\n");
    if (body.oom) b->oom = 1;
    buf_free(&body);
}

pl_status report_negotiation_page(const pl_space *sp, const pl_negotiation *neg, const pl_deals *d,
                                  const pl_negotiation_stats *st, pl_format format,
                                  const char *command, char **out) {
    neg_view v;
    if (!view_init(&v, sp, neg, d)) {
        view_free(&v);
        return PL_ENOMEM;
    }
    if (format == PL_FORMAT_SVG && !v.n_offers) {
        view_free(&v);
        return PL_EINVAL; /* nothing to draw */
    }
    buf b = {0};
    if (format == PL_FORMAT_SVG) charts_svg(&b, &v);
    else page(&b, &v, st, command);
    view_free(&v);
    if (b.oom) {
        buf_free(&b);
        return PL_ENOMEM;
    }
    return report_take(&b, out);
}
