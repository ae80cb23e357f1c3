# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy

import pytest

from ansible.errors import AnsibleParserError
from ansible.inventory.data import InventoryData
from ansible.parsing.dataloader import DataLoader
from ansible.template import Templar

from ansible_collections.runcloud.cloud.plugins.inventory import runcloud
from ansible_collections.runcloud.cloud.plugins.inventory.runcloud import InventoryModule, assign_hostnames, snake_case

try:  # ansible-core 2.19+: templates must be trusted, API data must not be
    from ansible.template import is_trusted_as_template, trust_as_template
except ImportError:
    is_trusted_as_template = None

    def trust_as_template(value):
        return value

from ansible.utils.unsafe_proxy import AnsibleUnsafe


def is_unsafe(value):
    if is_trusted_as_template is not None:
        return not is_trusted_as_template(value)
    return isinstance(value, AnsibleUnsafe)


def server(server_id, name, **fields):
    data = {'id': server_id, 'name': name, 'provider': 'Hetzner', 'ipAddress': '192.0.2.%d' % server_id, 'os': 'Ubuntu',
            'osVersion': '22.04', 'connected': True, 'online': True, 'agentVersion': '2.9.4', 'phpCLIVersion': 'php81rc',
            'softwareUpdate': False, 'securityUpdate': True, 'transferStatus': 'AVAILABLE', 'created_at': '2023-01-02 09:00:00',
            'country_iso_code': None, 'tags': []}
    data.update(fields)
    return data


DEFAULTS = dict(
    plugin='runcloud.cloud.runcloud', hostname='name', hostvars_prefix='runcloud_', group='runcloud', search=None,
    connected_only=False, filters={}, include_web_apps=False, include_databases=False, include_shared=False, concurrency=4,
    api_url='https://api.example.test/api/v2', api_token='token', api_key=None, api_secret=None, validate_certs=True, ca_path=None,
    api_timeout=30.0, api_retries=5, api_retry_budget=120.0, compose={}, groups={}, keyed_groups=[], strict=False,
    leading_separator=True, use_extra_vars=False, cache=False, cache_plugin='memory', cache_timeout=3600,
    cache_connection=None, cache_prefix='ansible_inventory_',
)
TEMPLATE_OPTIONS = ('hostname', 'api_token', 'api_url', 'search')


def trusted(value):
    """Config-file values are trusted templates on 2.19+; mimic that for the options we set."""
    if isinstance(value, str):
        return trust_as_template(value)
    if isinstance(value, list):
        return [trusted(item) for item in value]
    if isinstance(value, dict):
        return dict((key, trusted(item)) for key, item in value.items())
    return value


class FakeClient:
    """Answers list_all from a dict of path -> items and records the paths."""

    def __init__(self, lists):
        self.lists = lists
        self.calls = []
        self.request_count = 0

    @staticmethod
    def path(template, **values):
        return template.format(**values)

    def list_all(self, path, params=None, per_page=40, concurrency=1):
        self.calls.append((path, params, concurrency))
        self.request_count += 1
        return copy.deepcopy(self.lists.get(path, []))

    def usage(self):
        return dict(requests=self.request_count, writes=0, rate_limit=dict(limit=None, remaining=None))


def make_plugin(**options):
    plugin = InventoryModule()
    values = dict(DEFAULTS)
    values.update(trusted(options))
    plugin._options = values
    loader = DataLoader()
    plugin.loader = loader
    plugin.templar = Templar(loader=loader)
    plugin.inventory = InventoryData()
    plugin._vars = {}
    plugin.warnings = []
    plugin.display = type('Display', (), {
        'warning': lambda self, msg: plugin.warnings.append(msg),
        'v': lambda self, msg: None, 'vv': lambda self, msg: None, 'vvv': lambda self, msg: None, 'vvvv': lambda self, msg: None,
    })()
    return plugin


def data_for(servers, **query):
    descriptor = dict(api_url=DEFAULTS['api_url'], search=None, connected_only=False, web_apps=False, databases=False)
    descriptor.update(query)
    return dict(format=runcloud.CACHE_FORMAT, query=descriptor, servers=servers, web_apps={}, databases={})


