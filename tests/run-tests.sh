#!/usr/bin/env bash
# The collection's test runner: `make test` runs this script from the repository root.
#
#   tests/run-tests.sh                      every stage: the ansible-core lanes and the two side lanes
#   tests/run-tests.sh sanity units         only those kinds of stage (all versions)
#   tests/run-tests.sh units-2.16 pytest    one stage of one version, and pytest
#   tests/run-tests.sh --plan   which lane and execution path each integration target takes today
#   RUNCLOUD_TEST_QUICK=1 tests/run-tests.sh   only the main venv (ansible-core 2.19) for the
#                                           per-version stages, plus every other stage
#
# Per-version stage kinds: sanity, units, integration (ansible-test), inventory (the inventory
# golden-file tests with that version's ansible-inventory) and adopt (the account export's round trip
# on seeded random accounts: tests/adopt/run-roundtrip.sh), one lane per ansible-core version.
# The other stages are listed in STAGES below: awx (examples/fleet.yml from the tarball through AWX's
# steps: tests/awx/run-awx-job.sh), eda (the rulebooks under ansible-rulebook: tests/eda/run-eda.sh),
# galaxy-importer, docs, examples, variants (the examples twice under every simulator answer variant:
# tests/variants/run-variants.sh), lint, pytest; they run one after the other in two side lanes.
# Every selected stage runs even when an earlier one failed; the exit code is non-zero if any failed.
# The lanes run in parallel (RUNCLOUD_TEST_JOBS at a time, default all of them); an ansible-core lane
# runs sanity, inventory and adopt next to units and integration.
#
# API versions (the summary's API column): every full run sends the same playbooks to the simulator's
# API v2 and v3: examples on v2 (ansible-core 2.19) and v3 (examples-2.22); adopt-2.16 on v2 and
# adopt-2.22 on v3; half of the variant groups on each (the halves swap every UTC day); the AWX steps'
# token credential on v3 and key/secret credential on v2; the EDA scenario once on each; integration
# targets each on the version they pick for the day, once, on one lane in one execution path
# (INTEGRATION_VERSIONS below). A failed integration stage names its
# failed target with the variant, API version and execution path that target ran with.
#
# Output: each stage's full output goes to its log, tests/output/logs/<stage>.log (lane set-up:
# setup-<lane>.log); the terminal gets a line when a stage starts and ends, a heartbeat line per
# running stage every minute (RUNCLOUD_TEST_HEARTBEAT seconds) with its progress read from its log
# (integration target N of M, sanity test N, pytest tests N of M), the end of a failed stage's log
# (RUNCLOUD_TEST_FAILURE_LINES lines) as soon as it ends and again before the summary table (per stage:
# ansible-core, API version, seconds, and CPU seconds of its processes), which closes with
# `stages: N passed, M failed`.
# A stage that runs longer than RUNCLOUD_TEST_STAGE_TIMEOUT seconds (default 3000) is stopped and
# fails; so does a stage whose tool reports that it skipped or gave up on a check.
# With CI=true a skipped stage (or shellcheck that cannot be installed) fails the run.
#
# It installs what it needs: the venvs (tests/lib/bootstrap.sh), the offline get-pip stand-in for
# ansible-test, and shellcheck (via apt-get, when running as root and it is missing).
# ansible-test needs a real .../ansible_collections/runcloud/cloud directory, so each ansible-core
# version tests a fresh copy of the checkout's files in a temporary directory.
#
# Cost, measured on a 2-core machine (README.md, "Testing"): alone, sanity takes 2-2.5 min
# per version cold (it builds its venvs under ~/.ansible/test) and 20-30 s warm, integration ~4 s per
# target plus ~0.55 s per module task, examples 2-4.5 min, awx 20-80 s once its venv exists. With other
# work on the same 2 cores a fresh full run took 60 min (sanity alone 19-20 min per version). The
# venvs (.venv, .venvs, ~/.ansible/test) take about 0.9 GB of disk.
# The summary's CPU column is the steadier measure on a shared machine: a command of ansible-core 2.22
# costs about 1.6 times the CPU of one of 2.16, so the 2.22 lane is the longest (integration-2.22 626
# CPU seconds against 375 for integration-2.16 with the same split of paths; README.md, "Testing").

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
    "2.22|3.13|.venvs/ansible-2.22|tests/requirements-2.22.txt"
)
MAIN_VERSION="2.19"
# sanity takes 2-2.5 minutes per version on an idle 2-core machine (up to 20 on a loaded one); the
# full run tests both ends of the supported range (quick mode and `sanity-2.19` run the main version).
SANITY_VERSIONS=" 2.16 2.22 "
# The sanity tests that check the collection against its ansible-core (module docs and argument specs,
# imports, meta/runtime.yml, compile, ansible-doc) run on every version of SANITY_VERSIONS. The ones
# that run a linter whatever the core (pylint, pycodestyle, yamllint, antsibull-changelog) run on the
# newest one alone, with the newest and strictest linters; elsewhere each of them would cost its venv's
# cold install too (cold, pylint alone costs about 85 CPU seconds of the 200 of sanity-2.22).
SANITY_LINTERS_VERSION="2.22"
SANITY_LINTER_TESTS="pylint pep8 yamllint changelog"
# ansible-test units on both ends of the supported range in a full run (the pytest stage then leaves
# tests/unit to them: PYTEST_LEFT_TO_LANES). `tests/run-tests.sh units-2.19` (or `units` alone) runs the
# other versions; quick mode runs the main one. (units-2.21 in every full run cost 75 CPU seconds and
# the set-up of a lane of its own, for an ansible-core between two that are tested.)
UNITS_VERSIONS=" 2.16 2.22 "
# Integration costs ~0.5 s per module task per version in module processes (a target about twice its
# time in the controller's process) and 1.6 times as much CPU on 2.22 as on 2.16; to keep the full run
# under 20 minutes on 2 cores, a full run runs each target once, on one end of the range, in one
# execution path, and rotates both every UTC day. Target number N (sorted by name, from 0) on day D
# (days since 1970-01-01, UTC) takes the slot Q = (N + D) % 4: slots 0 and 1 run on 2.16, 2 and 3 on
# 2.22, the odd slots as module processes (run_on_controller=false, the path of remote and become
# tasks), the even ones in the controller's process. So every run has both paths on the oldest and on
# the newest ansible-core, each on about a quarter of the targets, and every target runs on both
# ansible-cores in both paths within four days (`tests/run-tests.sh --plan` shows the day's slots;
# RUNCLOUD_TEST_DATE=YYYY-MM-DD another day's). PATH_SPLIT_VERSIONS gives each splitting lane its
# share (0: slots 0-1, 1: slots 2-3). EVERY_LANE_TARGETS run on every lane whatever the day: the
# execution_paths target runs the same tasks both ways and compares them. Another lane (2.19 in quick
# mode, `integration-2.21`) and a lane run on its own (`tests/run-tests.sh integration-2.22`) run every
# target in the controller's process. Each target also picks its API version (2 or 3) and answer
# variant per day (tests/integration/targets/setup_simulator/simulator.sh).
INTEGRATION_VERSIONS=" 2.16 2.22 "
PATH_SPLIT_VERSIONS=("2.16|0" "2.22|1")
EVERY_LANE_TARGETS=" execution_paths "
# The inventory golden tests run ansible-inventory of the venv they run in: this stage runs them on the
# ends of the range (the pytest stage then leaves them out; `tests/run-tests.sh pytest` alone runs them
# with the main version).
INVENTORY_VERSIONS=" 2.16 2.22 "
# The export round trip (~0.5 s per module task) on both ends of the range, on API v2 with the oldest
# and on API v3 with the newest (ADOPT_API: VERSION|API|POSITION; another version: v2). When both run,
# they share a window of ADOPT_RUN_ACCOUNTS (4) of the 10 seeded accounts (ROUNDTRIP_ACCOUNTS): on day D
# (days since 1970-01-01, UTC) the window starts at account (D * 2) % 10 and wraps; the lane of
# POSITION 0 takes its first half, the other the second. So each lane moves on by 2 accounts a day,
# and every account runs on both versions and both ansible-cores within 5 days (`tests/run-tests.sh
# --plan` shows the day's accounts); each lane's two accounts start at an even one, which on API v3
# has a WordPress site (tests/adopt/roundtrip.py). An account costs about 25 CPU seconds on 2.16 and
# API v2 and 55-70 on 2.22 and API v3: all 10 in every run cost more than a 20-minute run allows.
# Run alone (adopt-2.16) a lane takes all 10.
ADOPT_VERSIONS=" 2.16 2.22 "
ADOPT_API=("2.16|2|0" "2.22|3|1")
ADOPT_ACCOUNTS="${ROUNDTRIP_ACCOUNTS:-10}"
ADOPT_RUN_ACCOUNTS=4

