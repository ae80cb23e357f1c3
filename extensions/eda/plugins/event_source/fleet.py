# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""runcloud.cloud.fleet: an ansible-rulebook event source that watches a RunCloud account.

It polls the RunCloud API v2 through the collection's one client and puts one event on the queue
per change it sees (the event shape and the request cost of a poll are documented below and in
docs/eda.md). The first poll only sets the baseline. A poll that fails, times out or returns an
incomplete list changes nothing: the last good state is kept, the next poll waits longer, and the
outage is reported by one event.
"""

import asyncio
import datetime
import logging
import math
import os
import sys
import time

DOCUMENTATION = r'''
---
short_description: Watch a RunCloud account and emit one event per change
description:
  - An ansible-rulebook event source plugin that polls the RunCloud API v2 and emits one event per change
    it sees - servers added, removed, renamed, connected or disconnected, online or offline; disk, memory
    and load above a threshold and back below; web applications added or removed; SSL certificates
    that expire within O(ssl_expiry_days) days and certificates renewed out of that window; on API v3,
    backups that failed (snapshots of a backup policy whose status says so, O(backups)).
  - The first poll sets the baseline and emits nothing, unless O(initial_events=true).
  - A poll that fails (after the client's retries), or whose lists are incomplete, emits no change:
    the last good state is kept, the next polls wait longer (O(max_backoff)), and one
    C(api_unreachable) event reports the outage; one C(api_recovered) event reports its end.
  - "Every event has the keys C(type), C(server_id), C(server_name), C(web_app_id), C(web_app_name),
    C(before), C(after) and C(detected_at) (see the collection's C(docs/eda.md))."
  - Events hold API data as plain values; nothing of it is templated by the source. Credentials,
    private keys and webhook keys are never part of an event.
  - The connection options are the ones of the modules, with the same environment variables; an empty
    environment variable counts as unset, and an option given to the source beats the environment.
options:
  api_url:
    description: Base URL of the RunCloud API v2. Environment E(RUNCLOUD_API_URL).
    type: str
    default: https://manage.runcloud.io/api/v2
  api_token:
    description: Workspace API token. Environment E(RUNCLOUD_API_TOKEN).
    type: str
  api_key:
    description: Legacy API key, with O(api_secret). Environment E(RUNCLOUD_API_KEY).
    type: str
  api_secret:
    description: Legacy API secret. Environment E(RUNCLOUD_API_SECRET).
    type: str
  validate_certs:
    description: Verify the API's TLS certificate. Environment E(RUNCLOUD_VALIDATE_CERTS).
    type: bool
    default: true
  api_timeout:
    description: Seconds to wait for one answer. Environment E(RUNCLOUD_API_TIMEOUT).
    type: float
    default: 30
  api_retries:
    description: Tries of one request. Environment E(RUNCLOUD_API_RETRIES).
    type: int
    default: 5
  api_retry_budget:
    description: Seconds one request may wait between its tries. Environment E(RUNCLOUD_API_RETRY_BUDGET).
    type: float
    default: 120
  interval:
    description: Seconds between two polls of the servers and their health.
    type: float
    default: 60
  slow_interval:
    description:
      - Seconds between two reads of the web applications and their certificates, which change
        rarely and cost a request per server and per web application.
    type: float
    default: 900
  max_backoff:
    description: The longest wait between two polls while the API fails (the wait doubles from O(interval)).
    type: float
    default: 300
  initial_events:
    description:
      - Emit the first poll's findings as changes from an empty account (C(server_added),
        C(web_app_added), and the thresholds and certificates already crossed) instead of only
        setting the baseline.
    type: bool
    default: false
  search:
    description: Only servers whose name or IP address contains this text (the API's C(search)).
    type: str
  health:
    description: Read the latest health sample of every server that is not known to be disconnected.
    type: bool
    default: true
  disk_threshold:
    description: Used disk space, in percent, above which C(disk_high) is emitted. V(0) turns it off.
    type: float
    default: 90
  memory_threshold:
    description: Used memory, in percent, above which C(memory_high) is emitted. V(0) turns it off.
    type: float
    default: 90
  load_threshold:
    description: Load average above which C(load_high) is emitted. V(0) (the default) turns it off.
    type: float
    default: 0
  hysteresis:
    description:
      - How far below its threshold a value must fall before the C(*_normal) event (percent points,
        or load for the load threshold), so that a value hovering at the threshold does not flap.
    type: float
    default: 0
  web_apps:
    description: Watch the web applications of every server.
    type: bool
    default: true
  ssl_expiry_days:
    description:
      - Emit C(ssl_expiring) when a web application's certificate expires within this many days.
        V(0) turns the certificate checks off. Needs O(web_apps).
    type: int
    default: 14
  backups:
    description:
      - On RunCloud API v3, read every server's backup policies and their snapshots with the slow reads
        (O(slow_interval); a request per server and per policy) and emit C(backup_failed) for each snapshot whose
        status says its backup failed. Ignored on API v2, which has no backups.
    type: bool
    default: true
  concurrency:
    description: How many API requests of one poll may run at the same time.
    type: int
    default: 4
  atomic_deployments:
    description:
      - Watch the atomic deployment projects of the workspace (RunCloud API v3 only) and emit
        C(atomic_deployment_failed) when a project's newest deployment failed. Costs one request per poll
        (the project list), and one more per project whose list item does not show its newest deployment.
    type: bool
    default: false
'''

EXAMPLES = r'''
- name: Keep the fleet healthy
  hosts: all
  sources:
    - runcloud.cloud.fleet:
        interval: 120
        disk_threshold: 85
        ssl_expiry_days: 10
  rules:
    - name: Clean the disk
      condition: event.type == "disk_high"
      action:
        run_playbook:
          name: runcloud.cloud.eda_disk_cleaner
          extra_vars:
            runcloud_server_id: "{{ event.server_id }}"
'''

logger = logging.getLogger(__name__)


def _collection_imports():
    """The collection's client, also when ansible-rulebook runs this file by path (``runpy``), from a
    collections directory that is not on ``sys.path``."""
    try:
        from ansible_collections.runcloud.cloud.plugins.module_utils import catalogue, client, errors
    except ImportError:
        # <dir>/ansible_collections/runcloud/cloud/extensions/eda/plugins/event_source/fleet.py
        namespace_dir = os.path.abspath(__file__)
        for _level in range(7):
            namespace_dir = os.path.dirname(namespace_dir)
        if os.path.basename(namespace_dir) != 'ansible_collections':
            raise ImportError('runcloud.cloud.fleet must run from an installed collection '
                              '(.../ansible_collections/runcloud/cloud/extensions/eda/plugins/event_source)')
        sys.path.insert(0, os.path.dirname(namespace_dir))
        from ansible_collections.runcloud.cloud.plugins.module_utils import catalogue, client, errors
    return catalogue, client, errors


catalogue_module, client_module, errors_module = _collection_imports()
# Importable now that _collection_imports put the collection on sys.path.
from ansible_collections.runcloud.cloud.plugins.module_utils import atomic as atomic_module  # noqa: E402 pylint: disable=wrong-import-position
from ansible_collections.runcloud.cloud.plugins.module_utils import backups as backups_module  # noqa: E402 pylint: disable=wrong-import-position
RunCloudError = errors_module.RunCloudError
ConfigurationError = errors_module.ConfigurationError

SOURCE_NAME = 'runcloud.cloud.fleet'
SERVERS_PATH = catalogue_module.path('server', 'list')
HEALTH_PATH = catalogue_module.path('server_health', 'singleton')
WEB_APPS_PATH = catalogue_module.path('web_app', 'list')
ATOMIC_PROJECTS_PATH = catalogue_module.path('atomic_project', 'list')
ATOMIC_DEPLOYMENTS_PATH = catalogue_module.path('atomic_deployment', 'list')
SSL_PATH = catalogue_module.path('web_app_ssl', 'singleton')
BACKUPS_PATH = catalogue_module.path('backup', 'list')
SNAPSHOTS_PATH = catalogue_module.path('backup', 'snapshots')
# Answers for one item that leave that item unknown instead of failing the poll: the item went away
# between two requests, or this account may not read it.
ITEM_UNKNOWN_STATUSES = frozenset([403, 404, 422])
HIGH, NORMAL = 'high', 'normal'
NO_CERTIFICATE, VALID, EXPIRING = 'none', 'valid', 'expiring'
METRICS = (('disk', 'disk_threshold', 'percent'), ('memory', 'memory_threshold', 'percent'), ('load', 'load_threshold', 'load'))

EVENT_TYPES = (
    'server_added', 'server_removed', 'server_renamed', 'server_connected', 'server_disconnected',
    'server_online', 'server_offline', 'disk_high', 'disk_normal', 'memory_high', 'memory_normal',
    'load_high', 'load_normal', 'web_app_added', 'web_app_removed', 'ssl_expiring', 'ssl_renewed',
    'api_unreachable', 'api_recovered', 'atomic_deployment_failed', 'backup_failed',
)


class IncompleteAnswer(Exception):
    """A list whose pages do not add up (a page missing or shifted): not a picture of the account."""


# -- settings ------------------------------------------------------------------------------------

def _number(args, name, default, minimum=0.0, integer=False):
    value = args.get(name)
    if value in (None, ''):
        return default
    try:
        if isinstance(value, bool):
            raise ValueError
        number = int(value) if integer else float(value)
    except (TypeError, ValueError):
        raise ConfigurationError('%s: %s must be a number, not %r' % (SOURCE_NAME, name, value))
    if number < minimum or (not integer and math.isnan(number)):
        raise ConfigurationError('%s: %s must be at least %s' % (SOURCE_NAME, name, minimum))
    return number


def _flag(args, name, default):
    value = args.get(name)
    if value in (None, ''):
        return default
    try:
        return client_module.parse_bool(value)
    except ValueError:
        raise ConfigurationError('%s: %s must be a boolean, not %r' % (SOURCE_NAME, name, value))


def settings_from(args, environ):
    """The source's settings from its rulebook arguments and the environment; ConfigurationError
    names the option that is wrong."""
    connection_names = [option for option, _variable, _convert, _default in client_module.CONNECTION_OPTIONS]
    given = dict((name, args.get(name)) for name in connection_names + ['api_token', 'api_key', 'api_secret'])
    try:
        settings = client_module.connection_settings(given, environ)
    except ConfigurationError as error:
        raise ConfigurationError('%s: %s' % (SOURCE_NAME, error))
    settings.update(
        interval=_number(args, 'interval', 60.0, minimum=0.1),
        slow_interval=_number(args, 'slow_interval', 900.0),
        max_backoff=_number(args, 'max_backoff', 300.0),
        initial_events=_flag(args, 'initial_events', False),
        search=args.get('search') or None,
        health=_flag(args, 'health', True),
        disk_threshold=_number(args, 'disk_threshold', 90.0),
        memory_threshold=_number(args, 'memory_threshold', 90.0),
        load_threshold=_number(args, 'load_threshold', 0.0),
        hysteresis=_number(args, 'hysteresis', 0.0),
        web_apps=_flag(args, 'web_apps', True),
        ssl_expiry_days=_number(args, 'ssl_expiry_days', 14, integer=True),
        concurrency=_number(args, 'concurrency', 4, minimum=1, integer=True),
        atomic_deployments=_atomic_deployments_flag(args, settings),
        backups=_flag(args, 'backups', True),
    )
    for name in ('disk_threshold', 'memory_threshold'):
        if settings[name] > 100:
            raise ConfigurationError('%s: %s is a percentage (0 to 100), not %s' % (SOURCE_NAME, name, settings[name]))
    unknown = sorted(set(args) - set(settings) - set(['api_token', 'api_key', 'api_secret']))
    if unknown:
        raise ConfigurationError('%s: unknown option(s) %s' % (SOURCE_NAME, ', '.join(unknown)))
    return settings


def _atomic_deployments_flag(args, settings):
    """The atomic_deployments option; ConfigurationError when it is on and the API is not v3."""
    watch = _flag(args, 'atomic_deployments', False)
    version = catalogue_module.version_of_url(settings.get('api_url'))
    if watch and version not in catalogue_module.RESOURCES['atomic_project'].versions:
        raise ConfigurationError('%s: atomic_deployments needs RunCloud API v3, but api_url (%s) is API v%d'
                                 % (SOURCE_NAME, settings.get('api_url'), version))
    return watch


def create_client(settings):
    credentials = settings.get('credentials') or (settings['api_token'], settings['api_key'], settings['api_secret'])
    client = client_module.client_from_options(settings, credentials, logger.debug, 'eda-source',
                                               pool_size=max(10, settings['concurrency']))
    for warning in client.warnings:
        logger.warning('%s: %s', SOURCE_NAME, warning)
    return client


# -- reading the account (synchronous: runs in a worker thread) ----------------------------------

def _identity(value):
    """An id from the API as a stable key (ints stay ints, numeric strings become ints), or None."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip():
        text = value.strip()
        return int(text) if text.isdigit() else text
    return None


