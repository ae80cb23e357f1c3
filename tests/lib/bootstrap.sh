# shellcheck shell=bash
# Shared helpers for tests/run-tests.sh, examples/run-demo.sh and tests/awx/run-awx-job.sh.
# Source it; it defines functions only and changes no shell options.
#
# Virtual environments (all at the repository root, ignored by git and by the collection build):
#   .venv                Python 3.11 + tests/requirements.txt       (ansible-core 2.19, main venv)
#   .venvs/ansible-2.16  Python 3.11 + tests/requirements-2.16.txt  (oldest supported ansible-core)
#   .venvs/ansible-2.21  Python 3.13 + tests/requirements-2.21.txt
#   .venvs/ansible-2.22  Python 3.13 + tests/requirements-2.22.txt  (newest ansible-core)
#   .venvs/docs          Python 3.11 + tests/requirements-docs.txt  (galaxy-importer, antsibull-docs)
# Each venv installs its requirements file with `-c tests/constraints/<the same file name>`: every
# package it gets (pip included) is pinned, updated on purpose with tests/constraints/refresh.sh.
# A venv is reused while its stamp (Python version + hashes of both files) is unchanged.
#
# Measured on a 2-core machine (fresh clone, empty HOME, packages from a local index): the main venv
# builds in about 35 s; the venvs of a full `make test` plus ansible-test's own (~/.ansible/test)
# take about 0.9 GB on disk (`du -sh .venv .venvs ~/.ansible/test`).

rc_log() {
    printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2
}

rc_die() {
    rc_log "ERROR: $*"
    exit 1
}

# rc_find_python X.Y -> prints the path of a working pythonX.Y interpreter.
# Order: pyenv's versions/X.Y.* (newest first), then pythonX.Y on PATH. pyenv shims for versions
# that are not installed exist on PATH but do not run, so every candidate is executed once.
rc_find_python() {
    local want="$1" candidate root
    local -a candidates=()
    if command -v pyenv >/dev/null 2>&1; then
        root="$(pyenv root 2>/dev/null || true)"
        if [ -n "$root" ] && [ -d "$root/versions" ]; then
            while IFS= read -r candidate; do
                candidates+=("$candidate")
            done < <(find "$root/versions" -maxdepth 3 -path "*/versions/${want}.*/bin/python${want}" 2>/dev/null | sort -rV)
        fi
    fi
    if command -v "python${want}" >/dev/null 2>&1; then
        candidates+=("$(command -v "python${want}")")
    fi
    for candidate in "${candidates[@]}"; do
        if [ -x "$candidate" ] && "$candidate" -c "import sys, venv; assert '%d.%d' % sys.version_info[:2] == '${want}'" >/dev/null 2>&1; then
            printf '%s\n' "$candidate"
            return 0
        fi
    done
    return 1
}

# rc_constraints_file REQUIREMENTS_FILE -> the constraints file that pins everything it installs.
rc_constraints_file() {
    printf '%s/constraints/%s\n' "$(dirname "$1")" "$(basename "$1")"
}

# rc_ensure_venv DIR X.Y REQUIREMENTS_FILE
# Creates (or reuses) a venv at DIR with Python X.Y and the requirements installed, every package
# pinned by the requirements file's constraints file (rc_constraints_file).
rc_ensure_venv() {
    local dir="$1" lock
    # Two lanes may want one venv at once (examples-2.22 and the 2.22 lane): the second waits for the
    # first and then finds it up to date, instead of both building it in the same directory.
    lock="${TMPDIR:-/tmp}/runcloud-venv-$(printf '%s' "$dir" | sha256sum | cut -c1-16).lock"
    if command -v flock >/dev/null 2>&1; then
        ( flock 9; _rc_ensure_venv_unlocked "$@" ) 9>"$lock" || rc_die "venv $dir could not be made (see above)"
    else
        _rc_ensure_venv_unlocked "$@"
    fi
}

