/*
** report.c: the text, JSON and CSV forms of everything the tool prints.
** Built in memory (buf.c, jansson) and handed over whole.
*/
#include "core/alloc.h"
#include "core/buf.h"
#include "core/json_out.h"
#include "parley.h"

#include <jansson.h>
#include <math.h>
#include <string.h>

pl_status pl_format_from_name(const char *name, pl_format *out) {
    static const char *const names[] = {"text", "json", "csv"};
    if (!name || !out) return PL_EINVAL;
    for (int i = 0; i < 3; i++)
        if (strcmp(name, names[i]) == 0) {
            *out = (pl_format)i;
            return PL_OK;
        }
    return PL_ENOTFOUND;
}

static pl_status finish(buf *b, char **out) {
    *out = buf_take(b);
    return *out ? PL_OK : PL_ENOMEM;
}

/* jansson -> string through our allocator. */
static pl_status finish_json(json_t *root, int ok, char **out) {
    return json_out(root, ok, 12, out);
}

static void jstr(json_t *obj, const char *key, const char *s, int *ok) {
    if (s) jout_set(obj, key, json_string(s), ok);
}
static void jnum(json_t *obj, const char *key, double x, int *ok) {
    jout_set(obj, key, json_real(x), ok);
}

static const char *actor_name(const pl_scenario *s, size_t a) {
    return pl_scenario_actor(s, a)->name;
}

/* The option nearest a value, or NULL when the issue has none. */
static const pl_option *nearest_option(const pl_issue *is, double x) {
    const pl_option *best = NULL;
    for (size_t k = 0; k < is->n_options; k++)
        if (!best || fabs(is->options[k].value - x) < fabs(best->value - x))
            best = &is->options[k];
    return best;
}

