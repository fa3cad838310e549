/*
** report_forecast.c: the forecast of every model on every issue (pl_forecast),
** as a table with the scales and what the forecasts mean on them, as CSV
** and as JSON.
*/
#include "core/buf.h"
#include "core/json_out.h"
#include "parley.h"
#include "report/report_int.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>

static const char *actor_name(const pl_scenario *s, size_t a) {
    return pl_scenario_actor(s, a)->name;
}

/* The option nearest a value, or NULL when the issue has none. */
static const pl_option *nearest_option(const pl_issue *is, double x) {
    const pl_option *best = NULL;
    for (size_t k = 0; k < is->n_options; k++)
        if (!best || fabs(is->options[k].value - x) < fabs(best->value - x)) best = &is->options[k];
    return best;
}

/* The table: per issue the status quo, every model's forecast, the spread
** of positions and who is closest to the compromise.  Returns 1 when Nash
** is blocked on some issue (the table marks it with *). */
static int forecast_table(buf *b, const pl_scenario *s, const pl_forecast *f) {
    buf_cell(b, "Issue", 32);
    buf_puts(b, "  Status quo  Compromise  Median    Nash     EUM  Sticky    Snap   Cand.    Ens."
                "     SMP  Positions (sd)       Closest to compromise\n");
    int any_blocked = 0;
    for (size_t i = 0; i < pl_forecast_n_issues(f); i++) {
        const pl_issue_forecast *fi = pl_forecast_issue(f, i);
        const pl_issue *is = pl_scenario_issue(s, fi->issue);
        char cell[64];
        buf_cell(b, is->name, 32);
        if (is->has_status_quo) buf_printf(b, "  %10.1f", is->status_quo);
        else buf_printf(b, "  %10s", "-");
        buf_printf(b, "  %10.1f  %6.1f  %6.1f%s %6.1f  %6.1f  %6.1f  %6.1f  %6.1f ",
                   fi->value[PL_MODEL_COMPROMISE], fi->value[PL_MODEL_MEDIAN],
                   fi->value[PL_MODEL_NASH], fi->nash_blocked ? "*" : " ", fi->value[PL_MODEL_EUM],
                   fi->value[PL_MODEL_STICKY], fi->value[PL_MODEL_SNAP],
                   fi->value[PL_MODEL_CANDIDATE], fi->value[PL_MODEL_ENSEMBLE]);
        any_blocked |= fi->nash_blocked;
        if (fi->has_smp) buf_printf(b, "%6.1f ", fi->smp_mode);
        else buf_printf(b, "%6s ", "-");
        snprintf(cell, sizeof cell, "%.1f-%.1f (%.1f)", fi->min_position, fi->max_position,
                 fi->sd_position);
        buf_printf(b, " ");
        buf_cell(b, cell, 21);
        for (size_t k = 0; k < fi->n_stakes && k < 2; k++)
            buf_printf(b, "%s%s", k ? ", " : "", actor_name(s, fi->closest[k]));
        buf_putc(b, '\n');
    }
    return any_blocked;
}

/* An issue's scale, and what the forecasts mean on it: the nearest option,
** how the EUM stopped, the spatial model's outcome, why Nash is blocked. */
static void forecast_meaning(buf *b, const pl_scenario *s, const pl_issue_forecast *fi) {
    const pl_issue *is = pl_scenario_issue(s, fi->issue);
    buf_printf(b, "  %s: ", is->id);
    report_scale_text(b, is);
    buf_putc(b, '\n');
    if (is->n_options) {
        static const pl_model shown[] = {PL_MODEL_COMPROMISE, PL_MODEL_MEDIAN,  PL_MODEL_NASH,
                                         PL_MODEL_EUM,        PL_MODEL_STICKY,  PL_MODEL_SNAP,
                                         PL_MODEL_CANDIDATE,  PL_MODEL_ENSEMBLE};
        for (size_t k = 0; k < sizeof shown / sizeof shown[0]; k++) {
            const pl_option *o = nearest_option(is, fi->value[shown[k]]);
            buf_printf(b, "    %-10s %7.1f  nearest option: %s\n", pl_model_name(shown[k]),
                       fi->value[shown[k]], o->label);
        }
    }
    buf_printf(b, "    EUM: %zu round%s, stopped by %s", fi->eum_rounds,
               fi->eum_rounds == 1 ? "" : "s", pl_eum_stop_name(fi->eum_stop));
    if (fi->eum_stop == PL_EUM_STOP_CYCLE)
        buf_printf(b, " (positions repeat every %zu rounds)", fi->eum_cycle_length);
    buf_printf(b, "; final weighted mean %.1f\n", fi->value[PL_MODEL_EUM_MEAN]);
    if (fi->has_smp)
        buf_printf(
            b, "    SMP (all issues at once): most probable %.1f, probability-weighted mean %.1f\n",
            fi->smp_mode, fi->smp_mean);
    if (fi->nash_blocked) {
        buf_puts(b, "    * Nash: no move from the status quo suits every party");
        if (fi->n_blockers) {
            buf_puts(b, "; blocking a move toward the compromise:");
            for (size_t k = 0; k < fi->n_blockers; k++)
                buf_printf(b, "%s %s", k ? "," : "", actor_name(s, fi->blockers[k]));
        }
        buf_putc(b, '\n');
    }
}

