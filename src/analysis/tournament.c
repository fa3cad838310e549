/*
** tournament.c: every assignment of agents to roles on every domain,
** repeated, summarised per agent (pl_tournament_run; docs/simulation.md,
** "Tournaments").
**
** Negotiation i of a domain is assignment a = i / repeat, repeat
** r = i % repeat; its seed is derived from (seed, domain, a, r) by
** splitmix64, so it does not depend on the thread that runs it.  The
** domains are played one after another: each party ranked once (and the
** single text's frontier marked once), the Pareto frontier and Nash point
** found once (pl_deals_run) for the distances, then the negotiations in
** blocks of chunks on the pool.  Each chunk of CHUNK negotiations sums its
** figures per agent in item order (Welford's mean and squared deviations);
** the caller merges the chunks in chunk order (Chan et al.'s formula).  The
** chunks are fixed by the items, not by the threads: the figures are the
** same bits for any thread count.
*/
#include "analysis/tournament_int.h"
#include "deals/deals_int.h"
#include "sim/sao_int.h"

#include "core/alloc.h"
#include "core/diag.h"
#include "core/pool.h"
#include "core/progress.h"

#include <math.h>
#include <stdatomic.h>
#include <string.h>

#define CHUNK 16          /* negotiations per chunk */
#define BLOCK_CHUNKS 1024 /* chunks per block (bounds the memory of partial sums) */
#define N_FIGURES 5       /* utility, agreement, welfare, Pareto and Nash distance */
#define DEFAULT_STEPS 100

typedef struct moments {
    uint64_t n;
    double mean, m2;
} moments;

typedef struct agent_acc {
    uint64_t seats;
    moments fig[N_FIGURES];
} agent_acc;

/* ------------------------------------------------------------------------
** Moments
*/
static void moments_add(moments *m, double x) {
    m->n++;
    double d = x - m->mean;
    m->mean += d / (double)m->n;
    m->m2 += d * (x - m->mean);
}

static void moments_merge(moments *a, const moments *b) {
    if (!b->n) return;
    if (!a->n) {
        *a = *b;
        return;
    }
    double na = (double)a->n, nb = (double)b->n, n = na + nb;
    double d = b->mean - a->mean;
    a->mean += d * (nb / n);
    a->m2 += b->m2 + d * d * (na * nb / n);
    a->n += b->n;
}

/* t(0.975, df): the table for df <= 30, then the Cornish-Fisher expansion
** in 1/df (Abramowitz & Stegun 26.7.5), within 1e-6 beyond 30. */
static double t975(uint64_t df) {
    static const double table[30] = {
        12.706204736, 4.302652730, 3.182446305, 2.776445105, 2.570581836, 2.446911851,
        2.364624252,  2.306004135, 2.262157163, 2.228138852, 2.200985160, 2.178812830,
        2.160368656,  2.144786688, 2.131449546, 2.119905299, 2.109815578, 2.100922040,
        2.093024054,  2.085963447, 2.079613845, 2.073873068, 2.068657610, 2.063898562,
        2.059538553,  2.055529439, 2.051830516, 2.048407142, 2.045229642, 2.042272456};
    if (df >= 1 && df <= 30) return table[df - 1];
    double z = 1.959963984540054, v = (double)df;
    double z2 = z * z, z3 = z2 * z, z5 = z3 * z2, z7 = z5 * z2, z9 = z7 * z2;
    return z + (z3 + z) / (4 * v) + (5 * z5 + 16 * z3 + 3 * z) / (96 * v * v) +
           (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384 * v * v * v) +
           (79 * z9 + 776 * z7 + 1482 * z5 - 1920 * z3 - 945 * z) / (92160 * v * v * v * v);
}

static pl_tournament_mean interval(const moments *m) {
    pl_tournament_mean r = {m->n, m->mean, m->mean, m->mean};
    if (m->n < 2) return r;
    double sd = sqrt(m->m2 / (double)(m->n - 1));
    double half = t975(m->n - 1) * sd / sqrt((double)m->n);
    r.lo = m->mean - half;
    r.hi = m->mean + half;
    return r;
}

/* ------------------------------------------------------------------------
** Seeds
*/
static uint64_t splitmix(uint64_t x) {
    x += 0x9e3779b97f4a7c15ull;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}

