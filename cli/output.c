/*
** output.c: how the tool writes results and reports problems.
*/
#define _POSIX_C_SOURCE 200809L
#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

void cli_print_diags(const pl_diags *diags, int warnings_too) {
    for (size_t i = 0; i < pl_diags_count(diags); i++) {
        const pl_diag *d = pl_diags_get(diags, i);
        if (d->severity == PL_SEV_WARNING && !warnings_too) continue;
        const char *sev = d->severity == PL_SEV_ERROR ? "error" : "warning";
        if (d->line > 0)
            fprintf(stderr, "%s:%d:%d: %s: %s\n", d->file, d->line, d->column, sev, d->message);
        else fprintf(stderr, "%s: %s: %s\n", d->file, sev, d->message);
    }
}

int cli_fail(pl_status rc, const char *what) {
    fprintf(stderr, "parley: %s: %s\n", what, pl_strerror(rc));
    return rc == PL_ENOMEM || rc == PL_EIO ? EXIT_RUN : EXIT_INPUT;
}

/* ------------------------------------------------------------------------
** Ctrl-C and SIGTERM.  Inside a long computation (cli_work_begin ..
** cli_work_end) the first signal only sets `caught`, which cli_progress
** hands to the library as a stop; anywhere else, and for a second signal,
** the signal's default action ends the process at once (so it is never
** swallowed).  Output files are never half-replaced: cli_emit blocks the
** signals while its temporary file exists.
*/
static volatile sig_atomic_t caught;      /* the signal that asked to stop */
static volatile sig_atomic_t cancellable; /* inside a long computation */

static void on_signal(int sig) {
    if (cancellable && !caught) {
        caught = sig;
        return;
    }
    signal(sig, SIG_DFL);
    raise(sig); /* delivered when the handler returns */
}

void cli_signals_install(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}

static double now_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

void cli_work_begin(cli_work *w, const char *unit) {
    memset(w, 0, sizeof *w);
    w->unit = unit;
    w->start = now_seconds();
    w->bar = isatty(2);
    caught = 0;
    cancellable = 1;
}

/* The progress callback of every long computation: a bar on stderr (when
** it is a terminal and the work has taken more than a second), and the
** stop asked by a signal. */
int cli_progress(void *ctx, double done, double total) {
    cli_work *w = ctx;
    w->done = done;
    w->total = total;
    if (w->bar && !caught && now_seconds() - w->start >= 1.0) {
        int width = 30;
        double share = total > 0 ? done / total : 1;
        if (share > 1) share = 1;
        int filled = (int)((double)width * share);
        fprintf(stderr, "\r[");
        for (int i = 0; i < width; i++) fputc(i < filled ? '#' : '.', stderr);
        fprintf(stderr, "] %3.0f%% %.0f/%.0f %s", 100.0 * share, done, total, w->unit);
        fflush(stderr);
        w->shown = 1;
    }
    return caught != 0;
}

int cli_work_end(cli_work *w) {
    cancellable = 0;
    if (w->shown) fputs("\r\033[K", stderr); /* clear the bar */
    w->shown = 0;
    return caught;
}

int cli_interrupted(const cli_work *w, int sig) {
    fprintf(stderr, "parley: interrupted (%s): %.0f of %.0f %s; nothing written\n",
            sig == SIGTERM ? "SIGTERM" : "SIGINT", w->done, w->total, w->unit);
    return 128 + sig;
}

/* ------------------------------------------------------------------------
** Output files
*/
static int write_all(int fd, const char *text, size_t len) {
    while (len > 0) {
        ssize_t k = write(fd, text, len);
        if (k < 0 && errno == EINTR) continue;
        if (k <= 0) return 0;
        text += k;
        len -= (size_t)k;
    }
    return 1;
}

