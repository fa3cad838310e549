/*
** model_smp.c: the multi-dimensional spatial model of politics (SMP) with
** probabilistic Condorcet elections, computed as KTAB's smpc computes it
** (../shared/specs/smp.md; docs/models/smp.md).
**
** Sections: options; the model's arithmetic (votes, victory probabilities,
** utilities, risk); probabilistic Condorcet elections; the random stream;
** threads; one state (distances, risk attitudes, utilities); one turn
** (challenges, bargains, resolution); the run; reading a result.  The
** report is report/report_smp.c.
**
** Work per turn is O(N^3): N^2 challenge evaluations of O(N) third parties
** each, and N queues of bargains voted on by N actors over O(N) utilities.
** KTAB also fills O(N^4) diagnostic tables; we do not.  The loops over
** actors run on several threads, each index's result written only by the
** thread that computes it and every sum taken in KTAB's order, so the
** results are bit-identical for any thread count.  Worker threads never
** allocate (the allocator's failure injection is single-threaded).
*/
#define _POSIX_C_SOURCE 200809L
#include "models/model_smp_int.h"
#include "models/smp_sorted.h"

#include "core/alloc.h"
#include "core/rng.h"
#include "core/buf.h"
#include "core/diag.h"
#include "core/pool.h"
#include "core/progress.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(__GNUC__)
#define ALWAYS_INLINE __attribute__((always_inline)) inline
#else
#define ALWAYS_INLINE inline
#endif
#define NONE ((size_t)-1)
/* The O(N^3) kernels are built for AVX-512F, AVX2 and the baseline, the
** best the CPU has picked at load time (GCC, x86-64 ELF).  Their lanes
** compute what the scalar code computes, operation for operation (no
** fused multiply-adds: -ffp-contract=off for this file), so every clone
** gives the same bits. */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && defined(__ELF__)
#define KERNEL_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define KERNEL_CLONES
#endif

#if defined(__GNUC__) || defined(__clang__)
/* Eight doubles as one value, with the compilers' vector extensions: each
** lane computes the same IEEE operations as the scalar code (no fused
** multiply-adds: ISO C mode, and -ffp-contract=off for this file). */
#define PL_SMP_VECTORS 1
typedef double vd __attribute__((vector_size(64)));
typedef long long vi __attribute__((vector_size(64)));
#define VD_LANES 8
#define VD_LOAD(v, p) memcpy(&(v), (p), sizeof(v))
#define VD_SPLAT(v, x)                                          \
    do {                                                        \
        for (size_t l_ = 0; l_ < VD_LANES; l_++) (v)[l_] = (x); \
    } while (0)
#endif

/* ------------------------------------------------------------------------
** Options
*/
static const char *const vpm_names[] = {"Linear", "Square", "Quartic", "Octic", "Binary"};
static const char *const pcem_names[] = {"Conditional", "MarkovIncentive", "MarkovUniform"};
static const char *const stm_names[] = {"Deterministic", "Stochastic"};
static const char *const vr_names[] = {"Binary",  "PropBin", "Prop",
                                       "PropCbc", "Cubic",   "ASymProsp"};
static const char *const radj_names[] = {"None", "OneThird", "Half", "TwoThirds", "Full"};
static const char *const rrange_names[] = {"Min", "Mid", "Max"};
static const char *const tpc_names[] = {"NoCommit", "SemiCommit", "FullCommit"};
static const char *const ivb_names[] = {"S1P1", "S2P2", "S2PMax"};
static const char *const bm_names[] = {"InitOnlyInterp", "InitRcvrInterp", "PWCompInterp"};
static const char *const sums_names[] = {"auto", "ktab", "fast"};

void pl_smp_options_init(pl_smp_options *opt) {
    if (!opt) return;
    memset(opt, 0, sizeof *opt);
    opt->vpm = PL_SMP_VPM_LINEAR;
    opt->pcem = PL_SMP_PCE_CONDITIONAL;
    opt->transition = PL_SMP_DETERMINISTIC;
    opt->voting = PL_SMP_VR_PROP;
    opt->radjust = PL_SMP_RADJ_ONE_THIRD;
    opt->rrange = PL_SMP_RRANGE_MID;
    opt->commit = PL_SMP_COMMIT_SEMI;
    opt->interp = PL_SMP_INTERP_S2P2;
    opt->bargain = PL_SMP_BARGAIN_INIT_ONLY;
    opt->quirk_receiver_gain = 1;
    opt->quirk_pwcomp_weight = 1;
    opt->quirk_linear_challenge = 1;
    opt->ktab_errors = 0;
    opt->max_turns = 100;
    opt->min_turns = 2;
    opt->stop_ratio = 0.02;
    opt->min_sig_delta = 1e-4;
    opt->pos_tol = 0.1;
    opt->seed = 0;
    opt->n_threads = 0;
}

static int options_valid(const pl_smp_options *o) {
    return (unsigned)o->vpm <= PL_SMP_VPM_BINARY && (unsigned)o->pcem <= 2 &&
           (unsigned)o->transition <= 1 && (unsigned)o->voting <= 5 && (unsigned)o->radjust <= 4 &&
           (unsigned)o->rrange <= 2 && (unsigned)o->commit <= 2 && (unsigned)o->interp <= 2 &&
           (unsigned)o->bargain <= 2 && (unsigned)o->sums <= 2 && o->min_turns >= 1 &&
           isfinite(o->stop_ratio) && o->stop_ratio >= 0 && isfinite(o->min_sig_delta) &&
           o->min_sig_delta >= 0 && isfinite(o->pos_tol) && o->pos_tol >= 0 &&
           o->n_threads <= PL_MAX_THREADS;
}

pl_status pl_smp_options_from_ktab(pl_smp_options *opt, const int params[9]) {
    if (!opt || !params) return PL_EINVAL;
    static const int limits[9] = {5, 3, 2, 6, 5, 3, 3, 3, 3};
    for (int k = 0; k < 9; k++)
        if (params[k] < 0 || params[k] >= limits[k]) return PL_EINVAL;
    opt->vpm = (pl_smp_vpm)params[0];
    opt->pcem = (pl_smp_pcem)params[1];
    opt->transition = (pl_smp_transition)params[2];
    opt->voting = (pl_smp_voting)params[3];
    opt->radjust = (pl_smp_radjust)params[4];
    opt->rrange = (pl_smp_rrange)params[5];
    opt->commit = (pl_smp_commit)params[6];
    opt->interp = (pl_smp_interp)params[7];
    opt->bargain = (pl_smp_bargain_model)params[8];
    return PL_OK;
}

static int lower(int c) { return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c; }

static int same_name(const char *a, const char *b) {
    for (; *a && *b; a++, b++)
        if (lower((unsigned char)*a) != lower((unsigned char)*b)) return 0;
    return *a == *b;
}

/* A key without case, '-' and '_'. */
static void normalise_key(const char *key, char *out, size_t size) {
    size_t n = 0;
    for (; *key && n + 1 < size; key++)
        if (*key != '-' && *key != '_') out[n++] = (char)lower((unsigned char)*key);
    out[n] = 0;
}

static int find_name(const char *const *names, int n, const char *value) {
    for (int i = 0; i < n; i++)
        if (same_name(names[i], value)) return i;
    return -1;
}

/* KTAB's other spellings: the XSD's, the C++ enumerators'. */
static int enum_alias(const char *key, const char *value) {
    static const struct {
        const char *key, *alias;
        int value;
    } aliases[] = {
        {"pce", "ConditionalPCM", 0},
        {"pce", "MarkovIPCM", 1},
        {"pce", "MarkovUPCM", 2},
        {"transitions", "DeterministicSTM", 0},
        {"transitions", "DeterminsticSTM", 0},
        {"transitions", "StochasticSTM", 1},
        {"voting", "Proportional", 2},
        {"radjust", "No", 0},
        {"radjust", "NoRA", 0},
        {"radjust", "OneThirdRA", 1},
        {"radjust", "HalfRA", 2},
        {"radjust", "TwoThirdsRA", 3},
        {"radjust", "FullRA", 4},
        {"commit", "No", 0},
        {"commit", "None", 0},
        {"commit", "Semi", 1},
        {"commit", "Full", 2},
        {"bargain", "InitOnlyInterpSMPBM", 0},
        {"bargain", "InitRcvrInterpSMPBM", 1},
        {"bargain", "PWCompInterpSMPBM", 2},
        {"bargain", "PWCompInterSMPBM", 2},
    };
    for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
        if (strcmp(aliases[i].key, key) == 0 && same_name(aliases[i].alias, value))
            return aliases[i].value;
    return -1;
}

static int parse_uint(const char *s, uint64_t max, uint64_t *out) {
    if (!s || !*s) return 0;
    uint64_t v = 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9') return 0;
        unsigned dgt = (unsigned)(*s - '0');
        if (v > (UINT64_MAX - dgt) / 10) return 0;
        v = 10 * v + dgt;
    }
    if (v > max) return 0;
    *out = v;
    return 1;
}

static int parse_real(const char *s, double *out) {
    if (!s || !*s) return 0;
    char *end;
    double x = strtod(s, &end);
    if (*end || !isfinite(x) || x < 0) return 0;
    *out = x;
    return 1;
}

/* The canonical name of an enumerated option's key K (normalised: lower
** case, no separators), KTAB's long names among its aliases; NULL if K
** names none. */
static const char *enum_key(const char *k) {
    static const struct {
        const char *key, *canon;
    } keys[] = {
        {"vpm", "vpm"},
        {"victoryprobmodel", "vpm"},
        {"pce", "pce"},
        {"pcem", "pce"},
        {"pcemodel", "pce"},
        {"transitions", "transitions"},
        {"statetransitions", "transitions"},
        {"stm", "transitions"},
        {"voting", "voting"},
        {"votingrule", "voting"},
        {"vr", "voting"},
        {"radjust", "radjust"},
        {"bigradjust", "radjust"},
        {"rrange", "rrange"},
        {"bigrrange", "rrange"},
        {"commit", "commit"},
        {"thirdpartycommit", "commit"},
        {"tpc", "commit"},
        {"interp", "interp"},
        {"intervecbrgn", "interp"},
        {"ivb", "interp"},
        {"bargain", "bargain"},
        {"bargnmodel", "bargain"},
        {"bargainmodel", "bargain"},
        {"sums", "sums"},
    };
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        if (strcmp(keys[i].key, k) == 0) return keys[i].canon;
    return NULL;
}

/* Sets the enumerated option CANON to VALUE (a name or an alias). */
static pl_status set_enum(pl_smp_options *opt, const char *canon, const char *value) {
    static const struct {
        const char *key;
        const char *const *names;
        int n;
    } enums[] = {
        {"vpm", vpm_names, 5},    {"pce", pcem_names, 3},     {"transitions", stm_names, 2},
        {"voting", vr_names, 6},  {"radjust", radj_names, 5}, {"rrange", rrange_names, 3},
        {"commit", tpc_names, 3}, {"interp", ivb_names, 3},   {"bargain", bm_names, 3},
        {"sums", sums_names, 3},
    };
    for (size_t e = 0; e < sizeof enums / sizeof enums[0]; e++) {
        if (strcmp(enums[e].key, canon) != 0) continue;
        int v = find_name(enums[e].names, enums[e].n, value);
        if (v < 0) v = enum_alias(canon, value);
        if (v < 0) return PL_EINVAL;
        switch (e) {
            case 0: opt->vpm = (pl_smp_vpm)v; break;
            case 1: opt->pcem = (pl_smp_pcem)v; break;
            case 2: opt->transition = (pl_smp_transition)v; break;
            case 3: opt->voting = (pl_smp_voting)v; break;
            case 4: opt->radjust = (pl_smp_radjust)v; break;
            case 5: opt->rrange = (pl_smp_rrange)v; break;
            case 6: opt->commit = (pl_smp_commit)v; break;
            case 7: opt->interp = (pl_smp_interp)v; break;
            case 8: opt->bargain = (pl_smp_bargain_model)v; break;
            default: opt->sums = (pl_smp_sums)v; break;
        }
        return PL_OK;
    }
    return PL_ENOTFOUND;
}

