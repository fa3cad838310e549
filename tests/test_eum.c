/*
** test_eum.c: tests of the expected utility model (src/model_eum.c).
**
** - The Scholz preset reproduces the published replication's trajectory on
**   the EC emission case (shared/data/emission), every value to 1e-9.
** - The utilities give the spec's check values.
** - A naive reference written straight from the spec (O(n^3) per round and
**   worse; no shared code but the option struct) agrees with the library on
**   random actors for every combination of options, round by round.
** - Stopping (tolerance, max rounds, cycles), degenerate inputs, argument
**   checks, thread-count bit-identity and allocation failures.
**
** The shared data directory comes from PL_SHARED_DIR (tests/pl_test.h).
*/
#define _POSIX_C_SOURCE 200809L /* strtok_r */

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/alloc.h"
#include "models/model_eum.h"
#include "core/rng.h"

#include "eum_option_bits.h"
#include "pl_test.h"

#define EMISSION_N 10
#define TRAJ_ROUNDS 10

/* ------------------------------------------------------------------------
** Test data
*/
/* A file under the shared folder: missing is a skip (a failure under
** PL_REQUIRE_SHARED=1; tests/pl_test.h). */
static FILE *open_shared(const char *rel) {
    pl_test_need_shared(rel);
    FILE *f = fopen(pl_test_shared(rel), "r");
    if (!f) fail_msg("cannot open %s", pl_test_shared(rel));
    return f;
}

typedef struct emission {
    size_t n;
    double x[EMISSION_N], c[EMISSION_N], s[EMISSION_N];
} emission;

/* The CSV with a header naming Actor, Capability, Position, Salience in
** any order. */
static void load_emission(emission *e) {
    char line[512];
    int col_x = -1, col_c = -1, col_s = -1, col;
    FILE *f = open_shared("data/emission/ec-emissions-1994.csv");
    char *tok, *save;
    assert_non_null(fgets(line, sizeof line, f));
    for (col = 0, tok = strtok_r(line, ",\r\n", &save); tok;
         col++, tok = strtok_r(NULL, ",\r\n", &save)) {
        if (!strcmp(tok, "Position")) col_x = col;
        if (!strcmp(tok, "Capability")) col_c = col;
        if (!strcmp(tok, "Salience")) col_s = col;
    }
    assert_true(col_x >= 0 && col_c >= 0 && col_s >= 0);
    e->n = 0;
    while (fgets(line, sizeof line, f)) {
        if (line[0] == '\n' || line[0] == '\r') continue;
        assert_true(e->n < EMISSION_N);
        for (col = 0, tok = strtok_r(line, ",\r\n", &save); tok;
             col++, tok = strtok_r(NULL, ",\r\n", &save)) {
            if (col == col_x) e->x[e->n] = strtod(tok, NULL);
            if (col == col_c) e->c[e->n] = strtod(tok, NULL);
            if (col == col_s) e->s[e->n] = strtod(tok, NULL);
        }
        e->n++;
    }
    fclose(f);
    assert_int_equal(e->n, EMISSION_N);
}

typedef struct traj_row {
    double mean, median;
    double x[EMISSION_N];
    double r[EMISSION_N];
    int has_r;
} traj_row;

/* "round mean median x1..xn [| r: r1..rn]", '#' lines are comments. */
static size_t load_trajectory(traj_row *rows, size_t max_rows) {
    char line[2048];
    size_t n_rows = 0, k;
    FILE *f = open_shared("data/emission/scholz-trajectory.txt");
    while (fgets(line, sizeof line, f)) {
        char *p = line, *end;
        traj_row *row;
        if (line[0] == '#' || line[0] == '\n') continue;
        assert_true(n_rows < max_rows);
        row = &rows[n_rows];
        assert_int_equal(strtol(p, &end, 10), (long)n_rows);
        p = end;
        row->mean = strtod(p, &p);
        row->median = strtod(p, &p);
        for (k = 0; k < EMISSION_N; k++) {
            row->x[k] = strtod(p, &end);
            assert_true(end != p);
            p = end;
        }
        row->has_r = strstr(p, "| r:") != NULL;
        if (row->has_r) {
            p = strstr(p, "| r:") + 4;
            for (k = 0; k < EMISSION_N; k++) {
                row->r[k] = strtod(p, &end);
                assert_true(end != p);
                p = end;
            }
        }
        n_rows++;
    }
    fclose(f);
    return n_rows;
}

static void assert_near_at(double got, double want, double tol, const char *what, size_t round,
                           size_t k) {
    if (!(fabs(got - want) <= tol))
        fail_msg("%s, round %zu, actor %zu: got %.17g, want %.17g", what, round, k, got, want);
}

static pl_eum_result *run_ok(size_t n, const double *x, const double *c, const double *s,
                             const pl_eum_options *opt) {
    pl_eum_result *res = NULL;
    assert_int_equal(pl_eum_run(n, x, c, s, opt, &res), PL_OK);
    assert_non_null(res);
    return res;
}

/* Every value finite, positions and forecasts inside the starting range,
** risk exponents in [0.5, 2], offers consistent. */
static void assert_sane(const pl_eum_result *res, const double *x0) {
    size_t n = pl_eum_result_n_actors(res), t, k, i, n_offers;
    double lo = x0[0], hi = x0[0];
    for (k = 1; k < n; k++) {
        if (x0[k] < lo) lo = x0[k];
        if (x0[k] > hi) hi = x0[k];
    }
    for (t = 0; t <= pl_eum_result_n_rounds(res); t++) {
        const double *x = pl_eum_result_positions(res, t);
        const double *r = pl_eum_result_risk(res, t);
        const pl_eum_offer *offers = pl_eum_result_offers(res, t, &n_offers);
        double mean = pl_eum_result_mean(res, t);
        double median = pl_eum_result_median(res, t);
        assert_non_null(x);
        assert_true(isfinite(mean) && mean >= lo && mean <= hi);
        assert_true(isfinite(median) && median >= lo && median <= hi);
        for (k = 0; k < n; k++) {
            assert_true(isfinite(x[k]) && x[k] >= lo && x[k] <= hi);
            if (t == 0) continue;
            assert_non_null(r);
            assert_true(r[k] >= 0.5 && r[k] <= 2.0);
        }
        if (t == 0) assert_null(r);
        for (i = 0; i < n_offers; i++) {
            const pl_eum_offer *o = &offers[i];
            assert_true(o->sender < n && o->receiver < n);
            assert_true(o->sender != o->receiver);
            assert_true(isfinite(o->eu_sender) && isfinite(o->eu_receiver));
            assert_true(o->from == pl_eum_result_positions(res, t - 1)[o->receiver]);
            if (o->accepted) assert_true(x[o->receiver] == o->to);
        }
    }
}

