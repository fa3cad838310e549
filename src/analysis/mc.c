/*
** mc.c: honest uncertainty -- Monte Carlo forecasts and one-at-a-time
** sensitivity ("tornado") on every model, through pl_model_forecast.
**
** Every run draws the scenario's uncertain values from its own random
** stream, fixed by (seed, run index) (rng.c), so the results are
** bit-identical for any number of threads.  Spreads: a value's own
** (position_spread, salience_spread, capability_spread), else the scenario's
** defaults ("uncertainty"), else parley's (PL_MC_DEFAULT_*).  Draws are
** normal, truncated to the value's domain by redrawing, or uniform on a
** range.  docs/uncertainty.md has the details; the report is
** report/report_mc.c.
*/
#define _POSIX_C_SOURCE 200809L
#include "analysis/exchange_groups.h"
#include "analysis/mc_int.h"
#include "core/alloc.h"
#include "models/eum_lanes.h"
#include "models/model_smp_int.h"
#include "models/models.h"
#include "parley.h"
#include "core/pool.h"
#include "core/progress.h"
#include "core/rng.h"

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_RUNS ((size_t)1 << 32) /* the summaries' integer sums hold this many */
/* Runs a thread takes at a time: enough to keep the EUM's lanes busy;
** fewer with the SMP (a run takes milliseconds), so that a chunk is short. */
#define CHUNK 512
#define CHUNK_SMP 8
/* Summarised runs: values rounded to 1/QMAX of the scale for the sums. */
#define QMAX 4294967295.0 /* 2^32 - 1 */

const char *pl_mc_model_name(pl_model model) {
    return model == PL_MC_SMP ? "smp" : model == PL_MC_EXCHANGE ? "exchange" : pl_model_name(model);
}

pl_status pl_mc_model_from_name(const char *name, pl_model *out) {
    if (name && out && strcmp(name, "smp") == 0) {
        *out = PL_MC_SMP;
        return PL_OK;
    }
    if (name && out && strcmp(name, "exchange") == 0) {
        *out = PL_MC_EXCHANGE;
        return PL_OK;
    }
    return pl_model_from_name(name, out);
}

void pl_mc_options_init(pl_mc_options *opt) {
    if (!opt) return;
    memset(opt, 0, sizeof *opt);
    pl_forecast_options_init(&opt->forecast);
    opt->runs = 1000;
    opt->seed = 1;
    opt->n_threads = 0;
    for (int m = 0; m < PL_MODEL_COUNT; m++) opt->models[m] = 1;
    opt->bins = 10;
    opt->models[PL_MC_SMP] = 0;
    opt->models[PL_MC_EXCHANGE] = 0;
}

/* The effective default spreads of a scenario. */
static pl_uncertainty defaults_of(const pl_scenario *s) {
    const pl_uncertainty *u = pl_scenario_uncertainty(s);
    if (u->given) return *u;
    pl_uncertainty d = {0, PL_MC_DEFAULT_POSITION_SD_SHARE, PL_MC_DEFAULT_SALIENCE_SD,
                        PL_MC_DEFAULT_CAPABILITY_SD_SHARE};
    return d;
}

/* A value's spread, its own or the default, as an sd or a range. */
static pl_spread effective(const pl_spread *own, double default_sd) {
    if (own->kind != PL_SPREAD_NONE) return *own;
    pl_spread sp = {PL_SPREAD_SD, default_sd, 0, 0};
    return sp;
}

static double draw(rng *r, double value, const pl_spread *sp, double lo, double hi) {
    if (sp->kind == PL_SPREAD_RANGE) return sp->lo + (sp->hi - sp->lo) * rng_uniform(r);
    if (sp->kind != PL_SPREAD_SD || sp->sd <= 0) return value;
    for (int tries = 0; tries < 64; tries++) {
        double x = value + sp->sd * rng_normal(r);
        if (x >= lo && x <= hi && (lo > 0 || x > 0 || hi <= 0 || lo < 0)) return x;
    }
    return value; /* the domain is a sliver of the distribution: keep the value */
}

typedef struct work work;

/* Everything a worker needs, read-only but for the results and counters. */
/* An issue's roles for the models that read them (candidate, snap): the
** proposer's and the parliament's place among its stakes (1-based, 0 for
** none) and co-decision; fixed for a scenario, so found once. */
typedef struct issue_roles {
    size_t proposer, parliament;
    int cod;
} issue_roles;

typedef struct job {
    const pl_scenario *s;
    const pl_mc_options *opt;
    pl_forecast_options forecast;
    pl_uncertainty un;
    size_t n_actors, n_issues, n_models;
    int model_ids[PL_MC_N_MODELS];
    int eum;                            /* the EUM or EUM-mean is asked for        */
    size_t *stake_off;                  /* n_issues + 1: issue i's stakes start here */
    size_t *stake_actor;                /* n_stakes: whose stake, by issue  */
    const pl_position **stake;          /* n_stakes: the stakes, by issue   */
    pl_spread *pos_spread, *sal_spread; /* n_stakes: their spreads in force */
    pl_spread *cap_spread;              /* n_actors: capabilities' spreads  */
    double *cap_base;                   /* n_actors: the scenario's capabilities */
    issue_roles *roles;                 /* n_issues: proposer, parliament, COD */
    size_t n_stakes;                    /* positions in all, stake_off[n_issues]    */
    size_t chunk;                       /* runs per chunk */
    size_t per_run;                     /* values per run: n_issues x n_models */
    double *results;                    /* exact: every run's values */
    unsigned char *done;
    atomic_int failed; /* a pl_status */
    work *works;       /* one per worker of the pool */
    size_t n_works;
    /* The SMP: its input from the scenario, whose values each run replaces */
    int smp;
    const pl_smp_data *smp_base;
    pl_smp_options smp_opt;
    size_t *smp_row; /* n_actors: the model's actor, SIZE_MAX: left out */
    /* The exchange model: the scenario's groups of issues, its options */
    int exchange;
    exchange_plan ex_plan;
    pl_exchange_options ex_opt;
    /* Summarised runs: a ring of `window` chunks' values; chunk c may be
    ** taken when c < merged + window, and is folded into accs in order, so
    ** that the summary is always of a prefix of the runs. */
    int summarise;
    double *ring;
    unsigned char *ring_done;
    size_t window, merged;
    /* the runs that count so far: the finished prefix (summarised: the runs
    ** folded); under lock, read any time */
    atomic_size_t merged_runs;
    acc *accs;
    pthread_mutex_t lock;
    pthread_cond_t moved;
    progress prog; /* opt->progress, in runs finished */
} job;

