# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The client reads lists in every shape the reference allows, and refuses connection settings
that must never reach the network, with the option named."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.runcloud.cloud.plugins.module_utils.client import RunCloudClient, ca_bundle
from ansible_collections.runcloud.cloud.plugins.module_utils.errors import ConfigurationError, TransportError, ValidationError
from ansible_collections.runcloud.cloud.tests.unit.plugins.module_utils.test_client import URL, make_client
from ansible_collections.runcloud.cloud.tests.unit.scripted_http import Exchange, answer


def ids(count, start=1):
    return [{'id': number} for number in range(start, start + count)]


def test_without_pagination_block_full_pages_are_followed_until_a_short_one():
    client, _clock, _logs = make_client([
        Exchange('GET', '/servers', answer(200, {'data': ids(40)}), query={'page': 1}),
        Exchange('GET', '/servers', answer(200, {'data': ids(40, 41)}), query={'page': 2}),
        Exchange('GET', '/servers', answer(200, {'data': ids(20, 81)}), query={'page': 3}),
    ])
    assert len(list(client.iter_items('servers'))) == 100
    client.session.assert_done()


def test_a_server_page_size_of_15_is_followed_until_an_empty_page():
    client, _clock, _logs = make_client([
        Exchange('GET', '/servers', answer(200, ids(15)), query={'page': 1, 'perPage': 40}),
        Exchange('GET', '/servers', answer(200, ids(15, 16)), query={'page': 2}),
        Exchange('GET', '/servers', answer(200, []), query={'page': 3}),
    ])
    assert len(client.list_all('servers', concurrency=4)) == 30
    client.session.assert_done()


def test_laravel_pagination_blocks_are_read():
    client, _clock, _logs = make_client([
        Exchange('GET', '/servers', answer(200, {'data': ids(2), 'meta': {'current_page': 1, 'last_page': 2}}), query={'page': 1}),
        Exchange('GET', '/servers', answer(200, {'data': ids(1, 3), 'meta': {'current_page': 2, 'last_page': 2}}), query={'page': 2}),
    ])
    assert len(list(client.iter_items('servers'))) == 3
    client = make_client([
        Exchange('GET', '/servers', answer(200, {'data': ids(2), 'lastPage': 2})),
        Exchange('GET', '/servers', answer(200, {'data': ids(1, 3), 'lastPage': 2})),
    ])[0]
    assert len(client.list_all('servers', concurrency=2)) == 3


def test_an_endpoint_that_ignores_page_is_read_once():
    client, _clock, _logs = make_client([
        Exchange('GET', '/static/timezones', answer(200, ['Zone/%02d' % n for n in range(15)])),
        Exchange('GET', '/static/timezones', answer(200, ['Zone/%02d' % n for n in range(15)])),
    ])
    assert len(list(client.iter_items('static/timezones'))) == 15
    client.session.assert_done()


def test_reaching_the_page_limit_is_an_error_not_a_short_list():
    client, _clock, _logs = make_client([
        Exchange('GET', '/servers', answer(200, ids(40))),
        Exchange('GET', '/servers', answer(200, ids(40, 41))),
    ])
    with pytest.raises(TransportError, match='more than 2 pages'):
        list(client.iter_items('servers', max_pages=2))


@pytest.mark.parametrize('value', [float('nan'), float('inf'), 1e300, 0, -1, 'soon'])
def test_api_timeout_outside_its_range_is_refused(value):
    with pytest.raises(ConfigurationError, match=r'^api_timeout must be a number between 0.1 and 3600'):
        RunCloudClient(api_url=URL, api_token='t', timeout=value)


@pytest.mark.parametrize('credential', ['tok en', 'tok\nen', 'tok\x00', u'tok\u2014en', u'tok\u00e9'])
def test_credentials_that_cannot_travel_in_a_header_are_refused_without_echo(credential):
    with pytest.raises(ConfigurationError) as caught:
        RunCloudClient(api_url=URL, api_token=credential)
    assert str(caught.value).startswith('api_token ') and credential not in str(caught.value)
    with pytest.raises(ConfigurationError, match='^api_secret '):
        RunCloudClient(api_url=URL, api_key='key', api_secret=credential)


@pytest.mark.parametrize('url, message', [
    ('https://example.test/' + 'a' * 3000, 'at most 2048'),
    ('https://exa mple.test/api/v2', 'whitespace'),
    ('https://example.test:99999/api/v2', 'not a valid URL'),
    ('https://[::1/api/v2', 'not a valid URL'),
    ('ftp://example.test', 'http:// or https://'),
])
def test_api_url_is_checked(url, message):
    with pytest.raises(ConfigurationError, match=message):
        RunCloudClient(api_url=url, api_token='t')


