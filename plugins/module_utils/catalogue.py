# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The catalogue of RunCloud resources: where each lives in every API version.

This is the one file of the collection that holds endpoint paths (a unit test checks it). Modules,
info modules, the action plugin, the inventory plugin, the lookup, the account export and the
event source take their paths from here; the client turns a path of API v2 into the path of the
version it talks to (``versioned_path``), so a caller names an endpoint once for both versions.

Paths are templates relative to the API root (``servers/{server_id}/webapps``). A resource's own
paths use ``{id}``; the ids of its parents are named ``{server_id}``, ``{web_app_id}`` ... as the
modules resolve them. Like the client, this file never imports Ansible.

Each resource also lists its fields (``FieldEntry``): the module option, the API field a request
sends and the one an answer holds, and the field's type in the value model (``values.py``, which
holds how each type is read, normalised, compared and written). Modules take these facts from here
(``resource.Field`` without ``api``/``kind``); the client, and through it the info modules, the
inventory, the export and the event source, read every answer with ``ANSWER_TYPES``, which is made
from the same entries.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible_collections.runcloud.cloud.plugins.module_utils.values import (
    BOOLEAN, DOMAIN, ID, INTEGER, NUMBER, PHP_VERSION, RAW, TEXT, TIME, Enumeration, ValueType,
)

V2, V3 = 2, 3
VERSIONS = (V2, V3)
# What exists on API v3 alone (a resource's or a module's ``versions``).
V3_ONLY = (V3,)
DEFAULT_VERSION = V2


def camel_case(option):
    """The API's spelling of an option (``stack_mode`` -> ``stackMode``)."""
    head, _sep, tail = option.partition('_')
    return head + ''.join(part[:1].upper() + part[1:] for part in tail.split('_')) if tail else head


class FieldEntry:
    """One field of a resource: the module ``option`` that sets it (None for a field answers carry
    but no option sets), the API field a request sends (``api``, default: the option in camelCase),
    the field an answer holds it in (``read_as``, default ``api``) and its type (``kind``, a
    ``values`` type). ``raw`` marks an option the module resolves itself (a user name sent as an id)."""

    def __init__(self, option, api=None, kind=TEXT, read_as=None):
        if not isinstance(kind, ValueType):
            raise TypeError('the kind of %s is a values type, not %r' % (option or api, kind))
        self.option = option
        self.api = api or camel_case(option)
        self.read_as = read_as or self.api
        self.kind = kind

    def __repr__(self):
        return 'FieldEntry(%s -> %s/%s: %s)' % (self.option, self.api, self.read_as, self.kind.name)


def typed(kind, *options):
    """Entries of options of one type whose API field is the option in camelCase."""
    return tuple(FieldEntry(option, kind=kind) for option in options)


def answer(kind, *api_fields):
    """Entries of fields that answers carry and no option sets."""
    return tuple(FieldEntry(None, api_field, kind) for api_field in api_fields)


# Fields of every resource's answers.
COMMON_FIELDS = answer(ID, 'id') + answer(TIME, 'created_at', 'updated_at')

# Words the reference documents (§1.7 of the v2 reference; "nginx" is a server's stack, D2new 2024).
WEB_APP_STACKS = Enumeration('hybrid', 'nativenginx', 'customnginx')
SERVER_STACKS = Enumeration('nginx')
STACK_MODES = Enumeration('production', 'development')
PROCESS_MANAGERS = Enumeration('dynamic', 'ondemand', 'static')
GIT_PROVIDERS = ('custom', 'bitbucket', 'github', 'gitlab', 'selfhostedgitlab')