# The stages outside the ansible-core lanes, one line each:  NAME|PLACE|REQUIREMENTS|API|COMMAND
#   PLACE         side or side2: in that side lane, next to the ansible-core lanes (two, so that these
#                 stages end about when the ansible-core lanes do; in a quiet 2-core run of 16.5
#                 minutes side ended after 12, side2 after 16.5 with pytest, which now closes side,
#                 and the 2.22 lane after 16); after: once the lanes ended.
#                 A stage whose venv an ansible-core lane makes (examples-2.22) comes late in its lane.
#   REQUIREMENTS  the requirements file whose ansible-core pin the summary shows for the stage
#   API           the RunCloud API version(s) the stage runs against, as the summary shows it
#                 ("2", "3", "2+3"; "-" when it sends no API request)
#   COMMAND       a function of this file or a script, run from the repository root (split on spaces)
# Adding a stage is adding its line: it then runs in every full run and alone as
# `tests/run-tests.sh NAME`. The command's exit code is the verdict (100 = skipped); a check whose
# tool did not run must exit non-zero.
STAGES=(
    "examples|side|tests/requirements.txt|2|bash tests/examples/run-examples.sh --api 2 --without v3_only"
    "variants|side|tests/requirements.txt|2+3|bash tests/variants/run-variants.sh"
    "eda|side|tests/requirements-eda.txt|2+3|bash tests/eda/run-eda.sh"
    "lint|side|tests/requirements-lint.txt|-|ansible_lint"
    "pytest|side|tests/requirements.txt|2+3|pytest_stage"
    "awx|side2|tests/requirements-awx.txt|2+3|bash tests/awx/run-awx-job.sh"
    "galaxy-importer|side2|tests/requirements-docs.txt|-|galaxy_importer"
    "docs|side2|tests/requirements-docs.txt|-|bash tests/docs-site.sh"
    "examples-2.22|side2|tests/requirements-2.22.txt|3|bash tests/examples/run-examples.sh --core 2.22 --api 3 --without v2_setup --daily-half"
)

usage() {
    sed -n '2,/^$/p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
    printf '\nStages besides the per-version ones:'
    printf ' %s' "${STAGES[@]%%|*}"
    printf '\n'
}

is_registered_stage() {  # is_registered_stage NAME
    local row
    for row in "${STAGES[@]}"; do
        [ "${row%%|*}" = "$1" ] && return 0
    done
    return 1
}

QUICK="${RUNCLOUD_TEST_QUICK:-0}"
PLAN_ONLY=0
SELECTED=()
for arg in "$@"; do
    case "$arg" in
        -h|--help) usage; exit 0 ;;
        --plan) PLAN_ONLY=1 ;;
        --quick) QUICK=1 ;;
        sanity|units|integration|inventory|adopt|sanity-*|units-*|integration-*|inventory-*|adopt-*) SELECTED+=("$arg") ;;
        *)
            if is_registered_stage "$arg"; then
                SELECTED+=("$arg")
            else
                echo "unknown argument: $arg (see --help)" >&2
                exit 2
            fi
            ;;
    esac
