/*
** report_deals.c: the figures of an agreement space (pl_deals): the zone of
** possible agreement, the Pareto frontier with who blocks each package
** below their reservation, and the bargaining solutions.
*/
#include "core/alloc.h"
#include "core/buf.h"
#include "core/json_out.h"
#include "deals/deals_int.h"
#include "parley.h"
#include "report/report_int.h"

#include <jansson.h>
#include <stdio.h>

#define TEXT_FRONTIER_MAX 40 /* packages spelled out in text */
#define JSON_DIGITS 12

static const char *const solution_titles[PL_SOL_COUNT] = {"Nash", "Kalai-Smorodinsky",
                                                          "Egalitarian", "Max welfare"};

/* Which solutions frontier package f is (names joined by ", "). */
static void solutions_of(buf *b, const pl_deals *d, size_t f, const char *sep, int ids) {
    int first = 1;
    for (int s = 0; s < PL_SOL_COUNT; s++)
        for (size_t k = 0; k < d->n_sol[s]; k++)
            if (d->sol[s][k] == f) {
                buf_printf(b, "%s%s", first ? "" : sep,
                           ids ? pl_solution_name((pl_solution)s) : solution_titles[s]);
                first = 0;
            }
}

static void blockers_of(buf *b, const pl_space *sp, const pl_deal *dl, const char *sep) {
    for (size_t k = 0; k < dl->n_blockers; k++)
        buf_printf(b, "%s%s", k ? sep : "", sp->parties[dl->blockers[k]].name);
}

/* The header lines, and the parties' reservations, extremes and
** disagreement values. */
static void text_parties(buf *b, const pl_space *sp, const pl_deals *d) {
    size_t np = d->np, ni = d->ni;
    buf_printf(b, "%s: %zu part%s, %zu issue%s, %llu package%s\n", sp->name ? sp->name : "space",
               np, np == 1 ? "y" : "ies", ni, ni == 1 ? "" : "s", (unsigned long long)d->n_outcomes,
               d->n_outcomes == 1 ? "" : "s");
    buf_printf(b,
               "Zone of possible agreement: %llu packages (%.3g%%) leave every party at or "
               "above its reservation.\n",
               (unsigned long long)d->n_rational,
               d->n_outcomes ? 100.0 * (double)d->n_rational / (double)d->n_outcomes : 0.0);
    buf_printf(b, "Pareto frontier: %zu package%s, %zu of them rational.\n\n", d->n_frontier,
               d->n_frontier == 1 ? "" : "s", d->n_pareto);

    buf_cell(b, "Party", 24);
    buf_puts(b, "  Reservation       Min       Max  Disagreement\n");
    for (size_t p = 0; p < np; p++) {
        buf_cell(b, sp->parties[p].name, 24);
        buf_printf(b, "  %11.4f  %8.4f  %8.4f  %12.4f\n", sp->parties[p].reservation, d->min[p],
                   d->max[p], d->disagreement[p]);
    }
    buf_putc(b, '\n');
}

/* The bargaining solutions, a row each (ties below), and the opposition. */
static void text_solutions(buf *b, const pl_space *sp, const pl_deals *d, size_t w) {
    size_t np = d->np;
    if (d->n_pareto == 0) {
        buf_puts(b, "No package leaves every party at or above its reservation: no solution.\n");
    } else {
        buf_cell(b, "Solution", 18);
        for (size_t p = 0; p < np; p++) {
            buf_puts(b, "  ");
            buf_cell(b, sp->parties[p].name, w);
        }
        buf_puts(b, "  Package\n");
        for (int s = 0; s < PL_SOL_COUNT; s++)
            for (size_t k = 0; k < d->n_sol[s]; k++) {
                size_t f = d->sol[s][k];
                buf_cell(b, k ? "  (tie)" : solution_titles[s], 18);
                for (size_t p = 0; p < np; p++) {
                    char cell[32];
                    snprintf(cell, sizeof cell, "%.4f", d->utils[f * np + p]);
                    buf_puts(b, "  ");
                    buf_cell(b, cell, w);
                }
                buf_printf(b, "  #%zu\n", f + 1);
            }
        buf_printf(b, "\nOpposition: %.4f (0: one package gives every party its best)\n",
                   d->opposition);
    }
}

