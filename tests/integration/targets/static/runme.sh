#!/usr/bin/env bash
set -eu
source ../setup_simulator/simulator.sh
# Empty variables count as unset: the lookup must fall back to its defaults, not fail on them.
export RUNCLOUD_API_TIMEOUT="" RUNCLOUD_API_KEY=""
ansible-playbook -i localhost, -c local -e ansible_python_interpreter="${ANSIBLE_TEST_PYTHON_INTERPRETER:-python3}" playbook.yml "$@"
