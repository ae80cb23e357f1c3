#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: web_app_clone
short_description: Clone a RunCloud web application under another name, on its server or another one (API v3)
version_added: 0.2.0
description:
  - Make a copy of a web application (its files, optionally its database, NGINX configuration, RunCloud
    Hub and backup policy) named O(name), on the same server or on O(target_server).
  - API v3 only. O(api_url) must end in C(/api/v3); on API v2 the task fails before any request.
  - Idempotent by the clone's name. When the destination server has a web application named O(name) the
    task changes nothing (it does not compare that application with the source); otherwise it asks RunCloud
    to clone.
  - RunCloud only acknowledges a clone ("will begin shortly"). With O(wait=true) the task reads the
    destination's web applications until the clone shows. A clone request whose answer is lost is never sent
    again; the destination is read until the clone shows, and when it does not the task fails saying so.
seealso:
  - module: runcloud.cloud.web_app
  - ref: ansible_collections.runcloud.cloud.docsite.backups
    description: Guide to backups, restores, cloning and the SSH configuration on API v3.
author:
  - runcloud.cloud contributors (@runcloud-community)
options:
  name:
    description:
      - The clone's name (the web application made by cloning).
    type: str
    required: true
  target_server:
    description:
      - The server the clone is made on, by id or by name. The source's server when unset.
    type: raw
  domain_name:
    description:
      - The clone's domain name. Required to clone.
    type: str
  owner:
    description:
      - The system user on the destination server that owns the clone, by id or by name (looked up on the
        destination, which is why this option is not called C(system_user)). Required to clone.
    type: raw
  www:
    description:
      - Also serve the C(www.) name of O(domain_name).
    type: bool
  dns_provider:
    description:
      - Who manages the domain's DNS records. V(cloudflare) needs O(external_api).
    type: str
    choices: [none, cloudflare]
  external_api:
    description:
      - The id of the Cloudflare 3rd-party API key (M(runcloud.cloud.external_api_key)) with O(dns_provider=cloudflare).
    type: int
  proxy:
    description:
      - With Cloudflare, proxy the domain through Cloudflare.
    type: bool
  advanced_ssl:
    description:
      - Turn on advanced SSL for the clone.
    type: bool
  auto_ssl:
    description:
      - With advanced SSL, issue certificates for new domain names automatically.
    type: bool
  source_database:
    description:
      - Also clone this database of the source server (by id or by name) into O(database_name).
    type: raw
  database_name:
    description:
      - The name of the database copy on the destination server. Required with O(source_database).
    type: str
  database_user:
    description:
      - A new database user on the destination server granted the database copy.
    type: str
  clone_nginx_config:
    description:
      - Copy the source's custom NGINX configuration.
    type: bool
  clone_runcloud_hub:
    description:
      - Copy the source's RunCloud Hub settings.
    type: bool
  clone_backup:
    description:
      - Copy the source's backup policy.
    type: bool
  clone_modsec:
    description:
      - Copy the source's ModSecurity settings.
    type: bool
extends_documentation_fragment:
  - runcloud.cloud.api
  - runcloud.cloud.api.action
  - runcloud.cloud.parents.web_app
  - runcloud.cloud.wait
  - runcloud.cloud.attributes
attributes:
  diff_mode:
    details:
      - The diff shows the clone as absent before and as found or predicted after.
'''

EXAMPLES = r'''
- name: Copy the shop, with its database, to the staging server
  runcloud.cloud.web_app_clone:
    api_url: https://manage.runcloud.io/api/v3
    server: web-01
    web_app: shop
    name: shop-copy
    target_server: web-02
    domain_name: copy.shop.example.com
    owner: shop
    source_database: shop
    database_name: shop_copy
    clone_nginx_config: true
'''

RETURN = r'''
web_app:
  description:
    - The clone as the API lists it (without its webhook keys); what check mode predicts in check mode, with
      V(null) as id.
  returned: always
  type: dict
  contains:
    id:
      description: The clone's id.
      type: int
      sample: 27
    name:
      description: The clone's name.
      type: str
      sample: shop-copy
    server_id:
      description: The server the clone is on (added by the module).
      type: int
      sample: 4
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

from ansible_collections.runcloud.cloud.plugins.module_utils.catalogue import V3_ONLY, path as endpoint
from ansible_collections.runcloud.cloud.plugins.module_utils.info import WEB_APP_SECRET_FIELDS
from ansible_collections.runcloud.cloud.plugins.module_utils.module import DATABASE, SERVER, WEB_APP, ParentRef
from ansible_collections.runcloud.cloud.plugins.module_utils.resource import ABSENCE_PROOF_MAX_PAGES, Field, ResourceModule, landing_options

