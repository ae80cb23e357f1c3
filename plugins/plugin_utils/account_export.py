# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The export of a RunCloud account as an inventory directory (controller side).

Reading: one list per kind per server, then the per-application and per-database reads that the
modules need, all through the one client and run concurrently.

Mapping: every value is read through the ``fields`` of the module that manages it (the API field a
module option is read from, ``Field.read_as``, and its kind), so an exported value is what that
module compares. The variables are the roles' own (``meta/argument_specs.yml``); a value equal to
the role's default is left out, and so is a setting equal to RunCloud's default (the module's
``create_default``).

Secrets never leave the API: passwords, API secrets and private keys become ``vault_...``
references listed in ``vault-template.yml``; webhook keys and the agent's token are never read
into the result at all.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import re

import yaml

from ansible_collections.runcloud.cloud.plugins.inventory.runcloud import assign_hostnames
from ansible_collections.runcloud.cloud.plugins.module_utils.backups import covered_ids
from ansible_collections.runcloud.cloud.plugins.module_utils.catalogue import RESOURCES, V3, path as endpoint
from ansible_collections.runcloud.cloud.plugins.module_utils.client import map_concurrently
from ansible_collections.runcloud.cloud.plugins.module_utils.errors import ForbiddenError, NotFoundError, ValidationError
from ansible_collections.runcloud.cloud.plugins.module_utils.firewall import canonical_address, canonical_port
from ansible_collections.runcloud.cloud.plugins.module_utils.resource import normalize
from ansible_collections.runcloud.cloud.plugins.modules.backup import BackupModule, backup_type_option
from ansible_collections.runcloud.cloud.plugins.modules.cron_job import CronJobModule
from ansible_collections.runcloud.cloud.plugins.modules.database import DatabaseModule
from ansible_collections.runcloud.cloud.plugins.modules.domain import DomainModule
from ansible_collections.runcloud.cloud.plugins.modules.external_api_key import ExternalApiKeyModule
from ansible_collections.runcloud.cloud.plugins.modules.git import GitModule, repository_path
from ansible_collections.runcloud.cloud.plugins.modules.runcloud_hub import CACHE_TYPES, INSTALL_DEFAULTS, RUNCACHE_SETTINGS, HubModule, runcache_value
from ansible_collections.runcloud.cloud.plugins.modules.script_installer import ScriptInstallerModule
from ansible_collections.runcloud.cloud.plugins.modules.server import ServerModule
from ansible_collections.runcloud.cloud.plugins.modules.ssh_key import SshKeyModule
from ansible_collections.runcloud.cloud.plugins.modules.supervisor_job import SupervisorJobModule
from ansible_collections.runcloud.cloud.plugins.modules.web_app import WebAppModule, normalize_public_path
from ansible_collections.runcloud.cloud.plugins.modules.web_app_ssl import SslModule
from ansible_collections.runcloud.cloud.plugins.modules.wordpress_settings import WordPressSettingsModule

HEADER = '# Exported from RunCloud by runcloud.cloud.account_export. Edit freely: apply.yml converges the account to it.\n'
ROLES_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), 'roles')
BUILT_IN_USER = 'runcloud'
EVERY_MINUTE = '* * * * *'
DEFAULT_COLLATION = 'utf8mb4_unicode_ci'
# The web application options the php_site role has variables of its own for; the other settings
# fields of web_app go into ``web_app_settings`` under their module option names.
SITE_WEB_APP_OPTIONS = ('name', 'domain_name', 'system_user', 'php_version', 'public_path', 'stack', 'stack_mode',
                        'timezone', 'memory_limit', 'default_app')
# Process manager values that only mean something for the dynamic process manager.
DYNAMIC_ONLY = ('process_manager_start_servers', 'process_manager_min_spare_servers', 'process_manager_max_spare_servers')

SERVER_LISTS = dict(
    ssh=endpoint('server', 'ssh_settings'),
    services=endpoint('service', 'list'),
    users=endpoint('system_user', 'list'),
    ssh_keys=endpoint('ssh_key', 'list'),
    databases=endpoint('database', 'list'),
    database_users=endpoint('database_user', 'list'),
    web_apps=endpoint('web_app', 'list'),
    cron_jobs=endpoint('cron_job', 'list'),
    supervisor_jobs=endpoint('supervisor_job', 'list'),
    firewall=endpoint('firewall_rule', 'list'),
)
LISTED = ('users', 'ssh_keys', 'databases', 'database_users', 'web_apps', 'cron_jobs', 'supervisor_jobs', 'firewall')
APP_READS = dict(
    settings=endpoint('web_app', 'settings'),
    domains=endpoint('domain', 'list'),
    ssl=endpoint('web_app_ssl', 'singleton'),
    git=endpoint('git', 'singleton'),
    installer=endpoint('script_installer', 'singleton'),
)
GRANTS_PATH = endpoint('database_grant', 'list')
ATOMIC_PROJECTS_PATH = endpoint('atomic_project', 'list')
ATOMIC_SYMLINKS_PATH = endpoint('atomic_symlink', 'list')
EXTERNAL_API_PATH = endpoint('external_api_key', 'list')
# API v3: what the export reads of a WordPress site (a web app whose ``type`` is ``wordpress``). RunCache
# is read only where Hub's path answers 404 (a site with RunCache has no Hub).
WORDPRESS_READS = dict(
    hub=endpoint('runcloud_hub', 'singleton', V3),
    staging=endpoint('wordpress_staging', 'singleton', V3),
    general=endpoint('wordpress_settings', 'general', V3),
    config=endpoint('wordpress_settings', 'config', V3),
)
RUNCACHE_PATH = endpoint('runcloud_hub', 'runcache', V3)


