# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Check mode through whole plays, module by module, against the simulator:

- a resource check mode would create has every return value its RETURN documents as always there;
- under parents that do not exist yet because an earlier task of the play only predicted them (the
  action plugin passes ``predicted_parents``) a module reports the change instead of failing, looks
  nothing up under them and sends no request that writes;
- a parent that does not exist and that no earlier task predicted (a typo) fails as in the real run.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import importlib
import json
import os
import sys

import pytest
import yaml

from ansible_collections.runcloud.cloud.tests.unit.module_runner import run_module_against

SIMULATOR_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..', 'simulator')
sys.path.insert(0, SIMULATOR_DIR)

from runcloud_sim import Simulator  # noqa: E402  pylint: disable=wrong-import-position

TOKEN = 'check-mode-token'

# module -> (options that create a new resource under the seeded fixtures of server web-01,
#            the same under parents that do not exist)
CREATES = {
    'server': (dict(name='web-99', ip_address='203.0.113.99'), None),
    'system_user': (dict(server='web-01', username='shop'), dict(server='nowhere', username='shop')),
    'ssh_key': (dict(server='web-01', label='laptop', system_user='app', public_key='ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB alice'),
                dict(server='nowhere', label='laptop', system_user='shop', public_key='ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB alice')),
    'database': (dict(server='web-01', name='shop'), dict(server='nowhere', name='shop')),
    'database_user': (dict(server='web-01', username='shop', password='Secret-Pa55'),
                      dict(server='nowhere', username='shop', password='Secret-Pa55')),
    'database_grant': (dict(server='web-01', database='app_db', database_user='shop', predicted_parents=['database_user']),
                       dict(server='web-01', database='shop', database_user='shop')),
    'web_app': (dict(server='web-01', name='shop', domain_name='shop.example.com', system_user='app'),
                dict(server='web-01', name='shop', domain_name='shop.example.com', system_user='shop')),
    'domain': (dict(server='web-01', web_app='app', name='shop.example.com'), dict(server='web-01', web_app='shop', name='shop.example.com')),
    'web_app_ssl': (dict(server='web-01', web_app='app', provider='letsencrypt', advanced_ssl=False),
                    dict(server='nowhere', web_app='shop', provider='letsencrypt', enable_hsts=True)),
    'git': (dict(server='web-01', web_app='app', provider='github', repository='acme/shop', branch='main'),
            dict(server='web-01', web_app='shop', provider='github', repository='acme/shop', branch='main')),
    'script_installer': (dict(server='web-01', web_app='app', name='wordpress'), dict(server='nowhere', web_app='shop', name='wordpress')),
    'service': (None, dict(server='nowhere', name='nginx', state='restarted')),
    'cron_job': (dict(server='web-01', label='backup', command='/usr/local/bin/backup', user='app', schedule='0 3 * * *'),
                 dict(server='nowhere', label='backup', command='/usr/local/bin/backup', user='shop', schedule='0 3 * * *')),
    'supervisor_job': (dict(server='web-01', label='worker', command='artisan queue:work', user='app'),
                       dict(server='nowhere', label='worker', command='artisan queue:work', user='shop')),
    'firewall': (dict(server='web-01', rules=[dict(port=8081)]), dict(server='nowhere', rules=[dict(port=8081)])),
    'firewall_rule': (dict(server='web-01', port=9000), dict(server='nowhere', port=9000)),
    'external_api_key': (dict(label='dns', service='cloudflare', username='dns@example.com', secret='not-a-real-secret'), None),
}
INFOS = {
    'system_user_info': 'system_users',
    'database_info': 'databases',
    'web_app_info': 'web_apps',
    'cron_job_info': 'cron_jobs',
    'supervisor_job_info': 'supervisor_jobs',
    'firewall_rule_info': 'firewall_rules',
    'fail2ban_info': 'blocked_ips',
}


@pytest.fixture(scope='module', name='simulator')
def fixture_simulator():
    sim = Simulator(token=TOKEN)
    sim.start()
    yield sim
    sim.stop()


@pytest.fixture(name='sim')
def fixture_sim(simulator):
    simulator.handle_control('POST', '/reset', '')
    simulator.handle_control('POST', '/seed', json.dumps({'servers': 1, 'fixtures': True}))
    simulator.handle_control('DELETE', '/requests', '')
    return simulator


def module_main(name):
    return importlib.import_module('ansible_collections.runcloud.cloud.plugins.modules.' + name).main


def always_returned(name):
    """{result key: [keys it always contains]} from the module's RETURN documentation."""
    documented = yaml.safe_load(importlib.import_module('ansible_collections.runcloud.cloud.plugins.modules.' + name).RETURN)
    always = {}
    for key, entry in documented.items():
        if not str(entry.get('returned', 'always')).startswith(('always', 'success')):
            continue
        always[key] = [inner for inner, spec in (entry.get('contains') or {}).items()
                       if not str(spec.get('returned', 'always')).startswith('when')]
    return always