/* ------------------------------------------------------------------------
** Forecast
*/
static void forecast_text(buf *b, const pl_scenario *s, const pl_forecast *f) {
    const char *date = pl_scenario_date(s);
    buf_printf(b, "%s (%s%s%s)\n", pl_scenario_name(s), pl_scenario_id(s),
               date ? ", " : "", date ? date : "");
    buf_printf(b, "%zu actors, %zu issues, %zu positions\n\n",
               pl_scenario_n_actors(s), pl_scenario_n_issues(s),
               pl_scenario_n_positions(s));
    buf_cell(b, "Issue", 32);
    buf_puts(b, "  Status quo  Compromise  Median    Nash     EUM  Sticky     SMP  Positions (sd)"
                "       Closest to compromise\n");
    int any_blocked = 0;
    for (size_t i = 0; i < pl_forecast_n_issues(f); i++) {
        const pl_issue_forecast *fi = pl_forecast_issue(f, i);
        const pl_issue *is = pl_scenario_issue(s, fi->issue);
        char cell[64];
        buf_cell(b, is->name, 32);
        if (is->has_status_quo) buf_printf(b, "  %10.1f", is->status_quo);
        else buf_printf(b, "  %10s", "-");
        buf_printf(b, "  %10.1f  %6.1f  %6.1f%s %6.1f  %6.1f ", fi->value[PL_MODEL_COMPROMISE],
                   fi->value[PL_MODEL_MEDIAN], fi->value[PL_MODEL_NASH],
                   fi->nash_blocked ? "*" : " ", fi->value[PL_MODEL_EUM],
                   fi->value[PL_MODEL_STICKY]);
        any_blocked |= fi->nash_blocked;
        if (fi->has_smp) buf_printf(b, "%6.1f ", fi->smp_mode);
        else buf_printf(b, "%6s ", "-");
        snprintf(cell, sizeof cell, "%.1f-%.1f (%.1f)", fi->min_position,
                 fi->max_position, fi->sd_position);
        buf_printf(b, " ");
        buf_cell(b, cell, 21);
        for (size_t k = 0; k < fi->n_stakes && k < 2; k++)
            buf_printf(b, "%s%s", k ? ", " : "", actor_name(s, fi->closest[k]));
        buf_putc(b, '\n');
    }
    buf_puts(b, "\nScales, and what the forecasts mean on them:\n");
    for (size_t i = 0; i < pl_forecast_n_issues(f); i++) {
        const pl_issue_forecast *fi = pl_forecast_issue(f, i);
        const pl_issue *is = pl_scenario_issue(s, fi->issue);
        buf_printf(b, "  %s: %g = %s .. %g = %s%s%s%s\n", is->id, is->min,
                   is->min_label, is->max, is->max_label, is->unit ? " (" : "",
                   is->unit ? is->unit : "", is->unit ? ")" : "");
        if (is->n_options) {
            static const pl_model shown[] = {PL_MODEL_COMPROMISE, PL_MODEL_MEDIAN, PL_MODEL_NASH,
                                             PL_MODEL_EUM, PL_MODEL_STICKY};
            for (size_t k = 0; k < sizeof shown / sizeof shown[0]; k++) {
                const pl_option *o = nearest_option(is, fi->value[shown[k]]);
                buf_printf(b, "    %-10s %7.1f  nearest option: %s\n", pl_model_name(shown[k]),
                           fi->value[shown[k]], o->label);
            }
        }
        buf_printf(b, "    EUM: %zu round%s, stopped by %s", fi->eum_rounds,
                   fi->eum_rounds == 1 ? "" : "s", pl_eum_stop_name(fi->eum_stop));
        if (fi->eum_stop == PL_EUM_STOP_CYCLE)
            buf_printf(b, " (positions repeat every %zu rounds)", fi->eum_cycle_length);
        buf_printf(b, "; final weighted mean %.1f\n", fi->value[PL_MODEL_EUM_MEAN]);
        if (fi->has_smp)
            buf_printf(b, "    SMP (all issues at once): most probable %.1f, probability-weighted mean %.1f\n",
                       fi->smp_mode, fi->smp_mean);
        if (fi->nash_blocked) {
            buf_puts(b, "    * Nash: no move from the status quo suits every party");
            if (fi->n_blockers) {
                buf_puts(b, "; blocking a move toward the compromise:");
                for (size_t k = 0; k < fi->n_blockers; k++)
                    buf_printf(b, "%s %s", k ? "," : "", actor_name(s, fi->blockers[k]));
            }
            buf_putc(b, '\n');
        }
    }
    buf_puts(b, "\nModels:\n");
    for (int m = 0; m < PL_MODEL_COUNT; m++)
        if (m != PL_MODEL_EUM_MEAN)
            buf_printf(b, "  %-10s %s\n", pl_model_name((pl_model)m), pl_model_description((pl_model)m));
    buf_puts(b, "  SMP        spatial model of politics (KTAB), every issue at once: the most probable "
                "outcome\n");
    if (any_blocked)
        buf_puts(b, "* = the status quo: no point on the scale is better for every "
                    "party holding a position.\n");
}