/* Sets the flag or number K (normalised) to VALUE; PL_ENOTFOUND if K
** names none. */
static pl_status set_number(pl_smp_options *opt, const char *k, const char *value) {
    uint64_t u;
    double x;
    int *flag = strcmp(k, "quirkreceivergain") == 0      ? &opt->quirk_receiver_gain
                : strcmp(k, "quirkpwcompweight") == 0    ? &opt->quirk_pwcomp_weight
                : strcmp(k, "quirklinearchallenge") == 0 ? &opt->quirk_linear_challenge
                : strcmp(k, "ktaberrors") == 0           ? &opt->ktab_errors
                                                         : NULL;
    if (flag) {
        if (!parse_uint(value, 1, &u)) return PL_EINVAL;
        *flag = (int)u;
        return PL_OK;
    }
    if (strcmp(k, "maxturns") == 0 || strcmp(k, "minturns") == 0) {
        if (!parse_uint(value, 1000000, &u)) return PL_EINVAL;
        if (k[1] == 'i') {
            if (u < 1) return PL_EINVAL;
            opt->min_turns = (size_t)u;
        } else {
            opt->max_turns = (size_t)u;
        }
        return PL_OK;
    }
    if (strcmp(k, "stopratio") == 0 || strcmp(k, "minsigdelta") == 0 || strcmp(k, "postol") == 0) {
        if (!parse_real(value, &x)) return PL_EINVAL;
        if (k[0] == 's') opt->stop_ratio = x;
        else if (k[0] == 'm') opt->min_sig_delta = x;
        else opt->pos_tol = x;
        return PL_OK;
    }
    if (strcmp(k, "seed") == 0) {
        if (!parse_uint(value, UINT64_MAX, &u)) return PL_EINVAL;
        opt->seed = u;
        return PL_OK;
    }
    if (strcmp(k, "threads") == 0) {
        if (!parse_uint(value, PL_MAX_THREADS, &u)) return PL_EINVAL;
        opt->n_threads = (unsigned)u;
        return PL_OK;
    }
    return PL_ENOTFOUND;
}

pl_status pl_smp_options_set(pl_smp_options *opt, const char *key, const char *value) {
    if (!opt || !key || !value) return PL_EINVAL;
    char k[40];
    normalise_key(key, k, sizeof k);
    const char *canon = enum_key(k);
    if (canon) return set_enum(opt, canon, value);
    return set_number(opt, k, value);
}

void smp_describe(buf *b, const pl_smp_options *o) {
    buf_printf(b,
               "vpm=%s pce=%s transitions=%s voting=%s radjust=%s rrange=%s "
               "commit=%s interp=%s bargain=%s quirk-receiver-gain=%d "
               "quirk-pwcomp-weight=%d quirk-linear-challenge=%d ktab-errors=%d "
               "max-turns=%zu min-turns=%zu stop-ratio=%g min-sig-delta=%g pos-tol=%g "
               "seed=%llu threads=%u",
               vpm_names[o->vpm], pcem_names[o->pcem], stm_names[o->transition],
               vr_names[o->voting], radj_names[o->radjust], rrange_names[o->rrange],
               tpc_names[o->commit], ivb_names[o->interp], bm_names[o->bargain],
               o->quirk_receiver_gain, o->quirk_pwcomp_weight, o->quirk_linear_challenge,
               o->ktab_errors, o->max_turns, o->min_turns, o->stop_ratio, o->min_sig_delta,
               o->pos_tol, (unsigned long long)o->seed, o->n_threads);
    /* said only when not the default, so that the line stays KTAB's */
    if (o->sums != PL_SMP_SUMS_AUTO) buf_printf(b, " sums=%s", sums_names[o->sums]);
}

smp_option_names smp_names_of(const pl_smp_options *o) {
    smp_option_names n = {vpm_names[o->vpm],    pcem_names[o->pcem],    stm_names[o->transition],
                          vr_names[o->voting],  radj_names[o->radjust], rrange_names[o->rrange],
                          tpc_names[o->commit], ivb_names[o->interp],   bm_names[o->bargain]};
    return n;
}

pl_status pl_smp_options_describe(const pl_smp_options *opt, char **out) {
    if (!out) return PL_EINVAL;
    *out = NULL;
    pl_smp_options def;
    if (!opt) {
        pl_smp_options_init(&def);
        opt = &def;
    }
    if (!options_valid(opt)) return PL_EINVAL;
    buf b = {0};
    smp_describe(&b, opt);
    *out = buf_take(&b);
    return *out ? PL_OK : PL_ENOMEM;
}

/* ------------------------------------------------------------------------
** The model's arithmetic, each function as KTAB computes it (the order of
** operations included: the reference tests compare to 0.01, but a near-tie
** decided the other way would send a trajectory elsewhere).
*/

/* Model::vote: actor with weight w votes for a over b. */
static inline double vote(pl_smp_voting vr, double w, double ua, double ub) {
    const double du = ua - ub;
    const double sTol = 1E-8, rbp = 0.2, rpc = 0.5;
    double rBin = du / sTol;
    rBin = (rBin > +1) ? +1 : rBin;
    rBin = (rBin < -1) ? -1 : rBin;
    switch (vr) {
        case PL_SMP_VR_BINARY: return w * rBin;
        case PL_SMP_VR_PROPBIN: return w * ((1 - rbp) * du + rbp * rBin);
        case PL_SMP_VR_PROP: return w * du;
        case PL_SMP_VR_PROPCBC: return w * ((1 - rpc) * du + rpc * (du * du * du));
        case PL_SMP_VR_CUBIC: return w * (du * du * du);
        case PL_SMP_VR_ASYMPROSP:
            if (du < 0.0) return w * du;
            if (0.0 < du) return (2.0 * w * du) / 3.0;
            return 0.0;
    }
    return w * du;
}

/* Model::vProb(vpm, s1, s2): victory probabilities of two coalitions. */
static void vprob(pl_smp_vpm vpm, double s1, double s2, double *p1, double *p2) {
    double x1 = s1, x2 = s2;
    switch (vpm) {
        case PL_SMP_VPM_LINEAR: break;
        case PL_SMP_VPM_SQUARE:
            x1 = s1 * s1;
            x2 = s2 * s2;
            break;
        case PL_SMP_VPM_QUARTIC:
            x1 = s1 * s1 * s1 * s1;
            x2 = s2 * s2 * s2 * s2;
            break;
        case PL_SMP_VPM_OCTIC:
            x1 = s1 * s1 * s1 * s1;
            x2 = s2 * s2 * s2 * s2;
            x1 = x1 * x1;
            x2 = x2 * x2;
            break;
        case PL_SMP_VPM_BINARY: {
            const double thresh = 1.10, minX = 1E-6;
            if (s1 >= thresh * s2) {
                x1 = 1.0;
                x2 = minX;
            } else if (s2 >= thresh * s1) {
                x1 = minX;
                x2 = 1.0;
            } else {
                double r12 = s1 / (s1 + s2);
                double p12 = (r12 * (thresh + 1.0) - 1.0) / (thresh - 1.0);
                x1 = p12;
                x2 = 1 - p12;
            }
            break;
        }
    }
    *p1 = x1 / (x1 + x2);
    *p2 = x2 / (x1 + x2);
}

/* SMPModel::bsUtil: utility at normalised distance sd with risk R. */
static inline double bs_util(double sd, double R) {
    /* if (sd <= 1) (1 - sd)(1 + sd R) else (1 - sd)(1 + R), without a branch */
    const double f = (sd <= 1) ? sd * R : R;
    return (1 - sd) * (1 + f);
}

/* SMPModel::bvDiff(a - b, s): salience-weighted normalised distance. */
static inline double bv_diff(const double *a, const double *b, const double *s, size_t nd) {
    double dsSqr = 0, ssSqr = 0;
    for (size_t k = 0; k < nd; k++) {
        const double dk = a[k] - b[k];
        const double ds = dk * s[k];
        dsSqr = dsSqr + (ds * ds);
        ssSqr = ssSqr + (s[k] * s[k]);
    }
    return sqrt(dsSqr / ssSqr);
}

/* Model::estNRA: h's estimate of i's risk attitude. */
static double est_nra(pl_smp_radjust ra, double rh, double ri) {
    switch (ra) {
        case PL_SMP_RADJ_FULL: return ri;
        case PL_SMP_RADJ_TWO_THIRDS: return (rh + (2.0 * ri)) / 3.0;
        case PL_SMP_RADJ_HALF: return (rh + ri) / 2;
        case PL_SMP_RADJ_ONE_THIRD: return ((2.0 * rh) + ri) / 3.0;
        case PL_SMP_RADJ_NONE: return rh;
    }
    return rh;
}

/* Actor::thirdPartyVoteSU: third party k's vote in (i:j), having estimated
** P(ik > j) = pik and P(j > ik) = pjk in the little contest. */
static inline double tp_vote(pl_smp_voting vr, pl_smp_commit comm, double wk, double pik,
                             double pjk, double uki, double ukj, double ukk) {
    double u_ik_def_j, u_j_def_ik, u_i_def_jk, u_jk_def_i;
    switch (comm) {
        case PL_SMP_COMMIT_FULL:
            u_ik_def_j = uki + uki + uki;
            u_j_def_ik = ukj + ukj + ukj;
            u_i_def_jk = uki + uki + uki;
            u_jk_def_i = ukj + ukj + ukj;
            break;
        case PL_SMP_COMMIT_NO:
            u_ik_def_j = uki + uki + ukk;
            u_j_def_ik = ukj + ukj + ukk;
            u_i_def_jk = uki + uki + ukk;
            u_jk_def_i = ukj + ukj + ukk;
            break;
        default: /* SemiCommit */
            u_ik_def_j = uki + uki + ukk;
            u_j_def_ik = ukj + ukj + ukj;
            u_i_def_jk = uki + uki + uki;
            u_jk_def_i = ukj + ukj + ukk;
            break;
    }
    double u_ik_j = (pik * u_ik_def_j) + (pjk * u_j_def_ik);
    double u_i_jk = (pik * u_i_def_jk) + (pjk * u_jk_def_i);
    return vote(vr, wk, u_ik_j, u_i_jk);
}

/* SMPActor::interpBrgnSnPm's rounding to 4 decimals (on [0,1]). */
static double round4(double x1) {
    const double s = 10000.0;
    double y = 0.5 + (x1 * s);
    if (!(y > -2147483648.0 && y < 2147483647.0)) return x1; /* KTAB: undefined */
    return ((double)(int)y) / s;
}

/* One dimension of a bargain between positions ti (salience si, probability
** pi) and tj (sj, pj). */
static void interp_dim(pl_smp_interp ivb, double tik, double sik, double prbI, double tjk,
                       double sjk, double prbJ, double *bik, double *bjk) {
    if (ivb == PL_SMP_INTERP_S2PMAX) {
        double di = (prbJ > prbI) ? (prbJ - prbI) : 0;
        double dj = (prbI > prbJ) ? (prbI - prbJ) : 0;
        double sik2 = sik * sik, sjk2 = sjk * sjk;
        const double minW = 1e-6;
        double dik = (di * sjk2) / ((di * sjk2) + minW + ((1 - di) * sik2));
        double djk = (dj * sik2) / ((dj * sik2) + minW + ((1 - dj) * sjk2));
        *bik = tik + dik * (tjk - tik);
        *bjk = tjk + djk * (tik - tjk);
    } else {
        double n = ivb == PL_SMP_INTERP_S1P1 ? 1 : 2;
        double wik = pow(sik, n) * pow(prbI, n);
        double wjk = pow(sjk, n) * pow(prbJ, n);
        const double minW = 1e-6;
        *bik = round4(((wik + minW) * tik + wjk * tjk) / (wik + minW + wjk));
        *bjk = round4((wik * tik + (minW + wjk) * tjk) / (wik + minW + wjk));
    }
    /* Only reachable with the receiver-gain quirk, whose "probabilities"
    ** may be negative: keep the positions rather than leave the numbers. */
    if (!isfinite(*bik) || !isfinite(*bjk)) {
        *bik = tik;
        *bjk = tjk;
    }
}

/* ------------------------------------------------------------------------
** Probabilistic Condorcet elections (Model::coalitions, vProb, probCE2)
**
** Options are indexed o, voters a; utilities are stored option-major,
** u[o * n_voters + a], so that a coalition sums a contiguous run.
*/
typedef struct pce_work {
    size_t cap;    /* options it has room for */
    double *c, *v; /* cap x cap: coalitions, victory probabilities */
    double *chl;   /* cap x cap: challenge probabilities (MarkovIncentive) */
    double *p, *q; /* cap */
} pce_work;

static void pce_work_free(pce_work *w) {
    pl__free(w->c);
    pl__free(w->v);
    pl__free(w->chl);
    pl__free(w->p);
    pl__free(w->q);
    memset(w, 0, sizeof *w);
}

static int pce_work_alloc(pce_work *w, size_t cap, int incentive) {
    memset(w, 0, sizeof *w);
    w->cap = cap;
    w->c = pl__malloc(cap * cap * sizeof(double));
    w->v = pl__malloc(cap * cap * sizeof(double));
    w->chl = incentive ? pl__malloc(cap * cap * sizeof(double)) : NULL;
    w->p = pl__malloc(cap * sizeof(double));
    w->q = pl__malloc(cap * sizeof(double));
    if (!w->c || !w->v || (incentive && !w->chl) || !w->p || !w->q) {
        pce_work_free(w);
        return 0;
    }
    return 1;
}

