/*
** whatif.h: the what-if changes a scenario carries (whatif.c), stated the
** same way by every report of a changed scenario: a "Changes:" block in
** text, a "changes" array in JSON, "# change: ..." comment lines before a
** CSV table's header.
*/
#ifndef PL_WHATIF_H
#define PL_WHATIF_H

#include <jansson.h>

#include "core/buf.h"
#include "parley.h"

/* Nothing when the scenario carries no change. */
void whatif_text(buf *b, const pl_scenario *s);
void whatif_csv(buf *b, const pl_scenario *s);
/* The "changes" array (empty when none); NULL only when out of memory. */
json_t *whatif_json(const pl_scenario *s);
/* One change as a line of text, without newline: "set a.b.position: 30 -> 40". */
void whatif_line(buf *b, const pl_change *c);

#endif
