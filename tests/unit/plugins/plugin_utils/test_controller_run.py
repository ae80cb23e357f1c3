# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""A module in the controller's process: only for the controller's own Python environment, and each
run isolated like a module process (its own warnings and deprecations, Python warnings in the result,
nothing on the worker's stdout or stderr)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import importlib
import io
import json
import os
import sys
import types
import warnings

import pytest

# A controller context, as in a task's worker: on ansible-core >= 2.19 this makes module warnings
# go to the display unless the run is isolated.
from ansible.plugins.action import ActionBase  # noqa: F401 pylint: disable=unused-import
from ansible.module_utils import basic
from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.common import warnings as module_messages

from ansible_collections.runcloud.cloud.plugins.plugin_utils import controller_run


# -- which interpreter counts as the controller's ---------------------------------------------------

def fake_venv(root, target):
    """A virtual environment as Python recognises one: pyvenv.cfg, and bin/python linked to ``target``."""
    os.makedirs(os.path.join(root, 'bin'))
    with open(os.path.join(root, 'pyvenv.cfg'), 'w') as config:
        config.write('home = %s\n' % os.path.dirname(target))
    python = os.path.join(root, 'bin', 'python')
    os.symlink(target, python)
    return python


def test_the_controllers_own_python_and_an_unchosen_interpreter_count_as_the_controllers():
    assert controller_run.interpreter_is_controller(sys.executable)
    assert controller_run.interpreter_is_controller('  %s ' % sys.executable)
    for unchosen in (None, '', 'auto', 'auto_silent', 'auto_legacy_silent'):
        assert controller_run.interpreter_is_controller(unchosen)


def test_another_virtual_environment_of_the_same_python_is_not_the_controllers(tmp_path):
    # Its python resolves to the same executable as the controller's: the environment differs.
    other = fake_venv(str(tmp_path / 'other'), os.path.realpath(sys.executable))
    assert os.path.realpath(other) == os.path.realpath(sys.executable)
    assert not controller_run.interpreter_is_controller(other)


@pytest.mark.skipif(sys.prefix == getattr(sys, 'base_prefix', sys.prefix), reason='the controller runs in a virtual environment')
def test_the_base_python_of_the_controllers_virtual_environment_is_not_the_controllers():
    assert not controller_run.interpreter_is_controller(os.path.realpath(sys.executable))


def test_a_bare_name_is_looked_up_on_path(monkeypatch, tmp_path):
    monkeypatch.setenv('PATH', os.path.dirname(sys.executable) + os.pathsep + os.environ.get('PATH', ''))
    assert controller_run.interpreter_is_controller(os.path.basename(sys.executable))
    fake_venv(str(tmp_path / 'other'), os.path.realpath(sys.executable))
    monkeypatch.setenv('PATH', str(tmp_path / 'other' / 'bin'))
    assert not controller_run.interpreter_is_controller('python')


@pytest.mark.parametrize('interpreter', ['/usr/bin/env python3', '{{ some_python }}', '/nonexistent/bin/python3', 42])
def test_what_cannot_be_compared_runs_as_a_module_process(interpreter):
    assert not controller_run.interpreter_is_controller(interpreter)


# -- each run isolated ---------------------------------------------------------------------------

def noisy_main(text):
    """A module's main() that warns, deprecates, triggers a Python warning and writes to stderr."""
    def main():
        module = AnsibleModule(argument_spec=dict(name=dict(type='str')), supports_check_mode=True)
        module.warn('module %s' % text)
        module.deprecate('deprecated %s' % text, version='9.0.0', collection_name='runcloud.cloud')
        warnings.warn('python %s' % text, UserWarning)
        warnings.warn('python %s' % text, UserWarning)  # the same text: reported once
        sys.stderr.write('stderr %s\n' % text)
        print('stdout %s' % text)
        module.exit_json(changed=False, name=module.params['name'])
    return main


def message(entry):
    """The text of a warning or deprecation, whatever shape the ansible-core encodes it in."""
    if isinstance(entry, str):
        return entry
    return entry.get('msg') or entry['event']['msg']


def run(text, **environment):
    low = controller_run.run_main(noisy_main(text), dict(name=text), environment)
    assert low['rc'] == 0, low
    lines = low['stdout'].strip().splitlines()
    assert lines[0] == 'stdout %s' % text
    result = json.loads(lines[-1])
    return low, result


def test_each_run_has_only_its_own_warnings_and_deprecations(capfd):
    # The items of a loop and the retries of `until` run in one worker, one after the other.
    before = tuple(getattr(module_messages, name) for name in controller_run.MESSAGE_STORES)
    _low, first = run('one')
    _low, second = run('two')
    assert [message(entry) for entry in first['warnings']] == ['module one', 'UserWarning: python one']
    assert [message(entry) for entry in second['warnings']] == ['module two', 'UserWarning: python two']
    assert [message(entry) for entry in second['deprecations']] == ['deprecated two']
    assert second['name'] == 'two'
    assert tuple(getattr(module_messages, name) for name in controller_run.MESSAGE_STORES) == before
    captured = capfd.readouterr()
    assert 'one' not in captured.err + captured.out and 'two' not in captured.err + captured.out


def test_stderr_is_the_runs_own_and_the_worker_gets_its_state_back(capfd, monkeypatch):
    monkeypatch.setenv('RUNCLOUD_OUTSIDE', 'kept')
    is_controller = getattr(controller_run.module_internal, 'is_controller', None)
    showwarning = warnings.showwarning
    arguments = basic._ANSIBLE_ARGS
    low, _result = run('three', RUNCLOUD_INSIDE='task')
    assert low['stderr'] == 'stderr three\n'
    assert os.environ.get('RUNCLOUD_OUTSIDE') == 'kept' and 'RUNCLOUD_INSIDE' not in os.environ
    assert getattr(controller_run.module_internal, 'is_controller', None) == is_controller
    assert warnings.showwarning is showwarning
    assert basic._ANSIBLE_ARGS is arguments
    assert capfd.readouterr().err == ''


def test_the_task_environment_is_seen_by_the_module():
    def main():
        module = AnsibleModule(argument_spec=dict())
        module.exit_json(changed=False, seen=os.environ.get('RUNCLOUD_INSIDE'))
    low = controller_run.run_main(main, {}, dict(RUNCLOUD_INSIDE='task'))
    assert json.loads(low['stdout'].strip().splitlines()[-1])['seen'] == 'task'


def test_a_crash_leaves_its_traceback_on_stderr_and_no_result(capfd):
    def main():
        raise KeyError('boom')
    low = controller_run.run_main(main, {}, {})
    assert low['rc'] == 1 and low['stdout'] == ''
    assert 'Traceback' in low['stderr'] and "KeyError: 'boom'" in low['stderr']
    assert capfd.readouterr().err == ''


def test_the_task_environment_is_undone_after_the_module_ran(monkeypatch):
    monkeypatch.setenv('RUNCLOUD_TEST_KEPT', 'before')
    monkeypatch.setenv('RUNCLOUD_TEST_CHANGED', 'before')
    monkeypatch.delenv('RUNCLOUD_TEST_ADDED', raising=False)
    monkeypatch.delenv('RUNCLOUD_TEST_BY_MODULE', raising=False)
    saved = dict(os.environ)
    with controller_run.module_process_state(controller_run.encoded_args({}), {'RUNCLOUD_TEST_CHANGED': 'task', 'RUNCLOUD_TEST_ADDED': 1},
                                             io.StringIO(), io.StringIO()):
        assert os.environ['RUNCLOUD_TEST_CHANGED'] == 'task' and os.environ['RUNCLOUD_TEST_ADDED'] == '1'
        # What a module might do to the process's environment.
        os.environ['RUNCLOUD_TEST_KEPT'] = 'module'
        os.environ['RUNCLOUD_TEST_BY_MODULE'] = 'module'
    assert dict(os.environ) == saved


def test_an_action_plugin_file_imports_its_module_where_ansible_loads_it(monkeypatch):
    action = 'ansible_collections.runcloud.cloud.plugins.action.cron_job_info'
    module = 'ansible_collections.runcloud.cloud.plugins.modules.cron_job_info'
    monkeypatch.delitem(sys.modules, action, raising=False)
    monkeypatch.delitem(sys.modules, module, raising=False)
    importlib.import_module(action)
    assert module in sys.modules


@pytest.mark.parametrize('loop, loop_with, until, shared', [
    (None, None, [], False),
    ('{{ domains }}', None, [], True),
    (None, 'items', [], True),
    ('{{ domains }}', None, ['result is success'], False),
])
def test_only_the_items_of_a_loop_without_until_share_their_reads(loop, loop_with, until, shared):
    task = types.SimpleNamespace(loop=loop, loop_with=loop_with, until=until)
    assert controller_run.items_share_reads(task) is shared
