/*
** whatif.c: what-if changes to a scenario, as typed on a command line, kept
** with it in a log (reports state them: report/report_compare.c and others).
*/
#include "core/alloc.h"
#include "core/diag.h"
#include "parley.h"
#include "scenario/scenario_int.h"
#include "core/text.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* Append a change to the scenario's log (in its arena). */
static pl_status record(pl_scenario *s, const char *op, const char *actor, const char *name,
                        const char *issue, const char *what, int has_from, double from, int has_to,
                        double to) {
    pl_change *log = scen_mem(s, (s->n_changes + 1) * sizeof(pl_change));
    if (!log) return PL_ENOMEM;
    if (s->n_changes) memcpy(log, s->changes, s->n_changes * sizeof(pl_change));
    pl_change *c = &log[s->n_changes];
    c->op = scen_str(s, op);
    c->actor = scen_str(s, actor);
    c->name = scen_str(s, name);
    c->issue = scen_str(s, issue);
    c->what = scen_str(s, what);
    if (!c->op || !c->actor || (name && !c->name) || (issue && !c->issue) || (what && !c->what))
        return PL_ENOMEM;
    c->has_from = has_from;
    c->from = has_from ? from : 0;
    c->has_to = has_to;
    c->to = has_to ? to : 0;
    s->changes = log;
    s->n_changes++;
    return PL_OK;
}

size_t pl_scenario_n_changes(const pl_scenario *s) { return s ? s->n_changes : 0; }

const pl_change *pl_scenario_change(const pl_scenario *s, size_t i) {
    return s && i < s->n_changes ? &s->changes[i] : NULL;
}

/* --set ACTOR.capability=VALUE (VALUE at column VCOL of the text). */
static pl_status set_capability(pl_scenario *s, size_t a, const char *value, int vcol,
                                const char *what, pl_diags *diags) {
    double x;
    if (!parse_value(value, &x) || !(x > 0 && x <= PL_MAX_CAPABILITY))
        return fail(diags, what, vcol,
                    "expected a capability greater than 0 and at most 1e12, found \"%s\"%s", value,
                    "");
    double before = s->actors[a].capability;
    pl_status rc = pl_scenario_set_capability(s, a, x);
    if (rc != PL_OK) return rc;
    return record(s, "set", s->actors[a].id, NULL, NULL, "capability", 1, before, 1, x);
}

/* --set ACTOR.ISSUE=none: the actor's stake in issue I removed. */
static pl_status set_no_stake(pl_scenario *s, size_t a, size_t i, const char *spec,
                              const char *value, int vcol, const char *what, pl_diags *diags) {
    const pl_issue *is = pl_scenario_issue(s, i);
    if (strcmp(value, "none") != 0)
        return fail(diags, what, vcol, "expected \"none\" (no stake) after %s=, found \"%s\"", spec,
                    value);
    const pl_position *had = pl_scenario_stake(s, a, i);
    double before = had ? had->position : 0;
    pl_status rc = pl_scenario_clear_position(s, a, i);
    if (rc != PL_OK && rc != PL_ENOTFOUND) return rc;
    return record(s, "set", s->actors[a].id, NULL, is->id, "stake", rc == PL_OK, before, 0, 0);
}

