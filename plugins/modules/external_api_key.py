#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: external_api_key
short_description: Manage the 3rd-party API keys (Cloudflare, DigitalOcean, ...) of a RunCloud account
version_added: 0.1.0
description:
  - Create, update or delete a 3rd-party API key that RunCloud uses on your behalf, such as the
    Cloudflare key that issues Let's Encrypt certificates through DNS (M(runcloud.cloud.web_app_ssl)
    with O(runcloud.cloud.web_app_ssl#module:authorization_method=dns-01)).
  - The keys belong to the account, not to a server.
  - O(username) and O(secret) are changed in place. The API cannot change the O(service) of a key;
    when it differs the module fails and names it.
author:
  - runcloud.cloud contributors (@runcloud-community)
options:
  label:
    description:
      - The name of the key in RunCloud; it identifies the key.
    type: str
    required: true
  service:
    description:
      - The provider the key is for. Required to create a key.
      - The API answers with the provider's name (C(Digital Ocean)); the module compares and returns
        the slug, and the name as C(service_name).
    type: str
    choices: [cloudflare, digitalocean, linode, upcloud, vultr]
  username:
    description:
      - The account e-mail address, for V(cloudflare); required to create a Cloudflare key.
    type: str
  secret:
    description:
      - The API key or token of the provider. Required to create a key.
      - It never appears in results, diffs or error messages. The API does not return it, so it cannot
        be compared; see O(update_secret).
    type: str
  update_secret:
    description:
      - V(on_create) sets O(secret) only when the key is created, so repeated runs report no change.
      - V(always) sends O(secret) on every run and always reports a change.
    type: str
    choices: [always, on_create]
    default: on_create
  state:
    description:
      - V(present) creates or updates the key, V(absent) deletes it.
    type: str
    choices: [present, absent]
    default: present
extends_documentation_fragment:
  - runcloud.cloud.api
  - runcloud.cloud.api.action
  - runcloud.cloud.attributes
attributes:
  idempotent:
    support: partial
    details:
      - Not idempotent with O(update_secret=always), because the secret cannot be compared.
seealso:
  - module: runcloud.cloud.external_api_key_info
  - module: runcloud.cloud.web_app_ssl
'''

EXAMPLES = r'''
- name: A Cloudflare key for DNS-01 certificates
  runcloud.cloud.external_api_key:
    label: cloudflare-dns
    service: cloudflare
    username: ops@example.com
    secret: "{{ vault_cloudflare_api_key }}"

- name: Rotate the secret
  runcloud.cloud.external_api_key:
    label: cloudflare-dns
    secret: "{{ vault_new_cloudflare_api_key }}"
    update_secret: always

- name: Use it for a certificate, by label
  runcloud.cloud.web_app_ssl:
    server: web-01
    web_app: intranet
    provider: letsencrypt
    authorization_method: dns-01
    external_api: cloudflare-dns

- name: Delete a key
  runcloud.cloud.external_api_key:
    label: cloudflare-dns
    state: absent
'''

RETURN = r'''
external_api_key:
  description: The key as the API describes it, without the secret; empty after deletion.
  returned: always
  type: dict
  contains:
    id:
      description: The key's id; V(null) when it was only predicted in check mode.
      type: int
      sample: 28
    label:
      description: The name of the key.
      type: str
      sample: cloudflare-dns
    service:
      description: The provider, as a slug.
      type: str
      sample: digitalocean
    service_name:
      description: The provider's name, as the API gives it.
      type: str
      sample: Digital Ocean
    username:
      description: The account e-mail address (Cloudflare), else V(null).
      type: str
      sample: ops@example.com
    created_at:
      description: When the key was created.
      type: str
      sample: '2024-05-01 10:11:12'
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

from ansible_collections.runcloud.cloud.plugins.module_utils.catalogue import path as endpoint
from ansible_collections.runcloud.cloud.plugins.module_utils.external_api import SERVICES, key_view, service_slug
from ansible_collections.runcloud.cloud.plugins.module_utils.resource import (
    Field,
    ResourceModule,
    UpdateGroup,
    resource_argument_spec,
)

ITEM = endpoint('external_api_key', 'item')


class ExternalApiKeyModule(ResourceModule):
    resource = '3rd-party API key'
    result_key = 'external_api_key'
    list_path = endpoint('external_api_key', 'list')
    item_path = ITEM
    identity = 'label'
    required_for_create = ('service', 'secret')
    update_write_only_option = 'update_secret'
    created_defaults = {'username': None, 'created_at': None}
    fields = (
        Field('label'),
        Field('service', matches=lambda wanted, current: wanted == service_slug(current)),
        Field('username', update='key'),
        Field('secret', write_only=True, update='key'),
    )
    # The label goes along so that an endpoint wanting the full set still accepts a partial change.
    update_groups = (UpdateGroup('key', ITEM, extra_body=lambda module, current: {'label': current.get('label')}),)

    def check_create(self):
        super(ExternalApiKeyModule, self).check_create()
        if self.params['service'] == 'cloudflare':
            self.fail_unless_set(('username',))

    def public(self, resource):
        return key_view(super(ExternalApiKeyModule, self).public(resource))


def main():
    ExternalApiKeyModule(
        argument_spec=resource_argument_spec(
            label=dict(type='str', required=True),
            service=dict(type='str', choices=sorted(SERVICES)),
            username=dict(type='str'),
            secret=dict(type='str', no_log=True),
            update_secret=dict(type='str', default='on_create', choices=['always', 'on_create'], no_log=False),
        ),
        supports_check_mode=True,
    ).main()


if __name__ == '__main__':
    main()