static void forecast_csv(buf *b, const pl_scenario *s, const pl_forecast *f) {
    buf_puts(b, "issue,name,n_stakes,status_quo");
    for (int m = 0; m < PL_MODEL_COUNT; m++) buf_printf(b, ",%s", pl_model_name((pl_model)m));
    buf_puts(b, ",nash_blocked,eum_rounds,eum_stop,eum_cycle_length,smp_most_probable,smp_mean,"
                "min_position,max_position,sd_position,closest,blockers\n");
    for (size_t i = 0; i < pl_forecast_n_issues(f); i++) {
        const pl_issue_forecast *fi = pl_forecast_issue(f, i);
        const pl_issue *is = pl_scenario_issue(s, fi->issue);
        buf_csv(b, is->id);
        buf_putc(b, ',');
        buf_csv(b, is->name);
        buf_printf(b, ",%zu,", fi->n_stakes);
        if (is->has_status_quo) buf_printf(b, "%.10g", is->status_quo);
        for (int m = 0; m < PL_MODEL_COUNT; m++) buf_printf(b, ",%.10g", fi->value[m]);
        buf_printf(b, ",%d,%zu,%s,%zu,", fi->nash_blocked, fi->eum_rounds,
                   pl_eum_stop_name(fi->eum_stop), fi->eum_cycle_length);
        if (fi->has_smp) buf_printf(b, "%.10g,%.10g,", fi->smp_mode, fi->smp_mean);
        else buf_puts(b, ",,");
        buf_printf(b, "%.10g,%.10g,%.10g,", fi->min_position, fi->max_position, fi->sd_position);
        for (size_t k = 0; k < fi->n_stakes; k++)
            buf_printf(b, "%s%s", k ? " " : "", pl_scenario_actor(s, fi->closest[k])->id);
        buf_putc(b, ',');
        for (size_t k = 0; k < fi->n_blockers; k++)
            buf_printf(b, "%s%s", k ? " " : "", pl_scenario_actor(s, fi->blockers[k])->id);
        buf_putc(b, '\n');
    }
}

static json_t *forecast_json(const pl_scenario *s, const pl_forecast *f, int *ok) {
    json_t *root = json_object(), *sc = json_object(), *issues = json_array();
    json_t *models = json_array();
    jstr(sc, "id", pl_scenario_id(s), ok);
    jstr(sc, "name", pl_scenario_name(s), ok);
    jstr(sc, "date", pl_scenario_date(s), ok);
    jout_set(sc, "n_actors", json_integer((json_int_t)pl_scenario_n_actors(s)), ok);
    jout_set(sc, "n_issues", json_integer((json_int_t)pl_scenario_n_issues(s)), ok);
    jout_set(sc, "n_positions", json_integer((json_int_t)pl_scenario_n_positions(s)), ok);
    jout_set(root, "scenario", sc, ok);
    for (int m = 0; m < PL_MODEL_COUNT; m++)
        jout_push(models, json_string(pl_model_name((pl_model)m)), ok);
    jout_set(root, "models", models, ok);
    for (size_t i = 0; *ok && i < pl_forecast_n_issues(f); i++) {
        const pl_issue_forecast *fi = pl_forecast_issue(f, i);
        const pl_issue *is = pl_scenario_issue(s, fi->issue);
        json_t *o = json_object(), *scale = json_object(), *fc = json_object();
        json_t *spread = json_object(), *closest = json_array(), *blockers = json_array();
        jstr(o, "id", is->id, ok);
        jstr(o, "name", is->name, ok);
        jnum(scale, "min", is->min, ok);
        jnum(scale, "max", is->max, ok);
        jstr(scale, "min_label", is->min_label, ok);
        jstr(scale, "max_label", is->max_label, ok);
        jstr(scale, "unit", is->unit, ok);
        jout_set(o, "scale", scale, ok);
        jout_set(o, "status_quo", is->has_status_quo ? json_real(is->status_quo) : json_null(), ok);
        jout_set(o, "n_stakes", json_integer((json_int_t)fi->n_stakes), ok);
        for (int m = 0; m < PL_MODEL_COUNT; m++)
            jnum(fc, pl_model_name((pl_model)m), fi->value[m], ok);
        jout_set(o, "forecast", fc, ok);
        jout_set(o, "nash_blocked", json_boolean(fi->nash_blocked), ok);
        json_t *eum = json_object();
        jout_set(eum, "rounds", json_integer((json_int_t)fi->eum_rounds), ok);
        jstr(eum, "stop", pl_eum_stop_name(fi->eum_stop), ok);
        jout_set(eum, "cycle_length", json_integer((json_int_t)fi->eum_cycle_length), ok);
        jout_set(o, "eum", eum, ok);
        if (fi->has_smp) {
            json_t *smp = json_object();
            jnum(smp, "most_probable", fi->smp_mode, ok);
            jnum(smp, "mean", fi->smp_mean, ok);
            jout_set(o, "smp", smp, ok);
        }
        jnum(spread, "min", fi->min_position, ok);
        jnum(spread, "max", fi->max_position, ok);
        jnum(spread, "sd", fi->sd_position, ok);
        jout_set(o, "spread", spread, ok);
        for (size_t k = 0; k < fi->n_stakes; k++) {
            size_t a = fi->closest[k];
            const pl_position *p = pl_scenario_stake(s, a, fi->issue);
            json_t *c = json_object();
            jstr(c, "actor", pl_scenario_actor(s, a)->id, ok);
            jnum(c, "position", p->position, ok);
            jnum(c, "distance", fabs(p->position - fi->value[PL_MODEL_COMPROMISE]), ok);
            jout_push(closest, c, ok);
        }
        jout_set(o, "closest", closest, ok);
        for (size_t k = 0; k < fi->n_blockers; k++)
            jout_push(blockers, json_string(pl_scenario_actor(s, fi->blockers[k])->id), ok);
        jout_set(o, "blockers", blockers, ok);
        jout_push(issues, o, ok);
    }
    jout_set(root, "issues", issues, ok);
    return root;
}

