/*
** report_eum.c: the expected utility model's run, round by round, on every
** issue of a scenario (pl_eum_trace, analysis/eum_trace.c): positions,
** weighted mean and median, risk exponents, why the run stopped, and on
** request what each round did (who challenged whom, the kind of
** interaction, the moves).
*/
#include "core/buf.h"
#include "core/json_out.h"
#include "parley.h"
#include "report/report_int.h"

#include <jansson.h>
#include <stdio.h>

static void text_issue(buf *b, const pl_scenario *s, const pl_issue *is, const pl_eum_result *res,
                       const size_t *actors, size_t n, int offers) {
    size_t rounds = pl_eum_result_n_rounds(res);
    buf_printf(b, "\n%s (%s): %g = %s .. %g = %s\n", is->name, is->id, is->min, is->min_label,
               is->max, is->max_label);
    buf_printf(b, "  %zu round%s; stopped by %s", rounds, rounds == 1 ? "" : "s",
               pl_eum_stop_name(pl_eum_result_stop(res)));
    if (pl_eum_result_stop(res) == PL_EUM_STOP_CYCLE)
        buf_printf(b, " (the positions repeat every %zu rounds)", pl_eum_result_cycle_length(res));
    buf_printf(b, "; forecast: median %.2f, mean %.2f\n", pl_eum_result_median(res, rounds),
               pl_eum_result_mean(res, rounds));
    buf_printf(b, "  %5s %8s %8s", "round", "mean", "median");
    for (size_t k = 0; k < n; k++) {
        char id[9];
        snprintf(id, sizeof id, "%s", pl_scenario_actor(s, actors[k])->id);
        buf_printf(b, " %8s", id);
    }
    buf_putc(b, '\n');
    for (size_t r = 0; r <= rounds; r++) {
        const double *x = pl_eum_result_positions(res, r);
        buf_printf(b, "  %5zu %8.2f %8.2f", r, pl_eum_result_mean(res, r),
                   pl_eum_result_median(res, r));
        for (size_t k = 0; k < n; k++) buf_printf(b, " %8.2f", x[k]);
        buf_putc(b, '\n');
    }
    if (!offers) return;
    buf_puts(b, "  what each round did (accepted offers; the receiver moves):\n");
    for (size_t r = 1; r <= rounds; r++) {
        size_t n_off;
        const pl_eum_offer *o = pl_eum_result_offers(res, r, &n_off);
        for (size_t k = 0; k < n_off; k++) {
            if (!o[k].accepted) continue;
            buf_printf(
                b, "  %5zu  %-12s challenges %-12s %-12s %8.2f -> %8.2f  (E %+.3f / %+.3f)\n", r,
                pl_scenario_actor(s, actors[o[k].sender])->id,
                pl_scenario_actor(s, actors[o[k].receiver])->id, pl_eum_offer_kind_name(o[k].kind),
                o[k].from, o[k].to, o[k].eu_sender, o[k].eu_receiver);
        }
    }
}

static json_t *json_issue(const pl_scenario *s, const pl_issue *is, const pl_eum_result *res,
                          const size_t *actors, size_t n, int *ok) {
    json_t *o = json_object(), *ids = json_array(), *rounds = json_array();
    size_t t = pl_eum_result_n_rounds(res);
    jout_set(o, "id", json_string(is->id), ok);
    jout_set(o, "name", json_string(is->name), ok);
    for (size_t k = 0; k < n; k++)
        jout_push(ids, json_string(pl_scenario_actor(s, actors[k])->id), ok);
    jout_set(o, "actors", ids, ok);
    jout_set(o, "rounds_run", json_integer((json_int_t)t), ok);
    jout_set(o, "stop", json_string(pl_eum_stop_name(pl_eum_result_stop(res))), ok);
    jout_set(o, "cycle_length", json_integer((json_int_t)pl_eum_result_cycle_length(res)), ok);
    jout_set(o, "forecast_median", json_real(pl_eum_result_median(res, t)), ok);
    jout_set(o, "forecast_mean", json_real(pl_eum_result_mean(res, t)), ok);
    for (size_t r = 0; r <= t; r++) {
        json_t *ro = json_object(), *pos = json_array(), *risk = json_array(),
               *offers = json_array();
        const double *x = pl_eum_result_positions(res, r), *rk = pl_eum_result_risk(res, r);
        jout_set(ro, "round", json_integer((json_int_t)r), ok);
        jout_set(ro, "mean", json_real(pl_eum_result_mean(res, r)), ok);
        jout_set(ro, "median", json_real(pl_eum_result_median(res, r)), ok);
        for (size_t k = 0; k < n; k++) {
            jout_push(pos, json_real(x[k]), ok);
            if (rk) jout_push(risk, json_real(rk[k]), ok);
        }
        jout_set(ro, "positions", pos, ok);
        jout_set(ro, "risk", rk ? risk : json_null(), ok);
        if (!rk) json_decref(risk);
        size_t n_off;
        const pl_eum_offer *of = pl_eum_result_offers(res, r, &n_off);
        for (size_t k = 0; k < n_off; k++) {
            json_t *e = json_object();
            jout_set(e, "challenger", json_string(pl_scenario_actor(s, actors[of[k].sender])->id),
                     ok);
            jout_set(e, "receiver", json_string(pl_scenario_actor(s, actors[of[k].receiver])->id),
                     ok);
            jout_set(e, "kind", json_string(pl_eum_offer_kind_name(of[k].kind)), ok);
            jout_set(e, "accepted", json_boolean(of[k].accepted), ok);
            jout_set(e, "eu_challenger", json_real(of[k].eu_sender), ok);
            jout_set(e, "eu_receiver", json_real(of[k].eu_receiver), ok);
            jout_set(e, "from", json_real(of[k].from), ok);
            jout_set(e, "to", json_real(of[k].to), ok);
            jout_push(offers, e, ok);
        }
        jout_set(ro, "offers", offers, ok);
        jout_push(rounds, ro, ok);
    }
    jout_set(o, "rounds", rounds, ok);
    return o;
}

