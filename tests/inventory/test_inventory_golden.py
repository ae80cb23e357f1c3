# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Golden-file tests of the inventory plugin: the real ``ansible-inventory --list`` of the running
Python environment against the simulator seeded with fixed data, compared with ``golden/*.json``.

Each golden file holds the normalised inventory (see ``inventory_harness.normalise``) and the
sorted API requests the run made. Regenerate them with ``RUNCLOUD_UPDATE_GOLDEN=1``.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import inventory_harness as harness  # noqa: E402  pylint: disable=wrong-import-position

HERE = os.path.dirname(os.path.abspath(__file__))
CONFIG_DIR = os.path.join(HERE, 'configs')
GOLDEN_DIR = os.path.join(HERE, 'golden')
UPDATE = os.environ.get('RUNCLOUD_UPDATE_GOLDEN') == '1'
LOOKUP_MARKER = 'runcloud-lookup-ran'
LOOKUP_NAME = "{{ lookup('pipe', 'touch %s') }}" % LOOKUP_MARKER
CONFIGS = sorted(name[:-len('.runcloud.yml')] for name in os.listdir(CONFIG_DIR) if name.endswith('.runcloud.yml'))


def seed_scenario(session):
    """45 servers over two pages: shop-01..03 (web app, domains, database), web-01..40, and the
    disconnected new-01..02; web-03 (id 6) is renamed web-01 and web-05 (id 8) to a lookup. One more
    server, partner-01 (id 46), is shared with the account by another one."""
    session.reset()
    assert session.seed(servers=3, fixtures=True, name_prefix='shop') == [1, 2, 3]
    assert session.seed(servers=40, name_prefix='web') == list(range(4, 44))
    assert session.seed(servers=2, connected=False, name_prefix='new') == [44, 45]
    assert session.seed(servers=1, shared=True, name_prefix='partner') == [46]
    session.rename_server(6, 'web-01')
    session.rename_server(8, LOOKUP_NAME)
    session.clear_log()


@pytest.fixture(scope='module')
def simulator():
    session = harness.SimulatorSession()
    try:
        yield session
    finally:
        session.close()


@pytest.fixture
def scenario(simulator):
    seed_scenario(simulator)
    return simulator


def run_config(session, name, workdir, extra_env=None):
    env = {'INVENTORY_TEST_TOKEN': harness.TOKEN}
    env.update(extra_env or {})
    inventory, output, _seconds = harness.run_inventory(
        os.path.join(CONFIG_DIR, name + '.runcloud.yml'), session.url, str(workdir), extra_env=env)
    return harness.normalise(inventory), output


@pytest.mark.parametrize('name', CONFIGS)
def test_golden(scenario, tmp_path, name):
    result, output = run_config(scenario, name, tmp_path)
    result['api_requests'] = harness.api_calls(scenario.request_log())
    golden_path = os.path.join(GOLDEN_DIR, name + '.json')
    if UPDATE:
        with open(golden_path, 'w') as handle:
            json.dump(result, handle, indent=2, sort_keys=True)
            handle.write('\n')
    with open(golden_path) as handle:
        expected = json.load(handle)
    assert result == expected, 'ansible-inventory output differs from %s; output:\n%s' % (golden_path, output)
    assert not os.path.exists(os.path.join(str(tmp_path), LOOKUP_MARKER)), 'a lookup in a server name was executed'


@pytest.mark.parametrize('file_name', ['runcloud.yml', 'runcloud.yaml'])
@pytest.mark.parametrize('enabled_plugins', ['runcloud.cloud.runcloud', 'auto'])
def test_a_file_named_after_the_plugin_is_accepted(scenario, tmp_path, file_name, enabled_plugins):
    """AWX projects name inventory files runcloud.yml; the default 'auto' plugin must pass them on."""
    config = os.path.join(str(tmp_path), file_name)
    with open(os.path.join(CONFIG_DIR, 'default.runcloud.yml')) as source, open(config, 'w') as target:
        target.write(source.read())
    inventory, output, _seconds = harness.run_inventory(
        config, scenario.url, str(tmp_path), extra_env={'ANSIBLE_INVENTORY_ENABLED': enabled_plugins})
    result = harness.normalise(inventory)
    result['api_requests'] = harness.api_calls(scenario.request_log())
    with open(os.path.join(GOLDEN_DIR, 'default.json')) as handle:
        assert result == json.load(handle), output


def test_server_named_like_a_lookup_is_listed_by_name_and_nothing_runs(scenario, tmp_path):
    result, _output = run_config(scenario, 'default', tmp_path)
    assert LOOKUP_NAME in result['hostvars']
    # Exported as unsafe (AWX keeps the envelope), so no later templating of the stored value runs it either.
    assert result['hostvars'][LOOKUP_NAME]['runcloud_name'] == {'__ansible_unsafe': LOOKUP_NAME}
    assert LOOKUP_NAME in result['groups']['runcloud']['hosts']
    result, _output = run_config(scenario, 'hostname_template', tmp_path)
    assert "{{ lookup('pipe', 'touch runcloud-lookup-ran') }}.aws.example.com" in result['hostvars']
    assert not os.path.exists(os.path.join(str(tmp_path), LOOKUP_MARKER))


def unsafe_envelopes(value, path=''):
    """``[(path, content)]`` of every ``{"__ansible_unsafe": ...}`` in exported data."""
    if isinstance(value, dict):
        if list(value) == ['__ansible_unsafe']:
            return [(path, value['__ansible_unsafe'])]
        return [found for key, item in value.items() for found in unsafe_envelopes(item, '%s.%s' % (path, key))]
    if isinstance(value, list):
        return [found for index, item in enumerate(value) for found in unsafe_envelopes(item, '%s[%d]' % (path, index))]
    return []


@pytest.mark.parametrize('name', ['default', 'extra_data', 'keyed_groups', 'hostname_template'])
def test_only_strings_that_could_be_templates_are_exported_as_unsafe(scenario, tmp_path, name):
    """AWX stores host variables as ``ansible-inventory --list --export`` gives them: an unsafe
    envelope would be stored as a dictionary (no usable ansible_host). Only the server named like a
    template may have one, in the fields that hold its name."""
    result, _output = run_config(scenario, name, tmp_path)
    envelopes = unsafe_envelopes(result['hostvars'])
    if any(variables.get('runcloud_id') == 8 for variables in result['hostvars'].values()):
        assert envelopes, 'the server named like a template was exported without unsafe marking'
    for path, content in envelopes:
        assert '{' in content or '}' in content, 'plain value %r exported as unsafe at %s' % (content, path)
    for host, variables in result['hostvars'].items():
        if variables.get('runcloud_id') != 8:
            assert unsafe_envelopes(variables) == [], host
            assert isinstance(variables['ansible_host'], str)


def test_duplicate_names_are_warned_about_and_kept(scenario, tmp_path):
    result, output = run_config(scenario, 'duplicates', tmp_path)
    assert sorted(result['hostvars']) == ['web-01', 'web-01_6']
    assert result['hostvars']['web-01']['runcloud_id'] == 4
    assert result['hostvars']['web-01_6']['runcloud_id'] == 6
    assert "server 6 is named 'web-01_6'" in ' '.join(output.split())


def test_all_pages_are_read_concurrently_after_the_first(scenario, tmp_path):
    result, _output = run_config(scenario, 'default', tmp_path)
    assert len(result['hostvars']) == 45
    assert harness.api_calls(scenario.request_log()) == [
        'GET /servers?page=1&perPage=40', 'GET /servers?page=2&perPage=40']


def test_cache_serves_a_second_run_without_requests_and_regroups(scenario, tmp_path):
    cache_dir = os.path.join(str(tmp_path), 'cache')
    config = os.path.join(str(tmp_path), 'cached.runcloud.yml')

    def write_config(keyed_key):
        with open(config, 'w') as handle:
            handle.write('plugin: runcloud.cloud.runcloud\nsearch: shop\ncache: true\n'
                         'cache_plugin: ansible.builtin.jsonfile\ncache_connection: %s\n'
                         'keyed_groups:\n  - key: %s\n    prefix: by\n' % (cache_dir, keyed_key))

    write_config('runcloud_provider')
    first, _output, _seconds = harness.run_inventory(config, scenario.url, str(tmp_path))
    assert len(scenario.request_log()['requests']) == 1
    scenario.clear_log()
    write_config('runcloud_php_cli_version')
    second, _output, _seconds = harness.run_inventory(config, scenario.url, str(tmp_path))
    assert scenario.request_log()['requests'] == []
    first, second = harness.normalise(first), harness.normalise(second)
    assert first['hostvars'] == second['hostvars']
    assert any(group.startswith('by_php') for group in second['groups'])
    assert not any(group.startswith('by_php') for group in first['groups'])
    if harness.ansible_inventory_has_option('--flush-cache'):  # ansible-core 2.17+
        harness.run_inventory(config, scenario.url, str(tmp_path), extra_args=['--flush-cache'])
        assert len(scenario.request_log()['requests']) == 1


@pytest.mark.parametrize('variants', [
    ['string-ids', 'string-flags', 'enum-case', 'dotted-php', 'data-envelope', 'timestamps'],
    ['links-pagination', 'word-booleans', 'string-scalars'],
])
@pytest.mark.parametrize('name', ['filters', 'keyed_groups', 'default'])
def test_the_same_inventory_whatever_the_spelling_of_the_answers(scenario, tmp_path, name, variants):
    """Ids, flags, enumerations, PHP versions and times in another spelling, objects in a data
    envelope, pages told by links.next only: the same hosts, groups, filters and host variables."""
    scenario.control('POST', '/variants', {'variants': variants})
    try:
        result, output = run_config(scenario, name, tmp_path)
    finally:
        scenario.control('POST', '/variants', {'variants': []})
    with open(os.path.join(GOLDEN_DIR, name + '.json')) as handle:
        expected = json.load(handle)
    expected.pop('api_requests', None)
    assert result == expected, output