_rc_ensure_venv_unlocked() {
    local dir="$1" pyver="$2" req="$3" python stamp_want stamp_have constraints
    [ -f "$req" ] || rc_die "requirements file not found: $req"
    constraints="$(rc_constraints_file "$req")"
    [ -f "$constraints" ] || rc_die "$req has no constraints file $constraints; make it with: tests/constraints/refresh.sh --python ${pyver} $(basename "$req")"
    python="$(rc_find_python "$pyver")" || rc_die "Python ${pyver} not found (looked in \$(pyenv root)/versions/${pyver}.* and for python${pyver} on PATH); install it, e.g. 'pyenv install ${pyver}'"
    stamp_want="python=$("$python" -c 'import sys; print("%d.%d.%d" % sys.version_info[:3])') req=$(sha256sum "$req" | cut -d' ' -f1) constraints=$(sha256sum "$constraints" | cut -d' ' -f1)"
    if [ -x "$dir/bin/python" ] && [ -f "$dir/.runcloud-stamp" ] && "$dir/bin/python" -c 'import ansible' >/dev/null 2>&1; then
        stamp_have="$(cat "$dir/.runcloud-stamp")"
        if [ "$stamp_have" = "$stamp_want" ]; then
            rc_log "venv $dir is up to date ($stamp_want)"
            return 0
        fi
        rc_log "venv $dir is outdated; rebuilding"
    fi
    rc_log "creating venv $dir with $python and $req"
    rm -rf "$dir"
    mkdir -p "$(dirname "$dir")"
    "$python" -m venv "$dir" || rc_die "could not create venv $dir"
    "$dir/bin/python" -m pip install --disable-pip-version-check --quiet --upgrade pip -c "$constraints" \
        || rc_die "could not upgrade pip in $dir"
    "$dir/bin/python" -m pip install --disable-pip-version-check --quiet -r "$req" -c "$constraints" \
        || rc_die "could not install $req with $constraints into $dir"
    printf '%s\n' "$stamp_want" > "$dir/.runcloud-stamp"
    rc_log "venv $dir ready: $("$dir/bin/ansible" --version 2>/dev/null | head -n1)"
}

# rc_ensure_get_pip_standin VENV_DIR
# ansible-test bootstraps pip in the venvs it creates by downloading a get-pip script
# (ansible_test/_util/target/setup/requirements.py). Without internet access that download fails;
# a stand-in in ansible-test's cache makes it use ensurepip and the normal package index instead.
# The pip versions are the ones pinned in the installed ansible_test/_internal/python_requirements.py.
rc_ensure_get_pip_standin() {
    local venv="$1" pyreq pip_version cache file tmp found=0
    pyreq="$("$venv/bin/python" -c 'import ansible_test, os; print(os.path.join(os.path.dirname(ansible_test.__file__), "_internal", "python_requirements.py"))' 2>/dev/null)" \
        || rc_die "ansible_test not importable in $venv"
    cache="${HOME}/.ansible/test/cache"
    mkdir -p "$cache"
    while IFS= read -r pip_version; do
        found=1
        file="$cache/get_pip_${pip_version//./_}.py"
        tmp="$(mktemp "$file.XXXXXX")"
        rc_write_get_pip_standin > "$tmp"
        if [ -f "$file" ] && cmp -s "$file" "$tmp"; then
            rm -f "$tmp"
        else
            mv "$tmp" "$file"
            rc_log "wrote ansible-test get-pip stand-in $file (pip $pip_version)"
        fi
    done < <(grep -oE "pip=['\"][0-9][0-9.]*['\"]" "$pyreq" | grep -oE '[0-9][0-9.]*' | sort -u)
    [ "$found" = 1 ] || rc_die "could not find the pinned pip version in $pyreq"
}