def test_ca_path_wins_over_the_environment_which_falls_back_in_order(tmp_path):
    first, second, third = (tmp_path / name for name in ('a.pem', 'b.pem', 'c.pem'))
    for path in (first, second, third):
        path.write_text('x')
    environ = {'REQUESTS_CA_BUNDLE': '', 'CURL_CA_BUNDLE': str(second), 'SSL_CERT_FILE': str(third)}
    assert ca_bundle(str(first), environ) == str(first)
    assert ca_bundle(None, environ) == str(second)
    assert ca_bundle(None, {'SSL_CERT_FILE': str(third)}) == str(third)
    assert ca_bundle(None, {}) is None
    with pytest.raises(ConfigurationError, match='^ca_path names a CA bundle that does not exist'):
        ca_bundle(str(tmp_path / 'missing.pem'), {})
    with pytest.raises(ConfigurationError, match='^SSL_CERT_FILE names'):
        ca_bundle(None, {'SSL_CERT_FILE': str(tmp_path / 'missing.pem')})


def test_json_bodies_go_through_requests_json():
    client, _clock, _logs = make_client([Exchange('POST', '/servers', answer(200, {'id': 1}), body={'name': 'web'})])
    client.post('servers', {'name': 'web'})
    assert 'json' not in client.session.sent[0]['kwargs'] and client.session.sent[0]['data'] == '{"name": "web"}'


def links_page(items, following):
    return {'data': items, 'links': {'prev': None, 'next': following}}


def test_lists_paged_only_by_links_next_are_followed_to_the_end():
    # The API's own page size (20) ignores perPage=40 and says nothing but links.next; the link's query
    # is sent on the list's own path, never to the host the link names.
    client, _clock, _logs = make_client([
        Exchange('GET', '/servers', answer(200, links_page(ids(20), 'http://internal.invalid/api/v2/servers?page=2&perPage=20')),
                 query={'page': 1, 'perPage': 40}),
        Exchange('GET', '/servers', answer(200, links_page(ids(4, 21), None)), query={'page': '2', 'perPage': '20'}),
    ])
    assert [server['id'] for server in client.list_all('servers', concurrency=4)] == list(range(1, 25))
    client.session.assert_done()


def test_fractal_links_in_the_pagination_block_are_followed():
    client, _clock, _logs = make_client([
        Exchange('GET', '/servers', answer(200, {'data': ids(20), 'meta': {'pagination': {'links': {'next': '/servers?page=2'}}}})),
        Exchange('GET', '/servers', answer(200, {'data': ids(20, 21), 'meta': {'pagination': {'links': {'previous': '/servers?page=1'}}}}),
                 query={'page': '2'}),
    ])
    assert len(list(client.iter_items('servers'))) == 40
    client.session.assert_done()


def test_a_first_page_as_long_as_the_api_page_size_of_20_reads_on():
    client, _clock, _logs = make_client([
        Exchange('GET', '/servers', answer(200, {'data': ids(20)}), query={'page': 1}),
        Exchange('GET', '/servers', answer(200, {'data': ids(4, 21)}), query={'page': 2}),
    ])
    assert len(list(client.iter_items('servers'))) == 24
    client.session.assert_done()


def test_a_short_page_without_count_nor_link_ends_the_list():
    client, _clock, _logs = make_client([Exchange('GET', '/servers', answer(200, {'data': ids(17)}), query={'page': 1})])
    assert len(list(client.iter_items('servers'))) == 17
    client.session.assert_done()


def test_single_objects_are_unwrapped_and_read_by_the_value_model():
    client, _clock, _logs = make_client([
        Exchange('GET', '/servers/4', answer(200, {'data': {'id': '4', 'connected': '0', 'phpCLIVersion': '8.2', 'stack': 'NGINX'}})),
        Exchange('GET', '/servers/4/installationscript', answer(200, {'data': {'script': 'echo hi'}})),
        Exchange('GET', '/servers', answer(200, {'data': [{'id': '4', 'online': 'false'}], 'meta': {'pagination': {'total_pages': '1'}}})),
    ])
    assert client.get('servers/4') == {'id': 4, 'connected': False, 'phpCLIVersion': 'php82rc', 'stack': 'nginx'}
    assert client.get('servers/4/installationscript') == {'script': 'echo hi'}
    assert client.list_all('servers') == [{'id': 4, 'online': False}]


@pytest.mark.parametrize('body', [
    {'message': 'The given data was invalid.', 'errors': {'name': ['The name has already been taken.']}},
    {'message': 'The given data was invalid.', 'errors': ['The name has already been taken.']},
    {'message': 'The given data was invalid.', 'errors': 'The name has already been taken.'},
    {'errors': ['The name has already been taken.']},
    ['The name has already been taken.'],
    'The name has already been taken.',
])
def test_the_api_detail_of_a_422_is_kept_whatever_its_shape(body):
    client, _clock, _logs = make_client([Exchange('POST', '/servers', answer(422, body))])
    with pytest.raises(ValidationError) as caught:
        client.post('servers', {'name': 'web-01'})
    assert 'The name has already been taken.' in str(caught.value)
    assert str(caught.value).count('The name has already been taken.') == 1
