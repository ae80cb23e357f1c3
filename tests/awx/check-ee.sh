#!/usr/bin/env bash
# ansible-builder on the collection's execution environment metadata and on the example
# definitions (docs/awx.md): `ansible-builder create` must accept meta/execution-environment.yml and
# every examples/*-environment.yml (the decision environment, extensions/eda/decision-environment.yml,
# is checked by tests/eda/run-eda.sh). With a directory holding an installed
# collection (ansible_collections/runcloud/cloud), `ansible-builder introspect` must find the
# collection's Python requirements in it, as an EE build does.
#
#   tests/awx/check-ee.sh [INSTALLED_COLLECTIONS_DIR]   (needs .venvs/awx: tests/awx/run-awx-job.sh makes it)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# shellcheck source=tests/lib/bootstrap.sh
source "$ROOT/tests/lib/bootstrap.sh"
VENV="$ROOT/.venvs/awx"
[ -x "$VENV/bin/ansible-builder" ] || rc_ensure_venv "$VENV" 3.11 "$ROOT/tests/requirements-awx.txt"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/runcloud-ee.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

# The two readings of meta/execution-environment.yml (relative to meta/ by `create`, to the
# collection root by introspection) find the same list.
cmp -s "$ROOT/requirements.txt" "$ROOT/meta/requirements.txt" \
    || rc_die "requirements.txt and meta/requirements.txt differ; meta/execution-environment.yml names both (see its comment)"

definitions=("$ROOT/meta/execution-environment.yml")
for file in "$ROOT"/examples/*-environment.yml; do
    [ -e "$file" ] && definitions+=("$file")
done
[ "${#definitions[@]}" -ge 2 ] || rc_die "no examples/*-environment.yml"
n=0
for file in "${definitions[@]}"; do
    n=$((n + 1))
    if ! "$VENV/bin/ansible-builder" create -f "$file" -c "$WORK/context-$n" > "$WORK/create-$n.log" 2>&1; then
        cat "$WORK/create-$n.log" >&2
        rc_die "ansible-builder create -f ${file#"$ROOT"/} failed"
    fi
    [ -f "$WORK/context-$n/Containerfile" ] || [ -f "$WORK/context-$n/Dockerfile" ] \
        || rc_die "ansible-builder create -f ${file#"$ROOT"/} wrote no Containerfile"
    echo "ansible-builder create -f ${file#"$ROOT"/}: ok"
done

if [ -n "${1:-}" ]; then
    "$VENV/bin/ansible-builder" introspect "$1" > "$WORK/introspect.yml" 2>&1 \
        || { cat "$WORK/introspect.yml" >&2; rc_die "ansible-builder introspect $1 failed"; }
    grep -Eq "^ *- '?requests( |'|\$)" "$WORK/introspect.yml" \
        || { cat "$WORK/introspect.yml" >&2; rc_die "ansible-builder introspect did not find the collection's requests requirement"; }
    echo "ansible-builder introspect: the installed collection requires requests"
fi
