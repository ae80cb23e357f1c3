# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The account export against the simulator: what it writes for seeded random accounts (the same
generator as the round trip), that it is stable, short, free of secrets, in the roles' variables,
and that its requests stay within one list per kind per server plus the per-application reads."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import sys
import time

import pytest
import requests
import yaml

from ansible_collections.runcloud.cloud.plugins.module_utils.client import RunCloudClient
from ansible_collections.runcloud.cloud.plugins.plugin_utils.account_export import (
    AccountExport,
    AccountReader,
    RoleVariables,
    domain_entries,
    supervisor_values,
)

TESTS_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..')
sys.path.insert(0, os.path.join(TESTS_DIR, 'simulator'))
sys.path.insert(0, os.path.join(TESTS_DIR, 'adopt'))

from runcloud_sim import Simulator  # noqa: E402  pylint: disable=wrong-import-position
import account_generator  # noqa: E402  pylint: disable=wrong-import-position

TOKEN = 'export-token'
ROLES_DIR = os.path.join(TESTS_DIR, '..', 'roles')


@pytest.fixture(scope='module', params=[3, 4, 11])
def account(request):
    with Simulator(token=TOKEN) as sim:
        client = RunCloudClient(api_url=sim.url, api_token=TOKEN)
        builder = account_generator.build_account(client, sim.control_url, request.param, 'medium')
        sim.handle_control('DELETE', '/requests', '')
        reader = AccountReader(RunCloudClient(api_url=sim.url, api_token=TOKEN), 4)
        data = reader.read(reader.servers())
        files = AccountExport().files(data, reader.external_api_keys())
        log = sim.handle_control('GET', '/requests', '').body
        again_reader = AccountReader(RunCloudClient(api_url=sim.url, api_token=TOKEN), 1)
        again = AccountExport().files(again_reader.read(again_reader.servers()), again_reader.external_api_keys())
        yield dict(sim=sim, builder=builder, data=data, files=files, again=again, log=log, state=sim.state)


def role_options(role):
    with open(os.path.join(ROLES_DIR, role, 'meta', 'argument_specs.yml')) as handle:
        return set(yaml.safe_load(handle)['argument_specs']['main']['options'])


def test_files_of_an_account(account):
    files = account['files']
    hosts = sorted(server['name'] for server in (entry['server'] for entry in account['data'].values()))
    assert sorted(files) == sorted(['runcloud.yml', 'vault-template.yml', 'group_vars/all/main.yml']
                                   + ['host_vars/%s.yml' % host for host in hosts])
    inventory = yaml.safe_load(files['runcloud.yml'])
    assert inventory['plugin'] == 'runcloud.cloud.runcloud'
    assert inventory['filters']['include'] == ['runcloud_id in %s' % sorted(int(key) for key in account['data'])]


def test_the_same_account_gives_the_same_text(account):
    # Sequential and concurrent reading, two exports: byte for byte the same.
    assert account['files'] == account['again']


def test_only_variables_of_the_roles(account):
    allowed = role_options('server_baseline') | set(['php_site_sites', 'laravel_app_apps'])
    site_keys = set(name[len('php_site_'):] for name in role_options('php_site'))
    laravel_keys = set(name[len('laravel_app_'):] for name in role_options('laravel_app'))
    kinds = set()
    for path, text in account['files'].items():
        if not path.startswith(('host_vars/', 'group_vars/')):
            continue
        variables = yaml.safe_load(text) or {}
        assert set(variables) <= allowed, path
        for site in variables.get('php_site_sites', []):
            assert set(site) <= site_keys, site
            kinds.add('php_site')
        for app in variables.get('laravel_app_apps', []):
            assert set(app) <= laravel_keys, app
            kinds.add('laravel_app')
    assert kinds == set(['php_site', 'laravel_app'])


def test_defaults_are_left_out(account):
    site_defaults = RoleVariables('php_site', 'php_site_')
    for path, text in account['files'].items():
        if not path.startswith('host_vars/'):
            continue
        variables = yaml.safe_load(text)
        for site in variables.get('php_site_sites', []):
            for key, value in site.items():
                if key != 'name':
                    assert value != site_defaults.default_of(key, site), (key, value)
            for key, value in site.get('web_app_settings', {}).items():
                assert (key, value) not in [('memory_limit', 256), ('process_manager', 'ondemand'), ('allow_url_fopen', True)]
        assert 'server_baseline_security_update' not in variables or variables['server_baseline_security_update'] is False


