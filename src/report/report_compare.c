/*
** report_compare.c: a forecast of a scenario beside the forecast of a what-if
** version of it (pl_whatif_*), model by model, with the changes stated; and
** the same for the spatial model of politics (pl_smp_compare).
*/
#include "core/buf.h"
#include "core/json_out.h"
#include "parley.h"
#include "report/report_int.h"

#include <jansson.h>
#include <math.h>
#include <string.h>

/* ------------------------------------------------------------------------
** The forecast (every model) on a scenario and on its what-if version
*/
static const pl_issue_forecast *find(const pl_scenario *s, const pl_forecast *f, const char *id) {
    for (size_t i = 0; i < pl_forecast_n_issues(f); i++) {
        const pl_issue_forecast *fi = pl_forecast_issue(f, i);
        if (strcmp(pl_scenario_issue(s, fi->issue)->id, id) == 0) return fi;
    }
    return NULL;
}

/* One row of the comparison; has_* 0: no value on that side. */
static void compare_row(buf *b, json_t *models, pl_format format, const pl_issue *is, int first,
                        const char *model, int has_before, double before, int has_after,
                        double after, int *ok) {
    if (models) {
        json_t *o = json_object();
        jout_set(o, "before", has_before ? json_real(before) : json_null(), ok);
        jout_set(o, "after", has_after ? json_real(after) : json_null(), ok);
        jout_set(models, model, o, ok);
    } else if (format == PL_FORMAT_CSV) {
        buf_csv(b, is->id);
        buf_printf(b, ",%s,", model);
        if (has_before) buf_printf(b, "%.10g", before);
        buf_putc(b, ',');
        if (has_after) buf_printf(b, "%.10g", after);
        buf_putc(b, ',');
        if (has_before && has_after) buf_printf(b, "%.10g", after - before);
        buf_putc(b, '\n');
    } else {
        buf_cell(b, first ? is->name : "", 32);
        buf_printf(b, "  %-10s ", model);
        if (has_before) buf_printf(b, "%9.1f", before);
        else buf_printf(b, "%9s", "-");
        if (has_after && has_before)
            buf_printf(b, " %8.1f %+8.1f%s\n", after, after - before,
                       fabs(after - before) > 1e-9 ? "  *" : "");
        else if (has_after) buf_printf(b, " %8.1f %8s\n", after, "-");
        else
            buf_puts(b, strcmp(model, "smp") == 0 ? "        -  (the model cannot run)\n"
                                                  : "        -  (no positions left)\n");
    }
}

pl_status pl_report_compare(const pl_scenario *base, const pl_forecast *fb,
                            const pl_scenario *changed, const pl_forecast *fc, pl_format format,
                            char **out) {
    if (!base || !fb || !changed || !fc || !out) return PL_EINVAL;
    *out = NULL;
    if ((unsigned)format > PL_FORMAT_CSV) return PL_EINVAL; /* HTML, SVG: parley/report.h */
    buf b = {0};
    int ok = 1;
    json_t *root = NULL, *issues = NULL;
    int any_smp = 0;
    if (format == PL_FORMAT_JSON) {
        root = json_object();
        issues = json_array();
        jout_set(root, "scenario", json_string(pl_scenario_id(base)), &ok);
        jout_set(root, "changes", report_changes_json(changed), &ok);
        jout_set(root, "issues", issues, &ok);
        if (!ok || !root || !issues) {
            json_decref(root);
            return PL_ENOMEM;
        } /* not the text layout */
    }
    if (format == PL_FORMAT_CSV) {
        report_changes_csv(&b, changed);
        buf_puts(&b, "issue,model,before,after,change\n");
    }
    if (format == PL_FORMAT_TEXT) {
        buf_printf(&b, "%s (%s): what-if forecast beside the unchanged one\n\n",
                   pl_scenario_name(base), pl_scenario_id(base));
        report_changes_text(&b, changed);
        if (pl_scenario_n_changes(changed)) buf_putc(&b, '\n');
        buf_cell(&b, "Issue", 32);
        buf_puts(&b, "  Model         Before    After   Change\n");
    }
    for (size_t i = 0; ok && i < pl_forecast_n_issues(fb); i++) {
        const pl_issue_forecast *a = pl_forecast_issue(fb, i);
        const pl_issue *is = pl_scenario_issue(base, a->issue);
        const pl_issue_forecast *c = find(changed, fc, is->id);
        json_t *io = NULL, *models = NULL;
        if (root) {
            io = json_object();
            models = json_object();
            jout_push(issues, io, &ok);
            jout_set(io, "id", json_string(is->id), &ok);
            jout_set(io, "models", models, &ok);
            if (!ok) break;
        }
        for (int m = 0; m < PL_MODEL_COUNT; m++) {
            if (m == PL_MODEL_EUM_MEAN) continue;
            compare_row(&b, models, format, is, m == 0, pl_model_name((pl_model)m), 1, a->value[m],
                        c != NULL, c ? c->value[m] : 0, &ok);
        }
        /* the spatial model, when it could run on either version */
        if (a->has_smp || (c && c->has_smp)) any_smp = 1;
        if (a->has_smp || (c && c->has_smp))
            compare_row(&b, models, format, is, 0, "smp", a->has_smp, a->smp_mode, c && c->has_smp,
                        c ? c->smp_mode : 0, &ok);
    }
    if (root) {
        buf_free(&b);
        return json_out(root, ok, 12, out);
    } else if (format == PL_FORMAT_TEXT) {
        buf_puts(&b, "\n* = the forecast moved.\n");
        if (any_smp)
            buf_puts(&b, "smp: the spatial model's most probable outcome (all issues at once).\n");
    }
    return report_take(&b, out);
}

