#!/usr/bin/env bash
# Every check that CI runs, from a fresh clone, installing what it needs:
#   1. a development venv (.venv): ruff, mypy --strict, the tests and every doctest,
#      then the docs, built with warnings as errors, and every example in them run;
#   2. the built wheel, installed in a fresh venv outside the tree, tested on each
#      Python 3.10-3.13 found (a missing one is reported and skipped).
# With --quick: the development venv, lint, types and the tests and doctests of the source
# tree only, the loop to run while developing.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

quick=false
case ${1:-} in
    --quick) quick=true ;;
    "") ;;
    *)
        echo "usage: bash scripts/test.sh [--quick]" >&2
        exit 2
        ;;
esac

started=$SECONDS

clock() { printf '%d:%02d' $(((SECONDS - started) / 60)) $(((SECONDS - started) % 60)); }
step() { printf '\n== [%s] %s\n' "$(clock)" "$*"; }

find_python() {
    local version=$1 candidate
    if "python$version" -c '' 2>/dev/null; then
        command -v "python$version"
        return
    fi
    for candidate in "${PYENV_ROOT:-$HOME/.pyenv}"/versions/"$version".*/bin/"python$version"; do
        if [ -x "$candidate" ]; then
            echo "$candidate"
            return
        fi
    done
    return 1
}

step "development venv"
python=${PYTHON:-$(find_python 3.11 || command -v python3)}
[ -x .venv/bin/python ] || "$python" -m venv .venv
# Installed again only when what it is installed from has changed.
stamp=$(cat pyproject.toml .venv/pyvenv.cfg | sha256sum)
if [ "$(cat .venv/.installed 2>/dev/null)" != "$stamp" ]; then
    .venv/bin/python -m pip install --quiet --upgrade pip
    .venv/bin/python -m pip install --quiet --editable . --group dev
    echo "$stamp" >.venv/.installed
else
    echo "as installed for this pyproject.toml"
fi

step "lint and types"
.venv/bin/ruff check src tests benchmarks
.venv/bin/ruff format --check src tests benchmarks
.venv/bin/mypy --strict src tests benchmarks

step "tests and doctests, from the source tree"
.venv/bin/python -m pytest --doctest-modules src tests README.md

if $quick; then
    step "the quick checks passed in $(clock); the full run adds the docs and the wheel on each Python"
    exit 0
fi

step "the docs: lint, a build from scratch with warnings as errors, every example run"
.venv/bin/ruff check docs
.venv/bin/ruff format --check docs
.venv/bin/mypy --strict docs/conf.py docs/conftest.py docs/test_generated_pages.py docs/_ext/fsdocs
rm -rf docs/_build
.venv/bin/sphinx-build -W --keep-going -q -b html docs docs/_build/html
.venv/bin/python -m pytest docs

step "the wheel"
rm -rf dist
.venv/bin/python -m build --wheel --outdir dist >/dev/null
wheel=$(ls dist/*.whl)
echo "built $wheel"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r tests "$work/tests"
tested=()
for version in 3.10 3.11 3.12 3.13; do
    if ! interpreter=$(find_python "$version"); then
        echo "Python $version: not found on this machine, skipped"
        continue
    fi
    step "the wheel on Python $version ($interpreter)"
    "$interpreter" -m venv "$work/venv-$version"
    venv_python=$work/venv-$version/bin/python
    "$venv_python" -m pip install --quiet --upgrade pip
    "$venv_python" -m pip install --quiet "$wheel" --group "$root/pyproject.toml:test"
    (
        cd "$work"
        "$venv_python" -c 'import fusion_strategies as fs, sys; assert "site-packages" in fs.__file__, fs.__file__'
        "$venv_python" -m pytest -p no:cacheprovider -q tests
        "$venv_python" -m pytest -p no:cacheprovider -q --doctest-modules --pyargs fusion_strategies
    )
    tested+=("$version")
done
step "all checks passed; the wheel was tested on Python ${tested[*]}"