done
[ "${#SELECTED[@]}" -gt 0 ] || SELECTED=(sanity units integration inventory adopt "${STAGES[@]%%|*}")

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
LOG_DIR="$ROOT/tests/output/logs"
RUNNING_DIR="$TMP_ROOT/running"
HEARTBEAT_SECONDS="${RUNCLOUD_TEST_HEARTBEAT:-60}"
STAGE_TIMEOUT="${RUNCLOUD_TEST_STAGE_TIMEOUT:-3000}"
FAILURE_LINES="${RUNCLOUD_TEST_FAILURE_LINES:-150}"
HEARTBEAT_PID=""
cleanup() {
    [ -z "$HEARTBEAT_PID" ] || kill_tree "$HEARTBEAT_PID"
    rm -rf "$TMP_ROOT"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Every stage appends "name<TAB>version<TAB>api<TAB>seconds<TAB>cpu seconds<TAB>result<TAB>log" to one
# results file (lines shorter than PIPE_BUF, so appends from parallel lanes do not interleave).
RESULTS_FILE="$TMP_ROOT/results.tsv"
CI_MODE=0
case "${CI:-}" in true|TRUE|True|1|yes) CI_MODE=1 ;; esac

# The progress stream: the terminal (or whatever stdout was when the run started), also from lanes
# and stages whose own output goes to log files.
exec 3>&1
progress() {
    printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&3
}

header() {
    printf '\n==================== %s ====================\n' "$*"
}

# kill_tree PID : ends PID and every process it started (a stage's ansible-test and its children).
kill_tree() {
    local child
    for child in $(ps -o pid= --ppid "$1" 2>/dev/null); do
        kill_tree "$child"
    done
    kill "$1" 2>/dev/null || true
}

# with_time_limit SECONDS COMMAND... : runs the command; after SECONDS it is stopped and 124 returned.
with_time_limit() {
    local limit="$1" flag="$TMP_ROOT/timed-out.$BASHPID.$RANDOM" pid watchdog rc
    shift
    "$@" &
    pid=$!
    watchdog "$limit" "$pid" "$flag" &
    watchdog=$!
    wait "$pid"
    rc=$?
    kill "$watchdog" 2>/dev/null
    wait "$watchdog" 2>/dev/null
    if [ -e "$flag" ]; then
        rm -f "$flag"
        return 124
    fi
    return "$rc"
}

# watchdog SECONDS PID FLAG : after SECONDS, creates FLAG and stops PID; ends at once when told to.
watchdog() {
    local sleeper
    trap 'kill "$sleeper" 2>/dev/null; exit 0' TERM
    sleep "$1" &
    sleeper=$!
    wait "$sleeper"
    : > "$3"
    echo "run-tests.sh: no result after ${1}s (RUNCLOUD_TEST_STAGE_TIMEOUT); stopping the stage"
    kill_tree "$2"
}

# Something is running while its file is in RUNNING_DIR (first line: start time, second: its log);
# the heartbeat reports each of them every HEARTBEAT_SECONDS.
mark_running() {  # mark_running NAME LOG
    printf '%s\n%s\n' "$(date +%s)" "$2" > "$RUNNING_DIR/$1"
}

