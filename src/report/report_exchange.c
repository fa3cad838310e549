/*
** report_exchange.c: the exchange model's run (pl_exchange_result) and its
** repetitions (pl_exchange_dist) as text, JSON or CSV -- per issue the
** outcome round by round, the exchanges made (who gave what for what), and
** every actor's externalities.
**
** Positions and outcomes are on each issue's own scale; an exchange's x,
** move and y, and the externalities, on the model's 0-100 scale, as decide
** reports them (docs/models/exchange.md).
*/
#include "core/buf.h"
#include "core/json_out.h"
#include "parley.h"
#include "report/report_int.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>

/* An exchange's position x (0-100) on issue k's own scale. */
static double on_scale(const pl_exchange_data *d, size_t k, double x) {
    double lo, hi;
    pl_exchange_data_scale(d, k, &lo, &hi);
    return x * (hi - lo) / 100 + lo;
}

static json_t *side_json(const pl_exchange_data *d, const pl_exchange_side *s, int *ok) {
    json_t *o = json_object();
    jout_str(o, "actor", pl_exchange_data_actor(d, s->actor), ok);
    jout_str(o, "supply", pl_exchange_data_issue(d, s->supply), ok);
    jout_str(o, "demand", pl_exchange_data_issue(d, s->demand), ok);
    jout_num(o, "x", s->x, ok);
    jout_num(o, "move", s->move, ok);
    jout_num(o, "y", s->y, ok);
    return o;
}

/* Issue k: its scale, the forecast, the outcome and the positions round by
** round. */
static json_t *issue_json(const pl_exchange_data *d, const pl_exchange_result *r, size_t k,
                          int *ok) {
    size_t na = pl_exchange_data_n_actors(d), R = pl_exchange_result_n_rounds(r);
    json_t *io = json_object(), *fc = json_object(), *rounds = json_array();
    double lo, hi;
    pl_exchange_data_scale(d, k, &lo, &hi);
    jout_str(io, "id", pl_exchange_data_issue(d, k), ok);
    jout_num(io, "lower", lo, ok);
    jout_num(io, "upper", hi, ok);
    jout_num(fc, "exchange", pl_exchange_result_forecast(r, k), ok);
    jout_set(io, "forecast", fc, ok);
    jout_num(io, "final", pl_exchange_result_forecast(r, k), ok);
    for (size_t t = 1; t <= R; t++) {
        json_t *o = json_object();
        jout_set(o, "round", json_integer((json_int_t)t), ok);
        jout_num(o, "preference_outcome", pl_exchange_result_preference_outcome(r, t, k), ok);
        jout_num(o, "voting_outcome", pl_exchange_result_voting_outcome(r, t, k), ok);
        jout_push(rounds, o, ok);
    }
    jout_set(io, "rounds", rounds, ok);
    json_t *pp = json_object(), *vp = json_object(), *np = json_object();
    for (size_t a = 0; a < na; a++) {
        if (!pl_exchange_data_stake(d, a, k, NULL, NULL, NULL)) continue;
        json_t *pl = json_array(), *vl = json_array();
        for (size_t t = 1; t <= R; t++) {
            jout_push(pl, json_real(pl_exchange_result_preference(r, t, a, k)), ok);
            jout_push(vl, json_real(pl_exchange_result_vote(r, t, a, k)), ok);
        }
        jout_set(pp, pl_exchange_data_actor(d, a), pl, ok);
        jout_set(vp, pl_exchange_data_actor(d, a), vl, ok);
        jout_num(np, pl_exchange_data_actor(d, a), pl_exchange_result_preference(r, R + 1, a, k),
                 ok);
    }
    jout_set(io, "preference_positions", pp, ok);
    jout_set(io, "voting_positions", vp, ok);
    jout_set(io, "next_preference_positions", np, ok);
    return io;
}

