/*
** report_scenario.c: a scenario shown whole (parley show): its sources,
** actors, issues and positions with their evidence; JSON is the scenario in
** its own file format.
*/
#include "core/buf.h"
#include "core/json_out.h"
#include "parley.h"
#include "report/report_int.h"

#include <jansson.h>

static void evidence_text(buf *b, const pl_evidence *ev, size_t n, const char *assumption,
                          const char *indent) {
    for (size_t k = 0; k < n; k++)
        buf_printf(b, "%s\"%s\" [%s]\n", indent, ev[k].quote, ev[k].source);
    if (assumption) buf_printf(b, "%sassumption: %s\n", indent, assumption);
    if (!n && !assumption) buf_printf(b, "%s(no evidence, no assumption)\n", indent);
}

static void spread_text(buf *b, const char *what, const pl_spread *sp) {
    if (sp->kind == PL_SPREAD_SD) buf_printf(b, "  %s sd %g", what, sp->sd);
    else if (sp->kind == PL_SPREAD_RANGE) buf_printf(b, "  %s range %g..%g", what, sp->lo, sp->hi);
}

static void scenario_text(buf *b, const pl_scenario *s) {
    const char *date = pl_scenario_date(s);
    buf_printf(b, "%s (%s%s%s)\n", pl_scenario_name(s), pl_scenario_id(s), date ? ", " : "",
               date ? date : "");
    if (pl_scenario_description(s)) buf_printf(b, "%s\n", pl_scenario_description(s));
    for (size_t i = 0; i < pl_scenario_n_sources(s); i++) {
        const pl_source *src = pl_scenario_source(s, i);
        buf_printf(b, "source [%s]: %s", src->id, src->title);
        if (src->publisher) buf_printf(b, ", %s", src->publisher);
        if (src->date) buf_printf(b, ", %s", src->date);
        if (src->url) buf_printf(b, ", %s", src->url);
        if (src->file) buf_printf(b, " (file %s)", src->file);
        buf_putc(b, '\n');
    }
    for (size_t i = 0; i < pl_scenario_n_notes(s); i++)
        buf_printf(b, "note: %s\n", pl_scenario_note(s, i));
    const pl_uncertainty *un = pl_scenario_uncertainty(s);
    if (un->given)
        buf_printf(b,
                   "uncertainty: position sd %g of the scale, salience sd %g, capability sd %g of "
                   "its value (where a value has no spread of its own)\n",
                   un->position_sd_share, un->salience_sd, un->capability_sd_share);

    buf_printf(b, "\nActors (%zu)\n", pl_scenario_n_actors(s));
    buf_puts(b, "  ");
    buf_cell(b, "id", 12);
    buf_cell(b, "name", 26);
    buf_puts(b, "capability  group\n");
    for (size_t a = 0; a < pl_scenario_n_actors(s); a++) {
        const pl_actor *ac = pl_scenario_actor(s, a);
        buf_puts(b, "  ");
        buf_cell(b, ac->id, 12);
        buf_cell(b, ac->name, 26);
        buf_printf(b, "%10g  %s", ac->capability, ac->group ? ac->group : "-");
        if (ac->role) buf_printf(b, "  role %s", ac->role);
        if (ac->has_reservation) buf_printf(b, "  reservation %g", ac->reservation);
        spread_text(b, "capability", &ac->capability_spread);
        buf_putc(b, '\n');
        evidence_text(b, ac->evidence, ac->n_evidence, ac->assumption, "      ");
    }

    buf_printf(b, "\nIssues (%zu)\n", pl_scenario_n_issues(s));
    for (size_t i = 0; i < pl_scenario_n_issues(s); i++) {
        const pl_issue *is = pl_scenario_issue(s, i);
        buf_printf(b, "\n  %s: %s\n", is->id, is->name);
        if (is->description) buf_printf(b, "    %s\n", is->description);
        buf_puts(b, "    scale ");
        report_scale_text(b, is);
        buf_putc(b, '\n');
        if (is->has_status_quo) buf_printf(b, "    status quo %g\n", is->status_quo);
        if (is->decision_rule)
            buf_printf(b, "    decided by %s\n",
                       pl_decision_rule_name((pl_decision_rule)is->decision_rule));
        if (is->procedure) buf_printf(b, "    procedure %s\n", is->procedure);
        if (is->has_outcome) buf_printf(b, "    outcome %g\n", is->outcome);
        for (size_t k = 0; k < is->n_options; k++)
            buf_printf(b, "    option %g: %s\n", is->options[k].value, is->options[k].label);
        if (is->n_evidence || is->assumption)
            evidence_text(b, is->evidence, is->n_evidence, is->assumption, "    ");
        buf_puts(b, "    positions:\n");
        for (size_t a = 0; a < pl_scenario_n_actors(s); a++) {
            const pl_position *p = pl_scenario_stake(s, a, i);
            if (!p) continue;
            buf_puts(b, "      ");
            buf_cell(b, pl_scenario_actor(s, a)->name, 24);
            buf_printf(b, " position %6g  salience %3g", p->position, p->salience);
            spread_text(b, "position", &p->position_spread);
            spread_text(b, "salience", &p->salience_spread);
            buf_putc(b, '\n');
            evidence_text(b, p->evidence, p->n_evidence, p->assumption, "          ");
        }
    }
}

