/*
** report_charts.c: the report's charts (report_charts.h) -- per issue the
** positions with the models' forecasts, the status quo and the Monte Carlo
** band; the EUM's rounds and the spatial model's turns as line charts; the
** sensitivity tornado; the agreement space.  Figures in, SVG out: nothing
** here runs a model.
*/
#include "report/report_charts.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
#include "report/svg.h"

const char chart_css[] =
    "svg.chart{font-family:system-ui,-apple-system,'Segoe UI',Roboto,'Helvetica Neue',Arial,"
    "sans-serif;font-size:12px;background:#fff}\n"
    "svg.chart text{fill:#222}\n"
    "svg.chart .ax{stroke:#555;stroke-width:1;fill:none}\n"
    "svg.chart .grid{stroke:#e4e4e4;stroke-width:1}\n"
    "svg.chart .tk{font-size:11px;fill:#555}\n"
    "svg.chart .sm{font-size:11px}\n"
    "svg.chart .lb{font-size:12px}\n"
    "svg.chart .lead{stroke:#aaa;stroke-width:.8}\n"
    "svg.chart .dot{fill-opacity:.78;stroke:#222;stroke-width:.8}\n"
    "svg.chart a:focus .dot,svg.chart a:hover .dot{stroke-width:2.5;fill-opacity:1}\n"
    "svg.chart .band{fill:#56B4E9;fill-opacity:.22}\n"
    "svg.chart .sq{stroke:#444;stroke-width:1.2;stroke-dasharray:4 3}\n"
    "svg.chart .res{stroke:#D55E00;stroke-width:1.2;stroke-dasharray:5 3}\n"
    "svg.chart .traj{fill:none;stroke-width:1.4;stroke-opacity:.85}\n"
    "svg.chart .emph{fill:none;stroke:#000;stroke-width:3}\n"
    "svg.chart .emph2{fill:none;stroke:#000;stroke-width:1.6;stroke-dasharray:6 3}\n"
    "svg.chart .cloud{fill:#999;fill-opacity:.5}\n"
    "svg.chart .front{fill:none;stroke:#0072B2;stroke-width:1.6}\n"
    "svg.chart .pc{fill:none;stroke:#bbb;stroke-width:.7;stroke-opacity:.6}\n"
    "svg.chart .pcr{fill:none;stroke:#0072B2;stroke-width:1;stroke-opacity:.8}\n"
    "svg.chart .lo{fill:#E69F00}\n"
    "svg.chart .hi{fill:#0072B2}\n";

/* ------------------------------------------------------------------------
** Shared pieces
*/
static const char *const model_colours[] = {"#E69F00", "#56B4E9", "#009E73", "#0072B2",
                                            "#D55E00", "#CC79A7", "#000000"};

const char *chart_model_colour(size_t model) { return model_colours[model % 7]; }

void chart_marker(buf *b, size_t model, double x, double y, double s) {
    const char *col = chart_model_colour(model);
    buf_puts(b, "<path d=\"M");
    svg_num(b, x);
    buf_putc(b, ' ');
    svg_num(b, y);
    switch (model % 7) {
        case 0: /* circle (two arcs) */
            buf_printf(b, "m-%.1f 0a%.1f %.1f 0 1 0 %.1f 0a%.1f %.1f 0 1 0 -%.1f 0z", s, s, s,
                       2 * s, s, s, 2 * s);
            break;
        case 1: /* square */
            buf_printf(b, "m-%.1f -%.1fh%.1fv%.1fh-%.1fz", s * .85, s * .85, s * 1.7, s * 1.7,
                       s * 1.7);
            break;
        case 2: /* diamond */
            buf_printf(b, "m0 -%.1fl%.1f %.1fl-%.1f %.1fl-%.1f -%.1fz", s * 1.2, s * 1.2, s * 1.2,
                       s * 1.2, s * 1.2, s * 1.2, s * 1.2);
            break;
        case 3: /* triangle up */
            buf_printf(b, "m0 -%.1fl%.1f %.1fh-%.1fz", s * 1.2, s * 1.1, s * 2, s * 2.2);
            break;
        case 4: /* triangle down */
            buf_printf(b, "m0 %.1fl%.1f -%.1fh-%.1fz", s * 1.2, s * 1.1, s * 2, s * 2.2);
            break;
        case 5: /* plus */
            buf_printf(b,
                       "m-%.1f -%.1fh%.1fv-%.1fh%.1fv%.1fh%.1fv%.1fh-%.1fv%.1fh-%.1fv-%.1fh-%.1fz",
                       s * 1.1, s * .35, s * .75, s * .75, s * .7, s * .75, s * .75, s * .7,
                       s * .75, s * .75, s * .7, s * .75, s * .75);
            break;
        default: /* hexagon */
            buf_printf(b, "m-%.1f 0l%.1f -%.1fh%.1fl%.1f %.1fl-%.1f %.1fh-%.1fz", s, s / 2, s * .87,
                       s, s / 2, s * .87, s / 2, s * .87, s);
    }
    /* the seven shapes in seven colours, filled; past seven (snap, candidate,
    ** ensemble, smp) the same again hollow */
    if (model < 7) buf_printf(b, "\" fill=\"%s\" stroke=\"#222\" stroke-width=\".6\"/>", col);
    else buf_printf(b, "\" fill=\"#fff\" stroke=\"%s\" stroke-width=\"1.8\"/>", col);
}