def hosts_of(plugin, group):
    return sorted(host.name for host in plugin.inventory.groups[group].get_hosts())


# -- verify_file -----------------------------------------------------------------------------------

@pytest.mark.parametrize('name, expected', [
    ('servers.runcloud.yml', True),
    ('servers.runcloud.yaml', True),
    ('runcloud.yml', True),
    ('runcloud.yaml', True),
    ('runcloud.yml.bak', False),
    ('servers.runcloud.json', False),
])
def test_verify_file_accepts_only_runcloud_config_names(tmp_path, name, expected):
    path = tmp_path / name
    path.write_text(u'plugin: runcloud.cloud.runcloud\n')
    assert make_plugin().verify_file(str(path)) is expected


@pytest.mark.parametrize('name', ['servers.yml', 'my-runcloud.yml', 'servers.hcloud.yaml'])
@pytest.mark.parametrize('plugin', ['runcloud.cloud.runcloud', 'runcloud'])
def test_a_yaml_file_that_names_the_plugin_but_not_its_file_name_rule_says_the_rule(tmp_path, name, plugin):
    # What the `auto` plugin shows instead of "could not be verified by inventory plugin".
    path = tmp_path / name
    path.write_text(u'plugin: %s\n' % plugin)
    with pytest.raises(AnsibleParserError) as caught:
        make_plugin().verify_file(str(path))
    message = str(caught.value)
    assert name in message and 'runcloud.yml' in message and 'runcloud.yaml' in message and 'rename the file' in message


@pytest.mark.parametrize('text', [u'plugin: amazon.aws.aws_ec2\n', u'all:\n  hosts:\n    web-01:\n', u'{{ not yaml', u''])
def test_another_yaml_file_is_declined_quietly(tmp_path, text):
    path = tmp_path / 'servers.yml'
    path.write_text(text)
    assert make_plugin().verify_file(str(path)) is False


def test_verify_file_rejects_a_missing_file(tmp_path):
    assert make_plugin().verify_file(str(tmp_path / 'missing.runcloud.yml')) is False


# -- host variables --------------------------------------------------------------------------------

@pytest.mark.parametrize('api_name, variable', [
    ('id', 'id'), ('ipAddress', 'ip_address'), ('phpCLIVersion', 'php_cli_version'), ('osVersion', 'os_version'),
    ('agentVersion', 'agent_version'), ('softwareUpdate', 'software_update'), ('transferStatus', 'transfer_status'),
    ('created_at', 'created_at'), ('country_iso_code', 'country_iso_code'), ('server_user_id', 'server_user_id'),
    ('processManagerMaxChildren', 'process_manager_max_children'), ('pullKey1', 'pull_key1'), ('advancedSSL', 'advanced_ssl'),
])
def test_snake_case_mapping(api_name, variable):
    assert snake_case(api_name) == variable


def test_host_variables_use_the_prefix_and_set_ansible_host():
    variables = make_plugin().host_variables(server(3, 'web'), data_for([]))
    assert variables['ansible_host'] == '192.0.2.3'
    assert variables['runcloud_ip_address'] == '192.0.2.3'
    assert variables['runcloud_php_cli_version'] == 'php81rc'
    assert variables['runcloud_connected'] is True
    assert 'runcloud_web_apps' not in variables

    variables = make_plugin(hostvars_prefix='rc_').host_variables(server(3, 'web'), data_for([]))
    assert variables['rc_id'] == 3 and 'runcloud_id' not in variables and 'rc_ansible_host' not in variables


