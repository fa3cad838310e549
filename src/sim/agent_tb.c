/*
** agent_tb.c: the time-based concession agents boulware, linear, conceder
** and tb:E (negmas's BoulwareTBNegotiator, LinearTBNegotiator,
** ConcederTBNegotiator; docs/simulation.md, B4).
**
** Aspiration a(t) = 1 - t^e (e = 4, 1, 0.25: the larger e, the later the
** concession).  The band [lo, hi] is a(t) of the way from the worst to the
** best utility, widened by 1e-4 and clamped to [U_min, U_max]; the agent
** accepts an offer inside the band and offers the package at its bottom
** (rule W), or its best when W finds none.
*/
#include "sim/sao_int.h"

#include "core/alloc.h"

#include <math.h>

#define TB_EPS 0.0001
#define TB_MAX_EXPONENT 1e6

typedef struct tb {
    double e;
    int has_band;
    double band_t, lo, hi;
} tb;

static double clamp(double x, double mn, double mx) {
    double y = x < mx ? x : mx; /* Python's min(mx, x) */
    return y > mn ? y : mn;     /* max(mn, y) */
}

static void band(tb *s, const sao_party *p, const sao_time *tm) {
    double t = tm->t;
    if (s->has_band && s->band_t == t) return;
    double a = 1.0 * (1.0 - sao_time_pow(tm, s->e));
    double lo = (p->u_max - p->u_min) * a + p->u_min - TB_EPS;
    double hi = (p->u_max - p->u_min) * 1.0 + p->u_min + TB_EPS;
    s->lo = clamp(lo, p->u_min, p->u_max);
    s->hi = clamp(hi, p->u_min, p->u_max);
    s->band_t = t;
    s->has_band = 1;
}

static pl_status init_e(void **state, double e) {
    tb *s = pl__calloc(1, sizeof *s);
    if (!s) return PL_ENOMEM;
    s->e = e;
    *state = s;
    return PL_OK;
}

static pl_status init_boulware(void **state, const char *arg, const sao_party *p) {
    (void)arg, (void)p;
    return init_e(state, 4.0);
}
static pl_status init_linear(void **state, const char *arg, const sao_party *p) {
    (void)arg, (void)p;
    return init_e(state, 1.0);
}
static pl_status init_conceder(void **state, const char *arg, const sao_party *p) {
    (void)arg, (void)p;
    return init_e(state, 0.25);
}

static pl_status check_tb(const char *arg) {
    double e;
    if (!sao_parse_number(arg, &e) || !(e >= 0 && e <= TB_MAX_EXPONENT)) return PL_ERANGE;
    return PL_OK;
}
static pl_status init_tb(void **state, const char *arg, const sao_party *p) {
    (void)p;
    double e = 1.0;
    sao_parse_number(arg, &e);
    return init_e(state, e);
}

static void fini(void *state) { pl__free(state); }

static int respond(void *state, const sao_party *p, const sao_time *tm, sao_outcome o) {
    tb *s = state;
    band(s, p, tm);
    double u = sao_u(p, o);
    return s->lo <= u && u <= s->hi;
}

static sao_outcome propose(void *state, const sao_party *p, const sao_time *tm) {
    tb *s = state;
    band(s, p, tm);
    if (p->search) return sao_search_rule_w(p, s->lo, s->hi);
    size_t i = sao_rule_w(p->rank, s->lo, s->hi);
    return i == SIZE_MAX ? p->best : p->rank->outs[i];
}

#define TB_TYPE(NAME, USAGE, SUMMARY, ARG, CHECK, INIT) \
    { NAME, USAGE, SUMMARY, ARG, 1, CHECK, INIT, fini, respond, propose, NULL }

const sao_agent_type sao_agent_boulware = TB_TYPE("boulware", "boulware",
                                                  "time-based, concedes late: aspiration 1 - t^4",
                                                  0, NULL, init_boulware);
const sao_agent_type sao_agent_linear = TB_TYPE(
    "linear", "linear", "time-based, concedes steadily: aspiration 1 - t", 0, NULL, init_linear);
const sao_agent_type sao_agent_conceder = TB_TYPE(
    "conceder", "conceder", "time-based, concedes early: aspiration 1 - t^0.25", 0, NULL,
    init_conceder);
const sao_agent_type sao_agent_tb = TB_TYPE(
    "tb", "tb:E", "time-based with any exponent E >= 0: aspiration 1 - t^E", 2, check_tb, init_tb);