pl_status pl_report_eum_trace(const pl_scenario *s, const pl_eum_trace *t, int offers,
                              pl_format format, char **out) {
    if (!s || !t || !out) return PL_EINVAL;
    *out = NULL;
    if ((unsigned)format > PL_FORMAT_CSV) return PL_EINVAL; /* HTML, SVG: parley/report.h */
    if (pl_eum_trace_n_issues(t) != pl_scenario_n_issues(s)) return PL_EINVAL;
    buf b = {0};
    json_t *root = NULL;
    int ok = 1;
    if (format == PL_FORMAT_JSON) {
        root = json_array();
        if (!root) return PL_ENOMEM;
    } else if (format == PL_FORMAT_CSV) {
        report_changes_csv(&b, s);
        buf_puts(&b, "issue,round,kind,actor,other,value,from,to\n");
    } else {
        buf_printf(&b, "%s (%s): expected utility model, one issue at a time\n",
                   pl_scenario_name(s), pl_scenario_id(s));
        if (pl_scenario_n_changes(s)) {
            buf_putc(&b, '\n');
            report_changes_text(&b, s);
        }
    }
    for (size_t i = 0; i < pl_scenario_n_issues(s); i++) {
        const pl_issue *is = pl_scenario_issue(s, i);
        const size_t *actors;
        size_t n;
        const pl_eum_result *res = pl_eum_trace_issue(t, i, &actors, &n);
        if (!res) continue;
        if (format == PL_FORMAT_JSON) {
            jout_push(root, json_issue(s, is, res, actors, n, &ok), &ok);
        } else if (format == PL_FORMAT_CSV) {
            size_t n_rounds = pl_eum_result_n_rounds(res);
            for (size_t r = 0; r <= n_rounds; r++) {
                const double *p = pl_eum_result_positions(res, r), *rk = pl_eum_result_risk(res, r);
                buf_csv(&b, is->id);
                buf_printf(&b, ",%zu,mean,,,%.12g,,\n", r, pl_eum_result_mean(res, r));
                buf_csv(&b, is->id);
                buf_printf(&b, ",%zu,median,,,%.12g,,\n", r, pl_eum_result_median(res, r));
                for (size_t k = 0; k < n; k++) {
                    const char *id = pl_scenario_actor(s, actors[k])->id;
                    buf_csv(&b, is->id);
                    buf_printf(&b, ",%zu,position,%s,,%.12g,,\n", r, id, p[k]);
                    if (rk) {
                        buf_csv(&b, is->id);
                        buf_printf(&b, ",%zu,risk,%s,,%.12g,,\n", r, id, rk[k]);
                    }
                }
                size_t n_off;
                const pl_eum_offer *of = pl_eum_result_offers(res, r, &n_off);
                for (size_t k = 0; offers && k < n_off; k++) {
                    if (!of[k].accepted) continue;
                    buf_csv(&b, is->id);
                    buf_printf(&b, ",%zu,%s,%s,%s,%.12g,%.12g,%.12g\n", r,
                               pl_eum_offer_kind_name(of[k].kind),
                               pl_scenario_actor(s, actors[of[k].receiver])->id,
                               pl_scenario_actor(s, actors[of[k].sender])->id, of[k].eu_sender,
                               of[k].from, of[k].to);
                }
            }
        } else {
            text_issue(&b, s, is, res, actors, n, offers);
        }
    }
    if (format == PL_FORMAT_JSON) {
        json_t *tree = root;
        if (pl_scenario_n_changes(s)) { /* a changed scenario says so */
            json_t *wrap = json_object();
            jout_set(wrap, "scenario", json_string(pl_scenario_id(s)), &ok);
            jout_set(wrap, "changes", report_changes_json(s), &ok);
            jout_set(wrap, "issues", tree, &ok);
            tree = wrap;
        }
        return json_out(tree, ok, 15, out);
    }
    return report_take(&b, out);
}
