# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The API v3 modules under the simulator's faults (an answer of 503, a write applied and its answer
lost, an answer slower than the client's timeout whose write still lands, 429): where re-reading or
retrying is safe the task succeeds, nothing is created twice, an action (push, restore, deploy, clone)
is never sent twice, and a task whose outcome stays unknown fails saying that the write may have
been applied and was not sent again.

The modules run in this process against the simulator (tests/simulator), whose acknowledged writes
land after a short delay. The client's first pauses (re-reads of an unknown outcome, landing waits,
retry back-off) are shortened and its retry budget is a second, so that the tests stay quick."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import re
import sys
import threading
import time

import pytest
import requests

from ansible_collections.runcloud.cloud.plugins.module_utils import client as client_module, resource
from ansible_collections.runcloud.cloud.plugins.modules import (atomic_deployment, atomic_project, atomic_project_info, backup, backup_restore,
                                                                git, runcloud_hub, ssh_config, system_user, web_app_clone, wordpress,
                                                                wordpress_settings, wordpress_staging)
from ansible_collections.runcloud.cloud.tests.unit.module_runner import run_module_against, sim_control as control

SIMULATOR_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..', 'simulator')
sys.path.insert(0, SIMULATOR_DIR)

from runcloud_sim import Simulator  # noqa: E402  pylint: disable=wrong-import-position

# The client's first pause (seconds) before re-reading, waiting for a landing or retrying.
FIRST_PAUSE = 0.05
# How late an acknowledged write lands in the simulator (seconds): within the first re-reads.
LAND_DELAY = 0.05
# The client's timeout (seconds) under a slow answer, and how late that answer comes (its write lands then).
SHORT_TIMEOUT = 0.6
SLOW_MS = 700
# The retry budget (seconds) under a slow answer, twice that of the other faults: re-reading an unknown
# outcome takes half of it at most.
RETRY_BUDGET = 1

SITE = dict(server='web-01', name='blog', domain_name='blog.example.com', system_user='app', site_title='Blog',
            admin_username='editor', admin_password='admin-Secret-Faults', admin_email='editor@example.com',
            database_name='blog_db', database_user='blog_user', database_password='db-Secret-Faults')
HUB = dict(server='web-01', web_app='blog', cache_type='redis', cache_valid_minute=120)
STAGING = dict(server='web-01', web_app='blog', url='staging.blog.example.com')
POLICY = dict(server='web-01', web_app='app', database='app_db', name='app nightly', backup_type='incremental', format='tar.gz',
              frequency='1 day', retention='1 month')
CLONE = dict(server='web-01', web_app='app', name='app-copy', target_server='web-02', domain_name='copy.example.com', owner='app')
PROJECT = dict(name='shop', server='web-01', web_app='app', symlinks=[dict(link_from='storage', link_to='shared/storage')])


@pytest.fixture(scope='module', name='simulator')
def fixture_simulator():
    with Simulator(token='v2-token') as sim:
        yield sim


@pytest.fixture(name='sim')
def fixture_sim(simulator, monkeypatch):
    control(simulator, 'POST', '/reset')
    control(simulator, 'POST', '/seed', {'servers': 2, 'fixtures': True, 'connected': True})
    control(simulator, 'POST', '/v3', {'land_delay': 0})
    monkeypatch.setattr(client_module, 'SETTLE_FIRST_PAUSE', FIRST_PAUSE)
    monkeypatch.setattr(resource, 'LANDING_FIRST_PAUSE', FIRST_PAUSE)
    original_init = client_module.RunCloudClient.__init__

    def init_with_short_back_off(self, *args, **kwargs):
        original_init(self, *args, **kwargs)
        self.retry_policy.base_delay = FIRST_PAUSE

    monkeypatch.setattr(client_module.RunCloudClient, '__init__', init_with_short_back_off)
    yield simulator
    control(simulator, 'DELETE', '/faults')


