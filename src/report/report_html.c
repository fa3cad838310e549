/*
** report_html.c: the report a person reads (parley/report.h,
** docs/report.md) -- one HTML file, inline CSS and SVG, nothing fetched:
** a summary (each issue's forecast in words on its own scale, how far the
** models agree, the Monte Carlo band, the package deal), a chart per issue,
** the bargaining over rounds, the agreement space, the sensitivity tornado
** and the evidence behind every value.  Also the charts alone as one SVG
** document (pl_report_svg).  It reads the figures it is given; the models
** ran before.
*/
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/buf.h"
#include "parley.h"
#include "report/report_charts.h"
#include "report/report_int.h"
#include "report/svg.h"

void pl_report_figures_init(pl_report_figures *f) {
    if (!f) return;
    memset(f, 0, sizeof *f);
    f->sensitivity_model = PL_MODEL_COMPROMISE;
}

/* ------------------------------------------------------------------------
** The page
*/
static const char page_css[] =
    ":root{color-scheme:light}\n"
    "body{margin:0;background:#fff;color:#1d1d1d;font:16px/1.5 system-ui,-apple-system,"
    "'Segoe UI',Roboto,'Helvetica Neue',Arial,sans-serif}\n"
    "main{max-width:64rem;margin:0 auto;padding:1rem 1.2rem 3rem}\n"
    "h1{font-size:1.7rem;line-height:1.25;margin:.6rem 0}\n"
    "h2{font-size:1.35rem;margin:2.2rem 0 .6rem;border-bottom:2px solid #0072B2;"
    "padding-bottom:.2rem}\n"
    "h3{font-size:1.1rem;margin:1.6rem 0 .3rem}\n"
    ".meta{color:#555;font-size:.9rem}\n"
    ".box{border-left:4px solid #E69F00;background:#fdf6e7;padding:.5rem .9rem;margin:1rem 0}\n"
    "nav ol{columns:2 14rem;padding-left:1.2rem}\n"
    ".wrap{overflow-x:auto;-webkit-overflow-scrolling:touch}\n"
    "svg.chart{display:block;width:100%;height:auto;min-width:34rem;margin:.4rem 0}\n"
    "svg.legend{display:inline-block;vertical-align:middle;max-width:100%;height:auto}\n"
    "figure{margin:1rem 0 1.6rem}\n"
    "figcaption{font-size:.88rem;color:#444}\n"
    "table{border-collapse:collapse;width:100%;font-size:.9rem;margin:.5rem 0}\n"
    "th,td{border-bottom:1px solid #ddd;padding:.3rem .45rem;text-align:left;vertical-align:top}\n"
    "th{background:#f3f5f7}\n"
    "td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}\n"
    "tr:target{background:#fff3c4}\n"
    "q{font-style:italic}\n"
    ".ok{color:#00704f}.warn{color:#a34300}\n"
    "@media (max-width:40rem){main{padding:.6rem}h1{font-size:1.35rem}"
    "table{font-size:.82rem}th,td{padding:.25rem}}\n"
    "@media print{@page{size:A4;margin:14mm}body{font-size:10.5pt}main{max-width:none;padding:0}"
    "nav{display:none}.wrap{overflow:visible}svg.chart{min-width:0;break-inside:avoid}"
    "figure,tr{break-inside:avoid}h2,h3{break-after:avoid}a{color:inherit;text-decoration:none}}\n";

/* A script error shows in the page itself (the browser test reads it);
** nothing else needs JavaScript. */
static const char page_script[] =
    "<script>window.addEventListener('error',function(e){document.documentElement"
    ".setAttribute('data-js-error',String(e.message||e));});</script>\n";

void report_html_open(buf *b, const char *title) {
    buf_puts(b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                "<meta name=\"generator\" content=\"parley ");
    buf_puts(b, pl_version());
    buf_puts(b, "\">\n<title>");
    svg_escape(b, title);
    buf_puts(b, "</title>\n<style>\n");
    buf_puts(b, page_css);
    buf_puts(b, chart_css);
    buf_puts(b, "</style>\n");
    buf_puts(b, page_script);
    buf_puts(b, "</head>\n<body>\n<main>\n");
}

void report_html_close(buf *b, int evidence) {
    buf_printf(b, "<footer class=\"meta\"><p>Made by parley %s. %s", pl_version(),
               evidence ? "Every figure comes from the models named."
                        : "Every figure is computed from the files named above.");
    if (evidence)
        buf_puts(b, " Every value of the scenario is in the evidence table with its quote and "
                    "source or its stated assumption.");
    buf_puts(b, "</p></footer>\n</main>\n</body>\n</html>\n");
}

/* ------------------------------------------------------------------------
** Words
*/
static const char *actor_name(const pl_scenario *s, size_t a) {
    const pl_actor *ac = pl_scenario_actor(s, a);
    return ac->name && *ac->name ? ac->name : ac->id;
}

static void html_num(buf *b, double v) { buf_printf(b, "%.4g", fabs(v) < 5e-13 ? 0 : v); }

