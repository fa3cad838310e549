/*
** io_deu.c: the reader of the DEU table format (Decision-making in the
** European Union data sets; ../shared/data/deu3/README.md).
**
** Tab-separated: a header line, a line of per-actor weights, then one issue
** per line.  Each issue becomes an issue of one scenario on the 0-100 scale,
** with the actors' positions (p<actor>) and saliences (s<actor>), the
** reference point (rp) as status quo, the outcome (out), the procedure
** (proc) and the Council's voting rule (counvte).  Rules, chosen so that the
** published reference figures come out (docs/backtest.md):
**   - a blank position means no stake; a position with a blank salience
**     counts with salience 0 (no weight, but a stake);
**   - issues without an outcome are skipped and counted, as are issues with
**     fewer than two positions;
**   - capability comes from a table: the Council votes under the Nice treaty
**     by default (Commission and Parliament as the largest states), the
**     file's own weight line, equal, or overrides "id=value,...".
*/
#include "core/alloc.h"
#include "core/diag.h"
#include "io/io_file.h"
#include "core/text.h"
#include "parley.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_COLS 256
#define N_ACTORS 30

static const char *const actor_ids[N_ACTORS] = {
    "com", "ep", "at", "be", "bu", "cr", "cy", "cz", "dk", "ee", "fi", "fr", "de", "el", "hu",
    "ie",  "it", "lv", "lt", "lu", "mt", "nl", "pl", "pt", "ro", "si", "sk", "es", "se", "uk"};
static const char *const actor_names[N_ACTORS] = {
    "European Commission", "European Parliament", "Austria", "Belgium", "Bulgaria",
    "Croatia", "Cyprus", "Czechia", "Denmark", "Estonia", "Finland", "France", "Germany",
    "Greece", "Hungary", "Ireland", "Italy", "Latvia", "Lithuania", "Luxembourg", "Malta",
    "Netherlands", "Poland", "Portugal", "Romania", "Slovenia", "Slovakia", "Spain",
    "Sweden", "United Kingdom"};
/* Council votes under the Nice treaty; Commission and Parliament as the
** largest states (29). */
static const double nice_votes[N_ACTORS] = {29, 29, 10, 12, 10, 7, 4, 12, 7, 4, 7, 29, 29, 12, 12,
                                            7,  29, 4,  7,  4,  3, 13, 27, 12, 14, 4, 7, 27, 10, 29};

typedef struct cell {
    const char *start;
    size_t len;
    int column;
} cell;

/* Split one line at tabs; returns the number of cells. */
static int split(const char *line, const char *end, cell *cells, int max) {
    int n = 0, column = 1;
    const char *p = line;
    for (;;) {
        const char *q = p;
        int col0 = column;
        while (q < end && *q != '\t') {
            if (((unsigned char)*q & 0xC0) != 0x80) column++;
            q++;
        }
        if (n < max) {
            cells[n].start = p;
            cells[n].len = (size_t)(q - p);
            cells[n].column = col0;
        }
        n++;
        if (q >= end) break;
        p = q + 1;
        column++;
    }
    return n;
}

static void cell_str(const cell *c, char *buf, size_t size) {
    size_t n = c->len < size - 1 ? c->len : size - 1;
    memcpy(buf, c->start, n);
    buf[n] = 0;
    /* trim */
    while (n && isspace((unsigned char)buf[n - 1])) buf[--n] = 0;
    size_t k = 0;
    while (buf[k] && isspace((unsigned char)buf[k])) k++;
    if (k) memmove(buf, buf + k, n - k + 1);
}

/* 1: a number stored; 0: blank; -1: not a number. */
static int cell_num(const cell *c, double *out) {
    char buf[64];
    if (c->len >= sizeof buf) return -1;
    cell_str(c, buf, sizeof buf);
    if (!buf[0]) return 0;
    char *end;
    errno = 0;
    double x = strtod(buf, &end);
    if (*end || errno == ERANGE || !isfinite(x)) return -1;
    *out = x;
    return 1;
}

