# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Errors of the set-up say what to check: a wrong api_url, a refused credential and where it came
from, both kinds of credentials in the environment."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.runcloud.cloud.plugins.module_utils.client import (
    RetryPolicy,
    RunCloudClient,
    choose_credentials,
    client_from_options,
)
from ansible_collections.runcloud.cloud.plugins.module_utils.errors import AuthenticationError, ConfigurationError, NotFoundError
from ansible_collections.runcloud.cloud.plugins.module_utils.module import credentials
from ansible_collections.runcloud.cloud.tests.unit.scripted_http import Exchange, ScriptedSession, answer

TOKEN = 'tok-SECRET-123'
CONNECTION = dict(validate_certs=True, api_timeout=30.0, api_retries=1, api_retry_budget=0.0)


def scripted_client(api_url, script, chosen=None):
    client = client_from_options(dict(CONNECTION, api_url=api_url), chosen or choose_credentials({'api_token': TOKEN}, {}),
                                 lambda message: None, 'test')
    client.session = ScriptedSession(api_url, script)
    return client


@pytest.mark.parametrize('api_url', ['https://manage.runcloud.io/api/v4', 'https://manage.runcloud.io',
                                     'https://manage.runcloud.io/api'])
def test_a_404_on_the_first_request_of_a_url_without_an_api_version_says_to_check_api_url(api_url):
    client = scripted_client(api_url, [Exchange('GET', '/servers', answer(404, {'message': 'Not found'}))])
    with pytest.raises(NotFoundError) as caught:
        client.get('servers')
    message = str(caught.value)
    assert message.startswith('GET /servers: HTTP 404: Not found; check api_url: it is %s' % api_url)
    assert 'ending in /api/v2' in message and 'https://manage.runcloud.io/api/v2' in message and '/api/v3 (v3)' in message


def test_a_404_on_the_first_request_of_a_right_looking_url_still_mentions_api_url():
    client = scripted_client('https://proxy.example.test/api/v2', [
        Exchange('GET', '/servers/9', answer(404, {'message': 'Server not found'}))])
    with pytest.raises(NotFoundError) as caught:
        client.get('servers/9')
    assert 'first request of this run' in str(caught.value)
    assert 'check api_url (https://proxy.example.test/api/v2)' in str(caught.value)


def test_a_404_after_the_api_answered_is_only_about_the_resource():
    client = scripted_client('https://manage.runcloud.io/api/v2', [
        Exchange('GET', '/servers', answer(200, {'data': [], 'meta': {}})),
        Exchange('GET', '/servers/9', answer(404, {'message': 'Server not found'}))])
    client.get('servers')
    with pytest.raises(NotFoundError) as caught:
        client.get('servers/9')
    assert str(caught.value) == 'GET /servers/9: HTTP 404: Server not found'


@pytest.mark.parametrize('task, environ, origin', [
    ({}, {'RUNCLOUD_API_TOKEN': TOKEN}, 'the API token (environment variable RUNCLOUD_API_TOKEN)'),
    ({'api_token': TOKEN}, {'RUNCLOUD_API_KEY': 'k', 'RUNCLOUD_API_SECRET': 's'}, 'the API token (option api_token)'),
    ({'api_key': 'key-value-42'}, {'RUNCLOUD_API_SECRET': 'pw-value-42', 'RUNCLOUD_API_TOKEN': TOKEN},
     'the API key and secret (option api_key, environment variable RUNCLOUD_API_SECRET)'),
    ({}, {'RUNCLOUD_API_KEY': 'key-value-42', 'RUNCLOUD_API_SECRET': 'pw-value-42', 'RUNCLOUD_API_TOKEN': ''},
     'the API key and secret (environment variable RUNCLOUD_API_KEY, environment variable RUNCLOUD_API_SECRET)'),
], ids=['token-from-env', 'token-option', 'pair-mixed', 'pair-from-env'])
def test_a_401_says_which_credential_was_refused_and_where_it_came_from(task, environ, origin):
    chosen = credentials(task, environ)
    client = scripted_client('https://manage.runcloud.io/api/v2',
                             [Exchange('GET', '/servers', answer(401, {'message': 'Unauthenticated.'}))], chosen)
    with pytest.raises(AuthenticationError) as caught:
        client.get('servers')
    message = str(caught.value)
    assert message.startswith('GET /servers: HTTP 401: Unauthenticated; the API did not accept %s: check that it is current' % origin)
    assert 'https://manage.runcloud.io/api/v2' in message
    assert 'value-42' not in message and TOKEN not in message


@pytest.mark.parametrize('environ, named', [
    ({'RUNCLOUD_API_TOKEN': 'stale', 'RUNCLOUD_API_KEY': 'k', 'RUNCLOUD_API_SECRET': 's'}, 'RUNCLOUD_API_KEY and RUNCLOUD_API_SECRET'),
    ({'RUNCLOUD_API_TOKEN': 'stale', 'RUNCLOUD_API_SECRET': 's'}, 'RUNCLOUD_API_SECRET'),
])
def test_both_kinds_in_the_environment_are_refused_like_both_on_the_task(environ, named):
    with pytest.raises(ConfigurationError) as caught:
        credentials({}, environ)
    message = str(caught.value)
    assert 'both kinds of credentials are set in the environment: RUNCLOUD_API_TOKEN and %s' % named in message
    assert 'stale' not in message


def test_an_option_still_beats_both_kinds_in_the_environment():
    environ = {'RUNCLOUD_API_TOKEN': 'stale', 'RUNCLOUD_API_KEY': 'k', 'RUNCLOUD_API_SECRET': 's'}
    assert credentials({'api_token': 'fresh'}, environ) == ('fresh', None, None)


def test_a_client_made_without_an_origin_still_names_the_kind():
    client = RunCloudClient(api_url='https://manage.runcloud.io/api/v2', api_key='k', api_secret='s',
                            retry_policy=RetryPolicy(max_tries=1, budget=0))
    client.session = ScriptedSession('https://manage.runcloud.io/api/v2', [
        Exchange('GET', '/ping', answer(401, {'message': 'Unauthenticated.'}))])
    with pytest.raises(AuthenticationError, match='did not accept the API key and secret: check'):
        client.get('ping')
