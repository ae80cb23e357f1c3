#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: wordpress
short_description: Create WordPress sites on a RunCloud server in one call
version_added: 0.1.0
description:
  - Create a WordPress site - the web application, its database, database user and WordPress itself -
    with one request, or delete the site's web application.
  - RunCloud API v3 only; on API v2 the task is refused before any request (there, use
    M(runcloud.cloud.web_app), M(runcloud.cloud.database) and M(runcloud.cloud.script_installer)).
  - On an existing site the fields the API reads back are compared - O(system_user), O(php_version),
    O(stack) and O(stack_mode) - and O(php_version) is changed in place; a different owner or stack fails
    the task naming the option. Everything else (domain name, title, administrator, database) is only
    sent on create; the API does not read it back. Manage them afterwards with M(runcloud.cloud.domain),
    M(runcloud.cloud.wordpress_settings) and the database modules.
  - O(admin_password) and O(database_password) are sent only on create and never shown in results or diffs.
seealso:
  - module: runcloud.cloud.runcloud_hub
  - module: runcloud.cloud.wordpress_staging
  - module: runcloud.cloud.wordpress_settings
  - module: runcloud.cloud.web_app
  - ref: ansible_collections.runcloud.cloud.docsite.wordpress
    description: Guide to the WordPress modules and the wordpress_site role.
author:
  - runcloud.cloud contributors (@runcloud-community)
options:
  name:
    description:
      - The name of the site's web application; it identifies the site on the server.
    type: str
    required: true
  domain_name:
    description:
      - The site's first domain name. Required to create it; only sent on create.
    type: str
  system_user:
    description:
      - The system user the site runs as, by id or by user name (a name costs one search request). Required
        to create it; a site owned by another user fails the task.
    type: raw
  php_version:
    description:
      - The PHP version, such as V(php83rc). RunCloud's default V(php82rc) is sent on create when it is not
        set; on an existing site it is changed in place.
    type: str
  public_path:
    description:
      - The public folder inside the site's directory; only sent on create.
    type: str
  stack:
    description:
      - The web server stack. V(hybrid) (NGINX + Apache) is sent on create when it is not set.
    type: str
    choices: [hybrid, nativenginx]
  stack_mode:
    description:
      - V(production) or V(development). V(production) is sent on create when it is not set.
    type: str
    choices: [production, development]
  site_title:
    description:
      - The title of the WordPress site. Required to create it; only sent on create.
    type: str
  admin_username:
    description:
      - The WordPress administrator's user name. Required to create it; only sent on create.
    type: str
  admin_password:
    description:
      - The WordPress administrator's password. Required to create it; only sent on create and never shown.
    type: str
  admin_email:
    description:
      - The WordPress administrator's e-mail address. Required to create it; only sent on create.
    type: str
  database_name:
    description:
      - The name of the database RunCloud creates for the site. Required to create it; only sent on create.
    type: str
  database_user:
    description:
      - The database user RunCloud creates for the site. Required to create it; only sent on create.
    type: str
  database_password:
    description:
      - The password of O(database_user). Required to create it; only sent on create and never shown.
    type: str
  table_prefix:
    description:
      - The prefix of WordPress's tables (RunCloud uses V(wp_) when it is not set); only sent on create.
    type: str
  state:
    description:
      - V(present) creates the site, V(absent) deletes its web application. The database and its user stay;
        remove them with M(runcloud.cloud.database) and M(runcloud.cloud.database_user).
    type: str
    choices: [present, absent]
    default: present
extends_documentation_fragment:
  - runcloud.cloud.api
  - runcloud.cloud.api.action
  - runcloud.cloud.parents.server
  - runcloud.cloud.wait
  - runcloud.cloud.attributes
'''

EXAMPLES = r'''
- name: A WordPress blog with its own database
  runcloud.cloud.wordpress:
    server: web-01
    name: blog
    domain_name: blog.example.com
    system_user: blog
    php_version: php83rc
    site_title: The Example Blog
    admin_username: editor
    admin_password: "{{ vault_blog_admin_password }}"
    admin_email: editor@example.com
    database_name: blog
    database_user: blog
    database_password: "{{ vault_blog_database_password }}"
'''

RETURN = r'''
wordpress:
  description: The site's web application as the API describes it (without its webhook keys); empty after a deletion.
  returned: always
  type: dict
  contains:
    id:
      description: The id of the web application; V(null) when check mode only predicted it.
      type: int
      sample: 12
    name:
      description: The name of the web application.
      type: str
      sample: blog
    type:
      description: V(wordpress).
      type: str
      sample: wordpress
    server_user_id:
      description: The id of the system user the site runs as.
      type: int
      sample: 3
    php_version:
      description: The PHP version.
      type: str
      sample: php83rc
    stack:
      description: The web server stack.
      type: str
      sample: hybrid
    stack_mode:
      description: V(production) or V(development).
      type: str
      sample: production
    root_path:
      description: The site's directory.
      type: str
      sample: /home/blog/webapps/blog
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