def _text(value):
    return value if isinstance(value, str) else (None if value is None else str(value))


def _truth(value):
    """True/False for what the API may send as a boolean (true, 1, "1", "true"); None when unknown."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        try:
            return client_module.parse_bool(value)
        except ValueError:
            return None
    return None


def _measure(value):
    """A finite, non-negative number, or None."""
    if isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    if math.isnan(number) or math.isinf(number) or number < 0:
        return None
    return number


def read_list(client, path, params=None, concurrency=1):
    """Every item of a list endpoint, or IncompleteAnswer when the pages do not add up to the total the
    API announced (a page shorter than promised, an item twice because the list moved while it was read)."""
    items, pagination = client.get_page(path, 1, params=params)
    pages = client_module.total_pages_of(pagination)
    if pages is None:
        # No page count (a bare array, pages told by links.next only): the client's own walk follows
        # the links and the full pages; reading the first page again costs one request.
        return _without_repeats(path, client.list_all(path, params=params))
    result = list(items)
    if pages is None:
        # An answer that does not say how many pages there are: the client walks them as it does for
        # the modules (until a short page or a page that only repeats).
        result = client.list_all(path, params=params)
    elif pages > 1 and items:
        more = client_module.map_concurrently(lambda page: client.get_page(path, page, params=params)[0],
                                              range(2, pages + 1), concurrency)
        for page_items in more:
            result.extend(page_items)
    expected = (pagination or {}).get('total')
    if isinstance(expected, int) and not isinstance(expected, bool) and len(result) != expected:
        raise IncompleteAnswer('GET /%s returned %d items where the API announced %d' % (path, len(result), expected))
    return _without_repeats(path, result)


def _without_repeats(path, result):
    """``result``, or IncompleteAnswer when it holds an item twice."""
    ids = [_identity(item.get('id')) for item in result if isinstance(item, dict)]
    known = [item_id for item_id in ids if item_id is not None]
    if len(set(known)) != len(known):
        raise IncompleteAnswer('GET /%s returned an item twice (the list changed while it was read)' % path)
    return result


def _read_item(client, path):
    """The answer for one server's or application's detail, or None when the API says it is not there (now)."""
    try:
        return client.get(path)
    except RunCloudError as error:
        if error.status in ITEM_UNKNOWN_STATUSES:
            logger.debug('%s: GET /%s: %s; left unknown', SOURCE_NAME, path, error)
            return None
        raise


def _server_record(item):
    return dict(
        id=_identity(item.get('id')),
        name=_text(item.get('name')),
        ip_address=_text(item.get('ipAddress')),
        connected=_truth(item.get('connected')),
        online=_truth(item.get('online')),
    )


def _percent_used(sample, used_key, available_key, total_key):
    total = _measure(sample.get(total_key))
    if not total:
        return None
    used = _measure(sample.get(used_key))
    if used is None:
        available = _measure(sample.get(available_key))
        if available is None:
            return None
        used = max(0.0, total - available)
    return round(min(100.0, used * 100.0 / total), 2)


def health_values(sample):
    """{'disk': percent used, 'memory': percent used, 'load': load average} of a health sample; None where unknown."""
    if not isinstance(sample, dict):
        return dict(disk=None, memory=None, load=None)
    return dict(
        disk=_percent_used(sample, 'usedDiskSpace', 'availableDiskSpace', 'totalDiskSpace'),
        memory=_percent_used(sample, 'usedMemory', 'availableMemory', 'totalMemory'),
        load=_measure(sample.get('loadAverage')),
    )


def parse_timestamp(value):
    """An aware UTC datetime from the API's "YYYY-MM-DD HH:MM:SS" (no zone: taken as UTC), an ISO 8601
    string or a date; None for anything else."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip().replace('Z', '+00:00')
    for candidate in (text, text.replace(' ', 'T', 1)):
        try:
            moment = datetime.datetime.fromisoformat(candidate)
        except ValueError:
            continue
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=datetime.timezone.utc)
        return moment.astimezone(datetime.timezone.utc)
    return None


