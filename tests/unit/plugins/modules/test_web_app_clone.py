# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""web_app_clone: idempotent by the clone's name on the destination; waits until the clone shows."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import requests

from ansible_collections.runcloud.cloud.plugins.modules import web_app_clone
from ansible_collections.runcloud.cloud.tests.unit.plugins.modules.test_api_v3_modules import run_v3
from ansible_collections.runcloud.cloud.tests.unit.scripted_http import Exchange, answer, listing

SHOP = {'id': 4, 'name': 'shop', 'pullKey1': 'k1', 'pullKey2': 'k2'}
COPY = {'id': 27, 'name': 'shop-copy', 'pullKey1': 'c1', 'pullKey2': 'c2'}
ACK = answer(200, {'message': 'Web application cloning will begin shortly'})
ARGS = dict(server=3, web_app='shop', name='shop-copy', domain_name='copy.example.com', owner=8)


def test_a_clone_is_requested_once_and_read_until_it_shows(monkeypatch):
    result, session = run_v3(monkeypatch, web_app_clone.main, ARGS, [
        Exchange('GET', '/servers/3/webapps', listing(SHOP)),
        Exchange('GET', '/servers/3/webapps', listing(SHOP)),
        Exchange('POST', '/servers/3/webapps/4/clone', ACK, body={'destinationName': 'shop-copy', 'domainName': 'copy.example.com', 'user': 8}),
        Exchange('GET', '/servers/3/webapps', listing(SHOP)),
        Exchange('GET', '/servers/3/webapps', listing(SHOP, COPY)),
    ])
    assert not result['failed'], result
    assert result['changed'] is True and result['web_app']['id'] == 27 and result['web_app']['server_id'] == 3
    assert 'pull_key1' not in result['web_app']
    session.assert_done()


def test_an_existing_clone_is_left_alone(monkeypatch):
    result, session = run_v3(monkeypatch, web_app_clone.main, dict(ARGS, web_app=4, target_server=5), [
        Exchange('GET', '/servers/5/webapps', listing(COPY)),
    ])
    assert not result['failed'] and result['changed'] is False and result['web_app']['server_id'] == 5
    assert result['api']['writes'] == 0
    session.assert_done()


def test_check_mode_predicts_the_clone_on_another_server(monkeypatch):
    args = dict(ARGS, web_app=4, target_server='web-02', owner='shop')
    result, session = run_v3(monkeypatch, web_app_clone.main, args, [
        Exchange('GET', '/servers', listing({'id': 5, 'name': 'web-02'})),
        Exchange('GET', '/servers/5/webapps', listing()),
        Exchange('GET', '/servers/5/users', listing({'id': 21, 'username': 'shop'})),
    ], check_mode=True)
    assert not result['failed'], result
    assert result['changed'] is True and result['web_app'] == {'id': None, 'name': 'shop-copy', 'server_id': 5}
    assert result['api']['writes'] == 0
    session.assert_done()


def test_a_lost_answer_is_never_followed_by_a_second_clone(monkeypatch):
    result, session = run_v3(monkeypatch, web_app_clone.main, dict(ARGS, web_app=4, api_timeout=2, api_retry_budget=4), [
        Exchange('GET', '/servers/3/webapps', listing(SHOP)),
        Exchange('POST', '/servers/3/webapps/4/clone', requests.exceptions.ConnectionError('connection dropped')),
    ] + [Exchange('GET', '/servers/3/webapps', listing(SHOP)) for _read in range(3)])
    assert result['failed'] and result['changed'] is True
    assert [exchange['method'] for exchange in session.sent].count('POST') == 1


def test_check_mode_under_a_predicted_source_reads_nothing_below_it(monkeypatch):
    args = dict(ARGS, server='web-09', owner='shop', predicted_parents=['server'])
    result, session = run_v3(monkeypatch, web_app_clone.main, args, [], check_mode=True)
    assert not result['failed'], result
    assert result['changed'] is True and result['web_app'] == {'id': None, 'name': 'shop-copy', 'server_id': None}
    assert session.sent == []