def test_extra_data_is_snake_cased_and_nested():
    data = data_for([server(1, 'web')], web_apps=True, databases=True)
    data['web_apps'] = {'1': [{'web_app': {'id': 5, 'name': 'shop', 'phpVersion': 'php82rc'},
                               'domains': [{'id': 9, 'name': 'shop.example.com', 'dns_integration': 'none'}]}]}
    data['databases'] = {'1': [{'id': 2, 'name': 'shop_db', 'collation': 'utf8mb4_unicode_ci'}]}
    variables = make_plugin().host_variables(server(1, 'web'), data)
    assert variables['runcloud_web_apps'] == [{'id': 5, 'name': 'shop', 'php_version': 'php82rc',
                                               'domains': [{'id': 9, 'name': 'shop.example.com', 'dns_integration': 'none'}]}]
    assert variables['runcloud_databases'] == [{'id': 2, 'name': 'shop_db', 'collation': 'utf8mb4_unicode_ci'}]


def test_api_strings_that_could_be_templates_and_their_host_names_are_unsafe():
    lookup = "{{ lookup('pipe', 'id') }}"
    header = "#jinja2:variable_start_string:'[[', variable_end_string:']]'\n[[ lookup('pipe', 'id') ]]"
    # Trusted on purpose: the plugin must take the trust away, wherever the strings came from.
    api_server = trusted(server(1, lookup, tags=['{{ x }}', 'a}b', header, 'prod']))
    plugin = make_plugin()
    plugin._populate(data_for([api_server]))
    host = plugin.inventory.get_host(lookup)
    assert host is not None
    assert is_unsafe(host.name)
    host_vars = host.get_vars()
    assert host_vars['runcloud_name'] == lookup and is_unsafe(host_vars['runcloud_name'])
    assert [is_unsafe(tag) for tag in host_vars['runcloud_tags']] == [True, True, True, False]


def test_other_api_strings_stay_plain_so_that_the_export_has_no_unsafe_envelope():
    plugin = make_plugin(compose={'ansible_user': "'root'", 'label': "runcloud_name ~ '-' ~ runcloud_id"})
    plugin._populate(data_for([server(1, 'web-01', tags=['prod']), server(2, '{{ x }}')]))
    web = plugin.inventory.get_host('web-01').get_vars()
    for name in ('ansible_host', 'runcloud_name', 'runcloud_provider', 'ansible_user', 'label'):
        assert not is_unsafe(web[name]), name
    assert not is_unsafe(web['runcloud_tags'][0])
    assert web['label'] == 'web-01-1'
    # A composed value made of a template-like name stays unsafe.
    other = plugin.inventory.get_host('{{ x }}').get_vars()
    assert other['label'] == '{{ x }}-2' and is_unsafe(other['label'])


# -- host names ------------------------------------------------------------------------------------

def test_hostname_defaults_to_the_server_name_and_all_go_to_the_base_group():
    plugin = make_plugin()
    plugin._populate(data_for([server(2, 'db'), server(1, 'web')]))
    assert hosts_of(plugin, 'runcloud') == ['db', 'web']


@pytest.mark.parametrize('spec', ['ipAddress', 'ip_address'])
def test_hostname_from_a_field_in_api_or_snake_case_form(spec):
    plugin = make_plugin(hostname=spec)
    plugin._populate(data_for([server(7, 'web')]))
    assert hosts_of(plugin, 'runcloud') == ['192.0.2.7']


def test_hostname_from_a_template():
    plugin = make_plugin(hostname='{{ runcloud_name }}-{{ runcloud_id }}.{{ runcloud_provider | lower }}')
    plugin._populate(data_for([server(7, 'web')]))
    assert hosts_of(plugin, 'runcloud') == ['web-7.hetzner']


def test_hostname_falls_back_to_the_name_with_a_warning():
    plugin = make_plugin(hostname='nosuchfield')
    plugin._populate(data_for([server(7, 'web')]))
    assert hosts_of(plugin, 'runcloud') == ['web']
    assert any("no field 'nosuchfield'" in warning for warning in plugin.warnings)


