# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""wordpress: one create call; the fields the API reads back compared; passwords only on create and
never in a result or diff."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.runcloud.cloud.plugins.modules import wordpress
from ansible_collections.runcloud.cloud.tests.unit.module_runner import run_module
from ansible_collections.runcloud.cloud.tests.unit.plugins.modules.test_api_v3_modules import run_v3
from ansible_collections.runcloud.cloud.tests.unit.scripted_http import Exchange, answer, listing

SITE = dict(server=3, name='blog', domain_name='blog.example.com', system_user=5, php_version='php83rc', site_title='Blog',
            admin_username='editor', admin_password='admin-secret-1', admin_email='editor@example.com',
            database_name='blog', database_user='blog', database_password='db-secret-1')
APP = {'id': 12, 'server_user_id': 5, 'name': 'blog', 'rootPath': '/home/blog/webapps/blog', 'publicPath': '/home/blog/webapps/blog',
       'phpVersion': 'php83rc', 'stack': 'hybrid', 'stackMode': 'production', 'type': 'wordpress', 'defaultApp': None,
       'alias': None, 'pullKey1': 'pull-secret-1', 'pullKey2': 'pull-secret-2', 'created_at': '2026-12-07 10:00:00'}
CREATE_BODY = {'name': 'blog', 'domainName': 'blog.example.com', 'user': 5, 'phpVersion': 'php83rc', 'stack': 'hybrid',
               'stackMode': 'production', 'siteTitle': 'Blog', 'adminUsername': 'editor', 'password': 'admin-secret-1',
               'adminEmail': 'editor@example.com', 'dbName': 'blog', 'dbUser': 'blog', 'dbPassword': 'db-secret-1'}
NONE = listing()


def no_secret_in(result):
    text = repr(result)
    return not any(secret in text for secret in ('admin-secret-1', 'db-secret-1', 'pull-secret-1', 'pull-secret-2'))


def test_a_site_is_created_in_one_call_and_no_password_is_shown(monkeypatch):
    result, session = run_v3(monkeypatch, wordpress.main, dict(SITE, _ansible_diff=True), [
        Exchange('GET', '/servers/3/webapps', NONE, query={'search': 'blog'}),
        Exchange('GET', '/servers/3/webapps', NONE),
        Exchange('POST', '/servers/3/webapps/wordpress', answer(200, APP), body=CREATE_BODY),
    ])
    assert not result['failed'], result
    assert result['changed'] is True and result['wordpress']['id'] == 12 and result['wordpress']['type'] == 'wordpress'
    assert no_secret_in(result)
    assert result['resolved'][-1]['kind'] == 'web_app' and result['resolved'][-1]['id'] == 12
    session.assert_done()


def test_check_mode_predicts_the_site_without_a_write_or_a_password(monkeypatch):
    result, session = run_v3(monkeypatch, wordpress.main, dict(SITE, _ansible_diff=True), [
        Exchange('GET', '/servers/3/webapps', NONE, query={'search': 'blog'}),
    ], check_mode=True)
    assert not result['failed'], result
    assert result['changed'] is True and result['wordpress']['id'] is None and result['wordpress']['php_version'] == 'php83rc'
    assert no_secret_in(result)
    # The create makes the database too: later tasks naming it (its backup policy) take it as predicted.
    predicted = [(entry['kind'], entry['name']) for entry in result['resolved'] if entry['state'] == 'predicted']
    assert predicted == [('web_app', 'blog'), ('database', 'blog')]
    session.assert_done()


def test_an_existing_site_in_check_mode_reports_no_predicted_database(monkeypatch):
    result, _session = run_v3(monkeypatch, wordpress.main, SITE, [
        Exchange('GET', '/servers/3/webapps', listing(APP), query={'search': 'blog'}),
    ], check_mode=True)
    assert not result['failed'], result
    assert not [entry for entry in result['resolved'] if entry['kind'] == 'database']


