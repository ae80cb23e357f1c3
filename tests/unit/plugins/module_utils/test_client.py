# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import json

import pytest
import requests

from ansible_collections.runcloud.cloud.plugins.module_utils import client as client_module
from ansible_collections.runcloud.cloud.plugins.module_utils.client import (
    RetryPolicy,
    RunCloudClient,
    parse_retry_after,
)
from ansible_collections.runcloud.cloud.plugins.module_utils.errors import (
    AmbiguousMatchError,
    AuthenticationError,
    ConfigurationError,
    NotFoundError,
    RateLimitedError,
    ServerError,
    TransportError,
    ValidationError,
)
from ansible_collections.runcloud.cloud.tests.unit.scripted_http import Exchange, ScriptedSession, answer

URL = 'https://api.example.test/api/v2'
TOKEN = 'tok-SECRET-123'
KEY = 'key-SECRET-456'
SECRET = 'sec-SECRET-789'


class FakeClock:
    def __init__(self):
        self.now = 1000.0
        self.sleeps = []

    def monotonic(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps.append(round(seconds, 3))
        self.now += seconds


def make_client(script, policy=None, **kwargs):
    clock = FakeClock()
    logs = []
    options = dict(api_token=TOKEN)
    options.update(kwargs)
    client = RunCloudClient(api_url=URL, retry_policy=policy or RetryPolicy(max_tries=4, budget=60, base_delay=1, max_delay=8),
                            sleep=clock.sleep, clock=clock.monotonic, rng=lambda: 0.5, log=logs.append, **options)
    client.session = ScriptedSession(URL, script)
    return client, clock, logs


def page(items, current, total_pages, per_page=40, total=None):
    return {'data': items, 'meta': {'pagination': {
        'total': total if total is not None else len(items), 'count': len(items), 'per_page': per_page,
        'current_page': current, 'total_pages': total_pages, 'links': {}}}}


def connection_dropped():
    return requests.exceptions.ConnectionError(
        "('Connection aborted.', RemoteDisconnected('Remote end closed connection without response'))")


# -- configuration and headers -------------------------------------------------------------------

def test_bearer_token_is_sent_in_the_authorization_header_with_json_headers():
    client, _clock, _logs = make_client([Exchange('GET', '/ping', answer(200, {'message': 'pong'}))])
    assert client.ping() == {'message': 'pong'}
    sent = client.session.sent[0]
    assert sent['headers']['Authorization'] == 'Bearer ' + TOKEN
    assert sent['headers']['Accept'] == 'application/json'
    assert sent['headers']['Content-Type'] == 'application/json'
    assert sent['headers']['User-Agent'].startswith('runcloud.cloud/')
    assert sent['kwargs']['allow_redirects'] is False
    assert sent['kwargs']['timeout'][1] == 30.0
    assert TOKEN not in sent['url']


def test_basic_auth_sends_key_and_secret_as_http_basic():
    client, _clock, _logs = make_client([Exchange('GET', '/ping', answer(200, {'message': 'pong'}))],
                                        api_token=None, api_key=KEY, api_secret=SECRET)
    client.ping()
    expected = base64.b64encode(('%s:%s' % (KEY, SECRET)).encode()).decode()
    assert client.session.sent[0]['headers']['Authorization'] == 'Basic ' + expected


@pytest.mark.parametrize('options, fragment', [
    (dict(), 'no RunCloud credentials'),
    (dict(api_token='t', api_key='k', api_secret='s'), 'not both'),
    (dict(api_key='k'), 'together'),
    (dict(api_token='t', api_url='ftp://x'), 'http'),
    (dict(api_token='t', api_url='https://user:pw@host/api/v2'), 'must not contain credentials'),
])
def test_unusable_configuration_is_refused(options, fragment):
    with pytest.raises(ConfigurationError) as caught:
        RunCloudClient(**options)
    assert fragment in str(caught.value)
    assert 'pw' not in str(caught.value)


def test_a_redirect_is_an_error_not_followed():
    client, _clock, _logs = make_client([Exchange('GET', '/servers', answer(302, headers={'Location': 'https://login'}))])
    with pytest.raises(TransportError) as caught:
        client.get('servers')
    assert 'redirect' in str(caught.value)
    assert len(client.session.sent) == 1


def test_body_is_sent_as_json_even_on_delete():
    client, _clock, _logs = make_client([Exchange('DELETE', '/servers/1/databases/2', answer(200, {'id': 2}),
                                                  body={'deleteUser': True})])
    client.delete('servers/1/databases/2', body={'deleteUser': True})
    client.session.assert_done()


# -- error translation ---------------------------------------------------------------------------

@pytest.mark.parametrize('status, error_class', [
    (401, AuthenticationError), (404, NotFoundError), (501, ServerError),
])
def test_status_codes_become_typed_errors(status, error_class):
    client, _clock, _logs = make_client([Exchange('GET', '/servers/9', answer(status, {'message': 'Nope'}))])
    with pytest.raises(error_class) as caught:
        client.get('servers/9')
    assert caught.value.status == status
    assert str(caught.value).startswith('GET /servers/9: HTTP %d: Nope' % status)


def test_validation_error_carries_field_messages():
    body = {'message': 'The given data was invalid.', 'errors': {'username': ['The username has already been taken.']}}
    client, _clock, _logs = make_client([Exchange('POST', '/servers/1/users', answer(422, body))])
    with pytest.raises(ValidationError) as caught:
        client.post('servers/1/users', {'username': 'x'})
    assert caught.value.errors == body['errors']
    assert 'username: The username has already been taken.' in str(caught.value)
    assert caught.value.to_dict()['field_errors'] == body['errors']


def test_non_json_success_body_is_a_transport_error():
    client, _clock, _logs = make_client([Exchange('GET', '/ping', answer(200, raw=b'<html>'))])
    with pytest.raises(TransportError):
        client.ping()


def test_no_secret_appears_in_any_error_or_log_text():
    script = [Exchange('GET', '/servers', answer(503, {'message': 'down'})) for dummy in range(4)]
    client, _clock, logs = make_client(script, api_token=None, api_key=KEY, api_secret=SECRET)
    with pytest.raises(ServerError) as caught:
        client.get('servers')
    texts = [str(caught.value), json.dumps(caught.value.to_dict())] + logs
    encoded = base64.b64encode(('%s:%s' % (KEY, SECRET)).encode()).decode()
    for text in texts:
        for secret in (KEY, SECRET, encoded, TOKEN):
            assert secret not in text


# -- retries -------------------------------------------------------------------------------------

def test_429_is_retried_after_the_retry_after_header():
    client, clock, logs = make_client([
        Exchange('POST', '/servers/1/users', answer(429, {'message': 'Too Many Attempts.'}, {'Retry-After': '7'})),
        Exchange('POST', '/servers/1/users', answer(200, {'id': 5, 'username': 'u'})),
    ])
    assert client.post('servers/1/users', {'username': 'u'}) == {'id': 5, 'username': 'u'}
    assert clock.sleeps == [7.0]
    assert any('try 2 of 4' in line for line in logs)


def test_429_without_retry_after_uses_exponential_backoff():
    client, clock, _logs = make_client([
        Exchange('GET', '/servers', answer(429, {})),
        Exchange('GET', '/servers', answer(429, {})),
        Exchange('GET', '/servers', answer(200, page([], 1, 1))),
    ])
    client.get('servers')
    # base 1s doubling, equal jitter at rng=0.5 -> 0.75 of the ceiling
    assert clock.sleeps == [0.75, 1.5]


def test_backoff_starts_over_for_each_request():
    client, clock, _logs = make_client([Exchange('GET', '/servers', answer(200, page([], 1, 1))) for dummy in range(6)] + [
        Exchange('GET', '/servers', answer(503, {})),
        Exchange('GET', '/servers', answer(200, page([], 1, 1))),
    ])
    for dummy in range(7):
        client.get('servers')
    # The first retry of the 7th request waits like a first retry, not like the 7th.
    assert clock.sleeps == [0.75]


def test_rate_limit_gives_up_when_retry_after_exceeds_the_budget():
    client, clock, _logs = make_client([
        Exchange('GET', '/servers', answer(429, {'message': 'Too Many Attempts.'}, {'Retry-After': '600'})),
    ])
    with pytest.raises(RateLimitedError) as caught:
        client.get('servers')
    assert 'retry budget' in str(caught.value)
    assert clock.sleeps == []


def test_retries_stop_at_max_tries_and_say_so():
    script = [Exchange('GET', '/servers', answer(503, {'message': 'Service Unavailable'})) for dummy in range(4)]
    client, clock, _logs = make_client(script)
    with pytest.raises(ServerError) as caught:
        client.get('servers')
    assert caught.value.tries == 4
    assert len(clock.sleeps) == 3
    assert '[after 4 tries' in str(caught.value)


def test_budget_bounds_the_total_wait():
    script = [Exchange('GET', '/servers', answer(503, {})) for dummy in range(3)]
    client, clock, _logs = make_client(script, policy=RetryPolicy(max_tries=10, budget=2.5, base_delay=1, max_delay=8))
    with pytest.raises(ServerError) as caught:
        client.get('servers')
    assert sum(clock.sleeps) <= 2.5
    assert 'retry budget' in str(caught.value)


@pytest.mark.parametrize('method', ['GET', 'PUT', 'PATCH', 'DELETE'])
def test_idempotent_methods_are_retried_after_5xx_and_dropped_connections(method):
    client, _clock, _logs = make_client([
        Exchange(method, '/servers/1/x', answer(502, {})),
        Exchange(method, '/servers/1/x', connection_dropped()),
        Exchange(method, '/servers/1/x', requests.exceptions.ReadTimeout('read timed out')),
        Exchange(method, '/servers/1/x', answer(200, {'ok': True})),
    ])
    assert client.request(method, 'servers/1/x').data == {'ok': True}


@pytest.mark.parametrize('status', [500, 502, 503, 504, 520])
def test_every_transient_5xx_is_retried_on_a_read(status):
    client, _clock, _logs = make_client([
        Exchange('GET', '/servers', answer(status, {'message': 'boom'})),
        Exchange('GET', '/servers', answer(200, {'data': []})),
    ])
    assert client.get('servers') == {'data': []}


def test_501_is_not_retried():
    client, _clock, _logs = make_client([Exchange('GET', '/servers', answer(501, {'message': 'no'}))])
    with pytest.raises(ServerError):
        client.get('servers')
    assert len(client.session.sent) == 1


@pytest.mark.parametrize('method', ['PUT', 'PATCH'])
def test_a_state_setting_write_is_retried_after_500(method):
    client, _clock, _logs = make_client([
        Exchange(method, '/servers/1/settings/meta', answer(500, {})),
        Exchange(method, '/servers/1/settings/meta', answer(200, {'id': 1})),
    ])
    assert client.request(method, 'servers/1/settings/meta', body={'name': 'a'}).data == {'id': 1}
    assert client.writes == 1


def test_a_non_idempotent_put_is_not_repeated_after_a_lost_answer():
    client, _clock, _logs = make_client([Exchange('PUT', '/servers/1/webapps/2/git/3/script', requests.exceptions.ReadTimeout('t'))])
    with pytest.raises(TransportError) as caught:
        client.request('PUT', 'servers/1/webapps/2/git/3/script', idempotent=False)
    assert caught.value.maybe_applied
    assert 'not repeated' in str(caught.value)
    assert len(client.session.sent) == 1
    assert client.wrote


@pytest.mark.parametrize('lost', [answer(500, {}), answer(502, {}), connection_dropped(), requests.exceptions.ReadTimeout('t')],
                         ids=['500', '502', 'dropped', 'timeout'])
def test_post_with_unknown_outcome_is_not_repeated_without_a_state_check(lost):
    client, _clock, _logs = make_client([Exchange('POST', '/servers/1/users', lost)])
    with pytest.raises((TransportError, ServerError)) as caught:
        client.post('servers/1/users', {'username': 'u'})
    assert 'not repeated' in str(caught.value)
    assert caught.value.maybe_applied
    assert len(client.session.sent) == 1


def test_post_with_lost_answer_returns_what_the_state_check_found():
    client, _clock, _logs = make_client([Exchange('POST', '/servers/1/users', answer(500, {}))])
    found = {'id': 7, 'username': 'u'}
    assert client.post('servers/1/users', {'username': 'u'}, on_uncertain=lambda: found) == found
    assert len(client.session.sent) == 1


def test_state_check_waits_for_a_write_still_in_flight():
    client, clock, _logs = make_client([Exchange('POST', '/servers/1/users', requests.exceptions.ReadTimeout('t'))], timeout=10)
    reads = iter([None, None, {'id': 7}])
    assert client.post('servers/1/users', {'username': 'u'}, on_uncertain=lambda: next(reads)) == {'id': 7}
    assert clock.sleeps == [1.0, 2.0]
    assert len(client.session.sent) == 1


def test_post_is_repeated_only_after_the_state_check_window_showed_nothing():
    client, clock, _logs = make_client([
        Exchange('POST', '/servers/1/users', connection_dropped()),
        Exchange('POST', '/servers/1/users', answer(200, {'id': 8, 'username': 'u'})),
    ], timeout=5)
    checks = []
    assert client.post('servers/1/users', {'username': 'u'}, on_uncertain=lambda: checks.append(1))['id'] == 8
    # Reads at 0, 1, 3 and 5 seconds (the timeout bounds the window), then the backoff before the resend.
    assert len(checks) == 4
    assert clock.sleeps == [1.0, 2.0, 2.0, 0.75]


def test_state_check_window_is_bounded_by_the_retry_budget():
    client, clock, _logs = make_client([Exchange('POST', '/servers/1/users', answer(503, {}))],
                                       policy=RetryPolicy(max_tries=4, budget=0))
    checks = []
    with pytest.raises(ServerError):
        client.post('servers/1/users', {'username': 'u'}, on_uncertain=lambda: checks.append(1))
    assert checks == [1] and clock.sleeps == []


def test_post_that_must_not_be_resent_fails_after_the_state_check():
    client, _clock, _logs = make_client([Exchange('POST', '/servers', requests.exceptions.ReadTimeout('t'))], timeout=3)
    with pytest.raises(TransportError) as caught:
        client.post('servers', {'name': 's'}, on_uncertain=lambda: None, resend_unconfirmed=False)
    assert 'it was not sent again' in str(caught.value)
    assert caught.value.maybe_applied
    assert len(client.session.sent) == 1


def test_resend_after_an_unconfirmed_write_marks_a_later_error():
    client, _clock, _logs = make_client([
        Exchange('POST', '/servers/1/users', answer(502, {})),
        Exchange('POST', '/servers/1/users', answer(422, {'message': 'invalid', 'errors': {'username': ['taken']}})),
    ], timeout=1)
    with pytest.raises(ValidationError) as caught:
        client.post('servers/1/users', {'username': 'u'}, on_uncertain=lambda: None)
    assert caught.value.after_uncertain


def connect_failure(cause):
    return requests.exceptions.ConnectionError("HTTPSConnectionPool: Max retries exceeded (Caused by %s)" % cause)


REFUSED = "NewConnectionError('Failed to establish a new connection: [Errno 111] Connection refused')"
UNKNOWN_HOST = "NameResolutionError(\"Failed to resolve 'api.example.test'\")"


def test_post_is_retried_once_when_the_connection_was_refused():
    client, _clock, _logs = make_client([
        Exchange('POST', '/servers', connect_failure(REFUSED)),
        Exchange('POST', '/servers', answer(200, {'id': 1, 'name': 's'})),
    ])
    assert client.post('servers', {'name': 's'})['id'] == 1


@pytest.mark.parametrize('cause, reason', [(REFUSED, 'connection refused'), (UNKNOWN_HOST, 'the host name does not resolve')],
                         ids=['refused', 'unknown-host'])
def test_a_connection_failure_is_retried_only_briefly_and_names_the_url(cause, reason):
    client, clock, _logs = make_client([Exchange('GET', '/servers', connect_failure(cause)),
                                        Exchange('GET', '/servers', connect_failure(cause))])
    with pytest.raises(TransportError) as caught:
        client.get('servers')
    text = str(caught.value)
    assert URL in text and reason in text and 'api_url' in text
    assert 'Max retries' not in text
    assert sum(clock.sleeps) <= 1.0


def test_tls_failures_are_not_retried_and_say_what_to_check():
    client, _clock, _logs = make_client([Exchange('GET', '/servers', requests.exceptions.SSLError('certificate verify failed'))])
    with pytest.raises(TransportError) as caught:
        client.get('servers')
    text = str(caught.value)
    assert URL in text and 'validate_certs' in text and 'certificate verify failed' in text
    assert len(client.session.sent) == 1


def test_remaining_zero_pauses_the_next_request():
    client, clock, _logs = make_client([
        Exchange('GET', '/ping', answer(200, {'message': 'pong'}, {'X-RateLimit-Limit': '60', 'X-RateLimit-Remaining': '0',
                                                                   'X-RateLimit-Reset': '3'})),
        Exchange('GET', '/ping', answer(200, {'message': 'pong'}, {'X-RateLimit-Limit': '60', 'X-RateLimit-Remaining': '59'})),
    ])
    client.ping()
    assert client.rate_limit == {'limit': 60, 'remaining': 0}
    client.ping()
    assert clock.sleeps == [3.0]


def test_parse_retry_after_accepts_seconds_and_http_dates():
    assert parse_retry_after('12') == 12.0
    assert parse_retry_after('Wed, 21 Oct 2015 07:28:10 GMT', now=1445412480) == 10.0
    assert parse_retry_after('soon') is None


# -- lists ---------------------------------------------------------------------------------------

def test_iter_items_walks_every_page_with_per_page_40():
    client, _clock, _logs = make_client([
        Exchange('GET', '/servers', answer(200, page([{'id': 1}, {'id': 2}], 1, 3)), query={'page': 1, 'perPage': 40}),
        Exchange('GET', '/servers', answer(200, page([{'id': 3}], 2, 3)), query={'page': 2}),
        Exchange('GET', '/servers', answer(200, page([{'id': 4}], 3, 3)), query={'page': 3}),
    ])
    assert [item['id'] for item in client.iter_items('servers')] == [1, 2, 3, 4]


def test_bare_array_lists_are_accepted():
    client, _clock, _logs = make_client([Exchange('GET', '/servers/1/php/version', answer(200, ['php81rc', 'php82rc']))])
    assert list(client.iter_items('servers/1/php/version')) == ['php81rc', 'php82rc']


def test_list_all_concurrent_keeps_page_order():
    pages = dict((n, page([{'id': n}], n, 5)) for n in range(1, 6))

    class PageSession(ScriptedSession):
        def request(self, method, url, params=None, **kwargs):
            self.sent.append(params)
            return answer(200, pages[params['page']])

    client, _clock, _logs = make_client([])
    client.session = PageSession(URL, [])
    assert [item['id'] for item in client.list_all('servers', concurrency=4)] == [1, 2, 3, 4, 5]
    assert len(client.session.sent) == 5


def test_find_by_field_uses_search_and_matches_exactly():
    client, _clock, _logs = make_client([
        Exchange('GET', '/servers/1/users', answer(200, page([{'id': 1, 'username': 'shop2'}, {'id': 2, 'username': 'shop'}], 1, 1)),
                 query={'search': 'shop'}),
    ])
    assert client.find_by_field('servers/1/users', 'shop', 'username')['id'] == 2
    assert len(client.session.sent) == 1


def test_find_by_field_returns_none_when_nothing_matches_exactly():
    client, _clock, _logs = make_client([
        Exchange('GET', '/servers', answer(200, page([{'id': 1, 'name': 'web-010'}], 1, 1))),
    ])
    assert client.find_by_field('servers', 'web-01') is None


def test_two_exact_matches_ask_for_the_id():
    client, _clock, _logs = make_client([
        Exchange('GET', '/servers', answer(200, page([{'id': 1, 'name': 'web'}, {'id': 2, 'name': 'web'}], 1, 1))),
    ])
    with pytest.raises(AmbiguousMatchError) as caught:
        client.find_by_field('servers', 'web', description='server')
    assert 'give the id' in str(caught.value)
    assert '1, 2' in str(caught.value)


def test_path_quotes_values():
    assert RunCloudClient.path('servers/{server_id}/users', server_id='a/b') == 'servers/a%2Fb/users'


def test_get_many_keeps_the_order_and_retries_each_request_by_the_rules():
    client, clock, _logs = make_client([
        Exchange('GET', '/servers/4/settings/ssh', answer(429, {'message': 'Too Many Attempts.'}, {'Retry-After': '2'})),
        Exchange('GET', '/servers/4', answer(200, {'id': 4})),
        Exchange('GET', '/servers/4/settings/ssh', answer(200, {'useDns': False})),
    ])
    assert client.get_many(['servers/4/settings/ssh', 'servers/4']) == [{'useDns': False}, {'id': 4}]
    assert 2.0 in clock.sleeps
    assert client.usage()['requests'] == 3
    client.session.assert_done()


def test_concurrently_raises_the_first_failure_in_order_after_every_call_ran():
    client, _clock, _logs = make_client([
        Exchange('GET', '/servers/4', answer(200, {'id': 4})),
        Exchange('GET', '/servers/4/settings/ssh', answer(404, {'message': 'Not found'})),
        Exchange('GET', '/servers/4/services', answer(500, {'message': 'Server Error'})),
    ], policy=RetryPolicy(max_tries=1, budget=0))
    ran = []

    def read(path):
        ran.append(path)
        return client.get(path)

    with pytest.raises(NotFoundError):
        client.concurrently([lambda: read('servers/4'), lambda: read('servers/4/settings/ssh'), lambda: read('servers/4/services')])
    assert sorted(ran) == ['servers/4', 'servers/4/services', 'servers/4/settings/ssh']
    client.session.assert_done()


def test_usage_counts_every_try_and_every_write_try_but_no_secret():
    client, _clock, _logs = make_client([
        Exchange('GET', '/servers', answer(503, {'message': 'busy'})),
        Exchange('GET', '/servers', answer(200, {'data': []}, {'X-RateLimit-Limit': '60', 'X-RateLimit-Remaining': '58'})),
        Exchange('POST', '/servers', answer(422, {'message': 'The name has already been taken.'})),
        Exchange('PATCH', '/servers/4/settings/meta', answer(200, {'id': 4}, {'X-RateLimit-Limit': '60', 'X-RateLimit-Remaining': '56'})),
    ])
    client.get('servers')
    with pytest.raises(ValidationError):
        client.post('servers', {'name': 'web'})
    client.patch('servers/4/settings/meta', {'name': 'web'})
    usage = client.usage()
    assert usage == {'requests': 4, 'writes': 2, 'rate_limit': {'limit': 60, 'remaining': 56}}
    assert TOKEN not in json.dumps(usage)


# -- lists shared by the items of a looped task -----------------------------------------------------

@pytest.fixture
def shared_lists(monkeypatch):
    monkeypatch.setitem(client_module._SHARED_LISTS, 'enabled', True)
    monkeypatch.setitem(client_module._SHARED_LISTS, 'lists', {})


def users(*names, **pagination):
    return answer(200, {'data': [{'id': number, 'username': name} for number, name in enumerate(names, 1)],
                        'meta': {'pagination': dict({'total_pages': 1}, **pagination)}})


def test_loop_items_find_their_resources_in_one_read_of_the_list(shared_lists):
    client, _clock, _logs = make_client([
        Exchange('GET', '/servers/1/users', users('alice', 'bob'), query={'search': None, 'page': 1}),
    ])
    alice = client.find_by_field('servers/1/users', 'alice', 'username')
    alice['changed by the caller'] = True
    assert client.find_by_field('servers/1/users', 'bob', 'username')['id'] == 2
    assert 'changed by the caller' not in client.find_by_field('servers/1/users', 'alice', 'username')
    assert client.find_by_field('servers/1/users', 'carol', 'username') is None
    client.session.assert_done()


def test_a_write_makes_the_next_item_read_the_list_again(shared_lists):
    client, _clock, _logs = make_client([
        Exchange('GET', '/servers/1/users', users('alice'), query={'search': None}),
        Exchange('POST', '/servers/1/users', answer(200, {'id': 2, 'username': 'bob'})),
        Exchange('GET', '/servers/1/users', users('alice', 'bob'), query={'search': None}),
    ])
    assert client.find_by_field('servers/1/users', 'bob', 'username') is None
    client.post('servers/1/users', {'username': 'bob'})
    assert client.find_by_field('servers/1/users', 'bob', 'username')['id'] == 2
    client.session.assert_done()


def test_a_list_longer_than_a_page_is_searched_by_each_item(shared_lists):
    client, _clock, _logs = make_client([
        Exchange('GET', '/servers/1/users', users('alice', total_pages=3), query={'search': None}),
        Exchange('GET', '/servers/1/users', users('bob'), query={'search': 'bob'}),
        Exchange('GET', '/servers/1/users', users('carol'), query={'search': 'carol'}),
    ])
    assert client.find_by_field('servers/1/users', 'bob', 'username')['id'] == 1
    assert client.find_by_field('servers/1/users', 'carol', 'username')['id'] == 1
    client.session.assert_done()


def test_a_proof_of_absence_is_never_answered_from_a_shared_list(shared_lists):
    client, _clock, _logs = make_client([
        Exchange('GET', '/servers/1/users', users('alice'), query={'search': None}),
        Exchange('GET', '/servers/1/users', users('alice'), query={'search': None}),
    ])
    client.find_by_field('servers/1/users', 'bob', 'username')
    assert client.find_by_field('servers/1/users', 'bob', 'username', searchable=False, max_pages=25) is None
    client.session.assert_done()


def test_without_a_loop_every_find_searches():
    client, _clock, _logs = make_client([
        Exchange('GET', '/servers/1/users', users('alice'), query={'search': 'alice'}),
        Exchange('GET', '/servers/1/users', users('alice'), query={'search': 'alice'}),
    ])
    client.find_by_field('servers/1/users', 'alice', 'username')
    client.find_by_field('servers/1/users', 'alice', 'username')
    client.session.assert_done()
