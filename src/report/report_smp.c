/*
** report_smp.c: a run of the spatial model of politics (pl_smp_result) on its
** input (pl_smp_data): the final positions and their chances, the distinct
** outcomes, and on request the positions, chances and challenges turn by
** turn.  Positions are shown on each dimension's own scale.
*/
#include "core/alloc.h"
#include "core/buf.h"
#include "core/json_out.h"
#include "models/model_smp_int.h"
#include "parley.h"
#include "report/report_int.h"

#include <jansson.h>
#include <stdio.h>

static double on_scale(const pl_smp_data *d, size_t k, double x100) {
    return d->dim_min[k] + (d->dim_max[k] - d->dim_min[k]) * x100 / 100.0;
}

static const char *stop_name(pl_smp_stop s) {
    return s == PL_SMP_STOP_CONVERGED ? "converged" : "max-turns";
}

/* Column width for a dimension's values. */
static size_t dim_width(const pl_smp_data *d, size_t k) {
    size_t w = utf8_width(d->dim_names[k]);
    return w < 7 ? 7 : w > 14 ? 14 : w;
}

static size_t name_width(const pl_smp_data *d) {
    size_t w = 5;
    for (size_t i = 0; i < d->n_actors; i++) {
        size_t l = utf8_width(d->actor_names[i]);
        if (l > w) w = l;
    }
    return w > 25 ? 25 : w;
}

static void put_point(buf *b, const pl_smp_data *d, const double *x) {
    for (size_t k = 0; k < d->n_dims; k++)
        buf_printf(b, "%*.2f  ", (int)dim_width(d, k), on_scale(d, k, x[k]));
}

static void put_dim_header(buf *b, const pl_smp_data *d) {
    for (size_t k = 0; k < d->n_dims; k++) {
        size_t w = dim_width(d, k), l = utf8_width(d->dim_names[k]);
        if (l < w) buf_printf(b, "%*s", (int)(w - l), "");
        buf_cell(b, d->dim_names[k], l < w ? l : w);
        buf_puts(b, "  ");
    }
}

/* Outcome indices of state t, most probable first (stable). */
static size_t *outcome_order(const smp_outcomes *oc) {
    size_t *ord = pl__malloc((oc->n ? oc->n : 1) * sizeof(size_t));
    if (!ord) return NULL;
    for (size_t m = 0; m < oc->n; m++) {
        size_t pos = m;
        while (pos > 0 && oc->items[ord[pos - 1]].prob < oc->items[m].prob) {
            ord[pos] = ord[pos - 1];
            pos--;
        }
        ord[pos] = m;
    }
    return ord;
}

static void text_point_line(buf *b, const pl_smp_data *d, const double *x) {
    for (size_t k = 0; k < d->n_dims; k++)
        buf_printf(b, "%s%s %.2f", k ? ", " : "", d->dim_names[k], on_scale(d, k, x[k]));
}

/* Every actor's position, probability and risk at every turn. */
static void text_history(buf *b, const pl_smp_data *d, const pl_smp_result *r, size_t T, size_t n,
                         size_t nw) {
    buf_puts(b, "\nPositions by turn\n  turn  ");
    buf_cell(b, "actor", nw);
    buf_puts(b, "  ");
    put_dim_header(b, d);
    buf_puts(b, "  prob    risk\n");
    for (size_t t = 0; t <= T; t++)
        for (size_t i = 0; i < n; i++) {
            buf_printf(b, "  %4zu  ", t);
            buf_cell(b, d->actor_names[i], nw);
            buf_puts(b, "  ");
            put_point(b, d, pl_smp_result_position(r, t, i));
            buf_printf(b, "%.4f  %+.3f\n", pl_smp_result_prob(r, t, i),
                       pl_smp_result_risk(r, t, i));
        }
}

