#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: wordpress_staging
short_description: Manage the staging copy of a WordPress site on RunCloud and push it to the live site
version_added: 0.1.0
description:
  - Create the staging copy of a WordPress site (a web application of the same server with its own domain
    name), change its settings, push it to the live site, or delete it.
  - RunCloud API v3 only; on API v2 the task is refused before any request.
  - RunCloud only acknowledges the creation and the push and does the work afterwards. The module reads
    until the staging copy exists (O(wait)); neither request is ever sent again.
  - The API reads the staging settings back as the staging web application, without O(enable_cache),
    O(enable_auth) or O(auth_username). They are sent on create, and to an existing copy only with
    O(update_settings=always) (which then reports a change on every run).
  - The reference has no page for removing a staging copy; O(state=absent) deletes the staging web
    application like M(runcloud.cloud.web_app) does.
seealso:
  - module: runcloud.cloud.wordpress
  - ref: ansible_collections.runcloud.cloud.docsite.wordpress
    description: Guide to the WordPress modules and the wordpress_site role.
author:
  - runcloud.cloud contributors (@runcloud-community)
options:
  web_app:
    description:
      - The live WordPress site, by id or by name. A name costs one search request.
    type: raw
    required: true
  url:
    description:
      - The domain name of the staging copy, such as V(staging.blog.example.com). Required to create it;
        only sent on create (a copy under another name needs O(state=absent) first).
    type: str
  enable_auth:
    description:
      - Whether the staging copy asks for a user name and password (HTTP authentication).
    type: bool
  auth_username:
    description:
      - The user name of that authentication.
    type: str
  auth_password:
    description:
      - The password of that authentication; never shown.
    type: str
  update_settings:
    description:
      - V(on_create) sends O(enable_cache), O(enable_auth), O(auth_username) and O(auth_password) only when
        the copy is created; V(always) sends those that are set on every run (the API cannot read them back).
    type: str
    choices: [always, on_create]
    default: on_create
  enable_cache:
    description:
      - Whether the staging copy uses the page cache.
    type: bool
  discourage_search_engine:
    description:
      - Whether search engines are asked not to index the copy. Only sent on create.
    type: bool
  enable_http:
    description:
      - Whether plain HTTP is served beside HTTPS. Only sent on create.
    type: bool
  enable_hsts:
    description:
      - Whether HSTS is sent. Only sent on create.
    type: bool
  http2:
    description:
      - Whether HTTP/2 is on. Only sent on create.
    type: bool
  brotli:
    description:
      - Whether Brotli compression is on. Only sent on create.
    type: bool
  dns_provider:
    description:
      - V(cloudflare) makes RunCloud add the DNS record through O(external_api). Only sent on create.
    type: str
    choices: [none, cloudflare]
  external_api:
    description:
      - The Cloudflare API key (M(runcloud.cloud.external_api_key)), by id or by label, for
        O(dns_provider=cloudflare). A label costs one search request. Only sent on create.
    type: raw
  www:
    description:
      - Whether the copy also answers on C(www.) of O(url). Only sent on create.
    type: bool
  redirection:
    description:
      - Redirection between O(url) and its C(www.) name. Only sent on create.
    type: str
    choices: [none, www, non-www]
  push:
    description:
      - Push the staging copy to the live site. An action, not a state - it runs every time it is V(true)
        and always reports a change. It is never sent again; when its outcome is unknown (a lost answer)
        the task fails and says so; check the live site before pushing again.
      - The push is applied after the API answered; the module cannot read its result.
    type: bool
    default: false
  push_tables:
    description:
      - The database tables the push copies (C(syncTable)); without it RunCloud's default.
    type: list
    elements: str
  state:
    description:
      - V(present) creates the staging copy, V(absent) deletes it.
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
      - Not idempotent with O(push=true), which pushes on every run, or with O(update_settings=always).
'''

EXAMPLES = r'''
- name: A staging copy of the blog behind a password
  runcloud.cloud.wordpress_staging:
    server: web-01
    web_app: blog
    url: staging.blog.example.com
    enable_auth: true
    auth_username: preview
    auth_password: "{{ vault_staging_password }}"
    discourage_search_engine: true

- name: Push the staging copy's posts and options to the live site
  runcloud.cloud.wordpress_staging:
    server: web-01
    web_app: blog
    push: true
    push_tables: [wp_posts, wp_postmeta, wp_options]
'''

RETURN = r'''
staging:
  description: The staging copy's web application as the API describes it (without its webhook keys); empty when there is none.
  returned: always
  type: dict
  contains:
    id:
      description: The id of the staging web application; V(null) when check mode only predicted it.
      type: int
      sample: 13
    name:
      description: Its name, which RunCloud chooses.
      type: str
      sample: blog-staging
    type:
      description: V(wordpress).
      type: str
      sample: wordpress