struct work {
    double *cap;             /* n_actors: this run's capabilities             */
    double *wt;              /* one issue's capability x salience weights     */
    double *x, *sal, *cap_k; /* CHUNK x n_stakes: every issue's inputs  */
    double *sal01;           /* the same saliences / 100, for the EUM          */
    eum_lanes_job *jobs;     /* CHUNK                                          */
    eum_lanes_work lanes;    /* the EUM batches' work area, reused             */
    pl_smp_data *smp;        /* the SMP's input for one run                       */
    /* the exchange model's inputs (one per group) and one run's values,
    ** dense: [actor][issue] */
    exchange_work ex;
    unsigned char *ex_has;
    double *ex_x, *ex_sal, *ex_forecast;
};

/* Where the values of the chunk starting at run `start` go. */
static double *chunk_out(job *j, size_t start) {
    if (!j->summarise) return j->results + start * j->per_run;
    return j->ring + ((start / j->chunk) % j->window) * j->chunk * j->per_run;
}

/* The SMP on one run's draws (slot `slot` of the work area): each issue's
** most probable outcome into out[i * n_models + m]. */
static pl_status smp_run(job *j, rng *r, size_t slot, work *w, double *out, size_t m) {
    pl_smp_data *d = w->smp;
    size_t nd = d->n_dims;
    for (size_t i = 0; i < d->n_actors; i++) {
        d->capability[i] = w->cap[d->source_actor[i]];
        for (size_t k = 0; k < nd; k++) d->salience[i * nd + k] = 0;
    }
    for (size_t k = 0; k < nd; k++) {
        const pl_issue *is = pl_scenario_issue(j->s, k);
        size_t base = slot * j->n_stakes + j->stake_off[k];
        for (size_t q = j->stake_off[k], n = 0; q < j->stake_off[k + 1]; q++, n++) {
            size_t i = j->smp_row[j->stake_actor[q]];
            if (i == SIZE_MAX) continue;
            double x100 = 100 * (w->x[base + n] - is->min) / (is->max - is->min);
            d->position[i * nd + k] = x100 < 0 ? 0 : x100 > 100 ? 100 : x100;
            d->salience[i * nd + k] = w->sal[base + n];
        }
    }
    /* the saliences as pl_smp_data_from_scenario normalises them */
    pl_smp_salience_norm norm = (pl_smp_salience_norm)j->opt->smp_salience_norm;
    for (size_t i = 0; i < d->n_actors; i++) {
        double total = 0;
        for (size_t k = 0; k < nd; k++) total += d->salience[i * nd + k];
        for (size_t k = 0; k < nd; k++) {
            double *sal = &d->salience[i * nd + k];
            if (norm == PL_SMP_SAL_DIVIDE) *sal /= (double)nd;
            else if (norm == PL_SMP_SAL_UNIT || total > 100) *sal = 100 * *sal / total;
        }
    }
    pl_smp_options o = j->smp_opt;
    o.seed = rng_next(r); /* the run's own stream, after its draws */
    pl_smp_result *res = NULL;
    pl_status rc = pl_smp_run(d, &o, NULL, &res);
    if (rc != PL_OK) return rc;
    const smp_outcomes *oc = &res->outcomes[res->n_states - 1];
    for (size_t k = 0; k < nd; k++) {
        double span = d->dim_max[k] - d->dim_min[k];
        double v = d->dim_min[k] + span * oc->items[oc->most_probable].position[k] / 100.0;
        out[k * j->n_models + m] = v < d->dim_min[k]   ? d->dim_min[k]
                                   : v > d->dim_max[k] ? d->dim_max[k]
                                                       : v;
    }
    pl_smp_result_free(res);
    return PL_OK;
}

/* The exchange model on one run's draws (slot `slot` of the work area),
** after the SMP's: each issue's forecast into out[i * n_models + m]. */
static pl_status exchange_run(job *j, rng *r, size_t slot, work *w, double *out, size_t m) {
    for (size_t i = 0; i < j->n_issues; i++) {
        size_t base = slot * j->n_stakes + j->stake_off[i];
        for (size_t q = j->stake_off[i], n = 0; q < j->stake_off[i + 1]; q++, n++) {
            size_t ix = j->stake_actor[q] * j->n_issues + i;
            w->ex_x[ix] = w->x[base + n];
            w->ex_sal[ix] = w->sal[base + n];
        }
    }
    pl_exchange_options o = j->ex_opt;
    o.seed = rng_next(r); /* the run's own stream, after its draws (and the SMP's) */
    pl_status rc = exchange_plan_forecast(&j->ex_plan, &w->ex, w->ex_has, w->ex_x, w->ex_sal,
                                          w->cap, &o, w->ex_forecast, NULL, NULL);
    if (rc != PL_OK) return rc;
    for (size_t i = 0; i < j->n_issues; i++) out[i * j->n_models + m] = w->ex_forecast[i];
    return PL_OK;
}