/* The seed of negotiation (domain d, assignment a, repeat r). */
static uint64_t negotiation_seed(uint64_t seed, uint64_t d, uint64_t a, uint64_t r) {
    return splitmix(splitmix(splitmix(splitmix(seed) ^ d) ^ a) ^ r);
}

/* ------------------------------------------------------------------------
** One domain's negotiations on the pool
*/
typedef struct job {
    const pl_space *sp;
    const sao_rankings *rk;
    const pl_deals *deals; /* NULL: no distances */
    const char *const *agents;
    size_t n_agents, np, domain;
    pl_negotiate_options no;
    size_t repeat;
    uint64_t first;       /* the block's first item */
    agent_acc *accs;      /* per chunk of the block, n_agents each */
    uint64_t *agreements; /* per chunk */
    const char **specs;   /* per worker, np each */
    size_t *roles;        /* per worker, np each */
    double *scratch;      /* per worker, a record each */
    double *records;      /* a range: the block's first item's record, else NULL */
    atomic_int status;
    progress *prog;
    atomic_ullong *done;
} job;

/* The roles (agents' indices) of negotiation i's np parties. */
static void assign_roles(uint64_t i, size_t repeat, size_t n_agents, size_t np, size_t *roles) {
    uint64_t rest = i / repeat;
    for (size_t p = np; p-- > 0;) {
        roles[p] = (size_t)(rest % n_agents);
        rest /= n_agents;
    }
}

/* A negotiation's record (TOURNAMENT_RECORD) into the seats' sums. */
static void record_add(agent_acc *acc, const size_t *roles, size_t np, const double *rec) {
    for (size_t p = 0; p < np; p++) {
        agent_acc *g = &acc[roles[p]];
        g->seats++;
        moments_add(&g->fig[0], rec[4 + p]);
        moments_add(&g->fig[1], rec[0]);
        moments_add(&g->fig[2], rec[1]);
        if (!isnan(rec[2])) moments_add(&g->fig[3], rec[2]);
        if (!isnan(rec[3])) moments_add(&g->fig[4], rec[3]);
    }
}

/* Negotiation `item` of the block played; its record in rec. */
static pl_status play_one(job *j, size_t item, const char **specs, size_t *roles, double *rec) {
    uint64_t i = j->first + item, a = i / j->repeat, r = i % j->repeat;
    assign_roles(i, j->repeat, j->n_agents, j->np, roles);
    for (size_t p = 0; p < j->np; p++) specs[p] = j->agents[roles[p]];
    pl_negotiate_options no = j->no;
    no.seed = negotiation_seed(j->no.seed, j->domain, a, r);
    pl_negotiation *neg = NULL;
    pl_status rc = sao_negotiate_ranked(j->sp, j->rk, specs, &no, &neg);
    pl_negotiation_stats st;
    if (rc == PL_OK) rc = pl_negotiation_stats_get(neg, j->deals, &st);
    if (rc == PL_OK) {
        const double *u = pl_negotiation_utilities(neg);
        rec[0] = pl_negotiation_end_reason(neg) == PL_NEG_AGREEMENT ? 1.0 : 0.0;
        rec[1] = st.welfare;
        rec[2] = st.has_pareto ? st.pareto_distance : NAN;
        rec[3] = st.has_nash ? st.nash_distance : NAN;
        for (size_t p = 0; p < j->np; p++) rec[4 + p] = u[p];
    }
    pl_negotiation_free(neg);
    return rc;
}

static int run_chunk(void *ctx, unsigned worker, size_t begin, size_t end) {
    job *j = ctx;
    size_t np = j->np, chunk = begin / CHUNK;
    agent_acc *acc = j->accs + chunk * j->n_agents;
    const char **specs = j->specs + (size_t)worker * np;
    size_t *roles = j->roles + (size_t)worker * np;
    double *own = j->scratch + (size_t)worker * TOURNAMENT_RECORD(np);
    memset(acc, 0, j->n_agents * sizeof *acc);
    j->agreements[chunk] = 0;
    for (size_t item = begin; item < end; item++) {
        if (atomic_load_explicit(&j->status, memory_order_relaxed) != PL_OK) return 1;
        double *rec = j->records ? j->records + item * TOURNAMENT_RECORD(np) : own;
        pl_status rc = play_one(j, item, specs, roles, rec);
        if (rc != PL_OK) {
            int ok = PL_OK;
            atomic_compare_exchange_strong(&j->status, &ok, (int)rc);
            return 1;
        }
        j->agreements[chunk] += (uint64_t)rec[0];
        record_add(acc, roles, np, rec);
        unsigned long long done = atomic_fetch_add(j->done, 1) + 1;
        if (progress_tick(j->prog, (double)done)) {
            int ok = PL_OK;
            atomic_compare_exchange_strong(&j->status, &ok, (int)PL_EINTERRUPTED);
            return 1;
        }
    }
    return 0;
}

