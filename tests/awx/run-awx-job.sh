#!/usr/bin/env bash
# examples/fleet.yml through AWX's own steps, from the collection tarball `make build` makes
# (docs/awx.md, "How this is tested"): the execution environment definitions (check-ee.sh), project
# sync, inventory update with `ansible-inventory --list --export`, both credential types, a job and
# a 3-slice job with ansible-runner, each run twice (the second runs must write nothing).
#
#   tests/awx/run-awx-job.sh    (makes .venvs/awx with tests/requirements-awx.txt on first use)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# shellcheck source=tests/lib/bootstrap.sh
source "$ROOT/tests/lib/bootstrap.sh"
VENV="$ROOT/.venvs/awx"
rc_ensure_venv "$VENV" 3.11 "$ROOT/tests/requirements-awx.txt"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/runcloud-awx.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
started="$(date +%s)"

mkdir -p "$WORK/dist"
rc_build_collection "$ROOT" "$WORK/dist" || rc_die "make build failed"
tarball="$(ls "$WORK"/dist/runcloud-cloud-*.tar.gz)"
rc_log "built $(basename "$tarball")"

# ansible-builder introspect reads the collection as installed from the tarball.
"$VENV/bin/ansible-galaxy" collection install -p "$WORK/ee-collections" "$tarball" > "$WORK/ee-install.log" 2>&1 \
    || { cat "$WORK/ee-install.log" >&2; rc_die "could not install the tarball for ansible-builder introspect"; }
bash "$ROOT/tests/awx/check-ee.sh" "$WORK/ee-collections"

"$VENV/bin/python" "$ROOT/tests/awx/awx_job.py" --tarball "$tarball" --work "$WORK/awx"
rc_log "AWX steps passed in $(( $(date +%s) - started ))s"