def certificate_record(answer):
    """What the source keeps of a certificate answer (never the key or the certificate itself):
    {'present': False} without one, None when the answer says nothing usable."""
    if not isinstance(answer, dict):
        return None
    ssl_id = _identity(answer.get('id'))
    if ssl_id is None:
        # {"message": "SSL not installed!"} and other answers without a certificate.
        return dict(present=False)
    return dict(present=True, ssl_id=ssl_id, method=_text(answer.get('method')),
                valid_until=_text(answer.get('validUntil')))


def read_snapshot(client, settings, read_slow):
    """One picture of the account. Raises RunCloudError or IncompleteAnswer when it cannot be complete.

    ``{'servers': {id: record}, 'servers_complete': bool, 'slow': bool}``; a record has the server
    fields, ``health`` (values or None), and with ``read_slow`` ``web_apps`` ({id: name} or None) and
    ``certificates`` ({web app id: record or None}).
    """
    params = {'search': settings['search']} if settings['search'] else None
    try:
        items = read_list(client, SERVERS_PATH, params, settings['concurrency'])
    except IncompleteAnswer:
        # Usually a server added or removed while the pages were read: one more read settles it.
        items = read_list(client, SERVERS_PATH, params, settings['concurrency'])
    servers = {}
    complete = True
    for item in items:
        record = _server_record(item) if isinstance(item, dict) else None
        if record is None or record['id'] is None:
            # An item that cannot be told apart from the others: nothing may count as removed now.
            complete = False
            continue
        servers[record['id']] = record
    concurrency = settings['concurrency']
    path = client.path

    if settings['health']:
        watched = [record for record in servers.values() if record['connected'] is not False]
        samples = client_module.map_concurrently(
            lambda record: _read_item(client, path(HEALTH_PATH, server_id=record['id'])), watched, concurrency)
        for record, sample in zip(watched, samples):
            record['health'] = health_values(sample)
    if read_slow and settings['web_apps']:
        records = list(servers.values())
        lists = client_module.map_concurrently(lambda record: _read_web_apps(client, record['id'], concurrency), records, concurrency)
        pairs = []
        for record, apps in zip(records, lists):
            record['web_apps'] = apps
            if apps is not None and settings['ssl_expiry_days']:
                record['certificates'] = {}
                pairs.extend((record, app_id) for app_id in apps)
        answers = client_module.map_concurrently(
            lambda pair: _read_item(client, path(SSL_PATH, server_id=pair[0]['id'], web_app_id=pair[1])), pairs, concurrency)
        for (record, app_id), answer in zip(pairs, answers):
            record['certificates'][app_id] = certificate_record(answer)
    backups_read = bool(read_slow and settings['backups'] and client.api_version == catalogue_module.V3)
    if backups_read:
        records = list(servers.values())
        for record, policies in zip(records, client_module.map_concurrently(
                lambda record: _read_backups(client, record['id'], record.get('web_apps'), concurrency), records, concurrency)):
            record['backups'] = policies
    return dict(servers=servers, servers_complete=complete, slow=bool(read_slow and settings['web_apps']), backups_read=backups_read,
                atomic=read_atomic_deployments(client, concurrency) if settings['atomic_deployments'] else None)