/* "42 (nearest option: 'X'; nearer to 'min label' than to 'max label')" */
static void forecast_words(buf *b, const pl_issue *is, double v) {
    buf_puts(b, "<strong>");
    html_num(b, v);
    if (is->unit) {
        buf_putc(b, ' ');
        svg_escape(b, is->unit);
    }
    buf_puts(b, "</strong>");
    double span = is->max - is->min;
    const pl_option *best = NULL;
    for (size_t k = 0; k < is->n_options; k++)
        if (!best || fabs(is->options[k].value - v) < fabs(best->value - v)) best = &is->options[k];
    buf_puts(b, ": ");
    if (best) {
        buf_puts(b, fabs(best->value - v) <= 0.02 * span ? "at " : "nearest option ");
        buf_puts(b, "\xe2\x80\x98");
        svg_escape(b, best->label);
        buf_puts(b, "\xe2\x80\x99");
        buf_puts(b, "; ");
    }
    double mid = (is->min + is->max) / 2;
    if (fabs(v - mid) <= 0.02 * span) {
        buf_puts(b, "halfway between \xe2\x80\x98");
        svg_escape(b, is->min_label ? is->min_label : "the minimum");
        buf_puts(b, "\xe2\x80\x99 and \xe2\x80\x98");
        svg_escape(b, is->max_label ? is->max_label : "the maximum");
        buf_puts(b, "\xe2\x80\x99");
        return;
    }
    int low = v < mid;
    buf_puts(b, "nearer to \xe2\x80\x98");
    svg_escape(b, low ? (is->min_label ? is->min_label : "the minimum")
                      : (is->max_label ? is->max_label : "the maximum"));
    buf_puts(b, "\xe2\x80\x99 than to \xe2\x80\x98");
    svg_escape(b, low ? (is->max_label ? is->max_label : "the maximum")
                      : (is->min_label ? is->min_label : "the minimum"));
    buf_puts(b, "\xe2\x80\x99");
}

/* How far the models' forecasts lie apart, as a share of the scale. */
static void agreement_words(buf *b, const pl_issue *is, const pl_issue_forecast *fi) {
    double lo = fi->value[0], hi = fi->value[0];
    size_t ilo = 0, ihi = 0;
    for (size_t m = 1; m < PL_MODEL_COUNT; m++) {
        if (fi->value[m] < lo) lo = fi->value[m], ilo = m;
        if (fi->value[m] > hi) hi = fi->value[m], ihi = m;
    }
    const char *nlo = pl_model_name((pl_model)ilo), *nhi = pl_model_name((pl_model)ihi);
    if (fi->has_smp && fi->smp_mode < lo) lo = fi->smp_mode, nlo = "smp";
    if (fi->has_smp && fi->smp_mode > hi) hi = fi->smp_mode, nhi = "smp";
    double share = (hi - lo) / (is->max - is->min) * 100;
    const char *verdict = share <= 10   ? "<span class=\"ok\">agree</span>"
                          : share <= 25 ? "differ somewhat"
                                        : "<span class=\"warn\">disagree</span>";
    buf_printf(b, "%s: within %.0f%% of the scale (", verdict, share);
    svg_escape(b, nlo);
    buf_putc(b, ' ');
    html_num(b, lo);
    buf_puts(b, " to ");
    svg_escape(b, nhi);
    buf_putc(b, ' ');
    html_num(b, hi);
    buf_puts(b, ")");
}

static void section_changes(buf *b, const pl_report_figures *f) {
    const pl_scenario *s = f->scenario;
    size_t n = pl_scenario_n_changes(s);
    if (!n) return;
    buf_printf(b,
               "<div class=\"box\"><strong>What-if: %zu change%s applied to the scenario "
               "before every run</strong><ul>",
               n, n == 1 ? "" : "s");
    for (size_t i = 0; i < n; i++) {
        buf one = {0};
        report_change_line(&one, pl_scenario_change(s, i));
        buf_puts(b, "<li>");
        svg_escape(b, one.data ? one.data : "");
        if (one.oom) b->oom = 1;
        buf_free(&one);
        buf_puts(b, "</li>");
    }
    buf_puts(b, "</ul></div>\n");
}

/* The most likely package: the Nash package, else (no package every party
** accepts) the frontier package with the fewest parties below their
** reservation, and who they are. */
static void package_words(buf *b, const pl_report_figures *f) {
    const pl_space *sp = f->space;
    const pl_deals *d = f->deals;
    if (!sp || !d || !pl_deals_n_frontier(d)) return;
    size_t k;
    int rational = pl_deals_n_solution(d, PL_SOL_NASH) > 0;
    if (rational) {
        k = pl_deals_solution(d, PL_SOL_NASH, 0);
    } else {
        k = 0;
        for (size_t i = 1; i < pl_deals_n_frontier(d); i++)
            if (pl_deals_frontier(d, i)->n_blockers < pl_deals_frontier(d, k)->n_blockers) k = i;
    }
    const pl_deal *dl = pl_deals_frontier(d, k);
    buf_printf(b,
               "<p><strong>The most likely package deal</strong> (%s, of %llu packages; "
               "docs/models/deals.md): ",
               rational ? "the Nash bargaining package among those every party prefers to no "
                          "deal"
                        : "no package leaves every party at or above its reservation; this "
                          "frontier package leaves the fewest below",
               (unsigned long long)pl_deals_n_outcomes(d));
    for (size_t i = 0; i < pl_space_n_issues(sp); i++) {
        buf_puts(b, i ? "; " : "");
        svg_escape(b, pl_space_issue(sp, i));
        buf_puts(b, ": \xe2\x80\x98");
        svg_escape(b, pl_space_option(sp, i, dl->choice[i]));
        buf_puts(b, "\xe2\x80\x99");
    }
    buf_puts(b, ". ");
    if (dl->n_blockers) {
        buf_puts(b, "Blocked by (below their reservation): ");
        for (size_t j = 0; j < dl->n_blockers; j++) {
            buf_puts(b, j ? ", " : "");
            svg_escape(b, pl_space_party(sp, dl->blockers[j]));
        }
        buf_puts(b, ".");
    } else {
        buf_printf(b,
                   "Nobody blocks it: every party is at or above its reservation. %llu "
                   "packages (%.1f%%) are in the zone of possible agreement.",
                   (unsigned long long)pl_deals_n_rational(d),
                   pl_deals_n_outcomes(d)
                       ? 100.0 * (double)pl_deals_n_rational(d) / (double)pl_deals_n_outcomes(d)
                       : 0.0);
    }
    buf_puts(b, "</p>\n");
}