/* ------------------------------------------------------------------------
** The tournament
*/
void pl_tournament_free(pl_tournament *t) {
    if (!t) return;
    for (size_t d = 0; t->domain_names && d < t->n_domains; d++) pl__free(t->domain_names[d]);
    for (size_t i = 0; t->agents && i < t->n_agents; i++) pl__free(t->agents[i]);
    pl__free(t->domain_names);
    pl__free(t->domain_parties);
    pl__free(t->domain_assignments);
    pl__free(t->agents);
    pl__free(t->stats);
    pl__free(t->records);
    pl__free(t);
}

static const char *space_name(const pl_space *sp) { return sp->name ? sp->name : "space"; }

/* Check the input and count the negotiations; fills t's domain figures. */
static pl_status plan(pl_tournament *t, const pl_space *const *domains, const char *const *agents,
                      pl_diags *diags) {
    size_t na = t->n_agents;
    for (size_t i = 0; i < na; i++) {
        if (pl_agent_check(agents[i]) != PL_OK) {
            diag_add(diags, PL_SEV_ERROR, "tournament", 0, 0,
                     "expected an agent (docs/simulation.md), found \"%s\"",
                     agents[i] ? agents[i] : "");
            return PL_EINVAL;
        }
        for (size_t k = 0; k < i; k++)
            if (strcmp(agents[k], agents[i]) == 0) {
                diag_add(diags, PL_SEV_ERROR, "tournament", 0, 0,
                         "expected distinct agents, found \"%s\" twice", agents[i]);
                return PL_EINVAL;
            }
    }
    uint64_t total = 0;
    for (size_t d = 0; d < t->n_domains; d++) {
        const pl_space *sp = domains[d];
        size_t np = sp->n_parties;
        if (np < 2) {
            diag_add(diags, PL_SEV_ERROR, space_name(sp), 0, 0,
                     "expected at least 2 parties, found %zu", np);
            return PL_EINVAL;
        }
        int overflow = 0;
        uint64_t size = pl_space_size(sp, &overflow);
        if (overflow || size == 0) {
            diag_add(diags, PL_SEV_ERROR, space_name(sp), 0, 0,
                     overflow ? "expected at most 1.8e19 packages, found more"
                              : "expected at least one option on every issue, found an issue "
                                "without");
            return overflow ? PL_ERANGE : PL_EINPUT;
        }
        uint64_t n = 1;
        for (size_t p = 0; p < np; p++) {
            if (n > PL_TOURNAMENT_MAX_NEGOTIATIONS / na) {
                n = PL_TOURNAMENT_MAX_NEGOTIATIONS + 1;
                break;
            }
            n *= na;
        }
        t->domain_parties[d] = np;
        t->domain_assignments[d] = n;
        uint64_t neg = n > PL_TOURNAMENT_MAX_NEGOTIATIONS / t->opts.repeat
                           ? PL_TOURNAMENT_MAX_NEGOTIATIONS + 1
                           : n * t->opts.repeat;
        total = total + neg > PL_TOURNAMENT_MAX_NEGOTIATIONS ? PL_TOURNAMENT_MAX_NEGOTIATIONS + 1
                                                             : total + neg;
        if (total > PL_TOURNAMENT_MAX_NEGOTIATIONS) {
            diag_add(diags, PL_SEV_ERROR, space_name(sp), 0, 0,
                     "expected at most %.3g negotiations in a tournament, found more (%zu "
                     "agents on %zu parties, %zu repeats); use fewer agents or repeats",
                     (double)PL_TOURNAMENT_MAX_NEGOTIATIONS, na, np, t->opts.repeat);
            return PL_ERANGE;
        }
    }
    t->n_negotiations = total;
    return PL_OK;
}