pl_status pl_report_forecast(const pl_scenario *s, const pl_forecast *f,
                             pl_format format, char **out) {
    if (!s || !f || !out) return PL_EINVAL;
    *out = NULL;
    if (format == PL_FORMAT_JSON) {
        int ok = 1;
        json_t *root = forecast_json(s, f, &ok);
        return finish_json(root, ok, out);
    }
    buf b = {0};
    if (format == PL_FORMAT_CSV) forecast_csv(&b, s, f);
    else forecast_text(&b, s, f);
    return finish(&b, out);
}

/* ------------------------------------------------------------------------
** Scenario (show)
*/
static void evidence_text(buf *b, const pl_evidence *ev, size_t n,
                          const char *assumption, const char *indent) {
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
    buf_printf(b, "%s (%s%s%s)\n", pl_scenario_name(s), pl_scenario_id(s),
               date ? ", " : "", date ? date : "");
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
        buf_printf(b, "uncertainty: position sd %g of the scale, salience sd %g, capability sd %g of "
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
        buf_printf(b, "    scale %g = %s .. %g = %s%s%s%s\n", is->min, is->min_label,
                   is->max, is->max_label, is->unit ? " (" : "",
                   is->unit ? is->unit : "", is->unit ? ")" : "");
        if (is->has_status_quo) buf_printf(b, "    status quo %g\n", is->status_quo);
        if (is->decision_rule)
            buf_printf(b, "    decided by %s\n", pl_decision_rule_name((pl_decision_rule)is->decision_rule));
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
        jstr(e, "quote", ev[k].quote, ok);
        jstr(e, "source", ev[k].source, ok);
        jout_push(arr, e, ok);
    }
    return arr;
}

static void spread_json(json_t *o, const char *key, const pl_spread *sp, int *ok) {
    if (sp->kind == PL_SPREAD_NONE) return;
    json_t *v = json_object();
    if (sp->kind == PL_SPREAD_SD) {
        jnum(v, "sd", sp->sd, ok);
    } else {
        json_t *r = json_array();
        jout_push(r, json_real(sp->lo), ok);
        jout_push(r, json_real(sp->hi), ok);
        jout_set(v, "range", r, ok);
    }
    jout_set(o, key, v, ok);
}

static void justify(json_t *o, const pl_evidence *ev, size_t n,
                    const char *assumption, int *ok) {
    if (n) jout_set(o, "evidence", evidence_json(ev, n, ok), ok);
    jstr(o, "assumption", assumption, ok);
}