# rc_ensure_ansible_test_offline VENV_DIR REQUIREMENTS_FILE
# ansible-test installs the requirements of each sanity test from the package index. A requirement it
# names by a GitHub archive URL (ansible-core 2.22.0rc1: dill for pylint, a snapshot for Python 3.15)
# cannot be downloaded without internet access; it is replaced by the release that REQUIREMENTS_FILE
# pins for that package (the venv's own requirements file), in the venv's copy of ansible-test's lists.
rc_ensure_ansible_test_offline() {
    local venv="$1" req="$2" data file name pin
    data="$("$venv/bin/python" -c 'import ansible_test, os; print(os.path.join(os.path.dirname(ansible_test.__file__), "_data", "requirements"))' 2>/dev/null)" \
        || rc_die "ansible_test not importable in $venv"
    for file in "$data"/*.txt; do
        while IFS= read -r name; do
            pin="$(grep -iE "^${name}==" "$req" | head -n 1)"
            [ -n "$pin" ] || rc_die "ansible-test's $(basename "$file") wants $name from a URL; pin its PyPI release in $req"
            sed -i -E "s|^${name} @ https?://.*$|${pin}|" "$file"
            rc_log "ansible-test's $(basename "$file"): $pin from PyPI instead of a URL"
        done < <(sed -n -E 's/^([A-Za-z0-9_.-]+) @ https?:\/\/.*/\1/p' "$file")
    done
}

rc_write_get_pip_standin() {
    cat <<'PY'
"""Offline stand-in for the get-pip script that ansible-test would download.

Bootstraps pip with ensurepip, then installs what ansible-test asked for from the configured
package index. Written by the collection's test runner (tests/lib/bootstrap.sh).
"""
import subprocess
import sys

subprocess.check_call([sys.executable, '-m', 'ensurepip', '--default-pip'], stdout=subprocess.DEVNULL)
args = [arg for arg in sys.argv[1:] if arg not in ('--no-setuptools', '--no-wheel')]
if args:
    subprocess.check_call([sys.executable, '-m', 'pip', 'install', '--quiet', '--disable-pip-version-check'] + args)
PY
}

# rc_core_venv VERSION -> "VENV PYTHON REQUIREMENTS" (relative to the repository root) of the venv
# that tests ansible-core VERSION, as in the MATRIX of tests/run-tests.sh; fails for another version.
rc_core_venv() {
    case "$1" in
        2.16) echo ".venvs/ansible-2.16 3.11 tests/requirements-2.16.txt" ;;
        2.19) echo ".venv 3.11 tests/requirements.txt" ;;
        2.21) echo ".venvs/ansible-2.21 3.13 tests/requirements-2.21.txt" ;;
        2.22) echo ".venvs/ansible-2.22 3.13 tests/requirements-2.22.txt" ;;
        *) return 1 ;;
    esac
}

# rc_ensure_main_venv REPO_ROOT -> the venv used by the quick tests and the demo.
rc_ensure_main_venv() {
    rc_ensure_venv "$1/.venv" 3.11 "$1/tests/requirements.txt"
}

# rc_ensure_docs_venv REPO_ROOT -> galaxy-importer, antsibull-docs and Sphinx (tests/docs-site.sh).
rc_ensure_docs_venv() {
    rc_ensure_venv "$1/.venvs/docs" 3.11 "$1/tests/requirements-docs.txt"
}

# rc_copy_collection REPO_ROOT DEST : copies the checkout's files (tracked + untracked, not ignored)
# to DEST.
rc_copy_collection() {
    local root="$1" dest="$2"
    mkdir -p "$dest"
    if git -C "$root" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
        git -C "$root" ls-files -z -co --exclude-standard \
            | while IFS= read -r -d '' f; do
                if [ -e "$root/$f" ] || [ -L "$root/$f" ]; then printf '%s\0' "$f"; fi
            done \
            | tar -C "$root" --null -T - -cf - | tar -C "$dest" -xf -
    else
        tar -C "$root" -cf - \
            --exclude=./.git --exclude=./.venv --exclude=./.venvs --exclude=./tests/output \
            --exclude=./tests/integration/inventory --exclude=__pycache__ --exclude=.pytest_cache \
            --exclude=./.ansible --exclude='./*.tar.gz' --exclude=./docs/site . | tar -C "$dest" -xf -
    fi
}

# rc_stage_collection REPO_ROOT DEST : the collection as published: the checkout's files plus the
# documentation site's guide pages generated from the Markdown guides. Needs the docs venv.
rc_stage_collection() {
    rc_copy_collection "$1" "$2"
    "$1/.venvs/docs/bin/python" "$1/tests/lib/docsite_guides.py" "$2" \
        || rc_die "could not generate the guide pages of the documentation site"
}