/* The domain's rankings (every party if some agent ranks, else the
** non-linear ones only), shared by its negotiations; interruptible. */
static pl_status rank_domain(const pl_tournament *t, const pl_space *sp, const char *const *agents,
                             progress *prog, pl_diags *diags, sao_rankings **out) {
    size_t np = sp->n_parties, na = t->n_agents;
    const pl_negotiate_options *no = &t->opts.negotiate;
    uint64_t cap = no->max_outcomes ? no->max_outcomes : PL_NEGOTIATE_DEFAULT_CAP;
    if (cap > PL_NEGOTIATE_MAX_CAP) cap = PL_NEGOTIATE_MAX_CAP;
    /* rank every party if some agent ranks, else the non-linear ones only */
    const char *ranker = agents[0];
    for (size_t i = 0; i < na; i++) {
        const char *arg;
        if (sao_agent_find(agents[i], &arg)->needs_ranking) {
            ranker = agents[i];
            break;
        }
    }
    const char **as = pl__calloc(np, sizeof *as);
    if (!as) return PL_ENOMEM;
    for (size_t p = 0; p < np; p++) as[p] = ranker;
    sao_rankings *rk = NULL;
    pl_status rc = sao_rankings_new(sp, as, ranker, cap, no->protocol == PL_PROTOCOL_SINGLE_TEXT,
                                    prog, diags, &rk);
    pl__free(as);
    if (rc == PL_OK && progress_stopped(prog)) rc = PL_EINTERRUPTED;
    if (rc != PL_OK) {
        sao_rankings_free(rk);
        return rc;
    }
    *out = rk;
    return PL_OK;
}

/* The frontier and the Nash point, for the distances (NULL after a
** warning when they cannot be found). */
static pl_status domain_deals(const pl_tournament *t, const pl_space *sp, progress *prog,
                              pl_diags *diags, pl_deals **out) {
    pl_deals_options dopt;
    pl_deals_options_init(&dopt);
    dopt.n_threads = t->opts.n_threads;
    dopt.progress = prog->fn ? progress_nested : NULL;
    dopt.progress_ctx = prog;
    pl_deals *deals = NULL;
    pl_status rc = pl_deals_run(sp, &dopt, NULL, &deals);
    if (rc == PL_ENOMEM || rc == PL_EINTERRUPTED || progress_stopped(prog)) {
        pl_deals_free(deals);
        return rc == PL_OK ? PL_EINTERRUPTED : rc;
    }
    if (rc != PL_OK) {
        diag_add(diags, PL_SEV_WARNING, space_name(sp), 0, 0,
                 "the distances to the Pareto frontier and the Nash point are left out: %s",
                 pl_strerror(rc));
        deals = NULL;
    }
    *out = deals;
    return PL_OK;
}

/* Items [lo, hi) of the job's domain in blocks of chunks on the pool, each
** chunk's sums merged into sums in chunk order. */
static pl_status play_items(pl_tournament *t, pool *pl, job *j, uint64_t lo, uint64_t hi,
                            agent_acc *sums) {
    size_t na = t->n_agents, width = TOURNAMENT_RECORD(j->np);
    double *records = j->records;
    for (uint64_t first = lo; first < hi; first += (uint64_t)BLOCK_CHUNKS * CHUNK) {
        uint64_t left = hi - first;
        size_t n = left < (uint64_t)BLOCK_CHUNKS * CHUNK ? (size_t)left : BLOCK_CHUNKS * CHUNK;
        j->first = first;
        if (records) j->records = records + (size_t)(first - lo) * width;
        pool_for_chunks(pl, n, CHUNK, run_chunk, j);
        pl_status rc = (pl_status)atomic_load(&j->status);
        if (rc != PL_OK) return rc;
        size_t n_chunks = (n + CHUNK - 1) / CHUNK;
        for (size_t c = 0; c < n_chunks; c++) {
            t->n_agreements += j->agreements[c];
            for (size_t i = 0; i < na; i++) {
                const agent_acc *g = &j->accs[c * na + i];
                sums[i].seats += g->seats;
                for (int f = 0; f < N_FIGURES; f++) moments_merge(&sums[i].fig[f], &g->fig[f]);
            }
        }
    }
    return PL_OK;
}