# stage_progress LOG : how far a stage is, read from its log (ansible-test and pytest print their
# steps there); empty when the log says nothing countable.
stage_progress() {
    local log="$1" count current
    [ -f "$log" ] || return 0
    count="$(grep -cE '^Running [^ ]+ integration test (role|script)$' "$log")"
    if [ "$count" -gt 0 ]; then
        current="$(grep -E '^Running [^ ]+ integration test (role|script)$' "$log" | tail -n 1 | cut -d' ' -f2)"
        printf 'integration target %s of %s: %s' "$count" "$(lane_target_count "$log")" "$current"
        return 0
    fi
    count="$(grep -cE '^Running sanity test ' "$log")"
    if [ "$count" -gt 0 ]; then
        current="$(grep -E '^Running sanity test ' "$log" | tail -n 1 | sed -E 's/^Running sanity test "?([^" ]+).*/\1/')"
        printf 'sanity test %s: %s' "$count" "$current"
        return 0
    fi
    # pytest: "collected N items", then a line per test file with a character per test run.
    count="$(sed -n -E 's/^collected ([0-9]+) items?.*/\1/p' "$log" | tail -n 1)"
    if [ -n "$count" ]; then
        current="$(sed -n -E 's/^([^ ]+\.py )?([.FEsxX]+)( +\[ *[0-9]+%\])?$/\2/p' "$log" | tr -d '\n' | wc -c)"
        printf 'pytest %s of %s tests done' "$current" "$count"
    fi
}

# integration_targets : the names of the integration targets ansible-test runs (not hidden,
# disabled, ...), sorted.
integration_targets() {
    local target
    for target in "$ROOT"/tests/integration/targets/*/; do
        [ -d "$target" ] || continue
        if [ -f "$target/aliases" ] && grep -qE '^(hidden|disabled|unsupported|unstable)$' "$target/aliases"; then
            continue
        fi
        target="${target%/}"
        printf '%s\n' "${target##*/}"
    done | LC_ALL=C sort
}

# lane_target_count LOG : how many targets the integration stage of that log runs (its lane's share,
# written when the stage starts), else all of them.
lane_target_count() {
    local share
    share="$TMP_ROOT/integration-targets.$(basename "$1" .log)"
    if [ -f "$share" ]; then cat "$share"; else integration_target_count; fi
}

integration_target_count() {
    integration_targets | wc -l | tr -d ' '
}

# path_split_share VERSION -> the share of that lane in PATH_SPLIT_VERSIONS (0 or 1); fails for a lane
# that runs every target (another lane, or one lane run on its own).
path_split_share() {
    local row
    [ "${SPLIT_INTEGRATION:-1}" = 1 ] || return 1
    for row in "${PATH_SPLIT_VERSIONS[@]}"; do
        [ "${row%%|*}" = "$1" ] && { echo "${row#*|}"; return 0; }
    done
    return 1
}

# utc_day -> days since 1970-01-01 of today (UTC), or of RUNCLOUD_TEST_DATE (YYYY-MM-DD).
utc_day() {
    local seconds
    seconds="$(date -u -d "${RUNCLOUD_TEST_DATE:-now}" +%s)" || return 1
    echo $((seconds / 86400))
}

# integration_paths VERSION -> "TARGET true|false" for each target that lane runs today, with its
# run_on_controller (the file tests/integration/run_on_controller of the lane's copy; the targets
# named there are the ones the lane passes to ansible-test).
integration_paths() {
    local share day index=0 target slot
    share="$(path_split_share "$1")" || share=""
    day="$(utc_day)" || return 1
    while IFS= read -r target; do
        if [[ "$EVERY_LANE_TARGETS" == *" $target "* ]]; then
            printf '%s true\n' "$target"
            continue
        fi
        slot=$(((index + day) % 4))
        index=$((index + 1))
        if [ -z "$share" ]; then
            printf '%s true\n' "$target"
        elif [ $((slot / 2)) = "$share" ]; then
            if [ $((slot % 2)) = 1 ]; then printf '%s false\n' "$target"; else printf '%s true\n' "$target"; fi
        fi
    done < <(integration_targets)
}

# run_plan : today's split of the integration targets between the execution paths, one line per
# target, and of the export round trip's accounts (--plan).
run_plan() {
    local row version day api first count
    day="$(utc_day)" || return 1
    printf 'integration targets on %s (UTC day %s): the lane and execution path of each (- not on that lane)\n' "$(date -u -d "@$((day * 86400))" +%F)" "$day"
    printf '%-32s' target
    for row in "${PATH_SPLIT_VERSIONS[@]}"; do printf ' %-18s' "${row%%|*}"; done
    printf '\n'
    for row in "${PATH_SPLIT_VERSIONS[@]}"; do
        integration_paths "${row%%|*}" > "$TMP_ROOT/plan.${row%%|*}" || return 1
    done
    while IFS= read -r target; do
        printf '%-32s' "$target"
        for row in "${PATH_SPLIT_VERSIONS[@]}"; do
            version="${row%%|*}"
            if grep -qx "$target false" "$TMP_ROOT/plan.$version"; then printf ' %-18s' module-process
            elif grep -qx "$target true" "$TMP_ROOT/plan.$version"; then printf ' %-18s' controller
            else printf ' %-18s' -; fi
        done
        printf '\n'
    done < <(integration_targets)
    printf '\nexport round trip (adopt) of a full run: the lane, its API version and its accounts\n'
    for row in "${ADOPT_API[@]}"; do
        read -r api first count <<< "$(adopt_share "${row%%|*}")"
        printf 'adopt-%s API v%s accounts %s\n' "${row%%|*}" "$api" "$(adopt_accounts "$first" "$count")"
    done
}

heartbeat() {
    local file name started log sleeper note
    trap 'kill "$sleeper" 2>/dev/null; exit 0' TERM
    while true; do
        sleep "$HEARTBEAT_SECONDS" &
        sleeper=$!
        wait "$sleeper"
        for file in "$RUNNING_DIR"/*; do
            [ -f "$file" ] || continue
            { read -r started && read -r log; } < "$file" 2>/dev/null || continue
            name="${file##*/}"
            note="$(stage_progress "$log")"
            progress "$(printf 'running %-18s %5ss so far  (log: %s)%s' "$name" "$(( $(date +%s) - started ))" "${log#"$ROOT"/}" "${note:+  $note}")"
        done
    done
}

# run_stage NAME COMMAND... : runs the command with its output in the stage's log, records result,
# duration and CPU time, reports progress. The stage's ansible-core version is STAGE_VERSION, else the
# lane's (LANE_VERSION), else the main venv's; its API version(s) STAGE_API (else "-").
# The CPU time is user+system of every process of the stage that was waited for (bash's `times` in
# the subshell that runs it): on a shared machine far steadier than the duration.
run_stage() {
    local name="$1" version="${STAGE_VERSION:-${LANE_VERSION:-$MAIN_VERSION}}" api="${STAGE_API:--}"
    local log="$LOG_DIR/$1.log" times_file="$TMP_ROOT/times.$1" start end rc result cpu note
    shift
    progress "$(printf 'start   %-18s ansible-core %-7s API %s' "$name" "$version" "$api")"
    start="$(date +%s)"
    mark_running "$name" "$log"
    (
        with_time_limit "$STAGE_TIMEOUT" "$@" > "$log" 2>&1 < /dev/null
        rc=$?
        times > "$times_file"
        exit "$rc"
    )
    rc=$?
    rm -f "$RUNNING_DIR/$name"
    end="$(date +%s)"
    cpu="$(cpu_seconds "$times_file")"
    if [ "$rc" -eq 0 ]; then
        result="passed"
    elif [ "$rc" -eq 100 ]; then
        result="skipped"
    elif [ "$rc" -eq 124 ]; then
        result="FAILED (timed out after ${STAGE_TIMEOUT}s)"
    else
        result="FAILED (exit $rc)"
    fi
    case "$result" in
        FAILED*)
            note="$(failed_target_note "$log")"
            [ -z "$note" ] || result="$result: $note"
            ;;
    esac
    record_stage "$name" "$version" "$api" "$((end - start))" "$cpu" "$result" "$log"
    progress "$(printf 'end     %-18s ansible-core %-7s API %-4s %5ss (CPU %ss)  %s' "$name" "$version" "$api" "$((end - start))" "$cpu" "$result")"
    case "$result" in
        passed|skipped) ;;
        *) show_log_tail "$name: $result" "$log" ;;
    esac
}

# cpu_seconds TIMES_FILE -> whole seconds of user+system time in the output of bash's `times`
# (lines like "0m1.250s 0m0.310s"); "?" when there is none.
cpu_seconds() {
    [ -s "$1" ] || { echo "?"; return 0; }
    tr ' ' '\n' < "$1" | sed -n -E 's/^([0-9]+)m([0-9.]+)s$/\1 \2/p' | awk '{ s += $1 * 60 + $2 } END { printf "%d\n", s + 0.5 }'
}