def test_no_secret_of_the_api_is_exported(account):
    secrets = set(account['builder'].secrets)

    def walk(value):
        if isinstance(value, dict):
            for key, item in value.items():
                if key in ('pullKey1', 'pullKey2', 'privateKey', '_agentToken', '_password', 'secret') and isinstance(item, str) and len(item) > 8:
                    secrets.add(max(item.splitlines(), key=len))
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(account['state'])
    assert secrets
    text = ''.join(account['files'].values())
    assert [secret for secret in secrets if secret in text] == []
    assert 'pull_key' not in text and 'pullKey' not in text and 'webhook' not in text.lower()


def test_secrets_are_vault_references_listed_in_the_template(account):
    files = account['files']
    template = yaml.safe_load(files['vault-template.yml'])
    referenced = set()
    for path, text in files.items():
        if path.startswith(('host_vars/', 'group_vars/')):
            referenced.update(name for name in template if '{{ %s }}' % name in text)
    assert referenced == set(template)
    assert all(value == '' for value in template.values())
    assert all(name.startswith('vault_') for name in template)
    # Every database user and 3rd-party key has one, and a custom certificate's key.
    state = account['state']
    database_users = sum(len(server['_databaseusers']) for server in state['servers'].values())
    passwords = [name for name in template if name.endswith('_database_password')]
    assert len(passwords) == database_users
    assert len([name for name in template if name.startswith('vault_external_api_')]) == len(state['externalapi'])


def test_requests_stay_within_the_bound(account):
    log = account['log']
    data = account['data']
    servers = len(data)
    apps = sum(len(entry['web_apps']) for entry in data.values())
    databases = sum(len(entry['databases']) for entry in data.values())
    assert log['counters']['writes'] == 0
    # Everything fits in one page here: servers + 10 lists per server + 5 per app + grants + keys.
    assert log['counters']['total'] == 1 + 10 * servers + 5 * apps + databases + 1


def test_domains_primary_first_and_plain_names_when_default():
    domains = [dict(name='b.example.com', type='alias', www=0, redirection='none'),
               dict(name='a.example.com', type='alias', www=1, redirection='www'),
               dict(name='z.example.com', type='primary', www=0, redirection='none')]
    assert domain_entries(domains) == ['z.example.com', dict(name='a.example.com', redirection='www', www=True), 'b.example.com']


def test_supervisor_command_split_into_binary_and_defaults_left_out():
    job = dict(label='queue', username='app', numprocs=1, autoStart=True, autoRestart=True, directory='/',
               command='/RunCloud/Packages/php82rc/bin/php artisan queue:work')
    assert supervisor_values(job) == dict(label='queue', user='app', binary='/RunCloud/Packages/php82rc/bin/php', command='artisan queue:work')


def test_cron_and_supervisor_jobs_are_claimed_by_kind():
    # A Laravel application's queue worker (Supervisor job 1) must not hide cron job 1.
    user = dict(id=2, username='api', deploymentKey='ssh-ed25519 AAAA key')
    app = dict(id=1, name='api', server_user_id=2, phpVersion='php82rc', stack='hybrid', stackMode='production', defaultApp=False,
               _reads=dict(settings=dict(publicPath='/public'), domains=[dict(name='api.example.com', type='primary')], ssl=None,
                           git=dict(id=1, provider='github', branch='main', repositoryData=dict(repo='git@github.com:acme/api.git'),
                                    autoDeploy=False, deployScript='composer install'),
                           installer=None))
    account = dict(server=dict(id=1, name='web-01'), ssh={}, services={}, users=[user], ssh_keys=[], databases=[], database_users=[],
                   web_apps=[app], firewall=[],
                   cron_jobs=[dict(id=1, label='backup', username='root', time='0 3 * * *', command='/usr/local/bin/backup')],
                   supervisor_jobs=[dict(id=1, label='api-queue', username='api', numprocs=1, autoStart=True, autoRestart=True,
                                         directory='/home/api/webapps/api',
                                         command='/RunCloud/Packages/php82rc/bin/php artisan queue:work --sleep=3 --tries=3 --max-time=3600')])
    variables = AccountExport().host_vars(account, 'web-01', {})
    assert [app['name'] for app in variables['laravel_app_apps']] == ['api']
    assert variables['laravel_app_apps'][0]['scheduler'] is False
    assert variables['server_baseline_cron_jobs'] == [dict(label='backup', command='/usr/local/bin/backup', schedule='0 3 * * *', user='root')]
    assert 'server_baseline_supervisor_jobs' not in variables


