# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""What running a module in the task's worker leaves behind, and what it finds already imported."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import importlib
import os
import sys
import types

import pytest

from ansible_collections.runcloud.cloud.plugins.plugin_utils import controller_run


def test_the_task_environment_is_undone_after_the_module_ran(monkeypatch):
    monkeypatch.setenv('RUNCLOUD_TEST_KEPT', 'before')
    monkeypatch.setenv('RUNCLOUD_TEST_CHANGED', 'before')
    monkeypatch.delenv('RUNCLOUD_TEST_ADDED', raising=False)
    monkeypatch.delenv('RUNCLOUD_TEST_BY_MODULE', raising=False)
    saved = dict(os.environ)
    with controller_run.environment({'RUNCLOUD_TEST_CHANGED': 'task', 'RUNCLOUD_TEST_ADDED': 1}):
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