static void section_summary(buf *b, chart_ctx *c) {
    const pl_report_figures *f = c->f;
    const pl_scenario *s = f->scenario;
    pl_model lead = chart_lead_model(f, &c->failed);
    buf_puts(b, "<section id=\"summary\"><h2>Summary</h2>\n");
    buf_printf(b,
               "<p>Forecasts of the <strong>%s</strong> model (the models' figures side by "
               "side are in each issue's chart).%s</p>\n",
               pl_model_name(lead),
               f->mc ? "" : " No Monte Carlo runs were made, so there are no bands.");
    buf_puts(b, "<div class=\"wrap\"><table><thead><tr><th>Issue</th><th>Forecast</th>"
                "<th>Do the models agree?</th><th>80% of Monte Carlo runs</th>"
                "<th>Would block a move from the status quo under unanimity</th></tr></thead>"
                "<tbody>\n");
    for (size_t i = 0; i < pl_forecast_n_issues(f->forecast); i++) {
        const pl_issue_forecast *fi = pl_forecast_issue(f->forecast, i);
        const pl_issue *is = pl_scenario_issue(s, fi->issue);
        buf_printf(b, "<tr><td><a href=\"#i-%s\">", is->id);
        svg_escape(b, is->name);
        buf_puts(b, "</a></td><td>");
        if (fi->n_stakes) forecast_words(b, is, fi->value[lead]);
        else buf_puts(b, "nobody has a stake");
        buf_puts(b, "</td><td>");
        if (fi->n_stakes) agreement_words(b, is, fi);
        buf_puts(b, "</td><td class=\"n\">");
        pl_mc_stats st;
        if (chart_band(f, fi->issue, lead, &st, &c->failed)) {
            html_num(b, st.p10);
            buf_puts(b, " \xe2\x80\x93 ");
            html_num(b, st.p90);
        } else {
            buf_puts(b, "\xe2\x80\x94");
        }
        buf_puts(b, "</td><td>");
        if (!is->has_status_quo) buf_puts(b, "(no status quo)");
        else if (!fi->n_blockers) buf_puts(b, "nobody");
        for (size_t k = 0; k < fi->n_blockers; k++) {
            buf_puts(b, k ? ", " : "");
            svg_escape(b, actor_name(s, fi->blockers[k]));
        }
        buf_puts(b, "</td></tr>\n");
    }
    buf_puts(b, "</tbody></table></div>\n");
    if (f->mc)
        buf_printf(b,
                   "<p class=\"meta\">Monte Carlo: %zu runs drawing every uncertain position, "
                   "salience and capability from its spread (docs/uncertainty.md); the band "
                   "holds the middle 80%% of the %s model's forecasts.</p>\n",
                   pl_mc_n_runs(f->mc), pl_model_name(lead));
    package_words(b, f);
    /* the figures of docs/backtest.md (issue 15): the report computes no backtest */
    buf_printf(
        b,
        "<p><strong>Which model to trust.</strong> On 222 EU legislative decisions whose "
        "outcome is known (the DEU data, docs/backtest.md), the cross-validated mean "
        "absolute errors, in points of 100, were: ensemble 21.9, snap 22.0, candidate "
        "22.5, sticky 23.3, compromise 23.8, the EUM's weighted mean 25.3, the weighted "
        "median 28.7, the EUM's median 29.2 and the Nash bargaining solution 38.3; the "
        "spatial model (smp) has not been backtested there. The three best use what EU "
        "decisions share (outcomes land on the options the actors put forward; the "
        "Commission's and Parliament's roles; the procedure): where actors have no such "
        "roles those features are zero and their figures need not carry over, so the "
        "report leads with the sticky model when it ran (the others lead when it is "
        "left out: <code>--model ensemble</code>). This report leads with the <strong>%s</strong> "
        "model. A forecast the models agree on deserves more trust than one they do not. "
        "Even the best model's honest 80%% interval on DEU was 67 to 70 points of 100 "
        "wide: one issue's forecast is a best guess, not a certainty.</p>\n",
        pl_model_name(lead));
    buf_puts(b, "</section>\n");
}

static void legend(buf *b, int smp) {
    size_t n = PL_MODEL_COUNT + (size_t)(smp != 0);
    double w = 8;
    for (size_t m = 0; m < n; m++)
        w += 22 + svg_text_width(m < PL_MODEL_COUNT ? pl_model_name((pl_model)m) : "smp", 12);
    buf_printf(b,
               "<svg class=\"legend\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %.0f "
               "22\" width=\"%.0f\" height=\"22\" role=\"img\" aria-label=\"Legend of the model "
               "markers\"><title>Legend of the model markers</title>",
               w, w);
    double x = 8;
    for (size_t m = 0; m < n; m++) {
        const char *name = m < PL_MODEL_COUNT ? pl_model_name((pl_model)m) : "smp";
        chart_marker(b, m, x, 11, 5);
        buf_printf(b, "<text x=\"%.0f\" y=\"15\" font-size=\"12\">%s</text>", x + 9, name);
        x += 22 + svg_text_width(name, 12);
    }
    buf_puts(b, "</svg>");
}