def test_api_v3_exports_the_same_account_as_v2():
    # One account seen through both versions: the same variables (v3 names an SSH key's user instead of its id).
    with Simulator(token=TOKEN) as sim:
        account_generator.build_account(RunCloudClient(api_url=sim.url, api_token=TOKEN), sim.control_url, 3, 'medium')
        exports = []
        for url, token in ((sim.url, TOKEN), (sim.url_v3, sim.token_v3)):
            reader = AccountReader(RunCloudClient(api_url=url, api_token=token), 2)
            exports.append(AccountExport().files(reader.read(reader.servers()), reader.external_api_keys()))
    v2, v3 = exports
    assert sorted(v2) == sorted(v3)
    assert any('server_baseline_ssh_keys' in text and 'system_user' in text for name, text in v2.items() if name.startswith('host_vars/'))
    for name in v2:
        if name != 'runcloud.yml':
            assert v3[name] == v2[name], name


def test_a_site_released_by_its_atomic_project_exports_as_atomic_with_its_symlinks():
    # API v3: the project named after the site, with the git deployment's auto_deploy, is what php_site makes.
    with Simulator(token=TOKEN) as sim:
        client = RunCloudClient(api_url=sim.url_v3, api_token=sim.token_v3)
        requests.post(sim.control_url + '/seed', json={'servers': 1, 'fixtures': True}, timeout=10)
        server_id = client.list_all('servers')[0]['id']
        app = client.list_all('servers/%d/webapps' % server_id)[0]
        client.post('servers/%d/webapps/%d/git' % (server_id, app['id']), {'provider': 'github', 'repository': 'acme/shop', 'branch': 'main'})
        client.post('atomic', {'name': app['name'], 'webApplication': app['id']})
        project_id = client.list_all('atomic')[0]['id']
        client.post('atomic/%d/symlinks' % project_id, {'type': 'config', 'linkFrom': '.env', 'linkTo': 'shared/.env', 'content': 'APP_KEY=x'})
        client.post('atomic/%d/symlinks' % project_id, {'type': 'directory', 'linkFrom': 'storage', 'linkTo': 'shared/storage'})
        reader = AccountReader(client, 2)
        files = AccountExport().files(reader.read(reader.servers()), reader.external_api_keys())
        v2_reader = AccountReader(RunCloudClient(api_url=sim.url, api_token=TOKEN), 2)
        v2_files = AccountExport().files(v2_reader.read(v2_reader.servers()), [])
    variables = yaml.safe_load([text for name, text in files.items() if name.startswith('host_vars/')][0])
    entry = (variables.get('php_site_sites') or variables.get('laravel_app_apps'))[0]
    assert entry['atomic'] is True
    assert entry['atomic_symlinks'] == [dict(link_from='.env', link_to='shared/.env', type='config'),
                                        dict(link_from='storage', link_to='shared/storage')]
    assert 'APP_KEY' not in str(files)
    # API v2 has no atomic deployment: the same account exports without it.
    assert 'atomic' not in str(v2_files)


def test_api_v3_exports_backup_policies_by_what_they_cover():
    with Simulator(token=TOKEN) as sim:
        account_generator.build_account(RunCloudClient(api_url=sim.url, api_token=TOKEN), sim.control_url, 2, 'medium')
        client = RunCloudClient(api_url=sim.url_v3, api_token=sim.token_v3)
        reader = AccountReader(client, 2)
        servers = reader.servers()
        app = client.list_all('servers/%d/webapps' % servers[0]['id'])[0]
        client.post('backups', {'name': 'nightly', 'webApplicationId': app['id'], 'backupType': 'incremental', 'storage': 'runcloud',
                                'frequency': '1 day', 'retention': '1 month', 'format': 'tar'})
        data = reader.read(servers)
        files = AccountExport().files(data, reader.external_api_keys())
    host_vars = [yaml.safe_load(text) for name, text in sorted(files.items()) if name.startswith('host_vars/')]
    policies = [policy for variables in host_vars for policy in variables.get('server_baseline_backups', [])]
    assert policies == [dict(name='nightly', web_app=app['name'], storage='runcloud', frequency='1 day', backup_type='incremental')]
    assert 'server_baseline_backups' in role_options('server_baseline')


