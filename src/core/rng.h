/*
** rng.h: parley's random numbers -- xoshiro256** seeded through splitmix64.
** A stream is fixed by (seed, stream index), e.g. (user seed, run index),
** so results never depend on which thread ran what.
*/
#ifndef PL_RNG_H
#define PL_RNG_H

#include <stdint.h>

typedef struct rng {
    uint64_t s[4];
} rng;

void rng_seed(rng *r, uint64_t seed, uint64_t stream);
uint64_t rng_next(rng *r);
/* Uniform on [0, 1), 53 random bits. */
double rng_uniform(rng *r);
/* Standard normal (the ziggurat method, Marsaglia & Tsang 2000). */
double rng_normal(rng *r);

#endif
