#!/usr/bin/env bash
# The collection's documentation site (antsibull-docs + Sphinx), built offline, and its docs lint.
#
#   tests/docs-site.sh            lint the docs and build the site into docs/site/build/html/
#   tests/docs-site.sh --lint     only the lint
#
# Steps, on a staged copy of the checkout (git-tracked and untracked, not ignored files):
#   1. docs/docsite/rst/<guide>.rst from each Markdown guide that docs/docsite/extra-docs.yml lists
#      (tests/lib/docsite_guides.py), which must equal the pages kept in the repository;
#   2. antsibull-docs lint-collection-docs --plugin-docs --validate-collection-refs all: option,
#      module and guide references, markup, extra-docs.yml, links.yml, rstcheck;
#   3. antsibull-docs sphinx-init + collection, then sphinx-build -W: every warning fails.
#      Offline: instead of the intersphinx inventories sphinx-init would download, one local
#      inventory of the docs.ansible.com targets the plugin pages refer to
#      (tests/lib/ansible_docs_inventory.py).
# Tools come from the .venvs/docs venv (tests/requirements-docs.txt).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=tests/lib/bootstrap.sh
source "$ROOT/tests/lib/bootstrap.sh"

LINT_ONLY=0
case "${1:-}" in
    --lint) LINT_ONLY=1 ;;
    "") ;;
    *) echo "usage: $0 [--lint]" >&2; exit 2 ;;
esac

VENV="$ROOT/.venvs/docs"
SITE="$ROOT/docs/site"
rc_ensure_docs_venv "$ROOT"
export PATH="$VENV/bin:$PATH"

STAGE="$(mktemp -d "${TMPDIR:-/tmp}/runcloud-docs.XXXXXX")"
trap 'rm -rf "$STAGE"' EXIT
COLLECTION="$STAGE/ansible_collections/runcloud/cloud"
rc_stage_collection "$ROOT" "$COLLECTION"
export ANSIBLE_COLLECTIONS_PATH="$STAGE"
# The guide pages are in the repository too (a plain checkout must pass the lint below); the staged
# copy has them freshly written from the Markdown guides, so the two must be the same.
if ! diff -r "$ROOT/docs/docsite/rst" "$COLLECTION/docs/docsite/rst" > "$STAGE/guides.diff"; then
    head -n 40 "$STAGE/guides.diff" >&2
    rc_die "docs/docsite/rst/ is out of date with the Markdown guides: run '.venvs/docs/bin/python tests/lib/docsite_guides.py .' and commit the result"
fi

rc_log "antsibull-docs lint-collection-docs"
antsibull-docs lint-collection-docs --plugin-docs --check-extra-docs-refs \
    --validate-collection-refs all --disallow-unknown-collection-refs "$COLLECTION"
rc_log "docs lint passed"
[ "$LINT_ONLY" = 0 ] || exit 0

rm -rf "$SITE"
mkdir -p "$SITE"
chmod 700 "$SITE"  # antsibull-docs only writes into a directory no one else can write to
antsibull-docs sphinx-init --use-current --squash-hierarchy --fail-on-error --dest-dir "$SITE" \
    --project runcloud.cloud --copyright 'runcloud.cloud contributors' \
    --title 'runcloud.cloud: RunCloud collection for Ansible' runcloud.cloud >/dev/null
# Offline: sphinx-init maps the Python, Jinja2 and Ansible sites, whose inventories would be
# downloaded (and -W turns the failure into an error); use the local inventory instead.
"$VENV/bin/python" "$ROOT/tests/lib/ansible_docs_inventory.py" "$SITE/ansible_devel.inv"
cat >> "$SITE/conf.py" <<'PY'

# Added by tests/docs-site.sh: build offline, with a local inventory of docs.ansible.com targets.
intersphinx_mapping = {
    'ansible_devel': ('https://docs.ansible.com/projects/ansible/devel/', '../ansible_devel.inv'),
}
PY
# build.sh of sphinx-init: antsibull-docs collection, then sphinx-build -W --keep-going.
bash "$SITE/build.sh"
rc_log "documentation site: $SITE/build/html/index.html"
