#!/usr/bin/env bash
# A user's first run is often `--check --diff` of a whole play against an account where nothing
# exists yet: every task must predict instead of failing, and nothing may be written. This target
# checks the playbooks users start from: examples/site.yml and the README's first playbook.
set -eu
source ../setup_simulator/simulator.sh

collection="${ANSIBLE_COLLECTIONS_PATH%%:*}/ansible_collections/runcloud/cloud"
python="${ANSIBLE_TEST_PYTHON_INTERPRETER:-python3}"
readme_playbook="$(mktemp --suffix=.yml)"
"$python" extract_readme_playbook.py "$collection/README.md" > "$readme_playbook"

run() {
    ansible-playbook -i localhost, -c local -e ansible_python_interpreter="$python" "$@"
}

run --check --diff "$collection/examples/site.yml"
run --check --diff "$readme_playbook" -e vault_runcloud_api_token="$RUNCLOUD_API_TOKEN"
run assert_nothing_written.yml
rm -f "$readme_playbook"