static json_t *scenario_json(const pl_scenario *s, int *ok) {
    json_t *root = json_object();
    jout_set(root, "parley", json_integer(1), ok);
    jstr(root, "id", pl_scenario_id(s), ok);
    jstr(root, "name", pl_scenario_name(s), ok);
    jstr(root, "description", pl_scenario_description(s), ok);
    jstr(root, "date", pl_scenario_date(s), ok);
    if (pl_scenario_n_sources(s)) {
        json_t *arr = json_array();
        for (size_t i = 0; i < pl_scenario_n_sources(s); i++) {
            const pl_source *src = pl_scenario_source(s, i);
            json_t *o = json_object();
            jstr(o, "id", src->id, ok);
            jstr(o, "title", src->title, ok);
            jstr(o, "publisher", src->publisher, ok);
            jstr(o, "date", src->date, ok);
            jstr(o, "url", src->url, ok);
            jstr(o, "file", src->file, ok);
            jout_push(arr, o, ok);
        }
        jout_set(root, "sources", arr, ok);
    }
    const pl_uncertainty *un = pl_scenario_uncertainty(s);
    if (un->given) {
        json_t *u = json_object();
        jnum(u, "position_sd_share", un->position_sd_share, ok);
        jnum(u, "salience_sd", un->salience_sd, ok);
        jnum(u, "capability_sd_share", un->capability_sd_share, ok);
        jout_set(root, "uncertainty", u, ok);
    }
    if (pl_scenario_n_notes(s)) {
        json_t *arr = json_array();
        for (size_t i = 0; i < pl_scenario_n_notes(s); i++)
            jout_push(arr, json_string(pl_scenario_note(s, i)), ok);
        jout_set(root, "notes", arr, ok);
    }
    json_t *actors = json_array();
    for (size_t a = 0; a < pl_scenario_n_actors(s); a++) {
        const pl_actor *ac = pl_scenario_actor(s, a);
        json_t *o = json_object();
        jstr(o, "id", ac->id, ok);
        jstr(o, "name", ac->name, ok);
        jnum(o, "capability", ac->capability, ok);
        jstr(o, "group", ac->group, ok);
        jstr(o, "role", ac->role, ok);
        spread_json(o, "capability_spread", &ac->capability_spread, ok);
        if (ac->has_reservation) jnum(o, "reservation", ac->reservation, ok);
        jstr(o, "description", ac->description, ok);
        justify(o, ac->evidence, ac->n_evidence, ac->assumption, ok);
        jout_push(actors, o, ok);
    }
    jout_set(root, "actors", actors, ok);
    json_t *issues = json_array();
    for (size_t i = 0; i < pl_scenario_n_issues(s); i++) {
        const pl_issue *is = pl_scenario_issue(s, i);
        json_t *o = json_object(), *scale = json_object();
        jstr(o, "id", is->id, ok);
        jstr(o, "name", is->name, ok);
        jstr(o, "description", is->description, ok);
        jnum(scale, "min", is->min, ok);
        jnum(scale, "max", is->max, ok);
        jstr(scale, "min_label", is->min_label, ok);
        jstr(scale, "max_label", is->max_label, ok);
        jout_set(o, "scale", scale, ok);
        jstr(o, "unit", is->unit, ok);
        if (is->has_status_quo) jnum(o, "status_quo", is->status_quo, ok);
        jstr(o, "decision_rule", pl_decision_rule_name((pl_decision_rule)is->decision_rule), ok);
        jstr(o, "procedure", is->procedure, ok);
        jstr(o, "group", is->group, ok);
        if (is->has_outcome) jnum(o, "outcome", is->outcome, ok);
        if (is->n_options) {
            json_t *opts = json_array();
            for (size_t k = 0; k < is->n_options; k++) {
                json_t *opt = json_object();
                jnum(opt, "value", is->options[k].value, ok);
                jstr(opt, "label", is->options[k].label, ok);
                jout_push(opts, opt, ok);
            }
            jout_set(o, "options", opts, ok);
        }
        justify(o, is->evidence, is->n_evidence, is->assumption, ok);
        jout_push(issues, o, ok);
    }
    jout_set(root, "issues", issues, ok);
    json_t *positions = json_array();
    for (size_t k = 0; k < pl_scenario_n_positions(s); k++) {
        const pl_position *p = pl_scenario_position(s, k);
        json_t *o = json_object();
        jstr(o, "actor", pl_scenario_actor(s, p->actor)->id, ok);
        jstr(o, "issue", pl_scenario_issue(s, p->issue)->id, ok);
        jnum(o, "position", p->position, ok);
        jnum(o, "salience", p->salience, ok);
        spread_json(o, "position_spread", &p->position_spread, ok);
        spread_json(o, "salience_spread", &p->salience_spread, ok);
        justify(o, p->evidence, p->n_evidence, p->assumption, ok);
        jout_push(positions, o, ok);
    }
    jout_set(root, "positions", positions, ok);
    return root;
}