def test_duplicate_names_are_disambiguated_with_the_id_and_warned_about():
    plugin = make_plugin()
    plugin._populate(data_for([server(9, 'web'), server(3, 'web'), server(5, 'web'), server(4, 'db')]))
    assert hosts_of(plugin, 'runcloud') == ['db', 'web', 'web_5', 'web_9']
    assert plugin.inventory.get_host('web').get_vars()['runcloud_id'] == 3
    assert plugin.inventory.get_host('web_9').get_vars()['runcloud_id'] == 9
    assert len(plugin.warnings) == 1
    assert "servers 3, 5, 9 would all be named 'web'" in plugin.warnings[0]


def test_assign_hostnames_never_reuses_a_taken_name():
    # Server 8 is really named "web_7"; the second "web" (id 7) must not take that name.
    names, duplicates = assign_hostnames([(1, 'web'), (7, 'web'), (8, 'web_7')])
    assert names == ['web', 'web_7_7', 'web_7']
    assert duplicates == [('web', 1, [(7, 'web_7_7')])]


# -- filters and groups ----------------------------------------------------------------------------

def test_connected_only_and_filters():
    servers = [server(1, 'a', provider='Hetzner'), server(2, 'b', provider='Vultr'), server(3, 'c', provider='Hetzner', online=False),
               server(4, 'd', provider='Hetzner', connected=False), server(5, 'e', provider='AWS', phpCLIVersion='php83rc')]
    plugin = make_plugin(connected_only=True, filters={'include': ["runcloud_provider == 'Hetzner'", "runcloud_php_cli_version == 'php83rc'"],
                                                       'exclude': ['not runcloud_online']})
    plugin._populate(data_for(servers))
    assert hosts_of(plugin, 'runcloud') == ['a', 'e']


def test_a_failing_filter_excludes_the_server_or_fails_when_strict():
    plugin = make_plugin(filters={'include': ['runcloud_nosuchvar.x']})
    plugin._populate(data_for([server(1, 'a')]))
    assert 'a' not in plugin.inventory.hosts
    plugin = make_plugin(filters={'include': ['runcloud_nosuchvar.x']}, strict=True)
    with pytest.raises(AnsibleParserError, match='filters'):
        plugin._populate(data_for([server(1, 'a')]))


def test_keyed_groups_groups_and_compose():
    plugin = make_plugin(group='', keyed_groups=[{'key': 'runcloud_provider | lower', 'prefix': 'provider'}],
                         groups={'offline': 'not runcloud_online'}, compose={'ansible_user': "'deploy'"})
    plugin._populate(data_for([server(1, 'a'), server(2, 'b', provider='Vultr', online=False)]))
    assert 'runcloud' not in plugin.inventory.groups
    assert hosts_of(plugin, 'provider_hetzner') == ['a']
    assert hosts_of(plugin, 'provider_vultr') == ['b']
    assert hosts_of(plugin, 'offline') == ['b']
    assert plugin.inventory.get_host('a').get_vars()['ansible_user'] == 'deploy'


@pytest.mark.parametrize('filters, message', [
    ({'only': ['x']}, 'only the keys include and exclude'),
    ({'include': 'runcloud_online'}, 'must be a list'),
])
def test_invalid_filters_are_refused(filters, message):
    with pytest.raises(AnsibleParserError, match=message):
        make_plugin(filters=filters)._validate_options()


def test_concurrency_must_be_positive():
    with pytest.raises(AnsibleParserError, match='concurrency'):
        make_plugin(concurrency=0)._validate_options()


# -- options, fetching, cache ----------------------------------------------------------------------

def test_connection_options_may_be_templates():
    plugin = make_plugin(api_token="{{ 'tok' ~ 'en-from-template' }}", api_url='{{ sim_url }}')
    plugin._vars = {'sim_url': 'http://127.0.0.1:1/api/v2'}
    options = plugin._templated_options()
    assert options['api_token'] == 'token-from-template'
    assert options['api_url'] == 'http://127.0.0.1:1/api/v2'


