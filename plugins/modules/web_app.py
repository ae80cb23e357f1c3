#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: web_app
short_description: Manage the PHP web applications of a RunCloud server
version_added: 0.1.0
description:
  - Create a custom PHP web application (or an alias of another one) on a server managed by RunCloud,
    change its PHP version and its PHP-FPM/NGINX settings, make it the server's default application,
    rebuild its configuration, or delete it.
  - The settings options (O(stack) to O(allow_url_fopen)) have RunCloud's defaults, which are sent only
    when the application is created. On an existing application only the options you set are compared;
    when one differs the module sends the full settings set, taking the current values for the others.
  - Reading the current PHP-FPM/NGINX settings costs one request, made only when you set one of the
    options that live there (O(public_path), the protections, the process manager, O(open_basedir),
    O(timezone), O(disable_functions) and the PHP limits).
  - More domain names, SSL, git deployment and script installers are managed with
    M(runcloud.cloud.domain), M(runcloud.cloud.web_app_ssl), M(runcloud.cloud.git) and
    M(runcloud.cloud.script_installer).
  - On RunCloud API v3 a removal as the default application (O(default_app=false)) may only be
    acknowledged, and a create whose answer holds no application is read back; O(wait) reads until the
    change shows.
seealso:
  - module: runcloud.cloud.web_app_info
  - module: runcloud.cloud.domain
  - module: runcloud.cloud.web_app_ssl
  - module: runcloud.cloud.git
  - module: runcloud.cloud.script_installer
  - ref: ansible_collections.runcloud.cloud.docsite.web_applications
    description: Guide to the web application, domain, SSL, git and script installer modules.
author:
  - runcloud.cloud contributors (@runcloud-community)
