/*
** report_compose.c: the one-call forms that run a computation and render it
** -- pl_report_eum (pl_eum_trace_run, then pl_report_eum_trace) and
** pl_smp_report_compare (pl_smp_compare_run, then
** pl_smp_report_comparison).  They are kept for callers of the library that
** used them before the two steps had names of their own; the command-line
** tool takes the two steps itself.
**
** Why here: the rest of report/ renders results it is given and never
** starts a computation.  A function that does both must sit above both the
** computation (analysis/, models/) and the rendering (report/), and report/
** is the top layer of the library: a composition in analysis/ would call
** up into report/ (through the public header, where tools/layers.py would
** not see it) and close a circle.  So the compositions live in this file,
** apart, and only call down.
*/
#include "parley.h"

pl_status pl_report_eum(const pl_scenario *s, const pl_eum_options *opt, int offers,
                        pl_format format, char **out) {
    if (!s || !out) return PL_EINVAL;
    *out = NULL;
    pl_eum_trace *t = NULL;
    pl_status rc = pl_eum_trace_run(s, opt, &t);
    if (rc == PL_OK) rc = pl_report_eum_trace(s, t, offers, format, out);
    pl_eum_trace_free(t);
    return rc;
}

pl_status pl_smp_report_compare(const pl_scenario *base, const pl_scenario *changed,
                                pl_smp_salience_norm norm, const pl_smp_options *opt,
                                pl_diags *diags, pl_format format, char **out) {
    if (!base || !changed || !out) return PL_EINVAL;
    *out = NULL;
    pl_smp_compare *c = NULL;
    pl_status rc = pl_smp_compare_run(base, changed, norm, opt, diags, &c);
    if (rc == PL_OK) rc = pl_smp_report_comparison(base, changed, c, format, out);
    pl_smp_compare_free(c);
    return rc;
}