class Resource:
    """One RunCloud resource.

    ``paths`` maps a role (``list``, ``item``, ``create``, ``singleton``, an update endpoint, an
    action, a detail read) to the path of API v2; ``moved`` holds the roles whose path differs on
    API v3; ``only`` holds roles that exist on API v3 alone (v3-only updates). ``identity`` is the API
    field that names the resource, ``parent`` the resource it lives under, ``versions`` the API
    versions that have it, ``fields`` its ``FieldEntry``s (the common ``id``, ``created_at`` and
    ``updated_at`` are added).
    """

    def __init__(self, name, paths, identity=None, parent=None, versions=VERSIONS, moved=None, only=None, fields=()):
        self.name = name
        self.fields = COMMON_FIELDS + tuple(fields)
        options = [entry.option for entry in self.fields if entry.option is not None]
        if len(options) != len(set(options)):
            raise ValueError('an option is listed twice in the fields of %s' % name)
        self.identity = identity
        self.parent = parent
        self.versions = tuple(versions)
        self.paths = {V2: dict(paths), V3: dict(paths, **(moved or {}))}
        self.paths[V3].update(only or {})
        self.v3_only_roles = frozenset(only or ())

    def path(self, role, version=DEFAULT_VERSION):
        """The path template of ``role`` on API ``version``; KeyError when that version has none."""
        return self.paths[version][role]

    def has(self, role, version):
        return version in self.versions and role in self.paths[version]

    def field(self, option):
        """The entry of ``option``; None when the resource lists no such option."""
        for entry in self.fields:
            if entry.option == option and option is not None:
                return entry
        return None


F = FieldEntry

# A certificate of a web application or of one of its domain names (advanced SSL).
SSL_FIELDS = (
    F('provider', read_as='method', kind=Enumeration('letsencrypt', 'custom', 'csr')),
    F('authorization_method', kind=Enumeration('http-01', 'dns-01')),
    F('external_api', read_as='apiId', kind=ID),
    # live or staging, answered as the flag ``staging``.
    F('environment', read_as='staging', kind=BOOLEAN),
    F('certificate'),
    F('private_key'),
    F('enable_http', kind=BOOLEAN),
    F('enable_hsts', kind=BOOLEAN),
    F('ssl_protocol_id', 'ssl_protocol_id', ID),
) + answer(BOOLEAN, 'advancedSSL', 'autoSSL') + answer(TIME, 'validUntil', 'renewalDate')