static void section_issues(buf *b, chart_ctx *c) {
    const pl_report_figures *f = c->f;
    const pl_scenario *s = f->scenario;
    buf_puts(b, "<section id=\"issues\"><h2>Where the parties stand</h2>\n<p>One chart per "
                "issue, on the issue's own scale: each actor a dot at its position, its area "
                "proportional to capability \xc3\x97 salience; hover over or focus a dot for "
                "the evidence (a click jumps to it in the evidence table). Below the axis, each "
                "model's forecast, the status quo (dashed)");
    if (f->mc) buf_puts(b, " and the band that holds 80% of the Monte Carlo runs (shaded)");
    buf_puts(b, ".</p>\n<p>");
    int smp = 0;
    for (size_t i = 0; i < pl_forecast_n_issues(f->forecast); i++)
        if (pl_forecast_issue(f->forecast, i)->has_smp) smp = 1;
    legend(b, smp);
    buf_puts(b, "</p>\n");
    for (size_t i = 0; i < pl_forecast_n_issues(f->forecast); i++) {
        const pl_issue *is = pl_scenario_issue(s, i);
        buf_printf(b, "<figure id=\"i-%s\"><h3>", is->id);
        svg_escape(b, is->name);
        buf_puts(b, "</h3>");
        if (is->description) {
            buf_puts(b, "<p>");
            svg_escape(b, is->description);
            buf_puts(b, "</p>");
        }
        buf_puts(b, "<div class=\"wrap\">\n");
        chart_issue(b, c, i);
        buf_puts(b, "</div><figcaption>Scale: ");
        html_num(b, is->min);
        buf_puts(b, " \xe2\x80\x98");
        svg_escape(b, is->min_label ? is->min_label : "");
        buf_puts(b, "\xe2\x80\x99 to ");
        html_num(b, is->max);
        buf_puts(b, " \xe2\x80\x98");
        svg_escape(b, is->max_label ? is->max_label : "");
        buf_puts(b, "\xe2\x80\x99");
        if (is->unit) {
            buf_puts(b, " (");
            svg_escape(b, is->unit);
            buf_puts(b, ")");
        }
        if (is->has_status_quo) {
            buf_puts(b, "; status quo ");
            html_num(b, is->status_quo);
        }
        buf_printf(b, ". <a href=\"#ev-i-%s\">Evidence</a>.</figcaption></figure>\n", is->id);
    }
    buf_puts(b, "</section>\n");
}

static void section_rounds(buf *b, chart_ctx *c) {
    const pl_report_figures *f = c->f;
    if (!f->eum && !f->smp) return;
    const pl_scenario *s = f->scenario;
    buf_puts(b, "<section id=\"rounds\"><h2>The bargaining over rounds</h2>\n");
    if (f->eum) {
        buf_puts(b, "<p>The expected utility model (docs/models/eum.md): in each round every "
                    "actor challenges, compromises or gives in; its forecast is the weighted "
                    "median after the last round.</p>\n");
        for (size_t i = 0; i < pl_scenario_n_issues(s); i++) {
            buf_puts(b, "<figure><div class=\"wrap\">\n");
            if (chart_eum(b, c, i) == 0) buf_puts(b, "<p>(nobody has a stake)</p>");
            buf_puts(b, "</div></figure>\n");
        }
    }
    if (f->smp) {
        buf_printf(b,
                   "<p>The spatial model of politics (KTAB's SMP, docs/models/smp.md), all "
                   "issues at once, %zu turns: each actor's position after every turn.</p>\n",
                   pl_smp_result_n_turns(f->smp));
        for (size_t i = 0; i < pl_scenario_n_issues(s); i++) {
            buf_puts(b, "<figure><div class=\"wrap\">\n");
            chart_smp(b, c, i);
            buf_puts(b, "</div></figure>\n");
        }
    }
    buf_puts(b, "</section>\n");
}

static void section_space(buf *b, chart_ctx *c) {
    const pl_report_figures *f = c->f;
    if (!f->space || !f->deals) return;
    const pl_deals *d = f->deals;
    buf_puts(b, "<section id=\"space\"><h2>The agreement space</h2>\n");
    buf_printf(b,
               "<p>%llu packages (one option per issue); %llu of them leave every party at or "
               "above its reservation (the zone of possible agreement); %zu on the Pareto "
               "frontier, %zu of those in the zone.",
               (unsigned long long)pl_deals_n_outcomes(d),
               (unsigned long long)pl_deals_n_rational(d), pl_deals_n_frontier(d),
               pl_deals_n_pareto(d));
    if (f->sample && !pl_deals_sample_all(f->sample))
        buf_printf(b,
                   " The grey cloud is a uniform sample of %zu packages; the frontier is drawn "
                   "whole.",
                   pl_deals_sample_n(f->sample));
    buf_puts(b, "</p>\n");
    package_words(b, f);
    buf_puts(b, "<figure><div class=\"wrap\">\n");
    chart_space(b, c);
    buf_puts(b, "</div></figure>\n</section>\n");
}

/* ------------------------------------------------------------------------
** Trading across issues: the exchange model's story
*/
static const char *issue_name(const pl_scenario *s, size_t i) {
    const pl_issue *is = pl_scenario_issue(s, i);
    return is->name && *is->name ? is->name : is->id;
}

/* An exchange's vote x (0-100) on the scale of the scenario's issue i. */
static double vote_on(const pl_scenario *s, size_t i, double x) {
    const pl_issue *is = pl_scenario_issue(s, i);
    return is->min + x * (is->max - is->min) / 100;
}

