/*
** smp_whatif.c: the spatial model of politics on a scenario and on a
** what-if version of it (pl_whatif_*), side by side, with the changes.
*/
#include "core/alloc.h"
#include "core/buf.h"
#include "core/json_out.h"
#include "parley.h"
#include "scenario/whatif.h"

#include <jansson.h>
#include <math.h>
#include <string.h>

pl_status pl_smp_report_compare(const pl_scenario *base, const pl_scenario *changed,
                                pl_smp_salience_norm norm, const pl_smp_options *opt,
                                pl_diags *diags, pl_format format, char **out) {
    if (!base || !changed || !out) return PL_EINVAL;
    *out = NULL;
    size_t n = pl_scenario_n_issues(base);
    if (n != pl_scenario_n_issues(changed)) return PL_EINVAL;
    double *v = pl__malloc(4 * (n ? n : 1) * sizeof(double));
    if (!v) return PL_ENOMEM;
    double *mean0 = v, *mode0 = v + n, *mean1 = v + 2 * n, *mode1 = v + 3 * n;
    size_t turns0 = 0, turns1 = 0;
    pl_status rc = pl_smp_forecast_scenario(base, norm, opt, diags, mean0, mode0, &turns0);
    if (rc == PL_OK) rc = pl_smp_forecast_scenario(changed, norm, opt, diags, mean1, mode1, &turns1);
    char *described = NULL;
    if (rc == PL_OK) rc = pl_smp_options_describe(opt, &described);
    if (rc != PL_OK) {
        pl__free(v);
        return rc;
    }
    buf b = {0};
    int ok = 1;
    json_t *root = NULL, *issues = NULL;
    if (format == PL_FORMAT_JSON) {
        root = json_object();
        issues = json_array();
        jout_set(root, "scenario", json_string(pl_scenario_id(base)), &ok);
        jout_set(root, "model", json_string("smp"), &ok);
        jout_set(root, "options", json_string(described), &ok);
        jout_set(root, "changes", whatif_json(changed), &ok);
        json_t *t = json_object();
        jout_set(t, "before", json_integer((json_int_t)turns0), &ok);
        jout_set(t, "after", json_integer((json_int_t)turns1), &ok);
        jout_set(root, "turns", t, &ok);
        jout_set(root, "issues", issues, &ok);
    } else if (format == PL_FORMAT_CSV) {
        whatif_csv(&b, changed);
        buf_puts(&b, "issue,model,before,after,change\n");
    } else {
        buf_printf(&b, "%s (%s): the spatial model of politics (KTAB SMP), what-if beside the "
                       "unchanged forecast\n",
                   pl_scenario_name(base), pl_scenario_id(base));
        buf_printf(&b, "Options: %s\nTurns: %zu before, %zu after\n\n", described, turns0, turns1);
        whatif_text(&b, changed);
        if (pl_scenario_n_changes(changed)) buf_putc(&b, '\n');
        buf_cell(&b, "Issue", 32);
        buf_puts(&b, "  Model         Before    After   Change\n");
    }
    for (size_t i = 0; ok && i < n; i++) {
        const pl_issue *is = pl_scenario_issue(base, i);
        const char *names[2] = {"smp", "smp-mean"};
        double before[2] = {mode0[i], mean0[i]}, after[2] = {mode1[i], mean1[i]};
        json_t *io = NULL;
        if (root) {
            io = json_object();
            jout_push(issues, io, &ok);
            jout_set(io, "id", json_string(is->id), &ok);
        }
        for (int k = 0; k < 2; k++) {
            if (root) {
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
    pl__free(v);
    pl_free(described);
    if (root) {
        buf_free(&b);
        return json_out(root, ok, 12, out);
    }
    if (format == PL_FORMAT_TEXT)
        buf_puts(&b, "\nsmp: the most probable outcome; smp-mean: the probability-weighted mean "
                     "(all issues at once).  * = the forecast moved.\n");
    *out = buf_take(&b);
    return *out ? PL_OK : PL_ENOMEM;
}