/* Round t: the exchanges made and every actor's externalities (none when
** no exchange was made). */
static json_t *round_json(const pl_exchange_data *d, const pl_exchange_result *r, size_t t,
                          int *ok) {
    size_t na = pl_exchange_data_n_actors(d);
    size_t n;
    const pl_exchange_made *m = pl_exchange_result_exchanges(r, t, &n);
    json_t *o = json_object(), *arr = json_array();
    jout_set(o, "round", json_integer((json_int_t)t), ok);
    jout_set(o, "n_exchanges", json_integer((json_int_t)n), ok);
    for (size_t e = 0; e < n; e++) {
        json_t *x = json_object();
        jout_num(x, "gain", m[e].gain, ok);
        jout_set(x, "i", side_json(d, &m[e].i, ok), ok);
        jout_set(x, "j", side_json(d, &m[e].j, ok), ok);
        jout_push(arr, x, ok);
    }
    jout_set(o, "exchanges", arr, ok);
    json_t *ext = json_object();
    for (size_t a = 0; a < na && n; a++) {
        const pl_exchange_ext *g = pl_exchange_result_ext(r, t, a);
        json_t *x = json_object();
        jout_num(x, "inner_positive", g->inner_positive, ok);
        jout_num(x, "inner_negative", g->inner_negative, ok);
        jout_num(x, "outer_positive", g->outer_positive, ok);
        jout_num(x, "outer_negative", g->outer_negative, ok);
        jout_num(x, "own", g->own, ok);
        jout_set(ext, pl_exchange_data_actor(d, a), x, ok);
    }
    jout_set(o, "externalities", ext, ok);
    return o;
}

static pl_status report_json(const pl_exchange_data *d, const pl_exchange_result *r, char **out) {
    int ok = 1;
    size_t na = pl_exchange_data_n_actors(d), ni = pl_exchange_data_n_issues(d);
    size_t R = pl_exchange_result_n_rounds(r);
    json_t *root = json_object(), *actors = json_array(), *issues = json_array();
    jout_str(root, "model", "exchange", &ok);
    jout_str(root, "input", pl_exchange_data_name(d), &ok);
    jout_set(root, "rounds", json_integer((json_int_t)R), &ok);
    jout_str(root, "units",
             "outcomes and positions on each issue's own scale; exchange x/move/y and "
             "externalities on the 0..100 scale",
             &ok);
    for (size_t a = 0; a < na; a++) {
        json_t *o = json_object();
        jout_str(o, "id", pl_exchange_data_actor(d, a), &ok);
        jout_str(o, "name", pl_exchange_data_actor_name(d, a), &ok);
        jout_push(actors, o, &ok);
    }
    jout_set(root, "actors", actors, &ok);
    for (size_t k = 0; k < ni && ok; k++) jout_push(issues, issue_json(d, r, k, &ok), &ok);
    jout_set(root, "issues", issues, &ok);
    json_t *details = json_array();
    for (size_t t = 1; t <= R && ok; t++) jout_push(details, round_json(d, r, t, &ok), &ok);
    jout_set(root, "round_details", details, &ok);
    return json_out(root, ok, 17, out);
}

static void report_csv(buf *b, const pl_exchange_data *d, const pl_exchange_result *r) {
    size_t R = pl_exchange_result_n_rounds(r);
    buf_puts(b, "round,n,gain,actor_i,supply_i,demand_i,x_i,move_i,y_i,actor_j,supply_j,demand_j,"
                "x_j,move_j,y_j\n");
    for (size_t t = 1; t <= R; t++) {
        size_t n;
        const pl_exchange_made *m = pl_exchange_result_exchanges(r, t, &n);
        for (size_t e = 0; e < n; e++) {
            buf_printf(b, "%zu,%zu,%.10g", t, e + 1, m[e].gain);
            const pl_exchange_side *sides[2] = {&m[e].i, &m[e].j};
            for (int s = 0; s < 2; s++) {
                buf_putc(b, ',');
                buf_csv(b, pl_exchange_data_actor(d, sides[s]->actor));
                buf_putc(b, ',');
                buf_csv(b, pl_exchange_data_issue(d, sides[s]->supply));
                buf_putc(b, ',');
                buf_csv(b, pl_exchange_data_issue(d, sides[s]->demand));
                buf_printf(b, ",%.10g,%.10g,%.10g", sides[s]->x, sides[s]->move, sides[s]->y);
            }
            buf_putc(b, '\n');
        }
    }
}

