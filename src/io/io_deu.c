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
static const char *const actor_names[N_ACTORS] = {"European Commission",
                                                  "European Parliament",
                                                  "Austria",
                                                  "Belgium",
                                                  "Bulgaria",
                                                  "Croatia",
                                                  "Cyprus",
                                                  "Czechia",
                                                  "Denmark",
                                                  "Estonia",
                                                  "Finland",
                                                  "France",
                                                  "Germany",
                                                  "Greece",
                                                  "Hungary",
                                                  "Ireland",
                                                  "Italy",
                                                  "Latvia",
                                                  "Lithuania",
                                                  "Luxembourg",
                                                  "Malta",
                                                  "Netherlands",
                                                  "Poland",
                                                  "Portugal",
                                                  "Romania",
                                                  "Slovenia",
                                                  "Slovakia",
                                                  "Spain",
                                                  "Sweden",
                                                  "United Kingdom"};
/* Council votes under the Nice treaty; Commission and Parliament as the
** largest states (29). */
static const double nice_votes[N_ACTORS] = {29, 29, 10, 12, 10, 7, 4,  12, 7,  4,
                                            7,  29, 29, 12, 12, 7, 29, 4,  7,  4,
                                            3,  13, 27, 12, 14, 4, 7,  27, 10, 29};

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
static int parse_caps(const char *spec, const double *row, int have_row, double *caps, char *err,
                      size_t err_size) {
    for (int a = 0; a < N_ACTORS; a++) caps[a] = nice_votes[a];
    if (!spec || strcmp(spec, "nice") == 0) return 1;
    if (strcmp(spec, "equal") == 0) {
        for (int a = 0; a < N_ACTORS; a++) caps[a] = 1;
        return 1;
    }
    if (strcmp(spec, "row") == 0) {
        if (!have_row) {
            snprintf(
                err, err_size,
                "expected a weight line (the file's second line) for --capabilities row, found none");
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
                     "at, be, ...), found \"%s\"",
                     spec);
            return 0;
        }
        p++;
        char *end;
        double x = strtod(p, &end);
        if (end == p || !(x > 0 && x <= PL_MAX_CAPABILITY)) {
            snprintf(err, err_size,
                     "expected a capability greater than 0 and at most %g for %s, found \"%s\"",
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

/* ------------------------------------------------------------------------
** The reader, line by line
*/
/* A DEU table being read. */
typedef struct deu {
    diag_sink ds;
    pl_scenario *s;
    cell *cells; /* the current line's, MAX_COLS */
    int line_no;
    int n_header; /* columns in the header */
    /* where each field is (-1: no such column) */
    int col_p[N_ACTORS], col_s[N_ACTORS];
    int col_isnr, col_prname, col_prnr, col_proc, col_vote, col_rp, col_out;
    double row_w[N_ACTORS]; /* the weight line's, when have_row */
    int have_row;
    pl_deu_stats st;
} deu;

/* An issue row's values. */
typedef struct issue_row {
    double rp, outcome;
    int has_rp, has_out; /* as cell_num says */
    double x[N_ACTORS], sal[N_ACTORS];
    int has_x[N_ACTORS];
    size_t n_stakes;
} issue_row;

/* A cell's text for "found ...": at most 20 bytes. */
#define SHOWN(c) (int)((c)->len > 20 ? 20 : (c)->len), (c)->start

/* The header line: which column holds what.  Returns -1 when out of memory,
** 0 when reading cannot go on, 1 otherwise. */
static int read_header(deu *t, int n) {
    const cell *cells = t->cells;
    t->n_header = n;
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
            diag_error(&t->ds, 1, cells[i].column,
                       "expected each column name once, found \"%s\" as column %d and already "
                       "as column %d (at 1:%d)",
                       h, i + 1, dup + 1, cells[dup].column);
            continue;
        }
        if (strcmp(h, "isnr") == 0) t->col_isnr = i;
        else if (strcmp(h, "prname") == 0) t->col_prname = i;
        else if (strcmp(h, "prnr") == 0) t->col_prnr = i;
        else if (strcmp(h, "proc") == 0) t->col_proc = i;
        else if (strcmp(h, "counvte") == 0) t->col_vote = i;
        else if (strcmp(h, "rp") == 0) t->col_rp = i;
        else if (strcmp(h, "out") == 0) t->col_out = i;
        else if ((h[0] == 'p' || h[0] == 's') && h[1])
            for (int a = 0; a < N_ACTORS; a++)
                if (strcmp(h + 1, actor_ids[a]) == 0) (h[0] == 'p' ? t->col_p : t->col_s)[a] = i;
    }
    const char *need[] = {"isnr", "proc", "counvte", "rp", "out"};
    int have[] = {t->col_isnr, t->col_proc, t->col_vote, t->col_rp, t->col_out};
    for (int k = 0; k < 5; k++)
        if (have[k] < 0)
            diag_error(&t->ds, 1, 1, "expected a column \"%s\" in the header, found none", need[k]);
    int any = 0;
    for (int a = 0; a < N_ACTORS; a++) any |= t->col_p[a] >= 0;
    if (!any)
        diag_error(&t->ds, 1, 1,
                   "expected position columns (pcom, pep, pde, ...) in the header, found none");
    if (t->ds.n_errors) return 0;
    for (int a = 0; a < N_ACTORS; a++) {
        size_t idx;
        if (pl_scenario_add_actor(t->s, actor_ids[a], actor_names[a], nice_votes[a], &idx) != PL_OK)
            return -1;
        if (a < 2 && pl_scenario_set_role(t->s, idx, a == 0 ? "proposer" : "parliament") != PL_OK)
            return -1;
    }
    return 1;
}

/* The weight line (the second, without an issue number): a weight per
** actor, for --capabilities row. */
static void read_weights(deu *t) {
    t->have_row = 1;
    for (int a = 0; a < N_ACTORS; a++) {
        t->row_w[a] = 0;
        if (t->col_p[a] < 0) continue;
        const cell *c = &t->cells[t->col_p[a]];
        int got = cell_num(c, &t->row_w[a]);
        if (got < 0 || (got > 0 && !(t->row_w[a] > 0 && t->row_w[a] <= PL_MAX_CAPABILITY)))
            diag_error(&t->ds, t->line_no, c->column,
                       "expected a weight greater than 0 and at most %g for %s, found \"%.*s\"",
                       PL_MAX_CAPABILITY, actor_ids[a], SHOWN(c));
        if (got == 0) t->row_w[a] = 0;
    }
}

/* An issue row's reference point, outcome, positions and saliences, each
** checked; returns 1 if one is bad (reported). */
static int issue_values(deu *t, issue_row *row) {
    const cell *cells = t->cells, *c_rp = &cells[t->col_rp], *c_out = &cells[t->col_out];
    int line_no = t->line_no, bad = 0;
    row->rp = row->outcome = 0;
    row->has_rp = cell_num(c_rp, &row->rp);
    row->has_out = cell_num(c_out, &row->outcome);
    if (row->has_rp < 0 || (row->has_rp > 0 && (row->rp < 0 || row->rp > 100))) {
        diag_error(&t->ds, line_no, c_rp->column,
                   "expected a reference point from 0 to 100 or a blank, found \"%.*s\"",
                   SHOWN(c_rp));
        bad = 1;
    }
    if (row->has_out < 0 || (row->has_out > 0 && (row->outcome < 0 || row->outcome > 100))) {
        diag_error(&t->ds, line_no, c_out->column,
                   "expected an outcome from 0 to 100 or a blank, found \"%.*s\"", SHOWN(c_out));
        bad = 1;
    }
    row->n_stakes = 0;
    for (int a = 0; a < N_ACTORS; a++) {
        row->has_x[a] = 0;
        if (t->col_p[a] < 0) continue;
        const cell *c_p = &cells[t->col_p[a]];
        int got = cell_num(c_p, &row->x[a]);
        if (got < 0 || (got > 0 && (row->x[a] < 0 || row->x[a] > 100))) {
            diag_error(&t->ds, line_no, c_p->column,
                       "expected a position from 0 to 100 or a blank for %s, found \"%.*s\"",
                       actor_ids[a], SHOWN(c_p));
            bad = 1;
            continue;
        }
        if (got == 0) continue;
        row->sal[a] = 0;
        if (t->col_s[a] >= 0) {
            const cell *c_s = &cells[t->col_s[a]];
            int gs = cell_num(c_s, &row->sal[a]);
            if (gs < 0 || (gs > 0 && (row->sal[a] < 0 || row->sal[a] > 100))) {
                diag_error(&t->ds, line_no, c_s->column,
                           "expected a salience from 0 to 100 or a blank for %s, found \"%.*s\"",
                           actor_ids[a], SHOWN(c_s));
                bad = 1;
                continue;
            }
            if (gs == 0) row->sal[a] = 0;
        }
        row->has_x[a] = 1;
        row->n_stakes++;
    }
    return bad;
}

/* The row as an issue of the scenario.  Returns 0 when out of memory. */
static int add_issue(deu *t, const issue_row *row) {
    const cell *cells = t->cells;
    pl_scenario *s = t->s;
    char id[64], pname[256], issue_name[320], proc[16], vote[16];
    cell_str(&cells[t->col_isnr], id, sizeof id);
    for (char *c = id; *c; c++)
        if (!isalnum((unsigned char)*c) && *c != '_' && *c != '-') *c = '_';
    if (!id[0]) snprintf(id, sizeof id, "line%d", t->line_no);
    pname[0] = 0;
    if (t->col_prname >= 0) cell_str(&cells[t->col_prname], pname, sizeof pname);
    snprintf(issue_name, sizeof issue_name, "%s (%s)", pname[0] ? pname : "issue", id);
    cell_str(&cells[t->col_proc], proc, sizeof proc);
    cell_str(&cells[t->col_vote], vote, sizeof vote);
    size_t issue;
    pl_status rc = pl_scenario_add_issue(s, id, issue_name, 0, 100, &issue);
    if (rc == PL_EINPUT || rc == PL_EINVAL) {
        diag_error(&t->ds, t->line_no, cells[t->col_isnr].column,
                   "expected a unique issue id, found \"%s\" again", id);
        return 1;
    }
    if (rc != PL_OK) return 0;
    if (row->has_rp > 0 && pl_scenario_set_status_quo(s, issue, row->rp) != PL_OK) return 0;
    if (pl_scenario_set_outcome(s, issue, row->outcome) != PL_OK) return 0;
    if (proc[0] && pl_scenario_set_procedure(s, issue, proc) != PL_OK) return 0;
    if (t->col_prnr >= 0) {
        char prnr[64];
        cell_str(&cells[t->col_prnr], prnr, sizeof prnr);
        if (prnr[0] && pl_scenario_set_issue_group(s, issue, prnr) != PL_OK) return 0;
    }
    pl_decision_rule rule = strcmp(vote, "Unan") == 0  ? PL_RULE_UNANIMITY
                            : strcmp(vote, "QMV") == 0 ? PL_RULE_QUALIFIED
                                                       : PL_RULE_UNKNOWN;
    if (rule && pl_scenario_set_decision_rule(s, issue, rule) != PL_OK) return 0;
    for (int a = 0; a < N_ACTORS; a++)
        if (row->has_x[a] &&
            pl_scenario_set_position(s, (size_t)a, issue, row->x[a], row->sal[a]) != PL_OK)
            return 0;
    t->st.n_issues++;
    return 1;
}

/* An issue row: kept, skipped and counted, or reported.  Returns 0 when
** out of memory. */
static int read_issue(deu *t) {
    t->st.n_rows++;
    issue_row row;
    if (issue_values(t, &row)) return 1;
    if (row.has_out == 0) {
        t->st.n_no_outcome++;
        return 1;
    }
    if (row.n_stakes < 2) {
        t->st.n_few_positions++;
        return 1;
    }
    return add_issue(t, &row);
}

/* Every actor's capability, as `capabilities` says.  Returns 0 when out of
** memory. */
static int set_capabilities(deu *t, const char *capabilities) {
    double caps[N_ACTORS];
    char msg[300];
    if (!parse_caps(capabilities, t->row_w, t->have_row, caps, msg, sizeof msg)) {
        diag_error(&t->ds, 0, 0, "%s", msg);
        return 1;
    }
    for (int a = 0; a < N_ACTORS; a++) {
        /* an actor absent from the file's weight line keeps its Nice votes */
        double c = caps[a] > 0 ? caps[a] : nice_votes[a];
        if (pl_scenario_set_capability(t->s, (size_t)a, c) != PL_OK) return 0;
    }
    return 1;
}

/* Every line in turn.  Returns 0 when out of memory. */
static int read_lines(deu *t, const char *p, const char *end) {
    while (p < end && !t->ds.oom) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        if (!eol) eol = end;
        const char *line_end = eol > p && eol[-1] == '\r' ? eol - 1 : eol;
        int line_no = ++t->line_no;
        const char *line = p;
        p = eol < end ? eol + 1 : end;
        if (memchr(line, 0, (size_t)(line_end - line))) {
            diag_error(&t->ds, line_no, 1, "expected text, found a NUL byte");
            continue;
        }
        int n = split(line, line_end, t->cells, MAX_COLS);
        if (n > MAX_COLS) {
            diag_error(&t->ds, line_no, 1, "expected at most %d columns, found %d", MAX_COLS, n);
            continue;
        }
        if (line_no == 1) {
            int got = read_header(t, n);
            if (got < 0) return 0;
            if (got == 0) break;
            continue;
        }
        if (line_end == line) continue; /* blank line */
        if (n != t->n_header) {
            diag_error(&t->ds, line_no, 1,
                       "expected %d tab-separated columns as in the header, found %d", t->n_header,
                       n);
            continue;
        }
        char isnr[64];
        cell_str(&t->cells[t->col_isnr], isnr, sizeof isnr);
        if (line_no == 2 && !isnr[0]) read_weights(t);
        else if (!read_issue(t)) return 0;
    }
    return 1;
}