def is_wordpress(app):
    """Whether a web app says it is a WordPress site (API v3 ``type``; an app without a readable type is not one)."""
    return isinstance(app.get('type'), str) and app['type'].strip().lower() == 'wordpress'


def present(answer):
    """Whether a read answered with a resource (a dict with an id)."""
    return isinstance(answer, dict) and answer.get('id') is not None


def key_user(key, users):
    """The name of an SSH key's user: API v2 gives its id (``user_id``), API v3 its name (``user``)."""
    if key.get('user_id') is None and key.get('user') is not None:
        return key['user']
    return users.get(key.get('user_id'), {}).get('username', key.get('user_id'))


# -- reading ---------------------------------------------------------------------------------------

class AccountReader:
    """Everything the export needs of the chosen servers, read concurrently."""

    def __init__(self, client, concurrency=4):
        self.client = client
        self.concurrency = max(1, int(concurrency))

    def _read(self, template, listed, **ids):
        path = self.client.path(template, **ids)
        try:
            if listed:
                return self.client.list_all(path)
            return self.client.get(path)
        except NotFoundError:
            return None

    def servers(self, wanted=None, search=None):
        servers = self.client.list_all(endpoint('server', 'list'), params={'search': search} if search else None, concurrency=self.concurrency)
        if not wanted:
            return servers
        chosen = []
        wanted = [str(item) for item in wanted]
        for server in servers:
            if str(server.get('id')) in wanted or str(server.get('name')) in wanted:
                chosen.append(server)
        found = set(str(server.get('id')) for server in chosen) | set(str(server.get('name')) for server in chosen)
        missing = [item for item in wanted if item not in found]
        if missing:
            raise ValueError('no server with id or name %s' % ', '.join(repr(item) for item in missing))
        return chosen

    def read(self, servers):
        """{server id: {kind: answer}}, web apps carrying ``_reads`` and databases ``_grants``."""
        jobs = [(server['id'], kind) for server in servers for kind in sorted(SERVER_LISTS)]
        answers = map_concurrently(lambda job: self._read(SERVER_LISTS[job[1]], job[1] in LISTED, server_id=job[0], id=job[0]),
                                   jobs, self.concurrency)
        data = dict((server['id'], {'server': server}) for server in servers)
        for (server_id, kind), answer in zip(jobs, answers):
            data[server_id][kind] = answer if answer is not None else ([] if kind in LISTED else {})
        detail_jobs = []
        for server_id, account in data.items():
            for app in account['web_apps']:
                detail_jobs.extend(('app', server_id, app, kind) for kind in sorted(APP_READS))
            for database in account['databases']:
                detail_jobs.append(('grants', server_id, database, None))

        def detail(job):
            what, server_id, item, kind = job
            if what == 'grants':
                return self._read(GRANTS_PATH, True, server_id=server_id, database_id=item['id'])
            return self._read(APP_READS[kind], kind == 'domains', server_id=server_id, web_app_id=item['id'], id=item['id'])

        for (what, server_id, item, kind), answer in zip(detail_jobs, map_concurrently(detail, detail_jobs, self.concurrency)):
            if what == 'grants':
                item['_grants'] = answer or []
            else:
                item.setdefault('_reads', {})[kind] = answer
        self.add_atomic_projects(data)
        self.add_wordpress(data)
        self.read_backup_policies(data)
        return data

    def _read_tolerantly(self, template, **ids):
        # A read RunCloud refuses (404, 422 for a web app that is not a WordPress site after all, 403 for what the
        # workspace's plan may not include) is unknown.
        try:
            return self._read(template, False, **ids)
        except (ValidationError, ForbiddenError):
            return None

    def add_wordpress(self, data):
        """API v3: Hub, staging copy and settings of every web app whose ``type`` says WordPress, as
        ``_reads['wordpress']`` ({hub, runcache, staging, general, config}; None where unknown). Nothing on v2."""
        if getattr(self.client, 'api_version', None) != V3:
            return
        apps = [(server_id, app) for server_id, account in sorted(data.items()) for app in account['web_apps'] if is_wordpress(app)]
        jobs = [(server_id, app, kind) for server_id, app in apps for kind in sorted(WORDPRESS_READS)]
        answers = map_concurrently(lambda job: self._read_tolerantly(WORDPRESS_READS[job[2]], server_id=job[0], web_app_id=job[1]['id']),
                                   jobs, self.concurrency)
        for (server_id, app, kind), answer in zip(jobs, answers):
            app.setdefault('_reads', {}).setdefault('wordpress', {})[kind] = answer if isinstance(answer, dict) else None
        without_hub = [(server_id, app) for server_id, app in apps if not present(app['_reads']['wordpress']['hub'])]
        answers = map_concurrently(lambda job: self._read_tolerantly(RUNCACHE_PATH, server_id=job[0], web_app_id=job[1]['id']),
                                   without_hub, self.concurrency)
        for (server_id, app), answer in zip(without_hub, answers):
            app['_reads']['wordpress']['runcache'] = answer if present(answer) else None

    def read_backup_policies(self, data):
        """API v3: each server's backup policies (``/backups`` filtered by the server) as ``backups``."""
        for account in data.values():
            account['backups'] = []
        if getattr(self.client, 'api_version', None) != V3:
            return
        server_ids = sorted(data, key=int)
        path = self.client.path(endpoint('backup', 'list'))
        answers = map_concurrently(lambda server_id: self.client.list_all(path, params={'server_id': server_id}), server_ids, self.concurrency)
        for server_id, policies in zip(server_ids, answers):
            data[server_id]['backups'] = [policy for policy in policies or [] if isinstance(policy, dict)]

    def external_api_keys(self):
        return self._read(EXTERNAL_API_PATH, True) or []

    def add_atomic_projects(self, data):
        """API v3: the atomic project (with its ``_symlinks``) of every web app whose git deployment belongs
        to one, as ``_reads['atomic_project']``. One read of the project list, one of each such project's
        symlinks; nothing on v2 or when no web app is released atomically."""
        apps = [app for account in data.values() for app in account['web_apps']
                if isinstance((app.get('_reads') or {}).get('git'), dict) and app['_reads']['git'].get('atomic_project_id')]
        if not apps or self.client.api_version not in RESOURCES['atomic_project'].versions:
            return
        projects = dict((project.get('id'), project) for project in self._read(ATOMIC_PROJECTS_PATH, True) or [] if isinstance(project, dict))
        wanted = sorted(set(app['_reads']['git']['atomic_project_id'] for app in apps) & set(projects))
        symlinks = map_concurrently(lambda ident: self._read(ATOMIC_SYMLINKS_PATH, True, atomic_project_id=ident), wanted, self.concurrency)
        for project_id, links in zip(wanted, symlinks):
            projects[project_id]['_symlinks'] = links or []
        for app in apps:
            app['_reads']['atomic_project'] = projects.get(app['_reads']['git']['atomic_project_id'])