/* Draw run `run`'s inputs into slot `slot` of the chunk and compute every
** model but the EUM (which runs over the whole chunk at once: eum_chunk). */
static pl_status one_run(job *j, size_t run, size_t slot, work *w, double *out) {
    const pl_scenario *s = j->s;
    rng r;
    rng_seed(&r, j->opt->seed, j->opt->first_run + run);
    for (size_t a = 0; a < j->n_actors; a++) {
        w->cap[a] = draw(&r, j->cap_base[a], &j->cap_spread[a], 0, INFINITY);
        if (!(w->cap[a] > 0)) w->cap[a] = j->cap_base[a];
    }
    for (size_t i = 0; i < j->n_issues; i++) {
        const pl_issue *is = pl_scenario_issue(s, i);
        size_t n = 0, base = slot * j->n_stakes + j->stake_off[i];
        double *x = w->x + base, *sal = w->sal + base, *cap_k = w->cap_k + base;
        for (size_t q = j->stake_off[i]; q < j->stake_off[i + 1]; q++) {
            const pl_position *p = j->stake[q];
            x[n] = draw(&r, p->position, &j->pos_spread[q], is->min, is->max);
            sal[n] = draw(&r, p->salience, &j->sal_spread[q], 0, 100);
            cap_k[n] = w->cap[j->stake_actor[q]];
            w->wt[n] = cap_k[n] * sal[n];
            n++;
        }
        /* every value drawn lies in its domain, so the input is valid:
        ** the models run on it directly, sharing its weights */
        pl_issue_input in = {n,
                             x,
                             cap_k,
                             sal,
                             is->min,
                             is->max,
                             is->has_status_quo,
                             is->status_quo,
                             (pl_decision_rule)is->decision_rule,
                             j->roles[i].proposer,
                             j->roles[i].parliament,
                             j->roles[i].cod};
        for (size_t m = 0; m < j->n_models; m++) {
            double v = is->has_status_quo ? is->status_quo : (is->min + is->max) / 2;
            int model = j->model_ids[m];
            if (n && model != PL_MODEL_EUM && model != PL_MODEL_EUM_MEAN && model != PL_MC_SMP &&
                model != PL_MC_EXCHANGE) {
                pl_status rc = models_forecast_w((pl_model)model, &in, w->wt, &j->forecast, &v);
                if (rc != PL_OK) return rc;
            }
            out[i * j->n_models + m] = v;
        }
    }
    for (size_t m = 0; m < j->n_models; m++) {
        pl_status rc = PL_OK;
        if (j->model_ids[m] == PL_MC_SMP) rc = smp_run(j, &r, slot, w, out, m);
        if (j->model_ids[m] == PL_MC_EXCHANGE) rc = exchange_run(j, &r, slot, w, out, m);
        if (rc != PL_OK) return rc;
    }
    return PL_OK;
}

/* The EUM's median and mean (one model run gives both) for runs
** [start, start + count) of a chunk drawn by one_run: a batch per issue
** through the lane engine (eum_lanes.c), or run by run when it does not
** cover the options.  Either way each run's values are pl_eum_run's. */
static pl_status eum_chunk(job *j, double *chunk_values, size_t count, work *w) {
    const pl_eum_options *eo = &j->forecast.eum;
    for (size_t i = 0; i < j->n_issues; i++) {
        size_t n = j->stake_off[i + 1] - j->stake_off[i];
        if (n == 0) continue;
        for (size_t c = 0; c < count; c++) {
            size_t base = c * j->n_stakes + j->stake_off[i];
            for (size_t k = 0; k < n; k++) w->sal01[base + k] = w->sal[base + k] / 100;
            w->jobs[c].position = w->x + base;
            w->jobs[c].capability = w->cap_k + base;
            w->jobs[c].salience = w->sal01 + base;
        }
        if (eum_lanes_batch_ok(eo, n)) {
            pl_status rc = eum_lanes_batch_in(&w->lanes, n, eo, count, w->jobs);
            if (rc != PL_OK) return rc;
        } else {
            for (size_t c = 0; c < count; c++) {
                size_t base = c * j->n_stakes + j->stake_off[i];
                const pl_issue *is = pl_scenario_issue(j->s, i);
                pl_issue_input in = {n,
                                     w->x + base,
                                     w->cap_k + base,
                                     w->sal + base,
                                     is->min,
                                     is->max,
                                     is->has_status_quo,
                                     is->status_quo,
                                     (pl_decision_rule)is->decision_rule,
                                     0,
                                     0,
                                     0}; /* the EUM uses no roles */
                w->jobs[c].status = models_eum(&in, &j->forecast, &w->jobs[c].median,
                                               &w->jobs[c].mean);
                if (progress_poll(&j->prog)) return PL_EINTERRUPTED;
            }
        }
        if (progress_poll(&j->prog)) return PL_EINTERRUPTED;
        for (size_t c = 0; c < count; c++) {
            double *out = chunk_values + c * j->per_run;
            if (w->jobs[c].status != PL_OK) return w->jobs[c].status;
            for (size_t m = 0; m < j->n_models; m++) {
                if (j->model_ids[m] == PL_MODEL_EUM) out[i * j->n_models + m] = w->jobs[c].median;
                if (j->model_ids[m] == PL_MODEL_EUM_MEAN)
                    out[i * j->n_models + m] = w->jobs[c].mean;
            }
        }
    }
    return PL_OK;
}

/* ------------------------------------------------------------------------
** Summaries of runs (when their values do not fit exact_bytes)
*/
static pl_status acc_init(acc *a, size_t bins, size_t n_options) {
    memset(a, 0, sizeof *a);
    a->min = INFINITY;
    a->max = -INFINITY;
    a->fine = pl__calloc(PL_MC_QUANTILE_BINS, sizeof(uint64_t));
    a->hist = pl__calloc(bins, sizeof(uint64_t));
    a->options = pl__calloc(n_options ? n_options : 1, sizeof(uint64_t));
    a->n_options = n_options;
    return a->fine && a->hist && a->options ? PL_OK : PL_ENOMEM;
}

static void acc_free(acc *a) {
    pl__free(a->fine);
    pl__free(a->hist);
    pl__free(a->options);
}

/* The histogram bin and nearest option as the exact summary finds them. */
static size_t bin_of(const pl_issue *is, double v, size_t bins) {
    double t = (v - is->min) / (is->max - is->min);
    size_t b = t <= 0 ? 0 : (size_t)(t * (double)bins);
    return b >= bins ? bins - 1 : b;
}

static size_t nearest_option(const pl_issue *is, double v) {
    size_t best = 0;
    for (size_t k = 1; k < is->n_options; k++)
        if (fabs(is->options[k].value - v) < fabs(is->options[best].value - v)) best = k;
    return best;
}