/* The standard streams under their /dev and /proc names: their descriptor,
** else -1. */
static int std_stream(const char *path) {
    static const struct {
        const char *name;
        int fd;
    } names[] = {{"/dev/stdout", 1}, {"/dev/fd/1", 1}, {"/proc/self/fd/1", 1},
                 {"/dev/stderr", 2}, {"/dev/fd/2", 2}, {"/proc/self/fd/2", 2}};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(path, names[i].name) == 0) return names[i].fd;
    return -1;
}

/* Follow `path` through symbolic links (a chain; a relative link is
** relative to its own folder) to what will be written.  Returns 0 and the
** final name in *out (malloc'ed) with *st filled (*exists 0 for a new
** name), else -1 with errno set. */
static int resolve(const char *path, char **out, struct stat *st, int *exists) {
    char *cur = strdup(path);
    if (!cur) return -1;
    for (int hops = 0; hops < 40; hops++) {
        if (std_stream(cur) >= 0) break; /* /dev/stdout behind a link */
        if (lstat(cur, st) != 0) {
            if (errno != ENOENT) {
                free(cur);
                return -1;
            }
            *exists = 0;
            *out = cur;
            return 0;
        }
        if (!S_ISLNK(st->st_mode)) {
            *exists = 1;
            *out = cur;
            return 0;
        }
        size_t cap = (size_t)st->st_size + 2 > 256 ? (size_t)st->st_size + 2 : 256;
        char *link = malloc(cap);
        ssize_t k = link ? readlink(cur, link, cap - 1) : -1;
        if (k < 0) {
            int e = link ? errno : ENOMEM;
            free(link);
            free(cur);
            errno = e;
            return -1;
        }
        link[k] = 0;
        const char *slash = strrchr(cur, '/');
        if (link[0] == '/' || !slash) {
            free(cur);
            cur = link;
        } else { /* relative to the link's folder */
            size_t dir = (size_t)(slash - cur) + 1;
            char *next = malloc(dir + (size_t)k + 1);
            if (!next) {
                free(link);
                free(cur);
                errno = ENOMEM;
                return -1;
            }
            memcpy(next, cur, dir);
            memcpy(next + dir, link, (size_t)k + 1);
            free(link);
            free(cur);
            cur = next;
        }
    }
    if (std_stream(cur) >= 0) {
        *exists = 1;
        st->st_mode = S_IFCHR; /* written directly */
        *out = cur;
        return 0;
    }
    free(cur);
    errno = ELOOP;
    return -1;
}

/* Write `text` directly into what is at `path` (a FIFO, a device, a
** standard stream): no temporary, no rename. */
static int write_direct(const char *shown, const char *path, const char *text, size_t len) {
    int std = std_stream(path);
    if (std == 1) {
        if (fwrite(text, 1, len, stdout) != len || fflush(stdout) != 0) goto fail;
        return EXIT_OK;
    }
    int fd = std >= 0 ? dup(std) : open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) goto fail;
    int ok = write_all(fd, text, len);
    int e = errno;
    if (close(fd) != 0 && ok) {
        ok = 0;
        e = errno;
    }
    errno = e;
    if (ok) return EXIT_OK;
fail:
    fprintf(stderr, "parley: %s: cannot write: %s\n", shown, strerror(errno));
    return EXIT_RUN;
}