/* Every actor's probability of winning at every turn, a column a turn. */
static void text_probs(buf *b, const pl_smp_data *d, const pl_smp_result *r, size_t T, size_t n,
                       size_t nw) {
    buf_puts(b, "\nWinning probabilities by turn\n  ");
    buf_cell(b, "actor", nw);
    for (size_t t = 0; t <= T; t++) buf_printf(b, "  %6zu", t);
    buf_putc(b, '\n');
    for (size_t i = 0; i < n; i++) {
        buf_puts(b, "  ");
        buf_cell(b, d->actor_names[i], nw);
        for (size_t t = 0; t <= T; t++) buf_printf(b, "  %.4f", pl_smp_result_prob(r, t, i));
        buf_putc(b, '\n');
    }
}

/* Turn T's challenges (who challenged whom, the bargains) and choices. */
static void text_challenges(buf *b, const pl_smp_data *d, const pl_smp_result *r, size_t t,
                            size_t n, size_t nd) {
    buf_printf(b, "\nTurn %zu (total move %.2f)\n", t, pl_smp_result_move(r, t));
    for (size_t i = 0; i < n; i++) {
        const pl_smp_challenge *c = pl_smp_result_challenge(r, t, i);
        buf_printf(b, "  %s ", d->actor_names[i]);
        if (c->target == i) {
            buf_puts(b, "has no advantageous target\n");
            continue;
        }
        buf_printf(b, "challenges %s: P(win) %.4f, gain %+.4f\n", d->actor_names[c->target],
                   c->prob, c->gain);
        for (size_t s = 0; s < c->n_bargains; s++) {
            buf_printf(b, "    bargain%s: %s to (",
                       c->n_bargains > 1 ? (s ? " (target's view)" : " (initiator's view)") : "",
                       d->actor_names[i]);
            for (size_t k = 0; k < nd; k++)
                buf_printf(b, "%s%.2f", k ? ", " : "", on_scale(d, k, c->pos_initiator[s][k]));
            buf_printf(b, "), %s to (", d->actor_names[c->target]);
            for (size_t k = 0; k < nd; k++)
                buf_printf(b, "%s%.2f", k ? ", " : "", on_scale(d, k, c->pos_target[s][k]));
            buf_puts(b, ")\n");
        }
    }
    buf_puts(b, "  choices:\n");
    for (size_t k = 0; k < n; k++) {
        const pl_smp_choice *ch = pl_smp_result_choice(r, t, k);
        buf_printf(b, "    %s ", d->actor_names[k]);
        if (ch->initiator == ch->receiver) buf_puts(b, "keeps its position");
        else
            buf_printf(b, "takes the bargain %s > %s", d->actor_names[ch->initiator],
                       d->actor_names[ch->receiver]);
        buf_printf(b, " (p %.4f among %zu)\n", ch->prob, ch->n_options);
    }
}

