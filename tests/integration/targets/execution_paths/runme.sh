#!/usr/bin/env bash
# The same tasks (playbook.yml) run twice against a fresh simulator: every module in the controller's
# process, then every module as a separate process. compare_paths.py requires the same results, diffs
# and warnings task by task and loop item by loop item, each item and each `until` retry with only its
# own warnings, Python's InsecureRequestWarning as a warning of every result, and nothing on stderr.
# Then interpreters.yml: only the controller's own Python environment runs a module in its process.
set -eu
python="${ANSIBLE_TEST_PYTHON_INTERPRETER:-python3}"
work="$(mktemp -d)"
"$python" make_certificate.py "$work"
# An HTTPS simulator with a certificate nobody trusts: validate_certs=false makes urllib3 warn.
source ../setup_simulator/simulator.sh --tls-cert "$work/cert.pem" --tls-key "$work/key.pem"
trap '_sim_stop; rm -rf "$work"' EXIT
export RUNCLOUD_VALIDATE_CERTS=false
unset RUNCLOUD_RUN_ON_CONTROLLER

for path in controller module; do
    "$python" -c 'import ssl, sys, urllib.request
urllib.request.urlopen(urllib.request.Request(sys.argv[1] + "/reset", method="POST", data=b""), context=ssl._create_unverified_context()).read()' \
        "$RUNCLOUD_SIM_CONTROL"
    on_controller=true
    [ "$path" = controller ] || on_controller=false
    rc=0
    # Every result, loop item and retry as data (callback_plugins/paths_record.py).
    ANSIBLE_CALLBACKS_ENABLED=paths_record PATHS_RECORD="$work/$path.json" ansible-playbook -i localhost, -c local --diff -e ansible_python_interpreter="$python" \
        -e "paths_run_on_controller=$on_controller" playbook.yml "$@" > "$work/$path.stdout" 2> "$work/$path.stderr" || rc=$?
    if [ "$rc" -ne 0 ]; then
        cat "$work/$path.stdout" "$work/$path.stderr"
        echo "execution_paths: the run with run_on_controller=$on_controller failed (exit $rc)" >&2
        exit 1
    fi
done

# The interpreter: ansible_playbook_python is the controller's; another venv of the same Python is not.
"$python" -m venv --without-pip "$work/other-venv"
# (No ansible_python_interpreter in the extra variables here: they would beat the tasks' own.)
ansible-playbook -i localhost, -c local -vvv -e "paths_other_python=$work/other-venv/bin/python" interpreters.yml "$@" > "$work/interpreters.log" 2>&1 \
    || { cat "$work/interpreters.log"; exit 1; }
in_controller="$(grep -c 'runcloud.cloud: running runcloud.cloud.server_info in the controller process' "$work/interpreters.log" || true)"
if [ "$in_controller" != 1 ]; then
    cat "$work/interpreters.log"
    echo "execution_paths: $in_controller tasks ran in the controller's process instead of 1" >&2
    exit 1
fi

"$python" compare_paths.py "$work/controller.json" "$work/controller.stderr" "$work/module.json" "$work/module.stderr"
