/*
** svg.h: the drawing kit of the HTML and SVG reports -- linear scales, axis
** ticks at round numbers, text width estimates, XML escaping, and a label
** placer that moves labels apart so that no two overlap.  It draws into a
** buf (core/buf.h) and computes nothing about negotiations: the figures come
** from the analyses, svg.c only lays them out.
*/
#ifndef PL_SVG_H
#define PL_SVG_H

#include <stddef.h>

#include "core/buf.h"

/* A linear map from the domain [d0, d1] onto the range [r0, r1] (pixels).
** A degenerate domain (d0 == d1) maps everything to the range's middle. */
typedef struct svg_scale {
    double d0, d1, r0, r1;
} svg_scale;

double svg_map(const svg_scale *s, double v);

/* Ticks at round numbers (1, 2 or 5 times a power of ten) covering
** [lo, hi] with about `target` intervals: the step in *step, the ticks
** (those inside [lo, hi], ascending) in ticks[], at most max of them;
** returns their number.  lo == hi gives the one tick lo (step 0). */
size_t svg_ticks(double lo, double hi, size_t target, double *ticks, size_t max, double *step);

/* A tick's label: v written with as many decimals as `step` needs (none
** for a whole step), "-0" written "0"; into out (room for n bytes). */
void svg_tick_label(char *out, size_t n, double v, double step);

/* The width of a line of text in pixels at font size `size`, estimated
** from character classes (a sans-serif font; UTF-8 sequences count as one
** character).  Generous rather than tight, so estimated boxes that do not
** overlap leave rendered text apart too. */
double svg_text_width(const char *s, double size);

/* s with &, <, >, " and ' escaped, for text and attribute values. */
void svg_escape(buf *b, const char *s);
/* At most max_chars characters of s (UTF-8 aware), escaped, with "..."
** when cut. */
void svg_escape_cut(buf *b, const char *s, size_t max_chars);

/* A number for an SVG coordinate: at most two decimals, no "-0". */
void svg_num(buf *b, double v);

/* Labels to place.  The caller fills want_x (where the label's centre
** would be), want_y (its baseline's natural lane), w and h (its size) and
** priority (larger: placed first, kept when room runs out).  The placer
** sets x, y (the centre and baseline chosen), lane and shown. */
typedef struct svg_label {
    double want_x, want_y, w, h;
    double priority;
    double x, y;
    int lane;
    int shown;
} svg_label;

/* Place labels in lanes: lane k has its baseline at want_y + k * lane_step
** (lane_step may be negative: lanes going up).  In order of priority
** (ties: index order), each label takes the first lane, and in it the
** nearest horizontal offset from want_x (up to max_shift either way),
** where its box stays within [x_lo, x_hi] and overlaps no label placed
** before it (with `gap` pixels between boxes); a label that finds no
** place is not shown.  Returns the number shown.  n_lanes >= 1.  Boxes of
** shown labels never overlap: svg_labels_overlap checks it.  scratch:
** room for 2n indices. */
size_t svg_place_labels(svg_label *labels, size_t n, double x_lo, double x_hi, double lane_step,
                        int n_lanes, double max_shift, double gap, size_t *scratch);

/* 1 if two shown labels' boxes overlap (for tests and assertions). */
int svg_labels_overlap(const svg_label *labels, size_t n);

/* Spread points along one axis: pos[i] (wanted) move apart to at least
** `gap` from one another, keeping their order and staying within [lo, hi]
** when n * gap fits; each moves as little as the gaps allow (the classic
** pool-adjacent placement of line-end labels).  scratch: room for 2n
** indices; mean: for n doubles. */
void svg_spread(double *pos, size_t n, double gap, double lo, double hi, size_t *scratch,
                double *mean);

/* The colour-blind-safe palette (Okabe & Ito 2008): colour k of 8, cycling. */
const char *svg_colour(size_t k);

#endif