static int smp_text(buf *b, const pl_smp_data *d, const pl_smp_result *r, unsigned flags) {
    size_t n = r->n_actors, nd = r->n_dims, T = pl_smp_result_n_turns(r);
    size_t nw = name_width(d);
    buf_printf(b, "%s", d->name);
    if (d->description && *d->description) buf_printf(b, ": %s", d->description);
    buf_printf(b,
               "\nSpatial model of politics (KTAB SMP): %zu actors, %zu dimension%s, "
               "%zu turn%s (%s)\n",
               n, nd, nd == 1 ? "" : "s", T, T == 1 ? "" : "s",
               r->stop == PL_SMP_STOP_CONVERGED ? "converged" : "stopped at max-turns");
    buf_puts(b, "Options: ");
    smp_describe(b, &r->opt);
    if (smp_fast_sums(&r->opt, n))
        buf_puts(b, "\nSums: fast (the results agree with KTAB's order of additions to rounding, "
                    "not to the bit; sums=ktab for its order; docs/models/smp.md, \"Fast sums\")");
    buf_puts(b, "\n\nDimensions:\n");
    for (size_t k = 0; k < nd; k++) {
        buf_printf(b, "  %s: %g .. %g", d->dim_names[k], d->dim_min[k], d->dim_max[k]);
        if (d->dim_descs[k]) buf_printf(b, " (%s)", d->dim_descs[k]);
        buf_putc(b, '\n');
    }
    buf_printf(b, "\nPositions after turn %zu, with each position's probability of winning\n  ", T);
    buf_cell(b, "actor", nw);
    buf_puts(b, "  ");
    put_dim_header(b, d);
    buf_puts(b, "  prob  start\n");
    for (size_t i = 0; i < n; i++) {
        buf_puts(b, "  ");
        buf_cell(b, d->actor_names[i], nw);
        buf_puts(b, "  ");
        put_point(b, d, pl_smp_result_position(r, T, i));
        buf_printf(b, "%.4f  ", pl_smp_result_prob(r, T, i));
        for (size_t k = 0; k < nd; k++)
            buf_printf(b, "%s%.2f", k ? "/" : "",
                       on_scale(d, k, pl_smp_result_position(r, 0, i)[k]));
        buf_putc(b, '\n');
    }
    const smp_outcomes *oc = &r->outcomes[T];
    size_t *ord = outcome_order(oc);
    if (!ord) return 0;
    buf_printf(b, "\nDistinct positions after turn %zu, most probable first\n    prob  ", T);
    put_dim_header(b, d);
    buf_puts(b, "actors\n");
    for (size_t q = 0; q < oc->n; q++) {
        const pl_smp_outcome *it = &oc->items[ord[q]];
        buf_printf(b, "  %.4f  ", it->prob);
        put_point(b, d, it->position);
        for (size_t h = 0; h < it->n_holders; h++)
            buf_printf(b, "%s%s", h ? ", " : "", d->actor_names[it->holders[h]]);
        buf_putc(b, '\n');
    }
    pl__free(ord);
    const pl_smp_outcome *mp = &oc->items[oc->most_probable];
    buf_printf(b, "\nMost probable position (p = %.4f): ", mp->prob);
    text_point_line(b, d, mp->position);
    buf_puts(b, "\nProbability-weighted mean:         ");
    text_point_line(b, d, oc->mean);
    buf_putc(b, '\n');

    if (flags & PL_SMP_REPORT_HISTORY) text_history(b, d, r, T, n, nw);
    if (flags & PL_SMP_REPORT_PROBS) text_probs(b, d, r, T, n, nw);
    if (flags & PL_SMP_REPORT_CHALLENGES)
        for (size_t t = 1; t <= T; t++) text_challenges(b, d, r, t, n, nd);
    return 1;
}

static void smp_csv(buf *b, const pl_smp_data *d, const pl_smp_result *r, unsigned flags) {
    size_t n = r->n_actors, nd = r->n_dims, T = pl_smp_result_n_turns(r);
    if (flags & PL_SMP_REPORT_CHALLENGES) {
        buf_puts(b, "turn,actor,target,prob,gain,n_bargains");
        for (size_t k = 0; k < nd; k++) {
            buf_puts(b, ",bargain_actor_");
            buf_csv(b, d->dim_names[k]);
        }
        for (size_t k = 0; k < nd; k++) {
            buf_puts(b, ",bargain_target_");
            buf_csv(b, d->dim_names[k]);
        }
        buf_puts(b, ",chosen_initiator,chosen_receiver,chosen_prob,n_options\n");
        for (size_t t = 1; t <= T; t++)
            for (size_t i = 0; i < n; i++) {
                const pl_smp_challenge *c = pl_smp_result_challenge(r, t, i);
                const pl_smp_choice *ch = pl_smp_result_choice(r, t, i);
                buf_printf(b, "%zu,", t);
                buf_csv(b, d->actor_names[i]);
                buf_putc(b, ',');
                if (c->target != i) {
                    buf_csv(b, d->actor_names[c->target]);
                    buf_printf(b, ",%.10g,%.10g", c->prob, c->gain);
                } else {
                    buf_puts(b, ",,");
                }
                buf_printf(b, ",%zu", c->n_bargains);
                for (int side = 0; side < 2; side++)
                    for (size_t k = 0; k < nd; k++) {
                        if (c->n_bargains)
                            buf_printf(
                                b, ",%.10g",
                                on_scale(d, k,
                                         side ? c->pos_target[0][k] : c->pos_initiator[0][k]));
                        else buf_putc(b, ',');
                    }
                buf_putc(b, ',');
                buf_csv(b, d->actor_names[ch->initiator]);
                buf_putc(b, ',');
                buf_csv(b, d->actor_names[ch->receiver]);
                buf_printf(b, ",%.10g,%zu\n", ch->prob, ch->n_options);
            }
        return;
    }
    buf_puts(b, "turn,actor");
    for (size_t k = 0; k < nd; k++) {
        buf_putc(b, ',');
        buf_csv(b, d->dim_names[k]);
    }
    buf_puts(b, ",prob,risk\n");
    for (size_t t = 0; t <= T; t++)
        for (size_t i = 0; i < n; i++) {
            buf_printf(b, "%zu,", t);
            buf_csv(b, d->actor_names[i]);
            const double *x = pl_smp_result_position(r, t, i);
            for (size_t k = 0; k < nd; k++) buf_printf(b, ",%.10g", on_scale(d, k, x[k]));
            buf_printf(b, ",%.10g,%.10g\n", pl_smp_result_prob(r, t, i),
                       pl_smp_result_risk(r, t, i));
        }
}

