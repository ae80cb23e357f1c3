# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.runcloud.cloud.plugins.modules import database_user
from ansible_collections.runcloud.cloud.tests.unit.module_runner import run_module
from ansible_collections.runcloud.cloud.tests.unit.scripted_http import Exchange, absence_proof, answer, listing

USER = {'id': 483, 'username': 'shop', 'created_at': '2024-01-01 00:00:00'}


def test_create_sends_username_and_password_once(monkeypatch):
    result, session = run_module(monkeypatch, database_user.main, dict(server=3, username='shop', password='pw-123456'), [
        Exchange('GET', '/servers/3/databaseusers', listing(), query={'search': 'shop'}),
        absence_proof('/servers/3/databaseusers'),
        Exchange('POST', '/servers/3/databaseusers', answer(200, USER), body={'username': 'shop', 'password': 'pw-123456'}),
    ])
    assert result['changed'] is True
    assert result['database_user'] == USER
    session.assert_done()


def test_create_without_password_fails_before_writing(monkeypatch):
    result, session = run_module(monkeypatch, database_user.main, dict(server=3, username='shop'), [
        Exchange('GET', '/servers/3/databaseusers', listing()),
    ])
    assert result['failed'] is True
    assert result['msg'] == "password is required to create the database user 'shop'"
    session.assert_done()


def test_existing_user_with_password_on_create_is_unchanged(monkeypatch):
    result, session = run_module(monkeypatch, database_user.main, dict(server=3, username='shop', password='other-pw'), [
        Exchange('GET', '/servers/3/databaseusers', listing(USER)),
    ])
    assert result['changed'] is False
    session.assert_done()


def test_update_password_always_patches_the_user(monkeypatch):
    result, session = run_module(monkeypatch, database_user.main,
                                 dict(server=3, username='shop', password='new-pw-1', update_password='always'), [
                                     Exchange('GET', '/servers/3/databaseusers', listing(USER)),
                                     Exchange('PATCH', '/servers/3/databaseusers/483', answer(200, USER), body={'password': 'new-pw-1'}),
                                 ], diff=True)
    assert result['changed'] is True
    assert 'password' not in result['diff']['after']
    session.assert_done()


def test_a_user_given_by_id_is_read_directly(monkeypatch):
    result, session = run_module(monkeypatch, database_user.main, dict(server=3, id=483, username='shop'), [
        Exchange('GET', '/servers/3/databaseusers/483', answer(200, USER)),
    ])
    assert result['changed'] is False
    session.assert_done()