static void report_text(buf *b, const pl_exchange_data *d, const pl_exchange_result *r,
                        int exchanges) {
    size_t na = pl_exchange_data_n_actors(d), ni = pl_exchange_data_n_issues(d);
    size_t R = pl_exchange_result_n_rounds(r);
    buf_printf(b,
               "%s: the exchange model (Stokman; decide's equal gain), %zu actors, %zu issues, "
               "%zu rounds\n",
               pl_exchange_data_name(d), na, ni, R);
    buf_puts(b, "Forecast: the voting outcome of the last round, on each issue's scale.\n\n");
    buf_cell(b, "issue", 24);
    buf_printf(b, " %9s %9s %9s %9s %12s\n", "scale", "start", "forecast", "moved", "votes moved");
    for (size_t k = 0; k < ni; k++) {
        double lo, hi;
        pl_exchange_data_scale(d, k, &lo, &hi);
        char scale[40];
        snprintf(scale, sizeof scale, "%g-%g", lo, hi);
        size_t n_in = 0;
        for (size_t t = 1; t <= R; t++) {
            size_t n;
            const pl_exchange_made *m = pl_exchange_result_exchanges(r, t, &n);
            for (size_t e = 0; e < n; e++)
                n_in += (size_t)(m[e].i.supply == k) + (size_t)(m[e].j.supply == k);
        }
        double start = pl_exchange_result_preference_outcome(r, 1, k);
        double fc = pl_exchange_result_forecast(r, k);
        buf_cell(b, pl_exchange_data_issue(d, k), 24);
        buf_printf(b, " %9s %9.2f %9.2f %+9.2f %12zu\n", scale, start, fc, fc - start, n_in);
    }
    buf_puts(b, "\nVoting outcome per round:\n");
    buf_cell(b, "issue", 24);
    for (size_t t = 1; t <= R; t++) {
        char h[16];
        snprintf(h, sizeof h, "r%zu", t);
        buf_printf(b, " %7s", h);
    }
    buf_putc(b, '\n');
    for (size_t k = 0; k < ni; k++) {
        buf_cell(b, pl_exchange_data_issue(d, k), 24);
        for (size_t t = 1; t <= R; t++)
            buf_printf(b, " %7.2f", pl_exchange_result_voting_outcome(r, t, k));
        buf_putc(b, '\n');
    }
    buf_puts(b, "\nExchanges made, per round, in the order made (the best gain first): each\n"
                "actor moves its vote on the issue it cares less about, for the other's move\n"
                "on the issue it cares more about (votes on each issue's scale):\n");
    for (size_t t = 1; t <= R; t++) {
        size_t n;
        const pl_exchange_made *m = pl_exchange_result_exchanges(r, t, &n);
        buf_printf(b, "Round %zu: %zu exchange%s\n", t, n, n == 1 ? "" : "s");
        if (!exchanges) continue;
        for (size_t e = 0; e < n; e++) {
            const pl_exchange_side *i = &m[e].i, *j = &m[e].j;
            buf_printf(b, "  %3zu. %s: %s %.4g -> %.4g  for  %s: %s %.4g -> %.4g  (gain %.4g)\n",
                       e + 1, pl_exchange_data_actor(d, i->actor),
                       pl_exchange_data_issue(d, i->supply), on_scale(d, i->supply, i->x),
                       on_scale(d, i->supply, i->y), pl_exchange_data_actor(d, j->actor),
                       pl_exchange_data_issue(d, j->supply), on_scale(d, j->supply, j->x),
                       on_scale(d, j->supply, j->y), m[e].gain);
        }
    }
    buf_puts(b, "\nExternalities over all rounds (0-100 units x salience; own: the actor's "
                "gains from its exchanges):\n");
    buf_cell(b, "actor", 24);
    buf_printf(b, " %10s %10s %10s %10s %10s\n", "own", "inner +", "inner -", "outer +", "outer -");
    for (size_t a = 0; a < na; a++) {
        pl_exchange_ext sum = {0};
        for (size_t t = 1; t <= R; t++) {
            const pl_exchange_ext *g = pl_exchange_result_ext(r, t, a);
            sum.own += g->own;
            sum.inner_positive += g->inner_positive;
            sum.inner_negative += g->inner_negative;
            sum.outer_positive += g->outer_positive;
            sum.outer_negative += g->outer_negative;
        }
        buf_cell(b, pl_exchange_data_actor(d, a), 24);
        buf_printf(b, " %10.3f %10.3f %10.3f %10.3f %10.3f\n", sum.own, sum.inner_positive,
                   sum.inner_negative, sum.outer_positive, sum.outer_negative);
    }
}

