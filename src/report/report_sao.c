/*
** report_sao.c: a negotiation played out (pl_negotiate) as text, JSON or
** CSV (pl_report_negotiation).  Reads the result through the public
** accessors only; the figures against the frontier come from
** pl_negotiation_stats_get.
**
** Rounds: the text counts them from 1 ("agreement in round 68 of 100", the
** same number as the JSON "step"); JSON and CSV traces give the 0-based
** round of each offer, as negmas does.
*/
#include "parley.h"

#include "core/alloc.h"
#include "core/buf.h"
#include "core/json_out.h"
#include "report/report_int.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#define JSON_DIGITS 17 /* utilities exactly (they are compared to 1e-9) */
#define NAME_WIDTH 24

static const char *space_name(const pl_space *sp) {
    const char *n = pl_space_name(sp);
    return n ? n : "space";
}

/* ------------------------------------------------------------------------
** Text
*/
static int is_single_text(const pl_negotiation *neg) {
    return pl_negotiation_protocol(neg) == PL_PROTOCOL_SINGLE_TEXT;
}

/* Who made offer `of`: a party, or the mediator. */
static const char *offer_party(const pl_space *sp, const pl_offer *of) {
    return of->party == PL_MEDIATOR ? "mediator" : pl_space_party(sp, of->party);
}

/* A text's votes, "yn-" style: y accepted, n rejected; "-" not put to the
** vote. */
static void votes_text(buf *b, const pl_offer *of, size_t np) {
    if (!of->votes) {
        buf_putc(b, '-');
        return;
    }
    for (size_t p = 0; p < np; p++) buf_putc(b, of->votes[p] ? 'y' : 'n');
}

static void package_lines(buf *b, const pl_space *sp, const size_t *choice) {
    size_t ni = pl_space_n_issues(sp), w = 8;
    for (size_t i = 0; i < ni; i++) {
        size_t n = utf8_width(pl_space_issue(sp, i));
        if (n > w) w = n > 32 ? 32 : n;
    }
    for (size_t i = 0; i < ni; i++) {
        buf_puts(b, "    ");
        buf_cell(b, pl_space_issue(sp, i), w);
        buf_printf(b, "  %s\n", pl_space_option(sp, i, choice[i]));
    }
}

/* The offers (or the single text's texts with their votes), one line each. */
static void text_offers(buf *b, const pl_space *sp, const pl_negotiation *neg) {
    size_t np = pl_negotiation_n_parties(neg), ni = pl_space_n_issues(sp);
    size_t n_offers = pl_negotiation_n_offers(neg);
    if (!n_offers) return;
    int text_votes = is_single_text(neg);
    if (text_votes)
        buf_printf(b,
                   "\nTexts (%zu; utilities undiscounted; votes in party order: y accepted, n "
                   "rejected, - not put to the vote):\n",
                   n_offers);
    else buf_printf(b, "\nOffers (%zu; utilities undiscounted):\n", n_offers);
    buf_puts(b, "Round  ");
    buf_cell(b, "Party", NAME_WIDTH);
    for (size_t p = 0; p < np; p++) {
        char head[32];
        snprintf(head, sizeof head, "U%zu", p + 1);
        buf_printf(b, "  %8s", head);
    }
    if (text_votes) {
        buf_puts(b, "  ");
        buf_cell(b, "Votes", np > 5 ? np : 5);
    }
    buf_puts(b, "  Package\n");
    for (size_t k = 0; k < n_offers; k++) {
        const pl_offer *of = pl_negotiation_offer(neg, k);
        buf_printf(b, "%5zu  ", of->round + 1);
        buf_cell(b, offer_party(sp, of), NAME_WIDTH);
        for (size_t p = 0; p < np; p++) buf_printf(b, "  %8.4f", of->utility[p]);
        if (text_votes) {
            buf_puts(b, "  ");
            size_t w = of->votes ? np : 1;
            votes_text(b, of, np);
            for (; w < (np > 5 ? np : 5); w++) buf_putc(b, ' ');
        }
        buf_puts(b, "  ");
        for (size_t i = 0; i < ni; i++)
            buf_printf(b, "%s%s", i ? " | " : "", pl_space_option(sp, i, of->choice[i]));
        buf_putc(b, '\n');
    }
    buf_puts(b, "(U1, U2, ...: the parties' utilities in the order above)\n");
}