/* ------------------------------------------------------------------------
** 1. The Scholz preset reproduces the reference trajectory
*/
static void test_scholz_trajectory(void **state) {
    emission e;
    traj_row rows[TRAJ_ROUNDS + 1];
    pl_eum_options opt;
    pl_eum_result *res;
    size_t t, k, n_rows;
    (void)state;
    load_emission(&e);
    n_rows = load_trajectory(rows, TRAJ_ROUNDS + 1);
    assert_int_equal(n_rows, TRAJ_ROUNDS + 1);
    pl_eum_options_init(&opt, PL_EUM_PRESET_SCHOLZ);
    opt.max_rounds = TRAJ_ROUNDS;
    res = run_ok(e.n, e.x, e.c, e.s, &opt);
    assert_int_equal(pl_eum_result_n_rounds(res), TRAJ_ROUNDS);
    assert_int_equal(pl_eum_result_stop(res), PL_EUM_STOP_MAX_ROUNDS);
    assert_true(pl_eum_result_delta(res) == 6.0);
    for (t = 0; t <= TRAJ_ROUNDS; t++) {
        const double *x = pl_eum_result_positions(res, t);
        const double *r = pl_eum_result_risk(res, t);
        assert_near_at(pl_eum_result_mean(res, t), rows[t].mean, 1e-9, "mean", t, 0);
        assert_near_at(pl_eum_result_median(res, t), rows[t].median, 1e-9, "median", t, 0);
        for (k = 0; k < e.n; k++) {
            assert_near_at(x[k], rows[t].x[k], 1e-9, "position", t, k);
            if (rows[t].has_r) assert_near_at(r[k], rows[t].r[k], 1e-9, "r", t, k);
        }
        assert_int_equal(rows[t].has_r, t > 0);
    }
    assert_sane(res, e.x);
    pl_eum_result_free(res);
}

/* The spec's account of round 1: Belgium compromises toward France (to
** 8.4159), Luxembourg loses a conflict to Belgium (to 7), Ireland loses a
** conflict to Luxembourg (to 4); nobody else moves. */
static void test_scholz_round1_offers(void **state) {
    enum { NL, BE, LU, DE, FR, IT, UK, IE, DK, GR };
    emission e;
    pl_eum_result *res;
    pl_eum_options opt;
    const pl_eum_offer *offers;
    size_t n_offers, i, n_accepted = 0;
    (void)state;
    load_emission(&e);
    pl_eum_options_init(&opt, PL_EUM_PRESET_SCHOLZ);
    opt.max_rounds = 1;
    res = run_ok(e.n, e.x, e.c, e.s, &opt);
    offers = pl_eum_result_offers(res, 1, &n_offers);
    assert_non_null(offers);
    for (i = 0; i < n_offers; i++) {
        const pl_eum_offer *o = &offers[i];
        if (i > 0)
            assert_true(
                o->receiver > offers[i - 1].receiver ||
                (o->receiver == offers[i - 1].receiver && o->sender > offers[i - 1].sender));
        if (!o->accepted) continue;
        n_accepted++;
        switch (o->receiver) {
            case BE:
                assert_int_equal(o->sender, FR);
                assert_int_equal(o->kind, PL_EUM_COMPROMISE);
                assert_true(o->eu_receiver < 0 && o->eu_sender > -o->eu_receiver);
                assert_near_at(o->to, 8.415932315426769, 1e-9, "Belgium", 1, BE);
                break;
            case LU:
                assert_int_equal(o->sender, BE);
                assert_int_equal(o->kind, PL_EUM_CONFLICT);
                assert_true(o->eu_sender > o->eu_receiver && o->eu_receiver > 0);
                assert_true(o->to == 7.0);
                break;
            case IE:
                assert_int_equal(o->sender, LU);
                assert_int_equal(o->kind, PL_EUM_CONFLICT);
                assert_true(o->to == 4.0);
                break;
            default: fail_msg("actor %zu should not move", o->receiver);
        }
    }
    assert_int_equal(n_accepted, 3);
    assert_null(pl_eum_result_offers(res, 0, &n_offers));
    assert_int_equal(n_offers, 0);
    pl_eum_result_free(res);

    /* recording only the moves keeps exactly the accepted offers */
    opt.record = PL_EUM_RECORD_MOVES;
    res = run_ok(e.n, e.x, e.c, e.s, &opt);
    offers = pl_eum_result_offers(res, 1, &n_offers);
    assert_int_equal(n_offers, 3);
    assert_int_equal(offers[0].receiver, BE);
    assert_int_equal(offers[0].kind, PL_EUM_COMPROMISE);
    assert_int_equal(offers[1].receiver, LU);
    assert_int_equal(offers[2].receiver, IE);
    for (i = 0; i < 3; i++) assert_true(offers[i].accepted);
    pl_eum_result_free(res);

    opt.record = PL_EUM_RECORD_NONE;
    res = run_ok(e.n, e.x, e.c, e.s, &opt);
    assert_null(pl_eum_result_offers(res, 1, &n_offers));
    assert_int_equal(n_offers, 0);
    pl_eum_result_free(res);
}

/* Variant 5: the typo only matters where a capitulation would fire; on the
** EC emission case the first 10 rounds are identical either way. */
static void test_capitulation_typo_emission(void **state) {
    emission e;
    pl_eum_options opt;
    pl_eum_result *a, *b;
    size_t t;
    (void)state;
    load_emission(&e);
    pl_eum_options_init(&opt, PL_EUM_PRESET_SCHOLZ);
    opt.max_rounds = TRAJ_ROUNDS;
    a = run_ok(e.n, e.x, e.c, e.s, &opt);
    opt.capitulation_typo = 0;
    b = run_ok(e.n, e.x, e.c, e.s, &opt);
    for (t = 0; t <= TRAJ_ROUNDS; t++)
        assert_memory_equal(pl_eum_result_positions(a, t), pl_eum_result_positions(b, t),
                            e.n * sizeof(double));
    pl_eum_result_free(a);
    pl_eum_result_free(b);
}

