/*
** eum_lanes_impl.h: the expected utility model for EL_W runs at once, one
** run per lane of a vector (GCC/Clang vector extensions): a round, and for
** batch variants (EL_BATCH) the forecasts, the stopping rule and the batch
** driver.  Included by eum_lanes.c once per variant; EL(name) appends the
** variant's tag (EL_TAG, by default the lane count), EW(name) the lane
** count (types are shared by variants of one width).
**
** Every lane computes exactly what a lane of any other variant computes:
** only lane-wise IEEE operations (+ - * /, comparisons, bit operations),
** fused multiply-adds only where written (EL_MADD: correctly rounded however
** it is done), no contraction by the compiler, no reductions across lanes.
** So a run gives the same bits whichever lane, batch, width or instruction
** set it runs in -- the property the Monte Carlo's "same results for any
** thread count" and "a point forecast equals a Monte Carlo run with no
** spread" rest on.
*/
#ifndef EL_W
#error "define EL_W before including eum_lanes_impl.h"
#endif

/* EL_TAG names this instantiation's functions (default: the lane count);
** EL_ATTR is its function attribute (an instruction set, or nothing). */
#ifndef EL_TAG
#define EL_TAG EL_W
#endif
#ifndef EL_ATTR
#define EL_ATTR
#endif
#ifndef EL_FMA
#define EL_FMA 0
#endif
#ifndef EL_BATCH
#define EL_BATCH 0
#endif
#define EL_CAT2(a, b) a##b
#define EL_CAT(a, b) EL_CAT2(a, b)
#define EL(name) EL_CAT(name, EL_TAG)
#define EW(name) EL_CAT(name, EL_W)

#define vd EW(el_vd_)
#define vi EW(el_vi_)
#define N_MAX EUM_LANES_MAX_N

/* The types, once per lane count. */
#if (EL_W == 8 && !defined(EL_TYPES_8)) || (EL_W == 4 && !defined(EL_TYPES_4)) || \
    (EL_W == 2 && !defined(EL_TYPES_2))
#if EL_W == 8
#define EL_TYPES_8
#elif EL_W == 4
#define EL_TYPES_4
#else
#define EL_TYPES_2
#endif
typedef double vd __attribute__((vector_size(8 * EL_W)));
typedef int64_t vi __attribute__((vector_size(8 * EL_W)));

/* One round's inputs and outputs for EL_W runs of n actors. */
typedef struct EW(el_round) {
    size_t n;
    vd x[N_MAX];    /* positions at the start of the round  */
    vd w[N_MAX];    /* c_i s_i, c scaled by its maximum      */
    vd s[N_MAX];    /* saliences in [0, 1]                   */
    vd delta;       /* range of the starting positions       */
    vd mu;          /* weighted median of the previous round */
    vd r[N_MAX];    /* out: risk exponents                   */
    vd newx[N_MAX]; /* out: positions after the round        */
    /* out: every offer (kind: its rank, 3 conflict, 2 compromise, 1
    ** capitulation, 0 none) and the one each actor takes */
    vd kind[N_MAX][N_MAX], eij[N_MAX][N_MAX], eji[N_MAX][N_MAX];
    vd choice[N_MAX]; /* the sender's index, -1 for none */
    vd ch_eij[N_MAX], ch_eji[N_MAX];
    /* scratch of one round (here, not on the stack: 150 KB at 8 lanes) */
    vd D[N_MAX * N_MAX], P[N_MAX * N_MAX], F[N_MAX * N_MAX], V[N_MAX * N_MAX];
    vd WF[N_MAX * N_MAX];
    vd LD[N_MAX * N_MAX], LS[N_MAX * N_MAX], LF[N_MAX * N_MAX];
    vd PWA[N_MAX * N_MAX], PWB[N_MAX * N_MAX];
    vi same[N_MAX * N_MAX];
    /* batches: each lane's run between rounds (eum_lanes_batch) */
    vd wtot;           /* the sum of the lane's weights          */
    vd tol, ctol;      /* tolerance and cycle tolerance x Delta  */
    vd t;              /* rounds done                            */
    vd mean, median;   /* forecasts of round t                   */
    vi active;         /* lanes with a run                       */
    vd *hist;          /* ring of rows x n: positions per step   */
    vd *mhist;         /* ring of rows: the weighted mean then   */
    size_t rows, step; /* ring size (max_rounds + 1); steps made */
    vd why;            /* out: a pl_eum_stop, or -1 to go on     */
} EW(el_round);
#endif

EL_ATTR static inline vd EL(splat)(double a) {
    vd v;
    for (int l = 0; l < EL_W; l++) v[l] = a;
    return v;
}

EL_ATTR static inline vi EL(splati)(int64_t a) {
    vi v;
    for (int l = 0; l < EL_W; l++) v[l] = a;
    return v;
}

/* m ? a : b, lane by lane (m: all ones or all zeros per lane). */
EL_ATTR static inline vd EL(sel)(vi m, vd a, vd b) { return (vd)(((vi)a & m) | ((vi)b & ~m)); }