/* Row i of the coalition matrix (Model::coalitions): c(i,j) and c(j,i)
** for j < i, c(i,i), from utilities stored voter-major, u[k * n_opts + o]
** (the elections over all N positions).  Eight options j at a time: their
** sums are independent, so they run side by side instead of waiting on
** one addition after another; each is KTAB's sequence of additions in
** voter order.  ("c + (v > 0 ? v : 0.0)" is bit for bit "if (v > 0) c = c
** + v" since c > 0.) */
#define COALITION_LANES 8

static ALWAYS_INLINE void coalition_row_vm_rule(pl_smp_voting vr, size_t n_voters, size_t n_opts,
                                                const double *w, const double *u, size_t i,
                                                size_t j0, double *c) {
    const double minC = 1E-8;
    for (; j0 + COALITION_LANES <= i; j0 += COALITION_LANES) {
        double cij[COALITION_LANES], cji[COALITION_LANES];
        for (size_t l = 0; l < COALITION_LANES; l++) cij[l] = cji[l] = minC;
        for (size_t k = 0; k < n_voters; k++) {
            const double *uk = u + k * n_opts, wk = w[k], uik = uk[i];
            for (size_t l = 0; l < COALITION_LANES; l++) {
                const double v = vote(vr, wk, uik, uk[j0 + l]);
                cij[l] = cij[l] + (v > 0 ? v : 0.0);
                cji[l] = cji[l] + (v < 0 ? -v : 0.0);
            }
        }
        for (size_t l = 0; l < COALITION_LANES; l++) {
            c[i * n_opts + j0 + l] = cij[l];
            c[(j0 + l) * n_opts + i] = cji[l];
        }
    }
    for (size_t j = j0; j < i; j++) {
        double cij = minC, cji = minC;
        for (size_t k = 0; k < n_voters; k++) {
            const double v = vote(vr, w[k], u[k * n_opts + i], u[k * n_opts + j]);
            cij = cij + (v > 0 ? v : 0.0);
            cji = cji + (v < 0 ? -v : 0.0);
        }
        c[i * n_opts + j] = cij;
        c[j * n_opts + i] = cji;
    }
    c[i * n_opts + i] = minC;
}

/* Rows i0..i0+3 at once for the options j below i0 in whole groups of
** eight: each utility of those options is loaded once for four rows
** (the elections are bound by memory traffic).  Returns where the rows'
** own remainders start. */
#define COALITION_ROWS 4

#ifdef PL_SMP_VECTORS
/* coalition_rows_rule for the Prop rule (KTAB's default), written with
** vectors: the compilers did not keep the 4 x 8 sums in registers.  The
** same operations in each lane, so the same bits. */
static ALWAYS_INLINE size_t coalition_rows_prop(size_t n_voters, size_t n_opts, const double *w,
                                                const double *u, size_t i0, double *c) {
    vd zero, minC;
    VD_SPLAT(zero, 0.0);
    VD_SPLAT(minC, 1E-8);
    size_t j0 = 0;
    for (; j0 + COALITION_LANES <= i0; j0 += COALITION_LANES) {
        vd cij[COALITION_ROWS], cji[COALITION_ROWS];
        for (size_t r = 0; r < COALITION_ROWS; r++) cij[r] = cji[r] = minC;
        for (size_t k = 0; k < n_voters; k++) {
            const double *uk = u + k * n_opts;
            vd uj, wk;
            VD_LOAD(uj, uk + j0);
            VD_SPLAT(wk, w[k]);
            for (size_t r = 0; r < COALITION_ROWS; r++) {
                vd ui;
                VD_SPLAT(ui, uk[i0 + r]);
                const vd v = wk * (ui - uj); /* vote(Prop, w, ui, uj) */
                cij[r] = cij[r] + (vd)((vi)v & (v > zero));
                cji[r] = cji[r] + (vd)((vi)(-v) & (v < zero));
            }
        }
        for (size_t r = 0; r < COALITION_ROWS; r++)
            for (size_t l = 0; l < COALITION_LANES; l++) {
                c[(i0 + r) * n_opts + j0 + l] = cij[r][l];
                c[(j0 + l) * n_opts + i0 + r] = cji[r][l];
            }
    }
    return j0;
}
#endif

static ALWAYS_INLINE size_t coalition_rows_rule(pl_smp_voting vr, size_t n_voters, size_t n_opts,
                                                const double *w, const double *u, size_t i0,
                                                double *c) {
    const double minC = 1E-8;
    size_t j0 = 0;
#ifdef PL_SMP_VECTORS
    if (vr == PL_SMP_VR_PROP) return coalition_rows_prop(n_voters, n_opts, w, u, i0, c);
#endif
    for (; j0 + COALITION_LANES <= i0; j0 += COALITION_LANES) {
        double cij[COALITION_ROWS][COALITION_LANES], cji[COALITION_ROWS][COALITION_LANES];
        for (size_t r = 0; r < COALITION_ROWS; r++)
            for (size_t l = 0; l < COALITION_LANES; l++) cij[r][l] = cji[r][l] = minC;
        for (size_t k = 0; k < n_voters; k++) {
            const double *uk = u + k * n_opts, wk = w[k];
            for (size_t r = 0; r < COALITION_ROWS; r++) {
                const double uik = uk[i0 + r];
                for (size_t l = 0; l < COALITION_LANES; l++) {
                    const double v = vote(vr, wk, uik, uk[j0 + l]);
                    cij[r][l] = cij[r][l] + (v > 0 ? v : 0.0);
                    cji[r][l] = cji[r][l] + (v < 0 ? -v : 0.0);
                }
            }
        }
        for (size_t r = 0; r < COALITION_ROWS; r++)
            for (size_t l = 0; l < COALITION_LANES; l++) {
                c[(i0 + r) * n_opts + j0 + l] = cij[r][l];
                c[(j0 + l) * n_opts + i0 + r] = cji[r][l];
            }
    }
    return j0;
}

/* Rows g*4 .. g*4+3 of the coalition matrix (fewer at the end). */
KERNEL_CLONES
static void coalition_rows_vm(pl_smp_voting vr, size_t n_voters, size_t n_opts, const double *w,
                              const double *u, size_t g, double *c) {
    size_t i0 = g * COALITION_ROWS, j0 = 0;
    if (i0 + COALITION_ROWS <= n_opts) {
        if (vr == PL_SMP_VR_PROP)
            j0 = coalition_rows_rule(PL_SMP_VR_PROP, n_voters, n_opts, w, u, i0, c);
        else j0 = coalition_rows_rule(vr, n_voters, n_opts, w, u, i0, c);
    }
    for (size_t i = i0; i < i0 + COALITION_ROWS && i < n_opts; i++) {
        if (vr == PL_SMP_VR_PROP)
            coalition_row_vm_rule(PL_SMP_VR_PROP, n_voters, n_opts, w, u, i, j0, c);
        else coalition_row_vm_rule(vr, n_voters, n_opts, w, u, i, j0, c);
    }
}

#ifdef PL_SMP_VECTORS
/* Rows g*4 .. g*4+3 (fewer at the end) of the coalitions of n_opts options
** under the Prop rule, from utilities in blocks of eight options
** (queue_utils_blocked): the pairs with j in whole blocks below row g*4
** eight at a time, the rest one by one; each pair's sums in voter order,
** so the same bits as coalition_rows_vm's. */
KERNEL_CLONES
static void coalition_rows_blocked(size_t n_voters, size_t n_opts, const double *w,
                                   const double *ub, size_t g, double *c) {
    const size_t L = COALITION_LANES, i0 = g * COALITION_ROWS;
    const size_t nr = n_opts - i0 < COALITION_ROWS ? n_opts - i0 : COALITION_ROWS;
    const double *bi = ub + (i0 / L) * n_voters * L + i0 % L; /* row i0's column */
    vd zero, minC;
    VD_SPLAT(zero, 0.0);
    VD_SPLAT(minC, 1E-8);
    size_t jb = 0;
    for (; (jb + 1) * L <= i0; jb++) {
        const double *bj = ub + jb * n_voters * L;
        vd cij[COALITION_ROWS], cji[COALITION_ROWS];
        for (size_t r = 0; r < COALITION_ROWS; r++) cij[r] = cji[r] = minC;
        for (size_t k = 0; k < n_voters; k++) {
            vd uj, wk;
            VD_LOAD(uj, bj + k * L);
            VD_SPLAT(wk, w[k]);
            for (size_t r = 0; r < COALITION_ROWS; r++) {
                vd ui;
                VD_SPLAT(ui, bi[k * L + r]);
                const vd v = wk * (ui - uj); /* vote(Prop, w, ui, uj) */
                cij[r] = cij[r] + (vd)((vi)v & (v > zero));
                cji[r] = cji[r] + (vd)((vi)(-v) & (v < zero));
            }
        }
        for (size_t r = 0; r < nr; r++)
            for (size_t l = 0; l < L; l++) {
                c[(i0 + r) * n_opts + jb * L + l] = cij[r][l];
                c[(jb * L + l) * n_opts + i0 + r] = cji[r][l];
            }
    }
    for (size_t r = 0; r < nr; r++) { /* the pairs within row i's own block */
        size_t i = i0 + r;
        const double *ui = ub + (i / L) * n_voters * L + i % L;
        for (size_t j = jb * L; j < i; j++) {
            const double *uj = ub + (j / L) * n_voters * L + j % L;
            double pij = 1E-8, pji = 1E-8;
            for (size_t k = 0; k < n_voters; k++) {
                const double v = w[k] * (ui[k * L] - uj[k * L]);
                pij = pij + (v > 0 ? v : 0.0);
                pji = pji + (v < 0 ? -v : 0.0);
            }
            c[i * n_opts + j] = pij;
            c[j * n_opts + i] = pji;
        }
        c[i * n_opts + i] = 1E-8;
    }
}
#endif

/* Every coalition of a small election (a queue's), from voter-major
** utilities u[k * n_opts + o]: the pairs (i, j < i) eight at a time, each
** pair's two sums KTAB's sequence of additions in voter order. */
static ALWAYS_INLINE void coalition_batch(pl_smp_voting vr, size_t n_voters, size_t n_opts,
                                          const double *w, const double *u, const size_t *pi,
                                          const size_t *pj, size_t n_pairs, double *c) {
    const double minC = 1E-8;
    double cij[COALITION_LANES], cji[COALITION_LANES];
    for (size_t l = 0; l < COALITION_LANES; l++) cij[l] = cji[l] = minC;
    for (size_t k = 0; k < n_voters; k++) {
        const double *uk = u + k * n_opts, wk = w[k];
        for (size_t l = 0; l < COALITION_LANES; l++) {
            const double v = vote(vr, wk, uk[pi[l]], uk[pj[l]]);
            cij[l] = cij[l] + (v > 0 ? v : 0.0);
            cji[l] = cji[l] + (v < 0 ? -v : 0.0);
        }
    }
    for (size_t l = 0; l < n_pairs; l++) {
        c[pi[l] * n_opts + pj[l]] = cij[l];
        c[pj[l] * n_opts + pi[l]] = cji[l];
    }
}

static ALWAYS_INLINE void coalitions_all_rule(pl_smp_voting vr, size_t n_voters, size_t n_opts,
                                              const double *w, const double *u, double *c) {
    size_t pi[COALITION_LANES] = {0}, pj[COALITION_LANES] = {0}, n_pairs = 0;
    for (size_t i = 0; i < n_opts; i++) {
        c[i * n_opts + i] = 1E-8;
        for (size_t j = 0; j < i; j++) {
            pi[n_pairs] = i;
            pj[n_pairs++] = j;
            if (n_pairs < COALITION_LANES) continue;
            coalition_batch(vr, n_voters, n_opts, w, u, pi, pj, n_pairs, c);
            n_pairs = 0;
        }
    }
    if (n_pairs == 0) return;
    for (size_t l = n_pairs; l < COALITION_LANES; l++) pi[l] = pj[l] = 0; /* idle lanes */
    coalition_batch(vr, n_voters, n_opts, w, u, pi, pj, n_pairs, c);
}

KERNEL_CLONES
static void coalitions_all(pl_smp_voting vr, size_t n_voters, size_t n_opts, const double *w,
                           const double *u, double *c) {
    if (vr == PL_SMP_VR_PROP) coalitions_all_rule(PL_SMP_VR_PROP, n_voters, n_opts, w, u, c);
    else coalitions_all_rule(vr, n_voters, n_opts, w, u, c);
}