pl_status pl_report_exchange(const pl_exchange_data *d, const pl_exchange_result *r, int exchanges,
                             pl_format format, char **out) {
    if (!out) return PL_EINVAL;
    *out = NULL;
    if (!d || !r || pl_exchange_result_n_rounds(r) == 0) return PL_EINVAL;
    if (format == PL_FORMAT_JSON) return report_json(d, r, out);
    buf b = {0};
    if (format == PL_FORMAT_CSV) report_csv(&b, d, r);
    else report_text(&b, d, r, exchanges);
    return report_take(&b, out);
}

pl_status pl_report_exchange_sweep(const pl_exchange_data *d, const pl_exchange_dist *const *dists,
                                   size_t n, pl_format format, char **out) {
    if (!out) return PL_EINVAL;
    *out = NULL;
    if (!d || !dists || n == 0) return PL_EINVAL;
    size_t ni = pl_exchange_data_n_issues(d);
    if (format == PL_FORMAT_JSON) {
        int ok = 1;
        json_t *root = json_object(), *runs = json_array();
        jout_str(root, "model", "exchange", &ok);
        jout_str(root, "input", pl_exchange_data_name(d), &ok);
        jout_set(root, "repetitions", json_integer((json_int_t)pl_exchange_dist_n(dists[0])), &ok);
        for (size_t s = 0; s < n && ok; s++) {
            json_t *o = json_object(), *issues = json_array();
            jout_num(o, "p", pl_exchange_dist_p(dists[s]), &ok);
            jout_num(o, "mean_exchanges", pl_exchange_dist_mean_exchanges(dists[s]), &ok);
            for (size_t k = 0; k < ni; k++) {
                pl_mc_stats st;
                if (pl_exchange_dist_summary(dists[s], k, &st) != PL_OK) ok = 0;
                json_t *io = json_object();
                jout_str(io, "id", pl_exchange_data_issue(d, k), &ok);
                jout_num(io, "mean", st.mean, &ok);
                jout_num(io, "sd", st.sd, &ok);
                jout_num(io, "median", st.median, &ok);
                jout_num(io, "p5", st.p5, &ok);
                jout_num(io, "p95", st.p95, &ok);
                jout_num(io, "min", st.min, &ok);
                jout_num(io, "max", st.max, &ok);
                jout_push(issues, io, &ok);
            }
            jout_set(o, "issues", issues, &ok);
            jout_push(runs, o, &ok);
        }
        jout_set(root, "runs", runs, &ok);
        return json_out(root, ok, 17, out);
    }
    buf b = {0};
    if (format == PL_FORMAT_CSV) {
        buf_puts(&b, "p,issue,mean,sd,median,p5,p95,min,max\n");
    } else {
        buf_printf(&b,
                   "%s: the randomised exchange model (decide's p), %zu repetitions per p, "
                   "repetition r drawing from the stream (seed, r)\n",
                   pl_exchange_data_name(d), pl_exchange_dist_n(dists[0]));
        buf_puts(&b, "The last round's voting outcome: mean, and 5th-95th percentile.\n\n");
    }
    for (size_t s = 0; s < n; s++) {
        double p = pl_exchange_dist_p(dists[s]);
        if (format == PL_FORMAT_TEXT)
            buf_printf(&b, "p = %.4g (%.1f exchanges per run on average)\n", p,
                       pl_exchange_dist_mean_exchanges(dists[s]));
        for (size_t k = 0; k < ni; k++) {
            pl_mc_stats st;
            pl_exchange_dist_summary(dists[s], k, &st);
            if (format == PL_FORMAT_CSV) {
                buf_printf(&b, "%.10g,", p);
                buf_csv(&b, pl_exchange_data_issue(d, k));
                buf_printf(&b, ",%.10g,%.10g,%.10g,%.10g,%.10g,%.10g,%.10g\n", st.mean, st.sd,
                           st.median, st.p5, st.p95, st.min, st.max);
            } else {
                buf_puts(&b, "  ");
                buf_cell(&b, pl_exchange_data_issue(d, k), 24);
                buf_printf(&b, " %9.2f  [%.2f, %.2f]  sd %.2f\n", st.mean, st.p5, st.p95, st.sd);
            }
        }
    }
    return report_take(&b, out);
}

