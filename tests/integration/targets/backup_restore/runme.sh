#!/usr/bin/env bash
set -eu
# backup_restore exists on API v3 only; the first snapshot and the restore land at once.
export RUNCLOUD_SIM_API_VERSION=3
source ../setup_simulator/simulator.sh --land-delay 0
ansible-playbook -i localhost, -c local -e ansible_python_interpreter="${ANSIBLE_TEST_PYTHON_INTERPRETER:-python3}" playbook.yml "$@"
