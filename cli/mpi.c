/*
** mpi.c: the MPI driver of sweeps (docs/distributed.md).  Built with
** -DPL_MPI=ON, `mpirun -np K parley ...` runs K ranks: each makes its
** block of the runs (sweep.c) and sends the partial result's bytes to rank
** 0, which joins them and alone writes the output; every rank exits with
** the largest exit code of all.  Without PL_MPI the process is alone and
** nothing here touches MPI.
*/
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef PL_MPI
#include <mpi.h>

static int started; /* MPI_Init succeeded */
static int n_ranks = 1, my_rank;

void cli_mpi_init(int *argc, char ***argv) {
    if (MPI_Init(argc, argv) != MPI_SUCCESS) return;
    started = 1;
    MPI_Comm_size(MPI_COMM_WORLD, &n_ranks);
    MPI_Comm_rank(MPI_COMM_WORLD, &my_rank);
    /* a failure on one rank is an exit code, agreed on at the end */
    MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
}

int cli_mpi_ranks(int *rank) {
    if (rank) *rank = my_rank;
    return n_ranks;
}

/* Bytes in pieces an int counts. */
#define PIECE ((size_t)1 << 30)

static int send_text(const char *text, size_t len) {
    for (size_t at = 0; at < len; at += PIECE) {
        size_t n = len - at < PIECE ? len - at : PIECE;
        if (MPI_Send(text + at, (int)n, MPI_CHAR, 0, 1, MPI_COMM_WORLD) != MPI_SUCCESS) return 0;
    }
    return 1;
}

static char *recv_text(int from, size_t len) {
    char *text = malloc(len + 1);
    if (!text) return NULL;
    for (size_t at = 0; at < len; at += PIECE) {
        size_t n = len - at < PIECE ? len - at : PIECE;
        if (MPI_Recv(text + at, (int)n, MPI_CHAR, from, 1, MPI_COMM_WORLD, MPI_STATUS_IGNORE) !=
            MPI_SUCCESS) {
            free(text);
            return NULL;
        }
    }
    text[len] = 0;
    return text;
}

int cli_mpi_gather(const char *text, int code, char ***texts, int *codes_max) {
    *texts = NULL;
    /* each rank's length (-1: no text) and code */
    long long mine[2] = {text ? (long long)strlen(text) : -1, code};
    long long *all = my_rank == 0 ? calloc((size_t)n_ranks * 2, sizeof *all) : NULL;
    if (my_rank == 0 && !all) return cli_fail(PL_ENOMEM, "the ranks' runs");
    if (MPI_Gather(mine, 2, MPI_LONG_LONG, all, 2, MPI_LONG_LONG, 0, MPI_COMM_WORLD) !=
        MPI_SUCCESS) {
        free(all);
        fprintf(stderr, "parley: MPI: the ranks' results could not be gathered\n");
        return EXIT_RUN;
    }
    if (my_rank != 0) {
        if (text && !send_text(text, (size_t)mine[0])) {
            fprintf(stderr, "parley: MPI: rank %d could not send its runs\n", my_rank);
            return EXIT_RUN;
        }
        return EXIT_OK;
    }
    char **v = calloc((size_t)n_ranks, sizeof *v);
    int failed = v ? EXIT_OK : cli_fail(PL_ENOMEM, "the ranks' runs");
    *codes_max = code;
    for (int k = 0; k < n_ranks; k++) {
        if (all[2 * k + 1] > *codes_max) *codes_max = (int)all[2 * k + 1];
        if (all[2 * k] < 0) continue;
        char *t = k == 0 ? malloc((size_t)all[0] + 1) : recv_text(k, (size_t)all[2 * k]);
        if (t && k == 0) memcpy(t, text, (size_t)all[0] + 1);
        if (!t && !failed) failed = cli_fail(PL_ENOMEM, "the ranks' runs");
        if (v) v[k] = t;
        else free(t);
    }
    free(all);
    if (failed) {
        for (int k = 0; v && k < n_ranks; k++) free(v[k]);
        free(v);
        return failed;
    }
    *texts = v;
    return EXIT_OK;
}

int cli_mpi_finish(int code) {
    if (!started) return code;
    int agreed = code;
    if (MPI_Allreduce(&code, &agreed, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD) != MPI_SUCCESS)
        agreed = code ? code : EXIT_RUN;
    MPI_Finalize();
    return agreed;
}

#else /* one process */

void cli_mpi_init(int *argc, char ***argv) {
    (void)argc;
    (void)argv;
}

int cli_mpi_ranks(int *rank) {
    if (rank) *rank = 0;
    return 1;
}

int cli_mpi_gather(const char *text, int code, char ***texts, int *codes_max) {
    (void)text;
    *texts = NULL;
    *codes_max = code;
    return EXIT_OK;
}

int cli_mpi_finish(int code) { return code; }

#endif