/* ------------------------------------------------------------------------
** 2. Utilities
*/
static void test_utilities(void **state) {
    (void)state;
    assert_near_at(eum_u_success(0, 2), 1, 1e-15, "U_s(0)", 0, 0);
    assert_near_at(eum_u_success(0.5, 2), 1.75, 1e-15, "U_s(0.5)", 0, 0);
    assert_near_at(eum_u_failure(0.5, 2), -0.25, 1e-15, "U_f(0.5)", 0, 0);
    assert_near_at(eum_u_status_quo(2), 1, 1e-15, "U_sq r=2", 0, 0);
    assert_near_at(eum_u_status_quo(0.5), -0.828427, 1e-6, "U_sq r=.5", 0, 0);
    assert_near_at(eum_u_status_quo(0.5), 2 - 2 * sqrt(2.0), 1e-15, "U_sq", 0, 0);
    /* r = 1: linear, U_sq = 0, U_s = 2d, U_f = -2d */
    assert_near_at(eum_u_success(1, 1), 2, 0, "U_s(1)", 0, 0);
    assert_near_at(eum_u_failure(1, 1), -2, 0, "U_f(1)", 0, 0);
    assert_near_at(eum_u_failure(0, 2), 1, 1e-15, "U_f(0)", 0, 0);
    assert_near_at(eum_u_status_quo(1), 0, 0, "U_sq r=1", 0, 0);
    assert_near_at(eum_u_better(0.5, 0.5, 1), 1, 1e-15, "U_b", 0, 0);
    assert_near_at(eum_u_worse(0.5, 0.5, 1), -1, 1e-15, "U_w", 0, 0);
    assert_near_at(eum_u_better(1, 1, 2), 2, 1e-15, "U_b max", 0, 0);
    assert_near_at(eum_u_worse(1, 1, 0.5), 2 - 4 * 1.0, 1e-15, "U_w max", 0, 0);
    /* out-of-range distances are clamped, never NaN */
    assert_true(isfinite(eum_u_better(2, 2, 0.5)));
    assert_true(isfinite(eum_u_success(-1, 0.5)));
    /* eqs 32-33 */
    assert_near_at(eum_risk_exponent(3, 3, 1), 0.5, 1e-15, "r max", 0, 0);
    assert_near_at(eum_risk_exponent(1, 3, 1), 2.0, 1e-15, "r min", 0, 0);
    assert_near_at(eum_risk_exponent(2, 3, 1), 1.0, 1e-15, "r mid", 0, 0);
    assert_near_at(eum_risk_exponent(5, 5, 5), 1.0, 0, "r flat", 0, 0);
    assert_near_at(eum_risk_exponent(2.5, 3, 1), (1 - 0.5 / 3) / (1 + 0.5 / 3), 1e-15, "r", 0, 0);
}

/* ------------------------------------------------------------------------
** 3. A naive reference, straight from docs/models/eum.md
*/
typedef struct ref_t {
    size_t n;
    const double *x, *w, *s;
    double delta;
    const pl_eum_options *opt;
    const double *rho; /* vote exponents */
    double dall;       /* all-pairs denominator, set by ref_init */
} ref_t;

static double ref_d(const ref_t *rf, double a, double b) {
    return rf->delta > 0 ? fabs(a - b) / rf->delta : 0;
}

static double ref_median(size_t n, const double *x, const double *w) {
    double total = 0, best = INFINITY;
    size_t a, k;
    int equal;
    for (k = 0; k < n; k++) total += w[k];
    equal = !(total > 0);
    if (equal) total = (double)n;
    for (a = 0; a < n; a++) {
        double cum = 0;
        for (k = 0; k < n; k++)
            if (x[k] <= x[a]) cum += equal ? 1.0 : w[k];
        if (2 * cum >= total && x[a] < best) best = x[a];
    }
    return best;
}

/* voter k's vote for position a over b */
static double ref_vote(const ref_t *rf, size_t k, double a, double b) {
    return rf->w[k] *
           (pow(ref_d(rf, rf->x[k], b), rf->rho[k]) - pow(ref_d(rf, rf->x[k], a), rf->rho[k]));
}

/* Set the positions and vote exponents, and the all-pairs denominator. */
static void ref_init(ref_t *rf, const double *x, const double *rho) {
    size_t k, a, b;
    rf->x = x;
    rf->rho = rho;
    rf->dall = 0;
    for (k = 0; k < rf->n; k++)
        for (a = 0; a < rf->n; a++)
            for (b = 0; b < rf->n; b++) rf->dall += fabs(ref_vote(rf, k, x[a], x[b]));
}

static double ref_prob(const ref_t *rf, double xa, double xb) {
    double num = 0, den = 0;
    size_t k;
    if (xa == xb) return 0;
    for (k = 0; k < rf->n; k++) {
        double v = ref_vote(rf, k, xa, xb);
        if (v > 0) num += v;
        den += fabs(v);
    }
    if (rf->opt->prob_denom == PL_EUM_PROB_PAIR) return den > 0 ? num / den : 0.5;
    return rf->dall > 0 ? num / rf->dall : 0;
}

/* E of the actor at xi challenging actor j, with exponent r. */
static double ref_eu(const ref_t *rf, double xi, size_t j, double r, double mu, double p) {
    double xj = rf->x[j], d = ref_d(rf, xi, xj), q = rf->opt->q;
    double d_mu = ref_d(rf, xi, mu);
    double us = 2 - 4 * pow(0.5 - 0.5 * d, r);
    double uf = 2 - 4 * pow(0.5 + 0.5 * d, r);
    double ub = 2 - 4 * pow(0.5 - 0.25 * (d_mu + d), r);
    double uw = 2 - 4 * pow(0.5 + 0.25 * (d_mu + d), r);
    double usq = 2 - 4 * pow(0.5, r);
    double t = fabs(xi - mu) < fabs(xi - xj) ? 1 : 0;
    return rf->s[j] * (p * us + (1 - p) * uf) + (1 - rf->s[j]) * us - q * usq -
           (1 - q) * (t * ub + (1 - t) * uw);
}

/* S_i: the others' gains from challenging i, every r = 1. */
static double ref_danger(const ref_t *rf, size_t i) {
    double s = 0, mu = ref_median(rf->n, rf->x, rf->w);
    size_t j;
    for (j = 0; j < rf->n; j++)
        if (j != i) s += ref_eu(rf, rf->x[j], i, 1.0, mu, ref_prob(rf, rf->x[j], rf->x[i]));
    return s;
}

/* eqs 32-33: r in [0.5, 2], the extremes exact (so that tied actors tie) */
static double ref_r(double s, double s_max, double s_min) {
    double big_r;
    if (!(s_max > s_min)) return 1;
    if (s == s_max) return 0.5;
    if (s == s_min) return 2;
    big_r = fmin(1, fmax(-1, (2 * s - s_max - s_min) / (s_max - s_min)));
    return (1 - big_r / 3) / (1 + big_r / 3);
}

#define REF_MAX_N 24 /* actors ref_round takes */

