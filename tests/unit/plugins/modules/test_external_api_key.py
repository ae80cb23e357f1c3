# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""external_api_key: service slug in requests, humanised in answers; the secret never shown."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

from ansible_collections.runcloud.cloud.plugins.modules import external_api_key, external_api_key_info
from ansible_collections.runcloud.cloud.tests.unit.module_runner import run_module
from ansible_collections.runcloud.cloud.tests.unit.scripted_http import Exchange, absence_proof, answer, listing

KEYS = '/settings/externalapi'
SECRET = 'cf-secret-0123456789'
KEY = {'id': 28, 'label': 'dns', 'username': 'ops@example.com', 'secret': 'cf-s...', 'service': 'Cloudflare',
       'created_at': '2024-01-01 00:00:00'}
SHOWN = {'id': 28, 'label': 'dns', 'username': 'ops@example.com', 'service': 'cloudflare', 'service_name': 'Cloudflare',
         'created_at': '2024-01-01 00:00:00'}


def test_create_sends_the_slug_and_shows_no_secret(monkeypatch):
    result, session = run_module(monkeypatch, external_api_key.main,
                                 dict(label='dns', service='cloudflare', username='ops@example.com', secret=SECRET), [
                                     Exchange('GET', KEYS, listing(), query={'search': 'dns'}),
                                     absence_proof(KEYS),
                                     Exchange('POST', KEYS, answer(200, KEY), body={'label': 'dns', 'service': 'cloudflare',
                                                                                    'username': 'ops@example.com', 'secret': SECRET}),
                                 ], diff=True)
    assert result['changed'] is True
    assert result['external_api_key'] == SHOWN
    assert SECRET not in json.dumps(result) and 'cf-s' not in json.dumps(result)
    session.assert_done()


def test_humanised_service_in_the_answer_matches_the_slug(monkeypatch):
    ocean = dict(KEY, service='Digital Ocean', username=None)
    result, session = run_module(monkeypatch, external_api_key.main, dict(label='dns', service='digitalocean', secret=SECRET), [
        Exchange('GET', KEYS, listing(ocean)),
    ])
    assert result['changed'] is False
    assert result['external_api_key']['service'] == 'digitalocean'
    assert result['external_api_key']['service_name'] == 'Digital Ocean'
    session.assert_done()


def test_username_and_secret_are_patched_with_the_label(monkeypatch):
    result, session = run_module(monkeypatch, external_api_key.main,
                                 dict(label='dns', username='dns@example.com', secret=SECRET, update_secret='always'), [
                                     Exchange('GET', KEYS, listing(KEY)),
                                     Exchange('PATCH', KEYS + '/28', answer(200, dict(KEY, username='dns@example.com')),
                                              body={'label': 'dns', 'username': 'dns@example.com', 'secret': SECRET}),
                                 ], diff=True)
    assert result['changed'] is True
    assert result['diff']['after']['username'] == 'dns@example.com'
    assert SECRET not in json.dumps(result)
    session.assert_done()


def test_a_different_service_fails_naming_it(monkeypatch):
    result, session = run_module(monkeypatch, external_api_key.main, dict(label='dns', service='vultr'), [
        Exchange('GET', KEYS, listing(KEY)),
    ])
    assert result['failed'] is True
    assert 'different service' in result['msg']
    session.assert_done()


def test_cloudflare_needs_a_username_to_create(monkeypatch):
    result, session = run_module(monkeypatch, external_api_key.main, dict(label='dns', service='cloudflare', secret=SECRET), [
        Exchange('GET', KEYS, listing()),
    ])
    assert result['failed'] is True
    assert result['msg'] == "username is required to create the 3rd-party API key 'dns'"
    session.assert_done()


def test_unknown_service_fails_before_any_request(monkeypatch):
    result, session = run_module(monkeypatch, external_api_key.main, dict(label='dns', service='aws', secret=SECRET), [])
    assert result['failed'] is True
    assert 'service' in result['msg'] and 'cloudflare' in result['msg']


def test_info_lists_without_secrets(monkeypatch):
    result, session = run_module(monkeypatch, external_api_key_info.main, dict(), [
        Exchange('GET', KEYS, listing(KEY, dict(KEY, id=29, label='do', service='Digital Ocean'))),
    ])
    assert [key['service'] for key in result['external_api_keys']] == ['cloudflare', 'digitalocean']
    assert 'secret' not in json.dumps(result)
    session.assert_done()