pl_status pl_report_exchange_backtest(const char *name, const pl_backtest_stats *exchange,
                                      const pl_backtest_stats *compromise, pl_format format,
                                      char **out) {
    if (!out) return PL_EINVAL;
    *out = NULL;
    if (!exchange || !compromise) return PL_EINVAL;
    const pl_backtest_stats *st[2] = {exchange, compromise};
    const char *names[2] = {"exchange", "compromise"};
    if (format == PL_FORMAT_JSON) {
        int ok = 1;
        json_t *root = json_object(), *models = json_array();
        jout_str(root, "file", name, &ok);
        jout_set(root, "issues", json_integer((json_int_t)exchange->n), &ok);
        jout_str(root, "validation",
                 "in-sample (the exchange model has no fitted parameter); linked issues: each "
                 "proposal's",
                 &ok);
        for (int m = 0; m < 2; m++) {
            json_t *o = json_object(), *all = json_object();
            jout_str(o, "model", names[m], &ok);
            jout_set(all, "n", json_integer((json_int_t)st[m]->n), &ok);
            jout_num(all, "mae", st[m]->mae, &ok);
            jout_num(all, "median_ae", st[m]->median_ae, &ok);
            jout_num(all, "rmse", st[m]->rmse, &ok);
            jout_num(all, "within10", st[m]->within10, &ok);
            jout_num(all, "within20", st[m]->within20, &ok);
            jout_set(o, "all", all, &ok);
            jout_push(models, o, &ok);
        }
        jout_set(root, "models", models, &ok);
        return json_out(root, ok, 12, out);
    }
    buf b = {0};
    if (format == PL_FORMAT_CSV) {
        buf_puts(&b, "model,n,mae,median_ae,rmse,within10,within20\n");
        for (int m = 0; m < 2; m++)
            buf_printf(&b, "%s,%zu,%.10g,%.10g,%.10g,%.10g,%.10g\n", names[m], st[m]->n, st[m]->mae,
                       st[m]->median_ae, st[m]->rmse, st[m]->within10, st[m]->within20);
        return report_take(&b, out);
    }
    buf_printf(&b,
               "%s: the exchange model on %zu issues with an outcome, each proposal's issues "
               "trading with each other\n(in-sample: the model has no fitted parameter; an "
               "issue alone in its proposal keeps its compromise)\n\n",
               name, exchange->n);
    buf_printf(&b, "%-12s %8s %10s %8s %10s %10s\n", "model", "MAE", "median AE", "RMSE",
               "within 10", "within 20");
    for (int m = 0; m < 2; m++)
        buf_printf(&b, "%-12s %8.2f %10.2f %8.2f %9.0f%% %9.0f%%\n", names[m], st[m]->mae,
                   st[m]->median_ae, st[m]->rmse, 100 * st[m]->within10, 100 * st[m]->within20);
    return report_take(&b, out);
}
