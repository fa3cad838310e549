/*
** io_genius_write.c: an outcome space (pl_space) written as GENIUS XML --
** a domain (<negotiation_template>) and one linear additive profile
** (<utility_space>) per party -- in the layout of the ANAC files that
** io_genius.c reads (docs/genius-format.md).
**
** GENIUS scales each party's utilities so that its best package is worth 1:
** an issue's weight is the largest utility its options give the party, an
** option's evaluation the utility it gives, and GENIUS's reading (weight
** over the weights' sum, evaluation over the issue's largest) gives back
** the party's utilities divided by the sum of those largest ones.  A space
** read from GENIUS files is already so scaled and comes back unchanged; a
** scenario's space comes back scaled per party (reservation values too).
** Non-linear (hyper-rectangle) parties and negative utilities cannot be
** written (PL_EINVAL).
*/
#include "deals/space_int.h"

#include "core/buf.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static void xml_attr(buf *b, const char *s) {
    for (; s && *s; s++) {
        switch (*s) {
            case '<': buf_puts(b, "&lt;"); break;
            case '>': buf_puts(b, "&gt;"); break;
            case '&': buf_puts(b, "&amp;"); break;
            case '"': buf_puts(b, "&quot;"); break;
            case '\n': buf_puts(b, "&#10;"); break;
            default: buf_putc(b, *s);
        }
    }
}

/* Option o's label as written: its own, or with " #k" when an earlier
** option of the issue has the same one (GENIUS tells options by label). */
static void option_label(buf *b, const deals_issue *is, size_t o) {
    xml_attr(b, is->labels[o]);
    size_t same = 0;
    for (size_t k = 0; k < o; k++)
        if (strcmp(is->labels[k], is->labels[o]) == 0) same++;
    if (same) buf_printf(b, " #%zu", same + 1);
}

pl_status pl_space_genius_domain(const pl_space *sp, char **out) {
    if (!sp || !out) return PL_EINVAL;
    *out = NULL;
    buf b = {0};
    buf_printf(&b, "<negotiation_template>\n<utility_space number_of_issues=\"%zu\">\n",
               sp->n_issues);
    buf_puts(&b, "<objective description=\"\" etype=\"objective\" index=\"0\" name=\"");
    xml_attr(&b, sp->name && *sp->name ? sp->name : "root");
    buf_puts(&b, "\" type=\"objective\">\n");
    for (size_t i = 0; i < sp->n_issues; i++) {
        const deals_issue *is = &sp->issues[i];
        buf_printf(&b, "    <issue etype=\"discrete\" index=\"%zu\" name=\"", i + 1);
        xml_attr(&b, is->name);
        buf_puts(&b, "\" type=\"discrete\" vtype=\"discrete\">\n");
        for (size_t o = 0; o < is->n_options; o++) {
            buf_printf(&b, "        <item index=\"%zu\" value=\"", o + 1);
            option_label(&b, is, o);
            buf_puts(&b, "\" cost=\"0\" description=\"");
            option_label(&b, is, o);
            buf_puts(&b, "\">\n        </item>\n");
        }
        buf_puts(&b, "    </issue>\n");
    }
    buf_puts(&b, "</objective>\n</utility_space>\n</negotiation_template>\n");
    *out = buf_take(&b);
    return *out ? PL_OK : PL_ENOMEM;
}

pl_status pl_space_genius_profile(const pl_space *sp, size_t party, char **out) {
    if (!sp || !out || party >= sp->n_parties) return PL_EINVAL;
    *out = NULL;
    const deals_party *pa = &sp->parties[party];
    if (pa->nonlinear) return PL_EINVAL;
    double sum = 0;
    for (size_t i = 0; i < sp->n_issues; i++) {
        const deals_issue *is = &sp->issues[i];
        double max = 0;
        for (size_t o = 0; o < is->n_options; o++) {
            double u = sp->tab[(is->offset + o) * sp->n_parties + party];
            if (!(u >= 0) || !isfinite(u)) return PL_EINVAL;
            if (u > max) max = u;
        }
        sum += max;
    }
    buf b = {0};
    buf_puts(&b, "<utility_space>\n");
    /* A package worth exactly the reservation value (the status quo's) is
    ** acceptable; GENIUS's reading sums weight x evaluation, which may round
    ** a few units in the last place below the quotient written here, so
    ** the value written is lowered by 8 of them to keep such packages
    ** acceptable (and no other: utilities of this model differ by far more). */
    double reservation = sum > 0 ? pa->reservation / sum : pa->reservation;
    for (int k = 0; sum > 0 && reservation > 0 && k < 8; k++)
        reservation = nextafter(reservation, 0);
    buf_printf(&b, "    <reservation value=\"%.17g\" />\n", reservation);
    buf_puts(&b, "<objective index=\"0\" etype=\"objective\" type=\"objective\" "
                 "description=\"\" name=\"");
    xml_attr(&b, sp->name && *sp->name ? sp->name : "root");
    buf_puts(&b, "\">\n");
    for (size_t i = 0; i < sp->n_issues; i++) {
        const deals_issue *is = &sp->issues[i];
        buf_printf(&b,
                   "<issue index=\"%zu\" etype=\"discrete\" type=\"discrete\" "
                   "vtype=\"discrete\" name=\"",
                   i + 1);
        xml_attr(&b, is->name);
        buf_puts(&b, "\">\n");
        for (size_t o = 0; o < is->n_options; o++) {
            buf_printf(&b, "<item index=\"%zu\" value=\"", o + 1);
            option_label(&b, is, o);
            buf_printf(&b, "\" cost=\"0\" evaluation=\"%.17g\">\n</item>\n",
                       sp->tab[(is->offset + o) * sp->n_parties + party]);
        }
        buf_puts(&b, "</issue>\n");
    }
    for (size_t i = 0; i < sp->n_issues; i++) {
        const deals_issue *is = &sp->issues[i];
        double max = 0;
        for (size_t o = 0; o < is->n_options; o++) {
            double u = sp->tab[(is->offset + o) * sp->n_parties + party];
            if (u > max) max = u;
        }
        /* no utility anywhere: equal weights over all-zero evaluations */
        buf_printf(&b, "<weight index=\"%zu\" value=\"%.17g\">\n</weight>\n", i + 1,
                   sum > 0 ? max : 1.0);
    }
    buf_puts(&b, "</objective>\n");
    if (pa->discount < 1) buf_printf(&b, "<discount_factor value=\"%.17g\" />\n", pa->discount);
    buf_puts(&b, "</utility_space>\n");
    *out = buf_take(&b);
    return *out ? PL_OK : PL_ENOMEM;
}
