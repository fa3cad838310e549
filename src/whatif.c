/*
** whatif.c: what-if changes to a scenario, as typed on a command line, and
** the side-by-side report of a forecast before and after.
*/
#include "alloc.h"
#include "buf.h"
#include "json_out.h"
#include "diag.h"
#include "parley.h"
#include "scenario_int.h"
#include "text.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

pl_status pl_scenario_remove_actor(pl_scenario *s, size_t actor) {
    if (!s || actor >= s->n_actors) return PL_EINVAL;
    size_t k = 0;
    for (size_t i = 0; i < s->n_positions; i++) {
        if (s->positions[i].actor == actor) continue;
        s->positions[k] = s->positions[i];
        if (s->positions[k].actor > actor) s->positions[k].actor--;
        k++;
    }
    s->n_positions = k;
    memmove(&s->actors[actor], &s->actors[actor + 1], (s->n_actors - actor - 1) * sizeof(pl_actor));
    s->n_actors--;
    scen_index_reset(s);
    return PL_OK;
}

static pl_status fail(pl_diags *diags, const char *what, int column, const char *fmt, const char *a,
                      const char *b) {
    if (diag_add(diags, PL_SEV_ERROR, what, 1, column, fmt, a, b) != PL_OK) return PL_ENOMEM;
    return PL_EINPUT;
}

static int parse_value(const char *v, double *out) {
    char *end;
    errno = 0;
    double x = strtod(v, &end);
    if (end == v || *end || errno == ERANGE || !isfinite(x)) return 0;
    *out = x;
    return 1;
}

pl_status pl_whatif_set(pl_scenario *s, const char *spec, const char *what, pl_diags *diags) {
    if (!s || !spec) return PL_EINVAL;
    if (!what) what = "--set";
    char text[256];
    if (strlen(spec) >= sizeof text)
        return fail(diags, what, 1, "expected ACTOR.ISSUE.position=VALUE and the like, found %s%s",
                    "a too long text", "");
    strcpy(text, spec);
    char *eq = strchr(text, '=');
    if (!eq)
        return fail(diags, what, 1,
                    "expected ACTOR.ISSUE.position=X, ACTOR.ISSUE.salience=X, ACTOR.capability=X "
                    "or ACTOR.ISSUE=none, found \"%s\"%s", spec, "");
    *eq = 0;
    const char *value = eq + 1;
    int vcol = (int)(value - text) + 1;
    char *parts[4];
    int n = 0;
    for (char *p = text; n < 4;) {
        parts[n++] = p;
        char *dot = strchr(p, '.');
        if (!dot) break;
        *dot = 0;
        p = dot + 1;
    }
    size_t a;
    if (pl_scenario_find_actor(s, parts[0], &a) != PL_OK)
        return fail(diags, what, 1, "expected an actor id of the scenario, found \"%s\"%s", parts[0], "");
    if (n == 2 && strcmp(parts[1], "capability") == 0) {
        double x;
        if (!parse_value(value, &x) || !(x > 0 && x <= PL_MAX_CAPABILITY))
            return fail(diags, what, vcol, "expected a capability greater than 0 and at most 1e12, found \"%s\"%s",
                        value, "");
        return pl_scenario_set_capability(s, a, x);
    }
    size_t i;
    if (n < 2 || pl_scenario_find_issue(s, parts[1], &i) != PL_OK)
        return fail(diags, what, (int)(parts[n < 2 ? 0 : 1] - text) + 1,
                    "expected an issue id of the scenario (or \"capability\") after \"%s.\", found \"%s\"",
                    parts[0], n < 2 ? "" : parts[1]);
    const pl_issue *is = pl_scenario_issue(s, i);
    if (n == 2) {
        if (strcmp(value, "none") != 0)
            return fail(diags, what, vcol, "expected \"none\" (no stake) after %s=, found \"%s\"", spec, value);
        pl_status rc = pl_scenario_clear_position(s, a, i);
        return rc == PL_ENOTFOUND ? PL_OK : rc;
    }
    if (n != 3 || (strcmp(parts[2], "position") != 0 && strcmp(parts[2], "salience") != 0))
        return fail(diags, what, (int)(parts[n > 2 ? 2 : 0] - text) + 1,
                    "expected \"position\" or \"salience\", found \"%s\"%s", n > 2 ? parts[2] : "", "");
    double x;
    if (!parse_value(value, &x))
        return fail(diags, what, vcol, "expected a number, found \"%s\"%s", value, "");
    const pl_position *p = pl_scenario_stake(s, a, i);
    int is_pos = parts[2][0] == 'p';
    if (is_pos && (x < is->min || x > is->max)) {
        char range[64];
        snprintf(range, sizeof range, "[%g, %g]", is->min, is->max);
        return fail(diags, what, vcol, "expected a position on the scale %s, found \"%s\"", range, value);
    }
    if (!is_pos && (x < 0 || x > 100))
        return fail(diags, what, vcol, "expected a salience from 0 to 100, found \"%s\"%s", value, "");
    if (!p && !is_pos)
        return fail(diags, what, 1, "expected a position of %s on this issue before its salience (set "
                    "ACTOR.ISSUE.position first), found none%s", parts[0], "");
    /* a new stake gets salience 50 until set */
    return pl_scenario_set_position(s, a, i, is_pos ? x : p->position,
                                    is_pos ? (p ? p->salience : 50) : x);
}