EL_ATTR static inline vd EL(vabs)(vd a) {
    return (vd)((vi)a & EL(splati)(INT64_C(0x7fffffffffffffff)));
}

EL_ATTR static inline vd EL(clamp01)(vd d) {
    vd z = EL(splat)(0), one = EL(splat)(1);
    d = EL(sel)((vi)(d < z), z, d);
    return EL(sel)((vi)(d > one), one, d);
}

/* 1 / c_j and log2 c_j for c_j = 1 + (2j + 1) / 32, j = 0..15, correctly
** rounded (tools: Python's decimal, 60 digits). */
#define EL_INV_C0                                                                           \
    0x1.f07c1f07c1f08p-1, 0x1.d41d41d41d41dp-1, 0x1.bacf914c1bad0p-1, 0x1.a41a41a41a41ap-1, \
        0x1.8f9c18f9c18fap-1, 0x1.7d05f417d05f4p-1, 0x1.6c16c16c16c17p-1, 0x1.5c9882b931057p-1
#define EL_INV_C1                                                                           \
    0x1.4e5e0a72f0539p-1, 0x1.4141414141414p-1, 0x1.3521cfb2b78c1p-1, 0x1.29e4129e4129ep-1, \
        0x1.1f7047dc11f70p-1, 0x1.15b1e5f75270dp-1, 0x1.0c9714fbcda3bp-1, 0x1.0410410410410p-1
#define EL_LOG_C0                                                                           \
    0x1.6bad3758efd87p-5, 0x1.08c588cda79e4p-3, 0x1.acf5e2db4ec94p-3, 0x1.24407ab0e073ap-2, \
        0x1.6e221cd9d0cdep-2, 0x1.b47ebf73882a1p-2, 0x1.f7a8568cb06cfp-2, 0x1.1bf311e95d00ep-1
#define EL_LOG_C1                                                                           \
    0x1.3abb3faa02167p-1, 0x1.5848226989d34p-1, 0x1.74b1fd64e0754p-1, 0x1.900e6160002cdp-1, \
        0x1.aa708f58014d3p-1, 0x1.c3e9ca2e1a055p-1, 0x1.dc899ab3ff56cp-1, 0x1.f45e08bcf0655p-1

/* The tables as arrays, once. */
#ifndef EL_TABLES
#define EL_TABLES
static const double el_inv_c[16] = {EL_INV_C0, EL_INV_C1};
static const double el_log_c[16] = {EL_LOG_C0, EL_LOG_C1};
#endif

/* A 16-entry table at j, lane by lane (lo, hi: its entries 0-7 and 8-15 as
** lists, arr: the same as an array): a two-register permute with AVX-512
** (vpermt2pd), a gather with AVX2, else a load per lane.  Same values
** every way. */
#if EL_FMA == 2 && defined(__GNUC__) && !defined(__clang__)
#define EL_TAB16(arr, lo, hi, j) __builtin_shuffle((vd){lo}, (vd){hi}, (j))
#elif EL_FMA == 2
#define EL_TAB16(arr, lo, hi, j) \
    ((vd)_mm512_permutex2var_pd((__m512d)(vd){lo}, (__m512i)(j), (__m512d)(vd){hi}))
#elif EL_FMA == 4
#define EL_TAB16(arr, lo, hi, j) ((vd)_mm256_i64gather_pd((arr), (__m256i)(j), 8))
#else
#define EL_TAB16(arr, lo, hi, j) EL(tab16)((arr), (j))
EL_ATTR static inline vd EL(tab16)(const double *t, vi j) {
    vd v;
    for (int l = 0; l < EL_W; l++) v[l] = t[j[l] & 15];
    return v;
}
#endif

/* a * b + c with one rounding (a fused multiply-add), lane by lane:
** the instruction where this instantiation's target has it (EL_FMA 1:
** AVX-512F, 3: FMA on two lanes, 4: AVX2 + FMA), else libm's fma, which is
** correctly rounded too -- so every variant gives the same bits. */
#if EL_FMA == 2
#define EL_MADD(a, b, c) ((vd)_mm512_fmadd_pd((__m512d)(a), (__m512d)(b), (__m512d)(c)))
#elif EL_FMA == 4
#define EL_MADD(a, b, c) ((vd)_mm256_fmadd_pd((__m256d)(a), (__m256d)(b), (__m256d)(c)))
#elif EL_FMA == 3
#define EL_MADD(a, b, c) ((vd)_mm_fmadd_pd((__m128d)(a), (__m128d)(b), (__m128d)(c)))
#else
#define EL_MADD(a, b, c) EL(madd)((a), (b), (c))
EL_ATTR static inline vd EL(madd)(vd a, vd b, vd c) {
    vd v;
    for (int l = 0; l < EL_W; l++) v[l] = fma(a[l], b[l], c[l]);
    return v;
}
#endif