static void acc_add(acc *a, const pl_issue *is, double v, size_t bins) {
    double t = (v - is->min) / (is->max - is->min);
    t = t < 0 ? 0 : t > 1 ? 1 : t;
    uint64_t q = (uint64_t)llround(t * QMAX);
    a->n++;
    a->sum += q;
    a->sumsq += (u128)q * q;
    if (v < a->min) a->min = v;
    if (v > a->max) a->max = v;
    size_t f = (size_t)(t * PL_MC_QUANTILE_BINS);
    a->fine[f >= PL_MC_QUANTILE_BINS ? PL_MC_QUANTILE_BINS - 1 : f]++;
    a->hist[bin_of(is, v, bins)]++;
    if (is->n_options) a->options[nearest_option(is, v)]++;
}

/* Fold another summary of the same issue and model into a: exact. */
static void acc_merge(acc *a, const acc *b, size_t bins) {
    a->n += b->n;
    a->sum += b->sum;
    a->sumsq += b->sumsq;
    if (b->min < a->min) a->min = b->min;
    if (b->max > a->max) a->max = b->max;
    for (size_t k = 0; k < PL_MC_QUANTILE_BINS; k++) a->fine[k] += b->fine[k];
    for (size_t k = 0; k < bins; k++) a->hist[k] += b->hist[k];
    for (size_t k = 0; k < a->n_options; k++) a->options[k] += b->options[k];
}

/* The value of order statistic k (0-based) from the fine bins: spread
** evenly inside its bin, kept within the exact min and max. */
static double acc_order(const acc *a, const pl_issue *is, uint64_t k) {
    uint64_t below = 0;
    size_t b = 0;
    while (b + 1 < PL_MC_QUANTILE_BINS && below + a->fine[b] <= k) below += a->fine[b++];
    double width = (is->max - is->min) / PL_MC_QUANTILE_BINS;
    double v = is->min + width * ((double)b + ((double)(k - below) + 0.5) / (double)a->fine[b]);
    return v < a->min ? a->min : v > a->max ? a->max : v;
}

/* Type 7 quantiles, as the exact summary, over the binned order statistics. */
static double acc_quantile(const acc *a, const pl_issue *is, double q) {
    if (a->n == 1) return a->min;
    double h = (double)(a->n - 1) * q;
    uint64_t lo = (uint64_t)floor(h);
    if (lo >= a->n - 1) return a->max;
    double x0 = acc_order(a, is, lo), x1 = acc_order(a, is, lo + 1);
    return x0 + (h - (double)lo) * (x1 - x0);
}

static void acc_stats(const acc *a, const pl_issue *is, pl_mc_stats *out) {
    double span = is->max - is->min, n = (double)a->n;
    out->mean = is->min + span * ((double)a->sum / n) / QMAX;
    /* n sum q^2 - (sum q)^2, exactly, for runs up to 2^32 */
    u128 d = (u128)a->n * a->sumsq - a->sum * a->sum;
    out->sd = a->n > 1 ? span / QMAX * sqrt((double)d / (n * (n - 1))) : 0;
    out->median = acc_quantile(a, is, 0.5);
    out->p5 = acc_quantile(a, is, 0.05);
    out->p95 = acc_quantile(a, is, 0.95);
    out->p10 = acc_quantile(a, is, 0.10);
    out->p90 = acc_quantile(a, is, 0.90);
    out->min = a->min;
    out->max = a->max;
}

/* Chunk values ready: fold every finished chunk that continues the prefix. */
static void fold_ready(job *j) {
    while (j->ring_done[j->merged % j->window]) {
        size_t slot = j->merged % j->window, first = j->merged * j->chunk;
        size_t n = first + j->chunk <= j->opt->runs ? j->chunk : j->opt->runs - first;
        const double *v = j->ring + slot * j->chunk * j->per_run;
        for (size_t r = 0; r < n; r++)
            for (size_t i = 0; i < j->n_issues; i++)
                for (size_t m = 0; m < j->n_models; m++)
                    acc_add(&j->accs[i * j->n_models + m], pl_scenario_issue(j->s, i),
                            v[r * j->per_run + i * j->n_models + m], j->opt->bins);
        j->ring_done[slot] = 0;
        j->merged++;
        atomic_store(&j->merged_runs, first + n);
    }
}

/* The runs finished, as progress counts them: the finished prefix (the
** runs that would count if the run stopped now). */
static double runs_done(job *j) { return (double)atomic_load(&j->merged_runs); }

/* A worker's work area, allocated by the calling thread (0: out of memory). */
static int work_alloc(const job *j, work *w) {
    size_t stakes = j->n_stakes ? j->n_stakes : 1, chunk = j->chunk;
    memset(w, 0, sizeof *w);
    w->cap = pl__malloc((j->n_actors + 1) * sizeof(double));
    w->wt = pl__malloc((j->n_actors + 1) * sizeof(double));
    w->x = pl__malloc(chunk * stakes * sizeof(double));
    w->sal = pl__malloc(chunk * stakes * sizeof(double));
    w->cap_k = pl__malloc(chunk * stakes * sizeof(double));
    w->sal01 = pl__malloc(chunk * stakes * sizeof(double));
    w->jobs = pl__malloc(chunk * sizeof *w->jobs);
    if (!(w->cap && w->wt && w->x && w->sal && w->cap_k && w->sal01 && w->jobs &&
          (!j->smp || pl_smp_data_clone(j->smp_base, &w->smp) == PL_OK)))
        return 0;
    if (!j->exchange) return 1;
    size_t cells = j->n_actors * j->n_issues + 1;
    w->ex_has = pl__calloc(cells, 1);
    w->ex_x = pl__calloc(cells, sizeof(double));
    w->ex_sal = pl__calloc(cells, sizeof(double));
    w->ex_forecast = pl__calloc(j->n_issues + 1, sizeof(double));
    if (!w->ex_has || !w->ex_x || !w->ex_sal || !w->ex_forecast ||
        exchange_work_init(&j->ex_plan, &w->ex) != PL_OK)
        return 0;
    for (size_t q = 0, i = 0; i < j->n_issues; i++) /* the stakes never change */
        for (; q < j->stake_off[i + 1]; q++) w->ex_has[j->stake_actor[q] * j->n_issues + i] = 1;
    return 1;
}