def read_atomic_deployments(client, concurrency):
    """{project id: {'name', 'deployment'}} of the workspace's atomic projects, ``deployment`` the newest
    one (None when the project has none or it is unknown). A project whose list item does not carry its
    newest deployment costs a read of its deployments."""
    projects = {}
    missing = []
    for item in read_list(client, ATOMIC_PROJECTS_PATH, concurrency=concurrency):
        project_id = _identity(item.get('id')) if isinstance(item, dict) else None
        if project_id is None:
            continue
        latest = item.get('latestDeployment')
        projects[project_id] = dict(name=_text(item.get('name')), deployment=latest if isinstance(latest, dict) else None)
        if 'latestDeployment' not in item:
            missing.append(project_id)
    answers = client_module.map_concurrently(
        lambda project_id: _read_item(client, client.path(ATOMIC_DEPLOYMENTS_PATH, atomic_project_id=project_id)), missing, concurrency)
    for project_id, answer in zip(missing, answers):
        items, _pagination = client_module.split_list_body(answer) if answer is not None else ([], None)
        readable = [entry for entry in items if isinstance(entry, dict) and _identity(entry.get('id')) is not None]
        projects[project_id]['deployment'] = max(readable, key=lambda entry: _identity(entry['id'])) if readable else None
    return projects