/* What the models are; what the table's * means, when it has one. */
static void forecast_models(buf *b, int any_blocked) {
    buf_puts(b, "\nModels:\n");
    for (int m = 0; m < PL_MODEL_COUNT; m++)
        if (m != PL_MODEL_EUM_MEAN)
            buf_printf(b, "  %-10s %s\n", pl_model_name((pl_model)m),
                       pl_model_description((pl_model)m));
    buf_puts(
        b, "  SMP        spatial model of politics (KTAB), every issue at once: the most probable "
           "outcome\n");
    if (any_blocked)
        buf_puts(b, "* = the status quo: no point on the scale is better for every "
                    "party holding a position.\n");
}

static void forecast_text(buf *b, const pl_scenario *s, const pl_forecast *f) {
    const char *date = pl_scenario_date(s);
    buf_printf(b, "%s (%s%s%s)\n", pl_scenario_name(s), pl_scenario_id(s), date ? ", " : "",
               date ? date : "");
    buf_printf(b, "%zu actors, %zu issues, %zu positions\n\n", pl_scenario_n_actors(s),
               pl_scenario_n_issues(s), pl_scenario_n_positions(s));
    int any_blocked = forecast_table(b, s, f);
    buf_puts(b, "\nScales, and what the forecasts mean on them:\n");
    for (size_t i = 0; i < pl_forecast_n_issues(f); i++)
        forecast_meaning(b, s, pl_forecast_issue(f, i));
    forecast_models(b, any_blocked);
}

static void forecast_csv(buf *b, const pl_scenario *s, const pl_forecast *f) {
    buf_puts(b, "issue,name,n_stakes,status_quo");
    for (int m = 0; m < PL_MODEL_COUNT; m++) buf_printf(b, ",%s", pl_model_name((pl_model)m));
    buf_puts(b, ",nash_blocked,eum_rounds,eum_stop,eum_cycle_length,smp_most_probable,smp_mean,"
                "min_position,max_position,sd_position,closest,blockers\n");
    for (size_t i = 0; i < pl_forecast_n_issues(f); i++) {
        const pl_issue_forecast *fi = pl_forecast_issue(f, i);
        const pl_issue *is = pl_scenario_issue(s, fi->issue);
        buf_csv(b, is->id);
        buf_putc(b, ',');
        buf_csv(b, is->name);
        buf_printf(b, ",%zu,", fi->n_stakes);
        if (is->has_status_quo) buf_printf(b, "%.10g", is->status_quo);
        for (int m = 0; m < PL_MODEL_COUNT; m++) buf_printf(b, ",%.10g", fi->value[m]);
        buf_printf(b, ",%d,%zu,%s,%zu,", fi->nash_blocked, fi->eum_rounds,
                   pl_eum_stop_name(fi->eum_stop), fi->eum_cycle_length);
        if (fi->has_smp) buf_printf(b, "%.10g,%.10g,", fi->smp_mode, fi->smp_mean);
        else buf_puts(b, ",,");
        buf_printf(b, "%.10g,%.10g,%.10g,", fi->min_position, fi->max_position, fi->sd_position);
        for (size_t k = 0; k < fi->n_stakes; k++)
            buf_printf(b, "%s%s", k ? " " : "", pl_scenario_actor(s, fi->closest[k])->id);
        buf_putc(b, ',');
        for (size_t k = 0; k < fi->n_blockers; k++)
            buf_printf(b, "%s%s", k ? " " : "", pl_scenario_actor(s, fi->blockers[k])->id);
        buf_putc(b, '\n');
    }
}

