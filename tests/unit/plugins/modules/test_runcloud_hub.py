# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""runcloud_hub: install with cacheType, update with nginxCacheType; every acknowledged write read
until it shows and never sent again; RunCache through upgrade and rollback; keys never shown."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.runcloud.cloud.plugins.modules import runcloud_hub
from ansible_collections.runcloud.cloud.tests.unit.module_runner import run_module
from ansible_collections.runcloud.cloud.tests.unit.plugins.modules.test_api_v3_modules import run_v3
from ansible_collections.runcloud.cloud.tests.unit.scripted_http import Exchange, answer

HUB = '/servers/3/webapps/4/runcloudhub'
RUNCACHE = '/servers/3/webapps/4/runcache'
INSTALLED = {'id': 7, 'web_application_id': 4, 'nginxCacheType': 'native', 'cacheFolderPath': '/var/cache/nginx-rc/blog',
             'cacheFolderSize': 50, 'cacheHeaderName': 'RunCloud-SRCache', 'cacheValidMinute': 480, 'status': 'Completed',
             'apiKey': 'hub-api-key', 'apiSecret': 'hub-api-secret', 'created_at': '2026-12-07 10:00:00', 'updated_at': '2026-12-07 10:00:00'}
RUNCACHE_ON = {'id': 7, 'status': 'Completed', 'apiKey': 'hub-api-key', 'apiSecret': 'hub-api-secret', 'cacheSettings': {
    'cache_settings': {'enable': True, 'page_cache_type': 'runcloud-native'}, 'cdn_settings': {'enable': False, 'cdn_type': None},
    'object_cache_settings': {'enable': False, 'object_cache_type': None}}}
MISSING = answer(404, {'message': 'Resources not found.'})


def secrets_absent(result):
    text = repr(result)
    return 'hub-api-key' not in text and 'hub-api-secret' not in text


def test_install_sends_cache_type_once_and_reads_until_it_landed(monkeypatch):
    result, session = run_v3(monkeypatch, runcloud_hub.main, dict(server=3, web_app=4, cache_type='redis', cache_valid_minute=120,
                                                                  _ansible_diff=True), [
        Exchange('GET', HUB, MISSING),
        Exchange('GET', RUNCACHE, MISSING),
        Exchange('POST', HUB, answer(200, {'message': 'Installation will begin shortly'}),
                 body={'cacheType': 'redis', 'cacheValidMinute': 120}),
        Exchange('GET', HUB, MISSING),
        Exchange('GET', HUB, answer(200, dict(INSTALLED, nginxCacheType='redis', cacheValidMinute=120))),
    ])
    assert not result['failed'], result
    assert result['changed'] is True and result['cache_plugin'] == 'hub'
    assert result['runcloud_hub']['nginx_cache_type'] == 'redis'
    assert result['diff']['before']['cache_plugin'] is None and result['diff']['after']['cache_plugin'] == 'hub'
    assert secrets_absent(result)
    session.assert_done()


def test_update_sends_nginx_cache_type_and_waits(monkeypatch):
    result, session = run_v3(monkeypatch, runcloud_hub.main, dict(server=3, web_app=4, cache_type='redis'), [
        Exchange('GET', HUB, answer(200, INSTALLED)),
        Exchange('PATCH', HUB, answer(200, {'message': 'RunCloud Hub has been updated.'}), body={'nginxCacheType': 'redis'}),
        Exchange('GET', HUB, answer(200, dict(INSTALLED, nginxCacheType='redis'))),
    ])
    assert not result['failed'], result
    assert result['changed'] is True and result['runcloud_hub']['nginx_cache_type'] == 'redis'
    assert secrets_absent(result)
    session.assert_done()


def test_a_cache_type_read_back_in_an_unknown_spelling_is_never_a_change(monkeypatch):
    result, session = run_v3(monkeypatch, runcloud_hub.main, dict(server=3, web_app=4, cache_type='native', redis_object_cache=True), [
        Exchange('GET', HUB, answer(200, dict(INSTALLED, nginxCacheType='sr'))),
    ])
    assert not result['failed'] and result['changed'] is False
    warnings = ' '.join(result.get('warnings', []))
    assert 'nginxCacheType' in warnings and 'redisObjectCache' in warnings
    session.assert_done()


def test_check_mode_predicts_an_install_and_the_upgrade_without_writing(monkeypatch):
    result, session = run_v3(monkeypatch, runcloud_hub.main, dict(server=3, web_app=4, runcache=True), [
        Exchange('GET', HUB, MISSING),
        Exchange('GET', RUNCACHE, MISSING),
    ], check_mode=True)
    assert not result['failed'], result
    assert result['changed'] is True and result['cache_plugin'] == 'runcache'
    session.assert_done()


