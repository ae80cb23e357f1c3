#!/usr/bin/env bash
# Runs examples/site.yml and examples/fleet.yml twice each against the API simulator in every variant
# answer shape (docs/simulator.md, "Variant answers"), on an account of 24 servers of which 20 are not
# connected: the second run of each must report changed=0 and send no write (counted in the
# simulator's request log); afterwards the fleet inventory must list every connected server and no
# other, and the account must hold no duplicate (tests/variants/check_account.py). Under the 422
# variants a refused request must fail with the API's own words (check_refusal below).
#
#   tests/variants/run-variants.sh                 every group below, RUNCLOUD_VARIANT_JOBS at a time (default 2)
#   tests/variants/run-variants.sh bare-lists,timestamps   one group of your own
#
# The variants are combined into a few groups so that every variant is covered in a few minutes;
# variants that exclude each other (null-for-empty / empty-for-null; the list shapes) are in
# different groups.
#
# API versions: half of the groups run against the simulator's API v2, the other half against its
# API v3 (its URL and JWT, nothing else changed) with the v3-only variants (sim_v3_variants) added.
# Which half runs on v3 rotates with the UTC date (even day number: the odd-numbered groups, odd
# day: the even-numbered ones), so every group runs on both versions every two days and both
# versions run every day; the output says which group ran on which version.
# RUNCLOUD_VARIANT_API_VERSION=2 or 3 runs every group on that version instead.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
# shellcheck source=tests/lib/bootstrap.sh
source "$ROOT/tests/lib/bootstrap.sh"
rc_ensure_main_venv "$ROOT"
VENV="$ROOT/.venv"

GROUPS_DEFAULT=(
    "omit-optional,string-scalars,null-for-empty,bare-lists,fixed-page-size,string-ids,string-flags,data-envelope"
    "empty-for-null,extra-fields,flatten-nested,timestamps,no-pagination-meta,word-booleans,enum-case,dotted-php,errors-list"
    "laravel-pagination,fixed-page-size,string-scalars,omit-optional,errors-string"
    "links-pagination,string-ids,string-flags,enum-case,dotted-php,data-envelope"
)
if [ "$#" -gt 0 ]; then GROUPS_TO_RUN=("$@"); else GROUPS_TO_RUN=("${GROUPS_DEFAULT[@]}"); fi
JOBS="${RUNCLOUD_VARIANT_JOBS:-2}"

# The variants that only concern API v3, added to every group that runs on v3.
V3_VARIANTS="$("$VENV/bin/python" -c 'import sys; sys.path.insert(0, "tests/simulator"); import sim_v3_variants; print(",".join(sim_v3_variants.VARIANTS))')"

# group_api_version INDEX -> the API version group INDEX runs on today (see the header).
group_api_version() {
    local day
    if [ -n "${RUNCLOUD_VARIANT_API_VERSION:-}" ]; then
        echo "$RUNCLOUD_VARIANT_API_VERSION"
        return 0
    fi
    day=$(( $(date -u +%s) / 86400 ))
    if [ $(( (day + $1) % 2 )) = 1 ]; then echo 3; else echo 2; fi
}
case "${RUNCLOUD_VARIANT_API_VERSION:-}" in ""|2|3) ;; *) rc_die "RUNCLOUD_VARIANT_API_VERSION is 2 or 3, not '$RUNCLOUD_VARIANT_API_VERSION'" ;; esac

# Every known variant must be in some group of the default run.
missing="$("$VENV/bin/python" - "${GROUPS_DEFAULT[@]}" <<'PYTHON'
import sys
sys.path.insert(0, "tests/simulator")
import sim_variants
covered = {name for group in sys.argv[1:] for name in sim_variants.checked_variants(group)}
print(" ".join(sorted(set(sim_variants.VARIANTS) - covered)))
PYTHON
)"
[ -z "$missing" ] || rc_die "variants in no group: $missing"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/runcloud-variants.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/collections/ansible_collections/runcloud"
ln -s "$ROOT" "$WORK/collections/ansible_collections/runcloud/cloud"

recap_changed() {
    sed -n '/^PLAY RECAP/,$p' "$1" | grep -oE 'changed=[0-9]+' | cut -d= -f2 | awk '{ s += $1 } END { print s + 0 }'
}

# seed_idle_servers COUNT : COUNT more servers whose agent never connected (the fleet must leave them alone).
seed_idle_servers() {
    "$VENV/bin/python" - "${RUNCLOUD_API_URL%/api/v[23]}/__sim__/seed" "$1" <<'PYTHON'
import json, sys, urllib.request
body = json.dumps({"servers": int(sys.argv[2]), "connected": False, "name_prefix": "idle"}).encode()
urllib.request.urlopen(urllib.request.Request(sys.argv[1], data=body, method="POST",
                                              headers={"Content-Type": "application/json"}), timeout=10).read()
PYTHON
}

