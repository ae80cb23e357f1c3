# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.runcloud.cloud.plugins.modules import database_grant
from ansible_collections.runcloud.cloud.tests.unit.module_runner import run_module
from ansible_collections.runcloud.cloud.tests.unit.scripted_http import Exchange, answer, listing

USER = {'id': 483, 'username': 'shop', 'created_at': '2024-01-01 00:00:00'}
OTHER = {'id': 484, 'username': 'shop2', 'created_at': '2024-01-01 00:00:00'}
GRANT = {'database_id': 87, 'database_user_id': 483, 'username': 'shop'}


def test_grant_by_names_finds_by_exact_username_then_posts_the_user_id(monkeypatch):
    result, session = run_module(monkeypatch, database_grant.main, dict(server=3, database='shop', database_user='shop'), [
        Exchange('GET', '/servers/3/databases', listing({'id': 87, 'name': 'shop'}), query={'search': 'shop'}),
        Exchange('GET', '/servers/3/databaseusers', listing(USER, OTHER), query={'search': 'shop'}),
        Exchange('GET', '/servers/3/databases/87/grant', listing(OTHER), query={'search': 'shop'}),
        Exchange('POST', '/servers/3/databases/87/grant', answer(200, USER), body={'id': 483}),
    ], diff=True)
    assert result['changed'] is True
    assert result['database_grant'] == GRANT
    assert result['diff'] == {'before': {}, 'after': GRANT}
    session.assert_done()


def test_existing_grant_by_ids_is_unchanged(monkeypatch):
    result, session = run_module(monkeypatch, database_grant.main, dict(server=3, database=87, database_user='483'), [
        Exchange('GET', '/servers/3/databases/87/grant', listing(OTHER, USER)),
    ])
    assert result['changed'] is False
    assert result['database_grant'] == GRANT
    session.assert_done()


def test_revoke_sends_the_user_id_in_the_delete_body(monkeypatch):
    result, session = run_module(monkeypatch, database_grant.main, dict(server=3, database=87, database_user=483, state='absent'), [
        Exchange('GET', '/servers/3/databases/87/grant', listing(USER)),
        Exchange('DELETE', '/servers/3/databases/87/grant', answer(200, USER), body={'id': 483}),
    ])
    assert result['changed'] is True and result['database_grant'] == {}
    session.assert_done()


def test_revoke_for_a_missing_user_is_unchanged(monkeypatch):
    result, session = run_module(monkeypatch, database_grant.main, dict(server=3, database=87, database_user='gone', state='absent'), [
        Exchange('GET', '/servers/3/databaseusers', listing()),
    ])
    assert result['changed'] is False and not result['failed']
    session.assert_done()


def test_grant_for_a_missing_user_fails(monkeypatch):
    result, _session = run_module(monkeypatch, database_grant.main, dict(server=3, database=87, database_user='gone'), [
        Exchange('GET', '/servers/3/databaseusers', listing()),
        # The search found nothing: the first page of the list, for a "did you mean" (there is none).
        Exchange('GET', '/servers/3/databaseusers', listing()),
    ])
    assert result['failed'] is True and result['kind'] == 'not_found'
    assert "no database user with username 'gone'" in result['msg']


def test_check_mode_grant_writes_nothing(monkeypatch):
    result, session = run_module(monkeypatch, database_grant.main, dict(server=3, database=87, database_user=483), [
        Exchange('GET', '/servers/3/databases/87/grant', listing()),
    ], check_mode=True)
    assert result['changed'] is True
    assert result['database_grant'] == {'database_id': 87, 'database_user_id': 483, 'username': None}
    session.assert_done()