# rc_build_collection REPO_ROOT OUTPUT_DIR : builds the collection tarball from a staged copy with
# the main venv. With RUNCLOUD_BUILD_SITE_PAGES=1 (as for a release) the copy also gets the
# documentation site's guide pages (docs/docsite/rst/, as Galaxy shows them), made with the docs
# venv; without it the tarball has the Markdown guides only.
rc_build_collection() {
    local root="$1" output="$2" stage venv="$1/.venv"
    stage="$(mktemp -d "${TMPDIR:-/tmp}/runcloud-build.XXXXXX")"
    if [ "${RUNCLOUD_BUILD_SITE_PAGES:-0}" = 1 ]; then
        rc_ensure_docs_venv "$root"
        venv="$root/.venvs/docs"
        rc_stage_collection "$root" "$stage/cloud"
    else
        rc_ensure_main_venv "$root"
        rc_copy_collection "$root" "$stage/cloud"
    fi
    "$venv/bin/ansible-galaxy" collection build --force --output-path "$output" "$stage/cloud"
    local rc=$?
    rm -rf "$stage"
    return "$rc"
}

# rc_start_simulator PYTHON ROOT WORKDIR [simulator flags...]
# Starts ROOT/tests/simulator/runcloud_sim.py on a free loopback port in the background, output in
# WORKDIR/sim.out and sim.err. Sets RC_SIM_PID, RC_SIM_URL (the API URL: /api/v3 with the flags
# `--api-version 3`) and RC_SIM_TOKEN (the token that URL takes: the simulator's JWT on v3).
# rc_stop_simulator ends it.
rc_start_simulator() {
    local python="$1" root="$2" work="$3" token_line=""
    shift 3
    case " $* " in *" --api-version 3 "*) token_line=1 ;; esac
    "$python" "$root/tests/simulator/runcloud_sim.py" --port 0 "$@" > "$work/sim.out" 2> "$work/sim.err" &
    RC_SIM_PID=$!
    RC_SIM_URL=""
    RC_SIM_TOKEN="runcloud-sim-token"
    for _ in $(seq 1 100); do
        RC_SIM_URL="$(sed -n '1s/^RUNCLOUD_API_URL=//p' "$work/sim.out")"
        if [ -n "$token_line" ] && [ -n "$RC_SIM_URL" ]; then
            # On v3 the token follows the URL on the second line.
            RC_SIM_TOKEN="$(sed -n '2s/^RUNCLOUD_API_TOKEN=//p' "$work/sim.out")"
            [ -n "$RC_SIM_TOKEN" ] || RC_SIM_URL=""
        fi
        [ -n "$RC_SIM_URL" ] && return 0
        if ! kill -0 "$RC_SIM_PID" 2>/dev/null; then
            cat "$work/sim.err" >&2
            rc_die "the simulator exited before printing its URL"
        fi
        sleep 0.1
    done
    cat "$work/sim.err" >&2
    rc_die "the simulator printed no URL (and token) within 10 s"
}

rc_stop_simulator() {
    if [ -n "${RC_SIM_PID:-}" ] && kill -0 "$RC_SIM_PID" 2>/dev/null; then
        kill "$RC_SIM_PID" 2>/dev/null || true
        wait "$RC_SIM_PID" 2>/dev/null || true
    fi
}

# rc_sim_requests PYTHON API_URL METHOD -> "<GETs> <writes>" from the simulator's request log;
# METHOD DELETE clears the log (and prints "0 0").
rc_sim_requests() {
    "$1" - "${2%/api/v[23]}/__sim__/requests" "$3" <<'PYTHON'
import json, sys, urllib.request
answer = json.load(urllib.request.urlopen(urllib.request.Request(sys.argv[1], method=sys.argv[2]), timeout=10))
counters = answer.get("counters", {})
print(counters.get("by_method", {}).get("GET", 0), counters.get("writes", 0))
PYTHON
}
