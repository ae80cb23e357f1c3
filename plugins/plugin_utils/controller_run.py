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
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import contextlib
import importlib
import io
import json
import os
import sys
import traceback

from ansible.module_utils import basic

try:
    from ansible.vars.clean import remove_internal_keys
except ImportError:  # ansible-core >= 2.20: results are objects that clean themselves
    remove_internal_keys = None

from ansible.module_utils.common import json as common_json

from ansible_collections.runcloud.cloud.plugins.module_utils import client

# ansible-core >= 2.19: module arguments and results travel with a serialization profile.
PROFILE = 'legacy' if hasattr(common_json, 'get_module_encoder') else None

MODULES_PACKAGE = 'ansible_collections.runcloud.cloud.plugins.modules'


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
def environment(values):
    saved = dict(os.environ)
    os.environ.update(dict((str(key), str(value)) for key, value in values.items()))
    try:
        yield
    finally:
        # Back to what it was, touching only what differs: clearing and refilling the whole
        # environment costs a putenv per variable, several milliseconds a task on a busy machine.
        for key in [key for key in os.environ if key not in saved]:
            del os.environ[key]
        for key, value in saved.items():
            if os.environ.get(key) != value:
                os.environ[key] = value


def run_module_code(short_name, module_args, task_environment):
    """Run ``plugins/modules/<short_name>.py``'s ``main()`` with the arguments; return the low-level
    result (``rc``, ``stdout``, ``stderr``) that a module process would have produced."""
    module = importlib.import_module('%s.%s' % (MODULES_PACKAGE, short_name))
    stdout = io.StringIO()
    saved = basic._ANSIBLE_ARGS, getattr(basic, '_ANSIBLE_PROFILE', None)
    basic._ANSIBLE_ARGS = encoded_args(module_args)
    if PROFILE is not None:
        basic._ANSIBLE_PROFILE = PROFILE
    rc = 0
    stderr = ''
    try:
        with environment(task_environment), contextlib.redirect_stdout(stdout):
            try:
                module.main()
                raise RuntimeError('the module returned without exit_json or fail_json')
            except SystemExit as done:
                rc = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
    except Exception:  # pylint: disable=broad-except
        # What a module process that crashed leaves: its traceback, and no JSON.
        rc = 1
        stderr = traceback.format_exc()
    finally:
        basic._ANSIBLE_ARGS = saved[0]
        if PROFILE is not None:
            basic._ANSIBLE_PROFILE = saved[1]
    output = stdout.getvalue()
    if rc != 0 and not output.strip() and not stderr:
        stderr = 'the module exited with %s without a result' % rc
    return dict(rc=rc, stdout=output, stderr=stderr)


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


def interpreter_is_controller(task_vars):
    """Whether the task's Python is the controller's own (or not set, so that any would do)."""
    interpreter = task_vars.get('ansible_python_interpreter')
    if interpreter in (None, '', 'auto', 'auto_silent', 'auto_legacy', 'auto_legacy_silent'):
        return True
    if not isinstance(interpreter, str) or '{{' in interpreter:
        return False
    try:
        return os.path.realpath(interpreter) == os.path.realpath(sys.executable)
    except (OSError, ValueError):
        return False