# failed_target_note LOG -> for an integration stage that failed: the last target it started, with the
# variant, API version and execution path the target's simulator set-up reported (setup_simulator
# prints them), e.g. "target web_app (variant bare-lists, API v3, run_on_controller=false)"; empty
# for other stages.
failed_target_note() {
    local log="$1" target details
    [ -f "$log" ] || return 0
    target="$(grep -E '^Running [^ ]+ integration test (role|script)$' "$log" | tail -n 1 | cut -d' ' -f2)"
    [ -n "$target" ] || return 0
    details="$(awk -v target="$target" '
        $0 ~ "^Running " target " integration test " { found = 1; variant = "none"; api = ""; path = "" ; next }
        !found { next }
        /^setup_simulator: converge checks answer in the variant / { variant = $NF }
        /^setup_simulator: API v[23] at / { api = $2 " " $3 }
        /^setup_simulator: module tasks run with / { path = $NF }
        END { if (found) printf "variant %s%s%s", variant, (api ? ", " api : ""), (path ? ", " path : "") }' "$log")"
    printf 'target %s (%s)' "$target" "$details"
}

# show_log_tail TITLE LOG : the end of a failed stage's log on the progress stream, at once (the
# run may go on for an hour); one lane at a time, so that two tails do not interleave.
show_log_tail() {
    local title="$1" log="$2"
    {
        if command -v flock >/dev/null 2>&1; then
            flock 8
        fi
        {
            header "$title (last $FAILURE_LINES lines of ${log#"$ROOT"/})"
            if [ -f "$log" ]; then tail -n "$FAILURE_LINES" "$log"; else echo "(no log)"; fi
            echo
        } >&3
    } 8>"$TMP_ROOT/output.lock"
}

record_stage() {  # record_stage NAME VERSION API SECONDS CPU RESULT [LOG]
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "$5" "$6" "${7:-}" >> "$RESULTS_FILE"
}