def _read_backups(client, server_id, web_apps, concurrency):
    """{policy id: record} of one server's backup policies (API v3), each with ``failed``: {snapshot id:
    view} of its failed snapshots, or None when they could not be read; None when the list is unknown.
    A policy of a web application the server does not have (a list the API did not filter) is left out."""
    policies = _read_list_of_server(client, BACKUPS_PATH, {'server_id': server_id}, concurrency)
    if policies is None:
        return None
    records = {}
    for policy in policies:
        policy_id = _identity(policy.get('id')) if isinstance(policy, dict) else None
        if policy_id is None:
            return None
        items = policy.get('items') if isinstance(policy.get('items'), dict) else {}
        app_id = _identity(items.get('webApplicationId'))
        if app_id is not None and web_apps is not None and app_id not in web_apps:
            continue
        records[policy_id] = dict(name=_text(policy.get('label')), web_app_id=app_id, database_id=_identity(items.get('databaseId')),
                                  failed=None)
    ids = sorted(records, key=_order_key)
    answers = client_module.map_concurrently(lambda policy_id: _read_item(client, client.path(SNAPSHOTS_PATH, id=policy_id)), ids, concurrency)
    for policy_id, answer in zip(ids, answers):
        records[policy_id]['failed'] = failed_snapshots(answer)
    return records


def failed_snapshots(answer):
    """{snapshot id: what an event shows of it} of the failed snapshots in a snapshot list; None when
    the answer is not a list (unknown, never "none failed")."""
    if isinstance(answer, dict) and isinstance(answer.get('data'), list):
        answer = answer['data']
    if not isinstance(answer, list):
        return None
    failed = {}
    for snapshot in answer:
        snapshot_id = _identity(snapshot.get('id')) if isinstance(snapshot, dict) else None
        if snapshot_id is not None and backups_module.snapshot_failed(snapshot):
            failed[snapshot_id] = dict(snapshot_id=snapshot_id, status=_text(snapshot.get('status')), run_date=_text(snapshot.get('runDate')),
                                       type=_text(snapshot.get('type')))
    return failed


def _read_list_of_server(client, path, params, concurrency):
    """A list that belongs to one server; None when it is unknown (the server went away, or this
    account may not read it)."""
    try:
        return read_list(client, path, params, concurrency)
    except RunCloudError as error:
        if error.status in ITEM_UNKNOWN_STATUSES:
            return None
        raise


def _read_web_apps(client, server_id, concurrency):
    """{web app id: name} of one server, or None when unknown (the server went away, or an item has no id)."""
    items = _read_list_of_server(client, client.path(WEB_APPS_PATH, server_id=server_id), None, concurrency)
    if items is None:
        return None
    apps = {}
    for item in items:
        app_id = _identity(item.get('id')) if isinstance(item, dict) else None
        if app_id is None:
            return None
        apps[app_id] = _text(item.get('name'))
    return apps