/* From coalitions pw->c (m x m) to option probabilities pw->p.  PL_ERANGE
** when a Markov chain does not settle in 1000 iterations (KTAB asserts). */
/* The conditional election: each option's probability is the product of
** its pairwise victory probabilities, normalised. */
static void pce_conditional(size_t m, pce_work *pw) {
    const double *v = pw->v;
    double *p = pw->p, *q = pw->q;
    double probOne = 0;
    for (size_t i = 0; i < m; i++) {
        double pi = 1.0;
        for (size_t j = 0; j < m; j++) pi = pi * v[i * m + j];
        p[i] = pi;
    }
    for (size_t i = 0; i < m; i++) probOne = probOne + p[i];
    if (probOne > 0 && isfinite(probOne)) {
        for (size_t i = 0; i < m; i++) p[i] = p[i] / probOne;
    } else {
        /* Every product underflowed (KTAB: 0/0).  The same ratios,
        ** taken in logarithms. */
        double top = -INFINITY, sum = 0;
        for (size_t i = 0; i < m; i++) {
            double lp = 0;
            for (size_t j = 0; j < m; j++) lp += log(fmax(v[i * m + j], 1e-300));
            q[i] = lp;
            if (lp > top) top = lp;
        }
        for (size_t i = 0; i < m; i++) sum += (p[i] = exp(q[i] - top));
        for (size_t i = 0; i < m; i++) p[i] /= sum;
    }
}

/* The Markov election with uniform challenges, iterated to 1e-6. */
static pl_status pce_markov_uniform(size_t m, pce_work *pw) {
    const double *v = pw->v;
    double *p = pw->p, *q = pw->q;
    const unsigned iMax = 1000;
    const double pTol = 1E-6;
    double change = 1.0;
    unsigned iter = 0;
    while (pTol < change) {
        if (iter >= iMax) return PL_ERANGE;
        change = 0;
        for (size_t i = 0; i < m; i++) {
            double pi = 0.0;
            for (size_t j = 0; j < m; j++) pi = pi + v[i * m + j] * (p[i] + p[j]);
            q[i] = pi / (double)m;
            double d = fabs(q[i] - p[i]);
            change = (d > change) ? d : change;
        }
        for (size_t i = 0; i < m; i++) p[i] = (p[i] + q[i]) / 2.0;
        iter++;
    }
    return PL_OK;
}

/* The Markov election with challenges by incentive c(i,j) V(i,j),
** iterated to 1e-8. */
static pl_status pce_markov_incentive(size_t m, pce_work *pw) {
    const double *c = pw->c, *v = pw->v;
    double *p = pw->p, *q = pw->q;
    const unsigned iMax = 1000;
    double *chl = pw->chl;
    const double epsSupport = 1E-10, pTol = 1E-8;
    for (size_t i = 0; i < m; i++)
        for (size_t j = 0; j < m; j++)
            chl[i * m + j] = c[i * m + j] * v[i * m + j] + (i == j ? epsSupport : 0.0);
    for (size_t j = 0; j < m; j++) {
        double sum = 0.0;
        for (size_t k = 0; k < m; k++) sum = sum + chl[k * m + j];
        q[j] = sum;
    }
    for (size_t i = 0; i < m; i++)
        for (size_t j = 0; j < m; j++) chl[i * m + j] = chl[i * m + j] / q[j];
    double change = 1.0;
    unsigned iter = 0;
    while (pTol < change) {
        if (iter >= iMax) return PL_ERANGE;
        change = 0.0;
        for (size_t i = 0; i < m; i++) {
            double qi = 0.0;
            for (size_t j = 0; j < m; j++) {
                double ctij = p[i] * chl[j * m + i], ctji = p[j] * chl[i * m + j];
                qi = qi + v[i * m + j] * (ctij + ctji);
            }
            q[i] = qi;
            double d = fabs(q[i] - p[i]);
            change = (d > change) ? d : change;
        }
        for (size_t i = 0; i < m; i++) p[i] = (p[i] + q[i]) / 2.0;
        iter++;
    }
    return PL_OK;
}

static pl_status pce_solve(pl_smp_vpm vpm, pl_smp_pcem pcem, size_t m, pce_work *pw) {
    double *c = pw->c, *v = pw->v, *p = pw->p;
    for (size_t i = 0; i < m; i++) {
        for (size_t j = 0; j < i; j++)
            vprob(vpm, c[i * m + j], c[j * m + i], &v[i * m + j], &v[j * m + i]);
        v[i * m + i] = 0.5;
    }
    if (pcem == PL_SMP_PCE_CONDITIONAL) {
        pce_conditional(m, pw);
        return PL_OK;
    }
    for (size_t i = 0; i < m; i++) p[i] = 1.0 / (double)m;
    if (pcem == PL_SMP_PCE_MARKOV_UNIFORM) return pce_markov_uniform(m, pw);
    /* MarkovIncentive: incentives c(i,j) V(i,j), challenge probabilities. */
    return pce_markov_incentive(m, pw);
}

/* ------------------------------------------------------------------------
** The engine: everything one run needs, allocated once.
*/
typedef struct engine engine;
typedef void (*task_fn)(engine *E, size_t idx, unsigned tid);

/* A challenge target and the bound on its gain (evaluate_targets). */
typedef struct bound_key {
    double bound;
    size_t j;
} bound_key;

/* Queues at least this long are elected by all threads together
** (model_smp_int.h: a hook for the tests). */
size_t smp_long_queue_min = 64;

typedef struct tscratch {
    pce_work pw;          /* a queue's election */
    double *ut;           /* qmax x n: a queue's utilities, option-major */
    double *ucol, *udiag; /* n: U^h(a,i) and U^h(a,a) for one challenge */
    double *tv;           /* n: third parties' votes in one challenge */
    double *edu, *pij;    /* n: one challenger's gain and P(win) per target */
    bound_key *keys;      /* n: targets by bound on the gain */
} tscratch;

typedef struct challenge_slot {
    size_t target; /* NONE: no advantageous target */
    double prob, gain;
    size_t n_b; /* bargains: 0, 1, 2 */
} challenge_slot;

struct engine {
    const pl_smp_options *o;
    size_t n, nd;
    unsigned n_threads; /* scratch areas in ts: pool_size(pool) at most */
    const double *cap;
    double *sal;      /* n x nd on [0,1] */
    double *stot, *w; /* n: total salience, salience x capability */
    const double *acc;
    double *x, *y, *xn, *yn; /* n x nd on [0,1]: positions, ideals, next */
    double *dist, *distT;    /* n x n: d(i,j) and its transpose */
    double *r, *rhat;        /* n; n x n: r^h_i */
    double *uown;            /* n x n: U^a(a,m) at [m * n + a] (voters contiguous) */
    double *ut0;             /* n x n: utilities of the big elections, voter-major [a * m + o] */
    pce_work big;
    size_t *uniq, *eidx; /* n: class representatives, class of each */
    size_t n_uniq;
    /* fast sums (pl_smp_sums): wanted by the options (fast), the big
    ** elections from sorted voters too (sorted: one dimension, Prop), and
    ** possible in this state (sorted_now; smp_sorted.h) */
    int fast, sorted, sorted_now;
    smp_sorted srt;
    double *utot;  /* n: each voter's utilities of every position, summed */
    size_t long_q; /* the long queue being elected (resolve_queues) */
    /* a turn */
    challenge_slot *ch; /* n */
    double *bpos;       /* n x 2 x 2 x nd: bargains (init, rcvr) x 2 */
    double *butil;      /* 2n x n: utility of each bargain to each voter */
    double *usq;        /* n: utility of the status quo to each voter */
    size_t *blist;      /* bargains of this turn (ids i*2+s) */
    size_t n_blist;
    size_t *qstart, *qlen, *qitem; /* queues: items are bargain ids or NONE */
    double *qprob;
    pl_status *qstat;
    size_t *choice; /* n: chosen queue index */
    tscratch *ts;
    rng g;
    pool *pool;     /* the run's threads; NULL: the calling one */
    progress *prog; /* opt->progress; polled after every task */
};

static void engine_free(engine *E) {
    pool_free(E->pool);
    E->pool = NULL;
    pl__free(E->sal);
    pl__free(E->stot);
    pl__free(E->w);
    pl__free(E->x);
    pl__free(E->y);
    pl__free(E->xn);
    pl__free(E->yn);
    pl__free(E->dist);
    pl__free(E->distT);
    pl__free(E->r);
    pl__free(E->rhat);
    pl__free(E->uown);
    pl__free(E->ut0);
    pce_work_free(&E->big);
    smp_sorted_free(&E->srt);
    pl__free(E->utot);
    pl__free(E->uniq);
    pl__free(E->eidx);
    pl__free(E->ch);
    pl__free(E->bpos);
    pl__free(E->butil);
    pl__free(E->usq);
    pl__free(E->blist);
    pl__free(E->qstart);
    pl__free(E->qlen);
    pl__free(E->qitem);
    pl__free(E->qprob);
    pl__free(E->qstat);
    pl__free(E->choice);
    if (E->ts) {
        for (unsigned t = 0; t < E->n_threads; t++) {
            pce_work_free(&E->ts[t].pw);
            pl__free(E->ts[t].ut);
            pl__free(E->ts[t].ucol);
            pl__free(E->ts[t].udiag);
            pl__free(E->ts[t].tv);
            pl__free(E->ts[t].edu);
            pl__free(E->ts[t].pij);
            pl__free(E->ts[t].keys);
        }
        pl__free(E->ts);
    }
}

int smp_fast_sums(const pl_smp_options *o, size_t n) {
    return o->sums == PL_SMP_SUMS_FAST ||
           (o->sums == PL_SMP_SUMS_AUTO && n > PL_SMP_KTAB_MAX_ACTORS);
}

static pl_status engine_init(engine *E, const pl_smp_data *d, const pl_smp_options *o) {
    memset(E, 0, sizeof *E);
    size_t n = d->n_actors, nd = d->n_dims;
    E->o = o;
    E->n = n;
    E->nd = nd;
    unsigned nt = o->n_threads == 0 && n < 32 ? 1 : pool_threads(o->n_threads);
    if (nt > n) nt = (unsigned)n;
    E->n_threads = nt;
    E->cap = d->capability;
    E->acc = d->accommodation;
    size_t qmax = o->bargain == PL_SMP_BARGAIN_INIT_RCVR ? 2 * n + 1 : n + 1;
    int incentive = o->pcem == PL_SMP_PCE_MARKOV_INCENTIVE;
#define ALLOC(p, count) ((p) = pl__malloc((count) * sizeof *(p)))
    int ok = ALLOC(E->sal, n * nd) && ALLOC(E->stot, n) && ALLOC(E->w, n) && ALLOC(E->x, n * nd) &&
             ALLOC(E->y, n * nd) && ALLOC(E->xn, n * nd) && ALLOC(E->yn, n * nd) &&
             ALLOC(E->dist, n * n) && ALLOC(E->distT, n * n) && ALLOC(E->r, n) &&
             ALLOC(E->rhat, n * n) && ALLOC(E->uown, n * n) && ALLOC(E->ut0, n * n) &&
             pce_work_alloc(&E->big, n, incentive) && ALLOC(E->uniq, n) && ALLOC(E->eidx, n) &&
             ALLOC(E->ch, n) && ALLOC(E->bpos, n * 4 * nd) && ALLOC(E->butil, 2 * n * n) &&
             ALLOC(E->usq, n) && ALLOC(E->blist, 2 * n) && ALLOC(E->qstart, n) &&
             ALLOC(E->qlen, n) && ALLOC(E->qitem, 5 * n) && ALLOC(E->qprob, 5 * n) &&
             ALLOC(E->qstat, n) && ALLOC(E->choice, n) &&
             (E->ts = pl__calloc(nt, sizeof *E->ts)) != NULL;
    for (unsigned t = 0; ok && t < nt; t++) {
        tscratch *s = &E->ts[t];
        ok = pce_work_alloc(&s->pw, qmax, incentive) &&
             ALLOC(s->ut, (qmax + COALITION_LANES) * n) && ALLOC(s->ucol, n) &&
             ALLOC(s->udiag, n) && ALLOC(s->tv, n) && ALLOC(s->edu, n) && ALLOC(s->pij, n) &&
             ALLOC(s->keys, n);
    }
#undef ALLOC
    if (!ok) {
        engine_free(E);
        return PL_ENOMEM;
    }
    for (size_t i = 0; i < n; i++) {
        double stot = 0;
        for (size_t k = 0; k < nd; k++) {
            E->sal[i * nd + k] = d->salience[i * nd + k] / 100.0;
            E->x[i * nd + k] = d->position[i * nd + k] / 100.0;
            stot = stot + E->sal[i * nd + k];
        }
        E->stot[i] = stot;
        E->w[i] = stot * E->cap[i];
    }
    memcpy(E->y, E->x, n * nd * sizeof(double));
    E->fast = smp_fast_sums(o, n);
    E->sorted = E->fast && nd == 1 && o->voting == PL_SMP_VR_PROP;
    if ((E->sorted && !smp_sorted_alloc(&E->srt, n)) ||
        !(E->utot = pl__malloc(n * sizeof *E->utot))) {
        engine_free(E);
        return PL_ENOMEM;
    }
    rng_seed(&E->g, o->seed, 0); /* one run, one stream (rng.c) */
    if (pool_new(nt, &E->pool) != PL_OK) {
        engine_free(E);
        return PL_ENOMEM;
    }
    return PL_OK;
}