static void ref_round(size_t n, const double *x, const double *w, const double *s, double delta,
                      const pl_eum_options *opt, double *r, double *newx) {
    double ones[REF_MAX_N], danger[REF_MAX_N], moved[REF_MAX_N], mu;
    ref_t rf = {n, x, w, s, delta, opt, ones, 0};
    size_t i, j, u;
    assert_true(n <= REF_MAX_N);
    for (i = 0; i < n; i++) ones[i] = 1;
    ref_init(&rf, x, ones);
    if (opt->risk_norm == PL_EUM_RISK_ACROSS_ACTORS) {
        double s_max = -INFINITY, s_min = INFINITY;
        for (i = 0; i < n; i++) {
            danger[i] = ref_danger(&rf, i);
            s_max = fmax(s_max, danger[i]);
            s_min = fmin(s_min, danger[i]);
        }
        for (i = 0; i < n; i++) r[i] = ref_r(danger[i], s_max, s_min);
    } else {
        for (i = 0; i < n; i++) {
            ref_t alt = rf;
            double own = ref_danger(&rf, i), s_max = own, s_min = own;
            for (u = 0; u < n; u++) {
                double si;
                memcpy(moved, x, n * sizeof *moved);
                moved[i] = x[u];
                ref_init(&alt, moved, ones);
                si = ref_danger(&alt, i);
                s_max = fmax(s_max, si);
                s_min = fmin(s_min, si);
            }
            r[i] = ref_r(own, s_max, s_min);
        }
    }
    ref_init(&rf, x, opt->risk_votes ? r : ones);
    mu = ref_median(n, x, w);
    for (i = 0; i < n; i++) {
        int best_kind = 0, best_rank = 0;
        double best_to = x[i], best_eji = 0;
        for (j = 0; j < n; j++) {
            double e_ij, e_ji, to;
            int kind = 0, rank, better;
            if (x[j] == x[i]) continue;
            e_ij = ref_eu(&rf, x[i], j, r[i], mu, ref_prob(&rf, x[i], x[j]));
            e_ji = ref_eu(&rf, x[j], i, opt->estimate_r == PL_EUM_R_OWN ? r[i] : r[j], mu,
                          ref_prob(&rf, x[j], x[i]));
            if (e_ij > 0 && e_ji > e_ij) kind = PL_EUM_CONFLICT;
            else if (e_ij < 0 && e_ji > 0 && e_ji > -e_ij) kind = PL_EUM_COMPROMISE;
            else if (e_ij < 0 && e_ji > 0 && !opt->capitulation_typo && -e_ij > e_ji)
                kind = PL_EUM_CAPITULATION;
            if (!kind) continue;
            to = x[j];
            if (kind == PL_EUM_COMPROMISE)
                to = opt->compromise == PL_EUM_COMPROMISE_SPEC
                         ? x[i] + (x[j] - x[i]) * fabs(e_ij / e_ji)
                         : (fabs(e_ij) * x[i] + fabs(e_ji) * x[j]) / (fabs(e_ij) + fabs(e_ji));
            rank = kind == PL_EUM_CONFLICT ? 3 : kind == PL_EUM_COMPROMISE ? 2 : 1;
            if (!best_kind) better = 1;
            else if (opt->choice == PL_EUM_CHOICE_SENDER_EU) better = e_ji > best_eji;
            else if (rank != best_rank) better = rank > best_rank;
            else if (kind == PL_EUM_COMPROMISE && opt->compromise_lowest) better = to < best_to;
            else better = fabs(to - x[i]) < fabs(best_to - x[i]);
            if (better) {
                best_kind = kind;
                best_rank = rank;
                best_to = to;
                best_eji = e_ji;
            }
        }
        newx[i] = best_to;
    }
}

/* Random actors: positions on [0, 100], capability and salience on [0, 1),
** one position shared by two actors. */
static void random_actors(rng *g, size_t n, double *x, double *c, double *s) {
    size_t k;
    for (k = 0; k < n; k++) {
        x[k] = 100 * rng_uniform(g);
        c[k] = rng_uniform(g);
        s[k] = rng_uniform(g);
    }
    if (n > 3) x[n - 1] = x[1];
}

/* Every combination of the nine model options (those with bits & skip clear),
** n random actors, `rounds` rounds: each round of the library equals the
** reference's round computed from the library's previous positions. */
static void compare_with_reference(size_t n, unsigned skip, size_t rounds,
                                   unsigned long long seed) {
    unsigned bits;
    size_t n_compared = 0, n_runs = 0;
    rng g;
    assert_true(n <= REF_MAX_N);
    rng_seed(&g, seed, 0);
    for (bits = 0; bits < 512; bits++) {
        double x[REF_MAX_N], c[REF_MAX_N], s[REF_MAX_N], w[REF_MAX_N];
        double r[REF_MAX_N], newx[REF_MAX_N], c_max = 0;
        pl_eum_options opt;
        pl_eum_result *res;
        size_t t, k;
        if (bits & skip) continue;
        n_runs++;
        random_actors(&g, n, x, c, s);
        for (k = 0; k < n; k++) c_max = fmax(c_max, c[k]);
        for (k = 0; k < n; k++) w[k] = c[k] / c_max * s[k];
        options_from_bits(&opt, bits);
        opt.max_rounds = rounds;
        opt.n_threads = 1;
        res = run_ok(n, x, c, s, &opt);
        assert_sane(res, x);
        for (t = 1; t <= pl_eum_result_n_rounds(res); t++) {
            const double *prev = pl_eum_result_positions(res, t - 1);
            ref_round(n, prev, w, s, pl_eum_result_delta(res), &opt, r, newx);
            assert_near_at(pl_eum_result_median(res, t - 1), ref_median(n, prev, w), 0, "median",
                           t - 1, bits);
            for (k = 0; k < n; k++) {
                if (!(fabs(pl_eum_result_risk(res, t)[k] - r[k]) <= 1e-9))
                    fail_msg("options %#x, round %zu, actor %zu: r %.17g, "
                             "reference %.17g",
                             bits, t, k, pl_eum_result_risk(res, t)[k], r[k]);
                if (!(fabs(pl_eum_result_positions(res, t)[k] - newx[k]) <= 1e-9))
                    fail_msg("options %#x, round %zu, actor %zu: position %.17g, "
                             "reference %.17g",
                             bits, t, k, pl_eum_result_positions(res, t)[k], newx[k]);
            }
            n_compared++;
        }
        pl_eum_result_free(res);
    }
    assert_true(n_compared >= n_runs);
}

/* 7 actors: the lane engine (across-actors risk norm) and the general one
** (across positions). */
static void test_matches_reference(void **state) {
    (void)state;
    compare_with_reference(7, 0, 3, 42);
}

/* 20 actors, more than the lane engine takes: the general engine with the
** across-actors risk norm too. */
static void test_matches_reference_general(void **state) {
    (void)state;
    compare_with_reference(20, 256, 2, 43);
}

/* The BDM preset on the EC emission case: sane, finite, and each round as
** the reference computes it. */
static void test_bdm_emission(void **state) {
    emission e;
    pl_eum_options opt;
    pl_eum_result *res;
    double w[EMISSION_N], r[EMISSION_N], newx[EMISSION_N];
    size_t t, k;
    (void)state;
    load_emission(&e);
    for (k = 0; k < e.n; k++) w[k] = e.c[k] / 0.16 * e.s[k];
    pl_eum_options_init(&opt, PL_EUM_PRESET_BDM);
    res = run_ok(e.n, e.x, e.c, e.s, &opt);
    assert_sane(res, e.x);
    assert_true(pl_eum_result_n_rounds(res) >= 1);
    assert_true(pl_eum_result_stop(res) != PL_EUM_STOP_MAX_ROUNDS);
    for (t = 1; t <= pl_eum_result_n_rounds(res); t++) {
        ref_round(e.n, pl_eum_result_positions(res, t - 1), w, e.s, 6.0, &opt, r, newx);
        for (k = 0; k < e.n; k++) {
            assert_near_at(pl_eum_result_risk(res, t)[k], r[k], 1e-9, "r", t, k);
            assert_near_at(pl_eum_result_positions(res, t)[k], newx[k], 1e-9, "position", t, k);
        }
    }
    pl_eum_result_free(res);
}

