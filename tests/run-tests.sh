#!/usr/bin/env bash
# The collection's test runner: `make test` runs this script from the repository root.
#
#   tests/run-tests.sh                      all stages on every supported ansible-core, then pytest
#   tests/run-tests.sh sanity units         only those kinds of stage (all versions)
#   tests/run-tests.sh units-2.16 pytest    one stage of one version, then pytest
#   RUNCLOUD_TEST_QUICK=1 tests/run-tests.sh   only the main venv (ansible-core 2.19) + pytest
#
# Stage kinds: sanity, units, integration (ansible-test, one stage per ansible-core version),
# inventory (the inventory golden-file tests with 2.16's and 2.21's ansible-inventory) and
# lint (ansible-lint, production profile) and
# pytest (plain pytest over tests/, always last so the run ends with pytest's summary line).
# Every selected stage runs even when an earlier one failed; the exit code is non-zero if any failed.
# The ansible-core versions run as parallel lanes (RUNCLOUD_TEST_JOBS at a time, default all of
# them; most stages use one core); each lane's output is printed when the lane ends.
#
# It installs what it needs: the venvs (tests/lib/bootstrap.sh), the offline get-pip stand-in for
# ansible-test, and shellcheck (via apt-get, when running as root and it is missing).
# ansible-test needs a real .../ansible_collections/runcloud/cloud directory, so each ansible-core
# version tests a fresh copy of the checkout's files in a temporary directory.

# Functions below are called indirectly (traps, run_stage).
# shellcheck disable=SC2317
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT" || exit 1
# shellcheck source=tests/lib/bootstrap.sh
source "$ROOT/tests/lib/bootstrap.sh"

# version label | python | venv dir | requirements file
MATRIX=(
    "2.16|3.11|.venvs/ansible-2.16|tests/requirements-2.16.txt"
    "2.19|3.11|.venv|tests/requirements.txt"
    "2.21|3.13|.venvs/ansible-2.21|tests/requirements-2.21.txt"
)
MAIN_VERSION="2.19"
# sanity takes ~2 minutes per version; the full run tests both ends of the supported range (quick
# mode and an explicit `sanity-2.19` run it on the main version).
SANITY_VERSIONS=" 2.16 2.21 "
# Integration costs ~0.5 s per module task per version; to keep the full run well under 20 minutes
# on 2 cores it too runs on both ends of the range (quick mode and `integration-2.19` run 2.19).
INTEGRATION_VERSIONS=" 2.16 2.21 "
# The inventory golden tests run ansible-inventory of the venv they run in; the final pytest covers
# the main version, this stage the ends of the range.
INVENTORY_VERSIONS=" 2.16 2.21 "

usage() {
    sed -n '2,17p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
}

QUICK="${RUNCLOUD_TEST_QUICK:-0}"
SELECTED=()
for arg in "$@"; do
    case "$arg" in
        -h|--help) usage; exit 0 ;;
        --quick) QUICK=1 ;;
        sanity|units|integration|inventory|lint|pytest|sanity-*|units-*|integration-*|inventory-*) SELECTED+=("$arg") ;;
        *) echo "unknown argument: $arg (see --help)" >&2; exit 2 ;;
    esac
done
[ "${#SELECTED[@]}" -gt 0 ] || SELECTED=(sanity units integration inventory lint pytest)

selected() {  # selected KIND [VERSION]
    local s
    for s in "${SELECTED[@]}"; do
        if [ "$s" = "$1" ] || { [ -n "${2:-}" ] && [ "$s" = "$1-$2" ]; }; then
            return 0
        fi
    done
    return 1
}