static void work_free(work *w) {
    pl__free(w->cap);
    pl__free(w->wt);
    pl__free(w->x);
    pl__free(w->sal);
    pl__free(w->cap_k);
    pl__free(w->sal01);
    pl__free(w->jobs);
    pl_smp_data_free(w->smp);
    eum_lanes_work_free(&w->lanes);
    exchange_work_free(&w->ex);
    pl__free(w->ex_has);
    pl__free(w->ex_x);
    pl__free(w->ex_sal);
    pl__free(w->ex_forecast);
}

/* A chunk that will not be finished: whoever waits for its slot in the
** ring stops too.  Returns 1, which stops the pool's loop. */
static int chunk_dropped(job *j) {
    if (j->summarise) {
        pthread_mutex_lock(&j->lock);
        pthread_cond_broadcast(&j->moved);
        pthread_mutex_unlock(&j->lock);
    }
    return 1;
}

/* Runs [start, end), one chunk, on the pool's worker `worker` (chunks are
** handed out in order).  Every run (and every long EUM or SMP run inside
** one) ticks the progress tracker; once it says stop, the chunk in hand is
** dropped (a chunk counts as done only whole, so the runs kept are a
** prefix) and no chunk is started. */
static int run_chunk(void *ctx, unsigned worker, size_t start, size_t end) {
    job *j = ctx;
    work *w = &j->works[worker];
    size_t chunk = j->chunk;
    if (atomic_load(&j->failed)) return chunk_dropped(j);
    if (j->prog.fn && progress_tick(&j->prog, runs_done(j))) return chunk_dropped(j);
    if (j->summarise) { /* wait for the chunk's slot in the ring */
        pthread_mutex_lock(&j->lock);
        while (start / chunk >= j->merged + j->window && !atomic_load(&j->failed) &&
               !progress_stopped(&j->prog))
            pthread_cond_wait(&j->moved, &j->lock);
        int go = start / chunk < j->merged + j->window;
        pthread_mutex_unlock(&j->lock);
        if (!go) return chunk_dropped(j);
    }
    double *out = chunk_out(j, start);
    pl_status rc = PL_OK;
    for (size_t run = start; run < end && rc == PL_OK; run++) {
        rc = one_run(j, run, run - start, w, out + (run - start) * j->per_run);
        if (rc == PL_OK && j->prog.fn && progress_tick(&j->prog, runs_done(j)))
            rc = PL_EINTERRUPTED;
    }
    if (rc == PL_OK && j->eum) rc = eum_chunk(j, out, end - start, w);
    if (rc == PL_EINTERRUPTED || progress_stopped(&j->prog))
        return chunk_dropped(j); /* the chunk does not count */
    if (rc != PL_OK) {
        atomic_store(&j->failed, (int)rc);
        return chunk_dropped(j);
    }
    pthread_mutex_lock(&j->lock);
    if (j->summarise) {
        j->ring_done[(start / chunk) % j->window] = 1;
        fold_ready(j);
        pthread_cond_broadcast(&j->moved);
    } else {
        for (size_t run = start; run < end; run++) j->done[run] = 1;
        size_t k = atomic_load(&j->merged_runs);
        while (k < j->opt->runs && j->done[k]) k++;
        atomic_store(&j->merged_runs, k);
    }
    pthread_mutex_unlock(&j->lock);
    return 0;
}

static void job_free(job *j) {
    if (!j) return;
    pl__free(j->stake_off);
    pl__free(j->stake_actor);
    pl__free(j->stake);
    pl__free(j->pos_spread);
    pl__free(j->sal_spread);
    pl__free(j->cap_spread);
    pl__free(j->cap_base);
    pl__free(j->roles);
    pl__free(j->done);
    pl__free(j->ring);
    pl__free(j->ring_done);
    pl__free(j->smp_row);
    for (size_t k = 0; j->works && k < j->n_works; k++) work_free(&j->works[k]);
    pl__free(j->works);
    pl_smp_data_free((pl_smp_data *)j->smp_base);
    exchange_plan_free(&j->ex_plan);
    pl__free(j);
}

static void accs_free(acc *accs, size_t n) {
    if (!accs) return;
    for (size_t k = 0; k < n; k++) acc_free(&accs[k]);
    pl__free(accs);
}

static size_t spread_varies(const pl_spread *sp) {
    return sp->kind == PL_SPREAD_RANGE || (sp->kind == PL_SPREAD_SD && sp->sd > 0);
}

/* The spatial model's share of a job: its input built once from S, its
** options, and each scenario actor's row in that input. */
static pl_status job_smp(job *j, const pl_scenario *s, const pl_mc_options *opt) {
    pl_smp_data *d = NULL;
    pl_status rc = pl_smp_data_from_scenario(s, (pl_smp_salience_norm)opt->smp_salience_norm, NULL,
                                             &d);
    if (rc != PL_OK) return rc;
    j->smp_base = d;
    if (opt->smp) j->smp_opt = *opt->smp;
    else pl_smp_options_init(&j->smp_opt);
    j->smp_opt.n_threads = 1; /* parallel over runs */
    j->smp_row = pl__malloc((pl_scenario_n_actors(s) + 1) * sizeof(size_t));
    if (!j->smp_row) return PL_ENOMEM;
    for (size_t a = 0; a < pl_scenario_n_actors(s); a++) j->smp_row[a] = SIZE_MAX;
    for (size_t i = 0; i < d->n_actors; i++) j->smp_row[d->source_actor[i]] = i;
    return PL_OK;
}