pl_status pl_report_scenario(const pl_scenario *s, pl_format format, char **out) {
    if (!s || !out) return PL_EINVAL;
    *out = NULL;
    if (format == PL_FORMAT_JSON) {
        int ok = 1;
        json_t *root = scenario_json(s, &ok);
        return finish_json(root, ok, out);
    }
    buf b = {0};
    if (format == PL_FORMAT_CSV) scenario_csv(&b, s);
    else scenario_text(&b, s);
    return finish(&b, out);
}

/* ------------------------------------------------------------------------
** Validation and built-ins
*/
static const char *severity_name(pl_severity sev) {
    return sev == PL_SEV_ERROR ? "error" : "warning";
}

/* One file's validation report as a JSON object. */
static json_t *validation_json(const char *file, const pl_scenario *s, const pl_diags *diags,
                               int *ok) {
    size_t n = pl_diags_count(diags);
    json_t *root = json_object(), *arr = json_array();
    jstr(root, "file", file, ok);
    jout_set(root, "valid", json_boolean(s != NULL), ok);
    jout_set(root, "errors", json_integer((json_int_t)pl_diags_errors(diags)), ok);
    jout_set(root, "warnings", json_integer((json_int_t)pl_diags_warnings(diags)), ok);
    if (s) {
        jstr(root, "id", pl_scenario_id(s), ok);
        jout_set(root, "n_actors", json_integer((json_int_t)pl_scenario_n_actors(s)), ok);
        jout_set(root, "n_issues", json_integer((json_int_t)pl_scenario_n_issues(s)), ok);
        jout_set(root, "n_positions", json_integer((json_int_t)pl_scenario_n_positions(s)), ok);
    }
    for (size_t i = 0; i < n; i++) {
        const pl_diag *d = pl_diags_get(diags, i);
        json_t *o = json_object();
        jstr(o, "severity", severity_name(d->severity), ok);
        jstr(o, "file", d->file, ok);
        jout_set(o, "line", json_integer(d->line), ok);
        jout_set(o, "column", json_integer(d->column), ok);
        jstr(o, "message", d->message, ok);
        jout_push(arr, o, ok);
    }
    jout_set(root, "diagnostics", arr, ok);
    return root;
}