RESOURCES = dict((resource.name, resource) for resource in (
    Resource('ping', dict(item='ping')),
    Resource('server', identity='name', paths=dict(
        list='servers',
        item='servers/{id}',
        shared='servers/shared',
        installation_script='servers/{id}/installationscript',
        meta='servers/{id}/settings/meta',
        ssh_settings='servers/{id}/settings/ssh',
        autoupdate='servers/{id}/settings/autoupdate',
        php_cli='servers/{id}/php/cli',
        php_versions='servers/{server_id}/php/version',
        stats='servers/{id}/stats',
        hardware='servers/{id}/hardwareinfo',
        health='servers/{id}/health/latest',
        services='servers/{id}/services',
        logs='servers/{id}/logs',
    ), fields=(
        F('name'),
        F('ip_address', 'ipAddress'),
        F('provider'),
        F('php_cli_version', 'phpVersion', PHP_VERSION, read_as='phpCLIVersion'),
        F('passwordless_login', kind=BOOLEAN),
        F('use_dns', kind=BOOLEAN),
        F('prevent_root_login', kind=BOOLEAN),
        F('software_update', kind=BOOLEAN),
        F('security_update', kind=BOOLEAN),
        F(None, 'stack', SERVER_STACKS),
    ) + answer(BOOLEAN, 'connected', 'online') + answer(INTEGER, 'totalCPUCore')
        + answer(NUMBER, 'totalMemory', 'freeMemory', 'diskTotal', 'diskFree', 'loadAvg', 'latitude', 'longitude')),
    Resource('server_health', parent='server', paths=dict(
        singleton='servers/{server_id}/health/latest',
        clean_disk='servers/{server_id}/health/diskcleaner',
    ), fields=answer(NUMBER, 'totalMemory', 'availableMemory', 'usedMemory', 'totalDiskSpace', 'availableDiskSpace',
                     'usedDiskSpace', 'loadAverage')),
    Resource('service', identity='realName', parent='server', paths=dict(list='servers/{server_id}/services'),
             fields=answer(BOOLEAN, 'running')),
    Resource('system_user', identity='username', parent='server', paths=dict(
        list='servers/{server_id}/users',
        item='servers/{server_id}/users/{id}',
        password='servers/{server_id}/users/{id}/password',
        deployment_key='servers/{server_id}/users/{id}/deploymentkey',
    ), fields=(
        F('username'),
        F('password'),
        F('deployment_key'),
    ) + answer(BOOLEAN, 'deleteable')),
    Resource('ssh_key', identity='label', parent='server', paths=dict(
        list='servers/{server_id}/sshcredentials',
        item='servers/{server_id}/sshcredentials/{id}',
    ), moved=dict(
        list='servers/{server_id}/ssh/credentials',
        item='servers/{server_id}/ssh/credentials/{id}',
    ), fields=(
        F('label'),
        # A user name the module resolves to the user's id, which answers hold.
        F('system_user', 'username', RAW, read_as='user_id'),
        F('public_key'),
    ) + answer(ID, 'user_id')),
    Resource('database', identity='name', parent='server', paths=dict(
        list='servers/{server_id}/databases',
        item='servers/{server_id}/databases/{id}',
    ), fields=(F('name'), F('collation'))),
    Resource('database_user', identity='username', parent='server', paths=dict(
        list='servers/{server_id}/databaseusers',
        item='servers/{server_id}/databaseusers/{id}',
    ), fields=(F('username'), F('password'))),
    Resource('database_grant', parent='database', paths=dict(list='servers/{server_id}/databases/{database_id}/grant')),
    Resource('cron_job', identity='label', parent='server', paths=dict(
        list='servers/{server_id}/cronjobs',
        item='servers/{server_id}/cronjobs/{id}',
        rebuild='servers/{server_id}/cronjobs/rebuild',
    ), only=dict(update='servers/{server_id}/cronjobs/{id}'), fields=(
        F('label'),
        F('user', 'username'),
        F('command'),
        F('schedule', 'time'),
    ) + answer(BOOLEAN, 'enabled')),
    Resource('supervisor_job', identity='label', parent='server', paths=dict(
        list='servers/{server_id}/supervisors',
        item='servers/{server_id}/supervisors/{id}',
        binaries='servers/{server_id}/supervisors/binaries',
        rebuild='servers/{server_id}/supervisors/rebuild',
        reload='servers/{server_id}/supervisors/{id}/reload',
    ), fields=(
        F('label'),
        F('user', 'username'),
        F('processes', 'numprocs', INTEGER),
        F('command'),
        # Sent on its own, answered as the start of ``command``.
        F('binary', read_as='command'),
        F('directory'),
        F('auto_start', kind=BOOLEAN),
        F('auto_restart', kind=BOOLEAN),
    )),
    Resource('firewall_rule', parent='server', paths=dict(
        list='servers/{server_id}/security/firewalls',
        item='servers/{server_id}/security/firewalls/{id}',
    ), fields=(
        F('type', kind=Enumeration('global', 'rich')),
        # A port or a range ("8000-8100"), answered as a string on v3.
        F('port'),
        F('protocol', kind=Enumeration('tcp', 'udp')),
        F('ip_address', 'ipAddress'),
        F('action', 'firewallAction', Enumeration('accept', 'reject')),
    )),
    Resource('fail2ban', parent='server', paths=dict(list='servers/{server_id}/security/fail2ban/blockedip')),
    Resource('web_app', identity='name', parent='server', paths=dict(
        list='servers/{server_id}/webapps',
        item='servers/{server_id}/webapps/{id}',
        create='servers/{server_id}/webapps/custom',
        create_alias='servers/{server_id}/webapps/{alias_parent_id}/alias',
        settings='servers/{server_id}/webapps/{id}/settings',
        php='servers/{server_id}/webapps/{id}/settings/php',
        fpmnginx='servers/{server_id}/webapps/{id}/settings/fpmnginx',
        rebuild='servers/{server_id}/webapps/{id}/rebuild',
        default='servers/{server_id}/webapps/{id}/default',
        log='servers/{server_id}/webapps/{id}/log',
    ), fields=(
        F('name'),
        F('domain_name', kind=DOMAIN),
        # A user name the module resolves to the user's id: sent as ``user``, answered as ``server_user_id``.
        F('system_user', 'user', RAW, read_as='server_user_id'),
        F('php_version', kind=PHP_VERSION),
        F('public_path'),
        F('stack', kind=WEB_APP_STACKS),
        F('stack_mode', kind=STACK_MODES),
        F('process_manager', kind=PROCESS_MANAGERS),
        F('open_basedir'),
        F('timezone'),
        F('disable_functions'),
        F(None, 'type', Enumeration('custom', 'wordpress')),
    ) + typed(BOOLEAN, 'clickjacking_protection', 'xss_protection', 'mime_sniffing_protection', 'allow_url_fopen', 'default_app')
        + typed(INTEGER, 'process_manager_start_servers', 'process_manager_min_spare_servers', 'process_manager_max_spare_servers',
                'process_manager_max_children', 'process_manager_max_requests', 'max_execution_time', 'max_input_time',
                'max_input_vars', 'memory_limit', 'post_max_size', 'upload_max_filesize', 'session_gc_maxlifetime')
        + answer(ID, 'server_user_id', 'alias')),
    Resource('domain', identity='name', parent='web_app', paths=dict(
        list='servers/{server_id}/webapps/{web_app_id}/domains',
        item='servers/{server_id}/webapps/{web_app_id}/domains/{id}',
    ), only=dict(update='servers/{server_id}/webapps/{web_app_id}/domains/{id}/meta'), fields=(
        F('name', kind=DOMAIN),
        F('type', kind=Enumeration('primary', 'alias', 'redirect')),
        F('www', kind=BOOLEAN),
        F('redirection', kind=Enumeration('none', 'www', 'non-www')),
        F(None, 'dns_integration', Enumeration('none', 'cloudflare')),
    ) + answer(BOOLEAN, 'wildcard')),
    Resource('web_app_ssl', parent='web_app', paths=dict(
        singleton='servers/{server_id}/webapps/{web_app_id}/ssl',
        item='servers/{server_id}/webapps/{web_app_id}/ssl/{id}',
        mode='servers/{server_id}/webapps/{web_app_id}/ssl/advanced',
    ), fields=SSL_FIELDS),
    Resource('domain_ssl', parent='domain', paths=dict(
        singleton='servers/{server_id}/webapps/{web_app_id}/domains/{domain_id}/ssl',
        item='servers/{server_id}/webapps/{web_app_id}/domains/{domain_id}/ssl/{id}',
    ), fields=SSL_FIELDS),
    Resource('git', parent='web_app', paths=dict(
        singleton='servers/{server_id}/webapps/{web_app_id}/git',
        item='servers/{server_id}/webapps/{web_app_id}/git/{id}',
        branch='servers/{server_id}/webapps/{web_app_id}/git/{id}/branch',
        script='servers/{server_id}/webapps/{web_app_id}/git/{id}/script',
    ), fields=(
        F('provider', kind=Enumeration(*GIT_PROVIDERS)),
        # Answered as {url, repo}: the module compares it itself.
        F('repository', read_as='repositoryData'),
        F('branch'),
        F('git_host'),
        F('git_user'),
        F('auto_deploy', kind=BOOLEAN),
        F('deploy_script'),
    ) + answer(BOOLEAN, 'atomic') + answer(ID, 'atomic_project_id')),
    Resource('script_installer', parent='web_app', paths=dict(
        singleton='servers/{server_id}/webapps/{web_app_id}/installer',
        item='servers/{server_id}/webapps/{web_app_id}/installer/{id}',
    ), fields=(F('name'),)),
    # WordPress on API v3 alone (runcloud-api-v3 2.18, 2.24-2.26). Hub and RunCache are one cache plugin
    # of a site: RunCache is what Hub becomes after an upgrade (and Hub again after a rollback).
    Resource('wordpress', identity='name', parent='server', versions=V3_ONLY, paths=dict(
        create='servers/{server_id}/webapps/wordpress',
    )),
    Resource('runcloud_hub', parent='web_app', versions=V3_ONLY, paths=dict(
        singleton='servers/{server_id}/webapps/{web_app_id}/runcloudhub',
        runcache='servers/{server_id}/webapps/{web_app_id}/runcache',
        runcache_upgrade='servers/{server_id}/webapps/{web_app_id}/runcache/upgrade',
        runcache_rollback='servers/{server_id}/webapps/{web_app_id}/runcache/rollback',
    )),
    Resource('wordpress_staging', parent='web_app', versions=V3_ONLY, paths=dict(
        singleton='servers/{server_id}/webapps/{web_app_id}/wordpress/staging',
        push='servers/{server_id}/webapps/{web_app_id}/wordpress/staging/push',
    )),
    Resource('wordpress_settings', parent='web_app', versions=V3_ONLY, paths=dict(
        general='servers/{server_id}/webapps/{web_app_id}/wordpress/general',
        config='servers/{server_id}/webapps/{web_app_id}/wordpress/config',
    )),
    Resource('external_api_key', identity='label', paths=dict(
        list='settings/externalapi',
        item='settings/externalapi/{id}',
    ), fields=(
        F('label'),
        F('service'),
        F('username'),
        F('secret'),
    )),
    # API v3 only: a web application's or database's backup policy (workspace-level, not under the
    # server), its snapshots and their restore. DELETE of a policy is not in RunCloud's reference.
    Resource('backup', identity='label', versions=V3_ONLY, paths=dict(
        list='backups',
        item='backups/{id}',
        snapshots='backups/{id}/snapshots',
        snapshot='backups/{backup_id}/snapshots/{id}',
        restore='backups/{backup_id}/snapshots/{id}/restore',
    )),
    # API v3 only: the SSH daemon flags as a record of their own (PATCH answers it). v3 has no GET for
    # it; the flags read back from the server settings both versions keep.
    Resource('ssh_config', parent='server', versions=V3_ONLY, paths=dict(
        singleton='servers/{server_id}/settings/ssh',
        update='servers/{server_id}/ssh/config',
    )),
    # API v3 only: a copy of a web application under another name, on its server or another one.
    # Its owner is a system user of the destination server (the list of system_user, on that server).
    Resource('web_app_clone', parent='web_app', versions=V3_ONLY, paths=dict(
        create='servers/{server_id}/webapps/{web_app_id}/clone',
        destination_users='servers/{target_server_id}/users',
    )),
    # Lists every account has (the runcloud.cloud.static lookup, accepted values of options). API v3
    # has collations per database engine only; RunCloud installs MariaDB, so its list stands in.
    Resource('static', paths=dict(
        collations='static/databases/collations',
        timezones='static/timezones',
        installers='static/webapps/installers',
        ssl_protocols='static/ssl/protocols',
    ), moved=dict(collations='static/databases/collations/mariadb')),
))

