# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The runcloud.cloud.fleet event source: change detection (plain snapshots), its reads against the
simulator (request cost, incomplete lists, secrets) and its asyncio loop through API faults."""

import asyncio
import datetime
import json
import os
import sys

import pytest

from ansible_collections.runcloud.cloud.extensions.eda.plugins.event_source import fleet
from ansible_collections.runcloud.cloud.plugins.module_utils.errors import ConfigurationError, ServerError

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), 'simulator'))

from runcloud_sim import Simulator  # noqa: E402  pylint: disable=wrong-import-position
import sim_v3_variants  # noqa: E402  pylint: disable=wrong-import-position
import sim_variants  # noqa: E402  pylint: disable=wrong-import-position

NOW = datetime.datetime(2030, 1, 10, 12, 0, 0, tzinfo=datetime.timezone.utc)
TOKEN = 'eda-unit-token'


def settings(**overrides):
    args = dict(api_token='t', api_url='http://127.0.0.1:1/api/v2', load_threshold=4)
    args.update(overrides)
    return fleet.settings_from(args, {})


def server(server_id, name=None, connected=True, online=True, disk=None, memory=None, load=None, apps=None, certificates=None):
    record = dict(id=server_id, name=name or 'web-%02d' % server_id, ip_address='192.0.2.%d' % server_id,
                  connected=connected, online=online, health=dict(disk=disk, memory=memory, load=load))
    if apps is not None:
        record['web_apps'] = apps
        record['certificates'] = certificates or {}
    return record


def snapshot(*servers, complete=True, slow=None):
    if slow is None:
        slow = any('web_apps' in record for record in servers)
    return dict(servers=dict((record['id'], record) for record in servers), servers_complete=complete, slow=slow)


def certificate(valid_until, ssl_id=7):
    return dict(present=True, ssl_id=ssl_id, method='letsencrypt', valid_until=valid_until)


def types(events):
    return [(event['type'], event['server_id'], event['web_app_id']) for event in events]


def later(**delta):
    return NOW + datetime.timedelta(**delta)


# -- change detection ---------------------------------------------------------------------------

def test_first_poll_is_the_baseline_and_an_unchanged_account_emits_nothing():
    watcher = fleet.FleetWatcher(settings())
    account = snapshot(server(1, disk=95.0, apps={10: 'shop'}, certificates={10: certificate('2030-01-12 00:00:00')}), server(2))
    assert watcher.observe(account, NOW) == []
    for minute in range(1, 11):
        assert watcher.observe(snapshot(server(1, disk=95.0), server(2)), later(minutes=minute)) == []


def test_initial_events_describe_the_account_as_new():
    watcher = fleet.FleetWatcher(settings(initial_events=True))
    account = snapshot(server(1, disk=95.0, apps={10: 'shop'}, certificates={10: certificate('2030-01-12 00:00:00')}))
    assert types(watcher.observe(account, NOW)) == [
        ('server_added', 1, None), ('disk_high', 1, None), ('web_app_added', 1, 10), ('ssl_expiring', 1, 10)]


def test_every_server_change_is_one_event_with_the_documented_shape():
    watcher = fleet.FleetWatcher(settings())
    watcher.observe(snapshot(server(1, connected=False, online=False), server(2)), NOW)
    events = watcher.observe(snapshot(server(1, name='web-01-new'), server(3)), later(minutes=1))
    assert types(events) == [('server_renamed', 1, None), ('server_connected', 1, None), ('server_online', 1, None),
                             ('server_added', 3, None), ('server_removed', 2, None)]
    for event in events:
        assert set(event) == {'type', 'server_id', 'server_name', 'web_app_id', 'web_app_name', 'before', 'after', 'detected_at'}
        assert event['detected_at'] == '2030-01-10T12:01:00Z'
    assert events[0]['before'] == {'name': 'web-01'} and events[0]['after'] == {'name': 'web-01-new'}
    assert (events[1]['before'], events[1]['after'], events[1]['server_name']) == ({'connected': False}, {'connected': True}, 'web-01-new')
    assert events[3]['after'] == {'name': 'web-03', 'ip_address': '192.0.2.3', 'connected': True, 'online': True}
    assert events[4]['before']['name'] == 'web-02' and events[4]['after'] is None
    back = watcher.observe(snapshot(server(1, name='web-01-new', connected=False, online=False), server(3)), later(minutes=2))
    assert types(back) == [('server_disconnected', 1, None), ('server_offline', 1, None)]


def test_a_missing_field_is_unknown_never_a_change():
    watcher = fleet.FleetWatcher(settings())
    watcher.observe(snapshot(server(1)), NOW)
    assert watcher.observe(snapshot(server(1, name=None, connected=None, online=None)), later(minutes=1)) == []
    assert watcher.servers[1]['connected'] is True and watcher.servers[1]['name'] == 'web-01'
    assert types(watcher.observe(snapshot(server(1, online=False)), later(minutes=2))) == [('server_offline', 1, None)]


def test_an_incomplete_server_list_removes_nobody():
    watcher = fleet.FleetWatcher(settings())
    watcher.observe(snapshot(server(1), server(2)), NOW)
    assert watcher.observe(snapshot(server(1), complete=False), later(minutes=1)) == []
    assert set(watcher.servers) == {1, 2}


def test_thresholds_fire_once_each_way_with_hysteresis():
    watcher = fleet.FleetWatcher(settings(hysteresis=2))
    watcher.observe(snapshot(server(1, disk=80.0, memory=50.0, load=1.0)), NOW)
    high = watcher.observe(snapshot(server(1, disk=91.0, memory=95.0, load=6.0)), later(minutes=1))
    assert types(high) == [('disk_high', 1, None), ('memory_high', 1, None), ('load_high', 1, None)]
    assert high[0]['before'] == {'value': 80.0, 'level': 'normal', 'threshold': 90.0, 'unit': 'percent'}
    assert high[0]['after'] == {'value': 91.0, 'level': 'high', 'threshold': 90.0, 'unit': 'percent'}
    assert high[2]['after']['unit'] == 'load'
    assert watcher.observe(snapshot(server(1, disk=93.0, memory=89.0, load=5.0)), later(minutes=2)) == []
    assert types(watcher.observe(snapshot(server(1, disk=87.5, memory=88.0, load=1.9)), later(minutes=3))) == [
        ('disk_normal', 1, None), ('memory_normal', 1, None), ('load_normal', 1, None)]
    # A server that reports no sample (disconnected, or no answer) keeps its levels.
    assert watcher.observe(snapshot(server(1)), later(minutes=4)) == []


def test_a_threshold_of_zero_is_off():
    watcher = fleet.FleetWatcher(settings(disk_threshold=0, load_threshold=0))
    watcher.observe(snapshot(server(1, disk=10.0, load=0.1)), NOW)
    assert watcher.observe(snapshot(server(1, disk=99.0, load=50.0)), later(minutes=1)) == []


def test_web_apps_change_only_when_they_were_read():
    watcher = fleet.FleetWatcher(settings())
    watcher.observe(snapshot(server(1, apps={10: 'shop', 11: 'blog'})), NOW)
    assert watcher.observe(snapshot(server(1)), later(minutes=1)) == []  # a fast poll: apps not read
    events = watcher.observe(snapshot(server(1, apps={10: 'shop', 12: 'wiki'})), later(minutes=15))
    assert types(events) == [('web_app_added', 1, 12), ('web_app_removed', 1, 11)]
    assert (events[0]['web_app_name'], events[0]['after']) == ('wiki', {'name': 'wiki'})
    assert (events[1]['web_app_name'], events[1]['before'], events[1]['after']) == ('blog', {'name': 'blog'}, None)
    # Apps that could not be read (None) are unknown.
    unknown = server(1)
    unknown['web_apps'] = None
    assert watcher.observe(snapshot(unknown, slow=True), later(minutes=30)) == []


def test_certificates_expire_by_time_and_are_renewed_once():
    watcher = fleet.FleetWatcher(settings(ssl_expiry_days=14))
    watcher.observe(snapshot(server(1, apps={10: 'shop'}, certificates={10: certificate('2030-01-30 00:00:00')})), NOW)
    assert watcher.observe(snapshot(server(1)), later(days=1)) == []
    # Five days later it is within 14 days of expiry, without any new read of the certificate.
    expiring = watcher.observe(snapshot(server(1)), later(days=6))
    assert types(expiring) == [('ssl_expiring', 1, 10)]
    assert expiring[0]['web_app_name'] == 'shop'
    assert expiring[0]['after'] == {'level': 'expiring', 'ssl_id': 7, 'method': 'letsencrypt', 'valid_until': '2030-01-30 00:00:00',
                                    'days_left': 13}
    assert expiring[0]['before']['level'] == 'valid'
    assert watcher.observe(snapshot(server(1, apps={10: 'shop'}, certificates={10: certificate('2030-01-30 00:00:00')})), later(days=7)) == []
    renewed = watcher.observe(snapshot(server(1, apps={10: 'shop'}, certificates={10: certificate('2030-04-16 00:00:00')})), later(days=8))
    assert types(renewed) == [('ssl_renewed', 1, 10)]
    assert renewed[0]['before']['level'] == 'expiring' and renewed[0]['after']['level'] == 'valid'


def test_a_certificate_date_that_cannot_be_read_changes_nothing():
    watcher = fleet.FleetWatcher(settings())
    watcher.observe(snapshot(server(1, apps={10: 'shop'}, certificates={10: certificate('2030-06-01 00:00:00')})), NOW)
    assert watcher.observe(snapshot(server(1, apps={10: 'shop'}, certificates={10: certificate('soon')})), later(days=1)) == []
    assert watcher.servers[1]['certificates'][10]['valid_until'] == '2030-06-01 00:00:00'
    assert watcher.observe(snapshot(server(1, apps={10: 'shop'}, certificates={10: dict(present=False)})), later(days=2)) == []


def test_an_outage_is_one_event_and_changes_nothing():
    watcher = fleet.FleetWatcher(settings(interval=10, max_backoff=60))
    watcher.observe(snapshot(server(1), server(2)), NOW)
    error = ServerError('Service Unavailable', 'GET', '/servers', 503)
    first = watcher.poll_failed(error, later(minutes=1))
    assert types(first) == [('api_unreachable', None, None)]
    assert first[0]['after'] == {'error': str(error), 'error_kind': 'ServerError', 'status': 503, 'since': '2030-01-10T12:01:00Z',
                                 'failed_polls': 1}
    assert [watcher.backoff()] == [20]
    assert watcher.poll_failed(error, later(minutes=2)) == [] and watcher.backoff() == 40
    assert watcher.poll_failed(TimeoutError('no answer'), later(minutes=3)) == [] and watcher.backoff() == 60
    assert set(watcher.servers) == {1, 2}
    recovered = watcher.observe(snapshot(server(1), server(2)), later(minutes=4))
    assert types(recovered) == [('api_recovered', None, None)]
    assert recovered[0]['before'] == {'since': '2030-01-10T12:01:00Z', 'failed_polls': 3}
    assert recovered[0]['after'] == {'down_seconds': 180.0}
    assert watcher.backoff() == 10


def test_an_unexpected_error_is_reported_without_its_text():
    watcher = fleet.FleetWatcher(settings())
    event = watcher.poll_failed(KeyError('token=secret'), NOW)[0]
    assert 'secret' not in json.dumps(event) and event['after']['error'] == 'unexpected KeyError while reading the account'


# -- reading answers ----------------------------------------------------------------------------

def test_health_values_accept_what_the_api_may_send():
    sample = {'totalDiskSpace': 1000, 'usedDiskSpace': '950', 'totalMemory': 2000.0, 'availableMemory': 500, 'loadAverage': '0.5'}
    assert fleet.health_values(sample) == {'disk': 95.0, 'memory': 75.0, 'load': 0.5}
    assert fleet.health_values({'totalDiskSpace': 0, 'usedDiskSpace': 1, 'loadAverage': True}) == {'disk': None, 'memory': None, 'load': None}
    assert fleet.health_values({'totalDiskSpace': 'NaN', 'usedMemory': -1, 'totalMemory': 10}) == {'disk': None, 'memory': None, 'load': None}
    assert fleet.health_values(['not', 'a', 'sample']) == {'disk': None, 'memory': None, 'load': None}


@pytest.mark.parametrize('text, expected', [
    ('2030-01-30 10:20:30', datetime.datetime(2030, 1, 30, 10, 20, 30, tzinfo=datetime.timezone.utc)),
    ('2030-01-30T10:20:30Z', datetime.datetime(2030, 1, 30, 10, 20, 30, tzinfo=datetime.timezone.utc)),
    ('2030-01-30T12:20:30+02:00', datetime.datetime(2030, 1, 30, 10, 20, 30, tzinfo=datetime.timezone.utc)),
    ('2030-01-30', datetime.datetime(2030, 1, 30, tzinfo=datetime.timezone.utc)),
    ('in 3 days', None), ('', None), (None, None), (20300130, None),
])
def test_certificate_dates(text, expected):
    assert fleet.parse_timestamp(text) == expected


def test_certificate_records_keep_nothing_secret():
    answer = {'id': 7, 'method': 'letsencrypt', 'validUntil': '2030-01-30 00:00:00', 'privateKey': '-----BEGIN PRIVATE KEY-----',
              'certificate': '-----BEGIN CERTIFICATE-----'}
    assert fleet.certificate_record(answer) == certificate('2030-01-30 00:00:00')
    assert fleet.certificate_record({'message': 'SSL not installed!'}) == {'present': False}
    assert fleet.certificate_record('SSL not installed!') is None


class PagedClient:
    """Pages of a list endpoint as a fake client hands them out."""

    def __init__(self, pages, total):
        self.pages = pages
        self.total = total

    def get_page(self, path, page=1, per_page=40, params=None):
        pagination = dict(total=self.total, total_pages=len(self.pages), current_page=page)
        return list(self.pages[page - 1]), pagination


def test_a_list_that_does_not_add_up_is_incomplete():
    full = PagedClient([[{'id': 1}, {'id': 2}], [{'id': 3}]], total=3)
    assert [item['id'] for item in fleet.read_list(full, 'servers')] == [1, 2, 3]
    with pytest.raises(fleet.IncompleteAnswer, match='returned 2 items where the API announced 3'):
        fleet.read_list(PagedClient([[{'id': 1}, {'id': 2}], []], total=3), 'servers')
    with pytest.raises(fleet.IncompleteAnswer, match='an item twice'):
        fleet.read_list(PagedClient([[{'id': 1}, {'id': 2}], [{'id': 2}]], total=3), 'servers')


def test_settings_follow_the_modules_rules():
    environ = {'RUNCLOUD_API_TOKEN': 'env-token', 'RUNCLOUD_API_URL': '', 'RUNCLOUD_API_RETRIES': '2', 'RUNCLOUD_VALIDATE_CERTS': 'no'}
    got = fleet.settings_from({'interval': '5'}, environ)
    assert (got['api_token'], got['api_url'], got['api_retries'], got['validate_certs'], got['interval']) == (
        'env-token', 'https://manage.runcloud.io/api/v2', 2, False, 5.0)
    assert fleet.settings_from({'api_key': 'k', 'api_secret': 's'}, environ)['api_token'] is None
    with pytest.raises(ConfigurationError, match='RUNCLOUD_API_RETRIES must be a whole number'):
        fleet.settings_from({}, {'RUNCLOUD_API_TOKEN': 't', 'RUNCLOUD_API_RETRIES': 'many'})
    with pytest.raises(ConfigurationError, match='interval must be at least 0.1'):
        fleet.settings_from({'interval': 0}, environ)
    with pytest.raises(ConfigurationError, match='disk_threshold is a percentage'):
        fleet.settings_from({'disk_threshold': 120}, environ)
    with pytest.raises(ConfigurationError, match='unknown option'):
        fleet.settings_from({'intervall': 5}, environ)
    with pytest.raises(ConfigurationError, match='initial_events must be a boolean'):
        fleet.settings_from({'initial_events': 'maybe'}, environ)


# -- against the simulator ----------------------------------------------------------------------

@pytest.fixture(name='sim', scope='module')
def fixture_sim():
    simulator = Simulator(token=TOKEN)
    simulator.start()
    yield simulator
    simulator.stop()


def control(sim, method, path, body=None):
    answer = sim.handle_control(method, path, json.dumps(body) if body is not None else '')
    assert answer.status == 200, answer.body
    return answer.body


def sim_settings(sim, **overrides):
    args = dict(api_url=sim.url, api_token=TOKEN, api_retries=1, concurrency=2)
    args.update(overrides)
    return fleet.settings_from(args, {})


def test_a_poll_costs_what_the_documentation_says(sim):
    control(sim, 'POST', '/reset')
    ids = control(sim, 'POST', '/seed', {'servers': 42, 'fixtures': True})['servers']
    control(sim, 'POST', '/servers/%d/state' % ids[0], {'connected': False, 'online': False})
    current = sim_settings(sim)
    client = fleet.create_client(current)
    control(sim, 'DELETE', '/requests')
    fast = fleet.read_snapshot(client, current, read_slow=False)
    # 2 pages of servers, the health of the 41 connected servers.
    assert control(sim, 'GET', '/requests')['counters']['total'] == 2 + 41
    assert len(fast['servers']) == 42 and fast['servers_complete'] and not fast['slow']
    control(sim, 'DELETE', '/requests')
    slow = fleet.read_snapshot(client, current, read_slow=True)
    # ... plus one page of web apps per server and one certificate read per web app (one each here).
    assert control(sim, 'GET', '/requests')['counters']['total'] == 2 + 41 + 42 + 42
    assert all(record['web_apps'] and len(record['certificates']) == 1 for record in slow['servers'].values())


def test_events_hold_no_secret(sim):
    control(sim, 'POST', '/reset')
    server_id = control(sim, 'POST', '/seed', {'servers': 1, 'fixtures': True})['servers'][0]
    state = control(sim, 'GET', '/state')
    app_id = int(next(iter(state['servers'][str(server_id)]['_webapps'])))
    current = sim_settings(sim, initial_events=True, ssl_expiry_days=100)
    client = fleet.create_client(current)
    client.post('servers/%d/webapps/%d/ssl' % (server_id, app_id),
                {'provider': 'letsencrypt', 'enableHttp': False, 'enableHsts': True, 'authorizationMethod': 'http-01'})
    events = fleet.FleetWatcher(current).observe(fleet.read_snapshot(client, current, True), fleet._now())
    assert ('ssl_expiring', server_id, app_id) in types(events)
    text = json.dumps(events)
    app = state['servers'][str(server_id)]['_webapps'][str(app_id)]
    for secret in (TOKEN, app['pullKey1'], app['pullKey2'], 'PRIVATE KEY', 'BEGIN CERTIFICATE'):
        assert secret not in text


def test_a_detail_that_vanished_is_unknown_but_a_failing_one_fails_the_poll(sim):
    control(sim, 'POST', '/reset')
    ids = control(sim, 'POST', '/seed', {'servers': 2})['servers']
    current = sim_settings(sim, web_apps=False)
    client = fleet.create_client(current)
    control(sim, 'POST', '/faults', {'rules': [{'path': '^/servers/%d/health/latest$' % ids[1], 'action': 'status', 'status': 404}]})
    picture = fleet.read_snapshot(client, current, False)
    assert picture['servers'][ids[1]]['health'] == {'disk': None, 'memory': None, 'load': None}
    control(sim, 'POST', '/faults', {'rules': [{'path': '^/servers/%d/health/latest$' % ids[1], 'action': 'status', 'status': 503}]})
    with pytest.raises(ServerError):
        fleet.read_snapshot(client, current, False)


def test_the_source_loop_through_an_outage(sim):
    """main() itself: baseline, one change, three failed polls, recovery; nothing else."""
    control(sim, 'POST', '/reset')
    ids = control(sim, 'POST', '/seed', {'servers': 2})['servers']
    args = dict(api_url=sim.url, api_token=TOKEN, api_retries=1, interval=0.2, max_backoff=0.4, web_apps=False)

    async def scenario():
        queue = asyncio.Queue()
        task = asyncio.ensure_future(fleet.main(queue, args))

        async def polls(count):
            # GET /servers requests in the log: one per poll.
            deadline = asyncio.get_running_loop().time() + 20
            while asyncio.get_running_loop().time() < deadline:
                log = control(sim, 'GET', '/requests')['requests']
                if sum(1 for entry in log if entry['path'] == '/servers') >= count:
                    return log
                await asyncio.sleep(0.05)
            raise AssertionError('the source did not poll %d times' % count)

        await polls(4)
        assert queue.empty()
        control(sim, 'POST', '/servers/%d/state' % ids[0], {'connected': False, 'online': True})
        control(sim, 'DELETE', '/requests')
        await polls(2)
        control(sim, 'POST', '/faults', {'rules': [{'path': '^/servers$', 'action': 'status', 'status': 503, 'count': 3}]})
        control(sim, 'DELETE', '/requests')
        log = await polls(5)
        task.cancel()
        statuses = [entry['status'] for entry in log if entry['path'] == '/servers']
        assert statuses[:4] == [503, 503, 503, 200], statuses
        events = []
        while not queue.empty():
            events.append(queue.get_nowait())
        return events

    events = asyncio.run(scenario())
    assert types(events) == [('server_disconnected', ids[0], None), ('api_unreachable', None, None), ('api_recovered', None, None)]
    assert events[1]['after']['status'] == 503 and events[2]['before']['failed_polls'] == 3


@pytest.mark.parametrize('variants', [['links-pagination', 'string-flags', 'data-envelope'], ['bare-lists', 'fixed-page-size']])
def test_a_snapshot_under_lists_without_a_page_count_is_complete(sim, variants):
    control(sim, 'POST', '/reset')
    ids = control(sim, 'POST', '/seed', {'servers': 24})['servers']
    control(sim, 'POST', '/servers/%d/state' % ids[0], {'connected': False, 'online': False})
    control(sim, 'POST', '/variants', {'variants': variants})
    try:
        snapshot = fleet.read_snapshot(fleet.create_client(sim_settings(sim)), sim_settings(sim), read_slow=False)
    finally:
        control(sim, 'POST', '/variants', {'variants': []})
    assert len(snapshot['servers']) == 24 and snapshot['servers_complete']
    assert [record['connected'] for record in snapshot['servers'].values()].count(False) == 1


# Every variant that changes how lists are answered (their descriptions start so), on both API versions,
# and the variants only API v3 has on v3.
LIST_VARIANTS = [None] + [name for name, description in sim_variants.VARIANTS.items() if description.startswith('lists')]
LIST_CASES = [(2, variant) for variant in LIST_VARIANTS] + [(3, variant) for variant in LIST_VARIANTS + list(sim_v3_variants.VARIANTS)]


def test_the_list_variants_are_found():
    assert {'bare-lists', 'no-pagination-meta', 'laravel-pagination', 'links-pagination', 'fixed-page-size'} <= set(LIST_VARIANTS)


@pytest.mark.parametrize('version, variant', LIST_CASES, ids=['v%d-%s' % (version, variant) for version, variant in LIST_CASES])
def test_the_source_lists_through_the_client_in_every_list_shape_on_both_versions(sim, version, variant):
    # Before the event source listed through the client, an answer without a page count failed
    # every poll with a TypeError.
    control(sim, 'POST', '/reset')
    control(sim, 'POST', '/seed', {'servers': 42, 'fixtures': True})
    state = control(sim, 'GET', '/state')['servers']
    if variant:
        control(sim, 'POST', '/variants', {'variants': [variant]})
    if version == 3:
        current = sim_settings(sim, api_url=sim.url_v3, api_token=sim.token_v3)
    else:
        current = sim_settings(sim)
    try:
        picture = fleet.read_snapshot(fleet.create_client(current), current, read_slow=True)
    finally:
        control(sim, 'POST', '/variants', {'variants': []})
    assert picture['servers_complete']
    assert dict((server_id, record['name']) for server_id, record in picture['servers'].items()) == \
        dict((int(server_id), server['name']) for server_id, server in state.items())
    for server_id, record in picture['servers'].items():
        assert record['connected'] is True, (server_id, record)
        assert record['web_apps'] == dict((int(app_id), app['name']) for app_id, app in state[str(server_id)]['_webapps'].items())


# -- atomic deployments (API v3) ----------------------------------------------------------------

def atomic(*projects):
    """A snapshot of one server and the given atomic projects: (id, name, newest deployment or None)."""
    picture = snapshot(server(1))
    picture['atomic'] = dict((project_id, dict(name=name, deployment=deployment)) for project_id, name, deployment in projects)
    return picture


def deployment(deployment_id, status):
    return {'id': deployment_id, 'hash': 'a' * 40, 'releaseName': 'r%d' % deployment_id, 'status': status,
            'endTime': None if status == 'DEPLOYING' else '2030-01-10 12:00:00'}


def test_a_failed_atomic_deployment_is_one_event_and_the_baseline_reports_none():
    watcher = fleet.FleetWatcher(settings(api_url='http://127.0.0.1:1/api/v3', atomic_deployments=True))
    assert watcher.observe(atomic((5, 'shop', deployment(1, 'FAILED')), (6, 'blog', None)), NOW) == []
    assert watcher.observe(atomic((5, 'shop', deployment(2, 'DEPLOYING'))), later(minutes=1)) == []
    failed = watcher.observe(atomic((5, 'shop', deployment(2, 'FAILED'))), later(minutes=2))
    assert types(failed) == [('atomic_deployment_failed', None, None)]
    assert failed[0]['after'] == {'project_id': 5, 'project_name': 'shop', 'deployment_id': 2, 'release_name': 'r2',
                                  'hash': 'a' * 40, 'status': 'FAILED', 'end_time': '2030-01-10 12:00:00'}
    assert watcher.observe(atomic((5, 'shop', deployment(2, 'FAILED'))), later(minutes=3)) == []
    # A poll that did not read the projects (or saw no deployment) keeps what was known.
    assert watcher.observe(snapshot(server(1)), later(minutes=4)) == []
    assert types(watcher.observe(atomic((5, 'shop', deployment(3, 'Failed'))), later(minutes=5))) == [('atomic_deployment_failed', None, None)]


def test_watching_atomic_deployments_needs_api_v3():
    with pytest.raises(ConfigurationError, match='atomic_deployments needs RunCloud API v3'):
        settings(atomic_deployments=True)


def test_failed_atomic_deployments_are_read_from_the_project_list(sim):
    control(sim, 'POST', '/reset')
    control(sim, 'POST', '/seed', {'servers': 1, 'fixtures': True})
    control(sim, 'POST', '/v3', {'land_delay': 0})
    current = sim_settings(sim, api_url=sim.url_v3, api_token=sim.token_v3, atomic_deployments=True, health=False)
    client = fleet.create_client(current)
    server_id = client.list_all('servers')[0]['id']
    app_id = client.list_all('servers/%d/webapps' % server_id)[0]['id']
    client.post('servers/%d/webapps/%d/git' % (server_id, app_id), {'provider': 'github', 'repository': 'acme/shop', 'branch': 'main'})
    client.post('atomic', {'name': 'shop', 'webApplication': app_id})
    project_id = client.list_all('atomic')[0]['id']
    watcher = fleet.FleetWatcher(current)
    control(sim, 'DELETE', '/requests')
    assert watcher.observe(fleet.read_snapshot(client, current, read_slow=False), NOW) == []
    # The servers, and the project list with each project's newest deployment.
    assert control(sim, 'GET', '/requests')['counters']['total'] == 2
    control(sim, 'POST', '/atomic/%d/push' % project_id, {'hash': 'b' * 40, 'fail_next': True})
    client.put('atomic/%d/forcedeploy' % project_id)
    events = watcher.observe(fleet.read_snapshot(client, current, read_slow=False), later(minutes=1))
    assert types(events) == [('atomic_deployment_failed', None, None)]
    assert (events[0]['after']['project_name'], events[0]['after']['hash'], events[0]['after']['status']) == ('shop', 'b' * 40, 'FAILED')


def backups_of(**policies):
    """{policy id: record} of a server, each policy given as (web app id, {snapshot id: status} or None)."""
    return dict((int(key[1:]), dict(name=key, web_app_id=app_id, database_id=None,
                                    failed=None if failed is None else dict((sid, dict(snapshot_id=sid, status=status, run_date=None, type='full'))
                                                                            for sid, status in failed.items())))
                for key, (app_id, failed) in policies.items())


def with_backups(record, backups):
    record['backups'] = backups
    return record


def backup_snapshot(*servers):
    picture = snapshot(*servers)
    picture['backups_read'] = True
    return picture


def test_a_failed_backup_is_one_event_and_unknown_snapshots_change_nothing():
    watcher = fleet.FleetWatcher(settings())
    apps = {4: 'shop'}
    watcher.observe(backup_snapshot(with_backups(server(1, apps=apps), backups_of(p12=(4, {80: 'FAILED'})))), NOW)
    # Known failures set the baseline; a new one is an event; snapshots that could not be read keep what was known.
    events = watcher.observe(backup_snapshot(with_backups(server(1, apps=apps), backups_of(p12=(4, {80: 'FAILED', 81: 'FAILED'})))), later(hours=1))
    assert types(events) == [('backup_failed', 1, 4)]
    assert events[0]['web_app_name'] == 'shop' and events[0]['after']['backup_id'] == 12 and events[0]['after']['snapshot_id'] == 81
    assert watcher.observe(backup_snapshot(with_backups(server(1, apps=apps), backups_of(p12=(4, None)))), later(hours=2)) == []
    assert watcher.observe(snapshot(server(1, apps=apps)), later(hours=3)) == []
    events = watcher.observe(backup_snapshot(with_backups(server(1, apps=apps), backups_of(p12=(4, {80: 'FAILED', 81: 'FAILED', 82: 'FAILED'})))),
                             later(hours=4))
    assert [event['after']['snapshot_id'] for event in events] == [82]


def test_failed_backups_are_read_on_api_v3_only_without_secrets(sim):
    control(sim, 'POST', '/reset')
    server_id = control(sim, 'POST', '/seed', {'servers': 2, 'fixtures': True})['servers'][0]
    state = control(sim, 'GET', '/state')
    app_id = int(next(iter(state['servers'][str(server_id)]['_webapps'])))
    current = sim_settings(sim, api_url=sim.url_v3, api_token=sim.token_v3)
    client = fleet.create_client(current)
    policy = client.post('backups', {'name': 'nightly', 'webApplicationId': app_id, 'backupType': 'full', 'storage': 'runcloud',
                                     'frequency': '1 day', 'retention': '1 month'})['backup']
    watcher = fleet.FleetWatcher(current)
    watcher.observe(fleet.read_snapshot(client, current, True), fleet._now())
    control(sim, 'POST', '/backups/%d/snapshots' % policy['id'], {'status': 'FAILED'})
    control(sim, 'DELETE', '/requests')
    events = watcher.observe(fleet.read_snapshot(client, current, True), fleet._now())
    assert types(events) == [('backup_failed', server_id, app_id)]
    assert events[0]['after']['status'] == 'FAILED' and events[0]['after']['backup_name'] == 'nightly'
    # Per server: the policies, then the snapshots of each of its policies.
    backup_reads = [entry for entry in control(sim, 'GET', '/requests')['requests'] if entry['path'].startswith('/backups')]
    assert len(backup_reads) == 2 + 1
    assert sim.token_v3 not in json.dumps(events)
    v2 = sim_settings(sim)
    assert all('backups' not in record for record in fleet.read_snapshot(fleet.create_client(v2), v2, True)['servers'].values())