options:
  name:
    description:
      - The application name; it identifies the application on the server and names its directory
        C(/home/<user>/webapps/<name>).
    type: str
    required: true
  id:
    description:
      - The id of the application (as RV(web_app.id) returns it, or the web applications of the
        inventory plugin with O(runcloud.cloud.runcloud#inventory:include_web_apps)). It is then read
        directly, at the same time as its settings when an option of those is set, instead of being
        searched by name; it must carry O(name).
    type: int
    version_added: 0.1.0
  domain_name:
    description:
      - The first domain name of the application. Required to create it.
      - Only used on creation; it is not compared on an existing application. Manage the domain
        names of an existing application with M(runcloud.cloud.domain).
    type: str
  system_user:
    description:
      - The system user the application runs as, by id or by user name. Required to create it.
      - The API cannot change the owner of an application; the module fails if it differs.
    type: raw
  alias_of:
    description:
      - Create the application as an alias of this web application (id or name) of the same server.
      - The API cannot turn an application into an alias or back; the module fails if it differs.
    type: raw
  php_version:
    description:
      - The PHP version, such as V(php82rc). It must be installed on the server.
      - Defaults to V(php82rc) when the application is created.
    type: str
  public_path:
    description:
      - The folder inside the application root that NGINX serves, such as V(/public). Empty means the root.
      - It must stay inside the root (no V(..)).
    type: str
  stack:
    description:
      - The web server stack; defaults to V(hybrid) (NGINX in front of Apache) on creation.
    type: str
    choices: [hybrid, nativenginx, customnginx]
  stack_mode:
    description:
      - Defaults to V(production) on creation.
    type: str
    choices: [production, development]
  clickjacking_protection:
    description:
      - Send C(X-Frame-Options). Defaults to V(true) on creation.
    type: bool
  xss_protection:
    description:
      - Send C(X-XSS-Protection). Defaults to V(true) on creation.
    type: bool
  mime_sniffing_protection:
    description:
      - Send C(X-Content-Type-Options). Defaults to V(true) on creation.
    type: bool
  process_manager:
    description:
      - The PHP-FPM process manager; defaults to V(ondemand) on creation.
      - V(dynamic) also needs O(process_manager_start_servers), O(process_manager_min_spare_servers)
        and O(process_manager_max_spare_servers) on creation.
    type: str
    choices: [dynamic, ondemand, static]
  process_manager_start_servers:
    description:
      - PHP-FPM C(pm.start_servers), for the V(dynamic) process manager; from 1 to 10000.
    type: int
  process_manager_min_spare_servers:
    description:
      - PHP-FPM C(pm.min_spare_servers), for the V(dynamic) process manager; from 1 to 10000.
    type: int
  process_manager_max_spare_servers:
    description:
      - PHP-FPM C(pm.max_spare_servers), for the V(dynamic) process manager; from 1 to 10000.
    type: int
  process_manager_max_children:
    description:
      - PHP-FPM C(pm.max_children), from 1 to 10000; defaults to V(50) on creation.
    type: int
  process_manager_max_requests:
    description:
      - PHP-FPM C(pm.max_requests), from 1 to 1000000; defaults to V(500) on creation.
    type: int
  open_basedir:
    description:
      - PHP C(open_basedir). Without it RunCloud uses C(<root>:/var/lib/php/session:/tmp).
    type: str
  timezone:
    description:
      - PHP C(date.timezone), a name from the API's timezone list (C(GET /static/timezones)). Defaults to
        V(UTC) on creation.
      - Checked against that list before it is sent (one request, only when it is sent).
    type: str
  disable_functions:
    description:
      - PHP C(disable_functions), a comma separated list. Empty disables nothing.
    type: str
  max_execution_time:
    description:
      - PHP C(max_execution_time) in seconds, from 0 to 86400; defaults to V(30) on creation.
    type: int
  max_input_time:
    description:
      - PHP C(max_input_time) in seconds, from -1 (no limit) to 86400; defaults to V(60) on creation.
    type: int
  max_input_vars:
    description:
      - PHP C(max_input_vars), from 1 to 1000000; defaults to V(1000) on creation.
    type: int
  memory_limit:
    description:
      - PHP C(memory_limit) in MB, from 1 to 65536; defaults to V(256) on creation.
    type: int
  post_max_size:
    description:
      - PHP C(post_max_size) in MB, from 1 to 65536; defaults to V(256) on creation.
    type: int
  upload_max_filesize:
    description:
      - PHP C(upload_max_filesize) in MB, from 1 to 65536; defaults to V(256) on creation.
    type: int
  session_gc_maxlifetime:
    description:
      - PHP C(session.gc_maxlifetime) in seconds, from 1 to 31536000; defaults to V(1440) on creation.
    type: int
  allow_url_fopen:
    description:
      - PHP C(allow_url_fopen); defaults to V(true) on creation.
    type: bool
  default_app:
    description:
      - V(true) makes this the application the server answers with for unknown domain names;
        V(false) makes sure it is not.
    type: bool
  rebuild:
    description:
      - Rebuild the application's web server configuration.
      - This is an action, not a state; it runs every time and always reports a change.
    type: bool
    default: false
  state:
    description:
      - V(present) creates or converges the application, V(absent) deletes it with its files.
    type: str
    choices: [present, absent]
    default: present
extends_documentation_fragment:
  - runcloud.cloud.api
  - runcloud.cloud.api.action
  - runcloud.cloud.parents.server
  - runcloud.cloud.wait
  - runcloud.cloud.attributes
attributes:
  idempotent:
    support: partial
    details:
      - Not idempotent with O(rebuild=true), which rebuilds the configuration on every run.
'''

EXAMPLES = r'''
- name: Create a system user for the shop
  runcloud.cloud.system_user:
    server: web-01
    username: shop
    password: "{{ vault_shop_password }}"

- name: Create the shop application
  runcloud.cloud.web_app:
    server: web-01
    name: shop
    domain_name: shop.example.com
    system_user: shop
    php_version: php82rc
    public_path: /public
    stack: nativenginx
    memory_limit: 512
    default_app: true

- name: Upgrade PHP and raise the upload limit
  runcloud.cloud.web_app:
    server: web-01
    name: shop
    php_version: php83rc
    upload_max_filesize: 512
    post_max_size: 512

- name: Serve the shop under a second application name
  runcloud.cloud.web_app:
    server: web-01
    name: shop-alias
    alias_of: shop
    domain_name: shop-alias.example.com
    system_user: shop

- name: Rebuild the configuration (runs every time)
  runcloud.cloud.web_app:
    server: web-01
    name: shop
    rebuild: true

- name: Delete the application
  runcloud.cloud.web_app:
    server: web-01
    name: shop-alias
    state: absent
'''

RETURN = r'''
web_app:
  description:
    - The web application as the API describes it; empty after deletion.
    - C(settings) holds the PHP-FPM/NGINX settings when they were read (only when a settings option was set).
  returned: always
  type: dict
  contains:
    id:
      description: The application id; V(null) when it was only predicted in check mode.
      type: int
      sample: 646
    name:
      description: The application name.
      type: str
      sample: shop
    server_user_id:
      description: The id of the system user it runs as.
      type: int
      sample: 1647
    root_path:
      description: The application directory.
      type: str
      sample: /home/shop/webapps/shop
    public_path:
      description: The directory NGINX serves.
      type: str
      sample: /home/shop/webapps/shop/public
    php_version:
      description: The PHP version.
      type: str
      sample: php82rc
    stack:
      description: The web server stack.
      type: str
      sample: hybrid
    stack_mode:
      description: V(production) or V(development).
      type: str
      sample: production
    type:
      description: V(custom), or V(wordpress) once WordPress was installed.
      type: str
      sample: custom
    default_app:
      description: Whether it is the server's default application.
      type: bool
      sample: false
    alias:
      description: The id of the application this one is an alias of, else V(null).
      type: int
      sample: null
    settings:
      description: The PHP-FPM/NGINX settings, when they were read.
      type: dict
      returned: when a settings option was set
      sample: {"timezone": "UTC", "memory_limit": 256, "process_manager": "ondemand"}
    created_at:
      description: When the application was created, in server time.
      type: str
      sample: '2024-07-09 07:02:13'
api:
  description:
    - What the task cost of the RunCloud API quota, as the client counted it (the
      P(runcloud.cloud.api_usage#callback) callback adds it up per host and run).
  returned: always, unless the task failed before it could send a request (an option refused locally)
  type: dict
  contains:
    requests:
      description: API requests sent, every retry included.
      type: int
      sample: 2
    writes:
      description: Of those, the requests that were not reads (whatever their answer).
      type: int
      sample: 0
    rate_limit:
      description: The last C(X-RateLimit-Limit) and C(X-RateLimit-Remaining) headers the API sent (each null when it sent none).
      type: dict
      contains:
        limit:
          description: Requests allowed per window.
          type: int
          sample: 60
        remaining:
          description: Requests left in the window.
          type: int
          sample: 58
api_log:
  description:
    - What the API client did besides answering at once (retries, rate-limit pauses, re-reads after a
      lost answer), one line each. Shown at verbosity 3 and higher (C(-vvv)).
  returned: when the client logged something and verbosity is at least 3
  type: list
  elements: str
  sample: ["RunCloud API: GET /servers: HTTP 503: Service Unavailable; try 2 of 5 in 1.21s"]
resolved:
  description: Names and ids of the parents and the resource as this task found, created, deleted or predicted them (O(resolve_cache)).
  returned: always
  type: list
  elements: dict
'''

import re

from ansible_collections.runcloud.cloud.plugins.module_utils.catalogue import path as endpoint
from ansible_collections.runcloud.cloud.plugins.module_utils.choices import names_in, php_version_problem
from ansible_collections.runcloud.cloud.plugins.module_utils.info import WEB_APP_SECRET_FIELDS
from ansible_collections.runcloud.cloud.plugins.module_utils.module import SERVER, SYSTEM_USER, ParentRef, is_id
from ansible_collections.runcloud.cloud.plugins.module_utils.resource import (
    Action,
    Field,
    Reader,
    ResourceModule,
    UpdateGroup,
    landing_options,
    resource_argument_spec,
)

DEFAULT_PHP_VERSION = 'php82rc'
ALIAS_PARENT = ParentRef('alias_of', 'alias_parent_id', endpoint('web_app', 'list'), 'web application', kind='web_app')
# RunCloud places every application in /home/<owner>/webapps/<name>.
ROOT_PATH_OWNER = re.compile(r'^/home/([^/]+)/webapps/')


# What RunCloud's panel offers; the API's own bounds are not documented. The sizes are megabytes:
# a value in bytes (268435456) is the mistake these catch.
SETTING_LIMITS = dict(
    memory_limit=(1, 65536, 'MB'),
    post_max_size=(1, 65536, 'MB'),
    upload_max_filesize=(1, 65536, 'MB'),
    max_execution_time=(0, 86400, 'seconds'),
    max_input_time=(-1, 86400, 'seconds, -1 for no limit'),
    max_input_vars=(1, 1000000, None),
    session_gc_maxlifetime=(1, 31536000, 'seconds'),
    process_manager_start_servers=(1, 10000, None),
    process_manager_min_spare_servers=(1, 10000, None),
    process_manager_max_spare_servers=(1, 10000, None),
    process_manager_max_children=(1, 10000, None),
    process_manager_max_requests=(1, 1000000, None),
)


def normalize_public_path(value):
    """'public/', '/public' and 'public' are the same folder; '' and '/' are the root."""
    text = (value or '').strip().strip('/')
    return '/' + text if text else None


def _int_or_none(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def settings_field(option, create_default=None, **kwargs):
    return Field(option, update='fpmnginx', reader='settings', create_default=create_default, **kwargs)


class WebAppModule(ResourceModule):
    resource = 'web application'
    result_key = 'web_app'
    parent_kind = 'web_app'
    created_defaults = {'rootPath': None, 'publicPath': None, 'type': 'custom', 'defaultApp': False, 'alias': None, 'created_at': None}
    parents = (SERVER,)
    list_path = endpoint('web_app', 'list')
    item_path = endpoint('web_app', 'item')
    create_path = endpoint('web_app', 'create')
    required_for_create = ('domain_name', 'system_user')
    hidden_fields = WEB_APP_SECRET_FIELDS
    timezone_checked = False
    accepted_values_from = {'php_version': endpoint('server', 'php_versions'), 'timezone': endpoint('static', 'timezones')}
    fields = (
        Field('name'),
        Field('domain_name'),
        Field('system_user'),
        Field('php_version', update='php', create_default=DEFAULT_PHP_VERSION),
        settings_field('public_path', matches=lambda wanted, current: normalize_public_path(wanted) == normalize_public_path(current)),
        # stack and stackMode are part of the application object, so comparing them needs no settings read.
        Field('stack', update='fpmnginx', create_default='hybrid'),
        Field('stack_mode', update='fpmnginx', create_default='production'),
        settings_field('clickjacking_protection', True),
        settings_field('xss_protection', True),
        settings_field('mime_sniffing_protection', True),
        settings_field('process_manager', create_default='ondemand'),
        settings_field('process_manager_start_servers'),
        settings_field('process_manager_min_spare_servers'),
        settings_field('process_manager_max_spare_servers'),
        settings_field('process_manager_max_children', 50),
        settings_field('process_manager_max_requests', 500),
        settings_field('open_basedir'),
        settings_field('timezone', create_default='UTC'),
        settings_field('disable_functions'),
        settings_field('max_execution_time', 30),
        settings_field('max_input_time', 60),
        settings_field('max_input_vars', 1000),
        settings_field('memory_limit', 256),
        settings_field('post_max_size', 256),
        settings_field('upload_max_filesize', 256),
        settings_field('session_gc_maxlifetime', 1440),
        settings_field('allow_url_fopen', True),
        Field('default_app', create=False, update='default_app'),
    )
    readers = (Reader('settings', endpoint('web_app', 'settings'), 'settings'),)
    update_groups = (
        UpdateGroup('php', endpoint('web_app', 'php')),
        # Whether the endpoint merges a partial body is not documented: always send the whole set.
        UpdateGroup('fpmnginx', endpoint('web_app', 'fpmnginx'), send='all'),
        UpdateGroup('default_app', endpoint('web_app', 'default'), method='POST', send='none'),
        UpdateGroup('default_app_off', endpoint('web_app', 'default'), method='DELETE', send='none'),
    )
    actions = (Action('rebuild', endpoint('web_app', 'rebuild')),)

    def validate(self):
        self.fail_unless_within(SETTING_LIMITS)
        problem = php_version_problem('php_version', self.params.get('php_version'))
        if problem:
            self.fail(problem)
        public_path = self.params.get('public_path')
        if public_path is not None and '..' in public_path.replace('\\', '/').split('/'):
            self.fail("public_path must be a folder inside the application root, without '..': %r" % public_path)

    def check_timezone(self):
        """Refuse a timezone the API's list does not have; read only when the timezone is about to be sent."""
        wanted = self.params.get('timezone')
        if wanted is None or self.timezone_checked:
            return
        names = names_in(self.client.get(endpoint('static', 'timezones')))
        self.timezone_checked = True
        if names and wanted not in names:
            close = sorted(name for name in names if name.lower() == wanted.lower() or name.split('/')[-1].lower() == wanted.split('/')[-1].lower())
            self.fail('timezone %r is not in the API\'s timezone list%s' % (wanted, ' (did you mean %s?)' % ', '.join(close) if close else ''))

    def update_body(self, group, changed_fields, current):
        if any(field.option == 'timezone' for field in changed_fields):
            self.check_timezone()
        return super(WebAppModule, self).update_body(group, changed_fields, current)

    def create_body(self):
        self.check_timezone()
        if self.is_set('alias_of'):
            self.resolve_parent(ALIAS_PARENT)
            self.create_path = endpoint('web_app', 'create_alias')
        body = super(WebAppModule, self).create_body()
        body['user'] = self.resolve_parent(SYSTEM_USER)
        return body

    def immutable_differences(self, current):
        # Only the owner and the alias parent cannot change (domain_name is create-only: the domain
        # module manages domains). Both are compared without a request where the object allows it.
        differing = []
        if self.is_set('system_user') and not self.owner_matches(current):
            differing.append(self.field('system_user'))
        if self.is_set('alias_of') and not self.alias_matches(current):
            differing.append(Field('alias_of'))
        return differing

    def owner_matches(self, current):
        # server_user_id decides: rootPath names the owner only by the convention of its directory.
        owner_id = _int_or_none(current.get('server_user_id'))
        if owner_id is not None:
            return self.resolve_parent(SYSTEM_USER) == owner_id
        match = ROOT_PATH_OWNER.match(current.get('rootPath') or '') if isinstance(current.get('rootPath'), str) else None
        if match and not is_id(self.params['system_user']):
            return match.group(1) == self.params['system_user']
        # Neither tells the owner in a form that can be compared: unknown, which is never a difference.
        self.note_unknown(self.field('system_user'), current)
        return True

    def alias_matches(self, current):
        if 'alias' not in current:
            self.module.warn('the API answer has no alias field, so whether %s is an alias of %r is unknown: it is not '
                             'changed' % (self.subject(), self.params['alias_of']))
            return True
        if current.get('alias') in (None, ''):
            return False
        return self.resolve_parent(ALIAS_PARENT) == current.get('alias')

    def pending_changes(self, current, just_created=False):
        changes = super(WebAppModule, self).pending_changes(current, just_created)
        if 'default_app' in changes and not self.params['default_app']:
            changes['default_app_off'] = changes.pop('default_app')
        return changes


def main():
    WebAppModule(
        argument_spec=resource_argument_spec(
            server=dict(type='raw', required=True),
            name=dict(type='str', required=True),
            id=dict(type='int'),
            domain_name=dict(type='str'),
            system_user=dict(type='raw'),
            alias_of=dict(type='raw'),
            php_version=dict(type='str'),
            public_path=dict(type='str'),
            stack=dict(type='str', choices=['hybrid', 'nativenginx', 'customnginx']),
            stack_mode=dict(type='str', choices=['production', 'development']),
            clickjacking_protection=dict(type='bool'),
            xss_protection=dict(type='bool'),
            mime_sniffing_protection=dict(type='bool'),
            process_manager=dict(type='str', choices=['dynamic', 'ondemand', 'static']),
            process_manager_start_servers=dict(type='int'),
            process_manager_min_spare_servers=dict(type='int'),
            process_manager_max_spare_servers=dict(type='int'),
            process_manager_max_children=dict(type='int'),
            process_manager_max_requests=dict(type='int'),
            open_basedir=dict(type='str'),
            timezone=dict(type='str'),
            disable_functions=dict(type='str'),
            max_execution_time=dict(type='int'),
            max_input_time=dict(type='int'),
            max_input_vars=dict(type='int'),
            memory_limit=dict(type='int'),
            post_max_size=dict(type='int'),
            upload_max_filesize=dict(type='int'),
            session_gc_maxlifetime=dict(type='int'),
            allow_url_fopen=dict(type='bool'),
            default_app=dict(type='bool'),
            rebuild=dict(type='bool', default=False),
            **landing_options()
        ),
        supports_check_mode=True,
    ).main()


if __name__ == '__main__':
    main()
