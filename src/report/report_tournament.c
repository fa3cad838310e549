/*
** report_tournament.c: a tournament (pl_tournament_run) as text, JSON or
** CSV (pl_report_tournament): the domains and counts, then one row per
** agent with its means and their 95% Student t intervals.  Reads the
** result through the public accessors only.
*/
#include "parley.h"

#include "core/alloc.h"
#include "core/buf.h"
#include "core/json_out.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#define JSON_DIGITS 17
#define NAME_WIDTH 24

static const char *const figure_names[5] = {"utility", "agreement", "welfare", "pareto_distance",
                                            "nash_distance"};

static const pl_tournament_mean *figure(const pl_tournament_agent_stats *s, int f) {
    switch (f) {
        case 0: return &s->utility;
        case 1: return &s->agreement;
        case 2: return &s->welfare;
        case 3: return &s->pareto_distance;
        default: return &s->nash_distance;
    }
}

static const char *protocol_words(const pl_tournament *t) {
    return pl_tournament_options_used(t)->negotiate.protocol == PL_PROTOCOL_SINGLE_TEXT
               ? "mediated single negotiating text"
               : "stacked alternating offers";
}

/* ------------------------------------------------------------------------
** Text
*/
static void text_mean(buf *b, const pl_tournament_mean *m) {
    if (!m->n) buf_printf(b, "  %-26s", "-");
    else buf_printf(b, "  %7.4f [%7.4f, %7.4f]", m->mean, m->lo, m->hi);
}

static void text_report(buf *b, const pl_tournament *t) {
    const pl_tournament_options *o = pl_tournament_options_used(t);
    size_t nd = pl_tournament_n_domains(t), na = pl_tournament_n_agents(t);
    buf_printf(b,
               "Tournament: %zu agent%s on %zu domain%s, every assignment to the roles, %zu "
               "repeat%s; %s, deadline %zu round%s%s%s; seed %llu\n\n",
               na, na == 1 ? "" : "s", nd, nd == 1 ? "" : "s", o->repeat, o->repeat == 1 ? "" : "s",
               protocol_words(t), o->negotiate.n_steps, o->negotiate.n_steps == 1 ? "" : "s",
               o->negotiate.rational ? ", rational agents" : "",
               o->negotiate.discount ? ", discounted utilities" : "",
               (unsigned long long)o->negotiate.seed);
    buf_cell(b, "Domain", NAME_WIDTH);
    buf_puts(b, "  Parties   Assignments   Negotiations\n");
    for (size_t d = 0; d < nd; d++) {
        buf_cell(b, pl_tournament_domain(t, d), NAME_WIDTH);
        uint64_t a = pl_tournament_domain_assignments(t, d);
        buf_printf(b, "  %7zu  %12llu  %13llu\n", pl_tournament_domain_parties(t, d),
                   (unsigned long long)a, (unsigned long long)(a * o->repeat));
    }
    uint64_t n = pl_tournament_n_negotiations(t), agreed = pl_tournament_n_agreements(t);
    buf_printf(b, "\n%llu negotiation%s, %llu agreement%s (%.1f%%)\n\n", (unsigned long long)n,
               n == 1 ? "" : "s", (unsigned long long)agreed, agreed == 1 ? "" : "s",
               n ? 100.0 * (double)agreed / (double)n : 0.0);
    static const char *const heads[5] = {"Utility [95% interval]", "Agreement rate", "Welfare",
                                         "Distance to Pareto", "Distance to Nash"};
    buf_cell(b, "Agent", 16);
    buf_puts(b, "     Seats");
    for (int f = 0; f < 5; f++) {
        buf_puts(b, "  ");
        if (f < 4) buf_cell(b, heads[f], 26);
        else buf_puts(b, heads[f]);
    }
    buf_putc(b, '\n');
    for (size_t i = 0; i < na; i++) {
        pl_tournament_agent_stats s;
        if (pl_tournament_agent_stats_get(t, i, &s) != PL_OK) continue;
        buf_cell(b, pl_tournament_agent(t, i), 16);
        buf_printf(b, "  %8llu", (unsigned long long)s.seats);
        for (int f = 0; f < 5; f++) text_mean(b, figure(&s, f));
        buf_putc(b, '\n');
    }
    buf_puts(b, "\nPer agent, over its seats (one per negotiation and role it played): the mean "
                "and its 95%\nStudent t interval, mean +- t(0.975, n - 1) s / sqrt(n); the "
                "agreement rate is the mean\nof 1 (agreement) and 0; welfare and distances are "
                "the negotiation's.\n");
}