from ansible_collections.runcloud.cloud.plugins.module_utils.catalogue import V3, V3_ONLY
from ansible_collections.runcloud.cloud.plugins.module_utils.catalogue import path as endpoint
from ansible_collections.runcloud.cloud.plugins.module_utils.choices import php_version_problem
from ansible_collections.runcloud.cloud.plugins.module_utils.info import WEB_APP_SECRET_FIELDS
from ansible_collections.runcloud.cloud.plugins.module_utils.module import SERVER, SYSTEM_USER
from ansible_collections.runcloud.cloud.plugins.module_utils.resource import (
    Field,
    ResourceModule,
    UpdateGroup,
    landing_options,
    resource_argument_spec,
)

DEFAULT_PHP_VERSION = 'php82rc'
# Sent on create only: the API's web application object does not hold them.
CREATE_ONLY = ('domain_name', 'public_path', 'site_title', 'admin_username', 'admin_password', 'admin_email',
               'database_name', 'database_user', 'database_password', 'table_prefix')
API_NAMES = dict(domain_name='domainName', public_path='publicPath', site_title='siteTitle', admin_username='adminUsername',
                 admin_password='password', admin_email='adminEmail', database_name='dbName', database_user='dbUser',
                 database_password='dbPassword', table_prefix='dbPrefix')


def system_user_id(module, _value):
    return module.resolve_parent(SYSTEM_USER)


class WordPressModule(ResourceModule):
    api_versions = V3_ONLY
    resource = 'WordPress site'
    result_key = 'wordpress'
    # Later tasks of the play name the site as their web_app.
    parent_kind = 'web_app'
    parents = (SERVER,)
    list_path = endpoint('web_app', 'list', V3)
    item_path = endpoint('web_app', 'item', V3)
    create_path = endpoint('wordpress', 'create', V3)
    hidden_fields = WEB_APP_SECRET_FIELDS
    required_for_create = ('domain_name', 'system_user', 'site_title', 'admin_username', 'admin_password', 'admin_email',
                           'database_name', 'database_user', 'database_password')
    # A create whose answer was lost is read back, never sent again (it also makes a database and a user).
    resend_uncertain_create = False
    created_defaults = {'rootPath': None, 'publicPath': None, 'type': 'wordpress', 'defaultApp': None, 'alias': None, 'created_at': None}
    fields = (
        Field('name'),
        Field('system_user', api='user', read_as='server_user_id', kind='int', to_api=system_user_id),
        Field('php_version', update='php', create_default=DEFAULT_PHP_VERSION),
        Field('stack', create_default='hybrid'),
        Field('stack_mode', create_default='production'),
    ) + tuple(Field(option, api=API_NAMES[option], write_only=True) for option in CREATE_ONLY)
    update_groups = (UpdateGroup('php', endpoint('web_app', 'php', V3)),)

    def validate(self):
        problem = php_version_problem('php_version', self.params.get('php_version'))
        if problem:
            self.fail(problem)

    def refuse_other_web_apps(self, current):
        # A custom PHP application of the same name is not this module's to change or delete (an unknown
        # type is not a reason to refuse).
        kind = current.get('type')
        if isinstance(kind, str) and kind.lower() != 'wordpress':
            self.fail('the web application %r (id %s) exists but is not a WordPress site (its type is %s); give the site '
                      'another name, or manage it with runcloud.cloud.web_app' % (self.params['name'], current.get('id'), kind),
                      wordpress=self.public(current))

    def converge_existing(self, current):
        self.refuse_other_web_apps(current)
        return super(WordPressModule, self).converge_existing(current)

    def delete(self, current):
        self.refuse_other_web_apps(current)
        super(WordPressModule, self).delete(current)

    def note_self(self, resource, absent=False):
        super(WordPressModule, self).note_self(resource, absent=absent)
        # The create makes the site's database too: when check mode only predicts the site, later tasks of the
        # play that name that database (its backup policy) find it predicted instead of failing on a missing one.
        site_predicted = self.check_mode and not absent and resource is not None and resource.get('id') is None
        if site_predicted and self.params.get('database_name') and not self.under_predicted_parent(self.list_path):
            self.note_resolved('database', self.params['database_name'], None, state='predicted')


def main():
    WordPressModule(
        argument_spec=resource_argument_spec(
            server=dict(type='raw', required=True),
            name=dict(type='str', required=True),
            domain_name=dict(type='str'),
            system_user=dict(type='raw'),
            php_version=dict(type='str'),
            public_path=dict(type='str'),
            stack=dict(type='str', choices=['hybrid', 'nativenginx']),
            stack_mode=dict(type='str', choices=['production', 'development']),
            site_title=dict(type='str'),
            admin_username=dict(type='str'),
            admin_password=dict(type='str', no_log=True),
            admin_email=dict(type='str'),
            database_name=dict(type='str'),
            database_user=dict(type='str'),
            database_password=dict(type='str', no_log=True),
            table_prefix=dict(type='str'),
            **landing_options()
        ),
        supports_check_mode=True,
    ).main()


if __name__ == '__main__':
    main()