/* Play domain d's negotiations [lo, hi) (records: where the first one's
** record goes, or NULL), merging their figures into sums (n_agents). */
static pl_status play_domain(pl_tournament *t, pool *pl, const pl_space *sp, size_t d, uint64_t lo,
                             uint64_t hi, double *records, const char *const *agents,
                             agent_acc *sums, progress *prog, atomic_ullong *done,
                             pl_diags *diags) {
    size_t np = sp->n_parties, na = t->n_agents;
    sao_rankings *rk = NULL;
    pl_deals *deals = NULL;
    pl_status rc = rank_domain(t, sp, agents, prog, diags, &rk);
    if (rc == PL_OK) rc = domain_deals(t, sp, prog, diags, &deals);
    if (rc != PL_OK) {
        sao_rankings_free(rk);
        return rc;
    }
    unsigned workers = pool_size(pl);
    job j;
    memset(&j, 0, sizeof j);
    j.sp = sp;
    j.rk = rk;
    j.deals = deals;
    j.agents = agents;
    j.n_agents = na;
    j.np = np;
    j.domain = d;
    j.no = t->opts.negotiate;
    j.no.trace = 0;
    j.repeat = t->opts.repeat;
    j.records = records;
    j.prog = prog;
    j.done = done;
    atomic_init(&j.status, PL_OK);
    j.accs = pl__calloc((size_t)BLOCK_CHUNKS * na, sizeof *j.accs);
    j.agreements = pl__calloc(BLOCK_CHUNKS, sizeof *j.agreements);
    j.specs = pl__calloc((size_t)workers * np, sizeof *j.specs);
    j.roles = pl__calloc((size_t)workers * np, sizeof *j.roles);
    j.scratch = pl__calloc((size_t)workers * TOURNAMENT_RECORD(np), sizeof *j.scratch);
    rc = j.accs && j.agreements && j.specs && j.roles && j.scratch ? PL_OK : PL_ENOMEM;
    if (rc == PL_OK) rc = play_items(t, pl, &j, lo, hi, sums);
    pl__free(j.accs);
    pl__free(j.agreements);
    pl__free(j.specs);
    pl__free(j.roles);
    pl__free(j.scratch);
    pl_deals_free(deals);
    sao_rankings_free(rk);
    return rc;
}

uint64_t tournament_domain_first(const pl_tournament *t, size_t d) {
    uint64_t first = 0;
    for (size_t k = 0; k < d && k < t->n_domains; k++)
        first += t->domain_assignments[k] * t->opts.repeat;
    return first;
}

pl_status tournament_new(const pl_space *const *domains, size_t n_domains,
                         const char *const *agents, size_t n_agents,
                         const pl_tournament_options *opts, pl_diags *diags, pl_tournament **out) {
    *out = NULL;
    if (!domains || !agents || !n_domains || !n_agents) return PL_EINVAL;
    for (size_t d = 0; d < n_domains; d++)
        if (!domains[d]) return PL_EINVAL;
    pl_tournament_options o;
    memset(&o, 0, sizeof o);
    if (opts) o = *opts;
    if ((unsigned)o.negotiate.protocol > PL_PROTOCOL_SINGLE_TEXT) return PL_EINVAL;
    if (o.n_threads > PL_MAX_THREADS) return PL_EINVAL;
    if (!o.negotiate.n_steps) o.negotiate.n_steps = DEFAULT_STEPS;
    if (!o.repeat) o.repeat = 1;
    o.negotiate.trace = 0;
    pl_tournament *t = pl__calloc(1, sizeof *t);
    if (!t) return PL_ENOMEM;
    t->opts = o;
    t->opts.progress = NULL;
    t->opts.progress_ctx = NULL;
    t->n_domains = n_domains;
    t->n_agents = n_agents;
    t->domain_names = pl__calloc(n_domains, sizeof *t->domain_names);
    t->domain_parties = pl__calloc(n_domains, sizeof *t->domain_parties);
    t->domain_assignments = pl__calloc(n_domains, sizeof *t->domain_assignments);
    t->agents = pl__calloc(n_agents, sizeof *t->agents);
    t->stats = pl__calloc(n_agents, sizeof *t->stats);
    pl_status rc = t->domain_names && t->domain_parties && t->domain_assignments && t->agents &&
                           t->stats
                       ? PL_OK
                       : PL_ENOMEM;
    if (rc == PL_OK) rc = plan(t, domains, agents, diags);
    for (size_t d = 0; rc == PL_OK && d < n_domains; d++)
        if (!(t->domain_names[d] = pl__strdup(space_name(domains[d])))) rc = PL_ENOMEM;
    for (size_t i = 0; rc == PL_OK && i < n_agents; i++)
        if (!(t->agents[i] = pl__strdup(agents[i]))) rc = PL_ENOMEM;
    if (rc != PL_OK) {
        pl_tournament_free(t);
        return rc;
    }
    *out = t;
    return PL_OK;
}