/* ------------------------------------------------------------------------
** CSV: a row per agent
*/
static void csv_report(buf *b, const pl_tournament *t) {
    buf_puts(b, "agent,seats");
    for (int f = 0; f < 5; f++)
        buf_printf(b, ",%s,%s_lo,%s_hi,%s_n", figure_names[f], figure_names[f], figure_names[f],
                   figure_names[f]);
    buf_putc(b, '\n');
    for (size_t i = 0; i < pl_tournament_n_agents(t); i++) {
        pl_tournament_agent_stats s;
        if (pl_tournament_agent_stats_get(t, i, &s) != PL_OK) continue;
        buf_csv(b, pl_tournament_agent(t, i));
        buf_printf(b, ",%llu", (unsigned long long)s.seats);
        for (int f = 0; f < 5; f++) {
            const pl_tournament_mean *m = figure(&s, f);
            if (m->n) buf_printf(b, ",%.17g,%.17g,%.17g", m->mean, m->lo, m->hi);
            else buf_puts(b, ",,,");
            buf_printf(b, ",%llu", (unsigned long long)m->n);
        }
        buf_putc(b, '\n');
    }
}

/* ------------------------------------------------------------------------
** JSON
*/
static json_t *json_mean(const pl_tournament_mean *m, int *ok) {
    json_t *o = json_object();
    jout_set(o, "n", json_integer((json_int_t)m->n), ok);
    jout_set(o, "mean", m->n ? json_real(m->mean) : json_null(), ok);
    jout_set(o, "lo", m->n ? json_real(m->lo) : json_null(), ok);
    jout_set(o, "hi", m->n ? json_real(m->hi) : json_null(), ok);
    return o;
}

static json_t *json_report(const pl_tournament *t, int *ok) {
    const pl_tournament_options *o = pl_tournament_options_used(t);
    json_t *root = json_object(), *domains = json_array(), *agents = json_array();
    jout_set(root, "protocol", json_string(pl_protocol_name(o->negotiate.protocol)), ok);
    jout_set(root, "n_steps", json_integer((json_int_t)o->negotiate.n_steps), ok);
    jout_set(root, "repeat", json_integer((json_int_t)o->repeat), ok);
    jout_set(root, "seed", json_integer((json_int_t)o->negotiate.seed), ok);
    jout_set(root, "rational", json_boolean(o->negotiate.rational), ok);
    jout_set(root, "discount", json_boolean(o->negotiate.discount), ok);
    jout_set(root, "interval", json_string("95% Student t"), ok);
    for (size_t d = 0; *ok && d < pl_tournament_n_domains(t); d++) {
        json_t *x = json_object();
        uint64_t a = pl_tournament_domain_assignments(t, d);
        jout_set(x, "name", json_string(pl_tournament_domain(t, d)), ok);
        jout_set(x, "parties", json_integer((json_int_t)pl_tournament_domain_parties(t, d)), ok);
        jout_set(x, "assignments", json_integer((json_int_t)a), ok);
        jout_set(x, "negotiations", json_integer((json_int_t)(a * o->repeat)), ok);
        jout_push(domains, x, ok);
    }
    jout_set(root, "domains", domains, ok);
    jout_set(root, "negotiations", json_integer((json_int_t)pl_tournament_n_negotiations(t)), ok);
    jout_set(root, "agreements", json_integer((json_int_t)pl_tournament_n_agreements(t)), ok);
    for (size_t i = 0; *ok && i < pl_tournament_n_agents(t); i++) {
        pl_tournament_agent_stats s;
        if (pl_tournament_agent_stats_get(t, i, &s) != PL_OK) continue;
        json_t *x = json_object();
        jout_set(x, "agent", json_string(pl_tournament_agent(t, i)), ok);
        jout_set(x, "seats", json_integer((json_int_t)s.seats), ok);
        for (int f = 0; f < 5; f++) jout_set(x, figure_names[f], json_mean(figure(&s, f), ok), ok);
        jout_push(agents, x, ok);
    }
    jout_set(root, "agents", agents, ok);
    return root;
}

pl_status pl_report_tournament(const pl_tournament *t, pl_format format, char **out) {
    if (!out) return PL_EINVAL;
    *out = NULL;
    if (!t || (unsigned)format > PL_FORMAT_CSV) return PL_EINVAL;
    buf b = {0};
    if (format == PL_FORMAT_TEXT || format == PL_FORMAT_CSV) {
        if (format == PL_FORMAT_TEXT) text_report(&b, t);
        else csv_report(&b, t);
        *out = buf_take(&b);
        return *out ? PL_OK : PL_ENOMEM;
    }
    int ok = 1;
    json_t *root = json_report(t, &ok);
    return json_out(root, ok, JSON_DIGITS, out);
}