TARGET_SERVER = ParentRef('target_server', 'target_server_id', endpoint('server', 'list'), 'server', kind='server')
# The clone's owner is a system user of the destination server.
TARGET_USER = ParentRef('owner', 'owner_id', endpoint('web_app_clone', 'destination_users'), 'system user', field='username')
SOURCE_DATABASE = ParentRef('source_database', DATABASE.key, DATABASE.path, DATABASE.description, kind='database')


class WebAppCloneModule(ResourceModule):
    resource = 'web application clone'
    result_key = 'web_app'
    api_versions = V3_ONLY
    parents = (SERVER, WEB_APP)
    create_path = endpoint('web_app_clone', 'create')
    identity = 'name'
    hidden_fields = tuple(sorted(WEB_APP_SECRET_FIELDS))
    required_for_create = ('domain_name', 'owner')
    fields = (
        Field('name', api='destinationName', read_as='name'),
        Field('domain_name'),
        Field('www', kind='bool'),
        Field('dns_provider'),
        Field('external_api', api='cfApiKeyId', kind='id'),
        Field('proxy', kind='bool'),
        Field('advanced_ssl', api='advancedSSL', kind='bool'),
        Field('auto_ssl', api='autoSSL', kind='bool'),
        Field('database_name', api='databaseDestinationName'),
        Field('database_user', api='newDatabaseUsername'),
        Field('clone_nginx_config', kind='bool'),
        Field('clone_runcloud_hub', kind='bool'),
        Field('clone_backup', kind='bool'),
        Field('clone_modsec', kind='bool'),
    )

    def validate(self):
        if self.is_set('source_database') and not self.is_set('database_name'):
            self.fail('database_name is required with source_database (the name of the copy)')

    def prepare(self):
        if self.is_set('target_server'):
            self.resolve_parent(TARGET_SERVER)
        else:
            self.resolved[TARGET_SERVER.key] = self.resolved[SERVER.key]
            if self.resolved[SERVER.key] is None:
                # Check mode under a server an earlier task only predicted: so is the destination.
                self.predicted_parents.append(TARGET_SERVER)

    def destination_list(self):
        return self.path(endpoint('web_app', 'list'), server_id=self.resolved[TARGET_SERVER.key])

    def find(self):
        """The web application named ``name`` on the destination, read without the API's search (the
        proof of absence a clone depends on)."""
        if self.resolved.get(TARGET_SERVER.key) is None:
            return None
        found = self.client.find_by_field(self.destination_list(), self.params['name'], 'name', description='web application',
                                          searchable=False, max_pages=ABSENCE_PROOF_MAX_PAGES)
        return self.on_destination(found)

    def on_destination(self, web_app):
        return dict(web_app, server_id=self.resolved[TARGET_SERVER.key]) if isinstance(web_app, dict) else None

    def converge_existing(self, current):
        # Idempotent by the clone's name: an application of that name is the clone.
        return current

    def create_body(self):
        body = super(WebAppCloneModule, self).create_body()
        body['user'] = self.resolve_parent(TARGET_USER)
        if self.is_set('target_server'):
            body['serverDestinationId'] = self.resolved[TARGET_SERVER.key]
        if self.is_set('source_database'):
            body.update(databaseClone=True, sourceDatabaseId=self.resolve_parent(SOURCE_DATABASE))
        return body

    def create(self):
        self.check_create()
        body = self.create_body()
        self.changed = True
        predicted = dict(id=None, name=self.params['name'], server_id=self.resolved.get(TARGET_SERVER.key))
        if self.check_mode:
            return predicted
        # Acknowledged only; a lost answer is answered by reading the destination, never by a second clone.
        answer = self.client.post(self.path(self.create_path), body, on_uncertain=self.find, resend_unconfirmed=False)
        if isinstance(answer, dict) and answer.get('id') is not None and answer.get('name') == self.params['name']:
            return self.on_destination(answer)
        return self.wait_for_landing(self.find, 'the clone %r' % self.params['name']) or predicted


def main():
    WebAppCloneModule(
        argument_spec=dict(
            server=dict(type='raw', required=True),
            web_app=dict(type='raw', required=True),
            name=dict(type='str', required=True),
            target_server=dict(type='raw'),
            domain_name=dict(type='str'),
            owner=dict(type='raw'),
            www=dict(type='bool'),
            dns_provider=dict(type='str', choices=['none', 'cloudflare']),
            external_api=dict(type='int'),
            proxy=dict(type='bool'),
            advanced_ssl=dict(type='bool'),
            auto_ssl=dict(type='bool'),
            source_database=dict(type='raw'),
            database_name=dict(type='str'),
            database_user=dict(type='str'),
            clone_nginx_config=dict(type='bool'),
            clone_runcloud_hub=dict(type='bool'),
            clone_backup=dict(type='bool'),
            clone_modsec=dict(type='bool'),
            **landing_options()
        ),
        required_if=[('dns_provider', 'cloudflare', ['external_api'])],
        supports_check_mode=True,
    ).main()


if __name__ == '__main__':
    main()
