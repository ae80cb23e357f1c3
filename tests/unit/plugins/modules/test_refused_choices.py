# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Choices the API refuses: a PHP version written as '8.2' is refused before any request with the
name RunCloud uses; a 422 about a PHP version or a collation shows the accepted values."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.runcloud.cloud.plugins.module_utils.choices import names_in, php_version_problem
from ansible_collections.runcloud.cloud.plugins.modules import database, server, web_app
from ansible_collections.runcloud.cloud.tests.unit.module_runner import run_module
from ansible_collections.runcloud.cloud.tests.unit.scripted_http import Exchange, absence_proof, answer, listing

APP = {'id': 9, 'server_user_id': 7, 'name': 'shop', 'phpVersion': 'php82rc', 'stack': 'hybrid', 'stackMode': 'production'}
REFUSED = {'message': 'The given data was invalid.', 'errors': {}}


def refused(field, text):
    return answer(422, dict(REFUSED, errors={field: [text]}))


@pytest.mark.parametrize('written, name', [('8.2', 'php82rc'), ('php8.2', 'php82rc'), ('PHP 7.4', 'php74rc'), ('81', 'php81rc'),
                                           ('8.3.4', 'php83rc'), ('php80', 'php80rc')])
def test_a_php_version_written_as_people_say_it_gets_runclouds_name(written, name):
    assert 'write it as %s' % name in php_version_problem('php_version', written)


@pytest.mark.parametrize('value', ['php82rc', 'php100rc', 'nodejs', None])
def test_runcloud_names_and_unknown_forms_are_left_to_the_api(value):
    assert php_version_problem('php_version', value) is None


def test_web_app_refuses_8_2_before_any_request(monkeypatch):
    result, session = run_module(monkeypatch, web_app.main, dict(server=3, name='shop', php_version='8.2'), [])
    assert result['failed'] is True
    assert result['msg'].startswith("php_version '8.2' is not a RunCloud PHP version name: write it as php82rc")
    session.assert_done()


def test_server_refuses_a_php_cli_version_written_as_a_number(monkeypatch):
    result, session = run_module(monkeypatch, server.main, dict(name='web', php_cli_version='8.1'), [])
    assert result['failed'] is True
    assert "php_cli_version '8.1' is not a RunCloud PHP version name: write it as php81rc" in result['msg']
    session.assert_done()


def test_a_refused_php_version_shows_the_versions_of_the_server(monkeypatch):
    result, session = run_module(monkeypatch, web_app.main, dict(server=3, name='shop', php_version='php84rc'), [
        Exchange('GET', '/servers/3/webapps', listing(APP)),
        Exchange('PATCH', '/servers/3/webapps/9/settings/php', refused('phpVersion', 'The selected phpVersion is invalid.'),
                 body={'phpVersion': 'php84rc'}),
        Exchange('GET', '/servers/3/php/version', answer(200, ['php74rc', 'php81rc', 'php82rc', 'php83rc'])),
    ])
    assert result['failed'] is True
    messages = result['field_errors']['php_version']
    assert messages[0] == 'The selected php_version is invalid.'
    assert messages[1].startswith('accepted values (GET servers/3/php/version): php83rc, php82rc, php81rc')
    assert 'php74rc' in messages[1]
    assert 'accepted values' in result['msg']
    session.assert_done()


def test_a_refused_collation_shows_the_closest_accepted_ones_first(monkeypatch):
    collations = ['armscii8_bin', 'latin1_swedish_ci', 'utf8mb4_general_ci', 'utf8mb4_unicode_ci', 'utf8_general_ci']
    result, session = run_module(monkeypatch, database.main, dict(server=3, name='shop', collation='utf8mb4_unicod_ci'), [
        Exchange('GET', '/servers/3/databases', listing(), query={'search': 'shop'}),
        absence_proof('/servers/3/databases'),
        Exchange('POST', '/servers/3/databases', refused('collation', 'The selected collation is invalid.'),
                 body={'name': 'shop', 'collation': 'utf8mb4_unicod_ci'}),
        # Not made by a run beside this one meanwhile: the refusal stands.
        absence_proof('/servers/3/databases'),
        Exchange('GET', '/static/databases/collations', answer(200, collations)),
    ])
    assert result['failed'] is True
    assert result['field_errors']['collation'][1].startswith(
        'accepted values (GET static/databases/collations): utf8mb4_unicode_ci, utf8mb4_general_ci')
    session.assert_done()


def test_an_unreadable_list_leaves_the_api_message_alone(monkeypatch):
    result, session = run_module(monkeypatch, database.main, dict(server=3, name='shop', collation='klingon_ci'), [
        Exchange('GET', '/servers/3/databases', listing(), query={'search': 'shop'}),
        absence_proof('/servers/3/databases'),
        Exchange('POST', '/servers/3/databases', refused('collation', 'The selected collation is invalid.'),
                 body={'name': 'shop', 'collation': 'klingon_ci'}),
        # Not made by a run beside this one meanwhile: the refusal stands.
        absence_proof('/servers/3/databases'),
        Exchange('GET', '/static/databases/collations', answer(500, {'message': 'Server Error'})),
    ])
    assert result['failed'] is True
    assert result['field_errors'] == {'collation': ['The selected collation is invalid.']}
    session.assert_done()


@pytest.mark.parametrize('answer_body, names', [
    (['a', 'b', ''], {'a', 'b'}),
    ([{'name': 'a'}, {'collation': 'b'}], {'a', 'b'}),
    ({'data': ['a']}, {'a'}),
    ({'utf8': 'utf8_general_ci'}, {'utf8', 'utf8_general_ci'}),
    ('unexpected', set()),
])
def test_list_answers_of_any_shape_give_their_names(answer_body, names):
    assert names_in(answer_body) == names