/* log2 b for b in (0, 1] (exactly 0 for 1), without a division: b = 2^e m,
** m in [1, 2); c = m's leading 4 bits + 1/32 (|m - c| <= 1/32); log2 b =
** e + log2 c + ln(1 + r) / ln 2 with r = (m - c) / c from a table of 1/c,
** series to r^9 (Estrin's scheme: short dependency chains, so that several
** logs overlap in the pipeline).  Bases below 2^-1022 (subnormal, and 0,
** which vpow_log blends away) are taken as 2^-1022: a distance that small
** is zero to the model. */
EL_ATTR static inline vd EL(vlog2)(vd b) {
    vd bb = EL(sel)((vi)(b < EL(splat)(0x1p-1022)), EL(splat)(0x1p-1022), b);
    vi bits = (vi)bb;
    vi e = ((bits >> 52) & 0x7ff) - 1023;
    vi j = (bits >> 48) & 15;
    vd m = (vd)((bits & INT64_C(0x000fffffffffffff)) | INT64_C(0x3ff0000000000000));
    vd c = (vd)((bits & INT64_C(0x000f000000000000)) | INT64_C(0x3ff0000000000000)) + 1.0 / 32;
    vd ed = (vd)(e + INT64_C(0x4338000000000000)) - 0x1.8p52;
    vd r = (m - c) * EL_TAB16(el_inv_c, EL_INV_C0, EL_INV_C1, j);
    vd r2 = r * r, r4 = r2 * r2;
    vd p01 = EL_MADD(r, EL(splat)(1.0 / 3), EL(splat)(-0.5));
    vd p23 = EL_MADD(r, EL(splat)(0.2), EL(splat)(-0.25));
    vd p45 = EL_MADD(r, EL(splat)(1.0 / 7), EL(splat)(-1.0 / 6));
    vd p67 = EL_MADD(r, EL(splat)(1.0 / 9), EL(splat)(-0.125));
    vd poly = EL_MADD(r4, EL_MADD(r2, p67, p45), EL_MADD(r2, p23, p01));
    vd ln = EL_MADD(r2, poly, r);
    vd lb = ed +
            EL_MADD(ln, EL(splat)(1.4426950408889634), EL_TAB16(el_log_c, EL_LOG_C0, EL_LOG_C1, j));
    return EL(sel)((vi)(b == EL(splat)(1)), EL(splat)(0), lb);
}

/* 2^(j/16), j = 0..15, correctly rounded (Python's decimal, 60 digits). */
#define EL_EXP2_0                                                                           \
    0x1.0000000000000p+0, 0x1.0b5586cf9890fp+0, 0x1.172b83c7d517bp+0, 0x1.2387a6e756238p+0, \
        0x1.306fe0a31b715p+0, 0x1.3dea64c123422p+0, 0x1.4bfdad5362a27p+0, 0x1.5ab07dd485429p+0
#define EL_EXP2_1                                                                           \
    0x1.6a09e667f3bcdp+0, 0x1.7a11473eb0187p+0, 0x1.8ace5422aa0dbp+0, 0x1.9c49182a3f090p+0, \
        0x1.ae89f995ad3adp+0, 0x1.c199bdd85529cp+0, 0x1.d5818dcfba487p+0, 0x1.ea4afa2a490dap+0
#ifndef EL_EXP2_TABLE
#define EL_EXP2_TABLE
static const double el_exp2_16[16] = {EL_EXP2_0, EL_EXP2_1};
#endif

/* b^r from lb = vlog2(b), for b in [0, 1] and r > 0: 0 when b == 0, else
** 2^(r lb) = 2^k 2^(j/16) e^(f ln 2), |f| <= 1/32: a table and a Taylor
** series to degree 6 (Estrin), exactly 1 for b == 1 (lb == 0).  Results
** below 2^-1000 come out as 2^-1000 (no subnormals; nothing the model can
** resolve).  Relative error about 2e-15 above that (tests/test_eum_lanes.c
** measures it against libm's pow). */
EL_ATTR static inline vd EL(vpow_log)(vd b, vd lb, vd r) {
    const vd zero = EL(splat)(0);
    vd y = r * lb; /* <= 0 */
    y = EL(sel)((vi)(y < EL(splat)(-1000)), EL(splat)(-1000), y);
    vd t = y * 16 + 0x1.8p52;
    vd kd = t - 0x1.8p52;
    vi n16 = (vi)t - INT64_C(0x4338000000000000);
    vd g = (y - kd * (1.0 / 16)) * 0.6931471805599453;
    vd g2 = g * g, g4 = g2 * g2;
    vd d0 = EL_MADD(g2, EL_MADD(g, EL(splat)(1.0 / 6), EL(splat)(0.5)), 1 + g);
    vd d1 = EL_MADD(g2, EL(splat)(1.0 / 720),
                    EL_MADD(g, EL(splat)(1.0 / 120), EL(splat)(1.0 / 24)));
    vd q = EL_MADD(g4, d1, d0);
    vd res = (q * EL_TAB16(el_exp2_16, EL_EXP2_0, EL_EXP2_1, n16 & 15)) *
             (vd)(((n16 >> 4) + 1023) << 52);
    return EL(sel)((vi)(b == zero), zero, res);
}

