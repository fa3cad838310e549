/*
** scenario.c: the scenario data model -- construction, edits (set, clear,
** remove), queries, copies.
**
** Validation of loaded files lives in io_json.c, where the places of values
** in the text are known; the builder functions here check each value as it
** comes, with the same rules.
*/
#include "scenario/scenario_int.h"

#include "core/alloc.h"
#include "core/text.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Names are UTF-8 text, as in every file the readers accept (so every
** report can print them, JSON included). */
static int text_ok(const char *s) {
    if (!s) return 1;
    size_t n = strlen(s);
    return text_utf8_prefix(s, n) == n;
}

/* ------------------------------------------------------------------------
** Arena
*/
struct scen_block {
    scen_block *next;
    size_t used, size;
    max_align_t data[]; /* flexible, aligned storage */
};

#define BLOCK_MIN 4096

void *scen_mem(pl_scenario *s, size_t size) {
    size_t align = sizeof(max_align_t);
    size = (size + align - 1) / align * align;
    if (size == 0) size = align;
    scen_block *b = s->arena;
    if (!b || b->size - b->used < size) {
        size_t n = size > BLOCK_MIN ? size : BLOCK_MIN;
        if (n > SIZE_MAX - sizeof(scen_block)) return NULL;
        b = pl__malloc(sizeof(scen_block) + n);
        if (!b) return NULL;
        b->next = s->arena;
        b->used = 0;
        b->size = n;
        s->arena = b;
    }
    void *p = (char *)b->data + b->used;
    b->used += size;
    memset(p, 0, size);
    return p;
}

const char *scen_str(pl_scenario *s, const char *str) {
    if (!str) return NULL;
    size_t len = strlen(str) + 1;
    char *copy = scen_mem(s, len);
    if (copy) memcpy(copy, str, len);
    return copy;
}

pl_scenario *scen_alloc(void) { return pl__calloc(1, sizeof(pl_scenario)); }

void pl_scenario_free(pl_scenario *s) {
    if (!s) return;
    scen_block *b = s->arena;
    while (b) {
        scen_block *next = b->next;
        pl__free(b);
        b = next;
    }
    pl__free(s->actors);
    pl__free(s->issues);
    pl__free(s->positions);
    hash_free(&s->actor_ix);
    hash_free(&s->issue_ix);
    hash_free(&s->stake_ix);
    pl__free(s);
}

static pl_status grow(void **table, size_t *n_alloc, size_t n_used, size_t item_size) {
    if (n_used < *n_alloc) return PL_OK;
    size_t n_new = *n_alloc ? 2 * *n_alloc : 8;
    if (n_new > SIZE_MAX / item_size) return PL_ENOMEM;
    void *t = pl__realloc(*table, n_new * item_size);
    if (!t) return PL_ENOMEM;
    *table = t;
    *n_alloc = n_new;
    return PL_OK;
}

pl_status scen_reserve_actor(pl_scenario *s) {
    return grow((void **)&s->actors, &s->n_actors_alloc, s->n_actors, sizeof(pl_actor));
}
pl_status scen_reserve_issue(pl_scenario *s) {
    return grow((void **)&s->issues, &s->n_issues_alloc, s->n_issues, sizeof(pl_issue));
}
pl_status scen_reserve_position(pl_scenario *s) {
    return grow((void **)&s->positions, &s->n_positions_alloc, s->n_positions, sizeof(pl_position));
}

/* ------------------------------------------------------------------------
** Indexes: id -> actor, id -> issue, (actor, issue) -> position
*/
typedef struct stake_key {
    size_t actor, issue;
} stake_key;

static stake_key pair(size_t actor, size_t issue) {
    stake_key k;
    memset(&k, 0, sizeof k);
    k.actor = actor;
    k.issue = issue;
    return k;
}

void scen_index_reset(pl_scenario *s) {
    hash_clear(&s->actor_ix);
    hash_clear(&s->issue_ix);
    hash_clear(&s->stake_ix);
}

