/*
** parley/report.h: the report a person reads -- one self-contained HTML
** file with charts (`parley report`, docs/report.md), and the charts alone
** as SVG.  Part of the public API: parley.h includes it, and including it
** alone brings parley.h in first.
**
** The renderers read the figures the analyses returned (a forecast, Monte
** Carlo runs, the EUM's and the spatial model's runs, sensitivity swings,
** an agreement space with its frontier and a sample of its packages) and
** compute nothing of their own: what is not given is not drawn, and the
** report says so.
*/
/* Included on its own, this header brings in parley.h first, which includes
** it back at its place, after the types it uses. */
#ifndef PARLEY_REPORT_H
#include <parley.h>
#endif
#ifndef PARLEY_REPORT_H
#define PARLEY_REPORT_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------
** The figures a report shows.  Borrowed, all of them; NULL: not shown.
*/
typedef struct pl_report_figures {
    const pl_scenario *scenario; /* required; its what-if changes are stated */
    const pl_forecast *forecast; /* every model on every issue; required for
                                 ** the HTML report and the issue charts */
    const pl_mc *mc;             /* Monte Carlo runs: the 80% bands */
    const pl_eum_trace *eum;     /* the EUM round by round */
    /* The spatial model's run and its input (pl_smp_data_from_scenario of
    ** the scenario, or the KTAB data the scenario was made from): one
    ** dimension per issue, in order. */
    const pl_smp_data *smp_data;
    const pl_smp_result *smp;
    const pl_sensitivity *sensitivity; /* swings of sensitivity_model's forecast */
    pl_model sensitivity_model;
    const pl_space *space; /* the agreement space and its figures */
    const pl_deals *deals;
    const pl_deals_sample *sample; /* packages behind the frontier */
    /* Said in the report's header: how it was made (the command line), and
    ** notes such as why a section is missing.  NULL / 0: none. */
    const char *command;
    const char *const *notes;
    size_t n_notes;
    /* Stokman's exchange model on the scenario's linked issues: its
    ** forecast beside the others' and the exchanges made, round by round;
    ** and the base of the tornado when sensitivity_model is PL_MC_EXCHANGE. */
    const pl_exchange_scenario *exchange;
} pl_report_figures;

/* Everything NULL, sensitivity_model PL_MODEL_COMPROMISE. */
PL_API void pl_report_figures_init(pl_report_figures *f);

/* The HTML report (docs/report.md): one UTF-8 file with inline CSS and SVG
** and no reference to anything outside it; readable without JavaScript.
** In *out, released with pl_free.  PL_EINVAL without a scenario or a
** forecast -- unless scenario is NULL and space and deals are given: then
** the report of an agreement space alone (GENIUS files, which have no
** positions to forecast). */
PL_API pl_status pl_report_html(const pl_report_figures *f, char **out);

/* Charts of the SVG output, a bit each. */
enum {
    PL_CHART_ISSUES = 1,  /* per issue: positions, models, status quo, band */
    PL_CHART_EUM = 2,     /* per issue: the EUM's rounds */
    PL_CHART_SMP = 4,     /* per issue: the spatial model's turns */
    PL_CHART_TORNADO = 8, /* per issue: the largest swings */
    PL_CHART_SPACE = 16   /* the agreement space */
};

/* The charts asked for, as one SVG document (the charts stacked one under
** the other, each its own <svg> with its <title>), as `--format svg`
** writes them.  Charts whose figures are missing are left out;
** PL_EINVAL when none is left.  The scenario may be NULL for the
** agreement space alone. */
PL_API pl_status pl_report_svg(const pl_report_figures *f, unsigned charts, char **out);

#ifdef __cplusplus
}
#endif
#endif /* PARLEY_REPORT_H */