/* Parse a capability spec into caps[]; returns 0 if bad (message in err). */
static int parse_caps(const char *spec, const double *row, int have_row, double *caps,
                      char *err, size_t err_size) {
    for (int a = 0; a < N_ACTORS; a++) caps[a] = nice_votes[a];
    if (!spec || strcmp(spec, "nice") == 0) return 1;
    if (strcmp(spec, "equal") == 0) {
        for (int a = 0; a < N_ACTORS; a++) caps[a] = 1;
        return 1;
    }
    if (strcmp(spec, "row") == 0) {
        if (!have_row) {
            snprintf(err, err_size, "expected a weight line (the file's second line) for --capabilities row, found none");
            return 0;
        }
        for (int a = 0; a < N_ACTORS; a++) caps[a] = row[a];
        return 1;
    }
    /* id=value,id=value over the Nice defaults */
    const char *p = spec;
    while (*p) {
        char id[16];
        size_t k = 0;
        while (*p && *p != '=' && *p != ',' && k + 1 < sizeof id) id[k++] = *p++;
        id[k] = 0;
        int a = -1;
        for (int i = 0; i < N_ACTORS; i++)
            if (strcmp(actor_ids[i], id) == 0) a = i;
        if (a < 0 || *p != '=') {
            snprintf(err, err_size,
                     "expected nice, row, equal or ACTOR=VALUE,... with DEU actor ids (com, ep, "
                     "at, be, ...), found \"%s\"", spec);
            return 0;
        }
        p++;
        char *end;
        double x = strtod(p, &end);
        if (end == p || !(x > 0 && x <= PL_MAX_CAPABILITY)) {
            snprintf(err, err_size, "expected a capability greater than 0 and at most %g for %s, found \"%s\"",
                     PL_MAX_CAPABILITY, id, p);
            return 0;
        }
        caps[a] = x;
        p = end;
        if (*p == ',') p++;
        else if (*p) {
            snprintf(err, err_size, "expected ',' between capabilities, found \"%s\"", p);
            return 0;
        }
    }
    return 1;
}