/* ------------------------------------------------------------------------
** 4. Stopping
*/
static void test_stop_max_rounds(void **state) {
    emission e;
    pl_eum_options opt;
    pl_eum_result *res;
    size_t n_offers;
    (void)state;
    load_emission(&e);
    pl_eum_options_init(&opt, PL_EUM_PRESET_SCHOLZ);
    /* the defaults: 100 rounds; the emission case neither settles nor
    ** repeats exactly within them */
    res = run_ok(e.n, e.x, e.c, e.s, &opt);
    assert_int_equal(pl_eum_result_n_rounds(res), 100);
    assert_int_equal(pl_eum_result_stop(res), PL_EUM_STOP_MAX_ROUNDS);
    assert_int_equal(pl_eum_result_cycle_length(res), 0);
    assert_sane(res, e.x);
    assert_null(pl_eum_result_positions(res, 101));
    assert_null(pl_eum_result_risk(res, 101));
    pl_eum_result_free(res);

    opt.max_rounds = 0;
    res = run_ok(e.n, e.x, e.c, e.s, &opt);
    assert_int_equal(pl_eum_result_n_rounds(res), 0);
    assert_int_equal(pl_eum_result_stop(res), PL_EUM_STOP_MAX_ROUNDS);
    assert_memory_equal(pl_eum_result_positions(res, 0), e.x, sizeof e.x);
    assert_null(pl_eum_result_risk(res, 0));
    assert_null(pl_eum_result_offers(res, 1, &n_offers));
    assert_near_at(pl_eum_result_mean(res, 0), 7.389955686853766, 1e-12, "mean", 0, 0);
    assert_near_at(pl_eum_result_median(res, 0), 7.0, 0, "median", 0, 0);
    pl_eum_result_free(res);
}

static void test_stop_tolerance(void **state) {
    emission e;
    pl_eum_options opt;
    pl_eum_result *res;
    size_t t;
    double tol;
    (void)state;
    load_emission(&e);
    /* the BDM preset settles the emission case */
    pl_eum_options_init(&opt, PL_EUM_PRESET_BDM);
    res = run_ok(e.n, e.x, e.c, e.s, &opt);
    assert_int_equal(pl_eum_result_stop(res), PL_EUM_STOP_TOLERANCE);
    t = pl_eum_result_n_rounds(res);
    tol = opt.tolerance * pl_eum_result_delta(res);
    assert_true(fabs(pl_eum_result_mean(res, t) - pl_eum_result_mean(res, t - 1)) <= tol);
    assert_true(fabs(pl_eum_result_median(res, t) - pl_eum_result_median(res, t - 1)) <= tol);
    assert_true(fabs(pl_eum_result_mean(res, t - 1) - pl_eum_result_mean(res, t - 2)) > tol ||
                fabs(pl_eum_result_median(res, t - 1) - pl_eum_result_median(res, t - 2)) > tol);
    pl_eum_result_free(res);

    /* a loose tolerance stops the Scholz run as soon as both forecasts move
    ** by less than 0.1 * Delta = 0.6: round 1 (mean +0.07, median +1.42)
    ** goes on, round 2 (+0.09, +1.19) too, round 3 (+0.04, +0.35) stops */
    pl_eum_options_init(&opt, PL_EUM_PRESET_SCHOLZ);
    opt.tolerance = 0.1;
    res = run_ok(e.n, e.x, e.c, e.s, &opt);
    assert_int_equal(pl_eum_result_stop(res), PL_EUM_STOP_TOLERANCE);
    assert_int_equal(pl_eum_result_n_rounds(res), 3);
    pl_eum_result_free(res);
}

/* positions of round t equal those of t - L exactly, and of no round in
** between; no earlier round repeats */
static void assert_first_cycle(const pl_eum_result *res) {
    size_t n = pl_eum_result_n_actors(res), t = pl_eum_result_n_rounds(res);
    size_t len = pl_eum_result_cycle_length(res), a, b;
    assert_int_equal(pl_eum_result_stop(res), PL_EUM_STOP_CYCLE);
    assert_true(len >= 2 && len <= t);
    assert_memory_equal(pl_eum_result_positions(res, t), pl_eum_result_positions(res, t - len),
                        n * sizeof(double));
    for (b = 1; b < t; b++)
        for (a = 0; a + 1 < b; a++)
            assert_memory_not_equal(pl_eum_result_positions(res, a),
                                    pl_eum_result_positions(res, b), n * sizeof(double));
    for (a = t - len + 1; a < t; a++)
        assert_memory_not_equal(pl_eum_result_positions(res, a), pl_eum_result_positions(res, t),
                                n * sizeof(double));
}