# -- the roles' variables --------------------------------------------------------------------------

def role_defaults(role):
    """{variable: default} of a role: literal defaults of its argument spec, then its defaults file
    for what the argument spec describes without a default (such as a multi-line script)."""
    with open(os.path.join(ROLES_DIR, role, 'meta', 'argument_specs.yml')) as handle:
        options = yaml.safe_load(handle)['argument_specs']['main']['options']
    with open(os.path.join(ROLES_DIR, role, 'defaults', 'main.yml')) as handle:
        files = yaml.safe_load(handle) or {}
    defaults = {}
    for name, spec in options.items():
        if 'default' in spec:
            defaults[name] = spec['default']
        elif name in files:
            defaults[name] = files[name]
    return options, defaults


class RoleVariables:
    """The variables of one role, with the rule that leaves out what equals a default."""

    def __init__(self, role, prefix):
        self.role = role
        self.prefix = prefix
        self.options, self.defaults = role_defaults(role)

    def known(self, key):
        return self.prefix + key in self.options

    def default_of(self, key, entry):
        """The default of ``key`` for an entry: a literal, or the value of the variable a default like
        ``{{ php_site_name }}`` names."""
        value = self.defaults.get(self.prefix + key)
        if isinstance(value, str):
            match = re.match(r"^\{\{\s*%s(\w+)\s*(\|\s*default\(''\)\s*)?\}\}$" % re.escape(self.prefix), value)
            if match:
                return entry.get(match.group(1), self.default_of(match.group(1), entry))
        return value

    def entry(self, values, first=('name',)):
        """An ordered dict of ``values`` (keys without the prefix) without the defaults; fails for an
        unknown key so that the export never writes a variable the role does not have."""
        kept = {}
        for key, value in values.items():
            if not self.known(key):
                raise KeyError('%s has no variable %s%s' % (self.role, self.prefix, key))
            if key not in first and same_value(value, self.default_of(key, values)):
                continue
            kept[key] = value
        return ordered(kept, first)

    def variables(self, values):
        """Top-level variables (``server_baseline_*``) of ``values`` without the defaults."""
        return dict((self.prefix + key, value) for key, value in self.entry(values, first=()).items())


def same_value(value, default):
    if value is None:
        return True
    if isinstance(default, str) and '{{' in default:
        return False
    if isinstance(value, bool) or isinstance(default, bool):
        return normalize('bool', value) == normalize('bool', default) if default is not None else False
    if isinstance(value, (list, dict)):
        return value == default
    return normalize('str', value) == normalize('str', default)


def ordered(mapping, first=('name',)):
    keys = [key for key in first if key in mapping] + sorted(key for key in mapping if key not in first)
    return dict((key, mapping[key]) for key in keys)


# -- module fields -------------------------------------------------------------------------------