/* The opening of a chart: <svg> with its title as <title> and aria-label. */
static void chart_open(buf *b, double w, double h, const char *cls, const char *id,
                       const char *title) {
    buf_puts(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart ");
    buf_puts(b, cls);
    buf_puts(b, "\" id=\"");
    buf_puts(b, id);
    buf_puts(b, "\" viewBox=\"0 0 ");
    svg_num(b, w);
    buf_putc(b, ' ');
    svg_num(b, h);
    buf_puts(b, "\" width=\"");
    svg_num(b, w);
    buf_puts(b, "\" height=\"");
    svg_num(b, h);
    buf_puts(b, "\" role=\"img\" aria-label=\"");
    svg_escape(b, title);
    buf_puts(b, "\"><title>");
    svg_escape(b, title);
    buf_puts(b, "</title>\n");
}

static void text_at(buf *b, double x, double y, const char *anchor, const char *cls,
                    const char *s) {
    buf_puts(b, "<text x=\"");
    svg_num(b, x);
    buf_puts(b, "\" y=\"");
    svg_num(b, y);
    buf_puts(b, "\"");
    if (anchor) buf_printf(b, " text-anchor=\"%s\"", anchor);
    if (cls) buf_printf(b, " class=\"%s\"", cls);
    buf_putc(b, '>');
    svg_escape(b, s);
    buf_puts(b, "</text>");
}

static void line(buf *b, double x1, double y1, double x2, double y2, const char *cls) {
    buf_puts(b, "<line x1=\"");
    svg_num(b, x1);
    buf_puts(b, "\" y1=\"");
    svg_num(b, y1);
    buf_puts(b, "\" x2=\"");
    svg_num(b, x2);
    buf_puts(b, "\" y2=\"");
    svg_num(b, y2);
    buf_printf(b, "\" class=\"%s\"/>", cls);
}

/* A horizontal axis at y over sc, ticks and their labels below. */
static void axis_x(buf *b, const svg_scale *sc, double y, double lo, double hi, size_t target) {
    double ticks[32], step;
    size_t n = svg_ticks(lo, hi, target, ticks, 32, &step);
    line(b, sc->r0, y, sc->r1, y, "ax");
    for (size_t i = 0; i < n; i++) {
        double x = svg_map(sc, ticks[i]);
        char s[48];
        svg_tick_label(s, sizeof s, ticks[i], step);
        line(b, x, y, x, y + 4, "ax");
        text_at(b, x, y + 15, "middle", "tk", s);
    }
}

/* A vertical axis at x over sc (range top to bottom), grid lines to x_end. */
static void axis_y(buf *b, const svg_scale *sc, double x, double x_end, double lo, double hi) {
    double ticks[32], step;
    size_t n = svg_ticks(lo, hi, 5, ticks, 32, &step);
    for (size_t i = 0; i < n; i++) {
        double y = svg_map(sc, ticks[i]);
        char s[48];
        svg_tick_label(s, sizeof s, ticks[i], step);
        line(b, x, y, x_end, y, "grid");
        text_at(b, x - 5, y + 4, "end", "tk", s);
    }
    line(b, x, sc->r0, x, sc->r1, "ax");
}

void chart_begin(buf *b, double w, double h, const char *cls, const char *id, const char *title) {
    chart_open(b, w, h, cls, id, title);
}
void chart_text(buf *b, double x, double y, const char *anchor, const char *cls, const char *s) {
    text_at(b, x, y, anchor, cls, s);
}
void chart_line(buf *b, double x1, double y1, double x2, double y2, const char *cls) {
    line(b, x1, y1, x2, y2, cls);
}
void chart_axis_x(buf *b, const svg_scale *sc, double y, double lo, double hi, size_t target) {
    axis_x(b, sc, y, lo, hi, target);
}
void chart_axis_y(buf *b, const svg_scale *sc, double x, double x_end, double lo, double hi) {
    axis_y(b, sc, x, x_end, lo, hi);
}

static const char *actor_label(const pl_actor *a) { return a->name && *a->name ? a->name : a->id; }

/* rank[0 .. n-1]: the indices by weight, largest first, ties in order (an
** insertion sort: n is the actors of one issue). */
static void rank_by_weight(const double *w, size_t n, size_t *rank) {
    for (size_t i = 0; i < n; i++) {
        size_t k = i;
        while (k > 0 && w[rank[k - 1]] < w[i]) {
            rank[k] = rank[k - 1];
            k--;
        }
        rank[k] = i;
    }
}

/* The issue's option nearest x (NULL when it has none). */
static const char *nearest_option(const pl_issue *is, double x) {
    const char *best = NULL;
    double d = 0;
    for (size_t k = 0; k < is->n_options; k++)
        if (!best || fabs(is->options[k].value - x) < d) {
            best = is->options[k].label;
            d = fabs(is->options[k].value - x);
        }
    return best;
}

static const pl_source *source_of(const pl_scenario *s, const char *id) {
    for (size_t i = 0; id && i < pl_scenario_n_sources(s); i++)
        if (strcmp(pl_scenario_source(s, i)->id, id) == 0) return pl_scenario_source(s, i);
    return NULL;
}

/* The evidence of a value, in words, for a <title>. */
static void evidence_words(buf *b, const pl_scenario *s, const pl_evidence *ev, size_t n,
                           const char *assumption) {
    for (size_t k = 0; k < n; k++) {
        const pl_source *src = source_of(s, ev[k].source);
        buf_printf(b, "\n\xe2\x80\x9c%s\xe2\x80\x9d", ev[k].quote ? ev[k].quote : "");
        if (src)
            buf_printf(b, " (%s%s%s)", src->title ? src->title : src->id, src->date ? ", " : "",
                       src->date ? src->date : "");
        else if (ev[k].source) buf_printf(b, " (%s)", ev[k].source);
    }
    if (assumption) buf_printf(b, "\nAssumption: %s", assumption);
    if (!n && !assumption) buf_puts(b, "\nNo evidence or assumption given.");
}

pl_model chart_lead_model(const pl_report_figures *f, int *failed) {
    /* sticky, then the best on DEU first (docs/backtest.md); the CLI runs only
    ** sticky unless asked */
    static const pl_model order[] = {PL_MODEL_STICKY,    PL_MODEL_ENSEMBLE,   PL_MODEL_SNAP,
                                     PL_MODEL_CANDIDATE, PL_MODEL_COMPROMISE, PL_MODEL_EUM_MEAN,
                                     PL_MODEL_MEDIAN,    PL_MODEL_EUM,        PL_MODEL_NASH};
    if (!f->mc || pl_scenario_n_issues(f->scenario) == 0) return PL_MODEL_STICKY;
    for (size_t k = 0; k < sizeof order / sizeof order[0]; k++) {
        pl_mc_stats st;
        pl_status rc = pl_mc_summary(f->mc, f->scenario, 0, order[k], &st, NULL, NULL);
        if (rc == PL_ENOMEM) *failed = 1;
        if (rc == PL_OK) return order[k];
    }
    return PL_MODEL_STICKY;
}

int chart_band(const pl_report_figures *f, size_t issue, pl_model model, pl_mc_stats *st,
               int *failed) {
    if (!f->mc) return 0;
    pl_status rc = pl_mc_summary(f->mc, f->scenario, issue, model, st, NULL, NULL);
    if (rc == PL_ENOMEM) *failed = 1;
    return rc == PL_OK;
}

/* ------------------------------------------------------------------------
** Per issue: where the actors stand
*/
#define ROW_H 17.0
#define ISSUE_ML 132.0 /* room for the rows' names */
#define ISSUE_MR 24.0

/* An issue chart's figures and layout, shared by its parts. */
typedef struct issue_chart {
    const pl_scenario *s;
    const pl_issue *is;
    const pl_issue_forecast *fi;
    size_t issue, n_actors;
    size_t n;          /* actors with a stake */
    const double *pos; /* n: their positions */
    const double *wt;  /* n: capability x salience */
    const size_t *act; /* n: the scenario's actor */
    svg_label *lab;    /* n: the actors' labels */
    svg_label *olab;   /* n_opt: the options' labels */
    size_t n_opt;
    svg_scale sx;
    double wmax, rmax, y_lab0, y_dots, y_axis, y_models;
    pl_model lead;
    int has_band;
    pl_mc_stats band;
} issue_chart;

/* A dot's radius: area by weight, never too small to see. */
static double dot_radius(const issue_chart *ic, size_t i) {
    double r = ic->wmax > 0 ? ic->rmax * sqrt(ic->wt[i] / ic->wmax) : ic->rmax / 2;
    if (r < 2.5) r = 2.5;
    return r;
}

/* The Monte Carlo band from p10 to p90 at y, h high (at least 1 px wide). */
static void band_rect(buf *b, const svg_scale *sx, const pl_mc_stats *band, double y, double h) {
    double x0 = svg_map(sx, band->p10), x1 = svg_map(sx, band->p90);
    buf_puts(b, "<rect class=\"band\" x=\"");
    svg_num(b, x0);
    buf_puts(b, "\" y=\"");
    svg_num(b, y);
    buf_puts(b, "\" width=\"");
    svg_num(b, x1 - x0 > 1 ? x1 - x0 : 1);
    buf_puts(b, "\" height=\"");
    svg_num(b, h);
    buf_puts(b, "\"/>");
}

/* The actors' labels, the largest first, in lanes above the dots: the
** number of lanes, and in *shown how many have a label. */
static int place_actor_labels(issue_chart *ic, size_t *scratch, size_t *shown) {
    size_t n = ic->n;
    svg_label *lab = ic->lab;
    for (size_t i = 0; i < n; i++) {
        const char *name = actor_label(pl_scenario_actor(ic->s, ic->act[i]));
        size_t len = utf8_width(name);
        lab[i].want_x = svg_map(&ic->sx, ic->pos[i]);
        lab[i].want_y = 0;
        lab[i].w = svg_text_width(name, 12) * (len > 22 ? 22.0 / (double)len : 1) + 4;
        lab[i].h = 13;
        lab[i].priority = ic->wt[i] + 1e-9 * (double)(n - i);
    }
    int max_lanes = n > 60 ? 6 : 8;
    *shown = svg_place_labels(lab, n, 4, CHART_W - 4, -14, max_lanes, 60, 0.4, scratch);
    int lanes = 1;
    for (size_t i = 0; i < n; i++)
        if (lab[i].shown && lab[i].lane + 1 > lanes) lanes = lab[i].lane + 1;
    return lanes;
}

/* The option labels below the axis: the number of lanes (1 without
** options, for the scale's end labels). */
static int place_option_labels(issue_chart *ic, size_t *oscratch) {
    const pl_issue *is = ic->is;
    svg_label *olab = ic->olab;
    size_t n_opt = ic->n_opt;
    int olanes = 0;
    for (size_t k = 0; k < n_opt; k++) {
        olab[k].want_x = svg_map(&ic->sx, is->options[k].value);
        olab[k].want_y = ic->y_axis + 32;
        olab[k].w = svg_text_width(is->options[k].label, 11) + 4;
        if (olab[k].w > 300) olab[k].w = 300;
        olab[k].h = 12;
        olab[k].priority = (double)(n_opt - k);
    }
    if (n_opt) {
        svg_place_labels(olab, n_opt, 4, CHART_W - 4, 13, 3, 80, 3, oscratch);
        for (size_t k = 0; k < n_opt; k++)
            if (olab[k].shown && olab[k].lane + 1 > olanes) olanes = olab[k].lane + 1;
    } else {
        olanes = 1;
    }
    return olanes;
}

/* The <svg> opening with the chart's title, which says what is drawn. */
static void issue_open(buf *b, chart_ctx *c, const issue_chart *ic, double H) {
    const pl_issue *is = ic->is;
    buf title = {0};
    buf_printf(&title,
               "Positions on \xe2\x80\x9c%s\xe2\x80\x9d: %zu actors, dot area by capability "
               "x salience; the models' forecasts%s%s",
               is->name, ic->n, is->has_status_quo ? ", the status quo" : "",
               ic->has_band ? " and the Monte Carlo 80% band" : "");
    char id[96];
    snprintf(id, sizeof id, "issue-%s", is->id);
    chart_open(b, CHART_W, H, "issue-chart", id, title.data ? title.data : "");
    buf_free(&title);
    if (title.oom) c->failed = 1;
}

/* The band and the status quo, behind everything. */
static void issue_backdrop(buf *b, const issue_chart *ic) {
    const pl_issue *is = ic->is;
    if (ic->has_band) {
        band_rect(b, &ic->sx, &ic->band, ic->y_dots - ic->rmax - 3,
                  ic->y_axis - ic->y_dots + ic->rmax + 3);
        buf_putc(b, '\n');
    }
    if (is->has_status_quo) {
        double x = svg_map(&ic->sx, is->status_quo);
        line(b, x, ic->y_dots - ic->rmax - 3, x, ic->y_axis, "sq");
    }
}

/* The axis with the option ticks and labels, or the scale's end labels. */
static void issue_axis(buf *b, const issue_chart *ic) {
    const pl_issue *is = ic->is;
    const svg_label *olab = ic->olab;
    double y_axis = ic->y_axis;
    axis_x(b, &ic->sx, y_axis, is->min, is->max, 5);
    for (size_t k = 0; k < ic->n_opt; k++) {
        double x = svg_map(&ic->sx, is->options[k].value);
        line(b, x, y_axis - 5, x, y_axis + 5, "ax");
        if (!olab[k].shown) continue;
        if (fabs(olab[k].x - x) > 2 || olab[k].lane > 0)
            line(b, x, y_axis + 20, olab[k].x, olab[k].y - 10, "lead");
        buf_puts(b, "<text class=\"sm\" text-anchor=\"middle\" x=\"");
        svg_num(b, olab[k].x);
        buf_puts(b, "\" y=\"");
        svg_num(b, olab[k].y);
        buf_puts(b, "\">");
        svg_escape_cut(b, is->options[k].label, 48);
        buf_puts(b, "</text>");
    }
    if (!is->n_options) {
        if (is->min_label) text_at(b, ISSUE_ML, y_axis + 32, "start", "sm", is->min_label);
        if (is->max_label) text_at(b, CHART_W - ISSUE_MR, y_axis + 32, "end", "sm", is->max_label);
    }
    buf_putc(b, '\n');
}

/* A dot's <title>: the actor's stake and the evidence for it. */
static void dot_title(buf *b, chart_ctx *c, const issue_chart *ic, size_t i) {
    const pl_issue *is = ic->is;
    const pl_actor *a = pl_scenario_actor(ic->s, ic->act[i]);
    const pl_position *p = pl_scenario_stake(ic->s, ic->act[i], ic->issue);
    double pos = ic->pos[i];
    buf t = {0};
    const char *opt = nearest_option(is, pos);
    buf_printf(&t, "%s: position %.4g%s%s%s%s, salience %.4g, capability %.4g", actor_label(a), pos,
               is->unit ? " " : "", is->unit ? is->unit : "", opt ? " (nearest option: " : "",
               opt ? opt : "", p ? p->salience : 0, a->capability);
    if (opt) buf_puts(&t, ")");
    if (p) evidence_words(&t, ic->s, p->evidence, p->n_evidence, p->assumption);
    if (t.oom) c->failed = 1;
    svg_escape(b, t.data ? t.data : "");
    buf_free(&t);
}

/* The actors' dots: larger first, so that small ones stay on top. */
static void issue_dots(buf *b, chart_ctx *c, const issue_chart *ic, size_t *order) {
    const double *wt = ic->wt;
    size_t n = ic->n;
    rank_by_weight(wt, n, order);
    for (size_t oi = 0; oi < n; oi++) {
        size_t i = order[oi];
        const pl_actor *a = pl_scenario_actor(ic->s, ic->act[i]);
        double r = dot_radius(ic, i);
        if (c->inline_html) buf_printf(b, "<a href=\"#ev-%s-%s\">", a->id, ic->is->id);
        buf_printf(b, "<circle class=\"dot\" data-actor=\"%s\" cx=\"", a->id);
        svg_num(b, svg_map(&ic->sx, ic->pos[i]));
        buf_puts(b, "\" cy=\"");
        svg_num(b, ic->y_dots);
        buf_puts(b, "\" r=\"");
        svg_num(b, r);
        buf_printf(b, "\" fill=\"%s\"><title>",
                   ic->n_actors <= 8 ? svg_colour(ic->act[i]) : "#56B4E9");
        dot_title(b, c, ic, i);
        buf_puts(b, "</title></circle>");
        if (c->inline_html) buf_puts(b, "</a>");
        buf_putc(b, '\n');
    }
}

/* The actors' labels and their leader lines. */
static void issue_labels(buf *b, const issue_chart *ic) {
    const svg_label *lab = ic->lab;
    for (size_t i = 0; i < ic->n; i++) {
        if (!lab[i].shown) continue;
        double y = ic->y_lab0 + lab[i].y;
        double x_dot = lab[i].want_x;
        double r = dot_radius(ic, i);
        if (fabs(lab[i].x - x_dot) > 2 || lab[i].lane > 0 || ic->y_dots - r - y > 8)
            line(b, lab[i].x, y + 2, x_dot, ic->y_dots - r, "lead");
        buf_printf(b, "<text class=\"lb\" data-actor=\"%s\" text-anchor=\"middle\" x=\"",
                   pl_scenario_actor(ic->s, ic->act[i])->id);
        svg_num(b, lab[i].x);
        buf_puts(b, "\" y=\"");
        svg_num(b, y);
        buf_puts(b, "\">");
        svg_escape_cut(b, actor_label(pl_scenario_actor(ic->s, ic->act[i])), 22);
        buf_puts(b, "</text>");
    }
    buf_putc(b, '\n');
}

/* The rows below: models, the spatial model, status quo, band. */
static void issue_rows(buf *b, const issue_chart *ic) {
    const pl_issue *is = ic->is;
    const pl_issue_forecast *fi = ic->fi;
    const double W = CHART_W, ML = ISSUE_ML, MR = ISSUE_MR;
    double y = ic->y_models;
    for (size_t m = 0; m < PL_MODEL_COUNT; m++, y += ROW_H) {
        text_at(b, ML - 10, y + 4, "end", "sm", pl_model_name((pl_model)m));
        line(b, ML, y, W - MR, y, "grid");
        chart_marker(b, m, svg_map(&ic->sx, fi->value[m]), y, 5);
    }
    if (fi->has_smp) {
        text_at(b, ML - 10, y + 4, "end", "sm", "smp");
        line(b, ML, y, W - MR, y, "grid");
        chart_marker(b, PL_MODEL_COUNT, svg_map(&ic->sx, fi->smp_mode), y, 5);
        y += ROW_H;
    }
    if (is->has_status_quo) {
        text_at(b, ML - 10, y + 4, "end", "sm", "status quo");
        line(b, ML, y, W - MR, y, "grid");
        double x = svg_map(&ic->sx, is->status_quo);
        line(b, x, y - 6, x, y + 6, "sq");
        y += ROW_H;
    }
    if (ic->has_band) {
        char name[64];
        snprintf(name, sizeof name, "80%% of runs (%s)", pl_model_name(ic->lead));
        text_at(b, ML - 10, y + 4, "end", "sm", name);
        band_rect(b, &ic->sx, &ic->band, y - 5, 10);
        double xm = svg_map(&ic->sx, ic->band.median);
        line(b, xm, y - 6, xm, y + 6, "ax");
    }
}

double chart_issue(buf *b, chart_ctx *c, size_t issue) {
    const pl_report_figures *f = c->f;
    const pl_scenario *s = f->scenario;
    if (!f->forecast || issue >= pl_forecast_n_issues(f->forecast)) return 0;
    issue_chart ic = {.s = s, .issue = issue, .n_actors = pl_scenario_n_actors(s)};
    ic.is = pl_scenario_issue(s, issue);
    ic.fi = pl_forecast_issue(f->forecast, issue);
    const pl_issue *is = ic.is;
    size_t cap = ic.n_actors ? ic.n_actors : 1;
    double *pos = pl__malloc(cap * sizeof *pos), *wt = pl__malloc(cap * sizeof *wt);
    size_t *act = pl__malloc(cap * sizeof *act), *scratch = pl__malloc(2 * cap * sizeof *scratch);
    svg_label *lab = pl__calloc(cap, sizeof *lab);
    size_t *order = pl__malloc(cap * sizeof *order);
    if (!pos || !wt || !act || !scratch || !lab || !order) {
        c->failed = 1;
        pl__free(pos), pl__free(wt), pl__free(act), pl__free(scratch), pl__free(lab),
            pl__free(order);
        return 0;
    }
    size_t n = pl_scenario_issue_stakes(s, issue, pos, wt, act);
    ic.n = n, ic.pos = pos, ic.wt = wt, ic.act = act, ic.lab = lab;
    for (size_t i = 0; i < n; i++)
        if (wt[i] > ic.wmax) ic.wmax = wt[i];
    ic.sx = (svg_scale){is->min, is->max, ISSUE_ML, CHART_W - ISSUE_MR};
    ic.rmax = n > 40 ? 9 : n > 15 ? 12 : 15;
    size_t shown;
    int lanes = place_actor_labels(&ic, scratch, &shown);
    ic.y_lab0 = 10 + 14.0 * lanes;
    ic.y_dots = ic.y_lab0 + 6 + ic.rmax, ic.y_axis = ic.y_dots + ic.rmax + 6;
    /* option labels (or the scale's ends) below the axis */
    ic.n_opt = is->n_options;
    ic.olab = ic.n_opt ? pl__calloc(ic.n_opt, sizeof *ic.olab) : NULL;
    size_t *oscratch = ic.n_opt ? pl__malloc(2 * ic.n_opt * sizeof *oscratch) : NULL;
    if (ic.n_opt && (!ic.olab || !oscratch)) {
        c->failed = 1;
        ic.n_opt = 0;
    }
    int olanes = place_option_labels(&ic, oscratch);
    ic.y_models = ic.y_axis + 32 + 13.0 * olanes + 8;
    ic.lead = chart_lead_model(f, &c->failed);
    ic.has_band = chart_band(f, issue, ic.lead, &ic.band, &c->failed);
    size_t n_rows = PL_MODEL_COUNT + (size_t)(ic.fi->has_smp != 0) +
                    (size_t)(is->has_status_quo != 0) + (size_t)ic.has_band;
    double H = ic.y_models + ROW_H * (double)n_rows + 10;

    issue_open(b, c, &ic, H);
    issue_backdrop(b, &ic);
    issue_axis(b, &ic);
    issue_dots(b, c, &ic, order);
    issue_labels(b, &ic);
    issue_rows(b, &ic);
    if (shown < n) {
        char note[96];
        snprintf(note, sizeof note, "%zu of %zu actors labelled (the largest)", shown, n);
        text_at(b, CHART_W - ISSUE_MR, H - 4, "end", "tk", note);
    }
    buf_puts(b, "</svg>\n");
    pl__free(pos), pl__free(wt), pl__free(act), pl__free(scratch), pl__free(lab), pl__free(order);
    pl__free(ic.olab), pl__free(oscratch);
    return H;
}

/* ------------------------------------------------------------------------
** Trajectories: position per actor per step, the forecast emphasised
*/
typedef struct traj {
    const char *id, *title, *x_name;
    size_t n_series, n_steps; /* steps 0 .. n_steps - 1 */
    const double *y;          /* n_series x n_steps, on the issue's scale */
    const double *weight;     /* n_series: who gets colour and a label first */
    const size_t *actor;      /* n_series: the scenario's actor */
    const double *emph;       /* n_steps: the forecast line (NULL: none) */
    const char *emph_name;
    const double *emph2; /* a second, dashed (NULL: none) */
    const char *emph2_name;
} traj;

static void polyline(buf *b, const svg_scale *sx, const svg_scale *sy, const double *y, size_t n,
                     const char *cls, const char *colour) {
    buf_printf(b, "<polyline class=\"%s\"", cls);
    if (colour) buf_printf(b, " stroke=\"%s\"", colour);
    buf_puts(b, " points=\"");
    for (size_t t = 0; t < n; t++) {
        if (t) buf_putc(b, ' ');
        svg_num(b, svg_map(sx, (double)t));
        buf_putc(b, ',');
        svg_num(b, svg_map(sy, y[t]));
    }
    buf_puts(b, "\"/>");
}

#define TRAJ_H 320.0
#define TRAJ_ML 52.0
#define TRAJ_MR 170.0 /* room for the end labels */
#define TRAJ_MT 12.0
#define TRAJ_MB 40.0

/* A trajectory chart's scratch: the end labels' places and who they name. */
typedef struct traj_work {
    double *ly, *mean;
    size_t *scratch, *who;
    size_t *rank; /* the series by weight, largest first */
} traj_work;

/* The series, the largest drawn last, on top; the 7 largest get a colour
** of their own. */
static void traj_series(buf *b, const pl_scenario *s, const traj *t, const svg_scale *sx,
                        const svg_scale *sy, const size_t *rank) {
    size_t n_actors = pl_scenario_n_actors(s);
    for (size_t oi = t->n_series; oi-- > 0;) {
        size_t i = rank[oi];
        const char *col = n_actors <= 8 ? svg_colour(t->actor[i])
                          : oi < 7      ? svg_colour(oi)
                                        : "#bbb";
        buf_puts(b, "<g><title>");
        svg_escape(b, actor_label(pl_scenario_actor(s, t->actor[i])));
        buf_puts(b, "</title>");
        polyline(b, sx, sy, t->y + i * t->n_steps, t->n_steps, "traj", col);
        buf_puts(b, "</g>");
    }
    buf_putc(b, '\n');
}

/* The line an end label names: the forecast (SIZE_MAX), the second line
** (SIZE_MAX - 1) or a series. */
static const double *traj_line(const traj *t, size_t who) {
    return who == SIZE_MAX ? t->emph : who == SIZE_MAX - 1 ? t->emph2 : t->y + who * t->n_steps;
}

/* The end labels: the forecast first, then the largest actors, as many as
** fit at 13 px apart.  Returns how many. */
static size_t traj_end_labels(buf *b, const pl_scenario *s, const traj *t, const svg_scale *sy,
                              const traj_work *w) {
    const double W = CHART_W, H = TRAJ_H, MR = TRAJ_MR, MT = TRAJ_MT, MB = TRAJ_MB;
    size_t last = t->n_steps ? t->n_steps - 1 : 0;
    size_t fit = (size_t)((H - MB - MT) / 13);
    size_t n_lab = 0;
    if (t->emph) w->who[n_lab++] = SIZE_MAX;
    if (t->emph2) w->who[n_lab++] = SIZE_MAX - 1;
    for (size_t oi = 0; oi < t->n_series && n_lab < fit; oi++) w->who[n_lab++] = w->rank[oi];
    for (size_t k = 0; k < n_lab; k++) w->ly[k] = svg_map(sy, traj_line(t, w->who[k])[last]) + 4;
    svg_spread(w->ly, n_lab, 13, MT + 4, H - MB + 4, w->scratch, w->mean);
    for (size_t k = 0; k < n_lab; k++) {
        const double *yy = traj_line(t, w->who[k]);
        double y_end = svg_map(sy, yy[last]);
        line(b, W - MR + 2, y_end, W - MR + 10, w->ly[k] - 4, "lead");
        char val[40];
        snprintf(val, sizeof val, " %.4g", yy[last]);
        buf_puts(b, "<text class=\"sm\" x=\"");
        svg_num(b, W - MR + 12);
        buf_puts(b, "\" y=\"");
        svg_num(b, w->ly[k]);
        buf_puts(b, "\">");
        if (w->who[k] >= SIZE_MAX - 1) {
            buf_puts(b, "<tspan font-weight=\"bold\">");
            svg_escape_cut(b, w->who[k] == SIZE_MAX ? t->emph_name : t->emph2_name, 18);
            buf_puts(b, "</tspan>");
        } else {
            svg_escape_cut(b, actor_label(pl_scenario_actor(s, t->actor[w->who[k]])), 18);
        }
        svg_escape(b, val);
        buf_puts(b, "</text>");
    }
    return n_lab;
}

static double chart_traj(buf *b, chart_ctx *c, const pl_issue *is, const traj *t) {
    const pl_scenario *s = c->f->scenario;
    const double W = CHART_W, H = TRAJ_H, ML = TRAJ_ML, MR = TRAJ_MR, MT = TRAJ_MT, MB = TRAJ_MB;
    size_t ns = t->n_series, nl = ns + 2;
    traj_work w;
    w.ly = pl__malloc(nl * sizeof *w.ly), w.mean = pl__malloc(nl * sizeof *w.mean);
    w.scratch = pl__malloc(2 * nl * sizeof *w.scratch), w.who = pl__malloc(nl * sizeof *w.who);
    w.rank = pl__malloc((ns ? ns : 1) * sizeof *w.rank);
    if (!w.ly || !w.mean || !w.scratch || !w.who || !w.rank) {
        c->failed = 1;
        pl__free(w.ly), pl__free(w.mean), pl__free(w.scratch), pl__free(w.who), pl__free(w.rank);
        return 0;
    }
    size_t last = t->n_steps ? t->n_steps - 1 : 0;
    svg_scale sx = {0, (double)(last ? last : 1), ML, W - MR};
    svg_scale sy = {is->min, is->max, H - MB, MT};
    chart_open(b, W, H, "traj-chart", t->id, t->title);
    axis_y(b, &sy, ML, W - MR, is->min, is->max);
    axis_x(b, &sx, H - MB, 0, (double)(last ? last : 1), last < 10 ? (last ? last : 1) : 10);
    text_at(b, (ML + W - MR) / 2, H - 6, "middle", "tk", t->x_name);
    rank_by_weight(t->weight, ns, w.rank);
    traj_series(b, s, t, &sx, &sy, w.rank);
    if (t->emph2) polyline(b, &sx, &sy, t->emph2, t->n_steps, "emph2", NULL);
    if (t->emph) polyline(b, &sx, &sy, t->emph, t->n_steps, "emph", NULL);
    size_t n_lab = traj_end_labels(b, s, t, &sy, &w);
    if (n_lab < ns + (t->emph != NULL) + (t->emph2 != NULL)) {
        char note[80];
        snprintf(note, sizeof note, "%zu of %zu actors named (the largest)",
                 n_lab - (t->emph != NULL) - (t->emph2 != NULL), ns);
        text_at(b, W - 4, H - 6, "end", "tk", note);
    }
    buf_puts(b, "</svg>\n");
    pl__free(w.ly), pl__free(w.mean), pl__free(w.scratch), pl__free(w.who), pl__free(w.rank);
    return H;
}

double chart_eum(buf *b, chart_ctx *c, size_t issue) {
    const pl_report_figures *f = c->f;
    if (!f->eum || issue >= pl_eum_trace_n_issues(f->eum)) return 0;
    const size_t *actors;
    size_t n;
    const pl_eum_result *res = pl_eum_trace_issue(f->eum, issue, &actors, &n);
    if (!res || n == 0) return 0;
    const pl_issue *is = pl_scenario_issue(f->scenario, issue);
    size_t steps = pl_eum_result_n_rounds(res) + 1;
    double *y = pl__malloc(n * steps * sizeof *y), *w = pl__malloc(n * sizeof *w);
    double *med = pl__malloc(steps * sizeof *med), *mean = pl__malloc(steps * sizeof *mean);
    if (!y || !w || !med || !mean) {
        c->failed = 1;
        pl__free(y), pl__free(w), pl__free(med), pl__free(mean);
        return 0;
    }
    for (size_t r = 0; r < steps; r++) {
        const double *p = pl_eum_result_positions(res, r);
        for (size_t i = 0; i < n; i++) y[i * steps + r] = p ? p[i] : 0;
        med[r] = pl_eum_result_median(res, r);
        mean[r] = pl_eum_result_mean(res, r);
    }
    for (size_t i = 0; i < n; i++) {
        const pl_position *ps = pl_scenario_stake(f->scenario, actors[i], issue);
        w[i] = pl_scenario_actor(f->scenario, actors[i])->capability * (ps ? ps->salience : 0);
    }
    char id[96];
    snprintf(id, sizeof id, "eum-%s", is->id);
    buf title = {0};
    buf_printf(&title,
               "The expected utility model on \xe2\x80\x9c%s\xe2\x80\x9d, round by round: each "
               "actor's position; the forecast (weighted median) in bold, the weighted mean dashed",
               is->name);
    traj t = {id,  title.data ? title.data : "", "round", n,     steps, y, w, actors,
              med, "forecast (median)",          mean,    "mean"};
    if (title.oom) c->failed = 1;
    double h = chart_traj(b, c, is, &t);
    buf_free(&title);
    pl__free(y), pl__free(w), pl__free(med), pl__free(mean);
    return h;
}

double chart_smp(buf *b, chart_ctx *c, size_t issue) {
    const pl_report_figures *f = c->f;
    if (!f->smp || !f->smp_data || issue >= pl_smp_result_n_dims(f->smp) ||
        pl_smp_data_n_dims(f->smp_data) != pl_smp_result_n_dims(f->smp))
        return 0;
    const pl_issue *is = pl_scenario_issue(f->scenario, issue);
    size_t n = pl_smp_result_n_actors(f->smp), steps = pl_smp_result_n_turns(f->smp) + 1;
    size_t nd = pl_smp_result_n_dims(f->smp);
    double *y = pl__malloc((n ? n : 1) * steps * sizeof *y),
           *w = pl__malloc((n ? n : 1) * sizeof *w);
    double *mean = pl__malloc(steps * sizeof *mean), *mode = pl__malloc(steps * sizeof *mode);
    size_t *actors = pl__malloc((n ? n : 1) * sizeof *actors);
    if (!y || !w || !mean || !mode || !actors) {
        c->failed = 1;
        pl__free(y), pl__free(w), pl__free(mean), pl__free(mode), pl__free(actors);
        return 0;
    }
    double span = is->max - is->min;
    for (size_t t = 0; t < steps; t++) {
        for (size_t i = 0; i < n; i++) {
            const double *p = pl_smp_result_position(f->smp, t, i);
            y[i * steps + t] = is->min + (p ? p[issue] : 0) / 100 * span;
        }
        const double *m = pl_smp_result_mean(f->smp, t);
        mean[t] = is->min + (m ? m[issue] : 0) / 100 * span;
        size_t mp = pl_smp_result_most_probable(f->smp, t);
        const pl_smp_outcome *o = pl_smp_result_outcome(f->smp, t, mp);
        mode[t] = o && o->position ? is->min + o->position[issue] / 100 * span : mean[t];
    }
    (void)nd;
    for (size_t i = 0; i < n; i++) {
        actors[i] = pl_smp_data_source_actor(f->smp_data, i);
        w[i] = pl_smp_data_capability(f->smp_data, i) * pl_smp_data_salience(f->smp_data, i, issue);
    }
    char id[96];
    snprintf(id, sizeof id, "smp-%s", is->id);
    buf title = {0};
    buf_printf(&title,
               "The spatial model of politics on \xe2\x80\x9c%s\xe2\x80\x9d, turn by turn: each "
               "actor's position; the most probable outcome in bold, the probability-weighted "
               "mean dashed",
               is->name);
    traj t = {id,     title.data ? title.data : "",
              "turn", n,
              steps,  y,
              w,      actors,
              mode,   "most probable",
              mean,   "mean"};
    if (title.oom) c->failed = 1;
    double h = chart_traj(b, c, is, &t);
    buf_free(&title);
    pl__free(y), pl__free(w), pl__free(mean), pl__free(mode), pl__free(actors);
    return h;
}

/* ------------------------------------------------------------------------
** Sensitivity: a tornado per issue
*/
#define TORNADO_TOP 10

double chart_tornado(buf *b, chart_ctx *c, size_t issue) {
    const pl_report_figures *f = c->f;
    if (!f->sensitivity) return 0;
    size_t n;
    const pl_swing *sw = pl_sensitivity_swings(f->sensitivity, issue, &n);
    if (!sw || n == 0) return 0;
    if (n > TORNADO_TOP) n = TORNADO_TOP;
    const pl_scenario *s = f->scenario;
    const pl_issue *is = pl_scenario_issue(s, issue);
    double base = (sw[0].forecast_low + sw[0].forecast_high) / 2;
    if (f->sensitivity_model == PL_MC_EXCHANGE && f->exchange &&
        issue < pl_exchange_scenario_n_issues(f->exchange))
        base = pl_exchange_scenario_forecast(f->exchange, issue);
    else if ((unsigned)f->sensitivity_model < PL_MODEL_COUNT && f->forecast &&
             issue < pl_forecast_n_issues(f->forecast))
        base = pl_forecast_issue(f->forecast, issue)->value[f->sensitivity_model];
    double lo = base, hi = base;
    for (size_t k = 0; k < n; k++) {
        lo = fmin(lo, fmin(sw[k].forecast_low, sw[k].forecast_high));
        hi = fmax(hi, fmax(sw[k].forecast_low, sw[k].forecast_high));
    }
    double pad = (hi - lo) * 0.08;
    if (!(pad > 0)) pad = (is->max - is->min) * 0.02;
    lo -= pad, hi += pad;
    const double W = CHART_W, ML = 250, MR = 24, MT = 26, BAR = 20;
    double H = MT + BAR * (double)n + 44;
    svg_scale sx = {lo, hi, ML, W - MR};
    char id[96];
    snprintf(id, sizeof id, "tornado-%s", is->id);
    buf title = {0};
    buf_printf(&title,
               "Sensitivity of the %s forecast on \xe2\x80\x9c%s\xe2\x80\x9d: the %zu inputs "
               "that move it most, each swung alone (orange: the input's low value, blue: its "
               "high value)",
               pl_mc_model_name(f->sensitivity_model), is->name, n);
    if (title.oom) c->failed = 1;
    chart_open(b, W, H, "tornado-chart", id, title.data ? title.data : "");
    buf_free(&title);
    axis_x(b, &sx, MT + BAR * (double)n + 4, lo, hi, 6);
    static const char *const what[] = {"position", "salience", "capability"};
    for (size_t k = 0; k < n; k++) {
        double y = MT + BAR * (double)k;
        const pl_actor *a = pl_scenario_actor(s, sw[k].actor);
        char name[160];
        if (f->sensitivity_model == PL_MC_EXCHANGE && sw[k].issue != SIZE_MAX) /* linked */
            snprintf(name, sizeof name, "%.40s \xc2\xb7 %s on %.24s %.4g\xe2\x80\x93%.4g",
                     actor_label(a), what[sw[k].what % 3], pl_scenario_issue(s, sw[k].issue)->id,
                     sw[k].low, sw[k].high);
        else
            snprintf(name, sizeof name, "%.40s \xc2\xb7 %s %.4g\xe2\x80\x93%.4g", actor_label(a),
                     what[sw[k].what % 3], sw[k].low, sw[k].high);
        text_at(b, ML - 8, y + BAR / 2 + 4, "end", "sm", name);
        double xb = svg_map(&sx, base);
        for (int side = 0; side < 2; side++) {
            double v = side ? sw[k].forecast_high : sw[k].forecast_low;
            double x = svg_map(&sx, v);
            double x0 = fmin(x, xb), w = fabs(x - xb);
            buf_printf(b, "<rect class=\"%s\" x=\"", side ? "hi" : "lo");
            svg_num(b, x0);
            buf_puts(b, "\" y=\"");
            svg_num(b, y + 3 + (side ? (BAR - 6) / 2 : 0));
            buf_puts(b, "\" width=\"");
            svg_num(b, w > 0.5 ? w : 0.5);
            buf_puts(b, "\" height=\"");
            svg_num(b, (BAR - 6) / 2);
            buf_printf(b, "\"><title>%s %s %.6g: forecast %.6g</title></rect>",
                       side ? "high" : "low", what[sw[k].what % 3], side ? sw[k].high : sw[k].low,
                       v);
        }
    }
    double xb = svg_map(&sx, base);
    line(b, xb, MT - 6, xb, MT + BAR * (double)n + 4, "ax");
    char lbl[64];
    snprintf(lbl, sizeof lbl, "forecast %.4g", base);
    text_at(b, xb, MT - 10, "middle", "tk", lbl);
    buf_puts(b, "</svg>\n");
    return H;
}

/* ------------------------------------------------------------------------
** The agreement space
*/
#define FRONTIER_LINES_MAX 600

static const char *const solution_names[] = {"Nash", "Kalai-Smorodinsky", "egalitarian",
                                             "max welfare"};

/* A panel of the agreement space: its figures and scales. */
typedef struct space_pane {
    const pl_report_figures *f;
    size_t p, q;
    svg_scale sx, sy;
    int big; /* the one panel of two parties: larger, labelled */
} space_pane;

/* The grid, the axes and their names. */
static void pane_axes(buf *b, const space_pane *pn) {
    const pl_space *sp = pn->f->space;
    const svg_scale *sx = &pn->sx, *sy = &pn->sy;
    int big = pn->big;
    double ticks[8], step;
    size_t nt = svg_ticks(0, 1, big ? 5 : 2, ticks, 8, &step);
    for (size_t i = 0; i < nt; i++) {
        char s[16];
        svg_tick_label(s, sizeof s, ticks[i], step);
        line(b, svg_map(sx, ticks[i]), sy->r0, svg_map(sx, ticks[i]), sy->r1, "grid");
        line(b, sx->r0, svg_map(sy, ticks[i]), sx->r1, svg_map(sy, ticks[i]), "grid");
        text_at(b, svg_map(sx, ticks[i]), sy->r0 + 14, "middle", "tk", s);
        text_at(b, sx->r0 - 4, svg_map(sy, ticks[i]) + 4, "end", "tk", s);
    }
    line(b, sx->r0, sy->r0, sx->r1, sy->r0, "ax");
    line(b, sx->r0, sy->r0, sx->r0, sy->r1, "ax");
    char axis[160];
    snprintf(axis, sizeof axis, "utility of %.60s", pl_space_party(sp, pn->p));
    text_at(b, (sx->r0 + sx->r1) / 2, sy->r0 + (big ? 32 : 27), "middle", "sm", axis);
    snprintf(axis, sizeof axis, "utility of %.60s", pl_space_party(sp, pn->q));
    buf_puts(b, "<text class=\"sm\" text-anchor=\"middle\" transform=\"translate(");
    svg_num(b, sx->r0 - (big ? 34 : 24));
    buf_putc(b, ' ');
    svg_num(b, (sy->r0 + sy->r1) / 2);
    buf_puts(b, ") rotate(-90)\">");
    svg_escape(b, axis);
    buf_puts(b, "</text>\n");
}

/* The cloud of sampled packages: one path of small squares. */
static void pane_cloud(buf *b, const space_pane *pn) {
    const pl_deals_sample *sample = pn->f->sample;
    size_t ns = pl_deals_sample_n(sample);
    if (!ns) return;
    buf_puts(b, "<path class=\"cloud\" d=\"");
    double s = pn->big ? 2.2 : 1.6;
    for (size_t i = 0; i < ns; i++) {
        const double *u = pl_deals_sample_utility(sample, i);
        buf_putc(b, 'M');
        svg_num(b, svg_map(&pn->sx, u[pn->p]) - s / 2);
        buf_putc(b, ' ');
        svg_num(b, svg_map(&pn->sy, u[pn->q]) - s / 2);
        buf_printf(b, "h%.1fv%.1fh-%.1fz", s, s, s);
    }
    buf_puts(b, "\"/>\n");
}

/* The frontier: a line for two parties, points for a pair of many. */
static void pane_frontier(buf *b, const space_pane *pn) {
    const pl_deals *d = pn->f->deals;
    size_t p = pn->p, q = pn->q;
    size_t nf = pl_deals_n_frontier(d);
    if (pl_space_n_parties(pn->f->space) == 2 && nf) {
        buf_puts(b, "<polyline class=\"front\" points=\"");
        for (size_t i = 0; i < nf; i++) {
            const pl_deal *dl = pl_deals_frontier(d, i);
            if (i) buf_putc(b, ' ');
            svg_num(b, svg_map(&pn->sx, dl->utility[p]));
            buf_putc(b, ',');
            svg_num(b, svg_map(&pn->sy, dl->utility[q]));
        }
        buf_puts(b, "\"/>\n");
    }
    buf_puts(b, "<path fill=\"#0072B2\" d=\"");
    for (size_t i = 0; i < nf; i++) {
        const pl_deal *dl = pl_deals_frontier(d, i);
        double r = pn->big ? 2.2 : 1.5;
        buf_putc(b, 'M');
        svg_num(b, svg_map(&pn->sx, dl->utility[p]) - r);
        buf_putc(b, ' ');
        svg_num(b, svg_map(&pn->sy, dl->utility[q]));
        buf_printf(b, "a%.1f %.1f 0 1 0 %.1f 0a%.1f %.1f 0 1 0 -%.1f 0z", r, r, 2 * r, r, r, 2 * r);
    }
    buf_puts(b, "\"/>\n");
}

/* The solutions, with labels placed apart (on the big panel only). */
static void pane_solutions(buf *b, const space_pane *pn) {
    const pl_deals *d = pn->f->deals;
    int big = pn->big;
    svg_label lab[PL_SOL_COUNT];
    size_t scratch[2 * PL_SOL_COUNT], k_of[PL_SOL_COUNT];
    size_t nl = 0;
    for (int sol = 0; sol < PL_SOL_COUNT; sol++) {
        if (!pl_deals_n_solution(d, (pl_solution)sol)) continue;
        const pl_deal *dl = pl_deals_frontier(d, pl_deals_solution(d, (pl_solution)sol, 0));
        double x = svg_map(&pn->sx, dl->utility[pn->p]), y = svg_map(&pn->sy, dl->utility[pn->q]);
        chart_marker(b, (size_t)sol + 1, x, y, big ? 6 : 4);
        memset(&lab[nl], 0, sizeof lab[nl]);
        lab[nl].want_x = x;
        lab[nl].want_y = y - 10;
        lab[nl].w = svg_text_width(solution_names[sol], 11) + 2;
        lab[nl].h = 12;
        lab[nl].priority = (double)(PL_SOL_COUNT - sol);
        k_of[nl++] = (size_t)sol;
    }
    if (big) {
        svg_place_labels(lab, nl, pn->sx.r0, pn->sx.r1, -13, 4, 40, 1, scratch);
        for (size_t k = 0; k < nl; k++)
            if (lab[k].shown)
                text_at(b, lab[k].x, lab[k].y, "middle", "sm", solution_names[k_of[k]]);
    }
}

/* One panel: utilities of parties p (x) and q (y), at (x0, y0), size sz. */
static void space_panel(buf *b, chart_ctx *c, size_t p, size_t q, double x0, double y0, double sz,
                        int big) {
    double m = big ? 48 : 34;
    space_pane pn = {c->f, p, q, {0, 1, x0 + m, x0 + sz - 8}, {0, 1, y0 + sz - m, y0 + 8}, big};
    const pl_deals *d = c->f->deals;
    pane_axes(b, &pn);
    pane_cloud(b, &pn);
    /* reservation lines */
    double rp = pl_deals_disagreement(d, p), rq = pl_deals_disagreement(d, q);
    line(b, svg_map(&pn.sx, rp), pn.sy.r0, svg_map(&pn.sx, rp), pn.sy.r1, "res");
    line(b, pn.sx.r0, svg_map(&pn.sy, rq), pn.sx.r1, svg_map(&pn.sy, rq), "res");
    pane_frontier(b, &pn);
    pane_solutions(b, &pn);
}

#define PAR_H 420.0
#define PAR_ML 60.0
#define PAR_MR 60.0
#define PAR_MT 60.0
#define PAR_MB 70.0

/* The agreement space of many parties: an axis per party, dx apart, each
** on the utility scale sy. */
typedef struct parallel {
    const pl_report_figures *f;
    size_t np;
    double dx;
    svg_scale sy;
} parallel;

/* The axes, the party names (placed apart) and the utility grid. */
static void parallel_axes(buf *b, const parallel *pc, svg_label *lab, size_t *scratch) {
    const double W = CHART_W, ML = PAR_ML, MR = PAR_MR, MT = PAR_MT;
    const pl_space *sp = pc->f->space;
    size_t np = pc->np;
    for (size_t p = 0; p < np; p++) {
        double x = ML + pc->dx * (double)p;
        line(b, x, pc->sy.r0, x, pc->sy.r1, "ax");
        lab[p].want_x = x;
        lab[p].want_y = MT - 12;
        lab[p].w = fmin(svg_text_width(pl_space_party(sp, p), 12), 160) + 4;
        lab[p].h = 13;
        lab[p].priority = (double)(np - p);
    }
    svg_place_labels(lab, np, 2, W - 2, -14, 3, 30, 2, scratch);
    for (size_t p = 0; p < np; p++) {
        if (!lab[p].shown) continue;
        buf_puts(b, "<text class=\"lb\" text-anchor=\"middle\" x=\"");
        svg_num(b, lab[p].x);
        buf_puts(b, "\" y=\"");
        svg_num(b, lab[p].y);
        buf_puts(b, "\">");
        svg_escape_cut(b, pl_space_party(sp, p), 24);
        buf_puts(b, "</text>");
    }
    double ticks[8], step;
    size_t nt = svg_ticks(0, 1, 5, ticks, 8, &step);
    for (size_t i = 0; i < nt; i++) {
        char s[16];
        svg_tick_label(s, sizeof s, ticks[i], step);
        text_at(b, ML - 6, svg_map(&pc->sy, ticks[i]) + 4, "end", "tk", s);
        line(b, ML, svg_map(&pc->sy, ticks[i]), W - MR, svg_map(&pc->sy, ticks[i]), "grid");
    }
    buf_putc(b, '\n');
}

/* The frontier, evenly thinned beyond FRONTIER_LINES_MAX lines, the
** rational packages on top.  Returns how many lines it drew. */
static size_t parallel_frontier(buf *b, const parallel *pc, size_t every) {
    const pl_deals *d = pc->f->deals;
    size_t nf = pl_deals_n_frontier(d);
    size_t drawn = 0;
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < nf; i += every) {
            const pl_deal *dl = pl_deals_frontier(d, i);
            if (dl->rational != pass) continue;
            drawn++;
            buf_printf(b, "<polyline class=\"%s\" points=\"", pass ? "pcr" : "pc");
            for (size_t p = 0; p < pc->np; p++) {
                if (p) buf_putc(b, ' ');
                svg_num(b, PAR_ML + pc->dx * (double)p);
                buf_putc(b, ',');
                svg_num(b, svg_map(&pc->sy, dl->utility[p]));
            }
            buf_puts(b, "\"/>");
        }
    buf_putc(b, '\n');
    return drawn;
}