def writes(sim):
    return [entry for entry in sim.handle_control('GET', '/requests', '').body['requests'] if entry['method'] != 'GET']


def assert_documented_values_present(name, result):
    for key, inner_keys in always_returned(name).items():
        assert key in result, '%s: no %s in %s' % (name, key, result)
        # A list of dicts (``resolved``): every element has the documented keys.
        for value in result[key] if isinstance(result[key], list) else [result[key]]:
            missing = [inner for inner in inner_keys if inner not in value]
            assert not missing, '%s: %s lacks %s in check mode' % (name, key, missing)


@pytest.mark.parametrize('name', sorted(name for name, (args, dummy) in CREATES.items() if args))
def test_a_predicted_resource_has_every_documented_return_value(monkeypatch, sim, name):
    result = run_module_against(monkeypatch, module_main(name), CREATES[name][0], sim.url, TOKEN, check_mode=True, diff=True)
    assert not result['failed'], result
    assert result['changed'] is True
    assert_documented_values_present(name, result)
    assert writes(sim) == []


LIST_OF_KIND = dict(server='/servers', web_app='/webapps', system_user='/users', database='/databases', database_user='/databaseusers')


def missing_kinds(args):
    """The parents of the second set of CREATES that do not exist: what an earlier task predicted."""
    if args.get('server') == 'nowhere':
        return ['server']
    return [kind for kind in ('web_app', 'system_user', 'database', 'database_user') if args.get(kind) == 'shop']


def lookups(sim):
    return [(entry['path'], entry['query'].get('search')) for entry in sim.handle_control('GET', '/requests', '').body['requests']
            if entry['method'] == 'GET']


@pytest.mark.parametrize('name', sorted(name for name, (dummy, args) in CREATES.items() if args))
def test_parents_an_earlier_task_predicted_are_a_predicted_change(monkeypatch, sim, name):
    args = dict(CREATES[name][1], predicted_parents=missing_kinds(CREATES[name][1]))
    result = run_module_against(monkeypatch, module_main(name), args, sim.url, TOKEN, check_mode=True, diff=True)
    assert not result['failed'], result
    assert result['changed'] is True
    assert_documented_values_present(name, result)
    assert writes(sim) == []
    predicted_lists = tuple(LIST_OF_KIND[kind] for kind in args['predicted_parents'])
    assert not [(path, search) for path, search in lookups(sim) if search == 'nowhere' or path.endswith(predicted_lists)], lookups(sim)


@pytest.mark.parametrize('name', sorted(name for name, (dummy, args) in CREATES.items() if args))
def test_missing_parents_nobody_predicted_fail_in_check_mode_too(monkeypatch, sim, name):
    result = run_module_against(monkeypatch, module_main(name), CREATES[name][1], sim.url, TOKEN, check_mode=True)
    assert result['failed'] is True, result
    assert ': no ' in result['msg'] and 'earlier task' in result['msg'] and 'predicted_parents' in result['msg'], result['msg']
    assert writes(sim) == []


@pytest.mark.parametrize('name', sorted(name for name, (dummy, args) in CREATES.items() if args))
def test_missing_parents_still_fail_a_real_run(monkeypatch, sim, name):
    result = run_module_against(monkeypatch, module_main(name), CREATES[name][1], sim.url, TOKEN)
    assert result['failed'] is True
    assert result['msg'].startswith('GET /servers') and 'HTTP' not in result['msg'] and ': no ' in result['msg'], result['msg']
    assert writes(sim) == []


@pytest.mark.parametrize('name', sorted(INFOS))
def test_info_modules_read_nothing_under_a_predicted_server(monkeypatch, sim, name):
    result = run_module_against(monkeypatch, module_main(name), dict(server='nowhere', predicted_parents=['server']), sim.url, TOKEN,
                                check_mode=True)
    assert not result['failed'], result
    assert result['changed'] is False and result[INFOS[name]] == []
    assert lookups(sim) == []


def test_state_absent_under_a_predicted_parent_changes_nothing(monkeypatch, sim):
    result = run_module_against(monkeypatch, module_main('database'), dict(server='nowhere', name='shop', state='absent', predicted_parents=['server']),
                                sim.url, TOKEN, check_mode=True)
    assert not result['failed'] and result['changed'] is False


def test_unblocking_on_a_predicted_server_reads_and_writes_nothing(monkeypatch, sim):
    result = run_module_against(monkeypatch, module_main('fail2ban_unblock'), dict(server='nowhere', ips=['203.0.113.9'], predicted_parents=['server']),
                                sim.url, TOKEN, check_mode=True)
    assert not result['failed'], result
    assert result['changed'] is False and result['unblocked'] == []
    assert writes(sim) == []
