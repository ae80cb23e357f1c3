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

# site.yml connects the machine of its inventory; in check mode nothing is installed on it.
ansible-playbook -i "$collection/examples/demo-inventory.yml" --check --diff "$collection/examples/site.yml"
# The README's playbook configures an existing server web-01: without it the check run fails like the real run.
"$python" -c 'import sys, urllib.request; urllib.request.urlopen(urllib.request.Request(sys.argv[1] + "/seed", data=b"{\"servers\": 1}", method="POST"))' "$RUNCLOUD_SIM_CONTROL"
run --check --diff "$readme_playbook" -e vault_runcloud_api_token="$RUNCLOUD_API_TOKEN"
# A parent that an earlier task predicts is assumed; a typo in a parent's name fails the check run.
run --check typo_in_a_parent.yml
run assert_nothing_written.yml
rm -f "$readme_playbook"
