# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import importlib
import os

import pytest
import yaml

from ansible_collections.runcloud.cloud.plugins.plugin_utils.action import ActionModule

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..', '..', '..'))
# Action plugins of their own, not the modules' shared one.
OWN_ACTIONS = ('account_export',)
MODULES = sorted(name[:-3] for name in os.listdir(os.path.join(ROOT, 'plugins', 'modules'))
                 if name.endswith('.py') and not name.startswith('_') and name[:-3] not in OWN_ACTIONS)


@pytest.mark.parametrize('module', MODULES)
def test_every_module_runs_through_the_one_action_plugin(module):
    plugin = importlib.import_module('ansible_collections.runcloud.cloud.plugins.action.%s' % module)
    assert plugin.ActionModule is ActionModule


def test_no_module_is_routed_to_another_name():
    # A redirect would make ansible-lint and antsibull-docs take every module for runcloud.cloud.server.
    with open(os.path.join(ROOT, 'meta', 'runtime.yml')) as handle:
        runtime = yaml.safe_load(handle)
    assert 'action' not in (runtime.get('plugin_routing') or {})
