/*
** report_sensitivity.c: the sensitivity ("tornado") of each issue's forecast
** (pl_sensitivity): the inputs that swing it most, largest first.
*/
#include "analysis/sensitivity_int.h"
#include "core/buf.h"
#include "core/json_out.h"
#include "parley.h"
#include "report/report_int.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>

static const char *const what_names[] = {"position", "salience", "capability"};

/* The exchange model's input: "position on ISSUE" (its issues are linked,
** so an issue's forecast swings with the inputs of its whole group). */
static const char *input_name(const pl_scenario *s, const pl_swing *w, char *tmp, size_t size) {
    if (w->issue == SIZE_MAX) return what_names[w->what];
    snprintf(tmp, size, "%s on %s", what_names[w->what], pl_scenario_issue(s, w->issue)->id);
    return tmp;
}

/* One swing in JSON; the exchange model's also names the input's issue. */
static json_t *swing_json(const pl_scenario *s, const pl_swing *w, int ex, int *ok) {
    json_t *o = json_object();
    jout_set(o, "actor", json_string(pl_scenario_actor(s, w->actor)->id), ok);
    jout_set(o, "input", json_string(what_names[w->what]), ok);
    if (ex)
        jout_set(o, "input_issue",
                 w->issue == SIZE_MAX ? json_null()
                                      : json_string(pl_scenario_issue(s, w->issue)->id),
                 ok);
    jout_set(o, "low", json_real(w->low), ok);
    jout_set(o, "high", json_real(w->high), ok);
    jout_set(o, "forecast_low", json_real(w->forecast_low), ok);
    jout_set(o, "forecast_high", json_real(w->forecast_high), ok);
    jout_set(o, "swing", json_real(w->swing), ok);
    return o;
}

static json_t *sensitivity_json(const pl_scenario *s, const pl_sensitivity *sens, size_t top,
                                int *ok) {
    int ex = sens->model == PL_MC_EXCHANGE;
    json_t *root = json_object();
    json_t *issues = json_array();
    jout_set(root, "model", json_string(pl_mc_model_name(sens->model)), ok);
    jout_set(root, "changes", report_changes_json(s), ok);
    for (size_t i = 0; i < sens->n_issues; i++) {
        json_t *io = json_object(), *arr = json_array();
        jout_set(io, "id", json_string(pl_scenario_issue(s, i)->id), ok);
        for (size_t k = 0; k < sens->n_swings[i] && (!top || k < top); k++)
            jout_push(arr, swing_json(s, &sens->swings[i][k], ex, ok), ok);
        jout_set(io, "swings", arr, ok);
        jout_push(issues, io, ok);
    }
    jout_set(root, "issues", issues, ok);
    return root;
}

/* The swing ranked k on an issue, as a CSV row. */
static void swing_csv(buf *b, const pl_scenario *s, const pl_issue *is, size_t k, const pl_swing *w,
                      int ex) {
    const pl_actor *ac = pl_scenario_actor(s, w->actor);
    buf_csv(b, is->id);
    buf_printf(b, ",%zu,", k + 1);
    buf_csv(b, ac->id);
    buf_printf(b, ",%s,", what_names[w->what]);
    if (ex && w->issue != SIZE_MAX) buf_csv(b, pl_scenario_issue(s, w->issue)->id);
    if (ex) buf_putc(b, ',');
    buf_printf(b, "%.10g,%.10g,%.10g,%.10g,%.10g\n", w->low, w->high, w->forecast_low,
               w->forecast_high, w->swing);
}

/* A swing as a line of the text table, with a bar against the issue's
** widest swing. */
static void swing_text(buf *b, const pl_scenario *s, const pl_swing *w, int ex, double widest) {
    const pl_actor *ac = pl_scenario_actor(s, w->actor);
    char tmp[160];
    char range[48], fr[48];
    snprintf(range, sizeof range, "%.1f..%.1f", w->low, w->high);
    snprintf(fr, sizeof fr, "%.1f..%.1f", w->forecast_low, w->forecast_high);
    buf_puts(b, "  ");
    buf_cell(b, ac->name, 24);
    buf_printf(b, " %-*s %17s %19s  %5.1f ", ex ? 26 : 10,
               ex ? input_name(s, w, tmp, sizeof tmp) : what_names[w->what], range, fr, w->swing);
    double share = widest > 0 ? w->swing / widest : 0; /* 0 .. 1, not NaN */
    size_t bar = share > 0 ? (size_t)lround(20 * fmin(share, 1)) : 0;
    for (size_t t = 0; t < bar; t++) buf_puts(b, "\u2588");
    buf_putc(b, '\n');
}

pl_status pl_report_sensitivity(const pl_scenario *s, const pl_sensitivity *sens, size_t top,
                                pl_format format, char **out) {
    if (!s || !sens || !out) return PL_EINVAL;
    *out = NULL;
    if ((unsigned)format > PL_FORMAT_CSV) return PL_EINVAL; /* HTML, SVG: parley/report.h */
    if (format == PL_FORMAT_JSON) {
        int ok = 1;
        json_t *root = sensitivity_json(s, sens, top, &ok);
        return json_out(root, ok, 12, out);
    }
    buf b = {0};
    int ex = sens->model == PL_MC_EXCHANGE;
    if (format == PL_FORMAT_CSV) {
        report_changes_csv(&b, s);
        buf_puts(&b, ex ? "issue,rank,actor,input,input_issue,low,high,forecast_low,"
                          "forecast_high,swing\n"
                        : "issue,rank,actor,input,low,high,forecast_low,forecast_high,swing\n");
    } else {
        buf_printf(&b, "%s (%s): what moves the %s forecast most, each input swung alone\n",
                   pl_scenario_name(s), pl_scenario_id(s), pl_mc_model_name(sens->model));
        if (ex)
            buf_puts(&b, "The exchange model links the issues of a group (all issues without "
                         "one): each forecast swings with every input of its group\n");
        report_changes_text(&b, s);
    }
    for (size_t i = 0; i < sens->n_issues; i++) {
        const pl_issue *is = pl_scenario_issue(s, i);
        size_t n = sens->n_swings[i];
        if (top && n > top) n = top;
        double widest = n ? sens->swings[i][0].swing : 0;
        if (format == PL_FORMAT_TEXT)
            buf_printf(&b, "\n%s (%s)\n  %-24s %-*s %17s %19s  %s\n", is->name, is->id, "actor",
                       ex ? 26 : 10, "input", "input low..high", "forecast low..high", "swing");
        for (size_t k = 0; k < n; k++) {
            if (format == PL_FORMAT_CSV) swing_csv(&b, s, is, k, &sens->swings[i][k], ex);
            else swing_text(&b, s, &sens->swings[i][k], ex, widest);
        }
    }
    if (format == PL_FORMAT_TEXT)
        buf_puts(&b, "\nRanges: an input's own range, else its value -+ 1.645 sd (5th to 95th "
                     "percentile) of its spread, kept in its domain.\n");
    return report_take(&b, out);
}
