#!/usr/bin/env bash
# The bundled catalog, built from its sources; only this script writes it.
#
#   bash scripts/build-data.sh                      regenerate src/fusion_strategies/data/catalog.json
#   bash scripts/build-data.sh --check              exit 1, with a diff, if the committed file is
#                                                   not what the sources give
#   bash scripts/build-data.sh --page FILE -o OUT   build another capture (text or saved HTML) with
#                                                   the repository's curated facts and ids
#
# The sources are in sources/: the page capture, the curated overlay (curated.json) and, once
# the page has changed since the first release, the catalog it replaced (previous-catalog.json),
# whose ids the build keeps. docs/maintaining.md says how to take in a new capture.
set -euo pipefail
cd "$(dirname "$0")/.."

capture=sources/national-strategies-page.txt
curated=sources/curated.json
previous=sources/previous-catalog.json
bundled=src/fusion_strategies/data/catalog.json

usage() {
    echo "usage: bash scripts/build-data.sh [--check | --page FILE -o OUT]" >&2
    exit 2
}

# Build with $FUSION_STRATEGIES_PYTHON, the project's venv, or a small venv made here: the
# build needs only the package itself (attrs and cattrs).
python=${FUSION_STRATEGIES_PYTHON:-.venv/bin/python}
if ! "$python" -c 'import fusion_strategies.build' 2>/dev/null; then
    python=.venv-data/bin/python
    if ! "$python" -c 'import fusion_strategies.build' 2>/dev/null; then
        python3 -m venv .venv-data
        "$python" -m pip install -qq --editable .
    fi
fi

build() {  # build PAGE PREVIOUS OUT
    local previous_args=()
    [ -n "$2" ] && previous_args=(--previous "$2")
    "$python" -m fusion_strategies build "$1" --curated "$curated" --strict \
        "${previous_args[@]}" -o "$3"
}

case "${1:-}" in
"")
    [ $# -eq 0 ] || usage
    build "$capture" "$([ -f "$previous" ] && echo "$previous")" "$bundled"
    echo "wrote $bundled from $capture and $curated"
    ;;
--check)
    [ $# -eq 1 ] || usage
    built=$(mktemp)
    trap 'rm -f "$built"' EXIT
    if ! said=$(build "$capture" "$([ -f "$previous" ] && echo "$previous")" "$built" 2>&1); then
        echo "$said" >&2
        exit 1
    fi
    if ! cmp -s "$built" "$bundled"; then
        echo "$bundled is not what the sources give; run 'bash scripts/build-data.sh'." >&2
        echo "What it holds that the sources do not give (old: committed, new: built):" >&2
        "$python" -m fusion_strategies diff "$bundled" "$built" >&2 || true
        diff -u --label "$bundled (committed)" --label "$bundled (built)" "$bundled" "$built" \
            | head -n 80 >&2 || true
        exit 1
    fi
    echo "$bundled is what $capture and $curated give (capture sha256 $(sha256sum "$capture" | cut -c1-64))"
    ;;
--page)
    [ $# -eq 4 ] && [ "$3" = "-o" ] || usage
    build "$2" "$bundled" "$4"
    ;;
*)
    usage
    ;;
esac