# -- change detection ----------------------------------------------------------------------------

def _iso(moment):
    return moment.astimezone(datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ')


class FleetWatcher:
    """The last good state of the account and the changes between it and each new snapshot.

    Whatever a snapshot leaves unknown (a field missing, an item the API would not show, the slow
    parts between their reads) keeps its last known value, so it never looks like a change.
    """

    def __init__(self, settings):
        self.settings = settings
        self.servers = None          # {id: state} once the baseline is set
        self.failed_polls = 0
        self.outage_since = None
        self.outage_reported = False
        self.atomic = None           # {atomic project id: (newest deployment id, outcome)} once read

    @property
    def has_baseline(self):
        return self.servers is not None

    # -- outage --------------------------------------------------------------------------------

    def poll_failed(self, error, now):
        """The events of a poll that failed: one ``api_unreachable`` at the first failure in a row."""
        self.failed_polls += 1
        if self.outage_since is None:
            self.outage_since = now
        if self.outage_reported:
            return []
        self.outage_reported = True
        status = getattr(error, 'status', None)
        kind = type(error).__name__
        return [self._event('api_unreachable', None, now, before=None, after=dict(
            error=_error_message(error), error_kind=kind, status=status, since=_iso(self.outage_since),
            failed_polls=self.failed_polls))]

    def backoff(self):
        """Seconds until the next poll: the interval, doubled for every failed poll in a row."""
        interval = self.settings['interval']
        if not self.failed_polls:
            return interval
        return min(max(interval, self.settings['max_backoff']), interval * 2 ** min(self.failed_polls, 16))

    def _recovered(self, now):
        events = []
        if self.outage_reported:
            events.append(self._event('api_recovered', None, now, before=dict(since=_iso(self.outage_since), failed_polls=self.failed_polls),
                                      after=dict(down_seconds=round((now - self.outage_since).total_seconds(), 1))))
        self.failed_polls = 0
        self.outage_since = None
        self.outage_reported = False
        return events

    # -- changes -------------------------------------------------------------------------------

    def observe(self, snapshot, now):
        """The events between the last good state and ``snapshot``; ``snapshot`` becomes the state."""
        events = self._recovered(now)
        baseline = not self.has_baseline
        emit = not baseline or self.settings['initial_events']
        previous = self.servers or {}
        current = {}
        changes = []
        for server_id, seen in snapshot['servers'].items():
            known = previous.get(server_id)
            state = self._merge(known, seen, snapshot['slow'])
            state['backups'] = _merged_backups(known, seen, snapshot.get('backups_read'))
            current[server_id] = state
            if known is None:
                changes.extend(self._added(state, now))
            else:
                changes.extend(self._changed(known, state, now))
        for server_id, known in previous.items():
            if server_id in current:
                continue
            if snapshot['servers_complete']:
                changes.append(self._event('server_removed', known, now, before=_server_view(known), after=None))
            else:
                current[server_id] = known
        self.servers = current
        changes.extend(self._atomic_changes(snapshot.get('atomic'), now))
        if emit:
            events.extend(changes)
        return events

    def _atomic_changes(self, projects, now):
        """``atomic_deployment_failed`` for a project whose newest deployment failed since the last poll
        (at the baseline: already had, emitted only with initial_events). A project not read keeps what was known of it."""
        if projects is None:
            return []
        known = self.atomic or {}
        self.atomic = dict(known)
        events = []
        for project_id, project in sorted(projects.items(), key=_order):
            deployment = project['deployment']
            if deployment is None:
                continue
            seen = (_identity(deployment.get('id')), atomic_module.outcome(deployment))
            self.atomic[project_id] = seen
            if seen[1] == atomic_module.FAILED and known.get(project_id) != seen:
                events.append(self._event('atomic_deployment_failed', None, now, before=None, after=dict(
                    project_id=project_id, project_name=project['name'], deployment_id=seen[0],
                    release_name=_text(deployment.get('releaseName')), hash=_text(deployment.get('hash')),
                    status=_text(deployment.get('status')), end_time=_text(deployment.get('endTime')))))
        return events

    def _merge(self, known, seen, slow):
        """The server's new state: what ``seen`` knows, the rest from ``known``; threshold and
        certificate levels move with the values."""
        known = known or {}
        state = {}
        for field in ('id', 'name', 'ip_address', 'connected', 'online'):
            state[field] = seen.get(field) if seen.get(field) is not None else known.get(field)
        values = dict(known.get('values') or {})
        for metric, value in (seen.get('health') or {}).items():
            if value is not None:
                values[metric] = value
        state['values'] = values
        levels = dict(known.get('levels') or {})
        for metric, option, _unit in METRICS:
            threshold = self.settings[option]
            value = values.get(metric)
            if not threshold or value is None:
                continue
            if value > threshold:
                levels[metric] = HIGH
            elif value <= threshold - self.settings['hysteresis'] or levels.get(metric) is None:
                levels[metric] = NORMAL
        state['levels'] = levels
        state['web_apps'] = known.get('web_apps')
        state['certificates'] = dict((app_id, dict(record)) for app_id, record in (known.get('certificates') or {}).items())
        if slow and seen.get('web_apps') is not None:
            state['web_apps'] = dict(seen['web_apps'])
            # Certificates of applications that are gone go with them.
            state['certificates'] = dict((app_id, record) for app_id, record in state['certificates'].items() if app_id in seen['web_apps'])
        for app_id, record in (seen.get('certificates') or {}).items():
            if record is not None:
                state['certificates'][app_id] = self._certificate_state(record, state['certificates'].get(app_id))
        return state

    @staticmethod
    def _certificate_state(record, known):
        state = dict(record)
        if record['present']:
            state['expires'] = parse_timestamp(record.get('valid_until'))
            if state['expires'] is None and known and known.get('present'):
                # A date that cannot be read says nothing: what was known stays.
                state['expires'], state['valid_until'] = known.get('expires'), known.get('valid_until')
        return state

    def certificate_level(self, certificate, now):
        """NO_CERTIFICATE, VALID or EXPIRING at ``now``; None when the expiry date is unknown."""
        if not certificate.get('present'):
            return NO_CERTIFICATE
        expires = certificate.get('expires')
        if expires is None:
            return None
        return EXPIRING if expires - now <= datetime.timedelta(days=self.settings['ssl_expiry_days']) else VALID

    def _added(self, state, now):
        events = [self._event('server_added', state, now, before=None, after=_server_view(state))]
        for metric, level in state['levels'].items():
            if level == HIGH:
                events.append(self._metric_event(metric, state, now, None, state['values'].get(metric)))
        for app_id, name in sorted((state['web_apps'] or {}).items(), key=_order):
            events.append(self._event('web_app_added', state, now, before=None, after=dict(name=name), web_app=(app_id, name)))
        events.extend(self._certificate_changes({}, state, now))
        events.extend(self._backup_failures({}, state, now))
        return events

    def _changed(self, known, state, now):
        events = []
        if known['name'] != state['name'] and state['name'] is not None:
            events.append(self._event('server_renamed', state, now, before=dict(name=known['name']), after=dict(name=state['name'])))
        for field, up, down in (('connected', 'server_connected', 'server_disconnected'), ('online', 'server_online', 'server_offline')):
            before, after = known.get(field), state.get(field)
            if before is not None and after is not None and before != after:
                events.append(self._event(up if after else down, state, now, before={field: before}, after={field: after}))
        for metric, _option, _unit in METRICS:
            before, after = known['levels'].get(metric), state['levels'].get(metric)
            if before is not None and after is not None and before != after:
                events.append(self._metric_event(metric, state, now, known['values'].get(metric), state['values'].get(metric)))
        if known.get('web_apps') is not None and state.get('web_apps') is not None:
            old, new = known['web_apps'], state['web_apps']
            for app_id in sorted(set(new) - set(old), key=_order_key):
                events.append(self._event('web_app_added', state, now, before=None, after=dict(name=new[app_id]), web_app=(app_id, new[app_id])))
            for app_id in sorted(set(old) - set(new), key=_order_key):
                events.append(self._event('web_app_removed', state, now, before=dict(name=old[app_id]), after=None, web_app=(app_id, old[app_id])))
        events.extend(self._certificate_changes(known, state, now))
        events.extend(self._backup_failures(known, state, now))
        return events

    def _backup_failures(self, known, state, now):
        """``backup_failed`` for each failed snapshot not known before. The first read of a known
        server's backups only sets what is known."""
        if known and known.get('backups') is None:
            return []
        old = known.get('backups') or {}
        events = []
        for policy_id, policy in sorted((state.get('backups') or {}).items(), key=_order):
            seen_before = (old.get(policy_id) or {}).get('failed') or {}
            app_id = policy.get('web_app_id')
            app = (app_id, (state.get('web_apps') or {}).get(app_id)) if app_id is not None else (None, None)
            for snapshot_id, view in sorted((policy.get('failed') or {}).items(), key=_order):
                if snapshot_id in seen_before:
                    continue
                after = dict(view, backup_id=policy_id, backup_name=policy.get('name'), database_id=policy.get('database_id'))
                events.append(self._event('backup_failed', state, now, before=None, after=after, web_app=app))
        return events

    def _certificate_changes(self, known, state, now):
        """``ssl_expiring`` when a certificate enters the expiry window (also by time passing),
        ``ssl_renewed`` when it leaves it. The first read of a known server's applications only
        sets their levels."""
        if not self.settings['ssl_expiry_days']:
            return []
        events = []
        old_certificates = known.get('certificates') or {}
        first_read = bool(known) and known.get('web_apps') is None
        for app_id, certificate in sorted(state['certificates'].items(), key=_order):
            previous = old_certificates.get(app_id)
            previous_level = previous.get('level') if previous else None
            level = self.certificate_level(certificate, now)
            certificate['level'] = level
            if first_read or level is None:
                continue
            name = (state['web_apps'] or {}).get(app_id)
            if level == EXPIRING and previous_level != EXPIRING:
                event_type = 'ssl_expiring'
            elif level == VALID and previous_level == EXPIRING:
                event_type = 'ssl_renewed'
            else:
                continue
            events.append(self._event(event_type, state, now, before=_certificate_view(previous, now=None),
                                      after=_certificate_view(certificate, now), web_app=(app_id, name)))
        return events

    def _metric_event(self, metric, state, now, before_value, after_value):
        option, unit = dict((m, (o, u)) for m, o, u in METRICS)[metric]
        level = state['levels'][metric]
        threshold = self.settings[option]
        before_level = NORMAL if level == HIGH else HIGH
        return self._event('%s_%s' % (metric, level), state, now,
                           before=dict(value=before_value, level=before_level, threshold=threshold, unit=unit),
                           after=dict(value=after_value, level=level, threshold=threshold, unit=unit))

    @staticmethod
    def _event(event_type, server, now, before, after, web_app=(None, None)):
        server = server or {}
        return dict(
            type=event_type,
            server_id=server.get('id'),
            server_name=server.get('name'),
            web_app_id=web_app[0],
            web_app_name=web_app[1],
            before=before,
            after=after,
            detected_at=_iso(now),
        )


def _merged_backups(known, seen, read):
    """A server's backup policies after a poll: as read when they were, with the failed snapshots of a
    policy whose snapshots could not be read kept from before; else as known."""
    before = (known or {}).get('backups')
    if not read or seen.get('backups') is None:
        return before
    merged = {}
    for policy_id, policy in seen['backups'].items():
        policy = dict(policy)
        if policy['failed'] is None:
            policy['failed'] = dict(((before or {}).get(policy_id) or {}).get('failed') or {})
        merged[policy_id] = policy
    return merged


def _server_view(state):
    return dict((field, state.get(field)) for field in ('name', 'ip_address', 'connected', 'online'))


def _certificate_view(certificate, now):
    """What an event shows of a certificate (never the key or the certificate text)."""
    if not certificate:
        return None
    if not certificate.get('present'):
        return dict(level=NO_CERTIFICATE)
    view = dict(level=certificate.get('level'), ssl_id=certificate.get('ssl_id'), method=certificate.get('method'),
                valid_until=certificate.get('valid_until'))
    if now is not None and certificate.get('expires') is not None:
        view['days_left'] = int((certificate['expires'] - now).total_seconds() // 86400)
    return view


def _order_key(item_id):
    return (0, item_id, '') if isinstance(item_id, int) else (1, 0, str(item_id))


def _order(pair):
    return _order_key(pair[0])


def _error_message(error):
    if isinstance(error, (RunCloudError, IncompleteAnswer)):
        return str(error)
    # Not the API's fault: no raw library text, which could hold anything.
    return 'unexpected %s while reading the account' % type(error).__name__


# -- the event source ----------------------------------------------------------------------------

def _now():
    return datetime.datetime.now(datetime.timezone.utc)


async def main(queue, args):
    """Poll the account and put one event per change on ``queue`` (ansible-rulebook's entry point)."""
    settings = settings_from(args or {}, os.environ)
    client = create_client(settings)
    watcher = FleetWatcher(settings)
    last_slow_read = None
    polls = 0
    while True:
        started = time.monotonic()
        read_slow = last_slow_read is None or started - last_slow_read >= settings['slow_interval'] or not watcher.has_baseline
        requests_before = client.request_count
        polls += 1
        try:
            snapshot = await asyncio.to_thread(read_snapshot, client, settings, read_slow)
        except (RunCloudError, IncompleteAnswer) as error:
            logger.warning('%s: poll %d failed (%s); keeping the last good state', SOURCE_NAME, polls, _error_message(error))
            events = watcher.poll_failed(error, _now())
        except Exception as error:  # pylint: disable=broad-except
            # A bug or an answer of a form nobody expected must not end the activation.
            logger.exception('%s: poll %d failed unexpectedly; keeping the last good state', SOURCE_NAME, polls)
            events = watcher.poll_failed(error, _now())
        else:
            if read_slow:
                last_slow_read = started
            events = watcher.observe(snapshot, _now())
        logger.debug('%s: poll %d: %d requests, %.2fs, %d events', SOURCE_NAME, polls, client.request_count - requests_before,
                     time.monotonic() - started, len(events))
        for event in events:
            await queue.put(event)
        await asyncio.sleep(max(0.0, watcher.backoff() - (time.monotonic() - started)))


if __name__ == '__main__':
    class _PrintQueue:
        """Prints the events: ``RUNCLOUD_API_TOKEN=... python fleet.py`` watches an account by hand."""

        async def put(self, event):
            print(event)

    asyncio.run(main(_PrintQueue(), dict(initial_events=True, interval=10)))