/* The exchange model's share of a job: the scenario's groups of issues and
** the model's options, checked once. */
static pl_status job_exchange(job *j, const pl_scenario *s, const pl_mc_options *opt) {
    if (opt->exchange) j->ex_opt = *opt->exchange;
    else pl_exchange_options_init(&j->ex_opt);
    j->ex_opt.n_threads = 1;
    j->ex_opt.repetitions = 1;
    j->ex_opt.progress = NULL;
    j->ex_opt.progress_ctx = NULL;
    if (j->ex_opt.rounds < 1 || j->ex_opt.rounds > PL_EXCHANGE_MAX_ROUNDS ||
        !(j->ex_opt.p >= 0 && j->ex_opt.p <= 1))
        return PL_EINVAL;
    return exchange_plan_init(s, &j->ex_plan);
}

/* Where the runs' values go: every value kept (results, done), or a ring
** of chunks folded into per-issue accumulators when they would not fit. */
static pl_status job_results(job *j, pl_mc *mc, const pl_scenario *s, const pl_mc_options *opt,
                             unsigned n_threads) {
    if (!j->summarise) {
        mc->results = pl__malloc(opt->runs * j->per_run * sizeof(double));
        j->done = pl__calloc(opt->runs, 1);
        return mc->results && j->done ? PL_OK : PL_ENOMEM;
    }
    j->window = 2 * (size_t)n_threads + 2;
    j->ring = pl__malloc(j->window * j->chunk * j->per_run * sizeof(double));
    j->ring_done = pl__calloc(j->window, 1);
    mc->accs = pl__calloc(j->per_run, sizeof(acc));
    if (!j->ring || !j->ring_done || !mc->accs) return PL_ENOMEM;
    for (size_t i = 0; i < j->n_issues; i++)
        for (size_t m = 0; m < j->n_models; m++)
            if (acc_init(&mc->accs[i * j->n_models + m], opt->bins,
                         pl_scenario_issue(s, i)->n_options) != PL_OK)
                return PL_ENOMEM;
    j->accs = mc->accs;
    return PL_OK;
}

/* The stakes (actor, issue) in issue order with the spread each is drawn
** from, the actors' capability spreads, and how many of each vary. */
static pl_status job_stakes(job *j, pl_mc *mc, const pl_scenario *s) {
    size_t n_issues = j->n_issues;
    j->stake_off = pl__malloc((n_issues + 1) * sizeof(size_t));
    if (!j->stake_off) return PL_ENOMEM;
    j->stake_off[0] = 0;
    for (size_t i = 0; i < n_issues; i++) {
        size_t n = 0;
        for (size_t a = 0; a < j->n_actors; a++) n += pl_scenario_stake(s, a, i) != NULL;
        j->stake_off[i + 1] = j->stake_off[i] + n;
    }
    j->n_stakes = j->stake_off[n_issues];
    j->stake_actor = pl__malloc((j->n_stakes ? j->n_stakes : 1) * sizeof(size_t));
    j->stake = pl__malloc((j->n_stakes ? j->n_stakes : 1) * sizeof(*j->stake));
    j->pos_spread = pl__malloc((j->n_stakes ? j->n_stakes : 1) * sizeof(pl_spread));
    j->sal_spread = pl__malloc((j->n_stakes ? j->n_stakes : 1) * sizeof(pl_spread));
    j->cap_spread = pl__malloc((j->n_actors ? j->n_actors : 1) * sizeof(pl_spread));
    j->cap_base = pl__malloc((j->n_actors ? j->n_actors : 1) * sizeof(double));
    j->roles = pl__calloc(n_issues ? n_issues : 1, sizeof *j->roles);
    if (!j->stake_actor || !j->stake || !j->pos_spread || !j->sal_spread || !j->cap_spread ||
        !j->cap_base || !j->roles)
        return PL_ENOMEM;
    for (size_t i = 0, q = 0; i < n_issues; i++) {
        const pl_issue *is = pl_scenario_issue(s, i);
        for (size_t a = 0; a < j->n_actors; a++) {
            const pl_position *p = pl_scenario_stake(s, a, i);
            if (!p) continue;
            const char *role = pl_scenario_actor(s, a)->role;
            size_t nth = q - j->stake_off[i] + 1;
            if (role && !j->roles[i].proposer && strcmp(role, "proposer") == 0)
                j->roles[i].proposer = nth;
            if (role && !j->roles[i].parliament && strcmp(role, "parliament") == 0)
                j->roles[i].parliament = nth;
            j->stake_actor[q] = a;
            j->stake[q] = p;
            j->pos_spread[q] = effective(&p->position_spread,
                                         j->un.position_sd_share * (is->max - is->min));
            j->sal_spread[q] = effective(&p->salience_spread, j->un.salience_sd);
            mc->perturbed[0] += spread_varies(&j->pos_spread[q]);
            mc->perturbed[1] += spread_varies(&j->sal_spread[q]);
            q++;
        }
        j->roles[i].cod = is->procedure && strcmp(is->procedure, "COD") == 0;
    }
    for (size_t a = 0; a < j->n_actors; a++) {
        const pl_actor *ac = pl_scenario_actor(s, a);
        j->cap_base[a] = ac->capability;
        j->cap_spread[a] = effective(&ac->capability_spread,
                                     j->un.capability_sd_share * ac->capability);
        mc->perturbed[2] += spread_varies(&j->cap_spread[a]);
    }
    return PL_OK;
}

/* The runs, in chunks, on a pool of N_THREADS with a work area each. */
static pl_status job_execute(job *j, size_t runs, unsigned n_threads) {
    atomic_init(&j->merged_runs, 0);
    atomic_init(&j->failed, 0);
    pool *threads = NULL;
    pl_status rc = pool_new(n_threads, &threads);
    if (rc != PL_OK) return rc;
    j->n_works = pool_size(threads);
    j->works = pl__calloc(j->n_works, sizeof *j->works);
    rc = j->works ? PL_OK : PL_ENOMEM;
    for (size_t k = 0; rc == PL_OK && k < j->n_works; k++)
        if (!work_alloc(j, &j->works[k])) rc = PL_ENOMEM;
    if (rc != PL_OK) {
        pool_free(threads);
        return rc;
    }
    pthread_mutex_init(&j->lock, NULL);
    pthread_cond_init(&j->moved, NULL);
    pool_for_chunks(threads, runs, j->chunk, run_chunk, j);
    pool_free(threads);
    pthread_mutex_destroy(&j->lock);
    pthread_cond_destroy(&j->moved);
    return (pl_status)atomic_load(&j->failed);
}