def options_of(module_class, api_object, readers=None, skip=()):
    """{option: value} of an API object as the module reads it: ``Field.read_as`` (in the reader's
    answer for reader fields), read by ``Field.kind`` (the value model) and given in the form the module
    sends. Write-only fields have no value; a value that cannot be read is unknown and left out, as the
    module would neither compare nor change it."""
    values = {}
    readers = readers or {}
    for field in module_class.fields:
        if field.write_only or field.option in skip:
            continue
        source = readers.get(field.reader, {}) if field.reader else api_object
        if not isinstance(source, dict) or field.read_as not in source:
            continue
        if not field.kind.readable(source[field.read_as]):
            continue
        value = field.kind.read(source[field.read_as])
        if value is not None:
            values[field.option] = field.kind.write(value)
    return values


def without_create_defaults(module_class, values):
    """``values`` without the options equal to what RunCloud sets when the module does not send them."""
    kept = {}
    for option, value in values.items():
        field = next(field for field in module_class.fields if field.option == option)
        if field.create_default is not None and normalize(field.kind, field.create_default) == value:
            continue
        kept[option] = value
    return kept


# -- secrets -------------------------------------------------------------------------------------

class Vault:
    """The ``vault_...`` variables an export refers to, with what each one is."""

    def __init__(self):
        self.entries = {}

    def reference(self, description, *parts):
        name = 'vault_' + '_'.join(re.sub(r'[^a-z0-9]+', '_', str(part).lower()).strip('_') for part in parts)
        self.entries[name] = description
        return '{{ %s }}' % name

    def template(self):
        lines = [HEADER,
                 '# The secrets of the exported account: RunCloud never returns them, so the export refers to them.\n'
                 '# Fill in each value, save the file as group_vars/all/vault.yml and encrypt it with\n'
                 '#   ansible-vault encrypt group_vars/all/vault.yml\n'
                 '# They are sent only when the resource is created again: a password is never compared.\n']
        if not self.entries:
            lines.append('{}\n')
        for name in sorted(self.entries):
            lines.append('\n# %s\n%s: ""\n' % (self.entries[name], name))
        return ''.join(lines)


# -- the export ------------------------------------------------------------------------------------

