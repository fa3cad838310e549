/*
** report_charts.h: the charts of the HTML report and of `--format svg`
** (report_charts.c), each an <svg> element with its own <title> naming what
** it shows and its issue.  They read the figures (parley/report.h) and lay
** them out with svg.c; they compute no model.
*/
#ifndef PL_REPORT_CHARTS_H
#define PL_REPORT_CHARTS_H

#include "core/buf.h"
#include "parley.h"
#include "report/svg.h"

/* How a chart is written: inline in the HTML report (links to the evidence
** table's anchors) or in a standalone SVG document (no links). */
typedef struct chart_ctx {
    const pl_report_figures *f;
    int inline_html;
    int failed; /* set when scratch memory ran out (PL_ENOMEM) */
} chart_ctx;

/* The CSS the charts' classes need: in the HTML page's <style>, and in a
** standalone SVG document's. */
extern const char chart_css[];

/* Each writes one <svg> (nothing when its figures are missing) and returns
** its height in pixels (its width is CHART_W unless said), 0 if nothing. */
#define CHART_W 760.0
double chart_issue(buf *b, chart_ctx *c, size_t issue);
double chart_eum(buf *b, chart_ctx *c, size_t issue);
double chart_smp(buf *b, chart_ctx *c, size_t issue);
double chart_tornado(buf *b, chart_ctx *c, size_t issue);
double chart_space(buf *b, chart_ctx *c);

/* The model a report leads with: the one with the smallest cross-validated
** error on the DEU backtest (docs/backtest.md), among those with figures. */
pl_model chart_lead_model(const pl_report_figures *f, int *failed);
/* The Monte Carlo runs' 80% band of `model` on an issue: 1 and the
** figures, or 0 when there are none.  Both set *failed when memory ran
** out on the way. */
int chart_band(const pl_report_figures *f, size_t issue, pl_model model, pl_mc_stats *st,
               int *failed);

/* The drawing pieces the chart files share (report_sao_html.c draws the
** negotiation's charts with them): an <svg> opened with its title as
** <title> and aria-label; a text; a line of a CSS class; a horizontal axis
** at y with ticks and labels below; a vertical axis at x with grid lines to
** x_end. */
void chart_begin(buf *b, double w, double h, const char *cls, const char *id, const char *title);
void chart_text(buf *b, double x, double y, const char *anchor, const char *cls, const char *s);
void chart_line(buf *b, double x1, double y1, double x2, double y2, const char *cls);
void chart_axis_x(buf *b, const svg_scale *sc, double y, double lo, double hi, size_t target);
void chart_axis_y(buf *b, const svg_scale *sc, double x, double x_end, double lo, double hi);

/* Marker shapes of the models, one each (the legend uses them too). */
void chart_marker(buf *b, size_t model, double x, double y, double size);
const char *chart_model_colour(size_t model);

#endif