static void test_stop_cycle(void **state) {
    /* found by a search over small random cases; every move snaps to an
    ** actor's position or the cycle holds under 1e-9 changes of the inputs */
    const double x2[] = {5, 4, 5, 9}, c2[] = {8, 2, 2, 5}, s2[] = {0.1, 0.3, 0.2, 0.2};
    const double x5[] = {8, 7, 10, 7}, c5[] = {3, 4, 2, 5}, s5[] = {0.4, 0.1, 0.9, 0.3};
    emission e;
    pl_eum_options opt;
    pl_eum_result *res;
    size_t t;
    (void)state;
    pl_eum_options_init(&opt, PL_EUM_PRESET_SCHOLZ);
    res = run_ok(4, x2, c2, s2, &opt);
    assert_first_cycle(res);
    assert_int_equal(pl_eum_result_cycle_length(res), 2);
    assert_int_equal(pl_eum_result_n_rounds(res), 3);
    pl_eum_result_free(res);

    res = run_ok(4, x5, c5, s5, &opt);
    assert_first_cycle(res);
    assert_int_equal(pl_eum_result_cycle_length(res), 5);
    assert_int_equal(pl_eum_result_n_rounds(res), 6);
    pl_eum_result_free(res);

    /* without detection the same case runs to max_rounds */
    opt.detect_cycles = 0;
    opt.max_rounds = 20;
    res = run_ok(4, x5, c5, s5, &opt);
    assert_int_equal(pl_eum_result_stop(res), PL_EUM_STOP_MAX_ROUNDS);
    assert_int_equal(pl_eum_result_n_rounds(res), 20);
    for (t = 6; t <= 20; t++)
        assert_memory_equal(pl_eum_result_positions(res, t), pl_eum_result_positions(res, t - 5),
                            4 * sizeof(double));
    pl_eum_result_free(res);

    /* The EC emission case: no exact repeat within 100 rounds (the
    ** trajectory is chaotic: 1e-15 differences grow about 1.27-fold a
    ** round), then a conflict snaps Belgium to exactly 10 and the run
    ** locks into an exact cycle.  Where, and how long, depends on the last
    ** bits of the arithmetic, so only its existence is asserted. */
    load_emission(&e);
    pl_eum_options_init(&opt, PL_EUM_PRESET_SCHOLZ);
    opt.max_rounds = 3000;
    opt.record = PL_EUM_RECORD_NONE;
    res = run_ok(e.n, e.x, e.c, e.s, &opt);
    assert_first_cycle(res);
    assert_true(pl_eum_result_n_rounds(res) > 100);
    assert_sane(res, e.x);
    pl_eum_result_free(res);

    /* with a tolerance a near-repeat counts: every coordinate within
    ** cycle_tolerance * Delta of a round at least two back */
    pl_eum_options_init(&opt, PL_EUM_PRESET_SCHOLZ);
    opt.cycle_tolerance = 0.01;
    res = run_ok(e.n, e.x, e.c, e.s, &opt);
    assert_int_equal(pl_eum_result_stop(res), PL_EUM_STOP_CYCLE);
    t = pl_eum_result_n_rounds(res);
    assert_true(t < 100);
    {
        size_t len = pl_eum_result_cycle_length(res), k;
        const double *now = pl_eum_result_positions(res, t);
        const double *then = pl_eum_result_positions(res, t - len);
        assert_true(len >= 2);
        for (k = 0; k < e.n; k++) assert_true(fabs(now[k] - then[k]) <= 0.06);
    }
    pl_eum_result_free(res);
}

/* ------------------------------------------------------------------------
** 5. Degenerate inputs
*/
static void test_all_at_one_position(void **state) {
    const double x[] = {3, 3, 3, 3}, c[] = {1, 2, 3, 4}, s[] = {0.5, 1, 0, 0.2};
    pl_eum_options opt;
    pl_eum_result *res;
    size_t n_offers, k, preset;
    (void)state;
    for (preset = 0; preset < 2; preset++) {
        pl_eum_options_init(&opt, (pl_eum_preset)preset);
        res = run_ok(4, x, c, s, &opt);
        assert_true(pl_eum_result_delta(res) == 0);
        assert_int_equal(pl_eum_result_n_rounds(res), 1);
        assert_int_equal(pl_eum_result_stop(res), PL_EUM_STOP_TOLERANCE);
        assert_memory_equal(pl_eum_result_positions(res, 1), x, sizeof x);
        for (k = 0; k < 4; k++) assert_true(pl_eum_result_risk(res, 1)[k] == 1.0);
        assert_null(pl_eum_result_offers(res, 1, &n_offers));
        assert_true(pl_eum_result_mean(res, 1) == 3 && pl_eum_result_median(res, 1) == 3);
        pl_eum_result_free(res);
    }
}

static void test_one_actor(void **state) {
    const double x[] = {42}, c[] = {0.3}, s[] = {0.7};
    pl_eum_result *res;
    (void)state;
    res = run_ok(1, x, c, s, NULL);
    assert_int_equal(pl_eum_result_n_actors(res), 1);
    assert_int_equal(pl_eum_result_n_rounds(res), 1);
    assert_int_equal(pl_eum_result_stop(res), PL_EUM_STOP_TOLERANCE);
    assert_true(pl_eum_result_positions(res, 1)[0] == 42);
    assert_true(pl_eum_result_risk(res, 1)[0] == 1.0);
    assert_true(pl_eum_result_mean(res, 1) == 42 && pl_eum_result_median(res, 1) == 42);
    pl_eum_result_free(res);
}

/* Two actors, worked by hand.  Scholz preset, d = 1 so U_s = 2, U_f = -2
** at every r.  All-pairs denominator: each voter's pair sum is 2, so
** D = 2 (w_A + w_B) and P_A = w_A / D, P_B = w_B / D.  With r = 1,
** S_A = E_B(BA) = 2 - 4 s_A (1 - P_B), S_B = 2 - 4 s_B (1 - P_A); the larger
** gets r = 0.5, the other r = 2.  Then each E is that S minus U_sq(r). */
static void test_two_actors(void **state) {
    const double x[] = {0, 10}, c[] = {0.6, 0.4}, s[] = {0.5, 0.8};
    double wa = 1.0 * 0.5, wb = 0.4 / 0.6 * 0.8, den = 2 * (wa + wb);
    double pa = wa / den, pb = wb / den;
    double sa = 2 - 4 * s[0] * (1 - pb), sb = 2 - 4 * s[1] * (1 - pa);
    double usq_a = 2 - 4 * sqrt(0.5); /* r_A = 0.5 */
    pl_eum_result *res;
    const pl_eum_offer *offers;
    size_t n_offers;
    (void)state;
    assert_true(sa > sb);
    res = run_ok(2, x, c, s, NULL);
    assert_near_at(pl_eum_result_risk(res, 1)[0], 0.5, 1e-15, "r_A", 1, 0);
    assert_near_at(pl_eum_result_risk(res, 1)[1], 2.0, 1e-15, "r_B", 1, 1);
    /* A: E_AB = S_B - U_sq > 0 and E_BA = S_A - U_sq larger: A loses a
    ** conflict and moves to 10.  B (r = 2, U_sq = 1): both negative. */
    offers = pl_eum_result_offers(res, 1, &n_offers);
    assert_int_equal(n_offers, 1);
    assert_int_equal(offers[0].sender, 1);
    assert_int_equal(offers[0].receiver, 0);
    assert_int_equal(offers[0].kind, PL_EUM_CONFLICT);
    assert_true(offers[0].accepted);
    assert_near_at(offers[0].eu_receiver, sb - usq_a, 1e-12, "E_AB", 1, 0);
    assert_near_at(offers[0].eu_sender, sa - usq_a, 1e-12, "E_BA", 1, 0);
    assert_true(pl_eum_result_positions(res, 1)[0] == 10);
    assert_true(pl_eum_result_positions(res, 1)[1] == 10);
    /* then nobody can move: round 2 changes nothing */
    assert_int_equal(pl_eum_result_n_rounds(res), 2);
    assert_int_equal(pl_eum_result_stop(res), PL_EUM_STOP_TOLERANCE);
    pl_eum_result_free(res);
}