pl_status pl_scenario_load_deu_buffer(const char *text, size_t len, const char *name,
                                      const char *capabilities, pl_diags *diags,
                                      pl_scenario **out, pl_deu_stats *stats) {
    if (!out || !text) return PL_EINVAL;
    *out = NULL;
    if (!name) name = "<input>";
    pl_deu_stats st = {0};
    if (stats) *stats = st;
    pl_status text_rc = text_check(&text, &len, name, diags);
    if (text_rc != PL_OK) return text_rc;
    cell *cells = pl__malloc(MAX_COLS * sizeof(cell));
    pl_scenario *s = NULL;
    pl_status rc = PL_ENOMEM;
    diag_sink ds = {.diags = diags, .file = name};
    if (!cells) goto done;

    const char *p = text, *end = text + len;
    int line_no = 0;
    int col_p[N_ACTORS], col_s[N_ACTORS], col_isnr = -1, col_prname = -1, col_prnr = -1, col_proc = -1,
        col_vote = -1, col_rp = -1, col_out = -1, n_header = 0;
    double row_w[N_ACTORS];
    int have_row = 0;
    for (int a = 0; a < N_ACTORS; a++) col_p[a] = col_s[a] = -1;

    if ((rc = pl_scenario_new("deu", name, &s)) != PL_OK) goto done;
    rc = PL_ENOMEM;

    while (p < end && !ds.oom) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        if (!eol) eol = end;
        const char *line_end = eol > p && eol[-1] == '\r' ? eol - 1 : eol;
        line_no++;
        const char *line = p;
        p = eol < end ? eol + 1 : end;
        if (memchr(line, 0, (size_t)(line_end - line))) {
            diag_error(&ds, line_no, 1, "expected text, found a NUL byte");
            continue;
        }
        int n = split(line, line_end, cells, MAX_COLS);
        if (n > MAX_COLS) {
            diag_error(&ds, line_no, 1, "expected at most %d columns, found %d", MAX_COLS, n);
            continue;
        }
        if (line_no == 1) {
            n_header = n;
            for (int i = 0; i < n; i++) {
                char h[64];
                cell_str(&cells[i], h, sizeof h);
                /* a name given twice would let the later column win unseen */
                int dup = -1;
                for (int j = 0; h[0] && j < i && dup < 0; j++) {
                    char g[64];
                    cell_str(&cells[j], g, sizeof g);
                    if (strcmp(g, h) == 0) dup = j;
                }
                if (dup >= 0) {
                    diag_error(&ds, 1, cells[i].column,
                               "expected each column name once, found \"%s\" as column %d and "
                               "already as column %d (at 1:%d)",
                               h, i + 1, dup + 1, cells[dup].column);
                    continue;
                }
                if (strcmp(h, "isnr") == 0) col_isnr = i;
                else if (strcmp(h, "prname") == 0) col_prname = i;
                else if (strcmp(h, "prnr") == 0) col_prnr = i;
                else if (strcmp(h, "proc") == 0) col_proc = i;
                else if (strcmp(h, "counvte") == 0) col_vote = i;
                else if (strcmp(h, "rp") == 0) col_rp = i;
                else if (strcmp(h, "out") == 0) col_out = i;
                else if ((h[0] == 'p' || h[0] == 's') && h[1])
                    for (int a = 0; a < N_ACTORS; a++)
                        if (strcmp(h + 1, actor_ids[a]) == 0) (h[0] == 'p' ? col_p : col_s)[a] = i;
            }
            const char *need[] = {"isnr", "proc", "counvte", "rp", "out"};
            int have[] = {col_isnr, col_proc, col_vote, col_rp, col_out};
            for (int k = 0; k < 5; k++)
                if (have[k] < 0)
                    diag_error(&ds, 1, 1, "expected a column \"%s\" in the header, found none",
                               need[k]);
            int any = 0;
            for (int a = 0; a < N_ACTORS; a++) any |= col_p[a] >= 0;
            if (!any)
                diag_error(
                    &ds, 1, 1,
                    "expected position columns (pcom, pep, pde, ...) in the header, found none");
            if (ds.n_errors) break;
            for (int a = 0; a < N_ACTORS; a++) {
                size_t idx;
                if (pl_scenario_add_actor(s, actor_ids[a], actor_names[a], nice_votes[a], &idx) != PL_OK) goto done;
                if (a < 2 && pl_scenario_set_role(s, idx, a == 0 ? "proposer" : "parliament") != PL_OK) goto done;
            }
            continue;
        }
        if (line_end == line) continue; /* blank line */
        if (n != n_header) {
            diag_error(&ds, line_no, 1,
                       "expected %d tab-separated columns as in the header, found %d", n_header, n);
            continue;
        }
        char isnr[64];
        cell_str(&cells[col_isnr], isnr, sizeof isnr);
        if (line_no == 2 && !isnr[0]) {
            /* the weight line */
            have_row = 1;
            for (int a = 0; a < N_ACTORS; a++) {
                row_w[a] = 0;
                if (col_p[a] < 0) continue;
                int got = cell_num(&cells[col_p[a]], &row_w[a]);
                if (got < 0 || (got > 0 && !(row_w[a] > 0 && row_w[a] <= PL_MAX_CAPABILITY)))
                    diag_error(
                        &ds, line_no, cells[col_p[a]].column,
                        "expected a weight greater than 0 and at most %g for %s, found \"%.*s\"",
                        PL_MAX_CAPABILITY, actor_ids[a],
                        (int)(cells[col_p[a]].len > 20 ? 20 : cells[col_p[a]].len),
                        cells[col_p[a]].start);
                if (got == 0) row_w[a] = 0;
            }
            continue;
        }
        st.n_rows++;
        /* the issue */
        double rp = 0, outcome = 0;
        int has_rp = cell_num(&cells[col_rp], &rp), has_out = cell_num(&cells[col_out], &outcome);
        int bad = 0;
        if (has_rp < 0 || (has_rp > 0 && (rp < 0 || rp > 100))) {
            diag_error(&ds, line_no, cells[col_rp].column,
                       "expected a reference point from 0 to 100 or a blank, found \"%.*s\"",
                       (int)(cells[col_rp].len > 20 ? 20 : cells[col_rp].len), cells[col_rp].start);
            bad = 1;
        }
        if (has_out < 0 || (has_out > 0 && (outcome < 0 || outcome > 100))) {
            diag_error(&ds, line_no, cells[col_out].column,
                       "expected an outcome from 0 to 100 or a blank, found \"%.*s\"",
                       (int)(cells[col_out].len > 20 ? 20 : cells[col_out].len),
                       cells[col_out].start);
            bad = 1;
        }
        double x[N_ACTORS], sal[N_ACTORS];
        int has_x[N_ACTORS];
        size_t n_stakes = 0;
        for (int a = 0; a < N_ACTORS; a++) {
            has_x[a] = 0;
            if (col_p[a] < 0) continue;
            int got = cell_num(&cells[col_p[a]], &x[a]);
            if (got < 0 || (got > 0 && (x[a] < 0 || x[a] > 100))) {
                diag_error(&ds, line_no, cells[col_p[a]].column,
                           "expected a position from 0 to 100 or a blank for %s, found \"%.*s\"",
                           actor_ids[a], (int)(cells[col_p[a]].len > 20 ? 20 : cells[col_p[a]].len),
                           cells[col_p[a]].start);
                bad = 1;
                continue;
            }
            if (got == 0) continue;
            sal[a] = 0;
            if (col_s[a] >= 0) {
                int gs = cell_num(&cells[col_s[a]], &sal[a]);
                if (gs < 0 || (gs > 0 && (sal[a] < 0 || sal[a] > 100))) {
                    diag_error(
                        &ds, line_no, cells[col_s[a]].column,
                        "expected a salience from 0 to 100 or a blank for %s, found \"%.*s\"",
                        actor_ids[a], (int)(cells[col_s[a]].len > 20 ? 20 : cells[col_s[a]].len),
                        cells[col_s[a]].start);
                    bad = 1;
                    continue;
                }
                if (gs == 0) sal[a] = 0;
            }
            has_x[a] = 1;
            n_stakes++;
        }
        if (bad) continue;
        if (has_out == 0) {
            st.n_no_outcome++;
            continue;
        }
        if (n_stakes < 2) {
            st.n_few_positions++;
            continue;
        }
        char id[64], pname[256], issue_name[320], proc[16], vote[16];
        cell_str(&cells[col_isnr], id, sizeof id);
        for (char *c = id; *c; c++)
            if (!isalnum((unsigned char)*c) && *c != '_' && *c != '-') *c = '_';
        if (!id[0]) snprintf(id, sizeof id, "line%d", line_no);
        pname[0] = 0;
        if (col_prname >= 0) cell_str(&cells[col_prname], pname, sizeof pname);
        snprintf(issue_name, sizeof issue_name, "%s (%s)", pname[0] ? pname : "issue", id);
        cell_str(&cells[col_proc], proc, sizeof proc);
        cell_str(&cells[col_vote], vote, sizeof vote);
        size_t issue;
        pl_status r2 = pl_scenario_add_issue(s, id, issue_name, 0, 100, &issue);
        if (r2 == PL_EINPUT || r2 == PL_EINVAL) {
            diag_error(&ds, line_no, cells[col_isnr].column,
                       "expected a unique issue id, found \"%s\" again", id);
            continue;
        }
        if (r2 != PL_OK) goto done;
        if (has_rp > 0 && pl_scenario_set_status_quo(s, issue, rp) != PL_OK) goto done;
        if (pl_scenario_set_outcome(s, issue, outcome) != PL_OK) goto done;
        if (proc[0] && pl_scenario_set_procedure(s, issue, proc) != PL_OK) goto done;
        if (col_prnr >= 0) {
            char prnr[64];
            cell_str(&cells[col_prnr], prnr, sizeof prnr);
            if (prnr[0] && pl_scenario_set_issue_group(s, issue, prnr) != PL_OK) goto done;
        }
        pl_decision_rule rule = strcmp(vote, "Unan") == 0  ? PL_RULE_UNANIMITY
                                : strcmp(vote, "QMV") == 0 ? PL_RULE_QUALIFIED
                                                           : PL_RULE_UNKNOWN;
        if (rule && pl_scenario_set_decision_rule(s, issue, rule) != PL_OK) goto done;
        for (int a = 0; a < N_ACTORS; a++)
            if (has_x[a] && pl_scenario_set_position(s, (size_t)a, issue, x[a], sal[a]) != PL_OK) goto done;
        st.n_issues++;
    }
    if (ds.oom) goto done;
    if (!ds.n_errors && line_no == 0)
        diag_error(&ds, 1, 1, "expected a header line, found an empty file");
    if (!ds.n_errors) {
        double caps[N_ACTORS];
        char msg[300];
        if (!parse_caps(capabilities, row_w, have_row, caps, msg, sizeof msg)) {
            diag_error(&ds, 0, 0, "%s", msg);
        } else {
            for (int a = 0; a < N_ACTORS; a++) {
                /* an actor absent from the file's weight line keeps its Nice votes */
                double c = caps[a] > 0 ? caps[a] : nice_votes[a];
                if (pl_scenario_set_capability(s, (size_t)a, c) != PL_OK) goto done;
            }
        }
    }
    if (ds.oom) goto done;
    rc = ds.n_errors ? PL_EINPUT : PL_OK;
done:
    if (ds.oom) rc = PL_ENOMEM;
    if (rc != PL_OK) {
        pl_scenario_free(s);
        s = NULL;
    }
    pl__free(cells);
    *out = s;
    if (stats) *stats = st;
    return rc;
}

pl_status pl_scenario_load_deu_file(const char *path, const char *capabilities,
                                    pl_diags *diags, pl_scenario **out,
                                    pl_deu_stats *stats) {
    if (!out || !path) return PL_EINVAL;
    *out = NULL;
    char *text;
    size_t len;
    pl_status rc = io_file_read(path, diags, &text, &len);
    if (rc != PL_OK) return rc;
    rc = pl_scenario_load_deu_buffer(text, len, path, capabilities, diags, out, stats);
    pl__free(text);
    return rc;
}
