/*
** offer_log.c: the offers (or texts) of a negotiation kept for its trace,
** shared by the protocols (sao.c, single_text.c).
*/
#include "sim/sao_int.h"

#include "core/alloc.h"

#include <string.h>

int sao_log_add(sao_log *lg, size_t round, size_t party, sao_outcome o,
                const unsigned char *votes) {
    if (lg->n == lg->n_alloc) {
        size_t n = lg->n_alloc ? 2 * lg->n_alloc : 64;
        size_t *r = pl__realloc(lg->rounds, n * sizeof *r);
        if (!r) return 0;
        lg->rounds = r;
        size_t *p = pl__realloc(lg->parties, n * sizeof *p);
        if (!p) return 0;
        lg->parties = p;
        sao_outcome *os = pl__realloc(lg->outcomes, n * sizeof *os);
        if (!os) return 0;
        lg->outcomes = os;
        if (votes) {
            unsigned char *v = pl__realloc(lg->votes, n * lg->n_parties);
            if (!v) return 0;
            lg->votes = v;
        }
        lg->n_alloc = n;
    }
    lg->rounds[lg->n] = round;
    lg->parties[lg->n] = party;
    lg->outcomes[lg->n] = o;
    if (votes) memcpy(lg->votes + lg->n * lg->n_parties, votes, lg->n_parties);
    lg->n++;
    return 1;
}

void sao_log_free(sao_log *lg) {
    pl__free(lg->rounds);
    pl__free(lg->parties);
    pl__free(lg->outcomes);
    pl__free(lg->votes);
}
