# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Run a module of the collection inside the task's worker process on the controller.

A module task normally costs about half a second on the controller before the module sends its first
request: the module and its module_utils are packed into an AnsiballZ zip, a temporary directory is
made, a new Python starts, unpacks it and imports ``requests``. The collection's modules only talk to
the RunCloud API over HTTP, so when the task runs on the controller anyway (a local connection
without become) the action plugin can run the module's own code in the worker that Ansible forked
for this one task. The module sees the same arguments (including Ansible's internal ones: check
mode, diff, verbosity, no_log) and the task's ``environment``, and its result goes through the same
parsing as a module that ran as a process. The worker ends with the task, so nothing the module
changes in the process (environment, module globals) reaches another task.

Within its task a worker runs every item of a loop and every ``until`` retry, so each run of a module
gets the state a new module process starts with and the worker's own state back afterwards
(``module_process_state``): its own arguments, empty lists of warnings and deprecations, module-side
warnings (ansible-core >= 2.19 otherwise sends a module's warnings from the controller's process straight
to the display instead of into its result), Python warnings as warnings of the result, and stdout and
stderr captured: a module in the controller's process never writes to the terminal.

It runs only where a module process would run with the controller's own Python environment
(``interpreter_is_controller``): a task whose interpreter belongs to another environment, even a
virtual environment made from the same Python, gets that environment's packages in a module process.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import contextlib
import importlib
import io
import json
import os
import shutil
import sys
import traceback
import warnings

from ansible.module_utils import basic
from ansible.module_utils.common import warnings as module_messages

try:
    from ansible.vars.clean import remove_internal_keys
except ImportError:  # ansible-core >= 2.20: results are objects that clean themselves
    remove_internal_keys = None

try:
    # ansible-core >= 2.19: True in the controller's processes, where module warnings go to the display.
    from ansible.module_utils import _internal as module_internal
except ImportError:
    module_internal = None

from ansible.module_utils.common import json as common_json

from ansible_collections.runcloud.cloud.plugins.module_utils import client
from ansible_collections.runcloud.cloud.plugins.module_utils.module import report_python_warnings

# ansible-core >= 2.19: module arguments and results travel with a serialization profile.
PROFILE = 'legacy' if hasattr(common_json, 'get_module_encoder') else None

MODULES_PACKAGE = 'ansible_collections.runcloud.cloud.plugins.modules'

# What ansible.module_utils.basic reads a module's arguments from; a module process starts without them.
ARGUMENT_GLOBALS = ('_ANSIBLE_ARGS', '_ANSIBLE_PROFILE', '_PARSED_MODULE_ARGS')
# Where ansible.module_utils.common.warnings collects a run's warnings and deprecations (lists up to
# ansible-core 2.18, dicts from 2.19): a module process starts with them empty.
MESSAGE_STORES = ('_global_warnings', '_global_deprecations')


def preload(action_plugin_name):
    """Import the module that the action plugin file ``action_plugin_name`` (its ``__name__``) stands in
    front of. Ansible loads a task's action plugin in its main process before it forks the task's
    workers, so they inherit the module and its module_utils imported: the collection loader compiles
    a collection's Python source on every import, which cost a worker 15-35 ms per module task."""
    try:
        importlib.import_module('%s.%s' % (MODULES_PACKAGE, action_plugin_name.rsplit('.', 1)[-1]))
    except ImportError:
        # Without requests (or on a controller that cannot import it): the task reports it when it runs.
        pass


def requests_available():
    try:
        import requests  # noqa: F401 pylint: disable=unused-import
    except ImportError:
        return False
    return True


def encoded_args(module_args):
    payload = dict(ANSIBLE_MODULE_ARGS=module_args)
    if PROFILE is not None:
        encoder = common_json.get_module_encoder(PROFILE, common_json.Direction.CONTROLLER_TO_MODULE)
        return json.dumps(payload, cls=encoder).encode('utf-8')
    return json.dumps(payload, cls=common_json.AnsibleJSONEncoder, vault_to_text=True).encode('utf-8')


@contextlib.contextmanager
def module_process_state(encoded_arguments, task_environment, stdout, stderr):
    """For the duration of one module run: the state a module process starts with (these arguments,
    no warnings or deprecations yet, module-side warnings, the task's environment) with its output in
    ``stdout`` and ``stderr``; afterwards the worker's state as it was."""
    saved_arguments = dict((name, getattr(basic, name)) for name in ARGUMENT_GLOBALS if hasattr(basic, name))
    saved_messages = dict((name, getattr(module_messages, name)) for name in MESSAGE_STORES if hasattr(module_messages, name))
    saved_is_controller = getattr(module_internal, 'is_controller', None)
    saved_environment = dict(os.environ)
    try:
        for name in saved_arguments:
            setattr(basic, name, None)
        basic._ANSIBLE_ARGS = encoded_arguments
        if PROFILE is not None:
            basic._ANSIBLE_PROFILE = PROFILE
        for name, store in saved_messages.items():
            setattr(module_messages, name, type(store)())
        if saved_is_controller is not None:
            module_internal.is_controller = False
        os.environ.update(dict((str(key), str(value)) for key, value in task_environment.items()))
        with warnings.catch_warnings(), contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            # Also before the module reports them itself (module_utils/module.py): warnings of imports.
            report_python_warnings(module_messages.warn)
            yield
    finally:
        # Back to what it was, touching only what differs: clearing and refilling the whole
        # environment costs a putenv per variable, several milliseconds a task on a busy machine.
        for key in [key for key in os.environ if key not in saved_environment]:
            del os.environ[key]
        for key, value in saved_environment.items():
            if os.environ.get(key) != value:
                os.environ[key] = value
        if saved_is_controller is not None:
            module_internal.is_controller = saved_is_controller
        for name, store in saved_messages.items():
            setattr(module_messages, name, store)
        for name, value in saved_arguments.items():
            setattr(basic, name, value)