static json_t *forecast_json(const pl_scenario *s, const pl_forecast *f, int *ok) {
    json_t *root = json_object(), *sc = json_object(), *issues = json_array();
    json_t *models = json_array();
    jout_str(sc, "id", pl_scenario_id(s), ok);
    jout_str(sc, "name", pl_scenario_name(s), ok);
    jout_str(sc, "date", pl_scenario_date(s), ok);
    jout_set(sc, "n_actors", json_integer((json_int_t)pl_scenario_n_actors(s)), ok);
    jout_set(sc, "n_issues", json_integer((json_int_t)pl_scenario_n_issues(s)), ok);
    jout_set(sc, "n_positions", json_integer((json_int_t)pl_scenario_n_positions(s)), ok);
    jout_set(root, "scenario", sc, ok);
    for (int m = 0; m < PL_MODEL_COUNT; m++)
        jout_push(models, json_string(pl_model_name((pl_model)m)), ok);
    jout_set(root, "models", models, ok);
    for (size_t i = 0; *ok && i < pl_forecast_n_issues(f); i++) {
        const pl_issue_forecast *fi = pl_forecast_issue(f, i);
        const pl_issue *is = pl_scenario_issue(s, fi->issue);
        json_t *o = json_object(), *scale = json_object(), *fc = json_object();
        json_t *spread = json_object(), *closest = json_array(), *blockers = json_array();
        jout_str(o, "id", is->id, ok);
        jout_str(o, "name", is->name, ok);
        report_scale_json(scale, is, ok);
        jout_str(scale, "unit", is->unit, ok);
        jout_set(o, "scale", scale, ok);
        jout_set(o, "status_quo", is->has_status_quo ? json_real(is->status_quo) : json_null(), ok);
        jout_set(o, "n_stakes", json_integer((json_int_t)fi->n_stakes), ok);
        for (int m = 0; m < PL_MODEL_COUNT; m++)
            jout_num(fc, pl_model_name((pl_model)m), fi->value[m], ok);
        jout_set(o, "forecast", fc, ok);
        jout_set(o, "nash_blocked", json_boolean(fi->nash_blocked), ok);
        json_t *eum = json_object();
        jout_set(eum, "rounds", json_integer((json_int_t)fi->eum_rounds), ok);
        jout_str(eum, "stop", pl_eum_stop_name(fi->eum_stop), ok);
        jout_set(eum, "cycle_length", json_integer((json_int_t)fi->eum_cycle_length), ok);
        jout_set(o, "eum", eum, ok);
        if (fi->has_smp) {
            json_t *smp = json_object();
            jout_num(smp, "most_probable", fi->smp_mode, ok);
            jout_num(smp, "mean", fi->smp_mean, ok);
            jout_set(o, "smp", smp, ok);
        }
        jout_num(spread, "min", fi->min_position, ok);
        jout_num(spread, "max", fi->max_position, ok);
        jout_num(spread, "sd", fi->sd_position, ok);
        jout_set(o, "spread", spread, ok);
        for (size_t k = 0; k < fi->n_stakes; k++) {
            size_t a = fi->closest[k];
            const pl_position *p = pl_scenario_stake(s, a, fi->issue);
            json_t *c = json_object();
            jout_str(c, "actor", pl_scenario_actor(s, a)->id, ok);
            jout_num(c, "position", p->position, ok);
            jout_num(c, "distance", fabs(p->position - fi->value[PL_MODEL_COMPROMISE]), ok);
            jout_push(closest, c, ok);
        }
        jout_set(o, "closest", closest, ok);
        for (size_t k = 0; k < fi->n_blockers; k++)
            jout_push(blockers, json_string(pl_scenario_actor(s, fi->blockers[k])->id), ok);
        jout_set(o, "blockers", blockers, ok);
        jout_push(issues, o, ok);
    }
    jout_set(root, "issues", issues, ok);
    return root;
}

pl_status pl_report_forecast(const pl_scenario *s, const pl_forecast *f, pl_format format,
                             char **out) {
    if (!s || !f || !out) return PL_EINVAL;
    *out = NULL;
    if ((unsigned)format > PL_FORMAT_CSV) return PL_EINVAL; /* HTML, SVG: parley/report.h */
    if (format == PL_FORMAT_JSON) {
        int ok = 1;
        json_t *root = forecast_json(s, f, &ok);
        return json_out(root, ok, 12, out);
    }
    buf b = {0};
    if (format == PL_FORMAT_CSV) forecast_csv(&b, s, f);
    else forecast_text(&b, s, f);
    return report_take(&b, out);
}