static void set_stats(pl_tournament *t, const agent_acc *sums) {
    for (size_t i = 0; i < t->n_agents; i++) {
        pl_tournament_agent_stats *s = &t->stats[i];
        s->seats = sums[i].seats;
        s->utility = interval(&sums[i].fig[0]);
        s->agreement = interval(&sums[i].fig[1]);
        s->welfare = interval(&sums[i].fig[2]);
        s->pareto_distance = interval(&sums[i].fig[3]);
        s->nash_distance = interval(&sums[i].fig[4]);
    }
}

/* A range's records: TOURNAMENT_RECORD values for each of its negotiations. */
static pl_status range_records(pl_tournament *t, uint64_t first, uint64_t count) {
    if (first >= t->n_negotiations || count > t->n_negotiations - first) return PL_EINVAL;
    size_t n = 0;
    for (size_t d = 0; d < t->n_domains; d++) {
        uint64_t lo = tournament_domain_first(t, d),
                 hi = lo + t->domain_assignments[d] * t->opts.repeat;
        if (lo < first) lo = first;
        if (hi > first + count) hi = first + count;
        if (lo < hi) n += (size_t)(hi - lo) * TOURNAMENT_RECORD(t->domain_parties[d]);
    }
    t->records = pl__malloc((n ? n : 1) * sizeof(double));
    t->n_values = n;
    return t->records ? PL_OK : PL_ENOMEM;
}

/* Every domain's negotiations in the range (all: first 0, count total). */
static pl_status play_all(pl_tournament *t, const pl_space *const *domains,
                          const char *const *agents, const pl_tournament_options *o,
                          agent_acc *sums, pl_diags *diags) {
    uint64_t first = o->count ? o->first : 0, count = o->count ? o->count : t->n_negotiations;
    pl_status rc = o->count ? range_records(t, first, count) : PL_OK;
    pool *pl = NULL;
    if (rc == PL_OK) rc = pool_new(pool_threads(o->n_threads), &pl);
    progress prog;
    progress_init(&prog, o->progress, o->progress_ctx, (double)count);
    atomic_ullong done;
    atomic_init(&done, 0);
    double *records = t->records;
    for (size_t d = 0; rc == PL_OK && d < t->n_domains; d++) {
        uint64_t at = tournament_domain_first(t, d), n = t->domain_assignments[d] * t->opts.repeat;
        uint64_t lo = first > at ? first : at, hi = first + count < at + n ? first + count : at + n;
        if (lo >= hi) continue;
        lo -= at;
        hi -= at;
        rc = play_domain(t, pl, domains[d], d, lo, hi, records, agents, sums, &prog, &done, diags);
        if (records) records += (size_t)(hi - lo) * TOURNAMENT_RECORD(t->domain_parties[d]);
    }
    pool_free(pl);
    if (rc == PL_OK && progress_stopped(&prog)) rc = PL_EINTERRUPTED;
    return rc;
}

pl_status pl_tournament_run(const pl_space *const *domains, size_t n_domains,
                            const char *const *agents, size_t n_agents,
                            const pl_tournament_options *opts, pl_diags *diags,
                            pl_tournament **out) {
    if (!out) return PL_EINVAL;
    *out = NULL;
    pl_tournament *t = NULL;
    pl_status rc = tournament_new(domains, n_domains, agents, n_agents, opts, diags, &t);
    if (rc != PL_OK) return rc;
    agent_acc *sums = pl__calloc(n_agents, sizeof *sums);
    pl_tournament_options o = t->opts; /* with the caller's progress */
    o.progress = opts ? opts->progress : NULL;
    o.progress_ctx = opts ? opts->progress_ctx : NULL;
    rc = sums ? play_all(t, domains, agents, &o, sums, diags) : PL_ENOMEM;
    if (rc == PL_OK && !t->opts.count) set_stats(t, sums);
    pl__free(sums);
    if (rc != PL_OK) {
        pl_tournament_free(t);
        return rc;
    }
    *out = t;
    return PL_OK;
}