static void scenario_csv(buf *b, const pl_scenario *s) {
    buf_puts(b, "issue,actor,position,salience,capability,evidence,assumption\n");
    for (size_t i = 0; i < pl_scenario_n_issues(s); i++)
        for (size_t a = 0; a < pl_scenario_n_actors(s); a++) {
            const pl_position *p = pl_scenario_stake(s, a, i);
            if (!p) continue;
            buf_csv(b, pl_scenario_issue(s, i)->id);
            buf_putc(b, ',');
            buf_csv(b, pl_scenario_actor(s, a)->id);
            buf_printf(b, ",%.10g,%.10g,%.10g,", p->position, p->salience,
                       pl_scenario_actor(s, a)->capability);
            for (size_t k = 0; k < p->n_evidence; k++) {
                if (k) buf_puts(b, " | ");
                buf_csv(b, p->evidence[k].quote);
            }
            buf_putc(b, ',');
            buf_csv(b, p->assumption);
            buf_putc(b, '\n');
        }
}

static json_t *evidence_json(const pl_evidence *ev, size_t n, int *ok) {
    json_t *arr = json_array();
    for (size_t k = 0; k < n; k++) {
        json_t *e = json_object();
        jout_str(e, "quote", ev[k].quote, ok);
        jout_str(e, "source", ev[k].source, ok);
        jout_push(arr, e, ok);
    }
    return arr;
}

static void spread_json(json_t *o, const char *key, const pl_spread *sp, int *ok) {
    if (sp->kind == PL_SPREAD_NONE) return;
    json_t *v = json_object();
    if (sp->kind == PL_SPREAD_SD) {
        jout_num(v, "sd", sp->sd, ok);
    } else {
        json_t *r = json_array();
        jout_push(r, json_real(sp->lo), ok);
        jout_push(r, json_real(sp->hi), ok);
        jout_set(v, "range", r, ok);
    }
    jout_set(o, key, v, ok);
}

static void justify(json_t *o, const pl_evidence *ev, size_t n, const char *assumption, int *ok) {
    if (n) jout_set(o, "evidence", evidence_json(ev, n, ok), ok);
    jout_str(o, "assumption", assumption, ok);
}

/* The sources the evidence cites. */
static json_t *sources_json(const pl_scenario *s, int *ok) {
    json_t *arr = json_array();
    for (size_t i = 0; i < pl_scenario_n_sources(s); i++) {
        const pl_source *src = pl_scenario_source(s, i);
        json_t *o = json_object();
        jout_str(o, "id", src->id, ok);
        jout_str(o, "title", src->title, ok);
        jout_str(o, "publisher", src->publisher, ok);
        jout_str(o, "date", src->date, ok);
        jout_str(o, "url", src->url, ok);
        jout_str(o, "file", src->file, ok);
        jout_push(arr, o, ok);
    }
    return arr;
}

static json_t *actor_json(const pl_actor *ac, int *ok) {
    json_t *o = json_object();
    jout_str(o, "id", ac->id, ok);
    jout_str(o, "name", ac->name, ok);
    jout_num(o, "capability", ac->capability, ok);
    jout_str(o, "group", ac->group, ok);
    jout_str(o, "role", ac->role, ok);
    spread_json(o, "capability_spread", &ac->capability_spread, ok);
    if (ac->has_reservation) jout_num(o, "reservation", ac->reservation, ok);
    jout_str(o, "description", ac->description, ok);
    justify(o, ac->evidence, ac->n_evidence, ac->assumption, ok);
    return o;
}

