# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""API v3 in the client: chosen by api_url, Bearer only, the token's expiry read locally, a 401
that names its three causes, links.next, and the monthly quota told apart from the rate limit.
Each rule is tested with scripted answers and against the simulator's /api/v3."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import json
import os
import sys
import time

import pytest

from ansible_collections.runcloud.cloud.plugins.module_utils.client import (
    RetryPolicy,
    RunCloudClient,
    token_expiry,
)
from ansible_collections.runcloud.cloud.plugins.module_utils.errors import (
    AuthenticationError,
    ConfigurationError,
    QuotaExceededError,
)
from ansible_collections.runcloud.cloud.tests.unit.scripted_http import Exchange, ScriptedSession, answer

TESTS_DIR = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
sys.path.insert(0, os.path.join(TESTS_DIR, 'simulator'))

from runcloud_sim import Simulator  # noqa: E402  pylint: disable=wrong-import-position

from ansible_collections.runcloud.cloud.tests.unit.module_runner import sim_control as control  # noqa: E402  pylint: disable=wrong-import-position

V3_URL = 'https://manage.runcloud.io/api/v3'
NOW = 1800000000


def jwt(payload):
    def part(data):
        return base64.urlsafe_b64encode(json.dumps(data).encode('utf-8')).decode('ascii').rstrip('=')
    return '%s.%s.%s' % (part({'alg': 'HS256', 'typ': 'JWT'}), part(payload), 'c2lnbmF0dXJl')


VALID_TOKEN = jwt({'workspace_id': 1, 'exp': NOW + 90 * 86400})


def scripted(script, api_url=V3_URL, token=VALID_TOKEN, **kwargs):
    client = RunCloudClient(api_url=api_url, api_token=token, retry_policy=RetryPolicy(max_tries=3, budget=10.0),
                            sleep=lambda seconds: None, now=lambda: NOW, **kwargs)
    client.session = ScriptedSession(api_url, script)
    return client


def test_the_version_comes_from_api_url():
    assert scripted([], api_url='https://manage.runcloud.io/api/v2').api_version == 2
    assert scripted([]).api_version == 3
    assert RunCloudClient(api_token='t').api_version == 2  # the default stays v2


def test_key_and_secret_are_refused_on_v3_before_any_request():
    with pytest.raises(ConfigurationError) as caught:
        RunCloudClient(api_url=V3_URL, api_key='key-SECRET', api_secret='secret-SECRET')
    message = str(caught.value)
    assert 'api_key and api_secret' in message and 'Bearer token' in message and 'api_token' in message
    assert 'SECRET' not in message
    # The same pair stays valid on v2.
    assert RunCloudClient(api_url='https://manage.runcloud.io/api/v2', api_key='k', api_secret='s').api_version == 2


def test_the_token_expiry_is_read_from_the_jwt_payload():
    assert token_expiry(jwt({'exp': 1234})) == 1234
    for not_a_jwt in ('runcloud-sim-token', 'a.b', 'a.!!!.c', jwt({'sub': 1}), jwt({'exp': 'soon'}), jwt([1, 2]), None):
        assert token_expiry(not_a_jwt) is None


def test_an_expired_token_fails_before_any_request_and_says_when():
    token = jwt({'exp': NOW - 3600})
    with pytest.raises(ConfigurationError) as caught:
        scripted([], token=token)
    message = str(caught.value)
    assert 'expired on 2027-01-15 07:00 UTC' in message and 'nothing was sent' in message
    assert token not in message and token.split('.')[1] not in message
    assert 'API Management' in message


def test_a_token_expiring_within_seven_days_is_a_warning():
    soon = scripted([], token=jwt({'exp': NOW + 2 * 86400}))
    assert len(soon.warnings) == 1 and 'expires on 2027-01-17 08:00 UTC (in 2.0 days)' in soon.warnings[0]
    assert scripted([], token=jwt({'exp': NOW + 8 * 86400})).warnings == []
    assert scripted([], token='not-a-jwt').warnings == []


def test_a_401_on_v3_names_the_three_causes():
    client = scripted([Exchange('GET', '/servers', answer(401, {'message': 'Invalid API Token.'}))])
    with pytest.raises(AuthenticationError) as caught:
        client.get('servers')
    message = str(caught.value)
    for cause in ('token is wrong', 'expired', 'allow-list'):
        assert cause in message
    assert VALID_TOKEN not in message