# check_refusal DIR : adding to the blog a domain the shop already has is refused by the API (422,
# "The name has already been taken."); the task must fail with those words, whatever the shape of the
# answer's errors.
check_refusal() {
    local dir="$1"
    if ansible localhost -m runcloud.cloud.domain -a "server=demo-web-01 web_app=blog name=shop.example.com" \
        > "$dir/refusal.log" 2>&1; then
        echo "the API refused nothing: adding shop.example.com to the blog succeeded"
        return 1
    fi
    if ! grep -q 'has already been taken' "$dir/refusal.log"; then
        tail -n 20 "$dir/refusal.log"
        echo "the failure does not carry the API's own words (has already been taken)"
        return 1
    fi
}

# run_group INDEX VARIANTS API_VERSION : one simulator in these variants; site then fleet, twice each,
# against its API of that version.
run_group() {
    local index="$1" variants="$2" api="$3" dir="$WORK/group$1" playbook inventory name n changed gets writes
    mkdir -p "$dir"
    trap 'rc_stop_simulator' EXIT
    # On v3 a write that only acknowledges lands after 0.2 s (not the default 1 s): the landing is still
    # followed, and the variants (answer shapes) are what this stage is about.
    rc_start_simulator "$VENV/bin/python" "$ROOT" "$dir" --seed-servers 4 --variant "$variants" --api-version "$api" --land-delay 0.2
    export RUNCLOUD_API_URL="$RC_SIM_URL" RUNCLOUD_API_TOKEN="$RC_SIM_TOKEN"
    seed_idle_servers 20
    export ANSIBLE_COLLECTIONS_PATH="$WORK/collections" ANSIBLE_LOCALHOST_WARNING=false
    export ANSIBLE_INVENTORY_UNPARSED_WARNING=false ANSIBLE_NOCOLOR=1 PATH="$VENV/bin:$PATH"
    export ANSIBLE_LOCAL_TEMP="$dir/tmp"
    for pair in "examples/site.yml examples/demo-inventory.yml" "examples/fleet.yml examples/fleet.runcloud.yml"; do
        read -r playbook inventory <<< "$pair"
        name="$(basename "$playbook" .yml)"
        for n in 1 2; do
            [ "$n" = 2 ] && rc_sim_requests "$VENV/bin/python" "$RUNCLOUD_API_URL" DELETE > /dev/null
            # The recap is read from stdout only; stderr (Ansible's and dependencies' warnings) apart.
            if ! ansible-playbook -i "$inventory" "$playbook" > "$dir/$name-run$n.log" 2> "$dir/$name-run$n.err"; then
                tail -n 40 "$dir/$name-run$n.log" "$dir/$name-run$n.err"
                echo "variants $variants (API v$api): $playbook run $n FAILED"
                return 1
            fi
        done
        changed="$(recap_changed "$dir/$name-run2.log")"
        read -r gets writes < <(rc_sim_requests "$VENV/bin/python" "$RUNCLOUD_API_URL" GET)
        if [ "$changed" != 0 ] || [ "$writes" != 0 ]; then
            grep -B2 -A12 -E '^changed:' "$dir/$name-run2.log" | head -n 60
            echo "variants $variants (API v$api): $playbook second run changed=$changed, writes=$writes: FAILED"
            return 1
        fi
        echo "variants $variants (API v$api): $playbook second run changed=0, 0 writes ($gets GET)"
    done
    if ! ansible-inventory -i examples/fleet.runcloud.yml --list > "$dir/inventory.json" 2> "$dir/inventory.err" \
        || ! "$VENV/bin/python" tests/variants/check_account.py "$RUNCLOUD_API_URL" "$dir/inventory.json"; then
        cat "$dir/inventory.err"
        echo "variants $variants (API v$api): inventory or account check FAILED"
        return 1
    fi
    case ",$variants," in
        *,errors-list,*|*,errors-string,*)
            check_refusal "$dir" || { echo "variants $variants (API v$api): refusal message FAILED"; return 1; }
            echo "variants $variants (API v$api): a refused request fails with the API's own words" ;;
    esac
    grep -h -o '\[WARNING\]: the API answer [^;]*' "$dir"/*-run2.err 2>/dev/null | sort | uniq -c | head -n 20 || true
}

started=$SECONDS
status=0
pids=()
for index in "${!GROUPS_TO_RUN[@]}"; do
    api="$(group_api_version "$index")"
    variants="${GROUPS_TO_RUN[$index]}"
    if [ "$api" = 3 ]; then
        for variant in ${V3_VARIANTS//,/ }; do
            [[ ",$variants," == *",$variant,"* ]] || variants="$variants,$variant"
        done
    fi
    echo "group $index on API v$api: $variants"
    ( run_group "$index" "$variants" "$api" > "$WORK/group$index.out" 2>&1 ) &
    pids+=("$!")
    if [ "${#pids[@]}" -ge "$JOBS" ]; then
        wait "${pids[0]}" || status=1
        pids=("${pids[@]:1}")
    fi
done
for pid in "${pids[@]}"; do wait "$pid" || status=1; done
for index in "${!GROUPS_TO_RUN[@]}"; do cat "$WORK/group$index.out"; done
echo "variant runs: ${#GROUPS_TO_RUN[@]} groups in $((SECONDS - started)) s: $([ "$status" = 0 ] && echo passed || echo FAILED)"
exit "$status"