/* Make every index complete (rebuilding what is not): PL_OK or PL_ENOMEM
** (the failed index is left empty, so lookups fall back to a search). */
static pl_status index_all(pl_scenario *s) {
    if (s->actor_ix.count != s->n_actors) {
        hash_clear(&s->actor_ix);
        for (size_t i = 0; i < s->n_actors; i++)
            if (hash_add_str(&s->actor_ix, s->actors[i].id, i, NULL) < 0) {
                hash_clear(&s->actor_ix);
                return PL_ENOMEM;
            }
    }
    if (s->issue_ix.count != s->n_issues) {
        hash_clear(&s->issue_ix);
        for (size_t i = 0; i < s->n_issues; i++)
            if (hash_add_str(&s->issue_ix, s->issues[i].id, i, NULL) < 0) {
                hash_clear(&s->issue_ix);
                return PL_ENOMEM;
            }
    }
    if (s->stake_ix.count != s->n_positions) {
        hash_clear(&s->stake_ix);
        for (size_t i = 0; i < s->n_positions; i++) {
            stake_key k = pair(s->positions[i].actor, s->positions[i].issue);
            if (hash_add(&s->stake_ix, &k, sizeof k, i, NULL) < 0) {
                hash_clear(&s->stake_ix);
                return PL_ENOMEM;
            }
        }
    }
    return PL_OK;
}

pl_status scen_push_actor(pl_scenario *s, const pl_actor *a) {
    if (scen_reserve_actor(s) != PL_OK || index_all(s) != PL_OK) return PL_ENOMEM;
    int added = hash_add_str(&s->actor_ix, a->id, s->n_actors, NULL);
    if (added < 0) return PL_ENOMEM;
    if (added == 0 && s->actor_ix.count == s->n_actors) return PL_EINPUT;
    s->actors[s->n_actors++] = *a;
    return PL_OK;
}

pl_status scen_push_issue(pl_scenario *s, const pl_issue *is) {
    if (scen_reserve_issue(s) != PL_OK || index_all(s) != PL_OK) return PL_ENOMEM;
    int added = hash_add_str(&s->issue_ix, is->id, s->n_issues, NULL);
    if (added < 0) return PL_ENOMEM;
    if (added == 0 && s->issue_ix.count == s->n_issues) return PL_EINPUT;
    s->issues[s->n_issues++] = *is;
    return PL_OK;
}

pl_status scen_push_position(pl_scenario *s, const pl_position *p) {
    if (scen_reserve_position(s) != PL_OK || index_all(s) != PL_OK) return PL_ENOMEM;
    stake_key k = pair(p->actor, p->issue);
    int added = hash_add(&s->stake_ix, &k, sizeof k, s->n_positions, NULL);
    if (added < 0) return PL_ENOMEM;
    if (added == 0 && s->stake_ix.count == s->n_positions) return PL_EINPUT;
    s->positions[s->n_positions++] = *p;
    return PL_OK;
}

static const char *const rule_names[] = {NULL, "unanimity", "qualified-majority", "majority",
                                         "consensus"};

const char *pl_decision_rule_name(pl_decision_rule rule) {
    return (unsigned)rule < sizeof rule_names / sizeof rule_names[0] ? rule_names[rule] : NULL;
}

pl_status pl_decision_rule_from_name(const char *name, pl_decision_rule *out) {
    if (!name || !out) return PL_EINVAL;
    for (size_t i = 1; i < sizeof rule_names / sizeof rule_names[0]; i++)
        if (strcmp(name, rule_names[i]) == 0) {
            *out = (pl_decision_rule)i;
            return PL_OK;
        }
    return PL_ENOTFOUND;
}

int scen_id_ok(const char *id) {
    size_t n = 0;
    if (!id) return 0;
    for (const char *p = id; *p; p++, n++) {
        char c = *p;
        int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 c == '_' || c == '-';
        if (!ok || n >= SCEN_ID_MAX) return 0;
    }
    return n > 0;
}

static int option_cmp(const void *a, const void *b) {
    double x = ((const pl_option *)a)->value, y = ((const pl_option *)b)->value;
    return (x > y) - (x < y);
}

void scen_sort_options(pl_issue *issue) {
    if (issue->n_options > 1)
        qsort((void *)issue->options, issue->n_options, sizeof(pl_option), option_cmp);
}