static void text_report(buf *b, const pl_space *sp, const pl_negotiation *neg,
                        const pl_negotiation_stats *st, int has_stats) {
    size_t np = pl_negotiation_n_parties(neg), ni = pl_space_n_issues(sp);
    size_t n_steps = pl_negotiation_n_steps(neg);
    int overflow = 0;
    uint64_t size = pl_space_size(sp, &overflow);
    buf_printf(
        b,
        "%s: %zu parties, %zu issue%s, %llu package%s; %s, "
        "deadline %zu round%s%s%s\n\n",
        space_name(sp), np, ni, ni == 1 ? "" : "s", (unsigned long long)size, size == 1 ? "" : "s",
        is_single_text(neg) ? "mediated single negotiating text" : "stacked alternating offers",
        n_steps, n_steps == 1 ? "" : "s", pl_negotiation_rational(neg) ? ", rational agents" : "",
        pl_negotiation_discounted(neg) ? ", discounted utilities" : "");
    const double *u = pl_negotiation_utilities(neg);
    buf_cell(b, "Party", NAME_WIDTH);
    buf_puts(b, "  ");
    buf_cell(b, "Agent", 14);
    buf_puts(b, "  Reservation   Utility\n");
    for (size_t p = 0; p < np; p++) {
        buf_cell(b, pl_space_party(sp, p), NAME_WIDTH);
        buf_puts(b, "  ");
        buf_cell(b, pl_negotiation_agent(neg, p), 14);
        buf_printf(b, "  %11.4f  %8.4f\n", pl_space_reservation(sp, p), u[p]);
    }
    buf_putc(b, '\n');
    size_t step = pl_negotiation_step(neg);
    if (pl_negotiation_end_reason(neg) == PL_NEG_AGREEMENT) {
        buf_printf(b, "Agreement in round %zu of %zu:\n", step, n_steps);
        package_lines(b, sp, pl_negotiation_agreement(neg));
    } else {
        buf_puts(b, "No agreement: ");
        report_no_agreement(b, sp, neg, buf_puts);
        buf_putc(b, '\n');
    }
    buf_printf(b, "\nWelfare (sum of utilities): %.4f\n", st->welfare);
    if (has_stats) {
        buf_puts(b, "Distance of the utilities to the Pareto frontier: ");
        if (st->has_pareto) buf_printf(b, "%.4f", st->pareto_distance);
        else buf_puts(b, "none (empty frontier)");
        buf_puts(b, "; to the Nash point: ");
        if (st->has_nash) buf_printf(b, "%.4f\n", st->nash_distance);
        else buf_puts(b, "none (no package is rational)\n");
    }
    text_offers(b, sp, neg);
}

/* ------------------------------------------------------------------------
** CSV: one row, or one row per offer when traced
*/
/* first, then a column per issue, then one per party */
static void csv_head(buf *b, const pl_space *sp, const char *first) {
    buf_puts(b, first);
    for (size_t i = 0; i < pl_space_n_issues(sp); i++) {
        buf_putc(b, ',');
        buf_csv(b, pl_space_issue(sp, i));
    }
    for (size_t p = 0; p < pl_space_n_parties(sp); p++) {
        buf_putc(b, ',');
        buf_csv(b, pl_space_party(sp, p));
    }
}

static void csv_report(buf *b, const pl_space *sp, const pl_negotiation *neg,
                       const pl_negotiation_stats *st, int has_stats) {
    size_t np = pl_negotiation_n_parties(neg), ni = pl_space_n_issues(sp);
    size_t n_offers = pl_negotiation_n_offers(neg);
    if (n_offers) {
        int text_votes = is_single_text(neg);
        csv_head(b, sp, "round,party");
        buf_puts(b, text_votes ? ",votes\n" : "\n");
        for (size_t k = 0; k < n_offers; k++) {
            const pl_offer *of = pl_negotiation_offer(neg, k);
            buf_printf(b, "%zu,", of->round);
            buf_csv(b, offer_party(sp, of));
            for (size_t i = 0; i < ni; i++) {
                buf_putc(b, ',');
                buf_csv(b, pl_space_option(sp, i, of->choice[i]));
            }
            for (size_t p = 0; p < np; p++) buf_printf(b, ",%.17g", of->utility[p]);
            if (text_votes) {
                buf_putc(b, ',');
                votes_text(b, of, np);
            }
            buf_putc(b, '\n');
        }
        return;
    }
    csv_head(b, sp, "reason,step");
    buf_puts(b, ",welfare,pareto_distance,nash_distance\n");
    const size_t *agreement = pl_negotiation_agreement(neg);
    const double *u = pl_negotiation_utilities(neg);
    buf_printf(b, "%s,%zu", pl_negotiation_end_name(pl_negotiation_end_reason(neg)),
               pl_negotiation_step(neg));
    for (size_t i = 0; i < ni; i++) {
        buf_putc(b, ',');
        if (agreement) buf_csv(b, pl_space_option(sp, i, agreement[i]));
    }
    for (size_t p = 0; p < np; p++) buf_printf(b, ",%.17g", u[p]);
    buf_printf(b, ",%.17g,", st->welfare);
    if (has_stats && st->has_pareto) buf_printf(b, "%.17g", st->pareto_distance);
    buf_putc(b, ',');
    if (has_stats && st->has_nash) buf_printf(b, "%.17g", st->nash_distance);
    buf_putc(b, '\n');
}