/* Each party's reservation utility: a thick tick on its axis. */
static void parallel_reservations(buf *b, const parallel *pc) {
    const pl_deals *d = pc->f->deals;
    for (size_t p = 0; p < pc->np; p++) {
        double x = PAR_ML + pc->dx * (double)p, y = svg_map(&pc->sy, pl_deals_disagreement(d, p));
        buf_puts(b, "<line class=\"res\" style=\"stroke-dasharray:none;stroke-width:3\" x1=\"");
        svg_num(b, x - 7);
        buf_puts(b, "\" x2=\"");
        svg_num(b, x + 7);
        buf_puts(b, "\" y1=\"");
        svg_num(b, y);
        buf_puts(b, "\" y2=\"");
        svg_num(b, y);
        buf_printf(b, "\"><title>%s: reservation %.4g</title></line>",
                   pl_space_party(pc->f->space, p), pl_deals_disagreement(d, p));
    }
}

/* The solutions: a thick line each, markers on the axes, a legend below. */
static void parallel_solutions(buf *b, const parallel *pc) {
    const double H = PAR_H, ML = PAR_ML;
    const pl_deals *d = pc->f->deals;
    size_t np = pc->np;
    double lx = ML;
    for (int sol = 0; sol < PL_SOL_COUNT; sol++) {
        if (!pl_deals_n_solution(d, (pl_solution)sol)) continue;
        const pl_deal *dl = pl_deals_frontier(d, pl_deals_solution(d, (pl_solution)sol, 0));
        buf_printf(b, "<polyline fill=\"none\" stroke-width=\"2.2\" stroke=\"%s\" points=\"",
                   chart_model_colour((size_t)sol + 1));
        for (size_t p = 0; p < np; p++) {
            if (p) buf_putc(b, ' ');
            svg_num(b, ML + pc->dx * (double)p + (double)(sol - 2) * 2);
            buf_putc(b, ',');
            svg_num(b, svg_map(&pc->sy, dl->utility[p]));
        }
        buf_printf(b, "\"><title>%s package</title></polyline>", solution_names[sol]);
        for (size_t p = 0; p < np; p++)
            chart_marker(b, (size_t)sol + 1, ML + pc->dx * (double)p + (double)(sol - 2) * 2,
                         svg_map(&pc->sy, dl->utility[p]), 3.5);
        chart_marker(b, (size_t)sol + 1, lx + 6, H - 24, 5);
        text_at(b, lx + 16, H - 20, "start", "sm", solution_names[sol]);
        lx += 32 + svg_text_width(solution_names[sol], 11);
    }
}

