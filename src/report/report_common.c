/*
** report_common.c: what every report uses -- the format names and the
** handing over of a report's text.
*/
#include "core/buf.h"
#include "parley.h"
#include "report/report_int.h"

#include <string.h>

pl_status pl_format_from_name(const char *name, pl_format *out) {
    static const char *const names[] = {"text", "json", "csv"};
    if (!name || !out) return PL_EINVAL;
    for (int i = 0; i < 3; i++)
        if (strcmp(name, names[i]) == 0) {
            *out = (pl_format)i;
            return PL_OK;
        }
    return PL_ENOTFOUND;
}

pl_status report_take(buf *b, char **out) {
    *out = buf_take(b);
    return *out ? PL_OK : PL_ENOMEM;
}