/* ------------------------------------------------------------------------
** Builder
*/
pl_status pl_scenario_new(const char *id, const char *name, pl_scenario **out) {
    if (!out) return PL_EINVAL;
    *out = NULL;
    if (!scen_id_ok(id) || !name || !text_ok(name)) return PL_EINVAL;
    pl_scenario *s = scen_alloc();
    if (!s) return PL_ENOMEM;
    s->id = scen_str(s, id);
    s->name = scen_str(s, name);
    if (!s->id || !s->name) {
        pl_scenario_free(s);
        return PL_ENOMEM;
    }
    *out = s;
    return PL_OK;
}

pl_status pl_scenario_add_actor(pl_scenario *s, const char *id, const char *name, double capability,
                                size_t *index) {
    if (!s || !scen_id_ok(id) || !isfinite(capability) || !text_ok(name)) return PL_EINVAL;
    if (!(capability > 0 && capability <= PL_MAX_CAPABILITY)) return PL_ERANGE;
    size_t dummy;
    if (pl_scenario_find_actor(s, id, &dummy) == PL_OK) return PL_EINPUT;
    pl_actor a = {0};
    a.id = scen_str(s, id);
    a.name = scen_str(s, name ? name : id);
    if (!a.id || !a.name) return PL_ENOMEM;
    a.capability = capability;
    pl_status rc = scen_push_actor(s, &a);
    if (rc == PL_OK && index) *index = s->n_actors - 1;
    return rc;
}

pl_status pl_scenario_add_issue(pl_scenario *s, const char *id, const char *name, double min,
                                double max, size_t *index) {
    if (!s || !scen_id_ok(id) || !isfinite(min) || !isfinite(max) || !text_ok(name))
        return PL_EINVAL;
    if (!(min < max) || min < -PL_MAX_SCALE || max > PL_MAX_SCALE) return PL_ERANGE;
    size_t dummy;
    if (pl_scenario_find_issue(s, id, &dummy) == PL_OK) return PL_EINPUT;
    pl_issue is = {0};
    is.id = scen_str(s, id);
    is.name = scen_str(s, name ? name : id);
    is.min_label = scen_str(s, "min");
    is.max_label = scen_str(s, "max");
    if (!is.id || !is.name || !is.min_label || !is.max_label) return PL_ENOMEM;
    is.min = min;
    is.max = max;
    pl_status rc = scen_push_issue(s, &is);
    if (rc == PL_OK && index) *index = s->n_issues - 1;
    return rc;
}

pl_status pl_scenario_set_status_quo(pl_scenario *s, size_t issue, double sq) {
    if (!s || issue >= s->n_issues || !isfinite(sq)) return PL_EINVAL;
    pl_issue *is = &s->issues[issue];
    if (sq < is->min || sq > is->max) return PL_ERANGE;
    is->has_status_quo = 1;
    is->status_quo = sq;
    return PL_OK;
}

static size_t find_stake(const pl_scenario *s, size_t actor, size_t issue) {
    if (s->stake_ix.count == s->n_positions) {
        stake_key k = pair(actor, issue);
        size_t i;
        return hash_find(&s->stake_ix, &k, sizeof k, &i) ? i : SIZE_MAX;
    }
    for (size_t i = 0; i < s->n_positions; i++)
        if (s->positions[i].actor == actor && s->positions[i].issue == issue) return i;
    return SIZE_MAX;
}

pl_status pl_scenario_set_position(pl_scenario *s, size_t actor, size_t issue, double position,
                                   double salience) {
    if (!s || actor >= s->n_actors || issue >= s->n_issues || !isfinite(position) ||
        !isfinite(salience))
        return PL_EINVAL;
    const pl_issue *is = &s->issues[issue];
    if (position < is->min || position > is->max) return PL_ERANGE;
    if (salience < 0 || salience > 100) return PL_ERANGE;
    size_t k = find_stake(s, actor, issue);
    if (k == SIZE_MAX) {
        pl_position p;
        memset(&p, 0, sizeof p);
        p.actor = actor;
        p.issue = issue;
        pl_status rc = scen_push_position(s, &p);
        if (rc != PL_OK) return rc;
        k = s->n_positions - 1;
    }
    s->positions[k].position = position;
    s->positions[k].salience = salience;
    return PL_OK;
}

