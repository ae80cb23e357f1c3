#!/usr/bin/env bash
# The round-trip property of the account export (tests/adopt/roundtrip.py) with the oldest and the
# newest supported ansible-core: 10 seeded random accounts each.
#
#   tests/adopt/run-roundtrip.sh                  # ansible-core 2.16 and 2.22 (make test: one stage per version)
#   tests/adopt/run-roundtrip.sh 2.21             # one version (2.16, 2.19, 2.21 or 2.22)
#   ROUNDTRIP_ACCOUNTS=40 ROUNDTRIP_SIZE=medium tests/adopt/run-roundtrip.sh   # make adopt-roundtrip
#   ROUNDTRIP_API_VERSION=3 tests/adopt/run-roundtrip.sh 2.22   # through the simulator's API v3
# Environment: ROUNDTRIP_ACCOUNTS (10), ROUNDTRIP_FIRST_ACCOUNT (0: accounts 0..9; 5 with 5 accounts:
# accounts 5..9 of the same seed), ROUNDTRIP_POOL (0; 10: the numbers wrap, so first 8 with 3 accounts
# runs 8, 9 and 0), ROUNDTRIP_SEED (1), ROUNDTRIP_SIZE (small), ROUNDTRIP_JOBS (2),
# ROUNDTRIP_API_VERSION (2 or 3; default 2).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
# shellcheck source=tests/lib/bootstrap.sh
source "$ROOT/tests/lib/bootstrap.sh"

versions=("$@")
[ "${#versions[@]}" -gt 0 ] || versions=(2.16 2.22)
for version in "${versions[@]}"; do
    row="$(rc_core_venv "$version")" || rc_die "no venv for ansible-core $version (2.16, 2.19, 2.21 or 2.22)"
    read -r venv python req <<< "$row"
    venv="$ROOT/$venv"
    rc_ensure_venv "$venv" "$python" "$ROOT/$req"
    rc_log "round trip with $("$venv/bin/ansible" --version 2>/dev/null | sed -n 1p)"
    "$venv/bin/python" "$ROOT/tests/adopt/roundtrip.py" --ansible-bin "$venv/bin" \
        --accounts "${ROUNDTRIP_ACCOUNTS:-10}" --first-account "${ROUNDTRIP_FIRST_ACCOUNT:-0}" --pool "${ROUNDTRIP_POOL:-0}" --seed "${ROUNDTRIP_SEED:-1}" \
        --size "${ROUNDTRIP_SIZE:-small}" --jobs "${ROUNDTRIP_JOBS:-2}" \
        --api-version "${ROUNDTRIP_API_VERSION:-2}"
done