class AccountExport:
    """Turns what ``AccountReader`` read into the files of an inventory directory."""

    def __init__(self):
        self.baseline = RoleVariables('server_baseline', 'server_baseline_')
        self.site = RoleVariables('php_site', 'php_site_')
        self.laravel = RoleVariables('laravel_app', 'laravel_app_')
        self.wordpress = RoleVariables('wordpress_site', 'wordpress_site_')
        self.vault = Vault()

    def files(self, data, external_api_keys):
        servers = [data[server_id]['server'] for server_id in sorted(data, key=int)]
        names, _duplicates = assign_hostnames([(server['id'], str(server.get('name') or server['id'])) for server in servers])
        key_labels = dict((key.get('id'), key.get('label')) for key in external_api_keys)
        files = {}
        for server, host in zip(servers, names):
            files['host_vars/%s.yml' % host] = document(self.host_vars(data[server['id']], host, key_labels))
        files['group_vars/all/main.yml'] = document(self.group_vars(external_api_keys))
        files['runcloud.yml'] = self.inventory_file(servers)
        files['vault-template.yml'] = self.vault.template()
        return files

    def inventory_file(self, servers):
        config = {'plugin': 'runcloud.cloud.runcloud'}
        config['filters'] = {'include': ['runcloud_id in %s' % sorted(int(server['id']) for server in servers)]}
        return (HEADER + '# The exported servers, read from the RunCloud API (credentials: RUNCLOUD_API_TOKEN, RUNCLOUD_API_URL).\n'
                + dump(config))

    def group_vars(self, external_api_keys):
        keys = []
        for key in sorted(external_api_keys, key=lambda item: str(item.get('label'))):
            values = options_of(ExternalApiKeyModule, key)
            values['service'] = service_slug(key.get('service'))
            values['secret'] = self.vault.reference('Secret of the 3rd-party API key %r (%s)' % (key.get('label'), values['service']),
                                                    'external_api', key.get('label'), 'secret')
            keys.append(ordered(values, ('label', 'service')))
        return self.baseline.variables({'external_api_keys': keys}) if keys else {}

    # -- one server --------------------------------------------------------------------------------

    def host_vars(self, account, host, key_labels):
        server = account['server']
        users = dict((user.get('id'), user) for user in account['users'])
        claimed = Claims()
        sites, laravel_apps, wordpress_sites = [], [], []
        apps = sorted(account['web_apps'], key=lambda app: str(app.get('name')))
        # WordPress sites first: a site the wordpress_site role builds takes its staging copy (a web app of
        # its own) with it. A site that role cannot describe stays a php_site entry, and so does its copy.
        staging_ids = set(wordpress_reads(app)['staging']['id'] for app in apps if present(wordpress_reads(app).get('staging')))
        computed = {}
        for app in apps:
            if app.get('id') in staging_ids or not wordpress_reads(app):
                continue
            site = computed[app.get('id')] = self.site_values(account, app, users, host, key_labels, claimed)
            wordpress = self.as_wordpress(account, app, site, host)
            if wordpress is not None:
                wordpress_sites.append(wordpress)
                claimed.web_apps.add(app.get('id'))
                if 'staging_url' in wordpress:
                    claimed.web_apps.add(wordpress_reads(app)['staging']['id'])
        for app in apps:
            if app.get('id') in claimed.web_apps:
                continue
            site = computed.get(app.get('id')) or self.site_values(account, app, users, host, key_labels, claimed)
            laravel = self.as_laravel(account, app, site, claimed)
            if laravel is not None:
                laravel_apps.append(laravel)
            else:
                sites.append(self.site.entry(site))
        variables = {}
        variables.update(self.baseline.variables(self.server_values(account, users, host, claimed)))
        if sites:
            variables['php_site_sites'] = sites
        if laravel_apps:
            variables['laravel_app_apps'] = laravel_apps
        if wordpress_sites:
            variables['wordpress_site_sites'] = wordpress_sites
        return ordered(variables, ())

    def server_values(self, account, users, host, claimed):
        server = account['server']
        values = options_of(ServerModule, server, {'ssh': account['ssh']}, skip=('name', 'ip_address', 'provider'))
        values['services'] = sorted(key for key, service in (account['services'] or {}).items()
                                    if isinstance(service, dict) and normalize('bool', service.get('running')))
        values['firewall_rules'] = [firewall_rule(rule) for rule in sorted(account['firewall'], key=firewall_order)]
        values['firewall_purge'] = True
        values['system_users'] = [ordered(dict(username=user['username'], **({'deployment_key': True} if user.get('deploymentKey') else {})),
                                          ('username',))
                                  for user in sorted(users.values(), key=lambda item: item.get('username'))
                                  if user.get('username') != BUILT_IN_USER and user['id'] not in claimed.users]
        values['ssh_keys'] = [ordered(dict(options_of(SshKeyModule, key, skip=('system_user',)), system_user=key_user(key, users)), ('label',))
                              for key in sorted(account['ssh_keys'], key=lambda item: str(item.get('label')))]
        values['databases'] = [ordered(self.database_values(database), ()) for database in sorted(account['databases'], key=lambda d: d['name'])
                               if database['id'] not in claimed.databases]
        values['database_users'] = self.database_user_values(account, host, claimed)
        values['cron_jobs'] = [ordered(cron_values(job), ('label',)) for job in sorted(account['cron_jobs'], key=job_order)
                               if ('cron', job['id']) not in claimed.jobs]
        values['supervisor_jobs'] = [ordered(supervisor_values(job), ('label',)) for job in sorted(account['supervisor_jobs'], key=job_order)
                                     if ('supervisor', job['id']) not in claimed.jobs]
        values['jobs_purge'] = True
        values['backups'] = backup_policy_entries(account)
        return values

    def database_values(self, database):
        values = options_of(DatabaseModule, database)
        if values.get('collation') == DEFAULT_COLLATION:
            del values['collation']
        return ordered(values, ('name',))

    def database_user_values(self, account, host, claimed):
        granted = {}
        for database in account['databases']:
            for grant in database.get('_grants') or []:
                if (database['id'], grant.get('id')) not in claimed.grants:
                    granted.setdefault(grant.get('id'), []).append(database['name'])
        entries = []
        for user in sorted(account['database_users'], key=lambda item: item.get('username')):
            if user['id'] in claimed.database_users and not granted.get(user['id']):
                continue
            entry = dict(username=user['username'])
            if user['id'] not in claimed.database_users:
                entry['password'] = self.database_password(host, user['username'])
            if granted.get(user['id']):
                entry['databases'] = sorted(granted[user['id']])
            entries.append(ordered(entry, ('username',)))
        return entries

    def database_password(self, host, username):
        return self.vault.reference('Password of the database user %r on %s' % (username, host), host, username, 'database_password')

    # -- one web application -------------------------------------------------------------------------

    def site_values(self, account, app, users, host, key_labels, claimed):
        reads = app.get('_reads') or {}
        settings = reads.get('settings') if isinstance(reads.get('settings'), dict) else {}
        web_app = options_of(WebAppModule, app, {'settings': settings}, skip=('system_user', 'domain_name'))
        owner = users.get(app.get('server_user_id'), {})
        username = owner.get('username')
        claimed.users.add(owner.get('id'))
        site = dict(name=app['name'], system_user=username, deployment_key=bool(owner.get('deploymentKey')))
        site['domains'] = domain_entries(reads.get('domains') or [])
        if 'public_path' in web_app:
            site['public_path'] = normalize_public_path(web_app.pop('public_path')) or ''
        for option in SITE_WEB_APP_OPTIONS:
            if option in web_app:
                site[option] = web_app.pop(option)
        web_app = without_create_defaults(WebAppModule, web_app)
        if web_app.get('open_basedir') == '/home/%s/webapps/%s:/var/lib/php/session:/tmp' % (username, app['name']):
            del web_app['open_basedir']
        if web_app.get('process_manager', 'ondemand') != 'dynamic':
            for option in DYNAMIC_ONLY:
                web_app.pop(option, None)
        if web_app:
            site['web_app_settings'] = ordered(web_app, ())
        site.update(self.database_of(account, app, username, host, claimed))
        site.update(self.ssl_of(reads.get('ssl'), app, host, key_labels))
        site.update(git_of(reads.get('git')))
        site.update(atomic_of(app, site, reads.get('atomic_project')))
        installer = reads.get('installer')
        if isinstance(installer, dict) and installer.get('id') is not None:
            site['installer'] = options_of(ScriptInstallerModule, installer).get('name')
        return site

    def database_of(self, account, app, username, host, claimed):
        """The database (with its user and grant) that belongs to the site: named like the application
        or its system user, in RunCloud's default collation, granted to one user named so."""
        names = (app['name'], username)
        for database in account['databases']:
            if database['name'] not in names or database.get('collation') not in (None, DEFAULT_COLLATION) or database['id'] in claimed.databases:
                continue
            claimed.databases.add(database['id'])
            values = dict(database_name=database['name'])
            grants = dict((grant.get('id'), grant) for grant in database.get('_grants') or [])
            for user in sorted(account['database_users'], key=lambda item: item.get('username') not in names + (database['name'],)):
                if user['id'] in grants and user['id'] not in claimed.database_users:
                    claimed.database_users.add(user['id'])
                    claimed.grants.add((database['id'], user['id']))
                    values.update(database_user=user['username'], database_password=self.database_password(host, user['username']))
                    break
            return values
        return {}

    def ssl_of(self, ssl, app, host, key_labels):
        if not isinstance(ssl, dict) or ssl.get('id') is None:
            return {}
        values = options_of(SslModule, ssl, skip=('environment', 'external_api', 'certificate'))
        site = dict(ssl=True)
        site['ssl_provider'] = values.get('provider') or 'letsencrypt'
        site['ssl_hsts'] = bool(values.get('enable_hsts'))
        site['ssl_http'] = bool(values.get('enable_http'))
        if site['ssl_provider'] == 'custom':
            site['ssl_certificate'] = ssl.get('certificate')
            site['ssl_private_key'] = self.vault.reference('Private key of the custom certificate of %r on %s' % (app['name'], host),
                                                           host, app['name'], 'ssl_private_key')
        else:
            site['ssl_environment'] = 'staging' if normalize('bool', ssl.get('staging')) else 'live'
            site['ssl_authorization_method'] = values.get('authorization_method') or 'http-01'
            if ssl.get('apiId') is not None:
                site['ssl_external_api'] = key_labels.get(ssl['apiId'], ssl['apiId'])
        if values.get('ssl_protocol_id') is not None:
            site['ssl_protocol_id'] = values['ssl_protocol_id']
        return site

    def as_laravel(self, account, app, site, claimed):
        """The site as a laravel_app entry when that role builds exactly it, else None."""
        laravel = self.laravel
        name = site['name']
        plain = dict(name=name, public_path='/public', deployment_key=True)
        for key in ('stack', 'stack_mode', 'timezone', 'memory_limit', 'default_app', 'ssl_environment', 'ssl_hsts', 'ssl_http',
                    'ssl_provider', 'ssl_authorization_method'):
            plain[key] = self.site.default_of(key, site)
        if any(not same_value(site.get(key), value) for key, value in plain.items()) or 'git_repository' not in site:
            return None
        if any(key in site for key in ('web_app_settings', 'installer', 'ssl_external_api', 'ssl_protocol_id', 'git_host', 'git_user')):
            return None
        entry = dict(name=name, domains=site['domains'], system_user=site['system_user'], php_version=site.get('php_version'),
                     database_name=site.get('database_name', ''), database_user=site.get('database_user', ''),
                     database_password=site.get('database_password', ''), ssl=site.get('ssl', False),
                     git_repository=site['git_repository'], git_provider=site.get('git_provider'),
                     git_branch=site.get('git_branch'), deploy_script=site.get('git_deploy_script', ''))
        if site.get('git_auto_deploy'):
            return None
        entry.update((key, site[key]) for key in ('atomic', 'atomic_symlinks') if key in site)
        php = entry['php_version'] or laravel.default_of('php_version', entry)
        user = entry['system_user']
        binary = '/RunCloud/Packages/%s/bin/php' % php
        directory = '/home/%s/webapps/%s' % (user, name)
        queue = [job for job in account['supervisor_jobs'] if job.get('label') == name + '-queue']
        scheduler = [job for job in account['cron_jobs'] if job.get('label') == name + '-scheduler']
        if len(queue) > 1 or len(scheduler) > 1:
            return None
        jobs = []
        if queue:
            job = supervisor_values(queue[0])
            if (job.get('binary') != binary or job.get('directory') != directory or job.get('user') != user
                    or job.get('auto_start') is False or job.get('auto_restart') is False):
                return None
            entry.update(queue_command=job['command'], queue_processes=job.get('processes', 1))
            jobs.append(('supervisor', queue[0]['id']))
        entry['queue_worker'] = bool(queue)
        if scheduler:
            job = cron_values(scheduler[0])
            if job != {'label': name + '-scheduler', 'user': user, 'command': '%s %s/artisan schedule:run' % (binary, directory)}:
                return None
            jobs.append(('cron', scheduler[0]['id']))
        entry['scheduler'] = bool(scheduler)
        claimed.jobs.update(jobs)
        return laravel.entry(entry)

    def as_wordpress(self, account, app, site, host):
        """API v3: the site as a wordpress_site entry when that role builds exactly it (one domain name, no git,
        no PHP-FPM or NGINX settings of its own, a Let's Encrypt certificate at most, its database and user found,
        its settings readable), else None. Hub or RunCache, the addresses, the wp-config flags and the staging
        copy's URL are written as the modules read them; the administrator's password is a vault reference, and
        the title, the administrator's name and e-mail, which RunCloud never returns, are left out."""
        reads = wordpress_reads(app)
        if reads.get('general') is None or reads.get('config') is None:
            return None
        domains = site.get('domains') or []
        if len(domains) != 1 or not isinstance(domains[0], str) or 'database_user' not in site:
            return None
        if site.get('deployment_key') or site.get('public_path') or site.get('installer') not in (None, 'wordpress'):
            return None
        if any(key in site for key in ('web_app_settings', 'git_repository', 'atomic', 'ssl_external_api', 'ssl_protocol_id')):
            return None
        web_app_keys = ('stack', 'stack_mode', 'timezone', 'memory_limit', 'default_app')
        if any(not same_value(site.get(key), self.site.default_of(key, site)) for key in web_app_keys):
            return None
        if site.get('ssl') and (site.get('ssl_provider'), site.get('ssl_environment'), site.get('ssl_authorization_method'),
                                site.get('ssl_http')) != ('letsencrypt', 'live', 'http-01', False):
            return None
        name, domain = site['name'], domains[0]
        entry = dict(name=name, domain=domain, php_version=site.get('php_version'), ssl=bool(site.get('ssl')),
                     ssl_enable_hsts=bool(site.get('ssl_hsts')), database_password=site['database_password'])
        # What the role names after the site by default is left out.
        entry.update((key, site[key]) for key in ('system_user', 'database_name', 'database_user') if site[key] != name)
        settings = options_of(WordPressSettingsModule, {}, {'general': reads['general'], 'config': reads['config']})
        address = ('https://' if entry['ssl'] else 'http://') + domain
        entry.update((key, settings[key]) for key in ('home', 'site_url') if key in settings and settings[key].rstrip('/') != address)
        entry.update((key, settings[key]) for key in ('disable_wp_cron', 'wp_debug') if key in settings)
        entry.update(hub_of(reads))
        staging_url = staging_url_of(account, reads.get('staging'))
        if staging_url:
            entry['staging_url'] = staging_url
        entry['admin_password'] = self.vault.reference('Password of the WordPress administrator of %r on %s' % (name, host),
                                                       host, name, 'admin_password')
        return self.wordpress.entry(entry)