static json_t *issue_json(const pl_issue *is, int *ok) {
    json_t *o = json_object(), *scale = json_object();
    jout_str(o, "id", is->id, ok);
    jout_str(o, "name", is->name, ok);
    jout_str(o, "description", is->description, ok);
    report_scale_json(scale, is, ok);
    jout_set(o, "scale", scale, ok);
    jout_str(o, "unit", is->unit, ok);
    if (is->has_status_quo) jout_num(o, "status_quo", is->status_quo, ok);
    jout_str(o, "decision_rule", pl_decision_rule_name((pl_decision_rule)is->decision_rule), ok);
    jout_str(o, "procedure", is->procedure, ok);
    jout_str(o, "group", is->group, ok);
    if (is->has_outcome) jout_num(o, "outcome", is->outcome, ok);
    if (is->n_options) {
        json_t *opts = json_array();
        for (size_t k = 0; k < is->n_options; k++) {
            json_t *opt = json_object();
            jout_num(opt, "value", is->options[k].value, ok);
            jout_str(opt, "label", is->options[k].label, ok);
            jout_push(opts, opt, ok);
        }
        jout_set(o, "options", opts, ok);
    }
    justify(o, is->evidence, is->n_evidence, is->assumption, ok);
    return o;
}

static json_t *position_json(const pl_scenario *s, const pl_position *p, int *ok) {
    json_t *o = json_object();
    jout_str(o, "actor", pl_scenario_actor(s, p->actor)->id, ok);
    jout_str(o, "issue", pl_scenario_issue(s, p->issue)->id, ok);
    jout_num(o, "position", p->position, ok);
    jout_num(o, "salience", p->salience, ok);
    spread_json(o, "position_spread", &p->position_spread, ok);
    spread_json(o, "salience_spread", &p->salience_spread, ok);
    justify(o, p->evidence, p->n_evidence, p->assumption, ok);
    return o;
}

static json_t *scenario_json(const pl_scenario *s, int *ok) {
    json_t *root = json_object();
    jout_set(root, "parley", json_integer(1), ok);
    jout_str(root, "id", pl_scenario_id(s), ok);
    jout_str(root, "name", pl_scenario_name(s), ok);
    jout_str(root, "description", pl_scenario_description(s), ok);
    jout_str(root, "date", pl_scenario_date(s), ok);
    if (pl_scenario_n_sources(s)) jout_set(root, "sources", sources_json(s, ok), ok);
    const pl_uncertainty *un = pl_scenario_uncertainty(s);
    if (un->given) {
        json_t *u = json_object();
        jout_num(u, "position_sd_share", un->position_sd_share, ok);
        jout_num(u, "salience_sd", un->salience_sd, ok);
        jout_num(u, "capability_sd_share", un->capability_sd_share, ok);
        jout_set(root, "uncertainty", u, ok);
    }
    if (pl_scenario_n_notes(s)) {
        json_t *arr = json_array();
        for (size_t i = 0; i < pl_scenario_n_notes(s); i++)
            jout_push(arr, json_string(pl_scenario_note(s, i)), ok);
        jout_set(root, "notes", arr, ok);
    }
    json_t *actors = json_array();
    for (size_t a = 0; a < pl_scenario_n_actors(s); a++)
        jout_push(actors, actor_json(pl_scenario_actor(s, a), ok), ok);
    jout_set(root, "actors", actors, ok);
    json_t *issues = json_array();
    for (size_t i = 0; i < pl_scenario_n_issues(s); i++)
        jout_push(issues, issue_json(pl_scenario_issue(s, i), ok), ok);
    jout_set(root, "issues", issues, ok);
    json_t *positions = json_array();
    for (size_t k = 0; k < pl_scenario_n_positions(s); k++)
        jout_push(positions, position_json(s, pl_scenario_position(s, k), ok), ok);
    jout_set(root, "positions", positions, ok);
    return root;
}

pl_status pl_report_scenario(const pl_scenario *s, pl_format format, char **out) {
    if (!s || !out) return PL_EINVAL;
    *out = NULL;
    if ((unsigned)format > PL_FORMAT_CSV) return PL_EINVAL; /* HTML, SVG: parley/report.h */
    if (format == PL_FORMAT_JSON) {
        int ok = 1;
        json_t *root = scenario_json(s, &ok);
        return json_out(root, ok, 12, out);
    }
    buf b = {0};
    if (format == PL_FORMAT_CSV) scenario_csv(&b, s);
    else scenario_text(&b, s);
    return report_take(&b, out);
}
