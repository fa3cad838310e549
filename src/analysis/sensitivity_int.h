/*
** sensitivity_int.h: the private structure of a sensitivity run
** (pl_sensitivity), built by sensitivity.c, read by its report
** (report/report_sensitivity.c) and written and rebuilt from partial
** results by part_sensitivity.c (a range of the inputs, joined exactly).
*/
#ifndef PL_SENSITIVITY_INT_H
#define PL_SENSITIVITY_INT_H

#include "parley.h"

struct pl_sensitivity {
    size_t n_issues;
    pl_swing **swings; /* per issue, largest swing first */
    size_t *n_swings;
    pl_model model;
    /* A range of the inputs (count > 0): their swings in the order made,
    ** rec_list[k] the issue whose list swing rec[k] belongs to, per_input[j]
    ** how many swings input first + j made. */
    uint64_t first, count, next;
    pl_swing *rec;
    size_t *rec_list, n_rec, cap_rec;
    size_t *per_input;
};

/* Room for one more swing in a range's record (rec, rec_list); 0 when out
** of memory (the record is kept as it was). */
int sensitivity_reserve_rec(pl_sensitivity *sens);
/* Every issue's swings sorted as pl_sensitivity_run sorts them: largest
** first, ties by actor, input and issue. */
void sensitivity_sort(pl_sensitivity *sens);
/* An empty result of n_issues lists (none allocated) for the inputs first
** .. first + count - 1 (count 0: all). *out is set even on PL_ENOMEM. */
pl_status sensitivity_new(size_t n_issues, pl_model model, uint64_t first, uint64_t count,
                          pl_sensitivity **out);

#endif