/* ------------------------------------------------------------------------
** JSON
*/
static json_t *json_report(const pl_space *sp, const pl_negotiation *neg,
                           const pl_negotiation_stats *st, int has_stats, int *ok) {
    size_t np = pl_negotiation_n_parties(neg), ni = pl_space_n_issues(sp);
    json_t *root = json_object(), *parties = json_array(), *utilities = json_array();
    jout_set(root, "space", json_string(space_name(sp)), ok);
    jout_set(root, "protocol", json_string(pl_protocol_name(pl_negotiation_protocol(neg))), ok);
    jout_set(root, "n_steps", json_integer((json_int_t)pl_negotiation_n_steps(neg)), ok);
    jout_set(root, "rational", json_boolean(pl_negotiation_rational(neg)), ok);
    jout_set(root, "discount", json_boolean(pl_negotiation_discounted(neg)), ok);
    for (size_t p = 0; *ok && p < np; p++) {
        json_t *o = json_object();
        jout_set(o, "name", json_string(pl_space_party(sp, p)), ok);
        jout_set(o, "agent", json_string(pl_negotiation_agent(neg, p)), ok);
        jout_set(o, "reservation", json_real(pl_space_reservation(sp, p)), ok);
        jout_push(parties, o, ok);
    }
    jout_set(root, "parties", parties, ok);
    const size_t *agreement = pl_negotiation_agreement(neg);
    if (agreement) {
        json_t *a = json_object();
        for (size_t i = 0; *ok && i < ni; i++)
            jout_set(a, pl_space_issue(sp, i), json_string(pl_space_option(sp, i, agreement[i])),
                     ok);
        jout_set(root, "agreement", a, ok);
    } else {
        jout_set(root, "agreement", json_null(), ok);
    }
    jout_set(root, "step", json_integer((json_int_t)pl_negotiation_step(neg)), ok);
    pl_negotiation_end end = pl_negotiation_end_reason(neg);
    jout_set(root, "reason", json_string(pl_negotiation_end_name(end)), ok);
    jout_set(root, "ended_by",
             end == PL_NEG_ENDED ? json_integer((json_int_t)pl_negotiation_ender(neg))
                                 : json_null(),
             ok);
    const double *u = pl_negotiation_utilities(neg);
    for (size_t p = 0; p < np; p++) jout_push(utilities, json_real(u[p]), ok);
    jout_set(root, "utilities", utilities, ok);
    jout_set(root, "welfare", json_real(st->welfare), ok);
    jout_set(root, "pareto_distance",
             has_stats && st->has_pareto ? json_real(st->pareto_distance) : json_null(), ok);
    jout_set(root, "nash_distance",
             has_stats && st->has_nash ? json_real(st->nash_distance) : json_null(), ok);
    size_t n_offers = pl_negotiation_n_offers(neg);
    if (n_offers) {
        json_t *trace = json_array();
        for (size_t k = 0; *ok && k < n_offers; k++) {
            const pl_offer *of = pl_negotiation_offer(neg, k);
            json_t *row = json_array(), *pkg = json_array();
            jout_push(row, json_integer((json_int_t)of->round), ok);
            jout_push(row,
                      of->party == PL_MEDIATOR ? json_null() : json_integer((json_int_t)of->party),
                      ok);
            for (size_t i = 0; i < ni; i++)
                jout_push(pkg, json_string(pl_space_option(sp, i, of->choice[i])), ok);
            jout_push(row, pkg, ok);
            if (is_single_text(neg)) {
                json_t *v = of->votes ? json_array() : json_null();
                for (size_t p = 0; of->votes && p < np; p++)
                    jout_push(v, json_boolean(of->votes[p]), ok);
                jout_push(row, v, ok);
            }
            jout_push(trace, row, ok);
        }
        jout_set(root, "trace", trace, ok);
    }
    return root;
}

static pl_status report_negotiation(const pl_space *sp, const pl_negotiation *neg,
                                    const pl_deals *d, pl_format format, const char *command,
                                    char **out) {
    if (!out) return PL_EINVAL;
    *out = NULL;
    if ((unsigned)format > PL_FORMAT_SVG) return PL_EINVAL;
    if (!sp || !neg || pl_negotiation_n_parties(neg) != pl_space_n_parties(sp)) return PL_EINVAL;
    pl_negotiation_stats st;
    pl_status rc = pl_negotiation_stats_get(neg, d, &st);
    if (rc != PL_OK) return rc;
    if (format == PL_FORMAT_HTML || format == PL_FORMAT_SVG)
        return report_negotiation_page(sp, neg, d, &st, format, command, out);
    buf b = {0};
    if (format == PL_FORMAT_TEXT || format == PL_FORMAT_CSV) {
        if (format == PL_FORMAT_TEXT) text_report(&b, sp, neg, &st, d != NULL);
        else csv_report(&b, sp, neg, &st, d != NULL);
        *out = buf_take(&b);
        return *out ? PL_OK : PL_ENOMEM;
    }
    int ok = 1;
    json_t *root = json_report(sp, neg, &st, d != NULL, &ok);
    return json_out(root, ok, JSON_DIGITS, out);
}

pl_status pl_report_negotiation(const pl_space *sp, const pl_negotiation *neg, const pl_deals *d,
                                pl_format format, char **out) {
    return report_negotiation(sp, neg, d, format, NULL, out);
}

pl_status pl_report_negotiation_html(const pl_space *sp, const pl_negotiation *neg,
                                     const pl_deals *d, const char *command, char **out) {
    return report_negotiation(sp, neg, d, PL_FORMAT_HTML, command, out);
}