/* The result's description of its run: the runs that count (the longest
** finished prefix, so that an interrupted run is the same as a shorter
** one), the models, and the options without their callbacks. */
static void mc_describe(pl_mc *mc, const job *j, const pl_mc_options *opt) {
    size_t k = atomic_load(&j->merged_runs);
    mc->n_runs = k;
    mc->n_runs_asked = opt->runs;
    mc->interrupted = k < opt->runs;
    mc->n_issues = j->n_issues;
    mc->n_models = j->n_models;
    for (int m = 0; m < PL_MC_N_MODELS; m++) mc->models[m] = opt->models[m] != 0;
    mc->bins = opt->bins;
    mc->opt = *opt;
    mc->opt.progress = NULL;
    mc->opt.progress_ctx = NULL;
    mc->opt.forecast.eum.progress = NULL;
    mc->opt.forecast.eum.progress_ctx = NULL;
    mc->opt.smp = NULL;
    mc->opt.exchange = NULL;
    mc->ex_rounds = j->ex_opt.rounds;
    mc->ex_p = j->ex_opt.p;
    mc->used = j->un;
}

pl_status pl_mc_run(const pl_scenario *s, const pl_mc_options *opt, pl_mc **out) {
    if (!s || !opt || !out || opt->runs == 0 || opt->bins == 0 || opt->bins > 1000 ||
        opt->n_threads > PL_MAX_THREADS || (opt->sweep_runs && opt->sweep_runs < opt->runs))
        return PL_EINVAL;
    *out = NULL;
    size_t n_models = 0, n_issues = pl_scenario_n_issues(s);
    job *j = pl__calloc(1, sizeof *j);
    pl_mc *mc = pl__calloc(1, sizeof *mc);
    if (!j || !mc) {
        pl__free(j);
        pl__free(mc);
        return PL_ENOMEM;
    }
    for (int m = 0; m < PL_MC_N_MODELS; m++)
        if (opt->models[m]) j->model_ids[n_models++] = m;
    pl_status rc = PL_EINVAL;
    if (n_models == 0 || (unsigned)opt->smp_salience_norm > PL_SMP_SAL_UNIT) goto fail;
    rc = PL_ERANGE;
    if (opt->runs > MAX_RUNS) goto fail;
    j->n_models = n_models;
    j->n_issues = n_issues;
    j->per_run = (n_issues ? n_issues : 1) * n_models;
    mc->n_issues = n_issues;
    mc->n_models = n_models;
    j->smp = opt->models[PL_MC_SMP] != 0;
    j->exchange = opt->models[PL_MC_EXCHANGE] != 0;
    j->chunk = j->smp || j->exchange ? CHUNK_SMP : CHUNK;
    size_t exact = opt->exact_bytes ? opt->exact_bytes : PL_MC_EXACT_BYTES;
    /* a range of a sweep keeps or summarises its values as the whole would */
    size_t all = opt->sweep_runs ? opt->sweep_runs : opt->runs;
    j->summarise = all > exact / (j->per_run * sizeof(double) + 1);
    unsigned n_threads = pool_threads(opt->n_threads);
    if ((size_t)n_threads > (opt->runs + j->chunk - 1) / j->chunk)
        n_threads = (unsigned)((opt->runs + j->chunk - 1) / j->chunk);
    if (n_threads == 0) n_threads = 1;
    if (j->smp && (rc = job_smp(j, s, opt)) != PL_OK) goto fail;
    if (j->exchange && (rc = job_exchange(j, s, opt)) != PL_OK) goto fail;
    if ((rc = job_results(j, mc, s, opt, n_threads)) != PL_OK) goto fail;
    j->s = s;
    j->opt = opt;
    j->forecast = opt->forecast;
    j->forecast.eum.n_threads = 1; /* parallel over runs, not inside one */
    progress_init(&j->prog, opt->progress, opt->progress_ctx, (double)opt->runs);
    /* a long EUM run (many actors) polls the same tracker */
    j->forecast.eum.progress = opt->progress ? progress_nested : NULL;
    j->forecast.eum.progress_ctx = &j->prog;
    /* so does the SMP's */
    j->smp_opt.progress = opt->progress ? progress_nested : NULL;
    j->smp_opt.progress_ctx = &j->prog;
    /* and the exchange model's */
    j->ex_opt.progress = opt->progress ? progress_nested : NULL;
    j->ex_opt.progress_ctx = &j->prog;
    j->un = defaults_of(s);
    j->n_actors = pl_scenario_n_actors(s);
    j->eum = opt->models[PL_MODEL_EUM] || opt->models[PL_MODEL_EUM_MEAN];
    if ((rc = job_stakes(j, mc, s)) != PL_OK) goto fail;
    j->results = mc->results;
    if ((rc = job_execute(j, opt->runs, n_threads)) != PL_OK) goto fail;
    mc_describe(mc, j, opt);
    job_free(j);
    if (mc->n_runs == 0) {
        pl_mc_free(mc);
        return PL_EINTERRUPTED;
    }
    *out = mc;
    return PL_OK;
fail:
    job_free(j);
    pl_mc_free(mc);
    return rc;
}

void pl_mc_free(pl_mc *mc) {
    if (!mc) return;
    pl__free(mc->results);
    accs_free(mc->accs, (mc->n_issues ? mc->n_issues : 1) * (mc->n_models ? mc->n_models : 1));
    pl__free(mc);
}

/* Append part's kept values to into's (both exact). */
static pl_status merge_exact(pl_mc *into, const pl_mc *part) {
    size_t per_run = (into->n_issues ? into->n_issues : 1) * into->n_models;
    double *v = pl__realloc(into->results, (into->n_runs + part->n_runs) * per_run * sizeof *v);
    if (!v) return PL_ENOMEM;
    memcpy(v + into->n_runs * per_run, part->results, part->n_runs * per_run * sizeof *v);
    into->results = v;
    return PL_OK;
}