pushed:
  description: Whether the task pushed the staging copy to the live site (or would have, in check mode).
  returned: always
  type: bool
  sample: false
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
from ansible_collections.runcloud.cloud.plugins.module_utils.errors import RunCloudError
from ansible_collections.runcloud.cloud.plugins.module_utils.external_api import EXTERNAL_API
from ansible_collections.runcloud.cloud.plugins.module_utils.info import WEB_APP_SECRET_FIELDS
from ansible_collections.runcloud.cloud.plugins.module_utils.module import SERVER, WEB_APP
from ansible_collections.runcloud.cloud.plugins.module_utils.resource import Field, ResourceModule, UpdateGroup, landing_options, resource_argument_spec

STAGING = endpoint('wordpress_staging', 'singleton', V3)
PUSH = endpoint('wordpress_staging', 'push', V3)
# Sent on create; the settings endpoint changes the first four (the API reads none of them back).
SETTINGS = (('enable_cache', 'bool'), ('enable_auth', 'bool'), ('auth_username', 'text'), ('auth_password', 'text'))
CREATE_ONLY = (('discourage_search_engine', 'bool'), ('enable_http', 'bool'), ('enable_hsts', 'bool'), ('http2', 'bool'),
               ('brotli', 'bool'), ('dns_provider', 'text'), ('www', 'bool'), ('redirection', 'text'))
API_NAMES = dict(auth_username='username', auth_password='password')


class StagingModule(ResourceModule):
    api_versions = V3_ONLY
    resource = 'WordPress staging copy'
    result_key = 'staging'
    parents = (SERVER, WEB_APP)
    identity = None
    singleton_path = STAGING
    # The copy is a web application of the same server: it is removed as one.
    item_path = endpoint('web_app', 'item', V3)
    hidden_fields = WEB_APP_SECRET_FIELDS
    update_write_only_option = 'update_settings'
    required_for_create = ('url',)
    resend_uncertain_create = False
    created_defaults = {'name': None, 'rootPath': None, 'publicPath': None, 'phpVersion': None, 'type': 'wordpress', 'created_at': None}
    fields = (
        (Field('url', write_only=True),
         Field('external_api', api='cfApiKeyId', write_only=True, to_api=lambda module, value: module.resolved[EXTERNAL_API.key]))
        + tuple(Field(option, api=API_NAMES.get(option), kind=kind, write_only=True, update='settings') for option, kind in SETTINGS)
        + tuple(Field(option, kind=kind, write_only=True) for option, kind in CREATE_ONLY)
    )
    update_groups = (UpdateGroup('settings', STAGING),)

    def __init__(self, argument_spec, **kwargs):
        super(StagingModule, self).__init__(argument_spec, **kwargs)
        self.pushed = False

    def subject(self):
        return 'the staging copy of %r' % self.params['web_app']

    def prepare(self):
        if self.is_set('external_api'):
            self.resolve_parent(EXTERNAL_API)

    def find_created(self):
        return self.read_singleton()

    def uncertain_create_hint(self):
        return ('it was not sent again: RunCloud may still be making the copy. Run the task again later: it finds the '
                'copy once it exists')

    def delete(self, current):
        # The copy is removed as a web application: never the live site, whatever the answer held.
        if current.get('id') == self.resolved[WEB_APP.key]:
            self.fail('the API answered the staging copy of %r with the live site itself (id %s); nothing was deleted'
                      % (self.params['web_app'], current.get('id')), staging=self.public(current))
        super(StagingModule, self).delete(current)

    def run_actions(self, resource):
        if not self.params['push']:
            return resource
        self.changed = True
        self.pushed = True
        if self.check_mode or resource.get('id') is None:
            return resource
        body = {'syncTable': self.params['push_tables']} if self.params['push_tables'] is not None else {}
        try:
            self.client.request('PATCH', self.path(PUSH), body=body, idempotent=False)
        except RunCloudError as error:
            if error.maybe_applied:
                self.fail('the push of %s to the live site may have been applied (%s); it was not sent again. Check the live '
                          'site before pushing again' % (self.subject(), error), staging=self.public(resource), pushed=None,
                          **error.to_dict())
            raise
        return resource

    def extra_result(self, resource):
        return dict(pushed=self.pushed)


def main():
    StagingModule(
        argument_spec=resource_argument_spec(
            server=dict(type='raw', required=True),
            web_app=dict(type='raw', required=True),
            url=dict(type='str'),
            enable_auth=dict(type='bool'),
            auth_username=dict(type='str'),
            auth_password=dict(type='str', no_log=True),
            update_settings=dict(type='str', choices=['always', 'on_create'], default='on_create'),
            enable_cache=dict(type='bool'),
            discourage_search_engine=dict(type='bool'),
            enable_http=dict(type='bool'),
            enable_hsts=dict(type='bool'),
            http2=dict(type='bool'),
            brotli=dict(type='bool'),
            dns_provider=dict(type='str', choices=['none', 'cloudflare']),
            external_api=dict(type='raw'),
            www=dict(type='bool'),
            redirection=dict(type='str', choices=['none', 'www', 'non-www']),
            push=dict(type='bool', default=False),
            push_tables=dict(type='list', elements='str'),
            **landing_options()
        ),
        required_if=[('dns_provider', 'cloudflare', ['external_api']), ('enable_auth', True, ['auth_username', 'auth_password'])],
        supports_check_mode=True,
    ).main()


if __name__ == '__main__':
    main()