def test_an_existing_site_with_the_same_fields_is_left_alone(monkeypatch):
    result, session = run_v3(monkeypatch, wordpress.main, SITE, [
        Exchange('GET', '/servers/3/webapps', listing(APP), query={'search': 'blog'}),
    ])
    assert not result['failed'], result
    assert result['changed'] is False and no_secret_in(result)
    assert not result.get('warnings'), result.get('warnings')
    session.assert_done()


def test_the_php_version_changes_in_place(monkeypatch):
    result, session = run_v3(monkeypatch, wordpress.main, dict(SITE, php_version='php84rc'), [
        Exchange('GET', '/servers/3/webapps', listing(APP), query={'search': 'blog'}),
        Exchange('PATCH', '/servers/3/webapps/12/settings/php', answer(200, dict(APP, phpVersion='php84rc')), body={'phpVersion': 'php84rc'}),
    ])
    assert not result['failed'], result
    assert result['changed'] is True and result['wordpress']['php_version'] == 'php84rc'
    session.assert_done()


def test_another_owner_fails_naming_the_option(monkeypatch):
    result, session = run_v3(monkeypatch, wordpress.main, dict(SITE, system_user=6), [
        Exchange('GET', '/servers/3/webapps', listing(APP), query={'search': 'blog'}),
    ])
    assert result['failed'] and 'system_user' in result['msg']
    assert [sent['method'] for sent in session.sent] == ['GET']


def test_a_web_application_that_is_not_wordpress_is_refused(monkeypatch):
    result, session = run_v3(monkeypatch, wordpress.main, SITE, [
        Exchange('GET', '/servers/3/webapps', listing(dict(APP, type='custom')), query={'search': 'blog'}),
    ])
    assert result['failed'] and 'not a WordPress site' in result['msg']
    session.assert_done()


def test_a_create_whose_answer_was_lost_is_read_back_not_sent_again(monkeypatch):
    result, session = run_v3(monkeypatch, wordpress.main, SITE, [
        Exchange('GET', '/servers/3/webapps', NONE, query={'search': 'blog'}),
        Exchange('GET', '/servers/3/webapps', NONE),
        Exchange('POST', '/servers/3/webapps/wordpress', answer(502, {'message': 'Bad Gateway'})),
        Exchange('GET', '/servers/3/webapps', listing(APP)),
    ])
    assert not result['failed'], result
    assert result['changed'] is True and result['wordpress']['id'] == 12
    assert [sent['method'] for sent in session.sent].count('POST') == 1
    session.assert_done()


def test_missing_create_options_are_named_before_any_write(monkeypatch):
    args = dict(server=3, name='blog', domain_name='blog.example.com', system_user=5)
    result, session = run_v3(monkeypatch, wordpress.main, args, [
        Exchange('GET', '/servers/3/webapps', NONE, query={'search': 'blog'}),
    ])
    assert result['failed'] and 'site_title' in result['msg'] and 'database_password' in result['msg']
    session.assert_done()


def test_refused_on_api_v2_before_any_request(monkeypatch):
    result, session = run_module(monkeypatch, wordpress.main, SITE, [])
    assert result['failed'] and 'API v3' in result['msg']
    assert session.sent == []


def test_absent_never_deletes_a_web_application_that_is_not_wordpress(monkeypatch):
    result, session = run_v3(monkeypatch, wordpress.main, dict(server=3, name='blog', state='absent'), [
        Exchange('GET', '/servers/3/webapps', listing(dict(APP, type='custom')), query={'search': 'blog'}),
    ])
    assert result['failed'] and 'not a WordPress site' in result['msg']
    assert [sent['method'] for sent in session.sent] == ['GET']


def test_absent_deletes_the_site(monkeypatch):
    result, session = run_v3(monkeypatch, wordpress.main, dict(server=3, name='blog', state='absent'), [
        Exchange('GET', '/servers/3/webapps', listing(APP), query={'search': 'blog'}),
        Exchange('DELETE', '/servers/3/webapps/12', answer(200, APP)),
    ])
    assert not result['failed'] and result['changed'] is True and result['wordpress'] == {}
    session.assert_done()
