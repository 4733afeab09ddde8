#!/usr/bin/env bash
# Pythons that this machine's C library is too old for, taken from Debian unstable and
# run in a chroot that is cached outside the repository:
#
#   bash scripts/debian-python.sh prepare VERSION...
#       Makes sure the cached chroot holds python VERSION (and its venv module) for each
#       VERSION, building it with debootstrap when it is missing, broken or built by another
#       recipe. Prints one line per interpreter it holds, "VERSION PATH", with a free-threaded
#       build as "VERSIONt PATH" where Debian ships one. When the chroot cannot be had (no
#       debootstrap, the archive unreachable, a package missing), it exits 1 and says why on
#       its last line of stderr.
#   bash scripts/debian-python.sh run [--bind OTHER]... DIR COMMAND...
#       Runs COMMAND in DIR in the chroot, with DIR and each OTHER (read-write) at the same
#       paths as on the host, and the host's pip configuration and the local wheel folders and indexes it names
#       (read-only), so that pip there resolves as pip here does. The mounts are made in a
#       private mount namespace, so none of them outlives the command, however it ends.
#
# The chroot lives in ${XDG_CACHE_HOME:-$HOME/.cache}/fusion-strategies/, in a folder named
# by a hash of the recipe below; a changed recipe builds a new chroot and removes the old.
# The Debian mirror is the host's own, read from its apt sources; DEBIAN_MIRROR overrides it.
set -euo pipefail

suite=unstable
cache=${XDG_CACHE_HOME:-$HOME/.cache}/fusion-strategies

die() {
    echo "$*" >&2
    exit 1
}

# The recipe: what a chroot is built from. Its text names the chroot's folder.
recipe_packages() {
    local version
    for version in "$@"; do
        echo "python$version" "python$version-venv"
    done
    echo sqlite3 # the shell that a test opens the SQLite export with
}

build_chroot() {
    local target=$1 mirror=$2 version
    shift 2
    # An archive that does not answer is given up on in minutes, not in wget's hours.
    local wgetrc
    wgetrc=$(mktemp)
    printf 'timeout = 30\ntries = 3\n' >"$wgetrc"
    WGETRC=$wgetrc debootstrap --variant=minbase "$suite" "$target" "$mirror" ||
        { rm -f "$wgetrc" && die "debootstrap of Debian $suite from $mirror failed"; }
    rm -f "$wgetrc"
    echo "deb $mirror $suite main" >"$target/etc/apt/sources.list"
    # The host's acquire settings: its mirror may serve snapshots whose Release files are past
    # their Valid-Until date, or need a proxy.
    {
        apt-config dump | grep -E '^Acquire::(Check-Valid-Until|Check-Date|https?::Proxy[^ ]*) ' || true
        echo 'Acquire::http::Timeout "30"; Acquire::Retries "3";'
    } >"$target/etc/apt/apt.conf.d/99host"
    in_chroot "$target" apt-get update -q || die "apt-get update in the chroot failed"
    # shellcheck disable=SC2046 # one word per package
    in_chroot "$target" apt-get install -q -y --no-install-recommends \
        $(recipe_packages "$@") $(free_threaded_packages "$target" "$@") ||
        die "apt-get install of Python $* in the chroot failed"
    in_chroot "$target" apt-get clean
    rm -rf "$target"/var/lib/apt/lists/*
}

free_threaded_packages() {
    local target=$1 version
    shift
    for version in "$@"; do
        if in_chroot "$target" apt-cache show "python$version-nogil" >/dev/null 2>&1; then
            echo "python$version-nogil"
        fi
    done
}

in_chroot() {
    local target=$1
    shift
    cp /etc/resolv.conf "$target/etc/resolv.conf"
    DEBIAN_FRONTEND=noninteractive chroot "$target" "$@"
}

host_mirror() {
    local file
    if [ -n "${DEBIAN_MIRROR:-}" ]; then
        echo "$DEBIAN_MIRROR"
        return
    fi
    # The first Debian archive (not its security archive) in the host's apt sources.
    for file in /etc/apt/sources.list.d/*.sources; do
        [ -e "$file" ] || continue
        awk '/^URIs:/ && $2 !~ /security/ && $2 ~ /debian/ { print $2; exit }' "$file"
    done | head -n 1 | grep . && return
    for file in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
        [ -e "$file" ] || continue
        sed -E -n 's/^deb +(\[[^]]*\] +)?([^ ]*debian[^ ]*) .*/\2/p' "$file"
    done | grep -v security | head -n 1 | grep . && return
    die "no Debian mirror in the host's apt sources (set DEBIAN_MIRROR)"
}

interpreters() {
    local target=$1 version
    shift
    for version in "$@"; do
        in_chroot "$target" "python$version" -c 'import venv' 2>/dev/null || return 1
        echo "$version /usr/bin/python$version"
        if [ -x "$target/usr/bin/python${version}t" ]; then
            echo "${version}t /usr/bin/python${version}t"
        fi
    done
}

