/*
** report_int.h: what the report files share.  Every report is built whole in
** memory -- text and CSV in a buf (core/buf.h), JSON as a jansson tree
** turned into text by json_out (core/json_out.h) -- and handed over as one
** string, so that nothing is half-written.
*/
#ifndef PL_REPORT_INT_H
#define PL_REPORT_INT_H

#include "core/buf.h"
#include "parley.h"

/* The buffer's text into *out (the buffer is left empty): PL_OK, or
** PL_ENOMEM when the buffer ran out of memory on the way. */
pl_status report_take(buf *b, char **out);

#endif
