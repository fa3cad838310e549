/*
** agent_hardliner.c: the hardliner (negmas's ToughNegotiator): always
** offers its issue-wise best package and accepts only a package worth as
** much (docs/simulation.md, B4).  It ranks nothing, so it plays on spaces
** of any size.
*/
#include "sim/sao_int.h"

static pl_status init(void **state, const char *arg, const sao_party *p) {
    (void)arg, (void)p;
    *state = NULL;
    return PL_OK;
}

static void fini(void *state) { (void)state; }

static int respond(void *state, const sao_party *p, const sao_time *tm, sao_outcome o) {
    (void)state, (void)tm;
    return sao_u(p, o) >= p->u_max - 1e-10;
}

static sao_outcome propose(void *state, const sao_party *p, const sao_time *tm) {
    (void)state, (void)tm;
    return p->best;
}

const sao_agent_type sao_agent_hardliner = {
    "hardliner", "hardliner", "offers its best package, accepts nothing less",
    0,           0,           NULL,
    init,        fini,        respond,
    propose,     NULL};