class Claims:
    """Ids of what a site or laravel_app entry already covers, so that the server's lists skip it."""

    def __init__(self):
        # Web apps a wordpress_site entry describes (the site and its staging copy).
        self.web_apps = set()
        self.users = set()
        self.databases = set()
        self.database_users = set()
        self.grants = set()
        # (kind, id): cron jobs and Supervisor jobs are numbered apart.
        self.jobs = set()


def service_slug(name):
    return re.sub(r'[^a-z0-9]', '', str(name or '').lower())


def domain_entries(domains):
    """Domain names, the primary first; a plain name when the domain module's defaults describe it."""
    ordered_domains = sorted(domains, key=lambda domain: (domain.get('type') != 'primary', str(domain.get('name'))))
    entries = []
    for position, domain in enumerate(ordered_domains):
        values = options_of(DomainModule, domain)
        expected_type = 'primary' if position == 0 else 'alias'
        extra = {}
        if values.get('type') not in (None, expected_type):
            extra['type'] = values['type']
        if values.get('www'):
            extra['www'] = True
        if values.get('redirection') not in (None, 'none'):
            extra['redirection'] = values['redirection']
        entries.append(ordered(dict(extra, name=values['name'])) if extra else values['name'])
    return entries


def git_of(git):
    if not isinstance(git, dict) or git.get('id') is None:
        return {}
    values = options_of(GitModule, git, skip=('repository',))
    data = git.get('repositoryData')
    repository = repository_path(data.get('repo') or data.get('url')) if isinstance(data, dict) else repository_path(data)
    site = dict(git_repository=repository, git_provider=values.get('provider'), git_branch=values.get('branch'),
                git_deploy_script=values.get('deploy_script', ''), git_auto_deploy=bool(values.get('auto_deploy')))
    for option in ('git_host', 'git_user'):
        if values.get(option):
            site[option] = values[option]
    return site


