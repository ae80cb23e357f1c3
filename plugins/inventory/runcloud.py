# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
name: runcloud
short_description: RunCloud servers as an Ansible inventory
version_added: 0.1.0
description:
  - Reads every server of a RunCloud workspace through the RunCloud API v2 and adds it as a host.
  - The configuration file must be named C(runcloud.yml) or C(runcloud.yaml), or end in C(.runcloud.yml) or
    C(.runcloud.yaml) (for example C(production.runcloud.yml)).
  - The host name is the server name by default, see O(hostname). When two servers would get the
    same host name, the one with the lowest id keeps it and the others get C(_<id>) appended, with a
    warning; no server is dropped.
  - C(ansible_host) is the server's IP address. Every field of the server object becomes a host
    variable named O(hostvars_prefix) plus the field name in snake_case, for example
    C(ipAddress) becomes C(runcloud_ip_address) and C(phpCLIVersion) becomes
    C(runcloud_php_cli_version). The full mapping is in the
    R(inventory guide,ansible_collections.runcloud.cloud.docsite.inventory).
  - Nothing read from the API is ever templated. Strings that could be templates (holding C({), C(})
    or C(#jinja2:)) are marked unsafe, so a server name such as V({{ lookup('pipe', 'id'\) }}) stays
    a plain string; all other values are plain, so C(ansible-inventory --list --export) (what AWX
    stores) gives them as they are, without an C(__ansible_unsafe) envelope.
  - After the first page of servers tells how many pages there are, the other pages are fetched
    concurrently (O(concurrency)). Web applications and databases (O(include_web_apps),
    O(include_databases)) are fetched concurrently as well. Rate-limited requests (HTTP 429) are
    retried after the time the API asks for.
  - With O(cache=true) the raw API answers are kept in the configured cache plugin; grouping,
    O(compose), O(filters) and host names are computed again from them on every run.
  - >-
    The connection options may be Jinja2 templates, for example
    O(api_token) set to V({{ lookup('env', 'MY_TOKEN'\) }}).
seealso:
  - module: runcloud.cloud.server_info
  - ref: ansible_collections.runcloud.cloud.docsite.inventory
    description: Guide to the inventory plugin.
  - ref: ansible_collections.runcloud.cloud.docsite.awx
    description: The inventory plugin as an AWX or Automation Controller inventory source.
author:
  - runcloud.cloud contributors (@runcloud-community)
options:
  plugin:
    description:
      - Marks the file as a configuration of this plugin.
    type: str
    required: true
    choices: [runcloud.cloud.runcloud]
  hostname:
    description:
      - What becomes the inventory host name of a server.
      - Either the name of a server field, given as in the API (V(ipAddress)) or in snake_case
        (V(ip_address)), or a Jinja2 template evaluated with the host variables of the server,
        for example V({{ runcloud_name }}.example.com).
      - When the field is missing or the template renders an empty string the server name is used
        and a warning is shown.
    type: str
    default: name
  hostvars_prefix:
    description:
      - Prefix of the host variables made from the server fields.
      - C(ansible_host) is never prefixed.
    type: str
    default: runcloud_
  group:
    description:
      - Group that every server is added to. An empty string adds no such group.
    type: str
    default: runcloud
  search:
    description:
      - Server-side filter sent to the API as C(search); RunCloud matches it as a substring of the
        server name or IP address.
    type: str
  connected_only:
    description:
      - Only add servers whose RunCloud agent is connected (C(connected) is true).
    type: bool
    default: false
  filters:
    description:
      - Jinja2 expressions evaluated with the host variables of each server (before O(compose)).
      - A server is added if no O(filters.include) expression is given or at least one is true,
        and no O(filters.exclude) expression is true.
      - An expression that fails to evaluate excludes the server, or fails the inventory when
        O(strict=true).
    type: dict
    default: {}
    suboptions:
      include:
        description: Expressions of which at least one must be true.
        type: list
        elements: str
        default: []
      exclude:
        description: Expressions of which none may be true.
        type: list
        elements: str
        default: []
  include_web_apps:
    description:
      - Add the web applications of each server, each with its domain names, as
        C(<prefix>web_apps).
      - Costs one request per server plus one per web application.
    type: bool
    default: false
  include_databases:
    description:
      - Add the databases of each server as C(<prefix>databases).
      - Costs one request per server.
    type: bool
    default: false
  include_shared:
    description:
      - Also add the servers other accounts share with this one (one more list request per 40 of them).
        Every server then has the variable C(<prefix>shared), true for the shared ones.
      - O(search) and O(connected_only) apply to them too.
    type: bool
    default: false
  concurrency:
    description:
      - How many API requests may run at the same time while reading server pages and the extra
        data of O(include_web_apps) and O(include_databases).
      - V(1) reads everything one request after the other.
    type: int
    default: 4
extends_documentation_fragment:
  - runcloud.cloud.api.plugin
  - constructed
  - inventory_cache
notes:
  - With O(cache=true) the cache key is made from the path of the configuration file. If
    O(search), O(connected_only), O(include_web_apps), O(include_databases) or O(api_url) change,
    the cached answers are not used and are replaced.
  - To use it as an AWX or Automation Controller inventory source, see the
    R(AWX guide,ansible_collections.runcloud.cloud.docsite.awx).
'''

EXAMPLES = r'''
# runcloud.yml - the useful groups: by provider, OS, agent state and PHP CLI version. The token comes
# from the RUNCLOUD_API_TOKEN environment variable.
plugin: runcloud.cloud.runcloud
keyed_groups:
  - key: runcloud_provider | default('unknown', true) | lower
    prefix: provider
  - key: runcloud_os | lower ~ '_' ~ (runcloud_os_version | default('unknown', true))
    prefix: os
  - key: runcloud_php_cli_version
    prefix: php
groups:
  connected: runcloud_connected
  online: runcloud_online
  offline: runcloud_connected and not runcloud_online
compose:
  ansible_user: "'root'"

# Each configuration below is a file of its own: write it without the leading "# ".
#
# --- all.runcloud.yml: every server, named by its RunCloud name, in the group "runcloud".
# plugin: runcloud.cloud.runcloud
#
# --- production.runcloud.yml: only connected production servers, named by a template, with their
# --- web applications.
# plugin: runcloud.cloud.runcloud
# api_token: "{{ lookup('env', 'RUNCLOUD_PRODUCTION_TOKEN') }}"
# search: prod
# connected_only: true
# hostname: "{{ runcloud_name }}.servers.example.com"
# hostvars_prefix: rc_
# filters:
#   include:
#     - rc_provider in ['DigitalOcean', 'Hetzner']
#   exclude:
#     - "'decommission' in rc_tags"
# include_web_apps: true
# groups:
#   wordpress: rc_web_apps | selectattr('name', 'search', 'wp') | list | length > 0
#
# --- cached.runcloud.yml: the API answers cached for an hour in JSON files.
# plugin: runcloud.cloud.runcloud
# cache: true
# cache_plugin: ansible.builtin.jsonfile
# cache_connection: ~/.cache/runcloud-inventory
# cache_timeout: 3600
'''

import copy
import os
import time
from collections.abc import Mapping

import yaml

from ansible.errors import AnsibleParserError
from ansible.module_utils.common.text.converters import to_native
from ansible.module_utils.parsing.convert_bool import boolean
from ansible.plugins.inventory import BaseInventoryPlugin, Cacheable, Constructable

from ansible_collections.runcloud.cloud.plugins.module_utils.catalogue import ANSWER_TYPES, path as endpoint
from ansible_collections.runcloud.cloud.plugins.module_utils.client import (
    HAS_REQUESTS,
    CREDENTIAL_ENVIRONMENT,
    choose_credentials,
    client_from_options,
    credentials_in_environment,
    map_concurrently,
)
from ansible_collections.runcloud.cloud.plugins.module_utils.errors import RunCloudError
from ansible_collections.runcloud.cloud.plugins.module_utils.info import without_secrets
from ansible_collections.runcloud.cloud.plugins.module_utils.masking import register_credentials
from ansible_collections.runcloud.cloud.plugins.module_utils.naming import snake_case, snake_case_keys
from ansible_collections.runcloud.cloud.plugins.module_utils.values import is_true, read_answer

try:
    # ansible-core 2.19+ (data tagging): a string is templated only when it is trusted.
    from ansible.template import trust_as_template
    wrap_var = None
except ImportError:  # ansible-core < 2.19: every string is templated unless it is wrapped as unsafe
    trust_as_template = None
    from ansible.utils.unsafe_proxy import wrap_var

# What makes a string a possible template: Jinja2's delimiters, or a header that changes them.
TEMPLATE_MARKERS = ('{', '}', '#jinja2:')


def could_be_template(text):
    return any(marker in text for marker in TEMPLATE_MARKERS)


def make_unsafe(value):
    """API data made safe to hand to Ansible: no string from the API is ever templated.

    Only strings that could be templates are marked unsafe (untrusted); every other string stays
    plain (trusted on ansible-core 2.19+, where an untrusted string is exported as
    ``{"__ansible_unsafe": ...}`` just like a wrapped one on older versions). So
    ``ansible-inventory --list --export`` gives plain values, the form AWX stores host variables in,
    for everything but a template-like string, which can never run either way."""
    if isinstance(value, dict):
        return dict((make_unsafe(key), make_unsafe(item)) for key, item in value.items())
    if isinstance(value, (list, tuple)):
        return [make_unsafe(item) for item in value]
    if not isinstance(value, str):
        return value
    # str.__str__ gives a plain str of any str subclass: without the tags of ansible-core 2.19+
    # (a template-like string trusted elsewhere loses its trust) and not wrapped on older versions
    # (a plain result of a composed template).
    plain = str.__str__(value)
    if trust_as_template is not None:
        return plain if could_be_template(plain) else trust_as_template(plain)
    return wrap_var(plain) if could_be_template(plain) else plain


CACHE_FORMAT = 1
# AWX projects often hold one inventory file per source, named after the plugin.
CONFIG_FILE_NAMES = ('runcloud.yml', 'runcloud.yaml')
CONFIG_FILE_SUFFIXES = ('.runcloud.yml', '.runcloud.yaml')
SERVERS_PATH = endpoint('server', 'list')
SHARED_SERVERS_PATH = endpoint('server', 'shared')
WEB_APPS_PATH = endpoint('web_app', 'list')
DOMAINS_PATH = endpoint('domain', 'list')
DATABASES_PATH = endpoint('database', 'list')
TEMPLATED_OPTIONS = ('api_url', 'api_token', 'api_key', 'api_secret', 'search')
# What each read of the API cost in this process (client.usage()), for the runcloud.cloud.api_usage
# callback: ansible-playbook reads the inventory in the process its callbacks run in.
API_USAGE = []


def _names_this_plugin(path):
    """Whether ``path`` is a YAML file whose ``plugin`` is this plugin (a file of another plugin, or
    one that cannot be read, is not)."""
    if not path.endswith(('.yml', '.yaml')):
        return False
    try:
        with open(path) as handle:
            content = yaml.safe_load(handle)
    except Exception:  # pylint: disable=broad-except
        return False
    return isinstance(content, Mapping) and content.get('plugin') in ('runcloud.cloud.runcloud', 'runcloud')


def _yaml_kind(value):
    if isinstance(value, (list, tuple)):
        return 'list'
    if isinstance(value, str):
        return 'string'
    return type(value).__name__


def assign_hostnames(candidates):
    """Unique host names for ``[(server_id, wanted_name)]``, in the same order.

    A name wanted once is kept. Of servers wanting the same name the lowest id keeps it and the
    others get ``_<id>`` appended (again, should that be taken too). Returns the names and a list
    of ``(name, kept_by_id, [(other_id, new_name)])`` describing each duplicate.
    """
    wanted_by = {}
    for server_id, wanted in candidates:
        wanted_by.setdefault(wanted, []).append(server_id)
    taken = set(wanted_by)
    keeper = dict((wanted, min(ids, key=_id_order)) for wanted, ids in wanted_by.items())
    names = []
    renamed = {}
    for server_id, wanted in candidates:
        if keeper[wanted] == server_id:
            names.append(wanted)
            continue
        name = '%s_%s' % (wanted, server_id)
        while name in taken:
            name = '%s_%s' % (name, server_id)
        taken.add(name)
        names.append(name)
        renamed.setdefault(wanted, []).append((server_id, name))
    duplicates = [(wanted, keeper[wanted], others) for wanted, others in renamed.items()]
    return names, duplicates


def _id_order(server_id):
    try:
        return (0, int(server_id), '')
    except (TypeError, ValueError):
        return (1, 0, str(server_id))


class InventoryModule(BaseInventoryPlugin, Constructable, Cacheable):

    NAME = 'runcloud.cloud.runcloud'

    def __init__(self):
        super(InventoryModule, self).__init__()
        self.client = None
        self.api_stats = {}

    def verify_file(self, path):
        if not super(InventoryModule, self).verify_file(path):
            return False
        if os.path.basename(path) in CONFIG_FILE_NAMES or path.endswith(CONFIG_FILE_SUFFIXES):
            return True
        rule = ('a runcloud.cloud.runcloud inventory file is named runcloud.yml or runcloud.yaml, or ends in .runcloud.yml '
                'or .runcloud.yaml (for example production.runcloud.yml)')
        if _names_this_plugin(path):
            # The `auto` inventory plugin sends a file that names this plugin here and would only say that
            # it "could not be verified"; Ansible's own loop over the enabled plugins ignores the error.
            raise AnsibleParserError('%s names the plugin runcloud.cloud.runcloud, but %s: rename the file' % (to_native(path), rule))
        self.display.vvv('Skipping %s: %s' % (path, rule))
        return False

    def parse(self, inventory, loader, path, cache=True):
        super(InventoryModule, self).parse(inventory, loader, path, cache)
        if not HAS_REQUESTS:
            raise AnsibleParserError('the runcloud.cloud.runcloud inventory plugin needs the Python library "requests"')
        self._read_config_data(path)
        options = self._templated_options()
        self._validate_options()

        cache_key = self.get_cache_key(path)
        query = self._query_descriptor(options)
        use_cache = self.get_option('cache') and cache
        update_cache = self.get_option('cache') and not cache
        data = None
        if use_cache:
            try:
                data = self._cache[cache_key]
            except KeyError:
                update_cache = True
            else:
                if not isinstance(data, dict) or data.get('format') != CACHE_FORMAT or data.get('query') != query:
                    self.display.vvv('runcloud inventory: the cached answers were made with other options; reading the API')
                    data = None
                    update_cache = True
        if data is None:
            data = self._fetch(options, query)
            if self.get_option('cache'):
                update_cache = True
        else:
            self.api_stats = dict(requests=0, seconds=0.0, servers=len(data.get('servers') or []), cached=True)
            self.display.vv('runcloud inventory: %d servers from the cache, no API request' % self.api_stats['servers'])
        if update_cache:
            self._cache[cache_key] = data
        # Decorating must never change what the cache holds (the memory cache returns its object).
        self._populate(copy.deepcopy(data))

    # -- options -----------------------------------------------------------------------------------

    def _read_config_data(self, path):
        # The base class assumes a mapping and fails with a Python error on a list or a string.
        content = self.loader.load_from_file(path)
        if not isinstance(content, Mapping):
            raise AnsibleParserError('%s is not a runcloud.cloud.runcloud inventory file: it must be a YAML mapping '
                                     '(plugin: runcloud.cloud.runcloud, then the options), not %s'
                                     % (to_native(path), 'an empty file' if content is None else 'a ' + _yaml_kind(content)))
        return super(InventoryModule, self)._read_config_data(path)

    def _templated_options(self):
        """The connection options, rendered when they are templates (extra vars are available)."""
        self.templar.available_variables = self._vars or {}
        options = {}
        for name in TEMPLATED_OPTIONS:
            value = self.get_option(name)
            if isinstance(value, str) and self.templar.is_template(value):
                try:
                    value = self.templar.template(value)
                except Exception as error:
                    raise AnsibleParserError('could not template the option %s: %s' % (name, to_native(error)))
            options[name] = value
        return options

    def _credentials(self, options):
        """The credentials to use: the inventory file's own settings win over the environment.

        Ansible's configuration merges both into one value per option; a value that differs from
        its environment variable was set in the file (origins are not reliable on every supported
        ansible-core)."""
        environment = credentials_in_environment(os.environ)
        explicit = dict((name, options[name]) for name in CREDENTIAL_ENVIRONMENT if options[name] != environment[name])
        return choose_credentials(explicit, environment)

    def _validate_options(self):
        if self.get_option('concurrency') < 1:
            raise AnsibleParserError('concurrency must be at least 1')
        filters = self.get_option('filters') or {}
        if not isinstance(filters, dict):
            raise AnsibleParserError('filters must be a dictionary with the keys include and exclude')
        unknown = sorted(set(filters) - set(['include', 'exclude']))
        if unknown:
            raise AnsibleParserError('filters accepts only the keys include and exclude, not %s' % ', '.join(unknown))
        for key in ('include', 'exclude'):
            expressions = filters.get(key) or []
            if not isinstance(expressions, list) or not all(isinstance(item, str) for item in expressions):
                raise AnsibleParserError('filters.%s must be a list of Jinja2 expressions' % key)

    def _query_descriptor(self, options):
        """What the cached answers depend on besides the file path."""
        return dict(
            api_url=options['api_url'],
            search=options['search'] or None,
            connected_only=bool(self.get_option('connected_only')),
            web_apps=bool(self.get_option('include_web_apps')),
            databases=bool(self.get_option('include_databases')),
            shared=bool(self.get_option('include_shared')),
        )

    # -- API ---------------------------------------------------------------------------------------

    def _create_client(self, options):
        concurrency = self.get_option('concurrency')
        try:
            connection = dict(options, **dict((name, self.get_option(name)) for name in
                                              ('validate_certs', 'ca_path', 'api_timeout', 'api_retries', 'api_retry_budget')))
            credentials = self._credentials(options)
            register_credentials(credentials)
            client = client_from_options(connection, credentials, self.display.vvvv, 'inventory',
                                         pool_size=max(10, concurrency))
        except RunCloudError as error:
            raise AnsibleParserError('runcloud inventory: %s' % to_native(error))
        for warning in client.warnings:
            self.display.warning('runcloud inventory: %s' % warning)
        return client

    def _fetch(self, options, query):
        """The raw API answers this inventory is built from (what the cache holds)."""
        self.client = client = self._create_client(options)
        concurrency = self.get_option('concurrency')
        started = time.monotonic()
        params = {'search': query['search']} if query['search'] else None
        try:
            servers = client.list_all(SERVERS_PATH, params=params, concurrency=concurrency)
            if query['shared']:
                servers = self._with_shared(servers, params, concurrency)
            if query['connected_only']:
                servers = [server for server in servers if is_true(server.get('connected'))]
            web_apps = self._fetch_web_apps(servers, concurrency) if query['web_apps'] else {}
            databases = self._fetch_per_server(DATABASES_PATH, servers, concurrency) if query['databases'] else {}
        except RunCloudError as error:
            raise AnsibleParserError('runcloud inventory: %s' % to_native(error))
        seconds = time.monotonic() - started
        API_USAGE.append(client.usage())
        self.api_stats = dict(requests=client.request_count, seconds=seconds, servers=len(servers), cached=False)
        self.display.vv('runcloud inventory: %d servers, %d API requests, API phase %.3fs'
                        % (len(servers), client.request_count, seconds))
        return dict(format=CACHE_FORMAT, query=query, servers=servers, web_apps=web_apps, databases=databases)

    def _with_shared(self, servers, params, concurrency):
        """Own servers marked ``shared: false`` followed by the shared ones, marked ``shared: true``."""
        own_ids = set(server.get('id') for server in servers)
        shared = self.client.list_all(SHARED_SERVERS_PATH, params=params, concurrency=concurrency)
        return ([dict(server, shared=False) for server in servers]
                + [dict(server, shared=True) for server in shared if server.get('id') not in own_ids])

    def _fetch_per_server(self, template, servers, concurrency):
        """``{server id: [items]}`` of a per-server list endpoint; the pages of one list in sequence."""
        client = self.client

        def read(server):
            return client.list_all(client.path(template, server_id=server['id']))

        results = map_concurrently(read, servers, concurrency)
        return dict((str(server['id']), items) for server, items in zip(servers, results))

    def _fetch_web_apps(self, servers, concurrency):
        """``{server id: [{'web_app': app, 'domains': [...]}]}``: apps of every server, then their domains."""
        client = self.client
        apps_by_server = self._fetch_per_server(WEB_APPS_PATH, servers, concurrency)
        pairs = [(server_id, app) for server_id, apps in apps_by_server.items() for app in apps]

        def read_domains(pair):
            server_id, app = pair
            return client.list_all(client.path(DOMAINS_PATH, server_id=server_id, web_app_id=app['id']))

        domains = map_concurrently(read_domains, pairs, concurrency)
        result = dict((server_id, []) for server_id in apps_by_server)
        for (server_id, app), app_domains in zip(pairs, domains):
            # Webhook secrets that trigger deployments: never cached, never host variables.
            app = without_secrets(app)
            result[server_id].append(dict(web_app=app, domains=app_domains))
        return result

    # -- inventory ---------------------------------------------------------------------------------

    def host_variables(self, server, data):
        """The host variables of one server (prefixed, snake_case), marked unsafe."""
        prefix = self.get_option('hostvars_prefix') or ''
        variables = dict((prefix + snake_case(str(key)), snake_case_keys(value)) for key, value in server.items())
        server_id = str(server.get('id'))
        if data['query'].get('web_apps'):
            apps = []
            for entry in data['web_apps'].get(server_id, []):
                app = snake_case_keys(entry['web_app'])
                app['domains'] = snake_case_keys(entry['domains'])
                apps.append(app)
            variables[prefix + 'web_apps'] = apps
        if data['query'].get('databases'):
            variables[prefix + 'databases'] = snake_case_keys(data['databases'].get(server_id, []))
        if server.get('ipAddress'):
            variables['ansible_host'] = server['ipAddress']
        return make_unsafe(variables)

    def _populate(self, data):
        strict = self.get_option('strict')
        # Filters, groups and host variables see every value in its canonical form (the client reads
        # answers so; a cache written by an earlier version may hold them as the API spelled them).
        data = read_answer(data, ANSWER_TYPES)
        servers = sorted(data.get('servers') or [], key=lambda server: _id_order(server.get('id')))
        if self.get_option('connected_only'):
            servers = [server for server in servers if is_true(server.get('connected'))]
        selected = []
        for server in servers:
            variables = self.host_variables(server, data)
            if self._passes_filters(variables, server, strict):
                selected.append((server, variables))
            else:
                self.display.vvv('runcloud inventory: server %s excluded by filters' % server.get('id'))

        wanted = [(server.get('id'), self._wanted_hostname(server, variables)) for server, variables in selected]
        names, duplicates = assign_hostnames(wanted)
        for name, kept_by, others in duplicates:
            self.display.warning(
                'runcloud inventory: servers %s would all be named %r; server %s keeps the name, %s'
                % (', '.join(str(server_id) for server_id in sorted([kept_by] + [o[0] for o in others], key=_id_order)),
                   name, kept_by, ', '.join('server %s is named %r' % (server_id, new_name) for server_id, new_name in others)))

        base_group = self.get_option('group')
        if base_group:
            base_group = self.inventory.add_group(base_group)
        for (server, variables), hostname in zip(selected, names):
            hostname = make_unsafe(hostname)
            self.inventory.add_host(hostname, group=base_group or None)
            for key, value in variables.items():
                self.inventory.set_variable(hostname, key, value)
            self._set_composite_vars(self.get_option('compose'), self.inventory.get_host(hostname).get_vars(), hostname, strict=strict)
            self._mark_composed(hostname)
            self._add_host_to_composed_groups(self.get_option('groups'), {}, hostname, strict=strict)
            self._add_host_to_keyed_groups(self.get_option('keyed_groups'), {}, hostname, strict=strict)

    def _mark_composed(self, hostname):
        """Composed variables marked like API data: a template's result is untrusted on ansible-core
        2.19+ (exported with an unsafe envelope even when it is plain text), and a result made of
        API data may look like a template."""
        host_vars = self.inventory.get_host(hostname).get_vars()
        for name in self.get_option('compose') or {}:
            if name in host_vars:
                self.inventory.set_variable(hostname, name, make_unsafe(host_vars[name]))

    def _wanted_hostname(self, server, variables):
        spec = self.get_option('hostname') or 'name'
        fallback = str(server.get('name') or server.get('id'))
        if '{{' in spec or '{%' in spec:
            self.templar.available_variables = variables
            try:
                rendered = self.templar.template(spec)
            except Exception as error:
                if self.get_option('strict'):
                    raise AnsibleParserError('could not render hostname for server %s: %s' % (server.get('id'), to_native(error)))
                rendered = None
            value = rendered if rendered not in (None, '') else None
            what = 'the hostname template rendered nothing'
        else:
            value = server.get(spec)
            if value is None:
                value = dict((snake_case(str(key)), item) for key, item in server.items()).get(snake_case(spec))
            what = 'it has no field %r' % spec
        if value in (None, ''):
            self.display.warning('runcloud inventory: server %s is named %r because %s' % (server.get('id'), fallback, what))
            return fallback
        return str(value)

    def _passes_filters(self, variables, server, strict):
        filters = self.get_option('filters') or {}
        include = filters.get('include') or []
        exclude = filters.get('exclude') or []
        try:
            if include and not any(self._is_true(expression, variables) for expression in include):
                return False
            return not any(self._is_true(expression, variables) for expression in exclude)
        except Exception as error:
            if strict:
                raise AnsibleParserError('could not evaluate the filters for server %s: %s' % (server.get('id'), to_native(error)))
            return False

    def _is_true(self, expression, variables):
        templar = self.templar
        templar.available_variables = variables
        if hasattr(templar, 'evaluate_conditional'):  # ansible-core 2.19+
            return bool(templar.evaluate_conditional(expression))
        rendered = templar.template('{%% if %s %%} True {%% else %%} False {%% endif %%}' % expression)
        return boolean(rendered, strict=False)