/* JSON through jansson; every setter records failure in *ok. */
static json_t *jpoint(const pl_smp_data *d, const double *x) {
    json_t *a = json_array();
    for (size_t k = 0; a && k < d->n_dims; k++)
        if (json_array_append_new(a, json_real(on_scale(d, k, x[k]))) != 0) {
            json_decref(a);
            return NULL;
        }
    return a;
}

/* The options of the run, by name. */
static json_t *json_options(const pl_smp_options *o, size_t n, int *ok) {
    json_t *op = json_object();
    smp_option_names names = smp_names_of(o);
    jout_set(op, "vpm", json_string(names.vpm), ok);
    jout_set(op, "pce", json_string(names.pce), ok);
    jout_set(op, "transitions", json_string(names.transitions), ok);
    jout_set(op, "voting", json_string(names.voting), ok);
    jout_set(op, "radjust", json_string(names.radjust), ok);
    jout_set(op, "rrange", json_string(names.rrange), ok);
    jout_set(op, "commit", json_string(names.commit), ok);
    jout_set(op, "interp", json_string(names.interp), ok);
    jout_set(op, "bargain", json_string(names.bargain), ok);
    jout_set(op, "quirk_receiver_gain", json_boolean(o->quirk_receiver_gain), ok);
    jout_set(op, "quirk_pwcomp_weight", json_boolean(o->quirk_pwcomp_weight), ok);
    jout_set(op, "quirk_linear_challenge", json_boolean(o->quirk_linear_challenge), ok);
    jout_set(op, "ktab_errors", json_boolean(o->ktab_errors), ok);
    jout_set(op, "max_turns", json_integer((json_int_t)o->max_turns), ok);
    jout_set(op, "min_turns", json_integer((json_int_t)o->min_turns), ok);
    jout_set(op, "stop_ratio", json_real(o->stop_ratio), ok);
    jout_set(op, "min_sig_delta", json_real(o->min_sig_delta), ok);
    jout_set(op, "pos_tol", json_real(o->pos_tol), ok);
    char seed[32];
    snprintf(seed, sizeof seed, "%llu", (unsigned long long)o->seed);
    jout_set(op, "seed", json_string(seed), ok);
    /* how the run added its large sums: "ktab" or "fast" (docs/models/smp.md) */
    jout_set(op, "sums", json_string(smp_fast_sums(o, n) ? "fast" : "ktab"), ok);
    return op;
}