EL_ATTR static inline vd EL(vpow)(vd b, vd r) { return EL(vpow_log)(b, EL(vlog2)(b), r); }

/* P[a n + b]: the probability that a prevails against b (eq. 30), from the
** voters' values f[k n + j] (transformed distances of voter k to actor j). */
EL_ATTR static void EL(el_probs)(EW(el_round) * io, int all_pairs, vd *f, vi *same, vd *P) {
    size_t n = io->n, a, b, k;
    vd *restrict V = io->V, *restrict wf = io->WF;
    const vd z = EL(splat)(0), one = EL(splat)(1);
    vd dall = z;
    /* voter k's vote for a over b is w_k f_k(b) - w_k f_k(a); its positive
    ** part counts for a, and pos - vote (exactly max(0, -vote)) for b */
    for (k = 0; k < n; k++)
        for (a = 0; a < n; a++) wf[k * n + a] = io->w[k] * f[k * n + a];
    for (a = 0; a < n; a++) {
        for (b = a + 1; b < n; b++) {
            vd ab = z, ba = z;
            for (k = 0; k < n; k++) {
                vd vote = wf[k * n + b] - wf[k * n + a];
                vd pos = EL(sel)((vi)(vote > z), vote, z);
                ab = ab + pos;
                ba = ba + (pos - vote);
            }
            V[a * n + b] = ab;
            V[b * n + a] = ba;
            dall = dall + (ab + ba);
        }
    }
    dall = 2 * dall; /* over ordered pairs */
    if (all_pairs) {
        /* P = V / D: no clamp or guard needed -- V_ab <= D / 2, and when D
        ** is 0 every V is (so is V_ab for actors at one position: every
        ** voter is as far from both) */
        vd inv = one / EL(sel)((vi)(dall > z), dall, one);
        for (a = 0; a < n; a++) {
            P[a * n + a] = z;
            for (b = a + 1; b < n; b++) {
                P[a * n + b] = V[a * n + b] * inv;
                P[b * n + a] = V[b * n + a] * inv;
            }
        }
        return;
    }
    for (a = 0; a < n; a++) {
        P[a * n + a] = z;
        for (b = a + 1; b < n; b++) {
            vd pab, pba, inv, den = V[a * n + b] + V[b * n + a];
            vi ok = (vi)(den > z);
            inv = one / EL(sel)(ok, den, one);
            pab = V[a * n + b] * inv;
            pba = V[b * n + a] * inv;
            pab = EL(sel)((vi)(pab > one), one, pab);
            pba = EL(sel)((vi)(pba > one), one, pba);
            pab = EL(sel)(ok, pab, EL(splat)(0.5));
            pba = EL(sel)(ok, pba, EL(splat)(0.5));
            P[a * n + b] = EL(sel)(same[a * n + b], z, pab);
            P[b * n + a] = EL(sel)(same[a * n + b], z, pba);
        }
    }
}

/* The engine works with E / 4 (an exact scaling: it changes no comparison,
** ratio or risk exponent) written with the raw powers of the utilities:
** U_s = 2 - 4a, U_f = 2 - 4b, U_sq = 2 - 4c, T U_b + (1 - T) U_w = 2 - 4t,
** so that eq. 25a becomes E / 4 = s (1 - P) (a - b) - a + Q c + (1 - Q) t.
** Recorded values are multiplied back by 4. */

/* t for an actor at xa (d_mu_a from mu) against one at xb, distance d,
** exponent r (r == 1: no pow): the base of U_b if things get better for it
** (T = 1: |xa - mu| < |xa - xb|), else of U_w, raised to r. */
EL_ATTR static inline vd EL(el_t)(vd xa, vd xb, vd mu, vd d_mu_a, vd d, vd r, int r_is_1) {
    vi better = (vi)(EL(vabs)(xa - mu) < EL(vabs)(xa - xb));
    vd h = 0.25 * (EL(clamp01)(d_mu_a) + EL(clamp01)(d));
    vd base = EL(sel)(better, 0.5 - h, 0.5 + h);
    return r_is_1 ? base : EL(vpow)(base, r);
}

/* E / 4 (eq. 25a) of a challenge on a target of salience s_target,
** prevailing with probability p; t only when q < 1. */
EL_ATTR static inline vd EL(el_eu4)(vd s_target, vd p, vd a, vd b, vd c, double q, vd t) {
    vd k = s_target * (1 - p);
    if (q == 1) return EL_MADD(k, a - b, c - a);
    return EL_MADD(k, a - b, (q * c - a) + (1 - q) * t);
}