/* The forecasts side by side: every model, the SMP when it ran, the
** exchange model and how far it moves from the compromise. */
static void exchange_table(buf *b, const pl_report_figures *f, int smp) {
    const pl_scenario *s = f->scenario;
    const pl_exchange_scenario *x = f->exchange;
    buf_puts(b, "<div class=\"wrap\"><table><thead><tr><th>Issue</th>");
    for (int m = 0; m < PL_MODEL_COUNT; m++)
        buf_printf(b, "<th>%s</th>", pl_model_name((pl_model)m));
    if (smp) buf_puts(b, "<th>smp</th>");
    buf_puts(b, "<th>exchange</th><th>exchange \xe2\x88\x92 compromise</th><th>Votes moved"
                "</th></tr></thead><tbody>\n");
    /* votes moved per issue: each side of an exchange moves one vote */
    size_t ni = pl_scenario_n_issues(s);
    for (size_t i = 0; i < pl_forecast_n_issues(f->forecast) && i < ni; i++) {
        const pl_issue_forecast *fi = pl_forecast_issue(f->forecast, i);
        size_t moved = 0;
        for (size_t g = 0; g < pl_exchange_scenario_n_groups(x); g++) {
            const size_t *issues;
            const pl_exchange_result *r = pl_exchange_scenario_group(x, g, NULL, &issues, NULL);
            for (size_t t = 1; r && t <= pl_exchange_result_n_rounds(r); t++) {
                size_t n;
                const pl_exchange_made *e = pl_exchange_result_exchanges(r, t, &n);
                for (size_t k = 0; k < n; k++)
                    moved += (size_t)(issues[e[k].i.supply] == fi->issue) +
                             (size_t)(issues[e[k].j.supply] == fi->issue);
            }
        }
        double ex = pl_exchange_scenario_forecast(x, fi->issue);
        buf_printf(b, "<tr><td><a href=\"#i-%s\">", pl_scenario_issue(s, fi->issue)->id);
        svg_escape(b, issue_name(s, fi->issue));
        buf_puts(b, "</a></td>");
        for (int m = 0; m < PL_MODEL_COUNT; m++) {
            buf_puts(b, "<td class=\"n\">");
            if (fi->n_stakes) html_num(b, fi->value[m]);
            else buf_puts(b, "\xe2\x80\x94");
            buf_puts(b, "</td>");
        }
        if (smp) {
            buf_puts(b, "<td class=\"n\">");
            if (fi->has_smp) html_num(b, fi->smp_mode);
            else buf_puts(b, "\xe2\x80\x94");
            buf_puts(b, "</td>");
        }
        buf_puts(b, "<td class=\"n\"><strong>");
        html_num(b, ex);
        buf_puts(b, "</strong></td><td class=\"n\">");
        if (fi->n_stakes) {
            double d = ex - fi->value[PL_MODEL_COMPROMISE];
            buf_puts(b, d > 0 ? "+" : "");
            html_num(b, d);
        } else {
            buf_puts(b, "\xe2\x80\x94");
        }
        buf_printf(b, "</td><td class=\"n\">%zu</td></tr>\n", moved);
    }
    buf_puts(b, "</tbody></table></div>\n");
}

/* Who traded: per actor its exchanges, its own gains and what the others'
** exchanges did to it, over all groups and rounds. */
static void exchange_actors(buf *b, const pl_report_figures *f) {
    const pl_scenario *s = f->scenario;
    const pl_exchange_scenario *x = f->exchange;
    buf_puts(b, "<h3>Who traded</h3>\n<p>Gains are in the model's units (a move of one point on "
                "a 0\xe2\x80\x93"
                "100 scale times the actor's salience); the others' exchanges "
                "help an actor when they move an outcome its way, and hurt it when they move "
                "one away.</p>\n<div class=\"wrap\"><table><thead><tr><th>Actor</th>"
                "<th>Exchanges</th><th>Own gains</th><th>Helped by others' exchanges</th>"
                "<th>Hurt by others' exchanges</th><th>Net</th></tr></thead><tbody>\n");
    for (size_t a = 0; a < pl_scenario_n_actors(s); a++) {
        size_t n_made = 0;
        pl_exchange_ext sum = {0, 0, 0, 0, 0};
        for (size_t g = 0; g < pl_exchange_scenario_n_groups(x); g++) {
            const pl_exchange_result *r = pl_exchange_scenario_group(x, g, NULL, NULL, NULL);
            for (size_t t = 1; r && t <= pl_exchange_result_n_rounds(r); t++) {
                size_t n;
                const pl_exchange_made *e = pl_exchange_result_exchanges(r, t, &n);
                for (size_t k = 0; k < n; k++)
                    n_made += (size_t)(e[k].i.actor == a) + (size_t)(e[k].j.actor == a);
                const pl_exchange_ext *g_ext = pl_exchange_result_ext(r, t, a);
                sum.own += g_ext->own;
                sum.inner_positive += g_ext->inner_positive;
                sum.inner_negative += g_ext->inner_negative;
                sum.outer_positive += g_ext->outer_positive;
                sum.outer_negative += g_ext->outer_negative;
            }
        }
        double helped = sum.inner_positive + sum.outer_positive;
        double hurt = sum.inner_negative + sum.outer_negative; /* negative figures */
        buf_puts(b, "<tr><td>");
        svg_escape(b, actor_name(s, a));
        buf_printf(b, "</td><td class=\"n\">%zu</td><td class=\"n\">", n_made);
        html_num(b, sum.own);
        buf_puts(b, "</td><td class=\"n\">");
        html_num(b, helped);
        buf_puts(b, "</td><td class=\"n\">");
        html_num(b, hurt);
        buf_puts(b, "</td><td class=\"n\">");
        html_num(b, sum.own + helped + hurt);
        buf_puts(b, "</td></tr>\n");
    }
    buf_puts(b, "</tbody></table></div>\n");
}

/* One exchange in words. */
static void exchange_words(buf *b, const pl_scenario *s, const size_t *issues,
                           const pl_exchange_made *e) {
    const pl_exchange_side *side[2] = {&e->i, &e->j};
    buf_puts(b, "<li>");
    for (int k = 0; k < 2; k++) {
        const pl_exchange_side *d = side[k];
        size_t is = issues[d->supply];
        buf_puts(b, k ? ", and <strong>" : "<strong>");
        svg_escape(b, actor_name(s, d->actor));
        buf_puts(b, k ? "</strong> its vote on <em>" : "</strong> moves its vote on <em>");
        svg_escape(b, issue_name(s, is));
        buf_puts(b, "</em> from ");
        html_num(b, vote_on(s, is, d->x));
        buf_puts(b, " to ");
        html_num(b, vote_on(s, is, d->y));
    }
    buf_puts(b, ": each gains ");
    html_num(b, e->gain);
    buf_puts(b, " (");
    svg_escape(b, actor_name(s, e->i.actor));
    buf_puts(b, " on ");
    svg_escape(b, issue_name(s, issues[e->i.demand]));
    buf_puts(b, ", ");
    svg_escape(b, actor_name(s, e->j.actor));
    buf_puts(b, " on ");
    svg_escape(b, issue_name(s, issues[e->j.demand]));
    buf_puts(b, ").</li>\n");
}