/* One file's text line, or its CSV rows (without the header). */
static void validation_rows(buf *b, const char *file, const pl_scenario *s,
                            const pl_diags *diags, pl_format format) {
    size_t n = pl_diags_count(diags);
    if (format == PL_FORMAT_CSV) {
        for (size_t i = 0; i < n; i++) {
            const pl_diag *d = pl_diags_get(diags, i);
            buf_printf(b, "%s,", severity_name(d->severity));
            buf_csv(b, d->file);
            buf_printf(b, ",%d,%d,", d->line, d->column);
            buf_csv(b, d->message);
            buf_putc(b, '\n');
        }
    } else if (s) {
        buf_printf(b, "%s: valid scenario \"%s\": %zu actors, %zu issues, %zu positions, "
                      "%zu warning%s\n",
                   file, pl_scenario_id(s), pl_scenario_n_actors(s),
                   pl_scenario_n_issues(s), pl_scenario_n_positions(s),
                   pl_diags_warnings(diags), pl_diags_warnings(diags) == 1 ? "" : "s");
    } else {
        buf_printf(b, "%s: invalid: %zu error%s, %zu warning%s\n", file,
                   pl_diags_errors(diags), pl_diags_errors(diags) == 1 ? "" : "s",
                   pl_diags_warnings(diags), pl_diags_warnings(diags) == 1 ? "" : "s");
    }
}

pl_status pl_report_validation(const char *file, const pl_scenario *s,
                               const pl_diags *diags, pl_format format,
                               char **out) {
    return pl_report_validations(1, &file, &s, &diags, format, out);
}

pl_status pl_report_validations(size_t n, const char *const *files,
                                const pl_scenario *const *scenarios,
                                const pl_diags *const *diags, pl_format format,
                                char **out) {
    if (!out) return PL_EINVAL;
    *out = NULL;
    if (n == 0 || !files || !scenarios || !diags) return PL_EINVAL;
    for (size_t k = 0; k < n; k++)
        if (!files[k]) return PL_EINVAL;
    if (format == PL_FORMAT_JSON) {
        int ok = 1;
        if (n == 1) {
            /* ok is read after the tree is built (argument order is unspecified) */
            json_t *one = validation_json(files[0], scenarios[0], diags[0], &ok);
            return finish_json(one, ok, out);
        }
        json_t *root = json_object(), *arr = json_array();
        size_t errors = 0, warnings = 0, valid = 1;
        for (size_t k = 0; k < n; k++) {
            errors += pl_diags_errors(diags[k]);
            warnings += pl_diags_warnings(diags[k]);
            if (!scenarios[k]) valid = 0;
            jout_push(arr, validation_json(files[k], scenarios[k], diags[k], &ok), &ok);
        }
        jout_set(root, "valid", json_boolean(valid), &ok);
        jout_set(root, "errors", json_integer((json_int_t)errors), &ok);
        jout_set(root, "warnings", json_integer((json_int_t)warnings), &ok);
        jout_set(root, "files", arr, &ok);
        return finish_json(root, ok, out);
    }
    buf b = {0};
    if (format == PL_FORMAT_CSV) buf_puts(&b, "severity,file,line,column,message\n");
    for (size_t k = 0; k < n; k++) validation_rows(&b, files[k], scenarios[k], diags[k], format);
    return finish(&b, out);
}

pl_status pl_report_builtins(pl_format format, char **out) {
    if (!out) return PL_EINVAL;
    *out = NULL;
    size_t n = pl_builtin_count();
    if (format == PL_FORMAT_JSON) {
        int ok = 1;
        json_t *arr = json_array();
        for (size_t i = 0; i < n; i++) {
            json_t *o = json_object();
            jstr(o, "id", pl_builtin_id(i), &ok);
            jstr(o, "name", pl_builtin_title(i), &ok);
            jout_push(arr, o, &ok);
        }
        return finish_json(arr, ok, out);
    }
    buf b = {0};
    if (format == PL_FORMAT_CSV) buf_puts(&b, "id,name\n");
    for (size_t i = 0; i < n; i++) {
        if (format == PL_FORMAT_CSV) {
            buf_csv(&b, pl_builtin_id(i));
            buf_putc(&b, ',');
            buf_csv(&b, pl_builtin_title(i));
            buf_putc(&b, '\n');
        } else {
            buf_cell(&b, pl_builtin_id(i), 18);
            buf_printf(&b, "  %s\n", pl_builtin_title(i));
        }
    }
    return finish(&b, out);
}
