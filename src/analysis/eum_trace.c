/*
** eum_trace.c: the expected utility model run on every issue of a scenario
** with every round and offer recorded (pl_eum_trace): what `parley forecast
** --model eum` shows, round by round (report/report_eum.c renders it).
** Each issue is its own run over the actors with a stake in it.
*/
#include "core/alloc.h"
#include "parley.h"

#include <string.h>

typedef struct trace_issue {
    pl_eum_result *res; /* NULL: no actor has a stake in the issue */
    size_t *actors;     /* n: the scenario's index of each of the run's actors */
    size_t n;
} trace_issue;

struct pl_eum_trace {
    size_t n_issues; /* the scenario's */
    trace_issue *issues;
};

void pl_eum_trace_free(pl_eum_trace *t) {
    if (!t) return;
    for (size_t i = 0; t->issues && i < t->n_issues; i++) {
        pl_eum_result_free(t->issues[i].res);
        pl__free(t->issues[i].actors);
    }
    pl__free(t->issues);
    pl__free(t);
}

/* Run the model on issue i, with scratch arrays for every actor. */
static pl_status run_issue(const pl_scenario *s, size_t i, const pl_eum_options *opt,
                           size_t *actors, double *x, double *cap, double *sal, trace_issue *out) {
    pl_issue_input in;
    size_t n = pl_scenario_issue_input(s, i, x, cap, sal, actors, &in);
    if (n == 0) return PL_OK;
    for (size_t k = 0; k < n; k++) sal[k] /= 100; /* the EUM takes 0-1 */
    pl_status rc = pl_eum_run(n, x, cap, sal, opt, &out->res);
    if (rc != PL_OK) return rc;
    out->actors = pl__malloc(n * sizeof(size_t));
    if (!out->actors) return PL_ENOMEM;
    memcpy(out->actors, actors, n * sizeof(size_t));
    out->n = n;
    return PL_OK;
}

pl_status pl_eum_trace_run(const pl_scenario *s, const pl_eum_options *opt, pl_eum_trace **out) {
    if (!s || !out) return PL_EINVAL;
    *out = NULL;
    pl_eum_options o;
    if (opt) o = *opt;
    else pl_eum_options_init(&o, PL_EUM_PRESET_SCHOLZ);
    o.record = PL_EUM_RECORD_ALL;
    size_t n_actors = pl_scenario_n_actors(s), n_issues = pl_scenario_n_issues(s);
    size_t *actors = pl__malloc((n_actors + 1) * sizeof(size_t));
    double *x = pl__malloc((n_actors + 1) * sizeof(double));
    double *cap = pl__malloc((n_actors + 1) * sizeof(double));
    double *sal = pl__malloc((n_actors + 1) * sizeof(double));
    pl_eum_trace *t = pl__calloc(1, sizeof *t);
    pl_status rc = PL_ENOMEM;
    if (!actors || !x || !cap || !sal || !t) goto done;
    t->n_issues = n_issues;
    t->issues = pl__calloc(n_issues + 1, sizeof(trace_issue));
    if (!t->issues) goto done;
    rc = PL_OK;
    for (size_t i = 0; rc == PL_OK && i < n_issues; i++)
        rc = run_issue(s, i, &o, actors, x, cap, sal, &t->issues[i]);
done:
    pl__free(actors);
    pl__free(x);
    pl__free(cap);
    pl__free(sal);
    if (rc != PL_OK) {
        pl_eum_trace_free(t);
        return rc;
    }
    *out = t;
    return PL_OK;
}

size_t pl_eum_trace_n_issues(const pl_eum_trace *t) { return t ? t->n_issues : 0; }

const pl_eum_result *pl_eum_trace_issue(const pl_eum_trace *t, size_t issue, const size_t **actors,
                                        size_t *n) {
    const trace_issue *ti = t && issue < t->n_issues ? &t->issues[issue] : NULL;
    if (actors) *actors = ti ? ti->actors : NULL;
    if (n) *n = ti ? ti->n : 0;
    return ti ? ti->res : NULL;
}
