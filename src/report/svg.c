/*
** svg.c: the drawing kit of the HTML and SVG reports (svg.h): scales,
** ticks at round numbers, text widths, escaping, and the label placers.
*/
#include "report/svg.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

double svg_map(const svg_scale *s, double v) {
    if (!(s->d1 != s->d0)) return (s->r0 + s->r1) / 2;
    return s->r0 + (v - s->d0) / (s->d1 - s->d0) * (s->r1 - s->r0);
}

/* ------------------------------------------------------------------------
** Ticks
*/
size_t svg_ticks(double lo, double hi, size_t target, double *ticks, size_t max, double *step) {
    if (hi < lo) {
        double t = lo;
        lo = hi;
        hi = t;
    }
    *step = 0;
    if (!max) return 0;
    if (!(hi > lo) || !isfinite(hi - lo)) {
        ticks[0] = lo;
        return 1;
    }
    if (target < 1) target = 1;
    double raw = (hi - lo) / (double)target;
    double mag = pow(10, floor(log10(raw)));
    double norm = raw / mag, nice;
    if (norm < 1.5) nice = 1;
    else if (norm < 3.5) nice = 2;
    else if (norm < 7.5) nice = 5;
    else nice = 10;
    double st = nice * mag;
    *step = st;
    double first = ceil(lo / st - 1e-9);
    size_t n = 0;
    for (double k = first; n < max; k += 1) {
        double v = k * st;
        if (v > hi + st * 1e-9) break;
        if (fabs(v) < st * 1e-9) v = 0; /* no -0 and no 1e-17 */
        ticks[n++] = v;
    }
    return n;
}

void svg_tick_label(char *out, size_t n, double v, double step) {
    int decimals = 0;
    if (step > 0 && step < 1) {
        decimals = (int)ceil(-log10(step) - 1e-9);
        if (decimals > 12) decimals = 12;
    }
    if (fabs(v) < 1e-12 * (step > 0 ? step : 1)) v = 0;
    snprintf(out, n, "%.*f", decimals, v);
    if (strcmp(out, "-0") == 0) snprintf(out, n, "0");
}

/* ------------------------------------------------------------------------
** Text
*/
double svg_text_width(const char *s, double size) {
    double em = 0;
    for (const unsigned char *p = (const unsigned char *)s; p && *p; p++) {
        unsigned c = *p;
        if ((c & 0xC0) == 0x80) continue; /* a continuation byte */
        if (c >= 0x80) em += 0.62;        /* any other letter, generously */
        else if (strchr("iljtf.,;:'!|I ()[]", (int)c)) em += 0.34;
        else if (strchr("mwMW@%", (int)c)) em += 0.90;
        else if (c >= 'A' && c <= 'Z') em += 0.68;
        else if (c >= '0' && c <= '9') em += 0.58;
        else em += 0.56;
    }
    return em * size;
}

void svg_escape(buf *b, const char *s) {
    for (; s && *s; s++) switch (*s) {
            case '&': buf_puts(b, "&amp;"); break;
            case '<': buf_puts(b, "&lt;"); break;
            case '>': buf_puts(b, "&gt;"); break;
            case '"': buf_puts(b, "&quot;"); break;
            case '\'': buf_puts(b, "&#39;"); break;
            default: buf_putc(b, *s);
        }
}

void svg_escape_cut(buf *b, const char *s, size_t max_chars) {
    size_t chars = 0;
    const char *p = s;
    for (; p && *p; p++)
        if (((unsigned char)*p & 0xC0) != 0x80 && chars++ == max_chars) break;
    if (!p || !*p) {
        svg_escape(b, s);
        return;
    }
    /* cut before the character that did not fit, keep room for "..." */
    size_t keep = max_chars > 1 ? max_chars - 1 : 0;
    chars = 0;
    const char *q = s;
    for (; *q; q++)
        if (((unsigned char)*q & 0xC0) != 0x80 && chars++ == keep) break;
    for (const char *r = s; r < q; r++) {
        char one[2] = {*r, 0};
        svg_escape(b, one);
    }
    buf_puts(b, "\xe2\x80\xa6"); /* ... */
}

void svg_num(buf *b, double v) {
    if (!isfinite(v)) v = 0;
    double r = round(v * 100) / 100;
    if (r == 0) r = 0; /* no -0 */
    if (r == floor(r) && fabs(r) < 1e15) buf_printf(b, "%.0f", r);
    else buf_printf(b, "%.2f", r);
}

