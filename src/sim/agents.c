/*
** agents.c: the table of negotiation agents and the parsing of agent specs
** ("NAME" or "NAME:ARG").  A new agent is a new agent_*.c file with its
** sao_agent_type, and one line in the table below.
*/
#include "sim/sao_int.h"

#include <string.h>

static const sao_agent_type *const types[] = {
    &sao_agent_boulware, &sao_agent_linear,     &sao_agent_conceder,
    &sao_agent_tb,       &sao_agent_hardliner,  &sao_agent_tft,
    &sao_agent_micro,    &sao_agent_aspiration, &sao_agent_random,
};
#define N_TYPES (sizeof types / sizeof types[0])

size_t sao_n_agent_types(void) { return N_TYPES; }

const sao_agent_type *sao_agent_type_at(size_t i) { return i < N_TYPES ? types[i] : NULL; }

const sao_agent_type *sao_agent_find(const char *spec, const char **arg) {
    *arg = NULL;
    if (!spec) return NULL;
    const char *colon = strchr(spec, ':');
    size_t len = colon ? (size_t)(colon - spec) : strlen(spec);
    for (size_t i = 0; i < N_TYPES; i++)
        if (strlen(types[i]->name) == len && strncmp(types[i]->name, spec, len) == 0) {
            *arg = colon ? colon + 1 : NULL;
            return types[i];
        }
    return NULL;
}

size_t pl_agent_count(void) { return N_TYPES; }
const char *pl_agent_name(size_t i) { return i < N_TYPES ? types[i]->name : NULL; }
const char *pl_agent_usage(size_t i) { return i < N_TYPES ? types[i]->usage : NULL; }
const char *pl_agent_summary(size_t i) { return i < N_TYPES ? types[i]->summary : NULL; }

pl_status pl_agent_check(const char *spec) {
    const char *arg;
    const sao_agent_type *t = sao_agent_find(spec, &arg);
    if (!t) return PL_ENOTFOUND;
    if ((arg && t->arg == 0) || (!arg && t->arg == 2)) return PL_ERANGE;
    return t->check ? t->check(arg) : PL_OK;
}