def atomic_of(app, site, project):
    """The php_site atomic variables of a web app released by an atomic project, when the role makes exactly
    that project: one named after the site, with the git deployment's auto_deploy. Symlinks are exported
    without the content of a config file, which the API never returns (nor compares)."""
    if not isinstance(project, dict) or project.get('name') != app.get('name') or 'git_repository' not in site:
        return {}
    if isinstance(project.get('autoDeploy'), bool) and project['autoDeploy'] != site.get('git_auto_deploy', False):
        return {}
    symlinks = []
    for link in sorted(project.get('_symlinks') or [], key=lambda item: str(item.get('linkFrom'))):
        if isinstance(link, dict) and link.get('linkFrom') and link.get('linkTo'):
            entry = dict(link_from=link['linkFrom'], link_to=link['linkTo'])
            if link.get('type') == 'config':
                entry['type'] = 'config'
            symlinks.append(entry)
    values = dict(atomic=True)
    if symlinks:
        values['atomic_symlinks'] = symlinks
    return values


def wordpress_reads(app):
    """What AccountReader.add_wordpress read of a web app ({} for one that is no WordPress site, or on API v2)."""
    return ((app.get('_reads') or {}).get('wordpress')) or {}


def hub_of(reads):
    """The wordpress_site variables of the site's cache plugin: Hub's settings (those its install would not set
    anyway), RunCache's with ``runcache``, or ``hub: false`` for neither. Hub's API keys are never read into it."""
    if present(reads.get('hub')):
        values = options_of(HubModule, reads['hub'])
        if values.get('cache_type') not in CACHE_TYPES:
            # The reference's answer shows "sr" after an install with "native": unknown, left out.
            values.pop('cache_type', None)
        values = dict((option, value) for option, value in values.items() if INSTALL_DEFAULTS.get(option) != value)
        site = {}
        if 'cache_type' in values:
            site['hub_cache_type'] = values.pop('cache_type')
        if values:
            site['hub_settings'] = ordered(values, ())
        return site
    if present(reads.get('runcache')):
        settings = dict(runcache=True)
        for option, _api, where, kind in RUNCACHE_SETTINGS:
            value = normalize(kind, runcache_value(reads['runcache'], where))
            if value is not None:
                settings[option] = value
        return dict(hub_settings=ordered(settings, ('runcache',)))
    return dict(hub=False)