/* One round.  Arrays are n x n, row-major; the logs of the three bases an
** unordered pair needs (d, 0.5 - d/2, 0.5 + d/2) are taken once for both
** actors, who raise them to their own exponents. */
EL_ATTR static void EL(el_round_run)(const pl_eum_options *opt, EW(el_round) * io) {
    size_t n = io->n, i, j, k;
    const vd z = EL(splat)(0), one = EL(splat)(1);
    const double q = opt->q;
    const int all_pairs = opt->prob_denom == PL_EUM_PROB_ALL_PAIRS;
    const int own = opt->estimate_r == PL_EUM_R_OWN;
    vd *restrict D = io->D, *restrict P = io->P, *restrict F = io->F;
    vd *restrict LD = io->LD, *restrict LS = io->LS, *restrict LF = io->LF;
    vd *restrict PWA = io->PWA, *restrict PWB = io->PWB;
    vi *restrict same = io->same;
    vd dmu[N_MAX], S[N_MAX], pwc[N_MAX];
    vi dpos = (vi)(io->delta > z);
    vd delta = EL(sel)(dpos, io->delta, one);
    vd smax, smin;

    /* distances (|a - b| / Delta, 0 when Delta == 0: then every position
    ** is the same) and their logs.  Positions never leave the range of the
    ** starting ones (moves go to another actor's position or between two),
    ** so distances lie in [0, 1] with no clamping. */
    for (i = 0; i < n; i++) {
        D[i * n + i] = z;
        same[i * n + i] = EL(splati)(-1);
        for (j = i + 1; j < n; j++) {
            vd d = EL(vabs)(io->x[i] - io->x[j]) / delta, dc = d;
            D[i * n + j] = D[j * n + i] = d;
            same[i * n + j] = same[j * n + i] = (vi)(io->x[i] == io->x[j]);
            if (opt->risk_votes) LD[i * n + j] = LD[j * n + i] = EL(vlog2)(d);
            LS[i * n + j] = LS[j * n + i] = EL(vlog2)(0.5 - 0.5 * dc);
            LF[i * n + j] = LF[j * n + i] = EL(vlog2)(0.5 + 0.5 * dc);
        }
        if (q < 1) dmu[i] = EL(vabs)(io->x[i] - io->mu) / delta;
    }

    /* votes and P with every r = 1, then S_i = sum over j of E_j(ji) */
    EL(el_probs)(io, all_pairs, D, same, P);
    for (i = 0; i < n; i++) {
        vd acc = z;
        for (j = 0; j < n; j++) {
            vd d, t = z;
            if (j == i) continue;
            d = D[j * n + i];
            if (q < 1) t = EL(el_t)(io->x[j], io->x[i], io->mu, dmu[j], d, one, 1);
            acc = acc + EL(el_eu4)(io->s[i], P[j * n + i], 0.5 - 0.5 * d, 0.5 + 0.5 * d,
                                   EL(splat)(0.5), q, t);
        }
        S[i] = acc;
    }
    /* risk exponents (eqs 32-33), across actors */
    smax = smin = S[0];
    for (i = 1; i < n; i++) {
        smax = EL(sel)((vi)(S[i] > smax), S[i], smax);
        smin = EL(sel)((vi)(S[i] < smin), S[i], smin);
    }
    for (i = 0; i < n; i++) {
        vi spread = (vi)(smax > smin);
        vd width = EL(sel)(spread, smax - smin, one);
        vd R = (2 * S[i] - smax - smin) / width, r;
        R = EL(sel)((vi)(R < -1), EL(splat)(-1), R);
        R = EL(sel)((vi)(R > 1), one, R);
        r = (1 - R / 3.0) / (1 + R / 3.0);
        r = EL(sel)((vi)(S[i] <= smin), EL(splat)(2.0), r);
        r = EL(sel)((vi)(S[i] >= smax), EL(splat)(0.5), r);
        io->r[i] = EL(sel)(spread, r, one);
        pwc[i] = EL(vpow_log)(EL(splat)(0.5), EL(splat)(-1), io->r[i]); /* c */
    }

    /* votes with the voters' own exponents (variant 2) */
    if (opt->risk_votes) {
        for (k = 0; k < n; k++) {
            F[k * n + k] = z;
            for (j = 0; j < n; j++)
                if (j != k) F[k * n + j] = EL(vpow_log)(D[k * n + j], LD[k * n + j], io->r[k]);
        }
        EL(el_probs)(io, all_pairs, F, same, P);
    }

    /* every actor's utilities against every other, with its own r: the raw
    ** powers a (in PWA) and b (in PWB) */
    for (i = 0; i < n; i++) {
        for (j = 0; j < n; j++) {
            vd dc;
            if (j == i) continue;
            dc = D[i * n + j];
            PWA[i * n + j] = EL(vpow_log)(0.5 - 0.5 * dc, LS[i * n + j], io->r[i]); /* a */
            PWB[i * n + j] = EL(vpow_log)(0.5 + 0.5 * dc, LF[i * n + j], io->r[i]); /* b */
        }
    }

    /* offers, in two passes so that the work has no long dependency chains:
    ** first every pair's E both ways, kind and target, then each actor's
    ** choice, the senders taken in index order (ties: the first) */
    for (i = 0; i < n; i++) {
        vd xi = io->x[i];
        for (j = 0; j < n; j++) {
            vd e_ij, e_ji, to, lo, hi, rank, qti = z, qtj = z;
            vi conflict, comp0, big, comp, sm = same[i * n + j];
            if (j == i) continue;
            if (q < 1) {
                qti = EL(el_t)(xi, io->x[j], io->mu, dmu[i], D[i * n + j], io->r[i], 0);
                qtj = own ? EL(el_t)(io->x[j], xi, io->mu, dmu[j], D[i * n + j], io->r[i], 0)
                          : EL(el_t)(io->x[j], xi, io->mu, dmu[j], D[i * n + j], io->r[j], 0);
            }
            e_ij = EL(el_eu4)(io->s[j], P[i * n + j], PWA[i * n + j], PWB[i * n + j], pwc[i], q,
                              qti);
            if (own)
                e_ji = EL(el_eu4)(io->s[i], P[j * n + i], PWA[i * n + j], PWB[i * n + j], pwc[i], q,
                                  qtj);
            else
                e_ji = EL(el_eu4)(io->s[i], P[j * n + i], PWA[j * n + i], PWB[j * n + i], pwc[j], q,
                                  qtj);
            /* classify, as a rank: conflict 3 > compromise 2 > capitulation
            ** 1 > none 0 (the replication's typo: no capitulation) */
            conflict = (vi)(e_ji > e_ij) & (vi)(e_ij > z);
            comp0 = (vi)(e_ji > z) & (vi)(z > e_ij);
            big = (vi)(e_ji > EL(vabs)(e_ij));
            comp = comp0 & big;
            rank = EL(sel)(conflict, EL(splat)(3), EL(sel)(comp, EL(splat)(2), z));
            if (!opt->capitulation_typo) {
                vi capit = comp0 & ~big & (vi)(EL(vabs)(e_ij) > e_ji);
                rank = EL(sel)(capit, one, rank);
            }
            io->kind[i][j] = EL(sel)(sm, z, rank);
#if EL_W == 2 /* single runs record every offer */
            io->eij[i][j] = e_ij;
#endif
            io->eji[i][j] = e_ji;
            /* where accepting it puts i */
            lo = EL(sel)((vi)(xi < io->x[j]), xi, io->x[j]);
            hi = EL(sel)((vi)(xi < io->x[j]), io->x[j], xi);
            if (opt->compromise == PL_EUM_COMPROMISE_SPEC) {
                vd den = EL(sel)(comp, e_ji, one);
                to = xi + (io->x[j] - xi) * EL(vabs)(e_ij / den);
            } else {
                vd a = EL(vabs)(e_ij), b = EL(vabs)(e_ji);
                vd den = EL(sel)(comp, a + b, one);
                to = (a * xi + b * io->x[j]) / den;
            }
            to = EL(sel)((vi)(to < lo), lo, to);
            to = EL(sel)((vi)(to > hi), hi, to);
            F[i * n + j] = EL(sel)(comp, to, io->x[j]); /* F is free now */
        }
    }
    {
        vd best_to[N_MAX], best_eji[N_MAX], best_rank[N_MAX];
#if EL_W == 2
        vd best_eij[N_MAX], best_j[N_MAX];
        for (i = 0; i < n; i++) {
            best_eij[i] = z;
            best_j[i] = EL(splat)(-1);
        }
#endif
        for (i = 0; i < n; i++) {
            best_to[i] = io->x[i];
            best_eji[i] = best_rank[i] = z;
        }
        for (j = 0; j < n; j++) {
            for (i = 0; i < n; i++) {
                vd rank, to, e_ji, xi = io->x[i];
                vi better;
                if (j == i) continue;
                rank = io->kind[i][j];
                to = F[i * n + j];
                e_ji = io->eji[i][j];
                if (opt->choice == PL_EUM_CHOICE_SENDER_EU) {
                    better = (vi)(e_ji > best_eji[i]);
                } else {
                    vd cmp_to = EL(vabs)(to - xi), cmp_best = EL(vabs)(best_to[i] - xi);
                    if (opt->compromise_lowest) {
                        vi comp = (vi)(rank == EL(splat)(2));
                        cmp_to = EL(sel)(comp, to, cmp_to);
                        cmp_best = EL(sel)(comp, best_to[i], cmp_best);
                    }
                    better = (vi)(rank > best_rank[i]) |
                             ((vi)(rank == best_rank[i]) & (vi)(cmp_to < cmp_best));
                }
                better = (vi)(rank > z) & (better | (vi)(best_rank[i] == z));
                best_rank[i] = EL(sel)(better, rank, best_rank[i]);
                best_to[i] = EL(sel)(better, to, best_to[i]);
                best_eji[i] = EL(sel)(better, e_ji, best_eji[i]);
#if EL_W == 2
                best_eij[i] = EL(sel)(better, io->eij[i][j], best_eij[i]);
                best_j[i] = EL(sel)(better, EL(splat)((double)j), best_j[i]);
#endif
            }
        }
        for (i = 0; i < n; i++) {
            io->kind[i][i] = z;
            io->newx[i] = best_to[i];
#if EL_W == 2
            io->choice[i] = best_j[i];
            io->ch_eij[i] = best_eij[i];
            io->ch_eji[i] = best_eji[i];
#endif
        }
    }
}