/* The exchanges of every group, round by round (the first round open). */
static void exchange_rounds(buf *b, const pl_report_figures *f) {
    const pl_scenario *s = f->scenario;
    const pl_exchange_scenario *x = f->exchange;
    size_t n_groups = pl_exchange_scenario_n_groups(x);
    buf_puts(b, "<h3>The exchanges, round by round</h3>\n<p>In the order made, the largest gain "
                "first; votes on each issue's own scale. After each round the actors' "
                "positions move towards the votes they cast, and the next round trades "
                "again.</p>\n");
    for (size_t g = 0; g < n_groups; g++) {
        const size_t *issues;
        size_t n_issues;
        const pl_exchange_result *r = pl_exchange_scenario_group(x, g, NULL, &issues, &n_issues);
        if (n_groups > 1) {
            buf_puts(b, "<h4>");
            for (size_t m = 0; m < n_issues; m++) {
                buf_puts(b, m ? ", " : "Issues traded together: ");
                svg_escape(b, issue_name(s, issues[m]));
            }
            buf_puts(b, "</h4>\n");
        }
        if (!r) {
            buf_puts(b, "<p>Nobody weighs in on these issues: no exchange.</p>\n");
            continue;
        }
        if (n_issues < 2) {
            buf_puts(b, "<p>An issue alone has no partner issue to trade against: it keeps "
                        "its compromise.</p>\n");
            continue;
        }
        for (size_t t = 1; t <= pl_exchange_result_n_rounds(r); t++) {
            size_t n;
            const pl_exchange_made *e = pl_exchange_result_exchanges(r, t, &n);
            buf_printf(b, "<details%s><summary>Round %zu: %zu exchange%s; outcomes after it: ",
                       t == 1 ? " open" : "", t, n, n == 1 ? "" : "s");
            for (size_t m = 0; m < n_issues; m++) {
                buf_puts(b, m ? ", " : "");
                svg_escape(b, pl_scenario_issue(s, issues[m])->id);
                buf_putc(b, ' ');
                html_num(b, pl_exchange_result_voting_outcome(r, t, m));
            }
            buf_puts(b, "</summary>\n");
            if (n) buf_puts(b, "<ol>\n");
            for (size_t k = 0; k < n; k++) exchange_words(b, s, issues, &e[k]);
            if (n) buf_puts(b, "</ol>\n");
            buf_puts(b, "</details>\n");
        }
    }
}

static void section_exchange(buf *b, chart_ctx *c) {
    const pl_report_figures *f = c->f;
    const pl_exchange_scenario *x = f->exchange;
    if (!x || pl_exchange_scenario_n_issues(x) != pl_scenario_n_issues(f->scenario)) return;
    const pl_exchange_options *o = pl_exchange_scenario_options(x);
    size_t n_groups = pl_exchange_scenario_n_groups(x);
    int smp = 0;
    for (size_t i = 0; i < pl_forecast_n_issues(f->forecast); i++)
        if (pl_forecast_issue(f->forecast, i)->has_smp) smp = 1;
    buf_puts(b, "<section id=\"exchange\"><h2>Trading across issues</h2>\n<p>Stokman's exchange "
                "model (docs/models/exchange.md): two actors on opposite sides of the outcome on "
                "two issues, who care about them in different proportions, each move their vote "
                "on the issue they care less about, so that the outcome of the issue they care "
                "more about moves their way; both gain the same. The best exchange is made "
                "first, the others recomputed; its forecast is the capability \xc3\x97 salience "
                "weighted mean of the votes after the last round.");
    buf_printf(b, " %u round%s", o->rounds, o->rounds == 1 ? "" : "s");
    if (n_groups > 1)
        buf_printf(b,
                   "; the issues of each of the %zu groups (a proposal) trade with each other, "
                   "not across groups",
                   n_groups);
    buf_printf(b, "; %zu exchange%s in all.</p>\n", pl_exchange_scenario_n_exchanges(x),
               pl_exchange_scenario_n_exchanges(x) == 1 ? "" : "s");
    exchange_table(b, f, smp);
    exchange_actors(b, f);
    exchange_rounds(b, f);
    buf_puts(b, "</section>\n");
}

static void section_sensitivity(buf *b, chart_ctx *c) {
    const pl_report_figures *f = c->f;
    if (!f->sensitivity) return;
    buf_printf(b,
               "<section id=\"sensitivity\"><h2>Sensitivity</h2>\n<p>Which input moves the "
               "%s forecast most: every uncertain position, salience and capability swung "
               "alone across its range (docs/uncertainty.md), the %d largest swings per "
               "issue.</p>\n",
               pl_mc_model_name(f->sensitivity_model), 10);
    for (size_t i = 0; i < pl_scenario_n_issues(f->scenario); i++) {
        buf_puts(b, "<figure><div class=\"wrap\">\n");
        chart_tornado(b, c, i);
        buf_puts(b, "</div></figure>\n");
    }
    buf_puts(b, "</section>\n");
}

static void evidence_cell(buf *b, const pl_scenario *s, const pl_evidence *ev, size_t n,
                          const char *assumption) {
    buf_puts(b, "<td>");
    for (size_t k = 0; k < n; k++) {
        buf_puts(b, "<q>");
        svg_escape(b, ev[k].quote ? ev[k].quote : "");
        buf_puts(b, "</q>");
        if (ev[k].source)
            buf_printf(b, " [<a href=\"#src-%s\">%s</a>]", ev[k].source, ev[k].source);
        buf_puts(b, "<br>");
    }
    if (assumption) {
        buf_puts(b, "<em>Assumption:</em> ");
        svg_escape(b, assumption);
    }
    if (!n && !assumption) buf_puts(b, "\xe2\x80\x94");
    buf_puts(b, "</td>");
    (void)s;
}