pl_status pl_scenario_clear_position(pl_scenario *s, size_t actor, size_t issue) {
    if (!s) return PL_EINVAL;
    size_t k = find_stake(s, actor, issue);
    if (k == SIZE_MAX) return PL_ENOTFOUND;
    memmove(&s->positions[k], &s->positions[k + 1], (s->n_positions - k - 1) * sizeof(pl_position));
    s->n_positions--;
    scen_index_reset(s);
    return PL_OK;
}

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

pl_status pl_scenario_set_capability(pl_scenario *s, size_t actor, double capability) {
    if (!s || actor >= s->n_actors || !isfinite(capability)) return PL_EINVAL;
    if (!(capability > 0 && capability <= PL_MAX_CAPABILITY)) return PL_ERANGE;
    s->actors[actor].capability = capability;
    return PL_OK;
}

pl_status pl_scenario_set_outcome(pl_scenario *s, size_t issue, double outcome) {
    if (!s || issue >= s->n_issues || !isfinite(outcome)) return PL_EINVAL;
    pl_issue *is = &s->issues[issue];
    if (outcome < is->min || outcome > is->max) return PL_ERANGE;
    is->has_outcome = 1;
    is->outcome = outcome;
    return PL_OK;
}

pl_status pl_scenario_set_decision_rule(pl_scenario *s, size_t issue, pl_decision_rule rule) {
    if (!s || issue >= s->n_issues || !pl_decision_rule_name(rule)) return PL_EINVAL;
    s->issues[issue].decision_rule = (int)rule;
    return PL_OK;
}

pl_status pl_scenario_set_procedure(pl_scenario *s, size_t issue, const char *procedure) {
    if (!s || issue >= s->n_issues) return PL_EINVAL;
    const char *copy = scen_str(s, procedure);
    if (procedure && !copy) return PL_ENOMEM;
    s->issues[issue].procedure = copy;
    return PL_OK;
}

pl_status pl_scenario_set_issue_group(pl_scenario *s, size_t issue, const char *group) {
    if (!s || issue >= s->n_issues) return PL_EINVAL;
    const char *copy = scen_str(s, group);
    if (group && !copy) return PL_ENOMEM;
    s->issues[issue].group = copy;
    return PL_OK;
}

pl_status pl_scenario_set_role(pl_scenario *s, size_t actor, const char *role) {
    if (!s || actor >= s->n_actors) return PL_EINVAL;
    const char *copy = scen_str(s, role);
    if (role && !copy) return PL_ENOMEM;
    s->actors[actor].role = copy;
    return PL_OK;
}

const pl_uncertainty *pl_scenario_uncertainty(const pl_scenario *s) {
    return s ? &s->uncertainty : NULL;
}

/* PL_OK, PL_EINVAL (not a spread) or PL_ERANGE (wider than the value's
** domain [lo, hi], as the JSON reader checks: draws must stay finite). */
static pl_status spread_check(const pl_spread *sp, double lo, double hi) {
    switch (sp->kind) {
        case PL_SPREAD_NONE: return PL_OK;
        case PL_SPREAD_SD:
            if (!isfinite(sp->sd) || sp->sd < 0) return PL_EINVAL;
            return sp->sd <= hi - lo ? PL_OK : PL_ERANGE;
        case PL_SPREAD_RANGE:
            if (!isfinite(sp->lo) || !isfinite(sp->hi) || !(sp->lo <= sp->hi)) return PL_EINVAL;
            return sp->lo >= lo && sp->hi <= hi ? PL_OK : PL_ERANGE;
    }
    return PL_EINVAL;
}

pl_status pl_scenario_set_uncertainty(pl_scenario *s, const pl_uncertainty *u) {
    if (!s || !u || !isfinite(u->salience_sd) || u->salience_sd < 0 ||
        !isfinite(u->position_sd_share) || u->position_sd_share < 0 ||
        !isfinite(u->capability_sd_share) || u->capability_sd_share < 0)
        return PL_EINVAL;
    if (u->salience_sd > 100 || u->position_sd_share > 1 || u->capability_sd_share > 10)
        return PL_ERANGE;
    s->uncertainty = *u;
    return PL_OK;
}