def run(monkeypatch, sim, main, args, fault=None):
    slow = fault is not None and fault['action'] == 'delay'
    full = dict(api_retry_budget=RETRY_BUDGET if slow else RETRY_BUDGET / 2.0, api_timeout=SHORT_TIMEOUT if slow else 10)
    full.update(args)
    return run_module_against(monkeypatch, main, full, sim.url_v3, sim.token_v3)


def ready(monkeypatch, sim, main, args):
    """A task of the setup: it must succeed (no fault yet, writes land at once)."""
    result = run(monkeypatch, sim, main, args)
    assert not result['failed'], result
    return result


def start_faults(sim, method, path, action, **rule):
    """From now on: the next matching request gets the fault; acknowledged writes land after LAND_DELAY."""
    control(sim, 'POST', '/v3', {'land_delay': LAND_DELAY})
    control(sim, 'DELETE', '/requests')
    control(sim, 'POST', '/faults', {'rules': [dict(rule, method=method, path=path, action=action, count=1)]})


def finished(sim, fault):
    """After a slow answer, wait until the simulator handled it anyway (the client gave up on it): it logs it then."""
    deadline = time.monotonic() + 10
    while fault['action'] == 'delay' and time.monotonic() < deadline:
        if any(entry.get('fault') == 'delay' for entry in control(sim, 'GET', '/requests')['requests']):
            return
        time.sleep(0.02)


def sent(sim, method, path):
    """The requests of ``method`` to a path matching ``path`` the simulator received (faulted ones too)."""
    return [entry for entry in control(sim, 'GET', '/requests')['requests']
            if entry['method'] == method and re.search(path, entry['path'])]


def settled(sim):
    """Wait until every acknowledged write landed, then the simulator's state."""
    deadline = time.monotonic() + 5
    while control(sim, 'GET', '/v3')['pending_landings'] and time.monotonic() < deadline:
        time.sleep(0.02)
    return control(sim, 'GET', '/state')


def server_named(state, name):
    return next(server for server in state['servers'].values() if server['name'] == name)


def apps_named(state, server, name):
    return [app for app in server_named(state, server)['_webapps'].values() if app['name'] == name]


# Faults after which the write was not applied (the answer says so, or says nothing was done).
NOT_APPLIED = (
    pytest.param(dict(action='status', status=503), id='503'),
    pytest.param(dict(action='status', status=429, retry_after=0), id='429'),
)
# Faults after which the write was applied but its answer never arrived.
APPLIED_ANSWER_LOST = (
    pytest.param(dict(action='apply_and_drop'), id='applied-then-dropped'),
    pytest.param(dict(action='delay', delay_ms=SLOW_MS), id='slower-than-the-timeout'),
)
ANY_FAULT = NOT_APPLIED + APPLIED_ANSWER_LOST


def wordpress_site(monkeypatch, sim):
    ready(monkeypatch, sim, wordpress.main, SITE)


def atomic_project_of_app(monkeypatch, sim):
    ready(monkeypatch, sim, system_user.main, dict(server='web-01', username='app', deployment_key=True))
    ready(monkeypatch, sim, git.main, dict(server='web-01', web_app='app', provider='github', repository='acme/shop', branch='main'))
    ready(monkeypatch, sim, atomic_project.main, PROJECT)


def backup_policy_with_a_snapshot(monkeypatch, sim):
    ready(monkeypatch, sim, backup.main, POLICY)
    deadline = time.monotonic() + 5
    while not any(policy['_snapshots'] for policy in settled(sim)['backups'].values()) and time.monotonic() < deadline:
        time.sleep(0.02)


def nothing(_monkeypatch, _sim):
    pass


def count_apps(server, name):
    return lambda state: len(apps_named(state, server, name))


def hub_installed(state):
    return sum(1 for app in apps_named(state, 'web-01', 'blog') if app.get('_hub'))


def staging_copies(state):
    return len(server_named(state, 'web-01')['_webapps']) - 2


def projects(state):
    return len(state.get('atomic', {}))


def symlinks(state):
    return sum(len(project['_symlinks']) for project in state.get('atomic', {}).values())


def backup_policies(state):
    return len(state.get('backups', {}))