pl_status pl_mc_merge(pl_mc *into, const pl_mc *part) {
    if (!into || !part || !into->accs != !part->accs || into->interrupted || part->interrupted ||
        into->opt.seed != part->opt.seed ||
        into->opt.first_run + into->n_runs != part->opt.first_run ||
        into->n_issues != part->n_issues || into->bins != part->bins ||
        memcmp(into->models, part->models, sizeof into->models) != 0 ||
        into->ex_rounds != part->ex_rounds || into->ex_p != part->ex_p ||
        into->n_runs + part->n_runs > MAX_RUNS)
        return PL_EINVAL;
    if (!into->accs) {
        pl_status rc = merge_exact(into, part);
        if (rc != PL_OK) return rc;
    } else {
        for (size_t k = 0; k < into->n_issues * into->n_models; k++)
            if (into->accs[k].n_options != part->accs[k].n_options) return PL_EINVAL;
        for (size_t k = 0; k < into->n_issues * into->n_models; k++)
            acc_merge(&into->accs[k], &part->accs[k], into->bins);
    }
    into->n_runs += part->n_runs;
    into->n_runs_asked += part->n_runs_asked;
    return PL_OK;
}

size_t pl_mc_n_runs(const pl_mc *mc) { return mc ? mc->n_runs : 0; }
int pl_mc_interrupted(const pl_mc *mc) { return mc ? mc->interrupted : 0; }
int pl_mc_summarised(const pl_mc *mc) { return mc && mc->accs; }

void pl_mc_perturbed(const pl_mc *mc, size_t *positions, size_t *saliences, size_t *capabilities) {
    if (positions) *positions = mc ? mc->perturbed[0] : 0;
    if (saliences) *saliences = mc ? mc->perturbed[1] : 0;
    if (capabilities) *capabilities = mc ? mc->perturbed[2] : 0;
}

static int cmp_dbl(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Linear interpolation between order statistics (Hyndman & Fan type 7). */
static double quantile_sorted(const double *v, size_t n, double q) {
    if (n == 1) return v[0];
    double h = (double)(n - 1) * q;
    size_t lo = (size_t)floor(h);
    if (lo >= n - 1) return v[n - 1];
    return v[lo] + (h - (double)lo) * (v[lo + 1] - v[lo]);
}

pl_status pl_mc_summary(const pl_mc *mc, const pl_scenario *s, size_t issue, pl_model model,
                        pl_mc_stats *out, size_t *histogram, double *option_shares) {
    if (!mc || !s || !out || issue >= mc->n_issues || (unsigned)model >= PL_MC_N_MODELS ||
        !mc->models[model] || mc->n_runs == 0 || issue >= pl_scenario_n_issues(s))
        return PL_EINVAL;
    size_t m_idx = 0, n_models = 0;
    for (int m = 0; m < PL_MC_N_MODELS; m++) {
        if (!mc->models[m]) continue;
        if (m == (int)model) m_idx = n_models;
        n_models++;
    }
    if (mc->accs) {
        const acc *a = &mc->accs[issue * n_models + m_idx];
        const pl_issue *is = pl_scenario_issue(s, issue);
        if (a->n_options != is->n_options) return PL_EINVAL; /* runs of another scenario */
        acc_stats(a, is, out);
        if (histogram)
            for (size_t k = 0; k < mc->bins; k++) histogram[k] = (size_t)a->hist[k];
        if (option_shares)
            for (size_t k = 0; k < is->n_options; k++)
                option_shares[k] = (double)a->options[k] / (double)a->n;
        return PL_OK;
    }
    size_t n = mc->n_runs;
    double *v = pl__malloc(n * sizeof(double));
    if (!v) return PL_ENOMEM;
    double sum = 0;
    for (size_t r = 0; r < n; r++) {
        v[r] = mc->results[(r * mc->n_issues + issue) * n_models + m_idx];
        sum += v[r];
    }
    const pl_issue *is = pl_scenario_issue(s, issue);
    if (histogram) {
        memset(histogram, 0, mc->bins * sizeof(size_t));
        for (size_t r = 0; r < n; r++) histogram[bin_of(is, v[r], mc->bins)]++;
    }
    if (option_shares && is->n_options) {
        memset(option_shares, 0, is->n_options * sizeof(double));
        for (size_t r = 0; r < n; r++) option_shares[nearest_option(is, v[r])] += 1.0 / (double)n;
    }
    double mean = sum / (double)n, var = 0;
    for (size_t r = 0; r < n; r++) var += (v[r] - mean) * (v[r] - mean);
    qsort(v, n, sizeof(double), cmp_dbl);
    out->mean = mean;
    out->sd = n > 1 ? sqrt(var / (double)(n - 1)) : 0;
    out->median = quantile_sorted(v, n, 0.5);
    out->p5 = quantile_sorted(v, n, 0.05);
    out->p95 = quantile_sorted(v, n, 0.95);
    out->p10 = quantile_sorted(v, n, 0.10);
    out->p90 = quantile_sorted(v, n, 0.90);
    out->min = v[0];
    out->max = v[n - 1];
    pl__free(v);
    return PL_OK;
}

pl_status pl_mc_values(const pl_mc *mc, size_t issue, pl_model model, double *values) {
    if (!mc || !values || issue >= mc->n_issues || (unsigned)model >= PL_MC_N_MODELS ||
        !mc->models[model])
        return PL_EINVAL;
    if (mc->accs) return PL_ERANGE;
    size_t m_idx = 0, n_models = 0;
    for (int m = 0; m < PL_MC_N_MODELS; m++) {
        if (!mc->models[m]) continue;
        if (m == (int)model) m_idx = n_models;
        n_models++;
    }
    for (size_t r = 0; r < mc->n_runs; r++)
        values[r] = mc->results[(r * mc->n_issues + issue) * n_models + m_idx];
    return PL_OK;
}

size_t pl_mc_bins(const pl_mc *mc) { return mc ? mc->bins : 0; }

const pl_uncertainty *pl_mc_defaults_used(const pl_mc *mc) { return mc ? &mc->used : NULL; }
