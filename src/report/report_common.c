/*
** report_common.c: what every report uses -- the format names, the handing
** over of a report's text, an issue's scale, and the what-if changes a
** scenario carries, stated the same way by every report of a changed
** scenario; why a negotiation ended without agreement, in the same words
** in text and HTML.
*/
#include "core/buf.h"
#include "core/json_out.h"
#include "parley.h"
#include "report/report_int.h"

#include <jansson.h>
#include <string.h>

pl_status pl_format_from_name(const char *name, pl_format *out) {
    static const char *const names[] = {"text", "json", "csv", "html", "svg"};
    if (!name || !out) return PL_EINVAL;
    for (int i = 0; i < 5; i++)
        if (strcmp(name, names[i]) == 0) {
            *out = (pl_format)i;
            return PL_OK;
        }
    return PL_ENOTFOUND;
}

pl_status report_take(buf *b, char **out) {
    *out = buf_take(b);
    return *out ? PL_OK : PL_ENOMEM;
}

/* ------------------------------------------------------------------------
** An issue's scale
*/
void report_scale_text(buf *b, const pl_issue *is) {
    buf_printf(b, "%g = %s .. %g = %s%s%s%s", is->min, is->min_label, is->max, is->max_label,
               is->unit ? " (" : "", is->unit ? is->unit : "", is->unit ? ")" : "");
}

void report_scale_json(json_t *scale, const pl_issue *is, int *ok) {
    jout_num(scale, "min", is->min, ok);
    jout_num(scale, "max", is->max, ok);
    jout_str(scale, "min_label", is->min_label, ok);
    jout_str(scale, "max_label", is->max_label, ok);
}

/* ------------------------------------------------------------------------
** The what-if changes (pl_scenario_change)
*/
/* One change as a line of text, without newline: "set a.b.position: 30 -> 40". */
void report_change_line(buf *b, const pl_change *c) {
    if (strcmp(c->op, "drop") == 0) {
        buf_printf(b, "drop %s (%s) and its positions", c->actor, c->name ? c->name : c->actor);
        return;
    }
    if (strcmp(c->op, "add") == 0) {
        buf_printf(b, "add %s (%s), capability %.10g", c->actor, c->name ? c->name : c->actor,
                   c->to);
        return;
    }
    buf_printf(b, "%s %s.", c->op, c->actor);
    if (c->issue) buf_printf(b, "%s.", c->issue);
    buf_printf(b, "%s: ", c->what ? c->what : "");
    if (c->has_from) buf_printf(b, "%.10g", c->from);
    else buf_puts(b, "none");
    buf_puts(b, " -> ");
    if (c->has_to) buf_printf(b, "%.10g", c->to);
    else buf_puts(b, "none (no stake)");
    if (!c->has_from && c->what && strcmp(c->what, "salience") == 0)
        buf_puts(b, " (a new stake's salience until set)");
}

void report_changes_text(buf *b, const pl_scenario *s) {
    size_t n = pl_scenario_n_changes(s);
    if (!n) return;
    buf_printf(b, "Changes (%zu, applied in order to the scenario before the run):\n", n);
    for (size_t i = 0; i < n; i++) {
        buf_puts(b, "  ");
        report_change_line(b, pl_scenario_change(s, i));
        buf_putc(b, '\n');
    }
}

void report_changes_csv(buf *b, const pl_scenario *s) {
    for (size_t i = 0; i < pl_scenario_n_changes(s); i++) {
        buf_puts(b, "# change: ");
        report_change_line(b, pl_scenario_change(s, i));
        buf_putc(b, '\n');
    }
}

json_t *report_changes_json(const pl_scenario *s) {
    json_t *arr = json_array();
    int ok = arr != NULL;
    for (size_t i = 0; ok && i < pl_scenario_n_changes(s); i++) {
        const pl_change *c = pl_scenario_change(s, i);
        json_t *o = json_object();
        jout_push(arr, o, &ok);
        if (!ok) break;
        jout_set(o, "op", json_string(c->op), &ok);
        jout_set(o, "actor", json_string(c->actor), &ok);
        if (c->name) jout_set(o, "name", json_string(c->name), &ok);
        if (c->issue) jout_set(o, "issue", json_string(c->issue), &ok);
        if (c->what) {
            jout_set(o, "what", json_string(c->what), &ok);
            jout_set(o, "from", c->has_from ? json_real(c->from) : json_null(), &ok);
            jout_set(o, "to", c->has_to ? json_real(c->to) : json_null(), &ok);
        }
    }
    if (!ok) {
        json_decref(arr);
        return NULL;
    }
    return arr;
}

void report_no_agreement(buf *b, const pl_space *sp, const pl_negotiation *neg,
                         void (*put)(buf *, const char *)) {
    size_t step = pl_negotiation_step(neg);
    if (pl_negotiation_end_reason(neg) == PL_NEG_TIMEOUT) {
        buf_printf(b,
                   "the deadline passed after %zu round%s; every party has its reservation value.",
                   step, step == 1 ? "" : "s");
        return;
    }
    size_t p = pl_negotiation_ender(neg);
    put(b, pl_space_party(sp, p));
    buf_puts(b, " (");
    put(b, pl_negotiation_agent(neg, p));
    buf_printf(b,
               ") had nothing to offer and ended the negotiation in round %zu; every party has "
               "its reservation value.",
               step);
}
