#!/usr/bin/env bash
# The collection's test runner: `make test` runs this script from the repository root.
#
#   tests/run-tests.sh                      all stages on every supported ansible-core, then pytest
#   tests/run-tests.sh sanity units         only those kinds of stage (all versions)
#   tests/run-tests.sh units-2.16 pytest    one stage of one version, then pytest
#   RUNCLOUD_TEST_QUICK=1 tests/run-tests.sh   only the main venv (ansible-core 2.19) + pytest
#
# Stage kinds: sanity, units, integration (ansible-test, one stage per ansible-core version),
# inventory (the inventory golden-file tests with 2.16's and 2.21's ansible-inventory),
# galaxy-importer (Galaxy's import checks on the built tarball), docs (antsibull-docs lint and the
# documentation site, tests/docs-site.sh), awx (examples/fleet.yml from the tarball through AWX's
# steps, and ansible-builder create: tests/awx/run-awx-job.sh), eda (the rulebooks under ansible-rulebook:
# tests/eda/run-eda.sh), adopt (the account export's round trip on seeded random accounts:
# tests/adopt/run-roundtrip.sh), lint (ansible-lint, production profile) and pytest (plain pytest over tests/).
# Every selected stage runs even when an earlier one failed; the exit code is non-zero if any failed.
# The ansible-core versions run as parallel lanes (RUNCLOUD_TEST_JOBS at a time, default all of
# them; most stages use one core), next to a lane for galaxy-importer and docs; each lane's output
# is printed when the lane ends, and a progress line when each stage starts and ends is printed at
# once. The run ends with a summary table and the line `stages: N passed, M failed`.
# With CI=true a skipped stage (or shellcheck that cannot be installed) fails the run.
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
# The export round trip (~0.5 s per module task, 10 accounts) on both ends of the range.
ADOPT_VERSIONS=" 2.16 2.21 "

usage() {
    sed -n '2,24p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
}

QUICK="${RUNCLOUD_TEST_QUICK:-0}"
SELECTED=()
for arg in "$@"; do
    case "$arg" in
        -h|--help) usage; exit 0 ;;
        --quick) QUICK=1 ;;
        sanity|units|integration|inventory|galaxy-importer|docs|awx|eda|adopt|lint|pytest|sanity-*|units-*|integration-*|inventory-*|adopt-*) SELECTED+=("$arg") ;;
        *) echo "unknown argument: $arg (see --help)" >&2; exit 2 ;;
    esac
done
[ "${#SELECTED[@]}" -gt 0 ] || SELECTED=(sanity units integration inventory galaxy-importer docs awx eda adopt lint pytest)

wants_adopt() {  # wants_adopt VERSION : whether the lane of that version runs the adopt stage
    selected "adopt-$1" || { selected adopt && { [ "$QUICK" = 1 ] || [[ "$ADOPT_VERSIONS" == *" $1 "* ]]; }; }
}

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

# Every stage appends "name<TAB>version<TAB>seconds<TAB>result" to one results file (lines shorter
# than PIPE_BUF, so appends from parallel lanes do not interleave).
RESULTS_FILE="$TMP_ROOT/results.tsv"
CI_MODE=0
case "${CI:-}" in true|TRUE|True|1|yes) CI_MODE=1 ;; esac

# The progress stream: the terminal (or whatever stdout was when the run started), also from lanes
# whose own output goes to a log file until they end.
exec 3>&1
progress() {
    printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&3
}

header() {
    printf '\n==================== %s ====================\n' "$*"
}

# run_stage NAME COMMAND... : runs the command, records result and duration, reports progress.
# The stage's ansible-core version is the lane's (LANE_VERSION) or the main venv's.
run_stage() {
    local name="$1" version="${LANE_VERSION:-$MAIN_VERSION}" start end rc result
    shift
    header "$name"
    progress "$(printf 'start  %-18s ansible-core %s' "$name" "$version")"
    start="$(date +%s)"
    "$@"
    rc=$?
    end="$(date +%s)"
    if [ "$rc" -eq 0 ]; then
        result="passed"
    elif [ "$rc" -eq 100 ]; then
        result="skipped"
    else
        result="FAILED (exit $rc)"
    fi
    record_stage "$name" "$version" "$((end - start))" "$result"
    printf -- '---- %s: %s in %ss\n' "$name" "$result" "$((end - start))"
    progress "$(printf 'end    %-18s ansible-core %-5s %5ss  %s' "$name" "$version" "$((end - start))" "$result")"
}

record_stage() {  # record_stage NAME VERSION SECONDS RESULT
    printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" >> "$RESULTS_FILE"
}

