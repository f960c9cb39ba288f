#!/usr/bin/env bash
# Prints the path of a Python 3.12 or newer, or exits 1 with one line on stderr.
# With an argument (the Makefile's PYTHON=...), checks that one only; without, tries
# python3.13, python3.12, then python3, then a pyenv-installed release.
set -u
is_new_enough() {
    "$1" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1
}
if [ $# -gt 0 ] && [ -n "$1" ]; then
    if is_new_enough "$1"; then
        "$1" -c 'import sys; print(sys.executable)'
        exit 0
    fi
    echo "Rounds needs Python 3.12 or newer: $1 is not (set PYTHON=/path/to/python3.12)." >&2
    exit 1
fi
for candidate in python3.13 python3.12 python3; do
    if command -v "$candidate" >/dev/null 2>&1 && is_new_enough "$candidate"; then
        "$candidate" -c 'import sys; print(sys.executable)'
        exit 0
    fi
done
if command -v pyenv >/dev/null 2>&1; then
    for version in $(pyenv versions --bare 2>/dev/null | grep -E '^3\.(1[2-9]|[2-9][0-9])(\.[0-9]+)?$' | sort -rV); do
        candidate="$(pyenv prefix "$version" 2>/dev/null)/bin/python3"
        if [ -x "$candidate" ] && is_new_enough "$candidate"; then
            echo "$candidate"
            exit 0
        fi
    done
fi
echo "Rounds needs Python 3.12 or newer: install python3.12 (or set PYTHON=/path/to/python3.12)." >&2
exit 1
