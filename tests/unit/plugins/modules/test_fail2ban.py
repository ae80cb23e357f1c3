# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.runcloud.cloud.plugins.modules import fail2ban_info, fail2ban_unblock
from ansible_collections.runcloud.cloud.tests.unit.module_runner import run_module
from ansible_collections.runcloud.cloud.tests.unit.scripted_http import Exchange, answer, listing

BLOCKED = '/servers/3/security/fail2ban/blockedip'
UNBLOCKED = answer(200, {'message': 'IP address has been unblocked.'})


def test_info_lists_the_bare_array(monkeypatch):
    result, session = run_module(monkeypatch, fail2ban_info.main, dict(server=3), [
        Exchange('GET', BLOCKED, answer(200, ['203.0.113.9', '2001:db8::1'])),
    ])
    assert result['changed'] is False and result['blocked_ips'] == ['203.0.113.9', '2001:db8::1']
    session.assert_done()


def test_info_accepts_an_envelope_of_objects(monkeypatch):
    result, _session = run_module(monkeypatch, fail2ban_info.main, dict(server=3), [
        Exchange('GET', BLOCKED, listing({'ip': '203.0.113.9'}, {'ipAddress': '198.51.100.4'})),
    ])
    assert result['blocked_ips'] == ['203.0.113.9', '198.51.100.4']


def test_unblock_only_what_is_blocked(monkeypatch):
    result, session = run_module(monkeypatch, fail2ban_unblock.main, dict(server=3, ips=['2001:DB8:0::1', '192.0.2.1']), [
        Exchange('GET', BLOCKED, answer(200, ['203.0.113.9', '2001:db8::1'])),
        Exchange('DELETE', BLOCKED, UNBLOCKED, body={'ip': '2001:db8::1'}),
    ], diff=True)
    assert result['changed'] is True
    assert result['unblocked'] == ['2001:db8::1'] and result['blocked_ips'] == ['203.0.113.9']
    assert result['diff'] == {'before': {'blocked_ips': ['203.0.113.9', '2001:db8::1']}, 'after': {'blocked_ips': ['203.0.113.9']}}
    session.assert_done()


def test_not_blocked_is_no_change_and_one_request(monkeypatch):
    result, session = run_module(monkeypatch, fail2ban_unblock.main, dict(server=3, ips=['192.0.2.1']), [
        Exchange('GET', BLOCKED, answer(200, [])),
    ])
    assert result['changed'] is False and result['unblocked'] == []
    session.assert_done()


def test_check_mode_predicts_without_writing(monkeypatch):
    result, session = run_module(monkeypatch, fail2ban_unblock.main, dict(server=3, ips=['203.0.113.9']), [
        Exchange('GET', BLOCKED, answer(200, ['203.0.113.9'])),
    ], check_mode=True)
    assert result['changed'] is True and result['unblocked'] == ['203.0.113.9'] and result['blocked_ips'] == []
    session.assert_done()


def test_released_meanwhile_counts_as_not_blocked(monkeypatch):
    gone = answer(422, {'message': 'The given data was invalid.', 'errors': {'ip': ['The selected ip is invalid.']}})
    result, session = run_module(monkeypatch, fail2ban_unblock.main, dict(server=3, ips=['203.0.113.9']), [
        Exchange('GET', BLOCKED, answer(200, ['203.0.113.9'])),
        Exchange('DELETE', BLOCKED, gone),
    ])
    assert result['changed'] is False and result['unblocked'] == []
    session.assert_done()


def test_bad_addresses_fail_before_any_request(monkeypatch):
    result, session = run_module(monkeypatch, fail2ban_unblock.main, dict(server='web-01', ips=['203.0.113.9', '10.0.0.0/8', 'host']), [])
    assert result['failed'] is True
    assert result['msg'] == "ips must hold only an IPv4 or IPv6 address without a prefix (203.0.113.9, 2001:db8::1); not: '10.0.0.0/8', 'host'"
    session.assert_done()