def deployments(state):
    return sum(len(project['_deployments']) for project in state.get('atomic', {}).values())


class Write:
    """One write of a module under a fault: how to get there, the task, the request, and what counts
    the objects (or the actions) it makes in the simulator's state. ``resent`` - the write may be
    sent again when re-reading did not show it (a create of an object with a unique name or parent,
    whose second try is refused if the first one landed); otherwise an unknown outcome fails the task."""

    def __init__(self, name, setup, main, args, method, path, count, resent=False):
        self.name, self.setup, self.main, self.args = name, setup, main, args
        self.method, self.path, self.count, self.resent = method, path, count, resent

    def __repr__(self):
        return self.name


WRITES = [
    Write('wordpress', nothing, wordpress.main, SITE, 'POST', r'/webapps/wordpress$', count_apps('web-01', 'blog')),
    Write('runcloud_hub', wordpress_site, runcloud_hub.main, HUB, 'POST', r'/runcloudhub$', hub_installed),
    Write('wordpress_staging', wordpress_site, wordpress_staging.main, STAGING, 'POST', r'/wordpress/staging$', staging_copies),
    Write('backup', nothing, backup.main, POLICY, 'POST', r'^/backups$', backup_policies, resent=True),
    Write('web_app_clone', nothing, web_app_clone.main, CLONE, 'POST', r'/clone$', count_apps('web-02', 'app-copy')),
    Write('atomic_project', lambda monkeypatch, sim: (
        ready(monkeypatch, sim, system_user.main, dict(server='web-01', username='app', deployment_key=True)),
        ready(monkeypatch, sim, git.main, dict(server='web-01', web_app='app', provider='github', repository='acme/shop', branch='main'))),
        atomic_project.main, PROJECT, 'POST', r'^/atomic$', projects, resent=True),
    Write('atomic_project symlink', atomic_project_of_app, atomic_project.main,
          dict(PROJECT, symlinks=PROJECT['symlinks'] + [dict(link_from='.env', link_to='shared/.env', type='config', content='APP_KEY=x')]),
          'POST', r'/symlinks$', symlinks, resent=True),
]


@pytest.mark.parametrize('fault', ANY_FAULT)
@pytest.mark.parametrize('write', WRITES, ids=repr)
def test_a_create_under_a_fault_makes_one_object_or_says_it_may_exist(monkeypatch, sim, write, fault):
    write.setup(monkeypatch, sim)
    before = write.count(settled(sim))
    start_faults(sim, write.method, write.path, **fault)
    result = run(monkeypatch, sim, write.main, write.args, fault)
    finished(sim, fault)
    tries = len(sent(sim, write.method, write.path))
    made = write.count(settled(sim)) - before
    if fault['action'] == 'status' and fault['status'] == 429:
        # Refused, so not applied: sent again once the pause passed.
        assert not result['failed'], result
        assert result['changed'] and tries == 2 and made == 1
    elif fault['action'] == 'status' and write.resent:
        # Not shown by re-reading: sent again, and a second object is refused by the API.
        assert not result['failed'], result
        assert result['changed'] and tries == 2 and made == 1
    elif fault['action'] == 'status':
        # A 503 may or may not have been applied: never sent again, and the task says so.
        assert result['failed'] and result['changed'] and 'not sent again' in result['msg'], result
        assert tries == 1 and made == 0
    else:
        # Applied, its answer lost: re-reading finds it, and it is not sent again.
        assert not result['failed'], result
        assert result['changed'] and tries == 1 and made == 1
    assert 'Secret-Faults' not in str(result) and 'APP_KEY' not in str(result)
    # Whatever happened, the next run converges without a second object.
    control(sim, 'DELETE', '/requests')
    again = run(monkeypatch, sim, write.main, write.args)
    assert not again['failed'], again
    assert write.count(settled(sim)) - before == 1


def staging_copy(monkeypatch, sim):
    wordpress_site(monkeypatch, sim)
    ready(monkeypatch, sim, wordpress_staging.main, STAGING)


