# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""wordpress_staging: create once and read until it exists; settings the API cannot read back sent on
create only (or always, on request); push never repeated after an unknown outcome; absent deletes the copy."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.runcloud.cloud.plugins.modules import wordpress_staging
from ansible_collections.runcloud.cloud.tests.unit.module_runner import run_module
from ansible_collections.runcloud.cloud.tests.unit.plugins.modules.test_api_v3_modules import run_v3
from ansible_collections.runcloud.cloud.tests.unit.scripted_http import Exchange, answer

STAGING = '/servers/3/webapps/4/wordpress/staging'
PUSH = STAGING + '/push'
COPY = {'id': 13, 'server_user_id': 5, 'name': 'blog-staging', 'rootPath': '/home/blog/webapps/blog-staging', 'phpVersion': 'php83rc',
        'stack': 'hybrid', 'stackMode': 'production', 'type': 'wordpress', 'pullKey1': 'pull-secret-1', 'created_at': '2026-12-07 10:00:00'}
MISSING = answer(404, {'message': 'Resources not found.'})
ARGS = dict(server=3, web_app=4, url='staging.blog.example.com', enable_auth=True, auth_username='preview', auth_password='preview-secret')


def test_create_is_sent_once_and_read_until_the_copy_exists(monkeypatch):
    result, session = run_v3(monkeypatch, wordpress_staging.main, dict(ARGS, _ansible_diff=True), [
        Exchange('GET', STAGING, MISSING),
        Exchange('POST', STAGING, answer(200, {}), body={'url': 'staging.blog.example.com', 'enableAuth': True, 'username': 'preview',
                                                         'password': 'preview-secret'}),
        Exchange('GET', STAGING, MISSING),
        Exchange('GET', STAGING, answer(200, COPY)),
    ])
    assert not result['failed'], result
    assert result['changed'] is True and result['staging']['id'] == 13 and result['pushed'] is False
    assert 'preview-secret' not in repr(result) and 'pull-secret-1' not in repr(result)
    session.assert_done()


def test_an_existing_copy_is_left_alone_without_a_warning(monkeypatch):
    result, session = run_v3(monkeypatch, wordpress_staging.main, ARGS, [Exchange('GET', STAGING, answer(200, COPY))])
    assert not result['failed'] and result['changed'] is False
    assert not result.get('warnings'), result.get('warnings')
    session.assert_done()


def test_settings_are_sent_to_an_existing_copy_only_when_asked(monkeypatch):
    result, session = run_v3(monkeypatch, wordpress_staging.main, dict(ARGS, enable_cache=True, update_settings='always'), [
        Exchange('GET', STAGING, answer(200, COPY)),
        Exchange('PATCH', STAGING, answer(200, {'enableCache': True, 'enableAuth': True, 'username': 'preview'}),
                 body={'enableCache': True, 'enableAuth': True, 'username': 'preview', 'password': 'preview-secret'}),
    ])
    assert not result['failed'], result
    assert result['changed'] is True and 'preview-secret' not in repr(result)
    session.assert_done()


def test_push_is_sent_once_with_the_tables(monkeypatch):
    result, session = run_v3(monkeypatch, wordpress_staging.main, dict(server=3, web_app=4, push=True, push_tables=['wp_posts']), [
        Exchange('GET', STAGING, answer(200, COPY)),
        Exchange('PATCH', PUSH, answer(200, {}), body={'syncTable': ['wp_posts']}),
    ])
    assert not result['failed'], result
    assert result['changed'] is True and result['pushed'] is True
    session.assert_done()


def test_a_push_whose_outcome_is_unknown_fails_and_is_not_sent_again(monkeypatch):
    result, session = run_v3(monkeypatch, wordpress_staging.main, dict(server=3, web_app=4, push=True), [
        Exchange('GET', STAGING, answer(200, COPY)),
        Exchange('PATCH', PUSH, answer(503, {'message': 'Service Unavailable'})),
    ], )
    assert result['failed'] and result['changed'] is True
    assert 'may have been applied' in result['msg'] and 'not sent again' in result['msg']
    assert [sent['method'] for sent in session.sent].count('PATCH') == 1
    session.assert_done()


def test_push_in_check_mode_writes_nothing(monkeypatch):
    result, session = run_v3(monkeypatch, wordpress_staging.main, dict(server=3, web_app=4, push=True), [
        Exchange('GET', STAGING, answer(200, COPY)),
    ], check_mode=True)
    assert result['changed'] is True and result['pushed'] is True
    session.assert_done()


def test_absent_deletes_the_staging_web_application(monkeypatch):
    result, session = run_v3(monkeypatch, wordpress_staging.main, dict(server=3, web_app=4, state='absent'), [
        Exchange('GET', STAGING, answer(200, COPY)),
        Exchange('DELETE', '/servers/3/webapps/13', answer(200, COPY)),
    ])
    assert not result['failed'], result
    assert result['changed'] is True and result['staging'] == {}
    session.assert_done()


def test_refused_on_api_v2_before_any_request(monkeypatch):
    result, session = run_module(monkeypatch, wordpress_staging.main, ARGS, [])
    assert result['failed'] and 'API v3' in result['msg']
    assert session.sent == []


def test_absent_never_deletes_the_live_site(monkeypatch):
    result, session = run_v3(monkeypatch, wordpress_staging.main, dict(server=3, web_app=4, state='absent'), [
        Exchange('GET', STAGING, answer(200, dict(COPY, id=4))),
    ])
    assert result['failed'] and 'nothing was deleted' in result['msg']
    assert [sent['method'] for sent in session.sent] == ['GET']
