/*
** scenario_int.h: the scenario's private structure, shared by the modules
** that build scenarios (scenario.c, io_json.c).
**
** Memory: strings and small fixed arrays (evidence, options, sources, notes)
** live in the scenario's arena and die with it; the three growable tables
** (actors, issues, positions) are separately reallocated.
*/
#ifndef PL_SCENARIO_INT_H
#define PL_SCENARIO_INT_H

#include "core/hash.h"
#include "parley.h"

typedef struct scen_block scen_block;

struct pl_scenario {
    const char *id;
    const char *name;
    const char *description;
    const char *date;
    const char **notes;
    size_t n_notes;
    pl_source *sources;
    size_t n_sources;
    pl_actor *actors;
    size_t n_actors, n_actors_alloc;
    pl_issue *issues;
    size_t n_issues, n_issues_alloc;
    pl_position *positions;
    size_t n_positions, n_positions_alloc;
    pl_uncertainty uncertainty;
    pl_change *changes; /* what-if changes applied (whatif.c), in the arena */
    size_t n_changes;
    scen_block *arena;
    /* Lookups by id and by (actor, issue) pair.  An index is in use only
    ** when complete (its count equals the table's); code that changes a
    ** table other than by the functions below calls scen_index_reset, and
    ** the next change through them rebuilds the index. */
    hash actor_ix, issue_ix, stake_ix;
};

#define SCEN_ID_MAX 64

/* An empty scenario (all counts zero, no id yet). */
pl_scenario *scen_alloc(void);
/* Arena allocation: zeroed memory owned by the scenario. */
void *scen_mem(pl_scenario *s, size_t size);
/* A copy of `str` in the arena; NULL in gives NULL out (check errors with
** the str != NULL && result == NULL pattern). */
const char *scen_str(pl_scenario *s, const char *str);
/* Grow a table to hold one more entry; PL_ENOMEM on failure. */
pl_status scen_reserve_actor(pl_scenario *s);
pl_status scen_reserve_issue(pl_scenario *s);
pl_status scen_reserve_position(pl_scenario *s);
/* Append an actor, issue or position (reserving room and indexing it):
** PL_OK, PL_EINPUT when the id (the pair) is there already, PL_ENOMEM. */
pl_status scen_push_actor(pl_scenario *s, const pl_actor *a);
pl_status scen_push_issue(pl_scenario *s, const pl_issue *is);
pl_status scen_push_position(pl_scenario *s, const pl_position *p);
/* Forget the indexes after a change that removed or moved entries. */
void scen_index_reset(pl_scenario *s);
/* 1 if `id` is a valid id ([A-Za-z0-9_-]{1,64}). */
int scen_id_ok(const char *id);
/* Sort options by value (after loading). */
void scen_sort_options(pl_issue *issue);

#endif