# API v3's atomic deployment (workspace-level projects releasing a git repository to web applications).
# The reference reached no page that lists, creates or reads deployment scripts or reads or deletes a
# symlink: scripts, which can only be changed or deleted by an id nothing lists, are left out.
RESOURCES.update((resource.name, resource) for resource in (
    Resource('atomic_project', identity='name', versions=V3_ONLY, paths=dict(
        list='atomic',
        item='atomic/{id}',
        force_deploy='atomic/{id}/forcedeploy',
        logs='atomic/{id}/logs',
    )),
    Resource('atomic_deployment', parent='atomic_project', versions=V3_ONLY, paths=dict(
        list='atomic/{atomic_project_id}/deployments',
        item='atomic/{atomic_project_id}/deployments/{id}',
    )),
    Resource('atomic_web_app', identity='name', parent='atomic_project', versions=V3_ONLY, paths=dict(
        list='atomic/{atomic_project_id}/webapps',
        item='atomic/{atomic_project_id}/webapps/{id}',
    )),
    Resource('atomic_symlink', identity='linkFrom', parent='atomic_project', versions=V3_ONLY, paths=dict(
        list='atomic/{atomic_project_id}/symlinks',
        item='atomic/{atomic_project_id}/symlinks/{id}',
    )),
))


def _answer_types():
    """{API field: type} for reading every answer (``values.read_answer``): the fields whose name means
    one type in every resource that has it. Enumerations of one name are joined; a name with types
    that differ (a server's free-text ``provider``, a git deployment's word) is left to the module
    that compares it, as are text and the references modules resolve themselves (raw)."""
    kinds = {}
    for resource in RESOURCES.values():
        for entry in resource.fields:
            if entry.kind is not RAW:
                kinds.setdefault(entry.read_as, []).append(entry.kind)
    types = {}
    for api_field, found in kinds.items():
        if all(isinstance(kind, Enumeration) for kind in found):
            types[api_field] = Enumeration(*sorted(set(word for kind in found for word in kind.choices.values())))
        elif all(kind is found[0] for kind in found) and found[0] is not TEXT:
            types[api_field] = found[0]
    return types


