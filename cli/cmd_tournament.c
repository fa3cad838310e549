/*
** cmd_tournament.c: `parley tournament` -- every assignment of agents to
** roles on every domain, repeated, summarised per agent; and the
** --protocol option it shares with `parley negotiate`.  Parses and prints;
** the library plays (pl_tournament_run) and reports.
*/
#define _POSIX_C_SOURCE 200809L
#include "cli.h"

#include <stdio.h>
#include <string.h>

int cli_opt_protocol(const cli_opts *opts, const char *cmd, pl_protocol *out) {
    const char *name = cli_opt(opts, "--protocol");
    if (!name) return 1;
    if (pl_protocol_from_name(name, out) == PL_OK) return 1;
    fprintf(stderr, "parley %s: --protocol: expected sao or single-text, found \"%s\"\n", cmd,
            name);
    return 0;
}
