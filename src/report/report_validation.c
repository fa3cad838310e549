/*
** report_validation.c: the outcome of validating scenario files (their
** diagnostics and a summary of each scenario that loaded), and the list of
** built-in scenarios.
*/
#include "core/buf.h"
#include "core/json_out.h"
#include "parley.h"
#include "report/report_int.h"

#include <jansson.h>

static const char *severity_name(pl_severity sev) {
    return sev == PL_SEV_ERROR ? "error" : "warning";
}

/* One file's validation report as a JSON object. */
static json_t *validation_json(const char *file, const pl_scenario *s, const pl_diags *diags,
                               int *ok) {
    size_t n = pl_diags_count(diags);
    json_t *root = json_object(), *arr = json_array();
    jout_str(root, "file", file, ok);
    jout_set(root, "valid", json_boolean(s != NULL), ok);
    jout_set(root, "errors", json_integer((json_int_t)pl_diags_errors(diags)), ok);
    jout_set(root, "warnings", json_integer((json_int_t)pl_diags_warnings(diags)), ok);
    if (s) {
        jout_str(root, "id", pl_scenario_id(s), ok);
        jout_set(root, "n_actors", json_integer((json_int_t)pl_scenario_n_actors(s)), ok);
        jout_set(root, "n_issues", json_integer((json_int_t)pl_scenario_n_issues(s)), ok);
        jout_set(root, "n_positions", json_integer((json_int_t)pl_scenario_n_positions(s)), ok);
    }
    for (size_t i = 0; i < n; i++) {
        const pl_diag *d = pl_diags_get(diags, i);
        json_t *o = json_object();
        jout_str(o, "severity", severity_name(d->severity), ok);
        jout_str(o, "file", d->file, ok);
        jout_set(o, "line", json_integer(d->line), ok);
        jout_set(o, "column", json_integer(d->column), ok);
        jout_str(o, "message", d->message, ok);
        jout_push(arr, o, ok);
    }
    jout_set(root, "diagnostics", arr, ok);
    return root;
}

/* One file's text line, or its CSV rows (without the header). */
static void validation_rows(buf *b, const char *file, const pl_scenario *s, const pl_diags *diags,
                            pl_format format) {
    size_t n = pl_diags_count(diags);
    if (format == PL_FORMAT_CSV) {
        for (size_t i = 0; i < n; i++) {
            const pl_diag *d = pl_diags_get(diags, i);
            buf_printf(b, "%s,", severity_name(d->severity));
            buf_csv(b, d->file);
            buf_printf(b, ",%d,%d,", d->line, d->column);
            buf_csv(b, d->message);
            buf_putc(b, '\n');
        }
    } else if (s) {
        buf_printf(b,
                   "%s: valid scenario \"%s\": %zu actors, %zu issues, %zu positions, "
                   "%zu warning%s\n",
                   file, pl_scenario_id(s), pl_scenario_n_actors(s), pl_scenario_n_issues(s),
                   pl_scenario_n_positions(s), pl_diags_warnings(diags),
                   pl_diags_warnings(diags) == 1 ? "" : "s");
    } else {
        buf_printf(b, "%s: invalid: %zu error%s, %zu warning%s\n", file, pl_diags_errors(diags),
                   pl_diags_errors(diags) == 1 ? "" : "s", pl_diags_warnings(diags),
                   pl_diags_warnings(diags) == 1 ? "" : "s");
    }
}

pl_status pl_report_validation(const char *file, const pl_scenario *s, const pl_diags *diags,
                               pl_format format, char **out) {
    return pl_report_validations(1, &file, &s, &diags, format, out);
}

pl_status pl_report_validations(size_t n, const char *const *files,
                                const pl_scenario *const *scenarios, const pl_diags *const *diags,
                                pl_format format, char **out) {
    if (!out) return PL_EINVAL;
    *out = NULL;
    if ((unsigned)format > PL_FORMAT_CSV) return PL_EINVAL; /* HTML, SVG: parley/report.h */
    if (n == 0 || !files || !scenarios || !diags) return PL_EINVAL;
    for (size_t k = 0; k < n; k++)
        if (!files[k]) return PL_EINVAL;
    if (format == PL_FORMAT_JSON) {
        int ok = 1;
        if (n == 1) {
            /* ok is read after the tree is built (argument order is unspecified) */
            json_t *one = validation_json(files[0], scenarios[0], diags[0], &ok);
            return json_out(one, ok, 12, out);
        }
        json_t *root = json_object(), *arr = json_array();
        size_t errors = 0, warnings = 0, valid = 1;
        for (size_t k = 0; k < n; k++) {
            errors += pl_diags_errors(diags[k]);
            warnings += pl_diags_warnings(diags[k]);
            if (!scenarios[k]) valid = 0;
            jout_push(arr, validation_json(files[k], scenarios[k], diags[k], &ok), &ok);
        }
        jout_set(root, "valid", json_boolean(valid), &ok);
        jout_set(root, "errors", json_integer((json_int_t)errors), &ok);
        jout_set(root, "warnings", json_integer((json_int_t)warnings), &ok);
        jout_set(root, "files", arr, &ok);
        return json_out(root, ok, 12, out);
    }
    buf b = {0};
    if (format == PL_FORMAT_CSV) buf_puts(&b, "severity,file,line,column,message\n");
    for (size_t k = 0; k < n; k++) validation_rows(&b, files[k], scenarios[k], diags[k], format);
    return report_take(&b, out);
}

pl_status pl_report_builtins(pl_format format, char **out) {
    if (!out) return PL_EINVAL;
    *out = NULL;
    if ((unsigned)format > PL_FORMAT_CSV) return PL_EINVAL; /* HTML, SVG: parley/report.h */
    size_t n = pl_builtin_count();
    if (format == PL_FORMAT_JSON) {
        int ok = 1;
        json_t *arr = json_array();
        for (size_t i = 0; i < n; i++) {
            json_t *o = json_object();
            jout_str(o, "id", pl_builtin_id(i), &ok);
            jout_str(o, "name", pl_builtin_title(i), &ok);
            jout_push(arr, o, &ok);
        }
        return json_out(arr, ok, 12, out);
    }
    buf b = {0};
    if (format == PL_FORMAT_CSV) buf_puts(&b, "id,name\n");
    for (size_t i = 0; i < n; i++) {
        if (format == PL_FORMAT_CSV) {
            buf_csv(&b, pl_builtin_id(i));
            buf_putc(&b, ',');
            buf_csv(&b, pl_builtin_title(i));
            buf_putc(&b, '\n');
        } else {
            buf_cell(&b, pl_builtin_id(i), 18);
            buf_printf(&b, "  %s\n", pl_builtin_title(i));
        }
    }
    return report_take(&b, out);
}