/* ------------------------------------------------------------------------
** The spatial model on a scenario and on its what-if version
*/
pl_status pl_smp_report_comparison(const pl_scenario *base, const pl_scenario *changed,
                                   const pl_smp_compare *c, pl_format format, char **out) {
    if (!base || !changed || !c || !out) return PL_EINVAL;
    *out = NULL;
    if ((unsigned)format > PL_FORMAT_CSV) return PL_EINVAL; /* HTML, SVG: parley/report.h */
    size_t n = pl_scenario_n_issues(base);
    if (n != pl_scenario_n_issues(changed) || n != pl_smp_compare_n_issues(c)) return PL_EINVAL;
    size_t turns0, turns1;
    pl_smp_compare_turns(c, &turns0, &turns1);
    char *described = NULL;
    pl_status rc = pl_smp_options_describe(pl_smp_compare_options(c), &described);
    if (rc != PL_OK) return rc;
    buf b = {0};
    int ok = 1;
    json_t *root = NULL, *issues = NULL;
    int json = format == PL_FORMAT_JSON; /* not root != NULL: root may be out of memory */
    if (json) {
        root = json_object();
        issues = json_array();
        jout_set(root, "scenario", json_string(pl_scenario_id(base)), &ok);
        jout_set(root, "model", json_string("smp"), &ok);
        jout_set(root, "options", json_string(described), &ok);
        jout_set(root, "changes", report_changes_json(changed), &ok);
        json_t *t = json_object();
        jout_set(t, "before", json_integer((json_int_t)turns0), &ok);
        jout_set(t, "after", json_integer((json_int_t)turns1), &ok);
        jout_set(root, "turns", t, &ok);
        jout_set(root, "issues", issues, &ok);
    } else if (format == PL_FORMAT_CSV) {
        report_changes_csv(&b, changed);
        buf_puts(&b, "issue,model,before,after,change\n");
    } else {
        buf_printf(&b,
                   "%s (%s): the spatial model of politics (KTAB SMP), what-if beside the "
                   "unchanged forecast\n",
                   pl_scenario_name(base), pl_scenario_id(base));
        buf_printf(&b, "Options: %s\nTurns: %zu before, %zu after\n\n", described, turns0, turns1);
        report_changes_text(&b, changed);
        if (pl_scenario_n_changes(changed)) buf_putc(&b, '\n');
        buf_cell(&b, "Issue", 32);
        buf_puts(&b, "  Model         Before    After   Change\n");
    }
    for (size_t i = 0; ok && i < n; i++) {
        const pl_issue *is = pl_scenario_issue(base, i);
        const char *names[2] = {"smp", "smp-mean"};
        double before[2], after[2];
        pl_smp_compare_issue(c, i, before, after);
        json_t *io = NULL;
        if (json) {
            io = json_object();
            jout_push(issues, io, &ok);
            jout_set(io, "id", json_string(is->id), &ok);
        }
        for (int k = 0; k < 2; k++) {
            if (json) {
                json_t *o = json_object();
                jout_set(o, "before", json_real(before[k]), &ok);
                jout_set(o, "after", json_real(after[k]), &ok);
                jout_set(io, k ? "mean" : "most_probable", o, &ok);
            } else if (format == PL_FORMAT_CSV) {
                buf_csv(&b, is->id);
                buf_printf(&b, ",%s,%.10g,%.10g,%.10g\n", names[k], before[k], after[k],
                           after[k] - before[k]);
            } else {
                buf_cell(&b, k ? "" : is->name, 32);
                buf_printf(&b, "  %-10s %9.1f %8.1f %+8.1f%s\n", names[k], before[k], after[k],
                           after[k] - before[k], fabs(after[k] - before[k]) > 1e-9 ? "  *" : "");
            }
        }
    }
    pl_free(described);
    if (json) {
        buf_free(&b);
        return json_out(root, ok, 12, out);
    }
    if (format == PL_FORMAT_TEXT)
        buf_puts(&b, "\nsmp: the most probable outcome; smp-mean: the probability-weighted mean "
                     "(all issues at once).  * = the forecast moved.\n");
    return report_take(&b, out);
}