/* The frontier: packages everyone prefers to no deal, then blocked ones,
** with who blocks. */
static void text_frontier(buf *b, const pl_space *sp, const pl_deals *d, size_t w) {
    size_t np = d->np;
    for (int part = 0; part < 2; part++) {
        size_t n_part = part ? d->n_frontier - d->n_pareto : d->n_pareto, shown = 0;
        if (part == 0)
            buf_printf(b, "\nFrontier packages every party prefers to no deal: %zu\n", n_part);
        else
            buf_printf(b, "\nFrontier packages below someone's reservation (blocked): %zu\n",
                       n_part);
        if (!n_part) continue;
        buf_puts(b, "    #");
        for (size_t p = 0; p < np; p++) {
            buf_puts(b, "  ");
            buf_cell(b, sp->parties[p].name, w);
        }
        buf_puts(b, part ? "  Blocked by\n" : "  Solution\n");
        for (size_t f = 0; f < d->n_frontier; f++) {
            const pl_deal *dl = &d->frontier[f];
            if (dl->rational == part) continue;
            if (shown++ == TEXT_FRONTIER_MAX) {
                buf_printf(b, "  ... %zu more (--format json or csv lists them all)\n",
                           n_part - TEXT_FRONTIER_MAX);
                break;
            }
            buf_printf(b, "%5zu", f + 1);
            for (size_t p = 0; p < np; p++) {
                char cell[32];
                snprintf(cell, sizeof cell, "%.4f", dl->utility[p]);
                buf_puts(b, "  ");
                buf_cell(b, cell, w);
            }
            buf_puts(b, "  ");
            if (part) blockers_of(b, sp, dl, ", ");
            else solutions_of(b, d, f, ", ", 0);
            buf_putc(b, '\n');
        }
        if (part) {
            buf_puts(b, "Blocking (frontier packages below the party's reservation):");
            for (size_t p = 0; p < np; p++) {
                size_t n_blocked = 0;
                for (size_t f = 0; f < d->n_frontier; f++)
                    for (size_t k = 0; k < d->frontier[f].n_blockers; k++)
                        n_blocked += d->frontier[f].blockers[k] == p;
                buf_printf(b, "%s %s %zu", p ? "," : "", sp->parties[p].name, n_blocked);
            }
            buf_putc(b, '\n');
        }
    }
}

/* Spelled out: the solutions and the first rational frontier packages,
** option by option. */
static void text_spelled(buf *b, const pl_space *sp, const pl_deals *d) {
    size_t ni = d->ni;
    size_t iw = 12;
    for (size_t i = 0; i < ni; i++) {
        size_t n = utf8_width(sp->issues[i].name);
        if (n > iw) iw = n > 30 ? 30 : n;
    }
    if (d->n_pareto)
        buf_puts(b, "\nThe packages every party prefers to no deal, option by option:\n");
    size_t shown = 0;
    for (size_t f = 0; f < d->n_frontier; f++) {
        int is_solution = 0;
        for (int s = 0; s < PL_SOL_COUNT; s++)
            for (size_t k = 0; k < d->n_sol[s]; k++) is_solution |= d->sol[s][k] == f;
        const pl_deal *dl = &d->frontier[f];
        if (!dl->rational || (shown >= TEXT_FRONTIER_MAX && !is_solution)) continue;
        shown++;
        buf_printf(b, "#%zu", f + 1);
        if (is_solution) {
            buf_puts(b, " (");
            solutions_of(b, d, f, ", ", 0);
            buf_putc(b, ')');
        }
        buf_putc(b, '\n');
        for (size_t i = 0; i < ni; i++) {
            buf_puts(b, "    ");
            buf_cell(b, sp->issues[i].name, iw);
            buf_printf(b, "  %s\n", sp->issues[i].labels[dl->choice[i]]);
        }
    }
    if (shown < d->n_pareto)
        buf_printf(b, "... %zu more (--format json or csv lists them all)\n", d->n_pareto - shown);
}

static void deals_text(buf *b, const pl_space *sp, const pl_deals *d) {
    size_t w = 8; /* utility column width */
    for (size_t p = 0; p < d->np; p++) {
        size_t n = utf8_width(sp->parties[p].name);
        if (n > w) w = n > 14 ? 14 : n;
    }
    text_parties(b, sp, d);
    text_solutions(b, sp, d, w);
    text_frontier(b, sp, d, w);
    text_spelled(b, sp, d);
}

static void deals_csv(buf *b, const pl_space *sp, const pl_deals *d) {
    buf_puts(b, "frontier,rational,blockers,solutions");
    for (size_t p = 0; p < d->np; p++) {
        buf_puts(b, ",");
        buf_csv(b, sp->parties[p].name);
    }
    for (size_t i = 0; i < d->ni; i++) {
        buf_puts(b, ",");
        buf_csv(b, sp->issues[i].name);
    }
    buf_putc(b, '\n');
    for (size_t f = 0; f < d->n_frontier; f++) {
        const pl_deal *dl = &d->frontier[f];
        buf_printf(b, "%zu,%d,", f + 1, dl->rational);
        buf b2 = {0};
        blockers_of(&b2, sp, dl, " ");
        char *t = buf_take(&b2);
        if (!t) b->oom = 1;
        else buf_csv(b, t);
        pl__free(t);
        buf_putc(b, ',');
        solutions_of(b, d, f, " ", 1);
        for (size_t p = 0; p < d->np; p++) buf_printf(b, ",%.10g", dl->utility[p]);
        for (size_t i = 0; i < d->ni; i++) {
            buf_putc(b, ',');
            buf_csv(b, sp->issues[i].labels[dl->choice[i]]);
        }
        buf_putc(b, '\n');
    }
}

static json_t *utility_array(const double *u, size_t np, int *ok) {
    json_t *a = json_array();
    for (size_t p = 0; p < np; p++) jout_push(a, json_real(u[p]), ok);
    return a;
}

