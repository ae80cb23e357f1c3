# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Run a module's ``main()`` in-process with given arguments and a scripted HTTP session.

Works on ansible-core 2.16 to 2.22: from 2.19 on, module arguments also need a serialization
profile, which ``patch_module_args`` sets where it exists.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import contextlib
import json

from ansible.module_utils import basic

from ansible_collections.runcloud.cloud.plugins.module_utils import client as client_module
from ansible_collections.runcloud.cloud.tests.unit.scripted_http import ScriptedSession

try:
    from ansible.module_utils.testing import patch_module_args
except ImportError:  # ansible-core < 2.19
    patch_module_args = None

API_URL = 'https://api.example.test/api/v2'


class ModuleExit(Exception):
    def __init__(self, result, failed):
        super(ModuleExit, self).__init__(result.get('msg', ''))
        self.result = result
        self.failed = failed


@contextlib.contextmanager
def module_args(args):
    if patch_module_args is not None:
        with patch_module_args(args):
            yield
        return
    saved = basic._ANSIBLE_ARGS
    basic._ANSIBLE_ARGS = json.dumps({'ANSIBLE_MODULE_ARGS': args}).encode('utf-8')
    try:
        yield
    finally:
        basic._ANSIBLE_ARGS = saved


def run_module(monkeypatch, module_main, args, script, check_mode=False, diff=False, extra_args=None):
    """Run the module; return (result, session). ``result['failed']`` tells whether it failed.

    Retries are off (``api_retry_budget=0``) unless ``extra_args`` sets a budget; waits never sleep.
    """
    session = ScriptedSession(API_URL, script)
    full_args = dict(api_url=API_URL, api_token='unit-test-token', api_retry_budget=0)
    full_args.update(args)
    full_args.update(extra_args or {})
    return run_module_with_args(monkeypatch, module_main, full_args, session, check_mode, diff), session


def run_module_against(monkeypatch, module_main, args, api_url, api_token, check_mode=False, diff=False):
    """Run the module against a live API (the simulator); return the result."""
    full_args = dict(api_url=api_url, api_token=api_token, api_retry_budget=0)
    full_args.update(args)
    return run_module_with_args(monkeypatch, module_main, full_args, None, check_mode, diff)


def sim_control(sim, method, path, body=None):
    """A call of the simulator's control API (``/__sim__`` + ``path``) that must succeed; its answer's body."""
    reply = sim.handle_control(method, path, json.dumps(body) if body is not None else '')
    assert reply.status == 200, reply.body
    return reply.body


def run_module_with_args(monkeypatch, module_main, full_args, session, check_mode, diff):
    if check_mode:
        full_args['_ansible_check_mode'] = True
    if diff:
        full_args['_ansible_diff'] = True

    def fake_exit(self, **result):
        raise ModuleExit(result, False)

    def fake_fail(self, msg, **result):
        result['msg'] = msg
        raise ModuleExit(result, True)

    monkeypatch.setattr(basic.AnsibleModule, 'exit_json', fake_exit)
    monkeypatch.setattr(basic.AnsibleModule, 'fail_json', fake_fail)
    # Where AnsibleModule.warn() ends up depends on the ansible-core version and on what the test
    # process imported before: record the run's warnings here instead.
    warnings = []
    monkeypatch.setattr(basic.AnsibleModule, 'warn', lambda self, warning: warnings.append(warning))
    if session is not None:
        original_init = client_module.RunCloudClient.__init__

        def init_with_script(self, *a, **kw):
            original_init(self, *a, **kw)
            self.session = session
            self._sleep = lambda seconds: None

        monkeypatch.setattr(client_module.RunCloudClient, '__init__', init_with_script)
    with module_args(full_args):
        try:
            module_main()
        except ModuleExit as outcome:
            outcome.result['failed'] = outcome.failed
            outcome.result['warnings'] = warnings
            return outcome.result
    raise AssertionError('the module returned without exit_json or fail_json')