/* ------------------------------------------------------------------------
** Threads: loops over indices on the run's pool (core/pool.h), one index
** at a time, dynamically scheduled.  Each index writes only its own
** outputs (and scratch of the worker's own, E->ts[worker]), so the
** schedule changes nothing.  Once the progress callback asks to stop, no
** index is started.
*/
typedef struct loop {
    engine *E;
    task_fn fn;
} loop;

static int loop_part(void *arg, unsigned worker, size_t begin, size_t end) {
    loop *l = arg;
    for (size_t i = begin; i < end && !progress_stopped(l->E->prog); i++) {
        l->fn(l->E, i, worker);
        progress_poll(l->E->prog);
    }
    return progress_stopped(l->E->prog);
}

/* Returns 1 when the progress callback asked to stop (the job's results
** are then incomplete). */
static int run_parallel(engine *E, size_t n, task_fn fn) {
    loop l = {E, fn};
    if (!E->pool || n < 2) return loop_part(&l, 0, 0, n);
    pool_for_chunks(E->pool, n, 1, loop_part, &l);
    return progress_stopped(E->prog);
}

/* ------------------------------------------------------------------------
** One state: distances, risk attitudes from the election over all N
** positions, everyone's estimates of everyone's utilities
** (SMPState::setAllAUtil).
*/
static void task_dist_row(engine *E, size_t i, unsigned tid) {
    (void)tid;
    size_t n = E->n, nd = E->nd;
    const double *yi = E->y + i * nd, *si = E->sal + i * nd;
    for (size_t j = 0; j < n; j++) {
        double dij = bv_diff(yi, E->x + j * nd, si, nd);
        E->dist[i * n + j] = dij;
        E->distT[j * n + i] = dij;
        if (!E->sorted_now) E->ut0[i * n + j] = bs_util(dij, 0.0); /* voter i, option j */
    }
}

static void task_big_coalition_rows(engine *E, size_t g, unsigned tid) {
    (void)tid;
    coalition_rows_vm(E->o->voting, E->n, E->n_uniq, E->cap, E->ut0, g, E->big.c);
}

static void task_sorted_row(engine *E, size_t i, unsigned tid) {
    (void)tid;
    smp_sorted_row(&E->srt, E->srt.xo, E->n_uniq, i, E->big.c);
}

/* The coalitions of a big election over E->n_uniq options: from the
** utilities in E->ut0 in KTAB's order, or, in a state where the sorted
** sums apply, from the voters sorted by ideal point (weights E->cap, risk
** attitudes R[a * r_stride], the options' positions in E->srt.xo).
** Returns 1 when interrupted. */
static int big_coalitions(engine *E, const double *R, size_t r_stride) {
    size_t m = E->n_uniq;
    if (!E->sorted_now)
        return run_parallel(E, (m + COALITION_ROWS - 1) / COALITION_ROWS, task_big_coalition_rows);
    smp_sorted_weights(&E->srt, E->cap, R, r_stride);
    smp_sorted_options(&E->srt, E->srt.xo, m);
    return run_parallel(E, m, task_sorted_row);
}

/* Frobenius distance between the utilities at risk attitudes ra and rb. */
static double util_gap(const engine *E, const double *ra, const double *rb) {
    size_t n = E->n;
    double sum = 0;
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++) {
            double d = E->dist[i * n + j];
            double gap = bs_util(d, ra[i]) - bs_util(d, rb[i]);
            sum += gap * gap;
        }
    return sqrt(sum);
}

static pl_status setup_state(engine *E, pl_diags *diags, const char *file) {
    size_t n = E->n;
    const pl_smp_options *o = E->o;
    /* the sorted sums need no utilities of the election over all N */
    E->sorted_now = E->sorted && smp_sorted_applies(E->x, E->y, E->sal, n);
    if (run_parallel(E, n, task_dist_row)) return PL_EINTERRUPTED;
    E->n_uniq = n; /* risk attitudes: all N positions, duplicates included */
    if (E->sorted_now) {
        smp_sorted_voters(&E->srt, E->y);
        memcpy(E->srt.xo, E->x, n * sizeof(double)); /* one dimension */
    }
    if (big_coalitions(E, NULL, 0)) return PL_EINTERRUPTED;
    pl_status rc = pce_solve(o->vpm, o->pcem, n, &E->big);
    if (rc != PL_OK) {
        diag_add(diags, PL_SEV_ERROR, file, 0, 0,
                 "the %s election over the actors' "
                 "positions did not settle in 1000 iterations (KTAB stops here too)",
                 pcem_names[o->pcem]);
        return rc;
    }
    /* Model::bigRfromProb */
    const double *p = E->big.p;
    double pMin = 1.0, pMax = 0.0;
    for (size_t i = 0; i < n; i++) {
        pMin = (p[i] < pMin) ? p[i] : pMin;
        pMax = (p[i] > pMax) ? p[i] : pMax;
    }
    if (!(pMax > pMin)) {
        if (o->ktab_errors) {
            diag_add(diags, PL_SEV_ERROR, file, 0, 0,
                     "every position is equally "
                     "likely to win, so the risk attitudes divide by zero (KTAB)");
            return PL_ERANGE;
        }
        for (size_t i = 0; i < n; i++) E->r[i] = 0; /* defined: risk neutral */
    } else {
        for (size_t i = 0; i < n; i++) {
            switch (o->rrange) {
                case PL_SMP_RRANGE_MIN: E->r[i] = (p[i] - pMin) / (pMax - pMin); break;
                case PL_SMP_RRANGE_MAX: E->r[i] = (2 * p[i] - (pMax + pMin)) / (pMax - pMin); break;
                default: E->r[i] = (3 * p[i] - (pMax + 2 * pMin)) / (2 * (pMax - pMin)); break;
            }
        }
    }
    for (size_t h = 0; h < n; h++)
        for (size_t i = 0; i < n; i++) E->rhat[h * n + i] = est_nra(o->radjust, E->r[h], E->r[i]);
    for (size_t a = 0; a < n; a++) {
        double raa = E->rhat[a * n + a];
        for (size_t m = 0; m < n; m++) E->uown[m * n + a] = bs_util(E->dist[a * n + m], raa);
    }
    if (o->ktab_errors) {
        /* SMPState::setAllAUtil's sanity checks. */
        const double duTol = 1E-6;
        double *zero = E->usq; /* n scratch */
        for (size_t i = 0; i < n; i++) zero[i] = 0;
        if (!(duTol < util_gap(E, zero, E->r))) {
            diag_add(diags, PL_SEV_ERROR, file, 0, 0,
                     "the risk attitudes do not change "
                     "the utilities (all positions alike?): KTAB throws \"utility values "
                     "not in valid range\"");
            return PL_ERANGE;
        }
        for (size_t h = 0; h < n; h++) {
            if (!(duTol < util_gap(E, E->rhat + h * n, E->r))) {
                diag_add(diags, PL_SEV_ERROR, file, 0, 0,
                         "actor %zu's estimates of "
                         "utilities equal the actual ones: KTAB throws \"Estimate of "
                         "change in utility by h out of valid range\"",
                         h + 1);
                return PL_ERANGE;
            }
        }
    }
    return PL_OK;
}

/* The distinct positions and their election (SMPState::pDist(-1)). */
static int equiv(const engine *E, size_t i, size_t j, double tol) {
    size_t nd = E->nd;
    double sum = 0;
    for (size_t k = 0; k < nd; k++) {
        double dk = E->x[i * nd + k] - E->x[j * nd + k];
        sum += dk * dk;
    }
    return sqrt(sum) < tol;
}

static pl_status state_probabilities(engine *E) {
    size_t n = E->n;
    double tol = E->o->pos_tol / 100.0;
    size_t m = 0;
    for (size_t i = 0; i < n; i++) { /* KBase::ueIndices */
        size_t found = NONE;
        for (size_t u = 0; u < m && found == NONE; u++)
            if (equiv(E, i, E->uniq[u], tol)) found = u;
        if (found == NONE) {
            E->uniq[m] = i;
            found = m++;
        }
        E->eidx[i] = found;
    }
    E->n_uniq = m;
    if (E->sorted_now) {
        for (size_t u = 0; u < m; u++) E->srt.xo[u] = E->x[E->uniq[u]];
    } else {
        for (size_t u = 0; u < m; u++)
            for (size_t a = 0; a < n; a++) E->ut0[a * m + u] = E->uown[E->uniq[u] * n + a];
    }
    /* each voter a's own risk attitude, rhat[a][a] (as uown) */
    if (big_coalitions(E, E->rhat, n + 1)) return PL_EINTERRUPTED;
    return pce_solve(E->o->vpm, E->o->pcem, m, &E->big);
}

/* ------------------------------------------------------------------------
** One turn: challenges and bargains (SMPState::doBCN), resolution of each
** actor's queue (updateBestBrgnPositions), new ideal points (newIdeals).
*/

/* U^h(a,i) and U^h(a,a) for every a. */
static void fill_uh(const engine *E, size_t h, size_t i, double *ucol, double *udiag) {
    size_t n = E->n;
    const double *rh = E->rhat + h * n, *di = E->distT + i * n;
    for (size_t a = 0; a < n; a++) {
        ucol[a] = bs_util(di[a], rh[a]);
        udiag[a] = bs_util(E->dist[a * n + a], rh[a]);
    }
}

/* Third parties' votes in the contest (i:j), pass one: every actor a's
** vote tv[a] (Actor::vProbLittle, then thirdPartyVoteSU), independent of
** one another.  Written without branches on the data, and inlined with
** constant rules for KTAB's defaults so that the compiler can specialise
** it.  "c + (v > 0 ? v : 0.0)" is bit for bit KTAB's "(v > 0) ? c + v : c"
** because c > 0. */
static ALWAYS_INLINE void third_party_votes(size_t n, const double *w, const double *ucol,
                                            const double *udiag, const double *dj, const double *rh,
                                            double c0ij, double c0ji, pl_smp_voting vr,
                                            pl_smp_commit tpc, double *tv) {
    for (size_t a = 0; a < n; a++) {
        const double wn = w[a];
        const double uni = ucol[a], unj = bs_util(dj[a], rh[a]), unn = udiag[a];
        const double v0 = vote(vr, wn, uni, unj);
        const double cni = c0ij + (v0 > 0 ? v0 : 0.0);
        const double cnj = c0ji + (v0 < 0 ? -v0 : 0.0);
        const double pin = cni / (cni + cnj);
        const double pjn = 1.0 - pin;
        tv[a] = tp_vote(vr, tpc, wn, pin, pjn, uni, unj, unn);
    }
}

#if defined(__GNUC__) || defined(__clang__)
/* Pass one for KTAB's defaults (Prop votes, SemiCommit), eight actors at a
** time with the compilers' vector extensions: the same IEEE operations in
** each lane as third_party_votes, so the same bits (no contraction into
** fused multiply-adds: ISO C mode, and -ffp-contract=off for this file).
** On x86-64 the function is built for AVX-512F, AVX2 and the baseline
** (SSE2), picked at load time; the lanes compute the same bits on each. */
KERNEL_CLONES
static void third_party_votes_prop_semi(size_t n, const double *w, const double *ucol,
                                        const double *udiag, const double *dj, const double *rh,
                                        double c0ij, double c0ji, double *tv) {
    vd one, zero, cij, cji;
    VD_SPLAT(one, 1.0);
    VD_SPLAT(zero, 0.0);
    VD_SPLAT(cij, c0ij);
    VD_SPLAT(cji, c0ji);
    size_t a = 0;
    for (; a + VD_LANES <= n; a += VD_LANES) {
        vd wn, uni, unn, sd, R;
        VD_LOAD(wn, w + a);
        VD_LOAD(uni, ucol + a);
        VD_LOAD(unn, udiag + a);
        VD_LOAD(sd, dj + a);
        VD_LOAD(R, rh + a);
        const vd sr = sd * R;
        const vi near = sd <= one;
        const vd f = (vd)(((vi)sr & near) | ((vi)R & ~near));
        const vd unj = (one - sd) * (one + f);
        const vd v0 = wn * (uni - unj);
        const vd cni = cij + (vd)((vi)v0 & (v0 > zero));
        const vd cnj = cji + (vd)((vi)(-v0) & (v0 < zero));
        const vd pin = cni / (cni + cnj);
        const vd pjn = one - pin;
        const vd u_ik_def_j = uni + uni + unn, u_j_def_ik = unj + unj + unj;
        const vd u_i_def_jk = uni + uni + uni, u_jk_def_i = unj + unj + unn;
        const vd u_ik_j = (pin * u_ik_def_j) + (pjn * u_j_def_ik);
        const vd u_i_jk = (pin * u_i_def_jk) + (pjn * u_jk_def_i);
        const vd v = wn * (u_ik_j - u_i_jk);
        memcpy(tv + a, &v, sizeof v);
    }
    if (a < n)
        third_party_votes(n - a, w + a, ucol + a, udiag + a, dj + a, rh + a, c0ij, c0ji,
                          PL_SMP_VR_PROP, PL_SMP_COMMIT_SEMI, tv + a);
}
#else
static void third_party_votes_prop_semi(size_t n, const double *w, const double *ucol,
                                        const double *udiag, const double *dj, const double *rh,
                                        double c0ij, double c0ji, double *tv) {
    third_party_votes(n, w, ucol, udiag, dj, rh, c0ij, c0ji, PL_SMP_VR_PROP, PL_SMP_COMMIT_SEMI,
                      tv);
}
#endif

