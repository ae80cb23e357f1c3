# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.runcloud.cloud.plugins.modules import system_user_info
from ansible_collections.runcloud.cloud.plugins.module_utils.naming import snake_case_keys
from ansible_collections.runcloud.cloud.tests.unit.module_runner import run_module
from ansible_collections.runcloud.cloud.tests.unit.scripted_http import Exchange, answer, listing

RUNCLOUD = {'id': 1, 'username': 'runcloud', 'deploymentKey': None, 'deleteable': False}
SHOP = {'id': 7, 'username': 'shop', 'deploymentKey': None, 'deleteable': True}


def test_all_users_of_a_server_by_name(monkeypatch):
    result, session = run_module(monkeypatch, system_user_info.main, dict(server='web'), [
        Exchange('GET', '/servers', listing({'id': 3, 'name': 'web'}), query={'search': 'web'}),
        Exchange('GET', '/servers/3/users', listing(RUNCLOUD, SHOP), query={'page': 1}),
    ])
    assert result['changed'] is False
    assert result['system_users'] == snake_case_keys([RUNCLOUD, SHOP])
    session.assert_done()


def test_one_user_by_exact_username(monkeypatch):
    result, session = run_module(monkeypatch, system_user_info.main, dict(server=3, username='shop'), [
        Exchange('GET', '/servers/3/users', listing(dict(SHOP, id=8, username='shop2'), SHOP), query={'search': 'shop'}),
    ])
    assert result['system_users'] == snake_case_keys([SHOP])
    session.assert_done()


def test_one_user_by_id(monkeypatch):
    result, session = run_module(monkeypatch, system_user_info.main, dict(server=3, id=7), [
        Exchange('GET', '/servers/3/users/7', answer(200, SHOP)),
    ])
    assert result['system_users'] == snake_case_keys([SHOP])
    session.assert_done()


def test_id_and_username_are_exclusive(monkeypatch):
    result, _session = run_module(monkeypatch, system_user_info.main, dict(server=3, id=7, username='shop'), [])
    assert result['failed'] is True
    assert 'mutually exclusive' in result['msg']