# run_setup NAME COMMAND... : a lane's set-up (venvs), with its output in setup-NAME.log and a
# heartbeat while it runs; returns the command's exit code.
run_setup() {
    local name="setup-$1" log="$LOG_DIR/setup-$1.log" rc
    shift
    mark_running "$name" "$log"
    # In a subshell: a helper that gives up with `exit` (rc_die) ends the set-up, not the run.
    ( "$@" ) > "$log" 2>&1 < /dev/null
    rc=$?
    rm -f "$RUNNING_DIR/$name"
    if [ "$rc" -ne 0 ]; then
        progress "$name FAILED (exit $rc); see ${log#"$ROOT"/}"
        show_log_tail "$name FAILED (exit $rc)" "$log"
    fi
    return "$rc"
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

# galaxy_importer : Galaxy's import checks (metadata, ansible-doc; tests/galaxy-importer.cfg) on the
# tarball with the documentation site's guide pages, as it is published. Its ansible-lint call is
# off there (tests/galaxy-importer.cfg says why): the lint stage runs ansible-lint over what the
# tarball holds with the production profile and no rule skipped, a superset of the importer's call
# (which skips yaml, var-naming and four more), without the importer's fixed 180 s limit that a
# loaded 2-core machine outlasts.
# galaxy-importer exits 0 even when a check did not run: its log decides.
galaxy_importer() {
    local out="$TMP_ROOT/galaxy-importer" rc
    rm -rf "$out"
    mkdir -p "$out"
    rc_ensure_docs_venv "$ROOT" || return 1
    RUNCLOUD_BUILD_SITE_PAGES=1 rc_build_collection "$ROOT" "$out" || return 1
    (
        cd "$out" || exit 1
        # galaxy-importer runs ansible-doc from PATH.
        # shellcheck disable=SC2031
        PATH="$ROOT/.venvs/docs/bin:$PATH" GALAXY_IMPORTER_CONFIG="$ROOT/tests/galaxy-importer.cfg" \
            "$ROOT/.venvs/docs/bin/python" -m galaxy_importer.main ./runcloud-cloud-*.tar.gz
    ) 2>&1 | tee "$out/importer.log"
    rc="${PIPESTATUS[0]}"
    [ "$rc" -eq 0 ] || return "$rc"
    galaxy_importer_verdict "$out/importer.log"
}

# galaxy_importer_verdict LOG : fails unless every check ran to its end and found nothing (a lint the
# importer started must have completed).
galaxy_importer_verdict() {
    local marker markers=('Importer processing completed successfully') verdict=0
    if grep -qF 'Linting collection via ansible-lint' "$1"; then
        markers+=('...ansible-lint run complete')
    fi
    if grep -E '^(ERROR|WARNING|CRITICAL): ' "$1" > "$1.findings"; then
        echo "galaxy-importer: FAILED: it reported errors or warnings (a lint finding, a timeout, a check that did not run):"
        sed 's/^/    /' "$1.findings"
        verdict=1
    fi
    for marker in "${markers[@]}"; do
        if ! grep -qF -- "$marker" "$1"; then
            echo "galaxy-importer: FAILED: its log lacks '$marker': that check did not run to its end"
            verdict=1
        fi
    done
    return "$verdict"
}

# run_side_lane NAME... : the STAGES registered as "side" (or "side2"), in their order (mostly waiting on
# ansible-doc and playbooks; they run next to the ansible-core lanes).
run_side_lane() {
    local name
    for name in "$@"; do
        run_registered_stage "$name"
    done
}

# run_registered_stage NAME : one line of STAGES.
run_registered_stage() {
    local row name place req api command version
    for row in "${STAGES[@]}"; do
        IFS='|' read -r name place req api command <<< "$row"
        [ "$name" = "$1" ] || continue
        version="$(sed -n 's/^ansible-core==//p' "$ROOT/$req" 2>/dev/null)"
        # shellcheck disable=SC2086  # the command is split into words on purpose
        STAGE_VERSION="${version:--}" STAGE_API="$api" run_stage "$name" $command
        return 0
    done
}

# pytest_stage : plain pytest over tests/ with the main venv, but for what the run's ansible-core
# lanes run already (PYTEST_LEFT_TO_LANES: tests/unit when a lane runs units, tests/inventory when
# one runs the inventory stage); alone (`tests/run-tests.sh pytest`) over all of tests/.
PYTEST_LEFT_TO_LANES=()
pytest_stage() {
    local rc path ignores=()
    rc_ensure_main_venv "$ROOT" || return 1
    for path in "${PYTEST_LEFT_TO_LANES[@]}"; do
        echo "pytest: $path runs in the ansible-core lanes of this run, not here"
        ignores+=("--ignore=$path")
    done
    "$ROOT/.venv/bin/python" -m pytest "${ignores[@]}" tests
    rc=$?
    if [ "$rc" -eq 5 ]; then
        # pytest collected nothing: fine only if an earlier stage ran tests.
        if cut -f6 "$RESULTS_FILE" | grep -qx passed; then
            echo "pytest: no tests collected; earlier stages ran tests"
            return 0
        fi
        echo "pytest: no tests collected and no other stage ran tests"
    fi
    return "$rc"
}

# ensure_ansible_test_ssh_key : the SSH key pair that ansible-test integration makes on its first run
# (~/.ansible/test/id_rsa, as ansible-test writes it), made once before the lanes start: two lanes that
# start integration at the same moment in a fresh HOME both found it missing, and the second
# ssh-keygen stopped at its "Overwrite (y/n)?" question, failing that lane's whole stage.
ensure_ansible_test_ssh_key() {
    local key="$HOME/.ansible/test/id_rsa"
    [ -f "$key" ] && [ -f "$key.pub" ] && return 0
    mkdir -p "$(dirname "$key")" || return 1
    rm -f "$key" "$key.pub"
    ssh-keygen -m PEM -q -t rsa -N '' -f "$key" || return 1
    # What ansible-test does to it as well: paramiko does not read newer ssh-keygen's PEM header.
    sed -i -E 's/(BEGIN|END) PRIVATE KEY/\1 RSA PRIVATE KEY/' "$key"
}

# start_lane NAME LOG COMMAND... : runs a lane in the background, what its stages do not log into LOG.
start_lane() {
    local name="$1" log="$2"
    shift 2
    progress "lane $name started"
    (
        "$@" > "$log" 2>&1 < /dev/null
        progress "lane $name finished"
    ) &
}

rc_ensure_lane_venv() {  # rc_ensure_lane_venv VENV PYTHON REQUIREMENTS
    ( rc_ensure_venv "$ROOT/$1" "$2" "$ROOT/$3" && rc_ensure_get_pip_standin "$ROOT/$1" \
        && rc_ensure_ansible_test_offline "$ROOT/$1" "$ROOT/$3" )
}

# run_lane VERSION PYTHON VENV REQ SANITY UNITS INTEGRATION INVENTORY : all stages of one ansible-core version.
run_lane() {
    local version="$1" python="$2" venv="$3" req="$4" want_sanity="$5" want_units="$6" want_integration="$7"
    local want_inventory="$8"
    local copy kind beside_pid
    LANE_VERSION="$version"
    if ! run_setup "$version" rc_ensure_lane_venv "$venv" "$python" "$req"; then
        for kind in sanity units integration inventory; do
            if { [ "$kind" = sanity ] && [ "$want_sanity" = 1 ]; } \
                || { [ "$kind" = units ] && [ "$want_units" = 1 ]; } \
                || { [ "$kind" = integration ] && [ "$want_integration" = 1 ]; } \
                || { [ "$kind" = inventory ] && [ "$want_inventory" = 1 ]; }; then
                record_stage "$kind-$version" "$version" - 0 0 "FAILED (venv setup)" "$LOG_DIR/setup-$version.log"
            fi
        done
        return 0
    fi

    copy="$TMP_ROOT/$version/ansible_collections/runcloud/cloud"
    rc_copy_collection "$ROOT" "$copy"
    # ansible-test passes only a fixed set of environment variables to integration targets; they
    # find the simulator through ANSIBLE_COLLECTIONS_PATH (see tests/integration/README.md).

    # A lane runs two chains of stages at once: sanity, inventory and adopt (in a copy of their own:
    # sanity must not see the files that integration writes into its copy) next to units and
    # integration, the longest stage. Sanity mostly waits on its tools (sanity-2.22: 106 CPU seconds
    # in 252 s) and the round trip on its playbooks, so the lane ends about when its integration ends.
    run_lane_beside "$version" "$python" "$venv" "$want_sanity" "$want_inventory" &
    beside_pid=$!
    if [ "$want_units" = 1 ]; then
        if has_unit_tests; then
            # In the lane's venv, which pins what ansible-test's units requirements name: a venv of
            # ansible-test's own (--venv) would install them unpinned, cold, on every run.
            STAGE_API="2+3" run_stage "units-$version" ansible_test "$venv" "$copy" units --python "$python"
        else
            run_stage "units-$version" stage_skip "no tests/unit/**/test_*.py"
        fi
    fi
    if [ "$want_integration" = 1 ]; then
        # Read by the targets' setup_simulator/simulator.sh (ansible-test passes no variable of ours on).
        integration_paths "$version" > "$copy/tests/integration/run_on_controller"
        wc -l < "$copy/tests/integration/run_on_controller" | tr -d ' ' > "$TMP_ROOT/integration-targets.integration-$version"
        if path_split_share "$version" > /dev/null; then
            progress "integration-$version: $(wc -l < "$copy/tests/integration/run_on_controller" | tr -d ' ') of $(integration_target_count) targets today, $(grep -c ' false$' "$copy/tests/integration/run_on_controller") of them as module processes, the others in the controller's process; the other lane of PATH_SPLIT_VERSIONS runs the rest (tests/run-tests.sh --plan)"
        fi
        if has_integration_targets; then
            # shellcheck disable=SC2046  # one word per target name
            STAGE_API="2+3" run_stage "integration-$version" ansible_test "$venv" "$copy" integration --python "$python" --venv \
                $(cut -d' ' -f1 "$copy/tests/integration/run_on_controller")
        else
            run_stage "integration-$version" stage_skip "no tests/integration/targets"
        fi
    fi
    wait "$beside_pid"
}

# run_lane_beside VERSION PYTHON VENV SANITY INVENTORY : the chain of a lane that runs next to its
# units and integration: sanity (in its own copy), the inventory golden files, the export round trip.
run_lane_beside() {
    local version="$1" python="$2" venv="$3" want_sanity="$4" want_inventory="$5" sanity_copy
    if [ "$want_sanity" = 1 ]; then
        sanity_copy="$TMP_ROOT/$version-sanity/ansible_collections/runcloud/cloud"
        rc_copy_collection "$ROOT" "$sanity_copy"
        # shellcheck disable=SC2046  # one --skip-test per word
        run_stage "sanity-$version" ansible_test_sanity "$venv" "$sanity_copy" sanity --python "$python" --venv \
            $(sanity_skips "$version")
    fi
    if [ "$want_inventory" = 1 ]; then
        STAGE_API=2 run_stage "inventory-$version" inventory_golden "$venv"
    fi
    if wants_adopt "$version"; then
        adopt_stage "$version"
    fi
}

# sanity_skips VERSION -> the --skip-test options of that version's sanity stage: the linters of
# SANITY_LINTER_TESTS run on SANITY_LINTERS_VERSION alone, unless this run has no sanity stage of that
# version (`tests/run-tests.sh sanity-2.16` runs them all).
sanity_skips() {
    local test
    [ "$1" != "$SANITY_LINTERS_VERSION" ] || return 0
    selected "sanity-$SANITY_LINTERS_VERSION" || { selected sanity && [ "$QUICK" != 1 ] && [[ "$SANITY_VERSIONS" == *" $SANITY_LINTERS_VERSION "* ]]; } || return 0
    for test in $SANITY_LINTER_TESTS; do
        printf -- '--skip-test %s\n' "$test"
    done
}

# adopt_share VERSION -> "API FIRST COUNT": the API version and the accounts of that lane's export
# round trip when both lanes of ADOPT_API run it (an ADOPT_API lane: FIRST wraps at ADOPT_ACCOUNTS)
# or "2 0 N" (another lane).
adopt_share() {
    local row row_version row_api row_position count window start
    for row in "${ADOPT_API[@]}"; do
        IFS='|' read -r row_version row_api row_position <<< "$row"
        [ "$row_version" = "$1" ] || continue
        window=$(( ADOPT_RUN_ACCOUNTS < ADOPT_ACCOUNTS ? ADOPT_RUN_ACCOUNTS : ADOPT_ACCOUNTS ))
        count=$((window / 2))
        start=$(( ($(utc_day) * count + row_position * count) % ADOPT_ACCOUNTS ))
        echo "$row_api $start $(( row_position == 0 ? count : window - count ))"
        return 0
    done
    echo "2 0 $ADOPT_ACCOUNTS"
}

# adopt_accounts FIRST COUNT -> the account numbers, e.g. "8 9 0"
adopt_accounts() {
    local i numbers=()
    for ((i = 0; i < $2; i++)); do
        numbers+=("$(( ($1 + i) % ADOPT_ACCOUNTS ))")
    done
    echo "${numbers[*]}"
}

# adopt_stage VERSION : the export round trip of that lane, with its API version; its share of the
# accounts when every lane of ADOPT_API runs one (a full run), else all of them.
adopt_stage() {
    local version="$1" row api first accounts sharing=1
    for row in "${ADOPT_API[@]}"; do
        wants_adopt "${row%%|*}" || sharing=0
    done
    [ "$QUICK" != 1 ] || sharing=0
    read -r api first accounts <<< "$(adopt_share "$version")"
    if [ "$sharing" = 1 ]; then
        progress "adopt-$version: accounts $(adopt_accounts "$first" "$accounts") of 0-$((ADOPT_ACCOUNTS - 1)) on API v$api (the other lane of ADOPT_API takes the next ones of the day's window; ADOPT_RUN_ACCOUNTS)"
    else
        first=0
        accounts="$ADOPT_ACCOUNTS"
    fi
    ROUNDTRIP_API_VERSION="$api" ROUNDTRIP_FIRST_ACCOUNT="$first" ROUNDTRIP_ACCOUNTS="$accounts" ROUNDTRIP_POOL="$ADOPT_ACCOUNTS" STAGE_API="$api" \
        run_stage "adopt-$version" bash "$ROOT/tests/adopt/run-roundtrip.sh" "$version"
}

# The whole run is one function, parsed before it starts: editing this file during a run is safe.
main() {
    local overall_start row version python venv req want_sanity want_units want_integration want_inventory
    local jobs running lane log name place command seconds result s
    local passed=0 failed=0 skipped=0 total_cpu=0
    local -a lanes=() side=() side2=() after=() lane_pids=()

    if [ "$QUICK" = 1 ]; then
        progress "quick mode: only the main venv (ansible-core $MAIN_VERSION) for the per-version stages"
    fi
    overall_start="$(date +%s)"
    : > "$RESULTS_FILE"
    mkdir -p "$LOG_DIR" "$RUNNING_DIR"
    rm -f "$LOG_DIR"/*.log
    progress "each stage's full output: ${LOG_DIR#"$ROOT"/}/<stage>.log"
    heartbeat &
    HEARTBEAT_PID=$!
    # Several lanes and stages use the main venv: made once here, not by two of them at once.
    run_setup main-venv rc_ensure_main_venv "$ROOT"
    for s in "${SELECTED[@]}"; do
        case "$s" in
            sanity|sanity-*)
                if ! run_setup shellcheck ensure_shellcheck && [ "$CI_MODE" = 1 ]; then
                    record_stage shellcheck-install "-" "-" 0 0 "FAILED (shellcheck sanity test would be skipped)" "$LOG_DIR/setup-shellcheck.log"
                fi
                break
                ;;
        esac
    done

    for s in "${SELECTED[@]}"; do
        case "$s" in
            integration|integration-*)
                run_setup ansible-test-ssh-key ensure_ansible_test_ssh_key
                break
                ;;
        esac
    done

    # The integration targets are divided between the lanes of PATH_SPLIT_VERSIONS only when all of
    # them run (a full run, or `integration`); a lane selected on its own runs every target.
    SPLIT_INTEGRATION=0
    if [ "$QUICK" != 1 ] && selected integration; then
        SPLIT_INTEGRATION=1
    fi
    for row in "${MATRIX[@]}"; do
        IFS='|' read -r version python venv req <<< "$row"
        if [ "$QUICK" = 1 ] && [ "$version" != "$MAIN_VERSION" ]; then
            continue
        fi
        want_sanity=0; want_units=0; want_integration=0; want_inventory=0
        if selected "sanity-$version" || { selected sanity && { [ "$QUICK" = 1 ] || [[ "$SANITY_VERSIONS" == *" $version "* ]]; }; }; then
            want_sanity=1
        fi
        if selected "units-$version" || { selected units && { [ "$QUICK" = 1 ] || [[ "$UNITS_VERSIONS" == *" $version "* ]] || ! selected pytest; }; }; then
            want_units=1
        elif selected units && selected pytest; then
            progress "units-$version: not run in a full run (UNITS_VERSIONS: the ends of the range); tests/run-tests.sh units-$version runs it"
        fi
        if selected "integration-$version" || { selected integration && { [ "$QUICK" = 1 ] || [[ "$INTEGRATION_VERSIONS" == *" $version "* ]]; }; }; then
            want_integration=1
        fi
        if selected "inventory-$version" || { selected inventory && [ "$QUICK" != 1 ] && [[ "$INVENTORY_VERSIONS" == *" $version "* ]]; }; then
            want_inventory=1
        fi
        [ $((want_sanity + want_units + want_integration + want_inventory)) -gt 0 ] || wants_adopt "$version" || continue
        lanes+=("$version|$python|$venv|$req|$want_sanity|$want_units|$want_integration|$want_inventory")
        if [ "$want_units" = 1 ] && [[ " ${PYTEST_LEFT_TO_LANES[*]} " != *" tests/unit "* ]]; then
            PYTEST_LEFT_TO_LANES+=(tests/unit)
        fi
        if [ "$want_inventory" = 1 ] && [[ " ${PYTEST_LEFT_TO_LANES[*]} " != *" tests/inventory "* ]]; then
            PYTEST_LEFT_TO_LANES+=(tests/inventory)
        fi
    done

    for row in "${STAGES[@]}"; do
        IFS='|' read -r name place _ _ command <<< "$row"
        selected "$name" || continue
        case "$place" in
            side) side+=("$name") ;;
            side2) side2+=("$name") ;;
            *) after+=("$name") ;;
        esac
    done
    if [ "${#side[@]}" -gt 0 ]; then
        lanes+=("side|${side[*]}")
    fi
    if [ "${#side2[@]}" -gt 0 ]; then
        lanes+=("side2|${side2[*]}")
    fi

    jobs="${RUNCLOUD_TEST_JOBS:-${#lanes[@]}}"
    [ "$jobs" -ge 1 ] || jobs=1
    running=0
    for lane in "${lanes[@]}"; do
        if [ "$running" -ge "$jobs" ]; then
            wait -n
            running=$((running - 1))
        fi
        name="${lane%%|*}"
        start_lane "$name" "$LOG_DIR/lane-$name.log" run_lane_spec "$lane"
        lane_pids+=("$!")
        running=$((running + 1))
    done
    # The lanes, not the heartbeat, which ends only when told to.
    for s in "${lane_pids[@]}"; do
        wait "$s"
    done

    for name in "${after[@]}"; do
        run_registered_stage "$name"
    done
    kill_tree "$HEARTBEAT_PID"
    HEARTBEAT_PID=""

    # The failures' log tails once more (each was shown when its stage ended), next to the summary.
    while IFS=$'\t' read -r name version api seconds cpu result log; do
        case "$result" in
            passed|skipped) ;;
            *) show_log_tail "$name: $result" "$log" ;;
        esac
    done < "$RESULTS_FILE"

    header "summary"
    printf '  %-18s %-13s %-5s %7s %7s  %s\n' stage ansible-core API seconds CPU result
    while IFS=$'\t' read -r name version api seconds cpu result log; do
        if [[ "$cpu" =~ ^[0-9]+$ ]]; then total_cpu=$((total_cpu + cpu)); fi
        printf '  %-18s %-13s %-5s %6ss %6ss  %s\n' "$name" "$version" "$api" "$seconds" "$cpu" "$result"
        case "$result" in
            passed) passed=$((passed + 1)) ;;
            skipped)
                skipped=$((skipped + 1))
                if [ "$CI_MODE" = 1 ]; then failed=$((failed + 1)); fi
                ;;
            *) failed=$((failed + 1)) ;;
        esac
    done < "$RESULTS_FILE"
    printf '  %-18s %-13s %-5s %6ss %6ss\n' "total" "" "" "$(( $(date +%s) - overall_start ))" "$total_cpu"
    echo "full logs: ${LOG_DIR#"$ROOT"/}/"
    if [ "$skipped" -gt 0 ]; then
        if [ "$CI_MODE" = 1 ]; then
            echo "$skipped stage(s) skipped: counted as failed because CI=true"
        else
            echo "$skipped stage(s) skipped"
        fi
    fi
    if [ $((passed + failed)) -eq 0 ]; then
        echo "no stage ran"
        failed=1
    fi
    echo "stages: $passed passed, $failed failed"
    [ "$failed" -eq 0 ]
    exit $?
}

# run_lane_spec SPEC : one entry of the lane list of main().
run_lane_spec() {
    local version python venv req want_sanity want_units want_integration want_inventory names
    if [ "${1%%|*}" = side ] || [ "${1%%|*}" = side2 ]; then
        names="${1#*|}"
        # shellcheck disable=SC2086  # the stage names are split into words on purpose
        run_side_lane $names
        return 0
    fi
    IFS='|' read -r version python venv req want_sanity want_units want_integration want_inventory <<< "$1"
    run_lane "$version" "$python" "$venv" "$req" "$want_sanity" "$want_units" "$want_integration" "$want_inventory"
}

if [ "$PLAN_ONLY" = 1 ]; then
    run_plan
    exit $?
fi
main