pl_status pl_tournament_size(const pl_space *const *domains, size_t n_domains,
                             const char *const *agents, size_t n_agents,
                             const pl_tournament_options *opts, pl_diags *diags, uint64_t *out) {
    if (!out) return PL_EINVAL;
    *out = 0;
    pl_tournament *t = NULL;
    pl_status rc = tournament_new(domains, n_domains, agents, n_agents, opts, diags, &t);
    if (rc == PL_OK) *out = t->n_negotiations;
    pl_tournament_free(t);
    return rc;
}

pl_status tournament_replay(pl_tournament *t, const double *records) {
    size_t na = t->n_agents, np_max = 1;
    for (size_t d = 0; d < t->n_domains; d++)
        if (t->domain_parties[d] > np_max) np_max = t->domain_parties[d];
    agent_acc *sums = pl__calloc(na, sizeof *sums), *acc = pl__calloc(na, sizeof *acc);
    size_t *roles = pl__calloc(np_max, sizeof *roles);
    pl_status rc = sums && acc && roles ? PL_OK : PL_ENOMEM;
    t->n_agreements = 0;
    for (size_t d = 0; rc == PL_OK && d < t->n_domains; d++) {
        size_t np = t->domain_parties[d];
        uint64_t n = t->domain_assignments[d] * t->opts.repeat;
        for (uint64_t c = 0; c < n; c += CHUNK) { /* as run_chunk, then play_items */
            memset(acc, 0, na * sizeof *acc);
            for (uint64_t i = c; i < n && i < c + CHUNK; i++, records += TOURNAMENT_RECORD(np)) {
                assign_roles(i, t->opts.repeat, na, np, roles);
                t->n_agreements += (uint64_t)records[0];
                record_add(acc, roles, np, records);
            }
            for (size_t i = 0; i < na; i++) {
                sums[i].seats += acc[i].seats;
                for (int f = 0; f < N_FIGURES; f++) moments_merge(&sums[i].fig[f], &acc[i].fig[f]);
            }
        }
    }
    if (rc == PL_OK) set_stats(t, sums);
    pl__free(sums);
    pl__free(acc);
    pl__free(roles);
    return rc;
}

/* ------------------------------------------------------------------------
** Accessors
*/
size_t pl_tournament_n_domains(const pl_tournament *t) { return t ? t->n_domains : 0; }
const char *pl_tournament_domain(const pl_tournament *t, size_t d) {
    return t && d < t->n_domains ? t->domain_names[d] : NULL;
}
size_t pl_tournament_domain_parties(const pl_tournament *t, size_t d) {
    return t && d < t->n_domains ? t->domain_parties[d] : 0;
}
uint64_t pl_tournament_domain_assignments(const pl_tournament *t, size_t d) {
    return t && d < t->n_domains ? t->domain_assignments[d] : 0;
}
size_t pl_tournament_n_agents(const pl_tournament *t) { return t ? t->n_agents : 0; }
const char *pl_tournament_agent(const pl_tournament *t, size_t i) {
    return t && i < t->n_agents ? t->agents[i] : NULL;
}
const pl_tournament_options *pl_tournament_options_used(const pl_tournament *t) {
    return t ? &t->opts : NULL;
}
uint64_t pl_tournament_n_negotiations(const pl_tournament *t) { return t ? t->n_negotiations : 0; }
uint64_t pl_tournament_n_agreements(const pl_tournament *t) { return t ? t->n_agreements : 0; }
pl_status pl_tournament_agent_stats_get(const pl_tournament *t, size_t i,
                                        pl_tournament_agent_stats *out) {
    if (!t || !out || i >= t->n_agents) return PL_EINVAL;
    *out = t->stats[i];
    return PL_OK;
}