/* --set ACTOR.ISSUE.position=VALUE or .salience=VALUE (IS_POS tells
** which); ACTOR is the actor's id as written. */
static pl_status set_stake(pl_scenario *s, size_t a, size_t i, const char *actor, int is_pos,
                           const char *value, int vcol, const char *what, pl_diags *diags) {
    const pl_issue *is = pl_scenario_issue(s, i);
    double x;
    if (!parse_value(value, &x))
        return fail(diags, what, vcol, "expected a number, found \"%s\"%s", value, "");
    const pl_position *p = pl_scenario_stake(s, a, i);
    if (is_pos && (x < is->min || x > is->max)) {
        char range[64];
        snprintf(range, sizeof range, "[%g, %g]", is->min, is->max);
        return fail(diags, what, vcol, "expected a position on the scale %s, found \"%s\"", range,
                    value);
    }
    if (!is_pos && (x < 0 || x > 100))
        return fail(diags, what, vcol, "expected a salience from 0 to 100, found \"%s\"%s", value,
                    "");
    if (!p && !is_pos)
        return fail(diags, what, 1,
                    "expected a position of %s on this issue before its salience (set "
                    "ACTOR.ISSUE.position first), found none%s",
                    actor, "");
    /* a new stake gets salience 50 until set */
    int had = p != NULL;
    double before = !had ? 0 : is_pos ? p->position : p->salience;
    pl_status rc = pl_scenario_set_position(s, a, i, is_pos ? x : p->position,
                                            is_pos ? (p ? p->salience : 50) : x);
    if (rc == PL_OK)
        rc = record(s, "set", s->actors[a].id, NULL, is->id, is_pos ? "position" : "salience", had,
                    before, 1, x);
    if (rc == PL_OK && !had)
        rc = record(s, "set", s->actors[a].id, NULL, is->id, "salience", 0, 0, 1, 50);
    return rc;
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
                    "or ACTOR.ISSUE=none, found \"%s\"%s",
                    spec, "");
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
        return fail(diags, what, 1, "expected an actor id of the scenario, found \"%s\"%s",
                    parts[0], "");
    if (n == 2 && strcmp(parts[1], "capability") == 0)
        return set_capability(s, a, value, vcol, what, diags);
    size_t i;
    if (n < 2 || pl_scenario_find_issue(s, parts[1], &i) != PL_OK)
        return fail(
            diags, what, (int)(parts[n < 2 ? 0 : 1] - text) + 1,
            "expected an issue id of the scenario (or \"capability\") after \"%s.\", found \"%s\"",
            parts[0], n < 2 ? "" : parts[1]);
    if (n == 2) return set_no_stake(s, a, i, spec, value, vcol, what, diags);
    if (n != 3 || (strcmp(parts[2], "position") != 0 && strcmp(parts[2], "salience") != 0))
        return fail(diags, what, (int)(parts[n > 2 ? 2 : 0] - text) + 1,
                    "expected \"position\" or \"salience\", found \"%s\"%s", n > 2 ? parts[2] : "",
                    "");
    return set_stake(s, a, i, parts[0], parts[2][0] == 'p', value, vcol, what, diags);
}

pl_status pl_whatif_drop(pl_scenario *s, const char *actor, const char *what, pl_diags *diags) {
    if (!s || !actor) return PL_EINVAL;
    size_t a;
    if (pl_scenario_find_actor(s, actor, &a) != PL_OK)
        return fail(diags, what ? what : "--drop", 1,
                    "expected an actor id of the scenario, found \"%s\"%s", actor, "");
    const char *id = s->actors[a].id, *name = s->actors[a].name; /* in the arena */
    pl_status rc = pl_scenario_remove_actor(s, a);
    if (rc != PL_OK) return rc;
    return record(s, "drop", id, name, NULL, NULL, 0, 0, 0, 0);
}

pl_status pl_whatif_add(pl_scenario *s, const char *spec, const char *what, pl_diags *diags) {
    if (!s || !spec) return PL_EINVAL;
    if (!what) what = "--add";
    char text[256];
    if (strlen(spec) >= sizeof text)
        return fail(diags, what, 1, "expected ID:NAME:CAPABILITY, found %s%s", "a too long text",
                    "");
    strcpy(text, spec);
    char *c1 = strchr(text, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
    if (!c2) return fail(diags, what, 1, "expected ID:NAME:CAPABILITY, found \"%s\"%s", spec, "");
    *c1 = *c2 = 0;
    double cap;
    if (!parse_value(c2 + 1, &cap) || !(cap > 0 && cap <= PL_MAX_CAPABILITY))
        return fail(diags, what, (int)(c2 - text) + 2,
                    "expected a capability greater than 0 and at most 1e12, found \"%s\"%s", c2 + 1,
                    "");
    size_t name_len = strlen(c1 + 1), name_ok = text_utf8_prefix(c1 + 1, name_len);
    if (name_ok < name_len) {
        char byte[8];
        snprintf(byte, sizeof byte, "0x%02X", (unsigned)(unsigned char)c1[1 + name_ok]);
        return fail(diags, what, (int)(c1 - text) + 2 + (int)name_ok,
                    "expected UTF-8 text in the name, found byte %s%s", byte, "");
    }
    pl_status rc = pl_scenario_add_actor(s, text, c1[1] ? c1 + 1 : text, cap, NULL);
    if (rc == PL_EINPUT)
        return fail(diags, what, 1, "expected a new actor id, found \"%s\", which exists%s", text,
                    "");
    if (rc == PL_EINVAL)
        return fail(diags, what, 1, "expected an id (letters, digits, '_', '-'), found \"%s\"%s",
                    text, "");
    if (rc != PL_OK) return rc;
    return record(s, "add", text, c1[1] ? c1 + 1 : text, NULL, "capability", 0, 0, 1, cap);
}