static double space_parallel(buf *b, chart_ctx *c) {
    const pl_report_figures *f = c->f;
    size_t np = pl_space_n_parties(f->space), nf = pl_deals_n_frontier(f->deals);
    const double W = CHART_W, H = PAR_H, ML = PAR_ML, MR = PAR_MR, MT = PAR_MT, MB = PAR_MB;
    parallel pc = {f, np, np > 1 ? (W - ML - MR) / (double)(np - 1) : 0, {0, 1, H - MB, MT}};
    char title[256];
    snprintf(title, sizeof title,
             "The agreement space of %zu parties: each Pareto-frontier package a line through "
             "the parties' utilities (blue: every party above its reservation, red ticks), the "
             "Nash, Kalai-Smorodinsky, egalitarian and max-welfare packages marked",
             np);
    chart_open(b, W, H, "space-chart", "space", title);
    svg_label *lab = pl__calloc(np, sizeof *lab);
    size_t *scratch = pl__malloc(2 * np * sizeof *scratch);
    if (!lab || !scratch) {
        c->failed = 1;
        pl__free(lab), pl__free(scratch);
        buf_puts(b, "</svg>\n");
        return H;
    }
    parallel_axes(b, &pc, lab, scratch);
    size_t every = nf > FRONTIER_LINES_MAX ? (nf + FRONTIER_LINES_MAX - 1) / FRONTIER_LINES_MAX : 1;
    size_t drawn = parallel_frontier(b, &pc, every);
    parallel_reservations(b, &pc);
    parallel_solutions(b, &pc);
    char note[120];
    snprintf(note, sizeof note, "%zu of %zu frontier packages drawn%s", drawn, nf,
             every > 1 ? " (evenly spaced in frontier order)" : "");
    text_at(b, W - 4, H - 4, "end", "tk", note);
    buf_puts(b, "</svg>\n");
    pl__free(lab), pl__free(scratch);
    return H;
}