/* Replace (or create) the regular file `path` atomically: a temporary file
** in the same folder, written, synced, given the old file's mode (a new
** file 0666 less the umask), renamed over it.  SIGINT and SIGTERM wait
** while the temporary exists; one that came in the meantime leaves the
** file as it was. */
static int replace_file(const char *shown, const char *path, const struct stat *old, int exists,
                        const char *text, size_t len) {
    const char *slash = strrchr(path, '/');
    size_t dir = slash ? (size_t)(slash - path) + 1 : 0;
    static const char pattern[] = ".parley-XXXXXX";
    char *tmp = malloc(dir + sizeof pattern);
    if (!tmp) return cli_fail(PL_ENOMEM, "writing output");
    memcpy(tmp, path, dir);
    memcpy(tmp + dir, pattern, sizeof pattern);
    mode_t mode;
    if (exists) {
        mode = old->st_mode & 07777;
    } else {
        mode_t mask = umask(0);
        umask(mask);
        mode = 0666 & ~mask;
    }
    sigset_t block, saved, pending;
    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGTERM);
    sigaddset(&block, SIGHUP);
    sigprocmask(SIG_BLOCK, &block, &saved);
    const char *what = "cannot create a temporary file beside it";
    int fd = mkstemp(tmp), ok = fd >= 0, e = errno;
    if (ok) {
        what = "cannot write";
        if (exists && (old->st_uid != geteuid() || old->st_gid != getegid()))
            (void)!fchown(fd, old->st_uid, old->st_gid); /* as far as we may */
        ok = fchmod(fd, mode) == 0 && write_all(fd, text, len) && fsync(fd) == 0;
        e = errno;
        if (close(fd) != 0 && ok) {
            ok = 0;
            e = errno;
        }
    }
    sigpending(&pending);
    int stop = sigismember(&pending, SIGINT) || sigismember(&pending, SIGTERM) ||
               sigismember(&pending, SIGHUP);
    if (ok && !stop) {
        what = "cannot replace";
        ok = rename(tmp, path) == 0;
        e = errno;
        if (ok && dir) { /* the rename itself to disk, as far as the folder allows */
            char *folder = strndup(path, dir);
            int dfd = folder ? open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;
            if (dfd >= 0) {
                (void)fsync(dfd);
                close(dfd);
            }
            free(folder);
        }
    }
    if (fd >= 0 && (!ok || stop)) unlink(tmp);
    free(tmp);
    if (!ok) fprintf(stderr, "parley: %s: %s: %s\n", shown, what, strerror(e));
    sigprocmask(SIG_SETMASK, &saved, NULL); /* a pending signal ends the process here */
    return ok ? EXIT_OK : EXIT_RUN;
}

char *cli_command_line(const cli_opts *opts, int with_format) {
    static const char *const formats[] = {"text", "json", "csv", "html", "svg"};
    size_t cap = 64 + strlen(opts->command);
    for (int i = 0; i < opts->n_args; i++) cap += strlen(opts->args[i]) + 3;
    for (int i = 0; i < opts->n_opts; i++)
        cap += strlen(opts->opt_names[i]) + strlen(opts->opt_values[i]) + 4;
    char *s = malloc(cap);
    if (!s) return NULL;
    strcpy(s, "parley ");
    strcat(s, opts->command);
    if (with_format && opts->format != PL_FORMAT_TEXT && (unsigned)opts->format <= PL_FORMAT_SVG) {
        strcat(s, " --format ");
        strcat(s, formats[opts->format]);
    }
    for (int i = 0; i < opts->n_opts; i++) {
        strcat(s, " ");
        strcat(s, opts->opt_names[i]);
        if (!opts->opt_flag[i]) {
            strcat(s, " ");
            strcat(s, opts->opt_values[i]);
        }
    }
    for (int i = 0; i < opts->n_args; i++) {
        strcat(s, " ");
        strcat(s, opts->args[i]);
    }
    return s;
}

int cli_emit(const cli_opts *opts, const char *text) {
    size_t len = strlen(text);
    if (!opts->output || strcmp(opts->output, "-") == 0) {
        if (fwrite(text, 1, len, stdout) != len || fflush(stdout) != 0) {
            fprintf(stderr, "parley: writing standard output: %s\n", strerror(errno));
            return EXIT_RUN;
        }
        return EXIT_OK;
    }
    char *path = NULL;
    struct stat st;
    int exists = 0;
    if (resolve(opts->output, &path, &st, &exists) != 0) {
        fprintf(stderr, "parley: %s: cannot write: %s\n", opts->output, strerror(errno));
        return EXIT_RUN;
    }
    int code;
    if (exists && S_ISDIR(st.st_mode)) {
        fprintf(stderr, "parley: --output: expected a file name, found the directory \"%s\"\n",
                opts->output);
        code = EXIT_INPUT;
    } else if (!exists || S_ISREG(st.st_mode)) {
        code = replace_file(opts->output, path, &st, exists, text, len);
    } else { /* a FIFO, a device, a socket, a standard stream */
        code = write_direct(opts->output, path, text, len);
    }
    free(path);
    return code;
}