/* The input: the dimensions and the actors with their saliences. */
static void json_inputs(json_t *root, const pl_smp_data *d, size_t n, size_t nd, int *ok) {
    json_t *dims = json_array(), *actors = json_array();
    for (size_t k = 0; k < nd; k++) {
        json_t *dk = json_object();
        jout_set(dk, "name", json_string(d->dim_names[k]), ok);
        if (d->dim_descs[k]) jout_set(dk, "description", json_string(d->dim_descs[k]), ok);
        jout_set(dk, "min", json_real(d->dim_min[k]), ok);
        jout_set(dk, "max", json_real(d->dim_max[k]), ok);
        jout_push(dims, dk, ok);
    }
    jout_set(root, "dimensions", dims, ok);
    for (size_t i = 0; i < n; i++) {
        json_t *a = json_object(), *sal = json_array();
        jout_set(a, "name", json_string(d->actor_names[i]), ok);
        if (d->actor_descs[i]) jout_set(a, "description", json_string(d->actor_descs[i]), ok);
        jout_set(a, "capability", json_real(d->capability[i]), ok);
        for (size_t k = 0; k < nd; k++) jout_push(sal, json_real(d->salience[i * nd + k]), ok);
        jout_set(a, "salience", sal, ok);
        jout_push(actors, a, ok);
    }
    jout_set(root, "actors", actors, ok);
}

/* Turn T's challenges (who challenged whom, the bargains) and choices. */
static void json_challenges(json_t *st, const pl_smp_data *d, const pl_smp_result *r, size_t t,
                            size_t n, int *ok) {
    json_t *chs = json_array(), *cho = json_array();
    for (size_t i = 0; i < n; i++) {
        const pl_smp_challenge *c = pl_smp_result_challenge(r, t, i);
        json_t *cj = json_object();
        jout_set(cj, "actor", json_string(d->actor_names[i]), ok);
        if (c->target == i) {
            jout_set(cj, "target", json_null(), ok);
        } else {
            json_t *bs = json_array();
            jout_set(cj, "target", json_string(d->actor_names[c->target]), ok);
            jout_set(cj, "prob", json_real(c->prob), ok);
            jout_set(cj, "gain", json_real(c->gain), ok);
            for (size_t s = 0; s < c->n_bargains; s++) {
                json_t *bj = json_object();
                jout_set(bj, "actor", jpoint(d, c->pos_initiator[s]), ok);
                jout_set(bj, "target", jpoint(d, c->pos_target[s]), ok);
                jout_push(bs, bj, ok);
            }
            jout_set(cj, "bargains", bs, ok);
        }
        jout_push(chs, cj, ok);
        const pl_smp_choice *ch = pl_smp_result_choice(r, t, i);
        json_t *cc = json_object();
        jout_set(cc, "actor", json_string(d->actor_names[i]), ok);
        jout_set(cc, "initiator", json_string(d->actor_names[ch->initiator]), ok);
        jout_set(cc, "receiver", json_string(d->actor_names[ch->receiver]), ok);
        jout_set(cc, "prob", json_real(ch->prob), ok);
        jout_set(cc, "n_options", json_integer((json_int_t)ch->n_options), ok);
        jout_push(cho, cc, ok);
    }
    jout_set(st, "challenges", chs, ok);
    jout_set(st, "choices", cho, ok);
}

/* Turn T: the move, each actor's position, probability and risk. */
static json_t *json_turn(const pl_smp_data *d, const pl_smp_result *r, size_t t, size_t n,
                         unsigned flags, int *ok) {
    json_t *st = json_object(), *pos = json_array(), *pr = json_array(), *rk = json_array();
    jout_set(st, "turn", json_integer((json_int_t)t), ok);
    jout_set(st, "move", json_real(pl_smp_result_move(r, t)), ok);
    for (size_t i = 0; i < n; i++) {
        jout_push(pos, jpoint(d, pl_smp_result_position(r, t, i)), ok);
        jout_push(pr, json_real(pl_smp_result_prob(r, t, i)), ok);
        jout_push(rk, json_real(pl_smp_result_risk(r, t, i)), ok);
    }
    jout_set(st, "positions", pos, ok);
    jout_set(st, "probs", pr, ok);
    jout_set(st, "risk", rk, ok);
    if ((flags & PL_SMP_REPORT_CHALLENGES) && t >= 1) json_challenges(st, d, r, t, n, ok);
    return st;
}