@pytest.mark.parametrize('file_options, environment, expected', [
    (dict(api_token=None, api_key='k', api_secret='s'), dict(api_token='env-token'), (None, 'k', 's')),
    (dict(api_token='t'), dict(api_key='env-key', api_secret='env-secret'), ('t', None, None)),
    (dict(api_token=None), dict(api_token='', api_key='env-key', api_secret='env-secret'), (None, 'env-key', 'env-secret')),
    (dict(api_token=None, api_key='k'), dict(api_token='', api_secret='env-secret'), (None, 'k', 'env-secret')),
], ids=['file-pair-beats-env-token', 'file-token-beats-env-pair', 'empty-env-token-is-unset', 'pair-half-from-env'])
def test_inventory_file_credentials_beat_the_environment(monkeypatch, file_options, environment, expected):
    for name in ('api_token', 'api_key', 'api_secret'):
        monkeypatch.delenv('RUNCLOUD_%s' % name.upper(), raising=False)
    for name, value in environment.items():
        monkeypatch.setenv('RUNCLOUD_%s' % name.upper(), value)
    # Ansible's configuration gives each option the file's value, else the environment's.
    options = dict((name, file_options[name] if file_options.get(name) is not None else environment.get(name))
                   for name in ('api_token', 'api_key', 'api_secret'))
    plugin = make_plugin(**options)
    assert plugin._credentials(plugin._templated_options()) == expected


def test_both_kinds_in_the_inventory_file_are_refused(monkeypatch):
    for variable in ('RUNCLOUD_API_TOKEN', 'RUNCLOUD_API_KEY', 'RUNCLOUD_API_SECRET'):
        monkeypatch.delenv(variable, raising=False)
    plugin = make_plugin(api_token='t', api_key='k', api_secret='s')
    with pytest.raises(AnsibleParserError, match='not both'):
        plugin._create_client(plugin._templated_options())


def test_fetch_reads_servers_concurrently_then_apps_domains_and_databases():
    client = FakeClient({
        'servers': [server(1, 'a'), server(2, 'b', connected=False)],
        'servers/1/webapps': [{'id': 10, 'name': 'shop'}],
        'servers/1/webapps/10/domains': [{'id': 20, 'name': 'shop.example.com'}],
        'servers/1/databases': [{'id': 30, 'name': 'shop_db'}],
    })
    plugin = make_plugin(include_web_apps=True, include_databases=True, connected_only=True, search='sho', concurrency=3)
    plugin._create_client = lambda options: client
    options = plugin._templated_options()
    data = plugin._fetch(options, plugin._query_descriptor(options))
    assert client.calls[0] == ('servers', {'search': 'sho'}, 3)
    assert sorted(call[0] for call in client.calls[1:]) == ['servers/1/databases', 'servers/1/webapps', 'servers/1/webapps/10/domains']
    assert [item['id'] for item in data['servers']] == [1]
    assert data['web_apps'] == {'1': [{'web_app': {'id': 10, 'name': 'shop'}, 'domains': [{'id': 20, 'name': 'shop.example.com'}]}]}
    assert data['databases'] == {'1': [{'id': 30, 'name': 'shop_db'}]}
    assert plugin.api_stats['requests'] == 4
    # For the runcloud.cloud.api_usage callback, which runs in this process.
    assert runcloud.API_USAGE[-1] == {'requests': 4, 'writes': 0, 'rate_limit': {'limit': None, 'remaining': None}}


def test_shared_servers_are_added_on_request_and_marked():
    client = FakeClient({
        'servers': [server(1, 'a')],
        'servers/shared': [server(1, 'a'), server(7, 'partner', connected=False), server(8, 'agency')],
    })
    plugin = make_plugin(include_shared=True, connected_only=True, search='a')
    plugin._create_client = lambda options: client
    options = plugin._templated_options()
    data = plugin._fetch(options, plugin._query_descriptor(options))
    assert [call[:2] for call in client.calls] == [('servers', {'search': 'a'}), ('servers/shared', {'search': 'a'})]
    assert [(item['id'], item['shared']) for item in data['servers']] == [(1, False), (8, True)]
    plugin._populate(data)
    assert plugin.inventory.get_host('agency').get_vars()['runcloud_shared'] is True
    assert plugin.inventory.get_host('a').get_vars()['runcloud_shared'] is False