def staging_url_of(account, staging):
    """The domain name of the site's staging copy: the primary domain of the web app the staging read names."""
    if not present(staging):
        return None
    copy = next((app for app in account['web_apps'] if app.get('id') == staging['id']), None)
    domains = domain_entries(((copy or {}).get('_reads') or {}).get('domains') or [])
    if not domains:
        return None
    return domains[0]['name'] if isinstance(domains[0], dict) else domains[0]


def backup_policy_entries(account):
    """The server's backup policies as ``server_baseline_backups`` entries: what each covers by name (a
    policy of another server's web application or database, or whose coverage is unreadable, is left
    out), and the settings the API shows. Policies hold no secret."""
    apps = dict((app.get('id'), app.get('name')) for app in account['web_apps'])
    databases = dict((database.get('id'), database.get('name')) for database in account['databases'])
    entries = []
    for policy in sorted(account.get('backups') or [], key=lambda item: str(item.get('label'))):
        covered = covered_ids(policy)
        if covered is None:
            continue
        names = dict(web_app=apps.get(covered.get('webApplicationId')), database=databases.get(covered.get('databaseId')))
        if (covered.get('webApplicationId') is not None and names['web_app'] is None) or \
                (covered.get('databaseId') is not None and names['database'] is None) or not any(names.values()):
            continue
        values = options_of(BackupModule, policy, skip=('backup_type',))
        backup_type = backup_type_option(policy.get('type'))
        if backup_type is not None:
            values['backup_type'] = backup_type
        values.update((option, name) for option, name in names.items() if name is not None)
        entries.append(ordered(values, ('name', 'web_app', 'database')))
    return entries


def cron_values(job):
    values = options_of(CronJobModule, job)
    if ' '.join(str(values.get('schedule', '')).split()) == EVERY_MINUTE:
        values.pop('schedule', None)
    return values


def supervisor_values(job):
    """The options of a Supervisor job; the stored command is split into binary and command."""
    values = options_of(SupervisorJobModule, job, skip=('binary',))
    first, _space, rest = str(values.get('command') or '').partition(' ')
    if first.startswith('/') and rest.strip():
        values.update(binary=first, command=rest.strip())
    for option, default in (('processes', 1), ('directory', '/'), ('auto_start', True), ('auto_restart', True)):
        if values.get(option) == default:
            del values[option]
    return values


def firewall_rule(rule):
    values = {'port': canonical_port(rule.get('port'))}
    if port_number(values['port']) is not None:
        values['port'] = port_number(values['port'])
    if rule.get('type') not in (None, 'global'):
        values['type'] = rule['type']
    if (rule.get('protocol') or 'tcp').lower() != 'tcp':
        values['protocol'] = rule['protocol'].lower()
    if rule.get('type') == 'rich':
        values['ip_address'] = canonical_address(rule.get('ipAddress'))
        values['action'] = (rule.get('firewallAction') or 'accept').lower()
    return ordered(values, ('port',))


def port_number(port):
    return int(port) if str(port).isdigit() else None


def firewall_order(rule):
    return (str(rule.get('type')), str(canonical_port(rule.get('port'))).zfill(11), str(rule.get('protocol')),
            str(rule.get('ipAddress')), str(rule.get('firewallAction')))


def job_order(job):
    return (str(job.get('label')), str(job.get('id')).zfill(12))


# -- YAML --------------------------------------------------------------------------------------

class _Dumper(yaml.SafeDumper):
    pass


def _represent_str(dumper, value):
    style = '|' if '\n' in value else None
    return dumper.represent_scalar('tag:yaml.org,2002:str', value, style=style)


_Dumper.add_representer(str, _represent_str)


def dump(data):
    return yaml.dump(data, Dumper=_Dumper, default_flow_style=False, sort_keys=False, allow_unicode=True, width=120)


def document(variables):
    return HEADER + '---\n' + (dump(variables) if variables else '{}\n')