/* The final turn's outcomes by probability, the most probable, the mean. */
static json_t *json_final(const pl_smp_data *d, const pl_smp_result *r, size_t T, int *ok) {
    const smp_outcomes *oc = &r->outcomes[T];
    json_t *fin = json_object(), *outs = json_array();
    jout_set(fin, "turn", json_integer((json_int_t)T), ok);
    size_t *ord = outcome_order(oc);
    if (!ord) *ok = 0;
    for (size_t q = 0; ord && q < oc->n; q++) {
        const pl_smp_outcome *it = &oc->items[ord[q]];
        json_t *oj = json_object(), *hs = json_array();
        jout_set(oj, "position", jpoint(d, it->position), ok);
        jout_set(oj, "prob", json_real(it->prob), ok);
        for (size_t h = 0; h < it->n_holders; h++)
            jout_push(hs, json_string(d->actor_names[it->holders[h]]), ok);
        jout_set(oj, "actors", hs, ok);
        jout_push(outs, oj, ok);
    }
    pl__free(ord);
    jout_set(fin, "outcomes", outs, ok);
    json_t *mp = json_object();
    jout_set(mp, "position", jpoint(d, oc->items[oc->most_probable].position), ok);
    jout_set(mp, "prob", json_real(oc->items[oc->most_probable].prob), ok);
    jout_set(fin, "most_probable", mp, ok);
    jout_set(fin, "mean", jpoint(d, oc->mean), ok);
    return fin;
}

static json_t *smp_json(const pl_smp_data *d, const pl_smp_result *r, unsigned flags, int *ok) {
    size_t n = r->n_actors, nd = r->n_dims, T = pl_smp_result_n_turns(r);
    json_t *root = json_object(), *sc = json_object();
    jout_set(root, "model", json_string("smp"), ok);
    jout_set(sc, "name", json_string(d->name), ok);
    if (d->description) jout_set(sc, "description", json_string(d->description), ok);
    jout_set(sc, "n_actors", json_integer((json_int_t)n), ok);
    jout_set(sc, "n_dims", json_integer((json_int_t)nd), ok);
    jout_set(root, "scenario", sc, ok);
    jout_set(root, "options", json_options(&r->opt, r->n_actors, ok), ok);
    json_inputs(root, d, n, nd, ok);
    jout_set(root, "n_turns", json_integer((json_int_t)T), ok);
    jout_set(root, "stop", json_string(stop_name(r->stop)), ok);
    json_t *hist = json_array();
    for (size_t t = 0; *ok && t <= T; t++) jout_push(hist, json_turn(d, r, t, n, flags, ok), ok);
    jout_set(root, "history", hist, ok);
    jout_set(root, "final", json_final(d, r, T, ok), ok);
    return root;
}

pl_status pl_smp_report(const pl_smp_data *d, const pl_smp_result *res, pl_format format,
                        unsigned flags, char **out) {
    if (!out) return PL_EINVAL;
    *out = NULL;
    if ((unsigned)format > PL_FORMAT_CSV) return PL_EINVAL; /* HTML, SVG: parley/report.h */
    if (!d || !res || d->n_actors != res->n_actors || d->n_dims != res->n_dims ||
        (unsigned)format > PL_FORMAT_CSV)
        return PL_EINVAL;
    if (format == PL_FORMAT_JSON) {
        int ok = 1;
        json_t *root = smp_json(d, res, flags, &ok);
        return json_out(root, ok, 10, out);
    }
    buf b = {0};
    if (format == PL_FORMAT_CSV) smp_csv(&b, d, res, flags);
    else if (!smp_text(&b, d, res, flags)) b.oom = 1;
    return report_take(&b, out);
}