/* One actor holds all the capability, with full salience: no one can gain
** by challenging it (P = 0, U_f < U_sq), so it never moves and both
** forecasts stay at its position. */
static void test_one_actor_all_capability(void **state) {
    const double x[] = {10, 20, 35, 50, 80}, c[] = {0, 0, 1, 0, 0};
    const double s[] = {0.5, 0.9, 1, 0.3, 0.7};
    pl_eum_options opt;
    pl_eum_result *res;
    size_t t, preset;
    (void)state;
    for (preset = 0; preset < 2; preset++) {
        pl_eum_options_init(&opt, (pl_eum_preset)preset);
        res = run_ok(5, x, c, s, &opt);
        assert_sane(res, x);
        for (t = 0; t <= pl_eum_result_n_rounds(res); t++) {
            assert_true(pl_eum_result_positions(res, t)[2] == 35);
            assert_near_at(pl_eum_result_mean(res, t), 35, 1e-12, "mean", t, 0);
            assert_true(pl_eum_result_median(res, t) == 35);
        }
        pl_eum_result_free(res);
    }
}

static void test_zero_salience(void **state) {
    const double x[] = {10, 20, 35, 50, 80}, c[] = {1, 2, 3, 4, 5};
    const double s0[] = {0, 0, 0, 0, 0}, s1[] = {0, 0.5, 0, 0.9, 0.2};
    pl_eum_options opt;
    pl_eum_result *res;
    size_t preset, t, k;
    (void)state;
    /* Nobody cares: the mean and median use equal weights.  Scholz: i sees
    ** E_ij = E_ji = U_s - U_sq > 0, no offers, nothing moves. */
    pl_eum_options_init(&opt, PL_EUM_PRESET_SCHOLZ);
    res = run_ok(5, x, c, s0, &opt);
    assert_int_equal(pl_eum_result_n_rounds(res), 1);
    assert_int_equal(pl_eum_result_stop(res), PL_EUM_STOP_TOLERANCE);
    assert_memory_equal(pl_eum_result_positions(res, 1), x, sizeof x);
    assert_near_at(pl_eum_result_mean(res, 0), 39, 1e-12, "mean", 0, 0);
    assert_true(pl_eum_result_median(res, 0) == 35);
    pl_eum_result_free(res);
    for (preset = 0; preset < 2; preset++) {
        pl_eum_options_init(&opt, (pl_eum_preset)preset);
        res = run_ok(5, x, c, s0, &opt);
        assert_sane(res, x);
        pl_eum_result_free(res);
        /* some zero: they weigh nothing in the forecasts */
        res = run_ok(5, x, c, s1, &opt);
        assert_sane(res, x);
        for (t = 0; t <= pl_eum_result_n_rounds(res); t++) {
            const double *p = pl_eum_result_positions(res, t);
            double num = 0, total = 0;
            for (k = 0; k < 5; k++) {
                num += c[k] * s1[k] * p[k];
                total += c[k] * s1[k];
            }
            assert_near_at(pl_eum_result_mean(res, t), num / total, 1e-12, "mean", t, 0);
        }
        pl_eum_result_free(res);
    }
}

static void test_invalid_arguments(void **state) {
    const double x[] = {1, 2, 3}, c[] = {1, 1, 1}, s[] = {0.5, 0.5, 0.5};
    double bad[3];
    pl_eum_options opt;
    pl_eum_result *res = (pl_eum_result *)&res;
    (void)state;
    assert_int_equal(pl_eum_run(0, x, c, s, NULL, &res), PL_EINVAL);
    assert_null(res);
    assert_int_equal(pl_eum_run(3, NULL, c, s, NULL, &res), PL_EINVAL);
    assert_int_equal(pl_eum_run(3, x, NULL, s, NULL, &res), PL_EINVAL);
    assert_int_equal(pl_eum_run(3, x, c, NULL, NULL, &res), PL_EINVAL);
    assert_int_equal(pl_eum_run(3, x, c, s, NULL, NULL), PL_EINVAL);
    memcpy(bad, x, sizeof bad);
    bad[1] = NAN;
    assert_int_equal(pl_eum_run(3, bad, c, s, NULL, &res), PL_EINVAL);
    bad[1] = INFINITY;
    assert_int_equal(pl_eum_run(3, bad, c, s, NULL, &res), PL_EINVAL);
    bad[0] = -1e308;
    bad[1] = 1e308;
    assert_int_equal(pl_eum_run(3, bad, c, s, NULL, &res), PL_ERANGE);
    memcpy(bad, c, sizeof bad);
    bad[2] = -0.1;
    assert_int_equal(pl_eum_run(3, x, bad, s, NULL, &res), PL_EINVAL);
    bad[2] = NAN;
    assert_int_equal(pl_eum_run(3, x, bad, s, NULL, &res), PL_EINVAL);
    memcpy(bad, s, sizeof bad);
    bad[0] = 1.5;
    assert_int_equal(pl_eum_run(3, x, c, bad, NULL, &res), PL_EINVAL);
    bad[0] = -0.01;
    assert_int_equal(pl_eum_run(3, x, c, bad, NULL, &res), PL_EINVAL);
    bad[0] = NAN;
    assert_int_equal(pl_eum_run(3, x, c, bad, NULL, &res), PL_EINVAL);

    pl_eum_options_init(&opt, PL_EUM_PRESET_SCHOLZ);
    opt.q = 1.5;
    assert_int_equal(pl_eum_run(3, x, c, s, &opt, &res), PL_EINVAL);
    pl_eum_options_init(&opt, PL_EUM_PRESET_SCHOLZ);
    opt.tolerance = -1;
    assert_int_equal(pl_eum_run(3, x, c, s, &opt, &res), PL_EINVAL);
    pl_eum_options_init(&opt, PL_EUM_PRESET_SCHOLZ);
    opt.cycle_tolerance = NAN;
    assert_int_equal(pl_eum_run(3, x, c, s, &opt, &res), PL_EINVAL);
    pl_eum_options_init(&opt, PL_EUM_PRESET_SCHOLZ);
    opt.choice = (pl_eum_choice)7;
    assert_int_equal(pl_eum_run(3, x, c, s, &opt, &res), PL_EINVAL);
    assert_null(res);

    /* huge capabilities are fine: only their ratios matter */
    memcpy(bad, c, sizeof bad);
    bad[0] = 1e308;
    bad[1] = 1e308;
    bad[2] = 1e-300;
    res = run_ok(3, x, bad, s, NULL);
    assert_sane(res, x);
    pl_eum_result_free(res);

    /* accessors accept NULL */
    pl_eum_result_free(NULL);
    assert_int_equal(pl_eum_result_n_rounds(NULL), 0);
    assert_null(pl_eum_result_positions(NULL, 0));
    assert_string_equal(pl_eum_stop_name(PL_EUM_STOP_CYCLE), "cycle");
    assert_string_equal(pl_eum_offer_kind_name(PL_EUM_CAPITULATION), "capitulation");
}