pl_status pl_scenario_load_deu_buffer(const char *text, size_t len, const char *name,
                                      const char *capabilities, pl_diags *diags, pl_scenario **out,
                                      pl_deu_stats *stats) {
    if (!out || !text) return PL_EINVAL;
    *out = NULL;
    if (!name) name = "<input>";
    if (stats) memset(stats, 0, sizeof *stats);
    pl_status rc = text_check(&text, &len, name, diags);
    if (rc != PL_OK) return rc;
    deu t;
    memset(&t, 0, sizeof t);
    t.ds.diags = diags;
    t.ds.file = name;
    t.col_isnr = t.col_prname = t.col_prnr = t.col_proc = t.col_vote = t.col_rp = t.col_out = -1;
    for (int a = 0; a < N_ACTORS; a++) t.col_p[a] = t.col_s[a] = -1;
    t.cells = pl__malloc(MAX_COLS * sizeof(cell));
    rc = t.cells ? pl_scenario_new("deu", name, &t.s) : PL_ENOMEM;
    if (rc == PL_OK) {
        int ok = read_lines(&t, text, text + len);
        if (ok && !t.ds.oom && !t.ds.n_errors && t.line_no == 0)
            diag_error(&t.ds, 1, 1, "expected a header line, found an empty file");
        if (ok && !t.ds.oom && !t.ds.n_errors) ok = set_capabilities(&t, capabilities);
        rc = !ok || t.ds.oom ? PL_ENOMEM : t.ds.n_errors ? PL_EINPUT : PL_OK;
    }
    if (rc != PL_OK) {
        pl_scenario_free(t.s);
        t.s = NULL;
    }
    pl__free(t.cells);
    *out = t.s;
    if (stats) *stats = t.st;
    return rc;
}

pl_status pl_scenario_load_deu_file(const char *path, const char *capabilities, pl_diags *diags,
                                    pl_scenario **out, pl_deu_stats *stats) {
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