ANSWER_TYPES = _answer_types()


def answer_type(api_field, default=TEXT):
    """The type an answer's field has wherever it appears (``ANSWER_TYPES``), else ``default``."""
    return ANSWER_TYPES.get(api_field, default)


def resource_with_path(template, role):
    """The resource whose path of ``role`` (``list``, ``item``, ``singleton``, ``create``) is ``template``
    (either version's spelling); None if none."""
    for resource in RESOURCES.values():
        if template in (resource.paths[V2].get(role), resource.paths[V3].get(role)):
            return resource
    return None


# The resources modules name as parents (the option is the kind), in the order they are resolved;
# the action plugin remembers their ids and check mode may take them as predicted.
PARENT_KINDS = ('server', 'web_app', 'system_user', 'database', 'database_user')
# Options naming a parent and the kind they name (alias_of names a web application).
PARENT_OPTIONS = tuple((kind, kind) for kind in PARENT_KINDS) + (('alias_of', 'web_app'),)


def path(resource, role, version=DEFAULT_VERSION):
    """The path template of a resource's ``role`` (API v2 unless ``version`` says otherwise)."""
    return RESOURCES[resource].path(role, version)


def all_paths(version):
    """Every (resource, role, path template) of API ``version``."""
    return [(resource.name, role, template)
            for resource in RESOURCES.values() if version in resource.versions
            for role, template in sorted(resource.paths[version].items())]


