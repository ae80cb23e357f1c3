# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.runcloud.cloud.plugins.modules import ssh_key
from ansible_collections.runcloud.cloud.plugins.module_utils.naming import snake_case_keys
from ansible_collections.runcloud.cloud.tests.unit.module_runner import run_module
from ansible_collections.runcloud.cloud.tests.unit.scripted_http import Exchange, absence_proof, answer, listing

KEY_A = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIaaaa alice@laptop'
KEY_B = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIbbbb alice@desktop'
SHOP = {'id': 7, 'username': 'shop'}
DEPLOY = {'id': 8, 'username': 'deploy'}
KEY = {'id': 17, 'label': 'alice', 'user_id': 7, 'publicKey': KEY_A}


def test_create_resolves_a_user_id_to_the_name_the_api_wants(monkeypatch):
    result, session = run_module(monkeypatch, ssh_key.main, dict(server=3, label='alice', system_user=7, public_key=KEY_A + '\n'), [
        Exchange('GET', '/servers/3/sshcredentials', listing(), query={'search': 'alice'}),
        Exchange('GET', '/servers/3/users/7', answer(200, SHOP)),
        absence_proof('/servers/3/sshcredentials'),
        Exchange('POST', '/servers/3/sshcredentials', answer(200, KEY), body={'label': 'alice', 'username': 'shop', 'publicKey': KEY_A}),
    ])
    assert result['changed'] is True and result['ssh_key'] == snake_case_keys(KEY)
    session.assert_done()


def test_same_key_and_user_by_name_is_unchanged(monkeypatch):
    result, session = run_module(monkeypatch, ssh_key.main, dict(server=3, label='alice', system_user='shop', public_key=KEY_A), [
        Exchange('GET', '/servers/3/users', listing(SHOP), query={'search': 'shop'}),
        Exchange('GET', '/servers/3/sshcredentials', listing(KEY)),
    ])
    assert result['changed'] is False
    session.assert_done()


def test_same_key_and_user_by_id_costs_one_request(monkeypatch):
    result, session = run_module(monkeypatch, ssh_key.main, dict(server=3, label='alice', system_user=7, public_key=KEY_A), [
        Exchange('GET', '/servers/3/sshcredentials', listing(KEY)),
    ])
    assert result['changed'] is False and result['ssh_key'] == snake_case_keys(KEY)
    session.assert_done()


def test_a_key_of_another_user_by_id_is_replaced(monkeypatch):
    moved = dict(KEY, id=18, user_id=8)
    result, session = run_module(monkeypatch, ssh_key.main, dict(server=3, label='alice', system_user='8'), [
        Exchange('GET', '/servers/3/sshcredentials', listing(KEY)),
        Exchange('GET', '/servers/3/users/8', answer(200, DEPLOY)),
        Exchange('DELETE', '/servers/3/sshcredentials/17', answer(200, KEY)),
        Exchange('POST', '/servers/3/sshcredentials', answer(200, moved), body={'label': 'alice', 'username': 'deploy', 'publicKey': KEY_A}),
    ])
    assert result['changed'] is True and result['ssh_key'] == snake_case_keys(moved)
    session.assert_done()


def test_a_different_key_is_replaced_keeping_the_user(monkeypatch):
    replaced = dict(KEY, id=18, publicKey=KEY_B)
    result, session = run_module(monkeypatch, ssh_key.main, dict(server=3, label='alice', public_key=KEY_B), [
        Exchange('GET', '/servers/3/sshcredentials', listing(KEY)),
        Exchange('GET', '/servers/3/users/7', answer(200, SHOP)),
        Exchange('DELETE', '/servers/3/sshcredentials/17', answer(200, KEY)),
        Exchange('POST', '/servers/3/sshcredentials', answer(200, replaced), body={'label': 'alice', 'username': 'shop', 'publicKey': KEY_B}),
    ], diff=True)
    assert result['changed'] is True
    assert result['diff'] == snake_case_keys({'before': KEY, 'after': replaced})
    session.assert_done()


def test_a_different_user_is_replaced_keeping_the_key(monkeypatch):
    moved = dict(KEY, id=18, user_id=8)
    result, session = run_module(monkeypatch, ssh_key.main, dict(server=3, label='alice', system_user='deploy'), [
        Exchange('GET', '/servers/3/users', listing(DEPLOY)),
        Exchange('GET', '/servers/3/sshcredentials', listing(KEY)),
        Exchange('DELETE', '/servers/3/sshcredentials/17', answer(200, KEY)),
        Exchange('POST', '/servers/3/sshcredentials', answer(200, moved), body={'label': 'alice', 'username': 'deploy', 'publicKey': KEY_A}),
    ])
    assert result['changed'] is True and result['ssh_key'] == snake_case_keys(moved)
    session.assert_done()


def test_check_mode_replacement_writes_nothing(monkeypatch):
    result, session = run_module(monkeypatch, ssh_key.main, dict(server=3, label='alice', system_user=7, public_key=KEY_B), [
        Exchange('GET', '/servers/3/sshcredentials', listing(KEY)),
        Exchange('GET', '/servers/3/users/7', answer(200, SHOP)),
    ], check_mode=True)
    assert result['changed'] is True
    assert result['ssh_key'] == {'id': None, 'label': 'alice', 'user_id': 7, 'user': 'shop', 'temporary': False,
                                 'public_key': KEY_B, 'created_at': None}
    session.assert_done()


def test_new_key_without_public_key_fails_before_writing(monkeypatch):
    result, session = run_module(monkeypatch, ssh_key.main, dict(server=3, label='alice', system_user=7), [
        Exchange('GET', '/servers/3/sshcredentials', listing()),
    ])
    assert result['failed'] is True
    assert result['msg'] == "public_key is required to add the SSH key 'alice'"
    session.assert_done()


def test_delete_needs_no_user_lookup(monkeypatch):
    result, session = run_module(monkeypatch, ssh_key.main, dict(server=3, label='alice', system_user='shop', state='absent'), [
        Exchange('GET', '/servers/3/sshcredentials', listing(KEY)),
        Exchange('DELETE', '/servers/3/sshcredentials/17', answer(200, KEY)),
    ])
    assert result['changed'] is True and result['ssh_key'] == {}
    session.assert_done()


def test_a_key_given_by_id_is_read_without_search_and_must_carry_the_label(monkeypatch):
    result, session = run_module(monkeypatch, ssh_key.main, dict(server=3, id=17, label='alice', state='absent'), [
        Exchange('GET', '/servers/3/sshcredentials/17', answer(200, KEY)),
        Exchange('DELETE', '/servers/3/sshcredentials/17', answer(200, KEY)),
    ])
    assert result['changed'] is True
    session.assert_done()
    result, session = run_module(monkeypatch, ssh_key.main, dict(server=3, id=17, label='bob', state='absent'), [
        Exchange('GET', '/servers/3/sshcredentials/17', answer(200, KEY)),
    ])
    assert result['failed'] is True and result['msg'] == "the SSH key with id 17 has label 'alice', not 'bob'"
    session.assert_done()