TMP_ROOT="$(mktemp -d "${TMPDIR:-/tmp}/runcloud-tests.XXXXXX")"
cleanup() {
    rm -rf "$TMP_ROOT"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Each lane appends "name<TAB>seconds<TAB>result" lines to its own results file.
RESULTS_FILE="$TMP_ROOT/results.tsv"

header() {
    printf '\n==================== %s ====================\n' "$*"
}

# run_stage NAME COMMAND... : runs the command, records result and duration.
run_stage() {
    local name="$1" start end rc result
    shift
    header "$name"
    start="$(date +%s)"
    "$@"
    rc=$?
    end="$(date +%s)"
    if [ "$rc" -eq 0 ]; then
        result="ok"
    elif [ "$rc" -eq 100 ]; then
        result="skipped"
    else
        result="FAILED (exit $rc)"
    fi
    record_stage "$name" "$((end - start))" "$result"
    printf -- '---- %s: %s in %ss\n' "$name" "$result" "$((end - start))"
}

record_stage() {  # record_stage NAME SECONDS RESULT
    printf '%s\t%s\t%s\n' "$1" "$2" "$3" >> "$RESULTS_FILE"
}

ensure_shellcheck() {
    command -v shellcheck >/dev/null 2>&1 && return 0
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        rc_log "installing shellcheck (needed by the shellcheck sanity test)"
        if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq shellcheck >/dev/null 2>&1; then
            apt-get update -qq >/dev/null 2>&1 || true
            DEBIAN_FRONTEND=noninteractive apt-get install -y -qq shellcheck >/dev/null 2>&1 || true
        fi
    fi
    command -v shellcheck >/dev/null 2>&1 || rc_log "WARNING: shellcheck unavailable; the shellcheck sanity test will be skipped"
}

# copy_collection DEST : copies the checkout's files (tracked + untracked, not ignored) to DEST.
copy_collection() {
    local dest="$1"
    mkdir -p "$dest"
    if git -C "$ROOT" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
        git -C "$ROOT" ls-files -z -co --exclude-standard \
            | while IFS= read -r -d '' f; do
                if [ -e "$f" ] || [ -L "$f" ]; then printf '%s\0' "$f"; fi
            done \
            | tar -C "$ROOT" --null -T - -cf - | tar -C "$dest" -xf -
    else
        tar -C "$ROOT" -cf - \
            --exclude=./.git --exclude=./.venv --exclude=./.venvs --exclude=./tests/output \
            --exclude=./tests/integration/inventory --exclude=__pycache__ --exclude=.pytest_cache \
            --exclude=./.ansible --exclude='./*.tar.gz' . | tar -C "$dest" -xf -
    fi
}

has_unit_tests() {
    [ -d tests/unit ] && [ -n "$(find tests/unit -name 'test_*.py' -print -quit)" ]
}

has_integration_targets() {
    [ -d tests/integration/targets ] && [ -n "$(find tests/integration/targets -mindepth 1 -maxdepth 1 -type d -print -quit)" ]
}

# ansible_test VENV COLLECTION_DIR ARGS... : runs ansible-test of that venv inside the copy.
ansible_test() {
    local venv="$ROOT/$1" dir="$2"
    shift 2
    (
        cd "$dir" || exit 1
        # shellcheck disable=SC2030  # deliberately local to this subshell
        export PATH="$venv/bin:$PATH"
        "$venv/bin/ansible-test" "$@"
    )
}

# ansible-test sanity keeps its venvs in ~/.ansible/test/venv and does not guard them against two
# runs building the same one at once; serialize our sanity runs of one ansible-core version.
ansible_test_sanity() {
    local lock="${HOME}/.ansible/test/.runcloud-sanity-${LANE_VERSION}.lock"
    mkdir -p "$(dirname "$lock")"
    (
        if command -v flock >/dev/null 2>&1; then
            flock 9
        fi
        ansible_test "$@"
    ) 9>"$lock"
}

stage_skip() {
    echo "skipped: $*"
    return 100
}

# ansible_lint : ansible-lint (production profile, .ansible-lint) over the checkout, as run by users
# of the collection's roles and examples.
ansible_lint() {
    local collections="$TMP_ROOT/lint-collections"
    rc_ensure_venv "$ROOT/.venvs/lint" 3.11 "$ROOT/tests/requirements-lint.txt" || return 1
    mkdir -p "$collections/ansible_collections/runcloud"
    ln -sfn "$ROOT" "$collections/ansible_collections/runcloud/cloud"
    # ansible-lint runs ansible-playbook and ansible-galaxy from PATH: its own venv's first.
    # shellcheck disable=SC2031
    ANSIBLE_COLLECTIONS_PATH="$collections" PATH="$ROOT/.venvs/lint/bin:$PATH" \
        "$ROOT/.venvs/lint/bin/ansible-lint" --offline --nocolor
}

# inventory_golden VENV : the inventory plugin's golden-file tests with that venv's ansible-inventory.
inventory_golden() {
    "$ROOT/$1/bin/python" -m pytest -q -p no:cacheprovider tests/inventory
}

# run_lane VERSION PYTHON VENV REQ SANITY UNITS INTEGRATION INVENTORY : all stages of one ansible-core version.
run_lane() {
    local version="$1" python="$2" venv="$3" req="$4" want_sanity="$5" want_units="$6" want_integration="$7"
    local want_inventory="$8"
    local copy kind
    LANE_VERSION="$version"
    header "setup ansible-core $version (Python $python, $venv)"
    if ! ( rc_ensure_venv "$ROOT/$venv" "$python" "$ROOT/$req" && rc_ensure_get_pip_standin "$ROOT/$venv" ); then
        for kind in sanity units integration inventory; do
            if { [ "$kind" = sanity ] && [ "$want_sanity" = 1 ]; } \
                || { [ "$kind" = units ] && [ "$want_units" = 1 ]; } \
                || { [ "$kind" = integration ] && [ "$want_integration" = 1 ]; } \
                || { [ "$kind" = inventory ] && [ "$want_inventory" = 1 ]; }; then
                record_stage "$kind-$version" 0 "FAILED (venv setup)"
            fi
        done
        return 0
    fi

    copy="$TMP_ROOT/$version/ansible_collections/runcloud/cloud"
    copy_collection "$copy"
    # ansible-test passes only a fixed set of environment variables to integration targets; they
    # find the simulator through ANSIBLE_COLLECTIONS_PATH (see tests/integration/README.md).

    if [ "$want_sanity" = 1 ]; then
        run_stage "sanity-$version" ansible_test_sanity "$venv" "$copy" sanity --python "$python" --venv
    fi
    if [ "$want_units" = 1 ]; then
        if has_unit_tests; then
            run_stage "units-$version" ansible_test "$venv" "$copy" units --python "$python" --venv
        else
            run_stage "units-$version" stage_skip "no tests/unit/**/test_*.py"
        fi
    fi
    if [ "$want_integration" = 1 ]; then
        if has_integration_targets; then
            run_stage "integration-$version" ansible_test "$venv" "$copy" integration --python "$python" --venv
        else
            run_stage "integration-$version" stage_skip "no tests/integration/targets"
        fi
    fi
    if [ "$want_inventory" = 1 ]; then
        run_stage "inventory-$version" inventory_golden "$venv"
    fi
}

# The whole run is one function, parsed before it starts: editing this file during a run is safe.
main() {
    local overall_start row version python venv req want_sanity want_units want_integration want_inventory
    local jobs running lane log failed=0 tests_ran=0 name seconds result rc
    local -a lanes=() lane_logs=()

    if [ "$QUICK" = 1 ]; then
        rc_log "quick mode: only the main venv (ansible-core $MAIN_VERSION)"
    fi
    overall_start="$(date +%s)"
    if selected sanity; then ensure_shellcheck; fi
    for s in "${SELECTED[@]}"; do
        case "$s" in sanity-*) ensure_shellcheck ;; esac
    done
    : > "$RESULTS_FILE"

    for row in "${MATRIX[@]}"; do
        IFS='|' read -r version python venv req <<< "$row"
        if [ "$QUICK" = 1 ] && [ "$version" != "$MAIN_VERSION" ]; then
            continue
        fi
        want_sanity=0; want_units=0; want_integration=0; want_inventory=0
        if selected "sanity-$version" || { selected sanity && { [ "$QUICK" = 1 ] || [[ "$SANITY_VERSIONS" == *" $version "* ]]; }; }; then
            want_sanity=1
        fi
        if selected units "$version"; then want_units=1; fi
        if selected "integration-$version" || { selected integration && { [ "$QUICK" = 1 ] || [[ "$INTEGRATION_VERSIONS" == *" $version "* ]]; }; }; then
            want_integration=1
        fi
        if selected "inventory-$version" || { selected inventory && [ "$QUICK" != 1 ] && [[ "$INVENTORY_VERSIONS" == *" $version "* ]]; }; then
            want_inventory=1
        fi
        [ $((want_sanity + want_units + want_integration + want_inventory)) -gt 0 ] || continue
        lanes+=("$version|$python|$venv|$req|$want_sanity|$want_units|$want_integration|$want_inventory")
    done

    jobs="${RUNCLOUD_TEST_JOBS:-${#lanes[@]}}"
    if [ "${#lanes[@]}" -le 1 ] || [ "$jobs" -le 1 ]; then
        # One lane at a time: output streams as it comes.
        for lane in "${lanes[@]}"; do
            IFS='|' read -r version python venv req want_sanity want_units want_integration want_inventory <<< "$lane"
            run_lane "$version" "$python" "$venv" "$req" "$want_sanity" "$want_units" "$want_integration" "$want_inventory"
        done
    else
        header "running ${#lanes[@]} ansible-core lanes, $jobs at a time; each lane's output follows when it ends"
        running=0
        for lane in "${lanes[@]}"; do
            IFS='|' read -r version python venv req want_sanity want_units want_integration want_inventory <<< "$lane"
            if [ "$running" -ge "$jobs" ]; then
                wait -n
                running=$((running - 1))
            fi
            log="$TMP_ROOT/lane-$version.log"
            lane_logs+=("$log")
            rc_log "lane ansible-core $version started"
            (
                run_lane "$version" "$python" "$venv" "$req" "$want_sanity" "$want_units" "$want_integration" "$want_inventory" > "$log" 2>&1
                rc_log "lane ansible-core $version finished"
            ) &
            running=$((running + 1))
        done
        wait
        for log in "${lane_logs[@]}"; do
            cat "$log"
        done
    fi

    if selected lint; then
        run_stage lint ansible_lint
    fi

    if selected pytest; then
        header "setup main venv for pytest"
        if ! rc_ensure_main_venv "$ROOT"; then
            record_stage pytest 0 "FAILED (venv setup)"
        fi
    fi

    header "summary (before pytest)"
    while IFS=$'\t' read -r name seconds result; do
        printf '  %-18s %6ss  %s\n' "$name" "$seconds" "$result"
        case "$result" in
            ok) tests_ran=1 ;;
            skipped) ;;
            *) failed=1 ;;
        esac
    done < "$RESULTS_FILE"
    printf '  %-18s %6ss\n' "total so far" "$(( $(date +%s) - overall_start ))"
    if [ "$failed" = 1 ]; then
        echo "  some stages FAILED (see above); the run will exit non-zero"
    fi

    if selected pytest && [ -x "$ROOT/.venv/bin/python" ]; then
        header "pytest"
        "$ROOT/.venv/bin/python" -m pytest tests
        rc=$?
        if [ "$rc" -eq 5 ]; then
            # pytest collected nothing: fine only if an earlier stage ran tests.
            if [ "$tests_ran" = 1 ]; then
                echo "pytest: no tests collected; earlier stages ran tests"
            else
                echo "pytest: no tests collected and no other stage ran tests"
                failed=1
            fi
        elif [ "$rc" -ne 0 ]; then
            failed=1
        fi
    fi

    exit "$failed"
}

main