class Action:
    """An action (a push, a restore, a release) under a fault. ``found_again`` - what it started can be
    read (a release shows in the deployments): a lost answer is recovered by reading it; otherwise
    the task fails, saying the action may have started."""

    def __init__(self, name, setup, main, args, method, path, found_again=False, says=''):
        self.name, self.setup, self.main, self.args = name, setup, main, args
        self.method, self.path, self.found_again, self.says = method, path, found_again, says

    def __repr__(self):
        return self.name


ACTIONS = [
    Action('wordpress_staging push', staging_copy, wordpress_staging.main, dict(STAGING, push=True), 'PATCH', r'/wordpress/staging/push$',
           says='may have been applied'),
    Action('backup_restore', backup_policy_with_a_snapshot, backup_restore.main, dict(server='web-01', web_app='app'), 'POST', r'/restore$',
           says='The restore may have started'),
    Action('atomic_deployment', atomic_project_of_app, atomic_deployment.main, dict(project='shop'), 'PUT', r'/forcedeploy$',
           found_again=True, says='a second one would be a second release'),
]


@pytest.mark.parametrize('fault', ANY_FAULT)
@pytest.mark.parametrize('action', ACTIONS, ids=repr)
def test_an_action_under_a_fault_is_never_sent_twice(monkeypatch, sim, action, fault):
    action.setup(monkeypatch, sim)
    before = deployments(settled(sim))
    start_faults(sim, action.method, action.path, **fault)
    result = run(monkeypatch, sim, action.main, action.args, fault)
    finished(sim, fault)
    tries = len(sent(sim, action.method, action.path))
    released = deployments(settled(sim)) - before
    if fault['action'] == 'status' and fault['status'] == 429:
        # Refused, so not started: sent again once the pause passed.
        assert not result['failed'], result
        assert result['changed'] and tries == 2
    elif not action.found_again:
        # Whether it started is unknown and cannot be read: the task fails and says so.
        assert result['failed'] and result['changed'] and action.says in result['msg'], result
        assert tries == 1
    elif fault['action'] == 'status':
        # A 503 that started nothing: the re-read finds no new release, and none is started blindly.
        assert result['failed'] and result['changed'] and action.says in result['msg'], result
        assert tries == 1 and released == 0
    else:
        # Started, its answer lost: the re-read finds the release, which is followed to its end.
        assert not result['failed'], result
        assert result['changed'] and tries == 1 and released == 1
        assert result['deployment']['status'] == 'COMPLETED'
    if action.found_again:
        assert released == (0 if fault['action'] == 'status' and fault['status'] != 429 else 1)


# -- concurrent runs -----------------------------------------------------------------------------


def create_meanwhile(sim, path, body):
    """Another run's create of the same object, sent while this run's create is held by the simulator
    (a delay fault): it lands first. Returns the thread; join it."""
    def other_run():
        deadline = time.monotonic() + 5
        while control(sim, 'GET', '/faults')['rules'] and time.monotonic() < deadline:
            time.sleep(0.01)
        answer = requests.post(sim.url_v3 + path, json=body, headers={'Authorization': 'Bearer ' + sim.token_v3}, timeout=10)
        assert answer.status_code == 200, answer.text

    thread = threading.Thread(target=other_run)
    thread.start()
    return thread


def other_project(state):
    return '/atomic', {'name': 'shop', 'webApplication': apps_named(state, 'web-01', 'app')[0]['id']}


def other_policy(state):
    database = next(item for item in server_named(state, 'web-01')['_databases'].values() if item['name'] == 'app_db')
    return '/backups', {'name': 'app nightly', 'webApplicationId': apps_named(state, 'web-01', 'app')[0]['id'], 'databaseId': database['id'],
                        'storage': 'runcloud', 'backupType': 'incremental', 'frequency': '1 day', 'retention': '1 month'}


def other_site(state):
    server = server_named(state, 'web-01')
    owner = next(user['id'] for user in server['_users'].values() if user['username'] == 'app')
    return '/servers/%s/webapps/wordpress' % server['id'], {
        'name': 'blog', 'domainName': 'blog.example.com', 'user': owner, 'phpVersion': 'php83rc', 'stack': 'hybrid', 'siteTitle': 'Blog',
        'adminUsername': 'editor', 'password': 'admin-Secret-Faults', 'adminEmail': 'editor@example.com', 'dbName': 'blog_db',
        'dbUser': 'blog_user', 'dbPassword': 'db-Secret-Faults'}