/* The actors' capabilities, each with its evidence. */
static void evidence_actors(buf *b, const pl_scenario *s) {
    buf_puts(b, "<h3 id=\"ev-actors\">Actors</h3><div class=\"wrap\"><table><thead><tr>"
                "<th>Actor</th><th>Capability</th><th>Evidence or assumption</th></tr></thead>"
                "<tbody>\n");
    for (size_t a = 0; a < pl_scenario_n_actors(s); a++) {
        const pl_actor *ac = pl_scenario_actor(s, a);
        buf_printf(b, "<tr id=\"ev-%s\"><td>", ac->id);
        svg_escape(b, actor_name(s, a));
        buf_puts(b, "</td><td class=\"n\">");
        html_num(b, ac->capability);
        buf_puts(b, "</td>");
        evidence_cell(b, s, ac->evidence, ac->n_evidence, ac->assumption);
        buf_puts(b, "</tr>\n");
    }
    buf_puts(b, "</tbody></table></div>\n");
}

/* Issue i: its own evidence, then every position on it. */
static void evidence_issue(buf *b, const pl_scenario *s, size_t i) {
    const pl_issue *is = pl_scenario_issue(s, i);
    buf_printf(b, "<h3 id=\"ev-i-%s\">", is->id);
    svg_escape(b, is->name);
    buf_puts(b, "</h3>");
    if (is->n_evidence || is->assumption) {
        buf_puts(b, "<table><tbody><tr><th>The issue");
        if (is->has_status_quo) {
            buf_puts(b, " (status quo ");
            html_num(b, is->status_quo);
            buf_puts(b, ")");
        }
        buf_puts(b, "</th>");
        evidence_cell(b, s, is->evidence, is->n_evidence, is->assumption);
        buf_puts(b, "</tr></tbody></table>");
    }
    buf_puts(b, "<div class=\"wrap\"><table><thead><tr><th>Actor</th><th>Position</th>"
                "<th>Salience</th><th>Evidence or assumption</th></tr></thead><tbody>\n");
    for (size_t a = 0; a < pl_scenario_n_actors(s); a++) {
        const pl_position *p = pl_scenario_stake(s, a, i);
        if (!p) continue;
        buf_printf(b, "<tr id=\"ev-%s-%s\"><td>", pl_scenario_actor(s, a)->id, is->id);
        svg_escape(b, actor_name(s, a));
        buf_puts(b, "</td><td class=\"n\">");
        html_num(b, p->position);
        buf_puts(b, "</td><td class=\"n\">");
        html_num(b, p->salience);
        buf_puts(b, "</td>");
        evidence_cell(b, s, p->evidence, p->n_evidence, p->assumption);
        buf_puts(b, "</tr>\n");
    }
    buf_puts(b, "</tbody></table></div>\n");
}

/* The sources the quotes cite, each an anchor the cells link to. */
static void evidence_sources(buf *b, const pl_scenario *s) {
    buf_puts(b, "<h3 id=\"ev-sources\">Sources</h3><ul>\n");
    for (size_t k = 0; k < pl_scenario_n_sources(s); k++) {
        const pl_source *src = pl_scenario_source(s, k);
        buf_printf(b, "<li id=\"src-%s\">[%s] ", src->id, src->id);
        svg_escape(b, src->title ? src->title : "");
        if (src->publisher) {
            buf_puts(b, ", ");
            svg_escape(b, src->publisher);
        }
        if (src->date) {
            buf_puts(b, ", ");
            svg_escape(b, src->date);
        }
        if (src->url) {
            buf_puts(b, ", <span class=\"meta\">");
            svg_escape(b, src->url);
            buf_puts(b, "</span>");
        }
        if (src->file) {
            buf_puts(b, " (file ");
            svg_escape(b, src->file);
            buf_puts(b, ")");
        }
        buf_puts(b, "</li>\n");
    }
    buf_puts(b, "</ul>\n");
}

static void section_evidence(buf *b, const pl_report_figures *f) {
    const pl_scenario *s = f->scenario;
    buf_puts(b, "<section id=\"evidence\"><h2>Evidence</h2>\n<p>Every value of the scenario "
                "with its quote and source, or the assumption it rests on.</p>\n");
    evidence_actors(b, s);
    for (size_t i = 0; i < pl_scenario_n_issues(s); i++) evidence_issue(b, s, i);
    if (pl_scenario_n_sources(s)) evidence_sources(b, s);
    buf_puts(b, "</section>\n");
}

/* A report of an agreement space alone (GENIUS files: no positions). */
static pl_status space_report(const pl_report_figures *f, char **out) {
    buf b = {0};
    chart_ctx c = {f, 1, 0};
    buf title = {0};
    buf_printf(&title, "%s \xe2\x80\x94 parley report", pl_space_name(f->space));
    report_html_open(&b, title.data ? title.data : "parley report");
    if (title.oom) b.oom = 1;
    buf_free(&title);
    buf_puts(&b, "<header><h1>");
    svg_escape(&b, pl_space_name(f->space));
    buf_printf(&b,
               "</h1>\n<p class=\"meta\">An agreement space of %zu parties and %zu issues. "
               "Report by parley %s",
               pl_space_n_parties(f->space), pl_space_n_issues(f->space), pl_version());
    if (f->command) {
        buf_puts(&b, ": <code>");
        svg_escape(&b, f->command);
        buf_puts(&b, "</code>");
    }
    buf_puts(&b, ".</p>\n");
    for (size_t k = 0; k < f->n_notes; k++) {
        buf_puts(&b, "<p class=\"box\">");
        svg_escape(&b, f->notes[k]);
        buf_puts(&b, "</p>\n");
    }
    buf_puts(&b, "</header>\n");
    section_space(&b, &c);
    report_html_close(&b, 0);
    if (c.failed) b.oom = 1;
    if (b.oom) {
        buf_free(&b);
        return PL_ENOMEM;
    }
    return report_take(&b, out);
}