def version_of_url(api_url):
    """The API version an ``api_url`` names (its last path segment ``v2`` or ``v3``); v2 for any other URL."""
    match = re.search(r'/v(\d+)/*$', api_url or '')
    if match and int(match.group(1)) in VERSIONS:
        return int(match.group(1))
    return DEFAULT_VERSION


def _template_pattern(template):
    parts = re.split(r'(\{[a-z_]+\})', template)
    return re.compile('^' + ''.join('([^/]+)' if part.startswith('{') else re.escape(part) for part in parts) + '(?=/|$)')


def _moves(version):
    """(v2 pattern, template on ``version``) of every path that moved, longest first."""
    moves = []
    for resource in RESOURCES.values():
        for role, template in resource.paths[V2].items():
            moved = resource.paths[version].get(role)
            if moved and moved != template:
                moves.append((len(template), _template_pattern(template), moved, re.findall(r'\{([a-z_]+)\}', template)))
    return [(pattern, moved, names) for _length, pattern, moved, names in sorted(moves, key=lambda move: -move[0])]


MOVES = dict((version, _moves(version)) for version in VERSIONS if version != V2)


def versioned_path(filled_path, version):
    """A filled path of API v2 (``servers/7/sshcredentials/3``) as API ``version`` spells it
    (``servers/7/ssh/credentials/3``); unchanged where both versions agree."""
    if version == V2:
        return filled_path
    relative = filled_path.lstrip('/')
    for pattern, moved, names in MOVES.get(version, ()):
        match = pattern.match(relative)
        if match:
            values = dict(zip(names, match.groups()))
            return moved.format(**values) + relative[match.end():]
    return relative
