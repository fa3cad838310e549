#!/bin/sh
# completions.sh PARLEY OUTDIR: bash and zsh completion files for parley,
# made at build time from its help texts (the commands and each command's
# options as `parley COMMAND --help` lists them), so that they never fall
# behind the tool:
#   OUTDIR/parley   bash (installed to share/bash-completion/completions)
#   OUTDIR/_parley  zsh  (installed to share/zsh/vendor-completions)
# Scenario arguments complete to files and the built-in scenarios' ids.
set -eu
parley=$1
out=$2
mkdir -p "$out"
commands=$("$parley" --help | awk '/^Commands:/ {on = 1; next} on && /^$/ {exit}
    on && $1 == "parley" {print $2}')
global="-f --format -o --output -q --quiet --max-input -h --help -V --version"
opts_of() { # the long options a command's help names
    "$parley" "$1" --help | grep -o -- '--[a-z][a-z-]*' | sort -u | tr '\n' ' ' | sed 's/ $//'
}

{
    echo "# bash completion for parley; made by tools/completions.sh, do not edit."
    echo "_parley() {"
    echo '    local cur prev cmd opts'
    echo '    cur=${COMP_WORDS[COMP_CWORD]}'
    echo '    prev=${COMP_WORDS[COMP_CWORD-1]}'
    echo '    case $prev in'
    echo '    -f|--format) COMPREPLY=($(compgen -W "text json csv" -- "$cur")); return ;;'
    echo '    -o|--output) COMPREPLY=($(compgen -f -- "$cur")); return ;;'
    echo '    --max-input) return ;;'
    echo '    esac'
    echo '    if [ "$COMP_CWORD" -eq 1 ]; then'
    echo "        COMPREPLY=(\$(compgen -W \"$(echo $commands) $global\" -- \"\$cur\"))"
    echo '        return'
    echo '    fi'
    echo '    cmd=${COMP_WORDS[1]}'
    echo '    case $cmd in'
    for c in $commands; do
        echo "    $c) opts=\"$(opts_of "$c")\" ;;"
    done
    echo "    *) opts=\"$(opts_of forecast)\" ;;"
    echo '    esac'
    echo '    if [[ $cur == -* ]]; then'
    echo '        COMPREPLY=($(compgen -W "$opts" -- "$cur"))'
    echo '    else'
    echo '        local ids'
    echo '        ids=$(parley scenarios -f csv 2>/dev/null | sed -n "2,\$s/,.*//p")'
    echo '        COMPREPLY=($(compgen -f -- "$cur") $(compgen -W "$ids" -- "$cur"))'
    echo '    fi'
    echo '}'
    echo 'complete -o filenames -F _parley parley'
} > "$out/parley"

{
    echo "#compdef parley"
    echo "# zsh completion for parley; made by tools/completions.sh, do not edit."
    echo "_parley() {"
    echo '    local -a commands opts'
    printf '    commands=('
    for c in $commands; do
        s=$("$parley" "$c" --help | awk 'NR > 2 && !done { line = line (line == "" ? "" : " ") $0
            if (match(line, /\(|: |\. |\.$|\?/)) { print substr(line, 1, RSTART - 1); done = 1 } }' |
            sed "s/'/'\\\\''/g")
        printf "\n        '%s:%s'" "$c" "$s"
    done
    echo ')'
    echo '    if (( CURRENT == 2 )); then'
    echo "        _describe -t commands 'parley command' commands"
    echo "        _arguments '(-f --format)'{-f,--format}'[output format]:format:(text json csv)' '(-V --version)'{-V,--version}'[print the version]' '(-h --help)'{-h,--help}'[help]'"
    echo '        return'
    echo '    fi'
    echo '    case ${words[2]} in'
    for c in $commands; do
        echo "    $c) opts=($(opts_of "$c")) ;;"
    done
    echo '    esac'
    echo '    case ${words[CURRENT-1]} in'
    echo '    -f|--format) _values format text json csv; return ;;'
    echo '    -o|--output) _files; return ;;'
    echo '    esac'
    echo '    if [[ ${words[CURRENT]} == -* ]]; then'
    echo "        compadd -a opts"
    echo '    else'
    echo '        local -a ids'
    echo '        ids=(${(f)"$(parley scenarios -f csv 2>/dev/null | sed -n "2,\$s/,.*//p")"})'
    echo "        _alternative 'files:file:_files' 'ids:built-in scenario:compadd -a ids'"
    echo '    fi'
    echo '}'
    echo '_parley "$@"'
} > "$out/_parley"
