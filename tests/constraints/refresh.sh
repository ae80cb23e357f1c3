#!/usr/bin/env bash
# Rewrites the constraints files of the test venvs: every package a venv installs, pinned.
#
#   tests/constraints/refresh.sh                        every file in tests/constraints/
#   tests/constraints/refresh.sh requirements-eda.txt   one of them
#   tests/constraints/refresh.sh --python 3.13 requirements-2.22.txt   a new one (its Python)
#
# tests/requirements*.txt name what each venv is for (the tools, pinned); tests/constraints/<same
# name> pins everything they pull in, pip included, so that a fresh clone gets the versions that were
# tested and not whatever PyPI serves that day (cryptography 51 once made every ansible-core command
# print a warning on stderr). tests/lib/bootstrap.sh installs with `-c` that file and rebuilds a venv
# when either file changes.
#
# A refresh resolves the requirements anew (pip's dry run, under the venv's Python: the first line of
# each constraints file names it), keeping only the holds of tests/constraints/holds.txt, and writes
# the result. Refresh on purpose (a new tool version, a security fix), review the diff, run the
# stages of the changed venvs, and commit the constraints with the change that needs them.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
# shellcheck source=tests/lib/bootstrap.sh
source "$ROOT/tests/lib/bootstrap.sh"

python_version=""
files=()
while [ "$#" -gt 0 ]; do
    case "$1" in
        --python) python_version="$2"; shift 2 ;;
        -h|--help) sed -n '2,17p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) files+=("$(basename "$1")"); shift ;;
    esac
done
if [ "${#files[@]}" -eq 0 ]; then
    for file in "$HERE"/requirements*.txt; do files+=("$(basename "$file")"); done
fi

for name in "${files[@]}"; do
    requirements="$ROOT/tests/$name"
    constraints="$HERE/$name"
    [ -f "$requirements" ] || rc_die "no tests/$name"
    version="$python_version"
    if [ -z "$version" ] && [ -f "$constraints" ]; then
        version="$(sed -n '1s/^# python \([0-9.]*\)$/\1/p' "$constraints")"
    fi
    [ -n "$version" ] || rc_die "tests/constraints/$name is new: name its Python with --python X.Y"
    python="$(rc_find_python "$version")" || rc_die "Python $version not found"
    rc_log "resolving tests/$name with Python $version"
    report="$(mktemp)"
    # --ignore-installed: the whole set, not only what the interpreter lacks. pip itself is listed
    # so that the venv's pip upgrade is pinned too.
    "$python" -m pip install --disable-pip-version-check --quiet --dry-run --ignore-installed \
        --report "$report" -r "$requirements" -c "$HERE/holds.txt" pip \
        || rc_die "pip could not resolve tests/$name"
    {
        printf '# python %s\n' "$version"
        printf '# Everything the venv of tests/%s installs, pinned. Made by tests/constraints/refresh.sh;\n' "$name"
        printf '# edit tests/%s or tests/constraints/holds.txt, then refresh, instead of editing this file.\n' "$name"
        "$python" - "$report" <<'PY'
import json, sys
with open(sys.argv[1]) as handle:
    report = json.load(handle)
pins = sorted('%s==%s' % (item['metadata']['name'], item['metadata']['version']) for item in report['install'])
print('\n'.join(sorted(pins, key=str.lower)))
PY
    } > "$constraints.new"
    rm -f "$report"
    mv "$constraints.new" "$constraints"
    rc_log "wrote tests/constraints/$name ($(grep -vc '^#' "$constraints") packages)"
done
