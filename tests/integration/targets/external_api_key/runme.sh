#!/usr/bin/env bash
set -eu
source ../setup_simulator/simulator.sh
ansible-playbook -i localhost, -c local -e ansible_python_interpreter="${ANSIBLE_TEST_PYTHON_INTERPRETER:-python3}" playbook.yml "$@"

# The secret must not appear anywhere in the most verbose output either.
output="$(ansible-playbook -i localhost, -c local -e ansible_python_interpreter="${ANSIBLE_TEST_PYTHON_INTERPRETER:-python3}" \
    secret_output.yml -vvvv "$@" 2>&1)"
if grep -q 'cf-very-secret' <<<"$output"; then
    echo "the secret appeared in -vvvv output" >&2
    exit 1
fi
grep -q 'secret_output_done' <<<"$output"