static json_t *deals_json(const pl_space *sp, const pl_deals *d, int *ok) {
    size_t np = d->np, ni = d->ni;
    json_t *root = json_object(), *space = json_object(), *parties = json_array();
    json_t *issues = json_array(), *frontier = json_array(), *sols = json_object();
    jout_set(space, "name", json_string(sp->name ? sp->name : "space"), ok);
    jout_set(space, "n_parties", json_integer((json_int_t)np), ok);
    jout_set(space, "n_issues", json_integer((json_int_t)ni), ok);
    for (size_t p = 0; *ok && p < np; p++) {
        const deals_party *pa = &sp->parties[p];
        json_t *o = json_object();
        jout_set(o, "name", json_string(pa->name), ok);
        jout_set(o, "reservation", json_real(pa->reservation), ok);
        jout_set(o, "discount", json_real(pa->discount), ok);
        jout_set(o, "nonlinear", json_boolean(pa->nonlinear), ok);
        jout_set(o, "min", json_real(d->min[p]), ok);
        jout_set(o, "max", json_real(d->max[p]), ok);
        jout_set(o, "disagreement", json_real(d->disagreement[p]), ok);
        jout_push(parties, o, ok);
    }
    for (size_t i = 0; *ok && i < ni; i++) {
        json_t *o = json_object(), *opts = json_array();
        jout_set(o, "name", json_string(sp->issues[i].name), ok);
        for (size_t k = 0; k < sp->issues[i].n_options; k++)
            jout_push(opts, json_string(sp->issues[i].labels[k]), ok);
        jout_set(o, "options", opts, ok);
        jout_push(issues, o, ok);
    }
    jout_set(space, "parties", parties, ok);
    jout_set(space, "issues", issues, ok);
    jout_set(root, "space", space, ok);
    jout_set(root, "engine", json_string(pl_deals_engine_name(d->engine)), ok);
    jout_set(root, "n_outcomes", json_integer((json_int_t)d->n_outcomes), ok);
    jout_set(root, "n_rational", json_integer((json_int_t)d->n_rational), ok);
    jout_set(root, "n_frontier", json_integer((json_int_t)d->n_frontier), ok);
    jout_set(root, "n_pareto", json_integer((json_int_t)d->n_pareto), ok);
    int has;
    double opp = pl_deals_opposition(d, &has);
    jout_set(root, "opposition", has ? json_real(opp) : json_null(), ok);
    for (size_t f = 0; *ok && f < d->n_frontier; f++) {
        const pl_deal *dl = &d->frontier[f];
        json_t *o = json_object(), *pkg = json_array(), *ch = json_array(), *bl = json_array();
        for (size_t i = 0; i < ni; i++) {
            json_t *c = json_object();
            jout_set(c, "issue", json_string(sp->issues[i].name), ok);
            jout_set(c, "option", json_string(sp->issues[i].labels[dl->choice[i]]), ok);
            jout_push(pkg, c, ok);
            jout_push(ch, json_integer((json_int_t)dl->choice[i]), ok);
        }
        for (size_t k = 0; k < dl->n_blockers; k++)
            jout_push(bl, json_string(sp->parties[dl->blockers[k]].name), ok);
        jout_set(o, "package", pkg, ok);
        jout_set(o, "choice", ch, ok);
        jout_set(o, "utility", utility_array(dl->utility, np, ok), ok);
        jout_set(o, "rational", json_boolean(dl->rational), ok);
        jout_set(o, "blockers", bl, ok);
        jout_push(frontier, o, ok);
    }
    for (int s = 0; *ok && s < PL_SOL_COUNT; s++) {
        json_t *a = json_array();
        for (size_t k = 0; k < d->n_sol[s]; k++) {
            json_t *o = json_object();
            jout_set(o, "frontier", json_integer((json_int_t)d->sol[s][k]), ok);
            jout_set(o, "utility", utility_array(d->utils + d->sol[s][k] * np, np, ok), ok);
            jout_push(a, o, ok);
        }
        jout_set(sols, pl_solution_name((pl_solution)s), a, ok);
    }
    jout_set(root, "solutions", sols, ok);
    jout_set(root, "frontier", frontier, ok);
    return root;
}

pl_status pl_report_deals(const pl_space *sp, const pl_deals *d, pl_format format, char **out) {
    if (!out) return PL_EINVAL;
    *out = NULL;
    if ((unsigned)format > PL_FORMAT_CSV) return PL_EINVAL; /* HTML, SVG: parley/report.h */
    if (!sp || !d || d->np != sp->n_parties || d->ni != sp->n_issues) return PL_EINVAL;
    buf b = {0};
    if (format == PL_FORMAT_TEXT) {
        deals_text(&b, sp, d);
        return report_take(&b, out);
    }
    if (format == PL_FORMAT_CSV) {
        deals_csv(&b, sp, d);
        return report_take(&b, out);
    }
    if (format != PL_FORMAT_JSON) return PL_EINVAL;
    int ok = 1;
    json_t *root = deals_json(sp, d, &ok);
    return json_out(root, ok, JSON_DIGITS, out);
}
