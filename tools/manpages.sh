#!/bin/sh
# manpages.sh PARLEY OUTDIR: parley's manual pages, made at build time from
# the one source of its help texts (the commands table of cli/main.c, as
# `parley --help` and `parley COMMAND --help` print it), in plain roff:
#   OUTDIR/parley.1            the tool, its commands and common options
#   OUTDIR/parley-COMMAND.1    one page per command
# Needs only sh, sed and awk; `man -l OUTDIR/parley.1` shows one.
set -eu
parley=$1
out=$2
mkdir -p "$out"
version=$("$parley" --version | sed 's/^parley //')

# roff_text: the help text as roff, verbatim (.nf) so its tables keep their
# columns: backslashes and minus signs escaped, a leading '.' or "'" guarded.
roff_text() {
    sed -e 's/\\/\\e/g' -e 's/-/\\-/g' -e "s/^\\([.']\\)/\\\\\\&\\1/"
}

# The commands, in the order `parley --help` lists them.
commands=$("$parley" --help | awk '/^Commands:/ {on = 1; next} on && /^$/ {exit}
    on && $1 == "parley" {print $2}')

# summary CMD: the help text's first clause, for the NAME line.
summary() {
    "$parley" "$1" --help | awk 'NR > 2 && !done {
        line = line (line == "" ? "" : " ") $0
        if (match(line, /\(|: |\. |\.$|\?/)) { print substr(line, 1, RSTART - 1); done = 1 } }' |
        sed -e 's/ *$//' -e 's/-/\\-/g'
}

header() { # header NAME SECTION-TITLE
    cat <<END
.\\" Made by tools/manpages.sh from parley's help texts (cli/main.c); do not edit.
.TH $1 1 "" "parley $version" "parley manual"
END
}

common_sections() {
    cat <<'END'
.SH EXIT STATUS
0 success; 1 the run failed; 2 bad usage or bad input (every problem in an
input file is reported as FILE:LINE:COL: what was expected, what was
found); 130 interrupted by Ctrl\-C, 143 by SIGTERM.  Nothing is written to
an \-o file unless the run succeeds.
.SH SEE ALSO
END
}

{
    header PARLEY
    echo ".SH NAME"
    echo "parley \\- forecasts of multilateral negotiations"
    echo ".SH SYNOPSIS"
    printf '%s\n' ".B parley" '[\fICOMMAND\fR] [\fIOPTIONS\fR] [\fIARGS\fR]'
    echo ".SH DESCRIPTION"
    echo ".nf"
    "$parley" --help | sed -n '/^With no command/,$p' | roff_text
    echo ".fi"
    echo ".SH COMMANDS"
    for c in $commands; do
        echo ".TP"
        echo ".BR parley\\-$c (1)"
        summary "$c"
    done
    common_sections
    sep=""
    for c in $commands; do
        printf '%s.BR parley\\-%s (1)' "$sep" "$c"
        sep=",
"
    done
    echo
    echo "The documents in /usr/share/doc/parley (formats, models and their sources)."
} > "$out/parley.1"

for c in $commands; do
    up=$(echo "$c" | tr a-z A-Z)
    {
        header "PARLEY\\-$up"
        echo ".SH NAME"
        echo "parley\\-$c \\- $(summary "$c")"
        echo ".SH SYNOPSIS"
        echo ".nf"
        "$parley" "$c" --help | sed -n '1s/^Usage: //p' | roff_text
        echo ".fi"
        echo ".SH DESCRIPTION"
        echo ".nf"
        "$parley" "$c" --help | sed -n '3,$p' | sed '/^Options:/,$d' | roff_text
        echo ".fi"
        echo ".SH OPTIONS"
        echo ".nf"
        "$parley" "$c" --help | sed -n '/^Options:/,$p' | sed 1d | roff_text
        echo ".fi"
        common_sections
        echo ".BR parley (1)"
    } > "$out/parley-$c.1"
done
