#!/usr/bin/env bash
# Every check that CI runs, from a fresh clone, installing what it needs:
#   1. a development venv (.venv): ruff, mypy --strict, the tests and every doctest,
#      then the docs, built with warnings as errors, and every example in them run;
#   2. the built wheel, installed in a fresh venv outside the tree, tested on each Python
#      3.10-3.15, as many at a time as there are cores. 3.14 and 3.15, where this machine
#      lacks them, come from a Debian unstable chroot cached outside the repository
#      (scripts/debian-python.sh), and so would a free-threaded build if Debian shipped one.
#      A Python that cannot be had is skipped, and the summary says so and why.
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

versions=(3.10 3.11 3.12 3.13 3.14 3.15)
debian_versions=(3.14 3.15)
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

# The closing lines of the pytest runs in a log, without their times: "880 passed, 1 skipped".
outcomes() { grep -E '^=* ?[0-9]+ [a-z]+.* in [0-9.]+s' "$1" | sed -E 's/^=* //; s/ in [0-9.]+s.*//'; }

work=$(mktemp -d)
chroot_job=
cleanup() {
    # The chroot's build runs in a session of its own: end all of it, not only its shell.
    if [ -n "$chroot_job" ] && kill -0 "$chroot_job" 2>/dev/null; then
        kill -- "-$chroot_job" 2>/dev/null || true
        wait "$chroot_job" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

declare -A where=() skip_reason=()
for version in "${versions[@]}"; do
    if interpreter=$(find_python "$version"); then
        where[$version]=$interpreter
    else
        skip_reason[$version]="not on this machine"
    fi
done
from_debian=()
for version in "${debian_versions[@]}"; do
    [ -n "${where[$version]:-}" ] || from_debian+=("$version")
done
if ! $quick && [ ${#from_debian[@]} -gt 0 ]; then
    echo "Python ${from_debian[*]}: not on this machine; getting them from Debian unstable meanwhile"
    setsid --wait bash scripts/debian-python.sh prepare "${from_debian[@]}" \
        >"$work/chroot.pythons" 2>"$work/chroot.log" </dev/null &
    chroot_job=$!
fi

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

step "the bundled data: what its sources give"
bash scripts/build-data.sh --check

step "lint and types"
.venv/bin/ruff check src tests benchmarks
.venv/bin/ruff format --check src tests benchmarks
.venv/bin/mypy --strict src tests benchmarks

step "tests and doctests, from the source tree"
.venv/bin/python -m pytest --doctest-modules src tests README.md | tee "$work/source.log"

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
.venv/bin/python -m pytest docs | tee "$work/docs.log"

step "the wheel"
rm -rf dist
.venv/bin/python -m build --wheel --outdir dist >/dev/null
wheel=$(ls dist/*.whl)
echo "built $wheel"
# What each Python's venv is made from, in one folder that a chroot sees too. The test group
# as a requirements file lets each venv's own pip, however old, install it all in one go.
cp -r tests "$work/tests"
cp -r sources "$work/sources"  # the page capture, which the fidelity tests read
cp "$wheel" "$work/"
wheel=$work/${wheel##*/}
.venv/bin/python - >"$work/test-requirements.txt" <<'EOF'
import tomllib

with open("pyproject.toml", "rb") as file:
    groups = tomllib.load(file)["dependency-groups"]


def requirements(group):
    for item in groups[group]:
        yield from requirements(item["include-group"]) if isinstance(item, dict) else [item]


print(*requirements("test"), sep="\n")
EOF

declare -A in_chroot=()
if [ -n "$chroot_job" ]; then
    step "Python ${from_debian[*]} from Debian unstable"
    if wait "$chroot_job"; then
        while read -r version interpreter; do
            where[$version]=$interpreter
            in_chroot[$version]=1
        done <"$work/chroot.pythons"
        echo "a chroot has $(cut -d ' ' -f 1 "$work/chroot.pythons" | paste -sd ' ' -)"
    else
        echo "!! the Debian unstable chroot could not be had; its log ends:"
        tail -n 20 "$work/chroot.log" | sed 's/^/   /'
        for version in "${from_debian[@]}"; do
            skip_reason[$version]="not on this machine, and the Debian unstable chroot could not be had: $(tail -n 1 "$work/chroot.log")"
        done
    fi
    chroot_job=
fi

tested=()
for version in "${versions[@]}" "${!where[@]}"; do
    if [ -n "${where[$version]:-}" ] && [[ " ${tested[*]} " != *" $version "* ]]; then
        tested+=("$version")
    fi
done

# One Python's run: the wheel installed in its venv, the tests and the doctests of the
# installed package. The venv, with the test group and the wheel's dependencies, is made in
# one pip run the first time and kept outside the tree for the next runs, which only put
# the new wheel in it: it is made anew when pyproject.toml or the interpreter changes. A
# line of progress per phase goes to stdout, everything else to the Python's log.
venvs=${XDG_CACHE_HOME:-$HOME/.cache}/fusion-strategies/venvs
mkdir -p "$venvs"
wheel_suite() {
    local version=$1
    local runner=() key venv lock other log=$work/$version.log
    [ -z "${in_chroot[$version]:-}" ] ||
        runner=(bash "$root/scripts/debian-python.sh" run --bind "$venvs" "$work")
    phase() {
        local name=$1 begun=$SECONDS
        shift
        if ! (cd "$work" && "${runner[@]}" "$@") >>"$log" 2>&1; then
            echo "   $version: $name FAILED"
            return 1
        fi
        echo "   $version: $name$(outcomes "$log" | tail -n 1 | sed 's/^/ /') ($((SECONDS - begun)) s)"
    }
    key=$({ cat pyproject.toml && cd "$work" && "${runner[@]}" "${where[$version]}" -VV; } | sha256sum | cut -c 1-16)
    venv=$venvs/$version-$key
    # Another run on this machine waits for the venv rather than changing it under its tests.
    exec {lock}>"$venv.lock"
    flock "$lock"
    if [ -e "$venv/.complete" ]; then
        touch "$venv/.complete"
        phase "the wheel, into the venv of an earlier run" \
            "$venv/bin/python" -m pip install --quiet --no-deps --force-reinstall "$wheel" || return 1
    else
        # Venvs of other keys may be another clone's: only those unused for a week go.
        for other in "$venvs/$version"-*/.complete; do
            [ -n "$(find "$other" -mtime +7 2>/dev/null)" ] || continue
            other=${other%/.complete}
            (flock -n 8 && rm -rf "$other") 8>"$other.lock" || true
        done
        rm -rf "$venv"
        phase "venv" "${where[$version]}" -m venv "$venv" &&
            phase "install, with the test group" \
                "$venv/bin/python" -m pip install --quiet "$wheel" -r test-requirements.txt &&
            touch "$venv/.complete" || return 1
    fi
    phase "import from site-packages" "$venv/bin/python" -c \
        'import fusion_strategies as fs; assert "site-packages" in fs.__file__, fs.__file__' &&
        phase "tests:" "$venv/bin/python" -m pytest -p no:cacheprovider -q tests &&
        phase "doctests:" "$venv/bin/python" -m pytest -p no:cacheprovider -q \
            --doctest-modules --pyargs fusion_strategies &&
        touch "$work/$version.passed"
}

cores=$(nproc)
step "the wheel on Python ${tested[*]}, $cores at a time"
for version in "${tested[@]}"; do
    while [ "$(jobs -rp | wc -l)" -ge "$cores" ]; do
        wait -n || true
    done
    echo "   $version: ${where[$version]}${in_chroot[$version]:+ (in the Debian unstable chroot)}"
    wheel_suite "$version" &
done
wait

failed=()
for version in "${tested[@]}"; do
    [ -e "$work/$version.passed" ] || failed+=("$version")
done
for version in "${failed[@]}"; do
    step "the log of Python $version"
    cat "$work/$version.log"
done

step "summary after $(clock)"
echo "source tree (Python $(.venv/bin/python -c 'import sys; print(sys.version.split()[0])')):" \
    "$(outcomes "$work/source.log"); docs: $(outcomes "$work/docs.log")"
for version in "${tested[@]}"; do
    printf 'Python %-5s %-6s tests: %s; doctests: %s\n' "$version" \
        "$([ -e "$work/$version.passed" ] && echo passed || echo FAILED)" \
        "$(outcomes "$work/$version.log" | sed -n 1p)" "$(outcomes "$work/$version.log" | sed -n 2p)"
done
for version in "${versions[@]}"; do
    [ -z "${where[$version]:-}" ] || continue
    echo "!! Python $version SKIPPED: ${skip_reason[$version]}"
done
if [[ " ${tested[*]} " != *t\ * ]]; then
    if [ ${#in_chroot[@]} -gt 0 ]; then
        reason="Debian unstable ships none ($(printf 'no python%s-nogil, ' "${debian_versions[@]}" | sed 's/, $//'))"
    else
        reason="the Debian unstable chroot, where one would come from, was not used"
    fi
    echo "!! free-threaded Python SKIPPED: none on this machine, and $reason"
fi
if [ ${#failed[@]} -gt 0 ]; then
    echo "FAILED on Python ${failed[*]}"
    exit 1
fi
echo "all checks passed; the wheel was tested on Python ${tested[*]}"