#if EL_BATCH /* batches */
/* The weighted mean and median of positions x with the lanes' weights,
** lane by lane: pl_weighted_mean's and pl_weighted_median's operations in
** their order, as single runs compute them (the sort is
** an odd-even transposition network, stable, so the actors come out in
** (position, index) order as there). */
EL_ATTR static void EL(el_forecasts)(const EW(el_round) * io, const vd *x, vd *mean, vd *median) {
    size_t n = io->n, k, q, pass;
    const vd z = EL(splat)(0);
    vi weighted = (vi)(io->wtot > z), found = EL(splati)(0);
    vd xs[N_MAX], ws[N_MAX], sw = z, su = z, lo = x[0], hi = x[0], sum, total, cum = z, med;
    for (k = 0; k < n; k++) {
        sw = sw + io->w[k] * x[k];
        su = su + x[k];
    }
    total = EL(sel)(weighted, io->wtot, EL(splat)((double)n));
    sum = EL(sel)(weighted, sw, su) / total;
    for (k = 1; k < n; k++) {
        lo = EL(sel)((vi)(x[k] < lo), x[k], lo);
        hi = EL(sel)((vi)(x[k] > hi), x[k], hi);
    }
    *mean = EL(sel)((vi)(sum < lo), lo, EL(sel)((vi)(sum > hi), hi, sum));
    for (k = 0; k < n; k++) {
        xs[k] = x[k];
        ws[k] = EL(sel)(weighted, io->w[k], EL(splat)(1));
    }
    for (pass = 0; pass < n; pass++) {
        for (q = pass & 1; q + 1 < n; q += 2) {
            vi swap = (vi)(xs[q] > xs[q + 1]);
            vd xa = xs[q], wa = ws[q];
            xs[q] = EL(sel)(swap, xs[q + 1], xa);
            xs[q + 1] = EL(sel)(swap, xa, xs[q + 1]);
            ws[q] = EL(sel)(swap, ws[q + 1], wa);
            ws[q + 1] = EL(sel)(swap, wa, ws[q + 1]);
        }
    }
    med = xs[n - 1];
    for (q = 0; q < n; q++) {
        vi hit;
        cum = cum + ws[q];
        hit = (vi)(2 * cum >= total) & ~found;
        if (q + 1 < n) hit = hit & (vi)(xs[q + 1] != xs[q]);
        med = EL(sel)(hit, xs[q], med);
        found = found | hit;
    }
    *median = med;
}