double chart_space(buf *b, chart_ctx *c) {
    const pl_report_figures *f = c->f;
    if (!f->space || !f->deals) return 0;
    size_t np = pl_space_n_parties(f->space);
    if (np < 2) return 0;
    if (np > 4) return space_parallel(b, c);
    size_t ns = pl_deals_sample_n(f->sample);
    uint64_t total = pl_deals_n_outcomes(f->deals);
    char title[400];
    snprintf(title, sizeof title,
             "The agreement space of %s: %s%zu packages in grey%s, the Pareto frontier in blue, "
             "the parties' reservation utilities dashed red, the Nash, Kalai-Smorodinsky, "
             "egalitarian and max-welfare packages marked",
             np == 2 ? "two parties" : "each pair of parties",
             pl_deals_sample_all(f->sample) || !ns ? "" : "a sample of ", ns,
             ns && !pl_deals_sample_all(f->sample) ? " of all" : "");
    (void)total;
    if (np == 2) {
        const double S = 560;
        chart_open(b, S, S + 30, "space-chart", "space", title);
        space_panel(b, c, 0, 1, 0, 0, S, 1);
    } else {
        size_t pairs = np * (np - 1) / 2, cols = 3, rows = (pairs + cols - 1) / cols;
        double S = CHART_W / (double)cols;
        chart_open(b, CHART_W, S * (double)rows + 30, "space-chart", "space", title);
        size_t k = 0;
        for (size_t p = 0; p < np; p++)
            for (size_t q = p + 1; q < np; q++, k++)
                space_panel(b, c, p, q, S * (double)(k % cols), S * (double)(k / cols), S, 0);
    }
    /* legend */
    double H = np == 2 ? 590 : CHART_W / 3 * (double)((np * (np - 1) / 2 + 2) / 3) + 30;
    double lx = 10;
    for (int sol = 0; sol < PL_SOL_COUNT; sol++) {
        chart_marker(b, (size_t)sol + 1, lx + 6, H - 12, 5);
        text_at(b, lx + 16, H - 8, "start", "sm", solution_names[sol]);
        lx += 30 + svg_text_width(solution_names[sol], 11);
    }
    buf_puts(b, "</svg>\n");
    return H;
}