pl_status pl_whatif_drop(pl_scenario *s, const char *actor, const char *what, pl_diags *diags) {
    if (!s || !actor) return PL_EINVAL;
    size_t a;
    if (pl_scenario_find_actor(s, actor, &a) != PL_OK)
        return fail(diags, what ? what : "--drop", 1, "expected an actor id of the scenario, found \"%s\"%s",
                    actor, "");
    return pl_scenario_remove_actor(s, a);
}

pl_status pl_whatif_add(pl_scenario *s, const char *spec, const char *what, pl_diags *diags) {
    if (!s || !spec) return PL_EINVAL;
    if (!what) what = "--add";
    char text[256];
    if (strlen(spec) >= sizeof text) return fail(diags, what, 1, "expected ID:NAME:CAPABILITY, found %s%s", "a too long text", "");
    strcpy(text, spec);
    char *c1 = strchr(text, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
    if (!c2) return fail(diags, what, 1, "expected ID:NAME:CAPABILITY, found \"%s\"%s", spec, "");
    *c1 = *c2 = 0;
    double cap;
    if (!parse_value(c2 + 1, &cap) || !(cap > 0 && cap <= PL_MAX_CAPABILITY))
        return fail(diags, what, (int)(c2 - text) + 2,
                    "expected a capability greater than 0 and at most 1e12, found \"%s\"%s", c2 + 1, "");
    size_t name_len = strlen(c1 + 1), name_ok = text_utf8_prefix(c1 + 1, name_len);
    if (name_ok < name_len) {
        char byte[8];
        snprintf(byte, sizeof byte, "0x%02X", (unsigned)(unsigned char)c1[1 + name_ok]);
        return fail(diags, what, (int)(c1 - text) + 2 + (int)name_ok,
                    "expected UTF-8 text in the name, found byte %s%s", byte, "");
    }
    pl_status rc = pl_scenario_add_actor(s, text, c1[1] ? c1 + 1 : text, cap, NULL);
    if (rc == PL_EINPUT) return fail(diags, what, 1, "expected a new actor id, found \"%s\", which exists%s", text, "");
    if (rc == PL_EINVAL) return fail(diags, what, 1, "expected an id (letters, digits, '_', '-'), found \"%s\"%s", text, "");
    return rc;
}

/* ------------------------------------------------------------------------
** Side by side
*/
static const pl_issue_forecast *find(const pl_scenario *s, const pl_forecast *f, const char *id) {
    for (size_t i = 0; i < pl_forecast_n_issues(f); i++) {
        const pl_issue_forecast *fi = pl_forecast_issue(f, i);
        if (strcmp(pl_scenario_issue(s, fi->issue)->id, id) == 0) return fi;
    }
    return NULL;
}

pl_status pl_report_compare(const pl_scenario *base, const pl_forecast *fb, const pl_scenario *changed,
                            const pl_forecast *fc, pl_format format, char **out) {
    if (!base || !fb || !changed || !fc || !out) return PL_EINVAL;
    *out = NULL;
    buf b = {0};
    int ok = 1;
    json_t *root = format == PL_FORMAT_JSON ? json_array() : NULL;
    if (format == PL_FORMAT_CSV) buf_puts(&b, "issue,model,before,after,change\n");
    if (format == PL_FORMAT_TEXT) {
        buf_printf(&b, "%s (%s): what-if forecast beside the unchanged one\n\n", pl_scenario_name(base),
                   pl_scenario_id(base));
        buf_cell(&b, "Issue", 32);
        buf_puts(&b, "  Model         Before    After   Change\n");
    }
    for (size_t i = 0; i < pl_forecast_n_issues(fb); i++) {
        const pl_issue_forecast *a = pl_forecast_issue(fb, i);
        const pl_issue *is = pl_scenario_issue(base, a->issue);
        const pl_issue_forecast *c = find(changed, fc, is->id);
        json_t *io = NULL, *models = NULL;
        if (root) {
            io = json_object();
            models = json_object();
            jout_set(io, "id", json_string(is->id), &ok);
        }
        for (int m = 0; m < PL_MODEL_COUNT; m++) {
            if (m == PL_MODEL_EUM_MEAN) continue;
            double before = a->value[m], after = c ? c->value[m] : NAN;
            if (root) {
                json_t *o = json_object();
                jout_set(o, "before", json_real(before), &ok);
                jout_set(o, "after", c ? json_real(after) : json_null(), &ok);
                jout_set(models, pl_model_name((pl_model)m), o, &ok);
            } else if (format == PL_FORMAT_CSV) {
                buf_csv(&b, is->id);
                buf_printf(&b, ",%s,%.10g,", pl_model_name((pl_model)m), before);
                if (c) buf_printf(&b, "%.10g,%.10g", after, after - before);
                else buf_putc(&b, ',');
                buf_putc(&b, '\n');
            } else {
                buf_cell(&b, m == 0 ? is->name : "", 32);
                buf_printf(&b, "  %-10s %9.1f", pl_model_name((pl_model)m), before);
                if (c) buf_printf(&b, " %8.1f %+8.1f%s\n", after, after - before,
                                  fabs(after - before) > 1e-9 ? "  *" : "");
                else buf_puts(&b, "        -  (no positions left)\n");
            }
        }
        if (root) {
            jout_set(io, "models", models, &ok);
            jout_push(root, io, &ok);
        }
    }
    if (root) {
        buf_free(&b);
        return json_out(root, ok, 12, out);    } else if (format == PL_FORMAT_TEXT) {
        buf_puts(&b, "\n* = the forecast moved.\n");
    }
    *out = buf_take(&b);
    return *out ? PL_OK : PL_ENOMEM;
}