/* One batch step: a round, then each lane's forecasts and pl_eum_run's
** stopping rule (tolerance, then cycles, then max rounds); io->why gets
** the reason or -1.  Continuing lanes are ready for the next round. */
EL_ATTR static void EL(el_step)(const pl_eum_options *opt, EW(el_round) * io) {
    size_t n = io->n, k, back, rows = io->rows, row;
    const vd z = EL(splat)(0);
    vd mean, median, t, tmax_v, *now;
    vi tol_stop, cyc = EL(splati)(0), max_stop;
    double tmax = 0;
    EL(el_round_run)(opt, io);
    EL(el_forecasts)(io, io->newx, &mean, &median);
    t = io->t + 1;
    io->step++;
    row = io->step % rows;
    now = io->hist + row * n;
    for (k = 0; k < n; k++) now[k] = io->newx[k];
    tol_stop = (vi)(EL(vabs)(mean - io->mean) <= io->tol) &
               (vi)(EL(vabs)(median - io->median) <= io->tol);
    tmax_v = EL(sel)(io->active, t, z);
    for (int l = 0; l < EL_W; l++)
        if (tmax_v[l] > tmax) tmax = tmax_v[l];
    io->mhist[row] = mean;
    if (opt->detect_cycles) {
        for (back = 2; (double)back <= tmax; back++) {
            size_t then_row = (io->step + rows - back) % rows;
            const vd *then = io->hist + then_row * n;
            vi eq = (vi)(t >= EL(splat)((double)back));
            /* an exact repeat repeats the mean (the same operations on the
            ** same values): most rounds are ruled out by that alone */
            if (opt->cycle_tolerance == 0) {
                int any = 0;
                eq = eq & (vi)(mean == io->mhist[then_row]);
                for (int l = 0; l < EL_W; l++) any |= eq[l] != 0;
                if (!any) continue;
            }
            for (k = 0; k < n; k++) eq = eq & (vi)(EL(vabs)(now[k] - then[k]) <= io->ctol);
            cyc = cyc | eq;
        }
    }
    max_stop = (vi)(t >= EL(splat)((double)opt->max_rounds));
    io->why = EL(sel)(tol_stop, EL(splat)(PL_EUM_STOP_TOLERANCE),
                      EL(sel)(cyc, EL(splat)(PL_EUM_STOP_CYCLE),
                              EL(sel)(max_stop, EL(splat)(PL_EUM_STOP_MAX_ROUNDS), EL(splat)(-1))));
    io->why = EL(sel)(io->active, io->why, EL(splat)(-1));
    io->t = t;
    io->mean = mean;
    io->median = median;
    io->mu = median;
    for (k = 0; k < n; k++) io->x[k] = io->newx[k];
}