def export_v3(seed, extra=None):
    """Files and state of a small seeded account built and exported through API v3 (``extra(client, server_id)``
    changes it before the export)."""
    with Simulator(token=TOKEN, land_delay=0.01) as sim:
        client = RunCloudClient(api_url=sim.url_v3, api_token=sim.token_v3)
        builder = account_generator.build_account(client, sim.control_url, seed, 'small', wordpress_site=True)
        if extra is not None:
            extra(client, client.list_all('servers')[0]['id'])
        settle(sim)
        reader = AccountReader(client, 2)
        files = AccountExport().files(reader.read(reader.servers()), reader.external_api_keys())
        v2_reader = AccountReader(RunCloudClient(api_url=sim.url, api_token=TOKEN), 2)
        v2_files = AccountExport().files(v2_reader.read(v2_reader.servers()), v2_reader.external_api_keys())
        return dict(files=files, v2_files=v2_files, state=sim.state, builder=builder)


def settle(sim):
    deadline = time.monotonic() + 30
    while sim.landings.pending():
        assert time.monotonic() < deadline
        time.sleep(0.01)


def host_variables(files):
    return [yaml.safe_load(text) for name, text in sorted(files.items()) if name.startswith('host_vars/')]


def test_api_v3_exports_a_wordpress_site_with_hub_and_staging_as_a_wordpress_site_entry():
    exported = export_v3(1000)
    state = exported['state']
    server = list(state['servers'].values())[0]
    site = next(app for app in server['_webapps'].values() if app['name'].startswith('blog'))
    copy = server['_webapps'][str(site['_staging'])]
    variables = host_variables(exported['files'])[0]
    entries = variables['wordpress_site_sites']
    assert len(entries) == 1
    entry = entries[0]
    expected = dict(name=site['name'], domain='%s.example.org' % site['name'], php_version=site['phpVersion'],
                    staging_url='staging.%s.example.org' % site['name'], disable_wp_cron=site['_wordpress']['disableWpCron'],
                    wp_debug=False, database_password='{{ vault_%s_%s_database_password }}' % (server['name'].replace('-', '_'), site['name']),
                    admin_password='{{ vault_%s_%s_admin_password }}' % (server['name'].replace('-', '_'), site['name']))
    if site['_hub']['nginxCacheType'] != 'native':
        expected['hub_cache_type'] = site['_hub']['nginxCacheType']
    if site['_hub']['cacheValidMinute'] != 480:
        expected['hub_settings'] = dict(cache_valid_minute=site['_hub']['cacheValidMinute'])
    certificates = list(site['_ssl'].values())
    if certificates:
        expected['ssl'] = True
        if certificates[0]['enableHsts']:
            expected['ssl_enable_hsts'] = True
    assert entry == expected
    assert set(entry) <= set(name[len('wordpress_site_'):] for name in role_options('wordpress_site'))
    # Neither the site nor its staging copy is also a php_site entry, and the site's user and database are its own.
    others = [item['name'] for item in variables.get('php_site_sites', []) + variables.get('laravel_app_apps', [])]
    assert site['name'] not in others and copy['name'] not in others
    assert site['name'] not in [user['username'] for user in variables.get('server_baseline_system_users', [])]
    assert site['name'] not in [database['name'] for database in variables.get('server_baseline_databases', [])]
    # No secret: passwords, Hub's keys.
    text = ''.join(exported['files'].values())
    secrets = set(exported['builder'].secrets) | set([site['_hub']['apiKey'], site['_hub']['apiSecret']])
    assert [secret for secret in secrets if secret in text] == []
    assert 'vault_%s_%s_admin_password' % (server['name'].replace('-', '_'), site['name']) in exported['files']['vault-template.yml']
    # API v2 knows no WordPress sites: the same account exports them as PHP sites, as before.
    v2 = host_variables(exported['v2_files'])[0]
    assert 'wordpress_site_sites' not in v2
    assert site['name'] in [item['name'] for item in v2['php_site_sites']] and copy['name'] in [item['name'] for item in v2['php_site_sites']]