def test_pages_are_followed_by_links_next_with_per_page_40():
    def page(items, next_url):
        return answer(200, {'data': items, 'meta': {'pagination': {'links': {'next': next_url} if next_url else {}}}})
    client = scripted([
        Exchange('GET', r'/servers\?.*', page([{'id': 1}], V3_URL + '/servers?page=2'), query={'page': 1, 'perPage': 40}),
        # The next link's own query is sent as it is (a string), with perPage=40 kept.
        Exchange('GET', r'/servers\?.*', page([{'id': 2}], None), query={'page': '2', 'perPage': 40}),
    ])
    client.session.request = _with_query(client.session.request)
    assert [item['id'] for item in client.iter_items('servers')] == [1, 2]
    client.session.assert_done()


def _with_query(request):
    """ScriptedSession matches paths; put the query in the URL so the script can see it."""
    def send(method, url, params=None, **kwargs):
        return request(method, url + '?' + '&'.join('%s=%s' % item for item in sorted((params or {}).items())), params=params, **kwargs)
    return send


def test_a_spent_quota_is_not_retried_and_says_where_usage_is_shown():
    quota = answer(429, {'message': 'You have used your monthly API quota. All API requests are blocked until your quota resets.'},
                   {'X-RateLimit-Limit': '60', 'X-RateLimit-Remaining': '59'})
    client = scripted([Exchange('GET', '/servers', quota)])
    with pytest.raises(QuotaExceededError) as caught:
        client.get('servers')
    assert caught.value.tries == 1 and client.request_count == 1
    assert 'monthly API call quota' in str(caught.value) and 'not retried' in str(caught.value)
    assert 'Workspace > Settings > API Management' in str(caught.value)


def test_the_rate_limit_is_still_retried():
    limited = answer(429, {'message': 'Too Many Attempts.'}, {'Retry-After': '1', 'X-RateLimit-Remaining': '0'})
    client = scripted([Exchange('GET', '/servers', limited), Exchange('GET', '/servers', answer(200, {'id': 1}))])
    assert client.get('servers') == {'id': 1}


def test_moved_paths_reach_their_v3_place():
    client = scripted([Exchange('GET', '/servers/7/ssh/credentials/3', answer(200, {'id': 3}))])
    assert client.get('servers/7/sshcredentials/3') == {'id': 3}


# -- against the simulator ----------------------------------------------------------------------

@pytest.fixture(name='sim', scope='module')
def fixture_sim():
    with Simulator(token='v2-token') as simulator:
        yield simulator


def sim_client(sim, token, **kwargs):
    return RunCloudClient(api_url=sim.url_v3, api_token=token, retry_policy=RetryPolicy(max_tries=3, budget=5.0), **kwargs)


def requests_logged(sim):
    return control(sim, 'GET', '/requests')['counters']['total']


def test_simulator_v3_lists_and_moved_paths(sim):
    control(sim, 'POST', '/reset')
    server_id = control(sim, 'POST', '/seed', {'servers': 45})['servers'][0]
    client = sim_client(sim, sim.token_v3)
    assert len(client.list_all('servers')) == 45
    assert isinstance(client.list_all('servers/%d/sshcredentials' % server_id), list)


def test_simulator_v3_expired_token_sends_nothing(sim):
    control(sim, 'POST', '/reset')
    expired = sim.mint_token(int(time.time()) - 60)
    with pytest.raises(ConfigurationError, match='expired on'):
        sim_client(sim, expired)
    assert requests_logged(sim) == 0


def test_simulator_v3_address_not_allowed_names_the_causes(sim):
    control(sim, 'POST', '/reset')
    control(sim, 'POST', '/v3', {'allowed_ips': ['192.0.2.1']})
    with pytest.raises(AuthenticationError, match='allow-list'):
        sim_client(sim, sim.token_v3).get('servers')


def test_simulator_v3_spent_quota_is_one_request(sim):
    control(sim, 'POST', '/reset')
    control(sim, 'POST', '/v3', {'monthly_quota': 5, 'quota_used': 5})
    client = sim_client(sim, sim.token_v3)
    with pytest.raises(QuotaExceededError, match='API Management'):
        client.get('servers')
    assert client.request_count == 1


def test_an_accepted_values_note_names_the_path_v3_was_asked():
    from ansible_collections.runcloud.cloud.plugins.module_utils.choices import accepted_values_note
    client = scripted([Exchange('GET', '/static/databases/collations/mariadb', answer(200, ['utf8mb4_unicode_ci']))])
    assert accepted_values_note(client, 'static/databases/collations', 'utf8') == (
        'accepted values (GET static/databases/collations/mariadb): utf8mb4_unicode_ci')
