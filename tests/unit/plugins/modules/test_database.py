# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.runcloud.cloud.plugins.modules import database
from ansible_collections.runcloud.cloud.tests.unit.module_runner import run_module
from ansible_collections.runcloud.cloud.tests.unit.scripted_http import Exchange, absence_proof, answer, listing

DATABASE = {'id': 87, 'name': 'shop', 'collation': 'utf8mb4_unicode_ci', 'created_at': '2024-01-01 00:00:00'}


def test_create_without_collation_sends_only_the_name(monkeypatch):
    result, session = run_module(monkeypatch, database.main, dict(server=3, name='shop'), [
        Exchange('GET', '/servers/3/databases', listing(), query={'search': 'shop'}),
        absence_proof('/servers/3/databases'),
        Exchange('POST', '/servers/3/databases', answer(200, dict(DATABASE, collation=None)), body={'name': 'shop'}),
    ])
    assert result['changed'] is True and result['database']['id'] == 87
    session.assert_done()


def test_different_collation_fails_without_writing(monkeypatch):
    result, session = run_module(monkeypatch, database.main, dict(server=3, name='shop', collation='latin1_bin'), [
        Exchange('GET', '/servers/3/databases', listing(DATABASE)),
    ])
    assert result['failed'] is True
    assert result['msg'] == ('the database %r (id 87) exists with different collation, which the API cannot change: collation is '
                             'utf8mb4_unicode_ci, the task has latin1_bin. To manage the existing database, give the task its '
                             'current collation; to make another one, give it another name.' % 'shop')
    assert result['database'] == DATABASE
    session.assert_done()


def test_same_collation_is_unchanged(monkeypatch):
    result, session = run_module(monkeypatch, database.main, dict(server=3, name='shop', collation='utf8mb4_unicode_ci'), [
        Exchange('GET', '/servers/3/databases', listing(DATABASE)),
    ])
    assert result['changed'] is False
    session.assert_done()


def test_delete_with_users_sends_delete_user(monkeypatch):
    result, session = run_module(monkeypatch, database.main, dict(server=3, name='shop', state='absent', delete_users=True), [
        Exchange('GET', '/servers/3/databases', listing(DATABASE)),
        Exchange('DELETE', '/servers/3/databases/87', answer(200, DATABASE), body={'deleteUser': True}),
    ])
    assert result['changed'] is True and result['database'] == {}
    assert session.sent[-1]['data'] == '{"deleteUser": true}'
    session.assert_done()


def test_delete_without_users_sends_no_body(monkeypatch):
    result, session = run_module(monkeypatch, database.main, dict(server=3, name='shop', state='absent'), [
        Exchange('GET', '/servers/3/databases', listing(DATABASE)),
        Exchange('DELETE', '/servers/3/databases/87', answer(200, DATABASE)),
    ])
    assert result['changed'] is True
    assert session.sent[-1]['data'] is None