int cli_finish(int code) {
    /* what stdio still holds, and errors it saw (a full device); a run that
    ** failed has said why already */
    errno = 0;
    if (code == EXIT_OK && (fflush(stdout) != 0 || ferror(stdout))) {
        fprintf(stderr, "parley: writing standard output: %s\n",
                errno ? strerror(errno) : "write error");
        code = EXIT_RUN;
    }
    return code;
}

int cli_load(const char *name, const cli_opts *opts, pl_scenario **out) {
    pl_diags *diags = NULL;
    pl_status rc = pl_diags_new(&diags);
    if (rc != PL_OK) return cli_fail(rc, name);
    const char *id = NULL;
    struct stat st;
    if (strncmp(name, "builtin:", 8) == 0) id = name + 8;
    else if (stat(name, &st) != 0 && pl_builtin_text(name, NULL)) id = name;
    if (id) {
        rc = pl_scenario_load_builtin(id, diags, out);
        if (rc == PL_ENOTFOUND)
            fprintf(stderr,
                    "parley: %s: expected the id of a built-in scenario "
                    "(see 'parley scenarios'), found \"%s\"\n",
                    name, id);
    } else {
        rc = pl_scenario_load_file(name, diags, out);
    }
    int code = EXIT_OK;
    if (rc == PL_ENOMEM) {
        code = cli_fail(rc, name);
    } else if (rc != PL_OK) {
        cli_print_diags(diags, 1);
        code = EXIT_INPUT;
    } else if (!opts->quiet && pl_diags_warnings(diags)) {
        fprintf(stderr, "parley: %s: %zu warning%s (see 'parley validate %s')\n", name,
                pl_diags_warnings(diags), pl_diags_warnings(diags) == 1 ? "" : "s", name);
    }
    pl_diags_free(diags);
    return code;
}

const char *cli_opt_at(const cli_opts *opts, const char *name, int k) {
    for (int i = 0; i < opts->n_opts; i++)
        if (strcmp(opts->opt_names[i], name) == 0 && k-- == 0) return opts->opt_values[i];
    return NULL;
}

const char *cli_opt(const cli_opts *opts, const char *name) {
    const char *last = NULL;
    for (int i = 0; i < opts->n_opts; i++)
        if (strcmp(opts->opt_names[i], name) == 0) last = opts->opt_values[i];
    return last;
}

int cli_opt_double(const cli_opts *opts, const char *name, double lo, double hi, double *out) {
    const char *v = cli_opt(opts, name);
    if (!v) return 1;
    char *end;
    errno = 0;
    double x = strtod(v, &end);
    if (end == v || *end || errno == ERANGE || !(x >= lo && x <= hi)) {
        fprintf(stderr, "parley: %s: expected a number from %g to %g, found \"%s\"\n", name, lo, hi,
                v);
        return 0;
    }
    *out = x;
    return 1;
}

int cli_opt_ulong(const cli_opts *opts, const char *name, unsigned long lo, unsigned long hi,
                  unsigned long *out) {
    const char *v = cli_opt(opts, name);
    if (!v) return 1;
    char *end;
    errno = 0;
    unsigned long x = strtoul(v, &end, 10);
    if (end == v || *end || errno == ERANGE || v[0] == '-' || x < lo || x > hi) {
        fprintf(stderr, "parley: %s: expected a whole number from %lu to %lu, found \"%s\"\n", name,
                lo, hi, v);
        return 0;
    }
    *out = x;
    return 1;
}

int cli_opt_threads(const cli_opts *opts, unsigned *out) {
    unsigned long n = *out;
    if (!cli_opt_ulong(opts, "--threads", 0, PL_MAX_THREADS, &n)) return 0;
    *out = (unsigned)n;
    return 1;
}
