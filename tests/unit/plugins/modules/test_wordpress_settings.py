# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""wordpress_settings: only the groups the task sets are read; a write that API v3 only acknowledges
is followed by reads until it shows, never sent again."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.runcloud.cloud.plugins.modules import wordpress_settings
from ansible_collections.runcloud.cloud.tests.unit.module_runner import run_module
from ansible_collections.runcloud.cloud.tests.unit.plugins.modules.test_api_v3_modules import run_v3
from ansible_collections.runcloud.cloud.tests.unit.scripted_http import Exchange, answer

GENERAL = '/servers/3/webapps/4/wordpress/general'
CONFIG = '/servers/3/webapps/4/wordpress/config'
ACK = answer(200, {'message': 'Changes will be updated shortly'})


def test_settings_that_match_are_read_once_and_left_alone(monkeypatch):
    result, session = run_v3(monkeypatch, wordpress_settings.main, dict(
        server=3, web_app=4, home='https://blog.example.com/', disable_wp_cron=True), [
        Exchange('GET', GENERAL, answer(200, {'home': 'https://blog.example.com', 'siteurl': 'https://blog.example.com'})),
        Exchange('GET', CONFIG, answer(200, {'disableWpCron': 1, 'wpDebug': False})),
    ])
    assert not result['failed'], result
    assert result['changed'] is False
    assert result['wordpress_settings']['config'] == {'disable_wp_cron': 1, 'wp_debug': False}
    assert [sent['method'] for sent in session.sent] == ['GET', 'GET']
    session.assert_done()


def test_a_change_is_sent_once_and_read_until_it_landed(monkeypatch):
    before = {'disableWpCron': False, 'wpDebug': False}
    result, session = run_v3(monkeypatch, wordpress_settings.main, dict(server=3, web_app=4, wp_debug=True), [
        Exchange('GET', CONFIG, answer(200, before)),
        Exchange('PATCH', CONFIG, ACK, body={'wpDebug': True}),
        Exchange('GET', CONFIG, answer(200, before)),
        Exchange('GET', CONFIG, answer(200, dict(before, wpDebug=True))),
    ])
    assert not result['failed'], result
    assert result['changed'] is True and result['wordpress_settings']['config']['wp_debug'] is True
    session.assert_done()


def test_a_change_that_does_not_land_in_time_fails_without_sending_it_again(monkeypatch):
    before = {'home': 'http://blog.example.com', 'siteurl': 'http://blog.example.com'}
    result, session = run_v3(monkeypatch, wordpress_settings.main, dict(
        server=3, web_app=4, home='https://blog.example.com', wait_timeout=1), [
        Exchange('GET', GENERAL, answer(200, before)),
        Exchange('PATCH', GENERAL, ACK, body={'home': 'https://blog.example.com'}),
        Exchange('GET', GENERAL, answer(200, before)),
        Exchange('GET', GENERAL, answer(200, before)),
    ])
    assert result['failed'] and result['changed'] is True
    assert 'was not sent again' in result['msg'] and 'wait_timeout' in result['msg']
    assert [sent['method'] for sent in session.sent].count('PATCH') == 1
    session.assert_done()


def test_check_mode_predicts_without_writing_and_diff_shows_the_change(monkeypatch):
    result, session = run_v3(monkeypatch, wordpress_settings.main, dict(
        server=3, web_app=4, site_url='https://blog.example.com', _ansible_diff=True), [
        Exchange('GET', GENERAL, answer(200, {'home': 'http://blog.example.com', 'siteurl': 'http://blog.example.com'})),
    ], check_mode=True)
    assert result['changed'] is True
    assert result['diff']['before']['general']['siteurl'] == 'http://blog.example.com'
    assert result['diff']['after']['general']['siteurl'] == 'https://blog.example.com'
    session.assert_done()


def test_an_unreadable_flag_is_unknown_never_a_change(monkeypatch):
    result, session = run_v3(monkeypatch, wordpress_settings.main, dict(server=3, web_app=4, wp_debug=True), [
        Exchange('GET', CONFIG, answer(200, {'disableWpCron': False})),
    ])
    assert not result['failed'] and result['changed'] is False
    assert any('wpDebug' in warning for warning in result.get('warnings', [])), result
    session.assert_done()


def test_refused_on_api_v2_before_any_request(monkeypatch):
    result, session = run_module(monkeypatch, wordpress_settings.main, dict(server=3, web_app=4, wp_debug=True), [])
    assert result['failed'] and 'API v3' in result['msg']
    assert session.sent == []