/* The sums of the positive votes and of the negative votes' sizes (fast
** sums, pl_smp_sums): eight running sums each, added up at the end in lane
** order -- the same bits on every machine, not KTAB's order. */
#define VOTE_LANES 8
static void vote_sums_tail(size_t n, const double *tv, double *p, double *q) {
    for (size_t l = 0; l < n; l++) {
        const double v = tv[l];
        p[l] = p[l] + (v > 0 ? v : 0.0);
        q[l] = q[l] + (v < 0 ? -v : 0.0);
    }
}
#if defined(__GNUC__) || defined(__clang__)
KERNEL_CLONES
static void vote_sums(size_t n, const double *tv, double *pos, double *neg) {
    vd p, q, zero;
    VD_SPLAT(p, 0.0);
    VD_SPLAT(q, 0.0);
    VD_SPLAT(zero, 0.0);
    size_t a = 0;
    for (; a + VOTE_LANES <= n; a += VOTE_LANES) {
        vd v;
        VD_LOAD(v, tv + a);
        p = p + (vd)((vi)v & (v > zero));
        q = q + (vd)((vi)(-v) & (v < zero));
    }
    double pl[VOTE_LANES], ql[VOTE_LANES];
    memcpy(pl, &p, sizeof pl);
    memcpy(ql, &q, sizeof ql);
#else
static void vote_sums(size_t n, const double *tv, double *pos, double *neg) {
    double pl[VOTE_LANES] = {0}, ql[VOTE_LANES] = {0};
    size_t a = 0;
    for (; a + VOTE_LANES <= n; a += VOTE_LANES) vote_sums_tail(VOTE_LANES, tv + a, pl, ql);
#endif
    vote_sums_tail(n - a, tv + a, pl, ql);
    double sp = 0.0, sq = 0.0;
    for (size_t l = 0; l < VOTE_LANES; l++) {
        sp = sp + pl[l];
        sq = sq + ql[l];
    }
    *pos = sp;
    *neg = sq;
}

/* SMPState::probEduChlg(h, k, i, j): h's estimate of the probability that
** i prevails over j, and of the change in k's utility, with ucol/udiag
** from fill_uh(h, i); tv is n doubles of scratch. */
static void prob_edu(const engine *E, size_t h, size_t k, size_t i, size_t j, const double *ucol,
                     const double *udiag, double *tv, double *prob, double *gain) {
    const pl_smp_options *o = E->o;
    size_t n = E->n;
    const pl_smp_voting vr = o->voting;
    const pl_smp_commit tpc = o->commit;
    const double *rh = E->rhat + h * n, *dj = E->distT + j * n;
    const double uii = ucol[i], uij = bs_util(dj[i], rh[i]);
    const double uji = ucol[j], ujj = udiag[j];
    const double uki = ucol[k], ukj = bs_util(dj[k], rh[k]);
    const double euSQ = uki + ukj, uhkij = uki + uki, uhkji = ukj + ukj;
    const double sj = E->stot[j];
    const double minCltn = 1E-10;
    double contrib_i_ij = vote(vr, E->w[i], uii, uij);
    double contrib_j_ij = vote(vr, E->w[j], uji, ujj);
    double chij = minCltn, chji = minCltn;
    if (contrib_i_ij > 0.0) chij = chij + contrib_i_ij;
    if (contrib_i_ij < 0.0) chji = chji - contrib_i_ij;
    if (contrib_j_ij > 0.0) chij = chij + contrib_j_ij;
    if (contrib_j_ij < 0.0) chji = chji - contrib_j_ij;
    if (vr == PL_SMP_VR_PROP && tpc == PL_SMP_COMMIT_SEMI)
        third_party_votes_prop_semi(n, E->w, ucol, udiag, dj, rh, chij, chji, tv);
    else third_party_votes(n, E->w, ucol, udiag, dj, rh, chij, chji, vr, tpc, tv);
    /* Pass two: the coalitions, summed in actor order as KTAB does, or
    ** with fast sums eight running sums side by side. */
    if (E->fast) {
        double for_ij, for_ji;
        tv[i] = tv[j] = 0.0; /* i and j are no third parties */
        vote_sums(n, tv, &for_ij, &for_ji);
        chij = chij + for_ij;
        chji = chji + for_ji;
    } else {
        for (size_t a = 0; a < n; a++) {
            if (a == i || a == j) continue;
            const double vnij = tv[a];
            chij = chij + (vnij > 0 ? vnij : 0.0);
            chji = chji + (vnij < 0 ? -vnij : 0.0);
        }
    }
    double phij = chij / (chij + chji), phji = chji / (chij + chji);
    if (!o->quirk_linear_challenge) vprob(o->vpm, chij, chji, &phij, &phji);
    const double euVict = uhkij;
    const double euCntst = phij * uhkij + phji * uhkji;
    const double euChlg = (1 - sj) * euVict + sj * euCntst;
    *prob = phij;
    *gain = euChlg - euSQ;
}

static double *bargain_at(const engine *E, size_t i, size_t s, int rcvr) {
    return E->bpos + ((i * 2 + s) * 2 + (size_t)rcvr) * E->nd;
}

/* SMPActor::interpolateBrgn(i, j, x_i, x_j, pI, pJ) into bargain slot s. */
static void interpolate(const engine *E, size_t i, size_t j, double pI, double pJ, size_t s) {
    size_t nd = E->nd;
    double *bi = bargain_at(E, i, s, 0), *bj = bargain_at(E, i, s, 1);
    for (size_t k = 0; k < nd; k++)
        interp_dim(E->o->interp, E->x[i * nd + k], E->sal[i * nd + k], pI, E->x[j * nd + k],
                   E->sal[j * nd + k], pJ, &bi[k], &bj[k]);
}

/* An upper bound on i's expected gain from challenging j, from i's own
** view (prob_edu(i, i, i, j)), in O(1).  With u = U^i(i,i), v = U^i(i,j)
** and p = P(j > i) in [0,1], the gain is (1 - s_j) 2u + s_j (2u (1 - p) +
** 2v p) - u - v = (u - v)(1 - 2 s_j p): at most u - v when u >= v, at
** most (v - u)(2 s_j - 1) otherwise.  The margin covers the rounding of
** prob_edu's dozen operations on numbers of magnitude <= 4 (utilities lie
** in [0,1], since risk attitudes lie in [-1,1]). */
static double gain_bound(const engine *E, size_t i, size_t j, double u) {
    size_t n = E->n;
    const double v = bs_util(E->distT[j * n + i], E->rhat[i * n + i]);
    const double sj = E->stot[j];
    return (u >= v ? u - v : (v - u) * (2 * sj - 1)) + 1e-12;
}

/* A max-heap of targets by bound (the order among equal bounds does not
** matter: the choice is made by index afterwards).  Only the targets
** whose bound passes are taken out, so no full sort. */
static void sift_down(bound_key *h, size_t n, size_t at) {
    for (;;) {
        size_t big = at, l = 2 * at + 1, r = l + 1;
        if (l < n && h[l].bound > h[big].bound) big = l;
        if (r < n && h[r].bound > h[big].bound) big = r;
        if (big == at) return;
        bound_key t = h[at];
        h[at] = h[big];
        h[big] = t;
        at = big;
    }
}

/* Evaluates i's challenges in order of decreasing bound and stops where
** the bound falls below the best gain found (or below the threshold that
** every chosen gain must pass): a target left out cannot gain as much as
** one evaluated, so the choice below is KTAB's, bit for bit.  ts->edu[j]
** is j's gain (NAN: not evaluated), ts->pij[j] its probability. */
static void evaluate_targets(engine *E, size_t i, tscratch *ts, double minSigEDU) {
    size_t n = E->n, n_keys = 0;
    bound_key *keys = ts->keys;
    const double u = ts->ucol[i];
    for (size_t j = 0; j < n; j++) {
        ts->edu[j] = NAN;
        if (j != i) keys[n_keys++] = (bound_key){gain_bound(E, i, j, u), j};
    }
    for (size_t at = n_keys / 2; at-- > 0;) sift_down(keys, n_keys, at);
    double top = -1.00;
    while (n_keys > 0) {
        if (keys[0].bound < top || keys[0].bound <= minSigEDU) break;
        size_t j = keys[0].j;
        prob_edu(E, i, i, i, j, ts->ucol, ts->udiag, ts->tv, &ts->pij[j], &ts->edu[j]);
        if (ts->edu[j] > top) top = ts->edu[j];
        keys[0] = keys[--n_keys];
        sift_down(keys, n_keys, 0);
    }
}

/* Actor i: its best target (SMPState::bestChallenge) and its bargains. */
static void task_challenge(engine *E, size_t i, unsigned tid) {
    tscratch *ts = &E->ts[tid];
    size_t n = E->n, nd = E->nd;
    const pl_smp_options *o = E->o;
    challenge_slot *cs = &E->ch[i];
    fill_uh(E, i, i, ts->ucol, ts->udiag);
    const double minSigEDU = 1e-5;
    evaluate_targets(E, i, ts, minSigEDU);
    size_t best = NONE;
    double pIJ = 0, bestEU = -1.00;
    for (size_t j = 0; j < n; j++) {
        if (j == i || isnan(ts->edu[j])) continue;
        double pij = ts->pij[j], edu = ts->edu[j];
        if ((minSigEDU < edu) && (bestEU < edu)) {
            best = j;
            pIJ = pij;
            bestEU = edu;
        }
    }
    cs->target = best;
    cs->prob = best == NONE ? 0 : pIJ;
    cs->gain = best == NONE ? 0 : bestEU;
    cs->n_b = 0;
    if (best == NONE) return;
    size_t j = best;
    interpolate(E, i, j, pIJ, 1 - pIJ, 0);
    cs->n_b = 1;
    if (o->bargain == PL_SMP_BARGAIN_INIT_ONLY) return;
    /* J's estimate of the challenge (probEduChlg(j, i, i, j)). */
    double pJ, duJ;
    fill_uh(E, j, i, ts->ucol, ts->udiag);
    prob_edu(E, j, i, i, j, ts->ucol, ts->udiag, ts->tv, &pJ, &duJ);
    double pjiJ = o->quirk_receiver_gain ? duJ : pJ;
    interpolate(E, i, j, pjiJ, 1 - pjiJ, 1);
    cs->n_b = 2;
    if (o->bargain == PL_SMP_BARGAIN_INIT_RCVR) return;
    /* PWCompInterp: the power-weighted average of the two. */
    double wi = E->cap[i] * E->stot[i];
    double wj = (o->quirk_pwcomp_weight ? E->cap[i] : E->cap[j]) * E->stot[j];
    for (int side = 0; side < 2; side++) {
        double *b0 = bargain_at(E, i, 0, side);
        const double *b1 = bargain_at(E, i, 1, side);
        for (size_t k = 0; k < nd; k++) b0[k] = (wi * b0[k] + wj * b1[k]) / (wi + wj);
    }
    cs->n_b = 1;
}

/* SMPActor::posUtil: actor a's utility of position p. */
static double pos_util(const engine *E, size_t a, const double *p) {
    size_t nd = E->nd;
    return bs_util(bv_diff(E->y + a * nd, p, E->sal + a * nd, nd), E->r[a]);
}

/* The utility to voters a0.. of the state after each bargain of the turn:
** KTAB's sum for each voter (the two bargained positions, then the others'
** positions in actor order), a block of voters at a time so that the
** block's column of U^a(a,m) stays in cache while every bargain reads it;
** each voter's sum is the same sequence of additions. */
#define VOTER_BLOCK 32

KERNEL_CLONES
static void bargain_util_block(engine *E, size_t a0, size_t na) {
    size_t n = E->n;
    double acc[VOTER_BLOCK];
    for (size_t idx = 0; idx < E->n_blist; idx++) {
        size_t id = E->blist[idx], I = id / 2, s = id % 2, R = E->ch[I].target;
        const double *pI = bargain_at(E, I, s, 0), *pR = bargain_at(E, I, s, 1);
        for (size_t a = 0; a < na; a++) {
            double uAvrg = 0.0;
            uAvrg = uAvrg + pos_util(E, a0 + a, pI);
            uAvrg = uAvrg + pos_util(E, a0 + a, pR);
            acc[a] = uAvrg;
        }
        for (size_t m = 0; m < n; m++) {
            if (m == I || m == R) continue;
            const double *um = E->uown + m * n + a0;
            if (na == VOTER_BLOCK)
                for (size_t a = 0; a < VOTER_BLOCK; a++) acc[a] = acc[a] + um[a];
            else
                for (size_t a = 0; a < na; a++) acc[a] = acc[a] + um[a];
        }
        double *out = E->butil + id * n + a0;
        for (size_t a = 0; a < na; a++) out[a] = acc[a] / (double)n;
    }
}

static void task_bargain_util(engine *E, size_t blk, unsigned tid) {
    (void)tid;
    size_t a0 = blk * VOTER_BLOCK, na = E->n - a0 < VOTER_BLOCK ? E->n - a0 : VOTER_BLOCK;
    bargain_util_block(E, a0, na);
}

/* The same utilities with fast sums (pl_smp_sums): the voter's total over
** every position (E->utot) less the two bargainers' positions, plus the
** bargain's two -- O(N) a bargain instead of O(N^2). */
static void task_bargain_util_fast(engine *E, size_t idx, unsigned tid) {
    (void)tid;
    size_t n = E->n;
    size_t id = E->blist[idx], I = id / 2, s = id % 2, R = E->ch[I].target;
    const double *pI = bargain_at(E, I, s, 0), *pR = bargain_at(E, I, s, 1);
    const double *uI = E->uown + I * n, *uR = E->uown + R * n;
    double *out = E->butil + id * n;
    for (size_t a = 0; a < n; a++) {
        double both = pos_util(E, a, pI) + pos_util(E, a, pR);
        out[a] = (both + (E->utot[a] - uI[a] - uR[a])) / (double)n;
    }
}

/* Actor k's queue's utilities, voter-major, into ut (q x n). */
static void queue_utils(const engine *E, size_t k, double *ut) {
    size_t n = E->n, q = E->qlen[k];
    const size_t *items = E->qitem + E->qstart[k];
    for (size_t m = 0; m < q; m++) {
        const double *src = items[m] == NONE ? E->usq : E->butil + items[m] * n;
        for (size_t a = 0; a < n; a++) ut[a * q + m] = src[a];
    }
}

#ifdef PL_SMP_VECTORS
/* A long queue's utilities in blocks of eight options, each block
** voter-major: option o of voter a at [(o / 8) * n * 8 + a * 8 + o % 8], so
** that the sums over the voters read memory in order (voter-major rows of
** hundreds of options put every voter on another page).  The last block
** is padded with zeros. */
static void queue_utils_blocked(const engine *E, size_t k, double *ub) {
    size_t n = E->n, q = E->qlen[k], nb = (q + COALITION_LANES - 1) / COALITION_LANES;
    const size_t *items = E->qitem + E->qstart[k];
    memset(ub + (nb - 1) * n * COALITION_LANES, 0, n * COALITION_LANES * sizeof *ub);
    for (size_t m = 0; m < q; m++) {
        const double *src = items[m] == NONE ? E->usq : E->butil + items[m] * n;
        double *dst = ub + (m / COALITION_LANES) * n * COALITION_LANES + m % COALITION_LANES;
        for (size_t a = 0; a < n; a++) dst[a * COALITION_LANES] = src[a];
    }
}
#endif

/* Actor k's election among the bargains in its queue (a short queue: one
** task does it all). */
static void task_resolve(engine *E, size_t k, unsigned tid) {
    tscratch *ts = &E->ts[tid];
    size_t n = E->n, q = E->qlen[k];
    if (q >= smp_long_queue_min) return; /* done by resolve_queues */
    queue_utils(E, k, ts->ut);
    coalitions_all(E->o->voting, n, q, E->cap, ts->ut, ts->pw.c);
    E->qstat[k] = pce_solve(E->o->vpm, E->o->pcem, q, &ts->pw);
    memcpy(E->qprob + E->qstart[k], ts->pw.p, q * sizeof(double));
}

/* Rows g*4.. of a long queue's coalitions, in worker 0's scratch. */
static void task_long_queue_rows(engine *E, size_t g, unsigned tid) {
    (void)tid;
#ifdef PL_SMP_VECTORS
    if (E->o->voting == PL_SMP_VR_PROP) {
        coalition_rows_blocked(E->n, E->long_q, E->cap, E->ts[0].ut, g, E->ts[0].pw.c);
        return;
    }
#endif
    coalition_rows_vm(E->o->voting, E->n, E->long_q, E->cap, E->ts[0].ut, g, E->ts[0].pw.c);
}

/* Every actor's election among its queue.  A target of many challenges
** can have a queue of hundreds of bargains, whose election alone would
** hold one thread for most of the turn: such a queue's coalition rows are
** shared among the threads (the same sums, voter by voter, as
** coalitions_all's, so the same bits), one long queue after another; then
** the short queues, one task each.  Returns 1 when interrupted. */
static int resolve_queues(engine *E) {
    size_t n = E->n;
    pce_work *pw = &E->ts[0].pw;
    for (size_t k = 0; k < n; k++) {
        size_t q = E->qlen[k];
        if (q < smp_long_queue_min) continue;
#ifdef PL_SMP_VECTORS
        if (E->o->voting == PL_SMP_VR_PROP) queue_utils_blocked(E, k, E->ts[0].ut);
        else
#endif
            queue_utils(E, k, E->ts[0].ut);
        E->long_q = q;
        if (run_parallel(E, (q + COALITION_ROWS - 1) / COALITION_ROWS, task_long_queue_rows))
            return 1;
        E->qstat[k] = pce_solve(E->o->vpm, E->o->pcem, q, pw);
        memcpy(E->qprob + E->qstart[k], pw->p, q * sizeof(double));
    }
    return run_parallel(E, n, task_resolve);
}

/* One turn from E->x/E->y into E->xn/E->yn.  Records into state t of res. */
/* The bargains, by initiator, and each actor's queue: the status quo,
** then every bargain the actor initiated or is the target of, by
** initiator. */
static void build_queues(engine *E) {
    size_t n = E->n;
    E->n_blist = 0;
    for (size_t i = 0; i < n; i++)
        for (size_t s = 0; s < E->ch[i].n_b; s++) E->blist[E->n_blist++] = i * 2 + s;
    size_t pos = 0;
    for (size_t k = 0; k < n; k++) {
        E->qstart[k] = pos;
        E->qitem[pos++] = NONE;
        for (size_t i = 0; i < n; i++) {
            const challenge_slot *cs = &E->ch[i];
            if (cs->n_b && (i == k || cs->target == k))
                for (size_t s = 0; s < cs->n_b; s++) E->qitem[pos++] = i * 2 + s;
        }
        E->qlen[k] = pos - E->qstart[k];
    }
}

/* Each actor's choice among its queue, in actor order (the random stream
** is drawn in this order), and its position for the next turn. */
static void choose(engine *E) {
    size_t n = E->n, nd = E->nd;
    const pl_smp_options *o = E->o;
    for (size_t k = 0; k < n; k++) {
        const double *p = E->qprob + E->qstart[k];
        size_t q = E->qlen[k], mMax = 0;
        if (o->transition == PL_SMP_STOCHASTIC) {
            double u = rng_uniform(&E->g), cum = 0;
            mMax = NONE;
            for (size_t m = 0; m < q && mMax == NONE; m++) {
                cum += p[m];
                if (u < cum) mMax = m;
            }
            if (mMax == NONE) /* rounding: the last option with weight */
                for (size_t m = q; m-- > 0 && mMax == NONE;)
                    if (p[m] > 0) mMax = m;
            if (mMax == NONE) mMax = 0;
        } else {
            for (size_t m = 1; m < q; m++)
                if (p[m] > p[mMax]) mMax = m;
        }
        E->choice[k] = mMax;
        size_t id = E->qitem[E->qstart[k] + mMax];
        const double *src = E->x + k * nd;
        if (id != NONE) src = bargain_at(E, id / 2, id % 2, k == id / 2 ? 0 : 1);
        memcpy(E->xn + k * nd, src, nd * sizeof(double));
    }
}

/* The ideal points for the next turn (SMPState::newIdeals). */
static void new_ideals(engine *E) {
    size_t n = E->n, nd = E->nd;
    if (!E->acc) {
        memcpy(E->yn, E->xn, n * nd * sizeof(double));
    } else {
        for (size_t i = 0; i < n; i++) {
            double si = 0.0;
            double *yi = E->yn + i * nd;
            for (size_t k = 0; k < nd; k++) yi[k] = 0;
            for (size_t j = 0; j < n; j++) {
                const double aij = E->acc[i * n + j];
                si = si + aij;
                for (size_t k = 0; k < nd; k++) yi[k] = yi[k] + (aij * E->xn[j * nd + k]);
            }
            si = (1.0 < si) ? 1.0 : si;
            double lagI = 1.0 - si;
            for (size_t k = 0; k < nd; k++) yi[k] = yi[k] + (lagI * E->y[i * nd + k]);
        }
    }
}

/* Turn T's challenges and choices into the result. */
static void record_turn(const engine *E, pl_smp_result *res, size_t t) {
    size_t n = E->n, nd = E->nd;
    for (size_t i = 0; i < n; i++) {
        const challenge_slot *cs = &E->ch[i];
        pl_smp_challenge *c = &res->challenges[t * n + i];
        c->initiator = i;
        c->target = cs->target == NONE ? i : cs->target;
        c->prob = cs->prob;
        c->gain = cs->gain;
        c->n_bargains = cs->n_b;
        double *dst = res->bargain_pos + (t * n + i) * 4 * nd;
        for (size_t s = 0; s < 2; s++)
            for (int side = 0; side < 2; side++)
                for (size_t k = 0; k < nd; k++)
                    dst[(s * 2 + (size_t)side) * nd + k] = s < cs->n_b ? 100.0 * bargain_at(E, i, s,
                                                                                            side)[k]
                                                                       : 0.0;
        pl_smp_choice *ch = &res->choices[t * n + i];
        size_t id = E->qitem[E->qstart[i] + E->choice[i]];
        ch->n_options = E->qlen[i];
        ch->chosen = E->choice[i];
        ch->initiator = id == NONE ? i : id / 2;
        ch->receiver = id == NONE ? i : E->ch[id / 2].target;
        ch->prob = E->qprob[E->qstart[i] + E->choice[i]];
    }
}

static pl_status turn(engine *E, pl_smp_result *res, size_t t, pl_diags *diags, const char *file) {
    size_t n = E->n;
    const pl_smp_options *o = E->o;
    if (run_parallel(E, n, task_challenge)) return PL_EINTERRUPTED;
    build_queues(E);
    for (size_t a = 0; a < n; a++) E->utot[a] = 0.0;
    for (size_t m = 0; m < n; m++) /* each voter's sum in actor order */
        for (size_t a = 0; a < n; a++) E->utot[a] = E->utot[a] + E->uown[m * n + a];
    for (size_t a = 0; a < n; a++) E->usq[a] = E->utot[a] / (double)n;
    if (E->fast ? run_parallel(E, E->n_blist, task_bargain_util_fast)
                : run_parallel(E, (n + VOTER_BLOCK - 1) / VOTER_BLOCK, task_bargain_util))
        return PL_EINTERRUPTED;
    if (resolve_queues(E)) return PL_EINTERRUPTED;
    for (size_t k = 0; k < n; k++)
        if (E->qstat[k] != PL_OK) {
            diag_add(diags, PL_SEV_ERROR, file, 0, 0,
                     "turn %zu: the %s election among "
                     "actor %zu's bargains did not settle in 1000 iterations (KTAB stops "
                     "here too)",
                     t, pcem_names[o->pcem], k + 1);
            return E->qstat[k];
        }
    choose(E);
    new_ideals(E);
    record_turn(E, res, t);
    return PL_OK;
}

/* ------------------------------------------------------------------------
** The run
*/
static void outcomes_free(smp_outcomes *oc) {
    pl__free(oc->items);
    pl__free(oc->positions);
    pl__free(oc->holders);
    pl__free(oc->mean);
    memset(oc, 0, sizeof *oc);
}

void pl_smp_result_free(pl_smp_result *res) {
    if (!res) return;
    for (size_t t = 0; res->outcomes && t < res->n_alloc; t++) outcomes_free(&res->outcomes[t]);
    pl__free(res->outcomes);
    pl__free(res->position);
    pl__free(res->ideal);
    pl__free(res->risk);
    pl__free(res->prob);
    pl__free(res->move);
    pl__free(res->challenges);
    pl__free(res->choices);
    pl__free(res->bargain_pos);
    pl__free(res);
}

/* Room for state t. */
static int result_reserve(pl_smp_result *res, size_t t) {
    if (t < res->n_alloc) return 1;
    size_t n = res->n_actors, nd = res->n_dims;
    size_t n_new = res->n_alloc ? 2 * res->n_alloc : 16;
    while (n_new <= t) n_new *= 2;
#define GROW(field, per)                                                        \
    do {                                                                        \
        void *p_ = pl__realloc(res->field, n_new * (per) * sizeof *res->field); \
        if (!p_) return 0;                                                      \
        res->field = p_;                                                        \
    } while (0)
    GROW(position, n * nd);
    GROW(ideal, n * nd);
    GROW(risk, n);
    GROW(prob, n);
    GROW(move, 1);
    GROW(challenges, n);
    GROW(choices, n);
    GROW(bargain_pos, n * 4 * nd);
    GROW(outcomes, 1);
#undef GROW
    memset(res->outcomes + res->n_alloc, 0, (n_new - res->n_alloc) * sizeof *res->outcomes);
    memset(res->challenges + res->n_alloc * n, 0,
           (n_new - res->n_alloc) * n * sizeof *res->challenges);
    memset(res->choices + res->n_alloc * n, 0, (n_new - res->n_alloc) * n * sizeof *res->choices);
    res->n_alloc = n_new;
    return 1;
}

/* Record state t: positions, ideals, risk, the election among the
** distinct positions. */
static pl_status record_state(engine *E, pl_smp_result *res, size_t t, pl_diags *diags,
                              const char *file) {
    size_t n = E->n, nd = E->nd;
    pl_status rc = state_probabilities(E);
    if (rc != PL_OK) {
        diag_add(diags, PL_SEV_ERROR, file, 0, 0,
                 "state %zu: the %s election over the "
                 "distinct positions did not settle in 1000 iterations (KTAB stops here "
                 "too)",
                 t, pcem_names[E->o->pcem]);
        return rc;
    }
    for (size_t i = 0; i < n * nd; i++) {
        res->position[t * n * nd + i] = 100.0 * E->x[i];
        res->ideal[t * n * nd + i] = 100.0 * E->y[i];
    }
    memcpy(res->risk + t * n, E->r, n * sizeof(double));
    double tol = E->o->pos_tol / 100.0;
    size_t m = E->n_uniq;
    const double *p = E->big.p;
    for (size_t i = 0; i < n; i++) { /* State::posProb: the last matching class */
        size_t k = E->eidx[i];
        for (size_t u = 0; u < m; u++)
            if (equiv(E, i, E->uniq[u], tol)) k = u;
        res->prob[t * n + i] = p[k];
    }
    smp_outcomes *oc = &res->outcomes[t];
    outcomes_free(oc);
    oc->n = m;
    oc->items = pl__calloc(m, sizeof *oc->items);
    oc->positions = pl__malloc(m * nd * sizeof(double));
    oc->holders = pl__malloc(n * sizeof(size_t));
    oc->mean = pl__calloc(nd, sizeof(double));
    if (!oc->items || !oc->positions || !oc->holders || !oc->mean) {
        outcomes_free(oc);
        return PL_ENOMEM;
    }
    size_t h = 0;
    oc->most_probable = 0;
    for (size_t u = 0; u < m; u++) {
        pl_smp_outcome *it = &oc->items[u];
        for (size_t k = 0; k < nd; k++) {
            oc->positions[u * nd + k] = 100.0 * E->x[E->uniq[u] * nd + k];
            oc->mean[k] += p[u] * oc->positions[u * nd + k];
        }
        it->position = oc->positions + u * nd;
        it->prob = p[u];
        it->holders = oc->holders + h;
        for (size_t i = 0; i < n; i++)
            if (E->eidx[i] == u) oc->holders[h++] = i;
        it->n_holders = (size_t)(oc->holders + h - it->holders);
        if (p[u] > p[oc->most_probable]) oc->most_probable = u;
    }
    return PL_OK;
}

/* Point the challenges at their bargains (the arrays moved while growing). */
static void result_finish(pl_smp_result *res) {
    size_t n = res->n_actors, nd = res->n_dims;
    for (size_t t = 1; t < res->n_states; t++)
        for (size_t i = 0; i < n; i++) {
            pl_smp_challenge *c = &res->challenges[t * n + i];
            const double *base = res->bargain_pos + (t * n + i) * 4 * nd;
            for (size_t s = 0; s < 2; s++) {
                c->pos_initiator[s] = s < c->n_bargains ? base + (s * 2) * nd : NULL;
                c->pos_target[s] = s < c->n_bargains ? base + (s * 2 + 1) * nd : NULL;
            }
        }
}

static double state_move(const engine *E) {
    size_t n = E->n, nd = E->nd;
    double dSum = 0;
    for (size_t i = 0; i < n; i++) {
        double sq = 0;
        for (size_t k = 0; k < nd; k++) {
            double dk = E->x[i * nd + k] - E->xn[i * nd + k];
            sq += dk * dk;
        }
        dSum = dSum + sqrt(sq);
    }
    return dSum;
}

/* Turns 1, 2, ... until the positions stop moving (KTAB's smpStopFn) or
** max_turns, each recorded in RES; E holds turn 0's state. */
static pl_status run_turns(engine *E, pl_smp_result *res, const pl_smp_options *opt, progress *prog,
                           pl_diags *diags, const char *file) {
    pl_status rc = PL_OK;
    res->stop = PL_SMP_STOP_MAX_TURNS;
    double d01 = 0;
    for (size_t t = 1; rc == PL_OK && t <= opt->max_turns; t++) {
        if (!result_reserve(res, t)) {
            rc = PL_ENOMEM;
            break;
        }
        rc = turn(E, res, t, diags, file);
        if (rc != PL_OK) break;
        double move = state_move(E);
        double *tmp = E->x;
        E->x = E->xn;
        E->xn = tmp;
        tmp = E->y;
        E->y = E->yn;
        E->yn = tmp;
        rc = setup_state(E, diags, file);
        if (rc == PL_OK) rc = record_state(E, res, t, diags, file);
        if (rc != PL_OK) break;
        res->move[t] = 100.0 * move;
        res->n_states = t + 1;
        if (t == 1) d01 = move + opt->min_sig_delta;
        /* smpStopFn */
        int quiet = (move / d01) < opt->stop_ratio;
        if (t >= opt->min_turns && quiet) {
            res->stop = PL_SMP_STOP_CONVERGED;
            break;
        }
        if (progress_tick(prog, (double)t)) rc = PL_EINTERRUPTED;
    }
    return rc;
}

pl_status pl_smp_run(const pl_smp_data *d, const pl_smp_options *opt, pl_diags *diags,
                     pl_smp_result **out) {
    if (!d || !out) return PL_EINVAL;
    *out = NULL;
    pl_smp_options def;
    if (!opt) {
        pl_smp_options_init(&def);
        opt = &def;
    }
    if (!options_valid(opt)) return PL_EINVAL;
    const char *file = d->source ? d->source : "smp input";
    pl_status rc = pl_smp_data_check(d, diags);
    if (rc != PL_OK) return rc;
    if (opt->ktab_errors && opt->radjust == PL_SMP_RADJ_FULL) {
        if (diag_add(diags, PL_SEV_ERROR, file, 0, 0,
                     "BigRAdjust Full: KTAB always "
                     "throws \"Estimate of change in utility by h out of valid range\"") != PL_OK)
            return PL_ENOMEM;
        return PL_ERANGE;
    }
    pl_smp_result *res = pl__calloc(1, sizeof *res);
    if (!res) return PL_ENOMEM;
    res->n_actors = d->n_actors;
    res->n_dims = d->n_dims;
    res->opt = *opt;
    res->opt.progress = NULL;
    res->opt.progress_ctx = NULL;
    progress prog;
    progress_init(&prog, opt->progress, opt->progress_ctx, (double)opt->max_turns);
    engine E;
    rc = engine_init(&E, d, &res->opt);
    if (rc != PL_OK) {
        pl_smp_result_free(res);
        return rc;
    }
    E.prog = &prog;
    E.o = &res->opt;
    if (!result_reserve(res, 0)) rc = PL_ENOMEM;
    if (rc == PL_OK) rc = setup_state(&E, diags, file);
    if (rc == PL_OK) rc = record_state(&E, res, 0, diags, file);
    if (rc == PL_OK) {
        res->move[0] = 0;
        res->n_states = 1;
    }
    if (rc == PL_OK) rc = run_turns(&E, res, opt, &prog, diags, file);
    else res->stop = PL_SMP_STOP_MAX_TURNS;
    if (progress_stopped(&prog)) rc = PL_EINTERRUPTED; /* whatever failed after the stop */
    engine_free(&E);
    if (rc != PL_OK) {
        pl_smp_result_free(res);
        return rc;
    }
    result_finish(res);
    *out = res;
    return PL_OK;
}

pl_status pl_smp_forecast_scenario(const pl_scenario *s, pl_smp_salience_norm norm,
                                   const pl_smp_options *opt, pl_diags *diags, double *mean,
                                   double *mode, size_t *n_turns) {
    if (!s) return PL_EINVAL;
    pl_smp_data *d = NULL;
    pl_smp_result *r = NULL;
    pl_status rc = pl_smp_data_from_scenario(s, norm, diags, &d);
    if (rc == PL_OK) rc = pl_smp_run(d, opt, diags, &r);
    if (rc == PL_OK) {
        size_t T = r->n_states - 1;
        const smp_outcomes *oc = &r->outcomes[T];
        for (size_t k = 0; k < d->n_dims; k++) {
            double span = d->dim_max[k] - d->dim_min[k];
            if (mean) mean[k] = d->dim_min[k] + span * oc->mean[k] / 100.0;
            if (mode)
                mode[k] = d->dim_min[k] + span * oc->items[oc->most_probable].position[k] / 100.0;
        }
        if (n_turns) *n_turns = T;
    }
    pl_smp_result_free(r);
    pl_smp_data_free(d);
    return rc;
}

/* ------------------------------------------------------------------------
** Reading a result
*/
size_t pl_smp_result_n_actors(const pl_smp_result *res) { return res ? res->n_actors : 0; }
size_t pl_smp_result_n_dims(const pl_smp_result *res) { return res ? res->n_dims : 0; }
size_t pl_smp_result_n_turns(const pl_smp_result *res) {
    return res && res->n_states ? res->n_states - 1 : 0;
}
pl_smp_stop pl_smp_result_stop(const pl_smp_result *res) {
    return res ? res->stop : PL_SMP_STOP_MAX_TURNS;
}
const pl_smp_options *pl_smp_result_options(const pl_smp_result *res) {
    return res ? &res->opt : NULL;
}

static int valid(const pl_smp_result *res, size_t t, size_t i) {
    return res && t < res->n_states && i < res->n_actors;
}

const double *pl_smp_result_position(const pl_smp_result *res, size_t t, size_t i) {
    if (!valid(res, t, i)) return NULL;
    return res->position + (t * res->n_actors + i) * res->n_dims;
}
const double *pl_smp_result_ideal(const pl_smp_result *res, size_t t, size_t i) {
    if (!valid(res, t, i)) return NULL;
    return res->ideal + (t * res->n_actors + i) * res->n_dims;
}
double pl_smp_result_risk(const pl_smp_result *res, size_t t, size_t i) {
    return valid(res, t, i) ? res->risk[t * res->n_actors + i] : 0.0;
}
double pl_smp_result_prob(const pl_smp_result *res, size_t t, size_t i) {
    return valid(res, t, i) ? res->prob[t * res->n_actors + i] : 0.0;
}
double pl_smp_result_move(const pl_smp_result *res, size_t t) {
    return res && t >= 1 && t < res->n_states ? res->move[t] : 0.0;
}
size_t pl_smp_result_n_outcomes(const pl_smp_result *res, size_t t) {
    return res && t < res->n_states ? res->outcomes[t].n : 0;
}
const pl_smp_outcome *pl_smp_result_outcome(const pl_smp_result *res, size_t t, size_t m) {
    if (!res || t >= res->n_states || m >= res->outcomes[t].n) return NULL;
    return &res->outcomes[t].items[m];
}
size_t pl_smp_result_most_probable(const pl_smp_result *res, size_t t) {
    return res && t < res->n_states ? res->outcomes[t].most_probable : 0;
}
const double *pl_smp_result_mean(const pl_smp_result *res, size_t t) {
    return res && t < res->n_states ? res->outcomes[t].mean : NULL;
}
const pl_smp_challenge *pl_smp_result_challenge(const pl_smp_result *res, size_t t, size_t i) {
    if (!valid(res, t, i) || t == 0) return NULL;
    return &res->challenges[t * res->n_actors + i];
}
const pl_smp_choice *pl_smp_result_choice(const pl_smp_result *res, size_t t, size_t k) {
    if (!valid(res, t, k) || t == 0) return NULL;
    return &res->choices[t * res->n_actors + k];
}