/* ------------------------------------------------------------------------
** Label placement
*/
static int boxes_overlap(const svg_label *a, const svg_label *b, double gap) {
    return fabs(a->x - b->x) * 2 < a->w + b->w + 2 * gap &&
           fabs(a->y - b->y) * 2 < a->h + b->h + 2 * gap;
}

int svg_labels_overlap(const svg_label *labels, size_t n) {
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++)
            if (labels[i].shown && labels[j].shown && boxes_overlap(&labels[i], &labels[j], 0))
                return 1;
    return 0;
}

/* Insertion sort of the indices by priority, descending; ties by index. */
static void by_priority(const svg_label *labels, size_t n, size_t *order) {
    for (size_t i = 0; i < n; i++) {
        size_t k = i;
        while (k > 0 && labels[order[k - 1]].priority < labels[i].priority) {
            order[k] = order[k - 1];
            k--;
        }
        order[k] = i;
    }
}

size_t svg_place_labels(svg_label *labels, size_t n, double x_lo, double x_hi, double lane_step,
                        int n_lanes, double max_shift, double gap, size_t *scratch) {
    if (!n) return 0;
    size_t *order = scratch, *placed = scratch + n;
    by_priority(labels, n, order);
    size_t n_placed = 0;
    if (n_lanes < 1) n_lanes = 1;
    for (size_t oi = 0; oi < n; oi++) {
        svg_label *l = &labels[order[oi]];
        l->shown = 0;
        double half = l->w / 2;
        double step = l->w / 4 > 2 ? l->w / 4 : 2;
        for (int lane = 0; lane < n_lanes && !l->shown; lane++) {
            l->y = l->want_y + lane * lane_step;
            l->lane = lane;
            /* offsets 0, +step, -step, +2 step, ... up to max_shift */
            for (int k = 0; !l->shown; k++) {
                double dx = (double)((k + 1) / 2) * step * (k % 2 ? 1 : -1);
                if (fabs(dx) > max_shift) break;
                double x = l->want_x + dx;
                if (x - half < x_lo) x = x_lo + half;
                if (x + half > x_hi) x = x_hi - half;
                if (x - half < x_lo - 1e-9) break; /* wider than the room */
                l->x = x;
                int clash = 0;
                for (size_t j = 0; j < n_placed && !clash; j++)
                    clash = boxes_overlap(l, &labels[placed[j]], gap);
                if (!clash) l->shown = 1;
            }
        }
        if (l->shown) placed[n_placed++] = order[oi];
    }
    return n_placed;
}

void svg_spread(double *pos, size_t n, double gap, double lo, double hi, size_t *scratch,
                double *mean) {
    size_t *order = scratch, *len = scratch + n;
    if (!n) return;
    /* order of the wanted positions (stable) */
    for (size_t i = 0; i < n; i++) {
        size_t k = i;
        while (k > 0 && pos[order[k - 1]] > pos[i]) {
            order[k] = order[k - 1];
            k--;
        }
        order[k] = i;
    }
    if (n > 1 && (double)(n - 1) * gap > hi - lo) gap = (hi - lo) / (double)(n - 1);
    /* q_k = p_k - k gap must be non-decreasing: pool adjacent violators
    ** (the blocks of the least-squares isotonic fit), then clamp */
    double *q = pos;
    size_t nb = 0;
    for (size_t k = 0; k < n; k++) {
        mean[nb] = q[order[k]] - (double)k * gap;
        len[nb] = 1;
        nb++;
        while (nb > 1 && mean[nb - 2] > mean[nb - 1]) {
            double m = (mean[nb - 2] * (double)len[nb - 2] + mean[nb - 1] * (double)len[nb - 1]) /
                       (double)(len[nb - 2] + len[nb - 1]);
            len[nb - 2] += len[nb - 1];
            mean[nb - 2] = m;
            nb--;
        }
    }
    double q_hi = hi - (double)(n - 1) * gap;
    size_t k = 0;
    for (size_t b = 0; b < nb; b++) {
        double m = mean[b];
        if (m < lo) m = lo;
        if (m > q_hi) m = q_hi;
        for (size_t j = 0; j < len[b]; j++, k++) q[order[k]] = m + (double)k * gap;
    }
}

const char *svg_colour(size_t k) {
    /* Okabe-Ito, black last: orange, sky blue, bluish green, blue,
    ** vermillion, reddish purple, yellow, black */
    static const char *const colours[] = {"#E69F00", "#56B4E9", "#009E73", "#0072B2",
                                          "#D55E00", "#CC79A7", "#F0E442", "#000000"};
    return colours[k % 8];
}