/* ------------------------------------------------------------------------
** 6. Threads and memory
*/
static void compare_results(const pl_eum_result *a, const pl_eum_result *b) {
    size_t t, n = pl_eum_result_n_actors(a), na, nb;
    assert_int_equal(pl_eum_result_n_rounds(a), pl_eum_result_n_rounds(b));
    assert_int_equal(pl_eum_result_stop(a), pl_eum_result_stop(b));
    for (t = 0; t <= pl_eum_result_n_rounds(a); t++) {
        const pl_eum_offer *oa = pl_eum_result_offers(a, t, &na);
        const pl_eum_offer *ob = pl_eum_result_offers(b, t, &nb);
        double ma = pl_eum_result_mean(a, t), mb = pl_eum_result_mean(b, t);
        assert_memory_equal(pl_eum_result_positions(a, t), pl_eum_result_positions(b, t),
                            n * sizeof(double));
        if (t > 0)
            assert_memory_equal(pl_eum_result_risk(a, t), pl_eum_result_risk(b, t),
                                n * sizeof(double));
        assert_memory_equal(&ma, &mb, sizeof ma);
        assert_true(pl_eum_result_median(a, t) == pl_eum_result_median(b, t));
        assert_int_equal(na, nb);
        if (na) assert_memory_equal(oa, ob, na * sizeof *oa);
    }
}

static void test_threads_bit_identical(void **state) {
    static const struct {
        size_t n;
        pl_eum_preset preset;
        pl_eum_risk_norm norm;
    } cases[] = {
        {300, PL_EUM_PRESET_SCHOLZ, PL_EUM_RISK_ACROSS_ACTORS},
        {300, PL_EUM_PRESET_BDM, PL_EUM_RISK_ACROSS_ACTORS},
        {120, PL_EUM_PRESET_SCHOLZ, PL_EUM_RISK_ACROSS_POSITIONS},
        {120, PL_EUM_PRESET_BDM, PL_EUM_RISK_ACROSS_POSITIONS},
    };
    static const unsigned threads[] = {2, 3};
    size_t ci, ti, n_offers, n_offers_total = 0;
    (void)state;
    for (ci = 0; ci < sizeof cases / sizeof cases[0]; ci++) {
        size_t n = cases[ci].n;
        double *x = malloc(n * sizeof *x), *c = malloc(n * sizeof *c);
        double *s = malloc(n * sizeof *s);
        pl_eum_options opt;
        pl_eum_result *one, *many;
        rng g;
        assert_true(x && c && s);
        rng_seed(&g, 1000, ci);
        random_actors(&g, n, x, c, s);
        pl_eum_options_init(&opt, cases[ci].preset);
        opt.risk_norm = cases[ci].norm;
        opt.max_rounds = 3;
        opt.n_threads = 1;
        one = run_ok(n, x, c, s, &opt);
        assert_sane(one, x);
        if (pl_eum_result_offers(one, 1, &n_offers)) n_offers_total += n_offers;
        for (ti = 0; ti < sizeof threads / sizeof threads[0]; ti++) {
            size_t helpers;
            opt.n_threads = threads[ti];
            PL_TEST_HELPERS(many = run_ok(n, x, c, s, &opt), helpers);
            assert_int_equal(helpers, threads[ti] - 1); /* the caller is a worker too */
            compare_results(one, many);
            pl_eum_result_free(many);
        }
        opt.n_threads = 0;
        many = run_ok(n, x, c, s, &opt);
        compare_results(one, many);
        pl_eum_result_free(many);
        pl_eum_result_free(one);
        free(x);
        free(c);
        free(s);
    }
    assert_true(n_offers_total > 0);
}

/* Fail every allocation in turn: the run reports PL_ENOMEM, returns no
** result and leaks nothing (the sanitizer build checks leaks).  A run
** allocates its result and one work area, then grows the round rows (when
** max_rounds is large) and the offers; the cases cover all of these. */
static void test_allocation_failures(void **state) {
    static const struct {
        pl_eum_preset preset;
        pl_eum_risk_norm norm;
        size_t max_rounds;
    } cases[] = {
        {PL_EUM_PRESET_SCHOLZ, PL_EUM_RISK_ACROSS_ACTORS, 20},
        /* rows grow 8, 16, ..., 1024: the run stops on a cycle at 637 */
        {PL_EUM_PRESET_SCHOLZ, PL_EUM_RISK_ACROSS_ACTORS, 1000},
        {PL_EUM_PRESET_BDM, PL_EUM_RISK_ACROSS_POSITIONS, 20},
    };
    emission e;
    pl_eum_options opt;
    long k, n_allocs[3];
    size_t ci;
    (void)state;
    load_emission(&e);
    for (ci = 0; ci < sizeof cases / sizeof cases[0]; ci++) {
        pl_eum_result *res = NULL;
        int done = 0;
        pl_eum_options_init(&opt, cases[ci].preset);
        opt.max_rounds = cases[ci].max_rounds;
        opt.tolerance = 0;
        opt.n_threads = 1;
        opt.risk_norm = cases[ci].norm;
        pl__alloc_fail_reset();
        assert_int_equal(pl_eum_run(e.n, e.x, e.c, e.s, &opt, &res), PL_OK);
        n_allocs[ci] = pl__alloc_count();
        pl_eum_result_free(res);
        for (k = 0; !done && k < 10000; k++) {
            pl_status st;
            res = (pl_eum_result *)&res;
            pl__alloc_fail_after(k);
            st = pl_eum_run(e.n, e.x, e.c, e.s, &opt, &res);
            pl__alloc_fail_reset();
            if (st == PL_OK) {
                done = 1;
                pl_eum_result_free(res);
            } else {
                assert_int_equal(st, PL_ENOMEM);
                assert_null(res);
            }
        }
        assert_true(done);
        /* every allocation of the run failed once */
        assert_int_equal(k, n_allocs[ci] + 1);
        assert_true(n_allocs[ci] >= 2);
    }
    assert_true(n_allocs[1] > n_allocs[0] + 6);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scholz_trajectory),
        cmocka_unit_test(test_scholz_round1_offers),
        cmocka_unit_test(test_capitulation_typo_emission),
        cmocka_unit_test(test_utilities),
        cmocka_unit_test(test_matches_reference),
        cmocka_unit_test(test_matches_reference_general),
        cmocka_unit_test(test_bdm_emission),
        cmocka_unit_test(test_stop_max_rounds),
        cmocka_unit_test(test_stop_tolerance),
        cmocka_unit_test(test_stop_cycle),
        cmocka_unit_test(test_all_at_one_position),
        cmocka_unit_test(test_one_actor),
        cmocka_unit_test(test_two_actors),
        cmocka_unit_test(test_one_actor_all_capability),
        cmocka_unit_test(test_zero_salience),
        cmocka_unit_test(test_invalid_arguments),
        cmocka_unit_test(test_threads_bit_identical),
        cmocka_unit_test(test_allocation_failures),
    };
    return pl_test_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