def test_api_v3_exports_runcache_settings_and_keeps_a_site_the_role_cannot_describe_a_php_site():
    def second_domain(client, server_id):
        sites = [app for app in client.list_all('servers/%d/webapps' % server_id) if app['type'] == 'wordpress']
        site = next(app for app in sites if app['name'].startswith('blog'))
        path = 'servers/%d/webapps/%d/' % (server_id, site['id'])
        settle_path(client, path + 'runcache')
        client.patch(path + 'runcache', {'cdnEnabled': True})
        other = client.post('servers/%d/webapps/wordpress' % server_id, {
            'name': 'magazine', 'domainName': 'magazine.example.org', 'user': site['server_user_id'], 'stack': 'hybrid', 'phpVersion': 'php82rc',
            'siteTitle': 'Magazine', 'adminUsername': 'editor', 'adminEmail': 'editor@example.org', 'password': 'magazine-admin-pass',
            'dbName': 'magazine', 'dbUser': 'magazine', 'dbPassword': 'magazine-db-pass'})
        client.post('servers/%d/webapps/%d/domains' % (server_id, other['id']), {'name': 'www.magazine.example.org'})

    exported = export_v3(1005, second_domain)
    variables = host_variables(exported['files'])[0]
    entry = variables['wordpress_site_sites'][0]
    assert entry['hub_settings'] == dict(runcache=True, page_cache_enabled=True, page_cache_type='runcloud-native', cdn_enabled=True,
                                         object_cache_enabled=False)
    assert 'hub' not in entry and 'hub_cache_type' not in entry
    # Two domain names: the role has one; the site stays a php_site entry with its installer.
    magazine = next(item for item in variables['php_site_sites'] if item['name'] == 'magazine')
    assert magazine['installer'] == 'wordpress' and len(magazine['domains']) == 2
    assert 'magazine' not in [item['name'] for item in variables['wordpress_site_sites']]


def settle_path(client, path):
    from ansible_collections.runcloud.cloud.plugins.module_utils.errors import NotFoundError
    deadline = time.monotonic() + 30
    while True:
        try:
            return client.get(path)
        except NotFoundError:
            assert time.monotonic() < deadline
            time.sleep(0.01)


def wordpress_account(general):
    """One server with a WordPress site (its settings answered with ``general``) and its staging copy, read as on API v3."""
    user = dict(id=2, username='blog')
    copy = dict(id=8, name='blog-staging', type='wordpress', server_user_id=2, phpVersion='php83rc',
                _reads=dict(settings={}, domains=[dict(name='staging.blog.example.com', type='primary')], ssl=None, git=None, installer=None,
                            wordpress=dict(hub=None, runcache=None, staging=None, general={'home': 'http://staging.blog.example.com'},
                                           config={'disableWpCron': False, 'wpDebug': False})))
    site = dict(id=7, name='blog', type='WordPress', server_user_id=2, phpVersion='php83rc',
                _reads=dict(settings={}, domains=[dict(name='blog.example.com', type='primary')], ssl=None, git=None,
                            installer=dict(id=1, name='wordpress'),
                            wordpress=dict(hub=None, runcache=None, staging=dict(id=8, name='blog-staging'), general=general,
                                           config={'disableWpCron': True, 'wpDebug': 0})))
    return dict(server=dict(id=1, name='web-01'), ssh={}, services={}, users=[user], ssh_keys=[], database_users=[dict(id=5, username='blog')],
                databases=[dict(id=4, name='blog', collation='utf8mb4_unicode_ci', _grants=[dict(id=5)])], web_apps=[site, copy], firewall=[],
                cron_jobs=[], supervisor_jobs=[])


def test_a_wordpress_site_without_hub_exports_hub_false_and_takes_its_staging_copy():
    variables = AccountExport().host_vars(wordpress_account({'home': 'http://blog.example.com/', 'siteurl': 'http://blog.example.com/wp'}),
                                          'web-01', {})
    assert variables['wordpress_site_sites'] == [dict(
        name='blog', admin_password='{{ vault_web_01_blog_admin_password }}', database_password='{{ vault_web_01_blog_database_password }}',
        disable_wp_cron=True, domain='blog.example.com', hub=False, php_version='php83rc', site_url='http://blog.example.com/wp',
        staging_url='staging.blog.example.com', wp_debug=False)]
    assert 'php_site_sites' not in variables and 'server_baseline_databases' not in variables


def test_a_wordpress_site_whose_settings_cannot_be_read_stays_a_php_site_with_its_copy():
    # The type says WordPress, the settings read did not answer (unknown): nothing is claimed for wordpress_site.
    variables = AccountExport().host_vars(wordpress_account(None), 'web-01', {})
    assert 'wordpress_site_sites' not in variables
    assert [site['name'] for site in variables['php_site_sites']] == ['blog', 'blog-staging']
    assert variables['php_site_sites'][0]['installer'] == 'wordpress'