pl_status pl_scenario_set_position_spread(pl_scenario *s, size_t actor, size_t issue,
                                          pl_spread position, pl_spread salience) {
    if (!s) return PL_EINVAL;
    size_t k = find_stake(s, actor, issue);
    if (k == SIZE_MAX) return PL_ENOTFOUND;
    const pl_issue *is = &s->issues[s->positions[k].issue];
    pl_status rc = spread_check(&position, is->min, is->max);
    if (rc == PL_OK) rc = spread_check(&salience, 0, 100);
    if (rc != PL_OK) return rc;
    s->positions[k].position_spread = position;
    s->positions[k].salience_spread = salience;
    return PL_OK;
}

pl_status pl_scenario_set_capability_spread(pl_scenario *s, size_t actor, pl_spread spread) {
    if (!s || actor >= s->n_actors) return PL_EINVAL;
    pl_status rc = spread_check(&spread, 0, PL_MAX_CAPABILITY);
    if (rc != PL_OK) return rc;
    s->actors[actor].capability_spread = spread;
    return PL_OK;
}

/* ------------------------------------------------------------------------
** Deep copy
*/
static int copy_evidence(pl_scenario *d, const pl_evidence *src, size_t n,
                         const pl_evidence **out) {
    *out = NULL;
    if (n == 0) return 1;
    pl_evidence *ev = scen_mem(d, n * sizeof(pl_evidence));
    if (!ev) return 0;
    for (size_t i = 0; i < n; i++) {
        ev[i].quote = scen_str(d, src[i].quote);
        ev[i].source = scen_str(d, src[i].source);
        if (!ev[i].quote || !ev[i].source) return 0;
    }
    *out = ev;
    return 1;
}

/* Copies an optional string; returns 0 only on allocation failure. */
static int copy_opt(pl_scenario *d, const char *src, const char **dst) {
    *dst = scen_str(d, src);
    return !(src && !*dst);
}

/* Clone steps: each copies one part of S into D and returns nonzero on
** success (zero when out of memory). */

/* The scenario's own texts, notes and sources. */
static int clone_head(pl_scenario *d, const pl_scenario *s) {
    int ok = copy_opt(d, s->id, &d->id) && copy_opt(d, s->name, &d->name) &&
             copy_opt(d, s->description, &d->description) && copy_opt(d, s->date, &d->date);
    if (ok && s->n_notes) {
        d->notes = scen_mem(d, s->n_notes * sizeof(char *));
        ok = d->notes != NULL;
        for (size_t i = 0; ok && i < s->n_notes; i++) ok = copy_opt(d, s->notes[i], &d->notes[i]);
        d->n_notes = s->n_notes;
    }
    if (ok && s->n_sources) {
        d->sources = scen_mem(d, s->n_sources * sizeof(pl_source));
        ok = d->sources != NULL;
        for (size_t i = 0; ok && i < s->n_sources; i++) {
            const pl_source *a = &s->sources[i];
            pl_source *b = &d->sources[i];
            ok = copy_opt(d, a->id, &b->id) && copy_opt(d, a->title, &b->title) &&
                 copy_opt(d, a->publisher, &b->publisher) && copy_opt(d, a->date, &b->date) &&
                 copy_opt(d, a->url, &b->url) && copy_opt(d, a->file, &b->file);
        }
        d->n_sources = s->n_sources;
    }
    return ok;
}

/* The actors with their texts and evidence. */
static int clone_actors(pl_scenario *d, const pl_scenario *s) {
    int ok = 1;
    for (size_t i = 0; ok && i < s->n_actors; i++) {
        const pl_actor *a = &s->actors[i];
        ok = scen_reserve_actor(d) == PL_OK;
        if (!ok) break;
        pl_actor *b = &d->actors[d->n_actors++];
        *b = *a;
        ok = copy_opt(d, a->id, &b->id) && copy_opt(d, a->name, &b->name) &&
             copy_opt(d, a->group, &b->group) && copy_opt(d, a->role, &b->role) &&
             copy_opt(d, a->description, &b->description) &&
             copy_opt(d, a->assumption, &b->assumption) &&
             copy_evidence(d, a->evidence, a->n_evidence, &b->evidence);
    }
    return ok;
}