pl_status pl_report_html(const pl_report_figures *f, char **out) {
    if (!out) return PL_EINVAL;
    *out = NULL;
    if (f && !f->scenario && f->space && f->deals) return space_report(f, out);
    if (!f || !f->scenario || !f->forecast ||
        pl_forecast_n_issues(f->forecast) != pl_scenario_n_issues(f->scenario))
        return PL_EINVAL;
    const pl_scenario *s = f->scenario;
    buf b = {0};
    chart_ctx c = {f, 1, 0};
    buf title = {0};
    buf_printf(&title, "%s \xe2\x80\x94 parley report", pl_scenario_name(s));
    report_html_open(&b, title.data ? title.data : "parley report");
    if (title.oom) b.oom = 1;
    buf_free(&title);
    buf_puts(&b, "<header><h1>");
    svg_escape(&b, pl_scenario_name(s));
    buf_puts(&b, "</h1>\n<p class=\"meta\">Scenario <code>");
    svg_escape(&b, pl_scenario_id(s));
    buf_puts(&b, "</code>");
    if (pl_scenario_date(s)) {
        buf_puts(&b, ", as of ");
        svg_escape(&b, pl_scenario_date(s));
    }
    buf_printf(&b, "; %zu actors, %zu issues. Report by parley %s", pl_scenario_n_actors(s),
               pl_scenario_n_issues(s), pl_version());
    if (f->command) {
        buf_puts(&b, ": <code>");
        svg_escape(&b, f->command);
        buf_puts(&b, "</code>");
    }
    buf_puts(&b, ".</p>\n");
    if (pl_scenario_description(s)) {
        buf_puts(&b, "<p>");
        svg_escape(&b, pl_scenario_description(s));
        buf_puts(&b, "</p>\n");
    }
    section_changes(&b, f);
    for (size_t k = 0; k < f->n_notes; k++) {
        buf_puts(&b, "<p class=\"box\">");
        svg_escape(&b, f->notes[k]);
        buf_puts(&b, "</p>\n");
    }
    buf_puts(&b, "</header>\n<nav aria-label=\"Contents\"><ol><li><a href=\"#summary\">Summary"
                 "</a></li><li><a href=\"#issues\">Where the parties stand</a></li>");
    if (f->eum || f->smp)
        buf_puts(&b, "<li><a href=\"#rounds\">The bargaining over rounds</a></li>");
    if (f->exchange) buf_puts(&b, "<li><a href=\"#exchange\">Trading across issues</a></li>");
    if (f->space && f->deals) buf_puts(&b, "<li><a href=\"#space\">The agreement space</a></li>");
    if (f->sensitivity) buf_puts(&b, "<li><a href=\"#sensitivity\">Sensitivity</a></li>");
    buf_puts(&b, "<li><a href=\"#evidence\">Evidence</a></li></ol></nav>\n");
    section_summary(&b, &c);
    section_issues(&b, &c);
    section_rounds(&b, &c);
    section_exchange(&b, &c);
    section_space(&b, &c);
    section_sensitivity(&b, &c);
    section_evidence(&b, f);
    report_html_close(&b, 1);
    if (c.failed) b.oom = 1;
    if (b.oom) {
        buf_free(&b);
        return PL_ENOMEM;
    }
    return report_take(&b, out);
}

/* ------------------------------------------------------------------------
** The charts alone
*/
pl_status pl_report_svg(const pl_report_figures *f, unsigned charts, char **out) {
    if (!out) return PL_EINVAL;
    *out = NULL;
    if (!f || (!f->scenario && !(f->space && f->deals))) return PL_EINVAL;
    const pl_scenario *s = f->scenario;
    size_t ni = s ? pl_scenario_n_issues(s) : 0;
    if (f->forecast && (!s || pl_forecast_n_issues(f->forecast) != ni)) return PL_EINVAL;
    chart_ctx c = {f, 0, 0};
    buf body = {0};
    double y = 0, w = 0;
    for (int kind = 0; kind < 5; kind++) {
        unsigned bit = 1u << kind;
        if (!(charts & bit)) continue;
        size_t n = bit == PL_CHART_SPACE ? 1 : ni;
        for (size_t i = 0; i < n; i++) {
            buf one = {0};
            double h = bit == PL_CHART_ISSUES    ? chart_issue(&one, &c, i)
                       : bit == PL_CHART_EUM     ? chart_eum(&one, &c, i)
                       : bit == PL_CHART_SMP     ? chart_smp(&one, &c, i)
                       : bit == PL_CHART_TORNADO ? chart_tornado(&one, &c, i)
                                                 : chart_space(&one, &c);
            if (h > 0) {
                buf_puts(&body, "<g transform=\"translate(0 ");
                svg_num(&body, y);
                buf_puts(&body, ")\">\n");
                buf_puts(&body, one.data ? one.data : "");
                buf_puts(&body, "</g>\n");
                y += h + 16;
                w = CHART_W;
            }
            if (one.oom) body.oom = 1;
            buf_free(&one);
        }
    }
    if (body.oom || c.failed) {
        buf_free(&body);
        return PL_ENOMEM;
    }
    if (y == 0) {
        buf_free(&body);
        return PL_EINVAL;
    }
    buf b = {0};
    buf_puts(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                 "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ");
    svg_num(&b, w);
    buf_putc(&b, ' ');
    svg_num(&b, y - 16);
    buf_puts(&b, "\" width=\"");
    svg_num(&b, w);
    buf_puts(&b, "\" height=\"");
    svg_num(&b, y - 16);
    const char *name = s ? pl_scenario_name(s) : pl_space_name(f->space);
    buf_puts(&b, "\" role=\"img\" aria-label=\"");
    svg_escape(&b, name);
    buf_puts(&b, ": parley charts\"><title>");
    svg_escape(&b, name);
    buf_puts(&b, ": parley charts</title>\n<style>\n");
    buf_puts(&b, chart_css);
    buf_puts(&b, "</style>\n");
    buf_puts(&b, body.data);
    buf_puts(&b, "</svg>\n");
    buf_free(&body);
    if (b.oom) {
        buf_free(&b);
        return PL_ENOMEM;
    }
    return report_take(&b, out);
}