def other_hub(state):
    server = server_named(state, 'web-01')
    return '/servers/%s/webapps/%s/runcloudhub' % (server['id'], apps_named(state, 'web-01', 'blog')[0]['id']), {
        'cacheType': 'redis', 'cacheValidMinute': 120}


@pytest.mark.parametrize('name, other_create', [('atomic_project', other_project), ('backup', other_policy), ('wordpress', other_site),
                                                ('runcloud_hub', other_hub)])
def test_an_object_another_run_created_meanwhile_is_found_not_failed_nor_made_twice(monkeypatch, sim, name, other_create):
    write = next(write for write in WRITES if write.name == name)
    write.setup(monkeypatch, sim)
    before = write.count(settled(sim))
    path, body = other_create(settled(sim))
    start_faults(sim, write.method, write.path, 'delay', delay_ms=300)
    other = create_meanwhile(sim, path, body)
    result = run(monkeypatch, sim, write.main, write.args)
    other.join()
    assert not result['failed'], result
    assert write.count(settled(sim)) - before == 1
    # This run's create was refused: the other run's object is the one converged.
    assert [entry['status'] for entry in sent(sim, write.method, write.path)] == [200, 422]


# -- idempotent updates and reads ------------------------------------------------------------------


UPDATES = [
    pytest.param(wordpress_site, wordpress_settings.main, dict(server='web-01', web_app='blog', disable_wp_cron=True, wp_debug=True),
                 'PATCH', r'/wordpress/config$', id='wordpress_settings'),
    pytest.param(nothing, ssh_config.main, dict(server='web-01', passwordless_login=False, use_dns=True), 'PATCH', r'/ssh/config$',
                 id='ssh_config'),
]


@pytest.mark.parametrize('fault', ANY_FAULT)
@pytest.mark.parametrize('setup, main, args, method, path', UPDATES)
def test_an_idempotent_update_under_a_fault_is_sent_again_and_converges(monkeypatch, sim, setup, main, args, method, path, fault):
    setup(monkeypatch, sim)
    start_faults(sim, method, path, **fault)
    result = run(monkeypatch, sim, main, args, fault)
    finished(sim, fault)
    assert not result['failed'], result
    assert result['changed'] and len(sent(sim, method, path)) == 2
    settled(sim)
    control(sim, 'DELETE', '/requests')
    again = run(monkeypatch, sim, main, args)
    assert not again['failed'] and again['changed'] is False, again
    assert [entry for entry in control(sim, 'GET', '/requests')['requests'] if entry['method'] != 'GET'] == []


@pytest.mark.parametrize('fault', [pytest.param(dict(action='status', status=503), id='503'), pytest.param(dict(action='drop'), id='dropped'),
                                   pytest.param(dict(action='delay', delay_ms=SLOW_MS), id='slower-than-the-timeout')])
def test_reads_under_a_fault_are_sent_again(monkeypatch, sim, fault):
    atomic_project_of_app(monkeypatch, sim)
    # The landing wait of a release, and the project's members an info task reads.
    start_faults(sim, 'GET', r'^/atomic/\d+/deployments', **fault)
    released = run(monkeypatch, sim, atomic_deployment.main, dict(project='shop'), fault)
    finished(sim, fault)
    assert not released['failed'], released
    assert released['deployed'] and len(sent(sim, 'PUT', r'/forcedeploy$')) == 1
    start_faults(sim, 'GET', r'^/atomic/\d+/symlinks$', **fault)
    info = run(monkeypatch, sim, atomic_project_info.main, dict(name='shop', deployments=True), fault)
    assert not info['failed'], info
    [project] = info['atomic_projects']
    assert [link['link_from'] for link in project['symlinks']] == ['storage'] and len(project['deployments']) == 1