def test_shared_servers_are_not_read_by_default():
    client = FakeClient({'servers': [server(1, 'a')], 'servers/shared': [server(8, 'agency')]})
    plugin = make_plugin()
    plugin._create_client = lambda options: client
    options = plugin._templated_options()
    data = plugin._fetch(options, plugin._query_descriptor(options))
    assert [call[0] for call in client.calls] == ['servers']
    assert 'shared' not in data['servers'][0]


class CountingPlugin(InventoryModule):
    """parse() without a config file: options are set directly, the API is a FakeClient."""

    def __init__(self, options, client, cache):
        super(CountingPlugin, self).__init__()
        self.preset = options
        self.fake_client = client
        self._cache = cache
        self.clients_created = 0

    def _read_config_data(self, path):
        self._options = self.preset

    def get_cache_key(self, path):
        return 'runcloud_test_key'

    def _create_client(self, options):
        self.clients_created += 1
        return self.fake_client


def parse_with_cache(store, client, refresh=False, **options):
    values = dict(DEFAULTS)
    values.update(trusted(options))
    plugin = CountingPlugin(values, client, store)
    plugin.parse(InventoryData(), DataLoader(), 'servers.runcloud.yml', cache=not refresh)
    return plugin


def test_cache_hit_makes_no_request_reapplies_grouping_and_leaves_the_cache_unchanged():
    client = FakeClient({'servers': [server(1, 'a', provider='Hetzner'), server(2, 'b', provider='Vultr')]})
    cache = {}
    first = parse_with_cache(cache, client, cache=True, keyed_groups=[{'key': 'runcloud_provider | lower', 'prefix': 'p'}])
    assert first.clients_created == 1 and len(client.calls) == 1
    stored = copy.deepcopy(cache['runcloud_test_key'])

    reads = len(runcloud.API_USAGE)
    second = parse_with_cache(cache, client, cache=True, hostvars_prefix='rc_', compose={'tier': "'gold'"},
                              keyed_groups=[{'key': 'rc_php_cli_version', 'prefix': 'php'}])
    assert second.clients_created == 0 and len(client.calls) == 1
    assert len(runcloud.API_USAGE) == reads
    assert second.api_stats['cached'] is True
    assert hosts_of(second, 'php_php81rc') == ['a', 'b']
    assert 'p_hetzner' not in second.inventory.groups
    assert second.inventory.get_host('a').get_vars()['rc_id'] == 1
    assert second.inventory.get_host('a').get_vars()['tier'] == 'gold'
    assert cache['runcloud_test_key'] == stored
    assert 'ansible_host' not in cache['runcloud_test_key']['servers'][0]


def test_refresh_reads_the_api_and_replaces_the_cache():
    client = FakeClient({'servers': [server(1, 'a')]})
    cache = {}
    parse_with_cache(cache, client, cache=True)
    client.lists['servers'] = [server(1, 'a'), server(2, 'b')]
    plugin = parse_with_cache(cache, client, refresh=True, cache=True)
    assert plugin.clients_created == 1
    assert hosts_of(plugin, 'runcloud') == ['a', 'b']
    assert len(cache['runcloud_test_key']['servers']) == 2


def test_cache_made_with_other_options_is_not_used():
    client = FakeClient({'servers': [server(1, 'a')], 'servers/1/databases': [{'id': 3, 'name': 'db'}]})
    cache = {}
    parse_with_cache(cache, client, cache=True)
    plugin = parse_with_cache(cache, client, cache=True, include_databases=True)
    assert plugin.clients_created == 1
    assert plugin.inventory.get_host('a').get_vars()['runcloud_databases'] == [{'id': 3, 'name': 'db'}]
    assert cache['runcloud_test_key']['query']['databases'] is True


def test_cache_off_never_touches_the_cache():
    client = FakeClient({'servers': [server(1, 'a')]})
    cache = {}
    parse_with_cache(cache, client)
    parse_with_cache(cache, client)
    assert cache == {} and len(client.calls) == 2