def run_module_code(short_name, module_args, task_environment):
    """Run ``plugins/modules/<short_name>.py``'s ``main()`` with the arguments; return the low-level
    result (``rc``, ``stdout``, ``stderr``) that a module process would have produced."""
    return run_main(importlib.import_module('%s.%s' % (MODULES_PACKAGE, short_name)).main, module_args, task_environment)


def run_main(main, module_args, task_environment):
    """``run_module_code`` for a module's ``main`` function."""
    stdout = io.StringIO()
    stderr = io.StringIO()
    encoded_arguments = encoded_args(module_args)
    rc = 0
    crash = ''
    try:
        with module_process_state(encoded_arguments, task_environment, stdout, stderr):
            try:
                main()
                raise RuntimeError('the module returned without exit_json or fail_json')
            except SystemExit as done:
                rc = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
    except Exception:  # pylint: disable=broad-except
        # What a module process that crashed leaves: its traceback, and no JSON.
        rc = 1
        crash = traceback.format_exc()
    output = stdout.getvalue()
    errors = stderr.getvalue() + crash
    if rc != 0 and not output.strip() and not errors:
        errors = 'the module exited with %s without a result' % rc
    return dict(rc=rc, stdout=output, stderr=errors)


def parsed_result(action, low_level):
    """The module's result as ``ActionBase._execute_module`` returns it on this ansible-core."""
    if PROFILE is not None:
        parsed = action._parse_returned_data(low_level, PROFILE)
    else:
        parsed = action._parse_returned_data(low_level)
    if hasattr(parsed, 'as_result_dict'):  # ansible-core >= 2.20: a task result object
        parsed.remove_internal_keys()
        return parsed.as_result_dict(for_round_trip=True)
    remove_internal_keys(parsed)
    return parsed


def items_share_reads(task):
    """Whether the items of ``task`` may read each list once for all of them: they run one after the
    other in this worker when the task has a loop, but not with ``until`` (a retry must see the state anew)."""
    return bool(task.loop is not None or task.loop_with) and not task.until


def execute_in_worker(action, short_name, module_args, task_vars):
    """``action._execute_module()`` for a module of this collection, without a module process."""
    if items_share_reads(action._task):
        client.share_list_reads()
    args = dict(module_args)
    action._update_module_args(action._task.action, args, task_vars)
    task_environment = {}
    action._compute_environment_string(raw_environment_out=task_environment)
    return parsed_result(action, run_module_code(short_name, args, task_environment))


def module_short_name(resolved_name):
    """``server`` for ``runcloud.cloud.server``; None for anything that is not a module of this collection."""
    prefix = 'runcloud.cloud.'
    if not resolved_name or not resolved_name.startswith(prefix):
        return None
    name = resolved_name[len(prefix):]
    return name if name.replace('_', '').isalnum() else None


# ansible_python_interpreter values that leave the choice to Ansible: any Python would do.
UNCHOSEN_INTERPRETERS = (None, '', 'auto', 'auto_silent', 'auto_legacy', 'auto_legacy_silent')


def python_environment(executable):
    """The Python environment an interpreter path runs in, as Python itself finds it at start-up:
    a virtual environment is the directory with the ``pyvenv.cfg`` next to the executable or one level
    up, found from the path as given (a venv's ``python`` is a link to the base interpreter, which is
    why the resolved executable cannot tell two venvs apart); without one, the installation the
    resolved executable belongs to. None when the path does not lead to a file."""
    path = executable if os.path.isabs(executable) else shutil.which(executable)
    if not path or not os.path.isfile(path):
        return None
    directory = os.path.dirname(os.path.abspath(path))
    for candidate in (directory, os.path.dirname(directory)):
        if os.path.isfile(os.path.join(candidate, 'pyvenv.cfg')):
            return ('venv', os.path.realpath(candidate))
    return ('installation', os.path.realpath(path))


def controller_environment():
    """The Python environment of this process (``ansible_playbook_python`` names its executable)."""
    if sys.prefix != getattr(sys, 'base_prefix', sys.prefix):
        return ('venv', os.path.realpath(sys.prefix))
    return python_environment(sys.executable)


def interpreter_is_controller(interpreter):
    """Whether a module process with this task interpreter (``ansible_python_interpreter``, templated)
    would run in the controller's own Python environment, with the same packages (``requests``, its
    CA bundle): then the module can run in the controller's process. An interpreter left to Ansible
    counts as the controller's; one with arguments (``/usr/bin/env python3``) never does."""
    if isinstance(interpreter, str):
        interpreter = interpreter.strip()
    if interpreter in UNCHOSEN_INTERPRETERS:
        return True
    if not isinstance(interpreter, str) or len(interpreter.split()) != 1 or '{{' in interpreter:
        return False
    try:
        environment = python_environment(interpreter)
    except (OSError, ValueError):
        return False
    return environment is not None and environment == controller_environment()