/* Put the next runnable job into lane l (its round 0 at the current step);
** jobs that need no round (invalid inputs, max_rounds 0) are finished on
** the way.  *slot is the lane's job, NULL when none is left. */
EL_ATTR static void EL(fill)(const pl_eum_options *opt, size_t n, EW(el_round) * io, int l,
                             eum_lanes_job **slot, eum_lanes_job *jobs, size_t count,
                             size_t *next) {
    vd *row = io->hist + (io->step % io->rows) * n;
    *slot = NULL;
    io->active[l] = 0;
    while (*next < count) {
        eum_lanes_job *jb = &jobs[(*next)++];
        double c_max = 0, lo, hi, w[EUM_LANES_MAX_N], w_total = 0, mean, median;
        size_t k;
        jb->rounds = 0;
        jb->stop = PL_EUM_STOP_MAX_ROUNDS;
        if (!eum_inputs_valid(n, jb->position, jb->capability, jb->salience)) {
            jb->status = PL_EINVAL;
            continue;
        }
        lo = hi = jb->position[0];
        for (k = 1; k < n; k++) {
            if (jb->position[k] < lo) lo = jb->position[k];
            if (jb->position[k] > hi) hi = jb->position[k];
        }
        if (!isfinite(hi - lo)) {
            jb->status = PL_ERANGE;
            continue;
        }
        for (k = 0; k < n; k++)
            if (jb->capability[k] > c_max) c_max = jb->capability[k];
        for (k = 0; k < n; k++) {
            w[k] = c_max > 0 ? jb->capability[k] / c_max * jb->salience[k] : 0.0;
            w_total += w[k];
        }
        /* round 0's forecasts, as pl_eum_run computes them (n <= 16: no
        ** allocation, valid inputs: these cannot fail) */
        pl_weighted_mean(jb->position, w, n, &mean);
        pl_weighted_median(jb->position, w, n, &median);
        if (opt->max_rounds == 0) {
            finish(jb, mean, median, 0, PL_EUM_STOP_MAX_ROUNDS);
            continue;
        }
        for (k = 0; k < n; k++) {
            io->x[k][l] = jb->position[k];
            io->w[k][l] = w[k];
            io->s[k][l] = jb->salience[k];
            row[k][l] = jb->position[k];
        }
        io->mhist[io->step % io->rows][l] = mean;
        io->delta[l] = hi - lo;
        io->wtot[l] = w_total;
        io->tol[l] = opt->tolerance * (hi - lo);
        io->ctol[l] = opt->cycle_tolerance * (hi - lo);
        io->t[l] = 0;
        io->mean[l] = mean;
        io->median[l] = median;
        io->mu[l] = median;
        io->active[l] = -1;
        *slot = jb;
        return;
    }
}

/* A batch of count jobs in the work area block (room for the round's
** struct, 64-byte aligned, and rows steps of positions and means). */
EL_ATTR static void EL(batch)(size_t n, const pl_eum_options *opt, size_t count,
                              eum_lanes_job *jobs, void *block, size_t rows) {
    eum_lanes_job *slot[EL_W];
    unsigned char *base = block;
    EW(el_round) *io = (EW(el_round) *)(void *)(base + (64 - (uintptr_t)base % 64));
    size_t next = 0, k;
    int l, active = 0;
    memset(io, 0, sizeof *io + rows * (n + 1) * sizeof(vd));
    io->n = n;
    io->rows = rows;
    io->hist = (vd *)(void *)(io + 1);
    io->mhist = io->hist + rows * n;
    /* idle lanes compute on harmless values: job 0's positions, no weight */
    for (k = 0; k < n; k++)
        io->x[k] = EL(splat)(isfinite(jobs[0].position[k]) ? jobs[0].position[k] : 0);
    for (l = 0; l < EL_W; l++) {
        EL(fill)(opt, n, io, l, &slot[l], jobs, count, &next);
        if (slot[l]) active++;
    }
    while (active > 0) {
        EL(el_step)(opt, io);
        for (l = 0; l < EL_W; l++) {
            if (!(io->why[l] >= 0)) continue;
            finish(slot[l], io->mean[l], io->median[l], (size_t)io->t[l], (int)io->why[l]);
            EL(fill)(opt, n, io, l, &slot[l], jobs, count, &next);
            if (!slot[l]) active--;
        }
    }
}
#endif

#undef vd
#undef vi
#undef N_MAX
#undef EL
#undef EW
#undef EL_CAT
#undef EL_CAT2
#undef EL_TAG
#undef EL_ATTR
#undef EL_TAB16
#undef EL_MADD
#undef EL_FMA
#undef EL_BATCH