/* The issues with their texts, evidence and options. */
static int clone_issues(pl_scenario *d, const pl_scenario *s) {
    int ok = 1;
    for (size_t i = 0; ok && i < s->n_issues; i++) {
        const pl_issue *a = &s->issues[i];
        ok = scen_reserve_issue(d) == PL_OK;
        if (!ok) break;
        pl_issue *b = &d->issues[d->n_issues++];
        *b = *a;
        b->options = NULL;
        ok = copy_opt(d, a->id, &b->id) && copy_opt(d, a->name, &b->name) &&
             copy_opt(d, a->description, &b->description) && copy_opt(d, a->unit, &b->unit) &&
             copy_opt(d, a->procedure, &b->procedure) && copy_opt(d, a->group, &b->group) &&
             copy_opt(d, a->min_label, &b->min_label) && copy_opt(d, a->max_label, &b->max_label) &&
             copy_opt(d, a->assumption, &b->assumption) &&
             copy_evidence(d, a->evidence, a->n_evidence, &b->evidence);
        if (ok && a->n_options) {
            pl_option *opts = scen_mem(d, a->n_options * sizeof(pl_option));
            ok = opts != NULL;
            for (size_t k = 0; ok && k < a->n_options; k++) {
                opts[k].value = a->options[k].value;
                ok = copy_opt(d, a->options[k].label, &opts[k].label);
            }
            b->options = opts;
        }
    }
    return ok;
}

/* The positions and the record of what-if changes. */
static int clone_positions(pl_scenario *d, const pl_scenario *s) {
    int ok = 1;
    for (size_t i = 0; ok && i < s->n_positions; i++) {
        const pl_position *a = &s->positions[i];
        ok = scen_reserve_position(d) == PL_OK;
        if (!ok) break;
        pl_position *b = &d->positions[d->n_positions++];
        *b = *a;
        ok = copy_opt(d, a->assumption, &b->assumption) &&
             copy_evidence(d, a->evidence, a->n_evidence, &b->evidence);
    }
    if (ok && s->n_changes) {
        d->changes = scen_mem(d, s->n_changes * sizeof(pl_change));
        ok = d->changes != NULL;
        for (size_t i = 0; ok && i < s->n_changes; i++) {
            const pl_change *a = &s->changes[i];
            pl_change *b = &d->changes[i];
            *b = *a;
            ok = copy_opt(d, a->op, &b->op) && copy_opt(d, a->actor, &b->actor) &&
                 copy_opt(d, a->name, &b->name) && copy_opt(d, a->issue, &b->issue) &&
                 copy_opt(d, a->what, &b->what);
        }
        d->n_changes = s->n_changes;
    }
    return ok;
}

pl_status pl_scenario_clone(const pl_scenario *s, pl_scenario **out) {
    if (!s || !out) return PL_EINVAL;
    *out = NULL;
    pl_scenario *d = scen_alloc();
    if (!d) return PL_ENOMEM;
    d->uncertainty = s->uncertainty;
    int ok = clone_head(d, s) && clone_actors(d, s) && clone_issues(d, s) && clone_positions(d, s);
    if (!ok || index_all(d) != PL_OK) {
        pl_scenario_free(d);
        return PL_ENOMEM;
    }
    *out = d;
    return PL_OK;
}

/* ------------------------------------------------------------------------
** Queries
*/
const char *pl_scenario_id(const pl_scenario *s) { return s ? s->id : NULL; }
const char *pl_scenario_name(const pl_scenario *s) { return s ? s->name : NULL; }
const char *pl_scenario_description(const pl_scenario *s) { return s ? s->description : NULL; }
const char *pl_scenario_date(const pl_scenario *s) { return s ? s->date : NULL; }
size_t pl_scenario_n_notes(const pl_scenario *s) { return s ? s->n_notes : 0; }
const char *pl_scenario_note(const pl_scenario *s, size_t i) {
    return s && i < s->n_notes ? s->notes[i] : NULL;
}
size_t pl_scenario_n_sources(const pl_scenario *s) { return s ? s->n_sources : 0; }
const pl_source *pl_scenario_source(const pl_scenario *s, size_t i) {
    return s && i < s->n_sources ? &s->sources[i] : NULL;
}
size_t pl_scenario_n_actors(const pl_scenario *s) { return s ? s->n_actors : 0; }
const pl_actor *pl_scenario_actor(const pl_scenario *s, size_t i) {
    return s && i < s->n_actors ? &s->actors[i] : NULL;
}
size_t pl_scenario_n_issues(const pl_scenario *s) { return s ? s->n_issues : 0; }
const pl_issue *pl_scenario_issue(const pl_scenario *s, size_t i) {
    return s && i < s->n_issues ? &s->issues[i] : NULL;
}
size_t pl_scenario_n_positions(const pl_scenario *s) { return s ? s->n_positions : 0; }
const pl_position *pl_scenario_position(const pl_scenario *s, size_t i) {
    return s && i < s->n_positions ? &s->positions[i] : NULL;
}