def test_upgrade_to_runcache_is_sent_once_then_its_settings(monkeypatch):
    result, session = run_v3(monkeypatch, runcloud_hub.main, dict(server=3, web_app=4, runcache=True, object_cache_enabled=True), [
        Exchange('GET', HUB, answer(200, INSTALLED)),
        Exchange('POST', '/servers/3/webapps/4/runcache/upgrade', answer(200, {'message': 'Installation will begin shortly'}), body={}),
        Exchange('GET', RUNCACHE, MISSING),
        Exchange('GET', RUNCACHE, answer(200, RUNCACHE_ON)),
        Exchange('PATCH', RUNCACHE, answer(200, {'message': 'Runcache has been updated.'}), body={'objectCacheEnabled': True}),
        Exchange('GET', RUNCACHE, answer(200, dict(RUNCACHE_ON, cacheSettings=dict(
            RUNCACHE_ON['cacheSettings'], object_cache_settings={'enable': True, 'object_cache_type': 'redis'})))),
    ])
    assert not result['failed'], result
    assert result['changed'] is True and result['cache_plugin'] == 'runcache'
    assert result['runcloud_hub']['cache_settings']['object_cache_settings']['enable'] is True
    assert secrets_absent(result)
    session.assert_done()


def test_an_upgrade_whose_answer_was_lost_is_not_sent_again(monkeypatch):
    result, session = run_v3(monkeypatch, runcloud_hub.main, dict(server=3, web_app=4, runcache=True), [
        Exchange('GET', HUB, answer(200, INSTALLED)),
        Exchange('POST', '/servers/3/webapps/4/runcache/upgrade', answer(502, {'message': 'Bad Gateway'})),
    ])
    assert result['failed'] and result['changed'] is True
    assert 'not repeated' in result['msg'] or 'not sent again' in result['msg'], result['msg']
    session.assert_done()


def test_runcache_in_place_changes_nothing(monkeypatch):
    result, session = run_v3(monkeypatch, runcloud_hub.main, dict(server=3, web_app=4, runcache=True, page_cache_enabled=True), [
        Exchange('GET', HUB, MISSING),
        Exchange('GET', RUNCACHE, answer(200, RUNCACHE_ON)),
    ])
    assert not result['failed'] and result['changed'] is False and result['cache_plugin'] == 'runcache'
    session.assert_done()


def test_removal_of_runcache_rolls_back_first_and_waits_for_each_step(monkeypatch):
    result, session = run_v3(monkeypatch, runcloud_hub.main, dict(server=3, web_app=4, state='absent'), [
        Exchange('GET', HUB, MISSING),
        Exchange('GET', RUNCACHE, answer(200, RUNCACHE_ON)),
        Exchange('POST', '/servers/3/webapps/4/runcache/rollback', answer(200, {'message': 'Rollback to RunCloud Hub will begin shortly'})),
        Exchange('GET', HUB, answer(200, INSTALLED)),
        Exchange('DELETE', HUB, answer(200, {'message': 'Configuration will be removed shortly'})),
        Exchange('GET', HUB, answer(200, INSTALLED)),
        Exchange('GET', HUB, MISSING),
    ])
    assert not result['failed'], result
    assert result['changed'] is True and result['cache_plugin'] is None and result['runcloud_hub'] == {}
    session.assert_done()


def test_absent_when_nothing_is_installed_changes_nothing(monkeypatch):
    result, session = run_v3(monkeypatch, runcloud_hub.main, dict(server=3, web_app=4, state='absent'), [
        Exchange('GET', HUB, MISSING),
        Exchange('GET', RUNCACHE, MISSING),
    ])
    assert not result['failed'] and result['changed'] is False
    session.assert_done()


def test_refused_on_api_v2_before_any_request(monkeypatch):
    result, session = run_module(monkeypatch, runcloud_hub.main, dict(server=3, web_app=4), [])
    assert result['failed'] and 'API v3' in result['msg']
    assert session.sent == []


def test_check_mode_predicts_the_upgrade_and_runcache_settings_without_a_warning(monkeypatch):
    result, session = run_v3(monkeypatch, runcloud_hub.main, dict(server=3, web_app=4, runcache=True, cdn_enabled=True), [
        Exchange('GET', HUB, answer(200, INSTALLED)),
    ], check_mode=True)
    assert not result['failed'], result
    assert result['changed'] is True and result['cache_plugin'] == 'runcache'
    assert result['runcloud_hub']['cache_settings']['cdn_settings'] == {'enable': True}
    assert not result.get('warnings'), result.get('warnings')
    session.assert_done()
