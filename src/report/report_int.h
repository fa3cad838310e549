/*
** report_int.h: what the report files share.  Every report is built whole in
** memory -- text and CSV in a buf (core/buf.h), JSON as a jansson tree
** turned into text by json_out (core/json_out.h) -- and handed over as one
** string, so that nothing is half-written.
*/
#ifndef PL_REPORT_INT_H
#define PL_REPORT_INT_H

#include <jansson.h>

#include "core/buf.h"
#include "parley.h"

/* The buffer's text into *out (the buffer is left empty): PL_OK, or
** PL_ENOMEM when the buffer ran out of memory on the way. */
pl_status report_take(buf *b, char **out);

/* The what-if changes a scenario carries (pl_whatif_*), stated the same way
** by every report of a changed scenario: a "Changes:" block in text (nothing
** when there is none), "# change: ..." comment lines before a CSV table's
** header, a "changes" array in JSON (empty when none; NULL only when out of
** memory). */
void report_changes_text(buf *b, const pl_scenario *s);
/* One change as a line of text, without newline: "set a.b.position: 30 -> 40". */
void report_change_line(buf *b, const pl_change *c);
void report_changes_csv(buf *b, const pl_scenario *s);
json_t *report_changes_json(const pl_scenario *s);

/* An issue's scale, stated the same way by the forecast and the scenario:
** in words, "0 = label .. 100 = label (unit)" without a newline; in JSON,
** min, max and their labels set on `scale` (the unit is each report's). */
void report_scale_text(buf *b, const pl_issue *is);
void report_scale_json(json_t *scale, const pl_issue *is, int *ok);

/* The HTML page around a report (report_html.c): the head with the inline
** CSS and the error hook, then <body><main>; and its end (evidence: 1 when
** the page has the evidence table, which its footer then points to). */
void report_html_open(buf *b, const char *title);
void report_html_close(buf *b, int evidence);

/* A negotiation as one HTML page (PL_FORMAT_HTML, `command` stated in its
** header when not NULL) or its charts alone (PL_FORMAT_SVG; PL_EINVAL
** without a trace): report_sao_html.c.  st: pl_negotiation_stats_get's
** figures against d (d may be NULL). */
pl_status report_negotiation_page(const pl_space *sp, const pl_negotiation *neg, const pl_deals *d,
                                  const pl_negotiation_stats *st, pl_format format,
                                  const char *command, char **out);

/* Why a negotiation ended without an agreement, the sentence after "No
** agreement: " (report_common.c), without a newline: the names of the party
** and agent that ended it written by put (buf_puts for text, svg_escape for
** HTML), so that the text and the page say it in the same words. */
void report_no_agreement(buf *b, const pl_space *sp, const pl_negotiation *neg,
                         void (*put)(buf *, const char *));

#endif