pl_status pl_scenario_find_actor(const pl_scenario *s, const char *id, size_t *index) {
    if (!s || !id || !index) return PL_EINVAL;
    if (s->actor_ix.count == s->n_actors) {
        size_t i;
        if (!hash_find_str(&s->actor_ix, id, &i)) return PL_ENOTFOUND;
        *index = i;
        return PL_OK;
    }
    for (size_t i = 0; i < s->n_actors; i++)
        if (strcmp(s->actors[i].id, id) == 0) {
            *index = i;
            return PL_OK;
        }
    return PL_ENOTFOUND;
}

pl_status pl_scenario_find_issue(const pl_scenario *s, const char *id, size_t *index) {
    if (!s || !id || !index) return PL_EINVAL;
    if (s->issue_ix.count == s->n_issues) {
        size_t i;
        if (!hash_find_str(&s->issue_ix, id, &i)) return PL_ENOTFOUND;
        *index = i;
        return PL_OK;
    }
    for (size_t i = 0; i < s->n_issues; i++)
        if (strcmp(s->issues[i].id, id) == 0) {
            *index = i;
            return PL_OK;
        }
    return PL_ENOTFOUND;
}

const pl_position *pl_scenario_stake(const pl_scenario *s, size_t actor, size_t issue) {
    if (!s) return NULL;
    size_t k = find_stake(s, actor, issue);
    return k == SIZE_MAX ? NULL : &s->positions[k];
}

size_t pl_scenario_issue_input(const pl_scenario *s, size_t issue, double *position,
                               double *capability, double *salience, size_t *actors,
                               pl_issue_input *in) {
    if (!s || issue >= s->n_issues || !position || !capability || !salience || !actors || !in)
        return 0;
    /* actors[] first maps each actor to 1 + the index of its stake (0:
    ** none), then is compacted in place into the list of stakeholders (the
    ** write index never passes the read index). */
    for (size_t a = 0; a < s->n_actors; a++) actors[a] = 0;
    for (size_t k = 0; k < s->n_positions; k++)
        if (s->positions[k].issue == issue) actors[s->positions[k].actor] = k + 1;
    size_t n = 0, proposer = 0, parliament = 0;
    for (size_t a = 0; a < s->n_actors; a++) {
        size_t k = actors[a];
        if (!k) continue;
        const pl_position *p = &s->positions[k - 1];
        const char *role = s->actors[a].role;
        position[n] = p->position;
        salience[n] = p->salience;
        capability[n] = s->actors[a].capability;
        if (role && !proposer && strcmp(role, "proposer") == 0) proposer = n + 1;
        if (role && !parliament && strcmp(role, "parliament") == 0) parliament = n + 1;
        actors[n++] = a;
    }
    const pl_issue *is = &s->issues[issue];
    pl_issue_input v = {n,
                        position,
                        capability,
                        salience,
                        is->min,
                        is->max,
                        is->has_status_quo,
                        is->status_quo,
                        (pl_decision_rule)is->decision_rule,
                        proposer,
                        parliament,
                        is->procedure && strcmp(is->procedure, "COD") == 0};
    *in = v;
    return n;
}

size_t pl_scenario_issue_stakes(const pl_scenario *s, size_t issue, double *positions,
                                double *weights, size_t *actors) {
    if (!s || issue >= s->n_issues) return 0;
    size_t n = 0;
    for (size_t a = 0; a < s->n_actors; a++) {
        size_t k = find_stake(s, a, issue);
        if (k == SIZE_MAX) continue;
        const pl_position *p = &s->positions[k];
        if (positions) positions[n] = p->position;
        if (weights) weights[n] = s->actors[a].capability * p->salience;
        if (actors) actors[n] = a;
        n++;
    }
    return n;
}