prepare() {
    [ $# -gt 0 ] || die "usage: $0 prepare VERSION..."
    local key chroot building
    key=$(
        {
            declare -f recipe_packages build_chroot free_threaded_packages
            echo "$suite" "$@"
        } | sha256sum | cut -c 1-16
    )
    chroot=$cache/debian-$suite-$key
    mkdir -p "$cache"
    exec 9>"$cache/lock"
    flock 9
    local found
    if [ -d "$chroot" ] && found=$(interpreters "$chroot" "$@"); then
        echo "$found"
        return
    fi
    if ! command -v debootstrap >/dev/null; then
        export DEBIAN_FRONTEND=noninteractive
        { apt-get install -q -y debootstrap || { apt-get update -q && apt-get install -q -y debootstrap; }; } >&2 ||
            die "debootstrap is missing, and apt-get could not install it"
    fi
    local mirror
    mirror=$(host_mirror)
    echo "building a Debian $suite chroot with Python $* from $mirror in $chroot" >&2
    rm -rf "$chroot" "$cache"/building.*
    building=$(mktemp -d "$cache/building.XXXXXX")
    # A build that is stopped takes its half-made chroot with it.
    # shellcheck disable=SC2064 # the folder is named now: the variable is gone at exit
    trap "rm -rf $(printf %q "$building")" EXIT
    trap 'exit 1' INT TERM
    # In a mount namespace of its own, so that what debootstrap mounts goes with it.
    if ! unshare --mount --propagation private -- bash "$0" _build "$building/root" "$mirror" "$@" 2>&1 |
        tee "$building/log" >&2; then
        local reason
        reason=$(tail -n 1 "$building/log")
        rm -rf "$building"
        die "could not build the Debian $suite chroot: $reason"
    fi
    # Only a chroot that is whole gets the recipe's name; older recipes' chroots go.
    find "$cache" -maxdepth 1 -name "debian-$suite-*" -exec rm -rf {} +
    mv "$building/root" "$chroot"
    rm -rf "$building"
    interpreters "$chroot" "$@" || die "the new chroot's Python $* does not run"
}

# The host's pip configuration files, and the local folders and files that they and the
# PIP_* variables name: find-links folders, file:// indexes, constraints, certificates.
pip_paths() {
    local file line word path
    for file in /etc/pip.conf /etc/xdg/pip/pip.conf "${XDG_CONFIG_HOME:-$HOME/.config}/pip/pip.conf" \
        "$HOME/.pip/pip.conf" "${PIP_CONFIG_FILE:-}"; do
        [ -f "$file" ] && echo "$file"
    done
    python3 -m pip config list 2>/dev/null | while IFS= read -r line; do
        line=${line#*=}
        line=${line#\'}
        for word in ${line%\'}; do
            case $word in
                file://*) path=${word#file://} ;;
                /*) path=$word ;;
                *) continue ;;
            esac
            [ -e "$path" ] || continue
            # An index's pages link to its files beside it: ../../files/NAME.whl.
            if [ -d "$path" ] && [ "${path##*/}" = simple ]; then
                path=${path%/simple}
            fi
            echo "$path"
        done
    done
}

enter() {
    local chroot=$1 dir=$2 binds=$3 path target
    shift 3
    mount -t proc proc "$chroot/proc"
    mount --rbind /dev "$chroot/dev"
    mount -t tmpfs tmpfs "$chroot/tmp"
    # shellcheck disable=SC2086 # the writable folders are joined by colons
    for path in "$dir" ${binds//:/ } /etc/resolv.conf $(pip_paths | sort -u); do
        target=$chroot$path
        if [ -d "$path" ]; then
            mkdir -p "$target"
        else
            mkdir -p "${target%/*}"
            [ -e "$target" ] || : >"$target"
        fi
        mount --bind "$path" "$target"
        [[ :$dir:$binds: == *:"$path":* ]] || mount -o remount,bind,ro "$target"
    done
    local -a environment=(HOME=/root PATH=/usr/local/bin:/usr/bin:/bin LANG=C.UTF-8)
    while IFS= read -r path; do
        environment+=("$path")
    done < <(env | grep -E '^(PIP_[A-Z_]+|CI|TZ)=')
    # shellcheck disable=SC2016 # expanded by the shell in the chroot
    exec chroot "$chroot" /usr/bin/env -i "${environment[@]}" sh -c 'cd "$1" && shift && exec "$@"' \
        sh "$dir" "$@"
}

run() {
    local binds='' dir
    while [ "${1:-}" = --bind ]; do
        binds+=:$(cd "$2" && pwd -P)
        shift 2
    done
    [ $# -gt 1 ] || die "usage: $0 run [--bind OTHER]... DIR COMMAND..."
    dir=$(cd "$1" && pwd -P)
    shift
    local chroot
    chroot=$(find "$cache" -maxdepth 1 -name "debian-$suite-*" -type d | head -n 1)
    [ -n "$chroot" ] || die "no chroot in $cache: run '$0 prepare VERSION...' first"
    exec unshare --mount --propagation private -- bash "$0" _enter "$chroot" "$dir" "${binds#:}" "$@"
}

case ${1:-} in
    prepare) shift && prepare "$@" ;;
    run) shift && run "$@" ;;
    _build) shift && build_chroot "$@" ;;
    _enter) shift && enter "$@" ;;
    *) die "usage: $0 prepare VERSION... | run [--bind OTHER]... DIR COMMAND..." ;;
esac