# ensure_shellcheck: the shellcheck sanity test is skipped (with a warning) without shellcheck.
# Installing it waits for a dpkg lock held by another apt run instead of failing at once.
ensure_shellcheck() {
    local apt_log="$TMP_ROOT/apt-shellcheck.log"
    local -a apt=(apt-get -y -q -o DPkg::Lock::Timeout=300)
    command -v shellcheck >/dev/null 2>&1 && return 0
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        rc_log "installing shellcheck (needed by the shellcheck sanity test)"
        if ! DEBIAN_FRONTEND=noninteractive "${apt[@]}" install shellcheck > "$apt_log" 2>&1; then
            { "${apt[@]}" update && DEBIAN_FRONTEND=noninteractive "${apt[@]}" install shellcheck; } > "$apt_log" 2>&1
        fi
        if ! command -v shellcheck >/dev/null 2>&1; then
            rc_log "apt-get could not install shellcheck:"
            sed 's/^/    /' "$apt_log" >&2
        fi
    fi
    command -v shellcheck >/dev/null 2>&1 && return 0
    rc_log "WARNING: shellcheck unavailable; the shellcheck sanity test will be skipped"
    return 1
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

# galaxy_importer : Galaxy's import checks (metadata, ansible-doc, ansible-lint; tests/galaxy-importer.cfg)
# on the tarball `make build` makes.
galaxy_importer() {
    local out="$TMP_ROOT/galaxy-importer"
    rm -rf "$out"
    mkdir -p "$out"
    rc_build_collection "$ROOT" "$out" || return 1
    (
        cd "$out" || exit 1
        # galaxy-importer runs ansible-doc and ansible-lint from PATH.
        # shellcheck disable=SC2031
        PATH="$ROOT/.venvs/docs/bin:$PATH" GALAXY_IMPORTER_CONFIG="$ROOT/tests/galaxy-importer.cfg" \
            "$ROOT/.venvs/docs/bin/python" -m galaxy_importer.main ./runcloud-cloud-*.tar.gz
    )
}

# run_publish_lane GALAXY_IMPORTER DOCS AWX EDA : the stages about the published collection, its docs
# and its use in AWX (mostly waiting on ansible-doc and playbooks; they run next to the ansible-core
# lanes).
run_publish_lane() {
    if [ "$3" = 1 ]; then
        LANE_VERSION="$(sed -n 's/^ansible-core==//p' "$ROOT/tests/requirements-awx.txt")"
        run_stage awx bash "$ROOT/tests/awx/run-awx-job.sh"
    fi
    if [ "${4:-0}" = 1 ]; then
        LANE_VERSION="$(sed -n 's/^ansible-core==//p' "$ROOT/tests/requirements-eda.txt")"
        run_stage eda bash "$ROOT/tests/eda/run-eda.sh"
    fi
    [ $(($1 + $2)) -gt 0 ] || return 0
    LANE_VERSION="$(sed -n 's/^ansible-core==//p' "$ROOT/tests/requirements-docs.txt")"
    header "setup docs venv (galaxy-importer, antsibull-docs)"
    if ! ( rc_ensure_docs_venv "$ROOT" ); then
        [ "$1" = 0 ] || record_stage galaxy-importer "$LANE_VERSION" 0 "FAILED (venv setup)"
        [ "$2" = 0 ] || record_stage docs "$LANE_VERSION" 0 "FAILED (venv setup)"
        return 0
    fi
    [ "$1" = 0 ] || run_stage galaxy-importer galaxy_importer
    [ "$2" = 0 ] || run_stage docs bash "$ROOT/tests/docs-site.sh"
}

# pytest_stage : plain pytest over tests/ with the main venv.
pytest_stage() {
    local rc
    "$ROOT/.venv/bin/python" -m pytest tests
    rc=$?
    if [ "$rc" -eq 5 ]; then
        # pytest collected nothing: fine only if an earlier stage ran tests.
        if grep -q $'\tpassed$' "$RESULTS_FILE"; then
            echo "pytest: no tests collected; earlier stages ran tests"
            return 0
        fi
        echo "pytest: no tests collected and no other stage ran tests"
    fi
    return "$rc"
}

# start_lane NAME LOG COMMAND... : runs a lane in the background, its output into LOG.
start_lane() {
    local name="$1" log="$2"
    shift 2
    progress "lane $name started"
    (
        "$@" > "$log" 2>&1
        progress "lane $name finished"
    ) &
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
                record_stage "$kind-$version" "$version" 0 "FAILED (venv setup)"
            fi
        done
        return 0
    fi

    copy="$TMP_ROOT/$version/ansible_collections/runcloud/cloud"
    rc_copy_collection "$ROOT" "$copy"
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
    if wants_adopt "$version"; then
        run_stage "adopt-$version" bash "$ROOT/tests/adopt/run-roundtrip.sh" "$version"
    fi
}

# The whole run is one function, parsed before it starts: editing this file during a run is safe.
main() {
    local overall_start row version python venv req want_sanity want_units want_integration want_inventory
    local want_galaxy_importer want_docs want_awx want_eda jobs running lane log name seconds result s
    local passed=0 failed=0 skipped=0
    local -a lanes=() lane_logs=()

    if [ "$QUICK" = 1 ]; then
        rc_log "quick mode: only the main venv (ansible-core $MAIN_VERSION)"
    fi
    overall_start="$(date +%s)"
    : > "$RESULTS_FILE"
    for s in "${SELECTED[@]}"; do
        case "$s" in
            sanity|sanity-*)
                if ! ensure_shellcheck && [ "$CI_MODE" = 1 ]; then
                    record_stage shellcheck-install "-" 0 "FAILED (shellcheck sanity test would be skipped)"
                fi
                break
                ;;
        esac
    done

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
        [ $((want_sanity + want_units + want_integration + want_inventory)) -gt 0 ] || wants_adopt "$version" || continue
        lanes+=("$version|$python|$venv|$req|$want_sanity|$want_units|$want_integration|$want_inventory")
    done

    want_galaxy_importer=0; want_docs=0; want_awx=0; want_eda=0
    if selected galaxy-importer; then want_galaxy_importer=1; fi
    if selected docs; then want_docs=1; fi
    if selected awx; then want_awx=1; fi
    if selected eda; then want_eda=1; fi
    if [ $((want_galaxy_importer + want_docs + want_awx + want_eda)) -gt 0 ]; then
        lanes+=("publish|$want_galaxy_importer|$want_docs|$want_awx|$want_eda")
    fi

    jobs="${RUNCLOUD_TEST_JOBS:-${#lanes[@]}}"
    if [ "${#lanes[@]}" -le 1 ] || [ "$jobs" -le 1 ]; then
        # One lane at a time: output streams as it comes.
        for lane in "${lanes[@]}"; do
            ( run_lane_spec "$lane" )
        done
    else
        header "running ${#lanes[@]} lanes, $jobs at a time; each lane's output follows when all have ended"
        running=0
        for lane in "${lanes[@]}"; do
            if [ "$running" -ge "$jobs" ]; then
                wait -n
                running=$((running - 1))
            fi
            name="${lane%%|*}"
            log="$TMP_ROOT/lane-$name.log"
            lane_logs+=("$log")
            start_lane "$name" "$log" run_lane_spec "$lane"
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
        if rc_ensure_main_venv "$ROOT"; then
            run_stage pytest pytest_stage
        else
            record_stage pytest "$MAIN_VERSION" 0 "FAILED (venv setup)"
        fi
    fi

    header "summary"
    printf '  %-18s %-13s %7s  %s\n' stage ansible-core seconds result
    while IFS=$'\t' read -r name version seconds result; do
        printf '  %-18s %-13s %6ss  %s\n' "$name" "$version" "$seconds" "$result"
        case "$result" in
            passed) passed=$((passed + 1)) ;;
            skipped)
                skipped=$((skipped + 1))
                if [ "$CI_MODE" = 1 ]; then failed=$((failed + 1)); fi
                ;;
            *) failed=$((failed + 1)) ;;
        esac
    done < "$RESULTS_FILE"
    printf '  %-18s %-13s %6ss\n' "total" "" "$(( $(date +%s) - overall_start ))"
    if [ "$skipped" -gt 0 ]; then
        if [ "$CI_MODE" = 1 ]; then
            echo "$skipped stage(s) skipped: counted as failed because CI=true"
        else
            echo "$skipped stage(s) skipped"
        fi
    fi
    echo "stages: $passed passed, $failed failed"
    [ "$failed" -eq 0 ]
    exit $?
}

# run_lane_spec SPEC : one entry of the lane list of main().
run_lane_spec() {
    local version python venv req want_sanity want_units want_integration want_inventory
    if [ "${1%%|*}" = publish ]; then
        IFS='|' read -r _ want_sanity want_units want_integration want_inventory <<< "$1"
        run_publish_lane "$want_sanity" "$want_units" "$want_integration" "$want_inventory"
        return 0
    fi
    IFS='|' read -r version python venv req want_sanity want_units want_integration want_inventory <<< "$1"
    run_lane "$version" "$python" "$venv" "$req" "$want_sanity" "$want_units" "$want_integration" "$want_inventory"
}

main
