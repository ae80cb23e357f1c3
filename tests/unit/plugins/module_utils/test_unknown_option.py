# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""An unknown option: a "did you mean" when it is close to an option, and the list of options without
the ones the action plugin fills in (parent_ids, predicted_parents), the task's own first."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible_collections.runcloud.cloud.plugins.module_utils.module import ACTION_FILLED_OPTIONS, unsupported_options_message
from ansible_collections.runcloud.cloud.plugins.modules import database
from ansible_collections.runcloud.cloud.tests.unit.module_runner import run_module


def test_a_misspelt_option_gets_a_did_you_mean_and_the_list_leaves_out_the_action_s_options(monkeypatch):
    result, session = run_module(monkeypatch, database.main, dict(server=3, name='shop', colation='utf8mb4_unicode_ci'), [])
    assert result['failed'] is True
    message = result['msg']
    assert message.startswith('Unsupported parameters for (') and 'module: colation (did you mean collation?). ' in message, message
    listed = re.split(r'[,;:(). ]+', message.split('Supported parameters include: ', 1)[1])
    for internal in ACTION_FILLED_OPTIONS:
        assert internal not in listed, message
    assert 'Supported parameters include: collation, delete_users, name, server, state; connection: api_key, ' in message
    assert 'api_url (api_endpoint)' in message and 'resolve_cache' in listed
    assert not session.sent


def test_an_option_far_from_every_name_gets_no_guess():
    spec = dict(name=dict(), server=dict(), parent_ids=dict(), predicted_parents=dict(), api_url=dict(aliases=['api_endpoint']))
    message = unsupported_options_message(
        'Unsupported parameters for (runcloud.cloud.x) module: flavour, servr. Supported parameters include: api_url, name, '
        'parent_ids, predicted_parents, server (api_endpoint).', spec)
    assert message == ('Unsupported parameters for (runcloud.cloud.x) module: flavour, servr (did you mean server?). '
                       'Supported parameters include: name, server; connection: api_url (api_endpoint).')


def test_other_messages_and_suboption_lists_stay_as_they_are():
    spec = dict(name=dict(), parent_ids=dict(), predicted_parents=dict())
    assert unsupported_options_message('missing required arguments: name', spec) == 'missing required arguments: name'
    # A suboption's list (no action plugin options in the spec it belongs to) is ansible-core's own.
    sub = 'Unsupported parameters for (runcloud.cloud.x) module: rules.prot. Supported parameters include: port, protocol.'
    assert unsupported_options_message(sub, dict(port=dict(), protocol=dict())) == sub
    assert unsupported_options_message(sub, dict(spec, rules=dict())) == sub
